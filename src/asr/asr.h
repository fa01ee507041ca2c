/* asr.h - speech recognition: the engine interface, the local pocketsphinx
 * engine, the OpenAI-compatible engine that posts audio to the hospital's
 * own speech servers (over httpc/httpc.h: its configuration, cutting long
 * audio at pauses, the vocabulary prompt), and the radiology language model
 * and dictionary the project builds itself. Owns every pocketsphinx/sphinxbase call (ps_*,
 * cmd_ln_*, and sphinxbase's err_*, fe_*, cmn_*, ckd_*) and every espeak-ng call (espeak_*) in the
 * program.
 *
 * Text conventions. Every sentence this module writes into a language
 * model, and every word a decoder knows, is in "spoken form": lowercase
 * ASCII words separated by single spaces, numbers spelled out ("twelve by
 * eight millimeters"), written punctuation turned into the words
 * radiologists say ("period", "comma", "colon", "semicolon", "question
 * mark"), letter-digit abbreviations kept as one word ("t2", "l4", "c5"),
 * "bi-rads" written "birads". asr_normalize turns written text into this
 * form; applying it twice changes nothing.
 *
 * A transcript of the local engine is those words written as sentences
 * (asr_sentences): where the speaker paused long enough a sentence ends
 * with "." and the next word starts with a capital, the first word has a
 * capital, the last sentence ends with ".", and unambiguous abbreviations
 * are in capitals ("CT", "MRI", "FLAIR", "L4", "S1"): "Chest CT with
 * contrast. Findings. There is a five millimeter nodule at L4." Nothing
 * else is written: numbers stay words, and dictated punctuation and layout
 * stay words ("clear period the heart"), with no mark added next to them;
 * lowercasing a transcript and removing its '.' gives spoken form back
 * (asr_normalize would instead turn each '.' into "period").
 *
 * Errors: functions return RA_OK or a negative RA_ERR_* (core/err.h);
 * outputs are written only on success; an err buffer (may be NULL, errlen 0)
 * receives one operator sentence on failure. No message ever contains
 * transcript text.
 *
 * Logging: pocketsphinx and sphinxbase print nothing; their errors go to our
 * log at debug level (never their informational lines, which can contain
 * recognised words).
 *
 * THREAD SAFETY: an engine is NOT thread-safe; create one per worker thread
 * (engines on different threads run fully in parallel). asr_local_new and
 * asr_openai_new may be called from any thread. asr_dict_build and asr_g2p serialise their use of
 * espeak-ng with an internal lock, so they may be called from any thread;
 * espeak-ng is started on first use and stays loaded (about 2 MB and one
 * idle thread of its own) until the process exits, because this version
 * cannot be stopped and started again. Everything else is reentrant. */
#ifndef RAPORTAI_ASR_ASR_H
#define RAPORTAI_ASR_ASR_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/lang.h"
#include "templates/templates.h"

#define ASR_SAMPLE_RATE 16000 /* engines take 16 kHz mono signed 16-bit PCM */
#define ASR_DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#define ASR_DEFAULT_BASE_DICT ASR_DEFAULT_MODEL_DIR "/cmudict-en-us.dict"
#define ASR_DEFAULT_LEXICON "data/asr/lexicon-en.txt"   /* relative to the repository */
#define ASR_DEFAULT_PHRASES "data/asr/radiology-en.txt" /* relative to the repository */
#define ASR_MAX_SECONDS (4 * 60 * 60)                   /* longest audio transcribe accepts */

/* ---- engines ------------------------------------------------------------ */

typedef struct asr_engine asr_engine;
typedef struct asr_context asr_context;

/* Receives audio: n samples of 16 kHz mono s16 PCM, valid only during the
 * call. RA_OK to go on; anything else stops the audio's run, which returns
 * it. The same shape as audio/audio.h's audio_sink, so a decoder can feed
 * an engine directly. */
typedef int (*asr_pcm_sink)(const int16_t *pcm, size_t n, void *sink_ctx);

/* Audio an engine reads as it is decoded, so that it never has to be held
 * whole (a job's file: see jobs/pipeline.c). run hands every sample, in
 * order and in chunks of any size, to sink, and returns RA_OK at the end,
 * the sink's own result when the sink stopped it, or a negative RA_ERR_* of
 * its own (which it explains itself: the engine adds nothing). Each call
 * plays the audio from its start, the same samples each time: the local
 * engine runs it twice. */
typedef struct asr_audio {
    int (*run)(void *ctx, asr_pcm_sink sink, void *sink_ctx);
    void *ctx;
} asr_audio;

/* A speech backend: a struct of function pointers. Backends embed it as the
 * first member of their own struct. All fields are read-only for callers. */
struct asr_engine {
    const char *name; /* "local" or "openai"; static string */
    /* True (1) when the engine can transcribe lang ("en"; a BCP 47 tag, only
     * the primary subtag is looked at, case-insensitively); 0 otherwise. */
    int (*supports)(asr_engine *e, const char *lang);
    /* Transcribes n samples of 16 kHz mono s16 PCM spoken in lang. On RA_OK
     * *text is a new allocation (caller frees): from the local engine,
     * spoken-form words in sentences marked by the speaker's pauses (see
     * "Text conventions" above); from the openai engine, written text as
     * the server returns it (punctuation, digits, capitals); silence gives
     * "". RA_ERR_INVALID for an unsupported
     * language, RA_ERR_TOO_LARGE over ASR_MAX_SECONDS, RA_ERR_IO when the
     * decoder fails, RA_ERR_UNAVAILABLE when a remote engine stays
     * unreachable or answers unusably (err says how, for the operator),
     * RA_ERR_CANCELLED when cancelled through the context, RA_ERR_NOMEM. */
    int (*transcribe)(asr_engine *e, const int16_t *pcm, size_t n, const char *lang, char **text,
                      char *err, size_t errlen);
    /* Optional (NULL: use asr_transcribe_audio, which gathers the audio
     * for transcribe): as transcribe, reading the audio from a as it is
     * decoded, so memory does not grow with its length; the same text as
     * transcribe of the same samples. RA_ERR_TOO_LARGE over
     * ASR_MAX_SECONDS, and the audio's own failures as a->run returns
     * them. */
    int (*transcribe_audio)(asr_engine *e, const asr_audio *a, const char *lang, char **text,
                            char *err, size_t errlen);
    /* Frees the engine and everything it holds; NULL is ignored. */
    void (*free)(asr_engine *e);
    /* Optional (NULL when the engine takes no context, as the local engine):
     * sets the context of the transcriptions that follow, until the next
     * call; ctx NULL clears it. Strings are copied. RA_ERR_NOMEM only (the
     * context is then cleared). */
    int (*set_context)(asr_engine *e, const asr_context *ctx);
};

/* What an engine may use besides the audio; see set_context. */
struct asr_context {
    /* Words the dictation is likely to use, in its language, as written
     * text (exam names, template headings, normal findings): the OpenAI
     * engine sends it as `prompt`, the vocabulary hint Whisper-style
     * servers take. NULL: none. At most ASR_PROMPT_MAX_BYTES are used. */
    const char *prompt;
    /* When it becomes non-zero, a transcription in progress gives up with
     * RA_ERR_CANCELLED (between requests, or during one); NULL: never. */
    const atomic_int *cancel;
};

/* Transcribes the audio a with e: through e->transcribe_audio when the
 * engine has it, otherwise by gathering the audio (at most ASR_MAX_SECONDS)
 * and calling e->transcribe. Results and errors as those. */
int asr_transcribe_audio(asr_engine *e, const asr_audio *a, const char *lang, char **text,
                         char *err, size_t errlen);

typedef struct asr_local_config {
    const char *model_dir; /* NULL = ASR_DEFAULT_MODEL_DIR; holds en-us/ (acoustic model) */
    const char *lm_path;   /* ARPA or .lm.bin; NULL = model_dir/en-us.lm.bin (generic) */
    const char *dict_path; /* NULL = model_dir/cmudict-en-us.dict (generic) */
    double lm_weight;      /* 0 = 6.5 with the generic LM, 10 with lm_path (measured) */
    int one_utterance;     /* 1 = decode the audio as one utterance (for benchmarks) */
    /* pocketsphinx options ("-beam 1e-60 -wip 0.2"), which override the
     * engine's own (for tuning: bench/wer_voices.py); NULL: none. */
    const char *options;
} asr_local_config;

/* Creates the local (pocketsphinx) engine, English only. cfg may be NULL for
 * all defaults (a zeroed struct means the same); its strings are copied.
 * Audio is fed to the decoder in chunks and cut into utterances at the
 * pauses pocketsphinx's voice activity detector finds (one_utterance: not
 * cut); the word segments of all utterances, placed in time, make the
 * transcript (asr_sentences). Each transcription starts from the same
 * decoder state, so it does not depend on earlier ones. RA_ERR_NOT_FOUND when a model file is
 * missing, RA_ERR_IO when pocketsphinx refuses the model (a malformed LM or dictionary),
 * RA_ERR_NOMEM. With the generic LM an engine loads in about 0.35 s and
 * the process holds about 110 MB; with a radiology LM, 0.02 s and 18 MB.
 * Decoding runs at about 0.08 x real time with a radiology LM and 0.35 x
 * with the generic one (bench/wer.py). */
int asr_local_new(const asr_local_config *cfg, asr_engine **out, char *err, size_t errlen);

/* Models besides its own that one local engine keeps loaded. */
#define ASR_LOCAL_MODELS_MAX 4

/* Selects the model the local engine e decodes with from now on: the
 * language model lm_path and dictionary dict_path (built like the radiology
 * model, asr_domain_build), or with both NULL the model e was created with.
 * The paths are copied. Models stay loaded (as pocketsphinx searches of the
 * engine's decoder), keyed by lm_path, up to ASR_LOCAL_MODELS_MAX besides
 * the engine's own; the least recently selected one is dropped for a new
 * one. Selecting a loaded model costs a dictionary reload (a few ms at
 * radiology sizes) or nothing when it is already selected; a model whose
 * files were replaced since they were loaded (another inode, size or time)
 * is loaded again. A selected model decodes only with its own dictionary
 * and LM: nothing of another model's vocabulary can appear in a
 * transcript. The language weight stays the engine's. Errors:
 * RA_ERR_INVALID when e is not the local engine (nothing changes) or only
 * one path is given; RA_ERR_NOT_FOUND when a file is missing; RA_ERR_IO
 * when pocketsphinx refuses a file; RA_ERR_NOMEM. After any failure the
 * engine decodes with its own model. */
int asr_local_use_model(asr_engine *e, const char *lm_path, const char *dict_path, char *err,
                        size_t errlen);
/* How many models besides its own the local engine e holds loaded (0 for
 * another engine); for tests and figures. */
int asr_local_models_loaded(asr_engine *e);

/* ---- sentences from pauses ---------------------------------------------- */

#define ASR_SEG_WORD 64 /* bytes of a segment's word, its NUL included */

/* One segment of a decode: a word or a filler, with its time in the audio. */
typedef struct asr_seg {
    /* The decoder's spelling: a word in spoken form ("nodule", "l4"),
     * possibly with a variant mark ("nodule(2)"), or a filler, which is not
     * a word: "<sil>", "<s>", "</s>", "[NOISE]", "++BREATH++". */
    char word[ASR_SEG_WORD];
    long start_ms; /* from the start of the audio */
    long end_ms;   /* exclusive: the segment lasts end_ms - start_ms */
    int utt;       /* the utterance it belongs to; the voice activity detector
                      closed an utterance between two segments whose numbers
                      differ (a pause of at least its post-speech time) */
} asr_seg;

/* The decode of the local engine e as segments (for benchmarks and tests):
 * *segs (caller frees) holds *nsegs segments of every utterance in time
 * order, fillers included; what transcribe returns is asr_sentences of them.
 * Errors as transcribe, and RA_ERR_INVALID when e is not the local engine. */
int asr_local_segments(asr_engine *e, const int16_t *pcm, size_t n, const char *lang,
                       asr_seg **segs, size_t *nsegs, char *err, size_t errlen);

/* The shortest pause, in ms, that ends a sentence in the audio of segs[0..n)
 * (see sentences.c for how it follows the speaker's rate). Pure. */
long asr_sentence_pause_ms(const asr_seg *segs, size_t n);

/* The transcript of segs[0..n) (time order): the words joined by single
 * spaces, in spoken form, with a sentence end (". " and a capital next)
 * wherever the pause between two words reaches asr_sentence_pause_ms or
 * the utterance changes, except after a word no English sentence ends with
 * ("the", "of", "measuring", ...) and next to spoken punctuation or layout
 * ("period", "comma", "new line", ...; "colon" only before the pause),
 * which stays as words. The first word is capitalised, unambiguous
 * abbreviations are written in capitals ("CT", "MRI", "FLAIR", "L4"), and
 * the last sentence ends with "." under the same rules. Fillers are not
 * words; their time is pause. Variant marks ("(2)") are dropped. *out is a
 * new allocation (caller frees), "" without words. RA_ERR_NOMEM only. */
int asr_sentences(const asr_seg *segs, size_t n, char **out);

/* ---- text --------------------------------------------------------------- */

/* Turns written or dictated text into spoken form (see the top of this
 * file): lowercase; numbers to words ("12" -> "twelve", "3.5" -> "three
 * point five", "12x8" -> "twelve by eight", "1st" -> "first"); "mm", "cm",
 * "ml" after a number to "millimeters", "centimeters", "milliliters"; "%" ->
 * "percent"; sentence punctuation to spoken words; hyphens, slashes and
 * brackets to spaces; "{{PLACEHOLDER}}" removed; accents removed from
 * non-ASCII letters (text_fold). *out is a new allocation (caller frees),
 * possibly "". RA_ERR_NOMEM only. */
int asr_normalize(const char *text, char **out);

/* Plain text from a template body: format "txt" (copied), "rtf" (control
 * words, destinations and braces removed, \par and \line to newlines, \'hh
 * and \uN escapes decoded to UTF-8) or "html" (tags, comments, scripts and
 * styles removed, <br>, </p>, </div>, </li> and headings to newlines,
 * common entities decoded). *out is a new allocation (caller frees).
 * RA_ERR_INVALID for another format, RA_ERR_NOMEM. */
int asr_text_from_markup(const char *content, const char *format, char **out);

/* ---- corpus ------------------------------------------------------------- */

/* A list of sentences in spoken form for building a language model. A
 * "sentence" is one unit the model sees between <s> and </s>: a line of a
 * phrase file (often a whole short dictation) or a line of a template. */
typedef struct asr_corpus asr_corpus;

/* RA_ERR_NOMEM only. Free with asr_corpus_free. */
int asr_corpus_new(asr_corpus **out);
/* Frees the corpus and its sentences; NULL is ignored. */
void asr_corpus_free(asr_corpus *c);
/* Adds text in format ("txt", "rtf", "html"): markup removed, then every
 * non-blank line normalised and added as one sentence (lines that normalise
 * to nothing are skipped). RA_ERR_INVALID (unknown format), RA_ERR_NOMEM;
 * sentences added before a failure stay. */
int asr_corpus_add_text(asr_corpus *c, const char *content, const char *format);
/* Adds a UTF-8 text file, one sentence per line; blank lines and lines
 * starting with '#' are skipped. RA_ERR_IO (unreadable), RA_ERR_NOMEM. */
int asr_corpus_add_file(asr_corpus *c, const char *path, char *err, size_t errlen);
/* Adds every English ("en") template of lib, as asr_corpus_add_text does.
 * RA_ERR_NOMEM only. */
int asr_corpus_add_templates(asr_corpus *c, const tmpl_library *lib);
/* The shared radiology corpus every model starts from: the phrases file
 * (skipped, and *phrases_missing set, when it cannot be read) and lib's
 * English templates (lib may be NULL). */
int asr_corpus_add_base(asr_corpus *c, const char *phrases, const tmpl_library *lib,
                        int *phrases_missing, char *err, size_t errlen);
size_t asr_corpus_count(const asr_corpus *c);
/* The sentences, in the order added; valid until the next add or free. */
const char *const *asr_corpus_sentences(const asr_corpus *c);

/* ---- language model ----------------------------------------------------- */

#define ASR_BACKGROUND_FILE "en-us.lm.bin" /* the generic model, in the model folder */
#define ASR_BACKGROUND_WORDS 20000         /* its most frequent words kept */
#define ASR_BACKGROUND_MASS 0.02           /* of the unigram probability they receive */

/* Everyday English for the radiology model: the most frequent words of a
 * generic model, with their unigram probabilities renormalised to sum to one
 * over the words kept, and the share (mass) of the radiology model's unigram
 * probability they receive. The arrays and strings belong to the struct. */
typedef struct asr_background {
    char **words;  /* n words, most frequent first */
    double *probs; /* their probabilities, summing to one */
    size_t n;
    double mass; /* in (0, 1) */
} asr_background;

/* Reads the max_words most frequent unigrams (lower-case words, apostrophes
 * inside) of generic_lm (ARPA or sphinx binary, e.g. ASR_DEFAULT_MODEL_DIR
 * "/" ASR_BACKGROUND_FILE) into a new *out, to receive mass. RA_ERR_INVALID
 * for max_words 0 or a mass outside (0, 1); RA_ERR_IO for an unreadable
 * model, RA_ERR_FORMAT for one without words, RA_ERR_NOMEM. */
int asr_background_load(const char *generic_lm, size_t max_words, double mass, asr_background **out,
                        char *err, size_t errlen);
/* NULL is ignored. */
void asr_background_free(asr_background *bg);

typedef struct asr_lm_stats {
    size_t sentences;      /* non-empty sentences used */
    size_t tokens;         /* words, without <s> and </s> */
    size_t vocabulary;     /* distinct words, without <s> and </s> */
    size_t background;     /* of them, words the corpus lacks, from the background */
    size_t ngrams[3];      /* unigrams (with <s>, </s>), bigrams, trigrams written */
    double discount[3][3]; /* [order-1][D1, D2, D3+] of modified Kneser-Ney */
} asr_lm_stats;

/* Estimates a trigram model with interpolated modified Kneser-Ney
 * smoothing (Chen and Goodman) from the n sentences (each normalised first,
 * so written text is accepted) and writes it as an ARPA file at arpa_path
 * (replaced atomically). Sentences are bracketed by <s> and </s>; the
 * vocabulary is closed (the words seen). Backoff weights make every
 * history's distribution sum to one. RA_ERR_INVALID when no sentence has a
 * word, RA_ERR_IO when the file cannot be written, RA_ERR_NOMEM. */
int asr_lm_build(const char *const *sentences, size_t n, const char *arpa_path, char *err,
                 size_t errlen);
/* As asr_lm_build, mixing the background bg (may be NULL) into the
 * unigrams: each word's unigram probability becomes (1 - mass) times the
 * corpus estimate plus mass times its background probability, before the
 * bigrams and trigrams interpolate with it; background words the corpus
 * lacks join the vocabulary as unigrams. stats (may be NULL) receives
 * counts on success. */
int asr_lm_build_stats(const char *const *sentences, size_t n, const asr_background *bg,
                       const char *arpa_path, asr_lm_stats *stats, char *err, size_t errlen);

/* The distinct words of the n sentences after normalisation and of bg (may
 * be NULL), sorted by strcmp (the LM's vocabulary without <s> and </s>).
 * *words is an array of *nwords new strings; free it with asr_words_free.
 * RA_ERR_NOMEM only. */
int asr_lm_vocabulary(const char *const *sentences, size_t n, const asr_background *bg,
                      char ***words, size_t *nwords);
/* Frees an array from asr_lm_vocabulary; NULL is ignored. */
void asr_words_free(char **words, size_t n);

/* ---- pronunciation dictionary ------------------------------------------ */

typedef struct asr_dict_stats {
    size_t words;   /* distinct words asked for */
    size_t lexicon; /* pronounced from our lexicon (it wins over cmudict) */
    size_t cmudict; /* from the base dictionary, all its variants */
    size_t spelled; /* letter-digit words spelled out ("t12" -> T IY W AH N T UW) */
    size_t espeak;  /* letter-to-sound with espeak-ng, mapped to ARPAbet */
    size_t missing; /* no pronunciation: left out of the dictionary */
} asr_dict_stats;

/* Writes a pocketsphinx dictionary at out_path (replaced atomically) with
 * every distinct word of words: the pronunciations of lexicon_path (one
 * "word PH PH ..." a line, '#' comments; repeated words add variants) if it
 * has the word, else every variant of base_dict (cmudict format, "word(2)"
 * variants), else a spelled reading of letter-digit words, else espeak-ng's
 * letter-to-sound mapped onto the acoustic model's 39 phones. base_dict NULL
 * = ASR_DEFAULT_BASE_DICT; lexicon_path NULL = none. Every phone written is
 * checked against the model's phone set. A word without any pronunciation
 * is left out and counted as missing (pocketsphinx then ignores it in the
 * LM). RA_ERR_NOT_FOUND / RA_ERR_IO (unreadable input or unwritable
 * output), RA_ERR_FORMAT (a lexicon line with an unknown phone, named in
 * err), RA_ERR_NOMEM. */
int asr_dict_build(const char *const *words, size_t n, const char *base_dict,
                   const char *lexicon_path, const char *out_path, char *err, size_t errlen);
/* As asr_dict_build; stats (may be NULL) receives the counts on success. */
int asr_dict_build_stats(const char *const *words, size_t n, const char *base_dict,
                         const char *lexicon_path, const char *out_path, asr_dict_stats *stats,
                         char *err, size_t errlen);

/* Letter-to-sound for one word with espeak-ng, as ARPAbet phones separated
 * by single spaces, without stress ("cholelithiasis" -> "K OW L L IH TH IH
 * AA S IY Z"). *phones is a new allocation (caller frees). RA_ERR_INVALID
 * (empty word or one espeak-ng cannot pronounce), RA_ERR_IO (espeak-ng
 * could not start), RA_ERR_NOMEM. */
int asr_g2p(const char *word, char **phones, char *err, size_t errlen);
/* True when phone is one of the acoustic model's 39 ARPAbet phones (SIL and
 * the noise phones excluded). */
int asr_phone_valid(const char *phone);

/* ---- everything at once ------------------------------------------------- */

typedef struct asr_build_stats {
    asr_lm_stats lm;
    asr_dict_stats dict;
    double seconds; /* wall time of the whole build */
} asr_build_stats;

/* Builds the domain model of corpus c with the background bg (may be NULL):
 * the ARPA LM at arpa_path and the dictionary of its vocabulary at dict_path
 * (asr_lm_build_stats, then asr_dict_build with base_dict and lexicon_path).
 * stats may be NULL. Errors as those two functions. */
int asr_domain_build(const asr_corpus *c, const asr_background *bg, const char *base_dict,
                     const char *lexicon_path, const char *arpa_path, const char *dict_path,
                     asr_build_stats *stats, char *err, size_t errlen);

/* ---- the openai engine -------------------------------------------------- */

/* The languages the product serves, in this order (indexes of
 * asr_openai_settings.lang_keys). */

#define ASR_OPENAI_DEFAULT_MODEL "whisper-1"
#define ASR_OPENAI_DEFAULT_TIMEOUT_S 300                 /* one request (one piece of audio) */
#define ASR_OPENAI_DEFAULT_ATTEMPTS 4                    /* per piece, the first try included */
#define ASR_OPENAI_DEFAULT_PIECE_S 600                   /* longest piece of audio in one request */
#define ASR_OPENAI_MAX_PIECE_BYTES (25u * 1000u * 1000u) /* OpenAI's upload limit */
#define ASR_PROMPT_MAX_BYTES 600                         /* of the vocabulary prompt */

/* The speech options as the operator gave them (serve's --asr-* options and
 * RAPORTAI_ASR_* variables); every string may be NULL, and "" counts as
 * NULL unless said otherwise.
 *
 * Which languages the engine serves: `languages` when given ("tr,ru", or
 * "all" for the six); otherwise tr, ru, az, fr and de when `url` is given
 * (English stays on the local engine unless listed), plus the languages of
 * `map`; none when neither is given.
 *
 * `map` routes languages to their own servers: entries separated by
 * commas, each `LANG=URL` or `LANG=URL|MODEL`, LANG one of the six; an
 * empty URL means `url`, a missing or empty MODEL means `model`; spaces
 * around each part are ignored. Example:
 *   tr=https://whisper-tr.hastane.local|whisper-large-v3,ru=|whisper-ru
 * A language may appear once; when `languages` is given, every map
 * language must be in it.
 *
 * A URL is the server's base ("http://host:8080", "https://api.openai.com/v1")
 * or the endpoint itself (".../v1/audio/transcriptions"); the engine posts
 * to {base}/v1/audio/transcriptions ("/v1" is not doubled).
 *
 * Keys: lang_keys[i] (the variable RAPORTAI_ASR_KEY_TR and so on) is the key
 * for lang_codes[i] when not NULL ("" there means: send no key); otherwise
 * `key` is sent to whichever server serves the language. */
typedef struct asr_openai_settings {
    const char *url;                   /* --asr-url */
    const char *key;                   /* --asr-key */
    const char *model;                 /* --asr-model-name; NULL: ASR_OPENAI_DEFAULT_MODEL */
    const char *languages;             /* --asr-languages */
    const char *map;                   /* --asr-map */
    const char *lang_keys[LANG_COUNT]; /* RAPORTAI_ASR_KEY_<LANG>; "" kept as "" */
    long timeout_s;                    /* per request; 0: ASR_OPENAI_DEFAULT_TIMEOUT_S */
    int attempts;                      /* per piece; 0: ASR_OPENAI_DEFAULT_ATTEMPTS */
    long piece_s;                      /* 0: ASR_OPENAI_DEFAULT_PIECE_S */
} asr_openai_settings;

/* Where one language goes. */
typedef struct asr_openai_route {
    char lang[3]; /* "tr" */
    char *url;    /* the endpoint: .../v1/audio/transcriptions */
    char *model;
    char *key; /* NULL: no Authorization header */
} asr_openai_route;

/* The engine's configuration, checked and complete. */
typedef struct asr_openai_config {
    asr_openai_route routes[LANG_COUNT]; /* in lang_codes order */
    size_t n_routes;                     /* 0: the engine serves nothing */
    long timeout_s;
    int attempts;
    long piece_s;
} asr_openai_config;

/* Checks the settings and builds the configuration (its strings are new
 * allocations; release with asr_openai_config_release). RA_ERR_INVALID with
 * one sentence naming the option at fault (never the key, and a URL only by
 * its origin); RA_ERR_NOMEM. *out is written only on success. */
int asr_openai_configure(const asr_openai_settings *s, asr_openai_config *out, char *err,
                         size_t errlen);
void asr_openai_config_release(asr_openai_config *c);
/* The route for lang (its primary subtag), or NULL. */
const asr_openai_route *asr_openai_route_for(const asr_openai_config *c, const char *lang);

/* Creates the OpenAI-compatible engine: each transcription posts the audio,
 * cut into pieces of at most cfg->piece_s seconds and
 * ASR_OPENAI_MAX_PIECE_BYTES (asr_cut_point; from transcribe_audio, as the
 * audio is decoded, holding at most one piece), as 16 kHz mono WAV to the
 * language's server (multipart fields file, model, language, prompt,
 * response_format=json), retrying each piece on 429, 5xx, timeouts and
 * refused connections (httpc/httpc.h), and joins the pieces' `text` with a
 * space. Pieces of digital silence are not sent. cfg is copied. RA_ERR_INVALID
 * when cfg has no route, RA_ERR_NOMEM. One engine per thread, like every
 * engine. */
int asr_openai_new(const asr_openai_config *cfg, asr_engine **out, char *err, size_t errlen);

/* Where to end the first piece of n samples so that it holds at most
 * max_samples: n when all fits; otherwise the middle of the quietest 300 ms
 * (lowest energy, the latest on a tie) among the last
 * min(max_samples / 2, 30 s) before the limit, so a piece ends in a pause
 * rather than in a word. The result is in (0, max_samples] for n > 0.
 * Pure; cannot fail. */
size_t asr_cut_point(const int16_t *pcm, size_t n, size_t max_samples);

/* A 16 kHz mono 16-bit PCM WAV file of n samples: *out (caller frees) holds
 * 44 + 2n bytes. RA_ERR_TOO_LARGE past 4 GB, RA_ERR_NOMEM. */
int asr_wav_encode(const int16_t *pcm, size_t n, unsigned char **out, size_t *len);

/* ---- the vocabulary prompt ---------------------------------------------- */

/* One source of words for the prompt: text in format "txt", "rtf" or
 * "html". */
typedef struct asr_prompt_text {
    const char *text;
    const char *format; /* NULL: "txt" */
} asr_prompt_text;

/* Builds a vocabulary prompt from texts[0..n) in order of importance:
 * markup removed, {{PLACEHOLDERS}} removed, whitespace collapsed, texts
 * already included skipped; whole texts are taken while they fit in
 * max_bytes, and a text that does not fit is cut at a word boundary (never
 * inside a UTF-8 character). The chosen texts are written in reverse, most
 * important last: Whisper-style servers keep the end of a prompt that is
 * too long for them, and the end is nearest the audio. *out is a new
 * allocation (caller frees), "" when no text has words. RA_ERR_NOMEM only. */
int asr_prompt_build(const asr_prompt_text *texts, size_t n, size_t max_bytes, char **out);

#endif
