/*
 * incidents_api.c - /api/v1/incidents: take an incident in, read it with its
 * timeline, grade it (the helper proposes, a person confirms or overrides with a
 * reason), move it through its states, file the final report, merge duplicates,
 * add notes; the authority's board. Every change appends to the timeline and the
 * audit chain in the same transaction.
 *
 * A unit sees the incidents it takes part in (a dispatch to it, or it reported
 * the incident) and inside them only the timeline entries, dispatches and
 * evidence that are the incident's as a whole or its own.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_reports.h"

static const char *const operator_types[] = {"cii", "central_state", "other", NULL};
static const char *const sources[] = {"unit_discovery",   "authority",    "public_report",
                                      "monitoring_alert", "threat_match", NULL};

static bool one_of(const char *v, const char *const *set)
{
    for (size_t i = 0; v && set[i]; i++)
        if (strcmp(v, set[i]) == 0)
            return true;
    return false;
}

static void send_incident(struct http_request *req, struct http_response *resp, int status,
                          json_t *o, int64_t version)
{
    http_response_header(resp, "ETag", api_etag(req->arena, version));
    http_response_json(resp, status, o);
}

/* JSON text of v into the arena (v borrowed). */
static const char *dump(struct yj_arena *a, const json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT);
    const char *out = t ? yj_arena_strdup(a, t) : NULL;
    free(t);
    return out;
}

/* --- decoding ----------------------------------------------------------------------------- */

/* indicators: [{"type": "ipv4", "value": "203.0.113.7"}, ...] */
static enum yj_err decode_indicators(const json_t *v, struct yj_arena *a, const char **out,
                                     struct yj_error *err)
{
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, "indicators", "must be an array");
    if (json_array_size(v) > INC_INDICATORS_MAX)
        return yj_error_set(err, YJ_EINVAL, "indicators", "at most %d", INC_INDICATORS_MAX);
    size_t i;
    json_t *it;
    static const char *const keys[] = {"type", "value", "note", NULL};
    json_array_foreach (v, i, it) {
        const char *type = NULL, *value = NULL, *note = NULL;
        enum yj_err rc = !json_is_object(it)
                             ? yj_error_set(err, YJ_EINVAL, NULL, "must be an object")
                             : api_check_keys(it, keys, err);
        if (!rc)
            rc = api_get_text(it, "type", true, 32, a, &type, err);
        if (!rc)
            rc = api_get_text(it, "value", true, INC_INDICATOR_VALUE_MAX, a, &value, err);
        if (!rc)
            rc = api_get_text(it, "note", false, 500, a, &note, err);
        if (rc) {
            char prefix[48];
            snprintf(prefix, sizeof prefix, "indicators[%zu]", i);
            yj_error_prefix_field(err, prefix);
            return rc;
        }
    }
    *out = dump(a, v);
    return YJ_OK;
}

/* ransom: {"amount": "...", "currency": "BTC", "payment_method": "...", "deadline": "..."} */
static enum yj_err decode_ransom(const json_t *v, struct yj_arena *a, const char **out,
                                 struct yj_error *err)
{
    static const char *const keys[] = {"amount",   "currency", "payment_method",
                                       "deadline", "wallet",   NULL};
    if (json_is_null(v)) {
        *out = NULL;
        return YJ_OK;
    }
    enum yj_err rc = json_is_object(v) ? api_check_keys(v, keys, err)
                                       : yj_error_set(err, YJ_EINVAL, NULL, "must be an object");
    for (size_t i = 0; !rc && keys[i]; i++) {
        const char *s;
        rc = api_get_text(v, keys[i], false, 500, a, &s, err);
    }
    if (rc) {
        yj_error_prefix_field(err, "ransom");
        return rc;
    }
    *out = dump(a, v);
    return YJ_OK;
}

/* Checks class/sub-class codes against the reference rows: the class must be a 2023
 * top-level class (or a 2007 one, kept for old records), the sub-class one of its own. */
static enum yj_err check_class(struct store_tx *tx, struct yj_arena *a, const char *cls,
                               const char *sub, struct yj_error *err)
{
    struct store_inc_class c;
    if (!cls)
        return sub ? yj_error_set(err, YJ_EINVAL, "subclass_code", "needs class_code") : YJ_OK;
    enum yj_err rc = store_inc_class_get(tx, cls, a, &c, err);
    if (rc == YJ_ENOTFOUND || (!rc && c.parent_code))
        return yj_error_set(err, YJ_EINVAL, "class_code", "not an incident class");
    if (rc || !sub)
        return rc;
    rc = store_inc_class_get(tx, sub, a, &c, err);
    if (rc == YJ_ENOTFOUND || (!rc && (!c.parent_code || strcmp(c.parent_code, cls) != 0)))
        return yj_error_set(err, YJ_EINVAL, "subclass_code", "not a sub-class of class_code");
    return rc;
}

/* The fields create and PATCH share; absent keys leave i unchanged. */
static enum yj_err decode_fields(const json_t *o, struct yj_arena *a, struct store_incident *i,
                                 bool create, struct yj_error *err)
{
    enum yj_err rc = api_get_text(o, "title", create, INC_TITLE_MAX, a, &i->title, err);
    if (!rc)
        rc = api_get_text(o, "affected_org", create, INC_NAME_MAX, a, &i->affected_org, err);
    if (!rc)
        rc = api_get_text(o, "affected_system", false, INC_NAME_MAX, a, &i->affected_system, err);
    if (!rc)
        rc = api_get_text(o, "operator_type", create, 32, a, &i->operator_type, err);
    if (!rc && !one_of(i->operator_type, operator_types))
        rc = yj_error_set(err, YJ_EINVAL, "operator_type", "must be cii, central_state or other");
    if (!rc)
        rc = api_get_text(o, "province", false, 20, a, &i->province, err);
    if (!rc && i->province) {
        bool known = false;
        for (size_t k = 0; k < unit_provinces_count; k++)
            known |= strcmp(unit_provinces[k], i->province) == 0;
        if (!known)
            rc = yj_error_set(err, YJ_EINVAL, "province", "not a province-level division");
    }
    if (!rc)
        rc = api_get_text(o, "city", false, 50, a, &i->city, err);
    if (!rc)
        rc = api_get_time(o, "discovered_at", create, &i->discovered_at, err);
    if (!rc)
        rc = api_get_text(o, "description", false, INC_TEXT_MAX, a, &i->description, err);
    if (!rc)
        rc = api_get_text(o, "class_code", false, 32, a, &i->class_code, err);
    if (!rc)
        rc = api_get_text(o, "subclass_code", false, 32, a, &i->subclass_code, err);
    const json_t *v;
    if (!rc && (v = json_object_get(o, "indicators")) && !json_is_null(v))
        rc = decode_indicators(v, a, &i->indicators, err);
    if (!rc && (v = json_object_get(o, "ransom")))
        rc = decode_ransom(v, a, &i->ransom, err);
    return rc;
}

/* --- create -------------------------------------------------------------------------------- */

void api_incidents_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_REPORT, NULL) || !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {
        "title",      "affected_org",  "affected_system", "operator_type", "province",
        "city",       "discovered_at", "description",     "class_code",    "subclass_code",
        "indicators", "ransom",        "source",          "parent_id",     NULL};
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_incident i = {
        .status = INC_REPORTED, .created_by = who.user_id, .created_at = now, .updated_at = now};
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = decode_fields(body, req->arena, &i, true, &err);
    if (!rc)
        rc = api_get_text(body, "source", who.role != AUTH_ROLE_UNIT, 32, req->arena, &i.source,
                          &err);
    /* A unit reports what it found itself; the source says so whatever it sent. */
    if (!rc && who.role == AUTH_ROLE_UNIT) {
        if (i.source && strcmp(i.source, "unit_discovery") != 0)
            rc = yj_error_set(&err, YJ_EINVAL, "source", "a unit reports its own discoveries");
        i.source = "unit_discovery";
        i.source_unit_id = who.unit_id;
    }
    if (!rc && !one_of(i.source, sources))
        rc = yj_error_set(&err, YJ_EINVAL, "source", "unknown source");
    if (!rc && i.discovered_at > now)
        rc = yj_error_set(&err, YJ_EINVAL, "discovered_at", "is in the future");
    if (!rc)
        rc = api_get_int(body, "parent_id", false, 1, INT64_MAX, &i.parent_id, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = check_class(tx, req->arena, i.class_code, i.subclass_code, &err);
    if (!rc && i.parent_id) {
        struct store_incident parent;
        rc = store_incident_get(tx, i.parent_id, req->arena, &parent, &err);
        if (rc == YJ_ENOTFOUND || (!rc && who.role == AUTH_ROLE_UNIT))
            rc = yj_error_set(&err, YJ_EINVAL, "parent_id", "no such incident");
    }
    if (!rc)
        rc = store_incident_insert(tx, &i, &err);
    if (!rc)
        rc = api_inc_event(tx, i.id, now, &who, "reported", 0,
                           json_pack("{s:s,s:s}", "title", i.title, "source", i.source), &err);
    if (!rc) {
        json_t *ch = api_incident_json(&i, true);
        char *changes = json_dumps(ch, JSON_COMPACT);
        json_decref(ch);
        struct audit_entry e = api_audit_entry(&who, req, "incident.report", "incident",
                                               api_id_str(req->arena, i.id), changes);
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
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/incidents/%lld", (long long)i.id));
    send_incident(req, resp, 201, api_incident_json(&i, true), i.version);
}

/* --- reading -------------------------------------------------------------------------------- */

/*
 * Loads incident `id` and decides whether who may do `action` on it: for a unit,
 * only when its unit takes part. On refusal answers resp and returns false.
 */
static bool load_for(struct http_request *req, struct http_response *resp,
                     const struct auth_subject *who, enum auth_action action, struct store_tx *tx,
                     int64_t id, struct store_incident *out)
{
    struct yj_error err;
    enum yj_err rc = store_incident_get(tx, id, req->arena, out, &err);
    struct auth_object obj = {0};
    if (!rc && who->role == AUTH_ROLE_UNIT) {
        bool involved = false;
        rc = store_incident_involves(tx, id, who->unit_id, &involved, &err);
        obj.unit_id = involved ? who->unit_id : -1;
    }
    if (rc) {
        api_fail(resp, &err);
        return false;
    }
    return api_allow(req, resp, who, action, &obj);
}

void api_incidents_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"status", "level", "open", "q", "limit", "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_LIST, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_incident_query q = {
        .status = http_query(req, "status"),
        .level = http_query(req, "level"),
        .open_only = http_query(req, "open") && strcmp(http_query(req, "open"), "1") == 0,
        .unit_id =
            auth_policy_scope(who.role, AUTH_INCIDENT_LIST) == AUTH_OWN_UNIT ? who.unit_id : 0,
        .q = http_query(req, "q"),
        .after_id = page.after,
        .limit = page.limit + 1,
    };
    enum inc_status st;
    if (q.status && inc_status_parse(q.status, &st)) {
        yj_error_set(&err, YJ_EINVAL, "status", "unknown status");
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_incident *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_incident_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, api_incident_json(&items[k], false));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* Dispatches, timeline, evidence, related incidents and the reporting duties of one
 * incident, as far as who may see them. */
static enum yj_err detail(struct store_tx *tx, struct yj_arena *a, const struct auth_subject *who,
                          const struct store_incident *i, int64_t now, json_t *o,
                          struct yj_error *err)
{
    int64_t scope = who->role == AUTH_ROLE_UNIT ? who->unit_id : 0;
    struct store_dispatch *ds;
    struct store_inc_event *ev;
    struct store_evidence *evi;
    struct store_incident *kids, *dups;
    size_t nd, ne, nv, nk, nm;
    struct store_dispatch_query dq = {.incident_id = i->id, .unit_id = scope};
    enum yj_err rc = store_dispatch_list(tx, &dq, a, &ds, &nd, err);
    if (!rc)
        rc = store_inc_events(tx, i->id, scope, a, &ev, &ne, err);
    if (!rc)
        rc = store_evidence_list(tx, i->id, scope, a, &evi, &nv, err);
    if (!rc)
        rc = store_incident_related(tx, i->id, a, &kids, &nk, &dups, &nm, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t k = nd; k-- > 0;) /* oldest first */
        json_array_append_new(arr, api_dispatch_json(&ds[k], true));
    json_object_set_new(o, "dispatches", arr);
    arr = json_array();
    for (size_t k = 0; k < ne; k++)
        json_array_append_new(arr, api_inc_event_json(&ev[k]));
    json_object_set_new(o, "timeline", arr);
    arr = json_array();
    for (size_t k = 0; k < nv; k++)
        json_array_append_new(arr, api_evidence_json(&evi[k]));
    json_object_set_new(o, "evidence", arr);
    if (scope)
        return YJ_OK;
    arr = json_array();
    for (size_t k = 0; k < nk; k++)
        json_array_append_new(arr, api_incident_json(&kids[k], false));
    json_object_set_new(o, "children", arr);
    arr = json_array();
    for (size_t k = 0; k < nm; k++)
        json_array_append_new(arr, api_incident_json(&dups[k], false));
    json_object_set_new(o, "merged", arr);

    /* Upward reporting: what is due, by when (STANDARDS.md §3), counted as the
     * reporting routes count it. */
    struct api_reporting ctx;
    if ((rc = api_reporting_of(tx, i, a, &ctx, err)))
        return rc;
    json_object_set_new(o, "reporting", api_reporting_duties(&ctx, now));
    return YJ_OK;
}

void api_incidents_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_incident i;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (!load_for(req, resp, &who, AUTH_INCIDENT_READ, tx, id, &i)) {
        store_tx_end(tx);
        return;
    }
    json_t *o = api_incident_json(&i, true);
    enum yj_err rc = detail(tx, req->arena, &who, &i, yj_now_ms(app->clock), o, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(o);
        api_fail(resp, &err);
        return;
    }
    send_incident(req, resp, 200, o, i.version);
}

void api_incidents_board(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const none[] = {NULL};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REPORT_READ, NULL) || !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_board_cell *cells;
    struct store_dispatch *live;
    size_t nc, nl;
    struct store_dispatch_query dq = {.live_only = true, .by_deadline = true, .limit = 200};
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_incident_board(tx, req->arena, &cells, &nc, &err);
    if (!rc)
        rc = store_dispatch_list(tx, &dq, req->arena, &live, &nl, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *arr = json_array();
    int64_t open = 0;
    for (size_t k = 0; k < nc; k++) {
        open += cells[k].count;
        json_array_append_new(
            arr, json_pack("{s:o,s:s,s:I}", "level",
                           cells[k].level ? json_string(cells[k].level) : json_null(), "status",
                           inc_status_code(cells[k].status), "count", (json_int_t)cells[k].count));
    }
    /* The clocks: live dispatches, the nearest deadline first, breaches on top. */
    json_t *clocks = json_array();
    for (size_t k = 0; k < nl; k++)
        json_array_append_new(clocks, api_dispatch_json(&live[k], false));
    json_t *o = json_pack("{s:I,s:o,s:o,s:o}", "open", (json_int_t)open, "cells", arr, "clocks",
                          clocks, "now", api_time(yj_now_ms(app->clock)));
    http_response_json(resp, 200, o);
}

/* --- changes -------------------------------------------------------------------------------- */

/* The common frame of an authority's change to one incident: If-Match, load, change
 * (by fn), timeline, audit, commit, answer with the incident. */
typedef enum yj_err (*change_fn)(struct api_app *app, struct http_request *req,
                                 const struct auth_subject *who, struct store_tx *tx, json_t *body,
                                 struct store_incident *i, int64_t now, json_t **event,
                                 const char **kind, struct yj_error *err);

static void change(struct api_app *app, struct http_request *req, struct http_response *resp,
                   const char *action, change_fn fn)
{
    struct auth_subject who;
    int64_t id, want;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_MANAGE, NULL) ||
        !(want = api_if_match(req, resp, true)) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_incident i;
    json_t *event = NULL;
    const char *kind = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_incident_get(tx, id, req->arena, &i, &err);
    if (!rc && want > 0 && want != i.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the incident changed meanwhile");
    if (!rc && i.status == INC_CLOSED)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status", "the incident is closed");
    if (!rc && i.merged_into)
        rc = yj_error_set(&err, YJ_ECONFLICT, "merged_into",
                          "merged into incident %lld: change that one", (long long)i.merged_into);
    if (!rc)
        rc = fn(app, req, &who, tx, body, &i, now, &event, &kind, &err);
    json_decref(body);
    if (!rc) {
        i.updated_at = now;
        rc = store_incident_update(tx, &i, &err);
    }
    char *changes = event ? json_dumps(event, JSON_COMPACT) : NULL;
    if (!rc)
        rc = api_inc_event(tx, i.id, now, &who, kind, 0, event, &err);
    else
        json_decref(event);
    if (!rc) {
        struct audit_entry e =
            api_audit_entry(&who, req, action, "incident", api_id_str(req->arena, i.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    free(changes);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_incident(req, resp, 200, api_incident_json(&i, true), i.version);
}

static enum yj_err do_patch(struct api_app *app, struct http_request *req,
                            const struct auth_subject *who, struct store_tx *tx, json_t *body,
                            struct store_incident *i, int64_t now, json_t **event,
                            const char **kind, struct yj_error *err)
{
    static const char *const keys[] = {"title",           "affected_org",
                                       "affected_system", "operator_type",
                                       "province",        "city",
                                       "discovered_at",   "description",
                                       "class_code",      "subclass_code",
                                       "indicators",      "ransom",
                                       "parent_id",       NULL};
    (void)app, (void)who;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = decode_fields(body, req->arena, i, false, err);
    if (!rc && i->discovered_at > now)
        rc = yj_error_set(err, YJ_EINVAL, "discovered_at", "is in the future");
    if (!rc)
        rc = check_class(tx, req->arena, i->class_code, i->subclass_code, err);
    const json_t *p = json_object_get(body, "parent_id");
    if (!rc && p && json_is_null(p))
        i->parent_id = 0;
    else if (!rc && p) {
        rc = api_get_int(body, "parent_id", false, 1, INT64_MAX, &i->parent_id, err);
        struct store_incident parent;
        if (!rc && i->parent_id == i->id)
            rc = yj_error_set(err, YJ_EINVAL, "parent_id", "an incident is not its own parent");
        if (!rc && store_incident_get(tx, i->parent_id, req->arena, &parent, err))
            rc = yj_error_set(err, YJ_EINVAL, "parent_id", "no such incident");
        /* Walk up from the new parent: meeting this incident means a cycle. The
         * depth bound only guards against a store already holding one. */
        for (int depth = 0; !rc && parent.parent_id; depth++) {
            if (parent.parent_id == i->id || depth > 64)
                rc = yj_error_set(err, YJ_EINVAL, "parent_id", "would make a cycle");
            else if (store_incident_get(tx, parent.parent_id, req->arena, &parent, err))
                rc = yj_error_set(err, YJ_EIO, "parent_id", "cannot read the parent chain");
        }
    }
    *event = json_deep_copy(body);
    *kind = "updated";
    return rc;
}

void api_incidents_patch(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, "incident.update", do_patch);
}

/* Grading: {"facts": {...}, "level": "major"?, "reason": "..."?}. Without a level the
 * proposal is confirmed; a level other than the proposal needs a reason. */
static enum yj_err do_grade(struct api_app *app, struct http_request *req,
                            const struct auth_subject *who, struct store_tx *tx, json_t *body,
                            struct store_incident *i, int64_t now, json_t **event,
                            const char **kind, struct yj_error *err)
{
    static const char *const keys[] = {"facts", "level", "reason", NULL};
    (void)app;
    struct inc_grading_facts f;
    struct inc_level *levels;
    struct inc_grading_rule *rules;
    size_t nl, nr;
    const char *level = NULL, *reason = NULL;
    struct inc_grade_proposal p;
    enum yj_err rc = api_check_keys(body, keys, err);
    json_t *given = json_object_get(body, "facts");
    json_t *none = given ? NULL : json_object();
    if (!rc)
        rc = api_grading_facts_decode(given ? given : none, &f, err);
    json_decref(none);
    if (!rc)
        rc = api_get_text(body, "level", false, 32, req->arena, &level, err);
    if (!rc)
        rc = api_get_text(body, "reason", false, INC_TEXT_MAX, req->arena, &reason, err);
    if (!rc)
        rc = store_inc_levels(tx, req->arena, &levels, &nl, err);
    if (!rc)
        rc = store_inc_grading_rules(tx, req->arena, &rules, &nr, err);
    if (!rc)
        rc = inc_grade_propose(&f, rules, nr, levels, nl, &p, err);
    if (rc)
        return rc;
    const struct inc_level *proposed = inc_level_by_severity(levels, nl, p.severity);
    const struct inc_level *chosen = level ? api_level_find(levels, nl, level) : proposed;
    if (level && !chosen)
        return yj_error_set(err, YJ_EINVAL, "level", "not a level code");
    if (!chosen)
        return yj_error_set(err, YJ_EINVAL, "level",
                            "give the facts for a proposal, or choose a level with a reason");
    bool override = !proposed || strcmp(chosen->code, proposed->code) != 0;
    if (override && (!reason || !*reason))
        return yj_error_set(err, YJ_EINVAL, "reason",
                            "choosing a level other than the proposal needs a reason");
    json_t *facts = api_grading_facts_json(&f);
    i->grading_facts = dump(req->arena, facts);
    i->level_proposed = proposed ? proposed->code : NULL;
    i->level_reason = yj_arena_strdup(req->arena, p.reason);
    i->level = chosen->code;
    i->level_override_reason = override ? reason : NULL;
    i->graded_at = now;
    i->graded_by = who->user_id;
    *event =
        json_pack("{s:s,s:o,s:s,s:o,s:o}", "level", chosen->code, "proposed",
                  proposed ? json_string(proposed->code) : json_null(), "reason", p.reason,
                  "override_reason", override ? json_string(reason) : json_null(), "facts", facts);
    *kind = "graded";
    return YJ_OK;
}

void api_incidents_grade(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, "incident.grade", do_grade);
}

/* {"to": "contained", "reason": "..."}: the states' rules in inc_transition_check. */
static enum yj_err do_status(struct api_app *app, struct http_request *req,
                             const struct auth_subject *who, struct store_tx *tx, json_t *body,
                             struct store_incident *i, int64_t now, json_t **event,
                             const char **kind, struct yj_error *err)
{
    static const char *const keys[] = {"to", "reason", NULL};
    (void)app, (void)who;
    const char *to_code, *reason = NULL;
    enum inc_status to;
    int64_t live = 0;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_text(body, "to", true, 32, req->arena, &to_code, err);
    if (!rc && inc_status_parse(to_code, &to))
        rc = yj_error_set(err, YJ_EINVAL, "to", "unknown status");
    if (!rc)
        rc = api_get_text(body, "reason", false, INC_TEXT_MAX, req->arena, &reason, err);
    if (!rc)
        rc = store_dispatch_live_count(tx, i->id, &live, err);
    if (rc)
        return rc;
    int64_t subs = 0;
    if (i->class_code && (rc = store_inc_class_children(tx, i->class_code, &subs, err)))
        return rc;
    bool final_complete = false;
    if (i->final_report) {
        json_t *fr = json_loads(i->final_report, 0, NULL);
        struct inc_form_value v[16];
        size_t n = 0;
        const char *k;
        json_t *x;
        json_object_foreach (fr, k, x)
            if (n < YJ_ARRAY_LEN(v))
                v[n++] = (struct inc_form_value){k, json_string_value(x)};
        rc = inc_form_check(inc_final_items, inc_final_items_count, v, n, NULL, &final_complete,
                            err);
        json_decref(fr);
        if (rc)
            return rc;
    }
    struct inc_transition_facts f = {
        .classified = i->class_code && (subs == 0 || i->subclass_code),
        .graded = i->level != NULL,
        .live_dispatches = (int)live,
        .final_report_complete = final_complete,
        .merged = i->merged_into != 0,
    };
    if (to == INC_IN_PROGRESS && i->status == INC_RESOLVED && (!reason || !*reason))
        return yj_error_set(err, YJ_EINVAL, "reason", "reopening needs a reason");
    if ((rc = inc_transition_check(i->status, to, &f, err)))
        return rc;
    *event = json_pack("{s:s,s:s,s:o}", "from", inc_status_code(i->status), "to",
                       inc_status_code(to), "reason", reason ? json_string(reason) : json_null());
    i->status = to;
    if (to == INC_RESOLVED)
        i->resolved_at = now;
    if (to == INC_IN_PROGRESS)
        i->resolved_at = 0;
    if (to == INC_CLOSED)
        i->closed_at = now;
    *kind = "status";
    return YJ_OK;
}

void api_incidents_status(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, "incident.status", do_status);
}

/* The final report: {"cause": "...", "impact": ..., ...}; items may be filled over time,
 * closing checks that all are. */
static enum yj_err do_final(struct api_app *app, struct http_request *req,
                            const struct auth_subject *who, struct store_tx *tx, json_t *body,
                            struct store_incident *i, int64_t now, json_t **event,
                            const char **kind, struct yj_error *err)
{
    (void)app, (void)who, (void)tx, (void)now;
    struct inc_form_value v[16];
    size_t n = 0;
    const char *k;
    json_t *x;
    json_object_foreach (body, k, x) {
        if (n == YJ_ARRAY_LEN(v))
            return yj_error_set(err, YJ_EINVAL, k, "unknown item");
        if (!json_is_string(x) && !json_is_null(x))
            return yj_error_set(err, YJ_EINVAL, k, "must be a string");
        v[n++] = (struct inc_form_value){k, json_string_value(x)};
    }
    bool complete = false;
    enum yj_err rc =
        inc_form_check(inc_final_items, inc_final_items_count, v, n, NULL, &complete, err);
    if (rc) {
        /* inc_form_check names "content.<code>"; this body is the content itself. */
        if (strncmp(err->field, "content.", 8) == 0)
            memmove(err->field, err->field + 8, strlen(err->field + 8) + 1);
        return rc;
    }
    i->final_report = dump(req->arena, body);
    *event = json_pack("{s:b}", "complete", complete);
    *kind = "final_report";
    return YJ_OK;
}

void api_incidents_final_report(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, "incident.final_report", do_final);
}

/* {"into": 12}: this incident is a duplicate of incident 12. Its history stays; it
 * stops moving and the survivor lists it. */
static enum yj_err do_merge(struct api_app *app, struct http_request *req,
                            const struct auth_subject *who, struct store_tx *tx, json_t *body,
                            struct store_incident *i, int64_t now, json_t **event,
                            const char **kind, struct yj_error *err)
{
    static const char *const keys[] = {"into", "reason", NULL};
    int64_t into = 0;
    const char *reason = NULL;
    struct store_incident target;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_int(body, "into", true, 1, INT64_MAX, &into, err);
    if (!rc)
        rc = api_get_text(body, "reason", false, INC_TEXT_MAX, req->arena, &reason, err);
    if (!rc && into == i->id)
        rc = yj_error_set(err, YJ_EINVAL, "into", "an incident is not its own duplicate");
    if (!rc && store_incident_get(tx, into, req->arena, &target, err))
        rc = yj_error_set(err, YJ_EINVAL, "into", "no such incident");
    if (!rc && target.merged_into)
        rc = yj_error_set(err, YJ_EINVAL, "into", "that incident is itself merged");
    if (!rc && i->status == INC_CLOSED)
        rc = yj_error_set(err, YJ_ECONFLICT, "status", "a closed incident is not merged");
    if (!rc)
        rc = api_inc_event(tx, into, now, who, "merged_in", 0,
                           json_pack("{s:I,s:s}", "from", (json_int_t)i->id, "title", i->title),
                           err);
    (void)app;
    if (rc)
        return rc;
    i->merged_into = into;
    *event = json_pack("{s:I,s:o}", "into", (json_int_t)into, "reason",
                       reason ? json_string(reason) : json_null());
    *kind = "merged";
    return YJ_OK;
}

void api_incidents_merge(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, "incident.merge", do_merge);
}

/* A note on the timeline: the authority's is the incident's; a unit's is its own and
 * only it and the authority see it. */
void api_incidents_note(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_incident i;
    static const char *const keys[] = {"text", NULL};
    const char *text = NULL;
    int64_t now = yj_now_ms(app->clock);
    if (store_write_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (!load_for(req, resp, &who, AUTH_EVIDENCE_ADD, tx, id, &i) ||
        !(body = api_body(req, resp))) {
        store_tx_end(tx);
        return;
    }
    int64_t unit = who.role == AUTH_ROLE_UNIT ? who.unit_id : 0;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_text(body, "text", true, INC_TEXT_MAX, req->arena, &text, &err);
    json_decref(body);
    if (!rc)
        rc = api_inc_event(tx, id, now, &who, "note", unit, json_pack("{s:s}", "text", text), &err);
    if (!rc) {
        struct audit_entry e = api_audit_entry(&who, req, "incident.note", "incident",
                                               api_id_str(req->arena, id), NULL);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201,
                       json_pack("{s:I,s:s,s:o}", "incident_id", (json_int_t)id, "text", text, "at",
                                 api_time(now)));
}
