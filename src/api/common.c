/*
 * common.c - what every handler needs: who is calling, may they, strict JSON
 * decoding, paging, and the audit entry for a change.
 */
#include "api/api_certs.h"
#include "api/api_int.h"
#include "attach/attach.h"
#include "core/cache.h"
#include "core/ratelimit.h"

struct api_options api_options_default(void)
{
    return (struct api_options){.public_limit = API_PUBLIC_LIMIT_DEFAULT};
}

enum yj_err api_app_init(struct api_app *app, struct store *st, const struct yj_clock *clock,
                         const struct api_options *opt, struct yj_error *err)
{
    struct api_options o = opt ? *opt : api_options_default();
    memset(app, 0, sizeof *app);
    if (o.public_limit < 0 || o.public_limit > API_PUBLIC_LIMIT_MAX)
        return yj_error_set(err, YJ_EINVAL, "public_limit", "must be 0 to %d a minute",
                            API_PUBLIC_LIMIT_MAX);
    app->store = st;
    app->clock = clock;
    app->public_limit = o.public_limit;
    if (o.public_limit > 0) {
        app->public_limiter = yj_ratelimit_new(API_PUBLIC_KEYS, o.public_limit,
                                               api_public_interval_ms(o.public_limit));
        if (!app->public_limiter)
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    /* Four slots per id: units up to id 16,384 never collide; 128 MiB holds every
     * rendering of some 10,000 large units. */
    app->renderings = yj_cache_new(1 << 16, 128u << 20);
    enum yj_err rc = app->renderings ? auth_ctx_init(&app->auth, st, clock, err)
                                     : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (rc) {
        yj_cache_free(app->renderings);
        app->renderings = NULL;
        yj_ratelimit_free(app->public_limiter);
        app->public_limiter = NULL;
    }
    return rc;
}

void api_app_release(struct api_app *app)
{
    auth_ctx_release(&app->auth);
    yj_cache_free(app->renderings);
    app->renderings = NULL;
    yj_ratelimit_free(app->public_limiter);
    app->public_limiter = NULL;
    free(app->openapi);
    app->openapi = NULL;
}

void api_fail(struct http_response *resp, const struct yj_error *err)
{
    http_response_error(resp, err);
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

bool api_authenticate(struct api_app *app, struct http_request *req, struct http_response *resp,
                      struct auth_subject *who)
{
    struct yj_error err;
    yj_error_clear(&err);
    enum yj_err rc;
    const char *authz = http_header(req, "Authorization");
    if (authz) {
        if (strncmp(authz, "Bearer ", 7) != 0) {
            yj_error_set(&err, YJ_EAUTH, "Authorization", "expected a Bearer token");
            api_fail(resp, &err);
            return false;
        }
        rc = auth_token_resolve(&app->auth, authz + 7, req->arena, who, &err);
    } else {
        const char *sid = http_cookie(req, "yj_session");
        rc = sid ? auth_session_resolve(&app->auth, sid, req->arena, who, NULL, &err)
                 : yj_error_set(&err, YJ_EAUTH, NULL, "log in first");
        /* A cookie rides along with any request the browser makes, so a write
         * must also prove it came from our page, which alone can read the token. */
        if (!rc && is_write(req->method) &&
            !auth_csrf_ok(&app->auth, sid, http_header(req, "X-CSRF-Token")))
            rc = yj_error_set(&err, YJ_ECSRF, "X-CSRF-Token",
                              "missing or wrong CSRF token; reload the page");
    }
    if (rc) {
        if (rc == YJ_EAUTH)
            http_response_header(resp, "WWW-Authenticate", "Bearer realm=\"yingji\"");
        api_fail(resp, &err);
        return false;
    }
    req->log_user_id = who->user_id;
    return true;
}

bool api_allow(struct http_request *req, struct http_response *resp, const struct auth_subject *who,
               enum auth_action action, const struct auth_object *obj)
{
    (void)req;
    struct yj_error err;
    if (auth_policy_check(who, action, obj, &err) == YJ_OK)
        return true;
    api_fail(resp, &err);
    return false;
}

enum yj_err api_parse_object(const char *body, size_t len, json_t **out, struct yj_error *err)
{
    *out = NULL;
    if (len == 0)
        return yj_error_set(err, YJ_EINVAL, "body", "a JSON object is required");
    if (len > HTTP_MAX_BODY)
        return yj_error_set(err, YJ_ETOOBIG, "body", "the request body is over 1 MiB");
    json_error_t jerr;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!j) {
        const char *what =
            json_error_code(&jerr) == json_error_invalid_utf8
                ? "invalid UTF-8"
                : (json_error_code(&jerr) == json_error_duplicate_key ? "duplicate key"
                                                                      : "malformed JSON");
        return yj_error_set(err, YJ_EINVAL, "body", "%s at line %d, column %d: %s", what, jerr.line,
                            jerr.column, jerr.text);
    }
    if (!json_is_object(j)) {
        json_decref(j);
        return yj_error_set(err, YJ_EINVAL, "body", "a JSON object is required");
    }
    *out = j;
    return YJ_OK;
}

json_t *api_body(struct http_request *req, struct http_response *resp)
{
    struct yj_error err;
    const char *ct = http_header(req, "Content-Type");
    size_t n = ct ? strcspn(ct, ";") : 0;
    while (n && ct[n - 1] == ' ')
        n--;
    bool json = ct && ((n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
                       (n == 28 && strncasecmp(ct, "application/merge-patch+json", 28) == 0));
    if (!json) {
        yj_error_set(&err, YJ_EMEDIATYPE, "Content-Type", "send application/json");
        api_fail(resp, &err);
        return NULL;
    }
    json_t *j;
    if (api_parse_object(req->body, req->body_len, &j, &err) != YJ_OK) {
        api_fail(resp, &err);
        return NULL;
    }
    return j;
}

int64_t api_param_id(struct http_request *req, struct http_response *resp, int i)
{
    int64_t id;
    if (i < req->n_params && yj_parse_i64(req->params[i], 1, INT64_MAX, &id) == 0)
        return id;
    struct yj_error err;
    yj_error_set(&err, YJ_ENOTFOUND, NULL, "not found");
    api_fail(resp, &err);
    return 0;
}

bool api_page_parse(struct http_request *req, struct http_response *resp, struct api_page *p)
{
    struct yj_error err;
    p->limit = 50;
    p->after = 0;
    const char *l = http_query(req, "limit");
    const char *c = http_query(req, "cursor");
    int64_t v;
    if (l) {
        if (yj_parse_i64(l, 1, 200, &v) != 0) {
            yj_error_set(&err, YJ_EINVAL, "limit", "must be a whole number from 1 to 200");
            api_fail(resp, &err);
            return false;
        }
        p->limit = (int)v;
    }
    if (c && *c) {
        if (yj_parse_i64(c, 1, INT64_MAX, &v) != 0) {
            yj_error_set(&err, YJ_EINVAL, "cursor", "not a cursor this server gave out");
            api_fail(resp, &err);
            return false;
        }
        p->after = v;
    }
    return true;
}

struct query_check {
    const char *const *allowed;
    const char *bad;
};

static void check_arg(const char *name, void *ctx)
{
    struct query_check *qc = ctx;
    if (qc->bad)
        return;
    for (const char *const *a = qc->allowed; *a; a++)
        if (strcmp(*a, name) == 0)
            return;
    qc->bad = name;
}

bool api_query_only(struct http_request *req, struct http_response *resp,
                    const char *const *allowed)
{
    struct query_check qc = {allowed, NULL};
    http_query_each(req, check_arg, &qc);
    if (!qc.bad)
        return true;
    struct yj_error err;
    yj_error_set(&err, YJ_EINVAL, qc.bad, "unknown query parameter");
    api_fail(resp, &err);
    return false;
}

bool api_page_trim(const struct api_page *p, size_t *n)
{
    if (*n <= (size_t)p->limit)
        return false;
    *n = (size_t)p->limit;
    return true;
}

void api_list(struct http_response *resp, json_t *items, bool more, int64_t last)
{
    json_t *cursor = json_null();
    if (more) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)last);
        cursor = json_string(buf);
    }
    http_response_json(resp, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", cursor));
}

/* --- strict field readers ---------------------------------------------------- */

enum yj_err api_get_string(const json_t *obj, const char *key, bool required, struct yj_arena *a,
                           const char **out, struct yj_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return yj_error_set(err, YJ_EINVAL, key, "required");
        return YJ_OK;
    }
    if (!json_is_string(v))
        return yj_error_set(err, YJ_EINVAL, key, "must be a string");
    *out = yj_arena_strndup(a, json_string_value(v), json_string_length(v));
    if (!*out)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (strlen(*out) != json_string_length(v))
        return yj_error_set(err, YJ_EINVAL, key, "must not contain NUL");
    return YJ_OK;
}

enum yj_err api_get_text(const json_t *obj, const char *key, bool required, size_t max,
                         struct yj_arena *a, const char **out, struct yj_error *err)
{
    enum yj_err rc = api_get_string(obj, key, required, a, out, err);
    if (rc || !*out)
        return rc;
    if (required && !**out)
        return yj_error_set(err, YJ_EINVAL, key, "required");
    if (!yj_utf8_text_ok(*out, strlen(*out)))
        return yj_error_set(err, YJ_EINVAL, key, "must be text without control characters");
    if (yj_utf8_chars(*out) > max)
        return yj_error_set(err, YJ_EINVAL, key, "at most %zu characters", max);
    return YJ_OK;
}

enum yj_err api_get_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                        int64_t *out, struct yj_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return yj_error_set(err, YJ_EINVAL, key, "required");
        return YJ_OK;
    }
    if (!json_is_integer(v))
        return yj_error_set(err, YJ_EINVAL, key, "must be a whole number");
    json_int_t x = json_integer_value(v);
    if (x < min || x > max)
        return yj_error_set(err, YJ_EINVAL, key, "must be from %lld to %lld", (long long)min,
                            (long long)max);
    *out = x;
    return YJ_OK;
}

enum yj_err api_get_bool(const json_t *obj, const char *key, bool *out, struct yj_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return YJ_OK;
    if (!json_is_boolean(v))
        return yj_error_set(err, YJ_EINVAL, key, "must be true or false");
    *out = json_is_true(v);
    return YJ_OK;
}

enum yj_err api_get_time(const json_t *obj, const char *key, bool required, int64_t *out,
                         struct yj_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return yj_error_set(err, YJ_EINVAL, key, "required");
        return YJ_OK;
    }
    if (!json_is_string(v) || yj_time_parse(json_string_value(v), out) != 0)
        return yj_error_set(err, YJ_EINVAL, key,
                            "must be an RFC 3339 time such as 2026-01-09T17:00:00+08:00");
    return YJ_OK;
}

enum yj_err api_check_keys(const json_t *obj, const char *const *allowed, struct yj_error *err)
{
    const char *key;
    const json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)obj, key, v) {
        (void)v;
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a)
            return yj_error_set(err, YJ_EINVAL, key, "unknown field");
    }
    return YJ_OK;
}

json_t *api_time(int64_t ms)
{
    if (!ms)
        return json_null();
    char buf[YJ_TIME_STRLEN];
    yj_time_format(ms, buf);
    return json_string(buf);
}

struct audit_entry api_audit_entry(const struct auth_subject *who, const struct http_request *req,
                                   const char *action, const char *object_type,
                                   const char *object_id, const char *changes)
{
    struct audit_entry e = {
        .actor_id = who ? who->user_id : 0,
        .actor = who ? who->username : "anonymous",
        .source_ip = req ? req->client_ip : NULL,
        .action = action,
        .object_type = object_type,
        .object_id = object_id,
        .changes = changes,
    };
    return e;
}

enum yj_err api_audit_json(struct store_tx *tx, const struct auth_subject *who,
                           const struct http_request *req, const char *action,
                           const char *object_type, int64_t id, const json_t *changes, int64_t now,
                           struct yj_error *err)
{
    char *text = changes ? json_dumps(changes, JSON_COMPACT) : NULL;
    struct audit_entry e =
        api_audit_entry(who, req, action, object_type, api_id_str(req->arena, id), text);
    enum yj_err rc = audit_append(tx, &e, now, err);
    free(text);
    return rc;
}

json_t *api_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *api_id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

const char *api_etag(struct yj_arena *a, int64_t version)
{
    return yj_arena_printf(a, "\"%lld\"", (long long)version);
}

int64_t api_if_match(struct http_request *req, struct http_response *resp, bool allow_any)
{
    struct yj_error err;
    const char *h = http_header(req, "If-Match");
    if (!h) {
        yj_error_set(&err, YJ_ENEEDPRECOND, "If-Match",
                     "send If-Match with the ETag you read, so no change is lost");
        api_fail(resp, &err);
        return 0;
    }
    if (allow_any && strcmp(h, "*") == 0)
        return -1;
    size_t n = strlen(h);
    char num[24];
    int64_t v;
    if (n >= 3 && n - 2 < sizeof num && h[0] == '"' && h[n - 1] == '"') {
        memcpy(num, h + 1, n - 2);
        num[n - 2] = '\0';
        if (yj_parse_i64(num, 1, INT64_MAX, &v) == 0)
            return v;
    }
    yj_error_set(&err, YJ_EPRECOND, "If-Match", "does not match the current version");
    api_fail(resp, &err);
    return 0;
}

const char *api_id_str(struct yj_arena *a, int64_t id)
{
    return yj_arena_printf(a, "%lld", (long long)id);
}

/* --- downloads ----------------------------------------------------------------- */

enum yj_err api_send_blob(struct api_app *app, struct http_request *req, struct http_response *resp,
                          const char *sha256, int64_t size, const char *filename,
                          const char *media_type, struct yj_error *err)
{
    char *data = NULL;
    size_t n = 0;
    const char *disposition = attach_content_disposition(req->arena, filename, media_type);
    enum yj_err rc =
        disposition ? attach_blob_read(store_data_dir(app->store), sha256, size, &data, &n, err)
                    : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    /* A row whose blob is gone is a damaged store, not a missing object. */
    if (rc == YJ_ENOTFOUND)
        rc = yj_error_set(err, YJ_EIO, NULL, "the stored file is missing");
    if (rc)
        return rc;
    /* The bytes as read (malloc'd) become the body, which the server frees. */
    free(resp->body);
    resp->body = data;
    resp->body_len = n;
    resp->status = 200;
    resp->content_type = media_type;
    /* Never rendered in our origin (attachment, and the server's nosniff), and
     * if a browser does open it, it runs nothing. The server adds no-store. */
    http_response_header(resp, "Content-Disposition", disposition);
    http_response_header(resp, "Cache-Control", "private");
    http_response_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    http_response_header(resp, "ETag", yj_arena_printf(req->arena, "\"%s\"", sha256));
    return YJ_OK;
}

void api_send_download(struct http_request *req, struct http_response *resp, struct yj_buf *b,
                       const char *content_type, const char *ascii_name, const char *utf8_name)
{
    free(resp->body);
    resp->body = yj_buf_detach(b, &resp->body_len);
    resp->status = 200;
    resp->content_type = content_type;
    /* RFC 8187: only attr-chars stay as they are, every other byte is %XX. */
    struct yj_buf enc;
    yj_buf_init(&enc, 4096);
    for (const unsigned char *p = (const unsigned char *)utf8_name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_')
            yj_buf_append(&enc, p, 1);
        else
            yj_buf_printf(&enc, "%%%02X", *p);
    }
    http_response_header(resp, "Content-Disposition",
                         yj_arena_printf(req->arena,
                                         "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                                         ascii_name, enc.ptr ? enc.ptr : ""));
    yj_buf_release(&enc);
}

/* --- JSON documents ------------------------------------------------------------ */

json_t *api_merge_patch(const json_t *target, const json_t *patch)
{
    if (!json_is_object(patch))
        return json_deep_copy(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    if (!out)
        return NULL;
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)patch, key, v) {
        if (json_is_null(v)) {
            json_object_del(out, key);
            continue;
        }
        json_t *merged = api_merge_patch(json_object_get(out, key), v);
        if (!merged || json_object_set_new(out, key, merged) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

json_t *api_json_diff(const json_t *before, const json_t *after)
{
    json_t *d = json_object();
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)before, key, v) {
        json_t *nv = json_object_get(after, key);
        if (!json_equal(v, nv))
            json_object_set_new(d, key,
                                json_pack("{s:O,s:O}", "old", v, "new", nv ? nv : json_null()));
    }
    json_object_foreach ((json_t *)(uintptr_t)after, key, v) {
        if (!json_object_get(before, key))
            json_object_set_new(d, key, json_pack("{s:n,s:O}", "old", "new", v));
    }
    return d;
}
