/*
 * ldap.c - sign-in against an LDAP directory (OpenLDAP, Active Directory)
 * with OpenLDAP's libldap.  A library for the auth module's routes and for
 * `porticoctl sync-directory`; it has no routes of its own.
 *
 * API (ldap.h): pt_ldap_escape(), pt_ldap_authenticate(), pt_ldap_lookup(),
 * pt_ldap_dn_equal().
 *
 * Sign-in is search-then-bind.  A connection is opened for the call and
 * closed before it returns (sign-ins are rare next to page views, and a
 * per-call connection cannot be left bound as the wrong user): bind as
 * [ldap] bind_dn (or stay anonymous), search base_dn with user_filter for
 * exactly one entry, bind as that entry with the typed password, bind back
 * as the service account when groups are searched, read the groups.
 *
 * Safety, in the order a request meets it:
 *  - The login and password are refused before anything is sent when
 *    empty, too long, or (login) not clean UTF-8.  An empty password
 *    matters most: a directory may take "DN + empty password" as an
 *    anonymous bind and report success (RFC 4513 5.1.2; Active Directory
 *    does, and so does the test slapd on purpose).
 *  - Every filter is made by filter_build(), which substitutes the value
 *    through pt_ldap_escape(), the one RFC 4515 escaper: a login of
 *    "*)(uid=*))(|(uid=*" matches only an entry whose uid is exactly that.
 *    filter_build() takes the raw value, so no caller can forget to escape.
 *  - Every failure that is about the credentials (no entry, two entries, a
 *    wrong password) is PT_DECLINED and looks the same to the caller;
 *    everything about the directory is PT_ERR, which the caller turns into
 *    a 503, so a directory outage never reads as "wrong password".
 *  - One deadline, [ldap] timeout seconds from the start of the call,
 *    bounds the connect (LDAP_OPT_NETWORK_TIMEOUT), the wait for every
 *    result (operations are sent asynchronously and collected with
 *    ldap_result() and the time left) and every read from the socket,
 *    the TLS handshake's included (sbio_read(), a Sockbuf layer under
 *    TLS), so a server that accepts connections and never answers costs
 *    one timeout, not one per operation, and never hangs a worker.
 *  - TLS: ldaps:// or StartTLS ([ldap] starttls) with the certificate
 *    verified ([ldap] tls_verify, against ca_file or libldap's default CA
 *    setting), TLS 1.2 at least, on a TLS context of the connection's own.
 *    Referrals are never chased.
 *
 * Memory: strings handed out are arena-allocated; every LDAPMessage is an
 * arena cleanup from the moment it arrives, and the connection is one too
 * (closed early on every path, so the cleanup only catches what a bug
 * would leak).  The password is passed to libldap by reference and never
 * copied or logged; libldap's encoded request, which holds it, is freed
 * by libldap unwiped, which is out of our reach.
 *
 * To add an attribute to the identity: add a field to struct pt_identity
 * (portico.h), its [ldap] key to fcgi/config.c, and read it in
 * entry_identity() below (user_attrs() lists what is requested).
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE: clock_gettime, strcasecmp */
#endif

#include <sys/time.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* OpenLDAP's header; ours is "ldap.h" in this directory. */
#include <ldap.h>

#include "portico.h"
#include "ldap.h"

/* Attributes asked for in a user entry: four + memberOf + NULL. */
#define LD_ATTRS_MAX	6

struct ldconn {
	LDAP			*ld;
	const struct pt_config	*cfg;
	struct pt_arena		*arena;
	struct timespec		 deadline;	/* CLOCK_MONOTONIC */
	struct ldap_conncb	 cb;		/* see ld_connected() */
};

/* --------------------------------------------------------------- escaping */

int
pt_ldap_escape(struct pt_arena *a, const char *in, char **out)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 len, i = 0, n, o = 0;
	char			*buf;

	if (in == NULL)
		return PT_ERR;
	len = strlen(in);
	if (len > (SIZE_MAX - 1) / 3)
		return PT_ERR;
	/* Every byte becomes at most three. */
	buf = pt_alloc(a, len * 3 + 1);
	while (i < len) {
		n = pt_utf8_seq(s + i, len - i);
		if (n > 1) {
			memcpy(buf + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		if (n == 1 && s[i] >= 0x20 && s[i] != 0x7f && s[i] != '*' &&
		    s[i] != '(' && s[i] != ')' && s[i] != '\\')
			buf[o++] = (char)s[i];
		else {
			buf[o++] = '\\';
			buf[o++] = hex[s[i] >> 4];
			buf[o++] = hex[s[i] & 0xf];
		}
		i++;
	}
	buf[o] = '\0';
	*out = buf;
	return PT_OK;
}

/*
 * The filter tmpl with every "%s" replaced by value, escaped.  value NULL
 * means tmpl is a constant filter with no slot.  The config parser has
 * checked that every '%' in a configured template starts "%s".  Returns
 * NULL (logged) if that does not hold.
 */
static char *
filter_build(struct pt_arena *a, const char *tmpl, const char *value)
{
	const char	*p;
	char		*esc = NULL, *buf, *o;
	size_t		 slots = 0, elen = 0;

	for (p = tmpl; (p = strchr(p, '%')) != NULL; p++) {
		if (p[1] != 's' || value == NULL) {
			pt_log(PT_LOG_ERR, "ldap: filter template '%s' must "
			    "hold %%s for the value and no other '%%'", tmpl);
			return NULL;
		}
		slots++;
	}
	if (value != NULL) {
		if (slots == 0) {
			pt_log(PT_LOG_ERR, "ldap: filter template '%s' has "
			    "no %%s for the value", tmpl);
			return NULL;
		}
		if (pt_ldap_escape(a, value, &esc) != PT_OK)
			return NULL;
		elen = strlen(esc);
	}
	o = buf = pt_alloc(a, strlen(tmpl) + slots * elen + 1);
	for (p = tmpl; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			memcpy(o, esc, elen);
			o += elen;
			p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return buf;
}

/* ---------------------------------------------------------------- DNs */

/* The RDNs in dn (a NULL-terminated array; a NULL dn has none). */
static size_t
dn_len(LDAPDN dn)
{
	size_t	 n = 0;

	while (dn != NULL && dn[n] != NULL)
		n++;
	return n;
}

static bool
rdn_equal(LDAPRDN a, LDAPRDN b)
{
	char	*sa = NULL, *sb = NULL;
	bool	 eq;

	if (ldap_rdn2str(a, &sa, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS ||
	    ldap_rdn2str(b, &sb, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		eq = false;
	else
		eq = strcasecmp(sa, sb) == 0;
	ldap_memfree(sa);
	ldap_memfree(sb);
	return eq;
}

/*
 * True if the last nrdn RDNs of a equal the last nrdn of b (both must
 * have at least that many).
 */
static bool
dn_tail_equal(LDAPDN a, size_t alen, LDAPDN b, size_t blen, size_t nrdn)
{
	size_t	 i;

	for (i = 1; i <= nrdn; i++)
		if (!rdn_equal(a[alen - i], b[blen - i]))
			return false;
	return true;
}

bool
pt_ldap_dn_equal(const char *a, const char *b)
{
	LDAPDN	 da = NULL, db = NULL;
	size_t	 la, lb;
	bool	 eq = false;

	if (a == NULL || b == NULL ||
	    ldap_str2dn(a, &da, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS ||
	    ldap_str2dn(b, &db, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		goto out;
	la = dn_len(da);
	lb = dn_len(db);
	eq = la == lb && dn_tail_equal(da, la, db, lb, la);
out:
	ldap_dnfree(da);
	ldap_dnfree(db);
	return eq;
}

/* True if dn parses and lies strictly below base. */
static bool
dn_below(const char *dn, const char *base)
{
	LDAPDN	 dd = NULL, bd = NULL;
	size_t	 nd, nb;
	bool	 below = false;

	if (ldap_str2dn(dn, &dd, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS ||
	    ldap_str2dn(base, &bd, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		goto out;
	nd = dn_len(dd);
	nb = dn_len(bd);
	below = nd > nb && dn_tail_equal(dd, nd, bd, nb, nb);
out:
	ldap_dnfree(dd);
	ldap_dnfree(bd);
	return below;
}

/* ---------------------------------------------------------- connection */

static void
ld_close(void *arg)
{
	struct ldconn	*c = arg;

	if (c->ld != NULL) {
		(void)ldap_unbind_ext_s(c->ld, NULL, NULL);
		c->ld = NULL;
	}
}

static void
ld_msgfree(void *arg)
{
	ldap_msgfree(arg);
}

/*
 * Time left before the deadline, in tv.  Returns false once it has
 * passed.
 */
static bool
ld_left(const struct ldconn *c, struct timeval *tv)
{
	struct timespec	 now;
	long long	 ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(c->deadline.tv_sec - now.tv_sec) * 1000000000LL +
	    (c->deadline.tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return false;
	tv->tv_sec = (time_t)(ns / 1000000000LL);
	tv->tv_usec = (suseconds_t)(ns % 1000000000LL / 1000);
	if (tv->tv_sec == 0 && tv->tv_usec == 0)
		return false;
	return true;
}

/* What went wrong on the connection, for a log line. */
static const char *
ld_why(struct ldconn *c, int rc)
{
	char		*diag = NULL;
	const char	*s;
	struct timeval	 tv;

	/* Past the deadline, a dead connection is the deadline layer's. */
	if (rc == LDAP_TIMEOUT || !ld_left(c, &tv))
		return pt_printf(c->arena, "no answer within %us ([ldap] "
		    "timeout)", c->cfg->ldap_timeout);
	/* libldap's TLS errors leave "(unknown error code)" here. */
	if (c->ld != NULL && ldap_get_option(c->ld,
	    LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) == LDAP_OPT_SUCCESS &&
	    diag != NULL && *diag != '\0' && *diag != '(')
		s = pt_printf(c->arena, "%s (%s)", ldap_err2string(rc), diag);
	else
		s = ldap_err2string(rc);
	ldap_memfree(diag);
	return s;
}

/*
 * A Sockbuf I/O layer between TLS and TCP that waits for data with poll()
 * until the deadline and then fails the read with ETIMEDOUT.  libldap 2.5
 * runs the ldaps:// handshake with blocking reads whatever
 * LDAP_OPT_NETWORK_TIMEOUT says (and spins on EAGAIN when a socket receive
 * timeout is set instead), so a server that accepts connections and then
 * stays silent would hold the worker for good; with this layer the
 * handshake, and any read that stalls halfway through a message, gives up
 * at the deadline like everything else.
 */
static int
sbio_setup(Sockbuf_IO_Desc *sbiod, void *arg)
{
	sbiod->sbiod_pvt = arg;
	return 0;
}

static int
sbio_remove(Sockbuf_IO_Desc *sbiod)
{
	(void)sbiod;
	return 0;
}

static int
sbio_ctrl(Sockbuf_IO_Desc *sbiod, int opt, void *arg)
{
	return LBER_SBIOD_CTRL_NEXT(sbiod, opt, arg);
}

static ber_slen_t
sbio_read(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
	struct ldconn	*c = sbiod->sbiod_pvt;
	struct pollfd	 pfd;
	struct timeval	 tv;
	ber_socket_t	 fd = -1;
	int		 ms, rc;

	(void)ber_sockbuf_ctrl(sbiod->sbiod_sb, LBER_SB_OPT_GET_FD, &fd);
	if (!ld_left(c, &tv)) {
		errno = ETIMEDOUT;
		return -1;
	}
	ms = (int)(tv.tv_sec * 1000 + tv.tv_usec / 1000) + 1;
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if ((rc = poll(&pfd, 1, ms)) == -1)
		return -1;
	if (rc == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return LBER_SBIOD_READ_NEXT(sbiod, buf, len);
}

static ber_slen_t
sbio_write(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
	return LBER_SBIOD_WRITE_NEXT(sbiod, buf, len);
}

static int
sbio_close(Sockbuf_IO_Desc *sbiod)
{
	(void)sbiod;
	return 0;
}

static Sockbuf_IO sbio_deadline = {
	sbio_setup, sbio_remove, sbio_ctrl, sbio_read, sbio_write, sbio_close
};

/*
 * Called by libldap once the TCP connection is up, before any TLS
 * handshake: puts the deadline layer above TCP (TLS goes above it).
 */
static int
ld_connected(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
    struct ldap_conncb *cb)
{
	(void)ld;
	(void)srv;
	(void)addr;
	if (ber_sockbuf_add_io(sb, &sbio_deadline, LBER_SBIOD_LEVEL_TRANSPORT,
	    cb->lc_arg) != 0) {
		pt_log(PT_LOG_ERR, "ldap: cannot add the deadline layer");
		return -1;
	}
	return 0;
}

static void
ld_closing(LDAP *ld, Sockbuf *sb, struct ldap_conncb *cb)
{
	(void)ld;
	(void)sb;
	(void)cb;
}

static int
ld_setopt(struct ldconn *c, int opt, const void *val, const char *what)
{
	int	 rc;

	if ((rc = ldap_set_option(c->ld, opt, val)) != LDAP_OPT_SUCCESS) {
		pt_log(PT_LOG_ERR, "ldap: cannot set %s: %s", what,
		    ldap_err2string(rc));
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * Waits for the whole result of msgid until the deadline.  Returns an
 * LDAP result code for the exchange (not the operation's own): with
 * LDAP_SUCCESS *res is the result (an arena cleanup); LDAP_TIMEOUT after
 * abandoning the operation.
 */
static int
ld_wait(struct ldconn *c, int msgid, LDAPMessage **res)
{
	struct timeval	 tv;
	int		 rc, err = LDAP_OTHER;

	*res = NULL;
	if (!ld_left(c, &tv)) {
		(void)ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		return LDAP_TIMEOUT;
	}
	rc = ldap_result(c->ld, msgid, LDAP_MSG_ALL, &tv, res);
	if (rc == 0) {
		*res = NULL;
		(void)ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		return LDAP_TIMEOUT;
	}
	if (rc == -1) {
		*res = NULL;
		(void)ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &err);
		return err != LDAP_SUCCESS ? err : LDAP_OTHER;
	}
	pt_arena_cleanup(c->arena, ld_msgfree, *res);
	return LDAP_SUCCESS;
}

/*
 * The result code of the operation whose result is res (for a search,
 * the SearchResultDone in the chain), or the code of a failure to read it.
 */
static int
ld_code(struct ldconn *c, LDAPMessage *res)
{
	int	 rc, err = LDAP_OTHER;

	rc = ldap_parse_result(c->ld, res, &err, NULL, NULL, NULL, NULL, 0);
	return rc != LDAP_SUCCESS ? rc : err;
}

/*
 * A simple bind; returns the LDAP result code.  pw is never copied here;
 * "" with dn "" is an anonymous bind (and the callers refuse an empty
 * password with a non-empty DN before they get here).
 */
static int
ld_bind(struct ldconn *c, const char *dn, const char *pw)
{
	struct berval	 cred;
	LDAPMessage	*res;
	int		 rc, msgid;

	cred.bv_val = (char *)pw;
	cred.bv_len = strlen(pw);
	rc = ldap_sasl_bind(c->ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL,
	    &msgid);
	if (rc != LDAP_SUCCESS)
		return rc;
	if ((rc = ld_wait(c, msgid, &res)) != LDAP_SUCCESS)
		return rc;
	return ld_code(c, res);
}

/* Binds as the service account, or anonymously without bind_dn. */
static int
ld_bind_service(struct ldconn *c)
{
	const struct pt_config	*cfg = c->cfg;
	int			 rc;

	if (cfg->ldap_bind_dn[0] == '\0')
		rc = ld_bind(c, "", "");
	else if (cfg->ldap_bind_password[0] == '\0') {
		pt_log(PT_LOG_ERR, "ldap: [ldap] bind_dn is set but its "
		    "password is empty; an empty password is never sent");
		return PT_ERR;
	} else
		rc = ld_bind(c, cfg->ldap_bind_dn, cfg->ldap_bind_password);
	if (rc != LDAP_SUCCESS) {
		pt_log(PT_LOG_ERR, "ldap: %s bind to %s failed: %s",
		    cfg->ldap_bind_dn[0] != '\0' ? "service account" :
		    "anonymous", cfg->ldap_uri, ld_why(c, rc));
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * StartTLS by hand, so that the wait for the server's answer is bounded
 * by the deadline like every other operation; ldap_install_tls() then runs
 * the handshake (bounded by LDAP_OPT_NETWORK_TIMEOUT).
 */
static int
ld_starttls(struct ldconn *c)
{
	LDAPMessage	*res;
	int		 rc, msgid;

	rc = ldap_extended_operation(c->ld, LDAP_EXOP_START_TLS, NULL, NULL,
	    NULL, &msgid);
	if (rc == LDAP_SUCCESS && (rc = ld_wait(c, msgid, &res)) ==
	    LDAP_SUCCESS)
		rc = ld_code(c, res);
	if (rc == LDAP_SUCCESS)
		rc = ldap_install_tls(c->ld);
	if (rc != LDAP_SUCCESS) {
		pt_log(PT_LOG_ERR, "ldap: StartTLS with %s failed: %s",
		    c->cfg->ldap_uri, ld_why(c, rc));
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * Opens a connection with the deadline starting now, and binds as the
 * service account.  Returns PT_OK with *out (its close is an arena
 * cleanup), or PT_ERR (logged).
 */
static int
ld_open(const struct pt_config *cfg, struct pt_arena *a,
    struct ldconn **out)
{
	struct ldconn	*c;
	struct timeval	 tv;
	const char	*uri = cfg->ldap_uri;
	int		 rc, v;

	if (uri == NULL || uri[0] == '\0' || cfg->ldap_base_dn[0] == '\0') {
		pt_log(PT_LOG_ERR, "ldap: [ldap] uri and base_dn must be set");
		return PT_ERR;
	}
	c = pt_alloc(a, sizeof(*c));
	c->cfg = cfg;
	c->arena = a;
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += cfg->ldap_timeout;
	if ((rc = ldap_initialize(&c->ld, uri)) != LDAP_SUCCESS) {
		pt_log(PT_LOG_ERR, "ldap: [ldap] uri '%s': %s", uri,
		    ldap_err2string(rc));
		return PT_ERR;
	}
	pt_arena_cleanup(a, ld_close, c);

	tv.tv_sec = (time_t)cfg->ldap_timeout;
	tv.tv_usec = 0;
	v = LDAP_VERSION3;
	c->cb.lc_add = ld_connected;
	c->cb.lc_del = ld_closing;
	c->cb.lc_arg = c;
	if (ld_setopt(c, LDAP_OPT_PROTOCOL_VERSION, &v, "protocol version") ||
	    ld_setopt(c, LDAP_OPT_CONNECT_CB, &c->cb, "connect callback") ||
	    ld_setopt(c, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals") ||
	    ld_setopt(c, LDAP_OPT_NETWORK_TIMEOUT, &tv, "network timeout") ||
	    ld_setopt(c, LDAP_OPT_TIMEOUT, &tv, "timeout"))
		goto fail;
	v = cfg->ldap_tls_verify ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER;
	if (ld_setopt(c, LDAP_OPT_X_TLS_REQUIRE_CERT, &v, "TLS verification"))
		goto fail;
	v = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
	if (ld_setopt(c, LDAP_OPT_X_TLS_PROTOCOL_MIN, &v, "TLS version"))
		goto fail;
	if (cfg->ldap_ca_file[0] != '\0' && ld_setopt(c,
	    LDAP_OPT_X_TLS_CACERTFILE, cfg->ldap_ca_file, "[ldap] ca_file"))
		goto fail;
	/* A context of this connection's own, with the options above. */
	v = 0;
	if (ld_setopt(c, LDAP_OPT_X_TLS_NEWCTX, &v, "TLS context"))
		goto fail;

	/* StartTLS makes no sense on ldaps:// (TLS already) or ldapi://. */
	if (cfg->ldap_starttls && strncasecmp(uri, "ldap://", 7) == 0 &&
	    ld_starttls(c) != PT_OK)
		goto fail;
	if (ld_bind_service(c) != PT_OK)
		goto fail;
	*out = c;
	return PT_OK;
fail:
	ld_close(c);
	return PT_ERR;
}

/* -------------------------------------------------------------- search */

/*
 * Searches base with the filter tmpl (value substituted through
 * filter_build(); NULL for a constant filter) for at most sizelimit
 * entries (0: the server's limit), asking for attrs.  Returns the
 * operation's LDAP result code; *res is the result chain (an arena
 * cleanup) whenever one arrived, NULL otherwise.
 */
static int
ld_search(struct ldconn *c, const char *base, int scope, const char *tmpl,
    const char *value, char **attrs, int sizelimit, LDAPMessage **res)
{
	struct timeval	 tv;
	const char	*filter;
	int		 rc, msgid;

	*res = NULL;
	if ((filter = filter_build(c->arena, tmpl, value)) == NULL)
		return LDAP_FILTER_ERROR;
	if (!ld_left(c, &tv))
		return LDAP_TIMEOUT;
	/* The server's time limit: whole seconds, rounded up. */
	if (tv.tv_usec > 0) {
		tv.tv_sec++;
		tv.tv_usec = 0;
	}
	rc = ldap_search_ext(c->ld, base, scope, filter, attrs, 0, NULL, NULL,
	    &tv, sizelimit, &msgid);
	if (rc != LDAP_SUCCESS)
		return rc;
	if ((rc = ld_wait(c, msgid, res)) != LDAP_SUCCESS)
		return rc;
	return ld_code(c, *res);
}

/* The attributes to ask for in a user entry, NULL-terminated. */
static void
user_attrs(const struct pt_config *cfg, char *attrs[LD_ATTRS_MAX])
{
	size_t	 n = 0;

	attrs[n++] = cfg->ldap_login_attr;
	attrs[n++] = cfg->ldap_name_attr;
	attrs[n++] = cfg->ldap_email_attr;
	if (cfg->ldap_org_attr[0] != '\0')
		attrs[n++] = cfg->ldap_org_attr;
	/* memberOf is operational in OpenLDAP: only sent when asked for. */
	if (strcmp(cfg->ldap_group_mode, "memberof") == 0)
		attrs[n++] = (char *)"memberOf";
	attrs[n] = NULL;
}

/*
 * Finds the one entry user_filter matches for login.  Returns PT_OK with
 * *entry (inside a result chain owned by the arena), PT_DECLINED if there
 * is none or more than one, PT_ERR (logged) on a directory error.
 */
static int
user_find(struct ldconn *c, const char *login, LDAPMessage **entry)
{
	const struct pt_config	*cfg = c->cfg;
	char			*attrs[LD_ATTRS_MAX];
	LDAPMessage		*res;
	int			 rc, n;

	user_attrs(cfg, attrs);
	/* Two are enough to know that one login names two people. */
	rc = ld_search(c, cfg->ldap_base_dn, LDAP_SCOPE_SUBTREE,
	    cfg->ldap_user_filter, login, attrs, 2, &res);
	if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
		pt_log(PT_LOG_ERR, "ldap: user search below '%s' failed: %s",
		    cfg->ldap_base_dn, ld_why(c, rc));
		return PT_ERR;
	}
	n = ldap_count_entries(c->ld, res);
	if (n == 0) {
		pt_log(PT_LOG_INFO, "ldap: no entry for login '%s'", login);
		return PT_DECLINED;
	}
	if (n > 1 || rc == LDAP_SIZELIMIT_EXCEEDED) {
		pt_log(PT_LOG_WARN, "ldap: login '%s' matches more than one "
		    "entry below '%s'; refused", login, cfg->ldap_base_dn);
		return PT_DECLINED;
	}
	if ((*entry = ldap_first_entry(c->ld, res)) == NULL) {
		pt_log(PT_LOG_ERR, "ldap: cannot read the entry for '%s'",
		    login);
		return PT_ERR;
	}
	return PT_OK;
}

/*
 * The first value of attr in entry e as an arena string, or NULL if there
 * is none.  A value that is not clean UTF-8 is dropped (logged): it could
 * not be stored or shown as text anyway.
 */
static const char *
attr_first(struct ldconn *c, LDAPMessage *e, const char *attr)
{
	struct berval	**v;
	const char	*s = NULL;

	if (attr == NULL || attr[0] == '\0' ||
	    (v = ldap_get_values_len(c->ld, e, attr)) == NULL)
		return NULL;
	if (v[0] != NULL && v[0]->bv_len > 0) {
		if (pt_utf8_valid(v[0]->bv_val, v[0]->bv_len))
			s = pt_strndup(c->arena, v[0]->bv_val, v[0]->bv_len);
		else
			pt_log(PT_LOG_WARN, "ldap: attribute %s is not UTF-8 "
			    "text; ignored", attr);
	}
	ldap_value_free_len(v);
	return s;
}

/* Appends s to the arena-grown array *v of *n (capacity *cap). */
static void
strv_add(struct pt_arena *a, const char ***v, size_t *n, size_t *cap,
    const char *s)
{
	const char	**nv;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		nv = pt_alloc(a, *cap * sizeof(*nv));
		if (*n > 0)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
	}
	(*v)[(*n)++] = s;
}

/*
 * Fills id from the user entry e: DN, login (login_attr, or typed when
 * the entry has none), name (name_attr, or the login), email,
 * organisation, and in memberof mode the groups, which compare as DNs.  Returns PT_OK, or
 * PT_ERR (logged) if the entry has no DN.
 */
/*
 * The value of the first RDN of type attr in dn (the one nearest the
 * entry), e.g. "kestrel-cloud" for attr "o" in
 * "uid=x,ou=people,o=kestrel-cloud,dc=example": directories that file
 * partner employees under their company's entry say the organisation that
 * way.  NULL when attr is empty, absent from dn, or not clean UTF-8.
 */
static const char *
dn_part(struct pt_arena *a, const char *dn, const char *attr)
{
	LDAPDN		 d = NULL;
	const char	*val = NULL;
	size_t		 i, j;

	if (attr == NULL || attr[0] == '\0' ||
	    ldap_str2dn(dn, &d, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	for (i = 0; d != NULL && d[i] != NULL && val == NULL; i++)
		for (j = 0; d[i][j] != NULL && val == NULL; j++) {
			struct berval	*t = &d[i][j]->la_attr;
			struct berval	*v = &d[i][j]->la_value;

			if (t->bv_len == strlen(attr) &&
			    strncasecmp(t->bv_val, attr, t->bv_len) == 0 &&
			    v->bv_len > 0 &&
			    pt_utf8_valid(v->bv_val, v->bv_len))
				val = pt_strndup(a, v->bv_val, v->bv_len);
		}
	ldap_dnfree(d);
	return val;
}

static int
entry_identity(struct ldconn *c, LDAPMessage *e, const char *typed,
    struct pt_identity *id)
{
	const struct pt_config	*cfg = c->cfg;
	struct berval		**v;
	const char		**groups = NULL;
	size_t			 n = 0, cap = 0, i;
	char			*dn;

	memset(id, 0, sizeof(*id));
	if ((dn = ldap_get_dn(c->ld, e)) == NULL) {
		pt_log(PT_LOG_ERR, "ldap: entry without a DN");
		return PT_ERR;
	}
	id->external_id = pt_strdup(c->arena, dn);
	ldap_memfree(dn);
	id->source = "ldap";
	id->group_eq = pt_ldap_dn_equal;
	if ((id->login = attr_first(c, e, cfg->ldap_login_attr)) == NULL)
		id->login = pt_strdup(c->arena, typed);
	if ((id->name = attr_first(c, e, cfg->ldap_name_attr)) == NULL)
		id->name = id->login;
	id->email = attr_first(c, e, cfg->ldap_email_attr);
	id->organisation = attr_first(c, e, cfg->ldap_org_attr);
	if (id->organisation == NULL)
		id->organisation = dn_part(c->arena, id->external_id,
		    cfg->ldap_org_dn_attr);
	if (strcmp(cfg->ldap_group_mode, "memberof") == 0 &&
	    (v = ldap_get_values_len(c->ld, e, "memberOf")) != NULL) {
		for (i = 0; v[i] != NULL; i++)
			if (v[i]->bv_len > 0 &&
			    pt_utf8_valid(v[i]->bv_val, v[i]->bv_len))
				strv_add(c->arena, &groups, &n, &cap,
				    pt_strndup(c->arena, v[i]->bv_val,
				    v[i]->bv_len));
		ldap_value_free_len(v);
	}
	id->groups = groups;
	id->ngroups = n;
	return PT_OK;
}

/*
 * In search mode, sets id->groups to the DNs of the groups below
 * group_base_dn (or base_dn) that group_filter finds for the user's DN.
 * The connection must be bound as the service account.  Returns PT_OK or
 * PT_ERR (logged); an incomplete list is an error, because a sync would
 * take it for removed memberships.
 */
static int
groups_search(struct ldconn *c, struct pt_identity *id)
{
	const struct pt_config	*cfg = c->cfg;
	char			*attrs[] = { (char *)LDAP_NO_ATTRS, NULL };
	const char		*base, **groups = NULL;
	LDAPMessage		*res, *e;
	size_t			 n = 0, cap = 0;
	char			*dn;
	int			 rc;

	if (strcmp(cfg->ldap_group_mode, "search") != 0)
		return PT_OK;
	base = cfg->ldap_group_base_dn[0] != '\0' ? cfg->ldap_group_base_dn :
	    cfg->ldap_base_dn;
	rc = ld_search(c, base, LDAP_SCOPE_SUBTREE, cfg->ldap_group_filter,
	    id->external_id, attrs, 0, &res);
	if (rc != LDAP_SUCCESS) {
		pt_log(PT_LOG_ERR, "ldap: group search below '%s' for '%s' "
		    "failed: %s", base, id->external_id, ld_why(c, rc));
		return PT_ERR;
	}
	for (e = ldap_first_entry(c->ld, res); e != NULL;
	    e = ldap_next_entry(c->ld, e)) {
		if ((dn = ldap_get_dn(c->ld, e)) == NULL)
			continue;
		strv_add(c->arena, &groups, &n, &cap, pt_strdup(c->arena, dn));
		ldap_memfree(dn);
	}
	id->groups = groups;
	id->ngroups = n;
	return PT_OK;
}

/* ----------------------------------------------------------------- API */

/* True if s may be sent to the directory as a login. */
static bool
login_ok(const char *s)
{
	size_t	 len, i;

	if (s == NULL || (len = strlen(s)) == 0 || len > PT_LDAP_LOGIN_MAX ||
	    !pt_utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int
pt_ldap_authenticate(const struct pt_config *cfg, struct pt_arena *a,
    const char *login, const char *password, struct pt_identity *out)
{
	struct pt_identity	 id;
	struct ldconn		*c = NULL;
	LDAPMessage		*e;
	size_t			 pwlen;
	int			 rc, ret;

	/* Refused before any bind: see the top of the file. */
	if (!login_ok(login)) {
		pt_log(PT_LOG_INFO, "ldap: sign-in refused: empty, over-long "
		    "or malformed login");
		return PT_DECLINED;
	}
	if (password == NULL || (pwlen = strlen(password)) == 0) {
		pt_log(PT_LOG_INFO, "ldap: sign-in refused for '%s': empty "
		    "password", login);
		return PT_DECLINED;
	}
	if (pwlen > PT_LDAP_PASSWORD_MAX) {
		pt_log(PT_LOG_INFO, "ldap: sign-in refused for '%s': password "
		    "over %d bytes", login, PT_LDAP_PASSWORD_MAX);
		return PT_DECLINED;
	}

	if (ld_open(cfg, a, &c) != PT_OK)
		return PT_ERR;
	if ((ret = user_find(c, login, &e)) == PT_DECLINED) {
		/*
		 * No such user (or two): still make the bind round trip a
		 * real user's wrong password costs, against a DN that cannot
		 * exist, so that the answer's timing does not tell whether a
		 * login exists.  Its result does not matter.
		 */
		(void)ld_bind(c, pt_printf(a, "cn=portico-no-such-user,%s",
		    cfg->ldap_base_dn), password);
		goto out;
	}
	if (ret != PT_OK)
		goto out;
	if ((ret = entry_identity(c, e, login, &id)) != PT_OK)
		goto out;

	rc = ld_bind(c, id.external_id, password);
	switch (rc) {
	case LDAP_SUCCESS:
		break;
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_INAPPROPRIATE_AUTH:	/* the entry has no password */
		pt_log(PT_LOG_INFO, "ldap: wrong password for '%s'",
		    id.external_id);
		ret = PT_DECLINED;
		goto out;
	case LDAP_UNWILLING_TO_PERFORM:	/* e.g. a locked or expired account */
		pt_log(PT_LOG_WARN, "ldap: directory refused the bind of "
		    "'%s': %s", id.external_id, ld_why(c, rc));
		ret = PT_DECLINED;
		goto out;
	default:
		pt_log(PT_LOG_ERR, "ldap: bind as '%s' failed: %s",
		    id.external_id, ld_why(c, rc));
		ret = PT_ERR;
		goto out;
	}

	if (strcmp(cfg->ldap_group_mode, "search") == 0 &&
	    ((ret = ld_bind_service(c)) != PT_OK ||
	    (ret = groups_search(c, &id)) != PT_OK))
		goto out;
	pt_log(PT_LOG_INFO, "ldap: '%s' signed in as '%s' (%zu groups)",
	    login, id.external_id, id.ngroups);
	*out = id;
	ret = PT_OK;
out:
	ld_close(c);
	return ret;
}

int
pt_ldap_lookup(const struct pt_config *cfg, struct pt_arena *a,
    const char *dn_or_login, struct pt_identity *out)
{
	struct pt_identity	 id;
	struct ldconn		*c = NULL;
	char			*attrs[] = { NULL, NULL };
	const char		*login = dn_or_login, *dn = NULL;
	LDAPMessage		*res, *e;
	int			 rc, ret;

	if (dn_or_login == NULL || dn_or_login[0] == '\0')
		return PT_DECLINED;
	if (ld_open(cfg, a, &c) != PT_OK)
		return PT_ERR;

	if (dn_below(dn_or_login, cfg->ldap_base_dn)) {
		/* A DN: read its login, then find it the way sign-in would. */
		dn = dn_or_login;
		attrs[0] = cfg->ldap_login_attr;
		rc = ld_search(c, dn, LDAP_SCOPE_BASE, "(objectClass=*)", NULL,
		    attrs, 1, &res);
		if (rc == LDAP_NO_SUCH_OBJECT) {
			pt_log(PT_LOG_INFO, "ldap: '%s' is no longer in the "
			    "directory", dn);
			ret = PT_DECLINED;
			goto out;
		}
		if (rc != LDAP_SUCCESS) {
			pt_log(PT_LOG_ERR, "ldap: reading '%s' failed: %s", dn,
			    ld_why(c, rc));
			ret = PT_ERR;
			goto out;
		}
		if ((e = ldap_first_entry(c->ld, res)) == NULL ||
		    (login = attr_first(c, e, cfg->ldap_login_attr)) == NULL) {
			pt_log(PT_LOG_INFO, "ldap: '%s' has no %s", dn,
			    cfg->ldap_login_attr);
			ret = PT_DECLINED;
			goto out;
		}
	}
	if (!login_ok(login)) {
		ret = PT_DECLINED;
		goto out;
	}
	if ((ret = user_find(c, login, &e)) != PT_OK)
		goto out;
	if ((ret = entry_identity(c, e, login, &id)) != PT_OK)
		goto out;
	if (dn != NULL && !pt_ldap_dn_equal(dn, id.external_id)) {
		pt_log(PT_LOG_INFO, "ldap: login '%s' of '%s' now finds '%s'",
		    login, dn, id.external_id);
		ret = PT_DECLINED;
		goto out;
	}
	if ((ret = groups_search(c, &id)) != PT_OK)
		goto out;
	*out = id;
	ret = PT_OK;
out:
	ld_close(c);
	return ret;
}
