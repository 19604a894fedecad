/*
 * storage.h - where collateral files live: a small content-addressed store
 * (modules/collateral/storage.c).  A file is named by the SHA-256 of its
 * bytes; writers stream into a temporary object and commit it under its
 * address once complete, so a reader never sees a partial file and an
 * interrupted upload leaves nothing behind.
 *
 * The local backend keeps <storage_dir>/<aa>/<bb>/<sha256> (directories
 * 0750, files 0640).  Another backend (a shared filesystem needs none; an
 * S3-compatible store through libcurl) implements the same five calls:
 * put (begin/write/commit/abort), open, path, remove.  pt_store_path() is
 * what the web server is told to send (X-Accel-Redirect, X-Sendfile), so
 * an object-store backend would return a URI its proxy location fetches.
 */
#ifndef PT_COLLATERAL_STORAGE_H
#define PT_COLLATERAL_STORAGE_H

#include "portico.h"

/* An object being written; owned by the request's arena. */
struct pt_store_put;

/*
 * Starts a new object in the store of cfg.  Returns it, or NULL (logged,
 * errno set) if the temporary file cannot be created.  If the request
 * ends before pt_store_commit(), the temporary file is removed.
 */
struct pt_store_put *pt_store_begin(struct pt_req *);
/* Appends bytes and hashes them.  PT_OK, or PT_ERR with errno (ENOSPC). */
int		 pt_store_write(struct pt_store_put *, const char *, size_t)
		    PT_WUR;
/* Bytes written so far. */
uint64_t	 pt_store_size(const struct pt_store_put *);
/*
 * Flushes the object to stable storage and files it under its SHA-256,
 * written as 64 hex digits to sha (65 bytes).  *created is false if the
 * store already held the same bytes.  PT_OK, or PT_ERR with errno.
 */
int		 pt_store_commit(struct pt_store_put *, char sha[65],
		    bool *created) PT_WUR;
/* Forgets an object that is not committed (idempotent). */
void		 pt_store_abort(struct pt_store_put *);
/* The object's path relative to the store ("ab/cd/<sha>"); arena. */
const char	*pt_store_path(struct pt_arena *, const char *sha);
/* The object's absolute path; arena. */
const char	*pt_store_abspath(struct pt_arena *, const struct pt_config *,
		    const char *sha);
/*
 * Opens an object for reading; returns a descriptor closed with the
 * arena, or -1 with errno (ENOENT: not stored).
 */
int		 pt_store_open(struct pt_arena *, const struct pt_config *,
		    const char *sha);
/* Removes an object; PT_OK if it is gone (or never was), else PT_ERR. */
int		 pt_store_remove(const struct pt_config *, const char *sha);
/* True if sha is 64 lowercase hex digits. */
bool		 pt_store_sha_ok(const char *);

#endif /* PT_COLLATERAL_STORAGE_H */
