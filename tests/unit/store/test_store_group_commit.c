/*
 * test_store_group_commit.c - write transactions sharing COMMITs: a writer that
 * finishes while another waits is made durable by the other's COMMIT; a member
 * that fails rolls back only its own work; many concurrent writers all land,
 * in fewer COMMITs than transactions, with an intact audit chain.
 *
 * Threads are coordinated through the store's own counter of waiting writers
 * (store_int.h), never by sleeping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "core/yj.h"
#include "store/store_int.h"

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
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-group-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    assert_int_equal(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e), YJ_OK);
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

/* Inserts a user named name and its audit record in tx. */
static enum yj_err add_user(struct store_tx *tx, const char *name, struct yj_error *e)
{
    struct store_user u = {.username = name,
                           .role = "auditor",
                           .password_hash = "x",
                           .created_at = 1,
                           .updated_at = 1};
    enum yj_err rc = store_user_insert(tx, &u, e);
    struct audit_entry a = {
        .actor = "test", .action = "user.create", .object_type = "user", .object_id = name};
    return rc ? rc : audit_append(tx, &a, 1, e);
}

static bool user_exists(struct store *st, const char *name)
{
    struct yj_error e;
    struct store_tx *tx;
    struct yj_arena a;
    struct store_user u;
    yj_arena_init(&a, 0);
    assert_int_equal(store_read_begin(st, &tx, &e), YJ_OK);
    bool found = store_user_get_by_name(tx, name, &a, &u, &e) == YJ_OK;
    store_tx_end(tx);
    yj_arena_release(&a);
    return found;
}

static void wait_for_waiters(struct store *st, int n)
{
    while (__atomic_load_n(&st->writers_waiting, __ATOMIC_ACQUIRE) < n)
        sched_yield();
}

struct writer {
    struct store *st;
    const char *name;
    enum yj_err begin_rc, write_rc, commit_rc;
    bool commit; /* false: end without committing (a failed request) */
};

static void *write_one(void *arg)
{
    struct writer *w = arg;
    struct yj_error e;
    struct store_tx *tx = NULL;
    w->begin_rc = store_write_begin(w->st, &tx, &e);
    if (w->begin_rc)
        return NULL;
    w->write_rc = add_user(tx, w->name, &e);
    if (w->commit && !w->write_rc)
        w->commit_rc = store_tx_commit(tx, &e);
    store_tx_end(tx);
    return NULL;
}

/* Holds the write lock in tx, starts w on a thread, and returns once w waits for it. */
static void start_second_writer(struct fx *f, struct writer *w, pthread_t *t)
{
    w->st = f->st;
    assert_int_equal(pthread_create(t, NULL, write_one, w), 0);
    wait_for_waiters(f->st, 1);
}

static void test_deferred_writer_made_durable_by_the_next(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_stats before, after;
    store_stats(f->st, &before);
    struct store_tx *tx;
    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(add_user(tx, "first", &e), YJ_OK);
    struct writer w = {.name = "second", .commit = true};
    pthread_t t;
    start_second_writer(f, &w, &t);
    /* Someone waits: this commit defers to the second writer's and returns only
     * once that COMMIT has made both durable. */
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    store_tx_end(tx);
    pthread_join(t, NULL);
    assert_int_equal(w.commit_rc, YJ_OK);
    assert_true(user_exists(f->st, "first"));
    assert_true(user_exists(f->st, "second"));
    store_stats(f->st, &after);
    assert_int_equal(after.write_transactions - before.write_transactions, 2);
    assert_int_equal(after.commits - before.commits, 1);
    struct audit_verify_result r;
    assert_int_equal(audit_verify(f->st, &r, &e), YJ_OK);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.records, 2);
}

static void test_failed_member_leaves_the_group_alone(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx;
    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(add_user(tx, "kept", &e), YJ_OK);
    /* The second writer inserts a duplicate username: its request fails. */
    struct writer w = {.name = "kept", .commit = true};
    pthread_t t;
    start_second_writer(f, &w, &t);
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    store_tx_end(tx);
    pthread_join(t, NULL);
    assert_int_equal(w.begin_rc, YJ_OK);
    assert_int_equal(w.write_rc, YJ_ECONFLICT);
    assert_true(user_exists(f->st, "kept"));
    struct audit_verify_result r;
    assert_int_equal(audit_verify(f->st, &r, &e), YJ_OK);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.records, 1); /* the failed writer's audit record is gone too */
}

static void test_abandoned_member_then_commit(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx;
    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(add_user(tx, "durable", &e), YJ_OK);
    /* The second writer writes, then gives up without committing. */
    struct writer w = {.name = "abandoned", .commit = false};
    pthread_t t;
    start_second_writer(f, &w, &t);
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    store_tx_end(tx);
    pthread_join(t, NULL);
    assert_int_equal(w.write_rc, YJ_OK);
    assert_true(user_exists(f->st, "durable"));
    assert_false(user_exists(f->st, "abandoned"));
}

static void test_lone_writer_commits_at_once(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_stats before, after;
    store_stats(f->st, &before);
    struct store_tx *tx;
    assert_int_equal(store_write_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(add_user(tx, "alone", &e), YJ_OK);
    assert_int_equal(store_tx_commit(tx, &e), YJ_OK);
    /* Durable before the transaction even ends: another connection sees it. */
    assert_true(user_exists(f->st, "alone"));
    store_tx_end(tx);
    store_stats(f->st, &after);
    assert_int_equal(after.commits - before.commits, 1);
}

enum { THREADS = 8, PER_THREAD = 40 };

struct many {
    struct store *st;
    int index;
    int failures;
};

static void *write_many(void *arg)
{
    struct many *m = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char name[32];
        snprintf(name, sizeof name, "u%d_%d", m->index, i);
        struct writer w = {.st = m->st, .name = name, .commit = true};
        write_one(&w);
        if (w.begin_rc || w.write_rc || w.commit_rc)
            m->failures++;
    }
    return NULL;
}

static void test_many_concurrent_writers(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_stats before, s;
    store_stats(f->st, &before);
    pthread_t t[THREADS];
    struct many m[THREADS];
    for (int i = 0; i < THREADS; i++) {
        m[i] = (struct many){f->st, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, write_many, &m[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(m[i].failures, 0);
    }
    struct store_tx *tx;
    int64_t n = 0;
    assert_int_equal(store_read_begin(f->st, &tx, &e), YJ_OK);
    assert_int_equal(store_user_count(tx, &n, &e), YJ_OK);
    store_tx_end(tx);
    assert_int_equal(n, THREADS * PER_THREAD);
    struct audit_verify_result r;
    assert_int_equal(audit_verify(f->st, &r, &e), YJ_OK);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.records, THREADS * PER_THREAD);
    store_stats(f->st, &s);
    assert_int_equal(s.write_transactions - before.write_transactions, THREADS * PER_THREAD);
    assert_true(s.commits - before.commits <= THREADS * PER_THREAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deferred_writer_made_durable_by_the_next, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failed_member_leaves_the_group_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abandoned_member_then_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lone_writer_commits_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_concurrent_writers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
