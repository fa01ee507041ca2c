/* log.c - one-line logs to stderr (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "core/timeutil.h"

static log_level min_level = LOG_INFO;

void log_set_level(log_level level)
{
    min_level = level;
}

void log_msg(log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    if (level < min_level)
        return;
    char stamp[TIME_ISO_LEN];
    time_now_iso(stamp);
    char line[2048];
    int head = snprintf(line, sizeof line, "%s %s ", stamp, names[level]);
    va_list ap;
    va_start(ap, fmt);
    int body = vsnprintf(line + head, sizeof line - (size_t)head - 1, fmt, ap);
    va_end(ap);
    size_t n = (size_t)head + (body < 0 ? 0 : (size_t)body);
    if (n > sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    /* One write per line keeps concurrent lines whole. */
    ssize_t ignored = write(STDERR_FILENO, line, n);
    (void)ignored;
}
