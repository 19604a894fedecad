# tests/fuzz/local.mk - libFuzzer targets for the parsers and the router.
#
# make check builds each target with the ordinary compiler, linked with
# tests/fuzz/replay.c instead of libFuzzer, and runs it over its seed
# corpus tests/fuzz/corpus/<name>/ (TAP, one test point per input).
#
# make fuzz builds real fuzzers with clang (-fsanitize=fuzzer,address,
# undefined) into tests/fuzz/bin/ in the build directory, compiling the
# library sources again with coverage instrumentation.  make fuzz-run runs
# each for FUZZ_TIME seconds (docs/fuzzing.md).
#
# To add a target: write tests/fuzz/fuzz_<name>.c, seed
# tests/fuzz/corpus/<name>/, add <name> to FUZZ_TARGETS and copy the four
# replay_<name> lines below.

FUZZ_TARGETS = urldecode urlencoded cookies route xmltext ldap_escape jws \
	multipart segments
FUZZ_CC = clang
FUZZ_TIME = 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_LIBS = $(XSLT_LIBS) $(XML_LIBS) $(CURL_LIBS) $(MARIADB_LIBS) \
	$(JANSSON_LIBS) $(INIH_LIBS) $(OPENSSL_LIBS) $(LDAP_LIBS) $(FCGI_LIBS)

REPLAY_TESTS = \
	tests/fuzz/replay_urldecode \
	tests/fuzz/replay_urlencoded \
	tests/fuzz/replay_cookies \
	tests/fuzz/replay_route \
	tests/fuzz/replay_xmltext \
	tests/fuzz/replay_ldap_escape \
	tests/fuzz/replay_jws \
	tests/fuzz/replay_multipart \
	tests/fuzz/replay_segments

check_PROGRAMS += $(REPLAY_TESTS)
TESTS += $(REPLAY_TESTS)
EXTRA_DIST += tests/fuzz/corpus
# What make fuzz leaves (fuzz-clean also removes work/ and crash/).
CLEANFILES += tests/fuzz/bin/fuzz_* tests/fuzz/obj/*.o

tests_fuzz_replay_urldecode_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_urldecode.c
tests_fuzz_replay_urldecode_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"urldecode"'
tests_fuzz_replay_urldecode_LDADD = $(PT_LIBS)

tests_fuzz_replay_urlencoded_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_urlencoded.c
tests_fuzz_replay_urlencoded_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"urlencoded"'
tests_fuzz_replay_urlencoded_LDADD = $(PT_LIBS)

tests_fuzz_replay_cookies_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_cookies.c
tests_fuzz_replay_cookies_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"cookies"'
tests_fuzz_replay_cookies_LDADD = $(PT_LIBS)

tests_fuzz_replay_route_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_route.c
tests_fuzz_replay_route_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"route"'
tests_fuzz_replay_route_LDADD = $(PT_LIBS)

tests_fuzz_replay_xmltext_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_xmltext.c
tests_fuzz_replay_xmltext_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"xmltext"'
tests_fuzz_replay_xmltext_LDADD = $(PT_LIBS)

tests_fuzz_replay_jws_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_jws.c
tests_fuzz_replay_jws_CPPFLAGS = $(AM_CPPFLAGS) -DPT_FUZZ_NAME='"jws"'
tests_fuzz_replay_jws_LDADD = $(PT_LIBS)

tests_fuzz_replay_ldap_escape_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_ldap_escape.c
tests_fuzz_replay_ldap_escape_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"ldap_escape"'
tests_fuzz_replay_ldap_escape_LDADD = $(PT_LIBS)

tests_fuzz_replay_multipart_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_multipart.c
tests_fuzz_replay_multipart_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"multipart"'
tests_fuzz_replay_multipart_LDADD = $(PT_LIBS)

tests_fuzz_replay_segments_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_segments.c
tests_fuzz_replay_segments_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPT_FUZZ_NAME='"segments"'
tests_fuzz_replay_segments_LDADD = $(PT_LIBS)

# Real fuzzers.  The library is compiled again with clang and
# -fsanitize=fuzzer-no-link so that libFuzzer sees coverage inside it.
fuzz:
	@$(MKDIR_P) tests/fuzz/obj tests/fuzz/bin
	@objs=; for f in $(libportico_a_SOURCES); do \
	    case $$f in *.c) ;; *) continue ;; esac; \
	    o=tests/fuzz/obj/`echo $$f | sed 's|/|_|g; s|\.c$$|.o|'`; \
	    echo "  FUZZCC   $$f"; \
	    $(FUZZ_CC) $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) \
	        -std=c11 $(XML_CFLAGS) $(XSLT_CFLAGS) $(CURL_CFLAGS) \
	        $(MARIADB_CFLAGS) $(JANSSON_CFLAGS) $(INIH_CFLAGS) \
	        $(OPENSSL_CFLAGS) $(LDAP_CFLAGS) $(FUZZ_CFLAGS) \
	        -fsanitize=fuzzer-no-link -c $(srcdir)/$$f -o $$o || exit 1; \
	    objs="$$objs $$o"; \
	done; \
	for t in $(FUZZ_TARGETS); do \
	    echo "  FUZZLD   tests/fuzz/bin/fuzz_$$t"; \
	    $(FUZZ_CC) $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) \
	        -std=c11 $(XML_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	        -o tests/fuzz/bin/fuzz_$$t $(srcdir)/tests/fuzz/fuzz_$$t.c \
	        $$objs $(FUZZ_LIBS) || exit 1; \
	done

# Runs every target for FUZZ_TIME seconds; new inputs go to
# tests/fuzz/work/<name>/ in the build directory, crashes to
# tests/fuzz/crash/<name>/.  The seed corpus is read, never written.
fuzz-run: fuzz
	@for t in $(FUZZ_TARGETS); do \
	    $(MKDIR_P) tests/fuzz/work/$$t tests/fuzz/crash/$$t; \
	    echo "fuzz_$$t: $(FUZZ_TIME) s"; \
	    tests/fuzz/bin/fuzz_$$t -max_total_time=$(FUZZ_TIME) \
	        -print_final_stats=1 -artifact_prefix=tests/fuzz/crash/$$t/ \
	        tests/fuzz/work/$$t $(srcdir)/tests/fuzz/corpus/$$t || exit 1; \
	done

fuzz-clean:
	-rm -rf tests/fuzz/obj tests/fuzz/bin tests/fuzz/work tests/fuzz/crash

.PHONY: fuzz fuzz-run fuzz-clean
