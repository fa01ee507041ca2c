/* err.c - names and messages of the internal result codes (see err.h). */
#include "core/err.h"

const char *ra_strerror(int rc)
{
    switch (rc) {
#define RA_ERR_MSG(name, value, msg) case value: return msg;
        RA_ERRORS(RA_ERR_MSG)
#undef RA_ERR_MSG
    }
    return "unknown error";
}

const char *ra_errname(int rc)
{
    switch (rc) {
#define RA_ERR_NAME(name, value, msg) case value: return #name;
        RA_ERRORS(RA_ERR_NAME)
#undef RA_ERR_NAME
    }
    return "RA_ERR_UNKNOWN";
}
