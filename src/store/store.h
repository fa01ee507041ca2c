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
#include "core/sections.h"
#include "core/timeutil.h"

typedef struct store store;

#define STORE_NAME_MAX 200   /* characters in an organization or user name */
#define STORE_EMAIL_MAX 254  /* bytes in an e-mail address */
#define STORE_LABEL_MAX 100  /* characters in an API key label */
#define STORE_REASON_MAX 200 /* characters in a ledger reason */

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
    char id[UUID_LEN];
    char name[STORE_NAME_MAX * 4 + 1];
    char type[24]; /* hospital, imaging_center, teleradiology, personal */
    int active;
    int64_t credits; /* spendable balance, never negative */
    char created_at[TIME_ISO_LEN];
    int pending;             /* registered, waiting for an admin's approval */
    char callback_url[2048]; /* default callback for the web app's jobs; "" none */
    char input_lang[8], output_lang[8];
    int audio_retention_days;                      /* 0: audio deleted when its job finishes */
    char callback_secret_at[TIME_ISO_LEN];         /* when its callback signing secret was made; ""
                                                      while it has none (the secret is never read
                                                      back: see store_org_set_callback_secret) */
    char callback_secret_by[STORE_EMAIL_MAX + 16]; /* the e-mail of the manager who made it */
    char deactivated_at[TIME_ISO_LEN];         /* when an admin deactivated it; "" when active (or
                                                  deactivated before this was recorded) */
    char deactivated_by[STORE_EMAIL_MAX + 16]; /* the admin's e-mail */
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
    char org_id[UUID_LEN]; /* "" for admin and accounting */
    int active;            /* the organization's switch: its managers (and admins) set it */
    char created_at[TIME_ISO_LEN];
    char suspended_at[TIME_ISO_LEN];         /* when the platform suspended them; "" when not */
    char suspended_by[STORE_EMAIL_MAX + 16]; /* the admin's e-mail */
} store_user;

/* True when the user may sign in and use what they hold (sessions, API
 * keys): active, and not suspended by the platform. */
int store_user_may_sign_in(const store_user *u);

/* Creates a user. password_hash is an argon2id string (auth/password.h).
 * RA_ERR_EXISTS when the e-mail is taken, compared case-insensitively;
 * RA_ERR_NOT_FOUND when org_id names no organization. */
int store_user_create(store *s, const char *email, const char *name, const char *role,
                      const char *org_id, const char *password_hash, store_user *out);
/* Finds a user by e-mail, case-insensitively. */
int store_user_by_email(store *s, const char *email, store_user *out);
int store_user_get(store *s, const char *user_id, store_user *out);
/* An organization registering itself: it is created inactive and pending
 * (nobody can sign in to it until an admin approves it) together with its
 * manager, in one transaction. RA_ERR_EXISTS when the e-mail is taken. */
int store_org_register(store *s, const char *org_name, const char *type, const char *name,
                       const char *email, const char *password_hash, store_org *org,
                       store_user *manager);
/* As store_org_register, but the organization is active at once (an admin
 * creating it). */
int store_org_create_with_manager(store *s, const char *org_name, const char *type,
                                  const char *name, const char *email, const char *password_hash,
                                  store_org *org, store_user *manager);
/* Deletes registrations still pending that were created before
 * created_before (ISO 8601 UTC, as created_at), each with its manager in
 * one transaction, at most 100 per call; an organization that anything else
 * refers to (credits, keys, jobs, reports, templates, macros, another
 * member, a session) is left alone. *removed (may be NULL) gets how many
 * were deleted, also when one of them failed (the first error is returned;
 * the others were still tried). */
int store_org_sweep_pending(store *s, const char *created_before, int64_t *removed);
int store_user_set_role(store *s, const char *user_id, const char *role);
/* Deactivating a user also ends every session they hold (one transaction). */
int store_user_set_active(store *s, const char *user_id, int active);
/* The platform's suspension of a user, apart from their active flag: it
 * bars sign-in and API keys whatever that flag says, and only this call
 * lifts it. Suspending records actor (an admin's e-mail) and the time and
 * ends every session the user holds, in one transaction; lifting clears
 * the record. RA_ERR_EXISTS when the user is in that state already,
 * RA_ERR_NOT_FOUND for an unknown user; nothing changes on error. *out
 * (may be NULL) gets the user after. */
int store_user_set_suspended(store *s, const char *user_id, int suspended, const char *actor,
                             store_user *out);
#define STORE_PASSWORD_HASH_MAX 128
/* The user's argon2id password string. */
int store_user_password(store *s, const char *user_id, char hash[STORE_PASSWORD_HASH_MAX]);
int store_user_set_password(store *s, const char *user_id, const char *password_hash);

/* ---- web sessions ------------------------------------------------------- */
/* A session is known by the SHA-256 of its token (the token itself lives
 * only in the browser's cookie). Times are milliseconds since the epoch. */
typedef struct store_session {
    char id[UUID_LEN];
    char user_id[UUID_LEN];
    char path[16]; /* the sign-in path: user, corporate, admin, accounting */
    int64_t created_ms, last_seen_ms, expires_ms;
} store_session;

int store_session_create(store *s, const char *token_hash, const char *user_id, const char *path,
                         int64_t now_ms, int64_t expires_ms, store_session *out);
int store_session_by_hash(store *s, const char *token_hash, store_session *out);
int store_session_touch(store *s, const char *session_id, int64_t now_ms);
/* Ends one session; RA_ERR_NOT_FOUND when it was already gone. */
int store_session_delete(store *s, const char *session_id);
/* Removes sessions idle since before idle_before_ms or past their expiry. */
int store_session_sweep(store *s, int64_t now_ms, int64_t idle_before_ms);

/* ---- throttles ------------------------------------------------------------ */
/* Attempts counted under a key: failed sign-ins, registrations. Which keys
 * an attempt counts under, and what the counts mean, is auth/throttle.h's;
 * the store keeps the counts and applies a decision atomically. Times are
 * milliseconds since the epoch, given by the caller. */
typedef struct store_throttle_row {
    int64_t attempts;
    int64_t first_ms, last_ms; /* of the current count */
    int64_t keep_until_ms;     /* the sweep deletes the row after this */
} store_throttle_row;
#define STORE_THROTTLE_KEYS_MAX 4
/* Decides an attempt from the rows of its keys (zeroed for a key without
 * one): returns how many milliseconds it must wait, or 0 to let it go on
 * after updating rows to what is to be written (a row left with
 * keep_until_ms 0 is not written). Must be a pure function of its
 * arguments: it may be asked twice about one attempt. */
typedef int64_t (*store_throttle_fn)(store_throttle_row *rows, size_t n, int64_t now_ms, void *ctx);
/* Decides an attempt under keys[0 .. n) (n at most STORE_THROTTLE_KEYS_MAX)
 * and, when decide lets it go on, writes its rows in the same transaction,
 * so concurrent attempts are counted one after another. *wait_ms gets the
 * answer (0: counted, go on). A refusal writes nothing (the rows are read
 * by one query outside a transaction first, so a flood of refused attempts
 * takes no write lock). On a database error nothing is written and the
 * caller must refuse the attempt: a throttle that cannot count fails
 * closed. */
int store_throttle_take(store *s, const char *const *keys, size_t n, int64_t now_ms,
                        store_throttle_fn decide, void *ctx, int64_t *wait_ms);
/* Takes one attempt back from each key: one counted in advance that turned
 * out not to be a failure. A count never goes below 0. */
int store_throttle_give_back(store *s, const char *const *keys, size_t n);
/* Writes key's row as given. */
int store_throttle_put(store *s, const char *key, const store_throttle_row *row);
/* Forgets key's count; RA_OK also when it had none. */
int store_throttle_forget(store *s, const char *key);
/* The row of key; RA_ERR_NOT_FOUND when it has none. */
int store_throttle_get(store *s, const char *key, store_throttle_row *out);
/* Deletes the rows whose keep_until_ms has passed at now_ms; *removed (may
 * be NULL) gets how many. */
int store_throttle_sweep(store *s, int64_t now_ms, int64_t *removed);

/* ---- credits ------------------------------------------------------------- */
/* Adds amount (negative for a deduction) to the organization's balance and
 * records it in the ledger with reason and actor, in one transaction.
 * RA_ERR_BALANCE when the balance would become negative (nothing changes). */
int store_credits_add(store *s, const char *org_id, int64_t amount, const char *reason,
                      const char *actor, int64_t *balance_after);

typedef struct store_ledger_row {
    int64_t amount;
    int64_t balance_after;
    char reason[STORE_REASON_MAX * 4 + 1];
    char actor[STORE_EMAIL_MAX + 16];
    char created_at[TIME_ISO_LEN];
} store_ledger_row;
/* Calls fn for each ledger row of the organization, oldest first. */
int store_ledger_each(store *s, const char *org_id,
                      void (*fn)(const store_ledger_row *row, void *ctx), void *ctx);

/* ---- API keys ----------------------------------------------------------- */
#define STORE_KEY_PREFIX_LEN 12
typedef struct store_key {
    char id[UUID_LEN];
    char prefix[STORE_KEY_PREFIX_LEN + 1];
    char label[STORE_LABEL_MAX * 4 + 1];
    char org_id[UUID_LEN];
    char user_id[UUID_LEN]; /* the manager who created it */
    char user_email[STORE_EMAIL_MAX + 1];
    char created_at[TIME_ISO_LEN];
    char last_used_at[TIME_ISO_LEN]; /* "" when never used */
    int64_t use_count;
    char revoked_at[TIME_ISO_LEN]; /* "" while valid */
    char expires_at[TIME_ISO_LEN]; /* "" unless rotated: valid until then */
    int64_t expires_ms;            /* the same, ms since the epoch; 0 none */
    char replaced_by[UUID_LEN];    /* the key it was rotated to; "" none */
} store_key;

/* True when the key may authenticate at now_ms: not revoked, and not past
 * the end of its rotation grace period. */
int store_key_is_live(const store_key *key, int64_t now_ms);

/* Records a new key by the hex SHA-256 of the whole key. RA_ERR_REFUSED,
 * nothing written, when the organization has its cap of live keys
 * (store_limits.keys_per_org; a rotated key counts until its grace ends). */
int store_key_create(store *s, const char *hash_hex, const char *prefix, const char *label,
                     const char *org_id, const char *user_id, store_key *out);
/* Finds a key by hash, revoked or not. */
int store_key_by_hash(store *s, const char *hash_hex, store_key *out);

/* What deciding a request made with a key needs: the key and, of its user
 * and organization, what can refuse it. */
typedef struct store_key_auth {
    store_key key;
    char role[16];              /* the user's */
    char user_org_id[UUID_LEN]; /* the user's organization; "" none */
    int user_may_use;           /* store_user_may_sign_in of the user */
    int org_active;             /* the key's organization */
} store_key_auth;
/* Finds a key by hash, revoked or not, with its user and organization, in
 * one query. RA_ERR_NOT_FOUND for an unknown key. */
int store_key_auth_by_hash(store *s, const char *hash_hex, store_key_auth *out);

/* Uses of a key counted in memory: how many, and the time of the last. */
typedef struct store_key_use {
    char key_id[UUID_LEN];
    int64_t count;
    int64_t last_ms; /* ms since the epoch */
} store_key_use;
/* Adds uses[0 .. n) to their keys' use counts and moves each key's last
 * use forward to its last_ms (never back), in one transaction; a key that
 * no longer exists is passed over. On error nothing was written. */
int store_key_add_uses(store *s, const store_key_use *uses, size_t n);
/* The spendable balance of an organization. */
int store_org_credits(store *s, const char *org_id, int64_t *credits);

/* The generation of who may authenticate: one more after every change
 * that can refuse a key (a key revoked or rotated; its user deactivated,
 * suspended or given another role; its organization deactivated), in the
 * change's own transaction, whoever made it (triggers move it). A process
 * caching keys reads it to learn that another process made such a
 * change. */
int store_auth_generation(store *s, int64_t *out);
/* Sets the function called after each such change commits in this
 * process (with ctx); call once at start-up, before any request. */
void store_set_auth_hook(store *s, void (*hook)(void *ctx), void *ctx);
/* Calls fn for each key of the organization, newest first. */
int store_key_each(store *s, const char *org_id, void (*fn)(const store_key *key, void *ctx),
                   void *ctx);
/* Revokes the one key whose prefix is given. RA_ERR_NOT_FOUND when none
 * matches, RA_ERR_AMBIGUOUS when several do, RA_ERR_EXISTS when it was
 * already revoked; nothing changes on error. */
int store_key_revoke_by_prefix(store *s, const char *prefix, store_key *out);

/* The organization workspace's key operations. A key of another
 * organization is RA_ERR_NOT_FOUND, exactly like an unknown id; nothing
 * changes on error. */
int store_key_get(store *s, const char *org_id, const char *key_id, store_key *out);
int store_key_set_label(store *s, const char *org_id, const char *key_id, const char *label,
                        store_key *out);
/* RA_ERR_EXISTS when the key is revoked already. */
int store_key_revoke(store *s, const char *org_id, const char *key_id, store_key *out);
/* Rotates a key, in one transaction: records the new key (hash and prefix
 * of a key the caller generated) with the old one's label, created by
 * user_id, and lets the old key work until expires_ms (ms since the epoch)
 * only. RA_ERR_EXISTS when the old key is revoked or was rotated already. */
int store_key_rotate(store *s, const char *org_id, const char *key_id, const char *hash_hex,
                     const char *prefix, const char *user_id, int64_t expires_ms,
                     store_key *new_key, store_key *old_key);

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
/* Up to max rows of the catalog whose code sorts after after_code ("" for
 * the start), in code order, into rows; *n gets how many (fewer than max at
 * the end). For scanning the catalog page by page. */
int store_sut_page(store *s, const char *after_code, store_sut_row *rows, size_t max, size_t *n);

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
    const char *kind; /* "report" or "pacs" */
    const char *org_id;
    const char *key_id;       /* may be NULL (web app) */
    const char *user_id;      /* the web app's user; NULL (External API) */
    const char *audio_path;   /* relative to the data directory, or NULL */
    const char *audio_sha256; /* hex, or NULL for transcript input */
    const char *audio_format;
    double audio_seconds;
    const char *transcript; /* given instead of audio, or NULL */
    const char *input_lang;
    const char *output_lang;
    const char *patient_id;   /* may be NULL */
    const char *patient_name; /* may be NULL */
    const char *callback_url; /* may be NULL */
    const char *hmac_secret;  /* the job's own secret */
    int signed_by_org;        /* 1: its callback is signed with the organization's secret (web app
                                 jobs, which call the organization's callback URL); 0: with hmac_secret */
    const store_exam_input *exams;
    size_t n_exams;
} store_job_input;

/* Creates the job and reserves one credit per exam, in one transaction.
 * RA_ERR_EXISTS when the organization submitted the same audio (by SHA-256)
 * within dup_window_s seconds and that job has not failed: dup_job_id gets
 * its id. RA_ERR_BALANCE when credits are short. Nothing is written on
 * error. Group commit: the transaction may hold other threads' writes of
 * the same moment (creations, claims, finishings), each kept or undone on
 * its own, committed once for all. */
int store_job_create(store *s, const store_job_input *in, int64_t now_ms, int64_t dup_window_s,
                     char job_id[UUID_LEN], char dup_job_id[UUID_LEN], int64_t *balance_after);

/* One fact of an exam's report that its dictation lacks (structuring/facts.h). */
typedef struct store_exam_warning {
    const char *code;    /* "UNSUPPORTED_NUMBER", "OTHER_EXAM_ANATOMY", ... */
    const char *section; /* the key of the section that holds it (core/sections.h); "" none */
    const char *text;    /* the fact as the report writes it: "12 mm", "left" */
} store_exam_warning;

typedef struct store_job_exam {
    int idx;
    char *accession, *sut_code, *tele_code, *template_content, *template_format;
    char *status, *modality, *exam_name, *transcript, *report_text, *report_html;
    char *filled_template, *template_used, *error_code, *error_message;
    char *sections[REPORT_SEC_COUNT]; /* by report_section, as structured; NULL when absent */
    char *structured_by;              /* as store_exam_result's */
    store_exam_warning *warnings; /* n_warnings of them, in order, as store_exam_result's; owned:
                                     one allocation with their strings; NULL when none */
    size_t n_warnings;
    int64_t more_warnings; /* as store_exam_result's */
} store_job_exam;          /* every char * is owned (NULL when the column is NULL) */

typedef struct store_job {
    char id[UUID_LEN];
    char org_id[UUID_LEN];
    char user_id[UUID_LEN]; /* the web app's submitter; "" for the External API */
    char kind[8];
    char status[12];
    char created_at[TIME_ISO_LEN];
    char started_at[TIME_ISO_LEN];  /* "" until claimed */
    char finished_at[TIME_ISO_LEN]; /* "" until finished */
    char *audio_path, *audio_sha256, *transcript_input, *input_lang, *output_lang;
    char *patient_id, *patient_name, *callback_url;
    char *hmac_secret; /* the secret its callback is signed with now: the job's own, or for a
                          job signed_by_org the organization's current one (the job's own while
                          the organization has none) */
    char *transcript, *error_code, *error_message;
    int attempts;
    int64_t credits_reserved;
    int64_t credits_used;  /* -1 until finished */
    int64_t processing_ms; /* -1 until finished */
    char *cb_status;       /* NULL without a callback */
    int cb_attempts;
    int64_t cb_last_http_status; /* -1 when none */
    char *cb_last_error, *cb_last_attempt_at, *cb_delivered_at;
    char *result; /* the result rendered when the job finished (store_set_result_renderer);
                     NULL before, and for jobs finished before results were kept */
    store_job_exam *exams;
    size_t n_exams;
} store_job;

/* Reads a job with its exams and callback state. With org_id set, a job of
 * another organization is RA_ERR_NOT_FOUND, exactly like an unknown id.
 * Release *out with store_job_release. */
int store_job_get(store *s, const char *job_id, const char *org_id, store_job *out);
void store_job_release(store_job *job);
/* What a poll needs, in one query: the job with its callback's state and
 * its organization's balance into *credits; its exams only while it has no
 * result (out->result NULL: a job not finished, with exams; or finished
 * before results were kept, then with their warnings, read by a second
 * query). With org_id set, another organization's job is RA_ERR_NOT_FOUND.
 * Release *out with store_job_release. */
int store_job_poll(store *s, const char *job_id, const char *org_id, store_job *out,
                   int64_t *credits);

/* Renders a finished job's result: the bytes every poll and every callback
 * attempt of the job send from then on (api/poll.c). remaining_credits is
 * the organization's balance once the job's credits are settled. On RA_OK
 * *body is NUL-terminated, malloc'd and owned by the caller. */
typedef int (*store_result_renderer)(void *ctx, const store_job *job, int64_t remaining_credits,
                                     char **body);
/* Makes store_job_finish render the job's result in the transaction that
 * finishes it, so that a job is never finished without its result. Call
 * before any job can finish; ctx is borrowed. Without a renderer, results
 * are left to store_job_keep_result. */
void store_set_result_renderer(store *s, store_result_renderer render, void *ctx);
/* Caps on how many of some things may exist, checked by the statement or
 * transaction that creates one (so two requests at once cannot both pass
 * the last place); 0 leaves a thing uncapped. */
typedef struct store_limits {
    int keys_per_org;         /* live API keys of an organization (store_key_create) */
    int templates_per_user;   /* own templates of a user (store_template_create) */
    int revisions_per_report; /* revisions of a saved report (store_report_revise) */
} store_limits;
/* Sets the caps; call once at start-up, before any request. Without it
 * nothing is capped (the operator's commands, the unit tests). */
void store_set_limits(store *s, const store_limits *limits);

/* Keeps body as the job's result unless one is kept already (the first
 * one stays). For jobs finished without a renderer. */
int store_job_keep_result(store *s, const char *job_id, const char *body);

/* Claims the oldest job that is pending, or processing under an expired
 * lease (its worker died), for worker_id until now_ms + lease_ms, counting
 * an attempt. A job whose attempts would pass max_attempts is failed
 * instead (credits released, callback queued) and the search goes on.
 * RA_ERR_NOT_FOUND when nothing is due. Group commit, as store_job_create. */
int store_job_claim(store *s, const char *worker_id, int64_t now_ms, int64_t lease_ms,
                    int max_attempts, char job_id[UUID_LEN], int *attempt);
/* Extends the lease; RA_ERR_NOT_FOUND when worker_id no longer holds it. */
int store_job_renew(store *s, const char *job_id, const char *worker_id, int64_t until_ms);

typedef struct store_exam_result {
    int completed; /* 1 completed, 0 failed */
    const char *modality, *exam_name, *transcript, *report_text, *report_html;
    const char *filled_template, *template_used, *error_code, *error_message;
    const char *sections[REPORT_SEC_COUNT]; /* by report_section; NULL when absent */
    const char *structured_by;          /* the engine that wrote the sections: "openai", "rules" */
    const store_exam_warning *warnings; /* facts of the report its dictation lacks, in order */
    size_t n_warnings;
    int64_t more_warnings; /* found beyond those, counted and not kept */
} store_exam_result;

typedef struct store_job_result {
    const char *transcript; /* whole transcript, may be NULL */
    const char *error_code; /* for a job that failed whole */
    const char *error_message;
    int64_t processing_ms;
    const store_exam_result *exams; /* n_exams of them, or NULL when the job failed whole */
} store_job_result;

/* Finishes the job worker_id holds: stores the results, sets the job
 * completed (some exam completed) or failed, keeps one credit per completed
 * exam and releases the others (ledger rows for both), and queues the
 * callback for now_ms; one transaction. RA_ERR_NOT_FOUND when the lease was
 * lost (another worker owns the job now, or it already finished): nothing
 * is written, so nothing is charged twice. The audio file stays until
 * store_job_audio_sweep. Group commit, as store_job_create. */
int store_job_finish(store *s, const char *job_id, const char *worker_id, int64_t now_ms,
                     const store_job_result *r);

/* A job store_jobs_finish_claim claimed for a worker. */
typedef struct store_claimed {
    char id[UUID_LEN];
    int attempt;   /* the attempt the claim counted (from 1) */
    int has_audio; /* a recording; 0 for a transcript */
} store_claimed;

/* A finishing handed to store_jobs_finish_claim: a job the worker holds
 * and its results; rc receives its outcome as store_job_finish's. */
typedef struct store_job_done {
    const char *job_id;
    const store_job_result *result;
    int rc;
} store_job_done;

/* A worker's one transaction between jobs: finishes the n_done jobs of
 * done (each as store_job_finish does, kept or refused on its own: its
 * rc), gives back the n_returned jobs of returned it claimed and never
 * began (pending again, the attempt not counted; one it no longer holds is
 * left as it is), then claims jobs for worker_id as store_job_claim does, into
 * claimed (*n_claimed of them, at most max_claims; 0 to claim none): more
 * than one only while they are transcripts, a recording being the last one
 * taken, so that a worker holds several jobs only when they take
 * milliseconds, and one commit (one fsync) serves them all. Group commit,
 * as store_job_create. Returns RA_OK when it committed; else the error, and
 * then none of it happened: each done[i].rc is that error and *n_claimed
 * is 0. */
int store_jobs_finish_claim(store *s, const char *worker_id, int64_t now_ms, store_job_done *done,
                            size_t n_done, const store_claimed *returned, size_t n_returned,
                            int64_t lease_ms, int max_attempts, store_claimed *claimed,
                            size_t max_claims, size_t *n_claimed);

/* The audio of a finished job is kept until this sweep removes it, and at
 * least the organization's audio_retention_days after the job finished: for
 * up to 32 finished jobs whose audio is due at now_ms, calls remove_fn with
 * the path (relative to the data directory) and, when it returns RA_OK,
 * forgets the path. *removed counts them; call again while it is 32. */
int store_job_audio_sweep(store *s, int64_t now_ms,
                          int (*remove_fn)(const char *audio_path, void *ctx), void *ctx,
                          int *removed);

/* Queue figures for estimates: exams waiting or in progress, and the mean
 * processing time per exam over recent finished jobs (-1 when none). */
int store_job_stats(store *s, int64_t *exams_queued, int64_t *ms_per_exam);

/* ---- callbacks ------------------------------------------------------------------ */
/* Claims one callback due at now_ms, holding it until now_ms + hold_ms (so
 * a crash mid-delivery retries it) or until its attempt is recorded. With
 * per_org > 0, a callback of an organization that has per_org callbacks
 * held already is passed over: a receiver that hangs holds up only its own
 * organization's callbacks. The oldest due callback goes first.
 * RA_ERR_NOT_FOUND when none is due (or every due one is passed over). */
int store_callback_claim(store *s, int64_t now_ms, int64_t hold_ms, int per_org,
                         char job_id[UUID_LEN], char **url, int *attempt);
/* Records attempt number `attempt`: delivered, or failed with the next try
 * at next_ms (-1: give up, the callback is failed for good). */
int store_callback_record(store *s, const char *job_id, int attempt, int delivered,
                          long http_status, const char *error, int64_t next_ms);

/* ---- organization workspace: members and settings (orgs.c) ---------------- */
/* Calls fn for each member of the organization, by name. */
int store_org_members_each(store *s, const char *org_id, void (*fn)(const store_user *u, void *ctx),
                           void *ctx);
/* A member of org_id; a user of another organization is RA_ERR_NOT_FOUND. */
int store_member_get(store *s, const char *org_id, const char *user_id, store_user *out);
/* Changes a member's role (NULL keeps it) and active flag (-1 keeps it) in
 * one transaction; deactivating also ends every session they hold.
 * RA_ERR_NOT_FOUND for a user of another organization; RA_ERR_REFUSED when
 * active is 1 and the platform suspended the member (a manager cannot undo
 * a suspension). Nothing changes on error. */
int store_member_update(store *s, const char *org_id, const char *user_id, const char *role,
                        int active, store_user *out);
/* Sets a member's password (an argon2id string) and ends every session of
 * theirs but keep_session_id (may be NULL), in one transaction. */
int store_member_set_password(store *s, const char *org_id, const char *user_id,
                              const char *password_hash, const char *keep_session_id);
/* Replaces the organization's settings; callback_url "" clears it. */
int store_org_set_settings(store *s, const char *org_id, const char *callback_url,
                           const char *input_lang, const char *output_lang,
                           int audio_retention_days, store_org *out);
/* The signing secret of the organization's callbacks. Web app jobs call the
 * organization's callback URL and are signed with this secret, the
 * organization's one at a time (store_job.hmac_secret): a manager makes it,
 * sees it once, and replaces it by rotation, after which the old one signs
 * nothing. It is kept as it is, as a job's own hmac_secret is: an HMAC key
 * cannot be kept as a hash. The caller makes it (STORE_CALLBACK_SECRET_LEN
 * characters). */
#define STORE_CALLBACK_SECRET_LEN 64
typedef enum { STORE_SECRET_CREATE, STORE_SECRET_ROTATE } store_secret_change;
/* Sets the organization's secret, recording actor (an e-mail) and the time,
 * in one transaction; *out (may be NULL) gets the organization after.
 * STORE_SECRET_CREATE: RA_ERR_EXISTS when it has one already;
 * STORE_SECRET_ROTATE: RA_ERR_REFUSED when it has none. RA_ERR_NOT_FOUND
 * for an unknown organization, RA_ERR_INVALID for a secret of another
 * length. Nothing changes on error. */
int store_org_set_callback_secret(store *s, const char *org_id, store_secret_change change,
                                  const char *secret, const char *actor, store_org *out);

/* ---- platform staff: organizations and users (orgs.c) ----------------------- */
typedef struct store_org_summary {
    store_org org;
    int64_t members;
} store_org_summary;
/* Calls fn for every organization (personal accounts too), newest first. */
int store_org_each(store *s, void (*fn)(const store_org_summary *o, void *ctx), void *ctx);

typedef enum {
    STORE_ORG_APPROVE,    /* pending -> active; RA_ERR_EXISTS unless pending */
    STORE_ORG_ACTIVATE,   /* inactive -> active; RA_ERR_EXISTS while pending */
    STORE_ORG_DEACTIVATE, /* -> inactive (refusing a pending registration),
                             ending every session of its members */
} store_org_change;
/* Applies change in one transaction; *out gets the organization after it.
 * Deactivating records actor (an admin's e-mail) and the time unless the
 * organization was deactivated already; activating or approving clears
 * them. */
int store_org_change_state(store *s, const char *org_id, store_org_change change, const char *actor,
                           store_org *out);

typedef struct store_user_row {
    store_user user;
    char org_name[STORE_NAME_MAX * 4 + 1]; /* "" for platform staff */
} store_user_row;
/* Users whose e-mail or name holds query (case-insensitively for ASCII;
 * NULL or "" matches all), ordered by e-mail; limit rows from offset, and
 * *total of them in all. */
int store_user_search(store *s, const char *query, int64_t offset, int64_t limit,
                      void (*fn)(const store_user_row *u, void *ctx), void *ctx, int64_t *total);

/* ---- job lists: the pilot view and the admin console (joblists.c) ------------ */
typedef struct store_job_summary {
    char id[UUID_LEN];
    char org_id[UUID_LEN];
    char org_name[STORE_NAME_MAX * 4 + 1];
    char kind[8], status[12];
    char source[4]; /* "api" (an API key) or "web" */
    char key_prefix[STORE_KEY_PREFIX_LEN + 1];
    char created_at[TIME_ISO_LEN], started_at[TIME_ISO_LEN], finished_at[TIME_ISO_LEN];
    int attempts;
    int64_t exam_count;
    char error_code[64]; /* the job's, else its first failed exam's */
    char error_message[1024];
    char cb_url[2048]; /* "" without a callback */
    char cb_status[12];
} store_job_summary;
typedef struct store_job_filter {
    const char *org_id; /* NULL: every organization */
    int api_only;       /* only jobs sent with an API key */
    const char *status; /* NULL: any */
    int64_t offset, limit;
} store_job_filter;
/* Calls fn for the filtered jobs, newest first; *total (may be NULL) gets
 * how many match in all. */
int store_job_list(store *s, const store_job_filter *f,
                   void (*fn)(const store_job_summary *j, void *ctx), void *ctx, int64_t *total);
/* Jobs waiting and being processed, platform-wide. */
int store_job_queue_counts(store *s, int64_t *pending, int64_t *processing);

typedef struct store_callback_attempt {
    int attempt;
    char at[TIME_ISO_LEN];
    int64_t http_status; /* -1 when there was no HTTP answer */
    char error[512];     /* "" when delivered */
} store_callback_attempt;
/* Calls fn for each delivery attempt of the job's callback, in order. */
int store_callback_attempts_each(store *s, const char *job_id,
                                 void (*fn)(const store_callback_attempt *a, void *ctx), void *ctx);

/* ---- usage and the ledger, for managers and accounting (usage.c) ------------- */
typedef struct store_usage_row {
    char user_id[UUID_LEN]; /* "" for jobs sent with an API key */
    char month[8];          /* YYYY-MM the job finished in */
    int64_t reports;        /* completed exams */
    int64_t credits;        /* credits charged */
} store_usage_row;
/* The organization's finished jobs from since_month (YYYY-MM) on, summed
 * per member (web jobs) or for the External API, and month. */
int store_org_usage_each(store *s, const char *org_id, const char *since_month,
                         void (*fn)(const store_usage_row *r, void *ctx), void *ctx);

typedef struct store_month_usage {
    store_org org;
    int64_t reports; /* completed exams of jobs finished in the month */
    int64_t credits_used;
    int64_t top_ups; /* credits added by people (not by jobs) in the month */
} store_month_usage;
/* Calls fn for every organization with its usage in month (YYYY-MM), by name. */
int store_month_usage_each(store *s, const char *month,
                           void (*fn)(const store_month_usage *u, void *ctx), void *ctx);

/* The organization's ledger, newest first: limit rows from offset, and
 * *total rows in all. */
int store_ledger_page(store *s, const char *org_id, int64_t offset, int64_t limit,
                      void (*fn)(const store_ledger_row *row, void *ctx), void *ctx,
                      int64_t *total);

/* ---- the web app's own templates, saved reports and dashboard ----------------- */
/* What a web user may see: objects of org_id, and with user_id set only
 * those that user owns (a manager's scope has user_id NULL: every
 * member's). Another scope's object is RA_ERR_NOT_FOUND, exactly like an
 * unknown id. */
typedef struct store_scope {
    const char *org_id;
    const char *user_id; /* NULL: the whole organization */
} store_scope;

#define STORE_TEMPLATE_NAME_MAX 100 /* characters */
#define STORE_SHORT_MAX 64          /* characters of ids, modality, body part */

/* A user's own report template; the owner alone sees it (both org_id and
 * user_id are always part of the scope given). */
typedef struct store_template {
    char id[UUID_LEN];
    char name[STORE_TEMPLATE_NAME_MAX * 4 + 1];
    char language[8];
    char format[8]; /* txt, rtf, html */
    char modality[STORE_SHORT_MAX * 4 + 1];
    char body_part[STORE_SHORT_MAX * 4 + 1];
    char created_at[TIME_ISO_LEN], updated_at[TIME_ISO_LEN];
    char *content; /* owned; NULL in listings */
} store_template;

/* A template's fields, checked by the caller (modality, body_part NULL: ""). */
typedef struct store_template_input {
    const char *name, *language, *format, *modality, *body_part, *content;
} store_template_input;

/* Creates a template owned by user_id of org_id; *out gets it (with a copy
 * of the content: release with store_template_release). RA_ERR_REFUSED,
 * nothing written, when the user has store_limits.templates_per_user. */
int store_template_create(store *s, const char *org_id, const char *user_id,
                          const store_template_input *in, store_template *out);
/* Reads one template of the owner with its content (release it). */
int store_template_get(store *s, const char *id, const char *org_id, const char *user_id,
                       store_template *out);
/* Replaces every field; RA_ERR_NOT_FOUND when the owner has no such
 * template (nothing changes). *out as for create. */
int store_template_update(store *s, const char *id, const char *org_id, const char *user_id,
                          const store_template_input *in, store_template *out);
int store_template_delete(store *s, const char *id, const char *org_id, const char *user_id);
/* Calls fn with each of the owner's templates (content NULL), by name. */
int store_template_each(store *s, const char *org_id, const char *user_id,
                        void (*fn)(const store_template *t, void *ctx), void *ctx);
/* The own template that replaces the library's for an exam of this modality
 * (compared without case), body part (exactly) and language, with its
 * content (release it). Precedence: the template of user_id itself (NULL or
 * "" for none, as for External API jobs), else the organization's: one
 * saved by an active manager of org_id. Among several of the same rank the
 * most recently updated wins. RA_ERR_NOT_FOUND when there is none. */
int store_template_override(store *s, const char *org_id, const char *user_id, const char *modality,
                            const char *body_part, const char *language, store_template *out);
void store_template_release(store_template *t);

/* A saved report: a row with the latest revision's summary, and one
 * revision row per save that nothing ever overwrites, holding what that
 * save held: the report's fields (SUT code to language) and the texts of
 * its sections, each in its own column. */
typedef struct store_report {
    char id[UUID_LEN];
    char org_id[UUID_LEN];
    char user_id[UUID_LEN];              /* who created it */
    char author[STORE_NAME_MAX * 4 + 1]; /* that user's name */
    char job_id[UUID_LEN];               /* "" when not from a job */
    int revision;                        /* the latest */
    char sut_code[STORE_SUT_CODE_MAX + 1];
    char exam_name[STORE_NAME_MAX * 4 + 1];
    char modality[STORE_SHORT_MAX * 4 + 1];
    char patient_name[STORE_NAME_MAX * 4 + 1];
    char patient_id[STORE_SHORT_MAX * 4 + 1];
    char accession[STORE_SHORT_MAX * 4 + 1];
    char language[8];
    char created_at[TIME_ISO_LEN], updated_at[TIME_ISO_LEN];
} store_report;

/* The fields of one save. Strings are checked by the caller; NULL counts
 * as "". */
typedef struct store_report_input {
    const char *job_id; /* create only; may be NULL */
    const char *sut_code, *exam_name, *modality, *patient_name, *patient_id, *accession;
    const char *language;
    const char *sections[REPORT_SEC_COUNT]; /* the texts, by report_section */
} store_report_input;

typedef struct store_revision {
    int revision;
    char user_id[UUID_LEN];              /* who saved it */
    char author[STORE_NAME_MAX * 4 + 1]; /* that user's name */
    char created_at[TIME_ISO_LEN];
    /* Read by store_report_revision only (zero in listings): */
    store_report shown;               /* the report as this save left it: the save's fields
                                         (sut_code to language) and revision, the rest the
                                         report's row */
    char *sections[REPORT_SEC_COUNT]; /* owned; by report_section, "" when empty;
                                         NULL in listings */
} store_revision;

/* Creates a report of user_id in org_id with revision 1, in one
 * transaction; *out gets the new row. */
int store_report_create(store *s, const char *org_id, const char *user_id,
                        const store_report_input *in, store_report *out);
/* Adds revision N+1 by user_id to a report within scope and updates the
 * report's summary fields (in->job_id is ignored), in one transaction;
 * RA_ERR_NOT_FOUND outside the scope, RA_ERR_REFUSED (nothing written) when
 * the report has store_limits.revisions_per_report revisions already.
 * *out gets the updated row. */
int store_report_revise(store *s, const char *report_id, const store_scope *scope,
                        const char *user_id, const store_report_input *in, store_report *out);
int store_report_get(store *s, const char *report_id, const store_scope *scope, store_report *out);
/* Revision n (0: the latest) of a report, with the report as it showed
 * then and its sections (release it). The caller has checked the report's
 * scope with store_report_get. RA_ERR_NOT_FOUND for an unknown revision. */
int store_report_revision(store *s, const char *report_id, int n, store_revision *out);
void store_revision_release(store_revision *r);
/* Calls fn with each revision (shown and sections empty), oldest first. */
int store_report_revisions_each(store *s, const char *report_id,
                                void (*fn)(const store_revision *r, void *ctx), void *ctx);

/* A search of saved reports. Text filters are compared folded (text_fold:
 * case, Turkish i/İ/ı and accents ignored) as a part of the field: q in any
 * of patient name, patient id, accession number and exam name; patient in
 * patient name or id; exam in exam name or SUT code. modality is exact.
 * from and to are dates "YYYY-MM-DD" of creation (UTC), inclusive. NULL or
 * "" leaves a filter out. */
typedef struct store_report_filter {
    const char *q, *patient, *accession, *exam, *modality, *from, *to;
    int64_t offset, limit;
} store_report_filter;
/* Calls fn with each report in scope that matches, newest first, from
 * offset, at most limit; *total gets how many match in all. */
int store_report_search(store *s, const store_scope *scope, const store_report_filter *f,
                        void (*fn)(const store_report *r, void *ctx), void *ctx, int64_t *total);

/* The dashboard's figures within scope: reports created at or after
 * today_from and week_from (ISO 8601 UTC), and jobs pending or processing
 * (a job's owner is the web user who submitted it; a manager's scope also
 * counts the External API's). */
typedef struct store_dashboard {
    int64_t reports_today, reports_week, jobs_in_progress;
} store_dashboard;
int store_dashboard_get(store *s, const store_scope *scope, const char *today_from,
                        const char *week_from, store_dashboard *out);

/* ---- voice macros (macros.c) ------------------------------------------------------ */
/* A spoken macro's name and the text it inserts, owned by one user of an
 * organization or by the organization as a whole (user_id ""). A name is
 * unique within its owner for each section (section "" means every
 * section), compared by its folded form, which the caller computes
 * (structuring/macros.h: report_macro_fold). Another organization's macro, or
 * another member's own one, is RA_ERR_NOT_FOUND exactly like an unknown id. */
#define STORE_MACRO_NAME_MAX 60          /* characters */
#define STORE_MACRO_TEXT_MAX (16 * 1024) /* bytes */
#define STORE_MACROS_MAX 200             /* per user, and organization-wide per organization */

typedef struct store_macro {
    char id[UUID_LEN];
    char org_id[UUID_LEN];
    char user_id[UUID_LEN]; /* "" for an organization-wide macro */
    char name[STORE_MACRO_NAME_MAX * 4 + 1];
    char name_fold[STORE_MACRO_NAME_MAX * 4 + 1];
    char section[16]; /* "" (every section), findings, ... */
    char created_at[TIME_ISO_LEN], updated_at[TIME_ISO_LEN];
    char *text; /* owned; release with store_macro_release */
} store_macro;

/* A macro's fields, checked by the caller (section NULL counts as ""). */
typedef struct store_macro_input {
    const char *name, *name_fold, *section, *text;
} store_macro_input;

/* Creates a macro of user_id in org_id (user_id NULL: organization-wide),
 * in one transaction. RA_ERR_EXISTS when its owner has the folded name for
 * the section already; RA_ERR_TOO_LARGE when its owner has STORE_MACROS_MAX
 * macros. *out gets the new row (release it); nothing is written on error. */
int store_macro_create(store *s, const char *org_id, const char *user_id,
                       const store_macro_input *in, store_macro *out);
/* Reads a macro that user_id of org_id sees: an organization-wide one or
 * their own (user_id NULL: organization-wide ones only). */
int store_macro_get(store *s, const char *id, const char *org_id, const char *user_id,
                    store_macro *out);
/* Replaces name, folded name, section and text of the macro owned by
 * owner_id (NULL: the organization-wide macro) of org_id. RA_ERR_NOT_FOUND
 * for any other, RA_ERR_EXISTS on a name taken; nothing changes on error. */
int store_macro_update(store *s, const char *id, const char *org_id, const char *owner_id,
                       const store_macro_input *in, store_macro *out);
int store_macro_delete(store *s, const char *id, const char *org_id, const char *owner_id);
/* Calls fn with each macro user_id sees: their own first, then the
 * organization's (user_id NULL: the organization's only), each by name and
 * section. The row (and its text) is valid during the call only. */
int store_macro_each(store *s, const char *org_id, const char *user_id,
                     void (*fn)(const store_macro *m, void *ctx), void *ctx);
void store_macro_release(store_macro *m);

/* ---- speech model material, for per-organization models (lm_corpus.c) --------- */
/* What an organization's own speech model is built from: its English saved
 * reports (latest revision) and its members' own English templates. Only
 * section texts and template bodies are ever returned, never a report's
 * header (patient name and id, accession number, exam name). Callbacks run
 * while the query holds a connection: they must not call the store. */
typedef struct store_lm_activity {
    char org_id[UUID_LEN];
    int64_t revisions;               /* revisions of its English reports, in all */
    int64_t templates;               /* its members' own English templates */
    char templates_at[TIME_ISO_LEN]; /* the latest change of one of them; "" none */
} store_lm_activity;
/* Calls fn for each organization with English reports or own templates,
 * by id. Reports are never deleted, so `revisions` only grows. */
int store_lm_activity_each(store *s, void (*fn)(const store_lm_activity *a, void *ctx), void *ctx);
/* How many of the organization's own English templates were created or
 * changed after since (ISO 8601 as stored; NULL or "": all of them). */
int store_lm_templates_changed(store *s, const char *org_id, const char *since, int64_t *out);
/* Calls fn with the section texts, indexed by report_section ("" when
 * empty), of the latest revision of each of the organization's English
 * reports, most recently saved first, at most max_reports of them. */
int store_lm_report_texts_each(store *s, const char *org_id, int64_t max_reports,
                               void (*fn)(const char *const sections[REPORT_SEC_COUNT], void *ctx),
                               void *ctx);
/* Calls fn with the format (txt, rtf, html) and content of each own English
 * template of the organization's members, oldest first. */
int store_lm_templates_each(store *s, const char *org_id,
                            void (*fn)(const char *format, const char *content, void *ctx),
                            void *ctx);

#endif
