/*
 * test_indicators.c - the indicator store through a real server: the STIX and
 * MISP corpora import with their counts; a CSV duplicate merges (sightings and
 * tags accumulate); a MISP warning list flags what it covers; the lookup finds an
 * address inside an imported range and a subdomain of an imported domain; a STIX
 * export re-imports as the same indicators (merged, none new); a malformed file is
 * refused naming the body with its position and imports nothing; a unit reads and
 * looks up but cannot import; an accepted threat report's indicators enter the store;
 * the TLP and state filters select on the server, across pages, for the list and export.
 */
#include <stdlib.h>
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
    int64_t unit_id = hx_unit_create(admin, hx_unit_doc("情报共享单位"));
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

static char *corpus(const char *name, size_t *len)
{
    const char *dir = getenv("YINGJI_CORPORA");
    assert_non_null(dir);
    char *data = hx_read_file(hx_fmt("%s/%s", dir, name), len);
    assert_non_null(data);
    return data;
}

static struct hx_resp *import(struct hx_client *c, const char *query, const char *data, size_t len)
{
    return hx_send_raw(c, "POST", hx_fmt("/api/v1/indicators/import?%s", query),
                       "application/octet-stream", data, len);
}

static struct hx_resp *import_text(struct hx_client *c, const char *query, const char *text)
{
    return import(c, query, text, strlen(text));
}

static void expect_counts(const struct hx_resp *r, int64_t objects, int64_t imported,
                          int64_t merged, int64_t flagged)
{
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "objects"), objects);
    assert_int_equal(hx_json_int(r, "imported"), imported);
    assert_int_equal(hx_json_int(r, "merged"), merged);
    assert_int_equal(hx_json_int(r, "flagged"), flagged);
}

/* The one indicator whose value is v (via ?q=), as an object owned by r. */
static json_t *find(struct hx_client *c, const char *v)
{
    struct hx_resp *r = hx_get(c, hx_fmt("/api/v1/indicators?q=%s", hx_escape(v)));
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "items");
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it) {
        if (!strcmp(json_string_value(json_object_get(it, "value")), v))
            return it;
    }
    return NULL;
}

static size_t lookup_count(struct hx_client *c, const char *v, const char *match)
{
    struct hx_resp *r = hx_get(c, hx_fmt("/api/v1/indicators/lookup?value=%s", hx_escape(v)));
    HX_EXPECT(r, 200);
    json_t *m = json_object_get(r->json, "matches");
    if (match && json_array_size(m))
        assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "match")),
                            match);
    return json_array_size(m);
}

static size_t total(struct hx_client *c)
{
    json_t *all = hx_list_all(c, "/api/v1/indicators", 200);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

static void test_corpora(void **state)
{
    (void)state;
    size_t len;
    char *stix = corpus("stix21/indicator-for-c2-ip-address.json", &len);
    struct hx_resp *r = import(admin, "format=stix&source=oasis", stix, len);
    expect_counts(r, 1, 1, 0, 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "problems")), 0);
    free(stix);
    char *misp = corpus("misp/existing_event.json", &len);
    r = import(admin, "format=misp&source=misp-test", misp, len);
    /* 122 attributes: 68 imported values of which 2 repeat within the event, 54 reported. */
    expect_counts(r, 122, 66, 2, 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "problems")), 54);
    free(misp);
    assert_int_equal(total(admin), 67);
    assert_int_equal(total(auditor), 67);
}

static void test_csv_merge(void **state)
{
    (void)state;
    const char *csv = "value,type,tags,confidence\n"
                      "203.0.113.7,ipv4,mirai,60\n"
                      "evil.example.com,domain,phish,70\n"
                      "203.0.113.7,ipv4,elf,80\n";
    expect_counts(import_text(admin, "format=csv&source=feed-a", csv), 3, 2, 1, 0);
    /* The same row from another feed merges again: sources accumulate. */
    expect_counts(
        import_text(admin, "format=csv&source=feed-b&columns=value,type", "203.0.113.7,ipv4\n"), 1,
        0, 1, 0);
    json_t *it = find(admin, "203.0.113.7");
    assert_non_null(it);
    assert_int_equal(json_integer_value(json_object_get(it, "sightings")), 3);
    assert_int_equal(json_integer_value(json_object_get(it, "confidence")), 80);
    assert_int_equal(json_array_size(json_object_get(it, "tags")), 2);
    int64_t id = json_integer_value(json_object_get(it, "id"));
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/indicators/%lld", (long long)id));
    HX_EXPECT(r, 200);
    json_t *src = json_object_get(r->json, "sources");
    assert_int_equal(json_array_size(src), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(src, 0), "source")),
                        "feed-a");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(src, 0), "count")), 2);

    /* An edit needs If-Match; tags are replaced whole. */
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", hx_fmt("/api/v1/indicators/%lld", (long long)id),
                            json_pack("{s:i}", "confidence", 90), NULL),
                    428, "precondition_required", "If-Match");
    r = hx_send(admin, "PATCH", hx_fmt("/api/v1/indicators/%lld", (long long)id),
                json_pack("{s:i,s:s,s:[s]}", "confidence", 90, "tlp", "green", "tags", "botnet"),
                r->etag);
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "confidence"), 90);
    assert_int_equal(json_array_size(json_object_get(r->json, "tags")), 1);
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", hx_fmt("/api/v1/indicators/%lld", (long long)id),
                            json_pack("{s:i}", "confidence", 101), r->etag),
                    400, "invalid", "confidence");
    HX_EXPECT_ERROR(hx_send(unit, "PATCH", hx_fmt("/api/v1/indicators/%lld", (long long)id),
                            json_pack("{s:i}", "confidence", 10), r->etag),
                    403, "forbidden", NULL);
}

static void test_warninglist(void **state)
{
    (void)state;
    size_t len;
    char *wl = corpus("warninglists/public-dns-v4.json", &len);
    struct hx_resp *r =
        hx_send_raw(admin, "POST", "/api/v1/warninglists", "application/json", wl, len);
    HX_EXPECT(r, 201);
    free(wl);
    const char *name = hx_json_str(r, "name");
    assert_non_null(name);
    assert_true(json_is_true(json_object_get(r->json, "enabled")));
    expect_counts(import_text(admin, "format=plain&source=resolvers", "8.8.8.8\n"), 1, 0, 0, 1);
    json_t *it = find(admin, "8.8.8.8");
    assert_non_null(it);
    assert_string_equal(json_string_value(json_object_get(it, "flagged_by_warninglist")), name);
    assert_false(json_is_true(json_object_get(it, "live")));
    assert_int_equal(lookup_count(admin, "8.8.8.8", NULL), 0);

    /* Disabled, the list flags nothing more. */
    int64_t wl_id = hx_json_int(r, "id");
    r = hx_send(admin, "PATCH", hx_fmt("/api/v1/warninglists/%lld", (long long)wl_id),
                json_pack("{s:b}", "enabled", 0), r->etag);
    HX_EXPECT(r, 200);
    expect_counts(import_text(admin, "format=plain&source=resolvers", "9.9.9.9\n"), 1, 1, 0, 0);
    r = hx_get(auditor, "/api/v1/warninglists");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    HX_EXPECT_ERROR(hx_get(unit, "/api/v1/warninglists"), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(
        hx_send_raw(admin, "POST", "/api/v1/warninglists", "application/json", "{\"name\":", 8),
        400, "invalid", "body");
}

static void test_lookup(void **state)
{
    (void)state;
    expect_counts(import_text(admin, "format=csv&source=ranges",
                              "value,type,subdomains\n"
                              "192.0.2.0/24,cidr4,\n"
                              "bad.example.org,domain,true\n"),
                  2, 2, 0, 0);
    assert_int_equal(lookup_count(admin, "192.0.2.77", "range"), 1);
    assert_int_equal(lookup_count(unit, "www.bad.example.org", "parent"), 1);
    assert_int_equal(lookup_count(unit, "http://www.bad.example.org/x", NULL), 1);
    assert_int_equal(lookup_count(admin, "192.0.3.1", NULL), 0);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/indicators/lookup"), 400, "invalid", "value");
}

static void test_export_reimport(void **state)
{
    (void)state;
    size_t before = total(admin);
    const char *formats[] = {"stix", "misp", "csv"};
    for (size_t f = 0; f < 3; f++) {
        struct hx_resp *r =
            hx_get(admin, hx_fmt("/api/v1/indicators/export?format=%s&live_only=true", formats[f]));
        HX_EXPECT(r, 200);
        assert_non_null(strstr(hx_header(r, "Content-Disposition"), "attachment"));
        r = import(admin, hx_fmt("format=%s&source=roundtrip", formats[f]), r->body, r->body_len);
        HX_EXPECT(r, 200);
        assert_int_equal(hx_json_int(r, "imported"), 0);
        assert_true(hx_json_int(r, "merged") > 60);
        assert_int_equal(total(admin), before);
    }
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/indicators/export?format=xml"), 400, "invalid",
                    "format");
}

static void test_refused(void **state)
{
    (void)state;
    size_t before = total(admin);
    int64_t audit = hx_audit_length(admin);
    struct hx_resp *r =
        import_text(admin, "format=stix&source=broken",
                    "{\"type\": \"bundle\", \"objects\": [{\"type\": \"indicator\", \"pattern\": ");
    HX_EXPECT_ERROR(r, 400, "invalid", "body");
    assert_non_null(strstr(r->body, "line"));
    HX_EXPECT_ERROR(import_text(admin, "format=csv&source=broken", "value\n\"203.0.113.9\n"), 400,
                    "invalid", "body");
    HX_EXPECT_ERROR(import_text(admin, "format=yaml&source=x", "1.2.3.4\n"), 400, "invalid",
                    "format");
    HX_EXPECT_ERROR(import_text(admin, "format=plain", "1.2.3.4\n"), 400, "invalid", "source");
    HX_EXPECT_ERROR(import_text(unit, "format=plain&source=x", "1.2.3.4\n"), 403, "forbidden",
                    NULL);
    HX_EXPECT_ERROR(import_text(auditor, "format=plain&source=x", "1.2.3.4\n"), 403, "forbidden",
                    NULL);
    assert_int_equal(total(admin), before);
    assert_int_equal(hx_audit_length(admin), audit);
    /* A unit reads TLP up to amber; red stays with the authority. */
    expect_counts(import_text(admin, "format=csv&source=red", "value,tlp\n198.51.100.99,red\n"), 1,
                  1, 0, 0);
    json_t *it = find(admin, "198.51.100.99");
    assert_non_null(it);
    assert_null(find(unit, "198.51.100.99"));
    int64_t id = json_integer_value(json_object_get(it, "id"));
    HX_EXPECT_ERROR(hx_get(unit, hx_fmt("/api/v1/indicators/%lld", (long long)id)), 404,
                    "not_found", NULL);
    assert_int_equal(lookup_count(unit, "198.51.100.99", NULL), 0);
    assert_int_equal(lookup_count(admin, "198.51.100.99", "exact"), 1);
}

/* An accepted threat report's indicators enter the store, linked to it. */
static void test_report_accept(void **state)
{
    (void)state;
    json_t *doc =
        json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:i,s:s,s:i,s:s}],s:[{s:s,s:s,s:s}]}", "category",
                  "botnet", "title", "僵尸网络控制端", "summary", "受控主机连接控制端",
                  "propagation_path", "弱口令爆破", "five_tuples", "src_ip", "10.1.1.1", "src_port",
                  40000, "dst_ip", "198.51.100.77", "dst_port", 443, "protocol", "tcp",
                  "indicators", "type", "ipv4", "value", "198.51.100.77", "role", "c2");
    struct hx_resp *r = hx_post(unit, "/api/v1/threat-reports", doc);
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    const char *path = hx_fmt("/api/v1/threat-reports/%lld", (long long)id);
    HX_EXPECT(hx_send(unit, "POST", hx_fmt("%s/submit", path), NULL, "\"1\""), 200);
    assert_int_equal(lookup_count(unit, "198.51.100.77", NULL), 0);
    HX_EXPECT(hx_send(admin, "POST", hx_fmt("%s/review", path),
                      json_pack("{s:s}", "decision", "accept"), "\"2\""),
              200);
    r = hx_get(admin, hx_fmt("/api/v1/indicators?report_id=%lld", (long long)id));
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *it = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(it, "category")), "botnet");
    r = hx_get(admin, hx_fmt("/api/v1/indicators/%lld",
                             (long long)json_integer_value(json_object_get(it, "id"))));
    HX_EXPECT(r, 200);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r->json, "sources"), 0), "source")),
                        hx_fmt("report:%lld", (long long)id));
    assert_int_equal(
        json_integer_value(json_array_get(json_object_get(r->json, "threat_report_ids"), 0)), id);
    assert_int_equal(lookup_count(unit, "198.51.100.77", "exact"), 1);
}

/* The values the list at path (with &limit=2 pages) returns, newest first, comma-joined. */
static const char *values(struct hx_client *c, const char *path)
{
    json_t *all = hx_list_all(c, path, 2);
    const char *out = "";
    size_t i;
    json_t *it;
    json_array_foreach (all, i, it) {
        out = hx_fmt("%s%s%s", out, i ? "," : "", json_string_value(json_object_get(it, "value")));
    }
    json_decref(all);
    return out;
}

static const char *filtered(struct hx_client *c, const char *filters)
{
    return values(c, hx_fmt("/api/v1/indicators?tag=filt&%s", filters));
}

/* TLP and state filter on the server: the matches of more than one page, whatever sits
 * between them; the export selects the same rows; bad values are refused by name. */
static void test_filters(void **state)
{
    (void)state;
    /* Values of 198.19.0.0/16 are stored flagged; the clock stands at 2026-06-01. */
    static const char wl[] = "{\"name\": \"filter-test\", \"version\": 1, \"type\": \"cidr\","
                             " \"description\": \"t\", \"list\": [\"198.19.0.0/16\"]}";
    struct hx_resp *r =
        hx_send_raw(admin, "POST", "/api/v1/warninglists", "application/json", wl, strlen(wl));
    HX_EXPECT(r, 201);
    const char *csv = "value,type,tlp,valid_until,tags\n"
                      "198.18.0.1,ipv4,clear,2027-01-01T00:00:00Z,filt\n"
                      "198.18.0.2,ipv4,red,2027-01-01T00:00:00Z,filt\n"
                      "198.19.0.3,ipv4,amber,,filt\n"
                      "198.18.0.4,ipv4,white,2026-05-01T00:00:00Z,filt\n"
                      "198.18.0.5,ipv4,amber+strict,,filt\n"
                      "198.19.0.6,ipv4,red,2026-05-01T00:00:00Z,filt\n"
                      "198.18.0.7,ipv4,green,2026-05-01T00:00:00Z,filt\n"
                      "198.18.0.8,ipv4,clear,,filt\n"
                      "198.19.0.9,ipv4,clear,,filt\n";
    expect_counts(import_text(admin, "format=csv&source=filters", csv), 9, 6, 0, 3);

    assert_string_equal(filtered(admin, "tlp=clear"),
                        "198.19.0.9,198.18.0.8,198.18.0.4,198.18.0.1");
    assert_string_equal(filtered(admin, "tlp=white"),
                        "198.19.0.9,198.18.0.8,198.18.0.4,198.18.0.1");
    assert_string_equal(filtered(admin, "tlp=green"), "198.18.0.7");
    assert_string_equal(filtered(admin, "tlp=amber"), "198.19.0.3");
    assert_string_equal(filtered(admin, "tlp=amber%2Bstrict"), "198.18.0.5");
    /* Unescaped, as typed: the '+' arrives as a space. */
    assert_string_equal(filtered(admin, "tlp=amber+strict"), "198.18.0.5");
    assert_string_equal(filtered(admin, "tlp=red"), "198.19.0.6,198.18.0.2");
    assert_string_equal(filtered(admin, "state=live"),
                        "198.18.0.8,198.18.0.5,198.18.0.2,198.18.0.1");
    assert_string_equal(filtered(admin, "live_only=true"),
                        "198.18.0.8,198.18.0.5,198.18.0.2,198.18.0.1");
    /* The first page holds matches only (the newest rows, 198.19.0.9 and .8, do not). */
    r = hx_get(admin, "/api/v1/indicators?tag=filt&state=expired&limit=2");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
    /* A flagged indicator is "flagged", expired or not. */
    assert_string_equal(filtered(admin, "state=expired"), "198.18.0.7,198.18.0.4");
    assert_string_equal(filtered(admin, "state=flagged"), "198.19.0.9,198.19.0.6,198.19.0.3");
    assert_string_equal(filtered(admin, "state=live&tlp=clear"), "198.18.0.8,198.18.0.1");
    assert_string_equal(filtered(admin, "state=expired&live_only=true"), "");
    assert_string_equal(filtered(auditor, "tlp=red&state=flagged"), "198.19.0.6");
    /* A unit never sees red, even asking for it. */
    assert_string_equal(filtered(unit, "tlp=red"), "");
    assert_string_equal(filtered(unit, "state=live"), "198.18.0.8,198.18.0.1");
    assert_string_equal(filtered(unit, "state=flagged"), "198.19.0.9,198.19.0.3");

    r = hx_get(admin, "/api/v1/indicators/export?format=csv&tag=filt&state=expired");
    HX_EXPECT(r, 200);
    assert_non_null(strstr(r->body, "198.18.0.4"));
    assert_non_null(strstr(r->body, "198.18.0.7"));
    assert_null(strstr(r->body, "198.18.0.1"));
    assert_null(strstr(r->body, "198.19.0.6"));
    r = hx_get(admin, "/api/v1/indicators/export?format=csv&tag=filt&tlp=red");
    HX_EXPECT(r, 200);
    assert_non_null(strstr(r->body, "198.18.0.2"));
    assert_non_null(strstr(r->body, "198.19.0.6"));
    assert_null(strstr(r->body, "198.18.0.1"));
    r = hx_get(unit, "/api/v1/indicators/export?format=csv&tag=filt&tlp=red");
    HX_EXPECT(r, 200);
    assert_null(strstr(r->body, "198."));

    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/indicators?tlp=purple"), 400, "invalid", "tlp");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/indicators?state=dead"), 400, "invalid", "state");
    HX_EXPECT_ERROR(hx_get(unit, "/api/v1/indicators?state=LIVE"), 400, "invalid", "state");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/indicators/export?format=csv&tlp=black"), 400, "invalid",
                    "tlp");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/indicators/export?format=stix&state="), 400, "invalid",
                    "state");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpora),         cmocka_unit_test(test_csv_merge),
        cmocka_unit_test(test_warninglist),     cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_export_reimport), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_report_accept),   cmocka_unit_test(test_filters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
