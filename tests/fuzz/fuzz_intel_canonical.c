/*
 * fuzz_intel_canonical.c - indicator values as feeds and reports send them: the
 * input is one string, guessed (intel_guess) and canonicalised as every type
 * (intel_canonical). A canonical value is within INTEL_VALUE_MAX, is its own
 * canonical form, is guessed back as the same type, and is found again by an
 * intel_lookup holding it; a refusal is YJ_EINVAL naming the field.
 */
#include "core/yj.h"
#include "fuzz.h"
#include "intel/intel.h"
#include "intel/lookup.h"

static void check_refusal(enum yj_err rc, const struct yj_error *err)
{
    FUZZ_CHECK(rc == YJ_EINVAL && err->code == YJ_EINVAL);
    FUZZ_CHECK(strcmp(err->field, "value") == 0 && err->msg[0] != '\0');
}

/* out, canonical as t: a fixed point, found by a lookup holding it. */
static void check_canonical(enum intel_type t, const char *out, struct yj_arena *a)
{
    FUZZ_CHECK(strlen(out) > 0 && strlen(out) <= INTEL_VALUE_MAX);
    const char *again = NULL;
    struct yj_error err;
    FUZZ_CHECK(intel_canonical(t, out, "value", a, &again, &err) == YJ_OK);
    FUZZ_CHECK(strcmp(again, out) == 0);

    struct intel_lookup *l = intel_lookup_new();
    FUZZ_CHECK(l != NULL);
    FUZZ_CHECK(intel_lookup_add(l, 42, t, out, true, 0, &err) == YJ_OK);
    FUZZ_CHECK(intel_lookup_finish(l, &err) == YJ_OK);
    struct intel_lookup_hit hits[4];
    size_t n = intel_lookup_find(l, t, out, 0, hits, 4);
    FUZZ_CHECK(n >= 1 && hits[0].id == 42 && hits[0].match == INTEL_MATCH_EXACT);
    char value[INTEL_VALUE_MAX + 1];
    FUZZ_CHECK(intel_lookup_hit_value(l, &hits[0], value, sizeof value) == strlen(out));
    FUZZ_CHECK(strcmp(value, out) == 0);
    FUZZ_CHECK(intel_lookup_find(l, t, out, 1, hits, 4) == n); /* never expires */
    intel_lookup_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    struct yj_arena a;
    yj_arena_init(&a, 0);

    const char *out[INTEL_TYPE__COUNT] = {0};
    for (int t = 0; t < INTEL_TYPE__COUNT; t++) {
        struct yj_error err;
        enum yj_err rc = intel_canonical((enum intel_type)t, s, "value", &a, &out[t], &err);
        if (rc != YJ_OK) {
            check_refusal(rc, &err);
            FUZZ_CHECK(out[t] == NULL);
            continue;
        }
        check_canonical((enum intel_type)t, out[t], &a);
    }
    /* sha256 and sm3 share their canonical form */
    FUZZ_CHECK((out[INTEL_SHA256] == NULL) == (out[INTEL_SM3] == NULL));

    enum intel_type g = INTEL_TYPE__COUNT;
    const char *gv = NULL;
    struct yj_error err;
    enum yj_err rc = intel_guess(s, "value", &a, &g, &gv, &err);
    if (rc == YJ_OK) {
        /* the guess is one of the types the value canonicalises as, never sm3, cc or app */
        FUZZ_CHECK(g < INTEL_TYPE__COUNT && g != INTEL_SM3 && g != INTEL_CC && g != INTEL_APP);
        FUZZ_CHECK(out[g] != NULL && strcmp(out[g], gv) == 0);
        enum intel_type g2 = INTEL_TYPE__COUNT;
        const char *gv2 = NULL;
        FUZZ_CHECK(intel_guess(gv, "value", &a, &g2, &gv2, &err) == YJ_OK);
        FUZZ_CHECK(g2 == g && strcmp(gv2, gv) == 0);
    } else {
        check_refusal(rc, &err);
        FUZZ_CHECK(g == INTEL_TYPE__COUNT && gv == NULL);
    }
    yj_arena_release(&a);
    free(s);
    return 0;
}
