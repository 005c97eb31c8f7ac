/*
 * log.h: the daemon's log: levelled lines to stderr or to a file, one write()
 * per line.
 *
 * Who calls it: every thread of gomoku-httpd. Lines are written with a single
 * write() on an O_APPEND descriptor, so concurrent lines never interleave and
 * no lock is taken. httpd_log_reopen() (main thread, on SIGHUP) opens the file
 * again under the same name and dup2()s it onto the descriptor the writers
 * use: the switch is atomic, so a logrotate rename loses no line.
 *
 * Symbols carry httpd_ because every unit test links every library of the
 * tree and the client has a log of its own.
 */
#ifndef GOMOKU_HTTPD_LOG_H
#define GOMOKU_HTTPD_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum httpd_log_level {
    HTTPD_LOG_ERROR = 0,
    HTTPD_LOG_WARN = 1,
    HTTPD_LOG_INFO = 2,
    HTTPD_LOG_DEBUG = 3
} httpd_log_level_t;

/* Starts logging at `level` to the file at path (appending, created 0644),
 * or to stderr when path is NULL. A relative path is made absolute first, so
 * a reopen after daemonizing (chdir "/") finds the same file. Returns true,
 * or false with a message in err. Call once, before any thread starts. */
bool httpd_log_open(const char *path, httpd_log_level_t level, char *err, size_t errlen);

/* Opens the log file again by name (after logrotate renamed it). Returns
 * true, or false with the old file kept and a message in err. A no-op for
 * stderr. Main thread only. */
bool httpd_log_reopen(char *err, size_t errlen);

/* Closes the log file (stderr stays open). After all threads stopped. */
void httpd_log_close(void);

bool httpd_log_enabled(httpd_log_level_t level);

/* Writes one line "<UTC time> <LEVEL> <message>\n"; long messages are cut
 * at about 4 KiB. Safe from any thread; never blocks on a lock. */
void httpd_log(httpd_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses "error", "warn", "info" or "debug". */
bool httpd_log_level_parse(const char *text, httpd_log_level_t *level);
const char *httpd_log_level_name(httpd_log_level_t level);

/* Copies untrusted text (a URL, a header) into out for a log line: bytes
 * outside printable ASCII, spaces, quotes and backslashes become \xNN, and
 * the result is cut to fit outlen (NUL-terminated). NULL gives "-". */
void httpd_log_escape(const char *text, char *out, size_t outlen);

#endif
