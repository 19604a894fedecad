/*
 * jose.h - JSON Web Signature (RFC 7515), JSON Web Key (RFC 7517) and JWT
 * claim checks (RFC 7519), just enough for an OpenID Connect relying party:
 * compact JWS with RS256 or ES256, public keys from a JWKS, and the iss /
 * aud / azp / exp / iat / nbf / nonce rules of OIDC Core 3.1.3.7.
 * Implemented in modules/auth/jose.c with OpenSSL 3 (EVP) and jansson;
 * used by modules/auth/oidc.c, tests/unit/jose_test.c and
 * tests/fuzz/fuzz_jws.c.
 *
 * Ownership: everything a function here hands out lives in the arena it was
 * given, including the jansson objects and the EVP_PKEYs, which are
 * registered as arena cleanups when they are made.  Nothing is freed by
 * hand.
 *
 * Refusals carry a reason: functions that can refuse take `const char
 * **why` and set it to a static English phrase fit for a log line.  The
 * phrase never quotes the token, a claim or a key, so logging it cannot
 * leak a credential or inject text into the log.
 */
#ifndef PT_JOSE_H
#define PT_JOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "portico.h"

/* Longest compact JWS accepted, bytes (a user in hundreds of groups fits). */
#define PT_JWS_MAX	(256 * 1024)
/* Most keys read from one JWKS; further keys are ignored. */
#define PT_JWKS_KEYS_MAX	64
/* RSA moduli accepted, bits. */
#define PT_JWK_RSA_MIN_BITS	2048
#define PT_JWK_RSA_MAX_BITS	8192

/*
 * Signature algorithms this code can verify.  PT_JOSE_ALG_NONE stands for
 * everything else ("none", HS256, RS384, ...), which is always refused.
 */
enum pt_jose_alg {
	PT_JOSE_ALG_NONE = 0,
	PT_JOSE_RS256,		/* RSASSA-PKCS1-v1_5 with SHA-256 */
	PT_JOSE_ES256,		/* ECDSA P-256 with SHA-256 */
	PT_JOSE_ALG__MAX
};

/* An allow-list is a mask of these bits. */
#define PT_JOSE_ALG_BIT(a)	(1u << (a))
#define PT_JOSE_ALGS_DEFAULT \
	(PT_JOSE_ALG_BIT(PT_JOSE_RS256) | PT_JOSE_ALG_BIT(PT_JOSE_ES256))

/* A parsed compact JWS whose payload is a JWT claims set. */
struct pt_jws {
	enum pt_jose_alg	 alg;
	const char		*kid;		/* header "kid", or NULL */
	const char		*typ;		/* header "typ", or NULL */
	json_t			*header;	/* the protected header object */
	json_t			*claims;	/* the payload object */
	const char		*input;		/* signing input: "hdr.payload" */
	size_t			 inputlen;	/* input is NUL-terminated too */
	unsigned char		*sig;
	size_t			 siglen;
};

/* One public key that can verify one algorithm. */
struct pt_jwk {
	const char		*kid;		/* or NULL */
	enum pt_jose_alg	 alg;		/* RS256 for RSA, ES256 for P-256 */
	EVP_PKEY		*pkey;
};

struct pt_jwks {
	struct pt_jwk		*keys;
	size_t			 n;
};

/* What pt_jwt_check() compares the claims with. */
struct pt_jwt_expect {
	const char		*iss;		/* exact match */
	const char		*aud;		/* our client_id */
	const char		*nonce;		/* NULL: the token must have none */
	time_t			 now;
	long			 leeway;	/* seconds of clock skew allowed */
};

/*
 * base64url without padding (RFC 7515 section 2).  Decoding is strict: only
 * the URL-safe alphabet, no '=', no whitespace, and unused trailing bits
 * must be zero, so each byte string has exactly one encoding.
 */
int		 pt_b64url_decode(struct pt_arena *, const char *, size_t,
		    unsigned char **out, size_t *outlen) PT_WUR;
/* pt_b64url_encode() is in the core (portico.h): sessions use it too. */

/*
 * Parses a compact JWS "header.payload.signature" whose header names an
 * algorithm in the mask algs and whose payload is a JSON object.  Refuses
 * tokens longer than PT_JWS_MAX, bad base64url, malformed JSON, duplicate
 * member names, a "crit" header, "alg" none, HMAC and anything outside
 * algs.  Returns PT_OK with *out filled (arena-owned), or PT_DECLINED with
 * *why set.  It checks no signature: see pt_jws_verify().
 */
int		 pt_jws_parse(struct pt_arena *, const char *, size_t,
		    unsigned int algs, struct pt_jws *out, const char **why)
		    PT_WUR;

/*
 * Builds a public key from one JWK object: kty RSA (n, e) or kty EC with crv
 * P-256 (x, y).  Keys whose "use" is not "sig", whose "alg" disagrees with
 * the key type, whose key_ops lack "verify", short RSA moduli and points off
 * the curve are refused.  Returns PT_OK with *out filled (arena-owned, the
 * EVP_PKEY freed with the arena), or PT_DECLINED with *why set.
 */
int		 pt_jwk_parse(struct pt_arena *, const json_t *,
		    struct pt_jwk *out, const char **why) PT_WUR;

/*
 * Parses a JWK Set document (RFC 7517 section 5), keeping the keys
 * pt_jwk_parse() accepts and skipping the others (encryption keys, other
 * curves), at most PT_JWKS_KEYS_MAX.  Returns PT_OK with *out (arena-owned;
 * it may hold no key), or PT_DECLINED with *why for a document that is not
 * a JSON object with a "keys" array.
 */
int		 pt_jwks_parse(struct pt_arena *, const char *, size_t,
		    struct pt_jwks **out, const char **why) PT_WUR;

/*
 * The key of set that should verify jws: the one whose kid equals the
 * header's kid and whose algorithm is the token's; when the header has no
 * kid, the only key of the token's algorithm.  Returns a pointer into set,
 * or NULL with *why set when no key (or more than one) fits.  An unknown
 * kid is the caller's cue to fetch the JWKS again once: keys rotate.
 */
const struct pt_jwk *pt_jwks_find(const struct pt_jwks *,
		    const struct pt_jws *, const char **why);

/*
 * Verifies the signature of jws with key.  Returns PT_OK, or PT_DECLINED
 * with *why set (also when key and token disagree on the algorithm).
 * Allocates nothing that outlives the call.
 */
int		 pt_jws_verify(const struct pt_jws *, const struct pt_jwk *,
		    const char **why) PT_WUR;

/*
 * Checks the registered claims of a verified token against exp: iss equal;
 * aud a string equal to exp->aud or an array holding it, and then, if aud
 * names several audiences or azp is present, azp equal to exp->aud; exp
 * present and later than now - leeway; iat present and not after now +
 * leeway; nbf, if present, not after now + leeway; nonce equal to
 * exp->nonce, or absent when exp->nonce is NULL.  Returns PT_OK, or
 * PT_DECLINED with *why set.
 */
int		 pt_jwt_check(const json_t *claims,
		    const struct pt_jwt_expect *, const char **why) PT_WUR;

/* The string member key of obj, or NULL if absent or not a string. */
const char	*pt_json_str(const json_t *obj, const char *key);

#endif /* PT_JOSE_H */
