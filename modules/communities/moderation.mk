# modules/communities/moderation.mk - build fragment for moderation and advocates (issue 4).
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/communities/moderation.c
libportico_a_SOURCES += modules/communities/moderation.h \
	modules/communities/moderation_posts.c \
	modules/communities/moderation_threads.c \
	modules/communities/moderation_queue.c \
	modules/communities/moderation_report.c \
	modules/communities/kudos.c
PT_XSLT_FILES += xslt/communities/moderation.xsl \
	xslt/communities/report.xsl \
	xslt/communities/modlog.xsl \
	xslt/communities/contributors.xsl \
	xslt/communities/move.xsl
