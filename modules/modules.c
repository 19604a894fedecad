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

const struct pt_module *const pt_modules[] = {
	&pt_mod_home,
	&pt_mod_health,
	&pt_mod_auth,
	NULL,
};
