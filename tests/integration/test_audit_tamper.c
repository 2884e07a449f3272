/*
 * test_audit_tamper.c - the audit chain catches tampering with the stored
 * records. A chain is built through the API, the server stopped, and each
 * scenario edits a copy of the data directory directly with SQLite: a record's
 * changes or actor altered, a middle record deleted, two records' contents
 * swapped, the last record deleted (audit_head remembers it), a hash altered,
 * a record rewritten with a recomputed hash. `yingji audit verify` must fail
 * and name the first bad record; the untouched copy verifies.
 */
#include <sqlite3.h>

#include "harness.h"

#include "audit/audit.h"
#include "core/yj.h"

static struct hx_server *srv;
static int64_t n_records; /* the chain's length, from the API before stopping */
static int scenario;

static int setup(void **state)
{
    (void)state;
    srv = hx_server_new(NULL);
    struct hx_client *admin = hx_login_admin(srv);
    int64_t ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = hx_unit_create(admin, hx_unit_doc("审计单位"));
    for (int i = 0; i < 2; i++)
        HX_EXPECT(hx_send(admin, "PATCH", hx_fmt("/api/v1/units/%lld", (long long)ids[i]),
                          json_pack("{s:s}", "city", "贵阳市"), "\"1\""),
                  200);
    HX_EXPECT(
        hx_send(admin, "DELETE", hx_fmt("/api/v1/units/%lld", (long long)ids[2]), NULL, "\"1\""),
        204);
    hx_user_create(admin, "auditor", 0, NULL, NULL, NULL);
    n_records = hx_audit_length(admin);
    hx_client_free(admin);
    hx_server_stop(srv);
    assert_true(n_records >= 9);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_server_free(srv);
    return 0;
}

/* A fresh copy of the stopped server's data directory; its path is in hx_fmt's buffers. */
static const char *copy_data(void)
{
    const char *dir = hx_fmt("%s/tampered-%d", srv->root, ++scenario);
    hx_copy_tree(srv->data, dir);
    return dir;
}

static void exec_sql(const char *dir, const char *sql)
{
    sqlite3 *db = NULL;
    char *errmsg = NULL;
    if (sqlite3_open_v2(hx_fmt("%s/yingji.db", dir), &db, SQLITE_OPEN_READWRITE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
        fail_msg("test bug: %s: %s", sql, errmsg ? errmsg : sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* verify must exit 1 naming bad_seq as the first bad record, after `intact` good ones. */
static void expect_broken(const char *dir, int64_t bad_seq, int64_t intact, const char *what)
{
    char *out = NULL;
    int rc = hx_audit_verify(dir, &out);
    const char *want = hx_fmt("BROKEN at record %lld:", (long long)bad_seq);
    const char *good = hx_fmt("(%lld records before it are intact)", (long long)intact);
    if (rc != 1 || !strstr(out, want) || !strstr(out, good))
        fail_msg("%s: expected exit 1 naming record %lld, got exit %d: %s", what,
                 (long long)bad_seq, rc, out);
    free(out);
}

/* The usual case: every record before the bad one is intact. */
static void expect_broken_at(const char *dir, int64_t bad_seq, const char *what)
{
    expect_broken(dir, bad_seq, bad_seq - 1, what);
}

static void test_untampered_chain_verifies(void **state)
{
    (void)state;
    const char *dir = copy_data();
    char *out = NULL;
    int rc = hx_audit_verify(dir, &out);
    const char *want = hx_fmt("audit chain intact: %lld records, head ", (long long)n_records);
    if (rc != 0 || strncmp(out, want, strlen(want)) != 0)
        fail_msg("expected \"%s...\", got exit %d: %s", want, rc, out);
    free(out);
}

static void test_altered_changes(void **state)
{
    (void)state;
    int64_t k = n_records / 2;
    const char *dir = copy_data();
    exec_sql(dir, hx_fmt("UPDATE audit_log SET changes = '{\"name\":\"改过的名字\"}' WHERE seq = "
                         "%lld",
                         (long long)k));
    expect_broken_at(dir, k, "altered changes");
    /* the smallest edit counts too: one character of the JSON */
    dir = copy_data();
    exec_sql(dir, hx_fmt("UPDATE audit_log SET changes = changes || ' ' WHERE seq = %lld",
                         (long long)k + 1));
    expect_broken_at(dir, k + 1, "a space appended to changes");
}

static void test_altered_actor(void **state)
{
    (void)state;
    int64_t k = n_records / 2;
    const char *dir = copy_data();
    exec_sql(dir, hx_fmt("UPDATE audit_log SET actor = 'mallory' WHERE seq = %lld", (long long)k));
    expect_broken_at(dir, k, "altered actor");
    dir = copy_data();
    exec_sql(dir,
             hx_fmt("UPDATE audit_log SET at = at - 86400000 WHERE seq = %lld", (long long)k - 1));
    expect_broken_at(dir, k - 1, "altered time");
}

static void test_deleted_middle_record(void **state)
{
    (void)state;
    int64_t k = n_records / 2;
    const char *dir = copy_data();
    exec_sql(dir, hx_fmt("DELETE FROM audit_log WHERE seq = %lld", (long long)k));
    /* the first record found missing its predecessor */
    expect_broken(dir, k + 1, k - 1, "deleted middle record");
    /* closing the gap by renumbering does not hide it */
    dir = copy_data();
    exec_sql(dir, hx_fmt("DELETE FROM audit_log WHERE seq = %lld;"
                         "UPDATE audit_log SET seq = seq - 1 WHERE seq > %lld;"
                         "UPDATE audit_head SET seq = seq - 1;",
                         (long long)k, (long long)k));
    expect_broken_at(dir, k, "deleted and renumbered");
}

static void test_swapped_records(void **state)
{
    (void)state;
    int64_t k = n_records / 2;
    const char *dir = copy_data();
    static const char cols[] =
        "at, actor_id, actor, source_ip, action, object_type, object_id, changes, alg, "
        "prev_hash, hash";
    exec_sql(dir, hx_fmt("CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (%lld, %lld);"
                         "UPDATE audit_log SET (%s) = (SELECT %s FROM t WHERE t.seq = %lld) "
                         "WHERE seq = %lld;"
                         "UPDATE audit_log SET (%s) = (SELECT %s FROM t WHERE t.seq = %lld) "
                         "WHERE seq = %lld;",
                         (long long)k, (long long)k + 1, cols, cols, (long long)k + 1, (long long)k,
                         cols, cols, (long long)k, (long long)k + 1));
    expect_broken_at(dir, k, "swapped records");
}

static void test_deleted_last_record(void **state)
{
    (void)state;
    const char *dir = copy_data();
    exec_sql(dir, hx_fmt("DELETE FROM audit_log WHERE seq = %lld", (long long)n_records));
    expect_broken_at(dir, n_records, "deleted last record");
    /* cutting off several records at the end, too */
    dir = copy_data();
    exec_sql(dir, hx_fmt("DELETE FROM audit_log WHERE seq > %lld", (long long)n_records - 3));
    expect_broken_at(dir, n_records - 2, "deleted last three records");
}

static void test_altered_hash(void **state)
{
    (void)state;
    int64_t k = n_records / 2;
    const char *dir = copy_data();
    exec_sql(dir, hx_fmt("UPDATE audit_log SET hash = '%064d' WHERE seq = %lld", 7, (long long)k));
    expect_broken_at(dir, k, "altered hash");
    /* altering a hash and the next record's prev_hash to match: still this record */
    dir = copy_data();
    exec_sql(dir, hx_fmt("UPDATE audit_log SET prev_hash = '%064d' WHERE seq = %lld;"
                         "UPDATE audit_log SET hash = '%064d' WHERE seq = %lld",
                         7, (long long)k + 1, 7, (long long)k));
    expect_broken_at(dir, k, "altered hash and the next prev_hash");
}

/* A forger who recomputes the altered record's hash is caught at the next record. */
static void test_rehashed_record(void **state)
{
    (void)state;
    int64_t k = n_records / 2;
    const char *dir = copy_data();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(hx_fmt("%s/yingji.db", dir), &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT seq, at, actor_id, actor, source_ip, action, "
                                        "object_type, object_id, changes, alg, prev_hash "
                                        "FROM audit_log WHERE seq = ?",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, k);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    struct store_audit_row r = {
        .seq = sqlite3_column_int64(s, 0),
        .at = sqlite3_column_int64(s, 1),
        .actor_id = sqlite3_column_int64(s, 2),
        .actor = "mallory",
        .source_ip = (const char *)sqlite3_column_text(s, 4),
        .action = (const char *)sqlite3_column_text(s, 5),
        .object_type = (const char *)sqlite3_column_text(s, 6),
        .object_id = (const char *)sqlite3_column_text(s, 7),
        .changes = (const char *)sqlite3_column_text(s, 8),
        .alg = (const char *)sqlite3_column_text(s, 9),
        .prev_hash = (const char *)sqlite3_column_text(s, 10),
    };
    char hash[65];
    struct yj_error err;
    assert_int_equal(audit_record_hash(&r, hash, &err), YJ_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE audit_log SET actor = 'mallory', hash = '%s' WHERE seq = %lld", hash,
             (long long)k);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    expect_broken_at(dir, k + 1, "a record rewritten with its hash recomputed");
}

static void test_original_untouched(void **state)
{
    (void)state;
    /* every scenario worked on a copy */
    char *out = NULL;
    int rc = hx_audit_verify(srv->data, &out);
    if (rc != 0)
        fail_msg("the original data directory no longer verifies: %s", out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untampered_chain_verifies),
        cmocka_unit_test(test_altered_changes),
        cmocka_unit_test(test_altered_actor),
        cmocka_unit_test(test_deleted_middle_record),
        cmocka_unit_test(test_swapped_records),
        cmocka_unit_test(test_deleted_last_record),
        cmocka_unit_test(test_altered_hash),
        cmocka_unit_test(test_rehashed_record),
        cmocka_unit_test(test_original_untouched),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
