/*
 * fuzz_intel_csv.c - CSV and plain lists. The first byte picks the reader: 'L' a plain
 * list, 'H' CSV mapped by its header row, anything else CSV with the value in column 1
 * and the type in column 2, the byte itself the delimiter when it is one of ",;|\t".
 * A refused file is YJ_EINVAL naming "file" with the batch untouched; what is imported
 * is canonical and every problem names its line; a CSV export re-imports to the same
 * indicators and exports to the same bytes.
 */
#include <jansson.h>

#include "core/yj.h"
#include "fuzz.h"
#include "intel/intel.h"
#include "intel/intel_exchange.h"
#include "intel/intel_csv.h"

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
    }
    for (size_t i = 0; i < b->n_problems; i++) {
        FUZZ_CHECK(strncmp(b->problems[i].where, "line ", 5) == 0 &&
                   b->problems[i].reason[0] != '\0');
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
              (x->description == NULL) == (y->description == NULL) &&
              (x->external_id == NULL) == (y->external_id == NULL);
    for (size_t k = 0; eq && k < x->n_tags; k++)
        eq = strcmp(x->tags[k], y->tags[k]) == 0;
    eq = eq && (!x->description || strcmp(x->description, y->description) == 0);
    return eq && (!x->external_id || strcmp(x->external_id, y->external_id) == 0);
}

static void check_round_trip(const struct intel_batch *b, struct yj_arena *a)
{
    struct yj_buf out, again_out;
    yj_buf_init(&out, 64 << 20);
    yj_buf_init(&again_out, 64 << 20);
    struct yj_error err;
    FUZZ_CHECK(intel_csv_export(b->items, b->n, &out, &err) == YJ_OK);
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    FUZZ_CHECK(intel_csv_map_header(out.ptr, out.len, &m, &err) == YJ_OK);
    struct intel_batch again;
    intel_batch_init(&again);
    FUZZ_CHECK(intel_csv_import(out.ptr, out.len, &m, NULL, a, &again, &err) == YJ_OK);
    FUZZ_CHECK(again.n == b->n && again.n_problems == 0);
    for (size_t i = 0; i < b->n; i++)
        FUZZ_CHECK(same(&b->items[i], &again.items[i]));
    FUZZ_CHECK(intel_csv_export(again.items, again.n, &again_out, &err) == YJ_OK);
    FUZZ_CHECK(again_out.len == out.len && memcmp(again_out.ptr, out.ptr, out.len) == 0);
    yj_buf_release(&out);
    yj_buf_release(&again_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct intel_batch b;
    intel_batch_init(&b);
    struct yj_error err;
    enum yj_err rc;
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    if (data[0] == 'L') {
        rc = intel_list_import(text, len, NULL, &a, &b, &err);
    } else {
        if (data[0] == 'H') {
            rc = intel_csv_map_header(text, len, &m, &err);
            FUZZ_CHECK(rc == YJ_OK || (rc == YJ_EINVAL && strcmp(err.field, "header") == 0));
        } else {
            m.type = 1;
            if (strchr(",;|\t", data[0]) && data[0])
                m.delimiter = (char)data[0];
        }
        rc = intel_csv_import(text, len, &m, NULL, &a, &b, &err);
    }
    if (rc != YJ_OK) {
        FUZZ_CHECK((rc == YJ_EINVAL && strcmp(err.field, "file") == 0) ||
                   (rc == YJ_EINVAL && strcmp(err.field, "map") == 0 && m.value < 0));
        FUZZ_CHECK(b.n == 0 && b.n_problems == 0 && b.objects == 0);
        check_utf8(err.msg);
    } else {
        check_batch(&b, &a);
        check_round_trip(&b, &a);
    }
    yj_arena_release(&a);
    return 0;
}
