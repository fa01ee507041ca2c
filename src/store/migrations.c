/* migrations.c - the versioned schema, oldest first.
 *
 * Version N is the Nth entry. A migration, once released, is never edited:
 * changes go into a new entry. The SQL is kept portable (TEXT ids, BIGINT
 * counts, ISO 8601 TEXT timestamps written by the application) so that a
 * PostgreSQL driver can run it; the one SQLite-ism is INTEGER PRIMARY KEY for
 * the ledger's row order (BIGSERIAL there). */
#include "store/internal.h"

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
    {"SUT exam catalog",
     "CREATE TABLE sut_catalog ("
     "  code TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  modality TEXT NOT NULL,"
     "  body_part TEXT NOT NULL,"
     "  source TEXT NOT NULL);"
     "CREATE INDEX sut_catalog_match ON sut_catalog(modality, body_part);"},
};

const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);
