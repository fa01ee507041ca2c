/* test_lm_refresh.c - unit tests of per-organization speech models
 * (src/jobs/lm_refresh.c, src/jobs/org_lm.c, src/store/lm_corpus.c): the
 * store's material queries, corpus assembly (section texts of the latest
 * revision of the organization's own English reports and its own English
 * templates, never a patient field, never another organization's text), the
 * rebuild trigger, the build record, and a refresher pass that builds into
 * DATA/asr/org/<org_id>/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/store_fixture.h"
#include "core/err.h"
#include "core/sections.h"
#include "jobs/lm_refresh.h"
#include "store/store.h"

static char phrases[128];
static store_fixture fx;
static store *s; /* fx.store */
static store_org org_a, org_b;
static store_user alice, bob;
static lm_refresh_config cfg;

static void setup(void)
{
    s = store_fixture_open(&fx, "lm", false);
    store_fixture_org(&fx, "A", 5, &org_a);
    store_fixture_org(&fx, "B", 5, &org_b);
    store_fixture_member(&fx, org_a.id, "a@x.org", "Alice", "radiologist", &alice);
    store_fixture_member(&fx, org_b.id, "b@x.org", "Bob", "radiologist", &bob);
    snprintf(phrases, sizeof phrases, "%s/phrases.txt", fx.dir);
    FILE *fp = fopen(phrases, "w");
    cr_assert_not_null(fp);
    fputs("# base phrases\nfindings colon the liver is normal period\n"
          "impression colon no acute abnormality period\n",
          fp);
    fclose(fp);
    cfg = (lm_refresh_config){
        .store = s, .data_dir = fx.dir, .min_new = 2, .min_interval_ms = 0, .poll_ms = 1000};
    snprintf(cfg.sources.phrases, sizeof cfg.sources.phrases, "%s", phrases);
}

static void teardown(void)
{
    store_fixture_close(&fx);
}

TestSuite(lm_refresh, .init = setup, .fini = teardown, .timeout = 60);

/* A save as src/api/web_reports.c makes it: every section given, empty
 * ones as "". */
static store_report_input input(const char *lang, const char *findings, const char *impression)
{
    store_report_input in = {.sut_code = "803910",
                             .exam_name = "Quorvex CT",
                             .modality = "CT",
                             .patient_name = "Zebulon Quaxley",
                             .patient_id = "TC98765",
                             .accession = "ACC55",
                             .language = lang};
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++)
        in.sections[sec] = "";
    in.sections[REPORT_SEC_BULGULAR] = findings;
    in.sections[REPORT_SEC_IZLENIM] = impression;
    return in;
}

static void save(const store_user *u, const char *lang, const char *findings,
                 const char *impression, store_report *out)
{
    store_report_input in = input(lang, findings, impression);
    cr_assert_eq(store_report_create(s, u->org_id, u->id, &in, out), RA_OK);
}

static void revise(const store_user *u, const store_report *r, const char *findings)
{
    store_report_input in = input("en", findings, "");
    store_scope scope = {u->org_id, NULL};
    store_report out;
    cr_assert_eq(store_report_revise(s, r->id, &scope, u->id, &in, &out), RA_OK);
}

static void own_template(const store_user *u, const char *lang, const char *format,
                         const char *text)
{
    store_template_input in = {.name = "T",
                               .language = lang,
                               .format = format,
                               .modality = "CT",
                               .body_part = "abdomen",
                               .content = text};
    store_template t;
    cr_assert_eq(store_template_create(s, u->org_id, u->id, &in, &t), RA_OK);
    store_template_release(&t);
}

/* Org A: an English report revised once (quorvaline -> plintarex), a
 * Turkish report, an English and a Turkish own template. Org B: one English
 * report (blenthorax). */
static void fill(void)
{
    store_report r;
    save(&alice, "en", "The liver shows quorvaline change.", "Mild quorvaline disease.", &r);
    revise(&alice, &r, "The liver shows plintarex change.\nThe spleen is 12 mm.");
    store_report tr;
    save(&alice, "tr", "Karaciğerde dolmantik değişiklik.", "", &tr);
    own_template(&alice, "en", "html", "<p>Findings: {{BULGULAR}}</p><p>The frobulant duct.</p>");
    own_template(&alice, "tr", "txt", "Bulgular: gorsevik kanal.");
    store_report b;
    save(&bob, "en", "There is blenthorax of the lung.", "", &b);
}

typedef struct activity_seen {
    store_lm_activity a, b;
    int n;
} activity_seen;

static void see(const store_lm_activity *a, void *ctx)
{
    activity_seen *seen = ctx;
    if (strcmp(a->org_id, org_a.id) == 0)
        seen->a = *a;
    if (strcmp(a->org_id, org_b.id) == 0)
        seen->b = *a;
    seen->n++;
}

/* Appends text to the string in out (of cap bytes). */
static void append(char *out, size_t cap, const char *text)
{
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s", text);
}

#define TEXTS_MAX 4096

/* The texts in reading order, each followed by '|'. */
static void texts(const char *const sections[REPORT_SEC_COUNT], void *ctx)
{
    char *out = ctx;
    for (int k = 0; k < REPORT_SEC_COUNT; k++) {
        append(out, TEXTS_MAX, sections[report_reading_order[k]]);
        append(out, TEXTS_MAX, "|");
    }
    append(out, TEXTS_MAX, "\n");
}

Test(lm_refresh, store_material_of_each_organization)
{
    fill();
    activity_seen seen = {.n = 0};
    cr_assert_eq(store_lm_activity_each(s, see, &seen), RA_OK);
    cr_assert_eq(seen.n, 2);
    cr_assert_eq(seen.a.revisions, 2, "two revisions of the English report; Turkish left out");
    cr_assert_eq(seen.a.templates, 1, "only the English template");
    cr_assert_neq(seen.a.templates_at[0], '\0');
    cr_assert_eq(seen.b.revisions, 1);
    cr_assert_eq(seen.b.templates, 0);
    cr_assert_str_eq(seen.b.templates_at, "");

    char got[TEXTS_MAX] = "";
    cr_assert_eq(store_lm_report_texts_each(s, org_a.id, 100, texts, got), RA_OK);
    cr_assert_str_eq(got, "|||The liver shows plintarex change.\nThe spleen is 12 mm.|||\n",
                     "the latest revision's sections only: %s", got);
    got[0] = '\0';
    cr_assert_eq(store_lm_report_texts_each(s, org_b.id, 100, texts, got), RA_OK);
    cr_assert_str_eq(got, "|||There is blenthorax of the lung.|||\n");
    got[0] = '\0';
    cr_assert_eq(store_lm_report_texts_each(s, org_a.id, 0, texts, got), RA_OK);
    cr_assert_str_eq(got, "", "at most max_reports");

    int64_t n = -1;
    cr_assert_eq(store_lm_templates_changed(s, org_a.id, NULL, &n), RA_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(store_lm_templates_changed(s, org_a.id, "9999-01-01T00:00:00.000Z", &n), RA_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(store_lm_templates_changed(s, org_b.id, "", &n), RA_OK);
    cr_assert_eq(n, 0);
}

/* The corpus of org's model, all sentences joined by newlines. */
static char *corpus_text(const char *org_id, lm_corpus_stats *cs)
{
    asr_corpus *base = NULL, *c = NULL;
    uint64_t fp = 0;
    char err[256] = "";
    cr_assert_eq(lm_base_corpus(&cfg, &base, &fp, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(lm_org_corpus(&cfg, base, org_id, &c, cs), RA_OK);
    size_t len = 1;
    for (size_t i = 0; i < asr_corpus_count(c); i++)
        len += strlen(asr_corpus_sentences(c)[i]) + 1;
    char *all = calloc(1, len);
    for (size_t i = 0; i < asr_corpus_count(c); i++) {
        append(all, len, asr_corpus_sentences(c)[i]);
        append(all, len, "\n");
    }
    asr_corpus_free(base);
    asr_corpus_free(c);
    return all;
}

Test(lm_refresh, corpus_holds_the_latest_sections_and_own_templates_only)
{
    fill();
    lm_corpus_stats cs;
    char *a = corpus_text(org_a.id, &cs);
    cr_assert_eq(cs.reports, 1);
    cr_assert_eq(cs.templates, 1);
    cr_assert(strstr(a, "findings colon the liver is normal period\n") != NULL, "base: %s", a);
    cr_assert(strstr(a, "findings colon the liver shows plintarex change period\n") != NULL &&
                  strstr(a, "\nthe spleen is twelve millimeters period\n") != NULL,
              "the report as dictated, in spoken form: %s", a);
    cr_assert(strstr(a, "\nthe liver shows plintarex change\n") != NULL,
              "and in the natural form of dictation: %s", a);
    cr_assert(strstr(a, "frobulant") != NULL, "its own English template");
    const char *never[] = {"quorvaline", "zebulon",   "quaxley",  "98765", "acc55", "quorvex",
                           "blenthorax", "dolmantik", "gorsevik", "alice", "803910"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        cr_assert(strstr(a, never[i]) == NULL, "\"%s\" entered A's corpus:\n%s", never[i], a);
    char *b = corpus_text(org_b.id, &cs);
    cr_assert_eq(cs.reports, 1);
    cr_assert_eq(cs.templates, 0);
    cr_assert(strstr(b, "there is blenthorax of the lung period") != NULL, "%s", b);
    cr_assert(strstr(b, "plintarex") == NULL && strstr(b, "frobulant") == NULL);
    free(a);
    free(b);
}

Test(lm_refresh, corpus_respects_the_text_limit)
{
    fill();
    cfg.max_bytes = 10; /* smaller than any report */
    lm_corpus_stats cs;
    char *a = corpus_text(org_a.id, &cs);
    cr_assert_eq(cs.reports, 0);
    cr_assert_eq(cs.skipped, 1);
    cr_assert(strstr(a, "plintarex") == NULL);
    free(a);
}

/* The base corpus's fingerprint of cfg with background bg. */
static uint64_t base_fingerprint(const asr_background *bg)
{
    asr_corpus *base = NULL;
    uint64_t fp = 0;
    char err[256] = "";
    cfg.sources.background = bg;
    cr_assert_eq(lm_base_corpus(&cfg, &base, &fp, err, sizeof err), RA_OK, "%s", err);
    asr_corpus_free(base);
    cfg.sources.background = NULL;
    return fp;
}

Test(lm_refresh, a_changed_background_changes_the_base_fingerprint)
{
    /* An upgrade that changes the background words or their mass must
     * rebuild the organizations' models, as a changed phrase file does. */
    char *words[] = {"ladder", "fell"};
    double probs[] = {0.5, 0.5};
    asr_background bg = {.words = words, .probs = probs, .n = 2, .mass = 0.02};
    uint64_t none = base_fingerprint(NULL), with = base_fingerprint(&bg);
    cr_assert_neq(none, with);
    cr_assert_eq(base_fingerprint(&bg), with, "the same background, the same fingerprint");
    bg.mass = 0.05;
    cr_assert_neq(base_fingerprint(&bg), with);
    bg.mass = 0.02;
    bg.n = 1;
    cr_assert_neq(base_fingerprint(&bg), with);
}

Test(lm_refresh, new_material)
{
    lm_record last = {.revisions = 10, .templates = 3};
    store_lm_activity now = {.revisions = 14, .templates = 3};
    cr_assert_eq(lm_new_material(&last, &now, 0), 4);
    cr_assert_eq(lm_new_material(&last, &now, 2), 6, "templates changed count");
    now.templates = 1;
    cr_assert_eq(lm_new_material(&last, &now, 0), 6, "two templates deleted");
    now = (store_lm_activity){.revisions = 9, .templates = 5};
    cr_assert_eq(lm_new_material(&last, &now, -1), 0, "never negative");
}

Test(lm_refresh, build_due)
{
    lm_refresh_config c = {.min_new = 5, .min_interval_ms = 60000};
    lm_record never = {.built_ms = 0};
    cr_assert(!lm_build_due(&c, &never, 4, 7, 1000000));
    cr_assert(lm_build_due(&c, &never, 5, 7, 1000000), "enough material");
    lm_record built = {.built_ms = 1000000, .attempt_ms = 1000000, .base = 7};
    cr_assert(!lm_build_due(&c, &built, 50, 7, 1059999), "at most once per interval");
    cr_assert(lm_build_due(&c, &built, 5, 7, 1060000));
    cr_assert(!lm_build_due(&c, &built, 0, 7, 9000000), "nothing new");
    cr_assert(lm_build_due(&c, &built, 0, 8, 1060000), "built on another base corpus");
    cr_assert(!lm_build_due(&c, &built, 0, 8, 1000001), "but not before the interval");
    lm_record failed = {.built_ms = 0, .attempt_ms = 1000000};
    cr_assert(!lm_build_due(&c, &failed, 50, 7, 1000500), "a failed attempt counts too");
    cr_assert(!lm_build_due(&c, &never, 0, 8, 1000000), "no model, no material: nothing");
    c.min_new = 0;
    cr_assert(!lm_build_due(&c, &never, 1000, 7, 1000000), "0 turns the models off");
}

Test(lm_refresh, record_round_trip_and_bad_files)
{
    char path[128];
    snprintf(path, sizeof path, "%s/build.txt", fx.dir);
    lm_record r = {.built_ms = 1764370000123,
                   .attempt_ms = 1764370000999,
                   .revisions = 42,
                   .templates = 3,
                   .base = 0xfedcba9876543210u,
                   .reports = 40,
                   .sentences = 700,
                   .vocabulary = 1100,
                   .seconds = 0.25};
    snprintf(r.built_at, sizeof r.built_at, "2026-11-28T21:05:18.123Z");
    cr_assert_eq(lm_record_write(path, &r), RA_OK);
    lm_record back;
    cr_assert_eq(lm_record_read(path, &back), RA_OK);
    cr_assert_eq(back.built_ms, r.built_ms);
    cr_assert_eq(back.attempt_ms, r.attempt_ms);
    cr_assert_str_eq(back.built_at, r.built_at);
    cr_assert_str_eq(back.templates_at, "", "an empty time reads back empty");
    cr_assert_eq(back.revisions, 42);
    cr_assert_eq(back.templates, 3);
    cr_assert_eq(back.base, r.base);
    cr_assert_eq(back.vocabulary, 1100);
    cr_assert_float_eq(back.seconds, 0.25, 1e-9);

    char missing[160];
    snprintf(missing, sizeof missing, "%s/none.txt", fx.dir);
    cr_assert_eq(lm_record_read(missing, &back), RA_ERR_NOT_FOUND);
    FILE *fp = fopen(path, "w");
    fputs("revisions many\n", fp);
    fclose(fp);
    back.revisions = 7;
    cr_assert_eq(lm_record_read(path, &back), RA_ERR_FORMAT);
    cr_assert_eq(back.revisions, 7, "nothing written on error");
    fp = fopen(path, "w");
    fputs("# comment\nfuture_field 1\nrevisions 5\n", fp);
    fclose(fp);
    cr_assert_eq(lm_record_read(path, &back), RA_OK);
    cr_assert_eq(back.revisions, 5);
}

Test(lm_refresh, paths_take_only_uuids)
{
    lm_org_paths p;
    cr_assert_eq(lm_org_paths_get("/data", org_a.id, &p), RA_OK);
    char expected[256];
    snprintf(expected, sizeof expected, "/data/asr/org/%s/radiology-en.lm", org_a.id);
    cr_assert_str_eq(p.lm, expected);
    cr_assert_eq(lm_org_paths_get("/data", "../../etc", &p), RA_ERR_INVALID);
    cr_assert_eq(lm_org_paths_get("/data", "", &p), RA_ERR_INVALID);
    cr_assert_eq(lm_org_paths_get("/data", NULL, &p), RA_ERR_INVALID);
}

/* True when the file at path contains word as a whole line's first word
 * (an ARPA unigram line has it after the probability and a tab). */
static int file_has(const char *path, const char *text)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, fp) != NULL)
        found = strstr(line, text) != NULL;
    fclose(fp);
    return found;
}

Test(lm_refresh, a_pass_builds_the_organizations_due)
{
    fill();
    lm_refresher *r = NULL;
    char err[256] = "";
    cr_assert_eq(lm_refresher_new(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    int built = -1;
    cr_assert_eq(lm_refresher_run(r, 1000000, &built), RA_OK);
    cr_assert_eq(built, 1, "A has 2 revisions and a template; B only 1 revision");
    lm_org_paths a, b;
    cr_assert_eq(lm_org_paths_get(fx.dir, org_a.id, &a), RA_OK);
    cr_assert_eq(lm_org_paths_get(fx.dir, org_b.id, &b), RA_OK);
    cr_assert(file_has(a.lm, "plintarex"));
    cr_assert(file_has(a.dict, "plintarex"));
    cr_assert(file_has(a.lm, "frobulant"));
    cr_assert(!file_has(a.lm, "quorvaline"));
    cr_assert(!file_has(a.lm, "zebulon"));
    cr_assert_neq(access(b.dir, F_OK), 0, "no folder for B yet");
    struct stat sb;
    cr_assert_eq(stat(a.dir, &sb), 0);
    cr_assert_eq(sb.st_mode & 0777, 0700, "the folder is the server's alone");
    char leftover[LM_PATH_MAX + 40];
    snprintf(leftover, sizeof leftover, "%s.new", a.lm);
    cr_assert_neq(access(leftover, F_OK), 0, "renamed into place");
    lm_record rec;
    cr_assert_eq(lm_record_read(a.record, &rec), RA_OK);
    cr_assert_eq(rec.built_ms, 1000000);
    cr_assert_eq(rec.revisions, 2);
    cr_assert_eq(rec.templates, 1);
    cr_assert_eq(rec.reports, 1);
    cr_assert_gt(rec.vocabulary, 5);
    cr_assert(!file_has(a.record, "plintarex"), "the record holds no text");

    cr_assert_eq(lm_refresher_run(r, 2000000, &built), RA_OK);
    cr_assert_eq(built, 0, "nothing new since");

    store_report more;
    save(&bob, "en", "Second blenthorax report.", "", &more);
    cr_assert_eq(lm_refresher_run(r, 3000000, &built), RA_OK);
    cr_assert_eq(built, 1, "B reached two revisions");
    cr_assert(file_has(b.lm, "blenthorax"));
    cr_assert(!file_has(b.lm, "plintarex"), "never another organization's words");
    cr_assert(!file_has(a.lm, "blenthorax"));
    lm_refresher_free(r);
}

Test(lm_refresh, a_pass_waits_for_the_interval)
{
    fill();
    cfg.min_interval_ms = 10 * 60000;
    lm_refresher *r = NULL;
    char err[256] = "";
    cr_assert_eq(lm_refresher_new(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    int built = -1;
    cr_assert_eq(lm_refresher_run(r, 1000000, &built), RA_OK);
    cr_assert_eq(built, 1);
    store_report x, y;
    save(&alice, "en", "Third report with zorbrin.", "", &x);
    save(&alice, "en", "Fourth report with zorbrin.", "", &y);
    cr_assert_eq(lm_refresher_run(r, 1000000 + 60000, &built), RA_OK);
    cr_assert_eq(built, 0, "a minute later: too soon");
    lm_org_paths a;
    cr_assert_eq(lm_org_paths_get(fx.dir, org_a.id, &a), RA_OK);
    cr_assert(!file_has(a.lm, "zorbrin"));
    cr_assert_eq(lm_refresher_run(r, 1000000 + 10 * 60000, &built), RA_OK);
    cr_assert_eq(built, 1);
    cr_assert(file_has(a.lm, "zorbrin"));
    lm_refresher_free(r);
}

Test(lm_refresh, template_changes_count_as_material)
{
    own_template(&alice, "en", "txt", "Findings: the vemurine duct.");
    own_template(&alice, "en", "txt", "Findings: the gastral duct.");
    lm_refresher *r = NULL;
    char err[256] = "";
    cr_assert_eq(lm_refresher_new(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    int built = -1;
    cr_assert_eq(lm_refresher_run(r, 1000000, &built), RA_OK);
    cr_assert_eq(built, 1, "two new templates");
    lm_org_paths a;
    cr_assert_eq(lm_org_paths_get(fx.dir, org_a.id, &a), RA_OK);
    cr_assert(file_has(a.lm, "vemurine"));
    own_template(&alice, "en", "txt", "Findings: the kestrine duct.");
    cr_assert_eq(lm_refresher_run(r, 2000000, &built), RA_OK);
    cr_assert_eq(built, 0, "one change is not enough");
    own_template(&alice, "en", "txt", "Findings: the pelorine duct.");
    cr_assert_eq(lm_refresher_run(r, 3000000, &built), RA_OK);
    cr_assert_eq(built, 1);
    cr_assert(file_has(a.lm, "kestrine") && file_has(a.lm, "pelorine"));
    lm_refresher_free(r);
}

Test(lm_refresh, a_thread_builds_and_stops)
{
    fill();
    cfg.poll_ms = 50;
    lm_refresher *r = NULL;
    char err[256] = "";
    cr_assert_eq(lm_refresher_new(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(lm_refresher_start(r), RA_OK);
    lm_org_paths a;
    cr_assert_eq(lm_org_paths_get(fx.dir, org_a.id, &a), RA_OK);
    for (int i = 0; i < 400 && access(a.record, F_OK) != 0; i++)
        usleep(50000);
    cr_assert_eq(access(a.lm, R_OK), 0, "built by the thread within 20 s");
    lm_refresher_free(r);
}

Test(lm_refresh, an_unwritable_folder_fails_and_waits)
{
    fill();
    cfg.min_interval_ms = 60000;
    char asr[128];
    snprintf(asr, sizeof asr, "%s/asr", fx.dir);
    FILE *fp = fopen(asr, "w"); /* a file where the folder should be */
    cr_assert_not_null(fp);
    fclose(fp);
    lm_refresher *r = NULL;
    char err[256] = "";
    cr_assert_eq(lm_refresher_new(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    int built = -1;
    cr_assert_eq(lm_refresher_run(r, 1000000, &built), RA_OK);
    cr_assert_eq(built, 0);
    lm_refresher_free(r);
}

static int no_language(asr_engine *e, const char *lang)
{
    (void)e;
    (void)lang;
    return 0;
}

Test(lm_refresh, a_job_gets_its_organizations_model_or_the_shared_one)
{
    fill();
    lm_refresher *r = NULL;
    char err[256] = "", lm[128], dict[128];
    cr_assert_eq(lm_refresher_new(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    int built = 0;
    cr_assert_eq(lm_refresher_run(r, 1000000, &built), RA_OK);
    cr_assert_eq(built, 1, "A only");
    lm_refresher_free(r);

    /* The shared model: the base phrases alone. */
    snprintf(lm, sizeof lm, "%s/shared.lm", fx.dir);
    snprintf(dict, sizeof dict, "%s/shared.dict", fx.dir);
    asr_corpus *base = NULL;
    uint64_t fp = 0;
    cr_assert_eq(lm_base_corpus(&cfg, &base, &fp, err, sizeof err), RA_OK);
    cr_assert_eq(asr_domain_build(base, NULL, NULL, NULL, lm, dict, NULL, err, sizeof err), RA_OK,
                 "%s", err);
    asr_corpus_free(base);
    asr_local_config ac = {.lm_path = lm, .dict_path = dict};
    asr_engine *e = NULL;
    cr_assert_eq(asr_local_new(&ac, &e, err, sizeof err), RA_OK, "%s", err);

    cr_assert_eq(lm_org_select(e, fx.dir, org_a.id, "job-a"), 1);
    cr_assert_eq(asr_local_models_loaded(e), 1);
    cr_assert_eq(lm_org_select(e, fx.dir, org_b.id, "job-b"), 0, "B has no model: the shared one");
    cr_assert_eq(lm_org_select(e, fx.dir, "../../etc", "job-x"), 0);
    cr_assert_eq(lm_org_select(e, fx.dir, org_a.id, "job-a2"), 1, "still cached");
    cr_assert_eq(asr_local_models_loaded(e), 1);

    lm_org_paths a;
    cr_assert_eq(lm_org_paths_get(fx.dir, org_a.id, &a), RA_OK);
    char tmp[LM_PATH_MAX + 40];
    snprintf(tmp, sizeof tmp, "%s.broken", a.lm);
    FILE *f = fopen(tmp, "w");
    cr_assert_not_null(f);
    fputs("not a language model\n", f);
    fclose(f);
    cr_assert_eq(rename(tmp, a.lm), 0);
    cr_assert_eq(lm_org_select(e, fx.dir, org_a.id, "job-a3"), 0, "unusable: the shared one");

    asr_engine other = {.name = "openai", .supports = no_language};
    cr_assert_eq(lm_org_select(&other, fx.dir, org_a.id, "job-o"), 0, "another engine: untouched");
    e->free(e);
}
