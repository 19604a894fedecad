/*
 * moderation_queue.c - the moderators' pages of a community: the queue
 * (open reports and posts held for review), dismissing a report, and the
 * moderation log.
 *
 * GET /c/{slug}/moderation lists what waits for a moderator, oldest
 * first: one item per open report and one per held post, 25 a page,
 * keyset-paginated on (time, kind, id) so a page costs the same however
 * deep it is.  Each item carries its post, so the moderator can hide,
 * delete or approve it from the queue (those forms post to
 * moderation_posts.c with back=queue).  POST .../reports/{id}/dismiss
 * closes a report without touching the post.  GET .../moderation/log
 * shows the moderation_log of the community, newest first, 50 a page,
 * filtered by action; a thread that has since left the community is
 * shown by number only, as its title may now be in a community the
 * reader cannot read.
 *
 * XML produced (xslt/communities/moderation.xsl, modlog.xsl):
 *   <moderation first="yes|no">
 *     <community .../>
 *     <item kind="report|held" id="" at="" reporter="" reason="">
 *       <post .../></item>...
 *     <next after="" after-kind="" after-id=""/>
 *   </moderation>
 *   <modlog action="" first="yes|no">
 *     <community .../> <action>hide</action>...   (the filter's choices)
 *     <entry id="" at="" action="" actor="" subject="" thread="" post=""
 *       here="yes"><title/><reason/></entry>...
 *     <next before=""/>
 *   </modlog>
 *
 * API (moderation.h): pt_modqueue_get, pt_modqueue_dismiss_post,
 * pt_modlog_get.  To add a kind of queue item, add a branch to the UNION
 * of STMT_QUEUE with its own kind number and a template in
 * moderation.xsl.
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "moderation.h"

#define QUEUE_ROWS	25
#define LOG_ROWS	50

enum {
	STMT_QUEUE,
	STMT_REPORT,
	STMT_DISMISS,
	STMT_LOG,
	STMT_ACTIONS,
	STMT__MAX
};

/* Named, as the columns of a derived table must be. */
#define QUEUE_POST_COLS							\
	"p.id AS pid, p.thread_id AS ptid, p.status AS pstatus, "	\
	"t.status AS tstatus, p.is_first AS pfirst, "			\
	"COALESCE(NULLIF(au.name, ''), au.login) AS pauthor, "		\
	"DATE_FORMAT(p.created_at, '%Y-%m-%d %H:%i') AS pat, "		\
	"t.title AS ptitle, LEFT(p.body, 600) AS pbody"

static const char *const stmts[STMT__MAX] = {
	/*
	 * Parameters: community (reports), community (held), then the
	 * keyset: after (NULL on the first page), after, kind, id.
	 */
	[STMT_QUEUE] = "SELECT q.* FROM ("
	    "SELECT CAST(r.created_at AS DATETIME(6)) AS at, 0 AS kind, "
	    "r.id AS id, COALESCE(NULLIF(ru.name, ''), ru.login) AS who, "
	    "r.reason AS why, " QUEUE_POST_COLS " "
	    "FROM post_reports r JOIN posts p ON p.id = r.post_id "
	    "JOIN threads t ON t.id = p.thread_id "
	    "LEFT JOIN users au ON au.id = p.author_id "
	    "LEFT JOIN users ru ON ru.id = r.reporter_id "
	    "WHERE r.community_id = ? AND r.resolved_at IS NULL "
	    "UNION ALL "
	    "SELECT p.created_at, 1, p.id, '', '', " QUEUE_POST_COLS " "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "LEFT JOIN users au ON au.id = p.author_id "
	    "WHERE p.community_id = ? AND p.status = 'held') q "
	    "WHERE (? IS NULL OR (q.at, q.kind, q.id) > "
	    "(CAST(? AS DATETIME(6)), ?, ?)) "
	    "ORDER BY q.at, q.kind, q.id LIMIT 26",
	[STMT_REPORT] = "SELECT post_id, resolved_at IS NOT NULL, "
	    "(SELECT p.author_id FROM posts p WHERE p.id = r.post_id), "
	    "(SELECT p.thread_id FROM posts p WHERE p.id = r.post_id) "
	    "FROM post_reports r WHERE r.id = ? AND r.community_id = ?",
	[STMT_DISMISS] = "UPDATE post_reports SET resolved_by = ?, "
	    "resolved_at = NOW(), resolution = 'dismissed' "
	    "WHERE id = ? AND community_id = ? AND resolved_at IS NULL",
	[STMT_LOG] = "SELECT l.id, DATE_FORMAT(l.at, '%Y-%m-%d %H:%i:%s'), "
	    "l.action, l.reason, COALESCE(l.thread_id, 0), "
	    "COALESCE(l.post_id, 0), t.id IS NOT NULL, COALESCE(t.title, ''), "
	    "COALESCE(NULLIF(a.name, ''), a.login, ''), "
	    "COALESCE(NULLIF(s.name, ''), s.login, '') "
	    "FROM moderation_log l "
	    "LEFT JOIN threads t ON t.id = l.thread_id "
	    "AND t.community_id = l.community_id "
	    "LEFT JOIN users a ON a.id = l.actor_id "
	    "LEFT JOIN users s ON s.id = l.subject_user_id "
	    "WHERE l.community_id = ? AND (? IS NULL OR l.action = ?) "
	    "AND (? IS NULL OR l.id < ?) ORDER BY l.id DESC LIMIT 51",
	[STMT_ACTIONS] = "SELECT DISTINCT action FROM moderation_log "
	    "WHERE community_id = ? ORDER BY action",
};

/*
 * Loads the community of the path for one of its moderators: 200 with c
 * filled, or the status to answer.
 */
static int
load_moderated(struct pt_req *r, struct pt_comm *c)
{
	int	 rc;

	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), c);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK || !c->readable)
		return pt_comm_not_found(r);
	if (!c->moderator)
		return pt_moder_forbidden(r);
	return 200;
}

int
pt_modqueue_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_moder_post	 p;
	struct pt_stmt		*st;
	const char		*after, *last_at = NULL;
	xmlNodePtr		 qx, ix, nx;
	int64_t			 last_kind = 0, last_id = 0;
	int			 rc, n = 0;

	if ((rc = load_moderated(r, &c)) != 200)
		return rc;
	after = pt_req_str(r, "after");
	if (after != NULL && (*after == '\0' ||
	    pt_req_int(r, "after_id", 0) <= 0))
		after = NULL;
	qx = pt_xml_elem(out, "moderation");
	pt_xml_attr(qx, "first", after != NULL ? "no" : "yes");
	pt_comm_xml(qx, &c);

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_QUEUE])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	pt_db_bind_int(st, 1, c.id);
	if (after != NULL) {
		pt_db_bind_text(st, 2, after);
		pt_db_bind_text(st, 3, after);
		pt_db_bind_int(st, 4, pt_req_int(r, "after_kind", 0));
		pt_db_bind_int(st, 5, pt_req_int(r, "after_id", 0));
	} else {
		pt_db_bind_null(st, 2);
		pt_db_bind_null(st, 3);
		pt_db_bind_null(st, 4);
		pt_db_bind_null(st, 5);
	}
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > QUEUE_ROWS)
			continue;	/* the extra row only says "more" */
		last_at = pt_db_col_text(st, 0);
		last_kind = pt_db_col_int(st, 1);
		last_id = pt_db_col_int(st, 2);
		ix = pt_xml_elem(qx, "item");
		pt_xml_attr(ix, "kind", last_kind == 0 ? "report" : "held");
		pt_xml_attr_int(ix, "id", last_id);
		pt_xml_attr(ix, "at", pt_strndup(r->arena, last_at, 16));
		if (last_kind == 0) {
			pt_xml_attr(ix, "reporter", pt_db_col_text(st, 3));
			pt_xml_text(ix, "reason", pt_db_col_text(st, 4));
		}
		memset(&p, 0, sizeof(p));
		p.id = pt_db_col_int(st, 5);
		p.thread = pt_db_col_int(st, 6);
		p.status = pt_db_col_text(st, 7);
		p.thread_status = pt_db_col_text(st, 8);
		p.first = pt_db_col_int(st, 9) != 0;
		p.author_name = pt_db_col_text(st, 10);
		p.created_at = pt_db_col_text(st, 11);
		p.title = pt_db_col_text(st, 12);
		p.excerpt = pt_db_col_text(st, 13);
		pt_moder_post_xml(ix, &p);
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > QUEUE_ROWS) {
		nx = pt_xml_elem(qx, "next");
		pt_xml_attr(nx, "after", last_at);
		pt_xml_attr_int(nx, "after-kind", last_kind);
		pt_xml_attr_int(nx, "after-id", last_id);
	}
	return 200;
}

int
pt_modqueue_dismiss_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	int64_t		 id = pt_req_int(r, "id", 0), post, author, thread;
	int		 rc;

	(void)out;
	if ((rc = load_moderated(r, &c)) != 200)
		return rc;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REPORT])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, id);
	pt_db_bind_int(st, 1, c.id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	post = pt_db_col_int(st, 0);
	author = pt_db_col_int(st, 2);
	thread = pt_db_col_int(st, 3);
	if (pt_db_col_int(st, 1) != 0)	/* already closed: nothing to do */
		return pt_moder_redirect(r, pt_printf(r->arena,
		    "/c/%s/moderation", c.slug));

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_DISMISS])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, id);
	pt_db_bind_int(st, 2, c.id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) == 1 && pt_moder_log(r, c.id, thread, post,
	    author, "dismiss", pt_moder_reason(r)) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	return pt_moder_redirect(r, pt_printf(r->arena, "/c/%s/moderation",
	    c.slug));
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_modlog_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	const char	*action;
	xmlNodePtr	 lx, ex, nx;
	int64_t		 before, last_id = 0;
	int		 rc, n = 0;

	if ((rc = load_moderated(r, &c)) != 200)
		return rc;
	action = pt_req_str(r, "action");
	if (action != NULL && *action == '\0')
		action = NULL;
	before = pt_req_int(r, "before", 0);
	lx = pt_xml_elem(out, "modlog");
	pt_xml_attr(lx, "action", action);
	pt_xml_attr(lx, "first", before > 0 ? "no" : "yes");
	pt_comm_xml(lx, &c);

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ACTIONS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK)
		pt_xml_text(lx, "action", pt_db_col_text(st, 0));
	if (rc != PT_DECLINED)
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LOG])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	if (action != NULL) {
		pt_db_bind_text(st, 1, action);
		pt_db_bind_text(st, 2, action);
	} else {
		pt_db_bind_null(st, 1);
		pt_db_bind_null(st, 2);
	}
	if (before > 0) {
		pt_db_bind_int(st, 3, before);
		pt_db_bind_int(st, 4, before);
	} else {
		pt_db_bind_null(st, 3);
		pt_db_bind_null(st, 4);
	}
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > LOG_ROWS)
			continue;
		last_id = pt_db_col_int(st, 0);
		ex = pt_xml_elem(lx, "entry");
		pt_xml_attr_int(ex, "id", last_id);
		pt_xml_attr(ex, "at", pt_db_col_text(st, 1));
		pt_xml_attr(ex, "action", pt_db_col_text(st, 2));
		pt_xml_attr(ex, "actor", pt_db_col_text(st, 8));
		if (*pt_db_col_text(st, 9) != '\0')
			pt_xml_attr(ex, "subject", pt_db_col_text(st, 9));
		if (pt_db_col_int(st, 4) > 0)
			pt_xml_attr_int(ex, "thread", pt_db_col_int(st, 4));
		if (pt_db_col_int(st, 5) > 0)
			pt_xml_attr_int(ex, "post", pt_db_col_int(st, 5));
		if (pt_db_col_int(st, 6) != 0) {
			pt_xml_attr(ex, "here", "yes");
			pt_xml_text(ex, "title", pt_db_col_text(st, 7));
		}
		pt_xml_text(ex, "reason", pt_db_col_text(st, 3));
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > LOG_ROWS) {
		nx = pt_xml_elem(lx, "next");
		pt_xml_attr_int(nx, "before", last_id);
	}
	return 200;
}
