/*
 * filemeta.c - what may be said about an uploaded file: its name, made
 * safe for the database, the filesystem and a Content-Disposition header,
 * and its content type, decided from its bytes and its extension against
 * an allow-list (never from the client's Content-Type).
 *
 * API (collateral.h): pt_coll_filename, pt_coll_sniff,
 * pt_coll_disposition.  To accept another kind of file, add a row to
 * kinds[] with its magic bytes and extensions.
 */
#include <string.h>
#include <strings.h>

#include "portico.h"
#include "collateral.h"

char *
pt_coll_filename(struct pt_arena *a, const char *raw)
{
	const unsigned char	*s, *base;
	char			*out, *o, *dot, *res;
	size_t			 n, len, extlen;

	/* The last component of either kind of path. */
	base = (const unsigned char *)raw;
	for (s = base; *s != '\0'; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	o = out = pt_alloc(a, strlen((const char *)base) + 1);
	for (s = base; *s != '\0'; s += n) {
		n = pt_utf8_seq(s, strlen((const char *)s));
		if (n == 0) {
			n = 1;
			continue;		/* invalid UTF-8: dropped */
		}
		if (n == 1 && (*s < 0x20 || *s == 0x7f || *s == '"' ||
		    *s == '\'' || *s == ';' || *s == '%'))
			continue;
		/* Leading dots and spaces: no hidden files, no "..". */
		if (o == out && n == 1 && (*s == '.' || *s == ' '))
			continue;
		memcpy(o, s, n);
		o += n;
	}
	while (o > out && (o[-1] == ' ' || o[-1] == '.'))
		o--;
	*o = '\0';
	if (*out == '\0')
		return pt_strdup(a, "download");
	len = (size_t)(o - out);
	if (len <= PT_COLL_FILENAME_MAX)
		return out;
	/* Too long: shorten the stem at a character boundary, keep .ext. */
	dot = strrchr(out, '.');
	extlen = dot != NULL && strlen(dot) <= 16 ? strlen(dot) : 0;
	n = PT_COLL_FILENAME_MAX - extlen;
	while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80)
		n--;
	res = pt_alloc(a, n + extlen + 1);
	memcpy(res, out, n);
	if (extlen)
		memcpy(res + n, dot, extlen);
	res[n + extlen] = '\0';
	return res;
}

static const struct {
	const char	*ctype;
	const char	*exts;		/* ".a.b." */
	const char	*magic;
	size_t		 mlen;
	size_t		 off;
} kinds[] = {
	{ "application/pdf", ".pdf.", "%PDF-", 5, 0 },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation", ".pptx.", "PK\3\4", 4, 0 },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", ".docx.", "PK\3\4", 4, 0 },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet", ".xlsx.", "PK\3\4", 4, 0 },
	{ "image/png", ".png.", "\x89PNG\x0d\x0a\x1a\x0a", 8, 0 },
	{ "image/jpeg", ".jpg.jpeg.", "\xff\xd8\xff", 3, 0 },
	{ "video/mp4", ".mp4.m4v.", "ftyp", 4, 4 },
};

static bool
text_ok(const unsigned char *s, size_t len)
{
	size_t	 i = 0, n;

	while (i < len) {
		if (s[i] == 0 || (s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n' && s[i] != '\f'))
			return false;
		if ((n = pt_utf8_seq(s + i, len - i)) == 0)
			/* A character cut by the end of the sample is fine. */
			return len - i < 4 && s[i] >= 0xc2;
		i += n;
	}
	return true;
}

const char *
pt_coll_sniff(const unsigned char *head, size_t len, const char *name)
{
	const char	*dot = strrchr(name, '.');
	char		 ext[20];
	size_t		 i, n;

	if (dot == NULL || (n = strlen(dot)) > 16)
		return NULL;
	for (i = 0; i < n; i++)
		ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] + 32 :
		    dot[i]);
	ext[n] = '.';
	ext[n + 1] = '\0';
	for (i = 0; i < PT_NELEM(kinds); i++) {
		if (strstr(kinds[i].exts, ext) == NULL)
			continue;
		if (len >= kinds[i].off + kinds[i].mlen &&
		    memcmp(head + kinds[i].off, kinds[i].magic,
		    kinds[i].mlen) == 0)
			return kinds[i].ctype;
		return NULL;
	}
	if (strcmp(ext, ".txt.") == 0 && len > 0 && text_ok(head, len))
		return "text/plain; charset=utf-8";
	return NULL;
}

char *
pt_coll_disposition(struct pt_arena *a, const char *name)
{
	char		*ascii, *o;
	const char	*s;

	o = ascii = pt_alloc(a, strlen(name) + 1);
	for (s = name; *s != '\0'; s++)
		*o++ = (unsigned char)*s < 0x80 && *s != '"' && *s != '\\' &&
		    (unsigned char)*s >= 0x20 ? *s : '_';
	*o = '\0';
	return pt_printf(a, "attachment; filename=\"%s\"; "
	    "filename*=UTF-8''%s", ascii, pt_url_encode(a, name, ""));
}
