/*
 * test_server.c - the server as a whole: health, metrics (route patterns as
 * labels, the latency histogram), the OpenAPI document, 404/405 answers, security
 * headers, the error and list shapes every route shares, and a SIGTERM that lets
 * a request in flight finish before the process exits cleanly.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *admin, *anon;
static char web_dir[HX_PATH_MAX];

static const char probe_html[] = "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                                 "<title>probe</title><script type=\"module\" "
                                 "src=\"/hx-probe.js\"></script></head><body></body></html>\n";
static const char probe_js[] = "export const probe = 1;\n";

static int setup(void **state)
{
    (void)state;
    /* The real web UI plus one page of our own, so there is always an HTML page to
     * check the CSP on, whatever the UI holds today. */
    const char *tmp = getenv("TMPDIR");
    snprintf(web_dir, sizeof web_dir, "%s/yj-web-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(web_dir));
    hx_copy_tree(getenv("YINGJI_WEB"), web_dir);
    hx_write_file(hx_fmt("%s/hx-probe.html", web_dir), probe_html, strlen(probe_html));
    hx_write_file(hx_fmt("%s/hx-probe.js", web_dir), probe_js, strlen(probe_js));
    struct hx_server_options opt = {.web_dir = web_dir};
    srv = hx_server_new(&opt);
    admin = hx_login_admin(srv);
    anon = hx_client_new(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_client_free(anon);
    hx_server_free(srv);
    hx_remove_tree(web_dir);
    return 0;
}

static void test_healthz(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(anon, "/healthz");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "ok");
    assert_non_null(r->content_type);
    assert_true(strncmp(r->content_type, "application/json", 16) == 0);
}

static void test_openapi_served(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(anon, "/api/v1/openapi.yaml");
    HX_EXPECT(r, 200);
    assert_non_null(r->content_type);
    assert_true(strncmp(r->content_type, "application/yaml", 16) == 0);
    assert_true(strncmp(r->body, "openapi: 3", 10) == 0);
    size_t len = 0;
    char *want = hx_read_file(hx_fmt("%s/openapi.yaml", web_dir), &len);
    assert_non_null(want);
    assert_int_equal(r->body_len, len);
    assert_memory_equal(r->body, want, len);
    free(want);
    assert_non_null(strstr(r->body, "/api/v1/units/{id}"));
}

/* The value of the sample line that starts with prefix (labels included), or -1. */
static double metric(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    return -1;
}

static void test_metrics(void **state)
{
    (void)state;
    int64_t id = hx_unit_create(admin, NULL);
    for (int i = 0; i < 3; i++)
        HX_EXPECT(hx_get(admin, hx_fmt("/api/v1/units/%lld", (long long)id)), 200);
    HX_EXPECT(hx_get(admin, "/api/v1/units/999999"), 404);
    /* Counted once answered: ask on the same (kept-alive) connection, which the server
     * serves in order, so the requests above are all counted. */
    struct hx_resp *r = hx_get(admin, "/metrics");
    HX_EXPECT(r, 200);
    assert_non_null(r->content_type);
    assert_true(strncmp(r->content_type, "text/plain; version=0.0.4", 25) == 0);
    const char *t = r->body;
    assert_non_null(strstr(t, "# TYPE yingji_http_requests_total counter\n"));
    assert_non_null(strstr(t, "# TYPE yingji_http_request_duration_seconds histogram\n"));
    /* The label is the route's pattern, never the raw path. */
    double ok = metric(t, "yingji_http_requests_total{route=\"/api/v1/units/{id}\",method=\"GET\","
                          "status=\"200\"}");
    double nf = metric(t, "yingji_http_requests_total{route=\"/api/v1/units/{id}\",method=\"GET\","
                          "status=\"404\"}");
    assert_true(ok >= 3);
    assert_true(nf >= 1);
    assert_null(strstr(t, "route=\"/api/v1/units/9"));
    assert_null(strstr(t, hx_fmt("route=\"/api/v1/units/%lld", (long long)id)));
    assert_true(metric(t, "yingji_http_requests_total{route=\"/api/v1/units\",method=\"POST\","
                          "status=\"201\"}") >= 1);
    /* The histogram: cumulative buckets ending in +Inf, which equals _count. */
    const char *bucket = "yingji_http_request_duration_seconds_bucket{route=\"/api/v1/units/{id}\"";
    double prev = 0;
    int buckets = 0;
    for (const char *p = strstr(t, bucket); p; p = strstr(p + 1, bucket)) {
        const char *sp = strchr(p, ' ');
        assert_non_null(sp);
        double v = strtod(sp + 1, NULL);
        assert_true(v >= prev);
        prev = v;
        buckets++;
    }
    assert_true(buckets >= 2);
    double inf = metric(t, "yingji_http_request_duration_seconds_bucket{route=\"/api/v1/units/"
                           "{id}\",le=\"+Inf\"}");
    double count = metric(t, "yingji_http_request_duration_seconds_count{route=\"/api/v1/units/"
                             "{id}\"}");
    assert_true(inf >= 4);
    assert_true(inf == count);
    /* The store's and the rendering cache's counters: the create above was a write
     * transaction carried by a COMMIT, and the three GETs of one unversioned-since
     * unit were served from one rendering (at least two hits). */
    double writes = metric(t, "yingji_store_write_transactions_total");
    double commits = metric(t, "yingji_store_commits_total");
    assert_true(writes >= 1);
    assert_true(commits >= 1 && commits <= writes);
    assert_true(metric(t, "yingji_store_checkpoints_total") >= 0);
    assert_true(metric(t, "yingji_render_cache_lookups_total{result=\"hit\"}") >= 2);
    assert_true(metric(t, "yingji_render_cache_lookups_total{result=\"miss\"}") >= 1);
    assert_true(metric(t, "yingji_render_cache_bytes") > 0);
    assert_true(prev == inf);
    assert_true(
        metric(t, "yingji_http_request_duration_seconds_sum{route=\"/api/v1/units/{id}\"}") > 0);
}

static void test_unknown_api_route_is_json_404(void **state)
{
    (void)state;
    static const char *const paths[] = {"/api/v1/nope", "/api/v2/units", "/api/v1/units/1/extra",
                                        "/api/", "/api/v1/units/1/history/2"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(paths); i++) {
        HX_EXPECT_ERROR(hx_get(admin, paths[i]), 404, "not_found", NULL);
        HX_EXPECT_ERROR(hx_get(anon, paths[i]), 404, "not_found", NULL);
    }
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/nope", json_object()), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(anon, "/no-such-page.html"), 404, "not_found", NULL);
}

static void test_wrong_method_is_405(void **state)
{
    (void)state;
    static const struct {
        const char *method, *path;
    } cases[] = {
        {"DELETE", "/api/v1/units"},
        {"PUT", "/healthz"},
        {"POST", "/api/v1/audit"},
        {"PATCH", "/api/v1/session"},
        {"PUT", "/api/v1/units/1"},
        {"POST", "/api/v1/units/1/history"},
        {"GET", "/api/v1/tokens/1"},
        {"DELETE", "/api/v1/users/1"},
        {"POST", "/metrics"},
        {"DELETE", "/api/v1/reference/provinces"},
        {"GET", "/api/v1/session/password"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        struct hx_resp *r = hx_request(admin, cases[i].method, cases[i].path, NULL);
        if (r->status != 405)
            fail_msg("%s %s: HTTP %ld %s", cases[i].method, cases[i].path, r->status, r->body);
        HX_EXPECT_ERROR(r, 405, "method_not_allowed", NULL);
    }
}

static void test_head_and_odd_paths(void **state)
{
    (void)state;
    struct hx_resp *r = hx_request(anon, "HEAD", "/healthz", NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(r->body_len, 0);
    r = hx_request(admin, "HEAD", "/api/v1/units", NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(r->body_len, 0);
    /* static files come from a table loaded at start: no path reaches the file system */
    static const char *const odd[] = {"/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                                      "//etc/passwd", "/hx-probe.html/", "/HX-PROBE.HTML"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(odd); i++) {
        r = hx_get(anon, odd[i]);
        if (r->status != 404 || strstr(r->body, "root:"))
            fail_msg("%s: HTTP %ld %.200s", odd[i], r->status, r->body);
    }
}

static void expect_common_headers(const struct hx_resp *r, const char *what)
{
    const char *nosniff = hx_header(r, "X-Content-Type-Options");
    if (!nosniff || strcmp(nosniff, "nosniff") != 0)
        fail_msg("%s: X-Content-Type-Options is %s", what, nosniff ? nosniff : "missing");
    const char *frame = hx_header(r, "X-Frame-Options");
    if (!frame || strcmp(frame, "DENY") != 0)
        fail_msg("%s: X-Frame-Options is %s", what, frame ? frame : "missing");
    const char *ref = hx_header(r, "Referrer-Policy");
    if (!ref || strcmp(ref, "no-referrer") != 0)
        fail_msg("%s: Referrer-Policy is %s", what, ref ? ref : "missing");
}

static void expect_csp(const struct hx_resp *r, const char *what)
{
    const char *csp = hx_header(r, "Content-Security-Policy");
    if (!csp)
        fail_msg("%s: no Content-Security-Policy on an HTML page", what);
    static const char *const parts[] = {"default-src 'self'", "script-src 'self'",
                                        "object-src 'none'", "frame-ancestors 'none'",
                                        "base-uri 'none'"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(parts); i++)
        if (!strstr(csp, parts[i]))
            fail_msg("%s: CSP lacks %s: %s", what, parts[i], csp);
    if (strstr(csp, "unsafe-inline") || strstr(csp, "unsafe-eval"))
        fail_msg("%s: CSP allows unsafe sources: %s", what, csp);
}

static void test_security_headers(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(anon, "/hx-probe.html");
    HX_EXPECT(r, 200);
    assert_true(strncmp(r->content_type, "text/html", 9) == 0);
    assert_string_equal(r->body, probe_html);
    expect_common_headers(r, "an HTML page");
    expect_csp(r, "an HTML page");

    char *index = hx_read_file(hx_fmt("%s/index.html", web_dir), NULL);
    if (index) {
        r = hx_get(anon, "/");
        HX_EXPECT(r, 200);
        assert_true(strncmp(r->content_type, "text/html", 9) == 0);
        expect_common_headers(r, "/");
        expect_csp(r, "/");
        free(index);
    }

    r = hx_get(anon, "/hx-probe.js");
    HX_EXPECT(r, 200);
    assert_true(strncmp(r->content_type, "text/javascript", 15) == 0);
    expect_common_headers(r, "a script");

    r = hx_get(admin, "/api/v1/units");
    HX_EXPECT(r, 200);
    expect_common_headers(r, "an API answer");
    assert_string_equal(hx_header(r, "Cache-Control"), "no-store");
    expect_common_headers(hx_get(anon, "/api/v1/units"), "a 401");
    expect_common_headers(hx_get(anon, "/api/v1/nope"), "an API 404");
    expect_common_headers(hx_get(anon, "/healthz"), "/healthz");
    expect_common_headers(hx_get(anon, "/metrics"), "/metrics");
}

static void test_error_shape(void **state)
{
    (void)state;
    int64_t id = hx_unit_create(admin, NULL);
    const char *unit = hx_fmt("/api/v1/units/%lld", (long long)id);
    struct hx_client *expert = hx_user_client(admin, "expert", 0);

    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/units", json_pack("{s:i}", "name", 1)), 400, "invalid",
                    "name");
    HX_EXPECT_ERROR(hx_get(anon, "/api/v1/units"), 401, "unauthenticated", NULL);
    HX_EXPECT_ERROR(hx_post(expert, "/api/v1/units", hx_unit_min("专家不能建")), 403, "forbidden",
                    NULL);
    struct hx_client *nocsrf = hx_client_clone(admin);
    nocsrf->send_csrf = false;
    HX_EXPECT_ERROR(hx_post(nocsrf, "/api/v1/units", hx_unit_min("无令牌")), 403, "csrf",
                    "X-CSRF-Token");
    hx_client_free(nocsrf);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/units/424242"), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_request(admin, "PUT", unit, NULL), 405, "method_not_allowed", NULL);
    struct hx_resp *r = hx_get(admin, unit);
    HX_EXPECT(r, 200);
    const char *code = hx_json_str(r, "credit_code");
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/units",
                            json_pack("{s:s,s:s}", "name", "重复", "credit_code", code)),
                    409, "conflict", "credit_code");
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", unit, json_pack("{s:s}", "city", "贵阳市"), "\"999\""),
                    412, "precondition_failed", "If-Match");
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", unit, json_pack("{s:s}", "city", "贵阳市"), NULL), 428,
                    "precondition_required", "If-Match");
    struct hx_req text = {.content_type = "text/plain", .body = "name=x", .body_len = 6};
    HX_EXPECT_ERROR(hx_request(admin, "POST", "/api/v1/units", &text), 415,
                    "unsupported_media_type", "Content-Type");
    size_t big_len = 1024 * 1024 + 1;
    char *big = malloc(big_len);
    assert_non_null(big);
    memset(big, ' ', big_len);
    struct hx_req huge = {.content_type = "application/json", .body = big, .body_len = big_len};
    HX_EXPECT_ERROR(hx_request(admin, "POST", "/api/v1/units", &huge), 413, "too_large", "body");
    free(big);
    hx_client_free(expert);
}

static void expect_list(struct hx_client *c, const char *path)
{
    struct hx_resp *r = hx_get(c, path);
    if (r->status != 200)
        fail_msg("%s: HTTP %ld %s", path, r->status, r->body);
    json_t *next = json_object_get(r->json, "next_cursor");
    if (!json_is_object(r->json) || json_object_size(r->json) != 2 ||
        !json_is_array(json_object_get(r->json, "items")) ||
        !(json_is_null(next) || json_is_string(next)))
        fail_msg("%s: not {\"items\": [...], \"next_cursor\": ...}: %.500s", path, r->body);
}

static void test_list_shape(void **state)
{
    (void)state;
    int64_t a = hx_unit_create(admin, NULL), b = hx_unit_create(admin, NULL);
    char token[64];
    hx_token_create(admin, "list-shape", token);
    static const char *const lists[] = {
        "/api/v1/units",
        "/api/v1/users",
        "/api/v1/tokens",
        "/api/v1/audit",
        "/api/v1/reference/capability-fields",
        "/api/v1/reference/contact-roles",
        "/api/v1/reference/provinces",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(lists); i++)
        expect_list(admin, lists[i]);
    expect_list(admin, hx_fmt("/api/v1/units/%lld/history", (long long)a));

    /* A page of one has a cursor that leads on, and the pages together are the list. */
    struct hx_resp *r = hx_get(admin, "/api/v1/units?limit=1");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_true(json_is_string(json_object_get(r->json, "next_cursor")));
    json_t *all = hx_list_all(admin, "/api/v1/units", 1);
    size_t n = hx_unit_count(admin);
    assert_int_equal(json_array_size(all), n);
    bool seen_a = false, seen_b = false;
    size_t i;
    json_t *v;
    json_array_foreach (all, i, v) {
        seen_a |= json_integer_value(json_object_get(v, "id")) == a;
        seen_b |= json_integer_value(json_object_get(v, "id")) == b;
    }
    assert_true(seen_a && seen_b);
    json_decref(all);
    r = hx_get(admin, "/api/v1/reference/capability-fields");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 11);
    assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
    r = hx_get(admin, "/api/v1/reference/contact-roles");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 5);
    r = hx_get(admin, "/api/v1/reference/provinces");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 34);
}

/* Reads from fd until buf holds needle or the peer closes; returns the bytes read. */
static size_t read_until(int fd, char *buf, size_t cap, const char *needle)
{
    size_t len = 0;
    buf[0] = '\0';
    while (len + 1 < cap && !(needle && strstr(buf, needle))) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc = poll(&p, 1, 60000);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            fail_msg("no answer within 60 s; got so far: %s", buf);
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
    }
    return len;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        assert_true(w > 0);
        p += w;
        n -= (size_t)w;
    }
}

/*
 * A create whose headers the server has taken (it answered 100 Continue, so the
 * handler has started) when SIGTERM arrives; its body follows only once the
 * server logged that it is stopping. The answer must still be 201, the exit
 * clean, and the unit there after a restart.
 */
static void test_sigterm_finishes_request_in_flight(void **state)
{
    (void)state;
    json_t *doc = hx_unit_doc("停机中创建");
    char *body = json_dumps(doc, JSON_COMPACT);
    char name[256];
    snprintf(name, sizeof name, "%s", json_string_value(json_object_get(doc, "name")));
    json_decref(doc);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    const char *head = hx_fmt("POST /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                              "Cookie: yj_session=%s\r\nX-CSRF-Token: %s\r\n"
                              "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                              "Expect: 100-continue\r\nConnection: close\r\n\r\n",
                              srv->port, admin->session_id, admin->csrf, strlen(body));
    write_all(fd, head, strlen(head));
    char buf[65536];
    read_until(fd, buf, sizeof buf, "\r\n\r\n");
    if (strncmp(buf, "HTTP/1.1 100", 12) != 0)
        fail_msg("expected 100 Continue, got: %s", buf);

    assert_int_equal(kill(srv->pid, SIGTERM), 0);
    assert_true(hx_server_wait_log(srv, "\"event\":\"serve.stopping\"", 60000));
    write_all(fd, body, strlen(body));
    free(body);
    read_until(fd, buf, sizeof buf, NULL);
    close(fd);
    if (strncmp(buf, "HTTP/1.1 201", 12) != 0)
        fail_msg("the request in flight was not finished: %.500s", buf);

    int status = hx_server_wait_exit(srv);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *out = NULL;
    int rc = hx_audit_verify(srv->data, &out);
    if (rc != 0)
        fail_msg("audit verify after SIGTERM: %d %s", rc, out);
    free(out);

    hx_server_start(srv);
    json_t *found = hx_list_all(admin, hx_fmt("/api/v1/units?q=%s", hx_escape("停机")), 50);
    bool seen = false;
    size_t i;
    json_t *v;
    json_array_foreach (found, i, v)
        seen |= strcmp(json_string_value(json_object_get(v, "name")), name) == 0;
    json_decref(found);
    assert_true(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthz),
        cmocka_unit_test(test_openapi_served),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_unknown_api_route_is_json_404),
        cmocka_unit_test(test_wrong_method_is_405),
        cmocka_unit_test(test_head_and_odd_paths),
        cmocka_unit_test(test_security_headers),
        cmocka_unit_test(test_error_shape),
        cmocka_unit_test(test_list_shape),
        cmocka_unit_test(test_sigterm_finishes_request_in_flight),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
