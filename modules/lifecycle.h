/*
 * lifecycle.h - the access lifecycle library (modules/lifecycle.c): warns,
 * disables and deletes accounts by the [lifecycle] policy, set-wise in SQL,
 * for `porticoctl lifecycle plan|run`.
 */
#ifndef PT_LIFECYCLE_H
#define PT_LIFECYCLE_H

#include <stdbool.h>
#include <stdio.h>

#include "portico.h"

#define PT_LIFECYCLE_STAGES_MAX	8

struct pt_lifecycle_stats {
	unsigned long	 warned;	/* warnings (one per stage and deadline) */
	unsigned long	 disabled;
	unsigned long	 deleted;
	unsigned long	 exempt;	/* exempt accounts listed (plan only) */
	unsigned long	 reminded;	/* attestation reminders */
	unsigned long	 expired;	/* community invitations expired */
};

/*
 * Sweeps the accounts as of now ("YYYY-MM-DD HH:MM:SS", UTC; NULL for the
 * current time).  With run false (plan) it changes nothing and prints one
 * line per action run would take, then one line per exempt account; with
 * run true it takes them, in batches of [lifecycle] batch accounts, each
 * batch in one transaction, and prints the same action lines.  Lines go to
 * out, in this form:
 *
 *   warn-14 user=7 login=jdoe rule=inactivity deadline="..." reason="..."
 *       policy="inactivity_days=90 warn_days=14,3 grace_days=30"
 *   remind-14 user=... login=... rule=attestation organisation=SLUG
 *       deadline="..." sponsor=yes|no policy="..."
 *   expire invitation=ID community=SLUG invitee=USER rule=invitation
 *       reason="..." policy="..."
 *   disable user=... login=... rule=term reason="..." policy="..."
 *   delete user=... login=... rule=... reason="..." policy="..."
 *   exempt user=... login=... reason="..."
 *
 * in this order: warnings (by stage, then clock: inactivity, term,
 * org_term), attestation reminders (by stage), expired invitations,
 * disables, deletes, exemptions (plan only).
 * run needs the view layer (pt_view_init()) for the mail templates.
 * Returns PT_OK, PT_DECLINED when [lifecycle] enabled is false or another
 * run holds the lock (nothing done), or PT_ERR (logged; the batch in hand
 * is rolled back, the ones before stay done).  stats may be NULL.
 */
int		 pt_lifecycle_sweep(const struct pt_config *, struct pt_db *,
		    const char *now, bool run, FILE *out,
		    struct pt_lifecycle_stats *) PT_WUR;

/* True if s is "YYYY-MM-DD HH:MM:SS" (a plausible date and time). */
bool		 pt_lifecycle_now_ok(const char *s);

/*
 * Parses [lifecycle] warn_days ("14,3") into days[], largest first.
 * Returns the number of stages, or 0 if s is not such a list.
 */
size_t		 pt_lifecycle_stages(const char *s,
		    unsigned int days[PT_LIFECYCLE_STAGES_MAX]);

/*
 * Makes login (an active user with the channel_manager role) the sponsor
 * of the partner organisation org, or clears its sponsor when login is
 * NULL or empty, in its own transaction, with an audit row
 * (lifecycle.sponsor; actor 0 = an operator).  Returns PT_OK, PT_DECLINED
 * with *why a static sentence (no such partner organisation, no such
 * channel manager), or PT_ERR (database error).  Allocates from a only.
 */
int		 pt_lifecycle_set_sponsor(struct pt_db *, struct pt_arena *a,
		    const char *org, const char *login, int64_t actor,
		    const char *request_id, const char **why) PT_WUR;

#endif /* PT_LIFECYCLE_H */
