/*
 * incident_timers.c - the deadlines of dispatches, fired from the store. Each
 * timer's effect (a breach recorded against the unit, the escalation to the
 * authority and the unit's leads, a repeated urgent notice) and the mark that it
 * fired are written in one transaction, so after a crash or restart every pending
 * deadline resumes and none fires twice. A breach is judged at the deadline's own
 * instant, whenever the loop gets to it.
 */
#include "api/api_disposal.h"
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "notify/notify.h"

enum {
    BATCH = 256,                     /* timers per write transaction */
    REPEAT_EVERY_MS = 5 * 60 * 1000, /* as dispatch_api.c */
};

static const struct auth_subject *const SYSTEM = NULL;

static enum yj_err audit_system(struct store_tx *tx, const char *action, const char *type,
                                int64_t id, const char *changes, int64_t now, struct yj_arena *a,
                                struct yj_error *err)
{
    struct audit_entry e = {
        .actor_id = 0,
        .actor = "system",
        .action = action,
        .object_type = type,
        .object_id = api_id_str(a, id),
        .changes = changes,
    };
    return audit_append(tx, &e, now, err);
}

/* Tells the authority's users and the unit's leads that a deadline was missed, and
 * that the dispatch can be handed to another unit. */
static enum yj_err escalate(struct store_tx *tx, const struct store_dispatch *d, int kinds,
                            int64_t now, struct yj_arena *a, struct yj_error *err)
{
    struct notify_recipient to[NOTIFY_RECIPIENTS_MAX];
    size_t n = 0;
    int64_t *ids;
    size_t nid;
    enum yj_err rc =
        api_unit_recipients(tx, d->unit_id, now, true, a, to, YJ_ARRAY_LEN(to), &n, err);
    if (!rc)
        rc = store_user_ids(tx, 0, "authority", a, &ids, &nid, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < nid && n < YJ_ARRAY_LEN(to); i++)
        to[n++] = (struct notify_recipient){NULL, NULL, NULL, ids[i]};
    bool duty_set = false;
    if (n < YJ_ARRAY_LEN(to))
        rc = api_duty_recipient(tx, a, &to[n], &duty_set, err);
    if (rc)
        return rc;
    n += duty_set;
    const char *what = (kinds & INC_BREACH_ACK) && (kinds & INC_BREACH_COMMITMENT)
                           ? "未确认接单，也未在2小时内启动应急预案并到达现场"
                       : (kinds & INC_BREACH_ACK) ? "未在时限内确认接单"
                                                  : "未在2小时内启动应急预案并到达现场";
    struct notify_message m = {
        .event = "dispatch.escalated",
        .subject =
            yj_arena_printf(a, "【超时预警】%s%s：%s", d->unit_name, what, d->incident_title),
        .text = yj_arena_printf(
            a,
            "支撑单位：%s\n事件：%s\n情况：%s\n通知时间：%s\n确认时限：%s\n到场时限：%s\n\n"
            "该超时已记入该单位的工作记录。主管部门可在系统中改派其他支撑单位。",
            d->unit_name, d->incident_title, what, api_cst(a, d->d.notified_at),
            api_cst(a, d->d.ack_due_at), api_cst(a, d->d.commit_due_at)),
        .link = yj_arena_printf(a, "/#/incidents/%lld", (long long)d->incident_id),
        .ref_type = "dispatch",
        .ref_id = d->id,
        .dedupe = yj_arena_printf(a, "dispatch:%lld:escalated:%d", (long long)d->id, kinds),
    };
    return notify_enqueue(tx, &m, to, n, now, NULL, err);
}

/* A deadline of dispatch d falls due at `at`: record what was missed. */
static enum yj_err deadline(struct store_tx *tx, struct store_dispatch *d, int64_t at, int64_t now,
                            struct yj_arena *a, struct yj_error *err)
{
    int kinds = inc_dispatch_due_breaches(&d->d, at);
    if (!kinds)
        return YJ_OK;
    enum yj_err rc = YJ_OK;
    for (int k = INC_BREACH_ACK; !rc && k <= INC_BREACH_COMMITMENT; k <<= 1) {
        if (!(kinds & k))
            continue;
        bool ack = k == INC_BREACH_ACK;
        struct store_breach b = {
            .unit_id = d->unit_id,
            .dispatch_id = d->id,
            .incident_id = d->incident_id,
            .kind = ack ? "ack" : "commitment",
            .due_at = ack ? d->d.ack_due_at : d->d.commit_due_at,
            .recorded_at = now,
        };
        bool added;
        rc = store_breach_insert(tx, &b, &added, err);
        if (ack)
            d->d.ack_breached_at = b.due_at;
        else
            d->d.commit_breached_at = b.due_at;
    }
    d->updated_at = now;
    if (!rc)
        rc = store_dispatch_update(tx, d, err);
    if (!rc)
        rc =
            api_inc_event(tx, d->incident_id, now, SYSTEM, "dispatch.breach", d->unit_id,
                          json_pack("{s:I,s:s,s:b,s:b}", "dispatch_id", (json_int_t)d->id,
                                    "unit_name", d->unit_name, "ack", (kinds & INC_BREACH_ACK) != 0,
                                    "commitment", (kinds & INC_BREACH_COMMITMENT) != 0),
                          err);
    if (!rc)
        rc = audit_system(tx, "dispatch.breach", "dispatch", d->id,
                          (kinds & INC_BREACH_ACK) && (kinds & INC_BREACH_COMMITMENT)
                              ? "{\"ack\":true,\"commitment\":true}"
                          : (kinds & INC_BREACH_ACK) ? "{\"ack\":true}"
                                                     : "{\"commitment\":true}",
                          now, a, err);
    if (!rc)
        rc = escalate(tx, d, kinds, now, a, err);
    return rc;
}

/* An urgent notice not yet answered: say it again, and again in REPEAT_EVERY_MS. */
static enum yj_err repeat(struct store_tx *tx, const struct store_dispatch *d, int64_t at,
                          int64_t now, struct yj_arena *a, struct yj_error *err)
{
    if (d->d.status != INC_D_NOTIFIED)
        return YJ_OK;
    struct store_incident i;
    struct inc_level *levels;
    size_t nl;
    enum yj_err rc = store_incident_get(tx, d->incident_id, a, &i, err);
    if (!rc)
        rc = store_inc_levels(tx, a, &levels, &nl, err);
    if (rc)
        return rc;
    const struct inc_level *l = api_level_find(levels, nl, i.level);
    int nth = (int)((at - d->d.notified_at) / REPEAT_EVERY_MS);
    rc = api_dispatch_notice(tx, d, &i, l ? l->name_zh : "", nth > 0 ? nth : 1, now, a, err);
    if (!rc)
        rc = store_timer_add(tx, "dispatch.repeat", d->id, at + REPEAT_EVERY_MS, err);
    return rc;
}

static enum yj_err fire(struct store_tx *tx, const struct store_timer *t, int64_t now,
                        struct yj_arena *a, struct yj_error *err)
{
    struct store_dispatch d;
    enum yj_err rc = YJ_OK;
    if (strncmp(t->kind, "dispatch.", 9) == 0) {
        struct store_incident i;
        rc = store_dispatch_get(tx, t->object_id, a, &d, err);
        if (!rc)
            rc = store_incident_get(tx, d.incident_id, a, &i, err);
        /* Once the incident is resolved (or merged into another), its dispatches'
         * remaining deadlines no longer bind anyone. */
        if (!rc && (i.status >= INC_RESOLVED || i.merged_into))
            ;
        else if (!rc && strcmp(t->kind, "dispatch.repeat") == 0)
            rc = repeat(tx, &d, t->due_at, now, a, err);
        else if (!rc)
            rc = deadline(tx, &d, t->due_at, now, a, err);
    } else if (strcmp(t->kind, API_DISPOSAL_TIMER) == 0) {
        /* A disposal notice's deadline: overdue unless handled (disposal_public.c). */
        rc = api_disposal_timer_fire(tx, t->object_id, t->due_at, now, a, err);
    } else {
        yj_log(YJ_LOG_WARN, "timer.unknown_kind", "{s:s,s:I}", "kind", t->kind, "id",
               (json_int_t)t->id);
    }
    if (!rc)
        rc = store_timer_fired(tx, t->id, now, err);
    return rc;
}

/* Fires timers[0..n) in one transaction; false when it failed as a whole. */
static bool fire_batch(struct api_app *app, const struct store_timer *t, size_t n, int64_t now,
                       struct yj_arena *a)
{
    struct yj_error err;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    for (size_t k = 0; !rc && k < n; k++)
        rc = fire(tx, &t[k], now, a, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc)
        yj_log(YJ_LOG_ERROR, "timer.batch_failed", "{s:s,s:I}", "error", err.msg, "timers",
               (json_int_t)n);
    return rc == YJ_OK;
}

size_t api_incident_timers_run(struct api_app *app, int64_t now, int64_t *next_due)
{
    size_t fired = 0;
    *next_due = 0;
    for (;;) {
        struct yj_arena a;
        yj_arena_init(&a, 0);
        struct yj_error err;
        struct store_tx *tx = NULL;
        struct store_timer *t = NULL;
        size_t n = 0;
        enum yj_err rc = store_read_begin(app->store, &tx, &err);
        if (!rc)
            rc = store_timer_due(tx, now, BATCH, &a, &t, &n, &err);
        store_tx_end(tx);
        bool progress = false;
        if (!rc && n > 0) {
            if (fire_batch(app, t, n, now, &a))
                progress = true;
            else
                /* One bad timer must not hold the others back: each alone; a timer that
                 * still fails is left pending and logged, and retried next round. */
                for (size_t k = 0; k < n; k++)
                    progress |= fire_batch(app, &t[k], 1, now, &a);
            if (progress)
                fired += n;
        }
        yj_arena_release(&a);
        if (rc || n < BATCH || !progress)
            break;
    }
    struct yj_error err;
    struct store_tx *tx = NULL;
    if (!store_read_begin(app->store, &tx, &err))
        store_timer_next(tx, next_due, &err);
    store_tx_end(tx);
    if (fired)
        api_background_kick(app); /* the escalations wait in the outbox */
    return fired;
}
