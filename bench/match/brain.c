#include "match/brain.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int64_t match_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool match_brain_start(match_brain_t *b, char *const argv[], const char *dir, int stderr_fd,
                       char *err, size_t err_cap)
{
    memset(b, 0, sizeof(*b));
    b->to_fd = b->from_fd = -1;
    b->status = -1;
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
        snprintf(err, err_cap, "pipe: %s", strerror(errno));
        return false;
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, err_cap, "pipe: %s", strerror(errno));
        close(in[0]);
        close(in[1]);
        return false;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_cap, "fork: %s", strerror(errno));
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return false;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls until exec. */
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(126);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(stderr_fd, 2) < 0 || chdir(dir) != 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    /* Also from the parent, so the group exists before we ever signal it. */
    setpgid(pid, pid);
    close(in[0]);
    close(out[1]);
    b->pid = pid;
    b->to_fd = in[1];
    b->from_fd = out[0];
    return true;
}

void match_brain_settle(const match_brain_t *b, int settle_ms)
{
    if (b->last_line_ns == 0 || settle_ms <= 0)
        return;
    int64_t wait = b->last_line_ns + (int64_t)settle_ms * 1000000 - match_now_ns();
    if (wait > 0) {
        struct timespec ts = {(time_t)(wait / 1000000000), (long)(wait % 1000000000)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
}

bool match_brain_send(match_brain_t *b, const char *line)
{
    if (b->to_fd < 0)
        return false;
    char buf[MATCH_LINE_MAX + 2];
    int n = snprintf(buf, sizeof(buf), "%s\n", line);
    if (n < 0 || (size_t)n >= sizeof(buf))
        return false;
    for (int done = 0; done < n;) {
        ssize_t w = write(b->to_fd, buf + done, (size_t)(n - done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        done += (int)w;
    }
    return true;
}

/* Moves one complete line out of the buffer into line; false if none. */
static bool take_line(match_brain_t *b, char *line, size_t cap)
{
    char *nl = memchr(b->buf, '\n', b->len);
    size_t take;
    if (nl) {
        take = (size_t)(nl - b->buf);
    } else if (b->len == sizeof(b->buf) || (b->eof && b->len > 0)) {
        take = b->len; /* an over-long line, or the last one without newline */
    } else {
        return false;
    }
    size_t keep = take;
    if (keep > 0 && b->buf[keep - 1] == '\r')
        keep--;
    if (keep >= cap)
        keep = cap - 1;
    memcpy(line, b->buf, keep);
    line[keep] = '\0';
    size_t consumed = nl ? take + 1 : take;
    memmove(b->buf, b->buf + consumed, b->len - consumed);
    b->len -= consumed;
    return true;
}

match_read_t match_brain_read(match_brain_t *b, int64_t deadline_ns, char *line, size_t cap)
{
    for (;;) {
        if (take_line(b, line, cap)) {
            b->last_line_ns = match_now_ns();
            return MATCH_READ_LINE;
        }
        if (b->eof || b->from_fd < 0)
            return MATCH_READ_EOF;
        int64_t left = deadline_ns - match_now_ns();
        if (left <= 0)
            return MATCH_READ_TIMEOUT;
        struct pollfd p = {.fd = b->from_fd, .events = POLLIN};
        int ms = (int)((left + 999999) / 1000000);
        int r = poll(&p, 1, ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue; /* the deadline is checked at the top */
        ssize_t got = read(b->from_fd, b->buf + b->len, sizeof(b->buf) - b->len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            b->eof = true;
        else
            b->len += (size_t)got;
    }
}

/* Waits up to wait_ms for the process to exit; true once reaped. */
static bool reap(match_brain_t *b, int wait_ms)
{
    if (b->pid <= 0)
        return true;
    int64_t deadline = match_now_ns() + (int64_t)wait_ms * 1000000;
    for (;;) {
        int status;
        pid_t r = waitpid(b->pid, &status, WNOHANG);
        if (r == b->pid) {
            b->status = status;
            return true;
        }
        if (r < 0 && errno != EINTR)
            return true; /* not our child any more: nothing to wait for */
        if (match_now_ns() >= deadline)
            return false;
        struct timespec ts = {0, 5 * 1000000};
        nanosleep(&ts, NULL);
    }
}

void match_brain_describe_exit(match_brain_t *b, int wait_ms, char *out, size_t cap)
{
    if (b->status < 0 && b->pid > 0 && !reap(b, wait_ms)) {
        snprintf(out, cap, "closed its output");
        return;
    }
    if (b->status >= 0 && WIFEXITED(b->status))
        snprintf(out, cap, "exited with status %d", WEXITSTATUS(b->status));
    else if (b->status >= 0 && WIFSIGNALED(b->status))
        snprintf(out, cap, "killed by signal %d (%s)", WTERMSIG(b->status),
                 strsignal(WTERMSIG(b->status)));
    else
        snprintf(out, cap, "closed its output");
}

void match_brain_stop(match_brain_t *b, int wait_ms)
{
    if (b->pid > 0 && b->status < 0) {
        match_brain_send(b, "END");
        /* Its output closes when it exits; discard what it still says. */
        int64_t deadline = match_now_ns() + (int64_t)wait_ms * 1000000;
        char line[64];
        while (match_brain_read(b, deadline, line, sizeof(line)) == MATCH_READ_LINE) {
        }
        reap(b, b->eof ? 200 : 0);
        if (b->status < 0) {
            /* Still running (or not yet reaped): the group goes, leader
             * included; its pid is ours until reaped, so this cannot hit a
             * stranger. */
            kill(-b->pid, SIGKILL);
            reap(b, 10000);
        }
    }
    if (b->to_fd >= 0)
        close(b->to_fd);
    if (b->from_fd >= 0)
        close(b->from_fd);
    b->to_fd = b->from_fd = -1;
    b->pid = 0;
}
