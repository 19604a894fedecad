/*
 * access.c - who may see a community: the one implementation of the rule
 * stated in community.h, used by every community route, feed, listing,
 * notification and mail, and by the partner directory.
 *
 * API (community.h): pt_comm_load, pt_comm_load_thread, pt_comm_load_post,
 * pt_comm_bind_readable, pt_comm_is_staff, pt_comm_user_can_read,
 * pt_comm_not_found, pt_comm_xml.  To change who may read a community,
 * change PT_COMM_READABLE_SQL (community.h) and STMT_LOAD below together:
 * they must agree, and tests/integration/test_isolation.py checks both.
 */
#include <string.h>

#include "portico.h"
#include "community.h"

enum {
	STMT_LOAD_ID,
	STMT_LOAD_SLUG,
	STMT_THREAD,
	STMT_POST,
	STMT_CAN_READ,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/*
	 * One row: the community and the reader's relation to it.
	 * Parameters: user (directory), user (member), then id or slug.
	 */
	[STMT_LOAD_ID] = "SELECT c.id, c.slug, c.name, c.description, c.visibility, "
	    "c.join_policy, c.private, c.hold_first_posts, "
	    "m.role IS NOT NULL, COALESCE(m.role = 'manager', 0), "
	    "EXISTS (SELECT 1 FROM directory_memberships d "
	    "WHERE d.community_slug = c.slug AND d.user_id = ?) "
	    "FROM communities c LEFT JOIN community_members m "
	    "ON m.community_id = c.id AND m.user_id = ? "
	    "WHERE c.archived_at IS NULL AND c.id = ?",
	[STMT_LOAD_SLUG] = "SELECT c.id, c.slug, c.name, c.description, c.visibility, "
	    "c.join_policy, c.private, c.hold_first_posts, "
	    "m.role IS NOT NULL, COALESCE(m.role = 'manager', 0), "
	    "EXISTS (SELECT 1 FROM directory_memberships d "
	    "WHERE d.community_slug = c.slug AND d.user_id = ?) "
	    "FROM communities c LEFT JOIN community_members m "
	    "ON m.community_id = c.id AND m.user_id = ? "
	    "WHERE c.archived_at IS NULL AND c.slug = ?",
	[STMT_THREAD] = "SELECT community_id FROM threads WHERE id = ?",
	[STMT_POST] = "SELECT community_id, thread_id FROM posts WHERE id = ?",
	[STMT_CAN_READ] = "SELECT 1 FROM communities c WHERE c.id = ? AND "
	    PT_COMM_READABLE_SQL("c"),
};

bool
pt_comm_is_staff(const struct pt_req *r)
{
	const unsigned int staff = 1u << PT_ROLE_MODERATOR |
	    1u << PT_ROLE_PORTAL_ADMIN;

	return r->sess != NULL && (r->sess->roles & staff) != 0;
}

unsigned int
pt_comm_bind_readable(struct pt_stmt *st, unsigned int i,
    const struct pt_req *r)
{
	int64_t	 user = r->sess != NULL ? r->sess->user_id : 0;

	pt_db_bind_int(st, i++, pt_comm_is_staff(r) ? 1 : 0);
	pt_db_bind_int(st, i++, user);
	pt_db_bind_int(st, i++, user);
	return i;
}

int
pt_comm_load(struct pt_req *r, int64_t id, const char *slug,
    struct pt_comm *c)
{
	struct pt_stmt	*st;
	int64_t		 user = r->sess != NULL ? r->sess->user_id : 0;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (user == 0 || (id <= 0 && (slug == NULL || *slug == '\0')))
		return PT_DECLINED;
	st = pt_db_stmt(r->db, r->arena, stmts[id > 0 ? STMT_LOAD_ID :
	    STMT_LOAD_SLUG]);
	if (st == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_int(st, 1, user);
	if (id > 0)
		pt_db_bind_int(st, 2, id);
	else
		pt_db_bind_text(st, 2, slug);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	c->id = pt_db_col_int(st, 0);
	c->slug = pt_db_col_text(st, 1);
	c->name = pt_db_col_text(st, 2);
	c->description = pt_db_col_text(st, 3);
	c->visibility = pt_db_col_text(st, 4);
	c->join_policy = pt_db_col_text(st, 5);
	c->priv = pt_db_col_int(st, 6) != 0;
	c->hold_first_posts = (unsigned int)pt_db_col_int(st, 7);
	c->directory = pt_db_col_int(st, 10) != 0;
	c->member = pt_db_col_int(st, 8) != 0 || c->directory;
	c->manager = pt_db_col_int(st, 9) != 0;
	c->staff = pt_comm_is_staff(r);
	c->moderator = c->manager || c->staff;
	c->readable = c->staff || c->member ||
	    (!c->priv && strcmp(c->join_policy, "open") == 0);
	if (!c->readable && strcmp(c->visibility, "listed") != 0) {
		memset(c, 0, sizeof(*c));
		return PT_DECLINED;
	}
	return PT_OK;
}

/* Loads community cid for an object in it; PT_DECLINED unless readable. */
static int
load_readable(struct pt_req *r, int64_t cid, struct pt_comm *c)
{
	int	 rc;

	if ((rc = pt_comm_load(r, cid, NULL, c)) != PT_OK)
		return rc;
	if (!c->readable) {
		memset(c, 0, sizeof(*c));
		return PT_DECLINED;
	}
	return PT_OK;
}

int
pt_comm_load_thread(struct pt_req *r, int64_t thread, struct pt_comm *c)
{
	struct pt_stmt	*st;
	int64_t		 cid;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (thread <= 0 || r->sess == NULL)
		return PT_DECLINED;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_THREAD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, thread);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	cid = pt_db_col_int(st, 0);
	return load_readable(r, cid, c);
}

int
pt_comm_load_post(struct pt_req *r, int64_t post, int64_t *thread_out,
    struct pt_comm *c)
{
	struct pt_stmt	*st;
	int64_t		 cid, tid;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (post <= 0 || r->sess == NULL)
		return PT_DECLINED;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POST])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, post);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	cid = pt_db_col_int(st, 0);
	tid = pt_db_col_int(st, 1);
	if ((rc = load_readable(r, cid, c)) != PT_OK)
		return rc;
	if (thread_out != NULL)
		*thread_out = tid;
	return PT_OK;
}

int
pt_comm_user_can_read(struct pt_db *db, struct pt_arena *a, int64_t user,
    unsigned int roles, int64_t community)
{
	const unsigned int staff = 1u << PT_ROLE_MODERATOR |
	    1u << PT_ROLE_PORTAL_ADMIN;
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(db, a, stmts[STMT_CAN_READ])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, community);
	pt_db_bind_int(st, 1, (roles & staff) != 0);
	pt_db_bind_int(st, 2, user);
	pt_db_bind_int(st, 3, user);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	return pt_db_fetch(st);
}

/*
 * The same answer as a path no route has: status 404 and no message of
 * our own, so the page cannot tell "hidden" from "missing".
 */
int
pt_comm_not_found(struct pt_req *r)
{
	r->error = NULL;
	return 404;
}

xmlNodePtr
pt_comm_xml(xmlNodePtr parent, const struct pt_comm *c)
{
	xmlNodePtr	 n;

	n = pt_xml_elem(parent, "community");
	pt_xml_attr_int(n, "id", c->id);
	pt_xml_attr(n, "slug", c->slug);
	pt_xml_attr(n, "name", c->name);
	pt_xml_attr(n, "visibility", c->visibility);
	pt_xml_attr(n, "join-policy", c->join_policy);
	if (c->priv)
		pt_xml_attr(n, "private", "yes");
	if (c->readable)
		pt_xml_attr(n, "readable", "yes");
	if (c->member)
		pt_xml_attr(n, "member", "yes");
	if (c->directory)
		pt_xml_attr(n, "directory", "yes");
	if (c->manager)
		pt_xml_attr(n, "manager", "yes");
	if (c->moderator)
		pt_xml_attr(n, "moderator", "yes");
	pt_xml_text(n, "description", c->description);
	return n;
}
