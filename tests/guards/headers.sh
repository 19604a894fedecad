#!/bin/sh
# headers.sh - guard: one response writer, one header path.
#
# Fails when the libfcgi output calls (FCGX_PutS, FCGX_PutStr,
# FCGX_FPrintF, FCGX_VFPrintF, FCGX_PutChar) appear outside fcgi/server.c
# and fcgi/dispatch.c (bench/'s bare hello program aside); when code outside fcgi/response.c and
# fcgi/dispatch.c touches a request's header list directly (bypassing
# pt_resp_header and its CR/LF check); and when a module or the CLI holds
# a "\r\n" literal (a sign of hand-made headers).  Run by make check.
. "$(dirname "$0")/tap-lib.sh"

files=$(c_sources)
[ -n "$files" ] || { fail "no C sources found under $SRC"; finish; }

# bench/ holds a bare libfcgi program to compare against; it is not Portico.
srcs=$(printf '%s\n' "$files" | grep -E '^(fcgi|modules|ctl)/')
# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])FCGX_(PutS|PutStr|FPrintF|VFPrintF|PutChar)[[:space:]]*\(' \
    $srcs | grep -vE '^fcgi/(server|dispatch)\.c:')
check "FCGX output calls only in fcgi/server.c and fcgi/dispatch.c" "$hits"

# shellcheck disable=SC2086
hits=$(grep_files '(->|\.)headers([^A-Za-z0-9_]|$)' $srcs |
    grep -vE '^fcgi/(response|dispatch)\.c:' |
    grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)')
check "only fcgi/response.c and fcgi/dispatch.c touch the response header list" "$hits"

# modules/mail.c is the one exception: an SMTP message is CR LF delimited by
# definition, and every value it puts in a header has passed
# pt_mail_header_ok() (tests/unit/mail_test.c).
mods=$(printf '%s\n' "$files" | grep -E '^(modules|ctl)/' |
    grep -vE '^modules/mail\.c$')
# shellcheck disable=SC2086
hits=$(grep_files '\\r\\n' $mods)
check "no CRLF literals in modules/ or ctl/ (but the mail builder)" "$hits"

finish
