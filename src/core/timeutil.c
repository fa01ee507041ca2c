/* timeutil.c - ISO 8601 UTC timestamps and a monotonic clock (see timeutil.h). */
#include "core/timeutil.h"

#include <stdio.h>

static void format_parts(const struct timespec *ts, char out[TIME_ISO_LEN])
{
    struct tm tm;
    gmtime_r(&ts->tv_sec, &tm);
    size_t n = strftime(out, TIME_ISO_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
    unsigned ms = (unsigned)(ts->tv_nsec / 1000000L) % 1000u;
    snprintf(out + n, TIME_ISO_LEN - n, ".%03uZ", ms);
}

void time_now_iso(char out[TIME_ISO_LEN])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    format_parts(&ts, out);
}

void time_format_iso(time_t when, char out[TIME_ISO_LEN])
{
    struct timespec ts = {.tv_sec = when, .tv_nsec = 0};
    format_parts(&ts, out);
}

void time_format_iso_ms(int64_t ms, char out[TIME_ISO_LEN])
{
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000};
    format_parts(&ts, out);
}

int64_t time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t time_mono_ms(void)
{
    return time_mono_us() / 1000;
}

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct timespec time_deadline_ms(int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    return until;
}
