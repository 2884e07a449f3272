/*
 * test_ranking.c - experts' scores to a ranking: sel_aggregate (mean in
 * hundredths, extremes dropped from five experts up, rounded half up) and
 * sel_rank (score, tie-break criterion, submission time, id; ranks 1..n).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "selection/selection.h"

#define AGG(...)                                                                                   \
    sel_aggregate((const int64_t[]){__VA_ARGS__},                                                  \
                  sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

/* ---- sel_aggregate ---- */

static void test_aggregate_empty(void **state)
{
    (void)state;
    const int64_t one[] = {80};
    assert_int_equal(sel_aggregate(one, 0), -1);
    assert_int_equal(sel_aggregate(NULL, 0), -1);
}

static void test_aggregate_plain_mean(void **state)
{
    (void)state;
    assert_int_equal(AGG(80), 8000);
    assert_int_equal(AGG(0), 0);
    assert_int_equal(AGG(100), 10000);
    assert_int_equal(AGG(80, 85), 8250);
    assert_int_equal(AGG(85, 80), 8250);
    assert_int_equal(AGG(70, 80, 90), 8000);
    /* Four experts: nothing dropped, not even a clear outlier. */
    assert_int_equal(AGG(70, 80, 90, 100), 8500);
    assert_int_equal(AGG(0, 100, 100, 100), 7500);
}

static void test_aggregate_drops_extremes(void **state)
{
    (void)state;
    assert_int_equal(AGG(60, 70, 80, 90, 100), 8000);
    assert_int_equal(AGG(100, 90, 80, 70, 60), 8000);
    assert_int_equal(AGG(80, 80, 80, 80, 80), 8000);
    /* One outlier no longer decides: 0 and 100 go, 80, 80, 80 stay. */
    assert_int_equal(AGG(80, 0, 80, 100, 80), 8000);
    /* Duplicates of the extremes: only one of each is dropped. */
    assert_int_equal(AGG(90, 90, 70, 80, 60, 85), 8125);
    assert_int_equal(AGG(60, 60, 80, 100, 100), 8000);
    assert_int_equal(AGG(60, 60, 60, 60, 100), 6000);
    /* Seven experts: (71+72+73+74+75)/5 = 73. */
    assert_int_equal(AGG(10, 71, 72, 73, 74, 75, 99), 7300);
}

static void test_aggregate_rounding(void **state)
{
    (void)state;
    assert_int_equal(AGG(1, 2), 150);
    assert_int_equal(AGG(1, 1, 2), 133); /* 1.3333... */
    assert_int_equal(AGG(1, 2, 2), 167); /* 1.6666... */
    assert_int_equal(AGG(0, 100, 100), 6667);
    assert_int_equal(AGG(0, 0, 100), 3333);
    /* Exactly half a hundredth rounds up: 1/8 = 0.125 -> 0.13 (100 and a 0 dropped). */
    assert_int_equal(AGG(0, 0, 0, 0, 0, 0, 0, 0, 1, 100), 13);
    assert_int_equal(AGG(1, 0, 0, 0), 25);
    assert_int_equal(AGG(0, 0, 1, 1, 1, 2), 75);
    /* 0.005 -> 0.01 and 0.004975... -> 0.00: 100 and a 0 are dropped, a 1 stays. */
    int64_t many[203];
    memset(many, 0, sizeof many);
    many[0] = 1;
    many[1] = 100;
    assert_int_equal(sel_aggregate(many, 202), 1); /* 1/200 */
    assert_int_equal(sel_aggregate(many, 203), 0); /* 1/201 */
}

/* Realistic panels never come close, but the arithmetic must not overflow
 * while the mean in hundredths itself fits in int64. */
static void test_aggregate_large_values(void **state)
{
    (void)state;
    int64_t t[10];
    for (size_t i = 0; i < 10; i++)
        t[i] = 1000000000000000LL; /* 10^15 */
    assert_int_equal(sel_aggregate(t, 10), 100000000000000000LL);
    assert_int_equal(AGG(20000, 20000, 20000, 20000, 20000), 2000000);
    assert_int_equal(AGG(INT32_MAX, INT32_MAX), (int64_t)INT32_MAX * 100);
    /* The largest mean whose hundredths fit. */
    const int64_t big = INT64_MAX / 100;
    assert_int_equal(AGG(big, big), big * 100);
    assert_int_equal(AGG(big, big, big, big, big), big * 100);
}

/* ---- sel_rank ---- */

static void expect_order(const struct sel_rank_entry *e, size_t n, const int64_t *ids)
{
    for (size_t i = 0; i < n; i++) {
        if (e[i].application_id != ids[i])
            fail_msg("position %zu: expected application %lld, got %lld", i, (long long)ids[i],
                     (long long)e[i].application_id);
        assert_int_equal(e[i].rank, (int64_t)i + 1);
    }
}

static void test_rank_empty_and_one(void **state)
{
    (void)state;
    sel_rank(NULL, 0);
    struct sel_rank_entry one = {.application_id = 7, .score_centi = 8000, .rank = 99};
    sel_rank(&one, 0);
    assert_int_equal(one.rank, 99); /* n = 0 touches nothing */
    sel_rank(&one, 1);
    assert_int_equal(one.rank, 1);
    assert_int_equal(one.application_id, 7);
    assert_int_equal(one.score_centi, 8000);
}

static void test_rank_by_score(void **state)
{
    (void)state;
    struct sel_rank_entry e[] = {
        {.application_id = 1, .score_centi = 7000, .tiebreak_centi = 3000, .submitted_at = 1},
        {.application_id = 2, .score_centi = 9050, .tiebreak_centi = 0, .submitted_at = 9},
        {.application_id = 3, .score_centi = 8000, .tiebreak_centi = 1000, .submitted_at = 5},
        {.application_id = 4, .score_centi = 9049, .tiebreak_centi = 3000, .submitted_at = 2},
    };
    sel_rank(e, 4);
    expect_order(e, 4, (const int64_t[]){2, 4, 3, 1});
    /* The rest of each entry travels with it. */
    assert_int_equal(e[0].score_centi, 9050);
    assert_int_equal(e[0].submitted_at, 9);
    assert_int_equal(e[3].tiebreak_centi, 3000);
}

static void test_rank_tiebreak_criterion(void **state)
{
    (void)state;
    /* Same score: the higher technical_capability subtotal wins, whatever the
     * submission time or id. */
    struct sel_rank_entry e[] = {
        {.application_id = 1, .score_centi = 8500, .tiebreak_centi = 2500, .submitted_at = 100},
        {.application_id = 2, .score_centi = 8500, .tiebreak_centi = 2700, .submitted_at = 300},
        {.application_id = 3, .score_centi = 8500, .tiebreak_centi = 2600, .submitted_at = 200},
        {.application_id = 4, .score_centi = 8600, .tiebreak_centi = 0, .submitted_at = 400},
    };
    sel_rank(e, 4);
    expect_order(e, 4, (const int64_t[]){4, 2, 3, 1});
}

static void test_rank_submission_time_then_id(void **state)
{
    (void)state;
    struct sel_rank_entry e[] = {
        {.application_id = 10, .score_centi = 8000, .tiebreak_centi = 2400, .submitted_at = 500},
        {.application_id = 11, .score_centi = 8000, .tiebreak_centi = 2400, .submitted_at = 400},
        {.application_id = 5, .score_centi = 8000, .tiebreak_centi = 2400, .submitted_at = 500},
        {.application_id = 3, .score_centi = 8000, .tiebreak_centi = 2400, .submitted_at = 600},
        {.application_id = 4, .score_centi = 8000, .tiebreak_centi = 2400, .submitted_at = 500},
    };
    sel_rank(e, 5);
    /* 400 first; the three at 500 by id; 600 last despite the smallest id. */
    expect_order(e, 5, (const int64_t[]){11, 4, 5, 10, 3});
}

static void test_rank_no_shared_ranks(void **state)
{
    (void)state;
    /* Identical in everything but id: still 1, 2, 3, ... */
    struct sel_rank_entry e[6];
    for (size_t i = 0; i < 6; i++)
        e[i] = (struct sel_rank_entry){.application_id = (int64_t)(60 - i * 10),
                                       .score_centi = 7777,
                                       .tiebreak_centi = 2222,
                                       .submitted_at = 1767949200000LL,
                                       .rank = 0};
    sel_rank(e, 6);
    expect_order(e, 6, (const int64_t[]){10, 20, 30, 40, 50, 60});
    /* Ranking again changes nothing. */
    sel_rank(e, 6);
    expect_order(e, 6, (const int64_t[]){10, 20, 30, 40, 50, 60});
}

/* Many pseudo-random entries: the result is a permutation in the documented order. */
static void test_rank_many(void **state)
{
    (void)state;
    enum { N = 300 };
    struct sel_rank_entry e[N];
    uint32_t x = 12345;
    int64_t id_sum = 0;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        e[i] = (struct sel_rank_entry){.application_id = (int64_t)i + 1,
                                       .score_centi = (int64_t)(x >> 16) % 5 * 100,
                                       .tiebreak_centi = (int64_t)(x >> 8) % 3 * 10,
                                       .submitted_at = (int64_t)(x >> 4) % 4};
        id_sum += (int64_t)i + 1;
    }
    sel_rank(e, N);
    int64_t seen = 0;
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(e[i].rank, (int64_t)i + 1);
        seen += e[i].application_id;
        if (i == 0)
            continue;
        const struct sel_rank_entry *a = &e[i - 1], *b = &e[i];
        bool ordered =
            a->score_centi > b->score_centi ||
            (a->score_centi == b->score_centi &&
             (a->tiebreak_centi > b->tiebreak_centi ||
              (a->tiebreak_centi == b->tiebreak_centi &&
               (a->submitted_at < b->submitted_at ||
                (a->submitted_at == b->submitted_at && a->application_id < b->application_id)))));
        if (!ordered)
            fail_msg("positions %zu and %zu out of order", i - 1, i);
    }
    assert_int_equal(seen, id_sum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate_empty),
        cmocka_unit_test(test_aggregate_plain_mean),
        cmocka_unit_test(test_aggregate_drops_extremes),
        cmocka_unit_test(test_aggregate_rounding),
        cmocka_unit_test(test_rank_empty_and_one),
        cmocka_unit_test(test_rank_by_score),
        cmocka_unit_test(test_rank_tiebreak_criterion),
        cmocka_unit_test(test_rank_submission_time_then_id),
        cmocka_unit_test(test_rank_no_shared_ranks),
        cmocka_unit_test(test_rank_many),
        /* Last: under the sanitizers an overflow ends the process. */
        cmocka_unit_test(test_aggregate_large_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
