/*
 * fuzz_json_body.c - the generic JSON path of every write: api_parse_object on
 * two documents (the input split at its first NUL byte, which JSON text cannot
 * hold, or else in the middle), then the PATCH machinery over them:
 * api_merge_patch (RFC 7396) and the audit record's api_json_diff.
 */
#include <jansson.h>

#include "api/api.h"
#include "core/yj.h"
#include "fuzz.h"

/* Parses one half; NULL when it is not a JSON object (which must then be refused properly). */
static json_t *parse(const uint8_t *p, size_t n)
{
    json_t *j;
    struct yj_error err;
    enum yj_err rc = api_parse_object((const char *)p, n, &j, &err);
    if (rc != YJ_OK) {
        FUZZ_CHECK(j == NULL);
        FUZZ_CHECK(rc == YJ_EINVAL || rc == YJ_ETOOBIG);
        FUZZ_CHECK(strcmp(err.field, "body") == 0 && err.msg[0] != '\0');
        return NULL;
    }
    FUZZ_CHECK(json_is_object(j));
    return j;
}

/* The compact text of j parses back to an equal value. */
static void check_reparse(const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    FUZZ_CHECK(s != NULL);
    json_error_t jerr;
    json_t *back = json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
    FUZZ_CHECK(back != NULL);
    FUZZ_CHECK(json_equal(j, back));
    json_decref(back);
    free(s);
}

/* Properties of merged = api_merge_patch(target, patch) for an object patch. */
static void check_merge(const json_t *target, const json_t *patch, const json_t *merged)
{
    FUZZ_CHECK(json_is_object(merged));
    /* A merge patch is idempotent: applying it again changes nothing. */
    json_t *twice = api_merge_patch(merged, patch);
    FUZZ_CHECK(twice != NULL);
    FUZZ_CHECK(json_equal(twice, merged));
    json_decref(twice);
    /* Keys the patch does not name keep their values; keys it nulls are gone. */
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)target, key, v) {
        const json_t *p = json_object_get(patch, key);
        if (!p)
            FUZZ_CHECK(json_equal(v, json_object_get(merged, key)));
    }
    json_object_foreach ((json_t *)(uintptr_t)patch, key, v) {
        if (json_is_null(v))
            FUZZ_CHECK(json_object_get(merged, key) == NULL);
        else if (!json_is_object(v))
            FUZZ_CHECK(json_equal(v, json_object_get(merged, key)));
    }
}

/* Properties of d = api_json_diff(before, after). */
static void check_diff(const json_t *before, const json_t *after, const json_t *d)
{
    FUZZ_CHECK(json_is_object(d));
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)d, key, v) {
        const json_t *was = json_object_get(v, "old"), *now = json_object_get(v, "new");
        FUZZ_CHECK(was != NULL && now != NULL && json_object_size(v) == 2);
        const json_t *b = json_object_get(before, key), *a = json_object_get(after, key);
        FUZZ_CHECK(json_equal(was, b ? b : json_null()));
        FUZZ_CHECK(json_equal(now, a ? a : json_null()));
        FUZZ_CHECK(!json_equal(b, a));
    }
    /* Every key whose value changed is in the diff. */
    json_object_foreach ((json_t *)(uintptr_t)before, key, v) {
        if (!json_equal(v, json_object_get(after, key)))
            FUZZ_CHECK(json_object_get(d, key) != NULL);
    }
    json_object_foreach ((json_t *)(uintptr_t)after, key, v) {
        if (!json_object_get(before, key))
            FUZZ_CHECK(json_object_get(d, key) != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object_seed(1); /* jansson's hash layout, and so coverage, independent of the run */
    const uint8_t *nul = size ? memchr(data, '\0', size) : NULL;
    size_t split = nul ? (size_t)(nul - data) : size / 2;
    size_t rest = nul ? split + 1 : split;
    json_t *target = parse(data, split);
    json_t *patch = parse(data + rest, size - rest);
    if (target)
        check_reparse(target);
    if (patch)
        check_reparse(patch);
    if (target && patch) {
        json_t *merged = api_merge_patch(target, patch);
        FUZZ_CHECK(merged != NULL);
        check_merge(target, patch, merged);
        check_reparse(merged);
        json_t *d = api_json_diff(target, merged);
        FUZZ_CHECK(d != NULL);
        check_diff(target, merged, d);
        /* Only what the patch names can change. */
        const char *key;
        json_t *v;
        json_object_foreach (d, key, v)
            FUZZ_CHECK(json_object_get(patch, key) != NULL);
        json_decref(d);
        d = api_json_diff(merged, merged);
        FUZZ_CHECK(d != NULL && json_object_size(d) == 0);
        json_decref(d);
        json_decref(merged);
    }
    json_decref(patch);
    json_decref(target);
    return 0;
}
