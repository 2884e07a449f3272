/*
 * feed.c - the rules of scheduled indicator feeds (feed.h): sources, formats,
 * column mappings, defaults and the schedule.
 */
#include "intel/feed.h"

#include <string.h>
#include <strings.h>

#include "core/yj.h"
#include "intel/intel_csv.h"
#include "intel/intel_exchange.h"

static const char *const formats[FEED_FORMAT__COUNT] = {
    [FEED_STIX] = "stix", [FEED_MISP] = "misp",   [FEED_MISP_FEED] = "misp_feed",
    [FEED_CSV] = "csv",   [FEED_PLAIN] = "plain",
};

const char *feed_format_code(enum feed_format f)
{
    return (unsigned)f < FEED_FORMAT__COUNT ? formats[f] : "unknown";
}

enum yj_err feed_format_parse(const char *code, const char *field, enum feed_format *f,
                              struct yj_error *err)
{
    for (int i = 0; code && i < FEED_FORMAT__COUNT; i++)
        if (!strcmp(code, formats[i])) {
            *f = (enum feed_format)i;
            return YJ_OK;
        }
    return yj_error_set(err, YJ_EINVAL, field, "must be stix, misp, misp_feed, csv or plain");
}

const char *feed_format_import_code(enum feed_format f)
{
    return f == FEED_MISP_FEED ? "misp" : feed_format_code(f);
}

/* --- sources ------------------------------------------------------------------------------ */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The path of a file:// source, %XX decoded; a path that could leave where it points
 * ("." and ".." segments) or that carries control bytes is refused. */
static enum yj_err file_path(const char *p, const char *field, struct yj_arena *a, const char **out,
                             struct yj_error *err)
{
    if (p[0] != '/')
        return yj_error_set(err, YJ_EINVAL, field,
                            "a file source is an absolute path: file:///path/to/file");
    size_t n = strlen(p);
    char *d = yj_arena_alloc(a, n + 1);
    if (!d)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            int hi = i + 2 < n ? hex_value(p[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(p[i + 2]) : -1;
            if (lo < 0)
                return yj_error_set(err, YJ_EINVAL, field, "a %% must start an escape like %%20");
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        if (c < 0x20 || c == 0x7f)
            return yj_error_set(err, YJ_EINVAL, field, "the path holds a control character");
        d[k++] = (char)c;
    }
    d[k] = '\0';
    /* Segment by segment: "." and ".." would make the path say less than it seems to. */
    for (const char *s = d; *s;) {
        const char *e = strchr(s + 1, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if ((len == 2 && s[1] == '.') || (len == 3 && s[1] == '.' && s[2] == '.'))
            return yj_error_set(err, YJ_EINVAL, field, "the path may not have . or .. segments");
        s += len;
    }
    if (k < 2 || d[k - 1] == '/')
        return yj_error_set(err, YJ_EINVAL, field, "the path must name a file or directory");
    *out = d;
    return YJ_OK;
}

static bool host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
}

/* The authority of an http(s) URL: [user[:password]@]host[:port]. */
static enum yj_err authority_check(const char *s, size_t n, const char *field, struct yj_error *err)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (at) {
        n -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    size_t h = 0;
    if (n && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close || close == s + 1)
            return yj_error_set(err, YJ_EINVAL, field, "an IPv6 host is written [address]");
        for (const char *c = s + 1; c < close; c++)
            if (hex_value(*c) < 0 && *c != ':' && *c != '.')
                return yj_error_set(err, YJ_EINVAL, field, "not an IPv6 address in [ ]");
        h = (size_t)(close + 1 - s);
    } else {
        while (h < n && host_char(s[h]))
            h++;
    }
    if (h == 0)
        return yj_error_set(err, YJ_EINVAL, field, "the URL has no host");
    if (h == n)
        return YJ_OK;
    if (s[h] != ':')
        return yj_error_set(err, YJ_EINVAL, field, "the host has a character hosts do not have");
    char port[8];
    size_t pl = n - h - 1;
    int64_t v;
    if (pl == 0 || pl >= sizeof port)
        return yj_error_set(err, YJ_EINVAL, field, "the port must be 1 to 65535");
    memcpy(port, s + h + 1, pl);
    port[pl] = '\0';
    if (yj_parse_i64(port, 1, 65535, &v))
        return yj_error_set(err, YJ_EINVAL, field, "the port must be 1 to 65535");
    return YJ_OK;
}

/* Length of the scheme prefix ("http://", "https://", case-insensitive), 0 for none. */
static size_t http_prefix(const char *s)
{
    if (!strncasecmp(s, "http://", 7))
        return 7;
    if (!strncasecmp(s, "https://", 8))
        return 8;
    return 0;
}

enum yj_err feed_source_parse(const char *source, const char *field, struct yj_arena *a,
                              enum feed_scheme *scheme, const char **path, struct yj_error *err)
{
    if (path)
        *path = NULL;
    if (!source || !*source)
        return yj_error_set(err, YJ_EINVAL, field, "required");
    if (strlen(source) > FEED_SOURCE_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "at most %d bytes", FEED_SOURCE_MAX);
    if (!strncmp(source, "file://", 7)) {
        const char *p = NULL;
        enum yj_err rc = file_path(source + 7, field, a, &p, err);
        if (rc)
            return rc;
        *scheme = FEED_FILE;
        if (path)
            *path = p;
        return YJ_OK;
    }
    size_t pre = http_prefix(source);
    if (!pre)
        return yj_error_set(err, YJ_EINVAL, field,
                            "must be an http(s):// URL or a file:///absolute/path");
    for (const char *c = source; *c; c++)
        if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
            return yj_error_set(err, YJ_EINVAL, field,
                                "spaces, control and non-ASCII characters must be %%-encoded");
    const char *rest = source + pre;
    enum yj_err rc = authority_check(rest, strcspn(rest, "/?#"), field, err);
    if (rc)
        return rc;
    *scheme = FEED_HTTP;
    return YJ_OK;
}

const char *feed_source_redact(const char *source, struct yj_arena *a)
{
    size_t pre = source ? http_prefix(source) : 0;
    if (!pre)
        return source ? yj_arena_strdup(a, source) : NULL;
    const char *rest = source + pre;
    size_t auth = strcspn(rest, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < auth; i++)
        if (rest[i] == '@')
            at = rest + i;
    const char *host = at ? at + 1 : rest;
    const char *q = strchr(host, '?');
    const char *hash = strchr(host, '#');
    if (q && hash && hash < q)
        q = NULL; /* a '?' in the fragment is not a query */
    size_t upto = q ? (size_t)(q - host) : strlen(host);
    return yj_arena_printf(a, "%.*s%s%.*s%s", (int)pre, source, at ? "***@" : "", (int)upto, host,
                           q ? "?***" : "");
}

const char *feed_misp_url(const char *base, const char *file, struct yj_arena *a)
{
    size_t n = strcspn(base, "?#");
    const char *query = base[n] == '?' ? base + n : "";
    size_t qn = strcspn(query, "#");
    static const char manifest[] = "/manifest.json";
    size_t m = sizeof manifest - 1;
    if (n >= m && !strncmp(base + n - m, manifest, m))
        n -= m;
    while (n && base[n - 1] == '/')
        n--;
    return yj_arena_printf(a, "%.*s/%s%.*s", (int)n, base, file, (int)qn, query);
}

const char *feed_misp_dir(const char *path, struct yj_arena *a)
{
    static const char manifest[] = "/manifest.json";
    size_t n = strlen(path), m = sizeof manifest - 1;
    if (n > m && !strcmp(path + n - m, manifest))
        n -= m;
    return yj_arena_strndup(a, path, n);
}

bool feed_uuid_valid(const char *s)
{
    if (!s || strlen(s) != FEED_UUID_LEN)
        return false;
    for (int i = 0; i < FEED_UUID_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : hex_value(s[i]) < 0)
            return false;
    }
    return true;
}

/* --- settings ------------------------------------------------------------------------------ */

enum yj_err feed_columns_check(enum feed_format f, const char *columns, const char *field,
                               struct yj_error *err)
{
    if (!columns)
        return YJ_OK;
    if (f != FEED_CSV)
        return yj_error_set(err, YJ_EINVAL, field, "only for format csv");
    size_t n = strlen(columns);
    if (n == 0 || n > FEED_COLUMNS_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "must be 1 to %d bytes", FEED_COLUMNS_MAX);
    if (strpbrk(columns, "\r\n"))
        return yj_error_set(err, YJ_EINVAL, field, "one line of column names");
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    enum yj_err rc = intel_csv_map_header(columns, n, &m, err);
    if (rc) {
        /* The mapping reads like a header row: the importer's message, under our name. */
        char msg[YJ_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return yj_error_set(err, rc, field, "%s", msg);
    }
    return YJ_OK;
}

void feed_defaults_init(struct feed_defaults *d)
{
    *d = (struct feed_defaults){.category = INTEL_CAT_OTHER, .confidence = -1};
}

enum yj_err feed_defaults_check(const struct feed_defaults *d, struct yj_error *err)
{
    if (d->confidence < -1 || d->confidence > 100)
        return yj_error_set(err, YJ_EINVAL, "defaults.confidence", "must be 0 to 100");
    if (d->valid_days < 0 || d->valid_days > FEED_VALID_DAYS_MAX)
        return yj_error_set(err, YJ_EINVAL, "defaults.valid_days", "must be 1 to %d days",
                            FEED_VALID_DAYS_MAX);
    return YJ_OK;
}

void feed_template(const struct feed_defaults *d, int64_t now, struct intel_indicator *out)
{
    intel_template_init(out, NULL);
    if (d->has_category)
        out->category = d->category;
    if (d->has_tlp)
        out->tlp = d->tlp;
    if (d->confidence >= 0)
        out->confidence = d->confidence;
    if (d->valid_days > 0)
        out->valid_until = now + (int64_t)d->valid_days * 24 * 3600 * 1000;
}

enum yj_err feed_interval_check(int64_t minutes, const char *field, struct yj_error *err)
{
    if (minutes < FEED_INTERVAL_MIN || minutes > FEED_INTERVAL_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "must be %d to %d minutes", FEED_INTERVAL_MIN,
                            FEED_INTERVAL_MAX);
    return YJ_OK;
}

int64_t feed_next_run(int64_t prev_next, int64_t interval_minutes, int64_t now)
{
    int64_t step = interval_minutes * 60000;
    if (step <= 0)
        step = FEED_INTERVAL_DEFAULT * 60000;
    if (prev_next <= 0)
        return now + step;
    if (prev_next > now)
        return prev_next;
    return prev_next + ((now - prev_next) / step + 1) * step;
}
