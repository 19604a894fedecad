/*
 * demo.c - the demo data's collateral library, loaded by `porticoctl
 * seed-demo` (pt_coll_seed_demo in collateral.h).
 *
 * The demo's files are real files kept in <sql_dir>/demo/collateral/
 * (installed by modules/collateral/demo.mk).  Each goes into the store
 * exactly as an upload does: through the storage API (storage.h), named by
 * its SHA-256, its content type decided by pt_coll_sniff() and its name by
 * pt_coll_filename().  What the store answered is listed in the session's
 * temporary table demo_collateral_files; then items.sql of that directory
 * makes the items, versions, segments, tags and targets from it, so no
 * hash is ever written by hand.  Both steps are idempotent: the store
 * keeps one file per hash, items.sql finds its rows by their keys.
 *
 * Without a writable store the library is left out, with a message that
 * says so; the rest of the demo data is loaded by then.
 *
 * To add a demo file: put it in sql/demo/collateral/, list it in demo.mk,
 * and give it an item or a version in items.sql (by its file name).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "portico.h"
#include "collateral.h"
#include "storage.h"

enum {
	STMT_FILES_CREATE,
	STMT_FILES_ADD,
	STMT_FILES_DROP,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_FILES_CREATE] = "CREATE TEMPORARY TABLE IF NOT EXISTS "
	    "demo_collateral_files (name VARCHAR(255) NOT NULL PRIMARY KEY, "
	    "sha256 CHAR(64) CHARACTER SET ascii NOT NULL, "
	    "size BIGINT UNSIGNED NOT NULL, "
	    "content_type VARCHAR(128) CHARACTER SET ascii NOT NULL) "
	    "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
	[STMT_FILES_ADD] = "REPLACE INTO demo_collateral_files (name, sha256, "
	    "size, content_type) VALUES (?, ?, ?, ?)",
	[STMT_FILES_DROP] = "DROP TEMPORARY TABLE IF EXISTS "
	    "demo_collateral_files",
};

/* A demo file: anything in the directory but dot files and the SQL. */
static int
demo_file_filter(const struct dirent *de)
{
	size_t	 len = strlen(de->d_name);

	return de->d_name[0] != '.' && de->d_type != DT_DIR &&
	    !(len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0) &&
	    strcmp(de->d_name, "README") != 0;
}

static int
demo_exec(struct pt_db *db, struct pt_arena *a, int which)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(db, a, stmts[which])) == NULL)
		return PT_ERR;
	return pt_db_exec(st);
}

/*
 * Stores one file and lists it.  PT_OK, PT_DECLINED if the store cannot
 * be written (errno set, nothing listed), PT_ERR otherwise (said on fp).
 */
static int
demo_store(struct pt_req *r, const char *dir, const char *name, FILE *fp)
{
	struct pt_store_put	*put;
	struct pt_stmt		*st;
	const char		*ctype, *fname;
	unsigned char		 head[4096];
	char			 buf[65536], sha[65], *path;
	size_t			 headlen = 0;
	ssize_t			 n;
	bool			 created;
	int			 fd, rc = PT_ERR;

	path = pt_printf(r->arena, "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		fprintf(fp, "%s: %s\n", path, strerror(errno));
		return PT_ERR;
	}
	if ((put = pt_store_begin(r)) == NULL) {
		close(fd);
		return PT_DECLINED;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fprintf(fp, "%s: %s\n", path, strerror(errno));
			goto out;
		}
		if (headlen < sizeof(head)) {
			size_t	 k = sizeof(head) - headlen;

			if ((size_t)n < k)
				k = (size_t)n;
			memcpy(head + headlen, buf, k);
			headlen += k;
		}
		if (pt_store_write(put, buf, (size_t)n) != PT_OK) {
			rc = PT_DECLINED;
			goto out;
		}
	}
	fname = pt_coll_filename(r->arena, name);
	if ((ctype = pt_coll_sniff(head, headlen, fname)) == NULL) {
		fprintf(fp, "%s: not a type the library accepts (PDF, OOXML, "
		    "PNG, JPEG, MP4, text)\n", path);
		goto out;
	}
	if (pt_store_commit(put, sha, &created) != PT_OK) {
		rc = PT_DECLINED;
		goto out;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_FILES_ADD])) == NULL)
		goto out;
	pt_db_bind_text(st, 0, fname);
	pt_db_bind_text(st, 1, sha);
	pt_db_bind_int(st, 2, (int64_t)pt_store_size(put));
	pt_db_bind_text(st, 3, ctype);
	if (pt_db_exec(st) != PT_OK)
		goto out;
	fprintf(fp, "  %s: %s (%s)\n", fname, sha, created ? "stored" :
	    "already in the store");
	rc = PT_OK;
out:
	if (rc != PT_OK)
		pt_store_abort(put);
	close(fd);
	return rc;
}

int
pt_coll_seed_demo(const struct pt_config *cfg, struct pt_db *db, FILE *fp)
{
	struct dirent	**names = NULL;
	struct pt_req	 r;
	const char	*dir, *items;
	int		 i, n = 0, rc = PT_ERR;

	memset(&r, 0, sizeof(r));
	r.arena = pt_arena_new();
	r.cfg = cfg;
	r.db = db;
	snprintf(r.id, sizeof(r.id), "seed-demo");
	dir = pt_printf(r.arena, "%s/demo/collateral", cfg->sql_dir);
	items = pt_printf(r.arena, "%s/items.sql", dir);
	if ((n = scandir(dir, &names, demo_file_filter, alphasort)) == -1) {
		fprintf(fp, "%s: %s\n", dir, strerror(errno));
		n = 0;
		goto out;
	}
	fprintf(fp, "collateral: %d demo file%s into the store %s\n", n,
	    n == 1 ? "" : "s", cfg->collateral_storage_dir);
	if (demo_exec(db, r.arena, STMT_FILES_CREATE) != PT_OK) {
		fprintf(fp, "collateral: %s\n", pt_db_errstr(db));
		goto out;
	}
	for (i = 0; i < n; i++) {
		rc = demo_store(&r, dir, names[i]->d_name, fp);
		if (rc == PT_DECLINED) {
			fprintf(fp, "collateral: the store [collateral] "
			    "storage_dir = %s cannot be written (%s): the demo "
			    "library is NOT loaded (the rest of the demo data "
			    "is).  Make the directory writable for this user "
			    "and run seed-demo again.\n",
			    cfg->collateral_storage_dir, strerror(errno));
			goto out;
		}
		if (rc != PT_OK)
			goto out;
	}
	if ((rc = pt_db_run_file(db, items, fp)) != PT_OK)
		goto out;
	rc = PT_OK;
out:
	if (demo_exec(db, r.arena, STMT_FILES_DROP) != PT_OK && rc == PT_OK)
		rc = PT_ERR;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	pt_arena_free(r.arena);
	return rc;
}
