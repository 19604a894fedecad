/*
 * hello.c - the benchmark's baseline: a bare libfcgi responder that answers
 * every request with the same bytes, read once from a file at start.
 *
 * bench/run captures what portico answers for "/" (the CGI headers it
 * writes, a blank line, then the body) into a file and starts hello on it,
 * so that nginx forwards identical responses from both, and the difference
 * in throughput is what portico does per request: routing, the database,
 * the XML tree, the XSLT transform and its logging.  hello runs under the
 * same process model as portico (a master that forks N workers sharing one
 * listening socket, one request per connection), so only the work differs.
 *
 * Usage: hello [-w WORKERS] [-s SOCKET] RESPONSE_FILE
 *   -w  number of worker processes (default 2, as the benchmark's portico)
 *   -s  unix socket path to listen on, mode 0666; without it the listening
 *       socket is inherited on fd 0, as under spawn-fcgi
 *
 * SIGTERM or SIGINT to the master stops the workers and removes the socket.
 * If a worker dies the master stops the rest and exits 1: a baseline that
 * lost a worker would measure nothing useful.
 *
 * This is a measuring tool, not part of Portico: it links libfcgi only, and
 * no Portico code, on purpose.  To change what it serves, change the file
 * bench/run writes; to add an option, add it to getopt() and usage().
 */
#include "config.h"	/* _GNU_SOURCE: strcasestr() */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#define HELLO_MAX_WORKERS	64
#define HELLO_MAX_RESPONSE	(16 * 1024 * 1024)

/* The response every request gets, headers included. */
struct response {
	char	*buf;
	size_t	 len;
};

static void
usage(void)
{
	fprintf(stderr, "usage: hello [-w WORKERS] [-s SOCKET] "
	    "RESPONSE_FILE\n");
	exit(2);
}

/*
 * Reads the whole file and checks that it looks like a CGI response: a
 * header block with a Content-Type, then an empty line.  Exits on error:
 * this runs once, before any worker exists.
 */
static void
load_response(const char *path, struct response *resp)
{
	struct stat	 st;
	const char	*p;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		fprintf(stderr, "hello: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (st.st_size <= 0 || st.st_size > HELLO_MAX_RESPONSE) {
		fprintf(stderr, "hello: %s: empty or larger than %d bytes\n",
		    path, HELLO_MAX_RESPONSE);
		exit(1);
	}
	resp->len = (size_t)st.st_size;
	if ((resp->buf = malloc(resp->len + 1)) == NULL)
		abort();
	while (off < resp->len) {
		n = read(fd, resp->buf + off, resp->len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "hello: %s: short read\n", path);
			exit(1);
		}
		off += (size_t)n;
	}
	close(fd);
	resp->buf[resp->len] = '\0';

	/* The header block ends at the first empty line (CRLF or LF). */
	p = strstr(resp->buf, "\r\n\r\n");
	if (p == NULL)
		p = strstr(resp->buf, "\n\n");
	if (p == NULL || memchr(resp->buf, '\0', resp->len) != NULL) {
		fprintf(stderr, "hello: %s: not a CGI response (no empty line "
		    "after the headers, or a NUL byte)\n", path);
		exit(1);
	}
	if (strncasecmp(resp->buf, "Content-Type:", 13) != 0 &&
	    strcasestr(resp->buf, "\nContent-Type:") == NULL) {
		fprintf(stderr, "hello: %s: no Content-Type header\n", path);
		exit(1);
	}
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "hello: socket path too long: %s\n", path);
		exit(1);
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0666) == -1 || listen(fd, 1024) == -1) {
		fprintf(stderr, "hello: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* One worker: accept, write the fixed response, finish; forever. */
static _Noreturn void
worker(int fd, const struct response *resp)
{
	FCGX_Request	 req;
	sigset_t	 none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, fd, 0) != 0) {
		fprintf(stderr, "hello: libfcgi failed to initialise\n");
		_exit(1);
	}
	while (FCGX_Accept_r(&req) >= 0) {
		/* A client that went away is its own problem, not ours. */
		(void)FCGX_PutStr(resp->buf, (int)resp->len, req.out);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

int
main(int argc, char *argv[])
{
	struct response	 resp;
	const char	*sockpath = NULL, *errstr = NULL;
	pid_t		 pids[HELLO_MAX_WORKERS], pid;
	sigset_t	 sigs;
	long		 nworkers = 2;
	char		*end;
	int		 ch, fd, sig, i, status = 0, on = 0;
	socklen_t	 len = sizeof(on);

	while ((ch = getopt(argc, argv, "s:w:")) != -1) {
		switch (ch) {
		case 's':
			sockpath = optarg;
			break;
		case 'w':
			errno = 0;
			nworkers = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || nworkers < 1 ||
			    nworkers > HELLO_MAX_WORKERS)
				errstr = "workers must be 1 to 64";
			break;
		default:
			usage();
		}
	}
	if (errstr != NULL) {
		fprintf(stderr, "hello: %s\n", errstr);
		return 2;
	}
	if (optind != argc - 1)
		usage();
	load_response(argv[optind], &resp);

	if (sockpath != NULL)
		fd = listen_unix(sockpath);
	else {
		fd = 0;
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == -1 ||
		    !on) {
			fprintf(stderr, "hello: no -s and fd 0 is not a "
			    "listening socket\n");
			return 1;
		}
	}

	/* Block before forking so that no signal is lost in between. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGCHLD, SIG_DFL);

	for (i = 0; i < nworkers; i++) {
		if ((pids[i] = fork()) == -1) {
			fprintf(stderr, "hello: fork: %s\n", strerror(errno));
			nworkers = i;
			status = 1;
			break;
		}
		if (pids[i] == 0)
			worker(fd, &resp);
	}
	if (status == 0) {
		fprintf(stderr, "hello: %ld workers serving %zu bytes\n",
		    nworkers, resp.len);
		while (sigwait(&sigs, &sig) == 0 && sig == SIGCHLD)
			if ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
				fprintf(stderr, "hello: worker %ld died; "
				    "stopping\n", (long)pid);
				status = 1;
				break;
			}
	}
	for (i = 0; i < nworkers; i++)
		kill(pids[i], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		continue;
	if (sockpath != NULL)
		unlink(sockpath);
	free(resp.buf);
	return status;
}
