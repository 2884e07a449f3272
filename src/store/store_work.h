/*
 * store_work.h - the store's part of the units' work record: work logs, the
 * records one unit's month is judged on (incidents/work.h does the judging),
 * and drills (演练) with the units they alerted. Conventions as in store.h:
 * everything in a transaction, strings from the caller's arena, YJ_ENOTFOUND /
 * YJ_EPRECOND (a version check) / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_WORK_H
#define YJ_STORE_STORE_WORK_H

#include "incidents/work.h"
#include "store/store.h"

/* --- work logs ----------------------------------------------------------------------- */

struct store_work_log {
    int64_t id, version, unit_id;
    enum work_kind kind;
    int64_t dispatch_id; /* 0: not tied to a dispatch */
    const char *task;
    const char *description; /* may be NULL */
    int64_t started_at, ended_at;
    int64_t people;
    int64_t created_by, created_at, updated_at;
    /* Joined on reads, read-only: */
    int64_t incident_id; /* the dispatch's incident; 0 without a dispatch */
    const char *unit_name;
};

/* Inserts with version 1; sets l->id and l->version. */
enum yj_err store_work_log_insert(struct store_tx *tx, struct store_work_log *l,
                                  struct yj_error *err);
/* A log that is not deleted (a deleted one is YJ_ENOTFOUND). */
enum yj_err store_work_log_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_work_log *out, struct yj_error *err);
/* Writes kind, dispatch, task, description, times, people and updated_at when the stored
 * version is l->version and the log is not deleted; then bumps l->version. YJ_EPRECOND
 * when someone else changed it meanwhile. */
enum yj_err store_work_log_update(struct store_tx *tx, struct store_work_log *l,
                                  struct yj_error *err);
/* Soft delete (deleted_at = now, the version bumped) under the same version check. */
enum yj_err store_work_log_delete(struct store_tx *tx, int64_t id, int64_t version, int64_t now,
                                  struct yj_error *err);

struct store_work_log_query {
    int64_t unit_id;  /* > 0: of this unit only */
    int64_t from, to; /* from < to: only logs overlapping [from, to); 0, 0: any time */
    int64_t after_id; /* keyset: the rows after this log in the list's order; 0: the start */
    int limit;        /* 0: no limit */
};
/* Logs that are not deleted, latest start first (then id, descending). */
enum yj_err store_work_log_list(struct store_tx *tx, const struct store_work_log_query *q,
                                struct yj_arena *a, struct store_work_log **items, size_t *n,
                                struct yj_error *err);

/* --- what a month's obligations are judged on ------------------------------------------ */

/* A log as the month's sum needs it. */
struct store_work_span {
    enum work_kind kind;
    int64_t started_at, ended_at, people;
};

/*
 * The records of unit in [start, end): incidents as struct work_month_facts defines
 * them (distinct incidents of the dispatches it accepted that were notified in the
 * range, plus incident_response logs without a dispatch that started in it), dispatches
 * notified, breaches due, drill alerts notified and of those the ones answered; the
 * logs (not deleted) and the on-call roster intervals overlapping the range, as they
 * are (the caller clips and sums them with the rules of work.h). Arrays in the arena.
 */
struct store_work_month {
    int incidents, dispatches, breaches, drills, drills_acked;
    struct store_work_span *logs;
    size_t n_logs;
    struct work_interval *roster;
    size_t n_roster;
};
enum yj_err store_work_month(struct store_tx *tx, int64_t unit_id, int64_t start, int64_t end,
                             struct yj_arena *a, struct store_work_month *out,
                             struct yj_error *err);

/* Live units (not deleted) in id order: id and name. */
struct store_work_unit {
    int64_t id;
    const char *name;
};
enum yj_err store_work_units(struct store_tx *tx, struct yj_arena *a,
                             struct store_work_unit **items, size_t *n, struct yj_error *err);

/* How long the unit took to answer its real dispatches: (accepted or declined) minus
 * notified, in ms, ascending, for every dispatch it answered. Arena array. */
enum yj_err store_work_dispatch_acks(struct store_tx *tx, int64_t unit_id, struct yj_arena *a,
                                     int64_t **ms, size_t *n, struct yj_error *err);

/* --- drills ----------------------------------------------------------------------------- */

struct store_drill {
    int64_t id;
    const char *title;
    const char *message; /* may be NULL */
    int64_t sent_at, created_by;
    /* Lists only: targets and those that answered (a unit's list: its own row only). */
    int64_t targets_count, acked_count;
};

struct store_drill_target {
    int64_t drill_id, unit_id;
    int64_t notified_at;
    int64_t acked_at, acked_by; /* 0 until answered */
    const char *unit_name;      /* joined on reads */
};

/* Inserts and sets d->id. */
enum yj_err store_drill_insert(struct store_tx *tx, struct store_drill *d, struct yj_error *err);
/* Inserts one target row (acked_at and acked_by as given, normally 0). */
enum yj_err store_drill_target_insert(struct store_tx *tx, const struct store_drill_target *t,
                                      struct yj_error *err);
enum yj_err store_drill_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_drill *out, struct yj_error *err);
/* The drill's targets in unit id order; unit_id > 0: that unit's row only (none when it
 * was not alerted). */
enum yj_err store_drill_targets(struct store_tx *tx, int64_t drill_id, int64_t unit_id,
                                struct yj_arena *a, struct store_drill_target **items, size_t *n,
                                struct yj_error *err);
/* Drills newest first (ids lower than after_id when > 0; limit 0: no limit); unit_id > 0:
 * only those that alerted that unit, counted over its own row. */
enum yj_err store_drill_list(struct store_tx *tx, int64_t unit_id, int64_t after_id, int limit,
                             struct yj_arena *a, struct store_drill **items, size_t *n,
                             struct yj_error *err);
/* Records the unit's answer once: *changed false when it had answered before (the first
 * time stays). YJ_ENOTFOUND when the drill did not alert the unit. */
enum yj_err store_drill_ack(struct store_tx *tx, int64_t drill_id, int64_t unit_id, int64_t user_id,
                            int64_t now, bool *changed, struct yj_error *err);

#endif
