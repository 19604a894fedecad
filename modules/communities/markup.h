/*
 * markup.h - the small safe markup of discussion posts, parsed in C into an
 * XML tree that xslt/communities/thread.xsl renders.  Users never send
 * HTML: every character they type reaches the page as text.
 *
 * The language (a post is plain text; these are the only constructs):
 *   - paragraphs separated by a blank line; a single newline is a <br/>;
 *   - bullet lists, one item per line starting "- " or "* ";
 *   - numbered lists, one item per line starting "1. " (any number, or
 *     "1) ");
 *   - code blocks between lines starting with ``` (text kept verbatim);
 *   - inline code between backticks: `x`;
 *   - links: bare http:// or https:// URLs and [text](https://url); any
 *     other scheme (javascript:, data:, ...) stays text;
 *   - mentions: @login (letters, digits, '.', '_', '-'), linked only when
 *     the caller says that user may read the community.
 *
 * Tree produced under the parent (element names are the whole vocabulary):
 *   block:  <p>, <ul><li>, <ol><li>, <pre>text</pre>
 *   inline: <t>text</t>, <code>text</code>, <a href="http(s)://...">text</a>,
 *           <mention login="x" user="id"/> (user only when linked), <br/>
 *
 * Pure functions of their input (tests/unit/markup_test.c and the fuzz
 * target tests/fuzz/fuzz_markup.c drive them).  To add a construct, extend
 * block() or inline_run() in markup.c, the vocabulary above, the fuzz
 * target's allowed names and the templates in thread.xsl.
 */
#ifndef PT_MARKUP_H
#define PT_MARKUP_H

#include "portico.h"

/* Distinct mentions looked at per text; later ones are never linked. */
#define PT_MARKUP_MENTIONS_MAX	20
/* The longest login a mention can name, and the longest link. */
#define PT_MARKUP_LOGIN_MAX	64
#define PT_MARKUP_URL_MAX	2048

/* A mentioned user the reader may link to (see pt_markup_xml()). */
struct pt_markup_user {
	const char	*login;
	int64_t		 id;
};

/*
 * Stores in out[0..max) the distinct logins mentioned in src (in order of
 * first appearance, arena copies) and returns how many.  Mentions inside
 * code and link texts do not count.
 */
size_t		 pt_markup_mentions(struct pt_arena *, const char *src,
		    const char **out, size_t max);

/*
 * Parses src and appends its tree to parent.  A mention of a login listed
 * in users[0..nusers) gets a user attribute (the page links it); others
 * stay plain "@login".  Never fails; invalid UTF-8 is repaired by the XML
 * builder.
 */
void		 pt_markup_xml(xmlNodePtr parent, const char *src,
		    const struct pt_markup_user *users, size_t nusers);

#endif /* PT_MARKUP_H */
