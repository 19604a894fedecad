# tests/guards/local.mk - grep guards run by make check against the source
# tree ($PT_SRCDIR): each is a shell script printing TAP, read by the same
# tap-driver.sh as the unit tests (LOG_DRIVER in tests/unit/local.mk).
#
# To add a guard: write tests/guards/<name>.sh (source tap-lib.sh, end
# with finish) and add it to GUARD_TESTS.

GUARD_TESTS = \
	tests/guards/sql.sh \
	tests/guards/xml.sh \
	tests/guards/headers.sh \
	tests/guards/routes.sh \
	tests/guards/forms.sh \
	tests/guards/ldap.sh

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
SH_LOG_DRIVER = $(LOG_DRIVER)

TESTS += $(GUARD_TESTS)
EXTRA_DIST += $(GUARD_TESTS) tests/guards/tap-lib.sh
