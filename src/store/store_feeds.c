/*
 * store_feeds.c - scheduled indicator feeds and their runs (store_feeds.h).
 */
#include "store/store_feeds.h"

#include "store/store_int.h"

/* --- feeds ------------------------------------------------------------------------------ */

/* The feed's columns, with the counts of its last run (a LEFT JOIN: none before one). */
#define FEED_COLS                                                                                  \
    "f.id, f.version, f.name, f.source, f.format, f.columns, f.category, f.tlp, f.confidence,"     \
    " f.valid_days, f.interval_minutes, f.enabled, f.etag, f.last_modified, f.last_run_at,"        \
    " f.last_status, f.last_error, f.next_run_at, f.running_since, f.created_by, f.created_at,"    \
    " f.updated_at, r.objects, r.imported, r.merged, r.flagged, r.problems"
#define FEED_FROM " FROM feeds f LEFT JOIN feed_runs r ON r.id = f.last_run_id"

static void feed_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_feed *f = item;
    *f = (struct store_feed){.id = sqlite3_column_int64(s, 0),
                             .version = sqlite3_column_int64(s, 1),
                             .name = store_col_text(s, 2, a),
                             .source = store_col_text(s, 3, a),
                             .format = store_col_text(s, 4, a),
                             .columns = store_col_text(s, 5, a),
                             .category = store_col_text(s, 6, a),
                             .tlp = store_col_text(s, 7, a),
                             .confidence = store_col_i64(s, 8, -1),
                             .valid_days = store_col_i64(s, 9, 0),
                             .interval_minutes = sqlite3_column_int64(s, 10),
                             .enabled = sqlite3_column_int64(s, 11) != 0,
                             .etag = store_col_text(s, 12, a),
                             .last_modified = store_col_text(s, 13, a),
                             .last_run_at = store_col_i64(s, 14, 0),
                             .last_status = store_col_text(s, 15, a),
                             .last_error = store_col_text(s, 16, a),
                             .next_run_at = store_col_i64(s, 17, 0),
                             .running_since = store_col_i64(s, 18, 0),
                             .created_by = store_col_i64(s, 19, 0),
                             .created_at = sqlite3_column_int64(s, 20),
                             .updated_at = sqlite3_column_int64(s, 21),
                             .last_counts = {.objects = store_col_i64(s, 22, 0),
                                             .imported = store_col_i64(s, 23, 0),
                                             .merged = store_col_i64(s, 24, 0),
                                             .flagged = store_col_i64(s, 25, 0),
                                             .problems = store_col_i64(s, 26, 0)}};
}

/* YJ_ECONFLICT naming "name" when a live feed other than id has that name. */
static enum yj_err name_free(struct store_tx *tx, const char *name, int64_t id,
                             struct yj_error *err)
{
    static const char sql[] =
        "SELECT 1 FROM feeds WHERE name = ? AND id != ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, name);
    store_bind_i64(s, 2, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return yj_error_set(err, YJ_ECONFLICT, "name", "a feed of that name exists");
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "feed name", err);
}

/* Binds the settings every write of a feed carries, from parameter 1 on; returns the next. */
static int bind_settings(sqlite3_stmt *s, const struct store_feed *f)
{
    store_bind_text(s, 1, f->name);
    store_bind_text(s, 2, f->source);
    store_bind_text(s, 3, f->format);
    store_bind_text(s, 4, f->columns);
    store_bind_text(s, 5, f->category);
    store_bind_text(s, 6, f->tlp);
    store_bind_opt_i64(s, 7, f->confidence, -1);
    store_bind_opt_i64(s, 8, f->valid_days, 0);
    store_bind_i64(s, 9, f->interval_minutes);
    store_bind_i64(s, 10, f->enabled ? 1 : 0);
    store_bind_text(s, 11, f->etag);
    store_bind_text(s, 12, f->last_modified);
    store_bind_opt_i64(s, 13, f->next_run_at, 0);
    return 14;
}

enum yj_err store_feed_insert(struct store_tx *tx, struct store_feed *f, int64_t now,
                              struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO feeds (version, name, source, format, columns, category, tlp, confidence,"
        " valid_days, interval_minutes, enabled, etag, last_modified, next_run_at, created_by,"
        " created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    enum yj_err rc = name_free(tx, f->name, 0, err);
    if (rc)
        return rc;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int i = bind_settings(s, f);
    store_bind_opt_i64(s, i, f->created_by, 0);
    store_bind_i64(s, i + 1, now);
    store_bind_i64(s, i + 2, now);
    if ((rc = store_step_done(tx, s, "feed", err)) != YJ_OK)
        return rc;
    f->id = sqlite3_last_insert_rowid(tx->c->db);
    f->version = 1;
    f->created_at = f->updated_at = now;
    return YJ_OK;
}

enum yj_err store_feed_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                           struct store_feed *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " FEED_COLS FEED_FROM " WHERE f.id = ? AND f.deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "feed not found");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "feed", err);
    feed_read(s, a, out);
    return YJ_OK;
}

enum yj_err store_feed_update(struct store_tx *tx, struct store_feed *f, int64_t now,
                              struct yj_error *err)
{
    static const char sql[] =
        "UPDATE feeds SET version = version + 1, name = ?, source = ?, format = ?, columns = ?,"
        " category = ?, tlp = ?, confidence = ?, valid_days = ?, interval_minutes = ?,"
        " enabled = ?, etag = ?, last_modified = ?, next_run_at = ?, updated_at = ?"
        " WHERE id = ? AND version = ? AND deleted_at IS NULL";
    enum yj_err rc = name_free(tx, f->name, f->id, err);
    if (rc)
        return rc;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int i = bind_settings(s, f);
    store_bind_i64(s, i, now);
    store_bind_i64(s, i + 1, f->id);
    store_bind_i64(s, i + 2, f->version);
    if ((rc = store_step_done(tx, s, "feed", err)) != YJ_OK)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match", "the feed changed meanwhile");
    f->version++;
    f->updated_at = now;
    return YJ_OK;
}

enum yj_err store_feed_delete(struct store_tx *tx, int64_t id, int64_t version, int64_t now,
                              struct yj_error *err)
{
    static const char sql[] =
        "UPDATE feeds SET version = version + 1, deleted_at = ?, updated_at = ?, enabled = 0,"
        " next_run_at = NULL WHERE id = ? AND version = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, now);
    store_bind_i64(s, 3, id);
    store_bind_i64(s, 4, version);
    enum yj_err rc = store_step_done(tx, s, "feed", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match", "the feed changed meanwhile");
    return YJ_OK;
}

enum yj_err store_feed_list(struct store_tx *tx, const struct store_feed_query *q,
                            struct yj_arena *a, struct store_feed **items, size_t *n,
                            struct yj_error *err)
{
    static const char sql[] =
        "SELECT " FEED_COLS FEED_FROM " WHERE f.deleted_at IS NULL AND f.id > ?1"
        " AND (?2 < 0 OR f.enabled = ?2) ORDER BY f.id LIMIT ?3";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, q->after_id);
    store_bind_i64(s, 2, q->enabled);
    store_bind_i64(s, 3, q->limit > 0 ? q->limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, feed_read, (void **)items, n, "feeds", err);
}

/* --- runs ---------------------------------------------------------------------------------- */

enum yj_err store_feed_claim(struct store_tx *tx, int64_t id, int64_t now, int64_t lease_ms,
                             struct yj_error *err)
{
    static const char sql[] =
        "UPDATE feeds SET running_since = ?1 WHERE id = ?2 AND deleted_at IS NULL"
        " AND enabled = 1 AND (running_since IS NULL OR running_since < ?1 - ?3)";
    static const char why[] = "SELECT enabled FROM feeds WHERE id = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    store_bind_i64(s, 3, lease_ms);
    enum yj_err rc = store_step_done(tx, s, "feed claim", err);
    if (rc || sqlite3_changes(tx->c->db) == 1)
        return rc;
    /* Refused: say why, so that the caller can answer 404 or 409 naming the cause. */
    if (!(s = store_stmt(tx, why, err)))
        return err->code;
    store_bind_i64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "feed not found");
    if (step != SQLITE_ROW)
        return store_fail(tx, step, "feed claim", err);
    if (sqlite3_column_int64(s, 0) == 0)
        return yj_error_set(err, YJ_ECONFLICT, "enabled", "the feed is disabled");
    return yj_error_set(err, YJ_ECONFLICT, NULL, "the feed is running");
}

enum yj_err store_feed_due(struct store_tx *tx, int64_t now, int64_t lease_ms, int64_t *ids,
                           size_t max, size_t *n, int64_t *next, struct yj_error *err)
{
    static const char sql[] =
        "SELECT id, next_run_at FROM feeds WHERE deleted_at IS NULL AND enabled = 1"
        " AND next_run_at IS NOT NULL"
        " AND (running_since IS NULL OR running_since < ?1 - ?2) ORDER BY next_run_at, id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, lease_ms);
    *n = 0;
    *next = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t at = sqlite3_column_int64(s, 1);
        if (at > now || *n == max) {
            /* Ordered by time: the first one not taken is the next one due. */
            *next = at > now ? at : now;
            break;
        }
        ids[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "due feeds", err);
    return YJ_OK;
}

enum yj_err store_feed_finish(struct store_tx *tx, struct store_feed_run *run, int64_t version,
                              const char *etag, const char *last_modified, int64_t next_run_at,
                              struct yj_error *err)
{
    static const char ins[] =
        "INSERT INTO feed_runs (feed_id, trigger, started_at, finished_at, status, error,"
        " http_status, bytes, import_id, objects, imported, merged, flagged, problems,"
        " problem_list, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /* The validators and the schedule belong to the settings the run read: a change
     * made meanwhile (a new source, another interval) keeps its own. */
    static const char upd[] =
        "UPDATE feeds SET running_since = NULL, last_run_at = ?1, last_status = ?2,"
        " last_error = ?3, last_run_id = ?4,"
        " etag = CASE WHEN version = ?5 THEN ?6 ELSE etag END,"
        " last_modified = CASE WHEN version = ?5 THEN ?7 ELSE last_modified END,"
        " next_run_at = CASE WHEN version = ?5 AND enabled = 1 THEN ?8 ELSE next_run_at END"
        " WHERE id = ?9";
    sqlite3_stmt *s = store_stmt(tx, ins, err);
    if (!s)
        return err->code;
    const struct store_feed_counts *c = &run->counts;
    store_bind_i64(s, 1, run->feed_id);
    store_bind_text(s, 2, run->trigger);
    store_bind_i64(s, 3, run->started_at);
    store_bind_i64(s, 4, run->finished_at);
    store_bind_text(s, 5, run->status);
    store_bind_text(s, 6, run->error);
    store_bind_opt_i64(s, 7, run->http_status, 0);
    store_bind_i64(s, 8, run->bytes);
    store_bind_opt_i64(s, 9, run->import_id, 0);
    store_bind_i64(s, 10, c->objects);
    store_bind_i64(s, 11, c->imported);
    store_bind_i64(s, 12, c->merged);
    store_bind_i64(s, 13, c->flagged);
    store_bind_i64(s, 14, c->problems);
    store_bind_text(s, 15, run->problem_list ? run->problem_list : "[]");
    store_bind_opt_i64(s, 16, run->created_by, 0);
    enum yj_err rc = store_step_done(tx, s, "feed run", err);
    if (rc)
        return rc;
    run->id = sqlite3_last_insert_rowid(tx->c->db);
    if (!(s = store_stmt(tx, upd, err)))
        return err->code;
    store_bind_i64(s, 1, run->finished_at);
    store_bind_text(s, 2, run->status);
    store_bind_text(s, 3, run->error);
    store_bind_i64(s, 4, run->id);
    store_bind_i64(s, 5, version);
    store_bind_text(s, 6, etag);
    store_bind_text(s, 7, last_modified);
    store_bind_opt_i64(s, 8, next_run_at, 0);
    store_bind_i64(s, 9, run->feed_id);
    return store_step_done(tx, s, "feed", err);
}

#define RUN_COLS                                                                                   \
    "id, feed_id, trigger, started_at, finished_at, status, error, http_status, bytes,"            \
    " import_id, objects, imported, merged, flagged, problems, problem_list, created_by"

static void run_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_feed_run *r = item;
    *r = (struct store_feed_run){.id = sqlite3_column_int64(s, 0),
                                 .feed_id = sqlite3_column_int64(s, 1),
                                 .trigger = store_col_text(s, 2, a),
                                 .started_at = sqlite3_column_int64(s, 3),
                                 .finished_at = sqlite3_column_int64(s, 4),
                                 .status = store_col_text(s, 5, a),
                                 .error = store_col_text(s, 6, a),
                                 .http_status = store_col_i64(s, 7, 0),
                                 .bytes = sqlite3_column_int64(s, 8),
                                 .import_id = store_col_i64(s, 9, 0),
                                 .counts = {.objects = sqlite3_column_int64(s, 10),
                                            .imported = sqlite3_column_int64(s, 11),
                                            .merged = sqlite3_column_int64(s, 12),
                                            .flagged = sqlite3_column_int64(s, 13),
                                            .problems = sqlite3_column_int64(s, 14)},
                                 .problem_list = store_col_text(s, 15, a),
                                 .created_by = store_col_i64(s, 16, 0)};
}

enum yj_err store_feed_runs(struct store_tx *tx, int64_t feed_id, int64_t before_id, int limit,
                            struct yj_arena *a, struct store_feed_run **items, size_t *n,
                            struct yj_error *err)
{
    static const char sql[] = "SELECT " RUN_COLS " FROM feed_runs WHERE feed_id = ?1"
                              " AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, feed_id);
    store_bind_i64(s, 2, before_id);
    store_bind_i64(s, 3, limit > 0 ? limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, run_read, (void **)items, n, "feed runs", err);
}
