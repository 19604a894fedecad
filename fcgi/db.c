/*
 * db.c - the MariaDB connection of a worker (or of porticoctl).
 *
 * Everything a module sends to the server goes through a prepared
 * statement: pt_db_stmt() takes the SQL string of a module's
 * `static const char *const stmts[]`, prepares it once per connection and
 * caches the handle keyed by the string's address, so that a request binds,
 * executes and fetches without a prepare round trip.  Parameters are bound
 * by index; every result column is fetched as text into buffers sized from
 * the stored result's max_length, and pt_db_col_text() hands out arena
 * copies.  The cleanup that pt_db_stmt() registers on the arena frees the
 * stored result and returns the handle to the cache, so nothing leaks past a
 * request.
 *
 * Connection policy (pt_db_ensure): connect, read and write timeouts from
 * the config; MYSQL_OPT_RECONNECT off, because a silent reconnect would lose
 * transaction state and session settings; utf8mb4; UTC; a strict sql_mode;
 * LOAD DATA LOCAL off.  When the server goes away (CR_SERVER_LOST and
 * friends, see db_gone()), the handle and all its statements are closed and
 * pt_db_lost() turns true: the request in hand fails and the next
 * pt_db_ensure() reconnects.  A generation counter lets statements that
 * still sit in an arena notice that their handle is gone.
 *
 * Every error is logged once, here, where it is detected; callers only look
 * at the return value.  pt_db_script() is the one exception: it runs
 * migration and seed files for fcgi/migrate.c, which reports their errors
 * with the file name, so it only records them.
 *
 * API: pt_db_new/free/ensure/lost/errstr, pt_db_stmt, pt_db_bind_*,
 * pt_db_exec, pt_db_fetch, pt_db_col_*, pt_db_affected, pt_db_insert_id,
 * pt_db_begin/commit/rollback, pt_db_script (see portico.h).
 *
 * To add a session setting for every connection, edit DB_INIT_COMMAND.  To
 * add a bindable type, add a pt_db_bind_<type>() next to pt_db_bind_int()
 * and declare it in portico.h.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE: strdup and friends */
#endif

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "portico.h"

/*
 * Sent by the client library right after every (re)connect.  STRICT_ALL_
 * TABLES turns truncation and bad values into errors instead of warnings;
 * ONLY_FULL_GROUP_BY refuses ambiguous aggregates.
 */
#define DB_INIT_COMMAND \
	"SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci, time_zone = '+00:00', " \
	"sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO," \
	"NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION," \
	"ONLY_FULL_GROUP_BY'"

/* Result buffers start at least this large; numbers and dates fit. */
#define DB_COL_MIN	64
#define DB_CACHE_MIN	64	/* slots; a power of two */
/* Times an autocommit statement is run again after a deadlock. */
#define DB_DEADLOCK_TRIES	3

/* One prepared handle of the cache. */
struct pt_dbslot {
	const char	*sql;
	MYSQL_STMT	*st;
	bool		 inuse;	/* handed out to an arena */
};

struct pt_db {
	const struct pt_config	 *cfg;
	MYSQL			 *my;		/* NULL while disconnected */
	bool			  lost;
	bool			  in_txn;
	unsigned long		  gen;		/* bumped when handles close */
	unsigned long		  execs;	/* statements executed */
	struct pt_dbslot	**slots;	/* open addressing by sql */
	size_t			  nslots;
	size_t			  used;
	char			  err[512];
};

/* One use of a prepared handle, living in a request's arena. */
struct pt_stmt {
	struct pt_db		*db;
	struct pt_dbslot	*slot;
	unsigned long		 gen;
	struct pt_arena		*arena;
	const char		*sql;
	MYSQL_STMT		*st;

	unsigned int		 nparams;
	MYSQL_BIND		*params;
	long long		*ints;
	unsigned long		*plens;
	bool			*bound;

	unsigned int		 ncols;
	unsigned int		 colcap;	/* entries allocated below */
	MYSQL_BIND		*cols;
	unsigned long		*clens;
	my_bool			*cnull;
	my_bool			*cerr;
	size_t			*ccap;		/* buffer size - 1 */

	bool			 bad;		/* a bind was out of range */
	bool			 failed;	/* last call ended in error */
	bool			 has_result;
	bool			 has_row;
};

/* Errors after which the connection cannot be used again. */
static bool
db_gone(unsigned int err)
{
	switch (err) {
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_IPSOCK_ERROR:
	case CR_UNKNOWN_HOST:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_SERVER_SHUTDOWN:
	case ER_CONNECTION_KILLED:
	case ER_NET_READ_ERROR:
	case ER_NET_READ_INTERRUPTED:
	case ER_NET_ERROR_ON_WRITE:
	case ER_NET_WRITE_INTERRUPTED:
	case ER_NET_PACKETS_OUT_OF_ORDER:
#ifdef ER_CLIENT_INTERACTION_TIMEOUT
	case ER_CLIENT_INTERACTION_TIMEOUT:
#endif
		return true;
	default:
		return false;
	}
}

/* Closes every cached handle; statements in arenas see gen change. */
static void
db_cache_drop(struct pt_db *db)
{
	size_t i;

	for (i = 0; i < db->nslots; i++) {
		if (db->slots[i] == NULL)
			continue;
		mysql_stmt_close(db->slots[i]->st);
		free(db->slots[i]);
		db->slots[i] = NULL;
	}
	db->used = 0;
	db->gen++;
}

/* Closes the connection after the server went away or on free. */
static void
db_close(struct pt_db *db)
{
	db_cache_drop(db);
	if (db->my != NULL) {
		mysql_close(db->my);
		db->my = NULL;
	}
	db->in_txn = false;
}

/*
 * Records and logs an error seen on the connection or a statement; if it
 * means the server is gone, closes the handle and marks the db lost.
 */
static void
db_fail(struct pt_db *db, unsigned int code, const char *msg,
    const char *what, const char *sql, bool log)
{
	snprintf(db->err, sizeof(db->err), "%s", msg);
	if (log) {
		if (sql != NULL)
			pt_log(PT_LOG_ERR, "db: %s failed: %s (%u) [%.80s]",
			    what, msg, code, sql);
		else
			pt_log(PT_LOG_ERR, "db: %s failed: %s (%u)", what, msg,
			    code);
	}
	if (db_gone(code) && db->my != NULL) {
		pt_log(PT_LOG_WARN, "db: connection lost; will reconnect on "
		    "the next request");
		db_close(db);
		db->lost = true;
	}
}

/* A statement call failed: record, log and maybe drop the connection. */
static void
stmt_fail(struct pt_stmt *s, const char *what)
{
	char msg[sizeof(s->db->err)];
	unsigned int code;

	s->failed = true;
	code = mysql_stmt_errno(s->st);
	snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(s->st));
	if (code == 0) {
		code = mysql_errno(s->db->my);
		snprintf(msg, sizeof(msg), "%s", mysql_error(s->db->my));
	}
	db_fail(s->db, code, msg, what, s->sql, true);
}

/* A programming error in the caller, e.g. a bind past the last '?'. */
static void
stmt_misuse(struct pt_stmt *s, const char *msg)
{
	snprintf(s->db->err, sizeof(s->db->err), "%s", msg);
	pt_log(PT_LOG_ERR, "db: %s [%.80s]", msg, s->sql);
	s->bad = true;
}

/* The handle is still the one this statement was prepared on. */
static bool
stmt_live(struct pt_stmt *s)
{
	if (s->gen == s->db->gen && s->db->my != NULL)
		return true;
	snprintf(s->db->err, sizeof(s->db->err), "the database connection "
	    "was lost");
	return false;
}

/*
 * Allocates a new connection object for cfg, which must outlive it.  Does
 * not connect: pt_db_ensure() does, after fork.  The result is malloc-owned;
 * free it with pt_db_free() after every arena that used it has been reset.
 */
struct pt_db *
pt_db_new(const struct pt_config *cfg)
{
	struct pt_db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		abort();
	db->cfg = cfg;
	return db;
}

/* Closes the connection and its statements and frees db. */
void
pt_db_free(struct pt_db *db)
{
	if (db == NULL)
		return;
	db_close(db);
	free(db->slots);
	free(db);
}

/*
 * Between requests a connection has nothing to read, so a readable socket
 * means the server closed it (a restart, wait_timeout, KILL), possibly
 * after sending an error packet.  One poll() and no round trip: cheap
 * enough for every request, and it lets the first request after a database
 * restart succeed instead of failing on a dead handle.
 */
static bool
db_socket_dead(MYSQL *my)
{
	struct pollfd	 pfd;

	pfd.fd = (int)mysql_get_socket(my);
	pfd.events = POLLIN;
	pfd.revents = 0;
	return pfd.fd < 0 || poll(&pfd, 1, 0) != 0;
}

/*
 * Connects if not connected, or reconnects if the server closed an idle
 * connection.  Returns PT_OK, or PT_ERR (logged, and pt_db_lost() true)
 * when the server cannot be reached.  A server that dies during a request
 * is noticed by the statement that fails; that request answers 503 and the
 * next one reconnects here.
 */
int
pt_db_ensure(struct pt_db *db)
{
	const struct pt_config *cfg = db->cfg;
	const char *host, *sock;
	unsigned int zero = 0;
	my_bool off = 0;
	MYSQL *my;

	if (db->my != NULL) {
		if (db->in_txn || !db_socket_dead(db->my))
			return PT_OK;
		pt_log(PT_LOG_WARN, "db: the server closed the connection; "
		    "reconnecting");
		db_close(db);
	}
	if ((my = mysql_init(NULL)) == NULL)
		abort();
	mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &cfg->db_connect_timeout);
	mysql_options(my, MYSQL_OPT_READ_TIMEOUT, &cfg->db_read_timeout);
	mysql_options(my, MYSQL_OPT_WRITE_TIMEOUT, &cfg->db_write_timeout);
	mysql_options(my, MYSQL_OPT_RECONNECT, &off);
	mysql_options(my, MYSQL_OPT_LOCAL_INFILE, &zero);
	mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(my, MYSQL_INIT_COMMAND, DB_INIT_COMMAND);

	host = cfg->db_host[0] != '\0' ? cfg->db_host : NULL;
	sock = cfg->db_socket[0] != '\0' ? cfg->db_socket : NULL;
	if (mysql_real_connect(my, host, cfg->db_user, cfg->db_password,
	    cfg->db_name, cfg->db_port, sock, 0) == NULL) {
		snprintf(db->err, sizeof(db->err), "%s", mysql_error(my));
		pt_log(PT_LOG_ERR, "db: cannot connect to database '%s' on %s: "
		    "%s", cfg->db_name, sock != NULL ? sock :
		    host != NULL ? host : "localhost", db->err);
		mysql_close(my);
		db->lost = true;
		return PT_ERR;
	}
	db->my = my;
	db->lost = false;
	db->in_txn = false;
	db->err[0] = '\0';
	pt_log(PT_LOG_DEBUG, "db: connected to '%s' (server %s)", cfg->db_name,
	    mysql_get_server_info(my));
	return PT_OK;
}

/* True once the server has gone away; cleared by a successful connect. */
bool
pt_db_lost(const struct pt_db *db)
{
	return db->lost;
}

/* Text of the last error on db, "" if none; owned by db. */
const char *
pt_db_errstr(const struct pt_db *db)
{
	return db->err;
}

static size_t
cache_hash(const char *sql, size_t nslots)
{
	uintptr_t h = (uintptr_t)sql;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 7) & (nslots - 1);
}

static void
cache_insert(struct pt_dbslot **slots, size_t nslots, struct pt_dbslot *sl)
{
	size_t i;

	for (i = cache_hash(sl->sql, nslots); slots[i] != NULL;
	    i = (i + 1) & (nslots - 1))
		;
	slots[i] = sl;
}

/*
 * A cached handle for sql that no arena holds, or NULL.  The same SQL may
 * have several handles when it is used twice at once (a statement run
 * while another result of it is still being read).
 */
static struct pt_dbslot *
cache_find(struct pt_db *db, const char *sql)
{
	size_t i;

	if (db->nslots == 0)
		return NULL;
	for (i = cache_hash(sql, db->nslots); db->slots[i] != NULL;
	    i = (i + 1) & (db->nslots - 1))
		if (db->slots[i]->sql == sql && !db->slots[i]->inuse)
			return db->slots[i];
	return NULL;
}

static struct pt_dbslot *
cache_add(struct pt_db *db, const char *sql, MYSQL_STMT *st)
{
	struct pt_dbslot **slots, *sl;
	size_t i, n;

	if ((db->used + 1) * 2 > db->nslots) {
		n = db->nslots == 0 ? DB_CACHE_MIN : db->nslots * 2;
		if ((slots = calloc(n, sizeof(*slots))) == NULL)
			abort();
		for (i = 0; i < db->nslots; i++)
			if (db->slots[i] != NULL)
				cache_insert(slots, n, db->slots[i]);
		free(db->slots);
		db->slots = slots;
		db->nslots = n;
	}
	if ((sl = calloc(1, sizeof(*sl))) == NULL)
		abort();
	sl->sql = sql;
	sl->st = st;
	cache_insert(db->slots, db->nslots, sl);
	db->used++;
	return sl;
}

/*
 * The arena cleanup of a statement: drops its stored result and gives the
 * handle back to the cache.  Everything lives client-side after
 * mysql_stmt_store_result(), so this costs no round trip; only a statement
 * whose last call failed is reset on the server as well.
 */
static void
stmt_release(void *arg)
{
	struct pt_stmt *s = arg;

	if (s->gen != s->db->gen)
		return;		/* the handle went with the connection */
	if (s->has_result)
		mysql_stmt_free_result(s->st);
	if (s->failed && mysql_stmt_reset(s->st) != 0)
		db_fail(s->db, mysql_stmt_errno(s->st), mysql_stmt_error(s->st),
		    "reset", s->sql, true);
	s->has_result = false;
	s->slot->inuse = false;
}

/*
 * Returns the prepared statement for sql, ready for binding, or NULL on
 * error (logged; pt_db_errstr() has the text).  sql must be a string with
 * static storage: its address is the cache key.  The result is owned by
 * arena and released when it is reset.
 */
struct pt_stmt *
pt_db_stmt(struct pt_db *db, struct pt_arena *arena, const char *sql)
{
	struct pt_dbslot *sl;
	struct pt_stmt *s;
	MYSQL_STMT *st;
	my_bool on = 1;
	unsigned int code;
	char msg[sizeof(db->err)];

	if (db == NULL || db->my == NULL) {
		if (db != NULL)
			snprintf(db->err, sizeof(db->err), "not connected to "
			    "the database");
		pt_log(PT_LOG_ERR, "db: statement without a connection "
		    "[%.80s]", sql);
		return NULL;
	}
	if ((sl = cache_find(db, sql)) == NULL) {
		if ((st = mysql_stmt_init(db->my)) == NULL)
			abort();
		mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
		if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
			code = mysql_stmt_errno(st);
			snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
			mysql_stmt_close(st);
			db_fail(db, code, msg, "prepare", sql, true);
			return NULL;
		}
		sl = cache_add(db, sql, st);
	}
	sl->inuse = true;

	s = pt_alloc(arena, sizeof(*s));
	s->db = db;
	s->slot = sl;
	s->gen = db->gen;
	s->arena = arena;
	s->sql = sql;
	s->st = sl->st;
	s->nparams = (unsigned int)mysql_stmt_param_count(sl->st);
	if (s->nparams > 0) {
		s->params = pt_alloc(arena, s->nparams * sizeof(*s->params));
		s->ints = pt_alloc(arena, s->nparams * sizeof(*s->ints));
		s->plens = pt_alloc(arena, s->nparams * sizeof(*s->plens));
		s->bound = pt_alloc(arena, s->nparams * sizeof(*s->bound));
	}
	pt_arena_cleanup(arena, stmt_release, s);
	return s;
}

static MYSQL_BIND *
stmt_param(struct pt_stmt *s, unsigned int i)
{
	char msg[96];

	if (i >= s->nparams) {
		snprintf(msg, sizeof(msg), "parameter %u bound, but the "
		    "statement has %u", i, s->nparams);
		stmt_misuse(s, msg);
		return NULL;
	}
	s->bound[i] = true;
	memset(&s->params[i], 0, sizeof(s->params[i]));
	return &s->params[i];
}

/* Binds parameter i (from 0) to v.  Allocates nothing. */
void
pt_db_bind_int(struct pt_stmt *s, unsigned int i, int64_t v)
{
	MYSQL_BIND *b;

	if (s == NULL || (b = stmt_param(s, i)) == NULL)
		return;
	s->ints[i] = v;
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = &s->ints[i];
}

/*
 * Binds parameter i to a copy of text in the statement's arena, so the
 * caller's buffer may go away before pt_db_exec().  NULL binds SQL NULL.
 */
void
pt_db_bind_text(struct pt_stmt *s, unsigned int i, const char *text)
{
	MYSQL_BIND *b;

	if (text == NULL) {
		pt_db_bind_null(s, i);
		return;
	}
	if (s == NULL || (b = stmt_param(s, i)) == NULL)
		return;
	s->plens[i] = (unsigned long)strlen(text);
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = pt_strndup(s->arena, text, s->plens[i]);
	b->buffer_length = s->plens[i];
	b->length = &s->plens[i];
}

/* Binds parameter i to SQL NULL. */
void
pt_db_bind_null(struct pt_stmt *s, unsigned int i)
{
	MYSQL_BIND *b;

	if (s == NULL || (b = stmt_param(s, i)) == NULL)
		return;
	b->buffer_type = MYSQL_TYPE_NULL;
}

/* (Re)allocates the text buffers for the columns of a stored result. */
static void
stmt_bind_cols(struct pt_stmt *s, MYSQL_FIELD *fields)
{
	struct pt_arena *a = s->arena;
	size_t need;
	unsigned int i;

	if (s->ncols > s->colcap) {
		s->cols = pt_alloc(a, s->ncols * sizeof(*s->cols));
		s->clens = pt_alloc(a, s->ncols * sizeof(*s->clens));
		s->cnull = pt_alloc(a, s->ncols * sizeof(*s->cnull));
		s->cerr = pt_alloc(a, s->ncols * sizeof(*s->cerr));
		s->ccap = pt_alloc(a, s->ncols * sizeof(*s->ccap));
		s->colcap = s->ncols;
	}
	for (i = 0; i < s->ncols; i++) {
		need = fields[i].max_length;
		if (need < DB_COL_MIN)
			need = DB_COL_MIN;
		if (s->cols[i].buffer == NULL || s->ccap[i] < need) {
			s->cols[i].buffer = pt_alloc(a, need + 1);
			s->ccap[i] = need;
		}
		s->cols[i].buffer_type = MYSQL_TYPE_STRING;
		s->cols[i].buffer_length = (unsigned long)s->ccap[i] + 1;
		s->cols[i].length = &s->clens[i];
		s->cols[i].is_null = &s->cnull[i];
		s->cols[i].error = &s->cerr[i];
	}
}

/*
 * Executes s with its bound parameters; a result set is stored
 * client-side.  May be called again on the same s with new bindings.
 * Returns PT_OK or PT_ERR (logged).
 */
unsigned long
pt_db_exec_count(const struct pt_db *db)
{
	return db != NULL ? db->execs : 0;
}

int
pt_db_exec(struct pt_stmt *s)
{
	MYSQL_RES *meta;
	unsigned int i;
	int tries;
	char msg[64];

	if (s == NULL)
		return PT_ERR;
	if (s->bad || !stmt_live(s))
		return PT_ERR;
	for (i = 0; i < s->nparams; i++)
		if (!s->bound[i]) {
			snprintf(msg, sizeof(msg), "parameter %u is not bound",
			    i);
			stmt_misuse(s, msg);
			return PT_ERR;
		}
	if (s->has_result) {
		mysql_stmt_free_result(s->st);
		s->has_result = false;
	}
	s->has_row = false;
	s->failed = false;
	s->db->execs++;
	if (s->nparams > 0 && mysql_stmt_bind_param(s->st, s->params) != 0) {
		stmt_fail(s, "bind");
		return PT_ERR;
	}
	for (tries = 0; mysql_stmt_execute(s->st) != 0; tries++) {
		/*
		 * A deadlock rolls back the transaction it happens in.  Outside
		 * an explicit transaction that is this one statement, so
		 * running it again is safe and is what the server asks for;
		 * inside one, everything before it is gone too and only the
		 * caller can decide.
		 */
		if (!s->db->in_txn && tries < DB_DEADLOCK_TRIES &&
		    mysql_stmt_errno(s->st) == ER_LOCK_DEADLOCK) {
			pt_log(PT_LOG_INFO, "db: deadlock, running the "
			    "statement again [%.80s]", s->sql);
			usleep(5000u * (unsigned int)(tries + 1));
			continue;
		}
		stmt_fail(s, "execute");
		return PT_ERR;
	}
	s->ncols = mysql_stmt_field_count(s->st);
	if (s->ncols == 0)
		return PT_OK;
	if (mysql_stmt_store_result(s->st) != 0) {
		stmt_fail(s, "store result");
		return PT_ERR;
	}
	s->has_result = true;
	if ((meta = mysql_stmt_result_metadata(s->st)) == NULL) {
		stmt_fail(s, "result metadata");
		return PT_ERR;
	}
	stmt_bind_cols(s, mysql_fetch_fields(meta));
	mysql_free_result(meta);
	if (mysql_stmt_bind_result(s->st, s->cols) != 0) {
		stmt_fail(s, "bind result");
		return PT_ERR;
	}
	return PT_OK;
}

/* Refetches the columns that did not fit their buffer. */
static int
stmt_refetch(struct pt_stmt *s)
{
	unsigned int i;

	for (i = 0; i < s->ncols; i++) {
		if (!s->cerr[i] || s->clens[i] <= s->ccap[i])
			continue;
		s->ccap[i] = s->clens[i];
		s->cols[i].buffer = pt_alloc(s->arena, s->ccap[i] + 1);
		s->cols[i].buffer_length = (unsigned long)s->ccap[i] + 1;
		if (mysql_stmt_fetch_column(s->st, &s->cols[i], i, 0) != 0) {
			stmt_fail(s, "fetch column");
			return PT_ERR;
		}
	}
	if (mysql_stmt_bind_result(s->st, s->cols) != 0) {
		stmt_fail(s, "bind result");
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * Moves to the next row of the stored result.  Returns PT_OK with a row,
 * PT_DECLINED after the last one, PT_ERR on error (logged).
 */
int
pt_db_fetch(struct pt_stmt *s)
{
	unsigned int i;
	int rc;

	if (s == NULL || !stmt_live(s))
		return PT_ERR;
	s->has_row = false;
	if (!s->has_result) {
		stmt_misuse(s, "fetch without a result set");
		return PT_ERR;
	}
	rc = mysql_stmt_fetch(s->st);
	if (rc == MYSQL_NO_DATA)
		return PT_DECLINED;
	if (rc == MYSQL_DATA_TRUNCATED) {
		if (stmt_refetch(s) != PT_OK)
			return PT_ERR;
	} else if (rc != 0) {
		stmt_fail(s, "fetch");
		return PT_ERR;
	}
	for (i = 0; i < s->ncols; i++)
		if (!s->cnull[i])
			((char *)s->cols[i].buffer)[s->clens[i]] = '\0';
	s->has_row = true;
	return PT_OK;
}

static bool
stmt_col_ok(struct pt_stmt *s, unsigned int i)
{
	char msg[96];

	if (s == NULL || !s->has_row || s->gen != s->db->gen)
		return false;
	if (i >= s->ncols) {
		snprintf(msg, sizeof(msg), "column %u read, but the result "
		    "has %u", i, s->ncols);
		stmt_misuse(s, msg);
		return false;
	}
	return true;
}

/* True if column i of the current row is NULL (or there is no row). */
bool
pt_db_col_null(struct pt_stmt *s, unsigned int i)
{
	return !stmt_col_ok(s, i) || s->cnull[i];
}

/* Column i as an integer; 0 for NULL or text that is not a number. */
int64_t
pt_db_col_int(struct pt_stmt *s, unsigned int i)
{
	if (pt_db_col_null(s, i))
		return 0;
	return strtoll(s->cols[i].buffer, NULL, 10);
}

/*
 * Column i of the current row as a NUL-terminated copy in the statement's
 * arena, valid after later fetches; "" for NULL.
 */
const char *
pt_db_col_text(struct pt_stmt *s, unsigned int i)
{
	if (pt_db_col_null(s, i))
		return "";
	return pt_strndup(s->arena, s->cols[i].buffer, s->clens[i]);
}

/* Rows changed by the last pt_db_exec() (found, for a SELECT). */
uint64_t
pt_db_affected(struct pt_stmt *s)
{
	if (s == NULL || s->gen != s->db->gen)
		return 0;
	return (uint64_t)mysql_stmt_affected_rows(s->st);
}

/* The AUTO_INCREMENT value the last INSERT generated, or 0. */
uint64_t
pt_db_insert_id(struct pt_stmt *s)
{
	if (s == NULL || s->gen != s->db->gen)
		return 0;
	return (uint64_t)mysql_stmt_insert_id(s->st);
}

/* Errors of calls on the connection itself (autocommit, commit, ...). */
static void
db_conn_fail(struct pt_db *db, const char *what)
{
	char msg[sizeof(db->err)];

	snprintf(msg, sizeof(msg), "%s", mysql_error(db->my));
	db_fail(db, mysql_errno(db->my), msg, what, NULL, true);
}

/*
 * Starts a transaction: autocommit off until pt_db_commit() or
 * pt_db_rollback(), which every caller must reach.  PT_OK or PT_ERR.
 */
int
pt_db_begin(struct pt_db *db)
{
	if (db->my == NULL) {
		snprintf(db->err, sizeof(db->err), "not connected to the "
		    "database");
		pt_log(PT_LOG_ERR, "db: begin without a connection");
		return PT_ERR;
	}
	if (db->in_txn) {
		snprintf(db->err, sizeof(db->err), "already in a transaction");
		pt_log(PT_LOG_ERR, "db: begin inside a transaction");
		return PT_ERR;
	}
	if (mysql_autocommit(db->my, 0) != 0) {
		db_conn_fail(db, "begin");
		return PT_ERR;
	}
	db->in_txn = true;
	return PT_OK;
}

/*
 * Commits the transaction and turns autocommit back on.  On failure the
 * transaction is rolled back.  PT_OK or PT_ERR (logged).
 */
int
pt_db_commit(struct pt_db *db)
{
	if (db->my == NULL || !db->in_txn) {
		snprintf(db->err, sizeof(db->err), db->my == NULL ?
		    "the database connection was lost" :
		    "commit without a transaction");
		pt_log(PT_LOG_ERR, "db: commit: %s", db->err);
		return PT_ERR;
	}
	if (mysql_commit(db->my) != 0) {
		db_conn_fail(db, "commit");
		pt_db_rollback(db);
		return PT_ERR;
	}
	db->in_txn = false;
	if (mysql_autocommit(db->my, 1) != 0) {
		db_conn_fail(db, "autocommit");
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * Rolls back the transaction, if any, and turns autocommit back on.  A lost
 * connection has rolled back already.  Errors are logged.
 */
void
pt_db_rollback(struct pt_db *db)
{
	if (db->my == NULL || !db->in_txn)
		return;
	db->in_txn = false;
	if (mysql_rollback(db->my) != 0) {
		db_conn_fail(db, "rollback");
		if (db->my == NULL)
			return;
	}
	if (mysql_autocommit(db->my, 1) != 0)
		db_conn_fail(db, "autocommit");
}

/*
 * For fcgi/migrate.c only: runs the statements in sql[0..len), separated
 * by ';', as one multi-statement query, discarding any result sets.
 * Multi-statement mode is switched on for this call alone, so that no
 * other SQL on the connection can ever smuggle in a second statement.  The
 * server stops at the first failing statement.  Returns PT_OK, or PT_ERR
 * with the server's message in err and pt_db_errstr(); the caller reports
 * it (only a lost connection is logged here).
 */
int
pt_db_script(struct pt_db *db, const char *sql, size_t len, char *err,
    size_t errlen)
{
	MYSQL_RES *res;
	unsigned int code = 0;
	int rc = PT_ERR, next;

	if (db->my == NULL) {
		snprintf(db->err, sizeof(db->err), "not connected to the "
		    "database");
		snprintf(err, errlen, "%s", db->err);
		return PT_ERR;
	}
	if (mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON)) {
		code = mysql_errno(db->my);
		goto fail;
	}
	if (mysql_real_query(db->my, sql, (unsigned long)len) != 0) {
		code = mysql_errno(db->my);
		/* A file of comments only is not an error. */
		if (code != ER_EMPTY_QUERY)
			goto fail;
		code = 0;
	}
	for (;;) {
		if ((res = mysql_store_result(db->my)) != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(db->my) != 0) {
			code = mysql_errno(db->my);
			goto fail;
		}
		if ((next = mysql_next_result(db->my)) == -1)
			break;
		if (next > 0) {
			code = mysql_errno(db->my);
			goto fail;
		}
	}
	rc = PT_OK;
fail:
	if (rc != PT_OK) {
		snprintf(err, errlen, "%s", mysql_error(db->my));
		snprintf(db->err, sizeof(db->err), "%s", err);
		db_fail(db, code, err, "script", NULL, db_gone(code));
		if (db->my == NULL)
			return PT_ERR;
	}
	if (mysql_set_server_option(db->my,
	    MYSQL_OPTION_MULTI_STATEMENTS_OFF) != 0) {
		if (rc == PT_OK) {
			snprintf(err, errlen, "%s", mysql_error(db->my));
			db_conn_fail(db, "multi-statements off");
		}
		return PT_ERR;
	}
	return rc;
}
