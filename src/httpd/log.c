#include "httpd/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096

/* Process-wide by nature: there is one log. Written before threads start
 * (open) and by the main thread (reopen, which only dup2()s). */
static int log_fd = STDERR_FILENO;
static char log_path[PATH_MAX];
static atomic_int log_level = HTTPD_LOG_INFO;

static const char *const LEVEL_NAMES[] = {"error", "warn", "info", "debug"};
static const char *const LEVEL_TAGS[] = {"ERROR", "WARN", "INFO", "DEBUG"};

static int open_log_file(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

bool httpd_log_open(const char *path, httpd_log_level_t level, char *err, size_t errlen)
{
    atomic_store(&log_level, (int)level);
    if (path == NULL) {
        log_fd = STDERR_FILENO;
        log_path[0] = '\0';
        return true;
    }
    if (path[0] == '/') {
        snprintf(log_path, sizeof(log_path), "%s", path);
    } else {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof(cwd)) == NULL) {
            snprintf(err, errlen, "cannot resolve log file %s: getcwd: %s", path, strerror(errno));
            return false;
        }
        if ((size_t)snprintf(log_path, sizeof(log_path), "%s/%s", cwd, path) >= sizeof(log_path)) {
            snprintf(err, errlen, "log file path too long: %s", path);
            return false;
        }
    }
    int fd = open_log_file(log_path);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open log file %s: %s", log_path, strerror(errno));
        log_path[0] = '\0';
        return false;
    }
    log_fd = fd;
    return true;
}

bool httpd_log_reopen(char *err, size_t errlen)
{
    if (log_path[0] == '\0') {
        return true;
    }
    int fd = open_log_file(log_path);
    if (fd < 0) {
        snprintf(err, errlen, "cannot reopen log file %s: %s", log_path, strerror(errno));
        return false;
    }
    /* dup2 swaps the file behind log_fd atomically: a writer in another
     * thread writes either to the old file or to the new one, never to a
     * closed descriptor. dup2 drops O_CLOEXEC, so set it again. */
    int rc;
    do {
        rc = dup2(fd, log_fd);
    } while (rc < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (rc < 0) {
        snprintf(err, errlen, "cannot reopen log file %s: dup2: %s", log_path, strerror(saved));
        return false;
    }
    fcntl(log_fd, F_SETFD, FD_CLOEXEC);
    return true;
}

void httpd_log_close(void)
{
    if (log_fd != STDERR_FILENO) {
        close(log_fd);
        log_fd = STDERR_FILENO;
    }
}

bool httpd_log_enabled(httpd_log_level_t level)
{
    return (int)level <= atomic_load_explicit(&log_level, memory_order_relaxed);
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return; /* nowhere left to report a failing log */
        }
        buf += n;
        len -= (size_t)n;
    }
}

void httpd_log(httpd_log_level_t level, const char *fmt, ...)
{
    if (!httpd_log_enabled(level)) {
        return;
    }
    char line[LINE_MAX_BYTES];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, LEVEL_TAGS[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2) {
        len = sizeof(line) - 2;
        memcpy(line + len - 3, "...", 3);
    }
    while (len > 0 && line[len - 1] == '\n') {
        len--; /* callers such as libmicrohttpd end their messages with one */
    }
    line[len++] = '\n';
    write_all(log_fd, line, len);
}

bool httpd_log_level_parse(const char *text, httpd_log_level_t *level)
{
    for (size_t i = 0; i < sizeof(LEVEL_NAMES) / sizeof(LEVEL_NAMES[0]); i++) {
        if (strcasecmp(text, LEVEL_NAMES[i]) == 0) {
            *level = (httpd_log_level_t)i;
            return true;
        }
    }
    if (strcasecmp(text, "warning") == 0) {
        *level = HTTPD_LOG_WARN;
        return true;
    }
    return false;
}

const char *httpd_log_level_name(httpd_log_level_t level)
{
    switch (level) {
    case HTTPD_LOG_ERROR:
        return "error";
    case HTTPD_LOG_WARN:
        return "warn";
    case HTTPD_LOG_INFO:
        return "info";
    case HTTPD_LOG_DEBUG:
        return "debug";
    }
    return "?";
}

void httpd_log_escape(const char *text, char *out, size_t outlen)
{
    if (outlen == 0) {
        return;
    }
    if (text == NULL) {
        snprintf(out, outlen, "-");
        return;
    }
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        bool plain = *p > 0x20 && *p < 0x7f && *p != '"' && *p != '\\';
        size_t need = plain ? 1 : 4;
        if (j + need + 1 > outlen) {
            break;
        }
        if (plain) {
            out[j++] = (char)*p;
        } else {
            snprintf(out + j, 5, "\\x%02x", *p);
            j += 4;
        }
    }
    out[j] = '\0';
}
