/*
 * incidents.c - an incident's states and the moves between them, the level rows,
 * the grading helper (STANDARDS.md §2), the report forms and what must be
 * reported upward by when (STANDARDS.md §3). Dispatch lives in dispatch.c.
 */
#include "incidents/incidents.h"

#include <stdarg.h>

#include "core/yj.h"
#include "incidents/incidents_int.h"

int inc_vocab_find(const struct inc_vocab *v, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(code, v[i].code) == 0)
            return (int)i;
    return -1;
}

const char *inc_vocab_code(const struct inc_vocab *v, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? v[i].code : "unknown";
}

const char *inc_vocab_zh(const struct inc_vocab *v, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? v[i].zh : "未知";
}

/* --- states ------------------------------------------------------------------------ */

static const struct inc_vocab statuses[INC_STATUS__COUNT] = {
    [INC_REPORTED] = {"reported", "已报告"},     [INC_TRIAGED] = {"triaged", "已研判"},
    [INC_DISPATCHED] = {"dispatched", "已派单"}, [INC_IN_PROGRESS] = {"in_progress", "处置中"},
    [INC_CONTAINED] = {"contained", "已控制"},   [INC_RESOLVED] = {"resolved", "已处置"},
    [INC_CLOSED] = {"closed", "已结案"},
};

const char *inc_status_code(enum inc_status s)
{
    return inc_vocab_code(statuses, INC_STATUS__COUNT, (int)s);
}

const char *inc_status_name_zh(enum inc_status s)
{
    return inc_vocab_zh(statuses, INC_STATUS__COUNT, (int)s);
}

int inc_status_parse(const char *code, enum inc_status *s)
{
    int i = inc_vocab_find(statuses, INC_STATUS__COUNT, code);
    if (i < 0)
        return -1;
    *s = (enum inc_status)i;
    return 0;
}

enum yj_err inc_transition_check(enum inc_status from, enum inc_status to,
                                 const struct inc_transition_facts *f, struct yj_error *err)
{
    static const struct inc_transition_facts none;
    if (!f)
        f = &none;
    if ((unsigned)from >= INC_STATUS__COUNT || (unsigned)to >= INC_STATUS__COUNT)
        return yj_error_set(err, YJ_EINVAL, "status", "unknown status");
    if (f->merged)
        return yj_error_set(err, YJ_ECONFLICT, "status",
                            "merged into another incident: it no longer changes status");
    if (to == from)
        return yj_error_set(err, YJ_ECONFLICT, "status", "already %s", statuses[to].code);
    bool reopen = from == INC_RESOLVED && to == INC_IN_PROGRESS;
    if (to < from && !reopen)
        return yj_error_set(err, YJ_ECONFLICT, "status", "cannot go back from %s to %s",
                            statuses[from].code, statuses[to].code);
    if (to == INC_CLOSED && from != INC_RESOLVED)
        return yj_error_set(err, YJ_ECONFLICT, "status", "only a resolved incident can be closed");
    /* Skipping triaged does not skip its conditions: every later state needs the
     * class and the level (the level also sets a dispatch's deadlines). */
    if (!f->classified)
        return yj_error_set(err, YJ_ECONFLICT, "class_code", "classify the incident first");
    if (!f->graded)
        return yj_error_set(err, YJ_ECONFLICT, "level", "confirm a level first");
    if ((to == INC_DISPATCHED || to == INC_IN_PROGRESS) && f->live_dispatches <= 0)
        return yj_error_set(err, YJ_ECONFLICT, "dispatches",
                            "%s needs a dispatch that was not declined or withdrawn",
                            statuses[to].code);
    if (to == INC_CLOSED && !f->final_report_complete)
        return yj_error_set(err, YJ_ECONFLICT, "final_report",
                            "closing needs every item of the final report");
    return YJ_OK;
}

/* --- reference rows ----------------------------------------------------------------- */

const struct inc_level *inc_level_by_severity(const struct inc_level *levels, size_t n,
                                              int severity)
{
    for (size_t i = 0; levels && i < n; i++)
        if (levels[i].severity == severity)
            return &levels[i];
    return NULL;
}

/* --- grading vocabularies ----------------------------------------------------------- */

static const struct inc_vocab importances[] = {
    [INC_IMP_UNKNOWN] = {"unknown", "未知"},
    [INC_IMP_ESPECIALLY] = {"especially_important", "特别重要"},
    [INC_IMP_IMPORTANT] = {"important", "重要"},
    [INC_IMP_GENERAL] = {"general", "一般"},
};

static const struct inc_vocab losses[] = {
    [INC_LOSS_UNKNOWN] = {"unknown", "未知"},
    [INC_LOSS_ESPECIALLY_SERIOUS] = {"especially_serious", "特别严重"},
    [INC_LOSS_SERIOUS] = {"serious", "严重"},
    [INC_LOSS_LARGER] = {"larger", "较大"},
    [INC_LOSS_SMALLER] = {"smaller", "较小"},
};

const char *inc_importance_code(enum inc_importance i)
{
    return inc_vocab_code(importances, YJ_ARRAY_LEN(importances), (int)i);
}

int inc_importance_parse(const char *code, enum inc_importance *out)
{
    int i = inc_vocab_find(importances, YJ_ARRAY_LEN(importances), code);
    if (i < 0)
        return -1;
    *out = (enum inc_importance)i;
    return 0;
}

const char *inc_loss_code(enum inc_loss l)
{
    return inc_vocab_code(losses, YJ_ARRAY_LEN(losses), (int)l);
}

int inc_loss_parse(const char *code, enum inc_loss *out)
{
    int i = inc_vocab_find(losses, YJ_ARRAY_LEN(losses), code);
    if (i < 0)
        return -1;
    *out = (enum inc_loss)i;
    return 0;
}

/* The severity the 2007 matrix gives, 0 when importance or loss is unknown.
 * 一般 is "none of the above" in GB/Z 20986-2007, so every known pair has a cell
 * (重要 + 较小 included, which the table does not spell out). */
static int matrix_severity(enum inc_importance imp, enum inc_loss loss)
{
    static const int cell[4][5] = {
        /* loss:      -, 特别严重, 严重, 较大, 较小 */
        [INC_IMP_ESPECIALLY] = {0, 1, 2, 3, 4},
        [INC_IMP_IMPORTANT] = {0, 2, 3, 4, 4},
        [INC_IMP_GENERAL] = {0, 3, 4, 4, 4},
    };
    return cell[imp][loss];
}

/* --- the grading helper -------------------------------------------------------------- */

void inc_grading_facts_init(struct inc_grading_facts *f)
{
    *f = (struct inc_grading_facts){
        .importance = INC_IMP_UNKNOWN,
        .loss = INC_LOSS_UNKNOWN,
        .social_impact = 0,
        .people_affected = -1,
        .personal_records = -1,
        .direct_loss_cny = -1,
        .cii_outage_whole_min = -1,
        .cii_outage_main_min = -1,
        .portal_down_min = -1,
        .defacement_min = -1,
    };
}

const char *const inc_grading_metrics[] = {
    "personal_records",    "direct_loss_cny", "cii_outage_whole_min",
    "cii_outage_main_min", "portal_down_min", "defacement_min",
};
const size_t inc_grading_metrics_count = YJ_ARRAY_LEN(inc_grading_metrics);

/* How each metric of inc_grading_metrics (same order) reads in a reason. */
static const struct {
    const char *zh;
    const char *unit; /* NULL: minutes, shown in hours and minutes */
    size_t off;
} metric_info[] = {
    {"个人信息泄露", "条", offsetof(struct inc_grading_facts, personal_records)},
    {"直接经济损失", "元", offsetof(struct inc_grading_facts, direct_loss_cny)},
    {"关键信息基础设施整体中断", NULL, offsetof(struct inc_grading_facts, cii_outage_whole_min)},
    {"关键信息基础设施主要功能中断", NULL, offsetof(struct inc_grading_facts, cii_outage_main_min)},
    {"政府门户网站无法访问", NULL, offsetof(struct inc_grading_facts, portal_down_min)},
    {"首页被篡改展示违法内容", NULL, offsetof(struct inc_grading_facts, defacement_min)},
};
_Static_assert(YJ_ARRAY_LEN(metric_info) == YJ_ARRAY_LEN(inc_grading_metrics),
               "one reading per metric");

static int64_t metric_value(const struct inc_grading_facts *f, size_t i)
{
    return *(const int64_t *)(const void *)((const char *)f + metric_info[i].off);
}

/* A count in the units Chinese readers use: "9999 条", "1200 万条", "1234.5678 万条",
 * "1.5 亿元"; exact, so a value just under a threshold never reads as reaching it. */
static void fmt_count(int64_t v, const char *unit, char *out, size_t n)
{
    static const struct {
        int64_t div;
        int digits;
        const char *name;
    } scale[] = {{100000000, 8, "亿"}, {10000, 4, "万"}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(scale); i++) {
        if (v < scale[i].div)
            continue;
        char frac[16];
        int len =
            snprintf(frac, sizeof frac, "%0*lld", scale[i].digits, (long long)(v % scale[i].div));
        while (len > 0 && frac[len - 1] == '0')
            frac[--len] = '\0';
        snprintf(out, n, "%lld%s%s %s%s", (long long)(v / scale[i].div), len ? "." : "", frac,
                 scale[i].name, unit);
        return;
    }
    snprintf(out, n, "%lld %s", (long long)v, unit);
}

/* Minutes as "30 分钟", "2 小时", "2 小时 30 分钟": the thresholds are in hours. */
static void fmt_minutes(int64_t v, char *out, size_t n)
{
    if (v < 60)
        snprintf(out, n, "%lld 分钟", (long long)v);
    else if (v % 60 == 0)
        snprintf(out, n, "%lld 小时", (long long)(v / 60));
    else
        snprintf(out, n, "%lld 小时 %lld 分钟", (long long)(v / 60), (long long)(v % 60));
}

static void fmt_metric(size_t i, int64_t v, char *out, size_t n)
{
    if (metric_info[i].unit)
        fmt_count(v, metric_info[i].unit, out, n);
    else
        fmt_minutes(v, out, n);
}

/* The name of a severity: the level row's, or the standard's when the rows lack it. */
static const char *level_name(const struct inc_level *levels, size_t n, int severity)
{
    static const char *const standard[] = {"特别重大", "重大", "较大", "一般"};
    const struct inc_level *l = inc_level_by_severity(levels, n, severity);
    if (l && l->name_zh)
        return l->name_zh;
    return severity >= 1 && severity <= 4 ? standard[severity - 1] : "未定级";
}

/* One clause of a reason and the severity it reaches (0: it reaches none). */
struct clause {
    int severity;
    char text[320];
};

/* matrix, social impact, six metrics, people affected, the default: ten at most */
enum { CLAUSES_MAX = 12 };

struct clauses {
    struct clause c[CLAUSES_MAX];
    size_t n;
};

static void clause_add(struct clauses *cs, int severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void clause_add(struct clauses *cs, int severity, const char *fmt, ...)
{
    if (cs->n == CLAUSES_MAX)
        return;
    struct clause *c = &cs->c[cs->n++];
    c->severity = severity;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(c->text, sizeof c->text, fmt, ap);
    va_end(ap);
    if (len >= (int)sizeof c->text)
        yj_utf8_cut(c->text, sizeof c->text - 1);
}

/* The gravest threshold row the value reaches, else (*reached false) the row with
 * the lowest threshold, to say what it fell short of; NULL when the metric has no
 * rows. Rows the store's CHECKs would refuse (severity outside 1..4, threshold not
 * positive) never grade. */
static const struct inc_grading_rule *metric_rule(const struct inc_grading_rule *rules, size_t n,
                                                  const char *metric, int64_t v, bool *reached)
{
    const struct inc_grading_rule *best = NULL, *lowest = NULL;
    for (size_t i = 0; rules && i < n; i++) {
        const struct inc_grading_rule *r = &rules[i];
        if (!r->metric || strcmp(r->metric, metric) != 0 || r->severity < 1 || r->severity > 4 ||
            r->threshold <= 0)
            continue;
        if (v >= r->threshold && (!best || r->severity < best->severity))
            best = r;
        if (!lowest || r->threshold < lowest->threshold)
            lowest = r;
    }
    *reached = best != NULL;
    return best ? best : lowest;
}

static enum yj_err grading_facts_check(const struct inc_grading_facts *f, struct yj_error *err)
{
    if ((unsigned)f->importance >= YJ_ARRAY_LEN(importances))
        return yj_error_set(err, YJ_EINVAL, "importance", "unknown system importance");
    if ((unsigned)f->loss >= YJ_ARRAY_LEN(losses))
        return yj_error_set(err, YJ_EINVAL, "loss", "unknown system loss");
    if (f->social_impact < 0 || f->social_impact > 4)
        return yj_error_set(err, YJ_EINVAL, "social_impact",
                            "must be 0 (unknown) or a severity from 1 to 4");
    if (f->people_affected < -1)
        return yj_error_set(err, YJ_EINVAL, "people_affected", "must not be negative");
    for (size_t i = 0; i < inc_grading_metrics_count; i++)
        if (metric_value(f, i) < -1)
            return yj_error_set(err, YJ_EINVAL, inc_grading_metrics[i], "must not be negative");
    return YJ_OK;
}

/* The clauses of the 2007 matrix and the social impact. */
static void grade_matrix(const struct inc_grading_facts *f, const struct inc_level *levels,
                         size_t n_levels, struct clauses *cs)
{
    const char *imp = importances[f->importance].zh, *loss = losses[f->loss].zh;
    if (f->importance && f->loss) {
        int s = matrix_severity(f->importance, f->loss);
        clause_add(cs, s, "系统%s且损失%s → %s", imp, loss, level_name(levels, n_levels, s));
    } else if (f->importance) {
        clause_add(cs, 0, "系统%s，损失未知，不套用分级矩阵", imp);
    } else if (f->loss) {
        clause_add(cs, 0, "损失%s，系统重要性未知，不套用分级矩阵", loss);
    }
    if (f->social_impact)
        clause_add(cs, f->social_impact, "社会影响 → %s",
                   level_name(levels, n_levels, f->social_impact));
}

/* The clauses of the quantitative thresholds, and of the people affected. */
static void grade_metrics(const struct inc_grading_facts *f, const struct inc_grading_rule *rules,
                          size_t n_rules, const struct inc_level *levels, size_t n_levels,
                          struct clauses *cs)
{
    char val[64], thr[64];
    for (size_t i = 0; i < inc_grading_metrics_count; i++) {
        int64_t v = metric_value(f, i);
        if (v < 0)
            continue;
        fmt_metric(i, v, val, sizeof val);
        bool reached;
        const struct inc_grading_rule *r =
            metric_rule(rules, n_rules, inc_grading_metrics[i], v, &reached);
        if (!r) {
            clause_add(cs, 0, "%s %s (无分级阈值)", metric_info[i].zh, val);
            continue;
        }
        fmt_metric(i, r->threshold, thr, sizeof thr);
        clause_add(cs, reached ? r->severity : 0, "%s %s %s %s (%s%s)", metric_info[i].zh, val,
                   reached ? "≥" : "<", thr, level_name(levels, n_levels, r->severity),
                   r->confirmed ? "" : "，阈值未经确认");
    }
    if (f->people_affected >= 0) {
        fmt_count(f->people_affected, "人", val, sizeof val);
        clause_add(cs, 0, "受影响 %s (无分级阈值)", val);
    }
}

/* Appends s (and the separator before it) to out[*len..), cutting at a whole
 * character when the reason is full. */
static void reason_append(struct inc_grade_proposal *out, size_t *len, const char *s)
{
    size_t cap = sizeof out->reason;
    if (*len >= cap - 1)
        return;
    int n = snprintf(out->reason + *len, cap - *len, "%s%s", *len ? "；" : "", s);
    if (n < 0)
        return;
    if ((size_t)n >= cap - *len) {
        yj_utf8_cut(out->reason, cap - 1);
        *len = cap - 1;
        return;
    }
    *len += (size_t)n;
}

enum yj_err inc_grade_propose(const struct inc_grading_facts *f,
                              const struct inc_grading_rule *rules, size_t n_rules,
                              const struct inc_level *levels, size_t n_levels,
                              struct inc_grade_proposal *out, struct yj_error *err)
{
    out->severity = 0;
    out->reason[0] = '\0';
    enum yj_err rc = grading_facts_check(f, err);
    if (rc)
        return rc;
    struct clauses cs = {.n = 0};
    grade_matrix(f, levels, n_levels, &cs);
    grade_metrics(f, rules, n_rules, levels, n_levels, &cs);
    if (cs.n == 0) {
        snprintf(out->reason, sizeof out->reason, "未提供任何定级事实，无法建议级别");
        return YJ_OK;
    }
    int gravest = 0;
    for (size_t i = 0; i < cs.n; i++)
        if (cs.c[i].severity && (!gravest || cs.c[i].severity < gravest))
            gravest = cs.c[i].severity;
    /* The deciding clauses first: if the reason is cut, it loses the least. */
    size_t len = 0;
    for (size_t i = 0; i < cs.n; i++)
        if (gravest && cs.c[i].severity == gravest)
            reason_append(out, &len, cs.c[i].text);
    for (size_t i = 0; i < cs.n; i++)
        if (!gravest || cs.c[i].severity != gravest)
            reason_append(out, &len, cs.c[i].text);
    if (!gravest) {
        gravest = 4;
        clause_add(&cs, 0, "均未达到分级标准 → %s", level_name(levels, n_levels, 4));
        reason_append(out, &len, cs.c[cs.n - 1].text);
    }
    out->severity = gravest;
    return YJ_OK;
}

/* --- reports ------------------------------------------------------------------------ */

static const struct inc_vocab report_kinds[INC_R__COUNT] = {
    [INC_R_FIRST] = {"first", "初次报告"},
    [INC_R_PASS_ON] = {"pass_on", "逐级上报"},
    [INC_R_FOLLOWUP] = {"followup", "续报"},
    [INC_R_FINAL] = {"final", "总结报告"},
};

const char *inc_report_kind_code(enum inc_report_kind k)
{
    return inc_vocab_code(report_kinds, INC_R__COUNT, (int)k);
}

const char *inc_report_kind_name_zh(enum inc_report_kind k)
{
    return inc_vocab_zh(report_kinds, INC_R__COUNT, (int)k);
}

int inc_report_kind_parse(const char *code, enum inc_report_kind *k)
{
    int i = inc_vocab_find(report_kinds, INC_R__COUNT, code);
    if (i < 0)
        return -1;
    *k = (enum inc_report_kind)i;
    return 0;
}

/* The receiving office passes the report on to the office above it; the rows do
 * not name that office, which differs per operator type. */
static const char pass_on_recipient[] = "上级主管部门";

size_t inc_report_obligations(const struct inc_level *lvl, const struct inc_report_rule *rule,
                              int64_t discovered_at, int64_t received_at, int64_t resolved_at,
                              struct inc_report_due out[3])
{
    if (!lvl || !rule || !lvl->must_report)
        return 0;
    size_t n = 0;
    out[n++] =
        (struct inc_report_due){INC_R_FIRST, rule->recipient_zh,
                                discovered_at + (int64_t)rule->first_minutes * INC_MINUTE_MS};
    if (lvl->pass_on)
        out[n++] = (struct inc_report_due){
            INC_R_PASS_ON, pass_on_recipient,
            received_at ? received_at + (int64_t)rule->pass_on_minutes * INC_MINUTE_MS : 0};
    out[n++] = (struct inc_report_due){
        INC_R_FINAL, rule->recipient_zh,
        resolved_at ? resolved_at + (int64_t)rule->final_days * 24 * 60 * INC_MINUTE_MS : 0};
    return n;
}

/* The measures' list (STANDARDS.md §3): when the cause is not yet known, the unit
 * and system and what was found go first (stage 1); the rest follow. */
const struct inc_form_item inc_report_items[] = {
    {"unit_system", "事件发生单位及受影响系统", 1, true},
    {"discovery",
     "发现时间、地点、事件类型、级别、已造成的危害、已采取的措施及效果"
     "（勒索事件含赎金金额、支付方式和日期）",
     1, true},
    {"development", "事态发展趋势", 2, true},
    {"cause", "初步原因分析", 2, true},
    {"leads", "攻击者、攻击路径、利用的漏洞等线索", 2, true},
    {"next_measures", "下一步措施及需要支援的事项", 2, true},
    {"scene", "现场保护情况", 2, true},
    {"other", "其他需要报告的情况", 2, false},
};
const size_t inc_report_items_count = YJ_ARRAY_LEN(inc_report_items);

/* A final report does not go in parts: all its items are stage 1, so a form is
 * stage-1 complete exactly when it is complete. */
const struct inc_form_item inc_final_items[] = {
    {"cause", "事件原因", 1, true},         {"impact", "危害及影响", 1, true},
    {"measures", "处置措施", 1, true},      {"accountability", "责任认定及处理", 1, true},
    {"rectification", "整改情况", 1, true}, {"lessons", "经验教训", 1, true},
};
const size_t inc_final_items_count = YJ_ARRAY_LEN(inc_final_items);

/* Whitespace alone (ASCII or the ideographic space U+3000) does not fill an item. */
static bool filled(const char *s)
{
    if (!s)
        return false;
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
            s += 3;
        else
            return true;
    }
    return false;
}

enum yj_err inc_form_check(const struct inc_form_item *items, size_t n_items,
                           const struct inc_form_value *v, size_t n, bool *stage1, bool *complete,
                           struct yj_error *err)
{
    char field[YJ_ERR_FIELD_MAX];
    for (size_t i = 0; i < n; i++) {
        const char *code = v[i].code ? v[i].code : "";
        if (snprintf(field, sizeof field, "content.%s", code) >= (int)sizeof field)
            yj_utf8_cut(field, sizeof field - 1); /* the field goes back in JSON: keep it text */
        size_t k = 0;
        while (k < n_items && strcmp(items[k].code, code) != 0)
            k++;
        if (k == n_items)
            return yj_error_set(err, YJ_EINVAL, field, "not an item of this form");
        for (size_t j = 0; j < i; j++)
            if (v[j].code && strcmp(v[j].code, code) == 0)
                return yj_error_set(err, YJ_EINVAL, field, "given twice");
        const char *t = v[i].text;
        if (!t)
            continue;
        if (!yj_utf8_text_ok(t, strlen(t)))
            return yj_error_set(err, YJ_EINVAL, field,
                                "must be UTF-8 text without control characters");
        if (yj_utf8_chars(t) > INC_TEXT_MAX)
            return yj_error_set(err, YJ_EINVAL, field, "at most %d characters", INC_TEXT_MAX);
    }
    bool s1 = true, all = true;
    for (size_t k = 0; k < n_items; k++) {
        if (!items[k].required)
            continue;
        bool have = false;
        for (size_t i = 0; i < n && !have; i++)
            have = v[i].code && strcmp(v[i].code, items[k].code) == 0 && filled(v[i].text);
        if (!have) {
            all = false;
            if (items[k].stage == 1)
                s1 = false;
        }
    }
    if (stage1)
        *stage1 = s1;
    if (complete)
        *complete = all;
    return YJ_OK;
}
