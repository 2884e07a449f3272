/*
 * store_users.c - users, sessions and API tokens. Secrets never reach this
 * file in clear: passwords arrive as Argon2id strings, session ids and tokens
 * as SHA-256 hex.
 */
#include "store/store_int.h"

#define USER_COLS                                                                                  \
    "id, username, display_name, role, unit_id, password_hash, disabled, failed_logins, "          \
    "locked_until, created_at, updated_at"

static void user_read(sqlite3_stmt *s, struct yj_arena *a, struct store_user *u)
{
    u->id = sqlite3_column_int64(s, 0);
    u->username = store_col_text(s, 1, a);
    u->display_name = store_col_text(s, 2, a);
    u->role = store_col_text(s, 3, a);
    u->unit_id = store_col_i64(s, 4, 0);
    u->password_hash = store_col_text(s, 5, a);
    u->disabled = sqlite3_column_int(s, 6) != 0;
    u->failed_logins = sqlite3_column_int64(s, 7);
    u->locked_until = store_col_i64(s, 8, 0);
    u->created_at = sqlite3_column_int64(s, 9);
    u->updated_at = sqlite3_column_int64(s, 10);
}

enum yj_err store_user_insert(struct store_tx *tx, struct store_user *u, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO users (username, display_name, role, unit_id, password_hash, disabled,"
        " failed_logins, locked_until, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, u->username);
    store_bind_text(s, 2, u->display_name);
    store_bind_text(s, 3, u->role);
    store_bind_opt_i64(s, 4, u->unit_id, 0);
    store_bind_text(s, 5, u->password_hash);
    sqlite3_bind_int(s, 6, u->disabled);
    store_bind_i64(s, 7, u->created_at);
    store_bind_i64(s, 8, u->updated_at);
    enum yj_err rc = store_step_done(tx, s, "user insert", err);
    if (rc == YJ_ECONFLICT)
        return yj_error_set(err, YJ_ECONFLICT, "username", "username already taken");
    if (rc)
        return rc;
    u->id = sqlite3_last_insert_rowid(tx->c->db);
    return YJ_OK;
}

static enum yj_err user_fetch(struct store_tx *tx, sqlite3_stmt *s, struct yj_arena *a,
                              struct store_user *out, struct yj_error *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such user");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "user get", err);
    user_read(s, a, out);
    return YJ_OK;
}

enum yj_err store_user_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                           struct store_user *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return user_fetch(tx, s, a, out, err);
}

enum yj_err store_user_get_by_name(struct store_tx *tx, const char *username, struct yj_arena *a,
                                   struct store_user *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE username = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, username);
    return user_fetch(tx, s, a, out, err);
}

enum yj_err store_user_update(struct store_tx *tx, const struct store_user *u, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE users SET display_name = ?, password_hash = ?, disabled = ?, failed_logins = ?,"
        " locked_until = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, u->display_name);
    store_bind_text(s, 2, u->password_hash);
    sqlite3_bind_int(s, 3, u->disabled);
    store_bind_i64(s, 4, u->failed_logins);
    store_bind_opt_i64(s, 5, u->locked_until, 0);
    store_bind_i64(s, 6, u->updated_at);
    store_bind_i64(s, 7, u->id);
    enum yj_err rc = store_step_done(tx, s, "user update", err);
    if (!rc && sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such user");
    return rc;
}

enum yj_err store_user_list(struct store_tx *tx, const struct store_user_query *q,
                            struct yj_arena *a, struct store_user **items, size_t *n,
                            struct yj_error *err)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE id > ?"
                              " AND (? IS NULL OR username LIKE ? ESCAPE '!'"
                              "      OR display_name LIKE ? ESCAPE '!')"
                              " AND (? IS NULL OR role = ?) ORDER BY id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    /* Bind the same clamped limit the array is sized for: SQLite reads a negative
     * LIMIT as "no limit", which would write past the array. */
    int limit = q->limit > 0 ? q->limit : 1;
    *n = 0;
    *items = yj_arena_calloc(a, (size_t)limit, sizeof **items);
    if (!*items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    const char *pat = q->q ? store_like_contains(a, q->q) : NULL;
    store_bind_i64(s, 1, q->after_id);
    for (int i = 2; i <= 4; i++)
        store_bind_text(s, i, pat);
    store_bind_text(s, 5, q->role);
    store_bind_text(s, 6, q->role);
    sqlite3_bind_int(s, 7, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        user_read(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "user list", err);
}

enum yj_err store_user_count(struct store_tx *tx, int64_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT COUNT(*) FROM users";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "user count", err);
    *n = sqlite3_column_int64(s, 0);
    return YJ_OK;
}

/* --- sessions ------------------------------------------------------------- */

enum yj_err store_session_insert(struct store_tx *tx, const struct store_session *ss,
                                 struct yj_error *err)
{
    static const char sql[] = "INSERT INTO sessions (id_hash, user_id, created_at, last_seen,"
                              " expires_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, ss->id_hash);
    store_bind_i64(s, 2, ss->user_id);
    store_bind_i64(s, 3, ss->created_at);
    store_bind_i64(s, 4, ss->last_seen);
    store_bind_i64(s, 5, ss->expires_at);
    return store_step_done(tx, s, "session insert", err);
}

enum yj_err store_session_get(struct store_tx *tx, const char *id_hash, struct yj_arena *a,
                              struct store_session *out, struct yj_error *err)
{
    static const char sql[] = "SELECT id_hash, user_id, created_at, last_seen, expires_at"
                              " FROM sessions WHERE id_hash = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, id_hash);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such session");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "session get", err);
    out->id_hash = store_col_text(s, 0, a);
    out->user_id = sqlite3_column_int64(s, 1);
    out->created_at = sqlite3_column_int64(s, 2);
    out->last_seen = sqlite3_column_int64(s, 3);
    out->expires_at = sqlite3_column_int64(s, 4);
    return YJ_OK;
}

enum yj_err store_session_touch(struct store_tx *tx, const char *id_hash, int64_t now,
                                struct yj_error *err)
{
    static const char sql[] = "UPDATE sessions SET last_seen = ? WHERE id_hash = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_text(s, 2, id_hash);
    return store_step_done(tx, s, "session touch", err);
}

enum yj_err store_session_delete(struct store_tx *tx, const char *id_hash, struct yj_error *err)
{
    static const char sql[] = "DELETE FROM sessions WHERE id_hash = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, id_hash);
    return store_step_done(tx, s, "session delete", err);
}

enum yj_err store_session_delete_user(struct store_tx *tx, int64_t user_id, const char *keep_hash,
                                      struct yj_error *err)
{
    static const char sql[] =
        "DELETE FROM sessions WHERE user_id = ? AND (? IS NULL OR id_hash <> ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, user_id);
    store_bind_text(s, 2, keep_hash);
    store_bind_text(s, 3, keep_hash);
    return store_step_done(tx, s, "session delete user", err);
}

enum yj_err store_session_purge(struct store_tx *tx, int64_t now, int64_t idle_cutoff,
                                struct yj_error *err)
{
    static const char sql[] = "DELETE FROM sessions WHERE expires_at <= ? OR last_seen < ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, idle_cutoff);
    return store_step_done(tx, s, "session purge", err);
}

/* --- API tokens ----------------------------------------------------------- */

#define TOKEN_COLS                                                                                 \
    "id, user_id, name, token_hash, prefix, created_at, last_used_at, expires_at, revoked_at"

static void token_read(sqlite3_stmt *s, struct yj_arena *a, struct store_token *t)
{
    t->id = sqlite3_column_int64(s, 0);
    t->user_id = sqlite3_column_int64(s, 1);
    t->name = store_col_text(s, 2, a);
    t->token_hash = store_col_text(s, 3, a);
    t->prefix = store_col_text(s, 4, a);
    t->created_at = sqlite3_column_int64(s, 5);
    t->last_used_at = store_col_i64(s, 6, 0);
    t->expires_at = store_col_i64(s, 7, 0);
    t->revoked_at = store_col_i64(s, 8, 0);
}

enum yj_err store_token_insert(struct store_tx *tx, struct store_token *t, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO api_tokens (user_id, name, token_hash, prefix,"
                              " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, t->user_id);
    store_bind_text(s, 2, t->name);
    store_bind_text(s, 3, t->token_hash);
    store_bind_text(s, 4, t->prefix);
    store_bind_i64(s, 5, t->created_at);
    store_bind_opt_i64(s, 6, t->expires_at, 0);
    enum yj_err rc = store_step_done(tx, s, "token insert", err);
    if (!rc)
        t->id = sqlite3_last_insert_rowid(tx->c->db);
    return rc;
}

static enum yj_err token_fetch(struct store_tx *tx, sqlite3_stmt *s, struct yj_arena *a,
                               struct store_token *out, struct yj_error *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such token");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "token get", err);
    token_read(s, a, out);
    return YJ_OK;
}

enum yj_err store_token_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_token *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return token_fetch(tx, s, a, out, err);
}

enum yj_err store_token_get_by_hash(struct store_tx *tx, const char *hash, struct yj_arena *a,
                                    struct store_token *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " TOKEN_COLS " FROM api_tokens WHERE token_hash = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, hash);
    return token_fetch(tx, s, a, out, err);
}

enum yj_err store_token_list(struct store_tx *tx, int64_t user_id, int64_t after_id, int limit,
                             struct yj_arena *a, struct store_token **items, size_t *n,
                             struct yj_error *err)
{
    static const char sql[] = "SELECT " TOKEN_COLS " FROM api_tokens WHERE id > ?"
                              " AND (? = 0 OR user_id = ?) ORDER BY id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    if (limit <= 0)
        limit = 1; /* as store_user_list: the array and the LIMIT must agree */
    *n = 0;
    *items = yj_arena_calloc(a, (size_t)limit, sizeof **items);
    if (!*items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    store_bind_i64(s, 1, after_id);
    store_bind_i64(s, 2, user_id);
    store_bind_i64(s, 3, user_id);
    sqlite3_bind_int(s, 4, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        token_read(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "token list", err);
}

enum yj_err store_token_revoke(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    return store_step_done(tx, s, "token revoke", err);
}

enum yj_err store_token_touch(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err)
{
    static const char sql[] = "UPDATE api_tokens SET last_used_at = ? WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    return store_step_done(tx, s, "token touch", err);
}
