/*
 * store_selection.c - campaigns, applications and their review.
 */
#include "store/store_int.h"

enum yj_err store_application_facts(struct store_tx *tx, int64_t application_id, int64_t user_id,
                                    struct yj_arena *a, struct store_application_facts *out,
                                    struct yj_error *err)
{
    /* One statement: the application, its campaign, and the caller's panel
     * membership, conflict declaration and panel state for it. */
    static const char sql[] =
        "SELECT a.id, a.campaign_id, a.unit_id, a.status, c.stage, c.deadline_at,"
        " EXISTS (SELECT 1 FROM panel_applications pa JOIN panel_experts pe"
        "   ON pe.panel_id = pa.panel_id WHERE pa.application_id = a.id AND pe.user_id = ?2),"
        " EXISTS (SELECT 1 FROM conflict_declarations d WHERE d.application_id = a.id"
        "   AND d.expert_id = ?2 AND d.conflicted = 1),"
        " EXISTS (SELECT 1 FROM panel_applications pa JOIN panels p ON p.id = pa.panel_id"
        "   WHERE pa.application_id = a.id AND p.status = 'closed')"
        " FROM applications a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = ?1";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    store_bind_i64(s, 2, user_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such application");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "application facts", err);
    out->application_id = sqlite3_column_int64(s, 0);
    out->campaign_id = sqlite3_column_int64(s, 1);
    out->unit_id = sqlite3_column_int64(s, 2);
    out->status = store_col_text(s, 3, a);
    out->campaign_stage = store_col_text(s, 4, a);
    out->deadline_at = sqlite3_column_int64(s, 5);
    out->assigned = sqlite3_column_int(s, 6) != 0;
    out->conflicted = sqlite3_column_int(s, 7) != 0;
    out->panel_closed = sqlite3_column_int(s, 8) != 0;
    return YJ_OK;
}

/* --- applications -------------------------------------------------------------- */

#define APP_COLS                                                                                   \
    "a.id, a.campaign_id, a.unit_id, a.version, a.status, a.current_version,"                      \
    " a.submitted_version, a.submitted_at, a.eligibility, a.eligibility_override,"                 \
    " a.override_reason, a.override_by, a.override_at, a.direct_entry, a.security_result,"         \
    " a.security_notes, a.security_by, a.security_at, a.score_centi, a.rank, a.outcome,"           \
    " a.outcome_reason, a.paper_received_at, a.paper_matches, a.paper_note, a.paper_by,"           \
    " a.created_at, a.updated_at, u.name, u.credit_code"

static void read_application(sqlite3_stmt *s, struct yj_arena *a, struct store_application *o)
{
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(s, 0);
    o->campaign_id = sqlite3_column_int64(s, 1);
    o->unit_id = sqlite3_column_int64(s, 2);
    o->version = sqlite3_column_int64(s, 3);
    o->status = store_col_text(s, 4, a);
    o->current_version = sqlite3_column_int64(s, 5);
    o->submitted_version = store_col_i64(s, 6, 0);
    o->submitted_at = store_col_i64(s, 7, 0);
    o->eligibility = store_col_text(s, 8, a);
    o->eligibility_override = store_col_text(s, 9, a);
    o->override_reason = store_col_text(s, 10, a);
    o->override_by = store_col_i64(s, 11, 0);
    o->override_at = store_col_i64(s, 12, 0);
    o->direct_entry = sqlite3_column_int(s, 13) != 0;
    o->security_result = store_col_text(s, 14, a);
    o->security_notes = store_col_text(s, 15, a);
    o->security_by = store_col_i64(s, 16, 0);
    o->security_at = store_col_i64(s, 17, 0);
    o->score_centi = store_col_i64(s, 18, -1);
    o->rank = store_col_i64(s, 19, 0);
    o->outcome = store_col_text(s, 20, a);
    o->outcome_reason = store_col_text(s, 21, a);
    o->paper_received_at = store_col_i64(s, 22, 0);
    o->paper_matches = (int)store_col_i64(s, 23, -1);
    o->paper_note = store_col_text(s, 24, a);
    o->paper_by = store_col_i64(s, 25, 0);
    o->created_at = sqlite3_column_int64(s, 26);
    o->updated_at = sqlite3_column_int64(s, 27);
    o->unit_name = store_col_text(s, 28, a);
    o->credit_code = store_col_text(s, 29, a);
}

enum yj_err store_application_insert(struct store_tx *tx, struct store_application *ap,
                                     const char *content, int64_t now, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO applications (campaign_id, unit_id, version, status,"
                              " current_version, created_at, updated_at)"
                              " VALUES (?, ?, 1, 'draft', 1, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, ap->campaign_id);
    store_bind_i64(s, 2, ap->unit_id);
    store_bind_i64(s, 3, now);
    store_bind_i64(s, 4, now);
    enum yj_err rc = store_step_done(tx, s, "application insert", err);
    if (rc == YJ_ECONFLICT)
        return yj_error_set(err, YJ_ECONFLICT, "campaign_id",
                            "this unit has already applied in this campaign");
    if (rc)
        return rc;
    ap->id = sqlite3_last_insert_rowid(tx->c->db);
    ap->version = 1;
    ap->status = "draft";
    ap->current_version = 1;
    ap->created_at = ap->updated_at = now;
    struct store_application_version v = {.application_id = ap->id,
                                          .version_no = 1,
                                          .content = content,
                                          .created_at = now,
                                          .updated_at = now};
    return store_application_version_put(tx, &v, err);
}

enum yj_err store_application_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_application *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " APP_COLS " FROM applications a JOIN units u"
                              " ON u.id = a.unit_id WHERE a.id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such application");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "application get", err);
    read_application(s, a, out);
    return YJ_OK;
}

enum yj_err store_application_update(struct store_tx *tx, struct store_application *ap,
                                     int64_t expected_version, int64_t now, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE applications SET status = ?, current_version = ?, submitted_version = ?,"
        " submitted_at = ?, eligibility = ?, eligibility_override = ?, override_reason = ?,"
        " override_by = ?, override_at = ?, direct_entry = ?, security_result = ?,"
        " security_notes = ?, security_by = ?, security_at = ?, score_centi = ?, rank = ?,"
        " outcome = ?, outcome_reason = ?, paper_received_at = ?, paper_matches = ?,"
        " paper_note = ?, paper_by = ?, version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, ap->status);
    store_bind_i64(s, 2, ap->current_version);
    store_bind_opt_i64(s, 3, ap->submitted_version, 0);
    store_bind_opt_i64(s, 4, ap->submitted_at, 0);
    store_bind_text(s, 5, ap->eligibility);
    store_bind_text(s, 6, ap->eligibility_override);
    store_bind_text(s, 7, ap->override_reason);
    store_bind_opt_i64(s, 8, ap->override_by, 0);
    store_bind_opt_i64(s, 9, ap->override_at, 0);
    sqlite3_bind_int(s, 10, ap->direct_entry);
    store_bind_text(s, 11, ap->security_result);
    store_bind_text(s, 12, ap->security_notes);
    store_bind_opt_i64(s, 13, ap->security_by, 0);
    store_bind_opt_i64(s, 14, ap->security_at, 0);
    store_bind_opt_i64(s, 15, ap->score_centi, -1);
    store_bind_opt_i64(s, 16, ap->rank, 0);
    store_bind_text(s, 17, ap->outcome);
    store_bind_text(s, 18, ap->outcome_reason);
    store_bind_opt_i64(s, 19, ap->paper_received_at, 0);
    store_bind_opt_i64(s, 20, ap->paper_matches, -1);
    store_bind_text(s, 21, ap->paper_note);
    store_bind_opt_i64(s, 22, ap->paper_by, 0);
    store_bind_i64(s, 23, now);
    store_bind_i64(s, 24, ap->id);
    store_bind_i64(s, 25, expected_version);
    enum yj_err rc = store_step_done(tx, s, "application update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match",
                            "the application was changed meanwhile; reload and retry");
    ap->version = expected_version + 1;
    ap->updated_at = now;
    return YJ_OK;
}

enum yj_err store_application_list(struct store_tx *tx, const struct store_application_query *q,
                                   struct yj_arena *a, struct store_application **items, size_t *n,
                                   struct yj_error *err)
{
    static const char sql[] =
        "SELECT " APP_COLS " FROM applications a JOIN units u ON u.id = a.unit_id"
        " WHERE a.campaign_id = ? AND a.id > ?"
        " AND (? = 0 OR a.unit_id = ?)"
        " AND (? = 0 OR (EXISTS (SELECT 1 FROM panel_applications pa JOIN panel_experts pe"
        "   ON pe.panel_id = pa.panel_id WHERE pa.application_id = a.id AND pe.user_id = ?)"
        "  AND NOT EXISTS (SELECT 1 FROM conflict_declarations d WHERE d.application_id = a.id"
        "   AND d.expert_id = ? AND d.conflicted = 1)))"
        " AND (? IS NULL OR a.status = ?)"
        " AND (? IS NULL OR a.outcome = ?)"
        " AND (? = 0 OR a.submitted_version IS NOT NULL)"
        " ORDER BY a.id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = q->limit > 0 ? q->limit : 1;
    *items = yj_arena_calloc(a, (size_t)limit, sizeof **items);
    if (!*items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    *n = 0;
    store_bind_i64(s, 1, q->campaign_id);
    store_bind_i64(s, 2, q->after_id);
    store_bind_i64(s, 3, q->unit_id);
    store_bind_i64(s, 4, q->unit_id);
    store_bind_i64(s, 5, q->expert_id);
    store_bind_i64(s, 6, q->expert_id);
    store_bind_i64(s, 7, q->expert_id);
    store_bind_text(s, 8, q->status);
    store_bind_text(s, 9, q->status);
    store_bind_text(s, 10, q->outcome);
    store_bind_text(s, 11, q->outcome);
    sqlite3_bind_int(s, 12, q->submitted_only);
    sqlite3_bind_int(s, 13, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
        read_application(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK
                                                 : store_fail(tx, rc, "application list", err);
}

static void read_version(sqlite3_stmt *s, struct yj_arena *a, bool with_content,
                         struct store_application_version *v)
{
    memset(v, 0, sizeof *v);
    v->application_id = sqlite3_column_int64(s, 0);
    v->version_no = sqlite3_column_int64(s, 1);
    v->content = with_content ? store_col_text(s, 2, a) : NULL;
    v->sha256 = store_col_text(s, 3, a);
    v->created_at = sqlite3_column_int64(s, 4);
    v->updated_at = sqlite3_column_int64(s, 5);
    v->submitted_at = store_col_i64(s, 6, 0);
    v->submitted_by = store_col_i64(s, 7, 0);
    v->returned_at = store_col_i64(s, 8, 0);
    v->return_reason = store_col_text(s, 9, a);
    v->returned_by = store_col_i64(s, 10, 0);
}

#define VERSION_COLS                                                                               \
    "application_id, version_no, content, sha256, created_at, updated_at, submitted_at,"           \
    " submitted_by, returned_at, return_reason, returned_by"

enum yj_err store_application_version_get(struct store_tx *tx, int64_t application_id,
                                          int64_t version_no, struct yj_arena *a,
                                          struct store_application_version *out,
                                          struct yj_error *err)
{
    static const char sql[] = "SELECT " VERSION_COLS " FROM application_versions"
                              " WHERE application_id = ? AND version_no = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    store_bind_i64(s, 2, version_no);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such version");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "version get", err);
    read_version(s, a, true, out);
    return YJ_OK;
}

enum yj_err store_application_versions(struct store_tx *tx, int64_t application_id,
                                       struct yj_arena *a, struct store_application_version **items,
                                       size_t *n, struct yj_error *err)
{
    static const char cnt[] = "SELECT COUNT(*) FROM application_versions WHERE application_id = ?";
    static const char sql[] = "SELECT " VERSION_COLS " FROM application_versions"
                              " WHERE application_id = ? ORDER BY version_no DESC";
    sqlite3_stmt *s = store_stmt(tx, cnt, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "version count", err);
    size_t total = (size_t)sqlite3_column_int64(s, 0);
    *items = yj_arena_calloc(a, total ? total : 1, sizeof **items);
    if (!*items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    *n = 0;
    s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < total)
        read_version(s, a, false, &(*items)[(*n)++]);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "versions", err);
}

enum yj_err store_application_version_put(struct store_tx *tx,
                                          const struct store_application_version *v,
                                          struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO application_versions (" VERSION_COLS ")"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (application_id, version_no) DO UPDATE SET content = excluded.content,"
        " sha256 = excluded.sha256, updated_at = excluded.updated_at,"
        " submitted_at = excluded.submitted_at, submitted_by = excluded.submitted_by,"
        " returned_at = excluded.returned_at, return_reason = excluded.return_reason,"
        " returned_by = excluded.returned_by";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, v->application_id);
    store_bind_i64(s, 2, v->version_no);
    store_bind_text(s, 3, v->content);
    store_bind_text(s, 4, v->sha256);
    store_bind_i64(s, 5, v->created_at);
    store_bind_i64(s, 6, v->updated_at);
    store_bind_opt_i64(s, 7, v->submitted_at, 0);
    store_bind_opt_i64(s, 8, v->submitted_by, 0);
    store_bind_opt_i64(s, 9, v->returned_at, 0);
    store_bind_text(s, 10, v->return_reason);
    store_bind_opt_i64(s, 11, v->returned_by, 0);
    return store_step_done(tx, s, "version put", err);
}

enum yj_err store_application_attachment_counts(struct store_tx *tx, int64_t application_id,
                                                struct sel_attachment_counts *out,
                                                struct yj_error *err)
{
    static const char sql[] = "SELECT kind, COUNT(*) FROM attachments WHERE application_id = ?"
                              " AND deleted_at IS NULL GROUP BY kind";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    memset(out, 0, sizeof *out);
    store_bind_i64(s, 1, application_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(s, 0);
        int64_t n = sqlite3_column_int64(s, 1);
        if (!kind)
            continue;
        if (strcmp(kind, "commitment_letter") == 0)
            out->commitment_letter = n;
        else if (strcmp(kind, "response_commitment") == 0)
            out->response_commitment = n;
        else if (strcmp(kind, "legal_documents") == 0)
            out->legal_documents = n;
        else if (strcmp(kind, "audit_report") == 0)
            out->audit_report = n;
        else if (strcmp(kind, "risk_assessment_report") == 0)
            out->risk_assessment_report = n;
    }
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "attachment counts", err);
}

enum yj_err store_eligibility_put(struct store_tx *tx, int64_t application_id,
                                  const struct sel_eligibility *e, int64_t now,
                                  struct yj_error *err)
{
    static const char del[] = "DELETE FROM eligibility_results WHERE application_id = ?";
    static const char ins[] = "INSERT INTO eligibility_results (application_id, position, code,"
                              " passed, reason, evidence, checked_at) VALUES (?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(tx, del, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, application_id);
    enum yj_err rc = store_step_done(tx, s, "eligibility delete", err);
    for (size_t i = 0; !rc && i < e->n_checks; i++) {
        const struct sel_check *c = &e->checks[i];
        s = store_stmt(tx, ins, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, application_id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, c->code);
        sqlite3_bind_int(s, 4, c->passed);
        store_bind_text(s, 5, c->reason);
        store_bind_text(s, 6, c->evidence);
        store_bind_i64(s, 7, now);
        rc = store_step_done(tx, s, "eligibility insert", err);
    }
    return rc;
}

enum yj_err store_eligibility_get(struct store_tx *tx, int64_t application_id, struct yj_arena *a,
                                  struct store_eligibility_row **items, size_t *n,
                                  struct yj_error *err)
{
    static const char sql[] = "SELECT code, passed, reason, evidence, checked_at"
                              " FROM eligibility_results WHERE application_id = ?"
                              " ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    *items = yj_arena_calloc(a, SEL_CHECKS_MAX, sizeof **items);
    if (!*items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    *n = 0;
    store_bind_i64(s, 1, application_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < SEL_CHECKS_MAX) {
        struct store_eligibility_row *r = &(*items)[(*n)++];
        r->code = store_col_text(s, 0, a);
        r->passed = sqlite3_column_int(s, 1) != 0;
        r->reason = store_col_text(s, 2, a);
        r->evidence = store_col_text(s, 3, a);
        r->checked_at = sqlite3_column_int64(s, 4);
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK
                                                 : store_fail(tx, rc, "eligibility get", err);
}
