/*
 * fuzz_urlencoded.c - libFuzzer target for pt_parse_urlencoded
 * (fcgi/request.c), the parser of query strings and form bodies.
 *
 * The first byte picks fields_max (0..255), the rest is the input.  On
 * PT_PARSE_OK every pair must have a non-NULL key and value, a vlen that
 * matches the value, valid UTF-8 without control characters but TAB, CR
 * and LF, and there must be no more than fields_max pairs.  Any violation
 * aborts.
 *
 * Seeds: tests/fuzz/corpus/urlencoded/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
text_ok(const char *s, size_t len)
{
	size_t	 i;

	if (s == NULL || strlen(s) != len || !pt_utf8_valid(s, len))
		abort();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
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
	rc = pt_parse_urlencoded(a, src, size, max, &l);
	if (rc == PT_PARSE_OK) {
		if (l.n > max)
			abort();
		for (i = 0; i < l.n; i++) {
			text_ok(l.v[i].key, strlen(l.v[i].key));
			text_ok(l.v[i].val, l.v[i].vlen);
		}
	} else if (rc != PT_PARSE_BAD && rc != PT_PARSE_TOOMANY)
		abort();
	free(src);
	pt_arena_reset(a);
	return 0;
}
