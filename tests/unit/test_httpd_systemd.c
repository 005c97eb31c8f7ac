/* Unit tests of gomoku-httpd's systemd protocol (src/httpd/systemd.c):
 * $NOTIFY_SOCKET parsing and real datagrams to a path and an abstract name,
 * the LISTEN_* rules, and the listening-socket check on real sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "httpd/systemd.h"

static void assert_contains(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL) {
        fail_msg("'%s' not in '%s'", needle, text);
    }
}

static void notify_socket_values(void **state)
{
    systemd_notify_t n;
    char err[256];
    assert_true(systemd_notify_parse(NULL, &n, err, sizeof(err)));
    assert_false(n.enabled);
    assert_true(systemd_notify_parse("", &n, err, sizeof(err)));
    assert_false(n.enabled);

    assert_true(systemd_notify_parse("/run/systemd/notify", &n, err, sizeof(err)));
    assert_true(n.enabled);
    assert_int_equal(n.addr.sun_family, AF_UNIX);
    assert_string_equal(n.addr.sun_path, "/run/systemd/notify");

    /* Abstract: a leading NUL, and the length is exactly the name's. */
    assert_true(systemd_notify_parse("@gomoku/notify", &n, err, sizeof(err)));
    assert_true(n.enabled);
    assert_int_equal(n.addr.sun_path[0], '\0');
    assert_memory_equal(n.addr.sun_path + 1, "gomoku/notify", 13);
    assert_int_equal(n.addr_len, offsetof(struct sockaddr_un, sun_path) + 14);

    static const char *const BAD[] = {"relative/path", "vsock:2:1234", "@"};
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        assert_false(systemd_notify_parse(BAD[i], &n, err, sizeof(err)));
        assert_false(n.enabled);
        assert_contains(err, "NOTIFY_SOCKET=");
    }
    char long_path[200];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    long_path[sizeof(long_path) - 1] = '\0';
    assert_false(systemd_notify_parse(long_path, &n, err, sizeof(err)));
    /* The longest name that fits: 107 bytes plus the NUL for a path, 108
     * for an abstract name. */
    long_path[107] = '\0';
    assert_true(systemd_notify_parse(long_path, &n, err, sizeof(err)));
    long_path[0] = '@';
    long_path[107] = 'a';
    long_path[108] = '\0';
    assert_true(systemd_notify_parse(long_path, &n, err, sizeof(err)));
    long_path[108] = 'a';
    long_path[109] = '\0';
    assert_false(systemd_notify_parse(long_path, &n, err, sizeof(err)));
}

/* Binds a datagram socket to name (a path, or '@' + abstract name). */
static int receiver(const char *name)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t len = strlen(name);
    memcpy(a.sun_path, name, len);
    if (name[0] == '@') {
        a.sun_path[0] = '\0';
    }
    assert_int_equal(
        bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)),
        0);
    return fd;
}

static void expect_datagram(int fd, const char *want)
{
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    assert_true(n >= 0);
    buf[n] = '\0';
    assert_string_equal(buf, want);
}

static void notify_sends_one_datagram(void **state)
{
    char path[64], abstract[64], err[256];
    snprintf(path, sizeof(path), "/tmp/gomoku-notify-%ld", (long)getpid());
    snprintf(abstract, sizeof(abstract), "@gomoku-notify-test-%ld", (long)getpid());
    unlink(path);
    int by_path = receiver(path);
    int by_name = receiver(abstract);
    systemd_notify_t n;

    assert_true(systemd_notify_parse(path, &n, err, sizeof(err)));
    assert_true(systemd_notify(&n, "READY=1\nSTATUS=serving", err, sizeof(err)));
    expect_datagram(by_path, "READY=1\nSTATUS=serving");

    assert_true(systemd_notify_parse(abstract, &n, err, sizeof(err)));
    assert_true(systemd_notify(&n, "STOPPING=1", err, sizeof(err)));
    expect_datagram(by_name, "STOPPING=1");

    /* Nobody listening: an error that names the socket. */
    close(by_path);
    unlink(path);
    assert_true(systemd_notify_parse(path, &n, err, sizeof(err)));
    assert_false(systemd_notify(&n, "READY=1", err, sizeof(err)));
    assert_contains(err, path);
    close(by_name);

    /* Disabled: nothing to do, and that is success. */
    assert_true(systemd_notify_parse(NULL, &n, err, sizeof(err)));
    assert_true(systemd_notify(&n, "READY=1", err, sizeof(err)));
}

static systemd_listen_status_t parse(const char *pid, const char *fds, const char *names,
                                     systemd_sockets_t *out, char *err)
{
    return systemd_listen_parse(pid, fds, names, 4242, out, err, 256);
}

static void listen_variables(void **state)
{
    systemd_sockets_t s;
    char err[256];
    /* Not activated. */
    assert_int_equal(parse(NULL, NULL, NULL, &s, err), SYSTEMD_LISTEN_NONE);
    assert_int_equal(parse(NULL, "1", NULL, &s, err), SYSTEMD_LISTEN_NONE);
    assert_int_equal(parse("4242", "0", NULL, &s, err), SYSTEMD_LISTEN_NONE);
    assert_int_equal(s.http_fd, -1);
    /* Meant for another process (a wrapper that forked instead of exec). */
    assert_int_equal(parse("4241", "1", NULL, &s, err), SYSTEMD_LISTEN_NOT_OURS);
    assert_contains(err, "not this process");

    /* One socket: HTTP on fd 3, whatever its name. */
    assert_int_equal(parse("4242", "1", NULL, &s, err), SYSTEMD_LISTEN_OK);
    assert_int_equal(s.http_fd, 3);
    assert_int_equal(s.agent_fd, -1);
    assert_int_equal(parse("4242", "1", "gomoku-httpd@9901.socket", &s, err), SYSTEMD_LISTEN_OK);
    assert_int_equal(s.http_fd, 3);

    /* Two: one must be named "agent", in either order. */
    assert_int_equal(parse("4242", "2", "http:agent", &s, err), SYSTEMD_LISTEN_OK);
    assert_int_equal(s.http_fd, 3);
    assert_int_equal(s.agent_fd, 4);
    assert_int_equal(parse("4242", "2", "agent:gomoku-httpd@9901.socket", &s, err),
                     SYSTEMD_LISTEN_OK);
    assert_int_equal(s.http_fd, 4);
    assert_int_equal(s.agent_fd, 3);

    struct {
        const char *pid, *fds, *names, *message;
    } bad[] = {
        {"-1", "1", NULL, "LISTEN_PID=-1"},
        {"42x", "1", NULL, "LISTEN_PID=42x"},
        {"4242", NULL, NULL, "LISTEN_FDS=(unset)"},
        {"4242", "one", NULL, "LISTEN_FDS=one"},
        {"4242", "3", "a:b:agent", "takes one (HTTP) or two"},
        {"4242", "2", NULL, "neither is named \"agent\""},
        {"4242", "2", "http:web", "neither is named \"agent\""},
        {"4242", "2", "agent:agent", "two sockets \"agent\""},
        {"4242", "2", "http", "names 1 sockets, LISTEN_FDS says 2"},
        {"4242", "1", "http:agent", "names 2 sockets"},
        {"4242", "1", "agent", "the HTTP socket is missing"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_int_equal(parse(bad[i].pid, bad[i].fds, bad[i].names, &s, err),
                         SYSTEMD_LISTEN_ERROR);
        assert_contains(err, bad[i].message);
    }
}

static void listener_check_on_real_sockets(void **state)
{
    char host[64], err[256];
    bool ipv6;
    int port;

    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(tcp, (struct sockaddr *)&a, sizeof(a)), 0);
    /* Bound but not listening: what Accept=yes would never pass, but a
     * wrong unit could. */
    assert_false(systemd_check_listener(tcp, host, sizeof(host), &ipv6, &port, err, sizeof(err)));
    assert_contains(err, "not listening");
    assert_int_equal(listen(tcp, 8), 0);
    assert_true(systemd_check_listener(tcp, host, sizeof(host), &ipv6, &port, err, sizeof(err)));
    assert_string_equal(host, "127.0.0.1");
    assert_false(ipv6);
    assert_true(port > 0);
    close(tcp);

    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    assert_false(systemd_check_listener(udp, host, sizeof(host), &ipv6, &port, err, sizeof(err)));
    assert_contains(err, "not a TCP socket");
    close(udp);

    int local = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un u = {.sun_family = AF_UNIX};
    snprintf(u.sun_path + 1, sizeof(u.sun_path) - 1, "gomoku-listen-test-%ld", (long)getpid());
    assert_int_equal(bind(local, (struct sockaddr *)&u, sizeof(u)), 0);
    assert_int_equal(listen(local, 8), 0);
    assert_false(systemd_check_listener(local, host, sizeof(host), &ipv6, &port, err, sizeof(err)));
    assert_contains(err, "not a TCP socket");
    close(local);

    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    assert_false(
        systemd_check_listener(pipefd[0], host, sizeof(host), &ipv6, &port, err, sizeof(err)));
    assert_contains(err, "not a socket");
    close(pipefd[0]);
    close(pipefd[1]);
    assert_false(
        systemd_check_listener(pipefd[0], host, sizeof(host), &ipv6, &port, err, sizeof(err)));

    int tcp6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    if (tcp6 >= 0 && bind(tcp6, (struct sockaddr *)&a6, sizeof(a6)) == 0) {
        assert_int_equal(listen(tcp6, 8), 0);
        assert_true(
            systemd_check_listener(tcp6, host, sizeof(host), &ipv6, &port, err, sizeof(err)));
        assert_true(ipv6);
        assert_string_equal(host, "::1");
    }
    if (tcp6 >= 0) {
        close(tcp6);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(notify_socket_values),
        cmocka_unit_test(notify_sends_one_datagram),
        cmocka_unit_test(listen_variables),
        cmocka_unit_test(listener_check_on_real_sockets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
