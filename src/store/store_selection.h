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

struct store_tx;

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

#endif
