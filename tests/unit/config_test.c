/*
 * config_test.c - unit tests for portico.conf loading (fcgi/config.c).
 *
 * Writes config files under /tmp and checks: a file setting every key
 * loads with exactly those values; an empty file gives the defaults; the
 * shipped conf/portico.conf.sample (found through $PT_SRCDIR) loads; an
 * unknown key, an unknown section and bad numbers are errors that name
 * the file, the line and the key.
 *
 * To add a case, add a row to bad[] (text, line, word the error must
 * name) or an assertion to full().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "portico.h"
#include "tap.h"

static char	 path[64];

static void
write_conf(const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		diag("cannot write %s: %s", path, strerror(errno));
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* True if err mentions line n as a number of its own (not "12" for 2). */
static bool
mentions_line(const char *err, int n)
{
	char		 want[16];
	const char	*p;
	size_t		 wl;

	snprintf(want, sizeof(want), "%d", n);
	wl = strlen(want);
	for (p = err; (p = strstr(p, want)) != NULL; p++) {
		bool before = p == err || p[-1] < '0' || p[-1] > '9';
		bool after = p[wl] < '0' || p[wl] > '9';

		if (before && after)
			return true;
	}
	return false;
}

static void
full(void)
{
	struct pt_config	*c;
	char			 err[512] = "";

	write_conf(
	    "; a comment\n"
	    "# another comment\n"
	    "\n"
	    "[server]\n"
	    "listen = 127.0.0.1:9000\n"
	    "listen_mode = 0600\n"
	    "listen_backlog = 64\n"
	    "workers = 3\n"
	    "max_requests = 500\n"
	    "drain_timeout = 7\n"
	    "log_level = debug\n"
	    "xslt_dir = /srv/portico/xslt\n"
	    "sql_dir = /srv/portico/sql\n"
	    "static_url = /assets\n"
	    "debug_xml = yes\n"
	    "\n"
	    "[limits]\n"
	    "body_max = 2M\n"
	    "headers_max = 32K\n"
	    "cookie_max = 2048\n"
	    "query_max = 4096\n"
	    "fields_max = 50\n"
	    "\n"
	    "[db]\n"
	    "host = db.example\n"
	    "port = 3307\n"
	    "socket = /run/mysqld/mysqld.sock\n"
	    "user = webuser\n"
	    "password = s3cret\n"
	    "name = extranet\n"
	    "connect_timeout = 3\n"
	    "read_timeout = 11\n"
	    "write_timeout = 12\n"
	    "\n"
	    "[site]\n"
	    "name = Acme Partner Portal\n");
	c = pt_config_load(path, err, sizeof(err));
	if (!ok(c != NULL, "a full valid file loads"))
		diag("err: %s", err);
	if (c == NULL)
		return;
	is_str(c->listen, "127.0.0.1:9000", "[server] listen");
	is_int(c->listen_mode, 0600, "[server] listen_mode is octal");
	is_int(c->listen_backlog, 64, "[server] listen_backlog");
	is_int(c->workers, 3, "[server] workers");
	is_int(c->max_requests, 500, "[server] max_requests");
	is_int(c->drain_timeout, 7, "[server] drain_timeout");
	is_int(c->log_level, PT_LOG_DEBUG, "[server] log_level");
	is_str(c->xslt_dir, "/srv/portico/xslt", "[server] xslt_dir");
	is_str(c->sql_dir, "/srv/portico/sql", "[server] sql_dir");
	is_str(c->static_url, "/assets", "[server] static_url");
	ok(c->debug_xml, "[server] debug_xml");
	is_int(c->limits.body_max, 2 * 1024 * 1024, "[limits] body_max 2M");
	is_int(c->limits.headers_max, 32 * 1024, "[limits] headers_max 32K");
	is_int(c->limits.cookie_max, 2048, "[limits] cookie_max");
	is_int(c->limits.query_max, 4096, "[limits] query_max");
	is_int(c->limits.fields_max, 50, "[limits] fields_max");
	is_str(c->db_host, "db.example", "[db] host");
	is_int(c->db_port, 3307, "[db] port");
	is_str(c->db_socket, "/run/mysqld/mysqld.sock", "[db] socket");
	is_str(c->db_user, "webuser", "[db] user");
	is_str(c->db_password, "s3cret", "[db] password");
	is_str(c->db_name, "extranet", "[db] name");
	is_int(c->db_connect_timeout, 3, "[db] connect_timeout");
	is_int(c->db_read_timeout, 11, "[db] read_timeout");
	is_int(c->db_write_timeout, 12, "[db] write_timeout");
	is_str(c->site_name, "Acme Partner Portal", "[site] name");
	pt_config_free(c);
}

static void
defaults(void)
{
	struct pt_config	*c;
	char			 err[512] = "";

	write_conf("");
	c = pt_config_load(path, err, sizeof(err));
	if (!ok(c != NULL, "an empty file loads (all defaults)"))
		diag("err: %s", err);
	if (c == NULL)
		return;
	ok(c->workers >= 1, "default workers >= 1 (%u)", c->workers);
	ok(c->listen != NULL, "default listen is set");
	ok(c->xslt_dir != NULL && c->xslt_dir[0] != '\0',
	    "default xslt_dir is set");
	ok(c->sql_dir != NULL && c->sql_dir[0] != '\0',
	    "default sql_dir is set");
	ok(c->limits.body_max > 0 && c->limits.headers_max > 0 &&
	    c->limits.cookie_max > 0 && c->limits.query_max > 0 &&
	    c->limits.fields_max > 0, "every default limit is non-zero");
	ok(c->limits.cookie_max <= c->limits.headers_max,
	    "the default cookie limit fits in the header limit");
	ok(c->db_connect_timeout > 0 && c->db_read_timeout > 0 &&
	    c->db_write_timeout > 0, "default DB timeouts are non-zero");
	ok(!c->debug_xml, "debug_xml is off by default");
	ok(c->db_name != NULL && c->db_user != NULL && c->db_host != NULL &&
	    c->db_socket != NULL && c->db_password != NULL &&
	    c->site_name != NULL && c->static_url != NULL,
	    "every default string is non-NULL");
	pt_config_free(c);

	/* A file setting one key keeps the defaults of the others. */
	write_conf("[server]\nworkers = 9\n");
	c = pt_config_load(path, err, sizeof(err));
	ok(c != NULL && c->workers == 9 && c->limits.body_max > 0 &&
	    c->xslt_dir != NULL, "one key set, the rest default");
	pt_config_free(c);
}

static void
sample(void)
{
	struct pt_config	*c;
	const char		*src = getenv("PT_SRCDIR");
	char			 p[512], err[512] = "";

	if (src == NULL)
		src = ".";
	snprintf(p, sizeof(p), "%s/conf/portico.conf.sample", src);
	if (!ok(access(p, R_OK) == 0, "conf/portico.conf.sample exists"))
		return;
	c = pt_config_load(p, err, sizeof(err));
	if (!ok(c != NULL, "conf/portico.conf.sample loads"))
		diag("err: %s", err);
	pt_config_free(c);
}

struct badcase {
	const char	*text;
	int		 line;
	const char	*word;	/* the error must name it */
	const char	*what;
};

static const struct badcase bad[] = {
	{ "[server]\nworkers = 2\nbogus = 1\n", 3, "bogus", "unknown key" },
	{ "[server]\nworkers = 2\n\n[nope]\nx = 1\n", 5, "nope",
	    "unknown section" },
	{ "[server]\n\n\n\nworkerz = 2\n", 5, "workerz", "misspelt key" },
	{ "[db]\nworkers = 2\n", 2, "workers", "key in the wrong section" },
	{ "workers = 2\n", 1, "workers", "key outside any section" },
	{ "[server]\nworkers = abc\n", 2, "workers", "non-numeric number" },
	{ "[server]\nworkers = -1\n", 2, "workers", "negative number" },
	{ "[server]\nworkers = 3x\n", 2, "workers", "trailing garbage" },
	{ "[server]\nworkers = \n", 2, "workers", "empty number" },
	{ "[server]\nworkers = 0\n", 2, "workers", "zero workers" },
	{ "[server]\nworkers = 99999999999999999999999\n", 2, "workers",
	    "overflowing number" },
	{ "[server]\nworkers = 4294967297\n", 2, "workers",
	    "number above UINT_MAX" },
	{ "[server]\nworkers = 0x10\n", 2, "workers", "hex number" },
	{ "[server]\nworkers = 1.5\n", 2, "workers", "fractional number" },
	{ "[db]\nport = 70000\n", 2, "port", "port out of range" },
	{ "[limits]\nbody_max = lots\n", 2, "body_max", "bad size" },
	{ "[limits]\nbody_max = 10G\n", 2, "body_max", "bad size suffix" },
	{ "[limits]\nbody_max = 0\n", 2, "body_max", "zero size" },
	{ "[limits]\nfields_max = -5\n", 2, "fields_max", "negative count" },
	{ "[server]\nlisten_mode = 0999\n", 2, "listen_mode", "bad octal" },
	{ "[server]\nlog_level = verbose\n", 2, "log_level", "bad log level" },
	{ "[server]\ndebug_xml = maybe\n", 2, "debug_xml", "bad boolean" },
	{ "[server]\nlisten = nowhere\n", 2, "listen", "bad listen address" },
	{ "[server]\nstatic_url = https://cdn.example;script-src/x\n", 2,
	    "static_url", "a static_url host that would add to the CSP" },
	{ "[server]\nstatic_url = ftp://cdn.example/x\n", 2, "static_url",
	    "a static_url that is not http(s)" },
	{ "[server]\nworkers = 2\nworkers = 3\n", 3, "workers",
	    "key set twice" },
	{ "[server]\nworkers = 2\nthis line is junk\n", 3, NULL,
	    "a line that is not key = value" },
	{ "[roles]\npartner_user = cn=a\nsuperuser = cn=b\n", 3, "superuser",
	    "unknown role" },
	{ "[roles]\nportal_admin =\n", 2, "portal_admin", "role without group" },
	{ "[communities]\nPartner Lounge = cn=a\n", 2, "Partner Lounge",
	    "community slug with capitals and a space" },
	{ "[ldap]\nuser_filter = uid=%s\n", 2, "user_filter",
	    "LDAP filter without parentheses" },
	{ "[ldap]\nuser_filter = (uid=%d)\n", 2, "user_filter",
	    "LDAP filter with a stray %" },
	{ "[ldap]\ngroup_mode = nested\n", 2, "group_mode", "bad group mode" },
	{ "[websso]\nuser_param = HTTP_X_REMOTE_USER\n", 2, "user_param",
	    "identity from a client header" },
	/* A sign-in method enabled without what it needs: its enabled line. */
	{ "[ldap]\nenabled = yes\nuri = ldap://127.0.0.1/\n", 2, "base_dn",
	    "LDAP enabled without base_dn" },
	{ "[oidc]\nenabled = yes\nissuer = https://idp.example\n"
	    "client_id = portal\nclient_secret = s3\n", 2, "redirect_uri",
	    "OpenID Connect enabled without redirect_uri" },
	{ "[oidc]\n\nenabled = yes\nredirect_uri = https://p.example/cb\n",
	    3, "issuer", "OpenID Connect enabled without issuer" },
	{ "[websso]\nuser_param =\nenabled = yes\n", 3, "user_param",
	    "web SSO enabled without user_param" },
};

/* [roles] and [communities] take repeated keys, in file order. */
static void
grants(void)
{
	struct pt_config	*c;
	char			 err[512] = "";

	write_conf("[roles]\npartner_user = cn=partners,dc=x\n"
	    "partner_user = partners-oidc\nportal_admin = cn=admins,dc=x\n"
	    "[communities]\npartner-lounge = cn=partners,dc=x\n"
	    "beta = cn=beta,dc=x\n");
	c = pt_config_load(path, err, sizeof(err));
	if (!ok(c != NULL, "[roles] and [communities] load: %s", err))
		return;
	ok(c->nrolemap == 3 && c->rolemap[0].role == PT_ROLE_PARTNER_USER &&
	    strcmp(c->rolemap[1].group, "partners-oidc") == 0 &&
	    c->rolemap[2].role == PT_ROLE_PORTAL_ADMIN,
	    "a role may be granted by several groups, in file order");
	ok(c->ncommap == 2 && strcmp(c->commap[0].community,
	    "partner-lounge") == 0 && strcmp(c->commap[1].group,
	    "cn=beta,dc=x") == 0, "community grants, in file order");
	pt_config_free(c);
}

static void
errors(void)
{
	struct pt_config	*c;
	char			 err[512];
	const char		*base;
	size_t			 i;

	base = strrchr(path, '/') + 1;
	for (i = 0; i < PT_NELEM(bad); i++) {
		write_conf(bad[i].text);
		strcpy(err, "(unset)");
		c = pt_config_load(path, err, sizeof(err));
		if (!ok(c == NULL, "refused: %s", bad[i].what)) {
			pt_config_free(c);
			continue;
		}
		ok(strstr(err, base) != NULL, "%s: the error names the file: %s",
		    bad[i].what, err);
		ok(mentions_line(err, bad[i].line),
		    "%s: the error names line %d: %s", bad[i].what,
		    bad[i].line, err);
		if (bad[i].word != NULL)
			ok(strstr(err, bad[i].word) != NULL,
			    "%s: the error names \"%s\": %s", bad[i].what,
			    bad[i].word, err);
	}

	strcpy(err, "(unset)");
	c = pt_config_load("/nonexistent/portico.conf", err, sizeof(err));
	ok(c == NULL && strstr(err, "/nonexistent/portico.conf") != NULL,
	    "a missing file is an error naming it: %s", err);

	/* A secret must not be echoed into an error message. */
	write_conf("[db]\npassword = hunter2-secret\npassword = again\n");
	strcpy(err, "(unset)");
	c = pt_config_load(path, err, sizeof(err));
	ok(c == NULL && strstr(err, "hunter2") == NULL &&
	    strstr(err, "again") == NULL,
	    "an error about the password does not echo it: %s", err);
	pt_config_free(c);
}

int
main(void)
{
	int	 fd;

	snprintf(path, sizeof(path), "/tmp/ptconf.XXXXXX");
	if ((fd = mkstemp(path)) == -1) {
		diag("mkstemp: %s", strerror(errno));
		return 1;
	}
	close(fd);
	full();
	defaults();
	sample();
	errors();
	grants();
	unlink(path);
	return done();
}
