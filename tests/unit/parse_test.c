/*
 * parse_test.c - unit tests for the input parsers (fcgi/request.c):
 * pt_url_decode, pt_utf8_valid, pt_parse_urlencoded and pt_parse_cookies.
 *
 * These parsers see every byte a client sends, so the tests cover the
 * hostile cases as well as the ordinary ones: bad and truncated escapes,
 * %00 and control characters, invalid and overlong UTF-8, repeated and
 * empty pairs, and the fields_max limit.
 *
 * To add a case, add a row to one of the tables or a call in main().
 */
#include <string.h>

#include "portico.h"
#include "tap.h"

/* ------------------------------------------------------ pt_url_decode */

struct dcase {
	const char	*in;
	size_t		 inlen;		/* 0: strlen(in) */
	bool		 plus;
	int		 rc;
	const char	*out;		/* expected output for PT_OK */
	size_t		 outlen;	/* 0: strlen(out) */
	const char	*what;
};

static const struct dcase dcases[] = {
	{ "", 0, true, PT_OK, "", 0, "empty input" },
	{ "plain", 0, true, PT_OK, "plain", 0, "no escapes" },
	{ "a%20b", 0, true, PT_OK, "a b", 0, "%20" },
	{ "%41%42%43", 0, false, PT_OK, "ABC", 0, "consecutive escapes" },
	{ "%4a%4A", 0, false, PT_OK, "JJ", 0, "lower and upper case hex" },
	{ "a+b", 0, true, PT_OK, "a b", 0, "'+' is a space when plus" },
	{ "a+b", 0, false, PT_OK, "a+b", 0, "'+' is kept when not plus" },
	{ "%2B", 0, true, PT_OK, "+", 0, "%2B is a literal plus" },
	{ "%25", 0, true, PT_OK, "%", 0, "%25 is a literal percent" },
	{ "%2525", 0, true, PT_OK, "%25", 0, "decoding is done once" },
	{ "a%09b%0d%0Ac", 0, true, PT_OK, "a\tb\r\nc", 0, "TAB, CR and LF pass" },
	{ "%C3%A9t%C3%A9", 0, true, PT_OK, "\xc3\xa9t\xc3\xa9", 0,
	    "two-byte UTF-8" },
	{ "%E2%82%AC", 0, true, PT_OK, "\xe2\x82\xac", 0, "three-byte UTF-8" },
	{ "%F0%9F%98%80", 0, true, PT_OK, "\xf0\x9f\x98\x80", 0,
	    "four-byte UTF-8" },
	{ "\xc3\xa9", 0, true, PT_OK, "\xc3\xa9", 0, "raw UTF-8 passes" },
	{ "%EF%BF%BD", 0, true, PT_OK, "\xef\xbf\xbd", 0, "U+FFFD" },
	{ "%F4%8F%BF%BF", 0, true, PT_OK, "\xf4\x8f\xbf\xbf", 0, "U+10FFFF" },
	{ "%", 0, true, PT_ERR, NULL, 0, "lone %" },
	{ "abc%", 0, true, PT_ERR, NULL, 0, "trailing %" },
	{ "%4", 0, true, PT_ERR, NULL, 0, "truncated escape" },
	{ "a%4", 0, true, PT_ERR, NULL, 0, "truncated escape at end" },
	{ "%G1", 0, true, PT_ERR, NULL, 0, "non-hex first digit" },
	{ "%4G", 0, true, PT_ERR, NULL, 0, "non-hex second digit" },
	{ "%%41", 0, true, PT_ERR, NULL, 0, "%% is not an escape" },
	{ "% 1", 0, true, PT_ERR, NULL, 0, "space in escape" },
	{ "%-1", 0, true, PT_ERR, NULL, 0, "sign in escape" },
	{ "%00", 0, true, PT_ERR, NULL, 0, "%00" },
	{ "a%00b", 0, true, PT_ERR, NULL, 0, "%00 in the middle" },
	{ "a\0b", 3, true, PT_ERR, NULL, 0, "raw NUL inside len" },
	{ "%01", 0, true, PT_ERR, NULL, 0, "%01" },
	{ "%1F", 0, true, PT_ERR, NULL, 0, "%1F" },
	{ "%1b[31m", 0, true, PT_ERR, NULL, 0, "escape sequence (ESC)" },
	{ "%7F", 0, true, PT_ERR, NULL, 0, "%7F (DEL)" },
	{ "a\x01" "b", 0, true, PT_ERR, NULL, 0, "raw control character" },
	{ "a\x1b" "b", 0, true, PT_ERR, NULL, 0, "raw ESC" },
	{ "%FF", 0, true, PT_ERR, NULL, 0, "0xFF is never UTF-8" },
	{ "%FE", 0, true, PT_ERR, NULL, 0, "0xFE is never UTF-8" },
	{ "%80", 0, true, PT_ERR, NULL, 0, "lone continuation byte" },
	{ "%C3", 0, true, PT_ERR, NULL, 0, "truncated two-byte sequence" },
	{ "%C3x", 0, true, PT_ERR, NULL, 0, "two-byte lead then ASCII" },
	{ "%C3%28", 0, true, PT_ERR, NULL, 0, "bad continuation" },
	{ "%E2%82", 0, true, PT_ERR, NULL, 0, "truncated three-byte sequence" },
	{ "%F0%9F%98", 0, true, PT_ERR, NULL, 0, "truncated four-byte sequence" },
	{ "%C0%AF", 0, true, PT_ERR, NULL, 0, "overlong '/' (C0 AF)" },
	{ "%C1%BF", 0, true, PT_ERR, NULL, 0, "overlong (C1 BF)" },
	{ "%C0%80", 0, true, PT_ERR, NULL, 0, "overlong NUL (C0 80)" },
	{ "%E0%80%AF", 0, true, PT_ERR, NULL, 0, "overlong three-byte '/'" },
	{ "%E0%9F%BF", 0, true, PT_ERR, NULL, 0, "overlong three-byte U+07FF" },
	{ "%F0%80%80%AF", 0, true, PT_ERR, NULL, 0, "overlong four-byte" },
	{ "%F0%8F%BF%BF", 0, true, PT_ERR, NULL, 0, "overlong four-byte U+FFFF" },
	{ "%ED%A0%80", 0, true, PT_ERR, NULL, 0, "UTF-16 surrogate U+D800" },
	{ "%ED%BF%BF", 0, true, PT_ERR, NULL, 0, "UTF-16 surrogate U+DFFF" },
	{ "%F4%90%80%80", 0, true, PT_ERR, NULL, 0, "above U+10FFFF" },
	{ "%F5%80%80%80", 0, true, PT_ERR, NULL, 0, "lead byte F5" },
	{ "%F8%88%80%80%80", 0, true, PT_ERR, NULL, 0, "five-byte form" },
	{ "\xc3", 0, true, PT_ERR, NULL, 0, "raw truncated UTF-8" },
	{ "\xc0\xaf", 0, true, PT_ERR, NULL, 0, "raw overlong UTF-8" },
	{ "\xff", 0, true, PT_ERR, NULL, 0, "raw 0xFF" },
};

static void
url_decode(void)
{
	char	 dst[64];
	size_t	 i, outlen, inlen, wlen;
	int	 rc;

	for (i = 0; i < PT_NELEM(dcases); i++) {
		const struct dcase *c = &dcases[i];

		inlen = c->inlen ? c->inlen : strlen(c->in);
		memset(dst, 'X', sizeof(dst));
		outlen = 9999;
		rc = pt_url_decode(dst, c->in, inlen, c->plus, &outlen);
		if (c->rc != PT_OK) {
			is_int(rc, PT_ERR, "pt_url_decode refuses: %s", c->what);
			continue;
		}
		if (!is_int(rc, PT_OK, "pt_url_decode accepts: %s", c->what))
			continue;
		wlen = c->outlen ? c->outlen : strlen(c->out);
		is_mem(dst, outlen, c->out, wlen, "pt_url_decode output: %s",
		    c->what);
		ok(outlen <= inlen && dst[outlen] == '\0',
		    "pt_url_decode NUL-terminates: %s", c->what);
	}

	/* The decoder must not read past len. */
	rc = pt_url_decode(dst, "ab%41", 3, true, &outlen);
	is_int(rc, PT_ERR, "an escape cut by len is refused (no read past len)");
	rc = pt_url_decode(dst, "abcdef", 3, true, &outlen);
	ok(rc == PT_OK && outlen == 3 && strcmp(dst, "abc") == 0,
	    "pt_url_decode decodes only len bytes");
}

static void
utf8(void)
{
	ok(pt_utf8_valid("", 0), "empty string is valid UTF-8");
	ok(pt_utf8_valid("abc", 3), "ASCII is valid UTF-8");
	ok(pt_utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9),
	    "2, 3 and 4 byte sequences are valid");
	ok(!pt_utf8_valid("a\0b", 3), "NUL is refused");
	ok(!pt_utf8_valid("\xc0\xaf", 2), "overlong is refused");
	ok(!pt_utf8_valid("\xed\xa0\x80", 3), "surrogate is refused");
	ok(!pt_utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF is refused");
	ok(!pt_utf8_valid("\xe2\x82", 2), "truncated sequence is refused");
	ok(!pt_utf8_valid("\x80", 1), "lone continuation is refused");
	ok(pt_utf8_valid("\xc3\xa9xyz", 2), "only len bytes are checked");
	ok(!pt_utf8_valid("\xc3\xa9", 1), "a sequence cut by len is refused");
}

/* ------------------------------------------------ pt_parse_urlencoded */

static int
kv_is(const struct pt_kvlist *l, size_t i, const char *k, const char *v)
{
	if (i >= l->n || l->v[i].key == NULL || l->v[i].val == NULL)
		return 0;
	return strcmp(l->v[i].key, k) == 0 && strcmp(l->v[i].val, v) == 0 &&
	    l->v[i].vlen == strlen(v);
}

static void
dump_kv(const struct pt_kvlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		diag("  [%zu] \"%s\" = \"%s\" (%zu)", i,
		    l->v[i].key ? l->v[i].key : "(null)",
		    l->v[i].val ? l->v[i].val : "(null)", l->v[i].vlen);
}

static enum pt_parse
ue(struct pt_arena *a, const char *s, size_t max, struct pt_kvlist *l)
{
	memset(l, 0, sizeof(*l));
	return pt_parse_urlencoded(a, s, strlen(s), max, l);
}

static void
urlencoded(void)
{
	struct pt_arena		*a = pt_arena_new();
	struct pt_kvlist	 l;
	enum pt_parse		 rc;

	rc = ue(a, "", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 0, "empty input: OK, no pairs");

	rc = ue(a, "a=1&b=2", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "a=1&b=2");

	rc = ue(a, "x=1&y=2&x=3&x=4", 100, &l);
	if (!ok(rc == PT_PARSE_OK && l.n == 4 && kv_is(&l, 0, "x", "1") &&
	    kv_is(&l, 1, "y", "2") && kv_is(&l, 2, "x", "3") &&
	    kv_is(&l, 3, "x", "4"), "repeated keys are kept in order"))
		dump_kv(&l);
	is_str(pt_kv_get(&l, "x"), "1", "pt_kv_get returns the first of them");

	rc = ue(a, "flag", 100, &l);
	if (!ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "flag", ""),
	    "a key without '=' has an empty value"))
		dump_kv(&l);
	rc = ue(a, "a=1&flag&b=2", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 3 && kv_is(&l, 1, "flag", ""),
	    "a key without '=' between pairs");
	rc = ue(a, "a=", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", ""),
	    "a key with '=' and no value");

	rc = ue(a, "&&", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 0, "\"&&\": OK, no pairs");
	rc = ue(a, "a=1&&b=2&", 100, &l);
	if (!ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "empty pairs are skipped"))
		dump_kv(&l);
	rc = ue(a, "&a=1", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "1"),
	    "a leading '&' is skipped");

	rc = ue(a, "q=a+b%21&n%61me=J%C3%A9r%C3%B4me", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "q", "a b!") &&
	    kv_is(&l, 1, "name", "J\xc3\xa9r\xc3\xb4me"),
	    "keys and values are percent-decoded, '+' is a space");
	rc = ue(a, "a=b=c", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "b=c"),
	    "the value runs to the next '&' and may contain '='");
	rc = ue(a, "a=%26%3D", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "&="),
	    "escaped '&' and '=' are data, not separators");

	ok(ue(a, "a=%zz", 100, &l) == PT_PARSE_BAD, "bad escape: BAD");
	ok(ue(a, "a=1&b=%", 100, &l) == PT_PARSE_BAD, "trailing %%: BAD");
	ok(ue(a, "a=%00", 100, &l) == PT_PARSE_BAD, "%%00 in a value: BAD");
	ok(ue(a, "%00=1", 100, &l) == PT_PARSE_BAD, "%%00 in a key: BAD");
	ok(ue(a, "a=%C0%AF", 100, &l) == PT_PARSE_BAD, "overlong UTF-8: BAD");
	ok(ue(a, "a=%FF", 100, &l) == PT_PARSE_BAD, "invalid UTF-8: BAD");
	ok(ue(a, "a=%07", 100, &l) == PT_PARSE_BAD, "control character: BAD");

	rc = ue(a, "a=1&b=2&c=3", 2, &l);
	is_int(rc, PT_PARSE_TOOMANY, "three pairs with fields_max 2: TOOMANY");
	rc = ue(a, "a=1&b=2", 2, &l);
	ok(rc == PT_PARSE_OK && l.n == 2, "two pairs with fields_max 2: OK");
	rc = ue(a, "a&a&a&a&a&a&a&a&a&a&a", 10, &l);
	is_int(rc, PT_PARSE_TOOMANY, "eleven bare keys with fields_max 10");

	/* The output list is appended to, not replaced. */
	memset(&l, 0, sizeof(l));
	rc = pt_parse_urlencoded(a, "a=1", 3, 100, &l);
	rc |= pt_parse_urlencoded(a, "b=2", 3, 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "a second parse appends to the list");

	/* Only len bytes are parsed. */
	memset(&l, 0, sizeof(l));
	rc = pt_parse_urlencoded(a, "a=1&b=2", 3, 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "1"),
	    "only len bytes are parsed");
	pt_arena_free(a);
}

/* --------------------------------------------------- pt_parse_cookies */

static enum pt_parse
ck(struct pt_arena *a, const char *s, size_t max, struct pt_kvlist *l)
{
	memset(l, 0, sizeof(*l));
	return pt_parse_cookies(a, s, strlen(s), max, l);
}

static void
cookies(void)
{
	struct pt_arena		*a = pt_arena_new();
	struct pt_kvlist	 l;
	enum pt_parse		 rc;
	const char		*v;

	rc = ck(a, "", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 0, "empty Cookie header");
	rc = ck(a, "sid=abc123", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "sid", "abc123"),
	    "one cookie");
	rc = ck(a, "a=1; b=2", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "two cookies, RFC 6265 separator");
	rc = ck(a, "a=1;b=2", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "separator without a space");
	rc = ck(a, "  a=1 ;   b=2  ", 100, &l);
	if (!ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "spaces around pairs are trimmed"))
		dump_kv(&l);
	rc = ck(a, "a=1; ", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "1"),
	    "a trailing separator");
	rc = ck(a, "a=1; a=2", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "a", "2"), "repeated names are kept in order");
	rc = ck(a, "a=%41+b", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "%41+b"),
	    "values are not percent-decoded");
	rc = ck(a, "tok=a=b==", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "tok", "a=b=="),
	    "a value may contain '=' (base64 padding)");
	rc = ck(a, "e=", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "e", ""),
	    "an empty value");

	/* RFC 6265 allows DQUOTE *cookie-octet DQUOTE. */
	rc = ck(a, "q=\"hello\"; b=2", 100, &l);
	v = rc == PT_PARSE_OK ? pt_kv_get(&l, "q") : NULL;
	if (!ok(rc == PT_PARSE_OK && l.n == 2 && v != NULL &&
	    (strcmp(v, "hello") == 0 || strcmp(v, "\"hello\"") == 0) &&
	    kv_is(&l, 1, "b", "2"), "a quoted value"))
		dump_kv(&l);
	if (v != NULL)
		diag("quoted value kept as <%s>", v);

	/*
	 * Other applications on the same domain set cookies we do not
	 * control; a malformed pair must not lose the good ones.
	 */
	rc = ck(a, "junk; a=1", 100, &l);
	if (!ok(rc == PT_PARSE_OK && pt_kv_get(&l, "a") != NULL &&
	    strcmp(pt_kv_get(&l, "a"), "1") == 0,
	    "a pair without '=' does not lose the next cookie"))
		dump_kv(&l);
	rc = ck(a, ";;;", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 0, "only separators");
	rc = ck(a, "a=1;;b=2", 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "b", "2"), "an empty pair between cookies");
	rc = ck(a, "a=1\x01; b=2", 100, &l);
	v = pt_kv_get(&l, "a");
	ok(v == NULL || strchr(v, '\x01') == NULL,
	    "a control character never reaches a cookie value");

	is_int(rc, PT_PARSE_BAD, "a control character refuses the header");
	rc = ck(a, "bad name=x; a=1; =y; c=\xff\xfe; d=2", 100, &l);
	if (!ok(rc == PT_PARSE_OK && l.n == 2 && kv_is(&l, 0, "a", "1") &&
	    kv_is(&l, 1, "d", "2"), "pairs we could not have set (a name with "
	    "a space, no name, a value that is not UTF-8) are skipped, the "
	    "others kept"))
		dump_kv(&l);

	rc = ck(a, "a=1; b=2; c=3", 2, &l);
	is_int(rc, PT_PARSE_TOOMANY, "three cookies with fields_max 2");
	rc = ck(a, "a=1; b=2", 2, &l);
	ok(rc == PT_PARSE_OK && l.n == 2, "two cookies with fields_max 2");

	memset(&l, 0, sizeof(l));
	rc = pt_parse_cookies(a, "a=1; b=2", 3, 100, &l);
	ok(rc == PT_PARSE_OK && l.n == 1 && kv_is(&l, 0, "a", "1"),
	    "only len bytes are parsed");
	pt_arena_free(a);
}

int
main(void)
{
	url_decode();
	utf8();
	urlencoded();
	cookies();
	return done();
}
