/*
 * markup.c - the parser of the discussion markup described in markup.h:
 * from a post's source text to an XML tree of a dozen element names, so
 * that no byte a user typed can become a tag, an attribute or a script.
 *
 * API (markup.h): pt_markup_mentions, pt_markup_xml.
 *
 * The parser works on a private copy of the text, line by line (block())
 * and then within a line (inline_run()).  A run of text is handed to the
 * XML builder by writing a NUL after it for the duration of the call, so a
 * post costs one allocation whatever its length.  Everything it emits is
 * text through pt_xml_text()/pt_xml_attr(); the only attribute values that
 * come from the user are link targets, which are checked by url_len() to
 * be http:// or https:// URLs without spaces, quotes or angle brackets.
 *
 * To add a block construct, add a case to block(); an inline one, to
 * inline_run(); then list its element in markup.h, in the fuzz target
 * (tests/fuzz/fuzz_markup.c) and give it a template in thread.xsl.
 */
#include <stdlib.h>
#include <string.h>

#include "portico.h"
#include "markup.h"

enum blk {
	BLK_NONE,
	BLK_P,
	BLK_UL,
	BLK_OL,
};

struct mk {
	/* Tree output; NULL when only collecting mentions. */
	xmlNodePtr			 root;
	const struct pt_markup_user	*users;
	size_t				 nusers;
	/* Mention collection. */
	struct pt_arena			*arena;
	const char			**found;
	size_t				 nfound, maxfound;
	/* The open block. */
	enum blk			 kind;
	xmlNodePtr			 blk;	/* <p> or <li> receiving inline */
	xmlNodePtr			 list;	/* <ul>/<ol> */
};

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static bool
is_login_char(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '-';
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Case-insensitive prefix test on [s, e). */
static bool
has_prefix(const char *s, const char *e, const char *p)
{
	size_t	 n = strlen(p);

	return (size_t)(e - s) >= n && strncasecmp(s, p, n) == 0;
}

/* Adds <name>[s, e)</name> under parent (or nothing without a tree). */
static xmlNodePtr
emit(xmlNodePtr parent, const char *name, char *s, char *e)
{
	xmlNodePtr	 n;
	char		 save;

	if (parent == NULL)
		return NULL;
	save = *e;
	*e = '\0';
	n = pt_xml_text(parent, name, s);
	*e = save;
	return n;
}

static void
emit_text(xmlNodePtr parent, char *s, char *e)
{
	if (e > s)
		(void)emit(parent, "t", s, e);
}

/*
 * The length of the http(s) URL at s (before e), or 0 if s does not start
 * one.  A URL ends at whitespace, a control character or one of <>"`\;
 * trailing punctuation that usually ends a sentence is left out, and a
 * closing parenthesis only belongs to the URL if it opened one.
 */
static size_t
url_len(const char *s, const char *e)
{
	const char	*p, *host;
	size_t		 open = 0, close = 0;

	if (has_prefix(s, e, "https://"))
		host = s + 8;
	else if (has_prefix(s, e, "http://"))
		host = s + 7;
	else
		return 0;
	/* Bounded, so a text full of "https://" stays linear. */
	if ((size_t)(e - s) > PT_MARKUP_URL_MAX + 1)
		e = s + PT_MARKUP_URL_MAX + 1;
	for (p = host; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7f || strchr("<>\"`\\", c) != NULL)
			break;
		if (c == '(')
			open++;
		else if (c == ')')
			close++;
	}
	while (p > host && strchr(".,;:!?'*", p[-1]) != NULL)
		p--;
	while (p > host && p[-1] == ')' && close > open) {
		p--;
		close--;
		while (p > host && strchr(".,;:!?'*", p[-1]) != NULL)
			p--;
	}
	/* A host is needed: "https://" alone, or "https:///x", is text. */
	if (p == host || *host == '/' || *host == '?' || *host == '#' ||
	    *host == '@' || *host == ':')
		return 0;
	if ((size_t)(p - s) > PT_MARKUP_URL_MAX)
		return 0;
	return (size_t)(p - s);
}

static void
mention(struct mk *m, xmlNodePtr parent, char *s, char *e)
{
	xmlNodePtr	 n;
	size_t		 i, len = (size_t)(e - s);
	char		 save;

	save = *e;
	*e = '\0';
	if (m->found != NULL) {
		for (i = 0; i < m->nfound; i++)
			if (strcmp(m->found[i], s) == 0)
				break;
		if (i == m->nfound && m->nfound < m->maxfound)
			m->found[m->nfound++] = pt_strndup(m->arena, s, len);
	}
	if (parent != NULL) {
		n = pt_xml_elem(parent, "mention");
		pt_xml_attr(n, "login", s);
		for (i = 0; i < m->nusers; i++)
			if (strcmp(m->users[i].login, s) == 0) {
				pt_xml_attr_int(n, "user", m->users[i].id);
				break;
			}
	}
	*e = save;
}

/*
 * [text](url): returns the end of the construct and sets the parts, or
 * NULL if s does not start a valid one (then it is text).
 */
static char *
bracket_link(char *s, char *e, char **ts, char **te, char **us, char **ue)
{
	char	*p;
	size_t	 n;

	for (p = s + 1; p < e && *p != ']' && *p != '['; p++)
		;
	if (p >= e || *p != ']' || p == s + 1 || p + 1 >= e || p[1] != '(')
		return NULL;
	*ts = s + 1;
	*te = p;
	*us = p + 2;
	if ((n = url_len(*us, e)) == 0)
		return NULL;
	*ue = *us + n;
	/* The URL must fill the parentheses. */
	if (*ue >= e || **ue != ')')
		return NULL;
	return *ue + 1;
}

/* Inline constructs of [s, e) under parent. */
static void
inline_run(struct mk *m, xmlNodePtr parent, char *s, char *e)
{
	char		*run = s, *p = s, *q, *ts, *te, *us, *ue, save;
	xmlNodePtr	 a;
	size_t		 n;

	while (p < e) {
		unsigned char c = (unsigned char)*p;
		bool word_start = p == s || !is_alnum((unsigned char)p[-1]);

		if (c == '`' && (q = memchr(p + 1, '`', (size_t)(e - p - 1))) !=
		    NULL && q > p + 1) {
			emit_text(parent, run, p);
			(void)emit(parent, "code", p + 1, q);
			p = run = q + 1;
			continue;
		}
		if (c == '[' && (q = bracket_link(p, e, &ts, &te, &us,
		    &ue)) != NULL) {
			emit_text(parent, run, p);
			if (parent != NULL) {
				a = emit(parent, "a", ts, te);
				save = *ue;
				*ue = '\0';
				pt_xml_attr(a, "href", us);
				*ue = save;
			}
			p = run = q;
			continue;
		}
		if ((c == 'h' || c == 'H') && word_start &&
		    (n = url_len(p, e)) != 0) {
			emit_text(parent, run, p);
			if (parent != NULL) {
				a = emit(parent, "a", p, p + n);
				save = p[n];
				p[n] = '\0';
				pt_xml_attr(a, "href", p);
				p[n] = save;
			}
			p = run = p + n;
			continue;
		}
		if (c == '@' && (p == s ||
		    !is_login_char((unsigned char)p[-1]))) {
			for (q = p + 1; q < e && is_login_char((unsigned char)*q);
			    q++)
				;
			while (q > p + 1 && (q[-1] == '.' || q[-1] == '-'))
				q--;
			if (q > p + 1 && (size_t)(q - p - 1) <=
			    PT_MARKUP_LOGIN_MAX) {
				emit_text(parent, run, p);
				mention(m, parent, p + 1, q);
				p = run = q;
				continue;
			}
		}
		p++;
	}
	emit_text(parent, run, e);
}

static void
close_block(struct mk *m)
{
	m->kind = BLK_NONE;
	m->blk = m->list = NULL;
}

/* A list marker at the start of [s, e): returns the item text, or NULL. */
static char *
list_item(char *s, char *e, enum blk *kind)
{
	char	*p = s;
	int	 sp;

	for (sp = 0; sp < 3 && p < e && *p == ' '; sp++)
		p++;
	if (p + 1 < e && (*p == '-' || *p == '*') && is_space(p[1])) {
		*kind = BLK_UL;
		return p + 2;
	}
	for (sp = 0; sp < 9 && p < e && *p >= '0' && *p <= '9'; sp++)
		p++;
	if (sp > 0 && p + 1 < e && (*p == '.' || *p == ')') &&
	    is_space(p[1]) && (p[-1] >= '0' && p[-1] <= '9')) {
		*kind = BLK_OL;
		return p + 2;
	}
	return NULL;
}

static bool
is_fence(const char *s, const char *e)
{
	return e - s >= 3 && strncmp(s, "```", 3) == 0;
}

/* One line [s, e) outside a code block. */
static void
block(struct mk *m, char *s, char *e)
{
	xmlNodePtr	 parent = m->root;
	enum blk	 kind;
	char		*item, *p;

	while (e > s && (is_space((unsigned char)e[-1])))
		e--;
	for (p = s; p < e && is_space((unsigned char)*p); p++)
		;
	if (p == e) {
		close_block(m);
		return;
	}
	if ((item = list_item(s, e, &kind)) != NULL) {
		if (m->kind != kind) {
			close_block(m);
			m->kind = kind;
			if (parent != NULL)
				m->list = pt_xml_elem(parent, kind == BLK_UL ?
				    "ul" : "ol");
		}
		if (m->list != NULL)
			m->blk = pt_xml_elem(m->list, "li");
		while (item < e && is_space((unsigned char)*item))
			item++;
		inline_run(m, m->blk, item, e);
		return;
	}
	if (m->kind == BLK_NONE) {
		m->kind = BLK_P;
		if (parent != NULL)
			m->blk = pt_xml_elem(parent, "p");
	} else if (m->blk != NULL)
		(void)pt_xml_elem(m->blk, "br");
	inline_run(m, m->blk, p, e);
}

/* Runs the parser over src; the tree goes under m->root if set. */
static void
parse(struct mk *m, const char *src)
{
	char	*buf, *r, *w, *s, *e, *code;
	size_t	 len = strlen(src);

	buf = malloc(len + 1);
	if (buf == NULL)
		abort();
	/* CRLF and lone CR become LF. */
	for (r = (char *)src, w = buf; *r != '\0'; r++) {
		if (*r == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else
			*w++ = *r;
	}
	*w = '\0';

	for (s = buf; *s != '\0'; s = *e == '\0' ? e : e + 1) {
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		if (!is_fence(s, e)) {
			block(m, s, e);
			continue;
		}
		/* A code block: verbatim up to the closing fence or the end. */
		close_block(m);
		code = *e == '\0' ? e : e + 1;
		for (s = code; *s != '\0'; s = *e == '\0' ? e : e + 1) {
			e = strchr(s, '\n');
			if (e == NULL)
				e = s + strlen(s);
			if (is_fence(s, e))
				break;
		}
		if (m->root != NULL) {
			/* Without the newline before the closing fence. */
			char *end = s > code && s[-1] == '\n' && *s != '\0' ?
			    s - 1 : s;
			(void)emit(m->root, "pre", code, end);
		}
		if (*s == '\0')
			break;
	}
	free(buf);
}

size_t
pt_markup_mentions(struct pt_arena *a, const char *src, const char **out,
    size_t max)
{
	struct mk	 m;

	memset(&m, 0, sizeof(m));
	m.arena = a;
	m.found = out;
	m.maxfound = max;
	parse(&m, src != NULL ? src : "");
	return m.nfound;
}

void
pt_markup_xml(xmlNodePtr parent, const char *src,
    const struct pt_markup_user *users, size_t nusers)
{
	struct mk	 m;

	memset(&m, 0, sizeof(m));
	m.root = parent;
	m.users = users;
	m.nusers = nusers;
	parse(&m, src != NULL ? src : "");
}
