/*
 * library.c - the library as partners see it: listing with filters, feed, feedback; segments admin.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_library = {
	.name = "library",
	.routes = routes,
};
