/* test_arena.c - unit tests for src/core/arena.c: allocations across
 * blocks keep their contents and alignment, large ones get a block of
 * their own, adopted pointers are freed with the arena (LeakSanitizer
 * would find one that is not), a request too large for memory is refused
 * and changes nothing, and a released arena is used again. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"

Test(arena, strings_across_many_blocks_keep_their_contents_and_alignment)
{
    arena a;
    arena_init(&a);
    char *kept[2000];
    for (int i = 0; i < 2000; i++) {
        char text[32];
        snprintf(text, sizeof text, "string number %d", i);
        kept[i] = arena_strdup(&a, text);
        cr_assert_not_null(kept[i]);
        cr_assert_eq((uintptr_t)kept[i] % alignof(max_align_t), 0);
    }
    for (int i = 0; i < 2000; i++) {
        char text[32];
        snprintf(text, sizeof text, "string number %d", i);
        cr_assert_str_eq(kept[i], text);
    }
    arena_release(&a);
}

Test(arena, a_large_allocation_gets_a_block_of_its_own)
{
    arena a;
    arena_init(&a);
    char *small = arena_strdup(&a, "before");
    char *large = arena_alloc(&a, 3 * ARENA_BLOCK);
    cr_assert_not_null(large);
    memset(large, 'x', 3 * ARENA_BLOCK);
    char *after = arena_strdup(&a, "after");
    cr_assert_str_eq(small, "before");
    cr_assert_str_eq(after, "after");
    cr_assert(after < large || after >= large + 3 * ARENA_BLOCK, "not inside the large one");
    cr_assert_eq(large[3 * ARENA_BLOCK - 1], 'x');
    arena_release(&a);
}

Test(arena, adopted_pointers_are_freed_with_the_arena)
{
    arena a;
    arena_init(&a);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(arena_adopt(&a, strdup("taken over")), RA_OK);
    cr_assert_eq(arena_adopt(&a, NULL), RA_OK);
    cr_assert_not(arena_is_empty(&a));
    arena_release(&a);
    cr_assert(arena_is_empty(&a));
    arena_release(&a); /* twice is harmless */
    arena_release(NULL);
}

Test(arena, a_request_too_large_is_refused_and_changes_nothing)
{
    arena a;
    arena_init(&a);
    char *s = arena_strdup(&a, "kept");
    cr_assert_null(arena_alloc(&a, SIZE_MAX));
    cr_assert_null(arena_alloc(&a, SIZE_MAX - 8));
    cr_assert_null(arena_strdup(&a, NULL));
    cr_assert_str_eq(s, "kept");
    char *one = arena_alloc(&a, 0), *two = arena_alloc(&a, 0);
    cr_assert(one != NULL && two != NULL && one != two);
    arena_release(&a);
}

Test(arena, a_released_arena_is_used_again)
{
    arena a = {0};
    cr_assert(arena_is_empty(&a));
    cr_assert_not_null(arena_strdup(&a, "first life"));
    cr_assert_not(arena_is_empty(&a));
    cr_assert_eq(arena_adopt(&a, malloc(10)), RA_OK);
    arena_release(&a);
    cr_assert(arena_is_empty(&a));
    char *s = arena_strdup(&a, "second life");
    cr_assert_str_eq(s, "second life");
    arena_release(&a);
}
