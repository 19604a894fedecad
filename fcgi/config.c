/*
 * config.c - reads portico.conf into a struct pt_config.
 *
 * The file is INI, parsed with inih.  Every key lives in the keys[] table
 * below, which says where its value goes in struct pt_config, what type it
 * has and which range is valid; the defaults are in config_defaults().
 * Anything the table does not know is an error, and so is a bad value: a
 * typo in a production config must stop the server at startup with
 * "FILE:LINE: [section] key: what is wrong", never be ignored.
 *
 * inih reports only the line of a syntax error, not the line of the key its
 * handler is called for, so the file is read into memory first and fed to
 * ini_parse_stream() one line at a time by a reader that counts lines.  The
 * same reader refuses lines that do not fit inih's line buffer (inih would
 * silently split them) and files holding NUL bytes.
 *
 * Secrets: [db] password_file is read here and its buffer wiped; the file
 * buffer is wiped too, since it may hold [db] password; pt_config_free()
 * wipes the password.  (inih's own line buffer is out of our reach.)
 *
 * API: pt_config_load(), pt_config_free(), pt_config_default_path.
 *
 * To add a key: add its field to struct pt_config in portico.h, a row to
 * keys[] (and a type to enum cfg_type if none fits), its default to
 * config_defaults(), and document it in conf/portico.conf.sample.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE: strdup, explicit_bzero, O_CLOEXEC */
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "portico.h"

#ifndef PT_SYSCONFDIR
#error "PT_SYSCONFDIR must be defined by the build (see Makefile.am)"
#endif
#ifndef PT_PKGDATADIR
#error "PT_PKGDATADIR must be defined by the build (see Makefile.am)"
#endif

const char pt_config_default_path[] = PT_SYSCONFDIR "/portico/portico.conf";

/* Larger files are certainly a mistake (a log file given to -c, say). */
#define CFG_FILE_MAX	(1024 * 1024)
#define CFG_SECRET_MAX	4096
/* sizeof(((struct sockaddr_un *)0)->sun_path) on Linux. */
#define CFG_SUN_PATH	108

enum cfg_type {
	CFG_STR,	/* char *, non-empty, no control characters */
	CFG_ANYSTR,	/* char *, may be empty */
	CFG_SECRET,	/* char *, may be empty, never echoed in errors */
	CFG_SECRETFILE,	/* reads the file into db_password */
	CFG_UINT,	/* unsigned int in [min, max] */
	CFG_MODE,	/* unsigned int, octal file mode */
	CFG_BYTES,	/* size_t in [min, max], optional K/M suffix */
	CFG_COUNT,	/* size_t in [min, max] */
	CFG_BOOL,	/* bool */
	CFG_LEVEL,	/* enum pt_loglevel */
	CFG_LISTEN,	/* char *, "unix:/path", "host:port" or "" */
	CFG_URL,	/* char *, "/path" or "http(s)://..." */
	CFG_FILTER,	/* char *, an LDAP filter template holding "%s" */
	CFG_GROUPMODE,	/* char *, "memberof" or "search" */
	CFG_AUTHMETHOD,	/* char *, "client_secret_basic" or "_post" */
	CFG_OFFLOAD,	/* char *, "none", "x-accel-redirect", "x-sendfile" */
	CFG_URIPREFIX,	/* char *, "/internal/": an absolute path and a '/' */
	CFG_PARAM,	/* char *, a FastCGI parameter name, or "" */
	CFG_SMTPURL,	/* char *, "smtp://host[:port]" or "smtps://..." */
	CFG_MAILADDR,	/* char *, local@domain, no blanks or specials */
	CFG_DAYLIST,	/* char *, "14,3": 1 to 8 distinct days, 1..3650 */
	CFG__MAX
};

struct cfg_key {
	const char	*section;
	const char	*name;
	enum cfg_type	 type;
	size_t		 off;	/* into struct pt_config */
	unsigned long long min;
	unsigned long long max;
};

#define CFG_OFF(f)	offsetof(struct pt_config, f)
#define KIB		1024ULL
#define MIB		(1024ULL * 1024ULL)

static const struct cfg_key keys[] = {
	{ "server", "listen", CFG_LISTEN, CFG_OFF(listen), 0, 0 },
	{ "server", "listen_mode", CFG_MODE, CFG_OFF(listen_mode), 0, 0777 },
	{ "server", "listen_backlog", CFG_UINT, CFG_OFF(listen_backlog),
	    1, 65535 },
	{ "server", "workers", CFG_UINT, CFG_OFF(workers), 1, 256 },
	{ "server", "max_requests", CFG_UINT, CFG_OFF(max_requests),
	    0, UINT_MAX },
	{ "server", "drain_timeout", CFG_UINT, CFG_OFF(drain_timeout),
	    0, 3600 },
	{ "server", "log_level", CFG_LEVEL, CFG_OFF(log_level), 0, 0 },
	{ "server", "xslt_dir", CFG_STR, CFG_OFF(xslt_dir), 0, 0 },
	{ "server", "sql_dir", CFG_STR, CFG_OFF(sql_dir), 0, 0 },
	{ "server", "static_url", CFG_URL, CFG_OFF(static_url), 0, 0 },
	{ "server", "debug_xml", CFG_BOOL, CFG_OFF(debug_xml), 0, 0 },
	{ "server", "page_cache_ttl", CFG_UINT, CFG_OFF(page_cache_ttl),
	    0, 3600 },

	{ "limits", "body_max", CFG_BYTES, CFG_OFF(limits.body_max),
	    1, 1024 * MIB },
	{ "limits", "headers_max", CFG_BYTES, CFG_OFF(limits.headers_max),
	    1, 16 * MIB },
	{ "limits", "cookie_max", CFG_BYTES, CFG_OFF(limits.cookie_max),
	    1, 16 * MIB },
	{ "limits", "query_max", CFG_BYTES, CFG_OFF(limits.query_max),
	    1, 16 * MIB },
	{ "limits", "fields_max", CFG_COUNT, CFG_OFF(limits.fields_max),
	    1, 65536 },

	{ "db", "host", CFG_ANYSTR, CFG_OFF(db_host), 0, 0 },
	{ "db", "port", CFG_UINT, CFG_OFF(db_port), 1, 65535 },
	{ "db", "socket", CFG_ANYSTR, CFG_OFF(db_socket), 0, 0 },
	{ "db", "user", CFG_STR, CFG_OFF(db_user), 0, 0 },
	{ "db", "password", CFG_SECRET, CFG_OFF(db_password), 0, 0 },
	{ "db", "password_file", CFG_SECRETFILE, CFG_OFF(db_password), 0, 0 },
	{ "db", "name", CFG_STR, CFG_OFF(db_name), 0, 0 },
	{ "db", "connect_timeout", CFG_UINT, CFG_OFF(db_connect_timeout),
	    1, 3600 },
	{ "db", "read_timeout", CFG_UINT, CFG_OFF(db_read_timeout),
	    1, 86400 },
	{ "db", "write_timeout", CFG_UINT, CFG_OFF(db_write_timeout),
	    1, 86400 },

	{ "site", "name", CFG_STR, CFG_OFF(site_name), 0, 0 },

	{ "session", "cookie_secure", CFG_BOOL,
	    CFG_OFF(session_cookie_secure), 0, 0 },
	{ "session", "idle_timeout", CFG_UINT, CFG_OFF(session_idle_timeout),
	    60, 30 * 86400 },
	{ "session", "absolute_timeout", CFG_UINT,
	    CFG_OFF(session_absolute_timeout), 300, 90 * 86400 },
	{ "session", "throttle_account", CFG_UINT,
	    CFG_OFF(session_throttle_account), 1, 1000 },
	{ "session", "throttle_address", CFG_UINT,
	    CFG_OFF(session_throttle_address), 1, 100000 },
	{ "session", "throttle_window", CFG_UINT,
	    CFG_OFF(session_throttle_window), 10, 86400 },

	{ "ldap", "enabled", CFG_BOOL, CFG_OFF(ldap_enabled), 0, 0 },
	{ "ldap", "uri", CFG_ANYSTR, CFG_OFF(ldap_uri), 0, 0 },
	{ "ldap", "starttls", CFG_BOOL, CFG_OFF(ldap_starttls), 0, 0 },
	{ "ldap", "tls_verify", CFG_BOOL, CFG_OFF(ldap_tls_verify), 0, 0 },
	{ "ldap", "ca_file", CFG_ANYSTR, CFG_OFF(ldap_ca_file), 0, 0 },
	{ "ldap", "bind_dn", CFG_ANYSTR, CFG_OFF(ldap_bind_dn), 0, 0 },
	{ "ldap", "bind_password", CFG_SECRET, CFG_OFF(ldap_bind_password),
	    0, 0 },
	{ "ldap", "bind_password_file", CFG_SECRETFILE,
	    CFG_OFF(ldap_bind_password), 0, 0 },
	{ "ldap", "base_dn", CFG_ANYSTR, CFG_OFF(ldap_base_dn), 0, 0 },
	{ "ldap", "user_filter", CFG_FILTER, CFG_OFF(ldap_user_filter), 0, 0 },
	{ "ldap", "login_attr", CFG_STR, CFG_OFF(ldap_login_attr), 0, 0 },
	{ "ldap", "name_attr", CFG_STR, CFG_OFF(ldap_name_attr), 0, 0 },
	{ "ldap", "email_attr", CFG_STR, CFG_OFF(ldap_email_attr), 0, 0 },
	{ "ldap", "org_attr", CFG_ANYSTR, CFG_OFF(ldap_org_attr), 0, 0 },
	{ "ldap", "org_dn_attr", CFG_ANYSTR, CFG_OFF(ldap_org_dn_attr), 0, 0 },
	{ "ldap", "group_mode", CFG_GROUPMODE, CFG_OFF(ldap_group_mode),
	    0, 0 },
	{ "ldap", "group_base_dn", CFG_ANYSTR, CFG_OFF(ldap_group_base_dn),
	    0, 0 },
	{ "ldap", "group_filter", CFG_FILTER, CFG_OFF(ldap_group_filter),
	    0, 0 },
	{ "ldap", "timeout", CFG_UINT, CFG_OFF(ldap_timeout), 1, 300 },

	{ "oidc", "enabled", CFG_BOOL, CFG_OFF(oidc_enabled), 0, 0 },
	{ "oidc", "issuer", CFG_ANYSTR, CFG_OFF(oidc_issuer), 0, 0 },
	{ "oidc", "display_name", CFG_ANYSTR, CFG_OFF(oidc_display_name),
	    0, 0 },
	{ "oidc", "client_id", CFG_ANYSTR, CFG_OFF(oidc_client_id), 0, 0 },
	{ "oidc", "client_secret", CFG_SECRET, CFG_OFF(oidc_client_secret),
	    0, 0 },
	{ "oidc", "client_secret_file", CFG_SECRETFILE,
	    CFG_OFF(oidc_client_secret), 0, 0 },
	{ "oidc", "auth_method", CFG_AUTHMETHOD, CFG_OFF(oidc_auth_method),
	    0, 0 },
	{ "oidc", "redirect_uri", CFG_ANYSTR, CFG_OFF(oidc_redirect_uri),
	    0, 0 },
	{ "oidc", "post_logout_redirect_uri", CFG_ANYSTR,
	    CFG_OFF(oidc_post_logout_redirect_uri), 0, 0 },
	{ "oidc", "scopes", CFG_STR, CFG_OFF(oidc_scopes), 0, 0 },
	{ "oidc", "name_claim", CFG_STR, CFG_OFF(oidc_name_claim), 0, 0 },
	{ "oidc", "email_claim", CFG_STR, CFG_OFF(oidc_email_claim), 0, 0 },
	{ "oidc", "org_claim", CFG_ANYSTR, CFG_OFF(oidc_org_claim), 0, 0 },
	{ "oidc", "groups_claim", CFG_ANYSTR, CFG_OFF(oidc_groups_claim),
	    0, 0 },
	{ "oidc", "timeout", CFG_UINT, CFG_OFF(oidc_timeout), 1, 300 },
	{ "oidc", "allow_http", CFG_BOOL, CFG_OFF(oidc_allow_http), 0, 0 },

	{ "websso", "enabled", CFG_BOOL, CFG_OFF(websso_enabled), 0, 0 },
	{ "websso", "user_param", CFG_PARAM, CFG_OFF(websso_user_param),
	    0, 0 },
	{ "websso", "name_param", CFG_PARAM, CFG_OFF(websso_name_param),
	    0, 0 },
	{ "websso", "email_param", CFG_PARAM, CFG_OFF(websso_email_param),
	    0, 0 },
	{ "websso", "org_param", CFG_PARAM, CFG_OFF(websso_org_param), 0, 0 },
	{ "websso", "groups_param", CFG_PARAM, CFG_OFF(websso_groups_param),
	    0, 0 },
	{ "websso", "groups_separator", CFG_STR,
	    CFG_OFF(websso_groups_separator), 0, 0 },

	{ "mail", "smtp_url", CFG_SMTPURL, CFG_OFF(mail_smtp_url), 0, 0 },
	{ "mail", "starttls", CFG_BOOL, CFG_OFF(mail_starttls), 0, 0 },
	{ "mail", "tls_verify", CFG_BOOL, CFG_OFF(mail_tls_verify), 0, 0 },
	{ "mail", "ca_file", CFG_ANYSTR, CFG_OFF(mail_ca_file), 0, 0 },
	{ "mail", "username", CFG_ANYSTR, CFG_OFF(mail_username), 0, 0 },
	{ "mail", "password", CFG_SECRET, CFG_OFF(mail_password), 0, 0 },
	{ "mail", "password_file", CFG_SECRETFILE, CFG_OFF(mail_password),
	    0, 0 },
	{ "mail", "from_address", CFG_MAILADDR, CFG_OFF(mail_from_address),
	    0, 0 },
	{ "mail", "from_name", CFG_ANYSTR, CFG_OFF(mail_from_name), 0, 0 },
	{ "mail", "timeout", CFG_UINT, CFG_OFF(mail_timeout), 1, 600 },
	{ "mail", "max_attempts", CFG_UINT, CFG_OFF(mail_max_attempts),
	    1, 100 },
	{ "mail", "retry_base", CFG_UINT, CFG_OFF(mail_retry_base),
	    0, 86400 },
	{ "mail", "lease", CFG_UINT, CFG_OFF(mail_lease), 10, 86400 },

	{ "lifecycle", "enabled", CFG_BOOL, CFG_OFF(lifecycle_enabled), 0, 0 },
	{ "lifecycle", "inactivity_days", CFG_UINT,
	    CFG_OFF(lifecycle_inactivity_days), 0, 36500 },
	{ "lifecycle", "warn_days", CFG_DAYLIST, CFG_OFF(lifecycle_warn_days),
	    0, 0 },
	{ "lifecycle", "grace_days", CFG_UINT, CFG_OFF(lifecycle_grace_days),
	    1, 36500 },
	{ "lifecycle", "batch", CFG_UINT, CFG_OFF(lifecycle_batch),
	    1, 100000 },
	{ "lifecycle", "invitation_days", CFG_UINT,
	    CFG_OFF(lifecycle_invitation_days), 1, 3650 },
	{ "lifecycle", "deprovision", CFG_BOOL,
	    CFG_OFF(lifecycle_deprovision), 0, 0 },
	{ "lifecycle", "attestation_days", CFG_UINT,
	    CFG_OFF(lifecycle_attestation_days), 0, 3650 },
	{ "lifecycle", "attestation_warn_days", CFG_DAYLIST,
	    CFG_OFF(lifecycle_attestation_warn_days), 0, 0 },
	{ "lifecycle", "contact", CFG_ANYSTR, CFG_OFF(lifecycle_contact),
	    0, 0 },

	{ "collateral", "storage_dir", CFG_STR,
	    CFG_OFF(collateral_storage_dir), 0, 0 },
	{ "collateral", "max_upload", CFG_BYTES,
	    CFG_OFF(collateral_max_upload), 1, 64ULL * 1024 * MIB },
	{ "collateral", "offload", CFG_OFFLOAD, CFG_OFF(collateral_offload),
	    0, 0 },
	{ "collateral", "offload_prefix", CFG_URIPREFIX,
	    CFG_OFF(collateral_offload_prefix), 0, 0 },
	{ "collateral", "review_days", CFG_UINT,
	    CFG_OFF(collateral_review_days), 1, 36500 },
};

/* Indexed by enum pt_role. */
const char *const pt_role_names[PT_ROLE__MAX] = {
	[PT_ROLE_PARTNER_USER] = "partner_user",
	[PT_ROLE_PARTNER_ADMIN] = "partner_admin",
	[PT_ROLE_CHANNEL_MANAGER] = "channel_manager",
	[PT_ROLE_CONTENT_MANAGER] = "content_manager",
	[PT_ROLE_MODERATOR] = "moderator",
	[PT_ROLE_PORTAL_ADMIN] = "portal_admin",
};

/* The access bits a role grants, indexed by enum pt_role. */
const unsigned int pt_role_access[PT_ROLE__MAX] = {
	[PT_ROLE_PARTNER_USER] = 0,
	[PT_ROLE_PARTNER_ADMIN] = PT_ACCESS_PARTNER_ADMIN,
	[PT_ROLE_CHANNEL_MANAGER] = PT_ACCESS_CHANNEL_MANAGER,
	[PT_ROLE_CONTENT_MANAGER] = PT_ACCESS_CONTENT_MANAGER,
	[PT_ROLE_MODERATOR] = PT_ACCESS_MODERATOR,
	[PT_ROLE_PORTAL_ADMIN] = PT_ACCESS_ADMIN,
};

static const char *const level_names[PT_LOG__MAX] = {
	[PT_LOG_ERR] = "error",
	[PT_LOG_WARN] = "warn",
	[PT_LOG_INFO] = "info",
	[PT_LOG_DEBUG] = "debug",
};

/* State of one pt_config_load(), shared by the reader and the handler. */
struct cfg_parse {
	const char		*path;
	struct pt_config	*cfg;
	const char		*buf;	/* the whole file */
	size_t			 len;
	size_t			 pos;
	int			 lineno;	/* of the line last handed to inih */
	bool			 indented;	/* that line starts with a blank */
	int			 seen[PT_NELEM(keys)];	/* line set on, or 0 */
	int			 errline;	/* 0 until the first error */
	char			*err;
	size_t			 errlen;
};

static void	cfg_error(struct cfg_parse *, const char *, ...) PT_PRINTF(2, 3);

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n, size)) == NULL)
		abort();
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		abort();
	return p;
}

/* Frees a string that may hold a secret. */
static void
free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Records the first error only: later ones are usually consequences. */
static void
cfg_error(struct cfg_parse *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (st->errline != 0)
		return;
	st->errline = st->lineno > 0 ? st->lineno : 1;
	n = snprintf(st->err, st->errlen, "%s:%d: ", st->path, st->lineno);
	if (n < 0 || (size_t)n >= st->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
config_defaults(struct pt_config *cfg)
{
	cfg->listen = xstrdup("unix:/run/portico/portico.sock");
	cfg->listen_mode = 0660;
	cfg->listen_backlog = 128;
	cfg->workers = 4;
	cfg->max_requests = 10000;
	cfg->drain_timeout = 30;
	cfg->log_level = PT_LOG_INFO;
	cfg->xslt_dir = xstrdup(PT_PKGDATADIR "/xslt");
	cfg->sql_dir = xstrdup(PT_PKGDATADIR "/sql");
	cfg->static_url = xstrdup("/static");
	cfg->debug_xml = false;
	cfg->page_cache_ttl = 5;

	cfg->limits.body_max = 1 * MIB;
	cfg->limits.headers_max = 16 * KIB;
	cfg->limits.cookie_max = 4 * KIB;
	cfg->limits.query_max = 8 * KIB;
	cfg->limits.fields_max = 256;

	cfg->db_host = xstrdup("localhost");
	cfg->db_port = 3306;
	cfg->db_socket = xstrdup("");
	cfg->db_user = xstrdup("portico");
	cfg->db_password = xstrdup("");
	cfg->db_name = xstrdup("portico");
	cfg->db_connect_timeout = 5;
	cfg->db_read_timeout = 30;
	cfg->db_write_timeout = 30;

	cfg->site_name = xstrdup("Portico");

	cfg->session_cookie_secure = true;
	cfg->session_idle_timeout = 2 * 3600;
	cfg->session_absolute_timeout = 12 * 3600;
	cfg->session_throttle_account = 5;
	cfg->session_throttle_address = 50;
	cfg->session_throttle_window = 900;

	cfg->ldap_uri = xstrdup("ldap://localhost");
	cfg->ldap_tls_verify = true;
	cfg->ldap_ca_file = xstrdup("");
	cfg->ldap_bind_dn = xstrdup("");
	cfg->ldap_bind_password = xstrdup("");
	cfg->ldap_base_dn = xstrdup("");
	cfg->ldap_user_filter = xstrdup("(&(objectClass=inetOrgPerson)"
	    "(uid=%s))");
	cfg->ldap_login_attr = xstrdup("uid");
	cfg->ldap_name_attr = xstrdup("cn");
	cfg->ldap_email_attr = xstrdup("mail");
	cfg->ldap_org_attr = xstrdup("o");
	cfg->ldap_org_dn_attr = xstrdup("");
	cfg->ldap_group_mode = xstrdup("memberof");
	cfg->ldap_group_base_dn = xstrdup("");
	cfg->ldap_group_filter = xstrdup("(|(&(objectClass=groupOfNames)"
	    "(member=%s))(&(objectClass=groupOfUniqueNames)"
	    "(uniqueMember=%s)))");
	cfg->ldap_timeout = 5;

	cfg->oidc_issuer = xstrdup("");
	cfg->oidc_display_name = xstrdup("");
	cfg->oidc_client_id = xstrdup("");
	cfg->oidc_client_secret = xstrdup("");
	cfg->oidc_auth_method = xstrdup("client_secret_basic");
	cfg->oidc_redirect_uri = xstrdup("");
	cfg->oidc_post_logout_redirect_uri = xstrdup("");
	cfg->oidc_scopes = xstrdup("openid email profile");
	cfg->oidc_name_claim = xstrdup("name");
	cfg->oidc_email_claim = xstrdup("email");
	cfg->oidc_org_claim = xstrdup("");
	cfg->oidc_groups_claim = xstrdup("groups");
	cfg->oidc_timeout = 5;

	cfg->websso_user_param = xstrdup("REMOTE_USER");
	cfg->websso_name_param = xstrdup("");
	cfg->websso_email_param = xstrdup("");
	cfg->websso_org_param = xstrdup("");
	cfg->websso_groups_param = xstrdup("");
	cfg->websso_groups_separator = xstrdup(";");

	cfg->mail_smtp_url = xstrdup("smtp://localhost:25");
	cfg->mail_starttls = false;
	cfg->mail_tls_verify = true;
	cfg->mail_ca_file = xstrdup("");
	cfg->mail_username = xstrdup("");
	cfg->mail_password = xstrdup("");
	cfg->mail_from_address = xstrdup("portico@localhost");
	cfg->mail_from_name = xstrdup("Portico");
	cfg->mail_timeout = 30;
	cfg->mail_max_attempts = 8;
	cfg->mail_retry_base = 300;
	cfg->mail_lease = 600;
	cfg->lifecycle_enabled = false;
	cfg->lifecycle_inactivity_days = 90;
	cfg->lifecycle_warn_days = xstrdup("14,3");
	cfg->lifecycle_grace_days = 30;
	cfg->lifecycle_batch = 1000;
	cfg->lifecycle_invitation_days = 14;
	cfg->lifecycle_deprovision = true;
	cfg->lifecycle_attestation_days = 0;
	cfg->lifecycle_attestation_warn_days = xstrdup("14,3");
	cfg->lifecycle_contact = xstrdup("");
	cfg->collateral_storage_dir = xstrdup("/var/lib/portico/collateral");
	cfg->collateral_max_upload = 512 * MIB;
	cfg->collateral_offload = xstrdup("none");
	cfg->collateral_offload_prefix = xstrdup("/_portico_collateral/");
	cfg->collateral_review_days = 365;
}

/*
 * Decimal or octal digits only: no sign, no blanks, no "0x".  Returns true
 * and sets *out if s is a number that fits.
 */
static bool
parse_ull(const char *s, int base, unsigned long long *out)
{
	const char *digits = base == 8 ? "01234567" : "0123456789";
	char *end;

	if (*s == '\0' || strspn(s, digits) != strlen(s))
		return false;
	errno = 0;
	*out = strtoull(s, &end, base);
	return errno == 0 && *end == '\0';
}

/* A byte count with an optional K or M suffix (binary: 1K = 1024). */
static bool
parse_bytes(const char *s, unsigned long long *out)
{
	char num[32];
	unsigned long long mul = 1;
	size_t len = strlen(s);

	if (len == 0 || len >= sizeof(num))
		return false;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k':
	case 'K':
		mul = KIB;
		num[--len] = '\0';
		break;
	case 'm':
	case 'M':
		mul = MIB;
		num[--len] = '\0';
		break;
	}
	if (!parse_ull(num, 10, out) || *out > ULLONG_MAX / mul)
		return false;
	*out *= mul;
	return true;
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* "unix:/abs/path", "host:port", "[v6]:port" or "" (inherit fd 0). */
static bool
listen_ok(const char *s)
{
	const char *colon;
	unsigned long long port;

	if (*s == '\0')
		return true;
	if (strncmp(s, "unix:", 5) == 0)
		return s[5] == '/' && strlen(s + 5) < CFG_SUN_PATH;
	if ((colon = strrchr(s, ':')) == NULL || colon == s)
		return false;
	if (s[0] == '[' && colon[-1] != ']')
		return false;
	return parse_ull(colon + 1, 10, &port) && port >= 1 && port <= 65535;
}

/*
 * A path, or an http(s):// URL whose host part (up to the next '/') is a
 * host name or address and port, short enough to go into the
 * Content-Security-Policy as is (fcgi/dispatch.c).
 */
static bool
url_ok(const char *s)
{
	const char	*host;
	size_t		 n;

	if (strpbrk(s, " \"'<>\\") != NULL || strlen(s) >= 512)
		return false;
	if (s[0] == '/')
		return true;
	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return false;
	n = strcspn(host, "/");
	return n > 0 && (size_t)(host - s) + n <= 255 &&
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-:[]") == n;
}

/*
 * An LDAP filter template: in parentheses, balanced, holding "%s" where
 * the escaped value goes and no other '%' (the template is never a printf
 * format, but a stray '%' is certainly a mistake).
 */
static bool
filter_ok(const char *s)
{
	int	 depth = 0;
	bool	 slot = false;

	if (s[0] != '(' || has_control(s))
		return false;
	for (; *s != '\0'; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && --depth < 0)
			return false;
		else if (*s == '%') {
			if (s[1] != 's')
				return false;
			slot = true;
		}
	}
	return depth == 0 && slot;
}

/*
 * Reads the secret in path (relative to the config file's directory) into
 * a new string, without its trailing newline.  Returns NULL and sets why on
 * error.  The read buffer is wiped.
 */
static char *
read_secret_file(const char *cfgpath, const char *path, const char **why)
{
	char buf[CFG_SECRET_MAX + 1], full[PATH_MAX];
	const char *slash;
	char *secret = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	if (path[0] != '/' && (slash = strrchr(cfgpath, '/')) != NULL) {
		if (snprintf(full, sizeof(full), "%.*s/%s",
		    (int)(slash - cfgpath), cfgpath, path) >= (int)sizeof(full)) {
			*why = "path too long";
			return NULL;
		}
		path = full;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		*why = strerror(errno);
		return NULL;
	}
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > CFG_SECRET_MAX) {
		*why = "file is larger than 4096 bytes";
		goto out;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	if (len == 0)
		*why = "file is empty";
	else if (strlen(buf) != len || strpbrk(buf, "\r\n") != NULL)
		*why = "file holds more than one line or a NUL byte";
	else
		secret = xstrdup(buf);
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return secret;
}

/* Stores a string value in the field at key->off, freeing the old one. */
static void
set_str(struct pt_config *cfg, const struct cfg_key *key, const char *value)
{
	char **field = (char **)(void *)((char *)cfg + key->off);

	free_secret(*field);
	*field = xstrdup(value);
}

/* "14,3": 1 to 8 comma-separated, distinct day counts in [1, 3650]. */
static bool
daylist_ok(const char *s)
{
	unsigned long	 seen[8], v;
	size_t		 n = 0, i;
	char		*end;

	for (;;) {
		if (*s < '0' || *s > '9' || n == PT_NELEM(seen))
			return false;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || v < 1 || v > 3650)
			return false;
		for (i = 0; i < n; i++)
			if (seen[i] == v)
				return false;
		seen[n++] = v;
		if (*end == '\0')
			return true;
		if (*end != ',')
			return false;
		s = end + 1;
	}
}

/*
 * local@domain with printable ASCII, no blanks and none of the characters
 * that would need quoting in a header (modules/mail.c checks recipients
 * the same way).
 */
static bool
mailaddr_ok(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') ||
	    strlen(s) > 254)
		return false;
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),:;<>[\\]", *p))
			return false;
	return true;
}

/* Checks value against key and stores it; false (error recorded) if bad. */
static bool
cfg_set(struct cfg_parse *st, const struct cfg_key *key, const char *value)
{
	struct pt_config *cfg = st->cfg;
	void *field = (char *)cfg + key->off;
	unsigned long long n;
	const char *why;
	char *secret;
	size_t i;

	switch (key->type) {
	case CFG_STR:
		if (*value == '\0' || has_control(value)) {
			cfg_error(st, "[%s] %s: must not be empty or hold "
			    "control characters", key->section, key->name);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_ANYSTR:
		if (has_control(value)) {
			cfg_error(st, "[%s] %s: must not hold control "
			    "characters", key->section, key->name);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_SECRET:
		set_str(cfg, key, value);
		return true;
	case CFG_SECRETFILE:
		if ((secret = read_secret_file(st->path, value, &why)) == NULL) {
			cfg_error(st, "[%s] %s: '%s': %s", key->section,
			    key->name, value, why);
			return false;
		}
		free_secret(*(char **)field);
		*(char **)field = secret;
		return true;
	case CFG_UINT:
		if (!parse_ull(value, 10, &n) || n < key->min || n > key->max) {
			cfg_error(st, "[%s] %s: '%s' is not a number from %llu "
			    "to %llu", key->section, key->name, value, key->min,
			    key->max);
			return false;
		}
		*(unsigned int *)field = (unsigned int)n;
		return true;
	case CFG_MODE:
		if (!parse_ull(value, 8, &n) || n > key->max) {
			cfg_error(st, "[%s] %s: '%s' is not an octal file mode "
			    "such as 0660", key->section, key->name, value);
			return false;
		}
		*(unsigned int *)field = (unsigned int)n;
		return true;
	case CFG_BYTES:
		if (!parse_bytes(value, &n) || n < key->min || n > key->max) {
			cfg_error(st, "[%s] %s: '%s' is not a size from %llu "
			    "to %lluM bytes (suffix K or M allowed)",
			    key->section, key->name, value, key->min,
			    key->max / MIB);
			return false;
		}
		*(size_t *)field = (size_t)n;
		return true;
	case CFG_COUNT:
		if (!parse_ull(value, 10, &n) || n < key->min || n > key->max) {
			cfg_error(st, "[%s] %s: '%s' is not a number from %llu "
			    "to %llu", key->section, key->name, value, key->min,
			    key->max);
			return false;
		}
		*(size_t *)field = (size_t)n;
		return true;
	case CFG_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "no") == 0 ||
		    strcmp(value, "false") == 0 || strcmp(value, "off") == 0 ||
		    strcmp(value, "0") == 0)
			*(bool *)field = false;
		else {
			cfg_error(st, "[%s] %s: '%s' is not yes or no",
			    key->section, key->name, value);
			return false;
		}
		return true;
	case CFG_LEVEL:
		for (i = 0; i < PT_LOG__MAX; i++)
			if (strcmp(value, level_names[i]) == 0) {
				*(enum pt_loglevel *)field = (enum pt_loglevel)i;
				return true;
			}
		cfg_error(st, "[%s] %s: '%s' is not one of error, warn, info, "
		    "debug", key->section, key->name, value);
		return false;
	case CFG_LISTEN:
		if (!listen_ok(value)) {
			cfg_error(st, "[%s] %s: '%s' is not unix:/path (shorter "
			    "than %d bytes), host:port or empty", key->section,
			    key->name, value, CFG_SUN_PATH);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_URL:
		if (!url_ok(value) || has_control(value)) {
			cfg_error(st, "[%s] %s: '%s' is not a path starting with "
			    "/ or an http(s):// URL", key->section, key->name,
			    value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_FILTER:
		if (!filter_ok(value)) {
			cfg_error(st, "[%s] %s: '%s' is not an LDAP filter in "
			    "parentheses with %%s where the value goes",
			    key->section, key->name, value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_GROUPMODE:
		if (strcmp(value, "memberof") != 0 &&
		    strcmp(value, "search") != 0) {
			cfg_error(st, "[%s] %s: '%s' is not memberof or search",
			    key->section, key->name, value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_AUTHMETHOD:
		if (strcmp(value, "client_secret_basic") != 0 &&
		    strcmp(value, "client_secret_post") != 0) {
			cfg_error(st, "[%s] %s: '%s' is not client_secret_basic "
			    "or client_secret_post", key->section, key->name,
			    value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_OFFLOAD:
		if (strcmp(value, "none") != 0 &&
		    strcmp(value, "x-accel-redirect") != 0 &&
		    strcmp(value, "x-sendfile") != 0) {
			cfg_error(st, "[%s] %s: '%s' is not none, "
			    "x-accel-redirect or x-sendfile", key->section,
			    key->name, value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_URIPREFIX:
		if (value[0] != '/' || value[strlen(value) - 1] != '/' ||
		    strspn(value, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-.") !=
		    strlen(value) || strstr(value, "..") != NULL) {
			cfg_error(st, "[%s] %s: '%s' must be a path that begins "
			    "and ends with '/' (letters, digits, '/', '_', '-', "
			    "'.')", key->section, key->name, value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_PARAM:
		if (strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    strlen(value) || strncmp(value, "HTTP_", 5) == 0) {
			cfg_error(st, "[%s] %s: '%s' is not the name of a "
			    "FastCGI parameter the web server sets (capitals, "
			    "digits, '_'; HTTP_* names carry client headers "
			    "and are refused)", key->section, key->name, value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_SMTPURL:
		if ((strncmp(value, "smtp://", 7) != 0 &&
		    strncmp(value, "smtps://", 8) != 0) ||
		    value[strlen(value) - 1] == '/' ||
		    strspn(value, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:/[]") !=
		    strlen(value) || strchr(value + 8, '/') != NULL) {
			cfg_error(st, "[%s] %s: '%s' is not smtp://host[:port] "
			    "or smtps://host[:port]", key->section, key->name,
			    value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_MAILADDR:
		if (!mailaddr_ok(value)) {
			cfg_error(st, "[%s] %s: '%s' is not an address such as "
			    "portal@example.com", key->section, key->name,
			    value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG_DAYLIST:
		if (!daylist_ok(value)) {
			cfg_error(st, "[%s] %s: '%s' is not a list of 1 to 8 "
			    "different day counts from 1 to 3650, such as 14,3",
			    key->section, key->name, value);
			return false;
		}
		set_str(cfg, key, value);
		return true;
	case CFG__MAX:
		break;
	}
	abort();
}

/* "community-slug = group" in [communities]: appended to cfg->commap. */
static int
cfg_community(struct cfg_parse *st, const char *name, const char *value)
{
	struct pt_config	*cfg = st->cfg;
	struct pt_commap	*nm;
	size_t			 n = strlen(name);

	if (n == 0 || n > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != n) {
		cfg_error(st, "[communities] %s: a community slug is 1 to 64 "
		    "lowercase letters, digits and hyphens", name);
		return 0;
	}
	if (*value == '\0' || has_control(value)) {
		cfg_error(st, "[communities] %s: the group must not be empty",
		    name);
		return 0;
	}
	nm = realloc(cfg->commap, (cfg->ncommap + 1) * sizeof(*nm));
	if (nm == NULL)
		abort();
	cfg->commap = nm;
	cfg->commap[cfg->ncommap].community = xstrdup(name);
	cfg->commap[cfg->ncommap].group = xstrdup(value);
	cfg->ncommap++;
	return 1;
}

/* "role = group" in [roles]: appended to cfg->rolemap. */
static int
cfg_role(struct cfg_parse *st, const char *name, const char *value)
{
	struct pt_config	*cfg = st->cfg;
	struct pt_rolemap	*nm;
	size_t			 i;

	for (i = 0; i < PT_ROLE__MAX; i++)
		if (strcmp(name, pt_role_names[i]) == 0)
			break;
	if (i == PT_ROLE__MAX) {
		cfg_error(st, "[roles] %s: unknown role (one of partner_user, "
		    "partner_admin, channel_manager, content_manager, "
		    "moderator, portal_admin)", name);
		return 0;
	}
	if (*value == '\0' || has_control(value)) {
		cfg_error(st, "[roles] %s: the group must not be empty", name);
		return 0;
	}
	nm = realloc(cfg->rolemap, (cfg->nrolemap + 1) * sizeof(*nm));
	if (nm == NULL)
		abort();
	cfg->rolemap = nm;
	cfg->rolemap[cfg->nrolemap].role = (enum pt_role)i;
	cfg->rolemap[cfg->nrolemap].group = xstrdup(value);
	cfg->nrolemap++;
	return 1;
}

/* The line key was set on, or 0 if it keeps its default. */
static int
cfg_line(const struct cfg_parse *st, const char *section, const char *name)
{
	size_t	 i;

	for (i = 0; i < PT_NELEM(keys); i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return st->seen[i];
	return 0;
}

/*
 * Checks between keys, once the whole file is read: a sign-in method that
 * is enabled without what it cannot work without is a startup error on
 * its "enabled" line, not a failed sign-in on every request.  Returns
 * false with the error recorded.
 */
static bool
cfg_check(struct cfg_parse *st)
{
	const struct pt_config	*cfg = st->cfg;
	const char		*missing = NULL, *section = NULL;

	if (cfg->ldap_enabled) {
		section = "ldap";
		if (*cfg->ldap_uri == '\0')
			missing = "uri";
		else if (*cfg->ldap_base_dn == '\0')
			missing = "base_dn";
	}
	if (missing == NULL && cfg->oidc_enabled) {
		section = "oidc";
		if (*cfg->oidc_issuer == '\0')
			missing = "issuer";
		else if (*cfg->oidc_client_id == '\0')
			missing = "client_id";
		else if (*cfg->oidc_client_secret == '\0')
			missing = "client_secret (or client_secret_file)";
		else if (*cfg->oidc_redirect_uri == '\0')
			missing = "redirect_uri";
	}
	if (missing == NULL && cfg->websso_enabled) {
		section = "websso";
		if (*cfg->websso_user_param == '\0')
			missing = "user_param";
	}
	if (missing == NULL)
		return true;
	st->lineno = cfg_line(st, section, "enabled");
	cfg_error(st, "[%s] enabled: needs %s", section, missing);
	return false;
}

/* inih's handler: one call per key = value line.  Returns 0 on error. */
static int
cfg_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct cfg_parse *st = user;
	const struct cfg_key *key = NULL;
	bool known_section = false;
	size_t i;

	if (st->errline != 0)
		return 1;	/* keep the first error; inih reads on */
	if (*section == '\0') {
		cfg_error(st, "%s: key outside any [section]", name);
		return 0;
	}
	if (strcmp(section, "roles") == 0)
		return cfg_role(st, name, value);
	if (strcmp(section, "communities") == 0)
		return cfg_community(st, name, value);
	for (i = 0; i < PT_NELEM(keys); i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		known_section = true;
		if (strcmp(keys[i].name, name) == 0) {
			key = &keys[i];
			break;
		}
	}
	if (!known_section) {
		cfg_error(st, "[%s] %s: unknown section [%s]", section, name,
		    section);
		return 0;
	}
	if (key == NULL) {
		cfg_error(st, "[%s] %s: unknown key", section, name);
		return 0;
	}
	if (st->seen[i] != 0) {
		if (st->indented)
			cfg_error(st, "[%s] %s: value continues on an indented "
			    "line; remove the leading blanks", section, name);
		else
			cfg_error(st, "[%s] %s: set twice (first on line %d)",
			    section, name, st->seen[i]);
		return 0;
	}
	/* password and password_file write the same field. */
	if (key->type == CFG_SECRET || key->type == CFG_SECRETFILE) {
		for (size_t j = 0; j < PT_NELEM(keys); j++)
			if (j != i && keys[j].off == key->off &&
			    st->seen[j] != 0) {
				cfg_error(st, "[%s] %s: %s is already set on "
				    "line %d; use one of them", section, name,
				    keys[j].name, st->seen[j]);
				return 0;
			}
	}
	st->seen[i] = st->lineno;
	return cfg_set(st, key, value) ? 1 : 0;
}

/*
 * inih's fgets-like reader over the in-memory file; counts lines, and
 * refuses a line that does not fit inih's buffer of num bytes.
 */
static char *
cfg_reader(char *str, int num, void *stream)
{
	struct cfg_parse *st = stream;
	const char *nl;
	size_t n;

	if (st->errline != 0 || st->pos >= st->len || num < 2)
		return NULL;
	nl = memchr(st->buf + st->pos, '\n', st->len - st->pos);
	n = nl != NULL ? (size_t)(nl - (st->buf + st->pos)) + 1 :
	    st->len - st->pos;
	st->lineno++;
	st->indented = st->buf[st->pos] == ' ' || st->buf[st->pos] == '\t';
	/* inih needs room for "\r\n\0" after the text. */
	if (n + 2 > (size_t)num) {
		cfg_error(st, "line is longer than %d bytes", num - 3);
		return NULL;
	}
	memcpy(str, st->buf + st->pos, n);
	str[n] = '\0';
	st->pos += n;
	return str;
}

/* Reads all of path into a new NUL-terminated buffer; NULL with errno set. */
static char *
read_file(const char *path, size_t *lenp)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if (sb.st_size > CFG_FILE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	buf = xcalloc(1, (size_t)sb.st_size + 1);
	while (len < (size_t)sb.st_size) {
		n = read(fd, buf + len, (size_t)sb.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	*lenp = len;
	return buf;
fail:
	n = errno;
	if (buf != NULL) {
		explicit_bzero(buf, (size_t)sb.st_size);
		free(buf);
	}
	close(fd);
	errno = (int)n;
	return NULL;
}

/*
 * Reads path into a new config, starting from the defaults.  On error
 * returns NULL and writes a message naming the file, line and key to err
 * (errlen bytes, always NUL-terminated when errlen > 0).  The result is
 * malloc-owned; free it with pt_config_free().
 */
struct pt_config *
pt_config_load(const char *path, char *err, size_t errlen)
{
	struct cfg_parse st;
	struct pt_config *cfg;
	char scratch[1];
	char *buf;
	size_t len = 0;
	int rc;

	if (err == NULL || errlen == 0) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	err[0] = '\0';
	if ((buf = read_file(path, &len)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}

	cfg = xcalloc(1, sizeof(*cfg));
	config_defaults(cfg);
	memset(&st, 0, sizeof(st));
	st.path = path;
	st.cfg = cfg;
	st.buf = buf;
	st.len = len;
	st.err = err;
	st.errlen = errlen;

	if (memchr(buf, '\0', len) != NULL) {
		st.lineno = 1;
		cfg_error(&st, "file holds a NUL byte; is it a text file?");
	} else {
		rc = ini_parse_stream(cfg_reader, &st, cfg_handler, &st);
		if (rc == -2)
			abort();	/* inih ran out of memory */
		if (rc > 0 && (st.errline == 0 || rc < st.errline)) {
			/* A syntax error inih found before any of ours. */
			st.errline = 0;
			st.lineno = rc;
			cfg_error(&st, "expected [section], key = value or a "
			    "comment");
		}
		if (st.errline == 0)
			(void)cfg_check(&st);
	}

	explicit_bzero(buf, len);
	free(buf);
	if (st.errline != 0) {
		pt_config_free(cfg);
		return NULL;
	}
	return cfg;
}

/* Frees cfg and everything in it, wiping the secrets. */
void
pt_config_free(struct pt_config *cfg)
{
	size_t	 i, j;
	char	**field;
	bool	 done;

	if (cfg == NULL)
		return;
	for (i = 0; i < PT_NELEM(keys); i++) {
		switch (keys[i].type) {
		case CFG_UINT:
		case CFG_MODE:
		case CFG_BYTES:
		case CFG_COUNT:
		case CFG_BOOL:
		case CFG_LEVEL:
			continue;
		default:
			break;
		}
		/* password and password_file share a field: free it once. */
		for (done = false, j = 0; j < i; j++)
			if (keys[j].off == keys[i].off)
				done = true;
		if (done)
			continue;
		field = (char **)(void *)((char *)cfg + keys[i].off);
		free_secret(*field);
	}
	for (i = 0; i < cfg->nrolemap; i++)
		free(cfg->rolemap[i].group);
	free(cfg->rolemap);
	for (i = 0; i < cfg->ncommap; i++) {
		free(cfg->commap[i].community);
		free(cfg->commap[i].group);
	}
	free(cfg->commap);
	explicit_bzero(cfg, sizeof(*cfg));
	free(cfg);
}
