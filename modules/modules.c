/*
 * modules.c - the modules compiled into Portico, in routing order.
 *
 * To add a module: write modules/<name>.c exporting one const struct
 * pt_module, declare it and list it here, and add the file to
 * libportico_a_SOURCES in Makefile.am.
 */
#include "portico.h"

extern const struct pt_module pt_mod_home;
extern const struct pt_module pt_mod_health;
extern const struct pt_module pt_mod_auth;
extern const struct pt_module pt_mod_communities;
extern const struct pt_module pt_mod_discussions;
extern const struct pt_module pt_mod_moderation;
extern const struct pt_module pt_mod_partner_directory;
extern const struct pt_module pt_mod_lifecycle;
extern const struct pt_module pt_mod_collateral;
extern const struct pt_module pt_mod_library;

const struct pt_module *const pt_modules[] = {
	&pt_mod_home,
	&pt_mod_health,
	&pt_mod_auth,
	&pt_mod_communities,
	&pt_mod_discussions,
	&pt_mod_moderation,
	&pt_mod_partner_directory,
	&pt_mod_lifecycle,
	&pt_mod_collateral,
	&pt_mod_library,
	NULL,
};
