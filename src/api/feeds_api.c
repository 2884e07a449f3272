/*
 * feeds_api.c - scheduled indicator feeds over HTTP (api_feeds.h): the authority
 * keeps and runs them, auditors read them (with the source's password and query
 * hidden). A run by hand goes through api_feed_run, as the scheduler's do.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_feeds.h"
#include "api/api_int.h"
#include "intel/feed.h"

/* --- encoding ------------------------------------------------------------------------------ */

static json_t *counts_json(const struct store_feed_counts *c)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I}", "objects", (json_int_t)c->objects, "imported",
                     (json_int_t)c->imported, "merged", (json_int_t)c->merged, "flagged",
                     (json_int_t)c->flagged, "problems", (json_int_t)c->problems);
}

static json_t *int_or_null(int64_t v, int64_t none)
{
    return v == none ? json_null() : json_integer(v);
}

/* A feed; full: with its source as written (who may change it), else redacted. */
static json_t *feed_json(const struct store_feed *f, bool full, struct yj_arena *a)
{
    json_t *defaults =
        json_pack("{s:o,s:o,s:o,s:o}", "category", api_str_or_null(f->category), "tlp",
                  api_str_or_null(f->tlp), "confidence", int_or_null(f->confidence, -1),
                  "valid_days", int_or_null(f->valid_days, 0));
    return json_pack(
        "{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:I,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o}", "id",
        (json_int_t)f->id, "version", (json_int_t)f->version, "name", f->name, "source",
        full ? f->source : feed_source_redact(f->source, a), "format", f->format, "columns",
        api_str_or_null(f->columns), "defaults", defaults, "interval_minutes",
        (json_int_t)f->interval_minutes, "enabled", f->enabled, "etag", api_str_or_null(f->etag),
        "last_modified", api_str_or_null(f->last_modified), "last_run_at", api_time(f->last_run_at),
        "last_status", api_str_or_null(f->last_status), "last_error",
        api_str_or_null(f->last_error), "last_counts",
        f->last_status ? counts_json(&f->last_counts) : json_null(), "next_run_at",
        api_time(f->next_run_at), "running", f->running_since != 0, "created_at",
        api_time(f->created_at), "updated_at", api_time(f->updated_at));
}

static json_t *run_json(const struct store_feed_run *r)
{
    json_t *problems = r->problem_list ? json_loads(r->problem_list, 0, NULL) : NULL;
    return json_pack("{s:I,s:I,s:s,s:o,s:o,s:I,s:s,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)r->id, "feed_id", (json_int_t)r->feed_id, "trigger", r->trigger,
                     "started_at", api_time(r->started_at), "finished_at", api_time(r->finished_at),
                     "duration_ms", (json_int_t)(r->finished_at - r->started_at), "status",
                     r->status, "error", api_str_or_null(r->error), "http_status",
                     int_or_null(r->http_status, 0), "bytes", (json_int_t)r->bytes, "import_id",
                     api_id_or_null(r->import_id), "counts", counts_json(&r->counts), "problems",
                     problems ? problems : json_array(), "run_by", api_id_or_null(r->created_by));
}

static bool may_write(const struct auth_subject *who)
{
    return auth_policy_scope(who->role, AUTH_FEED_WRITE) != AUTH_DENY;
}

static void send_feed(struct http_request *req, struct http_response *resp, int status,
                      const struct store_feed *f, bool full)
{
    http_response_header(resp, "ETag", api_etag(req->arena, f->version));
    http_response_json(resp, status, feed_json(f, full, req->arena));
}

/* --- decoding ------------------------------------------------------------------------------ */

/* defaults: {category, tlp, confidence, valid_days}, each null to clear; null clears all. */
static enum yj_err decode_defaults(const json_t *body, struct yj_arena *a, struct store_feed *f,
                                   struct yj_error *err)
{
    static const char *const keys[] = {"category", "tlp", "confidence", "valid_days", NULL};
    const json_t *d = json_object_get(body, "defaults");
    if (!d)
        return YJ_OK;
    if (json_is_null(d)) {
        f->category = f->tlp = NULL;
        f->confidence = -1;
        f->valid_days = 0;
        return YJ_OK;
    }
    if (!json_is_object(d))
        return yj_error_set(err, YJ_EINVAL, "defaults", "must be an object");
    const char *code = NULL;
    enum yj_err rc = api_check_keys(d, keys, err);
    if (!rc && json_is_null(json_object_get(d, "category")))
        f->category = NULL;
    else if (!rc && !(rc = api_get_text(d, "category", false, 40, a, &code, err)) && code) {
        enum intel_category c;
        if (!(rc = intel_category_parse(code, "category", &c, err)))
            f->category = intel_category_code(c);
    }
    code = NULL;
    if (!rc && json_is_null(json_object_get(d, "tlp")))
        f->tlp = NULL;
    else if (!rc && !(rc = api_get_text(d, "tlp", false, 20, a, &code, err)) && code) {
        enum intel_tlp t;
        if (!(rc = intel_tlp_parse(code, "tlp", &t, err)))
            f->tlp = intel_tlp_code(t);
    }
    if (!rc && json_is_null(json_object_get(d, "confidence")))
        f->confidence = -1;
    else if (!rc)
        rc = api_get_int(d, "confidence", false, 0, 100, &f->confidence, err);
    if (!rc && json_is_null(json_object_get(d, "valid_days")))
        f->valid_days = 0;
    else if (!rc)
        rc = api_get_int(d, "valid_days", false, 1, FEED_VALID_DAYS_MAX, &f->valid_days, err);
    if (rc)
        yj_error_prefix_field(err, "defaults");
    return rc;
}

/* The body over f: name, source and format required on POST, everything optional on PATCH.
 * Sets the schedule and drops the validators when what the next run reads changed. */
static enum yj_err decode(const json_t *body, bool create, int64_t now, struct yj_arena *a,
                          struct store_feed *f, struct yj_error *err)
{
    static const char *const keys[] = {"name",     "source",           "format",  "columns",
                                       "defaults", "interval_minutes", "enabled", NULL};
    const struct store_feed was = *f;
    enum feed_format fmt;
    enum feed_scheme scheme;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_text(body, "name", create, FEED_NAME_MAX, a, &f->name, err);
    if (!rc)
        rc = api_get_text(body, "source", create, FEED_SOURCE_MAX, a, &f->source, err);
    if (!rc)
        rc = feed_source_parse(f->source, "source", a, &scheme, NULL, err);
    if (!rc)
        rc = api_get_text(body, "format", create, 16, a, &f->format, err);
    if (!rc)
        rc = feed_format_parse(f->format, "format", &fmt, err);
    if (!rc && json_is_null(json_object_get(body, "columns")))
        f->columns = NULL;
    else if (!rc)
        rc = api_get_text(body, "columns", false, FEED_COLUMNS_MAX, a, &f->columns, err);
    if (!rc)
        rc = feed_columns_check(fmt, f->columns, "columns", err);
    if (!rc)
        rc = decode_defaults(body, a, f, err);
    if (!rc)
        rc = api_get_int(body, "interval_minutes", false, FEED_INTERVAL_MIN, FEED_INTERVAL_MAX,
                         &f->interval_minutes, err);
    if (!rc)
        rc = api_get_bool(body, "enabled", &f->enabled, err);
    if (rc)
        return rc;
    /* A new schedule starts one interval from now; disabled, a feed has none. */
    if (!f->enabled)
        f->next_run_at = 0;
    else if (create || !was.enabled || was.interval_minutes != f->interval_minutes)
        f->next_run_at = feed_next_run(0, f->interval_minutes, now);
    /* What the next run reads or makes of it changed: it must not be told "not modified". */
    if (!create && (json_object_get(body, "source") || json_object_get(body, "format") ||
                    json_object_get(body, "columns") || json_object_get(body, "defaults")))
        f->etag = f->last_modified = NULL;
    return YJ_OK;
}

/* The audit record of a change to feed id: its body, with the source's password and
 * query hidden (auditors read the chain). */
static enum yj_err audit(struct store_tx *tx, const struct auth_subject *who,
                         struct http_request *req, const char *action, int64_t id,
                         const json_t *changes, int64_t now, struct yj_error *err)
{
    json_t *copy = changes ? json_deep_copy(changes) : NULL;
    const char *src = json_string_value(json_object_get(copy, "source"));
    if (src)
        json_object_set_new(copy, "source", json_string(feed_source_redact(src, req->arena)));
    enum yj_err rc = api_audit_json(tx, who, req, action, "feed", id, copy, now, err);
    json_decref(copy);
    return rc;
}

/* --- handlers ------------------------------------------------------------------------------ */

void api_feeds_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_WRITE, NULL) || !api_query_only(req, resp, none) ||
        !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_feed f = {.confidence = -1,
                           .interval_minutes = FEED_INTERVAL_DEFAULT,
                           .enabled = true,
                           .created_by = who.user_id};
    struct store_tx *tx = NULL;
    enum yj_err rc = decode(body, true, now, req->arena, &f, &err);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_insert(tx, &f, now, &err);
    if (!rc)
        rc = audit(tx, &who, req, "feed.create", f.id, body, now, &err);
    json_decref(body);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_feed(req, resp, 201, &f, true);
}

void api_feeds_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"enabled", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_READ, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page))
        return;
    const char *enabled = http_query(req, "enabled");
    struct store_feed_query q = {.enabled = -1, .after_id = page.after, .limit = page.limit + 1};
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_feed *items = NULL;
    size_t n = 0;
    enum yj_err rc = YJ_OK;
    if (enabled && (!strcmp(enabled, "true") || !strcmp(enabled, "false")))
        q.enabled = !strcmp(enabled, "true");
    else if (enabled)
        rc = yj_error_set(&err, YJ_EINVAL, "enabled", "must be true or false");
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, feed_json(&items[i], may_write(&who), req->arena));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_feeds_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_READ, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_feed f;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_get(tx, id, req->arena, &f, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_feed(req, resp, 200, &f, may_write(&who));
}

void api_feeds_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, want;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_WRITE, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)) || !(want = api_if_match(req, resp, false)) ||
        !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_feed f;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_get(tx, id, req->arena, &f, &err);
    if (!rc && want != f.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the feed changed meanwhile");
    if (!rc)
        rc = decode(body, false, now, req->arena, &f, &err);
    if (!rc)
        rc = store_feed_update(tx, &f, now, &err);
    if (!rc)
        rc = audit(tx, &who, req, "feed.update", id, body, now, &err);
    json_decref(body);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_feed(req, resp, 200, &f, true);
}

void api_feeds_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, want;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_WRITE, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)) || !(want = api_if_match(req, resp, false)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_feed f;
    json_t *was = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_get(tx, id, req->arena, &f, &err);
    if (!rc)
        rc = store_feed_delete(tx, id, want, now, &err);
    if (!rc)
        rc = audit(tx, &who, req, "feed.delete", id,
                   (was = json_pack("{s:s,s:s,s:s}", "name", f.name, "source", f.source, "format",
                                    f.format)),
                   now, &err);
    json_decref(was);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_empty(resp);
}

/* POST /api/v1/feeds/{id}/run: runs it now, answering when the run is recorded. */
void api_feeds_run(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_WRITE, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct api_feed_run_ctx ctx = {
        .clock = app->clock,
        .trigger = "manual",
        .actor = api_audit_entry(&who, req, "feed.run", "feed", NULL, NULL),
    };
    struct store_feed_run run;
    struct store_tx *tx = NULL;
    struct store_feed f;
    enum yj_err rc = api_feed_run(app->store, id, &ctx, req->arena, &run, &err);
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_get(tx, id, req->arena, &f, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(
        resp, 200,
        json_pack("{s:o,s:o}", "run", run_json(&run), "feed", feed_json(&f, true, req->arena)));
}

void api_feeds_runs(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_FEED_READ, NULL) || !api_query_only(req, resp, allowed) ||
        !(id = api_param_id(req, resp, 0)) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_feed f;
    struct store_feed_run *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_feed_get(tx, id, req->arena, &f, &err);
    if (!rc)
        rc = store_feed_runs(tx, id, page.after, page.limit + 1, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, run_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}
