/*
 * escalate.c - times how a running server escalates a burst of deadlines that fall
 * due in one minute (bench/run's escalate scenario). Not part of the product and not
 * a test.
 *
 *     bench/escalate --data DIR --clock FILE --to MS --expect N
 *                    [--replay-from MS] [--poll-ms 5] [--timeout 120] [--settle-ms 1500]
 *
 * The server (yingji-testclock, serving DIR with YINGJI_TEST_CLOCK_FILE=FILE) holds
 * N pending timers due at or before MS (bench/seed_incidents' burst minute) and
 * none other. This tool checks that, then moves the server's clock (as the
 * integration tests' harness does: a whole new file renamed over the old) in one
 * of two ways, polling the database read-only every --poll-ms meanwhile:
 *
 *   jump (the default): straight to MS, so that all N are due at once - the worst
 *       case of a minute, where the last one waits for all the others. Reports, in
 *       wall-clock milliseconds from the move, when the first timer was seen fired
 *       (the server notices a moved clock file within its 200 ms test poll; in
 *       production the worker sleeps until the next due time instead), when 10%,
 *       50%, 90% and all of them were, and the rate.
 *   replay (--replay-from T): from T to MS at the speed of the wall clock, rewriting
 *       FILE every poll, as the minute really passes. Each poll looks at the oldest
 *       timer still pending whose time has come: how late it is, on the clock, is
 *       that deadline's delay so far. Reports the largest delay seen (every timer
 *       was escalated within it of its time, to a poll's precision), and how long
 *       after MS the last one was.
 *
 * Then it checks that the effects are there exactly once - one acknowledgement
 * breach, one "dispatch.breach" timeline entry, one audit record and one fired mark
 * per timer, and nothing more after --settle-ms of quiet. A timer's effect and its
 * fired mark commit together (incident_timers.c), so a timer seen fired here is one
 * whose escalation is durable and visible to readers. The last line is
 * "ESCALATE_JSON {...}".
 */
#include <errno.h>
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/yj.h"
#include "store/store.h"

static double mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* One number from a query with ?1 bound to v; -1 on error. */
static int64_t number(sqlite3 *db, sqlite3_stmt *s, int64_t v)
{
    int64_t n = -1;
    if (sqlite3_bind_parameter_count(s) > 0)
        sqlite3_bind_int64(s, 1, v);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    else
        fprintf(stderr, "escalate: %s\n", sqlite3_errmsg(db));
    sqlite3_reset(s);
    return n;
}

/* The effects counted before and after: each timer must add one of each. */
enum { E_BREACHES, E_EVENTS, E_AUDIT, E_FIRED, E_OUTBOX, E_INAPP, E__COUNT };
static const char *const effect_name[E__COUNT] = {"ack_breaches",  "breach_events",
                                                  "breach_audits", "fired_timers",
                                                  "outbox_rows",   "inapp_notifications"};
static const char *const effect_sql[E__COUNT] = {
    "SELECT COUNT(*) FROM breaches WHERE kind = 'ack' AND due_at <= ?1",
    "SELECT COUNT(*) FROM incident_events WHERE kind = 'dispatch.breach'",
    "SELECT COUNT(*) FROM audit_log WHERE action = 'dispatch.breach'",
    "SELECT COUNT(*) FROM timers WHERE fired_at IS NOT NULL AND due_at <= ?1",
    "SELECT COUNT(*) FROM outbox",
    "SELECT COUNT(*) FROM notifications",
};

static int count_effects(sqlite3 *db, sqlite3_stmt *const *s, int64_t to, int64_t *out)
{
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    int rc = 0;
    for (int k = 0; k < E__COUNT; k++)
        if ((out[k] = number(db, s[k], to)) < 0)
            rc = -1;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

static int write_clock(const char *path, int64_t ms)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%lld\n", (long long)ms) < 0 || fclose(f) != 0 || rename(tmp, path)) {
        fprintf(stderr, "escalate: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: escalate --data DIR --clock FILE --to MS --expect N [--replay-from MS]\n"
          "                [--poll-ms 5] [--timeout 120] [--settle-ms 1500]\n",
          f);
}

struct opts {
    const char *data, *clock_file;
    int64_t to, expect, replay_from, poll, timeout_s, settle;
};

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"clock", required_argument, NULL, 'c'},
        {"to", required_argument, NULL, 't'},
        {"expect", required_argument, NULL, 'e'},
        {"replay-from", required_argument, NULL, 'r'},
        {"poll-ms", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 'T'},
        {"settle-ms", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct opts){.expect = -1, .poll = 5, .timeout_s = 120, .settle = 1500};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'd':
            o->data = optarg;
            break;
        case 'c':
            o->clock_file = optarg;
            break;
        case 't':
            bad = yj_parse_i64(optarg, 1, INT64_MAX, &o->to);
            break;
        case 'e':
            bad = yj_parse_i64(optarg, 1, 100000000, &o->expect);
            break;
        case 'r':
            bad = yj_parse_i64(optarg, 1, INT64_MAX, &o->replay_from);
            break;
        case 'p':
            bad = yj_parse_i64(optarg, 1, 1000, &o->poll);
            break;
        case 'T':
            bad = yj_parse_i64(optarg, 1, 3600, &o->timeout_s);
            break;
        case 's':
            bad = yj_parse_i64(optarg, 0, 60000, &o->settle);
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            bad = 1;
        }
        if (bad)
            return -1;
    }
    if (!o->data || !o->clock_file || !o->to || o->expect < 0 || optind < argc ||
        (o->replay_from && o->replay_from >= o->to))
        return -1;
    return 0;
}

/* The statements a run polls with. */
struct polls {
    sqlite3 *db;
    sqlite3_stmt *pending, *oldest, *effects[E__COUNT];
};

static int polls_open(struct polls *p, const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data, STORE_DB_FILE);
    if (sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "escalate: %s: %s\n", path, sqlite3_errmsg(p->db));
        return -1;
    }
    sqlite3_busy_timeout(p->db, 1000);
    /* Both walk the partial index timers_due: pending timers only, so they get cheaper
     * as the burst drains. */
    int bad = sqlite3_prepare_v2(p->db,
                                 "SELECT COUNT(*) FROM timers WHERE fired_at IS NULL"
                                 " AND cancelled_at IS NULL AND due_at <= ?1",
                                 -1, &p->pending, NULL) != SQLITE_OK;
    bad |= sqlite3_prepare_v2(p->db,
                              "SELECT COALESCE(MIN(due_at), 0) FROM timers WHERE fired_at IS NULL"
                              " AND cancelled_at IS NULL AND due_at <= ?1",
                              -1, &p->oldest, NULL) != SQLITE_OK;
    for (int k = 0; k < E__COUNT; k++)
        bad |= sqlite3_prepare_v2(p->db, effect_sql[k], -1, &p->effects[k], NULL) != SQLITE_OK;
    if (bad) {
        fprintf(stderr, "escalate: %s\n", sqlite3_errmsg(p->db));
        return -1;
    }
    return 0;
}

static void polls_close(struct polls *p)
{
    sqlite3_finalize(p->pending);
    sqlite3_finalize(p->oldest);
    for (int k = 0; k < E__COUNT; k++)
        sqlite3_finalize(p->effects[k]);
    sqlite3_close(p->db);
}

/* What a run saw: wall milliseconds from its start. */
struct seen {
    double at[5];        /* first fired, 10%, 50%, 90%, all */
    double max_delay_ms; /* replay: the largest delay of a due timer, on the clock */
    double after_end_ms; /* replay: all fired this long after the clock reached --to */
    int64_t polls;
};

static const double marks[] = {0, 0.10, 0.50, 0.90, 1.0};

/* Moves the clock (at once, or with the wall clock from o->replay_from) and polls
 * until no timer due by o->to is pending. */
static int run(const struct opts *o, struct polls *p, struct seen *r)
{
    size_t next_mark = 0;
    bool replay = o->replay_from != 0;
    int64_t clock_now = replay ? o->replay_from : o->to;
    if (write_clock(o->clock_file, clock_now))
        return -1;
    double t0 = mono_ms(), end_at = replay ? -1 : 0;
    while (next_mark < YJ_ARRAY_LEN(marks)) {
        double now = mono_ms();
        if (now - t0 > (double)o->timeout_s * 1000) {
            fprintf(stderr, "escalate: timers still pending after %lld s\n",
                    (long long)o->timeout_s);
            return -1;
        }
        if (replay && clock_now < o->to) {
            clock_now = o->replay_from + (int64_t)(now - t0);
            if (clock_now >= o->to) {
                clock_now = o->to;
                end_at = now - t0;
            }
            if (write_clock(o->clock_file, clock_now))
                return -1;
        }
        sqlite3_exec(p->db, "BEGIN", NULL, NULL, NULL);
        int64_t pending = number(p->db, p->pending, o->to);
        int64_t oldest = replay ? number(p->db, p->oldest, clock_now) : 0;
        sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
        r->polls++;
        if (pending < 0 || oldest < 0)
            return -1;
        if (oldest > 0 && (double)(clock_now - oldest) > r->max_delay_ms)
            r->max_delay_ms = (double)(clock_now - oldest);
        int64_t fired = o->expect - pending;
        while (next_mark < YJ_ARRAY_LEN(marks) &&
               (marks[next_mark] == 0 ? fired > 0
                                      : (double)fired >= marks[next_mark] * (double)o->expect))
            r->at[next_mark++] = now - t0;
        if (next_mark < YJ_ARRAY_LEN(marks))
            sleep_ms((int)o->poll);
    }
    r->after_end_ms = end_at >= 0 ? r->at[4] - end_at : 0;
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    struct polls p = {0};
    if (polls_open(&p, o.data))
        return 1;
    int64_t before[E__COUNT], after[E__COUNT], later[E__COUNT];
    int64_t pending = number(p.db, p.pending, o.to);
    if (pending != o.expect) {
        fprintf(stderr, "escalate: %lld timers pending by %lld, expected %lld\n",
                (long long)pending, (long long)o.to, (long long)o.expect);
        return 1;
    }
    struct seen r = {0};
    if (count_effects(p.db, p.effects, o.to, before) || run(&o, &p, &r) ||
        count_effects(p.db, p.effects, o.to, after))
        return 1;
    sleep_ms((int)o.settle);
    if (count_effects(p.db, p.effects, o.to, later))
        return 1;

    /* Exactly once: one breach, timeline entry, audit record and fired mark per timer,
     * and nothing further once the burst is done. */
    int rc = 0;
    for (int k = E_BREACHES; k <= E_FIRED; k++) {
        int64_t d = after[k] - before[k];
        if (d != o.expect || later[k] != after[k]) {
            fprintf(stderr, "escalate: %s grew by %lld (then %lld more), expected %lld\n",
                    effect_name[k], (long long)d, (long long)(later[k] - after[k]),
                    (long long)o.expect);
            rc = 1;
        }
    }
    double spread = r.at[4] - r.at[0];
    double rate = spread > 0 ? (double)o.expect / spread * 1e3 : 0.0;
    const char *mode = o.replay_from ? "replay" : "jump";
    if (o.replay_from)
        printf("replayed the minute: %lld deadlines, each escalated within %.0f ms of its time"
               " (the largest delay seen); the last %.0f ms after the minute ended (%lld polls)\n",
               (long long)o.expect, r.max_delay_ms, r.after_end_ms, (long long)r.polls);
    else
        printf("all %lld deadlines due at once: first seen fired %.0f ms after the clock moved,"
               " 10%% %.0f ms, 50%% %.0f ms, 90%% %.0f ms, all %.0f ms (%.0f per second from the"
               " first; %lld polls)\n",
               (long long)o.expect, r.at[0], r.at[1], r.at[2], r.at[3], r.at[4], rate,
               (long long)r.polls);
    printf("effects: %lld acknowledgement breaches, %lld timeline entries, %lld audit records,"
           " %lld outbox rows, %lld in-app notifications%s\n",
           (long long)(after[E_BREACHES] - before[E_BREACHES]),
           (long long)(after[E_EVENTS] - before[E_EVENTS]),
           (long long)(after[E_AUDIT] - before[E_AUDIT]),
           (long long)(after[E_OUTBOX] - before[E_OUTBOX]),
           (long long)(after[E_INAPP] - before[E_INAPP]), rc ? "" : "; each exactly once");
    printf("ESCALATE_JSON {\"mode\":\"%s\",\"timers\":%lld,\"first_ms\":%.1f,\"p10_ms\":%.1f,"
           "\"p50_ms\":%.1f,\"p90_ms\":%.1f,\"all_ms\":%.1f,\"per_s\":%.0f,"
           "\"max_delay_ms\":%.0f,\"after_end_ms\":%.0f,\"outbox_rows\":%lld,\"inapp\":%lld,"
           "\"exactly_once\":%s}\n",
           mode, (long long)o.expect, r.at[0], r.at[1], r.at[2], r.at[3], r.at[4], rate,
           r.max_delay_ms, r.after_end_ms, (long long)(after[E_OUTBOX] - before[E_OUTBOX]),
           (long long)(after[E_INAPP] - before[E_INAPP]), rc ? "false" : "true");
    polls_close(&p);
    return rc;
}
