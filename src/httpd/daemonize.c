#include "httpd/daemonize.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void redirect_to_null(int target)
{
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, target); /* dup2 clears close-on-exec on target */
        if (fd != target) {
            close(fd);
        }
    }
}

bool daemonize_start(int *notify_fd, char *err, size_t errlen)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot daemonize: pipe: %s", strerror(errno));
        return false;
    }
    fflush(NULL);
    pid_t child = fork();
    if (child < 0) {
        snprintf(err, errlen, "cannot daemonize: fork: %s", strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return false;
    }
    if (child > 0) {
        /* The foreground process: wait for the daemon's word. */
        close(pipefd[1]);
        waitpid(child, NULL, 0);
        unsigned char status = 1;
        ssize_t n;
        do {
            n = read(pipefd[0], &status, 1);
        } while (n < 0 && errno == EINTR);
        _exit(n == 1 ? status : 1);
    }
    close(pipefd[0]);
    if (setsid() < 0) {
        _exit(1);
    }
    /* Fork again so the daemon is not a session leader and can never
     * acquire a controlling terminal. */
    pid_t grandchild = fork();
    if (grandchild < 0) {
        _exit(1);
    }
    if (grandchild > 0) {
        _exit(0);
    }
    if (chdir("/") != 0) {
        /* "/" always exists; nothing sensible to do otherwise */
    }
    redirect_to_null(STDIN_FILENO);
    *notify_fd = pipefd[1];
    return true;
}

void daemonize_ready(int notify_fd, bool ok)
{
    if (notify_fd < 0) {
        return;
    }
    if (ok) {
        fflush(NULL);
        redirect_to_null(STDOUT_FILENO);
        redirect_to_null(STDERR_FILENO);
    }
    unsigned char status = ok ? 0 : 1;
    ssize_t n;
    do {
        n = write(notify_fd, &status, 1);
    } while (n < 0 && errno == EINTR);
    close(notify_fd);
}

bool daemonize_abspath(const char *path, char *out, size_t outlen)
{
    if (path[0] == '/') {
        return (size_t)snprintf(out, outlen, "%s", path) < outlen;
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd)) == NULL) {
        return false;
    }
    return (size_t)snprintf(out, outlen, "%s/%s", cwd, path) < outlen;
}

int daemonize_pidfile_write(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open pid file %s: %s", path, strerror(errno));
        return -1;
    }
    if (lockf(fd, F_TLOCK, 0) != 0) {
        snprintf(err, errlen, "pid file %s is locked: another gomoku-httpd is running", path);
        close(fd);
        return -1;
    }
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || write(fd, buf, (size_t)n) != n) {
        snprintf(err, errlen, "cannot write pid file %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void daemonize_pidfile_remove(const char *path, int fd)
{
    if (fd < 0) {
        return;
    }
    unlink(path);
    close(fd);
}
