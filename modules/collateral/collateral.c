/*
 * collateral.c - the collateral library: items at stable URLs, their
 * versions, uploads and downloads.
 *
 *   GET,POST /library/new                         new item (content managers)
 *   GET  /collateral/{id}                          the item, current version
 *   POST /collateral/{id}/versions                 upload a new version
 *   GET  /collateral/{id}/history                  versions (managers; partners
 *                                                  if the item exposes history)
 *   POST /collateral/{id}/versions/{n}/restore     restore as a new version
 *   POST /collateral/{id}/settings                 audience, segments, dates
 *   GET  /collateral/{id}/download                 the current version
 *   GET  /collateral/{id}/versions/{n}/download    one version
 *
 * An item the reader may not see (segments.h, collateral.h) is answered
 * exactly as a missing one.  Uploads are PT_UPLOAD routes: the text fields
 * (and the CSRF token) come first and are checked by the dispatcher; the
 * file is streamed into the store (storage.h) and its version row is
 * inserted only once the file is complete and filed under its SHA-256, so
 * an interrupted, oversized or refused upload leaves neither a row nor a
 * file.  A download checks access, counts one row, and hands the bytes to
 * the web server (X-Accel-Redirect for nginx, X-Sendfile for Apache) or
 * sends them itself ([collateral] offload = none: from a read-only
 * mapping of the file, so the worker never copies it into its memory).
 *
 * To add an item attribute: a column in sql/, STMT_LOAD and
 * pt_coll_item_xml() below, and the form in xslt/collateral/new.xsl.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "portico.h"
#include "collateral.h"
#include "segments.h"
#include "storage.h"
#include "../lifecycle.h"
#include "../mail.h"

#define UPLOAD_SLACK	65536	/* multipart overhead beyond max_upload */
#define SNIFF_BYTES	512

enum {
	STMT_LOAD,
	STMT_VERSION,
	STMT_VERSIONS,
	STMT_ITEM_INSERT,
	STMT_VERSION_INSERT,
	STMT_ITEM_CURRENT,
	STMT_NEXT_NUMBER,
	STMT_TAG_INSERT,
	STMT_TARGET_INSERT,
	STMT_TARGET_CLEAR,
	STMT_SEGMENTS,
	STMT_COUNT_DOWNLOAD,
	STMT_DOWNLOADED_OLDER,
	STMT_TAGS,
	STMT_FEEDBACK,
	STMT_SETTINGS,
	STMT_TARGETS,
	STMT_EARLIER_DOWNLOADERS,
	STMT_SHA_USED,
	STMT__MAX
};

#define ITEM_COLS							\
	"i.id, i.title, i.description, i.kind, i.language, i.product, "	\
	"i.audience, DATE_FORMAT(i.review_at, '%Y-%m-%d'), "		\
	"COALESCE(DATE_FORMAT(i.expires_at, '%Y-%m-%d'), ''), "	\
	"i.expose_history, v.id, v.number, v.sha256, v.size, "		\
	"v.content_type, v.filename, "					\
	"DATE_FORMAT(i.updated_at, '%Y-%m-%dT%H:%i:%sZ'), "		\
	"COALESCE(i.owner_id, 0), "					\
	"i.expires_at IS NOT NULL AND i.expires_at <= NOW(), "		\
	"i.review_at <= NOW() "

static const char *const stmts[STMT__MAX] = {
	[STMT_LOAD] = "SELECT " ITEM_COLS "FROM collateral_items i "
	    "JOIN collateral_versions v ON v.id = i.current_version_id "
	    "WHERE i.id = ? AND " PT_COLL_VISIBLE_SQL("i"),
	[STMT_VERSION] = "SELECT id, number, sha256, size, content_type, "
	    "filename FROM collateral_versions WHERE item_id = ? AND number = ?",
	[STMT_VERSIONS] = "SELECT v.number, v.sha256, v.size, v.content_type, "
	    "v.filename, DATE_FORMAT(v.uploaded_at, '%Y-%m-%dT%H:%i:%sZ'), "
	    "COALESCE(u.name, ''), COALESCE(v.restored_from, 0) "
	    "FROM collateral_versions v LEFT JOIN users u "
	    "ON u.id = v.uploaded_by WHERE v.item_id = ? ORDER BY v.number DESC",
	[STMT_ITEM_INSERT] = "INSERT INTO collateral_items (title, "
	    "description, kind, language, product, owner_id, audience, "
	    "review_at, expires_at, expose_history) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, NOW() + INTERVAL ? DAY, ?, ?)",
	[STMT_VERSION_INSERT] = "INSERT INTO collateral_versions (item_id, "
	    "number, sha256, size, content_type, filename, uploaded_by, "
	    "restored_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_ITEM_CURRENT] = "UPDATE collateral_items SET "
	    "current_version_id = ?, updated_at = NOW(), "
	    "review_at = NOW() + INTERVAL ? DAY WHERE id = ?",
	/* Locks the item row: concurrent uploads get distinct numbers. */
	[STMT_NEXT_NUMBER] = "SELECT (SELECT COALESCE(MAX(number), 0) + 1 "
	    "FROM collateral_versions WHERE item_id = i.id) FROM "
	    "collateral_items i WHERE i.id = ? FOR UPDATE",
	[STMT_TAG_INSERT] = "INSERT IGNORE INTO collateral_tags (item_id, tag) "
	    "VALUES (?, ?)",
	[STMT_TARGET_INSERT] = "INSERT IGNORE INTO collateral_targets "
	    "(item_id, segment_id) SELECT ?, id FROM segments WHERE id = ?",
	[STMT_TARGET_CLEAR] = "DELETE FROM collateral_targets WHERE item_id = ?",
	[STMT_SEGMENTS] = "SELECT id, name, rule FROM segments ORDER BY name",
	[STMT_COUNT_DOWNLOAD] = "INSERT INTO collateral_downloads (user_id, "
	    "organisation_id, item_id, version_id) VALUES (?, ?, ?, ?)",
	[STMT_DOWNLOADED_OLDER] = "SELECT MAX(v.number) FROM "
	    "collateral_downloads d JOIN collateral_versions v "
	    "ON v.id = d.version_id WHERE d.user_id = ? AND d.item_id = ?",
	[STMT_TAGS] = "SELECT tag FROM collateral_tags WHERE item_id = ? "
	    "ORDER BY tag",
	[STMT_FEEDBACK] = "SELECT f.rating, f.comment, COALESCE(u.name, ''), "
	    "DATE_FORMAT(f.created_at, '%Y-%m-%d') FROM collateral_feedback f "
	    "LEFT JOIN users u ON u.id = f.user_id WHERE f.item_id = ? "
	    "ORDER BY f.created_at DESC LIMIT 100",
	[STMT_SETTINGS] = "UPDATE collateral_items SET audience = ?, "
	    "expires_at = ?, expose_history = ?, review_at = COALESCE(?, "
	    "review_at) WHERE id = ?",
	[STMT_TARGETS] = "SELECT segment_id FROM collateral_targets WHERE "
	    "item_id = ?",
	/* Everyone who downloaded an earlier version, once each. */
	[STMT_EARLIER_DOWNLOADERS] = "SELECT DISTINCT u.id, u.email, u.name "
	    "FROM collateral_downloads d JOIN users u ON u.id = d.user_id "
	    "WHERE d.item_id = ? AND d.version_id <> ? AND u.status = 'active' "
	    "AND u.email <> ''",
	[STMT_SHA_USED] = "SELECT 1 FROM collateral_versions WHERE sha256 = ? "
	    "LIMIT 1",
};

static const char *const kinds[] = {
	"presentation", "datasheet", "price-list", "playbook", "video",
	"case-study", "whitepaper", "other",
};

/* ------------------------------------------------------------ shared */

bool
pt_coll_manager(const struct pt_req *r)
{
	const unsigned int m = 1u << PT_ROLE_CONTENT_MANAGER |
	    1u << PT_ROLE_PORTAL_ADMIN;

	return r->sess != NULL && (r->sess->roles & m) != 0;
}

unsigned int
pt_coll_bind_visible(struct pt_stmt *st, unsigned int i,
    const struct pt_seg_reader *rd)
{
	i = pt_seg_bind_reader(st, i, rd);
	pt_db_bind_int(st, i++, rd->all ? 1 : 0);
	return i;
}

/* Returns 404 with the default message: the same bytes for every item. */
int
pt_coll_not_found(struct pt_req *r)
{
	r->error = NULL;
	return 404;
}

int
pt_coll_load(struct pt_req *r, const struct pt_seg_reader *rd, int64_t id,
    struct pt_coll_item *it)
{
	struct pt_stmt	*st;
	int		 rc;

	memset(it, 0, sizeof(*it));
	if (id <= 0)
		return PT_DECLINED;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LOAD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, id);
	pt_coll_bind_visible(st, 1, rd);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	it->id = pt_db_col_int(st, 0);
	it->title = pt_db_col_text(st, 1);
	it->description = pt_db_col_text(st, 2);
	it->kind = pt_db_col_text(st, 3);
	it->language = pt_db_col_text(st, 4);
	it->product = pt_db_col_text(st, 5);
	it->audience = pt_db_col_text(st, 6);
	it->review_at = pt_db_col_text(st, 7);
	it->expires_at = pt_db_col_text(st, 8);
	it->expose_history = pt_db_col_int(st, 9) != 0;
	it->version_id = pt_db_col_int(st, 10);
	it->number = pt_db_col_int(st, 11);
	it->sha256 = pt_db_col_text(st, 12);
	it->size = pt_db_col_int(st, 13);
	it->ctype = pt_db_col_text(st, 14);
	it->filename = pt_db_col_text(st, 15);
	it->updated_at = pt_db_col_text(st, 16);
	it->owner_id = pt_db_col_int(st, 17);
	it->expired = pt_db_col_int(st, 18) != 0;
	it->needs_review = pt_db_col_int(st, 19) != 0;
	return PT_OK;
}

xmlNodePtr
pt_coll_item_xml(xmlNodePtr parent, const struct pt_coll_item *it)
{
	xmlNodePtr	 n = pt_xml_elem(parent, "item");

	pt_xml_attr_int(n, "id", it->id);
	pt_xml_attr(n, "title", it->title);
	pt_xml_attr(n, "kind", it->kind);
	pt_xml_attr(n, "language", it->language);
	pt_xml_attr(n, "product", it->product);
	pt_xml_attr(n, "audience", it->audience);
	pt_xml_attr(n, "review-at", it->review_at);
	pt_xml_attr(n, "expires-at", it->expires_at);
	pt_xml_attr(n, "updated", it->updated_at);
	pt_xml_attr_int(n, "version", it->number);
	pt_xml_attr(n, "filename", it->filename);
	pt_xml_attr(n, "content-type", it->ctype);
	pt_xml_attr_int(n, "size", it->size);
	if (it->expose_history)
		pt_xml_attr(n, "expose-history", "yes");
	if (it->expired)
		pt_xml_attr(n, "expired", "yes");
	if (it->needs_review)
		pt_xml_attr(n, "needs-review", "yes");
	pt_xml_text(n, "description", it->description);
	return n;
}

/* The reader for this request; 404 for a "view as" nobody is. */
static int
reader(struct pt_req *r, struct pt_seg_reader *rd)
{
	switch (pt_seg_reader(r, rd)) {
	case PT_OK:
		return 200;
	case PT_DECLINED:
		return 404;
	default:
		return 500;
	}
}

/*
 * Loads the item of the route's {id} as the request's reader may see it:
 * returns 200 with rd and it filled, pt_coll_not_found() (404) or 500.
 *
 * The reader's segments cost three queries, and most items are for
 * everyone, so the item is first looked up for a reader with no segments
 * (same query, same rule).  Matching a segment can only add items, so an
 * item found that way is visible; only one that is not found (targeted,
 * or missing) needs the reader's segments.  A manager previewing "as" an
 * organisation always gets the full reader.
 */
static int
item_for_reader(struct pt_req *r, struct pt_seg_reader *rd,
    struct pt_coll_item *it)
{
	const char	*as = pt_kv_get(&r->args, "as");
	int64_t		 id = pt_req_int(r, "id", 0);
	int		 rc, s;

	memset(rd, 0, sizeof(*rd));
	if (!(pt_coll_manager(r) && as != NULL && *as != '\0')) {
		rd->all = pt_coll_manager(r);
		rd->org_id = r->sess != NULL ? r->sess->org_id : 0;
		rd->segments = "";
		rc = pt_coll_load(r, rd, id, it);
		if (rc == PT_ERR)
			return 500;
		if (rc == PT_OK || rd->all)
			return rc == PT_OK ? 200 : pt_coll_not_found(r);
	}
	if ((s = reader(r, rd)) != 200)
		return s == 404 ? pt_coll_not_found(r) : s;
	if ((rc = pt_coll_load(r, rd, id, it)) == PT_DECLINED)
		return pt_coll_not_found(r);
	return rc == PT_OK ? 200 : 500;
}

/* ------------------------------------------------------------ upload */

struct received {
	char		 sha[65];
	uint64_t	 size;
	const char	*ctype;
	const char	*filename;
	bool		 created;	/* the store did not hold these bytes */
};

static int
store_error(struct pt_req *r, int err)
{
	if (err == ENOSPC || err == EDQUOT)
		return pt_req_error(r, 507, "The file store is full, so the "
		    "file could not be saved. Nothing was changed. Please "
		    "tell the portal administrators.");
	return pt_req_error(r, 500, "The file could not be saved. Nothing "
	    "was changed.");
}

/*
 * Streams the request's file into the store.  Returns 200 with rc filled
 * (the file committed under its SHA-256), or an error status; on error
 * nothing is left in the store.
 */
static int
receive(struct pt_req *r, struct received *rc)
{
	const struct pt_mp_part	*part = pt_upload_file(r);
	uint64_t		 max = r->cfg->collateral_max_upload;
	struct pt_store_put	*p;
	unsigned char		 head[SNIFF_BYTES];
	size_t			 hlen = 0, take;
	const char		*data;
	long			 n;
	int			 st;

	memset(rc, 0, sizeof(*rc));
	if (part == NULL || part->filename == NULL || *part->filename == '\0')
		return pt_req_error(r, 400, "Choose a file to upload.");
	if (pt_upload_length(r) > max + UPLOAD_SLACK)
		return pt_req_error(r, 413, "The file is larger than the "
		    "%" PRIu64 " MB this library accepts.", max >> 20);
	if ((p = pt_store_begin(r)) == NULL)
		return store_error(r, errno);
	while ((n = pt_upload_chunk(r, &data)) > 0) {
		if (hlen < SNIFF_BYTES) {
			take = SNIFF_BYTES - hlen < (size_t)n ?
			    SNIFF_BYTES - hlen : (size_t)n;
			memcpy(head + hlen, data, take);
			hlen += take;
		}
		if (pt_store_size(p) + (uint64_t)n > max) {
			pt_store_abort(p);
			return pt_req_error(r, 413, "The file is larger than "
			    "the %" PRIu64 " MB this library accepts.",
			    max >> 20);
		}
		if (pt_store_write(p, data, (size_t)n) != PT_OK) {
			st = store_error(r, errno);
			pt_rlog(r, PT_LOG_ERR, "collateral upload: %s",
			    strerror(errno));
			pt_store_abort(p);
			return st;
		}
	}
	if (n < 0) {
		pt_store_abort(p);
		return pt_req_error(r, 400, "The upload was interrupted or "
		    "malformed. Nothing was saved; please try again.");
	}
	if ((st = pt_upload_finish(r)) != 200) {
		pt_store_abort(p);
		return st;
	}
	rc->filename = pt_coll_filename(r->arena, part->filename);
	rc->ctype = pt_coll_sniff(head, hlen, rc->filename);
	if (rc->ctype == NULL) {
		pt_store_abort(p);
		return pt_req_error(r, 415, "Only PDF, PowerPoint, Word and "
		    "Excel (.pptx, .docx, .xlsx), PNG, JPEG, MP4 and plain "
		    "text files can be uploaded, and the file's contents must "
		    "match its extension.");
	}
	rc->size = pt_store_size(p);
	if (pt_store_commit(p, rc->sha, &rc->created) != PT_OK) {
		st = store_error(r, errno);
		pt_rlog(r, PT_LOG_ERR, "collateral commit: %s",
		    strerror(errno));
		pt_store_abort(p);
		if (rc->created)
			(void)pt_store_remove(r->cfg, rc->sha);
		return st;
	}
	return 200;
}

/* After a failed transaction: removes the file if no version uses it. */
static void
unreceive(struct pt_req *r, const struct received *rc)
{
	struct pt_stmt	*st;

	if (!rc->created)
		return;
	st = pt_db_stmt(r->db, r->arena, stmts[STMT_SHA_USED]);
	if (st != NULL) {
		pt_db_bind_text(st, 0, rc->sha);
		if (pt_db_exec(st) == PT_OK && pt_db_fetch(st) != PT_DECLINED)
			return;
	}
	if (pt_store_remove(r->cfg, rc->sha) != PT_OK)
		pt_rlog(r, PT_LOG_WARN, "collateral: could not remove %s",
		    rc->sha);
}

/*
 * Inserts version `number` of item and makes it current, in the caller's
 * transaction.  PT_OK or PT_ERR.
 */
static int
version_insert(struct pt_req *r, int64_t item, int64_t number,
    const char *sha, int64_t size, const char *ctype, const char *filename,
    int64_t restored_from)
{
	struct pt_stmt	*st;
	int64_t		 vid;

	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_VERSION_INSERT])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, item);
	pt_db_bind_int(st, 1, number);
	pt_db_bind_text(st, 2, sha);
	pt_db_bind_int(st, 3, size);
	pt_db_bind_text(st, 4, ctype);
	pt_db_bind_text(st, 5, filename);
	pt_db_bind_int(st, 6, r->sess->user_id);
	if (restored_from > 0)
		pt_db_bind_int(st, 7, restored_from);
	else
		pt_db_bind_null(st, 7);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	vid = (int64_t)pt_db_insert_id(st);
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_ITEM_CURRENT])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, vid);
	pt_db_bind_int(st, 1, r->cfg->collateral_review_days);
	pt_db_bind_int(st, 2, item);
	return pt_db_exec(st);
}

/* The next version number of item, locking it; PT_DECLINED if none. */
static int
next_number(struct pt_req *r, int64_t item, int64_t *number)
{
	struct pt_stmt	*st;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_NEXT_NUMBER])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, item);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) != PT_OK)
		return rc;
	*number = pt_db_col_int(st, 0);
	return PT_OK;
}

/* Replaces item's target segments by the form's "segment" values. */
static int
targets_save(struct pt_req *r, int64_t item)
{
	struct pt_stmt	*st;
	size_t		 i;
	char		*end;
	long long	 sid;

	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_TARGET_CLEAR])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, item);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	for (i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, "segment") != 0)
			continue;
		errno = 0;
		sid = strtoll(r->form.v[i].val, &end, 10);
		if (errno != 0 || *end != '\0' || sid <= 0)
			continue;
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_TARGET_INSERT])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, item);
		pt_db_bind_int(st, 1, sid);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
	}
	return PT_OK;
}

/*
 * True if s is a real YYYY-MM-DD date: a well-formed but impossible one
 * ("2026-02-30") must be a 400 here, not a database error and a 500.  The
 * calendar is lifecycle's (one date check in the tree, not two).
 */
static bool
date_ok(struct pt_req *r, const char *s)
{
	return strlen(s) == 10 &&
	    pt_lifecycle_now_ok(pt_printf(r->arena, "%s 00:00:00", s));
}

static bool
kind_ok(const char *k)
{
	size_t	 i;

	for (i = 0; i < PT_NELEM(kinds); i++)
		if (strcmp(kinds[i], k) == 0)
			return true;
	return false;
}

/* Adds <segments><segment id name rule/>...</segments>. */
static int
segments_xml(struct pt_req *r, xmlNodePtr parent)
{
	struct pt_stmt	*st;
	xmlNodePtr	 list, n;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SEGMENTS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return PT_ERR;
	list = pt_xml_elem(parent, "segments");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		n = pt_xml_elem(list, "segment");
		pt_xml_attr(n, "id", pt_db_col_text(st, 0));
		pt_xml_attr(n, "name", pt_db_col_text(st, 1));
		pt_xml_attr(n, "rule", pt_db_col_text(st, 2));
	}
	return rc == PT_ERR ? PT_ERR : PT_OK;
}

static void
kinds_xml(xmlNodePtr parent)
{
	xmlNodePtr	 list = pt_xml_elem(parent, "kinds");
	size_t		 i;

	for (i = 0; i < PT_NELEM(kinds); i++)
		pt_xml_text(list, "kind", kinds[i]);
}

static int
new_page(struct pt_req *r, xmlNodePtr out)
{
	xmlNodePtr	 n = pt_xml_elem(out, "collateral-new");

	pt_xml_attr_int(n, "max-upload-mb",
	    (int64_t)(r->cfg->collateral_max_upload >> 20));
	pt_xml_attr_int(n, "review-days", r->cfg->collateral_review_days);
	kinds_xml(n);
	return segments_xml(r, n) == PT_OK ? 200 : 500;
}

static int
new_get(struct pt_req *r, xmlNodePtr out)
{
	return new_page(r, out);
}

static int
new_post(struct pt_req *r, xmlNodePtr out)
{
	const char	*kind = pt_req_str(r, "kind");
	const char	*audience = pt_req_str(r, "audience");
	const char	*expires = pt_req_str(r, "expires");
	const char	*tags = pt_req_str(r, "tags");
	struct received	 rc;
	struct pt_stmt	*st;
	int64_t		 item;
	char		*t, *tok, *save;
	int		 status;

	(void)out;
	if (kind == NULL || *kind == '\0')
		kind = "other";
	if (!kind_ok(kind))
		return pt_req_error(r, 400, "Choose a kind of material.");
	if (audience == NULL || *audience == '\0')
		audience = "everyone";
	if (strcmp(audience, "everyone") != 0 &&
	    strcmp(audience, "segments") != 0)
		return pt_req_error(r, 400, "Choose who the item is for.");
	if (expires != NULL && *expires != '\0' && !date_ok(r, expires))
		return pt_req_error(r, 400, "The expiry date must be "
		    "YYYY-MM-DD.");
	if ((status = receive(r, &rc)) != 200)
		return status;

	if (pt_db_begin(r->db) != PT_OK)
		goto fail;
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_ITEM_INSERT])) == NULL)
		goto rollback;
	pt_db_bind_text(st, 0, pt_req_str(r, "title"));
	pt_db_bind_text(st, 1, pt_req_str(r, "description") ?
	    pt_req_str(r, "description") : "");
	pt_db_bind_text(st, 2, kind);
	pt_db_bind_text(st, 3, pt_req_str(r, "language") ?
	    pt_req_str(r, "language") : "en");
	pt_db_bind_text(st, 4, pt_req_str(r, "product") ?
	    pt_req_str(r, "product") : "");
	pt_db_bind_int(st, 5, r->sess->user_id);
	pt_db_bind_text(st, 6, audience);
	pt_db_bind_int(st, 7, r->cfg->collateral_review_days);
	if (expires != NULL && *expires != '\0')
		pt_db_bind_text(st, 8, expires);
	else
		pt_db_bind_null(st, 8);
	pt_db_bind_int(st, 9, pt_req_int(r, "expose_history", 0));
	if (pt_db_exec(st) != PT_OK)
		goto rollback;
	item = (int64_t)pt_db_insert_id(st);
	if (version_insert(r, item, 1, rc.sha, (int64_t)rc.size, rc.ctype,
	    rc.filename, 0) != PT_OK || targets_save(r, item) != PT_OK)
		goto rollback;
	if (tags != NULL) {
		t = pt_strdup(r->arena, tags);
		for (tok = strtok_r(t, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (*tok == '\0' || strlen(tok) > 64)
				continue;
			if ((st = pt_db_stmt(r->db, r->arena,
			    stmts[STMT_TAG_INSERT])) == NULL)
				goto rollback;
			pt_db_bind_int(st, 0, item);
			pt_db_bind_text(st, 1, tok);
			if (pt_db_exec(st) != PT_OK)
				goto rollback;
		}
	}
	if (pt_audit(r->db, r->arena, r->sess->user_id, "collateral.create",
	    0, pt_printf(r->arena, "item %" PRId64 " %s", item, rc.sha),
	    r->id) != PT_OK)
		goto rollback;
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	return pt_resp_redirect(r, pt_printf(r->arena, "/collateral/%" PRId64,
	    item));
rollback:
	pt_db_rollback(r->db);
fail:
	unreceive(r, &rc);
	return 500;
}

/* ------------------------------------------------------------- pages */

static int
item_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct pt_stmt		*st;
	xmlNodePtr		 n, list, e;
	int			 rc, s;

	if ((s = item_for_reader(r, &rd, &it)) != 200)
		return s;
	n = pt_coll_item_xml(out, &it);
	if (rd.as_org != NULL)
		pt_xml_attr(n, "viewing-as", rd.as_org);
	if (pt_coll_manager(r) && rd.all)
		pt_xml_attr(n, "manage", "yes");

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_TAGS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, it.id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	list = pt_xml_elem(n, "tags");
	while ((rc = pt_db_fetch(st)) == PT_OK)
		pt_xml_text(list, "tag", pt_db_col_text(st, 0));
	if (rc == PT_ERR)
		return 500;

	/* "A new version of X you downloaded is available." */
	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_DOWNLOADED_OLDER])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, it.id);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) == PT_ERR)
		return 500;
	if (!pt_db_col_null(st, 0) && pt_db_col_int(st, 0) < it.number)
		pt_xml_attr_int(n, "downloaded-older",
		    pt_db_col_int(st, 0));

	/* Feedback: the owner and the managers see it. */
	if ((pt_coll_manager(r) && rd.all) || it.owner_id ==
	    r->sess->user_id) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_FEEDBACK])) == NULL)
			return 500;
		pt_db_bind_int(st, 0, it.id);
		if (pt_db_exec(st) != PT_OK)
			return 500;
		list = pt_xml_elem(n, "feedback");
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			e = pt_xml_text(list, "entry", pt_db_col_text(st, 1));
			pt_xml_attr(e, "rating", pt_db_col_text(st, 0));
			pt_xml_attr(e, "by", pt_db_col_text(st, 2));
			pt_xml_attr(e, "date", pt_db_col_text(st, 3));
		}
		if (rc == PT_ERR)
			return 500;
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_TARGETS])) == NULL)
			return 500;
		pt_db_bind_int(st, 0, it.id);
		if (pt_db_exec(st) != PT_OK)
			return 500;
		list = pt_xml_elem(n, "targets");
		while ((rc = pt_db_fetch(st)) == PT_OK)
			pt_xml_text(list, "segment", pt_db_col_text(st, 0));
		if (rc == PT_ERR || segments_xml(r, n) != PT_OK)
			return 500;
	}
	return 200;
}

/* May this reader see the history (and old versions) of it? */
static bool
history_ok(const struct pt_req *r, const struct pt_seg_reader *rd,
    const struct pt_coll_item *it)
{
	return (pt_coll_manager(r) && rd->all) || it->expose_history;
}

static int
history_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct pt_stmt		*st;
	xmlNodePtr		 n, list, v;
	int			 rc, s;

	if ((s = item_for_reader(r, &rd, &it)) != 200)
		return s;
	if (!history_ok(r, &rd, &it))
		return pt_coll_not_found(r);
	n = pt_coll_item_xml(out, &it);
	if (pt_coll_manager(r) && rd.all)
		pt_xml_attr(n, "manage", "yes");
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_VERSIONS])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, it.id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	list = pt_xml_elem(n, "versions");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		v = pt_xml_elem(list, "version");
		pt_xml_attr(v, "number", pt_db_col_text(st, 0));
		pt_xml_attr(v, "sha256", pt_db_col_text(st, 1));
		pt_xml_attr(v, "size", pt_db_col_text(st, 2));
		pt_xml_attr(v, "content-type", pt_db_col_text(st, 3));
		pt_xml_attr(v, "filename", pt_db_col_text(st, 4));
		pt_xml_attr(v, "uploaded", pt_db_col_text(st, 5));
		pt_xml_attr(v, "by", pt_db_col_text(st, 6));
		if (pt_db_col_int(st, 7) > 0)
			pt_xml_attr(v, "restored-from", pt_db_col_text(st, 7));
		if (pt_db_col_int(st, 0) == it.number)
			pt_xml_attr(v, "current", "yes");
	}
	return rc == PT_ERR ? 500 : 200;
}

/*
 * Mails everyone who downloaded an earlier version of the item (once per
 * version: the dedup key names it).  Failures are logged, not returned:
 * the version is live either way.
 */
static void
notify_downloaders(struct pt_req *r, const struct pt_coll_item *it)
{
	struct pt_stmt	*st;
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena,
	    stmts[STMT_EARLIER_DOWNLOADERS])) == NULL)
		return;
	pt_db_bind_int(st, 0, it->id);
	pt_db_bind_int(st, 1, it->version_id);
	if (pt_db_exec(st) != PT_OK)
		return;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		doc = pt_xml_doc(r->arena, "mail");
		root = xmlDocGetRootElement(doc);
		pt_xml_attr(root, "site", r->cfg->site_name);
		pt_xml_attr(root, "name", pt_db_col_text(st, 2));
		pt_coll_item_xml(root, it);
		if (pt_mail_queue(r->db, r->arena, r->cfg,
		    "collateral/mail-new-version.xsl", doc,
		    pt_db_col_text(st, 1), pt_db_col_text(st, 2),
		    pt_printf(r->arena, "collateral-version-%" PRId64 "-%s",
		    it->version_id, pt_db_col_text(st, 0))) == PT_ERR)
			pt_rlog(r, PT_LOG_WARN, "collateral: mail to user %s "
			    "not queued", pt_db_col_text(st, 0));
	}
}

/* Loads the item for a manager's action; 404 when it is not theirs. */
static int
manage_load(struct pt_req *r, struct pt_seg_reader *rd,
    struct pt_coll_item *it)
{
	int	 s;

	if ((s = item_for_reader(r, rd, it)) != 200)
		return s;
	if (!rd->all)
		return pt_coll_not_found(r);
	return 200;
}

static int
version_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct received		 rc;
	int64_t			 number;
	int			 s;

	(void)out;
	if ((s = manage_load(r, &rd, &it)) != 200)
		return s;
	if ((s = receive(r, &rc)) != 200)
		return s;
	if (pt_db_begin(r->db) != PT_OK)
		goto fail;
	if (next_number(r, it.id, &number) != PT_OK ||
	    version_insert(r, it.id, number, rc.sha, (int64_t)rc.size,
	    rc.ctype, rc.filename, 0) != PT_OK ||
	    pt_audit(r->db, r->arena, r->sess->user_id, "collateral.version",
	    0, pt_printf(r->arena, "item %" PRId64 " v%" PRId64 " %s", it.id,
	    number, rc.sha), r->id) != PT_OK) {
		pt_db_rollback(r->db);
		goto fail;
	}
	if (pt_db_commit(r->db) != PT_OK)
		goto fail;
	if (pt_coll_load(r, &rd, it.id, &it) == PT_OK)
		notify_downloaders(r, &it);
	return pt_resp_redirect(r, pt_printf(r->arena, "/collateral/%" PRId64,
	    it.id));
fail:
	unreceive(r, &rc);
	return 500;
}

static int
restore_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct pt_stmt		*st;
	int64_t			 from = pt_req_int(r, "n", 0), number;
	const char		*sha, *ctype, *fname;
	int64_t			 size;
	int			 s, rc;

	(void)out;
	if ((s = manage_load(r, &rd, &it)) != 200)
		return s;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if (next_number(r, it.id, &number) != PT_OK)
		goto rollback;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_VERSION])) == NULL)
		goto rollback;
	pt_db_bind_int(st, 0, it.id);
	pt_db_bind_int(st, 1, from);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		goto rollback;
	if (rc == PT_DECLINED) {
		pt_db_rollback(r->db);
		return pt_coll_not_found(r);
	}
	sha = pt_db_col_text(st, 2);
	size = pt_db_col_int(st, 3);
	ctype = pt_db_col_text(st, 4);
	fname = pt_db_col_text(st, 5);
	if (version_insert(r, it.id, number, sha, size, ctype, fname,
	    from) != PT_OK || pt_audit(r->db, r->arena, r->sess->user_id,
	    "collateral.restore", 0, pt_printf(r->arena, "item %" PRId64
	    " v%" PRId64 " from v%" PRId64, it.id, number, from), r->id) !=
	    PT_OK)
		goto rollback;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	if (pt_coll_load(r, &rd, it.id, &it) == PT_OK)
		notify_downloaders(r, &it);
	return pt_resp_redirect(r, pt_printf(r->arena,
	    "/collateral/%" PRId64 "/history", it.id));
rollback:
	pt_db_rollback(r->db);
	return 500;
}

static int
settings_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct pt_stmt		*st;
	const char		*audience = pt_req_str(r, "audience");
	const char		*expires = pt_req_str(r, "expires");
	const char		*review = pt_req_str(r, "review");
	int			 s;

	(void)out;
	if ((s = manage_load(r, &rd, &it)) != 200)
		return s;
	if (audience == NULL || (strcmp(audience, "everyone") != 0 &&
	    strcmp(audience, "segments") != 0))
		return pt_req_error(r, 400, "Choose who the item is for.");
	if ((expires != NULL && *expires != '\0' && !date_ok(r, expires)) ||
	    (review != NULL && *review != '\0' && !date_ok(r, review)))
		return pt_req_error(r, 400, "Dates must be YYYY-MM-DD.");
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SETTINGS])) == NULL)
		goto rollback;
	pt_db_bind_text(st, 0, audience);
	if (expires != NULL && *expires != '\0')
		pt_db_bind_text(st, 1, expires);
	else
		pt_db_bind_null(st, 1);
	pt_db_bind_int(st, 2, pt_req_int(r, "expose_history", 0));
	if (review != NULL && *review != '\0')
		pt_db_bind_text(st, 3, review);
	else
		pt_db_bind_null(st, 3);
	pt_db_bind_int(st, 4, it.id);
	if (pt_db_exec(st) != PT_OK || targets_save(r, it.id) != PT_OK ||
	    pt_audit(r->db, r->arena, r->sess->user_id, "collateral.settings",
	    0, pt_printf(r->arena, "item %" PRId64 " %s", it.id, audience),
	    r->id) != PT_OK)
		goto rollback;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	return pt_resp_redirect(r, pt_printf(r->arena, "/collateral/%" PRId64,
	    it.id));
rollback:
	pt_db_rollback(r->db);
	return 500;
}

/* ---------------------------------------------------------- download */

/* The offload mode: the web server's PORTICO_OFFLOAD, else the config. */
static const char *
offload_mode(const struct pt_req *r)
{
	const char	*m = pt_req_env(r, "PORTICO_OFFLOAD");

	if (m != NULL && (strcmp(m, "x-accel-redirect") == 0 ||
	    strcmp(m, "x-sendfile") == 0 || strcmp(m, "none") == 0))
		return m;
	return r->cfg->collateral_offload;
}

/*
 * Parses a single "bytes=a-b" / "bytes=a-" / "bytes=-n" range for a file
 * of size bytes.  PT_OK with [*from, *to]; PT_DECLINED to send the whole
 * file (no Range, several ranges, or one we do not understand); PT_ERR if
 * the range is unsatisfiable (416).
 */
static int
range_parse(const char *h, int64_t size, int64_t *from, int64_t *to)
{
	char		*end;
	long long	 a, b;

	if (h == NULL || strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') != NULL)
		return PT_DECLINED;
	h += 6;
	errno = 0;
	if (*h == '-') {
		b = strtoll(h + 1, &end, 10);
		if (errno != 0 || *end != '\0' || end == h + 1)
			return PT_DECLINED;
		if (b <= 0 || size == 0)
			return PT_ERR;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return PT_OK;
	}
	a = strtoll(h, &end, 10);
	if (errno != 0 || end == h || *end != '-' || a < 0)
		return PT_DECLINED;
	if (end[1] == '\0')
		b = size - 1;
	else {
		h = end + 1;
		b = strtoll(h, &end, 10);
		if (errno != 0 || *end != '\0' || b < a)
			return PT_DECLINED;
	}
	if (a >= size)
		return PT_ERR;
	*from = a;
	*to = b >= size ? size - 1 : b;
	return PT_OK;
}

struct mapping {
	void	*addr;
	size_t	 len;
};

static void
unmap(void *arg)
{
	struct mapping	*m = arg;

	munmap(m->addr, m->len);
}

/*
 * Makes [from, to] of the stored file the body without copying it into
 * the worker's memory: the file is mapped read-only and the core writes
 * from the mapping (the kernel pages it in as it goes), and the arena
 * unmaps it after the response.  Objects are immutable (renamed into
 * place complete, never rewritten), so the mapping cannot change under
 * us.  Returns 200 or 500.
 */
static int
send_bytes(struct pt_req *r, const char *sha, int64_t from, int64_t to)
{
	struct mapping	*m;
	struct stat	 sb;
	long		 page = sysconf(_SC_PAGESIZE);
	off_t		 start;
	int		 fd;

	if ((fd = pt_store_open(r->arena, r->cfg, sha)) == -1 ||
	    fstat(fd, &sb) == -1) {
		pt_rlog(r, PT_LOG_ERR, "collateral: %s: %s", sha,
		    strerror(errno));
		return 500;
	}
	if (sb.st_size <= to) {
		pt_rlog(r, PT_LOG_ERR, "collateral: %s: shorter than its row",
		    sha);
		return 500;
	}
	/* mmap wants a page-aligned offset. */
	start = (off_t)(from - from % page);
	m = pt_alloc(r->arena, sizeof(*m));
	m->len = (size_t)(to - start + 1);
	m->addr = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, start);
	if (m->addr == MAP_FAILED) {
		pt_rlog(r, PT_LOG_ERR, "collateral: %s: mmap: %s", sha,
		    strerror(errno));
		return 500;
	}
	pt_arena_cleanup(r->arena, unmap, m);
	(void)madvise(m->addr, m->len, MADV_SEQUENTIAL);
	r->body = (const char *)m->addr + (from - start);
	r->bodylen = (size_t)(to - from + 1);
	return 200;
}

/*
 * Does an If-None-Match header name etag?  The header is "*" or a list of
 * entity tags, each perhaps weak ("W/"), compared weakly (RFC 9110
 * 13.1.2): a browser or proxy that sends a list or the weak form of our
 * tag is revalidating, not downloading, whichever web server is in front.
 */
static bool
etag_match(const char *h, const char *etag)
{
	size_t	 len = strlen(etag), n;

	for (;;) {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		if (*h == '\0')
			return false;
		if (*h == '*')
			return true;
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		n = strcspn(h, ", \t");
		if (n == len && strncmp(h, etag, len) == 0)
			return true;
		h += n;
	}
}

static int
download(struct pt_req *r, bool versioned)
{
	struct pt_seg_reader	 rd;
	struct pt_coll_item	 it;
	struct pt_stmt		*st;
	const char		*sha, *ctype, *fname, *inm, *mode, *etag;
	const char		*range;
	int64_t			 vid, size, from = 0, to;
	int			 rc, s;

	if ((s = item_for_reader(r, &rd, &it)) != 200)
		return s;
	vid = it.version_id;
	sha = it.sha256;
	size = it.size;
	ctype = it.ctype;
	fname = it.filename;
	if (versioned && pt_req_int(r, "n", 0) != it.number) {
		if (!history_ok(r, &rd, &it))
			return pt_coll_not_found(r);
		st = pt_db_stmt(r->db, r->arena, stmts[STMT_VERSION]);
		if (st == NULL)
			return 500;
		pt_db_bind_int(st, 0, it.id);
		pt_db_bind_int(st, 1, pt_req_int(r, "n", 0));
		if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
			return 500;
		if (rc == PT_DECLINED)
			return pt_coll_not_found(r);
		vid = pt_db_col_int(st, 0);
		sha = pt_db_col_text(st, 2);
		size = pt_db_col_int(st, 3);
		ctype = pt_db_col_text(st, 4);
		fname = pt_db_col_text(st, 5);
	}
	if (!pt_store_sha_ok(sha))
		return 500;

	etag = pt_printf(r->arena, "\"%s\"", sha);
	if (pt_resp_header(r, "ETag", etag) != PT_OK ||
	    pt_resp_header(r, "Cache-Control", "private, no-cache") != PT_OK ||
	    pt_resp_header(r, "Content-Disposition",
	    pt_coll_disposition(r->arena, fname)) != PT_OK)
		return 500;
	/* A revalidation is not a download: no count, no bytes. */
	inm = pt_req_env(r, "HTTP_IF_NONE_MATCH");
	if (inm != NULL && etag_match(inm, etag)) {
		pt_resp_raw(r, ctype, "", 0);
		return 304;
	}

	/*
	 * Counted before the bytes go: one row per download, exact under
	 * concurrency.  A HEAD is not a download, nor is a range request
	 * that does not start at the first byte (a player seeking in a
	 * video, a download manager's second connection).
	 */
	range = pt_req_env(r, "HTTP_RANGE");
	if (r->method != PT_HEAD && (range == NULL ||
	    strncmp(range, "bytes=0-", 8) == 0)) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_COUNT_DOWNLOAD])) == NULL)
			return 500;
		pt_db_bind_int(st, 0, r->sess->user_id);
		if (r->sess->org_id > 0)
			pt_db_bind_int(st, 1, r->sess->org_id);
		else
			pt_db_bind_null(st, 1);
		pt_db_bind_int(st, 2, it.id);
		pt_db_bind_int(st, 3, vid);
		if (pt_db_exec(st) != PT_OK)
			return 500;
	}

	mode = offload_mode(r);
	if (strcmp(mode, "x-accel-redirect") == 0) {
		if (pt_resp_header(r, "X-Accel-Redirect", pt_printf(r->arena,
		    "%s%s", r->cfg->collateral_offload_prefix,
		    pt_store_path(r->arena, sha))) != PT_OK)
			return 500;
		pt_resp_raw(r, ctype, "", 0);
		return 200;
	}
	if (strcmp(mode, "x-sendfile") == 0) {
		if (pt_resp_header(r, "X-Sendfile", pt_store_abspath(r->arena,
		    r->cfg, sha)) != PT_OK)
			return 500;
		pt_resp_raw(r, ctype, "", 0);
		return 200;
	}
	/* offload = none: the worker sends the bytes, one range at most. */
	if (pt_resp_header(r, "Accept-Ranges", "bytes") != PT_OK)
		return 500;
	to = size - 1;
	rc = range_parse(range, size, &from, &to);
	if (rc == PT_ERR) {
		if (pt_resp_header(r, "Content-Range", pt_printf(r->arena,
		    "bytes */%" PRId64, size)) != PT_OK)
			return 500;
		pt_resp_raw(r, "text/plain; charset=utf-8", "", 0);
		return 416;
	}
	if (size == 0) {
		pt_resp_raw(r, ctype, "", 0);
		return 200;
	}
	if ((s = send_bytes(r, sha, from, to)) != 200)
		return s;
	r->ctype = ctype;
	if (rc == PT_OK) {
		if (pt_resp_header(r, "Content-Range", pt_printf(r->arena,
		    "bytes %" PRId64 "-%" PRId64 "/%" PRId64, from, to,
		    size)) != PT_OK)
			return 500;
		return 206;
	}
	return 200;
}

static int
download_current(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return download(r, false);
}

static int
download_version(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return download(r, true);
}

/* ------------------------------------------------------------ routes */

#define MANAGERS	(PT_ACCESS_CONTENT_MANAGER | PT_ACCESS_ADMIN)

static const struct pt_field id_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "as", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field version_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "n", PT_F_INT, PT_IN_PATH, true, 1, INT32_MAX },
	{ "as", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field new_fields[] = {
	{ "title", PT_F_TEXT, PT_IN_BODY, true, 1, 255 },
	{ "description", PT_F_MULTILINE, PT_IN_BODY, false, 0, 10000 },
	{ "kind", PT_F_TEXT, PT_IN_BODY, false, 0, 32 },
	{ "language", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "product", PT_F_TEXT, PT_IN_BODY, false, 0, 64 },
	{ "tags", PT_F_TEXT, PT_IN_BODY, false, 0, 512 },
	{ "audience", PT_F_TEXT, PT_IN_BODY, false, 0, 16 },
	{ "expires", PT_F_TEXT, PT_IN_BODY, false, 0, 10 },
	{ "expose_history", PT_F_BOOL, PT_IN_BODY, false, 0, 0 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field settings_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "audience", PT_F_TEXT, PT_IN_BODY, true, 1, 16 },
	{ "expires", PT_F_TEXT, PT_IN_BODY, false, 0, 10 },
	{ "review", PT_F_TEXT, PT_IN_BODY, false, 0, 10 },
	{ "expose_history", PT_F_BOOL, PT_IN_BODY, false, 0, 0 },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_route routes[] = {
	{ "/library/new", PT_GET, MANAGERS, PT_XMLVIEW, NULL,
	    "collateral/new.xsl", new_get },
	{ "/library/new", PT_POST, MANAGERS, PT_CSRF | PT_UPLOAD, new_fields,
	    "collateral/new.xsl", new_post },
	{ "/collateral/{id}", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, id_fields,
	    "collateral/item.xsl", item_get },
	{ "/collateral/{id}/history", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    id_fields, "collateral/history.xsl", history_get },
	{ "/collateral/{id}/versions", PT_POST, MANAGERS, PT_CSRF | PT_UPLOAD,
	    id_fields, "collateral/item.xsl", version_post },
	{ "/collateral/{id}/versions/{n}/restore", PT_POST, MANAGERS, PT_CSRF,
	    version_fields, "collateral/history.xsl", restore_post },
	{ "/collateral/{id}/settings", PT_POST, MANAGERS, PT_CSRF,
	    settings_fields, "collateral/item.xsl", settings_post },
	{ "/collateral/{id}/download", PT_GET, PT_ACCESS_USER, PT_RAW,
	    id_fields, NULL, download_current },
	{ "/collateral/{id}/versions/{n}/download", PT_GET, PT_ACCESS_USER,
	    PT_RAW, version_fields, NULL, download_version },
	{ .path = NULL },
};

const struct pt_module pt_mod_collateral = {
	.name = "collateral",
	.routes = routes,
};
