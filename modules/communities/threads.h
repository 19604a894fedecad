/*
 * threads.h - the discussions part of the communities module: handlers of
 * the routes listed in discussions.c and the helpers they share.
 *
 * Handlers live in threads.c (threads, posts, edits, history), notify.c
 * (in-app notifications) and feed.c (Atom feeds and feed tokens); the
 * route table is in discussions.c.  Every handler answers
 * pt_comm_not_found() for a community, thread or post the reader may not
 * read, exactly as for one that does not exist (community.h).
 */
#ifndef PT_THREADS_H
#define PT_THREADS_H

#include "portico.h"
#include "community.h"
#include "markup.h"

/* Threads per community page, posts per thread page, entries per feed. */
#define PT_DISC_THREADS_PAGE	25
#define PT_DISC_POSTS_PAGE	50
#define PT_DISC_FEED_ENTRIES	30
#define PT_DISC_NOTES_PAGE	50

/* The longest title and post body a form may send (bytes). */
#define PT_DISC_TITLE_MAX	200
#define PT_DISC_BODY_MAX	20000

/* The SQL expression for a DATETIME column as RFC 3339 UTC text. */
#define PT_DISC_TIME(col)	"DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

/* threads.c */
int	pt_disc_thread_get(struct pt_req *, xmlNodePtr);
int	pt_disc_thread_new_get(struct pt_req *, xmlNodePtr);
int	pt_disc_thread_new_post(struct pt_req *, xmlNodePtr);
int	pt_disc_reply_post(struct pt_req *, xmlNodePtr);
int	pt_disc_edit_get(struct pt_req *, xmlNodePtr);
int	pt_disc_edit_post(struct pt_req *, xmlNodePtr);
int	pt_disc_history_get(struct pt_req *, xmlNodePtr);

/*
 * Resolves the logins mentioned in a text (pt_markup_mentions()) to the
 * users who may read community c, in out[0..PT_MARKUP_MENTIONS_MAX).
 * Returns how many, or -1 on a database error.  Two statements per
 * distinct login, bounded by PT_MARKUP_MENTIONS_MAX.
 */
int	pt_disc_mentions(struct pt_req *, const struct pt_comm *,
	    const char *const *logins, size_t n, struct pt_markup_user *out)
	    PT_WUR;

/* notify.c */
int	pt_disc_notes_get(struct pt_req *, xmlNodePtr);
int	pt_disc_notes_read_post(struct pt_req *, xmlNodePtr);
/*
 * Notifies, inside the caller's transaction, the thread's participants
 * (its author and earlier posters, not the actor) of a reply and the
 * mentioned users of a mention, each only if they may read community c
 * now (pt_comm_user_can_read()).  PT_OK or PT_ERR.
 */
int	pt_disc_notify(struct pt_req *, const struct pt_comm *, int64_t thread,
	    int64_t post, bool reply, const struct pt_markup_user *mentioned,
	    size_t nmentioned) PT_WUR;

/* feed.c */
int	pt_disc_feed_get(struct pt_req *, xmlNodePtr);
int	pt_disc_token_get(struct pt_req *, xmlNodePtr);
int	pt_disc_token_post(struct pt_req *, xmlNodePtr);

#endif /* PT_THREADS_H */
