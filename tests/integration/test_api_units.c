/*
 * test_api_units.c - the unit registry through the API: create (201, Location,
 * ETag), read, list, search and paging, optimistic concurrency with
 * ETag/If-Match, JSON merge-patch semantics, soft delete, a unit's history and
 * duplicate credit codes.
 */
#include "harness.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *admin;

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_login_admin(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_server_free(srv);
    return 0;
}

static const char *unit_path(int64_t id)
{
    return hx_fmt("/api/v1/units/%lld", (long long)id);
}

/* Fails unless every key of want has an equal value in got. */
static void expect_subset(const json_t *want, const json_t *got, const char *what)
{
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)want, key, v) {
        json_t *g = json_object_get(got, key);
        if (!g || !json_equal(v, g)) {
            char *ws = json_dumps(v, JSON_COMPACT), *gs = g ? json_dumps(g, JSON_COMPACT) : NULL;
            print_error("%s: \"%s\" is %s, expected %s\n", what, key, gs ? gs : "(absent)", ws);
            free(ws);
            free(gs);
            fail();
        }
    }
}

static bool is_rfc3339_utc_ms(const char *s)
{
    int64_t ms;
    return s && strlen(s) == 24 && s[23] == 'Z' && s[19] == '.' && yj_time_parse(s, &ms) == 0;
}

static void test_create_and_read(void **state)
{
    (void)state;
    json_t *doc = hx_unit_doc("创建读取单位");
    json_t *want = json_deep_copy(doc);
    struct hx_resp *r = hx_post(admin, "/api/v1/units", doc);
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    assert_true(id > 0);
    assert_int_equal(hx_json_int(r, "version"), 1);
    assert_non_null(r->location);
    assert_string_equal(r->location, unit_path(id));
    assert_non_null(r->etag);
    assert_string_equal(r->etag, "\"1\"");
    assert_true(strncmp(r->content_type, "application/json", 16) == 0);
    expect_subset(want, r->json, "the create answer");
    assert_true(is_rfc3339_utc_ms(hx_json_str(r, "created_at")));
    assert_true(is_rfc3339_utc_ms(hx_json_str(r, "updated_at")));
    assert_null(json_object_get(r->json, "personal_data_hidden"));

    /* What was stored reads back exactly as it was answered. */
    struct hx_resp *g = hx_get(admin, r->location);
    HX_EXPECT(g, 200);
    assert_string_equal(g->etag, "\"1\"");
    expect_subset(want, g->json, "the unit read back");
    if (!json_equal(r->json, g->json))
        fail_msg("create answer and read differ:\n%s\n%s", r->body, g->body);
    json_decref(want);

    /* A minimal unit is fine too; absent sections read as empty lists. */
    r = hx_post(admin, "/api/v1/units", hx_unit_min("最小单位"));
    HX_EXPECT(r, 201);
    assert_int_equal(json_array_size(json_object_get(r->json, "contacts")), 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "offices")), 0);
    assert_null(json_object_get(r->json, "registered_capital"));
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units/987654321"), 404, "not_found", NULL);
    static const char *const bad_ids[] = {"abc", "0", "-1", "99999999999999999999", "1.0", "%201"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad_ids); i++)
        HX_EXPECT_ERROR(hx_get(admin, hx_fmt("/api/v1/units/%s", bad_ids[i])), 404, "not_found",
                        NULL);
}

/* Times come from the server's clock; "not in the future" means China's calendar date. */
static void test_times_from_the_clock(void **state)
{
    (void)state;
    int64_t cst_midnight = HX_CLOCK_START - 8 * HX_HOUR_MS; /* 2026-06-01 00:00 in Beijing */
    hx_clock_set(srv, cst_midnight);
    json_t *doc = hx_unit_min("今天成立");
    json_object_set_new(doc, "founded_on", json_string("2026-06-01"));
    struct hx_resp *r = hx_post(admin, "/api/v1/units", doc);
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    assert_string_equal(hx_json_str(r, "created_at"), "2026-05-31T16:00:00.000Z");
    assert_string_equal(hx_json_str(r, "updated_at"), "2026-05-31T16:00:00.000Z");
    doc = hx_unit_min("明天成立");
    json_object_set_new(doc, "founded_on", json_string("2026-06-02"));
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/units", doc), 400, "invalid", "founded_on");

    hx_clock_set(srv, cst_midnight - 1); /* 23:59:59.999 on 31 May in Beijing */
    doc = hx_unit_min("今天成立");
    json_object_set_new(doc, "founded_on", json_string("2026-06-01"));
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/units", doc), 400, "invalid", "founded_on");

    hx_clock_set(srv, HX_CLOCK_START + 90123); /* 2026-06-01T00:01:30.123Z */
    r = hx_send(admin, "PATCH", unit_path(id), json_pack("{s:s}", "city", "贵阳市"), "\"1\"");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "created_at"), "2026-05-31T16:00:00.000Z");
    assert_string_equal(hx_json_str(r, "updated_at"), "2026-06-01T00:01:30.123Z");
    json_t *h = hx_list_all(admin, hx_fmt("/api/v1/units/%lld/history", (long long)id), 10);
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "at")),
                        "2026-06-01T00:01:30.123Z");
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 1), "at")),
                        "2026-05-31T16:00:00.000Z");
    json_decref(h);
    hx_clock_set(srv, HX_CLOCK_START);
}

/* The ids of a list answer's items. */
static size_t item_ids(const json_t *items, int64_t *ids, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach (items, i, v)
        if (n < max)
            ids[n++] = json_integer_value(json_object_get(v, "id"));
    return n;
}

static json_t *list(const char *query)
{
    return hx_list_all(admin, hx_fmt("/api/v1/units?%s", query), 200);
}

static void test_list_and_search(void **state)
{
    (void)state;
    json_t *a = hx_unit_doc("检索甲科技有限公司");
    json_t *b = hx_unit_doc("检索乙信息公司");
    json_object_set_new(b, "province", json_string("北京市"));
    json_object_set_new(b, "city", json_string("北京市"));
    json_object_del(b, "offices");
    char code_a[19];
    snprintf(code_a, sizeof code_a, "%s", json_string_value(json_object_get(a, "credit_code")));
    char name_a[128];
    snprintf(name_a, sizeof name_a, "%s", json_string_value(json_object_get(a, "name")));
    int64_t ida = hx_unit_create(admin, a), idb = hx_unit_create(admin, b);

    struct hx_resp *r = hx_get(admin, "/api/v1/units");
    HX_EXPECT(r, 200);
    json_t *item = NULL, *v;
    size_t i;
    json_array_foreach (json_object_get(r->json, "items"), i, v)
        if (json_integer_value(json_object_get(v, "id")) == ida)
            item = v;
    assert_non_null(item);
    static const char *const keys[] = {
        "id",          "name",         "credit_code", "province",  "city", "registered_capital",
        "staff_count", "capabilities", "version",     "updated_at"};
    assert_int_equal(json_object_size(item), YJ_ARRAY_LEN(keys));
    for (size_t k = 0; k < YJ_ARRAY_LEN(keys); k++)
        if (!json_object_get(item, keys[k]))
            fail_msg("list item lacks %s", keys[k]);
    assert_string_equal(json_string_value(json_object_get(item, "name")), name_a);
    assert_int_equal(json_integer_value(json_object_get(item, "staff_count")), 1);
    json_t *caps = json_pack("[s,s]", "emergency_handling", "forensics_tracing");
    assert_true(json_equal(json_object_get(item, "capabilities"), caps));
    json_decref(caps);
    assert_null(json_object_get(item, "contacts"));

    int64_t ids[16];
    json_t *got = list(hx_fmt("q=%s", hx_escape("检索甲")));
    assert_int_equal(item_ids(got, ids, 16), 1);
    assert_int_equal(ids[0], ida);
    json_decref(got);
    /* q matches a credit code by prefix */
    code_a[16] = '\0';
    got = list(hx_fmt("q=%s", code_a));
    assert_int_equal(item_ids(got, ids, 16), 1);
    assert_int_equal(ids[0], ida);
    json_decref(got);
    got = list(hx_fmt("q=%s", hx_escape("信息公司")));
    assert_int_equal(item_ids(got, ids, 16), 1);
    assert_int_equal(ids[0], idb);
    json_decref(got);
    got = list(hx_fmt("q=%s&province=%s", hx_escape("检索"), hx_escape("北京市")));
    assert_int_equal(item_ids(got, ids, 16), 1);
    assert_int_equal(ids[0], idb);
    json_decref(got);
    got = list(hx_fmt("q=%s", hx_escape("检索")));
    assert_int_equal(item_ids(got, ids, 16), 2);
    json_decref(got);
    /* LIKE's wildcards are plain characters in a search */
    static const char *const wild[] = {"%25", "_", "%25%E6%A3%80", "!", "%5C"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(wild); k++) {
        got = list(hx_fmt("q=%s", wild[k]));
        if (json_array_size(got) != 0)
            fail_msg("q=%s matched %zu units", wild[k], json_array_size(got));
        json_decref(got);
    }
    got = list(hx_fmt("q=%s", hx_escape("没有这个单位")));
    assert_int_equal(json_array_size(got), 0);
    json_decref(got);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units?sort=name"), 400, "invalid", "sort");
}

static void test_paging(void **state)
{
    (void)state;
    int64_t made[7];
    for (size_t i = 0; i < 7; i++)
        made[i] = hx_unit_create(admin, hx_unit_doc("分页单位"));
    const char *q = hx_escape("分页单位");
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/units?q=%s&limit=3", q));
    HX_EXPECT(r, 200);
    int64_t seen[16];
    size_t n = 0, pages = 0;
    for (;;) {
        json_t *items = json_object_get(r->json, "items");
        json_t *next = json_object_get(r->json, "next_cursor");
        pages++;
        n += item_ids(items, seen + n, 16 - n);
        if (json_is_null(next)) {
            assert_int_equal(json_array_size(items), 1);
            break;
        }
        assert_int_equal(json_array_size(items), 3);
        assert_true(json_is_string(next));
        assert_true(pages < 5);
        r = hx_get(admin, hx_fmt("/api/v1/units?q=%s&limit=3&cursor=%s", q,
                                 hx_escape(json_string_value(next))));
        HX_EXPECT(r, 200);
    }
    assert_int_equal(pages, 3);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(seen[i], made[i]); /* in creation order, each once */

    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units?limit=0"), 400, "invalid", "limit");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units?limit=201"), 400, "invalid", "limit");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units?limit=ten"), 400, "invalid", "limit");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units?cursor=abc"), 400, "invalid", "cursor");
    r = hx_get(admin, "/api/v1/units?limit=200");
    HX_EXPECT(r, 200);
}

static struct hx_resp *patch(int64_t id, json_t *body, const char *if_match)
{
    return hx_send(admin, "PATCH", unit_path(id), body, if_match);
}

static void test_patch_needs_current_etag(void **state)
{
    (void)state;
    int64_t id = hx_unit_create(admin, NULL);
    int64_t audit = hx_audit_length(admin);

    HX_EXPECT_ERROR(patch(id, json_pack("{s:s}", "city", "遵义市"), NULL), 428,
                    "precondition_required", "If-Match");
    assert_int_equal(hx_unit_version(admin, id), 1);
    assert_int_equal(hx_audit_length(admin), audit);

    struct hx_resp *r = patch(id, json_pack("{s:s}", "city", "贵阳市"), "\"1\"");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "version"), 2);
    assert_string_equal(r->etag, "\"2\"");
    assert_string_equal(hx_json_str(r, "city"), "贵阳市");
    assert_int_equal(hx_audit_length(admin), audit + 1);
    audit++;

    /* A stale or malformed ETag changes nothing. */
    static const char *const stale[] = {"\"1\"", "1", "\"\"", "W/\"2\"", "\"2", "\"0\"", "\"-2\""};
    for (size_t i = 0; i < YJ_ARRAY_LEN(stale); i++) {
        r = patch(id, json_pack("{s:s}", "city", "遵义市"), stale[i]);
        if (r->status != 412)
            fail_msg("If-Match %s: HTTP %ld %s", stale[i], r->status, r->body);
        HX_EXPECT_ERROR(r, 412, "precondition_failed", "If-Match");
    }
    struct hx_resp *g = hx_get(admin, unit_path(id));
    HX_EXPECT(g, 200);
    assert_string_equal(g->etag, "\"2\"");
    assert_string_equal(hx_json_str(g, "city"), "贵阳市");
    assert_int_equal(hx_audit_length(admin), audit);

    /* "*" matches any version. */
    r = patch(id, json_pack("{s:s}", "city", "安顺市"), "*");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "version"), 3);
    assert_string_equal(r->etag, "\"3\"");
    audit++;

    /* A patch that changes nothing writes nothing. */
    r = patch(id, json_pack("{s:s}", "city", "安顺市"), "\"3\"");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "version"), 3);
    assert_int_equal(hx_audit_length(admin), audit);
    r = patch(id, json_object(), "\"3\"");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "version"), 3);
    assert_int_equal(hx_audit_length(admin), audit);

    /* DELETE is guarded the same way. */
    HX_EXPECT_ERROR(hx_send(admin, "DELETE", unit_path(id), NULL, NULL), 428,
                    "precondition_required", "If-Match");
    HX_EXPECT_ERROR(hx_send(admin, "DELETE", unit_path(id), NULL, "\"2\""), 412,
                    "precondition_failed", "If-Match");
    HX_EXPECT(hx_get(admin, unit_path(id)), 200);
    assert_int_equal(hx_audit_length(admin), audit);
    HX_EXPECT_ERROR(patch(987654, json_pack("{s:s}", "city", "遵义市"), "\"1\""), 404, "not_found",
                    NULL);
}

static void test_merge_patch_semantics(void **state)
{
    (void)state;
    int64_t id = hx_unit_create(admin, NULL);
    struct hx_resp *before = hx_get(admin, unit_path(id));
    HX_EXPECT(before, 200);

    /* null clears a field; untouched fields stay */
    struct hx_resp *r = patch(id,
                              json_pack("{s:n,s:n,s:s}", "legal_representative",
                                        "registered_capital", "address", "观山湖区 2 号"),
                              "\"1\"");
    HX_EXPECT(r, 200);
    assert_null(json_object_get(r->json, "legal_representative"));
    assert_null(json_object_get(r->json, "registered_capital"));
    assert_string_equal(hx_json_str(r, "address"), "观山湖区 2 号");
    assert_true(json_equal(json_object_get(r->json, "contacts"),
                           json_object_get(before->json, "contacts")));
    assert_string_equal(hx_json_str(r, "business_scope"), hx_json_str(before, "business_scope"));
    struct hx_resp *g = hx_get(admin, unit_path(id));
    assert_null(json_object_get(g->json, "legal_representative"));

    /* arrays are replaced whole, not merged element by element */
    json_t *contacts = json_pack("[{s:s,s:s,s:s}]", "role", "support_lead", "name", "新联系人",
                                 "mobile", "13700000000");
    r = patch(id, json_pack("{s:O}", "contacts", contacts), "\"2\"");
    HX_EXPECT(r, 200);
    assert_true(json_equal(json_object_get(r->json, "contacts"), contacts));
    json_decref(contacts);
    r = patch(id,
              json_pack("{s:[],s:n,s:[{s:s}]}", "staff", "offices", "capabilities", "field",
                        "data_security"),
              "\"3\"");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "staff")), 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "offices")), 0);
    json_t *caps = json_pack("[{s:s}]", "field", "data_security");
    assert_true(json_equal(json_object_get(r->json, "capabilities"), caps));
    json_decref(caps);
    g = hx_get(admin, unit_path(id));
    if (!json_equal(g->json, r->json))
        fail_msg("PATCH answer and read differ:\n%s\n%s", r->body, g->body);

    /* application/merge-patch+json is accepted as well */
    const char *mp = "{\"city\":\"毕节市\"}";
    struct hx_req opt = {.content_type = "application/merge-patch+json",
                         .body = mp,
                         .body_len = strlen(mp),
                         .if_match = "\"4\""};
    r = hx_request(admin, "PATCH", unit_path(id), &opt);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "city"), "毕节市");

    /* clearing a required field is refused, and changes nothing */
    int64_t audit = hx_audit_length(admin);
    HX_EXPECT_ERROR(patch(id, json_pack("{s:n}", "name"), "\"5\""), 400, "invalid", "name");
    HX_EXPECT_ERROR(patch(id, json_pack("{s:s,s:n}", "city", "遵义市", "credit_code"), "\"5\""),
                    400, "invalid", "credit_code");
    g = hx_get(admin, unit_path(id));
    assert_string_equal(g->etag, "\"5\"");
    assert_string_equal(hx_json_str(g, "city"), "毕节市");
    assert_int_equal(hx_audit_length(admin), audit);
}

static json_t *history(int64_t id)
{
    return hx_list_all(admin, hx_fmt("/api/v1/units/%lld/history", (long long)id), 200);
}

static const char *action_of(const json_t *items, size_t i)
{
    return json_string_value(json_object_get(json_array_get(items, i), "action"));
}

static void test_soft_delete(void **state)
{
    (void)state;
    json_t *doc = hx_unit_doc("删除单位");
    char code[19];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(doc, "credit_code")));
    int64_t id = hx_unit_create(admin, doc);
    HX_EXPECT(patch(id, json_pack("{s:s}", "city", "贵阳市"), "\"1\""), 200);
    size_t before = hx_unit_count(admin);

    struct hx_resp *r = hx_send(admin, "DELETE", unit_path(id), NULL, "\"2\"");
    HX_EXPECT(r, 204);
    assert_int_equal(r->body_len, 0);
    HX_EXPECT_ERROR(hx_get(admin, unit_path(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(patch(id, json_pack("{s:s}", "city", "遵义市"), "*"), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_send(admin, "DELETE", unit_path(id), NULL, "*"), 404, "not_found", NULL);
    assert_int_equal(hx_unit_count(admin), before - 1);
    json_t *found = hx_list_all(admin, hx_fmt("/api/v1/units?q=%s", code), 50);
    assert_int_equal(json_array_size(found), 0);
    json_decref(found);

    /* The history survives the unit. */
    json_t *h = history(id);
    assert_int_equal(json_array_size(h), 3);
    assert_string_equal(action_of(h, 0), "unit.delete");
    assert_string_equal(action_of(h, 1), "unit.update");
    assert_string_equal(action_of(h, 2), "unit.create");
    json_t *changes = json_object_get(json_array_get(h, 0), "changes");
    assert_string_equal(json_string_value(json_object_get(changes, "credit_code")), code);
    json_decref(h);

    /* Only live units hold a credit code. */
    json_t *again = hx_unit_min("删除后重新登记");
    json_object_set_new(again, "credit_code", json_string(code));
    r = hx_post(admin, "/api/v1/units", again);
    HX_EXPECT(r, 201);
    assert_true(hx_json_int(r, "id") != id);
}

static void test_history(void **state)
{
    (void)state;
    int64_t id = hx_unit_create(admin, NULL);
    int64_t admin_id = admin->user_id;
    HX_EXPECT(patch(id, json_pack("{s:s}", "city", "贵阳市"), "\"1\""), 200);
    HX_EXPECT(patch(id,
                    json_pack("{s:s,s:I}", "city", "遵义市", "registered_capital", (json_int_t)100),
                    "\"2\""),
              200);
    json_t *h = history(id);
    assert_int_equal(json_array_size(h), 3);
    assert_string_equal(action_of(h, 0), "unit.update");
    assert_string_equal(action_of(h, 1), "unit.update");
    assert_string_equal(action_of(h, 2), "unit.create");
    int64_t prev_seq = INT64_MAX;
    size_t i;
    json_t *rec;
    json_array_foreach (h, i, rec) {
        int64_t seq = json_integer_value(json_object_get(rec, "seq"));
        assert_true(seq < prev_seq); /* newest first */
        prev_seq = seq;
        assert_string_equal(json_string_value(json_object_get(rec, "actor")), "admin");
        assert_int_equal(json_integer_value(json_object_get(rec, "actor_id")), admin_id);
        assert_string_equal(json_string_value(json_object_get(rec, "source_ip")), "127.0.0.1");
        assert_string_equal(json_string_value(json_object_get(rec, "object_type")), "unit");
        assert_string_equal(json_string_value(json_object_get(rec, "object_id")),
                            hx_fmt("%lld", (long long)id));
        assert_int_equal(json_string_length(json_object_get(rec, "hash")), 64);
        assert_int_equal(json_string_length(json_object_get(rec, "prev_hash")), 64);
        assert_true(is_rfc3339_utc_ms(json_string_value(json_object_get(rec, "at"))));
    }
    /* update: {"field": {"old", "new"}} for the changed fields only */
    json_t *want =
        json_pack("{s:{s:s,s:s},s:{s:I,s:I}}", "city", "old", "贵阳市", "new", "遵义市",
                  "registered_capital", "old", (json_int_t)5000000, "new", (json_int_t)100);
    json_t *got = json_object_get(json_array_get(h, 0), "changes");
    if (!json_equal(got, want)) {
        char *s = json_dumps(got, JSON_COMPACT);
        fail_msg("update changes: %s", s);
    }
    json_decref(want);
    /* create: the new object, personal data included, no read-only keys */
    json_t *created = json_object_get(json_array_get(h, 2), "changes");
    assert_true(json_is_array(json_object_get(created, "contacts")));
    assert_non_null(json_object_get(created, "credit_code"));
    assert_null(json_object_get(created, "version"));

    /* paging newest first, and the same records as the audit log filtered to the unit */
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/units/%lld/history?limit=1", (long long)id));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_true(json_is_string(json_object_get(r->json, "next_cursor")));
    json_t *audit = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=unit&object_id=%lld", (long long)id), 2);
    assert_true(json_equal(audit, h));
    json_decref(audit);
    json_decref(h);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units/987654/history"), 404, "not_found", NULL);
}

static void test_duplicate_credit_code(void **state)
{
    (void)state;
    json_t *doc = hx_unit_doc("重复代码甲");
    char code[19];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(doc, "credit_code")));
    hx_unit_create(admin, doc);
    int64_t other = hx_unit_create(admin, NULL);
    size_t units = hx_unit_count(admin);
    int64_t audit = hx_audit_length(admin);

    json_t *dup = hx_unit_doc("重复代码乙");
    json_object_set_new(dup, "credit_code", json_string(code));
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/units", dup), 409, "conflict", "credit_code");
    HX_EXPECT_ERROR(patch(other, json_pack("{s:s}", "credit_code", code), "\"1\""), 409, "conflict",
                    "credit_code");
    assert_int_equal(hx_unit_count(admin), units);
    assert_int_equal(hx_audit_length(admin), audit);
    assert_int_equal(hx_unit_version(admin, other), 1);
}

/* Two editors holding the same ETag: exactly one wins, the others get 412. */
static void test_concurrent_edits(void **state)
{
    (void)state;
    enum { N = 8 };
    int64_t id = hx_unit_create(admin, NULL);
    int64_t audit = hx_audit_length(admin);
    long st[N];
    json_t *body = json_pack("{s:s}", "city", "并发市");
    hx_parallel(admin, N, "PATCH", unit_path(id), body, "\"1\"", st);
    json_decref(body);
    int won = 0, lost = 0;
    for (int i = 0; i < N; i++) {
        won += st[i] == 200;
        lost += st[i] == 412;
    }
    if (won != 1 || lost != N - 1)
        fail_msg("%d of %d concurrent edits won and %d got 412", won, N, lost);
    assert_int_equal(hx_unit_version(admin, id), 2);
    assert_int_equal(hx_audit_length(admin), audit + 1);

    /* the same credit code registered at once from many places: one unit */
    size_t units = hx_unit_count(admin);
    json_t *doc = hx_unit_doc("并发登记");
    hx_parallel(admin, N, "POST", "/api/v1/units", doc, NULL, st);
    json_decref(doc);
    won = lost = 0;
    for (int i = 0; i < N; i++) {
        won += st[i] == 201;
        lost += st[i] == 409;
    }
    if (won != 1 || lost != N - 1)
        fail_msg("%d of %d concurrent creates succeeded and %d got 409", won, N, lost);
    assert_int_equal(hx_unit_count(admin), units + 1);
    assert_int_equal(hx_audit_length(admin), audit + 2);
}

static const char *time_str(int64_t ms)
{
    char buf[YJ_TIME_STRLEN];
    yj_time_format(ms, buf);
    return hx_fmt("%s", buf);
}

static const char *object_of(const json_t *items, size_t i)
{
    return json_string_value(json_object_get(json_array_get(items, i), "object_id"));
}

/* The audit log's filters: a time range [from, to), the actor, the object. Runs last: it
 * moves the clock on for good and logs the admin in again. */
static void test_audit_filters(void **state)
{
    (void)state;
    int64_t t1 = HX_CLOCK_START + 2 * HX_HOUR_MS, t2 = t1 + 10 * HX_MINUTE_MS; /* 10:00 CST */
    hx_clock_set(srv, t1);
    hx_client_free(admin);
    admin = hx_login_admin(srv);
    int64_t a = hx_unit_create(admin, NULL);
    hx_clock_set(srv, t2);
    int64_t b = hx_unit_create(admin, NULL);
    char ida[24], idb[24];
    snprintf(ida, sizeof ida, "%lld", (long long)a);
    snprintf(idb, sizeof idb, "%lld", (long long)b);
    char from[64], to[64];
    snprintf(from, sizeof from, "%s", hx_escape(time_str(t1)));
    snprintf(to, sizeof to, "%s", hx_escape(time_str(t2)));

    json_t *items =
        hx_list_all(admin, hx_fmt("/api/v1/audit?object_type=unit&from=%s&to=%s", from, to), 50);
    assert_int_equal(json_array_size(items), 1); /* to is exclusive */
    assert_string_equal(object_of(items, 0), ida);
    json_decref(items);
    items = hx_list_all(admin, hx_fmt("/api/v1/audit?object_type=unit&from=%s", to), 50);
    assert_int_equal(json_array_size(items), 1); /* from is inclusive */
    assert_string_equal(object_of(items, 0), idb);
    json_decref(items);
    /* any offset names the same instant: t1 is 10:00 in Beijing */
    items = hx_list_all(admin,
                        hx_fmt("/api/v1/audit?object_type=unit&from=%s&to=%s",
                               hx_escape("2026-06-01T10:00:00+08:00"), to),
                        50);
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(object_of(items, 0), ida);
    json_decref(items);
    /* everything from t1 on: the login and the two creates, newest first */
    items = hx_list_all(admin, hx_fmt("/api/v1/audit?from=%s", from), 50);
    assert_int_equal(json_array_size(items), 3);
    assert_string_equal(object_of(items, 0), idb);
    assert_string_equal(object_of(items, 1), ida);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 2), "action")),
                        "session.login");
    json_decref(items);

    items = hx_list_all(admin, "/api/v1/audit?actor=admin", 200);
    assert_true(json_array_size(items) > 10);
    size_t i;
    json_t *v;
    json_array_foreach (items, i, v)
        assert_string_equal(json_string_value(json_object_get(v, "actor")), "admin");
    json_decref(items);
    items = hx_list_all(admin, "/api/v1/audit?actor=nobody", 50);
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_read),
        cmocka_unit_test(test_times_from_the_clock),
        cmocka_unit_test(test_list_and_search),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_patch_needs_current_etag),
        cmocka_unit_test(test_merge_patch_semantics),
        cmocka_unit_test(test_soft_delete),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_duplicate_credit_code),
        cmocka_unit_test(test_concurrent_edits),
        cmocka_unit_test(test_audit_filters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
