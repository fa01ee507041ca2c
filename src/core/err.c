/* err.c - names and messages of the internal result codes (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

const char *ra_strerror(int rc)
{
    switch (rc) {
#define RA_ERR_MSG(name, value, msg)                                                               \
    case value:                                                                                    \
        return msg;
        RA_ERRORS(RA_ERR_MSG)
#undef RA_ERR_MSG
    }
    return "unknown error";
}

const char *ra_errname(int rc)
{
    switch (rc) {
#define RA_ERR_NAME(name, value, msg)                                                              \
    case value:                                                                                    \
        return #name;
        RA_ERRORS(RA_ERR_NAME)
#undef RA_ERR_NAME
    }
    return "RA_ERR_UNKNOWN";
}

int ra_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}
