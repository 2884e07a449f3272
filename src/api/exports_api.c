/*
 * exports_api.c - documents the authority hands on: the applications summary
 * (申报信息汇总表) as XLSX and CSV, an expert's score sheet and a panel's summary
 * as XLSX, and the published list as a printable page and as PDF. Each builds an
 * export_table from the store and lets the export module write the format.
 */
#include "api/api_exports.h"
#include "api/api_int.h"
#include "api/api_selection.h"
#include "certs/certs.h"
#include "export/export.h"

/* The most a document may take (a summary of thousands of applications is a few MiB). */
#define EXPORT_BUF_MAX (64u << 20)

/* A table being filled row by row, cells in the request's arena. */
struct table {
    struct export_table t;
    struct export_cell *cells;
    size_t cap_rows;
    struct yj_arena *a;
};

static bool table_init(struct table *tb, struct yj_arena *a, const char *const *headers,
                       size_t n_cols, size_t rows)
{
    memset(tb, 0, sizeof *tb);
    tb->a = a;
    tb->t.headers = headers;
    tb->t.n_cols = n_cols;
    tb->cap_rows = rows ? rows : 1;
    tb->cells = yj_arena_calloc(a, tb->cap_rows * n_cols, sizeof *tb->cells);
    tb->t.cells = tb->cells;
    return tb->cells != NULL;
}

static struct export_cell *cell(struct table *tb, size_t row, size_t col)
{
    return &tb->cells[row * tb->t.n_cols + col];
}

static void text(struct table *tb, size_t row, size_t col, const char *s)
{
    if (s && *s)
        *cell(tb, row, col) = (struct export_cell){EXPORT_TEXT, s, 0};
}

static void integer(struct table *tb, size_t row, size_t col, int64_t v)
{
    *cell(tb, row, col) = (struct export_cell){EXPORT_INT, NULL, v};
}

static void centi(struct table *tb, size_t row, size_t col, int64_t v)
{
    if (v >= 0)
        *cell(tb, row, col) = (struct export_cell){EXPORT_DECIMAL2, NULL, v};
}

static void date(struct table *tb, size_t row, size_t col, const char *d)
{
    if (d && *d)
        *cell(tb, row, col) = (struct export_cell){EXPORT_DATE, d, 0};
}

static const char *time_cst(struct yj_arena *a, int64_t ms)
{
    if (!ms)
        return NULL;
    /* Officials read times in China Standard Time. */
    char iso[YJ_TIME_STRLEN];
    yj_time_format(ms + 8 * 3600000LL, iso);
    return yj_arena_printf(a, "%.10s %.5s", iso, iso + 11);
}

/* Sends what a renderer wrote into b (which it takes), or answers its failure. */
static void send_rendered(struct http_request *req, struct http_response *resp, enum yj_err rc,
                          struct yj_buf *b, const struct yj_error *err, const char *type,
                          const char *ascii_name, const char *utf8_name)
{
    if (rc) {
        yj_buf_release(b);
        api_fail(resp, err);
        return;
    }
    api_send_download(req, resp, b, type, ascii_name, utf8_name);
}

/* One table as a one-sheet workbook, sent for download. */
static void send_xlsx(struct http_request *req, struct http_response *resp,
                      const struct export_table *t, const char *sheet, const char *ascii_name,
                      const char *utf8_name)
{
    struct yj_error err;
    struct yj_buf b;
    yj_buf_init(&b, EXPORT_BUF_MAX);
    const struct export_table *sheets[] = {t};
    const char *names[] = {sheet};
    send_rendered(req, resp, export_xlsx(sheets, 1, names, &b, &err), &b, &err,
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ascii_name,
                  utf8_name);
}

static bool fail(struct http_response *resp, struct yj_error *err)
{
    api_fail(resp, err);
    return false;
}

/* --- the applications summary ----------------------------------------------------- */

static const char *const summary_headers[] = {"序号",
                                              "单位名称",
                                              "统一社会信用代码",
                                              "注册资本（元）",
                                              "法定代表人",
                                              "成立日期",
                                              "所在地区",
                                              "技术人员（人）",
                                              "省内持证人员（人）",
                                              "能力领域",
                                              "接口人",
                                              "接口人手机",
                                              "提交时间",
                                              "提交版本",
                                              "版本哈希（SHA-256）",
                                              "资格预审",
                                              "安全审查",
                                              "专家评分",
                                              "排名",
                                              "结果"};

static const char *label(const char *code)
{
    static const struct {
        const char *code, *zh;
    } labels[] = {
        {"eligible", "符合"}, {"ineligible", "不符合"},   {"pending", "待定"},
        {"pass", "通过"},     {"fail", "未通过"},         {"proposed", "拟入选"},
        {"selected", "入选"}, {"not_selected", "未入选"}, {"cancelled", "取消入选"},
    };
    for (size_t i = 0; code && i < YJ_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].code, code) == 0)
            return labels[i].zh;
    return code;
}

/* One row from an application and its submitted content. */
static void summary_row(struct table *tb, size_t row, const struct store_application *ap,
                        const struct sel_application *c, const char *sha256)
{
    struct yj_arena *a = tb->a;
    const struct unit *p = &c->profile;
    int64_t certified = 0;
    for (size_t i = 0; i < p->n_staff; i++)
        certified += p->staff[i].in_province && p->staff[i].n_certificates > 0;
    struct yj_buf caps;
    yj_buf_init(&caps, 1024);
    for (size_t i = 0; i < p->n_capabilities; i++)
        for (size_t f = 0; f < unit_capability_fields_count; f++)
            if (strcmp(unit_capability_fields[f].code, p->capabilities[i].field) == 0)
                yj_buf_printf(&caps, "%s%s", caps.len ? "、" : "",
                              unit_capability_fields[f].name_zh);
    const struct unit_contact *iface = NULL;
    for (size_t i = 0; i < p->n_contacts; i++)
        if (p->contacts[i].role == UNIT_CONTACT_INTERFACE)
            iface = &p->contacts[i];
    integer(tb, row, 0, (int64_t)row + 1);
    text(tb, row, 1, p->name);
    text(tb, row, 2, p->credit_code);
    if (p->registered_capital >= 0)
        integer(tb, row, 3, p->registered_capital);
    text(tb, row, 4, p->legal_representative);
    date(tb, row, 5, p->founded_on);
    text(tb, row, 6,
         yj_arena_printf(a, "%s%s", p->province ? p->province : "", p->city ? p->city : ""));
    integer(tb, row, 7, (int64_t)p->n_staff);
    integer(tb, row, 8, certified);
    text(tb, row, 9, caps.ptr ? yj_arena_strdup(a, caps.ptr) : NULL);
    text(tb, row, 10, iface ? iface->name : NULL);
    text(tb, row, 11, iface ? iface->mobile : NULL);
    text(tb, row, 12, time_cst(a, ap->submitted_at));
    integer(tb, row, 13, ap->submitted_version);
    text(tb, row, 14, sha256);
    text(tb, row, 15, label(ap->eligibility_override ? ap->eligibility_override : ap->eligibility));
    text(tb, row, 16, label(ap->security_result));
    centi(tb, row, 17, ap->score_centi);
    if (ap->rank)
        integer(tb, row, 18, ap->rank);
    text(tb, row, 19, label(ap->outcome));
    yj_buf_release(&caps);
}

static bool summary_table(struct api_app *app, struct http_request *req, struct http_response *resp,
                          struct table *tb)
{
    struct auth_subject who;
    struct yj_error err;
    int64_t cid;
    if (!api_authenticate(app, req, resp, &who) || !(cid = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_RANKING_READ, NULL))
        return false;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct store_application *apps;
    size_t n = 0;
    struct store_application_query q = {
        .campaign_id = cid, .submitted_only = true, .limit = EXPORT_ROWS_MAX};
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_campaign_get(tx, cid, req->arena, &c, &err);
    if (!rc)
        rc = store_application_list(tx, &q, req->arena, &apps, &n, &err);
    if (!rc && !table_init(tb, req->arena, summary_headers, YJ_ARRAY_LEN(summary_headers), n))
        rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        struct store_application_version v;
        struct sel_application content;
        rc = store_application_version_get(tx, apps[i].id, apps[i].submitted_version, req->arena,
                                           &v, &err);
        json_t *doc = rc ? NULL : json_loads(v.content, 0, NULL);
        if (!rc)
            rc = api_application_decode(doc, req->arena, &content, &err);
        json_decref(doc);
        if (!rc)
            summary_row(tb, i, &apps[i], &content, v.sha256);
    }
    store_tx_end(tx);
    if (rc)
        return fail(resp, &err);
    tb->t.n_rows = n;
    tb->t.title = "申报信息汇总表";
    tb->t.subtitle = c.name;
    tb->t.created_ms = yj_now_ms(app->clock);
    tb->t.footer = yj_arena_printf(req->arena, "共 %zu 家单位申报；生成时间 %s", n,
                                   time_cst(req->arena, tb->t.created_ms));
    return true;
}

void api_export_summary_xlsx(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct table tb;
    if (!summary_table(vapp, req, resp, &tb))
        return;
    send_xlsx(req, resp, &tb.t, "申报信息汇总表", "summary.xlsx", "申报信息汇总表.xlsx");
}

void api_export_summary_csv(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct table tb;
    if (!summary_table(vapp, req, resp, &tb))
        return;
    struct yj_error err;
    struct yj_buf b;
    yj_buf_init(&b, EXPORT_BUF_MAX);
    send_rendered(req, resp, export_csv(&tb.t, &b, &err), &b, &err, "text/csv; charset=utf-8",
                  "summary.csv", "申报信息汇总表.csv");
}

/* --- score sheets and the panel summary ------------------------------------------- */

/* The panel and its campaign, if the caller may read the panel. */
static bool panel_load(struct api_app *app, struct http_request *req, struct http_response *resp,
                       const struct auth_subject *who, enum auth_action action, int64_t owner,
                       struct store_tx *tx, struct store_panel *p, struct sel_campaign *c)
{
    (void)app;
    struct yj_error err;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    enum yj_err rc = store_panel_get(tx, id, req->arena, p, &err);
    bool member = false;
    for (size_t i = 0; !rc && i < p->n_experts; i++)
        member |= p->experts[i] == who->user_id;
    struct auth_object obj = {.owner_user_id = owner,
                              .assigned = member,
                              .panel_closed = !rc && strcmp(p->status, "closed") == 0};
    if (!rc)
        rc = auth_policy_check(who, action, &obj, &err);
    if (!rc && who->role == AUTH_ROLE_EXPERT && !member)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such panel");
    if (!rc)
        rc = store_campaign_get(tx, p->campaign_id, req->arena, c, &err);
    return rc ? fail(resp, &err) : true;
}

void api_export_scoresheet(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"expert", NULL};
    struct auth_subject who;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) || !api_query_only(req, resp, allowed))
        return;
    int64_t expert = who.user_id;
    const char *q = http_query(req, "expert");
    if (q && yj_parse_i64(q, 1, INT64_MAX, &expert) != 0) {
        yj_error_set(&err, YJ_EINVAL, "expert", "an expert's user id");
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_panel p;
    struct sel_campaign c;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (!panel_load(app, req, resp, &who, AUTH_SCORE_READ_OWN, expert, tx, &p, &c)) {
        store_tx_end(tx);
        return;
    }
    /* Someone else's sheet (the authority, the auditor) names an expert of the panel. */
    bool on_panel = false;
    for (size_t e = 0; e < p.n_experts; e++)
        on_panel |= p.experts[e] == expert;
    if (!on_panel) {
        store_tx_end(tx);
        if (!q)
            yj_error_set(&err, YJ_EINVAL, "expert", "name the expert whose sheet you want");
        else
            yj_error_set(&err, YJ_ENOTFOUND, "expert", "no such expert on this panel");
        api_fail(resp, &err);
        return;
    }
    /* Columns: 序号, 单位名称, one per criterion, 合计, 评语, 提交时间. */
    size_t nc = c.n_criteria + 5;
    const char **headers = yj_arena_calloc(req->arena, nc, sizeof *headers);
    headers[0] = "序号";
    headers[1] = "单位名称";
    for (size_t k = 0; k < c.n_criteria; k++)
        headers[2 + k] = yj_arena_printf(req->arena, "%s（%lld分）", c.criteria[k].name,
                                         (long long)c.criteria[k].max_points);
    headers[nc - 3] = "合计";
    headers[nc - 2] = "评语";
    headers[nc - 1] = "提交时间";
    struct table tb;
    enum yj_err rc = YJ_OK;
    if (!table_init(&tb, req->arena, headers, nc, p.n_applications))
        rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    struct store_user expert_user;
    if (!rc)
        rc = store_user_get(tx, expert, req->arena, &expert_user, &err);
    size_t rows = 0;
    for (size_t i = 0; !rc && i < p.n_applications; i++) {
        struct store_application ap;
        struct store_score_sheet *sheets;
        size_t n;
        rc = store_application_get(tx, p.applications[i], req->arena, &ap, &err);
        if (!rc)
            rc = store_score_sheets(tx, ap.id, expert, req->arena, &sheets, &n, &err);
        if (rc || !n)
            continue;
        integer(&tb, rows, 0, (int64_t)rows + 1);
        text(&tb, rows, 1, ap.unit_name);
        int64_t total = 0;
        struct yj_buf comments;
        yj_buf_init(&comments, 16384);
        for (size_t s = 0; s < sheets[0].n_scores; s++) {
            const struct store_score *sc = &sheets[0].scores[s];
            if (sc->criterion >= 0 && (size_t)sc->criterion < c.n_criteria) {
                integer(&tb, rows, 2 + (size_t)sc->criterion, sc->points);
                total += sc->points;
                if (sc->comment)
                    yj_buf_printf(&comments, "%s%s：%s", comments.len ? "；" : "",
                                  c.criteria[sc->criterion].name, sc->comment);
            }
        }
        integer(&tb, rows, nc - 3, total);
        text(&tb, rows, nc - 2, comments.ptr ? yj_arena_strdup(req->arena, comments.ptr) : NULL);
        text(&tb, rows, nc - 1, time_cst(req->arena, sheets[0].submitted_at));
        yj_buf_release(&comments);
        rows++;
    }
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    tb.t.n_rows = rows;
    tb.t.title = "专家评分表";
    tb.t.subtitle =
        yj_arena_printf(req->arena, "%s · %s · 评审专家：%s", c.name, p.name,
                        expert_user.display_name ? expert_user.display_name : expert_user.username);
    tb.t.created_ms = yj_now_ms(app->clock);
    tb.t.footer = "评审专家签字：                日期：";
    send_xlsx(req, resp, &tb.t, "专家评分表", "scoresheet.xlsx", "专家评分表.xlsx");
}

void api_export_panel_summary(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who))
        return;
    struct store_tx *tx = NULL;
    struct store_panel p;
    struct sel_campaign c;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (!panel_load(app, req, resp, &who, AUTH_SCORE_READ_ALL, 0, tx, &p, &c)) {
        store_tx_end(tx);
        return;
    }
    /* Columns: 序号, 单位名称, one per expert (their total), 有效评分数, 得分, 排名. */
    size_t nc = p.n_experts + 5;
    const char **headers = yj_arena_calloc(req->arena, nc, sizeof *headers);
    enum yj_err rc = YJ_OK;
    headers[0] = "序号";
    headers[1] = "单位名称";
    for (size_t e = 0; !rc && e < p.n_experts; e++) {
        struct store_user u;
        rc = store_user_get(tx, p.experts[e], req->arena, &u, &err);
        if (!rc)
            headers[2 + e] = yj_arena_printf(req->arena, "专家%zu（%s）", e + 1,
                                             u.display_name ? u.display_name : u.username);
    }
    headers[nc - 3] = "有效评分数";
    headers[nc - 2] = "得分";
    headers[nc - 1] = "排名";
    struct table tb;
    if (!rc && !table_init(&tb, req->arena, headers, nc, p.n_applications))
        rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    size_t row = 0;
    for (size_t a = 0; !rc && a < p.n_applications; a++) {
        struct store_application ap;
        struct store_score_sheet *sheets;
        size_t n, counted = 0;
        /* An expert who declared a conflict of interest with an application never
         * sees its scores (as GET /applications/{id}/scores answers 404). */
        if (who.role == AUTH_ROLE_EXPERT) {
            struct store_application_facts f;
            rc = store_application_facts(tx, p.applications[a], who.user_id, req->arena, &f, &err);
            if (rc)
                break;
            if (f.conflicted)
                continue;
        }
        size_t i = row++;
        rc = store_application_get(tx, p.applications[a], req->arena, &ap, &err);
        if (!rc)
            rc = store_score_sheets(tx, ap.id, 0, req->arena, &sheets, &n, &err);
        if (rc)
            break;
        integer(&tb, i, 0, (int64_t)i + 1);
        text(&tb, i, 1, ap.unit_name);
        for (size_t s = 0; s < n; s++) {
            if (!sheets[s].submitted_at)
                continue;
            int64_t total = 0;
            for (size_t k = 0; k < sheets[s].n_scores; k++)
                total += sheets[s].scores[k].points;
            for (size_t e = 0; e < p.n_experts; e++)
                if (p.experts[e] == sheets[s].expert_id)
                    integer(&tb, i, 2 + e, total);
            counted++;
        }
        integer(&tb, i, nc - 3, (int64_t)counted);
        centi(&tb, i, nc - 2, ap.score_centi);
        if (ap.rank)
            integer(&tb, i, nc - 1, ap.rank);
    }
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    tb.t.n_rows = row;
    tb.t.title = "专家评审汇总表";
    tb.t.subtitle = yj_arena_printf(req->arena, "%s · %s", c.name, p.name);
    tb.t.created_ms = yj_now_ms(app->clock);
    tb.t.footer = "得分：五名及以上专家评分时去掉一个最高分和一个最低分后取平均，否则取平均。";
    send_xlsx(req, resp, &tb.t, "评审汇总", "panel-summary.xlsx", "专家评审汇总表.xlsx");
}

/* --- the published list ------------------------------------------------------------ */

static const char *const list_headers[] = {"序号", "单位名称", "统一社会信用代码", "证书编号",
                                           "有效期"};

static bool published_table(struct api_app *app, struct http_request *req,
                            struct http_response *resp, struct table *tb)
{
    struct auth_subject who;
    struct yj_error err;
    int64_t cid;
    if (!api_authenticate(app, req, resp, &who) || !(cid = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_READ, NULL))
        return false;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct cert *certs;
    size_t n = 0;
    struct store_cert_query q = {.campaign_id = cid, .limit = EXPORT_ROWS_MAX};
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_campaign_get(tx, cid, req->arena, &c, &err);
    if (!rc && c.stage == SEL_STAGE_DRAFT &&
        auth_policy_check(&who, AUTH_CAMPAIGN_READ_DRAFT, NULL, NULL) != YJ_OK)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such campaign");
    if (!rc && c.stage < SEL_STAGE_PUBLISHED)
        rc = yj_error_set(&err, YJ_ECONFLICT, "stage", "the list is not published yet");
    if (!rc)
        rc = store_cert_list(tx, &q, req->arena, &certs, &n, &err);
    if (!rc && !table_init(tb, req->arena, list_headers, YJ_ARRAY_LEN(list_headers), n))
        rc = yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        struct unit u;
        rc = store_unit_get(tx, certs[i].unit_id, true, req->arena, &u, &err);
        integer(tb, i, 0, (int64_t)i + 1);
        text(tb, i, 1, certs[i].holder_name);
        text(tb, i, 2, rc ? NULL : u.credit_code);
        text(tb, i, 3, certs[i].number);
        text(tb, i, 4,
             yj_arena_printf(req->arena, "%s 至 %s", certs[i].valid_from, certs[i].valid_to));
    }
    store_tx_end(tx);
    if (rc)
        return fail(resp, &err);
    struct yj_buf auth;
    yj_buf_init(&auth, 4096);
    for (size_t i = 0; i < c.n_authorities; i++)
        yj_buf_printf(&auth, "%s%s", i ? "  " : "", c.authorities[i]);
    tb->t.n_rows = n;
    tb->t.title = yj_arena_printf(req->arena, "%s名单", c.title);
    tb->t.subtitle = c.name;
    tb->t.created_ms = c.published_at ? c.published_at : yj_now_ms(app->clock);
    tb->t.footer = yj_arena_printf(req->arena, "%s  %s", auth.ptr ? auth.ptr : "",
                                   time_cst(req->arena, c.published_at));
    yj_buf_release(&auth);
    return true;
}

void api_export_published_html(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct table tb;
    if (!published_table(vapp, req, resp, &tb))
        return;
    struct yj_error err;
    struct yj_buf b;
    yj_buf_init(&b, EXPORT_BUF_MAX);
    if (export_html(&tb.t, &b, &err)) {
        yj_buf_release(&b);
        api_fail(resp, &err);
        return;
    }
    free(resp->body);
    resp->body = yj_buf_detach(&b, &resp->body_len);
    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
}

void api_export_published_pdf(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct table tb;
    if (!published_table(vapp, req, resp, &tb))
        return;
    struct yj_error err;
    struct yj_buf b;
    yj_buf_init(&b, EXPORT_BUF_MAX);
    send_rendered(req, resp, export_pdf(&tb.t, &b, &err), &b, &err, "application/pdf",
                  "published-list.pdf", "入选名单.pdf");
}
