/* tools.c - `raportai transcribe FILE` and `raportai structure FILE`: one
 * engine run on one input, for debugging and for the benchmarks
 * (bench/quality.py).
 *
 *   transcribe  decodes an audio file (src/audio) and runs the local speech
 *               engine on it with the radiology model, built in DATA/asr as
 *               `serve` builds it at start (asr_model_build_shared), or with
 *               the files given, or with pocketsphinx's generic model; prints
 *               the transcript.
 *   structure   reads a transcript and runs the structuring engines on it
 *               as the job pipeline does (structuring/engine.h: the openai engine
 *               when --llm-url is given, handing over to the rules engine
 *               when it fails; the rules engine otherwise): with --exams,
 *               report_engine_split first; then, for each part, the
 *               template library's voice macros for that exam and
 *               report_engine_structure; prints the sections as text or
 *               JSON, with the engine that wrote them and the fact-check
 *               warnings.
 *
 * Output goes to stdout, and only on success. A refusal of the input prints
 * one sentence on stderr and exits 2; a failure of the machinery exits 1.
 * Nothing is written anywhere but the speech model files transcribe builds
 * in DATA/asr; structure opens a database only when --data names one. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asr/asr.h"
#include "asr/model.h"
#include "audio/audio.h"
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "structuring/engine.h"
#include "structuring/lang.h"
#include "structuring/macros.h"
#include "structuring/structure.h"
#include "templates/fill.h"
#include "templates/templates.h"

/* Prints "raportai CMD: <message>" on one line of stderr and returns
 * CLI_REFUSED. Control characters of the operator's input are shown
 * escaped, so a refusal is always exactly one line. */
__attribute__((format(printf, 2, 3))) static int refuse(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "raportai %s: ", cmd);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else
            fputc(*p, stderr);
    }
    fputc('\n', stderr);
    return CLI_REFUSED;
}

/* Prints why the machinery failed and returns CLI_FAILED. */
static int failed(const char *cmd, const char *what, int rc, const char *err)
{
    fprintf(stderr, "raportai %s: %s: %s\n", cmd, what, err && *err ? err : ra_strerror(rc));
    return CLI_FAILED;
}

/* The template library shipped in share (data/templates). */
static int load_library(const char *cmd, const char *share, tmpl_library **lib)
{
    char dir[4200], err[512] = "";
    snprintf(dir, sizeof dir, "%s/data/templates", share);
    int rc = tmpl_library_load(dir, lib, err, sizeof err);
    if (rc != RA_OK)
        failed(cmd, "template library", rc, err);
    return rc;
}

/* ==== transcribe ================================================================== */

enum { T_FILE, T_LANG, T_GENERIC, T_LM, T_DICT, T_ASR_MODEL, T_DATA, T_SHARE, T_N };

static const opt_spec transcribe_opts[T_N] = {
    {"file", NULL, NULL, "FILE", "the audio: WAV, MP3, M4A, OGG or WebM", 1},
    {"lang", NULL, "en", "LANG", "the language spoken (the local engine serves en)", 0},
    {"generic", NULL, NULL, NULL,
     "decode with pocketsphinx's generic English model instead (for comparisons)", 0},
    {"lm", "RAPORTAI_ASR_LM", NULL, "FILE",
     "language model (default: the radiology model, built in DATA/asr as serve builds it)", 0},
    {"dict", "RAPORTAI_ASR_DICT", NULL, "FILE", "the pronunciation dictionary of --lm", 0},
    {"asr-model", "RAPORTAI_ASR_MODEL_DIR", ASR_DEFAULT_MODEL_DIR, "DIR",
     "pocketsphinx English model folder (holds en-us/, its LM and dictionary)", 0},
    CLI_DATA_OPTS,
};

static const char transcribe_usage[] =
    "usage: raportai transcribe FILE [OPTIONS]\n\n"
    "Decodes FILE and prints what the local speech engine hears in it: spoken words\n"
    "(\"findings colon ...\", numbers as words) in sentences its pauses mark\n"
    "(\"Findings. There is ...\"). The radiology model is rebuilt in DATA/asr first, as\n"
    "`raportai serve` does at start.";

/* The engine of the options: generic, the given files, or the radiology
 * model built now. Prints the reason on failure. */
static int open_engine(const char **v, asr_engine **e)
{
    char err[512] = "";
    asr_model_files files = {.lm = ""};
    asr_local_config cfg = {.model_dir = v[T_ASR_MODEL]};
    if (v[T_LM] != NULL) {
        cfg.lm_path = v[T_LM];
        cfg.dict_path = v[T_DICT];
    } else if (v[T_GENERIC] == NULL) {
        char share[4096];
        tmpl_library *lib = NULL;
        cli_share_dir(v[T_SHARE], share, sizeof share);
        if (mkdir(v[T_DATA], 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "raportai transcribe: cannot create %s: %s\n", v[T_DATA],
                    strerror(errno));
            return RA_ERR_IO;
        }
        asr_background *bg = NULL;
        int rc = load_library("transcribe", share, &lib);
        if (rc == RA_OK) {
            bg = cli_load_background(v[T_ASR_MODEL]);
            asr_model_sources src;
            rc = asr_model_sources_shipped(share, v[T_ASR_MODEL], lib, bg, &src, err, sizeof err);
            if (rc == RA_OK)
                rc = asr_model_build_shared(&src, v[T_DATA], &files, NULL, err, sizeof err);
        }
        asr_background_free(bg);
        tmpl_library_free(lib);
        if (rc != RA_OK) {
            failed("transcribe", "speech model", rc, err);
            return rc;
        }
        cfg.lm_path = files.lm;
        cfg.dict_path = files.dict;
    }
    int rc = asr_local_new(&cfg, e, err, sizeof err);
    if (rc != RA_OK)
        failed("transcribe", "speech engine", rc, err);
    return rc;
}

/* Runs engine e on the audio file as it is decoded (never held whole) and
 * prints the transcript. */
static int print_transcript(asr_engine *e, const char *path, const char *lang)
{
    char *text = NULL, err[512] = "";
    audio_source src;
    audio_source_init(&src, path, ASR_MAX_SECONDS);
    asr_audio a = {audio_source_run, &src};
    int rc = asr_transcribe_audio(e, &a, lang, &text, err, sizeof err);
    if (src.rc == RA_ERR_IO || src.rc == RA_ERR_FORMAT || src.rc == RA_ERR_TOO_LARGE)
        return refuse("transcribe", "%s: %s", path, src.why);
    if (src.rc != RA_OK)
        return failed("transcribe", "audio", src.rc, src.why);
    if (rc == RA_ERR_TOO_LARGE)
        return refuse("transcribe", "the audio is longer than %d hours", ASR_MAX_SECONDS / 3600);
    if (rc != RA_OK)
        return failed("transcribe", "speech engine", rc, err);
    printf("%s\n", text);
    free(text);
    return CLI_OK;
}

int cli_transcribe(int argc, char **argv)
{
    const char *v[T_N];
    int help = 0;
    char err[512] = "";
    if (opts_parse(transcribe_opts, T_N, argc, argv, v, &help, err, sizeof err) != RA_OK)
        return refuse("transcribe", "%s", err);
    if (help) {
        opts_usage(stdout, transcribe_usage, transcribe_opts, T_N);
        return CLI_OK;
    }
    if (v[T_FILE] == NULL)
        return refuse("transcribe", "give the audio FILE to transcribe");
    if ((v[T_LM] == NULL) != (v[T_DICT] == NULL))
        return refuse("transcribe", "--lm and --dict go together: give both or neither");
    if (v[T_GENERIC] != NULL && v[T_LM] != NULL)
        return refuse("transcribe", "--generic uses the generic model: leave out --lm and --dict");
    /* The file is checked before the engine loads (as it used to be, when
     * it was decoded first): a bad file is refused at once. */
    audio_info info;
    int rc = audio_probe(v[T_FILE], &info, err, sizeof err);
    if (rc == RA_ERR_IO || rc == RA_ERR_FORMAT)
        return refuse("transcribe", "%s: %s", v[T_FILE], err);
    if (rc != RA_OK)
        return failed("transcribe", "audio", rc, err);
    asr_engine *e = NULL;
    int status = open_engine(v, &e) == RA_OK ? CLI_OK : CLI_FAILED;
    if (status == CLI_OK && !e->supports(e, v[T_LANG]))
        status = refuse("transcribe",
                        "no speech engine here serves '%s': the local engine is English (en) "
                        "only",
                        v[T_LANG]);
    if (status == CLI_OK)
        status = print_transcript(e, v[T_FILE], v[T_LANG]);
    if (e != NULL)
        e->free(e);
    return status;
}

/* ==== structure =================================================================== */

enum {
    S_FILE,
    S_LANG,
    S_EXAMS,
    S_JSON,
    S_ENGINE,
    S_LLM_URL,
    S_LLM_KEY,
    S_LLM_MODEL,
    S_LLM_TIMEOUT,
    S_LLM_ATTEMPTS,
    S_DATA,
    S_SHARE,
    S_N
};

static const opt_spec structure_opts[S_N] = {
    {"file", NULL, NULL, "FILE",
     "the transcript, UTF-8 text as dictated or typed ('-' reads standard input)", 1},
    {"lang", NULL, "tr", "LANG", "the dictation's language: tr, en, ru, az, fr or de", 0},
    {"exams", NULL, NULL, "LIST",
     "split the dictation between these exams first, in this order, comma-separated: SUT "
     "codes, or exam names, each optionally NAME:MODALITY:BODY_PART (\"Beyin BT:CT:brain\")",
     0},
    {"json", NULL, NULL, NULL, "print JSON instead of text", 0},
    {"engine", NULL, NULL, "NAME",
     "rules or openai (default: openai when --llm-url is given, else rules); openai hands "
     "over to rules when it fails, as in a job",
     0},
    {"llm-url", "RAPORTAI_LLM_URL", NULL, "URL",
     "OpenAI-compatible chat completions server of the openai engine (as serve's)", 0},
    {"llm-key", "RAPORTAI_LLM_KEY", NULL, "KEY", "its bearer key", 0},
    {"llm-model", "RAPORTAI_LLM_MODEL", NULL, "NAME", "the model it runs", 0},
    {"llm-timeout", "RAPORTAI_LLM_TIMEOUT_S", "60", "SECONDS", "time limit of one request", 0},
    {"llm-attempts", "RAPORTAI_LLM_ATTEMPTS", "3", "N", "attempts per request", 0},
    {"data", "RAPORTAI_DATA", NULL, "DIR",
     "look SUT codes up in this data directory's catalog (default: the shipped list)", 0},
    {"share", "RAPORTAI_SHARE", NULL, "DIR",
     "project files shipped with the binary: data/templates, data/sut (default: the "
     "folder above the binary's)",
     0},
};

static const char structure_usage[] =
    "usage: raportai structure FILE [OPTIONS]\n\n"
    "Runs the structuring engines on a transcript as a report job does: splits it between\n"
    "the --exams first, applies the template library's voice macros (\"makro normal\n"
    "beyin\") and prints each exam's sections (findings, conclusion, impression,\n"
    "technique, clinical information, comparison), which engine wrote them, and the\n"
    "facts of an openai report that its dictation lacks.";

/* Reads the whole file (or standard input for "-") into a new string;
 * refuses a file that cannot be read, is longer than a transcript may be
 * or is not UTF-8. */
static int read_transcript(const char *path, char **out)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (fp == NULL)
        return refuse("structure", "cannot read %s: %s", path, strerror(errno));
    buf b;
    buf_init(&b, REPORT_MAX_TRANSCRIPT_BYTES);
    char chunk[8192];
    size_t got;
    int rc = RA_OK;
    while (rc == RA_OK && (got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rc = buf_append(&b, chunk, got);
    int read_error = ferror(fp);
    if (fp != stdin)
        fclose(fp);
    int status = CLI_OK;
    if (rc == RA_ERR_TOO_LARGE)
        status = refuse("structure", "%s is longer than %u bytes, the most a transcript may be",
                        path, REPORT_MAX_TRANSCRIPT_BYTES);
    else if (rc != RA_OK)
        status = failed("structure", "reading the transcript", rc, NULL);
    else if (read_error)
        status = refuse("structure", "cannot read %s", path);
    else if (!text_is_utf8(buf_str(&b), b.len) || memchr(buf_str(&b), '\0', b.len) != NULL)
        status = refuse("structure", "%s is not UTF-8 text", path);
    if (status == CLI_OK && (*out = buf_detach(&b)) == NULL)
        status = failed("structure", "reading the transcript", RA_ERR_NOMEM, NULL);
    buf_release(&b);
    return status;
}

/* Refuses a language the rules engine has no tables for, naming those it has. */
static int check_lang(const char *lang)
{
    if (report_lang_normalize(lang) != NULL && report_lang_get(report_lang_normalize(lang)))
        return CLI_OK;
    char known[128] = "";
    size_t used = 0;
    for (size_t i = 0; i < report_lang_count() && used < sizeof known; i++)
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                                 report_lang_at(i)->code);
    return refuse("structure", "the rules engine does not read '%s' (it reads %s)", lang, known);
}

/* ---- the exams --------------------------------------------------------------------- */

/* Where SUT codes are looked up: a data directory's catalog, or the list
 * shipped in share (read once, on the first code). */
typedef struct code_source {
    const char *data_dir; /* NULL: the shipped list */
    const char *share;
    store *store;
    store_sut_row *rows;
    size_t n;
    int loaded;
} code_source;

static int find_code(code_source *src, const char *code, store_sut_row *out)
{
    char err[512] = "";
    if (src->data_dir != NULL && src->store == NULL) {
        struct stat sb;
        if (stat(src->data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
            return refuse("structure", "--data %s is not a data directory", src->data_dir);
        if (cli_open_store(src->data_dir, src->share, &src->store) != RA_OK)
            return CLI_FAILED;
    }
    if (src->store != NULL) {
        int rc = store_sut_get(src->store, code, out);
        if (rc == RA_ERR_NOT_FOUND)
            return refuse("structure", "SUT code %s is not in the catalog of %s", code,
                          src->data_dir);
        return rc == RA_OK ? CLI_OK : failed("structure", "catalog", rc, NULL);
    }
    if (!src->loaded) {
        int rc = catalog_load_known(src->share, &src->rows, &src->n, err, sizeof err);
        if (rc != RA_OK)
            return failed("structure", "shipped SUT list", rc, err);
        src->loaded = 1;
    }
    for (size_t i = 0; i < src->n; i++)
        if (strcmp(src->rows[i].code, code) == 0) {
            *out = src->rows[i];
            return CLI_OK;
        }
    return refuse("structure",
                  "SUT code %s is not in the shipped list (give --data DIR for a data "
                  "directory's catalog, or the exam's name)",
                  code);
}

/* True when value is one of the n strings of values. */
static int one_of(const char *value, const char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(value, values[i]) == 0)
            return 1;
    return 0;
}

/* An exam given by name: "NAME", "NAME:MODALITY" or "NAME:MODALITY:BODY_PART";
 * what is not given is inferred from the name as for a catalog row. */
static int exam_by_name(char *item, store_sut_row *out)
{
    char *modality = strchr(item, ':'), *body = NULL;
    if (modality != NULL) {
        *modality++ = '\0';
        body = strchr(modality, ':');
        if (body != NULL)
            *body++ = '\0';
    }
    if (*item == '\0' || strlen(item) >= sizeof out->name)
        return refuse("structure", "an exam in --exams has no name, or too long a name");
    if (modality && *modality && !one_of(modality, report_modality_values, REPORT_MODALITIES))
        return refuse("structure",
                      "'%s' is not a modality of the catalog (CT, MR, US, XR, MG, "
                      "NM, PT, DXA, XA, RF)",
                      modality);
    if (body && *body && !one_of(body, report_body_values, REPORT_BODY_PARTS))
        return refuse("structure",
                      "'%s' is not a body part of the catalog (brain, chest, "
                      "abdomen, lumbar_spine, ...)",
                      body);
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", item);
    const char *m = modality && *modality ? modality : catalog_infer_modality(item);
    const char *bp = body && *body ? body : catalog_infer_body_part(item);
    snprintf(out->modality, sizeof out->modality, "%s", m ? m : "");
    snprintf(out->body_part, sizeof out->body_part, "%s", bp ? bp : "");
    return CLI_OK;
}

/* Reads --exams into rows[0..*n). list is changed (cut at the commas). */
static int parse_exams(char *list, code_source *src, store_sut_row *rows, size_t *n)
{
    *n = 0;
    for (char *item = list, *next; item != NULL; item = next) {
        next = strchr(item, ',');
        if (next != NULL)
            *next++ = '\0';
        while (*item == ' ')
            item++;
        for (size_t len = strlen(item); len > 0 && item[len - 1] == ' '; len--)
            item[len - 1] = '\0';
        if (*n == REPORT_SPLIT_MAX_EXAMS)
            return refuse("structure", "--exams lists more than %d exams", REPORT_SPLIT_MAX_EXAMS);
        char code[STORE_SUT_CODE_MAX + 1];
        int status = catalog_normalize_code(item, code) == RA_OK ? find_code(src, code, &rows[*n])
                                                                 : exam_by_name(item, &rows[*n]);
        if (status != CLI_OK)
            return status;
        (*n)++;
    }
    return CLI_OK;
}

/* The structuring engine of the options (structuring/engine.h): none for the
 * rules engine. Refuses a bad choice or configuration. */
static int read_engine(const char **v, report_llm_config *llm)
{
    int64_t timeout = 0, attempts = 0;
    const char *engine = v[S_ENGINE];
    const char *url = v[S_LLM_URL] && v[S_LLM_URL][0] ? v[S_LLM_URL] : NULL;
    if (engine != NULL && strcmp(engine, "rules") != 0 && strcmp(engine, "openai") != 0)
        return refuse("structure", "--engine must be rules or openai");
    if (engine != NULL && strcmp(engine, "openai") == 0 && url == NULL)
        return refuse("structure", "--engine openai needs --llm-url (RAPORTAI_LLM_URL)");
    if (opts_int(v[S_LLM_TIMEOUT], 1, 3600, &timeout) != RA_OK)
        return refuse("structure", "--llm-timeout must be a whole number from 1 to 3600");
    if (opts_int(v[S_LLM_ATTEMPTS], 1, 10, &attempts) != RA_OK)
        return refuse("structure", "--llm-attempts must be a whole number from 1 to 10");
    *llm = (report_llm_config){
        .url = engine != NULL && strcmp(engine, "rules") == 0 ? NULL : url,
        .key = v[S_LLM_KEY] && v[S_LLM_KEY][0] ? v[S_LLM_KEY] : NULL,
        .model = v[S_LLM_MODEL],
        .timeout_ms = timeout * 1000,
        .attempts = (int)attempts,
    };
    char err[512] = "";
    if (report_llm_configured(llm) && report_llm_check(llm, err, sizeof err) != RA_OK)
        return refuse("structure", "%s", err);
    return CLI_OK;
}

/* ---- structuring --------------------------------------------------------------------- */

/* One exam's result (or the whole dictation's, without --exams). */
typedef struct exam_out {
    const store_sut_row *row;     /* NULL without --exams */
    char *part;                   /* the exam's part of the transcript (owned) */
    report_split_outcome outcome; /* what the split found for it */
    report_engine_result r;       /* all zero for a blank part (nothing structured), but the
                                     error of an exam the split failed */
} exam_out;

/* What the engines work with. */
typedef struct structuring {
    const report_llm_config *llm;
    const char *lang;
    const tmpl_library *lib;
    report_macro_builtins *builtins; /* the library's built-in macros (NULL: none) */
    report_macro_set *macros;        /* NULL: a language without voice macros */
} structuring;

/* Structures one part as the pipeline does: the library's macros for the
 * exam's template, then report_engine_structure. A blank part is left
 * unstructured. */
static int structure_part(const structuring *st, exam_out *x)
{
    memset(&x->r, 0, sizeof x->r);
    if (strspn(x->part, " \t\r\n") == strlen(x->part))
        return RA_OK;
    const store_sut_row *row = x->row;
    const tmpl *matched =
        row ? tmpl_library_match(st->lib, row->modality, row->body_part, st->lang) : NULL;
    report_macros_use_builtins(st->macros, st->builtins, matched, st->lang);
    report_engine_input in = {
        .transcript = x->part,
        .input_lang = st->lang,
        .output_lang = st->lang,
        .macros = st->macros,
        .exam_name = row && row->name[0] ? row->name : NULL,
        .modality = row && row->modality[0] ? row->modality : NULL,
        .log_ref = "structure",
    };
    return report_engine_structure(st->llm, &in, NULL, &x->r);
}

/* Splits (when there are exams) and structures every part into out[0..n),
 * as the pipeline does (an exam the split found nothing for, or was unsure
 * of, gets its error instead; a report speaking of another exam's anatomy
 * a warning); *split_by names the engine that split. */
static int run_engines(const structuring *st, const char *text, const store_sut_row *rows, size_t n,
                       exam_out *out, const char **split_by)
{
    report_exam_hint hints[REPORT_SPLIT_MAX_EXAMS];
    char *parts[REPORT_SPLIT_MAX_EXAMS] = {0};
    report_split_outcome outcomes[REPORT_SPLIT_MAX_EXAMS];
    for (size_t i = 0; i < n; i++) {
        const tmpl *t = tmpl_library_match(st->lib, rows[i].modality, rows[i].body_part, st->lang);
        out[i].row = &rows[i];
        hints[i] = (report_exam_hint){
            .exam_name = rows[i].name[0] ? rows[i].name : NULL,
            .modality = rows[i].modality[0] ? rows[i].modality : NULL,
            .body_part = rows[i].body_part[0] ? rows[i].body_part : NULL,
            .template_name = t != NULL ? t->name : NULL,
        };
    }
    int rc = n > 0 ? report_engine_split(st->llm, text, st->lang, hints, n, NULL, "structure",
                                         parts, outcomes, split_by)
                   : RA_OK;
    if (n == 0) {
        out[0].part = strdup(text);
        rc = out[0].part ? RA_OK : RA_ERR_NOMEM;
    }
    for (size_t i = 0; rc == RA_OK && i < n; i++) {
        out[i].part = parts[i];
        out[i].outcome = outcomes[i];
    }
    for (size_t i = 0; rc == RA_OK && i < (n ? n : 1); i++) {
        const char *failure =
            n > 0 ? report_split_failure(out[i].outcome, &out[i].r.error_message) : NULL;
        if (failure != NULL) {
            out[i].r.error_code = failure;
            continue;
        }
        rc = structure_part(st, &out[i]);
        if (rc == RA_OK && n > 0 && out[i].r.error_code == NULL)
            rc = report_engine_warn_other_exams(&out[i].r, st->lang, hints, n, i);
    }
    return rc;
}

/* ---- printing ---------------------------------------------------------------------- */

/* Appends s as a JSON string (quotes included). s is valid UTF-8. */
static int put_json_text(buf *b, const char *s)
{
    int rc = buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; rc == RA_OK && *p; p++) {
        if (*p == '"' || *p == '\\')
            rc = buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            rc = buf_puts(b, "\\n");
        else if (*p < 0x20 || *p == 0x7f)
            rc = buf_printf(b, "\\u%04x", *p);
        else
            rc = buf_putc(b, (char)*p);
    }
    return rc == RA_OK ? buf_putc(b, '"') : rc;
}

/* Appends `, "key": "text"` (without the comma when first); NULL text is
 * null. */
static int put_json_field(buf *b, int first, const char *key, const char *text)
{
    int rc = buf_printf(b, "%s\"%s\": ", first ? "" : ", ", key);
    if (rc == RA_OK)
        rc = text ? put_json_text(b, text) : buf_puts(b, "null");
    return rc;
}

/* Appends {"findings": "...", ...} with the sections that have text. */
static int put_json_sections(buf *b, const report_sections *sec)
{
    int rc = buf_putc(b, '{');
    for (int k = 0, first = 1; rc == RA_OK && k < REPORT_SEC_COUNT; k++) {
        if (sec->text[k] == NULL)
            continue;
        rc = put_json_field(b, first, report_section_key(k), sec->text[k]);
        first = 0;
    }
    return rc == RA_OK ? buf_putc(b, '}') : rc;
}

/* Appends [{"code": ..., "section": ..., "text": ...}, ...]. */
static int put_json_warnings(buf *b, const report_warnings *w)
{
    int rc = buf_putc(b, '[');
    for (size_t i = 0; rc == RA_OK && i < w->n; i++) {
        rc = buf_puts(b, i ? ", {" : "{");
        if (rc == RA_OK)
            rc = put_json_field(b, 1, "code", w->item[i].code);
        if (rc == RA_OK)
            rc = put_json_field(b, 0, "section", report_section_key(w->item[i].section));
        if (rc == RA_OK)
            rc = put_json_field(b, 0, "text", w->item[i].text);
        if (rc == RA_OK)
            rc = buf_putc(b, '}');
    }
    return rc == RA_OK ? buf_putc(b, ']') : rc;
}

/* Appends `"engine": ..., "sections": {...}, "warnings": [...]` and, when
 * the part failed, `, "error": {"code": ..., "message": ...}`. */
static int put_json_result(buf *b, const report_engine_result *r)
{
    int rc = put_json_field(b, 1, "engine", r->structured_by);
    if (rc == RA_OK)
        rc = buf_puts(b, ", \"sections\": ");
    if (rc == RA_OK)
        rc = put_json_sections(b, &r->sections);
    if (rc == RA_OK)
        rc = buf_puts(b, ", \"warnings\": ");
    if (rc == RA_OK)
        rc = put_json_warnings(b, &r->warnings);
    if (rc == RA_OK && r->error_code != NULL) {
        rc = buf_puts(b, ", \"error\": {");
        if (rc == RA_OK)
            rc = put_json_field(b, 1, "code", r->error_code);
        if (rc == RA_OK)
            rc = put_json_field(b, 0, "message", r->error_message);
        if (rc == RA_OK)
            rc = buf_putc(b, '}');
    }
    return rc;
}

/* Appends one exam's object. */
static int put_json_exam(buf *b, const exam_out *x)
{
    const store_sut_row *row = x->row;
    int rc = put_json_field(b, 1, "exam", row->name);
    if (rc == RA_OK)
        rc = put_json_field(b, 0, "code", row->code);
    if (rc == RA_OK)
        rc = put_json_field(b, 0, "modality", row->modality);
    if (rc == RA_OK)
        rc = put_json_field(b, 0, "bodyPart", row->body_part);
    if (rc == RA_OK)
        rc = put_json_field(b, 0, "part", x->part);
    if (rc == RA_OK)
        rc = buf_puts(b, ", ");
    return rc == RA_OK ? put_json_result(b, &x->r) : rc;
}

static int put_json(buf *b, const char *lang, const char *split_by, const exam_out *x, size_t n)
{
    int rc = buf_printf(b, "{\"language\": \"%s\", ", lang);
    if (rc == RA_OK && n == 0)
        rc = put_json_result(b, &x[0].r);
    else if (rc == RA_OK)
        rc = put_json_field(b, 1, "splitBy", split_by);
    if (rc == RA_OK && n > 0)
        rc = buf_puts(b, ", \"exams\": [");
    for (size_t i = 0; rc == RA_OK && i < n; i++) {
        rc = buf_puts(b, i ? ", {" : "{");
        if (rc == RA_OK)
            rc = put_json_exam(b, &x[i]);
        if (rc == RA_OK)
            rc = buf_putc(b, '}');
    }
    if (rc == RA_OK && n > 0)
        rc = buf_putc(b, ']');
    return rc == RA_OK ? buf_puts(b, "}\n") : rc;
}

/* The plain report of one part, its warnings or its failure; for an exam,
 * under a line naming it, the engine and its part of the transcript. */
static int put_text(buf *b, const char *lang, const exam_out *x, size_t i)
{
    const report_engine_result *r = &x->r;
    char *report = NULL;
    int rc = report_render_text(&r->sections, lang, &report);
    if (rc == RA_OK && x->row != NULL)
        rc = buf_printf(b, "%s== %zu. %s (%s, %s)%s%s ==\nPART: %s\n\n", i ? "\n" : "", i + 1,
                        x->row->name[0] ? x->row->name : x->row->code,
                        x->row->modality[0] ? x->row->modality : "?",
                        x->row->body_part[0] ? x->row->body_part : "?",
                        r->structured_by ? ", structured by " : "",
                        r->structured_by ? r->structured_by : "", x->part);
    if (rc == RA_OK && r->error_code != NULL)
        rc = buf_printf(b, "(not structured: %s: %s)\n", r->error_code, r->error_message);
    else if (rc == RA_OK)
        rc = buf_printf(b, "%s\n", report[0] ? report : "(no report text)");
    for (size_t k = 0; rc == RA_OK && k < r->warnings.n; k++)
        rc = buf_printf(b, "WARNING %s in %s: %s\n", r->warnings.item[k].code,
                        report_section_key(r->warnings.item[k].section), r->warnings.item[k].text);
    free(report);
    return rc;
}

static int print_result(int json, const char *lang, const char *split_by, const exam_out *x,
                        size_t n)
{
    buf b;
    buf_init(&b, REPORT_MAX_OUTPUT_BYTES);
    int rc = json ? put_json(&b, lang, split_by, x, n) : RA_OK;
    for (size_t i = 0; !json && rc == RA_OK && i < (n ? n : 1); i++)
        rc = put_text(&b, lang, &x[i], i);
    if (rc == RA_OK)
        fwrite(b.data, 1, b.len, stdout);
    buf_release(&b);
    return rc == RA_OK ? CLI_OK : failed("structure", "printing", rc, NULL);
}

/* Runs the engines on text for the exams and prints the result. */
static int structure_and_print(const char **v, const report_llm_config *llm,
                               const tmpl_library *lib, const char *text, const store_sut_row *rows,
                               size_t n)
{
    structuring st = {.llm = llm, .lang = report_lang_normalize(v[S_LANG]), .lib = lib};
    if (report_macros_new(st.lang, &st.macros) != RA_OK)
        st.macros = NULL; /* a language without a macro word */
    if (st.macros != NULL && lib != NULL && report_macro_builtins_new(lib, &st.builtins) != RA_OK) {
        report_macros_free(st.macros);
        return failed("structure", "the template library's voice macros", RA_ERR_NOMEM, NULL);
    }
    exam_out out[REPORT_SPLIT_MAX_EXAMS];
    memset(out, 0, sizeof out);
    const char *split_by = NULL;
    int status = CLI_OK;
    int rc = run_engines(&st, text, rows, n, out, &split_by);
    if (rc == RA_ERR_INVALID || rc == RA_ERR_TOO_LARGE)
        status =
            refuse("structure", "the rules engine refused the transcript (%s)", ra_strerror(rc));
    else if (rc != RA_OK)
        status = failed("structure", "structuring", rc, NULL);
    if (status == CLI_OK)
        status = print_result(v[S_JSON] != NULL, st.lang, split_by, out, n);
    for (size_t i = 0; i < (n ? n : 1); i++) {
        free(out[i].part);
        report_engine_result_release(&out[i].r);
    }
    report_macros_free(st.macros);
    report_macro_builtins_free(st.builtins);
    return status;
}

/* Everything after the options are checked: the input, the exams, the
 * library, the engines and the output. */
static int structure_run(const char **v, const report_llm_config *llm, char *exams)
{
    char share[4096];
    cli_share_dir(v[S_SHARE], share, sizeof share);
    char *text = NULL;
    int status = read_transcript(v[S_FILE], &text);
    code_source src = {.data_dir = v[S_DATA], .share = share};
    static store_sut_row rows[REPORT_SPLIT_MAX_EXAMS];
    size_t n = 0;
    if (status == CLI_OK && exams != NULL)
        status = parse_exams(exams, &src, rows, &n);
    tmpl_library *lib = NULL;
    if (status == CLI_OK && load_library("structure", share, &lib) != RA_OK)
        status = CLI_FAILED;
    if (status == CLI_OK)
        status = structure_and_print(v, llm, lib, text, rows, n);
    tmpl_library_free(lib);
    free(src.rows);
    store_close(src.store);
    free(text);
    return status;
}

int cli_structure(int argc, char **argv)
{
    const char *v[S_N];
    int help = 0;
    char err[512] = "";
    if (opts_parse(structure_opts, S_N, argc, argv, v, &help, err, sizeof err) != RA_OK)
        return refuse("structure", "%s", err);
    if (help) {
        opts_usage(stdout, structure_usage, structure_opts, S_N);
        return CLI_OK;
    }
    if (v[S_FILE] == NULL)
        return refuse("structure", "give the transcript FILE to structure ('-' for standard "
                                   "input)");
    report_llm_config llm;
    if (check_lang(v[S_LANG]) != CLI_OK || read_engine(v, &llm) != CLI_OK)
        return CLI_REFUSED;
    if (v[S_EXAMS] != NULL && strspn(v[S_EXAMS], " ,") == strlen(v[S_EXAMS]))
        return refuse("structure", "--exams lists no exam");
    char *exams = v[S_EXAMS] ? strdup(v[S_EXAMS]) : NULL;
    if (v[S_EXAMS] != NULL && exams == NULL)
        return failed("structure", "options", RA_ERR_NOMEM, NULL);
    int status = structure_run(v, &llm, exams);
    free(exams);
    return status;
}
