/*
 * fuzz_ldap_escape.c - libFuzzer target for the LDAP filter value escaper
 * and the DN comparison (modules/auth/ldap.c).
 *
 * Escapes arbitrary bytes (up to the first NUL: logins are C strings) with
 * pt_ldap_escape and checks what makes the result safe to put in a filter:
 * no '*', '(' or ')' and no control character or DEL survive, every '\'
 * starts exactly two lower-case hex digits, the output is valid UTF-8 and
 * at most three times as long, and unescaping it gives the input back, so
 * the value can only ever match itself.  Then splits the input at its
 * first newline into two strings and checks that pt_ldap_dn_equal is
 * symmetric and that a string is equal to itself whenever it is equal to
 * anything.  Any violation aborts.
 *
 * Seeds: tests/fuzz/corpus/ldap_escape/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"
/* By path: the fuzz build has only fcgi/ on the include path. */
#include "../../modules/auth/ldap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
check_escape(const char *in, size_t len)
{
	struct pt_arena	*a = pt_arena_new();
	char		*out = NULL, *dec;
	size_t		 olen, i, o = 0;

	if (pt_ldap_escape(a, in, &out) != PT_OK || out == NULL)
		abort();
	olen = strlen(out);
	if (olen > len * 3 || !pt_utf8_valid(out, olen))
		abort();
	if ((dec = malloc(olen + 1)) == NULL)
		abort();
	for (i = 0; i < olen; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c == '*' || c == '(' || c == ')' || c < 0x20 || c == 0x7f)
			abort();
		if (c == '\\') {
			if (i + 2 >= olen)
				abort();
			if (hexval(out[i + 1]) < 0 || hexval(out[i + 2]) < 0)
				abort();
			dec[o++] = (char)(hexval(out[i + 1]) << 4 |
			    hexval(out[i + 2]));
			i += 2;
		} else
			dec[o++] = (char)c;
	}
	if (o != len || memcmp(dec, in, len) != 0)
		abort();
	free(dec);
	pt_arena_free(a);
}

static void
check_dn(const char *s)
{
	const char	*nl;
	char		*x, *y;
	bool		 xy;

	if ((nl = strchr(s, '\n')) == NULL)
		nl = s + strlen(s);
	if ((x = strndup(s, (size_t)(nl - s))) == NULL ||
	    (y = strdup(*nl != '\0' ? nl + 1 : "")) == NULL)
		abort();
	xy = pt_ldap_dn_equal(x, y);
	if (xy != pt_ldap_dn_equal(y, x))
		abort();
	if (xy && (!pt_ldap_dn_equal(x, x) || !pt_ldap_dn_equal(y, y)))
		abort();
	free(x);
	free(y);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	size_t	 len;

	/* A private NUL-terminated copy, cut at the first NUL. */
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	len = strlen(s);
	check_escape(s, len);
	check_dn(s);
	free(s);
	return 0;
}
