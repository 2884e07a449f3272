/*
 * test_api_auth.c - authentication end to end on a server with an injected
 * clock: the session cookie and its attributes, CSRF on cookie writes, API
 * tokens, failed logins that all look alike, account lockout, per-address
 * throttling, idle and absolute session expiry, password change and reset,
 * disabling a user, and a server log that never holds a secret.
 *
 * The authority works through an API token here, which does not expire while
 * the clock jumps hours ahead; every test that counts failed logins first moves
 * the clock past the throttling window so the tests do not feed each other.
 */
#include "harness.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *admin; /* bearer token of the admin */

static const char *const login_failed_body =
    "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"invalid username or password\"}}";

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *session = hx_login_admin(srv);
    admin = hx_client_new(srv);
    hx_token_create(session, "auth-tests", admin->bearer);
    hx_client_free(session);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_server_free(srv);
    return 0;
}

/* Moves past the 15-minute throttling window, so earlier failures no longer count. */
static void fresh_window(void)
{
    hx_clock_advance(srv, 16 * HX_MINUTE_MS);
}

static const char *time_str(int64_t ms)
{
    char buf[YJ_TIME_STRLEN];
    yj_time_format(ms, buf);
    return hx_fmt("%s", buf);
}

static json_t *user_of(int64_t id)
{
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/users/%lld", (long long)id));
    HX_EXPECT(r, 200);
    return r->json;
}

/* A login that must fail exactly like every other failed login. */
static void expect_login_refused(const char *user, const char *password)
{
    struct hx_client *c = hx_client_new(srv);
    struct hx_resp *r = hx_client_login(c, user, password);
    if (r->status != 401 || strcmp(r->body, login_failed_body) != 0)
        fail_msg("login %s: HTTP %ld %s", user, r->status, r->body);
    assert_null(r->set_cookie);
    hx_client_free(c);
}

/* The newest audit record's action for object user/id. */
static const char *last_action(int64_t user_id)
{
    struct hx_resp *r = hx_get(
        admin, hx_fmt("/api/v1/audit?object_type=user&object_id=%lld&limit=1", (long long)user_id));
    HX_EXPECT(r, 200);
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "action"));
}

static void test_login_logout_and_cookie(void **state)
{
    (void)state;
    struct hx_client *c = hx_client_new(srv);
    struct hx_resp *r = hx_client_login(c, HX_ADMIN_USER, HX_ADMIN_PASSWORD);
    HX_EXPECT(r, 200);
    assert_int_equal(strlen(hx_json_str(r, "csrf_token")), 43);
    json_t *user = json_object_get(r->json, "user");
    assert_string_equal(json_string_value(json_object_get(user, "username")), "admin");
    assert_string_equal(json_string_value(json_object_get(user, "role")), "authority");
    assert_null(json_object_get(user, "password_hash"));
    assert_string_equal(hx_json_str(r, "expires_at"), time_str(srv->now_ms + 12 * HX_HOUR_MS));

    /* yj_session=<43 characters>; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200 */
    assert_non_null(r->set_cookie);
    assert_int_equal(strlen(c->session_id), 43);
    char attrs[512];
    snprintf(attrs, sizeof attrs, "%s", r->set_cookie + strcspn(r->set_cookie, ";"));
    static const char *const want[] = {"; Path=/", "; HttpOnly", "; SameSite=Strict",
                                       "; Max-Age=43200"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++)
        if (!strstr(attrs, want[i]))
            fail_msg("Set-Cookie lacks %s: %s", want[i], r->set_cookie);
    assert_null(strstr(attrs, "Secure")); /* plain HTTP here; Secure is for TLS */
    assert_null(strstr(attrs, "Domain"));

    /* GET /session gives a reloaded page its token back */
    char csrf[64], sid[64];
    snprintf(csrf, sizeof csrf, "%s", c->csrf);
    snprintf(sid, sizeof sid, "%s", c->session_id);
    r = hx_get(c, "/api/v1/session");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "csrf_token"), csrf);

    r = hx_send(c, "DELETE", "/api/v1/session", NULL, NULL);
    HX_EXPECT(r, 204);
    assert_non_null(r->set_cookie);
    assert_true(strncmp(r->set_cookie, "yj_session=;", 12) == 0);
    assert_non_null(strstr(r->set_cookie, "Max-Age=0"));
    assert_string_equal(last_action(1), "session.logout");
    HX_EXPECT_ERROR(hx_get(c, "/api/v1/session"), 401, "unauthenticated", NULL);
    /* the old cookie, replayed, is dead on the server */
    const char *cookie[] = {hx_fmt("Cookie: yj_session=%s", sid), NULL};
    struct hx_req opt = {.headers = cookie};
    struct hx_client *replay = hx_client_new(srv);
    HX_EXPECT_ERROR(hx_request(replay, "GET", "/api/v1/session", &opt), 401, "unauthenticated",
                    NULL);
    HX_EXPECT_ERROR(hx_request(replay, "GET", "/api/v1/units", &opt), 401, "unauthenticated", NULL);
    hx_client_free(replay);
    hx_client_free(c);
}

static void test_csrf_on_cookie_writes(void **state)
{
    (void)state;
    struct hx_client *c = hx_login_admin(srv);
    struct hx_client *other = hx_login_admin(srv);
    size_t units = hx_unit_count(admin);
    int64_t audit = hx_audit_length(admin);

    HX_EXPECT(hx_get(c, "/api/v1/units"), 200); /* reading needs no token */
    char good[64];
    snprintf(good, sizeof good, "%s", c->csrf);
    const char *wrong[] = {"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", other->csrf,
                           hx_fmt("%.42s", good), hx_fmt("%sA", good)};
    for (size_t i = 0; i < YJ_ARRAY_LEN(wrong); i++) {
        snprintf(c->csrf, sizeof c->csrf, "%s", wrong[i]);
        HX_EXPECT_ERROR(hx_post(c, "/api/v1/units", hx_unit_min("跨站请求")), 403, "csrf",
                        "X-CSRF-Token");
    }
    c->send_csrf = false;
    snprintf(c->csrf, sizeof c->csrf, "%s", good);
    HX_EXPECT_ERROR(hx_post(c, "/api/v1/units", hx_unit_min("跨站请求")), 403, "csrf",
                    "X-CSRF-Token");
    HX_EXPECT_ERROR(
        hx_send(c, "PATCH", "/api/v1/users/1", json_pack("{s:s}", "display_name", "x"), NULL), 403,
        "csrf", "X-CSRF-Token");
    HX_EXPECT_ERROR(hx_send(c, "PUT", "/api/v1/session/password",
                            json_pack("{s:s,s:s}", "current_password", HX_ADMIN_PASSWORD,
                                      "new_password", "csrf-attack-pw-1"),
                            NULL),
                    403, "csrf", "X-CSRF-Token");
    HX_EXPECT_ERROR(hx_post(c, "/api/v1/tokens", json_pack("{s:s}", "name", "x")), 403, "csrf",
                    "X-CSRF-Token");
    /* even logging out: a forged logout is still a forged write */
    HX_EXPECT_ERROR(hx_send(c, "DELETE", "/api/v1/session", NULL, NULL), 403, "csrf",
                    "X-CSRF-Token");
    HX_EXPECT(hx_get(c, "/api/v1/session"), 200);
    assert_int_equal(hx_unit_count(admin), units);
    assert_int_equal(hx_audit_length(admin), audit);

    c->send_csrf = true;
    HX_EXPECT(hx_post(c, "/api/v1/units", hx_unit_min("带令牌")), 201);
    hx_client_free(c);
    hx_client_free(other);
}

static void test_bearer_tokens(void **state)
{
    (void)state;
    struct hx_client *u = hx_user_client(admin, "expert", 0);
    struct hx_resp *r = hx_post(u, "/api/v1/tokens", json_pack("{s:s}", "name", "脚本"));
    HX_EXPECT(r, 201);
    const char *secret = hx_json_str(r, "token");
    assert_non_null(secret);
    assert_int_equal(strlen(secret), 46);
    assert_true(strncmp(secret, "yj_", 3) == 0);
    int64_t id = hx_json_int(r, "id");
    assert_string_equal(r->location, hx_fmt("/api/v1/tokens/%lld", (long long)id));
    const char *prefix = hx_json_str(r, "prefix");
    assert_int_equal(strlen(prefix), 10);
    assert_true(strncmp(secret, prefix, 10) == 0);

    struct hx_client *t = hx_client_new(srv);
    snprintf(t->bearer, sizeof t->bearer, "%s", secret);
    r = hx_get(t, "/api/v1/session");
    HX_EXPECT(r, 200);
    assert_true(json_is_null(json_object_get(r->json, "csrf_token")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r->json, "user"), "role")), "expert");
    HX_EXPECT(hx_get(t, "/api/v1/units"), 200);
    /* a write with a token needs no CSRF token */
    HX_EXPECT(hx_post(t, "/api/v1/tokens", json_pack("{s:s}", "name", "second")), 201);
    /* but a token grants its user's role, no more */
    HX_EXPECT_ERROR(hx_post(t, "/api/v1/units", hx_unit_min("专家脚本")), 403, "forbidden", NULL);

    /* listing shows the prefix, never the token */
    r = hx_get(u, "/api/v1/tokens");
    HX_EXPECT(r, 200);
    assert_null(strstr(r->body, secret));
    assert_null(strstr(r->body, "\"token\""));
    assert_null(strstr(r->body, "hash"));
    assert_non_null(strstr(r->body, prefix));
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *mine = json_array_get(items, 0);
    assert_int_equal(json_integer_value(json_object_get(mine, "id")), id);
    assert_non_null(json_string_value(json_object_get(mine, "last_used_at")));

    /* revoked: 401 from then on */
    HX_EXPECT(hx_send(u, "DELETE", hx_fmt("/api/v1/tokens/%lld", (long long)id), NULL, NULL), 204);
    r = hx_get(t, "/api/v1/units");
    HX_EXPECT_ERROR(r, 401, "unauthenticated", NULL);
    assert_non_null(hx_header(r, "WWW-Authenticate"));
    assert_true(strncmp(hx_header(r, "WWW-Authenticate"), "Bearer", 6) == 0);
    r = hx_get(u, "/api/v1/tokens");
    assert_non_null(json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "revoked_at")));

    /* malformed credentials */
    static const struct {
        const char *header, *field;
    } bad[] = {
        {"Authorization: Bearer yj_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL},
        {"Authorization: Bearer ", NULL},
        {"Authorization: Bearer yj_short", NULL},
        {"Authorization: Basic YWRtaW46eA==", "Authorization"},
    };
    struct hx_client *anon = hx_client_new(srv);
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        const char *h[] = {bad[i].header, NULL};
        struct hx_req opt = {.headers = h};
        HX_EXPECT_ERROR(hx_request(anon, "GET", "/api/v1/units", &opt), 401, "unauthenticated",
                        bad[i].field);
    }

    /* a token with an expiry stops at it */
    r = hx_post(
        u, "/api/v1/tokens",
        json_pack("{s:s,s:s}", "name", "短期", "expires_at", time_str(srv->now_ms + HX_HOUR_MS)));
    HX_EXPECT(r, 201);
    snprintf(t->bearer, sizeof t->bearer, "%s", hx_json_str(r, "token"));
    HX_EXPECT(hx_get(t, "/api/v1/units"), 200);
    hx_clock_advance(srv, HX_HOUR_MS - 1);
    HX_EXPECT(hx_get(t, "/api/v1/units"), 200);
    hx_clock_advance(srv, 1);
    HX_EXPECT_ERROR(hx_get(t, "/api/v1/units"), 401, "unauthenticated", NULL);
    hx_client_free(anon);
    hx_client_free(t);
    hx_client_free(u);
}

static void test_failed_logins_look_alike(void **state)
{
    (void)state;
    fresh_window();
    char alike[33], disabled[33], locked[33];
    hx_user_create(admin, "expert", 0, NULL, NULL, alike);
    int64_t dis = hx_user_create(admin, "expert", 0, NULL, NULL, disabled);
    hx_user_create(admin, "expert", 0, NULL, NULL, locked);
    HX_EXPECT(hx_send(admin, "PATCH", hx_fmt("/api/v1/users/%lld", (long long)dis),
                      json_pack("{s:b}", "disabled", 1), NULL),
              200);
    for (int i = 0; i < 5; i++)
        expect_login_refused(locked, "wrong-password-1");

    expect_login_refused("no_such_user", HX_PASSWORD); /* unknown */
    expect_login_refused(alike, "wrong-password-1");   /* wrong password */
    expect_login_refused(disabled, HX_PASSWORD);       /* disabled, right password */
    expect_login_refused(locked, HX_PASSWORD);         /* locked, right password */
    expect_login_refused("", "");
    expect_login_refused(HX_ADMIN_USER, "");
}

static void test_lockout(void **state)
{
    (void)state;
    fresh_window();
    char name[33];
    int64_t id = hx_user_create(admin, "expert", 0, NULL, NULL, name);

    /* Failures must come in a row: a success starts the count again. */
    for (int i = 0; i < 4; i++)
        expect_login_refused(name, "wrong-password-1");
    struct hx_client *ok = hx_login(srv, name, HX_PASSWORD);
    hx_client_free(ok);
    for (int i = 0; i < 4; i++)
        expect_login_refused(name, "wrong-password-1");
    assert_true(json_is_null(json_object_get(user_of(id), "locked_until")));

    int64_t locked_at = srv->now_ms;
    expect_login_refused(name, "wrong-password-1"); /* the fifth */
    assert_string_equal(last_action(id), "user.locked");
    assert_string_equal(json_string_value(json_object_get(user_of(id), "locked_until")),
                        time_str(locked_at + 15 * HX_MINUTE_MS));
    expect_login_refused(name, HX_PASSWORD);

    hx_clock_advance(srv, 15 * HX_MINUTE_MS - 1);
    expect_login_refused(name, HX_PASSWORD);
    hx_clock_advance(srv, 1);
    ok = hx_login(srv, name, HX_PASSWORD);
    hx_client_free(ok);
}

static void test_throttle_by_address(void **state)
{
    (void)state;
    fresh_window();
    for (int i = 0; i < 20; i++)
        expect_login_refused(hx_fmt("ghost_%d", i), "wrong-password-1");
    /* the 21st try from this address: refused before any password is checked */
    struct hx_client *c = hx_client_new(srv);
    struct hx_resp *r = hx_client_login(c, HX_ADMIN_USER, HX_ADMIN_PASSWORD);
    HX_EXPECT_ERROR(r, 429, "too_many_requests", NULL);
    assert_non_null(r->retry_after);
    assert_string_equal(r->retry_after, "900");
    assert_null(r->set_cookie);

    hx_clock_advance(srv, 14 * HX_MINUTE_MS);
    r = hx_client_login(c, HX_ADMIN_USER, HX_ADMIN_PASSWORD);
    HX_EXPECT_ERROR(r, 429, "too_many_requests", NULL);
    assert_string_equal(r->retry_after, "60");
    hx_clock_advance(srv, HX_MINUTE_MS - 1);
    r = hx_client_login(c, HX_ADMIN_USER, HX_ADMIN_PASSWORD);
    HX_EXPECT(r, 429);
    assert_string_equal(r->retry_after, "1");

    hx_clock_advance(srv, 1);
    HX_EXPECT(hx_client_login(c, HX_ADMIN_USER, HX_ADMIN_PASSWORD), 200);
    hx_client_free(c);
}

static void test_session_idle_expiry(void **state)
{
    (void)state;
    char name[33];
    hx_user_create(admin, "auditor", 0, NULL, NULL, name);
    struct hx_client *used = hx_login(srv, name, HX_PASSWORD);
    struct hx_client *idle = hx_login(srv, name, HX_PASSWORD);

    /* both logged in at the same instant; one is used just before 30 minutes */
    hx_clock_advance(srv, 30 * HX_MINUTE_MS - 1);
    HX_EXPECT(hx_get(used, "/api/v1/session"), 200);
    hx_clock_advance(srv, 1);
    struct hx_resp *r = hx_get(idle, "/api/v1/session");
    HX_EXPECT_ERROR(r, 401, "unauthenticated", NULL);
    HX_EXPECT_ERROR(hx_get(idle, "/api/v1/units"), 401, "unauthenticated", NULL);
    HX_EXPECT(hx_get(used, "/api/v1/session"), 200);

    /* while it is used, a session lives on well past 30 minutes */
    for (int i = 0; i < 4; i++) {
        hx_clock_advance(srv, 20 * HX_MINUTE_MS);
        HX_EXPECT(hx_get(used, "/api/v1/units"), 200);
    }
    hx_clock_advance(srv, 30 * HX_MINUTE_MS);
    HX_EXPECT_ERROR(hx_get(used, "/api/v1/units"), 401, "unauthenticated", NULL);
    hx_client_free(used);
    hx_client_free(idle);
}

static void test_session_absolute_expiry(void **state)
{
    (void)state;
    char name[33];
    hx_user_create(admin, "auditor", 0, NULL, NULL, name);
    struct hx_client *c = hx_client_new(srv);
    int64_t start = srv->now_ms;
    struct hx_resp *r = hx_client_login(c, name, HX_PASSWORD);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "expires_at"), time_str(start + 12 * HX_HOUR_MS));
    /* busy all day: a request every 25 minutes */
    while (srv->now_ms + 25 * HX_MINUTE_MS < start + 12 * HX_HOUR_MS) {
        hx_clock_advance(srv, 25 * HX_MINUTE_MS);
        HX_EXPECT(hx_get(c, "/api/v1/units"), 200);
    }
    hx_clock_set(srv, start + 12 * HX_HOUR_MS - 1);
    HX_EXPECT(hx_get(c, "/api/v1/session"), 200);
    hx_clock_advance(srv, 1);
    HX_EXPECT_ERROR(hx_get(c, "/api/v1/session"), 401, "unauthenticated", NULL);
    HX_EXPECT_ERROR(hx_post(c, "/api/v1/tokens", json_pack("{s:s}", "name", "late")), 401,
                    "unauthenticated", NULL);
    hx_client_free(c);
}

static void test_password_change_ends_other_sessions(void **state)
{
    (void)state;
    fresh_window();
    char name[33];
    int64_t id = hx_user_create(admin, "expert", 0, NULL, NULL, name);
    struct hx_client *a = hx_login(srv, name, HX_PASSWORD);
    struct hx_client *b = hx_login(srv, name, HX_PASSWORD);
    const char *next = "changed-password-1";
    hx_secret_note(srv, next);

    HX_EXPECT_ERROR(
        hx_send(a, "PUT", "/api/v1/session/password",
                json_pack("{s:s,s:s}", "current_password", "not-my-password", "new_password", next),
                NULL),
        400, "invalid", "current_password");
    HX_EXPECT(hx_get(b, "/api/v1/session"), 200);
    HX_EXPECT(hx_send(a, "PUT", "/api/v1/session/password",
                      json_pack("{s:s,s:s}", "current_password", HX_PASSWORD, "new_password", next),
                      NULL),
              204);
    HX_EXPECT(hx_get(a, "/api/v1/session"), 200); /* the session that changed it stays */
    HX_EXPECT_ERROR(hx_get(b, "/api/v1/session"), 401, "unauthenticated", NULL);
    assert_string_equal(last_action(id), "session.password_change");
    expect_login_refused(name, HX_PASSWORD);
    struct hx_client *c = hx_login(srv, name, next);
    hx_client_free(c);
    hx_client_free(a);
    hx_client_free(b);
}

static void test_password_reset_by_authority(void **state)
{
    (void)state;
    fresh_window();
    char name[33];
    int64_t id = hx_user_create(admin, "unit", hx_unit_create(admin, hx_unit_min("重置单位")), NULL,
                                NULL, name);
    struct hx_client *s = hx_login(srv, name, HX_PASSWORD);
    for (int i = 0; i < 5; i++)
        expect_login_refused(name, "wrong-password-1");
    assert_false(json_is_null(json_object_get(user_of(id), "locked_until")));

    const char *next = "reset-by-authority-1";
    hx_secret_note(srv, next);
    struct hx_resp *r = hx_post(admin, hx_fmt("/api/v1/users/%lld/password", (long long)id),
                                json_pack("{s:s}", "new_password", next));
    HX_EXPECT(r, 204);
    assert_string_equal(last_action(id), "user.password_reset");
    HX_EXPECT_ERROR(hx_get(s, "/api/v1/session"), 401, "unauthenticated", NULL);
    assert_true(json_is_null(json_object_get(user_of(id), "locked_until")));
    expect_login_refused(name, HX_PASSWORD);
    struct hx_client *c = hx_login(srv, name, next); /* unlocked, at once */
    hx_client_free(c);
    hx_client_free(s);
    HX_EXPECT_ERROR(
        hx_post(admin, "/api/v1/users/987654/password", json_pack("{s:s}", "new_password", next)),
        404, "not_found", NULL);
}

static void test_disabling_ends_sessions(void **state)
{
    (void)state;
    fresh_window();
    char name[33];
    int64_t id = hx_user_create(admin, "auditor", 0, NULL, NULL, name);
    struct hx_client *s = hx_login(srv, name, HX_PASSWORD);
    struct hx_client *t = hx_client_new(srv);
    hx_token_create(s, "auditor-script", t->bearer);
    HX_EXPECT(hx_get(t, "/api/v1/audit?limit=1"), 200);

    const char *path = hx_fmt("/api/v1/users/%lld", (long long)id);
    char p[64];
    snprintf(p, sizeof p, "%s", path);
    struct hx_resp *r = hx_send(admin, "PATCH", p, json_pack("{s:b}", "disabled", 1), NULL);
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "disabled")));
    HX_EXPECT_ERROR(hx_get(s, "/api/v1/session"), 401, "unauthenticated", NULL);
    HX_EXPECT_ERROR(hx_get(t, "/api/v1/audit?limit=1"), 401, "unauthenticated", NULL);
    expect_login_refused(name, HX_PASSWORD);

    /* enabling again does not bring the ended session back */
    HX_EXPECT(hx_send(admin, "PATCH", p, json_pack("{s:b}", "disabled", 0), NULL), 200);
    HX_EXPECT_ERROR(hx_get(s, "/api/v1/session"), 401, "unauthenticated", NULL);
    struct hx_client *again = hx_login(srv, name, HX_PASSWORD);
    hx_client_free(again);
    hx_client_free(s);
    hx_client_free(t);
}

/* Sessions live in the database, and the CSRF key with them: a restart logs nobody out. */
static void test_session_survives_restart(void **state)
{
    (void)state;
    struct hx_client *c = hx_user_client(admin, "expert", 0);
    char csrf[64];
    snprintf(csrf, sizeof csrf, "%s", c->csrf);
    hx_server_restart(srv);
    struct hx_resp *r = hx_get(c, "/api/v1/session");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "csrf_token"), csrf);
    HX_EXPECT(hx_post(c, "/api/v1/tokens", json_pack("{s:s}", "name", "after-restart")), 201);
    HX_EXPECT(hx_get(admin, "/api/v1/audit?limit=1"), 200);
    hx_client_free(c);
}

static void test_log_has_no_secrets(void **state)
{
    (void)state;
    hx_server_stop(srv);
    char *log = hx_server_log(srv);
    /* the log did record what happened, just not the secrets */
    assert_non_null(strstr(log, "\"event\":\"auth.login_failed\""));
    assert_non_null(strstr(log, "\"event\":\"auth.login\""));
    assert_non_null(strstr(log, "\"route\":\"/api/v1/session\""));
    free(log);
    assert_true(srv->n_secrets > 20);
    hx_server_assert_log_clean(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_logout_and_cookie),
        cmocka_unit_test(test_csrf_on_cookie_writes),
        cmocka_unit_test(test_bearer_tokens),
        cmocka_unit_test(test_failed_logins_look_alike),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_throttle_by_address),
        cmocka_unit_test(test_session_idle_expiry),
        cmocka_unit_test(test_session_absolute_expiry),
        cmocka_unit_test(test_password_change_ends_other_sessions),
        cmocka_unit_test(test_password_reset_by_authority),
        cmocka_unit_test(test_disabling_ends_sessions),
        cmocka_unit_test(test_session_survives_restart),
        cmocka_unit_test(test_log_has_no_secrets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
