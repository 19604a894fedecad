# modules/directory.mk - build fragment for the partner directory (issue 4).
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/partner_directory.c
PT_XSLT_FILES += \
	xslt/directory/search.xsl \
	xslt/directory/person.xsl \
	xslt/directory/organisation.xsl \
	xslt/directory/cards.xsl
dist_portico_sql_DATA += sql/0017_directory.sql
dist_portico_sqldemo_DATA += \
	sql/demo/0003_communities.sql \
	sql/demo/0004_directory.sql
