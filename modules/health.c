/*
 * health.c - /healthz, for load balancers and monitoring.
 *
 * 200 "ok" when this worker can run a query on MariaDB, 503 otherwise.  It
 * asks the worker's own connection, so a host whose workers cannot reach
 * the database is taken out of the nginx upstream or the balancer pool,
 * and the same request that finds the server gone makes the next one
 * reconnect (fcgi/db.c).
 */
#include "portico.h"

enum {
	STMT_PING,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_PING] = "SELECT 1",
};

static int
health_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_stmt	*st;

	(void)out;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_PING])) == NULL ||
	    pt_db_exec(st) != PT_OK || pt_db_fetch(st) != PT_OK)
		return pt_req_error(r, 503, "The database is unreachable.");
	pt_resp_raw(r, "text/plain; charset=utf-8", "ok\n", 3);
	return 200;
}

static const struct pt_route routes[] = {
	{ "/healthz", PT_GET, PT_ACCESS_PUBLIC, PT_NOSESSION | PT_RAW, NULL,
	    NULL, health_get },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct pt_module pt_mod_health = {
	.name = "health",
	.routes = routes,
};
