/*
 * moderation_posts.c - what a moderator does to one post: hide, unhide,
 * delete (soft) and approve a held post.
 *
 * Each action moves posts.status from the states it accepts to its own,
 * in one transaction that also: keeps the thread's status equal to its
 * opening post's (a held, hidden or deleted first post takes the thread
 * with it, and approving or unhiding it brings both back), recounts the
 * thread's visible replies, resolves the post's open reports (hide,
 * delete, approve) and writes the moderation_log row.  Approving a held
 * post also sends the notifications its posting did not (replies to the
 * thread's participants, mentions), as from its author, through the
 * discussions module's pt_disc_notify().  Hide and delete
 * need a reason; without one the handler answers 400 with a page that
 * asks for it (a form posting to the same route), so a bare button on the
 * thread page still works without JavaScript.  An action on a post already
 * in its target state changes nothing and logs nothing.
 *
 * XML produced for the reason form (xslt/communities/moderation.xsl):
 *   <moderation-action action="hide" target="post" id="" back="">
 *     <community .../> <post .../> <error>...</error>
 *   </moderation-action>
 *
 * API (moderation.h): pt_modpost_hide_post, pt_modpost_unhide_post,
 * pt_modpost_delete_post, pt_modpost_approve_post.  To add an action, add
 * a row to acts[] and a handler calling post_action().
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "markup.h"
#include "moderation.h"
#include "threads.h"

enum {
	STMT_SET,
	STMT_THREAD,
	STMT_RECOUNT,
	STMT_RESOLVE,
	STMT_BODY,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* Guarded by the status read before: a concurrent change wins. */
	[STMT_SET] = "UPDATE posts SET status = ?, status_reason = ? "
	    "WHERE id = ? AND status = ?",
	[STMT_THREAD] = "UPDATE threads SET status = ? WHERE id = ?",
	[STMT_RECOUNT] = "UPDATE threads SET reply_count = (SELECT COUNT(*) "
	    "FROM posts WHERE thread_id = ? AND NOT is_first "
	    "AND status = 'visible') WHERE id = ?",
	[STMT_RESOLVE] = "UPDATE post_reports SET resolved_by = ?, "
	    "resolved_at = NOW(), resolution = ? "
	    "WHERE post_id = ? AND resolved_at IS NULL",
	[STMT_BODY] = "SELECT body FROM posts WHERE id = ?",
};

enum act {
	ACT_HIDE,
	ACT_UNHIDE,
	ACT_DELETE,
	ACT_APPROVE,
	ACT__MAX
};

static const struct {
	const char	*name;		/* route, log action and XML */
	const char	*from[4];	/* accepted statuses, NULL-ended */
	const char	*to;
	bool		 need_reason;
	const char	*resolution;	/* for open reports, or NULL */
	const char	*refusal;	/* for any other status */
} acts[ACT__MAX] = {
	[ACT_HIDE] = { "hide", { "visible", "held", NULL }, "hidden", true,
	    "hidden", "Only a visible or held post can be hidden." },
	[ACT_UNHIDE] = { "unhide", { "hidden", NULL }, "visible", false,
	    NULL, "Only a hidden post can be shown again." },
	[ACT_DELETE] = { "delete", { "visible", "held", "hidden", NULL },
	    "deleted", true, "deleted", "This post is already deleted." },
	[ACT_APPROVE] = { "approve", { "held", NULL }, "visible", false,
	    "approved", "Only a post held for review can be approved." },
};

static bool
accepts(enum act a, const char *status)
{
	size_t	 i;

	for (i = 0; acts[a].from[i] != NULL; i++)
		if (strcmp(acts[a].from[i], status) == 0)
			return true;
	return false;
}

/* The 400 page that asks for the reason the action needs. */
static int
ask_reason(struct pt_req *r, xmlNodePtr out, enum act a,
    const struct pt_comm *c, const struct pt_moder_post *p)
{
	xmlNodePtr	 x;

	x = pt_xml_elem(out, "moderation-action");
	pt_xml_attr(x, "action", acts[a].name);
	pt_xml_attr(x, "target", "post");
	pt_xml_attr_int(x, "id", p->id);
	pt_xml_attr(x, "back", pt_req_str(r, "back"));
	pt_comm_xml(x, c);
	pt_moder_post_xml(x, p);
	pt_xml_text(x, "error", "Please say why: the reason is kept in the "
	    "moderation log.");
	r->keep_page = true;
	return 400;
}

/*
 * The notifications a post held for review did not send when it was
 * written, sent when it is approved, inside the caller's transaction.
 * pt_disc_notify() takes the session's user as the one who posted (it
 * skips them and names them as the actor), so it runs with a copy of
 * the session naming the post's author; nothing else reads it meanwhile.
 */
static int
approve_notify(struct pt_req *r, const struct pt_comm *c,
    const struct pt_moder_post *p)
{
	const char		*logins[PT_MARKUP_MENTIONS_MAX];
	struct pt_markup_user	 users[PT_MARKUP_MENTIONS_MAX];
	struct pt_sess		 as, *mine = r->sess;
	struct pt_stmt		*st;
	size_t			 n;
	int			 nu, rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_BODY])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, p->id);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	n = pt_markup_mentions(r->arena, pt_db_col_text(st, 0), logins,
	    PT_NELEM(logins));
	as = *mine;
	as.user_id = p->author;
	r->sess = &as;
	nu = pt_disc_mentions(r, c, logins, n, users);
	rc = nu < 0 ? PT_ERR : pt_disc_notify(r, c, p->thread, p->id,
	    !p->first, users, (size_t)nu);
	r->sess = mine;
	return rc;
}

static int
post_action(struct pt_req *r, xmlNodePtr out, enum act a)
{
	struct pt_comm		 c;
	struct pt_moder_post	 p;
	struct pt_stmt		*st;
	const char		*reason, *back;
	int			 rc;

	rc = pt_moder_post_load(r, pt_req_int(r, "id", 0), &c, &p);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if (!c.moderator)
		return pt_moder_forbidden(r);
	reason = pt_moder_reason(r);
	back = pt_req_str(r, "back");
	if (back != NULL && strcmp(back, "queue") == 0)
		back = pt_printf(r->arena, "/c/%s/moderation", c.slug);
	else
		back = pt_printf(r->arena, "/t/%lld", (long long)p.thread);
	if (strcmp(p.status, acts[a].to) == 0)
		return pt_moder_redirect(r, back);
	if (!accepts(a, p.status))
		return pt_req_error(r, 409, "%s", acts[a].refusal);
	if (acts[a].need_reason && reason == NULL)
		return ask_reason(r, out, a, &c, &p);

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SET])) == NULL)
		goto fail;
	pt_db_bind_text(st, 0, acts[a].to);
	if (strcmp(acts[a].to, "visible") == 0 || reason == NULL)
		pt_db_bind_null(st, 1);
	else
		pt_db_bind_text(st, 1, reason);
	pt_db_bind_int(st, 2, p.id);
	pt_db_bind_text(st, 3, p.status);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) != 1) {
		pt_db_rollback(r->db);
		return pt_req_error(r, 409, "Someone else changed this post "
		    "at the same time. Please reload the thread and try "
		    "again.");
	}
	if (p.first) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_THREAD])) == NULL)
			goto fail;
		pt_db_bind_text(st, 0, acts[a].to);
		pt_db_bind_int(st, 1, p.thread);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_RECOUNT])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, p.thread);
	pt_db_bind_int(st, 1, p.thread);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (acts[a].resolution != NULL) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_RESOLVE])) == NULL)
			goto fail;
		pt_db_bind_int(st, 0, r->sess->user_id);
		pt_db_bind_text(st, 1, acts[a].resolution);
		pt_db_bind_int(st, 2, p.id);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
	}
	if (a == ACT_APPROVE && approve_notify(r, &c, &p) != PT_OK)
		goto fail;
	if (pt_moder_log(r, c.id, p.thread, p.id, p.author, acts[a].name,
	    reason) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	return pt_moder_redirect(r, back);
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_modpost_hide_post(struct pt_req *r, xmlNodePtr out)
{
	return post_action(r, out, ACT_HIDE);
}

int
pt_modpost_unhide_post(struct pt_req *r, xmlNodePtr out)
{
	return post_action(r, out, ACT_UNHIDE);
}

int
pt_modpost_delete_post(struct pt_req *r, xmlNodePtr out)
{
	return post_action(r, out, ACT_DELETE);
}

int
pt_modpost_approve_post(struct pt_req *r, xmlNodePtr out)
{
	return post_action(r, out, ACT_APPROVE);
}
