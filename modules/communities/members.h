/*
 * members.h - who belongs to a community, and the competitor check that
 * guards every way in.
 *
 * For other modules: pt_comm_conflict_check() answers "would a member of
 * organisation org sit in community next to a competitor?".  The rest is
 * shared by the files of the communities module that manage membership
 * (communities.c, members.c, invitations.c, conflicts.c): the page
 * handlers named in communities.c's route table and a few helpers.
 */
#ifndef PT_MEMBERS_H
#define PT_MEMBERS_H

#include "portico.h"
#include "community.h"

/*
 * Checks organisation org against every organisation already represented
 * in community: its members (portal and directory grants) and the
 * recipients of its pending invitations.  Returns PT_OK if none competes
 * with org (or org is 0); PT_DECLINED if one does, with *with set to that
 * organisation's name (arena-owned) when with is not NULL; PT_ERR on a
 * database error.  It does not allocate outside the arena.
 */
int		 pt_comm_conflict_check(struct pt_db *, struct pt_arena *,
		    int64_t community, int64_t org, const char **with) PT_WUR;

/* --- internal to the communities module ------------------------------ */

/* A user found by login or email. */
struct pt_comm_user {
	int64_t		 id;
	int64_t		 org_id;	/* 0: none */
	const char	*login;
	const char	*name;
	const char	*email;
};

/*
 * Finds the active user with login; of a person's accounts at two identity
 * sources, the one signed in with last.  Returns PT_OK (u filled, strings
 * arena-owned), PT_DECLINED if there is none, PT_ERR.
 */
int		 pt_comm_user_by_login(struct pt_req *, const char *login,
		    struct pt_comm_user *u) PT_WUR;

/*
 * Loads the community named by the route's {slug} for a manager page.
 * Returns 200 with c filled if the user may manage it (community manager
 * or portal administrator); otherwise the status the handler returns:
 * pt_comm_not_found() if the user may not read it, 403 if they may read
 * it but not manage it, 500 on error.
 */
int		 pt_comm_load_managed(struct pt_req *, struct pt_comm *c);

/* True if the request's user holds the portal_admin role. */
bool		 pt_comm_is_admin(const struct pt_req *);

/*
 * Appends a moderation_log row for community (subject user 0: none).
 * PT_OK or PT_ERR.
 */
int		 pt_comm_modlog(struct pt_req *, int64_t community,
		    int64_t subject, const char *action, const char *reason)
		    PT_WUR;

/*
 * The competitor check for adding user u to c by a manager's action,
 * with the override the form may carry (fields "override", "reason").
 * Returns 200 when u may be added (after recording an override in the
 * audit and moderation logs), 409 with r->error set when a conflict
 * blocks it, 400 when an override lacks its reason, 500 on error.
 * *override_reason is set to the reason when an override was used.
 */
int		 pt_comm_conflict_gate(struct pt_req *, const struct pt_comm *c,
		    int64_t user, int64_t org, const char *who,
		    const char **override_reason);

/* Page handlers (route table in communities.c). */
int		 pt_comm_members_get(struct pt_req *, xmlNodePtr);
int		 pt_comm_members_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_join_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_leave_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_remove_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_role_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_requests_get(struct pt_req *, xmlNodePtr);
int		 pt_comm_requests_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_request_decide_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitations_get(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitations_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitation_revoke_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitation_resend_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitation_get(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitation_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_invitation_id_post(struct pt_req *, xmlNodePtr);
int		 pt_comm_conflicts_get(struct pt_req *, xmlNodePtr);
int		 pt_comm_conflicts_post(struct pt_req *, xmlNodePtr);

#endif /* PT_MEMBERS_H */
