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

/* A sub-class as the class list nests it. */
static json_t *subclass_json(const struct store_inc_class *c)
{
    return json_pack("{s:s,s:s,s:o}", "code", c->code, "name_zh", c->name_zh, "name_en",
                     api_str_or_null(c->name_en));
}

/* A top-level class (or 2007 alias); takes subs. */
static json_t *class_json(const struct store_inc_class *c, json_t *subs)
{
    return json_pack("{s:s,s:s,s:o,s:s,s:o,s:o}", "code", c->code, "name_zh", c->name_zh, "name_en",
                     api_str_or_null(c->name_en), "standard", c->standard, "alias_of",
                     api_str_or_null(c->alias_of), "subclasses", subs);
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
                json_array_append_new(subs, subclass_json(&c[j]));
        json_array_append_new(items, class_json(&c[i], subs));
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

static json_t *report_rule_json(const struct inc_report_rule *r)
{
    return json_pack("{s:s,s:s,s:i,s:i,s:i}", "operator_type", r->operator_type, "recipient_zh",
                     r->recipient_zh, "first_minutes", r->first_minutes, "pass_on_minutes",
                     r->pass_on_minutes, "final_days", r->final_days);
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
        json_array_append_new(items, report_rule_json(&r[i]));
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

/* --- the other editable tables --------------------------------------------------------- */

/* Authenticates the reference manager and reads the body (NULL: answered). */
static json_t *change_begin(struct api_app *app, struct http_request *req,
                            struct http_response *resp, struct auth_subject *who)
{
    json_t *body;
    if (!api_authenticate(app, req, resp, who) ||
        !api_allow(req, resp, who, AUTH_INCIDENT_REFERENCE_MANAGE, NULL) ||
        !(body = api_body(req, resp)))
        return NULL;
    return body;
}

/* Records the change (changes: the request body) in the audit chain and commits. */
static enum yj_err change_commit(struct api_app *app, struct store_tx *tx,
                                 const struct auth_subject *who, const struct http_request *req,
                                 const char *action, const char *type, const char *id, json_t *body,
                                 struct yj_error *err)
{
    char *changes = json_dumps(body, JSON_COMPACT);
    struct audit_entry e = api_audit_entry(who, req, action, type, id, changes);
    enum yj_err rc = audit_append(tx, &e, yj_now_ms(app->clock), err);
    free(changes);
    return rc ? rc : store_tx_commit(tx, err);
}

/* Ends the transaction (rolling back what was not committed) and answers. Takes out. */
static void change_answer(struct http_response *resp, struct store_tx *tx, json_t *body,
                          enum yj_err rc, const struct yj_error *err, json_t *out)
{
    store_tx_end(tx);
    json_decref(body);
    if (rc) {
        json_decref(out);
        api_fail(resp, err);
        return;
    }
    http_response_json(resp, 200, out);
}

/* A name of 1..100 characters when key is present; null clears it only when nullable. */
static enum yj_err name_get(const json_t *body, const char *key, bool nullable, struct yj_arena *a,
                            const char **out, struct yj_error *err)
{
    const json_t *v = json_object_get(body, key);
    if (!v)
        return YJ_OK;
    if (json_is_null(v)) {
        if (!nullable)
            return yj_error_set(err, YJ_EINVAL, key, "must not be null");
        *out = NULL;
        return YJ_OK;
    }
    return api_get_text(body, key, true, 100, a, out, err);
}

/* PATCH {"name_zh": "...", "name_en": "..." or null} -> the class as the list shows it. */
void api_ref_incident_class_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body = change_begin(app, req, resp, &who);
    if (!body)
        return;
    static const char *const keys[] = {"name_zh", "name_en", NULL};
    const char *code = req->n_params > 0 ? req->params[0] : "";
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_inc_class c, *all = NULL;
    size_t n = 0;
    json_t *out = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_inc_class_get(tx, code, req->arena, &c, &err);
    if (!rc)
        rc = name_get(body, "name_zh", false, req->arena, &c.name_zh, &err);
    if (!rc)
        rc = name_get(body, "name_en", true, req->arena, &c.name_en, &err);
    if (!rc) {
        rc = store_inc_class_update(tx, code, c.name_zh, c.name_en, &err);
        /* The only constraint an update of names can break: two siblings' names. */
        if (rc == YJ_ECONFLICT)
            yj_error_set(&err, YJ_ECONFLICT, "name_zh", "another class here has this name");
    }
    /* Read back for the answer before the commit ends the transaction. */
    if (!rc && !c.parent_code)
        rc = store_inc_classes(tx, req->arena, &all, &n, &err);
    if (!rc)
        rc = change_commit(app, tx, &who, req, "incident_class.update", "incident_class", code,
                           body, &err);
    if (!rc && c.parent_code) {
        out = subclass_json(&c);
    } else if (!rc) {
        json_t *subs = json_array();
        for (size_t j = 0; j < n; j++)
            if (all[j].parent_code && strcmp(all[j].parent_code, code) == 0)
                json_array_append_new(subs, subclass_json(&all[j]));
        out = class_json(&c, subs);
    }
    change_answer(resp, tx, body, rc, &err, out);
}

/* PUT {"threshold": 10000000, "confirmed": true} on /grading-rules/{metric}/{level}. */
void api_ref_grading_rule_put(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body = change_begin(app, req, resp, &who);
    if (!body)
        return;
    static const char *const keys[] = {"threshold", "confirmed", NULL};
    const char *metric = req->n_params > 0 ? req->params[0] : "";
    const char *level = req->n_params > 1 ? req->params[1] : "";
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct inc_level *levels;
    size_t nl = 0;
    int64_t threshold = 0;
    bool confirmed = false, known = false;
    for (size_t i = 0; i < inc_grading_metrics_count; i++)
        known = known || strcmp(inc_grading_metrics[i], metric) == 0;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && !known)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such grading metric");
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_inc_levels(tx, req->arena, &levels, &nl, &err);
    if (!rc && !api_level_find(levels, nl, level))
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such level");
    /* The store keeps thresholds positive: a fact of 0 must not reach a level. */
    if (!rc)
        rc = api_get_int(body, "threshold", true, 1, INT64_MAX, &threshold, &err);
    /* A PUT replaces the row: confirmed is required too. */
    if (!rc && !json_is_boolean(json_object_get(body, "confirmed")))
        rc = yj_error_set(&err, YJ_EINVAL, "confirmed", "required, true or false");
    if (!rc)
        confirmed = json_is_true(json_object_get(body, "confirmed"));
    if (!rc)
        rc = store_inc_grading_rule_set(tx, metric, level, threshold, confirmed, &err);
    const char *id = yj_arena_printf(req->arena, "%s/%s", metric, level);
    if (!rc && !id)
        rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    if (!rc)
        rc = change_commit(app, tx, &who, req, "grading_rule.set", "grading_rule", id, body, &err);
    json_t *out = rc ? NULL
                     : json_pack("{s:s,s:s,s:I,s:b}", "metric", metric, "level", level, "threshold",
                                 (json_int_t)threshold, "confirmed", confirmed);
    change_answer(resp, tx, body, rc, &err, out);
}

/* PATCH {"recipient_zh", "first_minutes", "pass_on_minutes", "final_days"}, each optional. */
void api_ref_report_deadline_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body = change_begin(app, req, resp, &who);
    if (!body)
        return;
    static const char *const keys[] = {"recipient_zh", "first_minutes", "pass_on_minutes",
                                       "final_days", NULL};
    const char *type = req->n_params > 0 ? req->params[0] : "";
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct inc_report_rule *rules, r = {0};
    size_t n = 0;
    int64_t first = 0, pass_on = 0, final = 0;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_inc_report_rules(tx, req->arena, &rules, &n, &err);
    for (size_t i = 0; !rc && i < n && !r.operator_type; i++)
        if (strcmp(rules[i].operator_type, type) == 0)
            r = rules[i];
    if (!rc && !r.operator_type)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such operator type");
    if (!rc) {
        first = r.first_minutes;
        pass_on = r.pass_on_minutes;
        final = r.final_days;
        rc = name_get(body, "recipient_zh", false, req->arena, &r.recipient_zh, &err);
    }
    if (!rc)
        rc = api_get_int(body, "first_minutes", false, 1, 1440, &first, &err);
    /* At least a minute: the store refuses a pass-on due the moment a report arrives. */
    if (!rc)
        rc = api_get_int(body, "pass_on_minutes", false, 1, 1440, &pass_on, &err);
    if (!rc)
        rc = api_get_int(body, "final_days", false, 1, 365, &final, &err);
    if (!rc) {
        r.first_minutes = (int)first;
        r.pass_on_minutes = (int)pass_on;
        r.final_days = (int) final;
        rc = store_inc_report_rule_update(tx, &r, &err);
    }
    if (!rc)
        rc = change_commit(app, tx, &who, req, "report_deadline.update", "report_deadline", type,
                           body, &err);
    change_answer(resp, tx, body, rc, &err, rc ? NULL : report_rule_json(&r));
}
