/*
 * store_disposal.c - disposal notices with their values, five-tuples, recipients and
 * events (store_disposal.h).
 */
#include "store/store_disposal.h"
#include "store/store_int.h"

#define DISPOSAL_COLS                                                                              \
    "d.id, d.version, d.threat_report_id, d.constituent_id, d.constituent_name,"                   \
    " d.constituent_kind, d.status, d.measure, d.measure_blocks, d.measure_text, d.subject,"       \
    " d.text, d.deadline_at, d.overdue_at, d.created_by, d.created_at, d.sent_at,"                 \
    " d.acknowledged_at, d.acknowledged_by, d.handled_at, d.handled_by, d.feedback,"               \
    " d.updated_at, r.title, r.unit_id, COALESCE(u.display_name, u.username)"
#define DISPOSAL_FROM                                                                              \
    " FROM disposals d JOIN threat_reports r ON r.id = d.threat_report_id"                         \
    " LEFT JOIN users u ON u.id = d.created_by"

static void disposal_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_disposal *d = item;
    int c = 0;
    *d = (struct store_disposal){0};
    d->id = sqlite3_column_int64(s, c++);
    d->version = sqlite3_column_int64(s, c++);
    d->threat_report_id = sqlite3_column_int64(s, c++);
    d->constituent_id = sqlite3_column_int64(s, c++);
    d->constituent_name = store_col_text(s, c++, a);
    d->constituent_kind = store_col_text(s, c++, a);
    /* The CHECK constraints admit only known codes. */
    disposal_status_parse((const char *)sqlite3_column_text(s, c++), &d->status);
    threat_measure_parse((const char *)sqlite3_column_text(s, c++), &d->measure.measure);
    d->measure.blocks = (unsigned)sqlite3_column_int64(s, c++);
    d->measure.text = store_col_text(s, c++, a);
    d->subject = store_col_text(s, c++, a);
    d->text = store_col_text(s, c++, a);
    d->deadline_at = sqlite3_column_int64(s, c++);
    d->overdue_at = store_col_i64(s, c++, 0);
    d->created_by = sqlite3_column_int64(s, c++);
    d->created_at = sqlite3_column_int64(s, c++);
    d->sent_at = sqlite3_column_int64(s, c++);
    d->acknowledged_at = store_col_i64(s, c++, 0);
    d->acknowledged_by = store_col_text(s, c++, a);
    d->handled_at = store_col_i64(s, c++, 0);
    d->handled_by = store_col_text(s, c++, a);
    d->feedback = store_col_text(s, c++, a);
    d->updated_at = sqlite3_column_int64(s, c++);
    d->report_title = store_col_text(s, c++, a);
    d->report_unit_id = store_col_i64(s, c++, 0);
    d->created_by_name = store_col_text(s, c++, a);
}

/* --- the lists ------------------------------------------------------------------------------ */

static enum yj_err lists_insert(struct store_tx *tx, const struct store_disposal *d,
                                struct yj_error *err)
{
    static const char vals[] = "INSERT INTO disposal_values (disposal_id, position, type, value,"
                               " role) VALUES (?,?,?,?,?)";
    static const char tups[] =
        "INSERT INTO disposal_tuples (disposal_id, position, src_ip, src_port, dst_ip, dst_port,"
        " protocol, first_seen, last_seen, count) VALUES (?,?,?,?,?,?,?,?,?,?)";
    static const char rcpt[] = "INSERT INTO disposal_recipients (disposal_id, position, role,"
                               " name, email, phone) VALUES (?,?,?,?,?,?)";
    enum yj_err rc = YJ_OK;
    sqlite3_stmt *s;
    for (size_t i = 0; !rc && i < d->n_values; i++) {
        if (!(s = store_stmt(tx, vals, err)))
            return err->code;
        store_bind_i64(s, 1, d->id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, intel_type_code(d->values[i].type));
        store_bind_text(s, 4, d->values[i].value);
        store_bind_text(s, 5, d->values[i].role);
        rc = store_step_done(tx, s, "disposal value insert", err);
    }
    for (size_t i = 0; !rc && i < d->n_tuples; i++) {
        const struct threat_tuple *t = &d->tuples[i];
        if (!(s = store_stmt(tx, tups, err)))
            return err->code;
        store_bind_i64(s, 1, d->id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, t->src_ip);
        store_bind_opt_i64(s, 4, t->src_port, -1);
        store_bind_text(s, 5, t->dst_ip);
        store_bind_opt_i64(s, 6, t->dst_port, -1);
        store_bind_text(s, 7, t->protocol);
        store_bind_opt_i64(s, 8, t->first_seen, 0);
        store_bind_opt_i64(s, 9, t->last_seen, 0);
        store_bind_i64(s, 10, t->count);
        rc = store_step_done(tx, s, "disposal five-tuple insert", err);
    }
    for (size_t i = 0; !rc && i < d->n_recipients; i++) {
        const struct store_disposal_recipient *r = &d->recipients[i];
        if (!(s = store_stmt(tx, rcpt, err)))
            return err->code;
        store_bind_i64(s, 1, d->id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, r->role);
        store_bind_text(s, 4, r->name);
        store_bind_text(s, 5, r->email);
        store_bind_text(s, 6, r->phone);
        rc = store_step_done(tx, s, "disposal recipient insert", err);
    }
    return rc;
}

static void value_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct disposal_value *v = item;
    struct yj_error ignored;
    v->type = INTEL_IPV4;
    intel_type_parse((const char *)sqlite3_column_text(s, 0), "type", &v->type, &ignored);
    v->value = store_col_text(s, 1, a);
    v->role = store_col_text(s, 2, a);
}

static void tuple_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct threat_tuple *t = item;
    t->src_ip = store_col_text(s, 0, a);
    t->src_port = (int)store_col_i64(s, 1, -1);
    t->dst_ip = store_col_text(s, 2, a);
    t->dst_port = (int)store_col_i64(s, 3, -1);
    t->protocol = store_col_text(s, 4, a);
    t->first_seen = store_col_i64(s, 5, 0);
    t->last_seen = store_col_i64(s, 6, 0);
    t->count = sqlite3_column_int64(s, 7);
}

static void recipient_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_disposal_recipient *r = item;
    r->role = store_col_text(s, 0, a);
    r->name = store_col_text(s, 1, a);
    r->email = store_col_text(s, 2, a);
    r->phone = store_col_text(s, 3, a);
}

static enum yj_err lists_read(struct store_tx *tx, struct yj_arena *a, struct store_disposal *d,
                              struct yj_error *err)
{
    static const char vals[] = "SELECT type, value, role FROM disposal_values"
                               " WHERE disposal_id = ? ORDER BY position";
    static const char tups[] = "SELECT src_ip, src_port, dst_ip, dst_port, protocol, first_seen,"
                               " last_seen, count FROM disposal_tuples WHERE disposal_id = ?"
                               " ORDER BY position";
    static const char rcpt[] = "SELECT role, name, email, phone FROM disposal_recipients"
                               " WHERE disposal_id = ? ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, vals, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, d->id);
    enum yj_err rc = store_read_rows(tx, s, a, sizeof *d->values, value_read, (void **)&d->values,
                                     &d->n_values, "disposal values", err);
    if (!rc && !(s = store_stmt(tx, tups, err)))
        return err->code;
    if (!rc) {
        store_bind_i64(s, 1, d->id);
        rc = store_read_rows(tx, s, a, sizeof *d->tuples, tuple_read, (void **)&d->tuples,
                             &d->n_tuples, "disposal five-tuples", err);
    }
    if (!rc && !(s = store_stmt(tx, rcpt, err)))
        return err->code;
    if (!rc) {
        store_bind_i64(s, 1, d->id);
        rc = store_read_rows(tx, s, a, sizeof *d->recipients, recipient_read,
                             (void **)&d->recipients, &d->n_recipients, "disposal recipients", err);
    }
    return rc;
}

/* --- notices ------------------------------------------------------------------------------- */

enum yj_err store_disposal_insert(struct store_tx *tx, struct store_disposal *d,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO disposals (version, threat_report_id, constituent_id, constituent_name,"
        " constituent_kind, status, measure, measure_blocks, measure_text, subject, text,"
        " deadline_at, overdue_at, token_hash, created_by, created_at, sent_at, acknowledged_at,"
        " acknowledged_by, handled_at, handled_by, feedback, updated_at)"
        " VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = 1;
    store_bind_i64(s, c++, d->threat_report_id);
    store_bind_i64(s, c++, d->constituent_id);
    store_bind_text(s, c++, d->constituent_name);
    store_bind_text(s, c++, d->constituent_kind);
    store_bind_text(s, c++, disposal_status_code(d->status));
    store_bind_text(s, c++, threat_measure_code(d->measure.measure));
    store_bind_i64(s, c++, d->measure.blocks);
    store_bind_text(s, c++, d->measure.text);
    store_bind_text(s, c++, d->subject);
    store_bind_text(s, c++, d->text);
    store_bind_i64(s, c++, d->deadline_at);
    store_bind_opt_i64(s, c++, d->overdue_at, 0);
    store_bind_text(s, c++, d->token_hash);
    store_bind_i64(s, c++, d->created_by);
    store_bind_i64(s, c++, d->created_at);
    store_bind_i64(s, c++, d->sent_at);
    store_bind_opt_i64(s, c++, d->acknowledged_at, 0);
    store_bind_text(s, c++, d->acknowledged_by);
    store_bind_opt_i64(s, c++, d->handled_at, 0);
    store_bind_text(s, c++, d->handled_by);
    store_bind_text(s, c++, d->feedback);
    store_bind_i64(s, c, d->updated_at);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            return yj_error_set(err, YJ_ECONFLICT, "constituent_ids",
                                "the report already has a notice to this constituent");
        return store_fail(tx, rc, "disposal insert", err);
    }
    d->id = sqlite3_last_insert_rowid(tx->c->db);
    d->version = 1;
    return lists_insert(tx, d, err);
}

static enum yj_err get_one(struct store_tx *tx, const char *sql, int64_t id, const char *hash,
                           struct yj_arena *a, struct store_disposal *out, struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    if (hash)
        store_bind_text(s, 1, hash);
    else
        store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such disposal notice");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "disposal", err);
    disposal_read(s, a, out);
    sqlite3_reset(s);
    return lists_read(tx, a, out, err);
}

enum yj_err store_disposal_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_disposal *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " DISPOSAL_COLS DISPOSAL_FROM " WHERE d.id = ?";
    return get_one(tx, sql, id, NULL, a, out, err);
}

enum yj_err store_disposal_get_by_token(struct store_tx *tx, const char *token_hash,
                                        struct yj_arena *a, struct store_disposal *out,
                                        struct yj_error *err)
{
    static const char sql[] = "SELECT " DISPOSAL_COLS DISPOSAL_FROM " WHERE d.token_hash = ?";
    return get_one(tx, sql, 0, token_hash, a, out, err);
}

enum yj_err store_disposal_update(struct store_tx *tx, struct store_disposal *d,
                                  struct yj_error *err)
{
    static const char sql[] =
        "UPDATE disposals SET status = ?, acknowledged_at = ?, acknowledged_by = ?,"
        " handled_at = ?, handled_by = ?, feedback = ?, overdue_at = ?, sent_at = ?,"
        " token_hash = COALESCE(?, token_hash), updated_at = ?, version = version + 1"
        " WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = 1;
    store_bind_text(s, c++, disposal_status_code(d->status));
    store_bind_opt_i64(s, c++, d->acknowledged_at, 0);
    store_bind_text(s, c++, d->acknowledged_by);
    store_bind_opt_i64(s, c++, d->handled_at, 0);
    store_bind_text(s, c++, d->handled_by);
    store_bind_text(s, c++, d->feedback);
    store_bind_opt_i64(s, c++, d->overdue_at, 0);
    store_bind_i64(s, c++, d->sent_at);
    store_bind_text(s, c++, d->token_hash);
    store_bind_i64(s, c++, d->updated_at);
    store_bind_i64(s, c++, d->id);
    store_bind_i64(s, c, d->version);
    enum yj_err rc = store_step_done(tx, s, "disposal update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match", "the notice changed meanwhile");
    d->version++;
    return YJ_OK;
}

/* The list's order: open overdue notices first, then by deadline. The first term is the
 * one of the index disposals_board (migration 8): keep them identical. */
#define DISPOSAL_KEY(t)                                                                            \
    "(" t ".overdue_at IS NULL OR " t ".status = 'handled'), " t ".deadline_at, " t ".id"

enum yj_err store_disposal_list(struct store_tx *tx, const struct store_disposal_query *q,
                                struct yj_arena *a, struct store_disposal **items, size_t *n,
                                struct yj_error *err)
{
    static const char sql[] =
        "SELECT " DISPOSAL_COLS DISPOSAL_FROM " WHERE (?1 IS NULL OR d.status = ?1)"
        " AND (?2 < 0 OR (d.overdue_at IS NOT NULL) = ?2)"
        " AND (?3 = 0 OR d.threat_report_id = ?3) AND (?4 = 0 OR d.constituent_id = ?4)"
        " AND (?5 = 0 OR r.unit_id = ?5)"
        " AND (?6 = 0 OR (" DISPOSAL_KEY("d") ") > (SELECT " DISPOSAL_KEY(
            "x") " FROM disposals x WHERE x.id = ?6))"
                 " ORDER BY " DISPOSAL_KEY("d") " LIMIT ?7";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, q->status);
    store_bind_i64(s, 2, q->overdue);
    store_bind_i64(s, 3, q->threat_report_id);
    store_bind_i64(s, 4, q->constituent_id);
    store_bind_i64(s, 5, q->unit_id);
    store_bind_i64(s, 6, q->after_id);
    store_bind_i64(s, 7, q->limit > 0 ? q->limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, disposal_read, (void **)items, n, "disposals",
                           err);
}

static void id_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(s, 0);
}

enum yj_err store_disposal_notified(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                    int64_t **ids, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT constituent_id FROM disposals WHERE threat_report_id = ?"
                              " ORDER BY constituent_id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, report_id);
    return store_read_rows(tx, s, a, sizeof **ids, id_read, (void **)ids, n,
                           "notified constituents", err);
}

/* --- events ----------------------------------------------------------------------------------- */

enum yj_err store_disposal_event_add(struct store_tx *tx, int64_t disposal_id,
                                     struct store_disposal_event *e, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO disposal_events (disposal_id, seq, at, action, actor, user_id, by_name,"
        " note) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM disposal_events"
        " WHERE disposal_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7) RETURNING seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, disposal_id);
    store_bind_i64(s, 2, e->at);
    store_bind_text(s, 3, e->action);
    store_bind_text(s, 4, e->actor);
    store_bind_opt_i64(s, 5, e->user_id, 0);
    store_bind_text(s, 6, e->by);
    store_bind_text(s, 7, e->note);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "disposal event", err);
    e->seq = sqlite3_column_int64(s, 0);
    return store_step_done(tx, s, "disposal event", err);
}

static void event_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_disposal_event *e = item;
    e->seq = sqlite3_column_int64(s, 0);
    e->at = sqlite3_column_int64(s, 1);
    e->action = store_col_text(s, 2, a);
    e->actor = store_col_text(s, 3, a);
    e->user_id = store_col_i64(s, 4, 0);
    e->by = store_col_text(s, 5, a);
    e->note = store_col_text(s, 6, a);
}

enum yj_err store_disposal_events(struct store_tx *tx, int64_t disposal_id, struct yj_arena *a,
                                  struct store_disposal_event **items, size_t *n,
                                  struct yj_error *err)
{
    static const char sql[] = "SELECT seq, at, action, actor, user_id, by_name, note"
                              " FROM disposal_events WHERE disposal_id = ? ORDER BY seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, disposal_id);
    return store_read_rows(tx, s, a, sizeof **items, event_read, (void **)items, n,
                           "disposal events", err);
}
