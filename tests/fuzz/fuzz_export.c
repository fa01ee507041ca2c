/* fuzz_export.c - libFuzzer target for the exporters' text paths
 * (src/export: export.c's text cleaning and the TXT and RTF writers,
 * export_docx.c's document XML, export_pdf.c's layout with pango and
 * cairo): a saved report rendered as a file.
 *
 * Input: fields separated by lines "---": the format (txt, rtf, docx or
 * pdf; anything else: txt), then exam name, SUT code, modality, patient
 * name, patient id, accession number, date, author, organization,
 * language, and the six sections in report_section order. Checked: RTF is
 * pure ASCII and TXT valid UTF-8. Files are built in memory only; should
 * fontconfig want to write a cache, XDG_CACHE_HOME points it to a
 * directory of its own under $TMPDIR (or /tmp). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "export/export.h"
#include "fuzz.h"

static char cache[512];

static void remove_cache(void)
{
    rmdir(cache); /* fails, leaving it in the temp dir, if fontconfig wrote there */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(cache, sizeof cache, "%s/raportai-fuzz-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(cache) == NULL || setenv("XDG_CACHE_HOME", cache, 1) != 0)
        abort();
    atexit(remove_cache);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fields in;
    fuzz_fields_cut(data, size, 17, &in);
    export_format f = EXPORT_TXT;
    (void)export_format_parse(in.f[0], &f);
    export_report r = {
        .exam_name = in.f[1],
        .sut_code = in.f[2],
        .modality = in.f[3],
        .patient_name = in.f[4],
        .patient_id = in.f[5],
        .accession = in.f[6],
        .date = in.f[7],
        .author = in.f[8],
        .organization = in.f[9],
        .language = in.f[10],
    };
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        r.sections[i] = in.f[11 + i];
    buf out;
    buf_init(&out, 64u * 1024 * 1024);
    char err[256];
    if (export_render(&r, f, &out, err, sizeof err) == RA_OK) {
        if (f == EXPORT_RTF)
            for (size_t i = 0; i < out.len; i++)
                if ((unsigned char)out.data[i] >= 0x80)
                    abort();
        if (f == EXPORT_TXT && !text_is_utf8(out.data ? out.data : "", out.len))
            abort();
    }
    buf_release(&out);
    fuzz_fields_release(&in);
    return 0;
}
