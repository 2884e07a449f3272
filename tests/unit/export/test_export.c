/*
 * test_export.c - the table model and the text formats: table checks, cell
 * display text, CJK display widths, the landscape rule, CSV byte for byte (BOM,
 * quoting, CRLF, the formula-injection guard), the HTML page (escaping, no
 * inline style or script, /print.css) and the print stylesheet. XLSX and PDF,
 * which need outside readers, are in test_export_xlsx.c and test_export_pdf.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "export/export.h"

/*
 * Leaks inside the system libraries the PDF writer uses (Debian 12): fontconfig's
 * pattern caches filled from pango's worker thread, and ~2 KB per document lost in
 * cairo 1.16's font subsetting during cairo_surface_finish. Neither is ours to fix;
 * anything the module itself allocates is not matched by these and still reported.
 * The slow unwinder sees through the libraries' frames (built without frame
 * pointers), so that the second pattern can match the function by name.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:cairo_surface_finish\n";
}

/* Cell initialisers for the tables below. */
// clang-format off
#define T(s) {EXPORT_TEXT, (s), 0}
#define I(n) {EXPORT_INT, NULL, (n)}
#define D2(n) {EXPORT_DECIMAL2, NULL, (n)}
#define DT(s) {EXPORT_DATE, (s), 0}
#define E {EXPORT_EMPTY, NULL, 0}
// clang-format on

static const char *const headers[] = {"序号", "单位名称", "注册资本(万元)",
                                      "评分", "成立日期", "备注"};

/* One table row a line. */
// clang-format off
static const struct export_cell cells[] = {
    I(1), T("贵州某某网络安全技术有限公司"), I(2000), D2(8550), DT("2015-03-18"), T("通过"),
    I(2), T("六盘水市\"安信\",技术有限公司"), I(500), D2(9005), DT("2018-07-01"), T("第一行\r\n第二行"),
    I(3), T("=1+2"), E, D2(-5), E, T("-@x"),
    I(-7), T("@SUM(A1)"), I(0), D2(0), DT("2020-02-29"), T("\tTAB"),
    I(4), T("+86 851"), E, E, E, T("=a,\"b\""),
    I(5), T("\rX"), E, E, E, T("<script>alert('x')</script> & \"q\""),
};
// clang-format on

static const struct export_table sample = {
    .title = "申报信息汇总表",
    .subtitle = "第二届六盘水市网络安全应急技术支撑队伍遴选",
    .headers = headers,
    .n_cols = 6,
    .cells = cells,
    .n_rows = 6,
    .footer = "版本哈希 3f9a0c  生成时间 2026-01-10 09:00",
};

static void test_check_accepts_sample(void **state)
{
    (void)state;
    struct yj_error err;
    yj_error_clear(&err);
    assert_int_equal(export_table_check(&sample, &err), YJ_OK);
}

/* Checks that t fails with code and field. */
static void expect_bad(const struct export_table *t, enum yj_err code, const char *field)
{
    struct yj_error err;
    yj_error_clear(&err);
    assert_int_equal(export_table_check(t, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.field, field);
    assert_true(err.msg[0] != '\0');
}

static void test_check_refuses_bad_tables(void **state)
{
    (void)state;
    struct yj_error err;
    assert_int_equal(export_table_check(NULL, &err), YJ_EINVAL);

    struct export_table t = sample;
    t.title = NULL;
    expect_bad(&t, YJ_EINVAL, "title");
    t.title = "";
    expect_bad(&t, YJ_EINVAL, "title");
    t.title = "bad \x01 control";
    expect_bad(&t, YJ_EINVAL, "title");
    t = sample;
    t.subtitle = "\xe8\xb4"; /* a cut UTF-8 sequence */
    expect_bad(&t, YJ_EINVAL, "subtitle");
    t = sample;
    t.footer = "\xff";
    expect_bad(&t, YJ_EINVAL, "footer");

    t = sample;
    t.n_cols = 0;
    expect_bad(&t, YJ_EINVAL, "headers");
    t.n_cols = EXPORT_COLS_MAX + 1;
    expect_bad(&t, YJ_ETOOBIG, "headers");
    t = sample;
    t.headers = NULL;
    expect_bad(&t, YJ_EINVAL, "headers");
    const char *const hs[] = {"序号", NULL};
    t.headers = hs;
    t.n_cols = 2;
    t.n_rows = 0;
    expect_bad(&t, YJ_EINVAL, "headers[1]");

    t = sample;
    t.n_rows = EXPORT_ROWS_MAX + 1;
    expect_bad(&t, YJ_ETOOBIG, "cells");
    t.n_rows = 1;
    t.cells = NULL;
    expect_bad(&t, YJ_EINVAL, "cells");

    t = sample;
    t.created_ms = -1;
    expect_bad(&t, YJ_EINVAL, "created_ms");
    t.created_ms = INT64_C(253402300800000); /* 10000-01-01 */
    expect_bad(&t, YJ_EINVAL, "created_ms");
    t.created_ms = INT64_C(253402300799999);
    assert_int_equal(export_table_check(&t, NULL), YJ_OK);

    const double widths[6] = {4, 30, 10, 0, 12, 20};
    t = sample;
    t.col_widths = widths;
    expect_bad(&t, YJ_EINVAL, "col_widths[3]");
}

static void test_check_refuses_bad_cells(void **state)
{
    (void)state;
    const char *const hs[] = {"a", "b"};
    struct export_cell c[4] = {I(1), T("ok"), T("ok"), T("ok")};
    struct export_table t = {.title = "t", .headers = hs, .n_cols = 2, .cells = c, .n_rows = 2};
    struct yj_error err;
    assert_int_equal(export_table_check(&t, &err), YJ_OK);

    c[3] = (struct export_cell)T("\xc3\x28"); /* invalid continuation byte */
    expect_bad(&t, YJ_EINVAL, "cells[1][1]");
    c[3] = (struct export_cell)T(NULL);
    expect_bad(&t, YJ_EINVAL, "cells[1][1]");
    c[3] = (struct export_cell)DT("2021-02-29"); /* not a leap year */
    expect_bad(&t, YJ_EINVAL, "cells[1][1]");
    c[3] = (struct export_cell)DT("2021-2-3");
    expect_bad(&t, YJ_EINVAL, "cells[1][1]");
    c[3] = (struct export_cell){(enum export_cell_type)99, NULL, 0};
    expect_bad(&t, YJ_EINVAL, "cells[1][1]");

    /* Excel's limit is in characters: 32767 Chinese characters pass, one more fails. */
    size_t n = EXPORT_CELL_CHARS_MAX;
    char *big = malloc(n * 3 + 4);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        memcpy(big + 3 * i, "字", 3);
    big[3 * n] = '\0';
    c[3] = (struct export_cell)T(big);
    assert_int_equal(export_table_check(&t, &err), YJ_OK);
    memcpy(big + 3 * n, "x", 2);
    expect_bad(&t, YJ_ETOOBIG, "cells[1][1]");
    free(big);
}

static void expect_format(struct export_cell c, const char *want)
{
    struct yj_buf b;
    yj_buf_init(&b, 64);
    assert_int_equal(export_cell_format(&c, &b, NULL), YJ_OK);
    assert_string_equal(b.ptr ? b.ptr : "", want);
    yj_buf_release(&b);
}

static void test_cell_format(void **state)
{
    (void)state;
    expect_format((struct export_cell)I(0), "0");
    expect_format((struct export_cell)I(-42), "-42");
    expect_format((struct export_cell)I(INT64_MIN), "-9223372036854775808");
    expect_format((struct export_cell)D2(8550), "85.50");
    expect_format((struct export_cell)D2(5), "0.05");
    expect_format((struct export_cell)D2(-105), "-1.05");
    expect_format((struct export_cell)D2(-5), "-0.05");
    expect_format((struct export_cell)D2(INT64_MIN), "-92233720368547758.08");
    expect_format((struct export_cell)D2(INT64_MAX), "92233720368547758.07");
    expect_format((struct export_cell)T("贵州"), "贵州");
    expect_format((struct export_cell)DT("2026-01-09"), "2026-01-09");
    expect_format((struct export_cell)E, "");

    /* Over the buffer's limit: refused, buffer unchanged. */
    struct yj_buf b;
    yj_buf_init(&b, 3);
    struct yj_error err;
    struct export_cell c = I(12345);
    assert_int_equal(export_cell_format(&c, &b, &err), YJ_ETOOBIG);
    assert_int_equal(b.len, 0);
    yj_buf_release(&b);
}

static void test_text_columns(void **state)
{
    (void)state;
    assert_int_equal(export_text_columns(NULL), 0);
    assert_int_equal(export_text_columns(""), 0);
    assert_int_equal(export_text_columns("abc"), 3);
    assert_int_equal(export_text_columns("贵州"), 4);
    assert_int_equal(export_text_columns("注册资本(万元)"), 14);
    assert_int_equal(export_text_columns("（全角）"), 8);
    assert_int_equal(export_text_columns("ab\n贵州某\r\nx"), 6);
    assert_int_equal(export_text_columns("\xf0\xa0\x80\x80"), 2); /* U+20000, CJK Ext. B */
    assert_int_equal(export_text_columns("\xe8\xb4"), 1);         /* cut short: no overread */
}

static void test_column_width_and_landscape(void **state)
{
    (void)state;
    assert_int_equal(export_column_width(&sample, 0), 4); /* "序号" beats "-7" */
    assert_int_equal(export_column_width(&sample, 1), 28);
    assert_int_equal(export_column_width(&sample, 3), 5); /* "85.50", "-0.05" */
    assert_int_equal(export_column_width(&sample, 4), 10);
    assert_false(export_table_prefers_landscape(&sample));

    /* Eight columns of long unit names do not fit portrait A4. */
    const char *hs[8];
    struct export_cell wide[8];
    for (int i = 0; i < 8; i++) {
        hs[i] = "单位名称";
        wide[i] = (struct export_cell)T("贵州某某网络安全技术有限公司");
    }
    struct export_table t = {.title = "t", .headers = hs, .n_cols = 8, .cells = wide, .n_rows = 1};
    assert_true(export_table_prefers_landscape(&t));

    /* Given widths decide alone. */
    const double narrow[8] = {5, 5, 5, 5, 5, 5, 5, 5};
    t.col_widths = narrow;
    assert_false(export_table_prefers_landscape(&t));
    struct export_table s = sample;
    const double big[6] = {6, 40, 20, 20, 15, 12};
    s.col_widths = big;
    assert_true(export_table_prefers_landscape(&s));
}

static const char csv_expected[] =
    "\xef\xbb\xbf"
    "序号,单位名称,注册资本(万元),评分,成立日期,备注\r\n"
    "1,贵州某某网络安全技术有限公司,2000,85.50,2015-03-18,通过\r\n"
    "2,\"六盘水市\"\"安信\"\",技术有限公司\",500,90.05,2018-07-01,\"第一行\r\n第二行\"\r\n"
    "3,'=1+2,,-0.05,,'-@x\r\n"
    "-7,'@SUM(A1),0,0.00,2020-02-29,'\tTAB\r\n"
    "4,'+86 851,,,,\"'=a,\"\"b\"\"\"\r\n"
    "5,\"'\rX\",,,,\"<script>alert('x')</script> & \"\"q\"\"\"\r\n";

static void test_csv_exact_bytes(void **state)
{
    (void)state;
    struct yj_buf out;
    yj_buf_init(&out, 1 << 20);
    struct yj_error err;
    assert_int_equal(export_csv(&sample, &out, &err), YJ_OK);
    assert_int_equal(out.len, sizeof csv_expected - 1);
    assert_memory_equal(out.ptr, csv_expected, sizeof csv_expected - 1);
    yj_buf_release(&out);
}

static void test_csv_header_only_and_appends(void **state)
{
    (void)state;
    struct export_table t = sample;
    t.n_rows = 0;
    t.cells = NULL;
    struct yj_buf out;
    yj_buf_init(&out, 1 << 20);
    assert_int_equal(yj_buf_puts(&out, "x"), YJ_OK);
    assert_int_equal(export_csv(&t, &out, NULL), YJ_OK);
    assert_string_equal(out.ptr,
                        "x\xef\xbb\xbf序号,单位名称,注册资本(万元),评分,成立日期,备注\r\n");
    yj_buf_release(&out);
}

/* Every writer restores out to its length on entry when the limit is hit. */
static void test_limits_restore_out(void **state)
{
    (void)state;
    enum yj_err (*writers[])(const struct export_table *, struct yj_buf *,
                             struct yj_error *) = {export_csv, export_html, export_pdf};
    for (size_t i = 0; i < YJ_ARRAY_LEN(writers); i++) {
        struct yj_buf out;
        yj_buf_init(&out, 200);
        assert_int_equal(yj_buf_puts(&out, "prefix"), YJ_OK);
        struct yj_error err;
        yj_error_clear(&err);
        assert_int_equal(writers[i](&sample, &out, &err), YJ_ETOOBIG);
        assert_int_equal(err.code, YJ_ETOOBIG);
        assert_int_equal(out.len, 6);
        assert_string_equal(out.ptr, "prefix");
        yj_buf_release(&out);
    }
    /* A bad table is refused before anything is written. */
    struct export_table t = sample;
    t.title = NULL;
    for (size_t i = 0; i < YJ_ARRAY_LEN(writers); i++) {
        struct yj_buf out;
        yj_buf_init(&out, 1 << 20);
        struct yj_error err;
        assert_int_equal(writers[i](&t, &out, &err), YJ_EINVAL);
        assert_string_equal(err.field, "title");
        assert_int_equal(out.len, 0);
        yj_buf_release(&out);
    }
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_html_page(void **state)
{
    (void)state;
    struct export_table t = sample;
    t.title = "申报信息汇总表 <script>alert(1)</script>";
    struct yj_buf out;
    yj_buf_init(&out, 1 << 20);
    struct yj_error err;
    assert_int_equal(export_html(&t, &out, &err), YJ_OK);
    const char *h = out.ptr;

    assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35) == 0);
    assert_non_null(strstr(h, "<meta charset=\"utf-8\">"));
    assert_int_equal(count(h, "<link rel=\"stylesheet\" href=\"/print.css\">"), 1);
    assert_non_null(
        strstr(h, "<title>申报信息汇总表 &lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    assert_non_null(strstr(h, "<h1>申报信息汇总表 &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert_non_null(
        strstr(h, "<p class=\"subtitle\">第二届六盘水市网络安全应急技术支撑队伍遴选</p>"));
    assert_non_null(strstr(h, "<footer>版本哈希 3f9a0c  生成时间 2026-01-10 09:00</footer>"));

    /* The CSP allows neither: no inline style or script of any kind. */
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "<style"));
    assert_null(strstr(h, "style="));
    assert_null(strstr(h, " on")); /* no event handler attributes */

    for (size_t c = 0; c < t.n_cols; c++) {
        char th[128];
        snprintf(th, sizeof th, "<th scope=\"col\">%s</th>", headers[c]);
        assert_int_equal(count(h, th), 1);
    }
    assert_int_equal(count(h, "<tr>"), t.n_rows + 1);
    assert_int_equal(count(h, "<thead>"), 1);
    /* Short text columns stay on one line; the long remarks column wraps. */
    assert_non_null(strstr(h, "<td class=\"nw\">贵州某某网络安全技术有限公司</td>"));
    assert_non_null(strstr(h, "<td>通过</td>"));
    assert_non_null(strstr(h, "<td class=\"num\">85.50</td>"));
    assert_non_null(strstr(h, "<td class=\"num\">-0.05</td>"));
    assert_non_null(strstr(h, "<td class=\"date\">2015-03-18</td>"));
    assert_non_null(strstr(h, "<td class=\"empty\"></td>"));
    assert_non_null(strstr(h, "<td class=\"nw\">六盘水市&quot;安信&quot;,技术有限公司</td>"));
    assert_non_null(strstr(h, "<td class=\"nw\">=1+2</td>")); /* HTML runs no formulas */
    assert_non_null(strstr(h, "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                              "&quot;q&quot;</td>"));
    assert_non_null(strstr(h, "<body class=\"yj-print\">"));
    assert_true(out.len > 16 && strcmp(h + out.len - 16, "</body>\n</html>\n") == 0);
    yj_buf_release(&out);
}

static void test_html_wide_and_minimal(void **state)
{
    (void)state;
    const char *const hs[] = {"单位名称"};
    const double w[] = {200};
    struct export_table t = {.title = "名单", .headers = hs, .n_cols = 1, .col_widths = w};
    struct yj_buf out;
    yj_buf_init(&out, 1 << 20);
    assert_int_equal(export_html(&t, &out, NULL), YJ_OK);
    assert_non_null(strstr(out.ptr, "<body class=\"yj-print yj-wide\">"));
    assert_null(strstr(out.ptr, "subtitle"));
    assert_null(strstr(out.ptr, "<footer>"));
    assert_int_equal(count(out.ptr, "<tr>"), 1);
    yj_buf_release(&out);

    /* Too many short columns to keep all on one line: none is kept. */
    const char *names[8];
    struct export_cell row[8];
    for (int i = 0; i < 8; i++) {
        names[i] = "单位名称";
        row[i] = (struct export_cell)T("贵州某某网络安全技术有限公司");
    }
    struct export_table many = {
        .title = "t", .headers = names, .n_cols = 8, .cells = row, .n_rows = 1};
    yj_buf_init(&out, 1 << 20);
    assert_int_equal(export_html(&many, &out, NULL), YJ_OK);
    assert_int_equal(count(out.ptr, "<td>贵州某某网络安全技术有限公司</td>"), 8);
    assert_null(strstr(out.ptr, "\"nw\""));
    yj_buf_release(&out);
}

static void test_print_css(void **state)
{
    (void)state;
    size_t len = 0;
    const char *css = export_print_css(&len);
    assert_non_null(css);
    assert_int_equal(len, strlen(css));
    assert_ptr_equal(export_print_css(NULL), css);
    assert_non_null(strstr(css, "@page {\n  size: A4 portrait;"));
    assert_non_null(strstr(css, "size: A4 landscape;"));
    assert_non_null(strstr(css, "page: wide;"));
    assert_non_null(strstr(css, "display: table-header-group;"));
    assert_non_null(strstr(css, "counter(page)"));
    assert_non_null(strstr(css, "\"Noto Sans CJK SC\""));
    /* Every class the page uses is styled. */
    const char *classes[] = {"body.yj-print", ".yj-wide", "table.yj-export", "td.num",
                             "td.nw",         "td.date",  ".subtitle",       "footer"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(classes); i++)
        assert_non_null(strstr(css, classes[i]));
    /* Braces balance: a typo would drop every rule after it. */
    long depth = 0;
    for (const char *p = css; *p; p++) {
        depth += *p == '{';
        depth -= *p == '}';
        assert_true(depth >= 0);
    }
    assert_int_equal(depth, 0);
    assert_true(yj_utf8_text_ok(css, len));
}

/* The whole of a file under $YINGJI_SRC into out; 0, or -1 when it does not exist. */
static int read_src_file(const char *rel, struct yj_buf *out)
{
    const char *src = getenv("YINGJI_SRC");
    if (!src)
        fail_msg("YINGJI_SRC is not set (run through ctest)");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", src, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(yj_buf_append(out, chunk, n), YJ_OK);
    fclose(f);
    return 0;
}

/* docs/export.md carries the stylesheet for whoever puts it in web/; it must be the same. */
static void test_print_css_copies_match(void **state)
{
    (void)state;
    size_t len;
    const char *css = export_print_css(&len);
    struct yj_buf doc;
    yj_buf_init(&doc, 1 << 20);
    if (read_src_file("docs/export.md", &doc) != 0)
        fail_msg("docs/export.md missing");
    const char *start = strstr(doc.ptr, "```css\n");
    assert_non_null(start);
    start += 7;
    const char *end = strstr(start, "```\n");
    assert_non_null(end);
    if ((size_t)(end - start) != len || memcmp(start, css, len) != 0)
        fail_msg("the stylesheet in docs/export.md differs from export_print_css()");
    yj_buf_release(&doc);

    /* Once web/print.css exists (the lead adds it), it must be the same too. */
    struct yj_buf web;
    yj_buf_init(&web, 1 << 20);
    if (read_src_file("web/print.css", &web) == 0) {
        if (web.len != len || memcmp(web.ptr, css, len) != 0)
            fail_msg("web/print.css differs from export_print_css()");
    } else {
        print_message("note: web/print.css not present yet; HTML exports link /print.css\n");
    }
    yj_buf_release(&web);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_accepts_sample),
        cmocka_unit_test(test_check_refuses_bad_tables),
        cmocka_unit_test(test_check_refuses_bad_cells),
        cmocka_unit_test(test_cell_format),
        cmocka_unit_test(test_text_columns),
        cmocka_unit_test(test_column_width_and_landscape),
        cmocka_unit_test(test_csv_exact_bytes),
        cmocka_unit_test(test_csv_header_only_and_appends),
        cmocka_unit_test(test_limits_restore_out),
        cmocka_unit_test(test_html_page),
        cmocka_unit_test(test_html_wide_and_minimal),
        cmocka_unit_test(test_print_css),
        cmocka_unit_test(test_print_css_copies_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
