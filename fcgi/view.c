/*
 * view.c - the XSLT view layer: a per-worker cache of compiled stylesheets
 * and the one function that turns a handler's XML document into a page.
 *
 * Stylesheets live under one directory (xslt_dir in portico.conf) and are
 * named relative to it ("home/index.xsl").  Each is parsed and compiled at
 * most once per worker: pt_view_load() does it ahead of time at worker
 * start, so a broken stylesheet stops the worker rather than a partner's
 * request, and pt_view_render() compiles on first use anything not loaded
 * ahead.  A stylesheet that failed to compile is remembered as failed and
 * is not re-read per request.
 *
 * Security policy, installed by pt_view_init() for the whole process:
 *  - xsltSecurityPrefs, set as libxslt's default (used while compiling
 *    xsl:import and xsl:include) and on every transform context, forbid
 *    writing files, creating directories and any network access, and allow
 *    reading a file only if its realpath lies below the stylesheet
 *    directory.  document('/etc/passwd'), document('http://...') and
 *    xsl:document / exsl:document writes all fail.
 *  - Stylesheets and document() targets are parsed by our own loader with
 *    XML_PARSE_NONET and without XML_PARSE_NOENT, XML_PARSE_DTDLOAD and
 *    XML_PARSE_DTDATTR (libxslt's default loader expands entities and loads
 *    DTDs).
 *  - libxml2's external entity loader is replaced: it refuses every URL
 *    that is not a local file below the stylesheet directory and opens the
 *    checked realpath itself, so what is checked is what is read.
 *  - libxml2 and libxslt errors go to pt_log(), not to a bare stderr.
 *
 * API (fcgi/portico.h, section views): pt_view_init, pt_view_load,
 * pt_view_render, pt_view_fini.
 *
 * To add a page, write xslt/<module>/<page>.xsl importing ../common.xsl,
 * name it in the route's xsl field and list it in xslt/local.mk; nothing
 * here changes (docs/views.md).  To relax the policy (it should not be),
 * edit view_policy_init() and view_path_check() and say why in
 * docs/views.md.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE, for realpath() and strdup() */
#endif

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxslt/documents.h>
#include <libxslt/imports.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "portico.h"

/* More distinct stylesheets than this means names come from input. */
#define VIEW_MAX	512

struct pt_view {
	char			*name;	/* relative to view_dir */
	xsltStylesheetPtr	 sheet;	/* NULL: failed to compile */
};

static char			*view_dir;	/* realpath, no trailing '/' */
static size_t			 view_dirlen;
static xsltSecurityPrefsPtr	 view_prefs;
static struct pt_view		*views;
static size_t			 nviews, capviews;
static xmlExternalEntityLoader	 view_prev_loader;
static const char		*view_current;	/* for error messages */
static char			 view_errbuf[1024];
static size_t			 view_errlen;
static char			 view_errctx[256];

static void *
view_nonnull(void *p)
{
	if (p == NULL) {
		pt_log(PT_LOG_ERR, "view: out of memory");
		abort();
	}
	return p;
}

/* ------------------------------------------------------------- errors */

static void
view_err_flush(void)
{
	size_t	n = view_errlen;

	while (n > 0 && (view_errbuf[n - 1] == '\n' ||
	    view_errbuf[n - 1] == '\r' || view_errbuf[n - 1] == ' '))
		n--;
	view_errbuf[n] = '\0';
	view_errlen = 0;
	if (n == 0)
		return;
	/*
	 * libxslt writes where an error happened ("runtime error: file x
	 * line 7 element value-of") and what it was on separate lines: keep
	 * the first and log both as one line.
	 */
	if (view_errctx[0] == '\0' && (strcmp(view_errbuf, "error") == 0 ||
	    strncmp(view_errbuf, "runtime error", 13) == 0 ||
	    strncmp(view_errbuf, "compilation error", 17) == 0)) {
		if (n >= sizeof(view_errctx))
			n = sizeof(view_errctx) - 1;
		memcpy(view_errctx, view_errbuf, n);
		view_errctx[n] = '\0';
		return;
	}
	pt_log(PT_LOG_ERR, "view: %s: %s%s%s",
	    view_current != NULL ? view_current : "-", view_errctx,
	    view_errctx[0] != '\0' ? ": " : "", view_errbuf);
	view_errctx[0] = '\0';
}

/* Logs a pending partial message at the end of a compile or render. */
static void
view_err_done(void)
{
	view_err_flush();
	if (view_errctx[0] != '\0') {
		pt_log(PT_LOG_ERR, "view: %s: %s",
		    view_current != NULL ? view_current : "-", view_errctx);
		view_errctx[0] = '\0';
	}
}

/*
 * libxslt reports in printf-sized pieces that end in a newline; gather
 * them into lines so that each message is one log line.
 */
static void PT_PRINTF(2, 3)
view_generic_error(void *ctx, const char *fmt, ...)
{
	char	 piece[sizeof(view_errbuf)];
	va_list	 ap;
	int	 n;
	char	*p, *nl;

	(void)ctx;
	va_start(ap, fmt);
	n = vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (p = piece; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (int)(nl - p) : (int)strlen(p);
		if ((size_t)n > sizeof(view_errbuf) - 1 - view_errlen)
			n = (int)(sizeof(view_errbuf) - 1 - view_errlen);
		memcpy(view_errbuf + view_errlen, p, (size_t)n);
		view_errlen += (size_t)n;
		view_errbuf[view_errlen] = '\0';
		if (nl == NULL)
			break;
		view_err_flush();
	}
}

static void
view_structured_error(void *ctx, xmlErrorPtr e)
{
	const char	*msg;
	size_t		 n;

	(void)ctx;
	if (e == NULL)
		return;
	msg = e->message != NULL ? e->message : "unknown error";
	n = strcspn(msg, "\r\n");
	pt_log(e->level == XML_ERR_WARNING ? PT_LOG_WARN : PT_LOG_ERR,
	    "view: %s: %s:%d: %.*s",
	    view_current != NULL ? view_current : "-",
	    e->file != NULL ? e->file : "(memory)", e->line, (int)n, msg);
}

/* ------------------------------------------------------------- policy */

/*
 * Checks that path resolves (realpath: symlinks, "..", "//") to a file
 * below view_dir.  Returns NULL if it does, with the malloc'ed resolved
 * path in *resolved if that is not NULL; else why not, for the log.
 */
static const char *
view_path_check(const char *path, char **resolved)
{
	char	*rp;

	if (resolved != NULL)
		*resolved = NULL;
	if (view_dir == NULL)
		return "views not initialised";
	if (path == NULL || *path == '\0')
		return "no path";
	if ((rp = realpath(path, NULL)) == NULL) {
		if (errno == ENOMEM)
			view_nonnull(NULL);
		return errno == ENOENT ? "no such file" : "cannot resolve";
	}
	if (strncmp(rp, view_dir, view_dirlen) != 0 ||
	    (rp[view_dirlen] != '/' && view_dirlen != 1)) {
		free(rp);
		return "outside the stylesheet directory";
	}
	if (resolved != NULL)
		*resolved = rp;
	else
		free(rp);
	return NULL;
}

/* True if s starts with an RFC 3986 scheme and a colon. */
static bool
view_has_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (s++; *s != '\0'; s++) {
		if (*s == ':')
			return true;
		if (!isalnum((unsigned char)*s) && *s != '+' && *s != '-' &&
		    *s != '.')
			return false;
	}
	return false;
}

/*
 * The local path a URL names if it is a file path or a file: URL for this
 * host, else NULL.  Returns malloc'ed memory.
 */
static char *
view_url_path(const char *url)
{
	xmlURIPtr	 uri;
	char		*path = NULL;

	if (!view_has_scheme(url))
		return view_nonnull(strdup(url));
	if ((uri = xmlParseURI(url)) == NULL)
		return NULL;
	if (uri->scheme != NULL && strcasecmp(uri->scheme, "file") == 0 &&
	    (uri->server == NULL || *uri->server == '\0' ||
	    strcasecmp(uri->server, "localhost") == 0) && uri->path != NULL)
		path = view_nonnull(strdup(uri->path));
	xmlFreeURI(uri);
	return path;
}

/* libxslt's READ_FILE check: 1 allows, 0 refuses. */
static int
view_sec_read(xsltSecurityPrefsPtr sec, xsltTransformContextPtr ctxt,
    const char *path)
{
	const char	*why;

	(void)sec;
	(void)ctxt;
	if ((why = view_path_check(path, NULL)) == NULL)
		return 1;
	pt_log(PT_LOG_WARN, "view: %s: read of %s refused: %s",
	    view_current != NULL ? view_current : "-",
	    path != NULL ? path : "(none)", why);
	return 0;
}

/*
 * Every file libxml2 opens while we are initialised comes through here:
 * stylesheets, imports, document() targets and any DTD or external entity
 * a stylesheet might name.  Network URLs and files outside view_dir are
 * refused; allowed files are opened by their checked realpath.
 */
static xmlParserInputPtr
view_entity_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	xmlParserInputPtr	 in;
	char			*path, *rp;
	const char		*why;

	(void)id;
	if (url == NULL || ctxt == NULL)
		return NULL;
	if ((path = view_url_path(url)) == NULL) {
		pt_log(PT_LOG_WARN, "view: %s: load of %s refused: not a "
		    "local file", view_current != NULL ? view_current : "-",
		    url);
		return NULL;
	}
	if ((why = view_path_check(path, &rp)) != NULL) {
		pt_log(PT_LOG_WARN, "view: %s: load of %s refused: %s",
		    view_current != NULL ? view_current : "-", url, why);
		free(path);
		return NULL;
	}
	free(path);
	in = xmlNewInputFromFile(ctxt, rp);
	free(rp);
	return in;
}

/*
 * Parses a stylesheet, an imported stylesheet or a document() target.
 * Same contract as libxslt's default loader, but with safe options: the
 * caller's options usually ask for entity substitution and DTD loading.
 */
static xmlDocPtr
view_doc_loader(const xmlChar *uri, xmlDictPtr dict, int options,
    void *ctx, xsltLoadType type)
{
	xmlParserCtxtPtr	 pctxt;
	xmlParserInputPtr	 in;
	xmlDocPtr		 doc = NULL;

	(void)ctx;
	(void)type;
	if (uri == NULL)
		return NULL;
	pctxt = view_nonnull(xmlNewParserCtxt());
	if (dict != NULL) {
		/* libxslt compares names by pointer: share its dictionary. */
		if (pctxt->dict != NULL)
			xmlDictFree(pctxt->dict);
		pctxt->dict = dict;
		xmlDictReference(dict);
	}
	options &= ~(XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR |
	    XML_PARSE_DTDVALID | XML_PARSE_XINCLUDE | XML_PARSE_HUGE);
	options |= XML_PARSE_NONET;
	xmlCtxtUseOptions(pctxt, options);
	if ((in = xmlLoadExternalEntity((const char *)uri, NULL,
	    pctxt)) == NULL)
		goto out;
	inputPush(pctxt, in);
	if (pctxt->directory == NULL)
		pctxt->directory = xmlParserGetDirectory((const char *)uri);
	xmlParseDocument(pctxt);
	if (pctxt->wellFormed)
		doc = pctxt->myDoc;
	else
		xmlFreeDoc(pctxt->myDoc);
	pctxt->myDoc = NULL;
out:
	xmlFreeParserCtxt(pctxt);
	return doc;
}

static int
view_policy_init(void)
{
	xsltSecurityPrefsPtr	sec;

	sec = view_nonnull(xsltNewSecurityPrefs());
	if (xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE,
	    view_sec_read) != 0) {
		pt_log(PT_LOG_ERR, "view: cannot set security preferences");
		xsltFreeSecurityPrefs(sec);
		return PT_ERR;
	}
	view_prefs = sec;
	xsltSetDefaultSecurityPrefs(sec);
	xsltSetLoaderFunc(view_doc_loader);
	view_prev_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(view_entity_loader);
	xmlSetStructuredErrorFunc(NULL, view_structured_error);
	xmlSetGenericErrorFunc(NULL, view_generic_error);
	xsltSetGenericErrorFunc(NULL, view_generic_error);
	return PT_OK;
}

/* -------------------------------------------------------------- cache */

/* Names are route constants: "home/index.xsl", never "../x" or "/x". */
static bool
view_name_ok(const char *name)
{
	const char	*p;

	if (name == NULL || *name == '\0' || *name == '/' ||
	    strstr(name, "..") != NULL || strlen(name) >= PATH_MAX / 2)
		return false;
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '/' && *p != '.' &&
		    *p != '-' && *p != '_')
			return false;
	return true;
}

static struct pt_view *
view_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nviews; i++)
		if (strcmp(views[i].name, name) == 0)
			return &views[i];
	return NULL;
}

/* The cache entry for name, compiling it if it is new; NULL if refused. */
static struct pt_view *
view_get(const char *name)
{
	struct pt_view	*v;
	char		*path;
	size_t		 len;

	if (view_dir == NULL) {
		pt_log(PT_LOG_ERR, "view: pt_view_init() has not been called");
		return NULL;
	}
	if (!view_name_ok(name)) {
		pt_log(PT_LOG_ERR, "view: bad stylesheet name \"%s\"",
		    name != NULL ? name : "(null)");
		return NULL;
	}
	if ((v = view_find(name)) != NULL)
		return v;
	if (nviews == VIEW_MAX) {
		pt_log(PT_LOG_ERR, "view: more than %d stylesheets; refusing "
		    "%s", VIEW_MAX, name);
		return NULL;
	}
	if (nviews == capviews) {
		capviews = capviews == 0 ? 16 : capviews * 2;
		views = view_nonnull(realloc(views, capviews *
		    sizeof(*views)));
	}
	len = view_dirlen + 1 + strlen(name) + 1;
	path = view_nonnull(malloc(len));
	snprintf(path, len, "%s/%s", view_dir, name);

	v = &views[nviews++];
	v->name = view_nonnull(strdup(name));
	view_current = v->name;
	v->sheet = xsltParseStylesheetFile((const xmlChar *)path);
	view_err_done();
	view_current = NULL;
	if (v->sheet == NULL)
		pt_log(PT_LOG_ERR, "view: cannot compile %s", path);
	else
		pt_log(PT_LOG_DEBUG, "view: compiled %s", path);
	free(path);
	return v;
}

/*
 * The Content-Type for a result of sheet: media-type and encoding from
 * xsl:output (following imports), else what the output method implies.
 * Returns an arena string, or NULL if the stylesheet's values are not fit
 * for a header.
 */
static const char *
view_ctype(struct pt_arena *a, xsltStylesheetPtr sheet, xmlDocPtr res)
{
	const xmlChar	*method, *media, *enc;
	char		 cs[64];
	size_t		 i;

	XSLT_GET_IMPORT_PTR(method, sheet, method);
	XSLT_GET_IMPORT_PTR(media, sheet, mediaType);
	XSLT_GET_IMPORT_PTR(enc, sheet, encoding);
	if (media == NULL) {
		if (method == NULL)
			media = (const xmlChar *)(res->type ==
			    XML_HTML_DOCUMENT_NODE ? "text/html" :
			    "application/xml");
		else if (xmlStrEqual(method, (const xmlChar *)"html"))
			media = (const xmlChar *)"text/html";
		else if (xmlStrEqual(method, (const xmlChar *)"xhtml"))
			media = (const xmlChar *)"application/xhtml+xml";
		else if (xmlStrEqual(method, (const xmlChar *)"text"))
			media = (const xmlChar *)"text/plain";
		else
			media = (const xmlChar *)"application/xml";
	}
	if (enc == NULL)
		enc = (const xmlChar *)"UTF-8";
	if (strlen((const char *)enc) >= sizeof(cs))
		return NULL;
	for (i = 0; enc[i] != '\0'; i++) {
		if (!isalnum(enc[i]) && enc[i] != '-' && enc[i] != '_' &&
		    enc[i] != '.' && enc[i] != ':')
			return NULL;
		cs[i] = (char)tolower(enc[i]);
	}
	cs[i] = '\0';
	for (i = 0; media[i] != '\0'; i++)
		if (!isalnum(media[i]) && strchr("/+-.!#$&^_", media[i]) ==
		    NULL)
			return NULL;
	return pt_printf(a, "%s; charset=%s", (const char *)media, cs);
}

/* ---------------------------------------------------------------- API */

/*
 * Installs the security policy for stylesheets below dir and forgets any
 * earlier stylesheets.  Returns PT_OK, or PT_ERR (logged) if dir cannot be
 * resolved.  Allocates process state that pt_view_fini() frees.
 */
int
pt_view_init(const char *dir)
{
	char	*rp;

	pt_view_fini();
	if (dir == NULL || (rp = realpath(dir, NULL)) == NULL) {
		pt_log(PT_LOG_ERR, "view: stylesheet directory %s: %s",
		    dir != NULL ? dir : "(null)", strerror(errno));
		return PT_ERR;
	}
	xmlInitParser();
	view_dir = rp;
	view_dirlen = strlen(rp);
	if (view_policy_init() != PT_OK) {
		pt_view_fini();
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * Compiles and caches stylesheet xsl (relative to the directory) ahead of
 * use.  Returns PT_OK, or PT_ERR (logged) if the name is refused or the
 * stylesheet does not compile.
 */
int
pt_view_load(const char *xsl)
{
	struct pt_view	*v;

	if ((v = view_get(xsl)) == NULL || v->sheet == NULL)
		return PT_ERR;
	return PT_OK;
}

/*
 * Transforms doc with stylesheet xsl under the security policy.  Returns
 * PT_OK with *out (NUL-terminated), *len and *ctype (for instance
 * "text/html; charset=utf-8") allocated from the arena, or PT_ERR
 * (logged).  libxslt may strip whitespace-only text in doc in place if the
 * stylesheet asks for xsl:strip-space; doc stays owned by the caller.
 */
int
pt_view_render(struct pt_arena *a, const char *xsl, xmlDocPtr doc,
    char **out, size_t *len, const char **ctype)
{
	struct pt_view		*v;
	xsltTransformContextPtr	 tctxt = NULL;
	xmlDocPtr		 res = NULL;
	xmlChar			*buf = NULL;
	int			 n = 0, rc = PT_ERR;
	const char		*ct;

	*out = NULL;
	*len = 0;
	*ctype = NULL;
	if (doc == NULL || (v = view_get(xsl)) == NULL)
		return PT_ERR;
	if (v->sheet == NULL) {
		pt_log(PT_LOG_ERR, "view: %s did not compile; see the log at "
		    "worker start", xsl);
		return PT_ERR;
	}
	view_current = v->name;
	if ((tctxt = xsltNewTransformContext(v->sheet, doc)) == NULL) {
		pt_log(PT_LOG_ERR, "view: %s: no transform context", xsl);
		goto out;
	}
	if (xsltSetCtxtSecurityPrefs(view_prefs, tctxt) != 0) {
		pt_log(PT_LOG_ERR, "view: %s: cannot set security prefs", xsl);
		goto out;
	}
	res = xsltApplyStylesheetUser(v->sheet, doc, NULL, NULL, NULL, tctxt);
	if (res == NULL || tctxt->state != XSLT_STATE_OK) {
		pt_log(PT_LOG_ERR, "view: %s: transformation failed", xsl);
		goto out;
	}
	if ((ct = view_ctype(a, v->sheet, res)) == NULL) {
		pt_log(PT_LOG_ERR, "view: %s: xsl:output media-type or "
		    "encoding unfit for a header", xsl);
		goto out;
	}
	if (xsltSaveResultToString(&buf, &n, res, v->sheet) != 0 || n < 0) {
		pt_log(PT_LOG_ERR, "view: %s: cannot serialise result", xsl);
		goto out;
	}
	*out = pt_alloc(a, (size_t)n + 1);
	if (n > 0)
		memcpy(*out, buf, (size_t)n);
	(*out)[n] = '\0';
	*len = (size_t)n;
	*ctype = ct;
	rc = PT_OK;
out:
	view_err_done();
	view_current = NULL;
	xmlFree(buf);
	xmlFreeDoc(res);
	if (tctxt != NULL)
		xsltFreeTransformContext(tctxt);
	return rc;
}

/*
 * Frees every compiled stylesheet and removes the policy hooks, restoring
 * libxml2's and libxslt's defaults.  Safe to call more than once.
 */
void
pt_view_fini(void)
{
	size_t	i;

	for (i = 0; i < nviews; i++) {
		if (views[i].sheet != NULL)
			xsltFreeStylesheet(views[i].sheet);
		free(views[i].name);
	}
	free(views);
	views = NULL;
	nviews = capviews = 0;
	if (view_prefs != NULL) {
		xsltSetDefaultSecurityPrefs(NULL);
		xsltFreeSecurityPrefs(view_prefs);
		view_prefs = NULL;
		xsltSetLoaderFunc(NULL);
		xmlSetExternalEntityLoader(view_prev_loader);
		view_prev_loader = NULL;
		xmlSetStructuredErrorFunc(NULL, NULL);
		xmlSetGenericErrorFunc(NULL, NULL);
		xsltSetGenericErrorFunc(NULL, NULL);
	}
	free(view_dir);
	view_dir = NULL;
	view_dirlen = 0;
	view_errlen = 0;
	view_errctx[0] = '\0';
	view_current = NULL;
}
