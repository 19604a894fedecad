/*
 * fuzz_jws.c - libFuzzer target for the JOSE parsers (modules/auth/jose.c).
 *
 * The first byte picks what the rest is:
 *   0  a compact JWS: pt_jws_parse, then pt_jwks_find and pt_jws_verify
 *      against the fixed JWKS below (an RSA and a P-256 key whose private
 *      halves signed the seeds jws-rs256 and jws-es256 and were thrown
 *      away).  On PT_OK the algorithm is RS256 or ES256, header and claims
 *      are objects, the signing input is exactly the bytes before the
 *      second '.', and the signature re-encodes to the third part (one
 *      token, one reading);
 *   1  a JWK Set: pt_jwks_parse; every key kept has a key and an algorithm
 *      and there are at most PT_JWKS_KEYS_MAX of them;
 *   2  a claims set: pt_jwt_check against fixed expectations; a refusal
 *      always has a reason;
 *   3  base64url: whatever pt_b64url_decode accepts, pt_b64url_encode
 *      gives back byte for byte (decoding is canonical).
 * Any violation aborts.
 *
 * Seeds: tests/fuzz/corpus/jws/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"
#include "../../modules/auth/jose.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char jwks_json[] =
	"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"fz-rsa\",\"n\":\"zkrbE"
	"UCv9YnuQSXu77McIro7v0o0pITs9inOMXx8LuTLufuPbLrKOfEdLLI-aeZvX"
	"j7T1FtgZKbrvmzilHMV7FhJcYA9cJvB-hLAo15Fi2GyFFrwghGEt4TVyHdes"
	"TumDklFUPchaVU7fbDmy-HCA-GVsq8T8vTvSU6nqaK3XqWd5kW4_D3kKW3R0"
	"EpGRmBfCZBSwgsoFBwBCBbyXGAUfe2VsouYMuQanpTW6e2hHgsFoXVjzsnqY"
	"z2JmiTzNr58ZnPSlJJrVEm2G-KxmDAZ87hfD2sCkWhSPkHzUl4xAQFgsQn_B"
	"Ahtl3jLwvPtVl2aPyjvZMbe2PNuDbkOlyfBSw\",\"e\":\"AQAB\"},{\"k"
	"ty\":\"EC\",\"kid\":\"fz-ec\",\"crv\":\"P-256\",\"x\":\"lbdO"
	"V79ZZEji0Ird04yQC8xfjsGuvrALowR7HsM8LQw\",\"y\":\"XI1hvoZiLo"
	"0XY7u-QQWkZpicKb5XYWwnR-wiUSMyMok\"}]}";

static struct pt_arena	*keep;
static struct pt_jwks	*jwks;

static void
fuzz_jws(struct pt_arena *a, const char *s, size_t len)
{
	struct pt_jws		 jws;
	const struct pt_jwk	*k;
	const char		*why = NULL, *d1, *d2;
	char			*enc;

	if (pt_jws_parse(a, s, len, PT_JOSE_ALGS_DEFAULT, &jws, &why) !=
	    PT_OK) {
		if (why == NULL)
			abort();
		return;
	}
	if ((jws.alg != PT_JOSE_RS256 && jws.alg != PT_JOSE_ES256) ||
	    !json_is_object(jws.header) || !json_is_object(jws.claims) ||
	    jws.siglen == 0 || jws.sig == NULL)
		abort();
	d1 = memchr(s, '.', len);
	d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - s)) : NULL;
	if (d2 == NULL || jws.inputlen != (size_t)(d2 - s) ||
	    memcmp(jws.input, s, jws.inputlen) != 0 ||
	    jws.input[jws.inputlen] != '\0')
		abort();
	enc = pt_b64url_encode(a, jws.sig, jws.siglen);
	if (strlen(enc) != len - jws.inputlen - 1 ||
	    memcmp(enc, d2 + 1, strlen(enc)) != 0)
		abort();
	if ((k = pt_jwks_find(jwks, &jws, &why)) == NULL) {
		if (why == NULL)
			abort();
		return;
	}
	if (k->alg != jws.alg)
		abort();
	why = NULL;
	if (pt_jws_verify(&jws, k, &why) != PT_OK && why == NULL)
		abort();
}

static void
fuzz_jwks(struct pt_arena *a, const char *s, size_t len)
{
	struct pt_jwks	*set;
	const char	*why = NULL;
	size_t		 i;

	if (pt_jwks_parse(a, s, len, &set, &why) != PT_OK) {
		if (why == NULL || set != NULL)
			abort();
		return;
	}
	if (set == NULL || set->n > PT_JWKS_KEYS_MAX)
		abort();
	for (i = 0; i < set->n; i++)
		if (set->keys[i].pkey == NULL ||
		    (set->keys[i].alg != PT_JOSE_RS256 &&
		    set->keys[i].alg != PT_JOSE_ES256))
			abort();
}

static void
fuzz_claims(const char *s, size_t len)
{
	struct pt_jwt_expect	 e = { "https://idp.example", "portico", "n0",
				    1700000100, 60 };
	json_error_t		 err;
	json_t			*j;
	const char		*why = NULL;
	int			 rc;

	if ((j = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err)) == NULL)
		return;
	if (json_is_object(j)) {
		rc = pt_jwt_check(j, &e, &why);
		if (rc != PT_OK && (rc != PT_DECLINED || why == NULL))
			abort();
		e.nonce = NULL;
		why = NULL;
		rc = pt_jwt_check(j, &e, &why);
		if (rc != PT_OK && (rc != PT_DECLINED || why == NULL))
			abort();
	}
	json_decref(j);
}

static void
fuzz_b64(struct pt_arena *a, const char *s, size_t len)
{
	unsigned char	*out;
	size_t		 outlen;
	char		*enc;

	if (pt_b64url_decode(a, s, len, &out, &outlen) != PT_OK)
		return;
	if (outlen != len * 3 / 4)
		abort();
	enc = pt_b64url_encode(a, out, outlen);
	if (strlen(enc) != len || memcmp(enc, s, len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_arena	*a;
	const char		*why;
	char			*s;

	/* keep is read here, so the pointer stays and LeakSanitizer sees it. */
	if (keep == NULL) {
		a = pt_arena_new();
		keep = pt_arena_new();
		if (pt_jwks_parse(keep, jwks_json, strlen(jwks_json), &jwks,
		    &why) != PT_OK || jwks->n != 2)
			abort();
	}
	if (size < 1)
		return 0;
	/* An exact-size copy, so that ASan sees any read past the end. */
	if ((s = malloc(size - 1 ? size - 1 : 1)) == NULL)
		abort();
	memcpy(s, data + 1, size - 1);
	switch (data[0] & 3) {
	case 0:
		fuzz_jws(a, s, size - 1);
		break;
	case 1:
		fuzz_jwks(a, s, size - 1);
		break;
	case 2:
		fuzz_claims(s, size - 1);
		break;
	default:
		fuzz_b64(a, s, size - 1);
		break;
	}
	free(s);
	pt_arena_reset(a);
	return 0;
}
