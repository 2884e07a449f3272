/*
 * test_work.c - the units' work record: kind codes and which count as support,
 * months in China Standard Time (parsing, rollover, bad input, the month of an
 * instant), roster coverage with overlaps and gaps, one month's obligations and
 * their average over months, and interval overlap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "incidents/work.h"

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

static int64_t at(const char *rfc3339)
{
    int64_t ms = 0;
    if (yj_time_parse(rfc3339, &ms) != 0)
        fail_msg("cannot parse %s", rfc3339);
    return ms;
}

/* ---- kinds ---- */

static void test_kinds(void **state)
{
    (void)state;
    static const char *const codes[] = {"incident_response", "technical_support", "monitoring",
                                        "major_event", "other"};
    static const char *const names[] = {"应急响应", "技术支撑", "监测预警", "重大活动保障", "其他"};
    assert_int_equal(WORK_KIND__COUNT, 5);
    for (int i = 0; i < WORK_KIND__COUNT; i++) {
        assert_string_equal(work_kind_code((enum work_kind)i), codes[i]);
        assert_string_equal(work_kind_name_zh((enum work_kind)i), names[i]);
        enum work_kind k = WORK_OTHER;
        assert_int_equal(work_kind_parse(codes[i], &k), 0);
        assert_int_equal(k, i);
        assert_int_equal(work_kind_counts_as_support((enum work_kind)i), i != WORK_OTHER);
    }
    enum work_kind k = WORK_MONITORING;
    assert_int_equal(work_kind_parse("Other", &k), -1);
    assert_int_equal(work_kind_parse(NULL, &k), -1);
    assert_int_equal(k, WORK_MONITORING);
    assert_string_equal(work_kind_code(WORK_KIND__COUNT), "unknown");
    assert_string_equal(work_kind_name_zh(WORK_KIND__COUNT), "未知");
    assert_false(work_kind_counts_as_support(WORK_KIND__COUNT));
    assert_false(work_kind_counts_as_support((enum work_kind)99));
}

/* ---- months ---- */

static void test_month_parse(void **state)
{
    (void)state;
    int64_t start = 0, end = 0;
    struct yj_error e = {0};
    assert_int_equal(work_month_parse("2026-03", "month", &start, &end, &e), YJ_OK);
    assert_true(start == at("2026-03-01T00:00:00+08:00"));
    assert_true(start == at("2026-02-28T16:00:00Z"));
    assert_true(end == at("2026-04-01T00:00:00+08:00"));
    /* February, leap and not. */
    assert_int_equal(work_month_parse("2028-02", "month", &start, &end, &e), YJ_OK);
    assert_true(end - start == 29 * DAY_MS);
    assert_int_equal(work_month_parse("2026-02", "month", &start, &end, &e), YJ_OK);
    assert_true(end - start == 28 * DAY_MS);
    /* December rolls over into January of the next year. */
    assert_int_equal(work_month_parse("2026-12", "month", &start, &end, &e), YJ_OK);
    assert_true(start == at("2026-12-01T00:00:00+08:00"));
    assert_true(end == at("2027-01-01T00:00:00+08:00"));
    assert_int_equal(work_month_parse("2027-01", "month", &start, &end, &e), YJ_OK);
    assert_true(start == at("2027-01-01T00:00:00+08:00"));
    assert_true(end == at("2027-02-01T00:00:00+08:00"));
    /* The ends of the range. */
    assert_int_equal(work_month_parse("1000-01", "month", &start, &end, &e), YJ_OK);
    assert_int_equal(work_month_parse("9999-12", "month", &start, &end, &e), YJ_OK);
    assert_true(end - start == 31 * DAY_MS);
}

static void test_month_parse_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",         "2026",    "2026-3",  "2026-003", "2026-13",     "2026-00",
        "202a-03",  "2026-0a", "2026/03", " 2026-03", "2026-03 ",    "2026-03-01",
        "-2026-03", "0999-12", "+026-03", "2026--3",  "２０２６-03", "20260301",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        int64_t start = 42, end = 43;
        struct yj_error e = {0};
        if (work_month_parse(bad[i], "from", &start, &end, &e) != YJ_EINVAL)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_string_equal(e.field, "from");
        assert_false(e.msg[0] >= 'A' && e.msg[0] <= 'Z');
        assert_true(start == 42 && end == 43);
    }
    int64_t start, end;
    struct yj_error e = {0};
    assert_int_equal(work_month_parse(NULL, "month", &start, &end, &e), YJ_EINVAL);
    assert_string_equal(e.field, "month");
    assert_int_equal(work_month_parse("2026-13", "month", &start, &end, NULL), YJ_EINVAL);
}

static void test_month_of(void **state)
{
    (void)state;
    char m[8];
    int64_t start, end;
    assert_int_equal(work_month_parse("2026-03", "month", &start, &end, NULL), YJ_OK);
    work_month_of(start, m);
    assert_string_equal(m, "2026-03");
    work_month_of(start - 1, m);
    assert_string_equal(m, "2026-02");
    work_month_of(end - 1, m);
    assert_string_equal(m, "2026-03");
    work_month_of(end, m);
    assert_string_equal(m, "2026-04");
    /* 16:00 UTC on 31 December is midnight, 1 January, in Beijing. */
    work_month_of(at("2026-12-31T16:00:00Z"), m);
    assert_string_equal(m, "2027-01");
    work_month_of(at("2026-12-31T15:59:59.999Z"), m);
    assert_string_equal(m, "2026-12");
    work_month_of(0, m);
    assert_string_equal(m, "1970-01");
    /* Round trip over a few years. */
    for (int y = 2024; y <= 2030; y++)
        for (int mo = 1; mo <= 12; mo++) {
            char text[32];
            snprintf(text, sizeof text, "%04d-%02d", y, mo);
            assert_int_equal(work_month_parse(text, "month", &start, &end, NULL), YJ_OK);
            work_month_of(start, m);
            assert_string_equal(m, text);
            work_month_of(end - 1, m);
            assert_string_equal(m, text);
        }
}

/* ---- roster coverage ---- */

static void test_coverage_none_and_full(void **state)
{
    (void)state;
    struct work_interval gaps[WORK_GAPS_MAX];
    size_t n_gaps = 99;
    assert_true(work_coverage(NULL, 0, 100, 200, gaps, WORK_GAPS_MAX, &n_gaps) == 0);
    assert_int_equal(n_gaps, 1);
    assert_true(gaps[0].from == 100 && gaps[0].to == 200);
    const struct work_interval all[] = {{0, 1000}};
    assert_true(work_coverage(all, 1, 100, 200, gaps, WORK_GAPS_MAX, &n_gaps) == 100);
    assert_int_equal(n_gaps, 0);
    /* An empty range. */
    assert_true(work_coverage(all, 1, 200, 200, gaps, WORK_GAPS_MAX, &n_gaps) == 0);
    assert_int_equal(n_gaps, 0);
    assert_true(work_coverage(all, 1, 300, 200, gaps, WORK_GAPS_MAX, &n_gaps) == 0);
    assert_int_equal(n_gaps, 0);
    /* Outputs may be left out. */
    assert_true(work_coverage(all, 1, 100, 200, NULL, 0, NULL) == 100);
}

static void test_coverage_overlaps_and_gaps(void **state)
{
    (void)state;
    /* Out of order, overlapping, nested, adjacent, reaching past both ends; empty
     * and inverted intervals count for nothing. */
    const struct work_interval iv[] = {
        {500, 600}, {-50, 120}, {140, 160}, {150, 170}, {520, 530},
        {170, 200}, {300, 300}, {420, 400}, {590, 700}, {900, 2000},
    };
    struct work_interval gaps[WORK_GAPS_MAX];
    size_t n_gaps = 0;
    /* Covered in [0, 1000): [0,120) [140,200) [500,700) [900,1000) = 120+60+200+100. */
    assert_true(work_coverage(iv, YJ_ARRAY_LEN(iv), 0, 1000, gaps, WORK_GAPS_MAX, &n_gaps) == 480);
    assert_int_equal(n_gaps, 3);
    assert_true(gaps[0].from == 120 && gaps[0].to == 140);
    assert_true(gaps[1].from == 200 && gaps[1].to == 500);
    assert_true(gaps[2].from == 700 && gaps[2].to == 900);
    /* Fewer gaps wanted than there are: the earliest, and the count of all. */
    struct work_interval one[2] = {{-1, -1}, {-1, -1}};
    assert_true(work_coverage(iv, YJ_ARRAY_LEN(iv), 0, 1000, one, 1, &n_gaps) == 480);
    assert_int_equal(n_gaps, 3);
    assert_true(one[0].from == 120 && one[0].to == 140);
    assert_true(one[1].from == -1); /* untouched */
    /* Gaps at both ends of the range. */
    const struct work_interval mid[] = {{400, 600}};
    assert_true(work_coverage(mid, 1, 0, 1000, gaps, WORK_GAPS_MAX, &n_gaps) == 200);
    assert_int_equal(n_gaps, 2);
    assert_true(gaps[0].from == 0 && gaps[0].to == 400);
    assert_true(gaps[1].from == 600 && gaps[1].to == 1000);
}

static void test_coverage_month_roster(void **state)
{
    (void)state;
    /* March 2026 in three 8-hour shifts a day, but for one night shift. */
    int64_t start, end;
    assert_int_equal(work_month_parse("2026-03", "month", &start, &end, NULL), YJ_OK);
    struct work_interval shifts[31 * 3];
    size_t n = 0;
    for (int64_t t = start; t < end; t += 8 * HOUR_MS)
        shifts[n++] = (struct work_interval){t, t + 8 * HOUR_MS};
    assert_int_equal(n, 93);
    struct work_interval gaps[WORK_GAPS_MAX];
    size_t n_gaps = 0;
    assert_true(work_coverage(shifts, n, start, end, gaps, WORK_GAPS_MAX, &n_gaps) == end - start);
    assert_int_equal(n_gaps, 0);
    shifts[40] = shifts[92]; /* the 41st shift is missing: a duplicate instead */
    assert_true(work_coverage(shifts, n, start, end, gaps, WORK_GAPS_MAX, &n_gaps) ==
                end - start - 8 * HOUR_MS);
    assert_int_equal(n_gaps, 1);
    assert_true(gaps[0].from == start + 40 * 8 * HOUR_MS);
    assert_true(gaps[0].to == start + 41 * 8 * HOUR_MS);
}

/* ---- obligations ---- */

static struct work_month_facts month(int incidents, int64_t minutes, int64_t uncovered_ms)
{
    struct work_month_facts f = {0};
    f.start = 1000;
    f.end = 1000 + 31 * DAY_MS;
    f.incidents = incidents;
    f.support_minutes = minutes;
    f.covered_ms = f.end - f.start - uncovered_ms;
    f.n_gaps = uncovered_ms ? 1 : 0;
    return f;
}

static void test_month_judge(void **state)
{
    (void)state;
    struct work_month_result r;
    struct work_month_facts f = month(1, 2400, 0);
    work_month_judge(&f, &r);
    assert_true(r.incidents_met && r.hours_met && r.contact_met);
    f = month(0, 2399, 1);
    work_month_judge(&f, &r);
    assert_false(r.incidents_met);
    assert_false(r.hours_met);
    assert_false(r.contact_met);
    f = month(7, 100000, 0);
    work_month_judge(&f, &r);
    assert_true(r.incidents_met && r.hours_met && r.contact_met);
    /* A month still running, clipped to now by the caller. */
    f = month(0, 0, 0);
    f.end = f.start + DAY_MS;
    f.covered_ms = DAY_MS;
    work_month_judge(&f, &r);
    assert_true(r.contact_met);
}

static void test_average(void **state)
{
    (void)state;
    struct work_average a;
    memset(&a, 0x33, sizeof a);
    work_average(NULL, 0, &a);
    assert_true(a.incidents_per_month == 0.0 && a.hours_per_month == 0.0);
    assert_false(a.incidents_met || a.hours_met || a.contact_met);
    /* On average: a busy month makes up for an idle one. */
    const struct work_month_facts six[] = {
        month(0, 0, 0),    month(3, 4800, 0), month(1, 2400, 0),
        month(0, 1200, 0), month(2, 3600, 0), month(0, 2400, 0),
    };
    work_average(six, 6, &a);
    assert_true(a.incidents_per_month == 1.0);
    assert_true(a.hours_per_month == 40.0);
    assert_true(a.incidents_met);
    assert_true(a.hours_met);
    assert_true(a.contact_met);
    /* Just short of both means. */
    struct work_month_facts short_of[2] = {month(1, 2400, 0), month(0, 2399, 0)};
    work_average(short_of, 2, &a);
    assert_true(a.incidents_per_month == 0.5);
    assert_false(a.incidents_met);
    assert_false(a.hours_met);
    assert_true(a.hours_per_month < 40.0 && a.hours_per_month > 39.99);
    /* Contact must hold in every month, however good the rest. */
    struct work_month_facts gap[3] = {month(5, 9000, 0), month(5, 9000, 1), month(5, 9000, 0)};
    work_average(gap, 3, &a);
    assert_true(a.incidents_met && a.hours_met);
    assert_false(a.contact_met);
}

static void test_overlap(void **state)
{
    (void)state;
    assert_true(work_overlap(0, 10, 5, 20) == 5);
    assert_true(work_overlap(5, 20, 0, 10) == 5);
    assert_true(work_overlap(0, 100, 10, 20) == 10);
    assert_true(work_overlap(10, 20, 0, 100) == 10);
    assert_true(work_overlap(0, 10, 10, 20) == 0); /* half-open: touching is disjoint */
    assert_true(work_overlap(20, 30, 0, 10) == 0);
    assert_true(work_overlap(10, 0, 0, 100) == 0); /* inverted */
    /* A log across the month's end counts only its part inside. */
    int64_t start, end;
    assert_int_equal(work_month_parse("2026-03", "month", &start, &end, NULL), YJ_OK);
    assert_true(work_overlap(end - 3 * HOUR_MS, end + 5 * HOUR_MS, start, end) == 3 * HOUR_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_month_parse),
        cmocka_unit_test(test_month_parse_invalid),
        cmocka_unit_test(test_month_of),
        cmocka_unit_test(test_coverage_none_and_full),
        cmocka_unit_test(test_coverage_overlaps_and_gaps),
        cmocka_unit_test(test_coverage_month_roster),
        cmocka_unit_test(test_month_judge),
        cmocka_unit_test(test_average),
        cmocka_unit_test(test_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
