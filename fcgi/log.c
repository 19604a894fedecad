/*
 * log.c - one line per event on stderr.
 *
 * The master, every worker and porticoctl share one stderr (journald, a
 * pipe from the harness or a terminal), so each event is formatted into one
 * buffer and handed to the kernel with a single write(2): lines of several
 * processes never interleave mid-line.  Lines look like
 *
 *	2026-11-23T01:46:25Z portico[4711]: warn rid=5f0c... message
 *
 * with "rid=..." only when the event belongs to a request.  Control
 * characters in the message (a CR/LF smuggled in through a partner's input,
 * say) are written as \xNN, so one event is always exactly one line.
 *
 * API: pt_log_setlevel(), pt_log(), pt_rlog() (see portico.h).
 *
 * To add a log level, extend enum pt_loglevel in portico.h, name it in
 * levels[] below and in config.c's parser, and document it in
 * conf/portico.conf.sample.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE: clock_gettime, gmtime_r */
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "portico.h"

/*
 * A line stays below PIPE_BUF (4096 on Linux) so that a write to a pipe is
 * atomic even when several processes log at once.
 */
#define PT_LOG_LINE	2048

static const char *const levels[PT_LOG__MAX] = {
	[PT_LOG_ERR] = "error",
	[PT_LOG_WARN] = "warn",
	[PT_LOG_INFO] = "info",
	[PT_LOG_DEBUG] = "debug",
};

static enum pt_loglevel loglevel = PT_LOG_INFO;

/*
 * Sets the most verbose level that is written; events above it are
 * dropped.  Allocates nothing.
 */
void
pt_log_setlevel(enum pt_loglevel level)
{
	if (level >= PT_LOG__MAX)
		level = PT_LOG_DEBUG;
	loglevel = level;
}

/* Appends msg to line[*len..cap), escaping control characters. */
static void
log_append_escaped(char *line, size_t *len, size_t cap, const char *msg)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t n = *len;

	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			if (n + 4 > cap)
				break;
			line[n++] = '\\';
			line[n++] = 'x';
			line[n++] = hex[*p >> 4];
			line[n++] = hex[*p & 0xf];
		} else {
			if (n + 1 > cap)
				break;
			line[n++] = (char)*p;
		}
	}
	if (*p != '\0' && cap >= 3) {
		/* Truncated: say so rather than end mid-word silently. */
		n = cap - 3;
		memcpy(line + n, "...", 3);
		n += 3;
	}
	*len = n;
}

static void	log_write(const char *, enum pt_loglevel, const char *, va_list)
		    PT_PRINTF(3, 0);

static void
log_write(const char *rid, enum pt_loglevel level, const char *fmt,
    va_list ap)
{
	char line[PT_LOG_LINE], msg[PT_LOG_LINE];
	struct timespec ts;
	struct tm tm;
	size_t len, off;
	ssize_t w;
	int n, saved_errno;

	if (level > loglevel)
		return;
	/* Callers may log and then report errno; keep it for them. */
	saved_errno = errno;
	if (level >= PT_LOG__MAX)
		level = PT_LOG_DEBUG;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	len = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (rid != NULL && rid[0] != '\0')
		n = snprintf(line + len, sizeof(line) - len,
		    " portico[%ld]: %s rid=%s ", (long)getpid(), levels[level],
		    rid);
	else
		n = snprintf(line + len, sizeof(line) - len, " portico[%ld]: %s ",
		    (long)getpid(), levels[level]);
	if (n < 0 || (size_t)n >= sizeof(line) - len)
		n = 0;
	len += (size_t)n;

	errno = saved_errno;	/* for %m in fmt */
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		strcpy(msg, "(unprintable log message)");
	/* Leave room for the newline. */
	log_append_escaped(line, &len, sizeof(line) - 1, msg);
	line[len++] = '\n';

	/* One write(2) in practice; the loop only covers EINTR and odd fds. */
	for (off = 0; off < len; off += (size_t)w) {
		w = write(STDERR_FILENO, line + off, len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0)
			break;
	}
	errno = saved_errno;
}

/*
 * Writes one event that belongs to no request.  Returns nothing, allocates
 * nothing and leaves errno as it found it.
 */
void
pt_log(enum pt_loglevel level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(NULL, level, fmt, ap);
	va_end(ap);
}

/*
 * Writes one event of request r, tagged with r->id so that every line of a
 * request can be found again.  r may be NULL.  Allocates nothing.
 */
void
pt_rlog(const struct pt_req *r, enum pt_loglevel level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(r != NULL ? r->id : NULL, level, fmt, ap);
	va_end(ap);
}

/* Returns seconds on the monotonic clock, for deadlines and ages. */
double
pt_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
