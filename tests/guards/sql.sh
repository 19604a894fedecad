#!/bin/sh
# sql.sh - guard: SQL reaches MariaDB only through prepared statements.
#
# Fails when mysql_query, mysql_real_query or mysql_send_query (which take
# SQL text, so invite string building) are called outside fcgi/db.c and
# fcgi/migrate.c, when mysql_stmt_prepare is called outside them, or when a
# string literal starting with SELECT, INSERT, UPDATE, DELETE or REPLACE
# appears outside a `static const char *const stmts[...]` table (where the
# DB layer caches each statement by its pointer).  Run by make check.
. "$(dirname "$0")/tap-lib.sh"

allowed='^(fcgi/db\.c|fcgi/migrate\.c):'
files=$(c_sources)
[ -n "$files" ] || { fail "no C sources found under $SRC"; finish; }

# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])mysql_(real_|send_)?query[[:space:]]*\(' \
    $files | grep -vE "$allowed")
check "mysql_query/mysql_real_query/mysql_send_query only in fcgi/db.c and fcgi/migrate.c" "$hits"

# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])mysql_stmt_prepare[[:space:]]*\(' \
    $files | grep -vE "$allowed")
check "mysql_stmt_prepare only in fcgi/db.c and fcgi/migrate.c" "$hits"

# SQL literals outside a stmts[] table, in every C file but the DB layer
# and the tests (which may hold SQL as data to check).
sqlfiles=$(printf '%s\n' "$files" | grep -E '^(fcgi|modules|ctl)/.*\.c$' |
    grep -vE '^fcgi/(db|migrate)\.c$')
hits=$(cd "$SRC" && for f in $sqlfiles; do
	awk -v file="$f" '
	/static[ \t]+const[ \t]+char[ \t]*\*[ \t]*const[ \t]+stmts[ \t]*\[/ {
		intable = 1
	}
	{
		line = $0
		if (!intable) {
			l = tolower(line)
			if (line ~ /"[ \t]*(SELECT|INSERT|UPDATE|DELETE|REPLACE)[ \t]/ ||
			    l ~ /"[ \t]*(insert[ \t]+into|delete[ \t]+from|replace[ \t]+into)[ \t]/ ||
			    l ~ /"[ \t]*select[ \t][^"]*[ \t]from[ \t]/ ||
			    l ~ /"[ \t]*update[ \t]+[a-z_`]+[ \t]+set[ \t]/)
				printf "%s:%d: %s\n", file, NR, line
		}
		if (intable && line ~ /^[ \t]*}[ \t]*;/)
			intable = 0
	}' "$f"
done)
check "SQL string literals only in static const char *const stmts[] tables" "$hits"

# Each module with SQL must have such a table (one per file is the rule).
hits=$(cd "$SRC" && for f in $sqlfiles; do
	if grep -q 'pt_db_stmt[[:space:]]*(' "$f" &&
	    ! grep -qE 'static[[:space:]]+const[[:space:]]+char[[:space:]]*\*[[:space:]]*const[[:space:]]+stmts[[:space:]]*\[' "$f"; then
		echo "$f: calls pt_db_stmt without a stmts[] table"
	fi
done)
check "every file that prepares statements keeps them in stmts[]" "$hits"

# pt_db_stmt must get a table entry, never a built string.
# shellcheck disable=SC2086
hits=$(cd "$SRC" && grep -HnE 'pt_db_stmt[[:space:]]*\([^;]*(pt_printf|snprintf|sprintf|"[^"]*")' \
    $sqlfiles 2>/dev/null)
check "pt_db_stmt is passed stmts[...] entries, not built or literal strings" "$hits"

finish
