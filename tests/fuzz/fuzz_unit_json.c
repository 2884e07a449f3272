/*
 * fuzz_unit_json.c - a request body through what POST /api/v1/units does with
 * it (api_parse_object -> api_unit_decode -> unit_validate), and the PATCH
 * path's round trip: a decoded unit encodes to a document that decodes again
 * to the same unit, which validates the same way.
 */
#include <jansson.h>

#include "api/api.h"
#include "core/yj.h"
#include "fuzz.h"

#define TODAY "2026-01-09"

/* A failure names its problem in a lower-case message (STYLE.md), and is bad input, not a bug. */
static void check_refusal(enum yj_err rc, const struct yj_error *err)
{
    FUZZ_CHECK(rc == YJ_EINVAL || rc == YJ_ETOOBIG);
    FUZZ_CHECK(err->code == rc);
    FUZZ_CHECK(err->msg[0] != '\0' && !(err->msg[0] >= 'A' && err->msg[0] <= 'Z'));
}

/* Roles that may not see personal data get none of it. */
static void check_public_view(const struct unit *u)
{
    json_t *pub = api_unit_encode(u, false, false);
    FUZZ_CHECK(pub != NULL);
    FUZZ_CHECK(json_object_get(pub, "contacts") == NULL);
    FUZZ_CHECK(json_object_get(pub, "staff") == NULL);
    FUZZ_CHECK(json_object_get(pub, "oncall") == NULL);
    FUZZ_CHECK(json_is_true(json_object_get(pub, "personal_data_hidden")));
    json_decref(pub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object_seed(1); /* jansson's hash layout, and so coverage, independent of the run */
    json_t *doc;
    struct yj_error err;
    enum yj_err rc = api_parse_object((const char *)data, size, &doc, &err);
    if (rc != YJ_OK) {
        check_refusal(rc, &err);
        return 0;
    }
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct unit u;
    rc = api_unit_decode(doc, &a, &u, &err);
    if (rc != YJ_OK) {
        check_refusal(rc, &err);
    } else {
        enum yj_err valid = unit_validate(&u, TODAY, &err);
        /* The decoder fills every array it counts: YJ_EINTERNAL would be its bug. */
        FUZZ_CHECK(valid == YJ_OK || valid == YJ_EINVAL);
        if (valid != YJ_OK)
            check_refusal(valid, &err);

        json_t *enc = api_unit_encode(&u, true, true);
        FUZZ_CHECK(enc != NULL);
        struct unit again;
        struct yj_error err2;
        FUZZ_CHECK(api_unit_decode(enc, &a, &again, &err2) == YJ_OK);
        json_t *enc2 = api_unit_encode(&again, true, true);
        FUZZ_CHECK(enc2 != NULL);
        FUZZ_CHECK(json_equal(enc, enc2));
        FUZZ_CHECK(unit_validate(&again, TODAY, &err2) == valid);
        if (valid != YJ_OK)
            FUZZ_CHECK(strcmp(err.field, err2.field) == 0);
        check_public_view(&u);
        json_decref(enc2);
        json_decref(enc);
    }
    yj_arena_release(&a);
    json_decref(doc);
    return 0;
}
