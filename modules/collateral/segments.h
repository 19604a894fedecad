/*
 * segments.h - the segment rule language and who a collateral item (and,
 * later, an announcement or a community) is for.  Implemented in
 * modules/collateral/segments.c; used by every feature that targets
 * partners.
 *
 * A segment is a named rule over a reader's organisation and directory
 * groups: conditions on tier, partner type, region, industry, specific
 * organisations (by slug) and directory groups, combined with and, or and
 * not (the grammar is documented in segments.c and docs/segments.md).
 *
 * A reader's segments are computed once per request (pt_seg_reader) as the
 * set of segment ids whose rule the reader matches; listing queries then
 * test targets against that set, so a page of 5,000 items needs no rule
 * evaluation per item.
 */
#ifndef PT_SEGMENTS_H
#define PT_SEGMENTS_H

#include "portico.h"

/* Who is reading, as far as targeting is concerned. */
struct pt_seg_reader {
	int64_t		 org_id;	/* 0: none */
	/*
	 * Content managers and portal admins see every item, unless they
	 * are previewing the library as an organisation ("view as").
	 */
	bool		 all;
	const char	*segments;	/* "3,7,12": matched ids; "" for none */
	const char	*as_org;	/* "view as" organisation slug, or NULL */
};

/*
 * Computes the reader for the request: the signed-in user's organisation
 * and groups, or, for a content manager who passed ?as=<org-slug>, that
 * organisation (same code path as a real member of it, with no directory
 * groups).  Returns PT_OK; PT_DECLINED if ?as names no organisation
 * (r->error says so); PT_ERR on a database error.  Strings arena-owned.
 */
int		 pt_seg_reader(struct pt_req *, struct pt_seg_reader *) PT_WUR;

/*
 * SQL condition "collateral item `alias` is for this reader": audience
 * 'everyone', or a target segment the reader matches, or the reader sees
 * all.  Expiry is not part of it (the collateral module adds that).  Bind
 * its two parameters with pt_seg_bind_reader() at the index of its first
 * '?'.
 */
#define PT_SEG_ITEM_FOR_READER_SQL(alias)				\
	"(? OR " alias ".audience = 'everyone' OR EXISTS (SELECT 1 "	\
	"FROM collateral_targets ct_ WHERE ct_.item_id = " alias ".id "	\
	"AND FIND_IN_SET(ct_.segment_id, ?) > 0))"

/* Binds PT_SEG_ITEM_FOR_READER_SQL's parameters; returns the next index. */
unsigned int	 pt_seg_bind_reader(struct pt_stmt *, unsigned int first,
		    const struct pt_seg_reader *);

/*
 * The rule language itself (segments.c), for saving a segment, for
 * pt_seg_reader() and for the unit test and fuzz target.
 */
struct pt_seg_rule;

/* What a rule is evaluated against: one organisation and its groups. */
struct pt_seg_subject {
	const char		*tier;		/* program tier slug, or NULL */
	const char		*type;		/* partner type, or NULL */
	const char		*region;
	const char		*industry;
	const char		*org;		/* organisation slug */
	const char *const	*groups;	/* directory group names (DNs) */
	size_t			 ngroups;
};

#define PT_SEG_RULE_MAX	2048	/* bytes of rule text */
#define PT_SEG_DEPTH_MAX 32	/* nesting of not and parentheses */

/*
 * Parses rule text.  Returns the rule (arena-owned), or NULL with a
 * readable message in err ("expected a value after '=' at 14").
 */
struct pt_seg_rule *pt_seg_parse(struct pt_arena *, const char *,
		    char *err, size_t errlen);
/* True if the subject matches the rule. */
bool		 pt_seg_eval(const struct pt_seg_rule *,
		    const struct pt_seg_subject *);

#endif /* PT_SEGMENTS_H */
