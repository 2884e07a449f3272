/*
 * store_campaigns.c - selection campaigns (with their issuing authorities and
 * rubric) and the units' history that carry-over rules read: grades and bans.
 */
#include "store/store_int.h"

#define CAMPAIGN_COLS                                                                              \
    "id, version, name, term_no, province, city, title, opens_at, deadline_at,"                    \
    " validity_years, places, cert_number_pattern, stage, min_registered_capital,"                 \
    " min_years_in_field, min_certified_staff, require_office_in_province,"                        \
    " min_capability_fields, require_declarations, notice_starts_at, notice_ends_at,"              \
    " published_at, valid_from, valid_to, closed_at, created_at, updated_at"

static void *array(struct yj_arena *a, size_t n, size_t size)
{
    void *p = yj_arena_calloc(a, n ? n : 1, size);
    if (!p) {
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    return p;
}

/* Binds parameters 1..24: every stored field but id, version and the timestamps. */
static void bind_campaign(sqlite3_stmt *s, const struct sel_campaign *c)
{
    const struct sel_thresholds *t = &c->thresholds;
    store_bind_text(s, 1, c->name);
    store_bind_opt_i64(s, 2, c->term_no, 0);
    store_bind_text(s, 3, c->province);
    store_bind_text(s, 4, c->city);
    store_bind_text(s, 5, c->title);
    store_bind_opt_i64(s, 6, c->opens_at, 0);
    store_bind_i64(s, 7, c->deadline_at);
    store_bind_i64(s, 8, c->validity_years);
    store_bind_i64(s, 9, c->places);
    store_bind_text(s, 10, c->cert_number_pattern);
    store_bind_text(s, 11, sel_stage_code(c->stage));
    store_bind_i64(s, 12, t->min_registered_capital);
    store_bind_i64(s, 13, t->min_years_in_field);
    store_bind_i64(s, 14, t->min_certified_staff);
    sqlite3_bind_int(s, 15, t->require_office_in_province);
    store_bind_i64(s, 16, t->min_capability_fields);
    sqlite3_bind_int(s, 17, t->require_declarations);
    store_bind_opt_i64(s, 18, c->notice_starts_at, 0);
    store_bind_opt_i64(s, 19, c->notice_ends_at, 0);
    store_bind_opt_i64(s, 20, c->published_at, 0);
    store_bind_text(s, 21, c->valid_from);
    store_bind_text(s, 22, c->valid_to);
    store_bind_opt_i64(s, 23, c->closed_at, 0);
}

static void read_campaign(sqlite3_stmt *s, struct yj_arena *a, struct sel_campaign *c)
{
    memset(c, 0, sizeof *c);
    struct sel_thresholds *t = &c->thresholds;
    c->id = sqlite3_column_int64(s, 0);
    c->version = sqlite3_column_int64(s, 1);
    c->name = store_col_text(s, 2, a);
    c->term_no = store_col_i64(s, 3, 0);
    c->province = store_col_text(s, 4, a);
    c->city = store_col_text(s, 5, a);
    c->title = store_col_text(s, 6, a);
    c->opens_at = store_col_i64(s, 7, 0);
    c->deadline_at = sqlite3_column_int64(s, 8);
    c->validity_years = sqlite3_column_int64(s, 9);
    c->places = sqlite3_column_int64(s, 10);
    c->cert_number_pattern = store_col_text(s, 11, a);
    sel_stage_parse((const char *)sqlite3_column_text(s, 12), &c->stage);
    t->min_registered_capital = sqlite3_column_int64(s, 13);
    t->min_years_in_field = sqlite3_column_int64(s, 14);
    t->min_certified_staff = sqlite3_column_int64(s, 15);
    t->require_office_in_province = sqlite3_column_int(s, 16) != 0;
    t->min_capability_fields = sqlite3_column_int64(s, 17);
    t->require_declarations = sqlite3_column_int(s, 18) != 0;
    c->notice_starts_at = store_col_i64(s, 19, 0);
    c->notice_ends_at = store_col_i64(s, 20, 0);
    c->published_at = store_col_i64(s, 21, 0);
    c->valid_from = store_col_text(s, 22, a);
    c->valid_to = store_col_text(s, 23, a);
    c->closed_at = store_col_i64(s, 24, 0);
    c->created_at = sqlite3_column_int64(s, 25);
    c->updated_at = sqlite3_column_int64(s, 26);
}

static enum yj_err children_put(struct store_tx *tx, const struct sel_campaign *c,
                                struct yj_error *err)
{
    static const char del_a[] = "DELETE FROM campaign_authorities WHERE campaign_id = ?";
    static const char del_c[] = "DELETE FROM campaign_criteria WHERE campaign_id = ?";
    static const char ins_a[] = "INSERT INTO campaign_authorities (campaign_id, position, name)"
                                " VALUES (?, ?, ?)";
    static const char ins_c[] = "INSERT INTO campaign_criteria (campaign_id, position, code,"
                                " name, max_points) VALUES (?, ?, ?, ?, ?)";
    const char *dels[] = {del_a, del_c};
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *s = store_stmt(tx, dels[i], err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, c->id);
        enum yj_err rc = store_step_done(tx, s, "campaign children delete", err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < c->n_authorities; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins_a, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, c->id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, c->authorities[i]);
        enum yj_err rc = store_step_done(tx, s, "campaign authority", err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < c->n_criteria; i++) {
        sqlite3_stmt *s = store_stmt(tx, ins_c, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, c->id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, c->criteria[i].code);
        store_bind_text(s, 4, c->criteria[i].name);
        store_bind_i64(s, 5, c->criteria[i].max_points);
        enum yj_err rc = store_step_done(tx, s, "campaign criterion", err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err children_get(struct store_tx *tx, struct yj_arena *a, struct sel_campaign *c,
                                struct yj_error *err)
{
    static const char cnt[] = "SELECT (SELECT COUNT(*) FROM campaign_authorities WHERE"
                              " campaign_id = ?1), (SELECT COUNT(*) FROM campaign_criteria"
                              " WHERE campaign_id = ?1)";
    static const char sel_a[] = "SELECT name FROM campaign_authorities WHERE campaign_id = ?"
                                " ORDER BY position";
    static const char sel_c[] = "SELECT code, name, max_points FROM campaign_criteria"
                                " WHERE campaign_id = ? ORDER BY position";
    sqlite3_stmt *s = store_stmt(tx, cnt, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, c->id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "campaign counts", err);
    size_t na = (size_t)sqlite3_column_int64(s, 0), nc = (size_t)sqlite3_column_int64(s, 1);
    c->authorities = array(a, na, sizeof *c->authorities);
    c->criteria = array(a, nc, sizeof *c->criteria);
    c->n_authorities = c->n_criteria = 0;
    s = store_stmt(tx, sel_a, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, c->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && c->n_authorities < na)
        c->authorities[c->n_authorities++] = store_col_text(s, 0, a);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "campaign authorities", err);
    s = store_stmt(tx, sel_c, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, c->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && c->n_criteria < nc) {
        struct sel_criterion *k = &c->criteria[c->n_criteria++];
        k->code = store_col_text(s, 0, a);
        k->name = store_col_text(s, 1, a);
        k->max_points = sqlite3_column_int64(s, 2);
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "criteria", err);
}

enum yj_err store_campaign_insert(struct store_tx *tx, struct sel_campaign *c, int64_t now,
                                  struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO campaigns (name, term_no, province, city, title, opens_at, deadline_at,"
        " validity_years, places, cert_number_pattern, stage, min_registered_capital,"
        " min_years_in_field, min_certified_staff, require_office_in_province,"
        " min_capability_fields, require_declarations, notice_starts_at, notice_ends_at,"
        " published_at, valid_from, valid_to, closed_at, version, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    bind_campaign(s, c);
    store_bind_i64(s, 24, now);
    store_bind_i64(s, 25, now);
    enum yj_err rc = store_step_done(tx, s, "campaign insert", err);
    if (rc)
        return rc;
    c->id = sqlite3_last_insert_rowid(tx->c->db);
    c->version = 1;
    c->created_at = c->updated_at = now;
    return children_put(tx, c, err);
}

enum yj_err store_campaign_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct sel_campaign *out, struct yj_error *err)
{
    static const char sql[] = "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such campaign");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "campaign get", err);
    read_campaign(s, a, out);
    sqlite3_reset(s);
    return children_get(tx, a, out, err);
}

enum yj_err store_campaign_update(struct store_tx *tx, struct sel_campaign *c,
                                  int64_t expected_version, int64_t now, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE campaigns SET name = ?, term_no = ?, province = ?, city = ?, title = ?,"
        " opens_at = ?, deadline_at = ?, validity_years = ?, places = ?,"
        " cert_number_pattern = ?, stage = ?, min_registered_capital = ?,"
        " min_years_in_field = ?, min_certified_staff = ?, require_office_in_province = ?,"
        " min_capability_fields = ?, require_declarations = ?, notice_starts_at = ?,"
        " notice_ends_at = ?, published_at = ?, valid_from = ?, valid_to = ?, closed_at = ?,"
        " version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    bind_campaign(s, c);
    store_bind_i64(s, 24, now);
    store_bind_i64(s, 25, c->id);
    store_bind_i64(s, 26, expected_version);
    enum yj_err rc = store_step_done(tx, s, "campaign update", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match",
                            "the campaign was changed by someone else; reload and retry");
    c->version = expected_version + 1;
    c->updated_at = now;
    return children_put(tx, c, err);
}

enum yj_err store_campaign_list(struct store_tx *tx, bool include_drafts, int64_t after_id,
                                int limit, struct yj_arena *a, struct sel_campaign **items,
                                size_t *n, struct yj_error *err)
{
    static const char sql[] = "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id > ?"
                              " AND (? = 1 OR stage <> 'draft') ORDER BY id LIMIT ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    limit = limit > 0 ? limit : 1;
    *items = array(a, (size_t)limit, sizeof **items);
    *n = 0;
    store_bind_i64(s, 1, after_id);
    sqlite3_bind_int(s, 2, include_drafts);
    sqlite3_bind_int(s, 3, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
        read_campaign(s, a, &(*items)[(*n)++]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "campaign list", err);
    sqlite3_reset(s);
    for (size_t i = 0; i < *n; i++) {
        enum yj_err e = children_get(tx, a, &(*items)[i], err);
        if (e)
            return e;
    }
    return YJ_OK;
}

enum yj_err store_campaign_stage_facts(struct store_tx *tx, int64_t campaign_id,
                                       struct sel_stage_facts *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT (SELECT COUNT(*) FROM objections WHERE campaign_id = ?1"
        "  AND status IN ('received', 'investigating')),"
        " (SELECT COUNT(*) FROM applications WHERE campaign_id = ?1"
        "  AND submitted_version IS NOT NULL AND status = 'submitted' AND outcome = 'pending')";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "stage facts", err);
    out->undecided_objections = sqlite3_column_int64(s, 0);
    out->undecided_applications = sqlite3_column_int64(s, 1);
    return YJ_OK;
}

enum yj_err store_campaign_pipeline(struct store_tx *tx, int64_t campaign_id,
                                    struct store_pipeline *out, struct yj_error *err)
{
    /* One pass over the campaign's applications; "sub" is a submitted one. */
    static const char apps[] =
        "SELECT COUNT(*), TOTAL(status = 'draft'), TOTAL(status = 'submitted'),"
        " TOTAL(status = 'returned'), TOTAL(status = 'withdrawn'),"
        " TOTAL(sub AND eff = 'pending'), TOTAL(sub AND eff = 'eligible'),"
        " TOTAL(sub AND eff = 'ineligible'), TOTAL(sub AND eff = 'eligible' AND direct_entry),"
        " TOTAL(sub AND security_result = 'pending'), TOTAL(sub AND security_result = 'pass'),"
        " TOTAL(sub AND security_result = 'fail'), TOTAL(sub AND on_panel),"
        " TOTAL(sub AND score_centi IS NOT NULL), TOTAL(paper_received_at IS NOT NULL),"
        " TOTAL(paper_received_at IS NOT NULL AND paper_matches = 0),"
        " TOTAL(outcome = 'pending'), TOTAL(outcome = 'proposed'), TOTAL(outcome = 'selected'),"
        " TOTAL(outcome = 'not_selected'), TOTAL(outcome = 'cancelled')"
        " FROM (SELECT a.*, a.status = 'submitted' AS sub,"
        "  COALESCE(a.eligibility_override, a.eligibility) AS eff,"
        "  EXISTS (SELECT 1 FROM panel_applications pa WHERE pa.application_id = a.id)"
        "  AS on_panel FROM applications a WHERE a.campaign_id = ?)";
    static const char rest[] =
        "SELECT (SELECT COUNT(*) FROM objections WHERE campaign_id = ?1"
        "  AND status IN ('received', 'investigating')),"
        " (SELECT COUNT(*) FROM objections WHERE campaign_id = ?1 AND status = 'upheld'),"
        " (SELECT COUNT(*) FROM objections WHERE campaign_id = ?1 AND status = 'rejected'),"
        " (SELECT COUNT(*) FROM panels WHERE campaign_id = ?1 AND status = 'open'),"
        " (SELECT COUNT(*) FROM panels WHERE campaign_id = ?1 AND status = 'closed')";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = store_stmt(tx, apps, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "pipeline", err);
    int64_t *a[] = {&out->total,           &out->draft,
                    &out->submitted,       &out->returned,
                    &out->withdrawn,       &out->eligibility_pending,
                    &out->eligible,        &out->ineligible,
                    &out->direct_entry,    &out->security_pending,
                    &out->security_pass,   &out->security_fail,
                    &out->on_panel,        &out->scored,
                    &out->paper_received,  &out->paper_mismatched,
                    &out->outcome_pending, &out->proposed,
                    &out->selected,        &out->not_selected,
                    &out->cancelled};
    for (int i = 0; i < (int)YJ_ARRAY_LEN(a); i++)
        *a[i] = sqlite3_column_int64(s, i);
    s = store_stmt(tx, rest, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, campaign_id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "pipeline", err);
    int64_t *b[] = {&out->objections_open, &out->objections_upheld, &out->objections_rejected,
                    &out->panels_open, &out->panels_closed};
    for (int i = 0; i < (int)YJ_ARRAY_LEN(b); i++)
        *b[i] = sqlite3_column_int64(s, i);
    return YJ_OK;
}

/* --- grades and bans -------------------------------------------------------------- */

enum yj_err store_grade_insert(struct store_tx *tx, struct store_grade *g, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO unit_grades (unit_id, period, grade, graded_on, note,"
                              " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, g->unit_id);
    store_bind_text(s, 2, g->g.period);
    store_bind_text(s, 3, sel_grade_code(g->g.grade));
    store_bind_text(s, 4, g->g.graded_on);
    store_bind_text(s, 5, g->note);
    store_bind_i64(s, 6, g->created_at);
    store_bind_opt_i64(s, 7, g->created_by, 0);
    enum yj_err rc = store_step_done(tx, s, "grade insert", err);
    if (!rc)
        g->id = sqlite3_last_insert_rowid(tx->c->db);
    return rc;
}

enum yj_err store_unit_history_get(struct store_tx *tx, int64_t unit_id, struct yj_arena *a,
                                   struct store_grade **grades, size_t *n_grades,
                                   struct store_ban **bans, size_t *n_bans,
                                   struct sel_unit_history *h, struct yj_error *err)
{
    static const char cnt[] = "SELECT (SELECT COUNT(*) FROM unit_grades WHERE unit_id = ?1),"
                              " (SELECT COUNT(*) FROM unit_bans WHERE unit_id = ?1)";
    static const char sel_g[] = "SELECT id, period, grade, graded_on, note, created_at,"
                                " created_by FROM unit_grades WHERE unit_id = ?"
                                " ORDER BY graded_on, id";
    static const char sel_b[] =
        "SELECT id, cause, reason, starts_on, ends_on, certificate_id,"
        " created_at FROM unit_bans WHERE unit_id = ? ORDER BY starts_on, id";
    sqlite3_stmt *s = store_stmt(tx, cnt, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "history counts", err);
    size_t ng = (size_t)sqlite3_column_int64(s, 0), nb = (size_t)sqlite3_column_int64(s, 1);
    *grades = array(a, ng, sizeof **grades);
    *bans = array(a, nb, sizeof **bans);
    struct sel_unit_grade *hg = array(a, ng, sizeof *hg);
    struct sel_unit_ban *hb = array(a, nb, sizeof *hb);
    *n_grades = *n_bans = 0;
    s = store_stmt(tx, sel_g, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n_grades < ng) {
        struct store_grade *g = &(*grades)[(*n_grades)++];
        g->id = sqlite3_column_int64(s, 0);
        g->unit_id = unit_id;
        g->g.period = store_col_text(s, 1, a);
        sel_grade_parse((const char *)sqlite3_column_text(s, 2), &g->g.grade);
        g->g.graded_on = store_col_text(s, 3, a);
        g->note = store_col_text(s, 4, a);
        g->created_at = sqlite3_column_int64(s, 5);
        g->created_by = store_col_i64(s, 6, 0);
        hg[*n_grades - 1] = g->g;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "grades", err);
    s = store_stmt(tx, sel_b, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, unit_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n_bans < nb) {
        struct store_ban *b = &(*bans)[(*n_bans)++];
        b->id = sqlite3_column_int64(s, 0);
        b->unit_id = unit_id;
        b->b.cause = store_col_text(s, 1, a);
        b->reason = store_col_text(s, 2, a);
        b->b.starts_on = store_col_text(s, 3, a);
        b->b.ends_on = store_col_text(s, 4, a);
        b->certificate_id = store_col_i64(s, 5, 0);
        b->created_at = sqlite3_column_int64(s, 6);
        hb[*n_bans - 1] = b->b;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "bans", err);
    h->grades = hg;
    h->n_grades = *n_grades;
    h->bans = hb;
    h->n_bans = *n_bans;
    return YJ_OK;
}
