/*
 * seed_incidents.c - fills a data directory's store with the incident history of a
 * busy authority for the benchmark (bench/run): incidents, dispatches with their
 * stored timers, breaches, the timeline's main entries and the notices they sent.
 * Not part of the product and not a test.
 *
 *     bench/seed_incidents --data DIR [--incidents 100000] [--dispatches 300000]
 *                          [--open 5000] [--burst 10000] [--burst-in 600]
 *                          [--now MS] [--batch 5000] [--seed 1]
 *
 * The units must be there already (bench/seed); dispatches go to them. The mix,
 * with "now" the real time unless --now says otherwise:
 *
 *   - about 1% of the incidents resolved in the last month and --open still open
 *     (a tenth of those reported or triaged, the rest dispatched, in progress or
 *     contained, discovered in the last hours); all the others closed over the two
 *     years before, with a final report, a few hundred merged into another;
 *   - levels 一般 70%, 较大 22%, 重大 7%, 特别重大 1% (open ones partly ungraded);
 *   - --burst dispatches of open incidents still waiting for their acknowledgement,
 *     whose deadlines all fall in one minute: the first whole minute --burst-in
 *     seconds after now. Nothing else is due before that minute ends, so moving a
 *     server's clock past it falls due exactly these (bench/escalate);
 *   - other live dispatches accepted in the last 30-100 minutes, their 2-hour
 *     commitment running, some with plan and arrival recorded, a few already in
 *     breach of it; every incident's declined and withdrawn ones;
 *   - the rest of --dispatches spread over the closed and resolved incidents, 1-5
 *     each: most resolved, some declined or withdrawn, ~5% with an acknowledgement
 *     and ~6% with a commitment breach recorded against the unit.
 *
 * Every dispatch has its two timers as dispatch_api.c schedules them (fired, or
 * cancelled when withdrawn, unless still pending), a "dispatched" timeline entry and
 * the notice to the unit's interface person in the outbox (sent); every breach its
 * "dispatch.breach" entry, an escalation e-mail and an in-app notification for each
 * authority user, as incident_timers.c writes them. Not written: audit records (the
 * chain stays as bench/seed left it, so `yingji audit verify` passes), repeat
 * reminders, evidence, upward reports.
 *
 * Rows go in with plain prepared SQL on one connection, one transaction per --batch
 * incidents with their dispatches, foreign keys checked; the store is opened once
 * first with migrations, so the schema is the binary's. The output ends with one
 * line "SEED_INCIDENTS_JSON {...}" for bench/run (the burst minute, counts).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/yj.h"

#include "incident_rows.h"
#include "rng.h"

enum { PER_INCIDENT_MAX = 16 }; /* dispatches of one incident */

/* --- reference data ------------------------------------------------------------------ */

static const struct {
    const char *province, *city;
} places[] = {
    {"北京市", "北京市"}, {"上海市", "上海市"}, {"广东省", "广州市"}, {"广东省", "深圳市"},
    {"浙江省", "杭州市"}, {"江苏省", "南京市"}, {"四川省", "成都市"}, {"贵州省", "贵阳市"},
    {"山东省", "济南市"}, {"湖北省", "武汉市"}, {"陕西省", "西安市"}, {"福建省", "福州市"},
    {"湖南省", "长沙市"}, {"河南省", "郑州市"}, {"天津市", "天津市"}, {"重庆市", "重庆市"},
};
static const char *const org_kinds[] = {
    "人民医院",     "政务服务中心", "城市商业银行", "供电公司", "燃气集团",   "大学",
    "广播电视台",   "水务集团",     "交通运输局",   "人社局",   "公积金中心", "证券营业部",
    "地铁运营公司", "机场",         "税务局",       "教育局",   "自来水公司", "石化分公司"};
static const char *const systems[] = {"门户网站",     "办公自动化系统", "核心业务系统", "邮件系统",
                                      "数据库服务器", "政务云平台",     "工业控制系统", "DNS服务器",
                                      "移动应用后台", "视频监控平台"};
static const char *const sources[] = {"unit_discovery",   "authority",       "public_report",
                                      "monitoring_alert", "threat_match",    "monitoring_alert",
                                      "unit_discovery",   "monitoring_alert"};

/* --- generating ------------------------------------------------------------------------------ */

enum kind { K_CLOSED, K_MERGED, K_RESOLVED, K_WAITING, K_OPEN };

/* One incident's dispatches: finished (an open incident's declined or withdrawn),
 * live accepted, live in breach of the commitment, waiting in the burst minute. */
struct share {
    int past, accepted, breached, burst;
};

static int64_t pick_level(void)
{
    int64_t x = rnd_range(0, 99);
    return x < 1 ? 0 : x < 8 ? 1 : x < 30 ? 2 : 3;
}

/* The sorts of dispatch an incident gets (struct share counts them), and how each goes. */
enum sort { D_PAST, D_ACCEPTED, D_BREACHED, D_BURST, D__COUNT };

/* A finished dispatch of a closed or resolved incident notified at t: mostly resolved,
 * some declined or withdrawn, a few with a breach. */
static struct plan past_plan(const struct level *l, int64_t t)
{
    struct plan p = {.status = "resolved", .notified = t, .urgent = rnd_range(0, 9) == 0};
    p.ack_due = t + l->ack_ms;
    p.commit_due = t + l->commit_ms;
    int64_t x = rnd_range(0, 99);
    if (x < 6) { /* declined within the acknowledgement window */
        p.status = "declined";
        p.declined = t + rnd_range(MINUTE, l->ack_ms - MINUTE);
        return p;
    }
    p.ack_breach = rnd_range(0, 99) < 5;
    p.accepted = p.ack_breach ? p.ack_due + rnd_range(MINUTE, 30 * MINUTE)
                              : t + rnd_range(MINUTE, l->ack_ms - MINUTE);
    if (x < 10) { /* withdrawn and given to another unit */
        p.status = "withdrawn";
        p.withdrawn = p.accepted + rnd_range(10 * MINUTE, 60 * MINUTE);
        return p;
    }
    p.commit_breach = rnd_range(0, 99) < 6;
    p.plan_started = p.accepted + rnd_range(5 * MINUTE, 30 * MINUTE);
    p.on_site = p.commit_breach ? p.commit_due + rnd_range(10 * MINUTE, 2 * HOUR)
                                : p.accepted + rnd_range(20 * MINUTE, 80 * MINUTE);
    if (p.on_site >= p.commit_due && !p.commit_breach)
        p.on_site = p.commit_due - MINUTE;
    if (p.plan_started > p.on_site)
        p.plan_started = p.on_site;
    p.resolved = p.on_site + rnd_range(2 * HOUR, 3 * DAY);
    return p;
}

/* How the k-th dispatch of sort `sort` of an incident goes; *bad when it cannot be. */
static struct plan plan_of(const struct gen *g, const struct level *l, enum sort sort, bool open,
                           int64_t t, int *bad)
{
    int64_t now = g->now;
    struct plan p = {.notified = t};
    switch (sort) {
    case D_PAST:
        if (!open)
            return past_plan(l, t);
        /* An open incident's earlier unit: declined or withdrawn, both deadlines past. */
        p = past_plan(l, now - rnd_range(3 * HOUR, 6 * HOUR));
        if (strcmp(p.status, "declined") != 0) {
            p.status = "withdrawn";
            p.withdrawn = p.accepted + rnd_range(10 * MINUTE, 60 * MINUTE);
            p.plan_started = p.on_site = p.resolved = 0;
            p.commit_breach = false;
        }
        return p;
    case D_ACCEPTED: /* accepted 30-100 minutes ago: the commitment still runs */
        p.notified = now - rnd_range(30 * MINUTE, 100 * MINUTE);
        p.status = "accepted";
        p.urgent = rnd_range(0, 4) == 0;
        p.accepted = p.notified + rnd_range(MINUTE, l->ack_ms - MINUTE);
        if (rnd_range(0, 1)) {
            p.status = "working";
            p.plan_started = p.accepted + rnd_range(5 * MINUTE, 15 * MINUTE);
            if (p.plan_started > now)
                p.plan_started = now - MINUTE;
            if (rnd_range(0, 1))
                p.on_site = p.plan_started;
        }
        break;
    case D_BREACHED: /* past its 2 hours without being on site: shown first */
        p.notified = now - rnd_range(2 * HOUR + 10 * MINUTE, 6 * HOUR);
        p.status = "working";
        p.commit_breach = true;
        p.accepted = p.notified + rnd_range(MINUTE, l->ack_ms - MINUTE);
        p.plan_started = p.accepted + rnd_range(5 * MINUTE, 30 * MINUTE);
        break;
    default: /* waiting for the acknowledgement, due in the burst minute */
        p.status = "notified";
        p.burst = true;
        p.notified = g->burst_from + rnd_range(0, MINUTE - 1) - l->ack_ms;
        if (p.notified > now) {
            fprintf(stderr,
                    "seed_incidents: --burst-in is longer than the %s level's acknowledgement"
                    " window: its dispatches would be notified in the future\n",
                    l->code);
            *bad = 1;
        }
    }
    p.ack_due = p.notified + l->ack_ms;
    p.commit_due = p.notified + l->commit_ms;
    return p;
}

/* Distinct units for one incident's dispatches. */
static void pick_units(const struct ref *r, int64_t *out, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        bool again;
        do {
            out[k] = r->units[rnd() % r->n_units];
            again = false;
            for (size_t j = 0; j < k; j++)
                again |= out[j] == out[k];
        } while (again);
    }
}

/* The incident row, as POST /api/v1/incidents and the later steps leave it. */
static int incident_row(struct gen *g, struct inc *i, enum kind kind, const char *status,
                        int64_t reported, int64_t resolved_at, int64_t closed_at)
{
    static const char *const operator_types[] = {"other", "other",        "other", "other",
                                                 "other", "other",        "other", "cii",
                                                 "cii",   "central_state"};
    const struct level *lvl = &g->r->levels[i->level_i < 0 ? 3 : i->level_i];
    size_t place = rnd() % YJ_ARRAY_LEN(places);
    const char *org = PICK(org_kinds), *sys = PICK(systems);
    snprintf(i->title, sizeof i->title, "%s某%s%s发生%s", places[place].city, org, sys,
             i->cls->name);
    sqlite3_stmt *s = g->d->s[S_INCIDENT];
    rows_bind_i64(s, 1, i->id);
    rows_bind_text(s, 2, i->title);
    rows_bind_text(s, 3, i->cls->parent);
    rows_bind_text(s, 4, i->cls->code);
    rows_bind_text(s, 5, i->level_i < 0 ? NULL : lvl->code);
    rows_bind_text(s, 6, i->level_i < 0 ? NULL : "按影响范围和持续时间研判");
    rows_bind_opt(s, 7, i->level_i < 0 ? 0 : reported + rnd_range(MINUTE, 10 * MINUTE));
    rows_bind_i64(s, 8, g->r->authority[0]);
    snprintf(g->buf, sizeof g->buf, "%s%s", places[place].city, org);
    rows_bind_text(s, 9, g->buf);
    rows_bind_text(s, 10, sys);
    rows_bind_text(s, 11, PICK(operator_types));
    rows_bind_text(s, 12, places[place].province);
    rows_bind_text(s, 13, places[place].city);
    rows_bind_i64(s, 14, i->discovered);
    rows_bind_text(s, 15, PICK(sources));
    rows_bind_text(s, 16, "监测发现异常访问和可疑进程，运营者已断开受影响主机的外网连接。");
    rows_bind_text(s, 17, status);
    rows_bind_opt(s, 18, kind == K_MERGED && i->id > 1 ? rnd_range(1, i->id - 1) : 0);
    rows_bind_text(s, 19,
                   closed_at
                       ? "{\"cause\":\"未及时修补的中间件漏洞被利用\",\"impact\":\"业务中断约"
                         "3小时，未发现数据外泄\",\"measures\":\"隔离主机、清除后门、修补漏洞、"
                         "重置口令\",\"accountability\":\"运维单位通报批评\",\"rectification\":"
                         "\"建立补丁管理制度\",\"lessons\":\"加强资产梳理和暴露面管理\"}"
                       : NULL);
    rows_bind_opt(s, 20, resolved_at);
    rows_bind_opt(s, 21, closed_at);
    rows_bind_i64(s, 22, reported);
    rows_bind_i64(s, 23, closed_at ? closed_at : resolved_at ? resolved_at : reported + HOUR);
    if (rows_run(g->d, S_INCIDENT, "incident"))
        return -1;
    snprintf(g->buf, sizeof g->buf, "{\"title\":\"%s\",\"source\":\"monitoring_alert\"}", i->title);
    return rows_event(g, i, reported, false, "reported", 0, g->buf);
}

/* One incident of the kind, discovered then, with the dispatches its share says. */
static int incident(struct gen *g, int64_t id, enum kind kind, int64_t discovered,
                    const struct share *sh)
{
    struct inc i = {.id = id, .discovered = discovered, .level_i = pick_level()};
    i.cls = &g->r->classes[rnd() % g->r->n_classes];
    const int counts[D__COUNT] = {sh->past, sh->accepted, sh->breached, sh->burst};
    bool open = kind == K_WAITING || kind == K_OPEN;
    const char *status = kind == K_RESOLVED ? "resolved" : "closed";
    if (kind == K_WAITING) {
        status = rnd_range(0, 1) ? "reported" : "triaged";
        if (!strcmp(status, "reported") && rnd_range(0, 1))
            i.level_i = -1;
    } else if (kind == K_OPEN) {
        status = sh->accepted + sh->breached == 0 ? "dispatched"
                 : rnd_range(0, 3)                ? "in_progress"
                                                  : "contained";
    }
    int64_t reported = discovered + rnd_range(5 * MINUTE, 2 * HOUR);
    int64_t dispatch_at = reported + rnd_range(10 * MINUTE, 60 * MINUTE);
    int64_t resolved_at = 0, closed_at = 0;
    if (!open) {
        resolved_at = dispatch_at + rnd_range(6 * HOUR, 5 * DAY);
        if (kind != K_RESOLVED)
            closed_at = resolved_at + rnd_range(DAY, 20 * DAY);
        closed_at = closed_at > g->now ? g->now - MINUTE : closed_at;
        resolved_at = resolved_at > g->now ? g->now - 2 * MINUTE : resolved_at;
    }
    if (incident_row(g, &i, kind, status, reported, resolved_at, closed_at))
        return -1;
    g->t.incidents++;
    g->t.open += open;

    const struct level *lvl = &g->r->levels[i.level_i < 0 ? 3 : i.level_i];
    int64_t units[PER_INCIDENT_MAX];
    size_t n = (size_t)(counts[D_PAST] + counts[D_ACCEPTED] + counts[D_BREACHED] + counts[D_BURST]);
    pick_units(g->r, units, n);
    size_t u = 0;
    for (int sort = 0; sort < D__COUNT; sort++)
        for (int k = 0; k < counts[sort]; k++) {
            int bad = 0;
            int64_t t = dispatch_at + k * rnd_range(MINUTE, 20 * MINUTE); /* a few minutes apart */
            struct plan p = plan_of(g, lvl, (enum sort)sort, open, t, &bad);
            if (resolved_at && p.resolved > resolved_at)
                p.resolved = resolved_at;
            if (bad || rows_dispatch(g, &i, units[u++], &p))
                return -1;
        }
    if (!closed_at)
        return 0;
    return rows_event(g, &i, closed_at, false, "status", 0,
                      "{\"from\":\"resolved\",\"to\":\"closed\"}");
}

/* --- the plan of the whole store ---------------------------------------------------------------
 */

/* How many dispatches of each sort every incident gets, decided up front so that the
 * totals are exactly what was asked for. */
struct shape {
    int64_t incidents, dispatches, open, burst;
    int64_t n_closed, n_resolved, n_waiting, n_open;
    struct share *of; /* [incidents] */
};

/* Splits the numbers asked for into the incidents' shares; -1 when impossible. */
static int shape_make(struct shape *sh, size_t n_units)
{
    sh->n_resolved = sh->incidents / 100;
    sh->n_waiting = sh->open / 10;
    sh->n_open = sh->open - sh->n_waiting;
    sh->n_closed = sh->incidents - sh->n_resolved - sh->open;
    if (sh->n_closed < 1 || (sh->burst && !sh->n_open)) {
        fprintf(stderr, "seed_incidents: --open and --burst do not fit in --incidents\n");
        return -1;
    }
    int64_t per_burst = (sh->burst + sh->n_open - 1) / (sh->n_open ? sh->n_open : 1);
    if (per_burst + 4 > PER_INCIDENT_MAX || (size_t)per_burst + 4 > n_units) {
        fprintf(stderr, "seed_incidents: too many burst dispatches per open incident\n");
        return -1;
    }
    sh->of = calloc((size_t)sh->incidents, sizeof *sh->of);
    if (!sh->of)
        return -1;
    int64_t first_open = sh->n_closed + sh->n_resolved + sh->n_waiting, sum = 0;
    for (int64_t k = 0; k < sh->n_closed + sh->n_resolved; k++)
        sum += sh->of[k].past = (int)rnd_range(1, 5);
    for (int64_t k = 0; k < sh->n_open; k++) {
        struct share *o = &sh->of[first_open + k];
        /* The burst evenly over the dispatched open incidents; each also has 0-2
         * accepted, one in ten one in breach of its commitment, one in ten a declined
         * or withdrawn one. */
        o->burst = (int)(sh->burst / sh->n_open + (k < sh->burst % sh->n_open ? 1 : 0));
        o->accepted = (int)rnd_range(0, 2);
        o->breached = rnd_range(0, 9) == 0;
        o->past = rnd_range(0, 9) == 0;
        sum += o->burst + o->accepted + o->breached + o->past;
    }
    /* The rest up or down over the finished incidents, 0 to PER_INCIDENT_MAX each. */
    int64_t finished = sh->n_closed + sh->n_resolved;
    if (sh->dispatches - sum < -2 * finished ||
        sh->dispatches - sum > (PER_INCIDENT_MAX - 5) * finished) {
        fprintf(stderr, "seed_incidents: cannot place %lld dispatches on %lld incidents\n",
                (long long)sh->dispatches, (long long)sh->incidents);
        return -1;
    }
    while (sum != sh->dispatches) {
        struct share *o = &sh->of[rnd() % (uint64_t)finished];
        if (sum > sh->dispatches && o->past > 0) {
            o->past--;
            sum--;
        } else if (sum < sh->dispatches && o->past < PER_INCIDENT_MAX) {
            o->past++;
            sum++;
        }
    }
    return 0;
}

/* --- main ------------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs("usage: seed_incidents --data DIR [--incidents 100000] [--dispatches 300000]\n"
          "                      [--open 5000] [--burst 10000] [--burst-in 600] [--now MS]\n"
          "                      [--batch 5000] [--seed 1]\n",
          f);
}

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Writes every incident in batches of `batch`, one transaction each. */
static int seed_all(struct gen *g, const struct shape *sh, int64_t batch)
{
    int64_t now = g->now, span = 730 * DAY;
    int rc = 0;
    for (int64_t done = 0; !rc && done < sh->incidents; done += batch) {
        int64_t end = done + batch < sh->incidents ? done + batch : sh->incidents;
        if (sqlite3_exec(g->d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            return rows_fail(g->d, "begin");
        for (int64_t k = done; !rc && k < end; k++) {
            /* Ids in the order of discovery: two years of closed ones, then the resolved,
             * the waiting and the dispatched open ones. */
            enum kind kind = K_OPEN;
            int64_t discovered = now - rnd_range(7 * HOUR, 9 * HOUR);
            if (k < sh->n_closed) {
                kind = rnd_range(0, 299) == 0 ? K_MERGED : K_CLOSED;
                discovered = now - span + k * (span - 30 * DAY) / sh->n_closed;
            } else if (k < sh->n_closed + sh->n_resolved) {
                kind = K_RESOLVED;
                discovered = now - rnd_range(10 * DAY, 30 * DAY);
            } else if (k < sh->n_closed + sh->n_resolved + sh->n_waiting) {
                kind = K_WAITING;
                discovered = now - rnd_range(HOUR, 6 * HOUR);
            }
            rc = incident(g, k + 1, kind, discovered, &sh->of[k]);
        }
        if (!rc && sqlite3_exec(g->d->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = rows_fail(g->d, "commit");
        if (rc)
            sqlite3_exec(g->d->db, "ROLLBACK", NULL, NULL, NULL);
    }
    /* The WAL into the database, so that the server starts from a checkpointed file. */
    if (!rc && sqlite3_wal_checkpoint_v2(g->d->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) !=
                   SQLITE_OK)
        rc = rows_fail(g->d, "checkpoint");
    return rc;
}

int main(int argc, char **argv)
{
    const char *data = NULL;
    struct shape sh = {.incidents = 100000, .dispatches = 300000, .open = 5000, .burst = 10000};
    int64_t burst_in = 600, now = 0, batch = 5000, seed = 1;
    /* Every option but --data is a number in a range, stored where it says. */
    const struct {
        const char *name;
        int64_t min, max, *v;
    } nums[] = {
        {"incidents", 1, 10000000, &sh.incidents},
        {"dispatches", 0, 50000000, &sh.dispatches},
        {"open", 0, 1000000, &sh.open},
        {"burst", 0, 1000000, &sh.burst},
        {"burst-in", 60, 86400, &burst_in},
        {"now", 1, INT64_MAX, &now},
        {"batch", 1, 1000000, &batch},
        {"seed", 0, INT64_MAX, &seed},
    };
    struct option opts[YJ_ARRAY_LEN(nums) + 3] = {{"data", required_argument, NULL, 'd'},
                                                  {"help", no_argument, NULL, 'h'}};
    for (size_t k = 0; k < YJ_ARRAY_LEN(nums); k++)
        opts[k + 2] = (struct option){nums[k].name, required_argument, NULL, 'n'};
    int c, at;
    while ((c = getopt_long(argc, argv, "", opts, &at)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c == 'd')
            data = optarg;
        else if (c != 'n' ||
                 yj_parse_i64(optarg, nums[at - 2].min, nums[at - 2].max, nums[at - 2].v) != 0) {
            usage(stderr);
            return 2;
        }
    }
    if (!data || optind < argc) {
        usage(stderr);
        return 2;
    }
    bench_rng_seed((uint64_t)seed);
    if (!now)
        now = yj_now_ms(yj_clock_system());

    struct db d = {0};
    struct ref r = {0};
    if (rows_open(data, &d) || rows_load_ref(&d, &r))
        return 1;
    if (r.n_units < 20 || !r.n_authority) {
        fprintf(stderr, "seed_incidents: needs at least 20 units (bench/seed) and an authority"
                        " user (yingji init)\n");
        return 1;
    }
    if (rows_count(&d, "SELECT COUNT(*) FROM incidents") != 0) {
        fprintf(stderr, "seed_incidents: the store already holds incidents\n");
        return 1;
    }
    if (shape_make(&sh, r.n_units))
        return 1;
    struct gen g = {.d = &d, .r = &r, .now = now, .next_dispatch = 1};
    /* The first whole minute at least burst_in seconds ahead. */
    g.burst_from = (now + burst_in * 1000 + MINUTE - 1) / MINUTE * MINUTE;
    double t0 = mono_s();
    int rc = seed_all(&g, &sh, batch);
    double secs = mono_s() - t0;
    rows_close(&d);
    free(sh.of);
    if (rc)
        return 1;
    struct totals *t = &g.t;
    printf("seeded %lld incidents (%lld open) and %lld dispatches (%lld live, %lld waiting for"
           " an acknowledgement due %lld..%lld), %lld breaches, %lld pending timers in %.1f s\n",
           (long long)t->incidents, (long long)t->open, (long long)t->dispatches,
           (long long)t->live, (long long)t->burst, (long long)t->burst_min_due,
           (long long)t->burst_max_due, (long long)t->breaches, (long long)t->timers_pending, secs);
    printf("SEED_INCIDENTS_JSON {\"now_ms\":%lld,\"burst_from_ms\":%lld,\"burst_to_ms\":%lld,"
           "\"burst\":%lld,\"incidents\":%lld,\"open\":%lld,\"dispatches\":%lld,\"live\":%lld,"
           "\"breaches\":%lld,\"pending_timers\":%lld,\"seconds\":%.2f}\n",
           (long long)now, (long long)g.burst_from, (long long)(g.burst_from + MINUTE),
           (long long)t->burst, (long long)t->incidents, (long long)t->open,
           (long long)t->dispatches, (long long)t->live, (long long)t->breaches,
           (long long)t->timers_pending, secs);
    return 0;
}
