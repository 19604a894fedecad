/*
 * session.c - sign-in sessions, the form token (CSRF) and the step every
 * login path ends with.
 *
 * A session is a random 256-bit token in a cookie; MariaDB stores only its
 * SHA-256.  Every request looks the hash up (one indexed query that also
 * brings the user, the organisation and the roles), so ending a session —
 * logout, "sign out everywhere", an administrator, a back-channel logout, a
 * disabled account — takes effect on the next request on any worker of any
 * host.  Nothing about a session lives in worker memory.
 *
 * Browsers that are not signed in get a second random cookie, the browser
 * token: it binds the login form's CSRF token and an OpenID Connect login
 * in progress to this browser.  The form token is HMAC-SHA256(cookie token,
 * "csrf"), so it needs no storage and changes with the session.
 *
 * Cookies: __Host-portico (session) and __Host-portico-b (browser); the
 * __Host- prefix (Secure, Path=/, no Domain) stops sibling hosts from
 * planting them.  With [session] cookie_secure = no, for a plain-http
 * demo, the names lose the prefix, which browsers require to go with
 * Secure.
 *
 * API: pt_sess_load, pt_sess_browser, pt_csrf_ok, pt_sess_xml,
 * pt_auth_login, pt_auth_apply_groups, pt_auth_logout, pt_sess_end_user,
 * pt_sess_end_idp, pt_audit (portico.h).  To add
 * something every signed-in page needs, add it to STMT_LOAD and struct
 * pt_sess.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "portico.h"

#define TOKEN_BYTES	32
#define TOKEN_CHARS	43	/* base64url without padding */
#define TOUCH_SECONDS	60	/* last_seen_at is written at most this often */

enum {
	STMT_LOAD,
	STMT_TOUCH,
	STMT_END_ONE,
	STMT_END_USER,
	STMT_END_SID,
	STMT_END_SUB,
	STMT_ORG,
	STMT_USER_UPSERT,
	STMT_USER_GET,
	STMT_GROUPS_CLEAR,
	STMT_GROUP_ADD,
	STMT_ROLES_CLEAR,
	STMT_ROLE_ADD,
	STMT_ROLES_COUNT,
	STMT_ROLES_OF_SOURCE,
	STMT_COMM_CLEAR,
	STMT_COMM_ADD,
	STMT_USER_SEEN,
	STMT_SESS_NEW,
	STMT_AUDIT,
	STMT_FEED_TOKEN,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_LOAD] = "SELECT s.id, s.user_id, s.method, u.login, u.name, "
	    "u.email, u.status, COALESCE(o.id, 0), COALESCE(o.name, ''), "
	    "COALESCE(o.kind = 'vendor', 0), "
	    "TIMESTAMPDIFF(SECOND, s.last_seen_at, NOW()), "
	    "(SELECT GROUP_CONCAT(DISTINCT r.role) FROM user_roles r "
	    "WHERE r.user_id = u.id) "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "WHERE s.token_hash = UNHEX(?) AND s.ended_at IS NULL "
	    "AND s.expires_at > NOW() "
	    "AND s.last_seen_at > NOW() - INTERVAL ? SECOND",
	[STMT_TOUCH] = "UPDATE sessions s JOIN users u ON u.id = s.user_id "
	    "SET s.last_seen_at = NOW(), u.last_seen_at = NOW() "
	    "WHERE s.id = ?",
	[STMT_END_ONE] = "UPDATE sessions SET ended_at = NOW(), end_reason = ? "
	    "WHERE id = ? AND ended_at IS NULL",
	[STMT_END_USER] = "UPDATE sessions SET ended_at = NOW(), "
	    "end_reason = ? WHERE user_id = ? AND ended_at IS NULL",
	[STMT_END_SID] = "UPDATE sessions SET ended_at = NOW(), end_reason = ? "
	    "WHERE idp_sid = ? AND method = 'oidc' AND ended_at IS NULL",
	[STMT_END_SUB] = "UPDATE sessions s JOIN users u ON u.id = s.user_id "
	    "SET s.ended_at = NOW(), s.end_reason = ? "
	    "WHERE u.source = 'oidc' AND u.external_id = ? "
	    "AND s.method = 'oidc' AND s.ended_at IS NULL",
	[STMT_ORG] = "SELECT id FROM organisations WHERE slug = ?",
	/* Profile fields follow the directory; status never does. */
	[STMT_USER_UPSERT] = "INSERT INTO users (source, external_id, login, "
	    "name, email, organisation_id) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE login = VALUES(login), "
	    "name = VALUES(name), email = VALUES(email), "
	    "organisation_id = VALUES(organisation_id)",
	[STMT_USER_GET] = "SELECT id, status, COALESCE(disabled_reason, '') "
	    "FROM users WHERE source = ? AND external_id = ?",
	[STMT_GROUPS_CLEAR] = "DELETE FROM user_groups "
	    "WHERE user_id = ? AND source = ?",
	[STMT_GROUP_ADD] = "INSERT IGNORE INTO user_groups (user_id, source, "
	    "group_hash, group_name, confirmed_at) "
	    "VALUES (?, ?, UNHEX(SHA2(?, 256)), ?, NOW())",
	[STMT_ROLES_CLEAR] = "DELETE FROM user_roles "
	    "WHERE user_id = ? AND source = ?",
	[STMT_ROLE_ADD] = "INSERT INTO user_roles (user_id, role, source, "
	    "via_group, confirmed_at) VALUES (?, ?, ?, ?, NOW()) "
	    "ON DUPLICATE KEY UPDATE via_group = VALUES(via_group), "
	    "confirmed_at = NOW()",
	[STMT_ROLES_COUNT] = "SELECT COUNT(*) FROM user_roles WHERE user_id = ?",
	[STMT_ROLES_OF_SOURCE] = "SELECT role FROM user_roles "
	    "WHERE user_id = ? AND source = ?",
	[STMT_COMM_CLEAR] = "DELETE FROM directory_memberships "
	    "WHERE user_id = ? AND source = ?",
	[STMT_COMM_ADD] = "INSERT INTO directory_memberships (user_id, "
	    "community_slug, source, via_group, confirmed_at) "
	    "VALUES (?, ?, ?, ?, NOW()) "
	    "ON DUPLICATE KEY UPDATE via_group = VALUES(via_group), "
	    "confirmed_at = NOW()",
	[STMT_USER_SEEN] = "UPDATE users SET last_login_at = NOW(), "
	    "last_seen_at = NOW() WHERE id = ?",
	[STMT_SESS_NEW] = "INSERT INTO sessions (token_hash, user_id, method, "
	    "idp_sid, created_at, last_seen_at, expires_at, client_addr, "
	    "user_agent) VALUES (UNHEX(?), ?, ?, ?, NOW(), NOW(), "
	    "NOW() + INTERVAL ? SECOND, ?, ?)",
	[STMT_AUDIT] = "INSERT INTO audit_log (actor_user_id, action, "
	    "subject_user_id, detail, request_id) VALUES (?, ?, ?, ?, ?)",
	/* A feed token's user: active and not deleted, as a session's. */
	[STMT_FEED_TOKEN] = "SELECT u.id, u.login, u.name, u.email, "
	    "COALESCE(o.id, 0), COALESCE(o.name, ''), "
	    "COALESCE(o.kind = 'vendor', 0), "
	    "(SELECT GROUP_CONCAT(DISTINCT r.role) FROM user_roles r "
	    "WHERE r.user_id = u.id) "
	    "FROM feed_tokens f JOIN users u ON u.id = f.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "WHERE f.token_hash = UNHEX(?) AND u.status = 'active' "
	    "AND u.deleted_at IS NULL",
};

/* ------------------------------------------------------------ tokens */

static const char *
cookie_name(const struct pt_req *r, bool browser)
{
	if (r->cfg->session_cookie_secure)
		return browser ? "__Host-portico-b" : "__Host-portico";
	return browser ? "portico-b" : "portico";
}

/* A token as we issue them: 43 base64url characters. */
static bool
token_ok(const char *t)
{
	return t != NULL && strlen(t) == TOKEN_CHARS &&
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == TOKEN_CHARS;
}

/* A new random token, arena-allocated; aborts if the CSPRNG fails. */
static char *
token_new(struct pt_arena *a)
{
	unsigned char	 raw[TOKEN_BYTES];
	char		*t;

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		pt_log(PT_LOG_ERR, "session: RAND_bytes failed");
		abort();
	}
	t = pt_b64url_encode(a, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	return t;
}

/*
 * The hex SHA-256 of a token: what the database stores of every bearer
 * token (sessions, feed tokens, invitation links).  Arena-allocated.
 */
char *
pt_token_hash_hex(struct pt_arena *a, const char *token)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[32];
	unsigned int		 mdlen = 0;
	char			*h;
	size_t			 i;

	if (EVP_Digest(token, strlen(token), md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != sizeof(md))
		abort();
	h = pt_alloc(a, 2 * sizeof(md) + 1);
	for (i = 0; i < sizeof(md); i++) {
		h[2 * i] = hex[md[i] >> 4];
		h[2 * i + 1] = hex[md[i] & 15];
	}
	return h;
}

/* The form token bound to a cookie token. */
static char *
csrf_for(struct pt_arena *a, const char *token)
{
	unsigned char	 mac[32];
	unsigned int	 maclen = 0;
	char		*t;

	if (HMAC(EVP_sha256(), token, (int)strlen(token),
	    (const unsigned char *)"portico csrf", 12, mac, &maclen) == NULL ||
	    maclen != sizeof(mac))
		abort();
	t = pt_b64url_encode(a, mac, sizeof(mac));
	return t;
}

static int
set_cookie(struct pt_req *r, bool browser, const char *value)
{
	const char	*v;

	v = pt_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	    cookie_name(r, browser), value,
	    r->cfg->session_cookie_secure ? "; Secure" : "",
	    *value == '\0' ? "; Max-Age=0" : "");
	return pt_resp_header(r, "Set-Cookie", v);
}

/* Appends an audit row; see portico.h. */
int
pt_audit(struct pt_db *db, struct pt_arena *a, int64_t actor,
    const char *action, int64_t subject, const char *detail,
    const char *request_id)
{
	/* audit_log.detail is VARCHAR(1024) characters; 1024 bytes fit. */
	enum { DETAIL_MAX = 1024 };
	struct pt_stmt	*st;
	size_t		 n;
	char		*cut;

	/*
	 * Details quote what users and directories name (groups, reasons,
	 * titles), so they may be longer than the column: cut on a UTF-8
	 * boundary and mark the cut, rather than fail the action.
	 */
	if (detail != NULL && (n = strlen(detail)) > DETAIL_MAX) {
		n = DETAIL_MAX - 3;
		while (n > 0 && ((unsigned char)detail[n] & 0xc0) == 0x80)
			n--;
		cut = pt_alloc(a, n + 4);
		memcpy(cut, detail, n);
		memcpy(cut + n, "...", 4);
		detail = cut;
	}
	if ((st = pt_db_stmt(db, a, stmts[STMT_AUDIT])) == NULL)
		return PT_ERR;
	if (actor > 0)
		pt_db_bind_int(st, 0, actor);
	else
		pt_db_bind_null(st, 0);
	pt_db_bind_text(st, 1, action);
	if (subject > 0)
		pt_db_bind_int(st, 2, subject);
	else
		pt_db_bind_null(st, 2);
	pt_db_bind_text(st, 3, detail);
	pt_db_bind_text(st, 4, request_id ? request_id : "");
	return pt_db_exec(st);
}

/* An audit row for a request; a failure is logged, not fatal. */
static void
audit(struct pt_req *r, int64_t actor, const char *action, int64_t subject,
    const char *detail)
{
	if (pt_audit(r->db, r->arena, actor, action, subject, detail,
	    r->id) != PT_OK)
		pt_rlog(r, PT_LOG_ERR, "audit: could not record %s", action);
}

/* ------------------------------------------------------ per request */

static void
roles_parse(struct pt_sess *s, const char *list)
{
	const char	*p = list, *comma;
	size_t		 i, n;

	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		for (i = 0; i < PT_ROLE__MAX; i++)
			if (strlen(pt_role_names[i]) == n &&
			    strncmp(pt_role_names[i], p, n) == 0) {
				s->roles |= 1u << i;
				s->access |= pt_role_access[i];
			}
		p += n + (comma ? 1 : 0);
	}
}

/*
 * Loads the session named by the cookie.  Returns PT_OK (r->sess may be
 * NULL) or PT_ERR on a database error.  An anonymous browser without a
 * browser token gets one.
 */
int
pt_sess_load(struct pt_req *r)
{
	const char	*tok, *btok;
	struct pt_stmt	*st;
	struct pt_sess	*s;
	int		 rc;

	/*
	 * The browser token is read whether or not a session comes with it:
	 * an OpenID Connect login started before signing in elsewhere must
	 * still find its browser when it comes back.
	 */
	btok = pt_kv_get(&r->cookies, cookie_name(r, true));
	if (token_ok(btok))
		r->browser = btok;

	tok = pt_kv_get(&r->cookies, cookie_name(r, false));
	if (token_ok(tok)) {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LOAD])) == NULL)
			return PT_ERR;
		pt_db_bind_text(st, 0, pt_token_hash_hex(r->arena, tok));
		pt_db_bind_int(st, 1, r->cfg->session_idle_timeout);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		if ((rc = pt_db_fetch(st)) == PT_ERR)
			return PT_ERR;
		if (rc == PT_OK) {
			s = pt_alloc(r->arena, sizeof(*s));
			s->id = pt_db_col_int(st, 0);
			s->user_id = pt_db_col_int(st, 1);
			s->method = pt_db_col_text(st, 2);
			s->login = pt_db_col_text(st, 3);
			s->name = pt_db_col_text(st, 4);
			s->email = pt_db_col_text(st, 5);
			s->org_id = pt_db_col_int(st, 7);
			s->org_name = pt_db_col_text(st, 8);
			s->org_vendor = pt_db_col_int(st, 9) != 0;
			roles_parse(s, pt_db_col_text(st, 11));
			if (strcmp(pt_db_col_text(st, 6), "active") != 0) {
				/* Disabled since: the session dies with it. */
				if (pt_sess_end_user(r->db, r->arena,
				    s->user_id, "account disabled") != PT_OK)
					return PT_ERR;
			} else {
				r->sess = s;
				r->csrf = csrf_for(r->arena, tok);
				if (pt_db_col_int(st, 10) >= TOUCH_SECONDS) {
					st = pt_db_stmt(r->db, r->arena,
					    stmts[STMT_TOUCH]);
					if (st == NULL)
						return PT_ERR;
					pt_db_bind_int(st, 0, s->id);
					if (pt_db_exec(st) != PT_OK)
						return PT_ERR;
				}
				return PT_OK;
			}
		}
		/* Unknown, ended or expired: forget the cookie. */
		if (set_cookie(r, false, "") != PT_OK)
			return PT_ERR;
	}

	/*
	 * The browser token is made only when a page needs it
	 * (pt_sess_browser), so that public pages set no cookie and stay the
	 * same for every visitor.
	 */
	if (r->browser != NULL)
		r->csrf = csrf_for(r->arena, r->browser);
	return PT_OK;
}

/* Gives an anonymous request a browser token; see portico.h. */
int
pt_sess_browser(struct pt_req *r)
{
	xmlNodePtr	 n;

	if (r->browser != NULL)
		return PT_OK;
	r->browser = token_new(r->arena);
	if (set_cookie(r, true, r->browser) != PT_OK)
		return PT_ERR;
	if (r->sess != NULL)
		return PT_OK;	/* forms keep the session's token */
	r->csrf = csrf_for(r->arena, r->browser);
	if (r->doc == NULL)
		return PT_OK;
	for (n = xmlDocGetRootElement(r->doc)->children; n != NULL;
	    n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(n->name, BAD_CAST "session") == 0)
			pt_xml_attr(n, "csrf", r->csrf);
	return PT_OK;
}

/* True if the request's "csrf" form field matches r->csrf. */
bool
pt_csrf_ok(const struct pt_req *r)
{
	const char	*sent = pt_kv_get(&r->form, "csrf");

	return r->csrf != NULL && sent != NULL &&
	    strlen(sent) == strlen(r->csrf) &&
	    CRYPTO_memcmp(sent, r->csrf, strlen(sent)) == 0;
}

/* Adds <session csrf=""><user .../></session> to the page. */
void
pt_sess_xml(const struct pt_req *r, xmlNodePtr page)
{
	xmlNodePtr	 sx, ux;
	size_t		 i;

	sx = pt_xml_elem(page, "session");
	if (r->csrf != NULL)
		pt_xml_attr(sx, "csrf", r->csrf);
	if (r->sess == NULL)
		return;
	ux = pt_xml_elem(sx, "user");
	pt_xml_attr_int(ux, "id", r->sess->user_id);
	pt_xml_attr(ux, "login", r->sess->login);
	pt_xml_attr(ux, "name", r->sess->name);
	pt_xml_attr(ux, "email", r->sess->email);
	pt_xml_attr(ux, "method", r->sess->method);
	if (r->sess->org_id > 0) {
		pt_xml_attr(ux, "organisation", r->sess->org_name);
		pt_xml_attr(ux, "vendor", r->sess->org_vendor ? "yes" : "no");
	}
	for (i = 0; i < PT_ROLE__MAX; i++)
		if (r->sess->roles & (1u << i))
			pt_xml_text(ux, "role", pt_role_names[i]);
}

/* ----------------------------------------------------------- sign-in */

static bool
has_group(const struct pt_identity *id, const char *group)
{
	size_t	 i;

	for (i = 0; i < id->ngroups; i++)
		if (id->group_eq != NULL ? id->group_eq(group, id->groups[i]) :
		    strcmp(id->groups[i], group) == 0)
			return true;
	return false;
}

/* Records groups and the roles they grant; see portico.h. */
int
pt_auth_apply_groups(struct pt_db *db, struct pt_arena *a,
    const struct pt_config *cfg, int64_t user, const struct pt_identity *id,
    bool *removed)
{
	const struct pt_rolemap	*m;
	struct pt_stmt		*st;
	unsigned int		 before = 0, after = 0;
	size_t			 i, j;
	int			 rc;

	if ((st = pt_db_stmt(db, a, stmts[STMT_ROLES_OF_SOURCE])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_text(st, 1, id->source);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(st)) == PT_OK)
		for (j = 0; j < PT_ROLE__MAX; j++)
			if (strcmp(pt_db_col_text(st, 0), pt_role_names[j]) == 0)
				before |= 1u << j;
	if (rc != PT_DECLINED)
		return PT_ERR;

	if ((st = pt_db_stmt(db, a, stmts[STMT_GROUPS_CLEAR])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_text(st, 1, id->source);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	for (i = 0; i < id->ngroups; i++) {
		if ((st = pt_db_stmt(db, a, stmts[STMT_GROUP_ADD])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, user);
		pt_db_bind_text(st, 1, id->source);
		pt_db_bind_text(st, 2, id->groups[i]);
		pt_db_bind_text(st, 3, id->groups[i]);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
	}

	if ((st = pt_db_stmt(db, a, stmts[STMT_ROLES_CLEAR])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_text(st, 1, id->source);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	for (i = 0; i < cfg->nrolemap; i++) {
		m = &cfg->rolemap[i];
		if (!has_group(id, m->group))
			continue;
		after |= 1u << m->role;
		if ((st = pt_db_stmt(db, a, stmts[STMT_ROLE_ADD])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, user);
		pt_db_bind_text(st, 1, pt_role_names[m->role]);
		pt_db_bind_text(st, 2, id->source);
		pt_db_bind_text(st, 3, m->group);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
	}

	if ((st = pt_db_stmt(db, a, stmts[STMT_COMM_CLEAR])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_text(st, 1, id->source);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	for (i = 0; i < cfg->ncommap; i++) {
		if (!has_group(id, cfg->commap[i].group))
			continue;
		if ((st = pt_db_stmt(db, a, stmts[STMT_COMM_ADD])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, user);
		pt_db_bind_text(st, 1, cfg->commap[i].community);
		pt_db_bind_text(st, 2, id->source);
		pt_db_bind_text(st, 3, cfg->commap[i].group);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
	}
	if (removed != NULL)
		*removed = (before & ~after) != 0;
	return PT_OK;
}

static int
user_upsert(struct pt_req *r, const struct pt_identity *id, int64_t *user,
    const char **status, const char **reason)
{
	struct pt_stmt	*st;
	int64_t		 org = 0;
	int		 rc;

	if (id->organisation != NULL && *id->organisation != '\0') {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG])) ==
		    NULL)
			return PT_ERR;
		pt_db_bind_text(st, 0, id->organisation);
		if (pt_db_exec(st) != PT_OK ||
		    (rc = pt_db_fetch(st)) == PT_ERR)
			return PT_ERR;
		if (rc == PT_OK)
			org = pt_db_col_int(st, 0);
		else
			pt_rlog(r, PT_LOG_WARN, "login: %s reports unknown "
			    "organisation \"%.64s\" for %.128s", id->source,
			    id->organisation, id->login);
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER_UPSERT])) ==
	    NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, id->source);
	pt_db_bind_text(st, 1, id->external_id);
	pt_db_bind_text(st, 2, id->login);
	pt_db_bind_text(st, 3, id->name ? id->name : "");
	pt_db_bind_text(st, 4, id->email ? id->email : "");
	if (org > 0)
		pt_db_bind_int(st, 5, org);
	else
		pt_db_bind_null(st, 5);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER_GET])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, id->source);
	pt_db_bind_text(st, 1, id->external_id);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	*user = pt_db_col_int(st, 0);
	*status = pt_db_col_text(st, 1);
	*reason = pt_db_col_text(st, 2);
	return PT_OK;
}

static int
session_start(struct pt_req *r, int64_t user, const struct pt_identity *id)
{
	struct pt_stmt	*st;
	const char	*tok, *ua;
	char		 uabuf[256];

	tok = token_new(r->arena);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SESS_NEW])) == NULL)
		return PT_ERR;
	ua = pt_req_env(r, "HTTP_USER_AGENT");
	snprintf(uabuf, sizeof(uabuf), "%s", ua ? ua : "");
	if (!pt_utf8_valid(uabuf, strlen(uabuf)))
		uabuf[0] = '\0';
	pt_db_bind_text(st, 0, pt_token_hash_hex(r->arena, tok));
	pt_db_bind_int(st, 1, user);
	pt_db_bind_text(st, 2, id->source);
	if (id->idp_sid != NULL)
		pt_db_bind_text(st, 3, id->idp_sid);
	else
		pt_db_bind_null(st, 3);
	pt_db_bind_int(st, 4, r->cfg->session_absolute_timeout);
	pt_db_bind_text(st, 5, r->remote_addr ? r->remote_addr : "");
	pt_db_bind_text(st, 6, uabuf);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if (set_cookie(r, false, tok) != PT_OK)
		return PT_ERR;
	r->csrf = csrf_for(r->arena, tok);
	return PT_OK;
}

/* Signs a proven identity in; see portico.h. */
int
pt_auth_login(struct pt_req *r, const struct pt_identity *id)
{
	struct pt_stmt	*st;
	const char	*status, *reason;
	int64_t		 user;

	if (pt_db_begin(r->db) != PT_OK)
		return PT_ERR;
	if (user_upsert(r, id, &user, &status, &reason) != PT_OK)
		goto fail;
	if (strcmp(status, "active") != 0) {
		pt_db_rollback(r->db);
		audit(r, 0, "login_refused", user, "account disabled");
		pt_rlog(r, PT_LOG_INFO, "login refused: account %lld is "
		    "disabled", (long long)user);
		/* Whom to contact: [lifecycle] contact, else the usual two. */
		r->error = pt_printf(r->arena, "Your access to the partner "
		    "portal has ended%s%s. If you still need it, contact %s.",
		    *reason ? ": " : "", reason,
		    *r->cfg->lifecycle_contact != '\0' ?
		    r->cfg->lifecycle_contact : "your channel manager or your "
		    "company's partner administrator");
		return PT_DECLINED;
	}
	if (pt_auth_apply_groups(r->db, r->arena, r->cfg, user, id, NULL) !=
	    PT_OK)
		goto fail;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ROLES_COUNT])) ==
	    NULL)
		goto fail;
	pt_db_bind_int(st, 0, user);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		goto fail;
	if (pt_db_col_int(st, 0) == 0) {
		if (pt_db_commit(r->db) != PT_OK)
			return PT_ERR;
		audit(r, 0, "login_refused", user, "no portal group");
		r->error = "Your account is not in any group that gives access "
		    "to the partner portal. Ask your IT administrator to add "
		    "you to a partner portal group.";
		return PT_DECLINED;
	}
	/* A new session for a new sign-in: never reuse the old token. */
	if (r->sess != NULL) {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_END_ONE])) ==
		    NULL)
			goto fail;
		pt_db_bind_text(st, 0, "rotated at sign-in");
		pt_db_bind_int(st, 1, r->sess->id);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
		r->sess = NULL;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER_SEEN])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, user);
	if (pt_db_exec(st) != PT_OK || session_start(r, user, id) != PT_OK)
		goto fail;
	audit(r, user, "login", user, pt_printf(r->arena, "via %s",
	    id->source));
	if (pt_db_commit(r->db) != PT_OK)
		return PT_ERR;
	pt_rlog(r, PT_LOG_INFO, "login: user %lld via %s", (long long)user,
	    id->source);
	return PT_OK;
fail:
	pt_db_rollback(r->db);
	return PT_ERR;
}

/* Ends the request's session and clears its cookie. */
int
pt_auth_logout(struct pt_req *r)
{
	struct pt_stmt	*st;

	if (r->sess != NULL) {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_END_ONE])) ==
		    NULL)
			return PT_ERR;
		pt_db_bind_text(st, 0, "logout");
		pt_db_bind_int(st, 1, r->sess->id);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		audit(r, r->sess->user_id, "logout", r->sess->user_id, "");
		r->sess = NULL;
	}
	return set_cookie(r, false, "");
}

/* Ends every open session of user. */
int
pt_sess_end_user(struct pt_db *db, struct pt_arena *a, int64_t user,
    const char *reason)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(db, a, stmts[STMT_END_USER])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, reason);
	pt_db_bind_int(st, 1, user);
	return pt_db_exec(st);
}

/*
 * Ends the OpenID Connect sessions of an IdP session id (sid) or, when the
 * logout token names only a subject, of that user (sub is the user's
 * external id, "issuer subject").
 */
int
pt_sess_end_idp(struct pt_db *db, struct pt_arena *a, const char *sid,
    const char *sub, const char *reason)
{
	struct pt_stmt	*st;

	if (sid != NULL) {
		if ((st = pt_db_stmt(db, a, stmts[STMT_END_SID])) == NULL)
			return PT_ERR;
		pt_db_bind_text(st, 0, reason);
		pt_db_bind_text(st, 1, sid);
		return pt_db_exec(st);
	}
	if (sub == NULL)
		return PT_ERR;
	if ((st = pt_db_stmt(db, a, stmts[STMT_END_SUB])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, reason);
	pt_db_bind_text(st, 1, sub);
	return pt_db_exec(st);
}

/*
 * Feed readers cannot send the session cookie: a feed route takes a
 * per-user token instead (feed_tokens, made at /account/feed-token).  This
 * makes its user the request's reader, with the roles and organisation a
 * session would have, so the same visibility rules apply; there is no
 * session row, no form token and nothing to touch.
 */
int
pt_sess_feed_token(struct pt_req *r, const char *token)
{
	struct pt_stmt	*st;
	struct pt_sess	*s;
	int		 rc;

	if (!token_ok(token))
		return PT_DECLINED;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_FEED_TOKEN])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, pt_token_hash_hex(r->arena, token));
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	s = pt_alloc(r->arena, sizeof(*s));
	s->user_id = pt_db_col_int(st, 0);
	s->login = pt_db_col_text(st, 1);
	s->name = pt_db_col_text(st, 2);
	s->email = pt_db_col_text(st, 3);
	s->org_id = pt_db_col_int(st, 4);
	s->org_name = pt_db_col_text(st, 5);
	s->org_vendor = pt_db_col_int(st, 6) != 0;
	s->method = "feed-token";
	roles_parse(s, pt_db_col_text(st, 7));
	r->sess = s;
	return PT_OK;
}
