/*
 * test_store.c - opening a data directory (create, missing, schema behind the
 * binary, read-only), the migration list, settings, transactions (a rollback
 * leaves nothing, a read transaction keeps its snapshot while another
 * connection commits), backup and ping. Each test gets its own mkdtemp dir.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/yj.h"
#include "store/store.h"

/* A call that must succeed; names the error otherwise. Needs `struct yj_error e`. */
#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

/* ---- temporary directories ---- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static char *tmpdir_new(void)
{
    char tmpl[] = "/tmp/yj-ut-store-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *dir = strdup(tmpl);
    assert_non_null(dir);
    return dir;
}

static void tmpdir_free(char *dir)
{
    if (!dir)
        return;
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* ---- fixture: a migrated store in a fresh directory ---- */

struct fx {
    char *dir;
    struct store *st;
    struct yj_arena a;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tmpdir_new();
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
    tmpdir_free(f->dir);
    free(f);
    return 0;
}

static struct store_tx *wbegin(struct store *st)
{
    struct store_tx *tx = NULL;
    struct yj_error e;
    ASSERT_OK(store_write_begin(st, &tx, &e));
    return tx;
}

static struct store_tx *rbegin(struct store *st)
{
    struct store_tx *tx = NULL;
    struct yj_error e;
    ASSERT_OK(store_read_begin(st, &tx, &e));
    return tx;
}

static void commit(struct store_tx *tx)
{
    struct yj_error e;
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
}

static struct store_user make_user(const char *name)
{
    return (struct store_user){
        .username = name,
        .role = "authority",
        .password_hash = "$argon2id$dummy",
        .created_at = 1000,
        .updated_at = 1000,
    };
}

static int64_t count_users(struct store *st)
{
    struct store_tx *tx = rbegin(st);
    struct yj_error e;
    int64_t n = -1;
    ASSERT_OK(store_user_count(tx, &n, &e));
    store_tx_end(tx);
    return n;
}

/* ---- opening ---- */

static void test_open_create(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    char *data = path_join(dir, "data"); /* does not exist yet: STORE_CREATE makes it */
    struct store *st = NULL;
    struct yj_error e;
    assert_false(store_exists(data));
    ASSERT_OK(store_open(data, STORE_CREATE | STORE_MIGRATE, &st, &e));
    assert_non_null(st);
    assert_true(store_exists(data));
    ASSERT_OK(store_ping(st, &e));
    /* The directory and the database are private to the owner. */
    struct stat sb;
    assert_int_equal(stat(data, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    char *db = path_join(data, STORE_DB_FILE);
    assert_int_equal(stat(db, &sb), 0);
    assert_int_equal(sb.st_mode & 0077, 0);
    store_close(st);
    /* Opening again needs neither flag. */
    st = NULL;
    ASSERT_OK(store_open(data, 0, &st, &e));
    assert_int_equal(count_users(st), 0);
    store_close(st);
    store_close(NULL); /* a no-op */
    free(db);
    free(data);
    tmpdir_free(dir);
}

static void test_open_missing(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct store *st = (struct store *)(uintptr_t)1;
    struct yj_error e;
    assert_int_equal(store_open(dir, 0, &st, &e), YJ_ENOTFOUND);
    assert_null(st);
    assert_string_equal(e.field, "data");
    assert_non_null(strstr(e.msg, "yingji init"));
    assert_int_equal(store_open(dir, STORE_MIGRATE, &st, &e), YJ_ENOTFOUND);
    /* Nothing was created by the refusal. */
    assert_false(store_exists(dir));
    tmpdir_free(dir);
}

static void test_open_schema_behind(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct store *st = NULL;
    struct yj_error e;
    /* A new database without MIGRATE has schema 0, behind the binary. */
    assert_int_equal(store_open(dir, STORE_CREATE, &st, &e), YJ_EINVAL);
    assert_null(st);
    assert_string_equal(e.field, "data");
    assert_non_null(strstr(e.msg, "yingji migrate"));
    /* Still behind when reopened without MIGRATE. */
    assert_int_equal(store_open(dir, 0, &st, &e), YJ_EINVAL);
    ASSERT_OK(store_open(dir, STORE_MIGRATE, &st, &e));
    store_close(st);
    ASSERT_OK(store_open(dir, 0, &st, &e));
    store_close(st);
    tmpdir_free(dir);
}

static void test_open_readonly(void **state)
{
    struct fx *f = *state;
    struct store *ro = NULL;
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_READONLY, &ro, &e));
    struct store_tx *tx = NULL;
    assert_int_equal(store_write_begin(ro, &tx, &e), YJ_EPERM);
    assert_null(tx);
    tx = rbegin(ro);
    int64_t n = -1;
    ASSERT_OK(store_user_count(tx, &n, &e));
    assert_int_equal(n, 0);
    store_tx_end(tx);
    store_close(ro);
}

/* ---- migrations ---- */

static void test_migrations_status(void **state)
{
    struct fx *f = *state;
    struct store_migration_info info[16];
    size_t n = 99;
    struct yj_error e;
    ASSERT_OK(store_migrations(f->st, info, YJ_ARRAY_LEN(info), &n, &e));
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(info[i].version, (int)i + 1); /* dense from 1, in order */
        assert_non_null(info[i].name);
        assert_true(info[i].name[0] != '\0');
        assert_true(info[i].applied_at > 0); /* all applied by the fixture */
    }
    /* max bounds what is written. */
    size_t m = 99;
    ASSERT_OK(store_migrations(f->st, info, 0, &m, &e));
    assert_int_equal(m, 0);
    ASSERT_OK(store_migrations(f->st, info, 1, &m, &e));
    assert_int_equal(m, 1);
    /* Migrating an up-to-date database applies nothing and changes nothing. */
    int applied = -1;
    ASSERT_OK(store_migrate(f->st, &applied, &e));
    assert_int_equal(applied, 0);
    ASSERT_OK(store_migrate(f->st, NULL, &e));
    struct store_migration_info again[16];
    size_t n2 = 0;
    ASSERT_OK(store_migrations(f->st, again, YJ_ARRAY_LEN(again), &n2, &e));
    assert_int_equal(n2, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(again[i].applied_at, info[i].applied_at);
}

/* ---- settings ---- */

static void test_settings(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = wbegin(f->st);
    char untouched[] = "untouched";
    char *v = untouched;
    assert_int_equal(store_setting_get(tx, "color", &f->a, &v, &e), YJ_ENOTFOUND);
    assert_ptr_equal(v, untouched);
    ASSERT_OK(store_setting_set(tx, "color", "blue", &e));
    ASSERT_OK(store_setting_get(tx, "color", &f->a, &v, &e));
    assert_string_equal(v, "blue");
    /* Setting again replaces. */
    ASSERT_OK(store_setting_set(tx, "color", "红色", &e));
    ASSERT_OK(store_setting_set(tx, "empty", "", &e));
    commit(tx);
    tx = rbegin(f->st);
    ASSERT_OK(store_setting_get(tx, "color", &f->a, &v, &e));
    assert_string_equal(v, "红色");
    ASSERT_OK(store_setting_get(tx, "empty", &f->a, &v, &e));
    assert_string_equal(v, "");
    assert_int_equal(store_setting_get(tx, "Color", &f->a, &v, &e), YJ_ENOTFOUND);
    store_tx_end(tx);
}

/* ---- transactions ---- */

static void test_rollback_leaves_nothing(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = wbegin(f->st);
    struct store_user u = make_user("ghost");
    ASSERT_OK(store_user_insert(tx, &u, &e));
    ASSERT_OK(store_setting_set(tx, "ghost", "1", &e));
    /* The transaction sees its own writes... */
    int64_t n = 0;
    ASSERT_OK(store_user_count(tx, &n, &e));
    assert_int_equal(n, 1);
    store_tx_end(tx); /* ...which vanish without a commit. */
    assert_int_equal(count_users(f->st), 0);
    tx = rbegin(f->st);
    char *v;
    assert_int_equal(store_setting_get(tx, "ghost", &f->a, &v, &e), YJ_ENOTFOUND);
    struct store_user got;
    assert_int_equal(store_user_get_by_name(tx, "ghost", &f->a, &got, &e), YJ_ENOTFOUND);
    store_tx_end(tx);
    store_tx_end(NULL); /* a no-op */
    /* The write lock was given back: another write goes through. */
    tx = wbegin(f->st);
    u = make_user("real");
    ASSERT_OK(store_user_insert(tx, &u, &e));
    commit(tx);
    assert_int_equal(count_users(f->st), 1);
}

static void test_read_snapshot(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = wbegin(f->st);
    struct store_user u = make_user("first");
    ASSERT_OK(store_user_insert(tx, &u, &e));
    commit(tx);

    /* The reader's snapshot starts with its first read. */
    struct store_tx *rd = rbegin(f->st);
    int64_t n = 0;
    ASSERT_OK(store_user_count(rd, &n, &e));
    assert_int_equal(n, 1);

    /* A writer on another connection of the same store commits meanwhile. */
    tx = wbegin(f->st);
    u = make_user("second");
    ASSERT_OK(store_user_insert(tx, &u, &e));
    commit(tx);

    /* And another process (a second store on the same file) too. */
    struct store *other = NULL;
    ASSERT_OK(store_open(f->dir, 0, &other, &e));
    tx = wbegin(other);
    u = make_user("third");
    ASSERT_OK(store_user_insert(tx, &u, &e));
    ASSERT_OK(store_setting_set(tx, "k", "v", &e));
    commit(tx);
    store_close(other);

    /* The open reader still sees the world as it was. */
    ASSERT_OK(store_user_count(rd, &n, &e));
    assert_int_equal(n, 1);
    struct store_user got;
    assert_int_equal(store_user_get_by_name(rd, "second", &f->a, &got, &e), YJ_ENOTFOUND);
    char *v;
    assert_int_equal(store_setting_get(rd, "k", &f->a, &v, &e), YJ_ENOTFOUND);
    ASSERT_OK(store_tx_commit(rd, &e));
    store_tx_end(rd);

    /* A new reader sees everything. */
    assert_int_equal(count_users(f->st), 3);
}

/* ---- backup and ping ---- */

static void test_backup(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = wbegin(f->st);
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "user%d", i);
        struct store_user u = make_user(name);
        ASSERT_OK(store_user_insert(tx, &u, &e));
    }
    ASSERT_OK(store_setting_set(tx, "csrf_key", "abc", &e));
    commit(tx);

    char *bdir = tmpdir_new();
    char *to = path_join(bdir, STORE_DB_FILE);
    ASSERT_OK(store_backup(f->st, to, &e));
    /* No partial file is left behind. */
    char *partial = path_join(bdir, STORE_DB_FILE ".partial");
    assert_int_not_equal(access(partial, F_OK), 0);

    /* A write after the backup is not in it. */
    tx = wbegin(f->st);
    struct store_user late = make_user("late");
    ASSERT_OK(store_user_insert(tx, &late, &e));
    commit(tx);

    /* The copy is a database this binary opens as is, with the same rows. */
    struct store *copy = NULL;
    ASSERT_OK(store_open(bdir, 0, &copy, &e));
    tx = rbegin(copy);
    int64_t n = 0;
    ASSERT_OK(store_user_count(tx, &n, &e));
    assert_int_equal(n, 5);
    struct store_user *list;
    size_t got = 0;
    struct store_user_query q = {.limit = 10};
    ASSERT_OK(store_user_list(tx, &q, &f->a, &list, &got, &e));
    assert_int_equal(got, 5);
    for (size_t i = 0; i < got; i++) {
        char name[32];
        snprintf(name, sizeof name, "user%zu", i);
        assert_string_equal(list[i].username, name);
    }
    char *v;
    ASSERT_OK(store_setting_get(tx, "csrf_key", &f->a, &v, &e));
    assert_string_equal(v, "abc");
    store_tx_end(tx);
    ASSERT_OK(store_ping(copy, &e));
    store_close(copy);

    /* A backup into a directory that does not exist fails cleanly. */
    char *bad = path_join(bdir, "missing/dir/copy.db");
    assert_int_equal(store_backup(f->st, bad, &e), YJ_EIO);
    assert_string_equal(e.field, "to");
    free(bad);
    free(partial);
    free(to);
    tmpdir_free(bdir);
}

static void test_ping(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    ASSERT_OK(store_ping(f->st, &e));
    /* Ping works while a write transaction is open on another connection. */
    struct store_tx *tx = wbegin(f->st);
    ASSERT_OK(store_ping(f->st, &e));
    store_tx_end(tx);
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_create),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_schema_behind),
        cmocka_unit_test_setup_teardown(test_open_readonly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrations_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ping, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
