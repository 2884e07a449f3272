/*
 * test_route.c - the route table matcher: literal paths, one and several
 * "{name}" parameters, what does not match (trailing slash, empty segment,
 * extra or missing segments, case), the path_known answer behind 405, HEAD
 * served by GET routes, first match wins, and the API's own route table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api/api.h"
#include "core/yj.h"
#include "http/http.h"

static void h_a(void *app, struct http_request *req, struct http_response *resp)
{
    (void)app;
    (void)req;
    (void)resp;
}

static void h_b(void *app, struct http_request *req, struct http_response *resp)
{
    (void)app;
    (void)req;
    (void)resp;
}

static const struct http_route routes[] = {
    {"GET", "/healthz", h_a, 0},
    {"GET", "/api/v1/units", h_a, 0},
    {"POST", "/api/v1/units", h_b, 0},
    {"GET", "/api/v1/units/{id}", h_a, 0},
    {"PATCH", "/api/v1/units/{id}", h_b, 0},
    {"GET", "/api/v1/units/{id}/history", h_a, 0},
    {"GET", "/a/{x}/b/{y}", h_a, 0},
    {"GET", "/p/{a}/{b}/{c}/{d}", h_a, 0},
    {"GET", "/q/{a}/{b}/{c}/{d}/{e}", h_a, 0}, /* more parameters than a request can hold */
    {"GET", "/api/v1/users/me", h_b, 0},       /* a literal before a parameter route... */
    {"GET", "/api/v1/users/{id}", h_a, 0},     /* ...wins for its own path */
    {"GET", "/", h_b, 0},
};

struct match {
    const struct http_route *route;
    const char *params[HTTP_MAX_PARAMS];
    int n_params;
    bool known;
};

static struct match run(struct yj_arena *a, const char *method, const char *path)
{
    struct match m;
    memset(&m, 0, sizeof m);
    m.n_params = -1;
    m.known = true; /* must be overwritten */
    m.route = http_route_match(routes, YJ_ARRAY_LEN(routes), method, path, a, m.params, &m.n_params,
                               &m.known);
    return m;
}

static void expect_route(struct yj_arena *a, const char *method, const char *path,
                         const char *pattern, const char *route_method)
{
    struct match m = run(a, method, path);
    if (!m.route)
        fail_msg("%s %s: no match", method, path);
    assert_true(m.known);
    assert_string_equal(m.route->pattern, pattern);
    assert_string_equal(m.route->method, route_method);
}

static void expect_none(struct yj_arena *a, const char *method, const char *path, bool known)
{
    struct match m = run(a, method, path);
    if (m.route)
        fail_msg("%s %s: matched %s %s", method, path, m.route->method, m.route->pattern);
    if (m.known != known)
        fail_msg("%s %s: path_known %d, want %d", method, path, m.known, known);
}

static void test_literal(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    expect_route(&a, "GET", "/healthz", "/healthz", "GET");
    struct match m = run(&a, "GET", "/healthz");
    assert_int_equal(m.n_params, 0);
    assert_ptr_equal(m.route->fn, h_a);
    expect_route(&a, "GET", "/api/v1/units", "/api/v1/units", "GET");
    expect_route(&a, "POST", "/api/v1/units", "/api/v1/units", "POST");
    assert_ptr_equal(run(&a, "POST", "/api/v1/units").route->fn, h_b);
    expect_route(&a, "GET", "/", "/", "GET");
    /* Not these. */
    expect_none(&a, "GET", "/healthzz", false);
    expect_none(&a, "GET", "/health", false);
    expect_none(&a, "GET", "/HEALTHZ", false);
    expect_none(&a, "GET", "healthz", false);
    expect_none(&a, "GET", "", false);
    expect_none(&a, "GET", "/healthz/x", false);
    expect_none(&a, "GET", "/api/v1", false);
    expect_none(&a, "GET", "/api/v2/units", false);
    yj_arena_release(&a);
}

static void test_params(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct match m = run(&a, "GET", "/api/v1/units/42");
    assert_non_null(m.route);
    assert_string_equal(m.route->pattern, "/api/v1/units/{id}");
    assert_int_equal(m.n_params, 1);
    assert_string_equal(m.params[0], "42");
    /* A parameter is any non-empty segment, taken verbatim. */
    m = run(&a, "GET", "/api/v1/units/abc%20d");
    assert_string_equal(m.params[0], "abc%20d");
    m = run(&a, "GET", "/api/v1/units/7/history");
    assert_string_equal(m.route->pattern, "/api/v1/units/{id}/history");
    assert_int_equal(m.n_params, 1);
    assert_string_equal(m.params[0], "7");
    /* Several, in pattern order. */
    m = run(&a, "GET", "/a/one/b/two");
    assert_int_equal(m.n_params, 2);
    assert_string_equal(m.params[0], "one");
    assert_string_equal(m.params[1], "two");
    m = run(&a, "GET", "/p/1/2/3/4");
    assert_int_equal(m.n_params, HTTP_MAX_PARAMS);
    assert_string_equal(m.params[3], "4");
    /* A pattern with more parameters than a request holds never matches. */
    expect_none(&a, "GET", "/q/1/2/3/4/5", false);
    /* Literal segments between parameters must match. */
    expect_none(&a, "GET", "/a/one/c/two", false);
    /* Parameters are arena copies, not pointers into the path. */
    char path[] = "/api/v1/units/99";
    m = run(&a, "GET", path);
    path[14] = '0';
    assert_string_equal(m.params[0], "99");
    yj_arena_release(&a);
}

static void test_no_match_shapes(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    /* Trailing slash. */
    expect_none(&a, "GET", "/healthz/", false);
    expect_none(&a, "GET", "/api/v1/units/", false);
    expect_none(&a, "GET", "/api/v1/units/1/", false);
    /* Empty segments never fill a parameter. */
    expect_none(&a, "GET", "/api/v1/units//history", false);
    expect_none(&a, "GET", "/a//b/two", false);
    expect_none(&a, "GET", "/a/one/b/", false);
    expect_none(&a, "GET", "//healthz", false);
    expect_none(&a, "GET", "/api//v1/units", false);
    /* Missing and extra segments. */
    expect_none(&a, "GET", "/api/v1/units/1/history/x", false);
    expect_none(&a, "GET", "/p/1/2/3", false);
    yj_arena_release(&a);
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    /* The path exists with other methods: 405, not 404. */
    expect_none(&a, "DELETE", "/api/v1/units", true);
    expect_none(&a, "PUT", "/api/v1/units/5", true);
    expect_none(&a, "POST", "/healthz", true);
    expect_none(&a, "get", "/healthz", true); /* methods are case-sensitive */
    expect_none(&a, "POST", "/api/v1/units/5/history", true);
    /* Unknown paths are unknown whatever the method. */
    expect_none(&a, "DELETE", "/nope", false);
    /* The method picks among routes with the same pattern. */
    expect_route(&a, "PATCH", "/api/v1/units/5", "/api/v1/units/{id}", "PATCH");
    expect_route(&a, "GET", "/api/v1/units/5", "/api/v1/units/{id}", "GET");
    yj_arena_release(&a);
}

static void test_head(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    /* HEAD is answered by the GET route. */
    expect_route(&a, "HEAD", "/healthz", "/healthz", "GET");
    expect_route(&a, "HEAD", "/api/v1/units/3", "/api/v1/units/{id}", "GET");
    struct match m = run(&a, "HEAD", "/api/v1/units/3");
    assert_string_equal(m.params[0], "3");
    /* But not by others: HEAD on a path that has no GET is 405. */
    static const struct http_route post_only[] = {{"POST", "/api/v1/session", h_a, 0}};
    bool known = false;
    assert_null(http_route_match(post_only, 1, "HEAD", "/api/v1/session", &a, NULL, NULL, &known));
    assert_true(known);
    yj_arena_release(&a);
}

static void test_first_match_wins(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct match m = run(&a, "GET", "/api/v1/users/me");
    assert_string_equal(m.route->pattern, "/api/v1/users/me");
    assert_int_equal(m.n_params, 0);
    m = run(&a, "GET", "/api/v1/users/12");
    assert_string_equal(m.route->pattern, "/api/v1/users/{id}");
    assert_string_equal(m.params[0], "12");
    /* An empty table knows nothing. */
    bool known = true;
    assert_null(http_route_match(routes, 0, "GET", "/healthz", &a, NULL, NULL, &known));
    assert_false(known);
    yj_arena_release(&a);
}

/* The application's table: well formed, no pair twice, each route matches itself. */
static void test_api_routes(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    assert_true(api_routes_count > 0);
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < api_routes_count; i++) {
        const struct http_route *r = &api_routes[i];
        assert_non_null(r->fn);
        assert_int_equal(r->pattern[0], '/');
        bool ok = false;
        for (size_t k = 0; k < YJ_ARRAY_LEN(methods); k++)
            ok = ok || strcmp(r->method, methods[k]) == 0;
        if (!ok)
            fail_msg("%s %s: unexpected method", r->method, r->pattern);
        for (size_t j = i + 1; j < api_routes_count; j++)
            if (strcmp(r->method, api_routes[j].method) == 0 &&
                strcmp(r->pattern, api_routes[j].pattern) == 0)
                fail_msg("%s %s twice", r->method, r->pattern);
        /* A concrete path for the pattern finds this very route. */
        char path[256];
        size_t o = 0;
        for (const char *p = r->pattern; *p && o + 4 < sizeof path;) {
            if (*p == '{') {
                path[o++] = '1';
                p = strchr(p, '}') + 1;
            } else {
                path[o++] = *p++;
            }
        }
        path[o] = '\0';
        const char *params[HTTP_MAX_PARAMS];
        int n = -1;
        bool known = false;
        const struct http_route *got =
            http_route_match(api_routes, api_routes_count, r->method, path, &a, params, &n, &known);
        if (got != r)
            fail_msg("%s %s: %s found %s", r->method, r->pattern, path,
                     got ? got->pattern : "nothing");
    }
    yj_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_no_match_shapes),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_head),
        cmocka_unit_test(test_first_match_wins),
        cmocka_unit_test(test_api_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
