/*
 * test_matrix_work.c - the route x role matrix, its part for work logs, the
 * monthly obligations and drills (routes_work.inc). Columns, conventions and the
 * every-route check: harness_matrix.h.
 *
 * A unit keeps its own work log and reads its own obligations; it sees a drill
 * only when the drill alerted it. The unit column (a user of A) reaches for A's
 * logs, obligations and drills, the unit->other column (another user of A) for
 * B's: 404. Writes get a fresh object per cell (a log at version 1, a drill not
 * yet answered), so each cell's status depends on the caller alone.
 */
#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* keeps unit B's logs */
static int64_t unit_a, unit_b;
static int64_t drill_a, drill_b; /* drills that alerted A only (B only) */

static json_t *log_doc(void)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:i}", "kind", "technical_support", "task", "矩阵技术支撑",
                     "started_at", hx_time(srv->now_ms - 3 * HX_HOUR_MS), "ended_at",
                     hx_time(srv->now_ms - HX_HOUR_MS), "people", 2);
}

/* A fresh log of A (of B for the unit->other column), at version 1. */
static int64_t fresh_log(bool other)
{
    struct hx_resp *r = hx_post(other ? unit_b_user : who[HX_UNIT], "/api/v1/work-logs", log_doc());
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int64_t drill_to(int64_t unit)
{
    struct hx_resp *r =
        hx_post(who[HX_AUTHORITY], "/api/v1/drills",
                json_pack("{s:s,s:[I]}", "title", "矩阵演练", "unit_ids", (json_int_t)unit));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵工作甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵工作乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    fresh_log(false);
    fresh_log(true);
    drill_a = drill_to(unit_a);
    drill_b = drill_to(unit_b);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_client_free(unit_b_user);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

static void p_log_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = log_doc();
}

static void p_log_patch(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/work-logs", fresh_log(hx_role_other(r)), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
    c->body = json_pack("{s:i}", "people", 3);
}

static void p_log_delete(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/work-logs", fresh_log(hx_role_other(r)), "");
}

static void p_obligations(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", hx_role_other(r) ? unit_b : unit_a, "/obligations");
}

static void p_drill_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = json_pack("{s:s,s:[I]}", "title", "矩阵新演练", "unit_ids", (json_int_t)unit_a);
}

static void p_drill(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/drills", hx_role_other(r) ? drill_b : drill_a, "");
}

/* A fresh drill, not yet answered. */
static void p_drill_ack(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/drills", drill_to(hx_role_other(r) ? unit_b : unit_a), "/ack");
}

/* --- the matrix -------------------------------------------------------------------- */

#define UNIT_WRITES                                                                                \
    {                                                                                              \
        401, 403, 403, 403, 200, 404, 403                                                          \
    }
#define READERS                                                                                    \
    {                                                                                              \
        401, 200, 403, 403, 200, 200, 200                                                          \
    }
#define READERS_OWN                                                                                \
    {                                                                                              \
        401, 200, 403, 403, 200, 404, 200                                                          \
    }

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/work-logs", "", NULL, READERS},
    {"POST", "/api/v1/work-logs", "", p_log_create, {401, 403, 403, 403, 201, 201, 403}},
    {"PATCH", "/api/v1/work-logs/{id}", "a fresh log", p_log_patch, UNIT_WRITES},
    {"DELETE",
     "/api/v1/work-logs/{id}",
     "a fresh log",
     p_log_delete,
     {401, 403, 403, 403, 204, 404, 403}},
    {"GET", "/api/v1/units/{id}/obligations", "", p_obligations, READERS_OWN},
    {"GET", "/api/v1/obligations", "", NULL, READERS},
    {"POST", "/api/v1/drills", "", p_drill_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/drills", "", NULL, READERS},
    {"GET", "/api/v1/drills/{id}", "a drill that alerted the unit", p_drill, READERS_OWN},
    {"POST", "/api/v1/drills/{id}/ack", "a fresh drill", p_drill_ack, UNIT_WRITES},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_WORK, rows, YJ_ARRAY_LEN(rows));
}

/* What a unit sees in the lists: its own logs, its own row of the month, the drills
 * that alerted it. Runs before the matrix adds anything. */
static void test_unit_scope(void **state)
{
    (void)state;
    for (int r = HX_UNIT; r <= HX_UNIT_OTHER; r++) {
        json_t *items =
            hx_list_all(who[r], hx_fmt("/api/v1/work-logs?unit_id=%lld", (long long)unit_b), 50);
        assert_int_equal(json_array_size(items), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "unit_id")),
                         unit_a);
        json_decref(items);
        items = hx_list_all(who[r], "/api/v1/drills", 50);
        assert_int_equal(json_array_size(items), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
                         drill_a);
        json_decref(items);
        struct hx_resp *resp = hx_get(who[r], "/api/v1/obligations");
        HX_EXPECT(resp, 200);
        assert_int_equal(json_array_size(json_object_get(resp->json, "items")), 1);
    }
    json_t *all = hx_list_all(who[HX_AUDITOR], "/api/v1/work-logs", 50);
    assert_int_equal(json_array_size(all), 2);
    json_decref(all);
    all = hx_list_all(who[HX_AUDITOR], "/api/v1/drills", 50);
    assert_int_equal(json_array_size(all), 2);
    json_decref(all);
    struct hx_resp *resp = hx_get(who[HX_AUDITOR], "/api/v1/obligations");
    HX_EXPECT(resp, 200);
    assert_int_equal(json_array_size(json_object_get(resp->json, "items")), 2);
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
        cmocka_unit_test(test_unit_scope),
        cmocka_unit_test(test_route_role_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
