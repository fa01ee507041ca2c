/* arena.h - memory freed all at once: an arena hands out allocations and
 * takes over malloc'd ones (arena_adopt), and arena_release frees them all
 * together. For a piece of work whose many strings share one lifetime (the
 * results of one job: jobs/pipeline.h), so that no single one needs a free
 * path of its own.
 *
 * Allocations come from blocks of ARENA_BLOCK bytes (a larger one gets a
 * block of its own) and are aligned for any type. Nothing is freed before
 * arena_release. Running out of memory is an error the caller handles:
 * NULL, or RA_ERR_NOMEM, and the arena is as it was.
 *
 * THREAD SAFETY: none; an arena belongs to one thread at a time. */
#ifndef RAPORTAI_CORE_ARENA_H
#define RAPORTAI_CORE_ARENA_H

#include <stddef.h>

#define ARENA_BLOCK 4096

typedef struct arena_block arena_block;
typedef struct arena_adopted arena_adopted;

typedef struct arena {
    arena_block *blocks;    /* private: newest first */
    arena_adopted *adopted; /* private: what arena_adopt took over */
} arena;

/* Prepares an empty arena (also what a zeroed struct is). Cannot fail. */
void arena_init(arena *a);
/* Frees every allocation and every adopted pointer; the arena is empty
 * afterwards and may be used again. NULL a is ignored. */
void arena_release(arena *a);

/* True when the arena holds nothing: no allocation and nothing adopted
 * since it was prepared or released. Cannot fail. */
int arena_is_empty(const arena *a);

/* n bytes (n of 0 counts as 1), uninitialised; NULL when memory ran out. */
void *arena_alloc(arena *a, size_t n);
/* A copy of s in the arena; NULL when memory ran out, and for NULL s. */
char *arena_strdup(arena *a, const char *s);

/* Takes over p (from malloc; may be NULL, which is RA_OK and nothing
 * happens): arena_release frees it. Returns RA_OK, or RA_ERR_NOMEM after
 * freeing p itself, so that p is never leaked and never freed twice:
 * after the call the caller no longer owns p, whatever the result. */
int arena_adopt(arena *a, void *p);

#endif
