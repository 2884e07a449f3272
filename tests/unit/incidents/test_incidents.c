/*
 * test_incidents.c - an incident's status codes and every move between them
 * (inc_transition_check over all pairs, with and without each fact a move needs),
 * the level lookup, the report forms and inc_form_check, report kinds and the
 * upward reporting deadlines per operator type and level. The grading helper is
 * in test_grading.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "incidents/incidents.h"
#include "seeded.h"

#define MIN_MS (60LL * 1000)
#define DAY_MS (24LL * 60 * MIN_MS)

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

/* ---- status codes ---- */

static void test_status_codes(void **state)
{
    (void)state;
    static const char *const codes[] = {"reported",  "triaged",  "dispatched", "in_progress",
                                        "contained", "resolved", "closed"};
    static const char *const names[] = {"已报告", "已研判", "已派单", "处置中",
                                        "已控制", "已处置", "已结案"};
    assert_int_equal(INC_STATUS__COUNT, 7);
    for (int i = 0; i < INC_STATUS__COUNT; i++) {
        assert_string_equal(inc_status_code((enum inc_status)i), codes[i]);
        assert_string_equal(inc_status_name_zh((enum inc_status)i), names[i]);
        enum inc_status s = INC_CLOSED;
        assert_int_equal(inc_status_parse(codes[i], &s), 0);
        assert_int_equal(s, i);
    }
    enum inc_status s = INC_TRIAGED;
    assert_int_equal(inc_status_parse("Reported", &s), -1);
    assert_int_equal(inc_status_parse("", &s), -1);
    assert_int_equal(inc_status_parse(NULL, &s), -1);
    assert_int_equal(inc_status_parse("已报告", &s), -1);
    assert_int_equal(s, INC_TRIAGED);
    assert_string_equal(inc_status_code(INC_STATUS__COUNT), "unknown");
    assert_string_equal(inc_status_name_zh((enum inc_status)99), "未知");
}

/* ---- transitions ---- */

static const struct inc_transition_facts all_facts = {
    .classified = true,
    .graded = true,
    .live_dispatches = 1,
    .final_report_complete = true,
    .merged = false,
};

/* With every fact in place: which moves are allowed (row from, column to). */
static const bool allowed[INC_STATUS__COUNT][INC_STATUS__COUNT] = {
    /*                 rep    tri    dis    inp    con    res    clo */
    [INC_REPORTED] = {false, true, true, true, true, true, false},
    [INC_TRIAGED] = {false, false, true, true, true, true, false},
    [INC_DISPATCHED] = {false, false, false, true, true, true, false},
    [INC_IN_PROGRESS] = {false, false, false, false, true, true, false},
    [INC_CONTAINED] = {false, false, false, false, false, true, false},
    [INC_RESOLVED] = {false, false, false, true, false, false, true},
    [INC_CLOSED] = {false, false, false, false, false, false, false},
};

static void test_transitions_all_pairs(void **state)
{
    (void)state;
    for (int from = 0; from < INC_STATUS__COUNT; from++)
        for (int to = 0; to < INC_STATUS__COUNT; to++) {
            struct yj_error e = {0};
            enum yj_err rc =
                inc_transition_check((enum inc_status)from, (enum inc_status)to, &all_facts, &e);
            if (allowed[from][to]) {
                if (rc != YJ_OK)
                    fail_msg("%s -> %s refused: %s %s", inc_status_code(from), inc_status_code(to),
                             e.field, e.msg);
            } else {
                if (rc != YJ_ECONFLICT)
                    fail_msg("%s -> %s: expected a conflict, got %d", inc_status_code(from),
                             inc_status_code(to), rc);
                assert_string_equal(e.field, "status");
                assert_msg_style(&e);
            }
        }
}

/* Every allowed pair, with one fact taken away: the moves that need it are refused
 * naming field, the others still pass. */
static void check_without(const struct inc_transition_facts *f, const char *field,
                          bool (*needs)(enum inc_status to))
{
    for (int from = 0; from < INC_STATUS__COUNT; from++)
        for (int to = 0; to < INC_STATUS__COUNT; to++) {
            if (!allowed[from][to])
                continue;
            struct yj_error e = {0};
            enum yj_err rc =
                inc_transition_check((enum inc_status)from, (enum inc_status)to, f, &e);
            if (needs((enum inc_status)to)) {
                if (rc != YJ_ECONFLICT || strcmp(e.field, field) != 0)
                    fail_msg("%s -> %s without %s: got %d %s", inc_status_code(from),
                             inc_status_code(to), field, rc, e.field);
                assert_msg_style(&e);
            } else if (rc != YJ_OK) {
                fail_msg("%s -> %s refused without %s: %s", inc_status_code(from),
                         inc_status_code(to), field, e.field);
            }
        }
}

static bool needs_always(enum inc_status to)
{
    (void)to;
    return true;
}

static bool needs_never(enum inc_status to)
{
    (void)to;
    return false;
}

static bool needs_dispatch(enum inc_status to)
{
    return to == INC_DISPATCHED || to == INC_IN_PROGRESS;
}

static bool needs_final(enum inc_status to)
{
    return to == INC_CLOSED;
}

static void test_transitions_need_class_and_level(void **state)
{
    (void)state;
    /* Every allowed move reaches triaged or beyond: skipping triaged does not
     * skip its class and level. */
    struct inc_transition_facts f = all_facts;
    f.classified = false;
    check_without(&f, "class_code", needs_always);
    f.graded = false; /* the class is named first */
    check_without(&f, "class_code", needs_always);
    f = all_facts;
    f.graded = false;
    check_without(&f, "level", needs_always);
}

static void test_transitions_need_dispatch(void **state)
{
    (void)state;
    struct inc_transition_facts f = all_facts;
    f.live_dispatches = 0;
    check_without(&f, "dispatches", needs_dispatch);
    f.live_dispatches = -1;
    check_without(&f, "dispatches", needs_dispatch);
    f.live_dispatches = 3;
    check_without(&f, "dispatches", needs_never);
}

static void test_transitions_need_final_report(void **state)
{
    (void)state;
    struct inc_transition_facts f = all_facts;
    f.final_report_complete = false;
    check_without(&f, "final_report", needs_final);
}

static void test_transitions_examples(void **state)
{
    (void)state;
    struct yj_error e = {0};
    /* An operator contains an incident nobody was dispatched to. */
    struct inc_transition_facts f = {.classified = true, .graded = true};
    assert_int_equal(inc_transition_check(INC_TRIAGED, INC_CONTAINED, &f, &e), YJ_OK);
    assert_int_equal(inc_transition_check(INC_TRIAGED, INC_RESOLVED, &f, &e), YJ_OK);
    assert_int_equal(inc_transition_check(INC_REPORTED, INC_RESOLVED, &f, &e), YJ_OK);
    /* ... but not one never graded, straight from reported. */
    f.graded = false;
    assert_int_equal(inc_transition_check(INC_REPORTED, INC_CONTAINED, &f, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "level");
    assert_int_equal(inc_transition_check(INC_REPORTED, INC_RESOLVED, &f, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "level");
    /* Reopening needs the dispatch that in_progress means. */
    f = all_facts;
    assert_int_equal(inc_transition_check(INC_RESOLVED, INC_IN_PROGRESS, &f, &e), YJ_OK);
    f.live_dispatches = 0;
    assert_int_equal(inc_transition_check(INC_RESOLVED, INC_IN_PROGRESS, &f, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "dispatches");
    /* Only from resolved to closed, and a state error comes before a missing fact. */
    f = (struct inc_transition_facts){0};
    assert_int_equal(inc_transition_check(INC_CONTAINED, INC_CLOSED, &f, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    assert_int_equal(inc_transition_check(INC_CLOSED, INC_RESOLVED, &f, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    /* No facts at all reads as nothing known. */
    assert_int_equal(inc_transition_check(INC_REPORTED, INC_TRIAGED, NULL, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "class_code");
    assert_int_equal(inc_transition_check(INC_TRIAGED, INC_REPORTED, NULL, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    /* err may be NULL. */
    assert_int_equal(inc_transition_check(INC_REPORTED, INC_TRIAGED, &all_facts, NULL), YJ_OK);
    assert_int_equal(inc_transition_check(INC_CLOSED, INC_CLOSED, &all_facts, NULL), YJ_ECONFLICT);
}

static void test_transitions_merged_never_move(void **state)
{
    (void)state;
    struct inc_transition_facts f = all_facts;
    f.merged = true;
    for (int from = 0; from < INC_STATUS__COUNT; from++)
        for (int to = 0; to < INC_STATUS__COUNT; to++) {
            struct yj_error e = {0};
            assert_int_equal(
                inc_transition_check((enum inc_status)from, (enum inc_status)to, &f, &e),
                YJ_ECONFLICT);
            assert_string_equal(e.field, "status");
            assert_msg_style(&e);
        }
}

static void test_transitions_unknown_status(void **state)
{
    (void)state;
    struct yj_error e = {0};
    assert_int_equal(inc_transition_check(INC_STATUS__COUNT, INC_TRIAGED, &all_facts, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "status");
    assert_int_equal(inc_transition_check(INC_REPORTED, (enum inc_status)99, &all_facts, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "status");
}

/* ---- seeded_levels ---- */

static void test_level_by_severity(void **state)
{
    (void)state;
    for (int s = 1; s <= 4; s++) {
        const struct inc_level *l = inc_level_by_severity(seeded_levels, 4, s);
        assert_non_null(l);
        assert_int_equal(l->severity, s);
    }
    assert_string_equal(inc_level_by_severity(seeded_levels, 4, 1)->name_zh, "特别重大");
    assert_string_equal(inc_level_by_severity(seeded_levels, 4, 4)->code, "general");
    assert_null(inc_level_by_severity(seeded_levels, 4, 0));
    assert_null(inc_level_by_severity(seeded_levels, 4, 5));
    assert_null(inc_level_by_severity(seeded_levels, 3, 4)); /* only the first n rows */
    assert_null(inc_level_by_severity(NULL, 0, 1));
    /* Rows in any order. */
    const struct inc_level rev[] = {seeded_levels[3], seeded_levels[2], seeded_levels[1],
                                    seeded_levels[0]};
    assert_ptr_equal(inc_level_by_severity(rev, 4, 2), &rev[2]);
}

/* ---- report kinds ---- */

static void test_report_kinds(void **state)
{
    (void)state;
    static const char *const codes[] = {"first", "pass_on", "followup", "final"};
    static const char *const names[] = {"初次报告", "逐级上报", "续报", "总结报告"};
    assert_int_equal(INC_R__COUNT, 4);
    for (int i = 0; i < INC_R__COUNT; i++) {
        assert_string_equal(inc_report_kind_code((enum inc_report_kind)i), codes[i]);
        assert_string_equal(inc_report_kind_name_zh((enum inc_report_kind)i), names[i]);
        enum inc_report_kind k = INC_R_FINAL;
        assert_int_equal(inc_report_kind_parse(codes[i], &k), 0);
        assert_int_equal(k, i);
    }
    enum inc_report_kind k = INC_R_FIRST;
    assert_int_equal(inc_report_kind_parse("followUp", &k), -1);
    assert_int_equal(inc_report_kind_parse(NULL, &k), -1);
    assert_int_equal(k, INC_R_FIRST);
    assert_string_equal(inc_report_kind_code(INC_R__COUNT), "unknown");
    assert_string_equal(inc_report_kind_name_zh(INC_R__COUNT), "未知");
}

/* ---- reporting obligations ---- */

static void test_obligations_each_operator_and_level(void **state)
{
    (void)state;
    const int64_t discovered = 1780000000000LL, received = discovered + 17 * MIN_MS,
                  resolved = discovered + 3 * DAY_MS;
    /* Per rule: first report minutes, pass-on minutes (STANDARDS.md §3). */
    static const int first[] = {60, 120, 240}, pass_on[] = {30, 60, 60};
    for (size_t r = 0; r < 3; r++)
        for (size_t l = 0; l < 4; l++) {
            struct inc_report_due out[3];
            memset(out, 0xa5, sizeof out);
            size_t n = inc_report_obligations(&seeded_levels[l], &seeded_report_rules[r],
                                              discovered, received, resolved, out);
            if (l == 3) { /* 一般: nothing to report upward */
                assert_int_equal(n, 0);
                continue;
            }
            size_t k = 0;
            assert_int_equal(out[k].kind, INC_R_FIRST);
            assert_string_equal(out[k].recipient, seeded_report_rules[r].recipient_zh);
            assert_true(out[k].due_at == discovered + first[r] * MIN_MS);
            k++;
            if (l < 2) { /* 重大 and above are passed on */
                assert_int_equal(out[k].kind, INC_R_PASS_ON);
                assert_non_null(out[k].recipient);
                assert_true(out[k].due_at == received + pass_on[r] * MIN_MS);
                k++;
            }
            assert_int_equal(out[k].kind, INC_R_FINAL);
            assert_string_equal(out[k].recipient, seeded_report_rules[r].recipient_zh);
            assert_true(out[k].due_at == resolved + 30 * DAY_MS);
            k++;
            assert_int_equal(n, k);
        }
}

static void test_obligations_unknown_times(void **state)
{
    (void)state;
    struct inc_report_due out[3];
    const int64_t discovered = 1780000000000LL;
    /* Not yet resolved: the final report's deadline is not known; not yet
     * received: nor is the pass-on's. */
    size_t n =
        inc_report_obligations(&seeded_levels[0], &seeded_report_rules[0], discovered, 0, 0, out);
    assert_int_equal(n, 3);
    assert_true(out[0].due_at == discovered + 60 * MIN_MS);
    assert_int_equal(out[1].kind, INC_R_PASS_ON);
    assert_true(out[1].due_at == 0);
    assert_int_equal(out[2].kind, INC_R_FINAL);
    assert_true(out[2].due_at == 0);
    n = inc_report_obligations(&seeded_levels[2], &seeded_report_rules[2], discovered, discovered,
                               0, out);
    assert_int_equal(n, 2);
    assert_true(out[0].due_at == discovered + 4 * 60 * MIN_MS);
    assert_true(out[1].due_at == 0);
    /* The level's own flags decide, not its severity. */
    struct inc_level edited = seeded_levels[3];
    edited.must_report = true;
    assert_int_equal(
        inc_report_obligations(&edited, &seeded_report_rules[2], discovered, 0, 0, out), 2);
    assert_int_equal(inc_report_obligations(NULL, &seeded_report_rules[2], discovered, 0, 0, out),
                     0);
    assert_int_equal(inc_report_obligations(&seeded_levels[0], NULL, discovered, 0, 0, out), 0);
}

/* ---- report forms ---- */

static void test_form_items(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int stage;
        bool required;
    } want[] = {
        {"unit_system", 1, true}, {"discovery", 1, true}, {"development", 2, true},
        {"cause", 2, true},       {"leads", 2, true},     {"next_measures", 2, true},
        {"scene", 2, true},       {"other", 2, false},
    };
    assert_int_equal(inc_report_items_count, YJ_ARRAY_LEN(want));
    for (size_t i = 0; i < inc_report_items_count; i++) {
        assert_string_equal(inc_report_items[i].code, want[i].code);
        assert_int_equal(inc_report_items[i].stage, want[i].stage);
        assert_int_equal(inc_report_items[i].required, want[i].required);
        assert_true(strlen(inc_report_items[i].name_zh) > 0);
    }
    assert_string_equal(inc_report_items[0].name_zh, "事件发生单位及受影响系统");
    assert_non_null(strstr(inc_report_items[1].name_zh, "赎金金额"));
    assert_non_null(strstr(inc_report_items[5].name_zh, "需要支援"));
    static const char *const final_codes[] = {"cause",          "impact",        "measures",
                                              "accountability", "rectification", "lessons"};
    static const char *const final_names[] = {"事件原因",       "危害及影响", "处置措施",
                                              "责任认定及处理", "整改情况",   "经验教训"};
    assert_int_equal(inc_final_items_count, 6);
    for (size_t i = 0; i < inc_final_items_count; i++) {
        assert_string_equal(inc_final_items[i].code, final_codes[i]);
        assert_string_equal(inc_final_items[i].name_zh, final_names[i]);
        assert_true(inc_final_items[i].required);
    }
}

static void test_form_check_stages(void **state)
{
    (void)state;
    struct yj_error e = {0};
    bool s1 = true, all = true;
    /* Nothing given. */
    assert_int_equal(
        inc_form_check(inc_report_items, inc_report_items_count, NULL, 0, &s1, &all, &e), YJ_OK);
    assert_false(s1);
    assert_false(all);
    /* The first two items go first. */
    struct inc_form_value v[8] = {
        {"discovery", "6月3日 9:10 发现门户首页被篡改"},
        {"unit_system", "某市政务服务中心 门户网站"},
    };
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_OK);
    assert_true(s1);
    assert_false(all);
    /* One of them only. */
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 1, &s1, &all, &e),
                     YJ_OK);
    assert_false(s1);
    /* Every required item; "other" may stay empty. */
    v[2] = (struct inc_form_value){"development", "已恢复"};
    v[3] = (struct inc_form_value){"cause", "CMS 弱口令"};
    v[4] = (struct inc_form_value){"leads", "境外 IP"};
    v[5] = (struct inc_form_value){"next_measures", "全面排查；无需支援"};
    v[6] = (struct inc_form_value){"scene", "已保存日志与镜像"};
    v[7] = (struct inc_form_value){"other", ""};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 8, &s1, &all, &e),
                     YJ_OK);
    assert_true(s1);
    assert_true(all);
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 7, &s1, &all, &e),
                     YJ_OK);
    assert_true(all);
    /* Empty, NULL or blank text does not fill an item. */
    const char *blanks[] = {NULL, "", "  \t\r\n", "\xe3\x80\x80 \xe3\x80\x80"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(blanks); i++) {
        v[6].text = blanks[i];
        assert_int_equal(
            inc_form_check(inc_report_items, inc_report_items_count, v, 8, &s1, &all, &e), YJ_OK);
        assert_true(s1);
        assert_false(all);
        v[0].text = blanks[i];
        assert_int_equal(
            inc_form_check(inc_report_items, inc_report_items_count, v, 8, &s1, &all, &e), YJ_OK);
        assert_false(s1);
        v[0].text = "x";
    }
    /* Either out pointer may be NULL. */
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 8, NULL, NULL, &e),
                     YJ_OK);
    assert_int_equal(
        inc_form_check(inc_report_items, inc_report_items_count, v, 8, &s1, NULL, NULL), YJ_OK);
    assert_true(s1);
}

static void test_form_check_final(void **state)
{
    (void)state;
    struct inc_form_value v[6];
    for (size_t i = 0; i < 6; i++)
        v[i] = (struct inc_form_value){inc_final_items[i].code, "已填写"};
    bool s1 = false, all = false;
    assert_int_equal(inc_form_check(inc_final_items, inc_final_items_count, v, 6, &s1, &all, NULL),
                     YJ_OK);
    assert_true(s1);
    assert_true(all);
    for (size_t miss = 0; miss < 6; miss++) {
        v[miss].text = "";
        assert_int_equal(
            inc_form_check(inc_final_items, inc_final_items_count, v, 6, &s1, &all, NULL), YJ_OK);
        assert_false(all);
        assert_false(s1); /* a final report does not go in parts */
        v[miss].text = "已填写";
    }
    /* A first-report item is not an item of the final report. */
    struct inc_form_value scene = {"scene", "x"};
    struct yj_error e = {0};
    assert_int_equal(
        inc_form_check(inc_final_items, inc_final_items_count, &scene, 1, &s1, &all, &e),
        YJ_EINVAL);
    assert_string_equal(e.field, "content.scene");
}

static void test_form_check_errors(void **state)
{
    (void)state;
    struct yj_error e = {0};
    bool s1 = true, all = true;
    struct inc_form_value v[2] = {{"unit_system", "x"}, {"ransom", "1 BTC"}};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "content.ransom");
    assert_msg_style(&e);
    v[1] = (struct inc_form_value){"Unit_System", "x"};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "content.Unit_System");
    v[1] = (struct inc_form_value){NULL, "x"};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "content.");
    v[1] = (struct inc_form_value){"unit_system", "y"};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "content.unit_system");
    /* Not text. */
    v[1] = (struct inc_form_value){"cause", "bad \xff byte"};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "content.cause");
    v[1] = (struct inc_form_value){"cause", "bell \a"};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    /* INC_TEXT_MAX characters (not bytes) pass, one more does not. */
    char *at_max = repeat("事", INC_TEXT_MAX);
    char *over = repeat("a", INC_TEXT_MAX + 1);
    v[1] = (struct inc_form_value){"leads", at_max};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_OK);
    v[1].text = over;
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "content.leads");
    assert_msg_style(&e);
    free(at_max);
    free(over);
    /* A long unknown code still makes a field that is text. */
    char *long_code = repeat("码", 200);
    v[1] = (struct inc_form_value){long_code, "x"};
    assert_int_equal(inc_form_check(inc_report_items, inc_report_items_count, v, 2, &s1, &all, &e),
                     YJ_EINVAL);
    assert_true(strncmp(e.field, "content.码", strlen("content.码")) == 0);
    assert_true(yj_utf8_text_ok(e.field, strlen(e.field)));
    free(long_code);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_transitions_all_pairs),
        cmocka_unit_test(test_transitions_need_class_and_level),
        cmocka_unit_test(test_transitions_need_dispatch),
        cmocka_unit_test(test_transitions_need_final_report),
        cmocka_unit_test(test_transitions_examples),
        cmocka_unit_test(test_transitions_merged_never_move),
        cmocka_unit_test(test_transitions_unknown_status),
        cmocka_unit_test(test_level_by_severity),
        cmocka_unit_test(test_report_kinds),
        cmocka_unit_test(test_obligations_each_operator_and_level),
        cmocka_unit_test(test_obligations_unknown_times),
        cmocka_unit_test(test_form_items),
        cmocka_unit_test(test_form_check_stages),
        cmocka_unit_test(test_form_check_final),
        cmocka_unit_test(test_form_check_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
