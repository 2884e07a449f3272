/*
 * test_matrix.c - THE route x role matrix, its registry part: health, metrics,
 * OpenAPI, sessions, tokens, users, units, audit and reference lists. One row
 * per route (and per object variant where ownership matters), one expected
 * status per caller: anonymous, authority, security_reviewer, expert, a unit
 * user on its own unit, the same kind of user reaching for another unit's
 * objects, and auditor. Expectations come from the policy table
 * (src/auth/policy.c) and docs/API.md: 401 without a login, 403 for a role that
 * may never act, 404 for objects outside the caller's scope. Writes use valid
 * bodies, current ETags and fresh objects, so a status reflects authorisation
 * and nothing else.
 *
 * The other parts are test_matrix_selection.c (campaigns, applications),
 * test_matrix_review.c (review, panels, scores, objections, exports) and
 * test_matrix_certs.c (certificates, attachments); each checks that every route
 * it owns has a row (harness_matrix.h), which together covers every route.
 */
#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* a user of the other unit, owning tokens */
static int64_t unit_a, unit_b, target_user, admin_token;
static char login_user[33];

static int setup(void **state)
{
    (void)state;
    srv = hx_server_new(NULL);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    target_user = hx_user_create(admin, "expert", 0, NULL, NULL, NULL);
    hx_user_create(admin, "expert", 0, NULL, NULL, login_user);
    char token[64];
    admin_token = hx_token_create(admin, "matrix-admin", token);
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

static int64_t unit_for(enum hx_role r)
{
    return r == HX_UNIT_OTHER ? unit_b : unit_a;
}

static void current_etag(struct hx_call *c, int64_t unit)
{
    snprintf(c->if_match, sizeof c->if_match, "%s",
             hx_etag(hx_unit_version(who[HX_AUTHORITY], unit)));
}

static const char *password_of(enum hx_role r)
{
    return r == HX_AUTHORITY ? HX_ADMIN_PASSWORD : HX_PASSWORD;
}

static void p_login(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = json_pack("{s:s,s:s}", "username", login_user, "password", HX_PASSWORD);
    c->clone = true;
}

static void p_own_password(enum hx_role r, struct hx_call *c)
{
    /* the same password again: allowed, and leaves the caller able to log in */
    c->body =
        json_pack("{s:s,s:s}", "current_password", password_of(r), "new_password", password_of(r));
}

static void p_token_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = json_pack("{s:s}", "name", "matrix");
}

/* A fresh token of the caller (of unit B's user for unit->other). */
static void p_token_own(enum hx_role r, struct hx_call *c)
{
    char token[64];
    int64_t id = admin_token;
    if (r == HX_UNIT_OTHER)
        id = hx_token_create(unit_b_user, "matrix-other", token);
    else if (r != HX_ANON)
        id = hx_token_create(who[r], "matrix-own", token);
    hx_call_path(c, "/api/v1/tokens", id, "");
}

/* A fresh token of somebody else (unit B's user) for every caller. */
static void p_token_foreign(enum hx_role r, struct hx_call *c)
{
    (void)r;
    char token[64];
    hx_call_path(c, "/api/v1/tokens", hx_token_create(unit_b_user, "matrix-foreign", token), "");
}

static void p_user_create(enum hx_role r, struct hx_call *c)
{
    static unsigned serial;
    c->body =
        json_pack("{s:s,s:s,s:s}", "username",
                  hx_fmt("matrix_%s_%u", r == HX_UNIT_OTHER ? "uo" : hx_role_names[r], ++serial),
                  "password", HX_PASSWORD, "role", "expert");
}

static void p_user(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/users", target_user, "");
}

static void p_user_patch(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/users", target_user, "");
    c->body = json_pack("{s:s}", "display_name", hx_fmt("矩阵 %s", hx_role_names[r]));
}

static void p_user_reset(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/users", target_user, "/password");
    c->body = json_pack("{s:s}", "new_password", "matrix-new-password-1");
    hx_secret_note(srv, "matrix-new-password-1");
}

static void p_unit_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = hx_unit_doc("矩阵新单位");
}

static void p_unit(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", unit_for(r), "");
}

static void p_unit_patch(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", unit_for(r), "");
    current_etag(c, unit_for(r));
    c->body = json_pack("{s:s}", "address", hx_fmt("矩阵路 %d 号", (int)r));
}

/* The unit's own unit for unit users (they may never delete it), a fresh one otherwise. */
static void p_unit_delete(enum hx_role r, struct hx_call *c)
{
    int64_t id = r == HX_UNIT || r == HX_UNIT_OTHER
                     ? unit_for(r)
                     : hx_unit_create(who[HX_AUTHORITY], hx_unit_doc("矩阵待删单位"));
    hx_call_path(c, "/api/v1/units", id, "");
    current_etag(c, id);
}

static void p_unit_history(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", unit_for(r), "/history");
}

/* --- the matrix -------------------------------------------------------------------- */

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/healthz", "", NULL, {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/metrics", "", NULL, {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/openapi.yaml", "", NULL, {200, 200, 200, 200, 200, 200, 200}},
    {"POST", "/api/v1/session", "valid login", p_login, {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/session", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"PUT", "/api/v1/session/password", "", p_own_password, {401, 204, 204, 204, 204, 204, 204}},
    {"GET", "/api/v1/tokens", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"POST", "/api/v1/tokens", "", p_token_create, {401, 201, 201, 201, 201, 201, 201}},
    {"DELETE", "/api/v1/tokens/{id}", "own", p_token_own, {401, 204, 204, 204, 204, 404, 204}},
    {"DELETE",
     "/api/v1/tokens/{id}",
     "another user's",
     p_token_foreign,
     {401, 204, 404, 404, 404, 404, 404}},
    {"GET", "/api/v1/users", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"POST", "/api/v1/users", "", p_user_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/users/{id}", "", p_user, {401, 200, 403, 403, 403, 403, 200}},
    {"PATCH", "/api/v1/users/{id}", "", p_user_patch, {401, 200, 403, 403, 403, 403, 403}},
    {"POST", "/api/v1/users/{id}/password", "", p_user_reset, {401, 204, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/units", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"POST", "/api/v1/units", "", p_unit_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/units/{id}", "", p_unit, {401, 200, 200, 200, 200, 404, 200}},
    {"PATCH", "/api/v1/units/{id}", "", p_unit_patch, {401, 200, 403, 403, 200, 404, 403}},
    {"GET", "/api/v1/units/{id}/history", "", p_unit_history, {401, 200, 403, 403, 200, 404, 200}},
    {"GET", "/api/v1/audit", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/reference/capability-fields", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/reference/contact-roles", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/reference/provinces", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    /* destructive rows last: deleting (refused for all but the authority) and logging out */
    {"DELETE", "/api/v1/units/{id}", "", p_unit_delete, {401, 204, 403, 403, 403, 403, 403}},
    {"DELETE", "/api/v1/session", "", NULL, {401, 204, 204, 204, 204, 204, 204}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_REGISTRY, rows, YJ_ARRAY_LEN(rows));
    /* ... and every other part of the matrix is there to check its own */
    hx_matrix_check_parts();
}

static void test_personal_data_by_role(void **state)
{
    (void)state;
    const char *path = hx_fmt("/api/v1/units/%lld", (long long)unit_a);
    char p[64];
    snprintf(p, sizeof p, "%s", path);
    static const char *const personal[] = {"contacts", "staff", "oncall"};
    for (int r = HX_AUTHORITY; r < HX_ROLES; r++) {
        if (r == HX_UNIT_OTHER)
            continue;
        struct hx_resp *resp = hx_get(who[r], p);
        HX_EXPECT(resp, 200);
        bool hidden = r == HX_REVIEWER || r == HX_EXPERT;
        json_t *flag = json_object_get(resp->json, "personal_data_hidden");
        if (hidden ? !json_is_true(flag) : flag != NULL)
            fail_msg("%s: personal_data_hidden is wrong: %s", hx_role_names[r], resp->body);
        for (size_t k = 0; k < YJ_ARRAY_LEN(personal); k++) {
            json_t *v = json_object_get(resp->json, personal[k]);
            if (hidden ? v != NULL : !json_is_array(v) || json_array_size(v) == 0)
                fail_msg("%s: \"%s\" is wrong: %s", hx_role_names[r], personal[k], resp->body);
        }
        /* the rest of the unit is there for everyone who may read it */
        assert_non_null(json_object_get(resp->json, "offices"));
        assert_non_null(json_object_get(resp->json, "capabilities"));
        assert_non_null(hx_json_str(resp, "credit_code"));
        /* nothing personal leaks through any other key */
        if (hidden && (strstr(resp->body, "13800000000") || strstr(resp->body, "lisi@example.cn") ||
                       strstr(resp->body, "赵六")))
            fail_msg("%s: personal data in %s", hx_role_names[r], resp->body);
    }
    /* A unit user's list holds its own unit only; the others see both. */
    json_t *mine = hx_list_all(who[HX_UNIT], "/api/v1/units", 50);
    assert_int_equal(json_array_size(mine), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(mine, 0), "id")), unit_a);
    json_decref(mine);
    json_t *all = hx_list_all(who[HX_REVIEWER], "/api/v1/units", 50);
    assert_true(json_array_size(all) >= 2);
    json_decref(all);
    json_t *none = hx_list_all(who[HX_UNIT], hx_fmt("/api/v1/units?q=%s", hx_escape("矩阵乙")), 50);
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
}

static bool list_has(const json_t *items, const char *key, int64_t value)
{
    size_t i;
    json_t *v;
    json_array_foreach (items, i, v)
        if (json_integer_value(json_object_get(v, key)) == value)
            return true;
    return false;
}

/* Lists narrow to the caller's scope: all tokens for the authority and the auditor, one's
 * own for everyone else; all users for those who may read users. */
static void test_list_scopes(void **state)
{
    (void)state;
    char token[64];
    int64_t foreign = hx_token_create(unit_b_user, "scope-b", token);
    int64_t own = hx_token_create(who[HX_EXPERT], "scope-expert", token);
    for (int r = HX_AUTHORITY; r < HX_ROLES; r++) {
        json_t *items = hx_list_all(who[r], "/api/v1/tokens", 200);
        bool all = r == HX_AUTHORITY || r == HX_AUDITOR;
        if (list_has(items, "id", foreign) != all || (all && !list_has(items, "id", own)))
            fail_msg("%s sees the wrong tokens", hx_role_names[r]);
        size_t i;
        json_t *v;
        json_array_foreach (items, i, v)
            if (!all && json_integer_value(json_object_get(v, "user_id")) != who[r]->user_id)
                fail_msg("%s sees another user's token", hx_role_names[r]);
        json_decref(items);
    }
    json_t *expert_tokens = hx_list_all(who[HX_EXPERT], "/api/v1/tokens", 200);
    assert_true(list_has(expert_tokens, "id", own));
    json_decref(expert_tokens);
    /* users: q matches the name, role filters */
    json_t *units = hx_list_all(who[HX_AUTHORITY], "/api/v1/users?role=unit", 200);
    assert_int_equal(json_array_size(units), 3);
    assert_true(list_has(units, "id", unit_b_user->user_id));
    json_decref(units);
    json_t *experts = hx_list_all(who[HX_AUDITOR], "/api/v1/users?q=hx_expert", 200);
    size_t n_experts = json_array_size(experts), k;
    json_t *e;
    assert_true(n_experts >= 2);
    json_array_foreach (experts, k, e)
        assert_non_null(strstr(json_string_value(json_object_get(e, "username")), "hx_expert"));
    json_decref(experts);
    json_t *users = hx_list_all(who[HX_AUDITOR], "/api/v1/users", 200);
    assert_true(list_has(users, "id", unit_b_user->user_id));
    assert_true(list_has(users, "id", target_user));
    char *text = json_dumps(users, 0);
    assert_non_null(text);
    assert_null(strstr(text, "password")); /* never a hash, under any name */
    free(text);
    json_decref(users);
}

static void test_route_role_matrix(void **state)
{
    (void)state;
    hx_matrix_run(who, rows, YJ_ARRAY_LEN(rows));
    /* The unit users' own unit survived the refused deletions. */
    struct hx_client *admin = hx_login_admin(srv);
    HX_EXPECT(hx_get(admin, hx_fmt("/api/v1/units/%lld", (long long)unit_a)), 200);
    HX_EXPECT(hx_get(admin, hx_fmt("/api/v1/units/%lld", (long long)unit_b)), 200);
    hx_client_free(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_personal_data_by_role),
        cmocka_unit_test(test_list_scopes),
        cmocka_unit_test(test_route_role_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
