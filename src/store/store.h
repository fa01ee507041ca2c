/* store.h - the storage interface every other part uses.
 *
 * One opaque `store` holds the database of a data directory. Callers see only
 * domain operations (organizations, users, keys, credits, the SUT catalog);
 * which database sits underneath is the driver's business (db.h). Today the
 * driver is SQLite; a PostgreSQL driver implements db.h later and nothing
 * above this header changes.
 *
 * Errors: every function returns RA_OK or a negative code from core/err.h.
 * Outputs are written only on success. Strings in the row structs are fixed
 * arrays owned by the struct, so rows can be copied and dropped freely.
 *
 * THREAD SAFETY: a store may be used from any number of threads at once; each
 * call takes a connection from an internal pool for its duration. Several
 * processes (serve and admin) may open the same data directory at once. */
#ifndef RAPORTAI_STORE_STORE_H
#define RAPORTAI_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ids.h"
#include "core/timeutil.h"

typedef struct store store;

#define STORE_NAME_MAX   200  /* characters in an organization or user name */
#define STORE_EMAIL_MAX  254  /* bytes in an e-mail address */
#define STORE_LABEL_MAX  100  /* characters in an API key label */
#define STORE_REASON_MAX 200  /* characters in a ledger reason */

/* Opens (creating when needed) the database in data_dir, which is created
 * too, and applies every pending migration. */
int store_open(const char *data_dir, store **out);
/* As store_open but migrates only up to target_version (for tests of
 * upgrades from older databases). */
int store_open_at_version(const char *data_dir, int target_version, store **out);
void store_close(store *s);
/* The schema version the database is at, and the newest this build knows. */
int store_schema_version(store *s, int *out);
int store_latest_version(void);
/* RA_OK when the database answers a trivial query. */
int store_ping(store *s);

/* ---- organizations ------------------------------------------------------ */
typedef struct store_org {
    char    id[UUID_LEN];
    char    name[STORE_NAME_MAX * 4 + 1];
    char    type[24];      /* hospital, imaging_center, teleradiology, personal */
    int     active;
    int64_t credits;       /* spendable balance, never negative */
    char    created_at[TIME_ISO_LEN];
} store_org;

/* Creates an organization with the given opening balance (a ledger entry
 * "opening balance" when credits > 0). */
int store_org_create(store *s, const char *name, const char *type, int64_t credits,
                     const char *actor, store_org *out);
int store_org_get(store *s, const char *org_id, store_org *out);

/* ---- users -------------------------------------------------------------- */
typedef struct store_user {
    char id[UUID_LEN];
    char email[STORE_EMAIL_MAX + 1];
    char name[STORE_NAME_MAX * 4 + 1];
    char role[16];
    char org_id[UUID_LEN];   /* "" for admin and accounting */
    int  active;
    char created_at[TIME_ISO_LEN];
} store_user;

/* Creates a user. password_hash is an argon2id string (auth/password.h).
 * RA_ERR_EXISTS when the e-mail is taken, compared case-insensitively;
 * RA_ERR_NOT_FOUND when org_id names no organization. */
int store_user_create(store *s, const char *email, const char *name, const char *role,
                      const char *org_id, const char *password_hash, store_user *out);
/* Finds a user by e-mail, case-insensitively. */
int store_user_by_email(store *s, const char *email, store_user *out);
int store_user_get(store *s, const char *user_id, store_user *out);
int store_user_set_role(store *s, const char *user_id, const char *role);
int store_user_set_active(store *s, const char *user_id, int active);

/* ---- credits ------------------------------------------------------------- */
/* Adds amount (negative for a deduction) to the organization's balance and
 * records it in the ledger with reason and actor, in one transaction.
 * RA_ERR_BALANCE when the balance would become negative (nothing changes). */
int store_credits_add(store *s, const char *org_id, int64_t amount, const char *reason,
                      const char *actor, int64_t *balance_after);

typedef struct store_ledger_row {
    int64_t amount;
    int64_t balance_after;
    char    reason[STORE_REASON_MAX * 4 + 1];
    char    actor[STORE_EMAIL_MAX + 16];
    char    created_at[TIME_ISO_LEN];
} store_ledger_row;
/* Calls fn for each ledger row of the organization, oldest first. */
int store_ledger_each(store *s, const char *org_id,
                      void (*fn)(const store_ledger_row *row, void *ctx), void *ctx);

/* ---- API keys ----------------------------------------------------------- */
#define STORE_KEY_PREFIX_LEN 12
typedef struct store_key {
    char    id[UUID_LEN];
    char    prefix[STORE_KEY_PREFIX_LEN + 1];
    char    label[STORE_LABEL_MAX * 4 + 1];
    char    org_id[UUID_LEN];
    char    user_id[UUID_LEN];          /* the manager who created it */
    char    user_email[STORE_EMAIL_MAX + 1];
    char    created_at[TIME_ISO_LEN];
    char    last_used_at[TIME_ISO_LEN]; /* "" when never used */
    int64_t use_count;
    char    revoked_at[TIME_ISO_LEN];   /* "" while valid */
} store_key;

/* Records a new key by the hex SHA-256 of the whole key. */
int store_key_create(store *s, const char *hash_hex, const char *prefix, const char *label,
                     const char *org_id, const char *user_id, store_key *out);
/* Finds a key by hash, revoked or not. */
int store_key_by_hash(store *s, const char *hash_hex, store_key *out);
/* Counts one use now. */
int store_key_touch(store *s, const char *key_id);
/* Calls fn for each key of the organization, newest first. */
int store_key_each(store *s, const char *org_id,
                   void (*fn)(const store_key *key, void *ctx), void *ctx);
/* Revokes the one key whose prefix is given. RA_ERR_NOT_FOUND when none
 * matches, RA_ERR_AMBIGUOUS when several do, RA_ERR_EXISTS when it was
 * already revoked; nothing changes on error. */
int store_key_revoke_by_prefix(store *s, const char *prefix, store_key *out);

/* ---- SUT exam catalog --------------------------------------------------- */
#define STORE_SUT_CODE_MAX 7
typedef struct store_sut_row {
    char code[STORE_SUT_CODE_MAX + 1]; /* digits only, 5 to 7 */
    char name[1024];                   /* procedure name; "" when unknown */
    char modality[8];                  /* "CT", "MR", ...; "" when unknown */
    char body_part[32];                /* "brain", ...; "" when unknown */
    char source[256];                  /* where the entry comes from */
} store_sut_row;

/* Replaces the whole catalog with rows, atomically: readers see the old list
 * or the new one, never a mixture. RA_ERR_EXISTS on a duplicate code. */
int store_sut_replace(store *s, const store_sut_row *rows, size_t n);
int store_sut_count(store *s, int64_t *out);
int store_sut_get(store *s, const char *code, store_sut_row *out);
/* Calls fn with each code whose modality and body part match, in order. */
int store_sut_codes_for(store *s, const char *modality, const char *body_part,
                        void (*fn)(const char *code, void *ctx), void *ctx);

/* ---- report jobs --------------------------------------------------------- */
/* A job is one dictation (audio, or a transcript given instead) for one or
 * more exams. It is created with one credit reserved per exam, in one
 * transaction; a worker claims it under a lease; it finishes once, in one
 * transaction that keeps the credits of completed exams and releases the
 * rest, and queues the callback. Times in *_ms are milliseconds since the
 * Unix epoch. */
#define STORE_EXAMS_MAX 20

typedef struct store_exam_input {
    const char *accession;        /* may be NULL */
    const char *sut_code;         /* digits, validated by the caller */
    const char *tele_code;        /* may be NULL */
    const char *template_content; /* may be NULL */
    const char *template_format;  /* "txt", "rtf", "html"; NULL without content */
} store_exam_input;

typedef struct store_job_input {
    const char             *kind;          /* "report" or "pacs" */
    const char             *org_id;
    const char             *key_id;        /* may be NULL (web app) */
    const char             *audio_path;    /* relative to the data directory, or NULL */
    const char             *audio_sha256;  /* hex, or NULL for transcript input */
    const char             *audio_format;
    double                  audio_seconds;
    const char             *transcript;    /* given instead of audio, or NULL */
    const char             *input_lang;
    const char             *output_lang;
    const char             *patient_id;    /* may be NULL */
    const char             *patient_name;  /* may be NULL */
    const char             *callback_url;  /* may be NULL */
    const char             *hmac_secret;
    const store_exam_input *exams;
    size_t                  n_exams;
} store_job_input;

/* Creates the job and reserves one credit per exam, in one transaction.
 * RA_ERR_EXISTS when the organization submitted the same audio (by SHA-256)
 * within dup_window_s seconds and that job has not failed: dup_job_id gets
 * its id. RA_ERR_BALANCE when credits are short. Nothing is written on
 * error. */
int store_job_create(store *s, const store_job_input *in, int64_t now_ms, int64_t dup_window_s,
                     char job_id[UUID_LEN], char dup_job_id[UUID_LEN], int64_t *balance_after);

typedef struct store_job_exam {
    int   idx;
    char *accession, *sut_code, *tele_code, *template_content, *template_format;
    char *status, *modality, *exam_name, *transcript, *report_text, *report_html;
    char *filled_template, *template_used, *error_code, *error_message;
} store_job_exam; /* every char * is owned (NULL when the column is NULL) */

typedef struct store_job {
    char    id[UUID_LEN];
    char    org_id[UUID_LEN];
    char    kind[8];
    char    status[12];
    char    created_at[TIME_ISO_LEN];
    char    started_at[TIME_ISO_LEN];   /* "" until claimed */
    char    finished_at[TIME_ISO_LEN];  /* "" until finished */
    char   *audio_path, *audio_sha256, *transcript_input, *input_lang, *output_lang;
    char   *patient_id, *patient_name, *callback_url, *hmac_secret;
    char   *transcript, *error_code, *error_message;
    int     attempts;
    int64_t credits_reserved;
    int64_t credits_used;               /* -1 until finished */
    int64_t processing_ms;              /* -1 until finished */
    char   *cb_status;                  /* NULL without a callback */
    int     cb_attempts;
    int64_t cb_last_http_status;        /* -1 when none */
    char   *cb_last_error, *cb_last_attempt_at, *cb_delivered_at;
    store_job_exam *exams;
    size_t  n_exams;
} store_job;

/* Reads a job with its exams and callback state. With org_id set, a job of
 * another organization is RA_ERR_NOT_FOUND, exactly like an unknown id.
 * Release *out with store_job_release. */
int store_job_get(store *s, const char *job_id, const char *org_id, store_job *out);
void store_job_release(store_job *job);

/* Claims the oldest job that is pending, or processing under an expired
 * lease (its worker died), for worker_id until now_ms + lease_ms, counting
 * an attempt. A job whose attempts would pass max_attempts is failed
 * instead (credits released, callback queued) and the search goes on.
 * RA_ERR_NOT_FOUND when nothing is due. */
int store_job_claim(store *s, const char *worker_id, int64_t now_ms, int64_t lease_ms,
                    int max_attempts, char job_id[UUID_LEN], int *attempt);
/* Extends the lease; RA_ERR_NOT_FOUND when worker_id no longer holds it. */
int store_job_renew(store *s, const char *job_id, const char *worker_id, int64_t until_ms);

typedef struct store_exam_result {
    int         completed;        /* 1 completed, 0 failed */
    const char *modality, *exam_name, *transcript, *report_text, *report_html;
    const char *filled_template, *template_used, *error_code, *error_message;
} store_exam_result;

typedef struct store_job_result {
    const char              *transcript;     /* whole transcript, may be NULL */
    const char              *error_code;     /* for a job that failed whole */
    const char              *error_message;
    int64_t                  processing_ms;
    const store_exam_result *exams;          /* n_exams of them, or NULL when the job failed whole */
} store_job_result;

/* Finishes the job worker_id holds: stores the results, sets the job
 * completed (some exam completed) or failed, keeps one credit per completed
 * exam and releases the others (ledger rows for both), and queues the
 * callback for now_ms; one transaction. RA_ERR_NOT_FOUND when the lease was
 * lost (another worker owns the job now, or it already finished): nothing
 * is written, so nothing is charged twice. The audio file stays until
 * store_job_audio_sweep. */
int store_job_finish(store *s, const char *job_id, const char *worker_id, int64_t now_ms,
                     const store_job_result *r);

/* The audio of a finished job is kept until this sweep removes it: for up
 * to 32 finished jobs that still hold an audio file, calls remove_fn with
 * the path (relative to the data directory) and, when it returns RA_OK,
 * forgets the path. *removed counts them; call again while it is 32. */
int store_job_audio_sweep(store *s, int (*remove_fn)(const char *audio_path, void *ctx),
                          void *ctx, int *removed);

/* Queue figures for estimates: exams waiting or in progress, and the mean
 * processing time per exam over recent finished jobs (-1 when none). */
int store_job_stats(store *s, int64_t *exams_queued, int64_t *ms_per_exam);

/* ---- callbacks ------------------------------------------------------------------ */
/* Claims one callback due at now_ms, holding it until now_ms + hold_ms (so
 * a crash mid-delivery retries it). RA_ERR_NOT_FOUND when none is due. */
int store_callback_claim(store *s, int64_t now_ms, int64_t hold_ms, char job_id[UUID_LEN],
                         char **url, int *attempt);
/* Records attempt number `attempt`: delivered, or failed with the next try
 * at next_ms (-1: give up, the callback is failed for good). */
int store_callback_record(store *s, const char *job_id, int attempt, int delivered,
                          long http_status, const char *error, int64_t next_ms);

#endif
