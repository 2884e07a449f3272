/*
 * test_ratelimit.c - the per-key token bucket: exactly `burst` requests at
 * once, then one per interval with the exact wait; keys are independent; a
 * full table replaces idle keys before throttled ones and never grows; long
 * keys are cut; a clock stepped back only lengthens the wait; and concurrent
 * callers at one instant get exactly the burst between them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>

#include "core/ratelimit.h"
#include "core/yj.h"

#define T0 INT64_C(1780272000000)

static void test_parameters(void **state)
{
    (void)state;
    assert_null(yj_ratelimit_new(16, 0, 1000));
    assert_null(yj_ratelimit_new(16, 5, 0));
    assert_null(yj_ratelimit_new(16, 1000, INT64_C(1) << 40)); /* over a year of debt */
    assert_null(yj_ratelimit_new((1u << 24) + 1, 5, 1000));
    struct yj_ratelimit *rl = yj_ratelimit_new(0, 1, 1);
    assert_non_null(rl); /* at least one set */
    assert_int_equal(yj_ratelimit_take(rl, "a", T0), 0);
    yj_ratelimit_free(rl);
    yj_ratelimit_free(NULL);
}

static void test_burst_then_interval(void **state)
{
    (void)state;
    struct yj_ratelimit *rl = yj_ratelimit_new(64, 5, 3000);
    assert_non_null(rl);
    for (int i = 0; i < 5; i++)
        assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0), 0);
    /* The sixth waits exactly one interval, and waiting takes nothing. */
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0), 3000);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0 + 1000), 2000);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0 + 2999), 1);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0 + 3000), 0);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0 + 3000), 3000);
    /* Sustained: one per interval. */
    for (int i = 2; i < 10; i++) {
        assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", T0 + i * 3000), 0);
        assert_true(yj_ratelimit_take(rl, "10.0.0.1", T0 + i * 3000) > 0);
    }
    /* After a long pause the bucket is full again, but no fuller than burst. */
    int64_t later = T0 + 3600 * 1000;
    for (int i = 0; i < 5; i++)
        assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", later), 0);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", later), 3000);
    /* Partial refill: two intervals give exactly two. */
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", later + 6000), 0);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", later + 6000), 0);
    assert_int_equal(yj_ratelimit_take(rl, "10.0.0.1", later + 6000), 3000);
    yj_ratelimit_free(rl);
}

static void test_keys_independent(void **state)
{
    (void)state;
    struct yj_ratelimit *rl = yj_ratelimit_new(64, 2, 1000);
    assert_int_equal(yj_ratelimit_take(rl, "a", T0), 0);
    assert_int_equal(yj_ratelimit_take(rl, "a", T0), 0);
    assert_true(yj_ratelimit_take(rl, "a", T0) > 0);
    assert_int_equal(yj_ratelimit_take(rl, "b", T0), 0);
    assert_int_equal(yj_ratelimit_take(rl, "ab", T0), 0);
    assert_int_equal(yj_ratelimit_take(rl, "", T0), 0);
    assert_int_equal(yj_ratelimit_take(rl, NULL, T0), 0); /* NULL is "" */
    assert_true(yj_ratelimit_take(rl, "", T0) > 0);
    assert_int_equal(yj_ratelimit_keys(rl), 4);
    assert_true(yj_ratelimit_take(rl, "a", T0) > 0); /* still throttled */
    yj_ratelimit_free(rl);
}

static void test_bounded_and_eviction(void **state)
{
    (void)state;
    /* One set of eight slots. */
    struct yj_ratelimit *rl = yj_ratelimit_new(8, 2, 1000);
    char key[32];
    /* Seven idle keys (a token taken and given back by time) and one in debt. */
    for (int i = 0; i < 7; i++) {
        snprintf(key, sizeof key, "idle-%d", i);
        assert_int_equal(yj_ratelimit_take(rl, key, T0), 0);
    }
    assert_int_equal(yj_ratelimit_take(rl, "abuser", T0 + 5000), 0);
    assert_int_equal(yj_ratelimit_take(rl, "abuser", T0 + 5000), 0);
    assert_int_equal(yj_ratelimit_take(rl, "abuser", T0 + 5000), 1000);
    assert_int_equal(yj_ratelimit_keys(rl), 8);
    /* A thousand new keys: the table never grows, and each takes an idle slot, so
     * the throttled key is never the one forgotten. */
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "new-%d", i);
        assert_int_equal(yj_ratelimit_take(rl, key, T0 + 5000), 0);
        assert_int_equal(yj_ratelimit_keys(rl), 8);
        assert_true(yj_ratelimit_take(rl, "abuser", T0 + 5000) > 0);
    }
    yj_ratelimit_free(rl);

    /* When every slot is in debt, the one with the most tokens left goes. */
    rl = yj_ratelimit_new(8, 3, 1000);
    for (int i = 0; i < 8; i++) {
        snprintf(key, sizeof key, "k%d", i);
        int takes = i == 5 ? 1 : 3; /* k5 keeps two tokens */
        for (int t = 0; t < takes; t++)
            assert_int_equal(yj_ratelimit_take(rl, key, T0), 0);
    }
    assert_int_equal(yj_ratelimit_take(rl, "newcomer", T0), 0);
    assert_int_equal(yj_ratelimit_keys(rl), 8);
    for (int i = 0; i < 8; i++) {
        snprintf(key, sizeof key, "k%d", i);
        if (i == 5)
            continue;
        assert_true(yj_ratelimit_take(rl, key, T0) > 0); /* remembered, still throttled */
    }
    /* k5 was forgotten: it starts afresh with a full bucket. */
    for (int t = 0; t < 3; t++)
        assert_int_equal(yj_ratelimit_take(rl, "k5", T0), 0);
    yj_ratelimit_free(rl);
}

static void test_long_keys_and_clock_back(void **state)
{
    (void)state;
    struct yj_ratelimit *rl = yj_ratelimit_new(64, 1, 1000);
    char a[200], b[200];
    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memcpy(b, a, sizeof b);
    b[150] = 'y'; /* differs only past the kept bytes: the same bucket */
    assert_int_equal(yj_ratelimit_take(rl, a, T0), 0);
    assert_int_equal(yj_ratelimit_take(rl, b, T0), 1000);
    b[10] = 'y'; /* differs within them: another bucket */
    assert_int_equal(yj_ratelimit_take(rl, b, T0), 0);
    /* The clock steps back by ten seconds: the wait grows by as much, no more. */
    assert_int_equal(yj_ratelimit_take(rl, "c", T0), 0);
    assert_int_equal(yj_ratelimit_take(rl, "c", T0 - 10000), 11000);
    assert_int_equal(yj_ratelimit_take(rl, "c", T0 + 1000), 0);
    yj_ratelimit_free(rl);
}

struct race {
    struct yj_ratelimit *rl;
    int allowed;
};

static void *racer(void *arg)
{
    struct race *r = arg;
    for (int i = 0; i < 200; i++)
        if (yj_ratelimit_take(r->rl, "shared", T0) == 0)
            __atomic_add_fetch(&r->allowed, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void test_concurrent_callers(void **state)
{
    (void)state;
    struct race r = {yj_ratelimit_new(64, 37, 1000), 0};
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, racer, &r), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(r.allowed, 37);
    yj_ratelimit_free(r.rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_burst_then_interval),
        cmocka_unit_test(test_keys_independent),
        cmocka_unit_test(test_bounded_and_eviction),
        cmocka_unit_test(test_long_keys_and_clock_back),
        cmocka_unit_test(test_concurrent_callers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
