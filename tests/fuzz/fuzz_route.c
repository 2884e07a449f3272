/*
 * fuzz_route.c - request lines against the server's route table: the input is
 * "METHOD PATH" (split at the first space; a NUL byte ends either early, as
 * it would in a C string from libmicrohttpd). A match must put back together:
 * the pattern with its parameters substituted is exactly the path.
 */
#include "api/api.h"
#include "core/yj.h"
#include "fuzz.h"

/* Rebuilds the path from the route's pattern and the captured parameters. */
static void check_rebuild(const char *pattern, const char *path, const char **params, int n)
{
    char buf[4096];
    size_t len = 0;
    int used = 0;
    const char *p = pattern;
    while (*p) {
        size_t seg = strcspn(p, "/");
        const char *piece = p;
        size_t piece_len = seg;
        if (seg >= 2 && p[0] == '{' && p[seg - 1] == '}') {
            FUZZ_CHECK(used < n);
            piece = params[used++];
            FUZZ_CHECK(piece != NULL && piece[0] != '\0' && strchr(piece, '/') == NULL);
            piece_len = strlen(piece);
        }
        if (len + piece_len + 1 >= sizeof buf)
            return; /* longer than any route we care to rebuild */
        memcpy(buf + len, piece, piece_len);
        len += piece_len;
        p += seg;
        if (*p == '/')
            buf[len++] = *p++;
    }
    buf[len] = '\0';
    FUZZ_CHECK(used == n);
    FUZZ_CHECK(strcmp(buf, path) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_strndup(data, size);
    char *sp = strchr(line, ' ');
    const char *method = line, *path = "";
    if (sp) {
        *sp = '\0';
        path = sp + 1;
    }
    struct yj_arena a;
    yj_arena_init(&a, 0);
    const char *params[HTTP_MAX_PARAMS] = {NULL};
    int n_params = -1;
    bool known = false;
    const struct http_route *r =
        http_route_match(api_routes, api_routes_count, method, path, &a, params, &n_params, &known);
    if (r) {
        FUZZ_CHECK(known);
        FUZZ_CHECK(r >= api_routes && r < api_routes + api_routes_count);
        FUZZ_CHECK(strcmp(r->method, method) == 0 ||
                   (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0));
        FUZZ_CHECK(n_params >= 0 && n_params <= HTTP_MAX_PARAMS);
        check_rebuild(r->pattern, path, params, n_params);
    }
    /* known (405 rather than 404) exactly when some route has this path, with its own method. */
    bool found = false;
    for (size_t i = 0; !found && i < api_routes_count; i++) {
        int n = 0;
        bool k = false;
        const char *ps[HTTP_MAX_PARAMS];
        found =
            http_route_match(&api_routes[i], 1, api_routes[i].method, path, &a, ps, &n, &k) != NULL;
    }
    FUZZ_CHECK(found == known);
    yj_arena_release(&a);
    free(line);
    return 0;
}
