/*
 * units_api.c - /api/v1/units: the support-unit registry. Updates are JSON
 * merge patches guarded by ETag/If-Match, so two editors never silently
 * overwrite each other; deletion is soft, and every change is audited in the
 * same transaction.
 */
#include "api/api_int.h"
#include "core/cache.h"

static char *dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static void answer_unit(struct http_request *req, struct http_response *resp, int status,
                        const struct unit *u, bool personal)
{
    http_response_json(resp, status, api_unit_encode(u, personal, false));
    http_response_header(resp, "ETag", api_etag(req->arena, u->version));
}

static bool may_see_personal(const struct auth_subject *who, int64_t unit_id)
{
    struct auth_object obj = {.unit_id = unit_id};
    return auth_policy_check(who, AUTH_UNIT_READ_PERSONAL, &obj, NULL) == YJ_OK;
}

/* Kinds of cached rendering. */
enum { RENDER_SUMMARY = 1, RENDER_FULL = 2, RENDER_REDACTED = 3 };

static json_t *summary_json(const struct store_unit_summary *s)
{
    json_t *caps = json_array();
    for (size_t k = 0; k < s->n_capabilities; k++)
        json_array_append_new(caps, json_string(s->capabilities[k]));
    json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)s->id, "name", s->name, "credit_code",
                          s->credit_code);
    /* Absent facts are left out, as in the full unit. */
    if (s->province)
        json_object_set_new(o, "province", json_string(s->province));
    if (s->city)
        json_object_set_new(o, "city", json_string(s->city));
    if (s->registered_capital >= 0)
        json_object_set_new(o, "registered_capital", json_integer(s->registered_capital));
    json_object_set_new(o, "staff_count", json_integer(s->staff_count));
    json_object_set_new(o, "capabilities", caps);
    json_object_set_new(o, "version", json_integer(s->version));
    json_object_set_new(o, "updated_at", api_time(s->updated_at));
    return o;
}

/* Encodes j (taking it), keeps the text in the cache and appends it to b. */
static enum yj_err render(struct api_app *app, uint32_t kind, int64_t id, int64_t version,
                          json_t *j, struct yj_buf *b)
{
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!text)
        return YJ_ENOMEM;
    size_t len = strlen(text);
    yj_cache_put(app->renderings, kind, id, version, text, len);
    enum yj_err rc = yj_buf_append(b, text, len);
    free(text);
    return rc;
}

/* Hands a rendered buffer to the response (or answers the error that filled it). */
static void answer_buf(struct http_response *resp, int status, struct yj_buf *b, enum yj_err rc)
{
    if (rc) {
        yj_buf_release(b);
        struct yj_error err;
        yj_error_set(&err, rc, NULL, "cannot render the answer");
        api_fail(resp, &err);
        return;
    }
    free(resp->body);
    resp->body = yj_buf_detach(b, &resp->body_len);
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
}

void api_units_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"q", "province", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_UNIT_LIST, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page))
        return;
    struct store_unit_query q = {
        .q = http_query(req, "q"),
        .province = http_query(req, "province"),
        .after_id = page.after,
        .limit = page.limit + 1,
    };
    if (q.q && !*q.q)
        q.q = NULL;
    if (q.province && !*q.province)
        q.province = NULL;
    if (auth_policy_scope(who.role, AUTH_UNIT_LIST) == AUTH_OWN_UNIT)
        q.only_id = who.unit_id;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_unit_ref *items = NULL;
    size_t n = 0;
    struct yj_buf b;
    yj_buf_init(&b, HTTP_MAX_BODY * 16);
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_unit_page(tx, &q, req->arena, &items, &n, &err);
    bool more = api_page_trim(&page, &n);
    /* The page is assembled from each unit's cached rendering (by id and version);
     * only a miss reads the unit's summary and has jansson encode it. */
    if (!rc && yj_buf_reserve(&b, 64 + n * 512) != YJ_OK)
        rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    if (!rc)
        rc = yj_buf_puts(&b, "{\"items\":[");
    for (size_t i = 0; !rc && i < n; i++) {
        struct store_unit_summary sum;
        if (i)
            rc = yj_buf_puts(&b, ",");
        if (rc || yj_cache_get(app->renderings, RENDER_SUMMARY, items[i].id, items[i].version, &b))
            continue;
        rc = store_unit_summary_get(tx, items[i].id, req->arena, &sum, &err);
        if (!rc && render(app, RENDER_SUMMARY, sum.id, sum.version, summary_json(&sum), &b))
            rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    store_tx_end(tx);
    if (!rc)
        rc = more ? yj_buf_printf(&b, "],\"next_cursor\":\"%lld\"}", (long long)items[n - 1].id)
                  : yj_buf_puts(&b, "],\"next_cursor\":null}");
    if (rc && !err.msg[0])
        yj_error_set(&err, rc, NULL, "cannot render the answer");
    if (rc) {
        yj_buf_release(&b);
        api_fail(resp, &err);
        return;
    }
    answer_buf(resp, 200, &b, YJ_OK);
}

/* Decodes and validates a unit document; answers and returns false when it is bad. */
static bool unit_from_json(struct api_app *app, struct http_request *req,
                           struct http_response *resp, const json_t *doc, struct unit *u)
{
    struct yj_error err;
    char today[11];
    yj_date_cst(yj_now_ms(app->clock), today);
    if (api_unit_decode(doc, req->arena, u, &err) || unit_validate(u, today, &err)) {
        api_fail(resp, &err);
        return false;
    }
    return true;
}

void api_units_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_UNIT_CREATE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct unit u;
    bool ok = unit_from_json(app, req, resp, body, &u);
    json_decref(body);
    if (!ok)
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    int64_t now = yj_now_ms(app->clock);
    /* The audit record's content does not depend on the new id: encode it before
     * taking the write lock, which every writer waits for. The same document,
     * completed with the stored keys, is the answer. */
    json_t *doc = api_unit_encode(&u, true, true);
    char *changes = doc ? dump(doc) : NULL;
    enum yj_err rc = changes ? store_write_begin(app->store, &tx, &err)
                             : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    if (!rc)
        rc = store_unit_insert(tx, &u, now, &err);
    if (!rc) {
        struct audit_entry e = api_audit_entry(&who, req, "unit.create", "unit",
                                               api_id_str(req->arena, u.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    free(changes);
    if (rc) {
        json_decref(doc);
        api_fail(resp, &err);
        return;
    }
    json_object_set_new(doc, "id", json_integer(u.id));
    json_object_set_new(doc, "version", json_integer(u.version));
    json_object_set_new(doc, "created_at", api_time(u.created_at));
    json_object_set_new(doc, "updated_at", api_time(u.updated_at));
    http_response_json(resp, 201, doc);
    http_response_header(resp, "ETag", api_etag(req->arena, u.version));
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/units/%lld", (long long)u.id));
}

void api_units_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = id};
    if (!api_allow(req, resp, &who, AUTH_UNIT_READ, &obj))
        return;
    bool personal = may_see_personal(&who, id);
    uint32_t kind = personal ? RENDER_FULL : RENDER_REDACTED;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct unit u;
    struct yj_buf b;
    yj_buf_init(&b, HTTP_MAX_BODY * 16);
    int64_t version = 0;
    /* The version read in this transaction names the one rendering that is current. */
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_unit_version(tx, id, &version, &err);
    if (!rc && !yj_cache_get(app->renderings, kind, id, version, &b)) {
        rc = store_unit_get(tx, id, false, req->arena, &u, &err);
        if (!rc && render(app, kind, id, u.version, api_unit_encode(&u, personal, false), &b))
            rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    store_tx_end(tx);
    if (rc) {
        yj_buf_release(&b);
        api_fail(resp, &err);
        return;
    }
    answer_buf(resp, 200, &b, YJ_OK);
    http_response_header(resp, "ETag", api_etag(req->arena, version));
}

void api_units_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id, want;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = id};
    if (!api_allow(req, resp, &who, AUTH_UNIT_UPDATE, &obj) ||
        !(want = api_if_match(req, resp, true)))
        return;
    json_t *patch = api_body(req, resp);
    if (!patch)
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct unit cur, next;
    json_t *before = NULL, *merged = NULL, *after = NULL, *diff = NULL;
    int64_t now = yj_now_ms(app->clock);
    bool answered = false;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_unit_get(tx, id, false, req->arena, &cur, &err);
    if (!rc && want > 0 && cur.version != want)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match",
                          "the unit was changed by someone else; reload and retry");
    if (!rc) {
        before = api_unit_encode(&cur, true, true);
        merged = api_merge_patch(before, patch);
        if (!merged)
            rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    if (!rc && !unit_from_json(app, req, resp, merged, &next))
        answered = true;
    if (!rc && !answered) {
        next.id = id;
        after = api_unit_encode(&next, true, true);
        diff = api_json_diff(before, after);
        if (json_object_size(diff) == 0) {
            next = cur; /* nothing changed: no write, no audit record */
        } else {
            rc = store_unit_update(tx, &next, cur.version, now, &err);
            char *changes = rc ? NULL : dump(diff);
            struct audit_entry e = api_audit_entry(&who, req, "unit.update", "unit",
                                                   api_id_str(req->arena, id), changes);
            if (!rc)
                rc = changes ? audit_append(tx, &e, now, &err)
                             : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
            free(changes);
            if (!rc)
                rc = store_tx_commit(tx, &err);
            next.created_at = cur.created_at;
        }
    }
    store_tx_end(tx);
    json_decref(patch);
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(diff);
    if (answered)
        return;
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    answer_unit(req, resp, 200, &next, true);
}

void api_units_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id, want;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = id};
    if (!api_allow(req, resp, &who, AUTH_UNIT_DELETE, &obj) ||
        !(want = api_if_match(req, resp, true)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct unit cur;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_unit_get(tx, id, false, req->arena, &cur, &err);
    if (!rc)
        rc = store_unit_delete(tx, id, want > 0 ? want : cur.version, now, &err);
    if (!rc) {
        json_t *c = json_pack("{s:s,s:s}", "name", cur.name, "credit_code", cur.credit_code);
        char *changes = dump(c);
        json_decref(c);
        struct audit_entry e =
            api_audit_entry(&who, req, "unit.delete", "unit", api_id_str(req->arena, id), changes);
        rc = changes ? audit_append(tx, &e, now, &err)
                     : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_empty(resp);
}

void api_units_history(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = id};
    if (!api_allow(req, resp, &who, AUTH_UNIT_HISTORY, &obj) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct unit u;
    struct store_audit_row *rows = NULL;
    size_t n = 0;
    struct store_audit_query q = {.object_type = "unit",
                                  .object_id = api_id_str(req->arena, id),
                                  .before_seq = page.after,
                                  .limit = page.limit + 1};
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_unit_get(tx, id, true, req->arena, &u, &err);
    if (!rc)
        rc = store_audit_list(tx, &q, req->arena, &rows, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, api_audit_row_json(&rows[i]));
    api_list(resp, arr, more, n ? rows[n - 1].seq : 0);
}
