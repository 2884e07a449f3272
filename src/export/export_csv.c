/*
 * export_csv.c - a table as RFC 4180 CSV for spreadsheet programs: UTF-8 with a
 * byte-order mark, CRLF records, and a guard against formula injection. Why each
 * of those is there is in export.h.
 */
#include "export/export.h"

#include "core/yj.h"

/* A field needs quotes when it holds the separator, a quote or a line break. */
static bool csv_needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* Spreadsheet programs evaluate a field starting with these; \t and \r because
 * some strip leading white space before looking. */
static bool csv_is_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static enum yj_err csv_put_field(struct yj_buf *out, const char *s, bool guard)
{
    enum yj_err rc = YJ_OK;
    bool quote = csv_needs_quotes(s);
    if (quote)
        rc = yj_buf_append(out, "\"", 1);
    if (!rc && guard && csv_is_formula_start(s[0]))
        rc = yj_buf_append(out, "'", 1);
    while (!rc && *s) {
        const char *q = quote ? strchr(s, '"') : NULL;
        size_t n = q ? (size_t)(q - s) + 1 : strlen(s);
        rc = yj_buf_append(out, s, n);
        /* The quote just copied is doubled. */
        if (!rc && q)
            rc = yj_buf_append(out, "\"", 1);
        s += n;
    }
    if (!rc && quote)
        rc = yj_buf_append(out, "\"", 1);
    return rc;
}

static enum yj_err csv_put_cell(struct yj_buf *out, const struct export_cell *c,
                                struct yj_buf *scratch)
{
    if (c->type == EXPORT_TEXT)
        return csv_put_field(out, c->text, true);
    /* Numbers and dates hold no separator, quote or formula start worth guarding. */
    yj_buf_reset(scratch);
    enum yj_err rc = export_cell_format(c, scratch, NULL);
    if (!rc && scratch->len)
        rc = yj_buf_append(out, scratch->ptr, scratch->len);
    return rc;
}

static enum yj_err csv_write(const struct export_table *t, struct yj_buf *out,
                             struct yj_buf *scratch)
{
    /* U+FEFF as UTF-8. */
    enum yj_err rc = yj_buf_append(out, "\xef\xbb\xbf", 3);
    for (size_t c = 0; !rc && c < t->n_cols; c++) {
        if (c)
            rc = yj_buf_append(out, ",", 1);
        if (!rc)
            rc = csv_put_field(out, t->headers[c], true);
    }
    if (!rc)
        rc = yj_buf_append(out, "\r\n", 2);
    for (size_t r = 0; !rc && r < t->n_rows; r++) {
        const struct export_cell *row = &t->cells[r * t->n_cols];
        for (size_t c = 0; !rc && c < t->n_cols; c++) {
            if (c)
                rc = yj_buf_append(out, ",", 1);
            if (!rc)
                rc = csv_put_cell(out, &row[c], scratch);
        }
        if (!rc)
            rc = yj_buf_append(out, "\r\n", 2);
    }
    return rc;
}

enum yj_err export_csv(const struct export_table *t, struct yj_buf *out, struct yj_error *err)
{
    enum yj_err rc = export_table_check(t, err);
    if (rc)
        return rc;
    size_t start = out->len;
    struct yj_buf scratch;
    yj_buf_init(&scratch, 64);
    rc = csv_write(t, out, &scratch);
    yj_buf_release(&scratch);
    if (rc) {
        out->len = start;
        if (out->ptr)
            out->ptr[start] = '\0';
        return yj_error_set(err, rc, NULL, "%s",
                            rc == YJ_ETOOBIG ? "csv export over its size limit"
                                             : "out of memory writing csv export");
    }
    return YJ_OK;
}
