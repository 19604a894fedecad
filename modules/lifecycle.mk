# modules/lifecycle.mk - build fragment for access lifecycle pages and sweeps (issue 6).
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/lifecycle_admin.c
PT_XSLT_FILES += \
	xslt/lifecycle/admin.xsl \
	xslt/lifecycle/attestation.xsl \
	xslt/mail/lifecycle-sponsor.xsl \
	xslt/mail/attestation-reminder.xsl
dist_portico_sql_DATA += sql/0011_lifecycle_attestation.sql
