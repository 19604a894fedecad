/*
 * discussions.c - discussions in communities: the route table of threads,
 * replies, edits, history, notifications and Atom feeds, and the
 * community page itself (GET /c/{slug}).
 *
 * The community page lists threads pinned first, then by last activity,
 * PT_DISC_THREADS_PAGE at a time; ?after={thread id} continues after that
 * thread (keyset pagination on the threads_listing index, so a community
 * with thousands of threads costs the same per page).  The list is one
 * statement with the authors joined: the page runs the same number of
 * statements whatever it shows (tests/integration/test_discussions.py
 * checks the access log's q=N).  A listed community the reader may not
 * read shows its description and the way in (join, ask to join, or
 * "invitation only"); members and staff see "New thread".
 *
 * XML produced (xslt/communities/community.xsl):
 *   <community-page>
 *     <community .../>                        (pt_comm_xml)
 *     <threads next="id">                     (next: more after id)
 *       <thread id="" title="" status="" locked="yes" pinned="yes"
 *           featured="yes" replies="" created="" last-post-at="">
 *         <author id="" login="" name=""/><last-by login="" name=""/>
 *       </thread>...
 *     </threads>
 *     <held>...threads of the reader awaiting review...</held>
 *   </community-page>
 *
 * API: pt_mod_discussions (modules/modules.c).  Handlers of the other
 * routes: threads.h.  To add a discussions route, add a row to routes[]
 * and its handler to threads.c, notify.c or feed.c (declared in
 * threads.h), its stylesheet under xslt/communities/ (listed in
 * discussions.mk) and a test in tests/integration/test_discussions.py.
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "threads.h"

enum {
	STMT_LIST_FIRST,
	STMT_LIST_AFTER,
	STMT_MOD_FIRST,
	STMT_MOD_AFTER,
	STMT_HELD_MINE,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
#define LIST_COLS							\
	"SELECT t.id, t.title, t.status, t.locked, t.pinned, t.featured, "\
	"t.reply_count, " PT_DISC_TIME("t.created_at") ", "		\
	PT_DISC_TIME("t.last_post_at") ", t.author_id, a.login, a.name, "\
	"COALESCE(l.login, ''), COALESCE(l.name, '') "			\
	"FROM threads t FORCE INDEX (threads_listing) "		\
	"STRAIGHT_JOIN users a ON a.id = t.author_id "			\
	"LEFT JOIN users l ON l.id = t.last_post_by "
/*
 * Threads first, through their listing index (FORCE INDEX, STRAIGHT_JOIN):
 * the index gives the order and the LIMIT stops the scan, whatever the
 * optimizer thinks of a small table; then each author by primary key.
 * The keyset cursor: the thread the previous page ended with.
 */
#define LIST_CURSOR							\
	"JOIN threads k ON k.id = ? AND k.community_id = t.community_id "
#define LIST_AFTER_K							\
	" AND (t.pinned < k.pinned OR (t.pinned = k.pinned AND "	\
	"(t.last_post_at < k.last_post_at OR (t.last_post_at = "	\
	"k.last_post_at AND t.id < k.id))))"
#define LIST_ORDER							\
	" ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ?"

	/* Members: visible threads only, in index order. */
	[STMT_LIST_FIRST] = LIST_COLS
	    "WHERE t.community_id = ? AND t.status = 'visible'" LIST_ORDER,
	[STMT_LIST_AFTER] = LIST_COLS LIST_CURSOR
	    "WHERE t.community_id = ? AND t.status = 'visible'" LIST_AFTER_K
	    LIST_ORDER,
	/* Moderators: every thread, with its status. */
	[STMT_MOD_FIRST] = LIST_COLS
	    "WHERE t.community_id = ?" LIST_ORDER,
	[STMT_MOD_AFTER] = LIST_COLS LIST_CURSOR
	    "WHERE t.community_id = ?" LIST_AFTER_K LIST_ORDER,
	/* The reader's own threads that wait for a moderator. */
	[STMT_HELD_MINE] = LIST_COLS
	    "WHERE t.community_id = ? AND t.status = 'held' AND "
	    "t.author_id = ? ORDER BY t.id DESC LIMIT 10",
};

static void
thread_row(struct pt_stmt *st, xmlNodePtr parent)
{
	xmlNodePtr	 tx, ux;

	tx = pt_xml_elem(parent, "thread");
	pt_xml_attr_int(tx, "id", pt_db_col_int(st, 0));
	pt_xml_attr(tx, "title", pt_db_col_text(st, 1));
	pt_xml_attr(tx, "status", pt_db_col_text(st, 2));
	if (pt_db_col_int(st, 3))
		pt_xml_attr(tx, "locked", "yes");
	if (pt_db_col_int(st, 4))
		pt_xml_attr(tx, "pinned", "yes");
	if (pt_db_col_int(st, 5))
		pt_xml_attr(tx, "featured", "yes");
	pt_xml_attr_int(tx, "replies", pt_db_col_int(st, 6));
	pt_xml_attr(tx, "created", pt_db_col_text(st, 7));
	pt_xml_attr(tx, "last-post-at", pt_db_col_text(st, 8));
	ux = pt_xml_elem(tx, "author");
	pt_xml_attr_int(ux, "id", pt_db_col_int(st, 9));
	pt_xml_attr(ux, "login", pt_db_col_text(st, 10));
	pt_xml_attr(ux, "name", pt_db_col_text(st, 11));
	if (*pt_db_col_text(st, 12) != '\0') {
		ux = pt_xml_elem(tx, "last-by");
		pt_xml_attr(ux, "login", pt_db_col_text(st, 12));
		pt_xml_attr(ux, "name", pt_db_col_text(st, 13));
	}
}

static int
community_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	xmlNodePtr	 px, lx;
	int64_t		 after = pt_req_int(r, "after", 0), last = 0;
	unsigned int	 i = 0, n = 0;
	int		 rc, which;

	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), &c);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	px = pt_xml_elem(out, "community-page");
	pt_comm_xml(px, &c);
	if (!c.readable)
		return 200;	/* a listed community: description, way in */

	if (c.moderator)
		which = after > 0 ? STMT_MOD_AFTER : STMT_MOD_FIRST;
	else
		which = after > 0 ? STMT_LIST_AFTER : STMT_LIST_FIRST;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[which])) == NULL)
		return 500;
	if (after > 0)
		pt_db_bind_int(st, i++, after);
	pt_db_bind_int(st, i++, c.id);
	pt_db_bind_int(st, i++, PT_DISC_THREADS_PAGE + 1);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	lx = pt_xml_elem(px, "threads");
	if (after > 0)
		pt_xml_attr_int(lx, "after", after);
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > PT_DISC_THREADS_PAGE) {
			pt_xml_attr_int(lx, "next", last);
			continue;
		}
		last = pt_db_col_int(st, 0);
		thread_row(st, lx);
	}
	if (rc != PT_DECLINED)
		return 500;

	/*
	 * Held threads exist where new members' posts are held; elsewhere
	 * (the usual case) the page saves the statement.  A thread held
	 * before a manager set hold_first_posts to 0 stays reachable at
	 * /t/{id} for its author.
	 */
	if (!c.moderator && after == 0 && c.hold_first_posts > 0) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_HELD_MINE])) == NULL)
			return 500;
		pt_db_bind_int(st, 0, c.id);
		pt_db_bind_int(st, 1, r->sess->user_id);
		if (pt_db_exec(st) != PT_OK)
			return 500;
		lx = NULL;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			if (lx == NULL)
				lx = pt_xml_elem(px, "held");
			thread_row(st, lx);
		}
		if (rc != PT_DECLINED)
			return 500;
	}
	return 200;
}

#define ID_MAX	INT64_MAX

static const struct pt_field community_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "after", PT_F_INT, PT_IN_QUERY, false, 1, ID_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field slug_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field new_thread_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "title", PT_F_TEXT, PT_IN_BODY, true, 1, PT_DISC_TITLE_MAX },
	{ "body", PT_F_MULTILINE, PT_IN_BODY, true, 1, PT_DISC_BODY_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field thread_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, ID_MAX },
	{ "after", PT_F_INT, PT_IN_QUERY, false, 1, ID_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field reply_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, ID_MAX },
	{ "body", PT_F_MULTILINE, PT_IN_BODY, true, 1, PT_DISC_BODY_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field post_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, ID_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field edit_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, ID_MAX },
	{ "title", PT_F_TEXT, PT_IN_BODY, false, 0, PT_DISC_TITLE_MAX },
	{ "body", PT_F_MULTILINE, PT_IN_BODY, true, 1, PT_DISC_BODY_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field notes_fields[] = {
	{ "after", PT_F_INT, PT_IN_QUERY, false, 1, ID_MAX },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_field feed_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "token", PT_F_TEXT, PT_IN_QUERY, false, 1, 100 },
	{ NULL, 0, 0, false, 0, 0 }
};

static const struct pt_route routes[] = {
	{ "/c/{slug}", PT_GET, PT_ACCESS_USER, 0, community_fields,
	    "communities/community.xsl", community_get },
	{ "/c/{slug}/threads/new", PT_GET, PT_ACCESS_USER, 0, slug_fields,
	    "communities/compose.xsl", pt_disc_thread_new_get },
	{ "/c/{slug}/threads/new", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    new_thread_fields, "communities/compose.xsl",
	    pt_disc_thread_new_post },
	{ "/t/{id}", PT_GET, PT_ACCESS_USER, 0, thread_fields,
	    "communities/thread.xsl", pt_disc_thread_get },
	{ "/t/{id}/reply", PT_POST, PT_ACCESS_USER, PT_CSRF, reply_fields,
	    "communities/thread.xsl", pt_disc_reply_post },
	{ "/p/{id}/edit", PT_GET, PT_ACCESS_USER, 0, post_fields,
	    "communities/edit.xsl", pt_disc_edit_get },
	{ "/p/{id}/edit", PT_POST, PT_ACCESS_USER, PT_CSRF, edit_fields,
	    "communities/edit.xsl", pt_disc_edit_post },
	{ "/p/{id}/history", PT_GET, PT_ACCESS_USER, 0, post_fields,
	    "communities/history.xsl", pt_disc_history_get },
	{ "/notifications", PT_GET, PT_ACCESS_USER, 0, notes_fields,
	    "communities/notifications.xsl", pt_disc_notes_get },
	{ "/notifications/read", PT_POST, PT_ACCESS_USER, PT_CSRF, NULL,
	    "communities/notifications.xsl", pt_disc_notes_read_post },
	/*
	 * Public in the route table because a feed reader has no session:
	 * the handler authenticates by the session or by ?token= and answers
	 * pt_comm_not_found() for anyone else.
	 */
	{ "/c/{slug}/feed.atom", PT_GET, PT_ACCESS_PUBLIC, 0, feed_fields,
	    "communities/feed.xsl", pt_disc_feed_get },
	{ "/account/feed-token", PT_GET, PT_ACCESS_USER, 0, NULL,
	    "communities/feed-token.xsl", pt_disc_token_get },
	{ "/account/feed-token", PT_POST, PT_ACCESS_USER, PT_CSRF, NULL,
	    "communities/feed-token.xsl", pt_disc_token_post },
	{ .path = NULL },
};

const struct pt_module pt_mod_discussions = {
	.name = "discussions",
	.routes = routes,
};
