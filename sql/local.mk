# sql/local.mk - installs the schema migrations and the demo data set
# (included by Makefile.am; paths are relative to the top directory).
# porticoctl migrate reads $(pkgdatadir)/sql (the sql_dir default) and
# porticoctl seed-demo reads $(pkgdatadir)/sql/demo.
#
# To add a migration or a demo file, add it to the matching list below:
# files are listed one by one so that a stray file is never installed.

portico_sqldir = $(pkgdatadir)/sql
dist_portico_sql_DATA = \
	sql/0001_program.sql \
	sql/0002_organisations.sql \
	sql/0003_users.sql \
	sql/0004_sessions.sql \
	sql/0005_login_safety.sql \
	sql/0006_audit.sql \
	sql/0007_directory_memberships.sql \
	sql/0008_mail_outbox.sql \
	sql/0009_lifecycle.sql \
	sql/0010_communities.sql

portico_sqldemodir = $(pkgdatadir)/sql/demo
dist_portico_sqldemo_DATA = \
	sql/demo/0001_program.sql \
	sql/demo/0002_organisations.sql
