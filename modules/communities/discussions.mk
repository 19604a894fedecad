# modules/communities/discussions.mk - build fragment for discussions (issue 4): threads, posts, markup, mentions, notifications, feeds.
# Included by Makefile.am after every shared fragment; paths are relative to
# the top directory.  Owned by that feature: add its sources, stylesheets,
# migrations and unit tests here with +=, e.g.
#   libportico_a_SOURCES += modules/x/y.c
#   PT_XSLT_FILES += xslt/x/y.xsl
#   dist_portico_sql_DATA += sql/00NN_x.sql
#   UNIT_TESTS += tests/unit/x_test
#   tests_unit_x_test_SOURCES = tests/unit/x_test.c tests/unit/tap.h
#   tests_unit_x_test_LDADD = $(PT_LIBS)

libportico_a_SOURCES += modules/communities/discussions.c \
	modules/communities/threads.c \
	modules/communities/threads.h \
	modules/communities/markup.c \
	modules/communities/markup.h \
	modules/communities/notify.c \
	modules/communities/feed.c

PT_XSLT_FILES += xslt/communities/community.xsl \
	xslt/communities/thread.xsl \
	xslt/communities/compose.xsl \
	xslt/communities/edit.xsl \
	xslt/communities/history.xsl \
	xslt/communities/notifications.xsl \
	xslt/communities/feed.xsl \
	xslt/communities/feed-token.xsl

UNIT_TESTS += tests/unit/markup_test
tests_unit_markup_test_SOURCES = tests/unit/markup_test.c tests/unit/tap.h
tests_unit_markup_test_LDADD = $(PT_LIBS)

# The markup parser's fuzz target (tests/fuzz/local.mk explains the pair).
FUZZ_TARGETS += markup
REPLAY_TESTS += tests/fuzz/replay_markup
tests_fuzz_replay_markup_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_markup.c
tests_fuzz_replay_markup_CPPFLAGS = $(AM_CPPFLAGS) -DPT_FUZZ_NAME='"markup"'
tests_fuzz_replay_markup_LDADD = $(PT_LIBS)
EXTRA_DIST += bench/community.py

dist_portico_sql_DATA += sql/0015_discussions.sql
