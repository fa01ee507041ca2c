/* anatomy.c - the anatomy a text speaks of (see anatomy.h): the matcher
 * over the language tables' anatomy lists, the scan of a text for an exam,
 * and the warning a report gets when it speaks of another exam's anatomy. */
#include "structuring/anatomy.h"

#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "structuring/words.h"

uint32_t report_anatomy_at(const report_lang *L, report_word_at word, const void *ctx, size_t i,
                           size_t *len)
{
    uint32_t mask = 0;
    *len = 0;
    for (int b = 0; b < REPORT_BODY_PARTS; b++) {
        size_t k = report_alts_len(L->anatomy[b], word, ctx, i);
        if (k == 0)
            continue;
        mask |= (uint32_t)1 << b;
        *len = k > *len ? k : *len;
    }
    return mask;
}

/* Records one place [start, end) speaking of body part b. */
static void anatomy_note(report_anatomy_found *out, int b, size_t start, size_t end)
{
    if (out->hits[b]++ == 0) {
        out->start[b] = start;
        out->end[b] = end;
    }
}

/* The scan over words already read (see report_anatomy_scan). */
static void anatomy_count(const report_lang *L, const report_words *ws, uint32_t among, int own,
                          report_anatomy_found *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < ws->n;) {
        size_t len = 0;
        uint32_t mask = report_anatomy_at(L, report_words_at, ws, i, &len);
        if (mask == 0) {
            i++;
            continue;
        }
        int is_own = own >= 0 && (mask >> own & 1);
        for (int b = 0; b < REPORT_BODY_PARTS && !is_own; b++) {
            if ((mask & among) >> b & 1)
                anatomy_note(out, b, ws->w[i].start, ws->w[i + len - 1].end);
        }
        i += len;
    }
}

int report_anatomy_scan(const char *text, const char *lang, uint32_t among, int own,
                        report_anatomy_found *out)
{
    const report_lang *L = report_lang_get(report_lang_normalize(lang));
    if (text == NULL || out == NULL || L == NULL)
        return RA_ERR_INVALID;
    size_t len = strlen(text);
    if (len > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(text, len))
        return RA_ERR_INVALID;
    report_words ws;
    int rc = report_words_read(text, &ws);
    if (rc == RA_OK)
        anatomy_count(L, &ws, among, own, out);
    report_words_release(&ws);
    return rc;
}

/* Adds the warning that section sec speaks of the place [start, end) of
 * text, shown without the punctuation around it. */
static void anatomy_add_warning(report_warnings *w, report_section sec, const char *text,
                                size_t start, size_t end)
{
    while (start < end && strchr(".,;:!?()\"'", text[start]) != NULL)
        start++;
    while (end > start && strchr(".,;:!?()\"'", text[end - 1]) != NULL)
        end--;
    report_warnings_add(w, REPORT_WARN_OTHER_EXAM, sec, text + start, end - start);
}

int report_anatomy_warn(const report_sections *report, const char *lang, int own, uint32_t others,
                        report_warnings *w)
{
    if (report == NULL || w == NULL)
        return RA_ERR_INVALID;
    if (own >= 0)
        others &= ~((uint32_t)1 << own);
    for (int s = 0; s < REPORT_SEC_COUNT && others != 0; s++) {
        const char *text = report->text[s];
        report_anatomy_found found;
        int rc = text != NULL ? report_anatomy_scan(text, lang, others, own, &found) : RA_OK;
        if (rc != RA_OK)
            return rc;
        for (int b = 0; text != NULL && b < REPORT_BODY_PARTS; b++) {
            if (found.hits[b] > 0)
                anatomy_add_warning(w, (report_section)s, text, found.start[b], found.end[b]);
        }
    }
    return RA_OK;
}
