/* corpus.c - asr_corpus: the sentences a radiology language model is
 * estimated from, gathered from phrase files, template bodies and other
 * text, each normalised to spoken form (see asr.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"

struct asr_corpus {
    char **sentences; /* owned, spoken form, never empty */
    size_t count;
    size_t cap;
};

int asr_corpus_new(asr_corpus **out)
{
    asr_corpus *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RA_ERR_NOMEM;
    *out = c;
    return RA_OK;
}

void asr_corpus_free(asr_corpus *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->count; i++)
        free(c->sentences[i]);
    free(c->sentences);
    free(c);
}

size_t asr_corpus_count(const asr_corpus *c)
{
    return c->count;
}

const char *const *asr_corpus_sentences(const asr_corpus *c)
{
    return (const char *const *)c->sentences;
}

/* Normalises one line and adds it unless it comes out empty. */
static int corpus_add_line(asr_corpus *c, const char *line)
{
    char *spoken = NULL;
    int rc = asr_normalize(line, &spoken);
    if (rc != RA_OK)
        return rc;
    if (spoken[0] == '\0') {
        free(spoken);
        return RA_OK;
    }
    char **p = ra_array_reserve(c->sentences, c->count, &c->cap, sizeof *p, 64);
    if (p == NULL) {
        free(spoken);
        return RA_ERR_NOMEM;
    }
    c->sentences = p;
    c->sentences[c->count++] = spoken;
    return RA_OK;
}

int asr_corpus_add_text(asr_corpus *c, const char *content, const char *format)
{
    char *text = NULL;
    int rc = asr_text_from_markup(content, format, &text);
    if (rc != RA_OK)
        return rc;
    char *line = text;
    while (line != NULL && rc == RA_OK) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        rc = corpus_add_line(c, line);
        line = nl != NULL ? nl + 1 : NULL;
    }
    free(text);
    return rc;
}

int asr_corpus_add_file(asr_corpus *c, const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return ra_fail(err, errlen, errno == ENOENT ? RA_ERR_NOT_FOUND : RA_ERR_IO,
                       "Cannot open the phrase file %s.", path);
    char *line = NULL;
    size_t cap = 0;
    int rc;
    for (;;) {
        rc = asr_read_line(fp, &line, &cap);
        if (rc <= 0)
            break;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        rc = *p == '#' ? RA_OK : corpus_add_line(c, p);
        if (rc != RA_OK)
            break;
    }
    if (rc == RA_OK && ferror(fp))
        rc = RA_ERR_IO;
    fclose(fp);
    free(line);
    if (rc == RA_ERR_TOO_LARGE)
        rc = RA_ERR_IO;
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "Cannot read the phrase file %s: %s.", path,
                       ra_strerror(rc));
    return RA_OK;
}

int asr_corpus_add_templates(asr_corpus *c, const tmpl_library *lib)
{
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        if (strcmp(t->language, "en") != 0)
            continue;
        int rc = asr_corpus_add_text(c, t->content, t->format);
        if (rc != RA_OK)
            return rc;
    }
    return RA_OK;
}

int asr_corpus_add_base(asr_corpus *c, const char *phrases, const tmpl_library *lib,
                        int *phrases_missing, char *err, size_t errlen)
{
    int rc = RA_OK;
    *phrases_missing = phrases == NULL || access(phrases, R_OK) != 0;
    if (!*phrases_missing)
        rc = asr_corpus_add_file(c, phrases, err, errlen);
    if (rc == RA_OK && lib != NULL)
        rc = asr_corpus_add_templates(c, lib);
    return rc;
}
