/*
 * lifecycle.c - access lifecycle: no partner account outlives the policy.
 *
 * Rules ([lifecycle] in portico.conf, sql/0009_lifecycle.sql):
 *  - inactivity: no sign-in or activity for inactivity_days, counted from
 *    last_seen_at, else last_login_at, else created_at;
 *  - term: users.valid_until has passed;
 *  - org_term: the organisation's access_valid_until has passed (it takes
 *    all its users with it).
 * Actions, in this order: warn (warn_days before a deadline, one mail per
 * stage and deadline, the most urgent stage only when a run was missed),
 * disable at the deadline (status, reason, disabled_at; every session
 * ended; a notice mailed), delete grace_days after the lifecycle disabled
 * the account (name becomes "former member of <organisation>", email,
 * login, external id, groups, roles, directory memberships and sessions
 * with their client addresses removed;
 * the row and its id stay so authored content keeps an author).  Accounts
 * in lifecycle_exemptions are skipped.  Every action writes an audit row
 * (action lifecycle.warn|disable|delete, actor NULL = the system, detail:
 * rule, reason, the --now instant and the policy values).
 *
 * Set-wise: every step is one statement over a batch of accounts (INSERT
 * ... SELECT of warnings and audit rows, UPDATE ... ORDER BY id LIMIT
 * batch), never one query per account, except what is per person by
 * nature: the mail (pt_mail_queue renders a template) and ending sessions
 * (pt_sess_end_user).  Each batch is one transaction, mails included
 * (pt_mail_queue writes in the caller's transaction), so a run killed half
 * way leaves whole batches done and the next run completes the rest.
 * Accounts acted on by the batch in progress are marked in
 * users.lifecycle_todo (disable, delete) or lifecycle_warnings.sent_at IS
 * NULL (warn) until the batch commits.  Idempotent: an account once
 * warned for a deadline has a lifecycle_warnings row (unique), a disabled
 * one is no longer active, a deleted one has deleted_at; and the mail
 * dedup key "lifecycle:RULE:STAGE:USER:DEADLINE" guards the outbox too.
 * Plan uses the same WHERE clauses (macros below) with SELECT, so it
 * prints exactly what run does.  One run at a time (GET_LOCK).
 *
 * API: lifecycle.h.  To add a rule: add it to the lifecycle_clock view
 * (a new migration), to the ENUMs of users.lifecycle_rule and
 * lifecycle_warnings.rule, to RULE_CASE/DUE_WHERE/REASON_BY below, and to
 * xslt/mail/lifecycle-warning.xsl.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portico.h"
#include "lifecycle.h"
#include "mail.h"

#define LOCK_NAME	"portico_lifecycle"

enum {
	STMT_LOCK,
	STMT_UNLOCK,
	STMT_WARN_PLAN,
	STMT_WARN_INSERT,
	STMT_WARN_PENDING,
	STMT_WARN_AUDIT,
	STMT_WARN_SENT,
	STMT_DISABLE_PLAN,
	STMT_DISABLE,
	STMT_TODO_DISABLED,
	STMT_DISABLE_AUDIT,
	STMT_TODO_CLEAR,
	STMT_DELETE_PLAN,
	STMT_DELETE_MARK,
	STMT_TODO_DELETED,
	STMT_DELETE_AUDIT,
	STMT_DEL_GROUPS,
	STMT_DEL_ROLES,
	STMT_DEL_MEMBERSHIPS,
	STMT_DEL_SESSIONS,
	STMT_SCRUB,
	STMT_EXEMPT_PLAN,
	STMT__MAX
};

#define T_	"CAST(? AS DATETIME)"
#define NOT_EXEMPT(id)							\
	"NOT EXISTS (SELECT 1 FROM lifecycle_exemptions e "		\
	"WHERE e.user_id = " id ")"

/* Deadlines of the running clocks.  Binds: inactivity_days twice. */
#define DUE								\
	"(SELECT c.user_id, c.rule, c.base, "				\
	"c.base + INTERVAL (c.scaled * ?) DAY AS deadline "		\
	"FROM lifecycle_clock c WHERE c.scaled = 0 OR ? > 0) d "	\
	"JOIN users u ON u.id = d.user_id "				\
	"LEFT JOIN organisations o ON o.id = u.organisation_id "
#define WARN_REASON							\
	"CASE d.rule "							\
	"WHEN 'inactivity' THEN "					\
	"CONCAT('no sign-in or activity since ', d.base) "		\
	"WHEN 'term' THEN CONCAT('account valid until ', d.base) "	\
	"ELSE CONCAT('organisation ', o.slug, ' access valid until ', "	\
	"d.base) END"
/*
 * In the window of a stage: stage days before the deadline or less, but
 * more than the next (smaller) stage.  Binds: stage, now, now, next,
 * stage.
 */
#define WARN_WHERE							\
	"WHERE d.deadline - INTERVAL ? DAY <= " T_ " "			\
	"AND " T_ " < d.deadline - INTERVAL ? DAY "			\
	"AND " NOT_EXEMPT("d.user_id") " "				\
	"AND NOT EXISTS (SELECT 1 FROM lifecycle_warnings w "		\
	"WHERE w.user_id = d.user_id AND w.rule = d.rule "		\
	"AND w.stage = ? AND w.deadline = d.deadline) "

/* The rule that disables an account, first match wins.  Binds: now x2. */
#define RULE_CASE(U)							\
	"CASE WHEN " U ".valid_until <= " T_ " THEN 'term' "		\
	"WHEN EXISTS (SELECT 1 FROM organisations o "			\
	"WHERE o.id = " U ".organisation_id "				\
	"AND o.access_valid_until <= " T_ ") THEN 'org_term' "		\
	"ELSE 'inactivity' END"
/* Accounts due to be disabled.  Binds: now, now, days, now, days. */
#define DUE_WHERE(U)							\
	"WHERE " U ".status = 'active' AND " U ".deleted_at IS NULL "	\
	"AND " NOT_EXEMPT(U ".id") " "					\
	"AND (" U ".valid_until <= " T_ " "				\
	"OR EXISTS (SELECT 1 FROM organisations o "			\
	"WHERE o.id = " U ".organisation_id "				\
	"AND o.access_valid_until <= " T_ ") "				\
	"OR (? > 0 AND COALESCE(" U ".last_seen_at, " U ".last_login_at, " \
	U ".created_at) <= " T_ " - INTERVAL ? DAY)) "
#define REASON_BY(R, U)							\
	"CASE " R " "							\
	"WHEN 'term' THEN CONCAT('account valid until ', "		\
	U ".valid_until) "						\
	"WHEN 'org_term' THEN CONCAT('organisation ', "			\
	"(SELECT o.slug FROM organisations o "				\
	"WHERE o.id = " U ".organisation_id), ' access valid until ', "	\
	"(SELECT o.access_valid_until FROM organisations o "		\
	"WHERE o.id = " U ".organisation_id)) "				\
	"ELSE CONCAT('no sign-in or activity since ', "			\
	"COALESCE(" U ".last_seen_at, " U ".last_login_at, "		\
	U ".created_at)) END"

/* Disabled by the lifecycle grace_days ago or more.  Binds: now, days. */
#define DEL_WHERE(U)							\
	"WHERE " U ".status = 'disabled' AND " U ".deleted_at IS NULL "	\
	"AND " U ".lifecycle_disabled_at IS NOT NULL "			\
	"AND " U ".disabled_at = " U ".lifecycle_disabled_at "		\
	"AND " U ".lifecycle_disabled_at <= " T_ " - INTERVAL ? DAY "	\
	"AND " NOT_EXEMPT(U ".id") " "
#define DEL_REASON(U)							\
	"CONCAT('disabled ', " U ".disabled_at, ' (', "			\
	U ".lifecycle_rule, '), grace period over')"

static const char *const stmts[STMT__MAX] = {
	[STMT_LOCK] = "SELECT GET_LOCK('" LOCK_NAME "', 0)",
	[STMT_UNLOCK] = "SELECT RELEASE_LOCK('" LOCK_NAME "')",
	/* Binds: DUE, WARN_WHERE, last id, last id, last rule, limit. */
	[STMT_WARN_PLAN] = "SELECT d.user_id, u.login, d.rule, d.deadline, "
	    WARN_REASON " FROM " DUE WARN_WHERE
	    "AND (d.user_id > ? OR (d.user_id = ? AND d.rule > ?)) "
	    "ORDER BY d.user_id, d.rule LIMIT ?",
	/* Binds: stage, DUE, WARN_WHERE, limit. */
	[STMT_WARN_INSERT] = "INSERT INTO lifecycle_warnings (user_id, rule, "
	    "stage, deadline, reason) "
	    "SELECT d.user_id, d.rule, ?, d.deadline, " WARN_REASON
	    " FROM " DUE WARN_WHERE "ORDER BY d.user_id, d.rule LIMIT ?",
	[STMT_WARN_PENDING] = "SELECT w.user_id, u.login, u.email, u.name, "
	    "w.rule, w.stage, w.deadline, w.reason, COALESCE(o.name, '') "
	    "FROM lifecycle_warnings w JOIN users u ON u.id = w.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    "WHERE w.sent_at IS NULL "
	    "ORDER BY w.user_id, CAST(w.rule AS CHAR)",
	/* Binds: now, policy. */
	[STMT_WARN_AUDIT] = "INSERT INTO audit_log "
	    "(actor_user_id, action, subject_user_id, detail) "
	    "SELECT NULL, 'lifecycle.warn', w.user_id, CONCAT('rule=', "
	    "w.rule, ' stage=', w.stage, ' deadline=\"', w.deadline, "
	    "'\" reason=\"', w.reason, '\" now=\"', ?, '\" policy=\"', ?, "
	    "'\"') FROM lifecycle_warnings w WHERE w.sent_at IS NULL "
	    "ORDER BY w.user_id, CAST(w.rule AS CHAR)",
	[STMT_WARN_SENT] = "UPDATE lifecycle_warnings SET sent_at = ? "
	    "WHERE sent_at IS NULL",
	/* Binds: RULE_CASE, DUE_WHERE, last id, limit. */
	[STMT_DISABLE_PLAN] = "SELECT x.id, x.login, x.rule, "
	    REASON_BY("x.rule", "x") " FROM (SELECT u.*, " RULE_CASE("u")
	    " AS rule FROM users u " DUE_WHERE("u") "AND u.id > ? "
	    "ORDER BY u.id LIMIT ?) x ORDER BY x.id",
	/*
	 * Binds: RULE_CASE, now, now, DUE_WHERE, limit.  A single-table
	 * UPDATE assigns left to right, so disabled_reason sees the new
	 * lifecycle_rule.
	 */
	[STMT_DISABLE] = "UPDATE users u SET u.lifecycle_rule = "
	    RULE_CASE("u") ", u.disabled_reason = "
	    REASON_BY("u.lifecycle_rule", "u") ", u.status = 'disabled', "
	    "u.disabled_at = ?, u.lifecycle_disabled_at = ?, "
	    "u.lifecycle_todo = 1 " DUE_WHERE("u") "ORDER BY u.id LIMIT ?",
	[STMT_TODO_DISABLED] = "SELECT u.id, u.login, u.email, u.name, "
	    "u.lifecycle_rule, u.disabled_reason FROM users u "
	    "WHERE u.lifecycle_todo = 1 ORDER BY u.id",
	/* Binds: now, policy. */
	[STMT_DISABLE_AUDIT] = "INSERT INTO audit_log "
	    "(actor_user_id, action, subject_user_id, detail) "
	    "SELECT NULL, 'lifecycle.disable', u.id, CONCAT('rule=', "
	    "u.lifecycle_rule, ' reason=\"', u.disabled_reason, '\" now=\"', "
	    "?, '\" policy=\"', ?, '\"') FROM users u "
	    "WHERE u.lifecycle_todo = 1 ORDER BY u.id",
	[STMT_TODO_CLEAR] = "UPDATE users SET lifecycle_todo = 0 "
	    "WHERE lifecycle_todo <> 0",
	/* Binds: DEL_WHERE, last id, limit. */
	[STMT_DELETE_PLAN] = "SELECT u.id, u.login, u.lifecycle_rule, "
	    DEL_REASON("u") " FROM users u " DEL_WHERE("u") "AND u.id > ? "
	    "ORDER BY u.id LIMIT ?",
	/* Binds: DEL_WHERE, limit. */
	[STMT_DELETE_MARK] = "UPDATE users u SET u.lifecycle_todo = 2 "
	    DEL_WHERE("u") "ORDER BY u.id LIMIT ?",
	[STMT_TODO_DELETED] = "SELECT u.id, u.login, u.lifecycle_rule, "
	    DEL_REASON("u") " FROM users u WHERE u.lifecycle_todo = 2 "
	    "ORDER BY u.id",
	/* Binds: now, policy. */
	[STMT_DELETE_AUDIT] = "INSERT INTO audit_log "
	    "(actor_user_id, action, subject_user_id, detail) "
	    "SELECT NULL, 'lifecycle.delete', u.id, CONCAT('rule=', "
	    "u.lifecycle_rule, ' reason=\"', " DEL_REASON("u") ", '\" now=\"', "
	    "?, '\" policy=\"', ?, '\"') FROM users u "
	    "WHERE u.lifecycle_todo = 2 ORDER BY u.id",
	[STMT_DEL_GROUPS] = "DELETE FROM user_groups WHERE user_id IN "
	    "(SELECT id FROM users WHERE lifecycle_todo = 2)",
	[STMT_DEL_ROLES] = "DELETE FROM user_roles WHERE user_id IN "
	    "(SELECT id FROM users WHERE lifecycle_todo = 2)",
	[STMT_DEL_MEMBERSHIPS] = "DELETE FROM directory_memberships "
	    "WHERE user_id IN (SELECT id FROM users WHERE lifecycle_todo = 2)",
	/* Ended sessions hold client addresses and user agents. */
	[STMT_DEL_SESSIONS] = "DELETE FROM sessions WHERE user_id IN "
	    "(SELECT id FROM users WHERE lifecycle_todo = 2)",
	/* Binds: now. */
	[STMT_SCRUB] = "UPDATE users u SET u.name = COALESCE((SELECT "
	    "CONCAT('former member of ', o.name) FROM organisations o "
	    "WHERE o.id = u.organisation_id), 'former member'), "
	    "u.email = '', u.login = CONCAT('deleted-', u.id), "
	    "u.external_id = CONCAT('deleted:', u.id), u.deleted_at = ?, "
	    "u.lifecycle_todo = 0 WHERE u.lifecycle_todo = 2",
	/* Binds: last id, limit. */
	[STMT_EXEMPT_PLAN] = "SELECT e.user_id, u.login, e.reason "
	    "FROM lifecycle_exemptions e JOIN users u ON u.id = e.user_id "
	    "WHERE u.deleted_at IS NULL AND e.user_id > ? "
	    "ORDER BY e.user_id LIMIT ?",
};

struct sweep {
	const struct pt_config		*cfg;
	struct pt_db			*db;
	struct pt_arena			*a;
	const char			*now;
	const char			*policy;
	bool				 run;
	FILE				*out;
	/* run: a batch's lines wait in mem until it commits */
	FILE				*real_out;
	char				*mem;
	size_t				 memlen;
	struct pt_lifecycle_stats	 saved;
	unsigned int			 days[PT_LIFECYCLE_STAGES_MAX];
	size_t				 ndays;
	struct pt_lifecycle_stats	*st;
};

bool
pt_lifecycle_now_ok(const char *s)
{
	static const char	 pat[] = "dddd-dd-dd dd:dd:dd";
	struct tm		 tm, back;
	time_t			 t;
	int			 mday;
	const char		*end;
	size_t			 i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != pat[i])
			return false;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (end == NULL || *end != '\0' || tm.tm_year < 70 ||
	    tm.tm_year >= 8000)
		return false;
	/* No February 30th: the date must survive a round trip. */
	mday = tm.tm_mday;
	t = timegm(&tm);
	return gmtime_r(&t, &back) != NULL && back.tm_mday == mday;
}

static int
cmp_desc(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

size_t
pt_lifecycle_stages(const char *s, unsigned int days[PT_LIFECYCLE_STAGES_MAX])
{
	unsigned long	 v;
	size_t		 n = 0, i;
	char		*end;

	for (;;) {
		if (*s < '0' || *s > '9' || n == PT_LIFECYCLE_STAGES_MAX)
			return 0;
		v = strtoul(s, &end, 10);
		if (v < 1 || v > 3650)
			return 0;
		for (i = 0; i < n; i++)
			if (days[i] == v)
				return 0;
		days[n++] = (unsigned int)v;
		if (*end == '\0')
			break;
		if (*end != ',')
			return 0;
		s = end + 1;
	}
	qsort(days, n, sizeof(days[0]), cmp_desc);
	return n;
}

/* The digits of a "YYYY-MM-DD HH:MM:SS" value, for dedup keys; arena. */
static const char *
digits(struct pt_arena *a, const char *s)
{
	char	*d = pt_strdup(a, s), *p = d;

	for (; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			*p++ = *s;
	*p = '\0';
	return d;
}

static struct pt_stmt *
stmt(struct sweep *sw, int which)
{
	return pt_db_stmt(sw->db, sw->a, stmts[which]);
}

/* Runs a statement that takes (now, policy): the audit inserts. */
static int
exec_audit(struct sweep *sw, int which)
{
	struct pt_stmt *st;

	if ((st = stmt(sw, which)) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_text(st, 1, sw->policy);
	return pt_db_exec(st);
}

static int
exec_plain(struct sweep *sw, int which)
{
	struct pt_stmt *st;

	if ((st = stmt(sw, which)) == NULL)
		return PT_ERR;
	return pt_db_exec(st);
}

/* Queues tmpl for a user unless the address is unusable.  PT_OK/PT_ERR. */
static int
queue(struct sweep *sw, const char *tmpl, xmlDocPtr doc, const char *email,
    const char *name, const char *key)
{
	int rc;

	if (!pt_mail_addr_ok(email))
		return PT_OK;	/* no usable address: nobody to tell */
	if (!pt_mail_header_ok(name))
		name = "";
	rc = pt_mail_queue(sw->db, sw->a, sw->cfg, tmpl, doc, email, name,
	    key);
	return rc == PT_DECLINED ? PT_OK : rc;
}

/*
 * A batch's transaction.  Its output lines and counts are held back until
 * it commits, so that what run prints is what was done.
 */
static int
begin(struct sweep *sw)
{
	pt_arena_reset(sw->a);
	sw->saved = *sw->st;
	sw->real_out = sw->out;
	if ((sw->out = open_memstream(&sw->mem, &sw->memlen)) == NULL)
		abort();
	return pt_db_begin(sw->db);
}

/* Ends the batch's output: kept (after a commit) or dropped. */
static void
end(struct sweep *sw, bool keep)
{
	fclose(sw->out);
	sw->out = sw->real_out;
	if (keep)
		fwrite(sw->mem, 1, sw->memlen, sw->out);
	else
		*sw->st = sw->saved;
	free(sw->mem);
	sw->mem = NULL;
}

static int
commit(struct sweep *sw)
{
	if (pt_db_commit(sw->db) != PT_OK) {
		pt_log(PT_LOG_ERR, "lifecycle: commit: %s",
		    pt_db_errstr(sw->db));
		pt_db_rollback(sw->db);
		end(sw, false);
		return PT_ERR;
	}
	end(sw, true);
	return PT_OK;
}

/* Nothing to do in this batch. */
static int
nothing(struct sweep *sw)
{
	pt_db_rollback(sw->db);
	end(sw, false);
	return PT_OK;
}

static int
fail(struct sweep *sw, const char *what)
{
	pt_log(PT_LOG_ERR, "lifecycle: %s: %s", what, pt_db_errstr(sw->db));
	pt_db_rollback(sw->db);
	end(sw, false);
	return PT_ERR;
}

/* Binds DUE and WARN_WHERE from parameter k on; returns the next. */
static unsigned int
bind_warn(struct sweep *sw, struct pt_stmt *st, unsigned int k,
    unsigned int stage, unsigned int next)
{
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
	pt_db_bind_int(st, k++, stage);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_int(st, k++, next);
	pt_db_bind_int(st, k++, stage);
	return k;
}

static void
print_warn(struct sweep *sw, unsigned int stage, int64_t user,
    const char *login, const char *rule, const char *deadline,
    const char *reason)
{
	fprintf(sw->out, "warn-%u user=%lld login=%s rule=%s deadline=\"%s\" "
	    "reason=\"%s\" policy=\"%s\"\n", stage, (long long)user, login,
	    rule, deadline, reason, sw->policy);
	sw->st->warned++;
}

static int
warn_plan(struct sweep *sw, unsigned int stage, unsigned int next)
{
	struct pt_stmt	*st;
	int64_t		 last = 0;
	char		 rule[32] = "";
	unsigned int	 k, n;
	int		 rc;

	do {
		pt_arena_reset(sw->a);
		if ((st = stmt(sw, STMT_WARN_PLAN)) == NULL)
			return PT_ERR;
		k = bind_warn(sw, st, 0, stage, next);
		pt_db_bind_int(st, k++, last);
		pt_db_bind_int(st, k++, last);
		pt_db_bind_text(st, k++, rule);
		pt_db_bind_int(st, k, sw->cfg->lifecycle_batch);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		n = 0;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			n++;
			last = pt_db_col_int(st, 0);
			snprintf(rule, sizeof(rule), "%s",
			    pt_db_col_text(st, 2));
			print_warn(sw, stage, last, pt_db_col_text(st, 1),
			    rule, pt_db_col_text(st, 3),
			    pt_db_col_text(st, 4));
		}
		if (rc != PT_DECLINED)
			return PT_ERR;
	} while (n == sw->cfg->lifecycle_batch);
	return PT_OK;
}

/* One batch of warnings of a stage; *n is how many.  PT_OK or PT_ERR. */
static int
warn_batch(struct sweep *sw, unsigned int stage, unsigned int next,
    unsigned long *n)
{
	struct pt_stmt	*st;
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	const char	*key;
	int64_t		 user;
	unsigned int	 k;
	int		 rc;

	*n = 0;
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, STMT_WARN_INSERT)) == NULL)
		return fail(sw, "warn insert");
	pt_db_bind_int(st, 0, stage);
	k = bind_warn(sw, st, 1, stage, next);
	pt_db_bind_int(st, k, sw->cfg->lifecycle_batch);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "warn insert");
	if ((*n = pt_db_affected(st)) == 0) {
		return nothing(sw);
	}
	if ((st = stmt(sw, STMT_WARN_PENDING)) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return fail(sw, "warn pending");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		user = pt_db_col_int(st, 0);
		print_warn(sw, (unsigned int)pt_db_col_int(st, 5), user,
		    pt_db_col_text(st, 1), pt_db_col_text(st, 4),
		    pt_db_col_text(st, 6), pt_db_col_text(st, 7));
		doc = pt_xml_doc(sw->a, "mail");
		root = xmlDocGetRootElement(doc);
		pt_xml_text(root, "site", sw->cfg->site_name);
		pt_xml_text(root, "name", pt_db_col_text(st, 3));
		pt_xml_text(root, "rule", pt_db_col_text(st, 4));
		pt_xml_text(root, "days", pt_db_col_text(st, 5));
		if (pt_db_col_int(st, 5) == sw->days[sw->ndays - 1])
			pt_xml_text(root, "last", "yes");
		pt_xml_text(root, "deadline", pt_db_col_text(st, 6));
		pt_xml_text(root, "reason", pt_db_col_text(st, 7));
		pt_xml_text(root, "organisation", pt_db_col_text(st, 8));
		key = pt_printf(sw->a, "lifecycle:%s:%s:%lld:%s",
		    pt_db_col_text(st, 4), pt_db_col_text(st, 5),
		    (long long)user, digits(sw->a, pt_db_col_text(st, 6)));
		if (queue(sw, "mail/lifecycle-warning.xsl", doc,
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3), key) != PT_OK)
			return fail(sw, "warn mail");
	}
	if (rc != PT_DECLINED)
		return fail(sw, "warn pending");
	if (exec_audit(sw, STMT_WARN_AUDIT) != PT_OK)
		return fail(sw, "warn audit");
	if ((st = stmt(sw, STMT_WARN_SENT)) == NULL)
		return fail(sw, "warn sent");
	pt_db_bind_text(st, 0, sw->now);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "warn sent");
	return commit(sw);
}

static int
warn_stage(struct sweep *sw, unsigned int stage, unsigned int next)
{
	unsigned long n;

	if (!sw->run)
		return warn_plan(sw, stage, next);
	do {
		if (warn_batch(sw, stage, next, &n) != PT_OK)
			return PT_ERR;
	} while (n > 0);
	return PT_OK;
}

/* Binds RULE_CASE-free DUE_WHERE from parameter k on; returns the next. */
static unsigned int
bind_due(struct sweep *sw, struct pt_stmt *st, unsigned int k)
{
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
	return k;
}

static void
print_action(struct sweep *sw, const char *action, int64_t user,
    const char *login, const char *rule, const char *reason)
{
	fprintf(sw->out, "%s user=%lld login=%s rule=%s reason=\"%s\" "
	    "policy=\"%s\"\n", action, (long long)user, login, rule, reason,
	    sw->policy);
}

/*
 * Prints what one action would do, a batch at a time in id order (keyset
 * pagination): bind() binds the statement's own parameters and returns
 * the index of the two that follow, the last id seen and the batch size.
 */
static int
action_plan(struct sweep *sw, int which, const char *action,
    unsigned int (*bind)(struct sweep *, struct pt_stmt *),
    unsigned long *count)
{
	struct pt_stmt	*st;
	int64_t		 last = 0;
	unsigned int	 k, n;
	int		 rc;

	do {
		pt_arena_reset(sw->a);
		if ((st = stmt(sw, which)) == NULL)
			return PT_ERR;
		k = bind(sw, st);
		pt_db_bind_int(st, k++, last);
		pt_db_bind_int(st, k, sw->cfg->lifecycle_batch);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		n = 0;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			n++;
			last = pt_db_col_int(st, 0);
			print_action(sw, action, last, pt_db_col_text(st, 1),
			    pt_db_col_text(st, 2), pt_db_col_text(st, 3));
			(*count)++;
		}
		if (rc != PT_DECLINED)
			return PT_ERR;
	} while (n == sw->cfg->lifecycle_batch);
	return PT_OK;
}

static unsigned int
bind_disable(struct sweep *sw, struct pt_stmt *st)
{
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_text(st, 1, sw->now);
	return bind_due(sw, st, 2);
}

static int
disable_plan(struct sweep *sw)
{
	return action_plan(sw, STMT_DISABLE_PLAN, "disable", bind_disable,
	    &sw->st->disabled);
}

static int
disable_batch(struct sweep *sw, unsigned long *n)
{
	struct pt_stmt	*st;
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	const char	*key;
	int64_t		 user;
	unsigned int	 k;
	int		 rc;

	*n = 0;
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, STMT_DISABLE)) == NULL)
		return fail(sw, "disable");
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_text(st, 1, sw->now);
	pt_db_bind_text(st, 2, sw->now);
	pt_db_bind_text(st, 3, sw->now);
	k = bind_due(sw, st, 4);
	pt_db_bind_int(st, k, sw->cfg->lifecycle_batch);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "disable");
	if ((*n = pt_db_affected(st)) == 0) {
		return nothing(sw);
	}
	if ((st = stmt(sw, STMT_TODO_DISABLED)) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return fail(sw, "disabled list");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		user = pt_db_col_int(st, 0);
		print_action(sw, "disable", user, pt_db_col_text(st, 1),
		    pt_db_col_text(st, 4), pt_db_col_text(st, 5));
		sw->st->disabled++;
		if (pt_sess_end_user(sw->db, sw->a, user,
		    "lifecycle: account disabled") != PT_OK)
			return fail(sw, "end sessions");
		doc = pt_xml_doc(sw->a, "mail");
		root = xmlDocGetRootElement(doc);
		pt_xml_text(root, "site", sw->cfg->site_name);
		pt_xml_text(root, "name", pt_db_col_text(st, 3));
		pt_xml_text(root, "rule", pt_db_col_text(st, 4));
		pt_xml_text(root, "reason", pt_db_col_text(st, 5));
		pt_xml_textf(root, "grace_days", "%u",
		    sw->cfg->lifecycle_grace_days);
		key = pt_printf(sw->a, "lifecycle:%s:disable:%lld:%s",
		    pt_db_col_text(st, 4), (long long)user,
		    digits(sw->a, sw->now));
		if (queue(sw, "mail/lifecycle-disabled.xsl", doc,
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3), key) != PT_OK)
			return fail(sw, "disable mail");
	}
	if (rc != PT_DECLINED)
		return fail(sw, "disabled list");
	if (exec_audit(sw, STMT_DISABLE_AUDIT) != PT_OK)
		return fail(sw, "disable audit");
	if (exec_plain(sw, STMT_TODO_CLEAR) != PT_OK)
		return fail(sw, "disable clear");
	return commit(sw);
}

static unsigned int
bind_delete(struct sweep *sw, struct pt_stmt *st)
{
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_int(st, 1, sw->cfg->lifecycle_grace_days);
	return 2;
}

static int
delete_plan(struct sweep *sw)
{
	return action_plan(sw, STMT_DELETE_PLAN, "delete", bind_delete,
	    &sw->st->deleted);
}

static int
delete_batch(struct sweep *sw, unsigned long *n)
{
	static const int	 cleanup[] = { STMT_DEL_GROUPS, STMT_DEL_ROLES,
	    STMT_DEL_MEMBERSHIPS, STMT_DEL_SESSIONS };
	struct pt_stmt		*st;
	size_t			 i;
	int			 rc;

	*n = 0;
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, STMT_DELETE_MARK)) == NULL)
		return fail(sw, "delete");
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_int(st, 1, sw->cfg->lifecycle_grace_days);
	pt_db_bind_int(st, 2, sw->cfg->lifecycle_batch);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "delete");
	if ((*n = pt_db_affected(st)) == 0) {
		return nothing(sw);
	}
	if ((st = stmt(sw, STMT_TODO_DELETED)) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return fail(sw, "deleted list");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		print_action(sw, "delete", pt_db_col_int(st, 0),
		    pt_db_col_text(st, 1), pt_db_col_text(st, 2),
		    pt_db_col_text(st, 3));
		sw->st->deleted++;
	}
	if (rc != PT_DECLINED)
		return fail(sw, "deleted list");
	if (exec_audit(sw, STMT_DELETE_AUDIT) != PT_OK)
		return fail(sw, "delete audit");
	for (i = 0; i < PT_NELEM(cleanup); i++)
		if (exec_plain(sw, cleanup[i]) != PT_OK)
			return fail(sw, "delete personal data");
	if ((st = stmt(sw, STMT_SCRUB)) == NULL)
		return fail(sw, "scrub");
	pt_db_bind_text(st, 0, sw->now);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "scrub");
	return commit(sw);
}

static int
exempt_plan(struct sweep *sw)
{
	struct pt_stmt	*st;
	int64_t		 last = 0;
	unsigned int	 n;
	int		 rc;

	do {
		pt_arena_reset(sw->a);
		if ((st = stmt(sw, STMT_EXEMPT_PLAN)) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, last);
		pt_db_bind_int(st, 1, sw->cfg->lifecycle_batch);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		n = 0;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			n++;
			last = pt_db_col_int(st, 0);
			fprintf(sw->out, "exempt user=%lld login=%s "
			    "reason=\"%s\"\n", (long long)last,
			    pt_db_col_text(st, 1), pt_db_col_text(st, 2));
			sw->st->exempt++;
		}
		if (rc != PT_DECLINED)
			return PT_ERR;
	} while (n == sw->cfg->lifecycle_batch);
	return PT_OK;
}

/* Runs batch until it finds nothing more to do. */
static int
repeat(struct sweep *sw, int (*batch)(struct sweep *, unsigned long *))
{
	unsigned long n;

	do {
		if (batch(sw, &n) != PT_OK)
			return PT_ERR;
	} while (n > 0);
	return PT_OK;
}

static int
sweep(struct sweep *sw)
{
	size_t i;

	for (i = 0; i < sw->ndays; i++)
		if (warn_stage(sw, sw->days[i],
		    i + 1 < sw->ndays ? sw->days[i + 1] : 0) != PT_OK)
			return PT_ERR;
	if (sw->run) {
		if (repeat(sw, disable_batch) != PT_OK ||
		    repeat(sw, delete_batch) != PT_OK)
			return PT_ERR;
		return PT_OK;
	}
	if (disable_plan(sw) != PT_OK || delete_plan(sw) != PT_OK ||
	    exempt_plan(sw) != PT_OK)
		return PT_ERR;
	return PT_OK;
}

int
pt_lifecycle_sweep(const struct pt_config *cfg, struct pt_db *db,
    const char *now, bool run, FILE *out, struct pt_lifecycle_stats *stats)
{
	struct pt_lifecycle_stats	 dummy;
	struct sweep			 sw;
	struct pt_stmt			*st;
	const char			*stages;
	size_t				 i;
	char				 buf[32];
	time_t				 t;
	struct tm			 tm;
	int				 rc = PT_ERR;
	bool				 locked = false;

	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	if (!cfg->lifecycle_enabled)
		return PT_DECLINED;
	memset(&sw, 0, sizeof(sw));
	sw.cfg = cfg;
	sw.db = db;
	sw.run = run;
	sw.out = out;
	sw.st = stats;
	if ((sw.ndays = pt_lifecycle_stages(cfg->lifecycle_warn_days,
	    sw.days)) == 0) {
		pt_log(PT_LOG_ERR, "lifecycle: [lifecycle] warn_days '%s' is "
		    "not a list of days", cfg->lifecycle_warn_days);
		return PT_ERR;
	}
	if (now == NULL) {
		t = time(NULL);
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		now = buf;
	}
	if (!pt_lifecycle_now_ok(now)) {
		pt_log(PT_LOG_ERR, "lifecycle: '%s' is not YYYY-MM-DD "
		    "HH:MM:SS", now);
		return PT_ERR;
	}
	sw.now = now;
	sw.a = pt_arena_new();
	/* The stages as applied: largest first. */
	stages = pt_printf(sw.a, "%u", sw.days[0]);
	for (i = 1; i < sw.ndays; i++)
		stages = pt_printf(sw.a, "%s,%u", stages, sw.days[i]);
	sw.policy = pt_printf(sw.a, "inactivity_days=%u warn_days=%s "
	    "grace_days=%u", cfg->lifecycle_inactivity_days, stages,
	    cfg->lifecycle_grace_days);
	/* The policy string outlives the per-batch resets: copy it out. */
	sw.policy = strdup(sw.policy);
	if (sw.policy == NULL)
		abort();
	if (pt_db_ensure(db) != PT_OK)
		goto out;
	if (run) {
		if ((st = stmt(&sw, STMT_LOCK)) == NULL ||
		    pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
			goto out;
		if (pt_db_col_int(st, 0) != 1) {
			pt_log(PT_LOG_WARN, "lifecycle: another run holds "
			    "the lock; nothing done");
			rc = PT_DECLINED;
			goto out;
		}
		locked = true;
	}
	rc = sweep(&sw);
out:
	if (locked) {
		pt_arena_reset(sw.a);
		if ((st = stmt(&sw, STMT_UNLOCK)) == NULL ||
		    pt_db_exec(st) != PT_OK)
			rc = PT_ERR;
	}
	free((char *)sw.policy);
	pt_arena_free(sw.a);
	return rc;
}
