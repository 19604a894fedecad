/*
 * jose.c - compact JWS verification with keys from a JWKS, and the JWT
 * claim checks an OpenID Connect relying party makes (RFC 7515, 7517, 7518,
 * 7519; OIDC Core 3.1.3.7).
 *
 * API (declared in jose.h): pt_b64url_decode,
 * pt_jws_parse, pt_jwk_parse, pt_jwks_parse, pt_jwks_find, pt_jws_verify,
 * pt_jwt_check, pt_json_str.
 *
 * The code is deliberately narrow.  It verifies RS256 and ES256 and nothing
 * else; "none" and the HMAC algorithms are refused by name before any key is
 * looked at, which is what defeats the classic "HS256 signed with the RSA
 * public key" forgery.  Keys come only from the JWKS the caller fetched from
 * the issuer: header members that point elsewhere (jku, jwk, x5u, x5c) are
 * ignored, and a "crit" header is refused because no extension is
 * understood.  Every parse is strict (base64url with no padding and zero
 * trailing bits, JSON with no duplicate member names) so that one token has
 * one reading.
 *
 * Memory: results live in the caller's arena; jansson values and EVP_PKEYs
 * are registered as arena cleanups the moment they exist.  OpenSSL
 * temporaries are freed before each function returns, and the OpenSSL error
 * queue is cleared after a refusal so that a bad token leaves no stale
 * error for the next TLS handshake to misreport.
 *
 * To add an algorithm (say PS256): add it to enum pt_jose_alg, recognise
 * its name in alg_from_name(), give pt_jwk_parse() the key types it uses
 * and pt_jws_verify() its signature format, then extend
 * tests/unit/jose_test.c.
 */
#include <math.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "portico.h"
#include "jose.h"

#define ES256_COORD	32	/* bytes in a P-256 coordinate and in r, s */

/* ------------------------------------------------------------- base64url */

static int
b64url_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * Decodes src[0..len) into a new arena buffer with a NUL after the last
 * byte (handy for JSON).  Returns PT_OK with *out and *outlen set, or
 * PT_DECLINED for anything but canonical unpadded base64url.
 */
int
pt_b64url_decode(struct pt_arena *a, const char *src, size_t len,
    unsigned char **out, size_t *outlen)
{
	unsigned char	*dst;
	size_t		 i, o, rem;
	uint32_t	 acc;
	int		 v, k;

	rem = len % 4;
	if (rem == 1)
		return PT_DECLINED;
	*outlen = len / 4 * 3 + (rem == 0 ? 0 : rem - 1);
	dst = pt_alloc(a, *outlen + 1);
	for (i = 0, o = 0; i < len; ) {
		acc = 0;
		for (k = 0; k < 4 && i < len; k++, i++) {
			if ((v = b64url_val((unsigned char)src[i])) < 0)
				return PT_DECLINED;
			acc = acc << 6 | (uint32_t)v;
		}
		if (k == 4) {
			dst[o++] = (unsigned char)(acc >> 16);
			dst[o++] = (unsigned char)(acc >> 8);
			dst[o++] = (unsigned char)acc;
		} else if (k == 3) {
			/* 18 bits for 2 bytes: the low 2 must be zero. */
			if (acc & 0x3)
				return PT_DECLINED;
			dst[o++] = (unsigned char)(acc >> 10);
			dst[o++] = (unsigned char)(acc >> 2);
		} else {
			/* 12 bits for 1 byte: the low 4 must be zero. */
			if (acc & 0xf)
				return PT_DECLINED;
			dst[o++] = (unsigned char)(acc >> 4);
		}
	}
	dst[o] = '\0';
	*out = dst;
	return PT_OK;
}

/* ------------------------------------------------------------------ JSON */

static void
json_cleanup(void *p)
{
	json_decref(p);
}

/*
 * Parses buf[0..len) as one JSON object with no duplicate member names,
 * owned by the arena.  NULL if it is anything else.
 */
static json_t *
json_object_load(struct pt_arena *a, const char *buf, size_t len)
{
	json_error_t	 err;
	json_t		*j;

	/* jansson refuses \u0000 in strings unless asked, so C strings hold. */
	if ((j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err)) == NULL)
		return NULL;
	pt_arena_cleanup(a, json_cleanup, j);
	return json_is_object(j) ? j : NULL;
}

/* Returns the string member key of obj, or NULL.  Owned by obj. */
const char *
pt_json_str(const json_t *obj, const char *key)
{
	json_t	*v;

	if (obj == NULL || (v = json_object_get(obj, key)) == NULL)
		return NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads a NumericDate member: PT_OK, PT_DECLINED if absent, PT_ERR if bad. */
static int
json_time(const json_t *obj, const char *key, int64_t *out)
{
	json_t	*v;
	double	 d;

	if ((v = json_object_get(obj, key)) == NULL)
		return PT_DECLINED;
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return PT_OK;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		/* Far beyond any plausible date, and within int64_t. */
		if (!isfinite(d) || d < -1e15 || d > 1e15)
			return PT_ERR;
		/* Truncation: a second either way is within any leeway. */
		*out = (int64_t)d;
		return PT_OK;
	}
	return PT_ERR;
}

/* ------------------------------------------------------------------- JWS */

static enum pt_jose_alg
alg_from_name(const char *name, const char **why)
{
	if (strcmp(name, "RS256") == 0)
		return PT_JOSE_RS256;
	if (strcmp(name, "ES256") == 0)
		return PT_JOSE_ES256;
	if (strcmp(name, "none") == 0)
		*why = "alg none refused";
	else if (strncmp(name, "HS", 2) == 0)
		*why = "HMAC alg refused";
	else
		*why = "alg not supported";
	return PT_JOSE_ALG_NONE;
}

/* A member that, when present, must be a string: PT_OK with *out or NULL. */
static int
opt_str(const json_t *obj, const char *key, const char **out)
{
	json_t	*v;

	*out = NULL;
	if ((v = json_object_get(obj, key)) == NULL)
		return PT_OK;
	if (!json_is_string(v))
		return PT_DECLINED;
	*out = json_string_value(v);
	return PT_OK;
}

/*
 * Splits, decodes and checks a compact JWS; see jose.h.  Returns PT_OK or
 * PT_DECLINED with *why.  Everything in *out is arena-owned.
 */
int
pt_jws_parse(struct pt_arena *a, const char *tok, size_t len,
    unsigned int algs, struct pt_jws *out, const char **why)
{
	const char	*d1, *d2, *alg;
	unsigned char	*buf;
	size_t		 blen;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > PT_JWS_MAX) {
		*why = "token empty or too long";
		return PT_DECLINED;
	}
	if ((d1 = memchr(tok, '.', len)) == NULL ||
	    (d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - tok))) == NULL ||
	    memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - tok)) != NULL) {
		*why = "not a compact JWS";
		return PT_DECLINED;
	}
	if (d1 == tok || d2 == d1 + 1) {
		*why = "empty JWS header or payload";
		return PT_DECLINED;
	}

	if (pt_b64url_decode(a, tok, (size_t)(d1 - tok), &buf, &blen) !=
	    PT_OK) {
		*why = "JWS header is not base64url";
		return PT_DECLINED;
	}
	if ((out->header = json_object_load(a, (char *)buf, blen)) == NULL) {
		*why = "JWS header is not a JSON object";
		return PT_DECLINED;
	}
	if ((alg = pt_json_str(out->header, "alg")) == NULL) {
		*why = "JWS header has no alg";
		return PT_DECLINED;
	}
	if ((out->alg = alg_from_name(alg, why)) == PT_JOSE_ALG_NONE)
		return PT_DECLINED;
	if ((algs & PT_JOSE_ALG_BIT(out->alg)) == 0) {
		out->alg = PT_JOSE_ALG_NONE;
		*why = "alg not allowed";
		return PT_DECLINED;
	}
	if (json_object_get(out->header, "crit") != NULL) {
		*why = "crit header refused";
		return PT_DECLINED;
	}
	if (opt_str(out->header, "kid", &out->kid) != PT_OK ||
	    opt_str(out->header, "typ", &out->typ) != PT_OK) {
		*why = "JWS kid or typ is not a string";
		return PT_DECLINED;
	}

	if (pt_b64url_decode(a, d1 + 1, (size_t)(d2 - d1 - 1), &buf,
	    &blen) != PT_OK) {
		*why = "JWS payload is not base64url";
		return PT_DECLINED;
	}
	if ((out->claims = json_object_load(a, (char *)buf, blen)) == NULL) {
		*why = "JWS payload is not a JSON object";
		return PT_DECLINED;
	}

	if (pt_b64url_decode(a, d2 + 1, len - (size_t)(d2 + 1 - tok),
	    &out->sig, &out->siglen) != PT_OK || out->siglen == 0) {
		*why = "JWS signature is empty or not base64url";
		return PT_DECLINED;
	}
	out->inputlen = (size_t)(d2 - tok);
	out->input = pt_strndup(a, tok, out->inputlen);
	return PT_OK;
}

/* ------------------------------------------------------------------- JWK */

static void
pkey_cleanup(void *p)
{
	EVP_PKEY_free(p);
}

/* Decodes the base64url string member key of jwk: PT_OK or PT_DECLINED. */
static int
jwk_bytes(struct pt_arena *a, const json_t *jwk, const char *key,
    unsigned char **out, size_t *outlen)
{
	const char	*s;

	if ((s = pt_json_str(jwk, key)) == NULL)
		return PT_DECLINED;
	return pt_b64url_decode(a, s, strlen(s), out, outlen);
}

/* Builds *out from params for key type name; PT_OK or PT_DECLINED. */
static int
pkey_fromdata(const char *name, OSSL_PARAM *params, EVP_PKEY **out)
{
	EVP_PKEY_CTX	*ctx;
	int		 rc = PT_DECLINED;

	*out = NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, name, NULL)) == NULL)
		return PT_DECLINED;
	if (EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1)
		rc = PT_OK;
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

static int
jwk_rsa(struct pt_arena *a, const json_t *jwk, EVP_PKEY **out,
    const char **why)
{
	unsigned char	*n, *e;
	size_t		 nlen, elen;
	BIGNUM		*bn_n = NULL, *bn_e = NULL;
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	int		 bits, rc = PT_DECLINED;

	if (jwk_bytes(a, jwk, "n", &n, &nlen) != PT_OK ||
	    jwk_bytes(a, jwk, "e", &e, &elen) != PT_OK ||
	    nlen == 0 || elen == 0 || elen > 8) {
		*why = "RSA JWK without a valid n and e";
		return PT_DECLINED;
	}
	if ((bn_n = BN_bin2bn(n, (int)nlen, NULL)) == NULL ||
	    (bn_e = BN_bin2bn(e, (int)elen, NULL)) == NULL) {
		*why = "RSA JWK: out of memory";
		goto out;
	}
	bits = BN_num_bits(bn_n);
	if (bits < PT_JWK_RSA_MIN_BITS || bits > PT_JWK_RSA_MAX_BITS) {
		*why = "RSA JWK modulus size out of range";
		goto out;
	}
	if (!BN_is_odd(bn_e) || BN_num_bits(bn_e) < 2) {
		*why = "RSA JWK exponent is not odd and at least 3";
		goto out;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    pkey_fromdata("RSA", params, out) != PT_OK) {
		*why = "RSA JWK refused by OpenSSL";
		goto out;
	}
	rc = PT_OK;
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	return rc;
}

static int
jwk_ec(struct pt_arena *a, const json_t *jwk, EVP_PKEY **out,
    const char **why)
{
	const char	*crv;
	unsigned char	*x, *y, pub[1 + 2 * ES256_COORD];
	size_t		 xlen, ylen;
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*chk = NULL;
	int		 rc = PT_DECLINED;

	if ((crv = pt_json_str(jwk, "crv")) == NULL ||
	    strcmp(crv, "P-256") != 0) {
		*why = "EC JWK curve is not P-256";
		return PT_DECLINED;
	}
	/* RFC 7518 6.2.1.2: coordinates are full-length octet strings. */
	if (jwk_bytes(a, jwk, "x", &x, &xlen) != PT_OK ||
	    jwk_bytes(a, jwk, "y", &y, &ylen) != PT_OK ||
	    xlen != ES256_COORD || ylen != ES256_COORD) {
		*why = "EC JWK without a valid x and y";
		return PT_DECLINED;
	}
	pub[0] = 0x04;		/* uncompressed point */
	memcpy(pub + 1, x, ES256_COORD);
	memcpy(pub + 1 + ES256_COORD, y, ES256_COORD);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "P-256", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, sizeof(pub)) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    pkey_fromdata("EC", params, out) != PT_OK) {
		*why = "EC JWK refused by OpenSSL";
		goto out;
	}
	if ((chk = EVP_PKEY_CTX_new_from_pkey(NULL, *out, NULL)) == NULL ||
	    EVP_PKEY_public_check(chk) != 1) {
		*why = "EC JWK point is not on the curve";
		EVP_PKEY_free(*out);
		*out = NULL;
		goto out;
	}
	rc = PT_OK;
out:
	EVP_PKEY_CTX_free(chk);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

/*
 * Builds a verification key from one JWK; see jose.h.  Returns PT_OK with
 * *out (the EVP_PKEY freed with the arena) or PT_DECLINED with *why.
 */
int
pt_jwk_parse(struct pt_arena *a, const json_t *jwk, struct pt_jwk *out,
    const char **why)
{
	const char	*kty, *use, *alg;
	json_t		*ops, *op;
	EVP_PKEY	*pkey = NULL;
	size_t		 i;
	bool		 verify;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(jwk)) {
		*why = "JWK is not an object";
		return PT_DECLINED;
	}
	if ((kty = pt_json_str(jwk, "kty")) == NULL) {
		*why = "JWK has no kty";
		return PT_DECLINED;
	}
	if (opt_str(jwk, "use", &use) != PT_OK ||
	    opt_str(jwk, "alg", &alg) != PT_OK ||
	    opt_str(jwk, "kid", &out->kid) != PT_OK) {
		*why = "JWK use, alg or kid is not a string";
		return PT_DECLINED;
	}
	if (use != NULL && strcmp(use, "sig") != 0) {
		*why = "JWK is not a signing key";
		return PT_DECLINED;
	}
	if ((ops = json_object_get(jwk, "key_ops")) != NULL) {
		verify = false;
		if (json_is_array(ops)) {
			json_array_foreach(ops, i, op) {
				if (json_is_string(op) && strcmp(
				    json_string_value(op), "verify") == 0)
					verify = true;
			}
		}
		if (!verify) {
			*why = "JWK key_ops do not allow verify";
			return PT_DECLINED;
		}
	}

	if (strcmp(kty, "RSA") == 0) {
		out->alg = PT_JOSE_RS256;
		if (alg != NULL && strcmp(alg, "RS256") != 0) {
			*why = "RSA JWK is for another alg";
			return PT_DECLINED;
		}
		rc = jwk_rsa(a, jwk, &pkey, why);
	} else if (strcmp(kty, "EC") == 0) {
		out->alg = PT_JOSE_ES256;
		if (alg != NULL && strcmp(alg, "ES256") != 0) {
			*why = "EC JWK is for another alg";
			return PT_DECLINED;
		}
		rc = jwk_ec(a, jwk, &pkey, why);
	} else {
		*why = "JWK kty not supported";
		return PT_DECLINED;
	}
	if (rc != PT_OK) {
		ERR_clear_error();
		out->alg = PT_JOSE_ALG_NONE;
		return PT_DECLINED;
	}
	pt_arena_cleanup(a, pkey_cleanup, pkey);
	out->pkey = pkey;
	return PT_OK;
}

/*
 * Parses a JWK Set, keeping the usable keys; see jose.h.  Returns PT_OK
 * with *out (arena-owned) or PT_DECLINED with *why.
 */
int
pt_jwks_parse(struct pt_arena *a, const char *buf, size_t len,
    struct pt_jwks **out, const char **why)
{
	json_t		*doc, *keys, *k;
	struct pt_jwks	*set;
	const char	*skip;
	size_t		 i, max;

	*out = NULL;
	if ((doc = json_object_load(a, buf, len)) == NULL) {
		*why = "JWKS is not a JSON object";
		return PT_DECLINED;
	}
	if (!json_is_array(keys = json_object_get(doc, "keys"))) {
		*why = "JWKS has no keys array";
		return PT_DECLINED;
	}
	set = pt_alloc(a, sizeof(*set));
	max = json_array_size(keys);
	if (max > PT_JWKS_KEYS_MAX)
		max = PT_JWKS_KEYS_MAX;
	set->keys = pt_alloc(a, (max ? max : 1) * sizeof(*set->keys));
	for (i = 0; i < max; i++) {
		k = json_array_get(keys, i);
		/* A key we cannot use is no reason to distrust the others. */
		if (pt_jwk_parse(a, k, &set->keys[set->n], &skip) == PT_OK)
			set->n++;
	}
	*out = set;
	return PT_OK;
}

/*
 * Picks the key for jws; see jose.h.  Returns a pointer into set or NULL
 * with *why.
 */
const struct pt_jwk *
pt_jwks_find(const struct pt_jwks *set, const struct pt_jws *jws,
    const char **why)
{
	const struct pt_jwk	*match = NULL;
	size_t			 i, count = 0;

	if (jws->alg == PT_JOSE_ALG_NONE) {
		*why = "alg not allowed";
		return NULL;
	}
	for (i = 0; set != NULL && i < set->n; i++) {
		const struct pt_jwk *k = &set->keys[i];

		if (k->alg != jws->alg)
			continue;
		if (jws->kid != NULL &&
		    (k->kid == NULL || strcmp(k->kid, jws->kid) != 0))
			continue;
		match = k;
		count++;
	}
	if (count == 1)
		return match;
	if (count == 0)
		*why = jws->kid != NULL ? "unknown kid" :
		    "no key for the token's alg";
	else
		*why = jws->kid != NULL ? "kid names several keys" :
		    "token has no kid and several keys fit";
	return NULL;
}

/*
 * JOSE carries an ECDSA signature as r || s (RFC 7518 3.4); OpenSSL wants
 * the DER ECDSA-Sig-Value.  Returns the DER length with *der to free with
 * OPENSSL_free(), or 0.
 */
static int
es256_der(const unsigned char *sig, unsigned char **der)
{
	ECDSA_SIG	*es;
	BIGNUM		*r, *s;
	int		 len;

	*der = NULL;
	if ((es = ECDSA_SIG_new()) == NULL)
		return 0;
	r = BN_bin2bn(sig, ES256_COORD, NULL);
	s = BN_bin2bn(sig + ES256_COORD, ES256_COORD, NULL);
	if (r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return 0;
	}
	len = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return len > 0 ? len : 0;
}

/*
 * Checks the signature of jws with key; see jose.h.  Returns PT_OK or
 * PT_DECLINED with *why.
 */
int
pt_jws_verify(const struct pt_jws *jws, const struct pt_jwk *key,
    const char **why)
{
	EVP_MD_CTX		*md = NULL;
	unsigned char		*der = NULL;
	const unsigned char	*sig;
	size_t			 siglen;
	int			 len, rc = PT_DECLINED;

	if (key == NULL || key->pkey == NULL ||
	    jws->alg == PT_JOSE_ALG_NONE || key->alg != jws->alg) {
		*why = "key does not fit the token's alg";
		return PT_DECLINED;
	}
	switch (jws->alg) {
	case PT_JOSE_RS256:
		if (jws->siglen != (size_t)EVP_PKEY_get_size(key->pkey)) {
			*why = "RS256 signature has the wrong length";
			return PT_DECLINED;
		}
		sig = jws->sig;
		siglen = jws->siglen;
		break;
	case PT_JOSE_ES256:
		if (jws->siglen != 2 * ES256_COORD ||
		    (len = es256_der(jws->sig, &der)) == 0) {
			*why = "ES256 signature is not r || s";
			ERR_clear_error();
			return PT_DECLINED;
		}
		sig = der;
		siglen = (size_t)len;
		break;
	default:
		*why = "alg not allowed";
		return PT_DECLINED;
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, key->pkey,
	    NULL) != 1) {
		*why = "OpenSSL could not set up verification";
		goto out;
	}
	if (EVP_DigestVerify(md, sig, siglen, (const unsigned char *)jws->input,
	    jws->inputlen) != 1) {
		*why = "bad signature";
		goto out;
	}
	rc = PT_OK;
out:
	if (rc != PT_OK)
		ERR_clear_error();
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	return rc;
}

/* ---------------------------------------------------------------- claims */

/*
 * Checks the registered claims; see jose.h.  Returns PT_OK or PT_DECLINED
 * with *why.
 */
int
pt_jwt_check(const json_t *claims, const struct pt_jwt_expect *exp,
    const char **why)
{
	const char	*iss, *azp;
	json_t		*aud, *v, *nonce;
	size_t		 i, naud = 0;
	int64_t		 t, now = (int64_t)exp->now;
	bool		 ours = false;

	if ((iss = pt_json_str(claims, "iss")) == NULL ||
	    exp->iss == NULL || strcmp(iss, exp->iss) != 0) {
		*why = "iss is not the issuer";
		return PT_DECLINED;
	}

	aud = json_object_get(claims, "aud");
	if (json_is_string(aud)) {
		naud = 1;
		ours = strcmp(json_string_value(aud), exp->aud) == 0;
	} else if (json_is_array(aud) && json_array_size(aud) > 0) {
		json_array_foreach(aud, i, v) {
			if (!json_is_string(v)) {
				*why = "aud holds a non-string";
				return PT_DECLINED;
			}
			if (strcmp(json_string_value(v), exp->aud) == 0)
				ours = true;
		}
		naud = json_array_size(aud);
	} else {
		*why = "aud missing or malformed";
		return PT_DECLINED;
	}
	if (!ours) {
		*why = "aud does not name this client";
		return PT_DECLINED;
	}
	if (json_object_get(claims, "azp") != NULL) {
		if ((azp = pt_json_str(claims, "azp")) == NULL ||
		    strcmp(azp, exp->aud) != 0) {
			*why = "azp is not this client";
			return PT_DECLINED;
		}
	} else if (naud > 1) {
		*why = "several audiences and no azp";
		return PT_DECLINED;
	}

	switch (json_time(claims, "exp", &t)) {
	case PT_OK:
		if (t <= now - exp->leeway) {
			*why = "token expired";
			return PT_DECLINED;
		}
		break;
	case PT_DECLINED:
		*why = "exp missing";
		return PT_DECLINED;
	default:
		*why = "exp malformed";
		return PT_DECLINED;
	}
	switch (json_time(claims, "iat", &t)) {
	case PT_OK:
		if (t > now + exp->leeway) {
			*why = "iat in the future";
			return PT_DECLINED;
		}
		break;
	case PT_DECLINED:
		*why = "iat missing";
		return PT_DECLINED;
	default:
		*why = "iat malformed";
		return PT_DECLINED;
	}
	switch (json_time(claims, "nbf", &t)) {
	case PT_OK:
		if (t > now + exp->leeway) {
			*why = "token not yet valid (nbf)";
			return PT_DECLINED;
		}
		break;
	case PT_DECLINED:
		break;
	default:
		*why = "nbf malformed";
		return PT_DECLINED;
	}

	nonce = json_object_get(claims, "nonce");
	if (exp->nonce == NULL) {
		if (nonce != NULL) {
			*why = "token carries an unexpected nonce";
			return PT_DECLINED;
		}
	} else if (!json_is_string(nonce) ||
	    json_string_length(nonce) != strlen(exp->nonce) ||
	    CRYPTO_memcmp(json_string_value(nonce), exp->nonce,
	    strlen(exp->nonce)) != 0) {
		*why = "nonce mismatch";
		return PT_DECLINED;
	}
	return PT_OK;
}
