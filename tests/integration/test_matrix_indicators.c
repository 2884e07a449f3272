/*
 * test_matrix_indicators.c - the route x role matrix, its part for the indicator
 * store and the warning lists (routes_indicators.inc). Columns, conventions and the
 * every-route check: harness_matrix.h.
 *
 * The authority imports and edits; auditors read everything; units read and look
 * up indicators (TLP clear, green, amber) but see no warning lists; experts and
 * security reviewers get 403. Indicators belong to no unit, so both unit columns
 * get the same answers. Writes get a fresh object per cell.
 */
#include <string.h>

#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES];
static struct hx_client *admin;
static int64_t indicator; /* TLP amber: every reader may see it */
static int serial;

#define WL_DOC "{\"name\":\"matrix list %d\",\"type\":\"cidr\",\"list\":[\"192.0.2.0/24\"]}"

static int64_t fresh_indicator(void)
{
    const char *v = hx_fmt("203.0.113.%d\n", ++serial % 250 + 1);
    struct hx_resp *r =
        hx_send_raw(admin, "POST", "/api/v1/indicators/import?format=plain&source=matrix",
                    "text/plain", v, strlen(v));
    HX_EXPECT(r, 200);
    r = hx_get(admin, hx_fmt("/api/v1/indicators?q=%s",
                             hx_escape(hx_fmt("203.0.113.%d", serial % 250 + 1))));
    HX_EXPECT(r, 200);
    return json_integer_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
}

static int64_t fresh_warninglist(void)
{
    const char *doc = hx_fmt(WL_DOC, ++serial);
    struct hx_resp *r =
        hx_send_raw(admin, "POST", "/api/v1/warninglists", "application/json", doc, strlen(doc));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    int64_t unit = hx_unit_create(admin, hx_unit_doc("矩阵情报单位"));
    hx_matrix_clients(srv, admin, unit, who);
    indicator = fresh_indicator();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

static void p_import(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/indicators/import?format=plain&source=cell");
    c->raw = "198.51.100.1\nexample.net\n";
    c->raw_len = strlen(c->raw);
    c->content_type = "text/plain";
}

static void p_lookup(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/indicators/lookup?value=203.0.113.2");
}

static void p_export(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/indicators/export?format=stix");
}

static void p_indicator(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/indicators", indicator, "");
}

static void p_indicator_patch(enum hx_role r, struct hx_call *c)
{
    (void)r;
    int64_t id = fresh_indicator();
    struct hx_resp *g = hx_get(admin, hx_fmt("/api/v1/indicators/%lld", (long long)id));
    hx_call_path(c, "/api/v1/indicators", id, "");
    snprintf(c->if_match, sizeof c->if_match, "%s", g->etag ? g->etag : "\"1\"");
    c->body = json_pack("{s:i}", "confidence", 75);
}

static void p_wl_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    static char doc[256];
    snprintf(doc, sizeof doc, WL_DOC, ++serial);
    c->raw = doc;
    c->raw_len = strlen(doc);
    c->content_type = "application/json";
}

static void p_wl_patch(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/warninglists", fresh_warninglist(), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
    c->body = json_pack("{s:b}", "enabled", 0);
}

/* anonymous, authority, security_reviewer, expert, unit, unit->other, auditor */
static const struct hx_row rows[] = {
    {"POST", "/api/v1/indicators/import", "", p_import, {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/indicators", "", NULL, {401, 200, 403, 403, 200, 200, 200}},
    {"GET", "/api/v1/indicators/lookup", "", p_lookup, {401, 200, 403, 403, 200, 200, 200}},
    {"GET", "/api/v1/indicators/export", "", p_export, {401, 200, 403, 403, 200, 200, 200}},
    {"GET", "/api/v1/indicators/{id}", "", p_indicator, {401, 200, 403, 403, 200, 200, 200}},
    {"PATCH",
     "/api/v1/indicators/{id}",
     "",
     p_indicator_patch,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/warninglists", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"POST", "/api/v1/warninglists", "", p_wl_create, {401, 201, 403, 403, 403, 403, 403}},
    {"PATCH", "/api/v1/warninglists/{id}", "", p_wl_patch, {401, 200, 403, 403, 403, 403, 403}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_INDICATORS, rows, YJ_ARRAY_LEN(rows));
}

static void test_route_role_matrix(void **state)
{
    (void)state;
    hx_matrix_run(who, rows, YJ_ARRAY_LEN(rows));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_route_role_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
