/*
 * library.c - the library as a reader sees it: the listing with filters,
 * the Atom feed, feedback on an item, the segments that items target, and
 * the freshness report of `porticoctl collateral-report`.
 *
 *   GET  /library                      items for the reader, newest first
 *                                      (?kind ?product ?language ?tag
 *                                      ?days ?overdue ?after ?as)
 *   GET  /library/feed.atom            the same items as Atom (session or
 *                                      ?token= from /account/feed-token)
 *   POST /collateral/{id}/feedback     rating 1-5 and a comment
 *   GET,POST /segments                 segments (content managers)
 *   POST /segments/{id}/delete
 *
 * Every listing goes through PT_COLL_VISIBLE_SQL (collateral.h), so an
 * item outside the reader's segments, or expired, is absent from the page,
 * the feed and the notices alike; "view as" (?as=org) is the same query
 * with the organisation's reader.
 *
 * To add a filter: a field in library_fields, a condition in STMT_LIST
 * (with its parameters bound in list_bind()), an input in library.xsl.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "portico.h"
#include "collateral.h"
#include "segments.h"

#define PAGE_ITEMS	50
#define FEED_ITEMS	50

enum {
	STMT_LIST,
	STMT_NOTICES,
	STMT_FEEDBACK_SET,
	STMT_SEGMENT_LIST,
	STMT_SEGMENT_SET,
	STMT_SEGMENT_DELETE,
	STMT_TIERS,
	STMT_REPORT_ITEMS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_LIST] = "SELECT i.id, i.title, i.kind, i.language, i.product, "
	    "DATE_FORMAT(i.updated_at, '%Y-%m-%dT%H:%i:%sZ'), v.number, "
	    "v.filename, v.size, i.review_at <= NOW(), "
	    "i.expires_at IS NOT NULL AND i.expires_at <= NOW(), "
	    "CONCAT(UNIX_TIMESTAMP(i.updated_at), '.', i.id), i.description "
	    /*
	     * Walk the items newest first and stop at the page's end; left
	     * alone, MariaDB sorts the whole catalogue for every page.
	     */
	    "FROM collateral_items i FORCE INDEX (collateral_items_updated) "
	    "JOIN collateral_versions v ON v.id = i.current_version_id "
	    "WHERE " PT_COLL_VISIBLE_SQL("i") " "
	    "AND (? = '' OR i.kind = ?) AND (? = '' OR i.product = ?) "
	    "AND (? = '' OR i.language = ?) AND (? = '' OR EXISTS (SELECT 1 "
	    "FROM collateral_tags t WHERE t.item_id = i.id AND t.tag = ?)) "
	    "AND (? = 0 OR i.updated_at >= NOW() - INTERVAL ? DAY) "
	    "AND (? = 0 OR (i.owner_id = ? AND i.review_at <= NOW())) "
	    "AND (? = 0 OR i.expires_at IS NULL OR i.expires_at > NOW()) "
	    "AND (? = 0 OR i.updated_at < FROM_UNIXTIME(?) OR "
	    "(i.updated_at = FROM_UNIXTIME(?) AND i.id < ?)) "
	    "ORDER BY i.updated_at DESC, i.id DESC LIMIT ?",
	/* Items whose current version is newer than the reader's last. */
	[STMT_NOTICES] = "SELECT i.id, i.title, v.number, m.n "
	    "FROM (SELECT d.item_id, MAX(dv.number) AS n FROM "
	    "collateral_downloads d JOIN collateral_versions dv "
	    "ON dv.id = d.version_id WHERE d.user_id = ? GROUP BY d.item_id) m "
	    "JOIN collateral_items i ON i.id = m.item_id "
	    "JOIN collateral_versions v ON v.id = i.current_version_id "
	    "WHERE m.n < v.number AND " PT_COLL_VISIBLE_SQL("i") " "
	    "ORDER BY i.updated_at DESC LIMIT 20",
	[STMT_FEEDBACK_SET] = "INSERT INTO collateral_feedback (item_id, "
	    "user_id, rating, comment) VALUES (?, ?, ?, ?) ON DUPLICATE KEY "
	    "UPDATE rating = VALUES(rating), comment = VALUES(comment), "
	    "created_at = NOW()",
	[STMT_SEGMENT_LIST] = "SELECT s.id, s.name, s.rule, (SELECT COUNT(*) "
	    "FROM collateral_targets t WHERE t.segment_id = s.id) "
	    "FROM segments s ORDER BY s.name",
	[STMT_SEGMENT_SET] = "INSERT INTO segments (name, rule) VALUES (?, ?) "
	    "ON DUPLICATE KEY UPDATE rule = VALUES(rule)",
	[STMT_SEGMENT_DELETE] = "DELETE FROM segments WHERE id = ?",
	[STMT_TIERS] = "SELECT slug, name FROM program_tiers ORDER BY position",
	/* Every live item with its audience, for the report. */
	[STMT_REPORT_ITEMS] = "SELECT i.id, i.audience = 'everyone', "
	    "i.review_at <= NOW(), (SELECT GROUP_CONCAT(s.rule SEPARATOR "
	    "'\\n') FROM collateral_targets t JOIN segments s "
	    "ON s.id = t.segment_id WHERE t.item_id = i.id) "
	    "FROM collateral_items i WHERE i.current_version_id IS NOT NULL "
	    "AND (i.expires_at IS NULL OR i.expires_at > NOW())",
};

/* ------------------------------------------------------------ listing */

struct filters {
	const char	*kind, *product, *language, *tag;
	int64_t		 days;
	bool		 overdue;
	bool		 live;		/* no expired items, even for managers */
	int64_t		 after_t, after_id;
};

static void
filters_read(struct pt_req *r, struct filters *f)
{
	const char	*after = pt_req_str(r, "after");
	char		*end;

	memset(f, 0, sizeof(*f));
	f->kind = pt_req_str(r, "kind") ? pt_req_str(r, "kind") : "";
	f->product = pt_req_str(r, "product") ? pt_req_str(r, "product") : "";
	f->language = pt_req_str(r, "language") ?
	    pt_req_str(r, "language") : "";
	f->tag = pt_req_str(r, "tag") ? pt_req_str(r, "tag") : "";
	f->days = pt_req_int(r, "days", 0);
	f->overdue = pt_req_int(r, "overdue", 0) != 0;
	/* "<unix time>.<id>" of the last item of the previous page. */
	if (after != NULL) {
		errno = 0;
		f->after_t = strtoll(after, &end, 10);
		if (errno == 0 && *end == '.')
			f->after_id = strtoll(end + 1, &end, 10);
		if (errno != 0 || *end != '\0' || f->after_t <= 0 ||
		    f->after_id <= 0)
			f->after_t = f->after_id = 0;
	}
}

static struct pt_stmt *
list_stmt(struct pt_req *r, const struct pt_seg_reader *rd,
    const struct filters *f, int64_t limit)
{
	struct pt_stmt	*st;
	unsigned int	 i;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LIST])) == NULL)
		return NULL;
	i = pt_coll_bind_visible(st, 0, rd);
	pt_db_bind_text(st, i++, f->kind);
	pt_db_bind_text(st, i++, f->kind);
	pt_db_bind_text(st, i++, f->product);
	pt_db_bind_text(st, i++, f->product);
	pt_db_bind_text(st, i++, f->language);
	pt_db_bind_text(st, i++, f->language);
	pt_db_bind_text(st, i++, f->tag);
	pt_db_bind_text(st, i++, f->tag);
	pt_db_bind_int(st, i++, f->days);
	pt_db_bind_int(st, i++, f->days);
	pt_db_bind_int(st, i++, f->overdue ? 1 : 0);
	pt_db_bind_int(st, i++, r->sess != NULL ? r->sess->user_id : 0);
	pt_db_bind_int(st, i++, f->live ? 1 : 0);
	pt_db_bind_int(st, i++, f->after_t > 0 ? 1 : 0);
	pt_db_bind_int(st, i++, f->after_t);
	pt_db_bind_int(st, i++, f->after_t);
	pt_db_bind_int(st, i++, f->after_id);
	pt_db_bind_int(st, i++, limit);
	if (pt_db_exec(st) != PT_OK)
		return NULL;
	return st;
}

static int
reader(struct pt_req *r, struct pt_seg_reader *rd)
{
	switch (pt_seg_reader(r, rd)) {
	case PT_OK:
		return 200;
	case PT_DECLINED:
		return pt_coll_not_found(r);
	default:
		return 500;
	}
}

static int
library_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct filters		 f;
	struct pt_stmt		*st;
	xmlNodePtr		 lib, n, notices;
	const char		*last = NULL;
	int64_t			 count = 0;
	int			 rc, s;

	if ((s = reader(r, &rd)) != 200)
		return s;
	filters_read(r, &f);
	lib = pt_xml_elem(out, "library");
	pt_xml_attr(lib, "kind", f.kind);
	pt_xml_attr(lib, "product", f.product);
	pt_xml_attr(lib, "language", f.language);
	pt_xml_attr(lib, "tag", f.tag);
	if (f.days > 0)
		pt_xml_attr_int(lib, "days", f.days);
	if (f.overdue)
		pt_xml_attr(lib, "overdue", "yes");
	if (rd.as_org != NULL)
		pt_xml_attr(lib, "viewing-as", rd.as_org);
	if (pt_coll_manager(r) && rd.all)
		pt_xml_attr(lib, "manage", "yes");

	if ((st = list_stmt(r, &rd, &f, PAGE_ITEMS + 1)) == NULL)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++count > PAGE_ITEMS) {
			pt_xml_attr(lib, "next", last);
			break;
		}
		n = pt_xml_elem(lib, "item");
		pt_xml_attr(n, "id", pt_db_col_text(st, 0));
		pt_xml_attr(n, "title", pt_db_col_text(st, 1));
		pt_xml_attr(n, "kind", pt_db_col_text(st, 2));
		pt_xml_attr(n, "language", pt_db_col_text(st, 3));
		pt_xml_attr(n, "product", pt_db_col_text(st, 4));
		pt_xml_attr(n, "updated", pt_db_col_text(st, 5));
		pt_xml_attr(n, "version", pt_db_col_text(st, 6));
		pt_xml_attr(n, "filename", pt_db_col_text(st, 7));
		pt_xml_attr(n, "size", pt_db_col_text(st, 8));
		if (rd.all && pt_db_col_int(st, 9))
			pt_xml_attr(n, "needs-review", "yes");
		if (rd.all && pt_db_col_int(st, 10))
			pt_xml_attr(n, "expired", "yes");
		last = pt_db_col_text(st, 11);
	}
	if (rc == PT_ERR)
		return 500;

	/* "A new version of X you downloaded is available." */
	if (r->sess != NULL && rd.as_org == NULL) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_NOTICES])) == NULL)
			return 500;
		pt_db_bind_int(st, 0, r->sess->user_id);
		pt_coll_bind_visible(st, 1, &rd);
		if (pt_db_exec(st) != PT_OK)
			return 500;
		notices = pt_xml_elem(lib, "notices");
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			n = pt_xml_elem(notices, "new-version");
			pt_xml_attr(n, "id", pt_db_col_text(st, 0));
			pt_xml_attr(n, "title", pt_db_col_text(st, 1));
			pt_xml_attr(n, "version", pt_db_col_text(st, 2));
			pt_xml_attr(n, "downloaded", pt_db_col_text(st, 3));
		}
		if (rc == PT_ERR)
			return 500;
	}
	return 200;
}

/* --------------------------------------------------------------- feed */



static int
feed_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct filters		 f;
	struct pt_stmt		*st;
	const char		*token = pt_req_str(r, "token");
	xmlNodePtr		 feed, e;
	int			 rc, s;

	if (token != NULL && *token != '\0') {
		if ((rc = pt_sess_feed_token(r, token)) == PT_DECLINED)
			return pt_coll_not_found(r);
		if (rc != PT_OK)
			return 500;
	}
	if (r->sess == NULL)
		return pt_coll_not_found(r);
	if ((s = reader(r, &rd)) != 200)
		return s;
	filters_read(r, &f);
	/* A feed is what is live now, for managers too. */
	f.after_t = f.after_id = 0;
	f.live = true;
	feed = pt_xml_elem(out, "feed");
	pt_xml_attr(feed, "base", pt_printf(r->arena, "%s://%s",
	    r->https ? "https" : "http", r->host ? r->host : "localhost"));
	if ((st = list_stmt(r, &rd, &f, FEED_ITEMS)) == NULL)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		/* Newest first: the first entry dates the feed. */
		if (xmlHasProp(feed, (const xmlChar *)"updated") == NULL)
			pt_xml_attr(feed, "updated", pt_db_col_text(st, 5));
		e = pt_xml_elem(feed, "entry");
		pt_xml_attr(e, "id", pt_db_col_text(st, 0));
		pt_xml_attr(e, "title", pt_db_col_text(st, 1));
		pt_xml_attr(e, "kind", pt_db_col_text(st, 2));
		pt_xml_attr(e, "updated", pt_db_col_text(st, 5));
		pt_xml_attr(e, "version", pt_db_col_text(st, 6));
		pt_xml_text(e, "summary", pt_db_col_text(st, 12));
	}
	if (rc == PT_ERR)
		return 500;
	if (xmlHasProp(feed, (const xmlChar *)"updated") == NULL)
		pt_xml_attr(feed, "updated", "2000-01-01T00:00:00Z");
	/* A feed reader may cache; the token in the URL is private. */
	if (pt_resp_header(r, "Cache-Control", "private, max-age=300") !=
	    PT_OK)
		return 500;
	return 200;
}

/* ----------------------------------------------------------- feedback */

static int
feedback_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct pt_stmt		*st;
	const char		*comment = pt_req_str(r, "comment");
	int			 rc, s;

	(void)out;
	if ((s = reader(r, &rd)) != 200)
		return s;
	if ((rc = pt_coll_load(r, &rd, pt_req_int(r, "id", 0), &it)) ==
	    PT_DECLINED)
		return pt_coll_not_found(r);
	if (rc != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_FEEDBACK_SET])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, it.id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	pt_db_bind_int(st, 2, pt_req_int(r, "rating", 0));
	pt_db_bind_text(st, 3, comment != NULL ? comment : "");
	if (pt_db_exec(st) != PT_OK)
		return 500;
	return pt_resp_redirect(r, pt_printf(r->arena,
	    "/collateral/%" PRId64 "?feedback=sent", it.id));
}

/* ----------------------------------------------------------- segments */

static int
segments_page(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	xmlNodePtr	 list, n;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_SEGMENT_LIST])) == NULL || pt_db_exec(st) != PT_OK)
		return 500;
	list = pt_xml_elem(out, "segments");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		n = pt_xml_elem(list, "segment");
		pt_xml_attr(n, "id", pt_db_col_text(st, 0));
		pt_xml_attr(n, "name", pt_db_col_text(st, 1));
		pt_xml_attr(n, "rule", pt_db_col_text(st, 2));
		pt_xml_attr(n, "items", pt_db_col_text(st, 3));
	}
	return rc == PT_ERR ? 500 : 200;
}

static int
segments_get(struct pt_req *r, xmlNodePtr out)
{
	return segments_page(r, out);
}

static int
segments_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	const char	*name = pt_req_str(r, "name");
	const char	*rule = pt_req_str(r, "rule");
	char		 err[160];
	xmlNodePtr	 form;
	int		 s;

	if (pt_seg_parse(r->arena, rule, err, sizeof(err)) == NULL) {
		if ((s = segments_page(r, out)) != 200)
			return s;
		form = pt_xml_elem(out, "segment-form");
		pt_xml_attr(form, "name", name);
		pt_xml_attr(form, "rule", rule);
		pt_xml_attr(form, "error", err);
		r->keep_page = true;
		return pt_req_error(r, 400, "The rule is not valid: %s.", err);
	}
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_SEGMENT_SET])) == NULL)
		return 500;
	pt_db_bind_text(st, 0, name);
	pt_db_bind_text(st, 1, rule);
	if (pt_db_exec(st) != PT_OK || pt_audit(r->db, r->arena,
	    r->sess->user_id, "segment.set", 0, pt_printf(r->arena, "%s: %s",
	    name, rule), r->id) != PT_OK)
		return 500;
	return pt_resp_redirect(r, "/segments");
}

static int
segment_delete(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;

	(void)out;
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_SEGMENT_DELETE])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, pt_req_int(r, "id", 0));
	if (pt_db_exec(st) != PT_OK || pt_audit(r->db, r->arena,
	    r->sess->user_id, "segment.delete", 0, pt_printf(r->arena,
	    "segment %" PRId64, pt_req_int(r, "id", 0)), r->id) != PT_OK)
		return 500;
	return pt_resp_redirect(r, "/segments");
}

/* ------------------------------------------------------------- report */

/*
 * Prints the freshness table of `porticoctl collateral-report` to out:
 * for each program tier, the live (unexpired) items an organisation of
 * that tier sees (audience everyone, or a target segment whose rule a
 * subject with only that tier matches) and the share of them past their
 * review date.  Rules on organisations or groups match no tier as such.
 * Returns PT_OK or PT_ERR (database error; message on out).
 */
int
pt_coll_report(struct pt_db *db, struct pt_arena *a, FILE *out)
{
	struct pt_stmt		*st;
	struct pt_seg_subject	 subj;
	struct pt_seg_rule	*rule;
	char			 err[128];
	const char		**tslug, **tname;
	size_t			 nt = 0, cap = 16, t;
	int64_t			*seen, *stale;
	int			 rc;

	tslug = pt_alloc(a, cap * sizeof(*tslug));
	tname = pt_alloc(a, cap * sizeof(*tname));
	if ((st = pt_db_stmt(db, a, stmts[STMT_TIERS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		goto dberr;
	while ((rc = pt_db_fetch(st)) == PT_OK && nt < cap) {
		tslug[nt] = pt_db_col_text(st, 0);
		tname[nt++] = pt_db_col_text(st, 1);
	}
	if (rc == PT_ERR)
		goto dberr;
	seen = pt_alloc(a, (nt + 1) * sizeof(*seen));
	stale = pt_alloc(a, (nt + 1) * sizeof(*stale));
	if ((st = pt_db_stmt(db, a, stmts[STMT_REPORT_ITEMS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		goto dberr;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		bool		 everyone = pt_db_col_int(st, 1) != 0;
		bool		 overdue = pt_db_col_int(st, 2) != 0;
		char		*rules = pt_strdup(a, pt_db_col_text(st, 3));

		for (t = 0; t < nt; t++) {
			bool	 match = everyone;
			char	*p, *nl, *copy;

			memset(&subj, 0, sizeof(subj));
			subj.tier = tslug[t];
			copy = pt_strdup(a, rules);
			for (p = copy; !match && p != NULL && *p != '\0';
			    p = nl) {
				if ((nl = strchr(p, '\n')) != NULL)
					*nl++ = '\0';
				rule = pt_seg_parse(a, p, err, sizeof(err));
				match = rule != NULL && pt_seg_eval(rule, &subj);
			}
			if (match) {
				seen[t]++;
				if (overdue)
					stale[t]++;
			}
		}
	}
	if (rc == PT_ERR)
		goto dberr;
	fprintf(out, "%-16s %8s %12s %8s\n", "TIER", "ITEMS", "PAST REVIEW",
	    "SHARE");
	for (t = 0; t < nt; t++)
		fprintf(out, "%-16s %8" PRId64 " %12" PRId64 " %7.1f%%\n",
		    tslug[t], seen[t], stale[t], seen[t] ? 100.0 *
		    (double)stale[t] / (double)seen[t] : 0.0);
	(void)tname;
	return PT_OK;
dberr:
	fprintf(out, "collateral-report: %s\n", pt_db_errstr(db));
	return PT_ERR;
}

/* ------------------------------------------------------------- routes */

#define MANAGERS	(PT_ACCESS_CONTENT_MANAGER | PT_ACCESS_ADMIN)

static const struct pt_field library_fields[] = {
	{ "kind", PT_F_TEXT, PT_IN_QUERY, false, 0, 32 },
	{ "product", PT_F_TEXT, PT_IN_QUERY, false, 0, 64 },
	{ "language", PT_F_TEXT, PT_IN_QUERY, false, 0, 16 },
	{ "tag", PT_F_TEXT, PT_IN_QUERY, false, 0, 64 },
	{ "days", PT_F_INT, PT_IN_QUERY, false, 0, 36500 },
	{ "overdue", PT_F_BOOL, PT_IN_QUERY, false, 0, 0 },
	{ "after", PT_F_TEXT, PT_IN_QUERY, false, 0, 48 },
	{ "as", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ "token", PT_F_TEXT, PT_IN_QUERY, false, 0, 128 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field feedback_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "rating", PT_F_INT, PT_IN_BODY, true, 1, 5 },
	{ "comment", PT_F_MULTILINE, PT_IN_BODY, false, 0, 4000 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field segment_fields[] = {
	{ "name", PT_F_TEXT, PT_IN_BODY, true, 1, 128 },
	{ "rule", PT_F_TEXT, PT_IN_BODY, true, 1, PT_SEG_RULE_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field segment_id_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT32_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_route routes[] = {
	{ "/library", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, library_fields,
	    "collateral/library.xsl", library_get },
	/* Public: a feed reader has no session; ?token= names the user. */
	{ "/library/feed.atom", PT_GET, PT_ACCESS_PUBLIC, 0, library_fields,
	    "collateral/feed.xsl", feed_get },
	{ "/collateral/{id}/feedback", PT_POST, PT_ACCESS_USER, PT_CSRF,
	    feedback_fields, "collateral/item.xsl", feedback_post },
	{ "/segments", PT_GET, MANAGERS, PT_XMLVIEW, NULL,
	    "collateral/segments.xsl", segments_get },
	{ "/segments", PT_POST, MANAGERS, PT_CSRF, segment_fields,
	    "collateral/segments.xsl", segments_post },
	{ "/segments/{id}/delete", PT_POST, MANAGERS, PT_CSRF,
	    segment_id_fields, "collateral/segments.xsl", segment_delete },
	{ .path = NULL },
};

const struct pt_module pt_mod_library = {
	.name = "library",
	.routes = routes,
};
