/*
 * pagecache.c - rendered public pages, kept for a few seconds per worker.
 *
 * A public page that is the same for every anonymous visitor (the program
 * page) costs two queries, an XSLT transform and an HTML serialisation to
 * make, and nothing to serve once made.  Routes flagged PT_CACHE have their
 * anonymous GET responses kept here for [server] page_cache_ttl seconds and
 * served again as they are, with fresh per-request headers.  The cache is
 * derived data with a short life: no other host needs it, a change in the
 * database reaches visitors within the TTL, and a reload (SIGHUP) starts
 * workers with an empty cache.  Signed-in users never get a cached page
 * and never feed the cache.
 *
 * Memory: a fixed number of entries, each at most PC_BODY_MAX bytes, so a
 * worker's cache is bounded whatever the URLs requested (query strings make
 * distinct keys: "?format=xml", tracking parameters).
 *
 * API (server.h): pt_pagecache_get, pt_pagecache_put.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define PC_ENTRIES	32
#define PC_KEY_MAX	512
#define PC_BODY_MAX	(512 * 1024)

struct pc_entry {
	char		*key;
	char		*body;
	size_t		 len;
	char		*ctype;
	double		 made;		/* monotonic seconds */
};

static struct pc_entry	 cache[PC_ENTRIES];

/*
 * Returns the fresh entry for key, or NULL.  The body stays valid until the
 * next pt_pagecache_put() in this worker, i.e. for the rest of the request.
 */
int
pt_pagecache_get(const char *key, unsigned int ttl, const char **body,
    size_t *len, const char **ctype)
{
	double	 now;
	size_t	 i;

	if (ttl == 0)
		return PT_DECLINED;
	now = pt_mono();
	for (i = 0; i < PC_ENTRIES; i++) {
		if (cache[i].key == NULL || strcmp(cache[i].key, key) != 0)
			continue;
		if (now - cache[i].made >= ttl)
			return PT_DECLINED;
		*body = cache[i].body;
		*len = cache[i].len;
		*ctype = cache[i].ctype;
		return PT_OK;
	}
	return PT_DECLINED;
}

/* Keeps a copy of body under key, replacing the stalest entry. */
void
pt_pagecache_put(const char *key, unsigned int ttl, const char *body,
    size_t len, const char *ctype)
{
	struct pc_entry	*e = &cache[0];
	size_t		 i;
	char		*k, *b, *c;

	if (ttl == 0 || len > PC_BODY_MAX || strlen(key) > PC_KEY_MAX)
		return;
	for (i = 0; i < PC_ENTRIES; i++) {
		if (cache[i].key != NULL && strcmp(cache[i].key, key) == 0) {
			e = &cache[i];
			break;
		}
		if (cache[i].key == NULL || cache[i].made < e->made)
			e = &cache[i];
		if (cache[i].key == NULL)
			break;
	}
	k = strdup(key);
	c = strdup(ctype);
	b = malloc(len ? len : 1);
	if (k == NULL || c == NULL || b == NULL) {
		free(k);
		free(c);
		free(b);
		return;		/* a cache may forget */
	}
	memcpy(b, body, len);
	free(e->key);
	free(e->body);
	free(e->ctype);
	e->key = k;
	e->body = b;
	e->len = len;
	e->ctype = c;
	e->made = pt_mono();
}
