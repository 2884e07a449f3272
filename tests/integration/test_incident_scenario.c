/*
 * test_incident_scenario.c - issue 4's "done when", through the API of a real
 * server with an injected clock, a real SMTP server and a webhook-free setup:
 *
 * a ransomware incident at a critical-information-infrastructure operator is taken
 * in, graded 重大 and dispatched to two units. Unit A accepts, starts its plan and is
 * on site within the 2 hours, adds evidence and logs its hours. Unit B never
 * answers: both its deadlines are breached, escalated (to its leads and the duty
 * desk by mail) and it is replaced by unit C. The authority sends the first report
 * within the hour with the first two items only, passes it on within 30 minutes,
 * follows up, resolves, files the final report and closes; the final upward report
 * goes within its 30 days. Then: every e-mail the outbox holds was delivered to the
 * SMTP server, and the month's obligations follow from what happened.
 *
 * Waiting for the background loop is polling for an event (bounded), never
 * sleeping for time; time moves only by the clock file.
 */
#include <string.h>

#include "core/yj.h"
#include "harness_peer.h"

#define SMTP_USER "yj-mailer"
#define SMTP_PASSWORD "scenario-smtp-secret"
#define MAIL_FROM "noreply@yj.example.gov.cn"
#define DUTY "duty@cac.example.gov.cn"

enum { MIN = 60 * 1000, HOUR = 60 * MIN, DAY = 24 * HOUR };

static struct hx_server *srv;
static struct hx_peer smtp;
static char smtp_url[64];
static const char *serve_args[] = {"--smtp", smtp_url, "--mail-from", MAIL_FROM, NULL};
static struct hx_client *admin, *user[3];
static int64_t unit[3];
static const char *const iface[3] = {"iface-a@unit-a.example.com", "iface-b@unit-b.example.com",
                                     "iface-c@unit-c.example.com"};
static int64_t t0;

/* A unit whose interface person has an address, so dispatch notices are mailed. */
static int64_t unit_new(const char *name, const char *email)
{
    json_t *doc = hx_unit_doc(name);
    json_t *contact = json_array_get(json_object_get(doc, "contacts"), 1);
    json_object_set_new(contact, "email", json_string(email));
    return hx_unit_create(admin, doc);
}

static int setup(void **state)
{
    (void)state;
    char root[] = "/tmp/yj-it-scenario-XXXXXX";
    assert_non_null(mkdtemp(root));
    snprintf(smtp.dir, sizeof smtp.dir, "%s/mail", root);
    setenv("PEER_SMTP_USER", SMTP_USER, 1);
    setenv("PEER_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    hx_peer_start(&smtp, "smtp", 0);
    snprintf(smtp_url, sizeof smtp_url, "smtp://127.0.0.1:%d", smtp.port);
    setenv("YINGJI_SMTP_USER", SMTP_USER, 1);
    setenv("YINGJI_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    struct hx_server_options opt = {.clock = true, .serve_args = serve_args};
    srv = hx_server_new(&opt);
    hx_secret_note(srv, SMTP_PASSWORD);
    hx_secret_note(srv, DUTY);
    t0 = 1763769600000 + 365LL * DAY; /* 2026-11-22T00:00Z, 08:00 in Beijing */
    hx_clock_set(srv, t0);
    admin = hx_tokened(srv, hx_login_admin(srv));
    static const char *const names[3] = {"甲支撑单位", "乙支撑单位", "丙支撑单位"};
    for (int i = 0; i < 3; i++) {
        hx_secret_note(srv, iface[i]);
        unit[i] = unit_new(names[i], iface[i]);
        user[i] = hx_tokened(srv, hx_user_client(admin, "unit", unit[i]));
    }
    HX_EXPECT(hx_send(admin, "PUT", "/api/v1/notify/duty",
                      json_pack("{s:s,s:s}", "name", "省网信办应急值班室", "email", DUTY), NULL),
              200);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        hx_client_free(user[i]);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    hx_peer_stop(&smtp);
    char root[HX_PATH_MAX];
    snprintf(root, sizeof root, "%s", smtp.dir);
    *strrchr(root, '/') = '\0';
    hx_remove_tree(root);
    return 0;
}

static const char *at(int64_t ms)
{
    hx_clock_set(srv, ms);
    return hx_time(ms);
}

/* Polls path until key is non-null: the background loop acted on the clock. */
static struct hx_resp *wait_for(struct hx_client *c, const char *path, const char *key)
{
    struct hx_resp *r = NULL;
    for (int waited = 0; waited < HX_WAIT_MS; waited += HX_POLL_MS) {
        r = hx_get(c, path);
        HX_EXPECT(r, 200);
        const json_t *v = json_object_get(r->json, key);
        if (v && !json_is_null(v))
            return r;
        hx_pause_ms(HX_POLL_MS);
    }
    fail_msg("%s never got %s: %s", path, key, r ? r->body : "");
    return NULL;
}

static int64_t version_of(const char *path)
{
    struct hx_resp *r = hx_get(admin, path);
    HX_EXPECT(r, 200);
    return hx_json_int(r, "version");
}

static void act(int k, int64_t dispatch, const char *action, const char *people)
{
    json_t *body = json_pack("{s:s}", "action", action);
    if (people)
        json_object_set_new(body, "people", json_string(people));
    HX_EXPECT(
        hx_post(user[k], hx_fmt("/api/v1/dispatches/%lld/actions", (long long)dispatch), body),
        200);
}

static void move(int64_t id, const char *to)
{
    const char *path = hx_fmt("/api/v1/incidents/%lld", (long long)id);
    const char *etag = hx_etag(version_of(path));
    HX_EXPECT(hx_send(admin, "POST", hx_fmt("/api/v1/incidents/%lld/status", (long long)id),
                      json_pack("{s:s}", "to", to), etag),
              200);
}

/* The obligation of kind in GET /incidents/{id}/reporting. */
static json_t *obligation(struct hx_resp *r, const char *kind)
{
    size_t i;
    json_t *o;
    json_array_foreach (json_object_get(r->json, "obligations"), i, o)
        if (strcmp(json_string_value(json_object_get(o, "kind")), kind) == 0)
            return o;
    fail_msg("no %s obligation in %s", kind, r->body);
    return NULL;
}

/* Creates and sends an upward report; returns its id. */
static int64_t report_send(int64_t id, const char *kind, json_t *content)
{
    struct hx_resp *r = hx_post(admin, hx_fmt("/api/v1/incidents/%lld/reports", (long long)id),
                                json_pack("{s:s,s:o}", "kind", kind, "content", content));
    HX_EXPECT(r, 201);
    int64_t report = hx_json_int(r, "id");
    r = hx_post(admin, hx_fmt("/api/v1/reports/%lld/send", (long long)report), NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "sent_at"), hx_time(srv->now_ms));
    return report;
}

static void log_work(int k, int64_t dispatch, const char *kind, int64_t from, int64_t to,
                     int people)
{
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:i}", "kind", kind, "task",
                             dispatch ? "勒索事件现场处置" : "重要网站安全巡检", "started_at",
                             hx_time(from), "ended_at", hx_time(to), "people", people);
    if (dispatch)
        json_object_set_new(body, "dispatch_id", json_integer(dispatch));
    HX_EXPECT(hx_post(user[k], "/api/v1/work-logs", body), 201);
}

static void test_report_to_closed(void **state)
{
    (void)state;
    /* Taken in 10 minutes after discovery; CII operator, ransomware. */
    struct hx_resp *r =
        hx_post(admin, "/api/v1/incidents",
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s}}", "title",
                          "某省电力调度系统遭勒索软件攻击", "affected_org", "某省电力公司",
                          "affected_system", "电力调度数据网", "operator_type", "cii", "province",
                          "贵州省", "city", "六盘水市", "discovered_at", hx_time(t0 - 10 * MIN),
                          "source", "monitoring_alert", "class_code", "MAL", "subclass_code",
                          "MAL.07", "ransom", "amount", "50", "currency", "BTC"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    char inc[64]; /* hx_fmt's buffers rotate: this one lives the whole test */
    snprintf(inc, sizeof inc, "/api/v1/incidents/%lld", (long long)id);
    HX_EXPECT(hx_send(admin, "POST", hx_fmt("%s/grade", inc),
                      json_pack("{s:{s:s,s:s,s:I}}", "facts", "importance", "important", "loss",
                                "larger", "personal_records", (json_int_t)12000000),
                      hx_etag(1)),
              200);

    /* Upward reporting applies: the first report within 1 hour of discovery. */
    r = hx_get(admin, hx_fmt("%s/reporting", inc));
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "applies")));
    json_t *first = obligation(r, "first");
    assert_int_equal(json_integer_value(json_object_get(first, "remaining_ms")), 50 * MIN);

    /* Dispatch A and B. */
    r = hx_post(admin, hx_fmt("%s/dispatches", inc),
                json_pack("{s:[I,I],s:b}", "unit_ids", (json_int_t)unit[0], (json_int_t)unit[1],
                          "urgent", 0));
    HX_EXPECT(r, 201);
    json_t *items = json_object_get(r->json, "items");
    int64_t da = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    int64_t db = json_integer_value(json_object_get(json_array_get(items, 1), "id"));

    at(t0 + 5 * MIN);
    act(0, da, "accept", NULL);
    /* The first report with its first two items only, 25 minutes after discovery. */
    at(t0 + 15 * MIN);
    int64_t first_report = report_send(id, "first",
                                       json_pack("{s:s,s:s}", "unit_system",
                                                 "某省电力公司，电力调度数据网", "discovery",
                                                 "11月22日7时50分监测发现，勒索软件加密调度服务器，"
                                                 "赎金 50 BTC；已断网隔离"));
    /* The ack deadline of B (15 minutes for 重大) has passed. */
    at(t0 + 16 * MIN);
    wait_for(admin, hx_fmt("/api/v1/dispatches/%lld", (long long)db), "ack_breached_at");
    /* The pass-on within 30 minutes of the first report. */
    at(t0 + 30 * MIN);
    report_send(id, "pass_on",
                json_pack("{s:s,s:s}", "unit_system", "某省电力公司，电力调度数据网", "discovery",
                          "转报：勒索软件攻击，已断网隔离"));
    act(0, da, "plan_started", NULL);
    at(t0 + 70 * MIN);
    act(0, da, "on_site", "赵六、钱七");

    /* Evidence from unit A: the ransom note as found. */
    static const char note[] = "YOUR FILES ARE ENCRYPTED. Pay 50 BTC to recover them.\n";
    r = hx_send_raw(user[0], "POST",
                    hx_fmt("%s/evidence?filename=%s&note=%s", inc, "ransom-note.txt",
                           hx_escape("现场提取的勒索信")),
                    "application/octet-stream", note, sizeof note - 1);
    HX_EXPECT(r, 201);
    assert_string_equal(hx_json_str(r, "media_type"), "text/plain");
    r = hx_get(admin, hx_fmt("%s/evidence", inc));
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "chain_ok")));
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);

    /* B misses the 2-hour commitment too and is replaced by C. */
    at(t0 + 121 * MIN);
    wait_for(admin, hx_fmt("/api/v1/dispatches/%lld", (long long)db), "commit_breached_at");
    r = hx_post(admin, hx_fmt("/api/v1/dispatches/%lld/redispatch", (long long)db),
                json_pack("{s:I,s:s}", "unit_id", (json_int_t)unit[2], "reason",
                          "乙单位超时未响应，改派丙单位"));
    HX_EXPECT(r, 201);
    int64_t dc = hx_json_int(r, "id");
    at(t0 + 125 * MIN);
    act(2, dc, "accept", NULL);
    act(2, dc, "plan_started", NULL);
    at(t0 + 180 * MIN);
    act(2, dc, "on_site", "孙八");
    r = hx_get(admin, hx_fmt("/api/v1/dispatches/%lld", (long long)dc));
    assert_true(json_is_null(json_object_get(r->json, "commit_breached_at")));

    /* A follow-up with the rest of the items. */
    at(t0 + 6 * HOUR);
    report_send(id, "followup",
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "development", "未扩散至生产控制大区",
                          "cause", "VPN 弱口令被利用", "leads", "境外 IP 经 VPN 登录",
                          "next_measures", "全网排查，重置口令", "scene", "已镜像保全服务器",
                          "other", "无"));

    /* The work is done: both units resolve; contain, resolve, final report, close. */
    at(t0 + 2 * DAY);
    act(0, da, "resolve", NULL);
    act(2, dc, "resolve", NULL);
    move(id, "contained");
    move(id, "resolved");
    json_t *final = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s}", "cause", "VPN 弱口令被利用后投放勒索软件", "impact",
        "调度辅助系统中断 6 小时", "measures", "隔离、恢复备份、重置口令", "accountability",
        "运维负责人通报批评", "rectification", "启用双因素认证", "lessons", "远程接入须强认证");
    HX_EXPECT(hx_send(admin, "PUT", hx_fmt("%s/final-report", inc), json_deep_copy(final),
                      hx_etag(version_of(inc))),
              200);
    move(id, "closed");
    r = hx_get(admin, inc);
    assert_string_equal(hx_json_str(r, "status"), "closed");

    /* The final upward report within 30 days of resolution. */
    at(t0 + 10 * DAY);
    int64_t final_report = report_send(id, "final", final);
    r = hx_get(admin, hx_fmt("%s/reporting", inc));
    HX_EXPECT(r, 200);
    static const char *const kinds[] = {"first", "pass_on", "final"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(kinds); k++)
        assert_string_equal(json_string_value(json_object_get(obligation(r, kinds[k]), "status")),
                            "sent_on_time");
    /* What the authority reported upward is its own business, not the units'. */
    r = hx_get(admin, inc);
    assert_non_null(strstr(r->body, "\"kind\":\"report_sent\""));
    r = hx_get(user[0], inc);
    HX_EXPECT(r, 200);
    assert_null(strstr(r->body, "report_sent"));
    r = hx_get(admin, hx_fmt("/api/v1/reports/%lld/export?format=pdf", (long long)final_report));
    HX_EXPECT(r, 200);
    assert_memory_equal(r->body, "%PDF", 4);
    r = hx_get(admin, hx_fmt("/api/v1/reports/%lld/export?format=json", (long long)first_report));
    HX_EXPECT(r, 200);

    /* Hours: A 6 people x 7 h on the dispatch + 1 x 2 h patrol = 44 h; C 8 h. */
    log_work(0, da, "incident_response", t0 + 70 * MIN, t0 + 70 * MIN + 7 * HOUR, 6);
    log_work(0, 0, "technical_support", t0 + 3 * DAY, t0 + 3 * DAY + 2 * HOUR, 1);
    log_work(2, dc, "incident_response", t0 + 180 * MIN, t0 + 180 * MIN + 8 * HOUR, 1);

    /* Every e-mail queued was delivered to the SMTP server. */
    json_t *mails = hx_list_all(admin, "/api/v1/outbox?channel=email", 100);
    size_t i;
    json_t *row;
    for (int waited = 0; waited < HX_WAIT_MS; waited += HX_POLL_MS) {
        json_decref(mails);
        mails = hx_list_all(admin, "/api/v1/outbox?channel=email", 100);
        bool all_sent = true;
        json_array_foreach (mails, i, row)
            all_sent &= strcmp(json_string_value(json_object_get(row, "status")), "sent") == 0;
        if (all_sent)
            break;
        hx_pause_ms(HX_POLL_MS);
    }
    bool notice[3] = {false}, escalated_to_duty = false;
    size_t n_mails = json_array_size(mails);
    assert_true(n_mails >= 5);
    for (size_t k = 0; k < n_mails; k++) {
        json_t *env;
        char *raw = hx_mail_next(&smtp, &env);
        char *to = json_dumps(json_object_get(env, "rcpt_tos"), 0);
        char *subject = hx_mail_subject(raw);
        for (int u = 0; u < 3; u++)
            notice[u] |= strstr(to, iface[u]) && strstr(subject, "【应急派单】");
        escalated_to_duty |= strstr(to, DUTY) && strstr(subject, "【超时预警】乙支撑单位");
        free(subject);
        free(to);
        free(raw);
        json_decref(env);
    }
    json_decref(mails);
    assert_true(notice[0] && notice[1] && notice[2]);
    assert_true(escalated_to_duty);

    /* November's obligations, computed from the records. */
    struct {
        int incidents;
        double hours;
        bool incidents_met, hours_met;
        int breaches;
    } want[3] = {{1, 44, true, true, 0}, {0, 0, false, false, 2}, {1, 8, true, false, 0}};
    for (int u = 0; u < 3; u++) {
        r = hx_get(user[u], hx_fmt("/api/v1/units/%lld/obligations?from=2026-11&to=2026-11",
                                   (long long)unit[u]));
        HX_EXPECT(r, 200);
        json_t *m = json_array_get(json_object_get(r->json, "months"), 0);
        assert_string_equal(json_string_value(json_object_get(m, "month")), "2026-11");
        assert_int_equal(json_integer_value(json_object_get(m, "incidents")), want[u].incidents);
        assert_true(json_number_value(json_object_get(m, "support_hours")) == want[u].hours);
        assert_int_equal(json_is_true(json_object_get(m, "incidents_met")), want[u].incidents_met);
        assert_int_equal(json_is_true(json_object_get(m, "hours_met")), want[u].hours_met);
        assert_int_equal(json_integer_value(json_object_get(m, "breaches")), want[u].breaches);
        /* The roster covers one week of the month: 7 x 24 is not met. */
        assert_false(json_is_true(json_object_get(m, "contact_met")));
    }
    /* A unit reads only its own. */
    HX_EXPECT(hx_get(user[0], hx_fmt("/api/v1/units/%lld/obligations", (long long)unit[1])), 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_to_closed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
