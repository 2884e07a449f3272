/*
 * store_certs.c - certificates and their history, revocation causes, unit bans
 * and re-qualification tasks. Single-row reads reset their statement once read,
 * so that a long transaction (the expiry job) never leaves one open.
 */
#include "store/store_int.h"

static void *arena_array(struct yj_arena *a, size_t n, size_t size)
{
    void *p = yj_arena_calloc(a, n ? n : 1, size);
    if (!p) {
        /* Store reads use unlimited arenas: only a failing malloc gets here. */
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    return p;
}

static enum cert_status status_col(sqlite3_stmt *s, int i)
{
    enum cert_status st = CERT_VALID;
    /* The CHECK constraint admits only known codes. */
    cert_status_parse((const char *)sqlite3_column_text(s, i), &st);
    return st;
}

/* --- certificates ------------------------------------------------------------------------- */

#define CERT_COLS                                                                                  \
    "id, version, number, campaign_id, unit_id, application_id, holder_name, title,"               \
    " issuing_authorities, valid_from, valid_to, status, created_at, updated_at"

static void cert_read(sqlite3_stmt *s, struct yj_arena *a, struct cert *c)
{
    c->id = sqlite3_column_int64(s, 0);
    c->version = sqlite3_column_int64(s, 1);
    c->number = store_col_text(s, 2, a);
    c->campaign_id = store_col_i64(s, 3, 0);
    c->unit_id = sqlite3_column_int64(s, 4);
    c->application_id = store_col_i64(s, 5, 0);
    c->holder_name = store_col_text(s, 6, a);
    c->title = store_col_text(s, 7, a);
    c->issuing_authorities = store_col_text(s, 8, a);
    c->valid_from = store_col_text(s, 9, a);
    c->valid_to = store_col_text(s, 10, a);
    c->status = status_col(s, 11);
    c->created_at = sqlite3_column_int64(s, 12);
    c->updated_at = sqlite3_column_int64(s, 13);
}

/* Steps a statement that yields at most one certificate. */
static enum yj_err cert_one(struct store_tx *tx, sqlite3_stmt *s, struct yj_arena *a,
                            struct cert *out, const char *what, struct yj_error *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such certificate");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, what, err);
    cert_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_cert_insert(struct store_tx *tx, struct cert *c, int64_t now,
                              struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO certificates (number, campaign_id, unit_id, application_id, holder_name,"
        " title, issuing_authorities, valid_from, valid_to, status, version, created_at,"
        " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, c->number);
    store_bind_opt_i64(s, 2, c->campaign_id, 0);
    store_bind_i64(s, 3, c->unit_id);
    store_bind_opt_i64(s, 4, c->application_id, 0);
    store_bind_text(s, 5, c->holder_name);
    store_bind_text(s, 6, c->title);
    store_bind_text(s, 7, c->issuing_authorities);
    store_bind_text(s, 8, c->valid_from);
    store_bind_text(s, 9, c->valid_to);
    store_bind_text(s, 10, cert_status_code(c->status));
    store_bind_i64(s, 11, now);
    store_bind_i64(s, 12, now);
    enum yj_err rc = store_step_done(tx, s, "certificate insert", err);
    if (rc == YJ_ECONFLICT)
        return yj_error_set(err, YJ_ECONFLICT, "number", "this certificate number is taken");
    if (rc)
        return rc;
    c->id = sqlite3_last_insert_rowid(tx->c->db);
    c->version = 1;
    c->created_at = c->updated_at = now;
    return YJ_OK;
}

enum yj_err store_cert_get(struct store_tx *tx, int64_t id, struct yj_arena *a, struct cert *out,
                           struct yj_error *err)
{
    static const char sql[] = "SELECT " CERT_COLS " FROM certificates WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return cert_one(tx, s, a, out, "certificate get", err);
}

enum yj_err store_cert_get_by_number(struct store_tx *tx, const char *number, struct yj_arena *a,
                                     struct cert *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " CERT_COLS " FROM certificates WHERE number = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, number);
    return cert_one(tx, s, a, out, "certificate by number", err);
}

enum yj_err store_cert_list(struct store_tx *tx, const struct store_cert_query *q,
                            struct yj_arena *a, struct cert **items, size_t *n,
                            struct yj_error *err)
{
    static const char sql[] = "SELECT " CERT_COLS " FROM certificates WHERE id > ?"
                              " AND (? = 0 OR unit_id = ?)"
                              " AND (? = 0 OR campaign_id = ?)"
                              " AND (? IS NULL OR status = ?)"
                              " ORDER BY id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    /* The array and the LIMIT must agree: SQLite reads a negative LIMIT as none. */
    int limit = q->limit > 0 ? q->limit : 1;
    store_bind_i64(s, 1, q->after_id);
    store_bind_i64(s, 2, q->unit_id);
    store_bind_i64(s, 3, q->unit_id);
    store_bind_i64(s, 4, q->campaign_id);
    store_bind_i64(s, 5, q->campaign_id);
    store_bind_text(s, 6, q->status);
    store_bind_text(s, 7, q->status);
    sqlite3_bind_int(s, 8, limit);
    *items = arena_array(a, (size_t)limit, sizeof **items);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
        cert_read(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "certificate list", err);
}

enum yj_err store_cert_status_set(struct store_tx *tx, int64_t id, int64_t expected_version,
                                  enum cert_status from, enum cert_status to, int64_t now,
                                  struct yj_error *err)
{
    static const char sql[] = "UPDATE certificates SET status = ?, version = version + 1,"
                              " updated_at = ? WHERE id = ? AND version = ? AND status = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, cert_status_code(to));
    store_bind_i64(s, 2, now);
    store_bind_i64(s, 3, id);
    store_bind_i64(s, 4, expected_version);
    store_bind_text(s, 5, cert_status_code(from));
    enum yj_err rc = store_step_done(tx, s, "certificate status", err);
    if (!rc && sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match",
                            "the certificate was changed by someone else; reload and retry");
    return rc;
}

enum yj_err store_cert_event_insert(struct store_tx *tx, int64_t cert_id, struct cert_event *ev,
                                    struct yj_error *err)
{
    static const char sql_seq[] =
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM certificate_events WHERE certificate_id = ?";
    static const char sql[] = "INSERT INTO certificate_events (certificate_id, seq, from_status,"
                              " to_status, cause, reason, at, actor_id) VALUES (?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql_seq, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, cert_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "certificate event seq", err);
    ev->seq = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (!(s = store_stmt(tx, sql, err)))
        return err->code;
    store_bind_i64(s, 1, cert_id);
    store_bind_i64(s, 2, ev->seq);
    store_bind_text(s, 3, ev->has_from ? cert_status_code(ev->from) : NULL);
    store_bind_text(s, 4, cert_status_code(ev->to));
    store_bind_text(s, 5, ev->cause);
    store_bind_text(s, 6, ev->reason);
    store_bind_i64(s, 7, ev->at);
    store_bind_opt_i64(s, 8, ev->actor_id, 0);
    return store_step_done(tx, s, "certificate event insert", err);
}

enum yj_err store_cert_events(struct store_tx *tx, int64_t cert_id, struct yj_arena *a,
                              struct cert_event **items, size_t *n, struct yj_error *err)
{
    static const char sql_count[] =
        "SELECT COUNT(*) FROM certificate_events WHERE certificate_id = ?";
    static const char sql[] = "SELECT seq, from_status, to_status, cause, reason, at, actor_id"
                              " FROM certificate_events WHERE certificate_id = ? ORDER BY seq";
    sqlite3_stmt *s = store_stmt(tx, sql_count, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, cert_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "certificate event count", err);
    size_t max = (size_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    *items = arena_array(a, max, sizeof **items);
    *n = 0;
    if (!(s = store_stmt(tx, sql, err)))
        return err->code;
    store_bind_i64(s, 1, cert_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        struct cert_event *ev = &(*items)[(*n)++];
        ev->seq = sqlite3_column_int64(s, 0);
        ev->has_from = sqlite3_column_type(s, 1) != SQLITE_NULL;
        if (ev->has_from)
            ev->from = status_col(s, 1);
        ev->to = status_col(s, 2);
        ev->cause = store_col_text(s, 3, a);
        ev->reason = store_col_text(s, 4, a);
        ev->at = sqlite3_column_int64(s, 5);
        ev->actor_id = store_col_i64(s, 6, 0);
    }
    /* More rows than counted cannot appear within one transaction; stop at the array's
     * end all the same. */
    if (rc == SQLITE_ROW) {
        sqlite3_reset(s);
        return YJ_OK;
    }
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "certificate events", err);
}

enum yj_err store_cert_next_sequence(struct store_tx *tx, const char *pattern, int year,
                                     int64_t *seq, struct yj_error *err)
{
    /* Every number of (pattern, year) starts with the same literal prefix; among those
     * that match the pattern exactly (LIKE may also match other shapes, and ignores
     * ASCII case in SQLite), the highest sorts last, since only its fixed-width digits
     * differ. So: walk the prefix's numbers downwards and stop at the first exact one. */
    static const char sql[] =
        "SELECT number FROM certificates WHERE number LIKE ? ESCAPE '!' ORDER BY number DESC";
    char prefix[CERT_NUMBER_MAX + 1];
    enum yj_err rc = cert_number_prefix(pattern, year, prefix, sizeof prefix, err);
    if (rc)
        return rc;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s) {
        yj_arena_release(&a);
        return err->code;
    }
    store_bind_text(s, 1, store_like_prefix(&a, prefix));
    *seq = 1;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t v;
        if (cert_number_sequence(pattern, year, (const char *)sqlite3_column_text(s, 0), &v) == 0) {
            *seq = v + 1;
            break;
        }
    }
    sqlite3_reset(s);
    yj_arena_release(&a);
    return step == SQLITE_ROW || step == SQLITE_DONE ? YJ_OK
                                                     : store_fail(tx, step, "next sequence", err);
}

enum yj_err store_cert_due(struct store_tx *tx, const char *today, int64_t cert_id, int limit,
                           struct yj_arena *a, int64_t **ids, size_t *n, struct yj_error *err)
{
    /* The status condition repeats the partial index's own, so the planner may use it,
     * and the order is the index's (valid_to, then rowid): ordered by id alone, SQLite
     * would rather walk the whole table in key order. */
    static const char sql[] = "SELECT id FROM certificates"
                              " WHERE status IN ('valid', 'suspended') AND valid_to < ?"
                              " AND (? = 0 OR id = ?) ORDER BY valid_to, id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    if (limit < 1)
        limit = 1;
    store_bind_text(s, 1, today);
    store_bind_i64(s, 2, cert_id);
    store_bind_i64(s, 3, cert_id);
    sqlite3_bind_int(s, 4, limit);
    *ids = arena_array(a, (size_t)limit, sizeof **ids);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "certificates due", err);
}

enum yj_err store_cert_current(struct store_tx *tx, int64_t unit_id, const char *today,
                               struct yj_arena *a, struct cert *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " CERT_COLS " FROM certificates WHERE unit_id = ?"
        " AND status IN ('valid', 'suspended') AND valid_to >= ?"
        " ORDER BY CASE WHEN status = 'valid' THEN 0 ELSE 1 END, valid_to DESC, id DESC LIMIT 1";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    store_bind_text(s, 2, today);
    return cert_one(tx, s, a, out, "current certificate", err);
}

/* --- revocation causes ---------------------------------------------------------------------- */

static void cause_read(sqlite3_stmt *s, struct yj_arena *a, struct cert_cause *c)
{
    c->code = store_col_text(s, 0, a);
    c->name_zh = store_col_text(s, 1, a);
    c->name_en = store_col_text(s, 2, a);
    c->ban_years = sqlite3_column_int64(s, 3);
}

enum yj_err store_cert_causes(struct store_tx *tx, struct yj_arena *a, struct cert_cause **items,
                              size_t *n, struct yj_error *err)
{
    static const char sql_count[] = "SELECT COUNT(*) FROM revocation_causes";
    static const char sql[] = "SELECT code, name_zh, name_en, ban_years FROM revocation_causes"
                              " ORDER BY position, code";
    sqlite3_stmt *s = store_stmt(tx, sql_count, err);
    if (!s)
        return err->code;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "cause count", err);
    size_t max = (size_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    *items = arena_array(a, max, sizeof **items);
    *n = 0;
    if (!(s = store_stmt(tx, sql, err)))
        return err->code;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
        cause_read(s, a, &(*items)[(*n)++]);
    if (rc == SQLITE_ROW) {
        sqlite3_reset(s);
        return YJ_OK;
    }
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "causes", err);
}

enum yj_err store_cert_cause_get(struct store_tx *tx, const char *code, struct yj_arena *a,
                                 struct cert_cause *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT code, name_zh, name_en, ban_years FROM revocation_causes WHERE code = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, code);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, "cause", "unknown revocation cause");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "cause get", err);
    cause_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

/* --- bans ------------------------------------------------------------------------------------ */

enum yj_err store_cert_ban_insert(struct store_tx *tx, struct cert_ban *b, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO unit_bans (unit_id, cause, reason, starts_on, ends_on,"
                              " certificate_id, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, b->unit_id);
    store_bind_text(s, 2, b->cause);
    store_bind_text(s, 3, b->reason);
    store_bind_text(s, 4, b->starts_on);
    store_bind_text(s, 5, b->ends_on);
    store_bind_opt_i64(s, 6, b->certificate_id, 0);
    store_bind_i64(s, 7, b->created_at);
    store_bind_opt_i64(s, 8, b->created_by, 0);
    enum yj_err rc = store_step_done(tx, s, "ban insert", err);
    if (!rc)
        b->id = sqlite3_last_insert_rowid(tx->c->db);
    return rc;
}

enum yj_err store_cert_bans(struct store_tx *tx, int64_t unit_id, struct yj_arena *a,
                            struct cert_ban **items, size_t *n, struct yj_error *err)
{
    static const char sql_count[] = "SELECT COUNT(*) FROM unit_bans WHERE unit_id = ?";
    static const char sql[] = "SELECT id, unit_id, cause, reason, starts_on, ends_on,"
                              " certificate_id, created_at, created_by FROM unit_bans"
                              " WHERE unit_id = ? ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, sql_count, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "ban count", err);
    size_t max = (size_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    *items = arena_array(a, max, sizeof **items);
    *n = 0;
    if (!(s = store_stmt(tx, sql, err)))
        return err->code;
    store_bind_i64(s, 1, unit_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        struct cert_ban *b = &(*items)[(*n)++];
        b->id = sqlite3_column_int64(s, 0);
        b->unit_id = sqlite3_column_int64(s, 1);
        b->cause = store_col_text(s, 2, a);
        b->reason = store_col_text(s, 3, a);
        b->starts_on = store_col_text(s, 4, a);
        b->ends_on = store_col_text(s, 5, a);
        b->certificate_id = store_col_i64(s, 6, 0);
        b->created_at = sqlite3_column_int64(s, 7);
        b->created_by = store_col_i64(s, 8, 0);
    }
    if (rc == SQLITE_ROW) {
        sqlite3_reset(s);
        return YJ_OK;
    }
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "bans", err);
}

/* --- re-qualification tasks ------------------------------------------------------------------- */

#define REQUAL_COLS                                                                                \
    "id, unit_id, certificate_id, kind, description, reported_at, reported_by, status,"            \
    " decision, closed_at, closed_by"

static void requal_read(sqlite3_stmt *s, struct yj_arena *a, struct cert_requal *t)
{
    t->id = sqlite3_column_int64(s, 0);
    t->unit_id = sqlite3_column_int64(s, 1);
    t->certificate_id = store_col_i64(s, 2, 0);
    t->kind = CERT_CHANGE_OWNERSHIP;
    cert_change_kind_parse((const char *)sqlite3_column_text(s, 3), &t->kind);
    t->description = store_col_text(s, 4, a);
    t->reported_at = sqlite3_column_int64(s, 5);
    t->reported_by = sqlite3_column_int64(s, 6);
    const char *status = (const char *)sqlite3_column_text(s, 7);
    t->closed = status && strcmp(status, "closed") == 0;
    t->decision = store_col_text(s, 8, a);
    t->closed_at = store_col_i64(s, 9, 0);
    t->closed_by = store_col_i64(s, 10, 0);
}

enum yj_err store_requal_insert(struct store_tx *tx, struct cert_requal *t, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO requalification_tasks (unit_id, certificate_id, kind,"
                              " description, reported_at, reported_by, status)"
                              " VALUES (?,?,?,?,?,?,'open')";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, t->unit_id);
    store_bind_opt_i64(s, 2, t->certificate_id, 0);
    store_bind_text(s, 3, cert_change_kind_code(t->kind));
    store_bind_text(s, 4, t->description);
    store_bind_i64(s, 5, t->reported_at);
    store_bind_i64(s, 6, t->reported_by);
    enum yj_err rc = store_step_done(tx, s, "requalification insert", err);
    if (rc)
        return rc;
    t->id = sqlite3_last_insert_rowid(tx->c->db);
    t->closed = false;
    t->decision = NULL;
    t->closed_at = t->closed_by = 0;
    return YJ_OK;
}

enum yj_err store_requal_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct cert_requal *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " REQUAL_COLS " FROM requalification_tasks WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such task");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "requalification get", err);
    requal_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_requal_list(struct store_tx *tx, const struct store_requal_query *q,
                              struct yj_arena *a, struct cert_requal **items, size_t *n,
                              struct yj_error *err)
{
    static const char sql[] = "SELECT " REQUAL_COLS " FROM requalification_tasks WHERE id > ?"
                              " AND (? = 0 OR unit_id = ?) AND (? IS NULL OR status = ?)"
                              " ORDER BY id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = q->limit > 0 ? q->limit : 1;
    const char *state = q->state < 0 ? NULL : q->state ? "closed" : "open";
    store_bind_i64(s, 1, q->after_id);
    store_bind_i64(s, 2, q->unit_id);
    store_bind_i64(s, 3, q->unit_id);
    store_bind_text(s, 4, state);
    store_bind_text(s, 5, state);
    sqlite3_bind_int(s, 6, limit);
    *items = arena_array(a, (size_t)limit, sizeof **items);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
        requal_read(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "requalification list", err);
}

enum yj_err store_requal_decide(struct store_tx *tx, int64_t id, const char *decision, bool close,
                                int64_t now, int64_t by, struct yj_error *err)
{
    static const char sql[] = "UPDATE requalification_tasks SET decision = ?,"
                              " status = CASE WHEN ? = 1 THEN 'closed' ELSE status END,"
                              " closed_at = CASE WHEN ? = 1 THEN ? ELSE closed_at END,"
                              " closed_by = CASE WHEN ? = 1 THEN ? ELSE closed_by END"
                              " WHERE id = ? AND status = 'open'";
    static const char sql_exists[] = "SELECT 1 FROM requalification_tasks WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, decision);
    sqlite3_bind_int(s, 2, close);
    sqlite3_bind_int(s, 3, close);
    store_bind_i64(s, 4, now);
    sqlite3_bind_int(s, 5, close);
    store_bind_opt_i64(s, 6, by, 0);
    store_bind_i64(s, 7, id);
    enum yj_err rc = store_step_done(tx, s, "requalification decide", err);
    if (rc || sqlite3_changes(tx->c->db) > 0)
        return rc;
    if (!(s = store_stmt(tx, sql_exists, err)))
        return err->code;
    store_bind_i64(s, 1, id);
    int step = sqlite3_step(s);
    sqlite3_reset(s);
    if (step == SQLITE_ROW)
        return yj_error_set(err, YJ_ECONFLICT, "status", "the task is already closed");
    if (step == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such task");
    return store_fail(tx, step, "requalification exists", err);
}
