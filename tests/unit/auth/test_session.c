/*
 * test_session.c - identity over a real store with a fixed clock: the CSRF key
 * made once and reloaded, logging in (session, audit records, counting and
 * locking failures, one answer for every failure, throttling), session idle
 * and absolute expiry by moving the clock, CSRF tokens bound to a session, API
 * tokens (format, hashing, every way to be refused) and logging out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "auth/auth.h"
#include "core/yj.h"
#include "store/store.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

#define T0 INT64_C(1767949200000)
#define MIN_MS INT64_C(60000)
#define PASSWORD "correct horse battery"
#define BAD_LOGIN "invalid username or password"

static char password_hash[AUTH_HASH_MAX]; /* of PASSWORD, made once */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

struct fx {
    char dir[64];
    struct store *st;
    int64_t now;
    struct yj_clock clock;
    struct auth_ctx ac;
    struct yj_arena a;
};

static int group_setup(void **state)
{
    (void)state;
    struct yj_error e;
    ASSERT_OK(auth_password_hash(PASSWORD, password_hash, &e));
    return 0;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-session-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    f->now = T0;
    f->clock = (struct yj_clock){yj_clock_fixed_now, &f->now};
    ASSERT_OK(auth_ctx_init(&f->ac, f->st, &f->clock, &e));
    yj_arena_init(&f->a, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    auth_ctx_release(&f->ac);
    store_close(f->st);
    yj_arena_release(&f->a);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static int64_t add_user(struct fx *f, const char *name, const char *role, bool disabled)
{
    struct yj_error e;
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    int64_t unit_id = 0;
    if (strcmp(role, "unit") == 0) {
        struct unit u = {.name = "单位", .credit_code = name, .registered_capital = -1};
        ASSERT_OK(store_unit_insert(tx, &u, f->now, &e));
        unit_id = u.id;
    }
    struct store_user u = {
        .username = name,
        .role = role,
        .unit_id = unit_id,
        .password_hash = password_hash,
        .disabled = disabled,
        .created_at = f->now,
        .updated_at = f->now,
    };
    ASSERT_OK(store_user_insert(tx, &u, &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    return u.id;
}

static struct store_user get_user(struct fx *f, int64_t id)
{
    struct yj_error e;
    struct store_tx *tx;
    struct store_user u;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_user_get(tx, id, &f->a, &u, &e));
    store_tx_end(tx);
    return u;
}

/* Audit rows, newest first. */
static size_t audit_rows(struct fx *f, struct store_audit_row **rows)
{
    struct yj_error e;
    struct store_tx *tx;
    size_t n = 0;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_audit_list(tx, &(struct store_audit_query){.limit = 100}, &f->a, rows, &n, &e));
    store_tx_end(tx);
    return n;
}

static enum yj_err login(struct fx *f, const char *user, const char *pw, const char *ip,
                         struct auth_login *out, int64_t *retry, struct yj_error *e)
{
    int64_t r = -1;
    yj_error_clear(e);
    enum yj_err rc = auth_login(&f->ac, user, pw, ip, &f->a, out, retry ? retry : &r, e);
    assert_int_equal(e->code, rc);
    return rc;
}

static enum yj_err resolve(struct fx *f, const char *sid, struct auth_subject *who)
{
    struct yj_error e;
    int64_t exp = 0;
    return auth_session_resolve(&f->ac, sid, &f->a, who, &exp, &e);
}

/* ---- the context ---- */

static void test_ctx_csrf_key_once(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    /* The fixture's init stored a 64-hex key matching the context's bytes. */
    struct store_tx *tx;
    char *hex = NULL;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_setting_get(tx, "csrf_key", &f->a, &hex, &e));
    store_tx_end(tx);
    assert_int_equal(strlen(hex), 64);
    char mine[65];
    yj_hex(f->ac.csrf_key, sizeof f->ac.csrf_key, mine);
    assert_string_equal(hex, mine);
    assert_non_null(f->ac.throttle);
    assert_ptr_equal(f->ac.store, f->st);
    assert_ptr_equal(f->ac.clock, &f->clock);
    /* A second init loads the same key, so tokens survive a restart. */
    struct auth_ctx again;
    ASSERT_OK(auth_ctx_init(&again, f->st, &f->clock, &e));
    assert_memory_equal(again.csrf_key, f->ac.csrf_key, sizeof again.csrf_key);
    char t1[AUTH_SECRET_LEN + 1], t2[AUTH_SECRET_LEN + 1];
    auth_csrf_token(&f->ac, "some-session", t1);
    auth_csrf_token(&again, "some-session", t2);
    assert_string_equal(t1, t2);
    auth_ctx_release(&again);
    assert_null(again.throttle);
    /* Release wipes the key. */
    unsigned char zero[32] = {0};
    assert_memory_equal(again.csrf_key, zero, sizeof zero);
}

static void test_ctx_keys_differ_per_install(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/yj-ut-session2-XXXXXX");
    assert_non_null(mkdtemp(dir));
    struct store *st;
    ASSERT_OK(store_open(dir, STORE_CREATE | STORE_MIGRATE, &st, &e));
    struct auth_ctx other;
    ASSERT_OK(auth_ctx_init(&other, st, &f->clock, &e));
    assert_memory_not_equal(other.csrf_key, f->ac.csrf_key, sizeof other.csrf_key);
    char tok[AUTH_SECRET_LEN + 1];
    auth_csrf_token(&f->ac, "sid", tok);
    assert_false(auth_csrf_ok(&other, "sid", tok));
    auth_ctx_release(&other);
    /* A malformed stored key is refused. */
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(st, &tx, &e));
    ASSERT_OK(store_setting_set(tx, "csrf_key", "not hex at all", &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    assert_int_equal(auth_ctx_init(&other, st, &f->clock, &e), YJ_EINTERNAL);
    ASSERT_OK(store_write_begin(st, &tx, &e));
    ASSERT_OK(store_setting_set(tx, "csrf_key", "abcd", &e)); /* hex, but short */
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    assert_int_equal(auth_ctx_init(&other, st, &f->clock, &e), YJ_EINTERNAL);
    store_close(st);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- logging in ---- */

static void test_login_success(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "alice", "authority", false);
    struct auth_login out;
    ASSERT_OK(login(f, "alice", PASSWORD, "10.0.0.1", &out, NULL, &e));
    assert_int_equal(strlen(out.session_id), AUTH_SECRET_LEN);
    assert_int_equal(strlen(out.csrf_token), AUTH_SECRET_LEN);
    assert_int_equal(out.expires_at, T0 + AUTH_SESSION_ABSOLUTE_MS);
    assert_int_equal(out.user.id, uid);
    assert_string_equal(out.user.username, "alice");
    assert_true(auth_csrf_ok(&f->ac, out.session_id, out.csrf_token));

    /* Stored only as its hash. */
    char hash[65];
    auth_secret_hash(out.session_id, hash);
    struct store_tx *tx;
    struct store_session s;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_session_get(tx, hash, &f->a, &s, &e));
    assert_int_equal(store_session_get(tx, out.session_id, &f->a, &s, &e), YJ_ENOTFOUND);
    store_tx_end(tx);

    struct auth_subject who;
    int64_t exp = 0;
    ASSERT_OK(auth_session_resolve(&f->ac, out.session_id, &f->a, &who, &exp, &e));
    assert_int_equal(who.user_id, uid);
    assert_string_equal(who.username, "alice");
    assert_int_equal(who.role, AUTH_ROLE_AUTHORITY);
    assert_int_equal(who.unit_id, 0);
    assert_true(who.via_session);
    assert_string_equal(who.session_hash, hash);
    assert_int_equal(who.token_id, 0);
    assert_int_equal(exp, out.expires_at);
    ASSERT_OK(auth_session_resolve(&f->ac, out.session_id, &f->a, &who, NULL, &e));

    /* One audit record: who logged in, from where. */
    struct store_audit_row *r;
    assert_int_equal(audit_rows(f, &r), 1);
    assert_string_equal(r[0].action, "session.login");
    assert_int_equal(r[0].actor_id, uid);
    assert_string_equal(r[0].actor, "alice");
    assert_string_equal(r[0].source_ip, "10.0.0.1");
    assert_string_equal(r[0].object_type, "user");
    assert_string_equal(r[0].object_id, yj_arena_printf(&f->a, "%lld", (long long)uid));
    assert_int_equal(r[0].at, T0);
    /* The secret appears nowhere in the record. */
    assert_null(strstr(r[0].changes, out.session_id));

    /* A unit user's subject carries the unit. */
    int64_t uu = add_user(f, "unit-user", "unit", false);
    ASSERT_OK(login(f, "unit-user", PASSWORD, "10.0.0.1", &out, NULL, &e));
    ASSERT_OK(resolve(f, out.session_id, &who));
    assert_int_equal(who.role, AUTH_ROLE_UNIT);
    assert_int_equal(who.unit_id, get_user(f, uu).unit_id);
    assert_true(who.unit_id > 0);
}

static void test_login_wrong_password(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "bob", "expert", false);
    struct auth_login out;
    assert_int_equal(login(f, "bob", "wrong password!", "10.0.0.2", &out, NULL, &e), YJ_EAUTH);
    assert_string_equal(e.msg, BAD_LOGIN);
    assert_string_equal(e.field, "");
    struct store_user u = get_user(f, uid);
    assert_int_equal(u.failed_logins, 1);
    assert_int_equal(u.locked_until, 0);
    assert_int_equal(u.updated_at, T0);
    struct store_audit_row *r;
    assert_int_equal(audit_rows(f, &r), 1);
    assert_string_equal(r[0].action, "session.login_failed");
    assert_int_equal(r[0].actor_id, 0);
    assert_string_equal(r[0].actor, "anonymous");
    assert_string_equal(r[0].source_ip, "10.0.0.2");
    assert_string_equal(r[0].object_type, "user");
    assert_string_equal(r[0].object_id, yj_arena_printf(&f->a, "%lld", (long long)uid));
    assert_null(strstr(r[0].changes, "wrong password")); /* never the attempt */
    /* A success resets the count. */
    f->now += MIN_MS;
    ASSERT_OK(login(f, "bob", PASSWORD, "10.0.0.2", &out, NULL, &e));
    assert_int_equal(get_user(f, uid).failed_logins, 0);
}

static void test_login_lockout(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "carol", "auditor", false);
    struct auth_login out;
    for (int i = 1; i <= AUTH_LOCK_THRESHOLD; i++) {
        f->now = T0 + i * 1000;
        assert_int_equal(login(f, "carol", "not the password", "10.0.0.3", &out, NULL, &e),
                         YJ_EAUTH);
        assert_string_equal(e.msg, BAD_LOGIN);
    }
    struct store_user u = get_user(f, uid);
    int64_t t5 = T0 + AUTH_LOCK_THRESHOLD * 1000;
    assert_int_equal(u.locked_until, t5 + AUTH_LOCK_MS);
    assert_int_equal(u.failed_logins, 0);
    struct store_audit_row *r;
    assert_int_equal(audit_rows(f, &r), AUTH_LOCK_THRESHOLD);
    assert_string_equal(r[0].action, "user.locked");
    assert_string_equal(r[0].changes, "{\"locked\":true}");
    for (int i = 1; i < AUTH_LOCK_THRESHOLD; i++)
        assert_string_equal(r[i].action, "session.login_failed");

    /* Locked: even the right password gets the same answer, and nothing is recorded. */
    f->now = t5 + 1000;
    assert_int_equal(login(f, "carol", PASSWORD, "10.0.0.3", &out, NULL, &e), YJ_EAUTH);
    assert_string_equal(e.msg, BAD_LOGIN);
    assert_int_equal(audit_rows(f, &r), AUTH_LOCK_THRESHOLD);
    /* A wrong password while locked is audited but neither counted nor extends the lock. */
    assert_int_equal(login(f, "carol", "still wrong", "10.0.0.3", &out, NULL, &e), YJ_EAUTH);
    u = get_user(f, uid);
    assert_int_equal(u.locked_until, t5 + AUTH_LOCK_MS);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(audit_rows(f, &r), AUTH_LOCK_THRESHOLD + 1);
    assert_string_equal(r[0].action, "session.login_failed");
    /* When the lock runs out the right password works. */
    f->now = t5 + AUTH_LOCK_MS;
    ASSERT_OK(login(f, "carol", PASSWORD, "10.0.0.3", &out, NULL, &e));
}

static void test_login_failures_look_alike(void **state)
{
    struct fx *f = *state;
    add_user(f, "dave", "expert", false);
    add_user(f, "erin", "expert", true); /* disabled */
    struct auth_login out;
    struct yj_error unknown, wrong, disabled, locked;
    assert_int_equal(login(f, "nobody", PASSWORD, "10.0.0.4", &out, NULL, &unknown), YJ_EAUTH);
    assert_int_equal(login(f, "dave", "bad password", "10.0.0.4", &out, NULL, &wrong), YJ_EAUTH);
    assert_int_equal(login(f, "erin", PASSWORD, "10.0.0.4", &out, NULL, &disabled), YJ_EAUTH);
    for (int i = 1; i < AUTH_LOCK_THRESHOLD; i++)
        login(f, "dave", "bad password", "10.0.0.4", &out, NULL, &locked);
    assert_int_equal(login(f, "dave", PASSWORD, "10.0.0.4", &out, NULL, &locked), YJ_EAUTH);
    const struct yj_error *all[] = {&unknown, &wrong, &disabled, &locked};
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++) {
        assert_int_equal(all[i]->code, YJ_EAUTH);
        assert_string_equal(all[i]->msg, BAD_LOGIN);
        assert_string_equal(all[i]->field, "");
    }
    /* An unknown name leaves no record (there is no object to name). */
    struct store_audit_row *r;
    size_t n = audit_rows(f, &r);
    for (size_t i = 0; i < n; i++)
        assert_non_null(r[i].object_id);
}

static void test_login_throttled(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    add_user(f, "frank", "expert", false);
    struct auth_login out;
    int64_t retry = -1;
    /* Unknown names: no account locks, only the address counts. */
    for (int i = 0; i < AUTH_THROTTLE_FAILURES; i++) {
        f->now = T0 + i * 1000;
        assert_int_equal(login(f, "ghost", PASSWORD, "203.0.113.9", &out, &retry, &e), YJ_EAUTH);
        assert_int_equal(retry, 0);
    }
    /* Even the right password of a real account is refused from there now. */
    f->now = T0 + 60000;
    assert_int_equal(login(f, "frank", PASSWORD, "203.0.113.9", &out, &retry, &e), YJ_ERATE);
    assert_int_equal(retry, AUTH_THROTTLE_WINDOW_MS - 60000);
    assert_int_equal(yj_err_http_status(e.code), 429);
    /* Another address is unaffected. */
    ASSERT_OK(login(f, "frank", PASSWORD, "203.0.113.10", &out, &retry, &e));
    assert_int_equal(retry, 0);
    /* After the window it may try again. */
    f->now = T0 + AUTH_THROTTLE_WINDOW_MS;
    ASSERT_OK(login(f, "frank", PASSWORD, "203.0.113.9", &out, &retry, &e));
    assert_int_equal(retry, 0);
}

/* ---- sessions ---- */

static void test_session_idle_expiry(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    add_user(f, "gina", "authority", false);
    struct auth_login out;
    ASSERT_OK(login(f, "gina", PASSWORD, "10.0.0.5", &out, NULL, &e));
    char hash[65];
    auth_secret_hash(out.session_id, hash);
    struct auth_subject who;
    struct store_tx *tx;
    struct store_session s;

    /* Within a minute last_seen is not rewritten (reads stay reads)... */
    f->now = T0 + 30000;
    ASSERT_OK(resolve(f, out.session_id, &who));
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_session_get(tx, hash, &f->a, &s, &e));
    store_tx_end(tx);
    assert_int_equal(s.last_seen, T0);
    /* ...after it, it is. */
    f->now = T0 + AUTH_TOUCH_EVERY_MS;
    ASSERT_OK(resolve(f, out.session_id, &who));
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_session_get(tx, hash, &f->a, &s, &e));
    store_tx_end(tx);
    assert_int_equal(s.last_seen, T0 + AUTH_TOUCH_EVERY_MS);

    /* Activity keeps it alive past the idle limit counted from login. */
    int64_t seen = f->now;
    f->now = seen + AUTH_SESSION_IDLE_MS - 1;
    ASSERT_OK(resolve(f, out.session_id, &who));
    seen = f->now;
    f->now = seen + AUTH_SESSION_IDLE_MS - 1;
    ASSERT_OK(resolve(f, out.session_id, &who));
    /* Idle for the whole limit: expired. */
    seen = f->now;
    f->now = seen + AUTH_SESSION_IDLE_MS;
    assert_int_equal(auth_session_resolve(&f->ac, out.session_id, &f->a, &who, NULL, &e), YJ_EAUTH);
    assert_non_null(strstr(e.msg, "expired"));
    assert_int_equal(who.user_id, 0); /* nothing leaks into the subject */
}

static void test_session_absolute_expiry(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    add_user(f, "hank", "authority", false);
    struct auth_login out;
    ASSERT_OK(login(f, "hank", PASSWORD, "10.0.0.6", &out, NULL, &e));
    struct auth_subject who;
    /* Busy all day, every 20 minutes... */
    for (f->now = T0; f->now < out.expires_at; f->now += 20 * MIN_MS)
        ASSERT_OK(resolve(f, out.session_id, &who));
    f->now = out.expires_at - 1;
    ASSERT_OK(resolve(f, out.session_id, &who));
    /* ...but 12 hours after login it ends regardless. */
    f->now = out.expires_at;
    assert_int_equal(resolve(f, out.session_id, &who), YJ_EAUTH);
    assert_int_equal(out.expires_at - T0, AUTH_SESSION_ABSOLUTE_MS);
}

static void test_session_resolve_refusals(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "ivy", "expert", false);
    struct auth_subject who;
    assert_int_equal(resolve(f, NULL, &who), YJ_EAUTH);
    assert_int_equal(resolve(f, "", &who), YJ_EAUTH);
    assert_int_equal(resolve(f, "short", &who), YJ_EAUTH);
    assert_int_equal(resolve(f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &who), YJ_EAUTH);
    struct auth_login out;
    ASSERT_OK(login(f, "ivy", PASSWORD, "10.0.0.7", &out, NULL, &e));
    char longer[64];
    snprintf(longer, sizeof longer, "%sx", out.session_id);
    assert_int_equal(resolve(f, longer, &who), YJ_EAUTH);
    /* A user disabled after logging in loses the session. */
    struct store_user u = get_user(f, uid);
    u.disabled = true;
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    ASSERT_OK(store_user_update(tx, &u, &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    assert_int_equal(resolve(f, out.session_id, &who), YJ_EAUTH);
}

/* ---- CSRF ---- */

static void test_csrf(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    add_user(f, "jack", "authority", false);
    struct auth_login a1, a2;
    ASSERT_OK(login(f, "jack", PASSWORD, "10.0.0.8", &a1, NULL, &e));
    ASSERT_OK(login(f, "jack", PASSWORD, "10.0.0.8", &a2, NULL, &e));
    assert_string_not_equal(a1.session_id, a2.session_id);
    char t[AUTH_SECRET_LEN + 1];
    auth_csrf_token(&f->ac, a1.session_id, t);
    assert_string_equal(t, a1.csrf_token); /* deterministic per session */
    assert_true(auth_csrf_ok(&f->ac, a1.session_id, a1.csrf_token));
    assert_true(auth_csrf_ok(&f->ac, a2.session_id, a2.csrf_token));
    /* Bound to its session. */
    assert_false(auth_csrf_ok(&f->ac, a1.session_id, a2.csrf_token));
    assert_false(auth_csrf_ok(&f->ac, a2.session_id, a1.csrf_token));
    /* Wrong lengths, a changed character, missing parts. */
    char bad[64];
    snprintf(bad, sizeof bad, "%sA", a1.csrf_token);
    assert_false(auth_csrf_ok(&f->ac, a1.session_id, bad));
    snprintf(bad, sizeof bad, "%.42s", a1.csrf_token);
    assert_false(auth_csrf_ok(&f->ac, a1.session_id, bad));
    snprintf(bad, sizeof bad, "%s", a1.csrf_token);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    assert_false(auth_csrf_ok(&f->ac, a1.session_id, bad));
    assert_false(auth_csrf_ok(&f->ac, a1.session_id, ""));
    assert_false(auth_csrf_ok(&f->ac, a1.session_id, NULL));
    assert_false(auth_csrf_ok(&f->ac, NULL, a1.csrf_token));
    /* URL-safe base64 characters only. */
    assert_int_equal(strspn(a1.csrf_token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789-_"),
                     AUTH_SECRET_LEN);
}

/* ---- API tokens ---- */

static void test_token_generate(void **state)
{
    (void)state;
    char t1[AUTH_TOKEN_LEN + 1], h1[65], t2[AUTH_TOKEN_LEN + 1], h2[65];
    auth_token_generate(t1, h1);
    auth_token_generate(t2, h2);
    assert_int_equal(strlen(t1), AUTH_TOKEN_LEN);
    assert_int_equal(AUTH_TOKEN_LEN, 3 + 43);
    assert_true(strncmp(t1, "yj_", 3) == 0);
    assert_int_equal(strspn(t1 + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-_"),
                     43);
    assert_string_not_equal(t1, t2);
    assert_string_not_equal(h1, h2);
    char check[65];
    auth_secret_hash(t1, check);
    assert_string_equal(check, h1);
    /* The hash is SHA-256 hex of the whole token. */
    auth_secret_hash("abc", check);
    assert_string_equal(check, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static int64_t add_token(struct fx *f, int64_t uid, const char *hash, int64_t expires)
{
    struct yj_error e;
    struct store_tx *tx;
    struct store_token t = {.user_id = uid,
                            .name = "ci",
                            .token_hash = hash,
                            .prefix = "yj_x",
                            .created_at = f->now,
                            .expires_at = expires};
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    ASSERT_OK(store_token_insert(tx, &t, &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    return t.id;
}

static struct store_token get_token(struct fx *f, int64_t id)
{
    struct yj_error e;
    struct store_tx *tx;
    struct store_token t;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_token_get(tx, id, &f->a, &t, &e));
    store_tx_end(tx);
    return t;
}

static void test_token_resolve(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "kate", "unit", false);
    char tok[AUTH_TOKEN_LEN + 1], hash[65];
    auth_token_generate(tok, hash);
    int64_t tid = add_token(f, uid, hash, 0);
    struct auth_subject who;
    ASSERT_OK(auth_token_resolve(&f->ac, tok, &f->a, &who, &e));
    assert_int_equal(who.user_id, uid);
    assert_string_equal(who.username, "kate");
    assert_int_equal(who.role, AUTH_ROLE_UNIT);
    assert_int_equal(who.unit_id, get_user(f, uid).unit_id);
    assert_int_equal(who.token_id, tid);
    assert_false(who.via_session);
    assert_null(who.session_hash);
    /* Use is recorded, at most once a minute. */
    assert_int_equal(get_token(f, tid).last_used_at, T0);
    f->now = T0 + 1000;
    ASSERT_OK(auth_token_resolve(&f->ac, tok, &f->a, &who, &e));
    assert_int_equal(get_token(f, tid).last_used_at, T0);
    f->now = T0 + AUTH_TOUCH_EVERY_MS;
    ASSERT_OK(auth_token_resolve(&f->ac, tok, &f->a, &who, &e));
    assert_int_equal(get_token(f, tid).last_used_at, T0 + AUTH_TOUCH_EVERY_MS);
}

static void test_token_refusals(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "leo", "expert", false);
    struct auth_subject who;
    /* Malformed: no prefix, wrong lengths, NULL. */
    char tok[AUTH_TOKEN_LEN + 1], hash[65];
    auth_token_generate(tok, hash);
    char bad[64];
    snprintf(bad, sizeof bad, "xx_%s", tok + 3);
    const char *malformed[] = {NULL, "", "yj_", "yj_short", bad, tok + 1};
    for (size_t i = 0; i < YJ_ARRAY_LEN(malformed); i++)
        assert_int_equal(auth_token_resolve(&f->ac, malformed[i], &f->a, &who, &e), YJ_EAUTH);
    snprintf(bad, sizeof bad, "%sA", tok);
    assert_int_equal(auth_token_resolve(&f->ac, bad, &f->a, &who, &e), YJ_EAUTH);
    /* Well-formed but unknown. */
    assert_int_equal(auth_token_resolve(&f->ac, tok, &f->a, &who, &e), YJ_EAUTH);
    assert_string_equal(e.msg, "invalid token");

    /* Revoked. */
    int64_t tid = add_token(f, uid, hash, 0);
    ASSERT_OK(auth_token_resolve(&f->ac, tok, &f->a, &who, &e));
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    ASSERT_OK(store_token_revoke(tx, tid, f->now, &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    assert_int_equal(auth_token_resolve(&f->ac, tok, &f->a, &who, &e), YJ_EAUTH);

    /* Expiring: fine before, refused at and after expiry. */
    char tok2[AUTH_TOKEN_LEN + 1], hash2[65];
    auth_token_generate(tok2, hash2);
    add_token(f, uid, hash2, T0 + 1000);
    f->now = T0 + 999;
    ASSERT_OK(auth_token_resolve(&f->ac, tok2, &f->a, &who, &e));
    f->now = T0 + 1000;
    assert_int_equal(auth_token_resolve(&f->ac, tok2, &f->a, &who, &e), YJ_EAUTH);

    /* Its user disabled. */
    char tok3[AUTH_TOKEN_LEN + 1], hash3[65];
    auth_token_generate(tok3, hash3);
    int64_t off = add_user(f, "mia", "expert", true);
    add_token(f, off, hash3, 0);
    assert_int_equal(auth_token_resolve(&f->ac, tok3, &f->a, &who, &e), YJ_EAUTH);
    assert_int_equal(who.user_id, 0);
}

/* ---- logging out ---- */

static void test_logout(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "ned", "authority", false);
    struct auth_login a1, a2;
    ASSERT_OK(login(f, "ned", PASSWORD, "10.0.0.9", &a1, NULL, &e));
    ASSERT_OK(login(f, "ned", PASSWORD, "10.0.0.9", &a2, NULL, &e));
    struct auth_subject who;
    ASSERT_OK(resolve(f, a1.session_id, &who));
    f->now = T0 + 5000;
    ASSERT_OK(auth_logout(&f->ac, &who, "10.0.0.10", &e));
    assert_int_equal(resolve(f, a1.session_id, &who), YJ_EAUTH);
    /* Only that session ended. */
    ASSERT_OK(resolve(f, a2.session_id, &who));
    struct store_audit_row *r;
    audit_rows(f, &r);
    assert_string_equal(r[0].action, "session.logout");
    assert_int_equal(r[0].actor_id, uid);
    assert_string_equal(r[0].actor, "ned");
    assert_string_equal(r[0].source_ip, "10.0.0.10");
    assert_string_equal(r[0].object_type, "user");
    assert_int_equal(r[0].at, T0 + 5000);
    /* A token caller or nobody cannot log out. */
    struct auth_subject by_token = {.user_id = uid, .username = "ned", .token_id = 3};
    assert_int_equal(auth_logout(&f->ac, &by_token, "10.0.0.10", &e), YJ_EINVAL);
    assert_int_equal(auth_logout(&f->ac, NULL, "10.0.0.10", &e), YJ_EINVAL);
}

int main(void)
{
    yj_log_set_level(YJ_LOG_WARN);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ctx_csrf_key_once),
        T(test_ctx_keys_differ_per_install),
        T(test_login_success),
        T(test_login_wrong_password),
        T(test_login_lockout),
        T(test_login_failures_look_alike),
        T(test_login_throttled),
        T(test_session_idle_expiry),
        T(test_session_absolute_expiry),
        T(test_session_resolve_refusals),
        T(test_csrf),
        cmocka_unit_test(test_token_generate),
        T(test_token_resolve),
        T(test_token_refusals),
        T(test_logout),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
