/*
 * migrate.c - schema migrations and SQL seed files.
 *
 * The schema is the sequence of files sql/NNNN_<what>.sql, applied in
 * order of NNNN and never edited once released (forward-only).  Each
 * applied file is recorded in schema_migrations with the SHA-256 of its
 * text, so that re-running is a no-op and a file changed after it was
 * applied shows up as "modified" in pt_migrate_status().
 *
 * Each file runs in a transaction together with the INSERT of its
 * schema_migrations row.  MariaDB commits DDL implicitly (CREATE, ALTER,
 * DROP end the transaction they run in), so a file is only atomic as far
 * as its DML goes: keep one DDL concern per file, so that a failure leaves
 * at most that concern half done, and the error names the file to fix.
 * Files must not hold their own START TRANSACTION or COMMIT.
 *
 * This file and pt_db_script() in db.c are the only places where several
 * statements travel in one query; everything else uses prepared statements.
 * Two porticoctl migrate runs against one database cannot interleave: a
 * named lock (GET_LOCK) per database serialises them, and the second finds
 * nothing left to do.
 *
 * API: pt_migrate(), pt_migrate_status(), pt_db_run_file() (portico.h).
 *
 * To add a migration, add sql/NNNN_<what>.sql with the next number and list
 * it in sql/local.mk.  To add seed data, add a file under sql/demo/ the same
 * way; porticoctl seed-demo runs them all.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE: reallocarray, strdup, O_CLOEXEC */
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "portico.h"

/* Larger SQL files are not migrations; refuse them early. */
#define MIG_FILE_MAX	(64 * 1024 * 1024)
/* How long a second migrate waits for the first, in seconds. */
#define MIG_LOCK_WAIT	600

enum {
	STMT_TABLE_EXISTS,
	STMT_CREATE_TABLE,
	STMT_LOCK,
	STMT_UNLOCK,
	STMT_APPLIED,
	STMT_RECORD,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_TABLE_EXISTS] =
	    "SELECT COUNT(*) FROM information_schema.TABLES "
	    "WHERE TABLE_SCHEMA = DATABASE() "
	    "AND TABLE_NAME = 'schema_migrations'",
	[STMT_CREATE_TABLE] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INT UNSIGNED NOT NULL PRIMARY KEY,"
	    " name VARCHAR(255) NOT NULL,"
	    " checksum CHAR(64) NOT NULL,"
	    " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
	    "COLLATE=utf8mb4_unicode_ci",
	/* Lock names are server-wide: scope ours to the database. */
	[STMT_LOCK] =
	    "SELECT GET_LOCK(LEFT(CONCAT('portico.migrate.', DATABASE()), 64), ?)",
	[STMT_UNLOCK] =
	    "SELECT RELEASE_LOCK(LEFT(CONCAT('portico.migrate.', DATABASE()), 64))",
	[STMT_APPLIED] =
	    "SELECT version, name, checksum, applied_at "
	    "FROM schema_migrations ORDER BY version",
	[STMT_RECORD] =
	    "INSERT INTO schema_migrations (version, name, checksum) "
	    "VALUES (?, ?, ?)",
};

/* A file in the migrations directory, or a row of schema_migrations. */
struct mig {
	unsigned int	 version;
	char		*name;		/* "0001_program.sql" */
	char		 sum[65];	/* hex SHA-256 */
	char		*applied_at;	/* NULL if pending */
	bool		 has_file;
	bool		 applied;
	bool		 modified;	/* applied, but the file changed */
};

struct mig_list {
	struct mig	*v;
	size_t		 n;
	size_t		 cap;
};

static void *
xrealloc(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n, size)) == NULL)
		abort();
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		abort();
	return p;
}

static void
mig_list_free(struct mig_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].applied_at);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct mig *
mig_list_add(struct mig_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xrealloc(l->v, l->cap, sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	return &l->v[l->n++];
}

static int
mig_cmp(const void *a, const void *b)
{
	const struct mig *x = a, *y = b;

	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Reads all of path into a new buffer (NUL-terminated for convenience).
 * Returns NULL with errno set.
 */
static char *
read_file(const char *path, size_t *lenp)
{
	struct stat sb;
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > MIG_FILE_MAX) {
		saved = errno;
		if (saved == 0 || sb.st_size > MIG_FILE_MAX)
			saved = S_ISREG(sb.st_mode) ? EFBIG : EINVAL;
		close(fd);
		errno = saved;
		return NULL;
	}
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL)
		abort();
	while (len < (size_t)sb.st_size) {
		n = read(fd, buf + len, (size_t)sb.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Hex SHA-256 of buf into out[65]. */
static void
sha256_hex(const char *buf, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		abort();
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

/*
 * True if name is NNNN_<what>.sql, <what> being [A-Za-z0-9_-]+; sets
 * *version.
 */
static bool
mig_name_ok(const char *name, unsigned int *version)
{
	size_t len = strlen(name), i;

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return false;
	for (i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	for (i = 5; i < len - 4; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", name[i]) == NULL)
			return false;
	*version = (unsigned int)strtoul(name, NULL, 10);
	return true;
}

/*
 * Lists the migrations of dir, sorted.  A *.sql file that is not named
 * NNNN_<what>.sql and two files with one number are errors (printed to
 * fp): a migration that is silently skipped is worse than one that fails.
 * Dot files, directories (demo/) and other names are ignored.
 */
static int
mig_scan(const char *dir, struct mig_list *out, FILE *fp)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	struct mig *m;
	unsigned int version;
	size_t len, i;
	DIR *d;
	int rc = PT_OK;

	if ((d = opendir(dir)) == NULL) {
		fprintf(fp, "%s: %s\n", dir, strerror(errno));
		return PT_ERR;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 4 ||
		    strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || stat(path, &sb) == -1 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if (!mig_name_ok(de->d_name, &version)) {
			fprintf(fp, "%s: not named NNNN_<what>.sql; rename it "
			    "or move it elsewhere\n", path);
			rc = PT_ERR;
			continue;
		}
		m = mig_list_add(out);
		m->version = version;
		m->name = xstrdup(de->d_name);
		m->has_file = true;
	}
	closedir(d);
	if (out->n > 0)
		qsort(out->v, out->n, sizeof(*out->v), mig_cmp);
	for (i = 1; i < out->n; i++)
		if (out->v[i].version == out->v[i - 1].version) {
			fprintf(fp, "%s: %s and %s have the same number\n", dir,
			    out->v[i - 1].name, out->v[i].name);
			rc = PT_ERR;
		}
	return rc;
}

/* Reads schema_migrations into out (empty if the table does not exist). */
static int
mig_applied(struct pt_db *db, struct pt_arena *a, struct mig_list *out)
{
	struct pt_stmt *s;
	struct mig *m;
	int rc;

	if ((s = pt_db_stmt(db, a, stmts[STMT_TABLE_EXISTS])) == NULL ||
	    pt_db_exec(s) != PT_OK || pt_db_fetch(s) != PT_OK)
		return PT_ERR;
	if (pt_db_col_int(s, 0) == 0)
		return PT_OK;
	if ((s = pt_db_stmt(db, a, stmts[STMT_APPLIED])) == NULL ||
	    pt_db_exec(s) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(s)) == PT_OK) {
		m = mig_list_add(out);
		m->version = (unsigned int)pt_db_col_int(s, 0);
		m->name = xstrdup(pt_db_col_text(s, 1));
		snprintf(m->sum, sizeof(m->sum), "%s", pt_db_col_text(s, 2));
		m->applied_at = xstrdup(pt_db_col_text(s, 3));
		m->applied = true;
	}
	return rc == PT_DECLINED ? PT_OK : PT_ERR;
}

/* The applied row for version, or NULL. */
static struct mig *
mig_find(struct mig_list *l, unsigned int version)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].version == version)
			return &l->v[i];
	return NULL;
}

/* Takes the per-database migration lock, waiting for another holder. */
static int
mig_lock(struct pt_db *db, struct pt_arena *a, FILE *fp)
{
	struct pt_stmt *s;
	int got;

	if ((s = pt_db_stmt(db, a, stmts[STMT_LOCK])) == NULL)
		return PT_ERR;
	pt_db_bind_int(s, 0, 0);
	if (pt_db_exec(s) != PT_OK || pt_db_fetch(s) != PT_OK)
		return PT_ERR;
	got = pt_db_col_null(s, 0) ? -1 : (int)pt_db_col_int(s, 0);
	if (got == 0) {
		fprintf(fp, "another migrate is running on this database; "
		    "waiting up to %d s\n", MIG_LOCK_WAIT);
		fflush(fp);
		pt_db_bind_int(s, 0, MIG_LOCK_WAIT);
		if (pt_db_exec(s) != PT_OK || pt_db_fetch(s) != PT_OK)
			return PT_ERR;
		got = pt_db_col_null(s, 0) ? -1 : (int)pt_db_col_int(s, 0);
	}
	if (got != 1) {
		fprintf(fp, "migrate: could not take the migration lock%s\n",
		    got == 0 ? " (timed out)" : "");
		return PT_ERR;
	}
	return PT_OK;
}

static void
mig_unlock(struct pt_db *db, struct pt_arena *a)
{
	struct pt_stmt *s;

	/* A lost connection has released the lock already. */
	if (pt_db_lost(db))
		return;
	if ((s = pt_db_stmt(db, a, stmts[STMT_UNLOCK])) != NULL &&
	    pt_db_exec(s) == PT_OK && pt_db_fetch(s) != PT_OK)
		pt_log(PT_LOG_WARN, "migrate: the migration lock was not "
		    "released; it goes with the connection");
}

/*
 * Runs sql in a transaction; with m, records m in schema_migrations in the
 * same transaction.  On error prints "<path>: <server error>" to fp.
 */
static int
run_in_txn(struct pt_db *db, struct pt_arena *a, const char *path,
    const char *sql, size_t len, const struct mig *m, FILE *fp)
{
	struct pt_stmt *s;
	char err[1024];

	if (pt_db_begin(db) != PT_OK) {
		fprintf(fp, "%s: %s\n", path, pt_db_errstr(db));
		return PT_ERR;
	}
	if (pt_db_script(db, sql, len, err, sizeof(err)) != PT_OK) {
		pt_db_rollback(db);
		fprintf(fp, "%s: %s\n", path, err);
		return PT_ERR;
	}
	if (m != NULL) {
		if ((s = pt_db_stmt(db, a, stmts[STMT_RECORD])) == NULL)
			goto fail;
		pt_db_bind_int(s, 0, m->version);
		pt_db_bind_text(s, 1, m->name);
		pt_db_bind_text(s, 2, m->sum);
		if (pt_db_exec(s) != PT_OK)
			goto fail;
	}
	if (pt_db_commit(db) != PT_OK) {
		fprintf(fp, "%s: %s\n", path, pt_db_errstr(db));
		return PT_ERR;
	}
	return PT_OK;
fail:
	fprintf(fp, "%s: recording it in schema_migrations failed: %s\n",
	    path, pt_db_errstr(db));
	pt_db_rollback(db);
	return PT_ERR;
}

/*
 * Applies the pending migrations of dir in order.  Progress and errors go
 * to fp.  Returns PT_OK when every file is applied (or already was), PT_ERR
 * at the first failure, with the earlier files applied.
 */
int
pt_migrate(struct pt_db *db, const char *dir, FILE *fp)
{
	struct mig_list files = { 0 }, applied = { 0 };
	struct pt_arena *a;
	struct pt_stmt *s;
	struct mig *m, *done;
	char path[PATH_MAX], *sql;
	size_t i, len, napplied = 0;
	int rc = PT_ERR;

	if (pt_db_ensure(db) != PT_OK) {
		fprintf(fp, "migrate: cannot connect to the database: %s\n",
		    pt_db_errstr(db));
		return PT_ERR;
	}
	if (mig_scan(dir, &files, fp) != PT_OK)
		return PT_ERR;
	a = pt_arena_new();
	if (mig_lock(db, a, fp) != PT_OK)
		goto out;
	if ((s = pt_db_stmt(db, a, stmts[STMT_CREATE_TABLE])) == NULL ||
	    pt_db_exec(s) != PT_OK || mig_applied(db, a, &applied) != PT_OK) {
		fprintf(fp, "migrate: schema_migrations: %s\n",
		    pt_db_errstr(db));
		goto unlock;
	}
	pt_arena_reset(a);

	for (i = 0; i < files.n; i++) {
		m = &files.v[i];
		snprintf(path, sizeof(path), "%s/%s", dir, m->name);
		if ((sql = read_file(path, &len)) == NULL) {
			fprintf(fp, "%s: %s\n", path, strerror(errno));
			goto unlock;
		}
		sha256_hex(sql, len, m->sum);
		if ((done = mig_find(&applied, m->version)) != NULL) {
			if (strcmp(done->sum, m->sum) != 0 ||
			    strcmp(done->name, m->name) != 0)
				fprintf(fp, "warning: %s was modified after it "
				    "was applied on %s; add a new migration "
				    "instead\n", path, done->applied_at);
			free(sql);
			continue;
		}
		fprintf(fp, "applying %s\n", m->name);
		fflush(fp);
		rc = run_in_txn(db, a, path, sql, len, m, fp);
		free(sql);
		pt_arena_reset(a);
		if (rc != PT_OK) {
			fprintf(fp, "migrate: stopped at %s; %zu applied "
			    "before it\n", m->name, napplied);
			goto unlock;
		}
		napplied++;
	}
	if (napplied == 0)
		fprintf(fp, "nothing to do: all %zu migrations are applied\n",
		    files.n);
	else
		fprintf(fp, "applied %zu migration%s\n", napplied,
		    napplied == 1 ? "" : "s");
	rc = PT_OK;
unlock:
	mig_unlock(db, a);
out:
	pt_arena_free(a);
	mig_list_free(&files);
	mig_list_free(&applied);
	return rc;
}

/*
 * Prints one line per migration, in order of version, to fp:
 *
 *	VERSION  STATE     APPLIED AT (UTC)     FILE
 *	0001     applied   2026-11-23 01:46:25  0001_program.sql
 *	0002     pending   -                    0002_organisations.sql
 *
 * STATE is applied, pending, modified (applied, but the file changed
 * since) or missing (applied, but no file has that number).  Changes
 * nothing.  Returns PT_OK, or PT_ERR if the directory or the database could
 * not be read.
 */
int
pt_migrate_status(struct pt_db *db, const char *dir, FILE *fp)
{
	struct mig_list files = { 0 }, applied = { 0 }, all = { 0 };
	struct pt_arena *a;
	struct mig *m, *f, *row;
	char path[PATH_MAX], *sql;
	const char *state;
	size_t i, len, counts[4] = { 0 };
	int rc = PT_ERR;

	if (pt_db_ensure(db) != PT_OK) {
		fprintf(fp, "status: cannot connect to the database: %s\n",
		    pt_db_errstr(db));
		return PT_ERR;
	}
	if (mig_scan(dir, &files, fp) != PT_OK)
		return PT_ERR;
	a = pt_arena_new();
	if (mig_applied(db, a, &applied) != PT_OK) {
		fprintf(fp, "status: schema_migrations: %s\n",
		    pt_db_errstr(db));
		goto out;
	}

	/* Merge: every file, plus applied versions that lost their file. */
	for (i = 0; i < files.n; i++) {
		f = &files.v[i];
		snprintf(path, sizeof(path), "%s/%s", dir, f->name);
		if ((sql = read_file(path, &len)) == NULL) {
			fprintf(fp, "%s: %s\n", path, strerror(errno));
			goto out;
		}
		sha256_hex(sql, len, f->sum);
		free(sql);
		row = mig_list_add(&all);
		row->version = f->version;
		row->name = xstrdup(f->name);
		row->has_file = true;
		if ((m = mig_find(&applied, f->version)) != NULL) {
			row->applied = true;
			row->applied_at = xstrdup(m->applied_at);
			row->modified = strcmp(m->sum, f->sum) != 0 ||
			    strcmp(m->name, f->name) != 0;
		}
	}
	for (i = 0; i < applied.n; i++) {
		m = &applied.v[i];
		if (mig_find(&files, m->version) != NULL)
			continue;
		row = mig_list_add(&all);
		row->version = m->version;
		row->name = xstrdup(m->name);
		row->applied = true;
		row->applied_at = xstrdup(m->applied_at);
	}
	if (all.n > 0)
		qsort(all.v, all.n, sizeof(*all.v), mig_cmp);

	fprintf(fp, "%-8s %-9s %-20s %s\n", "VERSION", "STATE",
	    "APPLIED AT (UTC)", "FILE");
	for (i = 0; i < all.n; i++) {
		row = &all.v[i];
		if (!row->applied) {
			state = "pending";
			counts[1]++;
		} else if (!row->has_file) {
			state = "missing";
			counts[3]++;
		} else if (row->modified) {
			state = "modified";
			counts[2]++;
		} else {
			state = "applied";
			counts[0]++;
		}
		fprintf(fp, "%04u     %-9s %-20s %s\n", row->version, state,
		    row->applied ? row->applied_at : "-", row->name);
	}
	fprintf(fp, "%zu applied, %zu pending, %zu modified, %zu missing\n",
	    counts[0] + counts[2] + counts[3], counts[1], counts[2],
	    counts[3]);
	rc = PT_OK;
out:
	pt_arena_free(a);
	mig_list_free(&files);
	mig_list_free(&applied);
	mig_list_free(&all);
	return rc;
}

/*
 * Runs every statement of the SQL file at path in one transaction (seed
 * data; the same DDL caveat as for migrations applies).  Prints the
 * outcome, or "<path>: <server error>", to fp.  Returns PT_OK or PT_ERR.
 */
int
pt_db_run_file(struct pt_db *db, const char *path, FILE *fp)
{
	struct pt_arena *a;
	char *sql;
	size_t len;
	int rc;

	if (pt_db_ensure(db) != PT_OK) {
		fprintf(fp, "%s: cannot connect to the database: %s\n", path,
		    pt_db_errstr(db));
		return PT_ERR;
	}
	if ((sql = read_file(path, &len)) == NULL) {
		fprintf(fp, "%s: %s\n", path, strerror(errno));
		return PT_ERR;
	}
	a = pt_arena_new();
	rc = run_in_txn(db, a, path, sql, len, NULL, fp);
	pt_arena_free(a);
	free(sql);
	if (rc == PT_OK)
		fprintf(fp, "%s: ok\n", path);
	return rc;
}
