/*
 * drills_api.c - /api/v1/drills: the authority sends a test alert (演练) to units'
 * on-call contacts through the same outbox as a real dispatch notice; each unit
 * answers once, and its answer time is shown next to how fast it answered its
 * real dispatches, so a drill says whether the 7 x 24 contact really answers.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_work.h"
#include "notify/notify.h"
#include "store/store_work.h"

enum {
    DRILL_TITLE_MAX = 100, /* the subject "【演练】<title>" stays within NOTIFY_SUBJECT_MAX */
    DRILL_MESSAGE_MAX = 2000,
    DRILL_UNITS_MAX = 1000,
};

/* The median of sorted ms[0..n) (the mean of the middle two for an even n). */
static int64_t median(const int64_t *ms, size_t n)
{
    return n % 2 ? ms[n / 2] : ms[n / 2 - 1] + (ms[n / 2] - ms[n / 2 - 1]) / 2;
}

/* A target row with the unit's real dispatch answer times beside its drill answer. */
static enum yj_err target_json(struct store_tx *tx, const struct store_drill_target *t,
                               struct yj_arena *a, json_t **out, struct yj_error *err)
{
    int64_t *acks;
    size_t n;
    enum yj_err rc = store_work_dispatch_acks(tx, t->unit_id, a, &acks, &n, err);
    if (rc)
        return rc;
    json_t *o = json_object();
    json_object_set_new(o, "unit_id", json_integer(t->unit_id));
    json_object_set_new(o, "unit_name", api_str_or_null(t->unit_name));
    json_object_set_new(o, "notified_at", api_time(t->notified_at));
    json_object_set_new(o, "acked_at", api_time(t->acked_at));
    json_object_set_new(o, "acked_by", api_id_or_null(t->acked_by));
    json_object_set_new(o, "ack_ms",
                        t->acked_at ? json_integer(t->acked_at - t->notified_at) : json_null());
    json_object_set_new(o, "dispatch_ack_median_ms",
                        n ? json_integer(median(acks, n)) : json_null());
    json_object_set_new(o, "dispatch_acks", json_integer((json_int_t)n));
    *out = o;
    return YJ_OK;
}

/* The whole drill: its targets as far as unit_id (> 0: that unit's row only) may see. */
static enum yj_err drill_json(struct store_tx *tx, const struct store_drill *d, int64_t unit_id,
                              struct yj_arena *a, json_t **out, struct yj_error *err)
{
    struct store_drill_target *t;
    size_t n;
    enum yj_err rc = store_drill_targets(tx, d->id, unit_id, a, &t, &n, err);
    if (rc)
        return rc;
    json_t *targets = json_array();
    for (size_t k = 0; !rc && k < n; k++) {
        json_t *o = NULL;
        rc = target_json(tx, &t[k], a, &o, err);
        if (!rc)
            json_array_append_new(targets, o);
    }
    if (rc) {
        json_decref(targets);
        return rc;
    }
    *out = json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)d->id, "title", d->title,
                     "message", api_str_or_null(d->message), "sent_at", api_time(d->sent_at),
                     "created_by", api_id_or_null(d->created_by), "targets", targets);
    return YJ_OK;
}

/* Whether id is among the live units u[0..n), which the store returns in id order. */
static bool live(const struct store_work_unit *u, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && u[lo].id == id;
}

/* unit_ids: distinct live unit ids (absent: every live unit) into *ids[*n]. */
static enum yj_err decode_targets(const json_t *v, const struct store_work_unit *u, size_t nu,
                                  struct yj_arena *a, int64_t **ids, size_t *n,
                                  struct yj_error *err)
{
    if (!v || json_is_null(v)) {
        *ids = yj_arena_calloc(a, nu ? nu : 1, sizeof **ids);
        for (size_t k = 0; k < nu; k++)
            (*ids)[k] = u[k].id;
        *n = nu;
        return nu ? YJ_OK : yj_error_set(err, YJ_ECONFLICT, "unit_ids", "no live unit to alert");
    }
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > DRILL_UNITS_MAX)
        return yj_error_set(err, YJ_EINVAL, "unit_ids", "1 to %d unit ids", DRILL_UNITS_MAX);
    *n = json_array_size(v);
    *ids = yj_arena_calloc(a, *n, sizeof **ids);
    for (size_t k = 0; k < *n; k++) {
        json_t *e = json_array_get(v, k);
        if (!json_is_integer(e) || !live(u, nu, json_integer_value(e)))
            return yj_error_set(err, YJ_EINVAL, "unit_ids", "not a live unit: item %zu", k);
        (*ids)[k] = json_integer_value(e);
        for (size_t j = 0; j < k; j++)
            if ((*ids)[j] == (*ids)[k])
                return yj_error_set(err, YJ_EINVAL, "unit_ids", "a unit is named twice");
    }
    return YJ_OK;
}

/* Queues the test alert to one unit, as a dispatch notice goes: its on-call people and
 * interface person, its users in-app, and the webhooks. */
static enum yj_err alert(struct store_tx *tx, const struct store_drill *d, int64_t unit_id,
                         struct yj_arena *a, struct yj_error *err)
{
    struct notify_recipient to[NOTIFY_RECIPIENTS_MAX];
    size_t n;
    enum yj_err rc =
        api_unit_recipients(tx, unit_id, d->sent_at, false, a, to, YJ_ARRAY_LEN(to), &n, err);
    if (rc)
        return rc;
    struct notify_message m = {
        .event = "drill.alert",
        .subject = yj_arena_printf(a, "【演练】%s", d->title),
        .text = yj_arena_printf(
            a,
            "这是主管部门组织的应急联络演练（测试告警），不是真实事件。\n\n演练：%s\n发出时间：%s"
            "（北京时间）\n%s%s\n\n请收到后立即在系统中点击“确认收到”，系统将记录响应时间，"
            "并与你单位真实派单的确认时间一并展示。",
            d->title, api_cst(a, d->sent_at), d->message ? "\n说明：" : "",
            d->message ? d->message : ""),
        .link = yj_arena_printf(a, "/#/drills/%lld", (long long)d->id),
        .ref_type = "drill",
        .ref_id = d->id,
        .dedupe = yj_arena_printf(a, "drill:%lld:unit:%lld", (long long)d->id, (long long)unit_id),
    };
    return notify_enqueue(tx, &m, to, n, d->sent_at, NULL, err);
}

/* POST {"title", "message"?, "unit_ids"?: [...]} */
void api_drills_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DRILL_MANAGE, NULL) || !(body = api_body(req, resp)))
        return;
    static const char *const keys[] = {"title", "message", "unit_ids", NULL};
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_drill d = {.sent_at = now, .created_by = who.user_id};
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_text(body, "title", true, DRILL_TITLE_MAX, req->arena, &d.title, &err);
    if (!rc)
        rc = api_get_text(body, "message", false, DRILL_MESSAGE_MAX, req->arena, &d.message, &err);
    if (rc) {
        json_decref(body);
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_work_unit *units = NULL;
    size_t nu = 0, n = 0;
    int64_t *ids = NULL;
    json_t *out = NULL;
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_work_units(tx, req->arena, &units, &nu, &err);
    if (!rc)
        rc = decode_targets(json_object_get(body, "unit_ids"), units, nu, req->arena, &ids, &n,
                            &err);
    if (!rc)
        rc = store_drill_insert(tx, &d, &err);
    for (size_t k = 0; !rc && k < n; k++) {
        struct store_drill_target t = {.drill_id = d.id, .unit_id = ids[k], .notified_at = now};
        rc = store_drill_target_insert(tx, &t, &err);
        if (!rc)
            rc = alert(tx, &d, ids[k], req->arena, &err);
    }
    if (!rc) {
        json_t *ch = json_pack("{s:s,s:o,s:o}", "title", d.title, "message",
                               api_str_or_null(d.message), "unit_ids", json_array());
        for (size_t k = 0; k < n; k++)
            json_array_append_new(json_object_get(ch, "unit_ids"), json_integer(ids[k]));
        char *changes = json_dumps(ch, JSON_COMPACT);
        json_decref(ch);
        struct audit_entry e = api_audit_entry(&who, req, "drill.create", "drill",
                                               api_id_str(req->arena, d.id), changes);
        rc = changes ? audit_append(tx, &e, now, &err)
                     : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
        free(changes);
    }
    if (!rc)
        rc = drill_json(tx, &d, 0, req->arena, &out, &err);
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
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/drills/%lld", (long long)d.id));
    http_response_json(resp, 201, out);
}

void api_drills_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DRILL_READ, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    int64_t unit = auth_policy_scope(who.role, AUTH_DRILL_READ) == AUTH_OWN_UNIT ? who.unit_id : 0;
    struct store_tx *tx = NULL;
    struct store_drill *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_drill_list(tx, unit, page.after, page.limit + 1, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, json_pack("{s:I,s:s,s:o,s:I,s:I}", "id", (json_int_t)items[k].id,
                                             "title", items[k].title, "sent_at",
                                             api_time(items[k].sent_at), "targets_count",
                                             (json_int_t)items[k].targets_count, "acked_count",
                                             (json_int_t)items[k].acked_count));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/*
 * Opens a transaction, loads drill id and asks the policy whether who may read it or,
 * with ack, answer it (then in a write transaction): a unit reaches only a drill that
 * alerted it (*scope gets the unit whose row the caller sees, 0 for every row). On
 * failure answers resp, ends the transaction and returns false.
 */
static bool drill_begin(struct api_app *app, struct http_request *req, struct http_response *resp,
                        const struct auth_subject *who, bool ack, int64_t id, struct store_tx **tx,
                        struct store_drill *d, int64_t *scope)
{
    struct yj_error err;
    struct auth_object obj = {0};
    struct store_drill_target *t;
    size_t n = 0;
    enum yj_err rc =
        ack ? store_write_begin(app->store, tx, &err) : store_read_begin(app->store, tx, &err);
    if (!rc)
        rc = store_drill_get(*tx, id, req->arena, d, &err);
    *scope = 0;
    if (!rc && who->role == AUTH_ROLE_UNIT) {
        rc = store_drill_targets(*tx, id, who->unit_id, req->arena, &t, &n, &err);
        obj.unit_id = n ? who->unit_id : -1;
        *scope = who->unit_id;
    }
    if (!rc)
        rc = auth_policy_check(who, ack ? AUTH_DRILL_ACK : AUTH_DRILL_READ, &obj, &err);
    if (rc) {
        store_tx_end(*tx);
        api_fail(resp, &err);
    }
    return !rc;
}

void api_drills_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id, scope;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_drill d;
    json_t *out = NULL;
    if (!drill_begin(app, req, resp, &who, false, id, &tx, &d, &scope))
        return;
    enum yj_err rc = drill_json(tx, &d, scope, req->arena, &out, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, out);
}

/* POST (no body): the caller's unit answers the test alert. Again is fine: the first
 * answer's time stays, and only it is audited. */
void api_drills_ack(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id, scope;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_drill d;
    struct store_drill_target *t = NULL;
    size_t n = 0;
    bool changed = false;
    json_t *out = NULL;
    if (!drill_begin(app, req, resp, &who, true, id, &tx, &d, &scope))
        return;
    enum yj_err rc = store_drill_ack(tx, id, who.unit_id, who.user_id, now, &changed, &err);
    if (!rc)
        rc = store_drill_targets(tx, id, who.unit_id, req->arena, &t, &n, &err);
    if (!rc && n != 1)
        rc = yj_error_set(&err, YJ_EINTERNAL, NULL, "the target row is gone");
    if (!rc && changed) {
        const char *changes =
            yj_arena_printf(req->arena, "{\"unit_id\":%lld,\"ack_ms\":%lld}",
                            (long long)who.unit_id, (long long)(t[0].acked_at - t[0].notified_at));
        struct audit_entry e =
            api_audit_entry(&who, req, "drill.ack", "drill", api_id_str(req->arena, id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = target_json(tx, &t[0], req->arena, &out, &err);
    if (!rc && changed)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, out);
}
