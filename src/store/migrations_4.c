/*
 * migrations_4.c - migration 4: indexes for incident work at scale (the issue-4
 * benchmark: 100,000 incidents, 300,000 dispatches). Append-only like
 * migrations.c; listed there. Indexes only: no table or row changes.
 */
#include "store/store_int.h"

const char *const store_m4_indexes[] = {
    /* The authority's board lists live dispatches breached first, then by the next
     * deadline still open (store_dispatch_list, by_deadline). Keyed on exactly the
     * ORDER BY terms of that query, over live dispatches only, the board reads its
     * first 200 rows in order instead of sorting every live dispatch; the terms must
     * stay identical to the query's for SQLite to use it. */
    "CREATE INDEX dispatches_board ON dispatches ("
    " (ack_breached_at IS NULL AND commit_breached_at IS NULL),"
    " (CASE"
    "  WHEN accepted_at IS NULL AND declined_at IS NULL THEN ack_due_at"
    "  WHEN status IN ('accepted', 'working')"
    "   AND (plan_started_at IS NULL OR on_site_at IS NULL) THEN commit_due_at"
    " END) IS NULL,"
    " (CASE"
    "  WHEN accepted_at IS NULL AND declined_at IS NULL THEN ack_due_at"
    "  WHEN status IN ('accepted', 'working')"
    "   AND (plan_started_at IS NULL OR on_site_at IS NULL) THEN commit_due_at"
    " END),"
    " id"
    ") WHERE status IN ('notified', 'accepted', 'working');",
    /* Withdrawing or acknowledging a dispatch cancels its pending timers by object:
     * without this, a scan of every timer ever set (two or three per dispatch). */
    "CREATE INDEX timers_object ON timers (object_id) WHERE fired_at IS NULL"
    " AND cancelled_at IS NULL;",
    /* notify_enqueue's de-duplication of in-app notifications looks for the same
     * message to the same user about the same object: without this, a scan of all
     * of that user's notifications, which for the authority grows with every
     * escalation. */
    "CREATE INDEX notifications_ref ON notifications (user_id, ref_type, ref_id);",
    NULL,
};
