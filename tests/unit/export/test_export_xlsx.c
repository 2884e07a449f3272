/*
 * test_export_xlsx.c - XLSX workbooks read back by an independent reader:
 * openpyxl, through tests/unit/export/read_xlsx.py, reports sheet names, rows,
 * cell types and formats, merges, the frozen pane and the autofilter as JSON.
 * Also the sheet-name rules, the size limit, and that no temporary file is
 * left behind in $TMPDIR whatever happened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/yj.h"
#include "export/export.h"

#define PYTHON "/usr/bin/python3"

/* Cell initialisers for the tables below. */
// clang-format off
#define T(s) {EXPORT_TEXT, (s), 0}
#define I(n) {EXPORT_INT, NULL, (n)}
#define D2(n) {EXPORT_DECIMAL2, NULL, (n)}
#define DT(s) {EXPORT_DATE, (s), 0}
#define E {EXPORT_EMPTY, NULL, 0}
// clang-format on

static const char *const summary_headers[] = {
    "序号", "单位名称", "统一社会信用代码", "注册资本(万元)", "成立日期", "综合评分", "备注"};

/* Filled in by main: a cell longer than any column (2,000 characters). */
static char long_text[6001];

// clang-format off
static struct export_cell summary_cells[] = {
    I(1), T("贵州某某网络安全技术有限公司"), T("91520100MA6DXXXX1X"), I(2000), DT("2015-03-18"),
        D2(8550), T("通过"),
    I(2), T("六盘水市某某信息技术有限公司"), T("91520200MA6EYYYY2Y"), I(500), DT("2018-07-01"),
        D2(9005), T("名称含逗号,和\"引号\"\n及换行"),
    I(3), T("=HYPERLINK(\"http://example.invalid\")"), E, I(-3), E, D2(-5), T(""),
    I(4), T("遵义某某数据安全服务有限公司"), T("91520300MA6FZZZZ3Z"), I(10000000000000000),
        DT("2020-02-29"), E, T(long_text),
};
// clang-format on

static const struct export_table summary = {
    .title = "申报信息汇总表",
    .subtitle = "第二届六盘水市网络安全应急技术支撑队伍遴选",
    .headers = summary_headers,
    .n_cols = 7,
    .cells = summary_cells,
    .n_rows = 4,
    .footer = "版本哈希 3f9a0c  生成时间 2026-01-10 09:00",
    .created_ms = INT64_C(1768006800000), /* 2026-01-10 09:00 China Standard Time */
};

static const char *const score_headers[] = {"序号", "单位名称", "技术能力(40)", "合计"};
// clang-format off
static const struct export_cell score_cells[] = {
    I(1), T("贵州某某网络安全技术有限公司"), D2(3650), D2(8550),
    I(2), T("六盘水市某某信息技术有限公司"), D2(3800), D2(9005),
};
// clang-format on
static const double score_widths[] = {6, 36, 14, 10};
static const struct export_table scores = {
    .title = "专家评分表",
    .headers = score_headers,
    .n_cols = 4,
    .cells = score_cells,
    .n_rows = 2,
    .col_widths = score_widths,
};

static const char *const one_header[] = {"单位名称"};
static const struct export_cell one_cells[] = {T("贵州某某网络安全技术有限公司")};
static const struct export_table single = {
    .title = "公示名单", .headers = one_header, .n_cols = 1, .cells = one_cells, .n_rows = 1};

static char tmp_dir[64]; /* $TMPDIR while the tests run: must stay empty */
static char out_dir[64]; /* where the tests put the workbooks they read back */

static void assert_tmp_empty(void)
{
    DIR *d = opendir(tmp_dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("export_xlsx left %s/%s behind", tmp_dir, e->d_name);
    closedir(d);
}

/* Runs argv (argv[0] a full path) with its stdout into out; returns the exit status. */
static int run_tool(char *const argv[], struct yj_buf *out)
{
    if (access(argv[0], X_OK) != 0)
        fail_msg("%s missing: install the Debian package python3-openpyxl", argv[0]);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0)
        assert_int_equal(yj_buf_append(out, chunk, (size_t)n), YJ_OK);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Writes the workbook to a file, reads it with openpyxl; the JSON root, owned by the caller. */
static json_t *read_back(const char *bytes, size_t len)
{
    char path[128], script[4096];
    snprintf(path, sizeof path, "%s/book.xlsx", out_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    close(fd);
    const char *src = getenv("YINGJI_SRC");
    if (!src)
        fail_msg("YINGJI_SRC is not set (run through ctest)");
    snprintf(script, sizeof script, "%s/tests/unit/export/read_xlsx.py", src);
    char python[] = PYTHON;
    char *argv[] = {python, script, path, NULL};
    struct yj_buf json;
    yj_buf_init(&json, 1 << 26);
    int st = run_tool(argv, &json);
    if (st == 2)
        fail_msg("openpyxl missing: install the Debian package python3-openpyxl");
    assert_int_equal(st, 0);
    json_error_t jerr;
    json_t *root = json_loadb(json.ptr, json.len, 0, &jerr);
    if (!root)
        fail_msg("read_xlsx.py printed no JSON: %s", jerr.text);
    yj_buf_release(&json);
    unlink(path);
    return root;
}

static json_t *cell_at(json_t *sheet, size_t row, size_t col)
{
    json_t *r = json_array_get(json_object_get(sheet, "rows"), row);
    assert_non_null(r);
    return json_array_get(r, col);
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    assert_non_null(s);
    return s;
}

static void assert_text(json_t *sheet, size_t row, size_t col, const char *want)
{
    json_t *c = cell_at(sheet, row, col);
    assert_non_null(c);
    assert_string_equal(str_of(c, "t"), "s");
    assert_string_equal(str_of(c, "v"), want);
}

static void assert_number(json_t *sheet, size_t row, size_t col, double want, const char *fmt)
{
    json_t *c = cell_at(sheet, row, col);
    assert_non_null(c);
    assert_string_equal(str_of(c, "t"), "n");
    assert_true(json_is_number(json_object_get(c, "v")));
    assert_float_equal(json_number_value(json_object_get(c, "v")), want, 1e-9);
    assert_string_equal(str_of(c, "fmt"), fmt);
}

static void assert_date(json_t *sheet, size_t row, size_t col, const char *want)
{
    json_t *c = cell_at(sheet, row, col);
    assert_non_null(c);
    assert_string_equal(str_of(c, "t"), "d");
    assert_string_equal(str_of(c, "v"), want);
    assert_string_equal(str_of(c, "fmt"), "yyyy-mm-dd");
}

static void check_summary_sheet(json_t *s)
{
    assert_string_equal(str_of(s, "name"), "申报信息汇总表");
    /* Row 1 title, row 2 subtitle, row 3 headers (1-based, as Excel shows them). */
    json_t *title = cell_at(s, 0, 0);
    assert_string_equal(str_of(title, "v"), "申报信息汇总表");
    assert_true(json_is_true(json_object_get(title, "bold")));
    assert_text(s, 1, 0, "第二届六盘水市网络安全应急技术支撑队伍遴选");
    json_t *merged = json_object_get(s, "merged");
    assert_int_equal(json_array_size(merged), 3);
    assert_string_equal(json_string_value(json_array_get(merged, 0)), "A1:G1");
    assert_string_equal(json_string_value(json_array_get(merged, 1)), "A2:G2");
    assert_string_equal(json_string_value(json_array_get(merged, 2)), "A9:G9");
    for (size_t c = 0; c < 7; c++) {
        assert_text(s, 2, c, summary_headers[c]);
        json_t *h = cell_at(s, 2, c);
        assert_true(json_is_true(json_object_get(h, "bold")));
        assert_string_equal(str_of(h, "fill"), "FFD9E1F2");
    }
    assert_string_equal(str_of(s, "freeze"), "A4");
    assert_string_equal(str_of(s, "autofilter"), "A3:G7");
    assert_int_equal(json_integer_value(json_object_get(s, "paper")), 9);
    assert_string_equal(str_of(s, "repeat_rows"), "$3:$3");

    /* Data: numbers are numbers, dates dates, '=' text stays text. */
    assert_number(s, 3, 0, 1, "0");
    assert_text(s, 3, 1, "贵州某某网络安全技术有限公司");
    assert_text(s, 3, 2, "91520100MA6DXXXX1X");
    assert_number(s, 3, 3, 2000, "0");
    assert_date(s, 3, 4, "2015-03-18");
    assert_number(s, 3, 5, 85.5, "0.00");
    assert_text(s, 3, 6, "通过");
    assert_text(s, 4, 1, "六盘水市某某信息技术有限公司");
    assert_number(s, 4, 5, 90.05, "0.00");
    assert_text(s, 4, 6, "名称含逗号,和\"引号\"\n及换行");
    assert_true(json_is_true(json_object_get(cell_at(s, 4, 6), "wrap")));
    assert_text(s, 5, 1, "=HYPERLINK(\"http://example.invalid\")");
    assert_true(json_is_null(cell_at(s, 5, 2))); /* empty */
    assert_number(s, 5, 3, -3, "0");
    assert_true(json_is_null(cell_at(s, 5, 4)));
    assert_number(s, 5, 5, -0.05, "0.00");
    assert_date(s, 6, 4, "2020-02-29");
    assert_text(s, 6, 3, "10000000000000000"); /* beyond Excel's 15 digits: text */
    assert_text(s, 6, 6, long_text);
    assert_text(s, 8, 0, "版本哈希 3f9a0c  生成时间 2026-01-10 09:00");

    /* CJK-sized columns: the unit-name column is wide, the long column capped. */
    json_t *w = json_object_get(s, "widths");
    assert_true(json_number_value(json_object_get(w, "A")) >= 6);
    assert_true(json_number_value(json_object_get(w, "B")) >= 30);
    assert_true(json_number_value(json_object_get(w, "G")) <= 61);
}

static void test_workbook_read_back(void **state)
{
    (void)state;
    const struct export_table *sheets[] = {&summary, &scores, &single};
    const char *const names[] = {"申报信息汇总表", "专家评分表-张三", "公示名单"};
    struct yj_buf out;
    yj_buf_init(&out, 8 << 20);
    struct yj_error err;
    yj_error_clear(&err);
    if (export_xlsx(sheets, 3, names, &out, &err))
        fail_msg("export_xlsx: %s", err.msg);
    assert_true(out.len > 4 && memcmp(out.ptr, "PK\x03\x04", 4) == 0); /* a zip */
    assert_tmp_empty();

    json_t *root = read_back(out.ptr, out.len);
    assert_string_equal(str_of(root, "title"), "申报信息汇总表");
    assert_string_equal(str_of(root, "created"), "2026-01-10T01:00:00"); /* UTC */
    json_t *list = json_object_get(root, "sheets");
    assert_int_equal(json_array_size(list), 3);
    check_summary_sheet(json_array_get(list, 0));

    json_t *s = json_array_get(list, 1);
    assert_string_equal(str_of(s, "name"), "专家评分表-张三");
    assert_string_equal(str_of(s, "freeze"), "A3"); /* no subtitle: headers on row 2 */
    assert_string_equal(str_of(s, "autofilter"), "A2:D4");
    assert_text(s, 1, 2, "技术能力(40)");
    assert_number(s, 2, 2, 36.5, "0.00");
    assert_number(s, 3, 3, 90.05, "0.00");
    assert_float_equal(json_number_value(json_object_get(json_object_get(s, "widths"), "B")), 36,
                       0.75);
    assert_int_equal(json_array_size(json_object_get(s, "rows")), 4);

    s = json_array_get(list, 2);
    assert_string_equal(str_of(s, "name"), "公示名单");
    assert_int_equal(json_array_size(json_object_get(s, "merged")), 0); /* one column: no merge */
    assert_text(s, 0, 0, "公示名单");
    assert_text(s, 2, 0, "贵州某某网络安全技术有限公司");
    json_decref(root);
    yj_buf_release(&out);
}

static void test_default_names_and_append(void **state)
{
    (void)state;
    const struct export_table *sheets[] = {&single, &scores};
    struct yj_buf out;
    yj_buf_init(&out, 8 << 20);
    assert_int_equal(yj_buf_puts(&out, "x"), YJ_OK);
    assert_int_equal(export_xlsx(sheets, 2, NULL, &out, NULL), YJ_OK);
    assert_memory_equal(out.ptr, "xPK\x03\x04", 5);
    json_t *root = read_back(out.ptr + 1, out.len - 1);
    json_t *list = json_object_get(root, "sheets");
    assert_string_equal(str_of(json_array_get(list, 0), "name"), "Sheet1");
    assert_string_equal(str_of(json_array_get(list, 1), "name"), "Sheet2");
    json_decref(root);
    yj_buf_release(&out);
}

/* A few thousand rows, the size of a large campaign, come back whole. */
static void test_many_rows(void **state)
{
    (void)state;
    enum { N = 3000 };
    struct export_cell *cells = calloc(N * 4, sizeof *cells);
    assert_non_null(cells);
    for (size_t r = 0; r < N; r++) {
        cells[r * 4] = (struct export_cell)I((int64_t)r + 1);
        cells[r * 4 + 1] = (struct export_cell)T("贵州某某网络安全技术有限公司");
        cells[r * 4 + 2] = (struct export_cell)D2((int64_t)r);
        cells[r * 4 + 3] = (struct export_cell)DT("2026-01-09");
    }
    struct export_table t = scores;
    t.cells = cells;
    t.n_rows = N;
    const struct export_table *sheets[] = {&t};
    struct yj_buf out;
    yj_buf_init(&out, 16 << 20);
    assert_int_equal(export_xlsx(sheets, 1, NULL, &out, NULL), YJ_OK);
    json_t *root = read_back(out.ptr, out.len);
    json_t *s = json_array_get(json_object_get(root, "sheets"), 0);
    assert_int_equal(json_array_size(json_object_get(s, "rows")), N + 2);
    assert_number(s, N + 1, 0, N, "0");
    assert_number(s, N + 1, 2, (N - 1) / 100.0, "0.00");
    assert_date(s, N + 1, 3, "2026-01-09");
    json_decref(root);
    yj_buf_release(&out);
    free(cells);
}

static void expect_bad_names(const char *const *names, size_t n, const char *field)
{
    const struct export_table *sheets[] = {&single, &single, &single};
    struct yj_buf out;
    yj_buf_init(&out, 8 << 20);
    struct yj_error err;
    yj_error_clear(&err);
    assert_int_equal(export_xlsx(sheets, n, names, &out, &err), YJ_EINVAL);
    assert_string_equal(err.field, field);
    assert_int_equal(out.len, 0);
    yj_buf_release(&out);
}

static void test_sheet_names_validated(void **state)
{
    (void)state;
    const char *bad[] = {"", "评分[1]", "a:b", "a*b", "a?b", "a/b", "a\\b", "'quoted", "quoted'",
                         "history", "tab\there", "\xe8\xb4", NULL,
                         /* 32 characters, one over */
                         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
                         /* 16 characters beyond the BMP count 32 UTF-16 units */
                         "𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        const char *names[] = {"汇总", bad[i]};
        expect_bad_names(names, 2, "sheet_names[1]");
    }
    const char *dup[] = {"Scores", "汇总", "scores"};
    expect_bad_names(dup, 3, "sheet_names[2]");

    /* 31 characters and a name with spaces and a mid-name apostrophe are fine. */
    const char *good[] = {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
                          "Expert's sheet 1", "𠀀"};
    const struct export_table *sheets[] = {&single, &single, &single};
    struct yj_buf out;
    yj_buf_init(&out, 8 << 20);
    assert_int_equal(export_xlsx(sheets, 3, good, &out, NULL), YJ_OK);
    json_t *root = read_back(out.ptr, out.len);
    json_t *list = json_object_get(root, "sheets");
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(str_of(json_array_get(list, i), "name"), good[i]);
    json_decref(root);
    yj_buf_release(&out);
    assert_tmp_empty();
}

static void test_bad_input_and_limits(void **state)
{
    (void)state;
    struct yj_buf out;
    yj_buf_init(&out, 8 << 20);
    struct yj_error err;
    const struct export_table *none[] = {NULL};
    assert_int_equal(export_xlsx(none, 0, NULL, &out, &err), YJ_EINVAL);
    assert_int_equal(export_xlsx(NULL, 1, NULL, &out, &err), YJ_EINVAL);
    assert_int_equal(export_xlsx(none, EXPORT_SHEETS_MAX + 1, NULL, &out, &err), YJ_ETOOBIG);

    /* A bad table names its sheet. */
    struct export_cell bad_cells[] = {DT("2026-13-01")};
    struct export_table bad = single;
    bad.cells = bad_cells;
    const struct export_table *sheets[] = {&single, &bad};
    assert_int_equal(export_xlsx(sheets, 2, NULL, &out, &err), YJ_EINVAL);
    assert_string_equal(err.field, "sheets[1].cells[0][0]");
    assert_int_equal(out.len, 0);
    yj_buf_release(&out);

    /* Over the output limit: refused, out as it was, no file left. */
    yj_buf_init(&out, 2000);
    assert_int_equal(yj_buf_puts(&out, "prefix"), YJ_OK);
    const struct export_table *one[] = {&summary};
    assert_int_equal(export_xlsx(one, 1, NULL, &out, &err), YJ_ETOOBIG);
    assert_int_equal(out.len, 6);
    assert_string_equal(out.ptr, "prefix");
    assert_tmp_empty();

    /* An unusable TMPDIR is an I/O error, said so. */
    setenv("TMPDIR", "/nonexistent-yingji-dir", 1);
    assert_int_equal(export_xlsx(one, 1, NULL, &out, &err), YJ_EIO);
    assert_non_null(strstr(err.msg, "temporary directory"));
    assert_int_equal(out.len, 6);
    setenv("TMPDIR", tmp_dir, 1);
    yj_buf_release(&out);
}

int main(void)
{
    for (size_t i = 0; i < 2000; i++)
        memcpy(long_text + 3 * i, i % 50 == 49 ? "。" : "长", 3);

    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/yj-test-xlsx-tmp-XXXXXX");
    snprintf(out_dir, sizeof out_dir, "/tmp/yj-test-xlsx-out-XXXXXX");
    if (!mkdtemp(tmp_dir) || !mkdtemp(out_dir)) {
        perror("mkdtemp");
        return 1;
    }
    setenv("TMPDIR", tmp_dir, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workbook_read_back),
        cmocka_unit_test(test_default_names_and_append),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_sheet_names_validated),
        cmocka_unit_test(test_bad_input_and_limits),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(tmp_dir);
    rmdir(out_dir);
    return rc;
}
