/*
 * export.h - tables out of yingji: XLSX, CSV, printable HTML and PDF.
 *
 * The module knows nothing of the store or of HTTP. A caller (the API layer)
 * describes a table - title, Chinese column headers, typed cells, an optional
 * footer such as "版本哈希 …" or "生成时间 …" - and asks for it in one format. The
 * uses in yingji:
 *
 *   申报信息汇总表 (applications summary)   export_xlsx (one sheet), export_csv
 *   an expert's score sheet, panel summary  export_xlsx (one sheet per table)
 *   the published list (公示/公布名单)        export_html (+ /print.css), export_pdf
 *
 * Ownership. Every struct here is borrowed for the duration of the call only:
 * the module keeps no pointer into the table after returning, so the table may
 * live in a request arena. The output goes into a caller-owned struct yj_buf,
 * whose maximum bounds the file size; the HTTP layer sends out->ptr / out->len
 * as the body.
 *
 * Appending. Each writer appends to *out. On failure it restores out->len to
 * what it was on entry (the bytes beyond are garbage and out stays
 * NUL-terminated), so a half-written file is never mistaken for a whole one.
 *
 * Errors. YJ_EINVAL with err->field naming the offending part ("title",
 * "headers[2]", "cells[4][1]", "sheet_names[0]", "sheets[1].cells[0][3]") for a
 * table that breaks a rule below; YJ_ETOOBIG when out->max is reached or a
 * table is over a limit; YJ_ENOMEM; YJ_EIO when a temporary file failed (XLSX);
 * YJ_EINTERNAL when a library failed or a required font is missing (PDF), with
 * the Debian package to install named in the message.
 *
 * Thread safety: every function may be called from several threads at once
 * (pango keeps one font map per thread; libxlsxwriter has no global state).
 */
#ifndef YJ_EXPORT_EXPORT_H
#define YJ_EXPORT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* Limits: tables are a campaign's applications or a panel's scores, a few
 * thousand rows at most; the caps keep memory and time bounded for a bad caller. */
enum {
    EXPORT_COLS_MAX = 64,
    EXPORT_ROWS_MAX = 20000,
    EXPORT_SHEETS_MAX = 128,
    EXPORT_CELL_CHARS_MAX = 32767, /* Excel's limit on one cell, in code points */
    EXPORT_SHEET_NAME_MAX = 31     /* Excel's limit, in UTF-16 code units */
};

enum export_cell_type {
    EXPORT_EMPTY = 0, /* nothing; text and number ignored */
    EXPORT_TEXT,      /* text: UTF-8, no NUL or C0 controls other than \t \n \r */
    EXPORT_INT,       /* number: an integer */
    EXPORT_DECIMAL2,  /* number: hundredths, shown with two decimals (8550 -> "85.50") */
    EXPORT_DATE       /* text: a real calendar date "YYYY-MM-DD" */
};

struct export_cell {
    enum export_cell_type type;
    const char *text; /* EXPORT_TEXT, EXPORT_DATE; borrowed */
    int64_t number;   /* EXPORT_INT, EXPORT_DECIMAL2 */
};

struct export_table {
    const char *title;               /* required, non-empty, e.g. "申报信息汇总表" */
    const char *subtitle;            /* may be NULL, e.g. the campaign's name */
    const char *const *headers;      /* n_cols column headers, none NULL (may be "") */
    size_t n_cols;                   /* 1..EXPORT_COLS_MAX */
    const struct export_cell *cells; /* row-major, n_rows * n_cols; may be NULL if n_rows 0 */
    size_t n_rows;                   /* 0..EXPORT_ROWS_MAX */
    /* may be NULL; else n_cols widths in Latin digits (a Chinese character is 2), each 1..255 */
    const double *col_widths;
    /* may be NULL, e.g. "版本哈希 3f9a…  生成时间 2026-01-10 09:00" */
    const char *footer;
    /* the file's own creation time (XLSX properties, PDF metadata) in ms since the epoch,
     * from the caller's clock; 0 lets the libraries read the system clock */
    int64_t created_ms;
};

/*
 * Checks a table against the rules above: title, headers and every text valid
 * UTF-8 without NUL or C0 controls other than \t \n \r, at most
 * EXPORT_CELL_CHARS_MAX code points each; dates real; cell types known; the
 * counts within the limits; created_ms 0 or an instant in years 1970..9999.
 * Every writer calls it first; a caller may call it to validate before doing
 * other work. YJ_OK, or YJ_EINVAL / YJ_ETOOBIG with err->field set.
 */
enum yj_err export_table_check(const struct export_table *t, struct yj_error *err);

/*
 * Appends the text a cell shows in CSV, HTML and PDF: the text itself, the
 * integer in decimal, hundredths as "-12.05", nothing for an empty cell. The
 * cell is not checked. YJ_ETOOBIG, YJ_ENOMEM; on failure out is unchanged.
 */
enum yj_err export_cell_format(const struct export_cell *c, struct yj_buf *out,
                               struct yj_error *err);

/*
 * Display width of UTF-8 text in columns of a Latin digit: a wide (CJK,
 * full-width) character counts 2, any other 1; for text of several lines, the
 * widest line. Used for XLSX column widths and PDF/HTML page orientation.
 */
size_t export_text_columns(const char *s);

/*
 * The widest content of column col (header included) in the columns of
 * export_text_columns; numbers as export_cell_format shows them. The table
 * must have passed export_table_check.
 */
size_t export_column_width(const struct export_table *t, size_t col);

/*
 * 1 when the table is too wide for portrait A4 and should be printed in
 * landscape: the sum of its column widths (col_widths, or each column's widest
 * content capped at 40 columns, plus 2) is over 110 columns. The PDF writer
 * turns the page and the HTML page sets class "yj-wide" by this one rule.
 */
bool export_table_prefers_landscape(const struct export_table *t);

/*
 * Appends one XLSX workbook with a sheet per table, in order: a bold merged
 * title row (and subtitle row), the header row in bold on a shaded background
 * with the pane frozen below it and an autofilter over the data, typed cells
 * (INT and DECIMAL2 as numbers with formats "0" / "0.00", DATE as a real date
 * shown yyyy-mm-dd, TEXT as a string - never a formula), column widths from
 * col_widths or fitted to the text, the footer below the data, and A4 print
 * settings (landscape when wide, header row repeated, "第 &P 页 / 共 &N 页").
 * An integer beyond 15 digits, which Excel cannot hold exactly, is written as
 * text.
 *
 * sheet_names: NULL for "Sheet1", "Sheet2", ...; else n_sheets names, each
 * non-empty, at most EXPORT_SHEET_NAME_MAX UTF-16 units, none of []:*?/\ or
 * control characters, not starting or ending with an apostrophe, not "History"
 * (Excel reserves it) and all different (ignoring ASCII case); otherwise
 * YJ_EINVAL with field "sheet_names[i]". n_sheets is 1..EXPORT_SHEETS_MAX.
 *
 * libxlsxwriter 1.1.4 writes only to a named file: the workbook is built in a
 * private directory made with mkdtemp under $TMPDIR (or /tmp), mode 0700, read
 * back into out and removed before returning, also on failure (a process
 * killed meanwhile leaves a yingji-export-* directory behind). The library's
 * own scratch files (one per sheet, in constant-memory mode) are asked for in
 * the same directory and are unlinked as soon as they are opened. YJ_EIO when
 * the directory or file fails.
 */
enum yj_err export_xlsx(const struct export_table *const *sheets, size_t n_sheets,
                        const char *const *sheet_names, struct yj_buf *out, struct yj_error *err);

/*
 * Appends the table as CSV (RFC 4180): a UTF-8 byte-order mark, the header
 * row, then the data rows; CRLF after every record; a field with a comma,
 * double quote, CR or LF in double quotes, its quotes doubled. Title,
 * subtitle and footer are left out: a CSV has no place for them and a
 * leading title line breaks importers (send the title in the file name).
 *
 * The BOM is there because Excel on Chinese Windows reads a CSV without one in
 * the ANSI code page (GBK) and shows UTF-8 Chinese as mojibake.
 *
 * Formula injection (OWASP "CSV Injection"): officials open these files in a
 * spreadsheet program, which runs a field starting with = + - @ as a formula
 * (and some strip a leading tab or CR first). A header or TEXT cell starting
 * with any of = + - @ TAB CR therefore gets a leading single quote, so it
 * shows as text (the quote is visible: "'=1+2"). Numbers and dates are never
 * prefixed (a negative number is data). XLSX needs no guard: its text cells
 * are strings, never formulas.
 */
enum yj_err export_csv(const struct export_table *t, struct yj_buf *out, struct yj_error *err);

/*
 * Appends a complete HTML5 page (lang="zh-CN", UTF-8) with the title as <h1>,
 * the subtitle, the table (<thead> repeats on every printed page) and the
 * footer. The server's Content-Security-Policy forbids inline styles and
 * scripts, so the page has neither: it links /print.css, whose content is
 * export_print_css(). Numbers are right-aligned through class "num", dates
 * centred through class "date"; col_widths are not used. Every text goes
 * through one escaper (& < > " ').
 */
enum yj_err export_html(const struct export_table *t, struct yj_buf *out, struct yj_error *err);

/*
 * The stylesheet the HTML pages link as /print.css: screen and A4 print
 * layout, a landscape named page for class "yj-wide", page numbers in the
 * page margin where the browser supports it. Borrowed, static, NUL-terminated;
 * *len (if non-NULL) gets its length. It belongs in web/print.css or is
 * served from this function.
 */
const char *export_print_css(size_t *len);

/*
 * Appends an A4 PDF (landscape when export_table_prefers_landscape) made with
 * cairo and laid out with pango: the title centred in "Noto Serif CJK SC"
 * bold and the subtitle on the first page; the table in "Noto Sans CJK SC"
 * 9 pt with its header row repeated on every page, cells wrapped to their
 * column (numbers right-aligned), column widths from col_widths as
 * proportions or fitted to the content; the footer at the foot of every page
 * beside "第 N 页 / 共 M 页". Fonts are embedded as subsets with a Unicode map,
 * so the text can be searched and copied (pdftotext gives the Chinese back).
 * A single cell taller than a page is cut with "…" (XLSX and CSV carry the
 * whole text). The layout is done twice - once to count the pages, once to
 * draw - keeping only one height per row in memory.
 *
 * YJ_EINTERNAL when fontconfig does not find the Noto CJK SC fonts (Debian
 * package fonts-noto-cjk): falling back to another font would print boxes.
 */
enum yj_err export_pdf(const struct export_table *t, struct yj_buf *out, struct yj_error *err);

#endif
