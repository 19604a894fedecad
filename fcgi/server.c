/*
 * server.c - the prefork process manager and the worker's accept loop.
 *
 * The master opens (or inherits) the listening socket, forks N workers and
 * then only supervises: it never serves a request, so a crashing request
 * can only ever take down one worker.  Workers keep nothing another host
 * would need (sessions, counters and caches that matter live in MariaDB),
 * which is what lets Portico scale out by adding hosts behind nginx.
 *
 * Signals, in the master:
 *   SIGTERM, SIGINT  drain: workers finish what they hold, then exit; after
 *                    drain_timeout the stragglers are killed.
 *   SIGHUP           re-read the config and the stylesheets and roll the
 *                    workers: a new generation starts, then the old one
 *                    drains.  A config or stylesheet that does not load is
 *                    logged and the old generation keeps serving.
 *   SIGCHLD          a worker exited: respawn it, with exponential backoff
 *                    while workers keep dying young (a crash loop must not
 *                    become a fork bomb).
 *
 * Workers keep every signal blocked except inside ppoll(), so a drain never
 * interrupts a read or write of a request in progress: the signal is seen
 * only between requests.  The listening socket is non-blocking so that the
 * worker that loses an accept race returns to ppoll() instead of sleeping
 * in accept() with signals blocked.  Each connection carries one request
 * (libfcgi's FCGI_KEEP_CONN is declined by closing after the response), so
 * no idle web-server connection can pin a worker.
 *
 * API: pt_server_check, pt_server_run (server.h).  To add a signal, add it
 * to master_sigs and to the switch in pt_server_run().
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "server.h"

#define MAX_WORKERS	256
#define YOUNG_SECONDS	10	/* a worker dying younger counts as a crash */
#define BACKOFF_MAX_MS	30000

struct worker {
	pid_t		 pid;		/* 0: slot empty */
	unsigned int	 gen;
	double		 started;	/* monotonic seconds */
	double		 respawn_at;	/* when pid == 0 */
};

struct master {
	const char		*path;
	struct pt_config	*cfg;
	int			 fd;		/* listening socket */
	char			*unix_path;	/* ours to unlink, or NULL */
	unsigned int		 gen;
	struct worker		 cur[MAX_WORKERS];	/* current generation */
	pid_t			 old[MAX_WORKERS * 4];	/* draining */
	size_t			 nold;
	double			 old_deadline;
	unsigned int		 crashes;	/* consecutive young deaths */
	bool			 stopping;
	double			 stop_deadline;
};

/* ------------------------------------------------------------ listening */

static int
listen_unix(struct master *m, const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		pt_log(PT_LOG_ERR, "listen: socket path is longer than %zu "
		    "bytes: %s", sizeof(sun.sun_path) - 1, path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	/* A socket left by a killed master is stale; anything else is not ours. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			pt_log(PT_LOG_ERR, "listen: %s exists and is not a "
			    "socket", path);
			return -1;
		}
		unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, m->cfg->listen_mode) == -1 ||
	    listen(fd, (int)m->cfg->listen_backlog) == -1) {
		pt_log(PT_LOG_ERR, "listen: %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	m->unix_path = strdup(path);
	return fd;
}

static int
listen_inet(struct master *m, const char *spec)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[256], *port;
	const char	*h;
	int		 fd = -1, on = 1, rc;

	if (strlen(spec) >= sizeof(host)) {
		pt_log(PT_LOG_ERR, "listen: address too long: %s", spec);
		return -1;
	}
	strcpy(host, spec);
	if ((port = strrchr(host, ':')) == NULL) {
		pt_log(PT_LOG_ERR, "listen: %s: expected host:port or "
		    "unix:/path", spec);
		return -1;
	}
	*port++ = '\0';
	h = host;
	if (host[0] == '[' && port[-2] == ']') {	/* [::1]:9000 */
		port[-2] = '\0';
		h = host + 1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(*h ? h : NULL, port, &hints, &res)) != 0) {
		pt_log(PT_LOG_ERR, "listen: %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, (int)m->cfg->listen_backlog) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		pt_log(PT_LOG_ERR, "listen: %s: %s", spec, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static bool
is_listening_socket(int fd)
{
	int		 on = 0;
	socklen_t	 len = sizeof(on);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 &&
	    on;
}

/*
 * Opens the listening socket: systemd's (LISTEN_FDS, fd 3), the one
 * inherited on fd 0 (spawn-fcgi, or systemd with StandardInput=socket)
 * when no listen address is configured, or our own.
 */
static int
open_listener(struct master *m)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int		 fd;

	if (pid != NULL && fds != NULL && atol(pid) == (long)getpid() &&
	    atoi(fds) >= 1) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		fd = 3;
		if (!is_listening_socket(fd)) {
			pt_log(PT_LOG_ERR, "listen: systemd passed fd 3, but "
			    "it is not a listening socket");
			return -1;
		}
		pt_log(PT_LOG_INFO, "listening on the socket from systemd");
	} else if (m->cfg->listen[0] == '\0') {
		fd = 0;
		if (!is_listening_socket(fd)) {
			pt_log(PT_LOG_ERR, "listen: no [server] listen address "
			    "is configured and fd 0 is not a listening socket "
			    "(run under spawn-fcgi or systemd, or set listen)");
			return -1;
		}
		pt_log(PT_LOG_INFO, "listening on the inherited socket (fd 0)");
	} else if (strncmp(m->cfg->listen, "unix:", 5) == 0) {
		if ((fd = listen_unix(m, m->cfg->listen + 5)) == -1)
			return -1;
		pt_log(PT_LOG_INFO, "listening on %s", m->cfg->listen);
	} else {
		if ((fd = listen_inet(m, m->cfg->listen)) == -1)
			return -1;
		pt_log(PT_LOG_INFO, "listening on %s", m->cfg->listen);
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		pt_log(PT_LOG_ERR, "listen: cannot make the socket "
		    "non-blocking: %s", strerror(errno));
		return -1;
	}
	return fd;
}

/* --------------------------------------------------------------- worker */

static volatile sig_atomic_t	 worker_stop;

static void
on_worker_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

static void
on_sigchld(int sig)
{
	(void)sig;	/* only so that SIGCHLD stays pending for sigtimedwait */
}

struct fcgi_io {
	FCGX_Request	*req;
};

static long
fcgi_read(void *ctx, char *buf, size_t len)
{
	struct fcgi_io	*io = ctx;
	int		 n;

	if (len > (size_t)INT32_MAX)
		len = INT32_MAX;
	n = FCGX_GetStr(buf, (int)len, io->req->in);
	if (n == 0 && FCGX_GetError(io->req->in) != 0)
		return -1;
	return n;
}

static int
fcgi_write(void *ctx, const char *buf, size_t len)
{
	struct fcgi_io	*io = ctx;
	int		 n;

	while (len > 0) {
		n = FCGX_PutStr(buf, len > (size_t)INT32_MAX ? INT32_MAX :
		    (int)len, io->req->out);
		if (n <= 0)
			return PT_ERR;
		buf += n;
		len -= (size_t)n;
	}
	return PT_OK;
}

/* Compiles every stylesheet the routes name, plus the error page. */
static int
load_views(const struct pt_config *cfg)
{
	const struct pt_route	*rt;
	size_t			 i;

	if (pt_view_init(cfg->xslt_dir) != PT_OK ||
	    pt_view_load("error.xsl") != PT_OK)
		return PT_ERR;
	for (i = 0; pt_modules[i] != NULL; i++)
		for (rt = pt_modules[i]->routes; rt->path != NULL; rt++)
			if (rt->xsl != NULL && pt_view_load(rt->xsl) != PT_OK)
				return PT_ERR;
	return PT_OK;
}

/*
 * Accepts and serves one request if one is queued.  Returns 1 if it served
 * one, 0 if there was none (another worker was faster), -1 on error.
 */
static int
serve_one(const struct pt_config *cfg, struct pt_db *db, struct pt_arena *a,
    FCGX_Request *req)
{
	struct fcgi_io	 fio = { req };
	struct pt_io	 io = { &fio, fcgi_read, fcgi_write };
	int		 rc;

	rc = FCGX_Accept_r(req);
	if (rc < 0) {
		FCGX_Free(req, 1);
		if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
			return 0;
		pt_log(PT_LOG_ERR, "accept: %s", strerror(-rc));
		return -1;
	}
	pt_dispatch(a, cfg, db, req->envp, &io);
	FCGX_Finish_r(req);
	/* Decline FCGI_KEEP_CONN: see the comment at the top of the file. */
	FCGX_Free(req, 1);
	pt_arena_reset(a);
	return 1;
}

static _Noreturn void
worker_main(const struct pt_config *cfg, int fd, unsigned int gen,
    pid_t master)
{
	struct sigaction	 sa;
	sigset_t		 block, waitmask;
	struct pollfd		 pfd = { fd, POLLIN, 0 };
	FCGX_Request		 req;
	struct pt_arena		*a;
	struct pt_db		*db;
	unsigned long		 served = 0;
	size_t			 i;
	int			 rc, drained;

	/* A worker must not outlive its master. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_worker_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_SETMASK, &block, NULL);
	sigemptyset(&waitmask);
	if (getppid() != master)
		_exit(0);	/* the master died before PDEATHSIG was set */

	if (load_views(cfg) != PT_OK) {
		pt_log(PT_LOG_ERR, "worker: stylesheets failed to load; "
		    "exiting");
		_exit(2);
	}
	for (i = 0; pt_modules[i] != NULL; i++)
		if (pt_modules[i]->init != NULL &&
		    pt_modules[i]->init() != PT_OK) {
			pt_log(PT_LOG_ERR, "worker: module %s failed to "
			    "initialise; exiting", pt_modules[i]->name);
			_exit(2);
		}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, fd, 0) != 0) {
		pt_log(PT_LOG_ERR, "worker: libfcgi failed to initialise");
		_exit(2);
	}
	db = pt_db_new(cfg);
	/* A database that is down now is not fatal: requests answer 503. */
	if (pt_db_ensure(db) != PT_OK)
		pt_log(PT_LOG_WARN, "worker: database unavailable at start; "
		    "will retry per request");
	a = pt_arena_new();
	pt_log(PT_LOG_DEBUG, "worker generation %u ready", gen);

	while (!worker_stop &&
	    (cfg->max_requests == 0 || served < cfg->max_requests)) {
		rc = ppoll(&pfd, 1, NULL, &waitmask);
		if (rc == -1 && errno != EINTR) {
			pt_log(PT_LOG_ERR, "worker: poll: %s", strerror(errno));
			break;
		}
		if (worker_stop || rc <= 0)
			continue;
		if ((rc = serve_one(cfg, db, a, &req)) > 0)
			served++;
		else if (rc < 0)
			usleep(100000);	/* EMFILE and friends: do not spin */
	}

	/*
	 * Serve what is already queued on the socket before leaving, so a
	 * drain or a reload does not reset connections the web server has
	 * already handed us.  Bounded by the backlog: under steady load the
	 * queue never empties.
	 */
	if (worker_stop)
		for (drained = 0; drained < (int)cfg->listen_backlog; drained++)
			if (serve_one(cfg, db, a, &req) <= 0)
				break;

	pt_log(PT_LOG_DEBUG, "worker exiting after %lu requests%s", served,
	    worker_stop ? " (stop)" : " (recycle)");
	pt_arena_free(a);
	pt_db_free(db);
	pt_view_fini();
	_exit(0);
}

/* --------------------------------------------------------------- master */

static pid_t
spawn(struct master *m, struct worker *w)
{
	pid_t	 pid, self = getpid();

	if ((pid = fork()) == -1) {
		pt_log(PT_LOG_ERR, "fork: %s", strerror(errno));
		w->pid = 0;
		w->respawn_at = pt_mono() + 1;
		return -1;
	}
	if (pid == 0)
		worker_main(m->cfg, m->fd, m->gen, self);
	w->pid = pid;
	w->gen = m->gen;
	w->started = pt_mono();
	return pid;
}

static void
signal_old(struct master *m, int sig)
{
	size_t	 i;

	for (i = 0; i < m->nold; i++)
		kill(m->old[i], sig);
}

/* Moves the current generation to the draining list and signals it. */
static void
retire_current(struct master *m)
{
	size_t	 i;

	for (i = 0; i < MAX_WORKERS; i++) {
		if (m->cur[i].pid > 0) {
			kill(m->cur[i].pid, SIGTERM);
			if (m->nold < PT_NELEM(m->old))
				m->old[m->nold++] = m->cur[i].pid;
		}
		memset(&m->cur[i], 0, sizeof(m->cur[i]));
	}
	m->old_deadline = pt_mono() + m->cfg->drain_timeout;
}

static void
reap(struct master *m)
{
	struct worker	*w;
	pid_t		 pid;
	size_t		 i;
	double		 t = pt_mono(), delay;
	int		 status;
	bool		 clean;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < m->nold; i++)
			if (m->old[i] == pid) {
				m->old[i] = m->old[--m->nold];
				break;
			}
		for (w = NULL, i = 0; i < MAX_WORKERS; i++)
			if (m->cur[i].pid == pid)
				w = &m->cur[i];
		if (w == NULL)
			continue;
		w->pid = 0;
		clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (m->stopping)
			continue;
		if (WIFSIGNALED(status))
			pt_log(PT_LOG_WARN, "worker %ld killed by signal %d; "
			    "respawning", (long)pid, WTERMSIG(status));
		else if (!clean)
			pt_log(PT_LOG_WARN, "worker %ld exited with status "
			    "%d; respawning", (long)pid, WEXITSTATUS(status));
		if (!clean && t - w->started < YOUNG_SECONDS) {
			m->crashes++;
			delay = 100.0 * (double)(1u << (m->crashes > 9 ? 9 :
			    m->crashes - 1));
			if (delay > BACKOFF_MAX_MS)
				delay = BACKOFF_MAX_MS;
			if (m->crashes > 1)
				pt_log(PT_LOG_ERR, "workers keep dying at start "
				    "(%u in a row); next respawn in %.1f s",
				    m->crashes, delay / 1000);
			w->respawn_at = t + delay / 1000;
		} else {
			if (clean || t - w->started >= YOUNG_SECONDS)
				m->crashes = 0;
			w->respawn_at = t;
		}
	}
}

static void
respawn_due(struct master *m)
{
	size_t	 i;
	double	 t = pt_mono();

	for (i = 0; i < m->cfg->workers && i < MAX_WORKERS; i++)
		if (m->cur[i].pid == 0 && m->cur[i].respawn_at <= t)
			spawn(m, &m->cur[i]);
}

static bool
workers_alive(const struct master *m)
{
	size_t	 i;

	if (m->nold > 0)
		return true;
	for (i = 0; i < MAX_WORKERS; i++)
		if (m->cur[i].pid > 0)
			return true;
	return false;
}

/* Validates everything a worker will load; see server.h. */
int
pt_server_check(const struct pt_config *cfg)
{
	char	 err[256];
	int	 rc;

	if (pt_routes_check(pt_modules, err, sizeof(err)) != PT_OK) {
		pt_log(PT_LOG_ERR, "route table: %s", err);
		return PT_ERR;
	}
	rc = load_views(cfg);
	pt_view_fini();
	return rc;
}

static void
reload(struct master *m)
{
	struct pt_config	*ncfg;
	char			 err[512];

	pt_log(PT_LOG_INFO, "SIGHUP: reloading %s", m->path);
	if ((ncfg = pt_config_load(m->path, err, sizeof(err))) == NULL) {
		pt_log(PT_LOG_ERR, "reload refused, keeping the running "
		    "configuration: %s", err);
		return;
	}
	pt_log_setlevel(ncfg->log_level);
	if (pt_server_check(ncfg) != PT_OK) {
		pt_log(PT_LOG_ERR, "reload refused, keeping the running "
		    "configuration: the stylesheets do not load");
		pt_config_free(ncfg);
		return;
	}
	if (strcmp(ncfg->listen, m->cfg->listen) != 0)
		pt_log(PT_LOG_WARN, "reload: the listen address changes only "
		    "on restart; still listening on the old one");
	if (ncfg->workers > MAX_WORKERS)
		ncfg->workers = MAX_WORKERS;
	/* Keep the listen settings we actually hold. */
	free(ncfg->listen);
	ncfg->listen = strdup(m->cfg->listen);
	retire_current(m);
	pt_config_free(m->cfg);
	m->cfg = ncfg;
	m->gen++;
	m->crashes = 0;
	respawn_due(m);
	pt_log(PT_LOG_INFO, "reload: generation %u started with %u workers",
	    m->gen, m->cfg->workers);
}

/* Runs the master; see server.h. */
int
pt_server_run(const char *path, struct pt_config *cfg)
{
	static struct master	 master;
	struct master		*m = &master;
	struct sigaction	 sa;
	struct timespec		 ts;
	sigset_t		 sigs;
	double			 t, wake;
	size_t			 i;
	int			 sig, status = 0;

	m->path = path;
	m->cfg = cfg;
	m->gen = 1;
	if (m->cfg->workers > MAX_WORKERS)
		m->cfg->workers = MAX_WORKERS;

	if (pt_server_check(cfg) != PT_OK)
		return 1;
	if ((m->fd = open_listener(m)) == -1)
		return 1;

	/*
	 * The master waits for signals synchronously: blocked, then taken
	 * with sigtimedwait().  SIGCHLD needs a handler, or it may be
	 * discarded rather than left pending.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGQUIT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);

	pt_log(PT_LOG_INFO, "portico master %ld starting %u workers",
	    (long)getpid(), m->cfg->workers);
	respawn_due(m);

	for (;;) {
		t = pt_mono();
		wake = t + 1;
		for (i = 0; i < m->cfg->workers && !m->stopping; i++)
			if (m->cur[i].pid == 0 && m->cur[i].respawn_at < wake)
				wake = m->cur[i].respawn_at;
		if (wake < t)
			wake = t;
		ts.tv_sec = (time_t)(wake - t);
		ts.tv_nsec = (long)((wake - t - (double)ts.tv_sec) * 1e9);

		sig = sigtimedwait(&sigs, NULL, &ts);
		switch (sig) {
		case SIGCHLD:
			reap(m);
			break;
		case SIGHUP:
			if (!m->stopping)
				reload(m);
			break;
		case SIGTERM:
		case SIGINT:
		case SIGQUIT:
			if (!m->stopping) {
				pt_log(PT_LOG_INFO, "signal %d: draining "
				    "workers (up to %u s)", sig,
				    m->cfg->drain_timeout);
				m->stopping = true;
				m->stop_deadline = pt_mono() +
				    m->cfg->drain_timeout;
				retire_current(m);
			}
			break;
		default:
			break;
		}

		t = pt_mono();
		if (m->stopping) {
			reap(m);
			if (!workers_alive(m))
				break;
			if (t >= m->stop_deadline) {
				pt_log(PT_LOG_ERR, "drain timeout: killing %zu "
				    "workers", m->nold);
				signal_old(m, SIGKILL);
				status = 1;
				while (waitpid(-1, NULL, 0) > 0)
					continue;
				break;
			}
			continue;
		}
		if (m->nold > 0 && t >= m->old_deadline) {
			pt_log(PT_LOG_WARN, "reload: %zu old workers did not "
			    "drain in time; killing them", m->nold);
			signal_old(m, SIGKILL);
			m->old_deadline = t + 3600;
		}
		respawn_due(m);
	}

	if (m->unix_path != NULL) {
		unlink(m->unix_path);
		free(m->unix_path);
	}
	close(m->fd);
	pt_log(PT_LOG_INFO, "portico master %ld stopped", (long)getpid());
	pt_config_free(m->cfg);
	return status;
}
