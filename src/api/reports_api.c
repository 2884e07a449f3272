/*
 * reports_api.c - upward reporting (STANDARDS.md §3, the CAC reporting measures):
 * what an incident of 较大 and above owes the offices above the authority and by
 * when (GET …/reporting, with countdowns), and the reports themselves: drafted,
 * corrected while not sent, and sent, which records the time. A first report may
 * go with only the first two items of the form (the cause not yet known); the rest
 * follow in a follow-up report; the final report needs every item.
 *
 * The authority writes reports; the authority and the auditor read them. Every
 * change is audited, and a send is also on the incident's timeline.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_reports.h"

/* --- duties --------------------------------------------------------------------------- */

/* The report of kind k that meets the duty (there is at most one first, pass-on and
 * final report per incident), or NULL. */
static const struct store_report *report_of(const struct api_reporting *ctx, enum inc_report_kind k)
{
    for (size_t i = 0; i < ctx->n_reports; i++)
        if (ctx->reports[i].kind == k)
            return &ctx->reports[i];
    return NULL;
}

enum yj_err api_reporting_load(struct store_tx *tx, int64_t incident_id, struct yj_arena *a,
                               struct api_reporting *out, struct yj_error *err)
{
    struct store_incident i;
    enum yj_err rc = store_incident_get(tx, incident_id, a, &i, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    return rc ? rc : api_reporting_of(tx, &i, a, out, err);
}

enum yj_err api_reporting_of(struct store_tx *tx, const struct store_incident *incident,
                             struct yj_arena *a, struct api_reporting *out, struct yj_error *err)
{
    memset(out, 0, sizeof *out);
    out->incident = *incident;
    struct inc_level *levels;
    struct inc_report_rule *rules;
    size_t nl, nr;
    enum yj_err rc = store_inc_levels(tx, a, &levels, &nl, err);
    if (!rc)
        rc = store_inc_report_rules(tx, a, &rules, &nr, err);
    if (!rc)
        rc = store_report_list(tx, incident->id, a, &out->reports, &out->n_reports, err);
    if (rc)
        return rc;
    const struct store_incident *i = &out->incident;
    out->level = api_level_find(levels, nl, i->level);
    for (size_t k = 0; k < nr && i->operator_type; k++)
        if (strcmp(rules[k].operator_type, i->operator_type) == 0)
            out->rule = &rules[k];
    out->applies = out->level && out->level->must_report && out->rule;
    /* The pass-on is due from when the office received the first report: when it
     * was sent, not when it was drafted. */
    const struct store_report *first = report_of(out, INC_R_FIRST);
    int64_t received = first ? first->sent_at : 0;
    if (out->applies)
        out->n_due = inc_report_obligations(out->level, out->rule, i->discovered_at, received,
                                            i->resolved_at, out->due);
    return YJ_OK;
}

enum yj_err api_report_load(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_report *r, struct api_reporting *ctx, struct yj_error *err)
{
    enum yj_err rc = store_report_get(tx, id, a, r, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    return rc ? rc : api_reporting_load(tx, r->incident_id, a, ctx, err);
}

int64_t api_reporting_due(const struct api_reporting *ctx, enum inc_report_kind k)
{
    for (size_t i = 0; i < ctx->n_due; i++)
        if (ctx->due[i].kind == k)
            return ctx->due[i].due_at;
    return 0;
}

/* Whom a report of kind k goes to: the duty's office, else the operator type's. */
static const char *recipient_of(const struct api_reporting *ctx, enum inc_report_kind k)
{
    for (size_t i = 0; i < ctx->n_due; i++)
        if (ctx->due[i].kind == k)
            return ctx->due[i].recipient;
    return ctx->rule ? ctx->rule->recipient_zh : "";
}

const struct inc_form_item *api_report_form(enum inc_report_kind k, size_t *n)
{
    if (k == INC_R_FINAL) {
        *n = inc_final_items_count;
        return inc_final_items;
    }
    *n = inc_report_items_count;
    return inc_report_items;
}

/* RFC 3339 like every time the API shows, or null for 0 (a time not known yet). */
static json_t *ms_or_null(int64_t ms)
{
    return ms ? api_time(ms) : json_null();
}

/* --- content ---------------------------------------------------------------------------- */

/* The stored content's items as form values (texts borrowed from o). */
static size_t values_of(const json_t *o, struct inc_form_value *v, size_t max)
{
    size_t n = 0;
    const char *key;
    json_t *x;
    json_object_foreach ((json_t *)(uintptr_t)o, key, x)
        if (n < max)
            v[n++] = (struct inc_form_value){key, json_string_value(x)};
    return n;
}

/* Whether item it is filled in content (the form's own rule: whitespace is not). */
static bool item_filled(const struct inc_form_item *it, const json_t *content)
{
    struct inc_form_value v = {it->code, json_string_value(json_object_get(content, it->code))};
    bool done = false;
    struct yj_error ignored;
    return inc_form_check(it, 1, &v, v.text ? 1 : 0, NULL, &done, &ignored) == YJ_OK && done;
}

/* The first required item up to stage `stage` that content leaves empty, or NULL. */
static const struct inc_form_item *first_missing(enum inc_report_kind k, const json_t *content,
                                                 int stage)
{
    size_t n;
    const struct inc_form_item *items = api_report_form(k, &n);
    for (size_t i = 0; i < n; i++)
        if (items[i].required && items[i].stage <= stage && !item_filled(&items[i], content))
            return &items[i];
    return NULL;
}

/*
 * Checks content (an object of item code -> text or null) against the form of kind k
 * and returns the stored form: the non-empty texts, in the form's order (a new
 * reference in *out). YJ_EINVAL naming "content" or "content.<code>".
 */
static enum yj_err content_decode(const json_t *content, enum inc_report_kind k, json_t **out,
                                  struct yj_error *err)
{
    *out = NULL;
    if (!json_is_object(content))
        return yj_error_set(err, YJ_EINVAL, "content", "must be an object");
    struct inc_form_value v[16];
    size_t n = 0;
    const char *key;
    json_t *x;
    json_object_foreach ((json_t *)(uintptr_t)content, key, x) {
        if (!json_is_string(x) && !json_is_null(x)) {
            char field[YJ_ERR_FIELD_MAX];
            snprintf(field, sizeof field, "content.%s", key);
            return yj_error_set(err, YJ_EINVAL, field, "must be a string or null");
        }
        /* A form has fewer items than this: past it, a key is unknown, which the check
         * of the first ones already finds. */
        if (n < YJ_ARRAY_LEN(v))
            v[n++] = (struct inc_form_value){key, json_string_value(x)};
    }
    size_t ni;
    const struct inc_form_item *items = api_report_form(k, &ni);
    enum yj_err rc = inc_form_check(items, ni, v, n, NULL, NULL, err);
    if (rc)
        return rc;
    json_t *o = json_object();
    for (size_t i = 0; i < ni; i++) {
        const char *t = json_string_value(json_object_get(content, items[i].code));
        if (t && *t)
            json_object_set_new(o, items[i].code, json_string(t));
    }
    *out = o;
    return YJ_OK;
}

/* The stored content as JSON (an empty object if it cannot be read). */
static json_t *content_json(const char *text)
{
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    return o;
}

/* JSON text of v into the arena (v borrowed); NULL on ENOMEM. */
static const char *dump(struct yj_arena *a, const json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *out = t ? yj_arena_strdup(a, t) : NULL;
    free(t);
    return out;
}

json_t *api_report_json(const struct store_report *r, const struct api_reporting *ctx)
{
    json_t *content = content_json(r->content);
    size_t ni;
    const struct inc_form_item *items = api_report_form(r->kind, &ni);
    struct inc_form_value v[16];
    size_t n = values_of(content, v, YJ_ARRAY_LEN(v));
    bool stage1 = false, complete = false;
    struct yj_error ignored;
    inc_form_check(items, ni, v, n, &stage1, &complete, &ignored);
    int64_t due = r->sent_at || !ctx ? r->due_at : api_reporting_due(ctx, r->kind);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "version", json_integer(r->version));
    json_object_set_new(o, "incident_id", json_integer(r->incident_id));
    json_object_set_new(o, "kind", json_string(inc_report_kind_code(r->kind)));
    json_object_set_new(o, "kind_name_zh", json_string(inc_report_kind_name_zh(r->kind)));
    json_object_set_new(o, "recipient_zh", json_string(r->recipient ? r->recipient : ""));
    json_object_set_new(o, "due_at", ms_or_null(due));
    json_object_set_new(o, "content", content);
    json_object_set_new(o, "stage1", json_boolean(stage1));
    json_object_set_new(o, "complete", json_boolean(complete));
    json_object_set_new(o, "sent_at", ms_or_null(r->sent_at));
    json_object_set_new(o, "sent_by", api_id_or_null(r->sent_by));
    json_object_set_new(o, "created_by", json_integer(r->created_by));
    json_object_set_new(o, "created_at", api_time(r->created_at));
    json_object_set_new(o, "updated_at", api_time(r->updated_at));
    return o;
}

/* --- reading -------------------------------------------------------------------------------- */

/* One duty with its countdown at now. */
static json_t *obligation_json(const struct inc_report_due *d, const struct store_report *r,
                               int64_t now)
{
    bool sent = r && r->sent_at;
    const char *status = sent ? (d->due_at && r->sent_at > d->due_at ? "sent_late" : "sent_on_time")
                         : d->due_at && now > d->due_at ? "overdue"
                                                        : "pending";
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(inc_report_kind_code(d->kind)));
    json_object_set_new(o, "kind_name_zh", json_string(inc_report_kind_name_zh(d->kind)));
    json_object_set_new(o, "recipient_zh", json_string(d->recipient));
    json_object_set_new(o, "due_at", ms_or_null(d->due_at));
    json_object_set_new(o, "report_id", r ? json_integer(r->id) : json_null());
    json_object_set_new(o, "sent_at", sent ? api_time(r->sent_at) : json_null());
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "remaining_ms",
                        !sent && d->due_at ? json_integer(d->due_at - now) : json_null());
    return o;
}

json_t *api_reporting_duties(const struct api_reporting *ctx, int64_t now)
{
    json_t *duties = json_array();
    for (size_t k = 0; k < ctx->n_due; k++)
        json_array_append_new(duties,
                              obligation_json(&ctx->due[k], report_of(ctx, ctx->due[k].kind), now));
    return duties;
}

/* The common start of the authority's and auditor's reads: who, may they, the id. */
static int64_t read_start(struct api_app *app, struct http_request *req, struct http_response *resp,
                          const char *const *allowed)
{
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REPORT_READ, NULL) || !api_query_only(req, resp, allowed))
        return 0;
    return api_param_id(req, resp, 0);
}

/* Reads, in a transaction of its own, incident id's duties and reports into *ctx; with r,
 * report id into *r and its incident's into *ctx. false after answering the failure. */
static bool read_reporting(struct api_app *app, struct http_request *req,
                           struct http_response *resp, int64_t id, struct store_report *r,
                           struct api_reporting *ctx)
{
    struct yj_error err;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = r ? api_report_load(tx, id, req->arena, r, ctx, &err)
               : api_reporting_load(tx, id, req->arena, ctx, &err);
    store_tx_end(tx);
    if (rc)
        api_fail(resp, &err);
    return !rc;
}

void api_reports_reporting(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    int64_t id = read_start(app, req, resp, none);
    if (!id)
        return;
    struct api_reporting ctx;
    if (!read_reporting(app, req, resp, id, NULL, &ctx))
        return;
    int64_t now = yj_now_ms(app->clock);
    json_t *duties = api_reporting_duties(&ctx, now);
    json_t *reports = json_array();
    for (size_t k = 0; k < ctx.n_reports; k++)
        json_array_append_new(reports, api_report_json(&ctx.reports[k], &ctx));
    json_t *o = json_object();
    json_object_set_new(o, "incident_id", json_integer(id));
    json_object_set_new(o, "applies", json_boolean(ctx.applies));
    json_object_set_new(o, "level", api_str_or_null(ctx.incident.level));
    json_object_set_new(o, "level_name_zh", api_str_or_null(ctx.level ? ctx.level->name_zh : NULL));
    json_object_set_new(o, "operator_type", api_str_or_null(ctx.incident.operator_type));
    json_object_set_new(o, "recipient_zh",
                        api_str_or_null(ctx.rule ? ctx.rule->recipient_zh : NULL));
    json_object_set_new(o, "now", api_time(now));
    json_object_set_new(o, "obligations", duties);
    json_object_set_new(o, "reports", reports);
    http_response_json(resp, 200, o);
}

static json_t *form_json(const struct inc_form_item *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:b}", "code", items[i].code, "name_zh",
                                             items[i].name_zh, "stage", items[i].stage, "required",
                                             items[i].required));
    return arr;
}

void api_reports_forms(void *vapp, struct http_request *req, struct http_response *resp)
{
    static const char *const none[] = {NULL};
    struct auth_subject who;
    if (!api_authenticate(vapp, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REFERENCE_READ, NULL) || !api_query_only(req, resp, none))
        return;
    http_response_json(resp, 200,
                       json_pack("{s:o,s:o}", "report",
                                 form_json(inc_report_items, inc_report_items_count), "final",
                                 form_json(inc_final_items, inc_final_items_count)));
}

void api_reports_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct api_page page;
    int64_t id = read_start(app, req, resp, allowed);
    if (!id || !api_page_parse(req, resp, &page))
        return;
    struct api_reporting ctx;
    if (!read_reporting(app, req, resp, id, NULL, &ctx))
        return;
    /* An incident has a handful of reports, all read at once; the usual paging
     * parameters still work, over ids (oldest first). */
    size_t first = 0;
    while (first < ctx.n_reports && ctx.reports[first].id <= page.after)
        first++;
    size_t count = ctx.n_reports - first;
    bool more = api_page_trim(&page, &count);
    json_t *arr = json_array();
    for (size_t k = first; k < first + count; k++)
        json_array_append_new(arr, api_report_json(&ctx.reports[k], &ctx));
    api_list(resp, arr, more, count ? ctx.reports[first + count - 1].id : 0);
}

static void send_report(struct http_request *req, struct http_response *resp, int status,
                        const struct store_report *r, const struct api_reporting *ctx)
{
    http_response_header(resp, "ETag", api_etag(req->arena, r->version));
    http_response_json(resp, status, api_report_json(r, ctx));
}

void api_reports_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    int64_t id = read_start(app, req, resp, none);
    if (!id)
        return;
    struct store_report r;
    struct api_reporting ctx;
    if (read_reporting(app, req, resp, id, &r, &ctx))
        send_report(req, resp, 200, &r, &ctx);
}

/* --- writing ---------------------------------------------------------------------------------- */

/* The audit record of a change to report r, with changes (may be NULL; borrowed). */
static enum yj_err report_audit(struct store_tx *tx, const struct auth_subject *who,
                                struct http_request *req, const char *action,
                                const struct store_report *r, json_t *changes, int64_t now,
                                struct yj_error *err)
{
    char *text = changes ? json_dumps(changes, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (changes && !text)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    struct audit_entry e =
        api_audit_entry(who, req, action, "upward_report", api_id_str(req->arena, r->id), text);
    enum yj_err rc = audit_append(tx, &e, now, err);
    free(text);
    return rc;
}

/* Whether a report of kind k may be drafted for the incident now. */
static enum yj_err create_check(const struct api_reporting *ctx, enum inc_report_kind k,
                                struct yj_error *err)
{
    if (!ctx->applies)
        return yj_error_set(err, YJ_ECONFLICT, "level",
                            "upward reporting applies to incidents graded 较大 and above");
    if (k == INC_R_PASS_ON && !ctx->level->pass_on)
        return yj_error_set(err, YJ_ECONFLICT, "kind", "a pass-on is for 重大 and above only");
    if (k != INC_R_FOLLOWUP && report_of(ctx, k))
        return yj_error_set(err, YJ_ECONFLICT, "kind",
                            "the incident already has a %s report: change that one",
                            inc_report_kind_code(k));
    return YJ_OK;
}

void api_reports_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"kind", "content", NULL};
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REPORT_MANAGE, NULL) ||
        !(id = api_param_id(req, resp, 0)) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    const char *kind_code = NULL;
    enum inc_report_kind kind = INC_R_FIRST;
    json_t *content = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "kind", true, req->arena, &kind_code, &err);
    if (!rc && inc_report_kind_parse(kind_code, &kind))
        rc = yj_error_set(&err, YJ_EINVAL, "kind", "must be first, pass_on, followup or final");
    const json_t *given = json_object_get(body, "content");
    json_t *empty = given && !json_is_null(given) ? NULL : json_object();
    if (!rc)
        rc = content_decode(empty ? empty : given, kind, &content, &err);
    json_decref(empty);
    json_decref(body);
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct api_reporting ctx;
    struct store_report r = {.incident_id = id,
                             .kind = kind,
                             .created_by = who.user_id,
                             .created_at = now,
                             .updated_at = now};
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_reporting_load(tx, id, req->arena, &ctx, &err);
    if (!rc)
        rc = create_check(&ctx, kind, &err);
    if (!rc) {
        r.recipient = recipient_of(&ctx, kind);
        r.due_at = api_reporting_due(&ctx, kind);
        r.content = dump(req->arena, content);
        r.complete = !first_missing(kind, content, 2);
        rc = r.content ? store_report_insert(tx, &r, &err)
                       : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    if (!rc) {
        json_t *ch = api_report_json(&r, &ctx);
        rc = report_audit(tx, &who, req, "upward_report.create", &r, ch, now, &err);
        json_decref(ch);
    }
    json_decref(content);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/reports/%lld", (long long)r.id));
    send_report(req, resp, 201, &r, &ctx);
}

/* The common start of a change: who (the authority), the id, the stored version
 * If-Match names (-1: none given, for a send). 0 after answering. */
static int64_t write_start(struct api_app *app, struct http_request *req,
                           struct http_response *resp, struct auth_subject *who, int64_t *want,
                           bool need_if_match)
{
    int64_t id;
    if (!api_authenticate(app, req, resp, who) ||
        !api_allow(req, resp, who, AUTH_REPORT_MANAGE, NULL) || !(id = api_param_id(req, resp, 0)))
        return 0;
    *want = -1;
    if ((need_if_match || http_header(req, "If-Match")) && !(*want = api_if_match(req, resp, true)))
        return 0;
    return id;
}

/* Loads report id in tx for a change: it must still be the version asked for and not sent. */
static enum yj_err change_load(struct store_tx *tx, int64_t id, int64_t want, struct yj_arena *a,
                               struct store_report *r, struct api_reporting *ctx,
                               struct yj_error *err)
{
    enum yj_err rc = api_report_load(tx, id, a, r, ctx, err);
    if (!rc && want > 0 && want != r->version)
        rc = yj_error_set(err, YJ_EPRECOND, "If-Match", "the report changed meanwhile");
    if (!rc && r->sent_at)
        rc = yj_error_set(err, YJ_ECONFLICT, "sent_at", "the report was sent: it stays as sent");
    return rc;
}

void api_reports_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"content", NULL};
    struct auth_subject who;
    int64_t want;
    int64_t id = write_start(app, req, resp, &who, &want, true);
    json_t *body;
    if (!id || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_report r;
    struct api_reporting ctx;
    json_t *before = NULL, *merged = NULL, *content = NULL;
    const json_t *patch = json_object_get(body, "content");
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && !json_is_object(patch))
        rc = yj_error_set(&err, YJ_EINVAL, "content", "required: an object of items");
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = change_load(tx, id, want, req->arena, &r, &ctx, &err);
    /* A merge patch of the items: a text replaces, null removes. */
    if (!rc) {
        before = content_json(r.content);
        merged = api_merge_patch(before, patch);
        rc = merged ? content_decode(merged, r.kind, &content, &err)
                    : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    json_decref(body);
    if (!rc) {
        r.content = dump(req->arena, content);
        r.complete = !first_missing(r.kind, content, 2);
        r.due_at = api_reporting_due(&ctx, r.kind);
        r.updated_at = now;
        rc = r.content ? store_report_update(tx, &r, &err)
                       : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    if (!rc) {
        json_t *diff = api_json_diff(before, content);
        rc = report_audit(tx, &who, req, "upward_report.update", &r, diff, now, &err);
        json_decref(diff);
    }
    json_decref(before);
    json_decref(merged);
    json_decref(content);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_report(req, resp, 200, &r, &ctx);
}

/* Whether report r may be sent now: its form filled far enough, and what it follows
 * sent before it. 422 names the first item missing. */
static enum yj_err send_check(const struct api_reporting *ctx, const struct store_report *r,
                              const json_t *content, struct yj_error *err)
{
    if (!ctx->applies)
        return yj_error_set(err, YJ_ECONFLICT, "level",
                            "upward reporting applies to incidents graded 较大 and above");
    const struct store_report *first = report_of(ctx, INC_R_FIRST);
    if ((r->kind == INC_R_PASS_ON || r->kind == INC_R_FOLLOWUP) && (!first || !first->sent_at))
        return yj_error_set(err, YJ_ECONFLICT, "kind", "send the first report before this one");
    if (r->kind == INC_R_FINAL && !ctx->incident.resolved_at)
        return yj_error_set(err, YJ_ECONFLICT, "status",
                            "the final report follows the incident's resolution");
    /* The first report (and its pass-on) may go with the first two items when the
     * cause is not known yet; a final report only whole. */
    int stage = r->kind == INC_R_FINAL ? 2 : 1;
    const struct inc_form_item *missing =
        r->kind == INC_R_FOLLOWUP ? NULL : first_missing(r->kind, content, stage);
    if (missing) {
        char field[YJ_ERR_FIELD_MAX];
        snprintf(field, sizeof field, "content.%s", missing->code);
        return yj_error_set(err, YJ_EINCOMPLETE, field, "required before sending: %s",
                            missing->code);
    }
    if (r->kind == INC_R_FOLLOWUP && json_object_size(content) == 0)
        return yj_error_set(err, YJ_EINCOMPLETE, "content", "a follow-up report needs new facts");
    return YJ_OK;
}

void api_reports_send(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t want;
    int64_t id = write_start(app, req, resp, &who, &want, false);
    if (!id || !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_report r;
    struct api_reporting ctx;
    json_t *content = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = change_load(tx, id, want, req->arena, &r, &ctx, &err);
    if (rc == YJ_ECONFLICT && !strcmp(err.field, "sent_at"))
        yj_error_set(&err, YJ_ECONFLICT, "sent_at", "the report was sent already");
    if (!rc) {
        content = content_json(r.content);
        rc = send_check(&ctx, &r, content, &err);
    }
    json_decref(content);
    bool on_time = false;
    if (!rc) {
        r.due_at = api_reporting_due(&ctx, r.kind);
        r.sent_at = now;
        r.sent_by = who.user_id;
        r.updated_at = now;
        on_time = !r.due_at || now <= r.due_at;
        rc = store_report_update(tx, &r, &err);
    }
    if (!rc)
        rc = api_inc_event(tx, r.incident_id, now, &who, "report_sent", STORE_EVENT_AUTHORITY,
                           json_pack("{s:I,s:s,s:s,s:b,s:o}", "report_id", (json_int_t)r.id, "kind",
                                     inc_report_kind_code(r.kind), "recipient", r.recipient,
                                     "on_time", on_time, "due_at", ms_or_null(r.due_at)),
                           &err);
    if (!rc) {
        json_t *ch =
            json_pack("{s:I,s:s,s:I,s:b}", "incident_id", (json_int_t)r.incident_id, "kind",
                      inc_report_kind_code(r.kind), "sent_at", (json_int_t)now, "on_time", on_time);
        rc = report_audit(tx, &who, req, "upward_report.send", &r, ch, now, &err);
        json_decref(ch);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    /* Sending the first report starts the pass-on's clock: answer with it known. */
    for (size_t k = 0; k < ctx.n_reports; k++)
        if (ctx.reports[k].id == r.id)
            ctx.reports[k] = r;
    if (r.kind == INC_R_FIRST && ctx.applies)
        ctx.n_due = inc_report_obligations(ctx.level, ctx.rule, ctx.incident.discovered_at, now,
                                           ctx.incident.resolved_at, ctx.due);
    send_report(req, resp, 200, &r, &ctx);
}
