/*
 * partner_directory.c - the partner directory: the organisations and people
 * a signed-in user may find, by name, region, industry, expertise and tier.
 *
 * Routes (all GET, any signed-in user, ?format=xml for tests):
 *   /directory                       search; filters are GET fields, each
 *                                    list keyset-paginated on (name, id)
 *   /directory/people/{id}           a person's card
 *   /directory/organisations/{slug}  an organisation and its people
 *
 * Who may find whom is decided by one SQL predicate, DIR_CTE below, which
 * every statement of this file that returns people or organisations starts
 * with (but the staff people list, which is everyone active), so a
 * listing, a card and a count cannot disagree:
 *   - a person is visible if they are active and not deleted, and the
 *     reader holds a staff role (moderator, portal_admin, channel_manager),
 *     or it is the reader, or the two share a membership (community_members
 *     or directory_memberships) of a community that is not archived, or
 *     the person works for the vendor and the vendor is not declared a
 *     competitor of the reader's organisation;
 *   - members of competing organisations (organisation_conflicts) are
 *     therefore never visible to each other unless they share a community;
 *   - an organisation is visible if it is the reader's own, the vendor, or
 *     one of its people is visible (staff: all).
 * A person or organisation the reader may not see answers exactly as one
 * that does not exist: pt_comm_not_found() (community.h).  The statements
 * are set-wise: a page runs a fixed number of them however many rows it
 * shows.
 *
 * XML produced (xslt/directory/):
 *   <directory show="all|people|organisations" q="" region="" industry=""
 *       tier="" expertise="" organisation="" first="yes|no">
 *     <region>EMEA</region>...  <tier slug="" name=""/>...
 *     <area slug="" name=""/>...            (filter vocabularies)
 *     <people more="yes"?>
 *       <person id="" name="" email="" title="" org-slug="" org-name=""
 *           vendor="yes"? region="" industry="" tier="">
 *         <expertise>...</expertise>...</person>...
 *       <next after="" after-id=""/>?</people>
 *     <organisations more="yes"?>
 *       <organisation id="" slug="" name="" vendor="yes"? type=""
 *           region="" country="" industry="" tier="" people="">
 *         <expertise>...</expertise>...</organisation>...
 *       <next after="" after-id=""/>?</organisations>
 *   </directory>
 *   person.xsl: <person ...><expertise/>...<shared><community slug=""
 *       name=""/>...</shared></person>
 *   organisation.xsl: <organisation ...><summary/><expertise/>...
 *       <people more="yes"?><person .../>...</people></organisation>
 *
 * API: the module pt_mod_partner_directory (modules/modules.c).  To add a
 * filter, add its field to search_fields, a clause and its binds to
 * STMT_PEOPLE and STMT_ORGS (bind_filters), and an input to
 * xslt/directory/search.xsl.  To change who may find whom, change DIR_CTE
 * and tests/integration/test_directory.py's oracle together.
 */
#include <string.h>

#include "portico.h"
#include "communities/community.h"

#define PAGE_ROWS	25	/* one list alone */
#define PREVIEW_ROWS	10	/* each list of the combined page */
#define ORG_PEOPLE	50	/* people on an organisation's page */

enum {
	STMT_PEOPLE,
	STMT_PEOPLE_STAFF,
	STMT_ORGS,
	STMT_PERSON,
	STMT_SHARED,
	STMT_ORG,
	STMT_ORG_PEOPLE,
	STMT_TIERS,
	STMT_AREAS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
/*
 * The fragments the statements below share live inside the table, with
 * the rest of this module's SQL.
 */
/*
 * The visibility predicate as common table expressions.  Parameters, in
 * this order: reader user id, reader organisation id (0: none), reader is
 * staff (0/1).  vis: the visible people (id, organisation_id); vorg: the
 * visible organisations (id).
 */
#define DIR_CTE								\
	"WITH rd AS (SELECT CAST(? AS SIGNED) AS uid, "			\
	"CAST(? AS SIGNED) AS org, CAST(? AS SIGNED) AS staff), "	\
	"mine AS (SELECT c.id FROM communities c JOIN rd "		\
	"WHERE c.archived_at IS NULL AND ("				\
	"EXISTS (SELECT 1 FROM community_members m "			\
	"WHERE m.community_id = c.id AND m.user_id = rd.uid) OR "	\
	"EXISTS (SELECT 1 FROM directory_memberships d "		\
	"WHERE d.community_slug = c.slug AND d.user_id = rd.uid))), "	\
	"peers AS (SELECT m.user_id FROM community_members m "		\
	"JOIN mine ON mine.id = m.community_id "			\
	"UNION SELECT d.user_id FROM directory_memberships d "		\
	"JOIN communities c ON c.slug = d.community_slug "		\
	"JOIN mine ON mine.id = c.id), "				\
	"vis AS (SELECT u.id, u.organisation_id FROM users u JOIN ("	\
	"SELECT p.user_id AS id FROM peers p "				\
	"UNION SELECT rd.uid FROM rd "					\
	"UNION SELECT v.id FROM users v JOIN rd "			\
	"JOIN organisations o ON o.id = v.organisation_id "		\
	"WHERE o.kind = 'vendor' AND NOT EXISTS (SELECT 1 "		\
	"FROM organisation_conflicts x WHERE "				\
	"(x.org_a = o.id AND x.org_b = rd.org) OR "			\
	"(x.org_b = o.id AND x.org_a = rd.org)) "			\
	"UNION SELECT a.id FROM users a JOIN rd WHERE rd.staff <> 0"	\
	") k ON k.id = u.id "						\
	"WHERE u.status = 'active' AND u.deleted_at IS NULL), "	\
	"vorg AS (SELECT o.id FROM organisations o JOIN rd "		\
	"WHERE rd.staff <> 0 OR o.id = rd.org OR o.kind = 'vendor' OR "	\
	"o.id IN (SELECT v.organisation_id FROM vis v "		\
	"WHERE v.organisation_id IS NOT NULL)) "

/* A person's columns; PERSON_FROM names the tables they come from. */
#define PERSON_COLS							\
	"SELECT u.id, u.name, u.email, COALESCE(p.job_title, ''), "	\
	"COALESCE(o.slug, ''), COALESCE(o.name, ''), "			\
	"COALESCE(o.kind = 'vendor', 0), COALESCE(o.region, ''), "	\
	"COALESCE(o.industry, ''), COALESCE(t.name, ''), "		\
	"(SELECT GROUP_CONCAT(e.name ORDER BY e.name SEPARATOR '\n') "	\
	"FROM user_expertise ue JOIN expertise_areas e "		\
	"ON e.id = ue.expertise_id WHERE ue.user_id = u.id) "
#define PERSON_FROM							\
	"FROM vis JOIN users u ON u.id = vis.id "			\
	"LEFT JOIN user_profiles p ON p.user_id = u.id "		\
	"LEFT JOIN organisations o ON o.id = u.organisation_id "	\
	"LEFT JOIN program_tiers t ON t.id = o.tier_id "

#define ORG_COLS							\
	"SELECT o.id, o.slug, o.name, o.kind = 'vendor', "		\
	"COALESCE(o.partner_type, ''), COALESCE(o.region, ''), "	\
	"COALESCE(o.country, ''), COALESCE(o.industry, ''), "		\
	"COALESCE(t.name, ''), "					\
	"COALESCE(vc.n, 0), "						\
	"(SELECT GROUP_CONCAT(e.name ORDER BY e.name SEPARATOR '\n') "	\
	"FROM organisation_expertise oe JOIN expertise_areas e "	\
	"ON e.id = oe.expertise_id WHERE oe.organisation_id = o.id), "	\
	"o.summary "
#define ORG_FROM							\
	"FROM vorg JOIN organisations o ON o.id = vorg.id "		\
	"LEFT JOIN program_tiers t ON t.id = o.tier_id "		\
	"LEFT JOIN (SELECT organisation_id, COUNT(*) AS n FROM vis "	\
	"GROUP BY organisation_id) vc ON vc.organisation_id = o.id "

#define STAFF_FROM							\
	"FROM users u "							\
	"LEFT JOIN user_profiles p ON p.user_id = u.id "		\
	"LEFT JOIN organisations o ON o.id = u.organisation_id "	\
	"LEFT JOIN program_tiers t ON t.id = o.tier_id "

/* Filters shared by both lists: region, industry, tier. */
#define COMMON_FILTERS							\
	"AND (? IS NULL OR o.region = ?) "				\
	"AND (? IS NULL OR o.industry LIKE ?) "				\
	"AND (? IS NULL OR t.slug = ?) "

/* The people search: q, organisation, the above, expertise, keyset. */
#define PEOPLE_FILTERS							\
	"(? IS NULL OR u.name LIKE ? OR p.job_title LIKE ?) "		\
	"AND (? IS NULL OR o.slug = ?) "				\
	COMMON_FILTERS							\
	"AND (? IS NULL OR EXISTS (SELECT 1 FROM user_expertise ue "	\
	"JOIN expertise_areas e ON e.id = ue.expertise_id "		\
	"WHERE ue.user_id = u.id AND e.slug = ?)) "			\
	"AND (? IS NULL OR u.name > ? OR (u.name = ? AND u.id > ?)) "	\
	"ORDER BY u.name, u.id LIMIT ?"

	/* Filters: q, organisation, region, industry, tier, expertise. */
	[STMT_PEOPLE] = DIR_CTE PERSON_COLS PERSON_FROM
	    "WHERE " PEOPLE_FILTERS,
	/*
	 * Staff see every active person: the same list without the
	 * predicate, so it can walk users_directory (name, id) in order and
	 * stop after a page however many people there are.
	 */
	[STMT_PEOPLE_STAFF] = PERSON_COLS STAFF_FROM
	    "WHERE u.status = 'active' AND u.deleted_at IS NULL AND "
	    PEOPLE_FILTERS,
	[STMT_ORGS] = DIR_CTE ORG_COLS ORG_FROM
	    "WHERE (? IS NULL OR o.name LIKE ? OR o.summary LIKE ?) "
	    "AND (? IS NULL OR o.slug = ?) "
	    COMMON_FILTERS
	    "AND (? IS NULL OR EXISTS (SELECT 1 "
	    "FROM organisation_expertise oe JOIN expertise_areas e "
	    "ON e.id = oe.expertise_id "
	    "WHERE oe.organisation_id = o.id AND e.slug = ?)) "
	    "AND (? IS NULL OR o.name > ? OR (o.name = ? AND o.id > ?)) "
	    "ORDER BY o.name, o.id LIMIT ?",
	[STMT_PERSON] = DIR_CTE PERSON_COLS PERSON_FROM "WHERE u.id = ?",
	/*
	 * Communities both belong to (the reader is a member, so may read
	 * them); only run for a person the reader may see.
	 */
	[STMT_SHARED] = "SELECT c.slug, c.name FROM communities c "
	    "WHERE c.archived_at IS NULL AND ("
	    "EXISTS (SELECT 1 FROM community_members m "
	    "WHERE m.community_id = c.id AND m.user_id = ?) OR "
	    "EXISTS (SELECT 1 FROM directory_memberships d "
	    "WHERE d.community_slug = c.slug AND d.user_id = ?)) AND ("
	    "EXISTS (SELECT 1 FROM community_members m "
	    "WHERE m.community_id = c.id AND m.user_id = ?) OR "
	    "EXISTS (SELECT 1 FROM directory_memberships d "
	    "WHERE d.community_slug = c.slug AND d.user_id = ?)) "
	    "ORDER BY c.name, c.id LIMIT 50",
	[STMT_ORG] = DIR_CTE ORG_COLS ORG_FROM "WHERE o.slug = ?",
	[STMT_ORG_PEOPLE] = DIR_CTE PERSON_COLS PERSON_FROM
	    "WHERE u.organisation_id = ? ORDER BY u.name, u.id LIMIT ?",
	[STMT_TIERS] = "SELECT slug, name FROM program_tiers "
	    "ORDER BY position, id",
	[STMT_AREAS] = "SELECT slug, name FROM expertise_areas "
	    "ORDER BY name, id",
};

/* The regions organisations.region holds (0002_organisations.sql). */
static const char *const regions[] = {
	"EMEA", "North America", "LATAM", "APAC", NULL
};

static const struct pt_field search_fields[] = {
	{ "q", PT_F_TEXT, PT_IN_QUERY, false, 0, 128 },
	{ "region", PT_F_TEXT, PT_IN_QUERY, false, 0, 32 },
	{ "industry", PT_F_TEXT, PT_IN_QUERY, false, 0, 64 },
	{ "tier", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ "expertise", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ "organisation", PT_F_SLUG, PT_IN_QUERY, false, 0, 64 },
	{ "show", PT_F_SLUG, PT_IN_QUERY, false, 0, 16 },
	{ "after", PT_F_TEXT, PT_IN_QUERY, false, 0, 255 },
	{ "after_id", PT_F_INT, PT_IN_QUERY, false, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field person_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ NULL, 0, 0, false, 0, 0 },
};

static const struct pt_field org_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ NULL, 0, 0, false, 0, 0 },
};

/* The search as the request asked for it; NULL means "any". */
struct dir_filter {
	const char	*q, *qlike;
	const char	*organisation;
	const char	*region;
	const char	*industry, *industry_like;
	const char	*tier;
	const char	*expertise;
	const char	*after;
	int64_t		 after_id;
};

/* Staff see everyone: the roles that moderate or run the channel. */
static bool
dir_staff(const struct pt_req *r)
{
	const unsigned int staff = 1u << PT_ROLE_MODERATOR |
	    1u << PT_ROLE_PORTAL_ADMIN | 1u << PT_ROLE_CHANNEL_MANAGER;

	return (r->sess->roles & staff) != 0;
}

/* Binds DIR_CTE's parameters from 0; returns the next index. */
static unsigned int
bind_reader(struct pt_stmt *st, const struct pt_req *r)
{
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, r->sess->org_id);
	pt_db_bind_int(st, 2, dir_staff(r) ? 1 : 0);
	return 3;
}

/* Binds v (or NULL) n times from i; returns the next index. */
static unsigned int
bind_opt(struct pt_stmt *st, unsigned int i, const char *v, unsigned int n)
{
	while (n-- > 0) {
		if (v != NULL)
			pt_db_bind_text(st, i, v);
		else
			pt_db_bind_null(st, i);
		i++;
	}
	return i;
}

/* "%text%" for LIKE (escape character '\'), arena-allocated. */
static const char *
dir_like(struct pt_arena *a, const char *s)
{
	char	*out, *o;

	if (s == NULL)
		return NULL;
	o = out = pt_alloc(a, 2 * strlen(s) + 3);
	*o++ = '%';
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

/* The filters of STMT_PEOPLE / STMT_ORGS from index i; the next index. */
static unsigned int
bind_filters(struct pt_stmt *st, unsigned int i, const struct dir_filter *f,
    bool keyset, long limit)
{
	i = bind_opt(st, i, f->q, 1);
	i = bind_opt(st, i, f->qlike, 2);
	i = bind_opt(st, i, f->organisation, 2);
	i = bind_opt(st, i, f->region, 2);
	i = bind_opt(st, i, f->industry, 1);
	i = bind_opt(st, i, f->industry_like, 1);
	i = bind_opt(st, i, f->tier, 2);
	i = bind_opt(st, i, f->expertise, 2);
	i = bind_opt(st, i, keyset ? f->after : NULL, 3);
	if (keyset && f->after != NULL)
		pt_db_bind_int(st, i++, f->after_id);
	else
		pt_db_bind_null(st, i++);
	pt_db_bind_int(st, i++, limit);
	return i;
}

/* Adds one <expertise> per line of list. */
static void
expertise_xml(xmlNodePtr x, struct pt_arena *a, const char *list)
{
	const char	*p = list, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		pt_xml_text(x, "expertise", nl ? pt_strndup(a, p,
		    (size_t)(nl - p)) : p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* <person> from a row of PERSON_COLS. */
static xmlNodePtr
person_xml(xmlNodePtr parent, struct pt_req *r, struct pt_stmt *st)
{
	xmlNodePtr	 x;

	x = pt_xml_elem(parent, "person");
	pt_xml_attr_int(x, "id", pt_db_col_int(st, 0));
	pt_xml_attr(x, "name", pt_db_col_text(st, 1));
	pt_xml_attr(x, "email", pt_db_col_text(st, 2));
	pt_xml_attr(x, "title", pt_db_col_text(st, 3));
	pt_xml_attr(x, "org-slug", pt_db_col_text(st, 4));
	pt_xml_attr(x, "org-name", pt_db_col_text(st, 5));
	if (pt_db_col_int(st, 6) != 0)
		pt_xml_attr(x, "vendor", "yes");
	pt_xml_attr(x, "region", pt_db_col_text(st, 7));
	pt_xml_attr(x, "industry", pt_db_col_text(st, 8));
	pt_xml_attr(x, "tier", pt_db_col_text(st, 9));
	expertise_xml(x, r->arena, pt_db_col_text(st, 10));
	return x;
}

/* <organisation> from a row of ORG_COLS. */
static xmlNodePtr
org_xml(xmlNodePtr parent, struct pt_req *r, struct pt_stmt *st)
{
	xmlNodePtr	 x;

	x = pt_xml_elem(parent, "organisation");
	pt_xml_attr_int(x, "id", pt_db_col_int(st, 0));
	pt_xml_attr(x, "slug", pt_db_col_text(st, 1));
	pt_xml_attr(x, "name", pt_db_col_text(st, 2));
	if (pt_db_col_int(st, 3) != 0)
		pt_xml_attr(x, "vendor", "yes");
	pt_xml_attr(x, "type", pt_db_col_text(st, 4));
	pt_xml_attr(x, "region", pt_db_col_text(st, 5));
	pt_xml_attr(x, "country", pt_db_col_text(st, 6));
	pt_xml_attr(x, "industry", pt_db_col_text(st, 7));
	pt_xml_attr(x, "tier", pt_db_col_text(st, 8));
	pt_xml_attr_int(x, "people", pt_db_col_int(st, 9));
	expertise_xml(x, r->arena, pt_db_col_text(st, 10));
	return x;
}

/* <tier>s and <area>s for the filter form. */
static int
vocabularies(struct pt_req *r, xmlNodePtr dx)
{
	static const struct {
		int		 stmt;
		const char	*elem;
	} v[] = { { STMT_TIERS, "tier" }, { STMT_AREAS, "area" } };
	struct pt_stmt	*st;
	xmlNodePtr	 x;
	size_t		 i;
	int		 rc;

	for (i = 0; regions[i] != NULL; i++)
		pt_xml_text(dx, "region", regions[i]);
	for (i = 0; i < PT_NELEM(v); i++) {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[v[i].stmt])) ==
		    NULL || pt_db_exec(st) != PT_OK)
			return PT_ERR;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			x = pt_xml_elem(dx, v[i].elem);
			pt_xml_attr(x, "slug", pt_db_col_text(st, 0));
			pt_xml_attr(x, "name", pt_db_col_text(st, 1));
		}
		if (rc != PT_DECLINED)
			return PT_ERR;
	}
	return PT_OK;
}

/*
 * One list (people or organisations) under dx.  rows is the page size;
 * keyset says whether the after/after_id position applies to this list.
 */
static int
search_list(struct pt_req *r, xmlNodePtr dx, bool people,
    const struct dir_filter *f, bool keyset, int rows)
{
	struct pt_stmt	*st;
	xmlNodePtr	 lx, nx;
	const char	*last_name = NULL;
	int64_t		 last_id = 0;
	bool		 staff;
	int		 rc, n = 0;

	staff = people && dir_staff(r);
	st = pt_db_stmt(r->db, r->arena, stmts[staff ? STMT_PEOPLE_STAFF :
	    people ? STMT_PEOPLE : STMT_ORGS]);
	if (st == NULL)
		return PT_ERR;
	bind_filters(st, staff ? 0 : bind_reader(st, r), f, keyset, rows + 1);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	lx = pt_xml_elem(dx, people ? "people" : "organisations");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > rows)
			continue;	/* the extra row only says "more" */
		last_id = pt_db_col_int(st, 0);
		if (people) {
			last_name = pt_db_col_text(st, 1);
			person_xml(lx, r, st);
		} else {
			last_name = pt_db_col_text(st, 2);
			org_xml(lx, r, st);
		}
	}
	if (rc != PT_DECLINED)
		return PT_ERR;
	if (n > rows) {
		pt_xml_attr(lx, "more", "yes");
		nx = pt_xml_elem(lx, "next");
		pt_xml_attr(nx, "after", last_name);
		pt_xml_attr_int(nx, "after-id", last_id);
	}
	return PT_OK;
}

/* A filter value, or NULL when absent or empty. */
static const char *
opt_str(const struct pt_req *r, const char *name)
{
	const char	*v = pt_req_str(r, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
directory_get(struct pt_req *r, xmlNodePtr out)
{
	struct dir_filter	 f;
	const char		*show;
	xmlNodePtr		 dx;
	size_t			 i;

	memset(&f, 0, sizeof(f));
	f.q = opt_str(r, "q");
	f.qlike = dir_like(r->arena, f.q);
	f.organisation = opt_str(r, "organisation");
	f.region = opt_str(r, "region");
	f.industry = opt_str(r, "industry");
	f.industry_like = dir_like(r->arena, f.industry);
	f.tier = opt_str(r, "tier");
	f.expertise = opt_str(r, "expertise");
	f.after = opt_str(r, "after");
	f.after_id = pt_req_int(r, "after_id", 0);
	if (f.after == NULL || f.after_id <= 0)
		f.after = NULL;
	if (f.region != NULL) {
		for (i = 0; regions[i] != NULL; i++)
			if (strcmp(f.region, regions[i]) == 0)
				break;
		if (regions[i] == NULL)
			return pt_req_error(r, 400, "Choose a region from the "
			    "list: EMEA, North America, LATAM or APAC.");
	}
	show = opt_str(r, "show");
	if (show == NULL)
		show = "all";
	if (strcmp(show, "all") != 0 && strcmp(show, "people") != 0 &&
	    strcmp(show, "organisations") != 0)
		return pt_req_error(r, 400, "Show all, people or "
		    "organisations.");

	dx = pt_xml_elem(out, "directory");
	pt_xml_attr(dx, "show", show);
	pt_xml_attr(dx, "q", f.q);
	pt_xml_attr(dx, "region", f.region);
	pt_xml_attr(dx, "industry", f.industry);
	pt_xml_attr(dx, "tier", f.tier);
	pt_xml_attr(dx, "expertise", f.expertise);
	pt_xml_attr(dx, "organisation", f.organisation);
	pt_xml_attr(dx, "first", f.after != NULL && strcmp(show, "all") != 0 ?
	    "no" : "yes");
	if (vocabularies(r, dx) != PT_OK)
		return 500;
	if (strcmp(show, "organisations") != 0 &&
	    search_list(r, dx, true, &f, strcmp(show, "people") == 0,
	    strcmp(show, "all") == 0 ? PREVIEW_ROWS : PAGE_ROWS) != PT_OK)
		return 500;
	if (strcmp(show, "people") != 0 &&
	    search_list(r, dx, false, &f, strcmp(show, "organisations") == 0,
	    strcmp(show, "all") == 0 ? PREVIEW_ROWS : PAGE_ROWS) != PT_OK)
		return 500;
	return 200;
}

static int
person_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	xmlNodePtr	 px, sx, cx;
	int64_t		 id = pt_req_int(r, "id", 0);
	unsigned int	 i;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PERSON])) == NULL)
		return 500;
	i = bind_reader(st, r);
	pt_db_bind_int(st, i, id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	px = person_xml(out, r, st);

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SHARED])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_int(st, 1, r->sess->user_id);
	pt_db_bind_int(st, 2, id);
	pt_db_bind_int(st, 3, id);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	sx = pt_xml_elem(px, "shared");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		cx = pt_xml_elem(sx, "community");
		pt_xml_attr(cx, "slug", pt_db_col_text(st, 0));
		pt_xml_attr(cx, "name", pt_db_col_text(st, 1));
	}
	return rc == PT_DECLINED ? 200 : 500;
}

static int
organisation_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	xmlNodePtr	 ox, lx;
	int64_t		 oid;
	unsigned int	 i;
	int		 rc, n = 0;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG])) == NULL)
		return 500;
	i = bind_reader(st, r);
	pt_db_bind_text(st, i, pt_req_str(r, "slug"));
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	ox = org_xml(out, r, st);
	oid = pt_db_col_int(st, 0);
	pt_xml_text(ox, "summary", pt_db_col_text(st, 11));

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG_PEOPLE])) ==
	    NULL)
		return 500;
	i = bind_reader(st, r);
	pt_db_bind_int(st, i++, oid);
	pt_db_bind_int(st, i, ORG_PEOPLE + 1);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	lx = pt_xml_elem(ox, "people");
	while ((rc = pt_db_fetch(st)) == PT_OK)
		if (++n <= ORG_PEOPLE)
			person_xml(lx, r, st);
	if (rc != PT_DECLINED)
		return 500;
	if (n > ORG_PEOPLE)
		pt_xml_attr(lx, "more", "yes");
	return 200;
}

static const struct pt_route routes[] = {
	{ "/directory", PT_GET, PT_ACCESS_USER, PT_XMLVIEW, search_fields,
	    "directory/search.xsl", directory_get },
	{ "/directory/people/{id}", PT_GET, PT_ACCESS_USER, PT_XMLVIEW,
	    person_fields, "directory/person.xsl", person_get },
	{ "/directory/organisations/{slug}", PT_GET, PT_ACCESS_USER,
	    PT_XMLVIEW, org_fields, "directory/organisation.xsl",
	    organisation_get },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct pt_module pt_mod_partner_directory = {
	.name = "partner-directory",
	.routes = routes,
};
