/*
 * mail_test.c - the pure parts of modules/mail.c: header value and address
 * checks (header injection refused), RFC 2047 names and subjects, template
 * output splitting, and message building (CRLF endings, a dot-only line
 * left for libcurl to escape, long lines made quoted-printable).
 */
#include <stdlib.h>
#include <string.h>

#include "portico.h"
#include "../modules/mail.h"
#include "tap.h"

static bool
has_bare_lf(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return true;
	return false;
}

int
main(void)
{
	struct pt_config cfg;
	struct pt_arena *a = pt_arena_new();
	const char *subj, *body;
	char *m, *e, longline[2100];
	size_t len, maxline, cur, i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.mail_from_address = "portal@example.com";
	cfg.mail_from_name = "Portico";

	/* Header values. */
	ok(pt_mail_header_ok("Hello world"), "plain subject accepted");
	ok(pt_mail_header_ok("Grüße"), "UTF-8 subject accepted");
	ok(!pt_mail_header_ok("Hi\r\nBcc: x@y.z"), "CRLF refused");
	ok(!pt_mail_header_ok("Hi\nBcc: x@y.z"), "LF refused");
	ok(!pt_mail_header_ok("Hi\rBcc: x@y.z"), "CR refused");
	ok(!pt_mail_header_ok("Hi\tthere\x01"), "control character refused");
	ok(!pt_mail_header_ok("\xff\xfe"), "invalid UTF-8 refused");

	/* Addresses. */
	ok(pt_mail_addr_ok("anne.b+x@mail.example.com"), "address accepted");
	ok(!pt_mail_addr_ok("anne@example.com\r\nRCPT TO:<x@y>"),
	    "address with CRLF refused");
	ok(!pt_mail_addr_ok("<anne@example.com>"), "angle brackets refused");
	ok(!pt_mail_addr_ok("anne@@example.com"), "two @ refused");
	ok(!pt_mail_addr_ok("a b@example.com"), "blank refused");
	ok(!pt_mail_addr_ok("anne@"), "no domain refused");
	ok(!pt_mail_addr_ok(".anne@example.com"), "leading dot refused");

	/* Phrases. */
	is_str(pt_mail_encode_phrase(a, "Anne Smith", true), "Anne Smith",
	    "ASCII atoms as they are");
	is_str(pt_mail_encode_phrase(a, "Smith, \"Anne\"", true),
	    "\"Smith, \\\"Anne\\\"\"", "specials quoted");
	is_str(pt_mail_encode_phrase(a, "Zoë", true), "=?UTF-8?B?Wm/Dqw==?=",
	    "non-ASCII as an RFC 2047 word");
	m = pt_mail_encode_phrase(a, "ééééééééééééééééééééééééééééééééééééééé"
	    "éééééééééééé", false);
	ok(strchr(m, '\n') != NULL && strncmp(m, "=?UTF-8?B?", 10) == 0,
	    "long non-ASCII text folded into several words");
	for (e = m, cur = 0, maxline = 0; *e != '\0'; e++) {
		cur = *e == '\n' ? 0 : cur + 1;
		if (cur > maxline)
			maxline = cur;
	}
	ok(maxline <= 76, "encoded words fit a header line (%zu)", maxline);

	/* Template output. */
	ok(pt_mail_split(a, "Subject: Hi there \n\nBody\n", 25, &subj,
	    &body) == PT_OK, "split ok");
	is_str(subj, "Hi there", "subject trimmed");
	is_str(body, "Body\n", "body after the empty line");
	ok(pt_mail_split(a, "Subject: Hi\nBcc: x\n\nBody", 24, &subj,
	    &body) == PT_ERR, "a subject continued on a second line refused");
	ok(pt_mail_split(a, "Hi\n\nBody", 8, &subj, &body) == PT_ERR,
	    "no Subject line refused");

	/* Building. */
	m = pt_mail_build(a, &cfg, "anne@example.com", "Zoë", "Grüße",
	    "line one\n.\n..two\nend", "<1@example.com>",
	    "Mon, 23 Nov 2026 01:46:25 +0000", &len);
	ok(m != NULL, "message built");
	ok(!has_bare_lf(m, len), "only CRLF line endings");
	ok(strstr(m, "\r\n\r\nline one\r\n.\r\n..two\r\nend\r\n") != NULL,
	    "body unstuffed (libcurl escapes dots), dot-only line kept");
	ok(strstr(m, "To: =?UTF-8?B?Wm/Dqw==?= <anne@example.com>\r\n") != NULL,
	    "To encoded");
	ok(strstr(m, "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n") != NULL,
	    "Subject encoded");
	ok(strstr(m, "Content-Transfer-Encoding: 8bit\r\n") != NULL,
	    "short lines: 8bit");
	ok(pt_mail_build(a, &cfg, "anne@example.com", "A\r\nBcc: x@y.z", "S",
	    "b", "<1@example.com>", "d", &len) == NULL,
	    "CRLF in a name refused by the builder");
	ok(pt_mail_build(a, &cfg, "anne@example.com", "", "S\nX", "b",
	    "<1@example.com>", "d", &len) == NULL,
	    "LF in a subject refused by the builder");

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	longline[5] = '=';
	m = pt_mail_build(a, &cfg, "anne@example.com", "", "S", longline,
	    "<1@example.com>", "d", &len);
	ok(m != NULL && strstr(m, "quoted-printable") != NULL,
	    "a 2099-byte line makes the body quoted-printable");
	for (i = 0, cur = 0, maxline = 0; m != NULL && i < len; i++) {
		cur = m[i] == '\n' ? 0 : cur + 1;
		if (cur > maxline)
			maxline = cur;
	}
	ok(maxline <= 77, "no line longer than 76 characters + CR (%zu)",
	    maxline);
	ok(m != NULL && strstr(m, "xxxxx=3Dxx") != NULL, "'=' encoded");

	pt_arena_free(a);
	return done();
}
