/* admin.c - `raportai admin COMMAND`: the operator's commands.
 *
 * Each command prints only its result (a new id, key or balance) on stdout,
 * so scripts can capture it; on refusal it prints one clear sentence on
 * stderr, changes nothing, and exits with status 2. A failure of the
 * machinery (the database) exits with 1. Commands open the data directory
 * like `serve` and work while a server runs on it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/apikey.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/text.h"
#include "templates/mrrt.h"

#define MAX_OPTS 8
#define ACTOR "admin-cli"

typedef struct admin_cmd admin_cmd;

/* What a command gets: its option values (by index into its spec table), the
 * open store, and the share directory. */
typedef struct admin_ctx {
    const admin_cmd *cmd;
    const char **v;
    store *store;
    const char *share;
} admin_ctx;

struct admin_cmd {
    const char *name;
    const char *summary;
    opt_spec opts[MAX_OPTS]; /* after the common --data and --share */
    int (*run)(admin_ctx *ctx);
};

/* Prints "raportai admin CMD: <message>" on one line and returns
 * CLI_REFUSED. Messages quote the operator's input, so control characters
 * in it are shown escaped: a refusal is always exactly one line. */
__attribute__((format(printf, 2, 3))) static int refuse(admin_ctx *ctx, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "raportai admin %s: ", ctx->cmd->name);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else
            fputc(*p, stderr);
    }
    fputc('\n', stderr);
    return CLI_REFUSED;
}

/* Maps an unexpected store error to exit status 1 with a message. */
static int failed(admin_ctx *ctx, int rc)
{
    fprintf(stderr, "raportai admin %s: %s\n", ctx->cmd->name, ra_strerror(rc));
    return CLI_FAILED;
}

/* Option i of the command (the common options come first). */
#define OPT(ctx, i) ((ctx)->v[2 + (i)])

/* A value that must be present. */
static int need(admin_ctx *ctx, int i, const char **out)
{
    *out = OPT(ctx, i);
    if (*out == NULL || **out == '\0')
        return refuse(ctx, "--%s is required", ctx->cmd->opts[i].name);
    return CLI_OK;
}

/* Finds the user named by --email (option i). */
static int find_user(admin_ctx *ctx, int i, store_user *user)
{
    const char *email;
    if (need(ctx, i, &email) != CLI_OK)
        return CLI_REFUSED;
    int rc = store_user_by_email(ctx->store, email, user);
    if (rc == RA_ERR_NOT_FOUND)
        return refuse(ctx, "no user with e-mail %s", email);
    return rc == RA_OK ? CLI_OK : failed(ctx, rc);
}

static int find_org(admin_ctx *ctx, const char *org_id, store_org *org)
{
    if (!ids_is_uuid(org_id))
        return refuse(ctx, "'%s' is not an organization id (a UUID)", org_id);
    int rc = store_org_get(ctx->store, org_id, org);
    if (rc == RA_ERR_NOT_FOUND)
        return refuse(ctx, "no organization with id %s", org_id);
    return rc == RA_OK ? CLI_OK : failed(ctx, rc);
}

/* ---- create-org ---------------------------------------------------------------- */

static int create_org(admin_ctx *ctx)
{
    const char *name, *type = OPT(ctx, 1);
    int64_t credits = 0;
    if (need(ctx, 0, &name) != CLI_OK)
        return CLI_REFUSED;
    if (text_check_name(name, STORE_NAME_MAX) != RA_OK)
        return refuse(ctx,
                      "--name must be 1 to %d characters of UTF-8 text, without control "
                      "characters or leading or trailing spaces",
                      STORE_NAME_MAX);
    if (!org_type_valid(type))
        return refuse(ctx, "--type must be hospital, imaging_center or teleradiology");
    if (opts_int(OPT(ctx, 2), 0, 1000000000, &credits) != RA_OK)
        return refuse(ctx, "--credits must be a whole number from 0 to 1000000000");
    store_org org;
    int rc = store_org_create(ctx->store, name, type, credits, ACTOR, &org);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%s\n", org.id);
    return CLI_OK;
}

/* ---- create-user ---------------------------------------------------------------- */

/* Checks --role against --org: corporate roles need an organization (not a
 * personal account), the others take none. */
static int check_role_org(admin_ctx *ctx, role r, const char *org_id)
{
    if (r == ROLE_INVALID)
        return refuse(ctx, "--role must be one of: %s", role_all_names());
    if (role_kind_of(r) != ROLE_KIND_CORPORATE) {
        if (org_id != NULL)
            return refuse(ctx,
                          "role %s takes no --org (individuals get a personal account, "
                          "admin and accounting belong to no organization)",
                          role_name(r));
        return CLI_OK;
    }
    if (org_id == NULL)
        return refuse(ctx, "role %s needs --org ORG_ID", role_name(r));
    store_org org;
    if (find_org(ctx, org_id, &org) != CLI_OK)
        return CLI_REFUSED;
    if (strcmp(org.type, "personal") == 0)
        return refuse(ctx, "%s is a personal account, not an organization", org_id);
    return CLI_OK;
}

static int create_user(admin_ctx *ctx)
{
    const char *email, *password, *org_id = OPT(ctx, 3), *name = OPT(ctx, 4);
    if (need(ctx, 0, &email) != CLI_OK || need(ctx, 1, &password) != CLI_OK)
        return CLI_REFUSED;
    if (text_check_email(email) != RA_OK)
        return refuse(ctx, "--email '%s' is not an e-mail address", email);
    role r = role_parse(OPT(ctx, 2));
    if (check_role_org(ctx, r, org_id) != CLI_OK)
        return CLI_REFUSED;
    char local[STORE_EMAIL_MAX + 1];
    if (name == NULL) {
        snprintf(local, sizeof local, "%.*s", (int)(strchr(email, '@') - email), email);
        name = local;
    } else if (text_check_name(name, STORE_NAME_MAX) != RA_OK) {
        return refuse(ctx, "--name must be 1 to %d characters of text", STORE_NAME_MAX);
    }
    if (password_check_policy(password) != RA_OK)
        return refuse(ctx, "--password must be %d to %d bytes of text", PASSWORD_MIN_LEN,
                      PASSWORD_MAX_LEN);
    char hash[PASSWORD_HASH_MAX];
    int rc = password_hash(password, hash);
    store_user user;
    if (rc == RA_OK)
        rc = store_user_create(ctx->store, email, name, role_name(r), org_id, hash, &user);
    if (rc == RA_ERR_EXISTS)
        return refuse(ctx, "a user with e-mail %s already exists", email);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%s\n", user.id);
    return CLI_OK;
}

/* ---- set-role, set-active ----------------------------------------------------------- */

static int set_role(admin_ctx *ctx)
{
    store_user user;
    if (find_user(ctx, 0, &user) != CLI_OK)
        return CLI_REFUSED;
    role to = role_parse(OPT(ctx, 1)), from = role_parse(user.role);
    if (to == ROLE_INVALID)
        return refuse(ctx, "--role must be one of: %s", role_all_names());
    /* A role change never moves a user between account kinds: that would
     * leave a corporate role without its organization, or a platform role
     * with one. */
    if (role_kind_of(to) != role_kind_of(from))
        return refuse(ctx,
                      "%s is %s; a role change stays within corporate roles (manager, "
                      "radiologist, doctor, technical) or platform roles (admin, "
                      "accounting): create a new user instead",
                      user.email, user.role);
    int rc = store_user_set_role(ctx->store, user.id, role_name(to));
    return rc == RA_OK ? CLI_OK : failed(ctx, rc);
}

static int set_active(admin_ctx *ctx)
{
    store_user user;
    int64_t active = 0;
    if (find_user(ctx, 0, &user) != CLI_OK)
        return CLI_REFUSED;
    if (opts_int(OPT(ctx, 1), 0, 1, &active) != RA_OK)
        return refuse(ctx, "--active must be 0 or 1");
    int rc = store_user_set_active(ctx->store, user.id, (int)active);
    return rc == RA_OK ? CLI_OK : failed(ctx, rc);
}

/* ---- add-credits ---------------------------------------------------------------- */

/* The credit account of the user named by --email: an individual's personal
 * account. Corporate credits belong to the organization (--org). */
static int account_of_user(admin_ctx *ctx, char org_id[UUID_LEN])
{
    store_user user;
    if (find_user(ctx, 1, &user) != CLI_OK)
        return CLI_REFUSED;
    if (role_parse(user.role) != ROLE_INDIVIDUAL)
        return refuse(ctx, "%s is %s: credits belong to %s; use --org", user.email, user.role,
                      user.org_id[0] ? "their organization" : "organizations, not staff");
    memcpy(org_id, user.org_id, UUID_LEN);
    return CLI_OK;
}

static int add_credits(admin_ctx *ctx)
{
    const char *org_opt = OPT(ctx, 0), *email = OPT(ctx, 1), *reason = OPT(ctx, 3);
    int64_t amount = 0, balance = 0;
    char org_id[UUID_LEN];
    store_org org;
    if ((org_opt == NULL) == (email == NULL))
        return refuse(ctx, "give exactly one of --org ORG_ID and --email E");
    if (opts_int(OPT(ctx, 2), -1000000000, 1000000000, &amount) != RA_OK || amount == 0)
        return refuse(ctx, "--amount must be a whole number from -1000000000 to 1000000000, "
                           "not 0");
    if (reason != NULL && text_check_name(reason, STORE_REASON_MAX) != RA_OK)
        return refuse(ctx, "--reason must be 1 to %d characters of text", STORE_REASON_MAX);
    if (org_opt != NULL) {
        if (find_org(ctx, org_opt, &org) != CLI_OK)
            return CLI_REFUSED;
        memcpy(org_id, org.id, UUID_LEN);
    } else if (account_of_user(ctx, org_id) != CLI_OK) {
        return CLI_REFUSED;
    }
    if (reason == NULL)
        reason = amount > 0 ? "top-up" : "adjustment";
    int rc = store_credits_add(ctx->store, org_id, amount, reason, ACTOR, &balance);
    if (rc == RA_ERR_BALANCE)
        return refuse(ctx, "the balance would become negative; nothing changed");
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%lld\n", (long long)balance);
    return CLI_OK;
}

/* ---- API keys ---------------------------------------------------------------- */

static int create_key(admin_ctx *ctx)
{
    store_user user;
    store_org org;
    const char *label = OPT(ctx, 1) ? OPT(ctx, 1) : "API key";
    if (find_user(ctx, 0, &user) != CLI_OK)
        return CLI_REFUSED;
    if (text_check_name(label, STORE_LABEL_MAX) != RA_OK)
        return refuse(ctx, "--name must be 1 to %d characters of text", STORE_LABEL_MAX);
    if (role_parse(user.role) != ROLE_MANAGER)
        return refuse(ctx, "%s is %s; only an organization's managers hold API keys", user.email,
                      user.role);
    if (!user.active)
        return refuse(ctx, "%s is inactive", user.email);
    int rc = store_org_get(ctx->store, user.org_id, &org);
    if (rc != RA_OK)
        return failed(ctx, rc);
    if (!org.active)
        return refuse(ctx, "the organization of %s is inactive", user.email);
    char key[APIKEY_LEN + 1], hash[APIKEY_HASH_HEX], prefix[APIKEY_PREFIX_LEN + 1];
    apikey_generate(key);
    apikey_hash(key, hash);
    apikey_prefix(key, prefix);
    rc = store_key_create(ctx->store, hash, prefix, label, org.id, user.id, NULL);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%s\n", key);
    return CLI_OK;
}

static void print_key(const store_key *k, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%s\t%s\t%s\t%lld\t%s\n", k->prefix, k->label, k->user_email, k->created_at,
           k->last_used_at[0] ? k->last_used_at : "-", (long long)k->use_count,
           k->revoked_at[0] ? "revoked" : "active");
}

static int list_keys(admin_ctx *ctx)
{
    const char *org_id;
    store_org org;
    if (need(ctx, 0, &org_id) != CLI_OK || find_org(ctx, org_id, &org) != CLI_OK)
        return CLI_REFUSED;
    printf("prefix\tlabel\tcreated_by\tcreated_at\tlast_used_at\tuse_count\tstatus\n");
    int rc = store_key_each(ctx->store, org.id, print_key, NULL);
    return rc == RA_OK ? CLI_OK : failed(ctx, rc);
}

static int revoke_key(admin_ctx *ctx)
{
    const char *prefix;
    if (need(ctx, 0, &prefix) != CLI_OK)
        return CLI_REFUSED;
    if (strlen(prefix) != APIKEY_PREFIX_LEN || strncmp(prefix, APIKEY_MARK, 5) != 0)
        return refuse(ctx,
                      "--prefix must be the key's first %d characters, as list-keys "
                      "shows them (rapi_ and 7 more)",
                      APIKEY_PREFIX_LEN);
    store_key key;
    int rc = store_key_revoke_by_prefix(ctx->store, prefix, &key);
    if (rc == RA_ERR_NOT_FOUND)
        return refuse(ctx, "no key has the prefix %s", prefix);
    if (rc == RA_ERR_AMBIGUOUS)
        return refuse(ctx, "more than one key has the prefix %s; nothing was revoked", prefix);
    if (rc == RA_ERR_EXISTS)
        return refuse(ctx, "the key %s is already revoked", prefix);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%s\n", key.prefix);
    return CLI_OK;
}

/* ---- the SUT catalog and the schema ------------------------------------------------ */

static int import_sut(admin_ctx *ctx)
{
    const char *path;
    if (need(ctx, 0, &path) != CLI_OK)
        return CLI_REFUSED;
    char source[512], today[TIME_ISO_LEN];
    time_now_iso(today);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(source, sizeof source, "EK-2B import: %s, %.10s", base, today);
    store_sut_row *rows = NULL;
    size_t n = 0;
    char err[512] = "";
    int rc = catalog_parse_file(path, source, &rows, &n, err, sizeof err);
    if (rc != RA_OK)
        return refuse(ctx, "%s", err[0] ? err : ra_strerror(rc));
    rc = store_sut_replace(ctx->store, rows, n);
    free(rows);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%zu\n", n);
    return CLI_OK;
}

/* ---- IHE MRRT templates -------------------------------------------------------------- */

typedef struct mrrt_owner {
    store_user user; /* the first active manager (or personal account) */
    int found;
} mrrt_owner;

static void pick_owner(const store_user *u, void *ctx)
{
    mrrt_owner *o = ctx;
    int fits = u->active && (strcmp(u->role, "manager") == 0 || strcmp(u->role, "individual") == 0);
    if (fits && (!o->found || strcmp(u->created_at, o->user.created_at) < 0)) {
        o->user = *u;
        o->found = 1;
    }
}

/* Replaces *field with the option's value when given; refuses a value
 * that is not one line of at most max characters. */
static int mrrt_override(admin_ctx *ctx, int i, size_t max, char **field)
{
    const char *v = OPT(ctx, i);
    if (v == NULL)
        return CLI_OK;
    if (text_check_name(v, max) != RA_OK)
        return refuse(ctx, "--%s must be 1 to %zu characters of text on one line",
                      ctx->cmd->opts[i].name, max);
    char *copy = strdup(v);
    if (copy == NULL)
        return failed(ctx, RA_ERR_NOMEM);
    free(*field);
    *field = copy;
    return CLI_OK;
}

/* Saves t as an own template of the organization: owned by its first
 * active manager, so it overrides the library for the whole organization
 * (store_template_override). Prints the new template's id. */
static int mrrt_save(admin_ctx *ctx, const char *org_id, const mrrt_template *t)
{
    store_org org;
    if (find_org(ctx, org_id, &org) != CLI_OK)
        return CLI_REFUSED;
    mrrt_owner owner = {.found = 0};
    int rc = store_org_members_each(ctx->store, org.id, pick_owner, &owner);
    if (rc != RA_OK)
        return failed(ctx, rc);
    if (!owner.found)
        return refuse(ctx,
                      "organization %s has no active manager to own the template; create "
                      "one with admin create-user --role manager",
                      org.id);
    store_template_input in = {.name = t->name,
                               .language = t->language,
                               .format = "html",
                               .modality = t->modality,
                               .body_part = t->body_part,
                               .content = t->content};
    store_template saved = {.content = NULL};
    rc = store_template_create(ctx->store, org.id, owner.user.id, &in, &saved);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%s\n", saved.id);
    store_template_release(&saved);
    return CLI_OK;
}

static int import_mrrt(admin_ctx *ctx)
{
    const char *path;
    if (need(ctx, 0, &path) != CLI_OK)
        return CLI_REFUSED;
    mrrt_template t = {0};
    char err[512] = "";
    int rc = mrrt_convert_file(path, &t, err, sizeof err), status = CLI_OK;
    if (rc == RA_ERR_NOMEM)
        return failed(ctx, rc);
    if (rc != RA_OK)
        return strstr(err, path) ? refuse(ctx, "%s", err) : refuse(ctx, "%s: %s", path, err);
    status = mrrt_override(ctx, 2, STORE_TEMPLATE_NAME_MAX, &t.name);
    if (status == CLI_OK)
        status = mrrt_override(ctx, 3, 2, &t.language);
    if (status == CLI_OK)
        status = mrrt_override(ctx, 4, 16, &t.modality);
    if (status == CLI_OK)
        status = mrrt_override(ctx, 5, STORE_SHORT_MAX, &t.body_part);
    int known = 0;
    known = lang_is_code(t.language);
    if (status == CLI_OK && !known)
        status = refuse(ctx,
                        "the template's language '%s' is not one of tr, en, ru, az, fr, "
                        "de; give --language",
                        t.language);
    if (status == CLI_OK && OPT(ctx, 1) != NULL)
        status = mrrt_save(ctx, OPT(ctx, 1), &t);
    else if (status == CLI_OK)
        fputs(t.content, stdout);
    mrrt_template_release(&t);
    return status;
}

static int schema_version(admin_ctx *ctx)
{
    int version = 0;
    int rc = store_schema_version(ctx->store, &version);
    if (rc != RA_OK)
        return failed(ctx, rc);
    printf("%d\n", version);
    return CLI_OK;
}

/* ---- the command table ------------------------------------------------------------ */

static const admin_cmd commands[] = {
    {"create-org",
     "create an organization; prints its id",
     {{"name", NULL, NULL, "NAME", "organization name", 0},
      {"type", NULL, "hospital", "TYPE", "hospital, imaging_center or teleradiology", 0},
      {"credits", NULL, "0", "N", "opening report credits", 0}},
     create_org},
    {"create-user",
     "create a user; prints the user id",
     {{"email", NULL, NULL, "E", "e-mail address (unique, case-insensitive)", 0},
      {"password", NULL, NULL, "P", "password (at least 8 characters)", 0},
      {"role", NULL, NULL, "ROLE",
       "manager, radiologist, doctor, technical, individual, "
       "admin or accounting",
       0},
      {"org", NULL, NULL, "ORG_ID", "organization (corporate roles only)", 0},
      {"name", NULL, NULL, "NAME", "display name (default: the e-mail's local part)", 0}},
     create_user},
    {"set-role",
     "change a user's role",
     {{"email", NULL, NULL, "E", "the user", 0}, {"role", NULL, NULL, "ROLE", "the new role", 0}},
     set_role},
    {"set-active",
     "activate (1) or deactivate (0) a user",
     {{"email", NULL, NULL, "E", "the user", 0},
      {"active", NULL, NULL, "0|1", "1 to activate, 0 to deactivate", 0}},
     set_active},
    {"add-credits",
     "add (or, negative, take) report credits; prints the new balance",
     {{"org", NULL, NULL, "ORG_ID", "the organization", 0},
      {"email", NULL, NULL, "E", "an individual user's personal account", 0},
      {"amount", NULL, NULL, "N", "credits to add; negative to deduct", 0},
      {"reason", NULL, NULL, "TEXT", "ledger reason (default top-up / adjustment)", 0}},
     add_credits},
    {"create-key",
     "create an External API key for a manager; prints the key, once",
     {{"email", NULL, NULL, "E", "an active corporate manager", 0},
      {"name", NULL, NULL, "LABEL", "label shown in listings", 0}},
     create_key},
    {"list-keys",
     "list an organization's API keys (tab-separated)",
     {{"org", NULL, NULL, "ORG_ID", "the organization", 0}},
     list_keys},
    {"revoke-key",
     "revoke the API key with this prefix",
     {{"prefix", NULL, NULL, "PREFIX", "the key's first 12 characters, as list-keys shows", 0}},
     revoke_key},
    {"import-sut",
     "replace the SUT exam catalog with SGK's EK-2B list; prints the count",
     {{"file", NULL, NULL, "FILE", "EK-2B as CSV or XLSX", 1}},
     import_sut},
    {"import-mrrt",
     "convert an IHE MRRT (RadReport) template; with --org save it as the organization's own "
     "and print its id, else print the converted HTML",
     {{"file", NULL, NULL, "FILE", "the MRRT template (HTML)", 1},
      {"org", NULL, NULL, "ORG_ID", "save it for this organization (owned by its manager)", 0},
      {"name", NULL, NULL, "NAME", "template name (default: the MRRT title)", 0},
      {"language", NULL, NULL, "LANG", "tr, en, ru, az, fr or de (default: the MRRT's)", 0},
      {"modality", NULL, NULL, "M", "CT, MR, US, ... (default: guessed)", 0},
      {"body-part", NULL, NULL, "PART", "brain, chest, ... (default: guessed)", 0}},
     import_mrrt},
    {"schema-version", "print the database schema version", {{0}}, schema_version},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static size_t count_opts(const admin_cmd *cmd)
{
    size_t n = 0;
    while (n < MAX_OPTS && cmd->opts[n].name != NULL)
        n++;
    return n;
}

static void admin_usage(FILE *out)
{
    fprintf(out, "usage: raportai admin COMMAND [OPTIONS]\n\nCommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-15s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`raportai admin COMMAND --help` lists its options. Results go to stdout;\n"
                 "a refusal prints its reason on stderr and exits with status 2.\n");
}

static int run_command(const admin_cmd *cmd, int argc, char **argv)
{
    opt_spec specs[2 + MAX_OPTS] = {CLI_DATA_OPTS};
    size_t n = 2 + count_opts(cmd);
    memcpy(specs + 2, cmd->opts, (n - 2) * sizeof specs[0]);
    const char *v[2 + MAX_OPTS];
    int help = 0;
    char err[256], usage[256];
    if (opts_parse(specs, n, argc, argv, v, &help, err, sizeof err) != RA_OK) {
        fprintf(stderr, "raportai admin %s: %s\n", cmd->name, err);
        return CLI_REFUSED;
    }
    if (help) {
        snprintf(usage, sizeof usage, "usage: raportai admin %s [OPTIONS]%s\n\n%s.", cmd->name,
                 cmd->opts[0].positional ? " FILE" : "", cmd->summary);
        opts_usage(stdout, usage, specs, n);
        return CLI_OK;
    }
    char share[4096];
    cli_share_dir(v[1], share, sizeof share);
    admin_ctx ctx = {.cmd = cmd, .v = v, .share = share};
    if (cli_open_store(v[0], share, &ctx.store) != RA_OK)
        return CLI_FAILED;
    int status = cmd->run(&ctx);
    store_close(ctx.store);
    return status;
}

int cli_admin(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        admin_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_REFUSED : CLI_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return run_command(&commands[i], argc - 1, argv + 1);
    fprintf(stderr, "raportai admin: unknown command '%s'\n\n", argv[1]);
    admin_usage(stderr);
    return CLI_REFUSED;
}
