/*
 * test_matrix_feeds.c - the route x role matrix, its part for the indicator feeds
 * (routes_feeds.inc). Columns, conventions and the every-route check:
 * harness_matrix.h.
 *
 * The authority keeps and runs feeds; auditors read them and their runs; units,
 * experts and security reviewers get 403. Feeds belong to no unit, so both unit
 * columns get the same answers. Writes get a fresh feed per cell; a run reads a
 * file that does not exist, which is a recorded run (status error) all the same.
 */
#include <string.h>

#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES];
static struct hx_client *admin;
static int64_t feed; /* read by every reader */
static int serial;

static json_t *feed_doc(void)
{
    return json_pack("{s:s,s:s,s:s,s:i}", "name", hx_fmt("matrix feed %d", ++serial), "source",
                     "file:///nonexistent/yingji-matrix-feed.txt", "format", "plain",
                     "interval_minutes", 60);
}

static int64_t fresh_feed(void)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/feeds", feed_doc());
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    int64_t unit = hx_unit_create(admin, hx_unit_doc("矩阵情报源单位"));
    hx_matrix_clients(srv, admin, unit, who);
    feed = fresh_feed();
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
    c->body = feed_doc();
}

static void p_feed(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/feeds", feed, "");
}

static void p_patch(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/feeds", fresh_feed(), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
    c->body = json_pack("{s:i}", "interval_minutes", 30);
}

static void p_delete(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/feeds", fresh_feed(), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
}

static void p_run(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/feeds", fresh_feed(), "/run");
}

static void p_runs(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/feeds", feed, "/runs");
}

/* anonymous, authority, security_reviewer, expert, unit, unit->other, auditor */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/feeds", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"POST", "/api/v1/feeds", "", p_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/feeds/{id}", "", p_feed, {401, 200, 403, 403, 403, 403, 200}},
    {"PATCH", "/api/v1/feeds/{id}", "", p_patch, {401, 200, 403, 403, 403, 403, 403}},
    {"DELETE", "/api/v1/feeds/{id}", "", p_delete, {401, 204, 403, 403, 403, 403, 403}},
    {"POST", "/api/v1/feeds/{id}/run", "", p_run, {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/feeds/{id}/runs", "", p_runs, {401, 200, 403, 403, 403, 403, 200}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_FEEDS, rows, YJ_ARRAY_LEN(rows));
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
