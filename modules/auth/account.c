/*
 * account.c - "my account": who the portal thinks you are, and your
 * sessions.
 *
 * GET /account shows the signed-in user, their organisation, their roles
 * with where each came from (the identity source and the directory group
 * that granted it, or a manual grant, and when it was last confirmed),
 * the groups the identity source reported (with the roles each grants),
 * and every active session with a button to end it.
 * POST /account/sessions/{id}/end ends one of the user's own sessions: a
 * session of someone else answers exactly as a missing one does (404), so
 * session ids cannot be probed.  POST /account/sessions/end-all signs the
 * user out everywhere, this browser included.
 *
 * XML produced (xslt/auth/account.xsl):
 *   <account>
 *     <user login="" name="" email="" source="" external-id="" created=""
 *       last-login=""/>
 *     <organisation name="" slug="" kind="" type="" tier="" region=""/>
 *     <role name="" source="" via-group="" confirmed=""/>...
 *     <group source="" name="" confirmed=""><grants>role</grants></group>...
 *     <session id="" method="" created="" last-seen="" expires=""
 *       address="" agent="" current="yes"/>...
 *   </account>
 *
 * API (auth.h): pt_account_get, pt_account_end_post,
 * pt_account_end_all_post.  To show more about the user, add a column to
 * STMT_USER and an attribute in account_user().
 */
#include <string.h>

#include "portico.h"
#include "auth.h"
#include "ldap.h"

enum {
	STMT_USER,
	STMT_ROLES,
	STMT_GROUPS,
	STMT_SESSIONS,
	STMT_END_OWN,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_USER] = "SELECT u.login, u.name, u.email, u.source, "
	    "u.external_id, u.created_at, COALESCE(u.last_login_at, ''), "
	    "o.id, COALESCE(o.name, ''), COALESCE(o.slug, ''), "
	    "COALESCE(o.kind, ''), COALESCE(o.partner_type, ''), "
	    "COALESCE(t.name, ''), COALESCE(o.region, '') "
	    "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "LEFT JOIN program_tiers t ON t.id = o.tier_id WHERE u.id = ?",
	[STMT_ROLES] = "SELECT role, source, COALESCE(via_group, ''), "
	    "confirmed_at FROM user_roles WHERE user_id = ? "
	    "ORDER BY role, source",
	[STMT_GROUPS] = "SELECT source, group_name, confirmed_at "
	    "FROM user_groups WHERE user_id = ? ORDER BY source, group_name "
	    "LIMIT 2000",
	[STMT_SESSIONS] = "SELECT id, method, created_at, last_seen_at, "
	    "expires_at, client_addr, user_agent FROM sessions "
	    "WHERE user_id = ? AND ended_at IS NULL AND expires_at > NOW() "
	    "AND last_seen_at > NOW() - INTERVAL ? SECOND "
	    "ORDER BY last_seen_at DESC, id DESC LIMIT 100",
	[STMT_END_OWN] = "UPDATE sessions SET ended_at = NOW(), "
	    "end_reason = 'ended by its user' "
	    "WHERE id = ? AND user_id = ? AND ended_at IS NULL",
};

/* True if a configured [roles] group and a reported group are the same. */
static bool
group_is(const char *source, const char *configured, const char *reported)
{
	if (strcmp(configured, reported) == 0)
		return true;
	return strcmp(source, "ldap") == 0 &&
	    pt_ldap_dn_equal(configured, reported);
}

static int
account_user(struct pt_req *r, xmlNodePtr ax)
{
	struct pt_stmt	*st;
	xmlNodePtr	 ux, ox;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	ux = pt_xml_elem(ax, "user");
	pt_xml_attr(ux, "login", pt_db_col_text(st, 0));
	pt_xml_attr(ux, "name", pt_db_col_text(st, 1));
	pt_xml_attr(ux, "email", pt_db_col_text(st, 2));
	pt_xml_attr(ux, "source", pt_db_col_text(st, 3));
	pt_xml_attr(ux, "external-id", pt_db_col_text(st, 4));
	pt_xml_attr(ux, "created", pt_db_col_text(st, 5));
	pt_xml_attr(ux, "last-login", pt_db_col_text(st, 6));
	pt_xml_attr(ux, "method", r->sess->method);
	if (!pt_db_col_null(st, 7)) {
		ox = pt_xml_elem(ax, "organisation");
		pt_xml_attr(ox, "name", pt_db_col_text(st, 8));
		pt_xml_attr(ox, "slug", pt_db_col_text(st, 9));
		pt_xml_attr(ox, "kind", pt_db_col_text(st, 10));
		pt_xml_attr(ox, "type", pt_db_col_text(st, 11));
		pt_xml_attr(ox, "tier", pt_db_col_text(st, 12));
		pt_xml_attr(ox, "region", pt_db_col_text(st, 13));
	}
	return PT_OK;
}

static int
account_roles(struct pt_req *r, xmlNodePtr ax)
{
	const struct pt_rolemap	*m;
	struct pt_stmt		*st;
	xmlNodePtr		 x;
	const char		*src, *name;
	size_t			 i;
	int			 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ROLES])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		x = pt_xml_elem(ax, "role");
		pt_xml_attr(x, "name", pt_db_col_text(st, 0));
		pt_xml_attr(x, "source", pt_db_col_text(st, 1));
		if (*pt_db_col_text(st, 2) != '\0')
			pt_xml_attr(x, "via-group", pt_db_col_text(st, 2));
		pt_xml_attr(x, "confirmed", pt_db_col_text(st, 3));
	}
	if (rc != PT_DECLINED)
		return PT_ERR;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_GROUPS])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		src = pt_db_col_text(st, 0);
		name = pt_db_col_text(st, 1);
		x = pt_xml_elem(ax, "group");
		pt_xml_attr(x, "source", src);
		pt_xml_attr(x, "name", name);
		pt_xml_attr(x, "confirmed", pt_db_col_text(st, 2));
		for (i = 0; i < r->cfg->nrolemap; i++) {
			m = &r->cfg->rolemap[i];
			if (group_is(src, m->group, name))
				pt_xml_text(x, "grants", pt_role_names[m->role]);
		}
	}
	return rc == PT_DECLINED ? PT_OK : PT_ERR;
}

static int
account_sessions(struct pt_req *r, xmlNodePtr ax)
{
	struct pt_stmt	*st;
	xmlNodePtr	 sx;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SESSIONS])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, r->cfg->session_idle_timeout);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		sx = pt_xml_elem(ax, "session");
		pt_xml_attr_int(sx, "id", pt_db_col_int(st, 0));
		pt_xml_attr(sx, "method", pt_db_col_text(st, 1));
		pt_xml_attr(sx, "created", pt_db_col_text(st, 2));
		pt_xml_attr(sx, "last-seen", pt_db_col_text(st, 3));
		pt_xml_attr(sx, "expires", pt_db_col_text(st, 4));
		pt_xml_attr(sx, "address", pt_db_col_text(st, 5));
		pt_xml_attr(sx, "agent", pt_db_col_text(st, 6));
		if (pt_db_col_int(st, 0) == r->sess->id)
			pt_xml_attr(sx, "current", "yes");
	}
	return rc == PT_DECLINED ? PT_OK : PT_ERR;
}

int
pt_account_get(struct pt_req *r, xmlNodePtr out)
{
	xmlNodePtr	 ax = pt_xml_elem(out, "account");

	if (account_user(r, ax) != PT_OK || account_roles(r, ax) != PT_OK ||
	    account_sessions(r, ax) != PT_OK)
		return 500;
	return 200;
}

/* Forgets this browser's session cookie; the session is already ended. */
static int
signed_out(struct pt_req *r)
{
	r->sess = NULL;		/* ended above: only the cookie is left */
	if (pt_auth_logout(r) != PT_OK || pt_resp_redirect(r, "/") != 303)
		return 500;
	return 303;
}

int
pt_account_end_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	int64_t		 id = pt_req_int(r, "id", 0);

	(void)out;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_END_OWN])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	if (pt_db_affected(st) == 0)
		return pt_req_error(r, 404, "We could not find that session. "
		    "It may have ended already.");
	pt_login_audit(r, r->sess->user_id, "session_ended", r->sess->user_id,
	    pt_printf(r->arena, "session %lld, by its user", (long long)id));
	if (id == r->sess->id)
		return signed_out(r);
	if (pt_resp_redirect(r, "/account") != 303)
		return 500;
	return 303;
}

int
pt_account_end_all_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	if (pt_sess_end_user(r->db, r->arena, r->sess->user_id,
	    "signed out everywhere") != PT_OK)
		return 500;
	pt_login_audit(r, r->sess->user_id, "sessions_ended",
	    r->sess->user_id, "every session, by its user");
	return signed_out(r);
}
