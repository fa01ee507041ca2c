/* err.h - the one result-code catalogue for internal functions.
 *
 * Every function that can fail returns an int: RA_OK (0) on success or one of
 * the negative codes below. Outputs travel through pointer parameters. The
 * catalogue is an X-macro so names and messages never drift from the codes.
 * HTTP-facing error codes live in api/apierror.h; this one is for the code
 * paths beneath the handlers. */
#ifndef RAPORTAI_CORE_ERR_H
#define RAPORTAI_CORE_ERR_H

#include <stddef.h>

#define RA_ERRORS(X)                                                                               \
    X(RA_OK, 0, "success")                                                                         \
    X(RA_ERR_NOMEM, -1, "out of memory")                                                           \
    X(RA_ERR_INVALID, -2, "invalid argument")                                                      \
    X(RA_ERR_NOT_FOUND, -3, "not found")                                                           \
    X(RA_ERR_EXISTS, -4, "already exists")                                                         \
    X(RA_ERR_AMBIGUOUS, -5, "matches more than one")                                               \
    X(RA_ERR_BALANCE, -6, "balance would become negative")                                         \
    X(RA_ERR_IO, -7, "input/output error")                                                         \
    X(RA_ERR_DB, -8, "database error")                                                             \
    X(RA_ERR_BUSY, -9, "database busy")                                                            \
    X(RA_ERR_TOO_LARGE, -10, "too large")                                                          \
    X(RA_ERR_REFUSED, -11, "refused")                                                              \
    X(RA_ERR_FORMAT, -12, "unrecognised format")                                                   \
    X(RA_ERR_UNAVAILABLE, -13, "a remote service is unavailable")                                  \
    X(RA_ERR_CANCELLED, -14, "cancelled")

enum ra_err {
#define RA_ERR_ENUM(name, value, msg) name = (value),
    RA_ERRORS(RA_ERR_ENUM)
#undef RA_ERR_ENUM
};

/* Writes a one-sentence reason into err (when err is not NULL and errlen is
 * not 0) and returns rc, so `return ra_fail(err, errlen, RA_ERR_IO, ...)`
 * reads as one idea. */
int ra_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Returns the message for rc; never NULL (unknown codes get a generic text). */
const char *ra_strerror(int rc);
/* Returns the symbolic name ("RA_ERR_NOT_FOUND") for rc; never NULL. */
const char *ra_errname(int rc);

#endif
