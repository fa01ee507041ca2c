/* opts.h - command-line options declared as tables.
 *
 * A command declares its options as an array of opt_spec. Each option may have
 * an environment variable behind it; the value used is the flag if given,
 * else the variable if set, else the default. Values are borrowed pointers
 * into argv, the environment or the table: nothing is allocated. */
#ifndef RAPORTAI_CORE_OPTS_H
#define RAPORTAI_CORE_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct opt_spec {
    const char *name;    /* flag without dashes: "listen" for --listen */
    const char *env;     /* environment variable, or NULL */
    const char *def;     /* default value, or NULL when there is none */
    const char *metavar; /* "ADDR:PORT"; NULL for a flag that takes no value */
    const char *help;    /* one line */
    int positional;      /* set: filled by a bare argument, name is for help */
} opt_spec;

/* Parses argv (argv[0] is the command name, not an option) against specs.
 * values[i] receives the value of specs[i] (NULL when unset and no default;
 * "1" for a given value-less flag). Bare arguments fill the positional specs
 * in order. Returns RA_OK, or RA_ERR_INVALID with a sentence in err for an
 * unknown option, a missing value or a stray argument. *help is set when --help or -h was given. */
int opts_parse(const opt_spec *specs, size_t n, int argc, char **argv, const char **values,
               int *help, char *err, size_t errlen);

/* Prints "usage" and one line per option, with its variable and default. */
void opts_usage(FILE *out, const char *usage, const opt_spec *specs, size_t n);

/* Parses a whole decimal integer within [min, max]. RA_ERR_INVALID otherwise;
 * *out is untouched on error. */
int opts_int(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
