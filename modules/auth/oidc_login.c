/*
 * oidc_login.c - the OpenID Connect pages: "Sign in with ...", the
 * provider's return, and back-channel logout.
 *
 * GET /login/oidc gives the browser a browser token (pt_sess_browser),
 * asks modules/auth/oidc.c for a sign-in (state, nonce, PKCE verifier,
 * authorization URL), stores it in auth_pending under the SHA-256 of the
 * state together with the SHA-256 of the browser token, and sends the
 * browser to the provider.
 *
 * GET /login/oidc/callback takes the stored sign-in back in one
 * transaction: the row must exist for this state AND this browser (a state
 * stolen from another browser finds nothing), is locked, read and deleted
 * before the transaction ends (a state, and so a code, is good once, even
 * against two racing requests), and must be at most PENDING_MAX_AGE old.
 * oidc.c then exchanges the code and verifies the ID token; the identity
 * goes to the core like any other (pt_login_finish).  Every failure is a
 * page with a way back to the sign-in page, never a redirect: a provider
 * that keeps failing cannot make a loop.
 *
 * POST /logout/backchannel is called by the provider, not by a browser
 * (PT_NOCSRF, PT_NOSESSION): the signed logout token authenticates it.
 * oidc.c verifies it; its jti is recorded in oidc_logout_jti in the same
 * transaction that ends the sessions, so a replayed token is refused (400)
 * and a failure leaves nothing half done for the provider's retry.
 *
 * API (auth.h): pt_oidc_begin_get, pt_oidc_callback_get,
 * pt_oidc_backchannel_post, pt_oidc_logout_url, pt_oidc_provider_name.
 * To keep something more about a sign-in in progress, add a column to
 * auth_pending (a new migration) and to STMT_PENDING_ADD/STMT_PENDING_GET.
 */
#include <string.h>
#include <time.h>

#include "portico.h"
#include "auth.h"
#include "oidc.h"

/* Seconds a sign-in may spend at the provider. */
#define PENDING_MAX_AGE		600
/* Seconds a back-channel logout token id is remembered. */
#define JTI_KEEP		86400

enum {
	STMT_PENDING_PURGE,
	STMT_PENDING_ADD,
	STMT_PENDING_GET,
	STMT_PENDING_DEL,
	STMT_JTI_PURGE,
	STMT_JTI_ADD,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_PENDING_PURGE] = "DELETE FROM auth_pending "
	    "WHERE created_at < NOW() - INTERVAL ? SECOND LIMIT 100",
	[STMT_PENDING_ADD] = "INSERT INTO auth_pending (state_hash, "
	    "browser_hash, nonce, verifier, return_to, created_at) "
	    "VALUES (UNHEX(SHA2(?, 256)), UNHEX(SHA2(?, 256)), ?, ?, ?, NOW())",
	[STMT_PENDING_GET] = "SELECT nonce, verifier, return_to, "
	    "created_at > NOW() - INTERVAL ? SECOND FROM auth_pending "
	    "WHERE state_hash = UNHEX(SHA2(?, 256)) "
	    "AND browser_hash = UNHEX(SHA2(?, 256)) FOR UPDATE",
	[STMT_PENDING_DEL] = "DELETE FROM auth_pending "
	    "WHERE state_hash = UNHEX(SHA2(?, 256)) "
	    "AND browser_hash = UNHEX(SHA2(?, 256))",
	[STMT_JTI_PURGE] = "DELETE FROM oidc_logout_jti "
	    "WHERE seen_at < NOW() - INTERVAL ? SECOND LIMIT 100",
	[STMT_JTI_ADD] = "INSERT IGNORE INTO oidc_logout_jti (jti_hash, "
	    "seen_at) VALUES (UNHEX(SHA2(?, 256)), NOW())",
};

static const char provider_down[] = "The sign-in service is not answering "
    "right now. Please try again in a few minutes, or use another way to "
    "sign in.";

/* What "Sign in with ..." calls the provider: the issuer's host name. */
const char *
pt_oidc_provider_name(struct pt_req *r)
{
	const char	*iss = r->cfg->oidc_issuer, *p, *end;

	if (r->cfg->oidc_display_name[0] != '\0')
		return r->cfg->oidc_display_name;
	if ((p = strstr(iss, "://")) == NULL)
		return "single sign-on";
	p += 3;
	end = p + strcspn(p, "/:?#");
	if (end == p)
		return "single sign-on";
	return pt_strndup(r->arena, p, (size_t)(end - p));
}

/* The provider's end-session address, or NULL to sign out locally. */
const char *
pt_oidc_logout_url(struct pt_req *r)
{
	const char	*url = NULL;

	if (pt_oidc_end_session_url(r->cfg, r->arena, NULL, NULL, &url) !=
	    PT_OK)
		return NULL;
	return url;
}

int
pt_oidc_begin_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_oidc_pending	 p;
	struct pt_stmt		*st;
	const char		*next;

	if (!r->cfg->oidc_enabled)
		return pt_req_error(r, 404, "Signing in with OpenID Connect "
		    "is not enabled on this portal.");
	next = pt_login_next_ok(pt_req_str(r, "next"));
	if (r->sess != NULL) {
		if (pt_resp_redirect(r, next ? next : PT_LOGIN_DEFAULT_NEXT) !=
		    303)
			return 500;
		return 303;
	}
	if (pt_sess_browser(r) != PT_OK)
		return 500;
	switch (pt_oidc_begin(r->cfg, r->arena, next ? next :
	    PT_LOGIN_DEFAULT_NEXT, &p)) {
	case PT_OK:
		break;
	case PT_DECLINED:
		return pt_req_error(r, 404, "Signing in with OpenID Connect "
		    "is not enabled on this portal.");
	default:
		pt_login_page(r, out, next, NULL, "provider", provider_down);
		return 503;
	}

	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_PENDING_PURGE])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, PENDING_MAX_AGE);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PENDING_ADD])) ==
	    NULL)
		return 500;
	pt_db_bind_text(st, 0, p.state);
	pt_db_bind_text(st, 1, r->browser);
	pt_db_bind_text(st, 2, p.nonce);
	pt_db_bind_text(st, 3, p.verifier);
	pt_db_bind_text(st, 4, p.return_to);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	/*
	 * The provider's authorization endpoint, from its discovery
	 * document: pt_resp_redirect() takes local paths only.
	 */
	if (pt_resp_header(r, "Location", p.url) != PT_OK)
		return 500;
	return 303;
}

/*
 * Takes the sign-in stored for state and this browser out of auth_pending:
 * PT_OK with *stored filled, PT_DECLINED if there is none (unknown state,
 * another browser's, already used) or it is too old, PT_ERR.
 */
static int
pending_take(struct pt_req *r, const char *state,
    struct pt_oidc_pending *stored)
{
	struct pt_stmt	*st;
	bool		 fresh;
	int		 rc;

	if (pt_db_begin(r->db) != PT_OK)
		return PT_ERR;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PENDING_GET])) ==
	    NULL)
		goto fail;
	pt_db_bind_int(st, 0, PENDING_MAX_AGE);
	pt_db_bind_text(st, 1, state);
	pt_db_bind_text(st, 2, r->browser);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		goto fail;
	if (rc == PT_DECLINED) {
		pt_db_rollback(r->db);
		return PT_DECLINED;
	}
	memset(stored, 0, sizeof(*stored));
	stored->state = state;
	stored->nonce = pt_db_col_text(st, 0);
	stored->verifier = pt_db_col_text(st, 1);
	stored->return_to = pt_db_col_text(st, 2);
	fresh = pt_db_col_int(st, 3) != 0;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PENDING_DEL])) ==
	    NULL)
		goto fail;
	pt_db_bind_text(st, 0, state);
	pt_db_bind_text(st, 1, r->browser);
	if (pt_db_exec(st) != PT_OK || pt_db_affected(st) != 1)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		return PT_ERR;
	return fresh ? PT_OK : PT_DECLINED;
fail:
	pt_db_rollback(r->db);
	return PT_ERR;
}

int
pt_oidc_callback_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_oidc_callback	 cb;
	struct pt_oidc_pending	 stored;
	struct pt_identity	 id;
	const char		*state = pt_req_str(r, "state");

	if (!r->cfg->oidc_enabled)
		return pt_req_error(r, 404, "Signing in with OpenID Connect "
		    "is not enabled on this portal.");
	memset(&cb, 0, sizeof(cb));
	cb.code = pt_req_str(r, "code");
	cb.state = state;
	cb.iss = pt_req_str(r, "iss");
	cb.error = pt_req_str(r, "error");

	if (state == NULL || r->browser == NULL) {
		if (pt_sess_browser(r) != PT_OK)
			return 500;
		pt_login_page(r, out, NULL, NULL, "state", "This sign-in "
		    "link is not valid in this browser. Please start signing "
		    "in again.");
		return 400;
	}
	switch (pending_take(r, state, &stored)) {
	case PT_OK:
		break;
	case PT_DECLINED:
		pt_rlog(r, PT_LOG_WARN, "oidc: callback with an unknown, used, "
		    "expired or foreign state");
		pt_login_page(r, out, NULL, NULL, "state", "This sign-in "
		    "has expired or was already used. Please start signing in "
		    "again.");
		return 400;
	default:
		return 500;
	}
	if (cb.error != NULL) {
		pt_rlog(r, PT_LOG_INFO, "oidc: the provider answered "
		    "\"%.64s\"", cb.error);
		pt_login_page(r, out, pt_login_next_ok(stored.return_to), NULL,
		    "provider", "The sign-in was cancelled or refused at the "
		    "sign-in service.");
		return 403;
	}

	switch (pt_oidc_finish(r->cfg, r->arena, &cb, &stored, &id, NULL)) {
	case PT_OK:
		return pt_login_finish(r, out, &id,
		    pt_login_next_ok(stored.return_to));
	case PT_DECLINED:
		pt_login_page(r, out, pt_login_next_ok(stored.return_to), NULL,
		    "provider", "The sign-in service's answer could not be "
		    "verified, so you are not signed in. Please start signing "
		    "in again.");
		return 403;
	default:
		pt_login_page(r, out, pt_login_next_ok(stored.return_to), NULL,
		    "provider", provider_down);
		return 503;
	}
}

/* Records jti; PT_DECLINED if it was already there. */
static int
jti_record(struct pt_req *r, const char *jti)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_JTI_PURGE])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, JTI_KEEP);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_JTI_ADD])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, jti);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	return pt_db_affected(st) == 1 ? PT_OK : PT_DECLINED;
}

int
pt_oidc_backchannel_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_oidc_logout	 lo;
	const char		*token = pt_req_str(r, "logout_token");
	int			 rc;

	(void)out;
	if (!r->cfg->oidc_enabled)
		return pt_req_error(r, 404, "OpenID Connect is not enabled on "
		    "this portal.");
	if (token == NULL)
		return pt_req_error(r, 400, "The logout_token is missing.");
	switch (pt_oidc_backchannel(r->cfg, r->arena, token, &lo)) {
	case PT_OK:
		break;
	case PT_DECLINED:
		return pt_req_error(r, 400, "The logout token is not valid.");
	default:
		return pt_req_error(r, 503, "The provider's keys cannot be "
		    "fetched right now.");
	}
	/*
	 * The jti is remembered for JTI_KEEP seconds: a token that would
	 * still be valid after that could be replayed once forgotten.
	 */
	if (lo.exp > (int64_t)time(NULL) + JTI_KEEP - PT_OIDC_LEEWAY)
		return pt_req_error(r, 400, "The logout token lives too long.");

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((rc = jti_record(r, lo.jti)) != PT_OK) {
		pt_db_rollback(r->db);
		if (rc == PT_DECLINED) {
			pt_rlog(r, PT_LOG_WARN, "oidc: replayed back-channel "
			    "logout token refused");
			return pt_req_error(r, 400, "This logout token was "
			    "already used.");
		}
		return 500;
	}
	if (pt_sess_end_idp(r->db, r->arena, lo.sid, lo.external_id,
	    "back-channel logout") != PT_OK) {
		pt_db_rollback(r->db);
		return 500;
	}
	pt_login_audit(r, 0, "backchannel_logout", 0, lo.sid ? "by sid" :
	    "by subject");
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	pt_rlog(r, PT_LOG_INFO, "oidc: back-channel logout (%s)",
	    lo.sid ? "sid" : "sub");
	pt_resp_raw(r, "text/plain; charset=utf-8", "", 0);
	return 200;
}
