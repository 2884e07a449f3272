/*
 * test_store_audit.c - audit rows as the store keeps them (hashing is
 * src/audit's, tested there): the tail and the separately kept head, insert,
 * list with each filter (object, actor, time range with from inclusive and to
 * exclusive) and newest-first keyset paging, and the in-order walk.
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
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-saudit-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
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

/* The rows the tests share: seq i at time 1000 * i. */
static const struct {
    int64_t actor_id;
    const char *actor, *ip, *action, *otype, *oid;
} rows[] = {
    {0, "system", NULL, "system.init", "system", NULL},                /* 1 */
    {7, "alice", "10.0.0.1", "unit.create", "unit", "1"},              /* 2 */
    {7, "alice", "10.0.0.1", "unit.update", "unit", "1"},              /* 3 */
    {8, "bob", "10.0.0.2", "unit.create", "unit", "2"},                /* 4 */
    {7, "alice", "10.0.0.1", "user.create", "user", "1"},              /* 5 */
    {8, "bob", "2001:db8::1", "unit.update", "unit", "1"},             /* 6 */
    {0, "anonymous", "10.0.0.9", "session.login_failed", "user", "7"}, /* 7 */
};

static void insert_row(struct fx *f, int64_t seq)
{
    struct yj_error e;
    char *prev = yj_arena_printf(&f->a, "%064lld", (long long)(seq - 1));
    char *hash = yj_arena_printf(&f->a, "%064lld", (long long)seq);
    size_t i = (size_t)(seq - 1) % YJ_ARRAY_LEN(rows);
    struct store_audit_row r = {
        .seq = seq,
        .at = 1000 * seq,
        .actor_id = rows[i].actor_id,
        .actor = rows[i].actor,
        .source_ip = rows[i].ip,
        .action = rows[i].action,
        .object_type = rows[i].otype,
        .object_id = rows[i].oid,
        .changes = "{\"k\":1}",
        .alg = "sha256",
        .prev_hash = prev,
        .hash = hash,
    };
    ASSERT_OK(store_audit_insert(f->tx, &r, &e));
}

static void insert_all(struct fx *f)
{
    for (int64_t s = 1; s <= (int64_t)YJ_ARRAY_LEN(rows); s++)
        insert_row(f, s);
}

/* The seqs a query returns, as "7,6,5". */
static void assert_seqs(struct fx *f, const struct store_audit_query *q, const char *want)
{
    struct yj_error e;
    struct store_audit_row *items = NULL;
    size_t n = 0;
    ASSERT_OK(store_audit_list(f->tx, q, &f->a, &items, &n, &e));
    char got[256] = "";
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(got + off, sizeof got - off, "%s%lld", i ? "," : "",
                                (long long)items[i].seq);
    if (strcmp(got, want) != 0)
        fail_msg("got \"%s\", want \"%s\"", got, want);
}

static void test_tail_empty(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t seq = -1, head_seq = -1;
    char *hash = (char *)(uintptr_t)1, *head_hash = (char *)(uintptr_t)1;
    ASSERT_OK(store_audit_tail(f->tx, &f->a, &seq, &hash, &head_seq, &head_hash, &e));
    assert_int_equal(seq, 0);
    assert_null(hash);
    assert_int_equal(head_seq, 0);
    assert_null(head_hash);
    struct store_audit_row *items;
    size_t n = 9;
    ASSERT_OK(
        store_audit_list(f->tx, &(struct store_audit_query){.limit = 10}, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
}

static void test_insert_and_tail(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    insert_row(f, 1);
    insert_row(f, 2);
    int64_t seq, head_seq;
    char *hash, *head_hash;
    ASSERT_OK(store_audit_tail(f->tx, &f->a, &seq, &hash, &head_seq, &head_hash, &e));
    assert_int_equal(seq, 2);
    assert_int_equal(head_seq, 2);
    assert_string_equal(hash, "0000000000000000000000000000000000000000000000000000000000000002");
    assert_string_equal(head_hash, hash);

    /* Every field round-trips, NULLs included. */
    struct store_audit_row *items;
    size_t n = 0;
    ASSERT_OK(
        store_audit_list(f->tx, &(struct store_audit_query){.limit = 10}, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    const struct store_audit_row *r = &items[1]; /* newest first: seq 1 is last */
    assert_int_equal(r->seq, 1);
    assert_int_equal(r->at, 1000);
    assert_int_equal(r->actor_id, 0);
    assert_string_equal(r->actor, "system");
    assert_null(r->source_ip);
    assert_string_equal(r->action, "system.init");
    assert_string_equal(r->object_type, "system");
    assert_null(r->object_id);
    assert_string_equal(r->changes, "{\"k\":1}");
    assert_string_equal(r->alg, "sha256");
    assert_string_equal(r->prev_hash,
                        "0000000000000000000000000000000000000000000000000000000000000000");
    r = &items[0];
    assert_int_equal(r->seq, 2);
    assert_int_equal(r->actor_id, 7);
    assert_string_equal(r->actor, "alice");
    assert_string_equal(r->source_ip, "10.0.0.1");
    assert_string_equal(r->object_id, "1");

    /* A seq that is taken is refused, and the head does not move. */
    struct store_audit_row dup = *r;
    dup.hash = "ffff";
    assert_int_equal(store_audit_insert(f->tx, &dup, &e), YJ_ECONFLICT);
    ASSERT_OK(store_audit_tail(f->tx, &f->a, &seq, &hash, &head_seq, &head_hash, &e));
    assert_int_equal(head_seq, 2);
    assert_string_equal(head_hash, hash);
}

static void test_list_filters(void **state)
{
    struct fx *f = *state;
    insert_all(f);
    assert_seqs(f, &(struct store_audit_query){.limit = 50}, "7,6,5,4,3,2,1");
    /* Object: type alone, and type with id. */
    assert_seqs(f, &(struct store_audit_query){.object_type = "unit", .limit = 50}, "6,4,3,2");
    assert_seqs(f,
                &(struct store_audit_query){.object_type = "unit", .object_id = "1", .limit = 50},
                "6,3,2");
    assert_seqs(
        f, &(struct store_audit_query){.object_type = "user", .object_id = "1", .limit = 50}, "5");
    assert_seqs(
        f, &(struct store_audit_query){.object_type = "unit", .object_id = "9", .limit = 50}, "");
    assert_seqs(f, &(struct store_audit_query){.object_id = "7", .limit = 50}, "7");
    /* Actor by id (0 means any). */
    assert_seqs(f, &(struct store_audit_query){.actor_id = 7, .limit = 50}, "5,3,2");
    assert_seqs(f, &(struct store_audit_query){.actor_id = 8, .limit = 50}, "6,4");
    assert_seqs(f, &(struct store_audit_query){.actor_id = 99, .limit = 50}, "");
    /* Time: from inclusive, to exclusive; each alone too. */
    assert_seqs(f, &(struct store_audit_query){.from = 3000, .to = 5000, .limit = 50}, "4,3");
    assert_seqs(f, &(struct store_audit_query){.from = 3001, .to = 5001, .limit = 50}, "5,4");
    assert_seqs(f, &(struct store_audit_query){.from = 6000, .limit = 50}, "7,6");
    assert_seqs(f, &(struct store_audit_query){.to = 2000, .limit = 50}, "1");
    assert_seqs(f, &(struct store_audit_query){.from = 4000, .to = 4000, .limit = 50}, "");
    /* Filters combine. */
    assert_seqs(f,
                &(struct store_audit_query){
                    .object_type = "unit", .actor_id = 7, .from = 2500, .limit = 50},
                "3");
}

static void test_list_paging(void **state)
{
    struct fx *f = *state;
    insert_all(f);
    /* Newest first, then before the last seq seen. */
    assert_seqs(f, &(struct store_audit_query){.limit = 3}, "7,6,5");
    assert_seqs(f, &(struct store_audit_query){.before_seq = 5, .limit = 3}, "4,3,2");
    assert_seqs(f, &(struct store_audit_query){.before_seq = 2, .limit = 3}, "1");
    assert_seqs(f, &(struct store_audit_query){.before_seq = 1, .limit = 3}, "");
    /* Paging within a filter. */
    assert_seqs(f, &(struct store_audit_query){.object_type = "unit", .limit = 2}, "6,4");
    assert_seqs(f, &(struct store_audit_query){.object_type = "unit", .before_seq = 4, .limit = 2},
                "3,2");
    /* A non-positive limit still returns at most one row. */
    assert_seqs(f, &(struct store_audit_query){.limit = 0}, "7");
}

struct walk {
    int64_t seen[16];
    int n;
    int stop_at;
};

static enum yj_err walk_fn(const struct store_audit_row *r, void *ctx)
{
    struct walk *w = ctx;
    w->seen[w->n++] = r->seq;
    assert_non_null(r->actor);
    assert_non_null(r->hash);
    return r->seq == w->stop_at ? YJ_ECONFLICT : YJ_OK;
}

static void test_each(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    insert_all(f);
    struct walk w = {.stop_at = -1};
    ASSERT_OK(store_audit_each(f->tx, walk_fn, &w, &e));
    assert_int_equal(w.n, 7);
    for (int i = 0; i < w.n; i++)
        assert_int_equal(w.seen[i], i + 1); /* seq order */
    /* The callback's error stops the walk and is returned. */
    w = (struct walk){.stop_at = 3};
    assert_int_equal(store_audit_each(f->tx, walk_fn, &w, &e), YJ_ECONFLICT);
    assert_int_equal(w.n, 3);
}

static void test_rows_survive_commit(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    insert_all(f);
    ASSERT_OK(store_tx_commit(f->tx, &e));
    store_tx_end(f->tx);
    f->tx = NULL;
    ASSERT_OK(store_read_begin(f->st, &f->tx, &e));
    int64_t seq, head_seq;
    char *hash, *head_hash;
    ASSERT_OK(store_audit_tail(f->tx, &f->a, &seq, &hash, &head_seq, &head_hash, &e));
    assert_int_equal(seq, 7);
    assert_int_equal(head_seq, 7);
    assert_seqs(f, &(struct store_audit_query){.actor_id = 8, .limit = 50}, "6,4");
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_tail_empty), T(test_insert_and_tail),     T(test_list_filters), T(test_list_paging),
        T(test_each),       T(test_rows_survive_commit),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
