/*
 * test_cache.c - the rendering cache: exact-version hits, replacement, the byte
 * budget, and concurrent use.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/cache.h"
#include "core/yj.h"

static int get(struct yj_cache *c, uint32_t kind, int64_t id, int64_t version, char *out, size_t n)
{
    struct yj_buf b;
    yj_buf_init(&b, 1 << 20);
    int hit = yj_cache_get(c, kind, id, version, &b);
    snprintf(out, n, "%s", b.ptr ? b.ptr : "");
    yj_buf_release(&b);
    return hit;
}

static void test_hit_only_for_the_exact_version(void **state)
{
    (void)state;
    struct yj_cache *c = yj_cache_new(16, 1 << 20);
    char out[64];
    assert_int_equal(get(c, 1, 7, 1, out, sizeof out), 0);
    yj_cache_put(c, 1, 7, 1, "{\"v\":1}", 7);
    assert_int_equal(get(c, 1, 7, 1, out, sizeof out), 1);
    assert_string_equal(out, "{\"v\":1}");
    assert_int_equal(get(c, 1, 7, 2, out, sizeof out), 0); /* newer version: miss */
    assert_int_equal(get(c, 2, 7, 1, out, sizeof out), 0); /* other kind: miss */
    assert_int_equal(get(c, 1, 8, 1, out, sizeof out), 0); /* other id: miss */
    yj_cache_put(c, 1, 7, 2, "{\"v\":2}", 7);
    assert_int_equal(get(c, 1, 7, 1, out, sizeof out), 0); /* replaced */
    assert_int_equal(get(c, 1, 7, 2, out, sizeof out), 1);
    assert_string_equal(out, "{\"v\":2}");
    struct yj_cache_stats st;
    yj_cache_stats(c, &st);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.bytes, 7);
    assert_int_equal(st.puts, 2);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.misses, 5);
    yj_cache_free(c);
}

static void test_get_appends(void **state)
{
    (void)state;
    struct yj_cache *c = yj_cache_new(4, 1024);
    yj_cache_put(c, 1, 1, 1, "abc", 3);
    struct yj_buf b;
    yj_buf_init(&b, 64);
    yj_buf_puts(&b, "[");
    assert_int_equal(yj_cache_get(c, 1, 1, 1, &b), 1);
    assert_string_equal(b.ptr, "[abc");
    yj_buf_release(&b);
    /* A buffer that cannot take the value is a miss, not a partial copy. */
    yj_buf_init(&b, 2);
    assert_int_equal(yj_cache_get(c, 1, 1, 1, &b), 0);
    assert_int_equal(b.len, 0);
    yj_buf_release(&b);
    yj_cache_free(c);
}

static void test_budget(void **state)
{
    (void)state;
    struct yj_cache *c = yj_cache_new(1024, 10);
    char out[64];
    yj_cache_put(c, 1, 1, 1, "12345678", 8);
    yj_cache_put(c, 1, 2, 1, "12345678", 8); /* would pass 10 bytes: not kept */
    assert_int_equal(get(c, 1, 1, 1, out, sizeof out), 1);
    assert_int_equal(get(c, 1, 2, 1, out, sizeof out), 0);
    yj_cache_put(c, 1, 1, 2, "123", 3); /* replacing a larger entry is allowed */
    assert_int_equal(get(c, 1, 1, 2, out, sizeof out), 1);
    struct yj_cache_stats st;
    yj_cache_stats(c, &st);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(st.bytes, 3);
    yj_cache_free(c);
}

static void test_free_null_and_null_cache(void **state)
{
    (void)state;
    yj_cache_free(NULL);
    struct yj_buf b;
    yj_buf_init(&b, 16);
    assert_int_equal(yj_cache_get(NULL, 1, 1, 1, &b), 0);
    yj_cache_put(NULL, 1, 1, 1, "x", 1);
    yj_buf_release(&b);
}

static void *hammer(void *arg)
{
    struct yj_cache *c = arg;
    char val[32], out[64];
    for (int i = 0; i < 20000; i++) {
        int64_t id = i % 97, version = i % 5;
        snprintf(val, sizeof val, "%lld:%lld", (long long)id, (long long)version);
        if (i % 3 == 0)
            yj_cache_put(c, 1, id, version, val, strlen(val));
        else if (get(c, 1, id, version, out, sizeof out))
            assert_string_equal(out, val); /* a hit is always the right rendering */
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    (void)state;
    struct yj_cache *c = yj_cache_new(64, 1 << 20);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hammer, c);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    struct yj_cache_stats st;
    yj_cache_stats(c, &st);
    assert_true(st.entries <= 64);
    yj_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_only_for_the_exact_version),
        cmocka_unit_test(test_get_appends),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_free_null_and_null_cache),
        cmocka_unit_test(test_concurrent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
