/*
 * server.h - the core's internal interfaces: the process manager's entry
 * points (fcgi/main.c) and the page cache (fcgi/dispatch.c).  Modules never
 * include this file: portico.h is theirs.
 */
#ifndef PORTICO_SERVER_H
#define PORTICO_SERVER_H

#include "portico.h"

/*
 * Validates what a worker would need before any worker exists: the route
 * table and every stylesheet the routes name.  Returns PT_OK, or PT_ERR
 * with the reason logged.  Used at startup, on SIGHUP and by `portico -t`.
 */
int	pt_server_check(const struct pt_config *) PT_WUR;

/*
 * Runs the master until it is told to stop.  cfg is malloc-owned and taken
 * over (SIGHUP replaces it); path is re-read on SIGHUP.  Returns the exit
 * status for main(): 0 after a clean drain, 1 otherwise.
 */
int	pt_server_run(const char *path, struct pt_config *cfg);

/*
 * Anonymous responses of PT_CACHE routes (fcgi/pagecache.c), per worker,
 * for ttl seconds; ttl 0 disables.  get returns PT_OK with a body owned by
 * the cache, valid until the next put, or PT_DECLINED.
 */
int	pt_pagecache_get(const char *key, unsigned int ttl, const char **body,
	    size_t *len, const char **ctype);
void	pt_pagecache_put(const char *key, unsigned int ttl, const char *body,
	    size_t len, const char *ctype);

#endif /* PORTICO_SERVER_H */
