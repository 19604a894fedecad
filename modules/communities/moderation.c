/*
 * moderation.c - moderation, curation and advocates in communities: the
 * route table of the moderation module and the helpers its pages share.
 *
 * Routes (handlers in the files named):
 *   POST /p/{id}/kudos, /p/{id}/unkudos, GET /c/{slug}/contributors
 *							kudos.c
 *   GET,POST /p/{id}/report				moderation_report.c
 *   GET /c/{slug}/moderation, /c/{slug}/moderation/log,
 *   POST /c/{slug}/moderation/reports/{id}/dismiss	moderation_queue.c
 *   POST /p/{id}/hide|unhide|delete|approve		moderation_posts.c
 *   POST /t/{id}/lock|unlock|pin|unpin|feature|unfeature,
 *   GET,POST /t/{id}/move				moderation_threads.c
 *
 * Who may do what: anyone who may READ the community (community.h) may
 * give kudos, report a post and see the top contributors; its moderators
 * (community managers, and staff with the moderator or portal_admin role)
 * do the rest.  Every route is open to signed-in users in the table below
 * and decides in its handler, because the answer depends on the object:
 * missing or unreadable is pt_comm_not_found(), readable but not moderated
 * is 403.  Every moderation action writes a moderation_log row (who, when,
 * why) in the transaction that makes the change.
 *
 * API (moderation.h): pt_moder_post_load, pt_moder_post_xml, pt_moder_log,
 * pt_moder_reason, pt_moder_forbidden, pt_moder_redirect.
 *
 * To add a moderation action: write its handler in the file for its
 * object (moderation_posts.c or moderation_threads.c), declare it in
 * moderation.h, add its route below and a test in
 * tests/integration/test_moderation.py.
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "moderation.h"

/* Characters of a post shown on moderation pages. */
#define EXCERPT_CHARS	"600"

enum {
	STMT_POST,
	STMT_LOG,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_POST] = "SELECT p.id, p.thread_id, p.community_id, p.author_id, "
	    "p.is_first, p.status, t.status, t.title, "
	    "COALESCE(NULLIF(u.name, ''), u.login), "
	    "LEFT(p.body, " EXCERPT_CHARS "), "
	    "DATE_FORMAT(p.created_at, '%Y-%m-%d %H:%i') "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?",
	[STMT_LOG] = "INSERT INTO moderation_log (community_id, thread_id, "
	    "post_id, subject_user_id, actor_id, action, reason) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
};

int
pt_moder_post_load(struct pt_req *r, int64_t id, struct pt_comm *c,
    struct pt_moder_post *p)
{
	struct pt_stmt	*st;
	int		 rc;

	memset(p, 0, sizeof(*p));
	if ((rc = pt_comm_load_post(r, id, NULL, c)) != PT_OK)
		return rc;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_POST])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;	/* deleted meanwhile: not found */
	p->id = pt_db_col_int(st, 0);
	p->thread = pt_db_col_int(st, 1);
	p->community = pt_db_col_int(st, 2);
	p->author = pt_db_col_int(st, 3);
	p->first = pt_db_col_int(st, 4) != 0;
	p->status = pt_db_col_text(st, 5);
	p->thread_status = pt_db_col_text(st, 6);
	p->title = pt_db_col_text(st, 7);
	p->author_name = pt_db_col_text(st, 8);
	p->excerpt = pt_db_col_text(st, 9);
	p->created_at = pt_db_col_text(st, 10);
	/* A move between the two queries: judge the post where it is now. */
	if (p->community != c->id)
		return PT_DECLINED;
	return PT_OK;
}

xmlNodePtr
pt_moder_post_xml(xmlNodePtr parent, const struct pt_moder_post *p)
{
	xmlNodePtr	 x;

	x = pt_xml_elem(parent, "post");
	pt_xml_attr_int(x, "id", p->id);
	pt_xml_attr_int(x, "thread", p->thread);
	pt_xml_attr(x, "status", p->status);
	pt_xml_attr(x, "thread-status", p->thread_status);
	if (p->first)
		pt_xml_attr(x, "first", "yes");
	pt_xml_attr(x, "author", p->author_name);
	pt_xml_attr(x, "created-at", p->created_at);
	pt_xml_text(x, "title", p->title);
	pt_xml_text(x, "excerpt", p->excerpt);
	return x;
}

static void
bind_id(struct pt_stmt *st, unsigned int i, int64_t v)
{
	if (v > 0)
		pt_db_bind_int(st, i, v);
	else
		pt_db_bind_null(st, i);
}

int
pt_moder_log(struct pt_req *r, int64_t community, int64_t thread,
    int64_t post, int64_t subject, const char *action, const char *reason)
{
	struct pt_stmt	*st;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LOG])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, community);
	bind_id(st, 1, thread);
	bind_id(st, 2, post);
	bind_id(st, 3, subject);
	pt_db_bind_int(st, 4, r->sess->user_id);
	pt_db_bind_text(st, 5, action);
	pt_db_bind_text(st, 6, reason != NULL ? reason : "");
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	pt_rlog(r, PT_LOG_INFO, "moderation: user %lld %s in community %lld "
	    "(thread %lld, post %lld)", (long long)r->sess->user_id, action,
	    (long long)community, (long long)thread, (long long)post);
	return PT_OK;
}

const char *
pt_moder_reason(struct pt_req *r)
{
	const char	*s = pt_req_str(r, "reason"), *e;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	if (e == s)
		return NULL;
	return pt_strndup(r->arena, s, (size_t)(e - s));
}

int
pt_moder_forbidden(struct pt_req *r)
{
	return pt_req_error(r, 403, "Only the moderators of this community "
	    "can do that.");
}

int
pt_moder_redirect(struct pt_req *r, const char *path)
{
	if (pt_resp_redirect(r, path) != 303)
		return 500;
	return 303;
}

static const struct pt_field post_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

/*
 * The reason is checked by the handler, not here, so that an unreadable
 * post answers "not found" whatever the form held.  "back" = "queue"
 * returns to the moderation queue instead of the thread.
 */
static const struct pt_field action_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "reason", PT_F_MULTILINE, PT_IN_BODY, false, 0, PT_MODER_REASON_MAX },
	{ "back", PT_F_SLUG, PT_IN_BODY, false, 0, 16 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field report_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "reason", PT_F_MULTILINE, PT_IN_BODY, false, 0,
	    PT_REPORT_REASON_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field move_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "to", PT_F_SLUG, PT_IN_BODY, false, 0, 64 },
	{ "reason", PT_F_MULTILINE, PT_IN_BODY, false, 0, PT_MODER_REASON_MAX },
	{ "override", PT_F_BOOL, PT_IN_BODY, false, 0, 0 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field contributors_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "member", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

/* Keyset position of the queue: the last item's time, kind and id. */
static const struct pt_field queue_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "after", PT_F_TEXT, PT_IN_QUERY, false, 0, 32 },
	{ "after_kind", PT_F_INT, PT_IN_QUERY, false, 0, 1 },
	{ "after_id", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field log_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "action", PT_F_TEXT, PT_IN_QUERY, false, 0, 32 },
	{ "before", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field dismiss_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "reason", PT_F_MULTILINE, PT_IN_BODY, false, 0, PT_MODER_REASON_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

#define MODX	"communities/moderation.xsl"

static const struct pt_route routes[] = {
	{ "/p/{id}/kudos", PT_POST, PT_ACCESS_USER, PT_CSRF, post_fields,
	    "communities/contributors.xsl", pt_kudos_post },
	{ "/p/{id}/unkudos", PT_POST, PT_ACCESS_USER, PT_CSRF, post_fields,
	    "communities/contributors.xsl", pt_unkudos_post },
	{ "/c/{slug}/contributors", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    contributors_fields, "communities/contributors.xsl", pt_contributors_get },
	{ "/p/{id}/report", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, post_fields,
	    "communities/report.xsl", pt_report_get },
	{ "/p/{id}/report", PT_POST, PT_ACCESS_USER, PT_CSRF, report_fields,
	    "communities/report.xsl", pt_report_post },
	{ "/c/{slug}/moderation", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    queue_fields, MODX, pt_modqueue_get },
	{ "/c/{slug}/moderation/reports/{id}/dismiss", PT_POST,
	    PT_ACCESS_USER, PT_CSRF, dismiss_fields, MODX,
	    pt_modqueue_dismiss_post },
	{ "/c/{slug}/moderation/log", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    log_fields, "communities/modlog.xsl", pt_modlog_get },
	{ "/p/{id}/hide", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modpost_hide_post },
	{ "/p/{id}/unhide", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modpost_unhide_post },
	{ "/p/{id}/delete", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modpost_delete_post },
	{ "/p/{id}/approve", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modpost_approve_post },
	{ "/t/{id}/lock", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modthread_lock_post },
	{ "/t/{id}/unlock", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modthread_unlock_post },
	{ "/t/{id}/pin", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modthread_pin_post },
	{ "/t/{id}/unpin", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modthread_unpin_post },
	{ "/t/{id}/feature", PT_POST, PT_ACCESS_USER, PT_CSRF, action_fields,
	    MODX, pt_modthread_feature_post },
	{ "/t/{id}/unfeature", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    action_fields, MODX, pt_modthread_unfeature_post },
	{ "/t/{id}/move", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, post_fields,
	    "communities/move.xsl", pt_modthread_move_get },
	{ "/t/{id}/move", PT_POST, PT_ACCESS_USER, PT_CSRF, move_fields,
	    "communities/move.xsl", pt_modthread_move_post },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct pt_module pt_mod_moderation = {
	.name = "moderation",
	.routes = routes,
};
