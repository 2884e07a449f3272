/*
 * audit_api.c - /api/v1/audit: reading the audit chain, for the authority and
 * the auditor.
 */
#include "api/api_int.h"

json_t *api_audit_row_json(const struct store_audit_row *r)
{
    json_t *changes = r->changes ? json_loads(r->changes, 0, NULL) : NULL;
    json_t *o = json_pack("{s:I}", "seq", (json_int_t)r->seq);
    json_object_set_new(o, "at", api_time(r->at));
    json_object_set_new(o, "actor_id", r->actor_id ? json_integer(r->actor_id) : json_null());
    json_object_set_new(o, "actor", json_string(r->actor));
    json_object_set_new(o, "source_ip", r->source_ip ? json_string(r->source_ip) : json_null());
    json_object_set_new(o, "action", json_string(r->action));
    json_object_set_new(o, "object_type", json_string(r->object_type));
    json_object_set_new(o, "object_id", r->object_id ? json_string(r->object_id) : json_null());
    json_object_set_new(o, "changes", changes ? changes : json_object());
    json_object_set_new(o, "alg", json_string(r->alg));
    json_object_set_new(o, "prev_hash", json_string(r->prev_hash));
    json_object_set_new(o, "hash", json_string(r->hash));
    return o;
}

static bool time_param(struct http_request *req, struct http_response *resp, const char *name,
                       int64_t *out)
{
    const char *v = http_query(req, name);
    *out = 0;
    if (!v || !*v)
        return true;
    if (yj_time_parse(v, out) == 0)
        return true;
    struct yj_error err;
    yj_error_set(&err, YJ_EINVAL, name, "must be an RFC 3339 time");
    api_fail(resp, &err);
    return false;
}

void api_audit_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"object_type", "object_id", "actor",  "from",
                                          "to",          "limit",     "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    struct store_audit_query q = {0};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_AUDIT_READ, NULL) || !api_query_only(req, resp, allowed) ||
        !api_page_parse(req, resp, &page) || !time_param(req, resp, "from", &q.from) ||
        !time_param(req, resp, "to", &q.to))
        return;
    q.object_type = http_query(req, "object_type");
    q.object_id = http_query(req, "object_id");
    if (q.object_type && !*q.object_type)
        q.object_type = NULL;
    if (q.object_id && !*q.object_id)
        q.object_id = NULL;
    q.before_seq = page.after;
    q.limit = page.limit + 1;
    const char *actor = http_query(req, "actor");
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_audit_row *rows = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc && actor && *actor) {
        struct store_user u;
        rc = store_user_get_by_name(tx, actor, req->arena, &u, &err);
        if (rc == YJ_ENOTFOUND) {
            /* An unknown actor has no records: an empty page, not an error. */
            store_tx_end(tx);
            api_list(resp, json_array(), false, 0);
            return;
        }
        q.actor_id = u.id;
    }
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
