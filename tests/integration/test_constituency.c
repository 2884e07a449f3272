/*
 * test_constituency.c - the constituency through a real server: two constituents
 * with nested ranges, where an address in the inner range resolves to its owner
 * and one outside it to the outer range's; a subdomain resolves to its domain's
 * owner and a URL by its host; a range or domain owned by another is refused 409
 * naming the field; bad input names the field; an edit replaces the lists whole
 * and needs If-Match; a delete frees what it owned; auditors read, units are refused.
 * An AS number (4134 or "AS4134") resolves to the constituent holding it, the one
 * registered first when several list it.
 */
#include <stdio.h>
#include <string.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin, *auditor, *unit;

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    int64_t unit_id = hx_unit_create(admin, hx_unit_doc("支撑单位甲"));
    unit = hx_tokened(srv, hx_user_client(admin, "unit", unit_id));
    auditor = hx_tokened(srv, hx_user_client(admin, "auditor", 0));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(unit);
    hx_client_free(auditor);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

static int64_t create(json_t *doc)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/constituents", doc);
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

/* "owner-id matched" for value, "none" when nobody owns it. */
static const char *resolve(struct hx_client *c, const char *value)
{
    struct hx_resp *r =
        hx_get(c, hx_fmt("/api/v1/constituents/resolve?value=%s", hx_escape(value)));
    HX_EXPECT(r, 200);
    json_t *owner = json_object_get(r->json, "owner");
    if (json_is_null(owner)) {
        assert_true(json_is_null(json_object_get(r->json, "matched")));
        return "none";
    }
    return hx_fmt("%lld %s", (long long)json_integer_value(json_object_get(owner, "id")),
                  hx_json_str(r, "matched"));
}

static void test_resolve(void **state)
{
    (void)state;
    int64_t carrier =
        create(json_pack("{s:s,s:s,s:s,s:[s,s],s:[i,s],s:[s],s:[{s:s,s:s}]}", "name",
                         "某电信运营商", "kind", "operator", "province", "北京市", "ranges",
                         "203.0.113.0/24", "2001:DB8::/32", "asns", 4134, "AS4809", "domains",
                         "Example.CN", "contacts", "role", "abuse", "email", "abuse@example.cn"));
    int64_t platform =
        create(json_pack("{s:s,s:s,s:[s],s:[s]}", "name", "某云平台", "kind", "platform", "ranges",
                         "203.0.113.130/25", "domains", "shop.example.cn"));
    struct hx_resp *r = hx_get(auditor, hx_fmt("/api/v1/constituents/%lld", (long long)carrier));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_header(r, "ETag"), "\"1\"");
    json_t *ranges = json_object_get(r->json, "ranges");
    assert_string_equal(json_string_value(json_array_get(ranges, 1)), "2001:db8::/32");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(r->json, "asns"), 1)), 4809);
    assert_string_equal(json_string_value(json_array_get(json_object_get(r->json, "domains"), 0)),
                        "example.cn");

    char outer[24], inner[24]; /* hx_fmt's buffers rotate: keep these */
    snprintf(outer, sizeof outer, "%lld", (long long)carrier);
    snprintf(inner, sizeof inner, "%lld", (long long)platform);
    assert_string_equal(resolve(admin, "203.0.113.200"), hx_fmt("%s 203.0.113.128/25", inner));
    assert_string_equal(resolve(admin, "203.0.113.5"), hx_fmt("%s 203.0.113.0/24", outer));
    assert_string_equal(resolve(auditor, "2001:db8::1"), hx_fmt("%s 2001:db8::/32", outer));
    assert_string_equal(resolve(admin, "www.example.cn"), hx_fmt("%s example.cn", outer));
    assert_string_equal(resolve(admin, "a.shop.example.cn"), hx_fmt("%s shop.example.cn", inner));
    assert_string_equal(resolve(admin, "https://pay.shop.example.cn/login?x=1"),
                        hx_fmt("%s shop.example.cn", inner));
    assert_string_equal(resolve(admin, "http://203.0.113.9:8080/"),
                        hx_fmt("%s 203.0.113.0/24", outer));
    assert_string_equal(resolve(admin, "198.51.100.1"), "none");
    assert_string_equal(resolve(admin, "example.com"), "none");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/constituents/resolve"), 400, "invalid", "value");
    HX_EXPECT_ERROR(
        hx_get(admin, "/api/v1/constituents/resolve?value=d41d8cd98f00b204e9800998ecf8427e"), 400,
        "invalid", "value");

    /* What another owns is refused, naming the entry. */
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/constituents",
                            json_pack("{s:s,s:s,s:[s,s]}", "name", "重复", "kind", "other",
                                      "ranges", "198.51.100.0/24", "203.0.113.128/25")),
                    409, "conflict", "ranges[1]");
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/constituents",
                            json_pack("{s:s,s:s,s:[s]}", "name", "重复", "kind", "other", "domains",
                                      "EXAMPLE.cn.")),
                    409, "conflict", "domains[0]");
    /* Nothing half-written: the refused constituent's free range stays free. */
    assert_string_equal(resolve(admin, "198.51.100.1"), "none");

    /* An edit replaces the lists whole and needs the version. */
    const char *path = hx_fmt("/api/v1/constituents/%lld", (long long)platform);
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", path, json_pack("{s:[]}", "ranges"), NULL), 428,
                    "precondition_required", "If-Match");
    r = hx_send(admin, "PATCH", path,
                json_pack("{s:[s],s:[]}", "ranges", "198.51.100.7", "domains"), "\"1\"");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "version"), 2);
    assert_string_equal(resolve(admin, "203.0.113.200"), hx_fmt("%s 203.0.113.0/24", outer));
    assert_string_equal(resolve(admin, "198.51.100.7"), hx_fmt("%s 198.51.100.7/32", inner));
    assert_string_equal(resolve(admin, "x.shop.example.cn"), hx_fmt("%s example.cn", outer));
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", path, json_pack("{s:s}", "name", "x"), "\"1\""), 412,
                    "precondition_failed", "If-Match");

    /* A delete frees what it owned. */
    HX_EXPECT(hx_send(admin, "DELETE", path, NULL, "\"2\""), 204);
    HX_EXPECT_ERROR(hx_get(admin, path), 404, "not_found", NULL);
    assert_string_equal(resolve(admin, "198.51.100.7"), "none");
    create(json_pack("{s:s,s:s,s:[s]}", "name", "新主", "kind", "cii", "ranges", "198.51.100.7"));

    r = hx_get(auditor, "/api/v1/constituents?kind=operator");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
}

/* "owner-id matched" for ?asn=, "none" when nobody holds it. */
static const char *resolve_asn(struct hx_client *c, const char *asn)
{
    struct hx_resp *r = hx_get(c, hx_fmt("/api/v1/constituents/resolve?asn=%s", hx_escape(asn)));
    HX_EXPECT(r, 200);
    json_t *owner = json_object_get(r->json, "owner");
    if (json_is_null(owner)) {
        assert_true(json_is_null(json_object_get(r->json, "matched")));
        return "none";
    }
    return hx_fmt("%lld %s", (long long)json_integer_value(json_object_get(owner, "id")),
                  hx_json_str(r, "matched"));
}

static void test_resolve_asn(void **state)
{
    (void)state;
    int64_t first = create(json_pack("{s:s,s:s,s:[i,s]}", "name", "AS 甲运营商", "kind", "operator",
                                     "asns", 64500, "AS64501"));
    int64_t second = create(
        json_pack("{s:s,s:s,s:[i]}", "name", "AS 乙云平台", "kind", "platform", "asns", 64501));
    char a[24], b[24]; /* hx_fmt's buffers rotate: keep these */
    snprintf(a, sizeof a, "%lld", (long long)first);
    snprintf(b, sizeof b, "%lld", (long long)second);
    assert_string_equal(resolve_asn(admin, "64500"), hx_fmt("%s AS64500", a));
    assert_string_equal(resolve_asn(auditor, "AS64500"), hx_fmt("%s AS64500", a));
    assert_string_equal(resolve_asn(admin, "as64500"), hx_fmt("%s AS64500", a));
    /* Listed by both: the one registered first. */
    assert_string_equal(resolve_asn(admin, "AS64501"), hx_fmt("%s AS64501", a));
    assert_string_equal(resolve_asn(admin, "64502"), "none");
    assert_string_equal(resolve_asn(admin, "4294967295"), "none");
    struct hx_resp *r = hx_get(admin, "/api/v1/constituents/resolve?asn=64500");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r->json, "owner"), "name")),
        "AS 甲运营商");

    static const char *const bad[] = {"",   "AS",       "ASx",    "0",    "AS0", "4294967296",
                                      "-1", "AS 64500", "64500 ", "AS-1", "1.5"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        HX_EXPECT_ERROR(
            hx_get(admin, hx_fmt("/api/v1/constituents/resolve?asn=%s", hx_escape(bad[i]))), 400,
            "invalid", "asn");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/constituents/resolve?asn"), 400, "invalid", "asn");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/constituents/resolve?asn=64500&value=203.0.113.1"), 400,
                    "invalid", "asn");
    HX_EXPECT_ERROR(hx_get(unit, "/api/v1/constituents/resolve?asn=64500"), 403, "forbidden", NULL);

    /* A delete gives its AS numbers up. */
    HX_EXPECT(hx_send(admin, "DELETE", hx_fmt("/api/v1/constituents/%s", a), NULL, "\"1\""), 204);
    assert_string_equal(resolve_asn(admin, "AS64501"), hx_fmt("%s AS64501", b));
    assert_string_equal(resolve_asn(admin, "64500"), "none");
}

static void test_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *field;
    } cases[] = {
        {"{\"kind\":\"operator\"}", "name"},
        {"{\"name\":\"a\",\"kind\":\"bank\"}", "kind"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"province\":\"火星\"}", "province"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"ranges\":[\"10.0.0.0/8\",\"10.1/33\"]}",
         "ranges[1]"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"ranges\":[\"10.0.0.0/8\",\"10.0.0.1/8\"]}",
         "ranges[1]"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"domains\":[\"ok.cn\",\"bad..cn\"]}", "domains[1]"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"asns\":[1,0]}", "asns[1]"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"contacts\":[{\"role\":\"boss\",\"email\":\"a@b.cn\"}"
         "]}",
         "contacts[0].role"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"contacts\":[{\"role\":\"abuse\",\"email\":\"x\"}]}",
         "contacts[0].email"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"ranges\":\"10.0.0.0/8\"}", "ranges"},
        {"{\"name\":\"a\",\"kind\":\"other\",\"owner\":1}", "owner"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        struct hx_resp *r = hx_send_raw(admin, "POST", "/api/v1/constituents", "application/json",
                                        cases[i].doc, strlen(cases[i].doc));
        HX_EXPECT_ERROR(r, 400, "invalid", cases[i].field);
    }
}

static void test_roles(void **state)
{
    (void)state;
    HX_EXPECT_ERROR(hx_get(unit, "/api/v1/constituents"), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_get(unit, "/api/v1/constituents/resolve?value=203.0.113.1"), 403,
                    "forbidden", NULL);
    HX_EXPECT_ERROR(
        hx_post(unit, "/api/v1/constituents", json_pack("{s:s,s:s}", "name", "x", "kind", "other")),
        403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_post(auditor, "/api/v1/constituents",
                            json_pack("{s:s,s:s}", "name", "x", "kind", "other")),
                    403, "forbidden", NULL);
    /* The changes are in the audit chain. */
    struct hx_resp *r = hx_get(auditor, "/api/v1/audit?object_type=constituent");
    HX_EXPECT(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_resolve_asn),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
