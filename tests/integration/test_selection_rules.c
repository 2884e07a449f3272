/*
 * test_selection_rules.c - an application's own rules through a real server:
 * autosave guarded by If-Match with the template's limits (800-character cases,
 * 1000-character support plan), completeness at submission; the paper copy; and
 * a return for correction during review: the frozen version keeps its content
 * and SHA-256, the correction is a new version, resubmitted after the deadline,
 * the old version still readable. A small campaign of 六盘水 in June 2026, two
 * units; time moves only through the injected clock.
 */
#include "test_selection_common.h"

enum { R_1, R_2, R__N };

/* clang-format off */
static const struct sx_unit units[R__N] = {
    [R_1] = {"贵州六枝网络安全技术有限公司", "谭伟", "2014-02-14", "2014-03-01", 6000000, 11, 1, 0,
             {"emergency_handling", "monitoring_analysis"}, "六枝特区"},
    [R_2] = {"贵州妥乐信息技术有限公司", "何琳", "2015-06-18", "2015-06-18", 4000000, 10, 0, 0,
             {"security_assessment"}, "盘州市"},
};
/* clang-format on */

#define DEADLINE "2026-06-19T17:00:00+08:00"

static struct hx_server *srv;
static struct hx_client *admin, *reviewer, *auditor, *unit_user[R__N];
static int64_t unit_id[R__N], app[R__N], cid;
static char sha_v1[65];

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    hx_clock_set(srv, sx_t("2026-06-02T09:00:00+08:00"));
    admin = hx_login_admin(srv);
    sx_tokenize(admin);
    reviewer = sx_user(admin, "security_reviewer", 0, "police_he", "何警官", NULL);
    auditor = sx_user(admin, "auditor", 0, "auditor_qin", "秦审计", NULL);
    for (int u = 0; u < R__N; u++) {
        unit_id[u] = hx_unit_create(admin, sx_unit_doc(&units[u], (unsigned)u + 41));
        unit_user[u] = sx_user(admin, "unit", unit_id[u], hx_fmt("unit_%d", u + 1),
                               hx_fmt("%s接口人", units[u].legal_rep), NULL);
    }
    struct hx_resp *r =
        hx_post(admin, "/api/v1/campaigns",
                sx_campaign_doc("2026年六盘水市网络安全应急技术支撑单位增补遴选", 3, DEADLINE, 2));
    HX_EXPECT(r, 201);
    cid = hx_json_int(r, "id");
    sx_stage_ok(admin, cid, "open");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_client_free(reviewer);
    hx_client_free(auditor);
    for (int u = 0; u < R__N; u++)
        hx_client_free(unit_user[u]);
    hx_server_free(srv);
    return 0;
}

/* --- autosave and completeness ------------------------------------------------------------ */

static void autosave_guards(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2026-06-08T10:00:00+08:00"));
    struct hx_client *c = unit_user[R_1];
    app[R_1] = sx_apply(c, unit_id[R_1], &units[R_1], cid, 2025);
    const char *p = sx_app_path(app[R_1], "/content");
    const char *etag = sx_etag_of(c, sx_app_path(app[R_1], ""));
    struct hx_resp *r = hx_send(c, "PATCH", p, json_pack("{s:s}", "other_work", "x"), NULL);
    HX_EXPECT_ERROR(r, 428, "precondition_required", "If-Match");
    r = hx_send(c, "PATCH", p, json_pack("{s:s}", "other_work", "x"), "\"999\"");
    HX_EXPECT_ERROR(r, 412, "precondition_failed", "If-Match");
    r = hx_send(c, "PATCH", p, sx_content_part2(801, 1000), etag);
    HX_EXPECT_ERROR(r, 400, "invalid", "typical_cases[0].text");
    r = hx_send(c, "PATCH", p, sx_content_part2(800, 1001), etag);
    HX_EXPECT_ERROR(r, 400, "invalid", "support_plan");
    r = hx_send(c, "PATCH", p, json_pack("{s:[]}", "attachments"), etag);
    HX_EXPECT_ERROR(r, 400, "invalid", "attachments");
    r = hx_send(c, "PATCH", p, json_pack("{s:s}", "motto", "x"), etag);
    HX_EXPECT_ERROR(r, 400, "invalid", "motto");
    /* Nothing refused was kept: the ETag and the 800 and 1000 characters stand. */
    assert_string_equal(sx_etag_of(c, sx_app_path(app[R_1], "")), etag);
    const json_t *content = json_object_get(sx_get_ok(c, sx_app_path(app[R_1], "")), "content");
    assert_int_equal(sx_chars(sx_str(content, "support_plan")), 1000);
    assert_int_equal(
        sx_chars(sx_str(json_array_get(json_object_get(content, "typical_cases"), 0), "text")),
        800);
    /* A merge patch: null removes a key, objects merge, other keys stay. */
    r = hx_send(c, "PATCH", p,
                json_pack("{s:n,s:{s:b}}", "other_work", "declarations", "confidentiality", 0),
                etag);
    HX_EXPECT(r, 200);
    content = json_object_get(r->json, "content");
    assert_null(json_object_get(content, "other_work"));
    assert_false(
        json_is_true(json_object_get(json_object_get(content, "declarations"), "confidentiality")));
    assert_true(
        json_is_true(json_object_get(json_object_get(content, "declarations"), "contact_7x24")));
    /* Submission wants everything: an undeclared commitment is named. */
    HX_EXPECT_ERROR(sx_submit(c, app[R_1]), 400, "invalid", "declarations.confidentiality");
    r = hx_send(c, "PATCH", p, json_pack("{s:{s:b}}", "declarations", "confidentiality", 1),
                r->etag);
    HX_EXPECT(r, 200);

    /* The other unit's draft: its first gap is named. */
    r = hx_post(unit_user[R_2], sx_campaign_path(cid, "/applications"), NULL);
    HX_EXPECT(r, 201);
    app[R_2] = hx_json_int(r, "id");
    HX_EXPECT_ERROR(sx_submit(unit_user[R_2], app[R_2]), 400, "invalid", "finances");
    /* ... and it is no business of the first unit's. */
    HX_EXPECT(hx_get(c, sx_app_path(app[R_2], "")), 404);
    HX_EXPECT(hx_send(c, "PATCH", sx_app_path(app[R_2], "/content"),
                      json_pack("{s:s}", "other_work", "x"), r->etag),
              404);
}

/* --- the paper copy and a return for correction -------------------------------------------- */

static void return_for_correction(void **state)
{
    (void)state;
    hx_clock_set(srv, sx_t("2026-06-10T10:00:00+08:00"));
    struct hx_resp *r = sx_submit(unit_user[R_1], app[R_1]);
    HX_EXPECT(r, 200);
    snprintf(sha_v1, sizeof sha_v1, "%s", sx_expect_frozen(unit_user[R_1], r->json, srv->now_ms));
    hx_clock_set(srv, sx_t("2026-06-11T10:00:00+08:00"));
    struct hx_client *c2 = unit_user[R_2];
    r = hx_send(c2, "PATCH", sx_app_path(app[R_2], "/content"), sx_content_part1(&units[R_2], 2025),
                sx_etag_of(c2, sx_app_path(app[R_2], "")));
    HX_EXPECT(r, 200);
    r = hx_send(c2, "PATCH", sx_app_path(app[R_2], "/content"), sx_content_part2(200, 300),
                r->etag);
    HX_EXPECT(r, 200);
    sx_attach_all(c2, app[R_2]);
    r = sx_submit(c2, app[R_2]);
    HX_EXPECT(r, 200);
    const char *sha2 = sx_expect_frozen(c2, r->json, srv->now_ms);

    hx_clock_set(srv, sx_t("2026-06-22T09:00:00+08:00"));
    sx_stage_ok(admin, cid, "review");
    /* The paper copies: R_2's cover hash matches, R_1's page 3 does not. */
    json_t *d =
        sx_paper(admin, app[R_2], true,
                 hx_fmt("纸质版封面 SHA-256 %s 与电子版一致，已加盖公章", sha2), srv->now_ms);
    assert_string_equal(sx_str(d, "status"), "submitted");
    const char *unit_etag = sx_etag_of(unit_user[R_1], sx_app_path(app[R_1], ""));
    sx_paper(admin, app[R_1], false, "纸质版第 3 页注册资本与电子版不一致", srv->now_ms);
    HX_EXPECT(hx_send(unit_user[R_1], "POST", sx_app_path(app[R_1], "/paper"),
                      json_pack("{s:b}", "matches", 1),
                      sx_etag_of(unit_user[R_1], sx_app_path(app[R_1], ""))),
              403);
    HX_EXPECT(hx_send(unit_user[R_1], "POST", sx_app_path(app[R_1], "/return"),
                      json_pack("{s:s}", "reason", "x"),
                      sx_etag_of(unit_user[R_1], sx_app_path(app[R_1], ""))),
              403);

    /* Returned: the frozen version stays, a new working version opens. */
    const char *reason = "纸质版与电子版不一致：请核对第 3 页注册资本后重新提交";
    const char *path = sx_app_path(app[R_1], "/return");
    HX_EXPECT_ERROR(hx_send(admin, "POST", path, json_pack("{s:s}", "reason", ""),
                            sx_etag_of(admin, sx_app_path(app[R_1], ""))),
                    400, "invalid", "reason");
    r = hx_send(admin, "POST", path, json_pack("{s:s}", "reason", reason),
                sx_etag_of(admin, sx_app_path(app[R_1], "")));
    HX_EXPECT(r, 200);
    int64_t returned_at = srv->now_ms;
    assert_string_equal(sx_str(r->json, "status"), "returned");
    assert_int_equal(sx_int(r->json, "current_version"), 2);
    assert_int_equal(sx_int(r->json, "submitted_version"), 1);
    const json_t *vs = json_object_get(r->json, "versions");
    assert_int_equal(json_array_size(vs), 2);
    const json_t *v2 = json_array_get(vs, 0), *v1 = json_array_get(vs, 1);
    assert_int_equal(sx_int(v2, "version_no"), 2);
    assert_true(json_is_null(json_object_get(v2, "sha256")));
    assert_true(json_is_null(json_object_get(v2, "submitted_at")));
    assert_int_equal(sx_int(v1, "version_no"), 1);
    assert_string_equal(sx_str(v1, "sha256"), sha_v1);
    assert_string_equal(sx_str(v1, "returned_at"), sx_iso(returned_at));
    assert_string_equal(sx_str(v1, "return_reason"), reason);
    HX_EXPECT_ERROR(hx_send(admin, "POST", path, json_pack("{s:s}", "reason", reason),
                            sx_etag_of(admin, sx_app_path(app[R_1], ""))),
                    409, "conflict", "status");
    /* While it is back with the unit the police cannot decide on it. */
    HX_EXPECT_ERROR(hx_post(reviewer, sx_app_path(app[R_1], "/security-review"),
                            json_pack("{s:s}", "result", "pass")),
                    409, "conflict", "status");

    /* The unit's ETag from before the authority acted is stale (412); the one not
     * returned stays frozen although it is past the deadline. */
    r = hx_send(unit_user[R_1], "PATCH", sx_app_path(app[R_1], "/content"),
                json_pack("{s:s}", "other_work", "x"), unit_etag);
    HX_EXPECT_ERROR(r, 412, "precondition_failed", "If-Match");
    r = hx_send(c2, "PATCH", sx_app_path(app[R_2], "/content"),
                json_pack("{s:s}", "other_work", "x"), sx_etag_of(c2, sx_app_path(app[R_2], "")));
    HX_EXPECT_ERROR(r, 409, "conflict", "status");

    /* The correction, after the deadline, during review: content and a replaced file. */
    hx_clock_set(srv, sx_t("2026-06-23T15:00:00+08:00"));
    struct hx_client *c = unit_user[R_1];
    const char *plan = "更正后：在六枝特区设立常驻应急小组，7×24 小时值守，两小时内到场处置。";
    r = hx_send(c, "PATCH", sx_app_path(app[R_1], "/content"),
                json_pack("{s:s,s:{s:I}}", "support_plan", plan, "profile", "registered_capital",
                          (json_int_t)6500000),
                sx_etag_of(c, sx_app_path(app[R_1], "")));
    HX_EXPECT(r, 200);
    json_t *files = sx_get_ok(c, sx_app_path(app[R_1], "/attachments"));
    int64_t audit_file = 0;
    size_t i;
    json_t *f;
    json_array_foreach (json_object_get(files, "items"), i, f)
        if (strcmp(sx_str(f, "kind"), "audit_report") == 0)
            audit_file = sx_int(f, "id");
    HX_EXPECT(
        hx_request(c, "DELETE", hx_fmt("/api/v1/attachments/%lld", (long long)audit_file), NULL),
        204);
    struct sx_file pdf = sx_fixture("sample.pdf");
    r = sx_upload(c, app[R_1], "audit_report", "近三年审计报告关键页（更正）.pdf", &pdf);
    free(pdf.data);
    HX_EXPECT(r, 201);

    /* The old version is still there, unchanged; the new one is a draft. */
    json_t *old = sx_get_ok(c, sx_app_path(app[R_1], "/versions/1"));
    assert_string_equal(sx_str(old, "sha256"), sha_v1);
    assert_string_equal(sx_content_sha256(json_object_get(old, "content")), sha_v1);
    assert_int_equal(sx_chars(sx_str(json_object_get(old, "content"), "support_plan")), 1000);
    const json_t *old_files = json_object_get(json_object_get(old, "content"), "attachments");
    bool had_old_report = false;
    json_array_foreach (old_files, i, f)
        had_old_report |= strcmp(sx_str(f, "filename"), "近三年审计报告关键页.pdf") == 0;
    assert_true(had_old_report);
    json_t *draft = sx_get_ok(c, sx_app_path(app[R_1], "/versions/2"));
    assert_true(json_is_null(json_object_get(draft, "sha256")));
    assert_string_equal(sx_str(json_object_get(draft, "content"), "support_plan"), plan);
    assert_int_equal(
        sx_int(json_object_get(json_object_get(draft, "content"), "profile"), "registered_capital"),
        6500000);
    assert_int_equal(
        sx_int(json_object_get(json_object_get(old, "content"), "profile"), "registered_capital"),
        6000000);
    HX_EXPECT(hx_get(c, sx_app_path(app[R_1], "/versions/3")), 404);

    /* Resubmitted during review: a new frozen version, judged afresh. */
    r = sx_submit(c, app[R_1]);
    HX_EXPECT(r, 200);
    const char *sha_v2 = sx_expect_frozen(c, r->json, srv->now_ms);
    assert_int_equal(sx_int(r->json, "submitted_version"), 2);
    assert_string_not_equal(sha_v2, sha_v1);
    assert_string_equal(sx_str(r->json, "eligibility"), "eligible");
    vs = json_object_get(r->json, "versions");
    assert_int_equal(json_array_size(vs), 2);
    assert_string_equal(sx_str(json_array_get(vs, 0), "sha256"), sha_v2);
    assert_string_equal(sx_str(json_array_get(vs, 1), "sha256"), sha_v1);
    assert_string_equal(sx_str(json_array_get(vs, 1), "return_reason"), reason);
    json_t *v = sx_get_ok(c, sx_app_path(app[R_1], "/versions/2"));
    bool has_new_report = false;
    json_array_foreach (json_object_get(json_object_get(v, "content"), "attachments"), i, f)
        has_new_report |= strcmp(sx_str(f, "filename"), "近三年审计报告关键页（更正）.pdf") == 0;
    assert_true(has_new_report);
    old = sx_get_ok(auditor, sx_app_path(app[R_1], "/versions/1"));
    assert_string_equal(sx_content_sha256(json_object_get(old, "content")), sha_v1);

    /* The corrected paper copy matches; the review goes on. */
    d = sx_paper(admin, app[R_1], true, hx_fmt("更正后纸质版封面 SHA-256 %s 与电子版一致", sha_v2),
                 srv->now_ms);
    assert_int_equal(sx_int(d, "submitted_version"), 2);
    HX_EXPECT(hx_post(reviewer, sx_app_path(app[R_1], "/security-review"),
                      json_pack("{s:s}", "result", "pass")),
              200);

    /* Each step is on the record. */
    json_t *trail = hx_list_all(
        auditor,
        hx_fmt("/api/v1/audit?object_type=application&object_id=%lld", (long long)app[R_1]), 100);
    static const struct {
        const char *action;
        int n;
    } want[] = {{"application.create", 1}, {"application.update", 5},
                {"application.submit", 2}, {"application.paper", 2},
                {"application.return", 1}, {"application.security_review", 1}};
    size_t total = 0;
    for (size_t k = 0; k < YJ_ARRAY_LEN(want); k++) {
        int n = 0;
        json_array_foreach (trail, i, f)
            n += strcmp(sx_str(f, "action"), want[k].action) == 0;
        if (n != want[k].n)
            fail_msg("%s recorded %d times, expected %d", want[k].action, n, want[k].n);
        total += (size_t)n;
    }
    assert_int_equal(json_array_size(trail), total);
    json_decref(trail);

    hx_server_stop(srv);
    char *out = NULL;
    int rc = hx_audit_verify(srv->data, &out);
    if (rc != 0)
        fail_msg("audit verify: exit %d: %s", rc, out);
    free(out);
    hx_server_assert_log_clean(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(autosave_guards),
        cmocka_unit_test(return_for_correction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
