/*
 * throttle.c - login throttling per account and per client address.
 *
 * The counters live in MariaDB (login_throttle), so every worker on every
 * host sees the same numbers.  Each attempt is counted BEFORE the
 * directory is asked, with one atomic upsert per key, and only then
 * compared with the limit: two workers racing on the same account cannot
 * both slip under it, which a read-then-write would allow.  Once the
 * directory has answered, the attempt is settled: a failure stays counted,
 * a success resets the account's counter (and uncounts the attempt for
 * the address, without resetting it: one good password must not clear a
 * password-spraying address), and a directory that did not answer
 * uncounts the attempt for both, since it proved nothing.
 *
 * A counter covers throttle_window seconds from its first failure; the
 * next attempt after that starts a new window.  Keys are stored as
 * SHA-256: the account key is the login lower-cased with surrounding
 * blanks removed (directories match logins that way), the address key is
 * REMOTE_ADDR as the web server gives it.
 *
 * API (auth.h): pt_throttle_begin, pt_throttle_end.  To throttle on
 * another key (a whole network, say), add a scope to the login_throttle
 * ENUM in a new migration and a bump/settle pair below.
 */
#include <ctype.h>
#include <string.h>

#include "portico.h"
#include "auth.h"

enum {
	STMT_BUMP,
	STMT_COUNT,
	STMT_UNCOUNT,
	STMT_RESET,
	STMT_PURGE,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/*
	 * Assignments run left to right: failures is computed from the old
	 * window_start, which the second assignment still sees unchanged.
	 */
	[STMT_BUMP] = "INSERT INTO login_throttle (scope, key_hash, "
	    "window_start, failures) VALUES (?, UNHEX(SHA2(?, 256)), NOW(), 1) "
	    "ON DUPLICATE KEY UPDATE "
	    "failures = IF(window_start > NOW() - INTERVAL ? SECOND, "
	    "failures + 1, 1), "
	    "window_start = IF(window_start > NOW() - INTERVAL ? SECOND, "
	    "window_start, NOW())",
	[STMT_COUNT] = "SELECT failures FROM login_throttle "
	    "WHERE scope = ? AND key_hash = UNHEX(SHA2(?, 256))",
	[STMT_UNCOUNT] = "UPDATE login_throttle SET failures = failures - 1 "
	    "WHERE scope = ? AND key_hash = UNHEX(SHA2(?, 256)) "
	    "AND failures > 0",
	[STMT_RESET] = "DELETE FROM login_throttle "
	    "WHERE scope = ? AND key_hash = UNHEX(SHA2(?, 256))",
	/* Bounded, so that no sign-in pays for a big clean-up. */
	[STMT_PURGE] = "DELETE FROM login_throttle "
	    "WHERE window_start < NOW() - INTERVAL ? SECOND LIMIT 100",
};

/* The account key: lower-case ASCII, no surrounding blanks. */
static const char *
account_key(struct pt_arena *a, const char *login)
{
	const char	*end;
	char		*k;
	size_t		 i, n;

	while (*login == ' ' || *login == '\t')
		login++;
	end = login + strlen(login);
	while (end > login && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - login);
	k = pt_strndup(a, login, n);
	for (i = 0; i < n; i++)
		k[i] = (char)tolower((unsigned char)k[i]);
	return k;
}

static int
run(struct pt_req *r, int which, const char *scope, const char *key)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[which])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, scope);
	pt_db_bind_text(st, 1, key);
	if (which == STMT_BUMP) {
		pt_db_bind_int(st, 2, r->cfg->session_throttle_window);
		pt_db_bind_int(st, 3, r->cfg->session_throttle_window);
	}
	return pt_db_exec(st);
}

/*
 * Counts this attempt for scope/key; PT_DECLINED if the failures before
 * it already reach limit.
 */
static int
bump(struct pt_req *r, const char *scope, const char *key, unsigned int limit)
{
	struct pt_stmt	*st;
	int64_t		 n;

	if (run(r, STMT_BUMP, scope, key) != PT_OK)
		return PT_ERR;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_COUNT])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, scope);
	pt_db_bind_text(st, 1, key);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	n = pt_db_col_int(st, 0);
	if (n - 1 >= (int64_t)limit) {
		pt_rlog(r, PT_LOG_WARN, "login throttled: %lld attempts for "
		    "one %s within %u s", (long long)n, scope,
		    r->cfg->session_throttle_window);
		return PT_DECLINED;
	}
	return PT_OK;
}

/* Counts an attempt before the directory is asked; see auth.h. */
int
pt_throttle_begin(struct pt_req *r, const char *login)
{
	const char	*acct = account_key(r->arena, login);
	struct pt_stmt	*st;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PURGE])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->cfg->session_throttle_window);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;

	if (r->remote_addr != NULL && *r->remote_addr != '\0' &&
	    (rc = bump(r, "address", r->remote_addr,
	    r->cfg->session_throttle_address)) != PT_OK)
		return rc;
	if (*acct != '\0' && (rc = bump(r, "account", acct,
	    r->cfg->session_throttle_account)) != PT_OK)
		return rc;
	return PT_OK;
}

/* Settles an attempt counted by pt_throttle_begin(); see auth.h. */
int
pt_throttle_end(struct pt_req *r, const char *login,
    enum pt_throttle_outcome how)
{
	const char	*acct = account_key(r->arena, login);
	bool		 addr = r->remote_addr != NULL && *r->remote_addr != '\0';

	switch (how) {
	case PT_THROTTLE_FAILURE:
		return PT_OK;
	case PT_THROTTLE_SUCCESS:
		if (*acct != '\0' &&
		    run(r, STMT_RESET, "account", acct) != PT_OK)
			return PT_ERR;
		break;
	case PT_THROTTLE_ERROR:
		if (*acct != '\0' &&
		    run(r, STMT_UNCOUNT, "account", acct) != PT_OK)
			return PT_ERR;
		break;
	case PT_THROTTLE__MAX:
		return PT_ERR;
	}
	if (addr && run(r, STMT_UNCOUNT, "address", r->remote_addr) != PT_OK)
		return PT_ERR;
	return PT_OK;
}
