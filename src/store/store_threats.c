/*
 * store_threats.c - threat reports (with five-tuples, indicators, files and
 * reviews) and early warnings (with products, vulnerability ids and reviews).
 * A report's or a warning's lists are replaced whole on every change: they are
 * short, and the API always sends them whole.
 */
#include "store/store_threats.h"
#include "store/store_int.h"

/* Fails with YJ_EPRECOND when a version-checked UPDATE touched no row. */
static enum yj_err changed(struct store_tx *tx, const char *what, struct yj_error *err)
{
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, NULL, "the %s changed meanwhile", what);
    return YJ_OK;
}

/* Steps s expecting one row, read with read into out; YJ_ENOTFOUND "no such what". */
static enum yj_err one_row(struct store_tx *tx, sqlite3_stmt *s, store_row_reader read,
                           struct yj_arena *a, void *out, const char *what, struct yj_error *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such %s", what);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, what, err);
    read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

/* Deletes the rows of one parent (sql takes its id) before they are written anew. */
static enum yj_err clear_rows(struct store_tx *tx, const char *sql, int64_t id, const char *what,
                              struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_step_done(tx, s, what, err);
}

/* --- threat reports ------------------------------------------------------------------- */

#define REPORT_COLS                                                                                \
    "r.id, r.version, r.unit_id, r.category, r.title, r.summary, r.propagation_path,"              \
    " r.affected, r.measure, r.measure_blocks, r.measure_text, r.status, r.submitted_at,"          \
    " r.review_comment, r.reviewed_by, r.reviewed_at, r.incident_id, r.created_by,"                \
    " r.created_at, r.updated_at, u.name"
#define REPORT_FROM " FROM threat_reports r LEFT JOIN units u ON u.id = r.unit_id"

static void report_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_threat_report *r = item;
    int c = 0;
    r->id = sqlite3_column_int64(s, c++);
    r->version = sqlite3_column_int64(s, c++);
    r->unit_id = store_col_i64(s, c++, 0);
    /* The CHECK constraints admit only known codes. */
    r->category = INTEL_CAT_OTHER;
    intel_category_parse((const char *)sqlite3_column_text(s, c++), "category", &r->category, NULL);
    r->title = store_col_text(s, c++, a);
    r->summary = store_col_text(s, c++, a);
    r->propagation_path = store_col_text(s, c++, a);
    r->affected = store_col_text(s, c++, a);
    r->disposal.measure = THREAT_M_OTHER;
    threat_measure_parse((const char *)sqlite3_column_text(s, c++), &r->disposal.measure);
    r->disposal.blocks = (unsigned)sqlite3_column_int(s, c++);
    r->disposal.text = store_col_text(s, c++, a);
    r->status = THREAT_DRAFT;
    threat_status_parse((const char *)sqlite3_column_text(s, c++), &r->status);
    r->submitted_at = store_col_i64(s, c++, 0);
    r->review_comment = store_col_text(s, c++, a);
    r->reviewed_by = store_col_i64(s, c++, 0);
    r->reviewed_at = store_col_i64(s, c++, 0);
    r->incident_id = store_col_i64(s, c++, 0);
    r->created_by = sqlite3_column_int64(s, c++);
    r->created_at = sqlite3_column_int64(s, c++);
    r->updated_at = sqlite3_column_int64(s, c++);
    r->unit_name = store_col_text(s, c, a);
}

/* Binds the mutable columns, category .. updated_at, from 1; returns the next index. */
static int bind_report(sqlite3_stmt *s, const struct store_threat_report *r)
{
    int c = 1;
    store_bind_text(s, c++, intel_category_code(r->category));
    store_bind_text(s, c++, r->title);
    store_bind_text(s, c++, r->summary);
    store_bind_text(s, c++, r->propagation_path);
    store_bind_text(s, c++, r->affected);
    store_bind_text(s, c++, threat_measure_code(r->disposal.measure));
    store_bind_i64(s, c++, r->disposal.blocks);
    store_bind_text(s, c++, r->disposal.text);
    store_bind_text(s, c++, threat_status_code(r->status));
    store_bind_opt_i64(s, c++, r->submitted_at, 0);
    store_bind_text(s, c++, r->review_comment);
    store_bind_opt_i64(s, c++, r->reviewed_by, 0);
    store_bind_opt_i64(s, c++, r->reviewed_at, 0);
    store_bind_opt_i64(s, c++, r->incident_id, 0);
    store_bind_i64(s, c++, r->updated_at);
    return c;
}

enum yj_err store_threat_insert(struct store_tx *tx, struct store_threat_report *r,
                                struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO threat_reports (category, title, summary, propagation_path, affected,"
        " measure, measure_blocks, measure_text, status, submitted_at, review_comment,"
        " reviewed_by, reviewed_at, incident_id, updated_at, unit_id, created_by, created_at,"
        " version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_report(s, r);
    store_bind_opt_i64(s, c++, r->unit_id, 0);
    store_bind_i64(s, c++, r->created_by);
    store_bind_i64(s, c, r->created_at);
    enum yj_err rc = store_step_done(tx, s, "threat report insert", err);
    if (rc)
        return rc;
    r->id = sqlite3_last_insert_rowid(tx->c->db);
    r->version = 1;
    return YJ_OK;
}

enum yj_err store_threat_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct store_threat_report *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " REPORT_COLS REPORT_FROM " WHERE r.id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return one_row(tx, s, report_read, a, out, "threat report", err);
}

enum yj_err store_threat_update(struct store_tx *tx, struct store_threat_report *r,
                                struct yj_error *err)
{
    static const char sql[] =
        "UPDATE threat_reports SET category = ?, title = ?, summary = ?, propagation_path = ?,"
        " affected = ?, measure = ?, measure_blocks = ?, measure_text = ?, status = ?,"
        " submitted_at = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ?,"
        " incident_id = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_report(s, r);
    store_bind_i64(s, c++, r->id);
    store_bind_i64(s, c, r->version);
    enum yj_err rc = store_step_done(tx, s, "threat report update", err);
    if (!rc)
        rc = changed(tx, "threat report", err);
    if (!rc)
        r->version++;
    return rc;
}

enum yj_err store_threat_list(struct store_tx *tx, const struct store_threat_query *q,
                              struct yj_arena *a, struct store_threat_report **items, size_t *n,
                              struct yj_error *err)
{
    static const char sql[] =
        "SELECT " REPORT_COLS REPORT_FROM
        " WHERE (?1 = 0 OR r.unit_id = ?1) AND (?2 = 0 OR r.unit_id IS NULL)"
        " AND (?3 IS NULL OR r.status = ?3) AND (?4 IS NULL OR r.category = ?4)"
        " AND (?5 = 0 OR r.id < ?5) ORDER BY r.id DESC LIMIT ?6";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, q->unit_id);
    store_bind_i64(s, 2, q->authority);
    store_bind_text(s, 3, q->status);
    store_bind_text(s, 4, q->category);
    store_bind_i64(s, 5, q->after_id);
    store_bind_i64(s, 6, q->limit > 0 ? q->limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, report_read, (void **)items, n,
                           "threat reports", err);
}

enum yj_err store_threat_tuples_set(struct store_tx *tx, int64_t report_id,
                                    const struct threat_tuple *t, size_t n, struct yj_error *err)
{
    static const char del[] = "DELETE FROM threat_five_tuples WHERE report_id = ?";
    static const char ins[] =
        "INSERT INTO threat_five_tuples (report_id, position, src_ip, src_port, dst_ip, dst_port,"
        " protocol, first_seen, last_seen, count) VALUES (?,?,?,?,?,?,?,?,?,?)";
    enum yj_err rc = clear_rows(tx, del, report_id, "five-tuples", err);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, report_id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, t[i].src_ip);
        store_bind_opt_i64(s, 4, t[i].src_port, -1);
        store_bind_text(s, 5, t[i].dst_ip);
        store_bind_opt_i64(s, 6, t[i].dst_port, -1);
        store_bind_text(s, 7, t[i].protocol);
        store_bind_opt_i64(s, 8, t[i].first_seen, 0);
        store_bind_opt_i64(s, 9, t[i].last_seen, 0);
        store_bind_i64(s, 10, t[i].count);
        rc = store_step_done(tx, s, "five-tuple insert", err);
    }
    return rc;
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

enum yj_err store_threat_tuples(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                struct threat_tuple **items, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT src_ip, src_port, dst_ip, dst_port, protocol, first_seen, last_seen, count"
        " FROM threat_five_tuples WHERE report_id = ? ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, report_id);
    return store_read_rows(tx, s, a, sizeof **items, tuple_read, (void **)items, n, "five-tuples",
                           err);
}

enum yj_err store_threat_indicators_set(struct store_tx *tx, int64_t report_id,
                                        const struct threat_indicator *ind, size_t n,
                                        struct yj_error *err)
{
    static const char del[] = "DELETE FROM threat_indicators WHERE report_id = ?";
    static const char ins[] = "INSERT INTO threat_indicators (report_id, position, type, value,"
                              " role, note) VALUES (?,?,?,?,?,?)";
    enum yj_err rc = clear_rows(tx, del, report_id, "threat indicators", err);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, report_id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, intel_type_code(ind[i].type));
        store_bind_text(s, 4, ind[i].value);
        store_bind_text(s, 5, threat_role_code(ind[i].role));
        store_bind_text(s, 6, ind[i].note);
        rc = store_step_done(tx, s, "threat indicator insert", err);
    }
    return rc;
}

static void indicator_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct threat_indicator *t = item;
    t->type = INTEL_IPV4;
    intel_type_parse((const char *)sqlite3_column_text(s, 0), "type", &t->type, NULL);
    t->value = store_col_text(s, 1, a);
    t->role = THREAT_ROLE_MALICIOUS;
    threat_role_parse((const char *)sqlite3_column_text(s, 2), &t->role);
    t->note = store_col_text(s, 3, a);
}

enum yj_err store_threat_indicators(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                    struct threat_indicator **items, size_t *n,
                                    struct yj_error *err)
{
    static const char sql[] = "SELECT type, value, role, note FROM threat_indicators"
                              " WHERE report_id = ? ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, report_id);
    return store_read_rows(tx, s, a, sizeof **items, indicator_read, (void **)items, n,
                           "threat indicators", err);
}

/* --- reviews (of reports and of warnings: the same shape) ---------------------------------- */

static enum yj_err review_add(struct store_tx *tx, const char *sql, int64_t id,
                              struct store_review *r, struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    store_bind_text(s, 2, r->decision);
    store_bind_text(s, 3, r->comment);
    store_bind_i64(s, 4, r->version);
    store_bind_i64(s, 5, r->reviewed_by);
    store_bind_i64(s, 6, r->reviewed_at);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "review", err);
    r->seq = sqlite3_column_int64(s, 0);
    return store_step_done(tx, s, "review", err);
}

static void review_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_review *r = item;
    r->seq = sqlite3_column_int64(s, 0);
    r->decision = store_col_text(s, 1, a);
    r->comment = store_col_text(s, 2, a);
    r->version = sqlite3_column_int64(s, 3);
    r->reviewed_by = sqlite3_column_int64(s, 4);
    r->reviewed_at = sqlite3_column_int64(s, 5);
    r->reviewer = store_col_text(s, 6, a);
}

static enum yj_err reviews(struct store_tx *tx, const char *sql, int64_t id, struct yj_arena *a,
                           struct store_review **items, size_t *n, struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_read_rows(tx, s, a, sizeof **items, review_read, (void **)items, n, "reviews",
                           err);
}

enum yj_err store_threat_review_add(struct store_tx *tx, int64_t report_id, struct store_review *r,
                                    struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO threat_report_reviews (report_id, seq, decision, comment, version,"
        " reviewed_by, reviewed_at) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1"
        " FROM threat_report_reviews WHERE report_id = ?1), ?2, ?3, ?4, ?5, ?6) RETURNING seq";
    return review_add(tx, sql, report_id, r, err);
}

enum yj_err store_threat_reviews(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                 struct store_review **items, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT v.seq, v.decision, v.comment, v.version, v.reviewed_by, v.reviewed_at, u.username"
        " FROM threat_report_reviews v LEFT JOIN users u ON u.id = v.reviewed_by"
        " WHERE v.report_id = ? ORDER BY v.seq";
    return reviews(tx, sql, report_id, a, items, n, err);
}

/* --- files ------------------------------------------------------------------------------------ */

#define FILE_COLS "report_id, seq, sha256, filename, media_type, size, note, added_by, added_at"

static void file_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_threat_file *f = item;
    f->report_id = sqlite3_column_int64(s, 0);
    f->seq = sqlite3_column_int64(s, 1);
    f->sha256 = store_col_text(s, 2, a);
    f->filename = store_col_text(s, 3, a);
    f->media_type = store_col_text(s, 4, a);
    f->size = sqlite3_column_int64(s, 5);
    f->note = store_col_text(s, 6, a);
    f->added_by = sqlite3_column_int64(s, 7);
    f->added_at = sqlite3_column_int64(s, 8);
}

enum yj_err store_threat_file_add(struct store_tx *tx, struct store_threat_file *f,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO threat_report_files (" FILE_COLS ") VALUES (?1, (SELECT COALESCE(MAX(seq),"
        " 0) + 1 FROM threat_report_files WHERE report_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " RETURNING seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, f->report_id);
    store_bind_text(s, 2, f->sha256);
    store_bind_text(s, 3, f->filename);
    store_bind_text(s, 4, f->media_type);
    store_bind_i64(s, 5, f->size);
    store_bind_text(s, 6, f->note);
    store_bind_i64(s, 7, f->added_by);
    store_bind_i64(s, 8, f->added_at);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "threat report file", err);
    f->seq = sqlite3_column_int64(s, 0);
    return store_step_done(tx, s, "threat report file", err);
}

enum yj_err store_threat_files(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                               struct store_threat_file **items, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " FILE_COLS " FROM threat_report_files WHERE report_id = ? ORDER BY seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, report_id);
    return store_read_rows(tx, s, a, sizeof **items, file_read, (void **)items, n,
                           "threat report files", err);
}

enum yj_err store_threat_file_get(struct store_tx *tx, int64_t report_id, int64_t seq,
                                  struct yj_arena *a, struct store_threat_file *out,
                                  struct yj_error *err)
{
    static const char sql[] =
        "SELECT " FILE_COLS " FROM threat_report_files WHERE report_id = ? AND seq = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, report_id);
    store_bind_i64(s, 2, seq);
    return one_row(tx, s, file_read, a, out, "file", err);
}

/* --- the evaluation's counts ------------------------------------------------------------------ */

static void stat_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_threat_stat *t = item;
    t->unit_id = sqlite3_column_int64(s, 0);
    t->unit_name = store_col_text(s, 1, a);
    t->accepted = sqlite3_column_int64(s, 2);
    t->rejected = sqlite3_column_int64(s, 3);
    t->returned = sqlite3_column_int64(s, 4);
}

enum yj_err store_threat_stats(struct store_tx *tx, int64_t from, int64_t to, int64_t unit_id,
                               struct yj_arena *a, struct store_threat_stat **items, size_t *n,
                               struct yj_error *err)
{
    /* Every decision is in the reviews table, so a report returned and then accepted
     * counts one return and one acceptance; the authority's own reports count for nobody. */
    static const char sql[] =
        "SELECT r.unit_id, u.name,"
        " SUM(v.decision = 'accept'),"
        " SUM(v.decision IN ('reject_duplicate', 'reject_unfounded')),"
        " SUM(v.decision = 'return')"
        " FROM threat_report_reviews v JOIN threat_reports r ON r.id = v.report_id"
        " JOIN units u ON u.id = r.unit_id"
        " WHERE v.reviewed_at >= ?1 AND v.reviewed_at < ?2 AND (?3 = 0 OR r.unit_id = ?3)"
        " GROUP BY r.unit_id ORDER BY 3 DESC, r.unit_id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, from);
    store_bind_i64(s, 2, to);
    store_bind_i64(s, 3, unit_id);
    return store_read_rows(tx, s, a, sizeof **items, stat_read, (void **)items, n,
                           "threat report stats", err);
}

/* --- early warnings --------------------------------------------------------------------------- */

#define WARNING_COLS                                                                               \
    "w.id, w.version, w.unit_id, w.title, w.event_at, w.description, w.cause, w.impact,"           \
    " w.countermeasures, w.analysis, w.colour, w.status, w.submitted_at, w.review_comment,"        \
    " w.reviewed_by, w.reviewed_at, w.published_at, w.created_by, w.created_at, w.updated_at,"     \
    " u.name"
#define WARNING_FROM " FROM early_warnings w LEFT JOIN units u ON u.id = w.unit_id"

static void warning_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_warning *w = item;
    int c = 0;
    w->id = sqlite3_column_int64(s, c++);
    w->version = sqlite3_column_int64(s, c++);
    w->unit_id = store_col_i64(s, c++, 0);
    w->title = store_col_text(s, c++, a);
    w->event_at = store_col_i64(s, c++, 0);
    w->description = store_col_text(s, c++, a);
    w->cause = store_col_text(s, c++, a);
    w->impact = store_col_text(s, c++, a);
    w->countermeasures = store_col_text(s, c++, a);
    w->analysis = store_col_text(s, c++, a);
    w->has_colour = warn_colour_parse((const char *)sqlite3_column_text(s, c++), &w->colour) == 0;
    w->status = WARN_DRAFT;
    warn_status_parse((const char *)sqlite3_column_text(s, c++), &w->status);
    w->submitted_at = store_col_i64(s, c++, 0);
    w->review_comment = store_col_text(s, c++, a);
    w->reviewed_by = store_col_i64(s, c++, 0);
    w->reviewed_at = store_col_i64(s, c++, 0);
    w->published_at = store_col_i64(s, c++, 0);
    w->created_by = sqlite3_column_int64(s, c++);
    w->created_at = sqlite3_column_int64(s, c++);
    w->updated_at = sqlite3_column_int64(s, c++);
    w->unit_name = store_col_text(s, c, a);
}

static int bind_warning(sqlite3_stmt *s, const struct store_warning *w)
{
    int c = 1;
    store_bind_text(s, c++, w->title);
    store_bind_opt_i64(s, c++, w->event_at, 0);
    store_bind_text(s, c++, w->description);
    store_bind_text(s, c++, w->cause);
    store_bind_text(s, c++, w->impact);
    store_bind_text(s, c++, w->countermeasures);
    store_bind_text(s, c++, w->analysis);
    store_bind_text(s, c++, w->has_colour ? warn_colour_code(w->colour) : NULL);
    store_bind_text(s, c++, warn_status_code(w->status));
    store_bind_opt_i64(s, c++, w->submitted_at, 0);
    store_bind_text(s, c++, w->review_comment);
    store_bind_opt_i64(s, c++, w->reviewed_by, 0);
    store_bind_opt_i64(s, c++, w->reviewed_at, 0);
    store_bind_opt_i64(s, c++, w->published_at, 0);
    store_bind_i64(s, c++, w->updated_at);
    return c;
}

enum yj_err store_warning_insert(struct store_tx *tx, struct store_warning *w, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO early_warnings (title, event_at, description, cause, impact,"
        " countermeasures, analysis, colour, status, submitted_at, review_comment, reviewed_by,"
        " reviewed_at, published_at, updated_at, unit_id, created_by, created_at, version)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_warning(s, w);
    store_bind_opt_i64(s, c++, w->unit_id, 0);
    store_bind_i64(s, c++, w->created_by);
    store_bind_i64(s, c, w->created_at);
    enum yj_err rc = store_step_done(tx, s, "early warning insert", err);
    if (rc)
        return rc;
    w->id = sqlite3_last_insert_rowid(tx->c->db);
    w->version = 1;
    return YJ_OK;
}

enum yj_err store_warning_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                              struct store_warning *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " WARNING_COLS WARNING_FROM " WHERE w.id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return one_row(tx, s, warning_read, a, out, "early warning", err);
}

enum yj_err store_warning_update(struct store_tx *tx, struct store_warning *w, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE early_warnings SET title = ?, event_at = ?, description = ?, cause = ?,"
        " impact = ?, countermeasures = ?, analysis = ?, colour = ?, status = ?,"
        " submitted_at = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ?,"
        " published_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_warning(s, w);
    store_bind_i64(s, c++, w->id);
    store_bind_i64(s, c, w->version);
    enum yj_err rc = store_step_done(tx, s, "early warning update", err);
    if (!rc)
        rc = changed(tx, "early warning", err);
    if (!rc)
        w->version++;
    return rc;
}

enum yj_err store_warning_list(struct store_tx *tx, const struct store_warning_query *q,
                               struct yj_arena *a, struct store_warning **items, size_t *n,
                               struct yj_error *err)
{
    static const char sql[] =
        "SELECT " WARNING_COLS WARNING_FROM
        " WHERE (?1 = 0 OR w.unit_id = ?1) AND (?2 = 0 OR w.status = 'published')"
        " AND (?3 IS NULL OR w.status = ?3) AND (?4 IS NULL OR w.colour = ?4)"
        " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM early_warning_refs f"
        "  WHERE f.warning_id = w.id AND f.ref = ?5))"
        " AND (?6 = 0 OR w.id < ?6)"
        " AND (?8 = 0 OR (w.published_at >= ?9 AND w.published_at < ?8))"
        " ORDER BY w.id DESC LIMIT ?7";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, q->unit_id);
    store_bind_i64(s, 2, q->published_only);
    store_bind_text(s, 3, q->status);
    store_bind_text(s, 4, q->colour);
    store_bind_text(s, 5, q->ref);
    store_bind_i64(s, 6, q->after_id);
    store_bind_i64(s, 7, q->limit > 0 ? q->limit : -1);
    store_bind_i64(s, 8, q->published_to);
    store_bind_i64(s, 9, q->published_from);
    return store_read_rows(tx, s, a, sizeof **items, warning_read, (void **)items, n,
                           "early warnings", err);
}

enum yj_err store_warning_products_set(struct store_tx *tx, int64_t warning_id,
                                       const struct store_warning_product *p, size_t n,
                                       struct yj_error *err)
{
    static const char del[] = "DELETE FROM early_warning_products WHERE warning_id = ?";
    static const char ins[] = "INSERT INTO early_warning_products (warning_id, position, vendor,"
                              " product, versions) VALUES (?,?,?,?,?)";
    enum yj_err rc = clear_rows(tx, del, warning_id, "affected products", err);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, warning_id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, p[i].vendor);
        store_bind_text(s, 4, p[i].product);
        store_bind_text(s, 5, p[i].versions);
        rc = store_step_done(tx, s, "affected product insert", err);
    }
    return rc;
}

static void product_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_warning_product *p = item;
    p->vendor = store_col_text(s, 0, a);
    p->product = store_col_text(s, 1, a);
    p->versions = store_col_text(s, 2, a);
}

enum yj_err store_warning_products(struct store_tx *tx, int64_t warning_id, struct yj_arena *a,
                                   struct store_warning_product **items, size_t *n,
                                   struct yj_error *err)
{
    static const char sql[] = "SELECT vendor, product, versions FROM early_warning_products"
                              " WHERE warning_id = ? ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, warning_id);
    return store_read_rows(tx, s, a, sizeof **items, product_read, (void **)items, n,
                           "affected products", err);
}

static const char *const ref_kinds[] = {
    [WARN_REF_CVE] = "cve", [WARN_REF_CNVD] = "cnvd", [WARN_REF_CNNVD] = "cnnvd"};

enum yj_err store_warning_refs_set(struct store_tx *tx, int64_t warning_id,
                                   const struct store_warning_ref *r, size_t n,
                                   struct yj_error *err)
{
    static const char del[] = "DELETE FROM early_warning_refs WHERE warning_id = ?";
    static const char ins[] =
        "INSERT INTO early_warning_refs (warning_id, position, kind, ref) VALUES (?,?,?,?)";
    enum yj_err rc = clear_rows(tx, del, warning_id, "references", err);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, warning_id);
        store_bind_i64(s, 2, (int64_t)i + 1);
        store_bind_text(s, 3, ref_kinds[r[i].kind]);
        store_bind_text(s, 4, r[i].ref);
        rc = store_step_done(tx, s, "reference insert", err);
    }
    return rc;
}

static void ref_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_warning_ref *r = item;
    const char *k = (const char *)sqlite3_column_text(s, 0);
    r->kind = WARN_REF_CVE;
    for (size_t i = 0; k && i < YJ_ARRAY_LEN(ref_kinds); i++)
        if (strcmp(k, ref_kinds[i]) == 0)
            r->kind = (enum warn_ref_kind)i;
    r->ref = store_col_text(s, 1, a);
}

enum yj_err store_warning_refs(struct store_tx *tx, int64_t warning_id, struct yj_arena *a,
                               struct store_warning_ref **items, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT kind, ref FROM early_warning_refs WHERE warning_id = ? ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, warning_id);
    return store_read_rows(tx, s, a, sizeof **items, ref_read, (void **)items, n, "references",
                           err);
}

enum yj_err store_warning_review_add(struct store_tx *tx, int64_t warning_id,
                                     struct store_review *r, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO early_warning_reviews (warning_id, seq, decision, comment, version,"
        " reviewed_by, reviewed_at) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1"
        " FROM early_warning_reviews WHERE warning_id = ?1), ?2, ?3, ?4, ?5, ?6) RETURNING seq";
    return review_add(tx, sql, warning_id, r, err);
}

enum yj_err store_warning_reviews(struct store_tx *tx, int64_t warning_id, struct yj_arena *a,
                                  struct store_review **items, size_t *n, struct yj_error *err)
{
    static const char sql[] =
        "SELECT v.seq, v.decision, v.comment, v.version, v.reviewed_by, v.reviewed_at, u.username"
        " FROM early_warning_reviews v LEFT JOIN users u ON u.id = v.reviewed_by"
        " WHERE v.warning_id = ? ORDER BY v.seq";
    return reviews(tx, sql, warning_id, a, items, n, err);
}
