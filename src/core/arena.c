/* arena.c - memory freed all at once (see arena.h): a list of blocks that
 * are carved up in order, and a list of the malloc'd pointers taken over,
 * whose nodes live in the blocks themselves. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

struct arena_block {
    arena_block *next;
    size_t used, size; /* bytes of data[] handed out, and in all */
    alignas(max_align_t) unsigned char data[];
};

struct arena_adopted {
    arena_adopted *next;
    void *p;
};

void arena_init(arena *a)
{
    a->blocks = NULL;
    a->adopted = NULL;
}

void arena_release(arena *a)
{
    if (a == NULL)
        return;
    for (arena_adopted *d = a->adopted; d != NULL; d = d->next)
        free(d->p);
    for (arena_block *b = a->blocks, *next; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    arena_init(a);
}

int arena_is_empty(const arena *a)
{
    return a->blocks == NULL && a->adopted == NULL;
}

void *arena_alloc(arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - align - sizeof(arena_block))
        return NULL;
    n = (n + align - 1) / align * align;
    arena_block *b = a->blocks;
    if (b == NULL || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        arena_block *fresh = malloc(sizeof *fresh + size);
        if (fresh == NULL)
            return NULL;
        fresh->used = 0;
        fresh->size = size;
        /* a block of its own for a large allocation goes behind the one
           being carved, which keeps its room */
        if (b != NULL && n > ARENA_BLOCK) {
            fresh->next = b->next;
            b->next = fresh;
        } else {
            fresh->next = b;
            a->blocks = fresh;
        }
        b = fresh;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = arena_alloc(a, n);
    if (c != NULL)
        memcpy(c, s, n);
    return c;
}

int arena_adopt(arena *a, void *p)
{
    if (p == NULL)
        return RA_OK;
    arena_adopted *d = arena_alloc(a, sizeof *d);
    if (d == NULL) {
        free(p);
        return RA_ERR_NOMEM;
    }
    d->p = p;
    d->next = a->adopted;
    a->adopted = d;
    return RA_OK;
}
