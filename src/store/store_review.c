/*
 * store_review.c - the review of applications: expert panels with their experts
 * and applications, conflict-of-interest declarations, score sheets, and
 * objections raised during the public notice.
 */
#include "store/store_int.h"

static void *array(struct yj_arena *a, size_t n, size_t size)
{
    void *p = yj_arena_calloc(a, n ? n : 1, size);
    if (!p) {
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    return p;
}

static enum yj_err exec_id(struct store_tx *tx, const char *sql, int64_t id, const char *what,
                           struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_step_done(tx, s, what, err);
}

enum yj_err store_panel_set_members(struct store_tx *tx, const struct store_panel *p,
                                    struct yj_error *err)
{
    static const char del_e[] = "DELETE FROM panel_experts WHERE panel_id = ?";
    static const char del_a[] = "DELETE FROM panel_applications WHERE panel_id = ?";
    static const char ins_e[] = "INSERT INTO panel_experts (panel_id, user_id) VALUES (?, ?)";
    static const char ins_a[] = "INSERT INTO panel_applications (panel_id, application_id)"
                                " VALUES (?, ?)";
    enum yj_err rc = exec_id(tx, del_e, p->id, "panel experts delete", err);
    if (!rc)
        rc = exec_id(tx, del_a, p->id, "panel applications delete", err);
    for (size_t i = 0; !rc && i < p->n_experts; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins_e, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, p->id);
        store_bind_i64(s, 2, p->experts[i]);
        rc = store_step_done(tx, s, "panel expert", err);
        if (rc == YJ_ECONFLICT)
            rc = yj_error_set(err, YJ_ECONFLICT, "experts", "an expert is listed twice");
    }
    for (size_t i = 0; !rc && i < p->n_applications; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins_a, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, p->id);
        store_bind_i64(s, 2, p->applications[i]);
        rc = store_step_done(tx, s, "panel application", err);
        if (rc == YJ_ECONFLICT)
            rc = yj_error_set(err, YJ_ECONFLICT, "applications",
                              "an application is already on a panel");
    }
    return rc;
}

enum yj_err store_panel_insert(struct store_tx *tx, struct store_panel *p, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO panels (campaign_id, name, status, created_at)"
                              " VALUES (?, ?, 'open', ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, p->campaign_id);
    store_bind_text(s, 2, p->name);
    store_bind_i64(s, 3, p->created_at);
    enum yj_err rc = store_step_done(tx, s, "panel insert", err);
    if (rc)
        return rc;
    p->id = sqlite3_last_insert_rowid(tx->c->db);
    p->status = "open";
    return store_panel_set_members(tx, p, err);
}

static enum yj_err members(struct store_tx *tx, struct yj_arena *a, struct store_panel *p,
                           struct yj_error *err)
{
    static const char cnt[] = "SELECT (SELECT COUNT(*) FROM panel_experts WHERE panel_id = ?1),"
                              " (SELECT COUNT(*) FROM panel_applications WHERE panel_id = ?1)";
    static const char sel_e[] = "SELECT user_id FROM panel_experts WHERE panel_id = ?"
                                " ORDER BY user_id";
    static const char sel_a[] = "SELECT application_id FROM panel_applications WHERE panel_id = ?"
                                " ORDER BY application_id";
    sqlite3_stmt *s = store_stmt(tx, cnt, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, p->id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "panel counts", err);
    size_t ne = (size_t)sqlite3_column_int64(s, 0), na = (size_t)sqlite3_column_int64(s, 1);
    p->experts = array(a, ne, sizeof *p->experts);
    p->applications = array(a, na, sizeof *p->applications);
    p->n_experts = p->n_applications = 0;
    s = store_stmt(tx, sel_e, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, p->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && p->n_experts < ne)
        p->experts[p->n_experts++] = sqlite3_column_int64(s, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "panel experts", err);
    s = store_stmt(tx, sel_a, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, p->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && p->n_applications < na)
        p->applications[p->n_applications++] = sqlite3_column_int64(s, 0);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "panel apps", err);
}

static void read_panel(sqlite3_stmt *s, struct yj_arena *a, struct store_panel *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(s, 0);
    p->campaign_id = sqlite3_column_int64(s, 1);
    p->name = store_col_text(s, 2, a);
    p->status = store_col_text(s, 3, a);
    p->created_at = sqlite3_column_int64(s, 4);
    p->closed_at = store_col_i64(s, 5, 0);
}

enum yj_err store_panel_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_panel *out, struct yj_error *err)
{
    static const char sql[] = "SELECT id, campaign_id, name, status, created_at, closed_at"
                              " FROM panels WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such panel");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "panel get", err);
    read_panel(s, a, out);
    sqlite3_reset(s);
    return members(tx, a, out, err);
}

enum yj_err store_panel_of_application(struct store_tx *tx, int64_t application_id,
                                       struct yj_arena *a, struct store_panel *out,
                                       struct yj_error *err)
{
    static const char sql[] = "SELECT panel_id FROM panel_applications WHERE application_id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "the application is on no panel");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "panel of application", err);
    int64_t id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return store_panel_get(tx, id, a, out, err);
}

enum yj_err store_panel_close(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err)
{
    static const char sql[] = "UPDATE panels SET status = 'closed', closed_at = ? WHERE id = ?"
                              " AND status = 'open'";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, id);
    enum yj_err rc = store_step_done(tx, s, "panel close", err);
    if (!rc && sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_ECONFLICT, "status", "the panel is already closed");
    return rc;
}

enum yj_err store_panel_list(struct store_tx *tx, int64_t campaign_id, int64_t expert_id,
                             struct yj_arena *a, struct store_panel **items, size_t *n,
                             struct yj_error *err)
{
    static const char cnt[] = "SELECT COUNT(*) FROM panels WHERE campaign_id = ?";
    static const char sql[] =
        "SELECT id, campaign_id, name, status, created_at, closed_at FROM panels p"
        " WHERE campaign_id = ? AND (? = 0 OR EXISTS (SELECT 1 FROM panel_experts e"
        "  WHERE e.panel_id = p.id AND e.user_id = ?)) ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, cnt, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "panel count", err);
    size_t total = (size_t)sqlite3_column_int64(s, 0);
    *items = array(a, total, sizeof **items);
    *n = 0;
    s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    store_bind_i64(s, 2, expert_id);
    store_bind_i64(s, 3, expert_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < total)
        read_panel(s, a, &(*items)[(*n)++]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "panel list", err);
    sqlite3_reset(s);
    for (size_t i = 0; i < *n; i++) {
        enum yj_err e = members(tx, a, &(*items)[i], err);
        if (e)
            return e;
    }
    return YJ_OK;
}

enum yj_err store_conflict_put(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                               bool conflicted, const char *statement, int64_t now,
                               struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO conflict_declarations (application_id, expert_id, conflicted, statement,"
        " declared_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (application_id, expert_id)"
        " DO UPDATE SET conflicted = excluded.conflicted, statement = excluded.statement,"
        " declared_at = excluded.declared_at";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    store_bind_i64(s, 2, expert_id);
    sqlite3_bind_int(s, 3, conflicted);
    store_bind_text(s, 4, statement);
    store_bind_i64(s, 5, now);
    return store_step_done(tx, s, "conflict put", err);
}

enum yj_err store_scores_put(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                             const struct store_score *scores, size_t n, int64_t now,
                             struct yj_error *err)
{
    static const char del[] = "DELETE FROM scores WHERE application_id = ? AND expert_id = ?";
    static const char ins[] = "INSERT INTO scores (application_id, expert_id, criterion, points,"
                              " comment, updated_at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, del, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    store_bind_i64(s, 2, expert_id);
    enum yj_err rc = store_step_done(tx, s, "scores delete", err);
    for (size_t i = 0; !rc && i < n; i++) {
        s = store_stmt(tx, ins, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, application_id);
        store_bind_i64(s, 2, expert_id);
        store_bind_i64(s, 3, scores[i].criterion);
        store_bind_i64(s, 4, scores[i].points);
        store_bind_text(s, 5, scores[i].comment);
        store_bind_i64(s, 6, now);
        rc = store_step_done(tx, s, "score insert", err);
        if (rc == YJ_ECONFLICT)
            rc = yj_error_set(err, YJ_EINVAL, "scores", "a criterion is scored twice");
    }
    return rc;
}

enum yj_err store_score_sheet_submit(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                                     int64_t now, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO score_sheets (application_id, expert_id, submitted_at)"
                              " VALUES (?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    store_bind_i64(s, 2, expert_id);
    store_bind_i64(s, 3, now);
    enum yj_err rc = store_step_done(tx, s, "sheet submit", err);
    if (rc == YJ_ECONFLICT)
        return yj_error_set(err, YJ_ECONFLICT, "submit", "the score sheet is already submitted");
    return rc;
}

enum yj_err store_score_sheets(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                               struct yj_arena *a, struct store_score_sheet **items, size_t *n,
                               struct yj_error *err)
{
    /* Every expert who scored or submitted, with their sheet's state. */
    static const char experts[] =
        "SELECT u.id, COALESCE(u.display_name, u.username),"
        " (SELECT submitted_at FROM score_sheets ss WHERE ss.application_id = ?1"
        "  AND ss.expert_id = u.id)"
        " FROM users u WHERE (?2 = 0 OR u.id = ?2) AND (EXISTS (SELECT 1 FROM scores s"
        "  WHERE s.application_id = ?1 AND s.expert_id = u.id) OR EXISTS (SELECT 1"
        "  FROM score_sheets ss WHERE ss.application_id = ?1 AND ss.expert_id = u.id))"
        " ORDER BY u.id";
    static const char points[] = "SELECT criterion, points, comment, updated_at FROM scores"
                                 " WHERE application_id = ? AND expert_id = ? ORDER BY criterion";
    sqlite3_stmt *s = store_stmt(tx, experts, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    store_bind_i64(s, 2, expert_id);
    size_t cap = 16;
    *items = array(a, cap, sizeof **items);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            struct store_score_sheet *bigger = array(a, cap * 2, sizeof *bigger);
            memcpy(bigger, *items, cap * sizeof *bigger);
            *items = bigger;
            cap *= 2;
        }
        struct store_score_sheet *sh = &(*items)[(*n)++];
        memset(sh, 0, sizeof *sh);
        sh->expert_id = sqlite3_column_int64(s, 0);
        sh->expert_name = store_col_text(s, 1, a);
        sh->submitted_at = store_col_i64(s, 2, 0);
    }
    if (rc != SQLITE_DONE)
        return store_fail(tx, rc, "sheets", err);
    for (size_t i = 0; i < *n; i++) {
        struct store_score_sheet *sh = &(*items)[i];
        sh->scores = array(a, SEL_CRITERIA_MAX, sizeof *sh->scores);
        s = store_stmt(tx, points, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, application_id);
        store_bind_i64(s, 2, sh->expert_id);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && sh->n_scores < SEL_CRITERIA_MAX) {
            struct store_score *sc = &sh->scores[sh->n_scores++];
            sc->expert_id = sh->expert_id;
            sc->criterion = sqlite3_column_int64(s, 0);
            sc->points = sqlite3_column_int64(s, 1);
            sc->comment = store_col_text(s, 2, a);
            sc->updated_at = sqlite3_column_int64(s, 3);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return store_fail(tx, rc, "scores", err);
        sqlite3_reset(s);
    }
    return YJ_OK;
}

enum yj_err store_panel_pending_sheets(struct store_tx *tx, int64_t panel_id, int64_t *pending,
                                       struct yj_error *err)
{
    /* Pairs (application, expert) on the panel without a conflict and without a
     * submitted sheet. */
    static const char sql[] =
        "SELECT COUNT(*) FROM panel_applications pa JOIN panel_experts pe"
        " ON pe.panel_id = pa.panel_id WHERE pa.panel_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM conflict_declarations d WHERE d.application_id ="
        "  pa.application_id AND d.expert_id = pe.user_id AND d.conflicted = 1)"
        " AND NOT EXISTS (SELECT 1 FROM score_sheets ss WHERE ss.application_id ="
        "  pa.application_id AND ss.expert_id = pe.user_id)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, panel_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "pending sheets", err);
    *pending = sqlite3_column_int64(s, 0);
    return YJ_OK;
}

/* --- objections -------------------------------------------------------------------- */

#define OBJECTION_COLS                                                                             \
    "id, campaign_id, application_id, received_at, complainant, content, status, findings,"        \
    " decided_at, decided_by, created_by"

static void read_objection(sqlite3_stmt *s, struct yj_arena *a, struct store_objection *o)
{
    o->id = sqlite3_column_int64(s, 0);
    o->campaign_id = sqlite3_column_int64(s, 1);
    o->application_id = sqlite3_column_int64(s, 2);
    o->received_at = sqlite3_column_int64(s, 3);
    o->complainant = store_col_text(s, 4, a);
    o->content = store_col_text(s, 5, a);
    o->status = store_col_text(s, 6, a);
    o->findings = store_col_text(s, 7, a);
    o->decided_at = store_col_i64(s, 8, 0);
    o->decided_by = store_col_i64(s, 9, 0);
    o->created_by = sqlite3_column_int64(s, 10);
}

enum yj_err store_objection_insert(struct store_tx *tx, struct store_objection *o,
                                   struct yj_error *err)
{
    static const char sql[] = "INSERT INTO objections (campaign_id, application_id, received_at,"
                              " complainant, content, status, created_by)"
                              " VALUES (?, ?, ?, ?, ?, 'received', ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, o->campaign_id);
    store_bind_i64(s, 2, o->application_id);
    store_bind_i64(s, 3, o->received_at);
    store_bind_text(s, 4, o->complainant);
    store_bind_text(s, 5, o->content);
    store_bind_i64(s, 6, o->created_by);
    enum yj_err rc = store_step_done(tx, s, "objection insert", err);
    if (!rc) {
        o->id = sqlite3_last_insert_rowid(tx->c->db);
        o->status = "received";
    }
    return rc;
}

enum yj_err store_objection_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                struct store_objection *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " OBJECTION_COLS " FROM objections WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such objection");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "objection get", err);
    read_objection(s, a, out);
    return YJ_OK;
}

enum yj_err store_objection_update(struct store_tx *tx, const struct store_objection *o,
                                   struct yj_error *err)
{
    static const char sql[] = "UPDATE objections SET status = ?, findings = ?, decided_at = ?,"
                              " decided_by = ? WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, o->status);
    store_bind_text(s, 2, o->findings);
    store_bind_opt_i64(s, 3, o->decided_at, 0);
    store_bind_opt_i64(s, 4, o->decided_by, 0);
    store_bind_i64(s, 5, o->id);
    return store_step_done(tx, s, "objection update", err);
}

enum yj_err store_objection_list(struct store_tx *tx, int64_t campaign_id, struct yj_arena *a,
                                 struct store_objection **items, size_t *n, struct yj_error *err)
{
    static const char cnt[] = "SELECT COUNT(*) FROM objections WHERE campaign_id = ?";
    static const char sql[] = "SELECT " OBJECTION_COLS " FROM objections WHERE campaign_id = ?"
                              " ORDER BY id";
    sqlite3_stmt *s = store_stmt(tx, cnt, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "objection count", err);
    size_t total = (size_t)sqlite3_column_int64(s, 0);
    *items = array(a, total, sizeof **items);
    *n = 0;
    s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < total)
        read_objection(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "objections", err);
}
