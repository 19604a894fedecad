/*
 * directory.c - brings Portico's users in line with the LDAP directory
 * between sign-ins.
 *
 * Sign-in already applies the directory's groups (pt_auth_apply_groups);
 * this is the same step for users who do not sign in: IT removes someone
 * from a portal group, or deletes them, and the next sync takes the role
 * away and ends the sessions that relied on it.  Users are read in id
 * order, a batch at a time (keyset pagination), each applied in its own
 * transaction, so a sync interrupted half-way leaves every user either
 * fully synced or untouched, and the next run completes the work.
 *
 * Deprovisioning ([lifecycle] deprovision, the default): a user no longer
 * in the directory, or left with no role at all (no [roles] mapping matches
 * their groups and no administrator granted one: the same test sign-in
 * applies), is disabled, not merely left without roles: status disabled,
 * disabled_reason, lifecycle_rule 'directory', so the lifecycle sweep
 * deletes the account after its grace period (sql/0011).  Accounts
 * exempted from the lifecycle (lifecycle_exemptions, or a group in
 * lifecycle_group_exemptions) lose their roles but stay enabled.  Only
 * active users are read, and nothing here or at sign-in ever sets a user
 * active again: re-enabling is an administrator's audited action
 * (modules/lifecycle_admin.c).  With deprovision false a gone user only
 * loses their directory roles and sessions, which already keeps them out.
 *
 * API: pt_directory_sync (directory.h).
 */
#include <string.h>

#include "portico.h"
#include "directory.h"
#include "ldap.h"

#define SYNC_BATCH	200

enum {
	STMT_BATCH,
	STMT_ROLES,
	STMT_DISABLE,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_BATCH] = "SELECT id, external_id FROM users "
	    "WHERE source = 'ldap' AND status = 'active' AND id > ? "
	    "ORDER BY id LIMIT ?",
	[STMT_ROLES] = "SELECT COUNT(*) FROM user_roles WHERE user_id = ?",
	/* Binds: reason, user.  Left to right: disabled_at is set first. */
	[STMT_DISABLE] = "UPDATE users u SET u.status = 'disabled', "
	    "u.disabled_reason = ?, u.disabled_at = UTC_TIMESTAMP(), "
	    "u.lifecycle_rule = 'directory', "
	    "u.lifecycle_disabled_at = u.disabled_at "
	    "WHERE u.id = ? AND u.status = 'active' "
	    "AND NOT EXISTS (SELECT 1 FROM lifecycle_exemptions e "
	    "WHERE e.user_id = u.id) "
	    "AND NOT EXISTS (SELECT 1 FROM user_groups g "
	    "JOIN lifecycle_group_exemptions x ON x.group_hash = g.group_hash "
	    "WHERE g.user_id = u.id)",
};

/*
 * Deprovisioning: disables user when the directory no longer knows them
 * (gone) or they hold no role at all, unless exempt; *done says whether it
 * did.  Inside the caller's transaction.  PT_OK or PT_ERR.
 */
static int
deprovision(const struct pt_config *cfg, struct pt_db *db, struct pt_arena *a,
    int64_t user, bool gone, bool *done)
{
	struct pt_stmt	*st;
	const char	*why;

	*done = false;
	if (!cfg->lifecycle_deprovision)
		return PT_OK;
	if (!gone) {
		if ((st = pt_db_stmt(db, a, stmts[STMT_ROLES])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, user);
		if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
			return PT_ERR;
		if (pt_db_col_int(st, 0) > 0)
			return PT_OK;
	}
	why = gone ? "no longer in the directory" :
	    "in no directory group that grants portal access";
	if ((st = pt_db_stmt(db, a, stmts[STMT_DISABLE])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, why);
	pt_db_bind_int(st, 1, user);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if (pt_db_affected(st) == 0)
		return PT_OK;	/* exempt */
	*done = true;
	if (pt_sess_end_user(db, a, user, "directory: account disabled") !=
	    PT_OK)
		return PT_ERR;
	return pt_audit(db, a, 0, "lifecycle.disable", user,
	    pt_printf(a, "rule=directory reason=\"%s\" policy=\"deprovision="
	    "true\"", why), "");
}

/* Applies the directory's answer for one user in one transaction. */
static int
sync_user(const struct pt_config *cfg, struct pt_db *db, struct pt_arena *a,
    int64_t user, const struct pt_identity *id, bool gone,
    struct pt_sync_stats *stats, FILE *progress)
{
	bool		 removed = false, disabled;
	const char	*why;

	if (pt_db_begin(db) != PT_OK)
		return PT_ERR;
	if (pt_auth_apply_groups(db, a, cfg, user, id, &removed) != PT_OK)
		goto fail;
	if (deprovision(cfg, db, a, user, gone, &disabled) != PT_OK)
		goto fail;
	if (disabled && progress != NULL)
		fprintf(progress, "sync-directory: user %lld disabled (%s)\n",
		    (long long)user, gone ? "no longer in the directory" :
		    "no portal group");
	if (removed || gone) {
		why = gone ? "directory sync: no longer in the directory" :
		    "directory sync: a directory group was removed";
		if (pt_sess_end_user(db, a, user, gone ? "directory: user gone" :
		    "directory: role removed") != PT_OK ||
		    pt_audit(db, a, 0, gone ? "directory_user_gone" :
		    "directory_role_removed", user, why, "") != PT_OK)
			goto fail;
		if (gone)
			stats->gone++;
		else
			stats->changed++;
	}
	return pt_db_commit(db);
fail:
	pt_db_rollback(db);
	return PT_ERR;
}

/* Syncs every active LDAP user; see directory.h. */
int
pt_directory_sync(const struct pt_config *cfg, struct pt_db *db,
    FILE *progress, struct pt_sync_stats *stats)
{
	struct pt_arena		*batch, *one;
	struct pt_stmt		*st;
	struct pt_identity	 id, none;
	int64_t			 last = 0, *ids;
	const char		**dns;
	size_t			 n, i;
	int			 rc = PT_OK, lrc;

	memset(stats, 0, sizeof(*stats));
	if (!cfg->ldap_enabled) {
		if (progress != NULL)
			fprintf(progress, "sync-directory: [ldap] is not "
			    "enabled; nothing to do\n");
		return PT_OK;
	}
	if (pt_db_ensure(db) != PT_OK)
		return PT_ERR;
	batch = pt_arena_new();
	one = pt_arena_new();
	memset(&none, 0, sizeof(none));
	none.source = "ldap";
	none.group_eq = pt_ldap_dn_equal;

	for (;;) {
		pt_arena_reset(batch);
		if ((st = pt_db_stmt(db, batch, stmts[STMT_BATCH])) == NULL) {
			rc = PT_ERR;
			break;
		}
		pt_db_bind_int(st, 0, last);
		pt_db_bind_int(st, 1, SYNC_BATCH);
		if (pt_db_exec(st) != PT_OK) {
			rc = PT_ERR;
			break;
		}
		ids = pt_alloc(batch, SYNC_BATCH * sizeof(*ids));
		dns = pt_alloc(batch, SYNC_BATCH * sizeof(*dns));
		for (n = 0; n < SYNC_BATCH && (lrc = pt_db_fetch(st)) == PT_OK;
		    n++) {
			ids[n] = pt_db_col_int(st, 0);
			dns[n] = pt_db_col_text(st, 1);
		}
		if (n == 0)
			break;
		for (i = 0; i < n && rc == PT_OK; i++) {
			pt_arena_reset(one);
			memset(&id, 0, sizeof(id));
			lrc = pt_ldap_lookup(cfg, one, dns[i], &id);
			id.group_eq = pt_ldap_dn_equal;
			if (lrc == PT_ERR) {
				if (progress != NULL)
					fprintf(progress, "sync-directory: the "
					    "directory did not answer for user "
					    "%lld; stopping without changing "
					    "the rest\n", (long long)ids[i]);
				rc = PT_ERR;
				break;
			}
			stats->checked++;
			rc = sync_user(cfg, db, one, ids[i],
			    lrc == PT_OK ? &id : &none, lrc == PT_DECLINED,
			    stats, progress);
			last = ids[i];
		}
		if (rc != PT_OK)
			break;
		if (progress != NULL)
			fprintf(progress, "sync-directory: %lu users checked, "
			    "%lu lost a role, %lu no longer in the directory\n",
			    stats->checked, stats->changed, stats->gone);
		if (n < SYNC_BATCH)
			break;
	}
	pt_arena_free(one);
	pt_arena_free(batch);
	return rc;
}
