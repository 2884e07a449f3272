/*
 * test_export_pdf.c - PDFs read back with poppler: pdftotext must give the
 * Chinese unit names and the title back (so the embedded fonts map to
 * Unicode), pdfinfo the page count of a table long enough for three pages,
 * each page with the header row and "第 N 页 / 共 M 页"; pdffonts that the Noto
 * CJK fonts are embedded. Also the empty table, a cell taller than a page, and
 * the refusal to render without the CJK fonts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/yj.h"
#include "export/export.h"

/* Leaks inside fontconfig and cairo 1.16, not ours: see test_export.c. */
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

static const char *const units[] = {
    "贵州某某网络安全技术有限公司", "六盘水市某某信息技术有限公司",
    "遵义某某数据安全服务有限公司", "贵阳某某信息安全测评中心有限公司",
    "安顺某某网络科技有限公司",     "毕节某某计算机系统工程有限公司",
};
static const char *const headers[] = {"序号", "单位名称", "统一社会信用代码", "综合评分"};
static const char title[] = "第二届六盘水市网络安全应急技术支撑单位公示名单";
static const char long_note[] = "该单位在本届遴选中表现突出，具备七乘二十四小时应急响应能力，"
                                "在重大活动网络安全保障中多次完成现场支撑任务。";

enum { ROWS = 90 }; /* three portrait pages: about 35 on the first, 38 on the others */

static struct export_cell cells[ROWS * 4];
static struct export_table list = {
    .title = title,
    .subtitle = "（按统一社会信用代码排序）",
    .headers = headers,
    .n_cols = 4,
    .cells = cells,
    .n_rows = ROWS,
    .footer = "版本哈希 3f9a0c  生成时间 2026-01-10 09:00",
    .created_ms = INT64_C(1768006800000), /* 2026-01-10 09:00 China Standard Time */
};

static char out_dir[64];

/* Runs argv (argv[0] a full path from poppler-utils) with its stdout into out. */
static int run_tool(char *const argv[], struct yj_buf *out)
{
    if (access(argv[0], X_OK) != 0)
        fail_msg("%s missing: install the Debian package poppler-utils", argv[0]);
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

/* pdftotext spaces CJK text as it likes: compare without any white space. */
static void squeeze(struct yj_buf *b)
{
    size_t j = 0;
    for (size_t i = 0; i < b->len; i++)
        if (!strchr(" \t\r\n\f", b->ptr[i]))
            b->ptr[j++] = b->ptr[i];
    b->len = j;
    b->ptr[j] = '\0';
}

static void write_pdf(const struct yj_buf *pdf, char *path, size_t n)
{
    snprintf(path, n, "%s/list.pdf", out_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->ptr, pdf->len), (ssize_t)pdf->len);
    close(fd);
}

/* The text of page `page` (0: all pages), white space removed, into text. */
static void pdf_text(const char *path, int page, struct yj_buf *text)
{
    char tool[] = "/usr/bin/pdftotext", layout[] = "-layout", f[] = "-f", l[] = "-l", dash[] = "-";
    char pg[16], file[128];
    snprintf(pg, sizeof pg, "%d", page);
    snprintf(file, sizeof file, "%s", path);
    char *all[] = {tool, layout, file, dash, NULL};
    char *one[] = {tool, layout, f, pg, l, pg, file, dash, NULL};
    yj_buf_reset(text);
    assert_int_equal(run_tool(page ? one : all, text), 0);
    assert_true(text->len > 0);
    squeeze(text);
}

/* pdfinfo's report, with ISO dates, into info. */
static void pdf_info(const char *path, struct yj_buf *info)
{
    char tool[] = "/usr/bin/pdfinfo", iso[] = "-isodates", file[128];
    snprintf(file, sizeof file, "%s", path);
    char *argv[] = {tool, iso, file, NULL};
    yj_buf_init(info, 1 << 20);
    assert_int_equal(run_tool(argv, info), 0);
}

static long pdf_pages(const char *path)
{
    struct yj_buf info;
    pdf_info(path, &info);
    const char *p = strstr(info.ptr, "\nPages:");
    assert_non_null(p);
    long pages = strtol(p + 7, NULL, 10);
    yj_buf_release(&info);
    return pages;
}

static void make_pdf(const struct export_table *t, struct yj_buf *out, char *path, size_t n)
{
    yj_buf_init(out, 16 << 20);
    struct yj_error err;
    yj_error_clear(&err);
    if (export_pdf(t, out, &err))
        fail_msg("export_pdf: %s", err.msg);
    assert_true(out->len > 8 && memcmp(out->ptr, "%PDF-", 5) == 0);
    assert_non_null(strstr(out->ptr + out->len - 8, "%%EOF"));
    write_pdf(out, path, n);
}

static void test_three_pages_with_chinese_text(void **state)
{
    (void)state;
    struct yj_buf pdf, text;
    char path[128];
    make_pdf(&list, &pdf, path, sizeof path);
    assert_int_equal(pdf_pages(path), 3);
    struct yj_buf info;
    pdf_info(path, &info);
    assert_non_null(strstr(info.ptr, "Title:           第二届六盘水市"));
    assert_non_null(strstr(info.ptr, "CreationDate:    2026-01-10T01:00:00"));
    yj_buf_release(&info);
    yj_buf_init(&text, 1 << 22);

    pdf_text(path, 0, &text);
    assert_non_null(strstr(text.ptr, title));
    assert_non_null(strstr(text.ptr, "（按统一社会信用代码排序）"));
    for (size_t i = 0; i < YJ_ARRAY_LEN(units); i++)
        if (!strstr(text.ptr, units[i]))
            fail_msg("pdftotext lost unit name %s", units[i]);
    assert_non_null(strstr(text.ptr, "91520100MA6D0012X"));
    assert_non_null(strstr(text.ptr, "92.05"));                      /* DECIMAL2 */
    assert_non_null(strstr(text.ptr, "该单位在本届遴选中表现突出")); /* the wrapped long cell */

    for (int page = 1; page <= 3; page++) {
        pdf_text(path, page, &text);
        char pn[64];
        snprintf(pn, sizeof pn, "第%d页/共3页", page);
        if (!strstr(text.ptr, pn))
            fail_msg("page %d has no %s", page, pn);
        /* The header row repeats on every page; the title only on the first. */
        for (size_t c = 0; c < YJ_ARRAY_LEN(headers); c++)
            if (!strstr(text.ptr, headers[c]))
                fail_msg("page %d lacks header %s", page, headers[c]);
        assert_true((strstr(text.ptr, title) != NULL) == (page == 1));
        assert_non_null(strstr(text.ptr, "版本哈希3f9a0c"));
    }
    /* The last row is on the last page. */
    assert_non_null(strstr(text.ptr, "91520100MA6D0090X"));
    yj_buf_release(&text);
    yj_buf_release(&pdf);
    unlink(path);
}

static void test_fonts_embedded_with_unicode(void **state)
{
    (void)state;
    struct yj_buf pdf;
    char path[128];
    make_pdf(&list, &pdf, path, sizeof path);
    char tool[] = "/usr/bin/pdffonts";
    char *argv[] = {tool, path, NULL};
    struct yj_buf fonts;
    yj_buf_init(&fonts, 1 << 20);
    assert_int_equal(run_tool(argv, &fonts), 0);
    /* "XXXXXX+NotoSansCJKsc-Regular  CID Type 0C  Identity-H  yes yes yes ..." */
    const char *want[] = {"NotoSansCJKsc-Regular", "NotoSansCJKsc-Bold", "NotoSerifCJKsc-Bold"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        const char *line = strstr(fonts.ptr, want[i]);
        if (!line)
            fail_msg("font %s not in the PDF:\n%s", want[i], fonts.ptr);
        const char *eol = strchr(line, '\n');
        char row[256];
        snprintf(row, sizeof row, "%.*s", (int)(eol ? eol - line : 200), line);
        if (!strstr(row, "yes yes yes"))
            fail_msg("font not embedded as a subset with a Unicode map: %s", row);
    }
    yj_buf_release(&fonts);
    yj_buf_release(&pdf);
    unlink(path);
}

static void test_empty_and_landscape(void **state)
{
    (void)state;
    struct export_table t = list;
    t.n_rows = 0;
    t.cells = NULL;
    t.subtitle = NULL;
    t.footer = NULL;
    struct yj_buf pdf, text;
    char path[128];
    make_pdf(&t, &pdf, path, sizeof path);
    assert_int_equal(pdf_pages(path), 1);
    yj_buf_init(&text, 1 << 20);
    pdf_text(path, 0, &text);
    assert_non_null(strstr(text.ptr, title));
    assert_non_null(strstr(text.ptr, "统一社会信用代码"));
    assert_non_null(strstr(text.ptr, "第1页/共1页"));
    yj_buf_release(&pdf);

    /* A table wider than portrait turns the page. */
    const double wide[] = {10, 60, 40, 20};
    t.col_widths = wide;
    make_pdf(&t, &pdf, path, sizeof path);
    yj_buf_release(&text);
    pdf_info(path, &text);
    assert_non_null(strstr(text.ptr, "841.89 x 595.276 pts (A4)"));
    yj_buf_release(&text);
    yj_buf_release(&pdf);
    unlink(path);
}

/* Reads a yMin="…" or yMax="…" attribute of a pdftotext -bbox <word> element. */
static double bbox_attr(const char *word, const char *name)
{
    const char *p = strstr(word, name);
    assert_non_null(p);
    return strtod(p + strlen(name), NULL);
}

/*
 * Every word of the page ends above the footer line (the words of the footer
 * line excepted): a cell running off its row would end over or below it.
 * The ellipsis replacing the cut text carries that text as its Unicode
 * (pango maps it so), so the text layer cannot show where the cut is; the
 * word boxes can.
 */
static void assert_words_above_footer(const char *path)
{
    char tool[] = "/usr/bin/pdftotext", bbox[] = "-bbox", dash[] = "-", file[128];
    snprintf(file, sizeof file, "%s", path);
    char *argv[] = {tool, bbox, file, dash, NULL};
    struct yj_buf html;
    yj_buf_init(&html, 1 << 24);
    assert_int_equal(run_tool(argv, &html), 0);
    const char *foot = strstr(html.ptr, ">版本哈希</word>");
    assert_non_null(foot);
    while (foot > html.ptr && strncmp(foot, "<word ", 6) != 0)
        foot--;
    double foot_top = bbox_attr(foot, "yMin=\"");
    size_t words = 0;
    for (const char *w = strstr(html.ptr, "<word "); w; w = strstr(w + 1, "<word ")) {
        double top = bbox_attr(w, "yMin=\""), bottom = bbox_attr(w, "yMax=\"");
        words++;
        if (top > foot_top - 0.5 && top < foot_top + 0.5)
            continue; /* the footer line itself */
        if (bottom > foot_top)
            fail_msg("a word ends at y=%.1f, below the footer's top %.1f", bottom, foot_top);
    }
    assert_true(words > 20);
    yj_buf_release(&html);
}

/* A cell taller than a page is cut with an ellipsis instead of running off it. */
static void test_cell_taller_than_a_page(void **state)
{
    (void)state;
    enum { N = 6000 };
    char *huge = malloc(N * 3 + 1);
    assert_non_null(huge);
    for (size_t i = 0; i < N; i++)
        memcpy(huge + 3 * i, "长", 3);
    huge[N * 3] = '\0';
    struct export_cell c[] = {
        {EXPORT_INT, NULL, 1}, {EXPORT_TEXT, units[0], 0}, {EXPORT_TEXT, huge, 0}, {EXPORT_EMPTY}};
    struct export_table t = list;
    t.cells = c;
    t.n_rows = 1;
    struct yj_buf pdf, text;
    char path[128];
    make_pdf(&t, &pdf, path, sizeof path);
    assert_int_equal(pdf_pages(path), 1);
    yj_buf_init(&text, 1 << 22);
    pdf_text(path, 0, &text);
    assert_non_null(strstr(text.ptr, units[0]));
    assert_non_null(strstr(text.ptr, "第1页/共1页"));
    assert_words_above_footer(path);
    yj_buf_release(&text);
    yj_buf_release(&pdf);
    free(huge);
    unlink(path);
}

/* Run in a child whose fontconfig knows no fonts: main's --no-fonts mode. */
static void test_refuses_without_cjk_fonts(void **state)
{
    (void)state;
    char conf[128], self[] = "/proc/self/exe", mode[] = "--no-fonts";
    snprintf(conf, sizeof conf, "%s/fonts.conf", out_dir);
    int fd = open(conf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    const char xml[] = "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n";
    assert_int_equal(write(fd, xml, sizeof xml - 1), (ssize_t)(sizeof xml - 1));
    close(fd);
    setenv("FONTCONFIG_FILE", conf, 1);
    char *argv[] = {self, mode, NULL};
    struct yj_buf out;
    yj_buf_init(&out, 1 << 16);
    int st = run_tool(argv, &out);
    unsetenv("FONTCONFIG_FILE");
    unlink(conf);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out.ptr, "internal"));
    assert_non_null(strstr(out.ptr, "fonts-noto-cjk"));
    yj_buf_release(&out);
}

static int no_fonts_mode(void)
{
    struct yj_buf out;
    yj_buf_init(&out, 1 << 20);
    struct yj_error err;
    yj_error_clear(&err);
    enum yj_err rc = export_pdf(&list, &out, &err);
    printf("%s %s len=%zu\n", yj_err_name(rc), err.msg, out.len);
    yj_buf_release(&out);
    return 0;
}

int main(int argc, char **argv)
{
    for (size_t r = 0; r < ROWS; r++) {
        static char codes[ROWS][24];
        snprintf(codes[r], sizeof codes[r], "91520100MA6D%04zuX", r + 1);
        cells[r * 4] = (struct export_cell){EXPORT_INT, NULL, (int64_t)r + 1};
        cells[r * 4 + 1] = (struct export_cell){EXPORT_TEXT, units[r % YJ_ARRAY_LEN(units)], 0};
        cells[r * 4 + 2] = (struct export_cell){EXPORT_TEXT, codes[r], 0};
        cells[r * 4 + 3] = (struct export_cell){EXPORT_DECIMAL2, NULL, 9200 + (int64_t)r};
    }
    cells[10 * 4 + 2] = (struct export_cell){EXPORT_TEXT, long_note, 0};
    if (argc == 2 && strcmp(argv[1], "--no-fonts") == 0)
        return no_fonts_mode();

    snprintf(out_dir, sizeof out_dir, "/tmp/yj-test-pdf-XXXXXX");
    if (!mkdtemp(out_dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_pages_with_chinese_text),
        cmocka_unit_test(test_fonts_embedded_with_unicode),
        cmocka_unit_test(test_empty_and_landscape),
        cmocka_unit_test(test_cell_taller_than_a_page),
        cmocka_unit_test(test_refuses_without_cjk_fonts),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(out_dir);
    return rc;
}
