/* util.c - the asr module's shared helpers (see internal.h): the
 * string-to-index hash map, atomic output files, line reading and the
 * ARPAbet phone set. */
#include "asr/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr/asr.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/hash.h"

const char *const asr_phones[ASR_NPHONES] = {
    "AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D", "DH", "EH", "ER", "EY",
    "F",  "G",  "HH", "IH", "IY", "JH", "K",  "L",  "M", "N",  "NG", "OW", "OY",
    "P",  "R",  "S",  "SH", "T",  "TH", "UH", "UW", "V", "W",  "Y",  "Z",  "ZH",
};

int asr_phone_valid(const char *phone)
{
    size_t lo = 0, hi = ASR_NPHONES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(phone, asr_phones[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* ---- string map --------------------------------------------------------- */

static uint64_t strmap_hash(const char *s, size_t n)
{
    return ra_fnv1a(RA_FNV1A_SEED, s, n);
}

void asr_strmap_init(asr_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void asr_strmap_release(asr_strmap *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->slots);
    asr_strmap_init(m);
}

/* The slot holding the n bytes at key, or the empty slot where they go. */
static size_t strmap_slot(const asr_strmap *m, const char *key, size_t n)
{
    size_t mask = m->nslots - 1;
    size_t i = (size_t)strmap_hash(key, n) & mask;
    while (m->slots[i] != 0) {
        const char *k = m->keys[m->slots[i] - 1];
        if (strncmp(k, key, n) == 0 && k[n] == '\0')
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

long asr_strmap_find(const asr_strmap *m, const char *key)
{
    if (m->nslots == 0)
        return -1;
    size_t i = strmap_slot(m, key, strlen(key));
    return m->slots[i] == 0 ? -1 : (long)(m->slots[i] - 1);
}

static int strmap_grow(asr_strmap *m)
{
    size_t nslots = m->nslots ? m->nslots * 2 : 64;
    size_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL)
        return RA_ERR_NOMEM;
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    for (size_t k = 0; k < m->count; k++) {
        size_t i = strmap_slot(m, m->keys[k], strlen(m->keys[k]));
        m->slots[i] = k + 1;
    }
    return RA_OK;
}

int asr_strmap_add(asr_strmap *m, const char *key, size_t n, size_t *index)
{
    if (m->nslots != 0) {
        size_t i = strmap_slot(m, key, n);
        if (m->slots[i] != 0) {
            *index = m->slots[i] - 1;
            return RA_OK;
        }
    }
    char **keys = ra_array_reserve(m->keys, m->count, &m->keys_cap, sizeof *keys, 32);
    if (keys == NULL)
        return RA_ERR_NOMEM;
    m->keys = keys;
    if ((m->count + 1) * 2 > m->nslots && strmap_grow(m) != RA_OK)
        return RA_ERR_NOMEM;
    char *copy = strndup(key, n);
    if (copy == NULL)
        return RA_ERR_NOMEM;
    m->keys[m->count] = copy;
    m->slots[strmap_slot(m, key, n)] = m->count + 1;
    *index = m->count++;
    return RA_OK;
}

/* ---- atomic output ------------------------------------------------------ */

int asr_out_open(asr_out *o, const char *path, char *err, size_t errlen)
{
    buf b;
    buf_init(&b, 8192);
    o->fp = NULL;
    o->path = path;
    o->tmp_path = NULL;
    if (buf_printf(&b, "%s.tmp.%ld", path, (long)getpid()) != RA_OK)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    o->tmp_path = buf_detach(&b);
    if (o->tmp_path == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    o->fp = fopen(o->tmp_path, "w");
    if (o->fp == NULL) {
        free(o->tmp_path);
        o->tmp_path = NULL;
        return ra_fail(err, errlen, RA_ERR_IO, "Cannot create %s.", path);
    }
    return RA_OK;
}

int asr_out_commit(asr_out *o, char *err, size_t errlen)
{
    int ok = fflush(o->fp) == 0 && fsync(fileno(o->fp)) == 0 && !ferror(o->fp);
    ok = (fclose(o->fp) == 0) && ok;
    o->fp = NULL;
    if (ok)
        ok = rename(o->tmp_path, o->path) == 0;
    if (!ok)
        remove(o->tmp_path);
    free(o->tmp_path);
    o->tmp_path = NULL;
    if (!ok)
        return ra_fail(err, errlen, RA_ERR_IO, "Cannot write %s.", o->path);
    return RA_OK;
}

void asr_out_abort(asr_out *o)
{
    if (o->fp != NULL)
        fclose(o->fp);
    if (o->tmp_path != NULL)
        remove(o->tmp_path);
    free(o->tmp_path);
    o->fp = NULL;
    o->tmp_path = NULL;
}

/* ---- lines -------------------------------------------------------------- */

int asr_read_line(FILE *fp, char **line, size_t *cap)
{
    size_t len = 0;
    int c = getc(fp);
    for (; c != EOF && c != '\n'; c = getc(fp)) {
        if (len + 2 > *cap) {
            if (*cap >= ASR_MAX_LINE)
                return RA_ERR_TOO_LARGE;
            size_t ncap = *cap ? *cap * 2 : 256;
            char *p = realloc(*line, ncap);
            if (p == NULL)
                return RA_ERR_NOMEM;
            *line = p;
            *cap = ncap;
        }
        (*line)[len++] = (char)c;
    }
    if (c == EOF && len == 0)
        return 0;
    if (*line == NULL) {
        *line = malloc(1);
        if (*line == NULL)
            return RA_ERR_NOMEM;
        *cap = 1;
    }
    if (len > 0 && (*line)[len - 1] == '\r')
        len--;
    (*line)[len] = '\0';
    return 1;
}
