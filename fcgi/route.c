/*
 * route.c - the route table walk.
 *
 * Modules declare their routes as data (struct pt_route in portico.h); this
 * file finds the one a request names.  A pattern is a '/'-separated list of
 * literal segments and {name} parameters, each matching exactly one
 * non-empty segment: "/c/{id}/threads".  Segments are compared after
 * percent-decoding, one segment at a time, so "%2F" inside a parameter is
 * a character of that parameter, never a separator.
 *
 * API: pt_route_match, pt_routes_check, pt_methods_str.  To add a routing
 * feature (say, a typed parameter), extend seg_match() and add cases to
 * tests/unit/route_test.c and tests/fuzz/fuzz_route.c.
 */
#include <stdio.h>
#include <string.h>

#include "portico.h"

static const struct {
	unsigned int	 bit;
	const char	*name;
} methods[] = {
	{ PT_GET, "GET" },
	{ PT_HEAD, "HEAD" },
	{ PT_POST, "POST" },
	{ PT_PUT, "PUT" },
	{ PT_DELETE, "DELETE" },
	{ PT_PATCH, "PATCH" },
	{ PT_OPTIONS, "OPTIONS" },
};

/* GET implies HEAD: the core sends the headers and drops the body. */
static unsigned int
effective(unsigned int m)
{
	return (m & PT_GET) ? (m | PT_HEAD) : m;
}

/*
 * Returns "GET, HEAD, POST" for a method mask, arena-allocated, in a fixed
 * order (it is sent in Allow headers and compared by tests).
 */
const char *
pt_methods_str(struct pt_arena *a, unsigned int mask)
{
	char	 buf[128];
	size_t	 i, n = 0;

	buf[0] = '\0';
	mask = effective(mask);
	for (i = 0; i < PT_NELEM(methods); i++) {
		if (!(mask & methods[i].bit))
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? ", " : "", methods[i].name);
	}
	return pt_strdup(a, buf);
}

/*
 * Matches one pattern against a raw path.  On success appends the
 * parameters to params and returns true; on failure params may hold
 * entries from this attempt, which the caller discards by restoring n.
 */
static bool
pattern_match(const char *pat, const char *path, struct pt_arena *a,
    struct pt_kvlist *params)
{
	const char	*pe, *se;
	char		*seg;
	size_t		 plen, slen, dlen;

	if (strcmp(pat, "/") == 0)
		return strcmp(path, "/") == 0;

	while (*pat == '/' && *path == '/') {
		pat++;
		path++;
		pe = strchr(pat, '/');
		se = strchr(path, '/');
		plen = pe ? (size_t)(pe - pat) : strlen(pat);
		slen = se ? (size_t)(se - path) : strlen(path);
		if (slen == 0)
			return false;
		seg = pt_alloc(a, slen + 1);
		if (pt_url_decode(seg, path, slen, false, &dlen) != PT_OK)
			return false;
		if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}') {
			pt_kv_add(a, params, pt_strndup(a, pat + 1, plen - 2),
			    seg, dlen);
		} else if (plen != dlen || memcmp(pat, seg, plen) != 0)
			return false;
		pat += plen;
		path += slen;
	}
	return *pat == '\0' && *path == '\0';
}

/*
 * Finds the route for a raw (still percent-encoded) path and a method.
 * Returns PT_OK with *out and *mod set and the {name} parameters appended
 * to params; PT_DECLINED when no route has this path (404); PT_ERR when
 * routes have the path but none the method (405), with *allow set.
 */
int
pt_route_match(const struct pt_module *const *mods, const char *path,
    unsigned int method, struct pt_arena *a, struct pt_kvlist *params,
    const struct pt_route **out, const struct pt_module **mod,
    unsigned int *allow)
{
	const struct pt_route	*rt;
	size_t			 i, keep = params->n;

	*allow = 0;
	for (i = 0; mods[i] != NULL; i++) {
		for (rt = mods[i]->routes; rt->path != NULL; rt++) {
			params->n = keep;
			if (!pattern_match(rt->path, path, a, params))
				continue;
			if (effective(rt->methods) & method) {
				*out = rt;
				*mod = mods[i];
				return PT_OK;
			}
			*allow |= effective(rt->methods);
		}
	}
	params->n = keep;
	return *allow ? PT_ERR : PT_DECLINED;
}

static bool
pattern_ok(const char *p)
{
	const char	*close;

	if (p[0] != '/')
		return false;
	for (; *p != '\0'; p++) {
		if (*p == '}')
			return false;
		if (*p != '{')
			continue;
		if (p[-1] != '/' || (close = strchr(p, '}')) == NULL ||
		    close == p + 1 || (close[1] != '/' && close[1] != '\0') ||
		    memchr(p, '/', (size_t)(close - p)) != NULL)
			return false;
		p = close;
	}
	return true;
}

/*
 * Checks the whole table once at startup (and in the route guard test):
 * every route has a well-formed path, methods, an access policy, a handler
 * and a stylesheet unless it is PT_RAW, a route that changes state (any
 * method but GET, HEAD and OPTIONS) is CSRF-checked, and no two routes
 * claim the same path and method.  Returns PT_OK, or PT_ERR with a message in err.
 */
int
pt_routes_check(const struct pt_module *const *mods, char *err, size_t errlen)
{
	const struct pt_route	*rt, *ot;
	size_t			 i, j;

	for (i = 0; mods[i] != NULL; i++) {
		for (rt = mods[i]->routes; rt->path != NULL; rt++) {
			const char	*why = NULL;

			if (!pattern_ok(rt->path))
				why = "malformed path";
			else if (rt->methods == 0)
				why = "no methods";
			else if (rt->access == 0)
				why = "no access policy";
			else if (rt->fn == NULL)
				why = "no handler";
			else if ((rt->xsl == NULL || rt->xsl[0] == '\0') &&
			    !(rt->flags & PT_RAW))
				why = "no stylesheet";
			else if ((rt->methods & ~(PT_GET | PT_HEAD |
			    PT_OPTIONS)) && !(rt->flags & (PT_CSRF | PT_NOCSRF)))
				why = "state-changing methods without PT_CSRF";
			else if ((rt->flags & PT_CSRF) && (rt->flags & PT_NOCSRF))
				why = "both PT_CSRF and PT_NOCSRF";
			if (why != NULL) {
				snprintf(err, errlen, "module %s: route %s: %s",
				    mods[i]->name, rt->path, why);
				return PT_ERR;
			}
			for (j = i; mods[j] != NULL; j++) {
				ot = (j == i) ? rt + 1 : mods[j]->routes;
				for (; ot->path != NULL; ot++) {
					if (strcmp(ot->path, rt->path) != 0 ||
					    !(effective(ot->methods) &
					    effective(rt->methods)))
						continue;
					snprintf(err, errlen, "route %s is "
					    "declared twice (modules %s and %s)",
					    rt->path, mods[i]->name,
					    mods[j]->name);
					return PT_ERR;
				}
			}
		}
	}
	return PT_OK;
}
