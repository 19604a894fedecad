# tests/unit/local.mk - C unit tests, one program per subject, each printing
# TAP.  Included by Makefile.am; paths are relative to the top directory.
#
# Every test in make check (these programs, the guard scripts and the fuzz
# corpus replays) speaks TAP and is read by automake's tap-driver.sh; the
# driver settings and the test environment live here, once.
#
# To add a unit test: write tests/unit/<subject>_test.c (include "tap.h",
# return done() from main) and add its name to UNIT_TESTS below.

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	PT_SRCDIR='$(abs_top_srcdir)'; export PT_SRCDIR; \
	PT_BUILDDIR='$(abs_top_builddir)'; export PT_BUILDDIR;

UNIT_TESTS = \
	tests/unit/arena_test \
	tests/unit/parse_test \
	tests/unit/route_test \
	tests/unit/response_test \
	tests/unit/xml_test \
	tests/unit/view_test \
	tests/unit/config_test \
	tests/unit/dispatch_test \
	tests/unit/jose_test \
	tests/unit/ldap_escape_test \
	tests/unit/mail_test

check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
EXTRA_DIST += tests/unit/tap.h

tests_unit_arena_test_SOURCES = tests/unit/arena_test.c tests/unit/tap.h
tests_unit_arena_test_LDADD = $(PT_LIBS)
tests_unit_parse_test_SOURCES = tests/unit/parse_test.c tests/unit/tap.h
tests_unit_parse_test_LDADD = $(PT_LIBS)
tests_unit_route_test_SOURCES = tests/unit/route_test.c tests/unit/tap.h
tests_unit_route_test_LDADD = $(PT_LIBS)
tests_unit_response_test_SOURCES = tests/unit/response_test.c tests/unit/tap.h
tests_unit_response_test_LDADD = $(PT_LIBS)
tests_unit_xml_test_SOURCES = tests/unit/xml_test.c tests/unit/tap.h
tests_unit_xml_test_LDADD = $(PT_LIBS)
tests_unit_view_test_SOURCES = tests/unit/view_test.c tests/unit/tap.h
tests_unit_view_test_LDADD = $(PT_LIBS)
tests_unit_config_test_SOURCES = tests/unit/config_test.c tests/unit/tap.h
tests_unit_config_test_LDADD = $(PT_LIBS)
tests_unit_dispatch_test_SOURCES = tests/unit/dispatch_test.c tests/unit/tap.h
tests_unit_dispatch_test_LDADD = $(PT_LIBS)
tests_unit_jose_test_SOURCES = tests/unit/jose_test.c tests/unit/tap.h
tests_unit_jose_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/modules/auth
tests_unit_jose_test_LDADD = $(PT_LIBS)
# -I modules, not modules/auth: auth/ldap.h must not hide OpenLDAP's <ldap.h>.
tests_unit_ldap_escape_test_SOURCES = tests/unit/ldap_escape_test.c \
	tests/unit/tap.h
tests_unit_ldap_escape_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/modules
tests_unit_ldap_escape_test_LDADD = $(PT_LIBS)
tests_unit_mail_test_SOURCES = tests/unit/mail_test.c tests/unit/tap.h
tests_unit_mail_test_LDADD = $(PT_LIBS)
