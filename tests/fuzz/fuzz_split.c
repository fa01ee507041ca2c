/* fuzz_split.c - libFuzzer target for the multi-exam split
 * (src/structuring/split.c with words.c and anatomy.c): one dictation cut
 * into the parts of several exams, and the anatomy check of a split.
 *
 * Input: "LANG\nEXAMS\nTRANSCRIPT", EXAMS being up to 8 exams separated by
 * ';', each "NAME|MODALITY|BODY PART|ACCESSION" (fields may be empty).
 * Checked: every part is valid UTF-8, and an exam that is not PLACED has
 * an empty part. */
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "fuzz.h"
#include "structuring/split.h"

#define EXAMS_MAX 8

static const char *next_field(char **p, char sep)
{
    char *start = *p, *end = strchr(start, sep);
    if (end == NULL) {
        *p = start + strlen(start);
    } else {
        *end = '\0';
        *p = end + 1;
    }
    return *start != '\0' ? start : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    char *p = text;
    const char *lang = next_field(&p, '\n');
    char *exams_line = (char *)next_field(&p, '\n');
    const char *transcript = p;
    report_exam_hint hints[EXAMS_MAX] = {{0}};
    size_t n = 0;
    for (char *e = exams_line; e != NULL && *e != '\0' && n < EXAMS_MAX; n++) {
        char *one = (char *)next_field(&e, ';');
        if (one == NULL)
            continue;
        hints[n].exam_name = next_field(&one, '|');
        hints[n].modality = next_field(&one, '|');
        hints[n].body_part = next_field(&one, '|');
        hints[n].accession = next_field(&one, '|');
    }
    if (n == 0)
        n = 1;
    char *parts[EXAMS_MAX];
    report_split_outcome outcomes[EXAMS_MAX];
    if (report_split(transcript, lang ? lang : "", hints, n, parts, outcomes) == RA_OK) {
        for (size_t i = 0; i < n; i++) {
            if (!text_is_utf8(parts[i], strlen(parts[i])) ||
                (outcomes[i] != REPORT_SPLIT_PLACED && parts[i][0] != '\0'))
                abort();
        }
        for (size_t i = 0; i < n; i++)
            free(parts[i]);
    }
    int bodies[EXAMS_MAX];
    (void)report_split_body_parts(hints, n, bodies);
    free(text);
    return 0;
}
