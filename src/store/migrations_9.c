/*
 * migrations_9.c - migration 9: scheduled indicator feeds: where each feed is
 * read from and in what format, the defaults its indicators start from, its
 * schedule, the HTTP validators of its last answer (ETag, Last-Modified) for the
 * next conditional request, and a history of its runs. Append-only; listed in
 * migrations.c.
 */
#include "store/store_int.h"

const char *const store_m9_feeds[] = {
    "CREATE TABLE feeds ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL," /* counts changes to the settings; runs leave it */
    " name TEXT NOT NULL,"       /* also the source its indicators are recorded under */
    " source TEXT NOT NULL,"     /* file:///path or http(s)://... */
    " format TEXT NOT NULL CHECK (format IN ('stix', 'misp', 'misp_feed', 'csv', 'plain')),"
    " columns TEXT," /* csv without a header row: the column names */
    " category TEXT,"
    " tlp TEXT,"
    " confidence INTEGER CHECK (confidence BETWEEN 0 AND 100),"
    " valid_days INTEGER CHECK (valid_days >= 1),"
    " interval_minutes INTEGER NOT NULL CHECK (interval_minutes >= 1),"
    " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    " etag TEXT,"          /* the last answer's validators, sent back on the next run */
    " last_modified TEXT," /* ... */
    " last_run_at INTEGER,"
    " last_status TEXT CHECK (last_status IN ('ok', 'not_modified', 'error')),"
    " last_error TEXT,"
    " last_run_id INTEGER,"   /* its counts are the run's */
    " next_run_at INTEGER,"   /* NULL while disabled */
    " running_since INTEGER," /* a run's claim, so that two never overlap */
    " created_by INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " deleted_at INTEGER" /* NULL: live; deleted feeds keep their runs */
    ") STRICT;",
    "CREATE UNIQUE INDEX feeds_name ON feeds (name) WHERE deleted_at IS NULL;",
    /* The scheduler's question: which enabled feeds are due. */
    "CREATE INDEX feeds_due ON feeds (next_run_at) WHERE deleted_at IS NULL AND enabled = 1;",
    "CREATE TABLE feed_runs ("
    " id INTEGER PRIMARY KEY,"
    " feed_id INTEGER NOT NULL REFERENCES feeds (id),"
    " trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),"
    " started_at INTEGER NOT NULL,"
    " finished_at INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('ok', 'not_modified', 'error')),"
    " error TEXT,"
    " http_status INTEGER," /* NULL for file sources */
    " bytes INTEGER NOT NULL,"
    " import_id INTEGER REFERENCES imports (id),"
    " objects INTEGER NOT NULL,"
    " imported INTEGER NOT NULL,"
    " merged INTEGER NOT NULL,"
    " flagged INTEGER NOT NULL,"
    " problems INTEGER NOT NULL,"
    " problem_list TEXT NOT NULL," /* JSON array: the first few {where, object, reason} */
    " created_by INTEGER"          /* NULL: the schedule or the command line */
    ") STRICT;",
    "CREATE INDEX feed_runs_feed ON feed_runs (feed_id, id);",
    NULL,
};
