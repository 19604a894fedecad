/*
 * fuzz_markup.c - libFuzzer target for the discussion markup parser
 * (modules/communities/markup.c).
 *
 * Parses arbitrary bytes (up to the first NUL) with pt_markup_xml(), with
 * one linkable mention, serialises the tree with pt_xml_dump() and parses
 * it back with pt_xml_parse().  Aborts unless: the output is well-formed
 * UTF-8 XML; it uses only the element names of markup.h, nested as markup.h
 * says (inline elements hold text only); the only attributes are href on
 * <a>, which starts with http:// or https:// and holds no space, quote or
 * angle bracket, and login/user on <mention>; and pt_markup_mentions()
 * finds no more distinct logins than it was allowed.
 *
 * Seeds: tests/fuzz/corpus/markup/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "portico.h"
#include "../../modules/communities/markup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
name_in(const xmlChar *name, const char *const *names)
{
	for (; *names != NULL; names++)
		if (xmlStrcmp(name, (const xmlChar *)*names) == 0)
			return true;
	return false;
}

static bool
named(xmlNodePtr n, const char *const *names)
{
	return name_in(n->name, names);
}

static void
check_href(xmlNodePtr a)
{
	xmlChar		*h = xmlGetProp(a, (const xmlChar *)"href");
	const char	*s = (const char *)h;

	if (h == NULL)
		abort();
	if (strncasecmp(s, "http://", 7) != 0 &&
	    strncasecmp(s, "https://", 8) != 0)
		abort();
	if (strpbrk(s, " \t\n\r\"<>`\\") != NULL)
		abort();
	xmlFree(h);
}

static void
check_attrs(xmlNodePtr n, const char *const *allowed)
{
	xmlAttrPtr	 at;

	for (at = n->properties; at != NULL; at = at->next) {
		if (allowed == NULL)
			abort();
		if (!name_in(at->name, allowed))
			abort();
	}
}

/* Indentation pt_xml_dump() added between elements. */
static bool
blank(xmlNodePtr n)
{
	return n->type == XML_TEXT_NODE && xmlIsBlankNode(n);
}

/* Inline elements: text children only. */
static void
check_inline(xmlNodePtr parent)
{
	static const char *const names[] = { "t", "code", "a", "mention",
	    "br", NULL };
	static const char *const a_attrs[] = { "href", NULL };
	static const char *const m_attrs[] = { "login", "user", NULL };
	xmlNodePtr	 n, c;

	for (n = parent->children; n != NULL; n = n->next) {
		if (blank(n))
			continue;
		if (n->type != XML_ELEMENT_NODE || !named(n, names))
			abort();
		for (c = n->children; c != NULL; c = c->next)
			if (c->type != XML_TEXT_NODE)
				abort();
		if (xmlStrcmp(n->name, (const xmlChar *)"a") == 0) {
			check_attrs(n, a_attrs);
			check_href(n);
		} else if (xmlStrcmp(n->name, (const xmlChar *)"mention") == 0)
			check_attrs(n, m_attrs);
		else
			check_attrs(n, NULL);
	}
}

static void
check_blocks(xmlNodePtr root)
{
	static const char *const lists[] = { "ul", "ol", NULL };
	xmlNodePtr	 n, li, c;

	for (n = root->children; n != NULL; n = n->next) {
		if (blank(n))
			continue;
		if (n->type != XML_ELEMENT_NODE)
			abort();
		check_attrs(n, NULL);
		if (xmlStrcmp(n->name, (const xmlChar *)"p") == 0)
			check_inline(n);
		else if (xmlStrcmp(n->name, (const xmlChar *)"pre") == 0) {
			for (c = n->children; c != NULL; c = c->next)
				if (c->type != XML_TEXT_NODE)
					abort();
		} else if (named(n, lists)) {
			for (li = n->children; li != NULL; li = li->next) {
				if (blank(li))
					continue;
				if (li->type != XML_ELEMENT_NODE ||
				    xmlStrcmp(li->name,
				    (const xmlChar *)"li") != 0)
					abort();
				check_attrs(li, NULL);
				check_inline(li);
			}
		} else
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pt_markup_user users[] = { { "a", 1 } };
	static struct pt_arena	*a;
	const char		*found[3];
	xmlDocPtr		 doc, back;
	char			*text, *out = NULL;
	size_t			 outlen = 0;

	if (a == NULL) {
		xmlInitParser();
		a = pt_arena_new();
	}
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	doc = pt_xml_doc(a, "body");
	pt_markup_xml(xmlDocGetRootElement(doc), text, users, 1);
	if (pt_xml_dump(a, doc, &out, &outlen) != PT_OK || out == NULL)
		abort();
	if (!pt_utf8_valid(out, outlen))
		abort();
	if ((back = pt_xml_parse(a, out, outlen)) == NULL)
		abort();
	check_blocks(xmlDocGetRootElement(back));
	if (pt_markup_mentions(a, text, found, 3) > 3)
		abort();

	free(text);
	pt_arena_reset(a);
	return 0;
}
