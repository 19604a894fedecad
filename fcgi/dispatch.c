/*
 * dispatch.c - one request through the fixed phases.
 *
 *   params (limits) -> query, cookies -> route -> body (limits) -> database,
 *   session -> access + CSRF -> fields -> handler builds XML -> XSLT ->
 *   write -> log
 *
 * Everything a handler may rely on is checked here, once, before it runs:
 * a handler never sees an oversized or malformed input, an unknown method,
 * a caller outside its access policy or a state change without a CSRF
 * token.  Every response, errors included, leaves through write_response()
 * with the security headers, and every error page is rendered by
 * xslt/error.xsl from the same envelope as any page.
 *
 * API: pt_dispatch (called by fcgi/server.c per request and by the unit
 * tests with in-memory I/O), pt_req_str, pt_req_int, pt_req_env,
 * pt_req_error.  To add a phase, add it to pt_dispatch() in order and give
 * it a test in tests/unit/dispatch_test.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "server.h"

/*
 * Sent with every response, after the Content-Security-Policy (csp()).
 */
static const struct {
	const char	*name;
	const char	*value;
} security_headers[] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
};

static const struct {
	int		 status;
	const char	*reason;	/* status line */
	const char	*message;	/* default text of the error page */
} statuses[] = {
	{ 200, "OK", NULL },
	{ 303, "See Other", NULL },
	{ 304, "Not Modified", NULL },
	{ 400, "Bad Request", "The request could not be understood." },
	{ 401, "Unauthorized", "Please sign in." },
	{ 403, "Forbidden", "You do not have access to this page." },
	{ 404, "Not Found", "We could not find that page." },
	{ 405, "Method Not Allowed", "This page does not accept that kind "
	    "of request." },
	{ 411, "Length Required", "The request body needs a Content-Length." },
	{ 413, "Content Too Large", "The request is larger than this portal "
	    "accepts." },
	{ 414, "URI Too Long", "The address is longer than this portal "
	    "accepts." },
	{ 415, "Unsupported Media Type", "The request body is in a format this "
	    "page does not accept." },
	{ 429, "Too Many Requests", "Too many requests. Please wait a few "
	    "minutes before trying again." },
	{ 431, "Request Header Fields Too Large", "The request headers or "
	    "cookies are larger than this portal accepts." },
	{ 500, "Internal Server Error", "Something went wrong on our side. "
	    "Please try again; if it keeps happening, contact support with "
	    "the reference below." },
	{ 503, "Service Unavailable", "The partner portal is temporarily "
	    "unavailable. Please try again in a few minutes." },
};

/*
 * The Content-Security-Policy.  It allows only our own stylesheet and
 * images: pages carry no scripts, no inline styles and no third-party
 * anything, except the origin of [server] static_url when that is an
 * http(s):// URL (a CDN), or the pages would lose their stylesheet.  Made
 * once per static_url (config.c has checked its host part), not per
 * request.
 */
static const char *
csp(const struct pt_config *cfg)
{
	static char	 url[512], value[1024];
	const char	*s = cfg->static_url, *host, *end;
	int		 n = 0;

	if (value[0] != '\0' && strcmp(url, s) == 0)
		return value;
	if ((host = strstr(s, "://")) != NULL) {
		end = strchr(host + 3, '/');
		n = end != NULL ? (int)(end - s) : (int)strlen(s);
	}
	if (strlen(s) >= sizeof(url) || n > 255)
		n = 0;		/* longer than config.c lets through */
	snprintf(value, sizeof(value), "default-src 'none'; "
	    "style-src 'self'%s%.*s; img-src 'self' data:%s%.*s; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	    n ? " " : "", n, s, n ? " " : "", n, s);
	snprintf(url, sizeof(url), "%s", s);
	return value;
}

static const char *
status_reason(int status)
{
	size_t	 i;

	for (i = 0; i < PT_NELEM(statuses); i++)
		if (statuses[i].status == status)
			return statuses[i].reason;
	return status < 500 ? "Client Error" : "Server Error";
}

static const char *
status_message(int status)
{
	size_t	 i;

	for (i = 0; i < PT_NELEM(statuses); i++)
		if (statuses[i].status == status && statuses[i].message)
			return statuses[i].message;
	return "The request could not be completed.";
}

/* Returns status after recording a readable message for the error page. */
int
pt_req_error(struct pt_req *r, int status, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	r->error = pt_vprintf(r->arena, fmt, ap);
	va_end(ap);
	return status;
}

/* Returns a FastCGI parameter set by the web server, or NULL. */
const char *
pt_req_env(const struct pt_req *r, const char *name)
{
	return pt_kv_get(&r->env, name);
}

static const struct pt_fval *
fval(const struct pt_req *r, const char *name)
{
	const struct pt_field	*f;
	size_t			 i;

	if (r->route == NULL || r->route->fields == NULL)
		return NULL;
	for (i = 0, f = r->route->fields; f->name != NULL; f++, i++)
		if (strcmp(f->name, name) == 0)
			return r->fvals[i].present ? &r->fvals[i] : NULL;
	return NULL;
}

/* Returns the validated text of a route field, or NULL if absent. */
const char *
pt_req_str(const struct pt_req *r, const char *name)
{
	const struct pt_fval	*v = fval(r, name);

	return v ? v->str : NULL;
}

/* Returns the validated number of a PT_F_INT/PT_F_BOOL field, or def. */
int64_t
pt_req_int(const struct pt_req *r, const char *name, int64_t def)
{
	const struct pt_fval	*v = fval(r, name);

	return v ? v->num : def;
}

/* ------------------------------------------------------------ phases */

static unsigned int
method_bit(const char *m)
{
	static const struct {
		const char	*name;
		unsigned int	 bit;
	} tab[] = {
		{ "GET", PT_GET }, { "HEAD", PT_HEAD }, { "POST", PT_POST },
		{ "PUT", PT_PUT }, { "DELETE", PT_DELETE },
		{ "PATCH", PT_PATCH }, { "OPTIONS", PT_OPTIONS },
	};
	size_t	 i;

	for (i = 0; m != NULL && i < PT_NELEM(tab); i++)
		if (strcmp(m, tab[i].name) == 0)
			return tab[i].bit;
	return 0;
}

/*
 * Uses the web server's request id (nginx $request_id, Apache
 * mod_unique_id) when it looks like one, so that the web server's log and
 * ours can be joined; otherwise makes one.
 */
static void
request_id(struct pt_req *r)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*s;
	unsigned char		 rnd[16];
	size_t			 i, n;

	if ((s = pt_req_env(r, "REQUEST_ID")) == NULL)
		s = pt_req_env(r, "UNIQUE_ID");
	if (s != NULL && (n = strlen(s)) > 0 && n < sizeof(r->id) &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789@_-") == n) {
		memcpy(r->id, s, n + 1);
		return;
	}
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		/* Unique enough for a log join: time and pid. */
		snprintf(r->id, sizeof(r->id), "%lx%lx%x",
		    (unsigned long)r->start.tv_sec,
		    (unsigned long)r->start.tv_nsec, (unsigned)getpid());
		return;
	}
	for (i = 0; i < sizeof(rnd); i++) {
		r->id[2 * i] = hex[rnd[i] >> 4];
		r->id[2 * i + 1] = hex[rnd[i] & 15];
	}
	r->id[2 * sizeof(rnd)] = '\0';
}

/* Splits envp into r->env and checks the header limits. */
static int
read_params(struct pt_req *r, char **envp)
{
	const struct pt_limits	*lim = &r->cfg->limits;
	const char		*eq, *cookie;
	size_t			 hdrbytes = 0;

	for (; envp != NULL && *envp != NULL; envp++) {
		if ((eq = strchr(*envp, '=')) == NULL)
			continue;
		/* Parameter names are the web server's, values the client's. */
		pt_kv_add(r->arena, &r->env,
		    pt_strndup(r->arena, *envp, (size_t)(eq - *envp)),
		    eq + 1, strlen(eq + 1));
		if (strncmp(*envp, "HTTP_", 5) == 0)
			hdrbytes += (size_t)(eq - *envp) + strlen(eq + 1);
	}
	request_id(r);

	r->method_name = pt_req_env(r, "REQUEST_METHOD");
	r->method = method_bit(r->method_name);
	if (r->method_name == NULL)
		r->method_name = "-";
	r->remote_addr = pt_req_env(r, "REMOTE_ADDR");
	r->host = pt_req_env(r, "HTTP_HOST");
	r->https = pt_req_env(r, "HTTPS") != NULL &&
	    strcmp(pt_req_env(r, "HTTPS"), "on") == 0;
	if ((r->uri = pt_req_env(r, "REQUEST_URI")) == NULL)
		r->uri = pt_req_env(r, "DOCUMENT_URI");
	if (r->uri == NULL)
		r->uri = "/";

	cookie = pt_req_env(r, "HTTP_COOKIE");
	if (cookie != NULL && strlen(cookie) > lim->cookie_max)
		return pt_req_error(r, 431, "The cookies sent with this "
		    "request are larger than %zu bytes. Clearing this site's "
		    "cookies in your browser will fix it.", lim->cookie_max);
	if (hdrbytes > lim->headers_max)
		return pt_req_error(r, 431, "The request headers are larger "
		    "than %zu bytes.", lim->headers_max);
	return 200;
}

/* Splits the URI and parses the query string and cookies. */
static int
read_uri(struct pt_req *r)
{
	const struct pt_limits	*lim = &r->cfg->limits;
	const char		*q, *cookie;
	char			*raw, *dec;
	size_t			 rawlen, declen;
	enum pt_parse		 rc;

	q = strchr(r->uri, '?');
	rawlen = q ? (size_t)(q - r->uri) : strlen(r->uri);
	raw = pt_strndup(r->arena, r->uri, rawlen);
	r->query = q ? q + 1 : "";

	if (strlen(r->query) > lim->query_max)
		return pt_req_error(r, 414, "The query string is longer than "
		    "%zu bytes.", lim->query_max);
	if (raw[0] != '/')
		return pt_req_error(r, 400, "The request path must begin "
		    "with '/'.");
	dec = pt_alloc(r->arena, rawlen + 1);
	if (pt_url_decode(dec, raw, rawlen, false, &declen) != PT_OK)
		return pt_req_error(r, 400, "The address contains a malformed "
		    "percent-escape, a control character or invalid UTF-8.");
	r->path = dec;

	rc = pt_parse_urlencoded(r->arena, r->query, strlen(r->query),
	    lim->fields_max, &r->args);
	if (rc == PT_PARSE_TOOMANY)
		return pt_req_error(r, 400, "The query string has more than "
		    "%zu parameters.", lim->fields_max);
	if (rc != PT_PARSE_OK)
		return pt_req_error(r, 400, "The query string contains a "
		    "malformed percent-escape, a control character or invalid "
		    "UTF-8.");

	if ((cookie = pt_req_env(r, "HTTP_COOKIE")) != NULL) {
		rc = pt_parse_cookies(r->arena, cookie, strlen(cookie),
		    lim->fields_max, &r->cookies);
		if (rc != PT_PARSE_OK)
			return pt_req_error(r, 400, "A cookie sent with this "
			    "request is malformed. Clearing this site's cookies "
			    "in your browser will fix it.");
	}
	/* Keep the raw path for routing: segments are decoded one by one. */
	r->uri_full = r->uri;
	r->uri = raw;
	return 200;
}

/* Reads and parses an urlencoded body, within body_max. */
static int
read_body(struct pt_req *r, const struct pt_io *io)
{
	const struct pt_limits	*lim = &r->cfg->limits;
	const char		*cl, *ct;
	char			*buf, *end;
	unsigned long long	 len;
	size_t			 got = 0;
	long			 n;
	enum pt_parse		 rc;

	/*
	 * An upload: only the text fields before the file, so the CSRF check
	 * and field validation still run here before the handler; the
	 * handler streams the file (fcgi/multipart.c).
	 */
	if ((r->route->flags & PT_UPLOAD) && r->method == PT_POST)
		return pt_upload_start(r, io);

	cl = pt_req_env(r, "CONTENT_LENGTH");
	if (cl == NULL || *cl == '\0') {
		if (r->method & (PT_POST | PT_PUT | PT_PATCH))
			return pt_req_error(r, 411, "The request body needs a "
			    "Content-Length.");
		return 200;
	}
	errno = 0;
	len = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || *cl == '-')
		return pt_req_error(r, 400, "The Content-Length is not a "
		    "number.");
	if (len > lim->body_max)
		return pt_req_error(r, 413, "The request body is larger than "
		    "%zu bytes.", lim->body_max);
	if (len == 0)
		return 200;

	ct = pt_req_env(r, "CONTENT_TYPE");
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) != 0 || (ct[33] != '\0' && ct[33] != ';'))
		return pt_req_error(r, 415, "This page accepts only form "
		    "submissions (application/x-www-form-urlencoded).");

	buf = pt_alloc(r->arena, (size_t)len + 1);
	while (got < len) {
		n = io->read(io->ctx, buf + got, (size_t)len - got);
		if (n <= 0)
			return pt_req_error(r, 400, "The request body ended "
			    "before its Content-Length.");
		got += (size_t)n;
	}
	rc = pt_parse_urlencoded(r->arena, buf, got, lim->fields_max,
	    &r->form);
	if (rc == PT_PARSE_TOOMANY)
		return pt_req_error(r, 400, "The form has more than %zu "
		    "fields.", lim->fields_max);
	if (rc != PT_PARSE_OK)
		return pt_req_error(r, 400, "The form data contains a "
		    "malformed percent-escape, a control character or invalid "
		    "UTF-8.");
	return 200;
}

static const char *
field_lookup(const struct pt_req *r, const struct pt_field *f)
{
	const char	*v = NULL;

	if ((f->from & PT_IN_PATH))
		v = pt_kv_get(&r->pathargs, f->name);
	if (v == NULL && (f->from & PT_IN_BODY))
		v = pt_kv_get(&r->form, f->name);
	if (v == NULL && (f->from & PT_IN_QUERY))
		v = pt_kv_get(&r->args, f->name);
	return v;
}

/* Validates one present field; returns 200 or a 400 with a message. */
static int
field_check(struct pt_req *r, const struct pt_field *f, struct pt_fval *v)
{
	int64_t		 max = f->max ? f->max : 1024;
	char		*end;
	size_t		 i;

	switch (f->type) {
	case PT_F_INT:
		errno = 0;
		v->num = strtoll(v->str, &end, 10);
		if (v->len == 0 || errno != 0 || *end != '\0' ||
		    (f->max != 0 && (v->num < f->min || v->num > f->max)))
			return pt_req_error(r, 400, "The field \"%s\" must be "
			    "a whole number from %" PRId64 " to %" PRId64 ".",
			    f->name, f->min, f->max ? f->max : INT64_MAX);
		return 200;
	case PT_F_BOOL:
		if (strcmp(v->str, "1") == 0 || strcmp(v->str, "on") == 0 ||
		    strcmp(v->str, "true") == 0 || strcmp(v->str, "yes") == 0)
			v->num = 1;
		else if (strcmp(v->str, "0") == 0 ||
		    strcmp(v->str, "false") == 0 || strcmp(v->str, "no") == 0 ||
		    v->len == 0)
			v->num = 0;
		else
			return pt_req_error(r, 400, "The field \"%s\" must be "
			    "yes or no.", f->name);
		return 200;
	case PT_F_SLUG:
		/*
		 * An optional filter (min 0) may come empty: a GET form's
		 * "Any" option sends "tier=", which means no filter.
		 */
		if ((int64_t)v->len < f->min || (int64_t)v->len > max ||
		    strspn(v->str, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    v->len)
			return pt_req_error(r, 400, "The field \"%s\" must be "
			    "lowercase letters, digits and hyphens.", f->name);
		return 200;
	case PT_F_TEXT:
		for (i = 0; i < v->len; i++)
			if ((unsigned char)v->str[i] < 0x20)
				return pt_req_error(r, 400, "The field \"%s\" "
				    "must be a single line.", f->name);
		/* FALLTHROUGH */
	case PT_F_MULTILINE:
		if ((int64_t)v->len < f->min || (int64_t)v->len > max)
			return pt_req_error(r, 400, "The field \"%s\" must be "
			    "%" PRId64 " to %" PRId64 " bytes long.", f->name,
			    f->min, max);
		return 200;
	case PT_F__MAX:
		break;
	}
	return pt_req_error(r, 500, "Field \"%s\" has no type.", f->name);
}

static int
read_fields(struct pt_req *r)
{
	const struct pt_field	*f;
	struct pt_fval		*v;
	size_t			 n = 0, i;
	int			 st;

	if (r->route->fields != NULL)
		for (f = r->route->fields; f->name != NULL; f++)
			n++;
	r->fvals = pt_alloc(r->arena, (n ? n : 1) * sizeof(*r->fvals));
	for (i = 0; i < n; i++) {
		f = &r->route->fields[i];
		v = &r->fvals[i];
		if ((v->str = field_lookup(r, f)) == NULL) {
			if (f->required)
				return pt_req_error(r, 400, "The field \"%s\" "
				    "is required.", f->name);
			continue;
		}
		v->present = true;
		v->len = strlen(v->str);
		if ((st = field_check(r, f, v)) != 200)
			return st;
	}
	return 200;
}

/*
 * Access and CSRF, after the session is loaded.  A page that needs a
 * signed-in user sends an anonymous browser to the login page and back; a
 * signed-in user without the role gets 403.  Every state-changing route is
 * CSRF-checked here (pt_routes_check() refuses one that is not flagged).
 */
static int
check_access(struct pt_req *r)
{
	const struct pt_route	*rt = r->route;
	const char		*next;

	if (!(rt->access & PT_ACCESS_PUBLIC)) {
		if (r->sess == NULL) {
			if (!(r->method & (PT_GET | PT_HEAD)))
				return pt_req_error(r, 403, "Your session has "
				    "ended. Please sign in again.");
			next = pt_printf(r->arena, "/login?next=%s",
			    pt_url_encode(r->arena, r->uri_full, "/"));
			if (pt_resp_redirect(r, next) != 303)
				return pt_req_error(r, 400, "This address "
				    "cannot be used to return after sign-in.");
			return 303;
		}
		if (!(rt->access & PT_ACCESS_USER) &&
		    !(rt->access & r->sess->access))
			return pt_req_error(r, 403, "Your account does not "
			    "have access to this page.");
	}
	if ((rt->flags & PT_CSRF) && !(r->method & (PT_GET | PT_HEAD)) &&
	    !pt_csrf_ok(r))
		return pt_req_error(r, 403, "This form has expired or was not "
		    "sent from the portal. Please go back, reload the page and "
		    "try again.");
	return 200;
}

static int
read_format(struct pt_req *r)
{
	const char	*fmt = pt_kv_get(&r->args, "format");

	if (fmt == NULL || strcmp(fmt, "html") == 0)
		return 200;
	if (strcmp(fmt, "xml") == 0 && r->route != NULL &&
	    !(r->route->flags & PT_RAW) &&
	    ((r->route->flags & PT_XMLVIEW) || r->cfg->debug_xml)) {
		r->want_xml = true;
		return 200;
	}
	return pt_req_error(r, 400, "This page is not available in the "
	    "format \"%s\".", fmt);
}

/* ----------------------------------------------------------- output */

static xmlNodePtr
page_new(struct pt_req *r)
{
	xmlNodePtr	 root, site;

	r->doc = pt_xml_doc(r->arena, "page");
	root = xmlDocGetRootElement(r->doc);
	pt_xml_attr_int(root, "status", r->status);
	pt_xml_attr(root, "path", r->path ? r->path : "/");
	pt_xml_attr(root, "request-id", r->id);
	pt_xml_attr(root, "lang", "en");
	site = pt_xml_elem(root, "site");
	pt_xml_attr(site, "name", r->cfg->site_name);
	pt_xml_attr(site, "static", r->cfg->static_url);
	if (r->db != NULL && !(r->route->flags & PT_NOSESSION))
		pt_sess_xml(r, root);
	return root;
}

static void
error_page(struct pt_req *r)
{
	xmlNodePtr	 root, err;

	r->want_xml = false;
	root = page_new(r);
	err = pt_xml_text(root, "error",
	    r->error ? r->error : status_message(r->status));
	pt_xml_attr_int(err, "status", r->status);
	pt_xml_attr(err, "title", status_reason(r->status));
}

/*
 * Turns the document into the body.  A failure to render an error page
 * falls back to plain text: the partner must get an answer either way.
 */
static void
render(struct pt_req *r)
{
	const char	*xsl;
	char		*out;
	size_t		 len;
	bool		 own;

	if (r->status >= 300 && r->status < 400)
		return;			/* redirects carry no body */
	if (r->route != NULL && (r->route->flags & PT_RAW) && r->status < 400)
		return;
	/* A handler's own page for its error (keep_page), or ours. */
	own = r->doc != NULL && r->route != NULL && r->route->xsl != NULL;
	if (r->doc == NULL)
		error_page(r);
	if (r->want_xml) {
		if (pt_xml_dump(r->arena, r->doc, &out, &len) == PT_OK) {
			r->body = out;
			r->bodylen = len;
			r->ctype = "application/xml; charset=utf-8";
			return;
		}
		r->status = 500;
		own = false;
		error_page(r);
	}
	xsl = own ? r->route->xsl : "error.xsl";
	if (pt_view_render(r->arena, xsl, r->doc, &out, &len, &r->ctype) ==
	    PT_OK) {
		r->body = out;
		r->bodylen = len;
		return;
	}
	if (own) {
		/* The page failed: the error page still tells the partner. */
		if (r->status < 400) {
			r->status = 500;
			r->error = NULL;
		}
		error_page(r);
		if (pt_view_render(r->arena, "error.xsl", r->doc, &out, &len,
		    &r->ctype) == PT_OK) {
			r->body = out;
			r->bodylen = len;
			return;
		}
	}
	r->body = pt_printf(r->arena, "%d %s\n\n%s\n\nReference: %s\n",
	    r->status, status_reason(r->status),
	    r->error ? r->error : status_message(r->status), r->id);
	r->bodylen = strlen(r->body);
	r->ctype = "text/plain; charset=utf-8";
}

static int
write_response(struct pt_req *r, const struct pt_io *io, unsigned int allow)
{
	char	*head;
	size_t	 i, hlen = 0, cap = 1024;
	bool	 cache_set = false;

#define HEAD_ADD(...) do {						\
	int	 n_;							\
	while ((n_ = snprintf(head + hlen, cap - hlen, __VA_ARGS__)) >= 0 &&	\
	    (size_t)n_ >= cap - hlen) {					\
		char	*grown = pt_alloc(r->arena, cap * 2);		\
		memcpy(grown, head, hlen);				\
		head = grown;						\
		cap *= 2;						\
	}								\
	hlen += (size_t)n_;						\
} while (0)

	head = pt_alloc(r->arena, cap);
	HEAD_ADD("Status: %d %s\r\n", r->status, status_reason(r->status));
	HEAD_ADD("Content-Type: %s\r\n", r->ctype ? r->ctype :
	    "text/plain; charset=utf-8");
	HEAD_ADD("Content-Length: %zu\r\n", r->bodylen);
	HEAD_ADD("Content-Security-Policy: %s\r\n", csp(r->cfg));
	for (i = 0; i < PT_NELEM(security_headers); i++)
		HEAD_ADD("%s: %s\r\n", security_headers[i].name,
		    security_headers[i].value);
	if (r->https)
		HEAD_ADD("Strict-Transport-Security: max-age=31536000\r\n");
	HEAD_ADD("X-Request-Id: %s\r\n", r->id);
	if (r->status == 405)
		HEAD_ADD("Allow: %s\r\n", pt_methods_str(r->arena, allow));
	/* Handler headers passed pt_resp_header(): no CR/LF can be here. */
	for (i = 0; i < r->headers.n; i++) {
		if (strcasecmp(r->headers.v[i].key, "Cache-Control") == 0)
			cache_set = true;
		HEAD_ADD("%s: %s\r\n", r->headers.v[i].key, r->headers.v[i].val);
	}
	if (!cache_set)
		HEAD_ADD("Cache-Control: no-store\r\n");
	HEAD_ADD("\r\n");
#undef HEAD_ADD

	if (io->write(io->ctx, head, hlen) != PT_OK)
		return PT_ERR;
	if (r->method != PT_HEAD && r->bodylen > 0 &&
	    io->write(io->ctx, r->body, r->bodylen) != PT_OK)
		return PT_ERR;
	return PT_OK;
}

static void
access_log(struct pt_req *r, int wrc)
{
	struct timespec	 end;
	double		 ms;

	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - r->start.tv_sec) * 1e3 +
	    (double)(end.tv_nsec - r->start.tv_nsec) / 1e6;
	pt_rlog(r, r->status >= 500 ? PT_LOG_WARN : PT_LOG_INFO,
	    "%s %.200s %d %zu %.1fms q=%lu%s", r->method_name,
	    r->path ? r->path : r->uri, r->status, r->bodylen, ms,
	    r->db != NULL ? pt_db_exec_count(r->db) - r->db_execs0 : 0,
	    wrc == PT_OK ? "" : " (client gone)");
}

/*
 * Runs one request.  The arena is the caller's and is reset by the caller
 * afterwards; db may be NULL (then every route that needs the database
 * answers 503).
 */
void
pt_dispatch(struct pt_arena *a, const struct pt_config *cfg, struct pt_db *db,
    char **envp, const struct pt_io *io)
{
	struct pt_req	 req, *r = &req;
	unsigned int	 allow = 0;
	bool		 cacheable = false;
	int		 st, rc;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->db_execs0 = pt_db_exec_count(db);

	if ((st = read_params(r, envp)) != 200 || (st = read_uri(r)) != 200)
		goto out;

	rc = pt_route_match(pt_modules, r->uri, r->method, a, &r->pathargs,
	    &r->route, &r->module, &allow);
	if (rc == PT_DECLINED) {
		st = 404;
		goto out;
	}
	if (rc == PT_ERR) {
		st = 405;
		r->route = NULL;
		goto out;
	}
	if ((st = read_body(r, io)) != 200 || (st = read_format(r)) != 200)
		goto out;

	if (!(r->route->flags & PT_NODB)) {
		if (db == NULL || pt_db_ensure(db) != PT_OK) {
			st = pt_req_error(r, 503, "The partner portal cannot "
			    "reach its database right now. Please try again "
			    "in a few minutes.");
			goto out;
		}
		r->db = db;
		if (!(r->route->flags & PT_NOSESSION) &&
		    pt_sess_load(r) != PT_OK) {
			st = pt_db_lost(db) ? pt_req_error(r, 503, "The partner "
			    "portal lost its connection to the database. "
			    "Please try again in a few minutes.") : 500;
			goto out;
		}
	}
	/*
	 * Fields are validated after access and CSRF: a forged or stale
	 * form is refused as such (403) whatever it holds, and nobody learns
	 * a route's field rules without the right to use it.
	 */
	if ((st = check_access(r)) != 200 || (st = read_fields(r)) != 200)
		goto out;

	/*
	 * Only what is the same for every visitor: no user, no browser token
	 * (whose form token a page might show), not the XML view (which
	 * carries the request id).
	 */
	cacheable = (r->route->flags & PT_CACHE) && r->sess == NULL &&
	    r->browser == NULL && !r->want_xml &&
	    (r->method & (PT_GET | PT_HEAD)) && r->headers.n == 0;
	if (cacheable && pt_pagecache_get(r->uri_full, cfg->page_cache_ttl,
	    &r->body, &r->bodylen, &r->ctype) == PT_OK) {
		r->status = 200;
		rc = write_response(r, io, allow);
		access_log(r, rc);
		return;
	}

	r->status = 200;
	st = r->route->fn(r, page_new(r));
	if (st >= 500 && r->db != NULL && pt_db_lost(r->db))
		st = pt_req_error(r, 503, "The partner portal lost its "
		    "connection to the database. Please try again in a few "
		    "minutes.");
	if (st < 200 || st > 599) {
		pt_rlog(r, PT_LOG_ERR, "handler for %s returned %d",
		    r->route->path, st);
		st = 500;
	}
out:
	r->status = st;
	if (st >= 400 && r->keep_page && r->doc != NULL)
		pt_xml_attr_int(xmlDocGetRootElement(r->doc), "status", st);
	else if (st >= 400)
		r->doc = NULL;		/* the error page replaces the page */
	render(r);
	if (cacheable && r->status == 200 && r->headers.n == 0 &&
	    r->ctype != NULL)
		pt_pagecache_put(r->uri_full, cfg->page_cache_ttl, r->body,
		    r->bodylen, r->ctype);
	rc = write_response(r, io, allow);
	access_log(r, rc);
}
