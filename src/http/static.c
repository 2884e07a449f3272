/*
 * static.c - the web UI's files, read into memory once at start. Lookups only
 * ever consult this table, so no request path reaches the file system.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "http/http_int.h"

enum { STATIC_MAX_FILES = 512, STATIC_MAX_TOTAL = 64 * 1024 * 1024 };

struct static_file {
    char *url; /* "/index.html" */
    char *data;
    size_t len;
    const char *type;
};

struct http_static {
    struct static_file files[STATIC_MAX_FILES];
    size_t n;
    size_t total;
};

static const char *content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".yaml", "application/yaml; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < YJ_ARRAY_LEN(types); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static enum yj_err read_file(const char *path, char **data, size_t *len, struct yj_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return yj_error_set(err, YJ_EIO, "web", "cannot read %s", path);
    struct yj_buf b;
    yj_buf_init(&b, STATIC_MAX_TOTAL);
    char chunk[16384];
    size_t n;
    enum yj_err rc = YJ_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = yj_buf_append(&b, chunk, n);
    fclose(f);
    if (rc) {
        yj_buf_release(&b);
        return yj_error_set(err, rc, "web", "cannot load %s", path);
    }
    *data = yj_buf_detach(&b, len);
    return *data ? YJ_OK : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
}

static enum yj_err walk(struct http_static *s, const char *dir, const char *url_prefix,
                        struct yj_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return yj_error_set(err, YJ_EIO, "web", "cannot open %s", dir);
    enum yj_err rc = YJ_OK;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as the build stamp */
        char path[4096], url[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(url, sizeof url, "%s/%s", url_prefix, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            rc = walk(s, path, url, err);
        } else if (S_ISREG(sb.st_mode)) {
            if (s->n >= STATIC_MAX_FILES || s->total + (size_t)sb.st_size > STATIC_MAX_TOTAL) {
                rc = yj_error_set(err, YJ_ETOOBIG, "web", "too many web files");
                break;
            }
            struct static_file *f = &s->files[s->n];
            rc = read_file(path, &f->data, &f->len, err);
            if (!rc) {
                f->url = strdup(url);
                f->type = content_type(e->d_name);
                s->total += f->len;
                s->n++;
                if (!f->url)
                    rc = yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
            }
        }
    }
    closedir(d);
    return rc;
}

enum yj_err http_static_load(const char *dir, struct http_static **out, struct yj_error *err)
{
    struct http_static *s = calloc(1, sizeof *s);
    if (!s)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    enum yj_err rc = walk(s, dir, "", err);
    if (rc) {
        http_static_free(s);
        return rc;
    }
    *out = s;
    return YJ_OK;
}

void http_static_free(struct http_static *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->files[i].url);
        free(s->files[i].data);
    }
    free(s);
}

const char *http_static_find(const struct http_static *s, const char *path, size_t *len,
                             const char **type)
{
    if (!s)
        return NULL;
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    /* A page may be asked for without its extension: /verify is /verify.html. */
    char html[512] = "";
    if (!strchr(strrchr(path, '/') ? strrchr(path, '/') : path, '.'))
        snprintf(html, sizeof html, "%s.html", path);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->files[i].url, path) == 0 || (html[0] && strcmp(s->files[i].url, html) == 0)) {
            *len = s->files[i].len;
            *type = s->files[i].type;
            return s->files[i].data;
        }
    return NULL;
}
