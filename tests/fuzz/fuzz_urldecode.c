/*
 * fuzz_urldecode.c - libFuzzer target for pt_url_decode (fcgi/request.c).
 *
 * Decodes arbitrary bytes with and without '+' as space and checks what
 * the contract promises of a success: the output is no longer than the
 * input, NUL-terminated at outlen, valid UTF-8 without NUL, and free of
 * control characters other than TAB, CR and LF.  Any violation aborts so
 * that libFuzzer (and the corpus replay in make check) reports it.
 *
 * Seeds: tests/fuzz/corpus/urldecode/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
has_escaped_plus(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i + 2 < len; i++)
		if (s[i] == '%' && s[i + 1] == '2' &&
		    (s[i + 2] == 'B' || s[i + 2] == 'b'))
			return true;
	return false;
}

static void
check(const char *src, size_t len, bool plus)
{
	char	*dst;
	size_t	 outlen = (size_t)-1, i;

	/* Exactly len + 1 bytes, so ASan sees any overrun. */
	if ((dst = malloc(len + 1)) == NULL)
		abort();
	if (pt_url_decode(dst, src, len, plus, &outlen) == PT_OK) {
		if (outlen > len || dst[outlen] != '\0')
			abort();
		if (!pt_utf8_valid(dst, outlen))
			abort();
		for (i = 0; i < outlen; i++) {
			unsigned char c = (unsigned char)dst[i];

			if ((c < 0x20 && c != '\t' && c != '\r' &&
			    c != '\n') || c == 0x7f)
				abort();
		}
		/* No '%' escape can survive decoding without a "%25". */
		if (memchr(src, '%', len) == NULL && outlen != len)
			abort();
		/* With plus, a '+' can only come from "%2B". */
		if (plus && memchr(dst, '+', outlen) != NULL &&
		    !has_escaped_plus(src, len))
			abort();
	}
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*src;

	/* A private copy of exactly size bytes: no read past len. */
	if ((src = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(src, data, size);
	check(src, size, true);
	check(src, size, false);
	free(src);
	return 0;
}
