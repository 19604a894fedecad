/*
 * request.c - parsers for what a client sends: percent-encoding, query
 * strings and urlencoded bodies, cookies, UTF-8 validation.
 *
 * These are pure functions of their input (no globals, no I/O), which is
 * what lets tests/fuzz/ drive them directly.  The limits they enforce come
 * from struct pt_limits; which HTTP status a failure maps to is decided by
 * fcgi/dispatch.c, not here.
 *
 * API: pt_utf8_seq, pt_utf8_valid, pt_url_decode, pt_parse_urlencoded, pt_parse_cookies,
 * and the encoders that go with them: pt_url_encode, pt_b64url_encode.
 * To accept another body encoding (multipart comes with the collateral
 * module), add a parser here with a fuzz target in tests/fuzz/.
 */
#include <string.h>

#include "portico.h"

/*
 * Returns the length of the well-formed UTF-8 sequence at s[0..len): 1 for
 * an ASCII byte (controls included: callers decide about those), 2 to 4
 * for a multi-byte character, 0 for a byte that starts none (a stray
 * continuation byte, an overlong form, a surrogate, a code point above
 * U+10FFFF, a truncated sequence).  len must be at least 1.
 */
size_t
pt_utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		/* The second byte's range rules out overlongs and surrogates. */
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Returns true if s[0..len) is well-formed UTF-8 (RFC 3629) and holds no
 * NUL.
 */
bool
pt_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (i < len) {
		if (p[i] == 0 || (n = pt_utf8_seq(p + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes src[0..len) into dst (len + 1 bytes) and NUL-terminates it.
 * Returns PT_OK with *outlen set, or PT_ERR for a bad escape, a NUL, a
 * control character other than TAB, CR or LF, or invalid UTF-8.  Control
 * characters are refused here, once, so that no later layer (logs, XML,
 * SQL, headers) meets a decoded ESC or NUL.
 */
int
pt_url_decode(char *dst, const char *src, size_t len, bool plus, size_t *outlen)
{
	size_t		 i, o = 0;
	int		 hi, lo;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (c == '%') {
			if (len - i < 3 ||
			    (hi = hexval((unsigned char)src[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)src[i + 2])) < 0)
				return PT_ERR;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return PT_ERR;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	if (!pt_utf8_valid(dst, o))
		return PT_ERR;
	*outlen = o;
	return PT_OK;
}

/*
 * Parses "a=1&b=2" (a query string or an application/x-www-form-urlencoded
 * body) and appends the pairs to out.  Empty pairs ("a=1&&b=2") are
 * skipped; a key without '=' gets the empty value; keys may repeat.
 * Returns PT_PARSE_OK, PT_PARSE_BAD for malformed encoding, or
 * PT_PARSE_TOOMANY when more than fields_max pairs arrive.
 */
enum pt_parse
pt_parse_urlencoded(struct pt_arena *a, const char *s, size_t len,
    size_t fields_max, struct pt_kvlist *out)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	char		*key, *val;
	size_t		 klen, vlen, n = 0;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (++n > fields_max)
			return PT_PARSE_TOOMANY;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		key = pt_alloc(a, (size_t)(eq - p) + 1);
		if (pt_url_decode(key, p, (size_t)(eq - p), true, &klen) != PT_OK)
			return PT_PARSE_BAD;
		if (eq < amp) {
			val = pt_alloc(a, (size_t)(amp - eq));
			if (pt_url_decode(val, eq + 1, (size_t)(amp - eq - 1),
			    true, &vlen) != PT_OK)
				return PT_PARSE_BAD;
		} else {
			val = pt_strdup(a, "");
			vlen = 0;
		}
		pt_kv_add(a, out, key, val, vlen);
		p = amp < end ? amp + 1 : end;
	}
	return PT_PARSE_OK;
}

static bool
cookie_name_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '=' && c != ';';
}

/*
 * Parses a Cookie header ("a=1; b=2") into out.  Values may be quoted
 * (the quotes are removed) and are not percent-decoded, since cookies set
 * by Portico never need it.
 *
 * The host may carry other applications' cookies, set by scripts or sibling
 * hosts we do not control, so a pair we could not have set (no '=', a name
 * with spaces or non-ASCII bytes, a value that is not UTF-8) is skipped, not
 * refused: refusing would let any of them lock partners out of the portal.
 * What is refused (PT_PARSE_BAD) is what no browser sends at all: control
 * characters.
 */
enum pt_parse
pt_parse_cookies(struct pt_arena *a, const char *s, size_t len,
    size_t fields_max, struct pt_kvlist *out)
{
	const char	*p = s, *end = s + len, *semi, *eq, *vs, *ve, *q, *next;
	size_t		 n = 0;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			semi = end;
		if (semi == p) {
			p++;
			continue;
		}
		if (++n > fields_max)
			return PT_PARSE_TOOMANY;
		for (q = p; q < semi; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				return PT_PARSE_BAD;
		next = semi < end ? semi + 1 : end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL || eq == p) {
			p = next;
			continue;
		}
		for (q = p; q < eq && cookie_name_char((unsigned char)*q); q++)
			continue;
		if (q < eq) {
			p = next;
			continue;
		}
		vs = eq + 1;
		ve = semi;
		while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (pt_utf8_valid(vs, (size_t)(ve - vs)))
			pt_kv_add(a, out, pt_strndup(a, p, (size_t)(eq - p)),
			    pt_strndup(a, vs, (size_t)(ve - vs)),
			    (size_t)(ve - vs));
		p = next;
	}
	return PT_PARSE_OK;
}

/*
 * Percent-encodes s for a URL's query or path: every byte but the RFC 3986
 * unreserved characters and those in keep ("/" for a path kept readable in
 * a query value, "" for strict encoding).  Returns an arena string.
 */
char *
pt_url_encode(struct pt_arena *a, const char *s, const char *keep)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;
	unsigned char		 c;

	o = out = pt_alloc(a, strlen(s) * 3 + 1);
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL ||
		    strchr(keep, c) != NULL)
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/*
 * Returns the unpadded base64url encoding (RFC 4648 §5) of buf[0..len),
 * arena-allocated: session tokens, PKCE challenges, JOSE.
 */
char *
pt_b64url_encode(struct pt_arena *a, const unsigned char *buf, size_t len)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	char			*out, *o;
	size_t			 i;
	unsigned long		 v;

	o = out = pt_alloc(a, len / 3 * 4 + 4 + 1);
	for (i = 0; i + 3 <= len; i += 3) {
		v = (unsigned long)buf[i] << 16 |
		    (unsigned long)buf[i + 1] << 8 | buf[i + 2];
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = tab[v >> 6 & 63];
		*o++ = tab[v & 63];
	}
	if (len - i == 1) {
		v = (unsigned long)buf[i] << 16;
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
	} else if (len - i == 2) {
		v = (unsigned long)buf[i] << 16 | (unsigned long)buf[i + 1] << 8;
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = tab[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}
