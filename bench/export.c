/*
 * export.c - how long src/export takes to render a realistic table to XLSX, CSV,
 * HTML and PDF (bench/run's `export` scenario). Not part of the product and not
 * a test.
 *
 *     bench/export [--rows 1000] [--runs 5] [--formats xlsx,csv,html,pdf] [--out DIR]
 *
 * The table is a campaign's applications summary as an authority exports it: 11
 * columns (序号, 单位名称, 统一社会信用代码, 所在地区, 注册资本, 成立日期, 技术人员,
 * 能力领域 (several fields joined with 、, which wrap in the PDF), 专家评分 (hundredths),
 * 证书编号, 有效期至) with a title, subtitle and footer; the same for a given
 * --rows every time (a fixed PRNG). Each format is rendered --runs times into a
 * fresh buffer, as a request would; the first run of the process pays the
 * libraries' one-time set-up (fontconfig's font list for the PDF), so it is
 * reported on its own besides the best and the median of all runs.
 *
 * Output: one line per format for people, and one "EXPORT_JSON {...}" line per
 * format for bench/run. With --out, the last rendering of each format is written
 * to DIR/export-<rows>.<format> to look at.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/yj.h"
#include "export/export.h"
#include "units/units.h"

#include "rng.h"

enum { COLS = 11, RUNS_MAX = 100 };

/* --- the table ----------------------------------------------------------------------- */

static const struct {
    const char *province, *short_name, *city, *division;
} places[] = {
    {"北京市", "北京", "北京市", "110108"},
    {"上海市", "上海", "上海市", "310115"},
    {"广东省", "广东", "广州市", "440106"},
    {"浙江省", "浙江", "杭州市", "330106"},
    {"江苏省", "江苏", "南京市", "320106"},
    {"四川省", "四川", "成都市", "510107"},
    {"贵州省", "贵州", "贵阳市", "520115"},
    {"山东省", "山东", "济南市", "370102"},
    {"湖北省", "湖北", "武汉市", "420106"},
    {"陕西省", "陕西", "西安市", "610113"},
    {"福建省", "福建", "福州市", "350102"},
    {"湖南省", "湖南", "长沙市", "430104"},
    {"广西壮族自治区", "广西", "南宁市", "450103"},
    {"新疆维吾尔自治区", "新疆", "乌鲁木齐市", "650102"},
};
static const char *const brand_a[] = {"安", "云", "天", "盾", "信", "网", "启", "恒", "鼎", "锐",
                                      "融", "智", "卫", "华", "中", "远", "博", "弘", "数", "星"};
static const char *const brand_b[] = {"御", "擎", "穹", "盾", "源", "诚", "达", "腾", "创", "维",
                                      "科", "辰", "翼", "迅", "瀚", "峰", "泰", "宸", "钧", "衡"};
static const char *const company_kind[] = {
    "网络安全技术有限公司",   "信息安全技术有限公司", "网络科技股份有限公司",
    "信息技术有限公司",       "数据安全科技有限公司", "网络安全技术股份有限公司",
    "计算机系统工程有限公司", "软件技术有限公司",     "信息系统安全测评中心有限公司"};

static const char *const headers[COLS] = {
    "序号",           "单位名称", "统一社会信用代码", "所在地区", "注册资本（元）", "成立日期",
    "技术人员（人）", "能力领域", "专家评分",         "证书编号", "有效期至"};

static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void *must(void *p)
{
    if (!p) {
        fprintf(stderr, "export: out of memory\n");
        exit(1);
    }
    return p;
}

static char *credit_code(struct yj_arena *a, const char *division, uint64_t ordinal)
{
    char code[19];
    memcpy(code, "91", 2);
    memcpy(code + 2, division, 6);
    code[8] = 'M';
    code[9] = 'A';
    for (int i = 16; i >= 10; i--) {
        code[i] = credit_alphabet[ordinal % 31];
        ordinal /= 31;
    }
    code[17] = '\0';
    code[17] = unit_credit_code_check_char(code);
    code[18] = '\0';
    return must(yj_arena_strdup(a, code));
}

static struct export_cell text(const char *s)
{
    return (struct export_cell){.type = EXPORT_TEXT, .text = s};
}

static struct export_cell number(enum export_cell_type type, int64_t n)
{
    return (struct export_cell){.type = type, .number = n};
}

/* Fills t with rows rows (cells and strings in a). */
static void make_table(struct yj_arena *a, size_t rows, struct export_table *t)
{
    struct export_cell *cells = must(yj_arena_calloc(a, rows * COLS + 1, sizeof *cells));
    for (size_t r = 0; r < rows; r++) {
        struct export_cell *row = &cells[r * COLS];
        size_t p = rnd() % YJ_ARRAY_LEN(places);
        /* Three to six capability fields, in the reference order, joined with 、. */
        struct yj_buf caps;
        yj_buf_init(&caps, 4096);
        size_t first = rnd() % unit_capability_fields_count;
        size_t n_caps = (size_t)rnd_range(3, 6);
        for (size_t i = 0; i < n_caps; i++)
            yj_buf_printf(
                &caps, "%s%s", i ? "、" : "",
                unit_capability_fields[(first + i) % unit_capability_fields_count].name_zh);
        int year = (int)rnd_range(1996, 2022);
        row[0] = number(EXPORT_INT, (int64_t)r + 1);
        row[1] = text(must(yj_arena_printf(a, "%s%s%s%s", places[p].short_name, PICK(brand_a),
                                           PICK(brand_b), PICK(company_kind))));
        row[2] = text(credit_code(a, places[p].division, r));
        row[3] = text(must(yj_arena_printf(a, "%s%s", places[p].province, places[p].city)));
        row[4] = number(EXPORT_INT, rnd_range(1, 500) * 100000);
        row[5] = (struct export_cell){
            .type = EXPORT_DATE,
            .text = must(yj_arena_printf(a, "%04d-%02d-%02d", year, (int)rnd_range(1, 12),
                                         (int)rnd_range(1, 28)))};
        row[6] = number(EXPORT_INT, rnd_range(10, 300));
        row[7] = text(must(yj_arena_strdup(a, caps.ptr ? caps.ptr : "")));
        row[8] = number(EXPORT_DECIMAL2, rnd_range(6000, 9800));
        row[9] = text(must(yj_arena_printf(a, "BENCH-2026-%05zu", r + 1)));
        row[10] = (struct export_cell){.type = EXPORT_DATE, .text = "2028-11-21"};
        yj_buf_release(&caps);
    }
    *t = (struct export_table){
        .title = "申报信息汇总表",
        .subtitle = "2026 年度网络安全应急技术支撑单位遴选",
        .headers = headers,
        .n_cols = COLS,
        .cells = cells,
        .n_rows = rows,
        .footer = must(yj_arena_printf(a, "共 %zu 家单位申报；生成时间 2026-11-22 15:00", rows)),
        .created_ms = INT64_C(1795330800000), /* 2026-11-22 15:00 CST */
    };
}

/* --- rendering ------------------------------------------------------------------------- */

static const char *const formats[] = {"xlsx", "csv", "html", "pdf"};

static enum yj_err render(size_t format, const struct export_table *t, struct yj_buf *out,
                          struct yj_error *err)
{
    switch (format) {
    case 0:
        return export_xlsx(&t, 1, NULL, out, err);
    case 1:
        return export_csv(t, out, err);
    case 2:
        return export_html(t, out, err);
    default:
        return export_pdf(t, out, err);
    }
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: export [--rows N] [--runs R] [--formats LIST] [--out DIR]\n\n"
               "Renders a realistic applications summary of N rows (default 1000) R times\n"
               "(default 5) in each format of LIST (default xlsx,csv,html,pdf) and prints\n"
               "rows, bytes, first, best and median milliseconds per format. With --out, the\n"
               "last rendering of each format is kept in DIR.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rows", required_argument, NULL, 'n'},    {"runs", required_argument, NULL, 'r'},
        {"formats", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int64_t rows = 1000, runs = 5;
    const char *list = "xlsx,csv,html,pdf", *out_dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'n':
            bad = yj_parse_i64(optarg, 1, EXPORT_ROWS_MAX, &rows);
            break;
        case 'r':
            bad = yj_parse_i64(optarg, 1, RUNS_MAX, &runs);
            break;
        case 'f':
            list = optarg;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        if (bad) {
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    bool wanted[YJ_ARRAY_LEN(formats)] = {false};
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        while (k < YJ_ARRAY_LEN(formats) &&
               !(strlen(formats[k]) == n && strncmp(formats[k], p, n) == 0))
            k++;
        if (k == YJ_ARRAY_LEN(formats)) {
            fprintf(stderr, "export: unknown format '%.*s' (xlsx, csv, html, pdf)\n", (int)n, p);
            return 2;
        }
        wanted[k] = true;
        p += n + (p[n] == ',');
    }

    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct export_table t;
    double g0 = mono_ms();
    make_table(&a, (size_t)rows, &t);
    struct yj_error err;
    yj_error_clear(&err);
    if (export_table_check(&t, &err)) {
        fprintf(stderr, "export: the generated table is invalid (%s: %s): a bug in export.c\n",
                err.field, err.msg);
        return 1;
    }
    printf("export: %lld rows x %d columns (%s), %.0f ms to build; %lld runs per format\n",
           (long long)rows, COLS, export_table_prefers_landscape(&t) ? "landscape" : "portrait",
           mono_ms() - g0, (long long)runs);

    int status = 0;
    for (size_t f = 0; f < YJ_ARRAY_LEN(formats); f++) {
        if (!wanted[f])
            continue;
        double ms[RUNS_MAX];
        size_t bytes = 0;
        for (int64_t i = 0; i < runs; i++) {
            struct yj_buf b;
            yj_buf_init(&b, (size_t)1 << 30);
            double t0 = mono_ms();
            enum yj_err rc = render(f, &t, &b, &err);
            ms[i] = mono_ms() - t0;
            bytes = b.len;
            if (rc) {
                fprintf(stderr, "export: %s: %s%s%s\n", formats[f], err.field[0] ? err.field : "",
                        err.field[0] ? ": " : "", err.msg);
                yj_buf_release(&b);
                return 1;
            }
            if (out_dir && i == runs - 1) {
                char path[4096];
                snprintf(path, sizeof path, "%s/export-%lld.%s", out_dir, (long long)rows,
                         formats[f]);
                FILE *fp = fopen(path, "wb");
                if (!fp || fwrite(b.ptr, 1, b.len, fp) != b.len || fclose(fp) != 0) {
                    fprintf(stderr, "export: cannot write %s\n", path);
                    status = 1;
                }
            }
            yj_buf_release(&b);
        }
        double first = ms[0];
        qsort(ms, (size_t)runs, sizeof ms[0], cmp_double);
        double median = runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        printf("%-4s  %lld rows  %zu bytes  first %.1f ms  best %.1f ms  median %.1f ms\n",
               formats[f], (long long)rows, bytes, first, ms[0], median);
        printf("EXPORT_JSON {\"format\":\"%s\",\"rows\":%lld,\"cols\":%d,\"bytes\":%zu,"
               "\"runs\":%lld,\"first_ms\":%.1f,\"best_ms\":%.1f,\"median_ms\":%.1f}\n",
               formats[f], (long long)rows, COLS, bytes, (long long)runs, first, ms[0], median);
        fflush(stdout);
    }
    yj_arena_release(&a);
    return status;
}
