/*
 * test_store_indicators.c - the batch write of an import (store_indicators_import):
 * a batch of many rows, with values repeated inside it and values stored already,
 * gives exactly the rows, sources, tags and counts that importing the same rows one
 * at a time gives (ids in order of first appearance, versions counting every row,
 * sightings, first/last seen, expiry, confidence and description merged, a
 * warning-listed value flagged); a batch big enough to be written in index order the
 * same but for the ids; and the merge rules of one value on their own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "intel/intel_exchange.h"
#include "store/store_indicators.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

static const int64_t NOW = 1700000000000;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Two migrated stores in fresh directories, and a warning list covering 10.0.1.0/24. */
struct fx {
    char dir[2][64];
    struct store *st[2];
    struct yj_arena a;
    struct intel_warninglists *wl;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    struct yj_error e;
    for (int i = 0; i < 2; i++) {
        snprintf(f->dir[i], sizeof f->dir[i], "/tmp/yj-ut-indicators-XXXXXX");
        assert_non_null(mkdtemp(f->dir[i]));
        ASSERT_OK(store_open(f->dir[i], STORE_CREATE | STORE_MIGRATE, &f->st[i], &e));
    }
    yj_arena_init(&f->a, 0);
    f->wl = intel_warninglists_new();
    assert_non_null(f->wl);
    static const char json[] = "{\"name\":\"lab\",\"type\":\"cidr\",\"list\":[\"10.0.1.0/24\"]}";
    ASSERT_OK(intel_warninglists_load_json(f->wl, json, strlen(json), "test", &e));
    ASSERT_OK(intel_warninglists_finish(f->wl, &e));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < 2; i++) {
        store_close(f->st[i]);
        nftw(f->dir[i], rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    intel_warninglists_free(f->wl);
    yj_arena_release(&f->a);
    free(f);
    return 0;
}

static uint64_t rng = 88172645463325252u;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* n rows over few values (so that many repeat), every field drawn at random. */
static void rows(struct yj_arena *a, struct intel_batch *b, size_t n, unsigned values)
{
    static const char *const tags[] = {"mirai", "elf", "c2", "scan", "phish"};
    static const char *const sources[] = {"feed-x", "feed-y"};
    struct yj_error e;
    for (size_t i = 0; i < n; i++) {
        struct intel_indicator ind;
        intel_template_init(&ind, NULL);
        unsigned v = rnd(values);
        if (v % 7 == 0) {
            ind.type = INTEL_DOMAIN;
            ind.value = yj_arena_printf(a, "host%u.example.com", v);
            ind.subdomains = rnd(2);
        } else {
            ind.type = INTEL_IPV4;
            ind.value = yj_arena_printf(a, "10.0.%u.%u", v / 250, v % 250);
        }
        ind.category = rnd(2) ? INTEL_CAT_BOTNET : INTEL_CAT_MALICIOUS_IP;
        ind.tlp = rnd(2) ? INTEL_TLP_GREEN : INTEL_TLP_AMBER;
        ind.confidence = (int)rnd(120) - 10;
        ind.sightings = rnd(4);
        ind.first_seen = rnd(3) ? 0 : 1000 + rnd(1000);
        ind.last_seen = rnd(3) ? 0 : 5000 + rnd(1000);
        ind.valid_until = rnd(3) ? 0 : 9000 + rnd(1000);
        ind.description = rnd(4) ? NULL : yj_arena_printf(a, "note %u", rnd(10));
        ind.source = rnd(5) ? NULL : sources[rnd(2)];
        for (unsigned t = rnd(4); t > 0; t--)
            intel_tag_add(&ind, tags[rnd(5)]);
        ASSERT_OK(intel_batch_add(b, a, &ind, &e));
    }
}

/* Rows [from, to) of b imported into st in batches of `each` rows, in one transaction. */
static void import(struct store *st, const struct intel_batch *b, size_t from, size_t to,
                   size_t each, const struct intel_warninglists *wl, struct store_import_counts *c)
{
    struct yj_error e;
    struct store_tx *tx = NULL;
    ASSERT_OK(store_write_begin(st, &tx, &e));
    for (size_t i = from; i < to; i += each) {
        struct intel_batch part = *b;
        part.items = b->items + i;
        part.n = to - i < each ? to - i : each;
        ASSERT_OK(store_indicators_import(tx, &part, "feed", 0, wl, NOW, c, &e));
    }
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
}

static void same_string(const char *x, const char *y)
{
    if (!x || !y)
        assert_ptr_equal(x, y);
    else
        assert_string_equal(x, y);
}

static int by_value(const void *x, const void *y)
{
    const struct store_indicator *a = x, *b = y;
    if (a->ind.type != b->ind.type)
        return a->ind.type < b->ind.type ? -1 : 1;
    return strcmp(a->ind.value, b->ind.value);
}

/* Every indicator of both stores, with its sources: equal field by field (ids too unless
 * by_values: then matched by value). */
static void same_stores(struct fx *f, bool by_values)
{
    struct yj_error e;
    struct store_tx *tx[2];
    struct store_indicator *items[2];
    size_t n[2];
    struct store_indicator_query q = {.now = NOW};
    for (int s = 0; s < 2; s++) {
        ASSERT_OK(store_read_begin(f->st[s], &tx[s], &e));
        ASSERT_OK(store_indicator_list(tx[s], &q, &f->a, &items[s], &n[s], &e));
    }
    assert_int_equal(n[0], n[1]);
    for (int s = 0; by_values && s < 2; s++)
        qsort(items[s], n[s], sizeof *items[s], by_value);
    for (size_t i = 0; i < n[0]; i++) {
        const struct store_indicator *x = &items[0][i], *y = &items[1][i];
        if (!by_values)
            assert_int_equal(x->id, y->id);
        assert_int_equal(x->version, y->version);
        assert_string_equal(x->ind.value, y->ind.value);
        assert_int_equal(x->ind.type, y->ind.type);
        assert_int_equal(x->ind.subdomains, y->ind.subdomains);
        assert_int_equal(x->ind.category, y->ind.category);
        assert_int_equal(x->ind.confidence, y->ind.confidence);
        assert_int_equal(x->ind.tlp, y->ind.tlp);
        assert_int_equal(x->ind.first_seen, y->ind.first_seen);
        assert_int_equal(x->ind.last_seen, y->ind.last_seen);
        assert_int_equal(x->ind.valid_until, y->ind.valid_until);
        assert_int_equal(x->ind.sightings, y->ind.sightings);
        same_string(x->ind.description, y->ind.description);
        same_string(x->flagged_by, y->flagged_by);
        assert_int_equal(x->ind.n_tags, y->ind.n_tags);
        for (size_t t = 0; t < x->ind.n_tags; t++)
            assert_string_equal(x->ind.tags[t], y->ind.tags[t]);
        struct store_indicator_source *src[2];
        size_t ns[2];
        for (int s = 0; s < 2; s++)
            ASSERT_OK(
                store_indicator_sources(tx[s], s ? y->id : x->id, &f->a, &src[s], &ns[s], &e));
        assert_int_equal(ns[0], ns[1]);
        for (size_t k = 0; k < ns[0]; k++) {
            assert_string_equal(src[0][k].source, src[1][k].source);
            assert_int_equal(src[0][k].count, src[1][k].count);
            assert_int_equal(src[0][k].first_imported, src[1][k].first_imported);
            assert_int_equal(src[0][k].last_imported, src[1][k].last_imported);
        }
    }
    store_tx_end(tx[0]);
    store_tx_end(tx[1]);
}

/* Many rows at once, over values both new and stored, as they are one by one. */
static void test_batch_as_rows(void **state)
{
    struct fx *f = *state;
    struct intel_batch b;
    intel_batch_init(&b);
    /* Enough distinct values for several multi-row statements, some of which meet values
     * stored by the first import and must look them up. */
    rows(&f->a, &b, 3000, 1500);
    struct store_import_counts whole = {0}, single = {0};
    import(f->st[0], &b, 0, 800, 800, f->wl, &whole);
    import(f->st[0], &b, 800, b.n, b.n, f->wl, &whole);
    import(f->st[1], &b, 0, b.n, 1, f->wl, &single);
    assert_int_equal(whole.imported, single.imported);
    assert_int_equal(whole.merged, single.merged);
    assert_int_equal(whole.flagged, single.flagged);
    assert_int_equal(whole.imported + whole.merged + whole.flagged, b.n);
    assert_true(whole.flagged > 0);
    assert_true(whole.merged > 0);
    same_stores(f, false);
}

/* Few values stored already among many new ones: a statement that skips one or two of its
 * rows finds them by a binary search (the first row, the last, any between), not one
 * look-up per row; the same as one by one. */
static void test_few_stored(void **state)
{
    struct fx *f = *state;
    struct intel_batch b;
    intel_batch_init(&b);
    rows(&f->a, &b, 6000, 5000);
    struct store_import_counts whole = {0}, single = {0};
    /* Every 97th row first: a value or two stored per statement of the batch. */
    for (size_t i = 0; i < b.n; i += 97) {
        import(f->st[0], &b, i, i + 1, 1, f->wl, &whole);
        import(f->st[1], &b, i, i + 1, 1, f->wl, &single);
    }
    import(f->st[0], &b, 0, b.n, b.n, f->wl, &whole);
    import(f->st[1], &b, 0, b.n, 1, f->wl, &single);
    assert_int_equal(whole.imported, single.imported);
    assert_int_equal(whole.merged, single.merged);
    assert_int_equal(whole.flagged, single.flagged);
    same_stores(f, false);
}

static int by_id(const void *x, const void *y)
{
    const struct store_indicator *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The indicators of st ordered by id; *n of them. */
static struct store_indicator *all_by_id(struct fx *f, struct store *st, size_t *n)
{
    struct yj_error e;
    struct store_tx *tx;
    struct store_indicator *items;
    struct store_indicator_query q = {.now = NOW};
    ASSERT_OK(store_read_begin(st, &tx, &e));
    ASSERT_OK(store_indicator_list(tx, &q, &f->a, &items, n, &e));
    store_tx_end(tx);
    qsort(items, *n, sizeof *items, by_id);
    return items;
}

/* A batch of more than 20,000 values is written in index order: the same but for ids, and
 * the values it added have ids in the order of the (type, value) index. */
static void test_big_batch(void **state)
{
    struct fx *f = *state;
    struct intel_batch b;
    intel_batch_init(&b);
    rows(&f->a, &b, 34000, 60000);
    struct store_import_counts whole = {0}, single = {0};
    import(f->st[0], &b, 0, 4000, 4000, f->wl, &whole);
    size_t before;
    all_by_id(f, f->st[0], &before);
    import(f->st[0], &b, 4000, b.n, b.n, f->wl, &whole);
    import(f->st[1], &b, 0, b.n, 1, f->wl, &single);
    assert_int_equal(whole.imported, single.imported);
    assert_int_equal(whole.merged, single.merged);
    assert_int_equal(whole.flagged, single.flagged);
    assert_true(whole.imported > 20000);
    same_stores(f, true);

    size_t n;
    const struct store_indicator *items = all_by_id(f, f->st[0], &n);
    assert_true(n > before + 20000);
    for (size_t i = before + 1; i < n; i++) {
        const struct intel_indicator *x = &items[i - 1].ind, *y = &items[i].ind;
        int c = strcmp(intel_type_code(x->type), intel_type_code(y->type));
        assert_true(c < 0 || (c == 0 && strcmp(x->value, y->value) < 0));
    }
}

/* One value's rows merged: the rules spelled out. */
static void test_merge_rules(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct intel_batch b;
    intel_batch_init(&b);
    struct intel_indicator ind;
    intel_template_init(&ind, NULL);
    ind.type = INTEL_IPV4;
    ind.value = "203.0.113.7";
    ind.confidence = 60;
    ind.sightings = 2;
    ind.last_seen = 5000;
    intel_tag_add(&ind, "mirai");
    ASSERT_OK(intel_batch_add(&b, &f->a, &ind, &e));
    ind.confidence = 80;
    ind.sightings = 0; /* counts as one */
    ind.first_seen = 1000;
    ind.last_seen = 4000;
    ind.description = "first description";
    ind.source = "feed-b";
    ind.n_tags = 0;
    intel_tag_add(&ind, "elf");
    ASSERT_OK(intel_batch_add(&b, &f->a, &ind, &e));
    ind.confidence = 70;
    ind.description = "second description";
    ind.source = NULL;
    ASSERT_OK(intel_batch_add(&b, &f->a, &ind, &e));
    struct store_import_counts c = {0};
    import(f->st[0], &b, 0, b.n, b.n, NULL, &c);
    assert_int_equal(c.imported, 1);
    assert_int_equal(c.merged, 2);
    struct store_tx *tx = NULL;
    ASSERT_OK(store_read_begin(f->st[0], &tx, &e));
    struct store_indicator_query q = {.now = NOW};
    struct store_indicator *items;
    size_t n;
    ASSERT_OK(store_indicator_list(tx, &q, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].version, 3);
    assert_int_equal(items[0].ind.confidence, 80);
    assert_int_equal(items[0].ind.sightings, 4);
    assert_int_equal(items[0].ind.first_seen, 1000);
    assert_int_equal(items[0].ind.last_seen, 5000);
    assert_int_equal(items[0].ind.valid_until, 0);
    assert_string_equal(items[0].ind.description, "first description");
    assert_int_equal(items[0].ind.n_tags, 2);
    struct store_indicator_source *src;
    size_t ns;
    ASSERT_OK(store_indicator_sources(tx, items[0].id, &f->a, &src, &ns, &e));
    assert_int_equal(ns, 2);
    assert_string_equal(src[0].source, "feed");
    assert_int_equal(src[0].count, 2);
    assert_string_equal(src[1].source, "feed-b");
    assert_int_equal(src[1].count, 1);
    store_tx_end(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_batch_as_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_few_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
