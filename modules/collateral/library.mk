# modules/collateral/library.mk - build fragment for segments and the library as partners see it (issue 5).
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/collateral/library.c \
	modules/collateral/segments.h modules/collateral/segments.c
dist_portico_sql_DATA += sql/0013_segments.sql

UNIT_TESTS += tests/unit/segments_test
tests_unit_segments_test_SOURCES = tests/unit/segments_test.c tests/unit/tap.h
tests_unit_segments_test_LDADD = $(PT_LIBS)
PT_XSLT_FILES += xslt/collateral/library.xsl xslt/collateral/feed.xsl \
	xslt/collateral/segments.xsl
