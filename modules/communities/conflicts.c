/*
 * conflicts.c - competitor conflict sets, kept by portal administrators
 * at /admin/conflicts.
 *
 * A conflict says that two partner organisations compete; it is stored
 * once as a pair with the lower organisation id first (the schema checks
 * org_a < org_b).  pt_comm_conflict_check() (members.c) reads the pairs
 * whenever someone is invited, added or approved into a community.
 * Declaring and removing a pair are audited (org_conflict_add,
 * org_conflict_remove).
 *
 * GET /admin/conflicts lists the pairs and a form to declare one;
 * POST /admin/conflicts with action=add (org_a, org_b, reason) or
 * action=remove (org_a, org_b).
 *
 * XML produced (conflicts.xsl):
 *   <conflicts>
 *     <organisation slug="" name="" kind=""/>...
 *     <conflict a-slug="" a-name="" b-slug="" b-name="" reason=""
 *         created="" by=""/>...
 *     <error>message</error> <form org-a="" org-b="" reason=""/>
 *   </conflicts>
 *
 * API (members.h): pt_comm_conflicts_get, pt_comm_conflicts_post.  To
 * record more about a pair, add a column in a migration, to STMT_LIST and
 * to the form.
 */
#include <string.h>

#include "portico.h"
#include "community.h"
#include "members.h"

enum {
	STMT_ORGS,
	STMT_LIST,
	STMT_ORG,
	STMT_ADD,
	STMT_REMOVE,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_ORGS] = "SELECT slug, name, kind FROM organisations "
	    "ORDER BY kind DESC, name LIMIT 5000",
	[STMT_LIST] = "SELECT a.slug, a.name, b.slug, b.name, oc.reason, "
	    "oc.created_at, COALESCE(u.login, '') FROM organisation_conflicts oc "
	    "JOIN organisations a ON a.id = oc.org_a "
	    "JOIN organisations b ON b.id = oc.org_b "
	    "LEFT JOIN users u ON u.id = oc.created_by "
	    "ORDER BY a.name, b.name LIMIT 5000",
	[STMT_ORG] = "SELECT id, name FROM organisations WHERE slug = ?",
	[STMT_ADD] = "INSERT INTO organisation_conflicts (org_a, org_b, "
	    "reason, created_by) VALUES (?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE reason = VALUES(reason)",
	[STMT_REMOVE] = "DELETE FROM organisation_conflicts "
	    "WHERE org_a = ? AND org_b = ?",
};

static int
conflicts_page(struct pt_req *r, xmlNodePtr out, const char *msg)
{
	struct pt_stmt	*st;
	xmlNodePtr	 lx, x;
	const char	*v;
	int		 rc;

	lx = pt_xml_elem(out, "conflicts");
	if (msg != NULL) {
		pt_xml_text(lx, "error", msg);
		x = pt_xml_elem(lx, "form");
		if ((v = pt_req_str(r, "org_a")) != NULL)
			pt_xml_attr(x, "org-a", v);
		if ((v = pt_req_str(r, "org_b")) != NULL)
			pt_xml_attr(x, "org-b", v);
		if ((v = pt_req_str(r, "reason")) != NULL)
			pt_xml_attr(x, "reason", v);
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORGS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		x = pt_xml_elem(lx, "organisation");
		pt_xml_attr(x, "slug", pt_db_col_text(st, 0));
		pt_xml_attr(x, "name", pt_db_col_text(st, 1));
		pt_xml_attr(x, "kind", pt_db_col_text(st, 2));
	}
	if (rc != PT_DECLINED)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LIST])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		x = pt_xml_elem(lx, "conflict");
		pt_xml_attr(x, "a-slug", pt_db_col_text(st, 0));
		pt_xml_attr(x, "a-name", pt_db_col_text(st, 1));
		pt_xml_attr(x, "b-slug", pt_db_col_text(st, 2));
		pt_xml_attr(x, "b-name", pt_db_col_text(st, 3));
		pt_xml_attr(x, "reason", pt_db_col_text(st, 4));
		pt_xml_attr(x, "created", pt_db_col_text(st, 5));
		if (*(v = pt_db_col_text(st, 6)) != '\0')
			pt_xml_attr(x, "by", v);
	}
	return rc == PT_DECLINED ? 200 : 500;
}

static int
conflicts_fail(struct pt_req *r, xmlNodePtr out, int status, const char *msg)
{
	if (conflicts_page(r, out, msg) != 200)
		return 500;
	r->keep_page = true;
	r->error = msg;
	return status;
}

int
pt_comm_conflicts_get(struct pt_req *r, xmlNodePtr out)
{
	return conflicts_page(r, out, NULL);
}

/* The id and name of the organisation slug; PT_DECLINED if none. */
static int
org_lookup(struct pt_req *r, const char *slug, int64_t *id, const char **name)
{
	struct pt_stmt	*st;
	int		 rc;

	if (slug == NULL)
		return PT_DECLINED;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, slug);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_OK) {
		*id = pt_db_col_int(st, 0);
		*name = pt_db_col_text(st, 1);
	}
	return rc;
}

int
pt_comm_conflicts_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	const char	*action = pt_req_str(r, "action"), *reason;
	const char	*an = NULL, *bn = NULL, *tn;
	int64_t		 a = 0, b = 0, t;
	bool		 add;
	int		 rc1, rc2;

	if (action == NULL || (strcmp(action, "add") != 0 &&
	    strcmp(action, "remove") != 0))
		return conflicts_fail(r, out, 400, "Choose to declare or to "
		    "remove a conflict.");
	add = strcmp(action, "add") == 0;
	rc1 = org_lookup(r, pt_req_str(r, "org_a"), &a, &an);
	rc2 = org_lookup(r, pt_req_str(r, "org_b"), &b, &bn);
	if (rc1 == PT_ERR || rc2 == PT_ERR)
		return 500;
	if (rc1 != PT_OK || rc2 != PT_OK)
		return conflicts_fail(r, out, 400, "Choose two organisations "
		    "from the lists.");
	if (a == b)
		return conflicts_fail(r, out, 400, "An organisation cannot "
		    "compete with itself: choose two different ones.");
	if (a > b) {
		t = a, a = b, b = t;
		tn = an, an = bn, bn = tn;
	}
	reason = pt_req_str(r, "reason");
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[add ? STMT_ADD :
	    STMT_REMOVE])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, a);
	pt_db_bind_int(st, 1, b);
	if (add) {
		pt_db_bind_text(st, 2, reason ? reason : "");
		pt_db_bind_int(st, 3, r->sess->user_id);
	}
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (!add && pt_db_affected(st) == 0) {
		pt_db_rollback(r->db);
		return conflicts_fail(r, out, 404, "These two organisations "
		    "are not declared as competitors.");
	}
	if (pt_audit(r->db, r->arena, r->sess->user_id, add ?
	    "org_conflict_add" : "org_conflict_remove", 0,
	    pt_printf(r->arena, "%s / %s%s%s", an, bn, add ? ": " : "",
	    add && reason ? reason : ""), r->id) != PT_OK ||
	    pt_db_commit(r->db) != PT_OK)
		goto fail;
	if (pt_resp_redirect(r, "/admin/conflicts") != 303)
		return 500;
	return 303;
fail:
	pt_db_rollback(r->db);
	return 500;
}
