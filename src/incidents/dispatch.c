/*
 * dispatch.c - a dispatch's life (notified, answered, working, done) and the clock
 * of the 2-hour emergency response commitment (seed 001: within two hours of the
 * notice the local branch starts its plan and its people are on site), and which
 * units to suggest for an incident.
 */
#include "incidents/incidents.h"

#include "core/yj.h"
#include "incidents/incidents_int.h"

static const struct inc_vocab dstatuses[INC_D_STATUS__COUNT] = {
    [INC_D_NOTIFIED] = {"notified", "已通知"}, [INC_D_ACCEPTED] = {"accepted", "已接受"},
    [INC_D_DECLINED] = {"declined", "已拒绝"}, [INC_D_WORKING] = {"working", "处置中"},
    [INC_D_RESOLVED] = {"resolved", "已完成"}, [INC_D_WITHDRAWN] = {"withdrawn", "已撤回"},
};

const char *inc_dispatch_status_code(enum inc_dispatch_status s)
{
    return inc_vocab_code(dstatuses, INC_D_STATUS__COUNT, (int)s);
}

const char *inc_dispatch_status_name_zh(enum inc_dispatch_status s)
{
    return inc_vocab_zh(dstatuses, INC_D_STATUS__COUNT, (int)s);
}

int inc_dispatch_status_parse(const char *code, enum inc_dispatch_status *s)
{
    int i = inc_vocab_find(dstatuses, INC_D_STATUS__COUNT, code);
    if (i < 0)
        return -1;
    *s = (enum inc_dispatch_status)i;
    return 0;
}

/* Seeded for every level: a level row that is missing still gets the commitment. */
enum { DEFAULT_ACK_MINUTES = 30, DEFAULT_COMMITMENT_MINUTES = 120 };

void inc_dispatch_start(struct inc_dispatch *d, const struct inc_level *lvl, int64_t now)
{
    int ack = lvl ? lvl->ack_minutes : DEFAULT_ACK_MINUTES;
    int commit = lvl ? lvl->commitment_minutes : DEFAULT_COMMITMENT_MINUTES;
    *d = (struct inc_dispatch){
        .status = INC_D_NOTIFIED,
        .notified_at = now,
        .ack_due_at = now + (int64_t)ack * INC_MINUTE_MS,
        .commit_due_at = now + (int64_t)commit * INC_MINUTE_MS,
    };
}

/* Each action: its code, the statuses it applies in (a bit set), the status it
 * leads to, and the milestone it records (once). */
#define FROM(s) (1u << (s))
#define LIVE (FROM(INC_D_NOTIFIED) | FROM(INC_D_ACCEPTED) | FROM(INC_D_WORKING))
#define ANSWERED (FROM(INC_D_ACCEPTED) | FROM(INC_D_WORKING))

static const struct {
    const char *code;
    unsigned from;
    enum inc_dispatch_status to;
    size_t at; /* offsetof the time it sets */
    const char *what;
} actions[INC_DA__COUNT] = {
    [INC_DA_ACCEPT] = {"accept", FROM(INC_D_NOTIFIED), INC_D_ACCEPTED,
                       offsetof(struct inc_dispatch, accepted_at), "acceptance"},
    [INC_DA_DECLINE] = {"decline", FROM(INC_D_NOTIFIED), INC_D_DECLINED,
                        offsetof(struct inc_dispatch, declined_at), "refusal"},
    [INC_DA_PLAN_STARTED] = {"plan_started", ANSWERED, INC_D_WORKING,
                             offsetof(struct inc_dispatch, plan_started_at), "plan started"},
    [INC_DA_ON_SITE] = {"on_site", ANSWERED, INC_D_WORKING,
                        offsetof(struct inc_dispatch, on_site_at), "on site"},
    [INC_DA_REMOTE_SUPPORT] = {"remote_support", ANSWERED, INC_D_WORKING,
                               offsetof(struct inc_dispatch, remote_support_at), "remote support"},
    [INC_DA_RESOLVE] = {"resolve", FROM(INC_D_WORKING), INC_D_RESOLVED,
                        offsetof(struct inc_dispatch, resolved_at), "resolution"},
    [INC_DA_WITHDRAW] = {"withdraw", LIVE, INC_D_WITHDRAWN,
                         offsetof(struct inc_dispatch, withdrawn_at), "withdrawal"},
};

const char *inc_dispatch_action_code(enum inc_dispatch_action a)
{
    return (unsigned)a < INC_DA__COUNT ? actions[a].code : "unknown";
}

int inc_dispatch_action_parse(const char *code, enum inc_dispatch_action *a)
{
    for (int i = 0; code && i < INC_DA__COUNT; i++)
        if (strcmp(code, actions[i].code) == 0) {
            *a = (enum inc_dispatch_action)i;
            return 0;
        }
    return -1;
}

enum yj_err inc_dispatch_apply(struct inc_dispatch *d, enum inc_dispatch_action a, int64_t now,
                               struct yj_error *err)
{
    if ((unsigned)a >= INC_DA__COUNT)
        return yj_error_set(err, YJ_EINVAL, "action", "unknown action");
    if ((unsigned)d->status >= INC_D_STATUS__COUNT || !(actions[a].from & FROM(d->status)))
        return yj_error_set(err, YJ_ECONFLICT, "status", "cannot %s a dispatch that is %s",
                            actions[a].code, inc_dispatch_status_code(d->status));
    int64_t *at = (int64_t *)(void *)((char *)d + actions[a].at);
    if (*at)
        return yj_error_set(err, YJ_ECONFLICT, "status", "%s already recorded", actions[a].what);
    *at = now;
    d->status = actions[a].to;
    return YJ_OK;
}

/* Happened (non-zero) and by the deadline: at the deadline's very millisecond counts. */
static bool by(int64_t at, int64_t due)
{
    return at && at <= due;
}

/* Whether the acknowledgement deadline is settled without a breach. */
static bool ack_kept(const struct inc_dispatch *d)
{
    int64_t due = d->ack_due_at;
    return by(d->accepted_at, due) || by(d->declined_at, due) || by(d->withdrawn_at, due);
}

/* Whether the commitment is settled without a breach: plan started and people on
 * site in time; or the unit declined, or was withdrawn, before the deadline; or
 * the job was done before it (remotely: nobody needed to go). */
static bool commitment_kept(const struct inc_dispatch *d)
{
    int64_t due = d->commit_due_at;
    if (by(d->declined_at, due) || by(d->withdrawn_at, due) || by(d->resolved_at, due))
        return true;
    return by(d->plan_started_at, due) && by(d->on_site_at, due);
}

/* Whether a deadline may still give a breach: set, not recorded, not kept. */
static bool ack_open(const struct inc_dispatch *d)
{
    return d->ack_due_at && !d->ack_breached_at && !ack_kept(d);
}

static bool commitment_open(const struct inc_dispatch *d)
{
    return d->commit_due_at && !d->commit_breached_at && !commitment_kept(d);
}

int inc_dispatch_due_breaches(const struct inc_dispatch *d, int64_t now)
{
    int due = 0;
    if (ack_open(d) && now >= d->ack_due_at)
        due |= INC_BREACH_ACK;
    if (commitment_open(d) && now >= d->commit_due_at)
        due |= INC_BREACH_COMMITMENT;
    return due;
}

int64_t inc_dispatch_next_deadline(const struct inc_dispatch *d)
{
    int64_t next = 0;
    if (ack_open(d))
        next = d->ack_due_at;
    if (commitment_open(d) && (!next || d->commit_due_at < next))
        next = d->commit_due_at;
    return next;
}

/* --- suggesting units ---------------------------------------------------------------- */

static int clamp(int v, int hi)
{
    return v < 0 ? 0 : v > hi ? hi : v;
}

/* Everything after the certificate, in the header's order, as one number where
 * it can be (ties beyond the clamps are left to the comparison). */
static int suitability(const struct inc_candidate *c)
{
    return (c->on_call_now << 20) + (c->has_field << 19) + (c->same_city << 18) +
           (c->same_province << 17) + ((255 - clamp(c->open_dispatches, 255)) << 8) +
           (255 - clamp(c->recent_breaches, 255));
}

static int cmp_int(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Best first; uncertified units last, among themselves in the same order. */
static int by_suitability(const void *pa, const void *pb)
{
    const struct inc_candidate *a = pa, *b = pb;
    int r = cmp_int(b->certified, a->certified);
    if (!r)
        r = cmp_int(suitability(b), suitability(a));
    if (!r)
        r = cmp_int(a->open_dispatches, b->open_dispatches);
    if (!r)
        r = cmp_int(a->recent_breaches, b->recent_breaches);
    return r ? r : cmp_int(a->unit_id, b->unit_id);
}

static void suggest_reason(struct inc_candidate *c)
{
    int n = snprintf(c->reason, sizeof c->reason, "%s%s%s%s当前任务 %d 项",
                     c->certified ? "" : "未持有效证书；", c->on_call_now ? "值班中；" : "非值班；",
                     c->has_field ? "具备所需能力；" : "",
                     c->same_city       ? "同城；"
                     : c->same_province ? "同省；"
                                        : "",
                     c->open_dispatches > 0 ? c->open_dispatches : 0);
    if (n >= 0 && (size_t)n < sizeof c->reason && c->recent_breaches > 0)
        snprintf(c->reason + n, sizeof c->reason - (size_t)n, "；近12个月超时 %d 次",
                 c->recent_breaches);
}

void inc_suggest_rank(struct inc_candidate *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Certified units score at least 1, the others 0. */
        c[i].score = c[i].certified ? 1 + suitability(&c[i]) : 0;
        suggest_reason(&c[i]);
    }
    /* The comparison ends on the unit id, a total order: qsort's instability never shows. */
    if (n > 1)
        qsort(c, n, sizeof *c, by_suitability);
}
