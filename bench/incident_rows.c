/*
 * incident_rows.c - the rows an incident's history leaves in the store, for
 * bench/seed_incidents (see incident_rows.h). Not part of the product.
 *
 * The few details that vary between rows (when a notice was sent, a breach recorded,
 * a notification read; a decline's reason) are derived from the row's ids, so that the
 * seed's one PRNG stays in seed_incidents.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/yj.h"
#include "store/store.h"

#include "incident_rows.h"

static const char *const decline_reasons[] = {"该领域非我单位专长", "技术人员均在其他现场处置",
                                              "与受影响单位存在利益关系"};
static const char *const withdraw_reasons[] = {"原派单位超时未响应", "改由属地单位处置",
                                               "事件已由运营者自行处置"};
static const char *const people[] = {"张伟、李强", "王磊、陈静、刘洋", "赵敏", "孙杰、周涛"};

static const char *const stmt_sql[S__COUNT] = {
    [S_INCIDENT] =
        "INSERT INTO incidents (id, version, title, class_code, subclass_code, level,"
        " level_proposed, level_reason, graded_at, graded_by, affected_org, affected_system,"
        " operator_type, province, city, discovered_at, source, description, status, merged_into,"
        " final_report, resolved_at, closed_at, created_by, created_at, updated_at)"
        " VALUES (?1, 1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, ?19, ?20, ?21, ?8, ?22, ?23)",
    [S_DISPATCH] =
        "INSERT INTO dispatches (id, version, incident_id, unit_id, status, urgent, instructions,"
        " notified_at, ack_due_at, commit_due_at, accepted_at, declined_at, decline_reason,"
        " plan_started_at, on_site_at, on_site_people, remote_support_at, resolved_at,"
        " withdrawn_at, withdraw_reason, ack_breached_at, commit_breached_at, created_by,"
        " created_at, updated_at) VALUES (?1, 1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13, ?14, NULL, ?15, ?16, ?17, ?18, ?19, ?20, ?6, ?21)",
    [S_TIMER] = "INSERT INTO timers (kind, object_id, due_at, fired_at, cancelled_at)"
                " VALUES (?, ?, ?, ?, ?)",
    [S_BREACH] = "INSERT INTO breaches (unit_id, dispatch_id, incident_id, kind, due_at,"
                 " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
    [S_EVENT] = "INSERT INTO incident_events (incident_id, seq, at, actor_id, actor, kind,"
                " unit_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_OUTBOX] = "INSERT INTO outbox (channel, recipient, recipient_name, event, subject, body,"
                 " ref_type, ref_id, dedupe_key, status, attempts, next_attempt_at, created_at,"
                 " sent_at) VALUES ('email', ?1, ?2, ?3, ?4, ?5, 'dispatch', ?6, ?7, 'sent', 1,"
                 " ?8, ?8, ?9)",
    [S_NOTIFY] = "INSERT INTO notifications (user_id, event, title, body, link, ref_type,"
                 " ref_id, created_at, read_at) VALUES (?, ?, ?, ?, ?, 'dispatch', ?, ?, ?)",
};

int rows_fail(struct db *d, const char *what)
{
    fprintf(stderr, "seed_incidents: %s: %s\n", what, sqlite3_errmsg(d->db));
    return -1;
}

/* Runs a prepared insert with its bindings made, then resets it. */
int rows_run(struct db *d, enum stmt_id id, const char *what)
{
    int rc = sqlite3_step(d->s[id]);
    sqlite3_reset(d->s[id]);
    sqlite3_clear_bindings(d->s[id]);
    return rc == SQLITE_DONE ? 0 : rows_fail(d, what);
}

void rows_bind_i64(sqlite3_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(s, i, v);
}

/* 0 is NULL: times and ids are never 0 here. */
void rows_bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

void rows_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* --- loading what is there -------------------------------------------------------------- */

static int load_ids(struct db *d, const char *sql, int64_t **out, size_t *n)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(d->db, sql, -1, &s, NULL) != SQLITE_OK)
        return rows_fail(d, "prepare");
    size_t cap = 256;
    *out = malloc(cap * sizeof **out);
    *n = 0;
    int rc;
    while (*out && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap *= 2;
            int64_t *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                free(*out);
                *out = NULL;
                break;
            }
            *out = grown;
        }
        (*out)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (!*out) {
        fprintf(stderr, "seed_incidents: out of memory\n");
        return -1;
    }
    return 0;
}

int rows_load_ref(struct db *d, struct ref *r)
{
    if (load_ids(d, "SELECT id FROM units WHERE deleted_at IS NULL ORDER BY id", &r->units,
                 &r->n_units) ||
        load_ids(d, "SELECT id FROM users WHERE role = 'authority' AND disabled = 0 ORDER BY id",
                 &r->authority, &r->n_authority))
        return -1;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT code, ack_minutes, commitment_minutes FROM incident_levels"
                           " ORDER BY severity",
                           -1, &s, NULL) != SQLITE_OK)
        return rows_fail(d, "levels");
    while (r->n_levels < YJ_ARRAY_LEN(r->levels) && sqlite3_step(s) == SQLITE_ROW) {
        struct level *l = &r->levels[r->n_levels++];
        snprintf(l->code, sizeof l->code, "%s", (const char *)sqlite3_column_text(s, 0));
        l->ack_ms = sqlite3_column_int64(s, 1) * MINUTE;
        l->commit_ms = sqlite3_column_int64(s, 2) * MINUTE;
    }
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(d->db,
                           "SELECT code, parent_code, name_zh FROM incident_classes"
                           " WHERE standard = '2023' AND parent_code IS NOT NULL ORDER BY code",
                           -1, &s, NULL) != SQLITE_OK)
        return rows_fail(d, "classes");
    r->classes = calloc(256, sizeof *r->classes);
    while (r->classes && r->n_classes < 256 && sqlite3_step(s) == SQLITE_ROW) {
        struct subclass *c = &r->classes[r->n_classes++];
        snprintf(c->code, sizeof c->code, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(c->parent, sizeof c->parent, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(c->name, sizeof c->name, "%s", (const char *)sqlite3_column_text(s, 2));
    }
    sqlite3_finalize(s);
    if (r->n_levels != 4 || !r->classes || !r->n_classes) {
        fprintf(stderr, "seed_incidents: the incident reference tables are not as seeded\n");
        return -1;
    }
    return 0;
}

/* A timeline entry by the authority's admin, or by the system (the timers). */
int rows_event(struct gen *g, struct inc *i, int64_t at, bool by_system, const char *kind,
               int64_t unit, const char *detail)
{
    sqlite3_stmt *s = g->d->s[S_EVENT];
    rows_bind_i64(s, 1, i->id);
    rows_bind_i64(s, 2, ++i->seq);
    rows_bind_i64(s, 3, at);
    rows_bind_i64(s, 4, by_system ? 0 : g->r->authority[0]);
    rows_bind_text(s, 5, by_system ? "system" : "admin");
    rows_bind_text(s, 6, kind);
    rows_bind_opt(s, 7, unit);
    rows_bind_text(s, 8, detail);
    return rows_run(g->d, S_EVENT, "incident event");
}

static int timer(struct gen *g, const char *kind, int64_t dispatch, int64_t due, int64_t fired,
                 int64_t cancelled)
{
    sqlite3_stmt *s = g->d->s[S_TIMER];
    rows_bind_text(s, 1, kind);
    rows_bind_i64(s, 2, dispatch);
    rows_bind_i64(s, 3, due);
    rows_bind_opt(s, 4, fired);
    rows_bind_opt(s, 5, cancelled);
    if (!fired && !cancelled)
        g->t.timers_pending++;
    return rows_run(g->d, S_TIMER, "timer");
}

/* A message the dispatch caused, as sent by the outbox (to the unit's interface
 * person: an address in the seeded units' form, not looked up). */
static int outbox(struct gen *g, int64_t dispatch, int64_t unit, const char *event_name,
                  const char *subject, const char *key, int64_t at)
{
    sqlite3_stmt *s = g->d->s[S_OUTBOX];
    char to[64];
    snprintf(to, sizeof to, "contact-%lld@unit.example.cn", (long long)unit);
    rows_bind_text(s, 1, to);
    rows_bind_text(s, 2, "接口人");
    rows_bind_text(s, 3, event_name);
    rows_bind_text(s, 4, subject);
    snprintf(g->buf2, sizeof g->buf2, "{\"text\":\"%s\",\"link\":\"/#/dispatches/%lld\"}", subject,
             (long long)dispatch);
    rows_bind_text(s, 5, g->buf2);
    rows_bind_i64(s, 6, dispatch);
    rows_bind_text(s, 7, key);
    rows_bind_i64(s, 8, at);
    rows_bind_i64(s, 9, at + 200 + dispatch * 7 % 4800);
    return rows_run(g->d, S_OUTBOX, "outbox");
}

/* A deadline missed (kind "ack" or "commitment"): the breach against the unit, the
 * timeline entry, the escalation e-mail and the authority's in-app notifications. */
static int breach(struct gen *g, struct inc *i, int64_t dispatch, int64_t unit, const char *kind,
                  int64_t due)
{
    sqlite3_stmt *s = g->d->s[S_BREACH];
    int64_t at = due + 50 + dispatch * 13 % 1450;
    rows_bind_i64(s, 1, unit);
    rows_bind_i64(s, 2, dispatch);
    rows_bind_i64(s, 3, i->id);
    rows_bind_text(s, 4, kind);
    rows_bind_i64(s, 5, due);
    rows_bind_i64(s, 6, at);
    if (rows_run(g->d, S_BREACH, "breach"))
        return -1;
    g->t.breaches++;
    bool ack = strcmp(kind, "ack") == 0;
    snprintf(g->buf, sizeof g->buf,
             "{\"dispatch_id\":%lld,\"unit_name\":\"\",\"ack\":%s,\"commitment\":%s}",
             (long long)dispatch, ack ? "true" : "false", ack ? "false" : "true");
    if (rows_event(g, i, at, true, "dispatch.breach", unit, g->buf))
        return -1;
    char subject[384], key[96];
    snprintf(subject, sizeof subject, "【超时预警】%s：%s",
             ack ? "未在时限内确认接单" : "未在2小时内启动应急预案并到达现场", i->title);
    snprintf(key, sizeof key, "dispatch:%lld:escalated:%d|email|contact-%lld@unit.example.cn",
             (long long)dispatch, ack ? 1 : 2, (long long)unit);
    if (outbox(g, dispatch, unit, "dispatch.escalated", subject, key, at))
        return -1;
    for (size_t k = 0; k < g->r->n_authority; k++) {
        sqlite3_stmt *n = g->d->s[S_NOTIFY];
        char link[64];
        snprintf(link, sizeof link, "/#/incidents/%lld", (long long)i->id);
        rows_bind_i64(n, 1, g->r->authority[k]);
        rows_bind_text(n, 2, "dispatch.escalated");
        rows_bind_text(n, 3, subject);
        rows_bind_text(n, 4, "该超时已记入该单位的工作记录。主管部门可在系统中改派其他支撑单位。");
        rows_bind_text(n, 5, link);
        rows_bind_i64(n, 6, dispatch);
        rows_bind_i64(n, 7, at);
        rows_bind_opt(n, 8, at + MINUTE + dispatch * 7919 % (3 * DAY));
        if (rows_run(g->d, S_NOTIFY, "notification"))
            return -1;
    }
    return 0;
}

int rows_dispatch(struct gen *g, struct inc *i, int64_t unit, const struct plan *p)
{
    int64_t id = g->next_dispatch++;
    sqlite3_stmt *s = g->d->s[S_DISPATCH];
    int64_t last = p->notified;
    const int64_t times[] = {p->accepted, p->declined, p->plan_started,
                             p->on_site,  p->resolved, p->withdrawn};
    for (size_t k = 0; k < YJ_ARRAY_LEN(times); k++)
        if (times[k] > last)
            last = times[k];
    rows_bind_i64(s, 1, id);
    rows_bind_i64(s, 2, i->id);
    rows_bind_i64(s, 3, unit);
    rows_bind_text(s, 4, p->status);
    rows_bind_i64(s, 5, p->urgent);
    rows_bind_i64(s, 6, p->notified);
    rows_bind_i64(s, 7, p->ack_due);
    rows_bind_i64(s, 8, p->commit_due);
    rows_bind_opt(s, 9, p->accepted);
    rows_bind_opt(s, 10, p->declined);
    rows_bind_text(s, 11, p->declined ? decline_reasons[id % YJ_ARRAY_LEN(decline_reasons)] : NULL);
    rows_bind_opt(s, 12, p->plan_started);
    rows_bind_opt(s, 13, p->on_site);
    rows_bind_text(s, 14, p->on_site ? people[id % YJ_ARRAY_LEN(people)] : NULL);
    rows_bind_opt(s, 15, p->resolved);
    rows_bind_opt(s, 16, p->withdrawn);
    rows_bind_text(s, 17,
                   p->withdrawn ? withdraw_reasons[id % YJ_ARRAY_LEN(withdraw_reasons)] : NULL);
    rows_bind_opt(s, 18, p->ack_breach ? p->ack_due : 0);
    rows_bind_opt(s, 19, p->commit_breach ? p->commit_due : 0);
    rows_bind_i64(s, 20, g->r->authority[0]);
    rows_bind_i64(s, 21, last);
    if (rows_run(g->d, S_DISPATCH, "dispatch"))
        return -1;
    g->t.dispatches++;
    /* Its timers as dispatch_api.c schedules them: fired at their time once past
     * (the effect judged then), cancelled by a withdrawal before it, else pending. */
    const int64_t dues[] = {p->ack_due, p->commit_due};
    static const char *const kinds[] = {"dispatch.ack", "dispatch.commitment"};
    for (size_t k = 0; k < 2; k++) {
        int64_t due = dues[k], fired = 0, cancelled = 0;
        if (p->withdrawn && p->withdrawn < due)
            cancelled = p->withdrawn;
        else if (due <= g->now)
            fired = due + 20 + id * 31 % 880;
        if (timer(g, kinds[k], id, due, fired, cancelled))
            return -1;
    }
    snprintf(g->buf, sizeof g->buf,
             "{\"dispatch_id\":%lld,\"unit_id\":%lld,\"unit_name\":\"\",\"urgent\":%s}",
             (long long)id, (long long)unit, p->urgent ? "true" : "false");
    if (rows_event(g, i, p->notified, false, "dispatched", unit, g->buf))
        return -1;
    char subject[384], key[96];
    snprintf(subject, sizeof subject, "【应急派单】%s", i->title);
    snprintf(key, sizeof key, "dispatch:%lld:notice:0|email|contact-%lld@unit.example.cn",
             (long long)id, (long long)unit);
    if (outbox(g, id, unit, "dispatch.notified", subject, key, p->notified))
        return -1;
    if (p->ack_breach && breach(g, i, id, unit, "ack", p->ack_due))
        return -1;
    if (p->commit_breach && breach(g, i, id, unit, "commitment", p->commit_due))
        return -1;
    bool live = !strcmp(p->status, "notified") || !strcmp(p->status, "accepted") ||
                !strcmp(p->status, "working");
    g->t.live += live;
    if (p->burst) {
        g->t.burst++;
        if (!g->t.burst_min_due || p->ack_due < g->t.burst_min_due)
            g->t.burst_min_due = p->ack_due;
        if (p->ack_due > g->t.burst_max_due)
            g->t.burst_max_due = p->ack_due;
    }
    return 0;
}

int rows_open(const char *data, struct db *d)
{
    struct yj_error err;
    yj_error_clear(&err);
    struct store *st = NULL;
    if (store_open(data, STORE_MIGRATE, &st, &err)) {
        fprintf(stderr, "seed_incidents: %s\n", err.msg);
        return -1;
    }
    store_close(st);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data, STORE_DB_FILE);
    if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return rows_fail(d, path);
    sqlite3_busy_timeout(d->db, 5000);
    /* Durable once at the end (bench/run syncs), not at every batch. */
    if (sqlite3_exec(d->db,
                     "PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF;"
                     " PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return rows_fail(d, "pragmas");
    for (int k = 0; k < S__COUNT; k++)
        if (sqlite3_prepare_v3(d->db, stmt_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &d->s[k], NULL) !=
            SQLITE_OK)
            return rows_fail(d, stmt_sql[k]);
    return 0;
}

void rows_close(struct db *d)
{
    for (int k = 0; k < S__COUNT; k++)
        sqlite3_finalize(d->s[k]);
    sqlite3_close(d->db);
}

int64_t rows_count(struct db *d, const char *sql)
{
    sqlite3_stmt *s;
    int64_t n = -1;
    if (sqlite3_prepare_v2(d->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}
