/*
 * store_reports.c - upward report rows. Single-row reads reset their statement
 * once read, so that a long transaction never leaves one open.
 */
#include "store/store_reports.h"

#include "store/store_int.h"

#define REPORT_COLS                                                                                \
    "id, version, incident_id, kind, recipient, due_at, content, complete, sent_at, sent_by,"      \
    " created_by, created_at, updated_at"

static void report_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_report *r = item;
    r->id = sqlite3_column_int64(s, 0);
    r->version = sqlite3_column_int64(s, 1);
    r->incident_id = sqlite3_column_int64(s, 2);
    r->kind = INC_R_FOLLOWUP;
    /* The CHECK constraint admits only known kinds. */
    inc_report_kind_parse((const char *)sqlite3_column_text(s, 3), &r->kind);
    r->recipient = store_col_text(s, 4, a);
    r->due_at = store_col_i64(s, 5, 0);
    r->content = store_col_text(s, 6, a);
    r->complete = sqlite3_column_int(s, 7) != 0;
    r->sent_at = store_col_i64(s, 8, 0);
    r->sent_by = store_col_i64(s, 9, 0);
    r->created_by = sqlite3_column_int64(s, 10);
    r->created_at = sqlite3_column_int64(s, 11);
    r->updated_at = sqlite3_column_int64(s, 12);
}

/* Binds the columns a change may set, recipient .. updated_at, from 1, in the order the
 * INSERT and the UPDATE both list them first; returns the next index. */
static int bind_report(sqlite3_stmt *s, const struct store_report *r)
{
    int c = 1;
    store_bind_text(s, c++, r->recipient);
    store_bind_opt_i64(s, c++, r->due_at, 0);
    store_bind_text(s, c++, r->content ? r->content : "{}");
    store_bind_i64(s, c++, r->complete);
    store_bind_opt_i64(s, c++, r->sent_at, 0);
    store_bind_opt_i64(s, c++, r->sent_by, 0);
    store_bind_i64(s, c++, r->updated_at);
    return c;
}

enum yj_err store_report_insert(struct store_tx *tx, struct store_report *r, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO upward_reports (recipient, due_at, content, complete, sent_at, sent_by,"
        " updated_at, incident_id, kind, created_by, created_at, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_report(s, r);
    store_bind_i64(s, c++, r->incident_id);
    store_bind_text(s, c++, inc_report_kind_code(r->kind));
    store_bind_i64(s, c++, r->created_by);
    store_bind_i64(s, c, r->created_at);
    enum yj_err rc = store_step_done(tx, s, "upward report insert", err);
    if (rc)
        return rc;
    r->id = sqlite3_last_insert_rowid(tx->c->db);
    r->version = 1;
    return YJ_OK;
}

enum yj_err store_report_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct store_report *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " REPORT_COLS " FROM upward_reports WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such report");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "upward report", err);
    report_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_report_update(struct store_tx *tx, struct store_report *r, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE upward_reports SET recipient = ?, due_at = ?, content = ?, complete = ?,"
        " sent_at = ?, sent_by = ?, updated_at = ?, version = version + 1"
        " WHERE id = ? AND version = ?";
    static const char exists[] = "SELECT 1 FROM upward_reports WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_report(s, r);
    store_bind_i64(s, c++, r->id);
    store_bind_i64(s, c, r->version);
    enum yj_err rc = store_step_done(tx, s, "upward report update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0) {
        /* Gone and changed-meanwhile answer differently (404 against 412). */
        if (!(s = store_stmt(tx, exists, err)))
            return err->code;
        store_bind_i64(s, 1, r->id);
        int step = sqlite3_step(s);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            return store_fail(tx, step, "upward report", err);
        sqlite3_reset(s);
        return step == SQLITE_DONE
                   ? yj_error_set(err, YJ_ENOTFOUND, NULL, "no such report")
                   : yj_error_set(err, YJ_EPRECOND, NULL, "the report changed meanwhile");
    }
    r->version++;
    return YJ_OK;
}

enum yj_err store_report_list(struct store_tx *tx, int64_t incident_id, struct yj_arena *a,
                              struct store_report **items, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " REPORT_COLS " FROM upward_reports WHERE incident_id = ? ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    return store_read_rows(tx, s, a, sizeof **items, report_read, (void **)items, n,
                           "upward reports", err);
}
