/*
 * lifecycle_admin.c - the access lifecycle's pages: the administrators'
 * overview (upcoming and recent actions, accounts in their grace period
 * with re-enable, exemptions of accounts and of directory groups,
 * sponsors, the audit trail with filters and its CSV export) and the
 * roster attestation of a partner organisation.
 *
 * Routes (the sweep itself is modules/lifecycle.c, run by porticoctl):
 *   GET  /admin/lifecycle                     portal admins: the overview;
 *        ?action=&rule=&user=&from=&to= filter the audit trail
 *   GET  /admin/lifecycle/audit.csv           the filtered trail as CSV
 *   POST /admin/lifecycle/users/{id}/enable   re-enable (reason) an account
 *        the lifecycle disabled and has not deleted yet
 *   POST /admin/lifecycle/exemptions          exempt an account (login, reason)
 *   POST /admin/lifecycle/exemptions/{id}/remove           (reason)
 *   POST /admin/lifecycle/group-exemptions    exempt a directory group
 *   POST /admin/lifecycle/group-exemptions/{id}/remove     (reason)
 *   POST /admin/lifecycle/sponsors            set an organisation's sponsor
 *   GET,POST /organisations/{slug}/attestation  the roster with keep/remove,
 *        for the organisation's partner admins, its sponsor and portal
 *        admins; anyone else gets the same 404 as for a missing one.
 * Every change is one transaction with an audit row (actor = the admin).
 *
 * XML (xslt/lifecycle/admin.xsl):
 *   <lifecycle inactivity-days="" grace-days="" attestation-days=""
 *       contact="" action="" rule="" user="" from="" to="">
 *     <upcoming><item kind="disable|delete|attestation" user="" login=""
 *       rule="" at=""/>...</upcoming>
 *     <grace><user id="" login="" name="" rule="" reason="" disabled-at=""
 *       delete-at=""/>...</grace>
 *     <exemptions><user id="" login="" name="" reason="" by="" at=""/>...
 *     </exemptions>
 *     <group-exemptions><group id="" name="" reason="" by="" at=""/>...
 *     </group-exemptions>
 *     <sponsors><organisation slug="" name="" sponsor="" sponsor-name=""
 *       attested-at="" due=""/>...</sponsors>
 *     <recent><entry .../>...</recent>
 *     <audit><entry id="" at="" actor="" action="" subject=""
 *       login="">detail</entry>...</audit>
 *   </lifecycle>
 * XML (xslt/lifecycle/attestation.xsl):
 *   <attestation slug="" name="" due="" attested-at="" days="" sponsor=""
 *       done="yes"?><user id="" login="" name="" email="" last-seen=""
 *       confirmed="yes|no" partner-admin="yes|no"/>...</attestation>
 *
 * To add a filter to the trail: a field in audit_fields, a clause and its
 * binds in AUDIT_WHERE and bind_filters(), an input in admin.xsl.  To add
 * an admin action: a route with PT_CSRF, a handler that audits, a form in
 * admin.xsl, a test in tests/integration/test_lifecycle_admin.py.
 */
#include <stdlib.h>
#include <string.h>

#include "portico.h"
#include "lifecycle.h"

#define AUDIT_PAGE_ROWS	200
#define AUDIT_CSV_ROWS	100000
#define ROSTER_MAX	5000

enum {
	STMT_UPCOMING,
	STMT_GRACE,
	STMT_EXEMPTIONS,
	STMT_GROUPS,
	STMT_SPONSORS,
	STMT_RECENT,
	STMT_AUDIT,
	STMT_ENABLE_GET,
	STMT_ENABLE,
	STMT_USER_BY_LOGIN,
	STMT_EXEMPT_ADD,
	STMT_EXEMPT_GET,
	STMT_EXEMPT_DEL,
	STMT_GROUP_ADD,
	STMT_GROUP_GET,
	STMT_GROUP_DEL,
	STMT_ORG,
	STMT_ROSTER,
	STMT_NOW,
	STMT_KEEP,
	STMT_REMOVE,
	STMT_ORG_ATTEST,
	STMT__MAX
};

#define AUDIT_COLS							\
	"a.id, a.at, COALESCE(ac.login, ''), a.action, "		\
	"COALESCE(a.subject_user_id, 0), COALESCE(su.login, ''), a.detail " \
	"FROM audit_log a LEFT JOIN users ac ON ac.id = a.actor_user_id " \
	"LEFT JOIN users su ON su.id = a.subject_user_id "
/* Binds: action x2, rule x2, user x2, from x2, to x2. */
#define AUDIT_WHERE							\
	"WHERE a.action LIKE 'lifecycle.%' "				\
	"AND (? IS NULL OR a.action = ?) "				\
	"AND (? IS NULL OR a.detail LIKE CONCAT('rule=', ?, ' %')) "	\
	"AND (? IS NULL OR su.login = ?) "				\
	"AND (? IS NULL OR a.at >= CAST(? AS DATE)) "			\
	"AND (? IS NULL OR a.at < CAST(? AS DATE) + INTERVAL 1 DAY) "

static const char *const stmts[STMT__MAX] = {
	/* Binds: days x3 (at, on, window), grace x2, att x3. */
	[STMT_UPCOMING] = "SELECT x.kind, x.user_id, x.login, x.rule, x.at "
	    "FROM (SELECT 'disable' AS kind, c.user_id, u.login, "
	    "CAST(c.rule AS CHAR) AS rule, "
	    "c.base + INTERVAL (c.scaled * ?) DAY AS at "
	    "FROM lifecycle_clock c JOIN users u ON u.id = c.user_id "
	    "WHERE (c.scaled = 0 OR ? > 0) "
	    "AND c.base + INTERVAL (c.scaled * ?) DAY "
	    "< UTC_TIMESTAMP() + INTERVAL 30 DAY "
	    "AND NOT EXISTS (SELECT 1 FROM lifecycle_exemptions e "
	    "WHERE e.user_id = c.user_id) "
	    "AND NOT EXISTS (SELECT 1 FROM user_groups g "
	    "JOIN lifecycle_group_exemptions x "
	    "ON x.group_hash = g.group_hash WHERE g.user_id = c.user_id) "
	    "UNION ALL SELECT 'delete', u.id, u.login, "
	    "CAST(u.lifecycle_rule AS CHAR), "
	    "u.lifecycle_disabled_at + INTERVAL ? DAY FROM users u "
	    "WHERE u.status = 'disabled' AND u.deleted_at IS NULL "
	    "AND u.lifecycle_disabled_at IS NOT NULL "
	    "AND u.disabled_at = u.lifecycle_disabled_at "
	    "AND u.lifecycle_disabled_at + INTERVAL ? DAY "
	    "< UTC_TIMESTAMP() + INTERVAL 30 DAY "
	    "UNION ALL SELECT 'attestation', 0, o.slug, 'attestation', "
	    "COALESCE(o.attested_at, o.created_at) + INTERVAL ? DAY "
	    "FROM organisations o WHERE ? > 0 AND o.kind = 'partner' "
	    "AND COALESCE(o.attested_at, o.created_at) + INTERVAL ? DAY "
	    "< UTC_TIMESTAMP() + INTERVAL 30 DAY) x "
	    "ORDER BY x.at, x.kind, x.user_id LIMIT 100",
	/* Binds: grace. */
	[STMT_GRACE] = "SELECT u.id, u.login, u.name, u.lifecycle_rule, "
	    "COALESCE(u.disabled_reason, ''), u.lifecycle_disabled_at, "
	    "u.lifecycle_disabled_at + INTERVAL ? DAY FROM users u "
	    "WHERE u.status = 'disabled' AND u.deleted_at IS NULL "
	    "AND u.lifecycle_rule IS NOT NULL "
	    "AND u.disabled_at = u.lifecycle_disabled_at "
	    "ORDER BY u.lifecycle_disabled_at DESC, u.id DESC LIMIT 100",
	[STMT_EXEMPTIONS] = "SELECT e.user_id, u.login, u.name, e.reason, "
	    "COALESCE(b.login, ''), e.exempted_at "
	    "FROM lifecycle_exemptions e JOIN users u ON u.id = e.user_id "
	    "LEFT JOIN users b ON b.id = e.exempted_by "
	    "ORDER BY u.login, e.user_id LIMIT 500",
	[STMT_GROUPS] = "SELECT x.id, x.group_name, x.reason, "
	    "COALESCE(b.login, ''), x.exempted_at "
	    "FROM lifecycle_group_exemptions x "
	    "LEFT JOIN users b ON b.id = x.exempted_by "
	    "ORDER BY x.group_name, x.id LIMIT 500",
	/* Binds: attestation days. */
	[STMT_SPONSORS] = "SELECT o.slug, o.name, COALESCE(s.login, ''), "
	    "COALESCE(s.name, ''), COALESCE(o.attested_at, ''), "
	    "COALESCE(o.attested_at, o.created_at) + INTERVAL ? DAY "
	    "FROM organisations o LEFT JOIN users s "
	    "ON s.id = o.sponsor_user_id WHERE o.kind = 'partner' "
	    "ORDER BY o.name, o.id LIMIT 200",
	[STMT_RECENT] = "SELECT " AUDIT_COLS "WHERE a.action LIKE 'lifecycle.%' "
	    "ORDER BY a.id DESC LIMIT 20",
	/* Binds: AUDIT_WHERE, limit. */
	[STMT_AUDIT] = "SELECT " AUDIT_COLS AUDIT_WHERE "ORDER BY a.id DESC LIMIT ?",
	[STMT_ENABLE_GET] = "SELECT lifecycle_rule, "
	    "COALESCE(disabled_reason, ''), login FROM users "
	    "WHERE id = ? AND status = 'disabled' AND deleted_at IS NULL "
	    "AND lifecycle_rule IS NOT NULL "
	    "AND disabled_at = lifecycle_disabled_at FOR UPDATE",
	/*
	 * Assigned left to right: attested_at reads the old rule.  The
	 * inactivity clock restarts now, or the next sweep would disable the
	 * account again at once.
	 */
	[STMT_ENABLE] = "UPDATE users SET attested_at = "
	    "IF(lifecycle_rule = 'attestation', UTC_TIMESTAMP(), attested_at), "
	    "status = 'active', disabled_reason = NULL, disabled_at = NULL, "
	    "lifecycle_rule = NULL, lifecycle_disabled_at = NULL, "
	    "last_seen_at = UTC_TIMESTAMP() WHERE id = ?",
	/* Of a person's accounts with one login, the one used last. */
	[STMT_USER_BY_LOGIN] = "SELECT id FROM users WHERE login = ? "
	    "AND deleted_at IS NULL "
	    "ORDER BY last_login_at IS NULL, last_login_at DESC, id DESC "
	    "LIMIT 1",
	[STMT_EXEMPT_ADD] = "INSERT INTO lifecycle_exemptions (user_id, "
	    "reason, exempted_by) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "reason = VALUES(reason), exempted_by = VALUES(exempted_by), "
	    "exempted_at = UTC_TIMESTAMP()",
	/* The exemption's reason and what it exempted, for the audit row. */
	[STMT_EXEMPT_GET] = "SELECT e.reason, CONCAT('login=', u.login) "
	    "FROM lifecycle_exemptions e JOIN users u ON u.id = e.user_id "
	    "WHERE e.user_id = ? FOR UPDATE",
	[STMT_EXEMPT_DEL] = "DELETE FROM lifecycle_exemptions WHERE user_id = ?",
	[STMT_GROUP_ADD] = "INSERT INTO lifecycle_group_exemptions "
	    "(group_hash, group_name, reason, exempted_by) "
	    "VALUES (UNHEX(SHA2(?, 256)), ?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "reason = VALUES(reason), exempted_by = VALUES(exempted_by), "
	    "exempted_at = UTC_TIMESTAMP()",
	[STMT_GROUP_GET] = "SELECT reason, CONCAT('group=\"', group_name, "
	    "'\"') FROM lifecycle_group_exemptions WHERE id = ? FOR UPDATE",
	[STMT_GROUP_DEL] = "DELETE FROM lifecycle_group_exemptions WHERE id = ?",
	/* Binds: attestation days, slug. */
	[STMT_ORG] = "SELECT o.id, o.name, COALESCE(o.sponsor_user_id, 0), "
	    "COALESCE(o.attested_at, o.created_at) + INTERVAL ? DAY, "
	    "COALESCE(o.attested_at, ''), COALESCE(s.name, s.login, '') "
	    "FROM organisations o LEFT JOIN users s "
	    "ON s.id = o.sponsor_user_id "
	    "WHERE o.slug = ? AND o.kind = 'partner'",
	/* Binds: organisation, limit. */
	[STMT_ROSTER] = "SELECT u.id, u.login, u.name, u.email, "
	    "COALESCE(u.last_seen_at, u.last_login_at, ''), "
	    "u.attested_at IS NOT NULL AND u.attested_at >= "
	    "COALESCE(o.attested_at, o.created_at), "
	    "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id "
	    "AND r.role = 'partner_admin') "
	    "FROM users u JOIN organisations o ON o.id = u.organisation_id "
	    "WHERE u.organisation_id = ? AND u.status = 'active' "
	    "AND u.deleted_at IS NULL ORDER BY u.login, u.id LIMIT ?",
	/* One instant for the whole attestation. */
	[STMT_NOW] = "SELECT UTC_TIMESTAMP()",
	/* Binds: now, user, organisation. */
	[STMT_KEEP] = "UPDATE users SET attested_at = ? WHERE id = ? "
	    "AND organisation_id = ? AND status = 'active' "
	    "AND deleted_at IS NULL",
	/* Binds: reason, now, user, organisation. */
	[STMT_REMOVE] = "UPDATE users u SET u.status = 'disabled', "
	    "u.disabled_reason = ?, u.disabled_at = ?, "
	    "u.lifecycle_rule = 'attestation', "
	    "u.lifecycle_disabled_at = u.disabled_at "
	    "WHERE u.id = ? AND u.organisation_id = ? "
	    "AND u.status = 'active' AND u.deleted_at IS NULL",
	/* Binds: now, organisation. */
	[STMT_ORG_ATTEST] = "UPDATE organisations SET attested_at = ? "
	    "WHERE id = ?",
};

static const struct pt_field audit_fields[] = {
	{ "action", PT_F_TEXT, PT_IN_QUERY, false, 0, 64 },
	/* One of rules[] (a slug would refuse org_term). */
	{ "rule", PT_F_TEXT, PT_IN_QUERY, false, 0, 32 },
	{ "user", PT_F_TEXT, PT_IN_QUERY, false, 0, 255 },
	{ "from", PT_F_TEXT, PT_IN_QUERY, false, 0, 10 },
	{ "to", PT_F_TEXT, PT_IN_QUERY, false, 0, 10 },
	{ .name = NULL }
};
static const struct pt_field enable_fields[] = {
	{ "id", PT_F_INT, PT_IN_PATH, true, 1, INT64_MAX },
	{ "reason", PT_F_TEXT, PT_IN_BODY, true, 1, 255 },
	{ .name = NULL }
};
static const struct pt_field exempt_fields[] = {
	{ "login", PT_F_TEXT, PT_IN_BODY, true, 1, 255 },
	{ "reason", PT_F_TEXT, PT_IN_BODY, true, 1, 255 },
	{ .name = NULL }
};
static const struct pt_field group_fields[] = {
	{ "group", PT_F_TEXT, PT_IN_BODY, true, 1, 1024 },
	{ "reason", PT_F_TEXT, PT_IN_BODY, true, 1, 255 },
	{ .name = NULL }
};
static const struct pt_field sponsor_fields[] = {
	{ "organisation", PT_F_SLUG, PT_IN_BODY, true, 1, 64 },
	{ "sponsor", PT_F_TEXT, PT_IN_BODY, false, 0, 255 },
	{ .name = NULL }
};
static const struct pt_field attest_get_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "done", PT_F_BOOL, PT_IN_QUERY, false, 0, 0 },
	{ .name = NULL }
};
/*
 * The roster form sends the ids it showed ("roster", comma-separated) and
 * one "remove" field per user ticked for removal; everyone else shown is
 * kept.  So a roster of thousands posts a handful of fields, well inside
 * [limits] fields_max, and a user who joined after the page was loaded
 * is never kept unseen.
 */
static const struct pt_field attest_post_fields[] = {
	{ "slug", PT_F_SLUG, PT_IN_PATH, true, 1, 64 },
	{ "roster", PT_F_TEXT, PT_IN_BODY, true, 0, ROSTER_MAX * 21 },
	{ .name = NULL }
};

static bool
is_admin(const struct pt_req *r)
{
	return r->sess != NULL &&
	    (r->sess->roles & (1u << PT_ROLE_PORTAL_ADMIN)) != 0;
}

/* Empty or absent query values filter nothing. */
static const char *
opt(const struct pt_req *r, const char *name)
{
	const char *v = pt_req_str(r, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static void
bind_opt(struct pt_stmt *st, unsigned int k, const char *v)
{
	if (v != NULL)
		pt_db_bind_text(st, k, v);
	else
		pt_db_bind_null(st, k);
}

/*
 * True if s is a real YYYY-MM-DD day from 1970 on (the sweep's --now
 * check, at midnight).  MariaDB casts an impossible day (2026-02-31) to
 * NULL, which would silently filter out every row instead of telling the
 * admin.
 */
static bool
date_ok(struct pt_req *r, const char *s)
{
	return strlen(s) == 10 &&
	    pt_lifecycle_now_ok(pt_printf(r->arena, "%s 00:00:00", s));
}

/* Checks the trail filters; 200 or a 400 page. */
static int
filters_check(struct pt_req *r)
{
	/* Every rule= an audit row of the lifecycle names. */
	static const char *const rules[] = { "inactivity", "term", "org_term",
	    "attestation", "directory", "invitation", "exemption" };
	const char *action = opt(r, "action"), *from = opt(r, "from"),
	    *to = opt(r, "to"), *rule = opt(r, "rule");
	size_t	 i;

	if (rule != NULL) {
		for (i = 0; i < PT_NELEM(rules); i++)
			if (strcmp(rule, rules[i]) == 0)
				break;
		if (i == PT_NELEM(rules))
			return pt_req_error(r, 400, "The rule filter takes "
			    "inactivity, term, org_term, attestation, "
			    "directory, invitation or exemption.");
	}

	if (action != NULL && strncmp(action, "lifecycle.", 10) != 0)
		return pt_req_error(r, 400, "The action filter takes a "
		    "lifecycle action, such as lifecycle.disable.");
	if ((from != NULL && !date_ok(r, from)) ||
	    (to != NULL && !date_ok(r, to)))
		return pt_req_error(r, 400, "Dates are written YYYY-MM-DD.");
	return 200;
}

static void
bind_filters(struct pt_req *r, struct pt_stmt *st)
{
	static const char *const names[] = { "action", "rule", "user", "from",
	    "to" };
	size_t i;

	for (i = 0; i < PT_NELEM(names); i++) {
		bind_opt(st, 2 * i, opt(r, names[i]));
		bind_opt(st, 2 * i + 1, opt(r, names[i]));
	}
}

/* The audit trail as <entry> elements under parent. */
static int
entries(struct pt_stmt *st, xmlNodePtr parent)
{
	xmlNodePtr	 e;
	int		 rc;

	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		e = pt_xml_text(parent, "entry", pt_db_col_text(st, 6));
		pt_xml_attr(e, "id", pt_db_col_text(st, 0));
		pt_xml_attr(e, "at", pt_db_col_text(st, 1));
		pt_xml_attr(e, "actor", pt_db_col_text(st, 2));
		pt_xml_attr(e, "action", pt_db_col_text(st, 3));
		pt_xml_attr(e, "subject", pt_db_col_text(st, 4));
		pt_xml_attr(e, "login", pt_db_col_text(st, 5));
	}
	return rc == PT_DECLINED ? PT_OK : PT_ERR;
}

/* ------------------------------------------------------ the overview */

static int
section(struct pt_req *r, xmlNodePtr parent, int which, const char *name,
    const char *row, const char *const *attrs, size_t nattrs, int64_t bind)
{
	struct pt_stmt	*st;
	xmlNodePtr	 sec, e;
	size_t		 i;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[which])) == NULL)
		return PT_ERR;
	if (bind >= 0)
		pt_db_bind_int(st, 0, bind);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	sec = pt_xml_elem(parent, name);
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		e = pt_xml_elem(sec, row);
		for (i = 0; i < nattrs; i++)
			pt_xml_attr(e, attrs[i], pt_db_col_text(st, i));
	}
	return rc == PT_DECLINED ? PT_OK : PT_ERR;
}

static int
admin_get(struct pt_req *r, xmlNodePtr out)
{
	static const char *const grace[] = { "id", "login", "name", "rule",
	    "reason", "disabled-at", "delete-at" };
	static const char *const exempt[] = { "id", "login", "name", "reason",
	    "by", "at" };
	static const char *const groups[] = { "id", "name", "reason", "by",
	    "at" };
	static const char *const sponsors[] = { "slug", "name", "sponsor",
	    "sponsor-name", "attested-at", "due" };
	static const char *const upcoming[] = { "kind", "user", "login",
	    "rule", "at" };
	const struct pt_config	*cfg = r->cfg;
	struct pt_stmt		*st;
	xmlNodePtr		 lc;
	unsigned int		 k = 0;
	int			 status;
	static const char *const names[] = { "action", "rule", "user", "from",
	    "to" };
	size_t			 i;

	if ((status = filters_check(r)) != 200)
		return status;
	lc = pt_xml_elem(out, "lifecycle");
	pt_xml_attr(lc, "enabled", cfg->lifecycle_enabled ? "yes" : "no");
	pt_xml_attr_int(lc, "inactivity-days", cfg->lifecycle_inactivity_days);
	pt_xml_attr(lc, "warn-days", cfg->lifecycle_warn_days);
	pt_xml_attr_int(lc, "grace-days", cfg->lifecycle_grace_days);
	pt_xml_attr_int(lc, "attestation-days",
	    cfg->lifecycle_attestation_days);
	pt_xml_attr(lc, "deprovision", cfg->lifecycle_deprovision ? "yes" :
	    "no");
	pt_xml_attr(lc, "contact", cfg->lifecycle_contact);
	for (i = 0; i < PT_NELEM(names); i++)
		if (opt(r, names[i]) != NULL)
			pt_xml_attr(lc, names[i], opt(r, names[i]));

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_UPCOMING])) == NULL)
		return 500;
	for (i = 0; i < 3; i++)
		pt_db_bind_int(st, k++, cfg->lifecycle_inactivity_days);
	pt_db_bind_int(st, k++, cfg->lifecycle_grace_days);
	pt_db_bind_int(st, k++, cfg->lifecycle_grace_days);
	for (i = 0; i < 3; i++)
		pt_db_bind_int(st, k++, cfg->lifecycle_attestation_days);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	{
		xmlNodePtr	 sec = pt_xml_elem(lc, "upcoming"), e;
		int		 rc;

		while ((rc = pt_db_fetch(st)) == PT_OK) {
			e = pt_xml_elem(sec, "item");
			for (i = 0; i < PT_NELEM(upcoming); i++)
				pt_xml_attr(e, upcoming[i],
				    pt_db_col_text(st, i));
		}
		if (rc != PT_DECLINED)
			return 500;
	}
	if (section(r, lc, STMT_GRACE, "grace", "user", grace,
	    PT_NELEM(grace), cfg->lifecycle_grace_days) != PT_OK ||
	    section(r, lc, STMT_EXEMPTIONS, "exemptions", "user", exempt,
	    PT_NELEM(exempt), -1) != PT_OK ||
	    section(r, lc, STMT_GROUPS, "group-exemptions", "group", groups,
	    PT_NELEM(groups), -1) != PT_OK ||
	    section(r, lc, STMT_SPONSORS, "sponsors", "organisation", sponsors,
	    PT_NELEM(sponsors), cfg->lifecycle_attestation_days) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_RECENT])) == NULL ||
	    entries(st, pt_xml_elem(lc, "recent")) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_AUDIT])) == NULL)
		return 500;
	bind_filters(r, st);
	pt_db_bind_int(st, 10, AUDIT_PAGE_ROWS);
	if (entries(st, pt_xml_elem(lc, "audit")) != PT_OK)
		return 500;
	return 200;
}

/* ------------------------------------------------------------ CSV */

/*
 * One CSV cell: always quoted, quotes doubled (RFC 4180; rows end in LF,
 * which every spreadsheet reads, so no CR LF literal is needed outside the
 * mail builder); a cell a spreadsheet would
 * take for a formula (= + - @, or a leading tab or CR) gets a leading
 * apostrophe (OWASP "CSV injection").
 */
static void
csv_cell(FILE *fp, const char *s, bool last)
{
	fputc('"', fp);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputs(last ? "\"\n" : "\",", fp);
}

static int
audit_csv(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	FILE		*fp;
	char		*mem = NULL, *body;
	size_t		 len = 0;
	unsigned int	 i;
	int		 rc, status;

	(void)out;
	if ((status = filters_check(r)) != 200)
		return status;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_AUDIT])) == NULL)
		return 500;
	bind_filters(r, st);
	pt_db_bind_int(st, 10, AUDIT_CSV_ROWS);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	if ((fp = open_memstream(&mem, &len)) == NULL)
		abort();
	fputs("id,at,actor,action,subject_id,subject_login,detail\n", fp);
	while ((rc = pt_db_fetch(st)) == PT_OK)
		for (i = 0; i < 7; i++)
			csv_cell(fp, pt_db_col_text(st, i), i == 6);
	fclose(fp);
	if (rc != PT_DECLINED) {
		free(mem);
		return 500;
	}
	body = pt_alloc(r->arena, len + 1);
	memcpy(body, mem, len + 1);
	free(mem);
	if (pt_resp_header(r, "Content-Disposition",
	    "attachment; filename=\"lifecycle-audit.csv\"") != PT_OK)
		return 500;
	pt_resp_raw(r, "text/csv; charset=utf-8", body, len);
	return 200;
}

/* --------------------------------------------------------- actions */

static int
back(struct pt_req *r, const char *to)
{
	return pt_resp_redirect(r, to) == 303 ? 303 : 500;
}

static int
enable_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	int64_t		 user = pt_req_int(r, "id", 0);
	const char	*reason = pt_req_str(r, "reason"), *detail;
	int		 rc;

	(void)out;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ENABLE_GET])) ==
	    NULL)
		goto fail;
	pt_db_bind_int(st, 0, user);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		goto fail;
	if (rc == PT_DECLINED) {
		pt_db_rollback(r->db);
		return pt_req_error(r, 409, "This account is not disabled by "
		    "the access lifecycle, or its grace period is over and its "
		    "personal data is already deleted.");
	}
	detail = pt_printf(r->arena, "rule=%s reason=\"%s\" was=\"%s\" "
	    "login=%s", pt_db_col_text(st, 0), reason, pt_db_col_text(st, 1),
	    pt_db_col_text(st, 2));
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ENABLE])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, user);
	if (pt_db_exec(st) != PT_OK ||
	    pt_audit(r->db, r->arena, r->sess->user_id, "lifecycle.enable",
	    user, detail, r->id) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	return back(r, "/admin/lifecycle");
fail:
	pt_db_rollback(r->db);
	return 500;
}

static int
exempt_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	const char	*login = pt_req_str(r, "login"),
			*reason = pt_req_str(r, "reason");
	int64_t		 user = 0;
	int		 rc;

	(void)out;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_USER_BY_LOGIN])) ==
	    NULL)
		goto fail;
	pt_db_bind_text(st, 0, login);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if ((rc = pt_db_fetch(st)) == PT_OK)
		user = pt_db_col_int(st, 0);
	if (rc == PT_ERR)
		goto fail;
	if (user == 0) {
		pt_db_rollback(r->db);
		return pt_req_error(r, 400, "No account has that login.");
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_EXEMPT_ADD])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, user);
	pt_db_bind_text(st, 1, reason);
	pt_db_bind_int(st, 2, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK ||
	    pt_audit(r->db, r->arena, r->sess->user_id, "lifecycle.exempt",
	    user, pt_printf(r->arena, "rule=exemption reason=\"%s\" login=%s",
	    reason, login), r->id) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	return back(r, "/admin/lifecycle");
fail:
	pt_db_rollback(r->db);
	return 500;
}

/*
 * Ends an exemption, of an account (get/del by user id) or of a group (by
 * exemption id): reads it for the audit row, deletes it and audits, in one
 * transaction.  subject is the account for the audit row, 0 for a group.
 */
static int
exemption_end(struct pt_req *r, int get, int del, int64_t id,
    int64_t subject, const char *action, const char *missing)
{
	struct pt_stmt	*st;
	const char	*detail;
	int		 rc;

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[get])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		goto fail;
	if (rc == PT_DECLINED) {
		pt_db_rollback(r->db);
		return pt_req_error(r, 404, "%s", missing);
	}
	detail = pt_printf(r->arena, "rule=exemption reason=\"%s\" "
	    "was=\"%s\" %s", pt_req_str(r, "reason"), pt_db_col_text(st, 0),
	    pt_db_col_text(st, 1));
	if ((st = pt_db_stmt(r->db, r->arena, stmts[del])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK || pt_audit(r->db, r->arena,
	    r->sess->user_id, action, subject, detail, r->id) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	return back(r, "/admin/lifecycle");
fail:
	pt_db_rollback(r->db);
	return 500;
}

static int
unexempt_post(struct pt_req *r, xmlNodePtr out)
{
	int64_t	 user = pt_req_int(r, "id", 0);

	(void)out;
	return exemption_end(r, STMT_EXEMPT_GET, STMT_EXEMPT_DEL, user, user,
	    "lifecycle.unexempt", "This account is not exempt.");
}

static int
group_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;
	const char	*group = pt_req_str(r, "group"),
			*reason = pt_req_str(r, "reason");

	(void)out;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_GROUP_ADD])) == NULL)
		goto fail;
	pt_db_bind_text(st, 0, group);
	pt_db_bind_text(st, 1, group);
	pt_db_bind_text(st, 2, reason);
	pt_db_bind_int(st, 3, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK ||
	    pt_audit(r->db, r->arena, r->sess->user_id,
	    "lifecycle.exempt_group", 0, pt_printf(r->arena,
	    "rule=exemption reason=\"%s\" group=\"%s\"", reason, group),
	    r->id) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	return back(r, "/admin/lifecycle");
fail:
	pt_db_rollback(r->db);
	return 500;
}

static int
ungroup_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return exemption_end(r, STMT_GROUP_GET, STMT_GROUP_DEL,
	    pt_req_int(r, "id", 0), 0, "lifecycle.unexempt_group",
	    "No such group exemption.");
}

static int
sponsor_post(struct pt_req *r, xmlNodePtr out)
{
	const char	*why;

	(void)out;
	switch (pt_lifecycle_set_sponsor(r->db, r->arena,
	    pt_req_str(r, "organisation"), pt_req_str(r, "sponsor"),
	    r->sess->user_id, r->id, &why)) {
	case PT_OK:
		return back(r, "/admin/lifecycle");
	case PT_DECLINED:
		return pt_req_error(r, 400, "%s", why);
	default:
		return 500;
	}
}

/* ------------------------------------------------------ attestation */

struct org {
	int64_t		 id;
	const char	*slug, *name, *due, *attested, *sponsor;
	int64_t		 sponsor_id;
};

/*
 * Loads the organisation of the route and checks that the reader may
 * attest it.  PT_OK, PT_DECLINED (missing or not theirs: the caller
 * answers the one 404), PT_ERR.
 */
static int
org_load(struct pt_req *r, struct org *o)
{
	struct pt_stmt	*st;
	int		 rc;

	memset(o, 0, sizeof(*o));
	o->slug = pt_req_str(r, "slug");
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, r->cfg->lifecycle_attestation_days);
	pt_db_bind_text(st, 1, o->slug);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_DECLINED)
		return PT_DECLINED;
	o->id = pt_db_col_int(st, 0);
	o->name = pt_db_col_text(st, 1);
	o->sponsor_id = pt_db_col_int(st, 2);
	o->due = pt_db_col_text(st, 3);
	o->attested = pt_db_col_text(st, 4);
	o->sponsor = pt_db_col_text(st, 5);
	if (is_admin(r) || (o->sponsor_id != 0 &&
	    r->sess->user_id == o->sponsor_id) ||
	    (r->sess->org_id == o->id &&
	    (r->sess->roles & (1u << PT_ROLE_PARTNER_ADMIN)) != 0))
		return PT_OK;
	return PT_DECLINED;
}

static int
not_found(struct pt_req *r)
{
	return pt_req_error(r, 404, "There is no such page.");
}

/* The roster page; error, if set, is shown above it (status 400). */
static int
attest_page(struct pt_req *r, xmlNodePtr out, const struct org *o,
    const char *error)
{
	struct pt_stmt	*st;
	xmlNodePtr	 at, u;
	const char	*roster = "";
	int		 rc;

	at = pt_xml_elem(out, "attestation");
	pt_xml_attr(at, "slug", o->slug);
	pt_xml_attr(at, "name", o->name);
	pt_xml_attr_int(at, "days", r->cfg->lifecycle_attestation_days);
	if (r->cfg->lifecycle_attestation_days > 0)
		pt_xml_attr(at, "due", o->due);
	pt_xml_attr(at, "attested-at", o->attested);
	pt_xml_attr(at, "sponsor", o->sponsor);
	if (pt_req_int(r, "done", 0) == 1)
		pt_xml_attr(at, "done", "yes");
	if (error != NULL) {
		pt_xml_text(at, "error", error);
		r->keep_page = true;
		r->error = error;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ROSTER])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, o->id);
	pt_db_bind_int(st, 1, ROSTER_MAX);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		u = pt_xml_elem(at, "user");
		pt_xml_attr(u, "id", pt_db_col_text(st, 0));
		pt_xml_attr(u, "login", pt_db_col_text(st, 1));
		pt_xml_attr(u, "name", pt_db_col_text(st, 2));
		pt_xml_attr(u, "email", pt_db_col_text(st, 3));
		pt_xml_attr(u, "last-seen", pt_db_col_text(st, 4));
		pt_xml_attr(u, "confirmed", pt_db_col_int(st, 5) ? "yes" :
		    "no");
		pt_xml_attr(u, "partner-admin", pt_db_col_int(st, 6) ? "yes" :
		    "no");
		roster = pt_printf(r->arena, "%s%s%s", roster,
		    *roster != '\0' ? "," : "", pt_db_col_text(st, 0));
	}
	if (rc != PT_DECLINED)
		return 500;
	pt_xml_attr(at, "roster", roster);
	return error != NULL ? 400 : 200;
}

static int
attest_get(struct pt_req *r, xmlNodePtr out)
{
	struct org o;

	switch (org_load(r, &o)) {
	case PT_OK:
		return attest_page(r, out, &o, NULL);
	case PT_DECLINED:
		return not_found(r);
	default:
		return 500;
	}
}

/* True if id (as text) is in the comma-separated list. */
static bool
in_list(const char *list, const char *id)
{
	size_t	 n = strlen(id), len;

	for (; *list != '\0'; list += len + (list[len] == ',')) {
		len = strcspn(list, ",");
		if (len == n && strncmp(list, id, n) == 0)
			return true;
	}
	return false;
}

/* 'r' if the form ticks user id for removal, else 'k'. */
static char
decision(const struct pt_req *r, const char *id)
{
	size_t	 i;

	for (i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].key, "remove") == 0 &&
		    strcmp(r->form.v[i].val, id) == 0)
			return 'r';
	return 'k';
}

static int
attest_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st, *u;
	struct org	 o;
	const char	*now, *reason, *shown, *id;
	int64_t		*ids;
	char		*dec;
	size_t		 n = 0, i, kept = 0, removed = 0, ticked = 0, asked = 0;
	int		 rc;

	switch (org_load(r, &o)) {
	case PT_OK:
		break;
	case PT_DECLINED:
		return not_found(r);
	default:
		return 500;
	}
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_NOW])) == NULL ||
	    pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		goto fail;
	now = pt_db_col_text(st, 0);
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ROSTER])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, o.id);
	pt_db_bind_int(st, 1, ROSTER_MAX);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	ids = pt_alloc(r->arena, ROSTER_MAX * sizeof(*ids));
	dec = pt_alloc(r->arena, ROSTER_MAX);
	shown = pt_req_str(r, "roster");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		id = pt_db_col_text(st, 0);
		if (!in_list(shown, id)) {
			pt_db_rollback(r->db);
			return attest_page(r, out, &o, "The roster has changed "
			    "since this page was loaded. Please review it again "
			    "and confirm.");
		}
		ids[n] = pt_db_col_int(st, 0);
		dec[n] = decision(r, id);
		if (dec[n] == 'r')
			ticked++;
		n++;
	}
	if (rc != PT_DECLINED)
		goto fail;
	/* A ticked id not on the roster: say so, change nothing. */
	for (i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].key, "remove") == 0)
			asked++;
	if (asked != ticked) {
		pt_db_rollback(r->db);
		return attest_page(r, out, &o, "Some of the people ticked for "
		    "removal are no longer on the roster. Please review it "
		    "again and confirm.");
	}
	reason = pt_printf(r->arena, "removed from the roster of %s by %s",
	    o.slug, r->sess->login);
	for (i = 0; i < n; i++) {
		if ((u = pt_db_stmt(r->db, r->arena,
		    stmts[dec[i] == 'k' ? STMT_KEEP : STMT_REMOVE])) == NULL)
			goto fail;
		if (dec[i] == 'k') {
			pt_db_bind_text(u, 0, now);
			pt_db_bind_int(u, 1, ids[i]);
			pt_db_bind_int(u, 2, o.id);
			kept++;
		} else {
			pt_db_bind_text(u, 0, reason);
			pt_db_bind_text(u, 1, now);
			pt_db_bind_int(u, 2, ids[i]);
			pt_db_bind_int(u, 3, o.id);
			removed++;
		}
		if (pt_db_exec(u) != PT_OK)
			goto fail;
		if (dec[i] == 'r' && (pt_sess_end_user(r->db, r->arena, ids[i],
		    "lifecycle: removed at attestation") != PT_OK ||
		    pt_audit(r->db, r->arena, r->sess->user_id,
		    "lifecycle.disable", ids[i], pt_printf(r->arena,
		    "rule=attestation reason=\"%s\"", reason), r->id) != PT_OK))
			goto fail;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG_ATTEST])) == NULL)
		goto fail;
	pt_db_bind_text(st, 0, now);
	pt_db_bind_int(st, 1, o.id);
	if (pt_db_exec(st) != PT_OK ||
	    pt_audit(r->db, r->arena, r->sess->user_id, "lifecycle.attest", 0,
	    pt_printf(r->arena, "rule=attestation organisation=%s kept=%zu "
	    "removed=%zu", o.slug, kept, removed), r->id) != PT_OK)
		goto fail;
	if (pt_db_commit(r->db) != PT_OK)
		return 500;
	return back(r, pt_printf(r->arena, "/organisations/%s/attestation"
	    "?done=1", o.slug));
fail:
	pt_db_rollback(r->db);
	return 500;
}

static const struct pt_route routes[] = {
	{ "/admin/lifecycle", PT_GET, PT_ACCESS_ADMIN, PT_XMLVIEW,
	    audit_fields, "lifecycle/admin.xsl", admin_get },
	{ "/admin/lifecycle/audit.csv", PT_GET, PT_ACCESS_ADMIN, PT_RAW,
	    audit_fields, NULL, audit_csv },
	{ "/admin/lifecycle/users/{id}/enable", PT_POST, PT_ACCESS_ADMIN,
	    PT_CSRF, enable_fields, "lifecycle/admin.xsl", enable_post },
	{ "/admin/lifecycle/exemptions", PT_POST, PT_ACCESS_ADMIN, PT_CSRF,
	    exempt_fields, "lifecycle/admin.xsl", exempt_post },
	{ "/admin/lifecycle/exemptions/{id}/remove", PT_POST, PT_ACCESS_ADMIN,
	    PT_CSRF, enable_fields, "lifecycle/admin.xsl", unexempt_post },
	{ "/admin/lifecycle/group-exemptions", PT_POST, PT_ACCESS_ADMIN,
	    PT_CSRF, group_fields, "lifecycle/admin.xsl", group_post },
	{ "/admin/lifecycle/group-exemptions/{id}/remove", PT_POST,
	    PT_ACCESS_ADMIN, PT_CSRF, enable_fields, "lifecycle/admin.xsl",
	    ungroup_post },
	{ "/admin/lifecycle/sponsors", PT_POST, PT_ACCESS_ADMIN, PT_CSRF,
	    sponsor_fields, "lifecycle/admin.xsl", sponsor_post },
	/* Partner admins of the organisation, its sponsor, portal admins. */
	{ "/organisations/{slug}/attestation", PT_GET, PT_ACCESS_USER,
	    PT_XMLVIEW, attest_get_fields, "lifecycle/attestation.xsl",
	    attest_get },
	{ "/organisations/{slug}/attestation", PT_POST, PT_ACCESS_USER,
	    PT_CSRF, attest_post_fields, "lifecycle/attestation.xsl",
	    attest_post },
	{ .path = NULL },
};

const struct pt_module pt_mod_lifecycle = {
	.name = "lifecycle",
	.routes = routes,
};
