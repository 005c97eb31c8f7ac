#include "httpd/healthcheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "httpd/server.h"

/* Reads until the peer closes or the buffer is full; returns the length
 * read, or -1 with errno on an error before any byte. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len < cap) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return len > 0 ? (ssize_t)len : -1;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    return (ssize_t)len;
}

int healthcheck_run(const char *host, bool ipv6, int port, FILE *out)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    char bad[128];
    if (!server_address(host, ipv6, port, &ss, &sslen, bad, sizeof(bad))) {
        fprintf(out, "unhealthy: %s\n", bad);
        return 1;
    }
    /* A wildcard --bind is asked on loopback. */
    if (ipv6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        if (IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr))
            a->sin6_addr = in6addr_loopback;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        if (a->sin_addr.s_addr == htonl(INADDR_ANY))
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    char shown[INET6_ADDRSTRLEN + 2];
    if (ipv6) {
        char a[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a, sizeof(a));
        snprintf(shown, sizeof(shown), "[%s]", a);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, shown, sizeof(shown));
    }
    int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(out, "unhealthy: socket: %s\n", strerror(errno));
        return 1;
    }
    /* On Linux the send timeout also bounds connect(). */
    struct timeval tv = {.tv_sec = HEALTHCHECK_TIMEOUT_MS / 1000,
                         .tv_usec = (HEALTHCHECK_TIMEOUT_MS % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&ss, sslen) != 0) {
        fprintf(out, "unhealthy: cannot connect to %s:%d: %s\n", shown, port, strerror(errno));
        close(fd);
        return 1;
    }
    char req[160];
    int n =
        snprintf(req, sizeof(req),
                 "GET /health HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n", shown, port);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        fprintf(out, "unhealthy: cannot send to %s:%d: %s\n", shown, port, strerror(errno));
        close(fd);
        return 1;
    }
    char buf[4096];
    ssize_t len = read_all(fd, buf, sizeof(buf) - 1);
    int err = errno;
    close(fd);
    if (len <= 0) {
        fprintf(out, "unhealthy: no answer from %s:%d%s%s\n", shown, port, len < 0 ? ": " : "",
                len < 0 ? strerror(err) : "");
        return 1;
    }
    buf[len] = '\0';
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %3d", &status) != 1) {
        fprintf(out, "unhealthy: %s:%d did not answer HTTP\n", shown, port);
        return 1;
    }
    fprintf(out, "%s: GET http://%s:%d/health answered %d\n",
            status == 200 ? "healthy" : "unhealthy", shown, port, status);
    return status == 200 ? 0 : 1;
}
