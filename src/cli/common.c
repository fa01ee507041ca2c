/* common.c - what the subcommands share: locating the shipped files,
 * opening the data directory, loading the generic model's everyday words. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"

void cli_share_dir(const char *value, char *out, size_t n)
{
    if (value != NULL && *value != '\0') {
        snprintf(out, n, "%s", value);
        return;
    }
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        snprintf(out, n, ".");
        return;
    }
    exe[len] = '\0';
    /* build/raportai -> build -> the project folder */
    char *dir = dirname(exe);
    snprintf(out, n, "%s/..", dir);
}

static int seed_catalog(store *s, const char *share_dir)
{
    int64_t count = 0;
    int rc = store_sut_count(s, &count);
    if (rc != RA_OK || count > 0)
        return rc;
    store_sut_row *rows = NULL;
    size_t n = 0;
    char err[512] = "";
    rc = catalog_load_known(share_dir, &rows, &n, err, sizeof err);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai: cannot load the shipped SUT codes: %s\n", err);
        return rc;
    }
    rc = store_sut_replace(s, rows, n);
    free(rows);
    return rc;
}

int cli_open_store(const char *data_dir, const char *share_dir, store **out)
{
    store *s = NULL;
    int rc = store_open(data_dir, &s);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai: cannot open the data directory %s: %s\n", data_dir,
                ra_strerror(rc));
        return rc;
    }
    rc = seed_catalog(s, share_dir);
    if (rc != RA_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return RA_OK;
}

asr_background *cli_load_background(const char *model_dir)
{
    char path[4200], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", model_dir ? model_dir : ASR_DEFAULT_MODEL_DIR,
             ASR_BACKGROUND_FILE);
    asr_background *bg = NULL;
    if (asr_background_load(path, ASR_BACKGROUND_WORDS, ASR_BACKGROUND_MASS, &bg, err,
                            sizeof err) != RA_OK)
        log_warn("speech model: %s: everyday words outside the radiology corpus will not be "
                 "recognised",
                 err);
    return bg;
}
