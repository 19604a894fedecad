/*
 * moderation_report.c - a member reports a post to the community's
 * moderators.
 *
 * GET /p/{id}/report shows the post and a form for the reason; POST
 * stores one post_reports row per reporter and post (the table's unique
 * key makes a second report a no-op, answered 409 with the form saying
 * so) and returns to the thread.  Only a visible post in a visible thread
 * of a community the reporter may read can be reported; anything else is
 * pt_comm_not_found(), as the reporter cannot see it.  The report then
 * waits in the queue (moderation_queue.c) until a moderator acts on the
 * post or dismisses it.
 *
 * XML produced (xslt/communities/report.xsl):
 *   <report post="" already="yes" reason="">
 *     <community .../> <post .../> <error>...</error>
 *   </report>
 *
 * API (moderation.h): pt_report_get, pt_report_post.
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "moderation.h"

enum {
	STMT_MINE,
	STMT_INSERT,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_MINE] = "SELECT 1 FROM post_reports "
	    "WHERE post_id = ? AND reporter_id = ?",
	[STMT_INSERT] = "INSERT IGNORE INTO post_reports "
	    "(post_id, community_id, reporter_id, reason) VALUES (?, ?, ?, ?)",
};

/*
 * Loads the post for a reporter: 200, or the status to answer.  A post
 * the reader is not shown (held, hidden, deleted) cannot be reported.
 */
static int
load_reportable(struct pt_req *r, struct pt_comm *c,
    struct pt_moder_post *p)
{
	int	 rc;

	rc = pt_moder_post_load(r, pt_req_int(r, "id", 0), c, p);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if (strcmp(p->status, "visible") != 0 ||
	    strcmp(p->thread_status, "visible") != 0)
		return pt_comm_not_found(r);
	return 200;
}

static int
report_page(struct pt_req *r, xmlNodePtr out, const struct pt_comm *c,
    const struct pt_moder_post *p, const char *error, int status)
{
	struct pt_stmt	*st;
	xmlNodePtr	 x;
	int		 rc;

	x = pt_xml_elem(out, "report");
	pt_xml_attr_int(x, "post", p->id);
	pt_xml_attr(x, "reason", pt_req_str(r, "reason"));
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MINE])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, p->id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_OK)
		pt_xml_attr(x, "already", "yes");
	pt_comm_xml(x, c);
	pt_moder_post_xml(x, p);
	if (error != NULL) {
		pt_xml_text(x, "error", error);
		r->keep_page = true;
	}
	return status;
}

int
pt_report_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_moder_post	 p;
	int			 rc;

	if ((rc = load_reportable(r, &c, &p)) != 200)
		return rc;
	return report_page(r, out, &c, &p, NULL, 200);
}

int
pt_report_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_moder_post	 p;
	struct pt_stmt		*st;
	const char		*reason;
	int			 rc;

	if ((rc = load_reportable(r, &c, &p)) != 200)
		return rc;
	if ((reason = pt_moder_reason(r)) == NULL)
		return report_page(r, out, &c, &p, "Please tell the moderators "
		    "what is wrong with this post.", 400);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_INSERT])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, p.id);
	pt_db_bind_int(st, 1, c.id);
	pt_db_bind_int(st, 2, r->sess->user_id);
	pt_db_bind_text(st, 3, reason);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	if (pt_db_affected(st) != 1)
		return report_page(r, out, &c, &p, "You have already reported "
		    "this post; the moderators have your report.", 409);
	pt_rlog(r, PT_LOG_INFO, "moderation: user %lld reported post %lld",
	    (long long)r->sess->user_id, (long long)p.id);
	return pt_moder_redirect(r, pt_printf(r->arena, "/t/%lld",
	    (long long)p.thread));
}
