/*
 * api.h - the JSON API under /api/v1/ and the operational routes (/healthz,
 * /metrics). Handlers are thin: decode -> authorise (auth_policy_check) -> call
 * the store and domain modules -> encode. The route table here is what the
 * server serves and what the OpenAPI test compares with docs/openapi.yaml.
 */
#ifndef YJ_API_API_H
#define YJ_API_API_H

#include <jansson.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/http.h"
#include "store/store.h"
#include "units/units.h"

struct yj_cache;
struct yj_ratelimit;
struct notify_config;
struct api_background;

/* What the operator chooses at start (`yingji serve` flags). */
struct api_options {
    /*
     * The public certificate look-up's limit per client address: a burst of this
     * many, refilled at this many a minute (one every 60000 / n ms, rounded up).
     * 0 turns the limit off, for deployments whose reverse proxy limits instead and
     * for the benchmark; 1..API_PUBLIC_LIMIT_MAX otherwise (api_certs.h).
     */
    int public_limit;
};

/* The options of a plain `yingji serve`: public_limit API_PUBLIC_LIMIT_DEFAULT. */
struct api_options api_options_default(void);

struct api_app {
    struct store *store;
    struct yj_cache *renderings; /* JSON of units by (kind, id, version); see units_api.c */
    struct auth_ctx auth;
    const struct yj_clock *clock;
    char *openapi; /* docs/openapi.yaml as served; malloc'd and freed by api_app_release */
    size_t openapi_len;
    int public_limit; /* from api_options; 0: the public look-up is not limited */
    /* The public look-up's per-address limiter, made from public_limit by api_app_init
     * (NULL when it is 0); owned by the app. Thread-safe (core/ratelimit.h); the pointer
     * never changes while the app serves. */
    struct yj_ratelimit *public_limiter;
    /* The background worker (api_background_start), NULL when none runs: then
     * api_background_kick does nothing and queued messages wait for one. */
    struct api_background *background;
};

/*
 * Sets up the app over an open store: loads the CSRF key and makes the public
 * look-up's limiter from opt (NULL: api_options_default()). YJ_EINVAL (field
 * "public_limit") for a limit out of range, YJ_ENOMEM, or the store's error.
 * On failure nothing is left to release.
 */
enum yj_err api_app_init(struct api_app *app, struct store *st, const struct yj_clock *clock,
                         const struct api_options *opt, struct yj_error *err);
/* Frees what the app owns (not the store or the clock). */
void api_app_release(struct api_app *app);

/* Jobs that run on a timer (serve calls it every 30 s): whatever must happen by
 * itself at a time, such as certificates expiring at their valid_to. Errors are
 * logged; the next run tries again. */
void api_periodic(struct api_app *app);

/* --- the background worker (background.c) ---------------------------------------------------
 *
 * Three threads that do what is due by themselves: one fires the stored timers
 * (api_incident_timers_run: deadlines and their escalations), one delivers the
 * notification outbox (notify_deliver_due), one runs the indicator feeds that are
 * due (api_feeds_run_due), so that slow deliveries and fetches never hold a deadline
 * back (see background.c). Each runs a pass, then sleeps until its next
 * due time, a kick, or at most a second (200 ms when YINGJI_TEST_CLOCK_FILE is set,
 * since a test's time moves by file, not by the passing of real time). Errors are
 * logged; the next pass tries again.
 */

/* Starts the worker over app (its store and clock) with cfg (copied). Call once,
 * after api_app_init; stop it with api_background_stop before api_app_release.
 * YJ_ENOMEM, YJ_EINTERNAL when the thread cannot start. */
enum yj_err api_background_start(struct api_app *app, const struct notify_config *cfg,
                                 struct yj_error *err);

/* Wakes both threads for a pass now: call after committing a transaction that queued
 * messages (notify_enqueue). Cheap, never blocks on a pass; a no-op without a worker. */
void api_background_kick(struct api_app *app);

/* Stops the worker, waiting for the passes in progress to end (a delivery is bounded
 * by notify_config.timeout_ms), and frees it. A no-op without a worker. */
void api_background_stop(struct api_app *app);

extern const struct http_route api_routes[];
extern const size_t api_routes_count;

/*
 * Decodes a unit from a JSON object, strictly: unknown or read-only keys, wrong
 * types and malformed times are YJ_EINVAL naming the field path. Strings point
 * into the arena. Does not run unit_validate (the caller does).
 */
enum yj_err api_unit_decode(const json_t *obj, struct yj_arena *a, struct unit *out,
                            struct yj_error *err);

/*
 * Encodes a unit. With personal false, contacts, staff and on-call are left out
 * and "personal_data_hidden": true is added. With for_patch, the read-only keys
 * (id, version, timestamps) are left out, giving the document a merge patch
 * applies to. Returns a new reference, or NULL on ENOMEM.
 */
json_t *api_unit_encode(const struct unit *u, bool personal, bool for_patch);

/* RFC 7396 JSON merge patch: returns a new reference to target with patch applied. */
json_t *api_merge_patch(const json_t *target, const json_t *patch);

/*
 * The "changes" object of an audit record for an update: for each top-level key
 * whose value differs, {"key": {"old": ..., "new": ...}}. New reference.
 */
json_t *api_json_diff(const json_t *before, const json_t *after);

/*
 * Parses a request body as one JSON object: UTF-8, no duplicate keys, at most
 * HTTP_MAX_BODY. YJ_EINVAL with field "body" and the position of a syntax error.
 */
enum yj_err api_parse_object(const char *body, size_t len, json_t **out, struct yj_error *err);

#endif
