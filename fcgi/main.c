/*
 * main.c - the `portico` FastCGI server: command line, configuration, then
 * the process manager in fcgi/server.c.
 *
 * Usage: portico [-c FILE] [-t] [-h] [-V].  To add an option, add it to the
 * getopt string, usage() and docs/ (README's configuration section).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "server.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: portico [-c FILE] [-t] [-h] [-V]\n"
	    "\n"
	    "Portico's FastCGI server: a master process and prefork workers\n"
	    "that render the partner portal behind nginx or Apache.\n"
	    "\n"
	    "  -c FILE  configuration file (default %s)\n"
	    "  -t       check the configuration, the route table and every\n"
	    "           stylesheet, then exit (0 if all load)\n"
	    "  -V       print the version and exit\n"
	    "  -h       show this help\n"
	    "\n"
	    "Signals to the master: TERM or INT drain and stop; HUP reloads the\n"
	    "configuration and stylesheets by rolling the workers.\n"
	    "Without [server] listen, the listening socket is inherited on\n"
	    "fd 0 (spawn-fcgi) or from systemd socket activation.\n",
	    pt_config_default_path);
}

int
main(int argc, char *argv[])
{
	struct pt_config	*cfg;
	const char		*path = pt_config_default_path;
	char			 err[512];
	bool			 test = false;
	int			 ch, rc;

	while ((ch = getopt(argc, argv, "c:thV")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("portico %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if ((cfg = pt_config_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "portico: %s\n", err);
		return 1;
	}
	pt_log_setlevel(cfg->log_level);
	if (test) {
		rc = pt_server_check(cfg);
		pt_config_free(cfg);
		fprintf(rc == PT_OK ? stdout : stderr, "portico: %s: %s\n",
		    path, rc == PT_OK ? "configuration and stylesheets ok" :
		    "check failed (see the log above)");
		return rc == PT_OK ? 0 : 1;
	}
	/* Absolute, so SIGHUP finds the file whatever the cwd becomes. */
	if (path[0] != '/') {
		char	*abs = realpath(path, NULL);

		if (abs != NULL)
			path = abs;
	}
	return pt_server_run(path, cfg);
}
