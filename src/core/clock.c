/*
 * clock.c - clocks and RFC 3339 / calendar arithmetic (no libc time zones, so
 * results do not depend on the machine's TZ).
 */
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t system_now(const struct yj_clock *c)
{
    (void)c;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct yj_clock system_clock = {system_now, NULL};

const struct yj_clock *yj_clock_system(void)
{
    return &system_clock;
}

#ifdef YJ_TESTING
static int64_t file_now(const struct yj_clock *c)
{
    const char *path = getenv("YINGJI_TEST_CLOCK_FILE");
    if (!path || !*path)
        return system_now(c);
    FILE *f = fopen(path, "r");
    if (!f)
        return system_now(c);
    char line[64] = "";
    int64_t v = 0;
    if (fgets(line, sizeof line, f)) {
        char *end = NULL;
        long long x = strtoll(line, &end, 10);
        if (end != line)
            v = x;
    }
    fclose(f);
    return v > 0 ? v : system_now(c);
}
static const struct yj_clock default_clock = {file_now, NULL};
#else
static const struct yj_clock default_clock = {system_now, NULL};
#endif

const struct yj_clock *yj_clock_default(void)
{
    return &default_clock;
}

int64_t yj_clock_fixed_now(const struct yj_clock *c)
{
    return *(const int64_t *)c->ctx;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t yj_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Instants outside years 0..9999 cannot be written in RFC 3339: clamp to its range
 * (which also keeps the arithmetic below from overflowing). */
static int64_t clamp_ms(int64_t ms)
{
    const int64_t lo = -62167219200000LL, hi = 253402300799999LL;
    return ms < lo ? lo : ms > hi ? hi : ms;
}

void yj_time_format(int64_t ms, char *out)
{
    ms = clamp_ms(ms);
    int64_t days = floor_div(ms, 86400000);
    int64_t rem = ms - days * 86400000;
    int y, mo, d;
    civil_from_days(days, &y, &mo, &d);
    int h = (int)(rem / 3600000), mi = (int)(rem / 60000 % 60), s = (int)(rem / 1000 % 60);
    int frac = (int)(rem % 1000);
    /* The clamp keeps this at 24 characters; the wide buffer is for the compiler's sake. */
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, s, frac);
    memcpy(out, tmp, YJ_TIME_STRLEN - 1);
    out[YJ_TIME_STRLEN - 1] = '\0';
}

void yj_date_cst(int64_t ms, char *out)
{
    int y, m, d;
    ms = clamp_ms(ms);
    civil_from_days(floor_div(ms + 8 * 3600000LL, 86400000), &y, &m, &d);
    char tmp[48]; /* the clamp keeps it at 10 characters; the width is for the compiler */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

int yj_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* Reads exactly n decimal digits. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int yj_date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
        return -1;
    return yj_date_valid(*y, *m, *d) ? 0 : -1;
}

int yj_time_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, sec;
    if (!s || strlen(s) < 20)
        return -1;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (!yj_date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 59)
        return -1;
    const char *p = s + 19;
    int frac_ms = 0;
    if (*p == '.') {
        p++;
        int n = 0, v = 0;
        while (*p >= '0' && *p <= '9') {
            if (n < 3)
                v = v * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0 || n > 9)
            return -1;
        for (int i = n; i < 3; i++)
            v *= 10;
        frac_ms = v;
    }
    int offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        int sign = *p == '-' ? -1 : 1;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    int64_t days = yj_days_from_civil(y, mo, d);
    int64_t t =
        ((days * 86400 + h * 3600 + mi * 60 + sec) - (int64_t)offset_min * 60) * 1000 + frac_ms;
    /* An offset can move a local time in years 1000-9999 outside them in UTC, where
     * yj_time_format would write what this parser refuses (or clamp it): refuse it here. */
    if (t < yj_days_from_civil(1000, 1, 1) * 86400000 ||
        t >= (yj_days_from_civil(9999, 12, 31) + 1) * 86400000)
        return -1;
    *ms = t;
    return 0;
}
