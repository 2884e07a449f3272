/*
 * test_arena.c - the bump allocator: alignment, big blocks beside small ones,
 * the limit, overflow-checked calloc, string copies and printf. Under ASan
 * every allocation is also written in full to catch overlaps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdalign.h>

#include "core/yj.h"

/*
 * Out-of-memory paths are tested with requests too big for any allocator; under
 * ASan malloc must return NULL for them rather than abort the run.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static bool aligned(const void *p)
{
    return (uintptr_t)p % alignof(max_align_t) == 0;
}

static void test_alloc_alignment(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    unsigned char *prev[200];
    for (size_t n = 1; n <= 200; n++) {
        unsigned char *p = yj_arena_alloc(&a, n);
        assert_non_null(p);
        assert_true(aligned(p));
        memset(p, (int)n, n);
        prev[n - 1] = p;
    }
    /* Nothing was overwritten by a later allocation. */
    for (size_t n = 1; n <= 200; n++)
        for (size_t i = 0; i < n; i++)
            assert_int_equal(prev[n - 1][i], (unsigned char)n);
    yj_arena_release(&a);
}

static void test_alloc_zero(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    void *p = yj_arena_alloc(&a, 0), *q = yj_arena_alloc(&a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    assert_true(aligned(p));
    yj_arena_release(&a);
}

static void test_big_blocks(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    char *small1 = yj_arena_alloc(&a, 10);
    char *big = yj_arena_alloc(&a, 100000);
    char *small2 = yj_arena_alloc(&a, 10);
    assert_non_null(small1);
    assert_non_null(big);
    assert_non_null(small2);
    assert_true(aligned(big));
    memset(small1, 'a', 10);
    memset(big, 'b', 100000);
    memset(small2, 'c', 10);
    assert_int_equal(small1[9], 'a');
    assert_int_equal(big[0], 'b');
    assert_int_equal(big[99999], 'b');
    assert_int_equal(small2[0], 'c');
    /* A big first allocation, then many small ones across several chunks. */
    yj_arena_release(&a);
    big = yj_arena_alloc(&a, 50000);
    assert_non_null(big);
    memset(big, 'x', 50000);
    for (int i = 0; i < 1000; i++) {
        char *p = yj_arena_alloc(&a, 100);
        assert_non_null(p);
        memset(p, 'y', 100);
    }
    assert_int_equal(big[49999], 'x');
    yj_arena_release(&a);
}

static void test_limit(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 256);
    assert_non_null(yj_arena_alloc(&a, 128));
    assert_non_null(yj_arena_alloc(&a, 128));
    assert_null(yj_arena_alloc(&a, 1));
    assert_null(yj_arena_strdup(&a, "x"));
    assert_null(yj_arena_printf(&a, "%d", 1));
    assert_null(yj_arena_calloc(&a, 1, 1));
    /* Release gives the whole budget back. */
    yj_arena_release(&a);
    assert_int_equal(a.total, 0);
    assert_non_null(yj_arena_alloc(&a, 256));
    yj_arena_release(&a);
    /* One request bigger than the whole limit. */
    assert_null(yj_arena_alloc(&a, 257));
    assert_null(yj_arena_alloc(&a, 100000));
    assert_non_null(yj_arena_alloc(&a, 16));
    yj_arena_release(&a);
}

static void test_alloc_huge(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    assert_null(yj_arena_alloc(&a, SIZE_MAX));
    assert_null(yj_arena_alloc(&a, SIZE_MAX - 8));
    assert_null(yj_arena_alloc(&a, SIZE_MAX - 64));
    assert_null(yj_arena_alloc(&a, SIZE_MAX / 2)); /* reaches malloc, which fails */
    assert_null(yj_arena_strndup(&a, "x", SIZE_MAX - 1));
    /* The arena still works after refusing. */
    assert_non_null(yj_arena_alloc(&a, 8));
    yj_arena_release(&a);
}

static void test_calloc_zeroed(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    /* Dirty a chunk, release, and reuse: calloc must still hand out zeros. */
    for (int round = 0; round < 2; round++) {
        uint32_t *v = yj_arena_calloc(&a, 1000, sizeof *v);
        assert_non_null(v);
        assert_true(aligned(v));
        for (int i = 0; i < 1000; i++)
            assert_int_equal(v[i], 0);
        memset(v, 0xff, 1000 * sizeof *v);
        yj_arena_release(&a);
    }
    assert_non_null(yj_arena_calloc(&a, 0, 8));
    assert_non_null(yj_arena_calloc(&a, 8, 0));
    yj_arena_release(&a);
}

static void test_calloc_overflow(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    assert_null(yj_arena_calloc(&a, SIZE_MAX / 2, 4));
    assert_null(yj_arena_calloc(&a, 4, SIZE_MAX / 2));
    assert_null(yj_arena_calloc(&a, SIZE_MAX, SIZE_MAX));
    assert_null(yj_arena_calloc(&a, ((size_t)1 << (sizeof(size_t) * 4)) + 1,
                                (size_t)1 << (sizeof(size_t) * 4)));
    yj_arena_release(&a);
}

static void test_strdup(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    const char *src = "网络安全应急技术支撑单位";
    char *p = yj_arena_strdup(&a, src);
    assert_non_null(p);
    assert_ptr_not_equal(p, src);
    assert_string_equal(p, src);
    char *e = yj_arena_strdup(&a, "");
    assert_non_null(e);
    assert_string_equal(e, "");
    assert_null(yj_arena_strdup(&a, NULL));
    yj_arena_release(&a);
}

static void test_strndup(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    char *p = yj_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(p, "abc");
    p = yj_arena_strndup(&a, "abc", 0);
    assert_string_equal(p, "");
    /* Bytes, not a C string: embedded NULs are copied and a NUL is added. */
    p = yj_arena_strndup(&a, "a\0b", 3);
    assert_non_null(p);
    assert_memory_equal(p, "a\0b\0", 4);
    /* The source need not be terminated. */
    const char raw[4] = {'w', 'x', 'y', 'z'};
    p = yj_arena_strndup(&a, raw, 4);
    assert_string_equal(p, "wxyz");
    assert_null(yj_arena_strndup(&a, NULL, 3));
    assert_null(yj_arena_strndup(&a, "x", SIZE_MAX));
    yj_arena_release(&a);
}

static void test_printf(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    char *p = yj_arena_printf(&a, "contacts[%zu].%s", (size_t)3, "email");
    assert_string_equal(p, "contacts[3].email");
    p = yj_arena_printf(&a, "%s", "");
    assert_string_equal(p, "");
    /* Longer than a chunk. */
    p = yj_arena_printf(&a, "%*d", 20000, 7);
    assert_non_null(p);
    assert_int_equal(strlen(p), 20000);
    assert_int_equal(p[19999], '7');
    yj_arena_release(&a);
}

static void test_release_and_reuse(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    yj_arena_release(&a); /* an empty arena releases cleanly */
    assert_null(a.head);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++)
            assert_non_null(yj_arena_strdup(&a, "some request data"));
        assert_true(a.total > 0);
        yj_arena_release(&a);
        assert_null(a.head);
        assert_int_equal(a.total, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_alignment),   cmocka_unit_test(test_alloc_zero),
        cmocka_unit_test(test_big_blocks),        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_alloc_huge),        cmocka_unit_test(test_calloc_zeroed),
        cmocka_unit_test(test_calloc_overflow),   cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_strndup),           cmocka_unit_test(test_printf),
        cmocka_unit_test(test_release_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
