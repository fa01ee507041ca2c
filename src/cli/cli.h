/* cli.h - the subcommands of the raportai binary and what they share. */
#ifndef RAPORTAI_CLI_CLI_H
#define RAPORTAI_CLI_CLI_H

#include "asr/asr.h"
#include "core/opts.h"
#include "store/store.h"

/* Exit statuses: success, an internal failure, a refusal of the input. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_REFUSED = 2 };

/* The options every subcommand that opens the data directory takes. */
#define CLI_DATA_OPTS                                                                              \
    {"data", "RAPORTAI_DATA", "./var", "DIR", "data directory (database, uploads)", 0},            \
    {                                                                                              \
        "share", "RAPORTAI_SHARE", NULL, "DIR",                                                    \
            "project files shipped with the binary: data/templates, data/sut (default: the "       \
            "folder above the binary's)",                                                          \
            0                                                                                      \
    }

/* The share directory: value when given, else the folder above the one the
 * running binary is in. Writes into out (size n). */
void cli_share_dir(const char *value, char *out, size_t n);

/* Opens the store in data_dir and, on a fresh catalog, loads the SUT codes
 * shipped in share_dir. Prints the reason to stderr on failure. */
int cli_open_store(const char *data_dir, const char *share_dir, store **out);

/* The everyday words of the generic model of model_dir (NULL: the default
 * folder) that the radiology models mix in (asr_background_load with
 * ASR_BACKGROUND_WORDS and ASR_BACKGROUND_MASS); NULL, with a warning in
 * the log, when the generic model cannot be read. The caller frees it with
 * asr_background_free. */
asr_background *cli_load_background(const char *model_dir);

/* serve's sweeper: a thread that deletes, at start and then every every_ms,
 * the sign-in and registration counts that can no longer slow or lock
 * anything and the registrations left pending too long (auth/throttle.h).
 * RA_ERR_NOMEM, RA_ERR_IO when the thread cannot start. */
typedef struct cli_sweeper cli_sweeper;
int cli_sweeper_start(store *s, int64_t every_ms, cli_sweeper **out);
/* Stops the thread (waiting for a sweep in progress) and frees it; NULL is
 * allowed. */
void cli_sweeper_stop(cli_sweeper *sw);

int cli_serve(int argc, char **argv);
int cli_admin(int argc, char **argv);
int cli_transcribe(int argc, char **argv);
int cli_structure(int argc, char **argv);

#endif
