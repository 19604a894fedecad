/*
 * kudos.c - advocates: kudos on posts and the top contributors of a
 * community.
 *
 * POST /p/{id}/kudos and /p/{id}/unkudos give and take back a kudos: a
 * reader of the community may give one per post, never to their own
 * post, only to a post they are shown (visible, in a visible thread).
 * The kudos row and posts.kudos_count change in one transaction, and
 * only when the row was really added or removed, so sending either form
 * twice changes nothing.  Both return to the thread (303).
 *
 * GET /c/{slug}/contributors ranks the authors of the community by what
 * they contributed there: visible posts in visible threads, plus kudos
 * those posts received.  Every number is computed from rows of this one
 * community (posts.community_id, kept equal to the thread's by a move),
 * and the page is shown only to someone who may read the community, so
 * ranking data never crosses to a reader of another community.  The
 * reader's own contribution count in the community is shown too, and
 * with ?member={user id} that of one member (someone in the community or
 * with a visible post there; anyone else is "no such member", so the
 * page cannot be used to look up names), for pages that link to it.
 *
 * XML produced (xslt/communities/contributors.xsl):
 *   <contributors>
 *     <community .../>
 *     <me posts="" kudos=""/>
 *     <member id="" name="" organisation="" posts="" kudos=""/>
 *                                         (?member=: found="no" if none)
 *     <contributor rank="" id="" name="" organisation="" posts=""
 *       kudos="" score="" me="yes"/>...
 *   </contributors>
 *
 * API (moderation.h): pt_kudos_post, pt_unkudos_post,
 * pt_contributors_get.  To change the score, change STMT_TOP (and the
 * wording in contributors.xsl).
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "moderation.h"

#define TOP_ROWS	"20"

enum {
	STMT_ADD,
	STMT_INC,
	STMT_DEL,
	STMT_DEC,
	STMT_TOP,
	STMT_ME,
	STMT_MEMBER,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_ADD] = "INSERT IGNORE INTO kudos (post_id, user_id, "
	    "community_id) VALUES (?, ?, ?)",
	[STMT_INC] = "UPDATE posts SET kudos_count = kudos_count + 1 "
	    "WHERE id = ?",
	[STMT_DEL] = "DELETE FROM kudos WHERE post_id = ? AND user_id = ?",
	[STMT_DEC] = "UPDATE posts SET kudos_count = kudos_count - 1 "
	    "WHERE id = ? AND kudos_count > 0",
	/* Parameters: community. */
	[STMT_TOP] = "SELECT u.id, COALESCE(NULLIF(u.name, ''), u.login), "
	    "COALESCE(o.name, ''), s.posts, s.kudos FROM "
	    "(SELECT p.author_id AS author, COUNT(*) AS posts, "
	    "SUM(p.kudos_count) AS kudos FROM posts p "
	    "JOIN threads t ON t.id = p.thread_id "
	    "WHERE p.community_id = ? AND p.status = 'visible' "
	    "AND t.status = 'visible' GROUP BY p.author_id) s "
	    "JOIN users u ON u.id = s.author "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "ORDER BY s.posts + s.kudos DESC, s.kudos DESC, u.id "
	    "LIMIT " TOP_ROWS,
	/* Parameters: community, user. */
	[STMT_ME] = "SELECT COUNT(*), COALESCE(SUM(p.kudos_count), 0) "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "WHERE p.community_id = ? AND p.author_id = ? "
	    "AND p.status = 'visible' AND t.status = 'visible'",
	/*
	 * One member's line.  Parameters: community (twice), user, and the
	 * community's id and slug for the membership test.  Only someone
	 * who belongs to the community or has a post there has a line: an
	 * arbitrary user id must not reveal a name.
	 */
	[STMT_MEMBER] = "SELECT u.id, COALESCE(NULLIF(u.name, ''), u.login), "
	    "COALESCE(o.name, ''), "
	    "(SELECT COUNT(*) FROM posts p JOIN threads t "
	    "ON t.id = p.thread_id WHERE p.community_id = ? "
	    "AND p.author_id = u.id AND p.status = 'visible' "
	    "AND t.status = 'visible'), "
	    "(SELECT COALESCE(SUM(p.kudos_count), 0) FROM posts p "
	    "JOIN threads t ON t.id = p.thread_id WHERE p.community_id = ? "
	    "AND p.author_id = u.id AND p.status = 'visible' "
	    "AND t.status = 'visible') "
	    "FROM users u LEFT JOIN organisations o "
	    "ON o.id = u.organisation_id WHERE u.id = ? AND ("
	    "EXISTS (SELECT 1 FROM community_members m "
	    "WHERE m.community_id = ? AND m.user_id = u.id) OR "
	    "EXISTS (SELECT 1 FROM directory_memberships d "
	    "WHERE d.community_slug = ? AND d.user_id = u.id) OR "
	    "EXISTS (SELECT 1 FROM posts p WHERE p.community_id = ? "
	    "AND p.author_id = u.id AND p.status = 'visible'))",
};

static int
kudos_change(struct pt_req *r, bool give)
{
	struct pt_comm		 c;
	struct pt_moder_post	 p;
	struct pt_stmt		*st;
	int			 rc;

	rc = pt_moder_post_load(r, pt_req_int(r, "id", 0), &c, &p);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	/* What the reader is not shown cannot be thanked for. */
	if (strcmp(p.status, "visible") != 0 ||
	    strcmp(p.thread_status, "visible") != 0)
		return pt_comm_not_found(r);
	if (p.author == r->sess->user_id)
		return pt_req_error(r, 403, "You cannot give kudos to your own "
		    "post.");

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[give ? STMT_ADD : STMT_DEL])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, p.id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (give)
		pt_db_bind_int(st, 2, c.id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) == 1) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[give ? STMT_INC : STMT_DEC])) == NULL)
			goto fail;
		pt_db_bind_int(st, 0, p.id);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
	}
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	return pt_moder_redirect(r, pt_printf(r->arena, "/t/%lld",
	    (long long)p.thread));
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_kudos_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return kudos_change(r, true);
}

int
pt_unkudos_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return kudos_change(r, false);
}

/* Adds <member> for ?member=, or <member found="no"/>. */
static int
member_xml(struct pt_req *r, xmlNodePtr cx, const struct pt_comm *c)
{
	struct pt_stmt	*st;
	xmlNodePtr	 x;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MEMBER])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, c->id);
	pt_db_bind_int(st, 2, pt_req_int(r, "member", 0));
	pt_db_bind_int(st, 3, c->id);
	pt_db_bind_text(st, 4, c->slug);
	pt_db_bind_int(st, 5, c->id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	x = pt_xml_elem(cx, "member");
	if (rc == PT_DECLINED) {
		pt_xml_attr(x, "found", "no");
		return PT_OK;
	}
	pt_xml_attr_int(x, "id", pt_db_col_int(st, 0));
	pt_xml_attr(x, "name", pt_db_col_text(st, 1));
	if (*pt_db_col_text(st, 2) != '\0')
		pt_xml_attr(x, "organisation", pt_db_col_text(st, 2));
	pt_xml_attr_int(x, "posts", pt_db_col_int(st, 3));
	pt_xml_attr_int(x, "kudos", pt_db_col_int(st, 4));
	return PT_OK;
}

int
pt_contributors_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	xmlNodePtr	 cx, x;
	int64_t		 posts, kudos, rank = 0;
	int		 rc;

	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), &c);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK || !c.readable)
		return pt_comm_not_found(r);
	cx = pt_xml_elem(out, "contributors");
	pt_comm_xml(cx, &c);

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ME])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return 500;
	x = pt_xml_elem(cx, "me");
	pt_xml_attr_int(x, "posts", pt_db_col_int(st, 0));
	pt_xml_attr_int(x, "kudos", pt_db_col_int(st, 1));
	if (pt_req_int(r, "member", 0) > 0 && member_xml(r, cx, &c) != PT_OK)
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_TOP])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		posts = pt_db_col_int(st, 3);
		kudos = pt_db_col_int(st, 4);
		x = pt_xml_elem(cx, "contributor");
		pt_xml_attr_int(x, "rank", ++rank);
		pt_xml_attr_int(x, "id", pt_db_col_int(st, 0));
		pt_xml_attr(x, "name", pt_db_col_text(st, 1));
		if (*pt_db_col_text(st, 2) != '\0')
			pt_xml_attr(x, "organisation", pt_db_col_text(st, 2));
		pt_xml_attr_int(x, "posts", posts);
		pt_xml_attr_int(x, "kudos", kudos);
		pt_xml_attr_int(x, "score", posts + kudos);
		if (pt_db_col_int(st, 0) == r->sess->user_id)
			pt_xml_attr(x, "me", "yes");
	}
	return rc == PT_DECLINED ? 200 : 500;
}
