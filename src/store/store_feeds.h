/*
 * store_feeds.h - the store's part of scheduled indicator feeds (intel/feed.h):
 * the feeds with their settings and the state of their last run, the claim that
 * keeps two runs of one feed apart, the scheduler's due list, and the run history.
 * Conventions as in store.h: everything in a transaction, strings from the
 * caller's arena, YJ_ENOTFOUND / YJ_EPRECOND / YJ_ECONFLICT / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_FEEDS_H
#define YJ_STORE_STORE_FEEDS_H

#include <stdbool.h>

#include "store/store.h"

/* What a run read and imported. */
struct store_feed_counts {
    int64_t objects, imported, merged, flagged, problems;
};

struct store_feed {
    int64_t id, version;
    const char *name, *source, *format;
    const char *columns;  /* NULL: none */
    const char *category; /* defaults, each NULL when not set */
    const char *tlp;      /* ... */
    int64_t confidence;   /* -1: not set */
    int64_t valid_days;   /* 0: not set */
    int64_t interval_minutes;
    bool enabled;
    const char *etag, *last_modified;     /* the last answer's validators; NULL: none */
    int64_t last_run_at;                  /* 0: never ran */
    const char *last_status;              /* "ok", "not_modified", "error"; NULL: never ran */
    const char *last_error;               /* NULL unless the last run failed */
    struct store_feed_counts last_counts; /* of the last run (zero when it never ran) */
    int64_t next_run_at;                  /* 0 while disabled */
    int64_t running_since;                /* 0: no run holds it */
    int64_t created_by;                   /* 0: the command line */
    int64_t created_at, updated_at;
};

/* Inserts f (its settings and next_run_at); sets id, version 1 and the times. YJ_ECONFLICT
 * naming "name" when a live feed has that name. */
enum yj_err store_feed_insert(struct store_tx *tx, struct store_feed *f, int64_t now,
                              struct yj_error *err);

/* A live feed; YJ_ENOTFOUND when absent or deleted. */
enum yj_err store_feed_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                           struct store_feed *out, struct yj_error *err);

/* Writes f's settings, validators and next_run_at when the stored version is f->version,
 * then bumps it. YJ_EPRECOND when changed meanwhile; YJ_ECONFLICT naming "name". */
enum yj_err store_feed_update(struct store_tx *tx, struct store_feed *f, int64_t now,
                              struct yj_error *err);

/* Marks it deleted (its runs stay); YJ_EPRECOND as above. */
enum yj_err store_feed_delete(struct store_tx *tx, int64_t id, int64_t version, int64_t now,
                              struct yj_error *err);

struct store_feed_query {
    int enabled;      /* -1: any; 0 or 1 */
    int64_t after_id; /* keyset: ids greater than this; 0: the start */
    int limit;        /* 0: no limit */
};
/* Live feeds by id. */
enum yj_err store_feed_list(struct store_tx *tx, const struct store_feed_query *q,
                            struct yj_arena *a, struct store_feed **items, size_t *n,
                            struct yj_error *err);

/*
 * Claims feed id for a run at now: it must be live and enabled, and not held by
 * another run unless that claim is older than lease_ms (a process that died mid-run).
 * YJ_ENOTFOUND; YJ_ECONFLICT naming "enabled" when disabled, else saying it is running.
 */
enum yj_err store_feed_claim(struct store_tx *tx, int64_t id, int64_t now, int64_t lease_ms,
                             struct yj_error *err);

/*
 * Up to max live, enabled feeds due at now (next_run_at <= now) that no run holds (or
 * whose claim is older than lease_ms), the earliest first, into ids[] (*n of them); and
 * *next the earliest next_run_at of the others that no run holds (0: none).
 */
enum yj_err store_feed_due(struct store_tx *tx, int64_t now, int64_t lease_ms, int64_t *ids,
                           size_t max, size_t *n, int64_t *next, struct yj_error *err);

/* One run of a feed. */
struct store_feed_run {
    int64_t id, feed_id;
    const char *trigger; /* "schedule", "manual" */
    int64_t started_at, finished_at;
    const char *status;  /* "ok", "not_modified", "error" */
    const char *error;   /* NULL unless status is error */
    int64_t http_status; /* 0: a file source or no answer */
    int64_t bytes;
    int64_t import_id; /* 0: nothing was imported */
    struct store_feed_counts counts;
    const char *problem_list; /* JSON array text */
    int64_t created_by;       /* 0: the schedule or the command line */
};

/*
 * Records run (sets run->id) and ends the claim on its feed: last_run_at, last_status,
 * last_error and the run's counts always; the validators etag and last_modified (NULL:
 * none) and next_run_at only when the feed's settings are still those of version (a
 * change during the run set its own schedule and source).
 */
enum yj_err store_feed_finish(struct store_tx *tx, struct store_feed_run *run, int64_t version,
                              const char *etag, const char *last_modified, int64_t next_run_at,
                              struct yj_error *err);

/* A feed's runs, newest first: ids lower than before_id (0: the newest), at most limit
 * (0: all). */
enum yj_err store_feed_runs(struct store_tx *tx, int64_t feed_id, int64_t before_id, int limit,
                            struct yj_arena *a, struct store_feed_run **items, size_t *n,
                            struct yj_error *err);

#endif
