/*
 * disposal_public.c - the owner's side of a disposal notice and what both sides
 * share: the link token, queueing a notice's messages, the steps a notice goes
 * through, and the stored timer that marks it overdue at its deadline.
 *
 * The owner opens /disposal.html#<token> from the e-mail: no login, so the token
 * (32 random bytes, only its SHA-256 stored) is the capability, every answer holds
 * only what was sent to that owner (no internal ids, no staff names, nobody else's
 * values), and each client address is rate-limited like the certificate look-up.
 */
#include <sodium.h>

#include "api/api_disposal.h"
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "core/ratelimit.h"
#include "notify/notify.h"

/* --- the link and the messages -------------------------------------------------------------- */

void api_disposal_token(char token[DISPOSAL_TOKEN_LEN + 1], char hash[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    yj_b64url(raw, sizeof raw, token);
    token[DISPOSAL_TOKEN_LEN] = '\0';
    auth_secret_hash(token, hash);
    sodium_memzero(raw, sizeof raw);
}

enum yj_err api_disposal_mail(struct store_tx *tx, const struct store_disposal *d,
                              const char *token, int64_t seq, int64_t now, struct yj_arena *a,
                              struct yj_error *err)
{
    struct notify_recipient to[NOTIFY_RECIPIENTS_MAX];
    size_t n = 0;
    for (size_t k = 0; k < d->n_recipients && n < YJ_ARRAY_LEN(to); k++) {
        const struct store_disposal_recipient *r = &d->recipients[k];
        to[n++] = (struct notify_recipient){r->name ? r->name : d->constituent_name, r->email,
                                            r->phone, 0};
    }
    struct notify_message m = {
        .event = "disposal.sent",
        .subject = d->subject,
        .text = d->text,
        .link = yj_arena_printf(a, API_DISPOSAL_PAGE "#%s", token),
        .ref_type = "disposal",
        .ref_id = d->id,
        .dedupe = yj_arena_printf(a, "disposal:%lld:%lld", (long long)d->id, (long long)seq),
        .link_secret = true,
    };
    enum yj_err rc = notify_enqueue(tx, &m, to, n, now, NULL, err);
    if (rc || !disposal_kind_escalates(d->constituent_kind))
        return rc;
    /* A party or government body, or critical infrastructure: the duty desk gets a copy,
     * without the owner's link (the copy is for knowing, not for answering). */
    struct notify_recipient duty;
    bool set = false;
    if ((rc = api_duty_recipient(tx, a, &duty, &set, err)) || !set)
        return rc;
    struct notify_message copy = {
        .event = "disposal.copy",
        .subject = yj_arena_printf(a, "【抄送】%s", d->subject),
        .text = yj_arena_printf(a, "以下处置通知已发送至%s，依规抄送值班室。\n\n%s",
                                d->constituent_name, d->text),
        .link = yj_arena_printf(a, "/#/disposals/%lld", (long long)d->id),
        .ref_type = "disposal",
        .ref_id = d->id,
        .dedupe = yj_arena_printf(a, "disposal:%lld:%lld:copy", (long long)d->id, (long long)seq),
    };
    return notify_enqueue_channels(tx, &copy, &duty, 1, NOTIFY_CH_EMAIL, now, NULL, err);
}

/* --- steps ------------------------------------------------------------------------------------ */

enum yj_err api_disposal_step(struct store_tx *tx, struct store_disposal *d,
                              enum disposal_step step, const struct api_disposal_actor *actor,
                              const char *text, int64_t now, struct yj_arena *a,
                              struct yj_error *err)
{
    enum disposal_status to;
    enum yj_err rc = disposal_step_apply(d->status, step, &to, err);
    if (rc)
        return rc;
    char token[DISPOSAL_TOKEN_LEN + 1], hash[65];
    struct store_disposal_event ev = {.at = now,
                                      .actor = actor->kind,
                                      .user_id = actor->user_id,
                                      .by = actor->name,
                                      .note = text};
    switch (step) {
    case DISPOSAL_STEP_ACKNOWLEDGE:
        ev.action = "acknowledged";
        d->acknowledged_at = now;
        d->acknowledged_by = actor->name;
        break;
    case DISPOSAL_STEP_HANDLE:
        ev.action = "handled";
        if (!d->acknowledged_at) { /* reporting it handled says it arrived */
            d->acknowledged_at = now;
            d->acknowledged_by = actor->name;
        }
        d->handled_at = now;
        d->handled_by = actor->name;
        d->feedback = text;
        break;
    case DISPOSAL_STEP_RESEND:
        /* The old link stops working: only the new token's hash is kept. */
        ev.action = "resent";
        api_disposal_token(token, hash);
        d->token_hash = yj_arena_strdup(a, hash);
        d->sent_at = now;
        break;
    }
    d->status = to;
    d->updated_at = now;
    rc = store_disposal_update(tx, d, err);
    if (!rc)
        rc = store_disposal_event_add(tx, d->id, &ev, err);
    if (!rc && step == DISPOSAL_STEP_RESEND)
        rc = api_disposal_mail(tx, d, token, ev.seq, now, a, err);
    /* Handled before its deadline: nothing is left for the timer to judge. */
    if (!rc && to == DISPOSAL_HANDLED && !d->overdue_at)
        rc = store_timer_cancel(tx, API_DISPOSAL_TIMER, d->id, now, err);
    return rc;
}

/* --- the deadline ----------------------------------------------------------------------------- */

enum yj_err api_disposal_timer_fire(struct store_tx *tx, int64_t id, int64_t due_at, int64_t now,
                                    struct yj_arena *a, struct yj_error *err)
{
    struct store_disposal d;
    enum yj_err rc = store_disposal_get(tx, id, a, &d, err);
    if (rc == YJ_ENOTFOUND)
        return YJ_OK;
    if (rc || !disposal_overdue_due(d.status, d.overdue_at, d.deadline_at, due_at))
        return rc;
    /* Judged at the deadline's own instant, whenever the loop gets to it. */
    d.overdue_at = d.deadline_at;
    d.updated_at = now;
    struct store_disposal_event ev = {
        .at = d.deadline_at, .action = "overdue", .actor = "system", .by = "系统"};
    struct audit_entry e = {
        .actor = "system",
        .action = "disposal.overdue",
        .object_type = "disposal",
        .object_id = api_id_str(a, id),
        .changes = yj_arena_printf(a, "{\"status\":\"%s\",\"deadline_at\":%lld}",
                                   disposal_status_code(d.status), (long long)d.deadline_at),
    };
    rc = store_disposal_update(tx, &d, err);
    if (!rc)
        rc = store_disposal_event_add(tx, id, &ev, err);
    if (!rc)
        rc = audit_append(tx, &e, now, err);
    /* The authority's users in the app, the duty desk by e-mail. */
    struct notify_recipient to[NOTIFY_RECIPIENTS_MAX];
    size_t n = 0, nid = 0;
    int64_t *ids = NULL;
    bool duty_set = false;
    if (!rc)
        rc = store_user_ids(tx, 0, "authority", a, &ids, &nid, err);
    for (size_t k = 0; !rc && k < nid && n < YJ_ARRAY_LEN(to) - 1; k++)
        to[n++] = (struct notify_recipient){NULL, NULL, NULL, ids[k]};
    if (!rc)
        rc = api_duty_recipient(tx, a, &to[n], &duty_set, err);
    if (rc)
        return rc;
    n += duty_set;
    struct notify_message m = {
        .event = "disposal.overdue",
        .link = yj_arena_printf(a, "/#/disposals/%lld", (long long)id),
        .ref_type = "disposal",
        .ref_id = id,
        .dedupe = yj_arena_printf(a, "disposal:%lld:overdue", (long long)id),
    };
    disposal_compose_overdue(d.constituent_name, d.report_title, d.deadline_at, a, &m.subject,
                             &m.text);
    return notify_enqueue(tx, &m, to, n, now, NULL, err);
}

/* --- the owner's routes ----------------------------------------------------------------------- */

/* A token for the caller's address from the app's limiter (under its own key, so that an
 * owner's page does not use up certificate look-ups); 429 and false when none is left. */
static bool within_rate(struct api_app *app, struct http_request *req, struct http_response *resp,
                        int64_t now)
{
    if (!app->public_limiter)
        return true;
    const char *key = yj_arena_printf(req->arena, "disposal|%s", req->client_ip);
    int64_t wait = yj_ratelimit_take(app->public_limiter, key, now);
    if (wait <= 0)
        return true;
    struct yj_error err;
    yj_error_set(&err, YJ_ERATE, NULL, "too many requests from your address; try again later");
    api_fail(resp, &err);
    http_response_header(resp, "Retry-After",
                         yj_arena_printf(req->arena, "%lld", (long long)((wait + 999) / 1000)));
    return false;
}

/* The hash of the path's token, or false (404 answered) when it cannot be a token. */
static bool token_hash(struct http_request *req, struct http_response *resp, char hash[65])
{
    const char *t = req->n_params > 0 ? req->params[0] : "";
    bool ok = strlen(t) == DISPOSAL_TOKEN_LEN;
    for (size_t k = 0; ok && t[k]; k++)
        ok = (t[k] >= 'A' && t[k] <= 'Z') || (t[k] >= 'a' && t[k] <= 'z') ||
             (t[k] >= '0' && t[k] <= '9') || t[k] == '-' || t[k] == '_';
    if (ok) {
        auth_secret_hash(t, hash);
        return true;
    }
    struct yj_error err;
    yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such notice; check the link");
    api_fail(resp, &err);
    return false;
}

/* The owner's view: what was sent, the state, the history. Staff appear as the authority,
 * without their names or their notes. */
static json_t *public_json(const struct store_disposal *d, const struct store_disposal_event *ev,
                           size_t n, int64_t now)
{
    json_t *o = api_disposal_common_json(d, now), *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        bool staff = strcmp(ev[k].actor, "user") == 0;
        json_array_append_new(arr,
                              json_pack("{s:o,s:s,s:s,s:o,s:o}", "at", api_time(ev[k].at), "action",
                                        ev[k].action, "actor", ev[k].actor, "by",
                                        staff ? json_string("主管部门") : api_str_or_null(ev[k].by),
                                        "note", staff ? json_null() : api_str_or_null(ev[k].note)));
        if (!staff)
            continue;
        if (strcmp(ev[k].action, "acknowledged") == 0 ||
            (strcmp(ev[k].action, "handled") == 0 &&
             d->acknowledged_at == ev[k].at)) /* handling acknowledged it too */
            json_object_set_new(o, "acknowledged_by", json_string("主管部门"));
        if (strcmp(ev[k].action, "handled") == 0)
            json_object_set_new(o, "handled_by", json_string("主管部门"));
    }
    json_object_set_new(o, "events", arr);
    return o;
}

static enum yj_err public_read(struct store_tx *tx, struct yj_arena *a, const char *hash,
                               int64_t now, struct store_disposal *d, json_t **out,
                               struct yj_error *err)
{
    struct store_disposal_event *ev = NULL;
    size_t n = 0;
    enum yj_err rc = store_disposal_get_by_token(tx, hash, a, d, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such notice; check the link");
    if (!rc)
        rc = store_disposal_events(tx, d->id, a, &ev, &n, err);
    if (!rc)
        *out = public_json(d, ev, n, now);
    return rc;
}

/* GET /public/disposals/{token} */
void api_public_disposal_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    int64_t now = yj_now_ms(app->clock);
    char hash[65];
    if (!within_rate(app, req, resp, now) || !api_query_only(req, resp, none) ||
        !token_hash(req, resp, hash))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_disposal d;
    json_t *out = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = public_read(tx, req->arena, hash, now, &d, &out, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, out);
}

/*
 * The owner's steps: {"name"} and for handled {"feedback"}; one write transaction that
 * steps, audits with actor "owner", tells whoever sent the notice in the app, and
 * answers the owner's view.
 */
static void public_step(struct api_app *app, struct http_request *req, struct http_response *resp,
                        enum disposal_step step)
{
    static const char *const none[] = {NULL};
    static const char *const ack_keys[] = {"name", NULL};
    static const char *const handled_keys[] = {"name", "feedback", NULL};
    bool handle = step == DISPOSAL_STEP_HANDLE;
    int64_t now = yj_now_ms(app->clock);
    char hash[65];
    json_t *body;
    if (!within_rate(app, req, resp, now) || !api_query_only(req, resp, none) ||
        !token_hash(req, resp, hash))
        return;
    if (req->body_len == 0 && !handle)
        body = json_object();
    else if (!(body = api_body(req, resp)))
        return;
    struct yj_error err;
    struct yj_arena *a = req->arena;
    const char *name = NULL, *feedback = NULL;
    struct store_tx *tx = NULL;
    struct store_disposal d = {0};
    json_t *out = NULL;
    enum yj_err rc = api_check_keys(body, handle ? handled_keys : ack_keys, &err);
    if (!rc)
        rc = api_get_text(body, "name", false, DISPOSAL_NAME_MAX, a, &name, &err);
    if (!rc && handle)
        rc = api_get_text(body, "feedback", true, DISPOSAL_FEEDBACK_MAX, a, &feedback, &err);
    json_decref(body);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc && (rc = store_disposal_get_by_token(tx, hash, a, &d, &err)) == YJ_ENOTFOUND)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such notice; check the link");
    /* Unnamed, the owner is the organisation the notice went to. */
    struct api_disposal_actor actor = {"owner", 0, name ? name : d.constituent_name};
    enum disposal_status from = d.status;
    if (!rc)
        rc = api_disposal_step(tx, &d, step, &actor, feedback, now, a, &err);
    if (!rc) {
        json_t *changes =
            json_pack("{s:s,s:s,s:s?,s:s?}", "from", disposal_status_code(from), "to",
                      disposal_status_code(d.status), "name", name, "feedback", feedback);
        char *text = json_dumps(changes, JSON_COMPACT);
        json_decref(changes);
        struct audit_entry e =
            api_audit_entry(NULL, req, handle ? "disposal.handled" : "disposal.acknowledge",
                            "disposal", api_id_str(a, d.id), text);
        e.actor = "owner";
        rc = audit_append(tx, &e, now, &err);
        free(text);
    }
    if (!rc) {
        struct notify_recipient sender = {.user_id = d.created_by};
        struct notify_message m = {
            .event = handle ? "disposal.handled" : "disposal.acknowledged",
            .subject = yj_arena_printf(a, "【处置通知】%s%s", d.constituent_name,
                                       handle ? "已反馈处置结果" : "已确认收到处置通知"),
            .text = yj_arena_printf(a, "威胁名称：%s\n%s%s", d.report_title,
                                    handle ? "处置结果：" : "", handle ? feedback : ""),
            .link = yj_arena_printf(a, "/#/disposals/%lld", (long long)d.id),
            .ref_type = "disposal",
            .ref_id = d.id,
        };
        rc = notify_enqueue_channels(tx, &m, &sender, 1, NOTIFY_CH_INAPP, now, NULL, &err);
    }
    if (!rc)
        rc = public_read(tx, a, hash, now, &d, &out, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, out);
}

void api_public_disposal_acknowledge(void *app, struct http_request *req,
                                     struct http_response *resp)
{
    public_step(app, req, resp, DISPOSAL_STEP_ACKNOWLEDGE);
}

void api_public_disposal_handled(void *app, struct http_request *req, struct http_response *resp)
{
    public_step(app, req, resp, DISPOSAL_STEP_HANDLE);
}
