/*
 * oidc.c - the OpenID Connect relying party: discovery, the authorization
 * code flow with PKCE S256, the token request, ID token verification,
 * userinfo, the RP-initiated logout URL and back-channel logout tokens.
 *
 * API (oidc.h): pt_oidc_begin, pt_oidc_finish, pt_oidc_end_session_url,
 * pt_oidc_backchannel, pt_oidc_cache_clear.  Routes, the stored state and
 * the jti replay table belong to the caller (modules/auth/oidc_login.c).
 *
 * Back-channel HTTP goes through libcurl with the rules of [oidc]: https
 * only (http too when allow_http is set, for a provider on loopback),
 * certificates verified, no redirect followed, responses larger than
 * PT_OIDC_RESPONSE_MAX refused, and every public function bounded as a
 * whole by [oidc] timeout: its calls share one deadline.  The CURL handle
 * and its header list are arena cleanups of the call's arena.
 *
 * Each worker caches what it derives from the provider in process memory:
 * the discovery document (reused for DISCOVERY_TTL seconds, but fetched
 * again by every pt_oidc_begin() so that a provider that is down shows up
 * as a 503 before the browser is sent away) and the JWKS (reused until
 * JWKS_TTL, fetched again when a token names a key it does not hold: keys
 * rotate).  ID tokens come from the token endpoint over a channel the
 * worker opened itself, so they may always cause that one refetch; logout
 * tokens can be POSTed by anyone, so the refetches they cause are
 * rate-limited (a bucket of JWKS_BURST, one more every JWKS_REFILL
 * seconds).  Cached data lives in arenas of its own, replaced whole.
 *
 * To read another claim into the identity: add it to struct pt_identity
 * (portico.h, with the core team), take it in identity_fill() and list it
 * in need_userinfo().  To support another client authentication method:
 * extend token_request() and the [oidc] auth_method check in
 * fcgi/config.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "portico.h"
#include "jose.h"
#include "oidc.h"

#define DISCOVERY_TTL	300	/* seconds */
#define JWKS_TTL	3600	/* seconds */
#define JWKS_BURST	3.0	/* refetches for logout tokens in a row */
#define JWKS_REFILL	10.0	/* seconds for one more */
#define RANDOM_BYTES	32	/* state, nonce, verifier: 43 base64url chars */
#define ID_MAX		255	/* sub, sid, jti: bytes */
#define CODE_MAX	2048	/* authorization code: bytes */
#define HINT_MAX	2048	/* id_token_hint: longer is left out */
#define RETURN_MAX	2048	/* return_to: bytes */

static const char disc_path[] = "/.well-known/openid-configuration";
static const char bcl_event[] =
    "http://schemas.openid.net/event/backchannel-logout";

/* What the discovery document says, strings owned by cache.disc_arena. */
struct disc {
	const char	*authorization_endpoint;
	const char	*token_endpoint;
	const char	*userinfo_endpoint;	/* or NULL */
	const char	*jwks_uri;
	const char	*end_session_endpoint;	/* or NULL */
	bool		 iss_param;		/* RFC 9207 iss in responses */
};

static struct {
	char		*issuer;		/* malloc: whose data this is */
	struct pt_arena	*disc_arena;
	struct disc	 disc;
	double		 disc_at;		/* monotonic; valid if disc_arena */
	struct pt_arena	*jwks_arena;
	struct pt_jwks	*jwks;
	double		 jwks_at;
	double		 tokens;		/* refetch bucket */
	double		 tokens_at;
} cache;

/* One public call: its config, arena and deadline. */
struct op {
	const struct pt_config	*cfg;
	struct pt_arena		*a;
	double			 deadline;	/* monotonic seconds */
};

struct http_resp {
	long		 status;
	char		*body;		/* NUL-terminated, arena-owned */
	size_t		 len;
	const char	*ctype;		/* or NULL */
};

struct http_body {
	struct pt_arena	*a;
	char		*p;
	size_t		 len;
	size_t		 cap;
	bool		 over;
};

/* Forgets the discovery document and JWKS.  Allocates nothing. */
void
pt_oidc_cache_clear(void)
{
	if (cache.disc_arena != NULL)
		pt_arena_free(cache.disc_arena);
	if (cache.jwks_arena != NULL)
		pt_arena_free(cache.jwks_arena);
	free(cache.issuer);
	memset(&cache, 0, sizeof(cache));
}

/* ---------------------------------------------------------------- checks */

/* s is 1..max bytes of printable ASCII (what OIDC allows in sub). */
static bool
printable(const char *s, size_t max)
{
	size_t	i;

	if (s == NULL || *s == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= max || (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* An OAuth error code fit for a log line. */
static const char *
errcode(const char *s)
{
	size_t	i;

	if (s == NULL)
		return "(none)";
	for (i = 0; s[i] != '\0'; i++)
		if (i >= 64 || !(s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		    (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return "(malformed)";
	return i == 0 ? "(empty)" : s;
}

/*
 * An absolute URL the provider may use: https (or http when allow_http),
 * a host, and no byte outside printable ASCII or a space: these go into
 * requests and Location headers.
 */
static bool
url_ok(const struct pt_config *cfg, const char *u)
{
	const char	*rest;

	if (u == NULL)
		return false;
	if (strncmp(u, "https://", 8) == 0)
		rest = u + 8;
	else if (cfg->oidc_allow_http && strncmp(u, "http://", 7) == 0)
		rest = u + 7;
	else
		return false;
	if (*rest == '\0' || *rest == '/' || *rest == '?' || *rest == '#')
		return false;
	return printable(u, 4096) && strchr(u, ' ') == NULL &&
	    strchr(u, '#') == NULL;
}

/*
 * Checks [oidc] and ties the cache to the configured issuer.  PT_OK,
 * PT_DECLINED when OIDC is off, PT_ERR (logged) when it is incomplete.
 */
static int
op_start(struct op *op, const struct pt_config *cfg, struct pt_arena *a)
{
	op->cfg = cfg;
	op->a = a;
	op->deadline = pt_mono() + (cfg->oidc_timeout ? cfg->oidc_timeout : 5);
	if (!cfg->oidc_enabled) {
		pt_log(PT_LOG_DEBUG, "oidc: [oidc] is not enabled");
		return PT_DECLINED;
	}
	if (!url_ok(cfg, cfg->oidc_issuer) || cfg->oidc_client_id == NULL ||
	    *cfg->oidc_client_id == '\0' || cfg->oidc_client_secret == NULL ||
	    *cfg->oidc_client_secret == '\0' ||
	    !url_ok(cfg, cfg->oidc_redirect_uri)) {
		pt_log(PT_LOG_ERR, "oidc: [oidc] needs an https issuer (http "
		    "only with allow_http), client_id, client_secret and an "
		    "absolute redirect_uri");
		return PT_ERR;
	}
	if (cache.issuer == NULL || strcmp(cache.issuer, cfg->oidc_issuer) !=
	    0) {
		pt_oidc_cache_clear();
		if ((cache.issuer = strdup(cfg->oidc_issuer)) == NULL)
			abort();
	}
	return PT_OK;
}

/* ------------------------------------------------------------------ HTTP */

static size_t
http_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_body	*b = arg;
	size_t			 n = size * nmemb, cap;
	char			*np;

	if (n > PT_OIDC_RESPONSE_MAX - b->len) {
		b->over = true;
		return 0;		/* aborts the transfer */
	}
	if (b->len + n + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 16384; cap < b->len + n + 1; )
			cap *= 2;
		np = pt_alloc(b->a, cap);
		if (b->len > 0)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return n;
}

static void
curl_cleanup(void *h)
{
	curl_easy_cleanup(h);
}

static void
slist_cleanup(void *l)
{
	curl_slist_free_all(l);
}

/*
 * One request to the provider: GET, or POST of the urlencoded body, with
 * an Authorization header when auth is not NULL.  Returns PT_OK with *out
 * (any HTTP status), or PT_ERR (logged as what) when no response came
 * before the deadline or it was too large.
 */
static int
http_call(struct op *op, const char *what, const char *url, const char *body,
    const char *auth, struct http_resp *out)
{
	const char		*protos;
	struct http_body	 b;
	struct curl_slist	*h = NULL, *h2;
	char			 err[CURL_ERROR_SIZE], *line, *ct = NULL;
	CURL			*c;
	CURLcode		 rc;
	long			 ms;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.a = op->a;
	ms = (long)((op->deadline - pt_mono()) * 1000);
	if (ms <= 0) {
		pt_log(PT_LOG_ERR, "oidc: %s: no time left of [oidc] timeout",
		    what);
		return PT_ERR;
	}
	if ((c = curl_easy_init()) == NULL) {
		pt_log(PT_LOG_ERR, "oidc: %s: curl_easy_init failed", what);
		return PT_ERR;
	}
	pt_arena_cleanup(op->a, curl_cleanup, c);
	if ((h = curl_slist_append(NULL, "Accept: application/json")) == NULL)
		abort();
	pt_arena_cleanup(op->a, slist_cleanup, h);
	if (auth != NULL) {
		line = pt_printf(op->a, "Authorization: %s", auth);
		h2 = curl_slist_append(h, line);
		explicit_bzero(line, strlen(line));
		if (h2 == NULL)
			abort();
	}
	protos = op->cfg->oidc_allow_http ? "http,https" : "https";
	err[0] = '\0';
	if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)PT_OIDC_RESPONSE_MAX) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT, "Portico") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write) !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err) != CURLE_OK ||
	    (body != NULL && (curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) !=
	    CURLE_OK || curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
	    (long)strlen(body)) != CURLE_OK))) {
		pt_log(PT_LOG_ERR, "oidc: %s: cannot set up libcurl", what);
		return PT_ERR;
	}
	rc = curl_easy_perform(c);
	/* The slist copied the header; curl's own copies die with c. */
	if (auth != NULL)
		for (h2 = h; h2 != NULL; h2 = h2->next)
			explicit_bzero(h2->data, strlen(h2->data));
	if (rc != CURLE_OK) {
		if (b.over || rc == CURLE_FILESIZE_EXCEEDED)
			pt_log(PT_LOG_ERR, "oidc: %s: response larger than %d "
			    "bytes", what, PT_OIDC_RESPONSE_MAX);
		else
			pt_log(PT_LOG_ERR, "oidc: %s: %s", what, err[0] != '\0' ?
			    err : curl_easy_strerror(rc));
		return PT_ERR;
	}
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status) !=
	    CURLE_OK)
		out->status = 0;
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL)
		out->ctype = pt_strdup(op->a, ct);
	out->body = b.p != NULL ? b.p : pt_strdup(op->a, "");
	out->len = b.len;
	return PT_OK;
}

static void
json_cleanup(void *j)
{
	json_decref(j);
}

/* The response body as a JSON object owned by the arena, or NULL. */
static json_t *
json_body(struct pt_arena *a, const struct http_resp *res)
{
	json_error_t	 err;
	json_t		*j;

	if ((j = json_loadb(res->body, res->len, JSON_REJECT_DUPLICATES,
	    &err)) == NULL)
		return NULL;
	pt_arena_cleanup(a, json_cleanup, j);
	return json_is_object(j) ? j : NULL;
}

/* True if the media type of ctype is type (parameters ignored). */
static bool
ctype_is(const char *ctype, const char *type)
{
	size_t	n = strlen(type);

	return ctype != NULL && strncasecmp(ctype, type, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/* ------------------------------------------------------- provider data */

static const char *
disc_url(struct op *op, const json_t *doc, const char *key, bool required,
    struct pt_arena *keep, bool *bad)
{
	json_t		*v;
	const char	*s;

	if ((v = json_object_get(doc, key)) == NULL) {
		if (required) {
			pt_log(PT_LOG_ERR, "oidc: discovery document has no %s",
			    key);
			*bad = true;
		}
		return NULL;
	}
	if ((s = json_is_string(v) ? json_string_value(v) : NULL) == NULL ||
	    !url_ok(op->cfg, s)) {
		pt_log(PT_LOG_ERR, "oidc: discovery document: %s is not an "
		    "acceptable URL", key);
		*bad = true;
		return NULL;
	}
	return pt_strdup(keep, s);
}

/*
 * Fetches the discovery document and replaces the cached one.  PT_OK or
 * PT_ERR (logged).
 */
static int
disc_fetch(struct op *op)
{
	const char		*iss = op->cfg->oidc_issuer, *got;
	struct http_resp	 res;
	struct pt_arena		*keep;
	struct disc		 d;
	json_t			*doc, *v;
	size_t			 n = strlen(iss);
	bool			 bad = false;

	/* OIDC Discovery 4: a trailing '/' of the issuer is dropped. */
	if (n > 0 && iss[n - 1] == '/')
		n--;
	if (http_call(op, "discovery", pt_printf(op->a, "%.*s%s", (int)n, iss,
	    disc_path), NULL, NULL, &res) != PT_OK)
		return PT_ERR;
	if (res.status != 200) {
		pt_log(PT_LOG_ERR, "oidc: discovery: HTTP status %ld",
		    res.status);
		return PT_ERR;
	}
	if ((doc = json_body(op->a, &res)) == NULL) {
		pt_log(PT_LOG_ERR, "oidc: discovery document is not a JSON "
		    "object");
		return PT_ERR;
	}
	if ((got = pt_json_str(doc, "issuer")) == NULL ||
	    strcmp(got, iss) != 0) {
		/* Not quoted: the value is the provider's, not ours. */
		pt_log(PT_LOG_ERR, "oidc: discovery document names another "
		    "issuer than [oidc] issuer");
		return PT_ERR;
	}
	keep = pt_arena_new();
	memset(&d, 0, sizeof(d));
	d.authorization_endpoint = disc_url(op, doc, "authorization_endpoint",
	    true, keep, &bad);
	d.token_endpoint = disc_url(op, doc, "token_endpoint", true, keep,
	    &bad);
	d.jwks_uri = disc_url(op, doc, "jwks_uri", true, keep, &bad);
	d.userinfo_endpoint = disc_url(op, doc, "userinfo_endpoint", false,
	    keep, &bad);
	d.end_session_endpoint = disc_url(op, doc, "end_session_endpoint",
	    false, keep, &bad);
	v = json_object_get(doc, "authorization_response_iss_parameter_supported");
	d.iss_param = json_is_true(v);
	if (bad) {
		pt_arena_free(keep);
		return PT_ERR;
	}
	if (cache.disc_arena != NULL)
		pt_arena_free(cache.disc_arena);
	cache.disc_arena = keep;
	cache.disc = d;
	cache.disc_at = pt_mono();
	return PT_OK;
}

/* The discovery document, fetched if absent, stale or fresh is set. */
static int
disc_get(struct op *op, bool fresh)
{
	if (!fresh && cache.disc_arena != NULL &&
	    pt_mono() - cache.disc_at < DISCOVERY_TTL)
		return PT_OK;
	return disc_fetch(op);
}

/* Fetches the JWKS and replaces the cached one.  PT_OK or PT_ERR. */
static int
jwks_fetch(struct op *op)
{
	struct http_resp	 res;
	struct pt_arena		*keep;
	struct pt_jwks		*set;
	const char		*why;

	if (disc_get(op, false) != PT_OK)
		return PT_ERR;
	if (http_call(op, "JWKS", cache.disc.jwks_uri, NULL, NULL, &res) !=
	    PT_OK)
		return PT_ERR;
	if (res.status != 200) {
		pt_log(PT_LOG_ERR, "oidc: JWKS: HTTP status %ld", res.status);
		return PT_ERR;
	}
	keep = pt_arena_new();
	if (pt_jwks_parse(keep, res.body, res.len, &set, &why) != PT_OK) {
		pt_log(PT_LOG_ERR, "oidc: JWKS: %s", why);
		pt_arena_free(keep);
		return PT_ERR;
	}
	if (set->n == 0)
		pt_log(PT_LOG_WARN, "oidc: JWKS holds no RS256 or ES256 key");
	if (cache.jwks_arena != NULL)
		pt_arena_free(cache.jwks_arena);
	cache.jwks_arena = keep;
	cache.jwks = set;
	cache.jwks_at = pt_mono();
	return PT_OK;
}

/* Takes one refetch from the bucket that logout tokens draw on. */
static bool
bucket_take(void)
{
	double	now = pt_mono();

	if (cache.tokens_at == 0)
		cache.tokens = JWKS_BURST;
	else
		cache.tokens += (now - cache.tokens_at) / JWKS_REFILL;
	if (cache.tokens > JWKS_BURST)
		cache.tokens = JWKS_BURST;
	cache.tokens_at = now;
	if (cache.tokens < 1.0)
		return false;
	cache.tokens -= 1.0;
	return true;
}

/*
 * The key that should verify jws: from the cached JWKS, or after fetching
 * it again (once; for untrusted tokens only while the bucket allows).
 * PT_OK with *key, PT_DECLINED (logged) when no key fits, PT_ERR.
 */
static int
key_for(struct op *op, const char *what, const struct pt_jws *jws,
    bool trusted, const struct pt_jwk **key)
{
	const char	*why;
	bool		 fetched = false;

	if (cache.jwks == NULL || pt_mono() - cache.jwks_at >= JWKS_TTL) {
		if (jwks_fetch(op) != PT_OK)
			return PT_ERR;
		fetched = true;
	}
	if ((*key = pt_jwks_find(cache.jwks, jws, &why)) != NULL)
		return PT_OK;
	if (!fetched) {
		if (!trusted && !bucket_take()) {
			pt_log(PT_LOG_WARN, "oidc: %s: %s, and JWKS refetches "
			    "are rate-limited", what, why);
			return PT_DECLINED;
		}
		if (jwks_fetch(op) != PT_OK)
			return PT_ERR;
		if ((*key = pt_jwks_find(cache.jwks, jws, &why)) != NULL)
			return PT_OK;
	}
	pt_log(PT_LOG_WARN, "oidc: %s refused: %s", what, why);
	return PT_DECLINED;
}

/* typ names another kind of JWT (RFC 8725 3.11 explicit typing). */
static bool
typ_foreign(const char *typ)
{
	static const char *const foreign[] = { "logout+jwt",
	    "application/logout+jwt", "at+jwt", "application/at+jwt" };
	size_t	i;

	for (i = 0; typ != NULL && i < PT_NELEM(foreign); i++)
		if (strcasecmp(typ, foreign[i]) == 0)
			return true;
	return false;
}

/*
 * Parses and verifies a JWT from the provider and checks its registered
 * claims.  PT_OK with *jws, PT_DECLINED (logged), PT_ERR.
 */
static int
jwt_verify(struct op *op, const char *what, const char *tok, bool trusted,
    const char *nonce, struct pt_jws *jws)
{
	const struct pt_jwk	*key;
	struct pt_jwt_expect	 exp;
	const char		*why;
	int			 rc;

	if (pt_jws_parse(op->a, tok, strlen(tok), PT_JOSE_ALGS_DEFAULT, jws,
	    &why) != PT_OK) {
		pt_log(PT_LOG_WARN, "oidc: %s refused: %s", what, why);
		return PT_DECLINED;
	}
	if ((rc = key_for(op, what, jws, trusted, &key)) != PT_OK)
		return rc;
	if (pt_jws_verify(jws, key, &why) != PT_OK) {
		pt_log(PT_LOG_WARN, "oidc: %s refused: %s", what, why);
		return PT_DECLINED;
	}
	memset(&exp, 0, sizeof(exp));
	exp.iss = op->cfg->oidc_issuer;
	exp.aud = op->cfg->oidc_client_id;
	exp.nonce = nonce;
	exp.now = time(NULL);
	exp.leeway = PT_OIDC_LEEWAY;
	if (pt_jwt_check(jws->claims, &exp, &why) != PT_OK) {
		pt_log(PT_LOG_WARN, "oidc: %s refused: %s", what, why);
		return PT_DECLINED;
	}
	return PT_OK;
}

/* ----------------------------------------------------------------- begin */

/* 256 random bits as 43 characters of base64url, or NULL. */
static char *
random_b64(struct pt_arena *a)
{
	unsigned char	buf[RANDOM_BYTES];
	char		*s;

	if (RAND_bytes(buf, sizeof(buf)) != 1)
		return NULL;
	s = pt_b64url_encode(a, buf, sizeof(buf));
	OPENSSL_cleanse(buf, sizeof(buf));
	return s;
}

/*
 * [oidc] scopes as one space-separated string holding "openid", or NULL
 * if a scope holds a character RFC 6749 3.3 forbids.
 */
static char *
scopes(struct pt_arena *a, const char *conf)
{
	const char	*p, *end;
	char		*out;
	size_t		 n, i;

	/* "openid" leads whether it is listed or not. */
	out = pt_printf(a, "openid");
	for (p = conf != NULL ? conf : ""; *p != '\0'; p = end) {
		while (*p == ' ' || *p == '\t')
			p++;
		for (end = p; *end != '\0' && *end != ' ' && *end != '\t'; end++)
			;
		if ((n = (size_t)(end - p)) == 0)
			continue;
		for (i = 0; i < n; i++)
			if (p[i] < 0x21 || p[i] > 0x7e || p[i] == '"' ||
			    p[i] == '\\')
				return NULL;
		if (n == 6 && strncmp(p, "openid", 6) == 0)
			continue;
		out = pt_printf(a, "%s %.*s", out, (int)n, p);
	}
	return out;
}

/* return_to when it is a local path, else "/". */
static const char *
local_path(struct pt_arena *a, const char *s)
{
	size_t	i;

	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return "/";
	for (i = 0; s[i] != '\0'; i++)
		if (i >= RETURN_MAX || (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] == 0x7f || s[i] == '\\')
			return "/";
	return pt_strdup(a, s);
}

/*
 * Starts a sign-in; see oidc.h.  Returns PT_OK with *out (arena-owned),
 * PT_DECLINED or PT_ERR.
 */
int
pt_oidc_begin(const struct pt_config *cfg, struct pt_arena *a,
    const char *return_to, struct pt_oidc_pending *out)
{
	struct op	 op;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	const char	*ep, *challenge, *scope;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = op_start(&op, cfg, a)) != PT_OK)
		return rc;
	if ((scope = scopes(a, cfg->oidc_scopes)) == NULL) {
		pt_log(PT_LOG_ERR, "oidc: [oidc] scopes holds a character a "
		    "scope may not have");
		return PT_ERR;
	}
	if (disc_get(&op, true) != PT_OK)
		return PT_ERR;
	if ((out->state = random_b64(a)) == NULL ||
	    (out->nonce = random_b64(a)) == NULL ||
	    (out->verifier = random_b64(a)) == NULL) {
		pt_log(PT_LOG_ERR, "oidc: RAND_bytes failed");
		return PT_ERR;
	}
	/* RFC 7636 4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
	if (EVP_Digest(out->verifier, strlen(out->verifier), md, &mdlen,
	    EVP_sha256(), NULL) != 1) {
		pt_log(PT_LOG_ERR, "oidc: SHA-256 failed");
		return PT_ERR;
	}
	challenge = pt_b64url_encode(a, md, mdlen);
	ep = cache.disc.authorization_endpoint;
	out->url = pt_printf(a, "%s%cresponse_type=code&client_id=%s"
	    "&redirect_uri=%s&scope=%s&state=%s&nonce=%s&code_challenge=%s"
	    "&code_challenge_method=S256", ep, strchr(ep, '?') ? '&' : '?',
	    pt_url_encode(a, cfg->oidc_client_id, ""),
	    pt_url_encode(a, cfg->oidc_redirect_uri, ""),
	    pt_url_encode(a, scope, ""), out->state, out->nonce, challenge);
	out->return_to = local_path(a, return_to);
	return PT_OK;
}

/* ---------------------------------------------------------------- finish */

/*
 * Exchanges the code.  PT_OK with *tok (the token response), PT_DECLINED
 * when the provider refuses the grant, PT_ERR.
 */
static int
token_request(struct op *op, const char *code, const char *verifier,
    json_t **tok)
{
	const struct pt_config	*cfg = op->cfg;
	struct http_resp	 res;
	char			*body, *auth = NULL, *pair;
	json_t			*j;
	bool			 post;
	int			 rc;

	*tok = NULL;
	post = cfg->oidc_auth_method != NULL &&
	    strcmp(cfg->oidc_auth_method, "client_secret_post") == 0;
	body = pt_printf(op->a, "grant_type=authorization_code&code=%s"
	    "&redirect_uri=%s&code_verifier=%s",
	    pt_url_encode(op->a, code, ""),
	    pt_url_encode(op->a, cfg->oidc_redirect_uri, ""), verifier);
	if (post) {
		body = pt_printf(op->a, "%s&client_id=%s&client_secret=%s",
		    body, pt_url_encode(op->a, cfg->oidc_client_id, ""),
		    pt_url_encode(op->a, cfg->oidc_client_secret, ""));
	} else {
		/* RFC 6749 2.3.1: both parts form-urlencoded first. */
		pair = pt_printf(op->a, "%s:%s",
		    pt_url_encode(op->a, cfg->oidc_client_id, ""),
		    pt_url_encode(op->a, cfg->oidc_client_secret, ""));
		auth = pt_alloc(op->a, 6 + 4 * (strlen(pair) / 3 + 1) + 1);
		memcpy(auth, "Basic ", 6);
		EVP_EncodeBlock((unsigned char *)auth + 6,
		    (unsigned char *)pair, (int)strlen(pair));
		explicit_bzero(pair, strlen(pair));
	}
	rc = http_call(op, "token request", cache.disc.token_endpoint, body,
	    auth, &res);
	explicit_bzero(body, strlen(body));
	if (auth != NULL)
		explicit_bzero(auth, strlen(auth));
	if (rc != PT_OK)
		return PT_ERR;
	j = json_body(op->a, &res);
	if (res.status == 200) {
		if (j == NULL) {
			pt_log(PT_LOG_ERR, "oidc: token response is not a JSON "
			    "object");
			return PT_ERR;
		}
		*tok = j;
		return PT_OK;
	}
	if (res.status == 400 || res.status == 401) {
		const char *e = errcode(pt_json_str(j, "error"));

		if (strcmp(e, "invalid_client") == 0 ||
		    strcmp(e, "unauthorized_client") == 0) {
			pt_log(PT_LOG_ERR, "oidc: token endpoint refused the "
			    "client (%s): check [oidc] client_id, "
			    "client_secret and auth_method", e);
			return PT_ERR;
		}
		pt_log(PT_LOG_WARN, "oidc: token endpoint refused the code: %s",
		    e);
		return PT_DECLINED;
	}
	pt_log(PT_LOG_ERR, "oidc: token endpoint: HTTP status %ld", res.status);
	return PT_ERR;
}

/*
 * Reads the userinfo endpoint with the access token.  PT_OK with *ui (or
 * NULL when the provider answers with something other than JSON),
 * PT_DECLINED when it speaks of another subject, PT_ERR.
 */
static int
userinfo(struct op *op, const char *access, const char *sub, json_t **ui)
{
	struct http_resp	 res;
	const char		*got;
	char			*auth;
	int			 rc;

	*ui = NULL;
	if (!printable(access, 65536) || strchr(access, ' ') != NULL) {
		pt_log(PT_LOG_ERR, "oidc: access token unfit for a header");
		return PT_ERR;
	}
	auth = pt_printf(op->a, "Bearer %s", access);
	rc = http_call(op, "userinfo", cache.disc.userinfo_endpoint, NULL,
	    auth, &res);
	explicit_bzero(auth, strlen(auth));
	if (rc != PT_OK)
		return PT_ERR;
	if (res.status != 200) {
		pt_log(PT_LOG_ERR, "oidc: userinfo: HTTP status %ld",
		    res.status);
		return PT_ERR;
	}
	if (!ctype_is(res.ctype, "application/json")) {
		pt_log(PT_LOG_WARN, "oidc: userinfo is not plain JSON (signed "
		    "or encrypted userinfo is not supported); using the ID "
		    "token's claims only");
		return PT_OK;
	}
	if ((*ui = json_body(op->a, &res)) == NULL) {
		pt_log(PT_LOG_ERR, "oidc: userinfo is not a JSON object");
		return PT_ERR;
	}
	/* OIDC Core 5.3.2: a response about someone else is substitution. */
	if ((got = pt_json_str(*ui, "sub")) == NULL || strcmp(got, sub) != 0) {
		pt_log(PT_LOG_WARN, "oidc: userinfo sub differs from the ID "
		    "token's");
		*ui = NULL;
		return PT_DECLINED;
	}
	return PT_OK;
}

/* A configured claim name, or NULL when the setting is empty. */
static const char *
claim_name(const char *conf)
{
	return conf != NULL && *conf != '\0' ? conf : NULL;
}

/* The claim from the ID token, else from userinfo, else NULL. */
static json_t *
claim(const json_t *idt, const json_t *ui, const char *name)
{
	json_t	*v;

	if (name == NULL)
		return NULL;
	if ((v = json_object_get(idt, name)) != NULL)
		return v;
	return ui != NULL ? json_object_get(ui, name) : NULL;
}

static const char *
claim_str(const json_t *idt, const json_t *ui, const char *name)
{
	json_t	*v = claim(idt, ui, name);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return json_string_value(v);
}

/* True if the ID token lacks a claim the identity wants. */
static bool
need_userinfo(const struct pt_config *cfg, const json_t *idt)
{
	const char	*names[4];
	size_t		 i;

	names[0] = claim_name(cfg->oidc_name_claim);
	names[1] = claim_name(cfg->oidc_email_claim);
	names[2] = claim_name(cfg->oidc_org_claim);
	names[3] = claim_name(cfg->oidc_groups_claim);
	for (i = 0; i < PT_NELEM(names); i++)
		if (names[i] != NULL && json_object_get(idt, names[i]) == NULL)
			return true;
	return json_object_get(idt, "preferred_username") == NULL &&
	    json_object_get(idt, names[1] ? names[1] : "email") == NULL;
}

/* Fills out->groups from a groups claim.  PT_OK or PT_DECLINED. */
static int
groups_fill(struct pt_arena *a, const json_t *v, struct pt_identity *out)
{
	const char	**g;
	json_t		 *e;
	size_t		  i, n = 0, skipped = 0;

	out->groups = NULL;
	out->ngroups = 0;
	if (v == NULL || json_is_null(v))
		return PT_OK;
	if (json_is_string(v)) {
		g = pt_alloc(a, sizeof(*g));
		g[0] = json_string_value(v);
		out->groups = g;
		out->ngroups = json_string_length(v) > 0 ? 1 : 0;
		return PT_OK;
	}
	if (!json_is_array(v)) {
		pt_log(PT_LOG_WARN, "oidc: groups claim is neither an array "
		    "nor a string; no groups taken");
		return PT_OK;
	}
	if (json_array_size(v) > PT_OIDC_GROUPS_MAX) {
		/* Truncating would drop roles at random: refuse instead. */
		pt_log(PT_LOG_WARN, "oidc: groups claim holds %zu values, more "
		    "than %d", json_array_size(v), PT_OIDC_GROUPS_MAX);
		return PT_DECLINED;
	}
	g = pt_alloc(a, (json_array_size(v) + 1) * sizeof(*g));
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || json_string_length(e) == 0 ||
		    json_string_length(e) > PT_OIDC_GROUP_LEN_MAX) {
			skipped++;
			continue;
		}
		g[n++] = json_string_value(e);
	}
	if (skipped > 0)
		pt_log(PT_LOG_WARN, "oidc: %zu groups claim values skipped (not "
		    "a string of 1 to %d bytes)", skipped,
		    PT_OIDC_GROUP_LEN_MAX);
	out->groups = g;
	out->ngroups = n;
	return PT_OK;
}

static int
identity_fill(struct op *op, const json_t *idt, const json_t *ui,
    const char *sub, struct pt_identity *out)
{
	const struct pt_config	*cfg = op->cfg;
	const char		*sid;

	memset(out, 0, sizeof(*out));
	out->source = "oidc";
	out->external_id = pt_printf(op->a, "%s %s", cfg->oidc_issuer, sub);
	out->name = claim_str(idt, ui, claim_name(cfg->oidc_name_claim));
	out->email = claim_str(idt, ui, claim_name(cfg->oidc_email_claim));
	out->organisation = claim_str(idt, ui,
	    claim_name(cfg->oidc_org_claim));
	if ((out->login = claim_str(idt, ui, "preferred_username")) == NULL &&
	    (out->login = out->email) == NULL)
		out->login = sub;
	if (groups_fill(op->a, claim(idt, ui, claim_name(
	    cfg->oidc_groups_claim)), out) != PT_OK)
		return PT_DECLINED;
	if ((sid = pt_json_str(idt, "sid")) != NULL) {
		if (!printable(sid, ID_MAX)) {
			pt_log(PT_LOG_WARN, "oidc: ID token refused: sid is "
			    "not 1 to %d printable characters", ID_MAX);
			return PT_DECLINED;
		}
		out->idp_sid = sid;
	}
	return PT_OK;
}

/*
 * Completes a sign-in; see oidc.h.  Returns PT_OK with *out (arena-owned),
 * PT_DECLINED or PT_ERR.
 */
int
pt_oidc_finish(const struct pt_config *cfg, struct pt_arena *a,
    const struct pt_oidc_callback *cb, const struct pt_oidc_pending *stored,
    struct pt_identity *out, const char **id_token)
{
	struct op	 op;
	struct pt_jws	 jws;
	json_t		*tok, *ui = NULL;
	const char	*idt, *access, *type, *sub;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (id_token != NULL)
		*id_token = NULL;
	if ((rc = op_start(&op, cfg, a)) != PT_OK)
		return rc;
	if (cb->error != NULL) {
		pt_log(PT_LOG_WARN, "oidc: provider answered the sign-in with "
		    "error %s", errcode(cb->error));
		return PT_DECLINED;
	}
	if (cb->code == NULL || cb->state == NULL || stored == NULL ||
	    stored->state == NULL || stored->nonce == NULL ||
	    stored->verifier == NULL) {
		pt_log(PT_LOG_WARN, "oidc: callback without code or state");
		return PT_DECLINED;
	}
	if (strlen(cb->state) != strlen(stored->state) ||
	    CRYPTO_memcmp(cb->state, stored->state, strlen(cb->state)) != 0) {
		pt_log(PT_LOG_WARN, "oidc: callback state does not match");
		return PT_DECLINED;
	}
	if (*cb->code == '\0' || strlen(cb->code) > CODE_MAX) {
		pt_log(PT_LOG_WARN, "oidc: callback code empty or too long");
		return PT_DECLINED;
	}
	if (disc_get(&op, false) != PT_OK)
		return PT_ERR;
	/* RFC 9207: the response names the issuer that sent it. */
	if (cb->iss != NULL ? strcmp(cb->iss, cfg->oidc_issuer) != 0 :
	    cache.disc.iss_param) {
		pt_log(PT_LOG_WARN, "oidc: callback iss %s the issuer",
		    cb->iss != NULL ? "is not" : "is missing; expected");
		return PT_DECLINED;
	}

	if ((rc = token_request(&op, cb->code, stored->verifier, &tok)) !=
	    PT_OK)
		return rc;
	if ((idt = pt_json_str(tok, "id_token")) == NULL) {
		pt_log(PT_LOG_ERR, "oidc: token response has no id_token "
		    "(is \"openid\" among the scopes the client may ask?)");
		return PT_ERR;
	}
	if ((rc = jwt_verify(&op, "ID token", idt, true, stored->nonce,
	    &jws)) != PT_OK)
		return rc;
	if (typ_foreign(jws.typ) || json_object_get(jws.claims, "events")) {
		pt_log(PT_LOG_WARN, "oidc: ID token refused: it is typed as "
		    "another kind of token");
		return PT_DECLINED;
	}
	if (!printable(sub = pt_json_str(jws.claims, "sub"), ID_MAX)) {
		pt_log(PT_LOG_WARN, "oidc: ID token refused: sub is not 1 to "
		    "%d printable characters", ID_MAX);
		return PT_DECLINED;
	}

	access = pt_json_str(tok, "access_token");
	type = pt_json_str(tok, "token_type");
	if (need_userinfo(cfg, jws.claims) && cache.disc.userinfo_endpoint !=
	    NULL && access != NULL && type != NULL &&
	    strcasecmp(type, "Bearer") == 0 &&
	    (rc = userinfo(&op, access, sub, &ui)) != PT_OK)
		return rc;
	if ((rc = identity_fill(&op, jws.claims, ui, sub, out)) != PT_OK) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (id_token != NULL)
		*id_token = idt;
	return PT_OK;
}

/* ---------------------------------------------------------------- logout */

/*
 * The RP-initiated logout URL; see oidc.h.  Returns PT_OK with *url
 * (arena-owned), PT_DECLINED or PT_ERR.
 */
int
pt_oidc_end_session_url(const struct pt_config *cfg, struct pt_arena *a,
    const char *id_token, const char *state, const char **url)
{
	struct op	 op;
	const char	*ep, *post;
	char		*u;
	int		 rc;

	*url = NULL;
	if ((rc = op_start(&op, cfg, a)) != PT_OK)
		return rc;
	if (disc_get(&op, false) != PT_OK)
		return PT_ERR;
	if ((ep = cache.disc.end_session_endpoint) == NULL)
		return PT_DECLINED;
	u = pt_printf(a, "%s%cclient_id=%s", ep, strchr(ep, '?') ? '&' : '?',
	    pt_url_encode(a, cfg->oidc_client_id, ""));
	/* A Location header must fit the web server's FastCGI buffer. */
	if (id_token != NULL && *id_token != '\0' &&
	    strlen(id_token) <= HINT_MAX)
		u = pt_printf(a, "%s&id_token_hint=%s", u,
		    pt_url_encode(a, id_token, ""));
	post = cfg->oidc_post_logout_redirect_uri;
	if (post != NULL && *post != '\0')
		u = pt_printf(a, "%s&post_logout_redirect_uri=%s", u,
		    pt_url_encode(a, post, ""));
	if (state != NULL && *state != '\0')
		u = pt_printf(a, "%s&state=%s", u, pt_url_encode(a, state, ""));
	*url = u;
	return PT_OK;
}

/* A NumericDate claim known to be present (pt_jwt_check looked). */
static int64_t
claim_time(const json_t *claims, const char *name)
{
	json_t	*v = json_object_get(claims, name);

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	return (int64_t)json_number_value(v);
}

/*
 * Verifies a back-channel logout token; see oidc.h.  Returns PT_OK with
 * *out (arena-owned), PT_DECLINED or PT_ERR.
 */
int
pt_oidc_backchannel(const struct pt_config *cfg, struct pt_arena *a,
    const char *logout_token, struct pt_oidc_logout *out)
{
	struct op	 op;
	struct pt_jws	 jws;
	json_t		*events, *ev;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = op_start(&op, cfg, a)) != PT_OK)
		return rc;
	if (logout_token == NULL) {
		pt_log(PT_LOG_WARN, "oidc: back-channel logout without a "
		    "logout_token");
		return PT_DECLINED;
	}
	/* A logout token never carries a nonce: NULL demands its absence. */
	if ((rc = jwt_verify(&op, "logout token", logout_token, false, NULL,
	    &jws)) != PT_OK)
		return rc;
	if (jws.typ != NULL && strcasecmp(jws.typ, "logout+jwt") != 0 &&
	    strcasecmp(jws.typ, "application/logout+jwt") != 0 &&
	    strcasecmp(jws.typ, "JWT") != 0) {
		pt_log(PT_LOG_WARN, "oidc: logout token refused: typ names "
		    "another kind of token");
		return PT_DECLINED;
	}
	events = json_object_get(jws.claims, "events");
	ev = json_object_get(events, bcl_event);
	if (!json_is_object(events) || !json_is_object(ev)) {
		pt_log(PT_LOG_WARN, "oidc: logout token refused: no "
		    "backchannel-logout event");
		return PT_DECLINED;
	}
	out->jti = pt_json_str(jws.claims, "jti");
	if (!printable(out->jti, ID_MAX)) {
		pt_log(PT_LOG_WARN, "oidc: logout token refused: jti missing "
		    "or malformed");
		memset(out, 0, sizeof(*out));
		return PT_DECLINED;
	}
	out->sid = pt_json_str(jws.claims, "sid");
	out->sub = pt_json_str(jws.claims, "sub");
	if ((out->sid == NULL && out->sub == NULL) ||
	    (json_object_get(jws.claims, "sid") != NULL &&
	    !printable(out->sid, ID_MAX)) ||
	    (json_object_get(jws.claims, "sub") != NULL &&
	    !printable(out->sub, ID_MAX))) {
		pt_log(PT_LOG_WARN, "oidc: logout token refused: needs a sid "
		    "or a sub of 1 to %d printable characters", ID_MAX);
		memset(out, 0, sizeof(*out));
		return PT_DECLINED;
	}
	if (out->sub != NULL)
		out->external_id = pt_printf(a, "%s %s", cfg->oidc_issuer,
		    out->sub);
	out->iat = claim_time(jws.claims, "iat");
	out->exp = claim_time(jws.claims, "exp");
	return PT_OK;
}
