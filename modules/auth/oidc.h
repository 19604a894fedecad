/*
 * oidc.h - the OpenID Connect relying party of the auth module
 * (modules/auth/oidc.c): discovery, the authorization code flow with PKCE,
 * ID token verification, userinfo, RP-initiated logout and back-channel
 * logout tokens, over libcurl against the provider of [oidc] issuer.
 *
 * It holds no routes and touches no database: a route handler calls
 *
 *	pt_oidc_begin()            sign-in link: store the returned state,
 *	                           nonce, verifier and return_to server-side
 *	                           (bound to the browser), then 303 to url;
 *	pt_oidc_finish()           callback: look the stored login up by the
 *	                           callback's state, pass both, and hand the
 *	                           identity to pt_auth_login();
 *	pt_oidc_end_session_url()  sign-out: where to send the browser after
 *	                           the local session has ended;
 *	pt_oidc_backchannel()      logout_token POSTed by the provider: refuse
 *	                           a replayed jti (the caller's table), then
 *	                           end the sessions of sid or external_id.
 *
 * Return codes, for every function here: PT_OK; PT_DECLINED for a request
 * that must be refused (bad state, bad or expired token, a code the
 * provider will not exchange): answer 400 or 403; PT_ERR when the provider
 * cannot be used (unreachable, slower than [oidc] timeout, a 5xx, a
 * malformed discovery document or JWKS, an incomplete [oidc] section):
 * answer 503.  Each failure is logged once where it is detected, with its
 * reason and never with a token, code or secret.
 *
 * Identities: external_id is the issuer, one space, then the subject
 * ("https://login.example.com 248289761001").  An issuer URL holds no
 * space, so the first space splits it again; the subject is printable
 * ASCII of 1 to 255 bytes (OIDC Core 2), checked here.
 */
#ifndef PT_AUTH_OIDC_H
#define PT_AUTH_OIDC_H

#include <stdint.h>

#include "portico.h"

/* Seconds of clock skew allowed on exp, iat and nbf. */
#define PT_OIDC_LEEWAY		60
/* Largest response body read from the provider, bytes. */
#define PT_OIDC_RESPONSE_MAX	(1024 * 1024)
/* Most groups taken from a groups claim; more is PT_DECLINED. */
#define PT_OIDC_GROUPS_MAX	4096
/* Longest group value, bytes; longer values are skipped (logged). */
#define PT_OIDC_GROUP_LEN_MAX	1024

/*
 * A sign-in in progress: what the caller keeps server-side between
 * pt_oidc_begin() and pt_oidc_finish().  state, nonce and verifier are 43
 * characters of base64url (256 random bits each).
 */
struct pt_oidc_pending {
	const char	*url;		/* authorization URL (not stored) */
	const char	*state;
	const char	*nonce;
	const char	*verifier;	/* PKCE code_verifier */
	const char	*return_to;	/* a local path */
};

/* The query parameters of the request to redirect_uri. */
struct pt_oidc_callback {
	const char	*code;
	const char	*state;
	const char	*iss;		/* RFC 9207 "iss", or NULL */
	const char	*error;		/* e.g. "access_denied", or NULL */
};

/* A verified back-channel logout token (OIDC Back-Channel Logout 2.4). */
struct pt_oidc_logout {
	const char	*sid;		/* provider session id, or NULL */
	const char	*sub;		/* subject, or NULL */
	const char	*external_id;	/* "issuer sub" when sub is set */
	const char	*jti;		/* refuse it if seen before */
	int64_t		 iat;
	int64_t		 exp;		/* remember jti at least until then */
};

/*
 * Starts a sign-in: fetches the discovery document again (so that a
 * provider that is down gives a 503 here rather than a dead redirect),
 * draws state, nonce and a PKCE verifier, and builds the authorization URL
 * (response_type=code, scope, client_id, redirect_uri, state, nonce,
 * code_challenge, code_challenge_method=S256).  return_to is kept if it is
 * a local path ("/x", not "//x" or "/\x", no control characters, at most
 * 2048 bytes), else replaced by "/".  Returns PT_OK with *out filled
 * (arena-allocated), PT_DECLINED if [oidc] is not enabled, or PT_ERR.
 */
int	pt_oidc_begin(const struct pt_config *, struct pt_arena *,
	    const char *return_to, struct pt_oidc_pending *out) PT_WUR;

/*
 * Completes a sign-in.  cb is what reached redirect_uri, stored what
 * pt_oidc_begin() returned for this browser (the caller found it by
 * cb->state, bound to the browser, not expired, and deletes it now: a
 * stored login is good for one callback).  Checks cb->state against
 * stored->state (constant time) and cb->iss against the issuer, exchanges
 * the code at the token endpoint (client_secret_basic or
 * client_secret_post, with the PKCE verifier), verifies the ID token
 * (signature against the provider's JWKS, fetched again once on an unknown
 * kid; iss, aud, azp, exp, iat, nonce), and reads the claims it lacks from
 * the userinfo endpoint.
 *
 * Returns PT_OK with *out filled: source "oidc", external_id "issuer sub",
 * login preferred_username, else email, else sub; name, email,
 * organisation and groups from [oidc] name_claim, email_claim, org_claim
 * and groups_claim (a groups claim may be an array of strings or one
 * string); idp_sid the "sid" claim or NULL.  Everything is arena-owned.
 * *id_token, if id_token is not NULL, is set to the raw ID token, for
 * pt_oidc_end_session_url() (the caller may keep it server-side).
 * PT_DECLINED for a callback with an error, a state, issuer or nonce
 * mismatch, a code the provider refuses and any invalid ID token; PT_ERR
 * as described above.
 */
int	pt_oidc_finish(const struct pt_config *, struct pt_arena *,
	    const struct pt_oidc_callback *cb,
	    const struct pt_oidc_pending *stored, struct pt_identity *out,
	    const char **id_token) PT_WUR;

/*
 * The provider's end_session_endpoint with id_token_hint (when id_token is
 * not NULL) or client_id, post_logout_redirect_uri (when configured) and
 * state (when not NULL), for a 303 after the local session has ended.
 * Returns PT_OK with *url (arena-owned); PT_DECLINED when [oidc] is off
 * or the provider offers no RP-initiated logout (sign out locally only);
 * PT_ERR when the discovery document cannot be had.
 */
int	pt_oidc_end_session_url(const struct pt_config *, struct pt_arena *,
	    const char *id_token, const char *state, const char **url) PT_WUR;

/*
 * Verifies a back-channel logout token: signature (an unknown kid fetches
 * the JWKS again, at most a few times a minute per worker: anyone can POST
 * here), typ absent, "JWT" or "logout+jwt", iss, aud, azp, iat, exp, the
 * backchannel-logout event, no nonce, a jti, and sid or sub.  Returns PT_OK
 * with *out filled (arena-owned); PT_DECLINED for an invalid token (answer
 * 400); PT_ERR when the keys cannot be fetched (answer 503: the provider
 * retries).  Replay is the caller's to refuse, by out->jti.
 */
int	pt_oidc_backchannel(const struct pt_config *, struct pt_arena *,
	    const char *logout_token, struct pt_oidc_logout *out) PT_WUR;

/*
 * Forgets the worker's cached discovery document and JWKS, e.g. after the
 * configuration was reloaded.  The cache also forgets itself when the
 * configured issuer changes.
 */
void	pt_oidc_cache_clear(void);

#endif /* PT_AUTH_OIDC_H */
