/*
 * partner_directory.c - the partner directory: organisations and people a user may find.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_partner_directory = {
	.name = "partner-directory",
	.routes = routes,
};
