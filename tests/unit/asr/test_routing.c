/* test_routing.c - unit tests of src/asr/routing: the engine that serves
 * each language, decided once from the openai engine's configuration. */
#include <criterion/criterion.h>
#include <string.h>

#include "asr/routing.h"
#include "core/err.h"

static void configure(const char *url, const char *languages, asr_openai_config *c)
{
    asr_openai_settings s = {.url = url, .languages = languages};
    char err[256];
    cr_assert_eq(asr_openai_configure(&s, c, err, sizeof err), RA_OK, "%s", err);
}

Test(asr_routing, without_speech_servers_english_is_local_and_nothing_else_is_served)
{
    asr_routing r;
    asr_routing_of(NULL, &r);
    cr_assert_eq(asr_routing_for(&r, "en"), ASR_LOCAL);
    cr_assert_eq(asr_routing_for(&r, "en-GB"), ASR_LOCAL);
    cr_assert_eq(asr_routing_for(&r, "tr"), ASR_NONE);
    cr_assert_eq(asr_routing_for(&r, "xx"), ASR_NONE);
    cr_assert_eq(asr_routing_for(&r, NULL), ASR_NONE);
    char list[32];
    asr_routing_languages(&r, list, sizeof list);
    cr_assert_str_eq(list, "en");
}

Test(asr_routing, speech_servers_take_the_other_languages_and_english_when_listed)
{
    asr_openai_config c;
    configure("http://127.0.0.1:9", NULL, &c);
    asr_routing r;
    asr_routing_of(&c, &r);
    cr_assert_eq(asr_routing_for(&r, "tr"), ASR_OPENAI);
    cr_assert_eq(asr_routing_for(&r, "de"), ASR_OPENAI);
    cr_assert_eq(asr_routing_for(&r, "en"), ASR_LOCAL, "English stays local unless listed");
    char list[32];
    asr_routing_languages(&r, list, sizeof list);
    cr_assert_str_eq(list, "tr,en,ru,az,fr,de");
    asr_openai_config_release(&c);

    configure("http://127.0.0.1:9", "en,ru", &c);
    asr_routing_of(&c, &r);
    cr_assert_eq(asr_routing_for(&r, "en"), ASR_OPENAI);
    cr_assert_eq(asr_routing_for(&r, "tr"), ASR_NONE);
    asr_routing_languages(&r, list, sizeof list);
    cr_assert_str_eq(list, "en,ru");
    asr_openai_config_release(&c);
}

Test(asr_routing, names_and_a_short_list_buffer)
{
    cr_assert_str_eq(asr_kind_name(ASR_LOCAL), "local");
    cr_assert_str_eq(asr_kind_name(ASR_OPENAI), "openai");
    cr_assert_null(asr_kind_name(ASR_NONE));
    asr_routing r;
    for (int i = 0; i < LANG_COUNT; i++)
        r.by_lang[i] = ASR_OPENAI;
    char list[6];
    asr_routing_languages(&r, list, sizeof list);
    cr_assert_str_eq(list, "tr,en", "truncated, terminated");
}
