/*
 * digest.c - the rules of the weekly and monthly bulletin digest (digest.h): the
 * period a date falls in, in China Standard Time, its ISO 8601 week, the title and
 * the counts by warning colour.
 */
#include "intel/digest.h"

#include "core/yj.h"

#define DAY_MS INT64_C(86400000)
#define CST_OFFSET_MS INT64_C(28800000) /* UTC+8 */

static const char *const period_codes[INTEL_DIGEST__COUNT] = {"week", "month"};
static const char *const period_zh[INTEL_DIGEST__COUNT] = {"周报", "月报"};

const char *intel_digest_period_code(enum intel_digest_period p)
{
    return (unsigned)p < INTEL_DIGEST__COUNT ? period_codes[p] : "unknown";
}

const char *intel_digest_period_name_zh(enum intel_digest_period p)
{
    return (unsigned)p < INTEL_DIGEST__COUNT ? period_zh[p] : "未知";
}

int intel_digest_period_parse(const char *code, enum intel_digest_period *p)
{
    for (int i = 0; code && i < INTEL_DIGEST__COUNT; i++)
        if (strcmp(code, period_codes[i]) == 0) {
            *p = (enum intel_digest_period)i;
            return 0;
        }
    return -1;
}

/* The calendar date of day number days (since 1970-01-01). The clock module keeps its
 * inverse of yj_days_from_civil private; its CST date of the day's UTC noon is it. */
static void civil(int64_t days, int *y, int *m, int *d)
{
    char s[11];
    yj_date_cst(days * DAY_MS + DAY_MS / 2 - CST_OFFSET_MS, s);
    if (yj_date_parse(s, y, m, d) != 0)
        *y = *m = *d = 0; /* not reached: days stay within the years digests accept */
}

/* Monday 0 .. Sunday 6; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
    int64_t r = (days + 3) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

static int days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

enum yj_err intel_digest_span(enum intel_digest_period p, const char *date, const char *field,
                              struct intel_digest_span *out, struct yj_error *err)
{
    int y, m, d;
    if (!date || yj_date_parse(date, &y, &m, &d) != 0 || y < INTEL_DIGEST_YEAR_MIN ||
        y > INTEL_DIGEST_YEAR_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "must be a date YYYY-MM-DD from %d to %d",
                            INTEL_DIGEST_YEAR_MIN, INTEL_DIGEST_YEAR_MAX);
    if ((unsigned)p >= INTEL_DIGEST__COUNT)
        return yj_error_set(err, YJ_EINVAL, "period", "must be week or month");
    struct intel_digest_span s = {.period = p};
    int64_t first, last;
    if (p == INTEL_DIGEST_WEEK) {
        int64_t day = yj_days_from_civil(y, m, d);
        first = day - weekday(day);
        last = first + 6;
        /* ISO 8601: a week belongs to the year of its Thursday, and week 1 is the one
         * holding the year's first Thursday. */
        int ty, tm, td;
        civil(first + 3, &ty, &tm, &td);
        s.year = ty;
        s.number = (int)((first + 3 - yj_days_from_civil(ty, 1, 1)) / 7) + 1;
    } else {
        first = yj_days_from_civil(y, m, 1);
        last = first + days_in_month(y, m) - 1;
        s.year = y;
        s.number = m;
    }
    civil(first, &s.first_y, &s.first_m, &s.first_d);
    civil(last, &s.last_y, &s.last_m, &s.last_d);
    s.from_ms = first * DAY_MS - CST_OFFSET_MS;
    s.to_ms = (last + 1) * DAY_MS - CST_OFFSET_MS;
    *out = s;
    return YJ_OK;
}

/* "11月16日", or "2025年12月29日" when the day is not in the title's year. */
static const char *day_zh(struct yj_arena *a, int title_year, int y, int m, int d)
{
    return y == title_year ? yj_arena_printf(a, "%d月%d日", m, d)
                           : yj_arena_printf(a, "%d年%d月%d日", y, m, d);
}

const char *intel_digest_title(const struct intel_digest_span *s, struct yj_arena *a)
{
    if (s->period == INTEL_DIGEST_MONTH)
        return yj_arena_printf(a, "网络安全预警通报 %s %d年%d月", period_zh[s->period], s->year,
                               s->number);
    const char *from = day_zh(a, s->year, s->first_y, s->first_m, s->first_d);
    const char *to = day_zh(a, s->year, s->last_y, s->last_m, s->last_d);
    if (!from || !to)
        return NULL;
    return yj_arena_printf(a, "网络安全预警通报 %s %d年第%d周 (%s—%s)", period_zh[s->period],
                           s->year, s->number, from, to);
}

const char *intel_digest_label(const struct intel_digest_span *s, struct yj_arena *a)
{
    return s->period == INTEL_DIGEST_WEEK ? yj_arena_printf(a, "%04d-W%02d", s->year, s->number)
                                          : yj_arena_printf(a, "%04d-%02d", s->year, s->number);
}

void intel_digest_day(const struct intel_digest_span *s, bool last, char out[11])
{
    int y = last ? s->last_y : s->first_y, m = last ? s->last_m : s->first_m;
    int d = last ? s->last_d : s->first_d;
    /* The span's years are 1969..9999 (a week may start in the year before 1970); the
     * wide buffer is for the compiler's sake. */
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

void intel_digest_count(struct intel_digest_counts *c, bool has_colour, enum warn_colour colour)
{
    if (has_colour && (unsigned)colour < WARN_COLOUR__COUNT)
        c->colour[colour]++;
    else
        c->none++;
    c->total++;
}

const char *intel_digest_counts_zh(const struct intel_digest_counts *c, struct yj_arena *a)
{
    const char *none =
        c->none ? yj_arena_printf(a, "，未定级 %zu 条", c->none) : yj_arena_strdup(a, "");
    if (!none)
        return NULL;
    return yj_arena_printf(
        a, "%s预警 %zu 条，%s预警 %zu 条，%s预警 %zu 条，%s预警 %zu 条%s，共 %zu 条",
        warn_colour_name_zh(WARN_RED), c->colour[WARN_RED], warn_colour_name_zh(WARN_ORANGE),
        c->colour[WARN_ORANGE], warn_colour_name_zh(WARN_YELLOW), c->colour[WARN_YELLOW],
        warn_colour_name_zh(WARN_BLUE), c->colour[WARN_BLUE], none, c->total);
}
