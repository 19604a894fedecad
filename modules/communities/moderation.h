/*
 * moderation.h - the moderation and advocates part of the communities
 * module: the handlers its route table (moderation.c) names and the few
 * helpers they share.  Internal to modules/communities/; nothing outside
 * includes it.
 *
 * Every handler follows the rule of community.h: an object that does not
 * exist or that the reader may not read answers pt_comm_not_found(); a
 * reader who may read the community but does not moderate it gets 403
 * (pt_moder_forbidden()) on a moderation route.
 */
#ifndef PT_MODERATION_H
#define PT_MODERATION_H

#include "portico.h"
#include "community.h"

/* Longest reason a moderator may give (posts.status_reason is 512). */
#define PT_MODER_REASON_MAX	512
/* Longest reason a member may give when reporting a post. */
#define PT_REPORT_REASON_MAX	1000

/* A post with what a moderation page shows of it (arena strings). */
struct pt_moder_post {
	int64_t		 id;
	int64_t		 thread;
	int64_t		 community;
	int64_t		 author;
	bool		 first;		/* the thread's opening post */
	const char	*status;	/* visible, held, hidden, deleted */
	const char	*thread_status;
	const char	*title;		/* the thread's */
	const char	*author_name;
	const char	*excerpt;	/* the start of the source text */
	const char	*created_at;
};

/*
 * Loads post id for the request's user: PT_OK if it exists and its
 * community is readable (c and p filled, arena strings), PT_DECLINED if
 * not (answer pt_comm_not_found()), PT_ERR on a database error.
 */
int		 pt_moder_post_load(struct pt_req *, int64_t id,
		    struct pt_comm *c, struct pt_moder_post *p) PT_WUR;
/* Adds <post id thread status thread-status first author created-at>
 * with <title> and <excerpt> children under parent; returns it. */
xmlNodePtr	 pt_moder_post_xml(xmlNodePtr parent,
		    const struct pt_moder_post *);
/*
 * Appends a moderation_log row (subject, thread, post: 0 for none) inside
 * the caller's transaction.  PT_OK or PT_ERR.
 */
int		 pt_moder_log(struct pt_req *, int64_t community, int64_t thread,
		    int64_t post, int64_t subject, const char *action,
		    const char *reason) PT_WUR;
/*
 * The request's "reason" field with surrounding blanks removed, or NULL
 * when it is absent or blank.  Arena-owned.
 */
const char	*pt_moder_reason(struct pt_req *);
/* 403 with a readable message, for readers who do not moderate. */
int		 pt_moder_forbidden(struct pt_req *);
/* Redirects (303) to local path; returns the status for the handler. */
int		 pt_moder_redirect(struct pt_req *, const char *path);

/*
 * Route handlers, one per route of moderation.c's table.  Each returns the
 * HTTP status (303 after a change, with its Location set); what it adds
 * under out belongs to the request's document, its strings to the arena.
 */

/* kudos.c */
int		 pt_kudos_post(struct pt_req *, xmlNodePtr);
int		 pt_unkudos_post(struct pt_req *, xmlNodePtr);
int		 pt_contributors_get(struct pt_req *, xmlNodePtr);

/* moderation_report.c */
int		 pt_report_get(struct pt_req *, xmlNodePtr);
int		 pt_report_post(struct pt_req *, xmlNodePtr);

/* moderation_queue.c */
int		 pt_modqueue_get(struct pt_req *, xmlNodePtr);
int		 pt_modqueue_dismiss_post(struct pt_req *, xmlNodePtr);
int		 pt_modlog_get(struct pt_req *, xmlNodePtr);

/* moderation_posts.c */
int		 pt_modpost_hide_post(struct pt_req *, xmlNodePtr);
int		 pt_modpost_unhide_post(struct pt_req *, xmlNodePtr);
int		 pt_modpost_delete_post(struct pt_req *, xmlNodePtr);
int		 pt_modpost_approve_post(struct pt_req *, xmlNodePtr);

/* moderation_threads.c */
int		 pt_modthread_lock_post(struct pt_req *, xmlNodePtr);
int		 pt_modthread_unlock_post(struct pt_req *, xmlNodePtr);
int		 pt_modthread_pin_post(struct pt_req *, xmlNodePtr);
int		 pt_modthread_unpin_post(struct pt_req *, xmlNodePtr);
int		 pt_modthread_feature_post(struct pt_req *, xmlNodePtr);
int		 pt_modthread_unfeature_post(struct pt_req *, xmlNodePtr);
int		 pt_modthread_move_get(struct pt_req *, xmlNodePtr);
int		 pt_modthread_move_post(struct pt_req *, xmlNodePtr);

#endif /* PT_MODERATION_H */
