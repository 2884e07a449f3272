/*
 * store_work.c - work logs, the records a unit's month of obligations is judged
 * on, and drills with their targets.
 */
#include "store/store_work.h"
#include "store/store_int.h"

/* --- work logs ----------------------------------------------------------------------- */

#define LOG_COLS                                                                                   \
    "w.id, w.version, w.unit_id, w.kind, w.dispatch_id, w.task, w.description, w.started_at,"      \
    " w.ended_at, w.people, w.created_by, w.created_at, w.updated_at, d.incident_id, u.name"
#define LOG_FROM                                                                                   \
    " FROM work_logs w JOIN units u ON u.id = w.unit_id"                                           \
    " LEFT JOIN dispatches d ON d.id = w.dispatch_id"

static void log_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_work_log *l = item;
    int c = 0;
    l->id = sqlite3_column_int64(s, c++);
    l->version = sqlite3_column_int64(s, c++);
    l->unit_id = sqlite3_column_int64(s, c++);
    l->kind = WORK_OTHER;
    /* The CHECK constraint admits only known codes. */
    work_kind_parse((const char *)sqlite3_column_text(s, c++), &l->kind);
    l->dispatch_id = store_col_i64(s, c++, 0);
    l->task = store_col_text(s, c++, a);
    l->description = store_col_text(s, c++, a);
    l->started_at = sqlite3_column_int64(s, c++);
    l->ended_at = sqlite3_column_int64(s, c++);
    l->people = sqlite3_column_int64(s, c++);
    l->created_by = sqlite3_column_int64(s, c++);
    l->created_at = sqlite3_column_int64(s, c++);
    l->updated_at = sqlite3_column_int64(s, c++);
    l->incident_id = store_col_i64(s, c++, 0);
    l->unit_name = store_col_text(s, c, a);
}

/* Binds the mutable columns, kind .. updated_at, from 1; returns the next index. */
static int bind_log(sqlite3_stmt *s, const struct store_work_log *l)
{
    int c = 1;
    store_bind_text(s, c++, work_kind_code(l->kind));
    store_bind_opt_i64(s, c++, l->dispatch_id, 0);
    store_bind_text(s, c++, l->task);
    store_bind_text(s, c++, l->description);
    store_bind_i64(s, c++, l->started_at);
    store_bind_i64(s, c++, l->ended_at);
    store_bind_i64(s, c++, l->people);
    store_bind_i64(s, c++, l->updated_at);
    return c;
}

enum yj_err store_work_log_insert(struct store_tx *tx, struct store_work_log *l,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO work_logs (kind, dispatch_id, task, description, started_at, ended_at,"
        " people, updated_at, unit_id, created_by, created_at, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_log(s, l);
    store_bind_i64(s, c++, l->unit_id);
    store_bind_i64(s, c++, l->created_by);
    store_bind_i64(s, c, l->created_at);
    enum yj_err rc = store_step_done(tx, s, "work log insert", err);
    if (rc)
        return rc;
    l->id = sqlite3_last_insert_rowid(tx->c->db);
    l->version = 1;
    return YJ_OK;
}

enum yj_err store_work_log_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_work_log *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " LOG_COLS LOG_FROM " WHERE w.id = ? AND w.deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such work log");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "work log", err);
    log_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_work_log_update(struct store_tx *tx, struct store_work_log *l,
                                  struct yj_error *err)
{
    static const char sql[] =
        "UPDATE work_logs SET kind = ?, dispatch_id = ?, task = ?, description = ?,"
        " started_at = ?, ended_at = ?, people = ?, updated_at = ?, version = version + 1"
        " WHERE id = ? AND version = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_log(s, l);
    store_bind_i64(s, c++, l->id);
    store_bind_i64(s, c, l->version);
    enum yj_err rc = store_step_done(tx, s, "work log update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, NULL, "the work log changed meanwhile");
    l->version++;
    return YJ_OK;
}

enum yj_err store_work_log_delete(struct store_tx *tx, int64_t id, int64_t version, int64_t now,
                                  struct yj_error *err)
{
    static const char sql[] =
        "UPDATE work_logs SET deleted_at = ?1, updated_at = ?1, version = version + 1"
        " WHERE id = ?2 AND version = ?3 AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    store_bind_i64(s, 3, version);
    enum yj_err rc = store_step_done(tx, s, "work log delete", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, NULL, "the work log changed meanwhile");
    return YJ_OK;
}

enum yj_err store_work_log_list(struct store_tx *tx, const struct store_work_log_query *q,
                                struct yj_arena *a, struct store_work_log **items, size_t *n,
                                struct yj_error *err)
{
    /* The cursor is the last row's id; its place in the order is looked up, so the
     * cursor stays an id like every other list's. */
    static const char sql[] =
        "SELECT " LOG_COLS LOG_FROM " WHERE w.deleted_at IS NULL"
        " AND (?1 = 0 OR w.unit_id = ?1)"
        " AND (?2 >= ?3 OR (w.started_at < ?3 AND w.ended_at > ?2))"
        " AND (?4 = 0 OR (w.started_at, w.id) < (SELECT started_at, id FROM work_logs"
        "  WHERE id = ?4))"
        " ORDER BY w.started_at DESC, w.id DESC LIMIT ?5";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, q->unit_id);
    store_bind_i64(s, 2, q->from);
    store_bind_i64(s, 3, q->to);
    store_bind_i64(s, 4, q->after_id);
    store_bind_i64(s, 5, q->limit > 0 ? q->limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, log_read, (void **)items, n, "work logs", err);
}

/* --- a month's records ------------------------------------------------------------------ */

static void span_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    struct store_work_span *w = item;
    w->kind = WORK_OTHER;
    work_kind_parse((const char *)sqlite3_column_text(s, 0), &w->kind);
    w->started_at = sqlite3_column_int64(s, 1);
    w->ended_at = sqlite3_column_int64(s, 2);
    w->people = sqlite3_column_int64(s, 3);
}

static void interval_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    struct work_interval *iv = item;
    iv->from = sqlite3_column_int64(s, 0);
    iv->to = sqlite3_column_int64(s, 1);
}

enum yj_err store_work_month(struct store_tx *tx, int64_t unit_id, int64_t start, int64_t end,
                             struct yj_arena *a, struct store_work_month *out, struct yj_error *err)
{
    /* An accepted dispatch is a response even if it was later withdrawn; a log of a
     * response without a dispatch is one incident of its own. */
    static const char counts[] =
        "SELECT"
        " (SELECT COUNT(DISTINCT incident_id) FROM dispatches WHERE unit_id = ?1"
        "   AND accepted_at IS NOT NULL AND notified_at >= ?2 AND notified_at < ?3)"
        " + (SELECT COUNT(*) FROM work_logs WHERE unit_id = ?1 AND deleted_at IS NULL"
        "   AND kind = 'incident_response' AND dispatch_id IS NULL"
        "   AND started_at >= ?2 AND started_at < ?3),"
        " (SELECT COUNT(*) FROM dispatches WHERE unit_id = ?1"
        "   AND notified_at >= ?2 AND notified_at < ?3),"
        " (SELECT COUNT(*) FROM breaches WHERE unit_id = ?1 AND due_at >= ?2 AND due_at < ?3),"
        " (SELECT COUNT(*) FROM drill_targets WHERE unit_id = ?1"
        "   AND notified_at >= ?2 AND notified_at < ?3),"
        " (SELECT COUNT(*) FROM drill_targets WHERE unit_id = ?1"
        "   AND notified_at >= ?2 AND notified_at < ?3 AND acked_at IS NOT NULL)";
    static const char logs[] =
        "SELECT kind, started_at, ended_at, people FROM work_logs WHERE unit_id = ?1"
        " AND deleted_at IS NULL AND started_at < ?3 AND ended_at > ?2 ORDER BY started_at, id";
    static const char roster[] =
        "SELECT starts_at, ends_at FROM unit_oncall WHERE unit_id = ?1"
        " AND starts_at < ?3 AND ends_at > ?2 ORDER BY starts_at, position";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = store_stmt(tx, counts, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_i64(s, 2, start);
    store_bind_i64(s, 3, end);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "month counts", err);
    out->incidents = sqlite3_column_int(s, 0);
    out->dispatches = sqlite3_column_int(s, 1);
    out->breaches = sqlite3_column_int(s, 2);
    out->drills = sqlite3_column_int(s, 3);
    out->drills_acked = sqlite3_column_int(s, 4);
    sqlite3_reset(s);

    if (!(s = store_stmt(tx, logs, err)))
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_i64(s, 2, start);
    store_bind_i64(s, 3, end);
    enum yj_err e = store_read_rows(tx, s, a, sizeof *out->logs, span_read, (void **)&out->logs,
                                    &out->n_logs, "month logs", err);
    if (e)
        return e;
    if (!(s = store_stmt(tx, roster, err)))
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_i64(s, 2, start);
    store_bind_i64(s, 3, end);
    return store_read_rows(tx, s, a, sizeof *out->roster, interval_read, (void **)&out->roster,
                           &out->n_roster, "month roster", err);
}

static void unit_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_work_unit *u = item;
    u->id = sqlite3_column_int64(s, 0);
    u->name = store_col_text(s, 1, a);
}

enum yj_err store_work_units(struct store_tx *tx, struct yj_arena *a,
                             struct store_work_unit **items, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT id, name FROM units WHERE deleted_at IS NULL ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **items, unit_read, (void **)items, n, "live units",
                           err);
}

static void ms_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(s, 0);
}

enum yj_err store_work_dispatch_acks(struct store_tx *tx, int64_t unit_id, struct yj_arena *a,
                                     int64_t **ms, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT COALESCE(accepted_at, declined_at) - notified_at AS ack FROM dispatches"
        " WHERE unit_id = ? AND COALESCE(accepted_at, declined_at) IS NOT NULL ORDER BY ack";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    return store_read_rows(tx, s, a, sizeof **ms, ms_read, (void **)ms, n, "dispatch acks", err);
}

/* --- drills ------------------------------------------------------------------------------ */

enum yj_err store_drill_insert(struct store_tx *tx, struct store_drill *d, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO drills (title, message, sent_at, created_by) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, d->title);
    store_bind_text(s, 2, d->message);
    store_bind_i64(s, 3, d->sent_at);
    store_bind_i64(s, 4, d->created_by);
    enum yj_err rc = store_step_done(tx, s, "drill insert", err);
    if (rc)
        return rc;
    d->id = sqlite3_last_insert_rowid(tx->c->db);
    return YJ_OK;
}

enum yj_err store_drill_target_insert(struct store_tx *tx, const struct store_drill_target *t,
                                      struct yj_error *err)
{
    static const char sql[] = "INSERT INTO drill_targets (drill_id, unit_id, notified_at,"
                              " acked_at, acked_by) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, t->drill_id);
    store_bind_i64(s, 2, t->unit_id);
    store_bind_i64(s, 3, t->notified_at);
    store_bind_opt_i64(s, 4, t->acked_at, 0);
    store_bind_opt_i64(s, 5, t->acked_by, 0);
    return store_step_done(tx, s, "drill target insert", err);
}

static void drill_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_drill *d = item;
    d->id = sqlite3_column_int64(s, 0);
    d->title = store_col_text(s, 1, a);
    d->message = store_col_text(s, 2, a);
    d->sent_at = sqlite3_column_int64(s, 3);
    d->created_by = sqlite3_column_int64(s, 4);
    d->targets_count = sqlite3_column_int64(s, 5);
    d->acked_count = sqlite3_column_int64(s, 6);
}

/* Counted over every target (?1 = 0) or the unit's own row. */
#define DRILL_COLS                                                                                 \
    "r.id, r.title, r.message, r.sent_at, r.created_by,"                                           \
    " (SELECT COUNT(*) FROM drill_targets t WHERE t.drill_id = r.id"                               \
    "  AND (?1 = 0 OR t.unit_id = ?1)),"                                                           \
    " (SELECT COUNT(*) FROM drill_targets t WHERE t.drill_id = r.id"                               \
    "  AND (?1 = 0 OR t.unit_id = ?1) AND t.acked_at IS NOT NULL)"

enum yj_err store_drill_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_drill *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " DRILL_COLS " FROM drills r WHERE r.id = ?2";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, 0);
    store_bind_i64(s, 2, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such drill");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "drill", err);
    drill_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

static void target_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_drill_target *t = item;
    t->drill_id = sqlite3_column_int64(s, 0);
    t->unit_id = sqlite3_column_int64(s, 1);
    t->notified_at = sqlite3_column_int64(s, 2);
    t->acked_at = store_col_i64(s, 3, 0);
    t->acked_by = store_col_i64(s, 4, 0);
    t->unit_name = store_col_text(s, 5, a);
}

enum yj_err store_drill_targets(struct store_tx *tx, int64_t drill_id, int64_t unit_id,
                                struct yj_arena *a, struct store_drill_target **items, size_t *n,
                                struct yj_error *err)
{
    static const char sql[] =
        "SELECT t.drill_id, t.unit_id, t.notified_at, t.acked_at, t.acked_by, u.name"
        " FROM drill_targets t JOIN units u ON u.id = t.unit_id"
        " WHERE t.drill_id = ?1 AND (?2 = 0 OR t.unit_id = ?2) ORDER BY t.unit_id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, drill_id);
    store_bind_i64(s, 2, unit_id);
    return store_read_rows(tx, s, a, sizeof **items, target_read, (void **)items, n,
                           "drill targets", err);
}

enum yj_err store_drill_list(struct store_tx *tx, int64_t unit_id, int64_t after_id, int limit,
                             struct yj_arena *a, struct store_drill **items, size_t *n,
                             struct yj_error *err)
{
    static const char sql[] =
        "SELECT " DRILL_COLS " FROM drills r WHERE (?2 = 0 OR r.id < ?2)"
        " AND (?1 = 0 OR EXISTS (SELECT 1 FROM drill_targets t WHERE t.drill_id = r.id"
        "  AND t.unit_id = ?1))"
        " ORDER BY r.id DESC LIMIT ?3";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_i64(s, 2, after_id);
    store_bind_i64(s, 3, limit > 0 ? limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, drill_read, (void **)items, n, "drills", err);
}

enum yj_err store_drill_ack(struct store_tx *tx, int64_t drill_id, int64_t unit_id, int64_t user_id,
                            int64_t now, bool *changed, struct yj_error *err)
{
    static const char sql[] = "UPDATE drill_targets SET acked_at = ?1, acked_by = ?2"
                              " WHERE drill_id = ?3 AND unit_id = ?4 AND acked_at IS NULL";
    static const char exists[] = "SELECT 1 FROM drill_targets WHERE drill_id = ? AND unit_id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, user_id);
    store_bind_i64(s, 3, drill_id);
    store_bind_i64(s, 4, unit_id);
    enum yj_err rc = store_step_done(tx, s, "drill ack", err);
    if (rc)
        return rc;
    *changed = sqlite3_changes(tx->c->db) > 0;
    if (*changed)
        return YJ_OK;
    if (!(s = store_stmt(tx, exists, err)))
        return err->code;
    store_bind_i64(s, 1, drill_id);
    store_bind_i64(s, 2, unit_id);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return store_fail(tx, r, "drill target", err);
    sqlite3_reset(s);
    if (r == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "the drill did not alert this unit");
    return YJ_OK;
}
