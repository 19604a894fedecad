/*
 * collateral_files_test.c - unit tests for what the collateral library
 * keeps and says about an uploaded file (modules/collateral/filemeta.c):
 * the sanitised file name, the content type sniffed against the
 * allow-list, and the Content-Disposition value.  To add a case, add a
 * row to names[] or types[].
 */
#include <string.h>

#include "portico.h"
#include "../../modules/collateral/collateral.h"
#include "tap.h"

static const struct {
	const char	*raw, *want;
} names[] = {
	{ "deck.pdf", "deck.pdf" },
	{ "../../etc/passwd", "passwd" },
	{ "C:\\Users\\x\\deck.pptx", "deck.pptx" },
	{ "a\r\nX-Accel-Redirect: /other.pdf", "other.pdf" },
	{ "a\r\nX-Accel-Redirect: other.pdf", "aX-Accel-Redirect: other.pdf" },
	{ "\"quoted\"; name=x.pdf", "quoted name=x.pdf" },
	{ "...hidden.pdf", "hidden.pdf" },
	{ "..", "download" },
	{ "", "download" },
	{ "a%0D%0Ab.pdf", "a0D0Ab.pdf" },
	{ "Pr\xc3\xa4sentation \xe2\x80\x93 \xc3\x9c" "berblick.pdf",
	    "Pr\xc3\xa4sentation \xe2\x80\x93 \xc3\x9c" "berblick.pdf" },
	{ "bad\xff\xfeutf8.pdf", "badutf8.pdf" },
	{ "tab\there.txt", "tabhere.txt" },
	{ "trailing dots. . .", "trailing dots" },
};

static const struct {
	const char	*head;
	size_t		 len;
	const char	*name, *want;
} types[] = {
	{ "%PDF-1.7\n", 9, "a.pdf", "application/pdf" },
	{ "%PDF-1.7\n", 9, "a.PDF", "application/pdf" },
	{ "%PDF-1.7\n", 9, "a.txt", "text/plain; charset=utf-8" },
	{ "<html>", 6, "a.pdf", NULL },
	{ "<html>", 6, "a.html", NULL },
	{ "PK\3\4xx", 6, "a.pptx", "application/vnd.openxmlformats-"
	    "officedocument.presentationml.presentation" },
	{ "PK\3\4xx", 6, "a.docx", "application/vnd.openxmlformats-"
	    "officedocument.wordprocessingml.document" },
	{ "PK\3\4xx", 6, "a.xlsx", "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet" },
	{ "PK\3\4xx", 6, "a.zip", NULL },
	{ "PK\3\4xx", 6, "a.pdf", NULL },
	{ "\x89PNG\x0d\x0a\x1a\x0a", 8, "a.png", "image/png" },
	{ "\xff\xd8\xff\xe0", 4, "a.jpg", "image/jpeg" },
	{ "\xff\xd8\xff\xe0", 4, "a.jpeg", "image/jpeg" },
	{ "\0\0\0\x18" "ftypmp42", 12, "a.mp4", "video/mp4" },
	{ "\0\0\0\x18" "ftypmp42", 12, "a.txt", NULL },
	{ "plain \xc3\xa9t\xc3\xa9\n", 12, "a.txt",
	    "text/plain; charset=utf-8" },
	{ "cut \xc3", 5, "a.txt", "text/plain; charset=utf-8" },
	{ "nul\0byte", 8, "a.txt", NULL },
	{ "%PDF-", 5, "noext", NULL },
	{ "", 0, "a.txt", NULL },
};

int
main(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		 long_name[700], *got;
	size_t		 i;

	for (i = 0; i < PT_NELEM(names); i++)
		is_str(pt_coll_filename(a, names[i].raw), names[i].want,
		    "file name %zu", i);

	/* 500 bytes: shortened to the limit, the extension kept. */
	memset(long_name, 'x', 500);
	strcpy(long_name + 500, ".pdf");
	got = pt_coll_filename(a, long_name);
	is_int(strlen(got), PT_COLL_FILENAME_MAX, "long name: %d bytes",
	    PT_COLL_FILENAME_MAX);
	ok(strcmp(got + strlen(got) - 4, ".pdf") == 0, "long name keeps .pdf");
	/* Multi-byte characters are not cut in half. */
	for (i = 0; i < 290; i++)
		memcpy(long_name + 2 * i, "\xc3\xa9", 2);
	strcpy(long_name + 580, ".pdf");
	got = pt_coll_filename(a, long_name);
	ok(strlen(got) <= PT_COLL_FILENAME_MAX &&
	    pt_utf8_valid(got, strlen(got)), "long UTF-8 name stays UTF-8");

	for (i = 0; i < PT_NELEM(types); i++)
		is_str(pt_coll_sniff((const unsigned char *)types[i].head,
		    types[i].len, types[i].name), types[i].want,
		    "type of %s (%zu)", types[i].name, i);

	is_str(pt_coll_disposition(a, "deck.pdf"), "attachment; "
	    "filename=\"deck.pdf\"; filename*=UTF-8''deck.pdf", "disposition");
	is_str(pt_coll_disposition(a, "\xc3\xbc ber.pdf"), "attachment; "
	    "filename=\"__ ber.pdf\"; filename*=UTF-8''%C3%BC%20ber.pdf",
	    "disposition, UTF-8");
	ok(pt_header_value_ok(pt_coll_disposition(a,
	    pt_coll_filename(a, "a\r\nb\"c\\d.pdf"))), "header-safe");
	pt_arena_free(a);
	return done();
}
