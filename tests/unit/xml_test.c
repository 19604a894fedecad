/*
 * xml_test.c - unit tests for the XML builder and parser (fcgi/xml.c).
 *
 * The builder is the only way modules make markup, so these tests prove
 * that text is always text: markup characters, entity references and
 * CDATA terminators round-trip through pt_xml_dump and pt_xml_parse as the
 * same characters; invalid UTF-8 and characters XML 1.0 forbids are
 * repaired to U+FFFD; attributes are escaped.  pt_xml_parse must not expand
 * entities or load external ones (XXE, billion laughs).
 *
 * To add a case, add a row to texts[] or a function called from main().
 */
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "portico.h"
#include "tap.h"

#define FFFD	"\xef\xbf\xbd"

struct tcase {
	const char	*in;
	const char	*want;		/* NULL: same as in */
	const char	*what;
};

static const struct tcase texts[] = {
	{ "plain", NULL, "plain text" },
	{ "a < b && c > d", NULL, "< > &" },
	{ "<script>alert(1)</script>", NULL, "a script tag" },
	{ "&amp; &lt; &#60; &#x3c; &nbsp;", NULL, "entity references stay text" },
	{ "x]]>y<![CDATA[z", NULL, "CDATA markers" },
	{ "\"double\" 'single'", NULL, "quotes" },
	{ "line1\nline2\ttab", NULL, "LF and TAB are kept" },
	{ "<?xml version='1.0'?><!DOCTYPE x>", NULL, "a declaration" },
	{ "<!-- c -->", NULL, "a comment" },
	{ "J\xc3\xa9r\xc3\xb4me \xe2\x82\xac \xf0\x9f\x98\x80", NULL,
	    "valid multibyte UTF-8" },
	{ "", NULL, "empty text" },
	{ "a\xff" "b", "a" FFFD "b", "invalid byte 0xFF is repaired" },
	{ "a\xc3" "b", "a" FFFD "b", "truncated sequence is repaired" },
	{ "a\xc0\xaf" "b", NULL, "overlong '/' is repaired" },
	{ "a\xed\xa0\x80" "b", NULL, "surrogate is repaired" },
	{ "a\x01" "b", "a" FFFD "b", "C0 control 0x01 is repaired" },
	{ "a\x1b[31m", "a" FFFD "[31m", "ESC is repaired" },
	{ "a\x0b\x0c" "b", "a" FFFD FFFD "b", "VT and FF are repaired" },
	{ "a\xef\xbf\xbe" "b", "a" FFFD "b", "U+FFFE is repaired" },
	{ "a\xef\xbf\xbf" "b", "a" FFFD "b", "U+FFFF is repaired" },
};

/* The text of the first element named name below node. */
static xmlNodePtr
find(xmlNodePtr node, const char *name)
{
	xmlNodePtr	 c, f;

	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(node->name, (const xmlChar *)name) == 0)
			return node;
		for (c = node->children; c != NULL; c = c->next) {
			if ((f = find(c, name)) != NULL)
				return f;
		}
	}
	return NULL;
}

/* Concatenated text of node's text and CDATA children, arena copy. */
static char *
text_of(struct pt_arena *a, xmlNodePtr node)
{
	xmlChar	*s;
	char	*r;

	if (node == NULL)
		return NULL;
	s = xmlNodeGetContent(node);
	r = pt_strdup(a, s ? (const char *)s : "");
	xmlFree(s);
	return r;
}

static void
roundtrip(void)
{
	struct pt_arena	*a = pt_arena_new();
	xmlDocPtr	 doc, back;
	xmlNodePtr	 root, n;
	char		 name[16], *out;
	size_t		 i, len;
	int		 rc;

	doc = pt_xml_doc(a, "page");
	ok(doc != NULL, "pt_xml_doc returns a document");
	root = xmlDocGetRootElement(doc);
	ok(root != NULL && xmlStrcmp(root->name, (const xmlChar *)"page") == 0,
	    "the root element is named as asked");
	for (i = 0; i < PT_NELEM(texts); i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		n = pt_xml_text(root, name, texts[i].in);
		ok(n != NULL && n->parent == root, "pt_xml_text adds <%s>", name);
	}
	n = pt_xml_text(root, "nulltext", NULL);
	ok(n != NULL && n->children == NULL, "NULL text makes an empty element");
	n = pt_xml_elem(root, "group");
	ok(n != NULL && n->parent == root, "pt_xml_elem adds a child");
	n = pt_xml_textf(n, "f", "%d-%s-%c", 5, "<x>&amp;", '"');
	ok(n != NULL, "pt_xml_textf adds a child");

	out = NULL;
	rc = pt_xml_dump(a, doc, &out, &len);
	is_int(rc, PT_OK, "pt_xml_dump succeeds");
	if (out == NULL) {
		pt_arena_free(a);
		return;
	}
	ok(strlen(out) == len, "pt_xml_dump's length matches the output");
	ok(strstr(out, "<script") == NULL, "no <script> tag in the output");
	ok(strstr(out, "]]>") == NULL ||
	    strstr(out, "<![CDATA[") != NULL, "no bare ]]> in the output");
	ok(pt_utf8_valid(out, len), "the output is valid UTF-8");

	back = pt_xml_parse(a, out, len);
	ok(back != NULL, "pt_xml_parse accepts pt_xml_dump's output");
	if (back == NULL) {
		diag("output: %s", out);
		pt_arena_free(a);
		return;
	}
	root = xmlDocGetRootElement(back);
	for (i = 0; i < PT_NELEM(texts); i++) {
		const char *want = texts[i].want ? texts[i].want : texts[i].in;
		char *got;

		snprintf(name, sizeof(name), "t%zu", i);
		n = find(root, name);
		got = text_of(a, n);
		if (texts[i].want == NULL && !pt_utf8_valid(texts[i].in,
		    strlen(texts[i].in))) {
			/* Repaired; how many U+FFFD is the builder's choice. */
			ok(got != NULL && strchr(got, 'a') == got &&
			    strstr(got, FFFD) != NULL &&
			    got[strlen(got) - 1] == 'b' &&
			    pt_utf8_valid(got, strlen(got)),
			    "%s (got \"%s\")", texts[i].what, got ? got : "");
			continue;
		}
		is_str(got, want, "round trip: %s", texts[i].what);
	}
	is_str(text_of(a, find(root, "f")), "5-<x>&amp;-\"",
	    "pt_xml_textf round trip");
	n = find(root, "f");
	ok(n != NULL && n->parent != NULL &&
	    xmlStrcmp(n->parent->name, (const xmlChar *)"group") == 0,
	    "nesting survives the round trip");
	pt_arena_free(a);
}

/* Serialises doc with pt_xml_dump and parses it back; NULL on failure. */
static xmlDocPtr
dump_parse(struct pt_arena *a, xmlDocPtr doc, char **outp)
{
	char	*out = NULL;
	size_t	 len = 0;
	xmlDocPtr back;

	if (pt_xml_dump(a, doc, &out, &len) != PT_OK || out == NULL)
		return NULL;
	back = pt_xml_parse(a, out, len);
	if (back == NULL)
		diag("did not parse back: %s", out);
	if (outp != NULL)
		*outp = out;
	return back;
}

static void
attributes(void)
{
	struct pt_arena	*a = pt_arena_new();
	xmlDocPtr	 doc, back;
	xmlNodePtr	 root, n;
	xmlChar		*v;
	char		*out = NULL;
	static const char *const vals[] = {
		"x\"y", "x'y", "<a href=\"x\">", "&amp;", "a&b", "l1\nl2\tt",
		"\" onmouseover=\"alert(1)",
	};
	char		 name[16];
	size_t		 i;

	doc = pt_xml_doc(a, "r");
	root = xmlDocGetRootElement(doc);
	n = pt_xml_elem(root, "e");
	for (i = 0; i < PT_NELEM(vals); i++) {
		snprintf(name, sizeof(name), "a%zu", i);
		pt_xml_attr(n, name, vals[i]);
	}
	pt_xml_attr_int(n, "neg", -42);
	pt_xml_attr_int(n, "min", INT64_MIN);
	pt_xml_attr_int(n, "max", INT64_MAX);

	back = dump_parse(a, doc, &out);
	ok(back != NULL, "the document with attributes round-trips");
	if (back == NULL) {
		pt_arena_free(a);
		return;
	}
	ok(strstr(out, "onmouseover=\"alert") == NULL,
	    "an attribute value cannot open another attribute");
	n = find(xmlDocGetRootElement(back), "e");
	for (i = 0; i < PT_NELEM(vals); i++) {
		snprintf(name, sizeof(name), "a%zu", i);
		v = xmlGetProp(n, (const xmlChar *)name);
		is_str((const char *)v, vals[i], "attribute %zu round trip", i);
		xmlFree(v);
	}
	v = xmlGetProp(n, (const xmlChar *)"neg");
	is_str((const char *)v, "-42", "pt_xml_attr_int -42");
	xmlFree(v);
	v = xmlGetProp(n, (const xmlChar *)"min");
	is_str((const char *)v, "-9223372036854775808", "pt_xml_attr_int min");
	xmlFree(v);
	v = xmlGetProp(n, (const xmlChar *)"max");
	is_str((const char *)v, "9223372036854775807", "pt_xml_attr_int max");
	xmlFree(v);

	/* Bad bytes in an attribute value are repaired like text. */
	doc = pt_xml_doc(a, "r");
	n = pt_xml_elem(xmlDocGetRootElement(doc), "e");
	pt_xml_attr(n, "bad", "a\xff\x01" "b");
	back = dump_parse(a, doc, NULL);
	ok(back != NULL, "a document with a bad attribute value is well-formed");
	if (back != NULL) {
		n = find(xmlDocGetRootElement(back), "e");
		v = xmlGetProp(n, (const xmlChar *)"bad");
		ok(v != NULL &&
		    pt_utf8_valid((const char *)v, strlen((char *)v)) &&
		    strchr((const char *)v, '\x01') == NULL &&
		    strstr((const char *)v, FFFD) != NULL,
		    "invalid UTF-8 and controls in an attribute are repaired");
		xmlFree(v);
	}

	/* Setting an attribute twice must not make a duplicate attribute. */
	doc = pt_xml_doc(a, "r");
	n = pt_xml_elem(xmlDocGetRootElement(doc), "e");
	pt_xml_attr(n, "dup", "first");
	pt_xml_attr(n, "dup", "second");
	back = dump_parse(a, doc, NULL);
	ok(back != NULL,
	    "setting an attribute twice leaves a well-formed document");
	if (back != NULL) {
		n = find(xmlDocGetRootElement(back), "e");
		v = xmlGetProp(n, (const xmlChar *)"dup");
		is_str((const char *)v, "second", "the second value wins");
		xmlFree(v);
	}
	pt_arena_free(a);
}

/* Total length of the text nodes in the tree, not following entity refs. */
static size_t
text_size(xmlNodePtr node)
{
	size_t	 n = 0;

	for (; node != NULL; node = node->next) {
		if (node->type == XML_TEXT_NODE && node->content != NULL)
			n += strlen((const char *)node->content);
		if (node->type == XML_ELEMENT_NODE)
			n += text_size(node->children);
	}
	return n;
}

static int
doc_contains(struct pt_arena *a, xmlDocPtr doc, const char *needle)
{
	xmlChar	*buf = NULL;
	int	 len = 0, found;
	xmlNodePtr root;
	char	*t;

	xmlDocDumpMemory(doc, &buf, &len);
	found = buf != NULL && strstr((const char *)buf, needle) != NULL;
	xmlFree(buf);
	root = xmlDocGetRootElement(doc);
	t = text_of(a, root);
	if (t != NULL && strstr(t, needle) != NULL)
		found = 1;
	return found;
}

static void
parse_security(void)
{
	struct pt_arena	*a = pt_arena_new();
	xmlDocPtr	 doc;
	char		 path[64], xml[512];
	FILE		*f;
	struct timespec	 t0, t1;
	double		 secs;
	static const char laughs[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n"
	    "<lolz>&lol9;</lolz>\n";

	doc = pt_xml_parse(a, "<a><b>x</b></a>", 15);
	ok(doc != NULL, "pt_xml_parse accepts a small document");
	doc = pt_xml_parse(a, "<a><b></a>", 10);
	ok(doc == NULL, "pt_xml_parse refuses a malformed document");
	doc = pt_xml_parse(a, "", 0);
	ok(doc == NULL, "pt_xml_parse refuses empty input");
	doc = pt_xml_parse(a, "<a>x</a>trailing", 16);
	ok(doc == NULL, "pt_xml_parse refuses content after the root");

	/* A local file with a marker, so that a leak is visible. */
	snprintf(path, sizeof(path), "/tmp/ptxml.%ld.txt", (long)getpid());
	f = fopen(path, "w");
	if (f == NULL) {
		ok(0, "create %s", path);
		pt_arena_free(a);
		return;
	}
	fputs("SECRET-MARKER-4711\n", f);
	fclose(f);

	snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE r [<!ENTITY x SYSTEM \"file://%s\">]>\n"
	    "<r>&x;</r>\n", path);
	doc = pt_xml_parse(a, xml, strlen(xml));
	ok(doc == NULL || !doc_contains(a, doc, "SECRET-MARKER"),
	    "an external entity is not loaded (local file)");

	snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<r>&x;</r>\n");
	doc = pt_xml_parse(a, xml, strlen(xml));
	ok(doc == NULL || !doc_contains(a, doc, "root:"),
	    "an external entity is not loaded (/etc/passwd)");

	snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE r [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>\n"
	    "<r/>\n", path);
	doc = pt_xml_parse(a, xml, strlen(xml));
	ok(doc == NULL || !doc_contains(a, doc, "SECRET-MARKER"),
	    "an external parameter entity is not loaded");

	snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE r SYSTEM \"file://%s\">\n<r/>\n", path);
	doc = pt_xml_parse(a, xml, strlen(xml));
	ok(doc == NULL || doc->extSubset == NULL,
	    "an external DTD is not loaded");

	snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE r [<!ENTITY i \"<b>injected</b>\">]>\n"
	    "<r>&i;</r>\n");
	doc = pt_xml_parse(a, xml, strlen(xml));
	ok(doc == NULL || find(xmlDocGetRootElement(doc), "b") == NULL,
	    "an internal entity is not expanded into elements");
	unlink(path);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	doc = pt_xml_parse(a, laughs, sizeof(laughs) - 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(doc == NULL || text_size(doc->children) < 100000,
	    "billion laughs is not expanded");
	ok(secs < 2.0, "billion laughs returns quickly (%.3f s)", secs);
	if (doc != NULL) {
		xmlChar *buf = NULL;
		int blen = 0;

		xmlDocDumpMemory(doc, &buf, &blen);
		ok(blen < 100000, "billion laughs serialises small (%d bytes)",
		    blen);
		xmlFree(buf);
	}
	pt_arena_free(a);
}

int
main(void)
{
	xmlInitParser();
	roundtrip();
	attributes();
	parse_security();
	xmlCleanupParser();
	return done();
}
