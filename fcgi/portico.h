/*
 * portico.h - the one header that Portico modules, the CLI and the tests include.
 *
 * It declares the core that lives in fcgi/: the per-request arena, the input
 * parsers and their limits, the route table, the request and response, the
 * XML builder, the XSLT view cache, the MariaDB wrapper, configuration and
 * logging.  Modules (modules/<feature>.c) see nothing of libfcgi: they get a
 * struct pt_req, read validated fields, add XML nodes and return a status.
 *
 * Conventions, used everywhere below:
 *  - Functions return PT_OK, PT_ERR or PT_DECLINED ("not mine" / "not found",
 *    never an error) unless they say otherwise; handlers return an HTTP status.
 *  - Memory handed out for a request comes from r->arena and is released with
 *    it; nobody frees it by hand.  Library objects are registered as arena
 *    cleanups when created, so each has exactly one owner.
 *  - Allocation failure aborts the worker (the master respawns it), so no
 *    function here returns NULL for lack of memory.
 *
 * To add a module: write modules/<name>.c exporting one const struct
 * pt_module, list it in modules/modules.c, add the file to Makefile.am, its
 * stylesheets under xslt/<name>/ and its tests under tests/.
 */
#ifndef PORTICO_H
#define PORTICO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libxml/tree.h>

#define PT_WUR		__attribute__((warn_unused_result))
#define PT_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define PT_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum {
	PT_OK = 0,
	PT_ERR = -1,
	PT_DECLINED = -2,
};

/* ------------------------------------------------------------------ arena */

/*
 * A region allocator with cleanups (fcgi/arena.c).  One arena lives for one
 * request; pt_arena_reset() runs the cleanups in reverse order of
 * registration and keeps the first chunk so the next request allocates
 * nothing from malloc in the common case.
 */
struct pt_arena;

struct pt_arena	*pt_arena_new(void);
void		 pt_arena_reset(struct pt_arena *);
void		 pt_arena_free(struct pt_arena *);
/* Zero-filled, aligned for any type. */
void		*pt_alloc(struct pt_arena *, size_t);
char		*pt_strdup(struct pt_arena *, const char *);
char		*pt_strndup(struct pt_arena *, const char *, size_t);
char		*pt_printf(struct pt_arena *, const char *, ...) PT_PRINTF(2, 3);
char		*pt_vprintf(struct pt_arena *, const char *, va_list);
/* Runs fn(arg) when the arena is reset or freed, last registered first. */
void		 pt_arena_cleanup(struct pt_arena *, void (*fn)(void *), void *);

/* ------------------------------------------------------- key/value lists */

struct pt_kv {
	const char	*key;
	const char	*val;	/* NUL-terminated; vlen excludes the NUL */
	size_t		 vlen;
};

/* An ordered list; repeated keys are kept in order of appearance. */
struct pt_kvlist {
	struct pt_kv	*v;
	size_t		 n;
	size_t		 cap;
};

void		 pt_kv_add(struct pt_arena *, struct pt_kvlist *, const char *,
		    const char *, size_t);
/* The first value for key, or NULL. */
const char	*pt_kv_get(const struct pt_kvlist *, const char *);

/* --------------------------------------------------------------- parsers */

/*
 * Hard limits on what a client may send (fcgi/request.c).  Each has a
 * [limits] key in portico.conf; the defaults are in fcgi/config.c.
 */
struct pt_limits {
	size_t	body_max;	/* urlencoded request body, bytes: 413 */
	size_t	headers_max;	/* all HTTP_* params together, bytes: 431 */
	size_t	cookie_max;	/* the Cookie header, bytes: 431 */
	size_t	query_max;	/* the query string, bytes: 414 */
	size_t	fields_max;	/* pairs in one query, body or cookie header: 400 */
};

/*
 * Outcome of a parser.  Parsers are pure functions of their input, which is
 * what makes them fuzzable (tests/fuzz/).
 */
enum pt_parse {
	PT_PARSE_OK = 0,
	PT_PARSE_BAD,		/* malformed encoding: 400 */
	PT_PARSE_TOOMANY,	/* more than fields_max pairs: 400 */
	PT_PARSE__MAX
};

/*
 * Decodes %XX (and '+' as space when plus is true) from src[0..len) into
 * dst, which must hold len + 1 bytes, and NUL-terminates it.  Rejects bad
 * escapes, NUL bytes, control characters other than TAB, CR and LF, and
 * invalid UTF-8.  Returns PT_OK and sets *outlen, or PT_ERR.
 */
int		 pt_url_decode(char *dst, const char *src, size_t len, bool plus,
		    size_t *outlen) PT_WUR;
/* a=1&b=2 (query strings and urlencoded bodies), appended to out. */
enum pt_parse	 pt_parse_urlencoded(struct pt_arena *, const char *, size_t,
		    size_t fields_max, struct pt_kvlist *out) PT_WUR;
/* RFC 6265 Cookie header: "a=1; b=2", values are not percent-decoded. */
enum pt_parse	 pt_parse_cookies(struct pt_arena *, const char *, size_t,
		    size_t fields_max, struct pt_kvlist *out) PT_WUR;
/* True if s[0..len) is valid UTF-8 without NUL. */
bool		 pt_utf8_valid(const char *, size_t);
/* Bytes in the valid UTF-8 sequence at s (len >= 1), 0 if none. */
size_t		 pt_utf8_seq(const unsigned char *, size_t);
/* Percent-encoding of all but unreserved characters and keep; arena. */
char		*pt_url_encode(struct pt_arena *, const char *, const char *keep);
/* Unpadded base64url of buf[0..len); arena. */
char		*pt_b64url_encode(struct pt_arena *, const unsigned char *,
		    size_t);

/* ---------------------------------------------------------------- routes */

enum pt_method {
	PT_GET = 1u << 0,
	PT_HEAD = 1u << 1,	/* implied by PT_GET */
	PT_POST = 1u << 2,
	PT_PUT = 1u << 3,
	PT_DELETE = 1u << 4,
	PT_PATCH = 1u << 5,
	PT_OPTIONS = 1u << 6,
};

/*
 * Who may call a route.  Zero is deliberately not a policy: a route table
 * entry that forgets its access field fails the route guard test and
 * pt_routes_check() at startup.  Later modules add roles here.
 */
enum pt_access {
	PT_ACCESS_PUBLIC = 1u << 0,	/* anyone, signed in or not */
	PT_ACCESS_USER = 1u << 1,	/* any signed-in user */
	PT_ACCESS_ADMIN = 1u << 2,	/* portal administrators */
	PT_ACCESS_PARTNER_ADMIN = 1u << 3,
	PT_ACCESS_CHANNEL_MANAGER = 1u << 4,
	PT_ACCESS_CONTENT_MANAGER = 1u << 5,
	PT_ACCESS_MODERATOR = 1u << 6,
};

/*
 * Roles a user holds, granted by directory groups ([roles] in the config)
 * or by an administrator.  A role's access bit is pt_role_access[role]:
 * a route open to a role lists that bit in its access field.
 */
enum pt_role {
	PT_ROLE_PARTNER_USER,
	PT_ROLE_PARTNER_ADMIN,
	PT_ROLE_CHANNEL_MANAGER,
	PT_ROLE_CONTENT_MANAGER,
	PT_ROLE_MODERATOR,
	PT_ROLE_PORTAL_ADMIN,
	PT_ROLE__MAX
};

/* "partner_user", ...; the names used in the config, the DB and XML. */
extern const char *const pt_role_names[PT_ROLE__MAX];
extern const unsigned int pt_role_access[PT_ROLE__MAX];

enum pt_route_flag {
	PT_CSRF = 1u << 0,	/* state-changing: the core checks the token */
	PT_NOSESSION = 1u << 1,	/* never load or touch a session */
	PT_XMLVIEW = 1u << 2,	/* ?format=xml returns the XML document */
	PT_NODB = 1u << 3,	/* the handler needs no database */
	PT_RAW = 1u << 4,	/* handler writes its own body; no stylesheet */
	/*
	 * A state-changing route that no browser calls, authenticated by a
	 * signed token in the request instead (OIDC back-channel logout).
	 * Every use needs a comment saying what authenticates it.
	 */
	PT_NOCSRF = 1u << 5,
	/*
	 * The page is the same for every anonymous visitor: its GET responses
	 * to anonymous requests may be served again for [server]
	 * page_cache_ttl seconds (fcgi/pagecache.c).
	 */
	PT_CACHE = 1u << 6,
	/*
	 * A multipart/form-data upload route (fcgi/multipart.c): on POST the
	 * dispatcher reads only the text fields before the first file part
	 * into r->form, so fields and the CSRF token are checked centrally
	 * before any file byte is read; the handler streams the file with
	 * pt_upload_chunk().  Text fields must therefore precede the file.
	 */
	PT_UPLOAD = 1u << 7,
};

enum pt_ftype {
	PT_F_TEXT,	/* one line of UTF-8, no control characters */
	PT_F_MULTILINE,	/* UTF-8, TAB/CR/LF allowed */
	PT_F_INT,	/* decimal int64 within [min, max] */
	PT_F_SLUG,	/* [a-z0-9-], min..max bytes (min 0: may be "") */
	PT_F_BOOL,	/* "1"/"0"/"on"/"true"/"false"/"yes"/"no" */
	PT_F__MAX
};

enum pt_fsource {
	PT_IN_PATH = 1u << 0,	/* a {name} segment of the route path */
	PT_IN_QUERY = 1u << 1,
	PT_IN_BODY = 1u << 2,
};

/*
 * One accepted input.  Inputs a route does not list are ignored (tracking
 * parameters are common in partner mail); listed ones are validated before
 * the handler runs and a failure is a 400 naming the field.
 */
struct pt_field {
	const char	*name;
	enum pt_ftype	 type;
	unsigned int	 from;		/* enum pt_fsource bits */
	bool		 required;
	int64_t		 min;		/* PT_F_INT: value; text: length */
	int64_t		 max;		/* PT_F_INT: value; text: bytes, 0 = 1024 */
};

struct pt_req;

struct pt_route {
	const char		*path;		/* "/c/{id}/threads" */
	unsigned int		 methods;	/* enum pt_method bits */
	unsigned int		 access;	/* enum pt_access bits; never 0 */
	unsigned int		 flags;		/* enum pt_route_flag bits */
	const struct pt_field	*fields;	/* terminated by name == NULL */
	const char		*xsl;		/* relative to xslt_dir */
	int			(*fn)(struct pt_req *, xmlNodePtr out);
};

struct pt_module {
	const char		*name;
	const struct pt_route	*routes;	/* terminated by path == NULL */
	/* Called in each worker after fork; may be NULL. */
	int			(*init)(void);
};

/* The modules compiled in, NULL-terminated (modules/modules.c). */
extern const struct pt_module *const pt_modules[];

/*
 * Finds the route for path and method.  Path parameters are appended to
 * params (already percent-decoded, one segment each).  Returns PT_OK with
 * *out set; PT_DECLINED if no route has that path (404); PT_ERR if routes
 * have the path but not the method (405), with *allow set to their methods.
 */
int		 pt_route_match(const struct pt_module *const *, const char *path,
		    unsigned int method, struct pt_arena *, struct pt_kvlist *params,
		    const struct pt_route **out, const struct pt_module **mod,
		    unsigned int *allow) PT_WUR;
/* Checks every route for an access policy, a method and a stylesheet. */
int		 pt_routes_check(const struct pt_module *const *, char *err,
		    size_t errlen) PT_WUR;
/* "GET, HEAD, POST" for an Allow header; arena-allocated. */
const char	*pt_methods_str(struct pt_arena *, unsigned int);

/* --------------------------------------------------------------- request */

struct pt_db;
struct pt_config;
struct pt_sess;

/* A validated input, in route->fields order. */
struct pt_fval {
	bool		 present;
	const char	*str;
	size_t		 len;
	int64_t		 num;	/* PT_F_INT and PT_F_BOOL */
};

struct pt_req {
	struct pt_arena			*arena;
	const struct pt_config		*cfg;
	char				 id[33];	/* request id for logs */
	struct timespec			 start;
	unsigned long			 db_execs0;	/* for the access log */

	/* Input, parsed by the core before routing. */
	unsigned int			 method;
	const char			*method_name;
	const char			*uri;		/* raw path, no query */
	const char			*uri_full;	/* raw REQUEST_URI */
	const char			*path;		/* decoded, no query */
	const char			*query;		/* raw QUERY_STRING */
	const char			*remote_addr;
	const char			*host;
	bool				 https;
	struct pt_kvlist		 env;		/* FastCGI params */
	struct pt_kvlist		 args;		/* query string */
	struct pt_kvlist		 form;		/* urlencoded body */
	struct pt_kvlist		 cookies;
	struct pt_kvlist		 pathargs;	/* {name} segments */

	const struct pt_module		*module;
	const struct pt_route		*route;
	struct pt_fval			*fvals;
	bool				 want_xml;	/* ?format=xml */

	/* The worker's database connection, or NULL for PT_NODB routes. */
	struct pt_db			*db;

	/* The signed-in user (fcgi/session.c), or NULL. */
	struct pt_sess			*sess;
	/* Form token: the session's, or the anonymous browser's. */
	const char			*csrf;
	/*
	 * The browser's token (cookie), or NULL until a page needed one:
	 * binds an anonymous form and an OpenID Connect login in progress to
	 * this browser.
	 */
	const char			*browser;

	/* Output, written by the core after the handler. */
	int				 status;
	struct pt_kvlist		 headers;
	const char			*error;		/* readable message */
	/*
	 * Set by a handler whose page shows its own error (the sign-in form
	 * with "wrong password"): a 4xx/5xx then renders the route's
	 * stylesheet from the handler's document instead of the error page.
	 */
	bool				 keep_page;
	xmlDocPtr			 doc;
	const char			*body;		/* PT_RAW routes */
	size_t				 bodylen;
	const char			*ctype;		/* PT_RAW routes */
};

/* The validated value of a route field, or NULL/def if absent. */
const char	*pt_req_str(const struct pt_req *, const char *);
int64_t		 pt_req_int(const struct pt_req *, const char *, int64_t def);
/* A FastCGI parameter set by the web server, or NULL. */
const char	*pt_req_env(const struct pt_req *, const char *);

/*
 * Sets a readable message for the error page and returns status, so that a
 * handler can write `return pt_req_error(r, 404, "No such tier.");`.
 */
int		 pt_req_error(struct pt_req *, int status, const char *, ...)
		    PT_PRINTF(3, 4);

/* -------------------------------------------------------------- response */

/*
 * Adds a response header.  Refuses (PT_ERR, logged) a name that is not an
 * RFC 9110 token and a value with CR, LF or NUL: this is the one path by
 * which headers are written, so header injection cannot be forgotten.
 */
int		 pt_resp_header(struct pt_req *, const char *, const char *) PT_WUR;
/* A 303 to a local path; refuses anything but "/x" (not "//x"). */
int		 pt_resp_redirect(struct pt_req *, const char *) PT_WUR;
/* For PT_RAW routes: the body to send, arena-owned or static. */
void		 pt_resp_raw(struct pt_req *, const char *ctype, const char *, size_t);
/* True if a header value may be sent as is. */
bool		 pt_header_value_ok(const char *);


/* ------------------------------------------------------------- multipart */

/*
 * multipart/form-data (fcgi/multipart.c).  pt_mp_* is a pure pull parser,
 * fuzzed by tests/fuzz/fuzz_multipart.c; pt_upload_* reads the body of a
 * PT_UPLOAD route through it without holding a file in memory.
 */
struct pt_mp;
struct pt_io;

/* One part's headers; strings are arena-owned, valid UTF-8. */
struct pt_mp_part {
	const char	*name;		/* the form field */
	const char	*filename;	/* as sent, unsanitised; NULL: a text field */
	const char	*ctype;		/* as sent, or NULL; never trusted */
};

enum pt_mp_ev {
	PT_MP_NEED,		/* input used up: pt_mp_input() more */
	PT_MP_PART,		/* a part begins: *part */
	PT_MP_DATA,		/* bytes of the current part: *data, *len */
	PT_MP_PART_END,		/* the current part ended */
	PT_MP_END,		/* the closing delimiter was seen */
	PT_MP_BAD,		/* malformed: 400 */
	PT_MP__MAX
};

/* The boundary of a multipart/form-data Content-Type, or NULL; arena. */
const char	*pt_mp_boundary(struct pt_arena *, const char *ctype);
struct pt_mp	*pt_mp_new(struct pt_arena *, const char *boundary);
/* buf must stay valid until pt_mp_next() returns PT_MP_NEED. */
void		 pt_mp_input(struct pt_mp *, const char *buf, size_t len);
enum pt_mp_ev	 pt_mp_next(struct pt_mp *, const struct pt_mp_part **part,
		    const char **data, size_t *len) PT_WUR;
/* True once the closing delimiter has been seen. */
bool		 pt_mp_done(const struct pt_mp *);

/*
 * For the dispatcher (POST to a PT_UPLOAD route): reads the text fields
 * before the first file into r->form.  Returns 200 or an error status.
 */
int		 pt_upload_start(struct pt_req *, const struct pt_io *) PT_WUR;
/* The file part the handler may read, or NULL (no file in the form). */
const struct pt_mp_part *pt_upload_file(struct pt_req *);
/* The request's Content-Length: an upper bound on the file's size. */
uint64_t	 pt_upload_length(struct pt_req *);
/*
 * The next bytes of the file: their count with *data set (valid until the
 * next call), 0 at the end of the file, -1 if the body is malformed or
 * ended early (discard what was read).
 */
long		 pt_upload_chunk(struct pt_req *, const char **data) PT_WUR;
/* After the file: 200 if the form ends properly, else 400 (r->error). */
int		 pt_upload_finish(struct pt_req *) PT_WUR;

/* -------------------------------------------------------------- identity */

/*
 * What a login path (LDAP, OpenID Connect, the web server's SSO) hands to
 * the core once it has proven who the user is.  Strings are arena-owned
 * by the caller's request.
 */
struct pt_identity {
	const char		*source;	/* "ldap", "oidc", "header" */
	const char		*external_id;	/* DN, "issuer sub", REMOTE_USER */
	const char		*login;
	const char		*name;
	const char		*email;
	const char		*organisation;	/* organisation slug, or NULL */
	const char *const	*groups;
	size_t			 ngroups;
	const char		*idp_sid;	/* OIDC sid, or NULL */
	/*
	 * How a group named in [roles] is compared with one the source
	 * reported: LDAP DNs compare as DNs (case, spacing and escapes
	 * aside).  NULL: exact string comparison (OIDC groups, headers).
	 */
	bool			(*group_eq)(const char *configured,
				    const char *reported);
};

/* A signed-in user's session, loaded for each request (fcgi/session.c). */
struct pt_sess {
	int64_t		 id;
	int64_t		 user_id;
	const char	*login;
	const char	*name;
	const char	*email;
	int64_t		 org_id;	/* 0: none */
	const char	*org_name;
	bool		 org_vendor;	/* the user works for the vendor */
	unsigned int	 roles;		/* 1u << enum pt_role */
	unsigned int	 access;	/* PT_ACCESS_* bits those roles give */
	const char	*method;	/* "ldap", "oidc", "header" */
};

/*
 * Signs a proven identity in: creates or updates the user (just in time),
 * refuses a disabled one, maps directory groups to roles with their
 * provenance, ends the browser's previous session and starts a new one
 * (new token, new cookie).  Returns PT_OK; PT_DECLINED if the account is
 * disabled or the identity may not use the portal (r->error says why);
 * PT_ERR on a database error.
 */
int		 pt_auth_login(struct pt_req *, const struct pt_identity *) PT_WUR;
/*
 * Records the groups an identity source reports for user, the roles
 * [roles] maps them to and the community memberships [communities] maps
 * them to, replacing what that source granted before (manual grants and
 * other sources are left alone).  *removed is set when a role
 * the source had granted is gone.  Used at every sign-in and by directory
 * sync.  Runs inside the caller's transaction, if any.  PT_OK or PT_ERR.
 */
int		 pt_auth_apply_groups(struct pt_db *, struct pt_arena *,
		    const struct pt_config *, int64_t user,
		    const struct pt_identity *, bool *removed) PT_WUR;
/*
 * Appends an audit row; actor/subject 0 for none; a detail longer than the
 * column (1024) is cut, marked "...".  PT_OK or PT_ERR.
 */
int		 pt_audit(struct pt_db *, struct pt_arena *, int64_t actor,
		    const char *action, int64_t subject, const char *detail,
		    const char *request_id) PT_WUR;
/* Ends the request's session server-side and clears the cookie. */
int		 pt_auth_logout(struct pt_req *) PT_WUR;
/* Ends every session of a user (sign out everywhere, admin action). */
int		 pt_sess_end_user(struct pt_db *, struct pt_arena *, int64_t user,
		    const char *reason) PT_WUR;
/* Ends the sessions started with an IdP session id (back-channel logout). */
int		 pt_sess_end_idp(struct pt_db *, struct pt_arena *, const char *sid,
		    const char *sub, const char *reason) PT_WUR;
/*
 * Loads the session named by the request's cookie into r->sess (NULL if
 * none or no longer valid) and sets r->csrf; for an anonymous browser that
 * already has a browser token, sets r->browser and r->csrf from it.
 * Called by the dispatcher.
 */
int		 pt_sess_load(struct pt_req *) PT_WUR;
/*
 * Makes the user of a feed token (feed_tokens) the request's reader,
 * r->sess without a session row or form token, for feed routes.  PT_OK,
 * PT_DECLINED for an unknown or revoked token or an inactive user, PT_ERR.
 */
int		 pt_sess_feed_token(struct pt_req *, const char *token) PT_WUR;
/* The hex SHA-256 of a bearer token, as the database stores it. */
char		*pt_token_hash_hex(struct pt_arena *, const char *token);
/*
 * Makes sure the request has a browser token (creating the cookie); for an
 * anonymous request that also gives it a form token, put in the page.
 * Every handler that shows a form to anonymous users, or starts a login
 * that must come back to this browser, calls it first.  PT_OK or PT_ERR.
 */
int		 pt_sess_browser(struct pt_req *) PT_WUR;
/* True if the form token sent with r matches r->csrf (constant time). */
bool		 pt_csrf_ok(const struct pt_req *);
/* Adds <session> (user, roles, csrf) to the page envelope. */
void		 pt_sess_xml(const struct pt_req *, xmlNodePtr page);

/* ------------------------------------------------------------------- XML */

/*
 * The only way modules make markup (fcgi/xml.c).  Text always goes through
 * libxml2's raw-text calls, so '<' in a partner's company name is a
 * character, never a tag.  Text that is not valid UTF-8 or holds characters
 * XML 1.0 forbids is repaired (U+FFFD) rather than dropped or trusted.
 */
/* A document with one root element, freed with the arena. */
xmlDocPtr	 pt_xml_doc(struct pt_arena *, const char *root);
xmlNodePtr	 pt_xml_elem(xmlNodePtr parent, const char *name);
/* A child element holding text; text may be NULL (empty element). */
xmlNodePtr	 pt_xml_text(xmlNodePtr parent, const char *name, const char *text);
xmlNodePtr	 pt_xml_textf(xmlNodePtr parent, const char *name, const char *, ...)
		    PT_PRINTF(3, 4);
void		 pt_xml_attr(xmlNodePtr, const char *name, const char *value);
void		 pt_xml_attr_int(xmlNodePtr, const char *name, int64_t);
/* Serialises doc (UTF-8, indented) into the arena. */
int		 pt_xml_dump(struct pt_arena *, xmlDocPtr, char **out,
		    size_t *len) PT_WUR;
/* Parses untrusted XML: no network, no entity expansion, no DTD loading. */
xmlDocPtr	 pt_xml_parse(struct pt_arena *, const char *, size_t);

/* ----------------------------------------------------------------- views */

/*
 * Compiled stylesheets, cached per worker (fcgi/view.c).  pt_view_init()
 * installs the security policy (no writes, no network, reads only below
 * dir) and forgets earlier stylesheets; pt_view_load() compiles one ahead of
 * time so that a broken stylesheet fails a worker at start, not a partner's
 * request.
 */
int		 pt_view_init(const char *dir) PT_WUR;
int		 pt_view_load(const char *xsl) PT_WUR;
/* Transforms doc with xsl; output is arena-owned. */
int		 pt_view_render(struct pt_arena *, const char *xsl, xmlDocPtr,
		    char **out, size_t *len, const char **ctype) PT_WUR;
void		 pt_view_fini(void);

/* -------------------------------------------------------------- database */

/*
 * A MariaDB connection (fcgi/db.c).  Workers own one each, opened after
 * fork; auto-reconnect stays off because it silently loses transaction
 * state: a lost server makes the request in hand fail with PT_ERR and
 * pt_db_lost() true, and the next pt_db_ensure() reconnects.
 *
 * SQL reaches the server only through prepared statements.  A module keeps
 * its SQL in `static const char *const stmts[STMT__MAX]` and passes the
 * string; the connection caches the prepared handle by that pointer.
 */
struct pt_stmt;

struct pt_db	*pt_db_new(const struct pt_config *);
void		 pt_db_free(struct pt_db *);
/* Connects if not connected.  PT_OK, or PT_ERR (logged) if unreachable. */
int		 pt_db_ensure(struct pt_db *) PT_WUR;
/* True once the server has gone away; cleared by a successful connect. */
bool		 pt_db_lost(const struct pt_db *);
/* Human-readable text of the last error on this connection. */
const char	*pt_db_errstr(const struct pt_db *);

/*
 * Returns the prepared statement for sql, ready for binding, or NULL on
 * error (logged).  The statement is reset when the arena is.
 */
struct pt_stmt	*pt_db_stmt(struct pt_db *, struct pt_arena *, const char *sql);
/* Parameters are numbered from 0 in the order of the '?' markers. */
void		 pt_db_bind_int(struct pt_stmt *, unsigned int, int64_t);
void		 pt_db_bind_text(struct pt_stmt *, unsigned int, const char *);
void		 pt_db_bind_null(struct pt_stmt *, unsigned int);
/* Executes; for a result set, stores it client-side. */
int		 pt_db_exec(struct pt_stmt *) PT_WUR;
/*
 * Statements executed on this connection so far; the access log shows the
 * difference for each request as "q=N" (tests use it to prove a page's
 * query count does not grow with its content).
 */
unsigned long	 pt_db_exec_count(const struct pt_db *);
/* PT_OK with a row, PT_DECLINED at the end, PT_ERR on error. */
int		 pt_db_fetch(struct pt_stmt *) PT_WUR;
bool		 pt_db_col_null(struct pt_stmt *, unsigned int);
int64_t		 pt_db_col_int(struct pt_stmt *, unsigned int);
/* Column text, arena-owned; "" for NULL. */
const char	*pt_db_col_text(struct pt_stmt *, unsigned int);
uint64_t	 pt_db_affected(struct pt_stmt *);
uint64_t	 pt_db_insert_id(struct pt_stmt *);

int		 pt_db_begin(struct pt_db *) PT_WUR;
int		 pt_db_commit(struct pt_db *) PT_WUR;
void		 pt_db_rollback(struct pt_db *);

/*
 * Migrations (fcgi/migrate.c): sql/NNNN_<what>.sql applied in order, each
 * in a transaction, recorded in schema_migrations.  Progress and errors go
 * to the FILE.  PT_OK when everything is applied (or already was).
 */
int		 pt_migrate(struct pt_db *, const char *dir, FILE *) PT_WUR;
int		 pt_migrate_status(struct pt_db *, const char *dir, FILE *) PT_WUR;
/* Runs every statement of one SQL file in a transaction (seed data). */
int		 pt_db_run_file(struct pt_db *, const char *path, FILE *) PT_WUR;
/*
 * For fcgi/migrate.c only (fcgi/db.c implements it because only db.c sees
 * the libmariadb handle): runs the ';'-separated statements in sql[0..len)
 * as one multi-statement query, with multi-statement mode switched on for
 * this call alone.  Returns PT_OK, or PT_ERR with the server's message in
 * err, which the caller reports.  Modules never call it: their SQL goes
 * through pt_db_stmt().
 */
int		 pt_db_script(struct pt_db *, const char *sql, size_t len,
		    char *err, size_t errlen) PT_WUR;

/* ---------------------------------------------------------------- config */

enum pt_loglevel {
	PT_LOG_ERR,
	PT_LOG_WARN,
	PT_LOG_INFO,
	PT_LOG_DEBUG,
	PT_LOG__MAX
};

/* Parsed portico.conf (fcgi/config.c); every key is documented in
 * conf/portico.conf.sample. */
struct pt_config {
	/* [server] */
	char			*listen;	/* "unix:/path", "host:port" or "" */
	unsigned int		 listen_mode;	/* unix socket mode, e.g. 0660 */
	unsigned int		 listen_backlog;
	unsigned int		 workers;
	unsigned int		 max_requests;	/* 0: never recycle */
	unsigned int		 drain_timeout;	/* seconds */
	enum pt_loglevel	 log_level;
	char			*xslt_dir;
	char			*sql_dir;
	char			*static_url;	/* where the web server serves static/ */
	bool			 debug_xml;	/* ?format=xml on every route: tests */
	unsigned int		 page_cache_ttl;	/* seconds; 0: off */
	/* [limits] */
	struct pt_limits	 limits;
	/* [db] */
	char			*db_host;
	unsigned int		 db_port;
	char			*db_socket;
	char			*db_user;
	char			*db_password;
	char			*db_name;
	unsigned int		 db_connect_timeout;
	unsigned int		 db_read_timeout;
	unsigned int		 db_write_timeout;
	/* [site] */
	char			*site_name;
	/* [session] */
	bool			 session_cookie_secure;
	unsigned int		 session_idle_timeout;		/* seconds */
	unsigned int		 session_absolute_timeout;	/* seconds */
	unsigned int		 session_throttle_account;	/* failures */
	unsigned int		 session_throttle_address;	/* failures */
	unsigned int		 session_throttle_window;	/* seconds */
	/* [ldap] */
	bool			 ldap_enabled;
	char			*ldap_uri;
	bool			 ldap_starttls;
	bool			 ldap_tls_verify;
	char			*ldap_ca_file;
	char			*ldap_bind_dn;
	char			*ldap_bind_password;
	char			*ldap_base_dn;
	char			*ldap_user_filter;
	char			*ldap_login_attr;
	char			*ldap_name_attr;
	char			*ldap_email_attr;
	char			*ldap_org_attr;
	char			*ldap_org_dn_attr;	/* RDN type, e.g. "o" */
	char			*ldap_group_mode;	/* "memberof", "search" */
	char			*ldap_group_base_dn;
	char			*ldap_group_filter;
	unsigned int		 ldap_timeout;		/* seconds */
	/* [oidc] */
	bool			 oidc_enabled;
	char			*oidc_issuer;
	char			*oidc_display_name;	/* "Sign in with ..." */
	char			*oidc_client_id;
	char			*oidc_client_secret;
	char			*oidc_auth_method;
	char			*oidc_redirect_uri;
	char			*oidc_post_logout_redirect_uri;
	char			*oidc_scopes;
	char			*oidc_name_claim;
	char			*oidc_email_claim;
	char			*oidc_org_claim;
	char			*oidc_groups_claim;
	unsigned int		 oidc_timeout;		/* seconds */
	bool			 oidc_allow_http;
	/* [websso] */
	bool			 websso_enabled;
	char			*websso_user_param;
	char			*websso_name_param;
	char			*websso_email_param;
	char			*websso_org_param;
	char			*websso_groups_param;
	char			*websso_groups_separator;
	/* [mail] (modules/mail.c) */
	char			*mail_smtp_url;	/* "smtp://host:port", "smtps://..." */
	bool			 mail_starttls;	/* require STARTTLS */
	bool			 mail_tls_verify;
	char			*mail_ca_file;	/* "": the system's CAs */
	char			*mail_username;
	char			*mail_password;
	char			*mail_from_address;
	char			*mail_from_name;
	unsigned int		 mail_timeout;		/* seconds */
	unsigned int		 mail_max_attempts;
	unsigned int		 mail_retry_base;	/* seconds */
	unsigned int		 mail_lease;		/* seconds in 'sending' */
	/* [lifecycle] (modules/lifecycle.c) */
	bool			 lifecycle_enabled;
	unsigned int		 lifecycle_inactivity_days;	/* 0: rule off */
	char			*lifecycle_warn_days;	/* "14,3": days before */
	unsigned int		 lifecycle_grace_days;	/* disable -> delete */
	unsigned int		 lifecycle_batch;	/* accounts per transaction */
	unsigned int		 lifecycle_invitation_days; /* unredeemed */
	bool			 lifecycle_deprovision;	/* directory removal */
	unsigned int		 lifecycle_attestation_days; /* 0: off */
	char			*lifecycle_attestation_warn_days; /* "14,3" */
	char			*lifecycle_contact;	/* shown when disabled */
	/* [collateral] (modules/collateral/) */
	char			*collateral_storage_dir;
	size_t			 collateral_max_upload;	/* bytes */
	char			*collateral_offload;	/* none, x-accel-redirect,
							   x-sendfile */
	char			*collateral_offload_prefix; /* internal URI */
	unsigned int		 collateral_review_days;
	/* [roles]: "role = group" lines, in file order */
	struct pt_rolemap {
		enum pt_role	 role;
		char		*group;
	}			*rolemap;
	size_t			 nrolemap;
	/*
	 * [communities]: "community-slug = group" lines: directory groups
	 * whose members belong to a community (the communities module reads
	 * the grants from directory_memberships).
	 */
	struct pt_commap {
		char		*community;
		char		*group;
	}			*commap;
	size_t			 ncommap;
};

/*
 * Reads path into a new config.  On error returns NULL and writes a message
 * naming the file, line and key to err.  The result is malloc-owned: free
 * it with pt_config_free().
 */
struct pt_config *pt_config_load(const char *path, char *err, size_t errlen);
void		 pt_config_free(struct pt_config *);
/* The compiled-in default path ($(sysconfdir)/portico/portico.conf). */
extern const char pt_config_default_path[];

/* --------------------------------------------------------------- logging */

/*
 * One line per event on stderr (journald or the harness's log file):
 * "2026-11-23T01:46:25Z portico[pid]: warn rid=<id> message".
 * Request handlers use pt_rlog so every line carries the request id.
 */
void		 pt_log_setlevel(enum pt_loglevel);
/* Seconds on the monotonic clock, for deadlines and ages. */
double		 pt_mono(void);
void		 pt_log(enum pt_loglevel, const char *, ...) PT_PRINTF(2, 3);
void		 pt_rlog(const struct pt_req *, enum pt_loglevel, const char *, ...)
		    PT_PRINTF(3, 4);

/* ------------------------------------------------------ request dispatch */

/*
 * Runs one request through the fixed phases (fcgi/dispatch.c): limits and
 * parsing, routing, field validation, access, handler, view, headers.  The
 * input is the FastCGI environment and a body reader; the output goes to a
 * writer.  The server binds these to libfcgi; the unit tests bind them to
 * memory.
 */
struct pt_io {
	void	*ctx;
	/* Reads up to len bytes; returns the count, 0 at end, -1 on error. */
	long	(*read)(void *ctx, char *buf, size_t len);
	/* Writes all of buf; returns PT_OK or PT_ERR. */
	int	(*write)(void *ctx, const char *buf, size_t len);
};

void		 pt_dispatch(struct pt_arena *, const struct pt_config *,
		    struct pt_db *, char **envp, const struct pt_io *);

#endif /* PORTICO_H */
