/*
 * test_server.c - the server on loopback, driven with raw HTTP/1.1 over a
 * socket: request headers, query arguments and cookies reach the handler;
 * parameters and the body too; answers carry the security headers and the
 * handler's own; 404/405/413/500 come back as JSON errors; HEAD has no body;
 * static files are served; bad listen addresses are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/yj.h"
#include "http/http.h"

/* ---- handlers ---- */

struct seen_args {
    char names[8][32];
    int n;
};

static void collect(const char *name, void *ctx)
{
    struct seen_args *s = ctx;
    if (s->n < 8)
        snprintf(s->names[s->n++], sizeof s->names[0], "%s", name);
}

static void h_echo(void *app, struct http_request *req, struct http_response *resp)
{
    int *calls = app;
    (*calls)++;
    struct seen_args args = {0};
    http_query_each(req, collect, &args);
    json_t *names = json_array();
    for (int i = 0; i < args.n; i++)
        json_array_append_new(names, json_string(args.names[i]));
    json_t *params = json_array();
    for (int i = 0; i < req->n_params; i++)
        json_array_append_new(params, json_string(req->params[i]));
    const char *h = http_header(req, "x-test"); /* names are case-insensitive */
    const char *q = http_query(req, "q");
    const char *c = http_cookie(req, "yj_session");
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s%,s:b}", "method", req->method, "path",
                          req->path, "route", req->route, "params", params, "args", names, "body",
                          req->body, req->body_len, "tls", req->tls);
    json_object_set_new(o, "header", h ? json_string(h) : json_null());
    json_object_set_new(o, "query", q ? json_string(q) : json_null());
    json_object_set_new(o, "cookie", c ? json_string(c) : json_null());
    json_object_set_new(o, "missing", http_header(req, "X-Absent") ? json_true() : json_false());
    json_object_set_new(o, "ip", json_string(req->client_ip));
    http_response_header(resp, "X-Handler", "echo");
    http_response_json(resp, 200, o);
}

static void h_silent(void *app, struct http_request *req, struct http_response *resp)
{
    (void)app;
    (void)req;
    (void)resp; /* a buggy handler that answers nothing */
}

static const struct http_route routes[] = {
    {"GET", "/api/echo/{a}/{b}", h_echo, 0},
    {"POST", "/api/echo/{a}/{b}", h_echo, 0},
    {"GET", "/api/silent", h_silent, 0},
    {"POST", "/api/upload/{a}/{b}", h_echo, 3 * HTTP_MAX_BODY}, /* a route that takes more */
};

/* ---- a tiny client ---- */

struct reply {
    int status;
    char *head; /* status line and headers */
    char *body;
    size_t body_len;
};

static void reply_free(struct reply *r)
{
    free(r->head);
    free(r->body);
}

/* Sends raw bytes, reads the whole answer (the request says Connection: close). */
static struct reply send_raw(uint16_t port, const char *req, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer and close before reading it all */
        off += (size_t)n;
    }
    struct yj_buf b;
    yj_buf_init(&b, 8 * 1024 * 1024);
    char chunk[8192];
    ssize_t n;
    while ((n = recv(fd, chunk, sizeof chunk, 0)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, (size_t)n), YJ_OK);
    close(fd);
    struct reply r = {0};
    assert_non_null(b.ptr);
    char *sep = strstr(b.ptr, "\r\n\r\n");
    assert_non_null(sep);
    r.head = strndup(b.ptr, (size_t)(sep - b.ptr) + 2);
    r.body_len = b.len - (size_t)(sep + 4 - b.ptr);
    r.body = malloc(r.body_len + 1);
    memcpy(r.body, sep + 4, r.body_len);
    r.body[r.body_len] = '\0';
    assert_int_equal(sscanf(b.ptr, "HTTP/1.1 %d", &r.status), 1);
    yj_buf_release(&b);
    return r;
}

static struct reply request(uint16_t port, const char *method, const char *target,
                            const char *extra_headers, const char *body)
{
    char *req = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&req, &len);
    fprintf(f, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s", method, target,
            extra_headers ? extra_headers : "");
    if (body)
        fprintf(f, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    else
        fprintf(f, "\r\n");
    fclose(f);
    struct reply r = send_raw(port, req, len);
    free(req);
    return r;
}

static bool has_header(const struct reply *r, const char *line)
{
    char want[256];
    snprintf(want, sizeof want, "\r\n%s\r\n", line);
    return strcasestr(r->head, want) != NULL;
}

static json_t *body_json(const struct reply *r)
{
    json_error_t je;
    json_t *j = json_loadb(r->body, r->body_len, 0, &je);
    if (!j)
        fail_msg("not JSON: %s", r->body);
    return j;
}

static const char *error_code(const struct reply *r, json_t **hold)
{
    *hold = body_json(r);
    return json_string_value(json_object_get(json_object_get(*hold, "error"), "code"));
}

/* ---- fixture ---- */

struct fx {
    struct http_server *srv;
    uint16_t port;
    int calls;
    char web[64];
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->web, sizeof f->web, "/tmp/yj-ut-web-XXXXXX");
    assert_non_null(mkdtemp(f->web));
    char path[128];
    snprintf(path, sizeof path, "%s/index.html", f->web);
    write_file(path, "<!doctype html><title>yingji</title>");
    snprintf(path, sizeof path, "%s/app.js", f->web);
    write_file(path, "export {};\n");
    struct http_config cfg = {
        .listen = "127.0.0.1:0",
        .threads = 2,
        .web_dir = f->web,
        .routes = routes,
        .n_routes = YJ_ARRAY_LEN(routes),
        .app = &f->calls,
    };
    struct yj_error e;
    if (http_server_start(&cfg, &f->srv, &e) != YJ_OK)
        fail_msg("start: %s", e.msg);
    f->port = http_server_port(f->srv);
    assert_true(f->port > 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    http_server_stop(f->srv, 1000);
    nftw(f->web, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- tests ---- */

static void test_request_reaches_handler(void **state)
{
    struct fx *f = *state;
    struct reply r = request(f->port, "GET", "/api/echo/one/two?q=%E4%B8%AD&z=1",
                             "X-Test: hello\r\nCookie: a=b; yj_session=s3cr3t\r\n", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(f->calls, 1);
    json_t *j = body_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "method")), "GET");
    assert_string_equal(json_string_value(json_object_get(j, "path")), "/api/echo/one/two");
    assert_string_equal(json_string_value(json_object_get(j, "route")), "/api/echo/{a}/{b}");
    json_t *p = json_object_get(j, "params");
    assert_int_equal(json_array_size(p), 2);
    assert_string_equal(json_string_value(json_array_get(p, 0)), "one");
    assert_string_equal(json_string_value(json_array_get(p, 1)), "two");
    assert_string_equal(json_string_value(json_object_get(j, "header")), "hello");
    assert_string_equal(json_string_value(json_object_get(j, "query")), "中"); /* decoded */
    assert_string_equal(json_string_value(json_object_get(j, "cookie")), "s3cr3t");
    assert_true(json_is_false(json_object_get(j, "missing")));
    assert_true(json_is_false(json_object_get(j, "tls")));
    assert_string_equal(json_string_value(json_object_get(j, "ip")), "127.0.0.1");
    assert_string_equal(json_string_value(json_object_get(j, "body")), "");
    json_t *args = json_object_get(j, "args");
    assert_int_equal(json_array_size(args), 2);
    assert_string_equal(json_string_value(json_array_get(args, 0)), "q");
    assert_string_equal(json_string_value(json_array_get(args, 1)), "z");
    json_decref(j);
    /* Security and cache headers, the content type and the handler's own header. */
    assert_true(has_header(&r, "X-Content-Type-Options: nosniff"));
    assert_true(has_header(&r, "Referrer-Policy: no-referrer"));
    assert_true(has_header(&r, "X-Frame-Options: DENY"));
    assert_true(has_header(&r, "Cache-Control: no-store"));
    assert_true(has_header(&r, "Content-Type: application/json; charset=utf-8"));
    assert_true(has_header(&r, "X-Handler: echo"));
    reply_free(&r);
    /* Absent ones are NULL. */
    r = request(f->port, "GET", "/api/echo/a/b", NULL, NULL);
    j = body_json(&r);
    assert_true(json_is_null(json_object_get(j, "header")));
    assert_true(json_is_null(json_object_get(j, "query")));
    assert_true(json_is_null(json_object_get(j, "cookie")));
    assert_int_equal(json_array_size(json_object_get(j, "args")), 0);
    json_decref(j);
    reply_free(&r);
}

static void test_body(void **state)
{
    struct fx *f = *state;
    struct reply r = request(f->port, "POST", "/api/echo/x/y", "Content-Type: application/json\r\n",
                             "{\"name\":\"甲\"}");
    assert_int_equal(r.status, 200);
    json_t *j = body_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "body")), "{\"name\":\"甲\"}");
    json_decref(j);
    reply_free(&r);
}

static void test_errors(void **state)
{
    struct fx *f = *state;
    json_t *hold;
    /* A known path with another method. */
    struct reply r = request(f->port, "DELETE", "/api/echo/x/y", NULL, NULL);
    assert_int_equal(r.status, 405);
    assert_string_equal(error_code(&r, &hold), "method_not_allowed");
    json_decref(hold);
    reply_free(&r);
    /* An unknown API path is a JSON 404, never a static file. */
    r = request(f->port, "GET", "/api/nothing", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_string_equal(error_code(&r, &hold), "not_found");
    json_decref(hold);
    reply_free(&r);
    /* A handler that answers nothing becomes a 500. */
    r = request(f->port, "GET", "/api/silent", NULL, NULL);
    assert_int_equal(r.status, 500);
    assert_string_equal(error_code(&r, &hold), "internal");
    json_decref(hold);
    reply_free(&r);
    assert_int_equal(f->calls, 0);
}

static void test_body_too_big(void **state)
{
    struct fx *f = *state;
    size_t n = HTTP_MAX_BODY + 1;
    char *body = malloc(n + 1);
    memset(body, 'x', n);
    body[n] = '\0';
    struct reply r = request(f->port, "POST", "/api/echo/x/y", NULL, body);
    assert_int_equal(r.status, 413);
    json_t *hold;
    assert_string_equal(error_code(&r, &hold), "too_large");
    json_decref(hold);
    reply_free(&r);
    assert_int_equal(f->calls, 0); /* the handler never saw it */
    /* Exactly the maximum is fine. */
    body[HTTP_MAX_BODY] = '\0';
    r = request(f->port, "POST", "/api/echo/x/y", NULL, body);
    assert_int_equal(r.status, 200);
    assert_int_equal(f->calls, 1);
    reply_free(&r);
    free(body);
}

/* A route's own limit replaces the default, both ways. */
static void test_route_body_limit(void **state)
{
    struct fx *f = *state;
    size_t n = 2 * HTTP_MAX_BODY;
    char *body = malloc(3 * HTTP_MAX_BODY + 2);
    memset(body, 'x', 3 * HTTP_MAX_BODY + 1);
    body[n] = '\0';
    struct reply r = request(f->port, "POST", "/api/upload/x/y", NULL, body);
    assert_int_equal(r.status, 200);
    assert_int_equal(f->calls, 1);
    reply_free(&r);
    body[n] = 'x';
    body[3 * HTTP_MAX_BODY + 1] = '\0';
    r = request(f->port, "POST", "/api/upload/x/y", NULL, body);
    assert_int_equal(r.status, 413);
    json_t *hold;
    assert_string_equal(error_code(&r, &hold), "too_large");
    json_decref(hold);
    reply_free(&r);
    assert_int_equal(f->calls, 1);
    /* The default still holds for the other routes. */
    body[n] = '\0';
    r = request(f->port, "POST", "/api/echo/x/y", NULL, body);
    assert_int_equal(r.status, 413);
    reply_free(&r);
    free(body);
}

static void test_head(void **state)
{
    struct fx *f = *state;
    struct reply r = request(f->port, "HEAD", "/api/echo/x/y", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    assert_int_equal(f->calls, 1);
    reply_free(&r);
}

static void test_static(void **state)
{
    struct fx *f = *state;
    struct reply r = request(f->port, "GET", "/", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "<!doctype html><title>yingji</title>");
    assert_true(has_header(&r, "Content-Type: text/html; charset=utf-8"));
    assert_non_null(strcasestr(r.head, "Content-Security-Policy: default-src 'self'"));
    assert_true(has_header(&r, "Cache-Control: no-cache"));
    reply_free(&r);
    r = request(f->port, "GET", "/app.js", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "export {};\n");
    assert_null(strcasestr(r.head, "Content-Security-Policy"));
    reply_free(&r);
    /* Missing files and other methods are 404s; no path reaches the disk. */
    const char *missing[] = {"/nope.html", "/../../etc/passwd", "/index.html/"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(missing); i++) {
        r = request(f->port, "GET", missing[i], NULL, NULL);
        assert_int_equal(r.status, 404);
        reply_free(&r);
    }
    r = request(f->port, "POST", "/index.html", NULL, "x");
    assert_int_equal(r.status, 404);
    reply_free(&r);
}

static void test_metrics_after_requests(void **state)
{
    struct fx *f = *state;
    struct reply r = request(f->port, "GET", "/api/echo/m/n", NULL, NULL);
    reply_free(&r);
    /* A request is counted when its connection completes; stopping waits for that. */
    http_server_stop(f->srv, 5000);
    f->srv = NULL;
    char *text = http_metrics_render();
    assert_non_null(strstr(text, "route=\"/api/echo/{a}/{b}\",method=\"GET\",status=\"200\""));
    assert_null(strstr(text, "/api/echo/m/n")); /* patterns, never raw paths */
    free(text);
}

static void test_bad_listen(void **state)
{
    (void)state;
    const char *bad[] = {"nope",         "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:x",
                         "999.0.0.1:80", "[::1:80",   "[zz]:80",         ":-1"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        struct http_config cfg = {.listen = bad[i], .routes = routes, .n_routes = 1};
        struct http_server *s = NULL;
        struct yj_error e;
        enum yj_err rc = http_server_start(&cfg, &s, &e);
        if (rc != YJ_EINVAL)
            fail_msg("%s: %s", bad[i], yj_err_name(rc));
        assert_string_equal(e.field, "listen");
        assert_null(s);
    }
    /* A web directory that does not exist. */
    struct http_config cfg = {.listen = "127.0.0.1:0", .web_dir = "/nonexistent/yj-web"};
    struct http_server *s = NULL;
    struct yj_error e;
    assert_int_equal(http_server_start(&cfg, &s, &e), YJ_EIO);
    http_server_stop(NULL, 0);
}

static void test_ipv6_and_port_in_use(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", f->port);
    struct http_config cfg = {.listen = listen, .threads = 2, .routes = routes, .n_routes = 1};
    struct http_server *s = NULL;
    assert_int_equal(http_server_start(&cfg, &s, &e), YJ_EIO);
    cfg.listen = "[::1]:0";
    if (http_server_start(&cfg, &s, &e) == YJ_OK) { /* where IPv6 loopback exists */
        assert_true(http_server_port(s) > 0);
        http_server_stop(s, 0);
    }
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_request_reaches_handler),
        T(test_body),
        T(test_errors),
        T(test_body_too_big),
        T(test_route_body_limit),
        T(test_head),
        T(test_static),
        T(test_metrics_after_requests),
        cmocka_unit_test(test_bad_listen),
        T(test_ipv6_and_port_in_use),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
