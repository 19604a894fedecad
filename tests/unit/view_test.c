/*
 * view_test.c - unit tests for the XSLT view cache (fcgi/view.c).
 *
 * The test writes its own stylesheets into a temporary directory under
 * /tmp and checks: a transform works and escapes text; xsl:include of a
 * sibling works; document() cannot read a file outside the stylesheet
 * directory (an XML file with a marker, and /etc/passwd); exsl:document
 * and xsl:document cannot write files; a stylesheet name with ".." or an
 * absolute path is refused; a stylesheet is compiled once (changing the
 * file after the first use changes nothing until pt_view_init); a broken
 * stylesheet fails pt_view_load.
 *
 * To add a case, write the stylesheet with put() and call render().
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "portico.h"
#include "tap.h"

static char	 top[64];	/* /tmp/ptv.XXXXXX */
static char	 dir[128];	/* top/xsl: the stylesheet directory */

#define XSL_HEAD \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<xsl:stylesheet version=\"1.0\"\n" \
	"    xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"\n" \
	"    xmlns:exsl=\"http://exslt.org/common\"\n" \
	"    extension-element-prefixes=\"exsl\">\n" \
	"<xsl:output method=\"html\" encoding=\"UTF-8\"/>\n"
#define XSL_TAIL "</xsl:stylesheet>\n"

static void
put(const char *base, const char *name, const char *body)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	if ((f = fopen(path, "w")) == NULL) {
		diag("cannot write %s: %s", path, strerror(errno));
		return;
	}
	fputs(body, f);
	fclose(f);
}

static bool
exists(const char *base, const char *name)
{
	char	 path[256];

	snprintf(path, sizeof(path), "%s/%s", base, name);
	return access(path, F_OK) == 0;
}

static xmlDocPtr
page_doc(struct pt_arena *a, const char *title)
{
	xmlDocPtr	 doc = pt_xml_doc(a, "page");

	pt_xml_text(xmlDocGetRootElement(doc), "title", title);
	return doc;
}

/* Renders xsl over a small document; returns the output or NULL. */
static char *
render(struct pt_arena *a, const char *xsl, int *rcp, const char **ctype)
{
	char		*out = NULL;
	size_t		 len = 0;
	const char	*ct = NULL;
	int		 rc;

	rc = pt_view_render(a, xsl, page_doc(a, "Hello <b>&amp;"), &out, &len,
	    &ct);
	if (rcp != NULL)
		*rcp = rc;
	if (ctype != NULL)
		*ctype = ct;
	if (rc != PT_OK)
		return NULL;
	if (out == NULL)
		return pt_strdup(a, "");
	if (strlen(out) != len)
		diag("%s: len %zu but strlen %zu", xsl, len, strlen(out));
	return out;
}

/* Renders xsl over a document whose title is the given text. */
static char *
render_title(struct pt_arena *a, const char *xsl, const char *title, int *rcp)
{
	char		*out = NULL;
	size_t		 len = 0;
	const char	*ct = NULL;

	*rcp = pt_view_render(a, xsl, page_doc(a, title), &out, &len, &ct);
	return *rcp == PT_OK ? out : NULL;
}

static void
setup(void)
{
	char	 xsl[2048], path[256];

	snprintf(top, sizeof(top), "/tmp/ptv.XXXXXX");
	if (mkdtemp(top) == NULL) {
		diag("mkdtemp: %s", strerror(errno));
		exit(1);
	}
	snprintf(dir, sizeof(dir), "%s/xsl", top);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0755);

	put(dir, "ok.xsl", XSL_HEAD
	    "<xsl:template match=\"/page\">"
	    "<p class=\"v1\"><xsl:value-of select=\"title\"/></p>"
	    "</xsl:template>\n" XSL_TAIL);
	put(dir, "common.xsl", XSL_HEAD
	    "<xsl:template name=\"shout\"><em>common</em></xsl:template>\n"
	    XSL_TAIL);
	put(dir, "sub/page.xsl", XSL_HEAD
	    "<xsl:include href=\"../common.xsl\"/>\n"
	    "<xsl:template match=\"/\"><div><xsl:call-template name=\"shout\"/>"
	    "</div></xsl:template>\n" XSL_TAIL);
	put(dir, "inside.xml", "<d><v>INSIDE-OK</v></d>\n");
	put(top, "outside.xml", "<d><v>SECRET-OUTSIDE</v></d>\n");
	put(top, "outside.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>OUTSIDE-XSL</p></xsl:template>\n"
	    XSL_TAIL);

	snprintf(xsl, sizeof(xsl), XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document('%s/outside.xml')/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL, top);
	put(dir, "read-abs.xsl", xsl);
	put(dir, "read-rel.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document('../outside.xml')/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL);
	snprintf(xsl, sizeof(xsl), XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document('file://%s/outside.xml')/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL, top);
	put(dir, "read-url.xsl", xsl);
	put(dir, "read-passwd.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:copy-of "
	    "select=\"document('/etc/passwd')\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL);
	/* A sibling whose name starts with the directory's name. */
	snprintf(path, sizeof(path), "%s/xslx", top);
	mkdir(path, 0755);
	put(path, "outside.xml", "<d><v>SECRET-SIBLING</v></d>\n");
	put(dir, "read-sibling.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document('../xslx/outside.xml')/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL);
	snprintf(xsl, sizeof(xsl), XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document('%s/xslx/outside.xml')/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL, top);
	put(dir, "read-sibling-abs.xsl", xsl);
	/* document() of a URI taken from the page's (client-supplied) data. */
	put(dir, "read-data.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document(/page/title)/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL);
	put(dir, "read-inside.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>[<xsl:value-of "
	    "select=\"document('inside.xml')/d/v\"/>]</p>"
	    "</xsl:template>\n" XSL_TAIL);

	snprintf(xsl, sizeof(xsl), XSL_HEAD
	    "<xsl:template match=\"/\"><p>x</p>"
	    "<exsl:document href=\"%s/pwned-exsl.txt\" method=\"text\">"
	    "pwned</exsl:document></xsl:template>\n" XSL_TAIL, top);
	put(dir, "write-exsl.xsl", xsl);
	put(dir, "write-exsl-rel.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>x</p>"
	    "<exsl:document href=\"pwned-rel.txt\" method=\"text\">"
	    "pwned</exsl:document></xsl:template>\n" XSL_TAIL);
	snprintf(xsl, sizeof(xsl),
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<xsl:stylesheet version=\"1.1\"\n"
	    "    xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
	    "<xsl:template match=\"/\"><p>x</p>"
	    "<xsl:document href=\"%s/pwned-xsl.txt\" method=\"text\">"
	    "pwned</xsl:document></xsl:template>\n" XSL_TAIL, top);
	put(dir, "write-xsl.xsl", xsl);

	put(dir, "broken.xsl", XSL_HEAD "<xsl:template match=\"/\"><p>"
	    XSL_TAIL);
	put(dir, "notxsl.xsl", "this is not XML\n");
}

static void
basic(void)
{
	struct pt_arena	*a = pt_arena_new();
	const char	*ct = NULL;
	char		*out;
	int		 rc;

	is_int(pt_view_init(dir), PT_OK, "pt_view_init on the test directory");
	is_int(pt_view_load("ok.xsl"), PT_OK, "pt_view_load ok.xsl");
	out = render(a, "ok.xsl", &rc, &ct);
	is_int(rc, PT_OK, "pt_view_render ok.xsl");
	ok(out != NULL && strstr(out, "<p class=\"v1\">") != NULL,
	    "the transform ran: %s", out ? out : "(null)");
	ok(out != NULL && strstr(out, "Hello &lt;b&gt;&amp;amp;") != NULL,
	    "text from the document is escaped in HTML output");
	ok(out != NULL && strstr(out, "<b>") == NULL,
	    "no tag was injected from the document's text");
	ok(ct != NULL && strncmp(ct, "text/html", 9) == 0,
	    "the content type is text/html: %s", ct ? ct : "(null)");

	out = render(a, "sub/page.xsl", &rc, NULL);
	ok(rc == PT_OK && out != NULL && strstr(out, "<em>common</em>") != NULL,
	    "a stylesheet in a subdirectory can include a sibling below dir");

	is_int(pt_view_load("broken.xsl"), PT_ERR,
	    "pt_view_load refuses a broken stylesheet");
	is_int(pt_view_load("notxsl.xsl"), PT_ERR,
	    "pt_view_load refuses a file that is not XML");
	is_int(pt_view_load("missing.xsl"), PT_ERR,
	    "pt_view_load refuses a missing stylesheet");
	out = render(a, "missing.xsl", &rc, NULL);
	is_int(rc, PT_ERR, "pt_view_render of a missing stylesheet fails");
	pt_arena_free(a);
}

static void
reads(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		*out, uri[256];
	int		 rc;

	out = render(a, "read-abs.xsl", &rc, NULL);
	ok(out == NULL || strstr(out, "SECRET-OUTSIDE") == NULL,
	    "document() of an absolute path outside dir yields nothing");
	out = render(a, "read-rel.xsl", &rc, NULL);
	ok(out == NULL || strstr(out, "SECRET-OUTSIDE") == NULL,
	    "document('../outside.xml') yields nothing");
	out = render(a, "read-url.xsl", &rc, NULL);
	ok(out == NULL || strstr(out, "SECRET-OUTSIDE") == NULL,
	    "document('file://...') outside dir yields nothing");
	out = render(a, "read-passwd.xsl", &rc, NULL);
	ok(out == NULL || strstr(out, "root:") == NULL,
	    "document('/etc/passwd') yields nothing");
	out = render(a, "read-sibling.xsl", &rc, NULL);
	ok(out == NULL || strstr(out, "SECRET-SIBLING") == NULL,
	    "document() of a sibling directory sharing dir's prefix yields "
	    "nothing (relative)");
	out = render(a, "read-sibling-abs.xsl", &rc, NULL);
	ok(out == NULL || strstr(out, "SECRET-SIBLING") == NULL,
	    "document() of a sibling directory sharing dir's prefix yields "
	    "nothing (absolute)");
	snprintf(uri, sizeof(uri), "%s/outside.xml", top);
	out = render_title(a, "read-data.xsl", uri, &rc);
	ok(out == NULL || strstr(out, "SECRET-OUTSIDE") == NULL,
	    "document() of a path from the page data yields nothing");
	out = render_title(a, "read-data.xsl", "../outside.xml", &rc);
	ok(out == NULL || strstr(out, "SECRET-OUTSIDE") == NULL,
	    "document() of a relative path from the page data yields nothing");
	out = render(a, "read-inside.xsl", &rc, NULL);
	ok(rc == PT_OK && out != NULL && strstr(out, "INSIDE-OK") != NULL,
	    "document() of a file below dir still works");
	pt_arena_free(a);
}

static void
writes(void)
{
	struct pt_arena	*a = pt_arena_new();
	int		 rc;

	(void)render(a, "write-exsl.xsl", &rc, NULL);
	ok(!exists(top, "pwned-exsl.txt"),
	    "exsl:document cannot write a file (absolute path)");
	(void)render(a, "write-exsl-rel.xsl", &rc, NULL);
	ok(!exists(dir, "pwned-rel.txt") && !exists(top, "pwned-rel.txt") &&
	    !exists(".", "pwned-rel.txt"),
	    "exsl:document cannot write a file (relative path)");
	(void)render(a, "write-xsl.xsl", &rc, NULL);
	ok(!exists(top, "pwned-xsl.txt"), "xsl:document cannot write a file");
	pt_arena_free(a);
}

static void
names(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		 abs[256];
	char		*out;
	int		 rc;

	is_int(pt_view_load("../outside.xsl"), PT_ERR,
	    "pt_view_load refuses \"../outside.xsl\"");
	out = render(a, "../outside.xsl", &rc, NULL);
	ok(rc == PT_ERR && (out == NULL || strstr(out, "OUTSIDE-XSL") == NULL),
	    "pt_view_render refuses \"../outside.xsl\"");
	is_int(pt_view_load("sub/../ok.xsl"), PT_ERR,
	    "pt_view_load refuses a name with \"..\" even if it stays inside");
	is_int(pt_view_load("sub/../../outside.xsl"), PT_ERR,
	    "pt_view_load refuses \"sub/../../outside.xsl\"");
	snprintf(abs, sizeof(abs), "%s/outside.xsl", top);
	is_int(pt_view_load(abs), PT_ERR,
	    "pt_view_load refuses an absolute path outside dir");
	out = render(a, abs, &rc, NULL);
	ok(rc == PT_ERR && (out == NULL || strstr(out, "OUTSIDE-XSL") == NULL),
	    "pt_view_render refuses an absolute path outside dir");
	pt_arena_free(a);
}

static void
cache(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		*out1, *out2, *out3;
	int		 rc;
	char		 dir2[160];

	/* ok.xsl was loaded in basic(); overwrite it on disk. */
	put(dir, "ok.xsl", XSL_HEAD
	    "<xsl:template match=\"/page\"><p class=\"v2\">changed</p>"
	    "</xsl:template>\n" XSL_TAIL);
	out1 = render(a, "ok.xsl", &rc, NULL);
	out2 = render(a, "ok.xsl", &rc, NULL);
	ok(out1 != NULL && strstr(out1, "v1") != NULL,
	    "a loaded stylesheet is not re-read from disk (first render)");
	ok(out2 != NULL && strstr(out2, "v1") != NULL,
	    "a loaded stylesheet is not re-read from disk (second render)");

	/* A stylesheet compiled on first render is also kept. */
	put(dir, "lazy.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>lazy-v1</p></xsl:template>\n"
	    XSL_TAIL);
	out1 = render(a, "lazy.xsl", &rc, NULL);
	put(dir, "lazy.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>lazy-v2</p></xsl:template>\n"
	    XSL_TAIL);
	out2 = render(a, "lazy.xsl", &rc, NULL);
	ok(out1 != NULL && strstr(out1, "lazy-v1") != NULL && out2 != NULL &&
	    strstr(out2, "lazy-v1") != NULL,
	    "a stylesheet compiled on first render is cached");

	/* pt_view_init forgets the cache. */
	is_int(pt_view_init(dir), PT_OK, "pt_view_init again");
	out3 = render(a, "ok.xsl", &rc, NULL);
	ok(out3 != NULL && strstr(out3, "v2") != NULL,
	    "after pt_view_init the new file is used");

	/* A second directory with the same name in it. */
	snprintf(dir2, sizeof(dir2), "%s/other", top);
	mkdir(dir2, 0755);
	put(dir2, "ok.xsl", XSL_HEAD
	    "<xsl:template match=\"/\"><p>other-dir</p></xsl:template>\n"
	    XSL_TAIL);
	is_int(pt_view_init(dir2), PT_OK, "pt_view_init on another directory");
	out3 = render(a, "ok.xsl", &rc, NULL);
	ok(out3 != NULL && strstr(out3, "other-dir") != NULL,
	    "pt_view_init switches directory");
	pt_arena_free(a);
}

static void
cleanup(void)
{
	char	 cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (strncmp(top, "/tmp/ptv.", 9) == 0 && system(cmd) != 0)
		diag("could not remove %s", top);
}

int
main(void)
{
	xmlInitParser();
	setup();
	basic();
	reads();
	writes();
	names();
	cache();
	pt_view_fini();
	cleanup();
	return done();
}
