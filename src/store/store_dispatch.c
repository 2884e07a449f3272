/*
 * store_dispatch.c - dispatches, the breaches recorded against units, and the
 * stored timers that drive every deadline.
 */
#include "store/store_incidents.h"
#include "store/store_int.h"

/* --- dispatches ------------------------------------------------------------------------- */

#define DISPATCH_COLS                                                                              \
    "d.id, d.version, d.incident_id, d.unit_id, d.status, d.urgent, d.instructions,"               \
    " d.notified_at, d.ack_due_at, d.commit_due_at, d.accepted_at, d.declined_at,"                 \
    " d.decline_reason, d.plan_started_at, d.on_site_at, d.on_site_people, d.remote_support_at,"   \
    " d.resolved_at, d.withdrawn_at, d.withdraw_reason, d.ack_breached_at, d.commit_breached_at,"  \
    " d.replaces, d.unit_notes, d.created_by, d.created_at, d.updated_at, u.name, i.title,"        \
    " i.level"
#define DISPATCH_FROM                                                                              \
    " FROM dispatches d JOIN units u ON u.id = d.unit_id JOIN incidents i ON i.id = d.incident_id"

static void dispatch_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_dispatch *d = item;
    int c = 0;
    d->id = sqlite3_column_int64(s, c++);
    d->version = sqlite3_column_int64(s, c++);
    d->incident_id = sqlite3_column_int64(s, c++);
    d->unit_id = sqlite3_column_int64(s, c++);
    d->d.status = INC_D_NOTIFIED;
    /* The CHECK constraint admits only known codes. */
    inc_dispatch_status_parse((const char *)sqlite3_column_text(s, c++), &d->d.status);
    d->urgent = sqlite3_column_int(s, c++) != 0;
    d->instructions = store_col_text(s, c++, a);
    d->d.notified_at = sqlite3_column_int64(s, c++);
    d->d.ack_due_at = sqlite3_column_int64(s, c++);
    d->d.commit_due_at = sqlite3_column_int64(s, c++);
    d->d.accepted_at = store_col_i64(s, c++, 0);
    d->d.declined_at = store_col_i64(s, c++, 0);
    d->decline_reason = store_col_text(s, c++, a);
    d->d.plan_started_at = store_col_i64(s, c++, 0);
    d->d.on_site_at = store_col_i64(s, c++, 0);
    d->on_site_people = store_col_text(s, c++, a);
    d->d.remote_support_at = store_col_i64(s, c++, 0);
    d->d.resolved_at = store_col_i64(s, c++, 0);
    d->d.withdrawn_at = store_col_i64(s, c++, 0);
    d->withdraw_reason = store_col_text(s, c++, a);
    d->d.ack_breached_at = store_col_i64(s, c++, 0);
    d->d.commit_breached_at = store_col_i64(s, c++, 0);
    d->replaces = store_col_i64(s, c++, 0);
    d->unit_notes = store_col_text(s, c++, a);
    d->created_by = sqlite3_column_int64(s, c++);
    d->created_at = sqlite3_column_int64(s, c++);
    d->updated_at = sqlite3_column_int64(s, c++);
    d->unit_name = store_col_text(s, c++, a);
    d->incident_title = store_col_text(s, c++, a);
    d->incident_level = store_col_text(s, c++, a);
}

/* Binds the mutable columns, status .. updated_at, from 1; returns the next index. */
static int bind_dispatch(sqlite3_stmt *s, const struct store_dispatch *d)
{
    int c = 1;
    store_bind_text(s, c++, inc_dispatch_status_code(d->d.status));
    store_bind_i64(s, c++, d->urgent);
    store_bind_text(s, c++, d->instructions);
    store_bind_i64(s, c++, d->d.notified_at);
    store_bind_i64(s, c++, d->d.ack_due_at);
    store_bind_i64(s, c++, d->d.commit_due_at);
    store_bind_opt_i64(s, c++, d->d.accepted_at, 0);
    store_bind_opt_i64(s, c++, d->d.declined_at, 0);
    store_bind_text(s, c++, d->decline_reason);
    store_bind_opt_i64(s, c++, d->d.plan_started_at, 0);
    store_bind_opt_i64(s, c++, d->d.on_site_at, 0);
    store_bind_text(s, c++, d->on_site_people);
    store_bind_opt_i64(s, c++, d->d.remote_support_at, 0);
    store_bind_opt_i64(s, c++, d->d.resolved_at, 0);
    store_bind_opt_i64(s, c++, d->d.withdrawn_at, 0);
    store_bind_text(s, c++, d->withdraw_reason);
    store_bind_opt_i64(s, c++, d->d.ack_breached_at, 0);
    store_bind_opt_i64(s, c++, d->d.commit_breached_at, 0);
    store_bind_opt_i64(s, c++, d->replaces, 0);
    store_bind_text(s, c++, d->unit_notes);
    store_bind_i64(s, c++, d->updated_at);
    return c;
}

enum yj_err store_dispatch_insert(struct store_tx *tx, struct store_dispatch *d,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO dispatches (status, urgent, instructions, notified_at, ack_due_at,"
        " commit_due_at, accepted_at, declined_at, decline_reason, plan_started_at, on_site_at,"
        " on_site_people, remote_support_at, resolved_at, withdrawn_at, withdraw_reason,"
        " ack_breached_at, commit_breached_at, replaces, unit_notes, updated_at, incident_id,"
        " unit_id, created_by, created_at, version)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_dispatch(s, d);
    store_bind_i64(s, c++, d->incident_id);
    store_bind_i64(s, c++, d->unit_id);
    store_bind_i64(s, c++, d->created_by);
    store_bind_i64(s, c, d->created_at);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        /* The partial unique index: this unit already has a live dispatch here. */
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            return yj_error_set(err, YJ_ECONFLICT, "unit_id",
                                "the unit already has a live dispatch for this incident");
        return store_fail(tx, rc, "dispatch insert", err);
    }
    d->id = sqlite3_last_insert_rowid(tx->c->db);
    d->version = 1;
    return YJ_OK;
}

enum yj_err store_dispatch_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_dispatch *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " DISPATCH_COLS DISPATCH_FROM " WHERE d.id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such dispatch");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "dispatch", err);
    dispatch_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_dispatch_update(struct store_tx *tx, struct store_dispatch *d,
                                  struct yj_error *err)
{
    static const char sql[] =
        "UPDATE dispatches SET status = ?, urgent = ?, instructions = ?, notified_at = ?,"
        " ack_due_at = ?, commit_due_at = ?, accepted_at = ?, declined_at = ?,"
        " decline_reason = ?, plan_started_at = ?, on_site_at = ?, on_site_people = ?,"
        " remote_support_at = ?, resolved_at = ?, withdrawn_at = ?, withdraw_reason = ?,"
        " ack_breached_at = ?, commit_breached_at = ?, replaces = ?, unit_notes = ?,"
        " updated_at = ?, version = version + 1 WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_dispatch(s, d);
    store_bind_i64(s, c++, d->id);
    store_bind_i64(s, c, d->version);
    enum yj_err rc = store_step_done(tx, s, "dispatch update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, NULL, "the dispatch changed meanwhile");
    d->version++;
    return YJ_OK;
}

#define DISPATCH_WHERE                                                                             \
    " WHERE (?1 = 0 OR d.incident_id = ?1) AND (?2 = 0 OR d.unit_id = ?2)"                         \
    " AND (?3 IS NULL OR d.status = ?3)"                                                           \
    " AND (?4 = 0 OR d.status IN ('notified', 'accepted', 'working'))"

/* The board's order: breached first, then by "next" - unanswered -> the acknowledgement,
 * else the commitment until plan and arrival are both recorded - those with none last.
 * The terms are those of the index dispatches_board (migration 4), which holds live
 * dispatches in exactly this order: keep them identical, or every board sorts all live
 * dispatches again. */
#define DISPATCH_NEXT                                                                              \
    "CASE"                                                                                         \
    "  WHEN d.accepted_at IS NULL AND d.declined_at IS NULL THEN d.ack_due_at"                     \
    "  WHEN d.status IN ('accepted', 'working')"                                                   \
    "   AND (d.plan_started_at IS NULL OR d.on_site_at IS NULL) THEN d.commit_due_at"              \
    " END"
#define DISPATCH_BY_DEADLINE                                                                       \
    " ORDER BY d.ack_breached_at IS NULL AND d.commit_breached_at IS NULL,"                        \
    " (" DISPATCH_NEXT ") IS NULL, " DISPATCH_NEXT ", d.id LIMIT ?6"

enum yj_err store_dispatch_list(struct store_tx *tx, const struct store_dispatch_query *q,
                                struct yj_arena *a, struct store_dispatch **items, size_t *n,
                                struct yj_error *err)
{
    static const char newest[] = "SELECT " DISPATCH_COLS DISPATCH_FROM DISPATCH_WHERE
                                 " AND (?5 = 0 OR d.id < ?5) ORDER BY d.id DESC LIMIT ?6";
    /* ?5 is unused in the deadline order (no keyset paging). */
    static const char by_deadline[] =
        "SELECT " DISPATCH_COLS DISPATCH_FROM DISPATCH_WHERE DISPATCH_BY_DEADLINE;
    /* Live ones only (the board): the status test written out, so that SQLite sees the
     * partial index dispatches_board applies; ?4 is then always 1. */
    static const char live_by_deadline[] =
        "SELECT " DISPATCH_COLS DISPATCH_FROM DISPATCH_WHERE
        " AND d.status IN ('notified', 'accepted', 'working')" DISPATCH_BY_DEADLINE;
    const char *sql = !q->by_deadline ? newest : q->live_only ? live_by_deadline : by_deadline;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, q->incident_id);
    store_bind_i64(s, 2, q->unit_id);
    store_bind_text(s, 3, q->status);
    store_bind_i64(s, 4, q->live_only);
    store_bind_i64(s, 5, q->after_id);
    store_bind_i64(s, 6, q->limit > 0 ? q->limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, dispatch_read, (void **)items, n, "dispatches",
                           err);
}

enum yj_err store_dispatch_live_count(struct store_tx *tx, int64_t incident_id, int64_t *n,
                                      struct yj_error *err)
{
    static const char sql[] = "SELECT COUNT(*) FROM dispatches WHERE incident_id = ?"
                              " AND status NOT IN ('declined', 'withdrawn')";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "live dispatches", err);
    *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return YJ_OK;
}

static void candidate_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_candidate *c = item;
    c->c.unit_id = sqlite3_column_int64(s, 0);
    c->unit_name = store_col_text(s, 1, a);
    c->c.has_field = sqlite3_column_int(s, 2) != 0;
    c->c.same_province = sqlite3_column_int(s, 3) != 0;
    c->c.same_city = sqlite3_column_int(s, 4) != 0;
    c->c.on_call_now = sqlite3_column_int(s, 5) != 0;
    c->c.certified = sqlite3_column_int(s, 6) != 0;
    c->c.open_dispatches = sqlite3_column_int(s, 7);
    c->c.recent_breaches = sqlite3_column_int(s, 8);
}

enum yj_err store_dispatch_candidates(struct store_tx *tx, const char *field, const char *province,
                                      const char *city, int64_t now, int64_t since,
                                      struct yj_arena *a, struct store_candidate **items, size_t *n,
                                      struct yj_error *err)
{
    static const char sql[] =
        "SELECT u.id, u.name,"
        " EXISTS (SELECT 1 FROM unit_capabilities c WHERE c.unit_id = u.id AND c.field = ?1),"
        " u.province = ?2 OR EXISTS (SELECT 1 FROM unit_offices o WHERE o.unit_id = u.id"
        "  AND o.province = ?2),"
        " u.city = ?3 OR EXISTS (SELECT 1 FROM unit_offices o WHERE o.unit_id = u.id"
        "  AND o.city = ?3),"
        " EXISTS (SELECT 1 FROM unit_oncall r WHERE r.unit_id = u.id AND r.starts_at <= ?4"
        "  AND r.ends_at > ?4),"
        " EXISTS (SELECT 1 FROM certificates k WHERE k.unit_id = u.id AND k.status = 'valid'),"
        " (SELECT COUNT(*) FROM dispatches d WHERE d.unit_id = u.id"
        "  AND d.status IN ('notified', 'accepted', 'working')),"
        " (SELECT COUNT(*) FROM breaches b WHERE b.unit_id = u.id AND b.due_at >= ?5)"
        " FROM units u WHERE u.deleted_at IS NULL ORDER BY u.id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, field);
    store_bind_text(s, 2, province);
    store_bind_text(s, 3, city);
    store_bind_i64(s, 4, now);
    store_bind_i64(s, 5, since);
    return store_read_rows(tx, s, a, sizeof **items, candidate_read, (void **)items, n,
                           "dispatch candidates", err);
}

static void id_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(s, 0);
}

enum yj_err store_user_ids(struct store_tx *tx, int64_t unit_id, const char *role,
                           struct yj_arena *a, int64_t **ids, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT id FROM users WHERE disabled = 0"
                              " AND ((?1 > 0 AND unit_id = ?1) OR (?1 = 0 AND role = ?2))"
                              " ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_text(s, 2, role);
    return store_read_rows(tx, s, a, sizeof **ids, id_read, (void **)ids, n, "user ids", err);
}

/* --- breaches ------------------------------------------------------------------------------ */

enum yj_err store_breach_insert(struct store_tx *tx, struct store_breach *b, bool *added,
                                struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO breaches (unit_id, dispatch_id, incident_id, kind, due_at, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dispatch_id, kind) DO NOTHING";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, b->unit_id);
    store_bind_i64(s, 2, b->dispatch_id);
    store_bind_i64(s, 3, b->incident_id);
    store_bind_text(s, 4, b->kind);
    store_bind_i64(s, 5, b->due_at);
    store_bind_i64(s, 6, b->recorded_at);
    enum yj_err rc = store_step_done(tx, s, "breach insert", err);
    if (rc)
        return rc;
    *added = sqlite3_changes(tx->c->db) > 0;
    if (*added)
        b->id = sqlite3_last_insert_rowid(tx->c->db);
    return YJ_OK;
}

static void breach_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_breach *b = item;
    b->id = sqlite3_column_int64(s, 0);
    b->unit_id = sqlite3_column_int64(s, 1);
    b->dispatch_id = sqlite3_column_int64(s, 2);
    b->incident_id = sqlite3_column_int64(s, 3);
    b->kind = store_col_text(s, 4, a);
    b->due_at = sqlite3_column_int64(s, 5);
    b->recorded_at = sqlite3_column_int64(s, 6);
}

enum yj_err store_breach_list(struct store_tx *tx, int64_t unit_id, int64_t from, int64_t to,
                              struct yj_arena *a, struct store_breach **items, size_t *n,
                              struct yj_error *err)
{
    static const char sql[] =
        "SELECT id, unit_id, dispatch_id, incident_id, kind, due_at, recorded_at FROM breaches"
        " WHERE unit_id = ? AND due_at >= ? AND due_at < ? ORDER BY due_at, id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_i64(s, 2, from);
    store_bind_i64(s, 3, to);
    return store_read_rows(tx, s, a, sizeof **items, breach_read, (void **)items, n, "breaches",
                           err);
}

/* --- timers --------------------------------------------------------------------------------- */

enum yj_err store_timer_add(struct store_tx *tx, const char *kind, int64_t object_id,
                            int64_t due_at, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO timers (kind, object_id, due_at) VALUES (?, ?, ?)"
                              " ON CONFLICT (kind, object_id, due_at) DO NOTHING";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, kind);
    store_bind_i64(s, 2, object_id);
    store_bind_i64(s, 3, due_at);
    return store_step_done(tx, s, "timer add", err);
}

enum yj_err store_timer_cancel(struct store_tx *tx, const char *kind, int64_t object_id,
                               int64_t now, struct yj_error *err)
{
    static const char sql[] = "UPDATE timers SET cancelled_at = ?1 WHERE object_id = ?2"
                              " AND (?3 IS NULL OR kind = ?3) AND fired_at IS NULL"
                              " AND cancelled_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, object_id);
    store_bind_text(s, 3, kind);
    return store_step_done(tx, s, "timer cancel", err);
}

static void timer_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_timer *t = item;
    t->id = sqlite3_column_int64(s, 0);
    t->kind = store_col_text(s, 1, a);
    t->object_id = sqlite3_column_int64(s, 2);
    t->due_at = sqlite3_column_int64(s, 3);
}

enum yj_err store_timer_due(struct store_tx *tx, int64_t now, int limit, struct yj_arena *a,
                            struct store_timer **items, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT id, kind, object_id, due_at FROM timers"
                              " WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= ?"
                              " ORDER BY due_at, id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, limit);
    return store_read_rows(tx, s, a, sizeof **items, timer_read, (void **)items, n, "due timers",
                           err);
}

enum yj_err store_timer_fired(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL AND cancelled_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    return store_step_done(tx, s, "timer fired", err);
}

enum yj_err store_timer_next(struct store_tx *tx, int64_t *due_at, struct yj_error *err)
{
    static const char sql[] =
        "SELECT MIN(due_at) FROM timers WHERE fired_at IS NULL AND cancelled_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "next timer", err);
    *due_at = store_col_i64(s, 0, 0);
    sqlite3_reset(s);
    return YJ_OK;
}
