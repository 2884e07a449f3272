/*
 * test_store_units_page.c - the reads behind cached renderings: a page of ids and
 * versions (with the same filters as store_unit_list), one unit's summary, and a
 * unit's version alone, each of which must agree with the full reads and follow
 * every write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "store/store.h"

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
    int64_t ids[5];
};

static void insert(struct fx *f, int i, const char *name, const char *province)
{
    char code[19];
    /* 17 characters, then the check character the standard gives them. */
    snprintf(code, sizeof code, "91520200MA6D%05d", i);
    code[17] = unit_credit_code_check_char(code);
    code[18] = '\0';
    struct unit_capability caps[] = {{"emergency_handling", NULL}, {"monitoring_analysis", NULL}};
    struct unit_staff staff[3] = {{.name = "a"}, {.name = "b"}, {.name = "c"}};
    struct unit u = {.name = name,
                     .credit_code = code,
                     .registered_capital = -1,
                     .province = province,
                     .capabilities = caps,
                     .n_capabilities = 2,
                     .staff = staff,
                     .n_staff = (size_t)i % 4};
    struct yj_error e;
    struct store_tx *tx;
    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_insert(tx, &u, 1000 + i, &e), YJ_OK);
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    store_tx_end(tx);
    f->ids[i] = u.id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-page-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    assert_int_equal(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e), YJ_OK);
    insert(f, 0, "贵州甲安全公司", "贵州省");
    insert(f, 1, "贵州乙安全公司", "贵州省");
    insert(f, 2, "云南丙安全公司", "云南省");
    insert(f, 3, "贵州丁安全公司", "贵州省");
    insert(f, 4, "四川戊安全公司", "四川省");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static size_t page(struct fx *f, const struct store_unit_query *q, struct store_unit_ref **items,
                   struct yj_arena *a)
{
    struct yj_error e;
    struct store_tx *tx;
    size_t n = 0;
    assert_int_equal(store_read_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_page(tx, q, a, items, &n, &e), YJ_OK);
    store_tx_end(tx);
    return n;
}

static void test_page_matches_list(void **state)
{
    struct fx *f = *state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    const struct store_unit_query queries[] = {
        {.limit = 50},
        {.limit = 2},
        {.after_id = 2, .limit = 50},
        {.q = "贵州", .limit = 50},
        {.q = "91520200MA6D0000", .limit = 50},
        {.province = "贵州省", .limit = 50},
        {.only_id = 3, .limit = 50},
        {.q = "%", .limit = 50},
    };
    for (size_t k = 0; k < YJ_ARRAY_LEN(queries); k++) {
        struct store_unit_ref *refs;
        size_t n = page(f, &queries[k], &refs, &a);
        struct yj_error e;
        struct store_tx *tx;
        struct store_unit_summary *sum;
        size_t m = 0;
        assert_int_equal(store_read_begin(f->st, &tx, &e), YJ_OK);
        assert_int_equal(store_unit_list(tx, &queries[k], &a, &sum, &m, &e), YJ_OK);
        store_tx_end(tx);
        assert_int_equal(n, m);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(refs[i].id, sum[i].id);
            assert_int_equal(refs[i].version, sum[i].version);
        }
    }
    struct store_unit_ref *refs;
    assert_int_equal(page(f, &queries[3], &refs, &a), 3);
    assert_int_equal(page(f, &queries[2], &refs, &a), 3);
    assert_int_equal(page(f, &queries[7], &refs, &a), 0); /* wildcard matched literally */
    yj_arena_release(&a);
}

static void test_summary_get_and_version_follow_writes(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct store_tx *tx;
    struct store_unit_summary s;
    int64_t v = 0;
    assert_int_equal(store_read_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_summary_get(tx, f->ids[3], &a, &s, &e), YJ_OK);
    assert_int_equal(store_unit_version(tx, f->ids[3], &v, &e), YJ_OK);
    store_tx_end(tx);
    assert_string_equal(s.name, "贵州丁安全公司");
    assert_int_equal(s.staff_count, 3);
    assert_int_equal(s.n_capabilities, 2);
    /* In the reference order, whatever order they were given in. */
    assert_string_equal(s.capabilities[0], "monitoring_analysis");
    assert_string_equal(s.capabilities[1], "emergency_handling");
    assert_int_equal(v, 1);
    assert_int_equal(s.version, 1);

    struct unit u;
    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_get(tx, f->ids[3], false, &a, &u, &e), YJ_OK);
    u.name = "贵州丁安全公司（更名）";
    u.n_staff = 1;
    u.n_capabilities = 0;
    assert_int_equal(store_unit_update(tx, &u, 1, 5000, &e), YJ_OK);
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    store_tx_end(tx);

    assert_int_equal(store_read_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_summary_get(tx, f->ids[3], &a, &s, &e), YJ_OK);
    assert_int_equal(store_unit_version(tx, f->ids[3], &v, &e), YJ_OK);
    store_tx_end(tx);
    assert_int_equal(v, 2);
    assert_int_equal(s.version, 2);
    assert_string_equal(s.name, "贵州丁安全公司（更名）");
    assert_int_equal(s.staff_count, 1);
    assert_int_equal(s.n_capabilities, 0);

    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_delete(tx, f->ids[3], 2, 6000, &e), YJ_OK);
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    store_tx_end(tx);
    assert_int_equal(store_read_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_unit_summary_get(tx, f->ids[3], &a, &s, &e), YJ_ENOTFOUND);
    assert_int_equal(store_unit_version(tx, f->ids[3], &v, &e), YJ_ENOTFOUND);
    assert_int_equal(store_unit_version(tx, 9999, &v, &e), YJ_ENOTFOUND);
    store_tx_end(tx);
    struct store_unit_query all = {.limit = 50};
    struct store_unit_ref *refs;
    assert_int_equal(page(f, &all, &refs, &a), 4);
    yj_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_page_matches_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_get_and_version_follow_writes, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
