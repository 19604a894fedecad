/*
 * fuzz_route.c - libFuzzer target for pt_route_match (fcgi/route.c).
 *
 * The first byte picks a method bit, the rest is a raw request path (up
 * to the first NUL).  The path is matched against the real pt_modules
 * table and against a local table with parameters, and the result must be
 * consistent: PT_OK names a route of the returned module that accepts the
 * method (GET implying HEAD) with one parameter per {name}, each a
 * non-empty, NUL-free, valid UTF-8 string; PT_ERR sets an Allow mask that
 * does not hold the method; nothing else is returned.  Any violation
 * aborts.
 *
 * Seeds: tests/fuzz/corpus/route/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
h(struct pt_req *r, xmlNodePtr out)
{
	(void)r;
	(void)out;
	return 200;
}

static const struct pt_route f_routes[] = {
	{ "/c/{id}", PT_GET | PT_POST, PT_ACCESS_PUBLIC, PT_CSRF, NULL,
	    "c.xsl", h },
	{ "/c/{id}/threads", PT_GET, PT_ACCESS_PUBLIC, 0, NULL, "t.xsl", h },
	{ "/c/{id}/t/{tid}", PT_GET, PT_ACCESS_PUBLIC, 0, NULL, "t.xsl", h },
	{ "/p/{slug}/edit", PT_POST, PT_ACCESS_USER, PT_CSRF, NULL, "e.xsl",
	    h },
	{ "/static/page", PT_GET, PT_ACCESS_PUBLIC, 0, NULL, "s.xsl", h },
	{ "/{a}/{b}/{c}", PT_DELETE, PT_ACCESS_ADMIN, PT_CSRF, NULL, "x.xsl",
	    h },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
static const struct pt_module f_mod = { "fuzz", f_routes, NULL };
static const struct pt_module *const f_mods[] = { &f_mod, NULL };

static const unsigned int methods[] = {
	PT_GET, PT_HEAD, PT_POST, PT_PUT, PT_DELETE, PT_PATCH, PT_OPTIONS, 0,
};

static unsigned int
effective(unsigned int m)
{
	return (m & PT_GET) ? (m | PT_HEAD) : m;
}

static size_t
count_params(const char *pat)
{
	size_t	 n = 0;

	for (; *pat != '\0'; pat++)
		if (*pat == '{')
			n++;
	return n;
}

static void
check(const struct pt_module *const *mods, struct pt_arena *a,
    const char *path, unsigned int method)
{
	struct pt_kvlist	 params;
	const struct pt_route	*route = NULL, *rt;
	const struct pt_module	*mod = NULL;
	unsigned int		 allow = 0;
	size_t			 i;
	int			 rc, found;

	memset(&params, 0, sizeof(params));
	rc = pt_route_match(mods, path, method, a, &params, &route, &mod,
	    &allow);
	switch (rc) {
	case PT_OK:
		if (route == NULL || mod == NULL)
			abort();
		found = 0;
		for (rt = mod->routes; rt->path != NULL; rt++)
			if (rt == route)
				found = 1;
		if (!found || !(effective(route->methods) & method))
			abort();
		if (params.n != count_params(route->path))
			abort();
		for (i = 0; i < params.n; i++) {
			const char *v = params.v[i].val;

			if (params.v[i].key == NULL || v == NULL ||
			    params.v[i].vlen == 0 ||
			    strlen(v) != params.v[i].vlen ||
			    !pt_utf8_valid(v, params.v[i].vlen))
				abort();
		}
		break;
	case PT_ERR:
		if (allow == 0 || (allow & method) != 0)
			abort();
		break;
	case PT_DECLINED:
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_arena	*a;
	unsigned int		 method;
	char			*path;

	if (size < 1)
		return 0;
	if (a == NULL)
		a = pt_arena_new();
	method = methods[data[0] % PT_NELEM(methods)];
	if ((path = malloc(size)) == NULL)
		abort();
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	check(pt_modules, a, path, method);
	check(f_mods, a, path, method);
	free(path);
	pt_arena_reset(a);
	return 0;
}
