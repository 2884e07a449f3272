/*
 * store_certs.h - certificates, their status history, revocation causes, the
 * bans revocations impose and re-qualification tasks. Included by store.h; see
 * there for the conventions (transactions, arenas, errors). The structs are the
 * certificate domain's own (certs/certs.h), as units' are units.h's; the rules
 * (which transition is allowed, when a certificate is due) are the domain's
 * too: these functions only read and write what they are told.
 */
#ifndef YJ_STORE_CERTS_H
#define YJ_STORE_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certs/certs.h"
#include "core/arena.h"
#include "core/err.h"

struct store_tx;

/* --- certificates ------------------------------------------------------------------------- */

/* Inserts c (every field but id, version and the timestamps) with version 1 and
 * created_at = updated_at = now, and sets those in c. YJ_ECONFLICT (field
 * "number") when the number is taken. */
enum yj_err store_cert_insert(struct store_tx *tx, struct cert *c, int64_t now,
                              struct yj_error *err);

/* One certificate by id or by number; YJ_ENOTFOUND when there is none. */
enum yj_err store_cert_get(struct store_tx *tx, int64_t id, struct yj_arena *a, struct cert *out,
                           struct yj_error *err);
enum yj_err store_cert_get_by_number(struct store_tx *tx, const char *number, struct yj_arena *a,
                                     struct cert *out, struct yj_error *err);

struct store_cert_query {
    int64_t unit_id;     /* > 0: that unit's only */
    int64_t campaign_id; /* > 0: that campaign's only */
    const char *status;  /* a stored status code; NULL for all */
    int64_t after_id;    /* keyset cursor: ids greater than this */
    int limit;           /* rows wanted (the page's limit + 1 to learn whether more follow) */
};

/* *items is an arena array of up to q->limit certificates in id order. */
enum yj_err store_cert_list(struct store_tx *tx, const struct store_cert_query *q,
                            struct yj_arena *a, struct cert **items, size_t *n,
                            struct yj_error *err);

/* Sets the status of certificate id to `to` and bumps its version, if its version
 * is still expected_version and its status still `from`; else YJ_EPRECOND (field
 * "If-Match"), which also covers a certificate that does not exist. */
enum yj_err store_cert_status_set(struct store_tx *tx, int64_t id, int64_t expected_version,
                                  enum cert_status from, enum cert_status to, int64_t now,
                                  struct yj_error *err);

/* Appends ev (all but seq) to the certificate's history as its next seq, set in ev. */
enum yj_err store_cert_event_insert(struct store_tx *tx, int64_t cert_id, struct cert_event *ev,
                                    struct yj_error *err);

/* The whole history of a certificate, oldest first (an arena array; n 0 for none). */
enum yj_err store_cert_events(struct store_tx *tx, int64_t cert_id, struct yj_arena *a,
                              struct cert_event **items, size_t *n, struct yj_error *err);

/* The next free sequence for (pattern, year): one more than the highest number that
 * cert_number_sequence recognises as that pattern's for year, or 1. YJ_EINVAL for a
 * bad pattern or year (as cert_number_format). */
enum yj_err store_cert_next_sequence(struct store_tx *tx, const char *pattern, int year,
                                     int64_t *seq, struct yj_error *err);

/*
 * Ids (an arena array, at most limit, oldest valid_to first) of certificates stored as
 * valid or suspended whose valid_to is before today ("YYYY-MM-DD", CST): those
 * due to be recorded as expired. cert_id > 0 asks about that one only. Walks the
 * partial index certificates_due.
 */
enum yj_err store_cert_due(struct store_tx *tx, const char *today, int64_t cert_id, int limit,
                           struct yj_arena *a, int64_t **ids, size_t *n, struct yj_error *err);

/* The unit's current certificate: stored valid, else suspended, with valid_to on or
 * after today, the latest-ending (then newest) first. YJ_ENOTFOUND when none. */
enum yj_err store_cert_current(struct store_tx *tx, int64_t unit_id, const char *today,
                               struct yj_arena *a, struct cert *out, struct yj_error *err);

/* --- revocation causes ---------------------------------------------------------------------- */

/* Every cause in its reference order (an arena array). */
enum yj_err store_cert_causes(struct store_tx *tx, struct yj_arena *a, struct cert_cause **items,
                              size_t *n, struct yj_error *err);
/* One cause; YJ_ENOTFOUND for an unknown code. */
enum yj_err store_cert_cause_get(struct store_tx *tx, const char *code, struct yj_arena *a,
                                 struct cert_cause *out, struct yj_error *err);

/* --- bans ------------------------------------------------------------------------------------ */

/* Inserts a row of unit_bans (every field but id, which it sets). */
enum yj_err store_cert_ban_insert(struct store_tx *tx, struct cert_ban *b, struct yj_error *err);
/* A unit's bans, oldest first (an arena array). */
enum yj_err store_cert_bans(struct store_tx *tx, int64_t unit_id, struct yj_arena *a,
                            struct cert_ban **items, size_t *n, struct yj_error *err);

/* --- re-qualification tasks ------------------------------------------------------------------- */

/* Inserts t as an open task (every field but id, which it sets; closed fields ignored). */
enum yj_err store_requal_insert(struct store_tx *tx, struct cert_requal *t, struct yj_error *err);
enum yj_err store_requal_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct cert_requal *out, struct yj_error *err);

struct store_requal_query {
    int64_t unit_id;  /* > 0: that unit's only */
    int state;        /* -1 all, 0 open, 1 closed */
    int64_t after_id; /* keyset cursor */
    int limit;
};
/* *items is an arena array of up to q->limit tasks in id order. */
enum yj_err store_requal_list(struct store_tx *tx, const struct store_requal_query *q,
                              struct yj_arena *a, struct cert_requal **items, size_t *n,
                              struct yj_error *err);

/* Records decision on the open task id and, with close, closes it (at now, by).
 * YJ_ENOTFOUND when absent, YJ_ECONFLICT (field "status") when already closed. */
enum yj_err store_requal_decide(struct store_tx *tx, int64_t id, const char *decision, bool close,
                                int64_t now, int64_t by, struct yj_error *err);

#endif
