/*
 * test_policy.c - roles and THE policy table. The expected table below is
 * written out independently from docs/API.md's role matrix; every (role,
 * action) pair is checked, then auth_policy_check's answers for each scope:
 * not logged in, never allowed, own unit, self.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "core/yj.h"

/* ---- roles ---- */

static void test_role_round_trip(void **state)
{
    (void)state;
    static const char *const codes[] = {"authority", "security_reviewer", "expert", "unit",
                                        "auditor"};
    static const char *const names[] = {"主管部门", "安全审查人员", "评审专家", "支撑单位",
                                        "审计监督"};
    assert_int_equal(YJ_ARRAY_LEN(codes), AUTH_ROLE__COUNT);
    for (int i = 0; i < AUTH_ROLE__COUNT; i++) {
        enum auth_role r = (enum auth_role)i;
        assert_string_equal(auth_role_code(r), codes[i]);
        assert_string_equal(auth_role_name_zh(r), names[i]);
        enum auth_role back = AUTH_ROLE__COUNT;
        assert_int_equal(auth_role_parse(codes[i], &back), 0);
        assert_int_equal(back, r);
    }
    /* Out of range gives a placeholder, never NULL. */
    assert_string_equal(auth_role_code(AUTH_ROLE__COUNT), "unknown");
    assert_string_equal(auth_role_code((enum auth_role) - 1), "unknown");
    assert_string_equal(auth_role_name_zh(AUTH_ROLE__COUNT), "未知");
    /* Unknown codes leave *r alone. */
    const char *bad[] = {"Authority", "admin", "", "unit ", "auditors", NULL};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        enum auth_role r = AUTH_ROLE_AUDITOR;
        assert_int_equal(auth_role_parse(bad[i], &r), -1);
        assert_int_equal(r, AUTH_ROLE_AUDITOR);
    }
}

/* ---- the table ---- */

#define D AUTH_DENY
#define A AUTH_ALL
#define U AUTH_OWN_UNIT
#define S AUTH_SELF
#define X AUTH_ASSIGNED
#define C AUTH_ASSIGNED_CLOSED

/* Columns: authority, security_reviewer, expert, unit, auditor. */
static const struct {
    enum auth_action action;
    const char *name;
    enum auth_scope scope[AUTH_ROLE__COUNT];
} expected[] = {
    {AUTH_UNIT_LIST, "unit.list", {A, A, A, U, A}},
    {AUTH_UNIT_READ, "unit.read", {A, A, A, U, A}},
    /* Reviewers and experts never see contacts, staff or the roster. */
    {AUTH_UNIT_READ_PERSONAL, "unit.read_personal", {A, D, D, U, A}},
    {AUTH_UNIT_CREATE, "unit.create", {A, D, D, D, D}},
    {AUTH_UNIT_UPDATE, "unit.update", {A, D, D, U, D}},
    {AUTH_UNIT_DELETE, "unit.delete", {A, D, D, D, D}},
    {AUTH_UNIT_HISTORY, "unit.history", {A, D, D, U, A}},
    {AUTH_USER_LIST, "user.list", {A, D, D, D, A}},
    {AUTH_USER_READ, "user.read", {A, D, D, D, A}},
    {AUTH_USER_CREATE, "user.create", {A, D, D, D, D}},
    {AUTH_USER_UPDATE, "user.update", {A, D, D, D, D}},
    {AUTH_USER_RESET_PASSWORD, "user.reset_password", {A, D, D, D, D}},
    {AUTH_AUDIT_READ, "audit.read", {A, D, D, D, A}},
    {AUTH_TOKEN_CREATE, "token.create", {S, S, S, S, S}},
    /* The authority lists and revokes anyone's tokens; the auditor lists them. */
    {AUTH_TOKEN_LIST, "token.list", {A, S, S, S, A}},
    {AUTH_TOKEN_REVOKE, "token.revoke", {A, S, S, S, S}},
    {AUTH_SESSION_SELF, "session.self", {S, S, S, S, S}},
    {AUTH_REFERENCE_READ, "reference.read", {A, A, A, A, A}},
    {AUTH_CAMPAIGN_READ, "campaign.read", {A, A, A, A, A}},
    {AUTH_CAMPAIGN_READ_DRAFT, "campaign.read_draft", {A, D, D, D, A}},
    {AUTH_CAMPAIGN_MANAGE, "campaign.manage", {A, D, D, D, D}},
    {AUTH_UNIT_RECORD_READ, "unit_record.read", {A, D, D, U, A}},
    {AUTH_UNIT_RECORD_MANAGE, "unit_record.manage", {A, D, D, D, D}},
    /* Experts reach only what they are assigned; reviewers get the review view. */
    {AUTH_APPLICATION_LIST, "application.list", {A, A, X, U, A}},
    {AUTH_APPLICATION_READ, "application.read", {A, D, X, U, A}},
    {AUTH_APPLICATION_READ_SECURITY, "application.read_security", {A, A, D, D, A}},
    {AUTH_APPLICATION_WRITE, "application.write", {D, D, D, U, D}},
    {AUTH_APPLICATION_MANAGE, "application.manage", {A, D, D, D, D}},
    {AUTH_SECURITY_REVIEW, "security_review.decide", {D, A, D, D, D}},
    {AUTH_PANEL_MANAGE, "panel.manage", {A, D, D, D, D}},
    {AUTH_PANEL_READ, "panel.read", {A, D, X, D, A}},
    {AUTH_SCORE_WRITE, "score.write", {D, D, X, D, D}},
    {AUTH_SCORE_READ_OWN, "score.read_own", {A, D, S, D, A}},
    /* Other experts' scores: only once the panel has closed. */
    {AUTH_SCORE_READ_ALL, "score.read_all", {A, D, C, D, A}},
    {AUTH_RANKING_READ, "ranking.read", {A, D, D, D, A}},
    {AUTH_OBJECTION_MANAGE, "objection.manage", {A, D, D, D, D}},
    {AUTH_OBJECTION_READ, "objection.read", {A, D, D, D, A}},
    {AUTH_CERT_READ, "certificate.read", {A, D, D, U, A}},
    {AUTH_CERT_MANAGE, "certificate.manage", {A, D, D, D, D}},
    {AUTH_CHANGE_REPORT, "change_report.create", {A, D, D, U, D}},
    {AUTH_REQUAL_READ, "requalification.read", {A, D, D, U, A}},
    {AUTH_REQUAL_DECIDE, "requalification.decide", {A, D, D, D, D}},
    {AUTH_INCIDENT_LIST, "incident.list", {A, D, D, U, A}},
    {AUTH_INCIDENT_READ, "incident.read", {A, D, D, U, A}},
    {AUTH_INCIDENT_REPORT, "incident.report", {A, D, D, U, D}},
    {AUTH_INCIDENT_MANAGE, "incident.manage", {A, D, D, D, D}},
    {AUTH_EVIDENCE_ADD, "evidence.add", {A, D, D, U, D}},
    {AUTH_DISPATCH_MANAGE, "dispatch.manage", {A, D, D, D, D}},
    {AUTH_DISPATCH_READ, "dispatch.read", {A, D, D, U, A}},
    {AUTH_DISPATCH_RESPOND, "dispatch.respond", {D, D, D, U, D}},
    {AUTH_REPORT_MANAGE, "upward_report.manage", {A, D, D, D, D}},
    {AUTH_REPORT_READ, "upward_report.read", {A, D, D, D, A}},
    {AUTH_INCIDENT_REFERENCE_MANAGE, "incident_reference.manage", {A, D, D, D, D}},
    {AUTH_WORKLOG_WRITE, "worklog.write", {D, D, D, U, D}},
    {AUTH_WORKLOG_READ, "worklog.read", {A, D, D, U, A}},
    {AUTH_OBLIGATIONS_READ, "obligations.read", {A, D, D, U, A}},
    {AUTH_DRILL_MANAGE, "drill.manage", {A, D, D, D, D}},
    {AUTH_DRILL_READ, "drill.read", {A, D, D, U, A}},
    {AUTH_DRILL_ACK, "drill.ack", {D, D, D, U, D}},
    {AUTH_NOTIFY_MANAGE, "notify.manage", {A, D, D, D, D}},
    {AUTH_OUTBOX_READ, "outbox.read", {A, D, D, D, A}},
    {AUTH_NOTIFICATION_SELF, "notification.self", {S, S, S, S, S}},
    /* Units write and read their own threat reports and warnings; every unit reads
     * the bulletins; the authority reviews; auditors read. */
    {AUTH_THREAT_READ, "threat.read", {A, D, D, U, A}},
    {AUTH_THREAT_WRITE, "threat.write", {A, D, D, U, D}},
    {AUTH_THREAT_REVIEW, "threat.review", {A, D, D, D, D}},
    {AUTH_THREAT_STATS, "threat.stats", {A, D, D, U, A}},
    {AUTH_WARNING_READ, "warning.read", {A, D, D, U, A}},
    {AUTH_WARNING_WRITE, "warning.write", {A, D, D, U, D}},
    {AUTH_WARNING_REVIEW, "warning.review", {A, D, D, D, D}},
    {AUTH_BULLETIN_READ, "bulletin.read", {A, D, D, A, A}},
    /* The indicator store: the authority imports and edits, auditors read, units read
     * and look up (narrowed by TLP in the handler). */
    {AUTH_INDICATOR_READ, "indicator.read", {A, D, D, A, A}},
    {AUTH_INDICATOR_LOOKUP, "indicator.lookup", {A, D, D, A, A}},
    {AUTH_INDICATOR_IMPORT, "indicator.import", {A, D, D, D, D}},
    {AUTH_INDICATOR_WRITE, "indicator.write", {A, D, D, D, D}},
    {AUTH_WARNINGLIST_READ, "warninglist.read", {A, D, D, D, A}},
    {AUTH_WARNINGLIST_MANAGE, "warninglist.manage", {A, D, D, D, D}},
    /* The constituency: the authority keeps it, auditors read it. */
    {AUTH_CONSTITUENCY_READ, "constituency.read", {A, D, D, D, A}},
    {AUTH_CONSTITUENCY_MANAGE, "constituency.manage", {A, D, D, D, D}},
    {AUTH_DISPOSAL_READ, "disposal.read", {A, D, D, U, A}},
    {AUTH_DISPOSAL_WRITE, "disposal.write", {A, D, D, D, D}},
    /* Feeds: the authority keeps and runs them, auditors read them. */
    {AUTH_FEED_READ, "feed.read", {A, D, D, D, A}},
    {AUTH_FEED_WRITE, "feed.write", {A, D, D, D, D}},
};

#undef D
#undef A
#undef U
#undef S
#undef X
#undef C

static const char *scope_name(enum auth_scope s)
{
    switch (s) {
    case AUTH_DENY:
        return "deny";
    case AUTH_ALL:
        return "all";
    case AUTH_OWN_UNIT:
        return "own_unit";
    case AUTH_SELF:
        return "self";
    case AUTH_ASSIGNED:
        return "assigned";
    case AUTH_ASSIGNED_CLOSED:
        return "assigned_closed";
    }
    return "?";
}

static void test_policy_table(void **state)
{
    (void)state;
    /* Every action is in the expected table exactly once. */
    assert_int_equal(YJ_ARRAY_LEN(expected), AUTH_ACTION__COUNT);
    bool seen[AUTH_ACTION__COUNT] = {false};
    for (size_t i = 0; i < YJ_ARRAY_LEN(expected); i++) {
        assert_false(seen[expected[i].action]);
        seen[expected[i].action] = true;
    }
    int checked = 0;
    for (size_t i = 0; i < YJ_ARRAY_LEN(expected); i++) {
        enum auth_action act = expected[i].action;
        assert_string_equal(auth_action_name(act), expected[i].name);
        for (int r = 0; r < AUTH_ROLE__COUNT; r++) {
            enum auth_scope got = auth_policy_scope((enum auth_role)r, act);
            if (got != expected[i].scope[r])
                fail_msg("%s for %s: got %s, want %s", expected[i].name,
                         auth_role_code((enum auth_role)r), scope_name(got),
                         scope_name(expected[i].scope[r]));
            checked++;
        }
    }
    assert_int_equal(checked, AUTH_ROLE__COUNT * AUTH_ACTION__COUNT);
    /* Action names are distinct. */
    for (int i = 0; i < AUTH_ACTION__COUNT; i++)
        for (int j = i + 1; j < AUTH_ACTION__COUNT; j++)
            assert_string_not_equal(auth_action_name((enum auth_action)i),
                                    auth_action_name((enum auth_action)j));
}

static void test_policy_out_of_range(void **state)
{
    (void)state;
    assert_int_equal(auth_policy_scope(AUTH_ROLE__COUNT, AUTH_UNIT_READ), AUTH_DENY);
    assert_int_equal(auth_policy_scope((enum auth_role) - 1, AUTH_UNIT_READ), AUTH_DENY);
    assert_int_equal(auth_policy_scope(AUTH_ROLE_AUTHORITY, AUTH_ACTION__COUNT), AUTH_DENY);
    assert_int_equal(auth_policy_scope(AUTH_ROLE_AUTHORITY, (enum auth_action) - 1), AUTH_DENY);
    assert_string_equal(auth_action_name(AUTH_ACTION__COUNT), "unknown");
    assert_string_equal(auth_action_name((enum auth_action) - 1), "unknown");
    /* A subject with a corrupt role is denied everything. */
    struct auth_subject who = {.user_id = 1, .role = AUTH_ROLE__COUNT};
    struct yj_error e;
    assert_int_equal(auth_policy_check(&who, AUTH_REFERENCE_READ, NULL, &e), YJ_EPERM);
}

/* ---- the decision ---- */

static enum yj_err check(const struct auth_subject *who, enum auth_action a,
                         const struct auth_object *obj, struct yj_error *e)
{
    yj_error_clear(e);
    enum yj_err rc = auth_policy_check(who, a, obj, e);
    assert_int_equal(e->code, rc);
    if (rc)
        assert_true(e->msg[0] != '\0');
    return rc;
}

static void test_check_not_logged_in(void **state)
{
    (void)state;
    struct yj_error e;
    struct auth_object obj = {.unit_id = 1, .owner_user_id = 1};
    for (int a = 0; a < AUTH_ACTION__COUNT; a++) {
        assert_int_equal(check(NULL, (enum auth_action)a, NULL, &e), YJ_EAUTH);
        assert_int_equal(check(NULL, (enum auth_action)a, &obj, &e), YJ_EAUTH);
    }
}

/* Every pair through auth_policy_check with an object in scope and one outside it. */
static void test_check_every_pair(void **state)
{
    (void)state;
    struct yj_error e;
    for (size_t i = 0; i < YJ_ARRAY_LEN(expected); i++)
        for (int r = 0; r < AUTH_ROLE__COUNT; r++) {
            struct auth_subject who = {
                .user_id = 10, .role = (enum auth_role)r, .unit_id = r == AUTH_ROLE_UNIT ? 5 : 0};
            struct auth_object mine = {
                .unit_id = 5, .owner_user_id = 10, .assigned = true, .panel_closed = true};
            struct auth_object theirs = {.unit_id = 6, .owner_user_id = 11};
            enum auth_action a = expected[i].action;
            enum yj_err in_scope = YJ_OK, out_of_scope = YJ_OK, general = YJ_OK;
            switch (expected[i].scope[r]) {
            case AUTH_DENY:
                in_scope = out_of_scope = general = YJ_EPERM;
                break;
            case AUTH_ALL:
                break;
            case AUTH_OWN_UNIT:
            case AUTH_SELF:
            case AUTH_ASSIGNED:
            case AUTH_ASSIGNED_CLOSED:
                out_of_scope = YJ_ENOTFOUND;
                break;
            }
            if (check(&who, a, NULL, &e) != general || check(&who, a, &mine, &e) != in_scope ||
                check(&who, a, &theirs, &e) != out_of_scope)
                fail_msg("%s for %s", expected[i].name, auth_role_code((enum auth_role)r));
        }
}

/* An expert's reach: assigned and not conflicted; other experts' scores sealed
 * (403, not 404: the expert knows the application) until the panel closes. */
static void test_check_assigned(void **state)
{
    (void)state;
    struct yj_error e;
    struct auth_subject expert = {.user_id = 3, .role = AUTH_ROLE_EXPERT};
    struct auth_object assigned = {.assigned = true};
    struct auth_object conflicted = {.assigned = true, .conflicted = true};
    struct auth_object closed = {.assigned = true, .panel_closed = true};
    struct auth_object closed_conflicted = {
        .assigned = true, .conflicted = true, .panel_closed = true};
    struct auth_object other = {.panel_closed = true};
    assert_int_equal(check(&expert, AUTH_APPLICATION_READ, &assigned, &e), YJ_OK);
    assert_int_equal(check(&expert, AUTH_APPLICATION_READ, &conflicted, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&expert, AUTH_APPLICATION_READ, &other, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&expert, AUTH_SCORE_WRITE, &conflicted, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&expert, AUTH_SCORE_READ_ALL, &assigned, &e), YJ_EPERM);
    assert_int_equal(check(&expert, AUTH_SCORE_READ_ALL, &closed, &e), YJ_OK);
    assert_int_equal(check(&expert, AUTH_SCORE_READ_ALL, &closed_conflicted, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&expert, AUTH_SCORE_READ_ALL, &other, &e), YJ_ENOTFOUND);
    /* The authority is not limited by assignment. */
    struct auth_subject authority = {.user_id = 1, .role = AUTH_ROLE_AUTHORITY};
    assert_int_equal(check(&authority, AUTH_SCORE_READ_ALL, &assigned, &e), YJ_OK);
}

static void test_check_deny(void **state)
{
    (void)state;
    struct yj_error e;
    struct auth_subject expert = {.user_id = 3, .role = AUTH_ROLE_EXPERT};
    assert_int_equal(check(&expert, AUTH_UNIT_CREATE, NULL, &e), YJ_EPERM);
    assert_string_equal(e.field, "");
    assert_int_equal(yj_err_http_status(e.code), 403);
    /* An object the caller "owns" does not turn a deny into an allow. */
    struct auth_object own = {.unit_id = 0, .owner_user_id = 3};
    assert_int_equal(check(&expert, AUTH_UNIT_READ_PERSONAL, &own, &e), YJ_EPERM);
    struct auth_subject unit = {.user_id = 4, .role = AUTH_ROLE_UNIT, .unit_id = 9};
    struct auth_object own_unit = {.unit_id = 9};
    assert_int_equal(check(&unit, AUTH_UNIT_DELETE, &own_unit, &e), YJ_EPERM);
    assert_int_equal(check(&unit, AUTH_AUDIT_READ, NULL, &e), YJ_EPERM);
}

static void test_check_own_unit(void **state)
{
    (void)state;
    struct yj_error e;
    struct auth_subject who = {.user_id = 4, .role = AUTH_ROLE_UNIT, .unit_id = 9};
    struct auth_object same = {.unit_id = 9};
    struct auth_object other = {.unit_id = 8};
    struct auth_object none = {.unit_id = 0};
    assert_int_equal(check(&who, AUTH_UNIT_UPDATE, &same, &e), YJ_OK);
    assert_int_equal(check(&who, AUTH_UNIT_UPDATE, &other, &e), YJ_ENOTFOUND);
    assert_int_equal(yj_err_http_status(e.code), 404); /* existence not revealed */
    assert_int_equal(check(&who, AUTH_UNIT_READ, &none, &e), YJ_ENOTFOUND);
    /* No object: "may this role do it at all" (a list then narrows its query). */
    assert_int_equal(check(&who, AUTH_UNIT_LIST, NULL, &e), YJ_OK);
    assert_int_equal(check(&who, AUTH_UNIT_READ_PERSONAL, NULL, &e), YJ_OK);
    /* A unit user without a unit reaches nothing, not even with no object. */
    struct auth_subject orphan = {.user_id = 5, .role = AUTH_ROLE_UNIT, .unit_id = 0};
    assert_int_equal(check(&orphan, AUTH_UNIT_LIST, NULL, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&orphan, AUTH_UNIT_READ, &none, &e), YJ_ENOTFOUND);
    struct auth_subject negative = {.user_id = 5, .role = AUTH_ROLE_UNIT, .unit_id = -1};
    struct auth_object neg_obj = {.unit_id = -1};
    assert_int_equal(check(&negative, AUTH_UNIT_READ, &neg_obj, &e), YJ_ENOTFOUND);
    /* Everything else of theirs is still reachable. */
    assert_int_equal(check(&who, AUTH_REFERENCE_READ, &other, &e), YJ_OK);
}

static void test_check_self(void **state)
{
    (void)state;
    struct yj_error e;
    struct auth_subject who = {.user_id = 21, .role = AUTH_ROLE_EXPERT};
    struct auth_object mine = {.owner_user_id = 21};
    struct auth_object theirs = {.owner_user_id = 22};
    assert_int_equal(check(&who, AUTH_TOKEN_REVOKE, &mine, &e), YJ_OK);
    assert_int_equal(check(&who, AUTH_TOKEN_REVOKE, &theirs, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&who, AUTH_TOKEN_LIST, NULL, &e), YJ_OK);
    assert_int_equal(check(&who, AUTH_SESSION_SELF, &mine, &e), YJ_OK);
    assert_int_equal(check(&who, AUTH_SESSION_SELF, &theirs, &e), YJ_ENOTFOUND);
    /* The authority creates tokens only for itself, but revokes anyone's. */
    struct auth_subject boss = {.user_id = 1, .role = AUTH_ROLE_AUTHORITY};
    assert_int_equal(check(&boss, AUTH_TOKEN_CREATE, &theirs, &e), YJ_ENOTFOUND);
    assert_int_equal(check(&boss, AUTH_TOKEN_REVOKE, &theirs, &e), YJ_OK);
    /* The auditor lists anyone's tokens but revokes only its own. */
    struct auth_subject auditor = {.user_id = 2, .role = AUTH_ROLE_AUDITOR};
    assert_int_equal(check(&auditor, AUTH_TOKEN_LIST, &theirs, &e), YJ_OK);
    assert_int_equal(check(&auditor, AUTH_TOKEN_REVOKE, &theirs, &e), YJ_ENOTFOUND);
    struct auth_object auditors = {.owner_user_id = 2};
    assert_int_equal(check(&auditor, AUTH_TOKEN_REVOKE, &auditors, &e), YJ_OK);
}

static void test_check_null_err(void **state)
{
    (void)state;
    /* err may be NULL: the code alone is returned. */
    struct auth_subject who = {.user_id = 1, .role = AUTH_ROLE_AUDITOR};
    assert_int_equal(auth_policy_check(&who, AUTH_UNIT_CREATE, NULL, NULL), YJ_EPERM);
    assert_int_equal(auth_policy_check(NULL, AUTH_UNIT_READ, NULL, NULL), YJ_EAUTH);
    assert_int_equal(auth_policy_check(&who, AUTH_UNIT_READ, NULL, NULL), YJ_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_round_trip),     cmocka_unit_test(test_policy_table),
        cmocka_unit_test(test_policy_out_of_range), cmocka_unit_test(test_check_not_logged_in),
        cmocka_unit_test(test_check_every_pair),    cmocka_unit_test(test_check_deny),
        cmocka_unit_test(test_check_own_unit),      cmocka_unit_test(test_check_self),
        cmocka_unit_test(test_check_null_err),      cmocka_unit_test(test_check_assigned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
