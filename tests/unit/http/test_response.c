/*
 * test_response.c - building answers without a socket: JSON bodies (compact,
 * key order kept, replacing an earlier body), text bodies (copied, binary
 * safe), the error body's shape and status for every error code, 204, and the
 * bounded header list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "core/yj.h"
#include "http/http.h"

static void release(struct http_response *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

static json_t *parse_body(const struct http_response *r)
{
    assert_non_null(r->body);
    assert_int_equal(strlen(r->body), r->body_len);
    json_error_t je;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        fail_msg("body is not JSON: %s (%s)", je.text, r->body);
    return j;
}

static void test_json(void **state)
{
    (void)state;
    struct http_response r = {0};
    http_response_json(&r, 201, json_pack("{s:i,s:s,s:[i,i]}", "z", 1, "a", "甲", "list", 1, 2));
    assert_int_equal(r.status, 201);
    assert_string_equal(r.content_type, "application/json; charset=utf-8");
    /* Compact, in insertion order, UTF-8 as is. */
    assert_string_equal(r.body, "{\"z\":1,\"a\":\"甲\",\"list\":[1,2]}");
    assert_int_equal(r.body_len, strlen(r.body));
    /* A second call replaces the body (the first is freed; ASan would see a leak). */
    http_response_json(&r, 200, json_array());
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "[]");
    /* Any JSON value, not only containers. */
    http_response_json(&r, 200, json_string("x"));
    assert_string_equal(r.body, "\"x\"");
    http_response_json(&r, 200, json_null());
    assert_string_equal(r.body, "null");
    release(&r);
}

static void test_json_null_is_oom(void **state)
{
    (void)state;
    /* A NULL document (what a failed json_pack gives) answers 503, not a crash. */
    struct http_response r = {0};
    http_response_json(&r, 200, NULL);
    assert_int_equal(r.status, 503);
    json_t *j = parse_body(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                        "out_of_memory");
    json_decref(j);
    assert_string_equal(r.content_type, "application/json");
    release(&r);
}

static void test_text(void **state)
{
    (void)state;
    struct http_response r = {0};
    char src[] = "hello";
    http_response_text(&r, 200, "text/plain; charset=utf-8", src, 5);
    src[0] = 'j'; /* copied, not borrowed */
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "text/plain; charset=utf-8");
    assert_int_equal(r.body_len, 5);
    assert_string_equal(r.body, "hello");
    /* Binary safe, and NUL-terminated after the bytes. */
    http_response_text(&r, 206, "application/octet-stream", "a\0b", 3);
    assert_int_equal(r.status, 206);
    assert_int_equal(r.body_len, 3);
    assert_memory_equal(r.body, "a\0b\0", 4);
    /* Part of a longer string, and empty. */
    http_response_text(&r, 200, "text/plain", "abcdef", 2);
    assert_string_equal(r.body, "ab");
    http_response_text(&r, 200, "text/plain", "", 0);
    assert_non_null(r.body);
    assert_int_equal(r.body_len, 0);
    assert_string_equal(r.body, "");
    release(&r);
}

static void test_error_every_code(void **state)
{
    (void)state;
    static const struct {
        enum yj_err code;
        int status;
        const char *name;
    } want[] = {
        {YJ_ENOMEM, 503, "out_of_memory"},
        {YJ_EINVAL, 400, "invalid"},
        {YJ_ENOTFOUND, 404, "not_found"},
        {YJ_ECONFLICT, 409, "conflict"},
        {YJ_EPERM, 403, "forbidden"},
        {YJ_EAUTH, 401, "unauthenticated"},
        {YJ_ETOOBIG, 413, "too_large"},
        {YJ_EIO, 500, "io_error"},
        {YJ_EPRECOND, 412, "precondition_failed"},
        {YJ_ENEEDPRECOND, 428, "precondition_required"},
        {YJ_ERATE, 429, "too_many_requests"},
        {YJ_EMETHOD, 405, "method_not_allowed"},
        {YJ_EMEDIATYPE, 415, "unsupported_media_type"},
        {YJ_ECSRF, 403, "csrf"},
        {YJ_EINTERNAL, 500, "internal"},
        {YJ_EBUSY, 503, "unavailable"},
        {YJ_EINCOMPLETE, 422, "incomplete"},
    };
    assert_int_equal(YJ_ARRAY_LEN(want), YJ_ERR__COUNT - 1);
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        struct yj_error e;
        yj_error_set(&e, want[i].code, "contacts[1].email", "problem %zu", i);
        struct http_response r = {0};
        http_response_error(&r, &e);
        if (r.status != want[i].status)
            fail_msg("%s: status %d, want %d", want[i].name, r.status, want[i].status);
        assert_string_equal(r.content_type, "application/json; charset=utf-8");
        json_t *j = parse_body(&r);
        /* Exactly {"error": {"code", "message", "field"}}. */
        assert_int_equal(json_object_size(j), 1);
        json_t *err = json_object_get(j, "error");
        assert_true(json_is_object(err));
        assert_int_equal(json_object_size(err), 3);
        assert_string_equal(json_string_value(json_object_get(err, "code")), want[i].name);
        char msg[32];
        snprintf(msg, sizeof msg, "problem %zu", i);
        assert_string_equal(json_string_value(json_object_get(err, "message")), msg);
        assert_string_equal(json_string_value(json_object_get(err, "field")), "contacts[1].email");
        json_decref(j);
        release(&r);
    }
}

static void test_error_shape(void **state)
{
    (void)state;
    struct http_response r = {0};
    struct yj_error e;
    /* No field: the key is left out. */
    yj_error_set(&e, YJ_ENOTFOUND, NULL, "no such unit");
    http_response_error(&r, &e);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body,
                        "{\"error\":{\"code\":\"not_found\",\"message\":\"no such unit\"}}");
    /* No message: the code stands in for it. */
    yj_error_set(&e, YJ_EAUTH, "", "%s", "");
    http_response_error(&r, &e);
    assert_int_equal(r.status, 401);
    assert_string_equal(
        r.body, "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"unauthenticated\"}}");
    /* Messages with quotes and non-ASCII are escaped properly. */
    yj_error_set(&e, YJ_EINVAL, "名称", "bad \"value\"\n");
    http_response_error(&r, &e);
    json_t *j = parse_body(&r);
    json_t *err = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(err, "message")), "bad \"value\"\n");
    assert_string_equal(json_string_value(json_object_get(err, "field")), "名称");
    json_decref(j);
    /* An out-of-range code is an internal error, never a 200. */
    e.code = YJ_ERR__COUNT;
    http_response_error(&r, &e);
    assert_int_equal(r.status, 500);
    j = parse_body(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                        "internal");
    json_decref(j);
    release(&r);
}

static void test_error_long_utf8_field(void **state)
{
    (void)state;
    /* A field or message longer than its buffer is cut at a character boundary, so
     * the body stays valid JSON text and still names the field. */
    char field[400] = "", msg[800] = "";
    for (int i = 0; i < 100; i++)
        memcpy(field + 3 * i, "段", 4);
    for (int i = 0; i < 200; i++)
        memcpy(msg + 3 * i, "错", 4);
    for (int shift = 0; shift < 3; shift++) {
        struct yj_error e;
        yj_error_set(&e, YJ_EINVAL, field + 0, "%.*s%s", shift, "ab", msg);
        struct http_response r = {0};
        http_response_error(&r, &e);
        assert_int_equal(r.status, 400);
        json_t *j = parse_body(&r);
        json_t *err = json_object_get(j, "error");
        const char *f = json_string_value(json_object_get(err, "field"));
        const char *m = json_string_value(json_object_get(err, "message"));
        if (!f || !m)
            fail_msg("shift %d: %s", shift, r.body);
        assert_true(strlen(f) > YJ_ERR_FIELD_MAX - 5);
        assert_true(strlen(m) > YJ_ERR_MSG_MAX - 5);
        json_decref(j);
        release(&r);
        /* And when prefixed into a longer path. */
        yj_error_set(&e, YJ_EINVAL, field + 3 * shift, "x");
        yj_error_prefix_field(&e, shift == 1 ? "staff[10]" : "a");
        http_response_error(&r, &e);
        j = parse_body(&r);
        if (!json_object_get(json_object_get(j, "error"), "field"))
            fail_msg("prefixed, shift %d: %s", shift, r.body);
        json_decref(j);
        release(&r);
    }
}

static void test_empty(void **state)
{
    (void)state;
    struct http_response r = {0};
    http_response_json(&r, 200, json_object());
    http_response_empty(&r); /* frees the earlier body */
    assert_int_equal(r.status, 204);
    assert_null(r.body);
    assert_int_equal(r.body_len, 0);
    assert_null(r.content_type);
    http_response_empty(&r);
    assert_int_equal(r.status, 204);
}

static void test_headers(void **state)
{
    (void)state;
    struct http_response r = {0};
    http_response_header(&r, "ETag", "\"3\"");
    http_response_header(&r, "Location", "/api/v1/units/1");
    assert_int_equal(r.n_headers, 2);
    assert_string_equal(r.header_names[0], "ETag");
    assert_string_equal(r.header_values[0], "\"3\"");
    assert_string_equal(r.header_names[1], "Location");
    /* NULL names or values are ignored. */
    http_response_header(&r, NULL, "x");
    http_response_header(&r, "X", NULL);
    assert_int_equal(r.n_headers, 2);
    /* Up to the limit, then silently dropped (never past the arrays). */
    static const char *const names[] = {"H0", "H1", "H2", "H3", "H4", "H5", "H6",
                                        "H7", "H8", "H9", "HA", "HB", "HC", "HD"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(names); i++)
        http_response_header(&r, names[i], "v");
    assert_int_equal(r.n_headers, HTTP_MAX_HEADERS);
    assert_string_equal(r.header_names[HTTP_MAX_HEADERS - 1], names[HTTP_MAX_HEADERS - 3]);
    /* Headers survive a body change. */
    http_response_json(&r, 200, json_object());
    assert_int_equal(r.n_headers, HTTP_MAX_HEADERS);
    assert_string_equal(r.header_names[0], "ETag");
    release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),        cmocka_unit_test(test_json_null_is_oom),
        cmocka_unit_test(test_text),        cmocka_unit_test(test_error_every_code),
        cmocka_unit_test(test_error_shape), cmocka_unit_test(test_error_long_utf8_field),
        cmocka_unit_test(test_empty),       cmocka_unit_test(test_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
