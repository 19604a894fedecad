/*
 * moderation_threads.c - what a moderator does to a whole thread: lock
 * and unlock it (no more replies), pin and unpin it (first on the
 * community page), feature and unfeature it, and move it to another
 * community the same moderator moderates.
 *
 * The flag actions change one column of threads and write the
 * moderation_log row in one transaction; setting a flag that is already
 * set changes nothing and logs nothing.  A reason is optional for them.
 *
 * A move needs a target community that the actor may read and moderates
 * (staff: any community; a manager: those they manage) and a reason.
 * Moving a thread shows its authors' posts to the target's members, so
 * the competitor check of members.h runs for the organisation of every
 * author: a thread with posts by a competitor of an organisation the
 * target already holds moves only when the moderator overrides the check
 * with the reason given, which goes to the audit log.  One
 * transaction sets community_id on the thread and on everything of it
 * that carries one: its posts, their kudos and reports, and the
 * notifications about it (their visibility is checked against that
 * column when they are read).  The log gets a "move" row in the community
 * the thread left and a "move_in" row in the one it joined; the source's
 * log does not name the target, whose name its other moderators may not
 * be allowed to know.
 *
 * XML produced (xslt/communities/move.xsl):
 *   <move thread="" title="" to="" reason="" conflict="yes">
 *     <community .../>                    (where the thread is now)
 *     <target slug="" name=""/>...        (where it may go)
 *     <error>...</error>
 *   </move>
 *
 * API (moderation.h): pt_modthread_{lock,unlock,pin,unpin,feature,
 * unfeature}_post, pt_modthread_move_get, pt_modthread_move_post.  To add
 * a flag, add a column statement to stmts[], a row to flags[] and a
 * handler calling flag_action().
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "members.h"
#include "moderation.h"

enum {
	STMT_LOCKED,
	STMT_PINNED,
	STMT_FEATURED,
	STMT_THREAD,
	STMT_TARGETS,
	STMT_MOVE_THREAD,
	STMT_MOVE_POSTS,
	STMT_MOVE_KUDOS,
	STMT_MOVE_REPORTS,
	STMT_MOVE_NOTES,
	STMT_AUTHOR_ORGS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* Affects no row when the flag already has the value. */
	[STMT_LOCKED] = "UPDATE threads SET locked = ? "
	    "WHERE id = ? AND community_id = ? AND locked <> ?",
	[STMT_PINNED] = "UPDATE threads SET pinned = ? "
	    "WHERE id = ? AND community_id = ? AND pinned <> ?",
	[STMT_FEATURED] = "UPDATE threads SET featured = ? "
	    "WHERE id = ? AND community_id = ? AND featured <> ?",
	[STMT_THREAD] = "SELECT t.title, t.author_id, t.status "
	    "FROM threads t WHERE t.id = ? AND t.community_id = ?",
	/* Parameters: this community, staff (bool), user. */
	[STMT_TARGETS] = "SELECT c.slug, c.name FROM communities c "
	    "WHERE c.archived_at IS NULL AND c.id <> ? AND (? OR EXISTS "
	    "(SELECT 1 FROM community_members m WHERE m.community_id = c.id "
	    "AND m.user_id = ? AND m.role = 'manager')) ORDER BY c.name, c.id",
	[STMT_MOVE_THREAD] = "UPDATE threads SET community_id = ? "
	    "WHERE id = ? AND community_id = ?",
	[STMT_MOVE_POSTS] = "UPDATE posts SET community_id = ? "
	    "WHERE thread_id = ?",
	[STMT_MOVE_KUDOS] = "UPDATE kudos SET community_id = ? "
	    "WHERE post_id IN (SELECT id FROM posts WHERE thread_id = ?)",
	[STMT_MOVE_REPORTS] = "UPDATE post_reports SET community_id = ? "
	    "WHERE post_id IN (SELECT id FROM posts WHERE thread_id = ?)",
	[STMT_MOVE_NOTES] = "UPDATE notifications SET community_id = ? "
	    "WHERE thread_id = ? OR post_id IN "
	    "(SELECT id FROM posts WHERE thread_id = ?)",
	[STMT_AUTHOR_ORGS] = "SELECT DISTINCT o.id, o.name FROM posts p "
	    "JOIN users u ON u.id = p.author_id "
	    "JOIN organisations o ON o.id = u.organisation_id "
	    "WHERE p.thread_id = ? ORDER BY o.id",
};

enum flag {
	FLAG_LOCK,
	FLAG_UNLOCK,
	FLAG_PIN,
	FLAG_UNPIN,
	FLAG_FEATURE,
	FLAG_UNFEATURE,
	FLAG__MAX
};

static const struct {
	const char	*name;	/* route and log action */
	int		 stmt;
	int		 value;
} flags[FLAG__MAX] = {
	[FLAG_LOCK] = { "lock", STMT_LOCKED, 1 },
	[FLAG_UNLOCK] = { "unlock", STMT_LOCKED, 0 },
	[FLAG_PIN] = { "pin", STMT_PINNED, 1 },
	[FLAG_UNPIN] = { "unpin", STMT_PINNED, 0 },
	[FLAG_FEATURE] = { "feature", STMT_FEATURED, 1 },
	[FLAG_UNFEATURE] = { "unfeature", STMT_FEATURED, 0 },
};

/*
 * Loads thread id and its community for a moderator: 200 with c filled
 * and *author set, or the status to answer (404 as pt_comm_not_found(),
 * 403, 500).
 */
static int
load_thread(struct pt_req *r, int64_t id, struct pt_comm *c,
    const char **title, int64_t *author)
{
	struct pt_stmt	*st;
	int		 rc;

	rc = pt_comm_load_thread(r, id, c);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_THREAD])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, id);
	pt_db_bind_int(st, 1, c->id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)	/* moved meanwhile */
		return pt_comm_not_found(r);
	if (!c->moderator)
		return pt_moder_forbidden(r);
	*title = pt_db_col_text(st, 0);
	*author = pt_db_col_int(st, 1);
	return 200;
}

static int
flag_action(struct pt_req *r, enum flag f)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	const char	*title;
	int64_t		 id = pt_req_int(r, "id", 0), author;
	int		 rc;

	if ((rc = load_thread(r, id, &c, &title, &author)) != 200)
		return rc;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[flags[f].stmt])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, flags[f].value);
	pt_db_bind_int(st, 1, id);
	pt_db_bind_int(st, 2, c.id);
	pt_db_bind_int(st, 3, flags[f].value);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) == 1 && pt_moder_log(r, c.id, id, 0, author,
	    flags[f].name, pt_moder_reason(r)) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	return pt_moder_redirect(r, pt_printf(r->arena, "/t/%lld",
	    (long long)id));
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_modthread_lock_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return flag_action(r, FLAG_LOCK);
}

int
pt_modthread_unlock_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return flag_action(r, FLAG_UNLOCK);
}

int
pt_modthread_pin_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return flag_action(r, FLAG_PIN);
}

int
pt_modthread_unpin_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return flag_action(r, FLAG_UNPIN);
}

int
pt_modthread_feature_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return flag_action(r, FLAG_FEATURE);
}

int
pt_modthread_unfeature_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return flag_action(r, FLAG_UNFEATURE);
}

/* The move form: this thread, and the communities it may go to. */
static int
move_page(struct pt_req *r, xmlNodePtr out, const struct pt_comm *c,
    int64_t id, const char *title, const char *error, int status)
{
	struct pt_stmt	*st;
	xmlNodePtr	 mx, tx;
	int		 rc;

	mx = pt_xml_elem(out, "move");
	pt_xml_attr_int(mx, "thread", id);
	pt_xml_attr(mx, "title", title);
	pt_xml_attr(mx, "to", pt_req_str(r, "to"));
	pt_xml_attr(mx, "reason", pt_req_str(r, "reason"));
	pt_comm_xml(mx, c);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_TARGETS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, c->staff ? 1 : 0);
	pt_db_bind_int(st, 2, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		tx = pt_xml_elem(mx, "target");
		pt_xml_attr(tx, "slug", pt_db_col_text(st, 0));
		pt_xml_attr(tx, "name", pt_db_col_text(st, 1));
	}
	if (rc != PT_DECLINED)
		return 500;
	if (status == 409)
		pt_xml_attr(mx, "conflict", "yes");
	if (error != NULL) {
		pt_xml_text(mx, "error", error);
		r->keep_page = true;
	}
	return status;
}

int
pt_modthread_move_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	const char	*title;
	int64_t		 id = pt_req_int(r, "id", 0), author;
	int		 rc;

	if ((rc = load_thread(r, id, &c, &title, &author)) != 200)
		return rc;
	return move_page(r, out, &c, id, title, NULL, 200);
}

/*
 * The competitor check for a move: PT_DECLINED, with *what saying who
 * competes with whom (arena), if an author of the thread works for an
 * organisation that competes with one the target community holds; PT_OK
 * if none does; PT_ERR.
 */
static int
move_conflict(struct pt_req *r, const struct pt_comm *target, int64_t thread,
    const char **what)
{
	struct pt_stmt	*st;
	int64_t		*orgs = NULL;
	const char	**names = NULL, *with;
	size_t		 n = 0, cap = 0, i;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_AUTHOR_ORGS])) ==
	    NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, thread);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	/* Collected first: the check runs statements of its own. */
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (n == cap) {
			int64_t		*no;
			const char	**nn;

			cap = cap ? 2 * cap : 8;
			no = pt_alloc(r->arena, cap * sizeof(*no));
			nn = pt_alloc(r->arena, cap * sizeof(*nn));
			if (n > 0) {
				memcpy(no, orgs, n * sizeof(*no));
				memcpy(nn, names, n * sizeof(*nn));
			}
			orgs = no;
			names = nn;
		}
		orgs[n] = pt_db_col_int(st, 0);
		names[n++] = pt_db_col_text(st, 1);
	}
	if (rc != PT_DECLINED)
		return PT_ERR;
	for (i = 0; i < n; i++) {
		rc = pt_comm_conflict_check(r->db, r->arena, target->id, orgs[i],
		    &with);
		if (rc == PT_ERR)
			return PT_ERR;
		if (rc == PT_OK)
			continue;
		*what = pt_printf(r->arena, "This thread has posts by people "
		    "of %s, which competes with %s in %s.", names[i], with,
		    target->name);
		return PT_DECLINED;
	}
	return PT_OK;
}

/* Runs one "SET community_id = to WHERE ... thread" statement. */
static int
move_rows(struct pt_req *r, int which, int64_t to, int64_t thread)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[which])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, to);
	pt_db_bind_int(st, 1, thread);
	if (which == STMT_MOVE_NOTES)
		pt_db_bind_int(st, 2, thread);
	return pt_db_exec(st);
}

int
pt_modthread_move_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c, t;
	struct pt_stmt	*st;
	const char	*title, *to, *reason, *conflict = NULL;
	int64_t		 id = pt_req_int(r, "id", 0), author;
	bool		 overridden;
	int		 rc;

	if ((rc = load_thread(r, id, &c, &title, &author)) != 200)
		return rc;
	to = pt_req_str(r, "to");
	reason = pt_moder_reason(r);
	if (to == NULL || *to == '\0')
		return move_page(r, out, &c, id, title,
		    "Choose the community to move the thread to.", 400);
	/*
	 * One answer for a community that does not exist, one the actor
	 * may not read and one they do not moderate: the form cannot be used
	 * to probe for names.
	 */
	rc = pt_comm_load(r, 0, to, &t);
	if (rc == PT_ERR)
		return 500;
	if (rc != PT_OK || !t.readable || !t.moderator || t.id == c.id)
		return move_page(r, out, &c, id, title, "Choose one of the "
		    "communities you moderate, other than this one.", 400);
	if (reason == NULL)
		return move_page(r, out, &c, id, title, "Please say why the "
		    "thread moves: the reason is kept in the moderation log.",
		    400);
	if ((rc = move_conflict(r, &t, id, &conflict)) == PT_ERR)
		return 500;
	if ((overridden = rc == PT_DECLINED) && !pt_req_int(r, "override", 0))
		return move_page(r, out, &c, id, title, pt_printf(r->arena,
		    "%s Tick \"Override the competitor check\" to move it "
		    "anyway; the override and your reason go to the audit "
		    "log.", conflict), 409);

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_MOVE_THREAD])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, t.id);
	pt_db_bind_int(st, 1, id);
	pt_db_bind_int(st, 2, c.id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) != 1) {
		pt_db_rollback(r->db);
		return pt_req_error(r, 409, "Someone else moved this thread at "
		    "the same time.");
	}
	if (move_rows(r, STMT_MOVE_POSTS, t.id, id) != PT_OK ||
	    move_rows(r, STMT_MOVE_KUDOS, t.id, id) != PT_OK ||
	    move_rows(r, STMT_MOVE_REPORTS, t.id, id) != PT_OK ||
	    move_rows(r, STMT_MOVE_NOTES, t.id, id) != PT_OK)
		goto fail;
	if (overridden && pt_audit(r->db, r->arena, r->sess->user_id,
	    "thread_move_conflict_override", author, pt_printf(r->arena,
	    "thread %lld from %s to %s: %.400s Reason: %.400s", (long long)id,
	    c.slug,
	    t.slug, conflict, reason), r->id) != PT_OK)
		goto fail;
	if (pt_moder_log(r, c.id, id, 0, author, "move", reason) != PT_OK ||
	    pt_moder_log(r, t.id, id, 0, author, "move_in", reason) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	return pt_moder_redirect(r, pt_printf(r->arena, "/t/%lld",
	    (long long)id));
fail:
	pt_db_rollback(r->db);
	return 500;
}
