/*
 * response_test.c - unit tests for the header writer (fcgi/response.c):
 * pt_header_value_ok, pt_resp_header and pt_resp_redirect.
 *
 * pt_resp_header is the one path by which headers are written, so these
 * tests are the proof that a CR or LF from a client (response splitting)
 * or a non-token header name can never reach the wire, and that redirects
 * only go to local paths.
 *
 * To add a case, add a row to one of the tables.
 */
#include <string.h>
#include <strings.h>

#include "portico.h"
#include "tap.h"

static struct pt_req *
new_req(struct pt_arena *a)
{
	struct pt_req *r = pt_alloc(a, sizeof(*r));

	r->arena = a;
	strcpy(r->id, "0123456789abcdef0123456789abcdef");
	r->status = 200;
	return r;
}

static size_t
count_header(const struct pt_req *r, const char *name)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->headers.n; i++)
		if (r->headers.v[i].key != NULL &&
		    strcasecmp(r->headers.v[i].key, name) == 0)
			n++;
	return n;
}

static const char *
get_header(const struct pt_req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->headers.n; i++)
		if (r->headers.v[i].key != NULL &&
		    strcasecmp(r->headers.v[i].key, name) == 0)
			return r->headers.v[i].val;
	return NULL;
}

static void
value_ok(void)
{
	static const char *const good[] = {
		"text/html; charset=utf-8", "max-age=0, no-store",
		"sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
		"default-src 'self'; frame-ancestors 'none'",
	};
	static const char *const bad[] = {
		"a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "\r\n", "x\r", "\n",
		"ok\r\n\r\n<html>",
	};
	size_t	 i;

	for (i = 0; i < PT_NELEM(good); i++)
		ok(pt_header_value_ok(good[i]),
		    "pt_header_value_ok accepts good value %zu", i);
	for (i = 0; i < PT_NELEM(bad); i++)
		ok(!pt_header_value_ok(bad[i]),
		    "pt_header_value_ok refuses bad value %zu (CR/LF)", i);
}

static void
resp_header(void)
{
	struct pt_arena	*a = pt_arena_new();
	struct pt_req	*r = new_req(a);
	static const char *const badnames[] = {
		"", "X Bad", "X:Bad", "X-Bad:", "X-Bad\r\nSet-Cookie",
		"X-Bad\n", "X\rY", "X(Y)", "X/Y", "X@Y", "X\"Y", "X;Y", "X,Y",
		"X=Y", "X\tY", "X\x01Y", "X\x7fY", "caf\xc3\xa9", "X[1]",
		"X{Y}", "X?Y", "X\\Y", "<X>",
	};
	static const char *const goodnames[] = {
		"X-Custom", "x-lower", "Content-Type", "X_Under.Score~!#$%&'*+^`|",
		"A1",
	};
	size_t	 i;
	int	 rc;

	rc = pt_resp_header(r, "X-Test", "hello");
	is_int(rc, PT_OK, "pt_resp_header accepts a plain header");
	is_str(get_header(r, "X-Test"), "hello", "the header is recorded");

	for (i = 0; i < PT_NELEM(goodnames); i++) {
		rc = pt_resp_header(r, goodnames[i], "v");
		is_int(rc, PT_OK, "token name accepted: %s", goodnames[i]);
	}

	for (i = 0; i < PT_NELEM(badnames); i++) {
		size_t before = r->headers.n;
		char q[64];

		tap_quote(q, sizeof(q), badnames[i], strlen(badnames[i]));
		rc = pt_resp_header(r, badnames[i], "v");
		is_int(rc, PT_ERR, "non-token name \"%s\" refused", q);
		is_int(r->headers.n, before, "non-token name \"%s\" not recorded",
		    q);
	}

	rc = pt_resp_header(r, "X-Inject", "a\r\nSet-Cookie: admin=1");
	is_int(rc, PT_ERR, "a value with CRLF is refused");
	rc = pt_resp_header(r, "X-Inject", "a\nb");
	is_int(rc, PT_ERR, "a value with LF is refused");
	rc = pt_resp_header(r, "X-Inject", "a\rb");
	is_int(rc, PT_ERR, "a value with CR is refused");
	is_int(count_header(r, "X-Inject"), 0, "no refused value is recorded");
	is_int(count_header(r, "Set-Cookie"), 0, "no header was smuggled in");
	pt_arena_free(a);
}

static void
redirect(void)
{
	static const char *const good[] = {
		"/", "/c/42", "/search?q=a%20b&x=1", "/login#top",
	};
	static const char *const bad[] = {
		"//evil", "//evil.example/", "http://x", "https://evil.example/",
		"/\\evil", "\\\\evil", "/\\/evil", "javascript:alert(1)", "",
		"evil", "evil/path", "./x", "../x", "/a\r\nSet-Cookie: x=1",
		"/a\nb", "/\t/evil", " //evil", "/\r/evil", "\t//evil",
		"HTTP://x", "data:text/html,x",
	};
	struct pt_arena	*a;
	struct pt_req	*r;
	size_t		 i;
	int		 rc;

	for (i = 0; i < PT_NELEM(good); i++) {
		a = pt_arena_new();
		r = new_req(a);
		rc = pt_resp_redirect(r, good[i]);
		/*
		 * PT_OK by the header's convention; a 303 returned for the
		 * handler to pass on would also make the response a 303.
		 */
		ok(rc == PT_OK || rc == 303, "pt_resp_redirect accepts %s (rc %d)",
		    good[i], rc);
		ok(r->status == 303 || rc == 303,
		    "pt_resp_redirect %s makes a 303", good[i]);
		is_str(get_header(r, "Location"), good[i],
		    "pt_resp_redirect %s sets Location", good[i]);
		pt_arena_free(a);
	}
	for (i = 0; i < PT_NELEM(bad); i++) {
		char q[128];

		tap_quote(q, sizeof(q), bad[i], strlen(bad[i]));
		a = pt_arena_new();
		r = new_req(a);
		rc = pt_resp_redirect(r, bad[i]);
		is_int(rc, PT_ERR, "pt_resp_redirect refuses \"%s\"", q);
		ok(get_header(r, "Location") == NULL,
		    "refused \"%s\" sets no Location", q);
		ok(r->status != 303, "refused \"%s\" is not a 303", q);
		pt_arena_free(a);
	}
}

int
main(void)
{
	value_ok();
	resp_header();
	redirect();
	return done();
}
