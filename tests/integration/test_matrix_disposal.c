/*
 * test_matrix_disposal.c - the route x role matrix, its part for disposal notices
 * (routes_disposal.inc). Columns, conventions and the every-route check:
 * harness_matrix.h.
 *
 * The authority plans, sends and records; auditors read; a unit reads the notices
 * of the reports it filed (another unit's are 404); reviewers and experts get 403.
 * The owner's public routes take no login at all: every column gets the same answer.
 * Each cell that changes a notice gets a fresh one (a fresh constituent owning the
 * values of a fresh accepted report); the public cells find its link's token in the
 * notice's webhook request, as an SMS gateway would (the outbox shows links without
 * their tokens).
 */
#include <stdio.h>
#include <string.h>

#include "harness_matrix.h"
#include "harness_peer.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES];
static struct hx_client *admin, *other_unit;
static int64_t own_report, own_notice, other_notice;
static char own_token[64];
static int serial;
static struct hx_peer hooks;
static int hooks_seen;

/* An accepted botnet report filed by c whose values a fresh constituent owns, and that
 * constituent's id into *owner. */
static int64_t fresh_report(struct hx_client *c, int64_t *owner)
{
    serial++;
    const char *net = hx_fmt("10.%d.%d", serial / 250, serial % 250);
    char src[32], dst[32], c2[32];
    snprintf(src, sizeof src, "%s.1", net);
    snprintf(dst, sizeof dst, "%s.2", net);
    snprintf(c2, sizeof c2, "%s.3", net);
    struct hx_resp *r =
        hx_post(admin, "/api/v1/constituents",
                json_pack("{s:s,s:s,s:[s],s:[{s:s,s:s}]}", "name", hx_fmt("矩阵单位%d", serial),
                          "kind", "operator", "ranges", hx_fmt("%s.0/24", net), "contacts", "role",
                          "abuse", "email", hx_fmt("abuse%d@matrix.example.cn", serial)));
    HX_EXPECT(r, 201);
    *owner = hx_json_int(r, "id");
    r = hx_post(c, "/api/v1/threat-reports",
                json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:i,s:s,s:i,s:s}],s:[{s:s,s:s,s:s}]}",
                          "category", "botnet", "title", "矩阵僵尸网络", "summary", "摘要",
                          "propagation_path", "路径", "five_tuples", "src_ip", src, "src_port",
                          40000, "dst_ip", dst, "dst_port", 443, "protocol", "tcp", "indicators",
                          "type", "ipv4", "value", c2, "role", "c2"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    HX_EXPECT(hx_send(c, "POST", hx_fmt("/api/v1/threat-reports/%lld/submit", (long long)id), NULL,
                      hx_etag(1)),
              200);
    HX_EXPECT(hx_send(admin, "POST", hx_fmt("/api/v1/threat-reports/%lld/review", (long long)id),
                      json_pack("{s:s}", "decision", "accept"), hx_etag(2)),
              200);
    return id;
}

/* A fresh notice of a report filed by c. */
static int64_t fresh_notice(struct hx_client *c)
{
    int64_t owner, report = fresh_report(c, &owner);
    struct hx_resp *r =
        hx_post(admin, hx_fmt("/api/v1/threat-reports/%lld/disposals", (long long)report),
                json_pack("{s:[I]}", "constituent_ids", (json_int_t)owner));
    HX_EXPECT(r, 201);
    return json_integer_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
}

/* The token of notice id's link, from its webhook request. Requests are read in the order
 * they arrived, and the tokens of other notices (the send cells make some) kept. */
static const char *token_of(int64_t id, char out[64])
{
    static struct {
        int64_t id;
        char token[64];
    } seen[256];
    for (int i = 0;; i++) {
        if (i == hooks_seen) {
            assert_true(hooks_seen < (int)YJ_ARRAY_LEN(seen));
            json_t *req = hx_hook_request(&hooks, hooks_seen + 1);
            json_t *doc = json_loads(json_string_value(json_object_get(req, "body")), 0, NULL);
            assert_non_null(doc);
            const char *link = json_string_value(json_object_get(doc, "link"));
            assert_non_null(link);
            assert_non_null(strchr(link, '#'));
            seen[i].id = json_integer_value(json_object_get(json_object_get(doc, "ref"), "id"));
            snprintf(seen[i].token, sizeof seen[i].token, "%s", strchr(link, '#') + 1);
            json_decref(doc);
            json_decref(req);
            hooks_seen++;
        }
        if (seen[i].id == id) {
            snprintf(out, 64, "%s", seen[i].token);
            return out;
        }
    }
}

static int setup(void **state)
{
    (void)state;
    /* Three public rows of seven cells from one address: past the default burst of 20. */
    static const char *const args[] = {"--public-limit", "1000", NULL};
    struct hx_server_options opt = {.clock = true, .serve_args = args};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    char root[] = "/tmp/yj-it-mdisposal-XXXXXX";
    assert_non_null(mkdtemp(root));
    snprintf(hooks.dir, sizeof hooks.dir, "%s/hooks", root);
    hx_peer_start(&hooks, "http", 0);
    HX_EXPECT(hx_post(admin, "/api/v1/webhooks",
                      json_pack("{s:s,s:s,s:s}", "name", "短信网关", "url",
                                hx_fmt("http://127.0.0.1:%d/sms", hooks.port), "events",
                                "disposal.sent")),
              201);
    int64_t unit = hx_unit_create(admin, hx_unit_doc("矩阵处置单位"));
    other_unit = hx_user_client(admin, "unit", hx_unit_create(admin, hx_unit_doc("矩阵他方单位")));
    hx_matrix_clients(srv, admin, unit, who);
    int64_t owner;
    own_report = fresh_report(who[HX_UNIT], &owner);
    own_notice = fresh_notice(who[HX_UNIT]);
    other_notice = fresh_notice(other_unit);
    token_of(own_notice, own_token);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(other_unit);
    hx_matrix_clients_free(who);
    hx_server_free(srv);
    hx_peer_stop(&hooks);
    char root[HX_PATH_MAX];
    snprintf(root, sizeof root, "%s", hooks.dir);
    *strrchr(root, '/') = '\0';
    hx_remove_tree(root);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

static void p_plan(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/threat-reports", own_report, "/disposal-plan");
}

static void p_send(enum hx_role r, struct hx_call *c)
{
    (void)r;
    int64_t owner;
    hx_call_path(c, "/api/v1/threat-reports", fresh_report(who[HX_UNIT], &owner), "/disposals");
    c->body = json_object();
}

static void p_get(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/disposals", hx_role_other(r) ? other_notice : own_notice, "");
}

static void p_acknowledge(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/disposals", fresh_notice(hx_role_other(r) ? other_unit : who[HX_UNIT]),
                 "/acknowledge");
    c->body = json_pack("{s:s}", "note", "电话确认");
}

static void p_handled(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/disposals", fresh_notice(hx_role_other(r) ? other_unit : who[HX_UNIT]),
                 "/handled");
    c->body = json_pack("{s:s}", "feedback", "已处置");
}

static void p_resend(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/disposals", fresh_notice(hx_role_other(r) ? other_unit : who[HX_UNIT]),
                 "/resend");
    c->body = json_object();
}

static void p_public_get(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/public/disposals/%s", own_token);
}

static void p_public_ack(enum hx_role r, struct hx_call *c)
{
    (void)r;
    char token[64];
    token_of(fresh_notice(who[HX_UNIT]), token);
    snprintf(c->path, sizeof c->path, "/public/disposals/%s/acknowledge", token);
    c->body = json_pack("{s:s}", "name", "值班员");
}

static void p_public_handled(enum hx_role r, struct hx_call *c)
{
    (void)r;
    char token[64];
    token_of(fresh_notice(who[HX_UNIT]), token);
    snprintf(c->path, sizeof c->path, "/public/disposals/%s/handled", token);
    c->body = json_pack("{s:s}", "feedback", "已封堵");
}

/* anonymous, authority, security_reviewer, expert, unit, unit->other, auditor */
static const struct hx_row rows[] = {
    {"GET",
     "/api/v1/threat-reports/{id}/disposal-plan",
     "",
     p_plan,
     {401, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/threat-reports/{id}/disposals",
     "",
     p_send,
     {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/disposals", "", NULL, {401, 200, 403, 403, 200, 200, 200}},
    {"GET",
     "/api/v1/disposals/{id}",
     "the unit's report / another unit's",
     p_get,
     {401, 200, 403, 403, 200, 404, 200}},
    {"POST",
     "/api/v1/disposals/{id}/acknowledge",
     "",
     p_acknowledge,
     {401, 200, 403, 403, 403, 403, 403}},
    {"POST", "/api/v1/disposals/{id}/handled", "", p_handled, {401, 200, 403, 403, 403, 403, 403}},
    {"POST", "/api/v1/disposals/{id}/resend", "", p_resend, {401, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/public/disposals/{token}",
     "no login",
     p_public_get,
     {200, 200, 200, 200, 200, 200, 200}},
    {"POST",
     "/public/disposals/{token}/acknowledge",
     "no login",
     p_public_ack,
     {200, 200, 200, 200, 200, 200, 200}},
    {"POST",
     "/public/disposals/{token}/handled",
     "no login",
     p_public_handled,
     {200, 200, 200, 200, 200, 200, 200}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_DISPOSAL, rows, YJ_ARRAY_LEN(rows));
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
