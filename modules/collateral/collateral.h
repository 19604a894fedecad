/*
 * collateral.h - what the collateral pages (collateral.c) and the library
 * pages (library.c) share: loading an item as the reader may see it, the
 * not-found answer, and the file metadata rules (filemeta.c).
 *
 * Visibility of an item, in one place (pt_coll_load and
 * PT_COLL_VISIBLE_SQL): it has a current version, it is for the reader
 * (PT_SEG_ITEM_FOR_READER_SQL: audience or target segments), and, unless
 * the reader sees everything (content managers and portal admins not
 * previewing "as" an organisation), it has not expired.  Anything else is
 * answered exactly as a missing item: pt_coll_not_found().
 */
#ifndef PT_COLLATERAL_H
#define PT_COLLATERAL_H

#include "portico.h"
#include "segments.h"

/* The item condition for listings: bind with pt_coll_bind_visible(). */
/*
 * Callers join the current version (JOIN collateral_versions v ON v.id =
 * alias.current_version_id), which is what excludes an item without one:
 * a condition on current_version_id here would steer MariaDB away from the
 * (updated_at, id) index that the library's order uses.
 */
#define PT_COLL_VISIBLE_SQL(alias)					\
	"(" PT_SEG_ITEM_FOR_READER_SQL(alias) " AND (? OR "		\
	alias ".expires_at IS NULL OR " alias ".expires_at > NOW()))"

unsigned int	 pt_coll_bind_visible(struct pt_stmt *, unsigned int first,
		    const struct pt_seg_reader *);

struct pt_coll_item {
	int64_t		 id;
	const char	*title, *description, *kind, *language, *product;
	const char	*audience;
	const char	*review_at, *expires_at;	/* "YYYY-MM-DD", "" */
	bool		 expose_history;
	int64_t		 version_id;
	int64_t		 number;
	const char	*sha256;
	int64_t		 size;
	const char	*ctype;
	const char	*filename;
	const char	*updated_at;
	int64_t		 owner_id;
	bool		 expired;
	bool		 needs_review;
};

/* True for content managers and portal admins. */
bool		 pt_coll_manager(const struct pt_req *);
/*
 * Loads item id as rd may see it.  PT_OK (it filled, arena strings),
 * PT_DECLINED if missing or not visible, PT_ERR on a database error.
 */
int		 pt_coll_load(struct pt_req *, const struct pt_seg_reader *,
		    int64_t id, struct pt_coll_item *) PT_WUR;
/* The one answer for a missing or invisible item: 404, default page. */
int		 pt_coll_not_found(struct pt_req *);
/* Adds <item .../> with its attributes under parent. */
xmlNodePtr	 pt_coll_item_xml(xmlNodePtr parent, const struct pt_coll_item *);

/*
 * library.c: prints the freshness table per program tier (`porticoctl
 * collateral-report`) to out.  PT_OK or PT_ERR.
 */
int		 pt_coll_report(struct pt_db *, struct pt_arena *, FILE *) PT_WUR;

/*
 * demo.c: puts the demo library's files (<sql_dir>/demo/collateral/) into
 * the store of cfg through storage.h and loads their rows from items.sql
 * there, on db; progress and errors go to fp.  PT_OK when loaded (or
 * already there), PT_DECLINED when the store cannot be written (said on
 * fp; nothing of the library is loaded), PT_ERR otherwise.  Allocates
 * nothing that outlives the call.
 */
int		 pt_coll_seed_demo(const struct pt_config *, struct pt_db *,
		    FILE *) PT_WUR;

/* filemeta.c */
#define PT_COLL_FILENAME_MAX	200	/* bytes kept of a file name */
/*
 * The uploader's file name made safe to keep and to offer again: the last
 * path component, without control characters, quotes, backslashes or
 * invalid UTF-8, no leading dots or spaces, at most PT_COLL_FILENAME_MAX
 * bytes (the extension kept).  "download" if nothing is left.  Arena.
 */
char		*pt_coll_filename(struct pt_arena *, const char *raw);
/*
 * The content type for a file whose first bytes are head[0..len) and
 * whose (sanitised) name is name, from the allow-list: PDF, PowerPoint,
 * Word and Excel (OOXML), PNG, JPEG, MP4, plain text.  NULL if the bytes
 * and the extension do not agree on one of them.  Static string.
 */
const char	*pt_coll_sniff(const unsigned char *head, size_t len,
		    const char *name);
/*
 * A Content-Disposition value for a sanitised name: attachment with an
 * ASCII filename= fallback and the RFC 6266 filename*=UTF-8'' form.
 * Arena.
 */
char		*pt_coll_disposition(struct pt_arena *, const char *name);

#endif /* PT_COLLATERAL_H */
