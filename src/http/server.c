/*
 * server.c - libmicrohttpd glue: per-request context with a bounded body and
 * an arena, dispatch through the route table, static files, security headers,
 * logging, metrics, and a graceful stop that lets requests in flight finish.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/yj.h"
#include "http/http_int.h"

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_config cfg;
    struct http_static *files;
    char *tls_cert, *tls_key;
    uint16_t port;
    pthread_mutex_t lock;
    pthread_cond_t idle;
    int active;
};

struct req_ctx {
    struct yj_arena arena;
    struct yj_buf body;
    bool too_big;
    struct timespec start;
    const char *route_label;
    const char *method_label;
    int status;
    int64_t user_id;
    size_t bytes;
    struct http_server *srv;
};

/* Headers every answer carries; HTML additionally gets the CSP (no inline script). */
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                          "object-src 'none'; base-uri 'none'; form-action 'self'; "
                          "frame-ancestors 'none'";

const char *http_header(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_GET_ARGUMENT_KIND,
                                       name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_COOKIE_KIND, name);
}

struct each_ctx {
    void (*fn)(const char *name, void *ctx);
    void *ctx;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    (void)value;
    struct each_ctx *e = cls;
    e->fn(key, e->ctx);
    return MHD_YES;
}

void http_query_each(const struct http_request *req, void (*fn)(const char *name, void *ctx),
                     void *ctx)
{
    struct each_ctx e = {fn, ctx};
    MHD_get_connection_values((struct MHD_Connection *)req->conn, MHD_GET_ARGUMENT_KIND, each_arg,
                              &e);
}

static const char *method_label(const char *m)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(known); i++)
        if (strcmp(m, known[i]) == 0)
            return known[i];
    return "OTHER";
}

static void client_ip(struct MHD_Connection *c, char *out, size_t n)
{
    snprintf(out, n, "unknown");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct req_ctx *rc,
                                     struct http_response *resp, bool is_html, bool persistent)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        resp->body_len, resp->body, persistent ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!r) {
        if (!persistent)
            free(resp->body);
        return MHD_NO;
    }
    resp->body = NULL; /* now libmicrohttpd's */
    if (resp->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    if (is_html)
        MHD_add_response_header(r, "Content-Security-Policy", csp);
    if (!persistent)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    else
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    for (int i = 0; i < resp->n_headers; i++)
        MHD_add_response_header(r, resp->header_names[i], resp->header_values[i]);
    rc->status = resp->status;
    rc->bytes = resp->body_len;
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, struct req_ctx *rc, enum yj_err code,
                                  const char *field, const char *msg)
{
    struct yj_error err;
    yj_error_set(&err, code, field, "%s", msg);
    struct http_response resp = {0};
    http_response_error(&resp, &err);
    return send_response(c, rc, &resp, false, false);
}

static enum MHD_Result serve_static(struct MHD_Connection *c, struct req_ctx *rc,
                                    const char *method, const char *url)
{
    size_t len = 0;
    const char *type = NULL;
    const char *data = NULL;
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
        data = http_static_find(rc->srv->files, url, &len, &type);
    rc->route_label = "static";
    if (!data)
        return send_error(c, rc, YJ_ENOTFOUND, NULL, "no such page");
    struct http_response resp = {
        .status = 200, .body = (char *)(uintptr_t)data, .body_len = len, .content_type = type};
    return send_response(c, rc, &resp, strncmp(type, "text/html", 9) == 0, true);
}

static enum MHD_Result dispatch(struct MHD_Connection *c, struct req_ctx *rc, const char *url,
                                const char *method)
{
    struct http_server *srv = rc->srv;
    if (rc->too_big) {
        char msg[64];
        snprintf(msg, sizeof msg, "the request body is over %zu KiB", rc->body.max / 1024);
        return send_error(c, rc, YJ_ETOOBIG, "body", msg);
    }
    struct http_request req = {
        .method = method, .path = url, .arena = &rc->arena, .conn = (struct http_conn *)c};
    bool known = false;
    const struct http_route *route =
        http_route_match(srv->cfg.routes, srv->cfg.n_routes, method, url, &rc->arena, req.params,
                         &req.n_params, &known);
    if (!route) {
        if (known) {
            rc->route_label = "unmatched";
            return send_error(c, rc, YJ_EMETHOD, NULL, "method not allowed on this path");
        }
        if (strncmp(url, "/api/", 5) == 0) {
            rc->route_label = "unmatched";
            return send_error(c, rc, YJ_ENOTFOUND, NULL, "no such API route");
        }
        return serve_static(c, rc, method, url);
    }
    rc->route_label = route->pattern;
    char ip[INET6_ADDRSTRLEN];
    client_ip(c, ip, sizeof ip);
    req.route = route->pattern;
    req.client_ip = ip;
    req.tls = srv->tls_cert != NULL;
    req.body = rc->body.ptr ? rc->body.ptr : "";
    req.body_len = rc->body.len;
    struct http_response resp = {0};
    route->fn(srv->cfg.app, &req, &resp);
    rc->user_id = req.log_user_id;
    if (resp.status == 0) {
        free(resp.body);
        return send_error(c, rc, YJ_EINTERNAL, NULL, "the handler gave no answer");
    }
    /* A handler's HTML page (a printable export) gets the same CSP as the UI's. */
    bool html = resp.content_type && strncmp(resp.content_type, "text/html", 9) == 0;
    return send_response(c, rc, &resp, html, false);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct req_ctx *rc = *con_cls;
    if (!rc) {
        rc = calloc(1, sizeof *rc);
        if (!rc)
            return MHD_NO;
        rc->srv = srv;
        yj_arena_init(&rc->arena, 0);
        yj_buf_init(&rc->body, HTTP_MAX_BODY);
        clock_gettime(CLOCK_MONOTONIC, &rc->start);
        rc->route_label = "unmatched";
        rc->method_label = method_label(method);
        *con_cls = rc;
        pthread_mutex_lock(&srv->lock);
        srv->active++;
        pthread_mutex_unlock(&srv->lock);
        /* The route decides how large a body may be (uploads take more than JSON). */
        bool known;
        const struct http_route *r = http_route_match(srv->cfg.routes, srv->cfg.n_routes, method,
                                                      url, NULL, NULL, NULL, &known);
        if (r && r->max_body)
            rc->body.max = r->max_body;
        /* Refuse an announced oversize body before reading any of it. */
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        int64_t n;
        if (cl && yj_parse_i64(cl, 0, INT64_MAX, &n) == 0 && (uint64_t)n > rc->body.max) {
            /* Answering now, before "100 Continue", spares reading a body we refuse. */
            rc->too_big = true;
            return dispatch(c, rc, url, method);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!rc->too_big && yj_buf_append(&rc->body, upload_data, *upload_data_size) != YJ_OK) {
            rc->too_big = true;
            yj_buf_release(&rc->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(c, rc, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    struct http_server *srv = cls;
    struct req_ctx *rc = *con_cls;
    if (!rc)
        return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double secs =
        (double)(end.tv_sec - rc->start.tv_sec) + (double)(end.tv_nsec - rc->start.tv_nsec) / 1e9;
    int status = rc->status ? rc->status : 499; /* the client went away before an answer */
    http_metrics_observe(rc->route_label, rc->method_label, status, secs);
    /* Route labels are patterns from the route table and methods are literals,
     * so the fields need no escaping (see yj_log_fields). */
    char fields[512];
    char user[40] = "";
    if (rc->user_id)
        snprintf(user, sizeof user, ",\"user_id\":%lld", (long long)rc->user_id);
    snprintf(fields, sizeof fields,
             "\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"ms\":%.3f,\"bytes\":%zu%s,"
             "\"complete\":%s",
             rc->method_label, rc->route_label, status, secs * 1e3, rc->bytes, user,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "true" : "false");
    yj_log_fields(YJ_LOG_INFO, "request", fields);
    yj_arena_release(&rc->arena);
    yj_buf_release(&rc->body);
    free(rc);
    *con_cls = NULL;
    pthread_mutex_lock(&srv->lock);
    if (--srv->active == 0)
        pthread_cond_broadcast(&srv->idle);
    pthread_mutex_unlock(&srv->lock);
}

/* Parses "ADDR:PORT", "[V6]:PORT" or ":PORT" (all IPv4 addresses). */
static enum yj_err parse_listen(const char *listen, struct sockaddr_storage *ss,
                                struct yj_error *err)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(listen, ':');
    if (!colon)
        return yj_error_set(err, YJ_EINVAL, "listen", "expected ADDR:PORT");
    int64_t port;
    if (yj_parse_i64(colon + 1, 0, 65535, &port) != 0)
        return yj_error_set(err, YJ_EINVAL, "listen", "bad port");
    char host[64];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host)
        return yj_error_set(err, YJ_EINVAL, "listen", "address too long");
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return yj_error_set(err, YJ_EINVAL, "listen", "bad IPv6 address");
        return YJ_OK;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (host[0] == '\0')
        a4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return yj_error_set(err, YJ_EINVAL, "listen", "bad IPv4 address");
    return YJ_OK;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct yj_buf b;
    yj_buf_init(&b, 1024 * 1024);
    char chunk[4096];
    size_t n;
    enum yj_err rc = YJ_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = yj_buf_append(&b, chunk, n);
    fclose(f);
    if (rc) {
        yj_buf_release(&b);
        return NULL;
    }
    return yj_buf_detach(&b, NULL);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    yj_log(YJ_LOG_WARN, "http.library", "{s:s}", "message", msg);
}

enum yj_err http_server_start(const struct http_config *cfg, struct http_server **out,
                              struct yj_error *err)
{
    struct sockaddr_storage ss;
    enum yj_err rc = parse_listen(cfg->listen, &ss, err);
    if (rc)
        return rc;
    struct http_server *s = calloc(1, sizeof *s);
    if (!s)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    s->cfg = *cfg;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    if (cfg->web_dir && (rc = http_static_load(cfg->web_dir, &s->files, err)) != YJ_OK) {
        http_server_stop(s, 0);
        return rc;
    }
    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cfg->tls_cert || cfg->tls_key) {
        s->tls_cert = cfg->tls_cert ? slurp(cfg->tls_cert) : NULL;
        s->tls_key = cfg->tls_key ? slurp(cfg->tls_key) : NULL;
        if (!s->tls_cert || !s->tls_key) {
            http_server_stop(s, 0);
            return yj_error_set(err, YJ_EINVAL, "tls", "cannot read the TLS certificate or key");
        }
        flags |= MHD_USE_TLS;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* A handler that waits (an fsync, the write lock, an Argon2 login) stalls every
     * connection on its thread, so there are more threads than cores; many more
     * only add scheduling delay to reads (measured: docs/PERFORMANCE.md). More
     * threads also let more writers share a commit. */
    unsigned threads =
        cfg->threads > 0 ? (unsigned)cfg->threads : (unsigned)(cores > 2 ? 2 * cores : 4);
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                                 mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                 MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
                                 on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_ARRAY,
                                 s->tls_cert ? tls_opts : &tls_opts[2], MHD_OPTION_END);
    if (!s->daemon) {
        http_server_stop(s, 0);
        return yj_error_set(err, YJ_EIO, "listen", "cannot listen on %s", cfg->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *out = s;
    return YJ_OK;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s, int64_t drain_ms)
{
    if (!s)
        return;
    if (s->daemon) {
        MHD_socket fd = MHD_quiesce_daemon(s->daemon);
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += drain_ms / 1000;
        until.tv_nsec += (drain_ms % 1000) * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_mutex_lock(&s->lock);
        while (s->active > 0)
            if (pthread_cond_timedwait(&s->idle, &s->lock, &until) != 0)
                break;
        int left = s->active;
        pthread_mutex_unlock(&s->lock);
        if (left)
            yj_log(YJ_LOG_WARN, "http.drain_timeout", "{s:i}", "in_flight", left);
        MHD_stop_daemon(s->daemon);
    }
    http_static_free(s->files);
    free(s->tls_cert);
    free(s->tls_key);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->idle);
    free(s);
}
