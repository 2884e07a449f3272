/*
 * clock.h - time, injected.
 *
 * Nothing in yingji calls time() directly: code that needs "now" takes a
 * struct yj_clock, so tests can move time without sleeping. Times are stored
 * and exchanged as UTC milliseconds since the epoch and rendered as RFC 3339;
 * calendar dates shown to users are in China Standard Time (UTC+8, no DST).
 */
#ifndef YJ_CORE_CLOCK_H
#define YJ_CORE_CLOCK_H

#include <stdint.h>

struct yj_clock {
    int64_t (*now_ms)(const struct yj_clock *c);
    void *ctx;
};

/* The real wall clock. Borrowed, static, never freed. */
const struct yj_clock *yj_clock_system(void);

/*
 * The clock a server process uses: the system clock, except in builds with
 * YJ_TESTING where, if YINGJI_TEST_CLOCK_FILE names a file, "now" is the
 * integer (ms since epoch) in that file, re-read on every call, so a test can
 * move a real server's time forward. Borrowed, static.
 */
const struct yj_clock *yj_clock_default(void);

/* A fixed clock for unit tests: now is *(int64_t *)c->ctx. */
int64_t yj_clock_fixed_now(const struct yj_clock *c);

static inline int64_t yj_now_ms(const struct yj_clock *c)
{
    return c->now_ms(c);
}

enum { YJ_TIME_STRLEN = 32 };

/* Writes "2026-11-22T04:17:00.123Z" into out (at least YJ_TIME_STRLEN bytes). */
void yj_time_format(int64_t ms, char *out);

/*
 * Parses RFC 3339 ("2026-01-09T17:00:00+08:00", "...Z", optional fraction of up
 * to 9 digits, kept to milliseconds). Returns 0 on success, -1 if malformed or
 * not a real instant (e.g. February 30).
 */
int yj_time_parse(const char *s, int64_t *ms);

/* 1 when y-m-d is a real Gregorian date in years 1000..9999. */
int yj_date_valid(int y, int m, int d);

/* Parses exactly "YYYY-MM-DD" into a real date. Returns 0 or -1. */
int yj_date_parse(const char *s, int *y, int *m, int *d);

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t yj_days_from_civil(int y, int m, int d);

/* The calendar date (China Standard Time) of an instant, as "YYYY-MM-DD" into out[11]. */
void yj_date_cst(int64_t ms, char *out);

#endif
