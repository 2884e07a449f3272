/*
 * fuzz_time.c - the RFC 3339 and calendar-date parsers (API times, founded_on)
 * and their formatters: a parsed time formatted and parsed again is the same
 * instant, a parsed date prints back as itself, and (reading the first eight
 * bytes as an instant) every instant the formatter writes in years 1000-9999
 * parses back to itself.
 */
#include "core/yj.h"
#include "fuzz.h"

/* The instants yj_time_parse can return: years 1000 to 9999, in UTC. */
static int64_t first_ms(void)
{
    return yj_days_from_civil(1000, 1, 1) * 86400000;
}

static int64_t last_ms(void)
{
    return yj_days_from_civil(9999, 12, 31) * 86400000 + 86399999;
}

static void check_time_text(const char *s)
{
    int64_t ms = 0;
    if (yj_time_parse(s, &ms) != 0)
        return;
    FUZZ_CHECK(ms >= first_ms() && ms <= last_ms());
    char out[YJ_TIME_STRLEN];
    yj_time_format(ms, out);
    int64_t again = 0;
    FUZZ_CHECK(yj_time_parse(out, &again) == 0);
    FUZZ_CHECK(again == ms);
    /* The local date it was written with is a real date too. */
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    int y, m, d;
    FUZZ_CHECK(yj_date_parse(date, &y, &m, &d) == 0);
}

static void check_date_text(const char *s)
{
    int y, m, d;
    if (yj_date_parse(s, &y, &m, &d) != 0)
        return;
    FUZZ_CHECK(yj_date_valid(y, m, d));
    char out[16];
    snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    FUZZ_CHECK(strcmp(out, s) == 0);
    /* Midnight of that date, written as an RFC 3339 time, is that day's first instant. */
    char t[40];
    snprintf(t, sizeof t, "%sT00:00:00Z", s);
    int64_t ms = 0;
    FUZZ_CHECK(yj_time_parse(t, &ms) == 0);
    FUZZ_CHECK(ms == yj_days_from_civil(y, m, d) * 86400000);
}

static void check_instant(int64_t ms)
{
    char out[YJ_TIME_STRLEN];
    yj_time_format(ms, out);
    FUZZ_CHECK(strlen(out) == 24);
    int64_t back = 0;
    if (ms >= first_ms() && ms <= last_ms()) {
        FUZZ_CHECK(yj_time_parse(out, &back) == 0);
        FUZZ_CHECK(back == ms);
    }
    char date[11];
    yj_date_cst(ms, date);
    FUZZ_CHECK(strlen(date) == 10);
    const int64_t cst = 8 * 3600000;
    int y, m, d;
    if (ms >= first_ms() - cst && ms <= last_ms() - cst)
        FUZZ_CHECK(yj_date_parse(date, &y, &m, &d) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    check_time_text(s);
    check_date_text(s);
    if (size >= sizeof(int64_t)) {
        int64_t ms;
        memcpy(&ms, data, sizeof ms);
        check_instant(ms);
    }
    free(s);
    return 0;
}
