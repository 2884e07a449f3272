/*
 * test_certs_ops.c - the certificate operations against a real store: issue
 * numbers with the next free sequence and checks every field; status changes
 * follow the table, check the version, write one event and one audit record,
 * and refused ones write nothing; a revocation for misuse of the authority's
 * name records the three-year ban (and audits it), other causes none; expiry
 * records each due certificate once, in batches, dated at the end of valid_to,
 * by "system", and leaves the audit chain whole; change reports link the
 * unit's current certificate; decisions close a task once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "certs/certs.h"
#include "core/yj.h"
#include "store/store.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

#define NOW INT64_C(1780272000000) /* 2026-06-01T00:00:00Z, 08:00 in Beijing */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

struct fx {
    char dir[64];
    struct store *st;
    struct store_tx *tx; /* the test's write transaction, when one is open */
    struct yj_arena a;
    int64_t unit_a, unit_b;
};

static const struct cert_actor authority = {
    .user_id = 1, .username = "admin", .source_ip = "192.0.2.7"};

static void begin(struct fx *f)
{
    struct yj_error e;
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
}

static void commit(struct fx *f)
{
    struct yj_error e;
    ASSERT_OK(store_tx_commit(f->tx, &e));
    store_tx_end(f->tx);
    f->tx = NULL;
}

/* Ends the test's transaction without committing (a refused request's fate). */
static void rollback(struct fx *f)
{
    store_tx_end(f->tx);
    f->tx = NULL;
}

static int64_t unit_new(struct fx *f, const char *name, const char *code)
{
    struct yj_error e;
    struct unit u = {.name = name, .credit_code = code, .registered_capital = -1};
    ASSERT_OK(store_unit_insert(f->tx, &u, NOW, &e));
    return u.id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-certops-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    yj_arena_init(&f->a, 0);
    begin(f);
    f->unit_a = unit_new(f, "甲单位", "91520200MA6DXXXX01");
    f->unit_b = unit_new(f, "乙单位", "91110108MA01XXXX2K");
    commit(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_tx_end(f->tx);
    store_close(f->st);
    yj_arena_release(&f->a);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static struct cert_issue issue_req(int64_t unit, const char *valid_to)
{
    struct cert_issue r = {
        .unit_id = unit,
        .holder_name = "贵州某某网络安全技术有限公司",
        .title = "六盘水市网络安全应急技术支撑单位",
        .issuing_authorities = "中共六盘水市委网信办、六盘水市公安局",
        .number_pattern = "LPS-YJ-{YYYY}-{NNN}",
        .valid_from = "2026-06-01",
        .valid_to = valid_to,
        .year = 2026,
    };
    return r;
}

/* Issues within an open transaction. */
static struct cert issue_in(struct fx *f, const struct cert_issue *r)
{
    struct yj_error e;
    struct cert c;
    ASSERT_OK(certs_issue(f->tx, r, NOW, 1, &f->a, &c, &e));
    return c;
}

static struct cert issue(struct fx *f, int64_t unit, const char *valid_to)
{
    begin(f);
    struct cert_issue r = issue_req(unit, valid_to);
    struct cert c = issue_in(f, &r);
    commit(f);
    return c;
}

/* The audit chain's length and its newest record (strings in f->a). */
static int64_t audit_len(struct fx *f, struct store_audit_row *last)
{
    struct yj_error e;
    struct store_tx *tx;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    struct store_audit_row *rows;
    size_t n;
    struct store_audit_query q = {.limit = 1};
    ASSERT_OK(store_audit_list(tx, &q, &f->a, &rows, &n, &e));
    store_tx_end(tx);
    if (last && n)
        *last = rows[0];
    return n ? rows[0].seq : 0;
}

static struct cert cert_read(struct fx *f, int64_t id, struct cert_event **ev, size_t *n)
{
    struct yj_error e;
    struct store_tx *tx;
    struct cert c;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_cert_get(tx, id, &f->a, &c, &e));
    ASSERT_OK(store_cert_events(tx, id, &f->a, ev, n, &e));
    store_tx_end(tx);
    return c;
}

static void test_issue_numbers(void **state)
{
    struct fx *f = *state;
    struct cert c1 = issue(f, f->unit_a, "2028-05-31");
    struct cert c2 = issue(f, f->unit_b, "2028-05-31");
    struct cert c3 = issue(f, f->unit_a, "2028-05-31");
    assert_string_equal(c1.number, "LPS-YJ-2026-001");
    assert_string_equal(c2.number, "LPS-YJ-2026-002");
    assert_string_equal(c3.number, "LPS-YJ-2026-003");
    assert_int_equal(c1.status, CERT_VALID);
    assert_int_equal(c1.version, 1);
    assert_int_equal(c1.unit_id, f->unit_a);
    /* Numbers count per (pattern, year); several in one transaction count too. */
    begin(f);
    struct cert_issue r = issue_req(f->unit_a, "2028-05-31");
    r.year = 2027;
    assert_string_equal(issue_in(f, &r).number, "LPS-YJ-2027-001");
    assert_string_equal(issue_in(f, &r).number, "LPS-YJ-2027-002");
    r.number_pattern = "GZ-{NN}";
    assert_string_equal(issue_in(f, &r).number, "GZ-01");
    r.year = 2028; /* no {YYYY}: the count goes on */
    assert_string_equal(issue_in(f, &r).number, "GZ-02");
    commit(f);

    /* What is stored, and the first event: issued, valid, by the actor, at now. */
    struct cert_event *ev;
    size_t n;
    struct cert g = cert_read(f, c2.id, &ev, &n);
    assert_string_equal(g.number, "LPS-YJ-2026-002");
    assert_string_equal(g.holder_name, "贵州某某网络安全技术有限公司");
    assert_string_equal(g.issuing_authorities, "中共六盘水市委网信办、六盘水市公安局");
    assert_string_equal(g.valid_from, "2026-06-01");
    assert_string_equal(g.valid_to, "2028-05-31");
    assert_int_equal(g.campaign_id, 0);
    assert_int_equal(n, 1);
    assert_false(ev[0].has_from);
    assert_int_equal(ev[0].to, CERT_VALID);
    assert_int_equal(ev[0].at, NOW);
    assert_int_equal(ev[0].actor_id, 1);
    /* The issue's audit record is the caller's: certs_issue appends none. */
    assert_int_equal(audit_len(f, NULL), 0);
}

static void test_issue_refusals(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *field;
        enum yj_err code;
    } want[] = {
        {"unit_id", YJ_EINVAL},        {"holder_name", YJ_EINVAL},
        {"title", YJ_EINVAL},          {"issuing_authorities", YJ_EINVAL},
        {"number_pattern", YJ_EINVAL}, {"year", YJ_EINVAL},
        {"valid_from", YJ_EINVAL},     {"valid_to", YJ_EINVAL},    /* not a date */
        {"valid_to", YJ_EINVAL},                                   /* before valid_from */
        {"valid_to", YJ_EINVAL},                                   /* already past */
        {"unit_id", YJ_ENOTFOUND},     {"holder_name", YJ_EINVAL}, /* blank */
        {"title", YJ_EINVAL},                                      /* two lines */
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        struct cert_issue r = issue_req(f->unit_a, "2028-05-31");
        switch (i) {
        case 0:
            r.unit_id = 0;
            break;
        case 1:
            r.holder_name = NULL;
            break;
        case 2:
            r.title = "\xe5\x85";
            break;
        case 3:
            r.issuing_authorities = "";
            break;
        case 4:
            r.number_pattern = "LPS-YJ-{YYYY}";
            break;
        case 5:
            r.year = 26;
            break;
        case 6:
            r.valid_from = "2026-13-01";
            break;
        case 7:
            r.valid_to = "2028/05/31";
            break;
        case 8:
            r.valid_from = "2028-06-01";
            break;
        case 9:
            r.valid_to = "2026-05-31";
            break; /* the day before NOW in Beijing */
        case 10:
            r.unit_id = 9999;
            break;
        case 11:
            r.holder_name = "  \t";
            break;
        case 12:
            r.title = "六盘水市\n支撑单位";
            break;
        }
        begin(f);
        struct yj_error e;
        struct cert c;
        enum yj_err rc = certs_issue(f->tx, &r, NOW, 1, &f->a, &c, &e);
        rollback(f);
        if (rc != want[i].code || strcmp(e.field, want[i].field) != 0)
            fail_msg("case %zu: %s on \"%s\" (%s), expected %s on \"%s\"", i, yj_err_name(rc),
                     e.field, e.msg, yj_err_name(want[i].code), want[i].field);
    }
    /* Valid through today (CST) is still fine. */
    struct cert c = issue(f, f->unit_a, "2026-06-01");
    assert_string_equal(c.number, "LPS-YJ-2026-001");
}

/* Changes status in its own transaction, committing only on success. */
static enum yj_err change(struct fx *f, int64_t id, int64_t version, enum cert_status to,
                          const char *cause, const char *reason, int64_t at, struct cert *out,
                          struct cert_ban *ban, bool *banned, struct yj_error *e)
{
    struct cert_status_change ch = {id, version, to, cause, reason};
    struct cert tmp;
    begin(f);
    enum yj_err rc =
        certs_status_change(f->tx, &ch, at, &authority, &f->a, out ? out : &tmp, ban, banned, e);
    if (rc)
        rollback(f);
    else
        commit(f);
    return rc;
}

static void test_status_changes(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct cert c = issue(f, f->unit_a, "2028-05-31");
    struct cert out;
    struct store_audit_row last;
    bool banned = true;
    ASSERT_OK(change(f, c.id, 1, CERT_SUSPENDED, NULL, "配合调查期间暂停", NOW + 1000, &out, NULL,
                     &banned, &e));
    assert_false(banned);
    assert_int_equal(out.status, CERT_SUSPENDED);
    assert_int_equal(out.version, 2);
    assert_int_equal(audit_len(f, &last), 1);
    assert_string_equal(last.action, "certificate.status_change");
    assert_string_equal(last.object_type, "certificate");
    assert_int_equal(last.actor_id, 1);
    assert_string_equal(last.actor, "admin");
    assert_string_equal(last.source_ip, "192.0.2.7");
    assert_non_null(strstr(last.changes, "\"status\":{\"old\":\"valid\",\"new\":\"suspended\"}"));
    assert_non_null(strstr(last.changes, "配合调查期间暂停"));

    /* A stale version: 412, nothing written. */
    assert_int_equal(change(f, c.id, 1, CERT_VALID, NULL, "恢复", NOW + 2000, NULL, NULL, NULL, &e),
                     YJ_EPRECOND);
    assert_string_equal(e.field, "If-Match");
    /* Reinstated (-1: any version), then revoked for a cause without a ban. */
    ASSERT_OK(
        change(f, c.id, -1, CERT_VALID, NULL, "调查结束，恢复", NOW + 3000, &out, NULL, NULL, &e));
    assert_int_equal(out.version, 3);
    ASSERT_OK(change(f, c.id, 3, CERT_REVOKED, "poor_handling", "处置不力", NOW + 4000, &out, NULL,
                     &banned, &e));
    assert_false(banned);
    assert_int_equal(audit_len(f, &last), 3);
    assert_non_null(strstr(last.changes, "\"cause\":\"poor_handling\""));

    struct cert_event *ev;
    size_t n;
    struct cert g = cert_read(f, c.id, &ev, &n);
    assert_int_equal(g.status, CERT_REVOKED);
    assert_int_equal(g.version, 4);
    assert_int_equal(g.updated_at, NOW + 4000);
    assert_int_equal(n, 4);
    static const enum cert_status path[] = {CERT_VALID, CERT_SUSPENDED, CERT_VALID, CERT_REVOKED};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ev[i].seq, (int64_t)i + 1);
        assert_int_equal(ev[i].to, path[i]);
        if (i)
            assert_int_equal(ev[i].from, path[i - 1]);
    }
    assert_string_equal(ev[1].reason, "配合调查期间暂停");
    assert_int_equal(ev[1].at, NOW + 1000);
    assert_int_equal(ev[1].actor_id, 1);
    assert_null(ev[1].cause);
    assert_string_equal(ev[3].cause, "poor_handling");

    struct store_tx *tx;
    struct cert_ban *bans;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_cert_bans(tx, f->unit_a, &f->a, &bans, &n, &e));
    store_tx_end(tx);
    assert_int_equal(n, 0);
}

/* Every refusal: the right code and field, and no event, version or audit record. */
static void test_refused_changes_write_nothing(void **state)
{
    struct fx *f = *state;
    struct cert live = issue(f, f->unit_a, "2028-05-31");
    struct cert done = issue(f, f->unit_a, "2028-05-31");
    struct yj_error e;
    ASSERT_OK(
        change(f, done.id, 1, CERT_CANCELLED, NULL, "单位申请注销", NOW, NULL, NULL, NULL, &e));
    int64_t audits = audit_len(f, NULL);
    static const struct {
        bool on_done;
        enum cert_status to;
        const char *cause, *reason;
        enum yj_err code;
        const char *field;
    } bad[] = {
        {false, CERT_VALID, NULL, "x", YJ_ECONFLICT, "status"}, /* valid -> valid */
        {false, CERT_EXPIRED, NULL, "x", YJ_EINVAL, "status"},  /* only time expires */
        {false, CERT_STATUS__COUNT, NULL, "x", YJ_EINVAL, "status"},
        {false, CERT_REVOKED, NULL, "x", YJ_EINVAL, "cause"},
        {false, CERT_REVOKED, "bad_luck", "x", YJ_EINVAL, "cause"},
        {false, CERT_SUSPENDED, "misuse_of_name", "x", YJ_EINVAL, "cause"},
        {false, CERT_SUSPENDED, NULL, NULL, YJ_EINVAL, "reason"},
        {false, CERT_SUSPENDED, NULL, " \n", YJ_EINVAL, "reason"},
        {true, CERT_VALID, NULL, "x", YJ_ECONFLICT, "status"}, /* cancelled is final */
        {true, CERT_SUSPENDED, NULL, "x", YJ_ECONFLICT, "status"},
        {true, CERT_CANCELLED, NULL, "x", YJ_ECONFLICT, "status"},
        {true, CERT_REVOKED, "misuse_of_name", "x", YJ_ECONFLICT, "status"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        const struct cert *c = bad[i].on_done ? &done : &live;
        int64_t version = bad[i].on_done ? 2 : 1;
        yj_error_clear(&e);
        enum yj_err rc = change(f, c->id, version, bad[i].to, bad[i].cause, bad[i].reason, NOW + 1,
                                NULL, NULL, NULL, &e);
        if (rc != bad[i].code || strcmp(e.field, bad[i].field) != 0)
            fail_msg("case %zu: %s on \"%s\" (%s)", i, yj_err_name(rc), e.field, e.msg);
        struct cert_event *ev;
        size_t n;
        struct cert g = cert_read(f, c->id, &ev, &n);
        assert_int_equal(g.version, version);
        assert_int_equal(n, (size_t)version);
        assert_int_equal(audit_len(f, NULL), audits);
    }
    /* A reason over the limit, and an unknown certificate. */
    char longer[CERT_REASON_MAX + 2];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(change(f, live.id, 1, CERT_SUSPENDED, NULL, longer, NOW, NULL, NULL, NULL, &e),
                     YJ_EINVAL);
    assert_int_equal(
        change(f, live.id + 100, 1, CERT_SUSPENDED, NULL, "x", NOW, NULL, NULL, NULL, &e),
        YJ_ENOTFOUND);
    /* Past valid_to (not yet recorded as expired), nothing may change it either. */
    struct cert brief = issue(f, f->unit_b, "2026-06-30");
    assert_int_equal(change(f, brief.id, 1, CERT_SUSPENDED, NULL, "x", cert_expiry_ms("2026-06-30"),
                            NULL, NULL, NULL, &e),
                     YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    ASSERT_OK(change(f, brief.id, 1, CERT_SUSPENDED, NULL, "x", cert_expiry_ms("2026-06-30") - 1,
                     NULL, NULL, NULL, &e));
    assert_int_equal(audit_len(f, NULL), audits + 1);
}

static void test_misuse_of_name_bans(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct cert c = issue(f, f->unit_b, "2028-05-31");
    struct cert out;
    struct cert_ban ban;
    bool banned = false;
    /* 2026-06-01T00:00Z is 08:00 on 1 June in Beijing: the ban starts that day. */
    ASSERT_OK(change(f, c.id, 1, CERT_REVOKED, "misuse_of_name", "以主管部门名义承揽商业项目", NOW,
                     &out, &ban, &banned, &e));
    assert_true(banned);
    assert_int_equal(out.status, CERT_REVOKED);
    assert_string_equal(ban.starts_on, "2026-06-01");
    assert_string_equal(ban.ends_on, "2029-06-01");
    assert_int_equal(ban.unit_id, f->unit_b);

    struct store_tx *tx;
    struct cert_ban *bans;
    size_t n;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_cert_bans(tx, f->unit_b, &f->a, &bans, &n, &e));
    store_tx_end(tx);
    assert_int_equal(n, 1);
    assert_int_equal(bans[0].id, ban.id);
    assert_int_equal(bans[0].certificate_id, c.id);
    assert_string_equal(bans[0].cause, "misuse_of_name");
    assert_string_equal(bans[0].reason, "以主管部门名义承揽商业项目");
    assert_string_equal(bans[0].starts_on, "2026-06-01");
    assert_string_equal(bans[0].ends_on, "2029-06-01");
    assert_int_equal(bans[0].created_by, 1);

    /* Two records, the ban last, under the unit. */
    struct store_audit_row last;
    assert_int_equal(audit_len(f, &last), 2);
    assert_string_equal(last.action, "unit.ban");
    assert_string_equal(last.object_type, "unit");
    char unit[24];
    snprintf(unit, sizeof unit, "%lld", (long long)f->unit_b);
    assert_string_equal(last.object_id, unit);
    assert_non_null(strstr(last.changes, "\"ends_on\":\"2029-06-01\""));
    assert_non_null(strstr(last.changes, "\"years\":3"));

    /* In Beijing it is already 2 June at 16:00Z on 1 June. */
    struct cert c2 = issue(f, f->unit_a, "2028-05-31");
    ASSERT_OK(change(f, c2.id, 1, CERT_REVOKED, "misuse_of_name", "同上", NOW + 16 * 3600000, &out,
                     &ban, &banned, &e));
    assert_string_equal(ban.starts_on, "2026-06-02");
    assert_string_equal(ban.ends_on, "2029-06-02");
}

static void test_expiry(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    /* Eleven due on 30 June (two batches' worth), one of them suspended, and others. */
    int64_t due[11];
    for (int i = 0; i < 11; i++)
        due[i] = issue(f, i % 2 ? f->unit_a : f->unit_b, "2026-06-30").id;
    ASSERT_OK(change(f, due[4], 1, CERT_SUSPENDED, NULL, "暂停", NOW, NULL, NULL, NULL, &e));
    struct cert later = issue(f, f->unit_a, "2026-07-01");
    struct cert gone = issue(f, f->unit_a, "2026-06-30");
    ASSERT_OK(change(f, gone.id, 1, CERT_CANCELLED, NULL, "注销", NOW, NULL, NULL, NULL, &e));
    int64_t audits = audit_len(f, NULL);
    int64_t end = cert_expiry_ms("2026-06-30");

    size_t expired = 99;
    ASSERT_OK(certs_expire_due(f->st, 0, end - 1, &expired, &e));
    assert_int_equal(expired, 0);
    /* One by id first: only that one. */
    ASSERT_OK(certs_expire_due(f->st, due[3], end, &expired, &e));
    assert_int_equal(expired, 1);
    ASSERT_OK(certs_expire_due(f->st, due[3], end + 5, &expired, &e));
    assert_int_equal(expired, 0);
    ASSERT_OK(certs_expire_due(f->st, later.id, end, &expired, &e));
    assert_int_equal(expired, 0);
    /* Then the job, an hour later, finds the other ten; run again, it finds none. */
    ASSERT_OK(certs_expire_due(f->st, 0, end + 3600000, &expired, &e));
    assert_int_equal(expired, 10);
    ASSERT_OK(certs_expire_due(f->st, 0, end + 7200000, NULL, NULL));
    assert_int_equal(audit_len(f, NULL), audits + 11);

    for (int i = 0; i < 11; i++) {
        struct cert_event *ev;
        size_t n;
        struct cert g = cert_read(f, due[i], &ev, &n);
        assert_int_equal(g.status, CERT_EXPIRED);
        size_t events = i == 4 ? 3 : 2;
        assert_int_equal(n, events); /* exactly one expiry each */
        assert_int_equal(ev[n - 1].to, CERT_EXPIRED);
        assert_int_equal(ev[n - 1].from, i == 4 ? CERT_SUSPENDED : CERT_VALID);
        assert_int_equal(ev[n - 1].at, end); /* dated at the end of valid_to, not when seen */
        assert_int_equal(ev[n - 1].actor_id, 0);
        assert_null(ev[n - 1].reason);
        assert_int_equal(g.updated_at, i == 3 ? end : end + 3600000);
    }
    struct cert_event *ev;
    size_t n;
    assert_int_equal(cert_read(f, later.id, &ev, &n).status, CERT_VALID);
    assert_int_equal(cert_read(f, gone.id, &ev, &n).status, CERT_CANCELLED);
    assert_int_equal(n, 2);

    struct store_audit_row last;
    audit_len(f, &last);
    assert_string_equal(last.action, "certificate.expire");
    assert_string_equal(last.actor, "system");
    assert_int_equal(last.actor_id, 0);
    assert_null(last.source_ip);
    assert_non_null(strstr(last.changes, "\"expired_at\":\"2026-06-30T16:00:00.000Z\""));
    struct audit_verify_result res;
    ASSERT_OK(audit_verify(f->st, &res, &e));
    assert_int_equal(res.bad_seq, 0);
    assert_int_equal(res.records, audits + 11);
}

static void test_change_reports(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct cert_requal t;
    /* No certificate yet: a task all the same, linked to none. */
    begin(f);
    ASSERT_OK(certs_change_report(f->tx, f->unit_a, CERT_CHANGE_LEGAL_REPRESENTATIVE,
                                  "法定代表人由张三变更为李四", NOW, &authority, &f->a, &t, &e));
    commit(f);
    assert_int_equal(t.certificate_id, 0);
    assert_false(t.closed);
    struct cert old = issue(f, f->unit_b, "2027-05-31");
    struct cert cur = issue(f, f->unit_b, "2028-05-31");
    struct cert_actor unit_user = {.user_id = 5, .username = "unit_b", .source_ip = "198.51.100.2"};
    begin(f);
    ASSERT_OK(certs_change_report(f->tx, f->unit_b, CERT_CHANGE_OWNERSHIP, "控股股东变更", NOW,
                                  &unit_user, &f->a, &t, &e));
    commit(f);
    assert_int_equal(t.certificate_id, cur.id);
    assert_int_not_equal(t.certificate_id, old.id);
    assert_int_equal(t.reported_by, 5);
    assert_int_equal(t.unit_id, f->unit_b);
    struct store_audit_row last;
    assert_int_equal(audit_len(f, &last), 2);
    assert_string_equal(last.action, "requalification.open");
    assert_string_equal(last.object_type, "requalification_task");
    assert_string_equal(last.actor, "unit_b");
    assert_non_null(strstr(last.changes, "\"kind\":\"ownership\""));

    /* Refusals write nothing. */
    static const struct {
        int64_t unit;
        int kind;
        const char *description;
        enum yj_err code;
        const char *field;
    } bad[] = {
        {0, CERT_CHANGE_OWNERSHIP, "x", YJ_ENOTFOUND, ""},
        {9999, CERT_CHANGE_OWNERSHIP, "x", YJ_ENOTFOUND, ""},
        {-1, CERT_CHANGE_OWNERSHIP, NULL, YJ_EINVAL, "description"},
        {-1, CERT_CHANGE_OWNERSHIP, "\t", YJ_EINVAL, "description"},
        {-1, CERT_CHANGE__COUNT, "x", YJ_EINVAL, "kind"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        begin(f);
        yj_error_clear(&e);
        enum yj_err rc = certs_change_report(f->tx, bad[i].unit < 0 ? f->unit_a : bad[i].unit,
                                             (enum cert_change_kind)bad[i].kind, bad[i].description,
                                             NOW, &authority, &f->a, &t, &e);
        rollback(f);
        if (rc != bad[i].code || strcmp(e.field, bad[i].field) != 0)
            fail_msg("case %zu: %s on \"%s\" (%s)", i, yj_err_name(rc), e.field, e.msg);
    }
    assert_int_equal(audit_len(f, NULL), 2);

    /* Decisions: kept open, then closed once. */
    int64_t task = t.id;
    begin(f);
    ASSERT_OK(certs_change_report(f->tx, f->unit_b, CERT_CHANGE_OWNERSHIP, "再次报告", NOW,
                                  &unit_user, &f->a, &t, &e));
    task = t.id;
    ASSERT_OK(certs_requal_decide(f->tx, task, "材料已收，复核中", false, NOW + 1, &authority,
                                  &f->a, &t, &e));
    assert_false(t.closed);
    ASSERT_OK(
        certs_requal_decide(f->tx, task, "复核通过", true, NOW + 2, &authority, &f->a, &t, &e));
    commit(f);
    assert_true(t.closed);
    assert_int_equal(t.closed_at, NOW + 2);
    assert_int_equal(t.closed_by, 1);
    assert_string_equal(t.decision, "复核通过");
    assert_int_equal(audit_len(f, &last), 5);
    assert_string_equal(last.action, "requalification.decide");
    assert_non_null(strstr(last.changes, "\"status\":{\"old\":\"open\",\"new\":\"closed\"}"));
    assert_non_null(strstr(last.changes, "\"old\":\"材料已收，复核中\""));
    begin(f);
    assert_int_equal(
        certs_requal_decide(f->tx, task, "再议", true, NOW + 3, &authority, &f->a, &t, &e),
        YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    assert_int_equal(
        certs_requal_decide(f->tx, task + 50, "x", true, NOW + 3, &authority, &f->a, &t, &e),
        YJ_ENOTFOUND);
    assert_int_equal(certs_requal_decide(f->tx, task, "", true, NOW + 3, &authority, &f->a, &t, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "decision");
    rollback(f);
    assert_int_equal(audit_len(f, NULL), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_issue_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issue_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_changes_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misuse_of_name_bans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_reports, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
