/*
 * notify.c - in-app notifications of replies and mentions: writing them
 * when a post is made, and the reader's inbox (GET /notifications, POST
 * /notifications/read).
 *
 * Visibility is checked twice.  When a post is made, only people who may
 * read the community then are notified (pt_comm_user_can_read()).  When
 * the inbox is read, the rule is applied again in the query
 * (PT_COMM_READABLE_SQL on the thread's community, as it is now), so a
 * notification from a community the reader has left, or of a thread that
 * moved to one they cannot read, or that a moderator removed, is neither
 * shown nor counted.
 *
 * XML produced (xslt/communities/notifications.xsl):
 *   <notifications unread="N">
 *     <notification id="" kind="reply|mention" created="" unread="yes"
 *         thread="" title="" post="" community="slug" community-name="">
 *       <actor login="" name=""/>
 *     </notification>...
 *     <more after="id"/>
 *   </notifications>
 *
 * API (threads.h): pt_disc_notify, pt_disc_notes_get,
 * pt_disc_notes_read_post.  To add a kind of notification, insert rows
 * with a new kind (VARCHAR) and give it a sentence in notifications.xsl.
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "threads.h"

enum {
	STMT_PARTICIPANTS,
	STMT_INSERT,
	STMT_LIST_FIRST,
	STMT_LIST_AFTER,
	STMT_UNREAD,
	STMT_READ_ALL,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
/* The reader may see the notification now: community, thread, post. */
#define NOTE_VISIBLE							\
	"n.user_id = ? AND t.status = 'visible' AND "			\
	"(p.id IS NULL OR p.status = 'visible') AND "			\
	PT_COMM_READABLE_SQL("c")
#define NOTE_FROM							\
	"FROM notifications n JOIN threads t ON t.id = n.thread_id "	\
	"JOIN communities c ON c.id = t.community_id "			\
	"LEFT JOIN posts p ON p.id = n.post_id "			\
	"LEFT JOIN users a ON a.id = n.actor_id "
#define NOTE_COLS							\
	"SELECT n.id, n.kind, " PT_DISC_TIME("n.created_at") ", "	\
	"n.read_at IS NULL, t.id, t.title, COALESCE(n.post_id, 0), "	\
	"c.slug, c.name, COALESCE(a.login, ''), COALESCE(a.name, '') "

	/* Author and earlier posters, with whether they moderate everywhere. */
	[STMT_PARTICIPANTS] = "SELECT u.id, EXISTS (SELECT 1 FROM user_roles "
	    "r WHERE r.user_id = u.id AND r.role IN ('moderator', "
	    "'portal_admin')) FROM users u WHERE u.status = 'active' AND "
	    "u.id <> ? AND u.id IN (SELECT p.author_id FROM posts p WHERE "
	    "p.thread_id = ?) ORDER BY u.id LIMIT 500",
	[STMT_INSERT] = "INSERT INTO notifications (user_id, kind, "
	    "community_id, thread_id, post_id, actor_id) "
	    "VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_LIST_FIRST] = NOTE_COLS NOTE_FROM "WHERE " NOTE_VISIBLE
	    " ORDER BY n.id DESC LIMIT ?",
	[STMT_LIST_AFTER] = NOTE_COLS NOTE_FROM "WHERE n.id < ? AND "
	    NOTE_VISIBLE " ORDER BY n.id DESC LIMIT ?",
	[STMT_UNREAD] = "SELECT COUNT(*) " NOTE_FROM "WHERE n.read_at IS NULL "
	    "AND " NOTE_VISIBLE,
	[STMT_READ_ALL] = "UPDATE notifications SET read_at = NOW() "
	    "WHERE user_id = ? AND read_at IS NULL",
};

static int
note_insert(struct pt_req *r, const struct pt_comm *c, int64_t user,
    const char *kind, int64_t thread, int64_t post)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_INSERT])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_text(st, 1, kind);
	pt_db_bind_int(st, 2, c->id);
	pt_db_bind_int(st, 3, thread);
	pt_db_bind_int(st, 4, post);
	pt_db_bind_int(st, 5, r->sess->user_id);
	return pt_db_exec(st);
}

int
pt_disc_notify(struct pt_req *r, const struct pt_comm *c, int64_t thread,
    int64_t post, bool reply, const struct pt_markup_user *mentioned,
    size_t nmentioned)
{
	struct pt_stmt	*st;
	int64_t		*ids;
	unsigned int	*roles;
	size_t		 n = 0, i, k;
	int		 rc;

	/* Mentions first: a mentioned participant gets one notification. */
	for (i = 0; i < nmentioned; i++) {
		if (mentioned[i].id == r->sess->user_id)
			continue;
		for (k = 0; k < i; k++)
			if (mentioned[k].id == mentioned[i].id)
				break;
		if (k < i)
			continue;
		/* pt_disc_mentions() checked they may read c. */
		if (note_insert(r, c, mentioned[i].id, "mention", thread,
		    post) != PT_OK)
			return PT_ERR;
	}
	if (!reply)
		return PT_OK;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PARTICIPANTS])) ==
	    NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, thread);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	ids = pt_alloc(r->arena, 500 * sizeof(*ids));
	roles = pt_alloc(r->arena, 500 * sizeof(*roles));
	while ((rc = pt_db_fetch(st)) == PT_OK && n < 500) {
		ids[n] = pt_db_col_int(st, 0);
		roles[n++] = pt_db_col_int(st, 1) ? 1u << PT_ROLE_MODERATOR :
		    0;
	}
	if (rc == PT_ERR)
		return PT_ERR;
	for (i = 0; i < n; i++) {
		for (k = 0; k < nmentioned; k++)
			if (mentioned[k].id == ids[i])
				break;
		if (k < nmentioned)
			continue;
		rc = pt_comm_user_can_read(r->db, r->arena, ids[i], roles[i],
		    c->id);
		if (rc == PT_ERR)
			return PT_ERR;
		if (rc == PT_OK && note_insert(r, c, ids[i], "reply", thread,
		    post) != PT_OK)
			return PT_ERR;
	}
	return PT_OK;
}

static int
unread_count(struct pt_req *r, int64_t *count)
{
	struct pt_stmt	*st;
	unsigned int	 i;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_UNREAD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->sess->user_id);
	i = pt_comm_bind_readable(st, 1, r);
	(void)i;
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	*count = pt_db_col_int(st, 0);
	while (pt_db_fetch(st) == PT_OK)
		;
	return PT_OK;
}

int
pt_disc_notes_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	xmlNodePtr	 lx, nx, ax;
	int64_t		 after = pt_req_int(r, "after", 0), unread, last = 0;
	unsigned int	 i = 0, n = 0;
	int		 rc;

	if (unread_count(r, &unread) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[after > 0 ?
	    STMT_LIST_AFTER : STMT_LIST_FIRST])) == NULL)
		return 500;
	if (after > 0)
		pt_db_bind_int(st, i++, after);
	pt_db_bind_int(st, i++, r->sess->user_id);
	i = pt_comm_bind_readable(st, i, r);
	pt_db_bind_int(st, i, PT_DISC_NOTES_PAGE + 1);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	lx = pt_xml_elem(out, "notifications");
	pt_xml_attr_int(lx, "unread", unread);
	if (after > 0)
		pt_xml_attr_int(lx, "after", after);
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > PT_DISC_NOTES_PAGE) {
			pt_xml_attr_int(pt_xml_elem(lx, "more"), "after",
			    last);
			continue;
		}
		last = pt_db_col_int(st, 0);
		nx = pt_xml_elem(lx, "notification");
		pt_xml_attr_int(nx, "id", last);
		pt_xml_attr(nx, "kind", pt_db_col_text(st, 1));
		pt_xml_attr(nx, "created", pt_db_col_text(st, 2));
		if (pt_db_col_int(st, 3))
			pt_xml_attr(nx, "unread", "yes");
		pt_xml_attr_int(nx, "thread", pt_db_col_int(st, 4));
		pt_xml_attr(nx, "title", pt_db_col_text(st, 5));
		if (pt_db_col_int(st, 6) > 0)
			pt_xml_attr_int(nx, "post", pt_db_col_int(st, 6));
		pt_xml_attr(nx, "community", pt_db_col_text(st, 7));
		pt_xml_attr(nx, "community-name", pt_db_col_text(st, 8));
		ax = pt_xml_elem(nx, "actor");
		pt_xml_attr(ax, "login", pt_db_col_text(st, 9));
		pt_xml_attr(ax, "name", pt_db_col_text(st, 10));
	}
	return rc == PT_DECLINED ? 200 : 500;
}

int
pt_disc_notes_read_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;

	(void)out;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_READ_ALL])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	if (pt_resp_redirect(r, "/notifications") != 303)
		return 500;
	return 303;
}
