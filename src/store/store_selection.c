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
