/*
 * harness_http.c - the integration tests' HTTP side: libcurl clients with their
 * own cookie jars (never through a proxy), responses with headers and parsed
 * JSON, assertions on statuses and error bodies, logging in, and making users,
 * tokens and units through the API.
 */
#include <curl/curl.h>
#include <unistd.h>

#include "harness.h"

#include "units/units.h"

#include "core/yj.h"

enum { RESP_MAX = 64 * 1024 * 1024, REQUEST_TIMEOUT_S = 120 };

/* --- small helpers -------------------------------------------------------------------- */

const char *hx_fmt(const char *fmt, ...)
{
    static char bufs[16][1024];
    static unsigned next;
    char *b = bufs[next++ % 16];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof bufs[0], fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof bufs[0])
        fail_msg("hx_fmt: result too long");
    return b;
}

const char *hx_escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    assert_non_null(e);
    const char *out = hx_fmt("%s", e);
    curl_free(e);
    return out;
}

const char *hx_etag(int64_t version)
{
    return hx_fmt("\"%lld\"", (long long)version);
}

const char *hx_header(const struct hx_resp *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->n_headers; i++) {
        const char *h = r->headers[i];
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            const char *v = h + n + 1;
            return v + strspn(v, " \t");
        }
    }
    return NULL;
}

const char *hx_json_str(const struct hx_resp *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

int64_t hx_json_int(const struct hx_resp *r, const char *key)
{
    json_t *v = json_object_get(r->json, key);
    if (!json_is_integer(v))
        fail_msg("response has no integer \"%s\": %s", key, r->body);
    return json_integer_value(v);
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx);
static size_t on_header(char *data, size_t size, size_t n, void *ctx);

/* --- clients ----------------------------------------------------------------------------- */

struct hx_client *hx_client_new(struct hx_server *s)
{
    static bool curl_ready;
    if (!curl_ready) {
        assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
        curl_ready = true;
    }
    struct hx_client *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->srv = s;
    c->curl = curl_easy_init();
    assert_non_null(c->curl);
    c->send_csrf = true;
    /* An empty file name turns the cookie engine on without reading anything. */
    curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
    /* This machine's curl would otherwise go through an intercepting proxy. */
    curl_easy_setopt(c->curl, CURLOPT_PROXY, "");
    curl_easy_setopt(c->curl, CURLOPT_NOPROXY, "*");
    /* The test's own self-signed certificate (hx_server_options.tls). */
    curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
    return c;
}

struct hx_client *hx_client_clone(struct hx_client *c)
{
    struct hx_client *n = hx_client_new(c->srv);
    struct curl_slist *cookies = NULL;
    assert_int_equal(curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &cookies), CURLE_OK);
    for (struct curl_slist *l = cookies; l; l = l->next)
        curl_easy_setopt(n->curl, CURLOPT_COOKIELIST, l->data);
    curl_slist_free_all(cookies);
    memcpy(n->csrf, c->csrf, sizeof n->csrf);
    memcpy(n->bearer, c->bearer, sizeof n->bearer);
    memcpy(n->session_id, c->session_id, sizeof n->session_id);
    n->send_csrf = c->send_csrf;
    n->user_id = c->user_id;
    return n;
}

static void resp_free(struct hx_resp *r)
{
    free(r->body);
    json_decref(r->json);
    for (size_t i = 0; i < r->n_headers; i++)
        free(r->headers[i]);
    free(r);
}

void hx_client_free(struct hx_client *c)
{
    if (!c)
        return;
    while (c->resps) {
        struct hx_resp *next = c->resps->next;
        resp_free(c->resps);
        c->resps = next;
    }
    curl_easy_cleanup(c->curl);
    free(c);
}

/* --- one request ------------------------------------------------------------------------- */

struct upload {
    const char *p;
    size_t left;
};

static size_t on_read(char *dst, size_t size, size_t n, void *ctx)
{
    struct upload *u = ctx;
    size_t want = size * n;
    /* Small pieces, so that a chunked upload really is many chunks. */
    if (want > 16384)
        want = 16384;
    if (want > u->left)
        want = u->left;
    memcpy(dst, u->p, want);
    u->p += want;
    u->left -= want;
    return want;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct yj_buf *b = ctx;
    return yj_buf_append(b, data, size * n) == YJ_OK ? size * n : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    struct hx_resp *r = ctx;
    size_t len = size * n;
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    /* A new status line (after 100 Continue) starts the headers afresh. */
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        for (size_t i = 0; i < r->n_headers; i++)
            free(r->headers[i]);
        r->n_headers = 0;
        return size * n;
    }
    if (len == 0 || r->n_headers >= HX_MAX_RESP_HEADERS)
        return size * n;
    r->headers[r->n_headers] = strndup(data, len);
    assert_non_null(r->headers[r->n_headers]);
    r->n_headers++;
    return size * n;
}

/* The value of the yj_session cookie in a Set-Cookie header, into out (64 bytes). */
static bool session_cookie(const char *set_cookie, char out[64])
{
    if (!set_cookie || strncmp(set_cookie, "yj_session=", 11) != 0)
        return false;
    const char *v = set_cookie + 11;
    size_t n = strcspn(v, ";");
    if (n >= 64)
        n = 63;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

/* Records what the response taught us: cookie, secrets to keep out of the log. */
static void learn(struct hx_client *c, struct hx_resp *r)
{
    r->etag = hx_header(r, "ETag");
    r->location = hx_header(r, "Location");
    r->retry_after = hx_header(r, "Retry-After");
    r->set_cookie = hx_header(r, "Set-Cookie");
    r->content_type = hx_header(r, "Content-Type");
    char sid[64];
    if (session_cookie(r->set_cookie, sid)) {
        memcpy(c->session_id, sid, sizeof sid);
        hx_secret_note(c->srv, sid);
    }
    hx_secret_note(c->srv, json_string_value(json_object_get(r->json, "csrf_token")));
    hx_secret_note(c->srv, json_string_value(json_object_get(r->json, "token")));
}

struct hx_resp *hx_request(struct hx_client *c, const char *method, const char *path,
                           const struct hx_req *opt)
{
    static const struct hx_req none;
    if (!opt)
        opt = &none;
    if (!c->srv->base_url[0])
        fail_msg("%s %s: the server is not running", method, path);
    CURL *h = c->curl;
    /* No curl_easy_reset: it would turn the cookie engine off. Every option a
     * request varies is set afresh below instead. */
    char line[2048];
    snprintf(line, sizeof line, "%s%s", c->srv->base_url, path);
    curl_easy_setopt(h, CURLOPT_URL, line); /* curl copies option strings */
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, NULL);
    curl_easy_setopt(h, CURLOPT_READDATA, NULL);

    struct curl_slist *hdrs = NULL;
    hdrs = curl_slist_append(hdrs, "Expect:");
    struct upload up = {opt->body, opt->body_len};
    bool is_get = strcmp(method, "GET") == 0, is_head = strcmp(method, "HEAD") == 0;
    if (is_head)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (opt->body && opt->chunked) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(h, CURLOPT_READDATA, &up);
        hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
    } else if (opt->body || strcmp(method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)opt->body_len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, opt->body ? opt->body : "");
    }
    if (!is_get && !is_head && strcmp(method, "POST") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    /* curl_slist_append copies, so one line buffer serves every header */
    if (opt->content_type) {
        snprintf(line, sizeof line, "Content-Type: %s", opt->content_type);
        hdrs = curl_slist_append(hdrs, line);
    } else if (!is_get && !is_head) {
        hdrs = curl_slist_append(hdrs, "Content-Type:"); /* no default form type */
    }
    if (opt->if_match) {
        snprintf(line, sizeof line, "If-Match: %s", opt->if_match);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (!is_get && !is_head && c->send_csrf && c->csrf[0]) {
        snprintf(line, sizeof line, "X-CSRF-Token: %s", c->csrf);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (c->bearer[0]) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", c->bearer);
        hdrs = curl_slist_append(hdrs, line);
    }
    for (const char *const *x = opt->headers; x && *x; x++)
        hdrs = curl_slist_append(hdrs, *x);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

    struct hx_resp *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->next = c->resps;
    c->resps = r;
    struct yj_buf body;
    yj_buf_init(&body, RESP_MAX);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hdrs);
    if (rc != CURLE_OK) {
        yj_buf_release(&body);
        fail_msg("%s %s: no answer: %s", method, path, curl_easy_strerror(rc));
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    r->body = yj_buf_detach(&body, &r->body_len);
    assert_non_null(r->body);
    r->json = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, NULL);
    learn(c, r);
    return r;
}

struct hx_resp *hx_get(struct hx_client *c, const char *path)
{
    return hx_request(c, "GET", path, NULL);
}

struct hx_resp *hx_send(struct hx_client *c, const char *method, const char *path, json_t *body,
                        const char *if_match)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(body);
    if (body && !text)
        fail_msg("cannot encode the request body");
    struct hx_req opt = {
        .content_type = body ? "application/json" : NULL,
        .body = text,
        .body_len = text ? strlen(text) : 0,
        .if_match = if_match,
    };
    struct hx_resp *r = hx_request(c, method, path, &opt);
    free(text);
    return r;
}

struct hx_resp *hx_post(struct hx_client *c, const char *path, json_t *body)
{
    return hx_send(c, "POST", path, body, NULL);
}

struct hx_resp *hx_send_raw(struct hx_client *c, const char *method, const char *path,
                            const char *content_type, const void *data, size_t len)
{
    struct hx_req opt = {.content_type = content_type, .body = data, .body_len = data ? len : 0};
    return hx_request(c, method, path, &opt);
}

static size_t discard(char *data, size_t size, size_t n, void *ctx)
{
    (void)data;
    (void)ctx;
    return size * n;
}

void hx_parallel(struct hx_client *c, size_t n, const char *method, const char *path,
                 const json_t *body, const char *if_match, long *statuses)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    CURLM *m = curl_multi_init();
    CURL **easy = calloc(n, sizeof *easy);
    struct curl_slist *hdrs = NULL;
    char line[2048];
    assert_non_null(m);
    assert_non_null(easy);
    hdrs = curl_slist_append(hdrs, "Expect:");
    hdrs = curl_slist_append(hdrs, text ? "Content-Type: application/json" : "Content-Type:");
    if (if_match) {
        snprintf(line, sizeof line, "If-Match: %s", if_match);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (c->csrf[0] && c->send_csrf) {
        snprintf(line, sizeof line, "X-CSRF-Token: %s", c->csrf);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (c->bearer[0]) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", c->bearer);
        hdrs = curl_slist_append(hdrs, line);
    }
    for (size_t i = 0; i < n; i++) {
        CURL *h = easy[i] = curl_easy_init();
        assert_non_null(h);
        snprintf(line, sizeof line, "%s%s", c->srv->base_url, path);
        curl_easy_setopt(h, CURLOPT_URL, line);
        curl_easy_setopt(h, CURLOPT_PROXY, "");
        curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        if (c->session_id[0]) {
            snprintf(line, sizeof line, "yj_session=%s", c->session_id);
            curl_easy_setopt(h, CURLOPT_COOKIE, line);
        }
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        if (text || strcmp(method, "POST") == 0) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(text ? strlen(text) : 0));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, text ? text : "");
        }
        curl_multi_add_handle(m, h);
    }
    int running = 1;
    while (running) {
        assert_int_equal(curl_multi_perform(m, &running), CURLM_OK);
        if (running)
            assert_int_equal(curl_multi_poll(m, NULL, 0, 1000, NULL), CURLM_OK);
    }
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m, &left)) != NULL)
        if (msg->msg == CURLMSG_DONE && msg->data.result != CURLE_OK)
            fail_msg("%s %s in parallel: %s", method, path, curl_easy_strerror(msg->data.result));
    for (size_t i = 0; i < n; i++) {
        statuses[i] = 0;
        curl_easy_getinfo(easy[i], CURLINFO_RESPONSE_CODE, &statuses[i]);
        curl_multi_remove_handle(m, easy[i]);
        curl_easy_cleanup(easy[i]);
    }
    curl_multi_cleanup(m);
    curl_slist_free_all(hdrs);
    free(easy);
    free(text);
}

/* --- assertions ---------------------------------------------------------------------------- */

void hx_expect_status(const struct hx_resp *r, long status, const char *file, int line)
{
    if (r->status == status)
        return;
    print_error("%s:%d: expected HTTP %ld, got %ld: %.2000s\n", file, line, status, r->status,
                r->body);
    _fail(file, line);
}

void hx_expect_error(const struct hx_resp *r, long status, const char *code, const char *field,
                     const char *file, int line)
{
    const char *why = NULL;
    json_t *e = json_object_get(r->json, "error");
    const char *got_code = json_string_value(json_object_get(e, "code"));
    const char *msg = json_string_value(json_object_get(e, "message"));
    json_t *f = json_object_get(e, "field");
    size_t allowed = 2 + (f != NULL);
    if (r->status != status)
        why = "wrong status";
    else if (!r->content_type || strncmp(r->content_type, "application/json", 16) != 0)
        why = "not application/json";
    else if (!json_is_object(r->json) || json_object_size(r->json) != 1 || !json_is_object(e))
        why = "body is not {\"error\":{...}}";
    else if (json_object_size(e) != allowed || !msg || !*msg)
        why = "error object is not {code, message[, field]} with a message";
    else if (!got_code || strcmp(got_code, code) != 0)
        why = "wrong error code";
    else if (field && (!json_is_string(f) || strcmp(json_string_value(f), field) != 0))
        why = "wrong error field";
    else if (!field && f)
        why = "unexpected error field";
    if (!why)
        return;
    print_error("%s:%d: %s: expected HTTP %ld %s field %s, got HTTP %ld: %.2000s\n", file, line,
                why, status, code, field ? field : "(none)", r->status, r->body);
    _fail(file, line);
}

/* --- sessions, users, tokens ---------------------------------------------------------------- */

struct hx_resp *hx_client_login(struct hx_client *c, const char *username, const char *password)
{
    hx_secret_note(c->srv, password);
    struct hx_resp *r = hx_post(c, "/api/v1/session",
                                json_pack("{s:s,s:s}", "username", username, "password", password));
    if (r->status == 200) {
        const char *csrf = hx_json_str(r, "csrf_token");
        assert_non_null(csrf);
        snprintf(c->csrf, sizeof c->csrf, "%s", csrf);
        c->user_id = json_integer_value(json_object_get(json_object_get(r->json, "user"), "id"));
    }
    return r;
}

struct hx_client *hx_login(struct hx_server *s, const char *username, const char *password)
{
    struct hx_client *c = hx_client_new(s);
    struct hx_resp *r = hx_client_login(c, username, password);
    if (r->status != 200)
        fail_msg("login as %s: HTTP %ld %s", username, r->status, r->body);
    return c;
}

struct hx_client *hx_login_admin(struct hx_server *s)
{
    return hx_login(s, HX_ADMIN_USER, HX_ADMIN_PASSWORD);
}

int64_t hx_user_create(struct hx_client *admin, const char *role, int64_t unit_id,
                       const char *username, const char *password, char name_out[33])
{
    static unsigned serial;
    char name[33];
    if (username)
        snprintf(name, sizeof name, "%s", username);
    else
        snprintf(name, sizeof name, "hx_%.16s_%u", role, ++serial);
    if (name_out)
        memcpy(name_out, name, sizeof name);
    const char *pw = password ? password : HX_PASSWORD;
    hx_secret_note(admin->srv, pw);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "username", name, "password", pw, "role", role,
                             "display_name", "测试用户");
    if (unit_id)
        json_object_set_new(body, "unit_id", json_integer(unit_id));
    struct hx_resp *r = hx_post(admin, "/api/v1/users", body);
    if (r->status != 201)
        fail_msg("creating user %s (%s): HTTP %ld %s", name, role, r->status, r->body);
    return hx_json_int(r, "id");
}

struct hx_client *hx_user_client(struct hx_client *admin, const char *role, int64_t unit_id)
{
    char name[33];
    hx_user_create(admin, role, unit_id, NULL, NULL, name);
    return hx_login(admin->srv, name, HX_PASSWORD);
}

int64_t hx_token_create(struct hx_client *c, const char *name, char *token_out)
{
    struct hx_resp *r = hx_post(c, "/api/v1/tokens", json_pack("{s:s}", "name", name));
    if (r->status != 201)
        fail_msg("creating token %s: HTTP %ld %s", name, r->status, r->body);
    const char *t = hx_json_str(r, "token");
    assert_non_null(t);
    assert_true(strlen(t) < 64);
    snprintf(token_out, 64, "%s", t);
    return hx_json_int(r, "id");
}

struct hx_client *hx_tokened(struct hx_server *s, struct hx_client *c)
{
    char tok[64];
    hx_token_create(c, "test", tok);
    struct hx_client *b = hx_client_new(s);
    snprintf(b->bearer, sizeof b->bearer, "%s", tok);
    b->user_id = c->user_id;
    hx_client_free(c);
    return b;
}

/* --- units ------------------------------------------------------------------------------------ */

const char *hx_credit_code(char out[19])
{
    static unsigned serial;
    char body[18];
    /* 9135 0100 (a Fuzhou enterprise) + M + 8 digits, as in 91350100M000100Y43 */
    snprintf(body, sizeof body, "91350100M%08u",
             (++serial * 7919u + (unsigned)getpid()) % 100000000u);
    char check = unit_credit_code_check_char(body);
    assert_true(check != 0);
    snprintf(out, 19, "%s%c", body, check);
    return out;
}

json_t *hx_unit_min(const char *name)
{
    char code[19];
    return json_pack("{s:s,s:s}", "name", name, "credit_code", hx_credit_code(code));
}

json_t *hx_unit_doc(const char *name)
{
    static unsigned serial;
    char code[19];
    json_t *doc = json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name",
                            hx_fmt("%s%05u", name, ++serial), "credit_code", hx_credit_code(code),
                            "registered_capital", (json_int_t)5000000, "legal_representative",
                            "张三", "founded_on", "2015-03-01", "business_term",
                            "2015-03-01 至 长期", "business_scope", "网络与信息安全软件开发",
                            "registration_authority", "六盘水市市场监督管理局", "province",
                            "贵州省", "city", "六盘水市", "address", "钟山区明湖路 1 号");
    assert_non_null(doc);
    json_object_set_new(doc, "contacts",
                        json_pack("[{s:s,s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s}]", "role",
                                  "emergency_lead", "name", "李四", "dept_title", "安全服务部 总监",
                                  "mobile", "13800000000", "office_phone", "0858-8221234", "email",
                                  "lisi@example.cn", "role", "interface", "name", "王五", "mobile",
                                  "13900000001"));
    json_object_set_new(doc, "offices",
                        json_pack("[{s:s,s:b,s:s,s:s,s:s,s:i,s:s,s:i,s:s,s:s}]", "name", "总部",
                                  "is_headquarters", 1, "province", "贵州省", "city", "六盘水市",
                                  "address", "钟山区明湖路 1 号", "floor_area_m2", 300, "tenure",
                                  "rented", "staff_count", 25, "security_lead", "王五", "phone",
                                  "0858-8221235"));
    json_object_set_new(doc, "staff",
                        json_pack("[{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:b,s:[s,s]}]", "name", "赵六",
                                  "department", "应急响应部", "education", "本科", "title",
                                  "中级工程师", "school", "贵州大学", "major", "信息安全",
                                  "years_in_field", 6, "post", "应急响应工程师", "in_province", 1,
                                  "certificates", "CISP", "CISP-IRE"));
    json_object_set_new(doc, "capabilities",
                        json_pack("[{s:s,s:s},{s:s}]", "field", "emergency_handling", "description",
                                  "7×24 应急响应团队", "field", "forensics_tracing"));
    json_object_set_new(doc, "oncall",
                        json_pack("[{s:s,s:s,s:s,s:s}]", "person", "赵六", "mobile", "13900000000",
                                  "starts_at", "2026-11-22T00:00:00.000Z", "ends_at",
                                  "2026-11-29T00:00:00.000Z"));
    return doc;
}

int64_t hx_unit_create(struct hx_client *c, json_t *doc)
{
    struct hx_resp *r = hx_post(c, "/api/v1/units", doc ? doc : hx_unit_doc("测试单位"));
    if (r->status != 201)
        fail_msg("creating a unit: HTTP %ld %s", r->status, r->body);
    return hx_json_int(r, "id");
}

int64_t hx_unit_version(struct hx_client *c, int64_t id)
{
    struct hx_resp *r = hx_get(c, hx_fmt("/api/v1/units/%lld", (long long)id));
    if (r->status != 200)
        fail_msg("reading unit %lld: HTTP %ld %s", (long long)id, r->status, r->body);
    return hx_json_int(r, "version");
}

json_t *hx_list_all(struct hx_client *c, const char *path, int limit)
{
    json_t *all = json_array();
    char cursor[64] = "";
    const char *sep = strchr(path, '?') ? "&" : "?";
    for (int pages = 0;; pages++) {
        if (pages > 10000)
            fail_msg("%s: paging does not end", path);
        struct hx_resp *r = hx_get(
            c, hx_fmt("%s%slimit=%d%s%s", path, sep, limit, cursor[0] ? "&cursor=" : "", cursor));
        if (r->status != 200)
            fail_msg("listing %s: HTTP %ld %s", path, r->status, r->body);
        json_t *items = json_object_get(r->json, "items");
        json_t *next = json_object_get(r->json, "next_cursor");
        if (!json_is_array(items) || !next)
            fail_msg("%s: not a list answer: %s", path, r->body);
        json_array_extend(all, items);
        if (json_is_null(next))
            break;
        if (!json_is_string(next) || json_string_length(next) >= sizeof cursor)
            fail_msg("%s: bad next_cursor: %s", path, r->body);
        snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
    }
    return all;
}

size_t hx_unit_count(struct hx_client *c)
{
    json_t *all = hx_list_all(c, "/api/v1/units", 200);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

size_t hx_user_count(struct hx_client *c)
{
    json_t *all = hx_list_all(c, "/api/v1/users", 200);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

int64_t hx_audit_length(struct hx_client *c)
{
    struct hx_resp *r = hx_get(c, "/api/v1/audit?limit=1");
    if (r->status != 200)
        fail_msg("reading the audit log: HTTP %ld %s", r->status, r->body);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    return first ? json_integer_value(json_object_get(first, "seq")) : 0;
}
