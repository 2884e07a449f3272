/*
 * test_matrix_constituency.c - the route x role matrix, its part for the
 * constituency (routes_constituency.inc). Columns, conventions and the every-route
 * check: harness_matrix.h.
 *
 * The authority keeps the constituents; auditors read them and resolve owners;
 * reviewers, experts and units get 403. Constituents belong to no unit, so both
 * unit columns get the same answers. Writes get a fresh constituent per cell.
 */
#include <stdio.h>

#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES];
static struct hx_client *admin;
static int64_t constituent;
static int serial;

static int64_t fresh_constituent(void)
{
    serial++;
    struct hx_resp *r = hx_post(admin, "/api/v1/constituents",
                                json_pack("{s:s,s:s,s:[s]}", "name", hx_fmt("矩阵运营商%d", serial),
                                          "kind", "operator", "ranges",
                                          hx_fmt("10.%d.%d.0/24", serial / 250, serial % 250)));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    int64_t unit = hx_unit_create(admin, hx_unit_doc("矩阵选区单位"));
    hx_matrix_clients(srv, admin, unit, who);
    constituent = fresh_constituent();
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

static void p_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    serial++;
    c->body = json_pack("{s:s,s:s,s:[s]}", "name", "矩阵平台", "kind", "platform", "domains",
                        hx_fmt("cell%d.example.cn", serial));
}

static void p_resolve(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/constituents/resolve?value=10.0.1.9");
}

static void p_get(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/constituents", constituent, "");
}

static void p_patch(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/constituents", fresh_constituent(), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
    c->body = json_pack("{s:s}", "city", "北京");
}

static void p_delete(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/constituents", fresh_constituent(), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
}

/* anonymous, authority, security_reviewer, expert, unit, unit->other, auditor */
static const struct hx_row rows[] = {
    {"POST", "/api/v1/constituents", "", p_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/constituents", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/constituents/resolve", "", p_resolve, {401, 200, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/constituents/{id}", "", p_get, {401, 200, 403, 403, 403, 403, 200}},
    {"PATCH", "/api/v1/constituents/{id}", "", p_patch, {401, 200, 403, 403, 403, 403, 403}},
    {"DELETE", "/api/v1/constituents/{id}", "", p_delete, {401, 204, 403, 403, 403, 403, 403}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_CONSTITUENCY, rows, YJ_ARRAY_LEN(rows));
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
