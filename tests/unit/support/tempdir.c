/* tempdir.c - temporary folders for unit tests (see tempdir.h): mkdtemp
 * under /tmp, and the removal of a tree with nftw, deepest first. */
#include "tempdir.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define OPEN_FDS 16 /* folders nftw may hold open at once */

void tempdir_make(char dir[TEMPDIR_LEN], const char *tag)
{
    int n = snprintf(dir, TEMPDIR_LEN, "/tmp/raportai-%s-XXXXXX", tag);
    cr_assert(n > 0 && n < TEMPDIR_LEN, "the tag \"%s\" is too long", tag);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp %s: %s", dir, strerror(errno));
}

/* The path nftw could not remove, for the test's message. */
static char failed_path[4096];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) == 0)
        return 0;
    snprintf(failed_path, sizeof failed_path, "%s", path);
    return -1; /* stops the walk; errno is kept */
}

void tempdir_remove(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0 && errno == ENOENT)
        return;
    failed_path[0] = '\0';
    int rc = nftw(dir, remove_one, OPEN_FDS, FTW_DEPTH | FTW_PHYS);
    cr_assert_eq(rc, 0, "removing %s: %s: %s", dir, failed_path[0] ? failed_path : dir,
                 strerror(errno));
}
