/*
 * login.c - the auth module: signing in with a directory password, signing
 * out, and the route table of every sign-in page.
 *
 * GET /login shows the methods the configuration enables: the directory
 * form ([ldap]), "Sign in with ..." for OpenID Connect ([oidc],
 * oidc_login.c) and "Sign in with your company account" for the web
 * server's SSO ([websso], websso.c).  POST /login checks the throttle
 * (throttle.c), refuses empty credentials itself, asks the directory
 * (modules/auth/ldap.c) and hands the proven identity to the core
 * (pt_auth_login), which makes the session.  Whether the login exists or
 * not, a wrong password gets the same answer.  POST /logout ends the
 * session server-side and, for an OpenID Connect session, continues to the
 * provider's end-session page.
 *
 * Every page that returns somewhere after sign-in takes "next" and keeps
 * it only if pt_login_next_ok() says it is a local path.
 *
 * XML produced (xslt/auth/login.xsl):
 *   <login next="" login="">
 *     <method kind="ldap"/> <method kind="oidc" href="" label=""/>
 *     <method kind="websso" href=""/>
 *     <error kind="credentials|throttled|directory|refused|provider|state">
 *       text</error>
 *   </login>
 *
 * API: pt_mod_auth (modules/modules.c), and for the other files of the
 * module (auth.h): pt_login_next_ok, pt_login_page, pt_login_finish,
 * pt_login_audit.  To add a sign-in method, add its handler file, its
 * route below and a <method> in pt_login_page() that login.xsl renders.
 */
#include <string.h>

#include "portico.h"
#include "auth.h"
#include "ldap.h"

/* The one answer to credentials that sign nobody in. */
static const char bad_credentials[] = "The login or password is not "
    "correct.";

/* ----------------------------------------------------------- helpers */

/* Returns raw if a sign-in may return to it; see auth.h. */
const char *
pt_login_next_ok(const char *raw)
{
	static const char *const	 loops[] = { "/login", "/logout" };
	const unsigned char		*p;
	size_t				 i, n;

	if (raw == NULL || raw[0] != '/' || raw[1] == '/')
		return NULL;
	for (p = (const unsigned char *)raw; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
			return NULL;
	if ((size_t)(p - (const unsigned char *)raw) > PT_LOGIN_NEXT_MAX)
		return NULL;
	for (i = 0; i < PT_NELEM(loops); i++) {
		n = strlen(loops[i]);
		if (strncmp(raw, loops[i], n) == 0 &&
		    strchr("/?#", raw[n]) != NULL)
			return NULL;
	}
	return raw;
}

/* "/login/oidc" or "/login/oidc?next=%2Fx". */
static const char *
with_next(struct pt_req *r, const char *path, const char *next)
{
	if (next == NULL)
		return path;
	return pt_printf(r->arena, "%s?next=%s", path,
	    pt_url_encode(r->arena, next, "/"));
}

/* Records who did what; a failure is logged, never fatal. */
void
pt_login_audit(struct pt_req *r, int64_t actor, const char *action,
    int64_t subject, const char *detail)
{
	if (pt_audit(r->db, r->arena, actor, action, subject,
	    detail ? detail : "", r->id) != PT_OK)
		pt_rlog(r, PT_LOG_ERR, "audit: could not record %s", action);
}

/* Builds <login>; see auth.h. */
xmlNodePtr
pt_login_page(struct pt_req *r, xmlNodePtr out, const char *next,
    const char *login, const char *kind, const char *error)
{
	const struct pt_config	*cfg = r->cfg;
	xmlNodePtr		 lx, m;

	/*
	 * The page holds a form: an anonymous browser needs its token (most
	 * callers made sure already; this covers every other path).
	 */
	if (pt_sess_browser(r) != PT_OK)
		pt_rlog(r, PT_LOG_ERR, "login: no browser token for the form");
	lx = pt_xml_elem(out, "login");
	pt_xml_attr(lx, "next", next);
	if (login != NULL && *login != '\0')
		pt_xml_attr(lx, "login", login);
	if (cfg->ldap_enabled)
		pt_xml_attr(pt_xml_elem(lx, "method"), "kind", "ldap");
	if (cfg->oidc_enabled) {
		m = pt_xml_elem(lx, "method");
		pt_xml_attr(m, "kind", "oidc");
		pt_xml_attr(m, "href", with_next(r, "/login/oidc", next));
		pt_xml_attr(m, "provider", pt_oidc_provider_name(r));
	}
	if (cfg->websso_enabled) {
		m = pt_xml_elem(lx, "method");
		pt_xml_attr(m, "kind", "websso");
		pt_xml_attr(m, "href", with_next(r, "/login/sso", next));
	}
	if (error != NULL) {
		/* The form shows the error itself, whatever the status. */
		r->keep_page = true;
		r->error = error;
		pt_xml_attr(pt_xml_text(lx, "error", error), "kind", kind);
		r->error = error;
	}
	return lx;
}

/* Signs the identity in and answers; see auth.h. */
int
pt_login_finish(struct pt_req *r, xmlNodePtr out,
    const struct pt_identity *id, const char *next)
{
	const char	*why;

	switch (pt_auth_login(r, id)) {
	case PT_OK:
		break;
	case PT_DECLINED:
		why = r->error ? r->error : "This account may not sign in to the "
		    "partner portal.";
		pt_login_page(r, out, next, NULL, "refused", why);
		return 403;
	default:
		return 500;
	}
	if (pt_resp_redirect(r, next ? next : PT_LOGIN_DEFAULT_NEXT) != 303)
		return 500;
	return 303;
}

/* ------------------------------------------------------------- pages */

static int
login_get(struct pt_req *r, xmlNodePtr out)
{
	const char	*next = pt_login_next_ok(pt_req_str(r, "next"));

	if (r->sess != NULL) {
		/* Already signed in: nothing to show, go where asked. */
		if (pt_resp_redirect(r, next ? next : PT_LOGIN_DEFAULT_NEXT) !=
		    303)
			return 500;
		return 303;
	}
	if (pt_sess_browser(r) != PT_OK)
		return 500;
	pt_login_page(r, out, next, NULL, NULL, NULL);
	return 200;
}

static int
login_post(struct pt_req *r, xmlNodePtr out)
{
	const char		*login, *password, *next;
	struct pt_identity	 id;
	int			 rc;

	login = pt_req_str(r, "login");
	password = pt_req_str(r, "password");
	next = pt_login_next_ok(pt_req_str(r, "next"));
	if (login == NULL)
		login = "";
	if (password == NULL)
		password = "";
	if (!r->cfg->ldap_enabled)
		return pt_req_error(r, 404, "Signing in with a directory "
		    "password is not enabled on this portal.");
	if (pt_sess_browser(r) != PT_OK)
		return 500;

	switch (pt_throttle_begin(r, login)) {
	case PT_OK:
		break;
	case PT_DECLINED:
		pt_login_page(r, out, next, login, "throttled", "Too many "
		    "sign-in attempts for this account or from your network. "
		    "Please wait a few minutes before trying again.");
		if (pt_resp_header(r, "Retry-After", pt_printf(r->arena, "%u",
		    r->cfg->session_throttle_window)) != PT_OK)
			return 500;
		return 429;
	default:
		return 500;
	}

	/*
	 * An empty password must never reach a bind: some directories
	 * (Active Directory) take a DN with an empty password as an
	 * anonymous bind and answer "success".
	 */
	if (*login == '\0' || *password == '\0')
		rc = PT_DECLINED;
	else
		rc = pt_ldap_authenticate(r->cfg, r->arena, login, password,
		    &id);

	switch (rc) {
	case PT_OK:
		if (pt_throttle_end(r, login, PT_THROTTLE_SUCCESS) != PT_OK)
			return 500;
		return pt_login_finish(r, out, &id, next);
	case PT_DECLINED:
		if (pt_throttle_end(r, login, PT_THROTTLE_FAILURE) != PT_OK)
			return 500;
		pt_rlog(r, PT_LOG_INFO, "login: directory sign-in failed from "
		    "%s", r->remote_addr ? r->remote_addr : "?");
		pt_login_page(r, out, next, login, "credentials",
		    bad_credentials);
		return 401;
	default:
		if (pt_throttle_end(r, login, PT_THROTTLE_ERROR) != PT_OK)
			return 500;
		pt_login_page(r, out, next, login, "directory", "The "
		    "directory is not answering, so we cannot check your "
		    "password right now. Please try again in a few minutes; "
		    "if you are already signed in, you can keep working.");
		return 503;
	}
}

static int
logout_post(struct pt_req *r, xmlNodePtr out)
{
	const char	*idp = NULL;

	(void)out;
	if (r->sess != NULL && strcmp(r->sess->method, "oidc") == 0 &&
	    r->cfg->oidc_enabled)
		idp = pt_oidc_logout_url(r);
	if (pt_auth_logout(r) != PT_OK)
		return 500;
	if (idp != NULL) {
		/*
		 * RP-initiated logout: the provider's address, which
		 * pt_resp_redirect() (local paths only) would refuse; it comes
		 * from the provider's discovery document, not from the request.
		 */
		if (pt_resp_header(r, "Location", idp) != PT_OK)
			return 500;
		return 303;
	}
	if (pt_resp_redirect(r, "/") != 303)
		return 500;
	return 303;
}

/* -------------------------------------------------------------- table */

/*
 * "next" is PT_F_MULTILINE so that a TAB, CR or LF in it reaches
 * pt_login_next_ok(), which drops it: the partner still signs in (to the
 * default page) instead of getting a 400 for a link someone else made.
 */
static const struct pt_field next_fields[] = {
	{ "next", PT_F_MULTILINE, PT_IN_QUERY, false, 0, PT_LOGIN_NEXT_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field login_fields[] = {
	/*
	 * Longer than the directory takes, so that an over-long login or
	 * password gets the same answer as any wrong one (ldap.c refuses
	 * it), not a 400 naming the field.
	 */
	{ "login", PT_F_TEXT, PT_IN_BODY, false, 0, 4 * PT_LDAP_LOGIN_MAX },
	{ "password", PT_F_TEXT, PT_IN_BODY, false, 0,
	    4 * PT_LDAP_PASSWORD_MAX },
	{ "next", PT_F_MULTILINE, PT_IN_BODY, false, 0, PT_LOGIN_NEXT_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field callback_fields[] = {
	{ "code", PT_F_TEXT, PT_IN_QUERY, false, 1, 2048 },
	{ "state", PT_F_TEXT, PT_IN_QUERY, false, 1, 256 },
	{ "error", PT_F_TEXT, PT_IN_QUERY, false, 0, 256 },
	{ "error_description", PT_F_TEXT, PT_IN_QUERY, false, 0, 1024 },
	{ "iss", PT_F_TEXT, PT_IN_QUERY, false, 1, 2048 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field backchannel_fields[] = {
	{ "logout_token", PT_F_TEXT, PT_IN_BODY, false, 1, 256 * 1024 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field session_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field admin_users_fields[] = {
	{ "status", PT_F_SLUG, PT_IN_QUERY, false, 0, 16 },
	{ "organisation", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ "source", PT_F_SLUG, PT_IN_QUERY, false, 0, 16 },
	{ "q", PT_F_TEXT, PT_IN_QUERY, false, 0, 128 },
	{ "after", PT_F_TEXT, PT_IN_QUERY, false, 0, 255 },
	{ "after_id", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_route routes[] = {
	{ "/login", PT_GET, PT_ACCESS_PUBLIC, 0, next_fields,
	    "auth/login.xsl", login_get },
	{ "/login", PT_POST, PT_ACCESS_PUBLIC, PT_CSRF, login_fields,
	    "auth/login.xsl", login_post },
	/* Public: a browser whose session already ended may still sign out. */
	{ "/logout", PT_POST, PT_ACCESS_PUBLIC, PT_CSRF, NULL,
	    "auth/login.xsl", logout_post },
	{ "/login/oidc", PT_GET, PT_ACCESS_PUBLIC, 0, next_fields,
	    "auth/login.xsl", pt_oidc_begin_get },
	{ "/login/oidc/callback", PT_GET, PT_ACCESS_PUBLIC, 0, callback_fields,
	    "auth/login.xsl", pt_oidc_callback_get },
	/*
	 * PT_NOCSRF: the OpenID provider calls this, server to server, with
	 * no cookie; what authenticates the request is the logout token,
	 * signed by the provider and verified against its JWKS, whose jti is
	 * refused when replayed (oidc_login.c).
	 */
	{ "/logout/backchannel", PT_POST, PT_ACCESS_PUBLIC,
	    PT_NOCSRF | PT_NOSESSION | PT_RAW, backchannel_fields, NULL,
	    pt_oidc_backchannel_post },
	{ "/login/sso", PT_GET, PT_ACCESS_PUBLIC, 0, next_fields,
	    "auth/login.xsl", pt_websso_get },
	{ "/account", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, NULL,
	    "auth/account.xsl", pt_account_get },
	{ "/account/sessions/{id}/end", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    session_fields, "auth/account.xsl", pt_account_end_post },
	{ "/account/sessions/end-all", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    NULL, "auth/account.xsl", pt_account_end_all_post },
	{ "/admin/users", PT_GET, PT_ACCESS_ADMIN, PT_XMLVIEW,
	    admin_users_fields, "auth/admin_users.xsl", pt_admin_users_get },
	{ "/admin/users/{id}/sessions/end", PT_POST, PT_ACCESS_ADMIN, PT_CSRF,
	    session_fields, "auth/admin_users.xsl", pt_admin_users_end_post },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct pt_module pt_mod_auth = {
	.name = "auth",
	.routes = routes,
};
