/*
 * store_notify.h - the notification tables: the outbox and its delivery
 * attempts, webhook endpoints and in-app notifications. Included by store.h;
 * see there for the conventions (transactions, arenas, errors). The rules
 * (what to queue, back-off, what a delivery is) are notify/notify.h's: these
 * functions only read and write what they are told.
 *
 * Leases: a delivery pass claims due rows by setting lease_until in a short
 * write transaction and delivers them afterwards, outside any transaction;
 * another pass or process skips leased rows until the lease runs out, so two
 * workers never deliver the same row at once, and a worker that died mid-way
 * leaves rows that become due again when their lease ends.
 */
#ifndef YJ_STORE_NOTIFY_H
#define YJ_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_tx;

/* --- the outbox ----------------------------------------------------------------------------- */

/* One message to one recipient over one channel. Strings are arena-allocated on reads. */
struct store_outbox {
    int64_t id;
    const char *channel;        /* "email" or "webhook" */
    const char *recipient;      /* the address, or the webhook's id in decimal */
    const char *recipient_name; /* may be NULL */
    const char *event;
    const char *subject;
    const char *body;       /* the content as notify.c stores it (a JSON document) */
    const char *ref_type;   /* may be NULL */
    int64_t ref_id;         /* 0 when none */
    const char *dedupe_key; /* may be NULL */
    const char *status;     /* "pending", "sent", "failed", "cancelled" */
    int64_t attempts;
    int64_t next_attempt_at;
    int64_t lease_until;    /* 0 when not leased */
    const char *last_error; /* may be NULL */
    int64_t created_at;
    int64_t sent_at; /* 0 until sent */
};

/* One delivery attempt of an outbox row. */
struct store_outbox_attempt {
    int64_t n; /* 1, 2, ... */
    int64_t at;
    bool ok;
    const char *detail; /* e.g. "smtp 250", "http 500", a curl error; never personal data */
};

/*
 * Inserts r (every field but id, attempts, lease_until, last_error, sent_at) and
 * sets r->id. A row whose dedupe_key is already taken is not inserted: *inserted
 * (may be NULL) says whether it was, and r->id is then 0.
 */
enum yj_err store_outbox_insert(struct store_tx *tx, struct store_outbox *r, bool *inserted,
                                struct yj_error *err);

/*
 * Claims up to max rows due at now (pending, next_attempt_at <= now, not leased
 * past now) by setting their lease_until, and returns them in due order (an arena
 * array; *n 0 for none). Run it in a write transaction and commit before delivering.
 */
enum yj_err store_outbox_claim(struct store_tx *tx, int64_t now, int64_t lease_until, int max,
                               struct yj_arena *a, struct store_outbox **items, size_t *n,
                               struct yj_error *err);

/*
 * Records attempt a of row id (a->n must be the row's attempts + 1) and moves the
 * row: status, next_attempt_at, last_error = a->detail unless a->ok, sent_at =
 * a->at when a->ok, and the lease released. YJ_ENOTFOUND for no such row.
 */
enum yj_err store_outbox_record(struct store_tx *tx, int64_t id,
                                const struct store_outbox_attempt *a, const char *status,
                                int64_t next_attempt_at, struct yj_error *err);

/* Gives a claimed row back unattempted (its lease released, nothing recorded). */
enum yj_err store_outbox_release(struct store_tx *tx, int64_t id, struct yj_error *err);

/* When the next pending row may be claimed (the later of its next_attempt_at and its
 * lease); 0 when nothing is pending. */
enum yj_err store_outbox_next_due(struct store_tx *tx, int64_t *at, struct yj_error *err);

/* Cancels the pending rows of a webhook (it was deleted); *n (may be NULL) gets how many. */
enum yj_err store_outbox_cancel_webhook(struct store_tx *tx, int64_t webhook_id, int64_t *n,
                                        struct yj_error *err);

enum yj_err store_outbox_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct store_outbox *out, struct yj_error *err);

struct store_outbox_query {
    const char *status;   /* NULL for all */
    const char *channel;  /* NULL for all */
    const char *event;    /* NULL for all */
    const char *ref_type; /* NULL for all; with ref_id > 0, that object's only */
    int64_t ref_id;
    int64_t before_id; /* keyset cursor, newest first: ids below this; 0 for the newest */
    int limit;         /* rows wanted (the page's limit + 1 to learn whether more follow) */
};

/* *items is an arena array of up to q->limit rows, newest (highest id) first. */
enum yj_err store_outbox_list(struct store_tx *tx, const struct store_outbox_query *q,
                              struct yj_arena *a, struct store_outbox **items, size_t *n,
                              struct yj_error *err);

/* Every attempt of row id, oldest first (an arena array; *n 0 for none). */
enum yj_err store_outbox_attempts(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_outbox_attempt **items, size_t *n,
                                  struct yj_error *err);

/* --- webhooks -------------------------------------------------------------------------------- */

struct store_webhook {
    int64_t id;
    const char *name;
    const char *url;
    const char *secret; /* NULL when unsigned; never shown by the API */
    const char *events; /* "*" or a comma-separated list of event names */
    bool enabled;
    int64_t created_at, updated_at;
};

/* Inserts w with created_at = updated_at = now and sets w->id and the timestamps. */
enum yj_err store_webhook_insert(struct store_tx *tx, struct store_webhook *w, int64_t now,
                                 struct yj_error *err);
enum yj_err store_webhook_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                              struct store_webhook *out, struct yj_error *err);
/* Writes name, url, secret, events, enabled and updated_at. YJ_ENOTFOUND for no such row. */
enum yj_err store_webhook_update(struct store_tx *tx, const struct store_webhook *w,
                                 struct yj_error *err);
/* YJ_ENOTFOUND for no such row. */
enum yj_err store_webhook_delete(struct store_tx *tx, int64_t id, struct yj_error *err);
/* Webhooks in id order after after_id (only enabled ones with enabled_only); an arena
 * array of up to limit. */
enum yj_err store_webhook_list(struct store_tx *tx, bool enabled_only, int64_t after_id, int limit,
                               struct yj_arena *a, struct store_webhook **items, size_t *n,
                               struct yj_error *err);

/* --- in-app notifications -------------------------------------------------------------------- */

struct store_notification {
    int64_t id;
    int64_t user_id;
    const char *event;
    const char *title;
    const char *body;     /* may be NULL */
    const char *link;     /* may be NULL */
    const char *ref_type; /* may be NULL */
    int64_t ref_id;       /* 0 when none */
    int64_t created_at;
    int64_t read_at; /* 0 while unread */
};

/* Inserts n (every field but id and read_at) and sets n->id. */
enum yj_err store_notification_insert(struct store_tx *tx, struct store_notification *n,
                                      struct yj_error *err);

/* Whether the user already has a notification with exactly n's event, reference,
 * title and body (how in-app notifications are deduplicated: the table keeps no key). */
enum yj_err store_notification_exists(struct store_tx *tx, const struct store_notification *n,
                                      bool *exists, struct yj_error *err);

/* One notification, whoever's it is (the caller asks the policy with its user_id);
 * YJ_ENOTFOUND when absent. */
enum yj_err store_notification_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                   struct store_notification *out, struct yj_error *err);

/* The user's notifications newest first, ids below before_id (0: from the newest),
 * only unread ones with unread_only; an arena array of up to limit. */
enum yj_err store_notification_list(struct store_tx *tx, int64_t user_id, bool unread_only,
                                    int64_t before_id, int limit, struct yj_arena *a,
                                    struct store_notification **items, size_t *n,
                                    struct yj_error *err);

/* Marks one (still unread) notification of user_id read at now; YJ_ENOTFOUND when it is
 * absent or another user's. A notification already read keeps its first read_at. */
enum yj_err store_notification_read(struct store_tx *tx, int64_t user_id, int64_t id, int64_t now,
                                    struct yj_error *err);

/* Marks every unread notification of user_id read at now; *n (may be NULL) gets how many. */
enum yj_err store_notification_read_all(struct store_tx *tx, int64_t user_id, int64_t now,
                                        int64_t *n, struct yj_error *err);

enum yj_err store_notification_unread(struct store_tx *tx, int64_t user_id, int64_t *n,
                                      struct yj_error *err);

#endif
