/*
 * lifecycle.c - access lifecycle: no partner account outlives the policy.
 *
 * Rules ([lifecycle] in portico.conf, sql/0009_lifecycle.sql and
 * sql/0011_lifecycle_attestation.sql):
 *  - inactivity: no sign-in or activity for inactivity_days, counted from
 *    last_seen_at, else last_login_at, else created_at;
 *  - term: users.valid_until has passed;
 *  - org_term: the organisation's access_valid_until has passed (it takes
 *    all its users with it);
 *  - attestation: a partner organisation's roster must be confirmed every
 *    attestation_days (lifecycle_admin.c, /organisations/{slug}/attestation);
 *    when the deadline, COALESCE(organisations.attested_at, created_at) +
 *    attestation_days, passes without a new confirmation, its active users
 *    not confirmed since that base are disabled; reminders go to its
 *    partner admins attestation_warn_days
 *    before, the last one also to its sponsor (to the sponsor alone at every
 *    stage when the organisation has no partner admin);
 *  - directory: sync-directory (modules/auth/directory.c) disables users
 *    gone from the directory or in no group that grants access; the sweep
 *    only deletes them after the grace period like the others;
 *  - community invitations past their expires_at become 'expired'.
 * Actions, in this order: warn (warn_days before a deadline, one mail per
 * stage and deadline, the most urgent stage only when a run was missed;
 * the final stage is copied to the organisation's sponsor), attestation
 * reminders, expire invitations, disable at the deadline (status, reason,
 * disabled_at; every session ended; a notice mailed), delete grace_days
 * after the lifecycle disabled the account (name becomes "former member of
 * <organisation>", email, login, external id, groups, roles, directory
 * and community memberships, directory card and expertise, feed token,
 * notifications and sessions with their client addresses removed; the row
 * and its id stay so authored content keeps an author).  Accounts in
 * lifecycle_exemptions, or in a group of lifecycle_group_exemptions, are
 * skipped.  Every action writes an audit row (action lifecycle.warn|
 * attestation_remind|invitation_expire|disable|delete, actor NULL = the
 * system, detail: rule, reason, the --now instant and the policy values).
 *
 * Set-wise: every step is one statement over a batch (INSERT ... SELECT of
 * warnings and audit rows, UPDATE ... ORDER BY id LIMIT batch, sessions
 * ended with one UPDATE ... JOIN per batch), walked in id order with a
 * keyset so a batch never rescans what the batches before it passed.
 * Mail too: each template is rendered once per batch and rule with
 * placeholders, and one INSERT ... SELECT per rule fills in every
 * person's values (see PH_* below); only values the SQL check refuses go
 * one by one through pt_mail_queue.  Each batch is one transaction, mails
 * included
 * (pt_mail_queue writes in the caller's transaction), so a run killed half
 * way leaves whole batches done and the next run completes the rest.
 * Accounts acted on by the batch in progress are marked in
 * users.lifecycle_todo (disable, delete) or sent_at IS NULL (warnings,
 * reminders) until the batch commits.  Idempotent: an account once warned
 * for a deadline has a lifecycle_warnings row (unique), a disabled one is
 * no longer active, a deleted one has deleted_at, an expired invitation is
 * no longer pending; and the mail dedup keys guard the outbox too.  Plan
 * uses the same WHERE clauses (macros below) with SELECT, so it prints
 * exactly what run does.  One run at a time (GET_LOCK).
 *
 * API: lifecycle.h.  To add a rule: add it to the ENUMs of
 * users.lifecycle_rule and lifecycle_warnings.rule (a new migration), a
 * disable pass (DUE_*, COND_*, REASON_*, enum pass, bind_pass, the
 * set-wise mail's rules[]), a warning clock if it warns (CLOCK_*), and
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
	STMT_WARN_PLAN_I,
	STMT_WARN_PLAN_T,
	STMT_WARN_PLAN_O,
	STMT_WARN_INSERT_I,
	STMT_WARN_INSERT_T,
	STMT_WARN_INSERT_O,
	STMT_WARN_PENDING,
	STMT_WARN_AUDIT,
	STMT_WARN_MAIL,
	STMT_SPONSOR_MAIL,
	STMT_WARN_SENT,
	STMT_REMIND_PLAN,
	STMT_REMIND_INSERT,
	STMT_REMIND_PENDING,
	STMT_REMIND_AUDIT,
	STMT_REMIND_SENT,
	STMT_INVITE_LIST,
	STMT_INVITE_AUDIT,
	STMT_INVITE_EXPIRE,
	STMT_DISABLE_PLAN_TERM,
	STMT_DISABLE_PLAN_ORG,
	STMT_DISABLE_PLAN_ATT,
	STMT_DISABLE_PLAN_INACT,
	STMT_DISABLE_TERM,
	STMT_DISABLE_ORG,
	STMT_DISABLE_ATT,
	STMT_DISABLE_INACT,
	STMT_TODO_DISABLED,
	STMT_DISABLE_AUDIT,
	STMT_DISABLE_MAIL,
	STMT_END_SESSIONS,
	STMT_TODO_CLEAR,
	STMT_DELETE_PLAN,
	STMT_DELETE_MARK,
	STMT_TODO_DELETED,
	STMT_DELETE_AUDIT,
	STMT_DEL_GROUPS,
	STMT_DEL_ROLES,
	STMT_DEL_MEMBERSHIPS,
	STMT_DEL_SESSIONS,
	STMT_DEL_PROFILE,
	STMT_DEL_EXPERTISE,
	STMT_DEL_COMMUNITIES,
	STMT_DEL_FEED_TOKEN,
	STMT_DEL_INBOX,
	STMT_SCRUB,
	STMT_EXEMPT_PLAN,
	STMT_SPONSOR_ORG,
	STMT_SPONSOR_USER,
	STMT_SPONSOR_SET,
	STMT__MAX
};

#define T_	"CAST(? AS DATETIME)"
#define NOT_EXEMPT(id)							\
	"NOT EXISTS (SELECT 1 FROM lifecycle_exemptions e "		\
	"WHERE e.user_id = " id ") "					\
	"AND NOT EXISTS (SELECT 1 FROM user_groups g "			\
	"JOIN lifecycle_group_exemptions x ON x.group_hash = g.group_hash " \
	"WHERE g.user_id = " id ")"

/*
 * The running clocks, one per rule: each active account's deadline (base
 * + inactivity_days for inactivity; the date itself for the terms), read
 * straight from users after the keyset position, so that every batch
 * reads only its own range (a derived table MariaDB merges into the
 * outer query; the lifecycle_clock view is a UNION, which it would
 * materialise whole for every batch).  Binds: days, last id.
 */
/*
 * The inactivity clock also bounds lifecycle_seen to the stage's window
 * (users_lifecycle_seen: a range scan, not every user).  Binds: days,
 * last id, now, stage, days, now, next, days.
 */
#define CLOCK_I								\
	"(SELECT c.id AS user_id, 'inactivity' AS rule, "		\
	"c.lifecycle_seen AS base, "					\
	"c.lifecycle_seen + INTERVAL ? DAY AS deadline "		\
	"FROM users c WHERE c.status = 'active' AND c.deleted_at IS NULL " \
	"AND c.id > ? "							\
	"AND c.lifecycle_seen <= " T_ " + INTERVAL ? DAY - INTERVAL ? DAY " \
	"AND c.lifecycle_seen > " T_ " + INTERVAL ? DAY - INTERVAL ? DAY) d "
#define CLOCK_T								\
	"(SELECT c.id AS user_id, 'term' AS rule, c.valid_until AS base, " \
	"c.valid_until + INTERVAL (0 * ?) DAY AS deadline FROM users c " \
	"WHERE c.status = 'active' AND c.deleted_at IS NULL "		\
	"AND c.valid_until IS NOT NULL AND c.id > ?) d "
#define CLOCK_O								\
	"(SELECT c.id AS user_id, 'org_term' AS rule, "			\
	"t.access_valid_until AS base, "				\
	"t.access_valid_until + INTERVAL (0 * ?) DAY AS deadline "	\
	"FROM users c JOIN organisations t ON t.id = c.organisation_id "	\
	"WHERE c.status = 'active' AND c.deleted_at IS NULL "		\
	"AND t.access_valid_until IS NOT NULL AND c.id > ?) d "
#define DUE(CLOCK)							\
	CLOCK "JOIN users u ON u.id = d.user_id "			\
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

/*
 * Attestation: the organisation's cycle began at ATT_BASE; its deadline
 * is ATT_BASE + attestation_days.
 */
#define ATT_BASE	"COALESCE(o.attested_at, o.created_at)"
/*
 * The organisation's roster is overdue and the user was not confirmed
 * after the cycle began (a confirmation at the cycle's start belongs to
 * the cycle before; a user re-enabled by an administrator since counts as
 * confirmed).  Binds: days, days, now.
 */
#define ATT_DUE(U)							\
	"(? > 0 AND EXISTS (SELECT 1 FROM organisations o "		\
	"WHERE o.id = " U ".organisation_id AND o.kind = 'partner' "	\
	"AND " ATT_BASE " + INTERVAL ? DAY <= " T_ " "			\
	"AND (" U ".attested_at IS NULL "				\
	"OR " U ".attested_at <= " ATT_BASE ")))"

/*
 * Disabling is one pass per rule, in this order (the first rule that
 * applies is the one recorded): term, org_term, attestation, inactivity.
 * Each pass's own condition can use an index (users_valid_until,
 * users_organisation, users_lifecycle_seen); a later pass excludes what an
 * earlier one takes, so that plan, which changes nothing, lists each
 * account once.  "IS NOT TRUE": a NULL date is no match.
 */
#define DUE_TERM(U)	"(" U ".valid_until <= " T_ ")"		/* now */
#define DUE_ORG(U)							\
	"(" U ".organisation_id IN (SELECT o.id FROM organisations o "	\
	"WHERE o.access_valid_until <= " T_ "))"			/* now */
/* Binds: days, days, now. */
#define DUE_ATT(U)							\
	"(? > 0 AND " U ".organisation_id IN (SELECT o.id "		\
	"FROM organisations o WHERE o.kind = 'partner' "		\
	"AND " ATT_BASE " + INTERVAL ? DAY <= " T_ ") "			\
	"AND (" U ".attested_at IS NULL OR " U ".attested_at <= "	\
	"(SELECT " ATT_BASE " FROM organisations o "			\
	"WHERE o.id = " U ".organisation_id)))"
/* Binds: days, now, days. */
#define DUE_INACT(U)							\
	"(? > 0 AND " U ".lifecycle_seen <= " T_ " - INTERVAL ? DAY)"
#define NOT_DUE(C)	"(" C " IS NOT TRUE)"
#define DUE_BASE(U)							\
	"WHERE " U ".status = 'active' AND " U ".deleted_at IS NULL "	\
	"AND " NOT_EXEMPT(U ".id") " "
/* Binds of the pass conditions: see bind_pass(). */
#define COND_TERM(U)	DUE_TERM(U)
#define COND_ORG(U)	DUE_ORG(U) " AND " NOT_DUE(DUE_TERM(U))
#define COND_ATT(U)							\
	DUE_ATT(U) " AND " NOT_DUE(DUE_TERM(U)) " AND "			\
	NOT_DUE(DUE_ORG(U))
#define COND_INACT(U)							\
	DUE_INACT(U) " AND " NOT_DUE(DUE_TERM(U)) " AND "		\
	NOT_DUE(DUE_ORG(U)) " AND " NOT_DUE(DUE_ATT(U))
/* The reasons; only attestation's binds (days). */
#define REASON_TERM	"CONCAT('account valid until ', u.valid_until)"
#define REASON_ORG							\
	"(SELECT CONCAT('organisation ', o.slug, ' access valid until ', " \
	"o.access_valid_until) FROM organisations o "			\
	"WHERE o.id = u.organisation_id)"
#define REASON_ATT							\
	"(SELECT CONCAT('roster of ', o.slug, ' not confirmed by ', "	\
	ATT_BASE " + INTERVAL ? DAY) FROM organisations o "		\
	"WHERE o.id = u.organisation_id)"
#define REASON_INACT							\
	"CONCAT('no sign-in or activity since ', u.lifecycle_seen)"
/* The text after SELECT.  Binds: reason, pass, last id, limit. */
#define DISABLE_PLAN(RULE, REASON, COND)				\
	"u.id, u.login, '" RULE "', " REASON " FROM users u "		\
	DUE_BASE("u") "AND " COND("u") " AND u.id > ? "			\
	"ORDER BY u.id LIMIT ?"
/*
 * The text after UPDATE.  Binds: pass, last id, limit, reason, now, now.  The
 * batch is chosen by
 * a SELECT (a derived table, materialised because of its LIMIT): MariaDB
 * 10.11 plans the IN (organisations ...) conditions as semi-joins through
 * users_organisation only in a SELECT, not in a single-table UPDATE,
 * which would read every user.
 */
#define DISABLE_SET(RULE, REASON, COND)					\
	"users u JOIN (SELECT c.id FROM users c " DUE_BASE("c")		\
	"AND " COND("c") " AND c.id > ? ORDER BY c.id LIMIT ?) x "	\
	"ON x.id = u.id SET u.lifecycle_rule = '" RULE "', "		\
	"u.disabled_reason = " REASON ", u.status = 'disabled', "	\
	"u.disabled_at = ?, u.lifecycle_disabled_at = ?, "		\
	"u.lifecycle_todo = 1"

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

/*
 * An organisation in the window of an attestation stage, with active
 * users to attest.  Binds: days, stage, now, now, days, next.
 */
#define ATT_WIN								\
	"o.kind = 'partner' "						\
	"AND " ATT_BASE " + INTERVAL ? DAY - INTERVAL ? DAY <= " T_ " "	\
	"AND " T_ " < " ATT_BASE " + INTERVAL ? DAY - INTERVAL ? DAY "	\
	"AND EXISTS (SELECT 1 FROM users m WHERE m.organisation_id = o.id " \
	"AND m.status = 'active' AND m.deleted_at IS NULL) "
#define PARTNER_ADMIN(A)						\
	"EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = " A ".id "	\
	"AND r.role = 'partner_admin')"
/*
 * Who gets an attestation reminder: the active partner admins of the
 * organisation, and its sponsor at the last stage or when it has no
 * partner admin.  A partner admin disabled but not deleted (nor due for
 * deletion) still counts, so that the disables and deletes later in the
 * same run do not change the answer: a second run at the same instant
 * finds nothing new.  Binds: days, ATT_WIN, days, ATT_WIN, last (0/1),
 * now, grace_days.
 */
#define REMIND_DUE							\
	"(SELECT o.id AS org_id, a.id AS user_id, 0 AS sponsor, "	\
	ATT_BASE " + INTERVAL ? DAY AS deadline "			\
	"FROM organisations o JOIN users a ON a.organisation_id = o.id " \
	"WHERE " ATT_WIN "AND a.status = 'active' "			\
	"AND a.deleted_at IS NULL AND " PARTNER_ADMIN("a") " "		\
	"UNION ALL SELECT o.id, s.id, 1, "				\
	ATT_BASE " + INTERVAL ? DAY "					\
	"FROM organisations o JOIN users s ON s.id = o.sponsor_user_id " \
	"WHERE " ATT_WIN "AND s.status = 'active' "			\
	"AND s.deleted_at IS NULL AND NOT (s.organisation_id <=> o.id) "	\
	"AND (? OR NOT EXISTS (SELECT 1 FROM users a "			\
	"WHERE a.organisation_id = o.id AND a.deleted_at IS NULL "	\
	"AND " PARTNER_ADMIN("a") " AND NOT (a.status = 'disabled' "	\
	"AND a.lifecycle_disabled_at IS NOT NULL "			\
	"AND a.disabled_at = a.lifecycle_disabled_at "			\
	"AND a.lifecycle_disabled_at <= " T_ " - INTERVAL ? DAY)))) rd "
/* Not reminded yet at this stage.  Binds: stage. */
#define REMIND_NEW							\
	"NOT EXISTS (SELECT 1 FROM lifecycle_attestation_reminders x " \
	"WHERE x.organisation_id = rd.org_id AND x.stage = ? "		\
	"AND x.deadline = rd.deadline AND x.user_id = rd.user_id) "

/* Unredeemed invitations past their expiry.  Binds: now. */
#define INVITE_DUE							\
	"FROM community_invitations i "					\
	"JOIN communities c ON c.id = i.community_id "			\
	"WHERE i.status = 'pending' AND i.expires_at <= " T_ " "

/*
 * Set-wise mail.  A template is rendered once per batch and rule with
 * placeholder values (PH_* below: text that no template branches on),
 * and one INSERT ... SELECT fills each person's values in with REPLACE().
 * It gives the bytes pt_mail_queue would have stored, for the rows whose
 * values pass, in SQL, a check at least as strict as pt_mail_queue's:
 * ADDR_OK is a subset of pt_mail_addr_ok, TEXT_OK refuses control
 * characters (pt_mail_header_ok) and the placeholder marker.  The other
 * rows (rare) go through pt_mail_queue one by one.  The deadline is
 * replaced first, so a person's text that looks like it stays as it is.
 */
#define PH_DEADLINE	"0000-00-00 00:00:00"
#define PH_DATE		"0000-00-00"
#define PH_MARK		"[[pt:"
#define ADDR_OK(U)							\
	"(CAST(" U ".email AS BINARY) REGEXP "				\
	"'^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$' " \
	"AND LENGTH(" U ".email) <= 254 AND " U ".email NOT LIKE '.%' "	\
	"AND " U ".email NOT LIKE '%..%' AND " U ".email NOT LIKE '%.@%')"
#define TEXT_OK(X)							\
	"(" X " NOT REGEXP '[[:cntrl:]]' AND " X " NOT LIKE '%" PH_MARK "%')"
#define NAME_OK(U)							\
	"(" TEXT_OK(U ".name") " AND LENGTH(" U ".name) <= 255 "	\
	"AND " U ".login NOT LIKE '%" PH_MARK "%')"
#define OUTBOX_COLS							\
	"mail_outbox (to_address, to_name, subject, body, "		\
	"template, status, attempts, next_attempt_at, created_at, "	\
	"message_id, dedup_key) "
#define MSGID	"CONCAT('<', LOWER(HEX(RANDOM_BYTES(16))), '@', ?, '>')"
/* A warning's values into x. */
#define WARN_FILL(x)							\
	"REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(" \
	x ", '" PH_DEADLINE "', w.deadline), '" PH_DATE "', "		\
	"LEFT(w.deadline, 10)), '[[pt:reason]]', w.reason), "		\
	"'[[pt:organisation]]', COALESCE(o.name, '')), "		\
	"'[[pt:login]]', u.login), '[[pt:email]]', u.email), "		\
	"'[[pt:sponsor]]', COALESCE(sp.name, '')), '[[pt:name]]', u.name)"
#define WARN_KEY							\
	"CONCAT('lifecycle:', w.rule, ':', w.stage, ':', w.user_id, ':', " \
	"DATE_FORMAT(w.deadline, '%Y%m%d%H%i%s'))"
#define WARN_TEXT_OK							\
	"(" NAME_OK("u") " AND " TEXT_OK("w.reason") " "		\
	"AND " TEXT_OK("COALESCE(o.name, '')") ")"
#define SPONSOR_JOIN							\
	"LEFT JOIN users sp ON sp.id = o.sponsor_user_id "		\
	"AND sp.status = 'active' AND sp.deleted_at IS NULL "

static const char *const stmts[STMT__MAX] = {
	[STMT_LOCK] = "SELECT GET_LOCK('" LOCK_NAME "', 0)",
	[STMT_UNLOCK] = "SELECT RELEASE_LOCK('" LOCK_NAME "')",
	/* Binds: DUE, WARN_WHERE, limit. */
#define WARN_PLAN(CLOCK)						\
	"SELECT d.user_id, u.login, d.rule, d.deadline, " WARN_REASON	\
	" FROM " DUE(CLOCK) WARN_WHERE "ORDER BY d.user_id LIMIT ?"
	[STMT_WARN_PLAN_I] = WARN_PLAN(CLOCK_I),
	[STMT_WARN_PLAN_T] = WARN_PLAN(CLOCK_T),
	[STMT_WARN_PLAN_O] = WARN_PLAN(CLOCK_O),
	/* Binds: stage, DUE, WARN_WHERE, limit. */
#define WARN_INSERT(CLOCK)						\
	"INSERT INTO lifecycle_warnings (user_id, rule, stage, deadline, " \
	"reason) SELECT d.user_id, d.rule, ?, d.deadline, " WARN_REASON	\
	" FROM " DUE(CLOCK) WARN_WHERE "ORDER BY d.user_id LIMIT ?"
	[STMT_WARN_INSERT_I] = WARN_INSERT(CLOCK_I),
	[STMT_WARN_INSERT_T] = WARN_INSERT(CLOCK_T),
	[STMT_WARN_INSERT_O] = WARN_INSERT(CLOCK_O),
	/* Columns 12 and 13: the set-wise statements mailed the person, the
	 * sponsor. */
	[STMT_WARN_PENDING] = "SELECT w.user_id, u.login, u.email, u.name, "
	    "w.rule, w.stage, w.deadline, w.reason, COALESCE(o.name, ''), "
	    "COALESCE(sp.email, ''), COALESCE(sp.name, ''), "
	    "CAST(w.rule AS CHAR), "
	    "" WARN_TEXT_OK " AND " ADDR_OK("u") ", "
	    "" WARN_TEXT_OK " AND sp.id IS NOT NULL AND " NAME_OK("sp") " "
	    "AND " ADDR_OK("sp") " "
	    "FROM lifecycle_warnings w JOIN users u ON u.id = w.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    SPONSOR_JOIN "WHERE w.sent_at IS NULL "
	    "ORDER BY w.user_id, CAST(w.rule AS CHAR)",
	/* Binds: subject, body, domain, rule. */
	[STMT_WARN_MAIL] = "INSERT INTO " OUTBOX_COLS "SELECT u.email, u.name, "
	    WARN_FILL("?") ", " WARN_FILL("?") ", "
	    "'mail/lifecycle-warning.xsl', 'queued', 0, UTC_TIMESTAMP(), "
	    "UTC_TIMESTAMP(), " MSGID ", " WARN_KEY " "
	    "FROM lifecycle_warnings w JOIN users u ON u.id = w.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    SPONSOR_JOIN "WHERE w.sent_at IS NULL AND w.rule = ? "
	    "AND " WARN_TEXT_OK " AND " ADDR_OK("u") " "
	    "ORDER BY w.user_id ON DUPLICATE KEY UPDATE "
	    "mail_outbox.id = mail_outbox.id",
	/* Binds: subject, body, domain, rule. */
	[STMT_SPONSOR_MAIL] = "INSERT INTO " OUTBOX_COLS
	    "SELECT sp.email, sp.name, "
	    WARN_FILL("?") ", " WARN_FILL("?") ", "
	    "'mail/lifecycle-sponsor.xsl', 'queued', 0, UTC_TIMESTAMP(), "
	    "UTC_TIMESTAMP(), " MSGID ", CONCAT(" WARN_KEY ", ':sponsor') "
	    "FROM lifecycle_warnings w JOIN users u ON u.id = w.user_id "
	    "LEFT JOIN organisations o ON o.id = u.organisation_id "
	    SPONSOR_JOIN "WHERE w.sent_at IS NULL AND w.rule = ? "
	    "AND " WARN_TEXT_OK " AND sp.id IS NOT NULL AND " NAME_OK("sp")
	    " AND " ADDR_OK("sp") " "
	    "ORDER BY w.user_id ON DUPLICATE KEY UPDATE "
	    "mail_outbox.id = mail_outbox.id",
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
	/* Binds: REMIND_DUE, REMIND_NEW. */
	[STMT_REMIND_PLAN] = "SELECT rd.user_id, u.login, o.slug, "
	    "rd.deadline, rd.sponsor FROM " REMIND_DUE
	    "JOIN users u ON u.id = rd.user_id "
	    "JOIN organisations o ON o.id = rd.org_id WHERE " REMIND_NEW
	    "ORDER BY rd.org_id, rd.user_id",
	/* Binds: stage, REMIND_DUE, REMIND_NEW. */
	[STMT_REMIND_INSERT] = "INSERT INTO lifecycle_attestation_reminders "
	    "(organisation_id, user_id, stage, deadline, sponsor) "
	    "SELECT rd.org_id, rd.user_id, ?, rd.deadline, rd.sponsor "
	    "FROM " REMIND_DUE "WHERE " REMIND_NEW
	    "ORDER BY rd.org_id, rd.user_id",
	[STMT_REMIND_PENDING] = "SELECT x.user_id, u.login, u.email, u.name, "
	    "o.slug, o.name, x.stage, x.deadline, x.sponsor, "
	    "(SELECT COUNT(*) FROM users m WHERE m.organisation_id = o.id "
	    "AND m.status = 'active' AND m.deleted_at IS NULL) "
	    "FROM lifecycle_attestation_reminders x "
	    "JOIN users u ON u.id = x.user_id "
	    "JOIN organisations o ON o.id = x.organisation_id "
	    "WHERE x.sent_at IS NULL ORDER BY x.organisation_id, x.user_id",
	/* Binds: now, policy. */
	[STMT_REMIND_AUDIT] = "INSERT INTO audit_log "
	    "(actor_user_id, action, subject_user_id, detail) "
	    "SELECT NULL, 'lifecycle.attestation_remind', x.user_id, "
	    "CONCAT('rule=attestation stage=', x.stage, ' organisation=', "
	    "o.slug, ' deadline=\"', x.deadline, '\" sponsor=', "
	    "IF(x.sponsor, 'yes', 'no'), ' now=\"', ?, '\" policy=\"', ?, "
	    "'\"') FROM lifecycle_attestation_reminders x "
	    "JOIN organisations o ON o.id = x.organisation_id "
	    "WHERE x.sent_at IS NULL ORDER BY x.organisation_id, x.user_id",
	[STMT_REMIND_SENT] = "UPDATE lifecycle_attestation_reminders "
	    "SET sent_at = ? WHERE sent_at IS NULL",
	/* Binds: INVITE_DUE, last id, limit; FOR UPDATE in run. */
	[STMT_INVITE_LIST] = "SELECT i.id, c.slug, i.expires_at, "
	    "COALESCE(i.invitee_user_id, 0) " INVITE_DUE "AND i.id > ? "
	    "ORDER BY i.id LIMIT ? FOR UPDATE",
	/* Binds: now, policy, INVITE_DUE, first id, last id. */
	[STMT_INVITE_AUDIT] = "INSERT INTO audit_log "
	    "(actor_user_id, action, subject_user_id, detail) "
	    "SELECT NULL, 'lifecycle.invitation_expire', i.invitee_user_id, "
	    "CONCAT('rule=invitation invitation=', i.id, ' community=', "
	    "c.slug, ' reason=\"not redeemed by ', i.expires_at, "
	    "'\" now=\"', ?, '\" policy=\"', ?, '\"') " INVITE_DUE
	    "AND i.id BETWEEN ? AND ? ORDER BY i.id",
	/* Binds: now, now, first id, last id. */
	[STMT_INVITE_EXPIRE] = "UPDATE community_invitations "
	    "SET status = 'expired', decided_at = " T_ " "
	    "WHERE status = 'pending' AND expires_at <= " T_ " "
	    "AND id BETWEEN ? AND ?",
	[STMT_DISABLE_PLAN_TERM] = "SELECT "
	    DISABLE_PLAN("term", REASON_TERM, COND_TERM),
	[STMT_DISABLE_PLAN_ORG] = "SELECT "
	    DISABLE_PLAN("org_term", REASON_ORG, COND_ORG),
	[STMT_DISABLE_PLAN_ATT] = "SELECT "
	    DISABLE_PLAN("attestation", REASON_ATT, COND_ATT),
	[STMT_DISABLE_PLAN_INACT] = "SELECT "
	    DISABLE_PLAN("inactivity", REASON_INACT, COND_INACT),
	[STMT_DISABLE_TERM] = "UPDATE "
	    DISABLE_SET("term", REASON_TERM, COND_TERM),
	[STMT_DISABLE_ORG] = "UPDATE "
	    DISABLE_SET("org_term", REASON_ORG, COND_ORG),
	[STMT_DISABLE_ATT] = "UPDATE "
	    DISABLE_SET("attestation", REASON_ATT, COND_ATT),
	[STMT_DISABLE_INACT] = "UPDATE "
	    DISABLE_SET("inactivity", REASON_INACT, COND_INACT),
	/* Column 6: the set-wise statement mailed the person. */
	[STMT_TODO_DISABLED] = "SELECT u.id, u.login, u.email, u.name, "
	    "u.lifecycle_rule, u.disabled_reason, "
	    NAME_OK("u") " AND " TEXT_OK("u.disabled_reason") " AND "
	    ADDR_OK("u") " FROM users u "
	    "WHERE u.lifecycle_todo = 1 ORDER BY u.id",
	/* Binds: subject, body, domain, now digits, rule. */
	[STMT_DISABLE_MAIL] = "INSERT INTO " OUTBOX_COLS
	    "SELECT u.email, u.name, "
	    "REPLACE(REPLACE(?, '[[pt:reason]]', u.disabled_reason), "
	    "'[[pt:name]]', u.name), "
	    "REPLACE(REPLACE(?, '[[pt:reason]]', u.disabled_reason), "
	    "'[[pt:name]]', u.name), "
	    "'mail/lifecycle-disabled.xsl', 'queued', 0, UTC_TIMESTAMP(), "
	    "UTC_TIMESTAMP(), " MSGID ", CONCAT('lifecycle:', "
	    "u.lifecycle_rule, ':disable:', u.id, ':', ?) FROM users u "
	    "WHERE u.lifecycle_todo = 1 AND u.lifecycle_rule = ? AND "
	    NAME_OK("u") " AND " TEXT_OK("u.disabled_reason") " AND "
	    ADDR_OK("u") " ORDER BY u.id ON DUPLICATE KEY UPDATE "
	    "mail_outbox.id = mail_outbox.id",
	/* Binds: now, policy. */
	[STMT_DISABLE_AUDIT] = "INSERT INTO audit_log "
	    "(actor_user_id, action, subject_user_id, detail) "
	    "SELECT NULL, 'lifecycle.disable', u.id, CONCAT('rule=', "
	    "u.lifecycle_rule, ' reason=\"', u.disabled_reason, '\" now=\"', "
	    "?, '\" policy=\"', ?, '\"') FROM users u "
	    "WHERE u.lifecycle_todo = 1 ORDER BY u.id",
	/* Every session of the batch's accounts, in one statement. */
	[STMT_END_SESSIONS] = "UPDATE sessions s JOIN users u "
	    "ON u.id = s.user_id SET s.ended_at = NOW(), "
	    "s.end_reason = 'lifecycle: account disabled' "
	    "WHERE u.lifecycle_todo = 1 AND s.ended_at IS NULL",
	[STMT_TODO_CLEAR] = "UPDATE users SET lifecycle_todo = 0 "
	    "WHERE lifecycle_todo <> 0",
	/* Binds: DEL_WHERE, last id, limit. */
	[STMT_DELETE_PLAN] = "SELECT u.id, u.login, u.lifecycle_rule, "
	    DEL_REASON("u") " FROM users u " DEL_WHERE("u") "AND u.id > ? "
	    "ORDER BY u.id LIMIT ?",
	/* Binds: DEL_WHERE, last id, limit. */
	[STMT_DELETE_MARK] = "UPDATE users u SET u.lifecycle_todo = 2 "
	    DEL_WHERE("u") "AND u.id > ? ORDER BY u.id LIMIT ?",
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
	[STMT_DEL_GROUPS] = "DELETE g FROM user_groups g JOIN users u "
	    "ON u.id = g.user_id WHERE u.lifecycle_todo = 2",
	[STMT_DEL_ROLES] = "DELETE r FROM user_roles r JOIN users u "
	    "ON u.id = r.user_id WHERE u.lifecycle_todo = 2",
	[STMT_DEL_MEMBERSHIPS] = "DELETE m FROM directory_memberships m "
	    "JOIN users u ON u.id = m.user_id WHERE u.lifecycle_todo = 2",
	/* Ended sessions hold client addresses and user agents. */
	[STMT_DEL_SESSIONS] = "DELETE s FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE u.lifecycle_todo = 2",
	/*
	 * What the person or others added about them (directory card,
	 * expertise), their community memberships (so no member list shows
	 * them), their feed token and their inbox.  Their posts stay.
	 */
	[STMT_DEL_PROFILE] = "DELETE p FROM user_profiles p JOIN users u "
	    "ON u.id = p.user_id WHERE u.lifecycle_todo = 2",
	[STMT_DEL_EXPERTISE] = "DELETE x FROM user_expertise x JOIN users u "
	    "ON u.id = x.user_id WHERE u.lifecycle_todo = 2",
	[STMT_DEL_COMMUNITIES] = "DELETE m FROM community_members m "
	    "JOIN users u ON u.id = m.user_id WHERE u.lifecycle_todo = 2",
	[STMT_DEL_FEED_TOKEN] = "DELETE f FROM feed_tokens f JOIN users u "
	    "ON u.id = f.user_id WHERE u.lifecycle_todo = 2",
	[STMT_DEL_INBOX] = "DELETE n FROM notifications n JOIN users u "
	    "ON u.id = n.user_id WHERE u.lifecycle_todo = 2",
	/* Binds: now. */
	[STMT_SCRUB] = "UPDATE users u SET u.name = COALESCE((SELECT "
	    "CONCAT('former member of ', o.name) FROM organisations o "
	    "WHERE o.id = u.organisation_id), 'former member'), "
	    "u.email = '', u.login = CONCAT('deleted-', u.id), "
	    "u.external_id = CONCAT('deleted:', u.id), u.deleted_at = ?, "
	    "u.lifecycle_todo = 0 WHERE u.lifecycle_todo = 2",
	/* Binds: last id, limit. */
	[STMT_EXEMPT_PLAN] = "SELECT u.id, u.login, COALESCE((SELECT e.reason "
	    "FROM lifecycle_exemptions e WHERE e.user_id = u.id), (SELECT "
	    "CONCAT('group ', x.group_name, ': ', x.reason) FROM user_groups g "
	    "JOIN lifecycle_group_exemptions x ON x.group_hash = g.group_hash "
	    "WHERE g.user_id = u.id ORDER BY x.id LIMIT 1)) "
	    "FROM (SELECT e.user_id FROM lifecycle_exemptions e UNION "
	    "SELECT g.user_id FROM user_groups g JOIN lifecycle_group_exemptions "
	    "x ON x.group_hash = g.group_hash) ex JOIN users u ON u.id = "
	    "ex.user_id WHERE u.deleted_at IS NULL AND u.id > ? "
	    "ORDER BY u.id LIMIT ?",
	[STMT_SPONSOR_ORG] = "SELECT id FROM organisations "
	    "WHERE slug = ? AND kind = 'partner' FOR UPDATE",
	/* A sponsor is an active channel manager. */
	/*
	 * Of a person's accounts at two identity sources (one login), the
	 * one they signed in with last, as everywhere a login names a user.
	 */
	[STMT_SPONSOR_USER] = "SELECT u.id FROM users u WHERE u.login = ? "
	    "AND u.status = 'active' AND u.deleted_at IS NULL "
	    "AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id "
	    "AND r.role = 'channel_manager') "
	    "ORDER BY u.last_login_at IS NULL, u.last_login_at DESC, u.id DESC "
	    "LIMIT 1",
	[STMT_SPONSOR_SET] = "UPDATE organisations SET sponsor_user_id = ? "
	    "WHERE id = ?",
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
	unsigned int			 adays[PT_LIFECYCLE_STAGES_MAX];
	size_t				 nadays;
	int				 pass;	/* disable_plan's pass */
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

/* Runs a statement that takes (now): marking rows sent. */
static int
exec_now(struct sweep *sw, int which)
{
	struct pt_stmt *st;

	if ((st = stmt(sw, which)) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, sw->now);
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
	if (!pt_mail_header_ok(name) || strlen(name) > 255)
		name = "";
	rc = pt_mail_queue(sw->db, sw->a, sw->cfg, tmpl, doc, email, name,
	    key);
	return rc == PT_DECLINED ? PT_OK : rc;
}

/*
 * Renders tmpl once with placeholder data and splits it into subject and
 * body (arena), for the set-wise statements.  PT_OK or PT_ERR.
 */
static int
render(struct sweep *sw, const char *tmpl, xmlDocPtr doc,
    const char **subject, const char **body)
{
	const char	*ctype;
	char		*out;
	size_t		 len;

	if (pt_view_render(sw->a, tmpl, doc, &out, &len, &ctype) != PT_OK ||
	    pt_mail_split(sw->a, out, len, subject, body) != PT_OK) {
		pt_log(PT_LOG_ERR, "lifecycle: %s: cannot render", tmpl);
		return PT_ERR;
	}
	return PT_OK;
}

/* The domain of message ids, as pt_mail_queue makes them. */
static const char *
msgid_domain(const struct pt_config *cfg)
{
	const char *at = strchr(cfg->mail_from_address, '@');

	return at != NULL ? at + 1 : "localhost";
}

/*
 * Runs a set-wise mail statement for one rule: binds subject, body, the
 * message id domain, then extra (may be NULL), then the rule.
 */
static int
mail_set(struct sweep *sw, int which, const char *subject, const char *body,
    const char *extra, const char *rule)
{
	struct pt_stmt	*st;
	unsigned int	 k = 0;

	if ((st = stmt(sw, which)) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, k++, subject);
	pt_db_bind_text(st, k++, body);
	pt_db_bind_text(st, k++, msgid_domain(sw->cfg));
	if (extra != NULL)
		pt_db_bind_text(st, k++, extra);
	pt_db_bind_text(st, k, rule);
	return pt_db_exec(st);
}

/* The rules a batch can hold, for the set-wise mail (one pass each). */
static const char *const rules[] = { "inactivity", "term", "org_term",
    "attestation" };

/* The index of rule in rules[], or -1. */
static int
rule_index(const char *rule)
{
	size_t i;

	for (i = 0; i < PT_NELEM(rules); i++)
		if (strcmp(rules[i], rule) == 0)
			return (int)i;
	return -1;
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

/* ---------------------------------------------------------- warnings */

/* The clocks, in the order of a stage's passes. */
enum clock {
	CLOCK_INACTIVITY,
	CLOCK_TERM,
	CLOCK_ORG_TERM,
	CLOCK__MAX
};

static const int warn_plan_stmt[CLOCK__MAX] = { STMT_WARN_PLAN_I,
    STMT_WARN_PLAN_T, STMT_WARN_PLAN_O };
static const int warn_insert_stmt[CLOCK__MAX] = { STMT_WARN_INSERT_I,
    STMT_WARN_INSERT_T, STMT_WARN_INSERT_O };

/* Binds DUE and WARN_WHERE from parameter k on; returns the next. */
static unsigned int
bind_warn(struct sweep *sw, struct pt_stmt *st, unsigned int k,
    unsigned int stage, unsigned int next, int64_t last, enum clock c)
{
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
	pt_db_bind_int(st, k++, last);
	if (c == CLOCK_INACTIVITY) {
		pt_db_bind_text(st, k++, sw->now);
		pt_db_bind_int(st, k++, stage);
		pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
		pt_db_bind_text(st, k++, sw->now);
		pt_db_bind_int(st, k++, next);
		pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
	}
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
warn_plan(struct sweep *sw, unsigned int stage, unsigned int next,
    enum clock c)
{
	struct pt_stmt	*st;
	int64_t		 last = 0;
	unsigned int	 k, n;
	int		 rc;

	do {
		pt_arena_reset(sw->a);
		if ((st = stmt(sw, warn_plan_stmt[c])) == NULL)
			return PT_ERR;
		k = bind_warn(sw, st, 0, stage, next, last, c);
		pt_db_bind_int(st, k, sw->cfg->lifecycle_batch);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		n = 0;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			n++;
			last = pt_db_col_int(st, 0);
			print_warn(sw, stage, last, pt_db_col_text(st, 1),
			    pt_db_col_text(st, 2), pt_db_col_text(st, 3),
			    pt_db_col_text(st, 4));
		}
		if (rc != PT_DECLINED)
			return PT_ERR;
	} while (n == sw->cfg->lifecycle_batch);
	return PT_OK;
}

/* The data of a warning mail (real values, or placeholders). */
static xmlDocPtr
warn_doc(struct sweep *sw, unsigned int stage, bool last, const char *rule,
    const char *name, const char *deadline, const char *reason,
    const char *org, const char *login, const char *email)
{
	xmlDocPtr	 doc = pt_xml_doc(sw->a, "mail");
	xmlNodePtr	 root = xmlDocGetRootElement(doc);

	pt_xml_text(root, "site", sw->cfg->site_name);
	pt_xml_text(root, "name", name);
	pt_xml_text(root, "rule", rule);
	pt_xml_textf(root, "days", "%u", stage);
	if (last)
		pt_xml_text(root, "last", "yes");
	pt_xml_text(root, "deadline", deadline);
	pt_xml_text(root, "reason", reason);
	pt_xml_text(root, "organisation", org);
	pt_xml_text(root, "login", login);
	pt_xml_text(root, "email", email);
	return doc;
}

/*
 * One batch of warnings of a stage and clock after user *last (advanced);
 * *n is how
 * many.  The final stage is copied to the organisation's sponsor.
 * PT_OK or PT_ERR.
 */
static int
warn_batch(struct sweep *sw, unsigned int stage, unsigned int next,
    enum clock c, int64_t *pos, unsigned long *n)
{
	struct pt_stmt	*st;
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	const char	*key, *subject, *body;
	int64_t		 user;
	unsigned int	 k, seen = 0;
	bool		 last = stage == sw->days[sw->ndays - 1];
	int		 rc;

	*n = 0;
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, warn_insert_stmt[c])) == NULL)
		return fail(sw, "warn insert");
	pt_db_bind_int(st, 0, stage);
	k = bind_warn(sw, st, 1, stage, next, *pos, c);
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
		*pos = user;
		print_warn(sw, (unsigned int)pt_db_col_int(st, 5), user,
		    pt_db_col_text(st, 1), pt_db_col_text(st, 4),
		    pt_db_col_text(st, 6), pt_db_col_text(st, 7));
		if ((k = rule_index(pt_db_col_text(st, 4))) < PT_NELEM(rules))
			seen |= 1u << k;
		/* The set-wise statements below mail these. */
		if (pt_db_col_int(st, 12) != 0 &&
		    (!last || pt_db_col_int(st, 13) != 0 ||
		    *pt_db_col_text(st, 9) == '\0'))
			continue;
		/* One by one: values the set-wise check does not pass. */
		doc = warn_doc(sw, stage, last, pt_db_col_text(st, 4),
		    pt_db_col_text(st, 3), pt_db_col_text(st, 6),
		    pt_db_col_text(st, 7), pt_db_col_text(st, 8),
		    pt_db_col_text(st, 1), pt_db_col_text(st, 2));
		root = xmlDocGetRootElement(doc);
		key = pt_printf(sw->a, "lifecycle:%s:%s:%lld:%s",
		    pt_db_col_text(st, 4), pt_db_col_text(st, 5),
		    (long long)user, digits(sw->a, pt_db_col_text(st, 6)));
		if (pt_db_col_int(st, 12) == 0 &&
		    queue(sw, "mail/lifecycle-warning.xsl", doc,
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3), key) != PT_OK)
			return fail(sw, "warn mail");
		/* The sponsor gets a copy of the final warning. */
		if (last && *pt_db_col_text(st, 9) != '\0' &&
		    pt_db_col_int(st, 13) == 0) {
			pt_xml_text(root, "sponsor", pt_db_col_text(st, 10));
			if (queue(sw, "mail/lifecycle-sponsor.xsl", doc,
			    pt_db_col_text(st, 9), pt_db_col_text(st, 10),
			    pt_printf(sw->a, "%s:sponsor", key)) != PT_OK)
				return fail(sw, "sponsor mail");
		}
	}
	if (rc != PT_DECLINED)
		return fail(sw, "warn pending");
	/* The others, one statement per rule (and copy) in the batch. */
	for (k = 0; k < PT_NELEM(rules); k++) {
		if (!(seen & (1u << k)))
			continue;
		doc = warn_doc(sw, stage, last, rules[k], "[[pt:name]]",
		    PH_DEADLINE, "[[pt:reason]]", "[[pt:organisation]]",
		    "[[pt:login]]", "[[pt:email]]");
		if (render(sw, "mail/lifecycle-warning.xsl", doc, &subject,
		    &body) != PT_OK ||
		    mail_set(sw, STMT_WARN_MAIL, subject, body, NULL,
		    rules[k]) != PT_OK)
			return fail(sw, "warn mail");
		if (!last)
			continue;
		pt_xml_text(xmlDocGetRootElement(doc), "sponsor",
		    "[[pt:sponsor]]");
		if (render(sw, "mail/lifecycle-sponsor.xsl", doc, &subject,
		    &body) != PT_OK ||
		    mail_set(sw, STMT_SPONSOR_MAIL, subject, body, NULL,
		    rules[k]) != PT_OK)
			return fail(sw, "sponsor mail");
	}
	if (exec_audit(sw, STMT_WARN_AUDIT) != PT_OK)
		return fail(sw, "warn audit");
	if (exec_now(sw, STMT_WARN_SENT) != PT_OK)
		return fail(sw, "warn sent");
	return commit(sw);
}

static int
warn_stage(struct sweep *sw, unsigned int stage, unsigned int next)
{
	int64_t		 last;
	unsigned long	 n;
	int		 c;

	for (c = 0; c < CLOCK__MAX; c++) {
		if (c == CLOCK_INACTIVITY &&
		    sw->cfg->lifecycle_inactivity_days == 0)
			continue;
		if (!sw->run) {
			if (warn_plan(sw, stage, next, c) != PT_OK)
				return PT_ERR;
			continue;
		}
		last = 0;
		do {
			if (warn_batch(sw, stage, next, c, &last, &n) != PT_OK)
				return PT_ERR;
		} while (n > 0);
	}
	return PT_OK;
}

/* ------------------------------------------------ attestation reminders */

/* Binds ATT_WIN from k on; returns the next. */
static unsigned int
bind_att_win(struct sweep *sw, struct pt_stmt *st, unsigned int k,
    unsigned int stage, unsigned int next)
{
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	pt_db_bind_int(st, k++, stage);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	pt_db_bind_int(st, k++, next);
	return k;
}

/* Binds REMIND_DUE and REMIND_NEW from k on. */
static void
bind_remind(struct sweep *sw, struct pt_stmt *st, unsigned int k,
    unsigned int stage, unsigned int next)
{
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	k = bind_att_win(sw, st, k, stage, next);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	k = bind_att_win(sw, st, k, stage, next);
	pt_db_bind_int(st, k++, next == 0);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_grace_days);
	pt_db_bind_int(st, k, stage);
}

static void
print_remind(struct sweep *sw, unsigned int stage, int64_t user,
    const char *login, const char *org, const char *deadline, bool sponsor)
{
	fprintf(sw->out, "remind-%u user=%lld login=%s rule=attestation "
	    "organisation=%s deadline=\"%s\" sponsor=%s policy=\"%s\"\n",
	    stage, (long long)user, login, org, deadline,
	    sponsor ? "yes" : "no", sw->policy);
	sw->st->reminded++;
}

/*
 * The reminders of one stage, all in one transaction: there is one per
 * partner admin of an organisation whose deadline is near, a bounded few.
 */
static int
remind_stage(struct sweep *sw, unsigned int stage, unsigned int next)
{
	struct pt_stmt	*st;
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	int64_t		 user;
	int		 rc;

	if (!sw->run) {
		pt_arena_reset(sw->a);
		if ((st = stmt(sw, STMT_REMIND_PLAN)) == NULL)
			return PT_ERR;
		bind_remind(sw, st, 0, stage, next);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		while ((rc = pt_db_fetch(st)) == PT_OK)
			print_remind(sw, stage, pt_db_col_int(st, 0),
			    pt_db_col_text(st, 1), pt_db_col_text(st, 2),
			    pt_db_col_text(st, 3), pt_db_col_int(st, 4) != 0);
		return rc == PT_DECLINED ? PT_OK : PT_ERR;
	}
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, STMT_REMIND_INSERT)) == NULL)
		return fail(sw, "remind insert");
	pt_db_bind_int(st, 0, stage);
	bind_remind(sw, st, 1, stage, next);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "remind insert");
	if (pt_db_affected(st) == 0)
		return nothing(sw);
	if ((st = stmt(sw, STMT_REMIND_PENDING)) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return fail(sw, "remind pending");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		user = pt_db_col_int(st, 0);
		print_remind(sw, (unsigned int)pt_db_col_int(st, 6), user,
		    pt_db_col_text(st, 1), pt_db_col_text(st, 4),
		    pt_db_col_text(st, 7), pt_db_col_int(st, 8) != 0);
		doc = pt_xml_doc(sw->a, "mail");
		root = xmlDocGetRootElement(doc);
		pt_xml_text(root, "site", sw->cfg->site_name);
		pt_xml_text(root, "name", pt_db_col_text(st, 3));
		pt_xml_text(root, "slug", pt_db_col_text(st, 4));
		pt_xml_text(root, "organisation", pt_db_col_text(st, 5));
		pt_xml_text(root, "days", pt_db_col_text(st, 6));
		pt_xml_text(root, "deadline", pt_db_col_text(st, 7));
		if (pt_db_col_int(st, 8) != 0)
			pt_xml_text(root, "sponsor", "yes");
		if (next == 0)
			pt_xml_text(root, "last", "yes");
		pt_xml_text(root, "users", pt_db_col_text(st, 9));
		if (queue(sw, "mail/attestation-reminder.xsl", doc,
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3),
		    pt_printf(sw->a, "attestation:%s:%u:%lld:%s",
		    pt_db_col_text(st, 4), stage, (long long)user,
		    digits(sw->a, pt_db_col_text(st, 7)))) != PT_OK)
			return fail(sw, "remind mail");
	}
	if (rc != PT_DECLINED)
		return fail(sw, "remind pending");
	if (exec_audit(sw, STMT_REMIND_AUDIT) != PT_OK)
		return fail(sw, "remind audit");
	if (exec_now(sw, STMT_REMIND_SENT) != PT_OK)
		return fail(sw, "remind sent");
	return commit(sw);
}

/* ------------------------------------------------------- invitations */

/*
 * One batch of unredeemed invitations past their expiry after *last
 * (advanced); *n is how many.  Plan prints them and changes nothing.
 */
static int
invite_batch(struct sweep *sw, int64_t *last, unsigned long *n)
{
	struct pt_stmt	*st;
	int64_t		 first = 0, id = 0;
	int		 rc;

	*n = 0;
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, STMT_INVITE_LIST)) == NULL)
		return fail(sw, "invitations");
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_int(st, 1, *last);
	pt_db_bind_int(st, 2, sw->cfg->lifecycle_batch);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "invitations");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		id = pt_db_col_int(st, 0);
		if (first == 0)
			first = id;
		(*n)++;
		fprintf(sw->out, "expire invitation=%lld community=%s "
		    "invitee=%lld rule=invitation reason=\"not redeemed by "
		    "%s\" policy=\"%s\"\n", (long long)id,
		    pt_db_col_text(st, 1), (long long)pt_db_col_int(st, 3),
		    pt_db_col_text(st, 2), sw->policy);
		sw->st->expired++;
	}
	if (rc != PT_DECLINED)
		return fail(sw, "invitations");
	if (*n == 0)
		return nothing(sw);
	*last = id;
	if (!sw->run) {
		/* Plan: keep the lines, change nothing. */
		pt_db_rollback(sw->db);
		end(sw, true);
		return PT_OK;
	}
	if ((st = stmt(sw, STMT_INVITE_AUDIT)) == NULL)
		return fail(sw, "invitation audit");
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_text(st, 1, sw->policy);
	pt_db_bind_text(st, 2, sw->now);
	pt_db_bind_int(st, 3, first);
	pt_db_bind_int(st, 4, id);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "invitation audit");
	if ((st = stmt(sw, STMT_INVITE_EXPIRE)) == NULL)
		return fail(sw, "invitation expire");
	pt_db_bind_text(st, 0, sw->now);
	pt_db_bind_text(st, 1, sw->now);
	pt_db_bind_int(st, 2, first);
	pt_db_bind_int(st, 3, id);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "invitation expire");
	return commit(sw);
}

static int
invitations(struct sweep *sw)
{
	int64_t		 last = 0;
	unsigned long	 n;

	do {
		if (invite_batch(sw, &last, &n) != PT_OK)
			return PT_ERR;
	} while (n == sw->cfg->lifecycle_batch);
	return PT_OK;
}

/* ----------------------------------------------------------- disable */

/* The disable passes, in order (see DUE_TERM). */
enum pass {
	PASS_TERM,
	PASS_ORG,
	PASS_ATT,
	PASS_INACT,
	PASS__MAX
};

static const int disable_plan_stmt[PASS__MAX] = { STMT_DISABLE_PLAN_TERM,
    STMT_DISABLE_PLAN_ORG, STMT_DISABLE_PLAN_ATT, STMT_DISABLE_PLAN_INACT };
static const int disable_stmt[PASS__MAX] = { STMT_DISABLE_TERM,
    STMT_DISABLE_ORG, STMT_DISABLE_ATT, STMT_DISABLE_INACT };

static unsigned int
bind_term(struct sweep *sw, struct pt_stmt *st, unsigned int k)
{
	pt_db_bind_text(st, k++, sw->now);
	return k;
}

static unsigned int
bind_att(struct sweep *sw, struct pt_stmt *st, unsigned int k)
{
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	pt_db_bind_text(st, k++, sw->now);
	return k;
}

/* Binds the reason of pass p from k on; returns the next. */
static unsigned int
bind_reason(struct sweep *sw, struct pt_stmt *st, unsigned int k,
    enum pass p)
{
	if (p == PASS_ATT)
		pt_db_bind_int(st, k++, sw->cfg->lifecycle_attestation_days);
	return k;
}

/* Binds the condition of pass p (COND_*) from k on; returns the next. */
static unsigned int
bind_pass(struct sweep *sw, struct pt_stmt *st, unsigned int k, enum pass p)
{
	switch (p) {
	case PASS_TERM:
		return bind_term(sw, st, k);
	case PASS_ORG:
		k = bind_term(sw, st, k);		/* DUE_ORG */
		return bind_term(sw, st, k);		/* not DUE_TERM */
	case PASS_ATT:
		k = bind_att(sw, st, k);
		k = bind_term(sw, st, k);
		return bind_term(sw, st, k);
	default:
		pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
		pt_db_bind_text(st, k++, sw->now);
		pt_db_bind_int(st, k++, sw->cfg->lifecycle_inactivity_days);
		k = bind_term(sw, st, k);
		k = bind_term(sw, st, k);
		return bind_att(sw, st, k);
	}
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
	return bind_pass(sw, st, bind_reason(sw, st, 0, sw->pass), sw->pass);
}

static int
disable_plan(struct sweep *sw)
{
	for (sw->pass = 0; sw->pass < PASS__MAX; sw->pass++)
		if (action_plan(sw, disable_plan_stmt[sw->pass], "disable",
		    bind_disable, &sw->st->disabled) != PT_OK)
			return PT_ERR;
	return PT_OK;
}

/* The data of a disable notice (real values, or placeholders). */
static xmlDocPtr
disabled_doc(struct sweep *sw, const char *rule, const char *name,
    const char *reason)
{
	xmlDocPtr	 doc = pt_xml_doc(sw->a, "mail");
	xmlNodePtr	 root = xmlDocGetRootElement(doc);

	pt_xml_text(root, "site", sw->cfg->site_name);
	pt_xml_text(root, "name", name);
	pt_xml_text(root, "rule", rule);
	pt_xml_text(root, "reason", reason);
	pt_xml_textf(root, "grace_days", "%u", sw->cfg->lifecycle_grace_days);
	pt_xml_text(root, "contact", sw->cfg->lifecycle_contact);
	return doc;
}

static int
disable_batch(struct sweep *sw, enum pass p, int64_t *last, unsigned long *n)
{
	struct pt_stmt	*st;
	xmlDocPtr	 doc;
	const char	*key, *subject, *body;
	int64_t		 user;
	unsigned int	 k, seen = 0;
	int		 rc;

	*n = 0;
	if (begin(sw) != PT_OK)
		return fail(sw, "begin");
	if ((st = stmt(sw, disable_stmt[p])) == NULL)
		return fail(sw, "disable");
	k = bind_pass(sw, st, 0, p);
	pt_db_bind_int(st, k++, *last);
	pt_db_bind_int(st, k++, sw->cfg->lifecycle_batch);
	k = bind_reason(sw, st, k, p);
	pt_db_bind_text(st, k++, sw->now);
	pt_db_bind_text(st, k, sw->now);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "disable");
	if ((*n = pt_db_affected(st)) == 0) {
		return nothing(sw);
	}
	/* Every session of the batch ends with one statement. */
	if (exec_plain(sw, STMT_END_SESSIONS) != PT_OK)
		return fail(sw, "end sessions");
	if ((st = stmt(sw, STMT_TODO_DISABLED)) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return fail(sw, "disabled list");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		user = pt_db_col_int(st, 0);
		*last = user;
		print_action(sw, "disable", user, pt_db_col_text(st, 1),
		    pt_db_col_text(st, 4), pt_db_col_text(st, 5));
		sw->st->disabled++;
		if ((k = rule_index(pt_db_col_text(st, 4))) < PT_NELEM(rules))
			seen |= 1u << k;
		if (pt_db_col_int(st, 6) != 0)
			continue;	/* mailed set-wise below */
		doc = disabled_doc(sw, pt_db_col_text(st, 4),
		    pt_db_col_text(st, 3), pt_db_col_text(st, 5));
		key = pt_printf(sw->a, "lifecycle:%s:disable:%lld:%s",
		    pt_db_col_text(st, 4), (long long)user,
		    digits(sw->a, sw->now));
		if (queue(sw, "mail/lifecycle-disabled.xsl", doc,
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3), key) != PT_OK)
			return fail(sw, "disable mail");
	}
	if (rc != PT_DECLINED)
		return fail(sw, "disabled list");
	for (k = 0; k < PT_NELEM(rules); k++) {
		if (!(seen & (1u << k)))
			continue;
		doc = disabled_doc(sw, rules[k], "[[pt:name]]",
		    "[[pt:reason]]");
		if (render(sw, "mail/lifecycle-disabled.xsl", doc, &subject,
		    &body) != PT_OK ||
		    mail_set(sw, STMT_DISABLE_MAIL, subject, body,
		    digits(sw->a, sw->now), rules[k]) != PT_OK)
			return fail(sw, "disable mail");
	}
	if (exec_audit(sw, STMT_DISABLE_AUDIT) != PT_OK)
		return fail(sw, "disable audit");
	if (exec_plain(sw, STMT_TODO_CLEAR) != PT_OK)
		return fail(sw, "disable clear");
	return commit(sw);
}

/* ------------------------------------------------------------ delete */

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
delete_batch(struct sweep *sw, int64_t *last, unsigned long *n)
{
	static const int	 cleanup[] = { STMT_DEL_GROUPS, STMT_DEL_ROLES,
	    STMT_DEL_MEMBERSHIPS, STMT_DEL_SESSIONS, STMT_DEL_PROFILE,
	    STMT_DEL_EXPERTISE, STMT_DEL_COMMUNITIES, STMT_DEL_FEED_TOKEN,
	    STMT_DEL_INBOX };
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
	pt_db_bind_int(st, 2, *last);
	pt_db_bind_int(st, 3, sw->cfg->lifecycle_batch);
	if (pt_db_exec(st) != PT_OK)
		return fail(sw, "delete");
	if ((*n = pt_db_affected(st)) == 0) {
		return nothing(sw);
	}
	if ((st = stmt(sw, STMT_TODO_DELETED)) == NULL ||
	    pt_db_exec(st) != PT_OK)
		return fail(sw, "deleted list");
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		*last = pt_db_col_int(st, 0);
		print_action(sw, "delete", *last, pt_db_col_text(st, 1),
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3));
		sw->st->deleted++;
	}
	if (rc != PT_DECLINED)
		return fail(sw, "deleted list");
	if (exec_audit(sw, STMT_DELETE_AUDIT) != PT_OK)
		return fail(sw, "delete audit");
	for (i = 0; i < PT_NELEM(cleanup); i++)
		if (exec_plain(sw, cleanup[i]) != PT_OK)
			return fail(sw, "delete personal data");
	if (exec_now(sw, STMT_SCRUB) != PT_OK)
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

/* Runs batch from id 0 until it finds nothing more to do. */
static int
repeat(struct sweep *sw,
    int (*batch)(struct sweep *, int64_t *, unsigned long *))
{
	int64_t		 last = 0;
	unsigned long	 n;

	do {
		if (batch(sw, &last, &n) != PT_OK)
			return PT_ERR;
	} while (n > 0);
	return PT_OK;
}

static int
sweep(struct sweep *sw)
{
	int64_t		 last;
	unsigned long	 n;
	size_t		 i;
	int		 p;

	for (i = 0; i < sw->ndays; i++)
		if (warn_stage(sw, sw->days[i],
		    i + 1 < sw->ndays ? sw->days[i + 1] : 0) != PT_OK)
			return PT_ERR;
	if (sw->cfg->lifecycle_attestation_days > 0)
		for (i = 0; i < sw->nadays; i++)
			if (remind_stage(sw, sw->adays[i],
			    i + 1 < sw->nadays ? sw->adays[i + 1] : 0) != PT_OK)
				return PT_ERR;
	if (invitations(sw) != PT_OK)
		return PT_ERR;
	if (sw->run) {
		for (p = 0; p < PASS__MAX; p++) {
			last = 0;
			do {
				if (disable_batch(sw, p, &last, &n) != PT_OK)
					return PT_ERR;
			} while (n > 0);
		}
		if (repeat(sw, delete_batch) != PT_OK)
			return PT_ERR;
		return PT_OK;
	}
	if (disable_plan(sw) != PT_OK || delete_plan(sw) != PT_OK ||
	    exempt_plan(sw) != PT_OK)
		return PT_ERR;
	return PT_OK;
}

/* Sets or clears an organisation's sponsor; see lifecycle.h. */
int
pt_lifecycle_set_sponsor(struct pt_db *db, struct pt_arena *a,
    const char *org, const char *login, int64_t actor,
    const char *request_id, const char **why)
{
	struct pt_stmt	*st;
	int64_t		 org_id, user = 0;
	int		 rc;

	*why = NULL;
	if (pt_db_begin(db) != PT_OK)
		return PT_ERR;
	if ((st = pt_db_stmt(db, a, stmts[STMT_SPONSOR_ORG])) == NULL)
		goto fail;
	pt_db_bind_text(st, 0, org);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		goto fail;
	if (rc == PT_DECLINED) {
		*why = "There is no partner organisation with that slug.";
		goto declined;
	}
	org_id = pt_db_col_int(st, 0);
	if (login != NULL && *login != '\0') {
		if ((st = pt_db_stmt(db, a, stmts[STMT_SPONSOR_USER])) == NULL)
			goto fail;
		pt_db_bind_text(st, 0, login);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
		if ((rc = pt_db_fetch(st)) == PT_OK)
			user = pt_db_col_int(st, 0);
		if (rc == PT_ERR)
			goto fail;
		if (user == 0) {
			*why = "The sponsor must be an active user with the "
			    "channel manager role.";
			goto declined;
		}
	}
	if ((st = pt_db_stmt(db, a, stmts[STMT_SPONSOR_SET])) == NULL)
		goto fail;
	if (user != 0)
		pt_db_bind_int(st, 0, user);
	else
		pt_db_bind_null(st, 0);
	pt_db_bind_int(st, 1, org_id);
	if (pt_db_exec(st) != PT_OK ||
	    pt_audit(db, a, actor, "lifecycle.sponsor", user,
	    pt_printf(a, "rule=attestation organisation=%s sponsor=%s", org,
	    user != 0 ? login : "(none)"), request_id ? request_id : "") !=
	    PT_OK)
		goto fail;
	return pt_db_commit(db);
declined:
	pt_db_rollback(db);
	return PT_DECLINED;
fail:
	pt_db_rollback(db);
	return PT_ERR;
}

/* "14,3" as applied (largest first); arena. */
static const char *
stages_str(struct pt_arena *a, const unsigned int *d, size_t n)
{
	const char	*s = pt_printf(a, "%u", d[0]);
	size_t		 i;

	for (i = 1; i < n; i++)
		s = pt_printf(a, "%s,%u", s, d[i]);
	return s;
}

int
pt_lifecycle_sweep(const struct pt_config *cfg, struct pt_db *db,
    const char *now, bool run, FILE *out, struct pt_lifecycle_stats *stats)
{
	struct pt_lifecycle_stats	 dummy;
	struct sweep			 sw;
	struct pt_stmt			*st;
	const char			*policy;
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
	if ((sw.nadays = pt_lifecycle_stages(
	    cfg->lifecycle_attestation_warn_days, sw.adays)) == 0) {
		pt_log(PT_LOG_ERR, "lifecycle: [lifecycle] "
		    "attestation_warn_days '%s' is not a list of days",
		    cfg->lifecycle_attestation_warn_days);
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
	policy = pt_printf(sw.a, "inactivity_days=%u warn_days=%s "
	    "grace_days=%u", cfg->lifecycle_inactivity_days,
	    stages_str(sw.a, sw.days, sw.ndays), cfg->lifecycle_grace_days);
	if (cfg->lifecycle_attestation_days > 0)
		policy = pt_printf(sw.a, "%s attestation_days=%u "
		    "attestation_warn_days=%s", policy,
		    cfg->lifecycle_attestation_days,
		    stages_str(sw.a, sw.adays, sw.nadays));
	/* The policy string outlives the per-batch resets: copy it out. */
	if ((sw.policy = strdup(policy)) == NULL)
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
