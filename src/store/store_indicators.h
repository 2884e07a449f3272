/*
 * store_indicators.h - the store's part of the indicator store (issue 5):
 * indicators one row per (type, canonical value), merged on every import; their
 * sources, tags and linked threat reports; the MISP warning lists; a record of
 * every import; and the loaders that build the in-memory lookup and warning-list
 * matcher. Conventions as in store.h: everything in a transaction, strings from
 * the caller's arena, YJ_ENOTFOUND / YJ_EPRECOND / YJ_ECONFLICT / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_INDICATORS_H
#define YJ_STORE_STORE_INDICATORS_H

#include "intel/intel.h"
#include "intel/lookup.h"
#include "intel/warninglist.h"
#include "store/store.h"

/* --- indicators ------------------------------------------------------------------------ */

struct store_indicator {
    int64_t id, version;
    struct intel_indicator ind; /* source and external_id unused; tags read with the row */
    const char *flagged_by;     /* the warning list that covered it; NULL: none */
    int64_t created_at, updated_at;
};

/* What one import did. */
struct store_import_counts {
    size_t imported; /* new indicators */
    size_t merged;   /* merged into indicators already stored */
    size_t flagged;  /* covered by an enabled warning list: stored flagged, not malicious */
};

/*
 * Imports every indicator of b: a new (type, value) is inserted, a known one merged
 * (sightings added, first_seen the earliest, last_seen and valid_until the latest,
 * confidence the highest, tags and sources accumulated). source names where they came
 * from unless an indicator carries its own; report_id > 0 links each to that threat
 * report. wl (may be NULL): a value an enabled list covers is stored flagged with the
 * list's name. Rows of the same (type, value) in b merge as they would one by one: the
 * version counts every row, the description is the first given, a new value's category
 * and TLP are its first row's. New values get ids in the order they first appear in b;
 * a batch of 20,000 values or more in (type, value) order instead, which writes faster
 * into a large store. Written with multi-row statements (store_indicators_import.c); the
 * caller's transaction makes it all-or-nothing. Adds to *counts.
 */
enum yj_err store_indicators_import(struct store_tx *tx, const struct intel_batch *b,
                                    const char *source, int64_t report_id,
                                    const struct intel_warninglists *wl, int64_t now,
                                    struct store_import_counts *counts, struct yj_error *err);

enum yj_err store_indicator_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                struct store_indicator *out, struct yj_error *err);

/* Writes confidence, tlp, valid_until, description and the tags when the stored
 * version is r->version, then bumps it. YJ_EPRECOND when changed meanwhile. */
enum yj_err store_indicator_update(struct store_tx *tx, struct store_indicator *r, int64_t now,
                                   struct yj_error *err);

/* The states a list can ask for; each indicator is in exactly one, a flagged one
 * "flagged" whatever its valid_until (as the UI's state badge shows it). */
enum store_indicator_state {
    STORE_INDICATOR_ANY = 0,
    STORE_INDICATOR_LIVE,    /* not expired at now and not flagged */
    STORE_INDICATOR_EXPIRED, /* valid_until at or before now, not flagged */
    STORE_INDICATOR_FLAGGED, /* covered by a warning list when imported */
};

struct store_indicator_query {
    const char *type, *category, *tag; /* NULL: any */
    const char *tlp;                   /* NULL: any; else an intel_tlp_code() */
    const char *q;                     /* NULL: any; else the value contains it */
    bool live_only;                    /* not expired at now and not flagged */
    enum store_indicator_state state;  /* with live_only, both must hold */
    int64_t now;
    bool unit_view;    /* only what units may read: TLP clear, green and amber */
    int64_t report_id; /* > 0: only those linked to this threat report */
    int64_t after_id;  /* keyset: ids lower than this (newest first); 0: the start */
    int limit;         /* 0: no limit */
};
enum yj_err store_indicator_list(struct store_tx *tx, const struct store_indicator_query *q,
                                 struct yj_arena *a, struct store_indicator **items, size_t *n,
                                 struct yj_error *err);

struct store_indicator_source {
    const char *source;
    int64_t first_imported, last_imported, count;
};
enum yj_err store_indicator_sources(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                    struct store_indicator_source **items, size_t *n,
                                    struct yj_error *err);
/* The threat reports an indicator came from, oldest first. */
enum yj_err store_indicator_reports(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                    int64_t **ids, size_t *n, struct yj_error *err);

/* A new finished lookup (lookup.h) of every indicator not flagged, expired ones included
 * (the lookup answers by expiry at query time). YJ_ENOMEM, YJ_EIO. */
enum yj_err store_indicators_lookup(struct store_tx *tx, struct intel_lookup **out,
                                    struct yj_error *err);

/* --- imports ---------------------------------------------------------------------------- */

struct store_import {
    int64_t id;
    const char *format, *source;
    int64_t started_at, finished_at;
    int64_t objects;
    struct store_import_counts counts;
    const char *problems; /* JSON array text */
    int64_t created_by;   /* 0: the command line */
};
/* Sets imp->id. */
enum yj_err store_import_insert(struct store_tx *tx, struct store_import *imp,
                                struct yj_error *err);

/* --- warning lists ------------------------------------------------------------------------ */

struct store_warninglist {
    int64_t id, version;
    const char *name, *type, *description;
    int64_t list_version, entries;
    const char *json; /* NULL in lists */
    bool enabled;
    int64_t created_at, updated_at;
};
/* Inserts, or replaces the list of the same name (keeping its enabled flag); sets w->id
 * and w->version. */
enum yj_err store_warninglist_put(struct store_tx *tx, struct store_warninglist *w,
                                  struct yj_error *err);
enum yj_err store_warninglist_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_warninglist *out, struct yj_error *err);
/* By name, without their JSON. */
enum yj_err store_warninglist_list(struct store_tx *tx, struct yj_arena *a,
                                   struct store_warninglist **items, size_t *n,
                                   struct yj_error *err);
/* YJ_EPRECOND when the stored version is not w->version; bumps it. */
enum yj_err store_warninglist_set_enabled(struct store_tx *tx, struct store_warninglist *w,
                                          int64_t now, struct yj_error *err);
/* A new finished matcher of the enabled lists (an empty one when none). */
enum yj_err store_warninglists_load(struct store_tx *tx, struct intel_warninglists **out,
                                    struct yj_error *err);

#endif
