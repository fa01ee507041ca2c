/* build.c - asr_domain_build: a corpus to the radiology language model and
 * its pronunciation dictionary in one call, timed. */
#include <string.h>
#include <time.h>

#include "asr/asr.h"
#include "core/err.h"

static double build_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int asr_domain_build(const asr_corpus *c, const asr_background *bg, const char *base_dict,
                     const char *lexicon_path, const char *arpa_path, const char *dict_path,
                     asr_build_stats *stats, char *err, size_t errlen)
{
    asr_build_stats st;
    memset(&st, 0, sizeof st);
    double t0 = build_now();
    const char *const *sentences = asr_corpus_sentences(c);
    size_t n = asr_corpus_count(c);
    char **words = NULL;
    size_t nwords = 0;
    int rc = asr_lm_build_stats(sentences, n, bg, arpa_path, &st.lm, err, errlen);
    if (rc == RA_OK)
        rc = asr_lm_vocabulary(sentences, n, bg, &words, &nwords);
    if (rc == RA_OK)
        rc = asr_dict_build_stats((const char *const *)words, nwords, base_dict, lexicon_path,
                                  dict_path, &st.dict, err, errlen);
    asr_words_free(words, nwords);
    st.seconds = build_now() - t0;
    if (rc == RA_OK && stats != NULL)
        *stats = st;
    return rc;
}
