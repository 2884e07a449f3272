/*
 * http.h - the HTTP server: libmicrohttpd with its epoll thread pool, a route
 * table, bounded request bodies, JSON error answers, static files for the web
 * UI, security headers, a JSON log line per request and Prometheus metrics.
 *
 * Handlers are plain functions over a decoded request and a response to fill.
 * Everything a handler allocates for the request comes from req->arena, which
 * is released after the response is sent; a response body is malloc'd and
 * owned by the response (the server frees it).
 */
#ifndef YJ_HTTP_HTTP_H
#define YJ_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

enum {
    HTTP_MAX_BODY = 1024 * 1024, /* larger bodies answer 413, unless a route allows more */
    HTTP_MAX_PARAMS = 4,
    HTTP_MAX_HEADERS = 12,
};

struct http_conn; /* the underlying connection, opaque */

struct http_request {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* the URL path, percent-decoded by libmicrohttpd */
    const char *route;  /* the matched route's pattern, e.g. "/api/v1/units/{id}" */
    const char *params[HTTP_MAX_PARAMS]; /* path parameters in pattern order */
    int n_params;
    const char *body; /* NUL-terminated copy of the body ("" when none) */
    size_t body_len;
    const char *client_ip; /* textual address of the peer */
    bool tls;
    struct yj_arena *arena;
    struct http_conn *conn;
    int64_t log_user_id; /* set by handlers so the log line can name the caller's id */
};

struct http_response {
    int status;
    char *body; /* malloc'd; the server frees it */
    size_t body_len;
    const char *content_type; /* static or arena string */
    const char *header_names[HTTP_MAX_HEADERS];
    const char *header_values[HTTP_MAX_HEADERS];
    int n_headers;
};

/* A request header (case-insensitive name), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* A query-string argument, or NULL. */
const char *http_query(const struct http_request *req, const char *name);
/* A cookie's value, or NULL. */
const char *http_cookie(const struct http_request *req, const char *name);
/* Calls fn for every query argument name (to refuse unknown ones). */
void http_query_each(const struct http_request *req, void (*fn)(const char *name, void *ctx),
                     void *ctx);

/* Adds a response header; name and value must outlive the response (static or arena). */
void http_response_header(struct http_response *resp, const char *name, const char *value);

/* Sets a JSON body (takes the reference to j) and status. */
void http_response_json(struct http_response *resp, int status, json_t *j);

/* Sets a body copied from text. */
void http_response_text(struct http_response *resp, int status, const char *content_type,
                        const char *text, size_t len);

/* The error body {"error":{"code","message","field"}} with the status of err->code. */
void http_response_error(struct http_response *resp, const struct yj_error *err);

/* 204 No Content. */
void http_response_empty(struct http_response *resp);

typedef void (*http_handler)(void *app, struct http_request *req, struct http_response *resp);

struct http_route {
    const char *method;
    const char *pattern; /* literal segments and "{name}" segments */
    http_handler fn;
    size_t max_body; /* the largest body the route takes; 0 for HTTP_MAX_BODY */
};

/*
 * Matches method and path against routes. Returns the route, or NULL with
 * *path_known set when some route has this path with another method (405).
 * Path parameters go to params/n_params (arena copies).
 */
const struct http_route *http_route_match(const struct http_route *routes, size_t n,
                                          const char *method, const char *path, struct yj_arena *a,
                                          const char **params, int *n_params, bool *path_known);

struct http_config {
    const char *listen;   /* "ADDR:PORT"; port 0 picks a free one */
    int threads;          /* 0: twice the number of cores, at least 4 */
    const char *web_dir;  /* static files, loaded at start; NULL for none */
    const char *tls_cert; /* PEM files; both NULL for plain HTTP */
    const char *tls_key;
    const struct http_route *routes;
    size_t n_routes;
    void *app; /* passed to handlers */
};

struct http_server;

/* Binds and starts serving. The server reads cfg->routes and cfg->app until stopped. */
enum yj_err http_server_start(const struct http_config *cfg, struct http_server **out,
                              struct yj_error *err);

/* The bound port (useful with port 0). */
uint16_t http_server_port(const struct http_server *s);

/* Stops accepting, waits up to drain_ms for requests in flight, then stops and frees. */
void http_server_stop(struct http_server *s, int64_t drain_ms);

/* The /metrics text (Prometheus exposition format), malloc'd. */
char *http_metrics_render(void);

#endif
