/*
 * test_store_attach.c - attachment rows in the store: insert, get (live and
 * deleted), list an application's live ones in id order, count, soft delete,
 * dangling references refused, and the data directory the blobs sit in.
 *
 * The campaign and application rows are written with plain SQL on a closed
 * store, because the store has no public insert for them yet (the applications
 * module is being written); switch to store_campaign_insert and its siblings
 * when they land.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "store/store.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

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
    struct store_tx *tx;
    struct yj_arena a;
    int64_t unit_id; /* application 1 and 2 belong to it */
};

static void sql(const char *dir, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_close(db);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-attach-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
    struct unit u = {.name = "附件测试单位", .credit_code = "91520200MA6DXXXX0X"};
    u.registered_capital = -1;
    ASSERT_OK(store_unit_insert(f->tx, &u, 1000, &e));
    f->unit_id = u.id;
    ASSERT_OK(store_tx_commit(f->tx, &e));
    store_tx_end(f->tx);
    store_close(f->st);
    sql(f->dir,
        "INSERT INTO campaigns (id, version, name, title, deadline_at, validity_years, places,"
        " cert_number_pattern, stage, min_registered_capital, min_years_in_field,"
        " min_certified_staff, require_office_in_province, min_capability_fields,"
        " require_declarations, created_at, updated_at) VALUES"
        " (1, 1, 'c1', 't', 2000, 2, 10, 'N{seq}', 'open', 0, 0, 0, 0, 0, 0, 1, 1),"
        " (2, 1, 'c2', 't', 2000, 2, 10, 'N{seq}', 'open', 0, 0, 0, 0, 0, 0, 1, 1);"
        "INSERT INTO applications (id, campaign_id, unit_id, version, status, current_version,"
        " created_at, updated_at) VALUES (1, 1, 1, 1, 'draft', 1, 1, 1),"
        " (2, 2, 1, 1, 'draft', 1, 1, 1);");
    ASSERT_OK(store_open(f->dir, 0, &f->st, &e));
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
    yj_arena_init(&f->a, 0);
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

static int64_t add(struct fx *f, int64_t application_id, const char *kind, const char *name,
                   int64_t at)
{
    struct yj_error e;
    struct store_attachment a = {
        .sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        .size = 3,
        .media_type = "application/pdf",
        .filename = name,
        .kind = kind,
        .unit_id = f->unit_id,
        .application_id = application_id,
        .uploaded_by = 7,
        .uploaded_at = at,
        .deleted_at = 99, /* ignored: stored live */
    };
    ASSERT_OK(store_attachment_insert(f->tx, &a, &e));
    assert_true(a.id > 0);
    assert_int_equal(a.deleted_at, 0);
    return a.id;
}

static void test_insert_get(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t id = add(f, 1, "commitment_letter", "承诺书.pdf", 5000);
    struct store_attachment a;
    ASSERT_OK(store_attachment_get(f->tx, id, false, &f->a, &a, &e));
    assert_int_equal(a.id, id);
    assert_string_equal(a.sha256,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(a.size, 3);
    assert_string_equal(a.media_type, "application/pdf");
    assert_string_equal(a.filename, "承诺书.pdf");
    assert_string_equal(a.kind, "commitment_letter");
    assert_int_equal(a.unit_id, f->unit_id);
    assert_int_equal(a.application_id, 1);
    assert_int_equal(a.uploaded_by, 7);
    assert_int_equal(a.uploaded_at, 5000);
    assert_int_equal(a.deleted_at, 0);
    assert_int_equal(store_attachment_get(f->tx, id + 100, false, &f->a, &a, &e), YJ_ENOTFOUND);
    /* Committed, the row is there for a read transaction too. */
    ASSERT_OK(store_tx_commit(f->tx, &e));
    store_tx_end(f->tx);
    ASSERT_OK(store_read_begin(f->st, &f->tx, &e));
    ASSERT_OK(store_attachment_get(f->tx, id, false, &f->a, &a, &e));
}

static void test_list_count_delete(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t ids[5];
    for (int i = 0; i < 5; i++)
        ids[i] = add(f, 1, "risk_assessment_report", "报告.pdf", 1000 + i);
    int64_t other = add(f, 2, "other", "x.png", 1);
    struct store_attachment *items;
    size_t n;
    int64_t count;
    ASSERT_OK(store_attachment_list(f->tx, 1, &f->a, &items, &n, &e));
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(items[i].id, ids[i]);
    ASSERT_OK(store_attachment_count(f->tx, 1, &count, &e));
    assert_int_equal(count, 5);

    ASSERT_OK(store_attachment_delete(f->tx, ids[1], 9000, &e));
    assert_int_equal(store_attachment_delete(f->tx, ids[1], 9001, &e), YJ_ENOTFOUND);
    ASSERT_OK(store_attachment_list(f->tx, 1, &f->a, &items, &n, &e));
    assert_int_equal(n, 4);
    assert_int_equal(items[0].id, ids[0]);
    assert_int_equal(items[1].id, ids[2]);
    ASSERT_OK(store_attachment_count(f->tx, 1, &count, &e));
    assert_int_equal(count, 4);

    /* A deleted row is gone for ordinary reads, there for a frozen version's. */
    struct store_attachment a;
    assert_int_equal(store_attachment_get(f->tx, ids[1], false, &f->a, &a, &e), YJ_ENOTFOUND);
    ASSERT_OK(store_attachment_get(f->tx, ids[1], true, &f->a, &a, &e));
    assert_int_equal(a.deleted_at, 9000);

    /* Another application's rows stay apart; one without any lists nothing. */
    ASSERT_OK(store_attachment_list(f->tx, 2, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, other);
    ASSERT_OK(store_attachment_list(f->tx, 3, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
    ASSERT_OK(store_attachment_count(f->tx, 3, &count, &e));
    assert_int_equal(count, 0);
}

static void test_list_grows(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    for (int i = 0; i < 40; i++)
        add(f, 2, "staff_certificates", "证书.jpg", i);
    struct store_attachment *items;
    size_t n;
    ASSERT_OK(store_attachment_list(f->tx, 2, &f->a, &items, &n, &e));
    assert_int_equal(n, 40);
    for (size_t i = 1; i < n; i++)
        assert_true(items[i].id > items[i - 1].id);
    assert_int_equal(items[39].uploaded_at, 39);
}

static void test_dangling_refused(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_attachment a = {
        .sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        .size = 3,
        .media_type = "application/pdf",
        .filename = "x.pdf",
        .kind = "other",
        .unit_id = f->unit_id,
        .application_id = 999,
        .uploaded_by = 7,
        .uploaded_at = 1,
    };
    assert_int_equal(store_attachment_insert(f->tx, &a, &e), YJ_ECONFLICT);
    a.application_id = 1;
    a.unit_id = 999;
    assert_int_equal(store_attachment_insert(f->tx, &a, &e), YJ_ECONFLICT);
}

static void test_data_dir(void **state)
{
    struct fx *f = *state;
    assert_string_equal(store_data_dir(f->st), f->dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_count_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dangling_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_dir, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
