/* test_sentences.c - unit tests of asr_sentences and
 * asr_sentence_pause_ms (src/asr/sentences.c): the local engine's
 * transcript from word segments. Segment lists are either written out
 * with the spec() helper (hand-made edge cases) or recorded from real
 * decodes of synthesised dictation (the radiology model, bench/
 * asr_driver.c transcribe --segments; see each list). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "core/err.h"

#define MAX_SEGS 64

/* Segments from a spec: each word lasts word_ms; "_N" is a pause of N ms
 * (no segment), "|" closes an utterance, and any token may end in ":N" to
 * last N ms (fillers "<sil>:500" included). Returns the count. */
static size_t spec(const char *text, long word_ms, asr_seg *out)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", text);
    size_t n = 0;
    long t = 0;
    int utt = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        if (tok[0] == '_') {
            t += strtol(tok + 1, NULL, 10);
            continue;
        }
        if (strcmp(tok, "|") == 0) {
            utt++;
            continue;
        }
        cr_assert_lt(n, MAX_SEGS);
        long len = word_ms;
        char *colon = strrchr(tok, ':');
        if (colon != NULL && colon != tok) {
            len = strtol(colon + 1, NULL, 10);
            *colon = '\0';
        }
        snprintf(out[n].word, sizeof out[n].word, "%s", tok);
        out[n].start_ms = t;
        out[n].end_ms = t + len;
        out[n].utt = utt;
        t += len;
        n++;
    }
    return n;
}

static void assert_sentences(const asr_seg *segs, size_t n, const char *want)
{
    char *got = NULL;
    cr_assert_eq(asr_sentences(segs, n, &got), RA_OK);
    cr_assert_str_eq(got, want);
    free(got);
}

static void assert_spec(const char *text, long word_ms, const char *want)
{
    asr_seg segs[MAX_SEGS];
    size_t n = spec(text, word_ms, segs);
    assert_sentences(segs, n, want);
}

/* ---- hand-made edge cases ----------------------------------------------- */

Test(asr_sentences, no_words)
{
    assert_sentences(NULL, 0, "");
    assert_spec("<s> <sil>:900 [NOISE] ++BREATH++ </s>", 300, "");
}

Test(asr_sentences, one_word)
{
    assert_spec("findings", 400, "Findings.");
    assert_spec("<s> <sil> findings [NOISE] </s>", 400, "Findings.");
}

Test(asr_sentences, first_word_capitalised_and_last_sentence_ended)
{
    assert_spec("there is no pleural effusion", 300, "There is no pleural effusion.");
}

Test(asr_sentences, threshold_both_sides)
{
    /* Words of 300 ms: 0.6 of them is 180, below the 200 ms floor. */
    asr_seg segs[MAX_SEGS];
    size_t n = spec("lungs are clear _199 heart normal", 300, segs);
    cr_assert_eq(asr_sentence_pause_ms(segs, n), 200);
    assert_sentences(segs, n, "Lungs are clear heart normal.");
    assert_spec("lungs are clear _200 heart normal", 300, "Lungs are clear. Heart normal.");
}

Test(asr_sentences, threshold_follows_the_speaker)
{
    asr_seg segs[MAX_SEGS];
    /* A slow speaker (words of 600 ms): 360 ms. */
    size_t n = spec("lungs are clear _359 heart normal", 600, segs);
    cr_assert_eq(asr_sentence_pause_ms(segs, n), 360);
    assert_sentences(segs, n, "Lungs are clear heart normal.");
    assert_spec("lungs are clear _360 heart normal", 600, "Lungs are clear. Heart normal.");
    /* A very slow one: never above 450 ms. */
    n = spec("lungs are clear _450 heart normal", 1000, segs);
    cr_assert_eq(asr_sentence_pause_ms(segs, n), 450);
    assert_sentences(segs, n, "Lungs are clear. Heart normal.");
    /* The same 300 ms pause ends a fast speaker's sentence, not a slow one's. */
    assert_spec("lungs are clear _300 heart normal", 250, "Lungs are clear. Heart normal.");
    assert_spec("lungs are clear _300 heart normal", 700, "Lungs are clear heart normal.");
}

Test(asr_sentences, median_ignores_fillers)
{
    asr_seg segs[MAX_SEGS];
    size_t n = spec("<s>:10 lungs:500 <sil>:20 are:500 [NOISE]:30 clear:500 </s>:40", 0, segs);
    cr_assert_eq(asr_sentence_pause_ms(segs, n), 300);
}

Test(asr_sentences, utterance_breaks)
{
    /* The detector closed an utterance: a sentence end whatever the gap. */
    assert_spec("impression | normal chest", 300, "Impression. Normal chest.");
    assert_spec("impression _10 | normal chest", 300, "Impression. Normal chest.");
    /* but not after a word no sentence ends with */
    assert_spec("there is a | nodule", 300, "There is a nodule.");
}

Test(asr_sentences, fillers_count_as_pause)
{
    assert_spec("findings <sil>:400 there is a nodule", 300, "Findings. There is a nodule.");
    assert_spec("findings [NOISE]:150 ++BREATH++:150 there is a nodule", 300,
                "Findings. There is a nodule.");
    assert_spec("findings <sil>:100 there is a nodule", 300, "Findings there is a nodule.");
}

Test(asr_sentences, hesitation_is_not_a_sentence_end)
{
    assert_spec("there is a nodule in the _800 right upper lobe", 300,
                "There is a nodule in the right upper lobe.");
    assert_spec("a mass measuring _900 three centimeters", 300,
                "A mass measuring three centimeters.");
    assert_spec("the liver and _700 spleen are normal _700 the", 300,
                "The liver and spleen are normal. The");
}

Test(asr_sentences, spoken_punctuation_wins)
{
    /* before the pause: the spoken words stay, no mark, no capital */
    assert_spec("lungs are clear period _800 heart is normal", 300,
                "Lungs are clear period heart is normal.");
    assert_spec("impression colon _800 normal", 300, "Impression colon normal.");
    assert_spec("lungs clear full stop _800 heart normal question mark _800 none", 300,
                "Lungs clear full stop heart normal question mark none.");
    assert_spec("lungs clear new paragraph _800 heart normal next line", 300,
                "Lungs clear new paragraph heart normal next line");
    /* after the pause */
    assert_spec("lungs are clear _800 period heart normal", 300,
                "Lungs are clear period heart normal.");
    assert_spec("lungs are clear _800 new line heart normal", 300,
                "Lungs are clear new line heart normal.");
    assert_spec("lungs are clear _800 comma heart normal", 300,
                "Lungs are clear comma heart normal.");
    /* "colon" after a pause is the organ */
    assert_spec("the small bowel is normal _800 colon is unremarkable", 300,
                "The small bowel is normal. Colon is unremarkable.");
    /* the last word */
    assert_spec("heart normal period", 300, "Heart normal period");
}

Test(asr_sentences, abbreviations_in_capitals)
{
    assert_spec("ct cta mri mra mrcp pet flair dwi adc stir", 300,
                "CT CTA MRI MRA MRCP PET FLAIR DWI ADC STIR.");
    assert_spec("at l4 l5 and l5 s1 t12 c5 t2", 300, "At L4 L5 and L5 S1 T12 C5 T2.");
    /* ambiguous ones and look-alikes stay */
    assert_spec("mr us l la t123 stirring", 300, "Mr us l la t123 stirring.");
    assert_spec("findings _800 mri shows", 300, "Findings. MRI shows.");
}

Test(asr_sentences, variant_marks_dropped)
{
    assert_spec("the(2) nodule(12) with(2) l4(3)", 300, "The nodule with L4.");
    assert_spec("nodule() x(a)", 300, "Nodule() x(a).");
}

/* ---- recorded decodes ----------------------------------------------------- */

/* flite slt, "There is a small nodule in the [0.6 s] right upper lobe.
 * [0.6 s] The heart is normal.": the detector closed an utterance after
 * "the", a hesitation. */
static const asr_seg hesitation[] = {
    {"<s>", 0, 196, 0},       {"there", 196, 392, 0},    {"is", 392, 520, 0},
    {"a", 520, 560, 0},       {"small", 560, 886, 0},    {"nodule", 886, 1398, 0},
    {"in", 1398, 1536, 0},    {"the(2)", 1544, 1692, 0}, {"<sil>", 1692, 1938, 0},
    {"</s>", 1938, 2176, 0},  {"<s>", 2398, 2498, 1},    {"right", 2498, 2746, 1},
    {"upper", 2746, 3052, 1}, {"lobe", 3052, 3456, 1},   {"</s>", 3454, 3968, 1},
    {"<s>", 4122, 4212, 2},   {"the", 4212, 4292, 2},    {"heart", 4292, 4558, 2},
    {"is", 4558, 4686, 2},    {"normal", 4686, 5256, 2}, {"[SPEECH]", 5256, 5346, 2},
    {"</s>", 5346, 5786, 2},
};

/* festival's HTS voice, "Findings colon the lungs are clear period [0.6 s]
 * the heart is normal period [0.5 s] Impression colon [0.5 s] normal chest
 * period": spoken punctuation at every pause. */
static const asr_seg spoken[] = {
    {"<s>", 0, 186, 0},        {"findings", 186, 728, 0},     {"colon", 728, 1092, 0},
    {"the", 1092, 1170, 0},    {"lungs", 1170, 1506, 0},      {"are", 1506, 1654, 0},
    {"clear", 1654, 1948, 0},  {"period", 1948, 2480, 0},     {"<sil>", 2480, 2618, 0},
    {"</s>", 2618, 2944, 0},   {"<s>", 3138, 3228, 1},        {"the", 3228, 3298, 1},
    {"heart", 3298, 3584, 1},  {"is", 3582, 3720, 1},         {"normal", 3720, 4124, 1},
    {"period", 4124, 4646, 1}, {"<sil>", 4646, 4844, 1},      {"</s>", 4844, 5120, 1},
    {"<s>", 5336, 5294, 2},    {"impression", 5294, 5956, 2}, {"colon", 5956, 6438, 2},
    {"</s>", 6438, 6912, 2},   {"<s>", 7006, 7106, 3},        {"normal", 7106, 7512, 3},
    {"chest", 7512, 7836, 3},  {"period", 7836, 8348, 3},     {"</s>", 8348, 8874, 3},
};

/* flite kal16, "MRI of the lumbar spine. Findings. At L4 L5 there is a disc
 * bulge. Impression. Disc bulge at L4 L5." with 0.4-0.7 s pauses ("MRI"
 * misheard as "three", "disc" as "is"). */
static const asr_seg lumbar[] = {
    {"<s>", 0, 206, 0},          {"three", 206, 550, 0},        {"of", 550, 630, 0},
    {"the", 630, 698, 0},        {"lumbar", 698, 1152, 0},      {"spine", 1150, 1506, 0},
    {"[NOISE]", 1506, 1722, 0},  {"</s>", 1722, 2048, 0},       {"<s>", 2094, 2134, 1},
    {"findings", 2134, 2726, 1}, {"</s>", 2726, 3328, 1},       {"<s>", 3376, 3406, 2},
    {"at", 3406, 3484, 2},       {"l4", 3484, 3948, 2},         {"l5", 3948, 4370, 2},
    {"there", 4370, 4588, 2},    {"is", 4588, 4736, 2},         {"a", 4734, 4804, 2},
    {"disc", 4804, 5100, 2},     {"bulge", 5100, 5394, 2},      {"</s>", 5394, 5888, 2},
    {"<s>", 6120, 6210, 3},      {"impression", 6210, 6852, 3}, {"[NOISE]", 6852, 7048, 3},
    {"</s>", 7048, 7424, 3},     {"<s>", 7472, 7502, 4},        {"is", 7502, 7640, 4},
    {"bulge", 7640, 7984, 4},    {"at", 7984, 8112, 4},         {"l4", 8112, 8516, 4},
    {"l5", 8516, 8988, 4},       {"</s>", 8988, 9494, 4},
};

/* espeak-ng reading "Chest CT with contrast. Findings. There is a six
 * millimeter nodule in the right upper lobe. Impression. Small pulmonary
 * nodule." as one text, with its own short pauses (one utterance). */
static const asr_seg own_pauses[] = {
    {"<s>", 0, 58, 0},
    {"chest", 58, 422, 0},
    {"ct", 422, 758, 0},
    {"with", 758, 964, 0},
    {"contrast", 964, 1654, 0},
    {"<sil>", 1654, 1910, 0},
    {"findings", 1910, 2618, 0},
    {"<sil>", 2618, 2884, 0},
    {"there", 2884, 3120, 0},
    {"is", 3120, 3208, 0},
    {"a", 3208, 3268, 0},
    {"six", 3268, 3612, 0},
    {"<sil>", 3612, 3662, 0},
    {"the(2)", 3662, 4036, 0},
    {"nodule", 4036, 4400, 0},
    {"in", 4400, 4488, 0},
    {"the", 4488, 4608, 0},
    {"right", 4606, 4844, 0},
    {"upper", 4844, 5060, 0},
    {"lobe", 5060, 5484, 0},
    {"<sil>", 5484, 5730, 0},
    {"impression", 5730, 6360, 0},
    {"<sil>", 6360, 6694, 0},
    {"small", 6694, 7048, 0},
    {"pulmonary", 7048, 7610, 0},
    {"<sil>", 7610, 7640, 0},
    {"nodule", 7640, 8082, 0},
    {"<sil>", 8082, 8241, 0},
    {"</s>", 8241, 8567, 0},
};

#define N(a) (sizeof(a) / sizeof *(a))

Test(asr_sentences, recorded_hesitation)
{
    assert_sentences(hesitation, N(hesitation),
                     "There is a small nodule in the right upper lobe. The heart is normal.");
}

Test(asr_sentences, recorded_spoken_punctuation)
{
    assert_sentences(spoken, N(spoken),
                     "Findings colon the lungs are clear period the heart is normal period "
                     "impression colon normal chest period");
}

Test(asr_sentences, recorded_lumbar)
{
    assert_sentences(lumbar, N(lumbar),
                     "Three of the lumbar spine. Findings. At L4 L5 there is a disc bulge. "
                     "Impression. Is bulge at L4 L5.");
}

Test(asr_sentences, recorded_own_pauses)
{
    /* median word 354 ms: threshold 212 ms; the voice paused 246-334 ms
     * at its periods and 30-50 ms inside sentences. */
    cr_assert_eq(asr_sentence_pause_ms(own_pauses, N(own_pauses)), 212);
    assert_sentences(own_pauses, N(own_pauses),
                     "Chest CT with contrast. Findings. There is a six the nodule in the right "
                     "upper lobe. Impression. Small pulmonary nodule.");
}
