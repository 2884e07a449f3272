/*
 * store_disposal.h - the store's part of disposal notices (处置通知): each notice with
 * exactly what was sent (subject, text, values, five-tuples, recipients), the hash of
 * its owner's link token, its state and its event history. Conventions as in
 * store.h: everything in a transaction, strings from the caller's arena,
 * YJ_ENOTFOUND / YJ_EPRECOND (a version check) / YJ_ECONFLICT / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_DISPOSAL_H
#define YJ_STORE_STORE_DISPOSAL_H

#include "intel/disposal.h"
#include "store/store.h"

struct store_disposal_recipient {
    const char *role;                 /* the contact's role: abuse, security, other */
    const char *name, *email, *phone; /* each may be NULL */
};

struct store_disposal {
    int64_t id, version;
    int64_t threat_report_id, constituent_id;
    const char *constituent_name, *constituent_kind; /* as when sent */
    enum disposal_status status;
    struct threat_disposal measure;
    const char *subject, *text; /* exactly what was sent */
    int64_t deadline_at;
    int64_t overdue_at; /* 0: not overdue */
    /* Hex SHA-256 of the link's token: written by insert, and by update when not NULL
     * (a resend gives a new link); never read back. */
    const char *token_hash;
    int64_t created_by, created_at, sent_at;
    int64_t acknowledged_at, handled_at;                 /* 0: not yet */
    const char *acknowledged_by, *handled_by, *feedback; /* may be NULL */
    int64_t updated_at;
    /* Joined on reads, read-only: */
    const char *report_title;
    int64_t report_unit_id; /* 0: the authority's own report */
    const char *created_by_name;
    /* Written by insert; read by the gets, not by the list: */
    struct disposal_value *values;
    size_t n_values;
    struct threat_tuple *tuples;
    size_t n_tuples;
    struct store_disposal_recipient *recipients;
    size_t n_recipients;
};

/* Inserts d with its lists, version 1; sets d->id and d->version. YJ_ECONFLICT
 * "constituent_ids" when the report already has a notice to that constituent. */
enum yj_err store_disposal_insert(struct store_tx *tx, struct store_disposal *d,
                                  struct yj_error *err);
/* A notice with its lists; YJ_ENOTFOUND when absent. */
enum yj_err store_disposal_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_disposal *out, struct yj_error *err);
/* The notice whose link token hashes to token_hash, with its lists; YJ_ENOTFOUND. */
enum yj_err store_disposal_get_by_token(struct store_tx *tx, const char *token_hash,
                                        struct yj_arena *a, struct store_disposal *out,
                                        struct yj_error *err);
/* Writes the state, its times and names, feedback, overdue_at, sent_at, updated_at (and
 * the token hash when set) when the stored version is d->version, then bumps it.
 * YJ_EPRECOND when someone else changed it meanwhile. */
enum yj_err store_disposal_update(struct store_tx *tx, struct store_disposal *d,
                                  struct yj_error *err);

struct store_disposal_query {
    const char *status;       /* NULL: any */
    int overdue;              /* -1: any; 1: overdue_at set; 0: not */
    int64_t threat_report_id; /* > 0: of this report */
    int64_t constituent_id;   /* > 0: to this constituent */
    int64_t unit_id;          /* > 0: of reports this unit filed */
    /* Keyset in the list's order (open overdue notices first, then by deadline, then
     * id): the notices after the one with this id; 0: the start. */
    int64_t after_id;
    int limit; /* 0: no limit */
};
/* Notices without their lists, in the order above. */
enum yj_err store_disposal_list(struct store_tx *tx, const struct store_disposal_query *q,
                                struct yj_arena *a, struct store_disposal **items, size_t *n,
                                struct yj_error *err);

/* The constituents the report has notices to, ascending. */
enum yj_err store_disposal_notified(struct store_tx *tx, int64_t report_id, struct yj_arena *a,
                                    int64_t **ids, size_t *n, struct yj_error *err);

struct store_disposal_event {
    int64_t seq, at;
    const char *action; /* sent, resent, acknowledged, handled, overdue */
    const char *actor;  /* user, owner, system */
    int64_t user_id;    /* with actor "user"; else 0 */
    const char *by;     /* as shown; may be NULL */
    const char *note;   /* may be NULL */
};
/* Appends with the next seq (sets e->seq). */
enum yj_err store_disposal_event_add(struct store_tx *tx, int64_t disposal_id,
                                     struct store_disposal_event *e, struct yj_error *err);
/* In order. */
enum yj_err store_disposal_events(struct store_tx *tx, int64_t disposal_id, struct yj_arena *a,
                                  struct store_disposal_event **items, size_t *n,
                                  struct yj_error *err);

#endif
