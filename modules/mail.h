/*
 * mail.h - the outbound email library (modules/mail.c): a queue in MariaDB
 * (sql/0008_mail_outbox.sql) and an SMTP sender, used by features that send
 * mail (lifecycle warnings, ...) and by `porticoctl mail`.
 */
#ifndef PT_MAIL_H
#define PT_MAIL_H

#include <stdbool.h>
#include <stdio.h>

#include "portico.h"

struct pt_mail_stats {
	unsigned long	 sent;		/* delivered */
	unsigned long	 retry;		/* temporary failure, queued again */
	unsigned long	 failed;	/* permanent failure or max_attempts */
	unsigned long	 uncertain;	/* found stuck in 'sending': not resent */
};

/*
 * Renders the text stylesheet tmpl (relative to xslt_dir; the view layer
 * must be initialised, pt_view_init()) with data and queues the result for
 * to_addr.  The stylesheet's output is "Subject: <subject>", a line break,
 * an empty line, then the body.  Every header value is checked: a subject
 * or name holding CR, LF, NUL or other control characters, or an address
 * that is not local@domain, is refused.  dedup_key may be NULL; when a
 * message with the same key was queued before, nothing is queued.
 * Returns PT_OK, PT_DECLINED (already queued under dedup_key), or PT_ERR
 * (refused or database error; logged).  Allocates from the arena only.
 */
int		 pt_mail_queue(struct pt_db *, struct pt_arena *,
		    const struct pt_config *, const char *tmpl, xmlDocPtr data,
		    const char *to_addr, const char *to_name,
		    const char *dedup_key) PT_WUR;

/*
 * Delivers up to limit (0: all) due messages, one at a time, each claimed
 * atomically so that concurrent senders never send one message twice.
 * Messages left in 'sending' longer than [mail] lease by a sender that
 * died become 'uncertain' and are not resent.  One line per message goes
 * to progress (may be NULL); stats (may be NULL) are filled in.  Returns
 * PT_OK, or PT_ERR on a database error (delivery failures are recorded on
 * the messages, not returned).
 */
int		 pt_mail_send(const struct pt_config *, struct pt_db *,
		    unsigned int limit, FILE *progress,
		    struct pt_mail_stats *) PT_WUR;

/*
 * Prints the count of messages per status and the uncertain messages to
 * out.  PT_OK or PT_ERR.
 */
int		 pt_mail_status(struct pt_db *, FILE *out) PT_WUR;

/* The pure parts, exported for tests/unit/mail_test.c. */

/* True if s may be a header value: valid UTF-8, no control characters. */
bool		 pt_mail_header_ok(const char *);
/* True if s is a sane local@domain address (ASCII, no specials). */
bool		 pt_mail_addr_ok(const char *);
/*
 * The display name phrase for a header: as is (ASCII atoms), a quoted
 * string (ASCII with specials), or RFC 2047 "=?UTF-8?B?...?=" words
 * (non-ASCII) folded with CRLF SP.  Arena-owned.  Also used for Subject
 * (quote = false: no quoted-string form).
 */
char		*pt_mail_encode_phrase(struct pt_arena *, const char *,
		    bool quote);
/*
 * The whole message, headers and body, with CRLF line endings, as handed
 * to libcurl.  Not dot-stuffed: libcurl does that while uploading (see
 * mail.c).  Long body lines make the body quoted-printable.  date is the
 * Date header value.  Returns NULL if a value is refused.  Arena-owned.
 */
char		*pt_mail_build(struct pt_arena *, const struct pt_config *,
		    const char *to_addr, const char *to_name, const char *subject,
		    const char *body, const char *message_id, const char *date,
		    size_t *len);
/*
 * Splits a template's output into subject and body (arena copies).
 * PT_OK, or PT_ERR if it does not start with "Subject: ...\n\n".
 */
int		 pt_mail_split(struct pt_arena *, const char *out, size_t len,
		    const char **subject, const char **body) PT_WUR;

#endif /* PT_MAIL_H */
