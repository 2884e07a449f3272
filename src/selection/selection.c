/*
 * selection.c - campaigns and their stages, grades, and how experts' scores
 * become a ranking.
 */
#include "selection/selection.h"

#include "core/yj.h"

static const struct {
    const char *code, *zh;
} stages[SEL_STAGE__COUNT] = {
    [SEL_STAGE_DRAFT] = {"draft", "筹备"},         [SEL_STAGE_OPEN] = {"open", "申报"},
    [SEL_STAGE_REVIEW] = {"review", "评审"},       [SEL_STAGE_NOTICE] = {"notice", "公示"},
    [SEL_STAGE_PUBLISHED] = {"published", "公布"}, [SEL_STAGE_CLOSED] = {"closed", "结束"},
};

const char *sel_stage_code(enum sel_stage s)
{
    return (unsigned)s < SEL_STAGE__COUNT ? stages[s].code : "unknown";
}

const char *sel_stage_name_zh(enum sel_stage s)
{
    return (unsigned)s < SEL_STAGE__COUNT ? stages[s].zh : "未知";
}

int sel_stage_parse(const char *code, enum sel_stage *s)
{
    for (int i = 0; code && i < SEL_STAGE__COUNT; i++)
        if (strcmp(code, stages[i].code) == 0) {
            *s = (enum sel_stage)i;
            return 0;
        }
    return -1;
}

void sel_thresholds_default(struct sel_thresholds *t)
{
    t->min_registered_capital = 2000000;
    t->min_years_in_field = 3;
    t->min_certified_staff = 10;
    t->require_office_in_province = true;
    t->min_capability_fields = 1;
    t->require_declarations = true;
}

const struct sel_criterion sel_default_rubric[] = {
    {"basic", "基本情况", 20},
    {"staffing", "人员配备", 20},
    {"systems", "制度建设与保密管理", 20},
    {SEL_TIEBREAK_CRITERION, "技术能力", 30},
    {"past_support", "前期支撑情况", 10},
};
const size_t sel_default_rubric_count = YJ_ARRAY_LEN(sel_default_rubric);

static const struct {
    const char *code, *zh;
} grades[] = {
    [SEL_GRADE_EXCELLENT] = {"excellent", "优秀"},
    [SEL_GRADE_QUALIFIED] = {"qualified", "合格"},
    [SEL_GRADE_UNQUALIFIED] = {"unqualified", "不合格"},
};

const char *sel_grade_code(enum sel_grade g)
{
    return (unsigned)g < YJ_ARRAY_LEN(grades) ? grades[g].code : "unknown";
}

const char *sel_grade_name_zh(enum sel_grade g)
{
    return (unsigned)g < YJ_ARRAY_LEN(grades) ? grades[g].zh : "未知";
}

int sel_grade_parse(const char *code, enum sel_grade *g)
{
    for (size_t i = 0; code && i < YJ_ARRAY_LEN(grades); i++)
        if (strcmp(code, grades[i].code) == 0) {
            *g = (enum sel_grade)i;
            return 0;
        }
    return -1;
}

/* Text given, UTF-8 without control characters, within max characters. */
static enum yj_err text(const char *s, bool required, size_t max, const char *field,
                        struct yj_error *err)
{
    if (!s || !*s)
        return required ? yj_error_set(err, YJ_EINVAL, field, "required") : YJ_OK;
    if (!yj_utf8_text_ok(s, strlen(s)))
        return yj_error_set(err, YJ_EINVAL, field, "must be UTF-8 text without control characters");
    if (yj_utf8_chars(s) > max)
        return yj_error_set(err, YJ_EINVAL, field, "at most %zu characters", max);
    return YJ_OK;
}

/* The pattern has a sequence token {N...} and only known tokens. */
static bool pattern_ok(const char *p)
{
    bool seq = false;
    for (const char *q = p; *q; q++) {
        if (*q != '{')
            continue;
        const char *end = strchr(q, '}');
        if (!end)
            return false;
        size_t len = (size_t)(end - q - 1);
        if (len == 4 && strncmp(q + 1, "YYYY", 4) == 0) {
            /* the year */
        } else if (len >= 1 && len <= 9 && strspn(q + 1, "N") == len) {
            seq = true;
        } else {
            return false;
        }
        q = end;
    }
    return seq;
}

enum yj_err sel_campaign_validate(const struct sel_campaign *c, struct yj_error *err)
{
    enum yj_err rc = text(c->name, true, SEL_NAME_MAX, "name", err);
    if (!rc)
        rc = text(c->title, true, SEL_NAME_MAX, "title", err);
    if (!rc && c->province && !unit_province_valid(c->province))
        rc = yj_error_set(err, YJ_EINVAL, "province", "not a provincial-level division");
    if (!rc)
        rc = text(c->city, false, UNIT_TEXT_MAX, "city", err);
    if (rc)
        return rc;
    if (c->term_no < 0 || c->term_no > 1000)
        return yj_error_set(err, YJ_EINVAL, "term_no", "must be from 0 (not given) to 1000");
    if (c->deadline_at <= 0)
        return yj_error_set(err, YJ_EINVAL, "deadline_at", "required");
    if (c->opens_at && c->opens_at >= c->deadline_at)
        return yj_error_set(err, YJ_EINVAL, "opens_at", "must be before the deadline");
    if (c->validity_years < 1 || c->validity_years > 10)
        return yj_error_set(err, YJ_EINVAL, "validity_years", "must be from 1 to 10");
    if (c->places < 1 || c->places > 10000)
        return yj_error_set(err, YJ_EINVAL, "places", "must be from 1 to 10000");
    if (!c->cert_number_pattern || !pattern_ok(c->cert_number_pattern) ||
        strlen(c->cert_number_pattern) > 64)
        return yj_error_set(err, YJ_EINVAL, "cert_number_pattern",
                            "needs a sequence such as {NNN}; tokens: {YYYY}, {N...}");
    const struct sel_thresholds *t = &c->thresholds;
    static const struct {
        const char *field;
        size_t off;
    } th[] = {
        {"thresholds.min_registered_capital",
         offsetof(struct sel_thresholds, min_registered_capital)},
        {"thresholds.min_years_in_field", offsetof(struct sel_thresholds, min_years_in_field)},
        {"thresholds.min_certified_staff", offsetof(struct sel_thresholds, min_certified_staff)},
        {"thresholds.min_capability_fields",
         offsetof(struct sel_thresholds, min_capability_fields)},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(th); i++) {
        int64_t v = *(const int64_t *)(const void *)((const char *)t + th[i].off);
        if (v < 0 || v > 1000000000000LL)
            return yj_error_set(err, YJ_EINVAL, th[i].field, "must be from 0 to 10^12");
    }
    if (t->min_capability_fields > (int64_t)unit_capability_fields_count)
        return yj_error_set(err, YJ_EINVAL, "thresholds.min_capability_fields",
                            "there are only %zu capability fields", unit_capability_fields_count);
    if (c->n_authorities < 1 || c->n_authorities > SEL_AUTHORITIES_MAX)
        return yj_error_set(err, YJ_EINVAL, "authorities", "name 1 to %d issuing authorities",
                            SEL_AUTHORITIES_MAX);
    for (size_t i = 0; i < c->n_authorities; i++) {
        char f[48];
        snprintf(f, sizeof f, "authorities[%zu]", i);
        if ((rc = text(c->authorities[i], true, UNIT_TEXT_MAX, f, err)) != YJ_OK)
            return rc;
    }
    if (c->n_criteria < 1 || c->n_criteria > SEL_CRITERIA_MAX)
        return yj_error_set(err, YJ_EINVAL, "criteria", "1 to %d rubric criteria",
                            SEL_CRITERIA_MAX);
    for (size_t i = 0; i < c->n_criteria; i++) {
        const struct sel_criterion *k = &c->criteria[i];
        char f[64];
        snprintf(f, sizeof f, "criteria[%zu].code", i);
        if ((rc = text(k->code, true, 32, f, err)) != YJ_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->criteria[j].code, k->code) == 0)
                return yj_error_set(err, YJ_EINVAL, f, "used twice");
        snprintf(f, sizeof f, "criteria[%zu].name", i);
        if ((rc = text(k->name, true, 100, f, err)) != YJ_OK)
            return rc;
        if (k->max_points < 1 || k->max_points > 1000) {
            snprintf(f, sizeof f, "criteria[%zu].max_points", i);
            return yj_error_set(err, YJ_EINVAL, f, "must be from 1 to 1000");
        }
    }
    return YJ_OK;
}

enum yj_err sel_stage_check(const struct sel_campaign *c, enum sel_stage to, int64_t now,
                            const struct sel_stage_facts *f, struct yj_error *err)
{
    if ((unsigned)to >= SEL_STAGE__COUNT || (int)to != (int)c->stage + 1)
        return yj_error_set(err, YJ_ECONFLICT, "to", "a campaign in %s moves only to %s",
                            sel_stage_code(c->stage),
                            c->stage + 1 < SEL_STAGE__COUNT ? sel_stage_code(c->stage + 1)
                                                            : "nothing (it is closed)");
    switch (to) {
    case SEL_STAGE_OPEN:
        if (c->deadline_at <= now)
            return yj_error_set(err, YJ_ECONFLICT, "deadline_at",
                                "the deadline has passed; set a later one first");
        break;
    case SEL_STAGE_REVIEW:
        if (now < c->deadline_at)
            return yj_error_set(err, YJ_ECONFLICT, "to",
                                "applications are open until the deadline");
        break;
    case SEL_STAGE_NOTICE:
        if (!c->notice_starts_at || !c->notice_ends_at || c->notice_starts_at >= c->notice_ends_at)
            return yj_error_set(err, YJ_ECONFLICT, "notice_ends_at",
                                "set the public notice period first");
        if (f && f->undecided_applications > 0)
            return yj_error_set(err, YJ_ECONFLICT, "to",
                                "%lld applications have no outcome yet; approve the proposed "
                                "list first",
                                (long long)f->undecided_applications);
        break;
    case SEL_STAGE_PUBLISHED:
        if (now < c->notice_ends_at)
            return yj_error_set(err, YJ_ECONFLICT, "to", "the public notice has not ended");
        if (f && f->undecided_objections > 0)
            return yj_error_set(err, YJ_ECONFLICT, "to", "%lld objections are still undecided",
                                (long long)f->undecided_objections);
        break;
    default:
        break;
    }
    return YJ_OK;
}

int64_t sel_aggregate(const int64_t *totals, size_t n)
{
    if (n == 0)
        return -1;
    int64_t lo = totals[0], hi = totals[0];
    for (size_t i = 0; i < n; i++) {
        lo = totals[i] < lo ? totals[i] : lo;
        hi = totals[i] > hi ? totals[i] : hi;
    }
    int64_t count = (int64_t)n;
    /* The panel's extremes are dropped (once each) so one outlier cannot decide. */
    bool drop = n >= 5, dropped_lo = false, dropped_hi = false;
    if (drop)
        count -= 2;
    /* The mean as quotient and remainder accumulated per total, so that no
     * intermediate sum overflows whatever the totals. */
    int64_t q = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t t = totals[i];
        if (drop && !dropped_lo && t == lo) {
            dropped_lo = true;
            continue;
        }
        if (drop && !dropped_hi && t == hi) {
            dropped_hi = true;
            continue;
        }
        q += t / count;
        r += t % count;
        q += r / count;
        r %= count;
    }
    /* In hundredths, rounded half up (scores are never negative). */
    return q * 100 + (r * 200 + count) / (2 * count);
}

static int rank_cmp(const void *pa, const void *pb)
{
    const struct sel_rank_entry *a = pa, *b = pb;
    if (a->score_centi != b->score_centi)
        return a->score_centi > b->score_centi ? -1 : 1;
    if (a->tiebreak_centi != b->tiebreak_centi)
        return a->tiebreak_centi > b->tiebreak_centi ? -1 : 1;
    if (a->submitted_at != b->submitted_at)
        return a->submitted_at < b->submitted_at ? -1 : 1;
    return a->application_id < b->application_id ? -1 : a->application_id > b->application_id;
}

void sel_rank(struct sel_rank_entry *e, size_t n)
{
    if (n > 1)
        qsort(e, n, sizeof *e, rank_cmp);
    for (size_t i = 0; i < n; i++)
        e[i].rank = (int64_t)i + 1;
}
