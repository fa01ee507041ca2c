/* test_form.c - unit tests for src/http/form.c: only the admitted file part
 * reaches the disk, bounds, and the sweep of upload files left behind. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "core/ids.h"
#include "http/form.h"

static char dir[TEMPDIR_LEN];

static void make_dir(void)
{
    cr_assert_eq(ids_init(), RA_OK);
    tempdir_make(dir, "form");
}

static void remove_dir(void)
{
    tempdir_remove(dir);
}

TestSuite(form, .init = make_dir, .fini = remove_dir);

/* Files in dir, and their bytes. */
static unsigned files_in_dir(uint64_t *bytes)
{
    unsigned n = 0;
    *bytes = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[512];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &sb) != 0)
            continue;
        n++;
        *bytes += (uint64_t)sb.st_size;
    }
    closedir(d);
    return n;
}

static void write_file(const char *name, size_t size, time_t mtime)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; i < size; i++)
        fputc('x', f);
    fclose(f);
    struct utimbuf times = {.actime = mtime, .modtime = mtime};
    cr_assert_eq(utime(path, &times), 0);
}

Test(form, only_the_admitted_file_part_is_written)
{
    form_data *f = NULL;
    cr_assert_eq(form_new(dir, "audio", 1000, 100, &f), RA_OK);
    cr_assert_eq(form_add(f, "junk", "junk.bin", "0123456789", 10), RA_OK);
    cr_assert_eq(form_add(f, "audio", "a.wav", "RIFF", 4), RA_OK);
    cr_assert_eq(form_add(f, "audio", "a.wav", "WAVE", 4), RA_OK);
    cr_assert_eq(form_add(f, "other", "o.bin", "abc", 3), RA_OK);
    cr_assert_eq(form_add(f, "sutCode", NULL, "803910", 6), RA_OK);
    form_finish(f);
    uint64_t bytes = 0;
    cr_assert_eq(files_in_dir(&bytes), 1, "one file: audio's");
    cr_assert_eq(bytes, 8);
    const http_upload *up = form_file(f, "audio");
    cr_assert_not_null(up);
    cr_assert_eq(up->size, 8);
    cr_assert_null(form_file(f, "junk"));
    cr_assert_null(form_file(f, "other"));
    cr_assert_str_eq(form_value(f, "sutCode"), "803910");
    form_free(f);
    cr_assert_eq(files_in_dir(&bytes), 0, "a file nobody kept is deleted");
}

Test(form, a_form_without_a_file_field_writes_nothing)
{
    form_data *f = NULL;
    cr_assert_eq(form_new(dir, NULL, 1000, 100, &f), RA_OK);
    cr_assert_eq(form_add(f, "audio", "a.wav", "RIFFWAVE", 8), RA_OK);
    cr_assert_eq(form_add(f, "name", NULL, "x", 1), RA_OK);
    form_finish(f);
    uint64_t bytes = 0;
    cr_assert_eq(files_in_dir(&bytes), 0);
    cr_assert_null(form_file(f, "audio"));
    cr_assert_str_eq(form_value(f, "name"), "x");
    form_free(f);
}

Test(form, a_file_past_its_bound_is_counted_and_deleted)
{
    form_data *f = NULL;
    char chunk[600];
    memset(chunk, 'a', sizeof chunk);
    cr_assert_eq(form_new(dir, "audio", 1000, 100, &f), RA_OK);
    cr_assert_eq(form_add(f, "audio", "a.wav", chunk, sizeof chunk), RA_OK);
    uint64_t bytes = 0;
    cr_assert_eq(files_in_dir(&bytes), 1);
    cr_assert_eq(form_add(f, "audio", "a.wav", chunk, sizeof chunk), RA_OK);
    cr_assert_eq(files_in_dir(&bytes), 0, "deleted once past the bound");
    cr_assert_eq(form_add(f, "audio", "a.wav", chunk, sizeof chunk), RA_OK);
    form_finish(f);
    const http_upload *up = form_file(f, "audio");
    cr_assert(up->too_large);
    cr_assert_eq(up->size, 1800);
    cr_assert_str_eq(up->path, "");
    cr_assert_eq(files_in_dir(&bytes), 0);
    form_free(f);
}

Test(form, sweep_removes_stale_upload_files_only)
{
    time_t now = time(NULL);
    write_file("upload-old", 100, now - 3600);
    write_file("upload-new", 200, now - 10);
    write_file("keep.txt", 300, now - 3600);
    unsigned files = 9;
    uint64_t bytes = 9;
    cr_assert_eq(form_sweep(dir, 600, (int64_t)now, &files, &bytes), RA_OK);
    cr_assert_eq(files, 1);
    cr_assert_eq(bytes, 100);
    uint64_t left = 0;
    cr_assert_eq(files_in_dir(&left), 2);
    cr_assert_eq(left, 500);
    /* 0: every upload file, whatever its age (at start, none is live). */
    cr_assert_eq(form_sweep(dir, 0, (int64_t)now, &files, NULL), RA_OK);
    cr_assert_eq(files, 1);
    cr_assert_eq(files_in_dir(&left), 1);
    cr_assert_eq(left, 300);
}

Test(form, sweep_of_a_missing_directory_is_an_io_error)
{
    char missing[96];
    snprintf(missing, sizeof missing, "%s/none", dir);
    cr_assert_eq(form_sweep(missing, 0, 0, NULL, NULL), RA_ERR_IO);
}
