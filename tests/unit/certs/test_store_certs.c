/*
 * test_store_certs.c - the certificate tables through store_certs.h: a
 * certificate round-trips field by field and its number is unique; lists
 * filter and page; a status write checks version and current status; the
 * history numbers its events; the next sequence recognises only exact numbers
 * of the pattern; the due query finds exactly the certificates past valid_to
 * that are still valid or suspended, through the partial index; the current
 * certificate prefers valid to suspended; revocation causes are the seeded
 * rows; bans and re-qualification tasks round-trip and a closed task stays
 * closed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

/* store_int.h first: it includes system headers that banned.h (via yj.h) would poison. */
#include "store/store_int.h" /* for EXPLAIN QUERY PLAN on the transaction's connection */

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

#define NOW INT64_C(1780272000000) /* 2026-06-01T00:00:00Z */

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
    struct store_tx *tx; /* an open write transaction */
    struct yj_arena a;
    int64_t unit_a, unit_b;
};

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
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-certs-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
    yj_arena_init(&f->a, 0);
    f->unit_a = unit_new(f, "甲单位", "91520200MA6DXXXX01");
    f->unit_b = unit_new(f, "乙单位", "91110108MA01XXXX2K");
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

static struct cert cert_make(int64_t unit, const char *number, const char *valid_to,
                             enum cert_status status)
{
    struct cert c = {
        .number = number,
        .unit_id = unit,
        .holder_name = "贵州某某网络安全技术有限公司",
        .title = "六盘水市网络安全应急技术支撑单位",
        .issuing_authorities = "中共六盘水市委网信办、六盘水市公安局",
        .valid_from = "2026-06-01",
        .valid_to = valid_to,
        .status = status,
    };
    return c;
}

static int64_t cert_new(struct fx *f, int64_t unit, const char *number, const char *valid_to,
                        enum cert_status status)
{
    struct yj_error e;
    struct cert c = cert_make(unit, number, valid_to, status);
    ASSERT_OK(store_cert_insert(f->tx, &c, NOW, &e));
    return c.id;
}

static void test_insert_and_get(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct cert c = cert_make(f->unit_a, "LPS-YJ-2026-001", "2028-05-31", CERT_VALID);
    ASSERT_OK(store_cert_insert(f->tx, &c, NOW, &e));
    assert_true(c.id > 0);
    assert_int_equal(c.version, 1);
    assert_int_equal(c.created_at, NOW);
    assert_int_equal(c.updated_at, NOW);

    struct cert g;
    ASSERT_OK(store_cert_get(f->tx, c.id, &f->a, &g, &e));
    assert_int_equal(g.id, c.id);
    assert_int_equal(g.version, 1);
    assert_string_equal(g.number, "LPS-YJ-2026-001");
    assert_int_equal(g.unit_id, f->unit_a);
    assert_int_equal(g.campaign_id, 0);
    assert_int_equal(g.application_id, 0);
    assert_string_equal(g.holder_name, c.holder_name);
    assert_string_equal(g.title, c.title);
    assert_string_equal(g.issuing_authorities, c.issuing_authorities);
    assert_string_equal(g.valid_from, "2026-06-01");
    assert_string_equal(g.valid_to, "2028-05-31");
    assert_int_equal(g.status, CERT_VALID);
    assert_int_equal(g.created_at, NOW);

    struct cert h;
    ASSERT_OK(store_cert_get_by_number(f->tx, "LPS-YJ-2026-001", &f->a, &h, &e));
    assert_int_equal(h.id, c.id);
    assert_int_equal(store_cert_get_by_number(f->tx, "LPS-YJ-2026-002", &f->a, &h, &e),
                     YJ_ENOTFOUND);
    assert_int_equal(store_cert_get(f->tx, c.id + 100, &f->a, &h, &e), YJ_ENOTFOUND);

    /* Numbers are unique. */
    struct cert dup = cert_make(f->unit_b, "LPS-YJ-2026-001", "2028-05-31", CERT_VALID);
    assert_int_equal(store_cert_insert(f->tx, &dup, NOW, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "number");
    /* A unit that does not exist is refused by its foreign key. */
    struct cert orphan = cert_make(9999, "LPS-YJ-2026-777", "2028-05-31", CERT_VALID);
    assert_int_not_equal(store_cert_insert(f->tx, &orphan, NOW, &e), YJ_OK);
}

static void test_list_filters_and_paging(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t ids[6];
    ids[0] = cert_new(f, f->unit_a, "A-1", "2028-05-31", CERT_VALID);
    ids[1] = cert_new(f, f->unit_b, "B-1", "2028-05-31", CERT_VALID);
    ids[2] = cert_new(f, f->unit_a, "A-2", "2028-05-31", CERT_SUSPENDED);
    ids[3] = cert_new(f, f->unit_a, "A-3", "2028-05-31", CERT_REVOKED);
    ids[4] = cert_new(f, f->unit_b, "B-2", "2028-05-31", CERT_SUSPENDED);
    ids[5] = cert_new(f, f->unit_a, "A-4", "2028-05-31", CERT_VALID);
    struct cert *items;
    size_t n;
    struct store_cert_query q = {.limit = 50};
    ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(items[i].id, ids[i]);

    q = (struct store_cert_query){.unit_id = f->unit_a, .limit = 50};
    ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(items[i].unit_id, f->unit_a);

    q = (struct store_cert_query){.status = "suspended", .limit = 50};
    ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, ids[2]);
    assert_int_equal(items[1].id, ids[4]);

    q = (struct store_cert_query){.unit_id = f->unit_b, .status = "valid", .limit = 50};
    ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, ids[1]);

    q = (struct store_cert_query){.campaign_id = 5, .limit = 50};
    ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);

    /* Keyset paging: two at a time, after the last id seen. */
    q = (struct store_cert_query){.limit = 2};
    size_t seen = 0;
    do {
        ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
        for (size_t i = 0; i < n; i++)
            assert_int_equal(items[i].id, ids[seen++]);
        if (n)
            q.after_id = items[n - 1].id;
    } while (n == 2);
    assert_int_equal(seen, 6);
    /* A non-positive limit still reads one row into a one-element array. */
    q = (struct store_cert_query){.limit = -1};
    ASSERT_OK(store_cert_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
}

static void test_status_and_history(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t id = cert_new(f, f->unit_a, "H-1", "2028-05-31", CERT_VALID);
    /* Wrong version or wrong current status: nothing changes. */
    assert_int_equal(store_cert_status_set(f->tx, id, 2, CERT_VALID, CERT_SUSPENDED, NOW + 1, &e),
                     YJ_EPRECOND);
    assert_string_equal(e.field, "If-Match");
    assert_int_equal(store_cert_status_set(f->tx, id, 1, CERT_SUSPENDED, CERT_VALID, NOW + 1, &e),
                     YJ_EPRECOND);
    assert_int_equal(
        store_cert_status_set(f->tx, id + 50, 1, CERT_VALID, CERT_SUSPENDED, NOW + 1, &e),
        YJ_EPRECOND);
    struct cert c;
    ASSERT_OK(store_cert_get(f->tx, id, &f->a, &c, &e));
    assert_int_equal(c.version, 1);
    assert_int_equal(c.status, CERT_VALID);
    ASSERT_OK(store_cert_status_set(f->tx, id, 1, CERT_VALID, CERT_SUSPENDED, NOW + 1, &e));
    ASSERT_OK(store_cert_get(f->tx, id, &f->a, &c, &e));
    assert_int_equal(c.version, 2);
    assert_int_equal(c.status, CERT_SUSPENDED);
    assert_int_equal(c.updated_at, NOW + 1);
    assert_int_equal(c.created_at, NOW);

    struct cert_event *ev;
    size_t n;
    ASSERT_OK(store_cert_events(f->tx, id, &f->a, &ev, &n, &e));
    assert_int_equal(n, 0);
    struct cert_event e1 = {.to = CERT_VALID, .at = NOW, .actor_id = 0};
    struct cert_event e2 = {.has_from = true,
                            .from = CERT_VALID,
                            .to = CERT_REVOKED,
                            .cause = "misuse_of_name",
                            .reason = "以主管部门名义承揽业务",
                            .at = NOW + 5,
                            .actor_id = 7};
    ASSERT_OK(store_cert_event_insert(f->tx, id, &e1, &e));
    ASSERT_OK(store_cert_event_insert(f->tx, id, &e2, &e));
    assert_int_equal(e1.seq, 1);
    assert_int_equal(e2.seq, 2);
    /* Another certificate's history counts on its own. */
    int64_t other = cert_new(f, f->unit_b, "H-2", "2028-05-31", CERT_VALID);
    struct cert_event e3 = {.to = CERT_VALID, .at = NOW};
    ASSERT_OK(store_cert_event_insert(f->tx, other, &e3, &e));
    assert_int_equal(e3.seq, 1);

    ASSERT_OK(store_cert_events(f->tx, id, &f->a, &ev, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].seq, 1);
    assert_false(ev[0].has_from);
    assert_int_equal(ev[0].to, CERT_VALID);
    assert_null(ev[0].cause);
    assert_null(ev[0].reason);
    assert_int_equal(ev[0].at, NOW);
    assert_int_equal(ev[0].actor_id, 0);
    assert_int_equal(ev[1].seq, 2);
    assert_true(ev[1].has_from);
    assert_int_equal(ev[1].from, CERT_VALID);
    assert_int_equal(ev[1].to, CERT_REVOKED);
    assert_string_equal(ev[1].cause, "misuse_of_name");
    assert_string_equal(ev[1].reason, "以主管部门名义承揽业务");
    assert_int_equal(ev[1].at, NOW + 5);
    assert_int_equal(ev[1].actor_id, 7);
}

static void test_next_sequence(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    static const char p[] = "LPS-YJ-{YYYY}-{NNN}";
    int64_t seq = 0;
    ASSERT_OK(store_cert_next_sequence(f->tx, p, 2026, &seq, &e));
    assert_int_equal(seq, 1);
    cert_new(f, f->unit_a, "LPS-YJ-2026-001", "2028-05-31", CERT_VALID);
    cert_new(f, f->unit_a, "LPS-YJ-2026-002", "2028-05-31", CERT_REVOKED);
    cert_new(f, f->unit_a, "LPS-YJ-2026-010", "2028-05-31", CERT_VALID);
    /* Same prefix, other shapes: never counted. */
    cert_new(f, f->unit_b, "lps-yj-2026-500", "2028-05-31", CERT_VALID);
    cert_new(f, f->unit_b, "LPS-YJ-2026-0999", "2028-05-31", CERT_VALID);
    cert_new(f, f->unit_b, "LPS-YJ-2026-999X", "2028-05-31", CERT_VALID);
    cert_new(f, f->unit_b, "LPS-YJ-2026-99", "2028-05-31", CERT_VALID);
    cert_new(f, f->unit_b, "LPS_YJ-2026-900", "2028-05-31",
             CERT_VALID); /* '_' is LIKE's wildcard */
    ASSERT_OK(store_cert_next_sequence(f->tx, p, 2026, &seq, &e));
    assert_int_equal(seq, 11);
    ASSERT_OK(store_cert_next_sequence(f->tx, p, 2027, &seq, &e));
    assert_int_equal(seq, 1);
    /* Without {YYYY} the count goes on across years. */
    cert_new(f, f->unit_a, "GZ-005", "2028-05-31", CERT_VALID);
    ASSERT_OK(store_cert_next_sequence(f->tx, "GZ-{NNN}", 2027, &seq, &e));
    assert_int_equal(seq, 6);
    /* A '_' in the prefix is a character, not LIKE's wildcard. */
    cert_new(f, f->unit_a, "Xa-007", "2028-05-31", CERT_VALID);
    ASSERT_OK(store_cert_next_sequence(f->tx, "X_-{NNN}", 2026, &seq, &e));
    assert_int_equal(seq, 1);
    cert_new(f, f->unit_a, "X_-002", "2028-05-31", CERT_VALID);
    ASSERT_OK(store_cert_next_sequence(f->tx, "X_-{NNN}", 2026, &seq, &e));
    assert_int_equal(seq, 3);
    assert_int_equal(store_cert_next_sequence(f->tx, "no-token", 2026, &seq, &e), YJ_EINVAL);
    assert_string_equal(e.field, "number_pattern");
}

static void test_due_and_current(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t due_valid = cert_new(f, f->unit_a, "D-1", "2026-06-30", CERT_VALID);
    int64_t due_susp = cert_new(f, f->unit_a, "D-2", "2026-06-30", CERT_SUSPENDED);
    cert_new(f, f->unit_a, "D-3", "2026-06-30", CERT_REVOKED);
    cert_new(f, f->unit_a, "D-4", "2026-06-30", CERT_EXPIRED);
    int64_t later = cert_new(f, f->unit_b, "D-5", "2026-07-01", CERT_VALID);
    int64_t *ids;
    size_t n;
    ASSERT_OK(store_cert_due(f->tx, "2026-06-30", 0, 10, &f->a, &ids, &n, &e));
    assert_int_equal(n, 0);
    ASSERT_OK(store_cert_due(f->tx, "2026-07-01", 0, 10, &f->a, &ids, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], due_valid);
    assert_int_equal(ids[1], due_susp);
    ASSERT_OK(store_cert_due(f->tx, "2026-07-01", 0, 1, &f->a, &ids, &n, &e));
    assert_int_equal(n, 1);
    ASSERT_OK(store_cert_due(f->tx, "2026-07-01", due_susp, 10, &f->a, &ids, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], due_susp);
    ASSERT_OK(store_cert_due(f->tx, "2026-07-01", later, 10, &f->a, &ids, &n, &e));
    assert_int_equal(n, 0);
    /* The earliest-ending first, whatever the order of issue. */
    int64_t earlier = cert_new(f, f->unit_b, "D-6", "2026-06-29", CERT_VALID);
    ASSERT_OK(store_cert_due(f->tx, "2026-07-02", 0, 10, &f->a, &ids, &n, &e));
    assert_int_equal(n, 4);
    assert_int_equal(ids[0], earlier);
    assert_int_equal(ids[1], due_valid);
    assert_int_equal(ids[3], later);

    /* The query the store prepared walks the partial index, not the table. */
    const char *due_sql = NULL;
    for (sqlite3_stmt *p = sqlite3_next_stmt(f->tx->c->db, NULL); p && !due_sql;
         p = sqlite3_next_stmt(f->tx->c->db, p))
        if (strstr(sqlite3_sql(p), "FROM certificates WHERE status IN") &&
            strstr(sqlite3_sql(p), "valid_to < ?"))
            due_sql = sqlite3_sql(p);
    assert_non_null(due_sql);
    char plan[1024];
    snprintf(plan, sizeof plan, "EXPLAIN QUERY PLAN %s", due_sql);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(f->tx->c->db, plan, -1, &s, NULL), SQLITE_OK);
    bool uses_index = false;
    while (sqlite3_step(s) == SQLITE_ROW)
        uses_index |= strstr((const char *)sqlite3_column_text(s, 3), "certificates_due") != NULL;
    sqlite3_finalize(s);
    assert_true(uses_index);

    /* The current certificate: valid before suspended, latest-ending first, not past. */
    struct cert c;
    assert_int_equal(store_cert_current(f->tx, f->unit_a, "2026-07-01", &f->a, &c, &e),
                     YJ_ENOTFOUND);
    ASSERT_OK(store_cert_current(f->tx, f->unit_a, "2026-06-30", &f->a, &c, &e));
    assert_int_equal(c.id, due_valid);
    int64_t susp_long = cert_new(f, f->unit_a, "C-1", "2030-01-01", CERT_SUSPENDED);
    ASSERT_OK(store_cert_current(f->tx, f->unit_a, "2026-07-01", &f->a, &c, &e));
    assert_int_equal(c.id, susp_long);
    int64_t valid_short = cert_new(f, f->unit_a, "C-2", "2027-01-01", CERT_VALID);
    int64_t valid_long = cert_new(f, f->unit_a, "C-3", "2028-01-01", CERT_VALID);
    ASSERT_OK(store_cert_current(f->tx, f->unit_a, "2026-07-01", &f->a, &c, &e));
    assert_int_equal(c.id, valid_long);
    ASSERT_OK(store_cert_status_set(f->tx, valid_long, 1, CERT_VALID, CERT_REVOKED, NOW, &e));
    ASSERT_OK(store_cert_current(f->tx, f->unit_a, "2026-07-01", &f->a, &c, &e));
    assert_int_equal(c.id, valid_short);
    ASSERT_OK(store_cert_current(f->tx, f->unit_b, "2026-07-01", &f->a, &c, &e));
    assert_int_equal(c.id, later);
}

static void test_causes(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct cert_cause *items;
    size_t n;
    ASSERT_OK(store_cert_causes(f->tx, &f->a, &items, &n, &e));
    static const char *const codes[] = {"product_risk", "missed_hazard", "poor_handling",
                                        "confidentiality_breach", "misuse_of_name"};
    assert_int_equal(n, YJ_ARRAY_LEN(codes));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(items[i].code, codes[i]);
        assert_true(strlen(items[i].name_zh) > 0);
        assert_true(strlen(items[i].name_en) > 0);
        assert_int_equal(items[i].ban_years, i == 4 ? 3 : 0);
    }
    struct cert_cause c;
    ASSERT_OK(store_cert_cause_get(f->tx, "misuse_of_name", &f->a, &c, &e));
    assert_string_equal(c.name_zh, "借用主管部门名义开展商业活动");
    assert_int_equal(c.ban_years, 3);
    assert_int_equal(store_cert_cause_get(f->tx, "bad_luck", &f->a, &c, &e), YJ_ENOTFOUND);
    assert_string_equal(e.field, "cause");
}

static void test_bans(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t cert = cert_new(f, f->unit_b, "BAN-1", "2028-05-31", CERT_REVOKED);
    struct cert_ban b1 = {.unit_id = f->unit_b,
                          .certificate_id = cert,
                          .cause = "misuse_of_name",
                          .reason = "冒用名义",
                          .starts_on = "2026-06-01",
                          .ends_on = "2029-06-01",
                          .created_at = NOW,
                          .created_by = 1};
    struct cert_ban b2 = {.unit_id = f->unit_b,
                          .cause = "misuse_of_name",
                          .starts_on = "2026-07-01",
                          .ends_on = "2029-07-01",
                          .created_at = NOW + 1};
    ASSERT_OK(store_cert_ban_insert(f->tx, &b1, &e));
    ASSERT_OK(store_cert_ban_insert(f->tx, &b2, &e));
    assert_true(b2.id > b1.id);
    struct cert_ban *items;
    size_t n;
    ASSERT_OK(store_cert_bans(f->tx, f->unit_a, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
    ASSERT_OK(store_cert_bans(f->tx, f->unit_b, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, b1.id);
    assert_int_equal(items[0].unit_id, f->unit_b);
    assert_int_equal(items[0].certificate_id, cert);
    assert_string_equal(items[0].cause, "misuse_of_name");
    assert_string_equal(items[0].reason, "冒用名义");
    assert_string_equal(items[0].starts_on, "2026-06-01");
    assert_string_equal(items[0].ends_on, "2029-06-01");
    assert_int_equal(items[0].created_at, NOW);
    assert_int_equal(items[0].created_by, 1);
    assert_int_equal(items[1].certificate_id, 0);
    assert_null(items[1].reason);
    assert_int_equal(items[1].created_by, 0);
}

static void test_requalification_tasks(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t cert = cert_new(f, f->unit_a, "R-1", "2028-05-31", CERT_VALID);
    struct cert_requal t1 = {.unit_id = f->unit_a,
                             .certificate_id = cert,
                             .kind = CERT_CHANGE_OWNERSHIP,
                             .description = "控股股东变更为某某集团",
                             .reported_at = NOW,
                             .reported_by = 3};
    struct cert_requal t2 = {.unit_id = f->unit_b,
                             .kind = CERT_CHANGE_LEGAL_REPRESENTATIVE,
                             .description = "法定代表人变更",
                             .reported_at = NOW + 1,
                             .reported_by = 4};
    struct cert_requal t3 = t2;
    t3.reported_at = NOW + 2;
    ASSERT_OK(store_requal_insert(f->tx, &t1, &e));
    ASSERT_OK(store_requal_insert(f->tx, &t2, &e));
    ASSERT_OK(store_requal_insert(f->tx, &t3, &e));
    struct cert_requal g;
    ASSERT_OK(store_requal_get(f->tx, t1.id, &f->a, &g, &e));
    assert_int_equal(g.unit_id, f->unit_a);
    assert_int_equal(g.certificate_id, cert);
    assert_int_equal(g.kind, CERT_CHANGE_OWNERSHIP);
    assert_string_equal(g.description, "控股股东变更为某某集团");
    assert_int_equal(g.reported_at, NOW);
    assert_int_equal(g.reported_by, 3);
    assert_false(g.closed);
    assert_null(g.decision);
    assert_int_equal(g.closed_at, 0);
    ASSERT_OK(store_requal_get(f->tx, t2.id, &f->a, &g, &e));
    assert_int_equal(g.certificate_id, 0);
    assert_int_equal(g.kind, CERT_CHANGE_LEGAL_REPRESENTATIVE);
    assert_int_equal(store_requal_get(f->tx, t3.id + 1, &f->a, &g, &e), YJ_ENOTFOUND);

    /* A decision without close keeps the task open; with close it closes it. */
    ASSERT_OK(store_requal_decide(f->tx, t2.id, "材料齐全，待复核", false, NOW + 10, 1, &e));
    ASSERT_OK(store_requal_get(f->tx, t2.id, &f->a, &g, &e));
    assert_false(g.closed);
    assert_string_equal(g.decision, "材料齐全，待复核");
    assert_int_equal(g.closed_at, 0);
    ASSERT_OK(store_requal_decide(f->tx, t2.id, "复核通过，保留资格", true, NOW + 20, 1, &e));
    ASSERT_OK(store_requal_get(f->tx, t2.id, &f->a, &g, &e));
    assert_true(g.closed);
    assert_string_equal(g.decision, "复核通过，保留资格");
    assert_int_equal(g.closed_at, NOW + 20);
    assert_int_equal(g.closed_by, 1);
    assert_int_equal(store_requal_decide(f->tx, t2.id, "again", true, NOW + 30, 1, &e),
                     YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    ASSERT_OK(store_requal_get(f->tx, t2.id, &f->a, &g, &e));
    assert_string_equal(g.decision, "复核通过，保留资格");
    assert_int_equal(store_requal_decide(f->tx, t3.id + 9, "x", true, NOW, 1, &e), YJ_ENOTFOUND);

    struct cert_requal *items;
    size_t n;
    struct store_requal_query q = {.state = -1, .limit = 10};
    ASSERT_OK(store_requal_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 3);
    q = (struct store_requal_query){.state = 0, .limit = 10};
    ASSERT_OK(store_requal_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, t1.id);
    assert_int_equal(items[1].id, t3.id);
    q = (struct store_requal_query){.state = 1, .limit = 10};
    ASSERT_OK(store_requal_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, t2.id);
    q = (struct store_requal_query){.unit_id = f->unit_b, .state = -1, .limit = 1};
    ASSERT_OK(store_requal_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, t2.id);
    q.after_id = items[0].id;
    ASSERT_OK(store_requal_list(f->tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, t3.id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_sequence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_and_current, setup, teardown),
        cmocka_unit_test_setup_teardown(test_causes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requalification_tasks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
