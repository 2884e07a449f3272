/*
 * test_threat_scenario.c - issue 5's "done when", through the API of a real server
 * with an injected clock and a real SMTP server (the UI half is
 * tests/browser/threat-report.test.mjs):
 *
 * a unit files a botnet report: two five-tuples from hosts of an operator's range
 * to a C&C, the C&C by address, by name and as an endpoint, and a sample. The
 * authority accepts it; its indicators are in the store (the sample as malware) and
 * the lookup finds them.
 * The operator owns the victims' range: the plan names it, the notice goes to its
 * abuse contact on the SMTP server (and to its ticket system's webhook) with the
 * five-tuples and the deadline, and the
 * operator acknowledges and reports it handled through the link in the mail. The
 * report's indicators export as STIX 2.1 and as MISP and each imports into an empty
 * server as the same indicators (type, value, category, TLP, confidence), and back
 * into the first as merges only. The STIX and MISP corpora import, into a server of
 * their own, with their counts.
 *
 * Waiting for the background loop polls for an event (bounded), never for time.
 */
#include <string.h>

#include "core/yj.h"
#include "harness_peer.h"

#define SMTP_USER "yj-mailer"
#define SMTP_PASSWORD "threat-scenario-smtp-secret"
#define MAIL_FROM "noreply@yj.example.gov.cn"
#define PUBLIC_URL "https://yj.example.gov.cn"
#define ABUSE "abuse@isp.example.cn"
#define LINK_PREFIX PUBLIC_URL "/disposal.html#"
#define SHA256_SAMPLE "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define TITLE "辖区内 Mirai 变种僵尸网络活动"

static struct hx_server *srv, *other;
static struct hx_peer smtp, hooks;
static char smtp_url[64];
static const char *serve_args[] = {"--smtp",       smtp_url,   "--mail-from", MAIL_FROM,
                                   "--public-url", PUBLIC_URL, NULL};
static struct hx_client *admin, *unit, *anon, *admin2;

static int setup(void **state)
{
    (void)state;
    char root[] = "/tmp/yj-it-threat-XXXXXX";
    assert_non_null(mkdtemp(root));
    snprintf(smtp.dir, sizeof smtp.dir, "%s/mail", root);
    setenv("PEER_SMTP_USER", SMTP_USER, 1);
    setenv("PEER_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    hx_peer_start(&smtp, "smtp", 0);
    snprintf(hooks.dir, sizeof hooks.dir, "%s/hooks", root);
    hx_peer_start(&hooks, "http", 0);
    snprintf(smtp_url, sizeof smtp_url, "smtp://127.0.0.1:%d", smtp.port);
    setenv("YINGJI_SMTP_USER", SMTP_USER, 1);
    setenv("YINGJI_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    struct hx_server_options opt = {.clock = true, .serve_args = serve_args};
    srv = hx_server_new(&opt);
    hx_secret_note(srv, SMTP_PASSWORD);
    hx_secret_note(srv, ABUSE);
    admin = hx_tokened(srv, hx_login_admin(srv));
    unit = hx_tokened(srv, hx_user_client(admin, "unit", hx_unit_create(admin, NULL)));
    anon = hx_client_new(srv);
    struct hx_server_options plain = {.clock = true};
    other = hx_server_new(&plain);
    admin2 = hx_tokened(other, hx_login_admin(other));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(unit);
    hx_client_free(anon);
    hx_client_free(admin);
    hx_client_free(admin2);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    hx_server_stop(other);
    hx_server_assert_log_clean(other);
    hx_server_free(other);
    hx_peer_stop(&smtp);
    hx_peer_stop(&hooks);
    char root[HX_PATH_MAX];
    snprintf(root, sizeof root, "%s", smtp.dir);
    *strrchr(root, '/') = '\0';
    hx_remove_tree(root);
    return 0;
}

static json_t *tuple(const char *src, int sport)
{
    return json_pack("{s:s,s:i,s:s,s:i,s:s,s:s,s:s,s:i}", "src_ip", src, "src_port", sport,
                     "dst_ip", "198.51.100.23", "dst_port", 8443, "protocol", "tcp", "first_seen",
                     hx_time(srv->now_ms - 6 * HX_HOUR_MS), "last_seen",
                     hx_time(srv->now_ms - HX_HOUR_MS), "count", 37);
}

static struct hx_resp *import(struct hx_client *c, const char *query, const char *data, size_t len)
{
    return hx_send_raw(c, "POST", hx_fmt("/api/v1/indicators/import?%s", query),
                       "application/octet-stream", data, len);
}

/* The indicators of a list, as sorted "type value category tlp confidence" lines. */
static char *indicator_lines(struct hx_client *c, const char *path)
{
    json_t *all = hx_list_all(c, path, 3); /* more than one page of a report's four */
    size_t n = json_array_size(all);
    char **lines = calloc(n ? n : 1, sizeof *lines);
    assert_non_null(lines);
    size_t i, total = 1;
    json_t *it;
    json_array_foreach (all, i, it) {
        const json_t *conf = json_object_get(it, "confidence");
        lines[i] = strdup(hx_fmt("%s %s %s %s %lld", json_string_value(json_object_get(it, "type")),
                                 json_string_value(json_object_get(it, "value")),
                                 json_string_value(json_object_get(it, "category")),
                                 json_string_value(json_object_get(it, "tlp")),
                                 (long long)(conf ? json_integer_value(conf) : -1)));
        assert_non_null(lines[i]);
        total += strlen(lines[i]) + 1;
    }
    json_decref(all);
    for (size_t a = 1; a < n; a++) /* a few lines: insertion sort */
        for (size_t b = a; b > 0 && strcmp(lines[b - 1], lines[b]) > 0; b--) {
            char *t = lines[b];
            lines[b] = lines[b - 1];
            lines[b - 1] = t;
        }
    char *out = malloc(total);
    assert_non_null(out);
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(lines[k]);
        memcpy(out + at, lines[k], len);
        out[at + len] = '\n';
        at += len + 1;
        free(lines[k]);
    }
    out[at] = '\0';
    free(lines);
    return out;
}

static void test_scenario(void **state)
{
    (void)state;
    /* The operator whose broadband range holds the infected hosts. */
    struct hx_resp *r =
        hx_post(admin, "/api/v1/constituents",
                json_pack("{s:s,s:s,s:[s],s:[{s:s,s:s,s:s}]}", "name", "某电信运营商六盘水分公司",
                          "kind", "operator", "ranges", "203.0.113.0/24", "contacts", "role",
                          "abuse", "name", "网络安全部", "email", ABUSE));
    HX_EXPECT(r, 201);
    int64_t owner = hx_json_int(r, "id");
    /* The operator's ticket system takes disposal notices by webhook too. */
    HX_EXPECT(hx_post(admin, "/api/v1/webhooks",
                      json_pack("{s:s,s:s,s:s}", "name", "运营商工单系统", "url",
                                hx_fmt("http://127.0.0.1:%d/tickets", hooks.port), "events",
                                "disposal.*")),
              201);

    /* The unit files and submits its report. */
    r = hx_post(unit, "/api/v1/threat-reports",
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:[o,o],s:[{s:s,s:s,s:s},{s:s,s:s,s:s},"
                          "{s:s,s:s,s:s},{s:s,s:s,s:s}]}",
                          "category", "botnet", "title", TITLE, "summary",
                          "监测发现辖区内 2 台物联网设备连接境外控制端。", "propagation_path",
                          "弱口令爆破 Telnet 后下载执行样本", "affected",
                          "某电信运营商六盘水分公司宽带用户", "five_tuples",
                          tuple("203.0.113.10", 49152), tuple("203.0.113.11", 50000), "indicators",
                          "type", "ipv4", "value", "198.51.100.23", "role", "c2", "type", "domain",
                          "value", "cnc.mirai-variant.example", "role", "c2", "type", "cc", "value",
                          "198.51.100.23:8443/tcp", "role", "c2", "type", "sha256", "value",
                          SHA256_SAMPLE, "role", "sample"));
    HX_EXPECT(r, 201);
    int64_t report = hx_json_int(r, "id");
    char *path = strdup(hx_fmt("/api/v1/threat-reports/%lld", (long long)report));
    HX_EXPECT(hx_send(unit, "POST", hx_fmt("%s/submit", path), NULL, hx_etag(1)), 200);

    /* The authority accepts it: its indicators are in the store. */
    HX_EXPECT(hx_send(admin, "POST", hx_fmt("%s/review", path),
                      json_pack("{s:s,s:s}", "decision", "accept", "comment", "属实，予以采纳"),
                      hx_etag(2)),
              200);
    char *by_report = strdup(hx_fmt("/api/v1/indicators?report_id=%lld", (long long)report));
    char *stored = indicator_lines(admin, by_report);
    static const char *const expected[] = {
        "ipv4 198.51.100.23 botnet", "domain cnc.mirai-variant.example botnet",
        "cc 198.51.100.23:8443/tcp botnet", "sha256 " SHA256_SAMPLE " malware"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(expected); i++)
        if (!strstr(stored, expected[i]))
            fail_msg("%s is not among the report's indicators:\n%s", expected[i], stored);
    r = hx_get(
        unit,
        "/api/v1/indicators/lookup?value=http%3A%2F%2Fcnc.mirai-variant.example%2Fbins%2Fx86");
    HX_EXPECT(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "matches")) >= 1);

    /* The victims' range is the operator's: it gets the notice by mail. */
    r = hx_get(admin, hx_fmt("%s/disposal-plan", path));
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(items, 0), "constituent_id")), owner);
    assert_int_equal(json_array_size(json_object_get(json_array_get(items, 0), "five_tuples")), 2);
    r = hx_post(admin, hx_fmt("%s/disposals", path), json_pack("{s:i}", "deadline_hours", 24));
    HX_EXPECT(r, 201);
    json_t *notice = json_array_get(json_object_get(r->json, "items"), 0);
    int64_t id = json_integer_value(json_object_get(notice, "id"));
    char *npath = strdup(hx_fmt("/api/v1/disposals/%lld", (long long)id));
    assert_string_equal(json_string_value(json_object_get(notice, "status")), "sent");

    json_t *env;
    char *raw = hx_mail_next(&smtp, &env);
    assert_string_equal(json_string_value(json_array_get(json_object_get(env, "rcpt_tos"), 0)),
                        ABUSE);
    json_decref(env);
    char *subject = hx_mail_subject(raw), *body = hx_mail_body(raw);
    free(raw);
    assert_non_null(strstr(subject, TITLE));
    assert_non_null(strstr(body, "203.0.113.10"));
    assert_non_null(strstr(body, "203.0.113.11"));
    assert_non_null(strstr(body, "198.51.100.23"));
    const char *link = strstr(body, LINK_PREFIX);
    assert_non_null(link);
    link += strlen(LINK_PREFIX);
    char token[64];
    snprintf(token, sizeof token, "%.*s", (int)strcspn(link, "\r\n"), link);
    hx_secret_note(srv, token);
    free(subject);
    free(body);
    json_t *hook = hx_hook_request(&hooks, 1);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(hook, "headers"), "X-Yingji-Event")),
        "disposal.sent");
    json_t *doc = json_loads(json_string_value(json_object_get(hook, "body")), 0, NULL);
    assert_non_null(doc);
    assert_non_null(strstr(json_string_value(json_object_get(doc, "link")), token));
    assert_non_null(strstr(json_string_value(json_object_get(doc, "text")), "203.0.113.10"));
    json_decref(doc);
    json_decref(hook);

    /* The operator acknowledges it, then reports it handled, through the link. */
    HX_EXPECT(hx_post(anon, hx_fmt("/public/disposals/%s/acknowledge", token),
                      json_pack("{s:s}", "name", "张工")),
              200);
    r = hx_get(admin, npath);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "acknowledged");
    HX_EXPECT(hx_post(anon, hx_fmt("/public/disposals/%s/handled", token),
                      json_pack("{s:s,s:s}", "feedback",
                                "已清除 2 台设备上的恶意程序并封堵控制端IP", "name", "张工")),
              200);
    r = hx_get(admin, npath);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "handled");
    assert_false(json_is_true(json_object_get(r->json, "overdue")));
    assert_int_equal(json_array_size(json_object_get(r->json, "events")), 3);
    r = hx_get(admin,
               hx_fmt("/api/v1/disposals?threat_report_id=%lld&status=handled", (long long)report));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);

    /* The report exports as STIX 2.1 and as MISP; each imports into an empty server as
     * the same indicators, and into this one as merges only. */
    static const char *const formats[] = {"stix", "misp"};
    for (size_t f = 0; f < 2; f++) {
        r = hx_get(admin, hx_fmt("/api/v1/indicators/export?format=%s&report_id=%lld", formats[f],
                                 (long long)report));
        HX_EXPECT(r, 200);
        char *data = malloc(r->body_len);
        assert_non_null(data);
        memcpy(data, r->body, r->body_len);
        size_t len = r->body_len;
        char *src = strdup(hx_fmt("exchange-%s", formats[f]));
        struct hx_server_options plain = {.clock = true};
        struct hx_server *fresh = hx_server_new(&plain);
        struct hx_client *fresh_admin = hx_tokened(fresh, hx_login_admin(fresh));
        r = import(fresh_admin, hx_fmt("format=%s&source=%s", formats[f], src), data, len);
        HX_EXPECT(r, 200);
        assert_int_equal(hx_json_int(r, "imported"), 4);
        char *there = indicator_lines(fresh_admin, "/api/v1/indicators");
        assert_string_equal(there, stored);
        free(there);
        hx_client_free(fresh_admin);
        hx_server_stop(fresh);
        hx_server_assert_log_clean(fresh);
        hx_server_free(fresh);
        r = import(admin, hx_fmt("format=%s&source=%s", formats[f], src), data, len);
        HX_EXPECT(r, 200);
        assert_int_equal(hx_json_int(r, "imported"), 0);
        assert_int_equal(hx_json_int(r, "merged"), 4);
        free(data);
        free(src);
    }
    free(stored);
    free(by_report);
    free(npath);
    free(path);
}

/* The corpora, into the second server: their objects and indicators counted. */
static void test_corpora(void **state)
{
    (void)state;
    const char *dir = getenv("YINGJI_CORPORA");
    assert_non_null(dir);
    static const struct {
        const char *file, *format;
        int64_t objects, imported;
    } cases[] = {
        {"stix21/indicator-for-c2-ip-address.json", "stix", 1, 1},
        {"stix21/indicators-for-C2-with-COA.json", "stix", 8, 2},
        {"stix21/apt1.json", "stix", 76, 10},
        {"misp/japanese_test.json", "misp", 1, 0},
        {"misp/mainly_objects_1.json", "misp", 74, 17},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        size_t len;
        char *data = hx_read_file(hx_fmt("%s/%s", dir, cases[i].file), &len);
        assert_non_null(data);
        struct hx_resp *r =
            import(admin2, hx_fmt("format=%s&source=corpus%zu", cases[i].format, i), data, len);
        free(data);
        HX_EXPECT(r, 200);
        assert_int_equal(hx_json_int(r, "objects"), cases[i].objects);
        assert_int_equal(hx_json_int(r, "imported") + hx_json_int(r, "merged"), cases[i].imported);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_scenario),
                                       cmocka_unit_test(test_corpora)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
