/*
 * home.c - "/", the public partner-program page.
 *
 * Shows the program (name, tagline, introduction) and its tiers, each with
 * what it gives (benefits) and what it asks (requirements), so that a
 * prospective partner can see where they would fit before signing in.
 *
 * XML produced (rendered by xslt/home/index.xsl, also served as is with
 * ?format=xml for integrations):
 *   <program name="" tagline=""><intro/>
 *     <tier slug="" name="" position=""><summary/>
 *       <benefit/>... <requirement/>...</tier>...</program>
 */
#include <string.h>

#include "portico.h"

enum {
	STMT_PROGRAM,
	STMT_TIERS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_PROGRAM] = "SELECT name, tagline, intro FROM program WHERE id = 1",
	/* One pass: tiers in order, each tier's items grouped by kind. */
	[STMT_TIERS] = "SELECT t.slug, t.name, t.position, t.summary, "
	    "i.kind, i.text FROM program_tiers t "
	    "LEFT JOIN program_tier_items i ON i.tier_id = t.id "
	    "ORDER BY t.position, i.kind, i.position",
};

static int
home_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	xmlNodePtr	 program, tier = NULL;
	const char	*slug, *last = NULL, *kind;
	int		 rc;

	program = pt_xml_elem(out, "program");
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PROGRAM])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return 500;
	if ((rc = pt_db_fetch(st)) == PT_OK) {
		pt_xml_attr(program, "name", pt_db_col_text(st, 0));
		pt_xml_attr(program, "tagline", pt_db_col_text(st, 1));
		pt_xml_text(program, "intro", pt_db_col_text(st, 2));
	} else if (rc == PT_DECLINED)
		pt_xml_attr(program, "name", r->cfg->site_name);
	else
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_TIERS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		slug = pt_db_col_text(st, 0);
		if (last == NULL || strcmp(slug, last) != 0) {
			tier = pt_xml_elem(program, "tier");
			pt_xml_attr(tier, "slug", slug);
			pt_xml_attr(tier, "name", pt_db_col_text(st, 1));
			pt_xml_attr_int(tier, "position", pt_db_col_int(st, 2));
			pt_xml_text(tier, "summary", pt_db_col_text(st, 3));
			last = slug;
		}
		if (pt_db_col_null(st, 4))
			continue;	/* a tier with no items yet */
		kind = pt_db_col_text(st, 4);
		pt_xml_text(tier, strcmp(kind, "benefit") == 0 ? "benefit" :
		    "requirement", pt_db_col_text(st, 5));
	}
	return rc == PT_DECLINED ? 200 : 500;
}

static const struct pt_route routes[] = {
	{ "/", PT_GET, PT_ACCESS_PUBLIC, PT_XMLVIEW | PT_CACHE, NULL,
	    "home/index.xsl",
	    home_get },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct pt_module pt_mod_home = {
	.name = "home",
	.routes = routes,
};
