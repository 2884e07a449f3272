/*
 * intel_fixture.h - what the exchange tests (test_stix.c, test_misp.c, test_csv.c)
 * share: the arena every batch lives in, reading a file whole, and comparing two
 * indicators field by field (the round-trip checks). Included by one test file per
 * program, so everything is static.
 */
#ifndef YJ_TESTS_INTEL_FIXTURE_H
#define YJ_TESTS_INTEL_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/intel.h"

static struct yj_arena arena;

static int setup(void **state)
{
    (void)state;
    yj_arena_init(&arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    yj_arena_release(&arena);
    return 0;
}

/* A file's bytes (malloc'd, NUL-terminated; the caller frees them); fails the test
 * when it cannot be read. */
static inline char *fx_read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct yj_buf b;
    yj_buf_init(&b, 64 << 20);
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, r), YJ_OK);
    fclose(f);
    char *out = yj_buf_detach(&b, n);
    assert_non_null(out);
    return out;
}

/* Every field an exchange carries; external_id too when asked (formats that mint
 * their own ids on export do not keep it). */
static inline void fx_expect_same(const struct intel_indicator *x, const struct intel_indicator *y,
                                  bool external_id)
{
    assert_int_equal(x->type, y->type);
    assert_string_equal(x->value, y->value);
    assert_int_equal(x->subdomains, y->subdomains);
    assert_int_equal(x->category, y->category);
    assert_int_equal(x->confidence, y->confidence);
    assert_int_equal(x->tlp, y->tlp);
    assert_int_equal(x->n_tags, y->n_tags);
    for (size_t k = 0; k < x->n_tags; k++)
        assert_string_equal(x->tags[k], y->tags[k]);
    assert_int_equal(x->first_seen, y->first_seen);
    assert_int_equal(x->last_seen, y->last_seen);
    assert_int_equal(x->valid_until, y->valid_until);
    assert_int_equal(x->sightings, y->sightings);
    assert_int_equal(x->description == NULL, y->description == NULL);
    if (x->description)
        assert_string_equal(x->description, y->description);
    if (!external_id)
        return;
    assert_int_equal(x->external_id == NULL, y->external_id == NULL);
    if (x->external_id)
        assert_string_equal(x->external_id, y->external_id);
}

/* The index of the first problem whose reason (or, with where_too, whose place)
 * contains part, or -1. */
static inline long fx_problem_with(const struct intel_batch *b, const char *part, bool where_too)
{
    for (size_t i = 0; i < b->n_problems; i++)
        if (strstr(b->problems[i].reason, part) ||
            (where_too && strstr(b->problems[i].where, part)))
            return (long)i;
    return -1;
}

/* Fails the test, listing the problems, when none mentions part (fx_problem_with). */
static inline void fx_expect_problem(const struct intel_batch *b, const char *part, bool where_too)
{
    if (fx_problem_with(b, part, where_too) < 0) {
        for (size_t i = 0; i < b->n_problems; i++)
            print_message("  problem %s: %s\n", b->problems[i].where, b->problems[i].reason);
        fail_msg("no problem mentions \"%s\"", part);
    }
}

#endif
