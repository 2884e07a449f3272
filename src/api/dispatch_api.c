/*
 * dispatch_api.c - sending units to an incident and their answers: suggestions,
 * dispatch (notices to the unit's on-call person, interface person and users, with
 * the deadlines of the 2-hour commitment stored as timers), the unit's inbox and
 * one-click steps, the unit's notes, and re-dispatch to another unit.
 */
#include <time.h>

#include "api/api_incidents.h"
#include "api/api_int.h"
#include "notify/notify.h"

enum { REPEAT_EVERY_MS = 5 * 60 * 1000 }; /* urgent notices repeat until acknowledged */
/* Suggestions count a unit's breaches of the last year. */
static const int64_t BREACH_WINDOW_MS = 365LL * 24 * 3600 * 1000;

/* "2026-11-22 15:33" (China Standard Time) into the arena. */
const char *api_cst(struct yj_arena *a, int64_t ms)
{
    time_t t = (time_t)((ms + 8 * 3600 * 1000LL) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return yj_arena_printf(a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                           tm.tm_mday, tm.tm_hour, tm.tm_min);
}

enum yj_err api_unit_recipients(struct store_tx *tx, int64_t unit_id, int64_t now, bool leads,
                                struct yj_arena *a, struct notify_recipient *to, size_t max,
                                size_t *n, struct yj_error *err)
{
    struct unit u;
    int64_t *ids;
    size_t nid;
    enum yj_err rc = store_unit_get(tx, unit_id, false, a, &u, err);
    if (!rc)
        rc = store_user_ids(tx, unit_id, NULL, a, &ids, &nid, err);
    if (rc)
        return rc;
    *n = 0;
    for (size_t i = 0; i < u.n_oncall && *n < max; i++)
        if (u.oncall[i].starts_at <= now && now < u.oncall[i].ends_at)
            to[(*n)++] = (struct notify_recipient){u.oncall[i].person, NULL, u.oncall[i].mobile, 0};
    for (size_t i = 0; i < u.n_contacts && *n < max; i++) {
        enum unit_contact_role r = u.contacts[i].role;
        bool wanted =
            r == UNIT_CONTACT_INTERFACE ||
            (leads && (r == UNIT_CONTACT_EMERGENCY_LEAD || r == UNIT_CONTACT_SUPPORT_LEAD));
        if (wanted)
            to[(*n)++] = (struct notify_recipient){u.contacts[i].name, u.contacts[i].email,
                                                   u.contacts[i].mobile, 0};
    }
    for (size_t i = 0; i < nid && *n < max; i++)
        to[(*n)++] = (struct notify_recipient){NULL, NULL, NULL, ids[i]};
    return YJ_OK;
}

/* Queues the notice of dispatch d (repeat > 0: the repeat-th reminder). */
enum yj_err api_dispatch_notice(struct store_tx *tx, const struct store_dispatch *d,
                                const struct store_incident *i, const char *level_zh, int repeat,
                                int64_t now, struct yj_arena *a, struct yj_error *err)
{
    struct notify_recipient to[NOTIFY_RECIPIENTS_MAX];
    size_t n;
    enum yj_err rc =
        api_unit_recipients(tx, d->unit_id, now, false, a, to, YJ_ARRAY_LEN(to), &n, err);
    if (rc)
        return rc;
    struct notify_message m = {
        .event = "dispatch.notified",
        .subject = yj_arena_printf(a, "%s【应急派单】%s（%s）", repeat ? "【再次提醒】" : "",
                                   i->title, level_zh),
        .text = yj_arena_printf(
            a,
            "主管部门派你单位参与网络安全事件应急处置。\n\n事件：%s\n级别：%s\n受影响单位：%s\n"
            "\n请于 %s（北京时间）前确认接单；并于 %s 前启动应急预案、技术人员到达现场"
            "（2小时应急响应承诺）。\n%s%s",
            i->title, level_zh, i->affected_org, api_cst(a, d->d.ack_due_at),
            api_cst(a, d->d.commit_due_at), d->instructions ? "\n处置要求：" : "",
            d->instructions ? d->instructions : ""),
        .link = yj_arena_printf(a, "/#/dispatches/%lld", (long long)d->id),
        .ref_type = "dispatch",
        .ref_id = d->id,
        .dedupe = yj_arena_printf(a, "dispatch:%lld:notice:%d", (long long)d->id, repeat),
    };
    return notify_enqueue(tx, &m, to, n, now, NULL, err);
}

/* --- suggestions ------------------------------------------------------------------------ */

/* The name of unit id among c[0..n), which the store returns in id order. */
static const char *name_of(const struct store_candidate *c, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].c.unit_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && c[lo].c.unit_id == id ? c[lo].unit_name : "";
}

void api_dispatch_suggestions(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    static const char *const allowed[] = {"field", "limit", NULL};
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_DISPATCH_MANAGE, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_incident i;
    struct store_candidate *c = NULL;
    size_t n = 0;
    int64_t now = yj_now_ms(app->clock), limit = 20;
    const char *field = http_query(req, "field");
    const char *lim = http_query(req, "limit");
    if (lim && yj_parse_i64(lim, 1, 200, &limit)) {
        yj_error_set(&err, YJ_EINVAL, "limit", "must be 1 to 200");
        api_fail(resp, &err);
        return;
    }
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_incident_get(tx, id, req->arena, &i, &err);
    if (!rc)
        rc = store_dispatch_candidates(tx, field ? field : "emergency_handling", i.province, i.city,
                                       now, now - BREACH_WINDOW_MS, req->arena, &c, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    /* inc_suggest_rank's order is the answer's; the names come from the store rows. */
    struct inc_candidate *r = yj_arena_calloc(req->arena, n ? n : 1, sizeof *r);
    for (size_t k = 0; k < n; k++)
        r[k] = c[k].c;
    inc_suggest_rank(r, n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n && (int64_t)k < limit; k++)
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:i,s:s,s:b,s:b,s:b,s:b,s:b,s:i,s:i}", "unit_id",
                      (json_int_t)r[k].unit_id, "unit_name", name_of(c, n, r[k].unit_id), "score",
                      r[k].score, "reason", r[k].reason, "on_call_now", r[k].on_call_now,
                      "has_field", r[k].has_field, "same_city", r[k].same_city, "same_province",
                      r[k].same_province, "certified", r[k].certified, "open_dispatches",
                      r[k].open_dispatches, "recent_breaches", r[k].recent_breaches));
    http_response_json(
        resp, 200,
        json_pack("{s:o,s:s}", "items", arr, "field", field ? field : "emergency_handling"));
}

/* --- dispatching ------------------------------------------------------------------------- */

enum yj_err api_dispatch_open(struct store_tx *tx, const struct auth_subject *who,
                              const struct store_incident *i, const struct inc_level *lvl,
                              int64_t unit_id, bool urgent, const char *instructions,
                              int64_t replaces, int64_t now, struct yj_arena *a,
                              struct store_dispatch *out, struct yj_error *err)
{
    memset(out, 0, sizeof *out);
    out->incident_id = i->id;
    out->unit_id = unit_id;
    out->urgent = urgent;
    out->instructions = instructions;
    out->replaces = replaces;
    out->created_by = who ? who->user_id : 0;
    out->created_at = out->updated_at = now;
    inc_dispatch_start(&out->d, lvl, now);
    enum yj_err rc = store_dispatch_insert(tx, out, err);
    if (!rc)
        rc = store_timer_add(tx, "dispatch.ack", out->id, out->d.ack_due_at, err);
    if (!rc)
        rc = store_timer_add(tx, "dispatch.commitment", out->id, out->d.commit_due_at, err);
    if (!rc && urgent)
        rc = store_timer_add(tx, "dispatch.repeat", out->id, now + REPEAT_EVERY_MS, err);
    if (!rc)
        rc = store_dispatch_get(tx, out->id, a, out, err);
    if (!rc)
        rc = api_dispatch_notice(tx, out, i, lvl->name_zh, 0, now, a, err);
    if (!rc)
        rc =
            api_inc_event(tx, i->id, now, who, "dispatched", unit_id,
                          json_pack("{s:I,s:I,s:s,s:o,s:o,s:b}", "dispatch_id", (json_int_t)out->id,
                                    "unit_id", (json_int_t)unit_id, "unit_name", out->unit_name,
                                    "ack_due_at", api_time(out->d.ack_due_at), "commit_due_at",
                                    api_time(out->d.commit_due_at), "urgent", urgent),
                          err);
    return rc;
}

/* Loads the incident and its level for a dispatch: it must be classified (the
 * suggestions and the unit's brief depend on it), graded and open. */
static enum yj_err dispatchable(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                struct store_incident *i, struct inc_level *lvl,
                                struct yj_error *err)
{
    struct inc_level *levels;
    size_t nl;
    enum yj_err rc = store_incident_get(tx, id, a, i, err);
    if (!rc)
        rc = store_inc_levels(tx, a, &levels, &nl, err);
    if (rc)
        return rc;
    const struct inc_level *l = api_level_find(levels, nl, i->level);
    if (!i->class_code)
        return yj_error_set(err, YJ_ECONFLICT, "class_code",
                            "classify the incident first (GB/T 20986-2023)");
    if (!l)
        return yj_error_set(err, YJ_ECONFLICT, "level",
                            "grade the incident first: its level sets the deadlines");
    if (i->merged_into || i->status >= INC_RESOLVED)
        return yj_error_set(err, YJ_ECONFLICT, "status", "the incident is no longer open");
    *lvl = *l;
    return YJ_OK;
}

/* The incident moves to dispatched with its first dispatch. */
static enum yj_err mark_dispatched(struct store_tx *tx, struct store_incident *i, int64_t now,
                                   const struct auth_subject *who, struct yj_error *err)
{
    if (i->status != INC_REPORTED && i->status != INC_TRIAGED)
        return YJ_OK;
    enum inc_status from = i->status;
    i->status = INC_DISPATCHED;
    i->updated_at = now;
    enum yj_err rc = store_incident_update(tx, i, err);
    if (!rc)
        rc = api_inc_event(
            tx, i->id, now, who, "status", 0,
            json_pack("{s:s,s:s}", "from", inc_status_code(from), "to", "dispatched"), err);
    return rc;
}

/* POST {"unit_ids": [3, 7], "urgent": true, "instructions": "..."} */
void api_dispatch_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_DISPATCH_MANAGE, NULL) || !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"unit_ids", "urgent", "instructions", NULL};
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    bool urgent = false;
    const char *instructions = NULL;
    const json_t *ids = json_object_get(body, "unit_ids");
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && (!json_is_array(ids) || json_array_size(ids) == 0 ||
                json_array_size(ids) > INC_DISPATCH_UNITS_MAX))
        rc = yj_error_set(&err, YJ_EINVAL, "unit_ids", "1 to %d unit ids", INC_DISPATCH_UNITS_MAX);
    for (size_t k = 0; !rc && k < json_array_size(ids); k++) {
        json_t *v = json_array_get(ids, k);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            rc = yj_error_set(&err, YJ_EINVAL, "unit_ids", "must be unit ids");
        for (size_t j = 0; !rc && j < k; j++)
            if (json_integer_value(json_array_get(ids, j)) == json_integer_value(v))
                rc = yj_error_set(&err, YJ_EINVAL, "unit_ids", "a unit is named twice");
    }
    if (!rc)
        rc = api_get_bool(body, "urgent", &urgent, &err);
    if (!rc)
        rc = api_get_text(body, "instructions", false, INC_TEXT_MAX, req->arena, &instructions,
                          &err);
    if (rc) {
        json_decref(body);
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_incident i;
    struct inc_level lvl;
    json_t *out = json_array();
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = dispatchable(tx, id, req->arena, &i, &lvl, &err);
    for (size_t k = 0; !rc && k < json_array_size(ids); k++) {
        int64_t unit_id = json_integer_value(json_array_get(ids, k));
        struct unit u;
        struct store_dispatch d;
        if (store_unit_get(tx, unit_id, false, req->arena, &u, &err))
            rc = yj_error_set(&err, YJ_EINVAL, "unit_ids", "no unit %lld", (long long)unit_id);
        if (!rc)
            rc = api_dispatch_open(tx, &who, &i, &lvl, unit_id, urgent, instructions, 0, now,
                                   req->arena, &d, &err);
        /* The store names the row's column; this request names the list. */
        if (rc == YJ_ECONFLICT && strcmp(err.field, "unit_id") == 0)
            snprintf(err.field, sizeof err.field, "unit_ids[%zu]", k);
        if (!rc)
            json_array_append_new(out, api_dispatch_json(&d, true));
    }
    if (!rc)
        rc = mark_dispatched(tx, &i, now, &who, &err);
    if (!rc) {
        char *changes = json_dumps(body, JSON_COMPACT);
        struct audit_entry e = api_audit_entry(&who, req, "dispatch.create", "incident",
                                               api_id_str(req->arena, id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    json_decref(body);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    api_background_kick(app);
    http_response_json(resp, 201, json_pack("{s:o}", "items", out));
}

/* --- reading ----------------------------------------------------------------------------- */

void api_dispatch_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"unit_id", "status", "live", "limit", "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DISPATCH_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    int64_t unit = 0;
    const char *u = http_query(req, "unit_id");
    enum inc_dispatch_status st;
    const char *status = http_query(req, "status");
    if (u && yj_parse_i64(u, 1, INT64_MAX, &unit)) {
        yj_error_set(&err, YJ_EINVAL, "unit_id", "must be a unit id");
        api_fail(resp, &err);
        return;
    }
    if (status && inc_dispatch_status_parse(status, &st)) {
        yj_error_set(&err, YJ_EINVAL, "status", "unknown status");
        api_fail(resp, &err);
        return;
    }
    if (auth_policy_scope(who.role, AUTH_DISPATCH_READ) == AUTH_OWN_UNIT)
        unit = who.unit_id;
    struct store_dispatch_query q = {
        .unit_id = unit,
        .status = status,
        .live_only = http_query(req, "live") && strcmp(http_query(req, "live"), "1") == 0,
        .after_id = page.after,
        .limit = page.limit + 1,
    };
    struct store_tx *tx = NULL;
    struct store_dispatch *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_dispatch_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, api_dispatch_json(&items[k], true));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* Loads dispatch id and asks the policy about action on it (a unit: its own only). */
static bool load(struct http_request *req, struct http_response *resp,
                 const struct auth_subject *who, enum auth_action action, struct store_tx *tx,
                 int64_t id, struct store_dispatch *d)
{
    struct yj_error err;
    if (store_dispatch_get(tx, id, req->arena, d, &err)) {
        api_fail(resp, &err);
        return false;
    }
    struct auth_object obj = {.unit_id = d->unit_id};
    return api_allow(req, resp, who, action, &obj);
}

void api_dispatch_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_dispatch d;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    bool ok = load(req, resp, &who, AUTH_DISPATCH_READ, tx, id, &d);
    store_tx_end(tx);
    if (!ok)
        return;
    http_response_header(resp, "ETag", api_etag(req->arena, d.version));
    http_response_json(resp, 200, api_dispatch_json(&d, true));
}

/* The incident follows its dispatches: in progress once a unit works on it. */
static enum yj_err follow(struct store_tx *tx, const struct store_dispatch *d,
                          const struct auth_subject *who, int64_t now, struct yj_arena *a,
                          struct yj_error *err)
{
    struct store_incident i;
    enum yj_err rc = store_incident_get(tx, d->incident_id, a, &i, err);
    if (rc || i.status != INC_DISPATCHED ||
        (d->d.status != INC_D_ACCEPTED && d->d.status != INC_D_WORKING))
        return rc;
    i.status = INC_IN_PROGRESS;
    i.updated_at = now;
    rc = store_incident_update(tx, &i, err);
    if (!rc)
        rc = api_inc_event(tx, i.id, now, who, "status", 0,
                           json_pack("{s:s,s:s}", "from", "dispatched", "to", "in_progress"), err);
    return rc;
}

/* POST {"action": "accept" | "decline" | "plan_started" | "on_site" | "remote_support" |
 * "resolve" | "withdraw", "reason": "...", "people": "..."} */
void api_dispatch_action(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"action", "reason", "people", NULL};
    struct yj_error err;
    const char *code, *reason = NULL, *people = NULL;
    enum inc_dispatch_action act = INC_DA_ACCEPT;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_text(body, "action", true, 32, req->arena, &code, &err);
    if (!rc && inc_dispatch_action_parse(code, &act))
        rc = yj_error_set(&err, YJ_EINVAL, "action", "unknown action");
    if (!rc)
        rc = api_get_text(body, "reason", false, INC_TEXT_MAX, req->arena, &reason, &err);
    if (!rc)
        rc = api_get_text(body, "people", false, INC_NAME_MAX * 5, req->arena, &people, &err);
    if (!rc && (act == INC_DA_DECLINE || act == INC_DA_WITHDRAW) && (!reason || !*reason))
        rc = yj_error_set(&err, YJ_EINVAL, "reason", "required to %s", code);
    if (!rc && act == INC_DA_ON_SITE && !people)
        rc = yj_error_set(&err, YJ_EINVAL, "people", "name who is on site");
    char *changes = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (rc) {
        free(changes);
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_dispatch d;
    if (store_write_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    enum auth_action need = act == INC_DA_WITHDRAW ? AUTH_DISPATCH_MANAGE : AUTH_DISPATCH_RESPOND;
    if (!load(req, resp, &who, need, tx, id, &d)) {
        store_tx_end(tx);
        free(changes);
        return;
    }
    rc = inc_dispatch_apply(&d.d, act, now, &err);
    if (!rc) {
        if (act == INC_DA_DECLINE)
            d.decline_reason = reason;
        if (act == INC_DA_WITHDRAW)
            d.withdraw_reason = reason;
        if (act == INC_DA_ON_SITE)
            d.on_site_people = people;
        d.updated_at = now;
        rc = store_dispatch_update(tx, &d, &err);
    }
    /* Answered: no more reminders. Final: no deadline can be missed any more. */
    if (!rc && act != INC_DA_PLAN_STARTED && act != INC_DA_ON_SITE && act != INC_DA_REMOTE_SUPPORT)
        rc = store_timer_cancel(tx, "dispatch.repeat", d.id, now, &err);
    if (!rc)
        rc = api_inc_event(tx, d.incident_id, now, &who,
                           yj_arena_printf(req->arena, "dispatch.%s", code), d.unit_id,
                           json_pack("{s:I,s:s,s:o,s:o}", "dispatch_id", (json_int_t)d.id,
                                     "unit_name", d.unit_name, "reason",
                                     reason ? json_string(reason) : json_null(), "people",
                                     people ? json_string(people) : json_null()),
                           &err);
    if (!rc)
        rc = follow(tx, &d, &who, now, req->arena, &err);
    if (!rc) {
        struct audit_entry e =
            api_audit_entry(&who, req, yj_arena_printf(req->arena, "dispatch.%s", code), "dispatch",
                            api_id_str(req->arena, d.id), changes);
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
    http_response_header(resp, "ETag", api_etag(req->arena, d.version));
    http_response_json(resp, 200, api_dispatch_json(&d, true));
}

/* PUT {"text": "..."}: the unit's own notes on its dispatch. */
void api_dispatch_notes(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"text", NULL};
    struct yj_error err;
    const char *text = NULL;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_text(body, "text", false, INC_TEXT_MAX, req->arena, &text, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_dispatch d;
    if (store_write_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (!load(req, resp, &who, AUTH_DISPATCH_RESPOND, tx, id, &d)) {
        store_tx_end(tx);
        return;
    }
    d.unit_notes = text;
    d.updated_at = now;
    rc = store_dispatch_update(tx, &d, &err);
    if (!rc) {
        struct audit_entry e = api_audit_entry(&who, req, "dispatch.notes", "dispatch",
                                               api_id_str(req->arena, d.id), NULL);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, api_dispatch_json(&d, true));
}

/* POST {"unit_id": 9, "reason": "..."}: withdraws this dispatch and sends another unit
 * in its place (what the authority is offered after a missed deadline). */
void api_dispatch_redispatch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_DISPATCH_MANAGE, NULL) || !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"unit_id", "reason", "urgent", NULL};
    struct yj_error err;
    int64_t unit_id = 0, now = yj_now_ms(app->clock);
    const char *reason = NULL;
    bool urgent = true;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_int(body, "unit_id", true, 1, INT64_MAX, &unit_id, &err);
    if (!rc)
        rc = api_get_text(body, "reason", true, INC_TEXT_MAX, req->arena, &reason, &err);
    if (!rc)
        rc = api_get_bool(body, "urgent", &urgent, &err);
    char *changes = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (rc) {
        free(changes);
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_dispatch old, fresh;
    struct store_incident i;
    struct inc_level lvl;
    struct unit u;
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_dispatch_get(tx, id, req->arena, &old, &err);
    if (!rc && old.unit_id == unit_id)
        rc = yj_error_set(&err, YJ_EINVAL, "unit_id", "send another unit");
    if (!rc && store_unit_get(tx, unit_id, false, req->arena, &u, &err))
        rc = yj_error_set(&err, YJ_EINVAL, "unit_id", "no such unit");
    if (!rc && old.d.status != INC_D_DECLINED && old.d.status != INC_D_WITHDRAWN) {
        rc = inc_dispatch_apply(&old.d, INC_DA_WITHDRAW, now, &err);
        old.withdraw_reason = reason;
        old.updated_at = now;
        if (!rc)
            rc = store_dispatch_update(tx, &old, &err);
        static const char *const kinds[] = {"dispatch.ack", "dispatch.commitment",
                                            "dispatch.repeat"};
        for (size_t k = 0; !rc && k < YJ_ARRAY_LEN(kinds); k++)
            rc = store_timer_cancel(tx, kinds[k], old.id, now, &err);
    }
    if (!rc)
        rc = dispatchable(tx, old.incident_id, req->arena, &i, &lvl, &err);
    if (!rc)
        rc = api_dispatch_open(tx, &who, &i, &lvl, unit_id, urgent, old.instructions, old.id, now,
                               req->arena, &fresh, &err);
    if (!rc)
        /* The replaced unit's part: other units learn nothing of who replaced whom;
         * the new unit has its own "dispatched" entry. */
        rc = api_inc_event(tx, i.id, now, &who, "redispatched", old.unit_id,
                           json_pack("{s:I,s:I,s:s}", "from_dispatch", (json_int_t)old.id,
                                     "to_dispatch", (json_int_t)fresh.id, "reason", reason),
                           &err);
    if (!rc) {
        struct audit_entry e = api_audit_entry(&who, req, "dispatch.redispatch", "dispatch",
                                               api_id_str(req->arena, old.id), changes);
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
    api_background_kick(app);
    http_response_json(resp, 201, api_dispatch_json(&fresh, true));
}
