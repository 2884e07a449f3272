/*
 * store_threats.h - the store's part of threat reports and early warnings: the
 * reports with their five-tuples, indicators, evidence files and reviews; the
 * warnings with their affected products, vulnerability ids and reviews; the
 * accepted reports per unit for the evaluation. Conventions as in store.h:
 * everything in a transaction, strings from the caller's arena, YJ_ENOTFOUND /
 * YJ_EPRECOND (a version check) / YJ_ECONFLICT / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_THREATS_H
#define YJ_STORE_STORE_THREATS_H

#include "intel/threats.h"
#include "store/store.h"

/* --- threat reports ------------------------------------------------------------------- */

struct store_threat_report {
    int64_t id, version;
    int64_t unit_id; /* 0: filed by the authority */
    enum intel_category category;
    const char *title;
    const char *summary, *propagation_path, *affected; /* may be NULL */
    struct threat_disposal disposal;
    enum threat_status status;
    int64_t submitted_at; /* the last submission; 0: never */
    const char *review_comment;
    int64_t reviewed_by, reviewed_at; /* the last decision; 0: none */
    int64_t incident_id;              /* 0: not made into an incident */
    int64_t created_by, created_at, updated_at;
    /* Joined on reads, read-only: */
    const char *unit_name; /* NULL for the authority's */
};

/* Inserts with version 1; sets r->id and r->version. */
enum yj_err store_threat_insert(struct store_tx *tx, struct store_threat_report *r,
                                struct yj_error *err);
enum yj_err store_threat_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct store_threat_report *out, struct yj_error *err);
/* Writes every mutable field when the stored version is r->version, then bumps
 * r->version. YJ_EPRECOND when someone else changed it meanwhile. */
enum yj_err store_threat_update(struct store_tx *tx, struct store_threat_report *r,
                                struct yj_error *err);

struct store_threat_query {
    int64_t unit_id;    /* > 0: this unit's only */
    bool authority;     /* only the authority's own (unit_id NULL) */
    const char *status; /* NULL: any */
    const char *category;
    int64_t after_id; /* keyset: ids lower than this (newest first); 0: the start */
    int limit;        /* 0: no limit */
};
enum yj_err store_threat_list(struct store_tx *tx, const struct store_threat_query *q,
                              struct yj_arena *a, struct store_threat_report **items, size_t *n,
                              struct yj_error *err);

/* Replaces the report's five-tuples (in order) / indicators (in order). */
enum yj_err store_threat_tuples_set(struct store_tx *tx, int64_t report_id,
                                    const struct threat_tuple *t, size_t n, struct yj_error *err);
enum yj_err store_threat_tuples(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                struct threat_tuple **items, size_t *n, struct yj_error *err);
enum yj_err store_threat_indicators_set(struct store_tx *tx, int64_t report_id,
                                        const struct threat_indicator *ind, size_t n,
                                        struct yj_error *err);
enum yj_err store_threat_indicators(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                    struct threat_indicator **items, size_t *n,
                                    struct yj_error *err);

/* A decision on a report or a warning (decision is the decision's code). */
struct store_review {
    int64_t seq;
    const char *decision, *comment;
    int64_t version, reviewed_by, reviewed_at;
    const char *reviewer; /* joined: the reviewer's username */
};
/* Appends with the next seq (sets r->seq). */
enum yj_err store_threat_review_add(struct store_tx *tx, int64_t report_id, struct store_review *r,
                                    struct yj_error *err);
/* In order. */
enum yj_err store_threat_reviews(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                 struct store_review **items, size_t *n, struct yj_error *err);

/* An evidence file of a report. */
struct store_threat_file {
    int64_t report_id, seq;
    const char *sha256, *filename, *media_type;
    int64_t size;
    const char *note; /* may be NULL */
    int64_t added_by, added_at;
};
/* Appends with the next seq (sets f->seq). */
enum yj_err store_threat_file_add(struct store_tx *tx, struct store_threat_file *f,
                                  struct yj_error *err);
enum yj_err store_threat_files(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                               struct store_threat_file **items, size_t *n, struct yj_error *err);
enum yj_err store_threat_file_get(struct store_tx *tx, int64_t report_id, int64_t seq,
                                  struct yj_arena *a, struct store_threat_file *out,
                                  struct yj_error *err);

/* One unit's reports decided in a period: accepted (what the evaluation counts),
 * rejected (either kind) and returned decisions. */
struct store_threat_stat {
    int64_t unit_id;
    const char *unit_name;
    int64_t accepted, rejected, returned;
};
/* Units with at least one decision in [from, to) (by the decision's time), by accepted
 * reports, most first, then unit id; unit_id > 0: that unit's row only. */
enum yj_err store_threat_stats(struct store_tx *tx, int64_t from, int64_t to, int64_t unit_id,
                               struct yj_arena *a, struct store_threat_stat **items, size_t *n,
                               struct yj_error *err);

/* --- early warnings ----------------------------------------------------------------------- */

struct store_warning_product {
    const char *vendor; /* may be NULL */
    const char *product;
    const char *versions; /* may be NULL */
};

struct store_warning_ref {
    enum warn_ref_kind kind;
    const char *ref; /* canonical */
};

struct store_warning {
    int64_t id, version;
    int64_t unit_id; /* 0: the authority's own */
    const char *title;
    int64_t event_at;                                                      /* 0: not given */
    const char *description, *cause, *impact, *countermeasures, *analysis; /* may be NULL */
    bool has_colour;
    enum warn_colour colour;
    enum warn_status status;
    int64_t submitted_at;
    const char *review_comment;
    int64_t reviewed_by, reviewed_at, published_at;
    int64_t created_by, created_at, updated_at;
    const char *unit_name; /* joined, read-only */
};

enum yj_err store_warning_insert(struct store_tx *tx, struct store_warning *w,
                                 struct yj_error *err);
enum yj_err store_warning_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                              struct store_warning *out, struct yj_error *err);
/* Version-checked like store_threat_update. */
enum yj_err store_warning_update(struct store_tx *tx, struct store_warning *w,
                                 struct yj_error *err);

struct store_warning_query {
    int64_t unit_id;     /* > 0: this unit's only */
    bool published_only; /* bulletins */
    const char *status;  /* NULL: any */
    const char *colour;  /* NULL: any */
    const char *ref;     /* canonical id: only warnings citing it; NULL: any */
    /* published_to != 0: only warnings published in [published_from, published_to) */
    int64_t published_from, published_to;
    int64_t after_id; /* keyset: ids lower than this (newest first); 0: the start */
    int limit;        /* 0: no limit */
};
enum yj_err store_warning_list(struct store_tx *tx, const struct store_warning_query *q,
                               struct yj_arena *a, struct store_warning **items, size_t *n,
                               struct yj_error *err);

/* Replace the warning's products / ids (in order). */
enum yj_err store_warning_products_set(struct store_tx *tx, int64_t warning_id,
                                       const struct store_warning_product *p, size_t n,
                                       struct yj_error *err);
enum yj_err store_warning_products(struct store_tx *tx, int64_t warning_id, struct yj_arena *a,
                                   struct store_warning_product **items, size_t *n,
                                   struct yj_error *err);
enum yj_err store_warning_refs_set(struct store_tx *tx, int64_t warning_id,
                                   const struct store_warning_ref *r, size_t n,
                                   struct yj_error *err);
enum yj_err store_warning_refs(struct store_tx *tx, int64_t warning_id, struct yj_arena *a,
                               struct store_warning_ref **items, size_t *n, struct yj_error *err);

enum yj_err store_warning_review_add(struct store_tx *tx, int64_t warning_id,
                                     struct store_review *r, struct yj_error *err);
enum yj_err store_warning_reviews(struct store_tx *tx, int64_t warning_id, struct yj_arena *a,
                                  struct store_review **items, size_t *n, struct yj_error *err);

#endif
