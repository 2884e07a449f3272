/*
 * incident_reference_api.c - the incident reference tables (STANDARDS.md §1-3)
 * as seeded, editable rows: GB/T 20986-2023 classes with their sub-classes (the
 * 2007 classes as aliases), the four levels with their dispatch deadlines, the
 * grading thresholds, the reporting deadlines; and the grading helper on its own,
 * for a form that shows its proposal as the facts are typed.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"

/* Authenticates, checks the query is empty and opens a read transaction. */
static bool begin_read(struct api_app *app, struct http_request *req, struct http_response *resp,
                       struct store_tx **tx)
{
    struct auth_subject who;
    static const char *const none[] = {NULL};
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REFERENCE_READ, NULL) || !api_query_only(req, resp, none))
        return false;
    if (store_read_begin(app->store, tx, &err)) {
        api_fail(resp, &err);
        return false;
    }
    return true;
}

static void answer(struct http_response *resp, struct store_tx *tx, enum yj_err rc,
                   const struct yj_error *err, json_t *items)
{
    store_tx_end(tx);
    if (rc) {
        json_decref(items);
        api_fail(resp, err);
        return;
    }
    http_response_json(resp, 200, json_pack("{s:o}", "items", items));
}

void api_ref_incident_classes(void *app, struct http_request *req, struct http_response *resp)
{
    struct store_tx *tx;
    if (!begin_read(app, req, resp, &tx))
        return;
    struct yj_error err;
    struct store_inc_class *c;
    size_t n = 0;
    enum yj_err rc = store_inc_classes(tx, req->arena, &c, &n, &err);
    json_t *items = json_array();
    /* Top-level classes, each with its sub-classes in order. */
    for (size_t i = 0; !rc && i < n; i++) {
        if (c[i].parent_code)
            continue;
        json_t *subs = json_array();
        for (size_t j = 0; j < n; j++)
            if (c[j].parent_code && strcmp(c[j].parent_code, c[i].code) == 0)
                json_array_append_new(
                    subs, json_pack("{s:s,s:s}", "code", c[j].code, "name_zh", c[j].name_zh));
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:o,s:s,s:o,s:o}", "code", c[i].code, "name_zh",
                                        c[i].name_zh, "name_en", api_str_or_null(c[i].name_en),
                                        "standard", c[i].standard, "alias_of",
                                        api_str_or_null(c[i].alias_of), "subclasses", subs));
    }
    answer(resp, tx, rc, &err, items);
}

static json_t *level_json(const struct inc_level *l)
{
    return json_pack("{s:s,s:s,s:i,s:i,s:i,s:b,s:b}", "code", l->code, "name_zh", l->name_zh,
                     "severity", l->severity, "ack_minutes", l->ack_minutes, "commitment_minutes",
                     l->commitment_minutes, "must_report", l->must_report, "pass_on", l->pass_on);
}

void api_ref_incident_levels(void *app, struct http_request *req, struct http_response *resp)
{
    struct store_tx *tx;
    if (!begin_read(app, req, resp, &tx))
        return;
    struct yj_error err;
    struct inc_level *l;
    size_t n = 0;
    enum yj_err rc = store_inc_levels(tx, req->arena, &l, &n, &err);
    json_t *items = json_array();
    for (size_t i = 0; !rc && i < n; i++)
        json_array_append_new(items, level_json(&l[i]));
    answer(resp, tx, rc, &err, items);
}

/* PATCH {"ack_minutes": 15, "commitment_minutes": 120}: the authority's own deadlines. */
void api_ref_incident_level_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_REFERENCE_MANAGE, NULL) ||
        !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"ack_minutes", "commitment_minutes", NULL};
    const char *code = req->n_params > 0 ? req->params[0] : "";
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct inc_level *levels;
    size_t n;
    int64_t now = yj_now_ms(app->clock), ack, commit;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_inc_levels(tx, req->arena, &levels, &n, &err);
    const struct inc_level *l = rc ? NULL : api_level_find(levels, n, code);
    if (!rc && !l)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such level");
    if (!rc) {
        ack = l->ack_minutes;
        commit = l->commitment_minutes;
        rc = api_get_int(body, "ack_minutes", false, 1, 1440, &ack, &err);
    }
    if (!rc)
        rc = api_get_int(body, "commitment_minutes", false, 1, 2880, &commit, &err);
    if (!rc)
        rc = store_inc_level_update(tx, code, (int)ack, (int)commit, &err);
    if (!rc) {
        char *changes = json_dumps(body, JSON_COMPACT);
        struct audit_entry e =
            api_audit_entry(&who, req, "incident_level.update", "incident_level", code, changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct inc_level updated = *l;
    updated.ack_minutes = (int)ack;
    updated.commitment_minutes = (int)commit;
    http_response_json(resp, 200, level_json(&updated));
}

void api_ref_grading_rules(void *app, struct http_request *req, struct http_response *resp)
{
    struct store_tx *tx;
    if (!begin_read(app, req, resp, &tx))
        return;
    struct yj_error err;
    struct inc_grading_rule *r;
    struct inc_level *l;
    size_t n = 0, nl = 0;
    enum yj_err rc = store_inc_grading_rules(tx, req->arena, &r, &n, &err);
    if (!rc)
        rc = store_inc_levels(tx, req->arena, &l, &nl, &err);
    json_t *items = json_array();
    for (size_t i = 0; !rc && i < n; i++) {
        const struct inc_level *lv = inc_level_by_severity(l, nl, r[i].severity);
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:I,s:b}", "metric", r[i].metric, "level",
                                        lv ? lv->code : "", "threshold", (json_int_t)r[i].threshold,
                                        "confirmed", r[i].confirmed));
    }
    answer(resp, tx, rc, &err, items);
}

void api_ref_report_deadlines(void *app, struct http_request *req, struct http_response *resp)
{
    struct store_tx *tx;
    if (!begin_read(app, req, resp, &tx))
        return;
    struct yj_error err;
    struct inc_report_rule *r;
    size_t n = 0;
    enum yj_err rc = store_inc_report_rules(tx, req->arena, &r, &n, &err);
    json_t *items = json_array();
    for (size_t i = 0; !rc && i < n; i++)
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:i,s:i,s:i}", "operator_type",
                                        r[i].operator_type, "recipient_zh", r[i].recipient_zh,
                                        "first_minutes", r[i].first_minutes, "pass_on_minutes",
                                        r[i].pass_on_minutes, "final_days", r[i].final_days));
    answer(resp, tx, rc, &err, items);
}

/* POST {"facts": {...}} -> {"level": "major", "severity": 2, "reason": "..."}; saves nothing. */
void api_grading_proposal(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_REPORT, NULL) || !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"facts", NULL};
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct inc_grading_facts f;
    struct inc_grading_rule *rules;
    struct inc_level *levels;
    size_t nr, nl;
    struct inc_grade_proposal p;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && !json_object_get(body, "facts"))
        rc = yj_error_set(&err, YJ_EINVAL, "facts", "required");
    if (!rc)
        rc = api_grading_facts_decode(json_object_get(body, "facts"), &f, &err);
    json_decref(body);
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_inc_grading_rules(tx, req->arena, &rules, &nr, &err);
    if (!rc)
        rc = store_inc_levels(tx, req->arena, &levels, &nl, &err);
    if (!rc)
        rc = inc_grade_propose(&f, rules, nr, levels, nl, &p, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    const struct inc_level *l = inc_level_by_severity(levels, nl, p.severity);
    http_response_json(resp, 200,
                       json_pack("{s:o,s:i,s:s}", "level", l ? json_string(l->code) : json_null(),
                                 "severity", p.severity, "reason", p.reason));
}
