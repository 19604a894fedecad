/*
 * dispatch_test.c - unit tests for the request phases (fcgi/dispatch.c).
 *
 * Runs pt_dispatch with an in-memory struct pt_io and a hand-made FastCGI
 * environment against the compiled-in modules, with no database (db is
 * NULL) and the project's own xslt/ (found through $PT_SRCDIR).  Checks
 * the answers that need no database: 404 for an unknown path, 405 with
 * Allow, 413 for an oversized Content-Length, 431 for oversized cookies and
 * headers, 414 for a long query, 400 for bad percent-encoding, 503 for a
 * route that needs the database, and that every one of them carries the
 * security headers, a correct Content-Length and a CGI-style header block
 * ("Status: 404 Not Found\r\n...\r\n\r\nbody").
 *
 * To add a case, call run() with an environment and check the struct resp.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "portico.h"
#include "tap.h"

struct mem {
	const char	*in;
	size_t		 inlen, inpos;
	char		*out;
	size_t		 outlen, outcap;
	int		 writes;
};

static long
mem_read(void *ctx, char *buf, size_t len)
{
	struct mem	*m = ctx;
	size_t		 n = m->inlen - m->inpos;

	if (n > len)
		n = len;
	memcpy(buf, m->in + m->inpos, n);
	m->inpos += n;
	return (long)n;
}

static int
mem_write(void *ctx, const char *buf, size_t len)
{
	struct mem	*m = ctx;

	if (m->outlen + len + 1 > m->outcap) {
		m->outcap = (m->outlen + len + 1) * 2;
		if ((m->out = realloc(m->out, m->outcap)) == NULL)
			abort();
	}
	memcpy(m->out + m->outlen, buf, len);
	m->outlen += len;
	m->out[m->outlen] = '\0';
	m->writes++;
	return PT_OK;
}

/* A parsed response. */
struct resp {
	int		 status;
	char		 head[8192];
	const char	*body;
	size_t		 bodylen;
	bool		 framed;	/* a well-formed CGI header block */
	struct mem	 m;
};

static struct pt_config	 cfg;
static struct pt_arena	*arena;

/* The value of header name in r->head, or NULL; copied into the arena. */
static const char *
header(const struct resp *r, const char *name)
{
	const char	*p = r->head, *eol, *colon;
	size_t		 nl = strlen(name);

	for (; *p != '\0'; p = eol + 2) {
		if ((eol = strstr(p, "\r\n")) == NULL)
			break;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon != NULL && (size_t)(colon - p) == nl &&
		    strncasecmp(p, name, nl) == 0) {
			colon++;
			while (*colon == ' ')
				colon++;
			return pt_strndup(arena, colon, (size_t)(eol - colon));
		}
	}
	return NULL;
}

static void
run(struct resp *r, const char *const *env, const char *body)
{
	struct pt_io	 io;
	char		*envp[64];
	const char	*sep, *p;
	size_t		 i, hlen;

	memset(r, 0, sizeof(*r));
	for (i = 0; env[i] != NULL && i < PT_NELEM(envp) - 1; i++)
		envp[i] = pt_strdup(arena, env[i]);
	envp[i] = NULL;
	r->m.in = body ? body : "";
	r->m.inlen = body ? strlen(body) : 0;
	io.ctx = &r->m;
	io.read = mem_read;
	io.write = mem_write;

	pt_dispatch(arena, &cfg, NULL, envp, &io);

	r->status = -1;
	if (r->m.out == NULL)
		return;
	sep = strstr(r->m.out, "\r\n\r\n");
	if (sep == NULL || strncmp(r->m.out, "Status: ", 8) != 0)
		return;
	hlen = (size_t)(sep - r->m.out) + 2;
	if (hlen >= sizeof(r->head))
		return;
	memcpy(r->head, r->m.out, hlen);
	r->head[hlen] = '\0';
	r->status = atoi(r->m.out + 8);
	r->body = sep + 4;
	r->bodylen = r->m.outlen - (size_t)(r->body - r->m.out);
	/* Every header line ends in CRLF; no bare CR or LF inside. */
	r->framed = true;
	for (p = r->head; p < r->head + hlen; p++) {
		if (*p == '\n' && (p == r->head || p[-1] != '\r'))
			r->framed = false;
		if (*p == '\r' && p[1] != '\n')
			r->framed = false;
	}
}

static void
done_resp(struct resp *r)
{
	free(r->m.out);
	r->m.out = NULL;
	pt_arena_reset(arena);
}

/* The checks every response must pass, whatever its status. */
static void
common(const struct resp *r, const char *what, bool head_only)
{
	const char	*v, *cl;

	ok(r->framed, "%s: a CGI header block with CRLF lines", what);
	v = header(r, "Content-Security-Policy");
	ok(v != NULL && strstr(v, "frame-ancestors 'none'") != NULL,
	    "%s: Content-Security-Policy with frame-ancestors 'none'", what);
	v = header(r, "X-Content-Type-Options");
	ok(v != NULL && strcasecmp(v, "nosniff") == 0,
	    "%s: X-Content-Type-Options: nosniff", what);
	ok(header(r, "Referrer-Policy") != NULL, "%s: Referrer-Policy", what);
	ok(header(r, "Content-Type") != NULL, "%s: Content-Type", what);
	cl = header(r, "Content-Length");
	if (head_only)
		ok(r->bodylen == 0, "%s: HEAD sends no body", what);
	else
		ok(cl != NULL && strtoull(cl, NULL, 10) == r->bodylen,
		    "%s: Content-Length %s matches the body (%zu)", what,
		    cl ? cl : "(none)", r->bodylen);
}

static void
error_page(const struct resp *r, int status, const char *what)
{
	const char	*ct = header(r, "Content-Type");

	if (!is_int(r->status, status, "%s: status %d", what, status))
		diag("response: %.400s", r->m.out ? r->m.out : "(nothing)");
	common(r, what, false);
	ok(ct != NULL && strncmp(ct, "text/html", 9) == 0,
	    "%s: the error page is HTML from error.xsl (%s)", what,
	    ct ? ct : "none");
	ok(r->bodylen > 0 && r->body != NULL &&
	    strstr(r->body, "<html") != NULL,
	    "%s: the error page has a body", what);
}

#define ENV_BASE \
	"GATEWAY_INTERFACE=CGI/1.1", "SERVER_PROTOCOL=HTTP/1.1", \
	"REMOTE_ADDR=127.0.0.1", "SERVER_NAME=localhost", \
	"HTTP_HOST=localhost", "HTTP_USER_AGENT=dispatch_test"

static void
cases(void)
{
	struct resp	 r;
	char		*big, *cookie, *query, *cl;
	const char	*v;

	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/no/such/page", "DOCUMENT_URI=/no/such/page",
		    "QUERY_STRING=", NULL };

		run(&r, env, NULL);
		error_page(&r, 404, "unknown path");
		ok(r.body != NULL && strstr(r.body, "<script") == NULL,
		    "unknown path: the page carries no script");
		ok(header(&r, "X-Request-Id") != NULL,
		    "unknown path: X-Request-Id for support");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=HEAD",
		    "REQUEST_URI=/no/such/page", NULL };

		run(&r, env, NULL);
		is_int(r.status, 404, "HEAD of an unknown path: 404");
		common(&r, "HEAD 404", true);
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=POST",
		    "REQUEST_URI=/", "CONTENT_LENGTH=3",
		    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };

		run(&r, env, "a=1");
		error_page(&r, 405, "POST /");
		v = header(&r, "Allow");
		is_str(v, "GET, HEAD", "POST /: Allow: GET, HEAD");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=DELETE",
		    "REQUEST_URI=/healthz", NULL };

		run(&r, env, NULL);
		error_page(&r, 405, "DELETE /healthz");
		is_str(header(&r, "Allow"), "GET, HEAD",
		    "DELETE /healthz: Allow: GET, HEAD");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=TRACE",
		    "REQUEST_URI=/", NULL };

		run(&r, env, NULL);
		ok(r.status == 405 || r.status == 501,
		    "an unknown method is refused (%d)", r.status);
		common(&r, "TRACE /", false);
		done_resp(&r);
	}

	/* 413: the Content-Length alone decides, before reading. */
	cl = pt_printf(arena, "CONTENT_LENGTH=%zu", cfg.limits.body_max + 1);
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/", cl,
		    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };

		run(&r, env, NULL);
		error_page(&r, 413, "Content-Length above body_max");
		ok(r.m.inpos == 0, "413: the body was not read");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/", "CONTENT_LENGTH=99999999999999999999999",
		    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };

		run(&r, env, NULL);
		ok(r.status == 413 || r.status == 400,
		    "an overflowing Content-Length is 413 or 400 (%d)",
		    r.status);
		common(&r, "overflowing Content-Length", false);
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/", "CONTENT_LENGTH=-1",
		    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };

		run(&r, env, NULL);
		is_int(r.status, 400, "a negative Content-Length is 400");
		done_resp(&r);
	}

	/* 431: a cookie header one byte over cookie_max. */
	cookie = pt_alloc(arena, cfg.limits.cookie_max + 32);
	strcpy(cookie, "HTTP_COOKIE=sid=");
	memset(cookie + strlen(cookie), 'a',
	    cfg.limits.cookie_max + 1 - strlen("sid="));
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/", cookie, NULL };

		run(&r, env, NULL);
		error_page(&r, 431, "oversized cookie");
		done_resp(&r);
	}
	/* 431: many headers, each small, over headers_max together. */
	big = pt_alloc(arena, cfg.limits.headers_max + 32);
	strcpy(big, "HTTP_X_PADDING=");
	memset(big + strlen(big), 'b', cfg.limits.headers_max);
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/", big, NULL };

		run(&r, env, NULL);
		error_page(&r, 431, "oversized headers");
		done_resp(&r);
	}
	/* 414: a query string over query_max. */
	query = pt_alloc(arena, cfg.limits.query_max + 64);
	strcpy(query, "REQUEST_URI=/?q=");
	memset(query + strlen(query), 'c', cfg.limits.query_max);
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET", query,
		    pt_printf(arena, "QUERY_STRING=%s", strchr(query, '?') + 1),
		    NULL };

		run(&r, env, NULL);
		error_page(&r, 414, "oversized query");
		done_resp(&r);
	}
	/* 400: malformed percent-encoding. */
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/?q=%zz", "QUERY_STRING=q=%zz", NULL };

		run(&r, env, NULL);
		error_page(&r, 400, "bad escape in the query");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/?q=%00", "QUERY_STRING=q=%00", NULL };

		run(&r, env, NULL);
		error_page(&r, 400, "%00 in the query");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/?q=%C0%AF", "QUERY_STRING=q=%C0%AF", NULL };

		run(&r, env, NULL);
		error_page(&r, 400, "overlong UTF-8 in the query");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/%zz", NULL };

		run(&r, env, NULL);
		error_page(&r, 400, "bad escape in the path");
		done_resp(&r);
	}
	/* 400: more query fields than fields_max. */
	{
		struct pt_limits saved = cfg.limits;
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/?a=1&b=2&c=3&d=4", "QUERY_STRING=a=1&b=2&c=3&d=4",
		    NULL };

		cfg.limits.fields_max = 3;
		run(&r, env, NULL);
		error_page(&r, 400, "more query fields than fields_max");
		cfg.limits = saved;
		done_resp(&r);
	}
	/* A route that needs the database, with none: 503, readable. */
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/healthz", NULL };

		run(&r, env, NULL);
		error_page(&r, 503, "/healthz without a database");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/", NULL };

		run(&r, env, NULL);
		error_page(&r, 503, "/ without a database");
		done_resp(&r);
	}
	/* Nothing from the client reaches the header block raw. */
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/nope", "REQUEST_ID=abc\r\nX-Evil: 1",
		    "HTTP_X_FORWARDED_FOR=1.2.3.4\r\nX-Evil2: 1", NULL };

		run(&r, env, NULL);
		ok(r.framed && header(&r, "X-Evil") == NULL &&
		    header(&r, "X-Evil2") == NULL,
		    "CR/LF in the request id or a header is not reflected");
		done_resp(&r);
	}
	/* Static files from a CDN: its origin may serve styles and images. */
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/nope", NULL };

		cfg.static_url = (char *)"https://cdn.example:8443/assets";
		run(&r, env, NULL);
		v = header(&r, "Content-Security-Policy");
		ok(v != NULL && strstr(v, "style-src 'self' "
		    "https://cdn.example:8443;") != NULL && strstr(v,
		    "img-src 'self' data: https://cdn.example:8443;") != NULL,
		    "static_url on a CDN: its origin in style-src and img-src: "
		    "%s", v ? v : "(none)");
		done_resp(&r);
		cfg.static_url = (char *)"/static";
		run(&r, env, NULL);
		v = header(&r, "Content-Security-Policy");
		ok(v != NULL && strstr(v, "style-src 'self';") != NULL &&
		    strstr(v, "cdn.example") == NULL,
		    "static_url a path: only 'self': %s", v ? v : "(none)");
		done_resp(&r);
	}
	{
		const char *env[] = { ENV_BASE, "REQUEST_METHOD=GET",
		    "REQUEST_URI=/%3Cscript%3Ealert(1)%3C/script%3E", NULL };

		run(&r, env, NULL);
		is_int(r.status, 404, "a path with markup: 404");
		ok(r.body != NULL && strstr(r.body, "<script>") == NULL,
		    "the path is escaped in the error page");
		done_resp(&r);
	}
}

int
main(void)
{
	const char	*src = getenv("PT_SRCDIR");
	char		 xslt[1024];

	xmlInitParser();
	if (src == NULL)
		src = ".";
	snprintf(xslt, sizeof(xslt), "%s/xslt", src);

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = (char *)"";
	cfg.workers = 1;
	cfg.log_level = PT_LOG_ERR;
	cfg.xslt_dir = xslt;
	cfg.sql_dir = (char *)"/nonexistent";
	cfg.static_url = (char *)"/static";
	cfg.limits.body_max = 4096;
	cfg.limits.headers_max = 8192;
	cfg.limits.cookie_max = 1024;
	cfg.limits.query_max = 2048;
	cfg.limits.fields_max = 64;
	cfg.db_host = (char *)"";
	cfg.db_socket = (char *)"";
	cfg.db_user = (char *)"";
	cfg.db_password = (char *)"";
	cfg.db_name = (char *)"";
	cfg.site_name = (char *)"Dispatch Test";
	pt_log_setlevel(PT_LOG_ERR);

	if (!is_int(pt_view_init(xslt), PT_OK, "pt_view_init(%s)", xslt))
		return done();
	arena = pt_arena_new();
	cases();
	pt_arena_free(arena);
	pt_view_fini();
	return done();
}
