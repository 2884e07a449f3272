/*
 * test_threats.c - threat reports and early warnings through a real server with an
 * injected clock. A unit files a botnet report with two five-tuples, its C&C address
 * and a sample hash (the disposal suggestion pre-filled from the category) and
 * submits it; the authority returns it, the unit amends and submits again, the
 * authority accepts it and makes it an incident that the unit takes part in; the
 * accepted report counts for the unit's year. Another unit sees none of it. Bad
 * input is refused naming the field, and a refused change leaves nothing behind.
 * Evidence files go up and come down. An early warning is written, submitted and
 * published; another unit reads it as a bulletin, never a draft.
 */
#include <string.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin, *auditor, *unit_a, *unit_b, *expert;
static int64_t unit_a_id, unit_b_id;

#define SHA256_SAMPLE "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define CERT_SHA256 "AB:CD" /* not a certificate hash: refused */

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    unit_a_id = hx_unit_create(admin, hx_unit_doc("威胁监测甲单位"));
    unit_b_id = hx_unit_create(admin, hx_unit_doc("威胁监测乙单位"));
    unit_a = hx_tokened(srv, hx_user_client(admin, "unit", unit_a_id));
    unit_b = hx_tokened(srv, hx_user_client(admin, "unit", unit_b_id));
    auditor = hx_tokened(srv, hx_user_client(admin, "auditor", 0));
    expert = hx_tokened(srv, hx_user_client(admin, "expert", 0));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(unit_a);
    hx_client_free(unit_b);
    hx_client_free(auditor);
    hx_client_free(expert);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

static const char *report_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/threat-reports/%lld%s", (long long)id, rest);
}

static const char *warning_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/early-warnings/%lld%s", (long long)id, rest);
}

static json_t *five_tuple(const char *src, int sport, const char *dst, int dport)
{
    return json_pack("{s:s,s:i,s:s,s:i,s:s,s:s,s:s,s:i}", "src_ip", src, "src_port", sport,
                     "dst_ip", dst, "dst_port", dport, "protocol", "tcp", "first_seen",
                     hx_time(srv->now_ms - 6 * HX_HOUR_MS), "last_seen",
                     hx_time(srv->now_ms - HX_HOUR_MS), "count", 37);
}

/* A botnet report: two five-tuples to its C&C, the C&C by address and by name, a sample. */
static json_t *botnet_doc(void)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:[o,o],s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]}",
                     "category", "botnet", "title", "辖区内 Mirai 变种僵尸网络活动", "summary",
                     "监测发现辖区内 23 台物联网设备连接境外控制端。", "propagation_path",
                     "弱口令爆破 Telnet 后下载执行样本", "affected",
                     "六盘水市某运营商宽带用户 23 户", "five_tuples",
                     five_tuple("10.20.30.40", 49152, "198.51.100.23", 8443),
                     five_tuple("10.20.30.41", 50000, "198.51.100.23", 8443), "indicators", "type",
                     "ipv4", "value", "198.51.100.23", "role", "c2", "type", "domain", "value",
                     "CNC.Mirai-Variant.example", "role", "c2", "type", "sha256", "value",
                     SHA256_SAMPLE, "role", "sample");
}

/* botnet_doc's indicators and a mobile app with its signing certificate. */
static json_t *indicators_with_app(void)
{
    json_t *doc = botnet_doc();
    json_t *arr = json_incref(json_object_get(doc, "indicators"));
    json_decref(doc);
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "type", "app", "value",
                                         "com.example.fakebank|" SHA256_SAMPLE, "role", "app"));
    return arr;
}

static int64_t file_report(struct hx_client *c, json_t *doc)
{
    struct hx_resp *r = hx_post(c, "/api/v1/threat-reports", doc);
    HX_EXPECT(r, 201);
    assert_string_equal(hx_json_str(r, "status"), "draft");
    assert_string_equal(r->etag, "\"1\"");
    return hx_json_int(r, "id");
}

static bool has_action(json_t *records, const char *action)
{
    size_t i;
    json_t *rec;
    json_array_foreach (records, i, rec)
        if (strcmp(json_string_value(json_object_get(rec, "action")), action) == 0)
            return true;
    return false;
}

static void test_report_return_accept_incident(void **state)
{
    (void)state;
    int64_t id = file_report(unit_a, botnet_doc());
    struct hx_resp *r = hx_get(unit_a, report_path(id, ""));
    HX_EXPECT(r, 200);
    /* Pre-filled from the category: block the C&C's address and its domain's resolution. */
    json_t *d = json_object_get(r->json, "disposal");
    assert_string_equal(json_string_value(json_object_get(d, "measure")), "block_resource");
    assert_int_equal(json_array_size(json_object_get(d, "blocks")), 2);
    assert_int_equal(json_array_size(json_object_get(r->json, "five_tuples")), 2);
    json_t *inds = json_object_get(r->json, "indicators");
    assert_int_equal(json_array_size(inds), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(inds, 1), "value")),
                        "cnc.mirai-variant.example");
    assert_int_equal(hx_json_int(r, "unit_id"), unit_a_id);

    /* Nobody else's unit sees it; experts never. */
    HX_EXPECT_ERROR(hx_get(unit_b, report_path(id, "")), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(expert, report_path(id, "")), 403, "forbidden", NULL);
    json_t *seen = hx_list_all(unit_b, "/api/v1/threat-reports", 50);
    assert_int_equal(json_array_size(seen), 0);
    json_decref(seen);
    HX_EXPECT(hx_get(auditor, report_path(id, "")), 200);

    /* Submitted, it is no longer the unit's to change. */
    HX_EXPECT(hx_send(unit_a, "POST", report_path(id, "/submit"), NULL, hx_etag(1)), 200);
    HX_EXPECT_ERROR(hx_send(unit_a, "PATCH", report_path(id, ""),
                            json_pack("{s:s}", "summary", "改"), hx_etag(2)),
                    409, "conflict", "status");
    /* Returning needs a comment; the authority does not edit a unit's report. */
    HX_EXPECT_ERROR(hx_send(admin, "POST", report_path(id, "/review"),
                            json_pack("{s:s}", "decision", "return"), hx_etag(2)),
                    400, "invalid", "comment");
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", report_path(id, ""),
                            json_pack("{s:s}", "summary", "改"), hx_etag(2)),
                    403, "forbidden", NULL);
    r = hx_send(admin, "POST", report_path(id, "/review"),
                json_pack("{s:s,s:s}", "decision", "return", "comment", "请补充样本的移动应用信息"),
                hx_etag(2));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "returned");
    assert_string_equal(hx_json_str(r, "review_comment"), "请补充样本的移动应用信息");
    HX_EXPECT_ERROR(hx_send(admin, "POST", report_path(id, "/review"),
                            json_pack("{s:s}", "decision", "accept"), hx_etag(3)),
                    409, "conflict", "status");

    /* The unit amends (adds the app and its signing certificate) and submits again. */
    r = hx_send(unit_a, "PATCH", report_path(id, ""),
                json_pack("{s:o}", "indicators", indicators_with_app()), hx_etag(2));
    HX_EXPECT_ERROR(r, 412, "precondition_failed", "If-Match");
    r = hx_send(unit_a, "PATCH", report_path(id, ""),
                json_pack("{s:o}", "indicators", indicators_with_app()), hx_etag(3));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "indicators")), 4);
    assert_int_equal(json_array_size(json_object_get(r->json, "five_tuples")), 2);
    HX_EXPECT(hx_send(unit_a, "POST", report_path(id, "/submit"), NULL, hx_etag(4)), 200);

    /* Accepted; then an incident, once. */
    HX_EXPECT_ERROR(hx_post(admin, report_path(id, "/incident"), json_object()), 409, "conflict",
                    "status");
    r = hx_send(admin, "POST", report_path(id, "/review"),
                json_pack("{s:s,s:s}", "decision", "accept", "comment", "情况属实"), hx_etag(5));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "accepted");
    assert_int_equal(json_array_size(json_object_get(r->json, "reviews")), 2);
    HX_EXPECT_ERROR(hx_post(unit_a, report_path(id, "/incident"), json_object()), 403, "forbidden",
                    NULL);
    r = hx_post(admin, report_path(id, "/incident"),
                json_pack("{s:s,s:s}", "operator_type", "other", "province", "贵州省"));
    HX_EXPECT(r, 201);
    int64_t incident = hx_json_int(r, "id");
    assert_string_equal(hx_json_str(r, "source"), "unit_discovery");
    assert_int_equal(hx_json_int(r, "source_unit_id"), unit_a_id);
    assert_string_equal(hx_json_str(r, "subclass_code"), "MAL.04");
    assert_int_equal(json_array_size(json_object_get(r->json, "indicators")), 4);
    assert_string_equal(hx_json_str(r, "discovered_at"), hx_time(srv->now_ms - 6 * HX_HOUR_MS));
    HX_EXPECT_ERROR(hx_post(admin, report_path(id, "/incident"), NULL), 409, "conflict",
                    "incident_id");
    r = hx_get(unit_a, report_path(id, ""));
    assert_int_equal(hx_json_int(r, "incident_id"), incident);
    /* The unit takes part in the incident as its discoverer; the other unit does not. */
    HX_EXPECT(hx_get(unit_a, hx_fmt("/api/v1/incidents/%lld", (long long)incident)), 200);
    HX_EXPECT(hx_get(unit_b, hx_fmt("/api/v1/incidents/%lld", (long long)incident)), 404);

    /* The year's count: one return, one acceptance for unit A; a unit sees its own row. */
    r = hx_get(admin, "/api/v1/threat-reports/stats?year=2026");
    HX_EXPECT(r, 200);
    json_t *row = json_array_get(json_object_get(r->json, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(row, "unit_id")), unit_a_id);
    assert_int_equal(json_integer_value(json_object_get(row, "accepted")), 1);
    assert_int_equal(json_integer_value(json_object_get(row, "returned")), 1);
    r = hx_get(unit_b, "/api/v1/threat-reports/stats?year=2026");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    r = hx_get(admin, "/api/v1/threat-reports/stats?year=2025");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/threat-reports/stats?year=26"), 400, "invalid", "year");

    /* Every step is in the audit chain. */
    json_t *audit = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=threat_report&object_id=%lld", (long long)id),
        200);
    static const char *const actions[] = {"threat.create", "threat.submit", "threat.review",
                                          "threat.update", "threat.incident"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(actions); k++)
        if (!has_action(audit, actions[k]))
            fail_msg("no %s in the audit chain", actions[k]);
    json_decref(audit);
}

/* Bad input names the field; a refused create or change writes nothing. */
static void test_bad_input(void **state)
{
    (void)state;
    struct {
        const char *key;
        json_t *value;
        const char *field;
    } cases[] = {
        {"five_tuples",
         json_pack("[o,{s:s,s:i,s:s,s:i,s:s}]", five_tuple("10.0.0.1", 1, "198.51.100.1", 80),
                   "src_ip", "10.0.0.2", "src_port", 2, "dst_ip", "198.51.100.2", "dst_port", 70000,
                   "protocol", "tcp"),
         "five_tuples[1].dst_port"},
        {"five_tuples",
         json_pack("[{s:s,s:s,s:s}]", "src_ip", "999.1.1.1", "dst_ip", "1.1.1.1", "protocol",
                   "icmp"),
         "five_tuples[0].src_ip"},
        {"five_tuples",
         json_pack("[{s:s,s:s,s:s}]", "src_ip", "10.0.0.1", "dst_ip", "1.1.1.1", "protocol", "tcp"),
         "five_tuples[0].src_port"},
        {"indicators",
         json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]", "type", "ipv4", "value",
                   "198.51.100.9", "role", "c2", "type", "domain", "value", "a.example", "role",
                   "c2", "type", "md5", "value", "not-a-hash", "role", "sample"),
         "indicators[2].value"},
        {"indicators",
         json_pack("[{s:s,s:s,s:s}]", "type", "ipv4", "value", "198.51.100.9", "role", "sample"),
         "indicators[0].role"},
        {"indicators",
         json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "type", "ipv4", "value", "198.51.100.9", "role",
                   "c2", "type", "ipv4", "value", " 198.51.100.9", "role", "c2"),
         "indicators[1].value"},
        {"indicators",
         json_pack("[{s:s,s:s,s:s}]", "type", "app", "value", "com.example.x|" CERT_SHA256, "role",
                   "app"),
         "indicators[0].value"},
        {"category", json_string("apt"), "category"},
        {"disposal", json_pack("{s:s,s:[]}", "measure", "block_resource", "blocks"),
         "disposal.blocks"},
        {"disposal", json_pack("{s:s,s:[s]}", "measure", "block_resource", "blocks", "dns"),
         "disposal.blocks[0]"},
        {"disposal", json_pack("{s:s}", "measure", "other"), "disposal.text"},
        {"disposal", json_pack("{s:s}", "measure", "shutdown"), "disposal.measure"},
        {"colour", json_string("red"), "colour"},
    };
    json_t *before = hx_list_all(admin, "/api/v1/threat-reports", 200);
    for (size_t k = 0; k < YJ_ARRAY_LEN(cases); k++) {
        json_t *doc = botnet_doc();
        json_object_set_new(doc, cases[k].key, cases[k].value);
        HX_EXPECT_ERROR(hx_post(unit_a, "/api/v1/threat-reports", doc), 400, "invalid",
                        cases[k].field);
    }
    json_t *after = hx_list_all(admin, "/api/v1/threat-reports", 200);
    assert_int_equal(json_array_size(after), json_array_size(before));
    json_decref(before);
    json_decref(after);

    /* A refused PATCH leaves the report as it was. */
    int64_t id = file_report(unit_a, botnet_doc());
    HX_EXPECT_ERROR(
        hx_send(unit_a, "PATCH", report_path(id, ""),
                json_pack("{s:s,s:[o,{s:s}]}", "summary", "新的摘要", "five_tuples",
                          five_tuple("10.0.0.1", 1, "198.51.100.1", 80), "src_ip", "10.0.0.1"),
                hx_etag(1)),
        400, "invalid", "five_tuples[1].dst_ip");
    HX_EXPECT_ERROR(
        hx_send(unit_a, "PATCH", report_path(id, ""), json_pack("{s:s}", "summary", "x"), NULL),
        428, "precondition_required", "If-Match");
    struct hx_resp *r = hx_get(unit_a, report_path(id, ""));
    assert_string_equal(r->etag, "\"1\"");
    assert_string_equal(hx_json_str(r, "summary"),
                        "监测发现辖区内 23 台物联网设备连接境外控制端。");
    assert_int_equal(json_array_size(json_object_get(r->json, "five_tuples")), 2);

    /* Submitting needs what DOMAIN.md asks: a botnet report without its C&C is incomplete. */
    json_t *no_c2 =
        json_pack("[{s:s,s:s,s:s}]", "type", "sha256", "value", SHA256_SAMPLE, "role", "sample");
    HX_EXPECT(hx_send(unit_a, "PATCH", report_path(id, ""), json_pack("{s:o}", "indicators", no_c2),
                      hx_etag(1)),
              200);
    HX_EXPECT_ERROR(hx_send(unit_a, "POST", report_path(id, "/submit"), NULL, hx_etag(2)), 422,
                    "incomplete", "indicators");
    HX_EXPECT(hx_send(unit_a, "PATCH", report_path(id, ""),
                      json_pack("{s:n,s:[]}", "summary", "five_tuples"), hx_etag(2)),
              200);
    HX_EXPECT_ERROR(hx_send(unit_a, "POST", report_path(id, "/submit"), NULL, hx_etag(3)), 422,
                    "incomplete", "summary");
    HX_EXPECT_ERROR(hx_get(unit_a, "/api/v1/threat-reports?status=open"), 400, "invalid", "status");
    HX_EXPECT_ERROR(hx_get(unit_a, "/api/v1/threat-reports?colour=red"), 400, "invalid", "colour");
}

static void test_files(void **state)
{
    (void)state;
    int64_t id = file_report(unit_a, botnet_doc());
    size_t len;
    char *pdf = hx_fixture("sample.pdf", &len);
    struct hx_resp *r = hx_send_raw(
        unit_a, "POST", hx_fmt("%s?filename=%s", report_path(id, "/files"), hx_escape("抓包.pdf")),
        "application/pdf", pdf, len);
    HX_EXPECT(r, 201);
    assert_int_equal(hx_json_int(r, "seq"), 1);
    assert_string_equal(hx_json_str(r, "media_type"), "application/pdf");
    HX_EXPECT_ERROR(
        hx_send_raw(unit_a, "POST", report_path(id, "/files"), "application/pdf", pdf, len), 400,
        "invalid", "filename");
    HX_EXPECT(hx_send_raw(unit_b, "POST", hx_fmt("%s?filename=x.pdf", report_path(id, "/files")),
                          "application/pdf", pdf, len),
              404);
    r = hx_get(unit_a, report_path(id, "/files"));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = hx_get(admin, report_path(id, "/files/1/content"));
    HX_EXPECT(r, 200);
    assert_int_equal(r->body_len, len);
    assert_memory_equal(r->body, pdf, len);
    HX_EXPECT(hx_get(unit_b, report_path(id, "/files/1/content")), 404);
    HX_EXPECT(hx_get(unit_a, report_path(id, "/files/2/content")), 404);
    /* Once submitted, the evidence is fixed. */
    HX_EXPECT(hx_send(unit_a, "POST", report_path(id, "/submit"), NULL, hx_etag(1)), 200);
    HX_EXPECT_ERROR(hx_send_raw(unit_a, "POST",
                                hx_fmt("%s?filename=y.pdf", report_path(id, "/files")),
                                "application/pdf", pdf, len),
                    409, "conflict", "status");
    free(pdf);
}

/* --- early warnings -------------------------------------------------------------------------- */

static json_t *warning_doc(const char *title)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s}],s:[s,s,s]}", "title",
                     title, "event_at", hx_time(srv->now_ms - 2 * HX_HOUR_MS), "description",
                     "Apache Log4j2 远程代码执行漏洞被大规模利用。", "cause",
                     "JNDI 查找功能未限制远程加载。", "impact", "辖区内大量 Java 应用受影响。",
                     "countermeasures", "升级至 2.17.1 及以上版本。", "analysis",
                     "攻击者利用 ${jndi:ldap://} 载荷植入挖矿木马。", "colour", "red",
                     "affected_products", "vendor", "Apache", "product", "Log4j2", "versions",
                     "2.0-beta9 至 2.14.1", "references", "CVE-2021-44228", "cnvd-2021-95914",
                     "CNNVD-202112-799");
}

static void test_warning_to_bulletin(void **state)
{
    (void)state;
    struct hx_resp *r = hx_post(unit_a, "/api/v1/early-warnings", warning_doc("Log4j2 漏洞预警"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    json_t *refs = json_object_get(r->json, "references");
    assert_string_equal(json_string_value(json_array_get(refs, 1)), "CNVD-2021-95914");
    assert_string_equal(hx_json_str(r, "colour_name_zh"), "红色");

    /* A draft is its writer's alone. */
    HX_EXPECT_ERROR(hx_get(unit_b, warning_path(id, "")), 404, "not_found", NULL);
    r = hx_get(unit_b, "/api/v1/bulletins");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    HX_EXPECT_ERROR(hx_get(expert, "/api/v1/bulletins"), 403, "forbidden", NULL);

    /* Bad input names the field. */
    json_t *bad = warning_doc("x");
    json_object_set_new(bad, "references", json_pack("[s,s]", "CVE-2021-44228", "CVE-21-1"));
    HX_EXPECT_ERROR(hx_post(unit_a, "/api/v1/early-warnings", bad), 400, "invalid",
                    "references[1]");
    bad = warning_doc("x");
    json_object_set_new(bad, "colour", json_string("purple"));
    HX_EXPECT_ERROR(hx_post(unit_a, "/api/v1/early-warnings", bad), 400, "invalid", "colour");
    bad = warning_doc("x");
    json_object_set_new(bad, "affected_products", json_pack("[{s:s}]", "vendor", "Apache"));
    HX_EXPECT_ERROR(hx_post(unit_a, "/api/v1/early-warnings", bad), 400, "invalid",
                    "affected_products[0].product");

    /* Incomplete: no cause. */
    r = hx_post(unit_a, "/api/v1/early-warnings",
                json_pack("{s:s,s:s}", "title", "未完成的预警", "description", "描述"));
    HX_EXPECT(r, 201);
    int64_t draft = hx_json_int(r, "id");
    HX_EXPECT_ERROR(hx_send(unit_a, "POST", warning_path(draft, "/submit"), NULL, hx_etag(1)), 422,
                    "incomplete", "event_at");

    /* Submitted and published. */
    HX_EXPECT(hx_send(unit_a, "POST", warning_path(id, "/submit"), NULL, hx_etag(1)), 200);
    HX_EXPECT_ERROR(hx_send(admin, "POST", warning_path(id, "/review"),
                            json_pack("{s:s}", "decision", "reject"), hx_etag(2)),
                    400, "invalid", "comment");
    HX_EXPECT_ERROR(hx_send(unit_a, "POST", warning_path(id, "/review"),
                            json_pack("{s:s}", "decision", "publish"), hx_etag(2)),
                    403, "forbidden", NULL);
    r = hx_send(admin, "POST", warning_path(id, "/review"),
                json_pack("{s:s}", "decision", "publish"), hx_etag(2));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "published");
    assert_non_null(hx_json_str(r, "published_at"));

    /* Another unit reads it as a bulletin, without the review's details, and never the
     * draft; its own list of warnings stays its own. */
    r = hx_get(unit_b, "/api/v1/bulletins");
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);
    r = hx_get(unit_b, warning_path(id, ""));
    HX_EXPECT(r, 200);
    assert_null(json_object_get(r->json, "reviews"));
    assert_null(json_object_get(r->json, "review_comment"));
    assert_int_equal(json_array_size(json_object_get(r->json, "references")), 3);
    HX_EXPECT(hx_get(unit_b, warning_path(draft, "")), 404);
    json_t *own = hx_list_all(unit_b, "/api/v1/early-warnings", 50);
    assert_int_equal(json_array_size(own), 0);
    json_decref(own);
    own = hx_list_all(unit_a, "/api/v1/early-warnings", 50);
    assert_int_equal(json_array_size(own), 2);
    json_decref(own);
    /* The writer still sees the review; a published warning is not changed. */
    r = hx_get(unit_a, warning_path(id, ""));
    assert_int_equal(json_array_size(json_object_get(r->json, "reviews")), 1);
    HX_EXPECT_ERROR(hx_send(unit_a, "PATCH", warning_path(id, ""),
                            json_pack("{s:s}", "title", "改"), hx_etag(3)),
                    409, "conflict", "status");

    /* By vulnerability, in any case. */
    r = hx_get(unit_b, "/api/v1/bulletins?ref=cve-2021-44228");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = hx_get(unit_b, "/api/v1/bulletins?ref=CVE-2014-0160");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    HX_EXPECT_ERROR(hx_get(unit_b, "/api/v1/bulletins?ref=heartbleed"), 400, "invalid", "ref");

    /* A returned and then rejected warning never becomes a bulletin. */
    r = hx_post(unit_b, "/api/v1/early-warnings", warning_doc("乙单位的预警"));
    int64_t other = hx_json_int(r, "id");
    HX_EXPECT(hx_send(unit_b, "POST", warning_path(other, "/submit"), NULL, hx_etag(1)), 200);
    HX_EXPECT(hx_send(admin, "POST", warning_path(other, "/review"),
                      json_pack("{s:s,s:s}", "decision", "return", "comment", "补充影响范围"),
                      hx_etag(2)),
              200);
    HX_EXPECT(hx_send(unit_b, "PATCH", warning_path(other, ""),
                      json_pack("{s:s}", "impact", "影响省内 120 个系统。"), hx_etag(3)),
              200);
    HX_EXPECT(hx_send(unit_b, "POST", warning_path(other, "/submit"), NULL, hx_etag(4)), 200);
    HX_EXPECT(hx_send(admin, "POST", warning_path(other, "/review"),
                      json_pack("{s:s,s:s}", "decision", "reject", "comment", "已有通报"),
                      hx_etag(5)),
              200);
    r = hx_get(unit_a, "/api/v1/bulletins");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    HX_EXPECT(hx_get(unit_a, warning_path(other, "")), 404);
    json_t *audit = hx_list_all(
        auditor, hx_fmt("/api/v1/audit?object_type=early_warning&object_id=%lld", (long long)other),
        200);
    assert_true(has_action(audit, "warning.create") && has_action(audit, "warning.update") &&
                has_action(audit, "warning.submit") && has_action(audit, "warning.review"));
    json_decref(audit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_return_accept_incident),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_warning_to_bulletin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
