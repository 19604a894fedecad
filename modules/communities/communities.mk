# modules/communities/communities.mk - build fragment for communities (issue 4): communities, members, invitations, join requests, conflicts.
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/communities/communities.c \
	modules/communities/members.c modules/communities/members.h \
	modules/communities/invitations.c modules/communities/conflicts.c
PT_XSLT_FILES += xslt/communities/list.xsl xslt/communities/new.xsl \
	xslt/communities/settings.xsl xslt/communities/members.xsl \
	xslt/communities/requests.xsl xslt/communities/invitations.xsl \
	xslt/communities/invitation.xsl xslt/communities/conflicts.xsl
dist_portico_sql_DATA += sql/0014_communities.sql
