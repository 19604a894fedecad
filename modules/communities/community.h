/*
 * community.h - the communities module's internal contract: who may see a
 * community, and the pieces every community page shares.
 *
 * Isolation between competing partners rests on one rule, implemented
 * once in access.c and used by every route, feed, listing and mail of the
 * module (and by the partner directory):
 *
 *   A user may READ a community's threads, posts, members, counts and
 *   feed iff the community is not archived and
 *     - the user holds the moderator or portal_admin role (vendor staff
 *       who moderate everywhere), or
 *     - the user is in community_members for it, or
 *     - a directory_memberships row grants it to the user, or
 *     - the community is not private and its join_policy is 'open'.
 *   A user KNOWS OF a community (may see its name and description, e.g. to
 *   ask to join) iff they may read it or it is 'listed'.
 *
 * Anything else answers exactly as a community, thread, post, member or
 * invitation that does not exist: pt_comm_not_found() is that answer, and
 * every route must return it (not an error of its own) for an object the
 * reader may not read.  tests/integration/test_isolation.py compares the
 * two answers byte for byte on every route in the route table.
 *
 * Owned by the communities module; the XML attribute names of
 * pt_comm_xml() are what the stylesheets in xslt/communities/ read.
 */
#ifndef PT_COMMUNITY_H
#define PT_COMMUNITY_H

#include "portico.h"

/* A community as the request's user sees it. */
struct pt_comm {
	int64_t		 id;
	const char	*slug;
	const char	*name;
	const char	*description;
	const char	*visibility;	/* "listed", "unlisted", "secret" */
	const char	*join_policy;	/* "open", "request", "invitation" */
	bool		 priv;
	unsigned int	 hold_first_posts;
	bool		 readable;	/* the READ rule above */
	bool		 member;	/* community_members or directory */
	bool		 directory;	/* membership comes from a group */
	bool		 manager;	/* community manager */
	bool		 staff;		/* moderator or portal_admin role */
	bool		 moderator;	/* manager or staff */
};

/*
 * The READ rule as an SQL condition on a communities row aliased `alias`,
 * for listing queries; bind its three parameters with
 * pt_comm_bind_visible() at the index of its first '?'.
 */
#define PT_COMM_READABLE_SQL(alias)					\
	"(" alias ".archived_at IS NULL AND (? OR "			\
	"(NOT " alias ".private AND " alias ".join_policy = 'open') OR "\
	"EXISTS (SELECT 1 FROM community_members cm_ "			\
	"WHERE cm_.community_id = " alias ".id AND cm_.user_id = ?) OR "	\
	"EXISTS (SELECT 1 FROM directory_memberships dm_ "		\
	"WHERE dm_.community_slug = " alias ".slug AND dm_.user_id = ?)))"

/*
 * Binds the parameters of PT_COMM_READABLE_SQL from index first for the
 * request's user (anonymous: nothing readable).  Returns the index after.
 */
unsigned int	 pt_comm_bind_readable(struct pt_stmt *, unsigned int first,
		    const struct pt_req *);

/* True if the request's user has a role that moderates everywhere. */
bool		 pt_comm_is_staff(const struct pt_req *);

/*
 * Loads the community with id (or, if id is 0, with slug) as the request's
 * user sees it.  Returns PT_OK if the user KNOWS OF it (out filled,
 * strings arena-owned); PT_DECLINED if it does not exist or the user may
 * not know of it; PT_ERR on a database error.  Callers that show content
 * must also check out->readable and answer pt_comm_not_found() if false.
 */
int		 pt_comm_load(struct pt_req *, int64_t id, const char *slug,
		    struct pt_comm *out) PT_WUR;

/*
 * Like pt_comm_load() for a thread or post id: looks up the object's
 * community and loads it; PT_DECLINED unless it exists and is readable.
 * *thread_out / *community_out may be NULL.
 */
int		 pt_comm_load_thread(struct pt_req *, int64_t thread,
		    struct pt_comm *out) PT_WUR;
int		 pt_comm_load_post(struct pt_req *, int64_t post,
		    int64_t *thread_out, struct pt_comm *out) PT_WUR;

/*
 * The one answer for a missing or unreadable community object: 404 with
 * the standard "not found" page.  Returns the status for the handler to
 * return.
 */
int		 pt_comm_not_found(struct pt_req *);

/* Adds <community id slug name visibility join-policy private member
 * manager moderator readable> under parent; returns the element. */
xmlNodePtr	 pt_comm_xml(xmlNodePtr parent, const struct pt_comm *);

/*
 * True if user may read community id (for notifications and mail built
 * outside a request).  PT_OK/PT_DECLINED/PT_ERR like pt_comm_load().
 */
int		 pt_comm_user_can_read(struct pt_db *, struct pt_arena *,
		    int64_t user, unsigned int roles, int64_t community) PT_WUR;

#endif /* PT_COMMUNITY_H */
