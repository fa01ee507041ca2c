/* export_pdf.c - a report as a PDF (see export.h), drawn with cairo and laid
 * out with pango in DejaVu Sans, on A4 pages with 20 mm side margins.
 *
 * The document is a list of blocks: the header (organization, exam name, the
 * labelled fields, a rule), each section's heading and text, and the
 * signature. Every text block is one pango layout, wrapped to the text
 * width, placed line by line so a long section flows over pages. A heading
 * keeps the first line of its text on its page; the signature is never
 * split. The same flow runs twice: once without drawing to count the pages,
 * once drawing, so each page's footer can say "Sayfa 1 / 3".
 *
 * All sizes are in points: the PDF surface's unit, with pango's resolution
 * set to 72 so a font's size is its size in points. Each call creates its
 * own font map and context (see the THREAD SAFETY note in export.h). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/sections.h"
#include "export/export_internal.h"

#define PDF_PAGE_W 595.2756 /* A4 */
#define PDF_PAGE_H 841.8898
#define PDF_MARGIN 56.6929 /* 20 mm: top, left and right */
#define PDF_BOTTOM 770.0   /* text stops here; the page footer sits below */
#define PDF_FOOTER_Y 800.0
#define PDF_TEXT_W (PDF_PAGE_W - 2 * PDF_MARGIN)
#define PDF_LABEL_W 96.0 /* the header's label column */
#define PDF_LINE_GAP 1.5 /* added below every line */
#define PDF_FONT "DejaVu Sans"
#define PDF_MAX_BLOCKS (4 + EXPORT_HEADER_FIELDS + 2 * REPORT_SEC_COUNT)

typedef struct pdf_block {
    PangoLayout *layout; /* owned; NULL for a horizontal rule */
    double before;       /* space above it; none at the top of a page */
    int keep_next;       /* needs the next block's first line on its page */
    int keep_whole;      /* never split over two pages */
    double height;       /* all its lines */
    double first;        /* its first line (all of it when keep_whole) */
} pdf_block;

typedef struct pdf_doc {
    const export_doc *d;
    PangoContext *ctx;
    pdf_block blocks[PDF_MAX_BLOCKS];
    size_t n_blocks;
    cairo_t *cr;
    int draw;  /* 0 while counting pages */
    int page;  /* the current page, from 1 */
    int pages; /* the count from the first flow */
    double y;  /* where the next line goes */
} pdf_doc;

typedef struct pdf_sink {
    buf *out;
    int rc;
} pdf_sink;

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    pdf_sink *s = closure;
    if (s->rc == RA_OK)
        s->rc = buf_append(s->out, data, length);
    return s->rc == RA_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* ---- layouts ------------------------------------------------------------ */

/* Text with bold stretches, gathered for one layout. */
typedef struct pdf_text {
    buf text;
    PangoAttrList *attrs;
} pdf_text;

static void pdf_text_init(pdf_text *t)
{
    buf_init(&t->text, EXPORT_MAX_INPUT_BYTES * 2);
    t->attrs = pango_attr_list_new();
}

static void pdf_text_release(pdf_text *t)
{
    buf_release(&t->text);
    pango_attr_list_unref(t->attrs);
}

static int pdf_add(pdf_text *t, const char *s, int bold)
{
    size_t start = t->text.len;
    int rc = buf_puts(&t->text, s);
    if (rc == RA_OK && bold && t->text.len > start) {
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = (guint)start;
        a->end_index = (guint)t->text.len;
        pango_attr_list_insert(t->attrs, a);
    }
    return rc;
}

/* "Label:<sep>value" with the label bold. */
static int pdf_add_field(pdf_text *t, const char *label, const char *sep, const char *value)
{
    int rc = pdf_add(t, label, 1);
    if (rc == RA_OK)
        rc = pdf_add(t, ":", 1);
    if (rc == RA_OK)
        rc = pdf_add(t, sep, 0);
    if (rc == RA_OK)
        rc = pdf_add(t, value, 0);
    return rc;
}

static PangoLayout *pdf_layout(pdf_doc *p, const pdf_text *t, double size, int bold)
{
    PangoLayout *l = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, PDF_FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(PDF_TEXT_W * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, buf_str(&t->text), (int)t->text.len);
    pango_layout_set_attributes(l, t->attrs);
    return l;
}

/* Measures a layout's lines into b->height and b->first. */
static void pdf_measure(pdf_block *b)
{
    b->height = b->first = 8.0; /* a rule: 4 points above and below its line */
    if (b->layout == NULL)
        return;
    PangoLayoutIter *it = pango_layout_get_iter(b->layout);
    b->height = 0;
    b->first = -1;
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        b->height += (double)log.height / PANGO_SCALE + PDF_LINE_GAP;
        if (b->first < 0)
            b->first = b->height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    if (b->keep_whole)
        b->first = b->height;
}

/* Appends a block holding t's text (or a rule for t NULL). */
static void pdf_block_add(pdf_doc *p, const pdf_text *t, double size, int bold, double before)
{
    pdf_block *b = &p->blocks[p->n_blocks++];
    *b = (pdf_block){.layout = t != NULL ? pdf_layout(p, t, size, bold) : NULL, .before = before};
}

/* ---- the blocks --------------------------------------------------------- */

/* One block of size/bold holding s alone. */
static int pdf_block_text(pdf_doc *p, const char *s, double size, int bold, double before)
{
    pdf_text t;
    pdf_text_init(&t);
    int rc = pdf_add(&t, s, 0);
    if (rc == RA_OK)
        pdf_block_add(p, &t, size, bold, before);
    pdf_text_release(&t);
    return rc;
}

/* The header fields as one block: labels in a column, values beside them
 * (a hanging indent keeps wrapped values in their column). */
static int pdf_block_fields(pdf_doc *p)
{
    const export_doc *d = p->d;
    pdf_text t;
    pdf_text_init(&t);
    int rc = RA_OK;
    for (size_t i = 0; i < d->n_header && rc == RA_OK; i++) {
        rc = pdf_add_field(&t, d->header[i].label, "\t", d->header[i].value);
        if (rc == RA_OK && i + 1 < d->n_header)
            rc = pdf_add(&t, "\n", 0);
    }
    if (rc == RA_OK) {
        pdf_block_add(p, &t, 10, 0, 6);
        PangoLayout *l = p->blocks[p->n_blocks - 1].layout;
        PangoTabArray *tabs =
            pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT, (int)PDF_LABEL_W);
        pango_layout_set_tabs(l, tabs);
        pango_tab_array_free(tabs);
        pango_layout_set_indent(l, (int)(-PDF_LABEL_W * PANGO_SCALE));
    }
    pdf_text_release(&t);
    return rc;
}

static int pdf_block_signature(pdf_doc *p)
{
    const export_doc *d = p->d;
    pdf_text t;
    pdf_text_init(&t);
    int rc = pdf_add_field(&t, d->signer.label, " ", export_sign_value(&d->signer));
    if (rc == RA_OK)
        rc = pdf_add(&t, "\n\n\n", 0); /* room to sign */
    if (rc == RA_OK)
        rc = pdf_add_field(&t, d->signature.label, " ", export_sign_value(&d->signature));
    if (rc == RA_OK)
        rc = pdf_add(&t, "\n", 0);
    if (rc == RA_OK)
        rc = pdf_add_field(&t, d->signed_on.label, " ", export_sign_value(&d->signed_on));
    if (rc == RA_OK) {
        pdf_block_add(p, &t, 10, 0, 30);
        p->blocks[p->n_blocks - 1].keep_whole = 1;
    }
    pdf_text_release(&t);
    return rc;
}

static int pdf_build(pdf_doc *p)
{
    const export_doc *d = p->d;
    int rc = RA_OK;
    if (d->organization[0] != '\0')
        rc = pdf_block_text(p, d->organization, 11, 1, 0);
    if (rc == RA_OK && d->title[0] != '\0')
        rc = pdf_block_text(p, d->title, 15, 1, 2);
    if (rc == RA_OK && d->n_header > 0)
        rc = pdf_block_fields(p);
    if (rc == RA_OK)
        pdf_block_add(p, NULL, 0, 0, 4);
    for (size_t i = 0; i < d->n_sections && rc == RA_OK; i++) {
        rc = pdf_block_text(p, d->sections[i].label, 11, 1, 12);
        if (rc == RA_OK) {
            p->blocks[p->n_blocks - 1].keep_next = 1;
            rc = pdf_block_text(p, d->sections[i].value, 10.5, 0, 3);
        }
    }
    if (rc == RA_OK)
        rc = pdf_block_signature(p);
    for (size_t i = 0; i < p->n_blocks; i++)
        pdf_measure(&p->blocks[i]);
    return rc;
}

/* ---- the flow ----------------------------------------------------------- */

static void pdf_footer(pdf_doc *p)
{
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, PDF_MARGIN, PDF_FOOTER_Y - 6);
    cairo_line_to(cr, PDF_PAGE_W - PDF_MARGIN, PDF_FOOTER_Y - 6);
    cairo_stroke(cr);
    char number[64];
    snprintf(number, sizeof number, "%s %d %s %d", p->d->page_word, p->page, p->d->page_of,
             p->pages);
    const char *texts[2] = {p->d->patient, number};
    for (int i = 0; i < 2; i++) {
        pdf_text t;
        pdf_text_init(&t);
        if (pdf_add(&t, texts[i], 0) == RA_OK) {
            PangoLayout *l = pdf_layout(p, &t, 8, 0);
            pango_layout_set_width(l, (int)((i == 0 ? 0.7 : 1.0) * PDF_TEXT_W * PANGO_SCALE));
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
            pango_layout_set_alignment(l, i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
            cairo_move_to(cr, PDF_MARGIN, PDF_FOOTER_Y);
            pango_cairo_show_layout(cr, l);
            g_object_unref(l);
        }
        pdf_text_release(&t);
    }
    cairo_restore(cr);
}

static void pdf_end_page(pdf_doc *p)
{
    if (p->draw) {
        pdf_footer(p);
        cairo_show_page(p->cr);
    }
}

static void pdf_new_page(pdf_doc *p)
{
    pdf_end_page(p);
    p->page++;
    p->y = PDF_MARGIN;
}

static int pdf_at_top(const pdf_doc *p)
{
    return p->y <= PDF_MARGIN;
}

/* The room block i needs on the current page before it may start there. */
static double pdf_need(const pdf_doc *p, size_t i)
{
    const pdf_block *b = &p->blocks[i];
    if (!b->keep_next || i + 1 >= p->n_blocks)
        return b->first;
    return b->height + p->blocks[i + 1].before + p->blocks[i + 1].first;
}

static void pdf_rule(pdf_doc *p)
{
    if (p->draw) {
        cairo_set_line_width(p->cr, 0.75);
        cairo_move_to(p->cr, PDF_MARGIN, p->y + 4);
        cairo_line_to(p->cr, PDF_PAGE_W - PDF_MARGIN, p->y + 4);
        cairo_stroke(p->cr);
    }
    p->y += 8;
}

/* Places a layout's lines from p->y on, turning pages as they fill. */
static void pdf_lines(pdf_doc *p, PangoLayout *l)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double h = (double)log.height / PANGO_SCALE;
        if (p->y + h > PDF_BOTTOM && !pdf_at_top(p))
            pdf_new_page(p);
        if (p->draw) {
            double baseline = (double)(pango_layout_iter_get_baseline(it) - log.y) / PANGO_SCALE;
            cairo_move_to(p->cr, PDF_MARGIN + (double)log.x / PANGO_SCALE, p->y + baseline);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        p->y += h + PDF_LINE_GAP;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Lays every block out from the first page; draws when p->draw. */
static void pdf_flow(pdf_doc *p)
{
    p->page = 1;
    p->y = PDF_MARGIN;
    for (size_t i = 0; i < p->n_blocks; i++) {
        const pdf_block *b = &p->blocks[i];
        if (!pdf_at_top(p) && p->y + b->before + pdf_need(p, i) > PDF_BOTTOM)
            pdf_new_page(p);
        if (!pdf_at_top(p))
            p->y += b->before;
        if (b->layout == NULL)
            pdf_rule(p);
        else
            pdf_lines(p, b->layout);
    }
    pdf_end_page(p);
}

/* ---- sanitizer builds --------------------------------------------------- */

/* gcc says __SANITIZE_ADDRESS__; clang (the fuzz targets' compiler) says
 * __has_feature(address_sanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define EXPORT_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EXPORT_LSAN 1
#endif
#endif

#ifdef EXPORT_LSAN
const char *__lsan_default_suppressions(void);

/* LeakSanitizer's built-in suppressions for the ASan builds (unit tests,
 * build/asan/raportai and the fuzz targets): fontconfig 2.14 loses one
 * pattern (288 bytes) of every <rejectfont><pattern> while FcInit parses
 * the system configuration (Debian's 70-no-bitmaps.conf has one), once per
 * process, on pango's font initialisation thread. Nothing a caller can free; not our leak. */
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

/* ---- the file ----------------------------------------------------------- */

static void pdf_metadata(cairo_surface_t *s, const export_doc *d)
{
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    if (d->title[0] != '\0')
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
    if (d->signer.value[0] != '\0')
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->signer.value);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "RaportAI");
#else
    (void)s, (void)d;
#endif
}

/* Sets up pango for cr: the thread's font map, 72 dpi, the report's
 * language, unhinted metrics (a PDF is scaled freely). */
static PangoContext *pdf_context(cairo_t *cr, PangoFontMap *fm, const char *lang)
{
    PangoContext *ctx = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(ctx, 72.0);
    pango_context_set_language(ctx, pango_language_from_string(lang));
    pango_cairo_update_context(cr, ctx);
    return ctx;
}

/* Draws the document on surface s (whose stream is being written).
 *
 * The font map is pango's default for the calling thread (one per
 * rendering thread, kept until the thread ends; not ours to unref), not one
 * of our own per file: pango 1.50 starts threads for each fontset a map
 * matches and ends them when the map goes, so a map per file cost 24
 * thread starts per PDF, and fontconfig's matching was done again for each;
 * the thread's map keeps its fontsets and starts none after the first. */
static int pdf_draw(const export_doc *d, cairo_surface_t *s)
{
    cairo_t *cr = cairo_create(s);
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    pdf_doc p = {.d = d, .cr = cr, .ctx = pdf_context(cr, fm, d->lang)};
    int rc = pdf_build(&p);
    if (rc == RA_OK) {
        pdf_flow(&p);
        p.pages = p.page;
        p.draw = 1;
        cairo_set_source_rgb(cr, 0, 0, 0);
        pdf_flow(&p);
    }
    if (rc == RA_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        rc = RA_ERR_IO;
    for (size_t i = 0; i < p.n_blocks; i++) {
        if (p.blocks[i].layout != NULL)
            g_object_unref(p.blocks[i].layout);
    }
    g_object_unref(p.ctx);
    cairo_destroy(cr);
    return rc;
}

int export_pdf(const export_doc *d, buf *out, char *err, size_t errlen)
{
    pdf_sink sink = {out, RA_OK};
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(pdf_write, &sink, PDF_PAGE_W, PDF_PAGE_H);
    int rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? RA_OK : RA_ERR_IO;
    if (rc == RA_OK) {
        pdf_metadata(s, d);
        rc = pdf_draw(d, s);
    }
    cairo_surface_finish(s);
    if (sink.rc != RA_OK)
        rc = sink.rc; /* why cairo stopped writing */
    if (rc == RA_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = RA_ERR_IO;
    cairo_surface_destroy(s);
    if (rc == RA_ERR_TOO_LARGE)
        return ra_fail(err, errlen, rc, "the pdf file would be larger than allowed");
    if (rc == RA_ERR_NOMEM)
        return ra_fail(err, errlen, rc, "out of memory while writing the pdf file");
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "cairo could not draw the pdf file");
    return RA_OK;
}
