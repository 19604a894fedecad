# bench/local.mk - the benchmark (bench/README.md).  Included by Makefile.am;
# paths are relative to the top directory.
#
# bench/hello is the baseline: a bare libfcgi program that serves the bytes
# portico answered for "/".  It is a check program, so a plain `make` does
# not build it but `make check` does (and so keeps it compiling), and
# `make bench` builds it with portico and porticoctl, then runs bench/run.
# Pass options to bench/run with BENCH_FLAGS, e.g.
#   make bench BENCH_FLAGS='--duration 20 --profile'
#
# To add a baseline program: add it to check_PROGRAMS with its _SOURCES and
# _LDADD below, and start it in bench/run.

check_PROGRAMS += bench/hello
bench_hello_SOURCES = bench/hello.c
bench_hello_LDADD = $(FCGI_LIBS)
EXTRA_DIST += bench/run bench/README.md

BENCH_FLAGS =

bench: portico$(EXEEXT) porticoctl$(EXEEXT) bench/hello$(EXEEXT)
	PORTICO_BUILD_DIR='$(abs_top_builddir)' /usr/bin/python3 \
		$(abs_top_srcdir)/bench/run --no-build $(BENCH_FLAGS)
.PHONY: bench
