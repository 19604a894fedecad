/*
 * websso.c - GET /login/sso: signing in with the identity that an SSO
 * module of the web server established ([websso]).
 *
 * Apache's mod_auth_openidc or mod_auth_mellon, or an nginx auth_request
 * to an SSO gateway, authenticate the browser in front of this one
 * address and pass who it is as FastCGI parameters (conf/apache and
 * conf/nginx show both).  Only those parameters are read, by the names the
 * configuration gives, through pt_req_env(): never an HTTP_* parameter,
 * which is a header the client chose (the configuration refuses such
 * names).  A client that sends "Remote-User:", "X-Remote-User:" or any
 * other spelling only adds an HTTP_* parameter nobody reads here.
 *
 * The identity: source "header", external_id and login the user
 * parameter, name, email and organisation slug from their parameters,
 * groups from the groups parameter split on groups_separator; roles follow
 * from [roles] as for the other sources.
 *
 * API (auth.h): pt_websso_get.  To read another attribute, add its
 * [websso] key in fcgi/config.c and read it here with param().
 */
#include <string.h>

#include "portico.h"
#include "auth.h"

/* Most groups read from the groups parameter. */
#define WEBSSO_GROUPS_MAX	1024
/* users.login, name and email hold 255 bytes. */
#define FIELD_MAX		255
/* user_groups.group_name holds 1024 bytes; longer groups are skipped. */
#define GROUP_MAX		1024
#define GROUPS_BYTES_MAX	(256 * 1024)

/*
 * A configured parameter's value, or NULL when unnamed, unset, empty, not
 * UTF-8 or longer than max bytes (what the users table holds): a value
 * the portal cannot store whole is not used at all.
 */
static const char *
param(const struct pt_req *r, const char *name, size_t max)
{
	const char	*v;

	if (name == NULL || *name == '\0' || strncmp(name, "HTTP_", 5) == 0)
		return NULL;
	if ((v = pt_req_env(r, name)) == NULL || *v == '\0')
		return NULL;
	if (strlen(v) > max || !pt_utf8_valid(v, strlen(v))) {
		pt_rlog(r, PT_LOG_WARN, "websso: %s is over %zu bytes or not "
		    "UTF-8; ignored", name, max);
		return NULL;
	}
	return v;
}

/* Splits list on sep into arena strings; blank items are skipped. */
static size_t
split(struct pt_arena *a, const char *list, const char *sep,
    const char ***out)
{
	const char	**v;
	const char	 *p = list, *end, *s, *e;
	size_t		  n = 0, seplen = strlen(sep);

	v = pt_alloc(a, WEBSSO_GROUPS_MAX * sizeof(*v));
	while (*p != '\0' && n < WEBSSO_GROUPS_MAX) {
		end = seplen ? strstr(p, sep) : NULL;
		s = p;
		e = end ? end : p + strlen(p);
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (e > s && (size_t)(e - s) <= GROUP_MAX)
			v[n++] = pt_strndup(a, s, (size_t)(e - s));
		if (end == NULL)
			break;
		p = end + seplen;
	}
	*out = v;
	return n;
}

int
pt_websso_get(struct pt_req *r, xmlNodePtr out)
{
	const struct pt_config	*cfg = r->cfg;
	const char		*next, *user, *groups;
	const char		**gv = NULL;
	struct pt_identity	 id;

	if (!cfg->websso_enabled)
		return pt_req_error(r, 404, "Signing in with your company "
		    "account is not enabled on this portal.");
	next = pt_login_next_ok(pt_req_str(r, "next"));
	if ((user = param(r, cfg->websso_user_param, FIELD_MAX)) == NULL) {
		/*
		 * The web server let the request through without an
		 * identity: its SSO module is not protecting this address.
		 * Nothing the client sent can stand in for it.
		 */
		pt_rlog(r, PT_LOG_WARN, "websso: no identity in %s; is the "
		    "web server's SSO protecting /login/sso?",
		    cfg->websso_user_param);
		if (pt_sess_browser(r) != PT_OK)
			return 500;
		pt_login_page(r, out, next, NULL, "provider", "Your company "
		    "sign-in did not tell the portal who you are. Please try "
		    "another way to sign in, or contact support.");
		return 401;
	}

	memset(&id, 0, sizeof(id));
	id.source = "header";
	id.external_id = user;
	id.login = user;
	id.name = param(r, cfg->websso_name_param, FIELD_MAX);
	id.email = param(r, cfg->websso_email_param, FIELD_MAX);
	id.organisation = param(r, cfg->websso_org_param, FIELD_MAX);
	if ((groups = param(r, cfg->websso_groups_param, GROUPS_BYTES_MAX)) !=
	    NULL)
		id.ngroups = split(r->arena, groups,
		    cfg->websso_groups_separator, &gv);
	id.groups = gv;
	return pt_login_finish(r, out, &id, next);
}
