/*
 * report_export_api.c - GET /api/v1/reports/{id}/export: an upward report as the
 * document that is filed and sent, a PDF with Chinese text (a two-column table
 * 项目 / 内容 made by export_pdf), or as JSON (the report with the incident's key
 * facts) for systems that take it in. Both are downloads.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_reports.h"
#include "export/export.h"

/* A report is a page or two; this bounds a bad one. */
#define REPORT_EXPORT_MAX (8u << 20)

/* "2026-11-22 15:33" in China Standard Time, or alt when ms is 0. */
static const char *cst_or(struct yj_arena *a, int64_t ms, const char *alt)
{
    return ms ? api_cst(a, ms) : alt;
}

/* A table of (项目, 内容) rows being filled. */
struct rows {
    struct export_cell *cells;
    size_t n, cap;
};

static void row(struct rows *t, const char *item, const char *text)
{
    if (t->n == t->cap)
        return;
    t->cells[2 * t->n] = (struct export_cell){EXPORT_TEXT, item, 0};
    t->cells[2 * t->n + 1] =
        text && *text ? (struct export_cell){EXPORT_TEXT, text, 0} : (struct export_cell){0};
    t->n++;
}

static const char *operator_zh(const char *code)
{
    if (code && strcmp(code, "cii") == 0)
        return "关键信息基础设施运营者";
    if (code && strcmp(code, "central_state") == 0)
        return "中央和国家机关";
    return "其他网络运营者";
}

static enum yj_err export_pdf_report(struct http_request *req, const struct store_report *r,
                                     const struct api_reporting *ctx, int64_t now,
                                     struct yj_buf *out, struct yj_error *err)
{
    struct yj_arena *a = req->arena;
    const struct store_incident *i = &ctx->incident;
    size_t ni;
    const struct inc_form_item *items = api_report_form(r->kind, &ni);
    struct rows t = {.cap = 12 + ni};
    t.cells = yj_arena_calloc(a, 2 * t.cap, sizeof *t.cells);
    if (!t.cells)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    int64_t due = r->sent_at ? r->due_at : api_reporting_due(ctx, r->kind);
    row(&t, "报送对象", r->recipient);
    row(&t, "报送时限（北京时间）", cst_or(a, due, "未定"));
    row(&t, "报送时间（北京时间）", cst_or(a, r->sent_at, "未报送"));
    row(&t, "报告类型", inc_report_kind_name_zh(r->kind));
    row(&t, "事件名称", i->title);
    row(&t, "事件级别", ctx->level ? ctx->level->name_zh : "未定级");
    row(&t, "事件发生单位", i->affected_org);
    row(&t, "受影响系统", i->affected_system);
    row(&t, "运营者类型", operator_zh(i->operator_type));
    row(&t, "发现时间（北京时间）", cst_or(a, i->discovered_at, NULL));
    json_t *content = r->content ? json_loads(r->content, 0, NULL) : NULL;
    for (size_t k = 0; k < ni; k++) {
        const char *text = json_string_value(json_object_get(content, items[k].code));
        row(&t, items[k].name_zh, text ? yj_arena_strdup(a, text) : NULL);
    }
    json_decref(content);
    static const char *const headers[] = {"项目", "内容"};
    static const double widths[] = {24, 76};
    struct export_table tb = {
        .title = yj_arena_printf(a, "网络安全事件报告（%s）— %s", inc_report_kind_name_zh(r->kind),
                                 i->title),
        .subtitle = yj_arena_printf(a, "事件编号 %lld　报告编号 %lld（第 %lld 版）",
                                    (long long)i->id, (long long)r->id, (long long)r->version),
        .headers = headers,
        .n_cols = 2,
        .cells = t.cells,
        .n_rows = t.n,
        .col_widths = widths,
        .footer = yj_arena_printf(a, "生成时间 %s（北京时间）", api_cst(a, now)),
        .created_ms = now,
    };
    return export_pdf(&tb, out, err);
}

/* The incident's key facts beside the report. */
static json_t *incident_facts(const struct api_reporting *ctx)
{
    const struct store_incident *i = &ctx->incident;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(i->id));
    json_object_set_new(o, "title", json_string(i->title));
    json_object_set_new(o, "status", json_string(inc_status_code(i->status)));
    json_object_set_new(o, "class_code", api_str_or_null(i->class_code));
    json_object_set_new(o, "subclass_code", api_str_or_null(i->subclass_code));
    json_object_set_new(o, "level", api_str_or_null(i->level));
    json_object_set_new(o, "level_name_zh",
                        api_str_or_null(ctx->level ? ctx->level->name_zh : NULL));
    json_object_set_new(o, "affected_org", json_string(i->affected_org));
    json_object_set_new(o, "affected_system", api_str_or_null(i->affected_system));
    json_object_set_new(o, "operator_type", api_str_or_null(i->operator_type));
    json_object_set_new(o, "province", api_str_or_null(i->province));
    json_object_set_new(o, "city", api_str_or_null(i->city));
    json_object_set_new(o, "discovered_at", api_time(i->discovered_at));
    json_object_set_new(o, "resolved_at", api_time(i->resolved_at));
    return o;
}

void api_reports_export(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"format", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REPORT_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    const char *format = http_query(req, "format");
    if (!format || !*format)
        format = "pdf";
    bool pdf = strcmp(format, "pdf") == 0;
    if (!pdf && strcmp(format, "json") != 0) {
        yj_error_set(&err, YJ_EINVAL, "format", "must be pdf or json");
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_report r;
    struct api_reporting ctx;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_report_load(tx, id, req->arena, &r, &ctx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    struct yj_buf b;
    yj_buf_init(&b, REPORT_EXPORT_MAX);
    const char *base = yj_arena_printf(req->arena, "upward-report-%lld-%s", (long long)r.id,
                                       inc_report_kind_code(r.kind));
    const char *zh = yj_arena_printf(req->arena, "网络安全事件报告-%lld-%s", (long long)r.id,
                                     inc_report_kind_name_zh(r.kind));
    if (pdf) {
        rc = export_pdf_report(req, &r, &ctx, now, &b, &err);
    } else {
        json_t *o = json_pack("{s:o,s:o,s:o}", "report", api_report_json(&r, &ctx), "incident",
                              incident_facts(&ctx), "exported_at", api_time(now));
        char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        rc = text && yj_buf_append(&b, text, strlen(text)) == YJ_OK
                 ? YJ_OK
                 : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
        free(text);
    }
    if (rc) {
        yj_buf_release(&b);
        api_fail(resp, &err);
        return;
    }
    api_send_download(req, resp, &b, pdf ? "application/pdf" : "application/json",
                      yj_arena_printf(req->arena, "%s.%s", base, format),
                      yj_arena_printf(req->arena, "%s.%s", zh, format));
    http_response_header(resp, "Cache-Control", "private");
}
