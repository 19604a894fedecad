/*
 * arena.c - per-request region allocator with cleanups.
 *
 * Every byte a request needs comes from its arena and goes back in one
 * pt_arena_reset() when the response is written, so handlers never free
 * anything and a forgotten free cannot leak across requests.  Objects owned
 * by libraries (xmlDoc, MYSQL_STMT results, LDAPMessage, CURL handles) are
 * tied to the arena with pt_arena_cleanup() at the moment they are created.
 *
 * API: pt_arena_new, pt_arena_reset, pt_arena_free, pt_alloc, pt_strdup,
 * pt_strndup, pt_printf, pt_vprintf, pt_arena_cleanup, and the key/value
 * list helpers pt_kv_add and pt_kv_get, which allocate from an arena.
 *
 * Memory comes in chunks; a request that fits in the first chunk (16 KiB)
 * costs no malloc at all after the worker's first request, because reset
 * keeps that chunk.  Allocations larger than a quarter chunk get a chunk of
 * their own so that one large body does not waste a mostly-empty chunk.
 */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"

#define ARENA_CHUNK	(16 * 1024)
#define ARENA_ALIGN	(alignof(max_align_t))

struct chunk {
	struct chunk	*next;
	size_t		 size;	/* usable bytes after the header */
	size_t		 used;
	alignas(max_align_t) unsigned char data[];
};

struct cleanup {
	struct cleanup	*next;
	void		(*fn)(void *);
	void		*arg;
};

struct pt_arena {
	struct chunk	*head;		/* current chunk; the first is kept */
	struct chunk	*first;
	struct cleanup	*cleanups;	/* most recent first */
};

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL) {
		/* STYLE.md §4: the master respawns a worker that aborts. */
		fputs("portico: out of memory\n", stderr);
		abort();
	}
	return p;
}

static struct chunk *
chunk_new(size_t size)
{
	struct chunk	*c;

	c = xmalloc(sizeof(*c) + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

/* Returns a new arena; never NULL.  Free it with pt_arena_free(). */
struct pt_arena *
pt_arena_new(void)
{
	struct pt_arena	*a;

	a = xmalloc(sizeof(*a));
	a->first = a->head = chunk_new(ARENA_CHUNK);
	a->cleanups = NULL;
	return a;
}

static void
run_cleanups(struct pt_arena *a)
{
	struct cleanup	*c;

	/*
	 * A cleanup may register another (freeing a statement can log);
	 * take the list head each time rather than walking a stale copy.
	 */
	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

/*
 * Runs the cleanups, last registered first, and releases every chunk but
 * the first, which is kept for the next request.
 */
void
pt_arena_reset(struct pt_arena *a)
{
	struct chunk	*c, *next;

	run_cleanups(a);
	for (c = a->first->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->head = a->first;
}

/* Runs the cleanups and frees the arena itself. */
void
pt_arena_free(struct pt_arena *a)
{
	if (a == NULL)
		return;
	pt_arena_reset(a);
	free(a->first);
	free(a);
}

/*
 * Returns n zeroed bytes aligned for any type, owned by the arena; never
 * NULL (allocation failure aborts).
 */
void *
pt_alloc(struct pt_arena *a, size_t n)
{
	struct chunk	*c;
	size_t		 need;

	need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (need < n) {
		fputs("portico: arena request overflows\n", stderr);
		abort();
	}
	if (need == 0)
		need = ARENA_ALIGN;

	c = a->head;
	if (c->size - c->used < need) {
		/*
		 * Big blocks get their own chunk, linked behind the current
		 * one so that the current chunk's free space stays usable.
		 */
		if (need > ARENA_CHUNK / 4) {
			c = chunk_new(need);
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c = chunk_new(ARENA_CHUNK);
			c->next = a->head->next;
			a->head->next = c;
			a->head = c;
		}
	}
	c->used += need;
	return memset(c->data + c->used - need, 0, need);
}

/*
 * Returns an arena copy of s, at most n bytes of it (fewer if s ends
 * sooner), NUL-terminated.
 */
char *
pt_strndup(struct pt_arena *a, const char *s, size_t n)
{
	char	*p;

	n = strnlen(s, n);
	p = pt_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Returns an arena copy of s; NULL stays NULL. */
char *
pt_strdup(struct pt_arena *a, const char *s)
{
	return s == NULL ? NULL : pt_strndup(a, s, strlen(s));
}

/* Returns a formatted arena string. */
char *
pt_vprintf(struct pt_arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*p;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		fputs("portico: bad format string\n", stderr);
		abort();
	}
	p = pt_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

/* Returns a formatted arena string. */
char *
pt_printf(struct pt_arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = pt_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/* Registers fn(arg) to run when the arena is reset or freed. */
void
pt_arena_cleanup(struct pt_arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup	*c;

	c = pt_alloc(a, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

/*
 * Appends key=val to the list; the strings are not copied, so they must
 * live as long as the arena (parsers pass arena strings).
 */
void
pt_kv_add(struct pt_arena *a, struct pt_kvlist *l, const char *key,
    const char *val, size_t vlen)
{
	struct pt_kv	*nv;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		nv = pt_alloc(a, l->cap * sizeof(*nv));
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
	}
	l->v[l->n].key = key;
	l->v[l->n].val = val;
	l->v[l->n].vlen = vlen;
	l->n++;
}

/* Returns the first value stored under key, or NULL. */
const char *
pt_kv_get(const struct pt_kvlist *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}
