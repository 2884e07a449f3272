/*
 * test_grading.c - the grading helper (STANDARDS.md §2): every cell of the 2007
 * matrix, the social impact, each threshold row at, just below and above its
 * threshold, unknown facts, the reason's wording and numbers, bad input, and a
 * reason that cannot overflow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "incidents/incidents.h"
#include "seeded.h"

static int64_t *metric(struct inc_grading_facts *f, const char *name)
{
    if (strcmp(name, "personal_records") == 0)
        return &f->personal_records;
    if (strcmp(name, "direct_loss_cny") == 0)
        return &f->direct_loss_cny;
    if (strcmp(name, "cii_outage_whole_min") == 0)
        return &f->cii_outage_whole_min;
    if (strcmp(name, "cii_outage_main_min") == 0)
        return &f->cii_outage_main_min;
    if (strcmp(name, "portal_down_min") == 0)
        return &f->portal_down_min;
    if (strcmp(name, "defacement_min") == 0)
        return &f->defacement_min;
    fail_msg("no metric %s", name);
    return NULL;
}

/* Grades f with the seeded rows. */
static enum yj_err propose(const struct inc_grading_facts *f, struct inc_grade_proposal *p,
                           struct yj_error *e)
{
    return inc_grade_propose(f, seeded_rules, YJ_ARRAY_LEN(seeded_rules), seeded_levels, 4, p, e);
}

/* ... and fails the test on an error. */
static struct inc_grade_proposal grade(const struct inc_grading_facts *f)
{
    struct inc_grade_proposal p;
    struct yj_error e = {0};
    enum yj_err rc = propose(f, &p, &e);
    if (rc != YJ_OK)
        fail_msg("grading failed: %s %s", e.field, e.msg);
    assert_true(yj_utf8_text_ok(p.reason, strlen(p.reason)));
    return p;
}

static void test_facts_init(void **state)
{
    (void)state;
    struct inc_grading_facts f;
    memset(&f, 0x5a, sizeof f);
    inc_grading_facts_init(&f);
    assert_int_equal(f.importance, INC_IMP_UNKNOWN);
    assert_int_equal(f.loss, INC_LOSS_UNKNOWN);
    assert_int_equal(f.social_impact, 0);
    assert_true(f.people_affected == -1);
    for (size_t i = 0; i < inc_grading_metrics_count; i++)
        assert_true(*metric(&f, inc_grading_metrics[i]) == -1);
    assert_int_equal(inc_grading_metrics_count, 6);
}

static void test_importance_and_loss_codes(void **state)
{
    (void)state;
    static const char *const imp[] = {"unknown", "especially_important", "important", "general"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(inc_importance_code((enum inc_importance)i), imp[i]);
        enum inc_importance out = INC_IMP_GENERAL;
        assert_int_equal(inc_importance_parse(imp[i], &out), 0);
        assert_int_equal(out, i);
    }
    static const char *const loss[] = {"unknown", "especially_serious", "serious", "larger",
                                       "smaller"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(inc_loss_code((enum inc_loss)i), loss[i]);
        enum inc_loss out = INC_LOSS_SMALLER;
        assert_int_equal(inc_loss_parse(loss[i], &out), 0);
        assert_int_equal(out, i);
    }
    enum inc_importance i = INC_IMP_IMPORTANT;
    enum inc_loss l = INC_LOSS_LARGER;
    assert_int_equal(inc_importance_parse("especially important", &i), -1);
    assert_int_equal(inc_importance_parse(NULL, &i), -1);
    assert_int_equal(inc_loss_parse("serious ", &l), -1);
    assert_int_equal(inc_loss_parse(NULL, &l), -1);
    assert_int_equal(i, INC_IMP_IMPORTANT);
    assert_int_equal(l, INC_LOSS_LARGER);
    assert_string_equal(inc_importance_code((enum inc_importance)9), "unknown");
    assert_string_equal(inc_loss_code((enum inc_loss)9), "unknown");
}

static void test_no_facts(void **state)
{
    (void)state;
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    struct inc_grade_proposal p = grade(&f);
    assert_int_equal(p.severity, 0);
    assert_string_equal(p.reason, "未提供任何定级事实，无法建议级别");
    /* Rules and levels do not matter then. */
    assert_int_equal(inc_grade_propose(&f, NULL, 0, NULL, 0, &p, NULL), YJ_OK);
    assert_int_equal(p.severity, 0);
}

/* GB/Z 20986-2007: every known pair has a cell; 一般 is "none of the above". */
static void test_matrix_every_cell(void **state)
{
    (void)state;
    static const int want[4][5] = {
        [INC_IMP_ESPECIALLY] = {0, 1, 2, 3, 4},
        [INC_IMP_IMPORTANT] = {0, 2, 3, 4, 4},
        [INC_IMP_GENERAL] = {0, 3, 4, 4, 4},
    };
    static const char *const imp_zh[] = {"", "特别重要", "重要", "一般"};
    static const char *const loss_zh[] = {"", "特别严重", "严重", "较大", "较小"};
    static const char *const level_zh[] = {"", "特别重大", "重大", "较大", "一般"};
    for (int i = 1; i <= 3; i++)
        for (int l = 1; l <= 4; l++) {
            struct inc_grading_facts f;
            inc_grading_facts_init(&f);
            f.importance = (enum inc_importance)i;
            f.loss = (enum inc_loss)l;
            struct inc_grade_proposal p = grade(&f);
            assert_int_equal(p.severity, want[i][l]);
            char reason[256];
            snprintf(reason, sizeof reason, "系统%s且损失%s → %s", imp_zh[i], loss_zh[l],
                     level_zh[want[i][l]]);
            assert_string_equal(p.reason, reason);
        }
}

static void test_matrix_half_known(void **state)
{
    (void)state;
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.importance = INC_IMP_ESPECIALLY;
    struct inc_grade_proposal p = grade(&f);
    assert_int_equal(p.severity, 4);
    assert_string_equal(p.reason,
                        "系统特别重要，损失未知，不套用分级矩阵；均未达到分级标准 → 一般");
    inc_grading_facts_init(&f);
    f.loss = INC_LOSS_ESPECIALLY_SERIOUS;
    p = grade(&f);
    assert_int_equal(p.severity, 4);
    assert_string_equal(p.reason,
                        "损失特别严重，系统重要性未知，不套用分级矩阵；均未达到分级标准 → 一般");
}

static void test_social_impact(void **state)
{
    (void)state;
    static const char *const level_zh[] = {"", "特别重大", "重大", "较大", "一般"};
    for (int s = 1; s <= 4; s++) {
        struct inc_grading_facts f;
        inc_grading_facts_init(&f);
        f.social_impact = s;
        struct inc_grade_proposal p = grade(&f);
        assert_int_equal(p.severity, s);
        char reason[64];
        snprintf(reason, sizeof reason, "社会影响 → %s", level_zh[s]);
        assert_string_equal(p.reason, reason);
    }
    /* Either condition suffices: the graver one. */
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.importance = INC_IMP_GENERAL;
    f.loss = INC_LOSS_SMALLER;
    f.social_impact = 2;
    struct inc_grade_proposal p = grade(&f);
    assert_int_equal(p.severity, 2);
    assert_string_equal(p.reason, "社会影响 → 重大；系统一般且损失较小 → 一般");
    f.importance = INC_IMP_ESPECIALLY;
    f.loss = INC_LOSS_ESPECIALLY_SERIOUS;
    p = grade(&f);
    assert_int_equal(p.severity, 1);
    assert_string_equal(p.reason, "系统特别重要且损失特别严重 → 特别重大；社会影响 → 重大");
}

/* Each threshold row: at the threshold its level, one below the next level down
 * (一般 under the lowest row), far above still its metric's gravest. */
static void check_thresholds(const struct inc_grading_rule *rs, size_t n)
{
    for (size_t r = 0; r < n; r++) {
        struct inc_grading_facts f;
        struct inc_grade_proposal p;
        inc_grading_facts_init(&f);
        *metric(&f, rs[r].metric) = rs[r].threshold;
        assert_int_equal(inc_grade_propose(&f, rs, n, seeded_levels, 4, &p, NULL), YJ_OK);
        if (p.severity != rs[r].severity)
            fail_msg("%s = %lld: severity %d, want %d", rs[r].metric, (long long)rs[r].threshold,
                     p.severity, rs[r].severity);
        assert_non_null(strstr(p.reason, "≥"));
        assert_true((strstr(p.reason, "阈值未经确认") != NULL) == !rs[r].confirmed);
        *metric(&f, rs[r].metric) = rs[r].threshold - 1;
        assert_int_equal(inc_grade_propose(&f, rs, n, seeded_levels, 4, &p, NULL), YJ_OK);
        assert_int_equal(p.severity, rs[r].severity + 1);
    }
    for (size_t m = 0; m < inc_grading_metrics_count; m++) {
        struct inc_grading_facts f;
        struct inc_grade_proposal p;
        inc_grading_facts_init(&f);
        *metric(&f, inc_grading_metrics[m]) = INT64_MAX;
        assert_int_equal(inc_grade_propose(&f, rs, n, seeded_levels, 4, &p, NULL), YJ_OK);
        assert_int_equal(p.severity, 1);
    }
}

static void test_thresholds_each_row(void **state)
{
    (void)state;
    check_thresholds(seeded_rules, YJ_ARRAY_LEN(seeded_rules));
    /* The rows' order does not matter. */
    struct inc_grading_rule rev[YJ_ARRAY_LEN(seeded_rules)];
    for (size_t i = 0; i < YJ_ARRAY_LEN(seeded_rules); i++)
        rev[i] = seeded_rules[YJ_ARRAY_LEN(seeded_rules) - 1 - i];
    check_thresholds(rev, YJ_ARRAY_LEN(rev));
}

static void test_reason_wording(void **state)
{
    (void)state;
    static const struct {
        const char *metric;
        int64_t value;
        int severity;
        const char *reason;
    } cases[] = {
        {"personal_records", 12000000, 2,
         "个人信息泄露 1200 万条 ≥ 1000 万条 (重大，阈值未经确认)"},
        {"personal_records", 150000000, 1, "个人信息泄露 1.5 亿条 ≥ 1 亿条 (特别重大)"},
        {"personal_records", 12345678, 2,
         "个人信息泄露 1234.5678 万条 ≥ 1000 万条 (重大，阈值未经确认)"},
        {"personal_records", 9999, 4,
         "个人信息泄露 9999 条 < 100 万条 (较大，阈值未经确认)；均未达到分级标准 → 一般"},
        {"personal_records", 999999, 4,
         "个人信息泄露 99.9999 万条 < 100 万条 (较大，阈值未经确认)；均未达到分级标准 → 一般"},
        {"direct_loss_cny", 3000000, 4,
         "直接经济损失 300 万元 < 500 万元 (较大，阈值未经确认)；均未达到分级标准 → 一般"},
        {"direct_loss_cny", 100000001, 1, "直接经济损失 1.00000001 亿元 ≥ 1 亿元 (特别重大)"},
        {"cii_outage_whole_min", 360, 1, "关键信息基础设施整体中断 6 小时 ≥ 6 小时 (特别重大)"},
        {"cii_outage_main_min", 0, 4,
         "关键信息基础设施主要功能中断 0 分钟 < 2 小时 (较大，阈值未经确认)；均未达到分级标准 → "
         "一般"},
        {"portal_down_min", 150, 3,
         "政府门户网站无法访问 2 小时 30 分钟 ≥ 2 小时 (较大，阈值未经确认)"},
        {"defacement_min", 30, 3, "首页被篡改展示违法内容 30 分钟 ≥ 30 分钟 (较大，阈值未经确认)"},
        {"defacement_min", 29, 4,
         "首页被篡改展示违法内容 29 分钟 < 30 分钟 (较大，阈值未经确认)；均未达到分级标准 → 一般"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        struct inc_grading_facts f;
        inc_grading_facts_init(&f);
        *metric(&f, cases[i].metric) = cases[i].value;
        struct inc_grade_proposal p = grade(&f);
        assert_int_equal(p.severity, cases[i].severity);
        assert_string_equal(p.reason, cases[i].reason);
    }
}

static void test_reason_deciding_first(void **state)
{
    (void)state;
    /* The header's example: both reach 重大. */
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.personal_records = 12000000;
    f.importance = INC_IMP_ESPECIALLY;
    f.loss = INC_LOSS_SERIOUS;
    struct inc_grade_proposal p = grade(&f);
    assert_int_equal(p.severity, 2);
    assert_string_equal(p.reason, "系统特别重要且损失严重 → 重大；"
                                  "个人信息泄露 1200 万条 ≥ 1000 万条 (重大，阈值未经确认)");
    /* The gravest decides and goes first; the rest follow in order. */
    inc_grading_facts_init(&f);
    f.importance = INC_IMP_IMPORTANT;
    f.loss = INC_LOSS_SERIOUS;
    f.social_impact = 4;
    f.defacement_min = 400;
    f.direct_loss_cny = 1000;
    f.people_affected = 120000;
    p = grade(&f);
    assert_int_equal(p.severity, 1);
    assert_string_equal(p.reason, "首页被篡改展示违法内容 6 小时 40 分钟 ≥ 6 小时 (特别重大)；"
                                  "系统重要且损失严重 → 较大；社会影响 → 一般；"
                                  "直接经济损失 1000 元 < 500 万元 (较大，阈值未经确认)；"
                                  "受影响 12 万人 (无分级阈值)");
}

static void test_known_but_nothing_reaches(void **state)
{
    (void)state;
    /* Zero is a fact. */
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.direct_loss_cny = 0;
    struct inc_grade_proposal p = grade(&f);
    assert_int_equal(p.severity, 4);
    assert_string_equal(
        p.reason, "直接经济损失 0 元 < 500 万元 (较大，阈值未经确认)；均未达到分级标准 → 一般");
    /* The people affected are named but have no threshold. */
    inc_grading_facts_init(&f);
    f.people_affected = 35;
    p = grade(&f);
    assert_int_equal(p.severity, 4);
    assert_string_equal(p.reason, "受影响 35 人 (无分级阈值)；均未达到分级标准 → 一般");
    /* A metric without rows. */
    inc_grading_facts_init(&f);
    f.portal_down_min = 5000;
    assert_int_equal(inc_grade_propose(&f, NULL, 0, seeded_levels, 4, &p, NULL), YJ_OK);
    assert_int_equal(p.severity, 4);
    assert_string_equal(
        p.reason, "政府门户网站无法访问 83 小时 20 分钟 (无分级阈值)；均未达到分级标准 → 一般");
}

static void test_rows_that_do_not_grade(void **state)
{
    (void)state;
    /* Rows the store would refuse, and a row for a fact without thresholds. */
    const struct inc_grading_rule odd[] = {
        {"personal_records", 0, 1, true},
        {"personal_records", 5, 1, true},
        {"personal_records", 2, 0, true},
        {"personal_records", 2, -5, true},
        {NULL, 1, 1, true},
        {"people_affected", 1, 1, true},
    };
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.personal_records = 1000;
    f.people_affected = 1000000000;
    struct inc_grade_proposal p;
    assert_int_equal(inc_grade_propose(&f, odd, YJ_ARRAY_LEN(odd), seeded_levels, 4, &p, NULL),
                     YJ_OK);
    assert_int_equal(p.severity, 4);
    assert_string_equal(p.reason, "个人信息泄露 1000 条 (无分级阈值)；受影响 10 亿人 (无分级阈值)；"
                                  "均未达到分级标准 → 一般");
}

static void test_level_names_from_rows(void **state)
{
    (void)state;
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.importance = INC_IMP_ESPECIALLY;
    f.loss = INC_LOSS_SERIOUS;
    /* The rows' names, as an authority edited them. */
    const struct inc_level edited[] = {
        {"major", "重大（Ⅱ级）", 2, 15, 120, true, true},
        {"general", "一般（Ⅳ级）", 4, 30, 120, false, false},
    };
    struct inc_grade_proposal p;
    assert_int_equal(
        inc_grade_propose(&f, seeded_rules, YJ_ARRAY_LEN(seeded_rules), edited, 2, &p, NULL),
        YJ_OK);
    assert_string_equal(p.reason, "系统特别重要且损失严重 → 重大（Ⅱ级）");
    /* Without rows: the standard's names. */
    assert_int_equal(
        inc_grade_propose(&f, seeded_rules, YJ_ARRAY_LEN(seeded_rules), NULL, 0, &p, NULL), YJ_OK);
    assert_string_equal(p.reason, "系统特别重要且损失严重 → 重大");
    inc_grading_facts_init(&f);
    f.people_affected = 1;
    assert_int_equal(
        inc_grade_propose(&f, seeded_rules, YJ_ARRAY_LEN(seeded_rules), edited, 2, &p, NULL),
        YJ_OK);
    assert_string_equal(p.reason, "受影响 1 人 (无分级阈值)；均未达到分级标准 → 一般（Ⅳ级）");
}

static void test_bad_facts(void **state)
{
    (void)state;
    struct inc_grade_proposal p;
    struct yj_error e = {0};
    struct inc_grading_facts f;
    for (size_t m = 0; m < inc_grading_metrics_count; m++) {
        inc_grading_facts_init(&f);
        f.importance = INC_IMP_ESPECIALLY;
        f.loss = INC_LOSS_ESPECIALLY_SERIOUS;
        *metric(&f, inc_grading_metrics[m]) = -2;
        p.severity = 7;
        assert_int_equal(propose(&f, &p, &e), YJ_EINVAL);
        assert_string_equal(e.field, inc_grading_metrics[m]);
        assert_int_equal(p.severity, 0);
        *metric(&f, inc_grading_metrics[m]) = INT64_MIN;
        assert_int_equal(propose(&f, &p, &e), YJ_EINVAL);
    }
    inc_grading_facts_init(&f);
    f.people_affected = -2;
    assert_int_equal(propose(&f, &p, &e), YJ_EINVAL);
    assert_string_equal(e.field, "people_affected");
    static const int bad_social[] = {-1, 5, 100};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad_social); i++) {
        inc_grading_facts_init(&f);
        f.social_impact = bad_social[i];
        assert_int_equal(propose(&f, &p, &e), YJ_EINVAL);
        assert_string_equal(e.field, "social_impact");
    }
    inc_grading_facts_init(&f);
    f.importance = (enum inc_importance)4;
    assert_int_equal(propose(&f, &p, &e), YJ_EINVAL);
    assert_string_equal(e.field, "importance");
    inc_grading_facts_init(&f);
    f.loss = (enum inc_loss)5;
    assert_int_equal(propose(&f, &p, &e), YJ_EINVAL);
    assert_string_equal(e.field, "loss");
    assert_false(e.msg[0] >= 'A' && e.msg[0] <= 'Z');
}

/* Every fact at its largest and level names far too long: the reason is cut at a
 * whole character, never past its buffer. */
static void test_reason_never_overflows(void **state)
{
    (void)state;
    static char names[4][700];
    struct inc_level big[4];
    for (int i = 0; i < 4; i++) {
        size_t o = 0;
        while (o + 3 < sizeof names[i]) {
            memcpy(names[i] + o, "级", 3);
            o += 3;
        }
        names[i][o] = '\0';
        big[i] = seeded_levels[i];
        big[i].name_zh = names[i];
    }
    struct inc_grading_facts f;
    inc_grading_facts_init(&f);
    f.importance = INC_IMP_ESPECIALLY;
    f.loss = INC_LOSS_ESPECIALLY_SERIOUS;
    f.social_impact = 1;
    f.people_affected = INT64_MAX;
    for (size_t m = 0; m < inc_grading_metrics_count; m++)
        *metric(&f, inc_grading_metrics[m]) = INT64_MAX;
    struct inc_grade_proposal p;
    assert_int_equal(
        inc_grade_propose(&f, seeded_rules, YJ_ARRAY_LEN(seeded_rules), big, 4, &p, NULL), YJ_OK);
    assert_int_equal(p.severity, 1);
    assert_true(strlen(p.reason) < sizeof p.reason);
    assert_true(strlen(p.reason) > sizeof p.reason - 8);
    assert_true(yj_utf8_text_ok(p.reason, strlen(p.reason)));
    /* With the seeded names, all of it fits. */
    p = grade(&f);
    assert_int_equal(p.severity, 1);
    assert_non_null(strstr(p.reason, "受影响 92233720368.54775807 亿人 (无分级阈值)"));
    assert_non_null(strstr(p.reason, "首页被篡改展示违法内容 153722867280912930 小时 7 分钟"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts_init),
        cmocka_unit_test(test_importance_and_loss_codes),
        cmocka_unit_test(test_no_facts),
        cmocka_unit_test(test_matrix_every_cell),
        cmocka_unit_test(test_matrix_half_known),
        cmocka_unit_test(test_social_impact),
        cmocka_unit_test(test_thresholds_each_row),
        cmocka_unit_test(test_reason_wording),
        cmocka_unit_test(test_reason_deciding_first),
        cmocka_unit_test(test_known_but_nothing_reaches),
        cmocka_unit_test(test_rows_that_do_not_grade),
        cmocka_unit_test(test_level_names_from_rows),
        cmocka_unit_test(test_bad_facts),
        cmocka_unit_test(test_reason_never_overflows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
