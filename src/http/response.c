/*
 * response.c - building responses and matching routes: the parts of the HTTP
 * layer that need no socket, so unit tests and fuzzers reach them directly.
 */
#include "core/yj.h"
#include "http/http.h"

void http_response_header(struct http_response *resp, const char *name, const char *value)
{
    if (resp->n_headers >= HTTP_MAX_HEADERS || !name || !value)
        return;
    resp->header_names[resp->n_headers] = name;
    resp->header_values[resp->n_headers] = value;
    resp->n_headers++;
}

void http_response_text(struct http_response *resp, int status, const char *content_type,
                        const char *text, size_t len)
{
    free(resp->body);
    resp->body = malloc(len + 1);
    if (!resp->body) {
        resp->status = 503;
        resp->body_len = 0;
        return;
    }
    memcpy(resp->body, text, len);
    resp->body[len] = '\0';
    resp->body_len = len;
    resp->status = status;
    resp->content_type = content_type;
}

void http_response_json(struct http_response *resp, int status, json_t *j)
{
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    if (!s) {
        static const char oom[] =
            "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}";
        http_response_text(resp, 503, "application/json", oom, sizeof oom - 1);
        return;
    }
    resp->body = s;
    resp->body_len = strlen(s);
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
}

void http_response_error(struct http_response *resp, const struct yj_error *err)
{
    json_t *e = json_pack("{s:s,s:s}", "code", yj_err_name(err->code), "message",
                          err->msg[0] ? err->msg : yj_err_name(err->code));
    if (e && err->field[0])
        json_object_set_new(e, "field", json_string(err->field));
    http_response_json(resp, yj_err_http_status(err->code), json_pack("{s:o}", "error", e));
}

void http_response_empty(struct http_response *resp)
{
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    resp->status = 204;
    resp->content_type = NULL;
}

/* Compares one pattern segment with one path segment; "{x}" matches any non-empty one. */
static bool segment_match(const char *pat, size_t plen, const char *seg, size_t slen)
{
    if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}')
        return slen > 0;
    return plen == slen && memcmp(pat, seg, plen) == 0;
}

static bool pattern_match(const char *pattern, const char *path, struct yj_arena *a,
                          const char **params, int *n_params)
{
    const char *p = pattern, *q = path;
    int n = 0;
    while (*p == '/' && *q == '/') {
        p++;
        q++;
        size_t plen = strcspn(p, "/"), qlen = strcspn(q, "/");
        if (!segment_match(p, plen, q, qlen))
            return false;
        if (p[0] == '{') {
            if (n >= HTTP_MAX_PARAMS)
                return false;
            if (params)
                params[n] = a ? yj_arena_strndup(a, q, qlen) : NULL;
            n++;
        }
        p += plen;
        q += qlen;
    }
    if (*p || *q)
        return false;
    if (n_params)
        *n_params = n;
    return true;
}

const struct http_route *http_route_match(const struct http_route *routes, size_t n,
                                          const char *method, const char *path, struct yj_arena *a,
                                          const char **params, int *n_params, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < n; i++) {
        if (!pattern_match(routes[i].pattern, path, NULL, NULL, NULL))
            continue;
        *path_known = true;
        bool same = strcmp(routes[i].method, method) == 0 ||
                    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0);
        if (same) {
            pattern_match(routes[i].pattern, path, a, params, n_params);
            return &routes[i];
        }
    }
    return NULL;
}
