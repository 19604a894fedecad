/*
 * directory.h - directory sync (modules/auth/directory.c), run by
 * `porticoctl sync-directory` and its systemd timer.
 */
#ifndef PT_AUTH_DIRECTORY_H
#define PT_AUTH_DIRECTORY_H

#include <stdio.h>

#include "portico.h"

struct pt_sync_stats {
	unsigned long	 checked;	/* LDAP users looked up */
	unsigned long	 changed;	/* lost a role: sessions ended */
	unsigned long	 gone;		/* no longer in the directory */
};

/*
 * Checks every active LDAP user against the directory as the service
 * account and applies what it says: groups and the roles they map to are
 * replaced (only those the directory granted), and a user who lost a role
 * or is no longer in the directory loses the sessions that relied on it,
 * with an audit row each.  Progress goes to progress (may be NULL).
 * Returns PT_OK, or PT_ERR when the directory or the database fails: a
 * directory that does not answer is never taken to mean "user deleted",
 * so the run stops rather than strip everyone's roles.
 */
int	pt_directory_sync(const struct pt_config *, struct pt_db *,
	    FILE *progress, struct pt_sync_stats *) PT_WUR;

#endif /* PT_AUTH_DIRECTORY_H */
