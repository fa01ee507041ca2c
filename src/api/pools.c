/* pools.c - the answers when a pool refuses slow work (audio probing,
 * document rendering; see internal.h), and the test gate that lets a test
 * hold a pool thread without timing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/log.h"

void api_pool_refusal(http_request *req, int rc, const char *what, api_refusal *why)
{
    why->retry_after_s = 0;
    if (rc == RA_ERR_REFUSED) {
        why->retry_after_s = API_POOL_RETRY_S;
        api_refuse(why, API_UNAVAILABLE, NULL,
                   "The server is busy: too many %s at once; retry after the time in "
                   "Retry-After.",
                   what);
    } else if (rc == RA_ERR_CANCELLED) {
        api_refuse(why, API_UNAVAILABLE, NULL, "The server is stopping.");
    } else {
        /* a full queue or stopping is not logged: the request's own line
         * says 503, and a flood would fill the log */
        log_error("api: cannot hand work to the pool for %s (%s), request %s", what,
                  ra_strerror(rc), http_request_id(req));
        api_refuse(why, API_INTERNAL, NULL, "%s", ""); /* the catalogue's message */
    }
}

void api_refusal_headers(http_request *req, const api_refusal *why)
{
    if (why->retry_after_s <= 0)
        return;
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%d", why->retry_after_s);
    http_add_header(req, "Retry-After", seconds);
}

void api_reply_pool_busy(http_request *req, int rc, const char *what, json_t *extra)
{
    api_refusal why = {.code = API_INTERNAL};
    api_pool_refusal(req, rc, what, &why);
    api_refusal_headers(req, &why);
    api_reply_error(req, why.code, why.message[0] ? why.message : NULL, NULL, extra);
}

void api_pool_gate(const char *pool)
{
    const char *dir = getenv("RAPORTAI_TEST_POOL_GATE");
    if (dir == NULL || *dir == '\0')
        return;
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, pool);
    if (stat(path, &sb) != 0 || !S_ISFIFO(sb.st_mode))
        return;
    int fd = open(path, O_RDONLY | O_CLOEXEC); /* until the test opens it for writing */
    if (fd < 0)
        return;
    char c;
    ssize_t n;
    do
        n = read(fd, &c, 1); /* until the test closes it */
    while (n > 0 || (n < 0 && errno == EINTR));
    close(fd);
}
