/*
 * test_audit_chain.c - appending builds a chain (seq from 1, each prev_hash
 * the previous hash, the first the 64-zero genesis); audit_verify passes a
 * whole chain, SHA-256 or SM3, and names the first bad record when a stored
 * record is altered, its hash altered, one is removed from the middle or the
 * end, or two are swapped. Tampering goes through a separate SQLite connection,
 * as an attacker with the file would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "core/yj.h"
#include "store/store.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define NOW INT64_C(1767949200000)

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
    struct yj_arena a;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-audit-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    yj_arena_init(&f->a, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    yj_arena_release(&f->a);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void set_alg(struct fx *f, const char *alg)
{
    struct yj_error e;
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    ASSERT_OK(store_setting_set(tx, "audit_alg", alg, &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
}

/* Appends n records in one committed transaction each. */
static void append_n(struct fx *f, int n)
{
    struct yj_error e;
    for (int i = 0; i < n; i++) {
        char oid[16], changes[64];
        snprintf(oid, sizeof oid, "%d", i + 1);
        snprintf(changes, sizeof changes, "{\"name\":{\"old\":\"a%d\",\"new\":\"b%d\"}}", i, i);
        struct audit_entry entry = {
            .actor_id = 7,
            .actor = "alice",
            .source_ip = i % 2 ? "10.0.0.1" : NULL,
            .action = "unit.update",
            .object_type = "unit",
            .object_id = oid,
            .changes = changes,
        };
        struct store_tx *tx;
        ASSERT_OK(store_write_begin(f->st, &tx, &e));
        ASSERT_OK(audit_append(tx, &entry, NOW + i, &e));
        ASSERT_OK(store_tx_commit(tx, &e));
        store_tx_end(tx);
    }
}

/* All records in seq order, arena-allocated. */
static size_t read_all(struct fx *f, struct store_audit_row **rows)
{
    struct yj_error e;
    struct store_tx *tx;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    struct store_audit_row *items;
    size_t n = 0;
    ASSERT_OK(
        store_audit_list(tx, &(struct store_audit_query){.limit = 1000}, &f->a, &items, &n, &e));
    store_tx_end(tx);
    *rows = yj_arena_calloc(&f->a, n ? n : 1, sizeof **rows);
    for (size_t i = 0; i < n; i++)
        (*rows)[i] = items[n - 1 - i];
    return n;
}

/* Runs SQL on the database file through a connection of its own. */
static void tamper(struct fx *f, const char *sql)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", f->dir, STORE_DB_FILE);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static struct audit_verify_result verify(struct fx *f)
{
    struct yj_error e;
    struct audit_verify_result res;
    memset(&res, 0x5a, sizeof res);
    ASSERT_OK(audit_verify(f->st, &res, &e));
    return res;
}

static void assert_whole(struct fx *f, int64_t records)
{
    struct audit_verify_result res = verify(f);
    if (res.bad_seq != 0)
        fail_msg("chain broken at %lld: %s", (long long)res.bad_seq, res.reason);
    assert_int_equal(res.records, records);
}

/* bad_seq and the count of good records before it (the prefix that verified). */
static void assert_broken_after(struct fx *f, int64_t bad_seq, int64_t good,
                                const char *reason_part)
{
    struct audit_verify_result res = verify(f);
    if (res.bad_seq != bad_seq)
        fail_msg("bad_seq %lld (%s), want %lld", (long long)res.bad_seq, res.reason,
                 (long long)bad_seq);
    assert_int_equal(res.records, good);
    if (!strstr(res.reason, reason_part))
        fail_msg("reason \"%s\" lacks \"%s\"", res.reason, reason_part);
}

static void assert_broken(struct fx *f, int64_t bad_seq, const char *reason_part)
{
    assert_broken_after(f, bad_seq, bad_seq - 1, reason_part);
}

/* ---- building the chain ---- */

static void test_append_builds_chain(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    append_n(f, 4);
    struct store_audit_row *r;
    size_t n = read_all(f, &r);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r[i].seq, (int64_t)i + 1);
        assert_int_equal(r[i].at, NOW + (int64_t)i);
        assert_string_equal(r[i].alg, AUDIT_ALG_SHA256);
        assert_string_equal(r[i].prev_hash, i == 0 ? GENESIS : r[i - 1].hash);
        assert_int_equal(strlen(r[i].hash), 64);
        assert_int_equal(strspn(r[i].hash, "0123456789abcdef"), 64);
        char h[65];
        ASSERT_OK(audit_record_hash(&r[i], h, &e));
        assert_string_equal(h, r[i].hash);
        assert_string_equal(r[i].actor, "alice");
        assert_int_equal(r[i].actor_id, 7);
    }
    assert_null(r[0].source_ip);
    assert_string_equal(r[1].source_ip, "10.0.0.1");
    /* Hashes differ record to record. */
    assert_string_not_equal(r[0].hash, r[1].hash);
    struct audit_verify_result res = verify(f);
    assert_int_equal(res.bad_seq, 0);
    assert_int_equal(res.records, 4);
    assert_string_equal(res.head_hash, r[3].hash);
    assert_string_equal(res.reason, "");
}

static void test_append_defaults(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct audit_entry entry = {.action = "system.init", .object_type = "system"};
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    ASSERT_OK(audit_append(tx, &entry, NOW, &e));
    /* Several records in one transaction chain too. */
    ASSERT_OK(audit_append(tx, &entry, NOW, &e));
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
    struct store_audit_row *r;
    assert_int_equal(read_all(f, &r), 2);
    assert_string_equal(r[0].actor, "system"); /* NULL actor */
    assert_int_equal(r[0].actor_id, 0);
    assert_string_equal(r[0].changes, "{}"); /* NULL changes */
    assert_null(r[0].object_id);
    assert_null(r[0].source_ip);
    assert_string_equal(r[1].prev_hash, r[0].hash);
    assert_whole(f, 2);
}

static void test_append_rolled_back(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    append_n(f, 2);
    struct audit_entry entry = {.action = "x", .object_type = "y"};
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    ASSERT_OK(audit_append(tx, &entry, NOW, &e));
    store_tx_end(tx); /* the change it recorded failed: no record either */
    assert_whole(f, 2);
    append_n(f, 1);
    assert_whole(f, 3);
}

static void test_verify_empty(void **state)
{
    struct fx *f = *state;
    struct audit_verify_result res = verify(f);
    assert_int_equal(res.records, 0);
    assert_int_equal(res.bad_seq, 0);
    assert_string_equal(res.head_hash, GENESIS);
}

/* ---- tampering ---- */

static void test_altered_content(void **state)
{
    struct fx *f = *state;
    append_n(f, 5);
    tamper(f, "UPDATE audit_log SET changes = '{}' WHERE seq = 3");
    assert_broken(f, 3, "altered");
}

static void test_altered_each_column(void **state)
{
    struct fx *f = *state;
    static const char *const sqls[] = {
        "UPDATE audit_log SET at = at + 1 WHERE seq = 2",
        "UPDATE audit_log SET actor_id = 8 WHERE seq = 2",
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "UPDATE audit_log SET source_ip = '10.9.9.9' WHERE seq = 2",
        "UPDATE audit_log SET source_ip = NULL WHERE seq = 2",
        "UPDATE audit_log SET action = 'unit.read' WHERE seq = 2",
        "UPDATE audit_log SET object_type = 'user' WHERE seq = 2",
        "UPDATE audit_log SET object_id = '99' WHERE seq = 2",
        "UPDATE audit_log SET object_id = NULL WHERE seq = 2",
    };
    append_n(f, 3);
    struct store_audit_row *r;
    read_all(f, &r);
    for (size_t i = 0; i < YJ_ARRAY_LEN(sqls); i++) {
        tamper(f, sqls[i]);
        struct audit_verify_result res = verify(f);
        if (res.bad_seq != 2)
            fail_msg("%s: bad_seq %lld", sqls[i], (long long)res.bad_seq);
        /* Put it back exactly and the chain is whole again. */
        char *restore = yj_arena_printf(
            &f->a,
            "UPDATE audit_log SET at = %lld, actor_id = %lld, actor = '%s', source_ip = '%s',"
            " action = '%s', object_type = '%s', object_id = '%s' WHERE seq = 2",
            (long long)r[1].at, (long long)r[1].actor_id, r[1].actor, r[1].source_ip, r[1].action,
            r[1].object_type, r[1].object_id);
        tamper(f, restore);
        assert_whole(f, 3);
    }
}

static void test_altered_hash(void **state)
{
    struct fx *f = *state;
    append_n(f, 4);
    /* A recomputed-looking but wrong hash on record 2: it no longer matches its content. */
    tamper(f, "UPDATE audit_log SET hash = '" GENESIS "' WHERE seq = 2");
    assert_broken(f, 2, "altered");
}

static void test_rehashed_record_breaks_next(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    append_n(f, 4);
    /* An attacker who alters record 2 and fixes its hash still breaks record 3's link. */
    struct store_audit_row *r;
    read_all(f, &r);
    struct store_audit_row forged = r[1];
    forged.changes = "{}";
    char h[65];
    ASSERT_OK(audit_record_hash(&forged, h, &e));
    tamper(f, yj_arena_printf(&f->a,
                              "UPDATE audit_log SET changes = '{}', hash = '%s' WHERE seq = 2", h));
    assert_broken(f, 3, "does not follow");
}

static void test_deleted_middle(void **state)
{
    struct fx *f = *state;
    append_n(f, 5);
    tamper(f, "DELETE FROM audit_log WHERE seq = 3");
    /* Record 4 is the first record whose predecessor is missing; 1 and 2 verified. */
    assert_broken_after(f, 4, 2, "missing");
}

static void test_deleted_first(void **state)
{
    struct fx *f = *state;
    append_n(f, 3);
    tamper(f, "DELETE FROM audit_log WHERE seq = 1");
    assert_broken_after(f, 2, 0, "missing");
}

static void test_reordered(void **state)
{
    struct fx *f = *state;
    append_n(f, 5);
    /* Swap records 2 and 3 (their numbers follow their new places). */
    tamper(f, "UPDATE audit_log SET seq = -2 WHERE seq = 2;"
              "UPDATE audit_log SET seq = 2 WHERE seq = 3;"
              "UPDATE audit_log SET seq = 3 WHERE seq = -2;");
    assert_broken(f, 2, "does not follow");
}

static void test_deleted_last(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    append_n(f, 4);
    tamper(f, "DELETE FROM audit_log WHERE seq = 4");
    /* Every remaining record is fine; only the separately kept head tells. */
    assert_broken(f, 4, "removed from the end");
    /* And audit_append refuses to extend the visibly broken chain. */
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    struct audit_entry entry = {.action = "x", .object_type = "y"};
    assert_int_equal(audit_append(tx, &entry, NOW, &e), YJ_EINTERNAL);
    store_tx_end(tx);
}

static void test_head_altered(void **state)
{
    struct fx *f = *state;
    append_n(f, 3);
    tamper(f, "UPDATE audit_head SET hash = '" GENESIS "'");
    assert_broken(f, 4, "removed from the end");
}

/* ---- SM3 chains ---- */

static void test_sm3_chain(void **state)
{
    struct fx *f = *state;
    if (!audit_alg_supported(AUDIT_ALG_SM3)) {
        skip();
        return;
    }
    struct yj_error e;
    set_alg(f, AUDIT_ALG_SM3);
    append_n(f, 4);
    struct store_audit_row *r;
    size_t n = read_all(f, &r);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(r[i].alg, AUDIT_ALG_SM3);
        char h[65];
        ASSERT_OK(audit_record_hash(&r[i], h, &e));
        assert_string_equal(h, r[i].hash);
        /* The same record under SHA-256 hashes differently. */
        struct store_audit_row as256 = r[i];
        as256.alg = AUDIT_ALG_SHA256;
        ASSERT_OK(audit_record_hash(&as256, h, &e));
        assert_string_not_equal(h, r[i].hash);
    }
    assert_string_equal(r[0].prev_hash, GENESIS);
    assert_whole(f, 4);
    tamper(f, "UPDATE audit_log SET changes = '{}' WHERE seq = 2");
    assert_broken(f, 2, "altered");
}

static void test_mixed_algorithms(void **state)
{
    struct fx *f = *state;
    if (!audit_alg_supported(AUDIT_ALG_SM3)) {
        skip();
        return;
    }
    /* Each record names its own algorithm, so a chain that changed stays verifiable. */
    append_n(f, 2);
    set_alg(f, AUDIT_ALG_SM3);
    append_n(f, 2);
    struct store_audit_row *r;
    read_all(f, &r);
    assert_string_equal(r[1].alg, AUDIT_ALG_SHA256);
    assert_string_equal(r[2].alg, AUDIT_ALG_SM3);
    assert_string_equal(r[2].prev_hash, r[1].hash);
    assert_whole(f, 4);
}

static void test_unknown_algorithm(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    /* An installation set to an unknown algorithm cannot append. */
    set_alg(f, "md5");
    struct store_tx *tx;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    struct audit_entry entry = {.action = "x", .object_type = "y"};
    assert_int_equal(audit_append(tx, &entry, NOW, &e), YJ_EINVAL);
    store_tx_end(tx);
    /* A stored record claiming one fails verification. */
    set_alg(f, AUDIT_ALG_SHA256);
    append_n(f, 2);
    tamper(f, "UPDATE audit_log SET alg = 'md5' WHERE seq = 2");
    assert_broken(f, 2, "unknown hash algorithm");
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_append_builds_chain), T(test_append_defaults),
        T(test_append_rolled_back),  T(test_verify_empty),
        T(test_altered_content),     T(test_altered_each_column),
        T(test_altered_hash),        T(test_rehashed_record_breaks_next),
        T(test_deleted_middle),      T(test_deleted_first),
        T(test_reordered),           T(test_deleted_last),
        T(test_head_altered),        T(test_sm3_chain),
        T(test_mixed_algorithms),    T(test_unknown_algorithm),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
