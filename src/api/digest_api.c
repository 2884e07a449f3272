/*
 * digest_api.c - GET /api/v1/bulletins/digest: the weekly or monthly digest of
 * bulletins (预警通报周报 / 月报), the warnings published in a week (Monday to Sunday)
 * or a calendar month in China Standard Time (intel/digest.h), as a PDF with Chinese
 * text (a two-column table 项目 / 内容 made by export_pdf) or as the same content in a
 * JSON document. Both are downloads. Whoever reads bulletins reads the digest.
 */
#include <stdlib.h>

#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_threats.h"
#include "export/export.h"
#include "intel/digest.h"

/* A digest is tens of bulletins; these bound a bad period or a flood. */
#define DIGEST_EXPORT_MAX (16u << 20)
enum { DIGEST_ITEMS_MAX = 1000, DIGEST_ROWS_PER_ITEM = 9 };

/* One bulletin with its lists. */
struct item {
    struct store_warning w;
    struct store_warning_product *products;
    size_t n_products;
    struct store_warning_ref *refs;
    size_t n_refs;
};

/* What both renderings take. */
struct digest {
    struct intel_digest_span span;
    const char *date; /* the date asked for */
    const char *title, *counts_zh;
    struct intel_digest_counts counts;
    struct item *items; /* by publication time, oldest first */
    size_t n;
    int64_t now;
};

/* Oldest first, as a digest reads; ties by id. */
static int by_published(const void *pa, const void *pb)
{
    const struct store_warning *a = &((const struct item *)pa)->w;
    const struct store_warning *b = &((const struct item *)pb)->w;
    if (a->published_at != b->published_at)
        return a->published_at < b->published_at ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* The bulletins published in the span, with their products and ids. */
static enum yj_err gather(struct api_app *app, struct yj_arena *a, struct digest *g,
                          struct yj_error *err)
{
    struct store_warning_query q = {
        .published_only = true,
        .published_from = g->span.from_ms,
        .published_to = g->span.to_ms,
        .limit = DIGEST_ITEMS_MAX + 1,
    };
    struct store_tx *tx = NULL;
    struct store_warning *w = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, err);
    if (!rc)
        rc = store_warning_list(tx, &q, a, &w, &n, err);
    if (!rc && n > DIGEST_ITEMS_MAX)
        rc = yj_error_set(err, YJ_ETOOBIG, "period", "more than %d bulletins in the period",
                          DIGEST_ITEMS_MAX);
    if (!rc && !(g->items = yj_arena_calloc(a, n + 1, sizeof *g->items)))
        rc = yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t k = 0; !rc && k < n; k++) {
        struct item *it = &g->items[k];
        it->w = w[k];
        rc = store_warning_products(tx, it->w.id, a, &it->products, &it->n_products, err);
        if (!rc)
            rc = store_warning_refs(tx, it->w.id, a, &it->refs, &it->n_refs, err);
    }
    store_tx_end(tx);
    if (rc)
        return rc;
    g->n = n;
    if (n)
        qsort(g->items, n, sizeof *g->items, by_published);
    for (size_t k = 0; k < n; k++)
        intel_digest_count(&g->counts, g->items[k].w.has_colour, g->items[k].w.colour);
    g->title = intel_digest_title(&g->span, a);
    g->counts_zh = intel_digest_counts_zh(&g->counts, a);
    if (!g->title || !g->counts_zh)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    return YJ_OK;
}

/* --- PDF ---------------------------------------------------------------------------------- */

/* A table of (项目, 内容) rows being filled; rows past cap are dropped (never: sized). */
struct rows {
    struct export_cell *cells;
    size_t n, cap;
};

static void row(struct rows *t, const char *label, const char *text)
{
    if (t->n == t->cap)
        return;
    t->cells[2 * t->n] = (struct export_cell){EXPORT_TEXT, label, 0};
    t->cells[2 * t->n + 1] =
        text && *text ? (struct export_cell){EXPORT_TEXT, text, 0} : (struct export_cell){0};
    t->n++;
}

/* "Apache Log4j2 2.0-beta9 至 2.14.1", one product a line. */
static const char *products_text(struct yj_arena *a, const struct item *it)
{
    const char *s = "";
    for (size_t k = 0; s && k < it->n_products; k++) {
        const struct store_warning_product *p = &it->products[k];
        s = yj_arena_printf(a, "%s%s%s%s%s%s", s, k ? "\n" : "", p->vendor ? p->vendor : "",
                            p->vendor ? " " : "", p->product,
                            p->versions ? yj_arena_printf(a, " %s", p->versions) : "");
    }
    return s;
}

static const char *refs_text(struct yj_arena *a, const struct item *it)
{
    const char *s = "";
    for (size_t k = 0; s && k < it->n_refs; k++)
        s = yj_arena_printf(a, "%s%s%s", s, k ? "、" : "", it->refs[k].ref);
    return s;
}

static enum yj_err render_pdf(struct yj_arena *a, const struct digest *g, struct yj_buf *out,
                              struct yj_error *err)
{
    struct rows t = {.cap = g->n ? g->n * DIGEST_ROWS_PER_ITEM : 1};
    if (!(t.cells = yj_arena_calloc(a, 2 * t.cap, sizeof *t.cells)))
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (!g->n)
        row(&t, "说明", "本期无发布的预警通报。");
    for (size_t k = 0; k < g->n; k++) {
        const struct item *it = &g->items[k];
        const struct store_warning *w = &it->w;
        row(&t, yj_arena_printf(a, "第 %zu 条", k + 1), w->title);
        row(&t, "发布时间（北京时间）", api_cst(a, w->published_at));
        row(&t, "预警级别",
            w->has_colour ? yj_arena_printf(a, "%s预警", warn_colour_name_zh(w->colour))
                          : "未定级");
        row(&t, "发生时间（北京时间）", w->event_at ? api_cst(a, w->event_at) : NULL);
        row(&t, "事件描述", w->description);
        row(&t, "影响范围", w->impact);
        row(&t, "受影响产品", products_text(a, it));
        row(&t, "处置措施", w->countermeasures);
        row(&t, "漏洞编号", refs_text(a, it));
    }
    static const char *const headers[] = {"项目", "内容"};
    static const double widths[] = {22, 78};
    struct export_table tb = {
        .title = g->title,
        .subtitle = g->counts_zh,
        .headers = headers,
        .n_cols = 2,
        .cells = t.cells,
        .n_rows = t.n,
        .col_widths = widths,
        .footer = yj_arena_printf(a, "生成时间 %s（北京时间）", api_cst(a, g->now)),
        .created_ms = g->now,
    };
    return export_pdf(&tb, out, err);
}

/* --- JSON --------------------------------------------------------------------------------- */

static json_t *item_json(const struct item *it)
{
    const struct store_warning *w = &it->w;
    json_t *products = json_array(), *refs = json_array();
    for (size_t k = 0; k < it->n_products; k++)
        json_array_append_new(products, json_pack("{s:o,s:s,s:o}", "vendor",
                                                  api_str_or_null(it->products[k].vendor),
                                                  "product", it->products[k].product, "versions",
                                                  api_str_or_null(it->products[k].versions)));
    for (size_t k = 0; k < it->n_refs; k++)
        json_array_append_new(refs, json_string(it->refs[k].ref));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(w->id));
    json_object_set_new(o, "title", json_string(w->title));
    json_object_set_new(o, "published_at", api_time(w->published_at));
    json_object_set_new(o, "event_at", api_time(w->event_at));
    json_object_set_new(o, "unit_name", api_str_or_null(w->unit_name));
    json_object_set_new(o, "colour",
                        w->has_colour ? json_string(warn_colour_code(w->colour)) : json_null());
    json_object_set_new(o, "colour_name_zh",
                        w->has_colour ? json_string(warn_colour_name_zh(w->colour)) : json_null());
    json_object_set_new(o, "description", api_str_or_null(w->description));
    json_object_set_new(o, "impact", api_str_or_null(w->impact));
    json_object_set_new(o, "affected_products", products);
    json_object_set_new(o, "countermeasures", api_str_or_null(w->countermeasures));
    json_object_set_new(o, "references", refs);
    return o;
}

static json_t *digest_json(const struct digest *g)
{
    const struct intel_digest_span *s = &g->span;
    char first[11], last[11];
    intel_digest_day(s, false, first);
    intel_digest_day(s, true, last);
    bool week = s->period == INTEL_DIGEST_WEEK;
    json_t *counts = json_object(), *items = json_array();
    for (int c = 0; c < WARN_COLOUR__COUNT; c++)
        json_object_set_new(counts, warn_colour_code((enum warn_colour)c),
                            json_integer((json_int_t)g->counts.colour[c]));
    json_object_set_new(counts, "none", json_integer((json_int_t)g->counts.none));
    json_object_set_new(counts, "total", json_integer((json_int_t)g->counts.total));
    for (size_t k = 0; k < g->n; k++)
        json_array_append_new(items, item_json(&g->items[k]));
    json_t *o = json_object();
    json_object_set_new(o, "period", json_string(intel_digest_period_code(s->period)));
    json_object_set_new(o, "period_name_zh", json_string(intel_digest_period_name_zh(s->period)));
    json_object_set_new(o, "date", json_string(g->date));
    json_object_set_new(o, "year", json_integer(s->year));
    json_object_set_new(o, "week", week ? json_integer(s->number) : json_null());
    json_object_set_new(o, "month", week ? json_null() : json_integer(s->number));
    json_object_set_new(o, "first_day", json_string(first));
    json_object_set_new(o, "last_day", json_string(last));
    json_object_set_new(o, "from", api_time(s->from_ms));
    json_object_set_new(o, "to", api_time(s->to_ms));
    json_object_set_new(o, "title", json_string(g->title));
    json_object_set_new(o, "summary_zh", json_string(g->counts_zh));
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "generated_at", api_time(g->now));
    return o;
}

static enum yj_err render_json(const struct digest *g, struct yj_buf *out, struct yj_error *err)
{
    json_t *o = digest_json(g);
    char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    enum yj_err rc = text ? yj_buf_append(out, text, strlen(text)) : YJ_ENOMEM;
    free(text);
    if (rc == YJ_ETOOBIG)
        return yj_error_set(err, YJ_ETOOBIG, NULL, "the digest is too large");
    return rc ? yj_error_set(err, YJ_ENOMEM, NULL, "out of memory") : YJ_OK;
}

/* --- the handler -------------------------------------------------------------------------- */

/* ?period, date (default: today in China Standard Time), format (default pdf). */
static enum yj_err decode(struct api_app *app, struct http_request *req, struct digest *g,
                          bool *pdf, struct yj_error *err)
{
    enum intel_digest_period p;
    if (intel_digest_period_parse(http_query(req, "period"), &p))
        return yj_error_set(err, YJ_EINVAL, "period", "must be week or month");
    const char *format = http_query(req, "format");
    if (!format || !*format)
        format = "pdf";
    *pdf = strcmp(format, "pdf") == 0;
    if (!*pdf && strcmp(format, "json") != 0)
        return yj_error_set(err, YJ_EINVAL, "format", "must be pdf or json");
    g->now = yj_now_ms(app->clock);
    g->date = http_query(req, "date");
    if (!g->date) {
        char today[11];
        yj_date_cst(g->now, today);
        if (!(g->date = yj_arena_strdup(req->arena, today)))
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    return intel_digest_span(p, g->date, "date", &g->span, err);
}

void api_bulletins_digest(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"period", "date", "format", NULL};
    struct auth_subject who;
    /* A digest holds published warnings only, which everyone who reads bulletins reads. */
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_BULLETIN_READ, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    struct digest g = {0};
    bool pdf = true;
    enum yj_err rc = decode(app, req, &g, &pdf, &err);
    if (!rc)
        rc = gather(app, req->arena, &g, &err);
    struct yj_buf b;
    yj_buf_init(&b, DIGEST_EXPORT_MAX);
    if (!rc)
        rc = pdf ? render_pdf(req->arena, &g, &b, &err) : render_json(&g, &b, &err);
    if (rc) {
        yj_buf_release(&b);
        api_fail(resp, &err);
        return;
    }
    const char *kind = intel_digest_period_code(g.span.period);
    const char *label = intel_digest_label(&g.span, req->arena);
    const char *zh = g.span.period == INTEL_DIGEST_WEEK
                         ? yj_arena_printf(req->arena, "网络安全预警通报周报-%d年第%d周",
                                           g.span.year, g.span.number)
                         : yj_arena_printf(req->arena, "网络安全预警通报月报-%d年%d月", g.span.year,
                                           g.span.number);
    const char *ext = pdf ? "pdf" : "json";
    api_send_download(req, resp, &b, pdf ? "application/pdf" : "application/json",
                      yj_arena_printf(req->arena, "bulletin-digest-%s-%s.%s", kind, label, ext),
                      yj_arena_printf(req->arena, "%s.%s", zh, ext));
    http_response_header(resp, "Cache-Control", "private");
}
