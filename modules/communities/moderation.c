/*
 * moderation.c - moderation and curation: reports, queue, hide, delete, lock, pin, move; kudos and top contributors.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_moderation = {
	.name = "moderation",
	.routes = routes,
};
