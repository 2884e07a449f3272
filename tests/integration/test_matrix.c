/*
 * test_matrix.c - THE route x role matrix. One row per route (and per object
 * variant where ownership matters), one expected status per caller: anonymous,
 * authority, security_reviewer, expert, a unit user on its own unit, the same
 * kind of user reaching for another unit's objects, and auditor. Expectations
 * come from the policy table (src/auth/policy.c) and docs/API.md: 401 without a
 * login, 403 for a role that may never act, 404 for objects outside the
 * caller's scope. Every route in api_routes must have a row. Writes use valid
 * bodies, current ETags and fresh objects, so a status reflects authorisation
 * and nothing else.
 */
#include "harness.h"

#include "api/api.h"
#include "core/yj.h"

enum role { R_ANON, R_AUTHORITY, R_REVIEWER, R_EXPERT, R_UNIT, R_UNIT_OTHER, R_AUDITOR, R__COUNT };

static const char *const role_names[R__COUNT] = {
    "anonymous", "authority", "security_reviewer", "expert", "unit", "unit->other", "auditor"};

static struct hx_server *srv;
static struct hx_client *who[R__COUNT]; /* R_UNIT_OTHER is a second user of unit A */
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
    who[R_ANON] = hx_client_new(srv);
    who[R_AUTHORITY] = admin;
    who[R_REVIEWER] = hx_user_client(admin, "security_reviewer", 0);
    who[R_EXPERT] = hx_user_client(admin, "expert", 0);
    who[R_UNIT] = hx_user_client(admin, "unit", unit_a);
    who[R_UNIT_OTHER] = hx_user_client(admin, "unit", unit_a);
    who[R_AUDITOR] = hx_user_client(admin, "auditor", 0);
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
    for (int r = 0; r < R__COUNT; r++)
        hx_client_free(who[r]);
    hx_client_free(unit_b_user);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

struct call {
    char path[256];
    json_t *body; /* consumed by the send */
    char if_match[32];
    bool clone; /* send from a copy of the caller's client (a login would replace its session) */
};

typedef void (*prepare_fn)(enum role r, struct call *c);

static int64_t unit_for(enum role r)
{
    return r == R_UNIT_OTHER ? unit_b : unit_a;
}

static void set_path(struct call *c, const char *prefix, int64_t id, const char *suffix)
{
    snprintf(c->path, sizeof c->path, "%s/%lld%s", prefix, (long long)id, suffix);
}

static void current_etag(struct call *c, int64_t unit)
{
    snprintf(c->if_match, sizeof c->if_match, "%s",
             hx_etag(hx_unit_version(who[R_AUTHORITY], unit)));
}

static const char *password_of(enum role r)
{
    return r == R_AUTHORITY ? HX_ADMIN_PASSWORD : HX_PASSWORD;
}

static void p_login(enum role r, struct call *c)
{
    (void)r;
    c->body = json_pack("{s:s,s:s}", "username", login_user, "password", HX_PASSWORD);
    c->clone = true;
}

static void p_own_password(enum role r, struct call *c)
{
    /* the same password again: allowed, and leaves the caller able to log in */
    c->body =
        json_pack("{s:s,s:s}", "current_password", password_of(r), "new_password", password_of(r));
}

static void p_token_create(enum role r, struct call *c)
{
    (void)r;
    c->body = json_pack("{s:s}", "name", "matrix");
}

/* A fresh token of the caller (of unit B's user for unit->other). */
static void p_token_own(enum role r, struct call *c)
{
    char token[64];
    int64_t id = admin_token;
    if (r == R_UNIT_OTHER)
        id = hx_token_create(unit_b_user, "matrix-other", token);
    else if (r != R_ANON)
        id = hx_token_create(who[r], "matrix-own", token);
    set_path(c, "/api/v1/tokens", id, "");
}

/* A fresh token of somebody else (unit B's user) for every caller. */
static void p_token_foreign(enum role r, struct call *c)
{
    (void)r;
    char token[64];
    set_path(c, "/api/v1/tokens", hx_token_create(unit_b_user, "matrix-foreign", token), "");
}

static void p_user_create(enum role r, struct call *c)
{
    static unsigned serial;
    c->body = json_pack("{s:s,s:s,s:s}", "username",
                        hx_fmt("matrix_%s_%u", r == R_UNIT_OTHER ? "uo" : role_names[r], ++serial),
                        "password", HX_PASSWORD, "role", "expert");
}

static void p_user(enum role r, struct call *c)
{
    (void)r;
    set_path(c, "/api/v1/users", target_user, "");
}

static void p_user_patch(enum role r, struct call *c)
{
    set_path(c, "/api/v1/users", target_user, "");
    c->body = json_pack("{s:s}", "display_name", hx_fmt("矩阵 %s", role_names[r]));
}

static void p_user_reset(enum role r, struct call *c)
{
    (void)r;
    set_path(c, "/api/v1/users", target_user, "/password");
    c->body = json_pack("{s:s}", "new_password", "matrix-new-password-1");
    hx_secret_note(srv, "matrix-new-password-1");
}

static void p_unit_create(enum role r, struct call *c)
{
    (void)r;
    c->body = hx_unit_doc("矩阵新单位");
}

static void p_unit(enum role r, struct call *c)
{
    set_path(c, "/api/v1/units", unit_for(r), "");
}

static void p_unit_patch(enum role r, struct call *c)
{
    set_path(c, "/api/v1/units", unit_for(r), "");
    current_etag(c, unit_for(r));
    c->body = json_pack("{s:s}", "address", hx_fmt("矩阵路 %d 号", (int)r));
}

/* The unit's own unit for unit users (they may never delete it), a fresh one otherwise. */
static void p_unit_delete(enum role r, struct call *c)
{
    int64_t id = r == R_UNIT || r == R_UNIT_OTHER
                     ? unit_for(r)
                     : hx_unit_create(who[R_AUTHORITY], hx_unit_doc("矩阵待删单位"));
    set_path(c, "/api/v1/units", id, "");
    current_etag(c, id);
}

static void p_unit_history(enum role r, struct call *c)
{
    set_path(c, "/api/v1/units", unit_for(r), "/history");
}

/* --- the matrix -------------------------------------------------------------------- */

struct row {
    const char *method, *pattern;
    const char *variant;
    prepare_fn prepare; /* sets path (default: the pattern), body, If-Match; may be NULL */
    /* anonymous, authority, security_reviewer, expert, unit, unit->other, auditor */
    long expect[R__COUNT];
};

static const struct row rows[] = {
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

static bool row_for(const char *method, const char *pattern)
{
    for (size_t i = 0; i < YJ_ARRAY_LEN(rows); i++)
        if (strcmp(rows[i].method, method) == 0 && strcmp(rows[i].pattern, pattern) == 0)
            return true;
    return false;
}

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    int missing = 0;
    for (size_t i = 0; i < api_routes_count; i++)
        if (!row_for(api_routes[i].method, api_routes[i].pattern)) {
            print_error("no matrix row for %s %s\n", api_routes[i].method, api_routes[i].pattern);
            missing++;
        }
    /* and no row for a route that no longer exists */
    for (size_t i = 0; i < YJ_ARRAY_LEN(rows); i++) {
        bool known = false;
        for (size_t k = 0; k < api_routes_count; k++)
            known |= strcmp(rows[i].method, api_routes[k].method) == 0 &&
                     strcmp(rows[i].pattern, api_routes[k].pattern) == 0;
        if (!known) {
            print_error("matrix row %s %s is not a route\n", rows[i].method, rows[i].pattern);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

/* Fails unless path is served by the row's own route. */
static void expect_route(const struct row *row, const char *path)
{
    char bare[256];
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(path, "?"), path);
    bool known = false;
    const struct http_route *rt =
        http_route_match(api_routes, api_routes_count, row->method, bare, NULL, NULL, NULL, &known);
    if (!rt || strcmp(rt->pattern, row->pattern) != 0)
        fail_msg("test bug: %s %s does not reach %s", row->method, path, row->pattern);
}

static void test_personal_data_by_role(void **state)
{
    (void)state;
    const char *path = hx_fmt("/api/v1/units/%lld", (long long)unit_a);
    char p[64];
    snprintf(p, sizeof p, "%s", path);
    static const char *const personal[] = {"contacts", "staff", "oncall"};
    for (int r = R_AUTHORITY; r < R__COUNT; r++) {
        if (r == R_UNIT_OTHER)
            continue;
        struct hx_resp *resp = hx_get(who[r], p);
        HX_EXPECT(resp, 200);
        bool hidden = r == R_REVIEWER || r == R_EXPERT;
        json_t *flag = json_object_get(resp->json, "personal_data_hidden");
        if (hidden ? !json_is_true(flag) : flag != NULL)
            fail_msg("%s: personal_data_hidden is wrong: %s", role_names[r], resp->body);
        for (size_t k = 0; k < YJ_ARRAY_LEN(personal); k++) {
            json_t *v = json_object_get(resp->json, personal[k]);
            if (hidden ? v != NULL : !json_is_array(v) || json_array_size(v) == 0)
                fail_msg("%s: \"%s\" is wrong: %s", role_names[r], personal[k], resp->body);
        }
        /* the rest of the unit is there for everyone who may read it */
        assert_non_null(json_object_get(resp->json, "offices"));
        assert_non_null(json_object_get(resp->json, "capabilities"));
        assert_non_null(hx_json_str(resp, "credit_code"));
        /* nothing personal leaks through any other key */
        if (hidden && (strstr(resp->body, "13800000000") || strstr(resp->body, "lisi@example.cn") ||
                       strstr(resp->body, "赵六")))
            fail_msg("%s: personal data in %s", role_names[r], resp->body);
    }
    /* A unit user's list holds its own unit only; the others see both. */
    json_t *mine = hx_list_all(who[R_UNIT], "/api/v1/units", 50);
    assert_int_equal(json_array_size(mine), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(mine, 0), "id")), unit_a);
    json_decref(mine);
    json_t *all = hx_list_all(who[R_REVIEWER], "/api/v1/units", 50);
    assert_true(json_array_size(all) >= 2);
    json_decref(all);
    json_t *none = hx_list_all(who[R_UNIT], hx_fmt("/api/v1/units?q=%s", hx_escape("矩阵乙")), 50);
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
    int64_t own = hx_token_create(who[R_EXPERT], "scope-expert", token);
    for (int r = R_AUTHORITY; r < R__COUNT; r++) {
        json_t *items = hx_list_all(who[r], "/api/v1/tokens", 200);
        bool all = r == R_AUTHORITY || r == R_AUDITOR;
        if (list_has(items, "id", foreign) != all || (all && !list_has(items, "id", own)))
            fail_msg("%s sees the wrong tokens", role_names[r]);
        size_t i;
        json_t *v;
        json_array_foreach (items, i, v)
            if (!all && json_integer_value(json_object_get(v, "user_id")) != who[r]->user_id)
                fail_msg("%s sees another user's token", role_names[r]);
        json_decref(items);
    }
    json_t *expert_tokens = hx_list_all(who[R_EXPERT], "/api/v1/tokens", 200);
    assert_true(list_has(expert_tokens, "id", own));
    json_decref(expert_tokens);
    /* users: q matches the name, role filters */
    json_t *units = hx_list_all(who[R_AUTHORITY], "/api/v1/users?role=unit", 200);
    assert_int_equal(json_array_size(units), 3);
    assert_true(list_has(units, "id", unit_b_user->user_id));
    json_decref(units);
    json_t *experts = hx_list_all(who[R_AUDITOR], "/api/v1/users?q=hx_expert", 200);
    size_t n_experts = json_array_size(experts), k;
    json_t *e;
    assert_true(n_experts >= 2);
    json_array_foreach (experts, k, e)
        assert_non_null(strstr(json_string_value(json_object_get(e, "username")), "hx_expert"));
    json_decref(experts);
    json_t *users = hx_list_all(who[R_AUDITOR], "/api/v1/users", 200);
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
    struct yj_buf report;
    yj_buf_init(&report, 1024 * 1024);
    int wrong = 0, cells = 0;
    for (size_t i = 0; i < YJ_ARRAY_LEN(rows); i++) {
        const struct row *row = &rows[i];
        for (int r = 0; r < R__COUNT; r++) {
            struct call c = {.body = NULL};
            snprintf(c.path, sizeof c.path, "%s", row->pattern);
            if (row->prepare)
                row->prepare((enum role)r, &c);
            expect_route(row, c.path);
            struct hx_client *client = c.clone ? hx_client_clone(who[r]) : who[r];
            struct hx_resp *resp =
                hx_send(client, row->method, c.path, c.body, c.if_match[0] ? c.if_match : NULL);
            long want = row->expect[r];
            bool ok = resp->status == want;
            /* refusals must say why, in the shared error shape */
            const char *code = want == 401   ? "unauthenticated"
                               : want == 403 ? "forbidden"
                               : want == 404 ? "not_found"
                                             : NULL;
            const char *got_code =
                json_string_value(json_object_get(json_object_get(resp->json, "error"), "code"));
            if (ok && code && (!got_code || strcmp(got_code, code) != 0))
                ok = false;
            if (!ok) {
                wrong++;
                yj_buf_printf(&report, "  %-6s %-34s %-15s %-17s expected %ld, got %ld %.200s\n",
                              row->method, c.path, row->variant, role_names[r], want, resp->status,
                              resp->body);
            }
            cells++;
            if (c.clone)
                hx_client_free(client);
        }
    }
    if (wrong) {
        print_error("%d of %d cells of the route x role matrix are wrong:\n%s", wrong, cells,
                    report.ptr);
        yj_buf_release(&report);
        fail();
    }
    yj_buf_release(&report);
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
