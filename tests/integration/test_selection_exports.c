/*
 * test_selection_exports.c - the documents a selection produces, read back by
 * independent readers: the applications summary (申报信息汇总表) as XLSX through
 * openpyxl and as CSV with its BOM; an expert's score sheet and the panel's summary
 * as XLSX; the published list as PDF through `pdftotext -layout` and as the
 * printable HTML page. Who may fetch them.
 *
 * A small campaign of 六盘水 (June 2026) is run to publication through the API so
 * that every kind of applicant is in the documents: two selected units (one named
 * with HTML's special characters), one proposed and then cancelled by an upheld
 * objection, one ranked below the places (scored by four experts: the fifth
 * declared a conflict), one ineligible (registered capital 1,500,000).
 */
#include "test_selection_common.h"

enum { E_N = 5 };
enum { X_1, X_2, X_3, X_4, X_POOR, X__N };
enum { PANEL_N = 4 }; /* X_1 .. X_4 sit on the panel */

/* clang-format off */
static const struct sx_unit units[X__N] = {
    [X_1] = {"贵州云岭网络安全技术有限公司", "杜明", "2013-05-20", "2013-06-01", 10000000, 12, 1, 0,
             {"monitoring_analysis", "emergency_handling"}, "钟山区"},
    [X_2] = {"贵州黔云S&T<安全>技术有限公司", "潘蕾", "2015-08-01", "2015-08-01", 8000000, 11, 0, 1,
             {"penetration_testing", "forensics_tracing"}, "水城区"},
    [X_3] = {"六盘水凉都数据安全有限公司", "冉静", "2016-01-15", "2016-01-15", 5000000, 10, 2, 0,
             {"data_security"}, "钟山区"},
    [X_4] = {"贵州红果信息技术有限公司", "韦涛", "2017-03-03", "2017-03-03", 3000000, 10, 0, 0,
             {"security_operations"}, "盘州市"},
    [X_POOR] = {"六盘水小河网络服务有限公司", "卢红", "2014-09-09", "2014-09-09", 1500000, 10, 0, 0,
                {"security_assessment"}, "钟山区"},
};
/* clang-format on */

static const char *const expert_names[E_N] = {"马骏", "胡蓉", "邓建华", "冯雪", "郑凯"};
enum { CONFLICT_EXPERT = 4, CONFLICT_ROW = X_4 };

/* Totals (5 sheets: drop the extremes; X_4: 4 sheets, plain mean):
 *  X_1 90 88 86 92 70 -> 88.00   X_2 85 84 83 95 60 -> 84.00
 *  X_3 80 82 81 79 99 -> 81.00   X_4 78 77 76 75 -  -> 76.50 */
/* clang-format off */
static const int64_t sheets[PANEL_N][E_N][SX_K] = {
    [X_1] = {{18, 18, 18, 27, 9}, {18, 17, 18, 27, 8}, {17, 17, 17, 27, 8}, {18, 19, 18, 28, 9}, {14, 14, 14, 21, 7}},
    [X_2] = {{17, 17, 17, 26, 8}, {17, 17, 17, 25, 8}, {17, 16, 17, 25, 8}, {19, 19, 19, 29, 9}, {12, 12, 12, 18, 6}},
    [X_3] = {{16, 16, 16, 24, 8}, {16, 17, 17, 24, 8}, {16, 16, 17, 24, 8}, {16, 16, 16, 23, 8}, {20, 20, 20, 30, 9}},
    [X_4] = {{16, 15, 16, 24, 7}, {15, 15, 16, 24, 7}, {15, 15, 15, 24, 7}, {15, 15, 15, 23, 7}, {0}},
};
/* clang-format on */
static const int64_t scores[PANEL_N] = {8800, 8400, 8100, 7650};
static const size_t counted[PANEL_N] = {5, 5, 5, 4};

static struct hx_server *srv;
static struct hx_client *admin, *reviewer, *experts[E_N], *unit_user[X__N];
static int64_t expert_id[E_N], unit_id[X__N], app[X__N], cid, panel;
static char sha[X__N][65];
static char submitted_cst[X__N][32]; /* "2026-06-10 10:00", as the summary shows times */

/* --- the campaign, run to publication ------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    hx_clock_set(srv, sx_t("2026-06-02T09:00:00+08:00"));
    admin = hx_login_admin(srv);
    sx_tokenize(admin);
    reviewer = sx_user(admin, "security_reviewer", 0, "police_yang", "杨警官", NULL);
    for (int e = 0; e < E_N; e++)
        experts[e] =
            sx_user(admin, "expert", 0, hx_fmt("expert_%d", e + 1), expert_names[e], &expert_id[e]);
    for (int u = 0; u < X__N; u++) {
        unit_id[u] = hx_unit_create(admin, sx_unit_doc(&units[u], (unsigned)u + 21));
        unit_user[u] = sx_user(admin, "unit", unit_id[u], hx_fmt("unit_%d", u + 1),
                               hx_fmt("%s接口人", units[u].legal_rep), NULL);
    }

    struct hx_resp *r = hx_post(admin, "/api/v1/campaigns",
                                sx_campaign_doc("2026年六盘水市网络安全应急技术支撑单位补充遴选", 3,
                                                "2026-06-30T17:00:00+08:00", 3));
    HX_EXPECT(r, 201);
    cid = hx_json_int(r, "id");
    sx_stage_ok(admin, cid, "open");
    for (int u = 0; u < X__N; u++) {
        hx_clock_set(srv, sx_t(hx_fmt("2026-06-%02dT10:00:00+08:00", 10 + u)));
        app[u] = sx_apply(unit_user[u], unit_id[u], &units[u], cid, 2025);
        r = sx_submit(unit_user[u], app[u]);
        HX_EXPECT(r, 200);
        snprintf(sha[u], sizeof sha[u], "%s", sx_expect_frozen(unit_user[u], r->json, srv->now_ms));
        snprintf(submitted_cst[u], sizeof submitted_cst[u], "2026-06-%02d 10:00", 10 + u);
        assert_string_equal(sx_str(r->json, "eligibility"),
                            u == X_POOR ? "ineligible" : "eligible");
    }
    hx_clock_set(srv, sx_t("2026-07-01T09:00:00+08:00"));
    sx_stage_ok(admin, cid, "review");
    for (int u = 0; u < X__N; u++)
        HX_EXPECT(hx_post(reviewer, sx_app_path(app[u], "/security-review"),
                          json_pack("{s:s}", "result", "pass")),
                  200);
    json_t *ids = json_array(), *eids = json_array();
    for (int u = 0; u < PANEL_N; u++)
        json_array_append_new(ids, json_integer(app[u]));
    for (int e = 0; e < E_N; e++)
        json_array_append_new(eids, json_integer(expert_id[e]));
    r = hx_post(
        admin, sx_campaign_path(cid, "/panels"),
        json_pack("{s:s,s:o,s:o}", "name", "补充遴选评审组", "experts", eids, "applications", ids));
    HX_EXPECT(r, 201);
    panel = hx_json_int(r, "id");
    /* The fifth expert starts on X_4, then declares a tie with it. */
    static const int64_t partial[SX_K] = {10, 10, 10, 10, 5};
    HX_EXPECT(sx_score(experts[CONFLICT_EXPERT], app[CONFLICT_ROW], partial, false), 200);
    HX_EXPECT(
        hx_post(experts[CONFLICT_EXPERT], sx_app_path(app[CONFLICT_ROW], "/conflict"),
                json_pack("{s:b,s:s}", "conflicted", 1, "statement", "与该单位法定代表人系近亲属")),
        200);
    for (int u = 0; u < PANEL_N; u++)
        for (int e = 0; e < E_N; e++)
            if (!(u == CONFLICT_ROW && e == CONFLICT_EXPERT))
                HX_EXPECT(sx_score(experts[e], app[u], sheets[u][e], true), 200);
    HX_EXPECT(hx_post(admin, hx_fmt("/api/v1/panels/%lld/close", (long long)panel), NULL), 200);
    hx_clock_set(srv, sx_t("2026-07-03T09:00:00+08:00"));
    HX_EXPECT(hx_post(admin, sx_campaign_path(cid, "/proposal"), NULL), 200);
    sx_notice_period(admin, cid, "2026-07-06T09:00:00+08:00", "2026-07-10T17:00:00+08:00");
    hx_clock_set(srv, sx_t("2026-07-06T09:00:00+08:00"));
    sx_stage_ok(admin, cid, "notice");
    r = hx_post(admin, sx_campaign_path(cid, "/objections"),
                json_pack("{s:I,s:s,s:s}", "application_id", (json_int_t)app[X_3], "complainant",
                          "实名举报人", "content", "该单位借用主管部门名义开展商业宣传"));
    HX_EXPECT(r, 201);
    HX_EXPECT(hx_post(admin,
                      hx_fmt("/api/v1/objections/%lld/decision", (long long)hx_json_int(r, "id")),
                      json_pack("{s:s,s:s}", "status", "upheld", "findings",
                                "经核查属实，取消拟入选资格")),
              200);
    hx_clock_set(srv, sx_t("2026-07-13T10:00:00+08:00"));
    sx_stage_ok(admin, cid, "published");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_client_free(reviewer);
    for (int e = 0; e < E_N; e++)
        hx_client_free(experts[e]);
    for (int u = 0; u < X__N; u++)
        hx_client_free(unit_user[u]);
    hx_server_free(srv);
    return 0;
}

/* The outcome label the documents use for unit u. */
static const char *outcome_zh(int u)
{
    switch (u) {
    case X_1:
    case X_2:
        return "入选";
    case X_3:
        return "取消入选";
    default:
        return "未入选";
    }
}

/* --- the applications summary ------------------------------------------------------------- */

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
enum { SUMMARY_COLS = 20 };
/* The capability fields of units[] as the summary names them. */
static const char *const caps_zh[X__N] = {"监测分析、应急处置", "渗透测试、取证溯源", "数据安全",
                                          "安全运维", "安全评估"};

/* The interface person of unit u's registry record (name and mobile). */
static void interface_person(int u, const char **name, const char **mobile)
{
    json_t *unit = sx_get_ok(admin, hx_fmt("/api/v1/units/%lld", (long long)unit_id[u]));
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(unit, "contacts"), i, c)
        if (strcmp(sx_str(c, "role"), "interface") == 0) {
            *name = sx_str(c, "name");
            *mobile = sx_str(c, "mobile");
            return;
        }
    fail_msg("unit %d has no interface person", u);
}

static void summary_xlsx(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(admin, sx_campaign_path(cid, "/summary.xlsx"));
    HX_EXPECT(r, 200);
    assert_string_equal(r->content_type,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_non_null(strstr(hx_header(r, "Content-Disposition"), "filename*=UTF-8''"));
    json_t *book = sx_xlsx(srv, r, "summary.xlsx");
    const json_t *sheet = json_array_get(json_object_get(book, "sheets"), 0);
    assert_string_equal(sx_str(sheet, "name"), "申报信息汇总表");
    const json_t *rows = json_object_get(sheet, "rows");
    /* Row 1 the title, row 2 the campaign, row 3 the headers, then one row per
     * submitted application, an empty row and the footer. */
    assert_string_equal(sx_cell_str(json_array_get(rows, 0), 0), "申报信息汇总表");
    assert_string_equal(sx_cell_str(json_array_get(rows, 1), 0),
                        "2026年六盘水市网络安全应急技术支撑单位补充遴选");
    const json_t *head = json_array_get(rows, 2);
    for (size_t k = 0; k < SUMMARY_COLS; k++)
        assert_string_equal(sx_cell_str(head, k), summary_headers[k]);
    assert_int_equal(json_array_size(rows), 3 + X__N + 2);
    assert_null(sx_cell(json_array_get(rows, 3 + X__N), 0));
    assert_non_null(strstr(sx_cell_str(json_array_get(rows, 4 + X__N), 0), "共 5 家单位申报"));
    for (int u = 0; u < X__N; u++) {
        const json_t *row = json_array_get(rows, 3 + (size_t)u);
        json_t *d = sx_get_ok(admin, sx_app_path(app[u], ""));
        const json_t *profile = json_object_get(json_object_get(d, "content"), "profile");
        const char *iface, *mobile;
        interface_person(u, &iface, &mobile);
        assert_int_equal(sx_cell_centi(row, 0), 100 * (u + 1));
        assert_string_equal(sx_cell_str(row, 1), units[u].name);
        assert_string_equal(sx_cell_str(row, 2), sx_str(profile, "credit_code"));
        assert_int_equal(sx_cell_centi(row, 3), 100 * units[u].capital);
        assert_string_equal(sx_cell_str(row, 4), units[u].legal_rep);
        assert_string_equal(sx_cell_str(row, 5), units[u].founded_on);
        assert_string_equal(sx_cell_str(row, 6), "贵州省六盘水市");
        assert_int_equal(sx_cell_centi(row, 7),
                         100 * (units[u].certified + units[u].uncertified + units[u].outside));
        assert_int_equal(sx_cell_centi(row, 8), 100 * units[u].certified);
        assert_string_equal(sx_cell_str(row, 9), caps_zh[u]);
        assert_string_equal(sx_cell_str(row, 10), iface);
        assert_string_equal(sx_cell_str(row, 11), mobile);
        assert_string_equal(sx_cell_str(row, 12), submitted_cst[u]);
        assert_int_equal(sx_cell_centi(row, 13), 100);
        assert_string_equal(sx_cell_str(row, 14), sha[u]);
        assert_string_equal(sx_cell_str(row, 15), u == X_POOR ? "不符合" : "符合");
        assert_string_equal(sx_cell_str(row, 16), "通过");
        assert_int_equal(sx_cell_centi(row, 17), u < PANEL_N ? scores[u] : -1);
        assert_int_equal(sx_cell_centi(row, 18), u < PANEL_N ? 100 * (u + 1) : -1);
        assert_string_equal(sx_cell_str(row, 19), outcome_zh(u));
    }
    json_decref(book);
}

/* Splits one CSV record (no quoted commas in this data) into at most n fields. */
static size_t csv_fields(char *line, char **out, size_t n)
{
    size_t k = 0;
    for (char *p = line; k < n;) {
        out[k++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return k;
}

static void summary_csv(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(admin, sx_campaign_path(cid, "/summary.csv"));
    HX_EXPECT(r, 200);
    assert_string_equal(r->content_type, "text/csv; charset=utf-8");
    assert_memory_equal(r->body, "\xEF\xBB\xBF", 3); /* the BOM, for Excel on Chinese Windows */
    char *text = strdup(r->body + 3);
    assert_non_null(text);
    char *lines[16];
    size_t n = 0;
    for (char *p = text; *p && n < YJ_ARRAY_LEN(lines);) {
        char *end = strstr(p, "\r\n");
        assert_non_null(end); /* records end in CRLF */
        *end = '\0';
        lines[n++] = p;
        p = end + 2;
    }
    assert_int_equal(n, 1 + X__N);
    char *f[SUMMARY_COLS + 1];
    assert_int_equal(csv_fields(lines[0], f, SUMMARY_COLS + 1), SUMMARY_COLS);
    for (size_t k = 0; k < SUMMARY_COLS; k++)
        assert_string_equal(f[k], summary_headers[k]);
    for (int u = 0; u < X__N; u++) {
        assert_int_equal(csv_fields(lines[1 + u], f, SUMMARY_COLS + 1), SUMMARY_COLS);
        assert_string_equal(f[0], hx_fmt("%d", u + 1));
        assert_string_equal(f[1], units[u].name);
        assert_string_equal(f[3], hx_fmt("%lld", (long long)units[u].capital));
        assert_string_equal(f[12], submitted_cst[u]);
        assert_string_equal(f[14], sha[u]);
        assert_string_equal(f[17], u < PANEL_N ? hx_fmt("%lld.%02lld", (long long)scores[u] / 100,
                                                        (long long)scores[u] % 100)
                                               : "");
        assert_string_equal(f[19], outcome_zh(u));
    }
    free(text);
}

/* --- score sheets and the panel summary ----------------------------------------------------- */

static const char *const sheet_headers[] = {"序号",
                                            "单位名称",
                                            "基本情况（20分）",
                                            "人员配备（20分）",
                                            "制度建设与保密管理（20分）",
                                            "技术能力（30分）",
                                            "前期支撑情况（10分）",
                                            "合计",
                                            "评语",
                                            "提交时间"};

/* Expert e's score sheet as fetched by c: one row per application e scored. */
static void expect_scoresheet(struct hx_client *c, int e, const char *query)
{
    struct hx_resp *r =
        hx_get(c, hx_fmt("/api/v1/panels/%lld/scoresheet.xlsx%s", (long long)panel, query));
    HX_EXPECT(r, 200);
    json_t *book = sx_xlsx(srv, r, hx_fmt("scoresheet-%d.xlsx", e));
    const json_t *rows =
        json_object_get(json_array_get(json_object_get(book, "sheets"), 0), "rows");
    assert_string_equal(sx_cell_str(json_array_get(rows, 0), 0), "专家评分表");
    assert_non_null(
        strstr(sx_cell_str(json_array_get(rows, 1), 0), hx_fmt("评审专家：%s", expert_names[e])));
    for (size_t k = 0; k < YJ_ARRAY_LEN(sheet_headers); k++)
        assert_string_equal(sx_cell_str(json_array_get(rows, 2), k), sheet_headers[k]);
    size_t row = 3;
    for (int u = 0; u < PANEL_N; u++) {
        if (u == CONFLICT_ROW && e == CONFLICT_EXPERT)
            continue; /* a declared tie: the expert has no sheet for it */
        const json_t *cells = json_array_get(rows, row++);
        if (strcmp(sx_cell_str(cells, 1), units[u].name) != 0)
            fail_msg("%s's score sheet row %zu is \"%s\", expected %s", expert_names[e], row,
                     sx_cell_str(cells, 1), units[u].name);
        for (int k = 0; k < SX_K; k++)
            assert_int_equal(sx_cell_centi(cells, 2 + (size_t)k), 100 * sheets[u][e][k]);
        assert_int_equal(sx_cell_centi(cells, 7), 100 * sx_total(sheets[u][e]));
        assert_non_null(strstr(sx_cell_str(cells, 8), "技术能力：应急响应流程完整"));
    }
    /* Nothing but an empty row and the footer follows. */
    assert_int_equal(json_array_size(rows), row + 2);
    assert_null(sx_cell(json_array_get(rows, row), 1));
    assert_non_null(strstr(sx_cell_str(json_array_get(rows, row + 1), 0), "评审专家签字"));
    json_decref(book);
}

static void score_sheets(void **state)
{
    (void)state;
    expect_scoresheet(experts[0], 0, "");
    expect_scoresheet(admin, CONFLICT_EXPERT,
                      hx_fmt("?expert=%lld", (long long)expert_id[CONFLICT_EXPERT]));
    /* An expert fetches only their own sheet. */
    HX_EXPECT(hx_get(experts[0], hx_fmt("/api/v1/panels/%lld/scoresheet.xlsx?expert=%lld",
                                        (long long)panel, (long long)expert_id[1])),
              404);
    /* The authority names an expert of the panel: nobody else has a sheet. */
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("/api/v1/panels/%lld/scoresheet.xlsx", (long long)panel)),
                    400, "invalid", "expert");
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("/api/v1/panels/%lld/scoresheet.xlsx?expert=%lld",
                                         (long long)panel, (long long)reviewer->user_id)),
                    404, "not_found", "expert");
}

/* The expert who declared a conflict reads the closed panel's summary without the
 * row of the application they stood aside from; the others read every row. */
static void panel_summary_conflicted_expert(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(experts[CONFLICT_EXPERT],
                               hx_fmt("/api/v1/panels/%lld/summary.xlsx", (long long)panel));
    HX_EXPECT(r, 200);
    json_t *book = sx_xlsx(srv, r, "panel-summary-conflicted.xlsx");
    const json_t *rows =
        json_object_get(json_array_get(json_object_get(book, "sheets"), 0), "rows");
    assert_int_equal(json_array_size(rows), 3 + PANEL_N - 1 + 2);
    for (int u = 0, row = 3; u < PANEL_N; u++) {
        if (u == CONFLICT_ROW)
            continue;
        assert_string_equal(sx_cell_str(json_array_get(rows, (size_t)row++), 1), units[u].name);
    }
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const char *name = sx_cell_str(json_array_get(rows, i), 1);
        if (name && strcmp(name, units[CONFLICT_ROW].name) == 0)
            fail_msg("the conflicted expert's summary names %s", name);
    }
    json_decref(book);
}

static void panel_summary(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/panels/%lld/summary.xlsx", (long long)panel));
    HX_EXPECT(r, 200);
    json_t *book = sx_xlsx(srv, r, "panel-summary.xlsx");
    const json_t *rows =
        json_object_get(json_array_get(json_object_get(book, "sheets"), 0), "rows");
    assert_string_equal(sx_cell_str(json_array_get(rows, 0), 0), "专家评审汇总表");
    const json_t *head = json_array_get(rows, 2);
    assert_string_equal(sx_cell_str(head, 1), "单位名称");
    for (int e = 0; e < E_N; e++)
        assert_string_equal(sx_cell_str(head, 2 + (size_t)e),
                            hx_fmt("专家%d（%s）", e + 1, expert_names[e]));
    assert_string_equal(sx_cell_str(head, 7), "有效评分数");
    assert_string_equal(sx_cell_str(head, 8), "得分");
    assert_string_equal(sx_cell_str(head, 9), "排名");
    for (int u = 0; u < PANEL_N; u++) {
        const json_t *row = json_array_get(rows, 3 + (size_t)u);
        assert_string_equal(sx_cell_str(row, 1), units[u].name);
        for (int e = 0; e < E_N; e++)
            assert_int_equal(
                sx_cell_centi(row, 2 + (size_t)e),
                u == CONFLICT_ROW && e == CONFLICT_EXPERT ? -1 : 100 * sx_total(sheets[u][e]));
        assert_int_equal(sx_cell_centi(row, 7), 100 * (int64_t)counted[u]);
        assert_int_equal(sx_cell_centi(row, 8), scores[u]);
        assert_int_equal(sx_cell_centi(row, 9), 100 * (u + 1));
    }
    assert_int_equal(json_array_size(rows), 3 + PANEL_N + 2);
    assert_non_null(strstr(sx_cell_str(json_array_get(rows, 4 + PANEL_N), 0), "去掉一个最高分"));
    json_decref(book);
}

/* --- the published list ---------------------------------------------------------------------- */

static void published_list(void **state)
{
    (void)state;
    json_t *certs =
        hx_list_all(admin, hx_fmt("/api/v1/certificates?campaign_id=%lld", (long long)cid), 50);
    assert_int_equal(json_array_size(certs), 2);
    const char *numbers[2] = {"LPS-YJ-2026-001", "LPS-YJ-2026-002"};
    for (int u = 0; u < 2; u++)
        assert_string_equal(sx_str(sx_find(certs, "application_id", app[u]), "number"), numbers[u]);
    json_decref(certs);

    struct hx_resp *r = hx_get(admin, sx_campaign_path(cid, "/published-list.pdf"));
    HX_EXPECT(r, 200);
    assert_string_equal(r->content_type, "application/pdf");
    char *text = sx_pdftext(srv, r, "published-list.pdf");
    assert_non_null(strstr(text, SX_TITLE "名单"));
    for (int u = 0; u < X__N; u++) {
        bool in = u == X_1 || u == X_2;
        if ((strstr(text, units[u].name) != NULL) != in)
            fail_msg("the published list PDF %s %s:\n%s", in ? "lacks" : "names", units[u].name,
                     text);
    }
    for (int u = 0; u < 2; u++)
        if (!strstr(text, numbers[u]))
            fail_msg("the published list PDF lacks %s:\n%s", numbers[u], text);
    assert_non_null(strstr(text, "2026-07-13 至 2028-07-12"));
    assert_null(strstr(text, "LPS-YJ-2026-003"));
    free(text);

    r = hx_get(admin, sx_campaign_path(cid, "/published-list.html"));
    HX_EXPECT(r, 200);
    assert_string_equal(r->content_type, "text/html; charset=utf-8");
    assert_non_null(strstr(r->body, "<link rel=\"stylesheet\" href=\"/print.css\">"));
    assert_non_null(strstr(r->body, units[X_1].name));
    assert_non_null(strstr(r->body, "贵州黔云S&amp;T&lt;安全&gt;技术有限公司"));
    assert_null(strstr(r->body, "<安全>"));
    assert_null(strstr(r->body, "S&T"));
    assert_null(strstr(r->body, "style="));
    for (int u = 0; u < 2; u++)
        assert_non_null(strstr(r->body, numbers[u]));
    for (int u = X_3; u < X__N; u++)
        if (strstr(r->body, units[u].name))
            fail_msg("the published list names %s", units[u].name);
}

/* --- who may fetch what --------------------------------------------------------------------- */

static void who_may_fetch(void **state)
{
    (void)state;
    const char *summary = sx_campaign_path(cid, "/summary.xlsx");
    HX_EXPECT(hx_get(experts[0], summary), 403);
    HX_EXPECT(hx_get(unit_user[X_1], summary), 403);
    HX_EXPECT(hx_get(reviewer, sx_campaign_path(cid, "/summary.csv")), 403);
    HX_EXPECT(hx_get(unit_user[X_1], hx_fmt("/api/v1/panels/%lld/summary.xlsx", (long long)panel)),
              403);
    /* Experts read the panel's summary once it is closed, as they read the scores. */
    HX_EXPECT(hx_get(experts[1], hx_fmt("/api/v1/panels/%lld/summary.xlsx", (long long)panel)),
              200);
    /* The published list is public information for every role past publication. */
    HX_EXPECT(hx_get(unit_user[X_4], sx_campaign_path(cid, "/published-list.html")), 200);
    struct hx_client *anon = hx_client_new(srv);
    HX_EXPECT(hx_get(anon, sx_campaign_path(cid, "/published-list.pdf")), 401);
    hx_client_free(anon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_xlsx),
        cmocka_unit_test(summary_csv),
        cmocka_unit_test(panel_summary_conflicted_expert),
        cmocka_unit_test(score_sheets),
        cmocka_unit_test(panel_summary),
        cmocka_unit_test(published_list),
        cmocka_unit_test(who_may_fetch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
