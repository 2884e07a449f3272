/*
 * work.h - the units' work record and the obligations it proves (DOMAIN.md §4,
 * seed 002): on average at least 1 incident response and 40 hours (5 x 8) of
 * technical support a month, and a fixed contact reachable 7 x 24. Computed from
 * records (work logs, dispatches, the on-call roster, drills), never typed in.
 *
 * Pure rules: no SQL, HTTP or JSON; times in UTC ms, months in China Standard
 * Time.
 */
#ifndef YJ_INCIDENTS_WORK_H
#define YJ_INCIDENTS_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum {
    WORK_MIN_INCIDENTS_PER_MONTH = 1,
    WORK_MIN_MINUTES_PER_MONTH = 40 * 60, /* 5 x 8 hours */
    WORK_TASK_MAX = 200,
    WORK_GAPS_MAX = 10, /* roster gaps reported per month */
};

enum work_kind {
    WORK_INCIDENT_RESPONSE, /* 应急响应 */
    WORK_TECHNICAL_SUPPORT, /* 技术支撑 */
    WORK_MONITORING,        /* 监测预警 */
    WORK_MAJOR_EVENT,       /* 重大活动保障 */
    WORK_OTHER,
    WORK_KIND__COUNT
};
const char *work_kind_code(enum work_kind k); /* "incident_response", ... */
const char *work_kind_name_zh(enum work_kind k);
int work_kind_parse(const char *code, enum work_kind *k);

/* Whether a kind's hours count towards the 40 hours of technical support: every
 * kind does (the plan's 技术支撑 covers response, monitoring and protection work)
 * except WORK_OTHER. */
bool work_kind_counts_as_support(enum work_kind k);

/* The month "YYYY-MM" (China Standard Time) as [start, end) in UTC ms.
 * YJ_EINVAL naming field for anything else. */
enum yj_err work_month_parse(const char *month, const char *field, int64_t *start, int64_t *end,
                             struct yj_error *err);
/* The month (CST) an instant falls in, as "YYYY-MM" into out[8]. */
void work_month_of(int64_t ms, char out[8]);

/* A half-open interval [from, to). */
struct work_interval {
    int64_t from, to;
};

/*
 * How much of [from, to) the intervals cover (they may overlap and be in any
 * order); fills gaps (up to max_gaps, earliest first) with what is not covered
 * and *n_gaps with how many gaps there are in all.
 */
int64_t work_coverage(const struct work_interval *iv, size_t n, int64_t from, int64_t to,
                      struct work_interval *gaps, size_t max_gaps, size_t *n_gaps);

/* What the records of one unit say about one month. */
struct work_month_facts {
    int64_t start, end;       /* the month */
    int incidents;            /* distinct incidents the unit responded to: dispatches it
                                 accepted that were notified in the month, plus work logs
                                 of kind incident_response not tied to a dispatch */
    int64_t support_minutes;  /* person-minutes of logs that count as support, the part of
                                 each log inside the month */
    int64_t covered_ms;       /* of the month, covered by the on-call roster */
    size_t n_gaps;            /* roster gaps in the month */
    int dispatches, breaches; /* for the view: dispatches notified, deadlines missed */
    int drills, drills_acked; /* drill alerts sent in the month and answered */
};

struct work_month_result {
    bool incidents_met; /* incidents >= 1 */
    bool hours_met;     /* support_minutes >= 2400 */
    bool contact_met;   /* the roster covers the whole month */
};

/* The obligations of one month; a month still running counts up to now only for
 * contact (facts->end is clipped by the caller). */
void work_month_judge(const struct work_month_facts *f, struct work_month_result *out);

/* "On average": over months[0..n), the mean incidents and hours per month and
 * whether each mean meets its minimum; contact must be met in every month. */
struct work_average {
    double incidents_per_month, hours_per_month;
    bool incidents_met, hours_met, contact_met;
};
void work_average(const struct work_month_facts *months, size_t n, struct work_average *out);

/* The part of [from, to) inside [start, end), in ms (0 when disjoint). */
int64_t work_overlap(int64_t from, int64_t to, int64_t start, int64_t end);

#endif
