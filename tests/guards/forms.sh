#!/bin/sh
# forms.sh - guard: every POST form in xslt/ carries the CSRF token.
#
# Fails when xslt/common.xsl lacks the csrf-field template, or when a
# <form> whose method is post (any case, either quote) in any xslt/ file
# does not call <xsl:call-template name="csrf-field"/> before its
# </form>.  XML comments are ignored.  The core refuses a state-changing request without the token,
# so a form that forgets it is a form that never works.  Run by make check.
. "$(dirname "$0")/tap-lib.sh"

if [ ! -d "$SRC/xslt" ]; then
	fail "xslt/ exists"
	finish
fi

if grep -qE '<xsl:template[^>]+name="csrf-field"' "$SRC/xslt/common.xsl" 2>/dev/null; then
	pass "xslt/common.xsl defines the csrf-field template"
else
	fail "xslt/common.xsl defines the csrf-field template"
fi

files=$(cd "$SRC" && find xslt -type f -name '*.xsl' | LC_ALL=C sort)
nforms=0
for f in $files; do
	# One line per POST form: "LINE OK" or "LINE MISSING".
	res=$(awk '
	{ text = text $0 "\n" }
	END {
		low = tolower(text)
		# Blank out comments, keeping their newlines for line numbers.
		out = ""
		while ((i = index(low, "<!--")) > 0) {
			j = index(substr(low, i + 4), "-->")
			if (j == 0)
				j = length(low) - i - 3
			region = substr(low, i, j + 6)
			gsub(/[^\n]/, " ", region)
			out = out substr(low, 1, i - 1) region
			low = substr(low, i + j + 6)
		}
		low = out low
		text = low
		pos = 1
		while ((i = index(substr(low, pos), "<form")) > 0) {
			start = pos + i - 1
			rest = substr(low, start)
			c = substr(rest, 6, 1)
			pos = start + 5
			if (c != " " && c != "\t" && c != "\n" && c != ">")
				continue
			gt = index(rest, ">")
			if (gt == 0)
				break
			tag = substr(rest, 1, gt)
			if (tag !~ /method[ \t\n]*=[ \t\n]*["\047]post["\047]/)
				continue
			body = substr(rest, gt + 1)
			e = index(body, "</form")
			if (e > 0)
				body = substr(body, 1, e - 1)
			pre = substr(text, 1, start - 1)
			line = 1 + gsub(/\n/, "", pre)
			if (body ~ /<xsl:call-template[ \t\n]+name[ \t\n]*=[ \t\n]*["\047]csrf-field["\047]/)
				print line " OK"
			else
				print line " MISSING"
		}
	}' "$SRC/$f")
	[ -n "$res" ] || continue
	while read -r line state; do
		nforms=$((nforms + 1))
		if [ "$state" = OK ]; then
			pass "$f:$line: POST form calls csrf-field"
		else
			fail "$f:$line: POST form calls csrf-field"
		fi
	done <<EOF_RES
$res
EOF_RES
done
diag "$nforms POST forms checked"

finish
