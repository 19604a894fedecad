/*
 * mail.c - outbound email: a queue in MariaDB and an SMTP sender on libcurl.
 *
 * A feature that sends mail calls pt_mail_queue() with a text stylesheet
 * under xslt/mail/ and an XML document of data: the stylesheet's output
 * ("Subject: ...", an empty line, the body) is checked and stored in
 * mail_outbox (sql/0008_mail_outbox.sql), in the caller's transaction if
 * any, so that an action and its mail are committed together.
 * `porticoctl mail send` (conf/systemd/portico-mail.timer) then calls
 * pt_mail_send(), which delivers due messages through [mail] smtp_url.
 *
 * Never twice: a sender claims one message at a time with UPDATE ... SET
 * status = 'sending' WHERE id = ? AND status = 'queued', which exactly one
 * sender on one host can win.  A sender that dies between the claim and
 * recording the outcome leaves the row in 'sending'; after [mail] lease
 * seconds the next run marks it 'uncertain' and does NOT resend it, since
 * the SMTP server may well have accepted it: a duplicate warning mail is
 * worse than an operator looking at `porticoctl mail status`.  A temporary
 * failure (no connection, a 4xx reply) requeues the message after
 * retry_base * 2^attempts seconds until max_attempts; a 5xx reply fails it.
 *
 * Dots: libcurl (7.88 and later 7.x/8.x) escapes the end-of-data marker
 * while uploading SMTP data: every CR LF "." becomes CR LF ".." on the wire
 * and the server strips it again.  pt_mail_build() therefore hands over
 * the message unstuffed but with strict CRLF line endings (a bare LF would
 * hide a "\n.\n" line from curl's escaper); the integration test proves a
 * body line of just "." arrives intact.
 *
 * API: mail.h.  To add a mail: write xslt/mail/<name>.xsl (xsl:output
 * method="text", first line "Subject: ..."), list it in xslt/local.mk, and
 * call pt_mail_queue() with it.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <sys/random.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "portico.h"
#include "mail.h"

#define MAIL_LINE_MAX	998	/* RFC 5322 2.1.1, without CRLF */
#define MAIL_QP_LINE	76
#define MAIL_DELAY_MAX	(7 * 86400)

enum {
	STMT_INSERT,
	STMT_STALE,
	STMT_NEXT,
	STMT_CLAIM,
	STMT_LOAD,
	STMT_SENT,
	STMT_RETRY,
	STMT_FAIL,
	STMT_COUNTS,
	STMT_UNCERTAIN,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/*
	 * Not INSERT IGNORE: that would also turn a too-long value into a
	 * silent truncation.  A duplicate dedup_key changes nothing, so the
	 * affected row count is 0.
	 */
	[STMT_INSERT] = "INSERT INTO mail_outbox (to_address, to_name, "
	    "subject, body, template, status, attempts, next_attempt_at, "
	    "created_at, message_id, dedup_key) VALUES (?, ?, ?, ?, ?, "
	    "'queued', 0, UTC_TIMESTAMP(), UTC_TIMESTAMP(), ?, ?) "
	    "ON DUPLICATE KEY UPDATE id = id",
	[STMT_STALE] = "UPDATE mail_outbox SET status = 'uncertain', "
	    "last_error = 'sender stopped while sending; not resent' "
	    "WHERE status = 'sending' AND claimed_at < "
	    "UTC_TIMESTAMP() - INTERVAL ? SECOND",
	[STMT_NEXT] = "SELECT id FROM mail_outbox WHERE status = 'queued' "
	    "AND next_attempt_at <= UTC_TIMESTAMP() "
	    "ORDER BY next_attempt_at, id LIMIT 1",
	[STMT_CLAIM] = "UPDATE mail_outbox SET status = 'sending', "
	    "claimed_at = UTC_TIMESTAMP() WHERE id = ? AND status = 'queued' "
	    "AND next_attempt_at <= UTC_TIMESTAMP()",
	[STMT_LOAD] = "SELECT to_address, to_name, subject, body, message_id, "
	    "attempts FROM mail_outbox WHERE id = ?",
	[STMT_SENT] = "UPDATE mail_outbox SET status = 'sent', "
	    "sent_at = UTC_TIMESTAMP(), attempts = attempts + 1, "
	    "last_error = '' WHERE id = ? AND status = 'sending'",
	[STMT_RETRY] = "UPDATE mail_outbox SET status = 'queued', "
	    "attempts = attempts + 1, "
	    "next_attempt_at = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
	    "last_error = ? WHERE id = ? AND status = 'sending'",
	[STMT_FAIL] = "UPDATE mail_outbox SET status = 'failed', "
	    "attempts = attempts + 1, last_error = ? "
	    "WHERE id = ? AND status = 'sending'",
	[STMT_COUNTS] = "SELECT status, COUNT(*) FROM mail_outbox "
	    "GROUP BY status ORDER BY status",
	[STMT_UNCERTAIN] = "SELECT id, to_address, message_id, "
	    "DATE_FORMAT(claimed_at, '%Y-%m-%d %H:%i:%s') FROM mail_outbox "
	    "WHERE status = 'uncertain' ORDER BY id",
};

/* ---------------------------------------------------------------- checks */

bool
pt_mail_header_ok(const char *s)
{
	const unsigned char *p;

	if (s == NULL || !pt_utf8_valid(s, strlen(s)))
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

bool
pt_mail_addr_ok(const char *s)
{
	const char *at, *p;

	if (s == NULL || strlen(s) > 254 || (at = strchr(s, '@')) == NULL ||
	    at == s || at - s > 64 || strchr(at + 1, '@') != NULL)
		return false;
	for (p = s; p < at; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789!#$%&'*+-/=?^_`{|}~.", *p) == NULL)
			return false;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return false;
	p = at + 1;
	if (*p == '\0' || *p == '.' || *p == '-' || p[strlen(p) - 1] == '.' ||
	    p[strlen(p) - 1] == '-' ||
	    strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-") != strlen(p))
		return false;
	return true;
}

/* ---------------------------------------------------------- building */

struct mbuf {
	struct pt_arena	*a;
	char		*p;
	size_t		 len, cap;
};

static void
mb_add(struct mbuf *b, const char *s, size_t n)
{
	char *np;

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		np = pt_alloc(b->a, b->cap);
		if (b->len > 0)
			memcpy(np, b->p, b->len);
		b->p = np;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
mb_str(struct mbuf *b, const char *s)
{
	mb_add(b, s, strlen(s));
}

/*
 * SMTP's line ending.  tests/guards/headers.sh bans CR LF literals outside
 * the core, where they would betray a hand-made HTTP header, and names
 * this file as its one exception: every value put in a mail header has
 * passed pt_mail_header_ok().
 */
static void
mb_crlf(struct mbuf *b)
{
	mb_str(b, "\r\n");
}

static bool
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static void
b64(struct mbuf *b, const unsigned char *in, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	char q[4];
	uint32_t v;
	size_t i;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		q[0] = t[(v >> 18) & 63];
		q[1] = t[(v >> 12) & 63];
		q[2] = i + 1 < n ? t[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? t[v & 63] : '=';
		mb_add(b, q, 4);
	}
}

char *
pt_mail_encode_phrase(struct pt_arena *a, const char *s, bool quote)
{
	struct mbuf b = { .a = a };
	size_t i, n, len, start;
	const char *p;

	if (is_ascii(s)) {
		if (!quote || strpbrk(s, "()<>[]:;@\\,.\"") == NULL)
			return pt_strdup(a, s);
		mb_str(&b, "\"");
		for (p = s; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				mb_str(&b, "\\");
			mb_add(&b, p, 1);
		}
		mb_str(&b, "\"");
		return b.p;
	}
	/*
	 * Encoded words of at most 45 bytes of text (60 base64 characters,
	 * 72 with the delimiters), never splitting a UTF-8 sequence.
	 */
	len = strlen(s);
	for (start = 0; start < len; start += n) {
		n = len - start < 45 ? len - start : 45;
		for (i = start + n; i < len && n > 0 &&
		    ((unsigned char)s[i] & 0xc0) == 0x80; i--)
			n--;
		if (start > 0) {
			mb_crlf(&b);
			mb_str(&b, " ");
		}
		mb_str(&b, "=?UTF-8?B?");
		b64(&b, (const unsigned char *)s + start, n);
		mb_str(&b, "?=");
	}
	return b.p != NULL ? b.p : pt_strdup(a, "");
}

/* Appends one body line (no line ending) as quoted-printable, with CRLF. */
static void
qp_line(struct mbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	char tok[4];
	size_t i, col = 0, tl;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 33 && c <= 126 && c != '=' && !(c == '.' && i == 0)) ||
		    ((c == ' ' || c == '\t') && i + 1 < n)) {
			tok[0] = (char)c;
			tl = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tl = 3;
		}
		if (col + tl > MAIL_QP_LINE - 1) {
			mb_str(b, "=");
			mb_crlf(b);
			col = 0;
		}
		mb_add(b, tok, tl);
		col += tl;
	}
	mb_crlf(b);
}

char *
pt_mail_build(struct pt_arena *a, const struct pt_config *cfg,
    const char *to_addr, const char *to_name, const char *subject,
    const char *body, const char *message_id, const char *date, size_t *len)
{
	struct mbuf b = { .a = a };
	const char *p, *e, *line;
	size_t n;
	bool qp = false;

	if (!pt_mail_addr_ok(to_addr) || !pt_mail_header_ok(to_name) ||
	    !pt_mail_header_ok(subject) ||
	    !pt_mail_addr_ok(cfg->mail_from_address) ||
	    !pt_mail_header_ok(cfg->mail_from_name) ||
	    !pt_mail_header_ok(message_id) || !pt_mail_header_ok(date) ||
	    !pt_utf8_valid(body, strlen(body)))
		return NULL;
	/* A line too long for SMTP, or a stray CR: quoted-printable. */
	for (p = body; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) > MAIL_LINE_MAX ||
		    memchr(p, '\r', (size_t)(e - p)) != NULL)
			qp = true;
	}

	mb_str(&b, "Date: ");
	mb_str(&b, date);
	mb_crlf(&b);
	mb_str(&b, "From: ");
	if (*cfg->mail_from_name != '\0') {
		mb_str(&b, pt_mail_encode_phrase(a, cfg->mail_from_name, true));
		mb_str(&b, " ");
	}
	mb_str(&b, "<");
	mb_str(&b, cfg->mail_from_address);
	mb_str(&b, ">");
	mb_crlf(&b);
	mb_str(&b, "To: ");
	if (*to_name != '\0') {
		mb_str(&b, pt_mail_encode_phrase(a, to_name, true));
		mb_str(&b, " ");
	}
	mb_str(&b, "<");
	mb_str(&b, to_addr);
	mb_str(&b, ">");
	mb_crlf(&b);
	mb_str(&b, "Subject: ");
	mb_str(&b, pt_mail_encode_phrase(a, subject, false));
	mb_crlf(&b);
	mb_str(&b, "Message-ID: ");
	mb_str(&b, message_id);
	mb_crlf(&b);
	mb_str(&b, "MIME-Version: 1.0");
	mb_crlf(&b);
	mb_str(&b, "Content-Type: text/plain; charset=utf-8");
	mb_crlf(&b);
	mb_str(&b, "Content-Transfer-Encoding: ");
	mb_str(&b, qp ? "quoted-printable" : "8bit");
	mb_crlf(&b);
	mb_str(&b, "Auto-Submitted: auto-generated");
	mb_crlf(&b);
	mb_crlf(&b);

	for (line = body; *line != '\0'; line = *e == '\0' ? e : e + 1) {
		e = strchr(line, '\n');
		if (e == NULL)
			e = line + strlen(line);
		n = (size_t)(e - line);
		if (qp)
			qp_line(&b, line, n);
		else {
			mb_add(&b, line, n);
			mb_crlf(&b);
		}
	}
	*len = b.len;
	return b.p;
}

int
pt_mail_split(struct pt_arena *a, const char *out, size_t len,
    const char **subject, const char **body)
{
	const char *nl, *s, *e;

	if (memchr(out, '\0', len) != NULL || len < 9 ||
	    strncmp(out, "Subject:", 8) != 0 ||
	    (nl = memchr(out, '\n', len)) == NULL ||
	    (size_t)(nl - out) + 1 >= len || nl[1] != '\n')
		return PT_ERR;
	for (s = out + 8; s < nl && (*s == ' ' || *s == '\t'); s++)
		continue;
	for (e = nl; e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r');
	    e--)
		continue;
	if (e == s)
		return PT_ERR;
	*subject = pt_strndup(a, s, (size_t)(e - s));
	*body = pt_strndup(a, nl + 2, len - (size_t)(nl + 2 - out));
	return PT_OK;
}

/* "<32 hex digits@domain of from_address>" */
static char *
message_id(struct pt_arena *a, const struct pt_config *cfg)
{
	unsigned char rnd[16];
	char hex[33];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		abort();
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return pt_printf(a, "<%s@%s>", hex,
	    strchr(cfg->mail_from_address, '@') + 1);
}

/* ------------------------------------------------------------- queue */

int
pt_mail_queue(struct pt_db *db, struct pt_arena *a,
    const struct pt_config *cfg, const char *tmpl, xmlDocPtr data,
    const char *to_addr, const char *to_name, const char *dedup_key)
{
	const char *ctype, *subject, *body;
	struct pt_stmt *st;
	char *out;
	size_t len;

	if (to_name == NULL)
		to_name = "";
	if (!pt_mail_addr_ok(to_addr)) {
		pt_log(PT_LOG_ERR, "mail: %s: refused recipient address",
		    tmpl);
		return PT_ERR;
	}
	if (!pt_mail_header_ok(to_name) || strlen(to_name) > 255) {
		pt_log(PT_LOG_ERR, "mail: %s to %s: refused recipient name "
		    "(control characters or too long)", tmpl, to_addr);
		return PT_ERR;
	}
	if (dedup_key != NULL && (!pt_mail_header_ok(dedup_key) ||
	    !is_ascii(dedup_key) || strlen(dedup_key) > 191)) {
		pt_log(PT_LOG_ERR, "mail: %s: refused dedup key", tmpl);
		return PT_ERR;
	}
	if (pt_view_render(a, tmpl, data, &out, &len, &ctype) != PT_OK)
		return PT_ERR;
	if (pt_mail_split(a, out, len, &subject, &body) != PT_OK) {
		pt_log(PT_LOG_ERR, "mail: %s: output does not start with "
		    "\"Subject: ...\" and an empty line", tmpl);
		return PT_ERR;
	}
	if (!pt_mail_header_ok(subject) || strlen(subject) > MAIL_LINE_MAX) {
		pt_log(PT_LOG_ERR, "mail: %s to %s: refused subject (control "
		    "characters or too long)", tmpl, to_addr);
		return PT_ERR;
	}
	if (!pt_utf8_valid(body, strlen(body))) {
		pt_log(PT_LOG_ERR, "mail: %s: body is not UTF-8", tmpl);
		return PT_ERR;
	}
	if ((st = pt_db_stmt(db, a, stmts[STMT_INSERT])) == NULL)
		return PT_ERR;
	pt_db_bind_text(st, 0, to_addr);
	pt_db_bind_text(st, 1, to_name);
	pt_db_bind_text(st, 2, subject);
	pt_db_bind_text(st, 3, body);
	pt_db_bind_text(st, 4, tmpl);
	pt_db_bind_text(st, 5, message_id(a, cfg));
	if (dedup_key != NULL)
		pt_db_bind_text(st, 6, dedup_key);
	else
		pt_db_bind_null(st, 6);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	return pt_db_affected(st) == 0 ? PT_DECLINED : PT_OK;
}

/* -------------------------------------------------------------- send */

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
upload_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->left)
		n = u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

enum send_result {
	SEND_OK,
	SEND_TEMP,
	SEND_PERM,
};

/* Sends msg to rcpt; on failure writes why into err. */
static enum send_result
smtp_send(const struct pt_config *cfg, const char *rcpt, const char *msg,
    size_t len, char *err, size_t errlen)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *to = NULL;
	struct upload u = { msg, len };
	enum send_result res;
	long code = 0;
	CURLcode rc;
	CURL *c;
	char *from;

	if ((c = curl_easy_init()) == NULL)
		abort();
	if (asprintf(&from, "<%s>", cfg->mail_from_address) == -1)
		abort();
	if ((to = curl_slist_append(NULL, rcpt)) == NULL)
		abort();
	curl_easy_setopt(c, CURLOPT_URL, cfg->mail_smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)cfg->mail_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg->mail_timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (cfg->mail_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (*cfg->mail_ca_file != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->mail_ca_file);
	if (!cfg->mail_tls_verify) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (*cfg->mail_username != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->mail_username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->mail_password);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK)
		res = SEND_OK;
	else if (rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED ||
	    rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CACERT_BADFILE ||
	    code == 530 || code == 535 || code == 538) {
		/*
		 * Refused credentials or TLS (530 "STARTTLS / authentication
		 * required", 535, 538) are the relay's configuration, not
		 * this message's fault, 5xx or not: keep it queued for when
		 * an operator has fixed [mail].
		 */
		res = SEND_TEMP;
		snprintf(err, errlen, "%s (curl %d, reply %ld): %s; check "
		    "[mail] starttls, ca_file, username and password",
		    curl_easy_strerror(rc), (int)rc, code, ebuf);
	} else {
		/* Only a 5xx reply is final; everything else may pass. */
		res = code >= 500 && code <= 599 ? SEND_PERM : SEND_TEMP;
		snprintf(err, errlen, "%s (curl %d, reply %ld): %s",
		    curl_easy_strerror(rc), (int)rc, code, ebuf);
	}
	curl_slist_free_all(to);
	free(from);
	curl_easy_cleanup(c);
	return res;
}

/* RFC 5322 date, now, UTC. */
static char *
mail_date(struct pt_arena *a)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return pt_printf(a, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Records the outcome of one claimed message. */
static int
mail_record(const struct pt_config *cfg, struct pt_db *db, struct pt_arena *a,
    int64_t id, int64_t attempts, enum send_result res, const char *err,
    FILE *progress, struct pt_mail_stats *stats)
{
	struct pt_stmt *st;
	unsigned long long delay;

	if (res == SEND_OK) {
		if ((st = pt_db_stmt(db, a, stmts[STMT_SENT])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, id);
		stats->sent++;
		if (progress != NULL)
			fprintf(progress, "mail %lld: sent\n", (long long)id);
	} else if (res == SEND_TEMP &&
	    (unsigned long long)attempts + 1 < cfg->mail_max_attempts) {
		delay = (unsigned long long)cfg->mail_retry_base <<
		    (attempts + 1 > 20 ? 20 : attempts + 1);
		if (delay > MAIL_DELAY_MAX)
			delay = MAIL_DELAY_MAX;
		if ((st = pt_db_stmt(db, a, stmts[STMT_RETRY])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, (int64_t)delay);
		pt_db_bind_text(st, 1, err);
		pt_db_bind_int(st, 2, id);
		stats->retry++;
		if (progress != NULL)
			fprintf(progress, "mail %lld: retry in %llus: %s\n",
			    (long long)id, delay, err);
	} else {
		if ((st = pt_db_stmt(db, a, stmts[STMT_FAIL])) == NULL)
			return PT_ERR;
		pt_db_bind_text(st, 0, err);
		pt_db_bind_int(st, 1, id);
		stats->failed++;
		if (progress != NULL)
			fprintf(progress, "mail %lld: failed: %s\n",
			    (long long)id, err);
	}
	return pt_db_exec(st);
}

/*
 * Claims and sends one due message.  PT_OK (one handled), PT_DECLINED
 * (none due), PT_ERR (database).
 */
static int
mail_one(const struct pt_config *cfg, struct pt_db *db, struct pt_arena *a,
    FILE *progress, struct pt_mail_stats *stats)
{
	const char *to, *name, *subject, *body, *mid;
	enum send_result res;
	struct pt_stmt *st;
	char err[1024] = "";
	int64_t id, attempts;
	size_t len;
	char *msg;
	int rc;

	for (;;) {
		if ((st = pt_db_stmt(db, a, stmts[STMT_NEXT])) == NULL ||
		    pt_db_exec(st) != PT_OK)
			return PT_ERR;
		if ((rc = pt_db_fetch(st)) != PT_OK)
			return rc;
		id = pt_db_col_int(st, 0);
		if ((st = pt_db_stmt(db, a, stmts[STMT_CLAIM])) == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, id);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		if (pt_db_affected(st) == 1)
			break;
		/* Another sender won this one: look again. */
	}
	if ((st = pt_db_stmt(db, a, stmts[STMT_LOAD])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return PT_ERR;
	to = pt_db_col_text(st, 0);
	name = pt_db_col_text(st, 1);
	subject = pt_db_col_text(st, 2);
	body = pt_db_col_text(st, 3);
	mid = pt_db_col_text(st, 4);
	attempts = pt_db_col_int(st, 5);

	msg = pt_mail_build(a, cfg, to, name, subject, body, mid, mail_date(a),
	    &len);
	if (msg == NULL) {
		snprintf(err, sizeof(err), "message refused by the builder");
		res = SEND_PERM;
	} else
		res = smtp_send(cfg, to, msg, len, err, sizeof(err));
	return mail_record(cfg, db, a, id, attempts, res, err, progress, stats);
}

int
pt_mail_send(const struct pt_config *cfg, struct pt_db *db,
    unsigned int limit, FILE *progress, struct pt_mail_stats *statsp)
{
	struct pt_mail_stats dummy;
	struct pt_mail_stats *stats = statsp != NULL ? statsp : &dummy;
	struct pt_arena *a;
	struct pt_stmt *st;
	unsigned int n;
	int rc = PT_OK;

	memset(stats, 0, sizeof(*stats));
	a = pt_arena_new();
	if ((st = pt_db_stmt(db, a, stmts[STMT_STALE])) == NULL) {
		rc = PT_ERR;
		goto out;
	}
	pt_db_bind_int(st, 0, cfg->mail_lease);
	if (pt_db_exec(st) != PT_OK) {
		rc = PT_ERR;
		goto out;
	}
	stats->uncertain = (unsigned long)pt_db_affected(st);
	if (stats->uncertain > 0 && progress != NULL)
		fprintf(progress, "mail: %lu message(s) left in 'sending' by a "
		    "stopped sender marked uncertain (not resent)\n",
		    stats->uncertain);
	pt_arena_reset(a);
	for (n = 0; limit == 0 || n < limit; n++) {
		rc = mail_one(cfg, db, a, progress, stats);
		pt_arena_reset(a);
		if (rc != PT_OK)
			break;
	}
	if (rc == PT_DECLINED)
		rc = PT_OK;
out:
	pt_arena_free(a);
	return rc;
}

int
pt_mail_status(struct pt_db *db, FILE *out)
{
	struct pt_arena *a;
	struct pt_stmt *st;
	int rc = PT_ERR, frc;

	a = pt_arena_new();
	if ((st = pt_db_stmt(db, a, stmts[STMT_COUNTS])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		goto out;
	while ((frc = pt_db_fetch(st)) == PT_OK)
		fprintf(out, "%-10s %lld\n", pt_db_col_text(st, 0),
		    (long long)pt_db_col_int(st, 1));
	if (frc == PT_ERR)
		goto out;
	if ((st = pt_db_stmt(db, a, stmts[STMT_UNCERTAIN])) == NULL ||
	    pt_db_exec(st) != PT_OK)
		goto out;
	while ((frc = pt_db_fetch(st)) == PT_OK)
		fprintf(out, "uncertain: id %lld to %s %s claimed %s UTC: "
		    "check the mail server's log before resending\n",
		    (long long)pt_db_col_int(st, 0), pt_db_col_text(st, 1),
		    pt_db_col_text(st, 2), pt_db_col_text(st, 3));
	if (frc == PT_ERR)
		goto out;
	rc = PT_OK;
out:
	pt_arena_free(a);
	return rc;
}
