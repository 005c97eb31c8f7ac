/*
 * daemonize.h: running in the background, and the pid file.
 *
 * daemonize_start() forks before any thread exists; the process that the
 * user started waits until the daemon reports that it serves (or failed),
 * so `gomoku-httpd -d` returns 0 only once requests are answered and a bind
 * failure still exits 1 in the foreground. Main thread only.
 */
#ifndef GOMOKU_HTTPD_DAEMONIZE_H
#define GOMOKU_HTTPD_DAEMONIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Detaches (fork, setsid, fork, chdir "/", stdin from /dev/null). Returns
 * only in the daemon, with *notify_fd for daemonize_ready(); the original
 * process exits with the status the daemon reports (1 if it dies first).
 * Returns false with a message in err when a fork fails (nothing forked). */
bool daemonize_start(int *notify_fd, char *err, size_t errlen);

/* Reports to the waiting process: ok (exit 0) or not (exit 1). On ok,
 * stdout and stderr are detached to /dev/null. notify_fd < 0: no-op. */
void daemonize_ready(int notify_fd, bool ok);

/* Makes path absolute against the current directory (into out). */
bool daemonize_abspath(const char *path, char *out, size_t outlen);

/* Creates or truncates the pid file, locks it (a second daemon with the
 * same pid file fails: "already running") and writes our pid. Returns the
 * open, locked descriptor (keep it until exit) or -1 with a message. */
int daemonize_pidfile_write(const char *path, char *err, size_t errlen);

/* Unlinks the pid file and closes fd. */
void daemonize_pidfile_remove(const char *path, int fd);

#endif
