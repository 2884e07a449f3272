/*
 * ops_api.c - operational and reference routes: health, metrics, the OpenAPI
 * document, and the reference lists the UI builds its forms from.
 */
#include "api/api_int.h"
#include "core/cache.h"

void api_healthz(void *vapp, struct http_request *req, struct http_response *resp)
{
    (void)req;
    struct api_app *app = vapp;
    struct yj_error err;
    if (store_ping(app->store, &err)) {
        http_response_json(resp, 503, json_pack("{s:s}", "status", "unavailable"));
        return;
    }
    http_response_json(resp, 200, json_pack("{s:s,s:s}", "status", "ok", "version", YJ_VERSION));
}

/* The store's and the rendering cache's counters, after the HTTP ones. */
static char *metrics_text(struct api_app *app)
{
    char *http = http_metrics_render();
    if (!http)
        return NULL;
    struct store_stats ss;
    struct yj_cache_stats cs;
    store_stats(app->store, &ss);
    yj_cache_stats(app->renderings, &cs);
    struct yj_buf b;
    yj_buf_init(&b, 8u << 20);
    yj_buf_puts(&b, http);
    free(http);
    yj_buf_printf(&b,
                  "# HELP yingji_store_write_transactions_total Write transactions committed.\n"
                  "# TYPE yingji_store_write_transactions_total counter\n"
                  "yingji_store_write_transactions_total %llu\n"
                  "# HELP yingji_store_commits_total Durable COMMITs (one may carry many "
                  "write transactions).\n"
                  "# TYPE yingji_store_commits_total counter\n"
                  "yingji_store_commits_total %llu\n"
                  "# HELP yingji_store_checkpoints_total Background WAL checkpoints.\n"
                  "# TYPE yingji_store_checkpoints_total counter\n"
                  "yingji_store_checkpoints_total %llu\n"
                  "# HELP yingji_render_cache_lookups_total Cached JSON renderings looked up.\n"
                  "# TYPE yingji_render_cache_lookups_total counter\n"
                  "yingji_render_cache_lookups_total{result=\"hit\"} %llu\n"
                  "yingji_render_cache_lookups_total{result=\"miss\"} %llu\n"
                  "# HELP yingji_render_cache_bytes Bytes of cached JSON renderings.\n"
                  "# TYPE yingji_render_cache_bytes gauge\n"
                  "yingji_render_cache_bytes %zu\n",
                  (unsigned long long)ss.write_transactions, (unsigned long long)ss.commits,
                  (unsigned long long)ss.checkpoints, (unsigned long long)cs.hits,
                  (unsigned long long)cs.misses, cs.bytes);
    return yj_buf_detach(&b, NULL);
}

void api_metrics(void *vapp, struct http_request *req, struct http_response *resp)
{
    (void)req;
    char *text = metrics_text(vapp);
    if (!text) {
        struct yj_error err;
        yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
        api_fail(resp, &err);
        return;
    }
    resp->status = 200;
    resp->body = text;
    resp->body_len = strlen(text);
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void api_openapi(void *vapp, struct http_request *req, struct http_response *resp)
{
    (void)req;
    struct api_app *app = vapp;
    if (!app->openapi) {
        struct yj_error err;
        yj_error_set(&err, YJ_ENOTFOUND, NULL, "the OpenAPI document is not installed");
        api_fail(resp, &err);
        return;
    }
    http_response_text(resp, 200, "application/yaml; charset=utf-8", app->openapi,
                       app->openapi_len);
}

/* Reference lists need a logged-in caller but no particular role. */
static bool reference_allowed(struct api_app *app, struct http_request *req,
                              struct http_response *resp)
{
    struct auth_subject who;
    static const char *const none[] = {"limit", "cursor", NULL};
    return api_authenticate(app, req, resp, &who) &&
           api_allow(req, resp, &who, AUTH_REFERENCE_READ, NULL) && api_query_only(req, resp, none);
}

void api_reference_capabilities(void *vapp, struct http_request *req, struct http_response *resp)
{
    if (!reference_allowed(vapp, req, resp))
        return;
    json_t *arr = json_array();
    for (size_t i = 0; i < unit_capability_fields_count; i++) {
        const struct unit_capability_field *f = &unit_capability_fields[i];
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", f->code, "name_zh",
                                             f->name_zh, "name_en", f->name_en));
    }
    api_list(resp, arr, false, 0);
}

void api_reference_contact_roles(void *vapp, struct http_request *req, struct http_response *resp)
{
    if (!reference_allowed(vapp, req, resp))
        return;
    json_t *arr = json_array();
    for (int r = 0; r < UNIT_CONTACT__COUNT; r++)
        json_array_append_new(
            arr, json_pack("{s:s,s:s}", "code", unit_contact_role_code((enum unit_contact_role)r),
                           "name_zh", unit_contact_role_name_zh((enum unit_contact_role)r)));
    api_list(resp, arr, false, 0);
}

void api_reference_provinces(void *vapp, struct http_request *req, struct http_response *resp)
{
    if (!reference_allowed(vapp, req, resp))
        return;
    json_t *arr = json_array();
    for (size_t i = 0; i < unit_provinces_count; i++)
        json_array_append_new(arr, json_pack("{s:s}", "name", unit_provinces[i]));
    api_list(resp, arr, false, 0);
}

void api_periodic(struct api_app *app)
{
    (void)app;
    /* Each module with timed work adds its call here. */
    certs_expire_due(app->store, 0, yj_now_ms(app->clock), NULL, NULL);
}
