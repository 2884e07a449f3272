/*
 * test_merge_patch.c - RFC 7396 JSON merge patch, checked against every
 * example of the RFC's Appendix A plus the RFC's section 3 document, with the
 * inputs left untouched; and api_json_diff's {"key": {"old", "new"}} for the
 * audit record of an update.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "api/api.h"
#include "core/yj.h"

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (!j)
        fail_msg("bad test JSON %s: %s", text, je.text);
    return j;
}

static void expect_json(json_t *got, const char *want_text, const char *what)
{
    json_t *want = load(want_text);
    if (!got || !json_equal(got, want)) {
        char *s = got ? json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        fail_msg("%s: got %s, want %s", what, s ? s : "NULL", want_text);
    }
    json_decref(want);
}

static void check_patch(const char *target_text, const char *patch_text, const char *result)
{
    json_t *target = load(target_text);
    json_t *patch = load(patch_text);
    char *target_before = json_dumps(target, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    char *patch_before = json_dumps(patch, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    json_t *got = api_merge_patch(target, patch);
    char what[256];
    snprintf(what, sizeof what, "%s + %s", target_text, patch_text);
    expect_json(got, result, what);
    /* Neither input is changed, and the result shares nothing mutable with them. */
    char *target_after = json_dumps(target, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    char *patch_after = json_dumps(patch, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    assert_string_equal(target_before, target_after);
    assert_string_equal(patch_before, patch_after);
    if (json_is_object(got) && json_object_size(got) > 0)
        assert_ptr_not_equal(got, target);
    free(target_before);
    free(target_after);
    free(patch_before);
    free(patch_after);
    json_decref(got);
    json_decref(target);
    json_decref(patch);
}

/* RFC 7396, Appendix A, in order. */
static void test_rfc7396_appendix_a(void **state)
{
    (void)state;
    check_patch("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    check_patch("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}");
    check_patch("{\"a\":\"b\"}", "{\"a\":null}", "{}");
    check_patch("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}");
    check_patch("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    check_patch("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}");
    check_patch("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
                "{\"a\":{\"b\":\"d\"}}");
    check_patch("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");
    check_patch("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]");
    check_patch("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]");
    check_patch("{\"a\":\"foo\"}", "null", "null");
    check_patch("{\"a\":\"foo\"}", "\"bar\"", "\"bar\"");
    check_patch("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
    check_patch("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}");
    check_patch("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");
}

/* RFC 7396, section 3: the example document and patch. */
static void test_rfc7396_section3(void **state)
{
    (void)state;
    check_patch(
        "{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\",\"familyName\":\"Doe\"},"
        "\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}",
        "{\"title\":\"Hello!\",\"phoneNumber\":\"+01-123-456-7890\","
        "\"author\":{\"familyName\":null},\"tags\":[\"example\"]}",
        "{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},"
        "\"tags\":[\"example\"],\"content\":\"This will be unchanged\","
        "\"phoneNumber\":\"+01-123-456-7890\"}");
}

static void test_patch_more(void **state)
{
    (void)state;
    /* An empty patch changes nothing; deleting a missing key is a no-op. */
    check_patch("{\"a\":1,\"b\":{\"c\":2}}", "{}", "{\"a\":1,\"b\":{\"c\":2}}");
    check_patch("{\"a\":1}", "{\"zz\":null}", "{\"a\":1}");
    /* A patch onto a non-object target starts from an empty object. */
    check_patch("\"text\"", "{\"a\":{\"b\":null,\"c\":1}}", "{\"a\":{\"c\":1}}");
    check_patch("{\"a\":5}", "{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1}}");
    /* Arrays are replaced whole, as the unit's child lists are. */
    check_patch("{\"staff\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "{\"staff\":[{\"name\":\"c\"}]}",
                "{\"staff\":[{\"name\":\"c\"}]}");
    /* Deeply nested. */
    check_patch("{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":2}}}}", "{\"a\":{\"b\":{\"c\":{\"d\":null}}}}",
                "{\"a\":{\"b\":{\"c\":{\"e\":2}}}}");
    /* A NULL target is treated as absent. */
    json_t *patch = load("{\"a\":1,\"b\":null}");
    json_t *got = api_merge_patch(NULL, patch);
    expect_json(got, "{\"a\":1}", "NULL target");
    json_decref(got);
    json_decref(patch);
    /* Applying a unit patch to a unit document. */
    check_patch("{\"name\":\"旧\",\"registered_capital\":100,\"offices\":[]}",
                "{\"name\":\"新\",\"registered_capital\":null}",
                "{\"name\":\"新\",\"offices\":[]}");
}

/* ---- diff ---- */

static void check_diff(const char *before_text, const char *after_text, const char *want)
{
    json_t *before = load(before_text);
    json_t *after = load(after_text);
    json_t *d = api_json_diff(before, after);
    char what[256];
    snprintf(what, sizeof what, "diff %s -> %s", before_text, after_text);
    expect_json(d, want, what);
    json_decref(d);
    json_decref(before);
    json_decref(after);
}

static void test_diff(void **state)
{
    (void)state;
    check_diff("{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":2}", "{}");
    check_diff("{}", "{}", "{}");
    /* Changed, removed, added. */
    check_diff("{\"a\":1,\"b\":2,\"c\":[1]}", "{\"a\":1,\"b\":3,\"d\":\"x\"}",
               "{\"b\":{\"old\":2,\"new\":3},\"c\":{\"old\":[1],\"new\":null},"
               "\"d\":{\"old\":null,\"new\":\"x\"}}");
    /* A nested change is reported for its top-level key, whole. */
    check_diff("{\"staff\":[{\"name\":\"a\"}],\"name\":\"n\"}",
               "{\"staff\":[{\"name\":\"b\"}],\"name\":\"n\"}",
               "{\"staff\":{\"old\":[{\"name\":\"a\"}],\"new\":[{\"name\":\"b\"}]}}");
    /* Type changes and key order do not matter to equality. */
    check_diff("{\"x\":1}", "{\"x\":\"1\"}", "{\"x\":{\"old\":1,\"new\":\"1\"}}");
    check_diff("{\"o\":{\"a\":1,\"b\":2}}", "{\"o\":{\"b\":2,\"a\":1}}", "{}");
    check_diff("{\"t\":true}", "{\"t\":false}", "{\"t\":{\"old\":true,\"new\":false}}");
    /* From nothing: everything is new (what a create would record). */
    check_diff("{}", "{\"name\":\"甲\"}", "{\"name\":{\"old\":null,\"new\":\"甲\"}}");
}

static void test_diff_with_patch(void **state)
{
    (void)state;
    /* The audit record of an update: the diff between a document and its patched self. */
    json_t *before =
        load("{\"name\":\"旧\",\"city\":\"贵阳市\",\"offices\":[{\"name\":\"总部\"}]}");
    json_t *patch = load("{\"name\":\"新\",\"city\":null}");
    json_t *after = api_merge_patch(before, patch);
    json_t *d = api_json_diff(before, after);
    expect_json(d,
                "{\"name\":{\"old\":\"旧\",\"new\":\"新\"},"
                "\"city\":{\"old\":\"贵阳市\",\"new\":null}}",
                "diff of a patch");
    /* The diff holds its own references: the documents may go first. */
    json_decref(before);
    json_decref(after);
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "name"), "old")),
                        "旧");
    json_decref(d);
    json_decref(patch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7396_appendix_a), cmocka_unit_test(test_rfc7396_section3),
        cmocka_unit_test(test_patch_more),         cmocka_unit_test(test_diff),
        cmocka_unit_test(test_diff_with_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
