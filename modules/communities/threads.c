/*
 * threads.c - threads and posts: the thread page, starting a thread,
 * replying, editing (with the previous text kept in post_revisions) and
 * the edit history moderators see.
 *
 * Who sees what (community.h decides who may read the community at all):
 *   - a hidden or deleted thread exists only for moderators; a held one
 *     also for its author;
 *   - a hidden or deleted post shows as "[removed by a moderator]" to
 *     everyone but moderators, who see it with its status and reason; a
 *     held post is shown to its author and moderators and omitted for
 *     everyone else;
 *   - members (and staff) post; a reader of an open community who has not
 *     joined sees "Join to reply"; nobody posts in a locked thread.
 * The first hold_first_posts posts of a member are held for review
 * (moderation.c approves them); held posts notify nobody and are not
 * counted in their thread until approved.  An edit
 * notifies only the users it mentions for the first time.  A post, its thread's counters and the
 * member's post count change in one transaction.
 *
 * XML produced:
 *   thread.xsl:  <thread-page><community/><thread id title status locked
 *                pinned featured replies created author-id>
 *                <author/></thread><post id status reason first mine
 *                kudos kudoed created edited edits><author id login name/>
 *                <body>(markup.h tree)</body></post>...<more after=""/>
 *                </thread-page>
 *   compose.xsl: <compose><community/><draft title=""><body/></draft>
 *   edit.xsl:    <edit-post id first><community/><thread id title/>
 *                <draft title=""><body>source</body></draft></edit-post>
 *   history.xsl: <post-history id><community/><thread id title/>
 *                <current title="" edited=""><author/><body/></current>
 *                <revision rev title replaced><editor/><body/></revision>...
 *
 * API (threads.h): the pt_disc_thread_*, pt_disc_reply_post,
 * pt_disc_edit_*, pt_disc_history_get handlers, pt_disc_mentions.  To add
 * a post attribute, select it in STMT_POSTS and add it in post_xml().
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "markup.h"
#include "threads.h"

enum {
	STMT_THREAD,
	STMT_POSTS,
	STMT_USER_BY_LOGIN,
	STMT_MEMBER_LOCK,
	STMT_MEMBER_COUNT,
	STMT_THREAD_INSERT,
	STMT_POST_INSERT,
	STMT_THREAD_LOCK,
	STMT_THREAD_BUMP,
	STMT_POST_LOAD,
	STMT_POST_LOCK,
	STMT_REVISION_INSERT,
	STMT_POST_UPDATE,
	STMT_TITLE_UPDATE,
	STMT_REVISIONS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_THREAD] = "SELECT t.title, t.status, t.locked, t.pinned, "
	    "t.featured, t.reply_count, t.author_id, a.login, a.name, "
	    PT_DISC_TIME("t.created_at") ", t.community_id "
	    "FROM threads t JOIN users a ON a.id = t.author_id "
	    "WHERE t.id = ?",
	/*
	 * One page of posts with their authors.  Parameters: reader (kudos),
	 * thread, after, moderator flag, reader (own held posts), limit.
	 */
	[STMT_POSTS] = "SELECT p.id, p.author_id, u.login, u.name, "
	    "p.is_first, p.body, p.status, COALESCE(p.status_reason, ''), "
	    "p.kudos_count, " PT_DISC_TIME("p.created_at") ", "
	    "COALESCE(" PT_DISC_TIME("p.edited_at") ", ''), p.edit_count, "
	    "EXISTS (SELECT 1 FROM kudos k WHERE k.post_id = p.id AND "
	    "k.user_id = ?) "
	    "FROM posts p JOIN users u ON u.id = p.author_id "
	    "WHERE p.thread_id = ? AND p.id > ? AND "
	    "(p.status <> 'held' OR ? OR p.author_id = ?) "
	    "ORDER BY p.id LIMIT ?",
	[STMT_USER_BY_LOGIN] = "SELECT u.id, EXISTS (SELECT 1 FROM user_roles "
	    "r WHERE r.user_id = u.id AND r.role IN ('moderator', "
	    "'portal_admin')) FROM users u WHERE u.login = ? AND "
	    "u.status = 'active' ORDER BY u.id LIMIT 5",
	[STMT_MEMBER_LOCK] = "SELECT posts FROM community_members "
	    "WHERE community_id = ? AND user_id = ? FOR UPDATE",
	[STMT_MEMBER_COUNT] = "UPDATE community_members SET posts = posts + 1 "
	    "WHERE community_id = ? AND user_id = ?",
	[STMT_THREAD_INSERT] = "INSERT INTO threads (community_id, author_id, "
	    "title, status, last_post_by) VALUES (?, ?, ?, ?, ?)",
	[STMT_POST_INSERT] = "INSERT INTO posts (thread_id, community_id, "
	    "author_id, is_first, body, status) VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_THREAD_LOCK] = "SELECT community_id, status, locked, author_id "
	    "FROM threads WHERE id = ? FOR UPDATE",
	[STMT_THREAD_BUMP] = "UPDATE threads SET reply_count = reply_count + 1, "
	    "last_post_at = NOW(6), last_post_by = ? WHERE id = ?",
	[STMT_POST_LOAD] = "SELECT p.author_id, p.body, p.status, p.is_first, "
	    "t.id, t.title, t.status, t.locked, p.edit_count, "
	    PT_DISC_TIME("p.created_at") ", COALESCE("
	    PT_DISC_TIME("p.edited_at") ", ''), u.login, u.name "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id WHERE p.id = ?",
	[STMT_POST_LOCK] = "SELECT p.author_id, p.body, p.status, p.is_first, "
	    "t.id, t.title, t.status, t.locked, p.edit_count, p.community_id "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "WHERE p.id = ? FOR UPDATE",
	[STMT_REVISION_INSERT] = "INSERT INTO post_revisions (post_id, rev, "
	    "title, body, edited_by) VALUES (?, ?, ?, ?, ?)",
	[STMT_POST_UPDATE] = "UPDATE posts SET body = ?, edited_at = NOW(6), "
	    "edit_count = edit_count + 1 WHERE id = ?",
	[STMT_TITLE_UPDATE] = "UPDATE threads SET title = ? WHERE id = ?",
	[STMT_REVISIONS] = "SELECT r.rev, COALESCE(r.title, ''), r.body, "
	    PT_DISC_TIME("r.replaced_at") ", u.login, u.name, r.title IS NULL "
	    "FROM post_revisions r JOIN users u ON u.id = r.edited_by "
	    "WHERE r.post_id = ? ORDER BY r.rev DESC LIMIT 200",
};

/* A post row kept until the page's mentions are resolved. */
struct prow {
	int64_t		 id, author, kudos, edits;
	const char	*login, *name, *body, *status, *reason, *created,
			*edited;
	bool		 first, kudoed;
};

/* --------------------------------------------------------- helpers */

static bool
blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

int
pt_disc_mentions(struct pt_req *r, const struct pt_comm *c,
    const char *const *logins, size_t n, struct pt_markup_user *out)
{
	struct pt_stmt	*st;
	int64_t		 ids[5];
	unsigned int	 roles[5];
	size_t		 i, k, nrows;
	int		 rc, nout = 0;

	for (i = 0; i < n && i < PT_MARKUP_MENTIONS_MAX; i++) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_USER_BY_LOGIN])) == NULL)
			return -1;
		pt_db_bind_text(st, 0, logins[i]);
		if (pt_db_exec(st) != PT_OK)
			return -1;
		nrows = 0;
		while ((rc = pt_db_fetch(st)) == PT_OK)
			if (nrows < PT_NELEM(ids)) {
				ids[nrows] = pt_db_col_int(st, 0);
				roles[nrows++] = pt_db_col_int(st, 1) ?
				    1u << PT_ROLE_MODERATOR : 0;
			}
		if (rc != PT_DECLINED)
			return -1;
		for (k = 0; k < nrows; k++) {
			rc = pt_comm_user_can_read(r->db, r->arena, ids[k],
			    roles[k], c->id);
			if (rc == PT_ERR)
				return -1;
			if (rc == PT_OK) {
				out[nout].login = logins[i];
				out[nout++].id = ids[k];
				break;
			}
		}
	}
	return nout;
}

/* The thread row; PT_DECLINED if the reader may not see it. */
struct thread {
	int64_t		 id, author, community, replies;
	const char	*title, *status, *login, *name, *created;
	bool		 locked, pinned, featured;
};

static int
thread_load(struct pt_req *r, const struct pt_comm *c, int64_t id,
    struct thread *t)
{
	struct pt_stmt	*st;
	int		 rc;

	memset(t, 0, sizeof(*t));
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_THREAD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	t->id = id;
	t->title = pt_db_col_text(st, 0);
	t->status = pt_db_col_text(st, 1);
	t->locked = pt_db_col_int(st, 2) != 0;
	t->pinned = pt_db_col_int(st, 3) != 0;
	t->featured = pt_db_col_int(st, 4) != 0;
	t->replies = pt_db_col_int(st, 5);
	t->author = pt_db_col_int(st, 6);
	t->login = pt_db_col_text(st, 7);
	t->name = pt_db_col_text(st, 8);
	t->created = pt_db_col_text(st, 9);
	t->community = pt_db_col_int(st, 10);
	if (t->community != c->id)
		return PT_DECLINED;	/* moved since the community check */
	if (c->moderator || strcmp(t->status, "visible") == 0)
		return PT_OK;
	if (strcmp(t->status, "held") == 0 && t->author == r->sess->user_id)
		return PT_OK;
	return PT_DECLINED;
}

static xmlNodePtr
thread_xml(xmlNodePtr parent, const struct thread *t)
{
	xmlNodePtr	 tx, ax;

	tx = pt_xml_elem(parent, "thread");
	pt_xml_attr_int(tx, "id", t->id);
	pt_xml_attr(tx, "title", t->title);
	pt_xml_attr(tx, "status", t->status);
	if (t->locked)
		pt_xml_attr(tx, "locked", "yes");
	if (t->pinned)
		pt_xml_attr(tx, "pinned", "yes");
	if (t->featured)
		pt_xml_attr(tx, "featured", "yes");
	pt_xml_attr_int(tx, "replies", t->replies);
	pt_xml_attr(tx, "created", t->created);
	ax = pt_xml_elem(tx, "author");
	pt_xml_attr_int(ax, "id", t->author);
	pt_xml_attr(ax, "login", t->login);
	pt_xml_attr(ax, "name", t->name);
	return tx;
}

static bool
can_post(const struct pt_comm *c)
{
	return c->member || c->staff;
}

static int
not_member(struct pt_req *r)
{
	return pt_req_error(r, 403, "Only members of this community can post "
	    "here. Join the community first, then try again.");
}

static int
redirect(struct pt_req *r, const char *to)
{
	if (pt_resp_redirect(r, to) != 303)
		return 500;
	return 303;
}

/* Rolls back and answers st (for use after pt_db_begin()). */
static int
undo(struct pt_req *r, int st)
{
	pt_db_rollback(r->db);
	return st;
}

/*
 * Inside a transaction: whether the reader's next post in c is held, and
 * counts it.  A member row is needed to count; directory members and
 * staff have none and are never held.
 */
static int
member_count_post(struct pt_req *r, const struct pt_comm *c, bool *held)
{
	struct pt_stmt	*st;
	int		 rc;

	*held = false;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MEMBER_LOCK])) ==
	    NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_DECLINED)
		return PT_OK;
	*held = !c->staff && !c->manager &&
	    pt_db_col_int(st, 0) < (int64_t)c->hold_first_posts;
	while ((rc = pt_db_fetch(st)) == PT_OK)
		;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_MEMBER_COUNT])) ==
	    NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	return pt_db_exec(st);
}

static int64_t
post_insert(struct pt_req *r, const struct pt_comm *c, int64_t thread,
    bool first, const char *body, bool held)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POST_INSERT])) ==
	    NULL)
		return 0;
	pt_db_bind_int(st, 0, thread);
	pt_db_bind_int(st, 1, c->id);
	pt_db_bind_int(st, 2, r->sess->user_id);
	pt_db_bind_int(st, 3, first);
	pt_db_bind_text(st, 4, body);
	pt_db_bind_text(st, 5, held ? "held" : "visible");
	if (pt_db_exec(st) != PT_OK)
		return 0;
	return (int64_t)pt_db_insert_id(st);
}

/* Mentioned users who may read c, for notifications. */
static int
body_mentions(struct pt_req *r, const struct pt_comm *c, const char *body,
    struct pt_markup_user *out)
{
	const char	*logins[PT_MARKUP_MENTIONS_MAX];
	size_t		 n;

	n = pt_markup_mentions(r->arena, body, logins, PT_NELEM(logins));
	return pt_disc_mentions(r, c, logins, n, out);
}

/* ------------------------------------------------------ thread page */

static void
post_xml(struct pt_req *r, xmlNodePtr parent, const struct prow *p,
    const struct pt_comm *c, const struct pt_markup_user *users,
    size_t nusers)
{
	xmlNodePtr	 px, ax;
	bool		 removed = strcmp(p->status, "hidden") == 0 ||
			    strcmp(p->status, "deleted") == 0;

	px = pt_xml_elem(parent, "post");
	pt_xml_attr_int(px, "id", p->id);
	if (removed && !c->moderator) {
		pt_xml_attr(px, "status", "removed");
		return;
	}
	pt_xml_attr(px, "status", p->status);
	if (c->moderator && *p->reason != '\0')
		pt_xml_attr(px, "reason", p->reason);
	if (p->first)
		pt_xml_attr(px, "first", "yes");
	if (p->author == r->sess->user_id)
		pt_xml_attr(px, "mine", "yes");
	if (p->kudoed)
		pt_xml_attr(px, "kudoed", "yes");
	pt_xml_attr_int(px, "kudos", p->kudos);
	pt_xml_attr(px, "created", p->created);
	if (*p->edited != '\0') {
		pt_xml_attr(px, "edited", p->edited);
		pt_xml_attr_int(px, "edits", p->edits);
	}
	ax = pt_xml_elem(px, "author");
	pt_xml_attr_int(ax, "id", p->author);
	pt_xml_attr(ax, "login", p->login);
	pt_xml_attr(ax, "name", p->name);
	pt_markup_xml(pt_xml_elem(px, "body"), p->body, users, nusers);
}

int
pt_disc_thread_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct thread		 t;
	struct pt_stmt		*st;
	struct prow		*rows;
	struct pt_markup_user	 users[PT_MARKUP_MENTIONS_MAX];
	const char		*logins[PT_MARKUP_MENTIONS_MAX];
	xmlNodePtr		 px, mx;
	int64_t			 id = pt_req_int(r, "id", 0);
	int64_t			 after = pt_req_int(r, "after", 0);
	size_t			 n = 0, i, nl = 0;
	int			 rc, nu;

	if ((rc = pt_comm_load_thread(r, id, &c)) == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if ((rc = thread_load(r, &c, id, &t)) == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POSTS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, id);
	pt_db_bind_int(st, 2, after);
	pt_db_bind_int(st, 3, c.moderator ? 1 : 0);
	pt_db_bind_int(st, 4, r->sess->user_id);
	pt_db_bind_int(st, 5, PT_DISC_POSTS_PAGE + 1);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	rows = pt_alloc(r->arena, (PT_DISC_POSTS_PAGE + 1) * sizeof(*rows));
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		struct prow *p;

		if (n == PT_DISC_POSTS_PAGE + 1)
			continue;
		p = &rows[n++];
		p->id = pt_db_col_int(st, 0);
		p->author = pt_db_col_int(st, 1);
		p->login = pt_db_col_text(st, 2);
		p->name = pt_db_col_text(st, 3);
		p->first = pt_db_col_int(st, 4) != 0;
		p->body = pt_db_col_text(st, 5);
		p->status = pt_db_col_text(st, 6);
		p->reason = pt_db_col_text(st, 7);
		p->kudos = pt_db_col_int(st, 8);
		p->created = pt_db_col_text(st, 9);
		p->edited = pt_db_col_text(st, 10);
		p->edits = pt_db_col_int(st, 11);
		p->kudoed = pt_db_col_int(st, 12) != 0;
	}
	if (rc != PT_DECLINED)
		return 500;

	/* One look-up per distinct mention on the page, not per post. */
	for (i = 0; i < n && i < PT_DISC_POSTS_PAGE && nl < PT_NELEM(logins);
	    i++) {
		const char	*found[PT_MARKUP_MENTIONS_MAX];
		size_t		 k, j, nf;

		nf = pt_markup_mentions(r->arena, rows[i].body, found,
		    PT_NELEM(found));
		for (k = 0; k < nf && nl < PT_NELEM(logins); k++) {
			for (j = 0; j < nl; j++)
				if (strcmp(logins[j], found[k]) == 0)
					break;
			if (j == nl)
				logins[nl++] = found[k];
		}
	}
	if ((nu = pt_disc_mentions(r, &c, logins, nl, users)) < 0)
		return 500;

	px = pt_xml_elem(out, "thread-page");
	pt_comm_xml(px, &c);
	(void)thread_xml(px, &t);
	for (i = 0; i < n && i < PT_DISC_POSTS_PAGE; i++)
		post_xml(r, px, &rows[i], &c, users, (size_t)nu);
	if (n > PT_DISC_POSTS_PAGE) {
		mx = pt_xml_elem(px, "more");
		pt_xml_attr_int(mx, "after", rows[PT_DISC_POSTS_PAGE - 1].id);
	}
	if (after > 0)
		pt_xml_attr_int(pt_xml_elem(px, "page"), "after", after);
	return 200;
}

/* ------------------------------------------------------ new thread */

static int
compose_page(struct pt_req *r, xmlNodePtr out, const struct pt_comm *c)
{
	xmlNodePtr	 cx, dx;

	cx = pt_xml_elem(out, "compose");
	pt_comm_xml(cx, c);
	dx = pt_xml_elem(cx, "draft");
	pt_xml_attr(dx, "title", pt_req_str(r, "title"));
	pt_xml_text(dx, "body", pt_req_str(r, "body"));
	return 200;
}

/* Loads the community of the {slug} for posting in it. */
static int
compose_community(struct pt_req *r, struct pt_comm *c)
{
	int	 rc;

	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), c);
	if (rc == PT_DECLINED || (rc == PT_OK && !c->readable))
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if (!can_post(c))
		return not_member(r);
	return 200;
}

int
pt_disc_thread_new_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	int		 st;

	if ((st = compose_community(r, &c)) != 200)
		return st;
	return compose_page(r, out, &c);
}

int
pt_disc_thread_new_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_markup_user	 users[PT_MARKUP_MENTIONS_MAX];
	struct pt_stmt		*st;
	const char		*title = pt_req_str(r, "title");
	const char		*body = pt_req_str(r, "body");
	int64_t			 tid, pid;
	bool			 held;
	int			 s, nu;

	if ((s = compose_community(r, &c)) != 200)
		return s;
	if (blank(title) || blank(body)) {
		r->keep_page = true;
		(void)compose_page(r, out, &c);
		return pt_req_error(r, 400, "A thread needs a title and a "
		    "first post.");
	}
	if ((nu = body_mentions(r, &c, body, users)) < 0)
		return 500;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if (member_count_post(r, &c, &held) != PT_OK)
		return undo(r, 500);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_THREAD_INSERT])) ==
	    NULL)
		return undo(r, 500);
	pt_db_bind_int(st, 0, c.id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	pt_db_bind_text(st, 2, title);
	pt_db_bind_text(st, 3, held ? "held" : "visible");
	pt_db_bind_int(st, 4, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return undo(r, 500);
	tid = (int64_t)pt_db_insert_id(st);
	if ((pid = post_insert(r, &c, tid, true, body, held)) == 0)
		return undo(r, 500);
	if (!held && pt_disc_notify(r, &c, tid, pid, false, users,
	    (size_t)nu) != PT_OK)
		return undo(r, 500);
	if (pt_db_commit(r->db) != PT_OK)
		return undo(r, 500);
	return redirect(r, pt_printf(r->arena, "/t/%lld", (long long)tid));
}

/* ----------------------------------------------------------- reply */

int
pt_disc_reply_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_markup_user	 users[PT_MARKUP_MENTIONS_MAX];
	struct pt_stmt		*st;
	const char		*body = pt_req_str(r, "body"), *status;
	int64_t			 id = pt_req_int(r, "id", 0), pid, author;
	bool			 held, locked;
	int			 rc, nu;

	(void)out;
	if ((rc = pt_comm_load_thread(r, id, &c)) == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_THREAD_LOCK])) ==
	    NULL)
		return undo(r, 500);
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return undo(r, 500);
	if (rc == PT_DECLINED || pt_db_col_int(st, 0) != c.id)
		return undo(r, pt_comm_not_found(r));
	status = pt_db_col_text(st, 1);
	locked = pt_db_col_int(st, 2) != 0;
	author = pt_db_col_int(st, 3);
	while (pt_db_fetch(st) == PT_OK)
		;
	if (!c.moderator && strcmp(status, "visible") != 0 &&
	    !(strcmp(status, "held") == 0 && author == r->sess->user_id))
		return undo(r, pt_comm_not_found(r));
	if (!can_post(&c))
		return undo(r, not_member(r));
	if (locked)
		return undo(r, pt_req_error(r, 403, "This thread is locked: "
		    "a moderator closed it to new replies."));
	if (blank(body))
		return undo(r, pt_req_error(r, 400, "A reply cannot be "
		    "empty. Go back and write something first."));
	if ((nu = body_mentions(r, &c, body, users)) < 0)
		return undo(r, 500);
	if (member_count_post(r, &c, &held) != PT_OK)
		return undo(r, 500);
	if ((pid = post_insert(r, &c, id, false, body, held)) == 0)
		return undo(r, 500);
	/*
	 * A held reply is not counted yet: reply_count counts visible
	 * replies, as moderation_posts.c recounts them when it approves.
	 */
	if (!held) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_THREAD_BUMP])) == NULL)
			return undo(r, 500);
		pt_db_bind_int(st, 0, r->sess->user_id);
		pt_db_bind_int(st, 1, id);
		if (pt_db_exec(st) != PT_OK)
			return undo(r, 500);
	}
	if (!held && pt_disc_notify(r, &c, id, pid, true, users,
	    (size_t)nu) != PT_OK)
		return undo(r, 500);
	if (pt_db_commit(r->db) != PT_OK)
		return undo(r, 500);
	return redirect(r, pt_printf(r->arena, "/t/%lld?after=%lld#p%lld",
	    (long long)id, (long long)(pid - 1), (long long)pid));
}

/* ------------------------------------------------------------ edit */

struct post {
	int64_t		 id, author, thread, edits;
	const char	*body, *status, *title, *tstatus, *created, *edited,
			*login, *name;
	bool		 first, locked;
};

/*
 * Loads post id for the reader: PT_DECLINED (answer not found) unless its
 * community, thread and the post itself are visible to them.
 */
static int
post_load(struct pt_req *r, int64_t id, struct pt_comm *c, struct post *p)
{
	struct pt_stmt	*st;
	int		 rc;

	memset(p, 0, sizeof(*p));
	if ((rc = pt_comm_load_post(r, id, NULL, c)) != PT_OK)
		return rc;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POST_LOAD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	p->id = id;
	p->author = pt_db_col_int(st, 0);
	p->body = pt_db_col_text(st, 1);
	p->status = pt_db_col_text(st, 2);
	p->first = pt_db_col_int(st, 3) != 0;
	p->thread = pt_db_col_int(st, 4);
	p->title = pt_db_col_text(st, 5);
	p->tstatus = pt_db_col_text(st, 6);
	p->locked = pt_db_col_int(st, 7) != 0;
	p->edits = pt_db_col_int(st, 8);
	p->created = pt_db_col_text(st, 9);
	p->edited = pt_db_col_text(st, 10);
	p->login = pt_db_col_text(st, 11);
	p->name = pt_db_col_text(st, 12);
	if (c->moderator)
		return PT_OK;
	if (strcmp(p->tstatus, "visible") != 0 &&
	    !(strcmp(p->tstatus, "held") == 0 && p->author ==
	    r->sess->user_id))
		return PT_DECLINED;
	if (strcmp(p->status, "visible") == 0)
		return PT_OK;
	if (strcmp(p->status, "held") == 0 && p->author == r->sess->user_id)
		return PT_OK;
	return PT_DECLINED;
}

static void
post_context_xml(xmlNodePtr parent, const struct post *p)
{
	xmlNodePtr	 tx;

	tx = pt_xml_elem(parent, "thread");
	pt_xml_attr_int(tx, "id", p->thread);
	pt_xml_attr(tx, "title", p->title);
}

static int
edit_page(struct pt_req *r, xmlNodePtr out, const struct pt_comm *c,
    const struct post *p, const char *title, const char *body)
{
	xmlNodePtr	 ex, dx;

	ex = pt_xml_elem(out, "edit-post");
	pt_xml_attr_int(ex, "id", p->id);
	if (p->first)
		pt_xml_attr(ex, "first", "yes");
	pt_comm_xml(ex, c);
	post_context_xml(ex, p);
	dx = pt_xml_elem(ex, "draft");
	pt_xml_attr(dx, "title", title);
	pt_xml_text(dx, "body", body);
	return 200;
}

/* The checks edit_get and edit_post share; 200 if the reader may edit. */
static int
edit_allowed(struct pt_req *r, struct pt_comm *c, struct post *p)
{
	int	 rc;

	rc = post_load(r, pt_req_int(r, "id", 0), c, p);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if (p->author != r->sess->user_id)
		return pt_req_error(r, 403, "Only the author of a post can "
		    "edit it.");
	if (strcmp(p->status, "hidden") == 0 ||
	    strcmp(p->status, "deleted") == 0)
		return pt_req_error(r, 403, "A moderator removed this post, "
		    "so it cannot be edited.");
	if (p->locked)
		return pt_req_error(r, 403, "This thread is locked: its posts "
		    "cannot be edited any more.");
	return 200;
}

int
pt_disc_edit_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct post	 p;
	int		 st;

	if ((st = edit_allowed(r, &c, &p)) != 200)
		return st;
	return edit_page(r, out, &c, &p, p.first ? p.title : "", p.body);
}

/*
 * Notifies the users an edit mentions for the first time (those the old
 * text already mentioned were notified then).
 */
static int
edit_mentions(struct pt_req *r, const struct pt_comm *c,
    const struct post *p, const char *oldbody, const char *body)
{
	struct pt_markup_user	 users[PT_MARKUP_MENTIONS_MAX];
	const char		*old[PT_MARKUP_MENTIONS_MAX];
	size_t			 nold, i, k, n = 0;
	int			 nu;

	if ((nu = body_mentions(r, c, body, users)) < 0)
		return PT_ERR;
	nold = pt_markup_mentions(r->arena, oldbody, old, PT_NELEM(old));
	for (i = 0; i < (size_t)nu; i++) {
		for (k = 0; k < nold; k++)
			if (strcmp(old[k], users[i].login) == 0)
				break;
		if (k == nold)
			users[n++] = users[i];
	}
	return pt_disc_notify(r, c, p->thread, p->id, false, users, n);
}

int
pt_disc_edit_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct post	 p;
	struct pt_stmt	*st;
	const char	*body = pt_req_str(r, "body");
	const char	*title = pt_req_str(r, "title");
	const char	*oldbody, *oldtitle;
	int64_t		 edits;
	bool		 retitle;
	int		 s, rc;

	if ((s = edit_allowed(r, &c, &p)) != 200)
		return s;
	if (blank(body) || (p.first && blank(title))) {
		r->keep_page = true;
		(void)edit_page(r, out, &c, &p, title ? title : "", body);
		return pt_req_error(r, 400, p.first ? "A thread needs a title "
		    "and a first post." : "A post cannot be empty.");
	}
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	/* Again under the lock: a moderator may have acted meanwhile. */
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POST_LOCK])) == NULL)
		return undo(r, 500);
	pt_db_bind_int(st, 0, p.id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return undo(r, 500);
	if (rc == PT_DECLINED || pt_db_col_int(st, 9) != c.id ||
	    pt_db_col_int(st, 0) != r->sess->user_id)
		return undo(r, pt_comm_not_found(r));
	oldbody = pt_db_col_text(st, 1);
	oldtitle = pt_db_col_text(st, 5);
	edits = pt_db_col_int(st, 8);
	if (pt_db_col_int(st, 7) != 0 || (strcmp(pt_db_col_text(st, 2),
	    "visible") != 0 && strcmp(pt_db_col_text(st, 2), "held") != 0))
		return undo(r, pt_req_error(r, 403, "This post cannot be "
		    "edited any more: its thread was locked or the post "
		    "removed."));
	while (pt_db_fetch(st) == PT_OK)
		;
	retitle = p.first && strcmp(title, oldtitle) != 0;
	if (strcmp(body, oldbody) == 0 && !retitle) {
		pt_db_rollback(r->db);
		return redirect(r, pt_printf(r->arena, "/t/%lld",
		    (long long)p.thread));
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REVISION_INSERT])) ==
	    NULL)
		return undo(r, 500);
	pt_db_bind_int(st, 0, p.id);
	pt_db_bind_int(st, 1, edits + 1);
	if (p.first)
		pt_db_bind_text(st, 2, oldtitle);
	else
		pt_db_bind_null(st, 2);
	pt_db_bind_text(st, 3, oldbody);
	pt_db_bind_int(st, 4, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK)
		return undo(r, 500);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POST_UPDATE])) ==
	    NULL)
		return undo(r, 500);
	pt_db_bind_text(st, 0, body);
	pt_db_bind_int(st, 1, p.id);
	if (pt_db_exec(st) != PT_OK)
		return undo(r, 500);
	if (retitle) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_TITLE_UPDATE])) == NULL)
			return undo(r, 500);
		pt_db_bind_text(st, 0, title);
		pt_db_bind_int(st, 1, p.thread);
		if (pt_db_exec(st) != PT_OK)
			return undo(r, 500);
	}
	if (strcmp(p.status, "visible") == 0 &&
	    edit_mentions(r, &c, &p, oldbody, body) != PT_OK)
		return undo(r, 500);
	if (pt_db_commit(r->db) != PT_OK)
		return undo(r, 500);
	return redirect(r, pt_printf(r->arena, "/t/%lld?after=%lld#p%lld",
	    (long long)p.thread, (long long)(p.id - 1), (long long)p.id));
}

/* --------------------------------------------------------- history */

int
pt_disc_history_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct post	 p;
	struct pt_stmt	*st;
	xmlNodePtr	 hx, cx, x;
	int		 rc;

	rc = post_load(r, pt_req_int(r, "id", 0), &c, &p);
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	if (!c.moderator)
		return pt_req_error(r, 403, "Only the community's moderators "
		    "can see the history of a post.");
	hx = pt_xml_elem(out, "post-history");
	pt_xml_attr_int(hx, "id", p.id);
	pt_comm_xml(hx, &c);
	post_context_xml(hx, &p);
	cx = pt_xml_elem(hx, "current");
	pt_xml_attr(cx, "status", p.status);
	pt_xml_attr(cx, "created", p.created);
	if (p.first)
		pt_xml_attr(cx, "title", p.title);
	if (*p.edited != '\0')
		pt_xml_attr(cx, "edited", p.edited);
	x = pt_xml_elem(cx, "author");
	pt_xml_attr_int(x, "id", p.author);
	pt_xml_attr(x, "login", p.login);
	pt_xml_attr(x, "name", p.name);
	pt_xml_text(cx, "body", p.body);

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REVISIONS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, p.id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		x = pt_xml_elem(hx, "revision");
		pt_xml_attr_int(x, "rev", pt_db_col_int(st, 0));
		if (!pt_db_col_int(st, 6))
			pt_xml_attr(x, "title", pt_db_col_text(st, 1));
		pt_xml_attr(x, "replaced", pt_db_col_text(st, 3));
		pt_xml_attr(pt_xml_elem(x, "editor"), "login",
		    pt_db_col_text(st, 4));
		pt_xml_text(x, "body", pt_db_col_text(st, 2));
	}
	return rc == PT_DECLINED ? 200 : 500;
}
