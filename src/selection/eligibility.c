/*
 * eligibility.c - the pre-check of an application against its campaign's
 * thresholds and the unit's history (DOMAIN.md §2): each criterion with its
 * verdict, the reason in the users' words, and the data it rests on.
 */
#include "selection/selection.h"

#include "core/yj.h"

/* Appends a check: evidence as given, the reason formatted. */
__attribute__((format(printf, 6, 7))) static void add(struct sel_eligibility *e, const char *code,
                                                      const char *name_zh, bool passed,
                                                      const char *evidence, const char *reason_fmt,
                                                      ...)
{
    if (e->n_checks >= SEL_CHECKS_MAX)
        return;
    struct sel_check *c = &e->checks[e->n_checks++];
    c->code = code;
    c->name_zh = name_zh;
    c->passed = passed;
    va_list ap;
    va_start(ap, reason_fmt);
    vsnprintf(c->reason, sizeof c->reason, reason_fmt, ap);
    va_end(ap);
    snprintf(c->evidence, sizeof c->evidence, "%s", evidence ? evidence : "");
    /* Long names can cut a reason mid-character; it must stay text for JSON. */
    yj_utf8_cut(c->reason, strlen(c->reason));
    yj_utf8_cut(c->evidence, strlen(c->evidence));
    if (!passed)
        e->eligible = false;
}

static const char *tf(bool b)
{
    return b ? "true" : "false";
}

/* 1234567 -> "1,234,567" */
static void money(int64_t v, char *out, size_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t len = strlen(digits), o = 0;
    if (v < 0 && o + 1 < n)
        out[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* Whole years from a YYYY-MM-DD date to the calendar date of `at` (CST): -1 when
 * the date is missing or malformed, 0 when it is after `at`. */
static int64_t years_between(const char *since, int64_t at)
{
    int y0, m0, d0, y1, m1, d1;
    char today[11];
    yj_date_cst(at, today);
    if (!since || yj_date_parse(since, &y0, &m0, &d0) || yj_date_parse(today, &y1, &m1, &d1))
        return -1;
    int64_t years = y1 - y0;
    if (m1 < m0 || (m1 == m0 && d1 < d0))
        years--;
    return years < 0 ? 0 : years;
}

static void legal_and_credit(const struct sel_campaign *c, const struct sel_application *a,
                             struct sel_eligibility *e)
{
    const struct sel_declarations *d = &a->declarations;
    const char *code = a->profile.credit_code ? a->profile.credit_code : "";
    bool code_ok = unit_credit_code_check(code, NULL) == YJ_OK;
    bool legal = code_ok && (!c->thresholds.require_declarations || d->independent_legal_person);
    char ev[SEL_REASON_MAX];
    snprintf(ev, sizeof ev, "credit_code=%s, independent_legal_person=%s", code,
             tf(d->independent_legal_person));
    add(e, "legal_person", "独立法人资格", legal, ev, "%s",
        legal ? "统一社会信用代码有效，声明具有独立法人资格并在境内合法经营"
        : code_ok ? "未声明具有独立法人资格及合法经营资格"
                  : "统一社会信用代码无效");
    if (!c->thresholds.require_declarations)
        return;
    bool credit = d->good_credit && d->no_criminal_record && d->no_security_incident;
    snprintf(ev, sizeof ev, "good_credit=%s, no_criminal_record=%s, no_security_incident=%s",
             tf(d->good_credit), tf(d->no_criminal_record), tf(d->no_security_incident));
    add(e, "credit_record", "资信与无不良记录", credit, ev, "%s",
        credit ? "声明资信良好、无犯罪记录、未发生安全及保密问题"
               : "未声明资信良好、无犯罪记录或未发生安全及保密问题");
}

static void capital_office_years(const struct sel_campaign *c, const struct sel_application *a,
                                 int64_t at, struct sel_eligibility *e)
{
    const struct sel_thresholds *t = &c->thresholds;
    int64_t cap = a->profile.registered_capital;
    char have[32], need[32], ev[64];
    money(cap < 0 ? 0 : cap, have, sizeof have);
    money(t->min_registered_capital, need, sizeof need);
    snprintf(ev, sizeof ev, "registered_capital=%lld", (long long)cap);
    if (cap < 0)
        add(e, "registered_capital", "注册资本", false, ev, "未填写注册资本（要求不低于 %s 元）",
            need);
    else if (cap >= t->min_registered_capital)
        add(e, "registered_capital", "注册资本", true, ev, "注册资本 %s 元，不低于 %s 元", have,
            need);
    else
        add(e, "registered_capital", "注册资本", false, ev, "注册资本 %s 元，低于 %s 元", have,
            need);

    if (t->require_office_in_province && c->province) {
        const char *found = NULL;
        for (size_t i = 0; i < a->profile.n_offices && !found; i++)
            if (a->profile.offices[i].province &&
                strcmp(a->profile.offices[i].province, c->province) == 0)
                found = a->profile.offices[i].name ? a->profile.offices[i].name : "";
        char ev2[SEL_REASON_MAX];
        snprintf(ev2, sizeof ev2, "offices_in_province=%s", found ? "yes" : "no");
        if (found)
            add(e, "office_in_province", "省内固定办事机构", true, ev2,
                "在%s设有固定办事机构（%s）", c->province, found);
        else
            add(e, "office_in_province", "省内固定办事机构", false, ev2, "未在%s设立固定办事机构",
                c->province);
    }

    int64_t years = years_between(a->security_since, at);
    char ev3[64];
    snprintf(ev3, sizeof ev3, "security_since=%s, years=%lld",
             a->security_since ? a->security_since : "", (long long)years);
    if (years < 0)
        add(e, "years_in_field", "从业年限", false, ev3, "%s",
            "未填写从事网络或数据安全领域的起始日期");
    else if (years >= t->min_years_in_field)
        add(e, "years_in_field", "从业年限", true, ev3,
            "从事网络或数据安全领域 %lld 年，不少于 %lld 年", (long long)years,
            (long long)t->min_years_in_field);
    else
        add(e, "years_in_field", "从业年限", false, ev3,
            "从事网络或数据安全领域 %lld 年，不足 %lld 年", (long long)years,
            (long long)t->min_years_in_field);
}

static void staff_and_capabilities(const struct sel_campaign *c, const struct sel_application *a,
                                   struct sel_eligibility *e)
{
    const struct sel_thresholds *t = &c->thresholds;
    int64_t certified = 0, total = (int64_t)a->profile.n_staff, in_province = 0;
    for (size_t i = 0; i < a->profile.n_staff; i++) {
        const struct unit_staff *p = &a->profile.staff[i];
        in_province += p->in_province;
        certified += p->in_province && p->n_certificates > 0;
    }
    char ev[96];
    snprintf(ev, sizeof ev, "staff=%lld, in_province=%lld, certified_in_province=%lld",
             (long long)total, (long long)in_province, (long long)certified);
    bool enough = certified >= t->min_certified_staff;
    add(e, "certified_staff", "省内持证技术人员", enough, ev,
        enough ? "省内持有认证资质的技术人员 %lld 人，不少于 %lld 人"
               : "省内持有认证资质的技术人员 %lld 人，不足 %lld 人",
        (long long)certified, (long long)t->min_certified_staff);

    int64_t n = (int64_t)a->profile.n_capabilities;
    char ev2[SEL_REASON_MAX] = "capabilities=";
    for (size_t i = 0; i < a->profile.n_capabilities; i++) {
        size_t len = strlen(ev2);
        snprintf(ev2 + len, sizeof ev2 - len, "%s%s", i ? "," : "",
                 a->profile.capabilities[i].field);
    }
    bool fields = n >= t->min_capability_fields;
    add(e, "capability_fields", "能力领域", fields, ev2,
        fields ? "具备 %lld 个领域的技术能力，不少于 %lld 个"
               : "具备 %lld 个领域的技术能力，不足 %lld 个",
        (long long)n, (long long)t->min_capability_fields);
}

static void declarations(const struct sel_campaign *c, const struct sel_application *a,
                         struct sel_eligibility *e)
{
    if (!c->thresholds.require_declarations)
        return;
    const struct sel_declarations *d = &a->declarations;
    bool sup = d->accepts_supervision && d->contact_7x24;
    char ev[SEL_REASON_MAX];
    snprintf(ev, sizeof ev, "accepts_supervision=%s, contact_7x24=%s", tf(d->accepts_supervision),
             tf(d->contact_7x24));
    add(e, "supervision_7x24", "接受监督与 7×24 联络", sup, ev, "%s",
        sup ? "声明接受监督检查并建立 7×24 小时工作联系机制"
            : "未声明接受监督检查或未建立 7×24 小时工作联系机制");
    snprintf(ev, sizeof ev, "confidentiality=%s", tf(d->confidentiality));
    add(e, "confidentiality", "保密承诺", d->confidentiality, ev, "%s",
        d->confidentiality ? "已作出保密承诺" : "未作出保密承诺");
}

/* The most recent grade (by date, then by position). */
static const struct sel_unit_grade *last_grade(const struct sel_unit_history *h)
{
    const struct sel_unit_grade *last = NULL;
    for (size_t i = 0; h && i < h->n_grades; i++)
        if (h->grades[i].graded_on &&
            (!last || strcmp(h->grades[i].graded_on, last->graded_on) >= 0))
            last = &h->grades[i];
    return last;
}

static void history(const struct sel_unit_history *h, int64_t at, struct sel_eligibility *e)
{
    const struct sel_unit_grade *g = last_grade(h);
    bool unqualified = g && g->grade == SEL_GRADE_UNQUALIFIED;
    char ev[SEL_REASON_MAX];
    snprintf(ev, sizeof ev, "last_grade=%s%s%s", g ? sel_grade_code(g->grade) : "none",
             g ? ", period=" : "", g && g->period ? g->period : "");
    if (unqualified)
        add(e, "last_grade", "上届考评结果", false, ev,
            "上届（%s）考评结果为不合格，取消本届申报资格", g->period ? g->period : "");
    else if (g)
        add(e, "last_grade", "上届考评结果", true, ev, "上届（%s）考评结果为%s",
            g->period ? g->period : "", sel_grade_name_zh(g->grade));
    else
        add(e, "last_grade", "上届考评结果", true, ev, "%s", "无上届考评记录");
    e->direct_entry = g && g->grade == SEL_GRADE_EXCELLENT;

    char day[11];
    yj_date_cst(at, day);
    const struct sel_unit_ban *ban = NULL;
    for (size_t i = 0; h && i < h->n_bans && !ban; i++)
        if (h->bans[i].starts_on && h->bans[i].ends_on && strcmp(h->bans[i].starts_on, day) <= 0 &&
            strcmp(day, h->bans[i].ends_on) <= 0)
            ban = &h->bans[i];
    char ev2[SEL_REASON_MAX];
    snprintf(ev2, sizeof ev2, "ban=%s%s%s", ban ? (ban->cause ? ban->cause : "unknown") : "none",
             ban ? ", until=" : "", ban ? ban->ends_on : "");
    if (ban)
        add(e, "not_banned", "不在禁止申报期内", false, ev2,
            "因%s被撤销资格，至 %s（含）不受理申请",
            !ban->cause                                 ? "违规"
            : strcmp(ban->cause, "misuse_of_name") == 0 ? "借用主管部门名义开展商业活动"
                                                        : ban->cause,
            ban->ends_on);
    else
        add(e, "not_banned", "不在禁止申报期内", true, ev2, "%s", "不在禁止申报期内");
}

void sel_eligibility_check(const struct sel_campaign *c, const struct sel_application *a,
                           const struct sel_unit_history *h, int64_t at,
                           struct sel_eligibility *out)
{
    memset(out, 0, sizeof *out);
    out->eligible = true;
    legal_and_credit(c, a, out);
    capital_office_years(c, a, at, out);
    staff_and_capabilities(c, a, out);
    declarations(c, a, out);
    history(h, at, out);
}
