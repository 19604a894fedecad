#!/bin/sh
# routes.sh - guard: every route has an access policy, a stylesheet and an
# integration test.
#
# Runs `porticoctl routes` from the build directory, which prints the
# compiled-in route table, one route per line, tab-separated:
#   module  methods  path  access  flags  xsl
# and fails when a route's access is empty or 0, when its stylesheet does
# not exist under xslt/ (unless its flags say raw), or when no
# tests/integration/*.py file requests its path (a {name} parameter
# matches any one segment, e.g. "/c/{id}" is covered by "/c/42" or by
# f"/c/{cid}").  Run by make check.
. "$(dirname "$0")/tap-lib.sh"

ctl=$BUILD/porticoctl
if [ ! -x "$ctl" ]; then
	fail "porticoctl is built ($ctl)"
	finish
fi
tmp=$(mktemp "${TMPDIR:-/tmp}/ptroutes.XXXXXX") || exit 99
trap 'rm -f "$tmp"' EXIT
if ! "$ctl" routes >"$tmp" 2>&1; then
	fail "porticoctl routes runs"
	diag "$(cat "$tmp")"
	finish
fi
pass "porticoctl routes runs"

# Drop a header line, if there is one; mark empty fields "-" so that
# read (for which a tab is blank space) cannot shift the columns.
routes=$(awk -F '\t' -v OFS='\t' 'NR == 1 && tolower($3) == "path" { next }
    NF > 0 { for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print }' "$tmp")
if [ -z "$routes" ]; then
	fail "porticoctl routes lists at least one route"
	finish
fi
bad=$(printf '%s\n' "$routes" | awk -F '\t' 'NF != 7 { print "line " NR ": " $0 }')
check "every line has 7 tab-separated fields" "$bad"

tests=$(ls "$SRC"/tests/integration/*.py 2>/dev/null)

# Turns a route pattern into an ERE matching how a test writes the path:
# after a quote or an f-string brace, and followed by a quote, '?' or '#'.
path_re() {
	printf '%s\n' "$1" | sed -e 's/[].[\\*^$+?(){}|]/\\&/g' \
	    -e 's/\\{[A-Za-z0-9_]*\\}/[^\/"'"'"'?# ]+/g' |
	    awk '{ printf "[\"'"'"'}]%s[\"'"'"'?#]\n", ($0 == "/" ? "/" : $0) }'
}

# A here-document, not a pipe, so that the counters survive the loop.
while IFS="	" read -r module methods path access flags xsl fields; do
	what="$module $methods $path"
	case $access in
	""|0|-|none|NONE)
		fail "$what: has an access policy (got '$access')" ;;
	*)	pass "$what: has an access policy ($access)" ;;
	esac
	if printf '%s' "$flags" | grep -qi 'raw'; then
		pass "$what: raw route, no stylesheet needed"
	elif [ -z "$xsl" ] || [ "$xsl" = "-" ]; then
		fail "$what: has a stylesheet"
	elif [ -f "$SRC/xslt/$xsl" ]; then
		pass "$what: xslt/$xsl exists"
	else
		fail "$what: xslt/$xsl exists"
	fi
	re=$(path_re "$path")
	# shellcheck disable=SC2086
	if [ -n "$tests" ] && grep -qE -e "$re" $tests; then
		pass "$what: requested by a tests/integration/*.py test"
	else
		fail "$what: requested by a tests/integration/*.py test"
		diag "no match for the pattern $re"
	fi
done <<EOF_ROUTES
$routes
EOF_ROUTES

finish
