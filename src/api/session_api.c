/*
 * session_api.c - logging in and out, changing one's password, and API tokens.
 */
#include "api/api_int.h"

static void set_cookie(struct http_request *req, struct http_response *resp, const char *value,
                       int max_age)
{
    http_response_header(resp, "Set-Cookie",
                         yj_arena_printf(req->arena,
                                         "yj_session=%s; Path=/; HttpOnly; SameSite=Strict; "
                                         "Max-Age=%d%s",
                                         value, max_age, req->tls ? "; Secure" : ""));
}

void api_session_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"username", "password", NULL};
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *username = NULL, *password = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "username", true, req->arena, &username, &err);
    if (!rc)
        rc = api_get_string(body, "password", true, req->arena, &password, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct auth_login login;
    int64_t retry = 0;
    rc = auth_login(&app->auth, username, password, req->client_ip, req->arena, &login, &retry,
                    &err);
    if (rc == YJ_ERATE)
        http_response_header(resp, "Retry-After",
                             yj_arena_printf(req->arena, "%lld", (long long)(retry + 999) / 1000));
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    req->log_user_id = login.user.id;
    set_cookie(req, resp, login.session_id, AUTH_SESSION_ABSOLUTE_MS / 1000);
    http_response_json(resp, 200,
                       json_pack("{s:s,s:o,s:o}", "csrf_token", login.csrf_token, "user",
                                 api_user_json(&login.user), "expires_at",
                                 api_time(login.expires_at)));
}

void api_session_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct yj_error err;
    int64_t expires_at = 0;
    const char *sid = http_cookie(req, "yj_session");
    json_t *csrf = json_null();
    if (!http_header(req, "Authorization") && sid) {
        if (auth_session_resolve(&app->auth, sid, req->arena, &who, &expires_at, &err)) {
            api_fail(resp, &err);
            return;
        }
        char token[AUTH_SECRET_LEN + 1];
        auth_csrf_token(&app->auth, sid, token);
        csrf = json_string(token);
        req->log_user_id = who.user_id;
    } else if (!api_authenticate(app, req, resp, &who)) {
        return;
    }
    struct store_tx *tx = NULL;
    struct store_user u;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_user_get(tx, who.user_id, req->arena, &u, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(csrf);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200,
                       json_pack("{s:o,s:o,s:o}", "csrf_token", csrf, "user", api_user_json(&u),
                                 "expires_at", api_time(expires_at)));
}

void api_session_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who))
        return;
    if (auth_logout(&app->auth, &who, req->client_ip, &err)) {
        api_fail(resp, &err);
        return;
    }
    set_cookie(req, resp, "", 0);
    http_response_empty(resp);
}

void api_session_password(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"current_password", "new_password", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_SESSION_SELF, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *cur = NULL, *next = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "current_password", true, req->arena, &cur, &err);
    if (!rc)
        rc = api_get_string(body, "new_password", true, req->arena, &next, &err);
    json_decref(body);
    if (!rc)
        rc = auth_password_policy(next, "new_password", &err);
    struct store_tx *tx = NULL;
    struct store_user u;
    if (!rc && !(rc = store_read_begin(app->store, &tx, &err)))
        rc = store_user_get(tx, who.user_id, req->arena, &u, &err);
    store_tx_end(tx);
    tx = NULL;
    int64_t now = yj_now_ms(app->clock);
    if (!rc && !auth_password_verify(u.password_hash, cur)) {
        auth_throttle_fail(app->auth.throttle, req->client_ip, now);
        rc = yj_error_set(&err, YJ_EINVAL, "current_password", "wrong password");
    }
    char hash[AUTH_HASH_MAX];
    if (!rc)
        rc = auth_password_hash(next, hash, &err);
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_user_get(tx, who.user_id, req->arena, &u, &err);
    if (!rc) {
        u.password_hash = hash;
        u.updated_at = now;
        struct audit_entry e = api_audit_entry(&who, req, "session.password_change", "user",
                                               api_id_str(req->arena, who.user_id), NULL);
        rc = store_user_update(tx, &u, &err);
        if (!rc) /* other browsers logged in as this user must log in again */
            rc = store_session_delete_user(tx, u.id, who.via_session ? who.session_hash : NULL,
                                           &err);
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

/* --- API tokens ------------------------------------------------------------------- */

static json_t *token_json(const struct store_token *t)
{
    json_t *o = json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)t->id, "name", t->name, "prefix",
                          t->prefix, "user_id", (json_int_t)t->user_id);
    json_object_set_new(o, "created_at", api_time(t->created_at));
    json_object_set_new(o, "last_used_at", api_time(t->last_used_at));
    json_object_set_new(o, "expires_at", api_time(t->expires_at));
    json_object_set_new(o, "revoked_at", api_time(t->revoked_at));
    return o;
}

void api_tokens_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_TOKEN_LIST, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page))
        return;
    int64_t user = auth_policy_scope(who.role, AUTH_TOKEN_LIST) == AUTH_ALL ? 0 : who.user_id;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_token *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_token_list(tx, user, page.after, page.limit + 1, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, token_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_tokens_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"name", "expires_at", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_TOKEN_CREATE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_token t = {.user_id = who.user_id, .created_at = now};
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "name", true, req->arena, &t.name, &err);
    if (!rc)
        rc = api_get_time(body, "expires_at", false, &t.expires_at, &err);
    json_decref(body);
    if (!rc &&
        (!*t.name || yj_utf8_chars(t.name) > 100 || !yj_utf8_text_ok(t.name, strlen(t.name))))
        rc = yj_error_set(&err, YJ_EINVAL, "name", "must be 1 to 100 characters of text");
    if (!rc && t.expires_at && t.expires_at <= now)
        rc = yj_error_set(&err, YJ_EINVAL, "expires_at", "must be in the future");
    char token[AUTH_TOKEN_LEN + 1], hash[65], prefix[11];
    auth_token_generate(token, hash);
    memcpy(prefix, token, sizeof prefix - 1);
    prefix[sizeof prefix - 1] = '\0';
    t.token_hash = hash;
    t.prefix = prefix;
    struct store_tx *tx = NULL;
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_token_insert(tx, &t, &err);
    if (!rc) {
        json_t *c = json_pack("{s:s,s:s,s:o}", "name", t.name, "prefix", prefix, "expires_at",
                              api_time(t.expires_at));
        char *changes = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(c);
        struct audit_entry e = api_audit_entry(&who, req, "token.create", "token",
                                               api_id_str(req->arena, t.id), changes);
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
    json_t *o = token_json(&t);
    json_object_set_new(o, "token", json_string(token));
    http_response_json(resp, 201, o);
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/tokens/%lld", (long long)t.id));
}

void api_tokens_revoke(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    if (!api_allow(req, resp, &who, AUTH_TOKEN_REVOKE, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_token t;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_token_get(tx, id, req->arena, &t, &err);
    struct auth_object obj = {.owner_user_id = rc ? 0 : t.user_id};
    if (!rc)
        rc = auth_policy_check(&who, AUTH_TOKEN_REVOKE, &obj, &err);
    if (!rc && !t.revoked_at) {
        struct audit_entry e =
            api_audit_entry(&who, req, "token.revoke", "token", api_id_str(req->arena, id), NULL);
        rc = store_token_revoke(tx, id, now, &err);
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
