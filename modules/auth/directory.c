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
 * Disabling accounts of users who left is the access-lifecycle module's
 * decision (with its grace periods and warnings); here a user no longer in
 * the directory loses their directory roles and sessions, which already
 * keeps them out.
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
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_BATCH] = "SELECT id, external_id FROM users "
	    "WHERE source = 'ldap' AND status = 'active' AND id > ? "
	    "ORDER BY id LIMIT ?",
};

/* Applies the directory's answer for one user in one transaction. */
static int
sync_user(const struct pt_config *cfg, struct pt_db *db, struct pt_arena *a,
    int64_t user, const struct pt_identity *id, bool gone,
    struct pt_sync_stats *stats)
{
	bool		 removed = false;
	const char	*why;

	if (pt_db_begin(db) != PT_OK)
		return PT_ERR;
	if (pt_auth_apply_groups(db, a, cfg, user, id, &removed) != PT_OK)
		goto fail;
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
			    stats);
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
