/*
 * incident_rows.h - the rows an incident's history leaves in the store, written with
 * plain prepared SQL for bench/seed_incidents (incident_rows.c). Not part of the
 * product.
 *
 * Each writer binds and steps one prepared insert per row, as dispatch_api.c,
 * incident_timers.c and the outbox would have written it; the caller holds the
 * transaction. They return 0, or -1 after printing the SQLite error.
 */
#ifndef YJ_BENCH_INCIDENT_ROWS_H
#define YJ_BENCH_INCIDENT_ROWS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MINUTE INT64_C(60000)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/* --- what is there already ------------------------------------------------------------ */

struct level {
    char code[24];
    int64_t ack_ms, commit_ms;
};

struct subclass {
    char code[16], parent[16], name[64];
};

struct ref {
    int64_t *units; /* malloc'd, never freed (the tool exits) */
    size_t n_units;
    int64_t *authority; /* user ids of the authority: escalations notify each */
    size_t n_authority;
    struct level levels[8]; /* by severity: [0] 特别重大 */
    size_t n_levels;
    struct subclass *classes;
    size_t n_classes;
};

/* --- the connection and its statements -------------------------------------------------- */

enum stmt_id { S_INCIDENT, S_DISPATCH, S_TIMER, S_BREACH, S_EVENT, S_OUTBOX, S_NOTIFY, S__COUNT };

struct db {
    sqlite3 *db;
    sqlite3_stmt *s[S__COUNT];
};

/* Opens DIR's database once through the store, with migrations (so the schema is the
 * binary's), then directly, with foreign keys checked and no fsync until the end,
 * and prepares the inserts. */
int rows_open(const char *data, struct db *d);
void rows_close(struct db *d);
/* The units, the authority's users, the levels and the 2023 sub-classes. */
int rows_load_ref(struct db *d, struct ref *r);
/* A single number from sql; -1 on error. */
int64_t rows_count(struct db *d, const char *sql);
/* Prints the SQLite error with what; returns -1. */
int rows_fail(struct db *d, const char *what);
/* Steps statement id with its bindings made, then resets and clears it. */
int rows_run(struct db *d, enum stmt_id id, const char *what);
void rows_bind_i64(sqlite3_stmt *s, int i, int64_t v);
void rows_bind_opt(sqlite3_stmt *s, int i, int64_t v); /* 0 binds NULL */
void rows_bind_text(sqlite3_stmt *s, int i, const char *v);

/* --- writing -------------------------------------------------------------------------------- */

/* One incident being written, with the running sequence of its timeline. */
struct inc {
    int64_t id, discovered, level_i; /* level_i -1: not graded */
    const struct subclass *cls;
    char title[256];
    int64_t seq;
};

struct totals {
    int64_t incidents, open, dispatches, live, burst, breaches, timers_pending;
    int64_t burst_min_due, burst_max_due;
};

/* The state of one seeding run. */
struct gen {
    struct db *d;
    const struct ref *r;
    int64_t now, burst_from;
    int64_t next_dispatch;
    struct totals t;
    char buf[1024], buf2[1024];
};

/* How a dispatch goes (all times absolute; 0: did not happen). */
struct plan {
    const char *status;
    bool urgent;
    int64_t notified, ack_due, commit_due;
    int64_t accepted, declined, plan_started, on_site, resolved, withdrawn;
    bool ack_breach, commit_breach;
    bool burst; /* its acknowledgement is due in the burst minute: timers pending */
};

/* A timeline entry by the authority's admin, or by the system (the timers). */
int rows_event(struct gen *g, struct inc *i, int64_t at, bool by_system, const char *kind,
               int64_t unit, const char *detail);
/* Dispatch p of incident i to unit, with its two timers, its "dispatched" entry, the
 * notice in the outbox (sent) and its breaches with their escalations. */
int rows_dispatch(struct gen *g, struct inc *i, int64_t unit, const struct plan *p);

#endif
