#include "httpd/systemd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AGENT_NAME "agent"

bool systemd_notify_parse(const char *value, systemd_notify_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (value == NULL || value[0] == '\0') {
        return true;
    }
    size_t len = strlen(value);
    if (value[0] != '/' && value[0] != '@') {
        snprintf(err, errlen, "NOTIFY_SOCKET=%.200s: expected an absolute path or @name", value);
        return false;
    }
    /* A path needs its terminating NUL inside sun_path; an abstract name
     * is exactly the bytes given, its '@' standing for the leading NUL. */
    size_t room = sizeof(out->addr.sun_path) - (value[0] == '/' ? 1 : 0);
    if (len > room || len < 2) {
        snprintf(err, errlen, "NOTIFY_SOCKET=%.200s: a socket name of 2 to %zu bytes expected",
                 value, room);
        return false;
    }
    out->addr.sun_family = AF_UNIX;
    memcpy(out->addr.sun_path, value, len);
    if (value[0] == '@') {
        out->addr.sun_path[0] = '\0';
    }
    out->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    memcpy(out->name, value, len + 1);
    out->enabled = true;
    return true;
}

bool systemd_notify_open(systemd_notify_t *out, char *err, size_t errlen)
{
    return systemd_notify_parse(getenv("NOTIFY_SOCKET"), out, err, errlen);
}

bool systemd_notify(const systemd_notify_t *n, const char *state, char *err, size_t errlen)
{
    if (!n->enabled) {
        return true;
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "cannot notify systemd: socket: %s", strerror(errno));
        return false;
    }
    ssize_t sent;
    do {
        sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL | MSG_DONTWAIT,
                      (const struct sockaddr *)&n->addr, n->addr_len);
    } while (sent < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (sent < 0) {
        snprintf(err, errlen, "cannot notify systemd at %s: %s", n->name, strerror(saved));
        return false;
    }
    return true;
}

/* A whole decimal number in [lo, hi], digits only (no sign, no spaces). */
static bool parse_count(const char *text, long long lo, long long hi, long long *out)
{
    if (text == NULL || *text == '\0' || strlen(text) > 18) {
        return false;
    }
    long long v = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
        v = v * 10 + (*p - '0');
    }
    if (v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

/* The i-th colon-separated name of names, as a pointer and length. */
static bool nth_name(const char *names, int i, const char **name, size_t *len)
{
    const char *p = names;
    for (int k = 0; k < i; k++) {
        p = strchr(p, ':');
        if (p == NULL) {
            return false;
        }
        p++;
    }
    *name = p;
    *len = strcspn(p, ":");
    return true;
}

static int count_names(const char *names)
{
    int n = 1;
    for (const char *p = names; *p != '\0'; p++) {
        n += *p == ':';
    }
    return n;
}

systemd_listen_status_t systemd_listen_parse(const char *listen_pid, const char *listen_fds,
                                             const char *fdnames, long pid, systemd_sockets_t *out,
                                             char *err, size_t errlen)
{
    out->http_fd = -1;
    out->agent_fd = -1;
    if (listen_pid == NULL || listen_pid[0] == '\0') {
        return SYSTEMD_LISTEN_NONE; /* as sd_listen_fds(): LISTEN_FDS alone means nothing */
    }
    long long owner;
    if (!parse_count(listen_pid, 1, LLONG_MAX, &owner)) {
        snprintf(err, errlen, "LISTEN_PID=%.40s is not a process id", listen_pid);
        return SYSTEMD_LISTEN_ERROR;
    }
    if (owner != pid) {
        snprintf(err, errlen,
                 "LISTEN_PID=%lld is not this process (%ld): the sockets it describes belong "
                 "to another process",
                 owner, pid);
        return SYSTEMD_LISTEN_NOT_OURS;
    }
    long long n;
    if (!parse_count(listen_fds, 0, INT_MAX - SYSTEMD_LISTEN_FDS_START, &n)) {
        snprintf(err, errlen, "LISTEN_FDS=%.40s is not a number of sockets",
                 listen_fds != NULL ? listen_fds : "(unset)");
        return SYSTEMD_LISTEN_ERROR;
    }
    if (n == 0) {
        return SYSTEMD_LISTEN_NONE;
    }
    if (n > 2) {
        snprintf(err, errlen,
                 "systemd passed %lld sockets; gomoku-httpd takes one (HTTP) or two (HTTP and "
                 "one named \"" AGENT_NAME "\")",
                 n);
        return SYSTEMD_LISTEN_ERROR;
    }
    if (fdnames != NULL && count_names(fdnames) != n) {
        snprintf(err, errlen, "LISTEN_FDNAMES=%.200s names %d sockets, LISTEN_FDS says %lld",
                 fdnames, count_names(fdnames), n);
        return SYSTEMD_LISTEN_ERROR;
    }
    for (int i = 0; i < (int)n; i++) {
        const char *name = "";
        size_t len = 0;
        bool agent = fdnames != NULL && nth_name(fdnames, i, &name, &len) &&
                     len == strlen(AGENT_NAME) && memcmp(name, AGENT_NAME, len) == 0;
        int fd = SYSTEMD_LISTEN_FDS_START + i;
        if (agent && out->agent_fd >= 0) {
            snprintf(err, errlen, "LISTEN_FDNAMES=%.200s names two sockets \"" AGENT_NAME "\"",
                     fdnames);
            return SYSTEMD_LISTEN_ERROR;
        }
        if (!agent && out->http_fd >= 0) {
            snprintf(err, errlen,
                     "systemd passed two sockets and neither is named \"" AGENT_NAME
                     "\" (LISTEN_FDNAMES=%.200s): give the agent's socket unit "
                     "FileDescriptorName=" AGENT_NAME,
                     fdnames != NULL ? fdnames : "(unset)");
            return SYSTEMD_LISTEN_ERROR;
        }
        *(agent ? &out->agent_fd : &out->http_fd) = fd;
    }
    if (out->http_fd < 0) {
        snprintf(err, errlen,
                 "the only socket systemd passed is named \"" AGENT_NAME
                 "\": the HTTP socket is missing");
        return SYSTEMD_LISTEN_ERROR;
    }
    return SYSTEMD_LISTEN_OK;
}

bool systemd_check_listener(int fd, char *host, size_t hostlen, bool *ipv6, int *port, char *err,
                            size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "fd %d: %s", fd, strerror(errno));
        return false;
    }
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen, "fd %d is not a socket", fd);
        return false;
    }
    int type = 0, protocol = 0, listening = 0;
    socklen_t len = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
        snprintf(err, errlen, "fd %d: getsockopt(SO_TYPE): %s", fd, strerror(errno));
        return false;
    }
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
        snprintf(err, errlen, "fd %d: getsockname: %s", fd, strerror(errno));
        return false;
    }
    len = sizeof(protocol);
    if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) != 0) {
        protocol = -1;
    }
    if ((ss.ss_family != AF_INET && ss.ss_family != AF_INET6) || type != SOCK_STREAM ||
        protocol != IPPROTO_TCP) {
        snprintf(err, errlen,
                 "fd %d is not a TCP socket (family %d, type %d, protocol %d): gomoku-httpd "
                 "serves HTTP over TCP only (ListenStream=ADDRESS:PORT)",
                 fd, ss.ss_family, type, protocol);
        return false;
    }
    len = sizeof(listening);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0) {
        snprintf(err, errlen, "fd %d: getsockopt(SO_ACCEPTCONN): %s", fd, strerror(errno));
        return false;
    }
    if (!listening) {
        snprintf(err, errlen,
                 "fd %d is a TCP socket that is not listening (a connection, as with "
                 "Accept=yes?): gomoku-httpd needs the listening socket (Accept=no)",
                 fd);
        return false;
    }
    *ipv6 = ss.ss_family == AF_INET6;
    const void *addr = *ipv6 ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
                             : (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
    if (inet_ntop(ss.ss_family, addr, host, (socklen_t)hostlen) == NULL) {
        snprintf(host, hostlen, "?");
    }
    *port = ntohs(*ipv6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                        : ((struct sockaddr_in *)&ss)->sin_port);
    return true;
}

systemd_listen_status_t systemd_take_sockets(systemd_sockets_t *out, char *err, size_t errlen)
{
    systemd_listen_status_t status =
        systemd_listen_parse(getenv("LISTEN_PID"), getenv("LISTEN_FDS"), getenv("LISTEN_FDNAMES"),
                             (long)getpid(), out, err, errlen);
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    if (status != SYSTEMD_LISTEN_OK) {
        return status;
    }
    int fds[2] = {out->http_fd, out->agent_fd};
    for (int i = 0; i < 2; i++) {
        if (fds[i] < 0) {
            continue;
        }
        char host[INET6_ADDRSTRLEN];
        bool ipv6;
        int port;
        char why[256];
        if (!systemd_check_listener(fds[i], host, sizeof(host), &ipv6, &port, why, sizeof(why))) {
            snprintf(err, errlen, "socket activation: %s socket: %s", i == 0 ? "HTTP" : "agent",
                     why);
            return SYSTEMD_LISTEN_ERROR;
        }
        /* systemd passes them inheritable; nothing we start needs them. */
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return SYSTEMD_LISTEN_OK;
}
