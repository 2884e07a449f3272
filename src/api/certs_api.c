/*
 * certs_api.c - /api/v1/certificates, their status changes (ETag/If-Match),
 * the revocation causes, change reports and re-qualification tasks. Handlers
 * decode, ask the policy, and leave the rules and the audit records to the
 * certs module; reads first let certs_expire_due record any expiry that time
 * has brought, so what they show is what is stored.
 */
#include "api/api_certs.h"
#include "api/api_int.h"

static struct cert_actor actor_of(const struct auth_subject *who, const struct http_request *req)
{
    struct cert_actor a = {who->user_id, who->username, req->client_ip};
    return a;
}

/* A query argument that must be a positive id when present (*out 0 when absent). */
static bool query_id(struct http_request *req, struct http_response *resp, const char *name,
                     int64_t *out)
{
    const char *v = http_query(req, name);
    *out = 0;
    if (!v || !*v || yj_parse_i64(v, 1, INT64_MAX, out) == 0)
        return true;
    struct yj_error err;
    yj_error_set(&err, YJ_EINVAL, name, "must be a positive whole number");
    api_fail(resp, &err);
    return false;
}

static void fail_code(struct http_response *resp, enum yj_err code, const char *field,
                      const char *msg)
{
    struct yj_error err;
    yj_error_set(&err, code, field, "%s", msg);
    api_fail(resp, &err);
}

/* --- encoding ----------------------------------------------------------------------------- */

static json_t *cert_json(const struct cert *c, int64_t now)
{
    json_t *o =
        json_pack("{s:I,s:s,s:I,s:o,s:o}", "id", (json_int_t)c->id, "number", c->number, "unit_id",
                  (json_int_t)c->unit_id, "campaign_id", api_id_or_null(c->campaign_id),
                  "application_id", api_id_or_null(c->application_id));
    if (!o)
        return NULL;
    json_object_set_new(o, "holder_name", json_string(c->holder_name));
    json_object_set_new(o, "title", json_string(c->title));
    json_object_set_new(o, "issuing_authorities", json_string(c->issuing_authorities));
    json_object_set_new(o, "valid_from", json_string(c->valid_from));
    json_object_set_new(o, "valid_to", json_string(c->valid_to));
    json_object_set_new(o, "status",
                        json_string(cert_status_code(cert_status_at(c->status, c->valid_to, now))));
    json_object_set_new(o, "version", json_integer(c->version));
    json_object_set_new(o, "created_at", api_time(c->created_at));
    json_object_set_new(o, "updated_at", api_time(c->updated_at));
    return o;
}

static json_t *history_json(const struct cert_event *ev, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        const struct cert_event *e = &ev[i];
        json_array_append_new(
            arr, json_pack("{s:I,s:s?,s:s,s:s?,s:s?,s:o,s:o}", "seq", (json_int_t)e->seq, "from",
                           e->has_from ? cert_status_code(e->from) : NULL, "status",
                           cert_status_code(e->to), "cause", e->cause, "reason", e->reason, "at",
                           api_time(e->at), "actor_id", api_id_or_null(e->actor_id)));
    }
    return arr;
}

static json_t *requal_json(const struct cert_requal *t)
{
    json_t *o =
        json_pack("{s:I,s:I,s:o,s:s,s:s,s:o,s:I,s:s}", "id", (json_int_t)t->id, "unit_id",
                  (json_int_t)t->unit_id, "certificate_id", api_id_or_null(t->certificate_id),
                  "kind", cert_change_kind_code(t->kind), "description", t->description,
                  "reported_at", api_time(t->reported_at), "reported_by",
                  (json_int_t)t->reported_by, "status", t->closed ? "closed" : "open");
    if (!o)
        return NULL;
    json_object_set_new(o, "decision", t->decision ? json_string(t->decision) : json_null());
    json_object_set_new(o, "closed_at", api_time(t->closed_at));
    json_object_set_new(o, "closed_by", api_id_or_null(t->closed_by));
    return o;
}

/* --- certificates -------------------------------------------------------------------------- */

void api_certs_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"unit_id", "campaign_id", "status",
                                          "limit",   "cursor",      NULL};
    struct auth_subject who;
    struct api_page page;
    struct store_cert_query q = {0};
    enum cert_status status;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CERT_READ, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page) || !query_id(req, resp, "unit_id", &q.unit_id) ||
        !query_id(req, resp, "campaign_id", &q.campaign_id))
        return;
    q.status = http_query(req, "status");
    if (q.status && !*q.status)
        q.status = NULL;
    if (q.status && cert_status_parse(q.status, &status) != 0) {
        fail_code(resp, YJ_EINVAL, "status", "not a certificate status");
        return;
    }
    if (auth_policy_scope(who.role, AUTH_CERT_READ) == AUTH_OWN_UNIT) {
        if (q.unit_id && q.unit_id != who.unit_id) {
            api_list(resp, json_array(), false, 0); /* another unit's: none visible */
            return;
        }
        q.unit_id = who.unit_id;
    }
    q.after_id = page.after;
    q.limit = page.limit + 1;
    int64_t now = yj_now_ms(app->clock);
    /* So that the status filter sees expiries that time has brought; a failure is
     * logged, and the statuses shown are computed at now anyway. */
    certs_expire_due(app->store, 0, now, NULL, NULL);
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct cert *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_cert_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, cert_json(&items[i], now));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* Answers a certificate with its history and ETag. */
static void answer_cert(struct http_request *req, struct http_response *resp, const struct cert *c,
                        const struct cert_event *ev, size_t n, int64_t now, json_t *extra)
{
    json_t *o = cert_json(c, now);
    if (o)
        json_object_set_new(o, "history", history_json(ev, n));
    if (o && extra)
        json_object_update(o, extra);
    json_decref(extra);
    http_response_json(resp, 200, o);
    http_response_header(resp, "ETag", api_etag(req->arena, c->version));
}

void api_certs_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CERT_READ, NULL) || !(id = api_param_id(req, resp, 0)) ||
        !api_query_only(req, resp, none))
        return;
    int64_t now = yj_now_ms(app->clock);
    certs_expire_due(app->store, id, now, NULL, NULL);
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct cert c;
    struct cert_event *ev = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_cert_get(tx, id, req->arena, &c, &err);
    struct auth_object obj = {.unit_id = rc ? 0 : c.unit_id};
    if (!rc)
        rc = auth_policy_check(&who, AUTH_CERT_READ, &obj, &err);
    if (!rc)
        rc = store_cert_events(tx, id, req->arena, &ev, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    answer_cert(req, resp, &c, ev, n, now, NULL);
}

/* Decodes {"status","cause","reason"}; answers and returns false when bad. */
static bool status_decode(struct http_request *req, struct http_response *resp, const json_t *body,
                          struct cert_status_change *ch)
{
    static const char *const keys[] = {"status", "cause", "reason", NULL};
    struct yj_error err;
    const char *status = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "status", true, req->arena, &status, &err);
    if (!rc && cert_status_parse(status, &ch->to) != 0)
        rc = yj_error_set(&err, YJ_EINVAL, "status",
                          "must be valid, suspended, cancelled or revoked");
    if (!rc)
        rc = api_get_string(body, "cause", false, req->arena, &ch->cause, &err);
    if (!rc)
        rc = api_get_string(body, "reason", false, req->arena, &ch->reason, &err);
    if (rc)
        api_fail(resp, &err);
    return rc == YJ_OK;
}

void api_certs_status(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct cert_status_change ch = {0};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CERT_MANAGE, NULL) ||
        !(ch.cert_id = api_param_id(req, resp, 0)) ||
        !(ch.expected_version = api_if_match(req, resp, true)))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    bool ok = status_decode(req, resp, body, &ch);
    json_decref(body);
    if (!ok)
        return;
    int64_t now = yj_now_ms(app->clock);
    /* An expiry due now is recorded first, so that it is what the change meets. */
    certs_expire_due(app->store, ch.cert_id, now, NULL, NULL);
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct cert cur, c;
    struct cert_ban ban;
    bool banned = false;
    struct cert_event *ev = NULL;
    size_t n = 0;
    struct cert_actor actor = actor_of(&who, req);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_cert_get(tx, ch.cert_id, req->arena, &cur, &err);
    struct auth_object obj = {.unit_id = rc ? 0 : cur.unit_id};
    if (!rc)
        rc = auth_policy_check(&who, AUTH_CERT_MANAGE, &obj, &err);
    if (!rc)
        rc = certs_status_change(tx, &ch, now, &actor, req->arena, &c, &ban, &banned, &err);
    if (!rc)
        rc = store_cert_events(tx, c.id, req->arena, &ev, &n, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *extra = NULL;
    if (banned)
        extra = json_pack("{s:{s:I,s:s,s:s,s:s}}", "ban", "id", (json_int_t)ban.id, "cause",
                          ban.cause, "starts_on", ban.starts_on, "ends_on", ban.ends_on);
    answer_cert(req, resp, &c, ev, n, now, extra);
}

void api_reference_revocation_causes(void *vapp, struct http_request *req,
                                     struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REFERENCE_READ, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct cert_cause *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_cert_causes(tx, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I}", "code", items[i].code, "name_zh",
                                             items[i].name_zh, "name_en", items[i].name_en,
                                             "ban_years", (json_int_t)items[i].ban_years));
    api_list(resp, arr, false, 0);
}

/* --- change reports and re-qualification tasks ------------------------------------------------ */

void api_change_reports_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"kind", "description", NULL};
    struct auth_subject who;
    int64_t unit_id;
    if (!api_authenticate(app, req, resp, &who) || !(unit_id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = unit_id};
    if (!api_allow(req, resp, &who, AUTH_CHANGE_REPORT, &obj))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *kind_code = NULL, *description = NULL;
    enum cert_change_kind kind = CERT_CHANGE_OWNERSHIP;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "kind", true, req->arena, &kind_code, &err);
    if (!rc && cert_change_kind_parse(kind_code, &kind) != 0)
        rc = yj_error_set(&err, YJ_EINVAL, "kind", "must be ownership or legal_representative");
    if (!rc)
        rc = api_get_string(body, "description", false, req->arena, &description, &err);
    json_decref(body);
    struct store_tx *tx = NULL;
    struct cert_requal t;
    struct cert_actor actor = actor_of(&who, req);
    int64_t now = yj_now_ms(app->clock);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = certs_change_report(tx, unit_id, kind, description, now, &actor, req->arena, &t, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201, requal_json(&t));
    http_response_header(
        resp, "Location",
        yj_arena_printf(req->arena, "/api/v1/requalification-tasks/%lld", (long long)t.id));
}

void api_requal_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"unit_id", "status", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    struct store_requal_query q = {.state = -1};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REQUAL_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page) ||
        !query_id(req, resp, "unit_id", &q.unit_id))
        return;
    const char *status = http_query(req, "status");
    if (status && *status) {
        if (strcmp(status, "open") != 0 && strcmp(status, "closed") != 0) {
            fail_code(resp, YJ_EINVAL, "status", "must be open or closed");
            return;
        }
        q.state = strcmp(status, "closed") == 0;
    }
    if (auth_policy_scope(who.role, AUTH_REQUAL_READ) == AUTH_OWN_UNIT) {
        if (q.unit_id && q.unit_id != who.unit_id) {
            api_list(resp, json_array(), false, 0);
            return;
        }
        q.unit_id = who.unit_id;
    }
    q.after_id = page.after;
    q.limit = page.limit + 1;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct cert_requal *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_requal_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, requal_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_requal_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REQUAL_READ, NULL) || !(id = api_param_id(req, resp, 0)) ||
        !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct cert_requal t;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_requal_get(tx, id, req->arena, &t, &err);
    store_tx_end(tx);
    struct auth_object obj = {.unit_id = rc ? 0 : t.unit_id};
    if (!rc)
        rc = auth_policy_check(&who, AUTH_REQUAL_READ, &obj, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, requal_json(&t));
}

void api_requal_decide(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"decision", "close", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REQUAL_DECIDE, NULL) || !(id = api_param_id(req, resp, 0)))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *decision = NULL;
    bool close = false;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "decision", true, req->arena, &decision, &err);
    if (!rc)
        rc = api_get_bool(body, "close", &close, &err);
    json_decref(body);
    struct store_tx *tx = NULL;
    struct cert_requal cur, t;
    struct cert_actor actor = actor_of(&who, req);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_requal_get(tx, id, req->arena, &cur, &err);
    struct auth_object obj = {.unit_id = rc ? 0 : cur.unit_id};
    if (!rc)
        rc = auth_policy_check(&who, AUTH_REQUAL_DECIDE, &obj, &err);
    if (!rc)
        rc = certs_requal_decide(tx, id, decision, close, yj_now_ms(app->clock), &actor, req->arena,
                                 &t, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, requal_json(&t));
}
