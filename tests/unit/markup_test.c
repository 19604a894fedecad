/*
 * markup_test.c - unit tests for the discussion markup parser
 * (modules/communities/markup.c).
 *
 * Each case parses a source text with pt_markup_xml() and compares the
 * tree, serialised without indentation, with the expected XML: the blocks
 * and inline constructs of markup.h, hostile input (tags, entities,
 * javascript: and data: links, quotes in URLs) coming out as text, and the
 * mentions that are and are not linked.  pt_markup_mentions() is checked
 * against the same texts.
 *
 * To add a case, add a row to cases[].
 */
#include <string.h>

#include <libxml/tree.h>

#include "portico.h"
#include "../../modules/communities/markup.h"
#include "tap.h"

struct tcase {
	const char	*in;
	const char	*want;	/* children of <r>, serialised */
	const char	*what;
};

static const struct pt_markup_user users[] = {
	{ "lchen", 7 },
	{ "d.tan", 9 },
};

static const struct tcase cases[] = {
	{ "hello", "<p><t>hello</t></p>", "one paragraph" },
	{ "a\nb\n\nc", "<p><t>a</t><br/><t>b</t></p><p><t>c</t></p>",
	    "line break and paragraphs" },
	{ "a\r\n\r\nb", "<p><t>a</t></p><p><t>b</t></p>", "CRLF" },
	{ "\n\n  \n", "", "blank lines only" },
	{ "- one\n- two\n\ntext", "<ul><li><t>one</t></li><li><t>two</t></li>"
	    "</ul><p><t>text</t></p>", "bullet list" },
	{ "* star", "<ul><li><t>star</t></li></ul>", "star bullets" },
	{ "1. one\n2) two", "<ol><li><t>one</t></li><li><t>two</t></li></ol>",
	    "numbered list" },
	{ "- a\n1. b", "<ul><li><t>a</t></li></ul><ol><li><t>b</t></li></ol>",
	    "a list kind change starts a new list" },
	{ "-notalist", "<p><t>-notalist</t></p>", "dash without space" },
	{ "use `x < y` now", "<p><t>use </t><code>x &lt; y</code>"
	    "<t> now</t></p>", "inline code" },
	{ "a `b", "<p><t>a `b</t></p>", "unclosed backtick" },
	{ "```\n<b>x</b>\n\n  y\n```\nafter",
	    "<pre>&lt;b&gt;x&lt;/b&gt;\n\n  y</pre><p><t>after</t></p>",
	    "code block is verbatim" },
	{ "```c\nint x;", "<pre>int x;</pre>", "unclosed code block" },
	{ "```\n@lchen https://x.org\n```", "<pre>@lchen https://x.org</pre>",
	    "nothing is parsed in code" },
	{ "see https://example.com/a?b=1&c=2.",
	    "<p><t>see </t><a href=\"https://example.com/a?b=1&amp;c=2\">"
	    "https://example.com/a?b=1&amp;c=2</a><t>.</t></p>",
	    "bare link, trailing dot left out" },
	{ "(http://x.org/a_(b))", "<p><t>(</t><a href=\"http://x.org/a_(b)\">"
	    "http://x.org/a_(b)</a><t>)</t></p>", "parentheses balance" },
	{ "[docs](https://example.com/d)", "<p><a href=\"https://example.com/"
	    "d\">docs</a></p>", "bracket link" },
	{ "[x](javascript:alert(1))", "<p><t>[x](javascript:alert(1))</t></p>",
	    "javascript: link stays text" },
	{ "javascript:alert(1)", "<p><t>javascript:alert(1)</t></p>",
	    "bare javascript: stays text" },
	{ "[x](data:text/html,<script>)", "<p><t>[x](data:text/html,"
	    "&lt;script&gt;)</t></p>", "data: link stays text" },
	{ "https://x.org/\"onmouseover=\"a", "<p><a href=\"https://x.org/\">"
	    "https://x.org/</a><t>\"onmouseover=\"a</t></p>",
	    "a quote ends a URL" },
	{ "https:// nohost https:///x", "<p><t>https:// nohost https:///x"
	    "</t></p>", "a URL needs a host" },
	{ "xhttps://a.org", "<p><t>xhttps://a.org</t></p>",
	    "a URL starts a word" },
	{ "<script>alert('x')</script> &amp;", "<p><t>&lt;script&gt;"
	    "alert('x')&lt;/script&gt; &amp;amp;</t></p>", "tags are text" },
	{ "hi @lchen and @nobody.", "<p><t>hi </t><mention login=\"lchen\" "
	    "user=\"7\"/><t> and </t><mention login=\"nobody\"/><t>.</t></p>",
	    "linked and unlinked mentions" },
	{ "mail a@lchen.org", "<p><t>mail a@lchen.org</t></p>",
	    "an address is not a mention" },
	{ "@d.tan: yes", "<p><mention login=\"d.tan\" user=\"9\"/>"
	    "<t>: yes</t></p>", "mention with a dot" },
	{ "@ alone", "<p><t>@ alone</t></p>", "a lone at sign" },
	{ "[@lchen](https://a.org)", "<p><a href=\"https://a.org\">@lchen</a>"
	    "</p>", "no mention inside a link text" },
};

static char *
tree_of(const char *in)
{
	static char	 out[8192];
	struct pt_arena	*a = pt_arena_new();
	xmlDocPtr	 doc = pt_xml_doc(a, "r");
	xmlNodePtr	 root = xmlDocGetRootElement(doc), n;
	xmlBufferPtr	 buf = xmlBufferCreate();

	pt_markup_xml(root, in, users, PT_NELEM(users));
	for (n = root->children; n != NULL; n = n->next)
		xmlNodeDump(buf, doc, n, 0, 0);
	snprintf(out, sizeof(out), "%s", (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	pt_arena_free(a);
	return out;
}

static void
mentions(void)
{
	struct pt_arena	*a = pt_arena_new();
	const char	*got[4];
	size_t		 n;

	n = pt_markup_mentions(a, "@a @b\n`@c` @a [@d](https://x.org) "
	    "\n```x\n@e", got, 4);
	is_int(n, 2, "mentions: distinct, none in code or link text");
	if (n == 2) {
		is_str(got[0], "a", "first mention");
		is_str(got[1], "b", "second mention");
	}
	n = pt_markup_mentions(a, "@a @b @c @d @e @f", got, 3);
	is_int(n, 3, "mentions: capped at max");
	n = pt_markup_mentions(a, NULL, got, 3);
	is_int(n, 0, "mentions: NULL text");
	pt_arena_free(a);
}

static void
long_input(void)
{
	size_t	 len = 200000, i;
	char	*s = malloc(len + 1);

	for (i = 0; i < len; i++)
		s[i] = "- @a `b` [c](https://d.e) h\n"[i % 29];
	s[len] = '\0';
	ok(strlen(tree_of(s)) > 0, "a long mixed input parses");
	memset(s, '`', len);
	is_str(tree_of(s), "<pre></pre>",
	    "a line of backticks is an empty, unclosed code block");
	for (i = 0; i < len; i++)
		s[i] = "https://"[i % 8];
	ok(strncmp(tree_of(s), "<p><t>https://https://", 22) == 0,
	    "a line of schemes stays text");
	memset(s, '[', len);
	ok(strncmp(tree_of(s), "<p><t>[[[", 9) == 0,
	    "a line of brackets stays text");
	free(s);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < PT_NELEM(cases); i++)
		is_str(tree_of(cases[i].in), cases[i].want, "%s",
		    cases[i].what);
	mentions();
	long_input();
	return done();
}
