/*
 * store_incidents.h - the store's part of incidents and dispatch: reference
 * rows, incidents with their timeline and evidence chain, dispatches, breaches,
 * stored timers and upward reports. Conventions as in store.h: everything in a
 * transaction, strings from the caller's arena, YJ_ENOTFOUND / YJ_EPRECOND
 * (a version check) / YJ_ECONFLICT / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_INCIDENTS_H
#define YJ_STORE_STORE_INCIDENTS_H

#include "incidents/incidents.h"
#include "store/store.h"

/* --- reference rows ------------------------------------------------------------------ */

struct store_inc_class {
    const char *code, *name_zh, *name_en, *parent_code, *standard, *alias_of;
    int64_t position;
};
/* Every class, top-level ones first in position order, each followed by nothing:
 * the caller groups by parent_code. */
enum yj_err store_inc_classes(struct store_tx *tx, struct yj_arena *a,
                              struct store_inc_class **items, size_t *n, struct yj_error *err);
enum yj_err store_inc_class_get(struct store_tx *tx, const char *code, struct yj_arena *a,
                                struct store_inc_class *out, struct yj_error *err);
/* How many sub-classes the class has. */
enum yj_err store_inc_class_children(struct store_tx *tx, const char *code, int64_t *n,
                                     struct yj_error *err);
enum yj_err store_inc_class_update(struct store_tx *tx, const char *code, const char *name_zh,
                                   const char *name_en, struct yj_error *err);

/* The levels, gravest first. */
enum yj_err store_inc_levels(struct store_tx *tx, struct yj_arena *a, struct inc_level **items,
                             size_t *n, struct yj_error *err);
/* Changes a level's deadlines (YJ_ENOTFOUND for an unknown code). */
enum yj_err store_inc_level_update(struct store_tx *tx, const char *code, int ack_minutes,
                                   int commitment_minutes, struct yj_error *err);
enum yj_err store_inc_grading_rules(struct store_tx *tx, struct yj_arena *a,
                                    struct inc_grading_rule **items, size_t *n,
                                    struct yj_error *err);
enum yj_err store_inc_grading_rule_set(struct store_tx *tx, const char *metric, const char *level,
                                       int64_t threshold, bool confirmed, struct yj_error *err);
enum yj_err store_inc_report_rules(struct store_tx *tx, struct yj_arena *a,
                                   struct inc_report_rule **items, size_t *n, struct yj_error *err);
enum yj_err store_inc_report_rule_update(struct store_tx *tx, const struct inc_report_rule *r,
                                         struct yj_error *err);

/* --- incidents ----------------------------------------------------------------------- */

struct store_incident {
    int64_t id, version;
    const char *title;
    const char *class_code, *subclass_code; /* NULL until classified */
    const char *level, *level_proposed;     /* level codes; NULL until graded / proposed */
    const char *level_reason, *level_override_reason;
    const char *grading_facts; /* JSON text */
    int64_t graded_at, graded_by;
    const char *affected_org, *affected_system;
    const char *operator_type; /* "cii", "central_state", "other" */
    const char *province, *city;
    int64_t discovered_at;
    const char *source;     /* "unit_discovery", ... */
    int64_t source_unit_id; /* 0 unless a unit reported it */
    const char *description;
    const char *indicators; /* JSON array text */
    const char *ransom;     /* JSON object text or NULL */
    enum inc_status status;
    int64_t parent_id, merged_into; /* 0: none */
    const char *final_report;       /* JSON object text or NULL */
    int64_t resolved_at, closed_at;
    int64_t created_by, created_at, updated_at;
};

/* Inserts with version 1; sets i->id and i->version. */
enum yj_err store_incident_insert(struct store_tx *tx, struct store_incident *i,
                                  struct yj_error *err);
enum yj_err store_incident_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_incident *out, struct yj_error *err);
/* Writes every mutable field when the stored version is i->version; then bumps
 * i->version. YJ_EPRECOND when someone else changed it meanwhile. */
enum yj_err store_incident_update(struct store_tx *tx, struct store_incident *i,
                                  struct yj_error *err);

struct store_incident_query {
    const char *status; /* NULL: any */
    const char *level;  /* NULL: any */
    bool open_only;     /* not closed, not merged */
    int64_t unit_id;    /* > 0: only incidents this unit takes part in */
    const char *q;      /* substring of the title or the affected organisation */
    int64_t after_id;   /* keyset: ids lower than this (newest first); 0 for the start */
    int limit;
};
enum yj_err store_incident_list(struct store_tx *tx, const struct store_incident_query *q,
                                struct yj_arena *a, struct store_incident **items, size_t *n,
                                struct yj_error *err);

/* Whether the unit takes part in the incident: a dispatch to it (any status) or it
 * reported the incident. */
enum yj_err store_incident_involves(struct store_tx *tx, int64_t incident_id, int64_t unit_id,
                                    bool *out, struct yj_error *err);
/* Child incidents (parent_id) and incidents merged into this one. */
enum yj_err store_incident_related(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                   struct store_incident **children, size_t *n_children,
                                   struct store_incident **merged, size_t *n_merged,
                                   struct yj_error *err);

/* Board: open incidents counted by level (NULL level = "ungraded") and status. */
struct store_board_cell {
    const char *level; /* NULL: not graded yet */
    enum inc_status status;
    int64_t count;
};
enum yj_err store_incident_board(struct store_tx *tx, struct yj_arena *a,
                                 struct store_board_cell **cells, size_t *n, struct yj_error *err);

/* --- the timeline ---------------------------------------------------------------------- */

/* The unit_id of an entry only the authority and auditors see: no unit has id -1, so a
 * unit's read (unit_id IS NULL OR unit_id = its own) never matches it. */
#define STORE_EVENT_AUTHORITY (-1)

struct store_inc_event {
    int64_t incident_id, seq, at, actor_id;
    const char *actor, *kind;
    int64_t unit_id;    /* 0: concerns the incident as a whole; STORE_EVENT_AUTHORITY: the
                           authority's own business (upward reports), never shown to units */
    const char *detail; /* JSON object text */
};
/* Appends with the next seq (sets e->seq). */
enum yj_err store_inc_event_append(struct store_tx *tx, struct store_inc_event *e,
                                   struct yj_error *err);
/* Events in order; unit_id > 0 keeps those of the incident as a whole and that unit's. */
enum yj_err store_inc_events(struct store_tx *tx, int64_t incident_id, int64_t unit_id,
                             struct yj_arena *a, struct store_inc_event **items, size_t *n,
                             struct yj_error *err);

/* --- evidence (chain of custody) ------------------------------------------------------- */

struct store_evidence {
    int64_t incident_id, seq;
    const char *sha256, *filename, *media_type;
    int64_t size;
    const char *note;
    int64_t added_by;
    const char *added_by_name;
    int64_t unit_id; /* 0: added by the authority */
    int64_t added_at;
    const char *prev_hash, *entry_hash;
};
/* The last entry's hash ("" and seq 0 when there is none). */
enum yj_err store_evidence_head(struct store_tx *tx, int64_t incident_id, int64_t *seq,
                                struct yj_arena *a, char **hash, struct yj_error *err);
enum yj_err store_evidence_append(struct store_tx *tx, const struct store_evidence *e,
                                  struct yj_error *err);
/* unit_id > 0: that unit's entries and the authority's only. */
enum yj_err store_evidence_list(struct store_tx *tx, int64_t incident_id, int64_t unit_id,
                                struct yj_arena *a, struct store_evidence **items, size_t *n,
                                struct yj_error *err);
enum yj_err store_evidence_get(struct store_tx *tx, int64_t incident_id, int64_t seq,
                               struct yj_arena *a, struct store_evidence *out,
                               struct yj_error *err);

/* --- dispatches ------------------------------------------------------------------------- */

struct store_dispatch {
    int64_t id, version, incident_id, unit_id;
    struct inc_dispatch d;
    bool urgent;
    const char *instructions, *decline_reason, *on_site_people, *withdraw_reason, *unit_notes;
    int64_t replaces; /* the dispatch this one replaced; 0: none */
    int64_t created_by, created_at, updated_at;
    /* Joined for lists, read-only: */
    const char *unit_name, *incident_title, *incident_level;
};
enum yj_err store_dispatch_insert(struct store_tx *tx, struct store_dispatch *d,
                                  struct yj_error *err);
enum yj_err store_dispatch_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct store_dispatch *out, struct yj_error *err);
/* Version-checked like store_incident_update. */
enum yj_err store_dispatch_update(struct store_tx *tx, struct store_dispatch *d,
                                  struct yj_error *err);

struct store_dispatch_query {
    int64_t incident_id; /* > 0: of this incident */
    int64_t unit_id;     /* > 0: of this unit */
    const char *status;  /* NULL: any */
    bool live_only;      /* not declined, withdrawn or resolved */
    /* The board's order instead of newest first (no keyset paging then): breached
     * first, then by the next deadline still open (the store's form of
     * inc_dispatch_next_deadline), those with none last. */
    bool by_deadline;
    int64_t after_id; /* keyset: ids lower than this; 0 for the start */
    int limit;        /* 0: no limit */
};
enum yj_err store_dispatch_list(struct store_tx *tx, const struct store_dispatch_query *q,
                                struct yj_arena *a, struct store_dispatch **items, size_t *n,
                                struct yj_error *err);
/* Dispatches of the incident that are not declined or withdrawn. */
enum yj_err store_dispatch_live_count(struct store_tx *tx, int64_t incident_id, int64_t *n,
                                      struct yj_error *err);

/* Units that could be sent, with the facts inc_suggest_rank orders them by: live
 * units only; field (may be NULL) is the capability asked for, province and city (may
 * be NULL) where the incident is. Breaches count from since. unit_name is arena text. */
struct store_candidate {
    struct inc_candidate c;
    const char *unit_name;
};
enum yj_err store_dispatch_candidates(struct store_tx *tx, const char *field, const char *province,
                                      const char *city, int64_t now, int64_t since,
                                      struct yj_arena *a, struct store_candidate **items, size_t *n,
                                      struct yj_error *err);

/* The ids of the enabled users of a unit (unit_id > 0) or of a role (unit_id 0). */
enum yj_err store_user_ids(struct store_tx *tx, int64_t unit_id, const char *role,
                           struct yj_arena *a, int64_t **ids, size_t *n, struct yj_error *err);

/* --- breaches ---------------------------------------------------------------------------- */

struct store_breach {
    int64_t id, unit_id, dispatch_id, incident_id;
    const char *kind; /* "ack", "commitment" */
    int64_t due_at, recorded_at;
};
/* Records the breach once: *added false when it was already there. */
enum yj_err store_breach_insert(struct store_tx *tx, struct store_breach *b, bool *added,
                                struct yj_error *err);
/* A unit's breaches with due_at in [from, to). */
enum yj_err store_breach_list(struct store_tx *tx, int64_t unit_id, int64_t from, int64_t to,
                              struct yj_arena *a, struct store_breach **items, size_t *n,
                              struct yj_error *err);

/* --- timers ------------------------------------------------------------------------------- */

struct store_timer {
    int64_t id;
    const char *kind;
    int64_t object_id, due_at;
};
/* Schedules kind/object at due_at (once: the same triple again is a no-op). */
enum yj_err store_timer_add(struct store_tx *tx, const char *kind, int64_t object_id,
                            int64_t due_at, struct yj_error *err);
/* Cancels every pending timer of kind (NULL: any kind) for the object. */
enum yj_err store_timer_cancel(struct store_tx *tx, const char *kind, int64_t object_id,
                               int64_t now, struct yj_error *err);
/* Up to limit pending timers due at now, earliest first. */
enum yj_err store_timer_due(struct store_tx *tx, int64_t now, int limit, struct yj_arena *a,
                            struct store_timer **items, size_t *n, struct yj_error *err);
/* Marks one fired (in the transaction that did its effect). */
enum yj_err store_timer_fired(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err);
/* The earliest pending due_at, 0 when none. */
enum yj_err store_timer_next(struct store_tx *tx, int64_t *due_at, struct yj_error *err);

#endif
