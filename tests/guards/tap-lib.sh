# tap-lib.sh - shared helpers for the guard scripts in tests/guards/.
#
# Sourced, not run: sets SRC (the source tree: $PT_SRCDIR from make check,
# else two directories above the script) and provides TAP output:
#   pass DESC | fail DESC | diag TEXT | check DESC OFFENDERS | finish
# check passes when OFFENDERS is empty, else fails and prints each line of
# OFFENDERS as a diagnostic.  finish prints the plan and sets the exit
# status.  A guard that finds a problem must name the file and line.
#
# To add a guard: write tests/guards/<name>.sh that sources this file,
# calls check/pass/fail and ends with finish; list it in
# tests/guards/local.mk.

SRC=${PT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${PT_BUILDDIR:-$SRC}
tap_n=0
tap_failed=0

pass() {
	tap_n=$((tap_n + 1))
	printf 'ok %d - %s\n' "$tap_n" "$1"
}

fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	printf 'not ok %d - %s\n' "$tap_n" "$1"
}

diag() {
	printf '%s\n' "$1" | sed 's/^/# /'
}

check() {
	if [ -z "$2" ]; then
		pass "$1"
	else
		fail "$1"
		diag "$2"
	fi
}

finish() {
	printf '1..%d\n' "$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# The C sources of the project (relative to $SRC), one per line, without
# build directories.
c_sources() {
	(cd "$SRC" && find fcgi modules ctl tests bench -type f \
	    \( -name '*.c' -o -name '*.h' \) 2>/dev/null | LC_ALL=C sort)
}

# Prints "file:line: text" for each line of the given files (relative to
# $SRC) matching the extended regular expression $1.
grep_files() {
	re=$1
	shift
	[ $# -eq 0 ] && return 0
	(cd "$SRC" && grep -HnE -e "$re" "$@" 2>/dev/null) || true
}
