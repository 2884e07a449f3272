/*
 * test_incidents.c - an incident from report to dispatch through a real server
 * with an injected clock: taken in, graded by the helper (a major incident from
 * the leaked records) and confirmed, dispatched to two units; one accepts, starts
 * its plan and is on site within the 2 hours; the other never answers, misses the
 * 15-minute acknowledgement and then the 2-hour commitment, both breaches are
 * recorded once, and the authority re-dispatches to a third unit. Access: a unit
 * sees only its own dispatches and notes, an uninvolved unit nothing. Then kill -9
 * with a deadline pending: after the restart it fires, once.
 *
 * Waiting for the background loop to act on a moved clock is polling for an
 * event (bounded), never sleeping for time.
 */
#include <string.h>
#include <time.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin;
static int64_t unit[4];
static struct hx_client *unit_user[4];

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    /* The units' on-call rosters run from 2026-11-22 for a week. */
    hx_clock_set(srv, 1763769600000 + 365LL * 24 * 3600 * 1000); /* 2026-11-22T00:00Z */
    admin = hx_tokened(srv, hx_login_admin(srv));
    for (int i = 0; i < 4; i++) {
        unit[i] = hx_unit_create(admin, hx_unit_doc("贵州应急支撑单位"));
        unit_user[i] = hx_tokened(srv, hx_user_client(admin, "unit", unit[i]));
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++)
        hx_client_free(unit_user[i]);
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

/* Polls GET path as c until key is non-null, up to 20 s of real time. */
static json_t *wait_for(struct hx_client *c, const char *path, const char *key)
{
    for (int i = 0; i < 400; i++) {
        struct hx_resp *r = hx_get(c, path);
        HX_EXPECT(r, 200);
        json_t *v = json_object_get(r->json, key);
        if (v && !json_is_null(v))
            return r->json;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("%s never got %s", path, key);
    return NULL;
}

static int64_t breaches_of(int64_t dispatch_id)
{
    json_t *all = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=dispatch&object_id=%lld", (long long)dispatch_id),
        200);
    int64_t n = 0;
    size_t i;
    json_t *rec;
    json_array_foreach (all, i, rec)
        n += strcmp(json_string_value(json_object_get(rec, "action")), "dispatch.breach") == 0;
    json_decref(all);
    return n;
}

/* An incident as the authority takes it in; subclass NULL leaves it unclassified. */
static int64_t new_incident_of(const char *title, const char *subclass)
{
    json_t *body =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s}]}", "title", title, "affected_org",
                  "六盘水市某三甲医院", "affected_system", "医院信息系统 HIS", "operator_type",
                  "other", "province", "贵州省", "city", "六盘水市", "discovered_at",
                  hx_time(srv->now_ms - 10 * 60 * 1000), "source", "monitoring_alert", "indicators",
                  "type", "ipv4", "value", "203.0.113.7");
    if (subclass) {
        json_object_set_new(body, "class_code", json_stringn(subclass, 3));
        json_object_set_new(body, "subclass_code", json_string(subclass));
    }
    struct hx_resp *r = hx_post(admin, "/api/v1/incidents", body);
    HX_EXPECT(r, 201);
    assert_string_equal(hx_json_str(r, "status"), "reported");
    return hx_json_int(r, "id");
}

static int64_t new_incident(const char *title)
{
    return new_incident_of(title, "MAL.07"); /* 勒索软件 */
}

static void grade_major(int64_t id)
{
    struct hx_resp *r =
        hx_send(admin, "POST", path_of("/api/v1/incidents", id, "/grade"),
                json_pack("{s:{s:s,s:s,s:I}}", "facts", "importance", "important", "loss", "larger",
                          "personal_records", (json_int_t)12000000),
                hx_etag(1));
    HX_EXPECT(r, 200);
    /* 12 million records leaked reaches the 重大 threshold (unconfirmed cell). */
    assert_string_equal(hx_json_str(r, "level"), "major");
    assert_string_equal(hx_json_str(r, "level_proposed"), "major");
    assert_non_null(strstr(hx_json_str(r, "level_reason"), "个人信息"));
}

static void test_report_to_redispatch(void **state)
{
    (void)state;
    int64_t id = new_incident_of("某医院信息系统遭勒索软件攻击", NULL);
    /* Dispatching before classifying: the brief and the suggestions need the class. */
    HX_EXPECT_ERROR(hx_post(admin, path_of("/api/v1/incidents", id, "/dispatches"),
                            json_pack("{s:[I]}", "unit_ids", (json_int_t)unit[0])),
                    409, "conflict", "class_code");
    /* A level other than the proposal needs a reason. */
    HX_EXPECT_ERROR(hx_send(admin, "POST", path_of("/api/v1/incidents", id, "/grade"),
                            json_pack("{s:{s:I},s:s}", "facts", "personal_records",
                                      (json_int_t)12000000, "level", "general"),
                            hx_etag(1)),
                    400, "invalid", "reason");
    grade_major(id);
    struct hx_resp *r = hx_send(admin, "POST", path_of("/api/v1/incidents", id, "/status"),
                                json_pack("{s:s}", "to", "triaged"), hx_etag(2));
    HX_EXPECT_ERROR(r, 409, "conflict", "class_code");
    r = hx_send(admin, "PATCH", path_of("/api/v1/incidents", id, ""),
                json_pack("{s:s,s:s}", "class_code", "MAL", "subclass_code", "MAL.07"), hx_etag(2));
    HX_EXPECT(r, 200);
    r = hx_send(admin, "POST", path_of("/api/v1/incidents", id, "/status"),
                json_pack("{s:s}", "to", "triaged"), hx_etag(3));
    HX_EXPECT(r, 200);

    /* Suggestions: every unit is on call, holds the field and is in the city. */
    r = hx_get(admin, path_of("/api/v1/incidents", id, "/suggestions"));
    HX_EXPECT(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 4);

    int64_t t0 = srv->now_ms;
    r = hx_post(admin, path_of("/api/v1/incidents", id, "/dispatches"),
                json_pack("{s:[I,I],s:b,s:s}", "unit_ids", (json_int_t)unit[0], (json_int_t)unit[1],
                          "urgent", 1, "instructions", "立即开展现场处置"));
    HX_EXPECT(r, 201);
    json_t *items = json_object_get(r->json, "items");
    int64_t d0 = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    int64_t d1 = json_integer_value(json_object_get(json_array_get(items, 1), "id"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "ack_due_at")),
                        hx_time(t0 + 15 * 60 * 1000));
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(items, 0), "commit_due_at")),
        hx_time(t0 + 2 * 3600 * 1000));
    r = hx_get(admin, path_of("/api/v1/incidents", id, ""));
    assert_string_equal(hx_json_str(r, "status"), "dispatched");
    /* 重大, other operator: first report within 4 h, passed on within 1 h. */
    assert_int_equal(json_array_size(json_object_get(r->json, "reporting")), 3);

    /* Unit 0 answers at once, starts its plan and is on site within the hour. */
    hx_clock_advance(srv, 5 * 60 * 1000);
    r = hx_post(unit_user[0], path_of("/api/v1/dispatches", d0, "/actions"),
                json_pack("{s:s}", "action", "accept"));
    HX_EXPECT(r, 200);
    HX_EXPECT_ERROR(hx_post(unit_user[0], path_of("/api/v1/dispatches", d0, "/actions"),
                            json_pack("{s:s}", "action", "accept")),
                    409, "conflict", "status");
    HX_EXPECT(hx_post(unit_user[0], path_of("/api/v1/dispatches", d0, "/actions"),
                      json_pack("{s:s}", "action", "plan_started")),
              200);
    HX_EXPECT_ERROR(hx_post(unit_user[0], path_of("/api/v1/dispatches", d0, "/actions"),
                            json_pack("{s:s}", "action", "on_site")),
                    400, "invalid", "people");
    HX_EXPECT(hx_post(unit_user[0], path_of("/api/v1/dispatches", d0, "/actions"),
                      json_pack("{s:s,s:s}", "action", "on_site", "people", "赵六、钱七")),
              200);
    HX_EXPECT(hx_send(unit_user[0], "PUT", path_of("/api/v1/dispatches", d0, "/notes"),
                      json_pack("{s:s}", "text", "现场已隔离受感染主机"), NULL),
              200);
    r = hx_get(admin, path_of("/api/v1/incidents", id, ""));
    assert_string_equal(hx_json_str(r, "status"), "in_progress");

    /* Access: a unit sees its own dispatch only; another unit's is 404, and an
     * uninvolved unit does not see the incident at all. */
    HX_EXPECT(hx_get(unit_user[1], path_of("/api/v1/dispatches", d0, "")), 404);
    HX_EXPECT(hx_post(unit_user[1], path_of("/api/v1/dispatches", d0, "/actions"),
                      json_pack("{s:s}", "action", "resolve")),
              404);
    HX_EXPECT(hx_get(unit_user[2], path_of("/api/v1/incidents", id, "")), 404);
    r = hx_get(unit_user[1], path_of("/api/v1/incidents", id, ""));
    HX_EXPECT(r, 200);
    json_t *ds = json_object_get(r->json, "dispatches");
    assert_int_equal(json_array_size(ds), 1);
    assert_null(strstr(r->body, "现场已隔离受感染主机"));
    assert_null(strstr(r->body, "赵六、钱七"));
    r = hx_get(unit_user[1], "/api/v1/dispatches");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    HX_EXPECT(hx_post(unit_user[1], path_of("/api/v1/incidents", id, "/status"),
                      json_pack("{s:s}", "to", "contained")),
              403);

    /* Unit 1 never answers: at 15 minutes the acknowledgement is missed. */
    hx_clock_set(srv, t0 + 15 * 60 * 1000);
    json_t *d = wait_for(admin, path_of("/api/v1/dispatches", d1, ""), "ack_breached_at");
    assert_string_equal(json_string_value(json_object_get(d, "ack_breached_at")),
                        hx_time(t0 + 15 * 60 * 1000));
    assert_true(json_is_null(json_object_get(d, "commit_breached_at")));
    /* At 2 hours the commitment too; unit 0 met it. */
    hx_clock_set(srv, t0 + 2 * 3600 * 1000);
    wait_for(admin, path_of("/api/v1/dispatches", d1, ""), "commit_breached_at");
    r = hx_get(admin, path_of("/api/v1/dispatches", d0, ""));
    assert_true(json_is_null(json_object_get(r->json, "ack_breached_at")));
    assert_true(json_is_null(json_object_get(r->json, "commit_breached_at")));
    assert_int_equal(breaches_of(d1), 2);
    assert_int_equal(breaches_of(d0), 0);

    /* Re-dispatch to unit 2. */
    r = hx_post(
        admin, path_of("/api/v1/dispatches", d1, "/redispatch"),
        json_pack("{s:I,s:s}", "unit_id", (json_int_t)unit[2], "reason", "原派单位超时未响应"));
    HX_EXPECT(r, 201);
    int64_t d2 = hx_json_int(r, "id");
    assert_int_equal(hx_json_int(r, "replaces"), d1);
    r = hx_get(admin, path_of("/api/v1/dispatches", d1, ""));
    assert_string_equal(hx_json_str(r, "status"), "withdrawn");
    HX_EXPECT(hx_post(unit_user[2], path_of("/api/v1/dispatches", d2, "/actions"),
                      json_pack("{s:s}", "action", "accept")),
              200);
    r = hx_get(unit_user[2], path_of("/api/v1/incidents", id, ""));
    HX_EXPECT(r, 200);
    /* Who replaced whom is the authority's and the replaced unit's business. */
    assert_null(strstr(r->body, "\"kind\":\"redispatched\""));
    r = hx_get(unit_user[1], path_of("/api/v1/incidents", id, ""));
    HX_EXPECT(r, 200);
    assert_non_null(strstr(r->body, "\"kind\":\"redispatched\""));

    /* The timeline holds every step, and the board counts the incident. */
    r = hx_get(admin, path_of("/api/v1/incidents", id, ""));
    const char *kinds[] = {"reported",         "graded",          "updated",
                           "status",           "dispatched",      "dispatch.accept",
                           "dispatch.on_site", "dispatch.breach", "redispatched"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(kinds); k++)
        assert_non_null(strstr(r->body, hx_fmt("\"kind\":\"%s\"", kinds[k])));
    r = hx_get(admin, "/api/v1/incidents/board");
    HX_EXPECT(r, 200);
    assert_true(hx_json_int(r, "open") >= 1);
    /* The clocks: unit 2's commitment still runs, so it comes before unit 0, which met
     * both deadlines; unit 1's dispatch is withdrawn, not live. */
    json_t *clocks = json_object_get(r->json, "clocks");
    assert_int_equal(json_array_size(clocks), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(clocks, 0), "id")), d2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(clocks, 1), "id")), d0);
    /* Once unit 2 is on site too, neither has a deadline left: the older dispatch first
     * (newest-first would put unit 2's on top). */
    HX_EXPECT(hx_post(unit_user[2], path_of("/api/v1/dispatches", d2, "/actions"),
                      json_pack("{s:s}", "action", "plan_started")),
              200);
    HX_EXPECT(hx_post(unit_user[2], path_of("/api/v1/dispatches", d2, "/actions"),
                      json_pack("{s:s,s:s}", "action", "on_site", "people", "孙八")),
              200);
    clocks = json_object_get(hx_get(admin, "/api/v1/incidents/board")->json, "clocks");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(clocks, 0), "id")), d0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(clocks, 1), "id")), d2);
    HX_EXPECT(hx_get(unit_user[0], "/api/v1/incidents/board"), 403);
}

/* kill -9 with a deadline pending: after the restart it fires, exactly once. */
static void test_timers_survive_kill(void **state)
{
    (void)state;
    int64_t id = new_incident("某政务网站疑似被植入暗链");
    /* Dispatching before grading: the level sets the deadlines. */
    HX_EXPECT_ERROR(hx_post(admin, path_of("/api/v1/incidents", id, "/dispatches"),
                            json_pack("{s:[I]}", "unit_ids", (json_int_t)unit[3])),
                    409, "conflict", "level");
    grade_major(id);
    struct hx_resp *r = hx_post(admin, path_of("/api/v1/incidents", id, "/dispatches"),
                                json_pack("{s:[I]}", "unit_ids", (json_int_t)unit[3]));
    HX_EXPECT(r, 201);
    int64_t d = json_integer_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
    int64_t t0 = srv->now_ms;
    hx_server_kill(srv);
    hx_clock_set(srv, t0 + 16 * 60 * 1000);
    hx_server_restart(srv);
    wait_for(admin, path_of("/api/v1/dispatches", d, ""), "ack_breached_at");
    /* Another restart: nothing fires again. */
    hx_server_stop(srv);
    hx_server_start(srv);
    r = hx_get(admin, path_of("/api/v1/dispatches", d, ""));
    HX_EXPECT(r, 200);
    assert_int_equal(breaches_of(d), 1);
}

/* Links that would loop, a unit named twice, answers without their reason. */
static void test_bad_links_and_answers(void **state)
{
    (void)state;
    int64_t a = new_incident("上级事件"), b = new_incident("下级事件"),
            c = new_incident("再下级事件");
    HX_EXPECT(hx_send(admin, "PATCH", path_of("/api/v1/incidents", b, ""),
                      json_pack("{s:I}", "parent_id", (json_int_t)a), hx_etag(1)),
              200);
    HX_EXPECT(hx_send(admin, "PATCH", path_of("/api/v1/incidents", c, ""),
                      json_pack("{s:I}", "parent_id", (json_int_t)b), hx_etag(1)),
              200);
    /* a -> c would close a three-step loop a <- b <- c <- a. */
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", path_of("/api/v1/incidents", a, ""),
                            json_pack("{s:I}", "parent_id", (json_int_t)c), hx_etag(1)),
                    400, "invalid", "parent_id");

    grade_major(a);
    struct hx_resp *r = hx_post(admin, path_of("/api/v1/incidents", a, "/dispatches"),
                                json_pack("{s:[I]}", "unit_ids", (json_int_t)unit[1]));
    HX_EXPECT(r, 201);
    int64_t d = json_integer_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
    HX_EXPECT_ERROR(
        hx_post(admin, path_of("/api/v1/incidents", a, "/dispatches"),
                json_pack("{s:[I,I]}", "unit_ids", (json_int_t)unit[2], (json_int_t)unit[1])),
        409, "conflict", "unit_ids[1]");
    HX_EXPECT_ERROR(hx_post(unit_user[1], path_of("/api/v1/dispatches", d, "/actions"),
                            json_pack("{s:s,s:s}", "action", "decline", "reason", "")),
                    400, "invalid", "reason");
    /* Nothing of the refused requests stayed: one live dispatch, still notified. */
    r = hx_get(admin, path_of("/api/v1/dispatches", d, ""));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "notified");
    r = hx_get(admin, path_of("/api/v1/incidents", a, ""));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "dispatches")), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_to_redispatch),
        cmocka_unit_test(test_timers_survive_kill),
        cmocka_unit_test(test_bad_links_and_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
