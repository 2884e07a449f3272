/*
 * store_selection.h - campaigns, applications and their review. Included by
 * store.h; see there for the conventions (transactions, arenas, errors).
 */
#ifndef YJ_STORE_SELECTION_H
#define YJ_STORE_SELECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "selection/selection.h"

struct store_tx;

/* --- campaigns ------------------------------------------------------------------ */

/* Inserts c with its authorities and criteria; sets id, version 1, timestamps. */
enum yj_err store_campaign_insert(struct store_tx *tx, struct sel_campaign *c, int64_t now,
                                  struct yj_error *err);
/* Reads a campaign with its authorities and criteria (arena strings). */
enum yj_err store_campaign_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                               struct sel_campaign *out, struct yj_error *err);
/* Replaces every field, authorities and criteria if the version is still
 * expected_version (else YJ_EPRECOND); bumps c->version. */
enum yj_err store_campaign_update(struct store_tx *tx, struct sel_campaign *c,
                                  int64_t expected_version, int64_t now, struct yj_error *err);
/* Campaigns in id order after after_id; draft ones only when include_drafts. */
enum yj_err store_campaign_list(struct store_tx *tx, bool include_drafts, int64_t after_id,
                                int limit, struct yj_arena *a, struct sel_campaign **items,
                                size_t *n, struct yj_error *err);

/* Counts sel_stage_check needs: undecided objections, and submitted applications
 * without an outcome yet. */
enum yj_err store_campaign_stage_facts(struct store_tx *tx, int64_t campaign_id,
                                       struct sel_stage_facts *out, struct yj_error *err);

/* How many of a campaign's applications stand where: the authority's pipeline board.
 * Eligibility (effective: an override wins), background review, panels and scores
 * count submitted applications only; outcomes count every application. */
struct store_pipeline {
    int64_t total, draft, submitted, returned, withdrawn;
    int64_t eligibility_pending, eligible, ineligible, direct_entry;
    int64_t security_pending, security_pass, security_fail;
    int64_t on_panel, scored, paper_received, paper_mismatched;
    int64_t outcome_pending, proposed, selected, not_selected, cancelled;
    int64_t objections_open, objections_upheld, objections_rejected;
    int64_t panels_open, panels_closed;
};
enum yj_err store_campaign_pipeline(struct store_tx *tx, int64_t campaign_id,
                                    struct store_pipeline *out, struct yj_error *err);

/* --- the units' history: grades and bans ----------------------------------------- */

struct store_grade {
    int64_t id, unit_id;
    struct sel_unit_grade g;
    const char *note;
    int64_t created_at, created_by;
};
struct store_ban {
    int64_t id, unit_id, certificate_id;
    struct sel_unit_ban b;
    const char *reason;
    int64_t created_at;
};

enum yj_err store_grade_insert(struct store_tx *tx, struct store_grade *g, struct yj_error *err);
/* All of a unit's grades (oldest first) and bans, for sel_eligibility_check: the
 * history's arrays are arena-allocated. */
enum yj_err store_unit_history_get(struct store_tx *tx, int64_t unit_id, struct yj_arena *a,
                                   struct store_grade **grades, size_t *n_grades,
                                   struct store_ban **bans, size_t *n_bans,
                                   struct sel_unit_history *h, struct yj_error *err);

/* --- applications ------------------------------------------------------------------ */

struct store_application {
    int64_t id, campaign_id, unit_id, version;
    const char *status; /* draft, submitted, returned, withdrawn */
    int64_t current_version, submitted_version, submitted_at;
    const char *eligibility;          /* pending, eligible, ineligible */
    const char *eligibility_override; /* NULL, eligible, ineligible */
    const char *override_reason;
    int64_t override_by, override_at;
    bool direct_entry;
    const char *security_result; /* pending, pass, fail */
    const char *security_notes;
    int64_t security_by, security_at;
    int64_t score_centi; /* -1 until ranked */
    int64_t rank;        /* 0 until ranked */
    const char *outcome; /* pending, proposed, selected, not_selected, cancelled */
    const char *outcome_reason;
    int64_t paper_received_at;
    int paper_matches; /* -1 not recorded, 0, 1 */
    const char *paper_note;
    int64_t paper_by;
    int64_t created_at, updated_at;
    const char *unit_name; /* joined from units, for lists */
    const char *credit_code;
};

struct store_application_version {
    int64_t application_id, version_no;
    const char *content; /* the document, JSON text */
    const char *sha256;  /* of content, once submitted */
    int64_t created_at, updated_at, submitted_at, submitted_by, returned_at, returned_by;
    const char *return_reason;
};

/* Inserts the application (status draft, version 1) and its first version with
 * content. YJ_ECONFLICT (field campaign_id) when the unit already applied. */
enum yj_err store_application_insert(struct store_tx *tx, struct store_application *ap,
                                     const char *content, int64_t now, struct yj_error *err);
enum yj_err store_application_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_application *out, struct yj_error *err);
/* Writes every mutable field of ap if its version is still expected_version (else
 * YJ_EPRECOND); bumps ap->version and updated_at. */
enum yj_err store_application_update(struct store_tx *tx, struct store_application *ap,
                                     int64_t expected_version, int64_t now, struct yj_error *err);

struct store_application_query {
    int64_t campaign_id;
    int64_t unit_id;     /* > 0: only this unit's (a unit user's scope) */
    int64_t expert_id;   /* > 0: only those on this expert's panels (conflicts excluded) */
    const char *status;  /* NULL for any */
    const char *outcome; /* NULL for any */
    bool submitted_only; /* only ever-submitted ones (the review stages' view) */
    int64_t after_id;
    int limit;
};
enum yj_err store_application_list(struct store_tx *tx, const struct store_application_query *q,
                                   struct yj_arena *a, struct store_application **items, size_t *n,
                                   struct yj_error *err);

enum yj_err store_application_version_get(struct store_tx *tx, int64_t application_id,
                                          int64_t version_no, struct yj_arena *a,
                                          struct store_application_version *out,
                                          struct yj_error *err);
/* All versions, newest first (content left NULL: it can be large). */
enum yj_err store_application_versions(struct store_tx *tx, int64_t application_id,
                                       struct yj_arena *a, struct store_application_version **items,
                                       size_t *n, struct yj_error *err);
/* Writes a version's row: content and updated_at of a draft; sha256 and
 * submitted_* when freezing; returned_* when returned. Inserts when absent. */
enum yj_err store_application_version_put(struct store_tx *tx,
                                          const struct store_application_version *v,
                                          struct yj_error *err);

/* Live attachments of an application counted by kind, for completeness. */
enum yj_err store_application_attachment_counts(struct store_tx *tx, int64_t application_id,
                                                struct sel_attachment_counts *out,
                                                struct yj_error *err);

/* Replaces the stored pre-check of an application. */
enum yj_err store_eligibility_put(struct store_tx *tx, int64_t application_id,
                                  const struct sel_eligibility *e, int64_t now,
                                  struct yj_error *err);
struct store_eligibility_row {
    const char *code, *reason, *evidence;
    bool passed;
    int64_t checked_at;
};
enum yj_err store_eligibility_get(struct store_tx *tx, int64_t application_id, struct yj_arena *a,
                                  struct store_eligibility_row **items, size_t *n,
                                  struct yj_error *err);

/* What access decisions need to know about one application. */
struct store_application_facts {
    int64_t application_id;
    int64_t campaign_id;
    int64_t unit_id;
    const char *status;         /* "draft", "submitted", "returned", "withdrawn" */
    const char *campaign_stage; /* "draft", "open", "review", ... */
    int64_t deadline_at;        /* the campaign's application deadline, ms */
    /* The caller's relation to it, when the caller is an expert (else all false): */
    bool assigned;     /* on a panel that reviews this application */
    bool conflicted;   /* declared a conflict of interest with it */
    bool panel_closed; /* that panel has closed */
};

/* Facts about application_id as seen by user_id (YJ_ENOTFOUND when there is none). */
enum yj_err store_application_facts(struct store_tx *tx, int64_t application_id, int64_t user_id,
                                    struct yj_arena *a, struct store_application_facts *out,
                                    struct yj_error *err);

/* --- review: panels, conflicts, scores, objections ------------------------------- */

struct store_panel {
    int64_t id, campaign_id;
    const char *name;
    const char *status; /* open, closed */
    int64_t created_at, closed_at;
    int64_t *experts; /* user ids */
    size_t n_experts;
    int64_t *applications;
    size_t n_applications;
};

/* Inserts a panel with its experts and applications. YJ_ECONFLICT (field
 * "applications") when an application is already on another panel. */
enum yj_err store_panel_insert(struct store_tx *tx, struct store_panel *p, struct yj_error *err);
enum yj_err store_panel_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_panel *out, struct yj_error *err);
/* Replaces the panel's experts and applications. */
enum yj_err store_panel_set_members(struct store_tx *tx, const struct store_panel *p,
                                    struct yj_error *err);
enum yj_err store_panel_close(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err);
/* A campaign's panels (expert_id > 0: only those the expert sits on). */
enum yj_err store_panel_list(struct store_tx *tx, int64_t campaign_id, int64_t expert_id,
                             struct yj_arena *a, struct store_panel **items, size_t *n,
                             struct yj_error *err);
/* The panel reviewing an application (YJ_ENOTFOUND when none). */
enum yj_err store_panel_of_application(struct store_tx *tx, int64_t application_id,
                                       struct yj_arena *a, struct store_panel *out,
                                       struct yj_error *err);

enum yj_err store_conflict_put(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                               bool conflicted, const char *statement, int64_t now,
                               struct yj_error *err);

struct store_score {
    int64_t expert_id;
    int64_t criterion; /* position in the campaign's rubric */
    int64_t points;
    const char *comment;
    int64_t updated_at;
};
struct store_score_sheet {
    int64_t expert_id;
    const char *expert_name;
    int64_t submitted_at; /* 0 while a draft */
    struct store_score *scores;
    size_t n_scores;
};
/* Replaces one expert's scores of an application (the sheet must not be submitted). */
enum yj_err store_scores_put(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                             const struct store_score *scores, size_t n, int64_t now,
                             struct yj_error *err);
enum yj_err store_score_sheet_submit(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                                     int64_t now, struct yj_error *err);
/* Score sheets of an application: one expert's (expert_id > 0) or every expert's. */
enum yj_err store_score_sheets(struct store_tx *tx, int64_t application_id, int64_t expert_id,
                               struct yj_arena *a, struct store_score_sheet **items, size_t *n,
                               struct yj_error *err);
/* Experts of the application's panel who declared no conflict, with whether each
 * submitted a sheet: what closing the panel waits for. */
enum yj_err store_panel_pending_sheets(struct store_tx *tx, int64_t panel_id, int64_t *pending,
                                       struct yj_error *err);

struct store_objection {
    int64_t id, campaign_id, application_id;
    int64_t received_at;
    const char *complainant, *content;
    const char *status; /* received, investigating, upheld, rejected */
    const char *findings;
    int64_t decided_at, decided_by, created_by;
};
enum yj_err store_objection_insert(struct store_tx *tx, struct store_objection *o,
                                   struct yj_error *err);
enum yj_err store_objection_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                struct store_objection *out, struct yj_error *err);
enum yj_err store_objection_update(struct store_tx *tx, const struct store_objection *o,
                                   struct yj_error *err);
enum yj_err store_objection_list(struct store_tx *tx, int64_t campaign_id, struct yj_arena *a,
                                 struct store_objection **items, size_t *n, struct yj_error *err);

#endif
