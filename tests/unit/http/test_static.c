/* test_static.c - unit tests for src/http/static.c: which files are loaded
 * and which requests can ever name one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "http/static.h"

static char dir[TEMPDIR_LEN];

static void write_file(const char *rel, const char *content)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(content, f);
    fclose(f);
}

static void make_tree(void)
{
    tempdir_make(dir, "static");
    char sub[128];
    snprintf(sub, sizeof sub, "%s/assets", dir);
    cr_assert_eq(mkdir(sub, 0700), 0);
    write_file("index.html", "<!doctype html><title>x</title>");
    write_file("assets/app.css", "body{}");
    write_file("assets/app.js", "export {};");
    write_file(".hidden.html", "secret");
}

static void remove_tree(void)
{
    tempdir_remove(dir);
}

TestSuite(static_files, .init = make_tree, .fini = remove_tree);

Test(static_files, loads_the_tree_and_nothing_hidden)
{
    http_static *st = NULL;
    char err[256];
    cr_assert_eq(http_static_load(dir, &st, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(http_static_count(st), 3);
    cr_assert(http_static_has(st, "/index.html"));
    cr_assert(http_static_has(st, "/"));
    cr_assert(http_static_has(st, "/assets/app.js"));
    cr_assert_not(http_static_has(st, "/.hidden.html"));
    cr_assert_not(http_static_has(st, "/assets/../index.html"));
    cr_assert_not(http_static_has(st, "index.html"));
    cr_assert_not(http_static_has(st, "/assets"));
    http_static_free(st);
}

Test(static_files, refuses_a_type_it_would_not_serve)
{
    write_file("assets/notes.exe", "MZ");
    http_static *st = NULL;
    char err[256] = "";
    cr_assert_eq(http_static_load(dir, &st, err, sizeof err), RA_ERR_INVALID);
    cr_assert_not_null(strstr(err, "notes.exe"), "%s", err);
    cr_assert_null(st);
}

Test(static_files, a_missing_folder_is_an_io_error)
{
    http_static *st = NULL;
    char err[256] = "";
    cr_assert_eq(http_static_load("/nonexistent/raportai-web", &st, err, sizeof err), RA_ERR_IO);
    cr_assert_neq(err[0], '\0');
}

Test(static_files, a_file_the_server_makes_is_served_like_the_others)
{
    http_static *st = NULL;
    char err[256] = "";
    cr_assert_eq(http_static_load(dir, &st, err, sizeof err), RA_OK, "%s", err);
    const char script[] = "export const X = 1;\n";
    cr_assert_eq(http_static_add(st, "/assets/made.js", script, strlen(script), err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_eq(http_static_count(st), 4);
    cr_assert(http_static_has(st, "/assets/made.js"));
    http_static_free(st);
}

Test(static_files, a_made_file_is_refused_where_one_is_or_of_a_type_not_served)
{
    http_static *st = NULL;
    char err[256] = "";
    cr_assert_eq(http_static_load(dir, &st, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(http_static_add(st, "/assets/app.js", "x", 1, err, sizeof err), RA_ERR_INVALID);
    cr_assert_not_null(strstr(err, "/assets/app.js"), "%s", err);
    err[0] = '\0';
    cr_assert_eq(http_static_add(st, "/assets/made.exe", "x", 1, err, sizeof err), RA_ERR_INVALID);
    cr_assert_not_null(strstr(err, "made.exe"), "%s", err);
    cr_assert_eq(http_static_add(st, "made.js", "x", 1, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(http_static_count(st), 3, "nothing was added");
    http_static_free(st);
}
