/*
 * test_parse.c - request bodies to JSON objects: empty, not an object,
 * duplicate keys, malformed JSON and invalid UTF-8 (named with line and
 * column), nesting deeper than the parser allows, the size limit; every
 * refusal renders as a 400 JSON error; and the API app's setup and release,
 * with the public look-up's limit from its options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>

#include "api/api.h"
#include "api/api_certs.h"
#include "core/ratelimit.h"
#include "core/yj.h"

/* api_parse_object must refuse body with code, field "body" and msg_part in the
 * message; and the error must render as a JSON answer with the code's status. */
static void expect_refused(const char *body, size_t len, enum yj_err code, const char *msg_part)
{
    json_t *j = (json_t *)(uintptr_t)1;
    struct yj_error e;
    yj_error_clear(&e);
    enum yj_err rc = api_parse_object(body, len, &j, &e);
    if (rc != code)
        fail_msg("%.60s: got %s (%s), want %s", body, yj_err_name(rc), e.msg, yj_err_name(code));
    assert_null(j);
    assert_string_equal(e.field, "body");
    if (msg_part && !strstr(e.msg, msg_part))
        fail_msg("%.60s: message \"%s\" lacks \"%s\"", body, e.msg, msg_part);
    /* The message quotes input; it must still be valid text for the error body. */
    assert_true(yj_utf8_text_ok(e.msg, strlen(e.msg)));
    struct http_response r = {0};
    http_response_error(&r, &e);
    assert_int_equal(r.status, yj_err_http_status(code));
    json_t *doc = json_loads(r.body, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "error"), "message")), e.msg);
    json_decref(doc);
    free(r.body);
}

static void expect_refused_s(const char *body, const char *msg_part)
{
    expect_refused(body, strlen(body), YJ_EINVAL, msg_part);
}

static json_t *expect_object(const char *body)
{
    json_t *j = NULL;
    struct yj_error e;
    if (api_parse_object(body, strlen(body), &j, &e) != YJ_OK)
        fail_msg("%s: %s", body, e.msg);
    assert_true(json_is_object(j));
    return j;
}

static void test_objects(void **state)
{
    (void)state;
    json_t *j = expect_object("{}");
    assert_int_equal(json_object_size(j), 0);
    json_decref(j);
    j = expect_object(" \n{\"name\": \"网络安全\", \"n\": 1, \"nested\": {\"a\": [1, {}]}}\n ");
    assert_string_equal(json_string_value(json_object_get(j, "name")), "网络安全");
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 1);
    json_decref(j);
    /* The same key in different objects is not a duplicate. */
    j = expect_object("{\"a\":{\"k\":1},\"b\":{\"k\":2}}");
    json_decref(j);
    /* Only len bytes are read: what follows is not part of the body. */
    json_t *k = NULL;
    struct yj_error e;
    assert_int_equal(api_parse_object("{\"a\":1}garbage", 7, &k, &e), YJ_OK);
    assert_int_equal(json_integer_value(json_object_get(k, "a")), 1);
    json_decref(k);
}

static void test_empty(void **state)
{
    (void)state;
    expect_refused("", 0, YJ_EINVAL, "object is required");
    expect_refused("{}", 0, YJ_EINVAL, "object is required"); /* length rules, not the NUL */
    expect_refused_s("   ", "malformed JSON");
}

static void test_not_object(void **state)
{
    (void)state;
    expect_refused_s("[]", "object is required");
    expect_refused_s("[{\"a\":1}]", "object is required");
    /* Bare scalars are not even accepted as JSON texts by the parser. */
    const char *scalars[] = {"\"text\"", "42", "true", "null"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(scalars); i++)
        expect_refused_s(scalars[i], NULL);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    expect_refused_s("{\"a\":1,\"a\":2}", "duplicate key");
    expect_refused_s("{\"x\":{\"k\":1,\"k\":1}}", "duplicate key");
    expect_refused_s("{\"名\":1,\"名\":2}", "duplicate key");
    /* Keys that differ only in escapes are the same key. */
    expect_refused_s("{\"a\":1,\"\\u0061\":2}", "duplicate key");
}

static void test_malformed(void **state)
{
    (void)state;
    expect_refused_s("{", "malformed JSON at line 1, column");
    expect_refused_s("{\"a\":1,}", "malformed JSON at line 1, column 8");
    expect_refused_s("{\"a\":1} {}", "malformed JSON");
    expect_refused_s("{'a':1}", "malformed JSON");
    expect_refused_s("{\"a\":01}", "malformed JSON");
    expect_refused_s("{\"a\":\"\\u0000\"}", "malformed JSON"); /* NUL is refused in strings */
    expect_refused_s("{\"a\":\"\\ud800\"}", "malformed JSON"); /* a lone surrogate */
    expect_refused_s("{\"a\":1}\n\n{", "line 3");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* The position is named: line and column of the bad byte. */
    expect_refused_s("{\"a\":\"\xff\"}", "invalid UTF-8 at line 1, column 6");
    expect_refused_s("{\"a\":1,\n\"b\":\"x\xc3\x28\"}", "invalid UTF-8 at line 2, column 6");
    expect_refused_s("{\"\xfe\":1}", "invalid UTF-8 at line 1");
    expect_refused_s("{\"a\":\"\xc0\xaf\"}", "invalid UTF-8");     /* overlong */
    expect_refused_s("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8"); /* encoded surrogate */
    expect_refused_s("{\"a\":\"网络\xe5\xae\"}", "invalid UTF-8"); /* cut short */
    expect_refused_s("{\xff}", "invalid UTF-8");
    /* The message names the byte but carries no raw invalid bytes of its own. */
    json_t *j;
    struct yj_error e;
    assert_int_equal(api_parse_object("{\"a\":\"\xff\"}", 9, &j, &e), YJ_EINVAL);
    assert_null(strchr(e.msg, '\xff'));
    assert_non_null(strstr(e.msg, "0xff"));
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 16);
    assert_non_null(s);
    size_t o = (size_t)snprintf(s, 16, "{\"a\":");
    for (int i = 0; i < depth; i++)
        s[o++] = '[';
    for (int i = 0; i < depth; i++)
        s[o++] = ']';
    s[o++] = '}';
    s[o] = '\0';
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    char *ok = nested(200);
    json_t *j = expect_object(ok);
    json_decref(j);
    free(ok);
    /* Past the parser's limit the body is refused, not recursed into. */
    char *deep = nested(5000);
    expect_refused_s(deep, "depth");
    free(deep);
    deep = nested(100000);
    expect_refused_s(deep, "depth");
    free(deep);
}

static void test_size_limit(void **state)
{
    (void)state;
    /* Exactly the maximum parses; one byte more is 413 before any parsing. */
    size_t n = HTTP_MAX_BODY;
    char *body = malloc(n + 2);
    assert_non_null(body);
    memset(body, ' ', n + 1);
    memcpy(body, "{\"a\":1}", 7);
    body[n + 1] = '\0';
    json_t *j = NULL;
    struct yj_error e;
    assert_int_equal(api_parse_object(body, n, &j, &e), YJ_OK);
    json_decref(j);
    expect_refused(body, n + 1, YJ_ETOOBIG, "1 MiB");
    free(body);
}

/* ---- the app ---- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void test_app_init_release(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/yj-ut-app-XXXXXX");
    assert_non_null(mkdtemp(dir));
    struct store *st;
    struct yj_error e;
    assert_int_equal(store_open(dir, STORE_CREATE | STORE_MIGRATE, &st, &e), YJ_OK);
    int64_t now = 1767949200000;
    struct yj_clock clock = {yj_clock_fixed_now, &now};
    struct api_app app;
    memset(&app, 0x5a, sizeof app);
    assert_int_equal(api_app_init(&app, st, &clock, NULL, &e), YJ_OK);
    assert_ptr_equal(app.store, st);
    assert_ptr_equal(app.clock, &clock);
    assert_ptr_equal(app.auth.store, st);
    assert_ptr_equal(app.auth.clock, &clock);
    assert_null(app.openapi);
    assert_non_null(app.auth.throttle);
    /* The default public limit: a burst of 20, then one every 3 s. */
    assert_int_equal(app.public_limit, API_PUBLIC_LIMIT_DEFAULT);
    assert_non_null(app.public_limiter);
    for (int i = 0; i < API_PUBLIC_BURST; i++)
        assert_int_equal(yj_ratelimit_take(app.public_limiter, "192.0.2.1", now), 0);
    assert_int_equal(yj_ratelimit_take(app.public_limiter, "192.0.2.1", now),
                     API_PUBLIC_INTERVAL_MS);
    unsigned char key[32];
    memcpy(key, app.auth.csrf_key, sizeof key);
    /* Release frees what the app owns (ASan checks the leak). */
    app.openapi = strdup("openapi: 3.1.0\n");
    app.openapi_len = 15;
    api_app_release(&app);
    assert_null(app.openapi);
    assert_null(app.auth.throttle);
    assert_null(app.public_limiter);
    /* A restart keeps the CSRF key. */
    assert_int_equal(api_app_init(&app, st, &clock, NULL, &e), YJ_OK);
    assert_memory_equal(app.auth.csrf_key, key, sizeof key);
    api_app_release(&app);
    store_close(st);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void test_app_public_limit(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/yj-ut-app-XXXXXX");
    assert_non_null(mkdtemp(dir));
    struct store *st;
    struct yj_error e;
    assert_int_equal(store_open(dir, STORE_CREATE | STORE_MIGRATE, &st, &e), YJ_OK);
    int64_t now = 1767949200000;
    struct yj_clock clock = {yj_clock_fixed_now, &now};
    struct api_app app;
    struct api_options opt = api_options_default();
    assert_int_equal(opt.public_limit, 20);
    /* 20 a minute is the historical constant: one every 3000 ms. */
    assert_int_equal(api_public_interval_ms(20), 3000);
    assert_int_equal(api_public_interval_ms(1), 60000);
    assert_int_equal(api_public_interval_ms(7), 8572); /* rounded up: never more than 7 a minute */
    assert_int_equal(api_public_interval_ms(API_PUBLIC_LIMIT_MAX), 1);
    /* N: a burst of N, then one every 60000 / N ms. */
    opt.public_limit = 3;
    assert_int_equal(api_app_init(&app, st, &clock, &opt, &e), YJ_OK);
    assert_int_equal(app.public_limit, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(yj_ratelimit_take(app.public_limiter, "192.0.2.1", now), 0);
    assert_int_equal(yj_ratelimit_take(app.public_limiter, "192.0.2.1", now), 20000);
    assert_int_equal(yj_ratelimit_take(app.public_limiter, "192.0.2.1", now + 20000), 0);
    api_app_release(&app);
    assert_null(app.public_limiter);
    /* 0: no limiter at all. */
    opt.public_limit = 0;
    assert_int_equal(api_app_init(&app, st, &clock, &opt, &e), YJ_OK);
    assert_int_equal(app.public_limit, 0);
    assert_null(app.public_limiter);
    api_app_release(&app);
    /* Out of range: refused, naming the setting, with nothing to release. */
    int bad[] = {-1, API_PUBLIC_LIMIT_MAX + 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        opt.public_limit = bad[i];
        yj_error_clear(&e);
        assert_int_equal(api_app_init(&app, st, &clock, &opt, &e), YJ_EINVAL);
        assert_string_equal(e.field, "public_limit");
        assert_null(app.public_limiter);
        assert_null(app.renderings);
    }
    store_close(st);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_not_object),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_app_init_release),
        cmocka_unit_test(test_app_public_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
