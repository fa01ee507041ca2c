/* test_web_templates.c - unit tests of the placeholder check every own
 * template of the web app passes (src/api/web_templates.c): at least one of
 * the guide's placeholders, and no other {{NAME}}, in plain and RTF-escaped
 * form, while RTF's own nested braces are not taken for placeholders. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/internal.h"
#include "core/err.h"

static int check(const char *content)
{
    char why[300] = "";
    int rc = api_template_check_placeholders(content, why, sizeof why);
    if (rc != RA_OK)
        cr_assert_neq(why[0], '\0', "a refusal says why");
    return rc;
}

Test(web_template_check, each_guide_placeholder_is_enough)
{
    const char *names[] = {"BULGULAR", "SONUC", "IZLENIM", "TEKNIK", "KLINIK", "KARSILASTIRMA"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char content[64];
        snprintf(content, sizeof content, "Title\n{{%s}}\n", names[i]);
        cr_assert_eq(check(content), RA_OK, "%s", content);
    }
    cr_assert_eq(check("FINDINGS:\n{{BULGULAR}}\n\nCONCLUSION:\n{{SONUC}}"), RA_OK);
}

Test(web_template_check, no_placeholder_is_refused)
{
    cr_assert_eq(check("Just text"), RA_ERR_INVALID);
    cr_assert_eq(check(""), RA_ERR_INVALID);
    cr_assert_eq(check("{{}} {{ }}x"), RA_ERR_INVALID);
}

Test(web_template_check, unknown_placeholder_is_refused_and_named)
{
    char why[300] = "";
    cr_assert_eq(api_template_check_placeholders("{{BULGULAR}} {{HASTA_ADI}}", why, sizeof why),
                 RA_ERR_INVALID);
    cr_assert(strstr(why, "{{HASTA_ADI}}") != NULL, "%s", why);
    cr_assert_eq(check("{{bulgular}}"), RA_ERR_INVALID, "names are exact");
    cr_assert_eq(check("{{ BULGULAR }}"), RA_ERR_INVALID, "spaces make another name");
    cr_assert_eq(check("{{BULGULAR}} {{SONUÇ}}"), RA_ERR_INVALID);
}

Test(web_template_check, rtf_escaped_form_counts)
{
    cr_assert_eq(check("{\\rtf1 \\{\\{BULGULAR\\}\\}\\par}"), RA_OK);
    cr_assert_eq(check("{\\rtf1 \\{\\{BULGU\\}\\}\\par \\{\\{SONUC\\}\\}}"), RA_ERR_INVALID);
}

Test(web_template_check, rtf_nested_groups_are_not_placeholders)
{
    cr_assert_eq(check("{\\rtf1{{\\field{\\*\\fldinst PAGE}}}\\par {{BULGULAR}}}"), RA_OK);
    cr_assert_eq(check("{\\rtf1{{\\fonttbl}}{{{BULGULAR}}}}"), RA_OK);
}

Test(web_template_check, unclosed_or_long_braces_are_text)
{
    cr_assert_eq(check("{{BULGULAR}} and {{ not closed"), RA_OK);
    cr_assert_eq(check("{{BULGULAR}} {{line\nbreak}}"), RA_OK);
    char long_name[200];
    memset(long_name, 'A', sizeof long_name);
    memcpy(long_name, "{{", 2);
    memcpy(long_name + 190, "}}", 3);
    char content[300];
    snprintf(content, sizeof content, "{{SONUC}} %s", long_name);
    cr_assert_eq(check(content), RA_OK, "over 64 bytes between braces is not a placeholder");
}
