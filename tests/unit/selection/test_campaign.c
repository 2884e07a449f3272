/*
 * test_campaign.c - selection campaigns: stage and grade codes, the default
 * thresholds and rubric, every rule of sel_campaign_validate (each failure
 * asserted by the field path it names) and every stage transition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "selection/selection.h"

#define DAY_MS (24LL * 60 * 60 * 1000)

/* ---- helpers ---- */

static int64_t parse_time(const char *s)
{
    int64_t ms = 0;
    if (yj_time_parse(s, &ms) != 0)
        fail_msg("cannot parse %s", s);
    return ms;
}

static void assert_msg_style(const struct yj_error *e)
{
    assert_true(e->msg[0] != '\0');
    assert_false(e->msg[0] >= 'A' && e->msg[0] <= 'Z');
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

/* ---- seed 000's campaign, which each test breaks in one place ---- */

struct fixture {
    struct sel_campaign c;
    const char *authorities[SEL_AUTHORITIES_MAX + 1];
    struct sel_criterion criteria[SEL_CRITERIA_MAX + 1];
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->authorities[0] = "六盘水市委网信办";
    f->authorities[1] = "六盘水市公安局";
    for (size_t i = 0; i < sel_default_rubric_count; i++)
        f->criteria[i] = sel_default_rubric[i];
    struct sel_campaign *c = &f->c;
    c->name = "第二届六盘水市网络安全应急技术支撑队伍遴选";
    c->term_no = 2;
    c->province = "贵州省";
    c->city = "六盘水市";
    c->title = "六盘水市网络安全应急技术支撑单位";
    c->opens_at = parse_time("2025-12-10T09:00:00+08:00");
    c->deadline_at = parse_time("2026-01-09T17:00:00+08:00");
    c->validity_years = 2;
    c->places = 10;
    c->cert_number_pattern = "LPS-YJ-{YYYY}-{NNN}";
    c->stage = SEL_STAGE_DRAFT;
    sel_thresholds_default(&c->thresholds);
    c->authorities = f->authorities;
    c->n_authorities = 2;
    c->criteria = f->criteria;
    c->n_criteria = sel_default_rubric_count;
}

static void expect_valid(const struct sel_campaign *c)
{
    struct yj_error e;
    enum yj_err rc = sel_campaign_validate(c, &e);
    if (rc != YJ_OK)
        fail_msg("expected valid, got %s at \"%s\": %s", yj_err_name(rc), e.field, e.msg);
}

static void expect_invalid(const struct sel_campaign *c, const char *field)
{
    struct yj_error e;
    enum yj_err rc = sel_campaign_validate(c, &e);
    if (rc != YJ_EINVAL || strcmp(e.field, field) != 0)
        fail_msg("expected invalid %s, got %s at \"%s\": %s", field, yj_err_name(rc), e.field,
                 e.msg);
    assert_int_equal(e.code, YJ_EINVAL);
    assert_msg_style(&e);
}

/* ---- stages ---- */

static void test_stage_codes_and_names(void **state)
{
    (void)state;
    static const char *const codes[] = {"draft", "open", "review", "notice", "published", "closed"};
    static const char *const names[] = {"筹备", "申报", "评审", "公示", "公布", "结束"};
    assert_int_equal(SEL_STAGE__COUNT, 6);
    for (int i = 0; i < SEL_STAGE__COUNT; i++) {
        enum sel_stage s = (enum sel_stage)i;
        assert_string_equal(sel_stage_code(s), codes[i]);
        assert_string_equal(sel_stage_name_zh(s), names[i]);
        enum sel_stage back = SEL_STAGE__COUNT;
        assert_int_equal(sel_stage_parse(codes[i], &back), 0);
        assert_int_equal(back, s);
    }
    assert_string_equal(sel_stage_code(SEL_STAGE__COUNT), "unknown");
    assert_string_equal(sel_stage_name_zh(SEL_STAGE__COUNT), "未知");
    assert_string_equal(sel_stage_code((enum sel_stage) - 1), "unknown");
    assert_string_equal(sel_stage_name_zh((enum sel_stage) - 1), "未知");
}

static void test_stage_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {"",     "Draft",   "DRAFT", "draft ", " open",
                                      "筹备", "unknown", "clos",  "closed2"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        enum sel_stage s = SEL_STAGE_NOTICE;
        assert_int_equal(sel_stage_parse(bad[i], &s), -1);
        assert_int_equal(s, SEL_STAGE_NOTICE); /* untouched */
    }
    enum sel_stage s = SEL_STAGE_NOTICE;
    assert_int_equal(sel_stage_parse(NULL, &s), -1);
    assert_int_equal(s, SEL_STAGE_NOTICE);
}

/* ---- grades ---- */

static void test_grade_codes_and_names(void **state)
{
    (void)state;
    static const struct {
        enum sel_grade g;
        const char *code, *zh;
    } all[] = {
        {SEL_GRADE_EXCELLENT, "excellent", "优秀"},
        {SEL_GRADE_QUALIFIED, "qualified", "合格"},
        {SEL_GRADE_UNQUALIFIED, "unqualified", "不合格"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++) {
        assert_string_equal(sel_grade_code(all[i].g), all[i].code);
        assert_string_equal(sel_grade_name_zh(all[i].g), all[i].zh);
        enum sel_grade back = (enum sel_grade)99;
        assert_int_equal(sel_grade_parse(all[i].code, &back), 0);
        assert_int_equal(back, all[i].g);
    }
    assert_string_equal(sel_grade_code((enum sel_grade)3), "unknown");
    assert_string_equal(sel_grade_name_zh((enum sel_grade)3), "未知");
    assert_string_equal(sel_grade_code((enum sel_grade) - 1), "unknown");
}

static void test_grade_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "Excellent", "good", "优秀", "qualified ", "unknown"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        enum sel_grade g = SEL_GRADE_QUALIFIED;
        assert_int_equal(sel_grade_parse(bad[i], &g), -1);
        assert_int_equal(g, SEL_GRADE_QUALIFIED);
    }
    enum sel_grade g = SEL_GRADE_QUALIFIED;
    assert_int_equal(sel_grade_parse(NULL, &g), -1);
    assert_int_equal(g, SEL_GRADE_QUALIFIED);
}

/* ---- thresholds and rubric ---- */

static void test_thresholds_default(void **state)
{
    (void)state;
    struct sel_thresholds t;
    memset(&t, 0x5a, sizeof t);
    sel_thresholds_default(&t);
    assert_int_equal(t.min_registered_capital, 2000000);
    assert_int_equal(t.min_years_in_field, 3);
    assert_int_equal(t.min_certified_staff, 10);
    assert_true(t.require_office_in_province);
    assert_int_equal(t.min_capability_fields, 1);
    assert_true(t.require_declarations);
}

static void test_default_rubric(void **state)
{
    (void)state;
    static const struct {
        const char *code, *name;
        int64_t points;
    } want[] = {
        {"basic", "基本情况", 20},
        {"staffing", "人员配备", 20},
        {"systems", "制度建设与保密管理", 20},
        {"technical_capability", "技术能力", 30},
        {"past_support", "前期支撑情况", 10},
    };
    assert_int_equal(sel_default_rubric_count, 5);
    int64_t total = 0;
    int tiebreak = 0;
    for (size_t i = 0; i < sel_default_rubric_count; i++) {
        assert_string_equal(sel_default_rubric[i].code, want[i].code);
        assert_string_equal(sel_default_rubric[i].name, want[i].name);
        assert_int_equal(sel_default_rubric[i].max_points, want[i].points);
        total += sel_default_rubric[i].max_points;
        tiebreak += strcmp(sel_default_rubric[i].code, SEL_TIEBREAK_CRITERION) == 0;
    }
    assert_int_equal(total, 100);
    assert_int_equal(tiebreak, 1);
}

/* ---- sel_campaign_validate ---- */

static void test_validate_seed_campaign(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    assert_int_equal(f.c.deadline_at, 1767949200000LL); /* 2026-01-09 09:00 UTC */
    expect_valid(&f.c);
    /* Optional fields may be left out. */
    f.c.opens_at = 0;
    f.c.term_no = 0;
    f.c.province = NULL;
    f.c.city = NULL;
    expect_valid(&f.c);
    /* One authority and one criterion are enough; so are the maxima. */
    f.c.n_authorities = 1;
    f.c.n_criteria = 1;
    expect_valid(&f.c);
    for (size_t i = 2; i < SEL_AUTHORITIES_MAX; i++)
        f.authorities[i] = "贵州省通信管理局";
    f.c.n_authorities = SEL_AUTHORITIES_MAX;
    static const char *const codes[SEL_CRITERIA_MAX] = {"c0", "c1", "c2", "c3", "c4", "c5", "c6",
                                                        "c7", "c8", "c9", "d0", "d1", "d2", "d3",
                                                        "d4", "d5", "d6", "d7", "d8", "d9"};
    for (size_t i = 0; i < SEL_CRITERIA_MAX; i++)
        f.criteria[i] = (struct sel_criterion){codes[i], "评审项", 1000};
    f.c.n_criteria = SEL_CRITERIA_MAX;
    expect_valid(&f.c);
}

static void test_validate_name_and_title(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.c.name = NULL;
    expect_invalid(&f.c, "name");
    f.c.name = "";
    expect_invalid(&f.c, "name");
    f.c.name = "遴选\x01";
    expect_invalid(&f.c, "name");
    char *long_name = repeat("遴", SEL_NAME_MAX);
    f.c.name = long_name;
    expect_valid(&f.c);
    char *too_long = repeat("遴", SEL_NAME_MAX + 1);
    f.c.name = too_long;
    expect_invalid(&f.c, "name");
    fixture_init(&f);
    f.c.title = NULL;
    expect_invalid(&f.c, "title");
    f.c.title = "";
    expect_invalid(&f.c, "title");
    f.c.title = too_long;
    expect_invalid(&f.c, "title");
    free(long_name);
    free(too_long);
}

static void test_validate_region(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.c.province = "贵州";
    expect_invalid(&f.c, "province");
    f.c.province = "六盘水市";
    expect_invalid(&f.c, "province");
    f.c.province = "北京市";
    expect_valid(&f.c);
    f.c.city = "六盘水\x7f";
    expect_invalid(&f.c, "city");
}

static void test_validate_dates_and_numbers(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.c.opens_at = f.c.deadline_at + 1;
    expect_invalid(&f.c, "opens_at");
    f.c.opens_at = f.c.deadline_at;
    expect_invalid(&f.c, "opens_at");
    f.c.opens_at = f.c.deadline_at - 1;
    expect_valid(&f.c);
    fixture_init(&f);
    f.c.deadline_at = 0;
    f.c.opens_at = 0;
    expect_invalid(&f.c, "deadline_at");
    fixture_init(&f);
    f.c.term_no = -1;
    expect_invalid(&f.c, "term_no");
    fixture_init(&f);
    f.c.validity_years = 0;
    expect_invalid(&f.c, "validity_years");
    f.c.validity_years = 11;
    expect_invalid(&f.c, "validity_years");
    f.c.validity_years = 1;
    expect_valid(&f.c);
    f.c.validity_years = 10;
    expect_valid(&f.c);
    f.c.places = 0;
    expect_invalid(&f.c, "places");
    f.c.places = -3;
    expect_invalid(&f.c, "places");
    f.c.places = 1;
    expect_valid(&f.c);
}

static void test_validate_cert_number_pattern(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const char *const good[] = {"LPS-YJ-{YYYY}-{NNN}", "{N}", "GZ{YYYY}{NNNNNN}",
                                       "YJ-{NNNNNNNNN}"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++) {
        f.c.cert_number_pattern = good[i];
        expect_valid(&f.c);
    }
    static const char *const bad[] = {
        "LPS-YJ-{YYYY}",      /* no sequence */
        "LPS-YJ-2026-001",    /* no tokens at all */
        "LPS-YJ-{YYYY}-{X}",  /* unknown token */
        "LPS-YJ-{YY}-{NNN}",  /* unknown token */
        "LPS-YJ-{YYYY}-{NNN", /* unclosed */
        "LPS-YJ-{YYYY-{NNN}", /* unclosed, then a token that is not one */
        "LPS-{}-{NNN}",       /* empty token */
        "LPS-{NNNNNNNNNN}",   /* ten digits */
        "",                   /* empty */
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        f.c.cert_number_pattern = bad[i];
        expect_invalid(&f.c, "cert_number_pattern");
    }
    f.c.cert_number_pattern = NULL;
    expect_invalid(&f.c, "cert_number_pattern");
}

static void test_validate_thresholds(void **state)
{
    (void)state;
    static const char *const fields[] = {
        "thresholds.min_registered_capital", "thresholds.min_years_in_field",
        "thresholds.min_certified_staff", "thresholds.min_capability_fields"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(fields); i++) {
        struct fixture f;
        fixture_init(&f);
        int64_t *v[] = {&f.c.thresholds.min_registered_capital, &f.c.thresholds.min_years_in_field,
                        &f.c.thresholds.min_certified_staff, &f.c.thresholds.min_capability_fields};
        *v[i] = -1;
        expect_invalid(&f.c, fields[i]);
        *v[i] = 0;
        expect_valid(&f.c);
    }
    struct fixture f;
    fixture_init(&f);
    f.c.thresholds.min_capability_fields = 11;
    expect_valid(&f.c);
    f.c.thresholds.min_capability_fields = 12;
    expect_invalid(&f.c, "thresholds.min_capability_fields");
    f.c.thresholds.min_capability_fields = 1;
    f.c.thresholds.require_office_in_province = false;
    f.c.thresholds.require_declarations = false;
    expect_valid(&f.c);
}

static void test_validate_authorities(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.c.n_authorities = 0;
    expect_invalid(&f.c, "authorities");
    for (size_t i = 0; i <= SEL_AUTHORITIES_MAX; i++)
        f.authorities[i] = "六盘水市委网信办";
    f.c.n_authorities = SEL_AUTHORITIES_MAX + 1;
    expect_invalid(&f.c, "authorities");
    fixture_init(&f);
    f.authorities[1] = "";
    expect_invalid(&f.c, "authorities[1]");
    f.authorities[1] = NULL;
    expect_invalid(&f.c, "authorities[1]");
    f.authorities[1] = "公安局\x02";
    expect_invalid(&f.c, "authorities[1]");
    char *long_name = repeat("局", UNIT_TEXT_MAX + 1);
    f.authorities[1] = long_name;
    expect_invalid(&f.c, "authorities[1]");
    free(long_name);
}

static void test_validate_criteria(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.c.n_criteria = 0;
    expect_invalid(&f.c, "criteria");
    for (size_t i = 0; i <= SEL_CRITERIA_MAX; i++)
        f.criteria[i] = (struct sel_criterion){"x", "评审项", 5};
    f.c.n_criteria = SEL_CRITERIA_MAX + 1;
    expect_invalid(&f.c, "criteria");

    fixture_init(&f);
    f.criteria[2].code = "basic";
    expect_invalid(&f.c, "criteria[2].code");
    f.criteria[2].code = "";
    expect_invalid(&f.c, "criteria[2].code");
    f.criteria[2].code = NULL;
    expect_invalid(&f.c, "criteria[2].code");
    f.criteria[2].code = "systems";
    f.criteria[3].name = NULL;
    expect_invalid(&f.c, "criteria[3].name");
    f.criteria[3].name = "技术能力";
    f.criteria[4].max_points = 0;
    expect_invalid(&f.c, "criteria[4].max_points");
    f.criteria[4].max_points = -10;
    expect_invalid(&f.c, "criteria[4].max_points");
    f.criteria[4].max_points = 1001;
    expect_invalid(&f.c, "criteria[4].max_points");
    f.criteria[4].max_points = 1000;
    expect_valid(&f.c);
    f.criteria[0].max_points = 0;
    expect_invalid(&f.c, "criteria[0].max_points");
}

/* ---- sel_stage_check ---- */

struct stage_fixture {
    struct fixture f;
    int64_t deadline, notice_start, notice_end;
};

static void stage_fixture_init(struct stage_fixture *s, enum sel_stage from)
{
    fixture_init(&s->f);
    s->deadline = s->f.c.deadline_at;
    s->notice_start = s->deadline + 10 * DAY_MS;
    s->notice_end = s->deadline + 17 * DAY_MS;
    s->f.c.stage = from;
    s->f.c.notice_starts_at = s->notice_start;
    s->f.c.notice_ends_at = s->notice_end;
}

static void expect_stage_ok(const struct sel_campaign *c, enum sel_stage to, int64_t now,
                            const struct sel_stage_facts *facts)
{
    struct yj_error e;
    enum yj_err rc = sel_stage_check(c, to, now, facts, &e);
    if (rc != YJ_OK)
        fail_msg("%s -> %s: expected ok, got %s at \"%s\": %s", sel_stage_code(c->stage),
                 sel_stage_code(to), yj_err_name(rc), e.field, e.msg);
}

static void expect_stage_refused(const struct sel_campaign *c, enum sel_stage to, int64_t now,
                                 const struct sel_stage_facts *facts, const char *field,
                                 const char *msg_part)
{
    struct yj_error e;
    enum yj_err rc = sel_stage_check(c, to, now, facts, &e);
    if (rc != YJ_ECONFLICT || strcmp(e.field, field) != 0)
        fail_msg("%s -> %s: expected conflict at %s, got %s at \"%s\": %s",
                 sel_stage_code(c->stage), sel_stage_code(to), field, yj_err_name(rc), e.field,
                 e.msg);
    assert_int_equal(e.code, YJ_ECONFLICT);
    assert_msg_style(&e);
    if (msg_part && !strstr(e.msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
}

/* Every from/to pair with every condition met: only the next stage is allowed. */
static void test_stage_only_next(void **state)
{
    (void)state;
    const struct sel_stage_facts none = {0, 0};
    for (int from = 0; from < SEL_STAGE__COUNT; from++) {
        for (int to = 0; to <= SEL_STAGE__COUNT; to++) {
            struct stage_fixture s;
            stage_fixture_init(&s, (enum sel_stage)from);
            int64_t now = to == SEL_STAGE_OPEN ? s.deadline - DAY_MS : s.notice_end + 1;
            if (to == from + 1 && to < SEL_STAGE__COUNT) {
                expect_stage_ok(&s.f.c, (enum sel_stage)to, now, &none);
                expect_stage_ok(&s.f.c, (enum sel_stage)to, now, NULL);
            } else {
                expect_stage_refused(&s.f.c, (enum sel_stage)to, now, &none, "to", "moves only");
            }
        }
    }
}

static void test_stage_refusal_names_next(void **state)
{
    (void)state;
    struct stage_fixture s;
    stage_fixture_init(&s, SEL_STAGE_DRAFT);
    struct yj_error e;
    assert_int_equal(sel_stage_check(&s.f.c, SEL_STAGE_REVIEW, s.notice_end, NULL, &e),
                     YJ_ECONFLICT);
    assert_string_equal(e.msg, "a campaign in draft moves only to open");
    s.f.c.stage = SEL_STAGE_NOTICE;
    assert_int_equal(sel_stage_check(&s.f.c, SEL_STAGE_NOTICE, s.notice_end, NULL, &e),
                     YJ_ECONFLICT);
    assert_string_equal(e.msg, "a campaign in notice moves only to published");
    s.f.c.stage = SEL_STAGE_CLOSED;
    for (int to = 0; to <= SEL_STAGE__COUNT; to++) {
        assert_int_equal(sel_stage_check(&s.f.c, (enum sel_stage)to, s.notice_end, NULL, &e),
                         YJ_ECONFLICT);
        assert_string_equal(e.field, "to");
        assert_string_equal(e.msg, "a campaign in closed moves only to nothing (it is closed)");
    }
    /* Backwards is never allowed, not even one step. */
    s.f.c.stage = SEL_STAGE_REVIEW;
    expect_stage_refused(&s.f.c, SEL_STAGE_OPEN, s.deadline - 1, NULL, "to", "only to notice");
}

static void test_stage_open_needs_future_deadline(void **state)
{
    (void)state;
    struct stage_fixture s;
    stage_fixture_init(&s, SEL_STAGE_DRAFT);
    expect_stage_ok(&s.f.c, SEL_STAGE_OPEN, s.deadline - 1, NULL);
    expect_stage_refused(&s.f.c, SEL_STAGE_OPEN, s.deadline, NULL, "deadline_at", "deadline");
    expect_stage_refused(&s.f.c, SEL_STAGE_OPEN, s.deadline + 1, NULL, "deadline_at", "deadline");
    s.f.c.deadline_at = 0;
    expect_stage_refused(&s.f.c, SEL_STAGE_OPEN, s.deadline - DAY_MS, NULL, "deadline_at",
                         "deadline");
}

static void test_stage_review_from_deadline(void **state)
{
    (void)state;
    struct stage_fixture s;
    stage_fixture_init(&s, SEL_STAGE_OPEN);
    expect_stage_refused(&s.f.c, SEL_STAGE_REVIEW, s.deadline - 1, NULL, "to", "deadline");
    expect_stage_refused(&s.f.c, SEL_STAGE_REVIEW, s.deadline - DAY_MS, NULL, "to", "deadline");
    expect_stage_ok(&s.f.c, SEL_STAGE_REVIEW, s.deadline, NULL);
    expect_stage_ok(&s.f.c, SEL_STAGE_REVIEW, s.deadline + 1, NULL);
}

static void test_stage_notice_conditions(void **state)
{
    (void)state;
    struct stage_fixture s;
    stage_fixture_init(&s, SEL_STAGE_REVIEW);
    int64_t now = s.deadline + 5 * DAY_MS;
    struct sel_stage_facts facts = {0, 0};
    expect_stage_ok(&s.f.c, SEL_STAGE_NOTICE, now, &facts);

    s.f.c.notice_starts_at = 0;
    expect_stage_refused(&s.f.c, SEL_STAGE_NOTICE, now, &facts, "notice_ends_at", "notice");
    s.f.c.notice_starts_at = s.notice_start;
    s.f.c.notice_ends_at = 0;
    expect_stage_refused(&s.f.c, SEL_STAGE_NOTICE, now, &facts, "notice_ends_at", "notice");
    s.f.c.notice_ends_at = s.notice_start;
    expect_stage_refused(&s.f.c, SEL_STAGE_NOTICE, now, &facts, "notice_ends_at", "notice");
    s.f.c.notice_ends_at = s.notice_start - 1;
    expect_stage_refused(&s.f.c, SEL_STAGE_NOTICE, now, &facts, "notice_ends_at", "notice");
    s.f.c.notice_ends_at = s.notice_start + 1;
    expect_stage_ok(&s.f.c, SEL_STAGE_NOTICE, now, &facts);

    facts.undecided_applications = 3;
    expect_stage_refused(&s.f.c, SEL_STAGE_NOTICE, now, &facts, "to", "3 applications");
    facts.undecided_applications = 1;
    expect_stage_refused(&s.f.c, SEL_STAGE_NOTICE, now, &facts, "to", "1 applications");
    /* Undecided objections belong to the next step. */
    facts.undecided_applications = 0;
    facts.undecided_objections = 2;
    expect_stage_ok(&s.f.c, SEL_STAGE_NOTICE, now, &facts);
}

static void test_stage_published_conditions(void **state)
{
    (void)state;
    struct stage_fixture s;
    stage_fixture_init(&s, SEL_STAGE_NOTICE);
    struct sel_stage_facts facts = {0, 0};
    expect_stage_refused(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_start, &facts, "to", "notice");
    expect_stage_refused(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_end - 1, &facts, "to", "notice");
    expect_stage_ok(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_end, &facts);
    expect_stage_ok(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_end + 1, &facts);

    facts.undecided_objections = 1;
    expect_stage_refused(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_end + 1, &facts, "to",
                         "1 objections");
    facts.undecided_objections = 4;
    expect_stage_refused(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_end + 1, &facts, "to",
                         "4 objections");
    /* Applications were decided at the previous step. */
    facts.undecided_objections = 0;
    facts.undecided_applications = 5;
    expect_stage_ok(&s.f.c, SEL_STAGE_PUBLISHED, s.notice_end + 1, &facts);
}

static void test_stage_close_unconditional(void **state)
{
    (void)state;
    struct stage_fixture s;
    stage_fixture_init(&s, SEL_STAGE_PUBLISHED);
    struct sel_stage_facts facts = {7, 7};
    expect_stage_ok(&s.f.c, SEL_STAGE_CLOSED, s.notice_end + 1, &facts);
    expect_stage_ok(&s.f.c, SEL_STAGE_CLOSED, 0, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_codes_and_names),
        cmocka_unit_test(test_stage_parse_rejects),
        cmocka_unit_test(test_grade_codes_and_names),
        cmocka_unit_test(test_grade_parse_rejects),
        cmocka_unit_test(test_thresholds_default),
        cmocka_unit_test(test_default_rubric),
        cmocka_unit_test(test_validate_seed_campaign),
        cmocka_unit_test(test_validate_name_and_title),
        cmocka_unit_test(test_validate_region),
        cmocka_unit_test(test_validate_dates_and_numbers),
        cmocka_unit_test(test_validate_cert_number_pattern),
        cmocka_unit_test(test_validate_thresholds),
        cmocka_unit_test(test_validate_authorities),
        cmocka_unit_test(test_validate_criteria),
        cmocka_unit_test(test_stage_only_next),
        cmocka_unit_test(test_stage_refusal_names_next),
        cmocka_unit_test(test_stage_open_needs_future_deadline),
        cmocka_unit_test(test_stage_review_from_deadline),
        cmocka_unit_test(test_stage_notice_conditions),
        cmocka_unit_test(test_stage_published_conditions),
        cmocka_unit_test(test_stage_close_unconditional),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
