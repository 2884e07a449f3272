/*
 * work.c - the units' work record: kinds of work, months in China Standard Time,
 * how much of a month the on-call roster covers, and whether a month (or the
 * average over months) meets the CNCERT plan's obligations.
 */
#include "incidents/work.h"

#include "core/yj.h"
#include "incidents/incidents_int.h"

static const struct inc_vocab kinds[WORK_KIND__COUNT] = {
    [WORK_INCIDENT_RESPONSE] = {"incident_response", "应急响应"},
    [WORK_TECHNICAL_SUPPORT] = {"technical_support", "技术支撑"},
    [WORK_MONITORING] = {"monitoring", "监测预警"},
    [WORK_MAJOR_EVENT] = {"major_event", "重大活动保障"},
    [WORK_OTHER] = {"other", "其他"},
};

const char *work_kind_code(enum work_kind k)
{
    return inc_vocab_code(kinds, WORK_KIND__COUNT, (int)k);
}

const char *work_kind_name_zh(enum work_kind k)
{
    return inc_vocab_zh(kinds, WORK_KIND__COUNT, (int)k);
}

int work_kind_parse(const char *code, enum work_kind *k)
{
    int i = inc_vocab_find(kinds, WORK_KIND__COUNT, code);
    if (i < 0)
        return -1;
    *k = (enum work_kind)i;
    return 0;
}

bool work_kind_counts_as_support(enum work_kind k)
{
    return (unsigned)k < WORK_KIND__COUNT && k != WORK_OTHER;
}

enum { CST_OFFSET_MS = 8 * 3600 * 1000, DAY_MS = 86400 * 1000 };

/* Midnight CST of the first of the month, in UTC ms. */
static int64_t month_start(int y, int m)
{
    return yj_days_from_civil(y, m, 1) * DAY_MS - CST_OFFSET_MS;
}

enum yj_err work_month_parse(const char *month, const char *field, int64_t *start, int64_t *end,
                             struct yj_error *err)
{
    static const char shape[] = "dddd-dd";
    bool ok = month && strlen(month) == sizeof shape - 1;
    for (size_t i = 0; ok && i < sizeof shape - 1; i++)
        ok = shape[i] == 'd' ? month[i] >= '0' && month[i] <= '9' : month[i] == shape[i];
    int y = 0, m = 0;
    if (ok) {
        y = (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 +
            (month[3] - '0');
        m = (month[5] - '0') * 10 + (month[6] - '0');
        ok = yj_date_valid(y, m, 1);
    }
    if (!ok)
        return yj_error_set(err, YJ_EINVAL, field, "must be a month as YYYY-MM");
    *start = month_start(y, m);
    *end = m == 12 ? month_start(y + 1, 1) : month_start(y, m + 1);
    return YJ_OK;
}

void work_month_of(int64_t ms, char out[8])
{
    char date[11];
    yj_date_cst(ms, date);
    memcpy(out, date, 7);
    out[7] = '\0';
}

/*
 * A sweep without sorting (nothing to allocate, so nothing to fail): from the
 * cursor, jump to the farthest end of the intervals that hold it; when none does,
 * the gap runs to the nearest start after it. Each step passes an interval's end
 * or start, so there are at most 2n + 1 steps of n comparisons: fine for a
 * month's roster.
 */
int64_t work_coverage(const struct work_interval *iv, size_t n, int64_t from, int64_t to,
                      struct work_interval *gaps, size_t max_gaps, size_t *n_gaps)
{
    int64_t covered = 0, cur = from;
    size_t ng = 0;
    while (cur < to) {
        int64_t reach = cur;
        for (size_t i = 0; i < n; i++)
            if (iv[i].from <= cur && iv[i].to > reach)
                reach = iv[i].to;
        if (reach > cur) {
            if (reach > to)
                reach = to;
            covered += reach - cur;
            cur = reach;
            continue;
        }
        int64_t next = to;
        for (size_t i = 0; i < n; i++)
            if (iv[i].from > cur && iv[i].from < next && iv[i].to > iv[i].from)
                next = iv[i].from;
        if (ng < max_gaps)
            gaps[ng] = (struct work_interval){cur, next};
        ng++;
        cur = next;
    }
    if (n_gaps)
        *n_gaps = ng;
    return covered;
}

void work_month_judge(const struct work_month_facts *f, struct work_month_result *out)
{
    out->incidents_met = f->incidents >= WORK_MIN_INCIDENTS_PER_MONTH;
    out->hours_met = f->support_minutes >= WORK_MIN_MINUTES_PER_MONTH;
    out->contact_met = f->covered_ms >= f->end - f->start;
}

void work_average(const struct work_month_facts *months, size_t n, struct work_average *out)
{
    *out = (struct work_average){0};
    if (n == 0)
        return;
    int64_t incidents = 0, minutes = 0;
    bool contact = true;
    for (size_t i = 0; i < n; i++) {
        struct work_month_result r;
        work_month_judge(&months[i], &r);
        incidents += months[i].incidents;
        minutes += months[i].support_minutes;
        contact = contact && r.contact_met;
    }
    out->incidents_per_month = (double)incidents / (double)n;
    out->hours_per_month = (double)minutes / 60.0 / (double)n;
    /* Compared in whole numbers: a mean of exactly the minimum meets it. */
    out->incidents_met = incidents >= (int64_t)n * WORK_MIN_INCIDENTS_PER_MONTH;
    out->hours_met = minutes >= (int64_t)n * WORK_MIN_MINUTES_PER_MONTH;
    out->contact_met = contact;
}

int64_t work_overlap(int64_t from, int64_t to, int64_t start, int64_t end)
{
    int64_t lo = from > start ? from : start, hi = to < end ? to : end;
    return hi > lo ? hi - lo : 0;
}
