/*
 * fuzz_xmltext.c - libFuzzer target for the XML builder (fcgi/xml.c).
 *
 * Puts arbitrary bytes (up to the first NUL) into an element with
 * pt_xml_text and into an attribute with pt_xml_attr, serialises the
 * document with pt_xml_dump and parses it back with pt_xml_parse.  The
 * output must always be well-formed XML that parses; when the input was
 * already clean (valid UTF-8 holding only characters XML 1.0 allows) the
 * text and the attribute must come back unchanged, and otherwise they
 * must come back as valid UTF-8.  No input can add an element.  Any
 * violation aborts.
 *
 * Seeds: tests/fuzz/corpus/xmltext/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "portico.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* True if s is valid UTF-8 made only of XML 1.0 Chars. */
static bool
xml_clean(const unsigned char *s, size_t len)
{
	size_t	 i;

	if (!pt_utf8_valid((const char *)s, len))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r')
			return false;
		/* U+FFFE and U+FFFF: EF BF BE, EF BF BF. */
		if (s[i] == 0xef && i + 2 < len && s[i + 1] == 0xbf &&
		    (s[i + 2] == 0xbe || s[i + 2] == 0xbf))
			return false;
	}
	return true;
}

static size_t
count_elements(xmlNodePtr n)
{
	size_t	 c = 0;

	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			c += 1 + count_elements(n->children);
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_arena	*a;
	xmlDocPtr		 doc, back;
	xmlNodePtr		 root, t, bt;
	xmlChar			*got;
	char			*text, *out = NULL;
	size_t			 len, outlen = 0;
	bool			 clean;

	if (a == NULL) {
		xmlInitParser();
		a = pt_arena_new();
	}
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);
	clean = xml_clean((const unsigned char *)text, len);

	doc = pt_xml_doc(a, "root");
	root = xmlDocGetRootElement(doc);
	t = pt_xml_text(root, "t", text);
	pt_xml_attr(t, "a", text);
	(void)pt_xml_textf(root, "f", "[%s]", text);

	if (pt_xml_dump(a, doc, &out, &outlen) != PT_OK || out == NULL)
		abort();
	if (!pt_utf8_valid(out, outlen))
		abort();
	if ((back = pt_xml_parse(a, out, outlen)) == NULL)
		abort();
	root = xmlDocGetRootElement(back);
	if (root == NULL || count_elements(root) != 3)
		abort();
	for (bt = root->children; bt != NULL; bt = bt->next)
		if (bt->type == XML_ELEMENT_NODE)
			break;
	if (bt == NULL || xmlStrcmp(bt->name, (const xmlChar *)"t") != 0)
		abort();

	got = xmlNodeGetContent(bt);
	if (got == NULL)
		abort();
	if (clean ? strcmp((const char *)got, text) != 0 :
	    !pt_utf8_valid((const char *)got, strlen((const char *)got)))
		abort();
	xmlFree(got);

	got = xmlGetProp(bt, (const xmlChar *)"a");
	if (got == NULL)
		abort();
	if (clean ? strcmp((const char *)got, text) != 0 :
	    !pt_utf8_valid((const char *)got, strlen((const char *)got)))
		abort();
	xmlFree(got);

	free(text);
	pt_arena_reset(a);
	return 0;
}
