/*
 * multipart.c - multipart/form-data (RFC 7578) for uploads: a streaming
 * parser that never holds a file in memory, and the request-level reader
 * that PT_UPLOAD routes use.
 *
 * The parser (pt_mp_*) is a pure pull parser: the caller hands it a
 * buffer (pt_mp_input) and asks for events (pt_mp_next) until it says
 * PT_MP_NEED.  File bytes come back as pointers into the caller's buffer
 * (or into the delimiter, for bytes held back while a possible delimiter
 * was being matched), so memory use is bounded by the part-header limit
 * whatever the size of the file.  It does no I/O, which is what lets
 * tests/fuzz/fuzz_multipart.c drive it.
 *
 * The request layer (pt_upload_*) binds the parser to the FastCGI body.
 * For a PT_UPLOAD route the dispatcher calls pt_upload_start(), which
 * reads the text fields that come BEFORE the first file part into r->form
 * (within [limits] body_max and fields_max), so that field validation and
 * the CSRF check run centrally, before any byte of the file is read.  The
 * handler then streams the file with pt_upload_chunk() and calls
 * pt_upload_finish(), which requires the closing delimiter: a body that
 * stops early is an error, never a short file.  Text fields after the file
 * are refused (they could not have been validated before the handler).
 *
 * API (portico.h, "multipart"): pt_mp_boundary, pt_mp_new, pt_mp_input,
 * pt_mp_next, pt_mp_done; pt_upload_start, pt_upload_file,
 * pt_upload_length, pt_upload_chunk, pt_upload_finish.  To accept another
 * part header, parse it in part_headers() and add a member to struct
 * pt_mp_part.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "portico.h"

#define MP_HDR_MAX	8192	/* one part's header block, bytes */
#define MP_BUF		65536	/* request body read size */

enum mp_state {
	S_PREAMBLE,	/* before the first delimiter: discarded */
	S_AFTER,	/* just after a delimiter: "--" or LWSP CRLF */
	S_AFTER_DASH,	/* one '-' seen */
	S_AFTER_CR,	/* CR seen, LF expected */
	S_HEADERS,	/* a part's header block */
	S_BODY,		/* a part's body */
	S_EPILOGUE,	/* after the closing delimiter: discarded */
	S_BAD,
};

struct pt_mp {
	struct pt_arena		*a;
	char			*delim;		/* CRLF "--" boundary */
	size_t			 dlen;
	const char		*in;
	size_t			 inlen;
	size_t			 pos;
	enum mp_state		 st;
	size_t			 match;		/* delimiter bytes held back */
	bool			 inpart;	/* the delimiter ends a part */
	char			*hdr;
	size_t			 hlen;
	struct pt_mp_part	 part;
};

static bool
bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

/*
 * Returns the boundary parameter of a multipart/form-data Content-Type
 * value (quoted or not), arena-allocated, or NULL if the type is another
 * one or the boundary is missing or not RFC 2046 (1..70 bchars, no
 * trailing space).
 */
const char *
pt_mp_boundary(struct pt_arena *a, const char *ct)
{
	const char	*p, *s, *e;
	size_t		 n, i;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return NULL;
	p = ct + 19;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ';')
			return NULL;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) == 0) {
			p += 9;
			if (*p == '"') {
				s = ++p;
				if ((e = strchr(s, '"')) == NULL)
					return NULL;
			} else {
				s = p;
				for (e = s; *e != '\0' && *e != ';' &&
				    *e != ' ' && *e != '\t'; e++)
					continue;
			}
			n = (size_t)(e - s);
			if (n < 1 || n > 70 || s[n - 1] == ' ')
				return NULL;
			for (i = 0; i < n; i++)
				if (!bchar((unsigned char)s[i]))
					return NULL;
			return pt_strndup(a, s, n);
		}
		/* Another parameter: skip it (quoted values included). */
		while (*p != '\0' && *p != ';') {
			if (*p == '"') {
				for (p++; *p != '\0' && *p != '"'; p++)
					if (*p == '\\' && p[1] != '\0')
						p++;
				if (*p == '"')
					p++;
			} else
				p++;
		}
	}
	return NULL;
}

/*
 * Returns a parser for a body delimited by boundary (as returned by
 * pt_mp_boundary()), arena-allocated; it has no input yet.
 */
struct pt_mp *
pt_mp_new(struct pt_arena *a, const char *boundary)
{
	struct pt_mp	*mp = pt_alloc(a, sizeof(*mp));

	mp->a = a;
	mp->delim = pt_printf(a, "\r\n--%s", boundary);
	mp->dlen = strlen(mp->delim);
	mp->hdr = pt_alloc(a, MP_HDR_MAX);
	mp->st = S_PREAMBLE;
	/* The body may open with the delimiter: pretend a CRLF came first. */
	mp->match = 2;
	return mp;
}

/*
 * Gives the parser its next input; buf must stay valid (and unchanged)
 * until pt_mp_next() returns PT_MP_NEED, since PT_MP_DATA points into it.
 */
void
pt_mp_input(struct pt_mp *mp, const char *buf, size_t len)
{
	mp->in = buf;
	mp->inlen = len;
	mp->pos = 0;
}

/* True once the closing delimiter has been seen. */
bool
pt_mp_done(const struct pt_mp *mp)
{
	return mp->st == S_EPILOGUE;
}

static enum pt_mp_ev
bad(struct pt_mp *mp)
{
	mp->st = S_BAD;
	return PT_MP_BAD;
}

/*
 * Reads a parameter value at *pp (quoted string with backslash escapes, or
 * a token) into the arena; advances *pp.  NULL if malformed.
 */
static char *
param_value(struct pt_arena *a, const char **pp, const char *end)
{
	const char	*p = *pp, *s;
	char		*out, *o;

	if (p < end && *p == '"') {
		o = out = pt_alloc(a, (size_t)(end - p) + 1);
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			*o++ = *p;
		}
		if (p >= end)
			return NULL;
		*pp = p + 1;
		*o = '\0';
		return out;
	}
	for (s = p; p < end && *p != ';' && *p != ' ' && *p != '\t'; p++)
		continue;
	if (p == s)
		return NULL;
	*pp = p;
	return pt_strndup(a, s, (size_t)(p - s));
}

/* Content-Disposition: form-data; name="x"; filename="y". */
static int
disposition(struct pt_mp *mp, const char *p, const char *end)
{
	const char	*k;
	char		*v;
	size_t		 klen;

	if ((size_t)(end - p) < 9 || strncasecmp(p, "form-data", 9) != 0)
		return PT_ERR;
	p += 9;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		if (*p != ';')
			return PT_ERR;
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (k = p; p < end && *p != '=' && *p != ';'; p++)
			continue;
		klen = (size_t)(p - k);
		while (klen > 0 && (k[klen - 1] == ' ' || k[klen - 1] == '\t'))
			klen--;
		if (p == end || *p != '=')
			return PT_ERR;
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((v = param_value(mp->a, &p, end)) == NULL)
			return PT_ERR;
		if (!pt_utf8_valid(v, strlen(v)))
			return PT_ERR;
		if (klen == 4 && strncasecmp(k, "name", 4) == 0) {
			if (mp->part.name != NULL)
				return PT_ERR;
			mp->part.name = v;
		} else if (klen == 8 && strncasecmp(k, "filename", 8) == 0) {
			if (mp->part.filename != NULL)
				return PT_ERR;
			mp->part.filename = v;
		}
		/* Other parameters (filename*) are ignored (RFC 7578 4.2). */
	}
	return PT_OK;
}

/*
 * Parses the header block hdr[0..hlen) (lines ending CRLF, the last one
 * empty) into mp->part.  PT_OK or PT_ERR.
 */
static int
part_headers(struct pt_mp *mp)
{
	const char	*p = mp->hdr, *end = mp->hdr + mp->hlen, *eol, *colon;
	const char	*v, *ve;
	size_t		 i;
	bool		 seen_cd = false;

	memset(&mp->part, 0, sizeof(mp->part));
	for (i = 0; i < mp->hlen; i++) {
		unsigned char	 c = (unsigned char)mp->hdr[i];

		/* CR and LF only as line ends; no NUL, no other controls. */
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return PT_ERR;
		if (c == '\r' && (i + 1 >= mp->hlen || mp->hdr[i + 1] != '\n'))
			return PT_ERR;
		if (c == '\n' && (i == 0 || mp->hdr[i - 1] != '\r'))
			return PT_ERR;
	}
	while (p < end) {
		eol = memchr(p, '\r', (size_t)(end - p));
		if (eol == NULL)
			return PT_ERR;
		if (eol == p)
			break;			/* the empty line */
		if (*p == ' ' || *p == '\t')
			return PT_ERR;		/* obsolete line folding */
		if ((colon = memchr(p, ':', (size_t)(eol - p))) == NULL)
			return PT_ERR;
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			continue;
		for (ve = eol; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			continue;
		if (colon - p == 19 &&
		    strncasecmp(p, "Content-Disposition", 19) == 0) {
			if (seen_cd || disposition(mp, v, ve) != PT_OK)
				return PT_ERR;
			seen_cd = true;
		} else if (colon - p == 12 &&
		    strncasecmp(p, "Content-Type", 12) == 0) {
			mp->part.ctype = pt_strndup(mp->a, v, (size_t)(ve - v));
			if (!pt_utf8_valid(mp->part.ctype,
			    strlen(mp->part.ctype)))
				return PT_ERR;
		}
		p = eol + 2;
	}
	if (!seen_cd || mp->part.name == NULL)
		return PT_ERR;
	return PT_OK;
}

/*
 * Scans for the delimiter from mp->pos.  In a body, bytes that cannot
 * start the delimiter are returned as data; bytes that might are held
 * back (mp->match) and returned from the delimiter string itself if the
 * match fails.  The delimiter's first byte (CR) occurs nowhere else in it
 * (a boundary holds no CR), so after a mismatch only the current byte can
 * start a new match.
 */
static enum pt_mp_ev
scan(struct pt_mp *mp, const char **data, size_t *len)
{
	const char	*p;
	size_t		 start = mp->pos, held;
	bool		 body = mp->st == S_BODY;

	while (mp->pos < mp->inlen) {
		if (mp->match == 0) {
			p = memchr(mp->in + mp->pos, '\r', mp->inlen - mp->pos);
			if (p == NULL) {
				mp->pos = mp->inlen;
				break;
			}
			mp->pos = (size_t)(p - mp->in);
			if (body && mp->pos > start) {
				*data = mp->in + start;
				*len = mp->pos - start;
				return PT_MP_DATA;
			}
			mp->match = 1;
			mp->pos++;
			start = mp->pos;
			continue;
		}
		if (mp->in[mp->pos] == mp->delim[mp->match]) {
			mp->pos++;
			start = mp->pos;
			if (++mp->match == mp->dlen) {
				mp->match = 0;
				mp->st = S_AFTER;
				return body ? PT_MP_PART_END : PT_MP_NEED;
			}
			continue;
		}
		/* Mismatch: the held-back bytes were data after all. */
		held = mp->match;
		mp->match = 0;
		if (body) {
			*data = mp->delim;
			*len = held;
			return PT_MP_DATA;
		}
		start = mp->pos;
	}
	if (body && mp->pos > start) {
		*data = mp->in + start;
		*len = mp->pos - start;
		return PT_MP_DATA;
	}
	return PT_MP_NEED;
}

/*
 * Returns the next event.  PT_MP_PART: *part is the new part (valid until
 * the next PT_MP_PART); PT_MP_DATA: *data[0..*len) are bytes of the
 * current part's body, valid until the next call; PT_MP_PART_END; PT_MP_END
 * once the closing delimiter is seen (and for every call after);
 * PT_MP_NEED when the input is used up; PT_MP_BAD for a malformed body
 * (and for every call after).
 */
enum pt_mp_ev
pt_mp_next(struct pt_mp *mp, const struct pt_mp_part **part,
    const char **data, size_t *len)
{
	enum pt_mp_ev	 ev;
	unsigned char	 c;

	for (;;) {
		switch (mp->st) {
		case S_BAD:
			return PT_MP_BAD;
		case S_EPILOGUE:
			mp->pos = mp->inlen;
			return PT_MP_END;
		case S_PREAMBLE:
		case S_BODY:
			ev = scan(mp, data, len);
			if (ev == PT_MP_NEED && mp->st == S_AFTER)
				continue;	/* preamble ended */
			if (ev == PT_MP_PART_END)
				mp->inpart = false;
			return ev;
		case S_HEADERS:
			while (mp->pos < mp->inlen) {
				if (mp->hlen == MP_HDR_MAX)
					return bad(mp);
				mp->hdr[mp->hlen++] = mp->in[mp->pos++];
				if ((mp->hlen == 2 &&
				    memcmp(mp->hdr, "\r\n", 2) == 0) ||
				    (mp->hlen >= 4 && memcmp(mp->hdr +
				    mp->hlen - 4, "\r\n\r\n", 4) == 0)) {
					if (part_headers(mp) != PT_OK)
						return bad(mp);
					mp->st = S_BODY;
					mp->inpart = true;
					*part = &mp->part;
					return PT_MP_PART;
				}
			}
			return PT_MP_NEED;
		case S_AFTER:
		case S_AFTER_DASH:
		case S_AFTER_CR:
			if (mp->pos >= mp->inlen)
				return PT_MP_NEED;
			c = (unsigned char)mp->in[mp->pos++];
			if (mp->st == S_AFTER_DASH) {
				if (c != '-')
					return bad(mp);
				mp->st = S_EPILOGUE;
				return PT_MP_END;
			}
			if (mp->st == S_AFTER_CR) {
				if (c != '\n')
					return bad(mp);
				mp->st = S_HEADERS;
				mp->hlen = 0;
				continue;
			}
			if (c == '-')
				mp->st = S_AFTER_DASH;
			else if (c == '\r')
				mp->st = S_AFTER_CR;
			else if (c != ' ' && c != '\t')
				return bad(mp);
			continue;
		}
	}
}

/* ---------------------------------------------------------- requests */

struct pt_upload {
	struct pt_req		*r;
	const struct pt_io	*io;
	struct pt_mp		*mp;
	char			*buf;
	uint64_t		 length;	/* Content-Length */
	uint64_t		 left;		/* body bytes not read yet */
	const struct pt_mp_part	*file;		/* pending file part */
	bool			 file_done;
	bool			 failed;
};

/*
 * The upload of the request in hand.  A worker serves one request at a
 * time, and the arena cleanup forgets it when the request ends, so a
 * handler can never see another request's body.
 */
static struct pt_upload	*current;

static void
upload_forget(void *arg)
{
	if (current == arg)
		current = NULL;
}

static struct pt_upload *
upload_of(struct pt_req *r)
{
	return current != NULL && current->r == r ? current : NULL;
}

/* Feeds the parser more body; PT_OK, PT_DECLINED at the end, PT_ERR. */
static int
upload_fill(struct pt_upload *up)
{
	long	 n;
	size_t	 want;

	if (up->left == 0)
		return PT_DECLINED;
	want = up->left < MP_BUF ? (size_t)up->left : MP_BUF;
	n = up->io->read(up->io->ctx, up->buf, want);
	if (n <= 0)
		return PT_ERR;
	up->left -= (uint64_t)n;
	pt_mp_input(up->mp, up->buf, (size_t)n);
	return PT_OK;
}

static bool
field_text_ok(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return false;
	}
	return pt_utf8_valid(s, len);
}

/*
 * For the dispatcher, on a POST to a PT_UPLOAD route: checks the
 * Content-Length and Content-Type and reads the text fields before the
 * first file part into r->form.  Returns 200, or an HTTP error status with
 * r->error set (411, 400, 415, 413 when the leading text fields alone
 * pass [limits] body_max).
 */
int
pt_upload_start(struct pt_req *r, const struct pt_io *io)
{
	const struct pt_limits	*lim = &r->cfg->limits;
	struct pt_upload	*up;
	const struct pt_mp_part	*part = NULL;
	const char		*cl, *bnd, *data;
	char			*end, *tbuf = NULL;
	size_t			 len, off = 0, vlen = 0, nfields = 0;
	unsigned long long	 n;
	enum pt_mp_ev		 ev;

	cl = pt_req_env(r, "CONTENT_LENGTH");
	if (cl == NULL || *cl == '\0')
		return pt_req_error(r, 411, "The upload needs a "
		    "Content-Length.");
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || *cl == '-')
		return pt_req_error(r, 400, "The Content-Length is not a "
		    "number.");
	bnd = pt_mp_boundary(r->arena, pt_req_env(r, "CONTENT_TYPE"));
	if (bnd == NULL)
		return pt_req_error(r, 415, "This page accepts only file "
		    "upload forms (multipart/form-data).");

	up = pt_alloc(r->arena, sizeof(*up));
	up->r = r;
	up->io = io;
	up->mp = pt_mp_new(r->arena, bnd);
	up->buf = pt_alloc(r->arena, MP_BUF);
	up->length = up->left = n;
	current = up;
	pt_arena_cleanup(r->arena, upload_forget, up);

	for (;;) {
		ev = pt_mp_next(up->mp, &part, &data, &len);
		switch (ev) {
		case PT_MP_NEED:
			if (upload_fill(up) == PT_OK)
				continue;
			up->failed = true;
			return pt_req_error(r, 400, "The upload ended before "
			    "the form was complete.");
		case PT_MP_PART:
			if (part->filename != NULL) {
				up->file = part;
				return 200;
			}
			if (++nfields > lim->fields_max)
				return pt_req_error(r, 400, "The form has "
				    "more than %zu fields.", lim->fields_max);
			vlen = 0;
			continue;
		case PT_MP_DATA:
			/*
			 * All text fields share one buffer: their bytes add up
			 * to body_max at most, plus one NUL each.
			 */
			if (off + vlen + len > lim->body_max + nfields)
				return pt_req_error(r, 413, "The form's text "
				    "fields are larger than %zu bytes.",
				    lim->body_max);
			if (tbuf == NULL)
				tbuf = pt_alloc(r->arena, lim->body_max +
				    lim->fields_max + 1);
			memcpy(tbuf + off + vlen, data, len);
			vlen += len;
			continue;
		case PT_MP_PART_END:
			if (tbuf == NULL)
				tbuf = pt_alloc(r->arena, lim->body_max +
				    lim->fields_max + 1);
			tbuf[off + vlen] = '\0';
			if (!field_text_ok(tbuf + off, vlen))
				return pt_req_error(r, 400, "The form field "
				    "\"%.64s\" contains a control character or "
				    "invalid UTF-8.", part->name);
			pt_kv_add(r->arena, &r->form, part->name, tbuf + off,
			    vlen);
			off += vlen + 1;
			vlen = 0;
			continue;
		case PT_MP_END:
			up->file_done = true;
			return 200;
		case PT_MP_BAD:
		case PT_MP__MAX:
			up->failed = true;
			return pt_req_error(r, 400, "The upload form data is "
			    "malformed.");
		}
	}
}

/*
 * The file part waiting to be read (name, filename as sent, content type
 * as sent), or NULL if the form has no file part or this is not an
 * upload.  Owned by the request.
 */
const struct pt_mp_part *
pt_upload_file(struct pt_req *r)
{
	struct pt_upload	*up = upload_of(r);

	return up != NULL ? up->file : NULL;
}

/* The request's Content-Length (an upper bound on the file's size). */
uint64_t
pt_upload_length(struct pt_req *r)
{
	struct pt_upload	*up = upload_of(r);

	return up != NULL ? up->length : 0;
}

/*
 * The next bytes of the file part: returns their count with *data set
 * (valid until the next call), 0 at the end of the file, -1 if the body
 * is malformed or ended early (the caller must discard what it read).
 */
long
pt_upload_chunk(struct pt_req *r, const char **data)
{
	struct pt_upload	*up = upload_of(r);
	const struct pt_mp_part	*part;
	size_t			 len;
	enum pt_mp_ev		 ev;

	if (up == NULL || up->failed)
		return -1;
	if (up->file == NULL || up->file_done)
		return 0;
	for (;;) {
		ev = pt_mp_next(up->mp, &part, data, &len);
		switch (ev) {
		case PT_MP_DATA:
			if (len == 0)
				continue;
			return (long)len;
		case PT_MP_PART_END:
			up->file_done = true;
			return 0;
		case PT_MP_NEED:
			if (upload_fill(up) == PT_OK)
				continue;
			/* FALLTHROUGH */
		default:
			up->failed = true;
			return -1;
		}
	}
}

/*
 * Reads the rest of the body after the file: returns 200 if the closing
 * delimiter follows, 400 (r->error set) if the body is malformed, ends
 * early, or holds another part (fields after the file could not have been
 * validated before the handler ran).
 */
int
pt_upload_finish(struct pt_req *r)
{
	struct pt_upload	*up = upload_of(r);
	const struct pt_mp_part	*part;
	const char		*data;
	size_t			 len;

	if (up == NULL || up->failed)
		return pt_req_error(r, 400, "The upload is incomplete.");
	if (up->file != NULL && !up->file_done)
		return pt_req_error(r, 400, "The file was not read.");
	for (;;) {
		switch (pt_mp_next(up->mp, &part, &data, &len)) {
		case PT_MP_END:
			/* The epilogue is ignored; nothing else may follow. */
			while (up->left > 0 && upload_fill(up) == PT_OK)
				continue;
			return 200;
		case PT_MP_NEED:
			if (upload_fill(up) == PT_OK)
				continue;
			up->failed = true;
			return pt_req_error(r, 400, "The upload ended before "
			    "the form was complete.");
		case PT_MP_PART:
			up->failed = true;
			return pt_req_error(r, 400, "The file must be the last "
			    "field of the form.");
		default:
			up->failed = true;
			return pt_req_error(r, 400, "The upload form data is "
			    "malformed.");
		}
	}
}
