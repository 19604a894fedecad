# modules/collateral/collateral.mk - build fragment for collateral items, versions, uploads, downloads (issue 5).
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/collateral/collateral.c \
	modules/collateral/storage.h modules/collateral/storage.c
dist_portico_sql_DATA += sql/0012_collateral.sql

# The multipart parser is core (fcgi/multipart.c, in Makefile.am); its unit
# test is listed here with the feature that needed it.
UNIT_TESTS += tests/unit/multipart_test
tests_unit_multipart_test_SOURCES = tests/unit/multipart_test.c tests/unit/tap.h
tests_unit_multipart_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/collateral/collateral.h \
	modules/collateral/filemeta.c
PT_XSLT_FILES += xslt/collateral/new.xsl xslt/collateral/item.xsl \
	xslt/collateral/history.xsl xslt/collateral/mail-new-version.xsl

UNIT_TESTS += tests/unit/collateral_files_test
tests_unit_collateral_files_test_SOURCES = \
	tests/unit/collateral_files_test.c tests/unit/tap.h
tests_unit_collateral_files_test_LDADD = $(PT_LIBS)
