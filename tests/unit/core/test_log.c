/*
 * test_log.c - structured logging: one JSON object per line on stderr, with
 * ts, level, event and the caller's fields, and level filtering. Each test
 * points stderr at a temporary file and reads the lines back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <unistd.h>

#include "core/yj.h"

struct capture {
    FILE *file;
    int saved;
};

static void capture_start(struct capture *c)
{
    fflush(stderr);
    c->file = tmpfile();
    assert_non_null(c->file);
    c->saved = dup(STDERR_FILENO);
    assert_true(c->saved >= 0);
    assert_true(dup2(fileno(c->file), STDERR_FILENO) >= 0);
}

/* Restores stderr and returns what was written, owned by the caller (free). */
static char *capture_end(struct capture *c)
{
    assert_true(dup2(c->saved, STDERR_FILENO) >= 0);
    close(c->saved);
    long n = ftell(c->file);
    assert_true(n >= 0);
    rewind(c->file);
    char *text = calloc(1, (size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, c->file), (size_t)n);
    fclose(c->file);
    return text;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_line_fields(void **state)
{
    (void)state;
    yj_log_set_level(YJ_LOG_INFO);
    struct capture c;
    capture_start(&c);
    yj_log(YJ_LOG_INFO, "request", "{s:s,s:i}", "route", "/api/v1/units", "status", 200);
    char *out = capture_end(&c);
    assert_int_equal(count_lines(out), 1);
    json_error_t jerr;
    json_t *o = json_loads(out, 0, &jerr);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "level")), "info");
    assert_string_equal(json_string_value(json_object_get(o, "event")), "request");
    assert_string_equal(json_string_value(json_object_get(o, "route")), "/api/v1/units");
    assert_int_equal(json_integer_value(json_object_get(o, "status")), 200);
    const char *ts = json_string_value(json_object_get(o, "ts"));
    int64_t ms;
    assert_non_null(ts);
    assert_int_equal(yj_time_parse(ts, &ms), 0);
    json_decref(o);
    free(out);
}

static void test_levels(void **state)
{
    (void)state;
    struct capture c;
    yj_log_set_level(YJ_LOG_WARN);
    capture_start(&c);
    yj_log(YJ_LOG_DEBUG, "dropped", NULL);
    yj_log(YJ_LOG_INFO, "dropped", NULL);
    yj_log(YJ_LOG_WARN, "kept", NULL);
    yj_log(YJ_LOG_ERROR, "kept", NULL);
    char *out = capture_end(&c);
    assert_int_equal(count_lines(out), 2);
    assert_null(strstr(out, "dropped"));
    assert_non_null(strstr(out, "\"level\":\"warn\""));
    assert_non_null(strstr(out, "\"level\":\"error\""));
    free(out);
    yj_log_set_level(YJ_LOG_INFO);
}

static void test_level_from_env(void **state)
{
    (void)state;
    struct capture c;
    yj_log_set_level(YJ_LOG_INFO);
    setenv("YINGJI_LOG_LEVEL", "debug", 1);
    yj_log_init_from_env();
    capture_start(&c);
    yj_log(YJ_LOG_DEBUG, "shown", NULL);
    char *out = capture_end(&c);
    assert_int_equal(count_lines(out), 1);
    free(out);
    setenv("YINGJI_LOG_LEVEL", "error", 1);
    yj_log_init_from_env();
    /* An unknown value keeps the current level. */
    setenv("YINGJI_LOG_LEVEL", "verbose", 1);
    yj_log_init_from_env();
    capture_start(&c);
    yj_log(YJ_LOG_WARN, "hidden", NULL);
    out = capture_end(&c);
    assert_int_equal(count_lines(out), 0);
    free(out);
    unsetenv("YINGJI_LOG_LEVEL");
    yj_log_init_from_env();
    yj_log_set_level(YJ_LOG_INFO);
}

/* Values are escaped, so nothing a caller logs can forge a second line. */
static void test_escaping_and_bad_format(void **state)
{
    (void)state;
    struct capture c;
    yj_log_set_level(YJ_LOG_INFO);
    capture_start(&c);
    yj_log(YJ_LOG_INFO, "x", "{s:s}", "route", "/a\n{\"level\":\"error\"}");
    yj_log(YJ_LOG_INFO, "not an object", "[i]", 1);
    yj_log(YJ_LOG_INFO, NULL, NULL);
    char *out = capture_end(&c);
    assert_int_equal(count_lines(out), 3);
    char *second = strchr(out, '\n') + 1;
    json_t *o = json_loadb(second, (size_t)(strchr(second, '\n') - second), 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "event")), "not an object");
    json_decref(o);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_fields),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_level_from_env),
        cmocka_unit_test(test_escaping_and_bad_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
