/*
 * test_reference.c - the editable incident reference tables through a real server
 * with an injected clock: class names, grading thresholds and reporting deadlines
 * are changed by the authority, the changes show in the lists and take effect (a
 * threshold moves the grading helper's proposal, a deadline moves the reporting
 * countdown), bad input is refused naming the field with nothing written, unknown
 * keys are 404, and each change is one audit record.
 */
#include <string.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin;

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

static struct hx_resp *patch(const char *path, json_t *body)
{
    return hx_send(admin, "PATCH", path, body, NULL);
}

/* The item of GET /api/v1/reference/<table> whose key is value (NULL: none). Borrowed
 * from the response, which lives until the harness frees it. */
static json_t *ref_item(const char *table, const char *key, const char *value)
{
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/reference/%s", table));
    HX_EXPECT(r, 200);
    size_t i;
    json_t *o;
    json_array_foreach (json_object_get(r->json, "items"), i, o)
        if (strcmp(json_string_value(json_object_get(o, key)), value) == 0)
            return o;
    return NULL;
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v)
        fail_msg("%s is not a string", key);
    return v;
}

static int64_t int_of(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    return json_integer_value(v);
}

/* The actions of the audit records on one object, oldest first, joined by spaces. */
static const char *audit_actions(const char *type, const char *id)
{
    json_t *all = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=%s&object_id=%s", type, hx_escape(id)), 200);
    const char *out = "";
    size_t i;
    json_t *rec;
    json_array_foreach (all, i, rec)
        out = hx_fmt("%s%s%s", out, *out ? " " : "", str_of(rec, "action"));
    json_decref(all);
    return out;
}

/* --- classes ------------------------------------------------------------------------ */

static json_t *subclass_of(const char *cls, const char *code)
{
    json_t *c = ref_item("incident-classes", "code", cls);
    assert_non_null(c);
    size_t i;
    json_t *s;
    json_array_foreach (json_object_get(c, "subclasses"), i, s)
        if (strcmp(str_of(s, "code"), code) == 0)
            return s;
    fail_msg("no sub-class %s", code);
    return NULL;
}

static void test_classes(void **state)
{
    (void)state;
    /* A top-level class: the answer is the row as the list shows it, sub-classes too. */
    struct hx_resp *r =
        patch("/api/v1/reference/incident-classes/MAL",
              json_pack("{s:s,s:s}", "name_zh", "恶意程序类事件", "name_en", "Malware incident"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "code"), "MAL");
    assert_string_equal(hx_json_str(r, "name_zh"), "恶意程序类事件");
    assert_string_equal(hx_json_str(r, "name_en"), "Malware incident");
    assert_string_equal(hx_json_str(r, "standard"), "2023");
    assert_true(json_array_size(json_object_get(r->json, "subclasses")) > 0);
    assert_string_equal(str_of(ref_item("incident-classes", "code", "MAL"), "name_zh"),
                        "恶意程序类事件");
    /* name_en may be cleared; name_zh is left as it was. */
    r = patch("/api/v1/reference/incident-classes/MAL", json_pack("{s:n}", "name_en"));
    HX_EXPECT(r, 200);
    assert_true(json_is_null(json_object_get(r->json, "name_en")));
    assert_string_equal(hx_json_str(r, "name_zh"), "恶意程序类事件");

    /* A sub-class: the row as the list nests it. */
    r = patch("/api/v1/reference/incident-classes/MAL.07",
              json_pack("{s:s,s:s}", "name_zh", "勒索软件感染", "name_en", "Ransomware"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "code"), "MAL.07");
    assert_string_equal(hx_json_str(r, "name_en"), "Ransomware");
    assert_string_equal(str_of(subclass_of("MAL", "MAL.07"), "name_zh"), "勒索软件感染");

    /* Bad input names the field and writes nothing, not even the good half. */
    const char *path = "/api/v1/reference/incident-classes/MAL.07";
    HX_EXPECT_ERROR(patch(path, json_pack("{s:s}", "name_zh", "")), 400, "invalid", "name_zh");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:n}", "name_zh")), 400, "invalid", "name_zh");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:i}", "name_zh", 7)), 400, "invalid", "name_zh");
    char long_name[102];
    memset(long_name, 'x', 101);
    long_name[101] = '\0';
    HX_EXPECT_ERROR(
        patch(path, json_pack("{s:s,s:s}", "name_zh", "半截写入", "name_en", long_name)), 400,
        "invalid", "name_en");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:s}", "code", "MAL.99")), 400, "invalid", "code");
    /* Two sub-classes of one class cannot share a name. */
    const char *sibling = str_of(subclass_of("MAL", "MAL.01"), "name_zh");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:s}", "name_zh", sibling)), 409, "conflict",
                    "name_zh");
    json_t *s = subclass_of("MAL", "MAL.07");
    assert_string_equal(str_of(s, "name_zh"), "勒索软件感染");
    assert_string_equal(str_of(s, "name_en"), "Ransomware");

    HX_EXPECT_ERROR(
        patch("/api/v1/reference/incident-classes/NOPE", json_pack("{s:s}", "name_zh", "不存在")),
        404, "not_found", NULL);
    assert_string_equal(audit_actions("incident_class", "MAL"),
                        "incident_class.update incident_class.update");
    assert_string_equal(audit_actions("incident_class", "MAL.07"), "incident_class.update");
    assert_string_equal(audit_actions("incident_class", "NOPE"), "");
}

/* --- grading thresholds ------------------------------------------------------------ */

static const char *proposed_for(json_int_t records)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/reference/grading-proposal",
                                json_pack("{s:{s:I}}", "facts", "personal_records", records));
    HX_EXPECT(r, 200);
    return hx_fmt("%s", hx_json_str(r, "level"));
}

static json_t *rule_of(const char *metric, const char *level)
{
    struct hx_resp *r = hx_get(admin, "/api/v1/reference/grading-rules");
    HX_EXPECT(r, 200);
    size_t i;
    json_t *o;
    json_array_foreach (json_object_get(r->json, "items"), i, o)
        if (strcmp(str_of(o, "metric"), metric) == 0 && strcmp(str_of(o, "level"), level) == 0)
            return o;
    return NULL;
}

static void test_grading_rules(void **state)
{
    (void)state;
    const char *path = "/api/v1/reference/grading-rules/personal_records/major";
    /* Seeded: 10 million records for 重大, 1 million for 较大. */
    assert_string_equal(proposed_for(5000000), "significant");
    struct hx_resp *r =
        hx_send(admin, "PUT", path,
                json_pack("{s:I,s:b}", "threshold", (json_int_t)4000000, "confirmed", 1), NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "metric"), "personal_records");
    assert_string_equal(hx_json_str(r, "level"), "major");
    assert_int_equal(hx_json_int(r, "threshold"), 4000000);
    assert_true(json_is_true(json_object_get(r->json, "confirmed")));
    json_t *row = rule_of("personal_records", "major");
    assert_non_null(row);
    assert_int_equal(int_of(row, "threshold"), 4000000);
    assert_true(json_is_true(json_object_get(row, "confirmed")));
    assert_string_equal(proposed_for(5000000), "major");

    /* A row the seed lacks is added: 一般 from 1000 records. */
    assert_null(rule_of("personal_records", "general"));
    HX_EXPECT(hx_send(admin, "PUT", "/api/v1/reference/grading-rules/personal_records/general",
                      json_pack("{s:i,s:b}", "threshold", 1000, "confirmed", 0), NULL),
              200);
    assert_int_equal(int_of(rule_of("personal_records", "general"), "threshold"), 1000);

    /* Bad input names the field; nothing changes. */
    HX_EXPECT_ERROR(
        hx_send(admin, "PUT", path, json_pack("{s:i,s:b}", "threshold", 0, "confirmed", 1), NULL),
        400, "invalid", "threshold");
    HX_EXPECT_ERROR(hx_send(admin, "PUT", path,
                            json_pack("{s:s,s:b}", "threshold", "many", "confirmed", 1), NULL),
                    400, "invalid", "threshold");
    HX_EXPECT_ERROR(hx_send(admin, "PUT", path, json_pack("{s:i}", "threshold", 5), NULL), 400,
                    "invalid", "confirmed");
    HX_EXPECT_ERROR(hx_send(admin, "PUT", path,
                            json_pack("{s:i,s:s}", "threshold", 5, "confirmed", "yes"), NULL),
                    400, "invalid", "confirmed");
    HX_EXPECT_ERROR(
        hx_send(admin, "PUT", path,
                json_pack("{s:i,s:b,s:s}", "threshold", 5, "confirmed", 1, "level", "general"),
                NULL),
        400, "invalid", "level");
    assert_int_equal(int_of(rule_of("personal_records", "major"), "threshold"), 4000000);

    json_t *ok = json_pack("{s:i,s:b}", "threshold", 5, "confirmed", 1);
    HX_EXPECT_ERROR(hx_send(admin, "PUT", "/api/v1/reference/grading-rules/shoe_size/major",
                            json_incref(ok), NULL),
                    404, "not_found", NULL);
    HX_EXPECT_ERROR(
        hx_send(admin, "PUT", "/api/v1/reference/grading-rules/personal_records/huge", ok, NULL),
        404, "not_found", NULL);
    assert_string_equal(audit_actions("grading_rule", "personal_records/major"),
                        "grading_rule.set");
    assert_string_equal(audit_actions("grading_rule", "personal_records/general"),
                        "grading_rule.set");
}

/* --- reporting deadlines ------------------------------------------------------------- */

static int64_t significant_incident(int64_t discovered_at)
{
    struct hx_resp *r =
        hx_post(admin, "/api/v1/incidents",
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", "某市政务网站被篡改",
                          "affected_org", "六盘水市某局", "operator_type", "other", "province",
                          "贵州省", "city", "六盘水市", "discovered_at", hx_time(discovered_at),
                          "source", "monitoring_alert", "class_code", "OTH"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    const char *etag = hx_fmt("%s", r->etag);
    r = hx_send(admin, "POST", hx_fmt("/api/v1/incidents/%lld/grade", (long long)id),
                json_pack("{s:{s:s,s:s}}", "facts", "importance", "important", "loss", "serious"),
                etag);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "level"), "significant");
    return id;
}

/* The first report's due time of incident id, in ms. */
static int64_t first_due(int64_t id)
{
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/incidents/%lld/reporting", (long long)id));
    HX_EXPECT(r, 200);
    size_t i;
    json_t *o;
    json_array_foreach (json_object_get(r->json, "obligations"), i, o)
        if (strcmp(str_of(o, "kind"), "first") == 0) {
            int64_t ms = 0;
            if (yj_time_parse(str_of(o, "due_at"), &ms) != 0)
                fail_msg("due_at is not a time");
            return ms;
        }
    fail_msg("no first report owed");
    return 0;
}

static void test_report_deadlines(void **state)
{
    (void)state;
    int64_t found = srv->now_ms - 10 * HX_MINUTE_MS;
    int64_t id = significant_incident(found);
    /* Seeded: another operator reports within 4 hours. */
    assert_int_equal(first_due(id), found + 240 * HX_MINUTE_MS);

    const char *path = "/api/v1/reference/report-deadlines/other";
    struct hx_resp *r = patch(
        path, json_pack("{s:s,s:i}", "recipient_zh", "属地地市级网信部门", "first_minutes", 90));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "operator_type"), "other");
    assert_string_equal(hx_json_str(r, "recipient_zh"), "属地地市级网信部门");
    assert_int_equal(hx_json_int(r, "first_minutes"), 90);
    assert_int_equal(hx_json_int(r, "pass_on_minutes"), 60);
    assert_int_equal(hx_json_int(r, "final_days"), 30);
    assert_int_equal(
        int_of(ref_item("report-deadlines", "operator_type", "other"), "first_minutes"), 90);
    /* The open incident's countdown follows the table. */
    assert_int_equal(first_due(id), found + 90 * HX_MINUTE_MS);
    r = hx_get(admin, hx_fmt("/api/v1/incidents/%lld/reporting", (long long)id));
    assert_string_equal(hx_json_str(r, "recipient_zh"), "属地地市级网信部门");

    /* Bad input names the field; the good half is not written either. */
    static const struct {
        const char *key;
        int value;
    } bad[] = {{"first_minutes", 0},      {"first_minutes", 1441}, {"pass_on_minutes", 0},
               {"pass_on_minutes", 1441}, {"final_days", 0},       {"final_days", 366}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        HX_EXPECT_ERROR(
            patch(path, json_pack("{s:i,s:i}", "first_minutes", 30, bad[i].key, bad[i].value)), 400,
            "invalid", bad[i].key);
    HX_EXPECT_ERROR(patch(path, json_pack("{s:s}", "recipient_zh", "")), 400, "invalid",
                    "recipient_zh");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:n}", "recipient_zh")), 400, "invalid",
                    "recipient_zh");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:s}", "first_minutes", "soon")), 400, "invalid",
                    "first_minutes");
    HX_EXPECT_ERROR(patch(path, json_pack("{s:s}", "name_zh", "其他")), 400, "invalid", "name_zh");
    json_t *row = ref_item("report-deadlines", "operator_type", "other");
    assert_int_equal(int_of(row, "first_minutes"), 90);
    assert_string_equal(str_of(row, "recipient_zh"), "属地地市级网信部门");

    HX_EXPECT_ERROR(
        patch("/api/v1/reference/report-deadlines/alien", json_pack("{s:i}", "first_minutes", 60)),
        404, "not_found", NULL);
    assert_string_equal(audit_actions("report_deadline", "other"), "report_deadline.update");
    assert_string_equal(audit_actions("report_deadline", "alien"), "");

    /* Back to the seeded row for whatever runs next. */
    HX_EXPECT(patch(path, json_pack("{s:s,s:i}", "recipient_zh", "属地省级网信部门",
                                    "first_minutes", 240)),
              200);
    assert_int_equal(first_due(id), found + 240 * HX_MINUTE_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_grading_rules),
        cmocka_unit_test(test_report_deadlines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
