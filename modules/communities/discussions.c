/*
 * discussions.c - discussions: threads, replies, edits, mentions, notifications, Atom feeds.
 *
 * (Skeleton registered in modules/modules.c; its owner fills in the
 * routes.)
 */
#include "portico.h"

static const struct pt_route routes[] = {
	{ .path = NULL },
};

const struct pt_module pt_mod_discussions = {
	.name = "discussions",
	.routes = routes,
};
