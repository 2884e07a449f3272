/*
 * test_work.c - the units' work record through a real server with an injected
 * clock: on 1 June 2026 an incident is dispatched to units A and B; A accepts
 * within 3 minutes and is on site, B never answers. In July, A logs its hours
 * against the dispatch and other tasks (one log across the month's end, one of
 * kind "other" that does not count, one deleted); bad logs are refused naming the
 * field; B can neither read nor change A's logs. June's obligations are then met
 * for A with the numbers behind them (2 incidents, 58 hours, a full roster) and
 * May's are not; B's roster gap of one day makes its contact not met, with the gap
 * listed, and its two missed deadlines are counted. A drill alerts A and B; A's
 * answer is recorded once and shown beside its real dispatch answer time.
 *
 * Waiting for the background loop to act on a moved clock is polling for an event
 * (bounded), never sleeping for time.
 */
#include <string.h>
#include <time.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin;
enum { A, B, C, N_UNITS };
static int64_t unit[N_UNITS];
static struct hx_client *user[N_UNITS];
static int64_t incident, disp_a, disp_b;
static int64_t log_l1, log_l5; /* A's response against its dispatch; its "other" log */

/* A moment in China Standard Time, as UTC ms. */
static int64_t cst(int y, int m, int d, int h)
{
    return (yj_days_from_civil(y, m, d) * 24 + h - 8) * HX_HOUR_MS;
}

/* A unit whose interface person has an email and whose roster is the given slots. */
static int64_t unit_with_roster(const char *name, json_t *oncall)
{
    json_t *doc = hx_unit_doc(name);
    json_object_set_new(doc, "contacts",
                        json_pack("[{s:s,s:s,s:s,s:s}]", "role", "interface", "name", "王五",
                                  "mobile", "13900000001", "email", "wangwu@example.cn"));
    json_object_set_new(doc, "oncall", oncall);
    return hx_unit_create(admin, doc);
}

static json_t *slot(const char *person, int64_t from, int64_t to)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "person", person, "mobile", "13900000000", "starts_at",
                     hx_time(from), "ends_at", hx_time(to));
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    /* A: on call from May to August in two shifts that meet. B: June with one day
     * missing (10 June 16:00Z to 11 June 16:00Z). C: no roster at all. */
    unit[A] = unit_with_roster(
        "工作记录甲单位", json_pack("[o,o]", slot("赵六", cst(2026, 5, 1, 0), cst(2026, 6, 16, 0)),
                                    slot("钱七", cst(2026, 6, 16, 0), cst(2026, 9, 1, 0))));
    unit[B] = unit_with_roster(
        "工作记录乙单位", json_pack("[o,o]", slot("孙八", cst(2026, 6, 1, 0), cst(2026, 6, 11, 0)),
                                    slot("周九", cst(2026, 6, 12, 0), cst(2026, 9, 1, 0))));
    unit[C] = unit_with_roster("工作记录丙单位", json_array());
    for (int i = 0; i < N_UNITS; i++)
        user[i] = hx_tokened(srv, hx_user_client(admin, "unit", unit[i]));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < N_UNITS; i++)
        hx_client_free(user[i]);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

static const char *path_of(const char *base, int64_t id, const char *rest)
{
    return hx_fmt("%s/%lld%s", base, (long long)id, rest);
}

static json_t *log_doc(const char *kind, int64_t dispatch, const char *task, int64_t from,
                       int64_t to, int people)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:i}", "kind", kind, "task", task, "started_at",
                          hx_time(from), "ended_at", hx_time(to), "people", people);
    if (dispatch)
        json_object_set_new(o, "dispatch_id", json_integer(dispatch));
    return o;
}

static int64_t log_new(struct hx_client *c, json_t *doc)
{
    struct hx_resp *r = hx_post(c, "/api/v1/work-logs", doc);
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static json_t *month_of(struct hx_client *c, int64_t u, const char *month)
{
    struct hx_resp *r = hx_get(
        c, hx_fmt("/api/v1/units/%lld/obligations?from=%s&to=%s", (long long)u, month, month));
    HX_EXPECT(r, 200);
    return json_array_get(json_object_get(r->json, "months"), 0);
}

static int64_t num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    return json_integer_value(v);
}

static bool flag(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_boolean(v))
        fail_msg("%s is not a boolean", key);
    return json_is_true(v);
}

/* 1 June, 08:00 CST: an incident dispatched to A and B; A answers after 3 minutes. */
static void dispatch_both(void)
{
    struct hx_resp *r = hx_post(
        admin, "/api/v1/incidents",
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", "某市政务云遭受勒索攻击",
                  "affected_org", "六盘水市大数据局", "operator_type", "other", "province",
                  "贵州省", "city", "六盘水市", "discovered_at", hx_time(srv->now_ms - HX_HOUR_MS),
                  "class_code", "OTH", "source", "authority"));
    HX_EXPECT(r, 201);
    incident = hx_json_int(r, "id");
    HX_EXPECT(
        hx_send(admin, "POST", path_of("/api/v1/incidents", incident, "/grade"),
                json_pack("{s:{s:s,s:s}}", "facts", "importance", "important", "loss", "serious"),
                hx_etag(1)),
        200);
    r = hx_post(admin, path_of("/api/v1/incidents", incident, "/dispatches"),
                json_pack("{s:[I,I]}", "unit_ids", (json_int_t)unit[A], (json_int_t)unit[B]));
    HX_EXPECT(r, 201);
    json_t *items = json_object_get(r->json, "items");
    disp_a = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    disp_b = json_integer_value(json_object_get(json_array_get(items, 1), "id"));
    hx_clock_advance(srv, 3 * HX_MINUTE_MS);
    HX_EXPECT(hx_post(user[A], path_of("/api/v1/dispatches", disp_a, "/actions"),
                      json_pack("{s:s}", "action", "accept")),
              200);
    HX_EXPECT(hx_post(user[A], path_of("/api/v1/dispatches", disp_a, "/actions"),
                      json_pack("{s:s}", "action", "plan_started")),
              200);
    HX_EXPECT(hx_post(user[A], path_of("/api/v1/dispatches", disp_a, "/actions"),
                      json_pack("{s:s,s:s}", "action", "on_site", "people", "赵六")),
              200);
}

static void test_work_logs(void **state)
{
    (void)state;
    assert_int_equal(srv->now_ms, cst(2026, 6, 1, 8));
    dispatch_both();
    /* 2 July: June is over. */
    hx_clock_set(srv, cst(2026, 7, 2, 0));

    struct hx_resp *r = hx_post(user[A], "/api/v1/work-logs",
                                log_doc("incident_response", disp_a, "政务云勒索事件现场处置",
                                        cst(2026, 6, 1, 10), cst(2026, 6, 1, 20), 2));
    HX_EXPECT(r, 201);
    log_l1 = hx_json_int(r, "id");
    assert_int_equal(hx_json_int(r, "incident_id"), incident);
    assert_int_equal(hx_json_int(r, "dispatch_id"), disp_a);
    assert_int_equal(hx_json_int(r, "minutes"), 1200);
    assert_int_equal(hx_json_int(r, "version"), 1);
    assert_string_equal(hx_json_str(r, "kind_name_zh"), "应急响应");
    assert_string_equal(hx_json_str(r, "started_at"), hx_time(cst(2026, 6, 1, 10)));
    assert_string_equal(r->etag, "\"1\"");
    log_new(user[A], log_doc("technical_support", 0, "重要信息系统安全检查", cst(2026, 6, 10, 9),
                             cst(2026, 6, 10, 17), 3));
    /* Across the month's end: 12 hours in June, 12 in July. */
    log_new(user[A], log_doc("monitoring", 0, "汛期重要网站监测", cst(2026, 6, 30, 12),
                             cst(2026, 7, 1, 12), 1));
    /* A response without a dispatch, its times as UTC ms: an incident of its own. */
    log_new(user[A],
            json_pack("{s:s,s:s,s:I,s:I,s:i}", "kind", "incident_response", "task",
                      "协助某医院排查挖矿木马", "started_at", (json_int_t)cst(2026, 6, 20, 9),
                      "ended_at", (json_int_t)cst(2026, 6, 20, 11), "people", 1));
    log_l5 = log_new(user[A],
                     log_doc("other", 0, "内部培训", cst(2026, 6, 15, 9), cst(2026, 6, 15, 19), 5));

    /* Refused, naming the field; nothing written. */
    struct {
        json_t *doc;
        const char *field;
    } bad[] = {
        {log_doc("bogus", 0, "x", cst(2026, 6, 2, 9), cst(2026, 6, 2, 10), 1), "kind"},
        {json_pack("{s:s,s:s,s:s,s:i}", "kind", "monitoring", "started_at",
                   hx_time(cst(2026, 6, 2, 9)), "ended_at", hx_time(cst(2026, 6, 2, 10)), "people",
                   1),
         "task"},
        {log_doc("monitoring", 0, "x", cst(2026, 6, 2, 9), cst(2026, 6, 2, 10), 0), "people"},
        {log_doc("monitoring", 0, "x", cst(2026, 6, 2, 9), cst(2026, 6, 2, 10), 1001), "people"},
        {log_doc("monitoring", 0, "x", cst(2026, 6, 2, 10), cst(2026, 6, 2, 9), 1), "ended_at"},
        {log_doc("monitoring", 0, "x", cst(2026, 7, 2, 9), cst(2026, 7, 3, 9), 1), "ended_at"},
        {log_doc("monitoring", 0, "x", cst(2026, 5, 1, 0), cst(2026, 6, 2, 0), 1), "ended_at"},
        {log_doc("incident_response", disp_b, "x", cst(2026, 6, 2, 9), cst(2026, 6, 2, 10), 1),
         "dispatch_id"},
        {log_doc("incident_response", 999999, "x", cst(2026, 6, 2, 9), cst(2026, 6, 2, 10), 1),
         "dispatch_id"},
        {json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "kind", "monitoring", "task", "x", "started_at",
                   hx_time(cst(2026, 6, 2, 9)), "ended_at", hx_time(cst(2026, 6, 2, 10)), "people",
                   1, "minutes", 60),
         "minutes"},
    };
    for (size_t k = 0; k < YJ_ARRAY_LEN(bad); k++)
        HX_EXPECT_ERROR(hx_post(user[A], "/api/v1/work-logs", bad[k].doc), 400, "invalid",
                        bad[k].field);
    /* The authority keeps no work log of its own. */
    HX_EXPECT(hx_post(admin, "/api/v1/work-logs",
                      log_doc("monitoring", 0, "x", cst(2026, 6, 2, 9), cst(2026, 6, 2, 10), 1)),
              403);

    /* B logs its own; it sees only its own, whatever it asks for, and cannot touch A's. */
    log_new(user[B], log_doc("technical_support", 0, "等保测评配合", cst(2026, 6, 5, 9),
                             cst(2026, 6, 5, 11), 1));
    json_t *mine =
        hx_list_all(user[B], hx_fmt("/api/v1/work-logs?unit_id=%lld", (long long)unit[A]), 50);
    assert_int_equal(json_array_size(mine), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(mine, 0), "unit_id")),
                     unit[B]);
    json_decref(mine);
    HX_EXPECT_ERROR(hx_send(user[B], "PATCH", path_of("/api/v1/work-logs", log_l1, ""),
                            json_pack("{s:i}", "people", 9), hx_etag(1)),
                    404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_request(user[B], "DELETE", path_of("/api/v1/work-logs", log_l1, ""), NULL),
                    404, "not_found", NULL);

    /* The authority reads any unit's, by month: the log across the month's end is in
     * both months; newest start first. */
    json_t *june = hx_list_all(
        admin, hx_fmt("/api/v1/work-logs?unit_id=%lld&month=2026-06", (long long)unit[A]), 2);
    assert_int_equal(json_array_size(june), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(june, 0), "kind")),
                        "monitoring");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(june, 4), "id")), log_l1);
    json_decref(june);
    json_t *july = hx_list_all(
        admin, hx_fmt("/api/v1/work-logs?unit_id=%lld&month=2026-07", (long long)unit[A]), 50);
    assert_int_equal(json_array_size(july), 1);
    json_decref(july);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/work-logs?month=2026-13"), 400, "invalid", "month");

    /* Changes need the current version; a PATCH may not borrow B's dispatch either. */
    const char *l5 = path_of("/api/v1/work-logs", log_l5, "");
    HX_EXPECT_ERROR(hx_send(user[A], "PATCH", l5, json_pack("{s:i}", "people", 4), NULL), 428,
                    "precondition_required", "If-Match");
    HX_EXPECT_ERROR(hx_send(user[A], "PATCH", l5, json_pack("{s:i}", "people", 4), hx_etag(7)), 412,
                    "precondition_failed", "If-Match");
    HX_EXPECT_ERROR(
        hx_send(user[A], "PATCH", l5, json_pack("{s:I}", "dispatch_id", disp_b), hx_etag(1)), 400,
        "invalid", "dispatch_id");
    r = hx_send(user[A], "PATCH", l5, json_pack("{s:i,s:s}", "people", 4, "description", "新员工"),
                hx_etag(1));
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "people"), 4);
    assert_int_equal(hx_json_int(r, "version"), 2);
    assert_string_equal(hx_json_str(r, "description"), "新员工");
    assert_string_equal(hx_json_str(r, "kind"), "other");

    /* A log deleted stops counting; its creation and deletion are both audited. */
    int64_t gone = log_new(user[A], log_doc("technical_support", 0, "误填", cst(2026, 6, 3, 9),
                                            cst(2026, 6, 3, 19), 10));
    HX_EXPECT(hx_request(user[A], "DELETE", path_of("/api/v1/work-logs", gone, ""), NULL), 204);
    HX_EXPECT(hx_request(user[A], "DELETE", path_of("/api/v1/work-logs", gone, ""), NULL), 404);
    json_t *audit = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=work_log&object_id=%lld", (long long)gone), 50);
    assert_int_equal(json_array_size(audit), 2);
    json_decref(audit);
    audit = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=work_log&object_id=%lld", (long long)log_l5), 50);
    assert_int_equal(json_array_size(audit), 2);
    json_decref(audit);
}

/* Polls B's June until both of its missed deadlines are counted, up to 20 s. */
static json_t *b_june_with_breaches(void)
{
    for (int i = 0; i < 400; i++) {
        json_t *m = month_of(admin, unit[B], "2026-06");
        if (num(m, "breaches") == 2)
            return m;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("B's breaches were never recorded");
    return NULL;
}

static void test_obligations(void **state)
{
    (void)state;
    struct hx_resp *r =
        hx_get(user[A], hx_fmt("/api/v1/units/%lld/obligations?from=2026-05&to=2026-06",
                               (long long)unit[A]));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "unit_name"),
                        json_string_value(json_object_get(
                            hx_get(admin, path_of("/api/v1/units", unit[A], ""))->json, "name")));
    json_t *months = json_object_get(r->json, "months");
    assert_int_equal(json_array_size(months), 2);

    /* May: nothing done, though on call all month. */
    json_t *may = json_array_get(months, 0);
    assert_string_equal(json_string_value(json_object_get(may, "month")), "2026-05");
    assert_int_equal(num(may, "incidents"), 0);
    assert_int_equal(num(may, "support_minutes"), 0);
    assert_int_equal(num(may, "dispatches"), 0);
    assert_false(flag(may, "incidents_met"));
    assert_false(flag(may, "hours_met"));
    assert_true(flag(may, "contact_met"));
    assert_false(flag(may, "partial"));

    /* June: the accepted dispatch and the response without one; 1200 + 1440 + 720 + 120
     * person-minutes of support (the "other" log and the deleted one do not count). */
    json_t *june = json_array_get(months, 1);
    assert_int_equal(num(june, "incidents"), 2);
    assert_int_equal(num(june, "support_minutes"), 3480);
    assert_true(json_real_value(json_object_get(june, "support_hours")) == 58.0);
    assert_int_equal(num(june, "dispatches"), 1);
    assert_int_equal(num(june, "breaches"), 0);
    assert_int_equal(num(june, "n_gaps"), 0);
    assert_int_equal(json_array_size(json_object_get(june, "roster_gaps")), 0);
    assert_true(json_real_value(json_object_get(june, "covered_ratio")) == 1.0);
    assert_true(flag(june, "incidents_met"));
    assert_true(flag(june, "hours_met"));
    assert_true(flag(june, "contact_met"));

    /* On average over the two: 1 incident a month is enough, 29 hours are not. */
    json_t *avg = json_object_get(r->json, "average");
    assert_true(json_real_value(json_object_get(avg, "incidents_per_month")) == 1.0);
    assert_true(json_real_value(json_object_get(avg, "hours_per_month")) == 29.0);
    assert_true(flag(avg, "incidents_met"));
    assert_false(flag(avg, "hours_met"));
    assert_true(flag(avg, "contact_met"));

    /* B: never answered (no incident, two breaches), 2 hours, and a day off the roster. */
    json_t *b = b_june_with_breaches();
    assert_int_equal(num(b, "incidents"), 0);
    assert_int_equal(num(b, "dispatches"), 1);
    assert_int_equal(num(b, "support_minutes"), 120);
    assert_false(flag(b, "incidents_met"));
    assert_false(flag(b, "hours_met"));
    assert_false(flag(b, "contact_met"));
    assert_int_equal(num(b, "n_gaps"), 1);
    json_t *gap = json_array_get(json_object_get(b, "roster_gaps"), 0);
    assert_string_equal(json_string_value(json_object_get(gap, "from")),
                        hx_time(cst(2026, 6, 11, 0)));
    assert_string_equal(json_string_value(json_object_get(gap, "to")),
                        hx_time(cst(2026, 6, 12, 0)));
    assert_true(json_real_value(json_object_get(b, "covered_ratio")) == 0.9666);

    /* A unit reads its own only. */
    HX_EXPECT_ERROR(hx_get(user[A], path_of("/api/v1/units", unit[B], "/obligations")), 404,
                    "not_found", NULL);

    /* Without a range: the last 12 months, the running one partial (its contact counted
     * up to now). */
    r = hx_get(user[A], path_of("/api/v1/units", unit[A], "/obligations"));
    HX_EXPECT(r, 200);
    months = json_object_get(r->json, "months");
    assert_int_equal(json_array_size(months), 12);
    assert_string_equal(json_string_value(json_object_get(json_array_get(months, 0), "month")),
                        "2025-08");
    json_t *july = json_array_get(months, 11);
    assert_string_equal(json_string_value(json_object_get(july, "month")), "2026-07");
    assert_true(flag(july, "partial"));
    assert_true(flag(july, "contact_met"));
    assert_int_equal(num(july, "support_minutes"), 720);
    assert_int_equal(num(json_object_get(r->json, "average"), "months"), 11);

    const char *base = path_of("/api/v1/units", unit[A], "/obligations");
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("%s?to=2026-08", base)), 400, "invalid", "to");
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("%s?from=2026-07&to=2026-06", base)), 400, "invalid",
                    "from");
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("%s?from=2023-01", base)), 400, "invalid", "from");
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("%s?from=June", base)), 400, "invalid", "from");

    /* The authority's month: every live unit side by side; a unit sees its own row. */
    r = hx_get(admin, "/api/v1/obligations?month=2026-06");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "month"), "2026-06");
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), N_UNITS);
    for (size_t k = 0; k < N_UNITS; k++) {
        json_t *it = json_array_get(items, k);
        int64_t u = num(it, "unit_id");
        assert_int_equal(u, unit[k]);
        assert_int_equal(flag(it, "incidents_met"), k == A);
        assert_int_equal(flag(it, "hours_met"), k == A);
        assert_int_equal(flag(it, "contact_met"), k == A);
        assert_int_equal(num(it, "breaches"), k == B ? 2 : 0);
    }
    assert_true(json_real_value(json_object_get(json_array_get(items, C), "covered_ratio")) == 0.0);
    r = hx_get(user[B], "/api/v1/obligations?month=2026-06");
    HX_EXPECT(r, 200);
    items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(num(json_array_get(items, 0), "unit_id"), unit[B]);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/obligations?month=2026-08"), 400, "invalid", "month");
}

/* Whether c's in-app notifications hold one titled title. */
static bool notified(struct hx_client *c, const char *title)
{
    json_t *all = hx_list_all(c, "/api/v1/notifications", 50);
    size_t i;
    json_t *n;
    bool found = false;
    json_array_foreach (all, i, n)
        found |= strcmp(json_string_value(json_object_get(n, "title")), title) == 0;
    json_decref(all);
    return found;
}

static json_t *target_of(json_t *drill, int64_t u)
{
    size_t i;
    json_t *t;
    json_array_foreach (json_object_get(drill, "targets"), i, t)
        if (num(t, "unit_id") == u)
            return t;
    fail_msg("no target row of unit %lld", (long long)u);
    return NULL;
}

static void test_drill(void **state)
{
    (void)state;
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/drills", json_pack("{s:s}", "message", "x")), 400,
                    "invalid", "title");
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/drills",
                            json_pack("{s:s,s:[I,I]}", "title", "x", "unit_ids",
                                      (json_int_t)unit[A], (json_int_t)unit[A])),
                    400, "invalid", "unit_ids");
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/drills",
                            json_pack("{s:s,s:[i]}", "title", "x", "unit_ids", 999999)),
                    400, "invalid", "unit_ids");
    HX_EXPECT(hx_post(user[A], "/api/v1/drills", json_pack("{s:s}", "title", "x")), 403);

    int64_t t0 = srv->now_ms;
    struct hx_resp *r = hx_post(admin, "/api/v1/drills",
                                json_pack("{s:s,s:s,s:[I,I]}", "title", "七月应急联络演练",
                                          "message", "请值班人员收到后确认", "unit_ids",
                                          (json_int_t)unit[A], (json_int_t)unit[B]));
    HX_EXPECT(r, 201);
    int64_t drill = hx_json_int(r, "id");
    assert_string_equal(hx_json_str(r, "sent_at"), hx_time(t0));
    assert_int_equal(json_array_size(json_object_get(r->json, "targets")), 2);
    /* A answered its real dispatch in 3 minutes; B never answered one. */
    json_t *ta = target_of(r->json, unit[A]);
    assert_true(json_is_null(json_object_get(ta, "acked_at")));
    assert_true(json_is_null(json_object_get(ta, "ack_ms")));
    assert_int_equal(num(ta, "dispatch_ack_median_ms"), 3 * HX_MINUTE_MS);
    assert_int_equal(num(ta, "dispatch_acks"), 1);
    json_t *tb = target_of(r->json, unit[B]);
    assert_true(json_is_null(json_object_get(tb, "dispatch_ack_median_ms")));
    assert_int_equal(num(tb, "dispatch_acks"), 0);

    /* The alert went through the outbox: in-app to the units' users, email to the
     * interface person. */
    assert_true(notified(user[A], "【演练】七月应急联络演练"));
    assert_true(notified(user[B], "【演练】七月应急联络演练"));
    assert_false(notified(user[C], "【演练】七月应急联络演练"));
    json_t *out = hx_list_all(
        admin, hx_fmt("/api/v1/outbox?ref_type=drill&ref_id=%lld&channel=email", (long long)drill),
        50);
    assert_int_equal(json_array_size(out), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "event")),
                        "drill.alert");
    json_decref(out);

    /* A answers after 2 minutes; again a minute later changes nothing. */
    hx_clock_advance(srv, 2 * HX_MINUTE_MS);
    const char *ack = path_of("/api/v1/drills", drill, "/ack");
    r = hx_post(user[A], ack, NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "acked_at"), hx_time(t0 + 2 * HX_MINUTE_MS));
    assert_int_equal(hx_json_int(r, "ack_ms"), 2 * HX_MINUTE_MS);
    assert_int_equal(hx_json_int(r, "acked_by"), user[A]->user_id);
    assert_int_equal(hx_json_int(r, "dispatch_ack_median_ms"), 3 * HX_MINUTE_MS);
    hx_clock_advance(srv, HX_MINUTE_MS);
    r = hx_post(user[A], ack, NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "acked_at"), hx_time(t0 + 2 * HX_MINUTE_MS));
    assert_int_equal(hx_json_int(r, "ack_ms"), 2 * HX_MINUTE_MS);
    json_t *audit = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=drill&object_id=%lld", (long long)drill), 50);
    assert_int_equal(json_array_size(audit), 2); /* drill.create, one drill.ack */
    json_decref(audit);

    /* C was not alerted; the authority does not answer drills. */
    HX_EXPECT_ERROR(hx_post(user[C], ack, NULL), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(user[C], path_of("/api/v1/drills", drill, "")), 404, "not_found", NULL);
    HX_EXPECT(hx_post(admin, ack, NULL), 403);

    /* A unit sees its own row; the authority every row. */
    r = hx_get(user[B], path_of("/api/v1/drills", drill, ""));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "targets")), 1);
    assert_true(json_is_null(json_object_get(target_of(r->json, unit[B]), "acked_at")));
    r = hx_get(admin, path_of("/api/v1/drills", drill, ""));
    HX_EXPECT(r, 200);
    assert_int_equal(num(target_of(r->json, unit[A]), "ack_ms"), 2 * HX_MINUTE_MS);
    json_t *list = hx_list_all(admin, "/api/v1/drills", 50);
    assert_int_equal(num(json_array_get(list, 0), "targets_count"), 2);
    assert_int_equal(num(json_array_get(list, 0), "acked_count"), 1);
    json_decref(list);
    list = hx_list_all(user[A], "/api/v1/drills", 50);
    assert_int_equal(json_array_size(list), 1);
    assert_int_equal(num(json_array_get(list, 0), "targets_count"), 1);
    assert_int_equal(num(json_array_get(list, 0), "acked_count"), 1);
    json_decref(list);
    list = hx_list_all(user[C], "/api/v1/drills", 50);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);

    /* July's record counts the drill and the answer. */
    json_t *m = month_of(user[A], unit[A], "2026-07");
    assert_int_equal(num(m, "drills"), 1);
    assert_int_equal(num(m, "drills_acked"), 1);
    m = month_of(admin, unit[B], "2026-07");
    assert_int_equal(num(m, "drills"), 1);
    assert_int_equal(num(m, "drills_acked"), 0);

    /* Without unit_ids, every live unit is alerted. */
    r = hx_post(admin, "/api/v1/drills", json_pack("{s:s}", "title", "全体单位联络演练"));
    HX_EXPECT(r, 201);
    assert_int_equal(json_array_size(json_object_get(r->json, "targets")), N_UNITS);
    assert_true(notified(user[C], "【演练】全体单位联络演练"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work_logs),
        cmocka_unit_test(test_obligations),
        cmocka_unit_test(test_drill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
