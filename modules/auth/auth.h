/*
 * auth.h - what the files of the auth module's pages share
 * (modules/auth/login.c, throttle.c, websso.c, oidc_login.c, account.c,
 * admin_users.c).  Nothing outside modules/auth/ includes it: the rest of
 * Portico sees only `pt_mod_auth` (modules/modules.c).
 *
 * The route table is in login.c; each handler lives in the file of its
 * page.  To add a page: write its handler in one of these files (or a new
 * one listed in Makefile.am), declare it below, add its route to routes[]
 * in login.c and its stylesheet under xslt/auth/.
 */
#ifndef PT_AUTH_AUTH_H
#define PT_AUTH_AUTH_H

#include "portico.h"

/* Where a sign-in returns when no (usable) "next" was given. */
#define PT_LOGIN_DEFAULT_NEXT	"/account"
/* Longest "next" kept (auth_pending.return_to holds 2048). */
#define PT_LOGIN_NEXT_MAX	2048

/* ------------------------------------------------------------ login.c */

/*
 * Returns raw when it is a local path a sign-in may return to, else NULL:
 * "/" followed by printable ASCII, not "//" or "/\" (or any backslash),
 * no control character, space or DEL (browsers drop TAB, CR and LF, so
 * "/\t/host" would become "//host"), at most PT_LOGIN_NEXT_MAX bytes, and
 * not a sign-in or sign-out address (which would loop).  Allocates
 * nothing.
 */
const char	*pt_login_next_ok(const char *raw);

/*
 * The sign-in page (<login> under out): the methods the configuration
 * enables, the return path and the typed login, for xslt/auth/login.xsl.
 * error, when not NULL, is shown in the page's error summary with its
 * kind ("credentials", "throttled", "directory", "refused", "provider",
 * "state"); the same text goes to r->error for the error page.  Gives an
 * anonymous browser its token first (pt_sess_browser), since the page
 * holds a form.  Returns the <login> node (arena-owned with the document).
 */
xmlNodePtr	 pt_login_page(struct pt_req *, xmlNodePtr out, const char *next,
		    const char *login, const char *kind, const char *error);

/*
 * Hands a proven identity to the core (pt_auth_login) and answers: 303 to
 * next (already checked, or NULL for the default) on success, 403 with
 * the core's reason when the account may not sign in (disabled, no portal
 * group), 500 on a database error.  Returns the HTTP status.
 */
int		 pt_login_finish(struct pt_req *, xmlNodePtr out,
		    const struct pt_identity *, const char *next);

/* Writes an audit_log row (best effort: a failure is logged). */
void		 pt_login_audit(struct pt_req *, int64_t actor, const char *action,
		    int64_t subject, const char *detail);

/* --------------------------------------------------------- throttle.c */

/*
 * Login throttling, counted in login_throttle (shared by every worker and
 * host).  pt_throttle_begin() counts this attempt against the account and
 * the client address before the directory is asked; it returns PT_OK,
 * PT_DECLINED when either is over its limit (answer 429) or PT_ERR.  After
 * the directory has answered, pt_throttle_end() settles the attempt:
 * "failure" keeps it counted, "success" resets the account and uncounts
 * the attempt for the address, "error" (the directory did not answer)
 * uncounts it for both.
 */
enum pt_throttle_outcome {
	PT_THROTTLE_FAILURE,
	PT_THROTTLE_SUCCESS,
	PT_THROTTLE_ERROR,
	PT_THROTTLE__MAX
};

int		 pt_throttle_begin(struct pt_req *, const char *login) PT_WUR;
int		 pt_throttle_end(struct pt_req *, const char *login,
		    enum pt_throttle_outcome) PT_WUR;

/* ------------------------------------------------------------ handlers */

int		 pt_websso_get(struct pt_req *, xmlNodePtr);		/* websso.c */
int		 pt_oidc_begin_get(struct pt_req *, xmlNodePtr);	/* oidc_login.c */
int		 pt_oidc_callback_get(struct pt_req *, xmlNodePtr);
int		 pt_oidc_backchannel_post(struct pt_req *, xmlNodePtr);
/* The provider's end-session address for r's OIDC session, or NULL. */
const char	*pt_oidc_logout_url(struct pt_req *);
/* What "Sign in with ..." names the provider; never NULL. */
const char	*pt_oidc_provider_name(struct pt_req *);
int		 pt_account_get(struct pt_req *, xmlNodePtr);		/* account.c */
int		 pt_account_end_post(struct pt_req *, xmlNodePtr);
int		 pt_account_end_all_post(struct pt_req *, xmlNodePtr);
int		 pt_admin_users_get(struct pt_req *, xmlNodePtr);	/* admin_users.c */
int		 pt_admin_users_end_post(struct pt_req *, xmlNodePtr);

#endif /* PT_AUTH_AUTH_H */
