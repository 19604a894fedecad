/*
 * porticoctl.c - the administrator's command line for Portico.
 *
 *	porticoctl [-c FILE] COMMAND [--help]
 *
 * Commands: migrate, status, seed-demo, check-config, routes,
 * sync-directory, mail, lifecycle.  Each is a
 * row of cmds[] below with its help text and a function that does the
 * work through the same internal library the server links (config, db,
 * migrations, the route table), so what porticoctl checks is what the
 * server will do.
 *
 * Output: results on stdout; progress of migrate and seed-demo, and every
 * error, on stderr.  Exit status: 0 success, 1 failure, 2 usage error.
 *
 * To add a command, write a cmd_<name>() and add a row to cmds[] with its
 * synopsis and help.  When portico.h gains an access role or a route flag,
 * name it in access_names[] or flag_names[] so `routes` prints it by name
 * (an unnamed bit prints as hex, so nothing is ever hidden).
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* _GNU_SOURCE: getopt_long, scandir */
#endif

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"
#include "../modules/auth/directory.h"
#include "../modules/collateral/collateral.h"
#include "../modules/lifecycle.h"
#include "../modules/mail.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

struct ctl {
	const char		*config_path;
	struct pt_config	*cfg;
	int			 argc;	/* the command's own arguments */
	char			**argv;
};

struct ctl_cmd {
	const char	*name;
	const char	*summary;
	const char	*help;
	bool		 needs_config;
	int		(*fn)(struct ctl *);
	bool		 takes_args;	/* fn parses ctl->argv itself */
};

struct bit_name {
	unsigned int	 bit;
	const char	*name;
};

static const struct bit_name access_names[] = {
	{ PT_ACCESS_PUBLIC, "public" },
	{ PT_ACCESS_USER, "user" },
	{ PT_ACCESS_ADMIN, "admin" },
	{ PT_ACCESS_PARTNER_ADMIN, "partner_admin" },
	{ PT_ACCESS_CHANNEL_MANAGER, "channel_manager" },
	{ PT_ACCESS_CONTENT_MANAGER, "content_manager" },
	{ PT_ACCESS_MODERATOR, "moderator" },
};

static const struct bit_name flag_names[] = {
	{ PT_CSRF, "csrf" },
	{ PT_NOSESSION, "nosession" },
	{ PT_XMLVIEW, "xmlview" },
	{ PT_NODB, "nodb" },
	{ PT_RAW, "raw" },
	{ PT_NOCSRF, "nocsrf" },
	{ PT_CACHE, "cache" },
	{ PT_UPLOAD, "upload" },
};

static int	cmd_migrate(struct ctl *);
static int	cmd_status(struct ctl *);
static int	cmd_seed_demo(struct ctl *);
static int	cmd_check_config(struct ctl *);
static int	cmd_routes(struct ctl *);
static int	cmd_sync_directory(struct ctl *);
static int	cmd_mail(struct ctl *);
static int	cmd_lifecycle(struct ctl *);
static int	cmd_collateral_report(struct ctl *);

static const struct ctl_cmd cmds[] = {
	{ "migrate", "apply pending schema migrations",
	    "Applies the files <sql_dir>/NNNN_<what>.sql that are not yet\n"
	    "recorded in the table schema_migrations, in order, each in its\n"
	    "own transaction together with its schema_migrations row.\n"
	    "Running it again is a no-op; two runs at once wait for each\n"
	    "other.  A failing file stops the run with \"<file>: <server\n"
	    "error>\"; the files before it stay applied.  A file changed\n"
	    "after it was applied is reported, not re-run: add a new one.\n"
	    "\n"
	    "Progress and errors go to standard error.\n",
	    true, cmd_migrate, false },
	{ "status", "show applied and pending migrations",
	    "Prints one line per migration to standard output:\n"
	    "\n"
	    "  VERSION  STATE     APPLIED AT (UTC)     FILE\n"
	    "  0001     applied   2026-11-23 01:46:25  0001_program.sql\n"
	    "  0002     pending   -                    0002_organisations.sql\n"
	    "\n"
	    "STATE is applied, pending, modified (applied, but the file has\n"
	    "changed since) or missing (applied, but no file has that\n"
	    "number), followed by a line of totals.  Changes nothing.\n",
	    true, cmd_status, false },
	{ "seed-demo", "load the demo data set",
	    "Runs every <sql_dir>/demo/*.sql file, in order of name, each in\n"
	    "one transaction: a fictional vendor, its partner program with\n"
	    "four tiers and a dozen partner companies.  Then puts the demo\n"
	    "collateral files of <sql_dir>/demo/collateral into the store\n"
	    "([collateral] storage_dir, which must be writable; without it\n"
	    "the library is left out and everything else is loaded) and\n"
	    "loads their items.  The files upsert, so running it again\n"
	    "changes nothing.  Run migrate first.\n"
	    "\n"
	    "Progress and errors go to standard error.\n",
	    true, cmd_seed_demo, false },
	{ "check-config", "validate the configuration file",
	    "Loads the configuration file as the server would and prints\n"
	    "\"ok\" to standard output, or the first error, as\n"
	    "\"FILE:LINE: [section] key: problem\", to standard error.\n",
	    false, cmd_check_config, false },
	{ "routes", "list the compiled-in routes",
	    "Prints every route of every compiled-in module, one per line,\n"
	    "as six tab-separated fields:\n"
	    "\n"
	    "  MODULE  METHODS  PATH  ACCESS  FLAGS  XSL\n"
	    "\n"
	    "MODULE   the module's name, e.g. home\n"
	    "METHODS  the allowed methods as in an Allow header,\n"
	    "         e.g. \"GET, HEAD, POST\" (comma and space separated)\n"
	    "PATH     the route path, e.g. /c/{id}/threads\n"
	    "ACCESS   the access policy: public, user, admin joined by\n"
	    "         commas; unnamed bits as hex (0x8); - for none\n"
	    "FLAGS    csrf, nosession, xmlview, nodb, raw joined by commas;\n"
	    "         unnamed bits as hex; - for none\n"
	    "XSL      the stylesheet relative to xslt_dir; - for none\n"
	    "\n"
	    "Empty fields print as -, so every line has six non-empty fields\n"
	    "and no header.  The tests parse this format: keep it stable.\n"
	    "Reads no configuration file.\n",
	    false, cmd_routes, false },
	{ "sync-directory", "apply LDAP group changes to every user",
	    "Looks up every active LDAP user in the directory with the\n"
	    "service account ([ldap] bind_dn) and applies what it says, as a\n"
	    "sign-in would: groups, and the roles [roles] maps them to, are\n"
	    "replaced (roles granted by hand are kept).  A user who lost a\n"
	    "role, or who is no longer in the directory, loses their\n"
	    "sessions at once, on every host; each change is audited.\n"
	    "\n"
	    "A directory that does not answer stops the run (exit 1) without\n"
	    "touching the users not yet checked: it is never taken to mean\n"
	    "that users were deleted.  Each user is applied in its own\n"
	    "transaction, so an interrupted run is completed by the next.\n"
	    "conf/systemd/portico-sync-directory.timer runs it hourly.\n"
	    "\n"
	    "Progress goes to standard error; the last line sums it up.\n",
	    true, cmd_sync_directory, false },
	{ "mail", "deliver queued email, show the outbox",
	    "  porticoctl mail send [--limit N]\n"
	    "  porticoctl mail status\n"
	    "  porticoctl mail test ADDRESS [--name NAME] [--title TITLE]\n"
	    "                               [--dedup KEY]\n"
	    "\n"
	    "send delivers the due messages of the outbox (all, or at most N)\n"
	    "through [mail] smtp_url, one line each on standard error.  Each\n"
	    "message is claimed by one sender only, so runs on several hosts\n"
	    "never send one twice.  A temporary failure is retried later\n"
	    "(retry_base * 2^attempts seconds), up to max_attempts; a 5xx\n"
	    "reply fails the message.  A message left 'sending' by a sender\n"
	    "that died is marked 'uncertain' after [mail] lease seconds and\n"
	    "is not resent.  conf/systemd/portico-mail.timer runs send.\n"
	    "\n"
	    "status prints \"STATUS COUNT\" lines (queued, sending, sent,\n"
	    "failed, uncertain) and one line per uncertain message.\n"
	    "\n"
	    "test queues the message xslt/mail/test.xsl to ADDRESS (title\n"
	    "default \"Portico test message\"); exit 0 queued, 1 refused or\n"
	    "failed, 3 already queued under KEY.  Run send to deliver it.\n",
	    true, cmd_mail, true },
	{ "lifecycle", "expire accounts by the [lifecycle] policy",
	    "  porticoctl lifecycle plan [--now \"YYYY-MM-DD HH:MM:SS\"]\n"
	    "  porticoctl lifecycle run [--now \"YYYY-MM-DD HH:MM:SS\"]\n"
	    "  porticoctl lifecycle sponsor ORGANISATION [LOGIN]\n"
	    "\n"
	    "run applies the [lifecycle] policy as of --now (UTC; default the\n"
	    "current time): it warns by email warn_days before a deadline\n"
	    "(inactivity: no sign-in or activity for inactivity_days; term:\n"
	    "the account's or its organisation's valid-until date; the final\n"
	    "warning is copied to the organisation's sponsor), reminds partner\n"
	    "admins (the last time also the sponsor) attestation_warn_days\n"
	    "before their roster is due, expires unredeemed community\n"
	    "invitations, disables accounts at the deadline (every session\n"
	    "ends at once; attestation: the users of an organisation whose\n"
	    "roster was not confirmed in time), and removes the personal data\n"
	    "of accounts it (or sync-directory) disabled grace_days ago.\n"
	    "Exempt accounts and members of exempt groups are skipped.  Each\n"
	    "action is audited.  It\n"
	    "works in batches of [lifecycle] batch accounts, each in one\n"
	    "transaction: a second run at the same instant does nothing, and\n"
	    "an interrupted run is completed by the next.  The mails are\n"
	    "queued; `porticoctl mail send` delivers them.\n"
	    "conf/systemd/portico-lifecycle.timer runs it daily.\n"
	    "\n"
	    "plan changes nothing and prints exactly the lines run would\n"
	    "print, then the exempt accounts, one per line on standard\n"
	    "output:\n"
	    "\n"
	    "  warn-14 user=ID login=L rule=R deadline=\"...\" reason=\"...\"\n"
	    "          policy=\"inactivity_days=90 warn_days=14,3 "
	    "grace_days=30\"\n"
	    "  disable user=ID login=L rule=R reason=\"...\" policy=\"...\"\n"
	    "  delete user=ID login=L rule=R reason=\"...\" policy=\"...\"\n"
	    "  remind-14 user=ID login=L rule=attestation organisation=SLUG\n"
	    "          deadline=\"...\" sponsor=yes|no policy=\"...\"\n"
	    "  expire invitation=ID community=SLUG invitee=USER rule=invitation\n"
	    "          reason=\"...\" policy=\"...\"\n"
	    "  exempt user=ID login=L reason=\"...\"\n"
	    "\n"
	    "sponsor makes LOGIN (an active channel manager) the sponsor of the\n"
	    "partner organisation ORGANISATION (its slug), or clears it without\n"
	    "LOGIN; audited.  Administrators can also do it at\n"
	    "/admin/lifecycle.\n"
	    "\n"
	    "Rules: inactivity, term, org_term, attestation (and directory, set\n"
	    "by sync-directory).  The last line, on standard\n"
	    "error, sums it up.  With [lifecycle] enabled = false nothing is\n"
	    "done (exit 0).\n",
	    true, cmd_lifecycle, true },
	{ "collateral-report", "library freshness per program tier",
	    "Prints, for each program tier, the live library items an\n"
	    "organisation of that tier sees and how many of them are past\n"
	    "their review date:\n"
	    "\n"
	    "  TIER              ITEMS  PAST REVIEW    SHARE\n"
	    "  platinum             40            6    15.0%\n"
	    "\n"
	    "Items for everyone count for every tier; an item for segments\n"
	    "counts where a segment's rule matches the tier alone.  Changes\n"
	    "nothing.\n",
	    true, cmd_collateral_report, false },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: porticoctl [-c FILE] COMMAND [--help]\n"
	    "       porticoctl --help\n"
	    "\n"
	    "Administers a Portico installation.\n"
	    "\n"
	    "Options:\n"
	    "  -c, --config FILE  configuration file (default %s)\n"
	    "  -h, --help         show this help; COMMAND --help shows a\n"
	    "                     command's help\n"
	    "\n"
	    "Commands:\n", pt_config_default_path);
	for (i = 0; i < PT_NELEM(cmds); i++)
		fprintf(fp, "  %-18s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp,
	    "\n"
	    "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static void
cmd_usage(const struct ctl_cmd *c, FILE *fp)
{
	fprintf(fp, "usage: porticoctl [-c FILE] %s\n\n%s: %s.\n\n%s",
	    c->name, c->name, c->summary, c->help);
}

/* Loads the configuration for commands that need it. */
static int
ctl_load(struct ctl *ctl)
{
	char err[1024];

	if ((ctl->cfg = pt_config_load(ctl->config_path, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "porticoctl: %s\n", err);
		return PT_ERR;
	}
	pt_log_setlevel(ctl->cfg->log_level);
	return PT_OK;
}

/* Connects, printing why not to stderr. */
static struct pt_db *
ctl_db(struct ctl *ctl)
{
	struct pt_db *db;

	db = pt_db_new(ctl->cfg);
	if (pt_db_ensure(db) != PT_OK) {
		fprintf(stderr, "porticoctl: cannot connect to database '%s': "
		    "%s\n", ctl->cfg->db_name, pt_db_errstr(db));
		pt_db_free(db);
		return NULL;
	}
	return db;
}

static int
cmd_migrate(struct ctl *ctl)
{
	struct pt_db *db;
	int rc;

	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	rc = pt_migrate(db, ctl->cfg->sql_dir, stderr);
	pt_db_free(db);
	return rc == PT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
cmd_status(struct ctl *ctl)
{
	struct pt_db *db;
	int rc;

	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	/*
	 * The table goes to stdout, and so do pt_migrate_status()'s own
	 * errors; say on stderr too that it failed.
	 */
	rc = pt_migrate_status(db, ctl->cfg->sql_dir, stdout);
	fflush(stdout);
	if (rc != PT_OK)
		fprintf(stderr, "porticoctl: status failed%s%s\n",
		    pt_db_errstr(db)[0] != '\0' ? ": " : "", pt_db_errstr(db));
	pt_db_free(db);
	return rc == PT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
sql_file_filter(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > 4 &&
	    strcmp(de->d_name + len - 4, ".sql") == 0;
}

static int
cmd_seed_demo(struct ctl *ctl)
{
	struct dirent **names = NULL;
	struct pt_db *db;
	char dir[PATH_MAX], path[PATH_MAX];
	int i, n, rc = EXIT_OK;

	if (snprintf(dir, sizeof(dir), "%s/demo", ctl->cfg->sql_dir) >=
	    (int)sizeof(dir)) {
		fprintf(stderr, "porticoctl: %s/demo: path too long\n",
		    ctl->cfg->sql_dir);
		return EXIT_FAIL;
	}
	if ((n = scandir(dir, &names, sql_file_filter, alphasort)) == -1) {
		fprintf(stderr, "porticoctl: %s: %s\n", dir, strerror(errno));
		return EXIT_FAIL;
	}
	if (n == 0) {
		fprintf(stderr, "porticoctl: %s holds no .sql files\n", dir);
		free(names);
		return EXIT_FAIL;
	}
	if ((db = ctl_db(ctl)) == NULL) {
		rc = EXIT_FAIL;
		goto out;
	}
	fprintf(stderr, "seeding demo data from %s (%d file%s)\n", dir, n,
	    n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) >= (int)sizeof(path) ||
		    pt_db_run_file(db, path, stderr) != PT_OK) {
			fprintf(stderr, "porticoctl: seed-demo stopped at %s "
			    "(are all migrations applied? see porticoctl "
			    "status)\n", names[i]->d_name);
			rc = EXIT_FAIL;
			break;
		}
	}
	/*
	 * The collateral library goes last: its files into the store, then
	 * its rows (modules/collateral/demo.c).  A store this user cannot
	 * write leaves the library out, with a message, and nothing else.
	 */
	if (rc == EXIT_OK) {
		switch (pt_coll_seed_demo(ctl->cfg, db, stderr)) {
		case PT_OK:
			break;
		case PT_DECLINED:
			fprintf(stderr, "porticoctl: seed-demo: demo data "
			    "loaded WITHOUT the collateral library\n");
			goto done;
		default:
			fprintf(stderr, "porticoctl: seed-demo stopped at the "
			    "collateral library\n");
			rc = EXIT_FAIL;
			break;
		}
	}
	if (rc == EXIT_OK)
		fprintf(stderr, "demo data loaded\n");
done:
	pt_db_free(db);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int
cmd_sync_directory(struct ctl *ctl)
{
	struct pt_sync_stats	 stats;
	struct pt_db		*db;
	int			 rc;

	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	rc = pt_directory_sync(ctl->cfg, db, stderr, &stats);
	fprintf(stderr, "sync-directory: %s: %lu users checked, %lu lost a "
	    "role, %lu no longer in the directory\n",
	    rc == PT_OK ? "done" : "FAILED", stats.checked, stats.changed,
	    stats.gone);
	pt_db_free(db);
	return rc == PT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
mail_send(struct ctl *ctl, struct pt_db *db)
{
	struct pt_mail_stats	 stats;
	unsigned long		 limit = 0;
	char			*end;
	int			 i, rc;

	for (i = 1; i < ctl->argc; i++) {
		if (strcmp(ctl->argv[i], "--limit") == 0 && i + 1 < ctl->argc) {
			limit = strtoul(ctl->argv[++i], &end, 10);
			if (*ctl->argv[i] < '0' || *ctl->argv[i] > '9' ||
			    *end != '\0' || limit > UINT_MAX) {
				fprintf(stderr, "porticoctl: mail send: "
				    "--limit '%s' is not a number\n",
				    ctl->argv[i]);
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "porticoctl: mail send: unknown "
			    "argument '%s'\n", ctl->argv[i]);
			return EXIT_USAGE;
		}
	}
	rc = pt_mail_send(ctl->cfg, db, (unsigned int)limit, stderr, &stats);
	fprintf(stderr, "mail send: %s: %lu sent, %lu to retry, %lu failed, "
	    "%lu marked uncertain\n", rc == PT_OK ? "done" : "FAILED",
	    stats.sent, stats.retry, stats.failed, stats.uncertain);
	return rc == PT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
mail_test(struct ctl *ctl, struct pt_db *db)
{
	const char	*name = "", *title = "Portico test message";
	const char	*key = NULL, *addr = NULL;
	struct pt_arena	*a;
	xmlDocPtr	 doc;
	int		 i, rc;

	for (i = 1; i < ctl->argc; i++) {
		if (strcmp(ctl->argv[i], "--name") == 0 && i + 1 < ctl->argc)
			name = ctl->argv[++i];
		else if (strcmp(ctl->argv[i], "--title") == 0 &&
		    i + 1 < ctl->argc)
			title = ctl->argv[++i];
		else if (strcmp(ctl->argv[i], "--dedup") == 0 &&
		    i + 1 < ctl->argc)
			key = ctl->argv[++i];
		else if (addr == NULL && ctl->argv[i][0] != '-')
			addr = ctl->argv[i];
		else {
			fprintf(stderr, "porticoctl: mail test: unknown "
			    "argument '%s'\n", ctl->argv[i]);
			return EXIT_USAGE;
		}
	}
	if (addr == NULL) {
		fprintf(stderr, "porticoctl: mail test: no ADDRESS\n");
		return EXIT_USAGE;
	}
	if (pt_view_init(ctl->cfg->xslt_dir) != PT_OK) {
		fprintf(stderr, "porticoctl: %s: cannot load stylesheets\n",
		    ctl->cfg->xslt_dir);
		return EXIT_FAIL;
	}
	a = pt_arena_new();
	doc = pt_xml_doc(a, "mail");
	pt_xml_text(xmlDocGetRootElement(doc), "site", ctl->cfg->site_name);
	pt_xml_text(xmlDocGetRootElement(doc), "title", title);
	pt_xml_text(xmlDocGetRootElement(doc), "to", addr);
	rc = pt_mail_queue(db, a, ctl->cfg, "mail/test.xsl", doc, addr, name,
	    key);
	pt_arena_free(a);
	pt_view_fini();
	if (rc == PT_DECLINED) {
		fprintf(stderr, "mail test: already queued under '%s'\n", key);
		return 3;
	}
	if (rc != PT_OK) {
		fprintf(stderr, "porticoctl: mail test: refused or failed "
		    "(see the log line above)\n");
		return EXIT_FAIL;
	}
	fprintf(stderr, "mail test: queued for %s\n", addr);
	return EXIT_OK;
}

static int
cmd_mail(struct ctl *ctl)
{
	struct pt_db	*db;
	int		 rc;

	if (ctl->argc < 1 || (strcmp(ctl->argv[0], "send") != 0 &&
	    strcmp(ctl->argv[0], "status") != 0 &&
	    strcmp(ctl->argv[0], "test") != 0)) {
		fprintf(stderr, "porticoctl: mail: say send, status or test; "
		    "try 'porticoctl mail --help'\n");
		return EXIT_USAGE;
	}
	if (strcmp(ctl->argv[0], "status") == 0 && ctl->argc > 1) {
		fprintf(stderr, "porticoctl: mail status takes no argument\n");
		return EXIT_USAGE;
	}
	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	if (strcmp(ctl->argv[0], "send") == 0)
		rc = mail_send(ctl, db);
	else if (strcmp(ctl->argv[0], "test") == 0)
		rc = mail_test(ctl, db);
	else {
		rc = pt_mail_status(db, stdout) == PT_OK ? EXIT_OK : EXIT_FAIL;
		if (rc != EXIT_OK)
			fprintf(stderr, "porticoctl: mail status failed: %s\n",
			    pt_db_errstr(db));
	}
	pt_db_free(db);
	return rc;
}

/* porticoctl lifecycle sponsor ORG [LOGIN]: sets or clears a sponsor. */
static int
lifecycle_sponsor(struct ctl *ctl)
{
	struct pt_arena	*a;
	struct pt_db	*db;
	const char	*why, *login;
	int		 rc;

	if (ctl->argc < 2 || ctl->argc > 3) {
		fprintf(stderr, "porticoctl: lifecycle sponsor ORGANISATION "
		    "[LOGIN]\n");
		return EXIT_USAGE;
	}
	login = ctl->argc == 3 ? ctl->argv[2] : NULL;
	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	a = pt_arena_new();
	rc = pt_lifecycle_set_sponsor(db, a, ctl->argv[1], login, 0, NULL,
	    &why);
	if (rc == PT_OK)
		fprintf(stderr, "lifecycle sponsor: %s: %s\n", ctl->argv[1],
		    login != NULL ? login : "(none)");
	else if (rc == PT_DECLINED)
		fprintf(stderr, "porticoctl: lifecycle sponsor: %s\n", why);
	else
		fprintf(stderr, "porticoctl: lifecycle sponsor: %s\n",
		    pt_db_errstr(db));
	pt_arena_free(a);
	pt_db_free(db);
	return rc == PT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
cmd_lifecycle(struct ctl *ctl)
{
	struct pt_lifecycle_stats	 stats;
	struct pt_db			*db;
	const char			*now = NULL;
	bool				 run;
	int				 i, rc;

	if (ctl->argc >= 1 && strcmp(ctl->argv[0], "sponsor") == 0)
		return lifecycle_sponsor(ctl);
	if (ctl->argc < 1 || (strcmp(ctl->argv[0], "plan") != 0 &&
	    strcmp(ctl->argv[0], "run") != 0)) {
		fprintf(stderr, "porticoctl: lifecycle: say plan, run or "
		    "sponsor; try 'porticoctl lifecycle --help'\n");
		return EXIT_USAGE;
	}
	run = strcmp(ctl->argv[0], "run") == 0;
	for (i = 1; i < ctl->argc; i++) {
		if (strcmp(ctl->argv[i], "--now") == 0 && i + 1 < ctl->argc &&
		    pt_lifecycle_now_ok(ctl->argv[i + 1]))
			now = ctl->argv[++i];
		else {
			fprintf(stderr, "porticoctl: lifecycle: bad argument "
			    "'%s' (--now \"YYYY-MM-DD HH:MM:SS\")\n",
			    ctl->argv[i]);
			return EXIT_USAGE;
		}
	}
	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	if (run && pt_view_init(ctl->cfg->xslt_dir) != PT_OK) {
		fprintf(stderr, "porticoctl: %s: cannot load stylesheets\n",
		    ctl->cfg->xslt_dir);
		pt_db_free(db);
		return EXIT_FAIL;
	}
	rc = pt_lifecycle_sweep(ctl->cfg, db, now, run, stdout, &stats);
	fflush(stdout);
	if (run)
		pt_view_fini();
	pt_db_free(db);
	if (rc == PT_DECLINED) {
		fprintf(stderr, "lifecycle %s: nothing done ([lifecycle] "
		    "enabled is false, or another run is in progress)\n",
		    ctl->argv[0]);
		return EXIT_OK;
	}
	fprintf(stderr, "lifecycle %s: %s: %lu warned, %lu disabled, "
	    "%lu deleted, %lu exempt, %lu attestation reminders, "
	    "%lu invitations expired\n", ctl->argv[0],
	    rc == PT_OK ? "done" : "FAILED", stats.warned, stats.disabled,
	    stats.deleted, stats.exempt, stats.reminded, stats.expired);
	return rc == PT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
cmd_check_config(struct ctl *ctl)
{
	if (ctl_load(ctl) != PT_OK)
		return EXIT_FAIL;
	printf("ok\n");
	return EXIT_OK;
}

/* "a,b" for the named bits of v, hex for the rest, "-" for none. */
static const char *
bits_str(struct pt_arena *a, unsigned int v, const struct bit_name *names,
    size_t n)
{
	const char *out = "";
	size_t i;

	if (v == 0)
		return "-";
	for (i = 0; i < n; i++)
		if (v & names[i].bit) {
			out = pt_printf(a, "%s%s%s", out, *out ? "," : "",
			    names[i].name);
			v &= ~names[i].bit;
		}
	if (v != 0)
		out = pt_printf(a, "%s%s0x%x", out, *out ? "," : "", v);
	return out;
}

/*
 * A route's declared fields for `routes`: "name/type/req|opt/min/max/
 * sources" joined by ',', or "-".  tests/integration/test_isolation.py
 * reads it to send every state-changing route a well-formed request.
 */
static const char *
fields_str(struct pt_arena *a, const struct pt_field *f)
{
	static const char *const types[PT_F__MAX] = {
		[PT_F_TEXT] = "text", [PT_F_MULTILINE] = "multiline",
		[PT_F_INT] = "int", [PT_F_SLUG] = "slug", [PT_F_BOOL] = "bool",
	};
	const char	*out = NULL;

	for (; f != NULL && f->name != NULL; f++)
		out = pt_printf(a, "%s%s%s/%s/%s/%lld/%lld/%s%s%s",
		    out != NULL ? out : "", out != NULL ? "," : "", f->name,
		    types[f->type], f->required ? "req" : "opt",
		    (long long)f->min, (long long)f->max,
		    f->from & PT_IN_PATH ? "p" : "",
		    f->from & PT_IN_QUERY ? "q" : "",
		    f->from & PT_IN_BODY ? "b" : "");
	return out != NULL ? out : "-";
}

static int
cmd_routes(struct ctl *ctl)
{
	const struct pt_module *const *mp;
	const struct pt_route *r;
	struct pt_arena *a;
	const char *methods;

	a = pt_arena_new();
	for (mp = pt_modules; *mp != NULL; mp++) {
		for (r = (*mp)->routes; r != NULL && r->path != NULL; r++) {
			methods = pt_methods_str(a, r->methods);
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (*mp)->name,
			    methods != NULL && *methods != '\0' ? methods : "-",
			    r->path,
			    bits_str(a, r->access, access_names,
			    PT_NELEM(access_names)),
			    bits_str(a, r->flags, flag_names,
			    PT_NELEM(flag_names)),
			    r->xsl != NULL && *r->xsl != '\0' ? r->xsl : "-",
			    fields_str(a, r->fields));
		}
		pt_arena_reset(a);
	}
	pt_arena_free(a);
	return EXIT_OK;
}

static int
cmd_collateral_report(struct ctl *ctl)
{
	struct pt_arena	*a;
	struct pt_db	*db;
	int		 rc;

	if ((db = ctl_db(ctl)) == NULL)
		return EXIT_FAIL;
	a = pt_arena_new();
	rc = pt_coll_report(db, a, stdout) == PT_OK ? EXIT_OK : EXIT_FAIL;
	pt_arena_free(a);
	pt_db_free(db);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl = { .config_path = pt_config_default_path };
	const struct ctl_cmd *cmd = NULL;
	size_t i;
	int ch, rc;

	/* '+': stop at the command, whose arguments are its own. */
	while ((ch = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctl.config_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "Try 'porticoctl --help'.\n");
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fprintf(stderr, "porticoctl: no command given\n\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < PT_NELEM(cmds); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			cmd = &cmds[i];
	if (cmd == NULL) {
		fprintf(stderr, "porticoctl: unknown command '%s'; try "
		    "'porticoctl --help'\n", argv[0]);
		return EXIT_USAGE;
	}
	for (ch = 1; ch < argc; ch++)
		if (strcmp(argv[ch], "--help") == 0 ||
		    strcmp(argv[ch], "-h") == 0) {
			cmd_usage(cmd, stdout);
			return EXIT_OK;
		}
	if (argc > 1 && !cmd->takes_args) {
		fprintf(stderr, "porticoctl: %s takes no argument '%s'; try "
		    "'porticoctl %s --help'\n", cmd->name, argv[1], cmd->name);
		return EXIT_USAGE;
	}

	ctl.argc = argc - 1;
	ctl.argv = argv + 1;
	if (cmd->needs_config && ctl_load(&ctl) != PT_OK)
		return EXIT_FAIL;
	rc = cmd->fn(&ctl);
	pt_config_free(ctl.cfg);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "porticoctl: writing output: %s\n",
		    strerror(errno));
		return EXIT_FAIL;
	}
	return rc;
}
