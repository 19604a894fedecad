/*
 * admin_users.c - the users page of portal administrators.
 *
 * GET /admin/users lists the accounts Portico knows (created just in time
 * at their first sign-in), filtered by status, organisation, identity
 * source and a text search on login, name and email, 50 a page.  Pages
 * are keyset-paginated on (login, id): "next page" carries the last row's
 * login and id, so a page costs one index range scan however deep it is,
 * and rows added meanwhile do not shift the pages.  Each row shows the
 * status, the roles, the last sign-in and the number of active sessions.
 * POST /admin/users/{id}/sessions/end ends every session of a user at
 * once (every worker on every host sees it on the user's next request)
 * and records it in the audit log.
 *
 * XML produced (xslt/auth/admin_users.xsl):
 *   <users status="" organisation="" source="" q="" first="yes|no">
 *     <organisation slug="" name=""/>...  (for the filter)
 *     <user id="" login="" name="" email="" source="" status=""
 *       disabled-reason="" last-login="" organisation="" sessions="">
 *       <role>...</role>...</user>...
 *     <next after="" after-id=""/>         (when there is a next page)
 *   </users>
 *
 * API (auth.h): pt_admin_users_get, pt_admin_users_end_post.  To add a
 * filter, add its field to admin_users_fields in login.c, a clause and
 * its binds to STMT_LIST, and an input to admin_users.xsl's filter form.
 */
#include <string.h>

#include "portico.h"
#include "auth.h"

#define PAGE_ROWS	50

enum {
	STMT_LIST,
	STMT_ORGS,
	STMT_USER,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* One more row than a page, to know whether a next page exists. */
	[STMT_LIST] = "SELECT u.id, u.login, u.name, u.email, u.source, "
	    "u.status, COALESCE(u.disabled_reason, ''), "
	    "COALESCE(u.last_login_at, ''), COALESCE(o.name, ''), "
	    "(SELECT GROUP_CONCAT(DISTINCT r.role ORDER BY r.role) "
	    "FROM user_roles r WHERE r.user_id = u.id), "
	    "(SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id "
	    "AND s.ended_at IS NULL AND s.expires_at > NOW() "
	    "AND s.last_seen_at > NOW() - INTERVAL ? SECOND) "
	    "FROM users u LEFT JOIN organisations o "
	    "ON o.id = u.organisation_id "
	    "WHERE (? IS NULL OR u.status = ?) "
	    "AND (? IS NULL OR o.slug = ?) "
	    "AND (? IS NULL OR u.source = ?) "
	    "AND (? IS NULL OR u.login LIKE ? OR u.name LIKE ? "
	    "OR u.email LIKE ?) "
	    "AND (? IS NULL OR u.login > ? OR (u.login = ? AND u.id > ?)) "
	    "ORDER BY u.login, u.id LIMIT 51",
	[STMT_ORGS] = "SELECT slug, name FROM organisations ORDER BY name",
	[STMT_USER] = "SELECT login FROM users WHERE id = ?",
};

/* A filter value among allowed, or NULL; *bad set when it is not. */
static const char *
one_of(const char *v, const char *const *allowed, bool *bad)
{
	size_t	 i;

	if (v == NULL || *v == '\0')
		return NULL;
	for (i = 0; allowed[i] != NULL; i++)
		if (strcmp(v, allowed[i]) == 0)
			return v;
	*bad = true;
	return NULL;
}

/* "%text%" for LIKE, with the pattern characters escaped. */
static const char *
like_pattern(struct pt_arena *a, const char *q)
{
	char	*out, *o;

	o = out = pt_alloc(a, 2 * strlen(q) + 3);
	*o++ = '%';
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*o++ = '\\';
		*o++ = *q;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

static void
bind_opt(struct pt_stmt *st, unsigned int i, const char *v, unsigned int n)
{
	unsigned int	 k;

	for (k = 0; k < n; k++) {
		if (v != NULL)
			pt_db_bind_text(st, i + k, v);
		else
			pt_db_bind_null(st, i + k);
	}
}

static int
list_orgs(struct pt_req *r, xmlNodePtr ux)
{
	struct pt_stmt	*st;
	xmlNodePtr	 ox;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORGS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		ox = pt_xml_elem(ux, "organisation");
		pt_xml_attr(ox, "slug", pt_db_col_text(st, 0));
		pt_xml_attr(ox, "name", pt_db_col_text(st, 1));
	}
	return rc == PT_DECLINED ? PT_OK : PT_ERR;
}

/* Adds <role> children from a comma-separated list. */
static void
roles_xml(xmlNodePtr x, struct pt_arena *a, const char *list)
{
	const char	*p = list, *comma;

	while (*p != '\0') {
		comma = strchr(p, ',');
		pt_xml_text(x, "role", comma ? pt_strndup(a, p,
		    (size_t)(comma - p)) : p);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

int
pt_admin_users_get(struct pt_req *r, xmlNodePtr out)
{
	static const char *const	 statuses[] = { "active", "disabled",
	    NULL };
	static const char *const	 sources[] = { "ldap", "oidc", "header",
	    NULL };
	const char			*status, *org, *source, *q, *after;
	const char			*last_login = NULL;
	struct pt_stmt			*st;
	xmlNodePtr			 ux, x, nx;
	int64_t				 after_id, last_id = 0;
	bool				 bad = false;
	int				 rc, n = 0;

	status = one_of(pt_req_str(r, "status"), statuses, &bad);
	source = one_of(pt_req_str(r, "source"), sources, &bad);
	if (bad)
		return pt_req_error(r, 400, "Filter by status (active, "
		    "disabled) and source (ldap, oidc, header) only.");
	org = pt_req_str(r, "organisation");
	if (org != NULL && *org == '\0')
		org = NULL;
	q = pt_req_str(r, "q");
	if (q != NULL && *q == '\0')
		q = NULL;
	after = pt_req_str(r, "after");
	after_id = pt_req_int(r, "after_id", 0);
	if (after == NULL || after_id <= 0)
		after = NULL;

	ux = pt_xml_elem(out, "users");
	pt_xml_attr(ux, "status", status);
	pt_xml_attr(ux, "organisation", org);
	pt_xml_attr(ux, "source", source);
	pt_xml_attr(ux, "q", q);
	pt_xml_attr(ux, "first", after ? "no" : "yes");
	if (list_orgs(r, ux) != PT_OK)
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LIST])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->cfg->session_idle_timeout);
	bind_opt(st, 1, status, 2);
	bind_opt(st, 3, org, 2);
	bind_opt(st, 5, source, 2);
	bind_opt(st, 7, q, 1);
	bind_opt(st, 8, q ? like_pattern(r->arena, q) : NULL, 3);
	bind_opt(st, 11, after, 3);
	if (after != NULL)
		pt_db_bind_int(st, 14, after_id);
	else
		pt_db_bind_null(st, 14);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > PAGE_ROWS)
			continue;	/* the extra row only says "more" */
		last_id = pt_db_col_int(st, 0);
		last_login = pt_db_col_text(st, 1);
		x = pt_xml_elem(ux, "user");
		pt_xml_attr_int(x, "id", last_id);
		pt_xml_attr(x, "login", last_login);
		pt_xml_attr(x, "name", pt_db_col_text(st, 2));
		pt_xml_attr(x, "email", pt_db_col_text(st, 3));
		pt_xml_attr(x, "source", pt_db_col_text(st, 4));
		pt_xml_attr(x, "status", pt_db_col_text(st, 5));
		if (*pt_db_col_text(st, 6) != '\0')
			pt_xml_attr(x, "disabled-reason", pt_db_col_text(st, 6));
		if (*pt_db_col_text(st, 7) != '\0')
			pt_xml_attr(x, "last-login", pt_db_col_text(st, 7));
		if (*pt_db_col_text(st, 8) != '\0')
			pt_xml_attr(x, "organisation", pt_db_col_text(st, 8));
		pt_xml_attr_int(x, "sessions", pt_db_col_int(st, 10));
		roles_xml(x, r->arena, pt_db_col_text(st, 9));
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > PAGE_ROWS) {
		nx = pt_xml_elem(ux, "next");
		pt_xml_attr(nx, "after", last_login);
		pt_xml_attr_int(nx, "after-id", last_id);
	}
	return 200;
}

int
pt_admin_users_end_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	int64_t		 id = pt_req_int(r, "id", 0);
	int		 rc;

	(void)out;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_req_error(r, 404, "There is no such user.");
	if (pt_sess_end_user(r->db, r->arena, id,
	    "ended by an administrator") != PT_OK)
		return 500;
	pt_login_audit(r, r->sess->user_id, "sessions_ended", id,
	    "every session, by an administrator");
	pt_rlog(r, PT_LOG_INFO, "admin: user %lld ended the sessions of user "
	    "%lld", (long long)r->sess->user_id, (long long)id);
	if (id == r->sess->user_id) {
		r->sess = NULL;	/* ended above: only the cookie is left */
		if (pt_auth_logout(r) != PT_OK ||
		    pt_resp_redirect(r, "/") != 303)
			return 500;
		return 303;
	}
	if (pt_resp_redirect(r, "/admin/users") != 303)
		return 500;
	return 303;
}
