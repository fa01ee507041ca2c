/* report_util.c - file reading and error text for src/report (see
 * report_util.h). */
#include "report/report_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"

void report_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int read_all(int fd, char *p, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t k = read(fd, p + got, len - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return RA_ERR_IO; /* errno says why; 0 when the file shrank */
        got += (size_t)k;
    }
    return RA_OK;
}

int report_read_file(const char *path, size_t max, char **data, size_t *len, char *err,
                     size_t errlen)
{
    int rc = RA_OK;
    char *p = NULL;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        report_errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return RA_ERR_IO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        report_errf(err, errlen, "%s is not a regular file", path);
        rc = RA_ERR_IO;
        goto done;
    }
    if ((unsigned long long)st.st_size > max) {
        report_errf(err, errlen, "%s is larger than %zu bytes; refusing it", path, max);
        rc = RA_ERR_TOO_LARGE;
        goto done;
    }
    p = malloc((size_t)st.st_size + 1);
    if (p == NULL) {
        rc = RA_ERR_NOMEM;
        report_errf(err, errlen, "out of memory reading %s", path);
        goto done;
    }
    errno = 0;
    if (read_all(fd, p, (size_t)st.st_size) != RA_OK) {
        report_errf(err, errlen, "cannot read %s: %s", path,
                    errno ? strerror(errno) : "file changed while reading");
        rc = RA_ERR_IO;
        goto done;
    }
    p[st.st_size] = '\0';
    *data = p;
    *len = (size_t)st.st_size;
    p = NULL;
done:
    free(p);
    close(fd);
    return rc;
}
