/*
 * test_selection_scenario.c - the selection (遴选) end to end through a real server,
 * modelled on seed 000: 六盘水市委网信办 and 市公安局 call for the second term of
 * their cybersecurity emergency technical support units (deadline 2026-01-09
 * 17:00, title 六盘水市网络安全应急技术支撑单位, valid 2 years). This file plays
 * the story up to the ranking with every applicant's state asserted at each
 * stage; test_selection_outcome.c plays the same cast on from the ranking to
 * publication and closing. The cast is in test_selection_common.h.
 *
 * One cmocka test per chapter, sharing one server and one injected clock that only
 * moves forward (no sleeps; a session would end after 12 hours of injected time,
 * so every user works with an API token after a single login):
 *
 *  1. The first term (2023-12 .. 2024-01) is selected and published through the
 *     API; in 2024 one certificate is revoked for using the authorities' name for
 *     business (misuse_of_name), which bans that unit for three years; in 2025 two
 *     units are graded excellent and unqualified.
 *  2. The second call: draft (invisible to units), open; eleven units start
 *     applications prefilled from their registry profiles, autosave the template
 *     with If-Match (an 800-character case, a 1000-character plan), attach real
 *     files and submit; one second before and exactly at the deadline are
 *     accepted, one second after refused. Each frozen version's SHA-256 is
 *     recomputed from its content; each pre-check is asserted criterion by
 *     criterion (which failed, its reason and evidence).
 *  3. Review: paper copies; the background review through its restricted view
 *     (its exact keys), passing all but one.
 *  4. Five experts: access while sealed (404 unassigned, 403 others' scores), a
 *     conflict declared, score sheets chosen so that dropping the extremes and a
 *     tie broken by technical capability decide; the exact ranking.
 *  5. The first term's certificates in public (expired by itself, revoked); every
 *     change in the audit trail; the chain verified intact.
 */
#include "test_selection_common.h"

static struct hx_server *srv;
static struct hx_client *admin, *reviewer, *auditor, *anon, *experts[SX_E], *unit_user[U__N];
static int64_t expert_id[SX_E], unit_id[U__N];
static int64_t c1, c2;                /* the first and the second term's campaigns */
static int64_t app1[U__N], app[U__N]; /* their applications */
static int64_t panel2;                /* the second term's panel */
static char sha_frozen[U__N][65];     /* each application's frozen SHA-256 */
static int64_t cert_first[3]; /* the first term's certificates (BANNED, EXCELLENT, UNQUAL) */

static struct sx_expect ex[U__N]; /* what the authority should see of each */

/* --- setup ------------------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    /* Before anyone logs in: the story starts in November 2023. */
    hx_clock_set(srv, sx_t("2023-11-20T09:00:00+08:00"));
    admin = hx_login_admin(srv);
    sx_tokenize(admin);
    reviewer =
        sx_user(admin, "security_reviewer", 0, "police_li", "李明（市公安局网安支队）", NULL);
    auditor = sx_user(admin, "auditor", 0, "auditor_wu", "吴审计", NULL);
    for (int e = 0; e < SX_E; e++)
        experts[e] = sx_user(admin, "expert", 0, hx_fmt("expert_%d", e + 1), sx_expert_names[e],
                             &expert_id[e]);
    for (int u = 0; u < U__N; u++) {
        unit_id[u] = hx_unit_create(admin, sx_unit_doc(&sx_cast[u], (unsigned)u + 1));
        unit_user[u] = sx_user(admin, "unit", unit_id[u], hx_fmt("unit_%d", u + 1),
                               hx_fmt("%s接口人", sx_cast[u].legal_rep), NULL);
    }
    anon = hx_client_new(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_client_free(reviewer);
    hx_client_free(auditor);
    hx_client_free(anon);
    for (int e = 0; e < SX_E; e++)
        hx_client_free(experts[e]);
    for (int u = 0; u < U__N; u++)
        hx_client_free(unit_user[u]);
    hx_server_free(srv);
    return 0;
}

/* --- helpers ------------------------------------------------------------------------------ */

static int64_t apply(int u, int64_t cid, int finance_end)
{
    return sx_apply(unit_user[u], unit_id[u], &sx_cast[u], cid, finance_end);
}

static struct hx_resp *submit(int u, int64_t id)
{
    return sx_submit(unit_user[u], id);
}

/* Expert e's sheet for panel row p. */
static struct hx_resp *score(int e, int p, bool final)
{
    return sx_score(experts[e], app[sx_panel_units[p]], sx_sheets[p][e], final);
}

static int64_t sheet_total(int p, int e)
{
    return sx_total(sx_sheets[p][e]);
}

static void expect_all(const char *when)
{
    sx_expect_list(admin, c2, U__N, app, sx_cast, ex, when);
}

/* The pipeline board agrees with the application list, count by count. */
static void expect_pipeline(int64_t campaign, const char *when)
{
    const json_t *pl = sx_get_ok(auditor, sx_campaign_path(campaign, "/pipeline"));
    json_t *all =
        hx_list_all(admin, hx_fmt("/api/v1/campaigns/%lld/applications", (long long)campaign), 200);
    int64_t total = 0, sub = 0, eligible = 0, ineligible = 0, direct = 0, sec_pass = 0,
            sec_fail = 0, sec_pending = 0, selected = 0, pending = 0;
    size_t i;
    json_t *a;
    json_array_foreach (all, i, a) {
        total++;
        pending += strcmp(sx_str(a, "outcome"), "pending") == 0;
        selected += strcmp(sx_str(a, "outcome"), "selected") == 0;
        if (strcmp(sx_str(a, "status"), "submitted") != 0)
            continue;
        sub++;
        const char *el = sx_str(a, "eligibility"), *sec = sx_str(a, "security_result");
        eligible += strcmp(el, "eligible") == 0;
        ineligible += strcmp(el, "ineligible") == 0;
        direct += strcmp(el, "eligible") == 0 && json_is_true(json_object_get(a, "direct_entry"));
        sec_pass += strcmp(sec, "pass") == 0;
        sec_fail += strcmp(sec, "fail") == 0;
        sec_pending += strcmp(sec, "pending") == 0;
    }
    json_decref(all);
    const struct {
        const char *group, *key;
        int64_t want;
    } want[] = {{"applications", "total", total},        {"applications", "submitted", sub},
                {"eligibility", "eligible", eligible},   {"eligibility", "ineligible", ineligible},
                {"eligibility", "direct_entry", direct}, {"security", "pass", sec_pass},
                {"security", "fail", sec_fail},          {"security", "pending", sec_pending},
                {"outcome", "pending", pending},         {"outcome", "selected", selected}};
    for (size_t k = 0; k < YJ_ARRAY_LEN(want); k++) {
        int64_t got = sx_int(json_object_get(pl, want[k].group), want[k].key);
        if (got != want[k].want)
            fail_msg("%s: pipeline %s.%s is %lld, the list says %lld", when, want[k].group,
                     want[k].key, (long long)got, (long long)want[k].want);
    }
    const char *stage = sx_str(pl, "stage");
    assert_string_equal(stage, sx_str(sx_get_ok(admin, sx_campaign_path(campaign, "")), "stage"));
}

/* --- 1. the first term, a revocation with its ban, the grades ---------------------------- */

static void first_term(void **state)
{
    (void)state;
    static const int applicants[] = {U_BANNED, U_EXCELLENT, U_UNQUAL};
    hx_clock_set(srv, sx_t("2023-12-01T09:00:00+08:00"));
    struct hx_resp *r = hx_post(admin, "/api/v1/campaigns",
                                sx_campaign_doc("第一届六盘水市网络安全应急技术支撑队伍遴选", 1,
                                                "2023-12-29T17:00:00+08:00", 3));
    HX_EXPECT(r, 201);
    c1 = hx_json_int(r, "id");
    sx_stage_ok(admin, c1, "open");

    hx_clock_set(srv, sx_t("2023-12-11T10:00:00+08:00"));
    for (size_t i = 0; i < YJ_ARRAY_LEN(applicants); i++) {
        int u = applicants[i];
        app1[u] = apply(u, c1, 2022);
        r = submit(u, app1[u]);
        HX_EXPECT(r, 200);
        sx_expect_frozen(unit_user[u], r->json, srv->now_ms);
        sx_expect_checks(r->json, NULL, NULL, NULL, sx_cast[u].name);
        assert_string_equal(sx_str(sx_check(r->json, "last_grade"), "reason"), "无上届考评记录");
    }

    hx_clock_set(srv, sx_t("2024-01-02T09:00:00+08:00"));
    sx_stage_ok(admin, c1, "review");
    json_t *ids = json_array();
    for (size_t i = 0; i < YJ_ARRAY_LEN(applicants); i++) {
        int u = applicants[i];
        r = hx_post(reviewer, sx_app_path(app1[u], "/security-review"),
                    json_pack("{s:s,s:s}", "result", "pass", "notes", "无不良记录"));
        HX_EXPECT(r, 200);
        json_array_append_new(ids, json_integer(app1[u]));
    }
    r = hx_post(admin, sx_campaign_path(c1, "/panels"),
                json_pack("{s:s,s:[I],s:o}", "name", "第一届专家评审组", "experts",
                          (json_int_t)expert_id[0], "applications", ids));
    HX_EXPECT(r, 201);
    int64_t panel1 = hx_json_int(r, "id");
    for (size_t i = 0; i < YJ_ARRAY_LEN(applicants); i++) {
        int64_t base = 15 + (int64_t)i;
        r = hx_send(experts[0], "PUT", sx_app_path(app1[applicants[i]], "/scores/mine"),
                    json_pack("{s:[{s:s,s:I},{s:s,s:I},{s:s,s:I},{s:s,s:I},{s:s,s:I}],s:b}",
                              "scores", "criterion", "basic", "points", (json_int_t)base,
                              "criterion", "staffing", "points", (json_int_t)base, "criterion",
                              "systems", "points", (json_int_t)base, "criterion",
                              "technical_capability", "points", (json_int_t)(base + 8), "criterion",
                              "past_support", "points", (json_int_t)5, "submit", 1),
                    NULL);
        HX_EXPECT(r, 200);
    }
    HX_EXPECT(hx_post(admin, hx_fmt("/api/v1/panels/%lld/close", (long long)panel1), NULL), 200);
    r = hx_post(admin, sx_campaign_path(c1, "/proposal"), NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "proposed")), 3);
    r = hx_send(admin, "PATCH", sx_campaign_path(c1, ""),
                json_pack("{s:s,s:s}", "notice_starts_at", "2024-01-10T09:00:00+08:00",
                          "notice_ends_at", "2024-01-19T17:00:00+08:00"),
                sx_etag_of(admin, sx_campaign_path(c1, "")));
    HX_EXPECT(r, 200);
    hx_clock_set(srv, sx_t("2024-01-10T09:00:00+08:00"));
    sx_stage_ok(admin, c1, "notice");
    hx_clock_set(srv, sx_t("2024-01-22T10:00:00+08:00"));
    sx_stage_ok(admin, c1, "published");
    json_t *certs =
        hx_list_all(admin, hx_fmt("/api/v1/certificates?campaign_id=%lld", (long long)c1), 50);
    assert_int_equal(json_array_size(certs), 3);
    for (size_t i = 0; i < 3; i++) {
        const json_t *cert = sx_find(certs, "application_id", app1[applicants[i]]);
        assert_non_null(cert);
        cert_first[i] = sx_int(cert, "id");
        assert_string_equal(sx_str(cert, "number"), hx_fmt("LPS-YJ-2024-%03zu", i + 1));
        assert_string_equal(sx_str(cert, "valid_from"), "2024-01-22");
        assert_string_equal(sx_str(cert, "valid_to"), "2026-01-21");
    }
    json_decref(certs);
    sx_stage_ok(admin, c1, "closed");

    /* 2024-09-10: 黔安 used the authorities' name to win business (seed 000 (五)). */
    hx_clock_set(srv, sx_t("2024-09-10T10:00:00+08:00"));
    const char *cert_path = hx_fmt("/api/v1/certificates/%lld", (long long)cert_first[0]);
    r = hx_send(admin, "POST", hx_fmt("%s/status", cert_path),
                json_pack("{s:s,s:s,s:s}", "status", "revoked", "cause", "misuse_of_name", "reason",
                          "借用市委网信办名义承揽商业渗透测试项目"),
                sx_etag_of(admin, cert_path));
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "status"), "revoked");
    const json_t *ban = json_object_get(r->json, "ban");
    assert_string_equal(sx_str(ban, "cause"), "misuse_of_name");
    assert_string_equal(sx_str(ban, "starts_on"), "2024-09-10");
    assert_string_equal(sx_str(ban, "ends_on"), "2027-09-10");
    json_t *rec = sx_get_ok(unit_user[U_BANNED],
                            hx_fmt("/api/v1/units/%lld/record", (long long)unit_id[U_BANNED]));
    assert_int_equal(json_array_size(json_object_get(rec, "bans")), 1);
    assert_int_equal(sx_int(json_array_get(json_object_get(rec, "bans"), 0), "certificate_id"),
                     cert_first[0]);

    /* December 2025: the first term's evaluation (seed 000 管理 (三)). */
    hx_clock_set(srv, sx_t("2025-12-05T10:00:00+08:00"));
    static const struct {
        int u;
        const char *grade, *note;
    } grades[] = {{U_EXCELLENT, "excellent", "全年应急响应 14 次，重保期间表现突出"},
                  {U_UNQUAL, "unqualified", "两次应急调度未在 2 小时内到场"}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(grades); i++) {
        r = hx_post(admin, hx_fmt("/api/v1/units/%lld/grades", (long long)unit_id[grades[i].u]),
                    json_pack("{s:s,s:s,s:s,s:s}", "period", "第一届", "grade", grades[i].grade,
                              "graded_on", "2025-12-05", "note", grades[i].note));
        HX_EXPECT(r, 201);
        assert_string_equal(sx_str(r->json, "grade"), grades[i].grade);
    }
    /* Only the authority grades. */
    r = hx_post(auditor, hx_fmt("/api/v1/units/%lld/grades", (long long)unit_id[U_A]),
                json_pack("{s:s,s:s,s:s}", "period", "第一届", "grade", "excellent", "graded_on",
                          "2025-12-05"));
    HX_EXPECT(r, 403);
}

/* --- 2. the second call: applications, the deadline, the pre-check ---------------------- */

/* The applicants the pre-check must stop, with the reason and evidence it must give. */
static const struct {
    int u;
    const char *code, *reason, *evidence;
} refusals[] = {
    {U_CAPITAL, "registered_capital", "注册资本 1,999,999 元，低于 2,000,000 元",
     "registered_capital=1999999"},
    {U_STAFF9, "certified_staff", "省内持有认证资质的技术人员 9 人，不足 10 人",
     "staff=14, in_province=11, certified_in_province=9"},
    {U_UNQUAL, "last_grade", "上届（第一届）考评结果为不合格，取消本届申报资格",
     "last_grade=unqualified, period=第一届"},
    {U_BANNED, "not_banned",
     "因借用主管部门名义开展商业活动被撤销资格，至 2027-09-10（含）不受理申请",
     "ban=misuse_of_name, until=2027-09-10"},
};

/* Submits u's application now, asserting 200, the frozen hash and the pre-check. */
static void submit_and_check(int u)
{
    struct hx_resp *r = submit(u, app[u]);
    HX_EXPECT(r, 200);
    const char *sha = sx_expect_frozen(unit_user[u], r->json, srv->now_ms);
    snprintf(sha_frozen[u], sizeof sha_frozen[u], "%s", sha);
    assert_string_equal(sx_str(r->json, "submitted_at"), sx_iso(srv->now_ms));
    const char *code = NULL, *reason = NULL, *evidence = NULL;
    for (size_t i = 0; i < YJ_ARRAY_LEN(refusals); i++)
        if (refusals[i].u == u) {
            code = refusals[i].code;
            reason = refusals[i].reason;
            evidence = refusals[i].evidence;
        }
    /* As the authority reads it. */
    json_t *d = sx_get_ok(admin, sx_app_path(app[u], ""));
    sx_expect_checks(d, code, reason, evidence, sx_cast[u].name);
    assert_string_equal(sx_str(d, "eligibility"), code ? "ineligible" : "eligible");
    assert_int_equal(json_is_true(json_object_get(d, "direct_entry")), u == U_EXCELLENT);
    ex[u] = (struct sx_expect){"submitted",
                               code ? "ineligible" : "eligible",
                               "pending",
                               "pending",
                               u == U_EXCELLENT,
                               -1,
                               0};
    /* Submitted is frozen. */
    r = hx_send(unit_user[u], "PATCH", sx_app_path(app[u], "/content"),
                json_pack("{s:s}", "other_work", "补充"),
                sx_etag_of(unit_user[u], sx_app_path(app[u], "")));
    HX_EXPECT_ERROR(r, 409, "conflict", "status");
}

static void second_call(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2025-12-19T16:41:00+08:00"));
    struct hx_resp *r =
        hx_post(admin, "/api/v1/campaigns",
                sx_campaign_doc("第二届六盘水市网络安全应急技术支撑队伍遴选", 2, SX_DEADLINE, 4));
    HX_EXPECT(r, 201);
    c2 = hx_json_int(r, "id");
    assert_string_equal(sx_str(r->json, "stage"), "draft");
    assert_string_equal(sx_str(r->json, "deadline_at"), "2026-01-09T09:00:00.000Z");
    assert_true(json_is_null(json_object_get(r->json, "opens_at")));
    const json_t *th = json_object_get(r->json, "thresholds");
    assert_int_equal(sx_int(th, "min_registered_capital"), 2000000);
    assert_int_equal(sx_int(th, "min_certified_staff"), 10);
    assert_int_equal(sx_int(th, "min_years_in_field"), 3);
    const json_t *crit = json_object_get(r->json, "criteria");
    assert_int_equal(json_array_size(crit), SX_K);
    for (int k = 0; k < SX_K; k++)
        assert_string_equal(sx_str(json_array_get(crit, (size_t)k), "code"), sx_criteria[k]);

    /* A draft is the authority's alone. */
    HX_EXPECT(hx_get(unit_user[U_A], sx_campaign_path(c2, "")), 404);
    HX_EXPECT(hx_post(unit_user[U_A], sx_campaign_path(c2, "/applications"), NULL), 404);
    hx_clock_set(srv, sx_t("2025-12-19T16:45:00+08:00"));
    r = sx_stage(admin, c2, "open");
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "opens_at"), sx_iso(srv->now_ms));
    assert_string_equal(sx_str(sx_get_ok(unit_user[U_A], sx_campaign_path(c2, "")), "stage"),
                        "open");

    /* The early ones, from D on 22 December to 黔安 on 31 December. */
    for (int u = U_D; u <= U_BANNED; u++) {
        hx_clock_set(srv, sx_t(sx_submit_at[u]));
        app[u] = apply(u, c2, 2024);
        if (u == U_D) {
            /* Once per campaign. */
            r = hx_post(unit_user[u], sx_campaign_path(c2, "/applications"), NULL);
            HX_EXPECT_ERROR(r, 409, "conflict", "campaign_id");
            /* The three risk-assessment reports are counted at submission. */
            json_t *files = sx_get_ok(unit_user[u], sx_app_path(app[u], "/attachments"));
            const json_t *last = json_array_get(json_object_get(files, "items"), 6);
            assert_string_equal(sx_str(last, "kind"), "risk_assessment_report");
            r = hx_request(unit_user[u], "DELETE",
                           hx_fmt("/api/v1/attachments/%lld", (long long)sx_int(last, "id")), NULL);
            HX_EXPECT(r, 204);
            r = submit(u, app[u]);
            HX_EXPECT_ERROR(r, 400, "invalid", "attachments.risk_assessment_report");
            assert_non_null(strstr(r->body, "attach 3 (2 attached)"));
            struct sx_file f = sx_fixture("sample.pdf");
            r = sx_upload(unit_user[u], app[u], "risk_assessment_report",
                          "能源企业风险评估报告.pdf", &f);
            free(f.data);
            HX_EXPECT(r, 201);
        }
        submit_and_check(u);
    }
    /* Passing reasons carry the numbers too. */
    json_t *d = sx_get_ok(admin, sx_app_path(app[U_A], ""));
    assert_string_equal(sx_str(sx_check(d, "registered_capital"), "reason"),
                        "注册资本 20,000,000 元，不低于 2,000,000 元");
    assert_string_equal(sx_str(sx_check(d, "certified_staff"), "reason"),
                        "省内持有认证资质的技术人员 15 人，不少于 10 人");
    assert_string_equal(sx_str(sx_check(d, "certified_staff"), "evidence"),
                        "staff=18, in_province=18, certified_in_province=15");

    /* Three more start early in January and submit at the last moment. */
    hx_clock_set(srv, sx_t("2026-01-05T10:00:00+08:00"));
    app[U_SECFAIL] = apply(U_SECFAIL, c2, 2024);
    app[U_EXCELLENT] = apply(U_EXCELLENT, c2, 2024);
    app[U_LATE] = apply(U_LATE, c2, 2024);
    int64_t deadline = sx_t(SX_DEADLINE);

    hx_clock_set(srv, sx_t(sx_submit_at[U_SECFAIL]));
    assert_int_equal(srv->now_ms, deadline - 1000);
    HX_EXPECT_ERROR(sx_stage(admin, c2, "review"), 409, "conflict", "to");
    submit_and_check(U_SECFAIL); /* one second before */
    d = sx_get_ok(admin, sx_app_path(app[U_SECFAIL], ""));
    assert_string_equal(sx_str(sx_check(d, "certified_staff"), "reason"),
                        "省内持有认证资质的技术人员 10 人，不少于 10 人");

    hx_clock_set(srv, sx_t(sx_submit_at[U_EXCELLENT]));
    assert_int_equal(srv->now_ms, deadline);
    submit_and_check(U_EXCELLENT); /* exactly at the deadline */
    d = sx_get_ok(admin, sx_app_path(app[U_EXCELLENT], ""));
    assert_string_equal(sx_str(sx_check(d, "last_grade"), "reason"),
                        "上届（第一届）考评结果为优秀");
    assert_string_equal(sx_str(sx_check(d, "last_grade"), "evidence"),
                        "last_grade=excellent, period=第一届");

    hx_clock_set(srv, sx_t(sx_submit_at[U_LATE]));
    assert_int_equal(srv->now_ms, deadline + 1000);
    r = submit(U_LATE, app[U_LATE]); /* one second after */
    HX_EXPECT_ERROR(r, 409, "conflict", "deadline_at");
    r = hx_send(unit_user[U_LATE], "PATCH", sx_app_path(app[U_LATE], "/content"),
                json_pack("{s:s}", "other_work", "迟交说明"),
                sx_etag_of(unit_user[U_LATE], sx_app_path(app[U_LATE], "")));
    HX_EXPECT_ERROR(r, 409, "conflict", "deadline_at");
    d = sx_get_ok(unit_user[U_LATE], sx_app_path(app[U_LATE], ""));
    assert_string_equal(sx_str(d, "status"), "draft");
    assert_true(json_is_null(json_object_get(d, "submitted_version")));
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(d, "versions"), 0), "sha256")));
    ex[U_LATE] = (struct sx_expect){"draft", "pending", "pending", "pending", false, -1, 0};
    expect_all("after the deadline");

    /* A unit reads its own verdict, but not the review's facts. */
    d = sx_get_ok(unit_user[U_CAPITAL], sx_app_path(app[U_CAPITAL], ""));
    assert_string_equal(sx_str(d, "eligibility"), "ineligible");
    assert_false(json_is_true(json_object_get(sx_check(d, "registered_capital"), "passed")));
    static const char *const hidden[] = {"security_result", "score",          "rank",
                                         "paper",           "security_notes", "outcome_reason"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(hidden); i++)
        if (json_object_get(d, hidden[i]))
            fail_msg("a unit sees its application's %s", hidden[i]);
}

/* --- 3. review: paper copies and the background review --------------------------------- */

static void background_review(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2026-01-12T09:00:00+08:00"));
    sx_stage_ok(admin, c2, "review");

    /* The paper copies arrive; their covers carry the SHA-256 of the electronic version. */
    for (int u = 0; u < U__N; u++)
        if (u != U_LATE)
            sx_paper(admin, app[u], true, hx_fmt("封面 SHA-256 %.12s… 与电子版一致", sha_frozen[u]),
                     srv->now_ms);
    /* A unit does not see the paper record. */
    assert_null(json_object_get(sx_get_ok(unit_user[U_A], sx_app_path(app[U_A], "")), "paper"));

    /* The background reviewer works on what was submitted, through its own view. */
    json_t *items = hx_list_all(reviewer, sx_campaign_path(c2, "/applications"), 100);
    assert_int_equal(json_array_size(items), U__N - 1);
    assert_null(sx_find(items, "id", app[U_LATE]));
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it) {
        assert_string_equal(sx_str(it, "security_result"), "pending");
        assert_null(json_object_get(it, "score"));
        assert_null(json_object_get(it, "rank"));
    }
    json_decref(items);
    HX_EXPECT(hx_get(reviewer, sx_app_path(app[U_A], "")), 403);
    HX_EXPECT(hx_get(reviewer, sx_app_path(app[U_A], "/versions/1")), 403);
    HX_EXPECT(hx_get(reviewer, sx_app_path(app[U_A], "/attachments")), 403);
    HX_EXPECT(hx_get(reviewer, sx_app_path(app[U_LATE], "/security-view")), 404);
    HX_EXPECT(hx_get(unit_user[U_A], sx_app_path(app[U_A], "/security-view")), 403);
    json_t *view = sx_get_ok(reviewer, sx_app_path(app[U_A], "/security-view"));
    static const char *const view_keys[] = {"application_id",
                                            "unit_id",
                                            "unit_name",
                                            "credit_code",
                                            "legal_representative",
                                            "registered_capital",
                                            "founded_on",
                                            "business_scope",
                                            "registration_authority",
                                            "province",
                                            "city",
                                            "address",
                                            "key_staff",
                                            "main_business",
                                            "qualifications",
                                            "security_result",
                                            "security_notes",
                                            "security_at",
                                            NULL};
    sx_keys(view, view_keys, "the security view");
    assert_string_equal(sx_str(view, "unit_name"), sx_cast[U_A].name);
    assert_string_equal(sx_str(view, "legal_representative"), sx_cast[U_A].legal_rep);
    const json_t *staff = json_object_get(view, "key_staff");
    assert_int_equal(json_array_size(staff), 18);
    static const char *const staff_keys[] = {"name", "department", "post", "certificates", NULL};
    json_array_foreach (staff, i, it)
        sx_keys(it, staff_keys, "a key staff member");
    assert_int_equal(json_array_size(json_object_get(view, "qualifications")), 2);

    /* No proposal while eligible applications await the review; only police decide it. */
    HX_EXPECT_ERROR(hx_post(admin, sx_campaign_path(c2, "/proposal"), NULL), 409, "conflict",
                    "security_result");
    HX_EXPECT(hx_post(admin, sx_app_path(app[U_A], "/security-review"),
                      json_pack("{s:s}", "result", "pass")),
              403);
    HX_EXPECT_ERROR(hx_post(reviewer, sx_app_path(app[U_SECFAIL], "/security-review"),
                            json_pack("{s:s}", "result", "fail")),
                    400, "invalid", "notes");
    const char *why = "法定代表人涉及在办刑事案件，主要技术人员背景核查未通过";
    for (int u = 0; u < U__N; u++) {
        if (u == U_LATE)
            continue;
        bool fail = u == U_SECFAIL;
        struct hx_resp *r =
            hx_post(reviewer, sx_app_path(app[u], "/security-review"),
                    fail ? json_pack("{s:s,s:s}", "result", "fail", "notes", why)
                         : json_pack("{s:s,s:s}", "result", "pass", "notes", "无不良记录"));
        HX_EXPECT(r, 200);
        assert_string_equal(sx_str(r->json, "security_result"), fail ? "fail" : "pass");
        ex[u].security = fail ? "fail" : "pass";
    }
    view = sx_get_ok(reviewer, sx_app_path(app[U_SECFAIL], "/security-view"));
    assert_string_equal(sx_str(view, "security_result"), "fail");
    assert_string_equal(sx_str(view, "security_notes"), why);
    assert_string_equal(sx_str(sx_get_ok(admin, sx_app_path(app[U_SECFAIL], "")), "security_notes"),
                        why);
    expect_all("after the background review");
    expect_pipeline(c2, "after the background review");
}

/* --- 4. the expert panel: access, a conflict, score sheets, the ranking ------------------ */

static void panel_and_ranking(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2026-01-15T09:00:00+08:00"));
    json_t *ids = json_array(), *eids = json_array();
    for (int p = 0; p < P__N; p++)
        json_array_append_new(ids, json_integer(app[sx_panel_units[p]]));
    for (int e = 0; e < SX_E; e++)
        json_array_append_new(eids, json_integer(expert_id[e]));
    /* Only submitted applications sit on a panel. */
    json_t *bad = json_deep_copy(ids);
    json_array_append_new(bad, json_integer(app[U_LATE]));
    struct hx_resp *r = hx_post(admin, sx_campaign_path(c2, "/panels"),
                                json_pack("{s:s,s:O,s:o}", "name", "第二届专家评审组", "experts",
                                          eids, "applications", bad));
    HX_EXPECT_ERROR(r, 400, "invalid", "applications[4]");
    r = hx_post(admin, sx_campaign_path(c2, "/panels"),
                json_pack("{s:s,s:o,s:o}", "name", "第二届专家评审组", "experts", eids,
                          "applications", ids));
    HX_EXPECT(r, 201);
    panel2 = hx_json_int(r, "id");
    assert_string_equal(sx_str(r->json, "status"), "open");

    /* An expert reaches the applications of their panel, without personal data. */
    json_t *mine = hx_list_all(experts[0], sx_campaign_path(c2, "/applications"), 100);
    assert_int_equal(json_array_size(mine), P__N);
    json_decref(mine);
    json_t *d = sx_get_ok(experts[0], sx_app_path(app[U_A], ""));
    size_t i;
    json_t *c;
    json_array_foreach (
        json_object_get(json_object_get(json_object_get(d, "content"), "profile"), "contacts"), i,
        c) {
        assert_null(json_object_get(c, "mobile"));
        assert_null(json_object_get(c, "office_phone"));
        assert_null(json_object_get(c, "email"));
    }
    assert_int_equal(json_array_size(json_object_get(d, "past_evaluations")), 0);
    /* A returning unit's past evaluations go before the experts, without the
     * authority's note on them. */
    HX_EXPECT(hx_post(admin, hx_fmt("/api/v1/units/%lld/grades", (long long)unit_id[U_A]),
                      json_pack("{s:s,s:s,s:s,s:s}", "period", "2024年度", "grade", "qualified",
                                "graded_on", "2026-01-10", "note", "按期完成年度工作")),
              201);
    d = sx_get_ok(experts[0], sx_app_path(app[U_A], ""));
    json_t *past = json_object_get(d, "past_evaluations");
    assert_int_equal(json_array_size(past), 1);
    assert_string_equal(sx_str(json_array_get(past, 0), "period"), "2024年度");
    assert_string_equal(sx_str(json_array_get(past, 0), "grade"), "qualified");
    assert_string_equal(sx_str(json_array_get(past, 0), "graded_on"), "2026-01-10");
    assert_null(json_object_get(json_array_get(past, 0), "note"));
    assert_int_equal(json_array_size(json_object_get(
                         sx_get_ok(experts[0], sx_app_path(app[U_A], "/attachments")), "items")),
                     7);
    /* ... but not the others: 404, as if they did not exist. */
    json_t *files = sx_get_ok(admin, sx_app_path(app[U_CAPITAL], "/attachments"));
    int64_t foreign = sx_int(json_array_get(json_object_get(files, "items"), 0), "id");
    HX_EXPECT_ERROR(hx_get(experts[0], sx_app_path(app[U_CAPITAL], "")), 404, "not_found", NULL);
    HX_EXPECT(hx_get(experts[0], sx_app_path(app[U_CAPITAL], "/attachments")), 404);
    HX_EXPECT(hx_get(experts[0], hx_fmt("/api/v1/attachments/%lld", (long long)foreign)), 404);
    HX_EXPECT(hx_get(experts[0], sx_app_path(app[U_CAPITAL], "/scores/mine")), 404);
    /* Other experts' scores are sealed until the panel closes. */
    HX_EXPECT_ERROR(hx_get(experts[0], sx_app_path(app[U_A], "/scores")), 403, "forbidden", NULL);
    const json_t *empty = sx_get_ok(experts[0], sx_app_path(app[U_A], "/scores/mine"));
    assert_int_equal(json_array_size(json_object_get(empty, "scores")), 0);
    assert_true(json_is_null(json_object_get(empty, "submitted_at")));

    /* Expert 5 starts on B, then declares a tie with it: the draft goes, and so does B. */
    r = hx_send(
        experts[SX_CONFLICT_EXPERT], "PUT", sx_app_path(app[U_B], "/scores/mine"),
        json_pack("{s:[{s:s,s:i}],s:b}", "scores", "criterion", "basic", "points", 15, "submit", 0),
        NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(sx_int(r->json, "total"), 15);
    r = hx_post(experts[SX_CONFLICT_EXPERT], sx_app_path(app[U_B], "/conflict"),
                json_pack("{s:b}", "conflicted", 1));
    HX_EXPECT_ERROR(r, 400, "invalid", "statement");
    r = hx_post(experts[SX_CONFLICT_EXPERT], sx_app_path(app[U_B], "/conflict"),
                json_pack("{s:b,s:s}", "conflicted", 1, "statement",
                          "本人 2023 年曾任该单位技术顾问，申请回避"));
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "conflicted")));
    HX_EXPECT(hx_get(experts[SX_CONFLICT_EXPERT], sx_app_path(app[U_B], "")), 404);
    HX_EXPECT(score(SX_CONFLICT_EXPERT, P_B, true), 404);
    mine = hx_list_all(experts[SX_CONFLICT_EXPERT], sx_campaign_path(c2, "/applications"), 100);
    assert_int_equal(json_array_size(mine), P__N - 1);
    assert_null(sx_find(mine, "id", app[U_B]));
    json_decref(mine);

    /* A sheet is submitted only complete. */
    r = hx_send(
        experts[0], "PUT", sx_app_path(app[U_A], "/scores/mine"),
        json_pack("{s:[{s:s,s:i}],s:b}", "scores", "criterion", "basic", "points", 18, "submit", 1),
        NULL);
    HX_EXPECT_ERROR(r, 400, "invalid", "scores");
    for (int p = 0; p < P__N; p++)
        for (int e = 0; e < SX_E; e++) {
            if ((p == P_B && e == SX_CONFLICT_EXPERT) || (p == P_D && e == SX_E - 1))
                continue;
            r = score(e, p, true);
            HX_EXPECT(r, 200);
            assert_int_equal(sx_int(r->json, "total"), sheet_total(p, e));
            assert_false(json_is_null(json_object_get(r->json, "submitted_at")));
        }
    HX_EXPECT_ERROR(score(0, P_A, true), 409, "conflict", "submit");
    /* One sheet missing: the panel cannot close, and nothing can be proposed unscored. */
    r = hx_post(admin, hx_fmt("/api/v1/panels/%lld/close", (long long)panel2), NULL);
    HX_EXPECT_ERROR(r, 409, "conflict", "status");
    assert_non_null(strstr(r->body, "1 score sheets"));
    HX_EXPECT_ERROR(hx_post(admin, sx_campaign_path(c2, "/proposal"), NULL), 409, "conflict",
                    "score");
    /* The authority may read the sealed sheets at any time. */
    json_t *all = sx_get_ok(admin, sx_app_path(app[U_D], "/scores"));
    assert_int_equal(json_array_size(json_object_get(all, "sheets")), SX_E - 1);
    assert_true(json_is_null(json_object_get(all, "score")));
    HX_EXPECT(score(SX_E - 1, P_D, true), 200);

    hx_clock_set(srv, sx_t("2026-01-16T17:30:00+08:00"));
    r = hx_post(admin, hx_fmt("/api/v1/panels/%lld/close", (long long)panel2), NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "status"), "closed");
    assert_string_equal(sx_str(r->json, "closed_at"), sx_iso(srv->now_ms));
    HX_EXPECT_ERROR(hx_post(experts[1], sx_app_path(app[U_A], "/conflict"),
                            json_pack("{s:b}", "conflicted", 0)),
                    409, "conflict", "status");

    /* Closed: an assigned expert reads every sheet; the conflicted one still nothing. */
    for (int p = 0; p < P__N; p++) {
        int reader = p == P_B ? 1 : SX_CONFLICT_EXPERT;
        all = sx_get_ok(experts[reader], sx_app_path(app[sx_panel_units[p]], "/scores"));
        assert_int_equal(sx_centi(json_object_get(all, "score")), sx_panel_scores[p]);
        const json_t *sh = json_object_get(all, "sheets");
        assert_int_equal(json_array_size(sh), sx_panel_counted[p]);
        for (int e = 0; e < SX_E; e++) {
            const json_t *s = sx_find(sh, "expert_id", expert_id[e]);
            if (p == P_B && e == SX_CONFLICT_EXPERT) {
                assert_null(s);
                continue;
            }
            assert_non_null(s);
            assert_int_equal(sx_int(s, "total"), sheet_total(p, e));
            assert_string_equal(sx_str(s, "expert_name"), sx_expert_names[e]);
        }
        ex[sx_panel_units[p]].score = sx_panel_scores[p];
    }
    HX_EXPECT(hx_get(experts[SX_CONFLICT_EXPERT], sx_app_path(app[U_B], "/scores")), 404);
    expect_all("after the panel closed");

    /* The ranking: 85.00, 83.50, then the tie at 80.00 broken by technical capability. */
    json_t *rk = sx_get_ok(auditor, sx_campaign_path(c2, "/ranking"));
    assert_int_equal(sx_int(rk, "places"), 4);
    assert_int_equal(sx_int(rk, "unscored"), 0);
    assert_int_equal(sx_int(rk, "unreviewed"), 0);
    const json_t *items = json_object_get(rk, "items");
    static const struct {
        int u;
        int64_t score, tiebreak, rank;
    } ranked[] = {{U_A, 8500, 2567, 1},    {U_B, 8350, 2525, 2},   {U_C, 8000, 2633, 3},
                  {U_D, 8000, 2333, 4},    {U_CAPITAL, -1, -1, 0}, {U_STAFF9, -1, -1, 0},
                  {U_UNQUAL, -1, -1, 0},   {U_BANNED, -1, -1, 0},  {U_SECFAIL, -1, -1, 0},
                  {U_EXCELLENT, -1, -1, 0}};
    assert_int_equal(json_array_size(items), YJ_ARRAY_LEN(ranked));
    for (size_t k = 0; k < YJ_ARRAY_LEN(ranked); k++) {
        const json_t *it = json_array_get(items, k);
        int u = ranked[k].u;
        if (sx_int(it, "application_id") != app[u])
            fail_msg("ranking item %zu is application %lld, expected %s", k,
                     (long long)sx_int(it, "application_id"), sx_cast[u].name);
        assert_string_equal(sx_str(it, "unit_name"), sx_cast[u].name);
        assert_int_equal(sx_centi(json_object_get(it, "score")), ranked[k].score);
        assert_int_equal(sx_centi(json_object_get(it, "tiebreak")), ranked[k].tiebreak);
        const json_t *rank = json_object_get(it, "rank");
        assert_int_equal(json_is_null(rank) ? 0 : json_integer_value(rank), ranked[k].rank);
        assert_int_equal(json_is_true(json_object_get(it, "direct_entry")), u == U_EXCELLENT);
    }
    HX_EXPECT(hx_get(experts[0], sx_campaign_path(c2, "/ranking")), 403);
    HX_EXPECT(hx_get(unit_user[U_A], sx_campaign_path(c2, "/ranking")), 403);

    /* The board: every applicant submitted; the four pre-check failures, the one
     * background failure, the direct entry; two panels, both closed. */
    expect_pipeline(c2, "after the ranking");
    const json_t *pl = sx_get_ok(admin, sx_campaign_path(c2, "/pipeline"));
    const json_t *el = json_object_get(pl, "eligibility");
    assert_int_equal(sx_int(json_object_get(pl, "applications"), "submitted"), U__N - 1);
    assert_int_equal(sx_int(json_object_get(pl, "applications"), "draft"), 1); /* U_LATE */
    assert_int_equal(sx_int(el, "ineligible"), 4);
    assert_int_equal(sx_int(el, "direct_entry"), 1);
    assert_int_equal(sx_int(json_object_get(pl, "security"), "fail"), 1);
    assert_int_equal(sx_int(json_object_get(pl, "review"), "panels_open"), 0);
    assert_int_equal(sx_int(json_object_get(pl, "review"), "scored"), 4);
    HX_EXPECT(hx_get(experts[0], sx_campaign_path(c2, "/pipeline")), 403);
    HX_EXPECT(hx_get(reviewer, sx_campaign_path(c2, "/pipeline")), 403);
}

/* --- 5. the first term's certificates in public; the audit chain ----------------------- */

/* How many audit records of object type/id have this action. */
static int64_t audit_count(const char *type, int64_t id, const char *action)
{
    json_t *all = hx_list_all(
        auditor, hx_fmt("/api/v1/audit?object_type=%s&object_id=%lld", type, (long long)id), 200);
    int64_t n = 0;
    size_t i;
    json_t *rec;
    json_array_foreach (all, i, rec)
        n += strcmp(sx_str(rec, "action"), action) == 0;
    json_decref(all);
    return n;
}

static void records(void **state)
{
    (void)state;
    /* The first term ends: 乌蒙山's certificate expires at 2026-01-22 00:00 CST by itself;
     * 黔安's shows its revocation, without the cause or the reason. */
    hx_clock_set(srv, sx_t("2026-01-22T09:00:00+08:00"));
    json_t *pub = sx_get_ok(anon, "/public/certificates/LPS-YJ-2024-002");
    assert_string_equal(sx_str(pub, "holder_name"), sx_cast[U_EXCELLENT].name);
    assert_string_equal(sx_str(pub, "status"), "expired");
    const json_t *h = json_object_get(pub, "history");
    assert_int_equal(json_array_size(h), 2);
    assert_string_equal(sx_str(json_array_get(h, 1), "status"), "expired");
    assert_string_equal(sx_str(json_array_get(h, 1), "at"), "2026-01-21T16:00:00.000Z");
    pub = sx_get_ok(anon, "/public/certificates/LPS-YJ-2024-001");
    assert_string_equal(sx_str(pub, "status"), "revoked");
    h = json_object_get(pub, "history");
    assert_int_equal(json_array_size(h), 2);
    static const char *const hkeys[] = {"status", "at", NULL};
    sx_keys(json_array_get(h, 1), hkeys, "a public history item");
    assert_string_equal(sx_str(json_array_get(h, 1), "at"),
                        sx_iso(sx_t("2024-09-10T10:00:00+08:00")));

    /* Every change is on the record, on the object it changed. */
    static const struct {
        const char *type;
        int u; /* -1: the campaign */
        const char *action;
        int64_t n;
    } want[] = {
        {"campaign", -1, "campaign.create", 1},
        {"campaign", -1, "campaign.stage", 2},
        {"application", U_C, "application.create", 1},
        {"application", U_C, "application.update", 2},
        {"application", U_C, "application.submit", 1},
        {"application", U_C, "application.paper", 1},
        {"application", U_C, "application.security_review", 1},
        {"application", U_C, "score.submit", SX_E},
        {"application", U_B, "score.save", 1},
        {"application", U_B, "application.conflict", 1},
        {"application", U_B, "score.submit", SX_E - 1},
        {"application", U_D, "application.submit", 1},
        {"application", U_LATE, "application.update", 2},
        {"application", U_LATE, "application.submit", 0},
        {"unit", U_BANNED, "unit.ban", 1},
        {"unit", U_EXCELLENT, "unit.grade", 1},
        {"unit", U_UNQUAL, "unit.grade", 1},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        int64_t id = want[i].u < 0                       ? c2
                     : strcmp(want[i].type, "unit") == 0 ? unit_id[want[i].u]
                                                         : app[want[i].u];
        int64_t n = audit_count(want[i].type, id, want[i].action);
        if (n != want[i].n)
            fail_msg("%s %lld: %s recorded %lld times, expected %lld", want[i].type, (long long)id,
                     want[i].action, (long long)n, (long long)want[i].n);
    }
    assert_int_equal(audit_count("panel", panel2, "panel.create"), 1);
    assert_int_equal(audit_count("panel", panel2, "panel.close"), 1);
    assert_int_equal(audit_count("certificate", cert_first[0], "certificate.issue"), 1);
    assert_int_equal(audit_count("certificate", cert_first[0], "certificate.status_change"), 1);
    assert_int_equal(audit_count("certificate", cert_first[1], "certificate.expire"), 1);

    /* The chain is intact from the first record to the last. */
    int64_t length = hx_audit_length(auditor);
    hx_server_stop(srv);
    char *out = NULL;
    int rc = hx_audit_verify(srv->data, &out);
    if (rc != 0)
        fail_msg("audit verify: exit %d: %s", rc, out);
    if (!strstr(out, hx_fmt("audit chain intact: %lld records", (long long)length)))
        fail_msg("audit verify: %s (expected %lld records)", out, (long long)length);
    free(out);
    hx_server_assert_log_clean(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_term),        cmocka_unit_test(second_call),
        cmocka_unit_test(background_review), cmocka_unit_test(panel_and_ranking),
        cmocka_unit_test(records),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
