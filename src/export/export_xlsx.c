/*
 * export_xlsx.c - tables as one XLSX workbook through libxlsxwriter, a sheet per
 * table. The library writes only to a named file, so the workbook is built in a
 * private temporary directory and read back into the caller's buffer.
 */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/yj.h"

/* Excel keeps 15 significant digits; a larger integer would come back changed. */
#define XLSX_EXACT_MAX INT64_C(999999999999999)

struct xlsx_formats {
    lxw_format *title, *subtitle, *header, *text, *integer, *decimal2, *date, *footer;
};

/* Sheet names as Excel accepts them (it refuses the file otherwise); see export.h. */
static enum yj_err xlsx_check_name(const char *name, const char *field, struct yj_error *err)
{
    size_t n = strlen(name);
    if (n == 0)
        return yj_error_set(err, YJ_EINVAL, field, "sheet name is empty");
    if (!yj_utf8_text_ok(name, n) || strpbrk(name, "\t\r\n"))
        return yj_error_set(err, YJ_EINVAL, field, "sheet name is not UTF-8 text");
    if (strpbrk(name, "[]:*?/\\"))
        return yj_error_set(err, YJ_EINVAL, field, "sheet name has one of []:*?/\\");
    if (name[0] == '\'' || name[n - 1] == '\'')
        return yj_error_set(err, YJ_EINVAL, field, "sheet name starts or ends with '");
    if (strcasecmp(name, "History") == 0)
        return yj_error_set(err, YJ_EINVAL, field, "sheet name History is reserved by Excel");
    /* UTF-16 units: a code point beyond the BMP (4 UTF-8 bytes) takes two. */
    size_t units = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if ((*p & 0xc0) != 0x80)
            units += *p >= 0xf0 ? 2 : 1;
    if (units > EXPORT_SHEET_NAME_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "sheet name over %d characters",
                            EXPORT_SHEET_NAME_MAX);
    return YJ_OK;
}

static enum yj_err xlsx_check(const struct export_table *const *sheets, size_t n_sheets,
                              const char *const *names, struct yj_error *err)
{
    if (!sheets || n_sheets == 0)
        return yj_error_set(err, YJ_EINVAL, "sheets", "a workbook needs at least one sheet");
    if (n_sheets > EXPORT_SHEETS_MAX)
        return yj_error_set(err, YJ_ETOOBIG, "sheets", "more than %d sheets", EXPORT_SHEETS_MAX);
    for (size_t i = 0; i < n_sheets; i++) {
        char field[48];
        enum yj_err rc = export_table_check(sheets[i], err);
        if (rc) {
            snprintf(field, sizeof field, "sheets[%zu]", i);
            yj_error_prefix_field(err, field);
            return rc;
        }
        if (!names)
            continue;
        snprintf(field, sizeof field, "sheet_names[%zu]", i);
        if (!names[i])
            return yj_error_set(err, YJ_EINVAL, field, "sheet name missing");
        if ((rc = xlsx_check_name(names[i], field, err)))
            return rc;
        /* Excel compares sheet names without case; for CJK that is byte equality. */
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(names[i], names[j]) == 0)
                return yj_error_set(err, YJ_EINVAL, field, "sheet name used twice");
    }
    return YJ_OK;
}

static lxw_format *xlsx_format(lxw_workbook *wb, bool bordered)
{
    lxw_format *f = workbook_add_format(wb);
    if (f && bordered) {
        format_set_border(f, LXW_BORDER_THIN);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    return f;
}

static bool xlsx_formats_init(lxw_workbook *wb, struct xlsx_formats *f)
{
    f->title = xlsx_format(wb, false);
    f->subtitle = xlsx_format(wb, false);
    f->header = xlsx_format(wb, true);
    f->text = xlsx_format(wb, true);
    f->integer = xlsx_format(wb, true);
    f->decimal2 = xlsx_format(wb, true);
    f->date = xlsx_format(wb, true);
    f->footer = xlsx_format(wb, false);
    if (!f->title || !f->subtitle || !f->header || !f->text || !f->integer || !f->decimal2 ||
        !f->date || !f->footer)
        return false;
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_align(f->subtitle, LXW_ALIGN_CENTER);
    format_set_align(f->subtitle, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xD9E1F2);
    format_set_align(f->header, LXW_ALIGN_CENTER);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->header);
    format_set_text_wrap(f->text);
    format_set_num_format(f->integer, "0");
    format_set_num_format(f->decimal2, "0.00");
    format_set_num_format(f->date, "yyyy-mm-dd");
    format_set_align(f->date, LXW_ALIGN_CENTER);
    format_set_italic(f->footer);
    format_set_font_color(f->footer, 0x595959);
    return true;
}

/* A title-like row across all columns: merged when there is more than one. */
static lxw_error xlsx_banner(lxw_worksheet *ws, lxw_row_t row, const struct export_table *t,
                             const char *text, lxw_format *f)
{
    if (t->n_cols == 1)
        return worksheet_write_string(ws, row, 0, text, f);
    return worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(t->n_cols - 1), text, f);
}

static lxw_error xlsx_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                           const struct export_cell *c, const struct xlsx_formats *f)
{
    switch (c->type) {
    case EXPORT_TEXT:
        /* Always a string: a leading '=' is shown, never evaluated. */
        return worksheet_write_string(ws, row, col, c->text, f->text);
    case EXPORT_INT:
    case EXPORT_DECIMAL2:
        if (c->number < -XLSX_EXACT_MAX || c->number > XLSX_EXACT_MAX) {
            struct yj_buf b;
            yj_buf_init(&b, 32);
            lxw_error e = export_cell_format(c, &b, NULL)
                              ? LXW_ERROR_MEMORY_MALLOC_FAILED
                              : worksheet_write_string(ws, row, col, b.ptr, f->text);
            yj_buf_release(&b);
            return e;
        }
        if (c->type == EXPORT_INT)
            return worksheet_write_number(ws, row, col, (double)c->number, f->integer);
        return worksheet_write_number(ws, row, col, (double)c->number / 100.0, f->decimal2);
    case EXPORT_DATE: {
        lxw_datetime dt = {0};
        yj_date_parse(c->text, &dt.year, &dt.month, &dt.day); /* checked before */
        return worksheet_write_datetime(ws, row, col, &dt, f->date);
    }
    case EXPORT_EMPTY:
        break;
    }
    return worksheet_write_blank(ws, row, col, f->text);
}

static lxw_error xlsx_sheet(lxw_worksheet *ws, const struct export_table *t,
                            const struct xlsx_formats *f)
{
    lxw_col_t last_col = (lxw_col_t)(t->n_cols - 1);
    lxw_row_t hr = t->subtitle ? 2 : 1; /* the header row */
    lxw_error e = LXW_NO_ERROR;

    /* Layout first: in constant-memory mode rows are flushed as they are passed. */
    for (size_t c = 0; !e && c < t->n_cols; c++) {
        double w = t->col_widths ? t->col_widths[c] : (double)export_column_width(t, c) + 2.0;
        if (w < 6)
            w = 6;
        if (!t->col_widths && w > 60)
            w = 60; /* longer text wraps */
        e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    /* Also before any row: constant-memory mode refuses ranges above the current row. */
    if (!e)
        e = worksheet_autofilter(ws, hr, 0, (lxw_row_t)(hr + t->n_rows), last_col);
    if (!e)
        e = worksheet_set_row(ws, 0, 30, NULL);
    if (!e)
        e = xlsx_banner(ws, 0, t, t->title, f->title);
    if (!e && t->subtitle)
        e = xlsx_banner(ws, 1, t, t->subtitle, f->subtitle);
    for (size_t c = 0; !e && c < t->n_cols; c++)
        e = worksheet_write_string(ws, hr, (lxw_col_t)c, t->headers[c], f->header);
    for (size_t r = 0; !e && r < t->n_rows; r++)
        for (size_t c = 0; !e && c < t->n_cols; c++)
            e = xlsx_cell(ws, (lxw_row_t)(hr + 1 + r), (lxw_col_t)c, &t->cells[r * t->n_cols + c],
                          f);
    if (!e && t->footer)
        e = xlsx_banner(ws, (lxw_row_t)(hr + t->n_rows + 2), t, t->footer, f->footer);
    if (e)
        return e;
    worksheet_freeze_panes(ws, hr + 1, 0);
    worksheet_set_paper(ws, 9); /* A4 */
    if (export_table_prefers_landscape(t))
        worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0); /* all columns on the page width */
    e = worksheet_repeat_rows(ws, hr, hr);
    if (!e)
        e = worksheet_set_footer(ws, "&C第 &P 页 / 共 &N 页");
    return e;
}

static enum yj_err xlsx_lxw_error(lxw_error e, struct yj_error *err)
{
    enum yj_err code = YJ_EINTERNAL;
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        code = YJ_ENOMEM;
        break;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        code = YJ_EIO;
        break;
    default:
        break;
    }
    return yj_error_set(err, code, NULL, "xlsx export failed: %s", lxw_strerror(e));
}

/* Builds the workbook at path; libxlsxwriter's scratch files go to dir. */
static enum yj_err xlsx_build(const char *path, char *dir, const struct export_table *const *sheets,
                              size_t n_sheets, const char *const *names, struct yj_error *err)
{
    /* Constant memory: each row is streamed to a scratch file as soon as the next
     * begins, so a few thousand rows cost no more memory than one. */
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = dir, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb)
        return yj_error_set(err, YJ_ENOMEM, NULL, "xlsx export: cannot create workbook");
    struct xlsx_formats f;
    lxw_error e = LXW_NO_ERROR;
    if (!xlsx_formats_init(wb, &f))
        e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    /* The document title, for the file's properties; the library copies it. */
    char *title = strdup(sheets[0]->title);
    if (!e && !title)
        e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!e) {
        lxw_doc_properties props = {.title = title,
                                    .created = (time_t)(sheets[0]->created_ms / 1000)};
        e = workbook_set_properties(wb, &props);
    }
    free(title);
    for (size_t i = 0; !e && i < n_sheets; i++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, names ? names[i] : NULL);
        e = ws ? xlsx_sheet(ws, sheets[i], &f) : LXW_ERROR_SHEETNAME_ALREADY_USED;
    }
    lxw_error closed = workbook_close(wb); /* frees wb whatever happened */
    if (!e)
        e = closed;
    return e ? xlsx_lxw_error(e, err) : YJ_OK;
}

/* Appends the whole file at path to out. */
static enum yj_err xlsx_read_back(const char *path, struct yj_buf *out, struct yj_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return yj_error_set(err, YJ_EIO, NULL, "xlsx export: cannot open temporary file: %s",
                            strerror(errno));
    enum yj_err rc = YJ_OK;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = yj_error_set(err, YJ_EIO, NULL, "xlsx export: cannot stat temporary file");
    } else if ((uint64_t)st.st_size > out->max - out->len) {
        rc = yj_error_set(err, YJ_ETOOBIG, NULL, "xlsx export over its size limit");
    } else if ((rc = yj_buf_reserve(out, (size_t)st.st_size))) {
        rc = yj_error_set(err, rc, NULL, "xlsx export over its size limit");
    }
    size_t want = rc ? 0 : (size_t)st.st_size;
    while (!rc && want > 0) {
        ssize_t n = read(fd, out->ptr + out->len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = yj_error_set(err, YJ_EIO, NULL, "xlsx export: cannot read temporary file");
            break;
        }
        out->len += (size_t)n;
        want -= (size_t)n;
    }
    if (out->ptr)
        out->ptr[out->len] = '\0';
    close(fd);
    return rc;
}

enum yj_err export_xlsx(const struct export_table *const *sheets, size_t n_sheets,
                        const char *const *sheet_names, struct yj_buf *out, struct yj_error *err)
{
    enum yj_err rc = xlsx_check(sheets, n_sheets, sheet_names, err);
    if (rc)
        return rc;

    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    char dir[PATH_MAX], path[PATH_MAX + 16];
    if (snprintf(dir, sizeof dir, "%s/yingji-export-XXXXXX", tmp) >= (int)sizeof dir)
        return yj_error_set(err, YJ_EIO, NULL, "xlsx export: TMPDIR path too long");
    /* mkdtemp makes the directory 0700: nobody else can read or swap the file. */
    if (!mkdtemp(dir))
        return yj_error_set(err, YJ_EIO, NULL, "xlsx export: cannot make temporary directory: %s",
                            strerror(errno));
    snprintf(path, sizeof path, "%s/export.xlsx", dir);

    size_t start = out->len;
    rc = xlsx_build(path, dir, sheets, n_sheets, sheet_names, err);
    if (!rc)
        rc = xlsx_read_back(path, out, err);
    unlink(path);
    rmdir(dir);
    if (rc) {
        out->len = start;
        if (out->ptr)
            out->ptr[start] = '\0';
    }
    return rc;
}
