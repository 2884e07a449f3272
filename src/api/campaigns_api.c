/*
 * campaigns_api.c - /api/v1/campaigns: the authority sets up a selection
 * campaign and moves it through its stages; everyone may read the ones past
 * draft. Also the units' records (grades) that carry-over rules read.
 */
#include "api/api_int.h"
#include "api/api_review.h"
#include "api/api_selection.h"

static void answer(struct http_request *req, struct http_response *resp, int status,
                   const struct sel_campaign *c)
{
    http_response_json(resp, status, api_campaign_encode(c));
    http_response_header(resp, "ETag", api_etag(req->arena, c->version));
}

static bool may_see_drafts(const struct auth_subject *who)
{
    return auth_policy_check(who, AUTH_CAMPAIGN_READ_DRAFT, NULL, NULL) == YJ_OK;
}

static char *dump(const json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

void api_campaigns_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct sel_campaign *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_campaign_list(tx, may_see_drafts(&who), page.after, page.limit + 1, req->arena,
                                 &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, api_campaign_encode(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_campaigns_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct sel_campaign c = {.validity_years = 2, .stage = SEL_STAGE_DRAFT};
    sel_thresholds_default(&c.thresholds);
    c.criteria = (struct sel_criterion *)(uintptr_t)sel_default_rubric;
    c.n_criteria = sel_default_rubric_count;
    struct yj_error err;
    enum yj_err rc = api_campaign_decode(body, req->arena, &c, &err);
    json_decref(body);
    if (!rc)
        rc = sel_campaign_validate(&c, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    char *changes = NULL;
    if (!(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_campaign_insert(tx, &c, now, &err);
    if (!rc) {
        json_t *doc = api_campaign_encode(&c);
        changes = dump(doc);
        json_decref(doc);
        struct audit_entry e = api_audit_entry(&who, req, "campaign.create", "campaign",
                                               api_id_str(req->arena, c.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    free(changes);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 201, &c);
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/campaigns/%lld", (long long)c.id));
}

/* Reads the campaign the path names, as the caller may see it; answers 404 otherwise. */
static bool load(struct api_app *app, struct http_request *req, struct http_response *resp,
                 const struct auth_subject *who, struct store_tx *tx, struct sel_campaign *c)
{
    struct yj_error err;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    (void)app;
    enum yj_err rc = store_campaign_get(tx, id, req->arena, c, &err);
    if (!rc && c->stage == SEL_STAGE_DRAFT && !may_see_drafts(who))
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such campaign");
    if (rc) {
        api_fail(resp, &err);
        return false;
    }
    return true;
}

void api_campaigns_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_READ, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (load(app, req, resp, &who, tx, &c))
        answer(req, resp, 200, &c);
    store_tx_end(tx);
}

static json_t *counts(const char *const *names, const int64_t *const *values, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, names[i], json_integer(*values[i]));
    return o;
}

/* The pipeline board: how many applications stand at each step of the selection. */
void api_campaigns_pipeline(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_RANKING_READ, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct store_pipeline p;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (!load(app, req, resp, &who, tx, &c)) {
        store_tx_end(tx);
        return;
    }
    enum yj_err rc = store_campaign_pipeline(tx, c.id, &p, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    static const char *const app_k[] = {"total", "draft", "submitted", "returned", "withdrawn"};
    const int64_t *const app_v[] = {&p.total, &p.draft, &p.submitted, &p.returned, &p.withdrawn};
    static const char *const el_k[] = {"pending", "eligible", "ineligible", "direct_entry"};
    const int64_t *const el_v[] = {&p.eligibility_pending, &p.eligible, &p.ineligible,
                                   &p.direct_entry};
    static const char *const sec_k[] = {"pending", "pass", "fail"};
    const int64_t *const sec_v[] = {&p.security_pending, &p.security_pass, &p.security_fail};
    static const char *const rev_k[] = {"on_panel", "scored", "panels_open", "panels_closed"};
    const int64_t *const rev_v[] = {&p.on_panel, &p.scored, &p.panels_open, &p.panels_closed};
    static const char *const pap_k[] = {"received", "mismatched"};
    const int64_t *const pap_v[] = {&p.paper_received, &p.paper_mismatched};
    static const char *const out_k[] = {"pending", "proposed", "selected", "not_selected",
                                        "cancelled"};
    const int64_t *const out_v[] = {&p.outcome_pending, &p.proposed, &p.selected, &p.not_selected,
                                    &p.cancelled};
    static const char *const obj_k[] = {"open", "upheld", "rejected"};
    const int64_t *const obj_v[] = {&p.objections_open, &p.objections_upheld,
                                    &p.objections_rejected};
    json_t *o =
        json_pack("{s:I,s:s}", "campaign_id", (json_int_t)c.id, "stage", sel_stage_code(c.stage));
    json_object_set_new(o, "applications", counts(app_k, app_v, YJ_ARRAY_LEN(app_k)));
    json_object_set_new(o, "eligibility", counts(el_k, el_v, YJ_ARRAY_LEN(el_k)));
    json_object_set_new(o, "security", counts(sec_k, sec_v, YJ_ARRAY_LEN(sec_k)));
    json_object_set_new(o, "review", counts(rev_k, rev_v, YJ_ARRAY_LEN(rev_k)));
    json_object_set_new(o, "paper", counts(pap_k, pap_v, YJ_ARRAY_LEN(pap_k)));
    json_object_set_new(o, "outcome", counts(out_k, out_v, YJ_ARRAY_LEN(out_k)));
    json_object_set_new(o, "objections", counts(obj_k, obj_v, YJ_ARRAY_LEN(obj_k)));
    http_response_json(resp, 200, o);
}

/* Once applications are open, the rules they were made under stay fixed: only the
 * deadline (later, while open), the places and the notice period may change. */
static enum yj_err patchable(const json_t *patch, const struct sel_campaign *c,
                             struct yj_error *err)
{
    static const char *const later[] = {"deadline_at", "places", "notice_starts_at",
                                        "notice_ends_at", NULL};
    if (c->stage == SEL_STAGE_DRAFT)
        return YJ_OK;
    if (c->stage >= SEL_STAGE_NOTICE)
        return yj_error_set(err, YJ_ECONFLICT, "stage",
                            "a campaign under notice or later cannot be changed");
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)patch, key, v) {
        (void)v;
        const char *const *k = later;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (!*k || (c->stage == SEL_STAGE_REVIEW && strcmp(key, "deadline_at") == 0))
            return yj_error_set(err, YJ_ECONFLICT, key, "fixed once applications are open");
    }
    return YJ_OK;
}

void api_campaigns_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t want;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_MANAGE, NULL) ||
        !(want = api_if_match(req, resp, false)))
        return;
    json_t *patch = api_body(req, resp);
    if (!patch)
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    json_t *before = NULL, *after = NULL, *diff = NULL;
    char *changes = NULL;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    bool ok = !rc && load(app, req, resp, &who, tx, &c);
    if (ok) {
        int64_t old_deadline = c.deadline_at;
        before = api_campaign_encode(&c);
        if (c.version != want)
            rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the campaign changed meanwhile");
        if (!rc)
            rc = patchable(patch, &c, &err);
        if (!rc)
            rc = api_campaign_decode(patch, req->arena, &c, &err);
        if (!rc && c.stage == SEL_STAGE_OPEN && c.deadline_at < old_deadline)
            rc = yj_error_set(&err, YJ_ECONFLICT, "deadline_at",
                              "an open campaign's deadline may only move later");
        if (!rc)
            rc = sel_campaign_validate(&c, &err);
        if (!rc) {
            after = api_campaign_encode(&c);
            diff = api_json_diff(before, after);
            changes = dump(diff);
            rc = store_campaign_update(tx, &c, want, now, &err);
        }
        struct audit_entry e = api_audit_entry(&who, req, "campaign.update", "campaign",
                                               api_id_str(req->arena, c.id), changes);
        if (!rc)
            rc = audit_append(tx, &e, now, &err);
        if (!rc)
            rc = store_tx_commit(tx, &err);
    }
    store_tx_end(tx);
    json_decref(patch);
    json_decref(before);
    json_decref(after);
    json_decref(diff);
    free(changes);
    if (!ok && !rc)
        return; /* load answered */
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 200, &c);
}

void api_campaigns_stage(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"to", NULL};
    struct auth_subject who;
    int64_t want;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_MANAGE, NULL) ||
        !(want = api_if_match(req, resp, false)))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *to_code = NULL;
    enum sel_stage to = SEL_STAGE__COUNT;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "to", true, req->arena, &to_code, &err);
    json_decref(body);
    if (!rc && sel_stage_parse(to_code, &to) != 0)
        rc = yj_error_set(&err, YJ_EINVAL, "to", "unknown stage");
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct sel_stage_facts facts;
    int64_t now = yj_now_ms(app->clock);
    rc = store_write_begin(app->store, &tx, &err);
    bool ok = !rc && load(app, req, resp, &who, tx, &c);
    if (ok) {
        enum sel_stage from = c.stage;
        if (c.version != want)
            rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the campaign changed meanwhile");
        if (!rc)
            rc = store_campaign_stage_facts(tx, c.id, &facts, &err);
        if (!rc)
            rc = sel_stage_check(&c, to, now, &facts, &err);
        if (!rc && to == SEL_STAGE_PUBLISHED)
            rc = api_campaign_publish(app, req, &who, tx, &c, now, &err);
        if (!rc) {
            c.stage = to;
            if (to == SEL_STAGE_OPEN && !c.opens_at)
                c.opens_at = now;
            if (to == SEL_STAGE_CLOSED)
                c.closed_at = now;
            rc = store_campaign_update(tx, &c, want, now, &err);
        }
        if (!rc) {
            char changes[96];
            snprintf(changes, sizeof changes, "{\"stage\":{\"old\":\"%s\",\"new\":\"%s\"}}",
                     sel_stage_code(from), sel_stage_code(to));
            struct audit_entry e = api_audit_entry(&who, req, "campaign.stage", "campaign",
                                                   api_id_str(req->arena, c.id), changes);
            rc = audit_append(tx, &e, now, &err);
        }
        if (!rc)
            rc = store_tx_commit(tx, &err);
    }
    store_tx_end(tx);
    if (!ok && !rc)
        return;
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 200, &c);
}

/* --- units' records -------------------------------------------------------------- */

void api_unit_record_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = id};
    if (!api_allow(req, resp, &who, AUTH_UNIT_RECORD_READ, &obj))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct unit u;
    struct store_grade *grades;
    struct store_ban *bans;
    size_t ng, nb;
    struct sel_unit_history h;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_unit_get(tx, id, true, req->arena, &u, &err);
    if (!rc)
        rc = store_unit_history_get(tx, id, req->arena, &grades, &ng, &bans, &nb, &h, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *g = json_array(), *b = json_array();
    for (size_t i = 0; i < ng; i++) {
        json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)grades[i].id, "period",
                              grades[i].g.period, "grade", sel_grade_code(grades[i].g.grade),
                              "graded_on", grades[i].g.graded_on);
        json_object_set_new(o, "note", grades[i].note ? json_string(grades[i].note) : json_null());
        json_object_set_new(o, "created_at", api_time(grades[i].created_at));
        json_array_append_new(g, o);
    }
    for (size_t i = 0; i < nb; i++) {
        json_t *o =
            json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)bans[i].id, "cause", bans[i].b.cause,
                      "starts_on", bans[i].b.starts_on, "ends_on", bans[i].b.ends_on);
        json_object_set_new(o, "reason",
                            bans[i].reason ? json_string(bans[i].reason) : json_null());
        json_object_set_new(o, "certificate_id",
                            bans[i].certificate_id ? json_integer(bans[i].certificate_id)
                                                   : json_null());
        json_array_append_new(b, o);
    }
    http_response_json(
        resp, 200, json_pack("{s:I,s:o,s:o}", "unit_id", (json_int_t)id, "grades", g, "bans", b));
}

void api_unit_grades_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"period", "grade", "graded_on", "note", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_UNIT_RECORD_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    struct store_grade g = {.unit_id = id};
    const char *grade = NULL;
    int y, m, d;
    char today[11];
    int64_t now = yj_now_ms(app->clock);
    yj_date_cst(now, today);
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "period", true, req->arena, &g.g.period, &err);
    if (!rc && (!*g.g.period || yj_utf8_chars(g.g.period) > 50))
        rc = yj_error_set(&err, YJ_EINVAL, "period", "1 to 50 characters, e.g. 第一届 or 2025");
    if (!rc)
        rc = api_get_string(body, "grade", true, req->arena, &grade, &err);
    if (!rc && sel_grade_parse(grade, &g.g.grade) != 0)
        rc = yj_error_set(&err, YJ_EINVAL, "grade", "excellent, qualified or unqualified");
    if (!rc)
        rc = api_get_string(body, "graded_on", true, req->arena, &g.g.graded_on, &err);
    if (!rc && (yj_date_parse(g.g.graded_on, &y, &m, &d) || strcmp(g.g.graded_on, today) > 0))
        rc = yj_error_set(&err, YJ_EINVAL, "graded_on", "a date (YYYY-MM-DD) not in the future");
    if (!rc)
        rc = api_get_text(body, "note", false, UNIT_LONG_TEXT_MAX, req->arena, &g.note, &err);
    json_decref(body);
    struct store_tx *tx = NULL;
    struct unit u;
    g.created_at = now;
    g.created_by = who.user_id;
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_unit_get(tx, id, true, req->arena, &u, &err);
    if (!rc)
        rc = store_grade_insert(tx, &g, &err);
    if (!rc) {
        json_t *c = json_pack("{s:s,s:s,s:s}", "period", g.g.period, "grade",
                              sel_grade_code(g.g.grade), "graded_on", g.g.graded_on);
        char *changes = dump(c);
        json_decref(c);
        struct audit_entry e =
            api_audit_entry(&who, req, "unit.grade", "unit", api_id_str(req->arena, id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)g.id, "unit_id",
                          (json_int_t)id, "period", g.g.period, "grade", sel_grade_code(g.g.grade),
                          "graded_on", g.g.graded_on);
    json_object_set_new(o, "note", g.note ? json_string(g.note) : json_null());
    json_object_set_new(o, "created_at", api_time(g.created_at));
    http_response_json(resp, 201, o);
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/units/%lld/record", (long long)id));
}
