/*
 * test_eligibility.c - sel_eligibility_check, criterion by criterion: a fully
 * eligible application, then one failure at a time (only that check fails, with
 * its reason and evidence), the boundaries, the carry-over rules and bans.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "selection/selection.h"

/* ---- helpers ---- */

static int64_t parse_time(const char *s)
{
    int64_t ms = 0;
    if (yj_time_parse(s, &ms) != 0)
        fail_msg("cannot parse %s", s);
    return ms;
}

static void assert_has(const char *s, const char *part)
{
    if (!strstr(s, part))
        fail_msg("\"%s\" lacks \"%s\"", s, part);
}

/* n copies of s, heap-allocated; the caller frees. */
static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *out = malloc(len * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * len, s, len);
    out[len * n] = '\0';
    return out;
}

/* ---- seed 000's campaign and an application that passes everything ---- */

enum { N_STAFF = 12 };

struct fixture {
    struct sel_campaign c;
    const char *authorities[2];
    struct sel_criterion criteria[5];
    struct sel_application a;
    struct unit_office offices[2];
    struct unit_staff staff[N_STAFF];
    const char *certs[2];
    struct unit_capability caps[3];
    struct sel_eligibility out;
};

static void fixture_campaign(struct fixture *f)
{
    struct sel_campaign *c = &f->c;
    f->authorities[0] = "六盘水市委网信办";
    f->authorities[1] = "六盘水市公安局";
    for (size_t i = 0; i < sel_default_rubric_count; i++)
        f->criteria[i] = sel_default_rubric[i];
    c->name = "第二届六盘水市网络安全应急技术支撑队伍遴选";
    c->term_no = 2;
    c->province = "贵州省";
    c->city = "六盘水市";
    c->title = "六盘水市网络安全应急技术支撑单位";
    c->deadline_at = parse_time("2026-01-09T17:00:00+08:00");
    c->validity_years = 2;
    c->places = 10;
    c->cert_number_pattern = "LPS-YJ-{YYYY}-{NNN}";
    c->stage = SEL_STAGE_REVIEW;
    sel_thresholds_default(&c->thresholds);
    c->authorities = f->authorities;
    c->n_authorities = 2;
    c->criteria = f->criteria;
    c->n_criteria = sel_default_rubric_count;
}

/* Ten certified staff in the province, one certified elsewhere, one in the
 * province without a certificate. */
static void fixture_staff(struct fixture *f)
{
    static const char *const names[N_STAFF] = {"周一", "周二", "周三", "周四", "周五", "周六",
                                               "周七", "周八", "周九", "周十", "吴一", "吴二"};
    f->certs[0] = "CISP";
    f->certs[1] = "CISSP";
    for (size_t i = 0; i < N_STAFF; i++)
        f->staff[i] = (struct unit_staff){.name = names[i],
                                          .years_in_field = 5,
                                          .in_province = i != 10,
                                          .certificates = f->certs,
                                          .n_certificates = i == 11 ? 0 : 1 + i % 2};
    f->a.profile.staff = f->staff;
    f->a.profile.n_staff = N_STAFF;
}

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    fixture_campaign(f);
    struct unit *p = &f->a.profile;
    p->name = "六盘水某网络安全技术有限公司";
    p->credit_code = "91350100M000100Y43";
    p->registered_capital = 5000000;
    p->founded_on = "2015-06-01";
    p->province = "北京市";
    f->offices[0] = (struct unit_office){
        .name = "总部", .is_headquarters = true, .province = "北京市", .city = "北京市"};
    f->offices[1] = (struct unit_office){.name = "六盘水分公司", .province = "贵州省"};
    p->offices = f->offices;
    p->n_offices = 2;
    fixture_staff(f);
    f->caps[0] = (struct unit_capability){"emergency_handling", NULL};
    f->caps[1] = (struct unit_capability){"penetration_testing", NULL};
    f->caps[2] = (struct unit_capability){"data_security", NULL};
    p->capabilities = f->caps;
    p->n_capabilities = 3;
    f->a.security_since = "2016-03-01";
    f->a.declarations = (struct sel_declarations){true, true, true, true, true, true, true};
}

static const struct sel_eligibility *run_at(struct fixture *f, const struct sel_unit_history *h,
                                            int64_t at)
{
    memset(&f->out, 0x5a, sizeof f->out); /* nothing may be left over */
    sel_eligibility_check(&f->c, &f->a, h, at, &f->out);
    return &f->out;
}

static const struct sel_eligibility *run(struct fixture *f, const struct sel_unit_history *h)
{
    return run_at(f, h, f->c.deadline_at);
}

static const char *const all_codes[] = {
    "legal_person",    "credit_record",   "registered_capital", "office_in_province",
    "years_in_field",  "certified_staff", "capability_fields",  "supervision_7x24",
    "confidentiality", "last_grade",      "not_banned"};

static void expect_codes(const struct sel_eligibility *e, const char *const *codes, size_t n)
{
    if (e->n_checks != n)
        fail_msg("expected %zu checks, got %zu", n, e->n_checks);
    for (size_t i = 0; i < n; i++)
        if (!e->checks[i].code || strcmp(e->checks[i].code, codes[i]) != 0)
            fail_msg("check %zu: expected %s, got %s", i, codes[i],
                     e->checks[i].code ? e->checks[i].code : "(null)");
}

static const struct sel_check *find(const struct sel_eligibility *e, const char *code)
{
    for (size_t i = 0; i < e->n_checks; i++)
        if (strcmp(e->checks[i].code, code) == 0)
            return &e->checks[i];
    fail_msg("no check %s", code);
    return NULL;
}

static void expect_all_passed(const struct sel_eligibility *e)
{
    for (size_t i = 0; i < e->n_checks; i++)
        if (!e->checks[i].passed)
            fail_msg("check %s failed: %s", e->checks[i].code, e->checks[i].reason);
    assert_true(e->eligible);
}

/* Exactly `code` fails; returns it. */
static const struct sel_check *expect_only_failure(const struct sel_eligibility *e,
                                                   const char *code)
{
    expect_codes(e, all_codes, YJ_ARRAY_LEN(all_codes));
    for (size_t i = 0; i < e->n_checks; i++) {
        bool should_fail = strcmp(e->checks[i].code, code) == 0;
        if (e->checks[i].passed == should_fail)
            fail_msg("check %s %s: %s", e->checks[i].code,
                     should_fail ? "passed, expected a failure" : "failed unexpectedly",
                     e->checks[i].reason);
    }
    assert_false(e->eligible);
    return find(e, code);
}

static void expect_result(const struct sel_check *c, const char *reason, const char *evidence)
{
    assert_string_equal(c->reason, reason);
    if (evidence)
        assert_string_equal(c->evidence, evidence);
}

/* ---- the eligible application ---- */

static void test_all_pass(void **state)
{
    (void)state;
    static const struct {
        const char *name_zh, *reason, *evidence;
    } want[] = {
        {"独立法人资格", "统一社会信用代码有效，声明具有独立法人资格并在境内合法经营",
         "credit_code=91350100M000100Y43, independent_legal_person=true"},
        {"资信与无不良记录", "声明资信良好、无犯罪记录、未发生安全及保密问题",
         "good_credit=true, no_criminal_record=true, no_security_incident=true"},
        {"注册资本", "注册资本 5,000,000 元，不低于 2,000,000 元", "registered_capital=5000000"},
        {"省内固定办事机构", "在贵州省设有固定办事机构（六盘水分公司）", "offices_in_province=yes"},
        {"从业年限", "从事网络或数据安全领域 9 年，不少于 3 年",
         "security_since=2016-03-01, years=9"},
        {"省内持证技术人员", "省内持有认证资质的技术人员 10 人，不少于 10 人",
         "staff=12, in_province=11, certified_in_province=10"},
        {"能力领域", "具备 3 个领域的技术能力，不少于 1 个",
         "capabilities=emergency_handling,penetration_testing,data_security"},
        {"接受监督与 7×24 联络", "声明接受监督检查并建立 7×24 小时工作联系机制",
         "accepts_supervision=true, contact_7x24=true"},
        {"保密承诺", "已作出保密承诺", "confidentiality=true"},
        {"上届考评结果", "无上届考评记录", "last_grade=none"},
        {"不在禁止申报期内", "不在禁止申报期内", "ban=none"},
    };
    struct fixture f;
    fixture_init(&f);
    const struct sel_eligibility *e = run(&f, NULL);
    expect_codes(e, all_codes, YJ_ARRAY_LEN(all_codes));
    expect_all_passed(e);
    assert_false(e->direct_entry);
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        assert_string_equal(e->checks[i].name_zh, want[i].name_zh);
        expect_result(&e->checks[i], want[i].reason, want[i].evidence);
    }
    /* An empty history is no history. */
    const struct sel_unit_history none = {NULL, 0, NULL, 0};
    e = run(&f, &none);
    expect_all_passed(e);
    assert_int_equal(e->n_checks, YJ_ARRAY_LEN(all_codes));
}

/* ---- one failure at a time ---- */

static void test_legal_person(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.a.profile.credit_code = "91350100M000100Y44"; /* wrong check character */
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "legal_person");
    expect_result(c, "统一社会信用代码无效",
                  "credit_code=91350100M000100Y44, independent_legal_person=true");
    f.a.profile.credit_code = NULL;
    c = expect_only_failure(run(&f, NULL), "legal_person");
    expect_result(c, "统一社会信用代码无效", "credit_code=, independent_legal_person=true");
    f.a.profile.credit_code = "91350100M000100Y4";
    expect_only_failure(run(&f, NULL), "legal_person");
}

static void test_declarations(void **state)
{
    (void)state;
    static const struct {
        const char *check, *reason, *evidence;
    } want[] = {
        {"legal_person", "未声明具有独立法人资格及合法经营资格",
         "credit_code=91350100M000100Y43, independent_legal_person=false"},
        {"credit_record", "未声明资信良好、无犯罪记录或未发生安全及保密问题",
         "good_credit=false, no_criminal_record=true, no_security_incident=true"},
        {"credit_record", "未声明资信良好、无犯罪记录或未发生安全及保密问题",
         "good_credit=true, no_criminal_record=false, no_security_incident=true"},
        {"credit_record", "未声明资信良好、无犯罪记录或未发生安全及保密问题",
         "good_credit=true, no_criminal_record=true, no_security_incident=false"},
        {"supervision_7x24", "未声明接受监督检查或未建立 7×24 小时工作联系机制",
         "accepts_supervision=false, contact_7x24=true"},
        {"supervision_7x24", "未声明接受监督检查或未建立 7×24 小时工作联系机制",
         "accepts_supervision=true, contact_7x24=false"},
        {"confidentiality", "未作出保密承诺", "confidentiality=false"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        struct fixture f;
        fixture_init(&f);
        bool *d[] = {
            &f.a.declarations.independent_legal_person, &f.a.declarations.good_credit,
            &f.a.declarations.no_criminal_record,       &f.a.declarations.no_security_incident,
            &f.a.declarations.accepts_supervision,      &f.a.declarations.contact_7x24,
            &f.a.declarations.confidentiality};
        *d[i] = false;
        const struct sel_check *c = expect_only_failure(run(&f, NULL), want[i].check);
        expect_result(c, want[i].reason, want[i].evidence);
    }
}

static void test_registered_capital(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.a.profile.registered_capital = 1999999;
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "registered_capital");
    expect_result(c, "注册资本 1,999,999 元，低于 2,000,000 元", "registered_capital=1999999");
    f.a.profile.registered_capital = 2000000;
    const struct sel_eligibility *e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "registered_capital"), "注册资本 2,000,000 元，不低于 2,000,000 元",
                  "registered_capital=2000000");
    f.a.profile.registered_capital = 0;
    c = expect_only_failure(run(&f, NULL), "registered_capital");
    expect_result(c, "注册资本 0 元，低于 2,000,000 元", "registered_capital=0");
    f.a.profile.registered_capital = -1;
    c = expect_only_failure(run(&f, NULL), "registered_capital");
    expect_result(c, "未填写注册资本（要求不低于 2,000,000 元）", "registered_capital=-1");
    /* The campaign's own threshold, and thousands separators at every length. */
    f.c.thresholds.min_registered_capital = 1000;
    f.a.profile.registered_capital = 1234567890;
    e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "registered_capital"), "注册资本 1,234,567,890 元，不低于 1,000 元",
                  NULL);
    f.c.thresholds.min_registered_capital = 100;
    f.a.profile.registered_capital = 99;
    c = expect_only_failure(run(&f, NULL), "registered_capital");
    expect_result(c, "注册资本 99 元，低于 100 元", NULL);
}

static void test_office_in_province(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    /* Only the Beijing headquarters: the profile's own province does not count either. */
    f.a.profile.n_offices = 1;
    f.a.profile.province = "贵州省";
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "office_in_province");
    expect_result(c, "未在贵州省设立固定办事机构", "offices_in_province=no");
    f.a.profile.n_offices = 0;
    expect_only_failure(run(&f, NULL), "office_in_province");
    /* An office without a province does not count. */
    fixture_init(&f);
    f.offices[1].province = NULL;
    expect_only_failure(run(&f, NULL), "office_in_province");
    /* The first office in the province is named. */
    fixture_init(&f);
    f.offices[0].province = "贵州省";
    f.offices[0].name = "贵阳总部";
    const struct sel_eligibility *e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "office_in_province"), "在贵州省设有固定办事机构（贵阳总部）",
                  "offices_in_province=yes");
    /* Another province's campaign. */
    fixture_init(&f);
    f.c.province = "北京市";
    e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "office_in_province"), "在北京市设有固定办事机构（总部）", NULL);
}

static void test_office_check_skipped(void **state)
{
    (void)state;
    static const char *const codes[] = {"legal_person",     "credit_record",   "registered_capital",
                                        "years_in_field",   "certified_staff", "capability_fields",
                                        "supervision_7x24", "confidentiality", "last_grade",
                                        "not_banned"};
    struct fixture f;
    fixture_init(&f);
    f.a.profile.n_offices = 0;
    f.c.thresholds.require_office_in_province = false;
    const struct sel_eligibility *e = run(&f, NULL);
    expect_codes(e, codes, YJ_ARRAY_LEN(codes));
    expect_all_passed(e);
    /* A campaign without a province has nothing to compare with. */
    fixture_init(&f);
    f.a.profile.n_offices = 0;
    f.c.province = NULL;
    e = run(&f, NULL);
    expect_codes(e, codes, YJ_ARRAY_LEN(codes));
    expect_all_passed(e);
}

static void test_years_in_field(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    /* The deadline 2026-01-09T17:00+08:00 is the date 2026-01-09. */
    f.a.security_since = "2023-01-09";
    const struct sel_eligibility *e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "years_in_field"), "从事网络或数据安全领域 3 年，不少于 3 年",
                  "security_since=2023-01-09, years=3");
    f.a.security_since = "2023-01-10";
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "years_in_field");
    expect_result(c, "从事网络或数据安全领域 2 年，不足 3 年",
                  "security_since=2023-01-10, years=2");
    f.a.security_since = "2025-06-01";
    c = expect_only_failure(run(&f, NULL), "years_in_field");
    expect_result(c, "从事网络或数据安全领域 0 年，不足 3 年",
                  "security_since=2025-06-01, years=0");
    f.a.security_since = NULL;
    c = expect_only_failure(run(&f, NULL), "years_in_field");
    expect_result(c, "未填写从事网络或数据安全领域的起始日期", "security_since=, years=-1");
    f.a.security_since = "2023-02-30";
    expect_only_failure(run(&f, NULL), "years_in_field");
    /* The campaign's own threshold. */
    f.a.security_since = "2025-01-09";
    f.c.thresholds.min_years_in_field = 1;
    expect_all_passed(run(&f, NULL));
    f.c.thresholds.min_years_in_field = 0;
    f.a.security_since = "2026-01-09";
    expect_all_passed(run(&f, NULL));
}

/* The calendar date is China's, not UTC's. */
static void test_years_in_field_china_date(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.a.security_since = "2023-01-09";
    /* 2026-01-08T16:30Z is already 2026-01-09 in Beijing. */
    expect_all_passed(run_at(&f, NULL, parse_time("2026-01-09T00:30:00+08:00")));
    expect_all_passed(run_at(&f, NULL, parse_time("2026-01-08T16:00:00Z")));
    const struct sel_eligibility *e = run_at(&f, NULL, parse_time("2026-01-08T23:59:59.999+08:00"));
    expect_only_failure(e, "years_in_field");
    assert_string_equal(find(e, "years_in_field")->evidence, "security_since=2023-01-09, years=2");
    expect_only_failure(run_at(&f, NULL, parse_time("2026-01-08T15:59:59Z")), "years_in_field");
}

/* A start date after the deadline was given, just too late: the reason must not
 * say it is missing. */
static void test_years_in_field_start_after_deadline(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.a.security_since = "2026-06-01";
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "years_in_field");
    if (strstr(c->reason, "未填写"))
        fail_msg("security_since was given, yet the reason says \"%s\"", c->reason);
}

static void test_certified_staff(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.staff[9].n_certificates = 0; /* nine certified in the province */
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "certified_staff");
    expect_result(c, "省内持有认证资质的技术人员 9 人，不足 10 人",
                  "staff=12, in_province=11, certified_in_province=9");
    /* Certified, but not in the province. */
    fixture_init(&f);
    f.staff[3].in_province = false;
    c = expect_only_failure(run(&f, NULL), "certified_staff");
    expect_result(c, "省内持有认证资质的技术人员 9 人，不足 10 人",
                  "staff=12, in_province=10, certified_in_province=9");
    /* The two that did not count start counting once they qualify. */
    fixture_init(&f);
    f.staff[10].in_province = true;
    f.staff[11].n_certificates = 1;
    const struct sel_eligibility *e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "certified_staff"), "省内持有认证资质的技术人员 12 人，不少于 10 人",
                  "staff=12, in_province=12, certified_in_province=12");
    /* Nobody at all. */
    fixture_init(&f);
    f.a.profile.n_staff = 0;
    c = expect_only_failure(run(&f, NULL), "certified_staff");
    expect_result(c, "省内持有认证资质的技术人员 0 人，不足 10 人",
                  "staff=0, in_province=0, certified_in_province=0");
}

static void test_capability_fields(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.c.thresholds.min_capability_fields = 2;
    f.a.profile.n_capabilities = 1;
    const struct sel_check *c = expect_only_failure(run(&f, NULL), "capability_fields");
    expect_result(c, "具备 1 个领域的技术能力，不足 2 个", "capabilities=emergency_handling");
    f.a.profile.n_capabilities = 2;
    const struct sel_eligibility *e = run(&f, NULL);
    expect_all_passed(e);
    expect_result(find(e, "capability_fields"), "具备 2 个领域的技术能力，不少于 2 个",
                  "capabilities=emergency_handling,penetration_testing");
    f.c.thresholds.min_capability_fields = 1;
    f.a.profile.n_capabilities = 0;
    c = expect_only_failure(run(&f, NULL), "capability_fields");
    expect_result(c, "具备 0 个领域的技术能力，不足 1 个", "capabilities=");
}

static void test_declarations_not_required(void **state)
{
    (void)state;
    static const char *const codes[] = {
        "legal_person",    "registered_capital", "office_in_province", "years_in_field",
        "certified_staff", "capability_fields",  "last_grade",         "not_banned"};
    struct fixture f;
    fixture_init(&f);
    f.c.thresholds.require_declarations = false;
    f.a.declarations = (struct sel_declarations){0};
    const struct sel_eligibility *e = run(&f, NULL);
    expect_codes(e, codes, YJ_ARRAY_LEN(codes));
    expect_all_passed(e);
    assert_string_equal(find(e, "legal_person")->evidence,
                        "credit_code=91350100M000100Y43, independent_legal_person=false");
    /* The credit code is still checked. */
    f.a.profile.credit_code = "91350100M000100Y44";
    e = run(&f, NULL);
    expect_codes(e, codes, YJ_ARRAY_LEN(codes));
    assert_false(e->eligible);
    assert_false(find(e, "legal_person")->passed);
    /* Both switches off. */
    static const char *const fewer[] = {"legal_person",    "registered_capital", "years_in_field",
                                        "certified_staff", "capability_fields",  "last_grade",
                                        "not_banned"};
    fixture_init(&f);
    f.c.thresholds.require_declarations = false;
    f.c.thresholds.require_office_in_province = false;
    e = run(&f, NULL);
    expect_codes(e, fewer, YJ_ARRAY_LEN(fewer));
    expect_all_passed(e);
}

/* ---- history: grades ---- */

static void test_last_grade_unqualified(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const struct sel_unit_grade g[] = {{"第一届", SEL_GRADE_UNQUALIFIED, "2025-12-01"}};
    const struct sel_unit_history h = {g, 1, NULL, 0};
    const struct sel_eligibility *e = run(&f, &h);
    const struct sel_check *c = expect_only_failure(e, "last_grade");
    expect_result(c, "上届（第一届）考评结果为不合格，取消本届申报资格",
                  "last_grade=unqualified, period=第一届");
    assert_has(c->reason, "第一届");
    assert_false(e->direct_entry);
}

static void test_last_grade_excellent_direct_entry(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const struct sel_unit_grade g[] = {{"第一届", SEL_GRADE_EXCELLENT, "2025-12-01"}};
    const struct sel_unit_history h = {g, 1, NULL, 0};
    const struct sel_eligibility *e = run(&f, &h);
    expect_all_passed(e);
    assert_true(e->direct_entry);
    expect_result(find(e, "last_grade"), "上届（第一届）考评结果为优秀",
                  "last_grade=excellent, period=第一届");

    const struct sel_unit_grade q[] = {{"2025", SEL_GRADE_QUALIFIED, "2025-12-01"}};
    const struct sel_unit_history hq = {q, 1, NULL, 0};
    e = run(&f, &hq);
    expect_all_passed(e);
    assert_false(e->direct_entry);
    expect_result(find(e, "last_grade"), "上届（2025）考评结果为合格",
                  "last_grade=qualified, period=2025");
}

/* The most recent grade counts, by date, wherever it sits in the list. */
static void test_last_grade_most_recent_counts(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const struct sel_unit_grade older_first[] = {
        {"第一届", SEL_GRADE_EXCELLENT, "2023-12-01"},
        {"第二届", SEL_GRADE_QUALIFIED, "2025-12-01"},
    };
    const struct sel_unit_grade newer_first[] = {
        {"第二届", SEL_GRADE_QUALIFIED, "2025-12-01"},
        {"第一届", SEL_GRADE_EXCELLENT, "2023-12-01"},
    };
    const struct sel_unit_grade *lists[] = {older_first, newer_first};
    for (size_t i = 0; i < 2; i++) {
        const struct sel_unit_history h = {lists[i], 2, NULL, 0};
        const struct sel_eligibility *e = run(&f, &h);
        expect_all_passed(e);
        assert_false(e->direct_entry);
        expect_result(find(e, "last_grade"), "上届（第二届）考评结果为合格",
                      "last_grade=qualified, period=第二届");
    }
    /* An old unqualified grade no longer bars a unit graded excellent since. */
    const struct sel_unit_grade redeemed[] = {
        {"第二届", SEL_GRADE_EXCELLENT, "2025-12-01"},
        {"第一届", SEL_GRADE_UNQUALIFIED, "2023-12-01"},
    };
    const struct sel_unit_history hr = {redeemed, 2, NULL, 0};
    const struct sel_eligibility *e = run(&f, &hr);
    expect_all_passed(e);
    assert_true(e->direct_entry);
    /* ...but a newer unqualified grade bars a once-excellent unit. */
    const struct sel_unit_grade fallen[] = {
        {"第一届", SEL_GRADE_EXCELLENT, "2023-12-01"},
        {"第二届", SEL_GRADE_UNQUALIFIED, "2025-12-01"},
    };
    const struct sel_unit_history hf = {fallen, 2, NULL, 0};
    e = run(&f, &hf);
    expect_only_failure(e, "last_grade");
    assert_has(find(e, "last_grade")->reason, "第二届");
    assert_false(e->direct_entry);
    /* A grade without a date cannot be placed and is not the last. */
    const struct sel_unit_grade undated[] = {
        {"第二届", SEL_GRADE_QUALIFIED, "2025-12-01"},
        {"第三届", SEL_GRADE_UNQUALIFIED, NULL},
    };
    const struct sel_unit_history hu = {undated, 2, NULL, 0};
    expect_all_passed(run(&f, &hu));
}

/* ---- history: bans ---- */

static void test_ban_covering_deadline(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const struct sel_unit_ban b[] = {{"misuse_of_name", "2024-07-01", "2027-06-30"}};
    const struct sel_unit_history h = {NULL, 0, b, 1};
    const struct sel_check *c = expect_only_failure(run(&f, &h), "not_banned");
    expect_result(c, "因借用主管部门名义开展商业活动被撤销资格，至 2027-06-30（含）不受理申请",
                  "ban=misuse_of_name, until=2027-06-30");
    assert_has(c->reason, "借用主管部门名义");
    assert_has(c->reason, "2027-06-30");
    /* Another cause is reported as given. */
    const struct sel_unit_ban other[] = {{"泄密造成严重后果", "2025-01-01", "2026-12-31"}};
    const struct sel_unit_history ho = {NULL, 0, other, 1};
    c = expect_only_failure(run(&f, &ho), "not_banned");
    expect_result(c, "因泄密造成严重后果被撤销资格，至 2026-12-31（含）不受理申请",
                  "ban=泄密造成严重后果, until=2026-12-31");
}

static void test_ban_bounds_inclusive(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const struct {
        const char *starts, *ends;
        bool banned;
    } cases[] = {
        {"2023-01-09", "2026-01-08", false}, /* ended the day before the deadline */
        {"2023-01-09", "2026-01-09", true},  /* ends on the deadline date */
        {"2026-01-09", "2029-01-08", true},  /* starts on the deadline date */
        {"2026-01-10", "2029-01-09", false}, /* starts the day after */
        {"2026-01-09", "2026-01-09", true},  /* one day, that day */
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        const struct sel_unit_ban b[] = {{"misuse_of_name", cases[i].starts, cases[i].ends}};
        const struct sel_unit_history h = {NULL, 0, b, 1};
        const struct sel_eligibility *e = run(&f, &h);
        if (cases[i].banned)
            expect_only_failure(e, "not_banned");
        else
            expect_all_passed(e);
    }
    /* Judged on China's date: at 00:30 on 2026-01-09 a ban that ended on the 8th is over. */
    const struct sel_unit_ban ended[] = {{"misuse_of_name", "2023-01-08", "2026-01-08"}};
    const struct sel_unit_history h = {NULL, 0, ended, 1};
    expect_all_passed(run_at(&f, &h, parse_time("2026-01-09T00:30:00+08:00")));
    expect_only_failure(run_at(&f, &h, parse_time("2026-01-08T23:30:00+08:00")), "not_banned");
}

static void test_ban_among_several(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const struct sel_unit_ban b[] = {
        {"misuse_of_name", "2019-01-01", "2021-12-31"},
        {"misuse_of_name", "2027-01-01", "2029-12-31"},
        {"misuse_of_name", "2025-03-01", "2028-02-29"},
    };
    const struct sel_unit_history h = {NULL, 0, b, 3};
    const struct sel_check *c = expect_only_failure(run(&f, &h), "not_banned");
    assert_string_equal(c->evidence, "ban=misuse_of_name, until=2028-02-29");
    const struct sel_unit_history h2 = {NULL, 0, b, 2};
    expect_all_passed(run(&f, &h2));
    /* Grades and bans together: both fail. */
    const struct sel_unit_grade g[] = {{"第一届", SEL_GRADE_UNQUALIFIED, "2025-12-01"}};
    const struct sel_unit_history both = {g, 1, b, 3};
    const struct sel_eligibility *e = run(&f, &both);
    assert_false(e->eligible);
    assert_false(find(e, "last_grade")->passed);
    assert_false(find(e, "not_banned")->passed);
    assert_true(find(e, "registered_capital")->passed);
}

/* Reasons go to users and JSON: cut to SEL_REASON_MAX bytes, they must stay UTF-8. */
static void test_reason_stays_utf8(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    char *name = repeat("办", 100);
    char *office = malloc(strlen(name) + 2);
    assert_non_null(office);
    office[0] = 'A';
    memcpy(office + 1, name, strlen(name) + 1);
    f.offices[1].name = office;
    const struct sel_eligibility *e = run(&f, NULL);
    expect_all_passed(e);
    const struct sel_check *c = find(e, "office_in_province");
    assert_true(strlen(c->reason) < SEL_REASON_MAX);
    if (!yj_utf8_text_ok(c->reason, strlen(c->reason)))
        fail_msg("office_in_province reason is not valid UTF-8 after truncation (%zu bytes)",
                 strlen(c->reason));
    free(office);
    free(name);
}

/* A ban recorded without its cause is still a ban; the check must not crash. */
static void test_ban_without_cause(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const struct sel_unit_ban b[] = {{NULL, "2024-07-01", "2027-06-30"}};
    const struct sel_unit_history h = {NULL, 0, b, 1};
    const struct sel_check *c = expect_only_failure(run(&f, &h), "not_banned");
    assert_has(c->reason, "2027-06-30");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_pass),
        cmocka_unit_test(test_legal_person),
        cmocka_unit_test(test_declarations),
        cmocka_unit_test(test_registered_capital),
        cmocka_unit_test(test_office_in_province),
        cmocka_unit_test(test_office_check_skipped),
        cmocka_unit_test(test_years_in_field),
        cmocka_unit_test(test_years_in_field_china_date),
        cmocka_unit_test(test_years_in_field_start_after_deadline),
        cmocka_unit_test(test_certified_staff),
        cmocka_unit_test(test_capability_fields),
        cmocka_unit_test(test_declarations_not_required),
        cmocka_unit_test(test_last_grade_unqualified),
        cmocka_unit_test(test_last_grade_excellent_direct_entry),
        cmocka_unit_test(test_last_grade_most_recent_counts),
        cmocka_unit_test(test_ban_covering_deadline),
        cmocka_unit_test(test_ban_bounds_inclusive),
        cmocka_unit_test(test_ban_among_several),
        cmocka_unit_test(test_reason_stays_utf8),
        /* Last: under the sanitizers a NULL dereference ends the process. */
        cmocka_unit_test(test_ban_without_cause),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
