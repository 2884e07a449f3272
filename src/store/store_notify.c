/*
 * store_notify.c - the outbox with its leases and attempts, webhook endpoints
 * and in-app notifications. Single-row reads reset their statement once read,
 * so that a long transaction never leaves one open.
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

/* Steps s, a statement yielding rows, into an arena array of at most limit items. */
#define STEP_ROWS(s, limit, items, n, read, a)                                                     \
    do {                                                                                           \
        *(items) = arena_array((a), (size_t)(limit), sizeof **(items));                            \
        *(n) = 0;                                                                                  \
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && *(n) < (size_t)(limit))                     \
            read((s), (a), &(*(items))[(*(n))++]);                                                 \
    } while (0)

/* Steps s, which yields at most one row: YJ_OK with the row ready to read (the caller
 * resets s once read), YJ_ENOTFOUND ("no such <what>"), or the database's failure. */
static enum yj_err one_row(struct store_tx *tx, sqlite3_stmt *s, const char *what,
                           struct yj_error *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such %s", what);
    return rc == SQLITE_ROW ? YJ_OK : store_fail(tx, rc, what, err);
}

/* --- the outbox ----------------------------------------------------------------------------- */

#define OUTBOX_COLS                                                                                \
    "id, channel, recipient, recipient_name, event, subject, body, ref_type, ref_id, dedupe_key,"  \
    " status, attempts, next_attempt_at, lease_until, last_error, created_at, sent_at"

static void outbox_read(sqlite3_stmt *s, struct yj_arena *a, struct store_outbox *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->channel = store_col_text(s, 1, a);
    r->recipient = store_col_text(s, 2, a);
    r->recipient_name = store_col_text(s, 3, a);
    r->event = store_col_text(s, 4, a);
    r->subject = store_col_text(s, 5, a);
    r->body = store_col_text(s, 6, a);
    r->ref_type = store_col_text(s, 7, a);
    r->ref_id = store_col_i64(s, 8, 0);
    r->dedupe_key = store_col_text(s, 9, a);
    r->status = store_col_text(s, 10, a);
    r->attempts = sqlite3_column_int64(s, 11);
    r->next_attempt_at = sqlite3_column_int64(s, 12);
    r->lease_until = store_col_i64(s, 13, 0);
    r->last_error = store_col_text(s, 14, a);
    r->created_at = sqlite3_column_int64(s, 15);
    r->sent_at = store_col_i64(s, 16, 0);
}

enum yj_err store_outbox_insert(struct store_tx *tx, struct store_outbox *r, bool *inserted,
                                struct yj_error *err)
{
    /* A taken dedupe key inserts nothing (portable: PostgreSQL has the same clause). */
    static const char sql[] =
        "INSERT INTO outbox (channel, recipient, recipient_name, event, subject, body, ref_type,"
        " ref_id, dedupe_key, status, attempts, next_attempt_at, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?) ON CONFLICT (dedupe_key) DO NOTHING";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, r->channel);
    store_bind_text(s, 2, r->recipient);
    store_bind_text(s, 3, r->recipient_name);
    store_bind_text(s, 4, r->event);
    store_bind_text(s, 5, r->subject);
    store_bind_text(s, 6, r->body);
    store_bind_text(s, 7, r->ref_type);
    store_bind_opt_i64(s, 8, r->ref_id, 0);
    store_bind_text(s, 9, r->dedupe_key);
    store_bind_text(s, 10, r->status ? r->status : "pending");
    store_bind_i64(s, 11, r->next_attempt_at);
    store_bind_i64(s, 12, r->created_at);
    enum yj_err rc = store_step_done(tx, s, "outbox insert", err);
    if (rc)
        return rc;
    bool added = sqlite3_changes(tx->c->db) > 0;
    r->id = added ? sqlite3_last_insert_rowid(tx->c->db) : 0;
    if (inserted)
        *inserted = added;
    return YJ_OK;
}

/* Orders claimed rows as they were due (RETURNING promises no order). */
static int outbox_due_cmp(const void *x, const void *y)
{
    const struct store_outbox *a = x, *b = y;
    if (a->next_attempt_at != b->next_attempt_at)
        return a->next_attempt_at < b->next_attempt_at ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

enum yj_err store_outbox_claim(struct store_tx *tx, int64_t now, int64_t lease_until, int max,
                               struct yj_arena *a, struct store_outbox **items, size_t *n,
                               struct yj_error *err)
{
    static const char sql[] = "UPDATE outbox SET lease_until = ? WHERE id IN (SELECT id FROM outbox"
                              " WHERE status = 'pending' AND next_attempt_at <= ?"
                              " AND (lease_until IS NULL OR lease_until <= ?)"
                              " ORDER BY next_attempt_at, id LIMIT ?) RETURNING " OUTBOX_COLS;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = max > 0 ? max : 1;
    store_bind_i64(s, 1, lease_until);
    store_bind_i64(s, 2, now);
    store_bind_i64(s, 3, now);
    sqlite3_bind_int(s, 4, limit);
    int rc;
    STEP_ROWS(s, limit, items, n, outbox_read, a);
    if (rc != SQLITE_DONE)
        return store_fail(tx, rc, "outbox claim", err);
    qsort(*items, *n, sizeof **items, outbox_due_cmp);
    return YJ_OK;
}

enum yj_err store_outbox_record(struct store_tx *tx, int64_t id,
                                const struct store_outbox_attempt *a, const char *status,
                                int64_t next_attempt_at, struct yj_error *err)
{
    static const char sql_attempt[] =
        "INSERT INTO outbox_attempts (outbox_id, n, at, ok, detail) VALUES (?,?,?,?,?)";
    static const char sql_row[] =
        "UPDATE outbox SET attempts = ?, status = ?, next_attempt_at = ?, lease_until = NULL,"
        " last_error = ?, sent_at = ? WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql_row, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, a->n);
    store_bind_text(s, 2, status);
    store_bind_i64(s, 3, next_attempt_at);
    store_bind_text(s, 4, a->ok ? NULL : a->detail);
    store_bind_opt_i64(s, 5, a->ok ? a->at : 0, 0);
    store_bind_i64(s, 6, id);
    enum yj_err rc = store_step_done(tx, s, "outbox record", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such outbox message");
    if (!(s = store_stmt(tx, sql_attempt, err)))
        return err->code;
    store_bind_i64(s, 1, id);
    store_bind_i64(s, 2, a->n);
    store_bind_i64(s, 3, a->at);
    sqlite3_bind_int(s, 4, a->ok ? 1 : 0);
    store_bind_text(s, 5, a->detail);
    return store_step_done(tx, s, "outbox attempt insert", err);
}

enum yj_err store_outbox_release(struct store_tx *tx, int64_t id, struct yj_error *err)
{
    static const char sql[] = "UPDATE outbox SET lease_until = NULL WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_step_done(tx, s, "outbox release", err);
}

enum yj_err store_outbox_next_due(struct store_tx *tx, int64_t *at, struct yj_error *err)
{
    static const char sql[] = "SELECT MIN(CASE WHEN lease_until > next_attempt_at THEN lease_until"
                              " ELSE next_attempt_at END) FROM outbox WHERE status = 'pending'";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "outbox next due", err);
    *at = store_col_i64(s, 0, 0);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_outbox_cancel_webhook(struct store_tx *tx, int64_t webhook_id, int64_t *n,
                                        struct yj_error *err)
{
    static const char sql[] = "UPDATE outbox SET status = 'cancelled', lease_until = NULL,"
                              " last_error = 'webhook deleted'"
                              " WHERE channel = 'webhook' AND recipient = ? AND status = 'pending'";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)webhook_id);
    store_bind_text(s, 1, id);
    enum yj_err rc = store_step_done(tx, s, "outbox cancel webhook", err);
    if (!rc && n)
        *n = sqlite3_changes(tx->c->db);
    return rc;
}

enum yj_err store_outbox_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct store_outbox *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " OUTBOX_COLS " FROM outbox WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    enum yj_err rc = one_row(tx, s, "outbox message", err);
    if (!rc)
        outbox_read(s, a, out);
    sqlite3_reset(s);
    return rc;
}

enum yj_err store_outbox_list(struct store_tx *tx, const struct store_outbox_query *q,
                              struct yj_arena *a, struct store_outbox **items, size_t *n,
                              struct yj_error *err)
{
    static const char sql[] = "SELECT " OUTBOX_COLS " FROM outbox WHERE (? = 0 OR id < ?)"
                              " AND (? IS NULL OR status = ?)"
                              " AND (? IS NULL OR channel = ?)"
                              " AND (? IS NULL OR event = ?)"
                              " AND (? IS NULL OR ref_type = ?)"
                              " AND (? = 0 OR ref_id = ?)"
                              " ORDER BY id DESC LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = q->limit > 0 ? q->limit : 1;
    store_bind_i64(s, 1, q->before_id);
    store_bind_i64(s, 2, q->before_id);
    store_bind_text(s, 3, q->status);
    store_bind_text(s, 4, q->status);
    store_bind_text(s, 5, q->channel);
    store_bind_text(s, 6, q->channel);
    store_bind_text(s, 7, q->event);
    store_bind_text(s, 8, q->event);
    store_bind_text(s, 9, q->ref_type);
    store_bind_text(s, 10, q->ref_type);
    store_bind_i64(s, 11, q->ref_id);
    store_bind_i64(s, 12, q->ref_id);
    sqlite3_bind_int(s, 13, limit);
    int rc;
    STEP_ROWS(s, limit, items, n, outbox_read, a);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "outbox list", err);
}

static void attempt_read(sqlite3_stmt *s, struct yj_arena *a, struct store_outbox_attempt *r)
{
    r->n = sqlite3_column_int64(s, 0);
    r->at = sqlite3_column_int64(s, 1);
    r->ok = sqlite3_column_int(s, 2) != 0;
    r->detail = store_col_text(s, 3, a);
}

enum yj_err store_outbox_attempts(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_outbox_attempt **items, size_t *n,
                                  struct yj_error *err)
{
    static const char sql_count[] = "SELECT COUNT(*) FROM outbox_attempts WHERE outbox_id = ?";
    static const char sql[] =
        "SELECT n, at, ok, detail FROM outbox_attempts WHERE outbox_id = ? ORDER BY n";
    sqlite3_stmt *s = store_stmt(tx, sql_count, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "outbox attempts count", err);
    int64_t count = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (!(s = store_stmt(tx, sql, err)))
        return err->code;
    store_bind_i64(s, 1, id);
    STEP_ROWS(s, count, items, n, attempt_read, a);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? YJ_OK
                                                 : store_fail(tx, rc, "outbox attempts", err);
}

/* --- webhooks -------------------------------------------------------------------------------- */

#define WEBHOOK_COLS "id, name, url, secret, events, enabled, created_at, updated_at"

static void webhook_read(sqlite3_stmt *s, struct yj_arena *a, struct store_webhook *w)
{
    w->id = sqlite3_column_int64(s, 0);
    w->name = store_col_text(s, 1, a);
    w->url = store_col_text(s, 2, a);
    w->secret = store_col_text(s, 3, a);
    w->events = store_col_text(s, 4, a);
    w->enabled = sqlite3_column_int(s, 5) != 0;
    w->created_at = sqlite3_column_int64(s, 6);
    w->updated_at = sqlite3_column_int64(s, 7);
}

enum yj_err store_webhook_insert(struct store_tx *tx, struct store_webhook *w, int64_t now,
                                 struct yj_error *err)
{
    static const char sql[] = "INSERT INTO notify_webhooks (name, url, secret, events, enabled,"
                              " created_at, updated_at) VALUES (?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, w->name);
    store_bind_text(s, 2, w->url);
    store_bind_text(s, 3, w->secret);
    store_bind_text(s, 4, w->events ? w->events : "*");
    sqlite3_bind_int(s, 5, w->enabled ? 1 : 0);
    store_bind_i64(s, 6, now);
    store_bind_i64(s, 7, now);
    enum yj_err rc = store_step_done(tx, s, "webhook insert", err);
    if (rc)
        return rc;
    w->id = sqlite3_last_insert_rowid(tx->c->db);
    w->created_at = w->updated_at = now;
    return YJ_OK;
}

enum yj_err store_webhook_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                              struct store_webhook *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " WEBHOOK_COLS " FROM notify_webhooks WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    enum yj_err rc = one_row(tx, s, "webhook", err);
    if (!rc)
        webhook_read(s, a, out);
    sqlite3_reset(s);
    return rc;
}

/* YJ_ENOTFOUND when the last statement changed no row. */
static enum yj_err changed_one(struct store_tx *tx, enum yj_err rc, const char *what,
                               struct yj_error *err)
{
    if (!rc && sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such %s", what);
    return rc;
}

enum yj_err store_webhook_update(struct store_tx *tx, const struct store_webhook *w,
                                 struct yj_error *err)
{
    static const char sql[] = "UPDATE notify_webhooks SET name = ?, url = ?, secret = ?,"
                              " events = ?, enabled = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, w->name);
    store_bind_text(s, 2, w->url);
    store_bind_text(s, 3, w->secret);
    store_bind_text(s, 4, w->events ? w->events : "*");
    sqlite3_bind_int(s, 5, w->enabled ? 1 : 0);
    store_bind_i64(s, 6, w->updated_at);
    store_bind_i64(s, 7, w->id);
    return changed_one(tx, store_step_done(tx, s, "webhook update", err), "webhook", err);
}

enum yj_err store_webhook_delete(struct store_tx *tx, int64_t id, struct yj_error *err)
{
    static const char sql[] = "DELETE FROM notify_webhooks WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return changed_one(tx, store_step_done(tx, s, "webhook delete", err), "webhook", err);
}

enum yj_err store_webhook_list(struct store_tx *tx, bool enabled_only, int64_t after_id, int limit,
                               struct yj_arena *a, struct store_webhook **items, size_t *n,
                               struct yj_error *err)
{
    static const char sql[] = "SELECT " WEBHOOK_COLS " FROM notify_webhooks"
                              " WHERE id > ? AND (? = 0 OR enabled = 1) ORDER BY id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    if (limit <= 0)
        limit = 1;
    store_bind_i64(s, 1, after_id);
    sqlite3_bind_int(s, 2, enabled_only ? 1 : 0);
    sqlite3_bind_int(s, 3, limit);
    int rc;
    STEP_ROWS(s, limit, items, n, webhook_read, a);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "webhook list", err);
}

/* --- in-app notifications -------------------------------------------------------------------- */

#define NOTIFICATION_COLS                                                                          \
    "id, user_id, event, title, body, link, ref_type, ref_id, created_at, read_at"

static void notification_read(sqlite3_stmt *s, struct yj_arena *a, struct store_notification *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->user_id = sqlite3_column_int64(s, 1);
    r->event = store_col_text(s, 2, a);
    r->title = store_col_text(s, 3, a);
    r->body = store_col_text(s, 4, a);
    r->link = store_col_text(s, 5, a);
    r->ref_type = store_col_text(s, 6, a);
    r->ref_id = store_col_i64(s, 7, 0);
    r->created_at = sqlite3_column_int64(s, 8);
    r->read_at = store_col_i64(s, 9, 0);
}

enum yj_err store_notification_insert(struct store_tx *tx, struct store_notification *n,
                                      struct yj_error *err)
{
    static const char sql[] = "INSERT INTO notifications (user_id, event, title, body, link,"
                              " ref_type, ref_id, created_at) VALUES (?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, n->user_id);
    store_bind_text(s, 2, n->event);
    store_bind_text(s, 3, n->title);
    store_bind_text(s, 4, n->body);
    store_bind_text(s, 5, n->link);
    store_bind_text(s, 6, n->ref_type);
    store_bind_opt_i64(s, 7, n->ref_id, 0);
    store_bind_i64(s, 8, n->created_at);
    enum yj_err rc = store_step_done(tx, s, "notification insert", err);
    if (rc == YJ_ECONFLICT)
        return yj_error_set(err, YJ_EINVAL, "user_id", "no such user");
    if (!rc)
        n->id = sqlite3_last_insert_rowid(tx->c->db);
    return rc;
}

enum yj_err store_notification_exists(struct store_tx *tx, const struct store_notification *n,
                                      bool *exists, struct yj_error *err)
{
    /* IS compares NULLs as equal; the index on user_id narrows the scan to one user. */
    static const char sql[] = "SELECT 1 FROM notifications WHERE user_id = ? AND event = ?"
                              " AND ref_type IS ? AND ref_id IS ? AND title = ? AND body IS ?"
                              " LIMIT 1";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, n->user_id);
    store_bind_text(s, 2, n->event);
    store_bind_text(s, 3, n->ref_type);
    store_bind_opt_i64(s, 4, n->ref_id, 0);
    store_bind_text(s, 5, n->title);
    store_bind_text(s, 6, n->body);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "notification exists", err);
    *exists = rc == SQLITE_ROW;
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_notification_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                   struct store_notification *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " NOTIFICATION_COLS " FROM notifications WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    enum yj_err rc = one_row(tx, s, "notification", err);
    if (!rc)
        notification_read(s, a, out);
    sqlite3_reset(s);
    return rc;
}

enum yj_err store_notification_list(struct store_tx *tx, int64_t user_id, bool unread_only,
                                    int64_t before_id, int limit, struct yj_arena *a,
                                    struct store_notification **items, size_t *n,
                                    struct yj_error *err)
{
    static const char sql[] = "SELECT " NOTIFICATION_COLS " FROM notifications"
                              " WHERE user_id = ? AND (? = 0 OR id < ?)"
                              " AND (? = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    if (limit <= 0)
        limit = 1;
    store_bind_i64(s, 1, user_id);
    store_bind_i64(s, 2, before_id);
    store_bind_i64(s, 3, before_id);
    sqlite3_bind_int(s, 4, unread_only ? 1 : 0);
    sqlite3_bind_int(s, 5, limit);
    int rc;
    STEP_ROWS(s, limit, items, n, notification_read, a);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "notification list", err);
}

enum yj_err store_notification_read(struct store_tx *tx, int64_t user_id, int64_t id, int64_t now,
                                    struct yj_error *err)
{
    static const char sql[] = "UPDATE notifications SET read_at = COALESCE(read_at, ?)"
                              " WHERE id = ? AND user_id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    store_bind_i64(s, 3, user_id);
    return changed_one(tx, store_step_done(tx, s, "notification read", err), "notification", err);
}

enum yj_err store_notification_read_all(struct store_tx *tx, int64_t user_id, int64_t now,
                                        int64_t *n, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, user_id);
    enum yj_err rc = store_step_done(tx, s, "notification read all", err);
    if (!rc && n)
        *n = sqlite3_changes(tx->c->db);
    return rc;
}

enum yj_err store_notification_unread(struct store_tx *tx, int64_t user_id, int64_t *n,
                                      struct yj_error *err)
{
    static const char sql[] =
        "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, user_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "notification unread", err);
    *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return YJ_OK;
}
