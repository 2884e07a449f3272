/*
 * http_int.h - shared inside the HTTP module.
 */
#ifndef YJ_HTTP_INT_H
#define YJ_HTTP_INT_H

#include "http/http.h"

/* Counts one answered request. route and method must be static strings. */
void http_metrics_observe(const char *route, const char *method, int status, double seconds);

/* Static files loaded into memory at start. */
struct http_static;
/* Loads every regular file under dir (recursively, at most 64 MiB in all). */
enum yj_err http_static_load(const char *dir, struct http_static **out, struct yj_error *err);
void http_static_free(struct http_static *s);
/* The file for a URL path ("/" is "/index.html"), or NULL. Borrowed until free. */
const char *http_static_find(const struct http_static *s, const char *path, size_t *len,
                             const char **content_type);

#endif
