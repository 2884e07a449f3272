/*
 * session.c - logging in and out, resolving cookies and bearer tokens to a
 * subject, and CSRF tokens. Secrets are hashed before they reach the store.
 */
#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/yj.h"

void auth_secret_hash(const char *secret, char out[65])
{
    unsigned char d[32];
    yj_sha256(secret, strlen(secret), d);
    yj_hex(d, sizeof d, out);
}

static void random_secret(char out[AUTH_SECRET_LEN + 1])
{
    unsigned char raw[32];
    yj_random(raw, sizeof raw);
    yj_b64url(raw, sizeof raw, out);
}

void auth_token_generate(char out[AUTH_TOKEN_LEN + 1], char hash_hex[65])
{
    char secret[AUTH_SECRET_LEN + 1];
    random_secret(secret);
    snprintf(out, AUTH_TOKEN_LEN + 1, "yj_%s", secret);
    auth_secret_hash(out, hash_hex);
}

void auth_csrf_token(const struct auth_ctx *ac, const char *session_id,
                     char out[AUTH_SECRET_LEN + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)session_id, strlen(session_id),
                           ac->csrf_key);
    yj_b64url(mac, sizeof mac, out);
}

int auth_csrf_ok(const struct auth_ctx *ac, const char *session_id, const char *token)
{
    if (!session_id || !token || strlen(token) != AUTH_SECRET_LEN)
        return 0;
    char want[AUTH_SECRET_LEN + 1];
    auth_csrf_token(ac, session_id, want);
    return yj_ct_equal(want, token, AUTH_SECRET_LEN);
}

enum yj_err auth_ctx_init(struct auth_ctx *ac, struct store *st, const struct yj_clock *clock,
                          struct yj_error *err)
{
    memset(ac, 0, sizeof *ac);
    ac->store = st;
    ac->clock = clock;
    ac->throttle = auth_throttle_new(AUTH_THROTTLE_FAILURES, AUTH_THROTTLE_WINDOW_MS);
    if (!ac->throttle)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct store_tx *tx = NULL;
    char *hex = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (!rc) {
        rc = store_setting_get(tx, "csrf_key", &a, &hex, err);
        if (rc == YJ_ENOTFOUND) {
            /* First start: the key is a server secret, not user data, so it is not audited. */
            unsigned char key[32];
            char fresh[65];
            yj_random(key, sizeof key);
            yj_hex(key, sizeof key, fresh);
            hex = yj_arena_strdup(&a, fresh);
            rc = store_setting_set(tx, "csrf_key", fresh, err);
            if (!rc)
                rc = store_tx_commit(tx, err);
        }
    }
    store_tx_end(tx);
    size_t n = 0;
    if (!rc &&
        (!hex ||
         sodium_hex2bin(ac->csrf_key, sizeof ac->csrf_key, hex, strlen(hex), NULL, &n, NULL) != 0 ||
         n != sizeof ac->csrf_key))
        rc = yj_error_set(err, YJ_EINTERNAL, NULL, "the stored csrf key is malformed");
    yj_arena_release(&a);
    if (rc)
        auth_ctx_release(ac);
    return rc;
}

void auth_ctx_release(struct auth_ctx *ac)
{
    auth_throttle_free(ac->throttle);
    ac->throttle = NULL;
    sodium_memzero(ac->csrf_key, sizeof ac->csrf_key);
}

static enum yj_err login_failed(struct yj_error *err)
{
    return yj_error_set(err, YJ_EAUTH, NULL, "invalid username or password");
}

/* Records a failed attempt against an existing account: count, maybe lock, audit. */
static enum yj_err record_failure(struct auth_ctx *ac, int64_t user_id, const char *ip, int64_t now,
                                  struct yj_error *err)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct store_tx *tx = NULL;
    struct store_user u;
    enum yj_err rc = store_write_begin(ac->store, &tx, err);
    if (!rc)
        rc = store_user_get(tx, user_id, &a, &u, err);
    if (!rc) {
        int locked = auth_user_locked(&u, now) ? 0 : auth_user_fail(&u, now);
        u.updated_at = now;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)u.id);
        struct audit_entry e = {
            .actor_id = 0,
            .actor = "anonymous",
            .source_ip = ip,
            .action = locked ? "user.locked" : "session.login_failed",
            .object_type = "user",
            .object_id = id,
            .changes = locked ? "{\"locked\":true}" : "{}",
        };
        rc = store_user_update(tx, &u, err);
        if (!rc)
            rc = audit_append(tx, &e, now, err);
        if (!rc)
            rc = store_tx_commit(tx, err);
    }
    store_tx_end(tx);
    yj_arena_release(&a);
    return rc;
}

static enum yj_err start_session(struct auth_ctx *ac, struct store_user *u, const char *ip,
                                 int64_t now, struct auth_login *out, struct yj_error *err)
{
    random_secret(out->session_id);
    auth_csrf_token(ac, out->session_id, out->csrf_token);
    char hash[65];
    auth_secret_hash(out->session_id, hash);
    out->expires_at = now + AUTH_SESSION_ABSOLUTE_MS;
    struct store_session s = {hash, u->id, now, now, out->expires_at};
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)u->id);
    struct audit_entry e = {
        .actor_id = u->id,
        .actor = u->username,
        .source_ip = ip,
        .action = "session.login",
        .object_type = "user",
        .object_id = id,
    };
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(ac->store, &tx, err);
    if (!rc && u->failed_logins) {
        u->failed_logins = 0;
        u->updated_at = now;
        rc = store_user_update(tx, u, err);
    }
    if (!rc)
        rc = store_session_insert(tx, &s, err);
    if (!rc)
        rc = store_session_purge(tx, now, now - AUTH_SESSION_IDLE_MS, err);
    if (!rc)
        rc = audit_append(tx, &e, now, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

enum yj_err auth_login(struct auth_ctx *ac, const char *username, const char *password,
                       const char *ip, struct yj_arena *a, struct auth_login *out,
                       int64_t *retry_after_ms, struct yj_error *err)
{
    int64_t now = yj_now_ms(ac->clock);
    *retry_after_ms = auth_throttle_wait(ac->throttle, ip, now);
    if (*retry_after_ms > 0)
        return yj_error_set(err, YJ_ERATE, NULL, "too many failed logins; try again later");
    memset(out, 0, sizeof *out);
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(ac->store, &tx, err);
    if (!rc)
        rc = store_user_get_by_name(tx, username, a, &out->user, err);
    store_tx_end(tx);
    if (rc && rc != YJ_ENOTFOUND)
        return rc;
    if (rc == YJ_ENOTFOUND) {
        auth_password_burn(password);
        auth_throttle_fail(ac->throttle, ip, now);
        yj_log(YJ_LOG_INFO, "auth.login_failed", "{s:s}", "reason", "unknown");
        return login_failed(err);
    }
    /* Verify even when disabled or locked, so timing does not tell those states apart. */
    int ok = auth_password_verify(out->user.password_hash, password);
    if (!ok || out->user.disabled || auth_user_locked(&out->user, now)) {
        auth_throttle_fail(ac->throttle, ip, now);
        yj_log(YJ_LOG_INFO, "auth.login_failed", "{s:I}", "user_id", (json_int_t)out->user.id);
        if (!ok) {
            struct yj_error ferr;
            if (record_failure(ac, out->user.id, ip, now, &ferr))
                return yj_error_set(err, ferr.code, NULL, "%s", ferr.msg);
        }
        return login_failed(err);
    }
    rc = start_session(ac, &out->user, ip, now, out, err);
    if (!rc)
        yj_log(YJ_LOG_INFO, "auth.login", "{s:I}", "user_id", (json_int_t)out->user.id);
    return rc;
}

enum yj_err auth_logout(struct auth_ctx *ac, const struct auth_subject *who, const char *ip,
                        struct yj_error *err)
{
    if (!who || !who->via_session)
        return yj_error_set(err, YJ_EINVAL, NULL, "not a browser session");
    int64_t now = yj_now_ms(ac->clock);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)who->user_id);
    struct audit_entry e = {
        .actor_id = who->user_id,
        .actor = who->username,
        .source_ip = ip,
        .action = "session.logout",
        .object_type = "user",
        .object_id = id,
    };
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(ac->store, &tx, err);
    if (!rc)
        rc = store_session_delete(tx, who->session_hash, err);
    if (!rc)
        rc = audit_append(tx, &e, now, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

static enum yj_err subject_from_user(const struct store_user *u, struct auth_subject *out,
                                     struct yj_error *err)
{
    enum auth_role role;
    if (u->disabled || auth_role_parse(u->role, &role) != 0)
        return yj_error_set(err, YJ_EAUTH, NULL, "log in first");
    out->user_id = u->id;
    out->username = u->username;
    out->role = role;
    out->unit_id = role == AUTH_ROLE_UNIT ? u->unit_id : 0;
    return YJ_OK;
}

enum yj_err auth_session_resolve(struct auth_ctx *ac, const char *session_id, struct yj_arena *a,
                                 struct auth_subject *out, int64_t *expires_at,
                                 struct yj_error *err)
{
    memset(out, 0, sizeof *out);
    if (!session_id || strlen(session_id) != AUTH_SECRET_LEN)
        return yj_error_set(err, YJ_EAUTH, NULL, "log in first");
    int64_t now = yj_now_ms(ac->clock);
    char hash[65];
    auth_secret_hash(session_id, hash);
    struct store_session s;
    struct store_user u;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(ac->store, &tx, err);
    if (!rc)
        rc = store_session_get(tx, hash, a, &s, err);
    if (!rc)
        rc = store_user_get(tx, s.user_id, a, &u, err);
    store_tx_end(tx);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_EAUTH, NULL, "log in first");
    if (rc)
        return rc;
    if (now >= s.expires_at || now - s.last_seen >= AUTH_SESSION_IDLE_MS)
        return yj_error_set(err, YJ_EAUTH, NULL, "the session has expired; log in again");
    rc = subject_from_user(&u, out, err);
    if (rc)
        return rc;
    out->via_session = true;
    out->session_hash = yj_arena_strdup(a, hash);
    if (expires_at)
        *expires_at = s.expires_at;
    /* Idle expiry needs last_seen, but writing it on every request would cost a
     * durable commit per read; once a minute is precise enough. */
    if (now - s.last_seen >= AUTH_TOUCH_EVERY_MS) {
        struct yj_error terr;
        if (store_write_begin(ac->store, &tx, &terr) == YJ_OK) {
            if (store_session_touch(tx, hash, now, &terr) == YJ_OK)
                store_tx_commit(tx, &terr);
            store_tx_end(tx);
        }
    }
    return YJ_OK;
}

enum yj_err auth_token_resolve(struct auth_ctx *ac, const char *token, struct yj_arena *a,
                               struct auth_subject *out, struct yj_error *err)
{
    memset(out, 0, sizeof *out);
    if (!token || strlen(token) != AUTH_TOKEN_LEN || strncmp(token, "yj_", 3) != 0)
        return yj_error_set(err, YJ_EAUTH, NULL, "invalid token");
    int64_t now = yj_now_ms(ac->clock);
    char hash[65];
    auth_secret_hash(token, hash);
    struct store_token t;
    struct store_user u;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(ac->store, &tx, err);
    if (!rc)
        rc = store_token_get_by_hash(tx, hash, a, &t, err);
    if (!rc)
        rc = store_user_get(tx, t.user_id, a, &u, err);
    store_tx_end(tx);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_EAUTH, NULL, "invalid token");
    if (rc)
        return rc;
    if (t.revoked_at || (t.expires_at && now >= t.expires_at))
        return yj_error_set(err, YJ_EAUTH, NULL, "invalid token");
    rc = subject_from_user(&u, out, err);
    if (rc)
        return rc;
    out->token_id = t.id;
    if (now - t.last_used_at >= AUTH_TOUCH_EVERY_MS) {
        struct yj_error terr;
        if (store_write_begin(ac->store, &tx, &terr) == YJ_OK) {
            if (store_token_touch(tx, t.id, now, &terr) == YJ_OK)
                store_tx_commit(tx, &terr);
            store_tx_end(tx);
        }
    }
    return YJ_OK;
}
