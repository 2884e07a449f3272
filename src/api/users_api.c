/*
 * users_api.c - /api/v1/users: accounts, managed by the authority.
 */
#include "api/api_int.h"

json_t *api_user_json(const struct store_user *u)
{
    json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)u->id, "username", u->username);
    json_object_set_new(o, "display_name",
                        u->display_name ? json_string(u->display_name) : json_null());
    json_object_set_new(o, "role", json_string(u->role));
    json_object_set_new(o, "unit_id", u->unit_id ? json_integer(u->unit_id) : json_null());
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_object_set_new(o, "locked_until", api_time(u->locked_until));
    json_object_set_new(o, "created_at", api_time(u->created_at));
    json_object_set_new(o, "updated_at", api_time(u->updated_at));
    return o;
}

static bool username_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

static enum yj_err display_name_check(const char *s, struct yj_error *err)
{
    if (s && (yj_utf8_chars(s) > 100 || !yj_utf8_text_ok(s, strlen(s))))
        return yj_error_set(err, YJ_EINVAL, "display_name", "at most 100 characters of text");
    return YJ_OK;
}

/* A user's fields as they go into an audit record (never the password hash). */
static char *user_changes(const struct store_user *u)
{
    json_t *o = api_user_json(u);
    json_object_del(o, "id");
    json_object_del(o, "created_at");
    json_object_del(o, "updated_at");
    json_object_del(o, "locked_until");
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

void api_users_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"q", "role", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_USER_LIST, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_user_query q = {.q = http_query(req, "q"),
                                 .role = http_query(req, "role"),
                                 .after_id = page.after,
                                 .limit = page.limit + 1};
    if (q.q && !*q.q)
        q.q = NULL;
    if (q.role && !*q.role)
        q.role = NULL;
    enum auth_role r;
    if (q.role && auth_role_parse(q.role, &r) != 0) {
        yj_error_set(&err, YJ_EINVAL, "role", "unknown role");
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_user *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_user_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, api_user_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* Reads and checks the create body into u (password hashed into hash). */
static enum yj_err user_from_body(struct http_request *req, json_t *body, struct store_user *u,
                                  char *hash, struct yj_error *err)
{
    static const char *const keys[] = {"username", "password",     "role",
                                       "unit_id",  "display_name", NULL};
    const char *password = NULL;
    enum auth_role role;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_string(body, "username", true, req->arena, &u->username, err);
    if (!rc && !username_ok(u->username))
        rc = yj_error_set(err, YJ_EINVAL, "username",
                          "3 to 32 of lower-case letters, digits, '_', '.', '-'");
    if (!rc)
        rc = api_get_string(body, "password", true, req->arena, &password, err);
    if (!rc)
        rc = auth_password_policy(password, "password", err);
    if (!rc)
        rc = api_get_string(body, "role", true, req->arena, &u->role, err);
    if (!rc && auth_role_parse(u->role, &role) != 0)
        rc = yj_error_set(err, YJ_EINVAL, "role", "unknown role");
    if (!rc)
        rc = api_get_int(body, "unit_id", false, 1, INT64_MAX, &u->unit_id, err);
    if (!rc && role == AUTH_ROLE_UNIT && !u->unit_id)
        rc = yj_error_set(err, YJ_EINVAL, "unit_id", "required for a unit user");
    if (!rc && role != AUTH_ROLE_UNIT && u->unit_id)
        rc = yj_error_set(err, YJ_EINVAL, "unit_id", "only unit users belong to a unit");
    if (!rc)
        rc = api_get_string(body, "display_name", false, req->arena, &u->display_name, err);
    if (!rc)
        rc = display_name_check(u->display_name, err);
    if (!rc)
        rc = auth_password_hash(password, hash, err);
    return rc;
}

void api_users_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_USER_CREATE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    struct store_user u = {0};
    char hash[AUTH_HASH_MAX];
    enum yj_err rc = user_from_body(req, body, &u, hash, &err);
    json_decref(body);
    int64_t now = yj_now_ms(app->clock);
    u.password_hash = hash;
    u.created_at = u.updated_at = now;
    struct store_tx *tx = NULL;
    struct unit unit;
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)) && u.unit_id) {
        rc = store_unit_get(tx, u.unit_id, false, req->arena, &unit, &err);
        if (rc == YJ_ENOTFOUND)
            rc = yj_error_set(&err, YJ_EINVAL, "unit_id", "no such unit");
    }
    if (!rc)
        rc = store_user_insert(tx, &u, &err);
    if (!rc) {
        char *changes = user_changes(&u);
        struct audit_entry e = api_audit_entry(&who, req, "user.create", "user",
                                               api_id_str(req->arena, u.id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201, api_user_json(&u));
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/users/%lld", (long long)u.id));
}

void api_users_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_USER_READ, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_user u;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_user_get(tx, id, req->arena, &u, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, api_user_json(&u));
}

void api_users_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"display_name", "disabled", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_USER_UPDATE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_user u;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_user_get(tx, id, req->arena, &u, &err);
    char *before = rc ? NULL : user_changes(&u);
    if (!rc && json_object_get(body, "display_name")) {
        u.display_name = NULL; /* null clears */
        rc = api_get_string(body, "display_name", false, req->arena, &u.display_name, &err);
        if (!rc)
            rc = display_name_check(u.display_name, &err);
    }
    bool was_disabled = rc ? false : u.disabled;
    if (!rc)
        rc = api_get_bool(body, "disabled", &u.disabled, &err);
    if (!rc && u.disabled && id == who.user_id)
        rc = yj_error_set(&err, YJ_EINVAL, "disabled", "you cannot disable your own account");
    char *after = rc ? NULL : user_changes(&u);
    if (!rc && before && after && strcmp(before, after) != 0) {
        json_t *b = json_loads(before, 0, NULL), *a = json_loads(after, 0, NULL);
        json_t *d = api_json_diff(b, a);
        char *changes = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
        struct audit_entry e =
            api_audit_entry(&who, req, "user.update", "user", api_id_str(req->arena, id), changes);
        u.updated_at = now;
        rc = store_user_update(tx, &u, &err);
        if (!rc && u.disabled && !was_disabled)
            rc = store_session_delete_user(tx, id, NULL, &err);
        if (!rc)
            rc = audit_append(tx, &e, now, &err);
        if (!rc)
            rc = store_tx_commit(tx, &err);
        free(changes);
        json_decref(b);
        json_decref(a);
        json_decref(d);
    }
    store_tx_end(tx);
    free(before);
    free(after);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, api_user_json(&u));
}

void api_users_reset_password(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"new_password", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_USER_RESET_PASSWORD, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *pw = NULL;
    char hash[AUTH_HASH_MAX];
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "new_password", true, req->arena, &pw, &err);
    if (!rc)
        rc = auth_password_policy(pw, "new_password", &err);
    if (!rc)
        rc = auth_password_hash(pw, hash, &err);
    json_decref(body);
    struct store_tx *tx = NULL;
    struct store_user u;
    int64_t now = yj_now_ms(app->clock);
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_user_get(tx, id, req->arena, &u, &err);
    if (!rc) {
        u.password_hash = hash;
        u.failed_logins = 0;
        u.locked_until = 0;
        u.updated_at = now;
        struct audit_entry e = api_audit_entry(&who, req, "user.password_reset", "user",
                                               api_id_str(req->arena, id), NULL);
        rc = store_user_update(tx, &u, &err);
        if (!rc)
            rc = store_session_delete_user(tx, id, NULL, &err);
        if (!rc)
            rc = audit_append(tx, &e, now, &err);
        if (!rc)
            rc = store_tx_commit(tx, &err);
    }
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_empty(resp);
}
