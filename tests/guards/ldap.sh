#!/bin/sh
# ldap.sh - guard: every LDAP filter Portico sends is built from a
# configured template by one function that escapes the value per RFC 4515.
#
# Fails when a libldap search call appears outside modules/auth/ldap.c or
# more than once there; when that one call's filter does not come from
# filter_build(); when filter_build() does not go through pt_ldap_escape();
# and when C code formats an LDAP filter by hand (a printf-style call on
# a literal like "(uid=").  Run by
# make check.
. "$(dirname "$0")/tap-lib.sh"

files=$(c_sources)
[ -n "$files" ] || { fail "no C sources found under $SRC"; finish; }

# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])ldap_search(_ext)?(_s)?[[:space:]]*\(' \
    $files | grep -v '^modules/auth/ldap\.c:')
check "libldap searches only in modules/auth/ldap.c" "$hits"

n=$(grep -cE '(^|[^A-Za-z0-9_])ldap_search(_ext)?(_s)?[[:space:]]*\(' \
    "$SRC/modules/auth/ldap.c")
check "exactly one libldap search call (ld_search)" \
    "$( [ "$n" = 1 ] || echo "modules/auth/ldap.c: $n search calls")"

body() {	# the text of C function $2 in file $1
	awk -v fn="$2" '
	$0 ~ "^" fn "\\(" { on = 1 }
	on { print }
	on && /^}/ { exit }' "$SRC/$1"
}

hits=$(body modules/auth/ldap.c ld_search | grep -q 'filter = filter_build(' ||
    echo "ld_search: the filter does not come from filter_build()")
check "the search filter is built by filter_build()" "$hits"

hits=$(body modules/auth/ldap.c filter_build | grep -q 'pt_ldap_escape(' ||
    echo "filter_build: the value does not go through pt_ldap_escape()")
check "filter_build() escapes the value with pt_ldap_escape()" "$hits"

# Filter templates ("(uid=%s)") are fine as data: filter_build() fills them.
# Formatting one with a printf-style call is what must not happen.
# shellcheck disable=SC2086
hits=$(grep_files '(printf|pt_printf|pt_vprintf)[[:space:]]*\(.*"[^"]*\([A-Za-z]+[~<>]?=' \
    $files | grep -v '^tests/')
check "no LDAP filter formatted by hand with printf" "$hits"

finish
