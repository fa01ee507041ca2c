/* jobs.c - report jobs: creation with credit reservation, claiming under a
 * lease, finishing once with the credits settled, and queue figures (see
 * store.h). Every change of a job's state and of credits happens in one
 * write transaction, so a crash leaves either the old state or the new.
 *
 * An exam's results are columns of job_exams (its sections in
 * STORE_SEC_COLUMNS); the warnings of its report are rows of
 * job_exam_warnings (code, section key, text; n orders them from 0), and
 * job_exams.more_warnings counts those found beyond them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/failures.h"
#include "core/job_state.h"
#include "core/sections.h"
#include "store/internal.h"

#define JOB_ACTOR "report job"

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

static void text_row(store *s, db_stmt *st, void *ctx)
{
    store_col(s, st, 0, ctx, UUID_LEN);
}

/* ---- creation ---------------------------------------------------------------- */

static int insert_job_on(store *s, db_conn *c, const store_job_input *in, const char *id,
                         int64_t now_ms)
{
    char now[TIME_ISO_LEN];
    time_format_iso((time_t)(now_ms / 1000), now);
    int rc = store_exec1(
        s, c, 1,
        "INSERT INTO jobs (id, org_id, key_id, kind, status, audio_path, audio_sha256,"
        " audio_format, audio_ms, transcript_input, input_lang, output_lang, patient_id,"
        " patient_name, callback_url, hmac_secret, credits_reserved, created_at, created_ms,"
        " user_id, signed_with)"
        " VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        DB_ARGS(db_text(id), db_text(in->org_id), db_text(in->key_id), db_text(in->kind),
                db_text(in->audio_path), db_text(in->audio_sha256), db_text(in->audio_format),
                db_int((int64_t)(in->audio_seconds * 1000)), db_text(in->transcript),
                db_text(in->input_lang), db_text(in->output_lang), db_text(in->patient_id),
                db_text(in->patient_name), db_text(in->callback_url), db_text(in->hmac_secret),
                db_int((int64_t)in->n_exams), db_text(now), db_int(now_ms), db_text(in->user_id),
                db_text(in->signed_by_org ? "organization" : "job")));
    for (size_t i = 0; rc == RA_OK && i < in->n_exams; i++) {
        const store_exam_input *e = &in->exams[i];
        rc = store_exec1(
            s, c, 1,
            "INSERT INTO job_exams (job_id, idx, accession, sut_code, tele_code,"
            " template_content, template_format, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')",
            DB_ARGS(db_text(id), db_int((int64_t)i), db_text(e->accession), db_text(e->sut_code),
                    db_text(e->tele_code), db_text(e->template_content),
                    db_text(e->template_format)));
    }
    return rc;
}

static int create_on(store *s, db_conn *c, const store_job_input *in, int64_t now_ms,
                     int64_t dup_window_s, char job_id[UUID_LEN], char dup_job_id[UUID_LEN],
                     int64_t *balance_after)
{
    if (in->audio_sha256 != NULL && dup_window_s > 0) {
        char dup[UUID_LEN] = "";
        int rc = store_query(s, c, text_row, dup, 0,
                             "SELECT id FROM jobs WHERE org_id = ? AND audio_sha256 = ?"
                             " AND status <> 'failed' AND created_ms >= ?"
                             " ORDER BY created_ms LIMIT 1",
                             DB_ARGS(db_text(in->org_id), db_text(in->audio_sha256),
                                     db_int(now_ms - dup_window_s * 1000)));
        if (rc != RA_OK)
            return rc;
        if (dup[0] != '\0') {
            store_copy(dup_job_id, UUID_LEN, dup);
            return RA_ERR_EXISTS;
        }
    }
    char id[UUID_LEN], reason[80];
    ids_uuid(id);
    snprintf(reason, sizeof reason, "reserve: job %s", id);
    int rc = store_credits_add_on(s, c, in->org_id, -(int64_t)in->n_exams, reason, JOB_ACTOR,
                                  balance_after);
    if (rc == RA_OK)
        rc = insert_job_on(s, c, in, id, now_ms);
    if (rc == RA_OK)
        store_copy(job_id, UUID_LEN, id);
    return rc;
}

/* store_job_create's arguments, for store_grouped. */
typedef struct create_args {
    const store_job_input *in;
    int64_t now_ms, dup_window_s;
    char *job_id, *dup_job_id;
    int64_t *balance_after;
} create_args;

static int create_work(store *s, db_conn *c, void *ctx)
{
    create_args *a = ctx;
    return create_on(s, c, a->in, a->now_ms, a->dup_window_s, a->job_id, a->dup_job_id,
                     a->balance_after);
}

int store_job_create(store *s, const store_job_input *in, int64_t now_ms, int64_t dup_window_s,
                     char job_id[UUID_LEN], char dup_job_id[UUID_LEN], int64_t *balance_after)
{
    if (in->n_exams < 1 || in->n_exams > STORE_EXAMS_MAX)
        return RA_ERR_INVALID;
    create_args a = {in, now_ms, dup_window_s, job_id, dup_job_id, balance_after};
    return store_grouped(s, create_work, &a);
}

/* ---- reading -------------------------------------------------------------------- */

/* The secret a job's callback is signed with now (store_job.hmac_secret):
 * the job's own, or its organization's current one for a job signed with
 * it, as long as the organization has one. */
#define JOB_SIGNING_SECRET                                                                         \
    "CASE WHEN j.signed_with = 'organization' THEN COALESCE((SELECT o.callback_secret"             \
    " FROM organizations o WHERE o.id = j.org_id), j.hmac_secret) ELSE j.hmac_secret END"

#define JOB_COLUMNS                                                                                \
    "j.id, j.org_id, j.kind, j.status, j.created_at, COALESCE(j.started_at, ''),"                  \
    " COALESCE(j.finished_at, ''), j.audio_path, j.audio_sha256, j.transcript_input,"              \
    " j.input_lang, j.output_lang, j.patient_id, j.patient_name, j.callback_url,"                  \
    " " JOB_SIGNING_SECRET ", j.transcript, j.error_code, j.error_message, j.attempts,"            \
    " j.credits_reserved, COALESCE(j.credits_used, -1), COALESCE(j.processing_ms, -1),"            \
    " cb.status, COALESCE(cb.attempts, 0), COALESCE(cb.last_http_status, -1),"                     \
    " cb.last_error, cb.last_attempt_at, cb.delivered_at, COALESCE(j.user_id, ''), j.result"

static void job_row(store *s, db_stmt *st, void *ctx)
{
    store_job *j = ctx;
    STORE_COL(s, st, 0, j->id);
    STORE_COL(s, st, 1, j->org_id);
    STORE_COL(s, st, 2, j->kind);
    STORE_COL(s, st, 3, j->status);
    STORE_COL(s, st, 4, j->created_at);
    STORE_COL(s, st, 5, j->started_at);
    STORE_COL(s, st, 6, j->finished_at);
    char **texts[] = {&j->audio_path,  &j->audio_sha256, &j->transcript_input, &j->input_lang,
                      &j->output_lang, &j->patient_id,   &j->patient_name,     &j->callback_url,
                      &j->hmac_secret, &j->transcript,   &j->error_code,       &j->error_message};
    for (int i = 0; i < 12; i++)
        *texts[i] = store_col_dup(s, st, 7 + i);
    j->attempts = (int)s->driver->column_int64(st, 19);
    j->credits_reserved = s->driver->column_int64(st, 20);
    j->credits_used = s->driver->column_int64(st, 21);
    j->processing_ms = s->driver->column_int64(st, 22);
    j->cb_status = store_col_dup(s, st, 23);
    j->cb_attempts = (int)s->driver->column_int64(st, 24);
    j->cb_last_http_status = s->driver->column_int64(st, 25);
    j->cb_last_error = store_col_dup(s, st, 26);
    j->cb_last_attempt_at = store_col_dup(s, st, 27);
    j->cb_delivered_at = store_col_dup(s, st, 28);
    STORE_COL(s, st, 29, j->user_id);
    j->result = store_col_dup(s, st, 30);
}

/* The columns of an exam, each qualified with prefix p (the sections'
 * names are the exams' alone). */
#define EXAM_COLUMNS_OF(p)                                                                         \
    p "idx, " p "more_warnings, " p "accession, " p "sut_code, " p "tele_code, " p                 \
      "template_content, " p "template_format, " p "status, " p "modality, " p "exam_name, " p     \
      "transcript, " p "report_text, " p "report_html, " p "filled_template, " p                   \
      "template_used, " p "error_code, " p "error_message, " STORE_SEC_COLUMNS ", " p              \
      "structured_by"
#define EXAM_COLUMNS EXAM_COLUMNS_OF("")
#define EXAM_FIRST_TEXT 2 /* the column of accession */

/* The text fields of an exam in EXAM_COLUMNS' order (from accession); NULL
 * past the last. The sections follow report_section, as STORE_SEC_COLUMNS
 * does. */
static char **exam_fields(store_job_exam *e, int i)
{
    char **fields[] = {
        &e->accession,       &e->sut_code,     &e->tele_code,     &e->template_content,
        &e->template_format, &e->status,       &e->modality,      &e->exam_name,
        &e->transcript,      &e->report_text,  &e->report_html,   &e->filled_template,
        &e->template_used,   &e->error_code,   &e->error_message, &e->sections[0],
        &e->sections[1],     &e->sections[2],  &e->sections[3],   &e->sections[4],
        &e->sections[5],     &e->structured_by};
    return i < (int)(sizeof fields / sizeof fields[0]) ? fields[i] : NULL;
}

/* Reads the exam whose EXAM_COLUMNS start at column base into the next of
 * j's exams (j->exams allocated), unless it has STORE_EXAMS_MAX already. */
static void exam_read(store *s, db_stmt *st, int base, store_job *j)
{
    if (j->n_exams >= STORE_EXAMS_MAX)
        return;
    store_job_exam *e = &j->exams[j->n_exams++];
    e->idx = (int)s->driver->column_int64(st, base);
    e->more_warnings = s->driver->column_int64(st, base + 1);
    for (int i = 0; exam_fields(e, i) != NULL; i++)
        *exam_fields(e, i) = store_col_dup(s, st, base + EXAM_FIRST_TEXT + i);
}

static void exam_row(store *s, db_stmt *st, void *ctx)
{
    exam_read(s, st, 0, ctx);
}

#define WARNINGS_BYTES_MAX (1024 * 1024) /* of one exam's warnings, as read */

/* The warnings of a job's exams as they are read: for each exam, the
 * strings of its warnings (code, section, text, each with its NUL) one
 * after another, and how many warnings they are. */
typedef struct warnings_read {
    store_job *job;
    buf text[STORE_EXAMS_MAX];
    size_t n[STORE_EXAMS_MAX];
    int rc;
} warnings_read;

static void warning_row(store *s, db_stmt *st, void *ctx)
{
    warnings_read *w = ctx;
    int idx = (int)s->driver->column_int64(st, 0);
    for (size_t e = 0; e < w->job->n_exams; e++) {
        if (w->job->exams[e].idx != idx)
            continue;
        for (int col = 1; col <= 3 && w->rc == RA_OK; col++) {
            const char *v = s->driver->column_text(st, col);
            w->rc = buf_append(&w->text[e], v, strlen(v) + 1);
        }
        w->n[e]++;
        return;
    }
}

/* Gives e the n warnings whose strings are in text: one allocation, the
 * array followed by the strings it points into. */
static int warnings_make(store_job_exam *e, const buf *text, size_t n)
{
    if (n == 0)
        return RA_OK;
    store_exam_warning *w = malloc(n * sizeof *w + text->len);
    if (w == NULL)
        return RA_ERR_NOMEM;
    char *p = memcpy(w + n, text->data, text->len);
    for (size_t k = 0; k < n; k++) {
        w[k].code = p;
        p += strlen(p) + 1;
        w[k].section = p;
        p += strlen(p) + 1;
        w[k].text = p;
        p += strlen(p) + 1;
    }
    e->warnings = w;
    e->n_warnings = n;
    return RA_OK;
}

/* Reads the warnings of j's exams (read already) on c. */
static int read_warnings(store *s, db_conn *c, store_job *j)
{
    warnings_read w = {.job = j, .rc = RA_OK};
    for (size_t e = 0; e < STORE_EXAMS_MAX; e++)
        buf_init(&w.text[e], WARNINGS_BYTES_MAX);
    int rc = store_query(s, c, warning_row, &w, 0,
                         "SELECT idx, code, section, text FROM job_exam_warnings"
                         " WHERE job_id = ? ORDER BY idx, n",
                         DB_ARGS(db_text(j->id)));
    if (rc == RA_OK)
        rc = w.rc;
    for (size_t e = 0; rc == RA_OK && e < j->n_exams; e++)
        rc = warnings_make(&j->exams[e], &w.text[e], w.n[e]);
    for (size_t e = 0; e < STORE_EXAMS_MAX; e++)
        buf_release(&w.text[e]);
    return rc;
}

/* store_job_get on connection c (NULL: one from the pool). */
static int get_on(store *s, db_conn *c, const char *job_id, const char *org_id, store_job *out)
{
    store_job j = {0};
    int rc = store_query(s, c, job_row, &j, 1,
                         "SELECT " JOB_COLUMNS " FROM jobs j"
                         " LEFT JOIN callbacks cb ON cb.job_id = j.id"
                         " WHERE j.id = ? AND (? IS NULL OR j.org_id = ?)",
                         DB_ARGS(db_text(job_id), db_text(org_id), db_text(org_id)));
    if (rc == RA_OK) {
        j.exams = calloc(STORE_EXAMS_MAX, sizeof *j.exams);
        rc = j.exams ? RA_OK : RA_ERR_NOMEM;
    }
    if (rc == RA_OK)
        rc = store_query(s, c, exam_row, &j, 0,
                         "SELECT " EXAM_COLUMNS " FROM job_exams WHERE job_id = ? ORDER BY idx",
                         DB_ARGS(db_text(job_id)));
    if (rc == RA_OK)
        rc = read_warnings(s, c, &j);
    if (rc != RA_OK) {
        store_job_release(&j);
        return rc;
    }
    *out = j;
    return RA_OK;
}

int store_job_get(store *s, const char *job_id, const char *org_id, store_job *out)
{
    return get_on(s, NULL, job_id, org_id, out);
}

#define JOB_NCOLUMNS 31 /* in JOB_COLUMNS */

/* A poll's one query as it is read: the job from its first row, the
 * exams from every row that has one. */
typedef struct poll_read {
    store_job job;
    int64_t credits;
    int rows, rc;
} poll_read;

static void poll_row(store *s, db_stmt *st, void *ctx)
{
    poll_read *p = ctx;
    if (p->rows++ == 0) {
        job_row(s, st, &p->job);
        p->credits = s->driver->column_int64(st, JOB_NCOLUMNS);
    }
    if (s->driver->column_is_null(st, JOB_NCOLUMNS + 1) || p->rc != RA_OK)
        return;
    if (p->job.exams == NULL &&
        (p->job.exams = calloc(STORE_EXAMS_MAX, sizeof *p->job.exams)) == NULL) {
        p->rc = RA_ERR_NOMEM;
        return;
    }
    exam_read(s, st, JOB_NCOLUMNS + 1, &p->job);
}

int store_job_poll(store *s, const char *job_id, const char *org_id, store_job *out,
                   int64_t *credits)
{
    poll_read p = {.rc = RA_OK};
    int rc = store_query(s, NULL, poll_row, &p, 1,
                         "SELECT " JOB_COLUMNS ", og.credits, " EXAM_COLUMNS_OF(
                             "e.") " FROM jobs j JOIN organizations og ON og.id = j.org_id"
                                   " LEFT JOIN callbacks cb ON cb.job_id = j.id"
                                   " LEFT JOIN job_exams e ON e.job_id = j.id AND j.result IS NULL"
                                   " WHERE j.id = ? AND (? IS NULL OR j.org_id = ?) ORDER BY e.idx",
                         DB_ARGS(db_text(job_id), db_text(org_id), db_text(org_id)));
    if (rc == RA_OK)
        rc = p.rc;
    /* a job finished before results were kept is rendered from its exams,
     * warnings included */
    if (rc == RA_OK && p.job.result == NULL &&
        (job_state_is(p.job.status, JOB_COMPLETED) || job_state_is(p.job.status, JOB_FAILED)))
        rc = read_warnings(s, NULL, &p.job);
    if (rc != RA_OK) {
        store_job_release(&p.job);
        return rc;
    }
    *out = p.job;
    *credits = p.credits;
    return RA_OK;
}

void store_job_release(store_job *j)
{
    char *texts[] = {j->audio_path,  j->audio_sha256,  j->transcript_input,   j->input_lang,
                     j->output_lang, j->patient_id,    j->patient_name,       j->callback_url,
                     j->hmac_secret, j->transcript,    j->error_code,         j->error_message,
                     j->cb_status,   j->cb_last_error, j->cb_last_attempt_at, j->cb_delivered_at,
                     j->result};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        free(texts[i]);
    for (size_t e = 0; j->exams && e < j->n_exams; e++) {
        for (int i = 0; exam_fields(&j->exams[e], i) != NULL; i++)
            free(*exam_fields(&j->exams[e], i));
        free(j->exams[e].warnings);
    }
    free(j->exams);
    *j = (store_job){0};
}

/* ---- claiming ------------------------------------------------------------------- */

/* The fair queue. Workers take turns between organizations, not jobs: a
 * claim takes the oldest due job of the organization whose last claim is
 * the longest ago (organizations.claim_turn, the turn number of its last
 * claim; 0 for never), and gives that organization the next turn number.
 * So one organization's 500 queued jobs go one at a time between the
 * others' jobs instead of ahead of them; among organizations with equal
 * turns (none ever claimed) the oldest job goes first, as before. A job
 * whose lease ran out is due again and takes its organization's turn like
 * a new one: it waits, it is never lost.
 *
 * The query walks the organizations in turn order, not the due jobs: for
 * each, its oldest pending job and its oldest job with an expired lease are
 * two seeks in jobs_org_due (org_id, status, created_ms; migration 14), and
 * the walk stops after the first turn that has a due job (all organizations
 * never claimed for share turn 0 and are all looked at). The job is then
 * found by its organization and creation time. So a claim costs a few index
 * seeks per organization however long the queue is (bench/claim_queue.c:
 * 20,000 queued jobs of one organization, 20 others with 10, 1,000 idle). */
static const char claim_sql[] =
    "SELECT j.id, j.org_id, j.attempts, j.audio_path IS NOT NULL FROM"
    " (SELECT id, CASE WHEN expired_ms IS NULL OR pending_ms < expired_ms"
    "   THEN pending_ms ELSE expired_ms END AS first_ms"
    "  FROM (SELECT o.id AS id, o.claim_turn AS turn,"
    "         (SELECT MIN(p.created_ms) FROM jobs p"
    "          WHERE p.org_id = o.id AND p.status = 'pending') AS pending_ms,"
    "         (SELECT MIN(e.created_ms) FROM jobs e"
    "          WHERE e.org_id = o.id AND e.status = 'processing' AND e.lease_until < ?)"
    "          AS expired_ms"
    "        FROM organizations o) t"
    "  WHERE pending_ms IS NOT NULL OR expired_ms IS NOT NULL"
    "  ORDER BY turn, first_ms LIMIT 1) d"
    " JOIN jobs j ON j.org_id = d.id AND j.created_ms = d.first_ms"
    " WHERE j.status = 'pending' OR (j.status = 'processing' AND j.lease_until < ?)"
    " LIMIT 1";
struct due_job {
    char id[UUID_LEN];
    char org_id[UUID_LEN];
    int attempts;
    int has_audio;
};

static void due_row(store *s, db_stmt *st, void *ctx)
{
    struct due_job *d = ctx;
    STORE_COL(s, st, 0, d->id);
    STORE_COL(s, st, 1, d->org_id);
    d->attempts = (int)s->driver->column_int64(st, 2);
    d->has_audio = (int)s->driver->column_int64(st, 3);
}

static int finish_on(store *s, db_conn *c, const char *job_id, const char *worker_id,
                     int64_t now_ms, const store_job_result *r);

/* One claim attempt into *out. RA_ERR_BUSY (reused as "try again") after
 * failing a job that ran out of attempts. */
static int claim_on(store *s, db_conn *c, const char *worker_id, int64_t now_ms, int64_t lease_ms,
                    int max_attempts, store_claimed *out)
{
    struct due_job due = {.attempts = 0};
    int rc =
        store_query(s, c, due_row, &due, 1, claim_sql, DB_ARGS(db_int(now_ms), db_int(now_ms)));
    if (rc != RA_OK)
        return rc;
    if (due.attempts >= max_attempts) {
        char msg[128];
        snprintf(msg, sizeof msg, "Processing stopped after %d attempts.", due.attempts);
        store_job_result r = {.error_code = job_failure_code(JOB_FAIL_PROCESSING),
                              .error_message = msg};
        rc = finish_on(s, c, due.id, NULL, now_ms, &r);
        return rc == RA_OK ? RA_ERR_BUSY : rc;
    }
    char now[TIME_ISO_LEN];
    time_format_iso((time_t)(now_ms / 1000), now);
    rc = store_exec1(
        s, c, 1,
        "UPDATE jobs SET status = 'processing', attempts = attempts + 1,"
        " lease_owner = ?, lease_until = ?, started_at = COALESCE(started_at, ?)"
        " WHERE id = ?",
        DB_ARGS(db_text(worker_id), db_int(now_ms + lease_ms), db_text(now), db_text(due.id)));
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1,
                         "UPDATE organizations SET claim_turn ="
                         " (SELECT COALESCE(MAX(claim_turn), 0) + 1 FROM organizations)"
                         " WHERE id = ?",
                         DB_ARGS(db_text(due.org_id)));
    if (rc == RA_OK) {
        store_copy(out->id, UUID_LEN, due.id);
        out->attempt = due.attempts + 1;
        out->has_audio = due.has_audio;
    }
    return rc;
}

/* A claim's arguments, for store_grouped and store_savepoint; gave_up is
 * set when the claim settled a job out of attempts instead (committed
 * work: the caller looks again). */
typedef struct claim_args {
    const char *worker_id;
    int64_t now_ms, lease_ms;
    int max_attempts;
    store_claimed *out;
    int gave_up;
} claim_args;

static int claim_work(store *s, db_conn *c, void *ctx)
{
    claim_args *a = ctx;
    int rc = claim_on(s, c, a->worker_id, a->now_ms, a->lease_ms, a->max_attempts, a->out);
    a->gave_up = rc == RA_ERR_BUSY;
    return a->gave_up ? RA_OK : rc;
}

#define CLAIM_GIVE_UPS 16 /* jobs out of attempts one call settles, at most */

int store_job_claim(store *s, const char *worker_id, int64_t now_ms, int64_t lease_ms,
                    int max_attempts, char job_id[UUID_LEN], int *attempt)
{
    store_claimed got;
    claim_args a = {worker_id, now_ms, lease_ms, max_attempts, &got, 1};
    int rc = RA_OK;
    /* Each job given up on is settled in its own transaction; a bounded
     * number of them per call keeps one call short. */
    for (int round = 0; rc == RA_OK && a.gave_up && round < CLAIM_GIVE_UPS; round++)
        rc = store_grouped(s, claim_work, &a);
    if (rc == RA_OK && a.gave_up)
        return RA_ERR_NOT_FOUND;
    if (rc == RA_OK) {
        store_copy(job_id, UUID_LEN, got.id);
        *attempt = got.attempt;
    }
    return rc;
}

int store_job_renew(store *s, const char *job_id, const char *worker_id, int64_t until_ms)
{
    return store_write1(s,
                        "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?"
                        " AND status = 'processing'",
                        DB_ARGS(db_int(until_ms), db_text(job_id), db_text(worker_id)));
}

/* ---- finishing ------------------------------------------------------------------ */

struct held_job {
    char status[12];
    char owner[64];
    char org_id[UUID_LEN];
    int64_t reserved;
    int has_callback;
    char callback_url[4096];
};

static void held_row(store *s, db_stmt *st, void *ctx)
{
    struct held_job *h = ctx;
    STORE_COL(s, st, 0, h->status);
    STORE_COL(s, st, 1, h->owner);
    STORE_COL(s, st, 2, h->org_id);
    h->reserved = s->driver->column_int64(st, 3);
    h->has_callback = !s->driver->column_is_null(st, 4);
    STORE_COL(s, st, 4, h->callback_url);
}

#define S(x) ((x) ? (x) : "")

static int store_exam_on(store *s, db_conn *c, const char *job_id, int64_t idx,
                         const store_exam_result *e, const store_job_result *r)
{
    if (e == NULL)
        return store_exec1(s, c, 1,
                           "UPDATE job_exams SET status = 'failed', error_code = ?,"
                           " error_message = ? WHERE job_id = ? AND idx = ?",
                           DB_ARGS(db_text(r->error_code), db_text(r->error_message),
                                   db_text(job_id), db_int(idx)));
    int rc = store_exec1(
        s, c, 1,
        "UPDATE job_exams SET status = ?, modality = ?, exam_name = ?, transcript = ?,"
        " report_text = ?, report_html = ?, filled_template = ?, template_used = ?,"
        " error_code = ?, error_message = ?, sec_findings = ?, sec_conclusion = ?,"
        " sec_impression = ?, sec_technique = ?, sec_clinical = ?, sec_comparison = ?,"
        " structured_by = ?, more_warnings = ?"
        " WHERE job_id = ? AND idx = ?",
        DB_ARGS(db_text(job_state_text(e->completed ? JOB_COMPLETED : JOB_FAILED)),
                db_text(e->modality), db_text(e->exam_name), db_text(e->transcript),
                db_text(e->report_text), db_text(e->report_html), db_text(e->filled_template),
                db_text(e->template_used), db_text(e->error_code), db_text(e->error_message),
                db_text(e->sections[0]), db_text(e->sections[1]), db_text(e->sections[2]),
                db_text(e->sections[3]), db_text(e->sections[4]), db_text(e->sections[5]),
                db_text(e->structured_by), db_int(e->more_warnings), db_text(job_id), db_int(idx)));
    for (size_t k = 0; rc == RA_OK && k < e->n_warnings; k++) {
        const store_exam_warning *w = &e->warnings[k];
        rc = store_exec1(s, c, 1,
                         "INSERT INTO job_exam_warnings (job_id, idx, n, code, section, text)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         DB_ARGS(db_text(job_id), db_int(idx), db_int((int64_t)k),
                                 db_text(S(w->code)), db_text(S(w->section)), db_text(S(w->text))));
    }
    return rc;
}

/* Keeps one credit per completed exam and gives the rest back. */
static int settle_credits_on(store *s, db_conn *c, const struct held_job *h, const char *job_id,
                             int64_t used)
{
    char reason[96];
    int rc = RA_OK;
    if (used > 0) {
        snprintf(reason, sizeof reason, "consume %lld: job %s", (long long)used, job_id);
        rc = store_credits_add_on(s, c, h->org_id, 0, reason, JOB_ACTOR, NULL);
    }
    if (rc == RA_OK && h->reserved > used) {
        snprintf(reason, sizeof reason, "release: job %s", job_id);
        rc = store_credits_add_on(s, c, h->org_id, h->reserved - used, reason, JOB_ACTOR, NULL);
    }
    return rc;
}

/* Renders the job just finished on c, with the balance its settlement
 * left, and keeps the result. */
static int render_result_on(store *s, db_conn *c, const char *job_id, const char *org_id)
{
    int64_t credits = 0;
    int rc =
        store_query(s, c, count_row, &credits, 1, "SELECT credits FROM organizations WHERE id = ?",
                    DB_ARGS(db_text(org_id)));
    store_job j;
    if (rc == RA_OK)
        rc = get_on(s, c, job_id, NULL, &j);
    if (rc != RA_OK)
        return rc;
    char *body = NULL;
    rc = s->render(s->render_ctx, &j, credits, &body);
    store_job_release(&j);
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1, "UPDATE jobs SET result = ? WHERE id = ?",
                         DB_ARGS(db_text(body), db_text(job_id)));
    free(body);
    return rc;
}

static int finish_on(store *s, db_conn *c, const char *job_id, const char *worker_id,
                     int64_t now_ms, const store_job_result *r)
{
    struct held_job h = {.reserved = 0};
    int rc = store_query(s, c, held_row, &h, 1,
                         "SELECT status, COALESCE(lease_owner, ''), org_id,"
                         " credits_reserved, callback_url FROM jobs WHERE id = ?",
                         DB_ARGS(db_text(job_id)));
    if (rc != RA_OK)
        return rc;
    int held = worker_id
                   ? job_state_is(h.status, JOB_PROCESSING) && strcmp(h.owner, worker_id) == 0
                   : !job_state_is(h.status, JOB_COMPLETED) && !job_state_is(h.status, JOB_FAILED);
    if (!held)
        return RA_ERR_NOT_FOUND;
    int64_t used = 0;
    const char *code = r->error_code, *message = r->error_message;
    for (int64_t i = 0; rc == RA_OK && i < h.reserved; i++) {
        const store_exam_result *e = r->exams ? &r->exams[i] : NULL;
        used += e && e->completed;
        if (code == NULL && e && !e->completed) {
            /* a job whose every exam failed reports the first exam's error */
            code = e->error_code;
            message = e->error_message;
        }
        rc = store_exam_on(s, c, job_id, i, e, r);
    }
    char now[TIME_ISO_LEN];
    time_format_iso((time_t)(now_ms / 1000), now);
    if (rc == RA_OK)
        rc = store_exec1(
            s, c, 1,
            "UPDATE jobs SET status = ?, transcript = ?, error_code = ?, error_message = ?,"
            " credits_used = ?, processing_ms = ?, finished_at = ?, finished_ms = ?,"
            " lease_owner = NULL, lease_until = NULL WHERE id = ?",
            DB_ARGS(db_text(job_state_text(used > 0 ? JOB_COMPLETED : JOB_FAILED)),
                    db_text(r->transcript), db_text(used > 0 ? NULL : code),
                    db_text(used > 0 ? NULL : message), db_int(used), db_int(r->processing_ms),
                    db_text(now), db_int(now_ms), db_text(job_id)));
    if (rc == RA_OK)
        rc = settle_credits_on(s, c, &h, job_id, used);
    if (rc == RA_OK && h.has_callback)
        rc = store_exec1(s, c, 1,
                         "INSERT INTO callbacks (job_id, url, status, attempts,"
                         " next_attempt_ms) VALUES (?, ?, 'pending', 0, ?)",
                         DB_ARGS(db_text(job_id), db_text(h.callback_url), db_int(now_ms)));
    if (rc == RA_OK && s->render != NULL)
        rc = render_result_on(s, c, job_id, h.org_id);
    return rc;
}

/* store_job_finish's arguments, for store_grouped. */
typedef struct finish_args {
    const char *job_id, *worker_id;
    int64_t now_ms;
    const store_job_result *r;
} finish_args;

static int finish_work(store *s, db_conn *c, void *ctx)
{
    finish_args *a = ctx;
    return finish_on(s, c, a->job_id, a->worker_id, a->now_ms, a->r);
}

int store_job_finish(store *s, const char *job_id, const char *worker_id, int64_t now_ms,
                     const store_job_result *r)
{
    finish_args a = {job_id, worker_id, now_ms, r};
    return store_grouped(s, finish_work, &a);
}

/* store_jobs_finish_claim's arguments, for store_grouped. */
typedef struct settle_args {
    const char *worker_id;
    int64_t now_ms, lease_ms;
    int max_attempts;
    store_job_done *done;
    size_t n_done;
    const store_claimed *returned;
    size_t n_returned;
    store_claimed *claimed;
    size_t max_claims, *n_claimed;
} settle_args;

/* Each finishing, then each claim, in a savepoint of its own: one refused
 * (a lease lost, nothing due) undoes only itself. */
static int settle_work(store *s, db_conn *c, void *ctx)
{
    settle_args *a = ctx;
    int rc = RA_OK;
    for (size_t i = 0; rc == RA_OK && i < a->n_done; i++) {
        finish_args f = {a->done[i].job_id, a->worker_id, a->now_ms, a->done[i].result};
        rc = store_savepoint(s, c, finish_work, &f, &a->done[i].rc);
    }
    /* Given back untouched: due again at once, the attempt not counted. */
    for (size_t i = 0; rc == RA_OK && i < a->n_returned; i++)
        rc = store_exec1(s, c, 0,
                         "UPDATE jobs SET status = 'pending', attempts = attempts - 1,"
                         " lease_owner = NULL, lease_until = NULL"
                         " WHERE id = ? AND lease_owner = ? AND status = 'processing'",
                         DB_ARGS(db_text(a->returned[i].id), db_text(a->worker_id)));
    *a->n_claimed = 0;
    for (int give_ups = 0; rc == RA_OK && *a->n_claimed < a->max_claims;) {
        claim_args ca = {
            a->worker_id, a->now_ms, a->lease_ms, a->max_attempts, &a->claimed[*a->n_claimed], 0};
        int got = RA_OK;
        rc = store_savepoint(s, c, claim_work, &ca, &got);
        if (rc != RA_OK || got != RA_OK || (ca.gave_up && ++give_ups >= CLAIM_GIVE_UPS))
            break; /* nothing due (or a claim refused): the finishings stand */
        if (ca.gave_up)
            continue;
        if (a->claimed[(*a->n_claimed)++].has_audio)
            break; /* a recording is the last one taken */
    }
    return rc;
}

int store_jobs_finish_claim(store *s, const char *worker_id, int64_t now_ms, store_job_done *done,
                            size_t n_done, const store_claimed *returned, size_t n_returned,
                            int64_t lease_ms, int max_attempts, store_claimed *claimed,
                            size_t max_claims, size_t *n_claimed)
{
    settle_args a = {worker_id, now_ms,     lease_ms, max_attempts, done,     n_done,
                     returned,  n_returned, claimed,  max_claims,   n_claimed};
    int rc = store_grouped(s, settle_work, &a);
    if (rc != RA_OK) {
        for (size_t i = 0; i < n_done; i++)
            done[i].rc = rc;
        *n_claimed = 0;
    }
    return rc;
}

void store_set_result_renderer(store *s, store_result_renderer render, void *ctx)
{
    s->render = render;
    s->render_ctx = ctx;
}

void store_set_limits(store *s, const store_limits *limits)
{
    s->limits = *limits;
}

int store_job_keep_result(store *s, const char *job_id, const char *body)
{
    int rc = store_write1(s, "UPDATE jobs SET result = ? WHERE id = ? AND result IS NULL",
                          DB_ARGS(db_text(body), db_text(job_id)));
    return rc == RA_ERR_NOT_FOUND ? RA_OK : rc; /* one was kept already */
}

/* The figures of store_job_stats as they are read. */
typedef struct job_stats {
    int64_t queued, total_ms, exams;
} job_stats;

static void stats_row(store *s, db_stmt *st, void *ctx)
{
    job_stats *js = ctx;
    js->queued = s->driver->column_int64(st, 0);
    js->total_ms = s->driver->column_int64(st, 1);
    js->exams = s->driver->column_int64(st, 2);
}

int store_job_stats(store *s, int64_t *exams_queued, int64_t *ms_per_exam)
{
    /* The exams queued are counted by migration 16's triggers, the last 50
     * jobs processed come from its index jobs_processed: neither reads the
     * queue nor sorts every job. */
    job_stats js = {0, -1, 0};
    int rc = store_query(s, NULL, stats_row, &js, 1,
                         "SELECT (SELECT exams FROM job_queue WHERE id = 1),"
                         " COALESCE(SUM(processing_ms), -1), COALESCE(SUM(credits_reserved), 0)"
                         " FROM (SELECT processing_ms, credits_reserved FROM jobs"
                         " WHERE processing_ms IS NOT NULL ORDER BY created_ms DESC LIMIT 50)",
                         DB_NONE);
    if (rc == RA_OK) {
        *exams_queued = js.queued;
        *ms_per_exam = (js.total_ms >= 0 && js.exams > 0) ? js.total_ms / js.exams : -1;
    }
    return rc;
}

/* ---- audio of finished jobs -------------------------------------------------------- */

struct audio_row {
    char job_id[UUID_LEN];
    char path[256];
};

struct audio_batch {
    struct audio_row rows[32];
    int n;
};

static void audio_row(store *s, db_stmt *st, void *ctx)
{
    struct audio_batch *b = ctx;
    if (b->n < 32) {
        STORE_COL(s, st, 0, b->rows[b->n].job_id);
        STORE_COL(s, st, 1, b->rows[b->n].path);
        b->n++;
    }
}

int store_job_audio_sweep(store *s, int64_t now_ms,
                          int (*remove_fn)(const char *audio_path, void *ctx), void *ctx,
                          int *removed)
{
    struct audio_batch b = {.n = 0};
    int rc = store_query(s, NULL, audio_row, &b, 0,
                         "SELECT j.id, j.audio_path FROM jobs j"
                         " JOIN organizations o ON o.id = j.org_id"
                         " WHERE j.audio_path IS NOT NULL AND j.status IN ('completed', 'failed')"
                         " AND COALESCE(j.finished_ms, 0) + o.audio_retention_days * 86400000 <= ?"
                         " LIMIT 32",
                         DB_ARGS(db_int(now_ms)));
    *removed = 0;
    for (int i = 0; rc == RA_OK && i < b.n; i++) {
        if (remove_fn(b.rows[i].path, ctx) != RA_OK)
            continue;
        rc = store_write1(s, "UPDATE jobs SET audio_path = NULL WHERE id = ?",
                          DB_ARGS(db_text(b.rows[i].job_id)));
        *removed += rc == RA_OK;
    }
    return rc;
}
