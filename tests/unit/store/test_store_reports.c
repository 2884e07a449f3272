/*
 * test_store_reports.c - upward report rows (store_reports.h): insert and read
 * back, the version check of an update (412 against 404), a dangling incident,
 * and the list of an incident's reports in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "store/store_incidents.h"
#include "store/store_reports.h"

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

/* A migrated store in a fresh directory with one incident, in an open write transaction. */
struct fx {
    char dir[64];
    struct store *st;
    struct store_tx *tx;
    struct yj_arena a;
    int64_t incident;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-reports-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
    yj_arena_init(&f->a, 0);
    struct store_incident i = {
        .title = "某单位网站被篡改",
        .affected_org = "某单位",
        .operator_type = "cii",
        .discovered_at = 1000,
        .source = "authority",
        .status = INC_REPORTED,
        .created_by = 1,
        .created_at = 1000,
        .updated_at = 1000,
    };
    ASSERT_OK(store_incident_insert(f->tx, &i, &e));
    f->incident = i.id;
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

static struct store_report report(int64_t incident, enum inc_report_kind k, int64_t at)
{
    return (struct store_report){
        .incident_id = incident,
        .kind = k,
        .recipient = "保护工作部门和公安机关",
        .due_at = at + 3600000,
        .content = "{\"unit_system\":\"某单位\"}",
        .created_by = 1,
        .created_at = at,
        .updated_at = at,
    };
}

static void test_insert_get(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_report r = report(f->incident, INC_R_PASS_ON, 2000);
    ASSERT_OK(store_report_insert(f->tx, &r, &e));
    assert_true(r.id > 0);
    assert_int_equal(r.version, 1);
    struct store_report got;
    ASSERT_OK(store_report_get(f->tx, r.id, &f->a, &got, &e));
    assert_int_equal(got.incident_id, f->incident);
    assert_int_equal(got.kind, INC_R_PASS_ON);
    assert_string_equal(got.recipient, "保护工作部门和公安机关");
    assert_int_equal(got.due_at, 2000 + 3600000);
    assert_string_equal(got.content, "{\"unit_system\":\"某单位\"}");
    assert_false(got.complete);
    assert_int_equal(got.sent_at, 0);
    assert_int_equal(got.sent_by, 0);
    assert_int_equal(got.created_at, 2000);
    assert_int_equal(store_report_get(f->tx, r.id + 100, &f->a, &got, &e), YJ_ENOTFOUND);

    /* A report of no incident does not go in. */
    struct store_report bad = report(f->incident + 100, INC_R_FIRST, 2000);
    assert_int_equal(store_report_insert(f->tx, &bad, &e), YJ_ECONFLICT);
}

static void test_update_versions(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_report r = report(f->incident, INC_R_FIRST, 3000);
    r.due_at = 0; /* not known: stored as NULL, read back as 0 */
    ASSERT_OK(store_report_insert(f->tx, &r, &e));
    struct store_report stale = r;
    r.content = "{\"unit_system\":\"某单位\",\"discovery\":\"发现篡改\"}";
    r.sent_at = 4000;
    r.sent_by = 7;
    r.complete = true;
    r.updated_at = 4000;
    ASSERT_OK(store_report_update(f->tx, &r, &e));
    assert_int_equal(r.version, 2);
    struct store_report got;
    ASSERT_OK(store_report_get(f->tx, r.id, &f->a, &got, &e));
    assert_int_equal(got.version, 2);
    assert_int_equal(got.sent_at, 4000);
    assert_int_equal(got.sent_by, 7);
    assert_int_equal(got.due_at, 0);
    assert_true(got.complete);
    assert_string_equal(got.content, r.content);

    /* Someone else's version: 412; no such report: 404. */
    assert_int_equal(store_report_update(f->tx, &stale, &e), YJ_EPRECOND);
    stale.id += 100;
    assert_int_equal(store_report_update(f->tx, &stale, &e), YJ_ENOTFOUND);
}

static void test_list(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    enum inc_report_kind kinds[] = {INC_R_FIRST, INC_R_FOLLOWUP, INC_R_FOLLOWUP, INC_R_FINAL};
    int64_t ids[4];
    for (size_t k = 0; k < 4; k++) {
        struct store_report r = report(f->incident, kinds[k], 5000 + (int64_t)k);
        ASSERT_OK(store_report_insert(f->tx, &r, &e));
        ids[k] = r.id;
    }
    struct store_report *items;
    size_t n;
    ASSERT_OK(store_report_list(f->tx, f->incident, &f->a, &items, &n, &e));
    assert_int_equal(n, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(items[k].id, ids[k]);
        assert_int_equal(items[k].kind, kinds[k]);
    }
    ASSERT_OK(store_report_list(f->tx, f->incident + 100, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
