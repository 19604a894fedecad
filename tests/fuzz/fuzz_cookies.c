/*
 * fuzz_cookies.c - libFuzzer target for pt_parse_cookies (fcgi/request.c).
 *
 * The first byte picks fields_max (0..255), the rest is a Cookie header.
 * On PT_PARSE_OK there are at most fields_max cookies, each with a
 * non-empty name free of '=', ';' and blanks, and a value whose vlen is
 * right and which holds no ';', no control character and no invalid UTF-8
 * (a cookie value ends up in logs and XML).  Any violation aborts.
 *
 * Seeds: tests/fuzz/corpus/cookies/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
value_ok(const char *s, size_t len)
{
	size_t	 i;

	if (s == NULL || strlen(s) != len || !pt_utf8_valid(s, len))
		abort();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == ';')
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_arena	*a;
	struct pt_kvlist	 l;
	enum pt_parse		 rc;
	size_t			 max, i;
	char			*src;

	if (size < 1)
		return 0;
	if (a == NULL)
		a = pt_arena_new();
	max = data[0];
	data++;
	size--;
	if ((src = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(src, data, size);
	memset(&l, 0, sizeof(l));
	rc = pt_parse_cookies(a, src, size, max, &l);
	if (rc == PT_PARSE_OK) {
		if (l.n > max)
			abort();
		for (i = 0; i < l.n; i++) {
			const char *k = l.v[i].key;

			if (k == NULL || *k == '\0' ||
			    strpbrk(k, "=; \t\r\n") != NULL)
				abort();
			value_ok(k, strlen(k));
			value_ok(l.v[i].val, l.v[i].vlen);
		}
	} else if (rc != PT_PARSE_BAD && rc != PT_PARSE_TOOMANY)
		abort();
	free(src);
	pt_arena_reset(a);
	return 0;
}
