/*
 * communities.c - the communities module's route table, the list of
 * communities, creating a community and its settings.
 *
 * GET /communities lists the communities the user belongs to (with their
 * role and, for directory grants, that IT manages them), the listed ones
 * they may join or ask to join, the invitations waiting for them and their
 * pending join requests.  Listing uses PT_COMM_READABLE_SQL, so a
 * community the reader may not know of never appears, and a count is
 * shown only for a community the reader may read.
 * GET,POST /communities/new (channel managers and portal administrators)
 * creates one: name, address (slug), description, visibility, join policy,
 * private flag, first posts held for review and its managers by login;
 * the creator becomes a manager.  GET,POST /c/{slug}/settings lets its
 * managers change all of that but the address and the managers (those
 * are on the members page).
 *
 * XML produced:
 *   list.xsl:     <communities can-create="yes" first="yes|no">
 *                   <community .../ members="" role="">  (pt_comm_xml)...
 *                   <invitation id="" expires="" inviter="">
 *                     <community .../></invitation>...
 *                   <request slug="" name="" created=""/>...
 *                   <next after="" after-id=""/>  (100 a page, keyset)
 *                 </communities>
 *   new.xsl, settings.xsl:
 *                 <community-form mode="new|settings" slug="" name=""
 *                     visibility="" join-policy="" private="yes"
 *                     hold-first-posts="" managers="">
 *                   <description>..</description>
 *                   <error field="">message</error>   (a refused form)
 *                 </community-form>
 *
 * API: pt_mod_communities; for the other files of this module (members.h)
 * pt_comm_user_by_login, pt_comm_load_managed, pt_comm_is_admin,
 * pt_comm_modlog.  Membership lives in members.c, invitations in
 * invitations.c, competitor sets in conflicts.c.  To add a route, add its
 * handler there, declare it in members.h and list it in routes[] below with
 * its access bits, fields and stylesheet; then request it from a test in
 * tests/integration/ (tests/guards/routes.sh checks).
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "members.h"

#define LIST_ROWS	100

enum {
	STMT_LIST,
	STMT_MY_INVITES,
	STMT_MY_REQUESTS,
	STMT_SLUG_TAKEN,
	STMT_INSERT,
	STMT_UPDATE,
	STMT_MEMBER,
	STMT_USER_LOGIN,
	STMT_MODLOG,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/*
	 * One page, keyset on (name, id).  Parameters: user (directory),
	 * the READ rule (3), user (member), the READ rule again (3), after
	 * name x3, after id.
	 */
	[STMT_LIST] = "SELECT c.id, c.slug, c.name, c.description, "
	    "c.visibility, c.join_policy, c.private, COALESCE(m.role, ''), "
	    "EXISTS (SELECT 1 FROM directory_memberships d "
	    "WHERE d.community_slug = c.slug AND d.user_id = ?), "
	    PT_COMM_READABLE_SQL("c") ", "
	    "(SELECT COUNT(*) FROM community_members x "
	    "WHERE x.community_id = c.id) + "
	    "(SELECT COUNT(DISTINCT d2.user_id) FROM directory_memberships d2 "
	    "WHERE d2.community_slug = c.slug AND NOT EXISTS (SELECT 1 FROM "
	    "community_members y WHERE y.community_id = c.id "
	    "AND y.user_id = d2.user_id)) "
	    "FROM communities c LEFT JOIN community_members m "
	    "ON m.community_id = c.id AND m.user_id = ? "
	    "WHERE c.archived_at IS NULL AND (c.visibility = 'listed' OR "
	    PT_COMM_READABLE_SQL("c") ") "
	    "AND (? IS NULL OR c.name > ? OR (c.name = ? AND c.id > ?)) "
	    "ORDER BY c.name, c.id LIMIT 101",
	/* Invitations bound to the user, by account or by email address. */
	[STMT_MY_INVITES] = "SELECT i.id, i.expires_at, u.name, u.login, "
	    "c.id, c.slug, c.name, c.description, c.visibility, "
	    "c.join_policy, c.private FROM community_invitations i "
	    "JOIN communities c ON c.id = i.community_id "
	    "JOIN users u ON u.id = i.invited_by "
	    "WHERE i.status = 'pending' AND i.expires_at > NOW() "
	    "AND c.archived_at IS NULL AND (i.invitee_user_id = ? OR "
	    "(i.invitee_user_id IS NULL AND "
	    "LOWER(i.invitee_email) = LOWER(?))) "
	    "ORDER BY i.created_at DESC, i.id DESC LIMIT 100",
	[STMT_MY_REQUESTS] = "SELECT c.slug, c.name, r.created_at "
	    "FROM community_join_requests r JOIN communities c "
	    "ON c.id = r.community_id WHERE r.user_id = ? "
	    "AND r.status = 'pending' AND c.archived_at IS NULL "
	    "AND c.visibility = 'listed' ORDER BY r.created_at DESC LIMIT 100",
	[STMT_SLUG_TAKEN] = "SELECT 1 FROM communities WHERE slug = ?",
	[STMT_INSERT] = "INSERT INTO communities (slug, name, description, "
	    "visibility, join_policy, private, hold_first_posts, created_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_UPDATE] = "UPDATE communities SET name = ?, description = ?, "
	    "visibility = ?, join_policy = ?, private = ?, "
	    "hold_first_posts = ? WHERE id = ?",
	[STMT_MEMBER] = "INSERT INTO community_members (community_id, "
	    "user_id, role, source, added_by) VALUES (?, ?, 'manager', ?, ?) "
	    "ON DUPLICATE KEY UPDATE role = 'manager'",
	/*
	 * A person signed in through two identity sources (the directory and
	 * SSO) has two accounts with one login: the one they signed in with
	 * last is the one they use, so that is the one a manager means.
	 */
	[STMT_USER_LOGIN] = "SELECT id, COALESCE(organisation_id, 0), login, "
	    "name, email FROM users WHERE login = ? AND status = 'active' "
	    "ORDER BY last_login_at IS NULL, last_login_at DESC, id DESC "
	    "LIMIT 1",
	[STMT_MODLOG] = "INSERT INTO moderation_log (community_id, "
	    "subject_user_id, actor_id, action, reason) VALUES (?, ?, ?, ?, ?)",
};

/* ------------------------------------------------------------ helpers */

bool
pt_comm_is_admin(const struct pt_req *r)
{
	return r->sess != NULL &&
	    (r->sess->roles & (1u << PT_ROLE_PORTAL_ADMIN)) != 0;
}

int
pt_comm_user_by_login(struct pt_req *r, const char *login,
    struct pt_comm_user *u)
{
	struct pt_stmt	*st;
	int		 rc;

	memset(u, 0, sizeof(*u));
	if (login == NULL || *login == '\0')
		return PT_DECLINED;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER_LOGIN])) ==
	    NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, login);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_DECLINED)
		return PT_DECLINED;
	u->id = pt_db_col_int(st, 0);
	u->org_id = pt_db_col_int(st, 1);
	u->login = pt_db_col_text(st, 2);
	u->name = pt_db_col_text(st, 3);
	u->email = pt_db_col_text(st, 4);
	return PT_OK;
}

int
pt_comm_load_managed(struct pt_req *r, struct pt_comm *c)
{
	int	 rc;

	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), c);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK || !c->readable)
		return pt_comm_not_found(r);
	if (!c->manager && !pt_comm_is_admin(r))
		return pt_req_error(r, 403, "Only the managers of this "
		    "community can see or change this.");
	return 200;
}

int
pt_comm_modlog(struct pt_req *r, int64_t community, int64_t subject,
    const char *action, const char *reason)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MODLOG])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, community);
	if (subject > 0)
		pt_db_bind_int(st, 1, subject);
	else
		pt_db_bind_null(st, 1);
	pt_db_bind_int(st, 2, r->sess->user_id);
	pt_db_bind_text(st, 3, action);
	pt_db_bind_text(st, 4, reason ? reason : "");
	return pt_db_exec(st);
}

/* --------------------------------------------------------------- list */

static int
communities_list_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	struct pt_comm	 c;
	xmlNodePtr	 lx, cx, ix;
	int64_t		 user = r->sess->user_id;
	const char	*role, *after, *last_name = NULL;
	int64_t		 after_id, last_id = 0;
	unsigned int	 i, k;
	int		 rc, n = 0;

	after = pt_req_str(r, "after");
	after_id = pt_req_int(r, "after_id", 0);
	if (after == NULL || after_id <= 0)
		after = NULL;
	lx = pt_xml_elem(out, "communities");
	pt_xml_attr(lx, "first", after ? "no" : "yes");
	if (r->sess->access & (PT_ACCESS_CHANNEL_MANAGER | PT_ACCESS_ADMIN))
		pt_xml_attr(lx, "can-create", "yes");

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LIST])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, user);
	i = pt_comm_bind_readable(st, 1, r);
	pt_db_bind_int(st, i++, user);
	i = pt_comm_bind_readable(st, i, r);
	for (k = 0; k < 3; k++) {
		if (after != NULL)
			pt_db_bind_text(st, i++, after);
		else
			pt_db_bind_null(st, i++);
	}
	if (after != NULL)
		pt_db_bind_int(st, i, after_id);
	else
		pt_db_bind_null(st, i);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > LIST_ROWS)
			continue;	/* the extra row only says "more" */
		memset(&c, 0, sizeof(c));
		c.id = pt_db_col_int(st, 0);
		c.slug = pt_db_col_text(st, 1);
		c.name = pt_db_col_text(st, 2);
		c.description = pt_db_col_text(st, 3);
		c.visibility = pt_db_col_text(st, 4);
		c.join_policy = pt_db_col_text(st, 5);
		c.priv = pt_db_col_int(st, 6) != 0;
		role = pt_db_col_text(st, 7);
		c.directory = pt_db_col_int(st, 8) != 0;
		c.member = *role != '\0' || c.directory;
		c.manager = strcmp(role, "manager") == 0;
		c.staff = pt_comm_is_staff(r);
		c.moderator = c.manager || c.staff;
		c.readable = pt_db_col_int(st, 9) != 0;
		cx = pt_comm_xml(lx, &c);
		/* Counts only for a community the reader may read. */
		if (c.readable)
			pt_xml_attr_int(cx, "members", pt_db_col_int(st, 10));
		last_id = c.id;
		last_name = c.name;
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > LIST_ROWS) {
		cx = pt_xml_elem(lx, "next");
		pt_xml_attr(cx, "after", last_name);
		pt_xml_attr_int(cx, "after-id", last_id);
	}

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MY_INVITES])) ==
	    NULL)
		return 500;
	pt_db_bind_int(st, 0, user);
	if (r->sess->email != NULL && *r->sess->email != '\0')
		pt_db_bind_text(st, 1, r->sess->email);
	else
		pt_db_bind_null(st, 1);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		ix = pt_xml_elem(lx, "invitation");
		pt_xml_attr_int(ix, "id", pt_db_col_int(st, 0));
		pt_xml_attr(ix, "expires", pt_db_col_text(st, 1));
		pt_xml_attr(ix, "inviter", *pt_db_col_text(st, 2) != '\0' ?
		    pt_db_col_text(st, 2) : pt_db_col_text(st, 3));
		/* The recipient of an invitation may know its community. */
		memset(&c, 0, sizeof(c));
		c.id = pt_db_col_int(st, 4);
		c.slug = pt_db_col_text(st, 5);
		c.name = pt_db_col_text(st, 6);
		c.description = pt_db_col_text(st, 7);
		c.visibility = pt_db_col_text(st, 8);
		c.join_policy = pt_db_col_text(st, 9);
		c.priv = pt_db_col_int(st, 10) != 0;
		(void)pt_comm_xml(ix, &c);
	}
	if (rc != PT_DECLINED)
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MY_REQUESTS])) ==
	    NULL)
		return 500;
	pt_db_bind_int(st, 0, user);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		ix = pt_xml_elem(lx, "request");
		pt_xml_attr(ix, "slug", pt_db_col_text(st, 0));
		pt_xml_attr(ix, "name", pt_db_col_text(st, 1));
		pt_xml_attr(ix, "created", pt_db_col_text(st, 2));
	}
	return rc == PT_DECLINED ? 200 : 500;
}

/* ------------------------------------------------------ create, edit */

struct comm_form {
	const char	*slug;
	const char	*name;
	const char	*description;
	const char	*visibility;
	const char	*join_policy;
	bool		 priv;
	int64_t		 hold;
	const char	*managers;
};

static xmlNodePtr
form_xml(xmlNodePtr out, const char *mode, const struct comm_form *f)
{
	xmlNodePtr	 fx;

	fx = pt_xml_elem(out, "community-form");
	pt_xml_attr(fx, "mode", mode);
	pt_xml_attr(fx, "slug", f->slug);
	pt_xml_attr(fx, "name", f->name);
	pt_xml_attr(fx, "visibility", f->visibility);
	pt_xml_attr(fx, "join-policy", f->join_policy);
	if (f->priv)
		pt_xml_attr(fx, "private", "yes");
	pt_xml_attr_int(fx, "hold-first-posts", f->hold);
	pt_xml_attr(fx, "managers", f->managers);
	pt_xml_text(fx, "description", f->description);
	return fx;
}

/* Re-renders the refused form with its message; returns status. */
static int
form_error(struct pt_req *r, xmlNodePtr out, const char *mode,
    const struct comm_form *f, int status, const char *field,
    const char *msg)
{
	xmlNodePtr	 ex;

	ex = pt_xml_text(form_xml(out, mode, f), "error", msg);
	pt_xml_attr(ex, "field", field);
	r->keep_page = true;
	r->error = msg;
	return status;
}

static bool
one_of(const char *v, const char *const *allowed)
{
	size_t	 i;

	for (i = 0; v != NULL && allowed[i] != NULL; i++)
		if (strcmp(v, allowed[i]) == 0)
			return true;
	return false;
}

static void
form_read(struct pt_req *r, struct comm_form *f)
{
	memset(f, 0, sizeof(*f));
	f->slug = pt_req_str(r, "slug");
	f->name = pt_req_str(r, "name");
	f->description = pt_req_str(r, "description");
	f->visibility = pt_req_str(r, "visibility");
	f->join_policy = pt_req_str(r, "join_policy");
	f->priv = pt_req_int(r, "private", 0) != 0;
	f->hold = pt_req_int(r, "hold_first_posts", 0);
	f->managers = pt_req_str(r, "managers");
	if (f->name == NULL)
		f->name = "";
	if (f->description == NULL)
		f->description = "";
}

/*
 * Checks what the form says a community is; returns 200 or the refused
 * form.  The private rule is also a CHECK constraint in the schema; this
 * gives its readable message.
 */
static int
form_check(struct pt_req *r, xmlNodePtr out, const char *mode,
    const struct comm_form *f)
{
	static const char *const	 vis[] = { "listed", "unlisted",
	    "secret", NULL };
	static const char *const	 pol[] = { "open", "request",
	    "invitation", NULL };
	const char			*p;

	for (p = f->name; *p == ' '; p++)
		;
	if (*p == '\0')
		return form_error(r, out, mode, f, 400, "name",
		    "Give the community a name.");
	if (!one_of(f->visibility, vis))
		return form_error(r, out, mode, f, 400, "visibility",
		    "Choose who can see that the community exists: listed, "
		    "unlisted or secret.");
	if (!one_of(f->join_policy, pol))
		return form_error(r, out, mode, f, 400, "join_policy",
		    "Choose how people join: open, by request or by "
		    "invitation only.");
	if (f->priv && (strcmp(f->join_policy, "invitation") != 0 ||
	    strcmp(f->visibility, "listed") == 0))
		return form_error(r, out, mode, f, 400, "private",
		    "A private community must be invitation-only and not "
		    "listed: choose \"By invitation only\" and \"Unlisted\" "
		    "or \"Secret\".");
	return 200;
}

static int
communities_new_get(struct pt_req *r, xmlNodePtr out)
{
	struct comm_form	 f;

	memset(&f, 0, sizeof(f));
	f.name = f.description = "";
	f.visibility = "listed";
	f.join_policy = "open";
	(void)r;
	(void)form_xml(out, "new", &f);
	return 200;
}

/* The next login of a comma- or space-separated list, or NULL. */
static const char *
next_login(struct pt_arena *a, const char **pp)
{
	const char	*p = *pp, *start;

	p += strspn(p, ", ;\t");
	if (*p == '\0') {
		*pp = p;
		return NULL;
	}
	start = p;
	p += strcspn(p, ", ;\t");
	*pp = p;
	return pt_strndup(a, start, (size_t)(p - start));
}

static int
communities_new_post(struct pt_req *r, xmlNodePtr out)
{
	struct comm_form	 f;
	struct pt_comm_user	 u;
	struct pt_stmt		*st;
	const char		*p, *login, *with;
	int64_t			 cid, ids[32];
	size_t			 nids = 0, k;
	int			 rc;

	form_read(r, &f);
	if (f.slug == NULL)
		f.slug = "";
	if (*f.slug == '\0' || strspn(f.slug, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-") != strlen(f.slug))
		return form_error(r, out, "new", &f, 400, "slug", "Give the "
		    "community an address of lowercase letters, digits and "
		    "hyphens.");
	if ((rc = form_check(r, out, "new", &f)) != 200)
		return rc;
	/* Managers named by login must have signed in once. */
	for (p = f.managers ? f.managers : ""; (login = next_login(r->arena,
	    &p)) != NULL;) {
		if ((rc = pt_comm_user_by_login(r, login, &u)) == PT_ERR)
			return 500;
		if (rc == PT_DECLINED)
			return form_error(r, out, "new", &f, 400, "managers",
			    pt_printf(r->arena, "Nobody with the login \"%s\" "
			    "has signed in to the portal yet, so they cannot "
			    "be a manager yet.", login));
		/* A login named twice is one manager, logged once. */
		for (k = 0; k < nids && ids[k] != u.id; k++)
			;
		if (k < nids)
			continue;
		if (nids == PT_NELEM(ids))
			return form_error(r, out, "new", &f, 400, "managers",
			    "Name at most 32 managers here; add more from the "
			    "members page.");
		ids[nids++] = u.id;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SLUG_TAKEN])) ==
	    NULL)
		return 500;
	pt_db_bind_text(st, 0, f.slug);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_OK)
		return form_error(r, out, "new", &f, 409, "slug",
		    "Another community already has that address; choose "
		    "another.");

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_INSERT])) == NULL)
		goto fail;
	pt_db_bind_text(st, 0, f.slug);
	pt_db_bind_text(st, 1, f.name);
	pt_db_bind_text(st, 2, f.description);
	pt_db_bind_text(st, 3, f.visibility);
	pt_db_bind_text(st, 4, f.join_policy);
	pt_db_bind_int(st, 5, f.priv);
	pt_db_bind_int(st, 6, f.hold);
	pt_db_bind_int(st, 7, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	cid = (int64_t)pt_db_insert_id(st);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MEMBER])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, cid);
	pt_db_bind_int(st, 1, r->sess->user_id);
	pt_db_bind_text(st, 2, "creator");
	pt_db_bind_int(st, 3, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	for (k = 0; k < nids; k++) {
		if (ids[k] == r->sess->user_id)
			continue;
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MEMBER])) ==
		    NULL)
			goto fail;
		pt_db_bind_int(st, 0, cid);
		pt_db_bind_int(st, 1, ids[k]);
		pt_db_bind_text(st, 2, "manager");
		pt_db_bind_int(st, 3, r->sess->user_id);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
		if (pt_comm_modlog(r, cid, ids[k], "manager_add",
		    "named at creation") != PT_OK)
			goto fail;
	}
	/* No two named managers may come from competing organisations. */
	for (p = f.managers ? f.managers : ""; (login = next_login(r->arena,
	    &p)) != NULL;) {
		if (pt_comm_user_by_login(r, login, &u) != PT_OK)
			goto fail;
		rc = pt_comm_conflict_check(r->db, r->arena, cid, u.org_id,
		    &with);
		if (rc == PT_ERR)
			goto fail;
		if (rc == PT_DECLINED) {
			pt_db_rollback(r->db);
			return form_error(r, out, "new", &f, 409, "managers",
			    pt_printf(r->arena, "\"%s\" works for an "
			    "organisation that competes with %s, which the "
			    "other managers represent. Name them from the "
			    "members page afterwards, where a manager can "
			    "override with a reason.", login, with));
		}
	}
	if (pt_comm_modlog(r, cid, 0, "community_create", f.name) != PT_OK)
		goto fail;
	if (pt_audit(r->db, r->arena, r->sess->user_id, "community_create", 0,
	    pt_printf(r->arena, "community %s", f.slug), r->id) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	if (pt_resp_redirect(r, pt_printf(r->arena, "/c/%s/members",
	    f.slug)) != 303)
		return 500;
	return 303;
fail:
	pt_db_rollback(r->db);
	return 500;
}

static int
settings_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct comm_form	 f;
	xmlNodePtr		 fx;
	int			 st;

	if ((st = pt_comm_load_managed(r, &c)) != 200)
		return st;
	memset(&f, 0, sizeof(f));
	f.slug = c.slug;
	f.name = c.name;
	f.description = c.description;
	f.visibility = c.visibility;
	f.join_policy = c.join_policy;
	f.priv = c.priv;
	f.hold = c.hold_first_posts;
	(void)pt_comm_xml(out, &c);
	fx = form_xml(out, "settings", &f);
	if (pt_req_int(r, "saved", 0))
		pt_xml_attr(fx, "saved", "yes");
	return 200;
}

static int
settings_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct comm_form	 f;
	struct pt_stmt		*st;
	int			 rc;

	if ((rc = pt_comm_load_managed(r, &c)) != 200)
		return rc;
	form_read(r, &f);
	f.slug = c.slug;
	(void)pt_comm_xml(out, &c);
	if ((rc = form_check(r, out, "settings", &f)) != 200)
		return rc;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_UPDATE])) == NULL)
		goto fail;
	pt_db_bind_text(st, 0, f.name);
	pt_db_bind_text(st, 1, f.description);
	pt_db_bind_text(st, 2, f.visibility);
	pt_db_bind_text(st, 3, f.join_policy);
	pt_db_bind_int(st, 4, f.priv);
	pt_db_bind_int(st, 5, f.hold);
	pt_db_bind_int(st, 6, c.id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_comm_modlog(r, c.id, 0, "settings_change",
	    pt_printf(r->arena, "visibility %s, join %s%s, hold %lld",
	    f.visibility, f.join_policy, f.priv ? ", private" : "",
	    (long long)f.hold)) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	if (pt_resp_redirect(r, pt_printf(r->arena, "/c/%s/settings?saved=1",
	    c.slug)) != 303)
		return 500;
	return 303;
fail:
	pt_db_rollback(r->db);
	return 500;
}

/* ------------------------------------------------------------- routes */

#define F_SLUG	{ "slug", PT_F_TEXT, PT_IN_PATH, true, 1, 64 }
#define F_OVERRIDE							\
	{ "override", PT_F_BOOL, PT_IN_BODY, false, 0, 0 },		\
	{ "reason", PT_F_TEXT, PT_IN_BODY, false, 0, 512 }

static const struct pt_field slug_fields[] = {
	F_SLUG,
	{ "saved", PT_F_BOOL, PT_IN_QUERY, false, 0, 0 },
	{ .name = NULL },
};

static const struct pt_field create_fields[] = {
	{ "slug", PT_F_TEXT, PT_IN_BODY, false, 0, 64 },
	{ "name", PT_F_TEXT, PT_IN_BODY, false, 0, 128 },
	{ "description", PT_F_MULTILINE, PT_IN_BODY, false, 0, 10000 },
	{ "visibility", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "join_policy", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "private", PT_F_BOOL, PT_IN_BODY, false, 0, 0 },
	{ "hold_first_posts", PT_F_INT, PT_IN_BODY, false, 0, 1000 },
	{ "managers", PT_F_TEXT, PT_IN_BODY, false, 0, 2000 },
	{ .name = NULL },
};

static const struct pt_field settings_fields[] = {
	F_SLUG,
	{ "name", PT_F_TEXT, PT_IN_BODY, false, 0, 128 },
	{ "description", PT_F_MULTILINE, PT_IN_BODY, false, 0, 10000 },
	{ "visibility", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "join_policy", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "private", PT_F_BOOL, PT_IN_BODY, false, 0, 0 },
	{ "hold_first_posts", PT_F_INT, PT_IN_BODY, false, 0, 1000 },
	{ .name = NULL },
};

static const struct pt_field members_fields[] = {
	F_SLUG,
	{ "after", PT_F_TEXT, PT_IN_QUERY, false, 0, 255 },
	{ "after_id", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ .name = NULL },
};

static const struct pt_field add_fields[] = {
	F_SLUG,
	{ "login", PT_F_TEXT, PT_IN_BODY, false, 0, 255 },
	F_OVERRIDE,
	{ .name = NULL },
};

static const struct pt_field member_fields[] = {
	F_SLUG,
	{ "user", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "role", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "reason", PT_F_TEXT, PT_IN_BODY, false, 0, 512 },
	{ .name = NULL },
};

static const struct pt_field request_fields[] = {
	F_SLUG,
	{ "message", PT_F_MULTILINE, PT_IN_BODY, false, 0, 1000 },
	{ .name = NULL },
};

static const struct pt_field decide_fields[] = {
	F_SLUG,
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	F_OVERRIDE,
	{ .name = NULL },
};

static const struct pt_field invite_fields[] = {
	F_SLUG,
	{ "to", PT_F_TEXT, PT_IN_BODY, false, 0, 255 },
	F_OVERRIDE,
	{ .name = NULL },
};

static const struct pt_field invite_id_fields[] = {
	F_SLUG,
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ .name = NULL },
};

static const struct pt_field token_fields[] = {
	{ "token", PT_F_TEXT, PT_IN_PATH, true, 1, 128 },
	{ "action", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ .name = NULL },
};

static const struct pt_field my_invite_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "action", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ .name = NULL },
};

static const struct pt_field conflict_fields[] = {
	{ "action", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "org_a", PT_F_SLUG, PT_IN_BODY, false, 1, 64 },
	{ "org_b", PT_F_SLUG, PT_IN_BODY, false, 1, 64 },
	{ "reason", PT_F_TEXT, PT_IN_BODY, false, 0, 512 },
	{ .name = NULL },
};

static const struct pt_field list_fields[] = {
	{ "after", PT_F_TEXT, PT_IN_QUERY, false, 0, 255 },
	{ "after_id", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ .name = NULL },
};

static const struct pt_field page_fields[] = {
	F_SLUG,
	{ "after_id", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ "before", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ .name = NULL },
};

#define CREATORS	(PT_ACCESS_CHANNEL_MANAGER | PT_ACCESS_ADMIN)

static const struct pt_route routes[] = {
	{ "/communities", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, list_fields,
	    "communities/list.xsl", communities_list_get },
	{ "/communities/new", PT_GET, CREATORS, 0, NULL,
	    "communities/new.xsl", communities_new_get },
	{ "/communities/new", PT_POST, CREATORS, PT_CSRF, create_fields,
	    "communities/new.xsl", communities_new_post },
	/* Accept or decline an invitation listed on /communities. */
	{ "/communities/invitations/{id}", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    my_invite_fields, "communities/invitation.xsl",
	    pt_comm_invitation_id_post },
	{ "/c/{slug}/settings", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    slug_fields, "communities/settings.xsl", settings_get },
	{ "/c/{slug}/settings", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    settings_fields, "communities/settings.xsl", settings_post },
	{ "/c/{slug}/members", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    members_fields, "communities/members.xsl", pt_comm_members_get },
	{ "/c/{slug}/members", PT_POST, PT_ACCESS_USER, PT_CSRF, add_fields,
	    "communities/members.xsl", pt_comm_members_post },
	{ "/c/{slug}/join", PT_POST, PT_ACCESS_USER, PT_CSRF, slug_fields,
	    "communities/members.xsl", pt_comm_join_post },
	{ "/c/{slug}/leave", PT_POST, PT_ACCESS_USER, PT_CSRF, slug_fields,
	    "communities/members.xsl", pt_comm_leave_post },
	{ "/c/{slug}/members/{user}/remove", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    member_fields, "communities/members.xsl", pt_comm_remove_post },
	{ "/c/{slug}/members/{user}/role", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    member_fields, "communities/members.xsl", pt_comm_role_post },
	{ "/c/{slug}/requests", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    page_fields, "communities/requests.xsl", pt_comm_requests_get },
	{ "/c/{slug}/requests", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    request_fields, "communities/requests.xsl", pt_comm_requests_post },
	{ "/c/{slug}/requests/{id}/approve", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    decide_fields, "communities/requests.xsl",
	    pt_comm_request_decide_post },
	{ "/c/{slug}/requests/{id}/decline", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    decide_fields, "communities/requests.xsl",
	    pt_comm_request_decide_post },
	{ "/c/{slug}/invitations", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    page_fields, "communities/invitations.xsl",
	    pt_comm_invitations_get },
	{ "/c/{slug}/invitations", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    invite_fields, "communities/invitations.xsl",
	    pt_comm_invitations_post },
	{ "/c/{slug}/invitations/{id}/revoke", PT_POST, PT_ACCESS_USER,
	    PT_CSRF, invite_id_fields, "communities/invitations.xsl",
	    pt_comm_invitation_revoke_post },
	{ "/c/{slug}/invitations/{id}/resend", PT_POST, PT_ACCESS_USER,
	    PT_CSRF, invite_id_fields, "communities/invitations.xsl",
	    pt_comm_invitation_resend_post },
	{ "/invitations/{token}", PT_GET, PT_ACCESS_USER, 0, token_fields,
	    "communities/invitation.xsl", pt_comm_invitation_get },
	{ "/invitations/{token}", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    token_fields, "communities/invitation.xsl",
	    pt_comm_invitation_post },
	{ "/admin/conflicts", PT_GET, PT_ACCESS_ADMIN, PT_XMLVIEW, NULL,
	    "communities/conflicts.xsl", pt_comm_conflicts_get },
	{ "/admin/conflicts", PT_POST, PT_ACCESS_ADMIN, PT_CSRF,
	    conflict_fields, "communities/conflicts.xsl",
	    pt_comm_conflicts_post },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct pt_module pt_mod_communities = {
	.name = "communities",
	.routes = routes,
};
