/*
 * export.c - what the export writers share: checking a table before any byte
 * is written, the display text of a cell, and display widths of CJK text.
 */
#include "export/export.h"

#include <inttypes.h>

#include "core/yj.h"

/* Title, headers and cell text are checked alike; field names what failed. */
static enum yj_err check_text(const char *s, const char *field, struct yj_error *err)
{
    size_t n = strlen(s);
    if (!yj_utf8_text_ok(s, n))
        return yj_error_set(err, YJ_EINVAL, field, "not UTF-8 text or has control characters");
    /* Bytes bound code points from above: only count when it could matter. */
    if (n > EXPORT_CELL_CHARS_MAX && yj_utf8_chars(s) > EXPORT_CELL_CHARS_MAX)
        return yj_error_set(err, YJ_ETOOBIG, field, "text over %d characters",
                            EXPORT_CELL_CHARS_MAX);
    return YJ_OK;
}

static enum yj_err check_cell(const struct export_cell *c, size_t r, size_t col,
                              struct yj_error *err)
{
    char field[64];
    snprintf(field, sizeof field, "cells[%zu][%zu]", r, col);
    switch (c->type) {
    case EXPORT_EMPTY:
    case EXPORT_INT:
    case EXPORT_DECIMAL2:
        return YJ_OK;
    case EXPORT_TEXT:
        if (!c->text)
            return yj_error_set(err, YJ_EINVAL, field, "text cell without text");
        return check_text(c->text, field, err);
    case EXPORT_DATE: {
        int y, m, d;
        if (!c->text || yj_date_parse(c->text, &y, &m, &d) != 0)
            return yj_error_set(err, YJ_EINVAL, field, "date is not YYYY-MM-DD");
        return YJ_OK;
    }
    }
    return yj_error_set(err, YJ_EINVAL, field, "unknown cell type %d", (int)c->type);
}

enum yj_err export_table_check(const struct export_table *t, struct yj_error *err)
{
    if (!t)
        return yj_error_set(err, YJ_EINVAL, NULL, "no table");
    if (!t->title || !*t->title)
        return yj_error_set(err, YJ_EINVAL, "title", "title is required");
    enum yj_err rc = check_text(t->title, "title", err);
    if (!rc && t->subtitle)
        rc = check_text(t->subtitle, "subtitle", err);
    if (!rc && t->footer)
        rc = check_text(t->footer, "footer", err);
    if (rc)
        return rc;
    /* 253402300800000 ms is 10000-01-01: the files' date formats have four-digit years. */
    if (t->created_ms < 0 || t->created_ms >= INT64_C(253402300800000))
        return yj_error_set(err, YJ_EINVAL, "created_ms", "creation time out of range");
    if (t->n_cols == 0 || !t->headers)
        return yj_error_set(err, YJ_EINVAL, "headers", "a table needs at least one column");
    if (t->n_cols > EXPORT_COLS_MAX)
        return yj_error_set(err, YJ_ETOOBIG, "headers", "more than %d columns", EXPORT_COLS_MAX);
    if (t->n_rows > EXPORT_ROWS_MAX)
        return yj_error_set(err, YJ_ETOOBIG, "cells", "more than %d rows", EXPORT_ROWS_MAX);
    if (t->n_rows > 0 && !t->cells)
        return yj_error_set(err, YJ_EINVAL, "cells", "rows without cells");
    for (size_t c = 0; c < t->n_cols; c++) {
        char field[48];
        snprintf(field, sizeof field, "headers[%zu]", c);
        if (!t->headers[c])
            return yj_error_set(err, YJ_EINVAL, field, "header missing");
        if ((rc = check_text(t->headers[c], field, err)))
            return rc;
        /* NaN fails both comparisons, so it is refused too. */
        if (t->col_widths && !(t->col_widths[c] >= 1.0 && t->col_widths[c] <= 255.0)) {
            snprintf(field, sizeof field, "col_widths[%zu]", c);
            return yj_error_set(err, YJ_EINVAL, field, "column width not in 1..255");
        }
    }
    /* n_rows * n_cols cannot overflow: both are under their small limits. */
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_cols; c++)
            if ((rc = check_cell(&t->cells[r * t->n_cols + c], r, c, err)))
                return rc;
    return YJ_OK;
}

enum yj_err export_cell_format(const struct export_cell *c, struct yj_buf *out,
                               struct yj_error *err)
{
    enum yj_err rc = YJ_OK;
    switch (c->type) {
    case EXPORT_TEXT:
    case EXPORT_DATE:
        rc = yj_buf_puts(out, c->text ? c->text : "");
        break;
    case EXPORT_INT:
        rc = yj_buf_printf(out, "%" PRId64, c->number);
        break;
    case EXPORT_DECIMAL2: {
        /* Through the unsigned magnitude, so that INT64_MIN has one too. */
        uint64_t mag = c->number < 0 ? 0 - (uint64_t)c->number : (uint64_t)c->number;
        rc = yj_buf_printf(out, "%s%" PRIu64 ".%02" PRIu64, c->number < 0 ? "-" : "", mag / 100,
                           mag % 100);
        break;
    }
    case EXPORT_EMPTY:
        break;
    }
    if (rc)
        return yj_error_set(err, rc, NULL, "export output over its size limit");
    return YJ_OK;
}

/* East Asian Wide and Fullwidth blocks (UAX #11), coarsely: what a CJK font
 * draws one em wide and a spreadsheet gives two digit widths. */
static int cp_is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
           (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
           (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
           (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
           (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
           (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

size_t export_text_columns(const char *s)
{
    size_t best = 0, cur = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        if (*p == '\n' || *p == '\r') {
            cur = 0;
            p++;
            continue;
        }
        int len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
        uint32_t cp = len == 1 ? *p : *p & (0x7fu >> len);
        /* Stop at a truncated sequence rather than read past the NUL. */
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xc0) != 0x80) {
                len = i;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        cur += cp_is_wide(cp) ? 2 : 1;
        if (cur > best)
            best = cur;
        p += len;
    }
    return best;
}

/* Characters in the decimal form of an integer's magnitude. */
static size_t digits(uint64_t v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

size_t export_column_width(const struct export_table *t, size_t col)
{
    size_t w = export_text_columns(t->headers[col]);
    for (size_t r = 0; r < t->n_rows; r++) {
        const struct export_cell *c = &t->cells[r * t->n_cols + col];
        uint64_t mag = c->number < 0 ? 0 - (uint64_t)c->number : (uint64_t)c->number;
        size_t cw = 0;
        switch (c->type) {
        case EXPORT_TEXT:
        case EXPORT_DATE:
            cw = export_text_columns(c->text);
            break;
        case EXPORT_INT:
            cw = digits(mag) + (c->number < 0);
            break;
        case EXPORT_DECIMAL2:
            cw = digits(mag / 100) + 3 + (c->number < 0);
            break;
        case EXPORT_EMPTY:
            break;
        }
        if (cw > w)
            w = cw;
    }
    return w;
}

bool export_table_prefers_landscape(const struct export_table *t)
{
    double sum = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        if (t->col_widths) {
            sum += t->col_widths[c];
        } else {
            size_t w = export_column_width(t, c);
            sum += (double)(w > 40 ? 40 : w) + 2;
        }
    }
    return sum > 110.0;
}
