/*
 * test_clock.c - injected clocks, RFC 3339 formatting and parsing, calendar
 * dates (leap years, February 29) and the China Standard Time date of an
 * instant around midnight.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/wait.h>
#include <unistd.h>

#include "core/yj.h"

#define HOUR_MS INT64_C(3600000)
#define DAY_MS INT64_C(86400000)

/* Runs fn in a child so that a sanitizer abort fails one test instead of the run. */
static int run_isolated(int (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int64_t parse_ok(const char *s)
{
    int64_t ms = -42;
    if (yj_time_parse(s, &ms) != 0)
        fail_msg("\"%s\" rejected", s);
    return ms;
}

/* ---- clocks ---- */

static void test_fixed_clock(void **state)
{
    (void)state;
    int64_t now = 1767949200000;
    struct yj_clock c = {yj_clock_fixed_now, &now};
    assert_int_equal(yj_now_ms(&c), 1767949200000);
    now += DAY_MS;
    assert_int_equal(yj_now_ms(&c), 1767949200000 + DAY_MS);
    now = 0;
    assert_int_equal(yj_now_ms(&c), 0);
    now = -1;
    assert_int_equal(yj_now_ms(&c), -1);
}

static void test_system_clock(void **state)
{
    (void)state;
    const struct yj_clock *c = yj_clock_system();
    assert_non_null(c);
    assert_ptr_equal(c, yj_clock_system());
    int64_t a = yj_now_ms(c), b = yj_now_ms(c);
    assert_true(a > INT64_C(1704067200000)); /* after 2024-01-01 */
    assert_true(a < INT64_C(4102444800000)); /* before 2100-01-01 */
    assert_true(b >= a && b - a < 60000);
}

static void test_default_clock(void **state)
{
    (void)state;
    const struct yj_clock *c = yj_clock_default();
    assert_non_null(c);
    unsetenv("YINGJI_TEST_CLOCK_FILE");
    int64_t sys = yj_now_ms(yj_clock_system());
    int64_t d = yj_now_ms(c);
    assert_true(d >= sys && d - sys < 60000);
#ifdef YJ_TESTING
    /* Test builds read "now" from the file on every call. */
    char path[] = "/tmp/yj_clock_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "1767949200000\n", 14), 14);
    close(fd);
    setenv("YINGJI_TEST_CLOCK_FILE", path, 1);
    assert_int_equal(yj_now_ms(c), 1767949200000);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("1767949260000", f);
    fclose(f);
    assert_int_equal(yj_now_ms(c), 1767949260000);
    /* Garbage, or a missing file, falls back to the system clock. */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("soon", f);
    fclose(f);
    assert_true(yj_now_ms(c) >= sys);
    unlink(path);
    assert_true(yj_now_ms(c) >= sys);
    setenv("YINGJI_TEST_CLOCK_FILE", "", 1);
    assert_true(yj_now_ms(c) >= sys);
    unsetenv("YINGJI_TEST_CLOCK_FILE");
#endif
}

/* ---- formatting ---- */

static void test_time_format(void **state)
{
    (void)state;
    static const struct {
        int64_t ms;
        const char *s;
    } cases[] = {
        {0, "1970-01-01T00:00:00.000Z"},
        {1, "1970-01-01T00:00:00.001Z"},
        {-1, "1969-12-31T23:59:59.999Z"},
        {-DAY_MS, "1969-12-31T00:00:00.000Z"},
        {1767949200000, "2026-01-09T09:00:00.000Z"},
        {1709210096789, "2024-02-29T12:34:56.789Z"},
        {951782400000, "2000-02-29T00:00:00.000Z"},
        {INT64_C(-30610224000000), "1000-01-01T00:00:00.000Z"},
        {INT64_C(253402300799999), "9999-12-31T23:59:59.999Z"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        char out[YJ_TIME_STRLEN];
        yj_time_format(cases[i].ms, out);
        assert_string_equal(out, cases[i].s);
    }
}

/* The extremes of int64_t must not overflow inside the arithmetic. */
static int format_extremes_child(void)
{
    char out[YJ_TIME_STRLEN];
    yj_time_format(INT64_MAX, out);
    yj_time_format(INT64_MIN, out);
    return 0;
}

static void test_time_format_extremes(void **state)
{
    (void)state;
    assert_int_equal(run_isolated(format_extremes_child), 0);
}

/* ---- parsing ---- */

static void test_time_parse_zones(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_ok("2026-01-09T17:00:00+08:00"), 1767949200000);
    assert_int_equal(parse_ok("2026-01-09T09:00:00Z"), 1767949200000);
    assert_int_equal(parse_ok("2026-01-09T09:00:00+00:00"), 1767949200000);
    assert_int_equal(parse_ok("2026-01-09T09:00:00-00:00"), 1767949200000);
    assert_int_equal(parse_ok("2026-01-09T03:30:00-05:30"), 1767949200000);
    assert_int_equal(parse_ok("2026-01-09t09:00:00z"), 1767949200000);
    assert_int_equal(parse_ok("2026-01-10T08:59:00+23:59"), 1767949200000);
    /* Offsets that cross midnight and the year. */
    assert_int_equal(parse_ok("2026-01-01T07:00:00+08:00"), parse_ok("2025-12-31T23:00:00Z"));
    assert_int_equal(parse_ok("1969-12-31T19:00:00-05:00"), 0);
}

static void test_time_parse_fractions(void **state)
{
    (void)state;
    int64_t base = parse_ok("2026-01-09T09:00:00Z");
    assert_int_equal(parse_ok("2026-01-09T09:00:00.1Z"), base + 100);
    assert_int_equal(parse_ok("2026-01-09T09:00:00.12Z"), base + 120);
    assert_int_equal(parse_ok("2026-01-09T09:00:00.123Z"), base + 123);
    assert_int_equal(parse_ok("2026-01-09T09:00:00.1239Z"), base + 123); /* truncated */
    assert_int_equal(parse_ok("2026-01-09T09:00:00.999999999Z"), base + 999);
    assert_int_equal(parse_ok("2026-01-09T09:00:00.000000001Z"), base);
    assert_int_equal(parse_ok("2026-01-09T17:00:00.5+08:00"), base + 500);
    assert_int_equal(parse_ok("1969-12-31T23:59:59.5Z"), -500);
    int64_t ms;
    assert_int_equal(yj_time_parse("2026-01-09T09:00:00.Z", &ms), -1);
    assert_int_equal(yj_time_parse("2026-01-09T09:00:00.1234567890Z", &ms), -1);
    assert_int_equal(yj_time_parse("2026-01-09T09:00:00,5Z", &ms), -1);
    assert_int_equal(yj_time_parse("2026-01-09T09:00:00.5", &ms), -1);
}

static void test_time_parse_leap_days(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(parse_ok("2024-02-29T12:34:56.789Z"), 1709210096789);
    assert_int_equal(parse_ok("2000-02-29T00:00:00Z"), 951782400000);
    assert_int_equal(parse_ok("2024-02-29T00:00:00Z") + DAY_MS, parse_ok("2024-03-01T00:00:00Z"));
    assert_int_equal(parse_ok("2023-02-28T00:00:00Z") + DAY_MS, parse_ok("2023-03-01T00:00:00Z"));
    assert_int_equal(yj_time_parse("2023-02-29T00:00:00Z", &ms), -1);
    assert_int_equal(yj_time_parse("1900-02-29T00:00:00Z", &ms), -1);
    assert_int_equal(yj_time_parse("2100-02-29T00:00:00Z", &ms), -1);
    assert_int_equal(yj_time_parse("2024-02-30T00:00:00Z", &ms), -1);
    assert_int_equal(yj_time_parse("2024-04-31T00:00:00Z", &ms), -1);
}

static void test_time_parse_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2026-01-09",
        "2026-01-09T09:00:00",
        "2026-01-09 09:00:00Z",
        "2026-01-09T09:00Z",
        "2026-1-09T09:00:00Z",
        "2026-01-9T09:00:00Z",
        "26-01-09T09:00:00Z",
        "2026/01/09T09:00:00Z",
        "2026-01-09T9:00:00Z",
        "2026-01-09T09:00:00 Z",
        "2026-01-09T09:00:00Z ",
        " 2026-01-09T09:00:00Z",
        "2026-01-09T09:00:00ZZ",
        "2026-01-09T24:00:00Z",
        "2026-01-09T23:60:00Z",
        "2026-01-09T23:59:60Z",
        "2026-13-09T09:00:00Z",
        "2026-00-09T09:00:00Z",
        "2026-01-00T09:00:00Z",
        "2026-01-32T09:00:00Z",
        "0999-12-31T23:59:59Z",
        "2026-01-09T09:00:00+08",
        "2026-01-09T09:00:00+0800",
        "2026-01-09T09:00:00+8:00",
        "2026-01-09T09:00:00+24:00",
        "2026-01-09T09:00:00+08:60",
        "2026-01-09T09:00:00+08:00:00",
        "2026-01-09T09:00:00UTC",
        "2026-01-09T09:00:00+",
        "2026-01-09T09:00:00+0",
        "2026-01-09T09:00:00-08:0",
        "2026-01-09T09:-1:00Z",
        "2026-01-09T09:00:0aZ",
        "２026-01-09T09:00:00Z",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        int64_t ms = 77;
        if (yj_time_parse(bad[i], &ms) != -1)
            fail_msg("\"%s\" accepted", bad[i]);
        assert_int_equal(ms, 77); /* untouched on failure */
    }
    int64_t ms;
    assert_int_equal(yj_time_parse(NULL, &ms), -1);
}

static void test_time_round_trip(void **state)
{
    (void)state;
    static const int64_t values[] = {0,
                                     1,
                                     -1,
                                     999,
                                     1000,
                                     -1000,
                                     1767949200000,
                                     1767949200123,
                                     1709210096789,
                                     951782399999,
                                     INT64_C(-30610224000000),
                                     INT64_C(253402300799999),
                                     INT64_C(4102444800000)};
    for (size_t i = 0; i < YJ_ARRAY_LEN(values); i++) {
        char out[YJ_TIME_STRLEN];
        yj_time_format(values[i], out);
        assert_int_equal(parse_ok(out), values[i]);
    }
    /* Every hour of a leap year, off by an odd number of milliseconds. */
    for (int64_t t = parse_ok("2024-01-01T00:00:00Z"); t < parse_ok("2025-01-01T00:00:00Z");
         t += HOUR_MS + 7) {
        char out[YJ_TIME_STRLEN];
        yj_time_format(t, out);
        assert_int_equal(parse_ok(out), t);
    }
}

/* ---- calendar dates ---- */

static void test_date_valid(void **state)
{
    (void)state;
    assert_true(yj_date_valid(2024, 2, 29));
    assert_true(yj_date_valid(2000, 2, 29));
    assert_false(yj_date_valid(2023, 2, 29));
    assert_false(yj_date_valid(1900, 2, 29));
    assert_false(yj_date_valid(2100, 2, 29));
    assert_true(yj_date_valid(2023, 2, 28));
    assert_false(yj_date_valid(2024, 2, 30));
    assert_true(yj_date_valid(2026, 1, 31));
    assert_false(yj_date_valid(2026, 4, 31));
    assert_true(yj_date_valid(2026, 12, 31));
    assert_false(yj_date_valid(2026, 0, 1));
    assert_false(yj_date_valid(2026, 13, 1));
    assert_false(yj_date_valid(2026, 1, 0));
    assert_false(yj_date_valid(2026, 1, -1));
    assert_false(yj_date_valid(2026, -1, 1));
    assert_true(yj_date_valid(1000, 1, 1));
    assert_true(yj_date_valid(9999, 12, 31));
    assert_false(yj_date_valid(999, 12, 31));
    assert_false(yj_date_valid(10000, 1, 1));
}

static void test_date_parse(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_int_equal(yj_date_parse("2024-02-29", &y, &m, &d), 0);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    assert_int_equal(yj_date_parse("1000-01-01", &y, &m, &d), 0);
    assert_int_equal(yj_date_parse("9999-12-31", &y, &m, &d), 0);
    static const char *const bad[] = {
        "",           "2023-02-29", "2024-02-30",  "2024-2-29",   "2024-02-9",   "24-02-29",
        "2024/02/29", "20240229",   "2024-02-29T", "2024-02-29 ", " 2024-02-29", "2024-13-01",
        "2024-00-01", "2024-01-00", "0999-12-31",  "+024-02-29",  "2024-0a-01",  "2024--2-29",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (yj_date_parse(bad[i], &y, &m, &d) != -1)
            fail_msg("\"%s\" accepted", bad[i]);
    assert_int_equal(yj_date_parse(NULL, &y, &m, &d), -1);
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(yj_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(yj_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(yj_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(yj_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(yj_days_from_civil(2026, 1, 9), 20462);
    assert_int_equal(yj_days_from_civil(1000, 1, 1), -354285);
    assert_int_equal(yj_days_from_civil(9999, 12, 31), 2932896);
    /* Consecutive days across leap and non-leap Februaries. */
    assert_int_equal(yj_days_from_civil(2024, 3, 1) - yj_days_from_civil(2024, 2, 28), 2);
    assert_int_equal(yj_days_from_civil(2023, 3, 1) - yj_days_from_civil(2023, 2, 28), 1);
    assert_int_equal(yj_days_from_civil(2001, 1, 1) - yj_days_from_civil(2000, 1, 1), 366);
    assert_int_equal(yj_days_from_civil(2101, 1, 1) - yj_days_from_civil(2100, 1, 1), 365);
}

static void test_date_cst_midnight(void **state)
{
    (void)state;
    char out[11];
    /* Midnight in Beijing is 16:00 UTC the day before. */
    int64_t midnight = parse_ok("2026-01-08T16:00:00Z");
    yj_date_cst(midnight - 1, out);
    assert_string_equal(out, "2026-01-08");
    yj_date_cst(midnight, out);
    assert_string_equal(out, "2026-01-09");
    yj_date_cst(midnight + DAY_MS - 1, out);
    assert_string_equal(out, "2026-01-09");
    yj_date_cst(midnight + DAY_MS, out);
    assert_string_equal(out, "2026-01-10");
    /* UTC midnight is already 08:00 in Beijing. */
    yj_date_cst(parse_ok("2026-01-09T00:00:00Z"), out);
    assert_string_equal(out, "2026-01-09");
    yj_date_cst(parse_ok("2025-12-31T15:59:59.999Z"), out);
    assert_string_equal(out, "2025-12-31");
    yj_date_cst(parse_ok("2025-12-31T16:00:00Z"), out);
    assert_string_equal(out, "2026-01-01");
    yj_date_cst(parse_ok("2024-02-28T16:00:00Z"), out);
    assert_string_equal(out, "2024-02-29");
    yj_date_cst(parse_ok("2023-02-28T16:00:00Z"), out);
    assert_string_equal(out, "2023-03-01");
    /* Before the epoch: floor division, not truncation toward zero. */
    yj_date_cst(-8 * HOUR_MS, out);
    assert_string_equal(out, "1970-01-01");
    yj_date_cst(-8 * HOUR_MS - 1, out);
    assert_string_equal(out, "1969-12-31");
    yj_date_cst(0, out);
    assert_string_equal(out, "1970-01-01");
}

static int date_cst_extremes_child(void)
{
    char out[11];
    yj_date_cst(INT64_MAX, out);
    yj_date_cst(INT64_MIN, out);
    return 0;
}

static void test_date_cst_extremes(void **state)
{
    (void)state;
    assert_int_equal(run_isolated(date_cst_extremes_child), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_clock),          cmocka_unit_test(test_system_clock),
        cmocka_unit_test(test_default_clock),        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_format_extremes), cmocka_unit_test(test_time_parse_zones),
        cmocka_unit_test(test_time_parse_fractions), cmocka_unit_test(test_time_parse_leap_days),
        cmocka_unit_test(test_time_parse_malformed), cmocka_unit_test(test_time_round_trip),
        cmocka_unit_test(test_date_valid),           cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_days_from_civil),      cmocka_unit_test(test_date_cst_midnight),
        cmocka_unit_test(test_date_cst_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
