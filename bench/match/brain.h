/*
 * brain.h: one Gomocup brain process, seen through its pipes.
 *
 * The brain runs in its own directory (engines read config files next to
 * themselves) and its own process group (a Ctrl-C meant for the runner does
 * not reach it, and the whole group is killed at the end). Every descriptor
 * the runner opens is close-on-exec, so a brain never holds another game's
 * pipes open. Lines are read with a deadline; nothing blocks without one.
 */
#ifndef GOMOKU_MATCH_BRAIN_H
#define GOMOKU_MATCH_BRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MATCH_LINE_MAX 1024

typedef struct match_brain {
    pid_t pid; /* 0 when not running */
    int to_fd, from_fd;
    bool eof;
    size_t len;
    char buf[4 * MATCH_LINE_MAX];
    int status;           /* wait status once reaped, -1 before */
    int64_t last_line_ns; /* when the last line was read (monotonic) */
} match_brain_t;

typedef enum match_read {
    MATCH_READ_LINE = 0,
    MATCH_READ_TIMEOUT,
    MATCH_READ_EOF /* the brain closed its output: exited or crashed */
} match_read_t;

/* Monotonic clock in nanoseconds. */
int64_t match_now_ns(void);

/* Starts argv[0] (an absolute path) with argv in directory dir. stderr_fd
 * receives the brain's stderr. False with err filled when the process could
 * not be created (a failed exec shows up later as an exit with status 127). */
bool match_brain_start(match_brain_t *b, char *const argv[], const char *dir, int stderr_fd,
                       char *err, size_t err_cap);

/* Sleeps until settle_ms after the brain's last line: some engines (e.g.
 * Rapfi 0.43) drop a command that arrives just after their own answer. */
void match_brain_settle(const match_brain_t *b, int settle_ms);

/* Writes line and a newline; false when the brain is gone. */
bool match_brain_send(match_brain_t *b, const char *line);

/* The next line (without its line end; cut at MATCH_LINE_MAX - 1 bytes)
 * before the monotonic deadline. */
match_read_t match_brain_read(match_brain_t *b, int64_t deadline_ns, char *line, size_t cap);

/* Sends END, gives the brain wait_ms to exit, then kills its process group
 * and reaps it. Safe to call twice. */
void match_brain_stop(match_brain_t *b, int wait_ms);

/* After a crash: waits up to wait_ms for the exit and describes it
 * ("exited with status 3", "killed by signal 11", "closed its output"). */
void match_brain_describe_exit(match_brain_t *b, int wait_ms, char *out, size_t cap);

#endif
