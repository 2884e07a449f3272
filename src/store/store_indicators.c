/*
 * store_indicators.c - indicators, their sources, tags and reports; imports;
 * warning lists (store_indicators.h). The batch write of an import is in
 * store_indicators_import.c.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_indicators.h"
#include "store/store_int.h"

/* --- indicators ------------------------------------------------------------------------ */

/* Tags come back in the row, joined by a unit separator: one query for a page. */
#define IND_COLS                                                                                   \
    "i.id, i.version, i.type, i.value, i.subdomains, i.category, i.confidence, i.tlp,"             \
    " i.first_seen, i.last_seen, i.valid_until, i.sightings, i.description,"                       \
    " i.flagged_by_warninglist, i.created_at, i.updated_at,"                                       \
    " (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM indicator_tags"                    \
    "  WHERE indicator_id = i.id ORDER BY tag))"

static void tags_split(struct intel_indicator *ind, char *joined)
{
    ind->n_tags = 0;
    for (char *p = joined; p && *p && ind->n_tags < INTEL_TAGS_MAX;) {
        char *sep = strchr(p, '\x1f');
        if (sep)
            *sep = '\0';
        ind->tags[ind->n_tags++] = p;
        p = sep ? sep + 1 : NULL;
    }
}

static void indicator_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_indicator *r = item;
    struct yj_error ignored = {0};
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(s, 0);
    r->version = sqlite3_column_int64(s, 1);
    /* The schema's CHECKs keep these parseable. */
    intel_type_parse((const char *)sqlite3_column_text(s, 2), "type", &r->ind.type, &ignored);
    r->ind.value = store_col_text(s, 3, a);
    r->ind.subdomains = sqlite3_column_int(s, 4) != 0;
    if (intel_category_parse((const char *)sqlite3_column_text(s, 5), "category", &r->ind.category,
                             &ignored))
        r->ind.category = INTEL_CAT_OTHER;
    r->ind.confidence = sqlite3_column_int(s, 6);
    intel_tlp_parse((const char *)sqlite3_column_text(s, 7), "tlp", &r->ind.tlp, &ignored);
    r->ind.first_seen = store_col_i64(s, 8, 0);
    r->ind.last_seen = store_col_i64(s, 9, 0);
    r->ind.valid_until = store_col_i64(s, 10, 0);
    r->ind.sightings = sqlite3_column_int64(s, 11);
    r->ind.description = store_col_text(s, 12, a);
    r->flagged_by = store_col_text(s, 13, a);
    r->created_at = sqlite3_column_int64(s, 14);
    r->updated_at = sqlite3_column_int64(s, 15);
    tags_split(&r->ind, store_col_text(s, 16, a));
}

static enum yj_err tag_add(struct store_tx *tx, int64_t id, const char *tag, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO indicator_tags (indicator_id, tag) VALUES (?, ?)"
                              " ON CONFLICT DO NOTHING";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    store_bind_text(s, 2, tag);
    return store_step_done(tx, s, "indicator tag", err);
}

enum yj_err store_indicator_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                struct store_indicator *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " IND_COLS " FROM indicators i WHERE i.id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "indicator not found");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "indicator", err);
    indicator_read(s, a, out);
    return store_step_done(tx, s, "indicator", err);
}

enum yj_err store_indicator_update(struct store_tx *tx, struct store_indicator *r, int64_t now,
                                   struct yj_error *err)
{
    static const char sql[] =
        "UPDATE indicators SET version = version + 1, confidence = ?1, tlp = ?2,"
        " valid_until = ?3, description = ?4, updated_at = ?5 WHERE id = ?6 AND version = ?7";
    static const char del[] = "DELETE FROM indicator_tags WHERE indicator_id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, r->ind.confidence);
    store_bind_text(s, 2, intel_tlp_code(r->ind.tlp));
    store_bind_opt_i64(s, 3, r->ind.valid_until, 0);
    store_bind_text(s, 4, r->ind.description);
    store_bind_i64(s, 5, now);
    store_bind_i64(s, 6, r->id);
    store_bind_i64(s, 7, r->version);
    enum yj_err rc = store_step_done(tx, s, "indicator", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "version", "the indicator was changed meanwhile");
    r->version++;
    r->updated_at = now;
    s = store_stmt(tx, del, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, r->id);
    rc = store_step_done(tx, s, "indicator tags", err);
    for (size_t t = 0; !rc && t < r->ind.n_tags; t++)
        rc = tag_add(tx, r->id, r->ind.tags[t], err);
    return rc;
}

enum yj_err store_indicator_list(struct store_tx *tx, const struct store_indicator_query *q,
                                 struct yj_arena *a, struct store_indicator **items, size_t *n,
                                 struct yj_error *err)
{
    /* The filters both statements share; ?12 is the state as its enum value. (?8, the
     * report, only sql_report reads: binding it to the other is harmless.) */
#define IND_LIST_FILTERS                                                                           \
    " (?1 IS NULL OR i.type = ?1) AND (?2 IS NULL OR i.category = ?2)"                             \
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM indicator_tags t WHERE t.tag = ?3"                  \
    "  AND t.indicator_id = i.id))"                                                                \
    " AND (?4 IS NULL OR i.value LIKE ?4 ESCAPE '!')"                                              \
    " AND (?5 = 0 OR (i.flagged_by_warninglist IS NULL AND (i.valid_until IS NULL"                 \
    "  OR i.valid_until > ?6)))"                                                                   \
    " AND (?7 = 0 OR i.tlp IN ('clear', 'green', 'amber'))"                                        \
    " AND (?11 IS NULL OR i.tlp = ?11)"                                                            \
    " AND (?12 = 0"                                                                                \
    "  OR (?12 = 1 AND i.flagged_by_warninglist IS NULL AND (i.valid_until IS NULL"                \
    "   OR i.valid_until > ?6))"                                                                   \
    "  OR (?12 = 2 AND i.flagged_by_warninglist IS NULL AND i.valid_until <= ?6)"                  \
    "  OR (?12 = 3 AND i.flagged_by_warninglist IS NOT NULL))"
    static const char sql_all[] =
        "SELECT " IND_COLS " FROM indicators i WHERE" IND_LIST_FILTERS " AND (?9 = 0 OR i.id < ?9)"
        " ORDER BY i.id DESC LIMIT ?10";
    /* A report's indicators: walked from the report's links (a few among a million),
     * not by a scan of every indicator. */
    static const char sql_report[] =
        "SELECT " IND_COLS " FROM indicator_reports r CROSS JOIN indicators i"
        " ON i.id = r.indicator_id WHERE r.threat_report_id = ?8 AND" IND_LIST_FILTERS
        " AND (?9 = 0 OR r.indicator_id < ?9) ORDER BY r.indicator_id DESC LIMIT ?10";
#undef IND_LIST_FILTERS
    _Static_assert(STORE_INDICATOR_LIVE == 1 && STORE_INDICATOR_EXPIRED == 2 &&
                       STORE_INDICATOR_FLAGGED == 3,
                   "the list query spells the states as numbers");
    sqlite3_stmt *s = store_stmt(tx, q->report_id ? sql_report : sql_all, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, q->type);
    store_bind_text(s, 2, q->category);
    store_bind_text(s, 3, q->tag);
    store_bind_text(s, 4, q->q ? store_like_contains(a, q->q) : NULL);
    store_bind_i64(s, 5, q->live_only);
    store_bind_i64(s, 6, q->now);
    store_bind_i64(s, 7, q->unit_view);
    store_bind_i64(s, 8, q->report_id);
    store_bind_i64(s, 9, q->after_id);
    store_bind_i64(s, 10, q->limit > 0 ? q->limit : -1);
    store_bind_text(s, 11, q->tlp);
    store_bind_i64(s, 12, q->state);
    return store_read_rows(tx, s, a, sizeof **items, indicator_read, (void **)items, n,
                           "indicators", err);
}

static void source_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_indicator_source *r = item;
    r->source = store_col_text(s, 0, a);
    r->first_imported = sqlite3_column_int64(s, 1);
    r->last_imported = sqlite3_column_int64(s, 2);
    r->count = sqlite3_column_int64(s, 3);
}

enum yj_err store_indicator_sources(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                    struct store_indicator_source **items, size_t *n,
                                    struct yj_error *err)
{
    static const char sql[] = "SELECT source, first_imported, last_imported, count"
                              " FROM indicator_sources WHERE indicator_id = ? ORDER BY source";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_read_rows(tx, s, a, sizeof **items, source_read, (void **)items, n,
                           "indicator sources", err);
}

static void id_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(s, 0);
}

enum yj_err store_indicator_reports(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                    int64_t **ids, size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT threat_report_id FROM indicator_reports"
                              " WHERE indicator_id = ? ORDER BY threat_report_id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_read_rows(tx, s, a, sizeof **ids, id_read, (void **)ids, n, "indicator reports",
                           err);
}

enum yj_err store_indicators_lookup(struct store_tx *tx, struct intel_lookup **out,
                                    struct yj_error *err)
{
    static const char sql[] = "SELECT id, type, value, subdomains, valid_until FROM indicators"
                              " WHERE flagged_by_warninglist IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    struct intel_lookup *l = intel_lookup_new();
    if (!l)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        enum intel_type t;
        struct yj_error ignored = {0};
        if (intel_type_parse((const char *)sqlite3_column_text(s, 1), "type", &t, &ignored))
            continue;
        enum yj_err e = intel_lookup_add(
            l, sqlite3_column_int64(s, 0), t, (const char *)sqlite3_column_text(s, 2),
            sqlite3_column_int(s, 3) != 0, store_col_i64(s, 4, 0), &ignored);
        if (e == YJ_ENOMEM) {
            intel_lookup_free(l);
            sqlite3_reset(s);
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        }
        /* A value the lookup cannot parse matches nothing: it stays listed, not served. */
    }
    if (rc != SQLITE_DONE) {
        intel_lookup_free(l);
        return store_fail(tx, rc, "indicators", err);
    }
    if (intel_lookup_finish(l, err)) {
        intel_lookup_free(l);
        return err->code;
    }
    *out = l;
    return YJ_OK;
}

/* --- imports ---------------------------------------------------------------------------- */

enum yj_err store_import_insert(struct store_tx *tx, struct store_import *imp, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO imports (format, source, started_at, finished_at, objects, imported, merged,"
        " flagged, problems, created_by) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, imp->format);
    store_bind_text(s, 2, imp->source);
    store_bind_i64(s, 3, imp->started_at);
    store_bind_i64(s, 4, imp->finished_at);
    store_bind_i64(s, 5, imp->objects);
    store_bind_i64(s, 6, (int64_t)imp->counts.imported);
    store_bind_i64(s, 7, (int64_t)imp->counts.merged);
    store_bind_i64(s, 8, (int64_t)imp->counts.flagged);
    store_bind_text(s, 9, imp->problems ? imp->problems : "[]");
    store_bind_opt_i64(s, 10, imp->created_by, 0);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "import", err);
    imp->id = sqlite3_column_int64(s, 0);
    return store_step_done(tx, s, "import", err);
}

/* --- warning lists ------------------------------------------------------------------------ */

#define WL_COLS                                                                                    \
    "id, version, name, type, description, list_version, entries, enabled, created_at,"            \
    " updated_at"

static void wl_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_warninglist *w = item;
    memset(w, 0, sizeof *w);
    w->id = sqlite3_column_int64(s, 0);
    w->version = sqlite3_column_int64(s, 1);
    w->name = store_col_text(s, 2, a);
    w->type = store_col_text(s, 3, a);
    w->description = store_col_text(s, 4, a);
    w->list_version = sqlite3_column_int64(s, 5);
    w->entries = sqlite3_column_int64(s, 6);
    w->enabled = sqlite3_column_int(s, 7) != 0;
    w->created_at = sqlite3_column_int64(s, 8);
    w->updated_at = sqlite3_column_int64(s, 9);
}

enum yj_err store_warninglist_put(struct store_tx *tx, struct store_warninglist *w,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO warninglists (version, name, type, description, list_version, entries, json,"
        " enabled, created_at, updated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
        " ON CONFLICT (name) DO UPDATE SET version = version + 1, type = excluded.type,"
        " description = excluded.description, list_version = excluded.list_version,"
        " entries = excluded.entries, json = excluded.json, updated_at = excluded.updated_at"
        " RETURNING id, version, enabled, created_at";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, w->name);
    store_bind_text(s, 2, w->type);
    store_bind_text(s, 3, w->description);
    store_bind_i64(s, 4, w->list_version);
    store_bind_i64(s, 5, w->entries);
    store_bind_text(s, 6, w->json);
    store_bind_i64(s, 7, w->enabled);
    store_bind_i64(s, 8, w->updated_at);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "warning list", err);
    w->id = sqlite3_column_int64(s, 0);
    w->version = sqlite3_column_int64(s, 1);
    w->enabled = sqlite3_column_int(s, 2) != 0;
    w->created_at = sqlite3_column_int64(s, 3);
    return store_step_done(tx, s, "warning list", err);
}

enum yj_err store_warninglist_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_warninglist *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " WL_COLS " FROM warninglists WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "warning list not found");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "warning list", err);
    wl_read(s, a, out);
    return store_step_done(tx, s, "warning list", err);
}

enum yj_err store_warninglist_list(struct store_tx *tx, struct yj_arena *a,
                                   struct store_warninglist **items, size_t *n,
                                   struct yj_error *err)
{
    static const char sql[] = "SELECT " WL_COLS " FROM warninglists ORDER BY name";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    return store_read_rows(tx, s, a, sizeof **items, wl_read, (void **)items, n, "warning lists",
                           err);
}

enum yj_err store_warninglist_set_enabled(struct store_tx *tx, struct store_warninglist *w,
                                          int64_t now, struct yj_error *err)
{
    static const char sql[] = "UPDATE warninglists SET version = version + 1, enabled = ?,"
                              " updated_at = ? WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, w->enabled);
    store_bind_i64(s, 2, now);
    store_bind_i64(s, 3, w->id);
    store_bind_i64(s, 4, w->version);
    enum yj_err rc = store_step_done(tx, s, "warning list", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "version", "the warning list was changed meanwhile");
    w->version++;
    w->updated_at = now;
    return YJ_OK;
}

enum yj_err store_warninglists_load(struct store_tx *tx, struct intel_warninglists **out,
                                    struct yj_error *err)
{
    static const char sql[] = "SELECT name, json FROM warninglists WHERE enabled = 1 ORDER BY name";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    struct intel_warninglists *w = intel_warninglists_new();
    if (!w)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    int rc = SQLITE_DONE;
    enum yj_err e = YJ_OK;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW)
        e = intel_warninglists_load_json(w, (const char *)sqlite3_column_text(s, 1),
                                         (size_t)sqlite3_column_bytes(s, 1),
                                         (const char *)sqlite3_column_text(s, 0), err);
    if (!e && rc != SQLITE_DONE)
        e = store_fail(tx, rc, "warning lists", err);
    if (!e)
        e = intel_warninglists_finish(w, err);
    if (e) {
        sqlite3_reset(s);
        intel_warninglists_free(w);
        return e;
    }
    *out = w;
    return YJ_OK;
}
