/* tts.c - English speech for unit tests (see tts.h): espeak-ng and sox run
 * through the shell, the raw samples read back; a whole word found in a
 * transcript. */
#include "tts.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int16_t *tts_speak(const char *dir, const char *text, int wpm, bool ssml, size_t *n)
{
    char cmd[2048], raw[160];
    snprintf(raw, sizeof raw, "%s/speech.raw", dir);
    int len =
        snprintf(cmd, sizeof cmd,
                 "espeak-ng %s-v en-us -s %d -w '%s/speech.wav' '%s' && "
                 "sox -D '%s/speech.wav' -t raw -r 16000 -c 1 -b 16 -e signed-integer -L '%s'",
                 ssml ? "-m " : "", wpm, dir, text, dir, raw);
    cr_assert(len > 0 && (size_t)len < sizeof cmd, "the text is too long");
    cr_assert_eq(system(cmd), 0, "espeak-ng and sox are needed (scripts/deps.sh)");
    FILE *fp = fopen(raw, "rb");
    cr_assert_not_null(fp);
    fseek(fp, 0, SEEK_END);
    long bytes = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    int16_t *pcm = malloc((size_t)bytes + 2);
    cr_assert_not_null(pcm);
    *n = fread(pcm, 2, (size_t)bytes / 2, fp);
    fclose(fp);
    return pcm;
}

int tts_has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p != NULL; p = strstr(p + 1, word))
        if ((p == text || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}
