/*
 * test_durability.c - what the API acknowledged survives: units created (each
 * answered 201) are all there after the server is killed with SIGKILL right
 * after the last answer and restarted, with an intact audit chain; and
 * `yingji backup` taken while the server is busy writing yields a database with
 * a consistent audit chain, which restores into a working installation.
 */
#include <sqlite3.h>

#include "harness.h"

#include "core/yj.h"

enum { N_UNITS = 200 };

static struct hx_server *srv;
static struct hx_client *admin;

static int setup(void **state)
{
    (void)state;
    srv = hx_server_new(NULL);
    admin = hx_login_admin(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_server_free(srv);
    return 0;
}

/* "audit chain intact: N records" -> N; fails the test on anything else. */
static int64_t verified_records(const char *dir)
{
    char *out = NULL;
    int rc = hx_audit_verify(dir, &out);
    if (rc != 0)
        fail_msg("audit verify %s exited %d: %s", dir, rc, out);
    long long n = -1;
    if (sscanf(out, "audit chain intact: %lld records", &n) != 1)
        fail_msg("audit verify said: %s", out);
    free(out);
    return n;
}

static void test_acknowledged_writes_survive_kill9(void **state)
{
    (void)state;
    int64_t audit0 = hx_audit_length(admin);
    size_t units0 = hx_unit_count(admin);
    static int64_t ids[N_UNITS];
    static char codes[N_UNITS][19];
    for (int i = 0; i < N_UNITS; i++) {
        json_t *doc = hx_unit_doc("持久单位");
        snprintf(codes[i], sizeof codes[i], "%s",
                 json_string_value(json_object_get(doc, "credit_code")));
        struct hx_resp *r = hx_post(admin, "/api/v1/units", doc);
        HX_EXPECT(r, 201);
        ids[i] = hx_json_int(r, "id");
    }
    /* the last 201 is in hand: no orderly shutdown, no checkpoint */
    hx_server_kill(srv);
    hx_server_start(srv);

    json_t *all = hx_list_all(admin, "/api/v1/units", 200);
    assert_int_equal(json_array_size(all), units0 + N_UNITS);
    for (int i = 0; i < N_UNITS; i++) {
        json_t *found = NULL, *v;
        size_t k;
        json_array_foreach (all, k, v)
            if (json_integer_value(json_object_get(v, "id")) == ids[i])
                found = v;
        if (!found)
            fail_msg("unit %lld (acknowledged #%d) is gone after kill -9", (long long)ids[i], i);
        assert_string_equal(json_string_value(json_object_get(found, "credit_code")), codes[i]);
    }
    json_decref(all);
    /* the children rows made it too */
    for (int i = 0; i < N_UNITS; i += 40) {
        struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/units/%lld", (long long)ids[i]));
        HX_EXPECT(r, 200);
        assert_int_equal(json_array_size(json_object_get(r->json, "contacts")), 2);
        assert_int_equal(json_array_size(json_object_get(r->json, "staff")), 1);
        assert_int_equal(json_array_size(json_object_get(r->json, "oncall")), 1);
    }
    /* one audit record per create, the chain whole */
    assert_int_equal(hx_audit_length(admin), audit0 + N_UNITS);
    hx_server_stop(srv);
    assert_int_equal(verified_records(srv->data), audit0 + N_UNITS);
    hx_server_start(srv);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Takes one backup while creating units; checks it and returns its live unit count. */
static int64_t backup_during_writes(const char *file, size_t *units_before, size_t *units_after)
{
    *units_before = hx_unit_count(admin);
    struct hx_child child;
    hx_spawn(&child, "backup", "--data", srv->data, "--to", file, NULL);
    int writes = 0;
    while (writes < 3 || !hx_spawn_done(&child)) {
        hx_unit_create(admin, hx_unit_doc("备份期间单位"));
        writes++;
        if (writes > 5000)
            fail_msg("the backup does not finish");
    }
    print_message("%d units created while the backup ran\n", writes);
    char *out = NULL;
    int rc = hx_spawn_wait(&child, &out);
    if (rc != 0 || !strstr(out, "backed up"))
        fail_msg("yingji backup exited %d: %s", rc, out);
    free(out);
    *units_after = hx_unit_count(admin);

    /* the file is a sound database in which units and audit records agree */
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail_msg("the backup does not open: %s", sqlite3_errmsg(db));
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    int64_t live = query_int(db, "SELECT count(*) FROM units WHERE deleted_at IS NULL");
    int64_t creates = query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'unit.create'");
    int64_t deletes = query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'unit.delete'");
    int64_t records = query_int(db, "SELECT count(*) FROM audit_log");
    int64_t head = query_int(db, "SELECT seq FROM audit_head");
    sqlite3_close(db);
    if (live != creates - deletes)
        fail_msg("backup holds %lld live units but its audit log %lld creates, %lld deletes",
                 (long long)live, (long long)creates, (long long)deletes);
    assert_int_equal(head, records);
    assert_true(live >= (int64_t)*units_before && live <= (int64_t)*units_after);

    /* restored as a data directory, its chain verifies */
    char dir[HX_PATH_MAX + 8];
    snprintf(dir, sizeof dir, "%s.d", file);
    hx_make_dir(dir);
    hx_copy_file(file, hx_fmt("%s/yingji.db", dir));
    assert_int_equal(verified_records(dir), records);
    hx_remove_tree(dir);
    return live;
}

static void test_backup_while_writing(void **state)
{
    (void)state;
    char file[HX_PATH_MAX];
    size_t before, after;
    int64_t live = 0;
    for (int round = 0; round < 3; round++) {
        snprintf(file, sizeof file, "%s/backup-%d.db", srv->root, round);
        live = backup_during_writes(file, &before, &after);
    }

    /* Restoring the last one: stop a fresh installation, put the file in its place, serve. */
    struct hx_server *restored = hx_server_new(NULL);
    hx_server_stop(restored);
    hx_remove_tree(restored->data);
    hx_make_dir(restored->data);
    hx_copy_file(file, hx_fmt("%s/yingji.db", restored->data));
    hx_server_start(restored);
    struct hx_client *c = hx_login_admin(restored);
    assert_int_equal(hx_unit_count(c), (size_t)live);
    hx_client_free(c);
    hx_server_free(restored);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acknowledged_writes_survive_kill9),
        cmocka_unit_test(test_backup_while_writing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
