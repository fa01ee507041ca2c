/* file.c - reading a whole regular file with a size cap (see file.h). */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"

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

int file_read_all(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen)
{
    int rc = RA_OK;
    char *p = NULL;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return ra_fail(err, errlen, RA_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = ra_fail(err, errlen, RA_ERR_IO, "%s is not a regular file", path);
        goto done;
    }
    if ((unsigned long long)st.st_size > max) {
        rc = ra_fail(err, errlen, RA_ERR_TOO_LARGE, "%s is larger than %zu bytes; refusing it",
                     path, max);
        goto done;
    }
    p = malloc((size_t)st.st_size + 1);
    if (p == NULL) {
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "out of memory reading %s", path);
        goto done;
    }
    errno = 0;
    if (read_all(fd, p, (size_t)st.st_size) != RA_OK) {
        rc = ra_fail(err, errlen, RA_ERR_IO, "cannot read %s: %s", path,
                     errno ? strerror(errno) : "file changed while reading");
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
