/*
 * response.c - response headers and redirects.
 *
 * pt_resp_header() is the one path by which a header reaches the wire: it
 * refuses names that are not RFC 9110 tokens and values holding CR, LF or
 * NUL, so a partner's company name with an embedded newline can never split
 * a response.  fcgi/dispatch.c writes the status line, the security headers
 * and these headers, in that order.
 *
 * API: pt_header_value_ok, pt_resp_header, pt_resp_redirect, pt_resp_raw.
 */
#include <string.h>

#include "portico.h"

static bool
header_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?={}", c) != NULL)
			return false;
	}
	return true;
}

/*
 * Returns true if s may be sent as a header value: no CR, LF, NUL or other
 * control character except TAB.
 */
bool
pt_header_value_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

/*
 * Adds a response header; name and value are copied into the arena.
 * Returns PT_OK, or PT_ERR (logged, nothing added) for a bad name or value.
 */
int
pt_resp_header(struct pt_req *r, const char *name, const char *value)
{
	if (!header_name_ok(name) || !pt_header_value_ok(value)) {
		pt_rlog(r, PT_LOG_ERR, "refused response header \"%.64s\": "
		    "invalid name or control character in value", name);
		return PT_ERR;
	}
	pt_kv_add(r->arena, &r->headers, pt_strdup(r->arena, name),
	    pt_strdup(r->arena, value), strlen(value));
	return PT_OK;
}

/*
 * Prepares a 303 See Other to a local path and returns 303, or returns
 * PT_ERR for anything that could leave the site: only "/x" is accepted,
 * not "//host", "/\host" (browsers treat '\' as '/'), "http://", nor any
 * control character or space: browsers strip TAB, CR and LF from URLs, so
 * "/<TAB>/host" would be followed as "//host".
 */
int
pt_resp_redirect(struct pt_req *r, const char *path)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '\\')
			break;
	if (path[0] != '/' || path[1] == '/' || *p != '\0') {
		pt_rlog(r, PT_LOG_WARN, "refused redirect to a non-local path");
		return PT_ERR;
	}
	if (pt_resp_header(r, "Location", path) != PT_OK)
		return PT_ERR;
	r->status = 303;
	return 303;
}

/*
 * Sets the body of a PT_RAW route.  The bytes are not copied: they must be
 * static or arena-owned.
 */
void
pt_resp_raw(struct pt_req *r, const char *ctype, const char *body, size_t len)
{
	r->ctype = ctype;
	r->body = body;
	r->bodylen = len;
}
