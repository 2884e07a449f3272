/*
 * test_metrics.c - the Prometheus exposition: HELP and TYPE lines, one
 * counter series per (route, method, status), a cumulative latency histogram
 * per route with an inclusive upper bound ("le"), +Inf, sum and count; every
 * sample line well formed; and full tables refuse new series without harm.
 * The metrics are process-wide, so the tests run in order on shared state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <pthread.h>

#include "core/yj.h"
#include "http/http_int.h"

static const char R_UNITS[] = "/api/v1/units";
static const char R_UNIT[] = "/api/v1/units/{id}";
static const char M_GET[] = "GET";
static const char M_POST[] = "POST";

/* The value of the sample line starting with prefix (up to its space), or -1. */
static double sample(const char *text, const char *series)
{
    size_t n = strlen(series);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, series, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    return -1;
}

static void expect(const char *text, const char *series, double want)
{
    double got = sample(text, series);
    if (got != want)
        fail_msg("%s: got %g, want %g\n%s", series, got, want, text);
}

/* Every line is a comment or `name{label="value",...} number`. */
static void check_format(const char *text)
{
    assert_true(text[strlen(text) - 1] == '\n');
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        if (line[0] == '#') {
            assert_true(strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0);
        } else {
            const char *p = line;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            assert_true(p > line);
            assert_int_equal(*p, '{');
            p++;
            for (;;) {
                const char *k = p;
                while (isalpha((unsigned char)*p) || *p == '_')
                    p++;
                assert_true(p > k);
                assert_int_equal(*p++, '=');
                assert_int_equal(*p++, '"');
                while (*p != '"' && p < end)
                    p++;
                assert_int_equal(*p++, '"');
                if (*p == ',') {
                    p++;
                    continue;
                }
                assert_int_equal(*p++, '}');
                break;
            }
            assert_int_equal(*p++, ' ');
            char *num_end;
            strtod(p, &num_end);
            assert_true(num_end > p);
            assert_ptr_equal(num_end, end);
        }
        line = end + 1;
    }
}

static void test_empty(void **state)
{
    (void)state;
    char *text = http_metrics_render();
    assert_non_null(text);
    assert_non_null(strstr(text, "# TYPE yingji_http_requests_total counter\n"));
    assert_non_null(strstr(text, "# TYPE yingji_http_request_duration_seconds histogram\n"));
    assert_non_null(strstr(text, "# HELP yingji_http_requests_total "));
    assert_null(strstr(text, "yingji_http_requests_total{"));
    check_format(text);
    free(text);
}

static void test_counters(void **state)
{
    (void)state;
    http_metrics_observe(R_UNITS, M_GET, 200, 0.003);
    http_metrics_observe(R_UNITS, M_GET, 200, 0.004);
    http_metrics_observe(R_UNITS, M_GET, 404, 0.001);
    http_metrics_observe(R_UNITS, M_POST, 201, 0.02);
    http_metrics_observe(R_UNIT, M_GET, 200, 0.0001);
    char *text = http_metrics_render();
    check_format(text);
    expect(text,
           "yingji_http_requests_total{route=\"/api/v1/units\",method=\"GET\",status=\"200\"}", 2);
    expect(text,
           "yingji_http_requests_total{route=\"/api/v1/units\",method=\"GET\",status=\"404\"}", 1);
    expect(text,
           "yingji_http_requests_total{route=\"/api/v1/units\",method=\"POST\",status=\"201\"}", 1);
    expect(text,
           "yingji_http_requests_total{route=\"/api/v1/units/{id}\",method=\"GET\",status=\"200\"}",
           1);
    /* No series that was never observed. */
    assert_null(strstr(text, "method=\"POST\",status=\"200\""));
    free(text);
}

static void test_histogram(void **state)
{
    (void)state;
    /* /api/v1/units so far: 0.003, 0.004, 0.001, 0.02 seconds. */
    char *text = http_metrics_render();
#define B(le) "yingji_http_request_duration_seconds_bucket{route=\"/api/v1/units\",le=\"" le "\"}"
    expect(text, B("0.0005"), 0);
    expect(text, B("0.001"), 1); /* le is inclusive: 0.001 counts here */
    expect(text, B("0.0025"), 1);
    expect(text, B("0.005"), 3);
    expect(text, B("0.01"), 3);
    expect(text, B("0.025"), 4);
    expect(text, B("5"), 4);
    expect(text, B("+Inf"), 4);
    expect(text, "yingji_http_request_duration_seconds_count{route=\"/api/v1/units\"}", 4);
    double sum = sample(text, "yingji_http_request_duration_seconds_sum{route=\"/api/v1/units\"}");
    assert_true(sum > 0.0279 && sum < 0.0281);
    /* Buckets only grow, left to right. */
    const char *les[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                         "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "+Inf"};
    double prev = 0;
    for (size_t i = 0; i < YJ_ARRAY_LEN(les); i++) {
        char series[160];
        snprintf(series, sizeof series,
                 "yingji_http_request_duration_seconds_bucket{route=\"/api/v1/units\",le=\"%s\"}",
                 les[i]);
        double v = sample(text, series);
        if (v < prev)
            fail_msg("%s: %g after %g", les[i], v, prev);
        prev = v;
    }
    free(text);
    /* Slower than the last bound: only +Inf. */
    http_metrics_observe(R_UNITS, M_GET, 500, 7.5);
    text = http_metrics_render();
    expect(text, B("5"), 4);
    expect(text, B("+Inf"), 5);
    expect(text, "yingji_http_request_duration_seconds_count{route=\"/api/v1/units\"}", 5);
    /* One histogram per route, whatever the method and status. */
    expect(
        text,
        "yingji_http_request_duration_seconds_bucket{route=\"/api/v1/units/{id}\",le=\"0.0005\"}",
        1);
    check_format(text);
    free(text);
#undef B
}

static void *observer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        http_metrics_observe(R_UNIT, M_POST, 200, 0.001);
    return NULL;
}

static void test_concurrent(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, observer, NULL), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    char *text = http_metrics_render();
    expect(
        text,
        "yingji_http_requests_total{route=\"/api/v1/units/{id}\",method=\"POST\",status=\"200\"}",
        4000);
    free(text);
}

static void test_full_tables(void **state)
{
    (void)state;
    /* More series than the table holds: the extra ones are dropped, nothing breaks. */
    for (int status = 1000; status < 1700; status++)
        http_metrics_observe(R_UNIT, M_GET, status, 0.01);
    static char routes[200][16];
    for (int i = 0; i < 200; i++) {
        snprintf(routes[i], sizeof routes[i], "/r%d", i);
        http_metrics_observe(routes[i], M_GET, 200, 0.01);
    }
    char *text = http_metrics_render();
    check_format(text);
    size_t counters = 0;
    for (const char *p = text; (p = strstr(p, "yingji_http_requests_total{")) != NULL; p++)
        counters++;
    assert_true(counters <= 512);
    /* Series that existed before keep counting. */
    http_metrics_observe(R_UNITS, M_GET, 200, 0.003);
    free(text);
    text = http_metrics_render();
    expect(text,
           "yingji_http_requests_total{route=\"/api/v1/units\",method=\"GET\",status=\"200\"}", 3);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),       cmocka_unit_test(test_counters),
        cmocka_unit_test(test_histogram),   cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_full_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
