/*
 * export_pdf.c - a table as an A4 PDF: cairo draws, pango lays out the Chinese
 * text in the Noto CJK SC fonts. The layout runs twice: the first pass measures
 * every row and so counts the pages ("共 M 页"), the second draws them.
 */
#include "export/export.h"

#include <strings.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/yj.h"

/* A4 in points, and the page furniture. */
#define PDF_A4_SHORT 595.2756
#define PDF_A4_LONG 841.8898
#define PDF_MARGIN 36.0
#define PDF_PAD 3.0    /* inside a cell */
#define PDF_GAP 8.0    /* title to table, table to footer */
#define PDF_LINE 0.5   /* grid lines */
#define PDF_PN_W 110.0 /* room kept for "第 N 页 / 共 M 页" */
#define PDF_EM_COL 0.6 /* one export_text_columns column, in ems of the body font */

#define PDF_SANS "Noto Sans CJK SC"
#define PDF_SERIF "Noto Serif CJK SC"

struct pdf {
    const struct export_table *t;
    cairo_t *cr;
    PangoLayout *layout; /* one layout, reset for every piece of text */
    PangoFontDescription *body, *bold, *title, *subtitle, *small;
    double page_w, page_h, content_w;
    double col_w[EXPORT_COLS_MAX];
    double title_h;    /* title and subtitle, first page only, with the gap below */
    double header_h;   /* the header row, on every page */
    double foot_h;     /* footer and page number, on every page, with the gap above */
    double header_max; /* the header row is cut at this height */
    double row_max;    /* no row is taller: it fits on any page */
    double *row_h;     /* n_rows heights, from the first pass */
    size_t n_pages;
    struct yj_buf text; /* a cell's display text */
};

/* The stream cairo writes to: the caller's buffer, remembering why it stopped. */
struct pdf_sink {
    struct yj_buf *out;
    enum yj_err rc;
};

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct pdf_sink *s = closure;
    if (s->rc)
        return CAIRO_STATUS_WRITE_ERROR;
    s->rc = yj_buf_append(s->out, data, length);
    return s->rc ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/*
 * Sets the one layout up for text in a box width wide, at most max_h tall
 * (the rest cut with "…"), and returns its height.
 */
static double pdf_layout(struct pdf *p, const PangoFontDescription *font, const char *text,
                         double width, double max_h, PangoAlignment align)
{
    PangoLayout *l = p->layout;
    pango_layout_set_font_description(l, font);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_height(l, (int)(max_h * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text, -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void pdf_show(struct pdf *p, double x, double y)
{
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->layout);
}

/* The fonts must be the CJK ones asked for: any fallback may lack the glyphs. */
static enum yj_err pdf_check_font(struct pdf *p, const PangoFontDescription *want,
                                  struct yj_error *err)
{
    PangoFont *f = pango_context_load_font(pango_layout_get_context(p->layout), want);
    PangoFontDescription *got = f ? pango_font_describe(f) : NULL;
    const char *family = got ? pango_font_description_get_family(got) : NULL;
    const char *name = pango_font_description_get_family(want);
    bool ok = family && strcasecmp(family, name) == 0;
    if (got)
        pango_font_description_free(got);
    if (f)
        g_object_unref(f);
    if (!ok)
        return yj_error_set(err, YJ_EINTERNAL, NULL,
                            "pdf export: font %s not found (install Debian package fonts-noto-cjk)",
                            name);
    return YJ_OK;
}

/* Column widths: col_widths as proportions; otherwise each column asks for its widest
 * content and the page width is shared out max-min fairly (narrow columns get what
 * they ask, wide ones split the rest), any room left over shared in proportion. */
static void pdf_columns(struct pdf *p)
{
    const struct export_table *t = p->t;
    size_t n = t->n_cols;
    double want[EXPORT_COLS_MAX], sum = 0;
    double em = pango_font_description_get_size(p->body) / (double)PANGO_SCALE;
    for (size_t c = 0; c < n; c++) {
        want[c] = t->col_widths
                      ? t->col_widths[c]
                      : (double)export_column_width(t, c) * PDF_EM_COL * em + 2 * PDF_PAD + 1;
        sum += want[c];
    }
    if (t->col_widths || sum <= p->content_w) {
        for (size_t c = 0; c < n; c++)
            p->col_w[c] = want[c] * p->content_w / sum;
        return;
    }
    bool fixed[EXPORT_COLS_MAX] = {false};
    double rest = p->content_w;
    size_t left = n;
    for (bool changed = true; changed && left > 0;) {
        changed = false;
        double fair = rest / (double)left;
        for (size_t c = 0; c < n; c++) {
            if (!fixed[c] && want[c] <= fair) {
                p->col_w[c] = want[c];
                fixed[c] = true;
                rest -= want[c];
                left--;
                changed = true;
            }
        }
    }
    for (size_t c = 0; c < n; c++)
        if (!fixed[c])
            p->col_w[c] = rest / (double)left;
}

static PangoAlignment pdf_align(enum export_cell_type type)
{
    if (type == EXPORT_INT || type == EXPORT_DECIMAL2)
        return PANGO_ALIGN_RIGHT;
    return type == EXPORT_DATE ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
}

/* Lays out cell c of row r (r == SIZE_MAX: the header) and returns its text height. */
static double pdf_cell(struct pdf *p, size_t r, size_t c)
{
    const struct export_table *t = p->t;
    double w = p->col_w[c] - 2 * PDF_PAD;
    if (r == SIZE_MAX)
        return pdf_layout(p, p->bold, t->headers[c], w, p->header_max - 2 * PDF_PAD,
                          PANGO_ALIGN_CENTER);
    double max_h = p->row_max - 2 * PDF_PAD;
    const struct export_cell *cell = &t->cells[r * t->n_cols + c];
    const char *s = cell->text;
    if (cell->type != EXPORT_TEXT) {
        yj_buf_reset(&p->text);
        /* The scratch buffer holds any formatted number; text cells are not copied. */
        s = export_cell_format(cell, &p->text, NULL) || !p->text.ptr ? "" : p->text.ptr;
    }
    return pdf_layout(p, p->body, s, w, max_h, pdf_align(cell->type));
}

static double pdf_row_height(struct pdf *p, size_t r)
{
    double h = 0;
    for (size_t c = 0; c < p->t->n_cols; c++) {
        double ch = pdf_cell(p, r, c);
        if (ch > h)
            h = ch;
    }
    return h + 2 * PDF_PAD;
}

/* Page furniture sizes, measured once: the title block, header row and footer. */
static void pdf_measure_furniture(struct pdf *p)
{
    const struct export_table *t = p->t;
    double third = (p->page_h - 2 * PDF_MARGIN) / 3;
    p->title_h = pdf_layout(p, p->title, t->title, p->content_w, third, PANGO_ALIGN_CENTER);
    if (t->subtitle)
        p->title_h += 4 + pdf_layout(p, p->subtitle, t->subtitle, p->content_w, third / 2,
                                     PANGO_ALIGN_CENTER);
    p->title_h += PDF_GAP;
    double fh = t->footer ? pdf_layout(p, p->small, t->footer, p->content_w - PDF_PN_W, 40,
                                       PANGO_ALIGN_LEFT)
                          : 0;
    double pn = pdf_layout(p, p->small, "第 1 页 / 共 1 页", PDF_PN_W, 40, PANGO_ALIGN_RIGHT);
    p->foot_h = PDF_GAP + (fh > pn ? fh : pn);
    /* The header row first with a generous cap, then the rows' cap from what is left. */
    p->header_max = third;
    p->header_h = pdf_row_height(p, SIZE_MAX);
    p->row_max = p->page_h - 2 * PDF_MARGIN - p->foot_h - p->title_h - p->header_h;
}

/* The row after the last that fits on page `page`, whose first row is `first`. A page
 * always takes at least one row, which fits: rows are capped at row_max. */
static size_t pdf_page_end(const struct pdf *p, size_t page, size_t first)
{
    double room = p->page_h - 2 * PDF_MARGIN - p->foot_h - p->header_h;
    if (page == 0)
        room -= p->title_h;
    double used = 0;
    size_t r = first;
    while (r < p->t->n_rows && (r == first || used + p->row_h[r] <= room))
        used += p->row_h[r++];
    return r;
}

static void pdf_draw_row(struct pdf *p, size_t r, double y, double h)
{
    double x = PDF_MARGIN;
    for (size_t c = 0; c < p->t->n_cols; c++) {
        cairo_rectangle(p->cr, x, y, p->col_w[c], h);
        if (r == SIZE_MAX) {
            cairo_set_source_rgb(p->cr, 0.88, 0.88, 0.88);
            cairo_fill_preserve(p->cr);
        }
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_set_line_width(p->cr, PDF_LINE);
        cairo_stroke(p->cr);
        double th = pdf_cell(p, r, c);
        /* The header's text is centred vertically, cells' text sits at the top. */
        pdf_show(p, x + PDF_PAD, r == SIZE_MAX ? y + (h - th) / 2 : y + PDF_PAD);
        x += p->col_w[c];
    }
}

static void pdf_draw_page(struct pdf *p, size_t page, size_t first, size_t end)
{
    const struct export_table *t = p->t;
    double y = PDF_MARGIN, third = (p->page_h - 2 * PDF_MARGIN) / 3;
    if (page == 0) {
        double th = pdf_layout(p, p->title, t->title, p->content_w, third, PANGO_ALIGN_CENTER);
        pdf_show(p, PDF_MARGIN, y);
        if (t->subtitle) {
            pdf_layout(p, p->subtitle, t->subtitle, p->content_w, third / 2, PANGO_ALIGN_CENTER);
            pdf_show(p, PDF_MARGIN, y + th + 4);
        }
        y += p->title_h;
    }
    pdf_draw_row(p, SIZE_MAX, y, p->header_h);
    y += p->header_h;
    for (size_t r = first; r < end; r++) {
        pdf_draw_row(p, r, y, p->row_h[r]);
        y += p->row_h[r];
    }
    double fy = p->page_h - PDF_MARGIN - (p->foot_h - PDF_GAP);
    if (t->footer) {
        pdf_layout(p, p->small, t->footer, p->content_w - PDF_PN_W, 40, PANGO_ALIGN_LEFT);
        pdf_show(p, PDF_MARGIN, fy);
    }
    char pn[64];
    snprintf(pn, sizeof pn, "第 %zu 页 / 共 %zu 页", page + 1, p->n_pages);
    pdf_layout(p, p->small, pn, PDF_PN_W, 40, PANGO_ALIGN_RIGHT);
    pdf_show(p, PDF_MARGIN + p->content_w - PDF_PN_W, fy);
    cairo_show_page(p->cr);
}

/* Both passes; the surface is set up, fonts checked. Stops at the first cairo error. */
static void pdf_render(struct pdf *p)
{
    const struct export_table *t = p->t;
    pdf_columns(p);
    pdf_measure_furniture(p);
    for (size_t r = 0; r < t->n_rows; r++)
        p->row_h[r] = pdf_row_height(p, r);
    p->n_pages = 0;
    size_t first = 0;
    do {
        first = pdf_page_end(p, p->n_pages++, first);
    } while (first < t->n_rows);

    /* Pages go to the stream as they are shown: once it refused bytes (out is full),
     * drawing the rest would be wasted. */
    cairo_surface_t *target = cairo_get_target(p->cr);
    first = 0;
    for (size_t page = 0; page < p->n_pages && cairo_status(p->cr) == CAIRO_STATUS_SUCCESS &&
                          cairo_surface_status(target) == CAIRO_STATUS_SUCCESS;
         page++) {
        size_t end = pdf_page_end(p, page, first);
        pdf_draw_page(p, page, first, end);
        first = end;
    }
}

static enum yj_err pdf_fonts_new(struct pdf *p, struct yj_error *err)
{
    p->body = pango_font_description_from_string(PDF_SANS " 9");
    p->bold = pango_font_description_from_string(PDF_SANS " Bold 9");
    p->title = pango_font_description_from_string(PDF_SERIF " Bold 16");
    p->subtitle = pango_font_description_from_string(PDF_SERIF " 11");
    p->small = pango_font_description_from_string(PDF_SANS " 8");
    if (!p->body || !p->bold || !p->title || !p->subtitle || !p->small)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory writing pdf export");
    enum yj_err rc = pdf_check_font(p, p->body, err);
    if (!rc)
        rc = pdf_check_font(p, p->title, err);
    return rc;
}

static void pdf_fonts_free(struct pdf *p)
{
    PangoFontDescription *all[] = {p->body, p->bold, p->title, p->subtitle, p->small};
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++)
        if (all[i])
            pango_font_description_free(all[i]);
}

static enum yj_err pdf_run(struct pdf *p, cairo_surface_t *surface, struct yj_error *err)
{
    p->cr = cairo_create(surface);
    p->layout =
        cairo_status(p->cr) == CAIRO_STATUS_SUCCESS ? pango_cairo_create_layout(p->cr) : NULL;
    if (!p->layout)
        return yj_error_set(err, YJ_ENOMEM, NULL, "pdf export: cannot set up cairo");
    /* pango assumes a 96 dpi screen; a PDF's unit is the point, so 9 pt must be 9 units. */
    pango_cairo_context_set_resolution(pango_layout_get_context(p->layout), 72);
    pango_layout_context_changed(p->layout);
    enum yj_err rc = pdf_fonts_new(p, err);
    if (!rc) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, p->t->title);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "yingji");
        if (p->t->created_ms) {
            /* cairo takes ISO 8601 without a fraction: "2026-01-10T01:00:00Z". */
            char when[YJ_TIME_STRLEN];
            yj_time_format(p->t->created_ms, when);
            snprintf(when + 19, sizeof when - 19, "Z");
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
        }
        pdf_render(p);
    }
    pdf_fonts_free(p);
    g_object_unref(p->layout);
    return rc;
}

enum yj_err export_pdf(const struct export_table *t, struct yj_buf *out, struct yj_error *err)
{
    enum yj_err rc = export_table_check(t, err);
    if (rc)
        return rc;
    struct pdf p = {.t = t};
    bool wide = export_table_prefers_landscape(t);
    p.page_w = wide ? PDF_A4_LONG : PDF_A4_SHORT;
    p.page_h = wide ? PDF_A4_SHORT : PDF_A4_LONG;
    p.content_w = p.page_w - 2 * PDF_MARGIN;
    p.row_h = calloc(t->n_rows ? t->n_rows : 1, sizeof *p.row_h);
    if (!p.row_h)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory writing pdf export");
    yj_buf_init(&p.text, 64);

    size_t start = out->len;
    struct pdf_sink sink = {out, YJ_OK};
    cairo_surface_t *surface =
        cairo_pdf_surface_create_for_stream(pdf_write, &sink, p.page_w, p.page_h);
    rc = pdf_run(&p, surface, err);
    if (p.cr)
        cairo_destroy(p.cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    free(p.row_h);
    yj_buf_release(&p.text);

    if (!rc && sink.rc)
        rc = yj_error_set(err, sink.rc, NULL, "%s",
                          sink.rc == YJ_ETOOBIG ? "pdf export over its size limit"
                                                : "out of memory writing pdf export");
    else if (!rc && st != CAIRO_STATUS_SUCCESS)
        rc = yj_error_set(err, st == CAIRO_STATUS_NO_MEMORY ? YJ_ENOMEM : YJ_EINTERNAL, NULL,
                          "pdf export failed: %s", cairo_status_to_string(st));
    if (rc) {
        out->len = start;
        if (out->ptr)
            out->ptr[start] = '\0';
    }
    return rc;
}
