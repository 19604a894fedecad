/*
 * arena_test.c - unit tests for the per-request arena (fcgi/arena.c).
 *
 * Checks what portico.h promises: allocations are zero-filled and aligned
 * for any type, large allocations work and are independent, cleanups run
 * last-registered-first on reset and on free, and the string helpers copy
 * and format into the arena.  Run under ASan (configure
 * --enable-sanitizers) this also catches leaks and overruns.
 *
 * To add a case, write a static function below and call it from main().
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "portico.h"
#include "tap.h"

static char	 order[64];
static size_t	 norder;

static void
record(void *arg)
{
	if (norder < sizeof(order) - 1)
		order[norder++] = *(const char *)arg;
	order[norder] = '\0';
}

static void
alloc_alignment(void)
{
	struct pt_arena	*a = pt_arena_new();
	size_t		 sizes[] = { 1, 3, 7, 8, 13, 16, 17, 31, 100, 1000 };
	size_t		 i, j;
	int		 aligned = 1, zeroed = 1;

	ok(a != NULL, "pt_arena_new returns an arena");
	for (j = 0; j < 4; j++) {
		for (i = 0; i < PT_NELEM(sizes); i++) {
			unsigned char *p = pt_alloc(a, sizes[i]);
			size_t k;

			if (p == NULL || (uintptr_t)p % alignof(max_align_t)) {
				aligned = 0;
				diag("pt_alloc(%zu) = %p", sizes[i], (void *)p);
			}
			if (p == NULL)
				continue;
			for (k = 0; k < sizes[i]; k++)
				if (p[k] != 0)
					zeroed = 0;
			/* Dirty it so a reused chunk shows up as non-zero. */
			memset(p, 0xa5, sizes[i]);
		}
	}
	ok(aligned, "every pt_alloc result is aligned for max_align_t");
	ok(zeroed, "every pt_alloc result is zero-filled");

	/* After a reset the recycled first chunk must come back zeroed. */
	pt_arena_reset(a);
	zeroed = 1;
	for (i = 0; i < 64; i++) {
		unsigned char *p = pt_alloc(a, 64);
		size_t k;

		for (k = 0; k < 64; k++)
			if (p[k] != 0)
				zeroed = 0;
		memset(p, 0x5a, 64);
	}
	ok(zeroed, "allocations after pt_arena_reset are zero-filled");
	pt_arena_free(a);
}

static void
alloc_distinct(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		*p[200];
	size_t		 i;
	int		 intact = 1;

	for (i = 0; i < PT_NELEM(p); i++) {
		p[i] = pt_alloc(a, 24);
		memset(p[i], (int)(i & 0xff), 24);
	}
	for (i = 0; i < PT_NELEM(p); i++) {
		size_t k;

		for (k = 0; k < 24; k++)
			if ((unsigned char)p[i][k] != (i & 0xff))
				intact = 0;
	}
	ok(intact, "200 small allocations do not overlap");
	pt_arena_free(a);
}

static void
alloc_large(void)
{
	struct pt_arena	*a = pt_arena_new();
	size_t		 big = 8u * 1024 * 1024;
	unsigned char	*p, *q, *s;
	size_t		 i;
	int		 zeroed = 1, intact = 1;

	s = pt_alloc(a, 16);
	memset(s, 0x11, 16);
	p = pt_alloc(a, big);
	ok(p != NULL, "an 8 MiB allocation succeeds");
	for (i = 0; i < big; i += 4093)
		if (p[i] != 0)
			zeroed = 0;
	ok(zeroed && p[big - 1] == 0, "the large allocation is zero-filled");
	ok((uintptr_t)p % alignof(max_align_t) == 0,
	    "the large allocation is aligned");
	memset(p, 0x77, big);
	q = pt_alloc(a, big + 1);
	memset(q, 0x33, big + 1);
	for (i = 0; i < big; i += 4093)
		if (p[i] != 0x77)
			intact = 0;
	for (i = 0; i < 16; i++)
		if (s[i] != 0x11)
			intact = 0;
	ok(intact && p[big - 1] == 0x77,
	    "a second large allocation does not overlap the first or the small one");
	/* Large blocks must be released by a reset and work again after it. */
	pt_arena_reset(a);
	p = pt_alloc(a, big);
	ok(p != NULL && p[0] == 0 && p[big - 1] == 0,
	    "a large allocation after reset is zero-filled");
	p = pt_alloc(a, 0);
	ok(p != NULL, "pt_alloc(0) returns a pointer, not NULL");
	pt_arena_free(a);
}

static void
cleanups(void)
{
	struct pt_arena	*a = pt_arena_new();
	static char	 A = 'a', B = 'b', C = 'c', D = 'd', E = 'e';

	norder = 0;
	order[0] = '\0';
	pt_arena_cleanup(a, record, &A);
	pt_arena_cleanup(a, record, &B);
	(void)pt_alloc(a, 100000);	/* cleanups must survive a new chunk */
	pt_arena_cleanup(a, record, &C);
	is_str(order, "", "no cleanup runs before reset");
	pt_arena_reset(a);
	is_str(order, "cba", "reset runs cleanups in reverse order");
	pt_arena_reset(a);
	is_str(order, "cba", "a second reset does not run them again");

	pt_arena_cleanup(a, record, &D);
	pt_arena_cleanup(a, record, &E);
	pt_arena_free(a);
	is_str(order, "cbaed", "free runs the remaining cleanups in reverse order");
}

static void
strings(void)
{
	struct pt_arena	*a = pt_arena_new();
	char		 src[] = "hello, world";
	char		*s, *t, *big;
	size_t		 i;

	s = pt_strdup(a, src);
	is_str(s, "hello, world", "pt_strdup copies");
	ok(s != src, "pt_strdup returns a new pointer");
	src[0] = 'J';
	is_str(s, "hello, world", "the copy does not alias the source");

	t = pt_strndup(a, "abcdef", 3);
	is_str(t, "abc", "pt_strndup copies n bytes and terminates");
	t = pt_strndup(a, "ab", 10);
	is_str(t, "ab", "pt_strndup stops at the NUL");
	t = pt_strdup(a, "");
	is_str(t, "", "pt_strdup of an empty string");

	s = pt_printf(a, "%s-%d-%05.1f-%c", "x", -42, 3.14159, 'z');
	is_str(s, "x--42-003.1-z", "pt_printf formats");
	big = pt_alloc(a, 20001);
	for (i = 0; i < 20000; i++)
		big[i] = (char)('a' + i % 26);
	s = pt_printf(a, "[%s]", big);
	ok(s != NULL && strlen(s) == 20002 && s[0] == '[' && s[20001] == ']' &&
	    memcmp(s + 1, big, 20000) == 0,
	    "pt_printf handles output longer than any small buffer");
	s = pt_printf(a, "%s", "");
	is_str(s, "", "pt_printf of an empty result");
	pt_arena_free(a);
}

static void
kvlist(void)
{
	struct pt_arena	*a = pt_arena_new();
	struct pt_kvlist l;
	size_t		 i;
	char		 k[16];
	int		 good = 1;

	memset(&l, 0, sizeof(l));
	ok(pt_kv_get(&l, "x") == NULL, "pt_kv_get on an empty list is NULL");
	pt_kv_add(a, &l, "x", "1", 1);
	pt_kv_add(a, &l, "y", "22", 2);
	pt_kv_add(a, &l, "x", "3", 1);
	is_int(l.n, 3, "pt_kv_add appends");
	is_str(pt_kv_get(&l, "x"), "1", "pt_kv_get returns the first value");
	is_str(pt_kv_get(&l, "y"), "22", "pt_kv_get finds a later key");
	ok(pt_kv_get(&l, "z") == NULL, "pt_kv_get of a missing key is NULL");
	for (i = 0; i < 1000; i++) {
		/* Whether pt_kv_add copies is not promised: pass arena copies. */
		snprintf(k, sizeof(k), "k%zu", i);
		pt_kv_add(a, &l, pt_strdup(a, k), pt_strdup(a, k), strlen(k));
	}
	for (i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "k%zu", i);
		if (l.v[i + 3].key == NULL || strcmp(l.v[i + 3].key, k) != 0 ||
		    strcmp(l.v[i + 3].val, k) != 0 || l.v[i + 3].vlen != strlen(k))
			good = 0;
	}
	ok(good && l.n == 1003, "the list grows and keeps order");
	pt_arena_free(a);
}

int
main(void)
{
	alloc_alignment();
	alloc_distinct();
	alloc_large();
	cleanups();
	strings();
	kvlist();
	return done();
}
