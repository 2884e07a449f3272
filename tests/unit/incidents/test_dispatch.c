/*
 * test_dispatch.c - a dispatch's codes and life: every action in every status,
 * milestones recorded once, the acknowledgement and 2-hour commitment deadlines
 * to the millisecond (due at T: nothing at T-1, the breach at T), what excuses a
 * deadline, the next deadline to wake up for, and the order units are suggested in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "incidents/incidents.h"

#define MIN_MS (60LL * 1000)

static const struct inc_level major = {"major", "重大", 2, 15, 120, true, true};

/* Notified at T0: acknowledgement due at T0 + 15 min, commitment at T0 + 2 h. */
static const int64_t T0 = 1780000000000LL;
#define ACK_DUE (T0 + 15 * MIN_MS)
#define COMMIT_DUE (T0 + 120 * MIN_MS)

static struct inc_dispatch fresh(void)
{
    struct inc_dispatch d;
    inc_dispatch_start(&d, &major, T0);
    return d;
}

static void apply_ok(struct inc_dispatch *d, enum inc_dispatch_action a, int64_t at)
{
    struct yj_error e = {0};
    if (inc_dispatch_apply(d, a, at, &e) != YJ_OK)
        fail_msg("%s refused: %s", inc_dispatch_action_code(a), e.msg);
}

/* ---- codes ---- */

static void test_codes(void **state)
{
    (void)state;
    static const char *const st[] = {"notified", "accepted", "declined",
                                     "working",  "resolved", "withdrawn"};
    static const char *const st_zh[] = {"已通知", "已接受", "已拒绝", "处置中", "已完成", "已撤回"};
    assert_int_equal(INC_D_STATUS__COUNT, 6);
    for (int i = 0; i < INC_D_STATUS__COUNT; i++) {
        assert_string_equal(inc_dispatch_status_code((enum inc_dispatch_status)i), st[i]);
        assert_string_equal(inc_dispatch_status_name_zh((enum inc_dispatch_status)i), st_zh[i]);
        enum inc_dispatch_status s = INC_D_WITHDRAWN;
        assert_int_equal(inc_dispatch_status_parse(st[i], &s), 0);
        assert_int_equal(s, i);
    }
    static const char *const ac[] = {"accept",         "decline", "plan_started", "on_site",
                                     "remote_support", "resolve", "withdraw"};
    assert_int_equal(INC_DA__COUNT, 7);
    for (int i = 0; i < INC_DA__COUNT; i++) {
        assert_string_equal(inc_dispatch_action_code((enum inc_dispatch_action)i), ac[i]);
        enum inc_dispatch_action a = INC_DA_WITHDRAW;
        assert_int_equal(inc_dispatch_action_parse(ac[i], &a), 0);
        assert_int_equal(a, i);
    }
    enum inc_dispatch_status s = INC_D_WORKING;
    enum inc_dispatch_action a = INC_DA_RESOLVE;
    assert_int_equal(inc_dispatch_status_parse("Notified", &s), -1);
    assert_int_equal(inc_dispatch_status_parse(NULL, &s), -1);
    assert_int_equal(inc_dispatch_action_parse("onsite", &a), -1);
    assert_int_equal(inc_dispatch_action_parse(NULL, &a), -1);
    assert_int_equal(s, INC_D_WORKING);
    assert_int_equal(a, INC_DA_RESOLVE);
    assert_string_equal(inc_dispatch_status_code(INC_D_STATUS__COUNT), "unknown");
    assert_string_equal(inc_dispatch_status_name_zh(INC_D_STATUS__COUNT), "未知");
    assert_string_equal(inc_dispatch_action_code(INC_DA__COUNT), "unknown");
}

/* ---- start ---- */

static void test_start(void **state)
{
    (void)state;
    struct inc_dispatch d;
    memset(&d, 0x77, sizeof d);
    inc_dispatch_start(&d, &major, T0);
    assert_int_equal(d.status, INC_D_NOTIFIED);
    assert_true(d.notified_at == T0);
    assert_true(d.ack_due_at == T0 + 15 * MIN_MS);
    assert_true(d.commit_due_at == T0 + 120 * MIN_MS);
    assert_true(d.accepted_at == 0 && d.declined_at == 0 && d.plan_started_at == 0 &&
                d.on_site_at == 0 && d.remote_support_at == 0 && d.resolved_at == 0 &&
                d.withdrawn_at == 0 && d.ack_breached_at == 0 && d.commit_breached_at == 0);
    const struct inc_level general = {"general", "一般", 4, 30, 240, false, false};
    inc_dispatch_start(&d, &general, T0);
    assert_true(d.ack_due_at == T0 + 30 * MIN_MS);
    assert_true(d.commit_due_at == T0 + 240 * MIN_MS);
    /* Without a level row the seeded deadlines still hold. */
    inc_dispatch_start(&d, NULL, T0);
    assert_true(d.ack_due_at == T0 + 30 * MIN_MS);
    assert_true(d.commit_due_at == T0 + 120 * MIN_MS);
}

/* ---- actions ---- */

/* A dispatch in status s, its times consistent with the way there. */
static struct inc_dispatch in_status(enum inc_dispatch_status s)
{
    struct inc_dispatch d = fresh();
    switch (s) {
    case INC_D_NOTIFIED:
        break;
    case INC_D_ACCEPTED:
        apply_ok(&d, INC_DA_ACCEPT, T0 + 1);
        break;
    case INC_D_DECLINED:
        apply_ok(&d, INC_DA_DECLINE, T0 + 1);
        break;
    case INC_D_WORKING:
        apply_ok(&d, INC_DA_ACCEPT, T0 + 1);
        apply_ok(&d, INC_DA_REMOTE_SUPPORT, T0 + 2);
        break;
    case INC_D_RESOLVED:
        apply_ok(&d, INC_DA_ACCEPT, T0 + 1);
        apply_ok(&d, INC_DA_REMOTE_SUPPORT, T0 + 2);
        apply_ok(&d, INC_DA_RESOLVE, T0 + 3);
        break;
    case INC_D_WITHDRAWN:
        apply_ok(&d, INC_DA_WITHDRAW, T0 + 1);
        break;
    default:
        fail();
    }
    assert_int_equal(d.status, s);
    return d;
}

static int64_t milestone(const struct inc_dispatch *d, enum inc_dispatch_action a)
{
    switch (a) {
    case INC_DA_ACCEPT:
        return d->accepted_at;
    case INC_DA_DECLINE:
        return d->declined_at;
    case INC_DA_PLAN_STARTED:
        return d->plan_started_at;
    case INC_DA_ON_SITE:
        return d->on_site_at;
    case INC_DA_REMOTE_SUPPORT:
        return d->remote_support_at;
    case INC_DA_RESOLVE:
        return d->resolved_at;
    case INC_DA_WITHDRAW:
        return d->withdrawn_at;
    default:
        fail();
    }
    return 0;
}

#define NO (-1)

static void test_every_action_in_every_status(void **state)
{
    (void)state;
    /* The status an action leads to from each status, NO where it does not apply.
     * (From working, remote support was already recorded: see the milestone test.) */
    static const int want[INC_D_STATUS__COUNT][INC_DA__COUNT] = {
        /* accept, decline, plan_started, on_site, remote_support, resolve, withdraw */
        [INC_D_NOTIFIED] = {INC_D_ACCEPTED, INC_D_DECLINED, NO, NO, NO, NO, INC_D_WITHDRAWN},
        [INC_D_ACCEPTED] = {NO, NO, INC_D_WORKING, INC_D_WORKING, INC_D_WORKING, NO,
                            INC_D_WITHDRAWN},
        [INC_D_DECLINED] = {NO, NO, NO, NO, NO, NO, NO},
        [INC_D_WORKING] = {NO, NO, INC_D_WORKING, INC_D_WORKING, NO, INC_D_RESOLVED,
                           INC_D_WITHDRAWN},
        [INC_D_RESOLVED] = {NO, NO, NO, NO, NO, NO, NO},
        [INC_D_WITHDRAWN] = {NO, NO, NO, NO, NO, NO, NO},
    };
    const int64_t now = T0 + 10 * MIN_MS;
    for (int s = 0; s < INC_D_STATUS__COUNT; s++)
        for (int a = 0; a < INC_DA__COUNT; a++) {
            struct inc_dispatch d = in_status((enum inc_dispatch_status)s), before = d;
            struct yj_error e = {0};
            enum yj_err rc = inc_dispatch_apply(&d, (enum inc_dispatch_action)a, now, &e);
            if (want[s][a] == NO) {
                if (rc != YJ_ECONFLICT)
                    fail_msg("%s on a %s dispatch: %d", inc_dispatch_action_code(a),
                             inc_dispatch_status_code(s), rc);
                assert_string_equal(e.field, "status");
                assert_false(e.msg[0] >= 'A' && e.msg[0] <= 'Z');
                assert_memory_equal(&d, &before, sizeof d);
            } else {
                if (rc != YJ_OK)
                    fail_msg("%s on a %s dispatch refused: %s", inc_dispatch_action_code(a),
                             inc_dispatch_status_code(s), e.msg);
                assert_int_equal(d.status, want[s][a]);
                assert_true(milestone(&d, (enum inc_dispatch_action)a) == now);
            }
        }
}

static void test_milestones_once(void **state)
{
    (void)state;
    struct inc_dispatch d = fresh();
    apply_ok(&d, INC_DA_ACCEPT, T0 + MIN_MS);
    apply_ok(&d, INC_DA_ON_SITE, T0 + 50 * MIN_MS);
    apply_ok(&d, INC_DA_PLAN_STARTED, T0 + 60 * MIN_MS);
    apply_ok(&d, INC_DA_REMOTE_SUPPORT, T0 + 61 * MIN_MS);
    assert_int_equal(d.status, INC_D_WORKING);
    static const enum inc_dispatch_action again[] = {INC_DA_ON_SITE, INC_DA_PLAN_STARTED,
                                                     INC_DA_REMOTE_SUPPORT, INC_DA_ACCEPT};
    for (size_t i = 0; i < YJ_ARRAY_LEN(again); i++) {
        struct inc_dispatch before = d;
        struct yj_error e = {0};
        assert_int_equal(inc_dispatch_apply(&d, again[i], T0 + 70 * MIN_MS, &e), YJ_ECONFLICT);
        assert_string_equal(e.field, "status");
        assert_memory_equal(&d, &before, sizeof d);
    }
    assert_true(d.on_site_at == T0 + 50 * MIN_MS);
    apply_ok(&d, INC_DA_RESOLVE, T0 + 90 * MIN_MS);
    assert_int_equal(d.status, INC_D_RESOLVED);
    assert_true(d.resolved_at == T0 + 90 * MIN_MS);
    /* Unknown action. */
    struct yj_error e = {0};
    assert_int_equal(inc_dispatch_apply(&d, INC_DA__COUNT, T0, &e), YJ_EINVAL);
    assert_string_equal(e.field, "action");
    /* A status outside the enum is a conflict, err may be NULL. */
    d.status = INC_D_STATUS__COUNT;
    assert_int_equal(inc_dispatch_apply(&d, INC_DA_WITHDRAW, T0, NULL), YJ_ECONFLICT);
}

/* ---- breaches ---- */

static void test_never_answered(void **state)
{
    (void)state;
    struct inc_dispatch d = fresh();
    assert_int_equal(inc_dispatch_due_breaches(&d, T0), 0);
    assert_int_equal(inc_dispatch_due_breaches(&d, ACK_DUE - 1), 0);
    assert_int_equal(inc_dispatch_due_breaches(&d, ACK_DUE), INC_BREACH_ACK);
    assert_int_equal(inc_dispatch_due_breaches(&d, COMMIT_DUE - 1), INC_BREACH_ACK);
    assert_int_equal(inc_dispatch_due_breaches(&d, COMMIT_DUE),
                     INC_BREACH_ACK | INC_BREACH_COMMITMENT);
    assert_int_equal(inc_dispatch_due_breaches(&d, INT64_MAX),
                     INC_BREACH_ACK | INC_BREACH_COMMITMENT);
    /* Recorded breaches are not returned again. */
    d.ack_breached_at = ACK_DUE;
    assert_int_equal(inc_dispatch_due_breaches(&d, ACK_DUE), 0);
    assert_int_equal(inc_dispatch_due_breaches(&d, COMMIT_DUE), INC_BREACH_COMMITMENT);
    d.commit_breached_at = COMMIT_DUE;
    assert_int_equal(inc_dispatch_due_breaches(&d, INT64_MAX), 0);
}

/* What a unit did, and when, after a notice at T0 (ack due at +15 min, the
 * commitment at +120 min): the breaches at given instants, and the next deadline
 * left (0: none). An answer or a milestone at the deadline's millisecond is in time. */
#define A (15 * MIN_MS)
#define C (120 * MIN_MS)
#define END INT64_MAX
#define BOTH (INC_BREACH_ACK | INC_BREACH_COMMITMENT)

static const struct {
    const char *what;
    struct {
        enum inc_dispatch_action a;
        int64_t at; /* after T0 */
    } steps[4];
    size_t n_steps;
    struct {
        int64_t at; /* after T0; END for "ever after" */
        int want;
    } checks[3];
    size_t n_checks;
    int64_t next; /* after T0; 0: no deadline left */
} scenarios[] = {
    {"accepted at the ack deadline", {{INC_DA_ACCEPT, A}}, 1, {{A, 0}}, 1, C},
    {"accepted 1 ms late", {{INC_DA_ACCEPT, A + 1}}, 1, {{A + 1, INC_BREACH_ACK}}, 1, A},
    {"declined at the ack deadline", {{INC_DA_DECLINE, A}}, 1, {{END, 0}}, 1, 0},
    {"declined in time", {{INC_DA_DECLINE, 5 * MIN_MS}}, 1, {{A, 0}, {C, 0}, {END, 0}}, 3, 0},
    {"declined late: nobody owes the commitment",
     {{INC_DA_DECLINE, A + MIN_MS}},
     1,
     {{A - 1, 0}, {A, INC_BREACH_ACK}, {END, INC_BREACH_ACK}},
     3,
     A},
    {"declined after the commitment", {{INC_DA_DECLINE, C + 1}}, 1, {{C + 1, BOTH}}, 1, A},
    {"plan and on site in time",
     {{INC_DA_ACCEPT, MIN_MS}, {INC_DA_PLAN_STARTED, 30 * MIN_MS}, {INC_DA_ON_SITE, 95 * MIN_MS}},
     3,
     {{C, 0}, {END, 0}},
     2,
     0},
    {"on site at the commitment's millisecond",
     {{INC_DA_ACCEPT, MIN_MS}, {INC_DA_PLAN_STARTED, 30 * MIN_MS}, {INC_DA_ON_SITE, C}},
     3,
     {{END, 0}},
     1,
     0},
    {"plan and remote support only",
     {{INC_DA_ACCEPT, MIN_MS},
      {INC_DA_PLAN_STARTED, 30 * MIN_MS},
      {INC_DA_REMOTE_SUPPORT, 31 * MIN_MS}},
     3,
     {{C - 1, 0}, {C, INC_BREACH_COMMITMENT}},
     2,
     C},
    {"on site 1 ms late",
     {{INC_DA_ACCEPT, MIN_MS},
      {INC_DA_PLAN_STARTED, 30 * MIN_MS},
      {INC_DA_REMOTE_SUPPORT, 31 * MIN_MS},
      {INC_DA_ON_SITE, C + 1}},
     4,
     {{C + 1, INC_BREACH_COMMITMENT}},
     1,
     C},
    {"on site without a plan",
     {{INC_DA_ACCEPT, MIN_MS}, {INC_DA_ON_SITE, 30 * MIN_MS}},
     2,
     {{C, INC_BREACH_COMMITMENT}},
     1,
     C},
    {"resolved remotely by the deadline",
     {{INC_DA_ACCEPT, MIN_MS}, {INC_DA_REMOTE_SUPPORT, 5 * MIN_MS}, {INC_DA_RESOLVE, C}},
     3,
     {{END, 0}},
     1,
     0},
    {"resolved after it, nobody on site",
     {{INC_DA_ACCEPT, MIN_MS}, {INC_DA_REMOTE_SUPPORT, 5 * MIN_MS}, {INC_DA_RESOLVE, C + 1}},
     3,
     {{C + 1, INC_BREACH_COMMITMENT}},
     1,
     C},
    {"withdrawn before the ack deadline", {{INC_DA_WITHDRAW, MIN_MS}}, 1, {{END, 0}}, 1, 0},
    {"unanswered, withdrawn between the deadlines (replaced after the breach)",
     {{INC_DA_WITHDRAW, A + 1}},
     1,
     {{END, INC_BREACH_ACK}},
     1,
     A},
    {"accepted, withdrawn at the commitment's millisecond",
     {{INC_DA_ACCEPT, MIN_MS}, {INC_DA_WITHDRAW, C}},
     2,
     {{END, 0}},
     1,
     0},
    {"unanswered, withdrawn after both", {{INC_DA_WITHDRAW, C + 1}}, 1, {{END, BOTH}}, 1, A},
};

static void test_scenarios(void **state)
{
    (void)state;
    for (size_t i = 0; i < YJ_ARRAY_LEN(scenarios); i++) {
        struct inc_dispatch d = fresh();
        for (size_t k = 0; k < scenarios[i].n_steps; k++)
            apply_ok(&d, scenarios[i].steps[k].a, T0 + scenarios[i].steps[k].at);
        for (size_t k = 0; k < scenarios[i].n_checks; k++) {
            int64_t at = scenarios[i].checks[k].at;
            int got = inc_dispatch_due_breaches(&d, at == END ? END : T0 + at);
            if (got != scenarios[i].checks[k].want)
                fail_msg("%s: breaches %d at +%lld ms, want %d", scenarios[i].what, got,
                         (long long)at, scenarios[i].checks[k].want);
        }
        int64_t next = inc_dispatch_next_deadline(&d);
        int64_t want = scenarios[i].next ? T0 + scenarios[i].next : 0;
        if (next != want)
            fail_msg("%s: next deadline %lld, want %lld", scenarios[i].what, (long long)next,
                     (long long)want);
    }
}

static void test_next_deadline(void **state)
{
    (void)state;
    struct inc_dispatch d = fresh();
    assert_true(inc_dispatch_next_deadline(&d) == ACK_DUE);
    apply_ok(&d, INC_DA_ACCEPT, T0 + MIN_MS);
    assert_true(inc_dispatch_next_deadline(&d) == COMMIT_DUE);
    apply_ok(&d, INC_DA_PLAN_STARTED, T0 + 2 * MIN_MS);
    assert_true(inc_dispatch_next_deadline(&d) == COMMIT_DUE);
    apply_ok(&d, INC_DA_ON_SITE, T0 + 3 * MIN_MS);
    assert_true(inc_dispatch_next_deadline(&d) == 0);
    /* Unanswered: the acknowledgement first; once its breach is recorded, the
     * commitment; once that is, nothing. */
    d = fresh();
    d.ack_breached_at = ACK_DUE;
    assert_true(inc_dispatch_next_deadline(&d) == COMMIT_DUE);
    d.commit_breached_at = COMMIT_DUE;
    assert_true(inc_dispatch_next_deadline(&d) == 0);
    /* If a level sets the commitment before the acknowledgement, it comes first. */
    const struct inc_level odd = {"x", "x", 1, 60, 10, true, true};
    inc_dispatch_start(&d, &odd, T0);
    assert_true(inc_dispatch_next_deadline(&d) == T0 + 10 * MIN_MS);
    /* Resolved in time: nothing left. */
    d = in_status(INC_D_RESOLVED);
    assert_true(inc_dispatch_next_deadline(&d) == 0);
    /* The next deadline is where the breaches change. */
    d = fresh();
    int64_t next = inc_dispatch_next_deadline(&d);
    assert_int_equal(inc_dispatch_due_breaches(&d, next - 1), 0);
    assert_int_not_equal(inc_dispatch_due_breaches(&d, next), 0);
}

/* ---- suggesting units ---- */

static struct inc_candidate cand(int64_t id, bool certified, bool on_call, bool field, bool city,
                                 bool province, int load, int breaches)
{
    struct inc_candidate c;
    memset(&c, 0, sizeof c);
    c.unit_id = id;
    c.certified = certified;
    c.on_call_now = on_call;
    c.has_field = field;
    c.same_city = city;
    c.same_province = province;
    c.open_dispatches = load;
    c.recent_breaches = breaches;
    c.score = -99;
    return c;
}

/* Candidates listed best first: each factor outranks all that follow it. */
static const struct {
    int64_t id;
    bool certified, on_call, field, city, province;
    int load, breaches;
} best_first[] = {
    {9, true, true, true, true, true, 0, 0},        {8, true, true, true, true, true, 0, 1},
    {7, true, true, true, true, true, 1, 0},        {6, true, true, true, false, true, 0, 0},
    {5, true, true, true, false, false, 0, 0},      {4, true, true, false, true, true, 0, 0},
    {3, true, false, true, true, true, 0, 0},       {12, true, false, false, false, false, 300, 0},
    {13, true, false, false, false, false, 301, 0}, {2, false, true, true, true, true, 0, 0},
    {10, false, false, false, false, false, 0, 0},  {11, false, false, false, false, false, 0, 0},
};

static void load_best_first(struct inc_candidate *c, const size_t *order)
{
    for (size_t i = 0; i < YJ_ARRAY_LEN(best_first); i++) {
        size_t k = order[i];
        c[i] = cand(best_first[k].id, best_first[k].certified, best_first[k].on_call,
                    best_first[k].field, best_first[k].city, best_first[k].province,
                    best_first[k].load, best_first[k].breaches);
    }
}

static void test_suggest_order(void **state)
{
    (void)state;
    enum { N = YJ_ARRAY_LEN(best_first) };
    size_t order[N];
    struct inc_candidate c[N];
    /* Several shuffles (reversed, rotated, interleaved): always the same result. */
    for (size_t shuffle = 0; shuffle < 2 * N; shuffle++) {
        for (size_t i = 0; i < N; i++)
            order[i] = shuffle < N ? (i + shuffle) % N : (N - 1 - i + shuffle * 5) % N;
        load_best_first(c, order);
        inc_suggest_rank(c, N);
        for (size_t i = 0; i < N; i++) {
            if (c[i].unit_id != best_first[i].id)
                fail_msg("shuffle %zu: position %zu holds unit %lld, want %lld", shuffle, i,
                         (long long)c[i].unit_id, (long long)best_first[i].id);
            if (best_first[i].certified) {
                assert_true(c[i].score > 0);
                if (i > 0 && best_first[i - 1].certified)
                    assert_true(c[i].score <= c[i - 1].score);
            } else {
                assert_int_equal(c[i].score, 0);
            }
        }
    }
    /* Scores are strict where the order comes from the scored factors. */
    assert_true(c[0].score > c[1].score);
    assert_true(c[5].score > c[6].score);
}

static void test_suggest_reason(void **state)
{
    (void)state;
    struct inc_candidate c[4] = {
        cand(1, true, true, true, true, true, 1, 0),
        cand(2, true, false, false, false, true, 0, 3),
        cand(3, false, false, false, false, false, 2, 0),
        cand(4, true, false, true, false, false, -1, -2),
    };
    inc_suggest_rank(c, 4);
    assert_true(c[0].unit_id == 1);
    assert_string_equal(c[0].reason, "值班中；具备所需能力；同城；当前任务 1 项");
    assert_true(c[1].unit_id == 4);
    assert_string_equal(c[1].reason, "非值班；具备所需能力；当前任务 0 项");
    assert_true(c[2].unit_id == 2);
    assert_string_equal(c[2].reason, "非值班；同省；当前任务 0 项；近12个月超时 3 次");
    assert_true(c[3].unit_id == 3);
    assert_string_equal(c[3].reason, "未持有效证书；非值班；当前任务 2 项");
    for (int i = 0; i < 4; i++)
        assert_true(yj_utf8_text_ok(c[i].reason, strlen(c[i].reason)));
    /* One candidate, and none. */
    struct inc_candidate one = cand(5, true, true, false, false, false, 0, 0);
    inc_suggest_rank(&one, 1);
    assert_true(one.score > 0);
    assert_string_equal(one.reason, "值班中；当前任务 0 项");
    inc_suggest_rank(NULL, 0);
    /* The largest numbers still fit. */
    struct inc_candidate big = cand(6, false, false, true, true, true, INT32_MAX, INT32_MAX);
    inc_suggest_rank(&big, 1);
    assert_string_equal(big.reason, "未持有效证书；非值班；具备所需能力；同城；当前任务 2147483647 "
                                    "项；近12个月超时 2147483647 次");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_every_action_in_every_status),
        cmocka_unit_test(test_milestones_once),
        cmocka_unit_test(test_never_answered),
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test(test_next_deadline),
        cmocka_unit_test(test_suggest_order),
        cmocka_unit_test(test_suggest_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
