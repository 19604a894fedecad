/*
 * server.h - the process manager's entry points, shared by fcgi/main.c and
 * nothing else.  Modules never include this file: portico.h is theirs.
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

#endif /* PORTICO_SERVER_H */
