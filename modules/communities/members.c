/*
 * members.c - who belongs to a community: the members page, joining,
 * asking to join, leaving, managers adding, removing, promoting and
 * demoting members, and deciding join requests; and the competitor check
 * that guards every way in.
 *
 * Membership has two sources that count equally (community.h):
 * community_members rows granted in the portal (source creator,
 * invitation, request, manager, open) and directory_memberships rows
 * granted by a directory group mapped in [communities].  Only the first
 * can be changed here: a member by directory group cannot leave or be
 * removed in the portal (the page names the group and says IT manages
 * it).  Once a membership ends, the community becomes unreadable to the
 * ex-member (unless it is open) and every URL of it answers
 * pt_comm_not_found(), their own old posts included.
 *
 * Every membership change writes a moderation_log row (who, when, what,
 * why).  Adding someone by a manager's action (adding, approving a request,
 * inviting) first runs pt_comm_conflict_gate(): a member of an
 * organisation that competes with one already in the community is
 * refused unless the manager ticks "override" and gives a reason, which is
 * recorded in the audit log (community_conflict_override) and the
 * moderation log.
 *
 * XML produced:
 *   members.xsl:  <community .../>  (pt_comm_xml)
 *                 <members can-manage="yes" me="" first="yes|no">
 *                   <member id="" login="" name="" organisation="" role=""
 *                       source="" joined="" added-by="">
 *                     <group>cn=...</group>...  (directory grants)
 *                   </member>...
 *                   <next after="" after-id=""/>
 *                   <error>message</error>
 *                   <add login="" reason="" override="yes"/>
 *                 </members>
 *   requests.xsl: <community .../>
 *                 <requests first="yes|no"><request id="" user="" login=""
 *                     name="" organisation="" created="">message</request>...
 *                   <next after-id=""/>  (100 a page, keyset on id)
 *                   <error request="">message</error></requests>
 *
 * API (members.h): pt_comm_conflict_check, pt_comm_conflict_gate and the
 * handlers pt_comm_members_get/post, pt_comm_join_post,
 * pt_comm_leave_post, pt_comm_remove_post, pt_comm_role_post,
 * pt_comm_requests_get/post, pt_comm_request_decide_post.  To add another
 * way in, call pt_comm_conflict_gate() inside its transaction and write a
 * moderation_log row with pt_comm_modlog().
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "members.h"

#define PAGE_ROWS	100

enum {
	STMT_CONFLICT,
	STMT_MEMBERS,
	STMT_ROW,
	STMT_DIRECTORY,
	STMT_MANAGERS,
	STMT_ADD,
	STMT_DELETE,
	STMT_SET_ROLE,
	STMT_REQUESTS,
	STMT_REQUEST,
	STMT_REQUEST_PENDING,
	STMT_REQUEST_INSERT,
	STMT_REQUEST_DECIDE,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/*
	 * The first organisation represented in the community (members of
	 * either source, recipients of pending invitations) that competes
	 * with org.  Parameters: org x4, community x3.
	 */
	[STMT_CONFLICT] = "SELECT o.name FROM organisation_conflicts oc "
	    "JOIN organisations o ON o.id = IF(oc.org_a = ?, oc.org_b, "
	    "oc.org_a) WHERE (oc.org_a = ? OR oc.org_b = ?) "
	    "AND IF(oc.org_a = ?, oc.org_b, oc.org_a) IN ("
	    "SELECT u.organisation_id FROM community_members m "
	    "JOIN users u ON u.id = m.user_id WHERE m.community_id = ? "
	    "UNION SELECT u.organisation_id FROM directory_memberships d "
	    "JOIN communities c ON c.slug = d.community_slug "
	    "JOIN users u ON u.id = d.user_id WHERE c.id = ? "
	    "UNION SELECT u.organisation_id FROM community_invitations i "
	    "JOIN users u ON u.id = i.invitee_user_id OR "
	    "(i.invitee_user_id IS NULL AND u.email <> '' AND "
	    "LOWER(u.email) = LOWER(i.invitee_email)) "
	    "WHERE i.community_id = ? AND i.status = 'pending' "
	    "AND i.expires_at > NOW()) ORDER BY o.name LIMIT 1",
	/*
	 * One page of members, keyset on (login, id).  Parameters: slug
	 * (groups), community (row), community, slug (the set), after x3,
	 * after id.
	 */
	[STMT_MEMBERS] = "SELECT u.id, u.login, u.name, COALESCE(o.name, ''), "
	    "COALESCE(m.role, ''), COALESCE(m.source, ''), "
	    "COALESCE(m.joined_at, ''), COALESCE(ab.login, ''), "
	    "COALESCE((SELECT GROUP_CONCAT(d.via_group ORDER BY d.via_group "
	    "SEPARATOR '\\n') FROM directory_memberships d "
	    "WHERE d.community_slug = ? AND d.user_id = u.id), '') "
	    "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "LEFT JOIN community_members m ON m.community_id = ? "
	    "AND m.user_id = u.id LEFT JOIN users ab ON ab.id = m.added_by "
	    "WHERE u.id IN (SELECT user_id FROM community_members "
	    "WHERE community_id = ? UNION SELECT user_id FROM "
	    "directory_memberships WHERE community_slug = ?) "
	    "AND (? IS NULL OR u.login > ? OR (u.login = ? AND u.id > ?)) "
	    "ORDER BY u.login, u.id LIMIT 101",
	[STMT_ROW] = "SELECT role FROM community_members "
	    "WHERE community_id = ? AND user_id = ?",
	[STMT_DIRECTORY] = "SELECT via_group FROM directory_memberships "
	    "WHERE community_slug = ? AND user_id = ? ORDER BY via_group "
	    "LIMIT 1",
	/*
	 * Run inside the transaction that demotes or removes a manager:
	 * FOR UPDATE locks the community's manager rows, so two managers
	 * leaving at once cannot both pass "another manager remains".
	 */
	[STMT_MANAGERS] = "SELECT COUNT(*) FROM community_members "
	    "WHERE community_id = ? AND role = 'manager' FOR UPDATE",
	[STMT_ADD] = "INSERT INTO community_members (community_id, user_id, "
	    "role, source, added_by) VALUES (?, ?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE user_id = user_id",
	[STMT_DELETE] = "DELETE FROM community_members "
	    "WHERE community_id = ? AND user_id = ?",
	[STMT_SET_ROLE] = "UPDATE community_members SET role = ? "
	    "WHERE community_id = ? AND user_id = ?",
	[STMT_REQUESTS] = "SELECT r.id, u.id, u.login, u.name, "
	    "COALESCE(o.name, ''), r.message, r.created_at "
	    "FROM community_join_requests r JOIN users u ON u.id = r.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "WHERE r.community_id = ? AND r.status = 'pending' AND r.id > ? "
	    "ORDER BY r.id LIMIT 101",
	[STMT_REQUEST] = "SELECT r.user_id, u.login, "
	    "COALESCE(u.organisation_id, 0) FROM community_join_requests r "
	    "JOIN users u ON u.id = r.user_id WHERE r.id = ? "
	    "AND r.community_id = ? AND r.status = 'pending'",
	[STMT_REQUEST_PENDING] = "SELECT 1 FROM community_join_requests "
	    "WHERE community_id = ? AND user_id = ? AND status = 'pending'",
	[STMT_REQUEST_INSERT] = "INSERT INTO community_join_requests "
	    "(community_id, user_id, message) VALUES (?, ?, ?)",
	[STMT_REQUEST_DECIDE] = "UPDATE community_join_requests SET "
	    "status = ?, decided_by = ?, decided_at = NOW(), "
	    "override_reason = ? WHERE id = ? AND status = 'pending'",
};

/* ------------------------------------------------------ conflict check */

int
pt_comm_conflict_check(struct pt_db *db, struct pt_arena *a,
    int64_t community, int64_t org, const char **with)
{
	struct pt_stmt	*st;
	unsigned int	 i;
	int		 rc;

	if (with != NULL)
		*with = NULL;
	if (org <= 0)
		return PT_OK;
	if ((st = pt_db_stmt(db, a, stmts[STMT_CONFLICT])) == NULL)
		return PT_ERR;
	for (i = 0; i < 4; i++)
		pt_db_bind_int(st, i, org);
	for (; i < 7; i++)
		pt_db_bind_int(st, i, community);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_DECLINED)
		return PT_OK;
	if (with != NULL)
		*with = pt_db_col_text(st, 0);
	return PT_DECLINED;
}

int
pt_comm_conflict_gate(struct pt_req *r, const struct pt_comm *c,
    int64_t user, int64_t org, const char *who, const char **reason_out)
{
	const char	*with, *reason;
	int		 rc;

	*reason_out = NULL;
	if ((rc = pt_comm_conflict_check(r->db, r->arena, c->id, org,
	    &with)) == PT_ERR)
		return 500;
	if (rc == PT_OK)
		return 200;
	reason = pt_req_str(r, "reason");
	if (!pt_req_int(r, "override", 0)) {
		r->error = pt_printf(r->arena, "%s works for an organisation "
		    "that competes with %s, which this community already "
		    "includes. To go ahead anyway, tick \"Override the "
		    "competitor check\" and give a reason; the override is "
		    "recorded in the audit log.", who, with);
		return 409;
	}
	if (reason == NULL || reason[strspn(reason, " ")] == '\0') {
		r->error = pt_printf(r->arena, "%s works for an organisation "
		    "that competes with %s. An override needs a reason.", who,
		    with);
		return 400;
	}
	if (pt_audit(r->db, r->arena, r->sess->user_id,
	    "community_conflict_override", user, pt_printf(r->arena,
	    "community %s: %s (competes with %s): %s", c->slug, who, with,
	    reason), r->id) != PT_OK ||
	    pt_comm_modlog(r, c->id, user, "conflict_override",
	    pt_printf(r->arena, "%s competes with %s: %s", who, with,
	    reason)) != PT_OK)
		return 500;
	*reason_out = reason;
	return 200;
}

/* ----------------------------------------------------------- helpers */

static int
count_managers(struct pt_req *r, int64_t cid, int64_t *n)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MANAGERS])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, cid);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	*n = pt_db_col_int(st, 0);
	return PT_OK;
}

/*
 * The portal membership of user in c: *role "" if none; *group the first
 * directory group granting it, "" if none.  PT_OK or PT_ERR.
 */
static int
membership(struct pt_req *r, const struct pt_comm *c, int64_t user,
    const char **role, const char **group)
{
	struct pt_stmt	*st;
	int		 rc;

	*role = *group = "";
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ROW])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, user);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_OK)
		*role = pt_db_col_text(st, 0);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_DIRECTORY])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, c->slug);
	pt_db_bind_int(st, 1, user);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_OK)
		*group = pt_db_col_text(st, 0);
	return PT_OK;
}

static int
add_member(struct pt_req *r, int64_t cid, int64_t user, const char *role,
    const char *source)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ADD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, cid);
	pt_db_bind_int(st, 1, user);
	pt_db_bind_text(st, 2, role);
	pt_db_bind_text(st, 3, source);
	pt_db_bind_int(st, 4, r->sess->user_id);
	return pt_db_exec(st);
}

static int
redirect(struct pt_req *r, const char *path)
{
	if (pt_resp_redirect(r, path) != 303)
		return 500;
	return 303;
}

static bool
can_manage(const struct pt_req *r, const struct pt_comm *c)
{
	return c->manager || pt_comm_is_admin(r);
}

/* ------------------------------------------------------- members page */

static void
groups_xml(xmlNodePtr mx, struct pt_arena *a, const char *list)
{
	const char	*p = list, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		pt_xml_text(mx, "group", nl ? pt_strndup(a, p, (size_t)(nl - p)) :
		    p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/*
 * Builds the members page of c; msg, when not NULL, is a refused form's
 * message, shown above the list with the values sent.
 */
static int
members_page(struct pt_req *r, const struct pt_comm *c, xmlNodePtr out,
    const char *msg)
{
	struct pt_stmt	*st;
	xmlNodePtr	 lx, mx, nx, ax;
	const char	*after, *last_login = NULL, *v;
	int64_t		 after_id, last_id = 0;
	int		 rc, n = 0;

	(void)pt_comm_xml(out, c);
	lx = pt_xml_elem(out, "members");
	if (can_manage(r, c))
		pt_xml_attr(lx, "can-manage", "yes");
	pt_xml_attr_int(lx, "me", r->sess->user_id);
	after = pt_req_str(r, "after");
	after_id = pt_req_int(r, "after_id", 0);
	if (after == NULL || after_id <= 0 || msg != NULL)
		after = NULL;
	pt_xml_attr(lx, "first", after ? "no" : "yes");
	if (msg != NULL) {
		pt_xml_text(lx, "error", msg);
		ax = pt_xml_elem(lx, "add");
		if ((v = pt_req_str(r, "login")) != NULL)
			pt_xml_attr(ax, "login", v);
		if ((v = pt_req_str(r, "reason")) != NULL)
			pt_xml_attr(ax, "reason", v);
		if (pt_req_int(r, "override", 0))
			pt_xml_attr(ax, "override", "yes");
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MEMBERS])) == NULL)
		return 500;
	pt_db_bind_text(st, 0, c->slug);
	pt_db_bind_int(st, 1, c->id);
	pt_db_bind_int(st, 2, c->id);
	pt_db_bind_text(st, 3, c->slug);
	if (after != NULL) {
		pt_db_bind_text(st, 4, after);
		pt_db_bind_text(st, 5, after);
		pt_db_bind_text(st, 6, after);
		pt_db_bind_int(st, 7, after_id);
	} else {
		pt_db_bind_null(st, 4);
		pt_db_bind_null(st, 5);
		pt_db_bind_null(st, 6);
		pt_db_bind_null(st, 7);
	}
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > PAGE_ROWS)
			continue;
		last_id = pt_db_col_int(st, 0);
		last_login = pt_db_col_text(st, 1);
		mx = pt_xml_elem(lx, "member");
		pt_xml_attr_int(mx, "id", last_id);
		pt_xml_attr(mx, "login", last_login);
		pt_xml_attr(mx, "name", pt_db_col_text(st, 2));
		if (*(v = pt_db_col_text(st, 3)) != '\0')
			pt_xml_attr(mx, "organisation", v);
		if (*(v = pt_db_col_text(st, 4)) != '\0') {
			pt_xml_attr(mx, "role", v);
			pt_xml_attr(mx, "source", pt_db_col_text(st, 5));
			pt_xml_attr(mx, "joined", pt_db_col_text(st, 6));
			if (*(v = pt_db_col_text(st, 7)) != '\0')
				pt_xml_attr(mx, "added-by", v);
		}
		groups_xml(mx, r->arena, pt_db_col_text(st, 8));
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > PAGE_ROWS) {
		nx = pt_xml_elem(lx, "next");
		pt_xml_attr(nx, "after", last_login);
		pt_xml_attr_int(nx, "after-id", last_id);
	}
	return 200;
}

/* The members page again, with msg, as the answer to a refused POST. */
static int
members_fail(struct pt_req *r, const struct pt_comm *c, xmlNodePtr out,
    int status, const char *msg)
{
	int	 st;

	if ((st = members_page(r, c, out, msg)) != 200)
		return st;
	r->keep_page = true;
	r->error = msg;
	return status;
}

/* Loads the {slug} community for a page that shows its content. */
static int
load_readable(struct pt_req *r, struct pt_comm *c)
{
	int	 rc;

	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), c);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK || !c->readable)
		return pt_comm_not_found(r);
	return 200;
}

int
pt_comm_members_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	int		 st;

	if ((st = load_readable(r, &c)) != 200)
		return st;
	return members_page(r, &c, out, NULL);
}

/* A manager adds a member by login. */
int
pt_comm_members_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_comm_user	 u;
	const char		*login, *role, *group, *why;
	int			 st, rc;

	if ((st = pt_comm_load_managed(r, &c)) != 200)
		return st;
	login = pt_req_str(r, "login");
	if (login == NULL || *login == '\0')
		return members_fail(r, &c, out, 400, "Give the login of the "
		    "person to add.");
	if ((rc = pt_comm_user_by_login(r, login, &u)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return members_fail(r, &c, out, 400, pt_printf(r->arena,
		    "Nobody with the login \"%s\" has signed in to the portal "
		    "yet. Invite them by email address instead.", login));
	if (membership(r, &c, u.id, &role, &group) != PT_OK)
		return 500;
	if (*role != '\0' || *group != '\0')
		return members_fail(r, &c, out, 409, pt_printf(r->arena,
		    "%s is already a member.", login));
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_comm_conflict_gate(r, &c, u.id, u.org_id, login,
	    &why)) != 200) {
		pt_db_rollback(r->db);
		return st == 500 ? 500 : members_fail(r, &c, out, st,
		    r->error);
	}
	if (add_member(r, c.id, u.id, "member", "manager") != PT_OK ||
	    pt_comm_modlog(r, c.id, u.id, "member_add", why ? why :
	    "added by a manager") != PT_OK || pt_db_commit(r->db) != PT_OK) {
		pt_db_rollback(r->db);
		return 500;
	}
	return redirect(r, pt_printf(r->arena, "/c/%s/members", c.slug));
}

int
pt_comm_join_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	int		 rc;

	(void)out;
	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), &c);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK)
		return pt_comm_not_found(r);
	if (c.member)
		return redirect(r, pt_printf(r->arena, "/c/%s", c.slug));
	if (c.priv || strcmp(c.join_policy, "open") != 0)
		return pt_req_error(r, 403, "This community does not take "
		    "members who just join: %s.", strcmp(c.join_policy,
		    "request") == 0 ? "ask to join, and a manager will decide" :
		    "its managers invite its members");
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if (add_member(r, c.id, r->sess->user_id, "member", "open") != PT_OK ||
	    pt_comm_modlog(r, c.id, r->sess->user_id, "member_join",
	    "joined an open community") != PT_OK ||
	    pt_db_commit(r->db) != PT_OK) {
		pt_db_rollback(r->db);
		return 500;
	}
	return redirect(r, pt_printf(r->arena, "/c/%s", c.slug));
}

/*
 * Ends user's portal membership of c; refuses a directory grant and the
 * last manager.  Returns 200 when done, else the status with r->error.
 */
static int
end_membership(struct pt_req *r, const struct pt_comm *c, int64_t user,
    const char *action, const char *reason)
{
	struct pt_stmt	*st;
	const char	*role, *group;
	int64_t		 managers;

	if (membership(r, c, user, &role, &group) != PT_OK)
		return 500;
	if (*group != '\0') {
		r->error = pt_printf(r->arena, "This membership comes from the "
		    "directory group %s. Your IT department manages it; it "
		    "cannot be ended in the portal.", group);
		return 409;
	}
	if (*role == '\0')
		return pt_comm_not_found(r);
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if (strcmp(role, "manager") == 0) {
		if (count_managers(r, c->id, &managers) != PT_OK)
			goto fail;
		if (managers <= 1) {
			pt_db_rollback(r->db);
			r->error = "A community needs a manager: name another "
			    "manager before this one goes.";
			return 409;
		}
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_DELETE])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, user);
	if (pt_db_exec(st) != PT_OK ||
	    pt_comm_modlog(r, c->id, user, action, reason) != PT_OK ||
	    pt_db_commit(r->db) != PT_OK)
		goto fail;
	return 200;
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_comm_leave_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	int		 st;

	if ((st = load_readable(r, &c)) != 200)
		return st;
	if (!c.member)
		return pt_comm_not_found(r);
	st = end_membership(r, &c, r->sess->user_id, "member_leave",
	    "left the community");
	if (st == 200)
		return redirect(r, "/communities");
	if (st == 409)
		return members_fail(r, &c, out, st, r->error);
	return st;
}

int
pt_comm_remove_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	const char	*reason;
	int		 st;

	if ((st = pt_comm_load_managed(r, &c)) != 200)
		return st;
	reason = pt_req_str(r, "reason");
	st = end_membership(r, &c, pt_req_int(r, "user", 0), "member_remove",
	    reason && *reason ? reason : "removed by a manager");
	if (st == 200)
		return redirect(r, pt_printf(r->arena, "/c/%s/members",
		    c.slug));
	if (st == 409)
		return members_fail(r, &c, out, st, r->error);
	return st;
}

int
pt_comm_role_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	const char	*want, *role, *group;
	int64_t		 user, managers;
	int		 rc;

	if ((rc = pt_comm_load_managed(r, &c)) != 200)
		return rc;
	user = pt_req_int(r, "user", 0);
	want = pt_req_str(r, "role");
	if (membership(r, &c, user, &role, &group) != PT_OK)
		return 500;
	if (*role == '\0' && *group == '\0')
		return pt_comm_not_found(r);
	if (want == NULL || (strcmp(want, "manager") != 0 &&
	    strcmp(want, "member") != 0))
		return members_fail(r, &c, out, 400, "Choose the role "
		    "\"manager\" or \"member\".");
	if (strcmp(want, role) == 0 ||
	    (*role == '\0' && strcmp(want, "member") == 0))
		return redirect(r, pt_printf(r->arena, "/c/%s/members",
		    c.slug));
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if (strcmp(want, "member") == 0) {
		if (count_managers(r, c.id, &managers) != PT_OK)
			goto fail;
		if (managers <= 1) {
			pt_db_rollback(r->db);
			return members_fail(r, &c, out, 409, "A community "
			    "needs a manager: name another manager first.");
		}
	}
	if (*role == '\0') {
		/* A member by directory group becomes a manager here too. */
		if (add_member(r, c.id, user, "manager", "manager") != PT_OK)
			goto fail;
	} else {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SET_ROLE])) ==
		    NULL)
			goto fail;
		pt_db_bind_text(st, 0, want);
		pt_db_bind_int(st, 1, c.id);
		pt_db_bind_int(st, 2, user);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
	}
	if (pt_comm_modlog(r, c.id, user, strcmp(want, "manager") == 0 ?
	    "member_promote" : "member_demote", pt_req_str(r, "reason")) !=
	    PT_OK || pt_db_commit(r->db) != PT_OK)
		goto fail;
	return redirect(r, pt_printf(r->arena, "/c/%s/members", c.slug));
fail:
	pt_db_rollback(r->db);
	return 500;
}

/* ------------------------------------------------------ join requests */

static int
requests_page(struct pt_req *r, const struct pt_comm *c, xmlNodePtr out,
    const char *msg, int64_t failed)
{
	struct pt_stmt	*st;
	xmlNodePtr	 lx, x;
	int64_t		 after = msg ? 0 : pt_req_int(r, "after_id", 0), last = 0;
	int		 rc, n = 0;

	(void)pt_comm_xml(out, c);
	lx = pt_xml_elem(out, "requests");
	pt_xml_attr(lx, "first", after > 0 ? "no" : "yes");
	if (msg != NULL) {
		x = pt_xml_text(lx, "error", msg);
		pt_xml_attr_int(x, "request", failed);
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REQUESTS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, after);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > PAGE_ROWS)
			continue;
		last = pt_db_col_int(st, 0);
		x = pt_xml_text(lx, "request", pt_db_col_text(st, 5));
		pt_xml_attr_int(x, "id", pt_db_col_int(st, 0));
		pt_xml_attr_int(x, "user", pt_db_col_int(st, 1));
		pt_xml_attr(x, "login", pt_db_col_text(st, 2));
		pt_xml_attr(x, "name", pt_db_col_text(st, 3));
		if (*pt_db_col_text(st, 4) != '\0')
			pt_xml_attr(x, "organisation", pt_db_col_text(st, 4));
		pt_xml_attr(x, "created", pt_db_col_text(st, 6));
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > PAGE_ROWS)
		pt_xml_attr_int(pt_xml_elem(lx, "next"), "after-id", last);
	return 200;
}

int
pt_comm_requests_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	int		 st;

	if ((st = pt_comm_load_managed(r, &c)) != 200)
		return st;
	return requests_page(r, &c, out, NULL, 0);
}

/* A user asks to join a community whose policy is "request". */
int
pt_comm_requests_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	const char	*msg;
	int		 rc;

	(void)out;
	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), &c);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK)
		return pt_comm_not_found(r);
	if (c.member)
		return redirect(r, pt_printf(r->arena, "/c/%s", c.slug));
	if (c.priv || strcmp(c.join_policy, "request") != 0)
		return pt_req_error(r, 403, "This community does not take "
		    "requests to join: %s.", strcmp(c.join_policy, "open") ==
		    0 ? "anyone may join it" :
		    "its managers invite its members");
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REQUEST_PENDING])) ==
	    NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_OK)
		return redirect(r, "/communities");
	msg = pt_req_str(r, "message");
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REQUEST_INSERT])) ==
	    NULL)
		goto fail;
	pt_db_bind_int(st, 0, c.id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	pt_db_bind_text(st, 2, msg ? msg : "");
	if (pt_db_exec(st) != PT_OK ||
	    pt_comm_modlog(r, c.id, r->sess->user_id, "request_create",
	    msg) != PT_OK || pt_db_commit(r->db) != PT_OK)
		goto fail;
	return redirect(r, "/communities");
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_comm_request_decide_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	const char	*login, *why = NULL, *suffix;
	int64_t		 id, user, org;
	bool		 approve;
	int		 rc;

	if ((rc = pt_comm_load_managed(r, &c)) != 200)
		return rc;
	suffix = strrchr(r->route->path, '/');
	approve = suffix != NULL && strcmp(suffix, "/approve") == 0;
	id = pt_req_int(r, "id", 0);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REQUEST])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, id);
	pt_db_bind_int(st, 1, c.id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	user = pt_db_col_int(st, 0);
	login = pt_db_col_text(st, 1);
	org = pt_db_col_int(st, 2);

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if (approve) {
		if ((rc = pt_comm_conflict_gate(r, &c, user, org, login,
		    &why)) != 200) {
			pt_db_rollback(r->db);
			if (rc == 500)
				return 500;
			if (requests_page(r, &c, out, r->error, id) != 200)
				return 500;
			r->keep_page = true;
			return rc;
		}
		if (add_member(r, c.id, user, "member", "request") != PT_OK)
			goto fail;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REQUEST_DECIDE])) ==
	    NULL)
		goto fail;
	pt_db_bind_text(st, 0, approve ? "approved" : "declined");
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (why != NULL)
		pt_db_bind_text(st, 2, why);
	else
		pt_db_bind_null(st, 2);
	pt_db_bind_int(st, 3, id);
	if (pt_db_exec(st) != PT_OK || pt_db_affected(st) != 1)
		goto fail;
	if (pt_comm_modlog(r, c.id, user, approve ? "request_approve" :
	    "request_decline", why ? why : pt_req_str(r, "reason")) != PT_OK ||
	    pt_db_commit(r->db) != PT_OK)
		goto fail;
	return redirect(r, pt_printf(r->arena, "/c/%s/requests", c.slug));
fail:
	pt_db_rollback(r->db);
	return 500;
}
