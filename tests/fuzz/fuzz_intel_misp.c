/*
 * fuzz_intel_misp.c - MISP event JSON through intel_misp_import, and (an input not
 * starting with '{': "type\nvalue") one attribute through intel_misp_attr_pattern. A
 * refused file is YJ_EINVAL naming "file" with the batch untouched; what is imported
 * is canonical, every attribute is counted and every problem says where and why; an
 * export re-imports to the same indicators; a converted pattern is valid STIX.
 */
#include <jansson.h>

#include "core/yj.h"
#include "fuzz.h"
#include "intel/intel.h"
#include "intel/intel_exchange.h"
#include "intel/intel_misp.h"
#include "intel/intel_stix.h"

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
        FUZZ_CHECK(!ind->description || ind->description[0] != '\0');
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

static void fuzz_event(const uint8_t *data, size_t size, struct yj_arena *a)
{
    struct intel_batch b;
    intel_batch_init(&b);
    struct yj_error err;
    enum yj_err rc = intel_misp_import((const char *)data, size, NULL, a, &b, &err);
    if (rc != YJ_OK) {
        FUZZ_CHECK(rc == YJ_EINVAL && err.code == YJ_EINVAL && strcmp(err.field, "file") == 0);
        FUZZ_CHECK(err.msg[0] && !(err.msg[0] >= 'A' && err.msg[0] <= 'Z'));
        FUZZ_CHECK(b.n == 0 && b.n_problems == 0 && b.objects == 0);
        check_utf8(err.msg);
        return;
    }
    check_batch(&b, a);
    FUZZ_CHECK(b.n <= 2 * b.objects); /* domain|ip gives two, anything else at most one */

    struct yj_buf out;
    yj_buf_init(&out, 64 << 20);
    FUZZ_CHECK(intel_misp_export(b.items, b.n, "fuzz", 1767225600000, &out, &err) == YJ_OK);
    struct intel_batch again;
    intel_batch_init(&again);
    FUZZ_CHECK(intel_misp_import(out.ptr, out.len, NULL, a, &again, &err) == YJ_OK);
    FUZZ_CHECK(again.n == b.n && again.n_problems == 0 && again.objects == b.n);
    for (size_t i = 0; i < b.n; i++)
        FUZZ_CHECK(same(&b.items[i], &again.items[i]));
    yj_buf_release(&out);
}

static void fuzz_attribute(const uint8_t *data, size_t size, struct yj_arena *a)
{
    char *type = fuzz_strndup(data, size);
    char *nl = strchr(type, '\n');
    const char *value = nl ? nl + 1 : "";
    if (nl)
        *nl = '\0';
    const char *pattern;
    struct yj_error err;
    enum yj_err rc = intel_misp_attr_pattern(type, value, a, &pattern, &err);
    if (rc != YJ_OK) {
        FUZZ_CHECK(rc == YJ_EINVAL &&
                   (strcmp(err.field, "type") == 0 || strcmp(err.field, "value") == 0));
    } else {
        /* valid STIX: whatever it holds, never a syntax error */
        struct intel_indicator t;
        intel_template_init(&t, NULL);
        struct intel_batch b;
        intel_batch_init(&b);
        FUZZ_CHECK(intel_stix_pattern_import(pattern, &t, "p", NULL, a, &b, &err) == YJ_OK);
        for (size_t i = 0; i < b.n_problems; i++)
            FUZZ_CHECK(strncmp(b.problems[i].reason, "pattern syntax error", 20) != 0 ||
                       strlen(pattern) > INTEL_STIX_PATTERN_MAX);
    }
    free(type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object_seed(1);
    struct yj_arena a;
    yj_arena_init(&a, 0);
    if (size > 0 && data[0] == '{')
        fuzz_event(data, size, &a);
    else
        fuzz_attribute(data, size, &a);
    yj_arena_release(&a);
    return 0;
}
