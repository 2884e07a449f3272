/*
 * api_feeds.h - scheduled indicator feeds (intel/feed.h) over HTTP: the feeds,
 * a run by hand, the run history (routes in routes_feeds.inc; docs/api-feeds.md
 * is the prose contract). Also what the scheduler (background.c) and the command
 * line (`yingji intel feed`) share: one run start to end, the due runs, and the
 * fetch of a source.
 *
 * A run never holds the store's write lock while it reads its source: it claims
 * the feed in one short transaction, fetches and parses outside any, then imports
 * through the import path of POST /api/v1/indicators/import (api_indicators.h) and
 * records itself in a second one.
 */
#ifndef YJ_API_API_FEEDS_H
#define YJ_API_API_FEEDS_H

#include <stdatomic.h>
#include <stdbool.h>

#include "api/api.h"
#include "api/api_indicators.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "http/http.h"
#include "store/store_feeds.h"

enum {
    API_FEED_BODY_MAX = API_INDICATOR_IMPORT_MAX, /* bytes one run reads, all files together */
    API_FEED_TIMEOUT_MS = 120000,                 /* one HTTP request, start to end */
    API_FEED_CONNECT_MS = 15000,
    API_FEED_REDIRECTS_MAX = 3,
    API_FEED_LEASE_MS = 60 * 60 * 1000, /* a claim older than this is a dead run's */
    API_FEED_VALIDATOR_MAX = 256,       /* bytes of an ETag or Last-Modified kept */
    API_FEED_EVENTS_MAX = 1000,         /* event files of a MISP feed read over HTTP per run */
    API_FEED_RUN_PROBLEMS = 20,         /* problems a run's record keeps (the rest counted) */
    API_FEED_DUE_BATCH = 16,            /* due feeds one scheduler pass takes */
};

/* feeds_api.c */
void api_feeds_list(void *app, struct http_request *req, struct http_response *resp);
void api_feeds_create(void *app, struct http_request *req, struct http_response *resp);
void api_feeds_get(void *app, struct http_request *req, struct http_response *resp);
void api_feeds_patch(void *app, struct http_request *req, struct http_response *resp);
void api_feeds_delete(void *app, struct http_request *req, struct http_response *resp);
void api_feeds_run(void *app, struct http_request *req, struct http_response *resp);
void api_feeds_runs(void *app, struct http_request *req, struct http_response *resp);

/* --- fetching a source (feeds_fetch.c) ------------------------------------------------ */

/* What one fetch got. Release with api_feed_fetched_release. */
struct api_feed_fetched {
    long http_status;  /* the final answer's status; 0 for a file */
    bool not_modified; /* 304, or a file whose validators are those sent */
    struct yj_buf body;
    char etag[API_FEED_VALIDATOR_MAX];          /* the answer's validators; "" when none */
    char last_modified[API_FEED_VALIDATOR_MAX]; /* ... */
};
void api_feed_fetched_release(struct api_feed_fetched *f);

/*
 * GETs url (http or https; redirects followed up to API_FEED_REDIRECTS_MAX, to http(s)
 * only; API_FEED_TIMEOUT_MS in all) into out->body, at most max bytes after decoding,
 * sending If-None-Match etag and If-Modified-Since last_modified when not NULL. A 304
 * sets out->not_modified with an empty body. stop (may be NULL) aborts the transfer
 * once set. Errors name field "source" and never carry the URL (it may hold a password):
 * YJ_EIO for a transfer that failed or an answer other than 200 and 304 ("the server
 * answered 404"), YJ_ETOOBIG past max, YJ_EBUSY when stopped, YJ_ENOMEM. out is set up
 * by the call, also on failure.
 */
enum yj_err api_feed_fetch_url(const char *url, const char *etag, const char *last_modified,
                               size_t max, const atomic_bool *stop, struct api_feed_fetched *out,
                               struct yj_error *err);

/*
 * The file at path as a fetch: its validators are its size and modification time
 * (etag "\"<size>-<mtime in ns>\"", last_modified the time in RFC 3339); when they are
 * etag and last_modified, out->not_modified and nothing is read; with read false only
 * the validators are taken (a MISP feed's manifest, which the importer reads itself).
 * YJ_EIO naming "source" when it cannot be read or is not a regular file; YJ_ETOOBIG
 * past max.
 */
enum yj_err api_feed_read_file(const char *path, const char *etag, const char *last_modified,
                               size_t max, bool read, struct api_feed_fetched *out,
                               struct yj_error *err);

/* --- runs (feeds_run.c) ----------------------------------------------------------------- */

struct api_feed_run_ctx {
    const struct yj_clock *clock; /* started_at, finished_at and the import's time */
    const char *trigger;          /* "schedule" or "manual" */
    /* Who runs it, for the audit chain: actor_id, actor and source_ip (action, object and
     * changes are the run's). A manual run appends "feed.run"; a run that imports appends
     * the import's "indicator.import" as that actor. */
    struct audit_entry actor;
    const atomic_bool *stop; /* may be NULL: ends a fetch early (the server stopping) */
};

/*
 * Runs feed id once: claims it (live, enabled, not running), reads its source
 * conditionally, parses it with the feed's defaults and imports it, then records the
 * run (*run, strings in a) and the feed's new state: last_status "ok",
 * "not_modified" (nothing imported) or "error" (with the message of the fetch or the
 * parser; nothing imported), the answer's validators, and next_run_at by
 * feed_next_run. YJ_OK whenever the run was recorded, whatever its status;
 * YJ_ENOTFOUND, YJ_ECONFLICT ("enabled" when disabled; running), or the store's
 * error, when there was no run.
 */
enum yj_err api_feed_run(struct store *st, int64_t id, const struct api_feed_run_ctx *ctx,
                         struct yj_arena *a, struct store_feed_run *run, struct yj_error *err);

/*
 * The scheduler's pass: runs every feed due by clock's now, one after another (until
 * stop is set), as the system. Returns when a feed is next due (0: none), never less
 * than a second ahead when one could not be run, so that a failing store is not
 * retried in a busy loop. Errors are logged.
 */
int64_t api_feeds_run_due(struct store *st, const struct yj_clock *clock, const atomic_bool *stop);

#endif
