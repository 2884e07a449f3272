/*
 * test_digest.c - the rules of the bulletin digest: periods by name, the week
 * (Monday to Sunday) and month a date falls in with their bounds in China Standard
 * Time, ISO 8601 week numbers around New Year (and over forty years of days), bad
 * dates, the Chinese titles and file labels, and the counts by warning colour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/digest.h"

static struct yj_arena the_arena;
static struct yj_arena *const arena = &the_arena;

static int setup(void **state)
{
    (void)state;
    yj_arena_init(arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    yj_arena_release(arena);
    return 0;
}

static int64_t instant(const char *rfc3339)
{
    int64_t ms;
    assert_int_equal(yj_time_parse(rfc3339, &ms), 0);
    return ms;
}

static struct intel_digest_span span(enum intel_digest_period p, const char *date)
{
    struct intel_digest_span s;
    struct yj_error err;
    assert_int_equal(intel_digest_span(p, date, "date", &s, &err), YJ_OK);
    return s;
}

static void assert_days(const struct intel_digest_span *s, const char *first, const char *last)
{
    char a[11], b[11];
    intel_digest_day(s, false, a);
    intel_digest_day(s, true, b);
    assert_string_equal(a, first);
    assert_string_equal(b, last);
}

static void test_periods(void **state)
{
    (void)state;
    enum intel_digest_period p = INTEL_DIGEST_MONTH;
    assert_int_equal(intel_digest_period_parse("week", &p), 0);
    assert_int_equal(p, INTEL_DIGEST_WEEK);
    assert_int_equal(intel_digest_period_parse("month", &p), 0);
    assert_int_equal(p, INTEL_DIGEST_MONTH);
    assert_int_equal(intel_digest_period_parse("Week", &p), -1);
    assert_int_equal(intel_digest_period_parse("year", &p), -1);
    assert_int_equal(intel_digest_period_parse("", &p), -1);
    assert_int_equal(intel_digest_period_parse(NULL, &p), -1);
    assert_string_equal(intel_digest_period_code(INTEL_DIGEST_WEEK), "week");
    assert_string_equal(intel_digest_period_name_zh(INTEL_DIGEST_WEEK), "周报");
    assert_string_equal(intel_digest_period_name_zh(INTEL_DIGEST_MONTH), "月报");
    assert_string_equal(intel_digest_period_code(INTEL_DIGEST__COUNT), "unknown");
}

static void test_week(void **state)
{
    (void)state;
    /* A Wednesday: its week is Monday 16 to Sunday 22 November, midnight to midnight in
     * Beijing, which is 16:00 UTC the day before. */
    struct intel_digest_span s = span(INTEL_DIGEST_WEEK, "2026-11-18");
    assert_int_equal(s.period, INTEL_DIGEST_WEEK);
    assert_days(&s, "2026-11-16", "2026-11-22");
    assert_int_equal(s.year, 2026);
    assert_int_equal(s.number, 47);
    assert_int_equal(s.from_ms, instant("2026-11-16T00:00:00+08:00"));
    assert_int_equal(s.to_ms, instant("2026-11-23T00:00:00+08:00"));
    assert_int_equal(s.from_ms, instant("2026-11-15T16:00:00Z"));
    assert_string_equal(intel_digest_title(&s, arena),
                        "网络安全预警通报 周报 2026年第47周 (11月16日—11月22日)");
    assert_string_equal(intel_digest_label(&s, arena), "2026-W47");

    /* The Monday and the Sunday are in it; the next Monday is not. */
    assert_int_equal(span(INTEL_DIGEST_WEEK, "2026-11-16").from_ms, s.from_ms);
    assert_int_equal(span(INTEL_DIGEST_WEEK, "2026-11-22").from_ms, s.from_ms);
    struct intel_digest_span next = span(INTEL_DIGEST_WEEK, "2026-11-23");
    assert_int_equal(next.from_ms, s.to_ms);
    assert_int_equal(next.number, 48);
}

static void test_week_new_year(void **state)
{
    (void)state;
    /* 2026 begins on a Thursday: its week 1 starts on 29 December 2025... */
    struct intel_digest_span s = span(INTEL_DIGEST_WEEK, "2026-01-01");
    assert_days(&s, "2025-12-29", "2026-01-04");
    assert_int_equal(s.year, 2026);
    assert_int_equal(s.number, 1);
    assert_string_equal(intel_digest_title(&s, arena),
                        "网络安全预警通报 周报 2026年第1周 (2025年12月29日—1月4日)");
    assert_int_equal(span(INTEL_DIGEST_WEEK, "2025-12-29").number, 1);
    assert_int_equal(span(INTEL_DIGEST_WEEK, "2025-12-28").number, 52);
    /* ... and it has 53 weeks, the last reaching into 2027. */
    s = span(INTEL_DIGEST_WEEK, "2027-01-01");
    assert_days(&s, "2026-12-28", "2027-01-03");
    assert_int_equal(s.year, 2026);
    assert_int_equal(s.number, 53);
    assert_string_equal(intel_digest_title(&s, arena),
                        "网络安全预警通报 周报 2026年第53周 (12月28日—2027年1月3日)");
    assert_string_equal(intel_digest_label(&s, arena), "2026-W53");
    s = span(INTEL_DIGEST_WEEK, "2021-01-01");
    assert_int_equal(s.year, 2020);
    assert_int_equal(s.number, 53);
    /* 1 January 1970 was a Thursday: its week starts in 1969. */
    s = span(INTEL_DIGEST_WEEK, "1970-01-01");
    assert_days(&s, "1969-12-29", "1970-01-04");
    assert_int_equal(s.number, 1);
    assert_int_equal(s.from_ms, instant("1969-12-29T00:00:00+08:00"));
}

/* Over forty years of days: every week is 7 days from a Monday, holds its date, and the
 * weeks are numbered 1, 2, ... within each ISO year, which has 52 or 53 of them. */
static void test_week_every_day(void **state)
{
    (void)state;
    int64_t first = yj_days_from_civil(2000, 1, 3); /* a Monday, ISO 2000-W01 */
    int64_t last = yj_days_from_civil(2040, 12, 31);
    int year = 2000, number = 1;
    for (int64_t day = first; day <= last; day++) {
        char date[11];
        yj_date_cst(day * 86400000 + 12 * 3600000, date);
        struct intel_digest_span s = span(INTEL_DIGEST_WEEK, date);
        int64_t monday = first + (day - first) / 7 * 7;
        assert_int_equal(s.from_ms, monday * 86400000 - 8 * 3600000);
        assert_int_equal(s.to_ms - s.from_ms, 7 * 86400000);
        if ((day - first) % 7 == 0 && day != first) {
            if (s.year == year) {
                assert_int_equal(s.number, number + 1);
            } else {
                assert_int_equal(s.year, year + 1);
                assert_true(number == 52 || number == 53);
                assert_int_equal(s.number, 1);
            }
        }
        year = s.year;
        number = s.number;
    }
}

static void test_month(void **state)
{
    (void)state;
    struct intel_digest_span s = span(INTEL_DIGEST_MONTH, "2026-11-18");
    assert_days(&s, "2026-11-01", "2026-11-30");
    assert_int_equal(s.year, 2026);
    assert_int_equal(s.number, 11);
    assert_int_equal(s.from_ms, instant("2026-11-01T00:00:00+08:00"));
    assert_int_equal(s.to_ms, instant("2026-12-01T00:00:00+08:00"));
    assert_string_equal(intel_digest_title(&s, arena), "网络安全预警通报 月报 2026年11月");
    assert_string_equal(intel_digest_label(&s, arena), "2026-11");

    s = span(INTEL_DIGEST_MONTH, "2026-12-31");
    assert_days(&s, "2026-12-01", "2026-12-31");
    assert_int_equal(s.to_ms, instant("2027-01-01T00:00:00+08:00"));
    assert_days((s = span(INTEL_DIGEST_MONTH, "2026-02-01"), &s), "2026-02-01", "2026-02-28");
    assert_days((s = span(INTEL_DIGEST_MONTH, "2028-02-15"), &s), "2028-02-01", "2028-02-29");
    assert_days((s = span(INTEL_DIGEST_MONTH, "2100-02-15"), &s), "2100-02-01", "2100-02-28");
    assert_days((s = span(INTEL_DIGEST_MONTH, "2000-02-15"), &s), "2000-02-01", "2000-02-29");
    assert_string_equal(intel_digest_label(&s, arena), "2000-02");
}

static void test_bad_dates(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",         "2026-02-30",           "2026-13-01",  "2026-1-01",  "2026/11/18",
        "20261118", "2026-11-18T00:00:00Z", " 2026-11-18", "1969-12-31", "9999-01-01"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        struct intel_digest_span s = {.number = -7};
        struct yj_error err;
        assert_int_equal(intel_digest_span(INTEL_DIGEST_WEEK, bad[i], "date", &s, &err), YJ_EINVAL);
        assert_string_equal(err.field, "date");
        assert_int_equal(s.number, -7); /* untouched */
    }
    struct intel_digest_span s;
    struct yj_error err;
    assert_int_equal(intel_digest_span(INTEL_DIGEST_MONTH, NULL, "d", &s, &err), YJ_EINVAL);
    assert_string_equal(err.field, "d");
    assert_int_equal(intel_digest_span(INTEL_DIGEST__COUNT, "2026-11-18", "date", &s, &err),
                     YJ_EINVAL);
    assert_string_equal(err.field, "period");
    /* The edges accepted. */
    s = span(INTEL_DIGEST_WEEK, "9998-12-31");
    assert_int_equal(s.last_y, 9999);
    s = span(INTEL_DIGEST_MONTH, "1970-01-01");
    assert_int_equal(s.from_ms, -8 * 3600000);
}

static void test_counts(void **state)
{
    (void)state;
    struct intel_digest_counts c = {0};
    assert_string_equal(intel_digest_counts_zh(&c, arena),
                        "红色预警 0 条，橙色预警 0 条，黄色预警 0 条，蓝色预警 0 条，共 0 条");
    intel_digest_count(&c, true, WARN_RED);
    intel_digest_count(&c, true, WARN_ORANGE);
    intel_digest_count(&c, true, WARN_ORANGE);
    intel_digest_count(&c, true, WARN_BLUE);
    assert_int_equal(c.colour[WARN_RED], 1);
    assert_int_equal(c.colour[WARN_ORANGE], 2);
    assert_int_equal(c.colour[WARN_YELLOW], 0);
    assert_int_equal(c.colour[WARN_BLUE], 1);
    assert_int_equal(c.none, 0);
    assert_int_equal(c.total, 4);
    assert_string_equal(intel_digest_counts_zh(&c, arena),
                        "红色预警 1 条，橙色预警 2 条，黄色预警 0 条，蓝色预警 1 条，共 4 条");
    /* Without a colour (the colour value is then not looked at). */
    intel_digest_count(&c, false, WARN_RED);
    intel_digest_count(&c, false, (enum warn_colour)99);
    assert_int_equal(c.colour[WARN_RED], 1);
    assert_int_equal(c.none, 2);
    assert_int_equal(c.total, 6);
    assert_string_equal(
        intel_digest_counts_zh(&c, arena),
        "红色预警 1 条，橙色预警 2 条，黄色预警 0 条，蓝色预警 1 条，未定级 2 条，共 6 条");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),       cmocka_unit_test(test_week),
        cmocka_unit_test(test_week_new_year), cmocka_unit_test(test_week_every_day),
        cmocka_unit_test(test_month),         cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
