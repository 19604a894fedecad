/*
 * route_test.c - unit tests for the route table walk (fcgi/route.c):
 * pt_route_match, pt_routes_check and pt_methods_str.
 *
 * The tests use their own module table rather than pt_modules, so that
 * they pin down the matcher's rules (static segments, {name} parameters
 * decoded one segment at a time, no trailing-slash aliasing, 404 versus 405
 * with the Allow mask, HEAD implied by GET) independently of which
 * features are compiled in.
 *
 * To add a case, add a route to t_routes if needed and a row to mcases.
 */
#include <string.h>

#include "portico.h"
#include "tap.h"

static int
h(struct pt_req *r, xmlNodePtr out)
{
	(void)r;
	(void)out;
	return 200;
}

#define PUB	PT_ACCESS_PUBLIC

static const struct pt_route t_routes[] = {
	{ "/", PT_GET, PUB, 0, NULL, "t/home.xsl", h },			/* 0 */
	{ "/about", PT_GET, PUB, 0, NULL, "t/about.xsl", h },		/* 1 */
	{ "/c/{id}/t/{tid}", PT_GET, PUB, 0, NULL, "t/t.xsl", h },	/* 2 */
	{ "/c/{id}/threads", PT_GET, PUB, 0, NULL, "t/th.xsl", h },	/* 3 */
	{ "/c/{id}", PT_GET | PT_POST, PUB, PT_CSRF, NULL, "t/c.xsl", h }, /* 4 */
	{ "/form", PT_POST, PUB, PT_CSRF, NULL, "t/form.xsl", h },	/* 5 */
	{ "/thing", PT_PUT, PUB, PT_CSRF, NULL, "t/thing.xsl", h },	/* 6 */
	{ "/thing", PT_DELETE, PUB, PT_CSRF, NULL, "t/thing.xsl", h },	/* 7 */
	{ "/c/new", PT_GET, PUB, 0, NULL, "t/new.xsl", h },		/* 8 */
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct pt_route t_routes2[] = {
	{ "/healthz", PT_GET, PUB, PT_RAW | PT_NODB, NULL, NULL, h },	/* 0 */
	{ "/p/{slug}/edit", PT_GET | PT_POST, PT_ACCESS_USER, PT_CSRF, NULL,
	    "p/edit.xsl", h },						/* 1 */
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct pt_module t_mod = { "t", t_routes, NULL };
static const struct pt_module t_mod2 = { "p", t_routes2, NULL };
static const struct pt_module *const t_mods[] = { &t_mod, &t_mod2, NULL };

struct mcase {
	const char		*path;
	unsigned int		 method;
	int			 rc;
	const struct pt_route	*route;		/* PT_OK */
	const struct pt_module	*mod;		/* PT_OK */
	const char		*p1, *v1;	/* first parameter, or NULL */
	const char		*p2, *v2;	/* second parameter, or NULL */
	unsigned int		 allow;		/* PT_ERR: exact Allow mask */
};

static const struct mcase mcases[] = {
	{ "/", PT_GET, PT_OK, &t_routes[0], &t_mod, NULL, NULL, NULL, NULL, 0 },
	{ "/about", PT_GET, PT_OK, &t_routes[1], &t_mod, NULL, NULL, NULL,
	    NULL, 0 },
	{ "/about", PT_HEAD, PT_OK, &t_routes[1], &t_mod, NULL, NULL, NULL,
	    NULL, 0 },
	{ "/about", PT_POST, PT_ERR, NULL, NULL, NULL, NULL, NULL, NULL,
	    PT_GET | PT_HEAD },
	{ "/about", PT_OPTIONS, PT_ERR, NULL, NULL, NULL, NULL, NULL, NULL,
	    PT_GET | PT_HEAD },
	{ "/nope", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "/nope", PT_POST, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "/abou", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "/aboutx", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "/about/x", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL,
	    0 },
	{ "/About", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	/* No trailing-slash aliasing: "/about/" is not "/about". */
	{ "/about/", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL,
	    0 },
	{ "/c/42/", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "//about", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL,
	    0 },
	{ "", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "about", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	/* Parameters. */
	{ "/c/42", PT_GET, PT_OK, &t_routes[4], &t_mod, "id", "42", NULL, NULL,
	    0 },
	{ "/c/42", PT_HEAD, PT_OK, &t_routes[4], &t_mod, "id", "42", NULL,
	    NULL, 0 },
	{ "/c/42", PT_POST, PT_OK, &t_routes[4], &t_mod, "id", "42", NULL,
	    NULL, 0 },
	{ "/c/42", PT_PUT, PT_ERR, NULL, NULL, NULL, NULL, NULL, NULL,
	    PT_GET | PT_HEAD | PT_POST },
	{ "/c/42/threads", PT_GET, PT_OK, &t_routes[3], &t_mod, "id", "42",
	    NULL, NULL, 0 },
	{ "/c/7/t/9", PT_GET, PT_OK, &t_routes[2], &t_mod, "id", "7", "tid",
	    "9", 0 },
	{ "/c/a%20b", PT_GET, PT_OK, &t_routes[4], &t_mod, "id", "a b", NULL,
	    NULL, 0 },
	{ "/c/caf%C3%A9", PT_GET, PT_OK, &t_routes[4], &t_mod, "id",
	    "caf\xc3\xa9", NULL, NULL, 0 },
	{ "/c/a+b", PT_GET, PT_OK, &t_routes[4], &t_mod, "id", "a+b", NULL,
	    NULL, 0 },
	/* %2F is data inside one segment, not a separator. */
	{ "/c/x%2Fy", PT_GET, PT_OK, &t_routes[4], &t_mod, "id", "x/y", NULL,
	    NULL, 0 },
	{ "/c/x%2fthreads", PT_GET, PT_OK, &t_routes[4], &t_mod, "id",
	    "x/threads", NULL, NULL, 0 },
	{ "/c/x%2Fy/threads", PT_GET, PT_OK, &t_routes[3], &t_mod, "id", "x/y",
	    NULL, NULL, 0 },
	{ "/c/a/b", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	/* A parameter is one non-empty segment. */
	{ "/c/", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "/c//threads", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL,
	    NULL, 0 },
	{ "/c", PT_GET, PT_DECLINED, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	/* Several routes on one path: the Allow mask is their union. */
	{ "/thing", PT_DELETE, PT_OK, &t_routes[7], &t_mod, NULL, NULL, NULL,
	    NULL, 0 },
	{ "/thing", PT_PUT, PT_OK, &t_routes[6], &t_mod, NULL, NULL, NULL,
	    NULL, 0 },
	{ "/thing", PT_GET, PT_ERR, NULL, NULL, NULL, NULL, NULL, NULL,
	    PT_PUT | PT_DELETE },
	/* HEAD is implied by GET only. */
	{ "/form", PT_HEAD, PT_ERR, NULL, NULL, NULL, NULL, NULL, NULL,
	    PT_POST },
	{ "/form", PT_GET, PT_ERR, NULL, NULL, NULL, NULL, NULL, NULL,
	    PT_POST },
	/* The second module. */
	{ "/healthz", PT_GET, PT_OK, &t_routes2[0], &t_mod2, NULL, NULL, NULL,
	    NULL, 0 },
	{ "/p/acme-gmbh/edit", PT_POST, PT_OK, &t_routes2[1], &t_mod2, "slug",
	    "acme-gmbh", NULL, NULL, 0 },
	{ "/p/acme-gmbh/edit", PT_DELETE, PT_ERR, NULL, NULL, NULL, NULL,
	    NULL, NULL, PT_GET | PT_HEAD | PT_POST },
};

static void
match(void)
{
	struct pt_arena		*a = pt_arena_new();
	struct pt_kvlist	 params;
	const struct pt_route	*route;
	const struct pt_module	*mod;
	unsigned int		 allow;
	size_t			 i, nparams;
	int			 rc;

	for (i = 0; i < PT_NELEM(mcases); i++) {
		const struct mcase *c = &mcases[i];

		memset(&params, 0, sizeof(params));
		route = NULL;
		mod = NULL;
		allow = 0;
		rc = pt_route_match(t_mods, c->path, c->method, a, &params,
		    &route, &mod, &allow);
		if (!is_int(rc, c->rc, "\"%s\" method %#x: rc", c->path,
		    c->method))
			continue;
		if (c->rc == PT_ERR) {
			is_int(allow, c->allow, "\"%s\" method %#x: Allow mask",
			    c->path, c->method);
			continue;
		}
		if (c->rc != PT_OK)
			continue;
		ok(route == c->route, "\"%s\": the expected route (%s)",
		    c->path, c->route->path);
		ok(mod == c->mod, "\"%s\": the expected module (%s)", c->path,
		    c->mod->name);
		nparams = (c->p1 != NULL) + (c->p2 != NULL);
		if (!is_int(params.n, nparams,
		    "\"%s\": exactly the matched route's parameters", c->path))
			continue;
		if (c->p1 != NULL) {
			is_str(params.v[0].key, c->p1, "\"%s\": first name",
			    c->path);
			is_str(params.v[0].val, c->v1, "\"%s\": first value",
			    c->path);
			is_int(params.v[0].vlen, strlen(c->v1),
			    "\"%s\": first value length", c->path);
		}
		if (c->p2 != NULL) {
			is_str(params.v[1].key, c->p2, "\"%s\": second name",
			    c->path);
			is_str(params.v[1].val, c->v2, "\"%s\": second value",
			    c->path);
		}
	}

	/* A static route wins over a parameter at the same position. */
	memset(&params, 0, sizeof(params));
	rc = pt_route_match(t_mods, "/c/new", PT_GET, a, &params, &route, &mod,
	    &allow);
	ok(rc == PT_OK && (route == &t_routes[8] || route == &t_routes[4]),
	    "\"/c/new\" matches a route");
	if (rc == PT_OK && route != &t_routes[8])
		diag("\"/c/new\" matched %s, the first route in table order",
		    route->path);

	/* Hostile segments never reach a handler as parameters. */
	memset(&params, 0, sizeof(params));
	rc = pt_route_match(t_mods, "/c/%00", PT_GET, a, &params, &route, &mod,
	    &allow);
	ok(rc != PT_OK, "\"/c/%%00\" is not matched");
	rc = pt_route_match(t_mods, "/c/%zz", PT_GET, a, &params, &route, &mod,
	    &allow);
	ok(rc != PT_OK, "\"/c/%%zz\" (bad escape) is not matched");
	rc = pt_route_match(t_mods, "/c/%C0%AF", PT_GET, a, &params, &route,
	    &mod, &allow);
	ok(rc != PT_OK, "\"/c/%%C0%%AF\" (overlong UTF-8) is not matched");
	pt_arena_free(a);
}

static void
check(void)
{
	char	 err[256];
	int	 rc;
	static const struct pt_route good[] = {
		{ "/a", PT_GET, PUB, 0, NULL, "a.xsl", h },
		{ "/raw", PT_GET, PUB, PT_RAW, NULL, NULL, h },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	static const struct pt_route noaccess[] = {
		{ "/b", PT_GET, PUB, 0, NULL, "a.xsl", h },
		{ "/noaccess", PT_GET, 0, 0, NULL, "a.xsl", h },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	static const struct pt_route nomethod[] = {
		{ "/nomethod", 0, PUB, 0, NULL, "a.xsl", h },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	static const struct pt_route noxsl[] = {
		{ "/noxsl", PT_GET, PUB, 0, NULL, NULL, h },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	static const struct pt_route emptyxsl[] = {
		{ "/emptyxsl", PT_GET, PUB, 0, NULL, "", h },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	static const struct pt_module m_good = { "good", good, NULL };
	static const struct pt_module m_noaccess = { "na", noaccess, NULL };
	static const struct pt_module m_nomethod = { "nm", nomethod, NULL };
	static const struct pt_module m_noxsl = { "nx", noxsl, NULL };
	static const struct pt_module m_emptyxsl = { "ex", emptyxsl, NULL };
	const struct pt_module *mods_good[] = { &m_good, &t_mod, &t_mod2, NULL };
	const struct pt_module *mods_na[] = { &m_good, &m_noaccess, NULL };
	const struct pt_module *mods_nm[] = { &m_nomethod, NULL };
	const struct pt_module *mods_nx[] = { &m_good, &m_noxsl, NULL };
	const struct pt_module *mods_ex[] = { &m_emptyxsl, NULL };

	err[0] = '\0';
	rc = pt_routes_check(mods_good, err, sizeof(err));
	if (!is_int(rc, PT_OK, "a valid table passes pt_routes_check"))
		diag("err: %s", err);

	err[0] = '\0';
	rc = pt_routes_check(mods_na, err, sizeof(err));
	is_int(rc, PT_ERR, "a route with access 0 is refused");
	ok(strstr(err, "/noaccess") != NULL, "the message names the route: %s",
	    err);

	err[0] = '\0';
	rc = pt_routes_check(mods_nm, err, sizeof(err));
	is_int(rc, PT_ERR, "a route with no methods is refused");
	ok(strstr(err, "/nomethod") != NULL, "the message names the route: %s",
	    err);

	err[0] = '\0';
	rc = pt_routes_check(mods_nx, err, sizeof(err));
	is_int(rc, PT_ERR, "a route without xsl and without PT_RAW is refused");
	ok(strstr(err, "/noxsl") != NULL, "the message names the route: %s",
	    err);

	err[0] = '\0';
	rc = pt_routes_check(mods_ex, err, sizeof(err));
	is_int(rc, PT_ERR, "a route with an empty xsl is refused");

	/* The compiled-in table must pass its own check. */
	err[0] = '\0';
	rc = pt_routes_check(pt_modules, err, sizeof(err));
	if (!is_int(rc, PT_OK, "the compiled-in pt_modules pass"))
		diag("err: %s", err);
}

static void
methods(void)
{
	struct pt_arena	*a = pt_arena_new();

	is_str(pt_methods_str(a, PT_GET | PT_HEAD | PT_POST), "GET, HEAD, POST",
	    "pt_methods_str(GET|HEAD|POST)");
	is_str(pt_methods_str(a, PT_POST), "POST", "pt_methods_str(POST)");
	is_str(pt_methods_str(a, PT_PUT | PT_DELETE), "PUT, DELETE",
	    "pt_methods_str(PUT|DELETE)");
	is_str(pt_methods_str(a, PT_GET | PT_HEAD | PT_POST | PT_PUT |
	    PT_DELETE | PT_PATCH | PT_OPTIONS),
	    "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS", "all methods");
	pt_arena_free(a);
}

int
main(void)
{
	match();
	check();
	methods();
	return done();
}
