/*
 * multipart_test.c - unit tests for the multipart/form-data parser
 * (fcgi/multipart.c): the boundary parameter, parts and their headers,
 * bodies that contain pieces of the delimiter, every way of splitting the
 * input into chunks, and malformed bodies.
 *
 * Each body is parsed into a transcript ("P name|filename|ctype", the
 * data, "E" at a part's end, "END" or "BAD") so that a chunked parse can
 * be compared with a whole one.  To add a case, add a body and the
 * transcript it must give.
 *
 * The request layer (pt_upload_*) is driven with an in-memory body: text
 * fields before the file land in r->form, the file streams in pieces,
 * and a body that ends early, a field after the file, oversized or too
 * many text fields and the wrong content type are refused.
 */
#include <string.h>

#include "portico.h"
#include "tap.h"

static char	 out[65536];
static size_t	 outlen;

static void
emit(const char *s, size_t len)
{
	if (outlen + len < sizeof(out)) {
		memcpy(out + outlen, s, len);
		outlen += len;
	}
	out[outlen] = '\0';
}

/* Parses body in chunks of `chunk` bytes (0: whole) into out. */
static const char *
transcript(struct pt_arena *a, const char *bnd, const char *body, size_t len,
    size_t chunk)
{
	struct pt_mp		*mp = pt_mp_new(a, bnd);
	const struct pt_mp_part	*p;
	const char		*d;
	size_t			 dl, off = 0, n;
	enum pt_mp_ev		 ev;
	char			 line[512];

	outlen = 0;
	out[0] = '\0';
	if (chunk == 0)
		chunk = len ? len : 1;
	for (;;) {
		ev = pt_mp_next(mp, &p, &d, &dl);
		switch (ev) {
		case PT_MP_NEED:
			if (off >= len) {
				emit("EOF", 3);
				return out;
			}
			n = len - off < chunk ? len - off : chunk;
			pt_mp_input(mp, body + off, n);
			off += n;
			break;
		case PT_MP_PART:
			snprintf(line, sizeof(line), "P %s|%s|%s\n", p->name,
			    p->filename ? p->filename : "-",
			    p->ctype ? p->ctype : "-");
			emit(line, strlen(line));
			break;
		case PT_MP_DATA:
			emit(d, dl);
			break;
		case PT_MP_PART_END:
			emit("\nE\n", 3);
			break;
		case PT_MP_END:
			emit("END", 3);
			return out;
		default:
			emit("BAD", 3);
			return out;
		}
	}
}

static void
check_n(struct pt_arena *a, const char *what, const char *body, size_t len,
    const char *want)
{
	size_t	 chunk;
	bool	 same = true;

	is_str(transcript(a, "XyZ", body, len, 0), want, "%s", what);
	for (chunk = 1; chunk <= 9 && same; chunk++)
		if (strcmp(transcript(a, "XyZ", body, len, chunk), want) != 0) {
			diag("chunk %zu: %s", chunk, out);
			same = false;
		}
	ok(same, "%s: same in chunks of 1..9 bytes", what);
	pt_arena_reset(a);
}

static void
check(struct pt_arena *a, const char *what, const char *body,
    const char *want)
{
	check_n(a, what, body, strlen(body), want);
}

#define CHECK_LIT(a, what, lit, want) \
	check_n(a, what, lit, sizeof(lit) - 1, want)

/* ------------------------------------------------------ request layer */

struct membody {
	const char	*buf;
	size_t		 len, off, step;
};

static long
mem_read(void *ctx, char *buf, size_t len)
{
	struct membody	*m = ctx;
	size_t		 n = m->len - m->off;

	if (n > len)
		n = len;
	if (n > m->step)
		n = m->step;
	memcpy(buf, m->buf + m->off, n);
	m->off += n;
	return (long)n;
}

/*
 * Starts an upload of body (cl: the Content-Length to claim, 0: the
 * body's) on a fresh request; returns pt_upload_start's status.
 */
static int
upload(struct pt_arena *a, struct pt_req *r, struct pt_config *cfg,
    struct pt_io *io, struct membody *m, const char *ctype,
    const char *body, size_t len, size_t cl)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	m->buf = body;
	m->len = len;
	m->off = 0;
	m->step = 7;
	io->ctx = m;
	io->read = mem_read;
	io->write = NULL;
	pt_kv_add(a, &r->env, "CONTENT_TYPE", ctype, strlen(ctype));
	pt_kv_add(a, &r->env, "CONTENT_LENGTH", pt_printf(a, "%zu",
	    cl ? cl : len), 0);
	return pt_upload_start(r, io);
}

static void
request_tests(struct pt_arena *a)
{
	static const char	 ct[] = "multipart/form-data; boundary=XyZ";
	struct pt_config	 cfg;
	struct pt_req		 r;
	struct pt_io		 io;
	struct membody		 m;
	const struct pt_mp_part	*f;
	const char		*d;
	char			*body, *file, *got;
	size_t			 flen = 100000, i, glen = 0, hdrlen;
	long			 n;
	int			 rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.limits.body_max = 64;
	cfg.limits.fields_max = 4;

	file = malloc(flen);
	for (i = 0; i < flen; i++)
		file[i] = (char)(i % 11 == 0 ? '\r' : i % 7 == 0 ? '\n' :
		    'a' + i % 26);
	body = malloc(flen + 512);
	i = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"title\"\r\n\r\nA \xc3\xa9 title\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"d.pdf\"\r\n\r\n");
	hdrlen = i;
	memcpy(body + i, file, flen);
	i += flen;
	i += (size_t)sprintf(body + i, "\r\n--XyZ--\r\n");

	rc = upload(a, &r, &cfg, &io, &m, ct, body, i, 0);
	is_int(rc, 200, "upload: start");
	is_str(pt_kv_get(&r.form, "csrf"), "tok", "csrf field in r->form");
	is_str(pt_kv_get(&r.form, "title"), "A \xc3\xa9 title", "title field");
	ok((f = pt_upload_file(&r)) != NULL && strcmp(f->name, "file") == 0 &&
	    strcmp(f->filename, "d.pdf") == 0, "the file part waits");
	ok(m.off < hdrlen + m.step, "only the fields were read before the "
	    "handler (%zu of %zu bytes)", m.off, i);
	is_int((long long)pt_upload_length(&r), (long long)i, "length");
	got = malloc(flen + 16);
	while ((n = pt_upload_chunk(&r, &d)) > 0 && glen + (size_t)n <= flen) {
		memcpy(got + glen, d, (size_t)n);
		glen += (size_t)n;
	}
	ok(n == 0 && glen == flen && memcmp(got, file, flen) == 0,
	    "the file streams through, byte for byte");
	is_int(pt_upload_finish(&r), 200, "finish");
	pt_arena_reset(a);

	/* The body stops short of its Content-Length. */
	rc = upload(a, &r, &cfg, &io, &m, ct, body, i - 5000, i);
	is_int(rc, 200, "short body: start");
	while ((n = pt_upload_chunk(&r, &d)) > 0)
		continue;
	is_int(n, -1, "short body: the file read fails");
	is_int(pt_upload_finish(&r), 400, "short body: finish refuses");
	pt_arena_reset(a);

	/* A field after the file. */
	i = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"x\"\r\n\r\nabc\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\nt\r\n"
	    "--XyZ--");
	is_int(upload(a, &r, &cfg, &io, &m, ct, body, i, 0), 200,
	    "late field: start");
	ok(pt_kv_get(&r.form, "csrf") == NULL, "late field: not in r->form");
	while ((n = pt_upload_chunk(&r, &d)) > 0)
		continue;
	is_int(pt_upload_finish(&r), 400, "late field: refused");
	pt_arena_reset(a);

	/* No file at all. */
	i = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n");
	is_int(upload(a, &r, &cfg, &io, &m, ct, body, i, 0), 200,
	    "no file: start");
	ok(pt_upload_file(&r) == NULL, "no file: nothing to read");
	is_int(pt_upload_finish(&r), 200, "no file: finish");
	pt_arena_reset(a);

	/* Text fields over body_max (64), too many fields, a control. */
	i = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n%070d\r\n--XyZ--\r\n", 7);
	is_int(upload(a, &r, &cfg, &io, &m, ct, body, i, 0), 413,
	    "text fields over body_max");
	pt_arena_reset(a);
	for (i = 0, body[0] = '\0'; i < 5; i++)
		strcat(body, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\n\r\n1\r\n");
	strcat(body, "--XyZ--");
	is_int(upload(a, &r, &cfg, &io, &m, ct, body, strlen(body), 0), 400,
	    "more than fields_max fields");
	pt_arena_reset(a);
	i = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\nx\033y\r\n--XyZ--\r\n");
	is_int(upload(a, &r, &cfg, &io, &m, ct, body, i, 0), 400,
	    "control character in a text field");
	pt_arena_reset(a);
	is_int(upload(a, &r, &cfg, &io, &m, "application/x-www-form-urlencoded",
	    "a=1", 3, 0), 415, "not multipart: 415");
	pt_arena_reset(a);
	memset(&r, 0, sizeof(r));
	r.arena = a;
	r.cfg = &cfg;
	pt_kv_add(a, &r.env, "CONTENT_TYPE", ct, strlen(ct));
	is_int(pt_upload_start(&r, &io), 411, "no Content-Length: 411");
	pt_arena_reset(a);
	free(file);
	free(body);
	free(got);
}

int
main(void)
{
	struct pt_arena	*a = pt_arena_new();

	is_str(pt_mp_boundary(a, "multipart/form-data; boundary=abc"), "abc",
	    "boundary token");
	is_str(pt_mp_boundary(a, "Multipart/Form-Data; charset=utf-8; "
	    "boundary=\"a b:c\""), "a b:c", "quoted boundary after a parameter");
	ok(pt_mp_boundary(a, "multipart/form-data") == NULL, "no boundary");
	ok(pt_mp_boundary(a, "multipart/mixed; boundary=a") == NULL,
	    "another type");
	ok(pt_mp_boundary(a, "multipart/form-data; boundary=\"a\r\nb\"") ==
	    NULL, "CR LF in boundary");
	ok(pt_mp_boundary(a, "multipart/form-data; boundary=") == NULL,
	    "empty boundary");
	ok(pt_mp_boundary(a, "multipart/form-data; boundary="
	    "12345678901234567890123456789012345678901234567890123456789012345"
	    "678901") == NULL, "71-byte boundary");

	check(a, "two fields and a file",
	    "preamble\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "tok\r\n--XyZ\r\n"
	    "content-disposition: form-data; name=\"title\"\r\n\r\n"
	    "A title\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"deck.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
	    "%PDF-1.4\r\n--XyXZ\r\n-\r\r\n--Xy\r\n\r\n--XyZ--\r\nepilogue",
	    "P csrf|-|-\ntok\nE\nP title|-|-\nA title\nE\n"
	    "P file|deck.pdf|application/pdf\n"
	    "%PDF-1.4\r\n--XyXZ\r\n-\r\r\n--Xy\r\n\nE\nEND");
	check(a, "body opens with the delimiter; empty value",
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "\r\n--XyZ--",
	    "P a|-|-\n\nE\nEND");
	check(a, "transport padding after the delimiter",
	    "--XyZ \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "1\r\n--XyZ--\r\n",
	    "P a|-|-\n1\nE\nEND");
	check(a, "escaped quote and path in filename",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename=\"..\\/..\\/etc/pa\\\"sswd\"\r\n\r\nx\r\n--XyZ--",
	    "P f|../../etc/pa\"sswd|-\nx\nE\nEND");
	check(a, "truncated in the file", "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\"; filename=\"a\"\r\n\r\nabc\r\n--Xy",
	    "P f|a|-\nabcEOF");
	check(a, "no closing delimiter", "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\"\r\n\r\nabc\r\n--XyZ\r\n", "P f|-|-\nabc\nE\nEOF");
	check(a, "no name", "--XyZ\r\nContent-Disposition: form-data\r\n\r\n"
	    "x\r\n--XyZ--", "BAD");
	check(a, "not form-data", "--XyZ\r\nContent-Disposition: attachment; "
	    "name=\"a\"\r\n\r\nx\r\n--XyZ--", "BAD");
	check(a, "no disposition", "--XyZ\r\nContent-Type: text/plain\r\n\r\n"
	    "x\r\n--XyZ--", "BAD");
	check(a, "bare LF in headers", "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\"\n\r\n\r\nx\r\n--XyZ--", "BAD");
	check(a, "CR LF inside a quoted filename", "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"a\r\n"
	    "X-Accel-Redirect: /other\"\r\n\r\nx\r\n--XyZ--", "BAD");
	CHECK_LIT(a, "NUL in a header", "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\"; filename=\"a\0b\"\r\n\r\nx\r\n--XyZ--",
	    "BAD");
	check(a, "unterminated quote", "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\r\n\r\nx\r\n--XyZ--", "BAD");
	check(a, "two names", "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a; name=b\r\n\r\nx\r\n--XyZ--", "BAD");
	check(a, "garbage after the delimiter", "--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZx", 
	    "P a|-|-\nx\nE\nBAD");
	check(a, "invalid UTF-8 in a name", "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"\xff\"\r\n\r\nx\r\n--XyZ--", "BAD");
	check(a, "folded header", "--XyZ\r\nContent-Disposition: form-data;"
	    "\r\n name=a\r\n\r\nx\r\n--XyZ--", "BAD");

	/* A header block over the limit is refused, not buffered. */
	{
		size_t	 n = 20000, i;
		char	*big = malloc(n + 64);

		strcpy(big, "--XyZ\r\nX-Pad: ");
		for (i = strlen(big); i < n; i++)
			big[i] = 'a';
		strcpy(big + n, "\r\n\r\nx\r\n--XyZ--");
		is_str(transcript(a, "XyZ", big, strlen(big), 4096), "BAD",
		    "8 KiB part header limit");
		free(big);
		pt_arena_reset(a);
	}
	/* A large file streams through in pieces no bigger than the input. */
	{
		size_t	 n = 1 << 20, i, got = 0, maxd = 0, dl;
		char	*body = malloc(n + 256);
		struct pt_mp		*mp = pt_mp_new(a, "XyZ");
		const struct pt_mp_part	*p;
		const char		*d;
		enum pt_mp_ev		 ev;
		size_t			 off = 0, len;

		len = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: "
		    "form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n");
		for (i = 0; i < n; i++)
			body[len + i] = (char)(i % 13 == 0 ? '\r' : 'a' + i % 26);
		len += n;
		len += (size_t)sprintf(body + len, "\r\n--XyZ--\r\n");
		while ((ev = pt_mp_next(mp, &p, &d, &dl)) != PT_MP_END &&
		    ev != PT_MP_BAD) {
			if (ev == PT_MP_NEED) {
				size_t	 c = len - off < 4000 ? len - off : 4000;

				if (c == 0)
					break;
				pt_mp_input(mp, body + off, c);
				off += c;
			} else if (ev == PT_MP_DATA) {
				got += dl;
				if (dl > maxd)
					maxd = dl;
			}
		}
		ok(ev == PT_MP_END && pt_mp_done(mp), "1 MiB file parsed");
		is_int(got, n, "every byte of the file, none of the delimiter");
		ok(maxd <= 4000, "data comes in pieces of the input (%zu)",
		    maxd);
		free(body);
		pt_arena_reset(a);
	}
	request_tests(a);
	pt_arena_free(a);
	return done();
}
