/*
 * store_audit.c - rows of the audit chain. Hashing and verification live in
 * src/audit; this file only reads and writes records and the chain head.
 */
#include "store/store_int.h"

#define AUDIT_COLS                                                                                 \
    "seq, at, actor_id, actor, source_ip, action, object_type, object_id, changes, alg,"           \
    " prev_hash, hash"

static void audit_read(sqlite3_stmt *s, struct yj_arena *a, struct store_audit_row *r)
{
    r->seq = sqlite3_column_int64(s, 0);
    r->at = sqlite3_column_int64(s, 1);
    r->actor_id = store_col_i64(s, 2, 0);
    r->actor = store_col_text(s, 3, a);
    r->source_ip = store_col_text(s, 4, a);
    r->action = store_col_text(s, 5, a);
    r->object_type = store_col_text(s, 6, a);
    r->object_id = store_col_text(s, 7, a);
    r->changes = store_col_text(s, 8, a);
    r->alg = store_col_text(s, 9, a);
    r->prev_hash = store_col_text(s, 10, a);
    r->hash = store_col_text(s, 11, a);
}

enum yj_err store_audit_tail(struct store_tx *tx, struct yj_arena *a, int64_t *seq, char **hash,
                             int64_t *head_seq, char **head_hash, struct yj_error *err)
{
    static const char sql[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
    static const char sql_head[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    *seq = 0;
    *hash = NULL;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(s, 0);
        *hash = store_col_text(s, 1, a);
    } else if (rc != SQLITE_DONE) {
        return store_fail(tx, rc, "audit tail", err);
    }
    s = store_stmt(tx, sql_head, err);
    if (!s)
        return err->code;
    *head_seq = 0;
    *head_hash = NULL;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *head_seq = sqlite3_column_int64(s, 0);
        *head_hash = store_col_text(s, 1, a);
    } else if (rc != SQLITE_DONE) {
        return store_fail(tx, rc, "audit head", err);
    }
    return YJ_OK;
}

enum yj_err store_audit_insert(struct store_tx *tx, const struct store_audit_row *r,
                               struct yj_error *err)
{
    static const char sql[] = "INSERT INTO audit_log (" AUDIT_COLS ")"
                              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char sql_head[] =
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, r->seq);
    store_bind_i64(s, 2, r->at);
    store_bind_opt_i64(s, 3, r->actor_id, 0);
    store_bind_text(s, 4, r->actor);
    store_bind_text(s, 5, r->source_ip);
    store_bind_text(s, 6, r->action);
    store_bind_text(s, 7, r->object_type);
    store_bind_text(s, 8, r->object_id);
    store_bind_text(s, 9, r->changes);
    store_bind_text(s, 10, r->alg);
    store_bind_text(s, 11, r->prev_hash);
    store_bind_text(s, 12, r->hash);
    enum yj_err rc = store_step_done(tx, s, "audit insert", err);
    if (rc)
        return rc;
    s = store_stmt(tx, sql_head, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, r->seq);
    store_bind_text(s, 2, r->hash);
    return store_step_done(tx, s, "audit head", err);
}

enum yj_err store_audit_list(struct store_tx *tx, const struct store_audit_query *q,
                             struct yj_arena *a, struct store_audit_row **items, size_t *n,
                             struct yj_error *err)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit_log WHERE"
                              " (? = 0 OR seq < ?)"
                              " AND (? IS NULL OR object_type = ?)"
                              " AND (? IS NULL OR object_id = ?)"
                              " AND (? = 0 OR actor_id = ?)"
                              " AND (? = 0 OR at >= ?)"
                              " AND (? = 0 OR at < ?)"
                              " ORDER BY seq DESC LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = q->limit > 0 ? q->limit : 1;
    *items = yj_arena_calloc(a, (size_t)limit, sizeof **items);
    if (!*items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    *n = 0;
    store_bind_i64(s, 1, q->before_seq);
    store_bind_i64(s, 2, q->before_seq);
    store_bind_text(s, 3, q->object_type);
    store_bind_text(s, 4, q->object_type);
    store_bind_text(s, 5, q->object_id);
    store_bind_text(s, 6, q->object_id);
    store_bind_i64(s, 7, q->actor_id);
    store_bind_i64(s, 8, q->actor_id);
    store_bind_i64(s, 9, q->from);
    store_bind_i64(s, 10, q->from);
    store_bind_i64(s, 11, q->to);
    store_bind_i64(s, 12, q->to);
    sqlite3_bind_int(s, 13, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        audit_read(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "audit list", err);
}

enum yj_err store_audit_each(struct store_tx *tx,
                             enum yj_err (*fn)(const struct store_audit_row *r, void *ctx),
                             void *ctx, struct yj_error *err)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    int rc;
    enum yj_err out = YJ_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_audit_row r;
        audit_read(s, &a, &r);
        out = fn(&r, ctx);
        yj_arena_release(&a);
        if (out)
            break;
    }
    yj_arena_release(&a);
    if (out)
        return out;
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "audit each", err);
}
