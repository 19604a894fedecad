/*
 * xml.c - the XML builder: the only way Portico code makes markup.
 *
 * Handlers describe a page as an XML tree; the stylesheets in xslt/ turn it
 * into HTML.  Every string that reaches the tree goes through libxml2's
 * raw-text calls (xmlNewTextChild, xmlSetProp, xmlNewDocText), which store
 * the bytes as character data: a partner whose company is called
 * "<b>Acme</b> &amp; Co" gets exactly those characters on the page, never a
 * tag or an entity.  The calls that parse entity references (xmlNewChild,
 * xmlNodeSetContent, xmlNewDocProp, xmlNewDocNode) are not used here and a
 * guard test bans them everywhere else.
 *
 * Text is also made well-formed on the way in: bytes that are not valid
 * UTF-8 and characters XML 1.0 forbids (C0 controls other than TAB, LF and
 * CR; U+FFFE and U+FFFF) become U+FFFD, so a bad row in the database costs
 * a replacement character, never a broken page or a dropped string.
 *
 * API (fcgi/portico.h, section XML): pt_xml_doc, pt_xml_elem, pt_xml_text,
 * pt_xml_textf, pt_xml_attr, pt_xml_attr_int, pt_xml_dump, pt_xml_parse.
 * Element and attribute names are programmer constants; an invalid name is
 * a bug and aborts, like allocation failure.
 *
 * To add a new kind of node (a comment, say), add a function here that goes
 * through xml_clean() and a raw-text libxml2 call, declare it in the XML
 * section of fcgi/portico.h and cover it in tests/unit/.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include "portico.h"

/* The UTF-8 encoding of U+FFFD REPLACEMENT CHARACTER. */
static const char xml_fffd[] = "\xef\xbf\xbd";

static void *
xml_nonnull(void *p)
{
	if (p == NULL) {
		pt_log(PT_LOG_ERR, "xml: out of memory");
		abort();
	}
	return p;
}

/*
 * Names come from the code, not from users, so a bad one is a programming
 * error.  Catching it here beats serialising a document nobody can parse.
 */
static void
xml_check_name(const char *name)
{
	if (name == NULL || xmlValidateName((const xmlChar *)name, 0) != 0) {
		pt_log(PT_LOG_ERR, "xml: invalid element or attribute name "
		    "\"%s\"", name == NULL ? "(null)" : name);
		abort();
	}
}

/*
 * Length of the well-formed UTF-8 sequence at s[0..len) that encodes a
 * character XML 1.0 allows, or 0 if there is none.  When there is none,
 * *bad is the length of the maximal ill-formed subpart (at least 1), which
 * is what Unicode recommends replacing with one U+FFFD.
 */
static size_t
xml_char_len(const unsigned char *s, size_t len, size_t *bad)
{
	unsigned int	 cp, lo, hi;
	size_t		 n, i;

	*bad = 1;
	if (s[0] < 0x80) {
		if (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' &&
		    s[0] != '\r')
			return 0;
		return 1;
	}
	lo = 0x80;
	hi = 0xbf;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;

	for (i = 1; i < n; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	if (cp == 0xfffe || cp == 0xffff) {
		*bad = n;
		return 0;
	}
	return n;
}

/*
 * Returns s itself if it is clean, or a malloc'ed repaired copy that the
 * caller frees with xml_clean_free().
 */
static const char *
xml_clean(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 len, i, n, bad, o;
	char			*out;

	len = strlen(s);
	for (i = 0; i < len; i += n)
		if ((n = xml_char_len(u + i, len - i, &bad)) == 0)
			break;
	if (i == len)
		return s;

	/* Each bad byte grows to at most three. */
	if (len > (SIZE_MAX - 1) / 3)
		abort();
	out = xml_nonnull(malloc(len * 3 + 1));
	memcpy(out, s, i);
	o = i;
	while (i < len) {
		if ((n = xml_char_len(u + i, len - i, &bad)) != 0) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, xml_fffd, 3);
			o += 3;
			i += bad;
		}
	}
	out[o] = '\0';
	return out;
}

static void
xml_clean_free(const char *orig, const char *clean)
{
	if (clean != orig)
		free((char *)clean);
}

static void
xml_doc_free(void *doc)
{
	xmlFreeDoc(doc);
}

/*
 * Returns a new document whose root element is called root.  The document
 * belongs to the arena, which frees it; callers never call xmlFreeDoc().
 */
xmlDocPtr
pt_xml_doc(struct pt_arena *a, const char *root)
{
	xmlDocPtr	doc;
	xmlNodePtr	node;

	xml_check_name(root);
	doc = xml_nonnull(xmlNewDoc((const xmlChar *)"1.0"));
	pt_arena_cleanup(a, xml_doc_free, doc);
	node = xml_nonnull(xmlNewNode(NULL, (const xmlChar *)root));
	xmlDocSetRootElement(doc, node);
	return doc;
}

/*
 * Appends an empty element to parent and returns it.  The node belongs to
 * parent's document.
 */
xmlNodePtr
pt_xml_elem(xmlNodePtr parent, const char *name)
{
	return pt_xml_text(parent, name, NULL);
}

/*
 * Appends <name>text</name> to parent and returns the new element, owned by
 * parent's document.  text is stored as characters (repaired if it is not
 * valid XML text); NULL makes an empty element.
 */
xmlNodePtr
pt_xml_text(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr	 node;
	const char	*clean = NULL;

	xml_check_name(name);
	if (parent == NULL || parent->type != XML_ELEMENT_NODE) {
		pt_log(PT_LOG_ERR, "xml: <%s> added to a non-element", name);
		abort();
	}
	if (text != NULL)
		clean = xml_clean(text);
	node = xml_nonnull(xmlNewTextChild(parent, NULL,
	    (const xmlChar *)name, (const xmlChar *)clean));
	if (text != NULL)
		xml_clean_free(text, clean);
	return node;
}

/*
 * Like pt_xml_text() with printf-style formatting.  The formatted string is
 * a temporary; the element, owned by parent's document, is returned.
 */
xmlNodePtr
pt_xml_textf(xmlNodePtr parent, const char *name, const char *fmt, ...)
{
	va_list		 ap, ap2;
	xmlNodePtr	 node;
	char		 small[256], *buf;
	int		 n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		pt_log(PT_LOG_ERR, "xml: bad format for <%s>", name);
		abort();
	}
	if ((size_t)n < sizeof(small)) {
		va_end(ap2);
		return pt_xml_text(parent, name, small);
	}
	buf = xml_nonnull(malloc((size_t)n + 1));
	vsnprintf(buf, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	node = pt_xml_text(parent, name, buf);
	free(buf);
	return node;
}

/*
 * Sets attribute name on element node to value, as characters (repaired if
 * need be), replacing an earlier value.  A NULL value sets nothing, so that
 * optional columns can be passed straight through.
 */
void
pt_xml_attr(xmlNodePtr node, const char *name, const char *value)
{
	const char	*clean;
	xmlAttrPtr	 attr;

	xml_check_name(name);
	if (value == NULL)
		return;
	if (node == NULL || node->type != XML_ELEMENT_NODE) {
		pt_log(PT_LOG_ERR, "xml: attribute %s on a non-element", name);
		abort();
	}
	clean = xml_clean(value);
	attr = xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)clean);
	xml_clean_free(value, clean);
	xml_nonnull(attr);
}

/* Sets attribute name on element node to a decimal integer. */
void
pt_xml_attr_int(xmlNodePtr node, const char *name, int64_t v)
{
	char	buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	pt_xml_attr(node, name, buf);
}

/*
 * Serialises doc as indented UTF-8 with an XML declaration.  Returns PT_OK
 * with *out (NUL-terminated, arena-owned) and *len set, or PT_ERR (logged).
 */
int
pt_xml_dump(struct pt_arena *a, xmlDocPtr doc, char **out, size_t *len)
{
	xmlChar	*buf = NULL;
	int	 n = 0;
	char	*copy;

	*out = NULL;
	*len = 0;
	if (doc == NULL) {
		pt_log(PT_LOG_ERR, "xml: dump of a NULL document");
		return PT_ERR;
	}
	xmlDocDumpFormatMemoryEnc(doc, &buf, &n, "UTF-8", 1);
	if (buf == NULL || n < 0) {
		xmlFree(buf);
		pt_log(PT_LOG_ERR, "xml: could not serialise the document");
		return PT_ERR;
	}
	copy = pt_alloc(a, (size_t)n + 1);
	memcpy(copy, buf, (size_t)n);
	copy[n] = '\0';
	xmlFree(buf);
	*out = copy;
	*len = (size_t)n;
	return PT_OK;
}

/* Keeps parse errors in untrusted input out of the log's ERR stream. */
static void
xml_parse_quiet(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/*
 * Parses untrusted XML from buf[0..len).  No network access, entities are
 * not expanded and no external DTD is loaded, so XXE and "billion laughs"
 * have nothing to work with.  Returns the document, freed with the arena,
 * or NULL if the input is not well-formed (logged at debug level).
 */
xmlDocPtr
pt_xml_parse(struct pt_arena *a, const char *buf, size_t len)
{
	xmlParserCtxtPtr	 ctxt;
	xmlDocPtr		 doc;
	xmlErrorPtr		 err;
	const char		*msg;
	size_t			 mlen;
	const int		 opts = XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING;

	if (buf == NULL || len > INT_MAX)
		return NULL;
	ctxt = xml_nonnull(xmlNewParserCtxt());
	ctxt->sax->serror = xml_parse_quiet;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, opts);
	if (doc == NULL || !ctxt->wellFormed) {
		err = xmlCtxtGetLastError(ctxt);
		msg = err != NULL && err->message != NULL ? err->message :
		    "not well-formed";
		mlen = strcspn(msg, "\r\n");
		pt_log(PT_LOG_DEBUG, "xml: rejected input: line %d: %.*s",
		    err != NULL ? err->line : 0, (int)mlen, msg);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return NULL;
	}
	xmlFreeParserCtxt(ctxt);
	pt_arena_cleanup(a, xml_doc_free, doc);
	return doc;
}
