/* fuzz_form.c - libFuzzer target for src/http/form.c: the parts of a form,
 * as libmicrohttpd's post processor hands them over, kept in memory or
 * streamed to an upload file. The multipart bytes themselves are parsed by
 * libmicrohttpd; this drives what our code does with any sequence of parts.
 *
 * Input: parts separated by lines "---", each "NAME\nDATA" for a text field
 * or "NAME;FILENAME\nDATA" for a file part, fed in chunks of a few bytes.
 * Checked after each input: the text kept stays within its bound, a file
 * kept has the size counted, and nothing is left in the upload directory
 * once the form is freed. Files go to a directory of its own under $TMPDIR
 * (or /tmp), removed at exit. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "fuzz.h"
#include "http/form.h"

#define MAX_FILE 100
#define MAX_TEXT 200

static char dir[512];

static void remove_dir(void)
{
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/raportai-fuzz-form-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (ids_init() != RA_OK || mkdtemp(dir) == NULL)
        abort();
    atexit(remove_dir);
    return 0;
}

static int dir_is_empty(void)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        abort();
    int empty = 1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

static void feed(form_data *f, const char *part, size_t i)
{
    char *head = strdup(part);
    if (head == NULL)
        abort();
    char *data = strchr(head, '\n');
    if (data != NULL)
        *data++ = '\0';
    else
        data = head + strlen(head);
    char *filename = strchr(head, ';');
    if (filename != NULL)
        *filename++ = '\0';
    size_t len = strlen(data), chunk = 1 + (i * 5) % 17;
    for (size_t at = 0; at < len; at += chunk)
        (void)form_add(f, head, filename, data + at, len - at < chunk ? len - at : chunk);
    if (len == 0)
        (void)form_add(f, head, filename, data, 0);
    free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fields in;
    fuzz_fields_cut(data, size, 16, &in);
    form_data *f = NULL;
    if (form_new(dir, "audio", MAX_FILE, MAX_TEXT, &f) != RA_OK)
        abort();
    for (size_t i = 0; i < in.n; i++)
        feed(f, in.f[i], i);
    form_finish(f);

    size_t text = 0;
    for (size_t i = 0; i < in.n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(in.f[i], ";\n"), in.f[i]);
        const char *v = form_value(f, name);
        if (v != NULL)
            text += strlen(v);
    }
    if (!form_text_too_large(f) && text > MAX_TEXT * 16)
        abort(); /* a value is counted once per part naming it: 16 at most */
    const http_upload *up = form_file(f, "audio");
    if (up != NULL && !up->too_large) {
        struct stat sb;
        if (stat(up->path, &sb) != 0 || (uint64_t)sb.st_size != up->size || up->size > MAX_FILE)
            abort();
        char kept[600];
        snprintf(kept, sizeof kept, "%s/kept", dir);
        if (form_keep(f, "audio", kept) != RA_OK || unlink(kept) != 0)
            abort();
    }
    form_free(f);
    if (!dir_is_empty())
        abort(); /* an upload file outlived its form */
    fuzz_fields_release(&in);
    return 0;
}
