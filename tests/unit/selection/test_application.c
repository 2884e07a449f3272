/*
 * test_application.c - sel_application_validate: what a draft may hold (formats,
 * lengths in characters, dates) and what a submission must hold (seed 001's
 * template and attachments), each failure asserted by the field path it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "selection/selection.h"

#define TODAY "2026-01-09"

/* ---- helpers ---- */

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

static void assert_msg_style(const struct yj_error *e)
{
    assert_true(e->msg[0] != '\0');
    assert_false(e->msg[0] >= 'A' && e->msg[0] <= 'Z');
}

/* ---- a complete application that each test breaks in one place ---- */

struct fixture {
    struct sel_application a;
    struct sel_attachment_counts att;
    struct unit_contact contacts[UNIT_CONTACT__COUNT];
    struct unit_office offices[2];
    struct unit_staff staff[2];
    const char *certs[2];
    struct unit_capability caps[2];
    struct sel_finance_year finances[11];
    struct sel_qualification quals[1];
    struct sel_project projects[2];
    struct sel_case cases[SEL_TYPICAL_CASES_MAX + 1];
};

static void fixture_profile(struct fixture *f)
{
    struct unit *p = &f->a.profile;
    p->name = "六盘水某网络安全技术有限公司";
    p->credit_code = "91350100M000100Y43";
    p->registered_capital = 5000000;
    p->legal_representative = "郑一";
    p->founded_on = "2015-06-01";
    p->business_term = "长期";
    p->business_scope = "网络安全服务；信息系统集成服务。";
    p->registration_authority = "六盘水市市场监督管理局";
    p->province = "贵州省";
    p->city = "六盘水市";
    p->address = "钟山区某路2号";
    static const char *const names[] = {"张三", "李四", "王五", "赵六", "钱七"};
    for (int i = 0; i < UNIT_CONTACT__COUNT; i++)
        f->contacts[i] = (struct unit_contact){
            .role = (enum unit_contact_role)i,
            .name = names[i],
            .dept_title = "安全服务部 经理",
            .mobile = "13800138000",
            .office_phone = "0858-8221234",
            .email = "contact@example.com.cn",
        };
    p->contacts = f->contacts;
    p->n_contacts = UNIT_CONTACT__COUNT;
    f->offices[0] = (struct unit_office){.name = "总部",
                                         .is_headquarters = true,
                                         .province = "贵州省",
                                         .city = "六盘水市",
                                         .floor_area_m2 = 800,
                                         .tenure = "owned",
                                         .staff_count = 60};
    p->offices = f->offices;
    p->n_offices = 1;
    f->certs[0] = "CISP";
    f->certs[1] = "CISP-PTE";
    for (size_t i = 0; i < 2; i++)
        f->staff[i] = (struct unit_staff){.name = i ? "吴十" : "周九",
                                          .years_in_field = 8,
                                          .in_province = true,
                                          .certificates = &f->certs[i],
                                          .n_certificates = 1};
    p->staff = f->staff;
    p->n_staff = 2;
    f->caps[0] = (struct unit_capability){"emergency_handling", "7x24 小时应急响应"};
    f->caps[1] = (struct unit_capability){"penetration_testing", NULL};
    p->capabilities = f->caps;
    p->n_capabilities = 2;
}

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    fixture_profile(f);
    struct sel_application *a = &f->a;
    a->security_since = "2016-03-01";
    for (int i = 0; i < 3; i++)
        f->finances[i] = (struct sel_finance_year){2023 + i, 30000000 + i, 12000000 + i,
                                                   9000000 + i, 4000000 + i};
    a->finances = f->finances;
    a->n_finances = 3;
    a->organisation = "总部设安全服务部、应急响应中心。";
    f->quals[0] =
        (struct sel_qualification){"信息安全服务资质（应急处理类）", "中国信息安全测评中心", "二级",
                                   "CNITSEC2024SRV-II-0001", "2027-06-30"};
    a->qualifications = f->quals;
    a->n_qualifications = 1;
    a->main_business = "应急响应、渗透测试。";
    f->projects[0] = (struct sel_project){
        "某市政务云安全服务项目", "某市大数据发展管理局", "安全运维",  1000000, 200000,
        "7x24 监测与应急处置",    "2024-03-01",           "2024-12-20"};
    a->projects = f->projects;
    a->n_projects = 1;
    static const char *const titles[] = {"政务云应急处置", "医院勒索病毒处置", "水务系统渗透测试"};
    for (size_t i = 0; i < 3; i++)
        f->cases[i] = (struct sel_case){titles[i], "接到通知后 2 小时内到场，完成处置。"};
    a->typical_cases = f->cases;
    a->n_typical_cases = 3;
    a->major_event_case = (struct sel_case){"2025 年数博会网络安全保障", "驻场保障 5 天，零事件。"};
    a->cooperation = "与省内高校共建实验室。";
    a->management_systems = "项目管理制度、保密管理制度。";
    a->support_plan = "组建 10 人应急队伍，2 小时响应。";
    a->other_work = "参与地方标准编制。";
    a->declarations = (struct sel_declarations){true, true, true, true, true, true, true};
    f->att = (struct sel_attachment_counts){1, 1, 1, 1, SEL_RISK_REPORTS};
}

static void expect_ok(const struct fixture *f, bool submit)
{
    struct yj_error e;
    enum yj_err rc = sel_application_validate(&f->a, &f->att, submit, TODAY, &e);
    if (rc != YJ_OK)
        fail_msg("expected valid %s, got %s at \"%s\": %s", submit ? "submission" : "draft",
                 yj_err_name(rc), e.field, e.msg);
}

static void expect_bad(const struct fixture *f, bool submit, const char *field)
{
    struct yj_error e;
    enum yj_err rc = sel_application_validate(&f->a, &f->att, submit, TODAY, &e);
    if (rc != YJ_EINVAL || strcmp(e.field, field) != 0)
        fail_msg("expected invalid %s (%s), got %s at \"%s\": %s", field,
                 submit ? "submission" : "draft", yj_err_name(rc), e.field, e.msg);
    assert_int_equal(e.code, YJ_EINVAL);
    assert_msg_style(&e);
}

/* A format problem is one in drafts and submissions alike. */
static void expect_draft_bad(const struct fixture *f, const char *field)
{
    expect_bad(f, false, field);
    expect_bad(f, true, field);
}

/* ---- drafts ---- */

static void test_complete_application(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    expect_ok(&f, false);
    expect_ok(&f, true);
    /* Optional sections may stay empty even in a submission. */
    f.a.cooperation = NULL;
    f.a.other_work = "";
    f.a.n_qualifications = 0;
    f.a.n_projects = 0;
    expect_ok(&f, true);
    /* Five typical cases are the most. */
    f.cases[3] = f.cases[4] = f.cases[0];
    f.a.n_typical_cases = 5;
    expect_ok(&f, true);
}

static void test_draft_almost_empty(void **state)
{
    (void)state;
    struct fixture f;
    memset(&f, 0, sizeof f);
    f.a.profile.name = "某网络安全公司";
    f.a.profile.credit_code = "91350100M000100Y43";
    f.a.profile.registered_capital = -1;
    expect_ok(&f, false);
    struct yj_error e;
    assert_int_equal(sel_application_validate(&f.a, NULL, false, TODAY, &e), YJ_OK);
    /* ...but it is far from a submission: the first gap is named. */
    expect_bad(&f, true, "finances");
}

static void test_draft_profile_prefixed(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.a.profile.name = NULL;
    expect_draft_bad(&f, "profile.name");
    fixture_init(&f);
    f.a.profile.credit_code = "91350100M000100Y44";
    expect_draft_bad(&f, "profile.credit_code");
    fixture_init(&f);
    f.a.profile.founded_on = "2026-01-10";
    f.a.security_since = NULL;
    expect_draft_bad(&f, "profile.founded_on");
    fixture_init(&f);
    f.a.profile.province = "贵州";
    expect_draft_bad(&f, "profile.province");
    fixture_init(&f);
    f.contacts[2].email = "not-an-email";
    expect_draft_bad(&f, "profile.contacts[2].email");
    fixture_init(&f);
    f.staff[1].name = NULL;
    expect_draft_bad(&f, "profile.staff[1].name");
    fixture_init(&f);
    f.caps[1].field = "hacking";
    expect_draft_bad(&f, "profile.capabilities[1].field");
}

static void test_draft_security_since(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const char *const bad_dates[] = {"2016-13-01", "2016/03/01", "2016-3-1",
                                            "2015-02-29", "",           "since 2016"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad_dates); i++) {
        f.a.security_since = bad_dates[i];
        expect_draft_bad(&f, "security_since");
    }
    f.a.security_since = "2026-01-10"; /* tomorrow */
    expect_draft_bad(&f, "security_since");
    f.a.profile.founded_on = "2026-01-09";
    f.a.security_since = TODAY;
    expect_ok(&f, false);
    fixture_init(&f);
    f.a.security_since = "2015-05-31"; /* the day before founded_on */
    expect_draft_bad(&f, "security_since");
    f.a.security_since = "2015-06-01";
    expect_ok(&f, true);
    /* Without a founding date there is nothing to compare with. */
    f.a.profile.founded_on = NULL;
    f.a.security_since = "2001-01-01";
    expect_ok(&f, false);
}

static void test_draft_finances(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.finances[1].year = 2023;
    expect_draft_bad(&f, "finances[1].year");
    f.finances[1].year = 1989;
    expect_draft_bad(&f, "finances[1].year");
    f.finances[1].year = 2027; /* after this year */
    expect_draft_bad(&f, "finances[1].year");
    f.finances[1].year = 0;
    expect_draft_bad(&f, "finances[1].year");
    f.finances[1].year = 2026;
    expect_ok(&f, true);

    static const char *const names[] = {"total_assets", "revenue", "expenses", "liabilities"};
    for (size_t k = 0; k < 4; k++) {
        fixture_init(&f);
        int64_t *v[] = {&f.finances[1].total_assets, &f.finances[1].revenue,
                        &f.finances[1].expenses, &f.finances[1].liabilities};
        char field[48];
        snprintf(field, sizeof field, "finances[1].%s", names[k]);
        *v[k] = -2;
        expect_draft_bad(&f, field);
        *v[k] = -1000000;
        expect_draft_bad(&f, field);
        *v[k] = 10000000000001LL;
        expect_draft_bad(&f, field);
        *v[k] = 10000000000000LL;
        expect_ok(&f, true);
        *v[k] = 0;
        expect_ok(&f, true);
        /* -1 is "not given": fine in a draft; a submission needs all but total assets. */
        *v[k] = -1;
        expect_ok(&f, false);
        if (k == 0)
            expect_ok(&f, true);
        else
            expect_bad(&f, true, field);
    }
    fixture_init(&f);
    for (int i = 0; i < 11; i++)
        f.finances[i] = (struct sel_finance_year){2015 + i, -1, -1, -1, -1};
    f.a.n_finances = 11;
    expect_draft_bad(&f, "finances");
    f.a.n_finances = 10;
    expect_ok(&f, false);
}

static void test_draft_qualifications(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.quals[0].name = NULL;
    expect_draft_bad(&f, "qualifications[0].name");
    f.quals[0].name = "";
    expect_draft_bad(&f, "qualifications[0].name");
    fixture_init(&f);
    f.quals[0].valid_until = "2027-02-30";
    expect_draft_bad(&f, "qualifications[0].valid_until");
    f.quals[0].valid_until = "2099-12-31"; /* a validity may lie in the future */
    expect_ok(&f, true);
    f.quals[0].issuer = f.quals[0].level = f.quals[0].number = f.quals[0].valid_until = NULL;
    expect_ok(&f, true);
    f.quals[0].level = "二级\x01";
    expect_draft_bad(&f, "qualifications[0].level");
}

static void test_draft_projects(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.projects[0].emergency_amount = 1000001;
    expect_draft_bad(&f, "projects[0].emergency_amount");
    f.projects[0].emergency_amount = 1000000; /* all of it */
    expect_ok(&f, true);
    f.projects[0].contract_amount = -1; /* unknown contract: nothing to compare */
    expect_ok(&f, true);
    f.projects[0].contract_amount = -5;
    expect_draft_bad(&f, "projects[0].contract_amount");
    fixture_init(&f);
    f.projects[0].emergency_amount = -7;
    expect_draft_bad(&f, "projects[0].emergency_amount");

    fixture_init(&f);
    f.projects[0].accepted_on = "2024-02-29"; /* before signed_on 2024-03-01 */
    expect_draft_bad(&f, "projects[0].accepted_on");
    f.projects[0].accepted_on = "2024-03-01"; /* same day */
    expect_ok(&f, true);
    f.projects[0].signed_on = "2026-01-10";
    f.projects[0].accepted_on = NULL;
    expect_draft_bad(&f, "projects[0].signed_on");
    f.projects[0].signed_on = "2024-03-01";
    f.projects[0].accepted_on = "2026-02-01";
    expect_draft_bad(&f, "projects[0].accepted_on");
    f.projects[0].accepted_on = "20241220";
    expect_draft_bad(&f, "projects[0].accepted_on");

    fixture_init(&f);
    f.projects[1] = f.projects[0];
    f.projects[1].name = NULL;
    f.a.n_projects = 2;
    expect_draft_bad(&f, "projects[1].name");
}

static void test_draft_case_lengths(void **state)
{
    (void)state;
    char *t800 = repeat("应", SEL_CASE_MAX);
    char *t801 = repeat("应", SEL_CASE_MAX + 1);
    assert_int_equal(strlen(t800), 3 * SEL_CASE_MAX); /* 2400 bytes, 800 characters */
    struct fixture f;
    fixture_init(&f);
    f.cases[0].text = t800;
    expect_ok(&f, true);
    f.cases[0].text = t801;
    expect_draft_bad(&f, "typical_cases[0].text");
    f.cases[0].text = "";
    expect_draft_bad(&f, "typical_cases[0].text");
    fixture_init(&f);
    f.cases[1].title = NULL;
    expect_draft_bad(&f, "typical_cases[1].title");

    fixture_init(&f);
    f.a.major_event_case.text = t800;
    expect_ok(&f, true);
    f.a.major_event_case.text = t801;
    expect_draft_bad(&f, "major_event_case.text");

    fixture_init(&f);
    for (size_t i = 3; i <= SEL_TYPICAL_CASES_MAX; i++)
        f.cases[i] = f.cases[0];
    f.a.n_typical_cases = SEL_TYPICAL_CASES_MAX + 1;
    expect_draft_bad(&f, "typical_cases");
    free(t800);
    free(t801);
}

static void test_draft_text_lengths(void **state)
{
    (void)state;
    char *p1000 = repeat("措", SEL_PLAN_MAX);
    char *p1001 = repeat("措", SEL_PLAN_MAX + 1);
    char *t5000 = repeat("制", SEL_TEXT_MAX);
    char *t5001 = repeat("制", SEL_TEXT_MAX + 1);
    struct fixture f;
    fixture_init(&f);
    f.a.support_plan = p1000;
    expect_ok(&f, true);
    f.a.support_plan = p1001;
    expect_draft_bad(&f, "support_plan");
    static const char *const fields[] = {"organisation", "main_business", "cooperation",
                                         "management_systems", "other_work"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(fields); i++) {
        fixture_init(&f);
        const char **v[] = {&f.a.organisation, &f.a.main_business, &f.a.cooperation,
                            &f.a.management_systems, &f.a.other_work};
        *v[i] = t5000;
        expect_ok(&f, true);
        *v[i] = t5001;
        expect_draft_bad(&f, fields[i]);
    }
    free(p1000);
    free(p1001);
    free(t5000);
    free(t5001);
}

static void test_draft_control_characters(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    /* Line breaks and tabs are text. */
    f.a.support_plan = "一、组建队伍；\r\n二、\t2 小时响应。";
    f.cases[0].text = "第一段\n第二段";
    expect_ok(&f, true);
    f.a.support_plan = "\x1b[31m红色\x1b[0m";
    expect_draft_bad(&f, "support_plan");
    fixture_init(&f);
    f.cases[0].text = "响铃\a";
    expect_draft_bad(&f, "typical_cases[0].text");
    fixture_init(&f);
    f.a.major_event_case.title = "保障\x7f";
    expect_draft_bad(&f, "major_event_case.title");
    fixture_init(&f);
    f.a.organisation = "\x08";
    expect_draft_bad(&f, "organisation");
    fixture_init(&f);
    f.a.other_work = "\xe5\x8f"; /* truncated UTF-8 */
    expect_draft_bad(&f, "other_work");
    fixture_init(&f);
    f.projects[0].content = "内容\x1f";
    expect_draft_bad(&f, "projects[0].content");
}

/* ---- submission: each required piece removed in turn ---- */

#define EXPECT_MISSING(field, ...)                                                                 \
    do {                                                                                           \
        fixture_init(&f);                                                                          \
        __VA_ARGS__;                                                                               \
        expect_ok(&f, false);                                                                      \
        expect_bad(&f, true, field);                                                               \
    } while (0)

static void test_submit_profile(void **state)
{
    (void)state;
    struct fixture f;
    EXPECT_MISSING("profile.legal_representative", f.a.profile.legal_representative = NULL);
    EXPECT_MISSING("profile.legal_representative", f.a.profile.legal_representative = "");
    EXPECT_MISSING("profile.founded_on", f.a.profile.founded_on = NULL);
    EXPECT_MISSING("profile.business_scope", f.a.profile.business_scope = NULL);
    EXPECT_MISSING("profile.registration_authority", f.a.profile.registration_authority = NULL);
    EXPECT_MISSING("profile.province", f.a.profile.province = NULL);
    EXPECT_MISSING("profile.address", f.a.profile.address = NULL);
    EXPECT_MISSING("profile.registered_capital", f.a.profile.registered_capital = -1);
    /* Zero is a value, not a gap (the eligibility check judges it). */
    fixture_init(&f);
    f.a.profile.registered_capital = 0;
    expect_ok(&f, true);
}

static void test_submit_contacts_staff_capabilities(void **state)
{
    (void)state;
    struct fixture f;
    /* The interface person is the last of the five. */
    EXPECT_MISSING("profile.contacts", f.a.profile.n_contacts = UNIT_CONTACT__COUNT - 1);
    /* No emergency-work lead. */
    EXPECT_MISSING("profile.contacts", f.a.profile.contacts = &f.contacts[1],
                   f.a.profile.n_contacts = UNIT_CONTACT__COUNT - 1);
    EXPECT_MISSING("profile.contacts", f.a.profile.n_contacts = 0);
    /* The two that matter are enough. */
    fixture_init(&f);
    f.contacts[1] = f.contacts[4];
    f.a.profile.n_contacts = 2;
    expect_ok(&f, true);

    EXPECT_MISSING("profile.staff", f.a.profile.n_staff = 0);
    EXPECT_MISSING("profile.capabilities", f.a.profile.n_capabilities = 0);
}

static void test_submit_sections(void **state)
{
    (void)state;
    struct fixture f;
    EXPECT_MISSING("security_since", f.a.security_since = NULL);
    EXPECT_MISSING("finances", f.a.n_finances = 2);
    EXPECT_MISSING("finances", f.a.n_finances = 0);
    EXPECT_MISSING("typical_cases", f.a.n_typical_cases = 2);
    EXPECT_MISSING("typical_cases", f.a.n_typical_cases = 0);
    EXPECT_MISSING("major_event_case.title", f.a.major_event_case.title = NULL);
    EXPECT_MISSING("major_event_case.text", f.a.major_event_case.text = "");
    EXPECT_MISSING("organisation", f.a.organisation = NULL);
    EXPECT_MISSING("main_business", f.a.main_business = "");
    EXPECT_MISSING("management_systems", f.a.management_systems = NULL);
    EXPECT_MISSING("support_plan", f.a.support_plan = NULL);
}

static void test_submit_declarations(void **state)
{
    (void)state;
    static const char *const fields[] = {
        "declarations.independent_legal_person", "declarations.good_credit",
        "declarations.no_criminal_record",       "declarations.no_security_incident",
        "declarations.accepts_supervision",      "declarations.contact_7x24",
        "declarations.confidentiality"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(fields); i++) {
        struct fixture f;
        fixture_init(&f);
        bool *d[] = {
            &f.a.declarations.independent_legal_person, &f.a.declarations.good_credit,
            &f.a.declarations.no_criminal_record,       &f.a.declarations.no_security_incident,
            &f.a.declarations.accepts_supervision,      &f.a.declarations.contact_7x24,
            &f.a.declarations.confidentiality};
        *d[i] = false;
        expect_ok(&f, false);
        expect_bad(&f, true, fields[i]);
    }
}

static void test_submit_attachments(void **state)
{
    (void)state;
    struct fixture f;
    EXPECT_MISSING("attachments.commitment_letter", f.att.commitment_letter = 0);
    EXPECT_MISSING("attachments.response_commitment", f.att.response_commitment = 0);
    EXPECT_MISSING("attachments.legal_documents", f.att.legal_documents = 0);
    EXPECT_MISSING("attachments.audit_report", f.att.audit_report = 0);
    EXPECT_MISSING("attachments.risk_assessment_report", f.att.risk_assessment_report = 2);
    EXPECT_MISSING("attachments.risk_assessment_report", f.att.risk_assessment_report = 0);

    fixture_init(&f);
    f.att.risk_assessment_report = 2;
    struct yj_error e;
    assert_int_equal(sel_application_validate(&f.a, &f.att, true, TODAY, &e), YJ_EINVAL);
    assert_string_equal(e.msg, "attach 3 (2 attached)");
    /* More than needed is fine. */
    f.att = (struct sel_attachment_counts){2, 2, 5, 3, 4};
    expect_ok(&f, true);
    /* No counts at all: the first kind is missing. */
    assert_int_equal(sel_application_validate(&f.a, NULL, true, TODAY, &e), YJ_EINVAL);
    assert_string_equal(e.field, "attachments.commitment_letter");
    assert_int_equal(sel_application_validate(&f.a, NULL, false, TODAY, &e), YJ_OK);
}

/* Format problems come before gaps: a draft-level error wins at submission. */
static void test_submit_first_problem_wins(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.att.commitment_letter = 0;
    f.a.declarations.confidentiality = false;
    f.a.support_plan = NULL;
    f.a.n_typical_cases = 1;
    f.a.n_finances = 1;
    f.a.security_since = "2016-02-30";
    expect_bad(&f, true, "security_since");
    f.a.security_since = "2016-03-01";
    expect_bad(&f, true, "finances");
    f.a.n_finances = 3;
    expect_bad(&f, true, "typical_cases");
    f.a.n_typical_cases = 3;
    expect_bad(&f, true, "support_plan");
    f.a.support_plan = "计划";
    expect_bad(&f, true, "declarations.confidentiality");
    f.a.declarations.confidentiality = true;
    expect_bad(&f, true, "attachments.commitment_letter");
    f.att.commitment_letter = 1;
    expect_ok(&f, true);
}

/* Who may still change an application: drafts until the deadline (inclusive),
 * returned ones through review whatever the deadline, nothing submitted. */
static void test_editable(void **state)
{
    (void)state;
    struct yj_error e;
    const int64_t deadline = 1000000;
    assert_int_equal(sel_application_editable("draft", "open", deadline, deadline, &e), YJ_OK);
    assert_int_equal(sel_application_editable("draft", "open", deadline, deadline + 1, &e),
                     YJ_ECONFLICT);
    assert_string_equal(e.field, "deadline_at");
    assert_int_equal(sel_application_editable("draft", "review", deadline, 0, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "deadline_at");
    assert_int_equal(sel_application_editable("returned", "open", deadline, deadline + 5, &e),
                     YJ_OK);
    assert_int_equal(sel_application_editable("returned", "review", deadline, deadline + 5, &e),
                     YJ_OK);
    assert_int_equal(sel_application_editable("returned", "notice", deadline, 0, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "stage");
    assert_int_equal(sel_application_editable("submitted", "open", deadline, 0, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    assert_int_equal(sel_application_editable("withdrawn", "open", deadline, 0, &e), YJ_ECONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete_application),
        cmocka_unit_test(test_draft_almost_empty),
        cmocka_unit_test(test_draft_profile_prefixed),
        cmocka_unit_test(test_draft_security_since),
        cmocka_unit_test(test_draft_finances),
        cmocka_unit_test(test_draft_qualifications),
        cmocka_unit_test(test_draft_projects),
        cmocka_unit_test(test_draft_case_lengths),
        cmocka_unit_test(test_draft_text_lengths),
        cmocka_unit_test(test_draft_control_characters),
        cmocka_unit_test(test_submit_profile),
        cmocka_unit_test(test_submit_contacts_staff_capabilities),
        cmocka_unit_test(test_submit_sections),
        cmocka_unit_test(test_submit_declarations),
        cmocka_unit_test(test_submit_attachments),
        cmocka_unit_test(test_submit_first_problem_wins),
        cmocka_unit_test(test_editable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
