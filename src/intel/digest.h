/*
 * digest.h - the weekly and monthly digest of bulletins (预警通报周报 / 月报): the
 * period a date falls in, its number, the digest's Chinese title and the bulletins
 * counted by warning colour. The handler (src/api/digest_api.c) gathers the
 * warnings published in the period and renders them as a PDF or a JSON document.
 *
 * Periods are in China Standard Time (Asia/Shanghai: UTC+8, no daylight saving
 * since 1991), as every date yingji shows: a week runs Monday to Sunday and is
 * numbered as ISO 8601 does (week 1 holds the year's first Thursday, so the days
 * around New Year may belong to the neighbouring year's weeks); a month is the
 * calendar month.
 *
 * Pure rules: no SQL, HTTP or JSON.
 */
#ifndef YJ_INTEL_DIGEST_H
#define YJ_INTEL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "intel/threats.h"

enum intel_digest_period { INTEL_DIGEST_WEEK, INTEL_DIGEST_MONTH, INTEL_DIGEST__COUNT };

const char *intel_digest_period_code(enum intel_digest_period p);    /* "week", "month" */
const char *intel_digest_period_name_zh(enum intel_digest_period p); /* 周报, 月报 */
/* 0 and *p set for "week" or "month"; -1 for anything else (NULL included). */
int intel_digest_period_parse(const char *code, enum intel_digest_period *p);

/* Dates a digest accepts: years 1970..9998, so that a period never leaves 1970..9999. */
enum { INTEL_DIGEST_YEAR_MIN = 1970, INTEL_DIGEST_YEAR_MAX = 9998 };

/* The period of a digest. */
struct intel_digest_span {
    enum intel_digest_period period;
    int first_y, first_m, first_d; /* its first day */
    int last_y, last_m, last_d;    /* its last day (inclusive) */
    int year;                      /* a week's ISO week-numbering year; a month's year */
    int number;                    /* the ISO week 1..53, or the month 1..12 */
    /* [from_ms, to_ms): the first day's 00:00 to the 00:00 after the last day, China
     * Standard Time, as UTC milliseconds since the epoch */
    int64_t from_ms, to_ms;
};

/*
 * The week (Monday to Sunday) or month holding date, exactly "YYYY-MM-DD" and a real
 * calendar date in years INTEL_DIGEST_YEAR_MIN..MAX. YJ_EINVAL naming field otherwise,
 * *out untouched.
 */
enum yj_err intel_digest_span(enum intel_digest_period p, const char *date, const char *field,
                              struct intel_digest_span *out, struct yj_error *err);

/*
 * The digest's title, an arena string (NULL when a is exhausted):
 *   网络安全预警通报 周报 2026年第47周 (11月16日—11月22日)
 *   网络安全预警通报 月报 2026年11月
 * A week's days carry their year when it is not the week's (ISO week 1 of 2026 is
 * "(2025年12月29日—1月4日)", week 53 of 2026 "(12月28日—2027年1月3日)").
 */
const char *intel_digest_title(const struct intel_digest_span *s, struct yj_arena *a);

/* The period as a file-name label: "2026-W47" (ISO year and week), "2026-11". Arena. */
const char *intel_digest_label(const struct intel_digest_span *s, struct yj_arena *a);

/* A day of the span as "YYYY-MM-DD" into out[11]: the first (last false) or the last. */
void intel_digest_day(const struct intel_digest_span *s, bool last, char out[11]);

/* Bulletins counted by warning colour. Zero it, then add each. */
struct intel_digest_counts {
    size_t colour[WARN_COLOUR__COUNT]; /* by enum warn_colour */
    size_t none;                       /* without a colour (publishing needs one) */
    size_t total;
};

/* Counts one bulletin: by colour when has_colour, otherwise as none. */
void intel_digest_count(struct intel_digest_counts *c, bool has_colour, enum warn_colour colour);

/*
 * The counts in words, an arena string (NULL when a is exhausted): every colour,
 * zeros included, in the order red, orange, yellow, blue, then the total:
 *   红色预警 1 条，橙色预警 2 条，黄色预警 0 条，蓝色预警 1 条，共 4 条
 * with "，未定级 1 条" before the total only when some had no colour.
 */
const char *intel_digest_counts_zh(const struct intel_digest_counts *c, struct yj_arena *a);

#endif
