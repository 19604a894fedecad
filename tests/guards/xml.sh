#!/bin/sh
# xml.sh - guard: markup is made only through the XML tree, parsed safely,
# and never bypasses escaping in stylesheets.
#
# Fails when libxml2 calls that parse entity references in their text
# argument (xmlNewChild, xmlNodeSetContent, xmlNodeSetContentLen,
# xmlNewDocProp, xmlNewDocNode) are called outside fcgi/xml.c and
# fcgi/view.c; when the option-less parsers (xmlParseMemory, xmlParseFile,
# xmlParseDoc, xmlRecover*, xmlSAXParse*) or entity substitution are used
# anywhere; when a file that parses with xmlRead*/xmlCtxt* does not say
# XML_PARSE_NONET; when XML_PARSE_NOENT or XML_PARSE_DTDLOAD is switched
# on; and when a disable-output-escaping attribute appears in xslt/.  Run
# by make check.
. "$(dirname "$0")/tap-lib.sh"

files=$(c_sources)
[ -n "$files" ] || { fail "no C sources found under $SRC"; finish; }

# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])(xmlNewChild|xmlNodeSetContent|xmlNodeSetContentLen|xmlNewDocProp|xmlNewDocNode|xmlNewDocRawNode|xmlStringGetNodeList|xmlStringLenGetNodeList)[[:space:]]*\(' \
    $files | grep -vE '^fcgi/(xml|view)\.c:')
check "entity-parsing libxml2 calls only in fcgi/xml.c and fcgi/view.c" "$hits"

# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])(xmlParseMemory|xmlParseFile|xmlParseDoc|xmlRecoverMemory|xmlRecoverFile|xmlRecoverDoc|xmlSAXParseMemory|xmlSAXParseFile|xmlSAXParseDoc|htmlParseDoc|htmlParseFile)[[:space:]]*\(' \
    $files)
check "no option-less XML parser (use xmlReadMemory or xmlCtxtRead* with options)" "$hits"

# shellcheck disable=SC2086
hits=$(grep_files '(^|[^A-Za-z0-9_])(xmlSubstituteEntitiesDefault|xmlLoadExtDtdDefaultValue|xmlKeepBlanksDefault[[:space:]]*\([^0])' \
    $files | grep -E 'xmlSubstituteEntitiesDefault[[:space:]]*\([[:space:]]*[^0[:space:]]|xmlLoadExtDtdDefaultValue[[:space:]]*=[[:space:]]*[^0[:space:]]')
check "entity substitution and external DTD loading are never switched on globally" "$hits"

# XML_PARSE_NOENT / DTDLOAD may only appear where they are cleared: inside
# a "~(...)" expression, which may span lines, or in a comment.
srcs=$(printf '%s\n' "$files" | grep -vE '^tests/')
hits=$(cd "$SRC" && for f in $srcs; do
	awk -v file="$f" '
	{
		line = $0
		if (line ~ /~[ \t]*\(/)
			clearing = 1
		if (!clearing && line !~ /^[ \t]*(\/?\*|\/\/)/ &&
		    line ~ /XML_PARSE_(NOENT|DTDLOAD|DTDATTR|DTDVALID|XINCLUDE)/)
			printf "%s:%d: %s\n", file, NR, line
		if (clearing && line ~ /\)[ \t]*;/)
			clearing = 0
	}' "$f"
done)
check "XML_PARSE_NOENT/DTDLOAD/DTDATTR/XINCLUDE are only ever cleared" "$hits"

hits=$(cd "$SRC" && for f in $files; do
	case $f in tests/*) continue ;; esac
	if grep -qE '(^|[^A-Za-z0-9_])(xmlRead(Memory|File|Doc|Fd|IO)|xmlCtxtRead(Memory|File|Doc|Fd|IO)|xmlCtxtUseOptions)[[:space:]]*\(' "$f" &&
	    ! grep -q 'XML_PARSE_NONET' "$f"; then
		echo "$f: parses XML without XML_PARSE_NONET"
	fi
done)
check "every file that parses XML passes XML_PARSE_NONET" "$hits"

if [ -d "$SRC/xslt" ]; then
	hits=$(cd "$SRC" && grep -rniE 'disable-output-escaping[[:space:]]*=' xslt 2>/dev/null)
	check "no disable-output-escaping in xslt/" "$hits"
else
	fail "xslt/ exists"
fi

finish
