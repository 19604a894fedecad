/*
 * communities.c - communities: list, create, community page, members, invitations, join requests, competitor conflicts.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_communities = {
	.name = "communities",
	.routes = routes,
};
