/*
 * test_unit_json.c - a unit to and from JSON. Decoding reads every field,
 * refuses unknown and read-only keys and wrong types by their path
 * (contacts[1].email, staff[0].certificates[2]) and enforces array limits;
 * encoding hides personal data on request and leaves read-only keys out of
 * the merge-patch document; decode(encode(u)) gives u back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "api/api.h"
#include "core/yj.h"

/* A complete document: every key of every object. */
static const char full_doc[] =
    "{\"name\":\"六盘水某网络安全技术有限公司\",\"credit_code\":\"91520200MA6DXXXX01\","
    "\"registered_capital\":20000000,\"legal_representative\":\"郑一\","
    "\"founded_on\":\"2015-06-01\",\"business_term\":\"长期\","
    "\"business_scope\":\"网络安全服务\",\"registration_authority\":\"六盘水市市场监督管理局\","
    "\"province\":\"贵州省\",\"city\":\"六盘水市\",\"address\":\"钟山区某路2号\","
    "\"contacts\":["
    "{\"role\":\"emergency_lead\",\"name\":\"张三\",\"dept_title\":\"安全部 经理\","
    "\"mobile\":\"13800138000\",\"office_phone\":\"0858-8221234\",\"email\":\"a@example.cn\"},"
    "{\"role\":\"interface\",\"name\":\"李四\"}],"
    "\"offices\":["
    "{\"name\":\"总部\",\"is_headquarters\":true,\"province\":\"北京市\",\"city\":\"北京市\","
    "\"address\":\"海淀区1号\",\"floor_area_m2\":1200,\"tenure\":\"owned\",\"staff_count\":300,"
    "\"security_lead\":\"孙八\",\"phone\":\"010-12345678\"},"
    "{\"name\":\"分公司\",\"is_headquarters\":false}],"
    "\"staff\":["
    "{\"name\":\"周九\",\"department\":\"应急中心\",\"education\":\"本科\",\"title\":"
    "\"高级工程师\","
    "\"school\":\"贵州大学\",\"major\":\"信息安全\",\"years_in_field\":12,\"post\":\"应急响应\","
    "\"in_province\":false,\"certificates\":[\"CISSP\",\"CISP\",\"CCIE\"]},"
    "{\"name\":\"吴十\"}],"
    "\"capabilities\":[{\"field\":\"emergency_handling\",\"description\":\"7x24\"},"
    "{\"field\":\"data_security\"}],"
    "\"oncall\":[{\"person\":\"周九\",\"mobile\":\"13800138000\","
    "\"starts_at\":\"2026-01-09T00:00:00+08:00\",\"ends_at\":\"2026-01-10T00:00:00.500Z\"}]}";

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!j)
        fail_msg("bad test JSON: %s at %d", je.text, je.column);
    return j;
}

/* Decodes text, which must succeed. */
static void decode_ok(const char *text, struct yj_arena *a, struct unit *u)
{
    json_t *j = load(text);
    struct yj_error e;
    if (api_unit_decode(j, a, u, &e) != YJ_OK)
        fail_msg("decode: %s: %s", e.field, e.msg);
    json_decref(j);
}

/* full_doc with one change: path is "key" or "key[i]" or "key[i].sub", set to value (JSON). */
static json_t *full_with(const char *key, int index, const char *sub, const char *value)
{
    json_t *doc = load(full_doc);
    json_t *v = value ? load(value) : NULL;
    json_t *target = doc;
    const char *k = key;
    if (index >= 0) {
        json_t *arr = json_object_get(doc, key);
        while ((int)json_array_size(arr) <= index)
            json_array_append(arr, json_array_get(arr, json_array_size(arr) - 1));
        json_t *copy = json_deep_copy(json_array_get(arr, (size_t)index));
        json_array_set_new(arr, (size_t)index, copy);
        target = copy;
        k = sub;
    }
    if (v)
        json_object_set_new(target, k, v);
    else
        json_object_del(target, k);
    return doc;
}

/* Decoding doc must fail with YJ_EINVAL naming field; msg_part in the message if given. */
static void expect_bad(json_t *doc, const char *field, const char *msg_part)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct unit u;
    struct yj_error e;
    yj_error_clear(&e);
    enum yj_err rc = api_unit_decode(doc, &a, &u, &e);
    if (rc != YJ_EINVAL || strcmp(e.field, field) != 0)
        fail_msg("want invalid \"%s\", got %s at \"%s\": %s", field, yj_err_name(rc), e.field,
                 e.msg);
    if (msg_part && !strstr(e.msg, msg_part))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", field, e.msg, msg_part);
    json_decref(doc);
    yj_arena_release(&a);
}

/* ---- decoding ---- */

static void test_decode_every_field(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct unit u;
    decode_ok(full_doc, &a, &u);
    assert_int_equal(u.id, 0);
    assert_int_equal(u.version, 0);
    assert_string_equal(u.name, "六盘水某网络安全技术有限公司");
    assert_string_equal(u.credit_code, "91520200MA6DXXXX01");
    assert_int_equal(u.registered_capital, 20000000);
    assert_string_equal(u.legal_representative, "郑一");
    assert_string_equal(u.founded_on, "2015-06-01");
    assert_string_equal(u.business_term, "长期");
    assert_string_equal(u.business_scope, "网络安全服务");
    assert_string_equal(u.registration_authority, "六盘水市市场监督管理局");
    assert_string_equal(u.province, "贵州省");
    assert_string_equal(u.city, "六盘水市");
    assert_string_equal(u.address, "钟山区某路2号");

    assert_int_equal(u.n_contacts, 2);
    assert_int_equal(u.contacts[0].role, UNIT_CONTACT_EMERGENCY_LEAD);
    assert_string_equal(u.contacts[0].name, "张三");
    assert_string_equal(u.contacts[0].dept_title, "安全部 经理");
    assert_string_equal(u.contacts[0].mobile, "13800138000");
    assert_string_equal(u.contacts[0].office_phone, "0858-8221234");
    assert_string_equal(u.contacts[0].email, "a@example.cn");
    assert_int_equal(u.contacts[1].role, UNIT_CONTACT_INTERFACE);
    assert_null(u.contacts[1].email);

    assert_int_equal(u.n_offices, 2);
    const struct unit_office *o = &u.offices[0];
    assert_string_equal(o->name, "总部");
    assert_true(o->is_headquarters);
    assert_string_equal(o->province, "北京市");
    assert_string_equal(o->city, "北京市");
    assert_string_equal(o->address, "海淀区1号");
    assert_int_equal(o->floor_area_m2, 1200);
    assert_string_equal(o->tenure, "owned");
    assert_int_equal(o->staff_count, 300);
    assert_string_equal(o->security_lead, "孙八");
    assert_string_equal(o->phone, "010-12345678");
    o = &u.offices[1];
    assert_false(o->is_headquarters);
    assert_int_equal(o->floor_area_m2, -1); /* absent numbers are "not given" */
    assert_int_equal(o->staff_count, -1);
    assert_null(o->tenure);

    assert_int_equal(u.n_staff, 2);
    const struct unit_staff *p = &u.staff[0];
    assert_string_equal(p->name, "周九");
    assert_string_equal(p->department, "应急中心");
    assert_string_equal(p->education, "本科");
    assert_string_equal(p->title, "高级工程师");
    assert_string_equal(p->school, "贵州大学");
    assert_string_equal(p->major, "信息安全");
    assert_int_equal(p->years_in_field, 12);
    assert_string_equal(p->post, "应急响应");
    assert_false(p->in_province);
    assert_int_equal(p->n_certificates, 3);
    assert_string_equal(p->certificates[0], "CISSP");
    assert_string_equal(p->certificates[1], "CISP");
    assert_string_equal(p->certificates[2], "CCIE");
    p = &u.staff[1];
    assert_true(p->in_province); /* the default */
    assert_int_equal(p->years_in_field, -1);
    assert_int_equal(p->n_certificates, 0);

    assert_int_equal(u.n_capabilities, 2);
    assert_string_equal(u.capabilities[0].field, "emergency_handling");
    assert_string_equal(u.capabilities[0].description, "7x24");
    assert_null(u.capabilities[1].description);

    assert_int_equal(u.n_oncall, 1);
    assert_string_equal(u.oncall[0].person, "周九");
    assert_string_equal(u.oncall[0].mobile, "13800138000");
    assert_int_equal(u.oncall[0].starts_at, INT64_C(1767888000000));
    assert_int_equal(u.oncall[0].ends_at, INT64_C(1768003200500));
    yj_arena_release(&a);
}

static void test_decode_minimal_and_nulls(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct unit u;
    decode_ok("{\"name\":\"n\",\"credit_code\":\"c\"}", &a, &u);
    assert_int_equal(u.registered_capital, -1);
    assert_null(u.founded_on);
    assert_int_equal(u.n_contacts + u.n_offices + u.n_staff + u.n_capabilities + u.n_oncall, 0);
    /* null is the same as absent, for values and arrays alike. */
    decode_ok("{\"name\":\"n\",\"credit_code\":\"c\",\"registered_capital\":null,\"city\":null,"
              "\"contacts\":null,\"staff\":[{\"certificates\":null,\"in_province\":null}]}",
              &a, &u);
    assert_int_equal(u.registered_capital, -1);
    assert_null(u.city);
    assert_int_equal(u.n_contacts, 0);
    assert_int_equal(u.n_staff, 1);
    assert_true(u.staff[0].in_province);
    /* Empty arrays. */
    decode_ok("{\"name\":\"n\",\"credit_code\":\"c\",\"offices\":[],\"oncall\":[]}", &a, &u);
    assert_int_equal(u.n_offices, 0);
    yj_arena_release(&a);
}

static void test_decode_required(void **state)
{
    (void)state;
    expect_bad(full_with("name", -1, NULL, NULL), "name", "required");
    expect_bad(full_with("name", -1, NULL, "null"), "name", "required");
    expect_bad(full_with("credit_code", -1, NULL, NULL), "credit_code", "required");
    expect_bad(full_with("contacts", 0, "role", NULL), "contacts[0].role", "required");
    expect_bad(full_with("capabilities", 1, "field", NULL), "capabilities[1].field", "required");
    expect_bad(full_with("oncall", 0, "starts_at", NULL), "oncall[0].starts_at", "required");
    expect_bad(full_with("oncall", 0, "ends_at", "null"), "oncall[0].ends_at", "required");
    /* Not an object at all. */
    json_t *arr = json_array();
    expect_bad(arr, "body", "object");
}

static void test_decode_unknown_and_readonly(void **state)
{
    (void)state;
    const char *readonly[] = {"id", "version", "created_at", "updated_at", "personal_data_hidden"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(readonly); i++)
        expect_bad(full_with(readonly[i], -1, NULL, "1"), readonly[i], "read-only");
    /* Even null for a read-only key is refused. */
    expect_bad(full_with("id", -1, NULL, "null"), "id", "read-only");
    expect_bad(full_with("colour", -1, NULL, "\"red\""), "colour", "unknown field");
    expect_bad(full_with("Name", -1, NULL, "\"x\""), "Name", "unknown field");
    expect_bad(full_with("deleted_at", -1, NULL, "1"), "deleted_at", "unknown field");
    expect_bad(full_with("contacts", 1, "phone", "\"1\""), "contacts[1].phone", "unknown field");
    expect_bad(full_with("offices", 0, "id", "1"), "offices[0].id", "unknown field");
    expect_bad(full_with("staff", 1, "age", "30"), "staff[1].age", "unknown field");
    expect_bad(full_with("capabilities", 0, "level", "1"), "capabilities[0].level",
               "unknown field");
    expect_bad(full_with("oncall", 0, "note", "\"\""), "oncall[0].note", "unknown field");
}

static void test_decode_wrong_types(void **state)
{
    (void)state;
    expect_bad(full_with("name", -1, NULL, "1"), "name", "string");
    expect_bad(full_with("city", -1, NULL, "[\"x\"]"), "city", "string");
    expect_bad(full_with("registered_capital", -1, NULL, "\"100\""), "registered_capital",
               "whole number");
    expect_bad(full_with("registered_capital", -1, NULL, "1.5"), "registered_capital",
               "whole number");
    expect_bad(full_with("registered_capital", -1, NULL, "-1"), "registered_capital", "from 0");
    expect_bad(full_with("contacts", -1, NULL, "{}"), "contacts", "array");
    expect_bad(full_with("contacts", -1, NULL, "[{\"role\":\"interface\"},1]"), "contacts[1]",
               "object");
    expect_bad(full_with("contacts", 1, "email", "5"), "contacts[1].email", "string");
    expect_bad(full_with("contacts", 0, "role", "\"boss\""), "contacts[0].role",
               "unknown contact role");
    expect_bad(full_with("offices", 1, "is_headquarters", "\"yes\""), "offices[1].is_headquarters",
               "true or false");
    expect_bad(full_with("offices", 0, "floor_area_m2", "-5"), "offices[0].floor_area_m2", NULL);
    expect_bad(full_with("offices", 0, "staff_count", "2.0"), "offices[0].staff_count",
               "whole number");
    expect_bad(full_with("staff", 0, "years_in_field", "\"3\""), "staff[0].years_in_field", NULL);
    expect_bad(full_with("staff", 0, "in_province", "1"), "staff[0].in_province", NULL);
    expect_bad(full_with("staff", 0, "certificates", "\"CISP\""), "staff[0].certificates", "array");
    expect_bad(full_with("staff", 0, "certificates", "[\"a\",\"b\",3]"), "staff[0].certificates[2]",
               "string");
    expect_bad(full_with("staff", 2, "certificates", "[{}]"), "staff[2].certificates[0]", NULL);
    expect_bad(full_with("capabilities", 0, "description", "false"), "capabilities[0].description",
               NULL);
    expect_bad(full_with("oncall", 0, "starts_at", "\"yesterday\""), "oncall[0].starts_at",
               "RFC 3339");
    expect_bad(full_with("oncall", 0, "starts_at", "1767888000000"), "oncall[0].starts_at",
               "RFC 3339");
    expect_bad(full_with("oncall", 2, "ends_at", "\"2026-02-30T00:00:00Z\""), "oncall[2].ends_at",
               NULL);
    expect_bad(full_with("oncall", -1, NULL, "[[]]"), "oncall[0]", "object");
}

static void test_decode_nul_in_string(void **state)
{
    (void)state;
    /* The parser refuses \u0000, but a document built otherwise is still checked. */
    json_t *doc = load(full_doc);
    json_object_set_new(doc, "address", json_stringn("a\0b", 3));
    expect_bad(doc, "address", "NUL");
    doc = load(full_doc);
    json_t *c0 = json_array_get(json_object_get(doc, "contacts"), 0);
    json_object_set_new(c0, "name", json_stringn("x\0", 2));
    expect_bad(doc, "contacts[0].name", "NUL");
}

static void test_decode_long_key_named(void **state)
{
    (void)state;
    /* An unknown key longer than the error's field buffer, in Chinese: the field is
     * cut, but at a character boundary, so the answer can still name it. */
    char key[256] = "";
    for (int i = 0; i < 60; i++)
        memcpy(key + 3 * i, "名", 4);
    const char *paths[] = {NULL, "contacts"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(paths); k++) {
        json_t *doc = load(full_doc);
        json_t *target = paths[k] ? json_array_get(json_object_get(doc, paths[k]), 0) : doc;
        json_object_set_new(target, key, json_integer(1));
        struct yj_arena a;
        yj_arena_init(&a, 0);
        struct unit u;
        struct yj_error e;
        assert_int_equal(api_unit_decode(doc, &a, &u, &e), YJ_EINVAL);
        const char *want_start = paths[k] ? "contacts[0].名名" : "名名名";
        assert_true(strncmp(e.field, want_start, strlen(want_start)) == 0);
        if (!yj_utf8_text_ok(e.field, strlen(e.field)))
            fail_msg("field cut inside a character (%zu bytes)", strlen(e.field));
        struct http_response r = {0};
        http_response_error(&r, &e);
        assert_int_equal(r.status, 400);
        json_t *body = json_loads(r.body, 0, NULL);
        const char *field =
            json_string_value(json_object_get(json_object_get(body, "error"), "field"));
        if (!field)
            fail_msg("the answer does not name the field: %s", r.body);
        assert_string_equal(field, e.field);
        json_decref(body);
        free(r.body);
        json_decref(doc);
        yj_arena_release(&a);
    }
}

/* An array of n copies of elem at key. */
static json_t *with_n(const char *key, size_t n, const char *elem)
{
    json_t *doc = load(full_doc);
    json_t *arr = json_array();
    json_t *e = load(elem);
    for (size_t i = 0; i < n; i++)
        json_array_append(arr, e);
    json_decref(e);
    json_object_set_new(doc, key, arr);
    return doc;
}

static void test_decode_limits(void **state)
{
    (void)state;
    struct {
        const char *key;
        size_t max;
        const char *elem;
    } lists[] = {
        {"contacts", UNIT_CONTACTS_MAX, "{\"role\":\"interface\"}"},
        {"offices", UNIT_OFFICES_MAX, "{}"},
        {"staff", UNIT_STAFF_MAX, "{}"},
        {"capabilities", UNIT_CAPS_MAX, "{\"field\":\"data_security\"}"},
        {"oncall", UNIT_ONCALL_MAX,
         "{\"starts_at\":\"2026-01-09T00:00:00Z\",\"ends_at\":\"2026-01-10T00:00:00Z\"}"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(lists); i++) {
        /* The maximum decodes (duplicates are unit_validate's business, not the decoder's). */
        json_t *doc = with_n(lists[i].key, lists[i].max, lists[i].elem);
        struct yj_arena a;
        yj_arena_init(&a, 0);
        struct unit u;
        struct yj_error e;
        if (api_unit_decode(doc, &a, &u, &e) != YJ_OK)
            fail_msg("%s at its maximum: %s: %s", lists[i].key, e.field, e.msg);
        yj_arena_release(&a);
        json_decref(doc);
        char part[32];
        snprintf(part, sizeof part, "at most %zu", lists[i].max);
        expect_bad(with_n(lists[i].key, lists[i].max + 1, lists[i].elem), lists[i].key, part);
    }
    /* Certificates per person. */
    json_t *certs = json_array();
    for (int i = 0; i < UNIT_CERTS_MAX; i++)
        json_array_append_new(certs, json_string("CISP"));
    char *text = json_dumps(certs, JSON_COMPACT);
    struct yj_arena a;
    yj_arena_init(&a, 0);
    json_t *doc = full_with("staff", 0, "certificates", text);
    struct unit u;
    struct yj_error e;
    assert_int_equal(api_unit_decode(doc, &a, &u, &e), YJ_OK);
    assert_int_equal(u.staff[0].n_certificates, UNIT_CERTS_MAX);
    json_decref(doc);
    free(text);
    json_array_append_new(certs, json_string("one too many"));
    text = json_dumps(certs, JSON_COMPACT);
    expect_bad(full_with("staff", 1, "certificates", text), "staff[1].certificates", "at most 20");
    free(text);
    json_decref(certs);
    yj_arena_release(&a);
}

/* ---- encoding ---- */

static void test_encode_shapes(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct unit u;
    decode_ok(full_doc, &a, &u);
    u.id = 12;
    u.version = 3;
    u.created_at = INT64_C(1767949200000);
    u.updated_at = INT64_C(1767949200123);

    json_t *j = api_unit_encode(&u, true, false);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 12);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "created_at")),
                        "2026-01-09T09:00:00.000Z");
    assert_string_equal(json_string_value(json_object_get(j, "updated_at")),
                        "2026-01-09T09:00:00.123Z");
    assert_null(json_object_get(j, "personal_data_hidden"));
    assert_int_equal(json_array_size(json_object_get(j, "contacts")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "staff")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "oncall")), 1);
    json_t *on = json_array_get(json_object_get(j, "oncall"), 0);
    assert_string_equal(json_string_value(json_object_get(on, "starts_at")),
                        "2026-01-08T16:00:00.000Z");
    /* Unset values are left out, not null. */
    json_t *c1 = json_array_get(json_object_get(j, "contacts"), 1);
    assert_int_equal(json_object_size(c1), 2);
    assert_string_equal(json_string_value(json_object_get(c1, "role")), "interface");
    json_t *o1 = json_array_get(json_object_get(j, "offices"), 1);
    assert_null(json_object_get(o1, "floor_area_m2"));
    assert_true(json_is_false(json_object_get(o1, "is_headquarters")));
    json_t *s1 = json_array_get(json_object_get(j, "staff"), 1);
    assert_true(json_is_true(json_object_get(s1, "in_province")));
    assert_int_equal(json_array_size(json_object_get(s1, "certificates")), 0);
    json_decref(j);

    /* Without personal data: no contacts, staff or roster, and a flag saying so. */
    j = api_unit_encode(&u, false, false);
    assert_null(json_object_get(j, "contacts"));
    assert_null(json_object_get(j, "staff"));
    assert_null(json_object_get(j, "oncall"));
    assert_true(json_is_true(json_object_get(j, "personal_data_hidden")));
    assert_int_equal(json_array_size(json_object_get(j, "offices")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "capabilities")), 2);
    assert_string_equal(json_string_value(json_object_get(j, "name")), u.name);
    json_decref(j);

    /* For a patch: no read-only keys at all. */
    static const char *const readonly[] = {"id", "version", "created_at", "updated_at",
                                           "personal_data_hidden"};
    for (int personal = 0; personal < 2; personal++) {
        j = api_unit_encode(&u, personal, true);
        for (size_t i = 0; i < YJ_ARRAY_LEN(readonly); i++)
            if (json_object_get(j, readonly[i]))
                fail_msg("for_patch (personal %d) has %s", personal, readonly[i]);
        assert_true(!personal == !json_object_get(j, "staff"));
        json_decref(j);
    }
    /* A never-stored unit has null times; registered_capital -1 is left out. */
    struct unit bare = {.name = "n", .credit_code = "c", .registered_capital = -1};
    j = api_unit_encode(&bare, true, false);
    assert_true(json_is_null(json_object_get(j, "created_at")));
    assert_null(json_object_get(j, "registered_capital"));
    assert_int_equal(json_array_size(json_object_get(j, "contacts")), 0);
    json_decref(j);
    yj_arena_release(&a);
}

static void test_encode_exact(void **state)
{
    (void)state;
    struct unit_contact c = {UNIT_CONTACT_SUPPORT_LEAD, "王", NULL, "13900139000", NULL, NULL};
    struct unit u = {.id = 5,
                     .version = 2,
                     .name = "甲",
                     .credit_code = "C",
                     .registered_capital = 0,
                     .contacts = &c,
                     .n_contacts = 1,
                     .created_at = 1000,
                     .updated_at = 2000};
    json_t *got = api_unit_encode(&u, true, false);
    json_t *want = load("{\"id\":5,\"version\":2,\"name\":\"甲\",\"credit_code\":\"C\","
                        "\"registered_capital\":0,\"offices\":[],\"capabilities\":[],"
                        "\"contacts\":[{\"role\":\"support_lead\",\"name\":\"王\","
                        "\"mobile\":\"13900139000\"}],\"staff\":[],\"oncall\":[],"
                        "\"created_at\":\"1970-01-01T00:00:01.000Z\","
                        "\"updated_at\":\"1970-01-01T00:00:02.000Z\"}");
    if (!json_equal(got, want)) {
        char *s = json_dumps(got, JSON_COMPACT);
        fail_msg("got %s", s);
    }
    json_decref(got);
    json_decref(want);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct unit u, back;
    decode_ok(full_doc, &a, &u);
    json_t *doc = api_unit_encode(&u, true, true);
    struct yj_error e;
    if (api_unit_decode(doc, &a, &back, &e) != YJ_OK)
        fail_msg("decode(encode(u)): %s: %s", e.field, e.msg);
    /* Encoding both gives the same document, and the original text's content. */
    json_t *again = api_unit_encode(&back, true, true);
    assert_true(json_equal(doc, again));
    json_t *orig = load(full_doc);
    /* The original spells times with an offset and leaves defaults out (staff[1]);
     * everything else comes back as it was sent. */
    const char *key;
    json_t *v;
    json_object_foreach (orig, key, v) {
        if (strcmp(key, "oncall") == 0 || strcmp(key, "staff") == 0)
            continue;
        if (!json_equal(v, json_object_get(doc, key)))
            fail_msg("%s differs after encoding", key);
    }
    assert_true(json_equal(json_array_get(json_object_get(orig, "staff"), 0),
                           json_array_get(json_object_get(doc, "staff"), 0)));
    assert_int_equal(back.oncall[0].starts_at, u.oncall[0].starts_at);
    assert_int_equal(back.oncall[0].ends_at, u.oncall[0].ends_at);
    assert_int_equal(back.staff[0].n_certificates, 3);
    assert_string_equal(back.staff[0].certificates[2], "CCIE");
    assert_int_equal(back.offices[1].floor_area_m2, -1);
    assert_false(back.staff[0].in_province);
    json_decref(orig);
    json_decref(again);
    json_decref(doc);
    /* A roster entry at the epoch is a time like any other, not "unset". */
    struct unit_oncall at_epoch = {"甲", NULL, 0, 1000};
    struct unit tiny = {.name = "n", .credit_code = "c", .registered_capital = -1};
    tiny.oncall = &at_epoch;
    tiny.n_oncall = 1;
    doc = api_unit_encode(&tiny, true, true);
    if (api_unit_decode(doc, &a, &back, &e) != YJ_OK)
        fail_msg("epoch roster: %s: %s", e.field, e.msg);
    assert_int_equal(back.oncall[0].starts_at, 0);
    assert_int_equal(back.oncall[0].ends_at, 1000);
    json_decref(doc);
    /* The full encoding (with read-only keys) is not a valid input. */
    doc = api_unit_encode(&u, true, false);
    assert_int_equal(api_unit_decode(doc, &a, &back, &e), YJ_EINVAL);
    assert_string_equal(e.field, "id");
    json_decref(doc);
    yj_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_every_field),
        cmocka_unit_test(test_decode_minimal_and_nulls),
        cmocka_unit_test(test_decode_required),
        cmocka_unit_test(test_decode_unknown_and_readonly),
        cmocka_unit_test(test_decode_wrong_types),
        cmocka_unit_test(test_decode_nul_in_string),
        cmocka_unit_test(test_decode_long_key_named),
        cmocka_unit_test(test_decode_limits),
        cmocka_unit_test(test_encode_shapes),
        cmocka_unit_test(test_encode_exact),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
