/*
 * test_api_bad_input.c - every kind of bad request body, on units and on the
 * other routes that take one: malformed JSON, wrong types, unknown and read-only
 * fields, invalid UTF-8, control characters, over-long strings, oversized
 * bodies, impossible dates, bad credit codes, phones and e-mail addresses,
 * duplicate keys and wrong media types. Each must answer the right 4xx naming
 * the field by its path, and write nothing: no unit, no user, no audit record.
 */
#include "harness.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *admin;

/* What a refused request must leave as it was. */
struct counts {
    size_t units, users;
    int64_t audit;
};
static struct counts before;

static struct counts counts_now(void)
{
    struct counts c = {hx_unit_count(admin), hx_user_count(admin), hx_audit_length(admin)};
    return c;
}

static void expect_nothing_written(const char *what)
{
    struct counts now = counts_now();
    if (now.units != before.units || now.users != before.users || now.audit != before.audit)
        fail_msg("%s wrote something: units %zu -> %zu, users %zu -> %zu, audit %lld -> %lld", what,
                 before.units, now.units, before.users, now.users, (long long)before.audit,
                 (long long)now.audit);
}

static int setup(void **state)
{
    (void)state;
    srv = hx_server_new(NULL);
    admin = hx_login_admin(srv);
    before = counts_now();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_server_free(srv);
    return 0;
}

/* Sends body as-is and checks the answer, then that nothing was written. */
static void expect_refused(const char *method, const char *path, const char *content_type,
                           const char *body, size_t len, long status, const char *code,
                           const char *field, const char *label, const char *if_match)
{
    struct hx_req opt = {
        .content_type = content_type, .body = body, .body_len = len, .if_match = if_match};
    struct hx_resp *r = hx_request(admin, method, path, &opt);
    if (r->status != status)
        fail_msg("%s: expected HTTP %ld, got %ld %s", label, status, r->status, r->body);
    hx_expect_error(r, status, code, field, label, 0);
    expect_nothing_written(label);
}

/* A valid unit with the top-level keys of patch (JSON text) replaced. */
static char *unit_with(const char *patch)
{
    json_error_t jerr;
    json_t *p = json_loads(patch, 0, &jerr);
    if (!p)
        fail_msg("test bug: bad patch %s: %s", patch, jerr.text);
    json_t *doc = hx_unit_doc("坏输入单位");
    json_object_update(doc, p);
    json_decref(p);
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return s;
}

struct field_case {
    const char *patch; /* over a valid unit */
    const char *field; /* the error's field path */
};

#define OK_CONTACT "{\"role\":\"emergency_lead\",\"name\":\"李四\"}"
#define ONCALL(s, e) "{\"oncall\":[{\"person\":\"赵六\",\"starts_at\":" s ",\"ends_at\":" e "}]}"

static const struct field_case unit_cases[] = {
    /* types and presence */
    {"{\"name\":123}", "name"},
    {"{\"name\":null}", "name"},
    {"{\"name\":\"\"}", "name"},
    {"{\"name\":\"   \"}", "name"},
    {"{\"name\":[\"a\"]}", "name"},
    {"{\"credit_code\":91350100}", "credit_code"},
    {"{\"credit_code\":null}", "credit_code"},
    {"{\"registered_capital\":\"5000000\"}", "registered_capital"},
    {"{\"registered_capital\":-1}", "registered_capital"},
    {"{\"registered_capital\":1.5}", "registered_capital"},
    {"{\"registered_capital\":true}", "registered_capital"},
    {"{\"registered_capital\":10000000000001}", "registered_capital"},
    {"{\"city\":{\"name\":\"贵阳\"}}", "city"},
    {"{\"contacts\":{}}", "contacts"},
    {"{\"contacts\":\"李四\"}", "contacts"},
    {"{\"contacts\":[\"李四\"]}", "contacts[0]"},
    {"{\"contacts\":[" OK_CONTACT ",7]}", "contacts[1]"},
    {"{\"offices\":[{\"is_headquarters\":\"yes\"}]}", "offices[0].is_headquarters"},
    {"{\"offices\":[{\"floor_area_m2\":-3}]}", "offices[0].floor_area_m2"},
    {"{\"offices\":[{\"staff_count\":\"25\"}]}", "offices[0].staff_count"},
    {"{\"staff\":[{\"name\":\"赵六\",\"years_in_field\":\"6\"}]}", "staff[0].years_in_field"},
    {"{\"staff\":[{\"name\":\"赵六\",\"years_in_field\":81}]}", "staff[0].years_in_field"},
    {"{\"staff\":[{\"name\":\"赵六\",\"in_province\":1}]}", "staff[0].in_province"},
    {"{\"staff\":[{\"name\":\"赵六\",\"certificates\":\"CISP\"}]}", "staff[0].certificates"},
    {"{\"staff\":[{\"name\":\"赵六\",\"certificates\":[\"CISP\",5]}]}", "staff[0].certificates[1]"},
    {"{\"staff\":[{\"name\":\"赵六\",\"certificates\":[\"CISP\",\"\"]}]}",
     "staff[0].certificates[1]"},
    {"{\"staff\":[{\"name\":\"赵六\"},{\"department\":\"应急部\"}]}", "staff[1].name"},
    {"{\"capabilities\":[{\"description\":\"强\"}]}", "capabilities[0].field"},
    {"{\"capabilities\":[{\"field\":\"hacking\"}]}", "capabilities[0].field"},
    {"{\"capabilities\":[{\"field\":\"data_security\"},{\"field\":\"data_security\"}]}",
     "capabilities[1].field"},
    /* unknown and read-only fields */
    {"{\"website\":\"https://example.cn\"}", "website"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李四\",\"fax\":\"1\"}]}",
     "contacts[0].fax"},
    {"{\"offices\":[{\"name\":\"总部\",\"rent\":1}]}", "offices[0].rent"},
    {"{\"staff\":[{\"name\":\"赵六\",\"salary\":1}]}", "staff[0].salary"},
    {"{\"oncall\":[{\"person\":\"赵六\",\"starts_at\":\"2026-11-22T00:00:00Z\",\"ends_at\":"
     "\"2026-11-23T00:00:00Z\",\"note\":\"x\"}]}",
     "oncall[0].note"},
    {"{\"id\":5}", "id"},
    {"{\"version\":1}", "version"},
    {"{\"created_at\":\"2026-01-01T00:00:00Z\"}", "created_at"},
    {"{\"updated_at\":null}", "updated_at"},
    {"{\"personal_data_hidden\":true}", "personal_data_hidden"},
    /* contacts: roles, names, phones, e-mail */
    {"{\"contacts\":[{\"name\":\"李四\"}]}", "contacts[0].role"},
    {"{\"contacts\":[{\"role\":\"boss\",\"name\":\"李四\"}]}", "contacts[0].role"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\"}]}", "contacts[0].name"},
    {"{\"contacts\":[" OK_CONTACT ",{\"role\":\"emergency_lead\",\"name\":\"王五\"}]}",
     "contacts[1].role"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李四\",\"mobile\":\"12345678901\"}]}",
     "contacts[0].mobile"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李四\",\"mobile\":\"1380000000\"}]}",
     "contacts[0].mobile"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李四\",\"mobile\":13800000000}]}",
     "contacts[0].mobile"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李四\",\"office_phone\":\"电话\"}]}",
     "contacts[0].office_phone"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李四\",\"email\":\"not an "
     "email\"}]}",
     "contacts[0].email"},
    {"{\"contacts\":[" OK_CONTACT ",{\"role\":\"interface\",\"name\":\"王五\",\"email\":"
     "\"wangwu@\"}]}",
     "contacts[1].email"},
    {"{\"contacts\":[" OK_CONTACT ",{\"role\":\"interface\",\"name\":\"王五\",\"email\":"
     "\"@example.cn\"}]}",
     "contacts[1].email"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"a\"},{\"role\":\"support_lead\","
     "\"name\":\"b\"},{\"role\":\"support_contact\",\"name\":\"c\"},{\"role\":\"selection_"
     "contact\",\"name\":\"d\"},{\"role\":\"interface\",\"name\":\"e\"},{\"role\":\"interface\","
     "\"name\":\"f\"}]}",
     "contacts"},
    /* offices */
    {"{\"offices\":[{\"tenure\":\"leased\"}]}", "offices[0].tenure"},
    {"{\"offices\":[{\"province\":\"贵州\"}]}", "offices[0].province"},
    {"{\"offices\":[{\"name\":\"总部\"},{\"phone\":\"abc\"}]}", "offices[1].phone"},
    /* dates and times */
    {"{\"founded_on\":\"2026-02-30\"}", "founded_on"},
    {"{\"founded_on\":\"2023-02-29\"}", "founded_on"},
    {"{\"founded_on\":\"2015-3-1\"}", "founded_on"},
    {"{\"founded_on\":\"2015-03-01T00:00:00Z\"}", "founded_on"},
    {"{\"founded_on\":\"2999-01-01\"}", "founded_on"},
    {"{\"founded_on\":20150301}", "founded_on"},
    {ONCALL("\"2026-11-22\"", "\"2026-11-29T00:00:00Z\""), "oncall[0].starts_at"},
    {ONCALL("\"2026-02-30T00:00:00Z\"", "\"2026-11-29T00:00:00Z\""), "oncall[0].starts_at"},
    {ONCALL("\"2026-11-22T24:00:00Z\"", "\"2026-11-29T00:00:00Z\""), "oncall[0].starts_at"},
    {ONCALL("\"2026-11-22T00:00:00Z\"", "null"), "oncall[0].ends_at"},
    {ONCALL("\"2026-11-29T00:00:00Z\"", "\"2026-11-22T00:00:00Z\""), "oncall[0].ends_at"},
    {ONCALL("\"2026-11-22T08:00:00+08:00\"", "\"2026-11-22T00:00:00Z\""), "oncall[0].ends_at"},
    {"{\"oncall\":[{\"person\":\"赵六\",\"mobile\":\"110\",\"starts_at\":\"2026-11-22T00:00:00Z\","
     "\"ends_at\":\"2026-11-29T00:00:00Z\"}]}",
     "oncall[0].mobile"},
    /* credit codes and provinces */
    {"{\"credit_code\":\"91350100M000100Y44\"}", "credit_code"},
    {"{\"credit_code\":\"91350100m000100y43\"}", "credit_code"},
    {"{\"credit_code\":\"91350100M000100Y4\"}", "credit_code"},
    {"{\"credit_code\":\"91350100M000100Y433\"}", "credit_code"},
    {"{\"credit_code\":\"91350100M000100I43\"}", "credit_code"},
    {"{\"credit_code\":\"913501X0M000100Y43\"}", "credit_code"},
    {"{\"credit_code\":\"\"}", "credit_code"},
    {"{\"province\":\"贵州\"}", "province"},
    {"{\"province\":\"Guizhou\"}", "province"},
    /* control characters (escaped, so the JSON itself is fine) */
    {"{\"name\":\"坏\\u0007名字\"}", "name"},
    {"{\"name\":\"坏\\u007f名字\"}", "name"},
    {"{\"address\":\"钟山区\\u001b[31m\"}", "address"},
    {"{\"contacts\":[{\"role\":\"emergency_lead\",\"name\":\"李\\u0001四\"}]}", "contacts[0].name"},
    {"{\"staff\":[{\"name\":\"赵六\",\"certificates\":[\"CISP\\u0008\"]}]}",
     "staff[0].certificates[0]"},
};

static void test_unit_fields(void **state)
{
    (void)state;
    before = counts_now(); /* each test on its own, even after another failed */
    for (size_t i = 0; i < YJ_ARRAY_LEN(unit_cases); i++) {
        char *body = unit_with(unit_cases[i].patch);
        expect_refused("POST", "/api/v1/units", "application/json", body, strlen(body), 400,
                       "invalid", unit_cases[i].field, unit_cases[i].patch, NULL);
        free(body);
    }
}

/* n copies of s, malloc'd. */
static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *out = malloc(len * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * len, s, len);
    out[len * n] = '\0';
    return out;
}

static void test_string_lengths(void **state)
{
    (void)state;
    before = counts_now(); /* each test on its own, even after another failed */
    static const struct {
        const char *key; /* a top-level key, or NULL for a nested case built below */
        size_t max;
    } limits[] = {{"name", 100},
                  {"legal_representative", 200},
                  {"business_term", 200},
                  {"business_scope", 2000},
                  {"registration_authority", 200},
                  {"city", 200},
                  {"address", 200}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(limits); i++) {
        /* Characters, not bytes: max CJK characters (3 bytes each) pass, one more fails. */
        char *text = repeat("汉", limits[i].max + 1);
        json_t *doc = hx_unit_doc("超长");
        json_object_set_new(doc, limits[i].key, json_string(text));
        char *body = json_dumps(doc, JSON_COMPACT);
        expect_refused("POST", "/api/v1/units", "application/json", body, strlen(body), 400,
                       "invalid", limits[i].key, limits[i].key, NULL);
        free(body);
        json_decref(doc);
        free(text);
    }
    char *long_title = repeat("x", 201), *long_desc = repeat("能", 2001);
    json_t *doc = hx_unit_doc("超长");
    json_object_set_new(json_array_get(json_object_get(doc, "contacts"), 1), "dept_title",
                        json_string(long_title));
    char *body = json_dumps(doc, JSON_COMPACT);
    expect_refused("POST", "/api/v1/units", "application/json", body, strlen(body), 400, "invalid",
                   "contacts[1].dept_title", "dept_title", NULL);
    free(body);
    json_decref(doc);
    doc = hx_unit_doc("超长");
    json_object_set_new(json_array_get(json_object_get(doc, "capabilities"), 0), "description",
                        json_string(long_desc));
    body = json_dumps(doc, JSON_COMPACT);
    expect_refused("POST", "/api/v1/units", "application/json", body, strlen(body), 400, "invalid",
                   "capabilities[0].description", "description", NULL);
    free(body);
    json_decref(doc);
    free(long_title);
    free(long_desc);

    /* too many entries in a list */
    doc = hx_unit_doc("超多");
    json_t *staff = json_array();
    for (int i = 0; i < 2001; i++)
        json_array_append_new(staff, json_pack("{s:s}", "name", "员工"));
    json_object_set_new(doc, "staff", staff);
    body = json_dumps(doc, JSON_COMPACT);
    expect_refused("POST", "/api/v1/units", "application/json", body, strlen(body), 400, "invalid",
                   "staff", "2001 staff", NULL);
    free(body);
    json_decref(doc);

    /* The boundary itself is accepted: 100 characters of 3 bytes each. */
    char *name = repeat("汉", 100);
    doc = hx_unit_min(name);
    struct hx_resp *r = hx_post(admin, "/api/v1/units", doc);
    HX_EXPECT(r, 201);
    assert_string_equal(hx_json_str(r, "name"), name);
    free(name);
    before = counts_now();
}

#define CODE "\"credit_code\":\"91350100M000100Y43\""
#define RAW_NUL "{\"name\":\"a\0b\"," CODE "}"

static void test_malformed_bodies(void **state)
{
    (void)state;
    before = counts_now(); /* each test on its own, even after another failed */
    static const struct {
        const char *label;
        const char *body;
        size_t len; /* 0: strlen */
    } cases[] = {
        {"empty body", "", 0},
        {"truncated", "{\"name\":", 0},
        {"an array", "[{\"name\":\"x\"}]", 0},
        {"a string", "\"单位\"", 0},
        {"null", "null", 0},
        {"trailing garbage", "{\"name\":\"x\"," CODE "} x", 0},
        {"two objects", "{\"name\":\"x\"," CODE "}{}", 0},
        {"single quotes", "{'name':'x'}", 0},
        {"trailing comma", "{\"name\":\"x\"," CODE ",}", 0},
        {"comment", "{\"name\":\"x\" /* c */," CODE "}", 0},
        {"invalid UTF-8", "{\"name\":\"\xff\xfe\"," CODE "}", 0},
        {"truncated UTF-8", "{\"name\":\"\xe6\xb1\"," CODE "}", 0},
        {"overlong UTF-8", "{\"name\":\"\xc0\xaf\"," CODE "}", 0},
        {"UTF-8 surrogate", "{\"name\":\"\xed\xa0\x80\"," CODE "}", 0},
        {"lone surrogate escape", "{\"name\":\"\\ud800\"," CODE "}", 0},
        {"escaped NUL", "{\"name\":\"a\\u0000b\"," CODE "}", 0},
        {"raw NUL", RAW_NUL, sizeof RAW_NUL - 1},
        {"raw control character",
         "{\"name\":\"a\x01"
         "b\"," CODE "}",
         0},
        {"raw newline in a string", "{\"name\":\"a\nb\"," CODE "}", 0},
        {"duplicate key", "{\"name\":\"a\",\"name\":\"b\"," CODE "}", 0},
        {"duplicate nested key",
         "{\"name\":\"a\"," CODE ",\"contacts\":[{\"role\":\"interface\",\"role\":\"interface\","
         "\"name\":\"x\"}]}",
         0},
        {"number too big", "{\"name\":\"a\"," CODE ",\"registered_capital\":1e999}", 0},
        {"integer too big", "{\"name\":\"a\"," CODE ",\"registered_capital\":99999999999999999999}",
         0},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++)
        expect_refused("POST", "/api/v1/units", "application/json", cases[i].body,
                       cases[i].len ? cases[i].len : strlen(cases[i].body), 400, "invalid", "body",
                       cases[i].label, NULL);

    /* Deep nesting is refused, not a stack overflow. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 32);
    assert_non_null(deep);
    size_t n = (size_t)snprintf(deep, 32, "{\"name\":");
    memset(deep + n, '[', depth);
    memset(deep + n + depth, ']', depth);
    deep[n + 2 * depth] = '}';
    expect_refused("POST", "/api/v1/units", "application/json", deep, n + 2 * depth + 1, 400,
                   "invalid", "body", "deep nesting", NULL);
    free(deep);
}

static void test_sizes_and_media_types(void **state)
{
    (void)state;
    before = counts_now(); /* each test on its own, even after another failed */
    char *valid = unit_with("{}");
    size_t vlen = strlen(valid);
    static const char *const types[] = {NULL,
                                        "text/plain",
                                        "application/x-www-form-urlencoded",
                                        "multipart/form-data; boundary=x",
                                        "application/jsonx",
                                        "application/json-patch+json",
                                        "text/json"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(types); i++)
        expect_refused("POST", "/api/v1/units", types[i], valid, vlen, 415,
                       "unsupported_media_type", "Content-Type", types[i] ? types[i] : "no type",
                       NULL);

    /* Over 1 MiB: 413 whether announced by Content-Length or sent chunked. */
    size_t max = 1024 * 1024;
    char *big = malloc(max + 2);
    assert_non_null(big);
    memset(big, ' ', max + 1);
    memcpy(big, valid, vlen);
    expect_refused("POST", "/api/v1/units", "application/json", big, max + 1, 413, "too_large",
                   "body", "1 MiB + 1", NULL);
    size_t chunked_len = max + max / 2;
    char *bigger = malloc(chunked_len);
    assert_non_null(bigger);
    memset(bigger, ' ', chunked_len);
    memcpy(bigger, valid, vlen);
    struct hx_req opt = {.content_type = "application/json",
                         .body = bigger,
                         .body_len = chunked_len,
                         .chunked = true};
    struct hx_resp *r = hx_request(admin, "POST", "/api/v1/units", &opt);
    HX_EXPECT_ERROR(r, 413, "too_large", "body");
    expect_nothing_written("1.5 MiB chunked");
    free(bigger);

    /* Exactly 1 MiB is allowed, as is a charset parameter. */
    struct hx_req exact = {
        .content_type = "application/json; charset=utf-8", .body = big, .body_len = max};
    r = hx_request(admin, "POST", "/api/v1/units", &exact);
    HX_EXPECT(r, 201);
    free(big);
    free(valid);
    before = counts_now();
}

static void test_unit_patch_bodies(void **state)
{
    (void)state;
    int64_t id = hx_unit_create(admin, NULL);
    before = counts_now();
    const char *path = hx_fmt("/api/v1/units/%lld", (long long)id);
    char p[64];
    snprintf(p, sizeof p, "%s", path);
    static const struct field_case cases[] = {
        {"{\"contacts\":[{\"role\":\"boss\",\"name\":\"李四\"}]}", "contacts[0].role"},
        {"{\"id\":3}", "id"},
        {"{\"version\":2}", "version"},
        {"{\"website\":\"x\"}", "website"},
        {"{\"founded_on\":\"2026-02-30\"}", "founded_on"},
        {"{\"contacts\":[" OK_CONTACT ",{\"role\":\"interface\",\"name\":\"王五\",\"email\":"
         "\"x@\"}]}",
         "contacts[1].email"},
        {"{\"credit_code\":\"91350100M000100Y44\"}", "credit_code"},
        {"{\"staff\":[{\"name\":\"赵六\",\"certificates\":[1]}]}", "staff[0].certificates[0]"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++)
        expect_refused("PATCH", p, "application/merge-patch+json", cases[i].patch,
                       strlen(cases[i].patch), 400, "invalid", cases[i].field, cases[i].patch,
                       "\"1\"");
    expect_refused("PATCH", p, "application/json", "{\"city\":", 8, 400, "invalid", "body",
                   "truncated patch", "\"1\"");
    expect_refused("PATCH", p, "application/json", "[]", 2, 400, "invalid", "body", "array patch",
                   "\"1\"");
    expect_refused("PATCH", p, "text/plain", "{}", 2, 415, "unsupported_media_type", "Content-Type",
                   "text patch", "\"1\"");
    assert_int_equal(hx_unit_version(admin, id), 1);
}

/* A body from JSON text, sent with application/json, expected refused with 400 on field. */
static void refuse_json(const char *method, const char *path, const char *text, const char *field)
{
    expect_refused(method, path, "application/json", text, strlen(text), 400, "invalid", field,
                   text, NULL);
}

static void test_other_bodies(void **state)
{
    (void)state;
    int64_t expert = hx_user_create(admin, "expert", 0, NULL, NULL, NULL);
    before = counts_now();

    /* users */
    static const struct field_case users[] = {
        {"{\"username\":\"Bad Name\",\"password\":\"long-enough-pw-1\",\"role\":\"expert\"}",
         "username"},
        {"{\"username\":\"ab\",\"password\":\"long-enough-pw-1\",\"role\":\"expert\"}", "username"},
        {"{\"username\":\"abcdefghijabcdefghijabcdefghijabc\",\"password\":\"long-enough-pw-1\","
         "\"role\":\"expert\"}",
         "username"},
        {"{\"username\":\"newuser\",\"password\":\"short\",\"role\":\"expert\"}", "password"},
        {"{\"username\":\"newuser\",\"password\":12345678901234,\"role\":\"expert\"}", "password"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"root\"}", "role"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"unit\"}",
         "unit_id"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"unit\","
         "\"unit_id\":987654}",
         "unit_id"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"unit\","
         "\"unit_id\":\"1\"}",
         "unit_id"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"expert\","
         "\"unit_id\":1}",
         "unit_id"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"expert\","
         "\"email\":\"a@b.cn\"}",
         "email"},
        {"{\"username\":\"newuser\",\"password\":\"long-enough-pw-1\",\"role\":\"expert\","
         "\"display_name\":\"坏\\u0007\"}",
         "display_name"},
        {"{\"password\":\"long-enough-pw-1\",\"role\":\"expert\"}", "username"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(users); i++)
        refuse_json("POST", "/api/v1/users", users[i].patch, users[i].field);
    char *long_pw = repeat("p", 257);
    json_t *u =
        json_pack("{s:s,s:s,s:s}", "username", "newuser", "password", long_pw, "role", "expert");
    char *body = json_dumps(u, JSON_COMPACT);
    refuse_json("POST", "/api/v1/users", body, "password");
    free(body);
    json_decref(u);
    free(long_pw);
    const char *taken = "{\"username\":\"admin\",\"password\":\"long-enough-pw-1\",\"role\":"
                        "\"expert\"}";
    expect_refused("POST", "/api/v1/users", "application/json", taken, strlen(taken), 409,
                   "conflict", "username", "taken username", NULL);

    const char *user_path = hx_fmt("/api/v1/users/%lld", (long long)expert);
    char up[64];
    snprintf(up, sizeof up, "%s", user_path);
    refuse_json("PATCH", up, "{\"disabled\":\"yes\"}", "disabled");
    refuse_json("PATCH", up, "{\"role\":\"authority\"}", "role");
    refuse_json("PATCH", up, "{\"display_name\":5}", "display_name");
    char *long_name = repeat("名", 101);
    json_t *dn = json_pack("{s:s}", "display_name", long_name);
    body = json_dumps(dn, JSON_COMPACT);
    refuse_json("PATCH", up, body, "display_name");
    free(body);
    json_decref(dn);
    free(long_name);
    refuse_json("PATCH", hx_fmt("/api/v1/users/%lld", (long long)admin->user_id),
                "{\"disabled\":true}", "disabled");
    refuse_json("POST", hx_fmt("/api/v1/users/%lld/password", (long long)expert),
                "{\"new_password\":\"short\"}", "new_password");
    refuse_json("POST", hx_fmt("/api/v1/users/%lld/password", (long long)expert),
                "{\"new_password\":\"long-enough-pw-1\",\"force\":true}", "force");

    /* tokens */
    refuse_json("POST", "/api/v1/tokens", "{\"name\":\"\"}", "name");
    refuse_json("POST", "/api/v1/tokens", "{}", "name");
    refuse_json("POST", "/api/v1/tokens", "{\"name\":\"ci\",\"expires_at\":\"tomorrow\"}",
                "expires_at");
    refuse_json("POST", "/api/v1/tokens",
                "{\"name\":\"ci\",\"expires_at\":\"2020-01-01T00:00:00Z\"}", "expires_at");
    refuse_json("POST", "/api/v1/tokens", "{\"name\":\"ci\",\"scope\":\"all\"}", "scope");
    refuse_json("POST", "/api/v1/tokens", "{\"name\":\"c\\u0001i\"}", "name");

    /* own password: the current one stays */
    refuse_json("PUT", "/api/v1/session/password",
                "{\"current_password\":\"" HX_ADMIN_PASSWORD "\",\"new_password\":\"short\"}",
                "new_password");
    refuse_json("PUT", "/api/v1/session/password", "{\"new_password\":\"long-enough-pw-1\"}",
                "current_password");
    refuse_json("PUT", "/api/v1/session/password",
                "{\"current_password\":\"wrong-password-1\",\"new_password\":\"long-enough-pw-1\"}",
                "current_password");

    /* logging in: malformed bodies never reach the password check */
    refuse_json("POST", "/api/v1/session", "{\"username\":\"admin\"}", "password");
    refuse_json("POST", "/api/v1/session", "{\"username\":1,\"password\":\"x\"}", "username");
    refuse_json("POST", "/api/v1/session",
                "{\"username\":\"admin\",\"password\":\"x\",\"remember\":true}", "remember");
    expect_refused("POST", "/api/v1/session", "application/json", "{\"username\":", 12, 400,
                   "invalid", "body", "truncated login", NULL);
    expect_refused("POST", "/api/v1/session", "text/plain", "{}", 2, 415, "unsupported_media_type",
                   "Content-Type", "text login", NULL);

    /* query strings name the parameter too */
    static const struct {
        const char *path, *field;
    } queries[] = {
        {"/api/v1/units?limit=0", "limit"},       {"/api/v1/units?bogus=1", "bogus"},
        {"/api/v1/users?role=root", "role"},      {"/api/v1/audit?from=yesterday", "from"},
        {"/api/v1/audit?to=2026-13-01", "to"},    {"/api/v1/tokens?cursor=-5", "cursor"},
        {"/api/v1/reference/provinces?q=x", "q"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(queries); i++) {
        struct hx_resp *r = hx_get(admin, queries[i].path);
        if (r->status != 400)
            fail_msg("%s: HTTP %ld %s", queries[i].path, r->status, r->body);
        HX_EXPECT_ERROR(r, 400, "invalid", queries[i].field);
    }
    expect_nothing_written("the refused bodies");
    /* and the admin's password is still the old one */
    struct hx_client *again = hx_login_admin(srv);
    hx_client_free(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_fields),       cmocka_unit_test(test_string_lengths),
        cmocka_unit_test(test_malformed_bodies),  cmocka_unit_test(test_sizes_and_media_types),
        cmocka_unit_test(test_unit_patch_bodies), cmocka_unit_test(test_other_bodies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
