/*
 * fuzz_intel_stix.c - STIX 2.1 bundles through intel_stix_import, and (an input not
 * starting with '{') bare patterns through intel_stix_pattern_import. A refused file
 * is YJ_EINVAL naming "file" with the batch untouched; what is imported is canonical
 * and every problem says where and why; an export of it re-imports to the same
 * indicators with no problem, and a pattern written for an indicator parses back to it.
 */
#include <jansson.h>

#include "core/yj.h"
#include "fuzz.h"
#include "intel/intel.h"
#include "intel/intel_exchange.h"
#include "intel/intel_stix.h"

/* Every indicator is canonical and within the limits; every problem names its place. */
/* Text JSON can carry: messages quoting input cut short must not split a character. */
static void check_utf8(const char *s)
{
    json_t *j = json_string(s);
    FUZZ_CHECK(j != NULL);
    json_decref(j);
}

static void check_batch(const struct intel_batch *b, struct yj_arena *a)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct intel_indicator *ind = &b->items[i];
        const char *again;
        struct yj_error err;
        FUZZ_CHECK((unsigned)ind->type < INTEL_TYPE__COUNT && ind->value != NULL);
        FUZZ_CHECK(intel_canonical(ind->type, ind->value, "value", a, &again, &err) == YJ_OK);
        FUZZ_CHECK(strcmp(again, ind->value) == 0);
        FUZZ_CHECK(!ind->subdomains || ind->type == INTEL_DOMAIN);
        FUZZ_CHECK(ind->n_tags <= INTEL_TAGS_MAX);
        FUZZ_CHECK(ind->confidence >= 0 && ind->confidence <= 100 && ind->sightings >= 1);
        FUZZ_CHECK((unsigned)ind->category < INTEL_CAT__COUNT);
        FUZZ_CHECK((unsigned)ind->tlp < INTEL_TLP__COUNT);
    }
    for (size_t i = 0; i < b->n_problems; i++) {
        FUZZ_CHECK(b->problems[i].where[0] != '\0' && b->problems[i].reason[0] != '\0');
        check_utf8(b->problems[i].reason);
    }
}

static bool same(const struct intel_indicator *x, const struct intel_indicator *y)
{
    bool eq = x->type == y->type && strcmp(x->value, y->value) == 0 &&
              x->subdomains == y->subdomains && x->category == y->category &&
              x->confidence == y->confidence && x->tlp == y->tlp && x->n_tags == y->n_tags &&
              x->first_seen == y->first_seen && x->last_seen == y->last_seen &&
              x->valid_until == y->valid_until && x->sightings == y->sightings &&
              (x->description == NULL) == (y->description == NULL);
    for (size_t k = 0; eq && k < x->n_tags; k++)
        eq = strcmp(x->tags[k], y->tags[k]) == 0;
    return eq && (!x->description || strcmp(x->description, y->description) == 0);
}

static void check_round_trip(const struct intel_batch *b, struct yj_arena *a)
{
    struct yj_buf out;
    yj_buf_init(&out, 64 << 20);
    struct yj_error err;
    FUZZ_CHECK(intel_stix_export(b->items, b->n, 1767225600000, &out, &err) == YJ_OK);
    struct intel_batch again;
    intel_batch_init(&again);
    FUZZ_CHECK(intel_stix_import(out.ptr, out.len, NULL, a, &again, &err) == YJ_OK);
    FUZZ_CHECK(again.n == b->n && again.n_problems == 0 && again.objects == b->n);
    for (size_t i = 0; i < b->n; i++)
        FUZZ_CHECK(same(&b->items[i], &again.items[i]));
    yj_buf_release(&out);
}

static void fuzz_bundle(const uint8_t *data, size_t size, struct yj_arena *a)
{
    struct intel_batch b;
    intel_batch_init(&b);
    struct yj_error err;
    enum yj_err rc = intel_stix_import((const char *)data, size, NULL, a, &b, &err);
    if (rc != YJ_OK) {
        FUZZ_CHECK(rc == YJ_EINVAL && err.code == YJ_EINVAL && strcmp(err.field, "file") == 0);
        FUZZ_CHECK(err.msg[0] && !(err.msg[0] >= 'A' && err.msg[0] <= 'Z'));
        FUZZ_CHECK(b.n == 0 && b.n_problems == 0 && b.objects == 0);
        check_utf8(err.msg);
        return;
    }
    check_batch(&b, a);
    check_round_trip(&b, a);
}

static void fuzz_pattern(const uint8_t *data, size_t size, struct yj_arena *a)
{
    char *pattern = fuzz_strndup(data, size);
    struct intel_indicator t;
    intel_template_init(&t, NULL);
    struct intel_batch b;
    intel_batch_init(&b);
    struct yj_error err;
    FUZZ_CHECK(intel_stix_pattern_import(pattern, &t, "pattern", NULL, a, &b, &err) == YJ_OK);
    check_batch(&b, a);
    for (size_t i = 0; i < b.n; i++) {
        const char *p;
        FUZZ_CHECK(intel_stix_pattern(&b.items[i], a, &p, &err) == YJ_OK);
        struct intel_batch back;
        intel_batch_init(&back);
        FUZZ_CHECK(intel_stix_pattern_import(p, &t, "pattern", NULL, a, &back, &err) == YJ_OK);
        FUZZ_CHECK(back.n == 1 && back.n_problems == 0);
        FUZZ_CHECK(back.items[0].type == b.items[i].type);
        FUZZ_CHECK(strcmp(back.items[0].value, b.items[i].value) == 0);
        FUZZ_CHECK(back.items[0].subdomains == b.items[i].subdomains);
    }
    free(pattern);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object_seed(1);
    struct yj_arena a;
    yj_arena_init(&a, 0);
    if (size > 0 && data[0] == '{')
        fuzz_bundle(data, size, &a);
    else
        fuzz_pattern(data, size, &a);
    yj_arena_release(&a);
    return 0;
}
