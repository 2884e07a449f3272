/*
 * export_html.c - a table as a printable HTML5 page, and the stylesheet it links.
 * The server's CSP allows styles only from its own origin, so the page carries
 * no style of its own: every look is a class styled by /print.css.
 */
#include "export/export.h"

#include "core/yj.h"

/* The only hand-written encoding in the module: text into element content or a
 * quoted attribute value. The table was checked, so the text is valid UTF-8. */
static enum yj_err html_escape(struct yj_buf *out, const char *s)
{
    enum yj_err rc = YJ_OK;
    while (!rc && *s) {
        size_t n = strcspn(s, "&<>\"'");
        if (n)
            rc = yj_buf_append(out, s, n);
        s += n;
        if (rc || !*s)
            break;
        switch (*s++) {
        case '&':
            rc = yj_buf_puts(out, "&amp;");
            break;
        case '<':
            rc = yj_buf_puts(out, "&lt;");
            break;
        case '>':
            rc = yj_buf_puts(out, "&gt;");
            break;
        case '"':
            rc = yj_buf_puts(out, "&quot;");
            break;
        default:
            rc = yj_buf_puts(out, "&#39;");
            break;
        }
    }
    return rc;
}

/* <tag class="cls">escaped text</tag> followed by a line break. */
static enum yj_err html_element(struct yj_buf *out, const char *tag, const char *cls,
                                const char *text)
{
    enum yj_err rc =
        cls ? yj_buf_printf(out, "<%s class=\"%s\">", tag, cls) : yj_buf_printf(out, "<%s>", tag);
    if (!rc)
        rc = html_escape(out, text);
    if (!rc)
        rc = yj_buf_printf(out, "</%s>\n", tag);
    return rc;
}

/*
 * Which columns keep their text on one line (class "nw"): those whose widest
 * text is short (unit names, credit codes), so that the browser's automatic
 * table layout gives the wrapping to the long columns - but only while all of
 * them together fit the page width at the stylesheet's 10.5 pt (about 100
 * digit widths on portrait A4, 145 on landscape).
 */
static void html_nowrap_columns(const struct export_table *t, bool wide, bool *nowrap)
{
    size_t sum = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        size_t w = export_column_width(t, c);
        nowrap[c] = w <= 32;
        sum += (nowrap[c] ? w : 0) + 2;
    }
    if (sum > (wide ? 145u : 100u))
        for (size_t c = 0; c < t->n_cols; c++)
            nowrap[c] = false;
}

static const char *html_cell_class(enum export_cell_type type, bool nowrap)
{
    switch (type) {
    case EXPORT_INT:
    case EXPORT_DECIMAL2:
        return "num";
    case EXPORT_DATE:
        return "date";
    case EXPORT_EMPTY:
        return "empty";
    case EXPORT_TEXT:
        break;
    }
    return nowrap ? "nw" : NULL;
}

static enum yj_err html_head(const struct export_table *t, bool wide, struct yj_buf *out)
{
    enum yj_err rc = yj_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                                      "<meta charset=\"utf-8\">\n"
                                      "<meta name=\"viewport\" content=\"width=device-width, "
                                      "initial-scale=1\">\n");
    if (!rc)
        rc = html_element(out, "title", NULL, t->title);
    if (!rc)
        rc = yj_buf_puts(out, "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\">\n"
                              "<link rel=\"stylesheet\" href=\"/print.css\">\n</head>\n");
    if (!rc)
        rc = yj_buf_puts(out, wide ? "<body class=\"yj-print yj-wide\">\n<header>\n"
                                   : "<body class=\"yj-print\">\n<header>\n");
    if (!rc)
        rc = html_element(out, "h1", NULL, t->title);
    if (!rc && t->subtitle)
        rc = html_element(out, "p", "subtitle", t->subtitle);
    if (!rc)
        rc = yj_buf_puts(out, "</header>\n");
    return rc;
}

static enum yj_err html_table(const struct export_table *t, bool wide, struct yj_buf *out,
                              struct yj_buf *scratch)
{
    bool nowrap[EXPORT_COLS_MAX];
    html_nowrap_columns(t, wide, nowrap);
    enum yj_err rc = yj_buf_puts(out, "<table class=\"yj-export\">\n<thead>\n<tr>\n");
    for (size_t c = 0; !rc && c < t->n_cols; c++) {
        rc = yj_buf_puts(out, "<th scope=\"col\">");
        if (!rc)
            rc = html_escape(out, t->headers[c]);
        if (!rc)
            rc = yj_buf_puts(out, "</th>\n");
    }
    if (!rc)
        rc = yj_buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
    for (size_t r = 0; !rc && r < t->n_rows; r++) {
        rc = yj_buf_puts(out, "<tr>\n");
        for (size_t c = 0; !rc && c < t->n_cols; c++) {
            const struct export_cell *cell = &t->cells[r * t->n_cols + c];
            const char *text = cell->text;
            if (cell->type != EXPORT_TEXT) {
                yj_buf_reset(scratch);
                rc = export_cell_format(cell, scratch, NULL);
                text = scratch->ptr ? scratch->ptr : "";
            }
            if (!rc)
                rc = html_element(out, "td", html_cell_class(cell->type, nowrap[c]), text);
        }
        if (!rc)
            rc = yj_buf_puts(out, "</tr>\n");
    }
    if (!rc)
        rc = yj_buf_puts(out, "</tbody>\n</table>\n");
    return rc;
}

enum yj_err export_html(const struct export_table *t, struct yj_buf *out, struct yj_error *err)
{
    enum yj_err rc = export_table_check(t, err);
    if (rc)
        return rc;
    size_t start = out->len;
    /* Numbers and dates are formatted into scratch; text is escaped from the table. */
    struct yj_buf scratch;
    yj_buf_init(&scratch, 64);
    bool wide = export_table_prefers_landscape(t);
    rc = html_head(t, wide, out);
    if (!rc)
        rc = html_table(t, wide, out, &scratch);
    if (!rc && t->footer)
        rc = html_element(out, "footer", NULL, t->footer);
    if (!rc)
        rc = yj_buf_puts(out, "</body>\n</html>\n");
    yj_buf_release(&scratch);
    if (rc) {
        out->len = start;
        if (out->ptr)
            out->ptr[start] = '\0';
        return yj_error_set(err, rc, NULL, "%s",
                            rc == YJ_ETOOBIG ? "html export over its size limit"
                                             : "out of memory writing html export");
    }
    return YJ_OK;
}

/* Kept in step with the markup above: body.yj-print, .yj-wide, header h1, p.subtitle,
 * table.yj-export, td.num / td.nw / td.date / td.empty, footer. */
static const char print_css[] =
    "/* print.css - the printable pages of the export module (src/export/export_html.c,\n"
    " * export_print_css()). Pages carry no style of their own: the CSP forbids it. */\n"
    "@page {\n"
    "  size: A4 portrait;\n"
    "  margin: 15mm 12mm 18mm;\n"
    "  @bottom-center {\n"
    "    content: \"第 \" counter(page) \" 页 / 共 \" counter(pages) \" 页\";\n"
    "    font-size: 8pt;\n"
    "  }\n"
    "}\n"
    "@page wide {\n"
    "  size: A4 landscape;\n"
    "}\n"
    "body.yj-print {\n"
    "  margin: 0 auto;\n"
    "  padding: 16px;\n"
    "  max-width: 190mm;\n"
    "  color: #000;\n"
    "  background: #fff;\n"
    "  font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\",\n"
    "    \"PingFang SC\", sans-serif;\n"
    "  font-size: 10.5pt;\n"
    "  line-height: 1.5;\n"
    "}\n"
    "body.yj-print.yj-wide {\n"
    "  max-width: 273mm;\n"
    "  page: wide;\n"
    "}\n"
    ".yj-print header h1 {\n"
    "  margin: 0 0 4pt;\n"
    "  text-align: center;\n"
    "  font-family: \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"SimSun\", serif;\n"
    "  font-size: 18pt;\n"
    "}\n"
    ".yj-print header .subtitle {\n"
    "  margin: 0 0 10pt;\n"
    "  text-align: center;\n"
    "}\n"
    "table.yj-export {\n"
    "  width: 100%;\n"
    "  border-collapse: collapse;\n"
    "}\n"
    "table.yj-export thead {\n"
    "  display: table-header-group; /* repeated on every printed page */\n"
    "}\n"
    "table.yj-export th,\n"
    "table.yj-export td {\n"
    "  border: 0.5pt solid #000;\n"
    "  padding: 2pt 4pt;\n"
    "  vertical-align: top;\n"
    "  text-align: left;\n"
    "  white-space: pre-line; /* line breaks inside a cell are kept */\n"
    "  overflow-wrap: anywhere;\n"
    "}\n"
    "table.yj-export th {\n"
    "  background: #e8e8e8;\n"
    "  text-align: center;\n"
    "  -webkit-print-color-adjust: exact;\n"
    "  print-color-adjust: exact;\n"
    "}\n"
    "table.yj-export tr {\n"
    "  break-inside: avoid;\n"
    "}\n"
    "table.yj-export td.num {\n"
    "  text-align: right;\n"
    "  white-space: nowrap;\n"
    "  font-variant-numeric: tabular-nums;\n"
    "}\n"
    "table.yj-export td.nw {\n"
    "  white-space: nowrap;\n"
    "}\n"
    "table.yj-export td.date {\n"
    "  text-align: center;\n"
    "  white-space: nowrap;\n"
    "}\n"
    ".yj-print footer {\n"
    "  margin-top: 8pt;\n"
    "  font-size: 9pt;\n"
    "  color: #333;\n"
    "  overflow-wrap: anywhere;\n"
    "}\n"
    "@media print {\n"
    "  body.yj-print,\n"
    "  body.yj-print.yj-wide {\n"
    "    max-width: none;\n"
    "    padding: 0;\n"
    "  }\n"
    "}\n";

const char *export_print_css(size_t *len)
{
    if (len)
        *len = sizeof print_css - 1;
    return print_css;
}
