/* opts.c - table-driven command-line options (see opts.h). */
#include "core/opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static long find_spec(const opt_spec *specs, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
            return (long)i;
    return -1;
}

int opts_parse(const opt_spec *specs, size_t n, int argc, char **argv, const char **values,
               int *help, char *err, size_t errlen)
{
    *help = 0;
    for (size_t i = 0; i < n; i++) {
        const char *env = specs[i].env ? getenv(specs[i].env) : NULL;
        values[i] = (env && *env) ? env : specs[i].def;
    }
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            *help = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            size_t i = 0;
            while (i < n && !(specs[i].positional && values[i] == specs[i].def))
                i++;
            if (i == n) {
                snprintf(err, errlen, "unexpected argument '%s'", arg);
                return RA_ERR_INVALID;
            }
            values[i] = arg;
            continue;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        long i = find_spec(specs, n, name, len);
        if (i < 0 || specs[i].positional) {
            snprintf(err, errlen, "unknown option '--%.*s'", (int)len, name);
            return RA_ERR_INVALID;
        }
        if (specs[i].metavar == NULL) {
            if (eq) {
                snprintf(err, errlen, "option '--%s' takes no value", specs[i].name);
                return RA_ERR_INVALID;
            }
            values[i] = "1";
        } else if (eq) {
            values[i] = eq + 1;
        } else if (a + 1 < argc) {
            values[i] = argv[++a];
        } else {
            snprintf(err, errlen, "option '--%s' needs a value (%s)", specs[i].name,
                     specs[i].metavar);
            return RA_ERR_INVALID;
        }
    }
    return RA_OK;
}

void opts_usage(FILE *out, const char *usage, const opt_spec *specs, size_t n)
{
    fprintf(out, "%s\n", usage);
    if (n > 0)
        fprintf(out, "\nOptions:\n");
    for (size_t i = 0; i < n; i++) {
        char left[64];
        if (specs[i].positional)
            snprintf(left, sizeof left, "%s", specs[i].metavar);
        else
            snprintf(left, sizeof left, "--%s%s%s", specs[i].name, specs[i].metavar ? " " : "",
                     specs[i].metavar ? specs[i].metavar : "");
        fprintf(out, "  %-28s %s", left, specs[i].help);
        if (specs[i].env)
            fprintf(out, " [env %s]", specs[i].env);
        if (specs[i].def)
            fprintf(out, " (default %s)", specs[i].def);
        fputc('\n', out);
    }
    fprintf(out, "  %-28s %s\n", "--help", "show this help and exit");
}

int opts_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (s == NULL || !((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
        return RA_ERR_INVALID;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return RA_ERR_INVALID;
    *out = (int64_t)v;
    return RA_OK;
}
