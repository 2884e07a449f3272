/*
 * store_reports.h - upward report rows (table upward_reports): the reports the
 * authority files with the offices above it about an incident (STANDARDS.md §3).
 * Conventions as in store.h: everything in a transaction, strings from the
 * caller's arena, YJ_ENOTFOUND / YJ_EPRECOND (a version check) / YJ_EIO.
 *
 * A row holds the form's items as JSON text, whether every required item was
 * filled when it was last saved, and once sent, when and by whom; a sent row is
 * never changed again (the API refuses it), so it is what was sent.
 */
#ifndef YJ_STORE_STORE_REPORTS_H
#define YJ_STORE_STORE_REPORTS_H

#include "incidents/incidents.h"
#include "store/store.h"

struct store_report {
    int64_t id, version, incident_id;
    enum inc_report_kind kind;
    const char *recipient;    /* the office it goes to */
    int64_t due_at;           /* when it was due as last saved; 0: not known (or no deadline) */
    const char *content;      /* JSON object text: item code -> text */
    bool complete;            /* every required item filled */
    int64_t sent_at, sent_by; /* 0 until sent */
    int64_t created_by, created_at, updated_at;
};

/* Inserts r (strings borrowed for the call) with version 1; sets r->id and r->version.
 * YJ_ECONFLICT for a dangling incident id. */
enum yj_err store_report_insert(struct store_tx *tx, struct store_report *r, struct yj_error *err);

/* Reads report id into *out (strings in a). YJ_ENOTFOUND when there is none. */
enum yj_err store_report_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                             struct store_report *out, struct yj_error *err);

/* Writes recipient, due_at, content, complete, sent_at, sent_by and updated_at when the
 * stored version is r->version, then bumps r->version. YJ_EPRECOND when someone else
 * changed it meanwhile, YJ_ENOTFOUND when it does not exist. */
enum yj_err store_report_update(struct store_tx *tx, struct store_report *r, struct yj_error *err);

/* The incident's reports, oldest first (an incident has a handful). */
enum yj_err store_report_list(struct store_tx *tx, int64_t incident_id, struct yj_arena *a,
                              struct store_report **items, size_t *n, struct yj_error *err);

#endif
