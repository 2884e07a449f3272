/*
 * feeds_fetch.c - reading a feed's source (api_feeds.h): a conditional GET with
 * libcurl (If-None-Match, If-Modified-Since; redirects, time and size bounded),
 * or a file whose size and modification time stand for the validators. Nothing
 * here logs or reports a URL: a feed's URL may carry a password or a key.
 */
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "api/api_feeds.h"
#include "core/yj.h"

static void fetched_init(struct api_feed_fetched *f, size_t max)
{
    *f = (struct api_feed_fetched){0};
    yj_buf_init(&f->body, max);
}

void api_feed_fetched_release(struct api_feed_fetched *f)
{
    yj_buf_release(&f->body);
}

/* --- HTTP ----------------------------------------------------------------------------------- */

struct transfer {
    struct api_feed_fetched *out;
    const atomic_bool *stop;
    bool too_big;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct transfer *t = ctx;
    size_t n = size * nmemb;
    enum yj_err rc = yj_buf_append(&t->out->body, data, n);
    if (rc == YJ_ETOOBIG)
        t->too_big = true;
    return rc ? 0 : n; /* anything short of n ends the transfer */
}

/* Copies a header's value, trimmed, into out when the line is "name: value". */
static void header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
        return;
    const char *v = line + nl + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t len = (size_t)(end - v);
    if (len == 0 || len >= cap)
        return; /* a validator too long to keep is one not sent back */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] == 0x7f)
            return;
    memcpy(out, v, len);
    out[len] = '\0';
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx)
{
    struct transfer *t = ctx;
    size_t n = size * nmemb;
    /* A redirect's answer comes first: only the final answer's validators count. */
    if (n >= 5 && !strncmp(line, "HTTP/", 5)) {
        t->out->etag[0] = '\0';
        t->out->last_modified[0] = '\0';
    }
    header_value(line, n, "ETag", t->out->etag, sizeof t->out->etag);
    header_value(line, n, "Last-Modified", t->out->last_modified, sizeof t->out->last_modified);
    return n;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    const struct transfer *t = ctx;
    return t->stop && atomic_load(t->stop) ? 1 : 0;
}

/* The conditional headers; false on ENOMEM. */
static bool conditions(const char *etag, const char *last_modified, struct curl_slist **h)
{
    char line[API_FEED_VALIDATOR_MAX + 32];
    if (etag && *etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        struct curl_slist *n = curl_slist_append(*h, line);
        if (!n)
            return false;
        *h = n;
    }
    if (last_modified && *last_modified) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
        struct curl_slist *n = curl_slist_append(*h, line);
        if (!n)
            return false;
        *h = n;
    }
    return true;
}

static void handle_setup(CURL *c, const char *url, struct curl_slist *h, struct transfer *t,
                         size_t max)
{
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)API_FEED_REDIRECTS_MAX);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)API_FEED_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)API_FEED_CONNECT_MS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "yingji/" YJ_VERSION);
    /* Compressed answers are welcome; the limit counts what they decode to. */
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
}

enum yj_err api_feed_fetch_url(const char *url, const char *etag, const char *last_modified,
                               size_t max, const atomic_bool *stop, struct api_feed_fetched *out,
                               struct yj_error *err)
{
    fetched_init(out, max);
    struct transfer t = {.out = out, .stop = stop};
    struct curl_slist *h = NULL;
    CURL *c = curl_easy_init();
    if (!c || !conditions(etag, last_modified, &h)) {
        curl_slist_free_all(h);
        if (c)
            curl_easy_cleanup(c);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    handle_setup(c, url, h, &t, max);
    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->http_status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    enum yj_err rc = YJ_OK;
    /* curl's own messages name no URL, only what went wrong. */
    if (t.too_big || cc == CURLE_FILESIZE_EXCEEDED)
        rc = yj_error_set(err, YJ_ETOOBIG, "source", "the feed is larger than %zu bytes", max);
    else if (cc == CURLE_ABORTED_BY_CALLBACK)
        rc = yj_error_set(err, YJ_EBUSY, "source", "stopped: the server is shutting down");
    else if (cc != CURLE_OK)
        rc = yj_error_set(err, YJ_EIO, "source", "fetching failed: %s", curl_easy_strerror(cc));
    else if (out->http_status == 304)
        out->not_modified = true;
    else if (out->http_status != 200)
        rc = yj_error_set(err, YJ_EIO, "source", "the server answered %ld", out->http_status);
    if (rc || out->not_modified)
        yj_buf_reset(&out->body);
    return rc;
}

/* --- files --------------------------------------------------------------------------------- */

enum yj_err api_feed_read_file(const char *path, const char *etag, const char *last_modified,
                               size_t max, bool read_body, struct api_feed_fetched *out,
                               struct yj_error *err)
{
    fetched_init(out, max);
    /* O_NONBLOCK: a FIFO named as a feed must not hang the run before fstat refuses it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return yj_error_set(err, YJ_EIO, "source", "cannot open the file: %s", strerror(errno));
    struct stat st;
    enum yj_err rc = YJ_OK;
    if (fstat(fd, &st) != 0)
        rc = yj_error_set(err, YJ_EIO, "source", "cannot read the file: %s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = yj_error_set(err, YJ_EIO, "source", "not a regular file");
    else if ((uint64_t)st.st_size > max)
        rc = yj_error_set(err, YJ_ETOOBIG, "source", "the feed is larger than %zu bytes", max);
    if (!rc) {
        int64_t mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        snprintf(out->etag, sizeof out->etag, "\"%lld-%lld%09ld\"", (long long)st.st_size,
                 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
        yj_time_format(mtime_ms, out->last_modified);
        out->not_modified = etag && last_modified && !strcmp(etag, out->etag) &&
                            !strcmp(last_modified, out->last_modified);
    }
    if (!rc && read_body && !out->not_modified) {
        char chunk[65536];
        ssize_t got;
        while (!rc && (got = read(fd, chunk, sizeof chunk)) != 0) {
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                rc = yj_error_set(err, YJ_EIO, "source", "cannot read the file: %s",
                                  strerror(errno));
            else if ((rc = yj_buf_append(&out->body, chunk, (size_t)got)) == YJ_ETOOBIG)
                yj_error_set(err, rc, "source", "the feed is larger than %zu bytes", max);
            else if (rc)
                yj_error_set(err, rc, NULL, "out of memory");
        }
    }
    close(fd);
    if (rc)
        yj_buf_reset(&out->body);
    return rc;
}
