/* migrations.c - the versioned schema, oldest first.
 *
 * Version N is the Nth entry. A migration, once released, is never edited:
 * changes go into a new entry. The SQL is kept portable (TEXT ids, BIGINT
 * counts, ISO 8601 TEXT timestamps written by the application) so that a
 * PostgreSQL driver can run it; the SQLite-isms are INTEGER PRIMARY KEY for
 * the ledger's row order (BIGSERIAL there) and the reading of the old
 * formats that later migrations convert (SQLite's JSON operators on TEXT,
 * which PostgreSQL applies to json only). */
#include "store/internal.h"

/* Migration 7 moves what a saved report's revision holds out of the one
 * JSON text the web API used to write into the column `sections`,
 *     {"header": {"sutCode", "examName", "modality", "patientName",
 *                 "patientId", "accessionNo", "language"},
 *      "sections": {"clinical", "technique", "comparison", "findings",
 *                   "conclusion", "impression"}},
 * into columns of report_revisions. Each row is converted as the web API
 * read it: a header member that is not a string shows the reports row's
 * value, a section that is not a string is "". A content that is not a JSON
 * object (no version ever wrote one; the web API answered 503 for it) stops
 * the migration: M7_SECTION leaves NULL in a NOT NULL column, or the JSON
 * operators refuse malformed text, the transaction rolls back and nothing
 * is lost. The JSON is read by the database with SQLite's -> and ->>
 * operators: -> gives a member's JSON text (a string's starts with a
 * quote), ->> its value. These macros belong to migration 7: never edit
 * them. */
/* clang-format off */
#define M7_ADD(column) "ALTER TABLE report_revisions ADD COLUMN " column " TEXT NOT NULL DEFAULT '';"
#define M7_TEXT(path, otherwise) \
    "CASE WHEN substr(v.sections -> '" path "', 1, 1) = '\"'" \
    " THEN v.sections ->> '" path "' ELSE " otherwise " END"
#define M7_HEADER(column, member) " " column " = " M7_TEXT("$.header." member, "r." column)
#define M7_SECTION(key) \
    " sec_" key " = CASE WHEN substr(v.sections -> '$', 1, 1) = '{'" \
    " THEN " M7_TEXT("$.sections." key, "''") " END"
#define M7_SQL \
    M7_ADD("sut_code") M7_ADD("exam_name") M7_ADD("modality") M7_ADD("patient_name") \
    M7_ADD("patient_id") M7_ADD("accession") M7_ADD("language") \
    M7_ADD("sec_findings") M7_ADD("sec_conclusion") M7_ADD("sec_impression") \
    M7_ADD("sec_technique") M7_ADD("sec_clinical") M7_ADD("sec_comparison") \
    "UPDATE report_revisions AS v SET" \
    M7_HEADER("sut_code", "sutCode") "," \
    M7_HEADER("exam_name", "examName") "," \
    M7_HEADER("modality", "modality") "," \
    M7_HEADER("patient_name", "patientName") "," \
    M7_HEADER("patient_id", "patientId") "," \
    M7_HEADER("accession", "accessionNo") "," \
    M7_HEADER("language", "language") "," \
    M7_SECTION("findings") "," \
    M7_SECTION("conclusion") "," \
    M7_SECTION("impression") "," \
    M7_SECTION("technique") "," \
    M7_SECTION("clinical") "," \
    M7_SECTION("comparison") \
    " FROM reports AS r WHERE r.id = v.report_id;" \
    "ALTER TABLE report_revisions DROP COLUMN sections;"
/* clang-format on */

/* Migration 8 moves the warnings of an exam's report out of the text that
 * structuring/facts.c used to write into job_exams.warnings and
 * src/api/poll.c read: one line per warning, "CODE<TAB>section<TAB>text",
 * and a last line "MORE<TAB><TAB>N" when N more were found than kept. Each
 * warning becomes a row of job_exam_warnings, in the order of its line
 * (n from 0), and N goes to job_exams.more_warnings. Lines are read as the
 * poll read them: split at line feeds; a line with fewer than two tabs is
 * no warning; the code runs to the first tab, the section to the second,
 * the text to the end of the line. The lines are cut by a recursive query
 * into a temporary table, read twice. These macros belong to migration 8:
 * never edit them. */
/* clang-format off */
#define M8_TAB "char(9)"
#define M8_LF "char(10)"
#define M8_SQL \
    "CREATE TABLE job_exam_warnings (" \
    "  job_id TEXT NOT NULL," \
    "  idx INTEGER NOT NULL," \
    "  n INTEGER NOT NULL," \
    "  code TEXT NOT NULL," \
    "  section TEXT NOT NULL," \
    "  text TEXT NOT NULL," \
    "  PRIMARY KEY (job_id, idx, n)," \
    "  FOREIGN KEY (job_id, idx) REFERENCES job_exams(job_id, idx));" \
    "ALTER TABLE job_exams ADD COLUMN more_warnings BIGINT NOT NULL DEFAULT 0;" \
    "CREATE TEMP TABLE m8_lines AS" \
    " WITH RECURSIVE line(job_id, idx, n, text, rest) AS (" \
    "  SELECT job_id, idx, 0, '', warnings FROM job_exams WHERE warnings <> ''" \
    "  UNION ALL" \
    "  SELECT job_id, idx, n + 1," \
    "   substr(rest, 1, instr(rest || " M8_LF ", " M8_LF ") - 1)," \
    "   substr(rest, instr(rest || " M8_LF ", " M8_LF ") + 1)" \
    "  FROM line WHERE rest <> '')," \
    " coded(job_id, idx, n, code, rest) AS (" \
    "  SELECT job_id, idx, n, substr(text, 1, instr(text, " M8_TAB ") - 1)," \
    "   substr(text, instr(text, " M8_TAB ") + 1)" \
    "  FROM line WHERE instr(text, " M8_TAB ") > 0)" \
    " SELECT job_id, idx, n, code," \
    "  substr(rest, 1, instr(rest, " M8_TAB ") - 1) AS section," \
    "  substr(rest, instr(rest, " M8_TAB ") + 1) AS text" \
    " FROM coded WHERE instr(rest, " M8_TAB ") > 0;" \
    "INSERT INTO job_exam_warnings (job_id, idx, n, code, section, text)" \
    " SELECT job_id, idx, ROW_NUMBER() OVER (PARTITION BY job_id, idx ORDER BY n) - 1," \
    "  code, section, text FROM m8_lines WHERE code <> 'MORE';" \
    "UPDATE job_exams SET more_warnings = (SELECT SUM(CAST(m.text AS INTEGER))" \
    "  FROM m8_lines m WHERE m.job_id = job_exams.job_id AND m.idx = job_exams.idx" \
    "  AND m.code = 'MORE')" \
    " WHERE EXISTS (SELECT 1 FROM m8_lines m WHERE m.job_id = job_exams.job_id" \
    "  AND m.idx = job_exams.idx AND m.code = 'MORE');" \
    "DROP TABLE m8_lines;" \
    "ALTER TABLE job_exams DROP COLUMN warnings;"
/* clang-format on */

const store_migration store_migrations[] = {
    {"accounts, credits and API keys",
     "CREATE TABLE organizations ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  type TEXT NOT NULL CHECK (type IN"
     "    ('hospital','imaging_center','teleradiology','personal')),"
     "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
     "  credits BIGINT NOT NULL DEFAULT 0 CHECK (credits >= 0),"
     "  created_at TEXT NOT NULL);"
     "CREATE TABLE users ("
     "  id TEXT PRIMARY KEY,"
     "  email TEXT NOT NULL,"
     "  email_key TEXT NOT NULL UNIQUE,"
     "  name TEXT NOT NULL,"
     "  role TEXT NOT NULL CHECK (role IN ('manager','radiologist','doctor',"
     "    'technical','individual','admin','accounting')),"
     "  org_id TEXT REFERENCES organizations(id),"
     "  password_hash TEXT NOT NULL,"
     "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
     "  created_at TEXT NOT NULL,"
     "  CHECK ((role IN ('admin','accounting')) = (org_id IS NULL)));"
     "CREATE INDEX users_org ON users(org_id);"
     "CREATE TABLE credit_ledger ("
     "  id INTEGER PRIMARY KEY,"
     "  org_id TEXT NOT NULL REFERENCES organizations(id),"
     "  amount BIGINT NOT NULL,"
     "  balance_after BIGINT NOT NULL CHECK (balance_after >= 0),"
     "  reason TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);"
     "CREATE INDEX credit_ledger_org ON credit_ledger(org_id, id);"
     "CREATE TABLE api_keys ("
     "  id TEXT PRIMARY KEY,"
     "  key_hash TEXT NOT NULL UNIQUE,"
     "  prefix TEXT NOT NULL,"
     "  label TEXT NOT NULL,"
     "  org_id TEXT NOT NULL REFERENCES organizations(id),"
     "  user_id TEXT NOT NULL REFERENCES users(id),"
     "  created_at TEXT NOT NULL,"
     "  last_used_at TEXT,"
     "  use_count BIGINT NOT NULL DEFAULT 0,"
     "  revoked_at TEXT);"
     "CREATE INDEX api_keys_prefix ON api_keys(prefix);"
     "CREATE INDEX api_keys_org ON api_keys(org_id);"},
    {"SUT exam catalog", "CREATE TABLE sut_catalog ("
                         "  code TEXT PRIMARY KEY,"
                         "  name TEXT NOT NULL,"
                         "  modality TEXT NOT NULL,"
                         "  body_part TEXT NOT NULL,"
                         "  source TEXT NOT NULL);"
                         "CREATE INDEX sut_catalog_match ON sut_catalog(modality, body_part);"},
    {"report jobs, exams and callbacks",
     "CREATE TABLE jobs ("
     "  id TEXT PRIMARY KEY,"
     "  org_id TEXT NOT NULL REFERENCES organizations(id),"
     "  key_id TEXT REFERENCES api_keys(id),"
     "  kind TEXT NOT NULL CHECK (kind IN ('report','pacs')),"
     "  status TEXT NOT NULL CHECK (status IN ('pending','processing','completed','failed')),"
     "  audio_path TEXT,"
     "  audio_sha256 TEXT,"
     "  audio_format TEXT,"
     "  audio_ms BIGINT,"
     "  transcript_input TEXT,"
     "  input_lang TEXT NOT NULL,"
     "  output_lang TEXT NOT NULL,"
     "  patient_id TEXT,"
     "  patient_name TEXT,"
     "  callback_url TEXT,"
     "  hmac_secret TEXT NOT NULL,"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  lease_owner TEXT,"
     "  lease_until BIGINT,"
     "  transcript TEXT,"
     "  error_code TEXT,"
     "  error_message TEXT,"
     "  credits_reserved BIGINT NOT NULL,"
     "  credits_used BIGINT,"
     "  created_at TEXT NOT NULL,"
     "  created_ms BIGINT NOT NULL,"
     "  started_at TEXT,"
     "  finished_at TEXT,"
     "  processing_ms BIGINT);"
     "CREATE INDEX jobs_queue ON jobs(status, created_ms);"
     "CREATE INDEX jobs_audio ON jobs(org_id, audio_sha256);"
     "CREATE TABLE job_exams ("
     "  job_id TEXT NOT NULL REFERENCES jobs(id),"
     "  idx INTEGER NOT NULL,"
     "  accession TEXT,"
     "  sut_code TEXT NOT NULL,"
     "  tele_code TEXT,"
     "  template_content TEXT,"
     "  template_format TEXT,"
     "  status TEXT NOT NULL CHECK (status IN ('pending','completed','failed')),"
     "  modality TEXT,"
     "  exam_name TEXT,"
     "  transcript TEXT,"
     "  report_text TEXT,"
     "  report_html TEXT,"
     "  filled_template TEXT,"
     "  template_used TEXT,"
     "  error_code TEXT,"
     "  error_message TEXT,"
     "  PRIMARY KEY (job_id, idx));"
     "CREATE TABLE callbacks ("
     "  job_id TEXT PRIMARY KEY REFERENCES jobs(id),"
     "  url TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  next_attempt_ms BIGINT NOT NULL,"
     "  last_http_status INTEGER,"
     "  last_error TEXT,"
     "  last_attempt_at TEXT,"
     "  delivered_at TEXT);"
     "CREATE INDEX callbacks_due ON callbacks(status, next_attempt_ms);"
     "CREATE TABLE callback_attempts ("
     "  job_id TEXT NOT NULL REFERENCES jobs(id),"
     "  attempt INTEGER NOT NULL,"
     "  at TEXT NOT NULL,"
     "  http_status INTEGER,"
     "  error TEXT,"
     "  PRIMARY KEY (job_id, attempt));"},
    {"web app: sessions, sign-in throttling, organization settings and approval,"
     " key rotation, own templates, saved reports with revisions, exam sections",
     "ALTER TABLE organizations ADD COLUMN pending INTEGER NOT NULL DEFAULT 0"
     "  CHECK (pending IN (0,1));"
     "ALTER TABLE organizations ADD COLUMN callback_url TEXT;"
     "ALTER TABLE organizations ADD COLUMN input_lang TEXT NOT NULL DEFAULT 'tr';"
     "ALTER TABLE organizations ADD COLUMN output_lang TEXT NOT NULL DEFAULT 'tr';"
     "ALTER TABLE organizations ADD COLUMN audio_retention_days INTEGER NOT NULL DEFAULT 0"
     "  CHECK (audio_retention_days BETWEEN 0 AND 365);"
     "CREATE TABLE sessions ("
     "  id TEXT PRIMARY KEY,"
     "  token_hash TEXT NOT NULL UNIQUE,"
     "  user_id TEXT NOT NULL REFERENCES users(id),"
     "  path TEXT NOT NULL CHECK (path IN ('user','corporate','admin','accounting')),"
     "  created_ms BIGINT NOT NULL,"
     "  last_seen_ms BIGINT NOT NULL,"
     "  expires_ms BIGINT NOT NULL);"
     "CREATE INDEX sessions_user ON sessions(user_id);"
     "CREATE TABLE login_throttle ("
     "  email_key TEXT PRIMARY KEY,"
     "  failures INTEGER NOT NULL,"
     "  first_failure_ms BIGINT NOT NULL,"
     "  last_failure_ms BIGINT NOT NULL,"
     "  locked_until_ms BIGINT NOT NULL DEFAULT 0);"
     "ALTER TABLE api_keys ADD COLUMN expires_at TEXT;"
     "ALTER TABLE api_keys ADD COLUMN expires_ms BIGINT;"
     "ALTER TABLE api_keys ADD COLUMN replaced_by TEXT REFERENCES api_keys(id);"
     "ALTER TABLE jobs ADD COLUMN user_id TEXT REFERENCES users(id);"
     "ALTER TABLE jobs ADD COLUMN finished_ms BIGINT;"
     "ALTER TABLE job_exams ADD COLUMN sec_findings TEXT;"
     "ALTER TABLE job_exams ADD COLUMN sec_conclusion TEXT;"
     "ALTER TABLE job_exams ADD COLUMN sec_impression TEXT;"
     "ALTER TABLE job_exams ADD COLUMN sec_technique TEXT;"
     "ALTER TABLE job_exams ADD COLUMN sec_clinical TEXT;"
     "ALTER TABLE job_exams ADD COLUMN sec_comparison TEXT;"
     "CREATE INDEX jobs_org ON jobs(org_id, created_ms);"
     "CREATE TABLE user_templates ("
     "  id TEXT PRIMARY KEY,"
     "  org_id TEXT NOT NULL REFERENCES organizations(id),"
     "  user_id TEXT NOT NULL REFERENCES users(id),"
     "  name TEXT NOT NULL,"
     "  language TEXT NOT NULL,"
     "  format TEXT NOT NULL CHECK (format IN ('txt','rtf','html')),"
     "  modality TEXT NOT NULL,"
     "  body_part TEXT NOT NULL,"
     "  content TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE INDEX user_templates_owner ON user_templates(user_id);"
     "CREATE TABLE reports ("
     "  id TEXT PRIMARY KEY,"
     "  org_id TEXT NOT NULL REFERENCES organizations(id),"
     "  user_id TEXT NOT NULL REFERENCES users(id),"
     "  job_id TEXT REFERENCES jobs(id),"
     "  revision INTEGER NOT NULL,"
     "  sut_code TEXT NOT NULL,"
     "  exam_name TEXT NOT NULL,"
     "  modality TEXT NOT NULL,"
     "  patient_name TEXT NOT NULL,"
     "  patient_id TEXT NOT NULL,"
     "  accession TEXT NOT NULL,"
     "  language TEXT NOT NULL,"
     "  search_key TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  created_ms BIGINT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE INDEX reports_org ON reports(org_id, created_ms);"
     "CREATE INDEX reports_user ON reports(user_id, created_ms);"
     "CREATE TABLE report_revisions ("
     "  report_id TEXT NOT NULL REFERENCES reports(id),"
     "  revision INTEGER NOT NULL,"
     "  user_id TEXT NOT NULL REFERENCES users(id),"
     "  sections TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  PRIMARY KEY (report_id, revision));"},
    {"voice macros of organizations and users",
     "CREATE TABLE macros ("
     "  id TEXT PRIMARY KEY,"
     "  org_id TEXT NOT NULL REFERENCES organizations(id),"
     "  user_id TEXT REFERENCES users(id),"
     "  name TEXT NOT NULL,"
     "  name_fold TEXT NOT NULL,"
     "  section TEXT NOT NULL DEFAULT '' CHECK (section IN ('','findings','conclusion',"
     "    'impression','technique','clinical','comparison')),"
     "  text TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX macros_name ON macros(org_id, (COALESCE(user_id, '')), name_fold,"
     "  section);"
     "CREATE INDEX macros_user ON macros(user_id);"
     /* which structuring engine wrote an exam's report, and what its fact
      * check flagged (structuring/engine.h) */
     "ALTER TABLE job_exams ADD COLUMN structured_by TEXT;"
     "ALTER TABLE job_exams ADD COLUMN warnings TEXT;"},
    /* the bytes every poll and callback attempt of a finished job send
     * (store_set_result_renderer) */
    {"results rendered once, when a job finishes", "ALTER TABLE jobs ADD COLUMN result TEXT;"},
    /* what a saved report's revision holds, in columns (store/reports.c) */
    {"report revisions keep their fields and sections in columns", M7_SQL},
    /* an exam's warnings, as rows (store/jobs.c) */
    {"warnings of exams in rows of their own", M8_SQL},
    /* sign-in failures counted per (address, e-mail), address and e-mail,
     * and registrations per address (auth/throttle.h), under one key each;
     * the old per-e-mail counts are transient and dropped */
    {"attempts counted per key for sign-in and registration limits",
     "DROP TABLE login_throttle;"
     "CREATE TABLE login_throttle ("
     "  throttle_key TEXT PRIMARY KEY,"
     "  attempts BIGINT NOT NULL,"
     "  first_ms BIGINT NOT NULL,"
     "  last_ms BIGINT NOT NULL,"
     "  keep_until_ms BIGINT NOT NULL);"
     "CREATE INDEX login_throttle_keep ON login_throttle(keep_until_ms);"},
    /* the organization's secret that signs its web jobs' callbacks, kept as
     * it is (an HMAC key cannot be kept as a hash, like jobs.hmac_secret),
     * with who made it when; and which secret signs a job's callback
     * (store/orgs.c, store/jobs.c). The web app's jobs so far (those without
     * an API key) are signed by the organization from now on too, so that
     * their callbacks still being retried can be verified once it has a
     * secret. */
    {"organizations sign their web jobs' callbacks with a secret of their own",
     "ALTER TABLE organizations ADD COLUMN callback_secret TEXT;"
     "ALTER TABLE organizations ADD COLUMN callback_secret_at TEXT;"
     "ALTER TABLE organizations ADD COLUMN callback_secret_by TEXT;"
     "ALTER TABLE jobs ADD COLUMN signed_with TEXT NOT NULL DEFAULT 'job'"
     "  CHECK (signed_with IN ('job','organization'));"
     "UPDATE jobs SET signed_with = 'organization' WHERE key_id IS NULL;"},
    /* a user's suspension by the platform, which only an admin sets and
     * lifts, apart from the active flag an organization's managers set; and
     * who deactivated an organization (the platform's suspension of it) and
     * when (store/accounts.c, store/orgs.c) */
    {"platform suspension of users; who deactivated an organization",
     "ALTER TABLE users ADD COLUMN suspended_at TEXT;"
     "ALTER TABLE users ADD COLUMN suspended_by TEXT;"
     "ALTER TABLE organizations ADD COLUMN deactivated_at TEXT;"
     "ALTER TABLE organizations ADD COLUMN deactivated_by TEXT;"},
    /* the fair queue's turns: each claim of a job gives its organization the
     * next turn number, and workers claim the oldest due job of the
     * organization whose last turn is the oldest (store/jobs.c); 0 is an
     * organization that never had a job claimed */
    {"jobs claimed in turn across organizations",
     "ALTER TABLE organizations ADD COLUMN claim_turn BIGINT NOT NULL DEFAULT 0;"
     "CREATE INDEX organizations_claim_turn ON organizations(claim_turn);"},
    /* a callback's delivery in flight: claimed and held until its attempt is
     * recorded (or until the hold runs out, when its process died); the
     * dispatchers count an organization's held callbacks against the limit
     * per organization (store/callbacks.c) */
    {"callbacks held while in flight, counted per organization",
     "ALTER TABLE callbacks ADD COLUMN held_until_ms BIGINT;"
     "CREATE INDEX callbacks_held ON callbacks(held_until_ms);"},
    /* a claim finds each organization's oldest due job with a seek instead
     * of sorting every due job (store/jobs.c, the fair queue) */
    {"an organization's due jobs found by an index",
     "CREATE INDEX jobs_org_due ON jobs(org_id, status, created_ms);"},
    /* the generation of who may authenticate: one more, by these triggers,
     * with every change of a key, a user or an organization that can refuse
     * a key (revoke, rotate, deactivate, suspend, a role), whoever makes it
     * (an operator's SQL included), so that every process caching keys (the
     * External API's) sees within a second that it must forget them
     * (store_auth_generation); uses, balances and turns change none */
    {"a generation counter for the caches of API keys",
     "CREATE TABLE auth_generation (id INTEGER PRIMARY KEY CHECK (id = 1),"
     " n BIGINT NOT NULL);"
     "INSERT INTO auth_generation (id, n) VALUES (1, 0);"
     "CREATE TRIGGER auth_keys_changed AFTER UPDATE OF key_hash, org_id, user_id, revoked_at,"
     " expires_ms ON api_keys BEGIN UPDATE auth_generation SET n = n + 1; END;"
     "CREATE TRIGGER auth_keys_deleted AFTER DELETE ON api_keys"
     " BEGIN UPDATE auth_generation SET n = n + 1; END;"
     "CREATE TRIGGER auth_users_changed AFTER UPDATE OF role, org_id, active, suspended_at"
     " ON users BEGIN UPDATE auth_generation SET n = n + 1; END;"
     "CREATE TRIGGER auth_users_deleted AFTER DELETE ON users"
     " BEGIN UPDATE auth_generation SET n = n + 1; END;"
     "CREATE TRIGGER auth_orgs_changed AFTER UPDATE OF active ON organizations"
     " BEGIN UPDATE auth_generation SET n = n + 1; END;"
     "CREATE TRIGGER auth_orgs_deleted AFTER DELETE ON organizations"
     " BEGIN UPDATE auth_generation SET n = n + 1; END;"},
    /* what every submission and every finished job asked read every job
     * ever made, or every job queued: the processing times of the last 50
     * jobs processed and the exams queued (the estimate of a submission's
     * wait, store_job_stats), and the finished jobs whose audio is still
     * kept (store_job_audio_sweep). The first and the last are found by
     * indexes holding those jobs only; the exams of jobs pending or
     * processing (one per credit reserved, store/jobs.c) are counted in
     * job_queue by triggers on every job's change, whoever makes it */
    {"the queue's figures counted, recent times and kept audio found by indexes",
     "CREATE INDEX jobs_processed ON jobs(created_ms, processing_ms, credits_reserved)"
     " WHERE processing_ms IS NOT NULL;"
     "CREATE INDEX jobs_audio_kept ON jobs(status, finished_ms) WHERE audio_path IS NOT NULL;"
     "CREATE TABLE job_queue (id INTEGER PRIMARY KEY CHECK (id = 1), exams BIGINT NOT NULL);"
     "INSERT INTO job_queue (id, exams) SELECT 1, COALESCE(SUM(credits_reserved), 0) FROM jobs"
     " WHERE status IN ('pending', 'processing');"
     /* = and OR, not IN: SQLite 3.40 builds a temporary table for a
      * constant IN list each time a trigger's condition is evaluated */
     "CREATE TRIGGER job_queue_insert AFTER INSERT ON jobs"
     " WHEN NEW.status = 'pending' OR NEW.status = 'processing'"
     " BEGIN UPDATE job_queue SET exams = exams + NEW.credits_reserved; END;"
     "CREATE TRIGGER job_queue_update AFTER UPDATE OF status, credits_reserved ON jobs"
     " WHEN (OLD.status = 'pending' OR OLD.status = 'processing')"
     "  <> (NEW.status = 'pending' OR NEW.status = 'processing')"
     "  OR OLD.credits_reserved <> NEW.credits_reserved"
     " BEGIN UPDATE job_queue SET exams = exams"
     "  - CASE WHEN OLD.status = 'pending' OR OLD.status = 'processing'"
     "    THEN OLD.credits_reserved ELSE 0 END"
     "  + CASE WHEN NEW.status = 'pending' OR NEW.status = 'processing'"
     "    THEN NEW.credits_reserved ELSE 0 END;"
     " END;"
     "CREATE TRIGGER job_queue_delete AFTER DELETE ON jobs"
     " WHEN OLD.status = 'pending' OR OLD.status = 'processing'"
     " BEGIN UPDATE job_queue SET exams = exams - OLD.credits_reserved; END;"},
};

const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);
