/* test_core.c - unit tests for src/core: buffers, options, text, ids, time,
 * reading files, job failure codes and states, languages. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/failures.h"
#include "core/file.h"
#include "core/ids.h"
#include "core/job_state.h"
#include "core/lang.h"
#include "core/opts.h"
#include "core/text.h"
#include "core/timeutil.h"

Test(buf, appends_and_stays_nul_terminated)
{
    buf b;
    buf_init(&b, 100);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(buf_puts(&b, "abc"), RA_OK);
    cr_assert_eq(buf_printf(&b, "-%d-", 42), RA_OK);
    cr_assert_eq(buf_putc(&b, 'z'), RA_OK);
    cr_assert_str_eq(buf_str(&b), "abc-42-z");
    cr_assert_eq(b.len, 8);
    buf_release(&b);
    cr_assert_eq(b.len, 0);
}

Test(buf, refuses_to_pass_its_maximum_and_keeps_contents)
{
    buf b;
    buf_init(&b, 5);
    cr_assert_eq(buf_puts(&b, "12345"), RA_OK);
    cr_assert_eq(buf_putc(&b, '6'), RA_ERR_TOO_LARGE);
    cr_assert_eq(buf_printf(&b, "%s", "x"), RA_ERR_TOO_LARGE);
    cr_assert_str_eq(buf_str(&b), "12345");
    char *out = buf_detach(&b);
    cr_assert_str_eq(out, "12345");
    cr_assert_eq(b.data, NULL);
    free(out);
}

Test(buf, grows_across_many_appends)
{
    buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(buf_append(&b, "0123456789", 10), RA_OK);
    cr_assert_eq(b.len, 100000);
    cr_assert_eq(b.data[b.len], '\0');
    buf_release(&b);
}

static const opt_spec specs[] = {
    {"listen", "TEST_OPTS_LISTEN", "127.0.0.1:8080", "ADDR", "where", 0},
    {"verbose", NULL, NULL, NULL, "a flag", 0},
    {"file", NULL, NULL, "FILE", "positional", 1},
};

Test(opts, defaults_environment_and_flags_in_that_order)
{
    const char *v[3];
    int help = 0;
    char err[128];
    char *argv1[] = {"cmd", NULL};
    unsetenv("TEST_OPTS_LISTEN");
    cr_assert_eq(opts_parse(specs, 3, 1, argv1, v, &help, err, sizeof err), RA_OK);
    cr_assert_str_eq(v[0], "127.0.0.1:8080");
    cr_assert_null(v[1]);
    setenv("TEST_OPTS_LISTEN", "0.0.0.0:1", 1);
    cr_assert_eq(opts_parse(specs, 3, 1, argv1, v, &help, err, sizeof err), RA_OK);
    cr_assert_str_eq(v[0], "0.0.0.0:1");
    char *argv2[] = {"cmd", "--listen=[::1]:9", "--verbose", "x.csv", NULL};
    cr_assert_eq(opts_parse(specs, 3, 4, argv2, v, &help, err, sizeof err), RA_OK);
    cr_assert_str_eq(v[0], "[::1]:9");
    cr_assert_str_eq(v[1], "1");
    cr_assert_str_eq(v[2], "x.csv");
    cr_assert_eq(help, 0);
    unsetenv("TEST_OPTS_LISTEN");
}

Test(opts, refuses_unknown_missing_and_stray)
{
    const char *v[3];
    int help = 0;
    char err[128];
    char *unknown[] = {"cmd", "--nope", NULL};
    cr_assert_eq(opts_parse(specs, 3, 2, unknown, v, &help, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(err, "unknown option '--nope'");
    char *missing[] = {"cmd", "--listen", NULL};
    cr_assert_eq(opts_parse(specs, 3, 2, missing, v, &help, err, sizeof err), RA_ERR_INVALID);
    char *stray[] = {"cmd", "a", "b", NULL};
    cr_assert_eq(opts_parse(specs, 3, 3, stray, v, &help, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(err, "unexpected argument 'b'");
    char *flagval[] = {"cmd", "--verbose=1", NULL};
    cr_assert_eq(opts_parse(specs, 3, 2, flagval, v, &help, err, sizeof err), RA_ERR_INVALID);
    char *positional_as_flag[] = {"cmd", "--file", "x", NULL};
    cr_assert_eq(opts_parse(specs, 3, 3, positional_as_flag, v, &help, err, sizeof err),
                 RA_ERR_INVALID);
    char *help_argv[] = {"cmd", "--help", NULL};
    cr_assert_eq(opts_parse(specs, 3, 2, help_argv, v, &help, err, sizeof err), RA_OK);
    cr_assert_eq(help, 1);
}

Test(opts, integers_are_whole_and_in_range)
{
    int64_t out = 7;
    cr_assert_eq(opts_int("60", 1, 100, &out), RA_OK);
    cr_assert_eq(out, 60);
    cr_assert_eq(opts_int("-5", -10, 10, &out), RA_OK);
    cr_assert_eq(out, -5);
    const char *bad[] = {"", "abc", "12abc", "0", "101", " 5", "99999999999999999999", NULL};
    for (int i = 0; bad[i]; i++) {
        out = 7;
        cr_assert_eq(opts_int(bad[i], 1, 100, &out), RA_ERR_INVALID, "accepted '%s'", bad[i]);
        cr_assert_eq(out, 7);
    }
    cr_assert_eq(opts_int(NULL, 1, 100, &out), RA_ERR_INVALID);
}

Test(text, utf8_validation)
{
    cr_assert(text_is_utf8("Şişli İlçe ığüöç", strlen("Şişli İlçe ığüöç")));
    cr_assert_not(text_is_utf8("\xff\xfe", 2));
    cr_assert_not(text_is_utf8("a\xc3", 2));        /* truncated sequence */
    cr_assert_not(text_is_utf8("\xc0\xaf", 2));     /* overlong '/' */
    cr_assert_not(text_is_utf8("\xed\xa0\x80", 3)); /* surrogate */
    cr_assert_eq(text_length("Şişli"), 5);
}

Test(text, turkish_lowercase_keeps_dotted_and_dotless_i_apart)
{
    char *a = text_lower_tr("İSTANBUL IRMAK");
    cr_assert_str_eq(a, "istanbul ırmak");
    free(a);
    char *b = text_lower("ABC@Example.ORG");
    cr_assert_str_eq(b, "abc@example.org");
    free(b);
    cr_assert_null(text_lower_tr("\xff"));
}

Test(text, fold_reads_words_as_people_do)
{
    const char *cases[][2] = {
        {"BEYİN, Kontrastlı", "beyin  kontrastli"},
        {"IŞIK ırmak", "isik irmak"},
        {"Résultats: Göğüs", "resultats  gogus"},
        {"BEFUND", "befund"},
        {"ЗАКЛЮЧЕНИЕ", "заключение"},
        {"s\xcc\xa7", "s"}, /* s + combining cedilla */
        {"T2-ağırlıklı 5mm", "t2 agirlikli 5mm"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = text_fold(cases[i][0]);
        cr_assert_str_eq(got, cases[i][1], "fold(%s)", cases[i][0]);
        free(got);
    }
    cr_assert_null(text_fold("\xff"));
}

Test(text, hex_digits)
{
    cr_assert_eq(text_hex_value('0'), 0);
    cr_assert_eq(text_hex_value('9'), 9);
    cr_assert_eq(text_hex_value('a'), 10);
    cr_assert_eq(text_hex_value('F'), 15);
    cr_assert_eq(text_hex_value('g'), -1);
    cr_assert_eq(text_hex_value('%'), -1);
    cr_assert_eq(text_hex_value('\0'), -1);
}

Test(text, tokens_are_visible_ascii_without_spaces)
{
    const char *url = "https://hbys.example.com:8443/cb?a=1&b=~x";
    cr_assert(text_is_token(url, strlen(url)));
    cr_assert(text_is_token("", 0));
    cr_assert(text_is_token("a b", 1)); /* only the n bytes given are looked at */
    const char *bad[] = {"a b", "tab\there", "cr\r\n", "del\x7f", "\xc3\xa7", NULL};
    for (int i = 0; bad[i]; i++)
        cr_assert_not(text_is_token(bad[i], strlen(bad[i])), "%s", bad[i]);
}

Test(text, names_are_checked)
{
    cr_assert_eq(text_check_name("Ankara Şehir Hastanesi", 200), RA_OK);
    cr_assert_eq(text_check_name("x'); DROP TABLE users; --", 200), RA_OK);
    cr_assert_eq(text_check_name("", 200), RA_ERR_INVALID);
    cr_assert_eq(text_check_name(" lead", 200), RA_ERR_INVALID);
    cr_assert_eq(text_check_name("trail ", 200), RA_ERR_INVALID);
    cr_assert_eq(text_check_name("tab\there", 200), RA_ERR_INVALID);
    cr_assert_eq(text_check_name("c1\xc2\x85here", 200), RA_ERR_INVALID); /* NEL, a C1 control */
    cr_assert_eq(text_check_name("bad\xff", 200), RA_ERR_INVALID);
    cr_assert_eq(text_check_name("ççç", 3), RA_OK);
    cr_assert_eq(text_check_name("çççç", 3), RA_ERR_INVALID);
}

Test(ids, uuids_are_version_4_and_distinct)
{
    cr_assert_eq(ids_init(), RA_OK);
    char a[UUID_LEN], b[UUID_LEN];
    ids_uuid(a);
    ids_uuid(b);
    cr_assert(ids_is_uuid(a));
    cr_assert_str_neq(a, b);
    cr_assert_eq(a[14], '4');
    cr_assert(strchr("89ab", a[19]) != NULL);
    cr_assert_not(ids_is_uuid("not-a-uuid"));
    cr_assert_not(ids_is_uuid("550e8400-e29b-41d4-a716-44665544000"));
    cr_assert_not(ids_is_uuid("550e8400-e29b-41d4-a716-4466554400000"));
    cr_assert(ids_is_uuid("550e8400-e29b-41d4-a716-446655440000"));
}

Test(ids, base62_encoding_is_fixed_width)
{
    char out[8];
    ids_base62_u32(0, out, 6);
    cr_assert_str_eq(out, "000000");
    ids_base62_u32(61, out, 6);
    cr_assert_str_eq(out, "00000z");
    ids_base62_u32(62, out, 6);
    cr_assert_str_eq(out, "000010");
    ids_base62_u32(0xFFFFFFFFu, out, 6);
    cr_assert_str_eq(out, "4gfFC3");
    char hex[17];
    ids_hex(hex, 8);
    cr_assert_eq(strlen(hex), 16);
    cr_assert_eq(strspn(hex, "0123456789abcdef"), 16);
}

Test(timeutil, iso_format)
{
    char out[TIME_ISO_LEN];
    time_format_iso(0, out);
    cr_assert_str_eq(out, "1970-01-01T00:00:00.000Z");
    time_format_iso(1795900000, out);
    cr_assert_str_eq(out, "2026-11-28T21:06:40.000Z");
    time_now_iso(out);
    cr_assert_eq(strlen(out), 24);
    cr_assert_eq(out[23], 'Z');
}

Test(err, every_code_has_a_name_and_message)
{
    cr_assert_str_eq(ra_errname(RA_ERR_NOT_FOUND), "RA_ERR_NOT_FOUND");
    cr_assert_str_eq(ra_strerror(RA_ERR_BALANCE), "balance would become negative");
    cr_assert_str_eq(ra_strerror(-999), "unknown error");
    cr_assert_str_eq(ra_errname(RA_ERR_CANCELLED), "RA_ERR_CANCELLED", "not the database's busy");
}

Test(buf, array_reserve_grows_only_when_full_and_keeps_the_array_on_failure)
{
    int *items = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 40; i++) {
        int *p = ra_array_reserve(items, n, &cap, sizeof *p, 4);
        cr_assert_not_null(p);
        items = p;
        items[n++] = i;
    }
    cr_assert_eq(cap, 64, "4, 8, 16, 32, 64");
    cr_assert_eq(ra_array_reserve(items, 10, &cap, sizeof *items, 4), items,
                 "room left: the same array");
    size_t huge = SIZE_MAX / 2 + 1;
    cr_assert_null(ra_array_reserve(items, huge, &huge, sizeof *items, 4));
    cr_assert_eq(huge, SIZE_MAX / 2 + 1, "the capacity is unchanged on failure");
    for (int i = 0; i < 40; i++)
        cr_assert_eq(items[i], i);
    free(items);
}

Test(file, reads_a_whole_file_under_its_cap_and_names_the_file_on_refusal)
{
    char path[] = "/tmp/raportai-test-file-XXXXXX", err[256] = "";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "abc\ndef", 7), 7);
    close(fd);
    char *data = NULL;
    size_t len = 0;
    cr_assert_eq(file_read_all(path, 7, &data, &len, err, sizeof err), RA_OK);
    cr_assert_eq(len, 7);
    cr_assert_str_eq(data, "abc\ndef", "NUL-terminated");
    free(data);
    data = NULL;
    cr_assert_eq(file_read_all(path, 6, &data, &len, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert_null(data, "nothing written on failure");
    cr_assert_not_null(strstr(err, path));
    cr_assert_eq(file_read_all("/tmp", 1024, &data, &len, err, sizeof err), RA_ERR_IO);
    cr_assert_str_eq(err, "/tmp is not a regular file");
    unlink(path);
    cr_assert_eq(file_read_all(path, 1024, &data, &len, NULL, 0), RA_ERR_IO, "err may be NULL");
    cr_assert_null(data);
}

Test(failures, every_code_has_its_own_text_and_a_stray_value_reads_as_processing_failed)
{
    for (int a = 0; a < JOB_FAIL_COUNT; a++) {
        const char *code = job_failure_code((job_failure)a);
        cr_assert_not_null(code);
        cr_assert_gt(strlen(code), 5);
        for (const char *p = code; *p; p++)
            cr_assert((*p >= 'A' && *p <= 'Z') || *p == '_', "%s", code);
        for (int b = 0; b < a; b++)
            cr_assert_str_neq(code, job_failure_code((job_failure)b));
    }
    cr_assert_str_eq(job_failure_code(JOB_FAIL_SPLIT_FAILED), "SPLIT_FAILED");
    cr_assert_str_eq(job_failure_code(JOB_FAIL_COUNT), "PROCESSING_FAILED");
    cr_assert_str_eq(job_failure_code((job_failure)-1), "PROCESSING_FAILED");
}

Test(job_state, each_state_reads_back_and_unknown_text_is_no_state)
{
    const char *want[JOB_STATE_COUNT] = {"pending", "processing", "completed", "failed"};
    for (int s = 0; s < JOB_STATE_COUNT; s++) {
        cr_assert_str_eq(job_state_text((job_state)s), want[s]);
        cr_assert(job_state_is(want[s], (job_state)s));
        cr_assert_eq(job_state_parse(want[s]), (job_state)s);
    }
    cr_assert_null(job_state_text(JOB_STATE_COUNT));
    cr_assert_not(job_state_is(NULL, JOB_PENDING));
    cr_assert_not(job_state_is("Pending", JOB_PENDING), "the stored text, exactly");
    cr_assert_not(job_state_is("pending", JOB_STATE_COUNT));
    cr_assert_eq(job_state_parse("done"), JOB_STATE_COUNT);
    cr_assert_eq(job_state_parse(NULL), JOB_STATE_COUNT);
}

Test(job_state, each_callback_state_has_the_text_the_poll_shows)
{
    const char *want[] = {"waiting", "pending", "delivered", "failed"};
    for (int s = 0; s < CALLBACK_STATE_COUNT; s++)
        cr_assert_str_eq(callback_state_text((callback_state)s), want[s]);
    cr_assert_null(callback_state_text(CALLBACK_STATE_COUNT));
}

Test(lang, one_reading_of_a_language_tag_and_an_exact_code_check)
{
    cr_assert_eq(LANG_COUNT, 6);
    cr_assert_str_eq(lang_codes[0], "tr");
    cr_assert_str_eq(lang_codes[LANG_AZ], "az");
    cr_assert_str_eq(lang_english_names[LANG_AZ], "Azerbaijani");
    for (int i = 0; i < LANG_COUNT; i++) {
        cr_assert(lang_codes[i] != NULL && lang_english_names[i] != NULL, "language %d", i);
        cr_assert_eq(lang_index(lang_codes[i]), i);
    }
    cr_assert_eq(lang_index("tr"), 0);
    cr_assert_eq(lang_index("EN"), 1);
    cr_assert_eq(lang_index("ru-RU"), 2);
    cr_assert_eq(lang_index("de_DE"), 5);
    cr_assert_str_eq(lang_code("Az"), "az");
    cr_assert_eq(lang_index_n("tr,en", 2), 0, "a code in a list");
    cr_assert_eq(lang_index_n("EN", 2), 1);
    cr_assert_eq(lang_index_n("tr,en", 5), -1);
    cr_assert_eq(lang_index_n("t", 1), -1);
    const char *not_tags[] = {NULL, "", "t", "tur", "tr-", "xx", "fr_"};
    for (size_t i = 0; i < sizeof not_tags / sizeof not_tags[0]; i++) {
        cr_assert_eq(lang_index(not_tags[i]), -1, "%s", not_tags[i] ? not_tags[i] : "NULL");
        cr_assert_null(lang_code(not_tags[i]));
    }
    cr_assert(lang_is_code("fr"));
    cr_assert_not(lang_is_code("FR"), "the API takes the code exactly");
    cr_assert_not(lang_is_code("fr-FR"));
    cr_assert_not(lang_is_code(NULL));
}
