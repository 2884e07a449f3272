/*
 * feeds_run.c - one run of a feed start to end, and the scheduler's pass
 * (api_feeds.h). The claim is one short write transaction; reading the source and
 * parsing it happen outside any, so a slow server never holds the store's write
 * lock; the import (the shared import path of api_indicators.h) and the run's
 * record are one second transaction, all or nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_feeds.h"
#include "core/yj.h"
#include "intel/feed.h"
#include "intel/intel_exchange.h"
#include "intel/intel_misp.h"

/* What reading and parsing a source came to, before anything is written. */
struct outcome {
    const char *status; /* "ok", "not_modified", "error" */
    const char *error;  /* when status is error: the fetch's or the parser's message */
    long http_status;
    int64_t bytes;
    const char *etag, *last_modified; /* the validators to keep (NULL: none) */
    struct intel_batch batch;         /* what to import when ok */
};

/* An error as a run records it: the message, after the file it concerns when that is
 * not simply the feed's own ("<uuid>.json: malformed JSON at line 1..."). */
static const char *message(struct yj_arena *a, const struct yj_error *e)
{
    static const char *const plain[] = {"", "file", "body", "source"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(plain); i++)
        if (!strcmp(e->field, plain[i]))
            return yj_arena_strdup(a, e->msg);
    return yj_arena_printf(a, "%s: %s", e->field, e->msg);
}

static void failed(struct outcome *o, struct yj_arena *a, const struct yj_error *e)
{
    o->status = "error";
    o->error = message(a, e);
}

/* A fresh answer's validators replace the old ones, absent ones included; a 304 may
 * refresh them (RFC 9110 §15.4.5) but keeps the old ones when it says nothing. */
static void validators(struct outcome *o, const struct api_feed_fetched *got, struct yj_arena *a)
{
    bool fresh = !got->not_modified;
    if (got->etag[0] || fresh)
        o->etag = got->etag[0] ? yj_arena_strdup(a, got->etag) : NULL;
    if (got->last_modified[0] || fresh)
        o->last_modified = got->last_modified[0] ? yj_arena_strdup(a, got->last_modified) : NULL;
}

/* One file (stix, misp, csv, plain) from a path or a URL. */
static void read_one(const struct store_feed *f, enum feed_format fmt, const char *path,
                     const struct intel_indicator *tmpl, const atomic_bool *stop,
                     struct yj_arena *a, struct outcome *o)
{
    struct api_feed_fetched got;
    struct yj_error err;
    enum yj_err rc = path ? api_feed_read_file(path, f->etag, f->last_modified, API_FEED_BODY_MAX,
                                               true, &got, &err)
                          : api_feed_fetch_url(f->source, f->etag, f->last_modified,
                                               API_FEED_BODY_MAX, stop, &got, &err);
    o->http_status = got.http_status;
    if (!rc && got.not_modified) {
        o->status = "not_modified";
        validators(o, &got, a);
    } else if (!rc) {
        o->bytes = (int64_t)got.body.len;
        struct api_import_req r = {
            .format = feed_format_import_code(fmt), .columns = f->columns, .defaults = tmpl};
        rc = api_indicators_parse(&r, got.body.ptr ? got.body.ptr : "", got.body.len, a, &o->batch,
                                  &err);
        if (!rc) {
            o->status = "ok";
            validators(o, &got, a);
        }
    }
    if (rc)
        failed(o, a, &err);
    api_feed_fetched_release(&got);
}

/* A MISP feed directory: the manifest's size and time say whether it changed; the
 * importer reads the events itself. */
static void read_misp_dir(const struct store_feed *f, const char *path,
                          const struct intel_indicator *tmpl, struct yj_arena *a, struct outcome *o)
{
    const char *dir = feed_misp_dir(path, a);
    struct api_feed_fetched got;
    struct yj_error err;
    enum yj_err rc = api_feed_read_file(yj_arena_printf(a, "%s/manifest.json", dir), f->etag,
                                        f->last_modified, INTEL_MISP_FILE_MAX, false, &got, &err);
    if (!rc && got.not_modified) {
        o->status = "not_modified";
    } else if (!rc && !(rc = intel_misp_feed_import(dir, tmpl, a, &o->batch, &err))) {
        o->status = "ok";
        validators(o, &got, a);
    }
    if (rc)
        failed(o, a, &err);
    api_feed_fetched_release(&got);
}

static int by_text(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The manifest's event uuids in order (arena copies); YJ_EINVAL naming "manifest.json". */
static enum yj_err manifest_keys(const struct api_feed_fetched *got, struct yj_arena *a,
                                 const char ***keys, size_t *n, struct yj_error *err)
{
    json_t *m = NULL;
    enum yj_err rc = intel_json_load(got->body.ptr ? got->body.ptr : "", got->body.len,
                                     "manifest.json", &m, err);
    if (rc)
        return rc;
    if (!json_is_object(m))
        rc = yj_error_set(err, YJ_EINVAL, "manifest.json", "not a MISP feed manifest");
    else if (json_object_size(m) > API_FEED_EVENTS_MAX)
        rc = yj_error_set(err, YJ_ETOOBIG, "manifest.json", "more than %d events",
                          API_FEED_EVENTS_MAX);
    *n = 0;
    *keys = rc ? NULL : yj_arena_calloc(a, json_object_size(m) + 1, sizeof **keys);
    const char *k;
    json_t *v;
    json_object_foreach (rc ? NULL : m, k, v)
        (*keys)[(*n)++] = yj_arena_strdup(a, k);
    json_decref(m);
    if (!rc)
        qsort(*keys, *n, sizeof **keys, by_text);
    return rc;
}

/* One event file of a MISP feed over HTTP into o->batch, its problems named after it. A
 * missing file is a problem, as in a feed directory; any other failure ends the run. */
static enum yj_err read_event(const struct store_feed *f, const char *uuid,
                              const struct intel_indicator *tmpl, const atomic_bool *stop,
                              struct yj_arena *a, struct outcome *o, struct yj_error *err)
{
    const char *file = yj_arena_printf(a, "%s.json", uuid);
    struct intel_batch *b = &o->batch;
    if (!feed_uuid_valid(uuid))
        return intel_batch_problem(
            b, a, "manifest.json", NULL,
            yj_arena_printf(a, "manifest key %.60s is not an event uuid", uuid), err);
    struct api_feed_fetched got;
    size_t left = API_FEED_BODY_MAX - (size_t)o->bytes;
    enum yj_err rc =
        api_feed_fetch_url(feed_misp_url(f->source, file, a), NULL, NULL, left, stop, &got, err);
    if (rc == YJ_EIO && (got.http_status == 404 || got.http_status == 410)) {
        api_feed_fetched_release(&got);
        return intel_batch_problem(b, a, "manifest.json", uuid,
                                   yj_arena_printf(a, "event file %s missing", file), err);
    }
    size_t before = b->n_problems;
    struct api_import_req r = {.format = "misp", .defaults = tmpl};
    if (!rc) {
        o->bytes += (int64_t)got.body.len;
        rc = api_indicators_parse(&r, got.body.ptr ? got.body.ptr : "", got.body.len, a, b, err);
    }
    api_feed_fetched_release(&got);
    if (rc) {
        snprintf(err->field, sizeof err->field, "%s", file);
        return rc;
    }
    for (size_t i = before; i < b->n_problems; i++)
        b->problems[i].where = yj_arena_printf(a, "%s: %s", file, b->problems[i].where);
    return YJ_OK;
}

/* A MISP feed at a URL: the manifest is fetched conditionally (304: nothing changed),
 * then every event it names. */
static void read_misp_url(const struct store_feed *f, const struct intel_indicator *tmpl,
                          const atomic_bool *stop, struct yj_arena *a, struct outcome *o)
{
    struct api_feed_fetched got;
    struct yj_error err;
    const char **keys = NULL;
    size_t n = 0;
    enum yj_err rc = api_feed_fetch_url(feed_misp_url(f->source, "manifest.json", a), f->etag,
                                        f->last_modified, API_FEED_BODY_MAX, stop, &got, &err);
    o->http_status = got.http_status;
    if (!rc && got.not_modified) {
        o->status = "not_modified";
        validators(o, &got, a);
        api_feed_fetched_release(&got);
        return;
    }
    if (!rc)
        rc = manifest_keys(&got, a, &keys, &n, &err);
    o->bytes = (int64_t)got.body.len;
    for (size_t i = 0; !rc && i < n; i++)
        rc = read_event(f, keys[i], tmpl, stop, a, o, &err);
    if (rc) {
        failed(o, a, &err);
    } else {
        o->status = "ok";
        validators(o, &got, a);
    }
    api_feed_fetched_release(&got);
}

/* Reads and parses f's source into o; never fails itself (o->status says how it went). */
static void read_source(const struct store_feed *f, int64_t now, const atomic_bool *stop,
                        struct yj_arena *a, struct outcome *o)
{
    struct yj_error err;
    enum feed_format fmt;
    enum feed_scheme scheme;
    const char *path = NULL;
    struct feed_defaults d;
    struct intel_indicator tmpl;
    feed_defaults_init(&d);
    d.confidence = (int)f->confidence;
    d.valid_days = (int)f->valid_days;
    o->etag = f->etag;
    o->last_modified = f->last_modified;
    /* The settings were checked when written; a check failing here means a damaged row. */
    enum yj_err rc = feed_format_parse(f->format, "format", &fmt, &err);
    if (!rc)
        rc = feed_source_parse(f->source, "source", a, &scheme, &path, &err);
    if (!rc && f->category)
        rc = intel_category_parse(f->category, "category", &d.category, &err);
    if (!rc && f->tlp)
        rc = intel_tlp_parse(f->tlp, "tlp", &d.tlp, &err);
    if (rc) {
        failed(o, a, &err);
        return;
    }
    d.has_category = f->category != NULL;
    d.has_tlp = f->tlp != NULL;
    feed_template(&d, now, &tmpl);
    if (fmt == FEED_MISP_FEED && scheme == FEED_FILE)
        read_misp_dir(f, path, &tmpl, a, o);
    else if (fmt == FEED_MISP_FEED)
        read_misp_url(f, &tmpl, stop, a, o);
    else
        read_one(f, fmt, path, &tmpl, stop, a, o);
}

/* The first API_FEED_RUN_PROBLEMS problems of an import, as JSON text in a. */
static const char *problem_list(const json_t *probs, struct yj_arena *a)
{
    json_t *keep = json_array();
    for (size_t i = 0; i < json_array_size(probs) && i < API_FEED_RUN_PROBLEMS; i++)
        json_array_append(keep, json_array_get(probs, i));
    char *text = json_dumps(keep, JSON_COMPACT);
    json_decref(keep);
    const char *out = text ? yj_arena_strdup(a, text) : "[]";
    free(text);
    return out;
}

static enum yj_err audit_run(struct store_tx *tx, const struct api_feed_run_ctx *ctx,
                             const struct store_feed_run *run, struct yj_arena *a, int64_t now,
                             struct yj_error *err)
{
    const struct store_feed_counts *c = &run->counts;
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:s?,s:o,s:I,s:I,s:I,s:I,s:I}", "run_id", (json_int_t)run->id,
                  "trigger", run->trigger, "status", run->status, "error", run->error, "import_id",
                  run->import_id ? json_integer(run->import_id) : json_null(), "objects",
                  (json_int_t)c->objects, "imported", (json_int_t)c->imported, "merged",
                  (json_int_t)c->merged, "flagged", (json_int_t)c->flagged, "problems",
                  (json_int_t)c->problems);
    char *changes = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    struct audit_entry e = ctx->actor;
    e.action = "feed.run";
    e.object_type = "feed";
    e.object_id = yj_arena_printf(a, "%lld", (long long)run->feed_id);
    e.changes = changes;
    enum yj_err rc = audit_append(tx, &e, now, err);
    free(changes);
    return rc;
}

/* Imports what o holds (when ok) and records the run, in one write transaction. */
static enum yj_err record(struct store *st, const struct store_feed *f,
                          const struct api_feed_run_ctx *ctx, int64_t started,
                          const struct outcome *o, struct yj_arena *a, struct store_feed_run *run,
                          struct yj_error *err)
{
    int64_t now = yj_now_ms(ctx->clock);
    bool manual = !strcmp(ctx->trigger, "manual");
    bool ok = !strcmp(o->status, "ok");
    *run = (struct store_feed_run){.feed_id = f->id,
                                   .trigger = ctx->trigger,
                                   .started_at = started,
                                   .finished_at = now,
                                   .status = o->status,
                                   .error = o->error,
                                   .http_status = o->http_status,
                                   .bytes = o->bytes,
                                   .problem_list = "[]",
                                   .created_by = manual ? ctx->actor.actor_id : 0};
    struct store_tx *tx = NULL;
    json_t *probs = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (!rc && ok) {
        enum feed_format fmt = FEED_STIX;
        feed_format_parse(f->format, "format", &fmt, NULL);
        struct api_import_req r = {.format = feed_format_import_code(fmt),
                                   .source = f->name,
                                   .created_by = run->created_by};
        struct audit_entry e = ctx->actor;
        e.action = "indicator.import";
        e.object_type = "indicator_import";
        struct store_import imp;
        rc = api_indicators_import_batch(tx, &r, &o->batch, now, &e, a, &imp, &probs, err);
        run->import_id = imp.id;
        run->counts = (struct store_feed_counts){.objects = imp.objects,
                                                 .imported = (int64_t)imp.counts.imported,
                                                 .merged = (int64_t)imp.counts.merged,
                                                 .flagged = (int64_t)imp.counts.flagged,
                                                 .problems = (int64_t)o->batch.n_problems};
        run->problem_list = problem_list(probs, a);
    }
    int64_t next = feed_next_run(f->next_run_at, f->interval_minutes, started);
    if (!rc)
        rc = store_feed_finish(tx, run, f->version, o->etag, o->last_modified, next, err);
    if (!rc && manual)
        rc = audit_run(tx, ctx, run, a, now, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    json_decref(probs);
    if (!rc && ok)
        api_indicators_changed();
    return rc;
}

enum yj_err api_feed_run(struct store *st, int64_t id, const struct api_feed_run_ctx *ctx,
                         struct yj_arena *a, struct store_feed_run *run, struct yj_error *err)
{
    int64_t started = yj_now_ms(ctx->clock);
    struct store_feed f;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (!rc)
        rc = store_feed_claim(tx, id, started, API_FEED_LEASE_MS, err);
    if (!rc)
        rc = store_feed_get(tx, id, a, &f, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    if (rc)
        return rc;
    struct outcome o = {0};
    intel_batch_init(&o.batch);
    read_source(&f, started, ctx->stop, a, &o);
    rc = record(st, &f, ctx, started, &o, a, run, err);
    if (rc) {
        /* The import could not be written: the run is recorded as failed, which also
         * ends its claim, with the reason. */
        struct outcome bad = {.status = "error",
                              .error = message(a, err),
                              .http_status = o.http_status,
                              .bytes = o.bytes,
                              .etag = f.etag,
                              .last_modified = f.last_modified};
        struct yj_error again;
        if (record(st, &f, ctx, started, &bad, a, run, &again) == YJ_OK)
            return YJ_OK;
        yj_log(YJ_LOG_ERROR, "feed.record_failed", "{s:I,s:s}", "feed_id", (json_int_t)id, "error",
               again.msg);
    }
    return rc;
}

int64_t api_feeds_run_due(struct store *st, const struct yj_clock *clock, const atomic_bool *stop)
{
    int64_t ids[API_FEED_DUE_BATCH], next = 0, now = yj_now_ms(clock);
    size_t n = 0;
    struct yj_error err;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(st, &tx, &err);
    if (!rc)
        rc = store_feed_due(tx, now, API_FEED_LEASE_MS, ids, API_FEED_DUE_BATCH, &n, &next, &err);
    store_tx_end(tx);
    if (rc) {
        yj_log(YJ_LOG_ERROR, "feed.due_failed", "{s:s}", "error", err.msg);
        return now + 1000;
    }
    bool trouble = false;
    for (size_t i = 0; i < n && !(stop && atomic_load(stop)); i++) {
        struct yj_arena a;
        yj_arena_init(&a, 0);
        struct api_feed_run_ctx ctx = {
            .clock = clock, .trigger = "schedule", .actor = {.actor = "system"}, .stop = stop};
        struct store_feed_run run;
        rc = api_feed_run(st, ids[i], &ctx, &a, &run, &err);
        if (!rc)
            yj_log(strcmp(run.status, "error") ? YJ_LOG_INFO : YJ_LOG_WARN, "feed.run",
                   "{s:I,s:I,s:s,s:I}", "feed_id", (json_int_t)ids[i], "run_id", (json_int_t)run.id,
                   "status", run.status, "imported", (json_int_t)run.counts.imported);
        /* Taken by a run by hand, disabled or deleted meanwhile: nothing to do. */
        else if (rc != YJ_ECONFLICT && rc != YJ_ENOTFOUND) {
            trouble = true;
            yj_log(YJ_LOG_ERROR, "feed.run_failed", "{s:I,s:s}", "feed_id", (json_int_t)ids[i],
                   "error", err.msg);
        }
        yj_arena_release(&a);
    }
    if (trouble)
        return now + 1000;
    /* After runs the schedule moved: ask again at once for what is next. */
    return n ? now : next;
}
