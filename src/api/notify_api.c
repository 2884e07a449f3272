/*
 * notify_api.c - /api/v1/webhooks, /api/v1/notify/test, /api/v1/outbox and
 * /api/v1/notifications. Webhook changes and test messages are audited in their
 * own transaction; what a handler queues is handed to the background worker
 * with a kick once committed. A webhook's secret is write-only.
 */
#include "api/api_int.h"
#include "api/api_notify.h"
#include "notify/notify.h"

enum { WEBHOOK_NAME_MAX = 100, SECRET_MIN = 16, SECRET_MAX = 256, REF_TYPE_MAX = 64 };

static void fail_field(struct http_response *resp, enum yj_err code, const char *field,
                       const char *msg)
{
    struct yj_error err;
    yj_error_set(&err, code, field, "%s", msg);
    api_fail(resp, &err);
}

static json_t *ref_json(const char *type, int64_t id)
{
    if (!type)
        return json_null();
    return json_pack("{s:s,s:o}", "type", type, "id", id ? json_integer(id) : json_null());
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* --- webhooks --------------------------------------------------------------------------------- */

static json_t *webhook_json(const struct store_webhook *w)
{
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b,s:b}", "id", (json_int_t)w->id, "name", w->name,
                          "url", w->url, "events", w->events, "enabled", w->enabled, "has_secret",
                          w->secret != NULL);
    if (o) {
        json_object_set_new(o, "created_at", api_time(w->created_at));
        json_object_set_new(o, "updated_at", api_time(w->updated_at));
    }
    return o;
}

/* A webhook's fields as they go into an audit record: never the secret, and the
 * URL without its query, which robots' URLs use for their access tokens. */
static json_t *webhook_audit_json(const struct store_webhook *w)
{
    size_t n = strcspn(w->url, "?#");
    json_t *url = json_stringn(w->url, n);
    return json_pack("{s:s,s:o,s:s,s:b,s:b}", "name", w->name, "url", url, "events", w->events,
                     "enabled", w->enabled, "has_secret", w->secret != NULL);
}

static char *dump(json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return s;
}

/* Reads the keys of body present into w; with create, name and url are required. */
static enum yj_err webhook_decode(const json_t *body, bool create, struct yj_arena *a,
                                  struct store_webhook *w, struct yj_error *err)
{
    static const char *const keys[] = {"name", "url", "secret", "events", "enabled", NULL};
    enum yj_err rc = api_check_keys(body, keys, err);
    /* Only the secret may be removed (null); the others always have a value. */
    for (const char *const *k = keys; !rc && *k; k++)
        if (strcmp(*k, "secret") != 0 && json_is_null(json_object_get(body, *k)))
            rc = yj_error_set(err, YJ_EINVAL, *k, "may not be null");
    if (!rc)
        rc = api_get_text(body, "name", create, WEBHOOK_NAME_MAX, a, &w->name, err);
    if (!rc)
        rc = api_get_string(body, "url", create, a, &w->url, err);
    if (!rc && (json_object_get(body, "url") || create) && !notify_url_valid(w->url))
        rc = yj_error_set(err, YJ_EINVAL, "url",
                          "an http:// or https:// URL of at most 2048 bytes, without spaces");
    json_t *secret = json_object_get(body, "secret");
    if (!rc && secret) {
        w->secret = NULL; /* null removes the secret */
        rc = api_get_text(body, "secret", false, SECRET_MAX, a, &w->secret, err);
        if (!rc && w->secret && yj_utf8_chars(w->secret) < SECRET_MIN)
            rc = yj_error_set(err, YJ_EINVAL, "secret", "%d to %d characters", SECRET_MIN,
                              SECRET_MAX);
    }
    if (!rc)
        rc = api_get_string(body, "events", false, a, &w->events, err);
    if (!rc && !notify_events_valid(w->events))
        rc = yj_error_set(err, YJ_EINVAL, "events",
                          "\"*\" or a comma-separated list of event names (a name may end in .*)");
    if (!rc)
        rc = api_get_bool(body, "enabled", &w->enabled, err);
    return rc;
}

void api_webhooks_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_webhook *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc =
            store_webhook_list(tx, false, page.after, page.limit + 1, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, webhook_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_webhooks_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    struct store_webhook w = {.events = "*", .enabled = true};
    enum yj_err rc = webhook_decode(body, true, req->arena, &w, &err);
    json_decref(body);
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = store_webhook_insert(tx, &w, now, &err);
    if (!rc) {
        char *changes = dump(webhook_audit_json(&w));
        struct audit_entry e = api_audit_entry(&who, req, "webhook.create", "webhook",
                                               api_id_str(req->arena, w.id), changes);
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
    http_response_json(resp, 201, webhook_json(&w));
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/webhooks/%lld", (long long)w.id));
}

void api_webhooks_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_webhook w;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_webhook_get(tx, id, req->arena, &w, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, webhook_json(&w));
}

void api_webhooks_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_webhook w;
    int64_t now = yj_now_ms(app->clock);
    json_t *before = NULL, *after = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_webhook_get(tx, id, req->arena, &w, &err);
    if (!rc) {
        before = webhook_audit_json(&w);
        rc = webhook_decode(body, false, req->arena, &w, &err);
    }
    if (!rc) {
        after = webhook_audit_json(&w);
        json_t *d = api_json_diff(before, after);
        /* A new secret is a change even when has_secret stays true. */
        if (d && json_object_get(body, "secret") && !json_object_get(d, "has_secret"))
            json_object_set_new(d, "secret", json_string("replaced"));
        bool changed = d && json_object_size(d) > 0;
        char *changes = dump(d);
        if (changed) {
            w.updated_at = now;
            struct audit_entry e = api_audit_entry(&who, req, "webhook.update", "webhook",
                                                   api_id_str(req->arena, id), changes);
            rc = store_webhook_update(tx, &w, &err);
            if (!rc)
                rc = audit_append(tx, &e, now, &err);
            if (!rc)
                rc = store_tx_commit(tx, &err);
        }
        free(changes);
    }
    store_tx_end(tx);
    json_decref(before);
    json_decref(after);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, webhook_json(&w));
}

void api_webhooks_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_webhook w;
    int64_t now = yj_now_ms(app->clock), cancelled = 0;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_webhook_get(tx, id, req->arena, &w, &err);
    if (!rc)
        rc = store_webhook_delete(tx, id, &err);
    if (!rc)
        rc = store_outbox_cancel_webhook(tx, id, &cancelled, &err);
    if (!rc) {
        json_t *d = webhook_audit_json(&w);
        json_object_set_new(d, "cancelled_messages", json_integer(cancelled));
        char *changes = dump(d);
        struct audit_entry e = api_audit_entry(&who, req, "webhook.delete", "webhook",
                                               api_id_str(req->arena, id), changes);
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
    http_response_empty(resp);
}

/* --- the test message ------------------------------------------------------------------------- */

void api_notify_test(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"email", "webhooks", "inapp", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    const char *email = NULL;
    bool webhooks = false, inapp = false;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "email", false, req->arena, &email, &err);
    if (!rc && email && !unit_email_valid(email))
        rc = yj_error_set(&err, YJ_EINVAL, "email", "not an e-mail address");
    if (!rc)
        rc = api_get_bool(body, "webhooks", &webhooks, &err);
    if (!rc)
        rc = api_get_bool(body, "inapp", &inapp, &err);
    if (!rc && !email && !webhooks && !inapp)
        rc = yj_error_set(&err, YJ_EINVAL, "email",
                          "give an address to mail, \"webhooks\": true or \"inapp\": true");
    json_decref(body);
    int64_t now = yj_now_ms(app->clock);
    char at[YJ_TIME_STRLEN];
    yj_time_format(now, at);
    struct notify_message m = {
        .event = "notify.test",
        .subject = "yingji 应急通知测试",
        .text = yj_arena_printf(req->arena,
                                "这是一条测试消息。收到它，说明应急系统的通知已能送达。\n"
                                "This is a test message from yingji: notifications reach you.\n\n"
                                "发起人 / sent by: %s\n时间 / at: %s",
                                who.username, at),
        .link = "/",
    };
    /* The in-app notification goes to the caller. */
    struct notify_recipient to = {.email = email, .user_id = inapp ? who.user_id : 0};
    unsigned channels = (email ? NOTIFY_CH_EMAIL : 0u) | (webhooks ? NOTIFY_CH_WEBHOOK : 0u) |
                        (inapp ? NOTIFY_CH_INAPP : 0u);
    size_t queued = 0;
    struct store_tx *tx = NULL;
    if (!rc && !(rc = store_write_begin(app->store, &tx, &err)))
        rc = notify_enqueue_channels(tx, &m, &to, 1, channels, now, &queued, &err);
    if (!rc) {
        char *changes = dump(json_pack("{s:s?,s:b,s:b,s:I}", "email", email, "webhooks", webhooks,
                                       "inapp", inapp, "queued", (json_int_t)queued));
        struct audit_entry e = api_audit_entry(&who, req, "notify.test", "notify", NULL, changes);
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
    api_background_kick(app);
    http_response_json(resp, 202, json_pack("{s:I}", "queued", (json_int_t)queued));
}

/* --- the outbox ------------------------------------------------------------------------------- */

static json_t *outbox_json(const struct store_outbox *r)
{
    bool webhook = strcmp(r->channel, "webhook") == 0;
    int64_t hook = 0;
    if (webhook && yj_parse_i64(r->recipient, 1, INT64_MAX, &hook) != 0)
        hook = 0;
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:o,s:s,s:I}", "id", (json_int_t)r->id, "channel", r->channel,
        "recipient", r->recipient, "recipient_name", text_or_null(r->recipient_name), "webhook_id",
        hook ? json_integer(hook) : json_null(), "event", r->event, "subject", r->subject, "ref",
        ref_json(r->ref_type, r->ref_id), "status", r->status, "attempts", (json_int_t)r->attempts);
    if (!o)
        return NULL;
    bool pending = strcmp(r->status, "pending") == 0;
    json_object_set_new(o, "next_attempt_at", pending ? api_time(r->next_attempt_at) : json_null());
    json_object_set_new(o, "last_error", text_or_null(r->last_error));
    json_object_set_new(o, "created_at", api_time(r->created_at));
    json_object_set_new(o, "sent_at", api_time(r->sent_at));
    return o;
}

/* A query argument from a fixed set of values (*out NULL when absent). */
static bool query_enum(struct http_request *req, struct http_response *resp, const char *name,
                       const char *const *values, const char **out)
{
    const char *v = http_query(req, name);
    *out = NULL;
    if (!v || !*v)
        return true;
    for (const char *const *p = values; *p; p++)
        if (strcmp(*p, v) == 0) {
            *out = *p;
            return true;
        }
    fail_field(resp, YJ_EINVAL, name, "not one of the allowed values");
    return false;
}

static bool outbox_query(struct http_request *req, struct http_response *resp,
                         struct store_outbox_query *q)
{
    static const char *const statuses[] = {"pending", "sent", "failed", "cancelled", NULL};
    static const char *const channels[] = {"email", "webhook", NULL};
    if (!query_enum(req, resp, "status", statuses, &q->status) ||
        !query_enum(req, resp, "channel", channels, &q->channel))
        return false;
    q->event = http_query(req, "event");
    if (q->event && !*q->event)
        q->event = NULL;
    if (q->event && !notify_event_valid(q->event)) {
        fail_field(resp, YJ_EINVAL, "event", "not an event name");
        return false;
    }
    q->ref_type = http_query(req, "ref_type");
    if (q->ref_type && !*q->ref_type)
        q->ref_type = NULL;
    if (q->ref_type && (strlen(q->ref_type) > REF_TYPE_MAX ||
                        !yj_utf8_text_ok(q->ref_type, strlen(q->ref_type)))) {
        fail_field(resp, YJ_EINVAL, "ref_type", "at most 64 bytes of text");
        return false;
    }
    const char *id = http_query(req, "ref_id");
    if (id && *id && yj_parse_i64(id, 1, INT64_MAX, &q->ref_id) != 0) {
        fail_field(resp, YJ_EINVAL, "ref_id", "must be a positive whole number");
        return false;
    }
    return true;
}

void api_outbox_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"status", "channel", "event",  "ref_type",
                                          "ref_id", "limit",   "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    struct store_outbox_query q = {0};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_OUTBOX_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page) ||
        !outbox_query(req, resp, &q))
        return;
    q.before_id = page.after;
    q.limit = page.limit + 1;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_outbox *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_outbox_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, outbox_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* A link as the outbox shows it: a secret one (notify_message.link_secret) without its
 * fragment, the recipients' capability (readers of the outbox may not act for them). */
static json_t *outbox_link(const json_t *doc)
{
    const char *s = json_string_value(json_object_get(doc, "link"));
    if (!s)
        return json_null();
    if (!json_is_true(json_object_get(doc, "link_secret")) || !strchr(s, '#'))
        return json_string(s);
    return json_sprintf("%.*s#(hidden)", (int)(strchr(s, '#') - s), s);
}

/* The stored content of r (text, link, and a webhook's recipients) into o. */
static void outbox_content(json_t *o, const struct store_outbox *r)
{
    json_t *doc = json_loads(r->body, 0, NULL);
    json_t *text = json_object_get(doc, "text");
    json_object_set(o, "text", json_is_string(text) ? text : json_null());
    json_object_set_new(o, "link", outbox_link(doc));
    json_t *people = json_object_get(doc, "recipients");
    if (json_is_array(people))
        json_object_set(o, "recipients", people);
    json_decref(doc);
}

void api_outbox_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_OUTBOX_READ, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_outbox r;
    struct store_outbox_attempt *att = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_outbox_get(tx, id, req->arena, &r, &err);
    if (!rc)
        rc = store_outbox_attempts(tx, id, req->arena, &att, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *o = outbox_json(&r);
    if (o)
        outbox_content(o, &r);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:I,s:o,s:b,s:o}", "n", (json_int_t)att[i].n, "at",
                                             api_time(att[i].at), "ok", att[i].ok, "detail",
                                             text_or_null(att[i].detail)));
    json_object_set_new(o, "attempt_history", arr);
    http_response_json(resp, 200, o);
}

/* --- one's own notifications ------------------------------------------------------------------ */

static json_t *notification_json(const struct store_notification *n)
{
    json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)n->id, "event", n->event,
                          "title", n->title, "body", text_or_null(n->body), "link",
                          text_or_null(n->link), "ref", ref_json(n->ref_type, n->ref_id));
    if (o) {
        json_object_set_new(o, "created_at", api_time(n->created_at));
        json_object_set_new(o, "read_at", api_time(n->read_at));
    }
    return o;
}

void api_notifications_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"unread", "limit", "cursor", NULL};
    static const char *const flags[] = {"0", "1", "true", "false", NULL};
    struct auth_subject who;
    struct api_page page;
    const char *unread = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFICATION_SELF, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page) ||
        !query_enum(req, resp, "unread", flags, &unread))
        return;
    bool only_unread = unread && (strcmp(unread, "1") == 0 || strcmp(unread, "true") == 0);
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_notification *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_notification_list(tx, who.user_id, only_unread, page.after, page.limit + 1,
                                     req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, notification_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_notifications_read(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_notification n;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_notification_get(tx, id, req->arena, &n, &err);
    if (rc == YJ_ENOTFOUND) {
        store_tx_end(tx);
        api_fail(resp, &err);
        return;
    }
    struct auth_object obj = {.owner_user_id = rc ? 0 : n.user_id};
    if (!rc && !api_allow(req, resp, &who, AUTH_NOTIFICATION_SELF, &obj)) {
        store_tx_end(tx);
        return;
    }
    /* Marking read is the user's own view of their inbox, not a change to audit. */
    if (!rc && !n.read_at)
        rc = store_notification_read(tx, who.user_id, id, now, &err);
    if (!rc && !n.read_at && !(rc = store_tx_commit(tx, &err)))
        n.read_at = now;
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, notification_json(&n));
}

void api_notifications_read_all(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFICATION_SELF, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    int64_t marked = 0;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_notification_read_all(tx, who.user_id, yj_now_ms(app->clock), &marked, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, json_pack("{s:I}", "marked", (json_int_t)marked));
}

void api_notifications_unread_count(void *vapp, struct http_request *req,
                                    struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFICATION_SELF, NULL) ||
        !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    int64_t unread = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_notification_unread(tx, who.user_id, &unread, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}
