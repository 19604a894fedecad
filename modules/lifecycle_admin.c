/*
 * lifecycle_admin.c - access lifecycle pages: upcoming and recent actions, exemptions, audit trail, attestation.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_lifecycle = {
	.name = "lifecycle",
	.routes = routes,
};
