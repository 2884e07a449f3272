/*
 * test_matrix_notify.c - the route x role matrix, its part for notifications:
 * webhooks and the test message (the authority's), the outbox (the authority and
 * the auditor read it), and in-app notifications (everyone's own; another
 * user's is 404). Columns, conventions and the every-route check:
 * harness_matrix.h.
 *
 * The server runs without an SMTP server: the outbox row setup makes stays
 * pending, which is all its reads need.
 */
#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES];
static int64_t unit_a, hook, outbox_row, admin_note;

static int64_t first_id(struct hx_client *c, const char *path)
{
    struct hx_resp *r = hx_get(c, path);
    HX_EXPECT(r, 200);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    if (!first)
        fail_msg("%s is empty", path);
    return json_integer_value(json_object_get(first, "id"));
}

static int64_t hook_new(struct hx_client *admin)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/webhooks",
                                json_pack("{s:s,s:s,s:b}", "name", "矩阵", "url",
                                          "http://127.0.0.1:1/matrix", "enabled", 0));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    srv = hx_server_new(NULL);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵通知单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    hook = hook_new(admin);
    HX_EXPECT(hx_post(admin, "/api/v1/notify/test",
                      json_pack("{s:s,s:b}", "email", "matrix@unit.example.com", "inapp", 1)),
              202);
    outbox_row = first_id(admin, "/api/v1/outbox");
    admin_note = first_id(admin, "/api/v1/notifications");
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

static void p_hook_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = json_pack("{s:s,s:s,s:b}", "name", "矩阵新建", "url", "https://hook.example.com/x",
                        "enabled", 0);
}

static void p_hook(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/webhooks", hook, "");
}

static void p_hook_patch(enum hx_role r, struct hx_call *c)
{
    p_hook(r, c);
    c->body = json_pack("{s:s}", "name", hx_fmt("矩阵 %s", hx_role_names[r]));
}

/* A fresh webhook for each cell. */
static void p_hook_delete(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/webhooks", hook_new(who[HX_AUTHORITY]), "");
}

static void p_test(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = json_pack("{s:b}", "inapp", 1);
}

static void p_duty(enum hx_role r, struct hx_call *c)
{
    c->body = json_pack("{s:s,s:s}", "name", hx_fmt("值班 %s", hx_role_names[r]), "email",
                        "duty@authority.example.gov.cn");
}

static void p_outbox_row(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/outbox", outbox_row, "");
}

static void p_read_admins(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/notifications", admin_note, "/read");
}

/* --- the matrix -------------------------------------------------------------------- */

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/webhooks", "", NULL, {401, 200, 403, 403, 403, 403, 403}},
    {"POST", "/api/v1/webhooks", "", p_hook_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/webhooks/{id}", "", p_hook, {401, 200, 403, 403, 403, 403, 403}},
    {"PATCH", "/api/v1/webhooks/{id}", "", p_hook_patch, {401, 200, 403, 403, 403, 403, 403}},
    {"DELETE",
     "/api/v1/webhooks/{id}",
     "a fresh one",
     p_hook_delete,
     {401, 204, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/notify/test",
     "in-app, to oneself",
     p_test,
     {401, 202, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/notify/duty", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"PUT", "/api/v1/notify/duty", "", p_duty, {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/outbox", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/outbox/{id}", "", p_outbox_row, {401, 200, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/notifications", "one's own", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/api/v1/notifications/unread-count",
     "one's own",
     NULL,
     {401, 200, 200, 200, 200, 200, 200}},
    {"POST",
     "/api/v1/notifications/read-all",
     "one's own",
     NULL,
     {401, 200, 200, 200, 200, 200, 200}},
    {"POST",
     "/api/v1/notifications/{id}/read",
     "the authority's",
     p_read_admins,
     {401, 200, 404, 404, 404, 404, 404}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_NOTIFY, rows, YJ_ARRAY_LEN(rows));
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
