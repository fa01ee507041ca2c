/* log.h - one-line logs to stderr.
 *
 * Lines look like "2026-11-28T21:05:18.123Z INFO message". Patient data (names,
 * ids, transcripts, reports) never goes into a log line: callers log ids of
 * our own objects, counts and codes only. Thread-safe: each line is written
 * with one call, so lines from different threads never interleave. */
#ifndef RAPORTAI_CORE_LOG_H
#define RAPORTAI_CORE_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* Lines below this level are dropped. Default LOG_INFO. */
void log_set_level(log_level level);
void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
