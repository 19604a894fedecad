/*
 * jose_test.c - unit tests for JWS/JWK parsing, signature verification and
 * JWT claim checks (modules/auth/jose.c).
 *
 * Keys are generated with OpenSSL when the test runs (two RSA 2048 keys, a
 * P-256 key, a 1024-bit RSA key that must be refused), published as JWKs
 * built by hand, and tokens are signed here the way an OpenID provider
 * signs them.  The checks: base64url is strict; RS256 and ES256 tokens
 * verify; a tampered header, payload or signature does not; "none", HS256
 * signed with the RSA public key as the HMAC secret, an unknown kid, a key
 * of the wrong type, a DER ECDSA signature, malformed base64url and JSON,
 * duplicate members, "crit" and oversized tokens are refused; and the claim
 * rules (iss, aud, azp, exp, iat, nbf, nonce) hold at their boundaries.
 *
 * To add a case: build the token with token() or token_raw() and assert on
 * check_token(), or add a claims set to claims().
 */
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "portico.h"
#include "jose.h"
#include "tap.h"

#define ISS	"https://idp.example"
#define AUD	"portico"

static struct pt_arena	*A;
static EVP_PKEY		*rsa1, *rsa2, *ec1, *rsa_small;
static struct pt_jwks	*jwks;
static time_t		 now;

static void
die(const char *what)
{
	diag("setup failed: %s", what);
	exit(1);
}

static char *
b64(const void *p, size_t n)
{
	return pt_b64url_encode(A, p, n);
}

static char *
b64s(const char *s)
{
	return b64(s, strlen(s));
}

static char *
bn_b64(EVP_PKEY *k, const char *param, int pad)
{
	BIGNUM		*bn = NULL;
	unsigned char	 buf[1024];
	int		 n;

	if (EVP_PKEY_get_bn_param(k, param, &bn) != 1)
		die(param);
	n = pad ? BN_bn2binpad(bn, buf, pad) : BN_bn2bin(bn, buf);
	BN_free(bn);
	if (n <= 0)
		die("bn2bin");
	return b64(buf, (size_t)n);
}

static char *
jwk_rsa(EVP_PKEY *k, const char *kid)
{
	return pt_printf(A, "{\"kty\":\"RSA\",\"kid\":\"%s\","
	    "\"n\":\"%s\",\"e\":\"%s\"}", kid, bn_b64(k, OSSL_PKEY_PARAM_RSA_N,
	    0), bn_b64(k, OSSL_PKEY_PARAM_RSA_E, 0));
}

static char *
jwk_ec(EVP_PKEY *k, const char *kid)
{
	return pt_printf(A, "{\"kty\":\"EC\",\"kid\":\"%s\",\"use\":\"sig\",\"crv\":\"P-256\","
	    "\"x\":\"%s\",\"y\":\"%s\"}", kid,
	    bn_b64(k, OSSL_PKEY_PARAM_EC_PUB_X, 32),
	    bn_b64(k, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
}

/* Signs input with k: RS256 for RSA keys, ES256 (r || s) for EC keys. */
static char *
sign(EVP_PKEY *k, const char *input)
{
	EVP_MD_CTX		*md;
	unsigned char		 sig[1024], raw[64];
	const unsigned char	*p = sig;
	size_t			 len = sizeof(sig);
	ECDSA_SIG		*es;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, k, NULL) != 1 ||
	    EVP_DigestSign(md, sig, &len, (const unsigned char *)input,
	    strlen(input)) != 1)
		die("sign");
	EVP_MD_CTX_free(md);
	if (EVP_PKEY_is_a(k, "RSA"))
		return b64(sig, len);
	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)len)) == NULL ||
	    BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32) != 32 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32) != 32)
		die("ecdsa sig");
	ECDSA_SIG_free(es);
	return b64(raw, sizeof(raw));
}

/* A DER-encoded ECDSA signature, which JOSE does not allow. */
static char *
sign_der(EVP_PKEY *k, const char *input)
{
	EVP_MD_CTX	*md;
	unsigned char	 sig[256];
	size_t		 len = sizeof(sig);

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, k, NULL) != 1 ||
	    EVP_DigestSign(md, sig, &len, (const unsigned char *)input,
	    strlen(input)) != 1)
		die("sign der");
	EVP_MD_CTX_free(md);
	return b64(sig, len);
}

/* "b64(header).b64(payload)" */
static char *
input_of(const char *hdr, const char *payload)
{
	return pt_printf(A, "%s.%s", b64s(hdr), b64s(payload));
}

static char *
token(EVP_PKEY *k, const char *hdr, const char *payload)
{
	char	*in = input_of(hdr, payload);

	return pt_printf(A, "%s.%s", in, sign(k, in));
}

/* Standard ID token claims, shifted in time by the deltas. */
static char *
claims_at(long exp_delta, long iat_delta, const char *nonce)
{
	return pt_printf(A, "{\"iss\":\"" ISS "\",\"sub\":\"u1\",\"aud\":\""
	    AUD "\",\"exp\":%lld,\"iat\":%lld%s%s%s}",
	    (long long)now + exp_delta, (long long)now + iat_delta,
	    nonce ? ",\"nonce\":\"" : "", nonce ? nonce : "", nonce ? "\"" :
	    "");
}

static const char *claims_ok;

/*
 * Parses, finds the key, verifies and checks claims like the relying party
 * does; returns PT_OK or PT_DECLINED and leaves the reason in *why.
 */
static int
check_token(const char *tok, const char *nonce, const char **why)
{
	struct pt_jws		 jws;
	const struct pt_jwk	*k;
	struct pt_jwt_expect	 e = { ISS, AUD, nonce, 0, 60 };

	e.now = now;
	*why = "";
	if (pt_jws_parse(A, tok, strlen(tok), PT_JOSE_ALGS_DEFAULT, &jws,
	    why) != PT_OK)
		return PT_DECLINED;
	if ((k = pt_jwks_find(jwks, &jws, why)) == NULL)
		return PT_DECLINED;
	if (pt_jws_verify(&jws, k, why) != PT_OK)
		return PT_DECLINED;
	return pt_jwt_check(jws.claims, &e, why);
}

static void
declined(const char *tok, const char *nonce, const char *want,
    const char *name)
{
	const char	*why;
	int		 rc = check_token(tok, nonce, &why);

	ok(rc == PT_DECLINED && strcmp(why, want) == 0, "%s", name);
	if (rc != PT_DECLINED || strcmp(why, want) != 0)
		diag("  rc %d, why \"%s\", expected \"%s\"", rc, why, want);
}

static void
accepted(const char *tok, const char *nonce, const char *name)
{
	const char	*why;
	int		 rc = check_token(tok, nonce, &why);

	ok(rc == PT_OK, "%s", name);
	if (rc != PT_OK)
		diag("  declined: %s", why);
}

static void
base64url(void)
{
	static const unsigned char bytes[] = { 0xfb, 0xff, 0x00, 0x3e, 0x7f,
	    0x80, 0x01, 0xfe, 0x10, 0x20 };
	unsigned char	*out;
	size_t		 i, len;
	bool		 all = true;
	static const char *const bad[] = { "QQ==", "Q", "QR", "QUF", "a+b/",
	    "QUJ\n", " QUJ", "QU J", "QUJD=", "Q\x80" };

	for (i = 0; i <= sizeof(bytes); i++) {
		char *e = pt_b64url_encode(A, bytes, i);

		if (pt_b64url_decode(A, e, strlen(e), &out, &len) != PT_OK ||
		    len != i || memcmp(out, bytes, i) != 0 ||
		    strchr(e, '=') != NULL || strchr(e, '+') != NULL ||
		    strchr(e, '/') != NULL)
			all = false;
	}
	ok(all, "base64url round-trips 0..%zu bytes, URL alphabet, no padding",
	    sizeof(bytes));
	is_str(pt_b64url_encode(A, (const unsigned char *)"\xfb\xff", 2),
	    "-_8", "base64url uses - and _");
	ok(pt_b64url_decode(A, "QQ", 2, &out, &len) == PT_OK && len == 1 &&
	    out[0] == 'A' && out[1] == '\0', "decode QQ is A, NUL-terminated");
	for (i = 0; i < PT_NELEM(bad); i++)
		ok(pt_b64url_decode(A, bad[i], strlen(bad[i]), &out, &len) ==
		    PT_DECLINED, "base64url refuses bad input %zu", i);
	ok(pt_b64url_decode(A, "", 0, &out, &len) == PT_OK && len == 0,
	    "empty input decodes to nothing");
}

static void
jwk(void)
{
	struct pt_jwk	 k;
	const char	*why;
	json_error_t	 err;
	json_t		*j;
	size_t		 i;
	char		*ecbad, *y;
	struct {
		const char	*json;
		const char	*name;
	} bad[] = {
		{ "[]", "a JWK that is not an object" },
		{ "{\"n\":\"AQAB\",\"e\":\"AQAB\"}", "a JWK without kty" },
		{ "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", "a symmetric JWK" },
		{ NULL, "an RSA key of 1024 bits" },
		{ NULL, "an encryption key (use enc)" },
		{ NULL, "an RSA key marked alg RS384" },
		{ NULL, "key_ops without verify" },
		{ NULL, "an EC key on P-384" },
		{ NULL, "an EC point off the curve" },
		{ NULL, "an EC x of 31 bytes" },
		{ NULL, "an RSA key with a non-string kid" },
		{ NULL, "an RSA key with even e" },
	};

	bad[3].json = jwk_rsa(rsa_small, "small");
	bad[4].json = pt_printf(A, "{\"use\":\"enc\",%s", jwk_rsa(rsa1, "e") +
	    1);
	bad[5].json = pt_printf(A, "{\"alg\":\"RS384\",%s", jwk_rsa(rsa1,
	    "a") + 1);
	bad[6].json = pt_printf(A, "{\"key_ops\":[\"sign\"],%s",
	    jwk_rsa(rsa1, "o") + 1);
	bad[7].json = pt_printf(A, "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":"
	    "\"%s\",\"y\":\"%s\"}", bn_b64(ec1, OSSL_PKEY_PARAM_EC_PUB_X, 32),
	    bn_b64(ec1, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
	/* Flip the last character of y: same length, not on the curve. */
	ecbad = jwk_ec(ec1, "bad");
	y = strstr(ecbad, "\"y\":\"") + 5;
	y[41] = y[41] == 'A' ? 'B' : 'A';
	bad[8].json = ecbad;
	bad[9].json = pt_printf(A, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":"
	    "\"%s\",\"y\":\"%s\"}", b64("0123456789012345678901234567890", 31),
	    bn_b64(ec1, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
	bad[10].json = pt_printf(A, "{\"kid\":7,%s", strstr(jwk_rsa(rsa1, "x"),
	    "\"n\""));
	bad[10].json = pt_printf(A, "{\"kty\":\"RSA\",%s", bad[10].json + 1);
	bad[11].json = pt_printf(A, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":"
	    "\"AQAA\"}", bn_b64(rsa1, OSSL_PKEY_PARAM_RSA_N, 0));

	j = json_loads(jwk_rsa(rsa1, "r1"), 0, &err);
	ok(j != NULL && pt_jwk_parse(A, j, &k, &why) == PT_OK &&
	    k.alg == PT_JOSE_RS256 && k.pkey != NULL && strcmp(k.kid, "r1") ==
	    0, "RSA JWK accepted as an RS256 key");
	json_decref(j);
	j = json_loads(jwk_ec(ec1, "e1"), 0, &err);
	ok(j != NULL && pt_jwk_parse(A, j, &k, &why) == PT_OK &&
	    k.alg == PT_JOSE_ES256 && k.pkey != NULL, "P-256 JWK accepted as "
	    "an ES256 key");
	json_decref(j);
	for (i = 0; i < PT_NELEM(bad); i++) {
		int rc = PT_DECLINED;

		why = NULL;
		if ((j = json_loads(bad[i].json, 0, &err)) == NULL)
			diag("test JSON %zu does not parse: %s", i, err.text);
		else
			rc = pt_jwk_parse(A, j, &k, &why);
		ok(j != NULL && rc == PT_DECLINED && why != NULL &&
		    k.pkey == NULL, "refused: %s (%s)", bad[i].name,
		    why ? why : "?");
		json_decref(j);
	}
}

static void
jwks_set(void)
{
	struct pt_jwks	*s;
	const char	*why, *doc;
	static const char *const bad[] = { "", "[]", "{}", "{\"keys\":{}}",
	    "{\"keys\":[]", "{\"keys\":[],\"keys\":[]}" };
	size_t		 i;
	int		 rc;

	doc = pt_printf(A, "{\"keys\":[%s,%s,%s,{\"kty\":\"oct\",\"k\":\"AA\"},"
	    "{\"use\":\"enc\",%s,%s]}", jwk_rsa(rsa1, "r1"), jwk_ec(ec1, "e1"),
	    jwk_rsa(rsa2, "r2"), jwk_rsa(rsa2, "r2enc") + 1,
	    jwk_rsa(rsa_small, "small"));
	ok(pt_jwks_parse(A, doc, strlen(doc), &s, &why) == PT_OK && s->n == 3,
	    "JWKS keeps the three usable keys of six");
	jwks = s;
	for (i = 0; i < PT_NELEM(bad); i++) {
		/* The call comes first: argument order is unspecified. */
		why = NULL;
		rc = pt_jwks_parse(A, bad[i], strlen(bad[i]), &s, &why);
		ok(rc == PT_DECLINED && s == NULL && why != NULL,
		    "malformed JWKS %zu refused (%s)", i, why ? why : "?");
	}
	ok(pt_jwks_parse(A, "{\"keys\":[]}", 11, &s, &why) == PT_OK &&
	    s->n == 0, "an empty key set parses and holds no key");
}

static void
signatures(void)
{
	const char		*ok_claims = claims_at(300, 0, "n0");
	static const unsigned char zero[64];
	const char		*why, *t, *in;
	char			*tok, *p, *pem;
	struct pt_jws		 jws;
	unsigned char		 mac[32];
	unsigned int		 maclen = sizeof(mac);
	BIO			*bio;
	long			 pemlen;

	claims_ok = ok_claims;
	accepted(token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"r1\"}", ok_claims),
	    "n0", "valid RS256 token");
	accepted(token(rsa2, "{\"alg\":\"RS256\",\"kid\":\"r2\",\"typ\":"
	    "\"JWT\"}", ok_claims), "n0", "valid RS256 token, second key");
	accepted(token(ec1, "{\"alg\":\"ES256\",\"kid\":\"e1\"}", ok_claims),
	    "n0", "valid ES256 token");
	accepted(token(ec1, "{\"alg\":\"ES256\"}", ok_claims), "n0",
	    "ES256 without kid: the only EC key is used");
	declined(token(rsa1, "{\"alg\":\"RS256\"}", ok_claims), "n0",
	    "token has no kid and several keys fit",
	    "RS256 without kid and two RSA keys: ambiguous, refused");

	/* Tampering. */
	tok = token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"r1\"}", ok_claims);
	p = strrchr(tok, '.') + 1;
	p[10] = p[10] == 'A' ? 'B' : 'A';
	declined(tok, "n0", "bad signature", "tampered signature refused");
	tok = token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"r1\"}", ok_claims);
	t = pt_printf(A, "%s.%s.%s", b64s("{\"alg\":\"RS256\",\"kid\":\"r1\"}"),
	    b64s(claims_at(300, 0, "n1")), strrchr(tok, '.') + 1);
	declined(t, "n1", "bad signature", "tampered payload refused");
	t = pt_printf(A, "%s.%s", b64s("{\"kid\":\"r1\",\"alg\":\"RS256\"}"),
	    strchr(tok, '.') + 1);
	declined(t, "n0", "bad signature", "tampered (reordered) header "
	    "refused");
	t = pt_printf(A, "%s.%s", b64s("{\"alg\":\"RS256\",\"kid\":\"r2\"}"),
	    strchr(tok, '.') + 1);
	declined(t, "n0", "bad signature", "header kid switched to another "
	    "key refused");
	t = pt_printf(A, "%s%s", tok, "AA");
	declined(t, "n0", "RS256 signature has the wrong length",
	    "signature with extra bytes refused");

	/* Algorithms that must never verify. */
	in = input_of("{\"alg\":\"none\"}", ok_claims);
	declined(pt_printf(A, "%s.", in), "n0", "alg none refused",
	    "alg none with an empty signature refused");
	declined(pt_printf(A, "%s.%s", in, b64s("x")), "n0", "alg none refused",
	    "alg none with a signature refused");
	in = input_of("{\"alg\":\"None\",\"kid\":\"r1\"}", ok_claims);
	declined(pt_printf(A, "%s.%s", in, b64s("x")), "n0", "alg not supported",
	    "alg None (capitalised) refused");
	/* The classic forgery: HMAC keyed with the RSA public key's PEM. */
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PUBKEY(bio, rsa1) != 1)
		die("pem");
	pemlen = BIO_get_mem_data(bio, &pem);
	in = input_of("{\"alg\":\"HS256\",\"kid\":\"r1\"}", ok_claims);
	if (HMAC(EVP_sha256(), pem, (int)pemlen, (const unsigned char *)in,
	    strlen(in), mac, &maclen) == NULL)
		die("hmac");
	BIO_free(bio);
	declined(pt_printf(A, "%s.%s", in, b64(mac, maclen)), "n0",
	    "HMAC alg refused", "HS256 signed with the RSA public key refused");
	ok(pt_jws_parse(A, pt_printf(A, "%s.%s", in, b64(mac, maclen)),
	    strlen(in) + 1 + 43, ~0u, &jws, &why) == PT_DECLINED,
	    "HS256 refused even with every bit of the allow-list set");
	in = input_of("{\"alg\":\"RS512\",\"kid\":\"r1\"}", ok_claims);
	declined(pt_printf(A, "%s.%s", in, sign(rsa1, in)), "n0",
	    "alg not supported", "RS512 refused");
	tok = token(ec1, "{\"alg\":\"ES256\",\"kid\":\"e1\"}", ok_claims);
	ok(pt_jws_parse(A, tok, strlen(tok), PT_JOSE_ALG_BIT(PT_JOSE_RS256),
	    &jws, &why) == PT_DECLINED && strcmp(why, "alg not allowed") == 0,
	    "ES256 refused when the allow-list holds only RS256");

	/* Keys. */
	declined(token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"r9\"}", ok_claims),
	    "n0", "unknown kid", "unknown kid refused");
	declined(token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"e1\"}", ok_claims),
	    "n0", "unknown kid", "RS256 token naming the EC key's kid refused");
	in = input_of("{\"alg\":\"ES256\",\"kid\":\"e1\"}", ok_claims);
	declined(pt_printf(A, "%s.%s", in, sign_der(ec1, in)), "n0",
	    "ES256 signature is not r || s", "DER ECDSA signature refused");
	in = input_of("{\"alg\":\"ES256\",\"kid\":\"e1\"}", ok_claims);
	declined(pt_printf(A, "%s.%s", in, b64(zero, sizeof(zero))), "n0",
	    "bad signature",
	    "ES256 signature r = s = 0 refused");
	ok(pt_jws_verify(&jws, NULL, &why) == PT_DECLINED,
	    "verify without a key refuses");
	tok = token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"r1\"}", ok_claims);
	if (pt_jws_parse(A, tok, strlen(tok), PT_JOSE_ALGS_DEFAULT, &jws,
	    &why) != PT_OK)
		die("parse");
	ok(pt_jws_verify(&jws, &jwks->keys[1], &why) == PT_DECLINED &&
	    strcmp(why, "key does not fit the token's alg") == 0,
	    "RS256 token with an EC key refused");
	ok(strcmp(jws.input, tok) != 0 && strncmp(jws.input, tok,
	    jws.inputlen) == 0 && jws.input[jws.inputlen] == '\0' &&
	    tok[jws.inputlen] == '.', "signing input is header.payload");
}

static void
malformed(void)
{
	const char	*why, *c = claims_ok, *h = "{\"alg\":\"RS256\",\"kid\":\"r1\"}";
	char		*big, *in;
	struct pt_jws	 jws;
	size_t		 n;

	declined("", "n0", "token empty or too long", "empty token refused");
	declined("abc", "n0", "not a compact JWS", "one part refused");
	declined("a.b", "n0", "not a compact JWS", "two parts refused");
	declined(pt_printf(A, "%s.x", token(rsa1, h, c)), "n0",
	    "not a compact JWS", "four parts refused");
	declined(pt_printf(A, ".%s.%s", b64s(c), b64s("s")), "n0",
	    "empty JWS header or payload", "empty header refused");
	declined(pt_printf(A, "%s..%s", b64s(h), b64s("s")), "n0",
	    "empty JWS header or payload", "empty payload refused");
	declined(pt_printf(A, "%s=.%s.%s", b64s(h), b64s(c), b64s("s")), "n0",
	    "JWS header is not base64url", "padded header refused");
	declined(pt_printf(A, "%s.%s+.%s", b64s(h), b64s(c), b64s("s")), "n0",
	    "JWS payload is not base64url", "payload with + refused");
	declined(pt_printf(A, "%s.%s.a/b", b64s(h), b64s(c)), "n0",
	    "JWS signature is empty or not base64url",
	    "signature with / refused");
	declined(pt_printf(A, "%s.%s.", b64s(h), b64s(c)), "n0",
	    "JWS signature is empty or not base64url", "empty signature refused");
	declined(pt_printf(A, "%s.%s.%s", b64s("{\"alg\":\"RS256\""), b64s(c),
	    b64s("s")), "n0", "JWS header is not a JSON object",
	    "truncated header JSON refused");
	declined(pt_printf(A, "%s.%s.%s", b64s("[\"RS256\"]"), b64s(c),
	    b64s("s")), "n0", "JWS header is not a JSON object",
	    "header JSON array refused");
	declined(pt_printf(A, "%s.%s.%s", b64s("{\"alg\":\"RS256\"} x"),
	    b64s(c), b64s("s")), "n0", "JWS header is not a JSON object",
	    "trailing garbage after header JSON refused");
	declined(pt_printf(A, "%s.%s.%s", b64s("{\"alg\":\"RS256\",\"alg\":"
	    "\"none\"}"), b64s(c), b64s("s")), "n0",
	    "JWS header is not a JSON object", "duplicate alg refused");
	declined(pt_printf(A, "%s.%s.%s", b64s("{\"kid\":\"r1\"}"), b64s(c),
	    b64s("s")), "n0", "JWS header has no alg", "header without alg "
	    "refused");
	declined(pt_printf(A, "%s.%s.%s", b64s("{\"alg\":[\"RS256\"]}"),
	    b64s(c), b64s("s")), "n0", "JWS header has no alg",
	    "non-string alg refused");
	declined(token(rsa1, "{\"alg\":\"RS256\",\"kid\":\"r1\",\"crit\":"
	    "[\"exp\"],\"exp\":1}", c), "n0", "crit header refused",
	    "crit header refused even when signed");
	declined(token(rsa1, "{\"alg\":\"RS256\",\"kid\":1}", c), "n0",
	    "JWS kid or typ is not a string", "numeric kid refused");
	declined(token(rsa1, h, "[1,2]"), "n0",
	    "JWS payload is not a JSON object", "payload array refused");
	declined(token(rsa1, h, "{\"iss\":\"" ISS "\",\"iss\":\"x\"}"), "n0",
	    "JWS payload is not a JSON object",
	    "duplicate claim refused even when signed");
	declined(token(rsa1, h, "{\"iss\":\"\\u0000\"}"), "n0",
	    "JWS payload is not a JSON object", "NUL in a claim refused");
	declined(token(rsa1, h, "{\"iss\":\"\xff\"}"), "n0",
	    "JWS payload is not a JSON object", "invalid UTF-8 refused");

	n = PT_JWS_MAX;
	big = pt_alloc(A, n + 2);
	in = input_of(h, c);
	memset(big, 'A', n + 1);
	memcpy(big, in, strlen(in));
	big[strlen(in)] = '.';
	ok(pt_jws_parse(A, big, n + 1, PT_JOSE_ALGS_DEFAULT, &jws, &why) ==
	    PT_DECLINED && strcmp(why, "token empty or too long") == 0,
	    "token of PT_JWS_MAX + 1 bytes refused");
}

static void
claims(void)
{
	const char	*h = "{\"alg\":\"RS256\",\"kid\":\"r1\"}";
	struct {
		const char	*claims;
		const char	*nonce;
		const char	*why;	/* NULL: accepted */
		const char	*name;
	} t[] = {
		{ NULL, "n0", NULL, "valid claims" },
		{ NULL, "n1", "nonce mismatch", "wrong nonce" },
		{ NULL, "n", "nonce mismatch", "nonce prefix" },
		{ NULL, NULL, "token carries an unexpected nonce",
		    "nonce where none is expected" },
		{ NULL, "n0", "nonce mismatch", "nonce missing" },
		{ NULL, "n0", "token expired", "expired 61 s ago" },
		{ NULL, "n0", NULL, "expired 59 s ago: within leeway" },
		{ NULL, "n0", "iat in the future", "iat 61 s ahead" },
		{ NULL, "n0", NULL, "iat 59 s ahead: within leeway" },
		{ NULL, "n0", "iss is not the issuer", "wrong iss" },
		{ NULL, "n0", "iss is not the issuer", "iss with trailing slash" },
		{ NULL, "n0", "iss is not the issuer", "iss missing" },
		{ NULL, "n0", "aud does not name this client", "wrong aud" },
		{ NULL, "n0", "aud missing or malformed", "aud missing" },
		{ NULL, "n0", "aud missing or malformed", "aud empty array" },
		{ NULL, "n0", "aud holds a non-string", "aud with a number" },
		{ NULL, "n0", NULL, "aud array of one" },
		{ NULL, "n0", "several audiences and no azp",
		    "aud array of two without azp" },
		{ NULL, "n0", NULL, "aud array of two with our azp" },
		{ NULL, "n0", "azp is not this client", "foreign azp" },
		{ NULL, "n0", "exp missing", "exp missing" },
		{ NULL, "n0", "exp malformed", "exp a string" },
		{ NULL, "n0", "iat missing", "iat missing" },
		{ NULL, "n0", NULL, "fractional NumericDates" },
		{ NULL, "n0", "token not yet valid (nbf)", "nbf ahead" },
		{ NULL, "n0", "nonce mismatch", "nonce a number" },
	};
	long long	 n = (long long)now;
	size_t		 i;

	t[0].claims = t[1].claims = t[2].claims = t[3].claims =
	    claims_at(300, 0, "n0");
	t[4].claims = claims_at(300, 0, NULL);
	t[5].claims = claims_at(-61, -600, "n0");
	t[6].claims = claims_at(-59, -600, "n0");
	t[7].claims = claims_at(300, 61, "n0");
	t[8].claims = claims_at(300, 59, "n0");
#define C(fmt, ...) pt_printf(A, fmt, __VA_ARGS__)
	t[9].claims = C("{\"iss\":\"https://evil.example\",\"aud\":\"" AUD
	    "\",\"exp\":%lld,\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[10].claims = C("{\"iss\":\"" ISS "/\",\"aud\":\"" AUD "\",\"exp\":"
	    "%lld,\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[11].claims = C("{\"aud\":\"" AUD "\",\"exp\":%lld,\"iat\":%lld,"
	    "\"nonce\":\"n0\"}", n + 300, n);
	t[12].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"other\",\"exp\":%lld,"
	    "\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[13].claims = C("{\"iss\":\"" ISS "\",\"exp\":%lld,\"iat\":%lld,"
	    "\"nonce\":\"n0\"}", n + 300, n);
	t[14].claims = C("{\"iss\":\"" ISS "\",\"aud\":[],\"exp\":%lld,"
	    "\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[15].claims = C("{\"iss\":\"" ISS "\",\"aud\":[\"" AUD "\",5],"
	    "\"exp\":%lld,\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[16].claims = C("{\"iss\":\"" ISS "\",\"aud\":[\"" AUD "\"],"
	    "\"exp\":%lld,\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[17].claims = C("{\"iss\":\"" ISS "\",\"aud\":[\"x\",\"" AUD "\"],"
	    "\"exp\":%lld,\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[18].claims = C("{\"iss\":\"" ISS "\",\"aud\":[\"x\",\"" AUD "\"],"
	    "\"azp\":\"" AUD "\",\"exp\":%lld,\"iat\":%lld,\"nonce\":\"n0\"}",
	    n + 300, n);
	t[19].claims = C("{\"iss\":\"" ISS "\",\"aud\":[\"x\",\"" AUD "\"],"
	    "\"azp\":\"x\",\"exp\":%lld,\"iat\":%lld,\"nonce\":\"n0\"}",
	    n + 300, n);
	t[20].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"iat\":"
	    "%lld,\"nonce\":\"n0\"}", n);
	t[21].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":"
	    "\"%lld\",\"iat\":%lld,\"nonce\":\"n0\"}", n + 300, n);
	t[22].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":"
	    "%lld,\"nonce\":\"n0\"}", n + 300);
	t[23].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":"
	    "%lld.5,\"iat\":%lld.25,\"nonce\":\"n0\"}", n + 300, n);
	t[24].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":"
	    "%lld,\"iat\":%lld,\"nbf\":%lld,\"nonce\":\"n0\"}", n + 300, n,
	    n + 120);
	t[25].claims = C("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":"
	    "%lld,\"iat\":%lld,\"nonce\":0}", n + 300, n);
#undef C
	for (i = 0; i < PT_NELEM(t); i++) {
		const char *tok = token(rsa1, h, t[i].claims);

		if (t[i].why == NULL)
			accepted(tok, t[i].nonce, t[i].name);
		else
			declined(tok, t[i].nonce, t[i].why, t[i].name);
	}
}

int
main(void)
{
	A = pt_arena_new();
	now = time(NULL);
	if ((rsa1 = EVP_RSA_gen(2048)) == NULL ||
	    (rsa2 = EVP_RSA_gen(2048)) == NULL ||
	    (rsa_small = EVP_RSA_gen(1024)) == NULL ||
	    (ec1 = EVP_EC_gen("P-256")) == NULL)
		die("key generation");
	base64url();
	jwk();
	jwks_set();
	if (jwks == NULL || jwks->n != 3)
		die("the JWKS the remaining tests need");
	signatures();
	malformed();
	claims();
	EVP_PKEY_free(rsa1);
	EVP_PKEY_free(rsa2);
	EVP_PKEY_free(rsa_small);
	EVP_PKEY_free(ec1);
	pt_arena_free(A);
	return done();
}
