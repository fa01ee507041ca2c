/* org_lm.c - the parts of per-organization speech models that are not the
 * refresher thread (see lm_refresh.h): where an organization's model lives,
 * its build record (build.txt), the corpus it is estimated from, and the
 * choice of model for a job. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/sections.h"
#include "jobs/lm_refresh.h"

/* ---- files ---------------------------------------------------------------------- */

int lm_org_paths_get(const char *data_dir, const char *org_id, lm_org_paths *out)
{
    if (org_id == NULL || !ids_is_uuid(org_id))
        return RA_ERR_INVALID;
    lm_org_paths p;
    int n = snprintf(p.dir, sizeof p.dir, "%s/asr/org/%s", data_dir, org_id);
    if (n < 0 || (size_t)n >= sizeof p.dir)
        return RA_ERR_TOO_LARGE;
    snprintf(p.lm, sizeof p.lm, "%s/radiology-en.lm", p.dir);
    snprintf(p.dict, sizeof p.dict, "%s/radiology-en.dict", p.dir);
    snprintf(p.record, sizeof p.record, "%s/build.txt", p.dir);
    *out = p;
    return RA_OK;
}

/* ---- the build record ----------------------------------------------------------- */

enum { REC_I64, REC_ISO, REC_HEX, REC_DBL };

/* The lines of build.txt: name, kind, where in an lm_record. */
static const struct {
    const char *name;
    int kind;
    size_t offset;
} record_fields[] = {
    {"built_ms", REC_I64, offsetof(lm_record, built_ms)},
    {"attempt_ms", REC_I64, offsetof(lm_record, attempt_ms)},
    {"built_at", REC_ISO, offsetof(lm_record, built_at)},
    {"revisions", REC_I64, offsetof(lm_record, revisions)},
    {"templates", REC_I64, offsetof(lm_record, templates)},
    {"templates_at", REC_ISO, offsetof(lm_record, templates_at)},
    {"base", REC_HEX, offsetof(lm_record, base)},
    {"reports", REC_I64, offsetof(lm_record, reports)},
    {"sentences", REC_I64, offsetof(lm_record, sentences)},
    {"vocabulary", REC_I64, offsetof(lm_record, vocabulary)},
    {"seconds", REC_DBL, offsetof(lm_record, seconds)},
};
#define N_RECORD_FIELDS (sizeof record_fields / sizeof record_fields[0])

/* Parses value into the field at slot; RA_ERR_FORMAT when it does not fit. */
static int record_parse(int kind, const char *value, void *slot)
{
    char *end = NULL;
    errno = 0;
    if (kind == REC_ISO) {
        if (strlen(value) >= TIME_ISO_LEN)
            return RA_ERR_FORMAT;
        snprintf(slot, TIME_ISO_LEN, "%s", strcmp(value, "-") == 0 ? "" : value);
        return RA_OK;
    }
    if (kind == REC_I64)
        *(int64_t *)slot = strtoll(value, &end, 10);
    else if (kind == REC_HEX)
        *(uint64_t *)slot = strtoull(value, &end, 16);
    else
        *(double *)slot = strtod(value, &end);
    return (errno == 0 && end != value && *end == '\0') ? RA_OK : RA_ERR_FORMAT;
}

/* Applies one "name value" line to r; unknown names are skipped. */
static int record_line(lm_record *r, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *value = strchr(line, ' ');
    if (line[0] == '#' || line[0] == '\0')
        return RA_OK;
    if (value == NULL)
        return RA_ERR_FORMAT;
    *value++ = '\0';
    for (size_t i = 0; i < N_RECORD_FIELDS; i++)
        if (strcmp(line, record_fields[i].name) == 0)
            return record_parse(record_fields[i].kind, value, (char *)r + record_fields[i].offset);
    return RA_OK;
}

int lm_record_read(const char *path, lm_record *out)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return errno == ENOENT ? RA_ERR_NOT_FOUND : RA_ERR_IO;
    lm_record r;
    memset(&r, 0, sizeof r);
    char line[256];
    int rc = RA_OK;
    while (rc == RA_OK && fgets(line, sizeof line, fp) != NULL)
        rc = record_line(&r, line);
    if (rc == RA_OK && ferror(fp))
        rc = RA_ERR_IO;
    fclose(fp);
    if (rc == RA_OK)
        *out = r;
    return rc;
}

static void record_print(FILE *fp, const lm_record *r)
{
    fprintf(fp, "# RaportAI: how this organization's speech model was built "
                "(counts and times, no text)\n");
    for (size_t i = 0; i < N_RECORD_FIELDS; i++) {
        const void *slot = (const char *)r + record_fields[i].offset;
        fprintf(fp, "%s ", record_fields[i].name);
        int kind = record_fields[i].kind;
        if (kind == REC_I64)
            fprintf(fp, "%" PRId64 "\n", *(const int64_t *)slot);
        else if (kind == REC_HEX)
            fprintf(fp, "%016" PRIx64 "\n", *(const uint64_t *)slot);
        else if (kind == REC_DBL)
            fprintf(fp, "%.3f\n", *(const double *)slot);
        else
            fprintf(fp, "%s\n", *(const char *)slot ? (const char *)slot : "-");
    }
}

int lm_record_write(const char *path, const lm_record *r)
{
    char tmp[LM_PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    if (fp == NULL)
        return RA_ERR_IO;
    record_print(fp, r);
    int ok = fflush(fp) == 0 && fsync(fileno(fp)) == 0 && !ferror(fp);
    ok = fclose(fp) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        remove(tmp);
    return ok ? RA_OK : RA_ERR_IO;
}

/* ---- the corpus ------------------------------------------------------------------- */

/* Adds the bytes of the file at path (when readable) to *h. */
static void hash_file(uint64_t *h, const char *path)
{
    FILE *fp = path != NULL ? fopen(path, "rb") : NULL;
    char chunk[4096];
    size_t n;
    while (fp != NULL && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        *h = ra_fnv1a(*h, chunk, n);
    if (fp != NULL)
        fclose(fp);
}

int lm_base_corpus(const lm_refresh_config *cfg, asr_corpus **out, uint64_t *fingerprint, char *err,
                   size_t errlen)
{
    asr_corpus *c = NULL;
    int rc = asr_model_base_corpus(&cfg->sources, &c, err, errlen);
    if (rc != RA_OK)
        return rc;
    uint64_t h = RA_FNV1A_SEED;
    const char *const *sentences = asr_corpus_sentences(c);
    for (size_t i = 0; i < asr_corpus_count(c); i++)
        h = ra_fnv1a(h, sentences[i], strlen(sentences[i]) + 1);
    hash_file(&h, cfg->sources.lexicon[0] ? cfg->sources.lexicon : NULL);
    const asr_background *bg = cfg->sources.background;
    for (size_t i = 0; bg != NULL && i < bg->n; i++)
        h = ra_fnv1a(h, bg->words[i], strlen(bg->words[i]) + 1);
    if (bg != NULL)
        h = ra_fnv1a(h, &bg->mass, sizeof bg->mass);
    *out = c;
    *fingerprint = h;
    return RA_OK;
}

typedef struct corpus_ctx {
    asr_corpus *corpus;
    lm_corpus_stats stats;
    size_t bytes, max_bytes;
    int rc; /* the first failure */
} corpus_ctx;

/* One report as the radiologist would dictate it: each section with text
 * introduced by its English heading ("FINDINGS: ...", which the corpus
 * lowercases like every word), in report_reading_order. */
static void add_report(const char *const sections[REPORT_SEC_COUNT], void *ctx)
{
    corpus_ctx *cc = ctx;
    size_t size = 0;
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        size += strlen(sections[i]);
    if (cc->rc != RA_OK || size == 0)
        return;
    if (cc->bytes + size > cc->max_bytes) {
        cc->stats.skipped++;
        return;
    }
    buf text;
    buf_init(&text, cc->max_bytes + 1024);
    int rc = RA_OK;
    for (int k = 0; rc == RA_OK && k < REPORT_SEC_COUNT; k++) {
        report_section sec = report_reading_order[k];
        if (strspn(sections[sec], " \t\r\n") < strlen(sections[sec]))
            rc = buf_printf(&text, "%s: %s\n", report_section_title(sec, "en"), sections[sec]);
    }
    if (rc == RA_OK && text.len > 0)
        rc = asr_corpus_add_text(cc->corpus, buf_str(&text), "txt");
    buf_release(&text);
    if (rc == RA_OK) {
        cc->bytes += size;
        cc->stats.reports++;
    }
    cc->rc = rc;
}

static void add_template(const char *format, const char *content, void *ctx)
{
    corpus_ctx *cc = ctx;
    if (cc->rc != RA_OK)
        return;
    int rc = asr_corpus_add_text(cc->corpus, content, format);
    if (rc == RA_OK)
        cc->stats.templates++;
    cc->rc = rc == RA_ERR_INVALID ? RA_OK : rc; /* a format we do not read is skipped */
}

int lm_org_corpus(const lm_refresh_config *cfg, const asr_corpus *base, const char *org_id,
                  asr_corpus **out, lm_corpus_stats *stats)
{
    corpus_ctx cc = {.max_bytes = cfg->max_bytes ? cfg->max_bytes : LM_REFRESH_MAX_BYTES};
    int rc = asr_corpus_new(&cc.corpus);
    const char *const *sentences = rc == RA_OK ? asr_corpus_sentences(base) : NULL;
    for (size_t i = 0; rc == RA_OK && i < asr_corpus_count(base); i++)
        rc = asr_corpus_add_text(cc.corpus, sentences[i], "txt");
    if (rc == RA_OK)
        rc = store_lm_report_texts_each(
            cfg->store, org_id, cfg->max_reports ? cfg->max_reports : LM_REFRESH_MAX_REPORTS,
            add_report, &cc);
    if (rc == RA_OK)
        rc = cc.rc;
    if (rc == RA_OK)
        rc = store_lm_templates_each(cfg->store, org_id, add_template, &cc);
    if (rc == RA_OK)
        rc = cc.rc;
    if (rc != RA_OK) {
        asr_corpus_free(cc.corpus);
        return rc;
    }
    *out = cc.corpus;
    if (stats != NULL)
        *stats = cc.stats;
    return RA_OK;
}

/* ---- the model of a job ------------------------------------------------------------ */

int lm_org_select(asr_engine *e, const char *data_dir, const char *org_id, const char *job_id)
{
    if (strcmp(e->name, "local") != 0)
        return 0;
    lm_org_paths p;
    int own = lm_org_paths_get(data_dir, org_id, &p) == RA_OK && access(p.lm, R_OK) == 0;
    char err[512] = "";
    int rc = asr_local_use_model(e, own ? p.lm : NULL, own ? p.dict : NULL, err, sizeof err);
    if (rc != RA_OK && own) {
        log_warn("jobs: job %s: the speech model of organization %s is unusable, the shared "
                 "one decodes instead: %s",
                 job_id, org_id, err);
        own = 0;
    } else if (rc != RA_OK) {
        log_warn("jobs: job %s: %s", job_id, err);
    }
    if (own)
        log_debug("jobs: job %s decoded with the speech model of organization %s", job_id, org_id);
    else
        log_debug("jobs: job %s decoded with the shared speech model", job_id);
    return own;
}
