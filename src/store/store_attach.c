/*
 * store_attach.c - attachment rows: insert, read, list an application's live
 * ones, count them, soft delete. The bytes are not the store's business; rows
 * name their blob by SHA-256.
 */
#include "store/store_int.h"

#define ATTACHMENT_COLS                                                                            \
    "id, sha256, size, media_type, filename, kind, unit_id, application_id, uploaded_by,"          \
    " uploaded_at, deleted_at"

static void attachment_read(sqlite3_stmt *s, struct yj_arena *a, struct store_attachment *out)
{
    out->id = sqlite3_column_int64(s, 0);
    out->sha256 = store_col_text(s, 1, a);
    out->size = sqlite3_column_int64(s, 2);
    out->media_type = store_col_text(s, 3, a);
    out->filename = store_col_text(s, 4, a);
    out->kind = store_col_text(s, 5, a);
    out->unit_id = sqlite3_column_int64(s, 6);
    out->application_id = store_col_i64(s, 7, 0);
    out->uploaded_by = sqlite3_column_int64(s, 8);
    out->uploaded_at = sqlite3_column_int64(s, 9);
    out->deleted_at = store_col_i64(s, 10, 0);
}

/* A text column copied into the arena is NULL when the arena is exhausted. */
static bool attachment_complete(const struct store_attachment *a)
{
    return a->sha256 && a->media_type && a->filename && a->kind;
}

enum yj_err store_attachment_insert(struct store_tx *tx, struct store_attachment *a,
                                    struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO attachments (sha256, size, media_type, filename, kind, unit_id,"
        " application_id, uploaded_by, uploaded_at) VALUES (?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, a->sha256);
    store_bind_i64(s, 2, a->size);
    store_bind_text(s, 3, a->media_type);
    store_bind_text(s, 4, a->filename);
    store_bind_text(s, 5, a->kind);
    store_bind_i64(s, 6, a->unit_id);
    store_bind_opt_i64(s, 7, a->application_id, 0);
    store_bind_i64(s, 8, a->uploaded_by);
    store_bind_i64(s, 9, a->uploaded_at);
    enum yj_err rc = store_step_done(tx, s, "attachment insert", err);
    if (rc)
        return rc;
    a->id = sqlite3_last_insert_rowid(tx->c->db);
    a->deleted_at = 0;
    return YJ_OK;
}

enum yj_err store_attachment_get(struct store_tx *tx, int64_t id, bool include_deleted,
                                 struct yj_arena *a, struct store_attachment *out,
                                 struct yj_error *err)
{
    static const char sql[] = "SELECT " ATTACHMENT_COLS " FROM attachments"
                              " WHERE id = ? AND (? = 1 OR deleted_at IS NULL)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    sqlite3_bind_int(s, 2, include_deleted);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such attachment");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "attachment get", err);
    attachment_read(s, a, out);
    if (!attachment_complete(out))
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    return YJ_OK;
}

enum yj_err store_attachment_list(struct store_tx *tx, int64_t application_id, struct yj_arena *a,
                                  struct store_attachment **items, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT " ATTACHMENT_COLS " FROM attachments"
                              " WHERE application_id = ? AND deleted_at IS NULL ORDER BY id";
    *items = NULL;
    *n = 0;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        /* Grown by doubling in the arena (the old array is simply abandoned there):
         * the upload rule keeps the count small, but the store does not rely on it. */
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_attachment *grown = yj_arena_calloc(a, ncap, sizeof *grown);
            if (!grown)
                return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
            if (*n)
                memcpy(grown, *items, *n * sizeof *grown);
            *items = grown;
            cap = ncap;
        }
        struct store_attachment *it = &(*items)[(*n)++];
        attachment_read(s, a, it);
        if (!attachment_complete(it))
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "attachment list", err);
}

enum yj_err store_attachment_count(struct store_tx *tx, int64_t application_id, int64_t *n,
                                   struct yj_error *err)
{
    static const char sql[] = "SELECT COUNT(*) FROM attachments"
                              " WHERE application_id = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "attachment count", err);
    *n = sqlite3_column_int64(s, 0);
    return YJ_OK;
}

enum yj_err store_attachment_delete(struct store_tx *tx, int64_t id, int64_t now,
                                    struct yj_error *err)
{
    static const char sql[] = "UPDATE attachments SET deleted_at = ?"
                              " WHERE id = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    enum yj_err rc = store_step_done(tx, s, "attachment delete", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such attachment");
    return YJ_OK;
}

const char *store_data_dir(const struct store *st)
{
    return st->dir;
}
