/*
 * fuzz_multipart.c - libFuzzer target for the multipart/form-data parser
 * (pt_mp_*, fcgi/multipart.c) that uploads stream through.
 *
 * Input: the first byte picks a chunk size (1..256), the rest is a body
 * with the boundary "XyZ".  The body is parsed twice, whole and in chunks,
 * and the two transcripts (parts with their headers, data bytes, part
 * ends, the final state) must be identical: the parser must not depend on
 * where the network split its input.  Events must come in order (data
 * only inside a part, no event after END or BAD), every part must have a
 * UTF-8 name, and the data of a part can never be longer than the input.
 * Any violation aborts.
 *
 * Seeds: tests/fuzz/corpus/multipart/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct tr {
	char	*buf;
	size_t	 len, cap;
};

static void
put(struct tr *t, const char *s, size_t len)
{
	if (t->len + len + 1 > t->cap) {
		t->cap = (t->len + len + 1) * 2;
		if ((t->buf = realloc(t->buf, t->cap)) == NULL)
			abort();
	}
	memcpy(t->buf + t->len, s, len);
	t->len += len;
}

static void
parse(struct pt_arena *a, const char *body, size_t len, size_t chunk,
    struct tr *t)
{
	struct pt_mp		*mp = pt_mp_new(a, "XyZ");
	const struct pt_mp_part	*p;
	const char		*d;
	size_t			 dl, off = 0, n, data = 0;
	bool			 inpart = false;
	enum pt_mp_ev		 ev;

	for (;;) {
		ev = pt_mp_next(mp, &p, &d, &dl);
		switch (ev) {
		case PT_MP_NEED:
			if (off >= len) {
				put(t, "\0EOF", 4);
				return;
			}
			n = len - off < chunk ? len - off : chunk;
			pt_mp_input(mp, body + off, n);
			off += n;
			break;
		case PT_MP_PART:
			if (inpart || p == NULL || p->name == NULL ||
			    !pt_utf8_valid(p->name, strlen(p->name)) ||
			    (p->filename != NULL &&
			    !pt_utf8_valid(p->filename, strlen(p->filename))))
				abort();
			inpart = true;
			put(t, "\0P", 2);
			put(t, p->name, strlen(p->name) + 1);
			if (p->filename != NULL)
				put(t, p->filename, strlen(p->filename));
			put(t, "\0", 1);
			if (p->ctype != NULL)
				put(t, p->ctype, strlen(p->ctype));
			data = 0;
			break;
		case PT_MP_DATA:
			if (!inpart || d == NULL || dl == 0)
				abort();
			data += dl;
			if (data > len)
				abort();
			put(t, d, dl);
			break;
		case PT_MP_PART_END:
			if (!inpart)
				abort();
			inpart = false;
			put(t, "\0E", 2);
			break;
		case PT_MP_END:
			if (inpart || !pt_mp_done(mp))
				abort();
			if (pt_mp_next(mp, &p, &d, &dl) != PT_MP_END)
				abort();
			put(t, "\0END", 4);
			return;
		case PT_MP_BAD:
			if (pt_mp_next(mp, &p, &d, &dl) != PT_MP_BAD)
				abort();
			put(t, "\0BAD", 4);
			return;
		default:
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_arena	*a;
	struct tr		 whole = { 0 }, parts = { 0 };
	size_t			 chunk;
	char			*body;

	if (size < 1)
		return 0;
	if (a == NULL)
		a = pt_arena_new();
	chunk = (size_t)data[0] + 1;
	data++;
	size--;
	if ((body = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(body, data, size);
	parse(a, body, size, size ? size : 1, &whole);
	parse(a, body, size, chunk, &parts);
	if (whole.len != parts.len || memcmp(whole.buf, parts.buf,
	    whole.len) != 0)
		abort();
	free(whole.buf);
	free(parts.buf);
	free(body);
	pt_arena_reset(a);
	return 0;
}
