/* test_migrations.c - unit tests of the migrations that change how the
 * store keeps what it holds: a database made at the version before one
 * (store_open_at_version), rows written into it as the code of that
 * version wrote them (plain SQL here, since today's store functions write
 * the new format), then the migration, and the rows read back through
 * today's store functions. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/sections.h"
#include "store/store.h"

#define V_REVISION_COLUMNS 7 /* the last version with a revision's content as JSON */
#define V_WARNING_ROWS 8     /* the last version with an exam's warnings as text */
#define V_JOB_SIGNED 9       /* the last version with every callback signed by its job */
#define V_QUEUE_COUNTED 16   /* the first version with the exams queued counted */

static char dir[TEMPDIR_LEN];
static store *s;
static store_org org;
static store_user alice;

static void make_dir(void)
{
    cr_assert_eq(ids_init(), RA_OK);
    tempdir_make(dir, "migrate");
}

static void remove_dir(void)
{
    store_close(s);
    s = NULL;
    tempdir_remove(dir);
}

TestSuite(migrations, .init = make_dir, .fini = remove_dir);

static int run_sql(const char *sql);

#define ORG_ID "22222222-2222-4222-8222-222222222222"
#define ALICE_ID "33333333-3333-4333-8333-333333333333"

/* Makes the database at version (the schema before a migration) with an
 * organization and a member, written in plain SQL as every version since
 * the first wrote them (today's store functions read and write columns
 * that later migrations add), and closes it again. */
static void old_database(int version)
{
    cr_assert_eq(store_open_at_version(dir, version, &s), RA_OK);
    store_close(s);
    s = NULL;
    cr_assert_eq(run_sql("INSERT INTO organizations (id, name, type, active, credits, created_at)"
                         " VALUES ('" ORG_ID "', 'Eski Hastane', 'hospital', 1, 5,"
                         " '2026-01-01T00:00:00Z');"
                         "INSERT INTO users (id, email, email_key, name, role, org_id,"
                         " password_hash, active, created_at) VALUES ('" ALICE_ID "', 'a@x.org',"
                         " 'a@x.org', 'Alice', 'radiologist', '" ORG_ID "', 'h', 1,"
                         " '2026-01-01T00:00:00Z');"),
                 SQLITE_OK);
    snprintf(org.id, sizeof org.id, "%s", ORG_ID);
    snprintf(alice.id, sizeof alice.id, "%s", ALICE_ID);
}

/* Runs SQL on the closed database, as the code of an older version did;
 * returns sqlite3_exec's result. */
static int run_sql(const char *sql)
{
    char path[96];
    snprintf(path, sizeof path, "%s/raportai.db", dir);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    sqlite3_free(err);
    sqlite3_close(db);
    return rc;
}

/* The text of the first column of the first row of a query ("" when NULL
 * or no row) into out. */
static void query_text(const char *sql, char *out, size_t n)
{
    char path[96];
    snprintf(path, sizeof path, "%s/raportai.db", dir);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    const unsigned char *v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    snprintf(out, n, "%s", v ? (const char *)v : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* True when the database is at schema version v. */
static int at_version(int v)
{
    char now[16], want[16];
    query_text("SELECT MAX(version) FROM schema_migrations", now, sizeof now);
    snprintf(want, sizeof want, "%d", v);
    return strcmp(now, want) == 0;
}

/* ---- report revisions: from one JSON text to columns ------------------------------- */

#define REPORT_ID "11111111-1111-4111-8111-111111111111"

/* A report saved twice by the web API of version 7: the reports row holds
 * revision 2's fields, and each revision its JSON text, as
 * src/api/web_reports.c wrote it (json_dumps, compact). */
static void old_report(const char *rev1, const char *rev2)
{
    char sql[8192];
    snprintf(sql, sizeof sql,
             "INSERT INTO reports (id, org_id, user_id, job_id, revision, sut_code, exam_name,"
             " modality, patient_name, patient_id, accession, language, search_key, created_at,"
             " created_ms, updated_at) VALUES ('" REPORT_ID "', '%s', '%s', NULL, 2, '803911',"
             " 'Kranial BT', 'CT', 'Ayşe Yılmaz', 'TC-2', 'ACC-2', 'tr', '|x|', "
             "'2026-01-02T03:04:05Z', 1767323045000, '2026-01-03T03:04:05Z');"
             "INSERT INTO report_revisions (report_id, revision, user_id, sections, created_at)"
             " VALUES ('" REPORT_ID "', 1, '%s', '%s', '2026-01-02T03:04:05Z'),"
             " ('" REPORT_ID "', 2, '%s', '%s', '2026-01-03T03:04:05Z');",
             org.id, alice.id, alice.id, rev1, alice.id, rev2);
    cr_assert_eq(run_sql(sql), SQLITE_OK);
}

#define REV1                                                                                       \
    "{\"header\":{\"sutCode\":\"803910\",\"examName\":\"Beyin BT\",\"modality\":\"CT\","           \
    "\"patientName\":\"Ayşe Şahin\",\"patientId\":\"TC-1\",\"accessionNo\":\"ACC-1\","           \
    "\"language\":\"tr\"},\"sections\":{\"clinical\":\"Baş ağrısı.\",\"technique\":\"\","      \
    "\"comparison\":\"\",\"findings\":\"Beyin \\\"parankimi\\\" normal.\\nSatır iki.\","          \
    "\"conclusion\":\"Normal.\",\"impression\":\"\"}}"
#define REV2                                                                                       \
    "{\"header\":{\"sutCode\":\"803911\",\"examName\":\"Kranial BT\",\"modality\":\"CT\","         \
    "\"patientName\":\"Ayşe Yılmaz\",\"patientId\":\"TC-2\",\"accessionNo\":\"ACC-2\","          \
    "\"language\":\"tr\"},\"sections\":{\"clinical\":\"\",\"technique\":\"Kontrastsız.\","        \
    "\"comparison\":\"Yok.\",\"findings\":\"Düzeltilmiş bulgu.\",\"conclusion\":\"\","           \
    "\"impression\":\"İzlem.\"}}"

Test(migrations, revisions_move_from_json_to_columns)
{
    old_database(V_REVISION_COLUMNS - 1);
    old_report(REV1, REV2);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    store_revision v;
    cr_assert_eq(store_report_revision(s, REPORT_ID, 1, &v), RA_OK);
    cr_assert_eq(v.revision, 1);
    cr_assert_str_eq(v.author, "Alice");
    cr_assert_str_eq(v.created_at, "2026-01-02T03:04:05Z");
    cr_assert_eq(v.shown.revision, 1);
    cr_assert_str_eq(v.shown.sut_code, "803910");
    cr_assert_str_eq(v.shown.exam_name, "Beyin BT");
    cr_assert_str_eq(v.shown.modality, "CT");
    cr_assert_str_eq(v.shown.patient_name, "Ayşe Şahin");
    cr_assert_str_eq(v.shown.patient_id, "TC-1");
    cr_assert_str_eq(v.shown.accession, "ACC-1");
    cr_assert_str_eq(v.shown.language, "tr");
    cr_assert_str_eq(v.sections[REPORT_SEC_KLINIK], "Baş ağrısı.");
    cr_assert_str_eq(v.sections[REPORT_SEC_TEKNIK], "");
    cr_assert_str_eq(v.sections[REPORT_SEC_KARSILASTIRMA], "");
    cr_assert_str_eq(v.sections[REPORT_SEC_BULGULAR], "Beyin \"parankimi\" normal.\nSatır iki.");
    cr_assert_str_eq(v.sections[REPORT_SEC_SONUC], "Normal.");
    cr_assert_str_eq(v.sections[REPORT_SEC_IZLENIM], "");
    store_revision_release(&v);
    cr_assert_eq(store_report_revision(s, REPORT_ID, 0, &v), RA_OK);
    cr_assert_eq(v.revision, 2);
    cr_assert_str_eq(v.shown.sut_code, "803911");
    cr_assert_str_eq(v.shown.patient_name, "Ayşe Yılmaz");
    cr_assert_str_eq(v.sections[REPORT_SEC_TEKNIK], "Kontrastsız.");
    cr_assert_str_eq(v.sections[REPORT_SEC_KARSILASTIRMA], "Yok.");
    cr_assert_str_eq(v.sections[REPORT_SEC_BULGULAR], "Düzeltilmiş bulgu.");
    cr_assert_str_eq(v.sections[REPORT_SEC_IZLENIM], "İzlem.");
    store_revision_release(&v);
    char gone[8];
    query_text("SELECT COUNT(*) FROM pragma_table_info('report_revisions')"
               " WHERE name = 'sections'",
               gone, sizeof gone);
    cr_assert_str_eq(gone, "0", "the JSON column is gone");
}

/* What the web API read from a content missing members, or holding other
 * than strings: the report row's value for a header field, "" for a
 * section. The migration reads it the same way. */
Test(migrations, revisions_read_missing_members_as_the_web_api_did)
{
    old_database(V_REVISION_COLUMNS - 1);
    old_report("{\"header\":{\"patientName\":7,\"examName\":\"Eski ad\"},"
               "\"sections\":{\"findings\":[\"x\"],\"conclusion\":\"Var.\"}}",
               "{\"sections\":{}}");
    cr_assert_eq(store_open(dir, &s), RA_OK);
    store_revision v;
    cr_assert_eq(store_report_revision(s, REPORT_ID, 1, &v), RA_OK);
    cr_assert_str_eq(v.shown.exam_name, "Eski ad");
    cr_assert_str_eq(v.shown.patient_name, "Ayşe Yılmaz", "the row's, where not a string");
    cr_assert_str_eq(v.shown.sut_code, "803911");
    cr_assert_str_eq(v.sections[REPORT_SEC_BULGULAR], "");
    cr_assert_str_eq(v.sections[REPORT_SEC_SONUC], "Var.");
    store_revision_release(&v);
    cr_assert_eq(store_report_revision(s, REPORT_ID, 2, &v), RA_OK);
    cr_assert_str_eq(v.shown.accession, "ACC-2");
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++)
        cr_assert_str_eq(v.sections[sec], "");
    store_revision_release(&v);
}

/* A content that is not a JSON object (no version wrote one) stops the
 * migration: the database stays at the older version, the row as it was. */
static void refused(const char *content)
{
    old_database(V_REVISION_COLUMNS - 1);
    old_report(REV1, content);
    cr_assert_neq(store_open(dir, &s), RA_OK);
    s = NULL;
    cr_assert(at_version(V_REVISION_COLUMNS - 1));
    char kept[256];
    query_text("SELECT sections FROM report_revisions WHERE revision = 2", kept, sizeof kept);
    cr_assert_str_eq(kept, content);
}

Test(migrations, revisions_that_are_not_json_objects_stop_the_migration)
{
    refused("not JSON at all");
}

Test(migrations, revisions_that_are_json_arrays_stop_the_migration)
{
    refused("[\"findings\"]");
}

static void add_texts(const char *const sections[REPORT_SEC_COUNT], void *ctx)
{
    snprintf(ctx, 256, "%s|%s", sections[REPORT_SEC_BULGULAR], sections[REPORT_SEC_IZLENIM]);
}

Test(migrations, the_speech_corpus_reads_migrated_revisions)
{
    old_database(V_REVISION_COLUMNS - 1);
    old_report(REV1, REV2);
    cr_assert_eq(run_sql("UPDATE reports SET language = 'en'"), SQLITE_OK);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    char texts[256] = "";
    cr_assert_eq(store_lm_report_texts_each(s, org.id, 10, add_texts, texts), RA_OK);
    cr_assert_str_eq(texts, "Düzeltilmiş bulgu.|İzlem.", "the latest revision's sections");
}

/* ---- warnings of exams: from lines of text to rows ------------------------------------ */

/* A job of two exams made at the version before warnings were rows, whose
 * first exam holds warnings, as structuring/facts.c wrote them, and the
 * second none (NULL, as the rules engine left it). */
static void old_job(const char *warnings, char job_id[UUID_LEN])
{
    snprintf(job_id, UUID_LEN, "%s", "44444444-4444-4444-8444-444444444444");
    char sql[2048];
    snprintf(sql, sizeof sql,
             "INSERT INTO jobs (id, org_id, kind, status, transcript_input, input_lang,"
             " output_lang, hmac_secret, credits_reserved, created_at, created_ms)"
             " VALUES ('%s', '%s', 'pacs', 'pending', 'Chest CT. Next exam. Abdominal CT.',"
             " 'en', 'en', 'secret', 2, '2026-01-01T00:00:01Z', 1000);"
             "INSERT INTO job_exams (job_id, idx, sut_code, status)"
             " VALUES ('%s', 0, '990101', 'pending'), ('%s', 1, '990102', 'pending');"
             "UPDATE job_exams SET status = 'completed', structured_by = 'rules',"
             " warnings = '%s' WHERE job_id = '%s' AND idx = 0;"
             "UPDATE job_exams SET status = 'completed', structured_by = 'rules'"
             " WHERE job_id = '%s' AND idx = 1;",
             job_id, org.id, job_id, job_id, warnings, job_id, job_id);
    cr_assert_eq(run_sql(sql), SQLITE_OK);
}

static void assert_warning(const store_job_exam *e, size_t k, const char *code, const char *section,
                           const char *text)
{
    cr_assert_lt(k, e->n_warnings);
    cr_assert_str_eq(e->warnings[k].code, code);
    cr_assert_str_eq(e->warnings[k].section, section);
    cr_assert_str_eq(e->warnings[k].text, text);
}

Test(migrations, warnings_move_from_lines_to_rows)
{
    old_database(V_WARNING_ROWS - 1);
    char id[UUID_LEN];
    old_job("UNSUPPORTED_NUMBER\tfindings\t12 mm\n"
            "OTHER_EXAM_ANATOMY\tconclusion\tsağ böbrek\n"
            "UNSUPPORTED_LATERALITY\timpression\tleft\n"
            "MORE\t\t17\n",
            id);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    store_job j;
    cr_assert_eq(store_job_get(s, id, org.id, &j), RA_OK);
    cr_assert_eq(j.n_exams, 2);
    const store_job_exam *e = &j.exams[0];
    cr_assert_eq(e->n_warnings, 3);
    assert_warning(e, 0, "UNSUPPORTED_NUMBER", "findings", "12 mm");
    assert_warning(e, 1, "OTHER_EXAM_ANATOMY", "conclusion", "sağ böbrek");
    assert_warning(e, 2, "UNSUPPORTED_LATERALITY", "impression", "left");
    cr_assert_eq(e->more_warnings, 17);
    cr_assert_eq(j.exams[1].n_warnings, 0);
    cr_assert_null(j.exams[1].warnings);
    cr_assert_eq(j.exams[1].more_warnings, 0);
    store_job_release(&j);
    char gone[8];
    query_text("SELECT COUNT(*) FROM pragma_table_info('job_exams') WHERE name = 'warnings'", gone,
               sizeof gone);
    cr_assert_str_eq(gone, "0", "the text column is gone");
}

/* What the poll made of odd lines: a line with fewer than two tabs is no
 * warning, an empty section stays empty, a last line without a line feed
 * counts, and a text may hold a tab after the second. */
Test(migrations, warnings_lines_are_read_as_the_poll_read_them)
{
    old_database(V_WARNING_ROWS - 1);
    char id[UUID_LEN];
    old_job("\nno tabs here\nONE\ttab only\nCODE_A\t\tno section\n\n"
            "CODE_B\tfindings\ta\tb",
            id);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    store_job j;
    cr_assert_eq(store_job_get(s, id, NULL, &j), RA_OK);
    const store_job_exam *e = &j.exams[0];
    cr_assert_eq(e->n_warnings, 2);
    assert_warning(e, 0, "CODE_A", "", "no section");
    assert_warning(e, 1, "CODE_B", "findings", "a\tb");
    cr_assert_eq(e->more_warnings, 0);
    store_job_release(&j);
}

/* ---- which secret signs a callback ------------------------------------------------- */

/* A web app job (no API key) and an External API job made before jobs knew
 * which secret signs their callback: the web job is signed by its
 * organization from then on (once the organization has a secret), the API
 * job by its own. */
Test(migrations, earlier_web_jobs_are_signed_by_their_organization)
{
    old_database(V_JOB_SIGNED);
    cr_assert_eq(run_sql("INSERT INTO api_keys (id, key_hash, prefix, label, org_id, user_id,"
                         " created_at) VALUES ('55555555-5555-4555-8555-555555555555', 'h',"
                         " 'rapi_abcdefg', 'k', '" ORG_ID "', '" ALICE_ID "',"
                         " '2026-01-01T00:00:00Z');"
                         "INSERT INTO jobs (id, org_id, key_id, user_id, kind, status,"
                         " input_lang, output_lang, hmac_secret, credits_reserved, created_at,"
                         " created_ms) VALUES"
                         " ('66666666-6666-4666-8666-666666666666', '" ORG_ID "', NULL,"
                         " '" ALICE_ID "', 'report', 'completed', 'tr', 'tr', 'web-own', 1,"
                         " '2026-01-01T00:00:00Z', 1),"
                         " ('77777777-7777-4777-8777-777777777777', '" ORG_ID "',"
                         " '55555555-5555-4555-8555-555555555555', NULL, 'report', 'completed',"
                         " 'tr', 'tr', 'api-own', 1, '2026-01-01T00:00:00Z', 2);"),
                 SQLITE_OK);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    const char *secret = "abababababababababababababababababababababababababababababababab";
    cr_assert_eq(
        store_org_set_callback_secret(s, ORG_ID, STORE_SECRET_CREATE, secret, "m@x.org", NULL),
        RA_OK);
    const char *ids[2] = {"66666666-6666-4666-8666-666666666666",
                          "77777777-7777-4777-8777-777777777777"};
    const char *want[2] = {secret, "api-own"};
    for (int i = 0; i < 2; i++) {
        store_job j;
        cr_assert_eq(store_job_get(s, ids[i], NULL, &j), RA_OK);
        cr_assert_str_eq(j.hmac_secret, want[i]);
        store_job_release(&j);
    }
}

/* ---- the exams queued, counted ---------------------------------------------------------- */

static int64_t queued_exams(void)
{
    int64_t queued = -1, per_exam = 0;
    cr_assert_eq(store_job_stats(s, &queued, &per_exam), RA_OK);
    return queued;
}

/* Jobs queued, in progress and finished before the count was kept: the
 * migration counts the exams of the first two, and the triggers follow
 * changes made by SQL as well as by the store. */
Test(migrations, the_exams_queued_are_counted_from_the_jobs_there_and_kept_counting)
{
    old_database(V_QUEUE_COUNTED - 1);
    cr_assert_eq(run_sql("INSERT INTO jobs (id, org_id, kind, status, input_lang, output_lang,"
                         " hmac_secret, credits_reserved, created_at, created_ms) VALUES"
                         " ('a1111111-1111-4111-8111-111111111111', '" ORG_ID "', 'pacs',"
                         " 'pending', 'en', 'en', 's', 3, '2026-01-01T00:00:00Z', 1),"
                         " ('a2222222-2222-4222-8222-222222222222', '" ORG_ID "', 'report',"
                         " 'processing', 'en', 'en', 's', 1, '2026-01-01T00:00:00Z', 2),"
                         " ('a3333333-3333-4333-8333-333333333333', '" ORG_ID "', 'report',"
                         " 'completed', 'en', 'en', 's', 1, '2026-01-01T00:00:00Z', 3);"),
                 SQLITE_OK);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    cr_assert(at_version(store_latest_version()));
    cr_assert_eq(queued_exams(), 4);
    store_close(s);
    s = NULL;
    /* an operator's SQL: one finished, one failed back to pending, one deleted */
    cr_assert_eq(run_sql("UPDATE jobs SET status = 'failed'"
                         " WHERE id = 'a2222222-2222-4222-8222-222222222222';"
                         "UPDATE jobs SET status = 'pending'"
                         " WHERE id = 'a3333333-3333-4333-8333-333333333333';"
                         "UPDATE jobs SET status = 'processing'"
                         " WHERE id = 'a1111111-1111-4111-8111-111111111111';"),
                 SQLITE_OK);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    cr_assert_eq(queued_exams(), 4, "3 in progress and 1 pending again");
    store_close(s);
    s = NULL;
    cr_assert_eq(run_sql("DELETE FROM jobs WHERE id = 'a1111111-1111-4111-8111-111111111111';"),
                 SQLITE_OK);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    cr_assert_eq(queued_exams(), 1);
}
