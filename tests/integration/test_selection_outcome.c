/*
 * test_selection_outcome.c - the selection's outcome through a real server: seed
 * 000's second term (六盘水, the cast of test_selection_common.h) is driven to a
 * closed, scored panel, and from there every stage is asserted for every
 * applicant (test_selection_scenario.c asserts the stages before, in detail):
 *
 *  1. The proposed list: the direct entry first, then the ranking up to the four
 *     places; ranks stored. The public notice needs its period; nothing changes
 *     under notice. Objections against proposed units only: one investigated and
 *     upheld (that selection is cancelled, the place not refilled), one rejected.
 *     Publication waits for the end of the notice and for every objection.
 *  2. Publication: certificates for the selected only, numbered LPS-YJ-2026-001...
 *     in application order, titled and issued by the campaign, valid from the
 *     publication date (CST) for two years to the day before; the public look-up
 *     shows exactly the printed facts and the history; the cancelled, the not
 *     selected, the ineligible and the late have none. Each unit sees its own
 *     outcome and nothing of the others (404 for their applications and files).
 *  3. Closing; every change in the audit trail; the chain verified intact.
 */
#include "test_selection_common.h"

static struct hx_server *srv;
static struct hx_client *admin, *reviewer, *auditor, *anon, *experts[SX_E], *unit_user[U__N];
static int64_t expert_id[SX_E], unit_id[U__N], app[U__N], c2, panel2;
static int64_t obj_upheld, obj_rejected;
static struct sx_expect ex[U__N]; /* what the authority should see of each application */

static void expect_all(const char *when)
{
    sx_expect_list(admin, c2, U__N, app, sx_cast, ex, when);
}

/*
 * The second term up to its closed panel, as test_selection_scenario.c plays it
 * and asserts it (here only the answers' statuses): the grades of the first term
 * (excellent, unqualified), the call, ten applications submitted at their times
 * and one late, the paper copies, the background review (all pass but one), five
 * experts' sheets with one conflict. 黔安 (U_BANNED) needs a first term to be
 * banned, so it is not in this cast.
 */
static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    hx_clock_set(srv, sx_t("2025-12-05T10:00:00+08:00"));
    admin = hx_login_admin(srv);
    sx_tokenize(admin);
    reviewer =
        sx_user(admin, "security_reviewer", 0, "police_li", "李明（市公安局网安支队）", NULL);
    auditor = sx_user(admin, "auditor", 0, "auditor_wu", "吴审计", NULL);
    for (int e = 0; e < SX_E; e++)
        experts[e] = sx_user(admin, "expert", 0, hx_fmt("expert_%d", e + 1), sx_expert_names[e],
                             &expert_id[e]);
    for (int u = 0; u < U__N; u++) {
        if (u == U_BANNED)
            continue;
        unit_id[u] = hx_unit_create(admin, sx_unit_doc(&sx_cast[u], (unsigned)u + 1));
        unit_user[u] = sx_user(admin, "unit", unit_id[u], hx_fmt("unit_%d", u + 1),
                               hx_fmt("%s接口人", sx_cast[u].legal_rep), NULL);
    }
    static const struct {
        int u;
        const char *grade;
    } grades[] = {{U_EXCELLENT, "excellent"}, {U_UNQUAL, "unqualified"}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(grades); i++)
        HX_EXPECT(hx_post(admin,
                          hx_fmt("/api/v1/units/%lld/grades", (long long)unit_id[grades[i].u]),
                          json_pack("{s:s,s:s,s:s}", "period", "第一届", "grade", grades[i].grade,
                                    "graded_on", "2025-12-05")),
                  201);

    hx_clock_set(srv, sx_t("2025-12-19T16:41:00+08:00"));
    struct hx_resp *r =
        hx_post(admin, "/api/v1/campaigns",
                sx_campaign_doc("第二届六盘水市网络安全应急技术支撑队伍遴选", 2, SX_DEADLINE, 4));
    HX_EXPECT(r, 201);
    c2 = hx_json_int(r, "id");
    sx_stage_ok(admin, c2, "open");
    for (int u = 0; u < U__N; u++) {
        if (u == U_BANNED)
            continue;
        int64_t at = sx_t(sx_submit_at[u]);
        hx_clock_set(srv, at - 4 * HX_HOUR_MS);
        app[u] = sx_apply(unit_user[u], unit_id[u], &sx_cast[u], c2, 2024);
        hx_clock_set(srv, at);
        HX_EXPECT(sx_submit(unit_user[u], app[u]), u == U_LATE ? 409 : 200);
        bool eligible = u != U_CAPITAL && u != U_STAFF9 && u != U_UNQUAL;
        ex[u] = u == U_LATE
                    ? (struct sx_expect){"draft", "pending", "pending", "pending", false, -1, 0}
                    : (struct sx_expect){"submitted",
                                         eligible ? "eligible" : "ineligible",
                                         "pending",
                                         "pending",
                                         u == U_EXCELLENT,
                                         -1,
                                         0};
    }

    hx_clock_set(srv, sx_t("2026-01-12T09:00:00+08:00"));
    sx_stage_ok(admin, c2, "review");
    for (int u = 0; u < U__N; u++) {
        if (u == U_BANNED || u == U_LATE)
            continue;
        sx_paper(admin, app[u], true, "纸质版与电子版一致", srv->now_ms);
        bool fail = u == U_SECFAIL;
        HX_EXPECT(hx_post(reviewer, sx_app_path(app[u], "/security-review"),
                          fail ? json_pack("{s:s,s:s}", "result", "fail", "notes",
                                           "主要技术人员背景核查未通过")
                               : json_pack("{s:s}", "result", "pass")),
                  200);
        ex[u].security = fail ? "fail" : "pass";
    }

    hx_clock_set(srv, sx_t("2026-01-15T09:00:00+08:00"));
    json_t *ids = json_array(), *eids = json_array();
    for (int p = 0; p < P__N; p++)
        json_array_append_new(ids, json_integer(app[sx_panel_units[p]]));
    for (int e = 0; e < SX_E; e++)
        json_array_append_new(eids, json_integer(expert_id[e]));
    r = hx_post(admin, sx_campaign_path(c2, "/panels"),
                json_pack("{s:s,s:o,s:o}", "name", "第二届专家评审组", "experts", eids,
                          "applications", ids));
    HX_EXPECT(r, 201);
    panel2 = hx_json_int(r, "id");
    static const int64_t partial[SX_K] = {15, 0, 0, 0, 0};
    HX_EXPECT(sx_score(experts[SX_CONFLICT_EXPERT], app[U_B], partial, false), 200);
    HX_EXPECT(hx_post(experts[SX_CONFLICT_EXPERT], sx_app_path(app[U_B], "/conflict"),
                      json_pack("{s:b,s:s}", "conflicted", 1, "statement",
                                "本人 2023 年曾任该单位技术顾问，申请回避")),
              200);
    for (int p = 0; p < P__N; p++)
        for (int e = 0; e < SX_E; e++)
            if (!(p == P_B && e == SX_CONFLICT_EXPERT))
                HX_EXPECT(sx_score(experts[e], app[sx_panel_units[p]], sx_sheets[p][e], true), 200);
    hx_clock_set(srv, sx_t("2026-01-16T17:30:00+08:00"));
    HX_EXPECT(hx_post(admin, hx_fmt("/api/v1/panels/%lld/close", (long long)panel2), NULL), 200);
    for (int p = 0; p < P__N; p++)
        ex[sx_panel_units[p]].score = sx_panel_scores[p];
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

/* --- 1. the proposed list, the public notice, objections --------------------------------- */

static struct hx_resp *decide(int64_t objection, const char *status, const char *findings)
{
    json_t *body = json_pack("{s:s}", "status", status);
    if (findings)
        json_object_set_new(body, "findings", json_string(findings));
    return hx_post(admin, hx_fmt("/api/v1/objections/%lld/decision", (long long)objection), body);
}

static void proposal_and_notice(void **state)
{
    (void)state;
    ex[U_LATE] = (struct sx_expect){"draft", "pending", "pending", "pending", false, -1, 0};
    expect_all("after the panel closed");
    hx_clock_set(srv, sx_t("2026-01-19T10:00:00+08:00"));
    struct hx_resp *r = hx_post(admin, sx_campaign_path(c2, "/proposal"), NULL);
    HX_EXPECT(r, 200);
    /* Direct entry first, then the ranking up to the four places; ids in order. */
    const json_t *proposed = json_object_get(r->json, "proposed");
    static const int want[] = {U_C, U_A, U_B, U_EXCELLENT};
    assert_int_equal(json_array_size(proposed), YJ_ARRAY_LEN(want));
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++)
        assert_int_equal(json_integer_value(json_array_get(proposed, i)), app[want[i]]);
    for (int u = 0; u < U__N; u++)
        if (u != U_LATE && u != U_BANNED)
            ex[u].outcome = "not_selected";
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++)
        ex[want[i]].outcome = "proposed";
    ex[U_A].rank = 1;
    ex[U_B].rank = 2;
    ex[U_C].rank = 3;
    ex[U_D].rank = 4;
    expect_all("after the proposal");
    json_t *d = sx_get_ok(admin, sx_app_path(app[U_EXCELLENT], ""));
    assert_string_equal(sx_str(d, "outcome_reason"), "上届考评优秀，直接入选");

    /* The notice needs its period first. */
    HX_EXPECT_ERROR(sx_stage(admin, c2, "notice"), 409, "conflict", "notice_ends_at");
    sx_notice_period(admin, c2, "2026-01-20T09:00:00+08:00", "2026-01-27T17:00:00+08:00");
    hx_clock_set(srv, sx_t("2026-01-20T09:00:00+08:00"));
    sx_stage_ok(admin, c2, "notice");
    r = hx_send(admin, "PATCH", sx_campaign_path(c2, ""), json_pack("{s:i}", "places", 5),
                sx_etag_of(admin, sx_campaign_path(c2, "")));
    HX_EXPECT_ERROR(r, 409, "conflict", "stage");
    HX_EXPECT_ERROR(hx_post(admin, sx_campaign_path(c2, "/proposal"), NULL), 409, "conflict",
                    "stage");

    /* Objections (异议) against proposed units only. */
    hx_clock_set(srv, sx_t("2026-01-21T15:00:00+08:00"));
    r = hx_post(admin, sx_campaign_path(c2, "/objections"),
                json_pack("{s:I,s:s,s:s}", "application_id", (json_int_t)app[U_D], "complainant",
                          "某市民", "content", "该单位未入选，不服"));
    HX_EXPECT_ERROR(r, 400, "invalid", "application_id");
    r = hx_post(admin, sx_campaign_path(c2, "/objections"),
                json_pack("{s:I,s:s,s:s}", "application_id", (json_int_t)app[U_B], "complainant",
                          "匿名来信", "content",
                          "反映该单位申报的典型项目“重点行业数据安全评估”系借用其他单位业绩"));
    HX_EXPECT(r, 201);
    assert_string_equal(sx_str(r->json, "status"), "received");
    obj_upheld = hx_json_int(r, "id");
    r = hx_post(admin, sx_campaign_path(c2, "/objections"),
                json_pack("{s:I,s:s,s:s}", "application_id", (json_int_t)app[U_C], "complainant",
                          "贵州某安全公司", "content", "反映该单位省内持证技术人员不足 10 人"));
    HX_EXPECT(r, 201);
    obj_rejected = hx_json_int(r, "id");
    HX_EXPECT(
        hx_post(experts[0], sx_campaign_path(c2, "/objections"),
                json_pack("{s:I,s:s}", "application_id", (json_int_t)app[U_C], "content", "x")),
        403);

    hx_clock_set(srv, sx_t("2026-01-23T10:00:00+08:00"));
    r = decide(obj_upheld, "investigating", "已调取项目合同和验收材料核查");
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "status"), "investigating");
    HX_EXPECT_ERROR(decide(obj_rejected, "rejected", NULL), 400, "invalid", "findings");
    r = decide(obj_rejected, "rejected", "经核查社保缴纳记录，省内持证技术人员 13 人，符合条件");
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "status"), "rejected");
    assert_string_equal(sx_str(r->json, "decided_at"), sx_iso(srv->now_ms));

    /* Not before the notice ends, nor with an objection undecided. */
    hx_clock_set(srv, sx_t("2026-01-27T16:59:59+08:00"));
    r = sx_stage(admin, c2, "published");
    HX_EXPECT_ERROR(r, 409, "conflict", "to");
    assert_non_null(strstr(r->body, "has not ended"));
    hx_clock_set(srv, sx_t("2026-01-28T09:30:00+08:00"));
    r = sx_stage(admin, c2, "published");
    HX_EXPECT_ERROR(r, 409, "conflict", "to");
    assert_non_null(strstr(r->body, "undecided"));

    /* Verified: B's typical project was borrowed. The selection is cancelled (seed 000). */
    const char *findings = "经核查，典型项目之一系借用其他单位业绩，异议成立，取消拟入选资格";
    r = decide(obj_upheld, "upheld", findings);
    HX_EXPECT(r, 200);
    HX_EXPECT_ERROR(decide(obj_upheld, "rejected", "改判"), 409, "conflict", "status");
    ex[U_B].outcome = "cancelled";
    d = sx_get_ok(admin, sx_app_path(app[U_B], ""));
    assert_string_equal(sx_str(d, "outcome_reason"), findings);
    json_t *list = sx_get_ok(auditor, sx_campaign_path(c2, "/objections"));
    assert_int_equal(json_array_size(json_object_get(list, "items")), 2);
    assert_string_equal(sx_str(sx_find(json_object_get(list, "items"), "id", obj_upheld), "status"),
                        "upheld");
    expect_all("after the objections");
}

/* --- 2. publication, certificates, the public look-up ----------------------------------- */

static const int selected[] = {U_C, U_A, U_EXCELLENT}; /* by application id: their numbers' order */

static void publication(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2026-01-28T10:00:00+08:00"));
    struct hx_resp *r = sx_stage(admin, c2, "published");
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "published_at"), sx_iso(srv->now_ms));
    assert_string_equal(sx_str(r->json, "valid_from"), "2026-01-28");
    assert_string_equal(sx_str(r->json, "valid_to"), "2028-01-27");
    for (size_t i = 0; i < YJ_ARRAY_LEN(selected); i++)
        ex[selected[i]].outcome = "selected";
    expect_all("after publication");

    json_t *certs =
        hx_list_all(admin, hx_fmt("/api/v1/certificates?campaign_id=%lld", (long long)c2), 50);
    assert_int_equal(json_array_size(certs), YJ_ARRAY_LEN(selected));
    for (size_t i = 0; i < YJ_ARRAY_LEN(selected); i++) {
        int u = selected[i];
        const json_t *c = sx_find(certs, "application_id", app[u]);
        if (!c)
            fail_msg("no certificate for %s", sx_cast[u].name);
        const char *number = hx_fmt("LPS-YJ-2026-%03zu", i + 1);
        assert_string_equal(sx_str(c, "number"), number);
        assert_int_equal(sx_int(c, "unit_id"), unit_id[u]);
        assert_string_equal(sx_str(c, "holder_name"), sx_cast[u].name);
        assert_string_equal(sx_str(c, "title"), SX_TITLE);
        assert_string_equal(sx_str(c, "issuing_authorities"), SX_ISSUERS);
        assert_string_equal(sx_str(c, "valid_from"), "2026-01-28");
        assert_string_equal(sx_str(c, "valid_to"), "2028-01-27");
        assert_string_equal(sx_str(c, "status"), "valid");

        /* The public look-up: exactly the printed facts and the status history. */
        json_t *pub = sx_get_ok(anon, hx_fmt("/public/certificates/%s", number));
        static const char *const keys[] = {
            "number", "holder_name", "title", "issuing_authorities", "valid_from", "valid_to",
            "status", "history",     NULL};
        sx_keys(pub, keys, "the public certificate");
        assert_string_equal(sx_str(pub, "holder_name"), sx_cast[u].name);
        assert_string_equal(sx_str(pub, "status"), "valid");
        assert_string_equal(sx_str(pub, "valid_from"), "2026-01-28");
        assert_string_equal(sx_str(pub, "valid_to"), "2028-01-27");
        const json_t *h = json_object_get(pub, "history");
        assert_int_equal(json_array_size(h), 1);
        static const char *const hkeys[] = {"status", "at", NULL};
        sx_keys(json_array_get(h, 0), hkeys, "a public history item");
        assert_string_equal(sx_str(json_array_get(h, 0), "status"), "valid");
        assert_string_equal(sx_str(json_array_get(h, 0), "at"), sx_iso(srv->now_ms));
    }
    json_decref(certs);
    /* The cancelled, the not selected and the ineligible have none of this term. */
    for (int u = 0; u < U__N; u++) {
        if (u == U_BANNED || !strcmp(ex[u].outcome, "selected"))
            continue;
        json_t *none = hx_list_all(admin,
                                   hx_fmt("/api/v1/certificates?campaign_id=%lld&unit_id=%lld",
                                          (long long)c2, (long long)unit_id[u]),
                                   50);
        if (json_array_size(none) != 0)
            fail_msg("%s (%s) holds a certificate of the second term", sx_cast[u].name,
                     ex[u].outcome);
        json_decref(none);
    }
    HX_EXPECT_ERROR(hx_get(anon, "/public/certificates/LPS-YJ-2026-004"), 404, "not_found", NULL);
    /* Each unit sees its own outcome, not the scores, and nothing of the others. */
    for (int u = 0; u < U__N; u++) {
        if (u == U_BANNED)
            continue;
        json_t *mine = hx_list_all(unit_user[u], sx_campaign_path(c2, "/applications"), 100);
        assert_int_equal(json_array_size(mine), 1);
        const json_t *it = json_array_get(mine, 0);
        assert_int_equal(sx_int(it, "id"), app[u]);
        assert_string_equal(sx_str(it, "outcome"), ex[u].outcome);
        assert_null(json_object_get(it, "score"));
        assert_null(json_object_get(it, "rank"));
        json_decref(mine);
    }
    json_t *files = sx_get_ok(admin, sx_app_path(app[U_B], "/attachments"));
    int64_t b_file = sx_int(json_array_get(json_object_get(files, "items"), 0), "id");
    HX_EXPECT_ERROR(hx_get(unit_user[U_A], sx_app_path(app[U_B], "")), 404, "not_found", NULL);
    HX_EXPECT(hx_get(unit_user[U_A], sx_app_path(app[U_B], "/versions/1")), 404);
    HX_EXPECT(hx_get(unit_user[U_A], sx_app_path(app[U_B], "/attachments")), 404);
    HX_EXPECT(hx_get(unit_user[U_A], hx_fmt("/api/v1/attachments/%lld", (long long)b_file)), 404);
    HX_EXPECT(hx_get(unit_user[U_A], hx_fmt("/api/v1/attachments/%lld/content", (long long)b_file)),
              404);
    json_t *own = hx_list_all(unit_user[U_C], "/api/v1/certificates", 50);
    assert_int_equal(json_array_size(own), 1);
    assert_string_equal(sx_str(json_array_get(own, 0), "number"), "LPS-YJ-2026-001");
    json_decref(own);
    own = hx_list_all(unit_user[U_B], "/api/v1/certificates", 50);
    assert_int_equal(json_array_size(own), 0);
    json_decref(own);
}

/* --- 3. closing; the audit chain ----------------------------------------------------------- */

/* How many audit records of object type/id have each action. */
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

static void close_and_audit(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2026-02-02T09:00:00+08:00"));
    struct hx_resp *r = sx_stage(admin, c2, "closed");
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "closed_at"), sx_iso(srv->now_ms));
    HX_EXPECT_ERROR(sx_stage(admin, c2, "closed"), 409, "conflict", "to");

    /* Every change is in the audit trail, on the object it changed. */
    static const struct {
        const char *action;
        int64_t n;
    } campaign[] = {{"campaign.create", 1},
                    {"campaign.stage", 5},
                    {"campaign.update", 1},
                    {"campaign.proposal", 1}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(campaign); i++)
        if (audit_count("campaign", c2, campaign[i].action) != campaign[i].n)
            fail_msg("campaign: %s recorded %lld times, expected %lld", campaign[i].action,
                     (long long)audit_count("campaign", c2, campaign[i].action),
                     (long long)campaign[i].n);
    static const struct {
        int u;
        const char *action;
        int64_t n;
    } apps[] = {
        {U_C, "application.create", 1},
        {U_C, "application.update", 2},
        {U_C, "application.submit", 1},
        {U_C, "application.paper", 1},
        {U_C, "application.security_review", 1},
        {U_C, "score.submit", SX_E},
        {U_B, "score.save", 1},
        {U_B, "application.conflict", 1},
        {U_B, "score.submit", SX_E - 1},
        {U_LATE, "application.submit", 0},
        {U_LATE, "application.update", 2},
        {U_A, "application.paper", 1},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(apps); i++) {
        int64_t n = audit_count("application", app[apps[i].u], apps[i].action);
        if (n != apps[i].n)
            fail_msg("%s: %s recorded %lld times, expected %lld", sx_cast[apps[i].u].name,
                     apps[i].action, (long long)n, (long long)apps[i].n);
    }
    assert_int_equal(audit_count("panel", panel2, "panel.create"), 1);
    assert_int_equal(audit_count("panel", panel2, "panel.close"), 1);
    assert_int_equal(audit_count("objection", obj_upheld, "objection.decide"), 2);
    json_t *certs =
        hx_list_all(admin, hx_fmt("/api/v1/certificates?campaign_id=%lld", (long long)c2), 50);
    size_t i;
    json_t *c;
    json_array_foreach (certs, i, c)
        assert_int_equal(audit_count("certificate", sx_int(c, "id"), "certificate.issue"), 1);
    json_decref(certs);
    assert_int_equal(audit_count("unit", unit_id[U_EXCELLENT], "unit.grade"), 1);

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
        cmocka_unit_test(proposal_and_notice),
        cmocka_unit_test(publication),
        cmocka_unit_test(close_and_audit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
