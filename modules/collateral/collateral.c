/*
 * collateral.c - the collateral library: items, versions, uploads, downloads.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_collateral = {
	.name = "collateral",
	.routes = routes,
};
