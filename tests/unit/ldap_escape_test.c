/*
 * ldap_escape_test.c - unit tests for the LDAP library's parts that need no
 * directory (modules/auth/ldap.c): pt_ldap_escape(), the one RFC 4515
 * filter value escaper; pt_ldap_dn_equal(); and the credential checks
 * pt_ldap_authenticate() makes before it connects.
 *
 * The escaper cases are the examples of RFC 4515 section 4, the filter
 * injection payloads of the identity issue, control characters and every
 * kind of malformed UTF-8.  Each output is also checked for the property
 * that makes it safe whatever the input: no '*', '(' or ')' survives, every
 * '\' starts exactly two hex digits, and unescaping gives the input back.
 *
 * The pre-connection checks run against a loopback port that refuses
 * connections: an empty, NULL or over-long password or login must be
 * PT_DECLINED (nothing was sent), while good-looking credentials reach the
 * network and come back PT_ERR, which shows the port really refuses.
 * Everything that needs a directory is tested against the real slapd by
 * the integration tests.
 *
 * To add an escaper case, add a row to ecases[]; a DN pair, to dncases[].
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "portico.h"
#include "auth/ldap.h"
#include "tap.h"

/* ------------------------------------------------------- pt_ldap_escape */

struct ecase {
	const char	*in;
	const char	*out;
	const char	*what;
};

static const struct ecase ecases[] = {
	{ "", "", "empty value" },
	{ "jwhitfield", "jwhitfield", "plain login unchanged" },
	{ "alex.morgan", "alex.morgan", "dot unchanged" },
	{ "a=b&c|d!e~f<g>h,i;j+k'l\"m#n%o", "a=b&c|d!e~f<g>h,i;j+k'l\"m#n%o",
	    "characters special only outside a value are kept" },
	{ "*", "\\2a", "RFC 4515: (cn=\\2A)" },
	{ "Parens R Us (for all your parenthetical needs)",
	    "Parens R Us \\28for all your parenthetical needs\\29",
	    "RFC 4515: (o=Parens R Us \\28...\\29)" },
	{ "C:\\MyFile", "C:\\5cMyFile", "RFC 4515: (filename=C:\\5cMyFile)" },
	{ "\x04\x02Hi", "\\04\\02Hi", "RFC 4515: \\04\\02\\48\\69" },
	{ "Lu\xc4\x8di\xc4\x87", "Lu\xc4\x8di\xc4\x87",
	    "RFC 4515: Lu\\c4\\8di\\c4\\87, valid UTF-8 kept as is" },
	{ "*)(uid=*))(|(uid=*", "\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a",
	    "injection *)(uid=*))(|(uid=* is inert" },
	{ "admin)(&)", "admin\\29\\28&\\29", "injection admin)(&)" },
	{ "*)(|(objectClass=*", "\\2a\\29\\28|\\28objectClass=\\2a",
	    "injection *)(|(objectClass=*" },
	{ "o'brien*", "o'brien\\2a", "demo login o'brien*" },
	{ "\\2a", "\\5c2a", "an escape typed by the user is escaped again" },
	{ "\\", "\\5c", "lone backslash" },
	{ "((()))", "\\28\\28\\28\\29\\29\\29", "only parentheses" },
	{ "a\tb", "a\\09b", "TAB" },
	{ "a\r\nb", "a\\0d\\0ab", "CR LF" },
	{ "\x01\x1f\x7f", "\\01\\1f\\7f", "control characters and DEL" },
	{ "\xff", "\\ff", "0xFF is never UTF-8" },
	{ "\xfe\xfe", "\\fe\\fe", "0xFE" },
	{ "\x80", "\\80", "lone continuation byte" },
	{ "a\xc3", "a\\c3", "truncated two-byte sequence" },
	{ "\xc3(", "\\c3\\28", "two-byte lead before '('" },
	{ "\xc0\xaf", "\\c0\\af", "overlong '/'" },
	{ "\xc1\xbf", "\\c1\\bf", "overlong C1" },
	{ "\xe0\x80\xaf", "\\e0\\80\\af", "overlong three-byte" },
	{ "\xed\xa0\x80", "\\ed\\a0\\80", "UTF-16 surrogate" },
	{ "\xf0\x80\x80\xaf", "\\f0\\80\\80\\af", "overlong four-byte" },
	{ "\xf4\x90\x80\x80", "\\f4\\90\\80\\80", "above U+10FFFF" },
	{ "\xe2\x82", "\\e2\\82", "truncated three-byte sequence" },
	{ "\xe2\x82\xac", "\xe2\x82\xac", "euro sign kept" },
	{ "\xf0\x9f\x98\x80*", "\xf0\x9f\x98\x80\\2a", "emoji kept, '*' escaped" },
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "U+10FFFF kept" },
	{ "\xc3\xa9\xff\xc3\xa9", "\xc3\xa9\\ff\xc3\xa9",
	    "bad byte between good characters" },
};

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;	/* the escaper writes lower case only */
}

/*
 * Checks that out is safe to put between the parentheses of a filter and
 * that it decodes back to in.
 */
static void
check_inert(const char *in, const char *out, const char *what)
{
	char	 dec[512];
	size_t	 i, o = 0;
	bool	 good = true;

	for (i = 0; out[i] != '\0' && o < sizeof(dec) - 1; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c == '*' || c == '(' || c == ')' || c < 0x20 || c == 0x7f) {
			good = false;
			break;
		}
		if (c == '\\') {
			if (hexval(out[i + 1]) < 0 || hexval(out[i + 2]) < 0) {
				good = false;
				break;
			}
			dec[o++] = (char)(hexval(out[i + 1]) << 4 |
			    hexval(out[i + 2]));
			i += 2;
		} else
			dec[o++] = (char)c;
	}
	dec[o] = '\0';
	ok(good, "%s: no filter metacharacter or bad escape", what);
	is_str(dec, in, "%s: unescapes to the input", what);
	ok(pt_utf8_valid(out, strlen(out)), "%s: output is valid UTF-8", what);
}

static void
escape_cases(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		*out;
	size_t		 i;

	for (i = 0; i < PT_NELEM(ecases); i++) {
		out = NULL;
		if (!is_int(pt_ldap_escape(a, ecases[i].in, &out), PT_OK,
		    "%s: PT_OK", ecases[i].what))
			continue;
		is_str(out, ecases[i].out, "%s", ecases[i].what);
		check_inert(ecases[i].in, out, ecases[i].what);
	}
	out = (char *)"untouched";
	is_int(pt_ldap_escape(a, NULL, &out), PT_ERR, "NULL input: PT_ERR");
	is_str(out, "untouched", "NULL input: *out untouched");
	pt_arena_free(a);
}

/* Every byte value, in every position, comes out inert. */
static void
escape_all_bytes(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		 in[256], *out;
	size_t		 i;

	for (i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	if (is_int(pt_ldap_escape(a, in, &out), PT_OK, "bytes 1..255: PT_OK"))
		check_inert(in, out, "bytes 1..255");
	pt_arena_free(a);
}

/* ---------------------------------------------------- pt_ldap_dn_equal */

struct dncase {
	const char	*a;
	const char	*b;
	bool		 eq;
	const char	*what;
};

static const struct dncase dncases[] = {
	{ "cn=portal-admins,ou=groups,dc=halvard,dc=example",
	    "cn=portal-admins,ou=groups,dc=halvard,dc=example", true,
	    "identical" },
	{ "CN=Portal-Admins,OU=Groups,DC=halvard,DC=example",
	    "cn=portal-admins,ou=groups,dc=halvard,dc=example", true,
	    "case of types and values" },
	{ "cn=portal-admins, ou=groups, dc=halvard, dc=example",
	    "cn=portal-admins,ou=groups,dc=halvard,dc=example", true,
	    "spaces after commas" },
	{ "cn = portal-admins,ou=groups,dc=halvard,dc=example",
	    "cn=portal-admins,ou=groups,dc=halvard,dc=example", true,
	    "spaces around '='" },
	{ "cn=Smith\\2c John,dc=example", "cn=Smith\\, John,dc=example", true,
	    "hex and character escapes of ','" },
	{ "uid=o'brien*,ou=people,dc=halvard,dc=example",
	    "uid=o'brien*,ou=people,dc=halvard,dc=example", true,
	    "demo DN with ' and *" },
	{ "cn=portal-admins,ou=groups,dc=halvard,dc=example",
	    "cn=portal-admin,ou=groups,dc=halvard,dc=example", false,
	    "different value" },
	{ "cn=a,ou=groups,dc=halvard,dc=example",
	    "cn=a,ou=teams,dc=halvard,dc=example", false,
	    "different parent" },
	{ "cn=a,dc=example", "cn=a,dc=halvard,dc=example", false,
	    "different depth" },
	{ "cn=a,dc=example", "uid=a,dc=example", false,
	    "different attribute type" },
	{ "cn=a+sn=b,dc=example", "cn=a,dc=example", false,
	    "multi-valued RDN against single" },
	{ "portal-admins", "portal-admins", false, "not DNs at all" },
	{ "cn=a,,dc=example", "cn=a,,dc=example", false, "malformed DN" },
};

static void
dn_cases(void)
{
	size_t	 i;

	for (i = 0; i < PT_NELEM(dncases); i++) {
		is_int(pt_ldap_dn_equal(dncases[i].a, dncases[i].b),
		    dncases[i].eq, "dn_equal: %s", dncases[i].what);
		is_int(pt_ldap_dn_equal(dncases[i].b, dncases[i].a),
		    dncases[i].eq, "dn_equal: %s (swapped)", dncases[i].what);
	}
	ok(!pt_ldap_dn_equal(NULL, "cn=a"), "dn_equal: NULL is equal to nothing");
	ok(!pt_ldap_dn_equal("cn=a", NULL), "dn_equal: nor nothing to NULL");
}

/* ------------------------------------- checks before any connection */

static char	 s_uri[64];
static char	 s_empty[] = "";
static char	 s_bind[] = "cn=portico-svc,ou=services,dc=halvard,dc=example";
static char	 s_pw[] = "svc-portico-secret";
static char	 s_base[] = "dc=halvard,dc=example";
static char	 s_filter[] = "(&(objectClass=inetOrgPerson)(uid=%s))";
static char	 s_uid[] = "uid", s_cn[] = "cn", s_mail[] = "mail", s_o[] = "o";
static char	 s_mode[] = "memberof";
static char	 s_gfilter[] = "(member=%s)";

static void
before_connect(void)
{
	struct pt_config	 cfg;
	struct pt_identity	 id;
	struct pt_arena		*a = pt_arena_new();
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	char			 longer[PT_LDAP_LOGIN_MAX + 2];
	char			 longpw[PT_LDAP_PASSWORD_MAX + 2];
	int			 s;

	/* A bound socket that does not listen: connections are refused. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &slen) == -1) {
		skip("no loopback socket for the pre-connection checks");
		return;
	}
	snprintf(s_uri, sizeof(s_uri), "ldap://127.0.0.1:%u/",
	    (unsigned int)ntohs(sin.sin_port));

	memset(&cfg, 0, sizeof(cfg));
	cfg.ldap_enabled = true;
	cfg.ldap_uri = s_uri;
	cfg.ldap_tls_verify = true;
	cfg.ldap_ca_file = s_empty;
	cfg.ldap_bind_dn = s_bind;
	cfg.ldap_bind_password = s_pw;
	cfg.ldap_base_dn = s_base;
	cfg.ldap_user_filter = s_filter;
	cfg.ldap_login_attr = s_uid;
	cfg.ldap_name_attr = s_cn;
	cfg.ldap_email_attr = s_mail;
	cfg.ldap_org_attr = s_o;
	cfg.ldap_group_mode = s_mode;
	cfg.ldap_group_base_dn = s_empty;
	cfg.ldap_group_filter = s_gfilter;
	cfg.ldap_timeout = 2;

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memset(longpw, 'p', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	memset(&id, 0, sizeof(id));

	is_int(pt_ldap_authenticate(&cfg, a, "lchen", "", &id), PT_DECLINED,
	    "empty password refused before any bind");
	is_int(pt_ldap_authenticate(&cfg, a, "lchen", NULL, &id), PT_DECLINED,
	    "NULL password refused before any bind");
	is_int(pt_ldap_authenticate(&cfg, a, "", "lina-demo", &id),
	    PT_DECLINED, "empty login refused before any bind");
	is_int(pt_ldap_authenticate(&cfg, a, NULL, "lina-demo", &id),
	    PT_DECLINED, "NULL login refused before any bind");
	is_int(pt_ldap_authenticate(&cfg, a, longer, "lina-demo", &id),
	    PT_DECLINED, "login over PT_LDAP_LOGIN_MAX refused");
	is_int(pt_ldap_authenticate(&cfg, a, "lchen", longpw, &id),
	    PT_DECLINED, "password over PT_LDAP_PASSWORD_MAX refused");
	is_int(pt_ldap_authenticate(&cfg, a, "lch\xffn", "lina-demo", &id),
	    PT_DECLINED, "login that is not UTF-8 refused");
	is_int(pt_ldap_authenticate(&cfg, a, "lchen\n", "lina-demo", &id),
	    PT_DECLINED, "login with a control character refused");
	ok(id.source == NULL && id.external_id == NULL,
	    "a declined sign-in leaves the identity untouched");
	is_int(pt_ldap_lookup(&cfg, a, "", &id), PT_DECLINED,
	    "lookup of an empty name declined");

	/* The control: the same checks pass, the network is tried. */
	is_int(pt_ldap_authenticate(&cfg, a, "lchen", "lina-demo", &id),
	    PT_ERR, "good-looking credentials reach the (refusing) directory");
	is_int(pt_ldap_lookup(&cfg, a, "lchen", &id), PT_ERR,
	    "lookup reaches the (refusing) directory");
	cfg.ldap_base_dn = s_empty;
	is_int(pt_ldap_authenticate(&cfg, a, "lchen", "lina-demo", &id),
	    PT_ERR, "no base_dn is a configuration error");
	close(s);
	pt_arena_free(a);
}

int
main(void)
{
	escape_cases();
	escape_all_bytes();
	dn_cases();
	before_connect();
	return done();
}
