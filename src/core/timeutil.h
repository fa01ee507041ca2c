/* timeutil.h - wall-clock timestamps in ISO 8601 UTC and a monotonic clock. */
#ifndef RAPORTAI_CORE_TIMEUTIL_H
#define RAPORTAI_CORE_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* "2026-11-28T21:05:18.123Z" plus the NUL. */
#define TIME_ISO_LEN 25

/* Writes the current UTC time with milliseconds into out. Cannot fail. */
void time_now_iso(char out[TIME_ISO_LEN]);
/* Writes the given UTC time (whole seconds, ".000Z") into out. Cannot fail. */
void time_format_iso(time_t when, char out[TIME_ISO_LEN]);
/* Writes the UTC time ms milliseconds after the epoch (not before it)
 * into out, milliseconds included. Cannot fail. */
void time_format_iso_ms(int64_t ms, char out[TIME_ISO_LEN]);
/* Milliseconds since the Unix epoch (wall clock), for stored times. */
int64_t time_now_ms(void);
/* Milliseconds of a monotonic clock, for durations. */
int64_t time_mono_ms(void);
/* Microseconds of a monotonic clock, for durations. */
int64_t time_mono_us(void);
/* The wall-clock time ms milliseconds from now, as pthread_cond_timedwait
 * takes it. */
struct timespec time_deadline_ms(int64_t ms);

#endif
