/*
 * store_incidents.c - incident reference rows, incidents, their timeline and
 * evidence. Single-row reads reset their statement once read, so that a long
 * transaction never leaves one open.
 */
#include "store/store_incidents.h"

#include "store/store_int.h"

/* --- reference rows ------------------------------------------------------------------- */

static void class_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_inc_class *c = item;
    c->code = store_col_text(s, 0, a);
    c->name_zh = store_col_text(s, 1, a);
    c->name_en = store_col_text(s, 2, a);
    c->parent_code = store_col_text(s, 3, a);
    c->standard = store_col_text(s, 4, a);
    c->alias_of = store_col_text(s, 5, a);
    c->position = sqlite3_column_int64(s, 6);
}

#define CLASS_COLS "code, name_zh, name_en, parent_code, standard, alias_of, position"

enum yj_err store_inc_classes(struct store_tx *tx, struct yj_arena *a,
                              struct store_inc_class **items, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT " CLASS_COLS " FROM incident_classes"
                              " ORDER BY standard DESC, parent_code IS NOT NULL, position, code";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **items, class_read, (void **)items, n,
                           "incident classes", err);
}

enum yj_err store_inc_class_get(struct store_tx *tx, const char *code, struct yj_arena *a,
                                struct store_inc_class *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " CLASS_COLS " FROM incident_classes WHERE code = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, code);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such incident class");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "incident class", err);
    class_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_inc_class_children(struct store_tx *tx, const char *code, int64_t *n,
                                     struct yj_error *err)
{
    static const char sql[] = "SELECT COUNT(*) FROM incident_classes WHERE parent_code = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, code);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "incident class children", err);
    *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return YJ_OK;
}

/* Fails with YJ_ENOTFOUND when an UPDATE touched no row. */
static enum yj_err one_changed(struct store_tx *tx, const char *what, struct yj_error *err)
{
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such %s", what);
    return YJ_OK;
}

enum yj_err store_inc_class_update(struct store_tx *tx, const char *code, const char *name_zh,
                                   const char *name_en, struct yj_error *err)
{
    static const char sql[] = "UPDATE incident_classes SET name_zh = ?, name_en = ? WHERE code = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, name_zh);
    store_bind_text(s, 2, name_en);
    store_bind_text(s, 3, code);
    enum yj_err rc = store_step_done(tx, s, "incident class update", err);
    return rc ? rc : one_changed(tx, "incident class", err);
}

static void level_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct inc_level *l = item;
    l->code = store_col_text(s, 0, a);
    l->name_zh = store_col_text(s, 1, a);
    l->severity = sqlite3_column_int(s, 2);
    l->ack_minutes = sqlite3_column_int(s, 3);
    l->commitment_minutes = sqlite3_column_int(s, 4);
    l->must_report = sqlite3_column_int(s, 5) != 0;
    l->pass_on = sqlite3_column_int(s, 6) != 0;
}

enum yj_err store_inc_levels(struct store_tx *tx, struct yj_arena *a, struct inc_level **items,
                             size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT code, name_zh, severity, ack_minutes, commitment_minutes,"
                              " must_report, pass_on FROM incident_levels ORDER BY severity";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **items, level_read, (void **)items, n,
                           "incident levels", err);
}

enum yj_err store_inc_level_update(struct store_tx *tx, const char *code, int ack_minutes,
                                   int commitment_minutes, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE incident_levels SET ack_minutes = ?, commitment_minutes = ? WHERE code = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, ack_minutes);
    store_bind_i64(s, 2, commitment_minutes);
    store_bind_text(s, 3, code);
    enum yj_err rc = store_step_done(tx, s, "incident level update", err);
    return rc ? rc : one_changed(tx, "incident level", err);
}

static void rule_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct inc_grading_rule *r = item;
    r->metric = store_col_text(s, 0, a);
    r->severity = sqlite3_column_int(s, 1);
    r->threshold = sqlite3_column_int64(s, 2);
    r->confirmed = sqlite3_column_int(s, 3) != 0;
}

enum yj_err store_inc_grading_rules(struct store_tx *tx, struct yj_arena *a,
                                    struct inc_grading_rule **items, size_t *n,
                                    struct yj_error *err)
{
    static const char sql[] =
        "SELECT r.metric, l.severity, r.threshold, r.confirmed FROM incident_grading_rules r"
        " JOIN incident_levels l ON l.code = r.level ORDER BY r.metric, l.severity";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **items, rule_read, (void **)items, n, "grading rules",
                           err);
}

enum yj_err store_inc_grading_rule_set(struct store_tx *tx, const char *metric, const char *level,
                                       int64_t threshold, bool confirmed, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO incident_grading_rules (metric, level, threshold, confirmed)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (metric, level) DO UPDATE SET"
        " threshold = excluded.threshold, confirmed = excluded.confirmed";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, metric);
    store_bind_text(s, 2, level);
    store_bind_i64(s, 3, threshold);
    store_bind_i64(s, 4, confirmed);
    return store_step_done(tx, s, "grading rule", err);
}

static void report_rule_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct inc_report_rule *r = item;
    r->operator_type = store_col_text(s, 0, a);
    r->recipient_zh = store_col_text(s, 1, a);
    r->first_minutes = sqlite3_column_int(s, 2);
    r->pass_on_minutes = sqlite3_column_int(s, 3);
    r->final_days = sqlite3_column_int(s, 4);
}

enum yj_err store_inc_report_rules(struct store_tx *tx, struct yj_arena *a,
                                   struct inc_report_rule **items, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT operator_type, recipient_zh, first_minutes,"
                              " pass_on_minutes, final_days FROM report_deadlines"
                              " ORDER BY first_minutes, operator_type";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **items, report_rule_read, (void **)items, n,
                           "report deadlines", err);
}

enum yj_err store_inc_report_rule_update(struct store_tx *tx, const struct inc_report_rule *r,
                                         struct yj_error *err)
{
    static const char sql[] = "UPDATE report_deadlines SET recipient_zh = ?, first_minutes = ?,"
                              " pass_on_minutes = ?, final_days = ? WHERE operator_type = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, r->recipient_zh);
    store_bind_i64(s, 2, r->first_minutes);
    store_bind_i64(s, 3, r->pass_on_minutes);
    store_bind_i64(s, 4, r->final_days);
    store_bind_text(s, 5, r->operator_type);
    enum yj_err rc = store_step_done(tx, s, "report deadline update", err);
    return rc ? rc : one_changed(tx, "operator type", err);
}

/* --- incidents ----------------------------------------------------------------------- */

#define INCIDENT_COLS                                                                              \
    "id, version, title, class_code, subclass_code, level, level_proposed, level_reason,"          \
    " level_override_reason, grading_facts, graded_at, graded_by, affected_org, affected_system,"  \
    " operator_type, province, city, discovered_at, source, source_unit_id, description,"          \
    " indicators, ransom, status, parent_id, merged_into, final_report, resolved_at, closed_at,"   \
    " created_by, created_at, updated_at"

static void incident_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_incident *i = item;
    int c = 0;
    i->id = sqlite3_column_int64(s, c++);
    i->version = sqlite3_column_int64(s, c++);
    i->title = store_col_text(s, c++, a);
    i->class_code = store_col_text(s, c++, a);
    i->subclass_code = store_col_text(s, c++, a);
    i->level = store_col_text(s, c++, a);
    i->level_proposed = store_col_text(s, c++, a);
    i->level_reason = store_col_text(s, c++, a);
    i->level_override_reason = store_col_text(s, c++, a);
    i->grading_facts = store_col_text(s, c++, a);
    i->graded_at = store_col_i64(s, c++, 0);
    i->graded_by = store_col_i64(s, c++, 0);
    i->affected_org = store_col_text(s, c++, a);
    i->affected_system = store_col_text(s, c++, a);
    i->operator_type = store_col_text(s, c++, a);
    i->province = store_col_text(s, c++, a);
    i->city = store_col_text(s, c++, a);
    i->discovered_at = sqlite3_column_int64(s, c++);
    i->source = store_col_text(s, c++, a);
    i->source_unit_id = store_col_i64(s, c++, 0);
    i->description = store_col_text(s, c++, a);
    i->indicators = store_col_text(s, c++, a);
    i->ransom = store_col_text(s, c++, a);
    i->status = INC_REPORTED;
    /* The CHECK constraint admits only known codes. */
    inc_status_parse((const char *)sqlite3_column_text(s, c++), &i->status);
    i->parent_id = store_col_i64(s, c++, 0);
    i->merged_into = store_col_i64(s, c++, 0);
    i->final_report = store_col_text(s, c++, a);
    i->resolved_at = store_col_i64(s, c++, 0);
    i->closed_at = store_col_i64(s, c++, 0);
    i->created_by = sqlite3_column_int64(s, c++);
    i->created_at = sqlite3_column_int64(s, c++);
    i->updated_at = sqlite3_column_int64(s, c++);
}

/* Binds the mutable columns in INCIDENT_COLS order from title to updated_at at 1.. */
static int bind_incident(sqlite3_stmt *s, const struct store_incident *i)
{
    int c = 1;
    store_bind_text(s, c++, i->title);
    store_bind_text(s, c++, i->class_code);
    store_bind_text(s, c++, i->subclass_code);
    store_bind_text(s, c++, i->level);
    store_bind_text(s, c++, i->level_proposed);
    store_bind_text(s, c++, i->level_reason);
    store_bind_text(s, c++, i->level_override_reason);
    store_bind_text(s, c++, i->grading_facts);
    store_bind_opt_i64(s, c++, i->graded_at, 0);
    store_bind_opt_i64(s, c++, i->graded_by, 0);
    store_bind_text(s, c++, i->affected_org);
    store_bind_text(s, c++, i->affected_system);
    store_bind_text(s, c++, i->operator_type);
    store_bind_text(s, c++, i->province);
    store_bind_text(s, c++, i->city);
    store_bind_i64(s, c++, i->discovered_at);
    store_bind_text(s, c++, i->source);
    store_bind_opt_i64(s, c++, i->source_unit_id, 0);
    store_bind_text(s, c++, i->description);
    store_bind_text(s, c++, i->indicators ? i->indicators : "[]");
    store_bind_text(s, c++, i->ransom);
    store_bind_text(s, c++, inc_status_code(i->status));
    store_bind_opt_i64(s, c++, i->parent_id, 0);
    store_bind_opt_i64(s, c++, i->merged_into, 0);
    store_bind_text(s, c++, i->final_report);
    store_bind_opt_i64(s, c++, i->resolved_at, 0);
    store_bind_opt_i64(s, c++, i->closed_at, 0);
    store_bind_i64(s, c++, i->created_by);
    store_bind_i64(s, c++, i->created_at);
    store_bind_i64(s, c++, i->updated_at);
    return c;
}

enum yj_err store_incident_insert(struct store_tx *tx, struct store_incident *i,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO incidents (title, class_code, subclass_code, level, level_proposed,"
        " level_reason, level_override_reason, grading_facts, graded_at, graded_by, affected_org,"
        " affected_system, operator_type, province, city, discovered_at, source, source_unit_id,"
        " description, indicators, ransom, status, parent_id, merged_into, final_report,"
        " resolved_at, closed_at, created_by, created_at, updated_at, version)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    bind_incident(s, i);
    enum yj_err rc = store_step_done(tx, s, "incident insert", err);
    if (rc)
        return rc;
    i->id = sqlite3_last_insert_rowid(tx->c->db);
    i->version = 1;
    return YJ_OK;
}

enum yj_err store_incident_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_incident *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " INCIDENT_COLS " FROM incidents WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such incident");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "incident", err);
    incident_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_incident_update(struct store_tx *tx, struct store_incident *i,
                                  struct yj_error *err)
{
    static const char sql[] =
        "UPDATE incidents SET title = ?, class_code = ?, subclass_code = ?, level = ?,"
        " level_proposed = ?, level_reason = ?, level_override_reason = ?, grading_facts = ?,"
        " graded_at = ?, graded_by = ?, affected_org = ?, affected_system = ?,"
        " operator_type = ?, province = ?, city = ?, discovered_at = ?, source = ?,"
        " source_unit_id = ?, description = ?, indicators = ?, ransom = ?, status = ?,"
        " parent_id = ?, merged_into = ?, final_report = ?, resolved_at = ?, closed_at = ?,"
        " created_by = ?, created_at = ?, updated_at = ?, version = version + 1"
        " WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int c = bind_incident(s, i);
    store_bind_i64(s, c++, i->id);
    store_bind_i64(s, c, i->version);
    enum yj_err rc = store_step_done(tx, s, "incident update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, NULL, "the incident changed meanwhile");
    i->version++;
    return YJ_OK;
}

enum yj_err store_incident_list(struct store_tx *tx, const struct store_incident_query *q,
                                struct yj_arena *a, struct store_incident **items, size_t *n,
                                struct yj_error *err)
{
    static const char sql[] =
        "SELECT " INCIDENT_COLS " FROM incidents i"
        " WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR level = ?2)"
        " AND (?3 = 0 OR (status <> 'closed' AND merged_into IS NULL))"
        " AND (?4 = 0 OR source_unit_id = ?4 OR EXISTS (SELECT 1 FROM dispatches d"
        "  WHERE d.incident_id = i.id AND d.unit_id = ?4))"
        " AND (?5 IS NULL OR title LIKE ?5 ESCAPE '!' OR affected_org LIKE ?5 ESCAPE '!')"
        " AND (?6 = 0 OR id < ?6) ORDER BY id DESC LIMIT ?7";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, q->status);
    store_bind_text(s, 2, q->level);
    store_bind_i64(s, 3, q->open_only);
    store_bind_i64(s, 4, q->unit_id);
    store_bind_text(s, 5, q->q && *q->q ? store_like_contains(a, q->q) : NULL);
    store_bind_i64(s, 6, q->after_id);
    store_bind_i64(s, 7, q->limit > 0 ? q->limit : -1);
    return store_read_rows(tx, s, a, sizeof **items, incident_read, (void **)items, n, "incidents",
                           err);
}

enum yj_err store_incident_involves(struct store_tx *tx, int64_t incident_id, int64_t unit_id,
                                    bool *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM incidents WHERE id = ?1 AND source_unit_id = ?2)"
        " OR EXISTS (SELECT 1 FROM dispatches WHERE incident_id = ?1 AND unit_id = ?2)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    store_bind_i64(s, 2, unit_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "incident involvement", err);
    *out = sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_incident_related(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                   struct store_incident **children, size_t *n_children,
                                   struct store_incident **merged, size_t *n_merged,
                                   struct yj_error *err)
{
    static const char kids[] =
        "SELECT " INCIDENT_COLS " FROM incidents WHERE parent_id = ? ORDER BY id";
    static const char dups[] =
        "SELECT " INCIDENT_COLS " FROM incidents WHERE merged_into = ? ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, kids, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    enum yj_err rc = store_read_rows(tx, s, a, sizeof **children, incident_read, (void **)children,
                                     n_children, "child incidents", err);
    if (rc)
        return rc;
    if (!(s = store_stmt(tx, dups, err)))
        return err->code;
    store_bind_i64(s, 1, id);
    return store_read_rows(tx, s, a, sizeof **merged, incident_read, (void **)merged, n_merged,
                           "merged incidents", err);
}

static void cell_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_board_cell *c = item;
    c->level = store_col_text(s, 0, a);
    c->status = INC_REPORTED;
    inc_status_parse((const char *)sqlite3_column_text(s, 1), &c->status);
    c->count = sqlite3_column_int64(s, 2);
}

enum yj_err store_incident_board(struct store_tx *tx, struct yj_arena *a,
                                 struct store_board_cell **cells, size_t *n, struct yj_error *err)
{
    /* Walks the partial index of open incidents only. */
    static const char sql[] = "SELECT level, status, COUNT(*) FROM incidents"
                              " WHERE status <> 'closed' AND merged_into IS NULL"
                              " GROUP BY status, level";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **cells, cell_read, (void **)cells, n, "incident board",
                           err);
}

/* --- the timeline ----------------------------------------------------------------------- */

enum yj_err store_inc_event_append(struct store_tx *tx, struct store_inc_event *e,
                                   struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO incident_events (incident_id, seq, at, actor_id, actor, kind, unit_id, detail)"
        " VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_events"
        "  WHERE incident_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7) RETURNING seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, e->incident_id);
    store_bind_i64(s, 2, e->at);
    store_bind_i64(s, 3, e->actor_id);
    store_bind_text(s, 4, e->actor);
    store_bind_text(s, 5, e->kind);
    store_bind_opt_i64(s, 6, e->unit_id, 0);
    store_bind_text(s, 7, e->detail ? e->detail : "{}");
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "incident event", err);
    e->seq = sqlite3_column_int64(s, 0);
    return store_step_done(tx, s, "incident event", err);
}

static void event_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_inc_event *e = item;
    e->incident_id = sqlite3_column_int64(s, 0);
    e->seq = sqlite3_column_int64(s, 1);
    e->at = sqlite3_column_int64(s, 2);
    e->actor_id = sqlite3_column_int64(s, 3);
    e->actor = store_col_text(s, 4, a);
    e->kind = store_col_text(s, 5, a);
    e->unit_id = store_col_i64(s, 6, 0);
    e->detail = store_col_text(s, 7, a);
}

enum yj_err store_inc_events(struct store_tx *tx, int64_t incident_id, int64_t unit_id,
                             struct yj_arena *a, struct store_inc_event **items, size_t *n,
                             struct yj_error *err)
{
    static const char sql[] =
        "SELECT incident_id, seq, at, actor_id, actor, kind, unit_id, detail FROM incident_events"
        " WHERE incident_id = ?1 AND (?2 = 0 OR unit_id IS NULL OR unit_id = ?2) ORDER BY seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    store_bind_i64(s, 2, unit_id);
    return store_read_rows(tx, s, a, sizeof **items, event_read, (void **)items, n,
                           "incident events", err);
}

/* --- evidence -------------------------------------------------------------------------- */

#define EVIDENCE_COLS                                                                              \
    "incident_id, seq, sha256, filename, media_type, size, note, added_by, added_by_name,"         \
    " unit_id, added_at, prev_hash, entry_hash"

static void evidence_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_evidence *e = item;
    e->incident_id = sqlite3_column_int64(s, 0);
    e->seq = sqlite3_column_int64(s, 1);
    e->sha256 = store_col_text(s, 2, a);
    e->filename = store_col_text(s, 3, a);
    e->media_type = store_col_text(s, 4, a);
    e->size = sqlite3_column_int64(s, 5);
    e->note = store_col_text(s, 6, a);
    e->added_by = sqlite3_column_int64(s, 7);
    e->added_by_name = store_col_text(s, 8, a);
    e->unit_id = store_col_i64(s, 9, 0);
    e->added_at = sqlite3_column_int64(s, 10);
    e->prev_hash = store_col_text(s, 11, a);
    e->entry_hash = store_col_text(s, 12, a);
}

enum yj_err store_evidence_head(struct store_tx *tx, int64_t incident_id, int64_t *seq,
                                struct yj_arena *a, char **hash, struct yj_error *err)
{
    static const char sql[] = "SELECT seq, entry_hash FROM incident_evidence"
                              " WHERE incident_id = ? ORDER BY seq DESC LIMIT 1";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        *seq = 0;
        *hash = yj_arena_strdup(a, "");
        return YJ_OK;
    }
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "evidence head", err);
    *seq = sqlite3_column_int64(s, 0);
    *hash = store_col_text(s, 1, a);
    sqlite3_reset(s);
    return YJ_OK;
}

enum yj_err store_evidence_append(struct store_tx *tx, const struct store_evidence *e,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO incident_evidence (" EVIDENCE_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, e->incident_id);
    store_bind_i64(s, 2, e->seq);
    store_bind_text(s, 3, e->sha256);
    store_bind_text(s, 4, e->filename);
    store_bind_text(s, 5, e->media_type);
    store_bind_i64(s, 6, e->size);
    store_bind_text(s, 7, e->note);
    store_bind_i64(s, 8, e->added_by);
    store_bind_text(s, 9, e->added_by_name);
    store_bind_opt_i64(s, 10, e->unit_id, 0);
    store_bind_i64(s, 11, e->added_at);
    store_bind_text(s, 12, e->prev_hash);
    store_bind_text(s, 13, e->entry_hash);
    return store_step_done(tx, s, "evidence append", err);
}

enum yj_err store_evidence_list(struct store_tx *tx, int64_t incident_id, int64_t unit_id,
                                struct yj_arena *a, struct store_evidence **items, size_t *n,
                                struct yj_error *err)
{
    static const char sql[] = "SELECT " EVIDENCE_COLS " FROM incident_evidence"
                              " WHERE incident_id = ?1 AND (?2 = 0 OR unit_id IS NULL"
                              " OR unit_id = ?2) ORDER BY seq";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    store_bind_i64(s, 2, unit_id);
    return store_read_rows(tx, s, a, sizeof **items, evidence_read, (void **)items, n, "evidence",
                           err);
}

enum yj_err store_evidence_get(struct store_tx *tx, int64_t incident_id, int64_t seq,
                               struct yj_arena *a, struct store_evidence *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " EVIDENCE_COLS " FROM incident_evidence WHERE incident_id = ? AND seq = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, incident_id);
    store_bind_i64(s, 2, seq);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such evidence");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "evidence", err);
    evidence_read(s, a, out);
    sqlite3_reset(s);
    return YJ_OK;
}
