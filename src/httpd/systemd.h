/*
 * systemd.h: the two parts of systemd's protocol the daemon speaks, written
 * without libsystemd (each is a few system calls):
 *
 * - readiness (sd_notify(3)): one datagram such as "READY=1" to the
 *   AF_UNIX socket named by $NOTIFY_SOCKET, a path or, with a leading '@',
 *   a name in the abstract namespace. Lets a Type=notify unit count as
 *   started only once the daemon listens, and see the drain begin.
 * - socket activation (sd_listen_fds(3)): listening sockets inherited from
 *   fd 3 on, for the process whose pid is $LISTEN_PID, $LISTEN_FDS of them,
 *   named by $LISTEN_FDNAMES (colon-separated). gomoku-httpd takes one HTTP
 *   socket and, optionally, one named "agent" for the agent-check.
 *
 * Who calls it: main(). systemd_notify_open() and systemd_take_sockets()
 * read (and clean) the environment, so they run before any thread starts;
 * systemd_notify() is for the main thread. Outside systemd (variables unset)
 * nothing happens. Symbols carry systemd_ like the rest of httpd's modules
 * carry theirs.
 */
#ifndef GOMOKU_HTTPD_SYSTEMD_H
#define GOMOKU_HTTPD_SYSTEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The first inherited descriptor (SD_LISTEN_FDS_START). */
#define SYSTEMD_LISTEN_FDS_START 3

/* Where notifications go; enabled false outside systemd. */
typedef struct systemd_notify {
    bool enabled;
    struct sockaddr_un addr;
    socklen_t addr_len;
    char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 1]; /* as given, for messages */
} systemd_notify_t;

/* Parses a $NOTIFY_SOCKET value (NULL or "" = not under Type=notify) into
 * *out. Returns true, or false with a message in err when the value is set
 * but unusable (neither an absolute path nor '@name', or too long); out is
 * disabled then. Pure. */
bool systemd_notify_parse(const char *value, systemd_notify_t *out, char *err, size_t errlen);

/* systemd_notify_parse(getenv("NOTIFY_SOCKET")). The variable is kept: the
 * daemon forks no children that could inherit it. */
bool systemd_notify_open(systemd_notify_t *out, char *err, size_t errlen);

/* Sends state (newline-separated assignments such as "READY=1") as one
 * datagram. Returns true when sent or when n is disabled; false with a
 * message in err (systemd then times the start out, or notices the stop
 * from the exit). Never blocks: a full socket buffer is an error. */
bool systemd_notify(const systemd_notify_t *n, const char *state, char *err, size_t errlen);

typedef enum systemd_listen_status {
    SYSTEMD_LISTEN_NONE = 0, /* not socket-activated: bind as configured */
    SYSTEMD_LISTEN_OK,       /* *out holds the inherited sockets */
    SYSTEMD_LISTEN_NOT_OURS, /* LISTEN_PID names another process: bind as configured */
    SYSTEMD_LISTEN_ERROR     /* activated, but not in a way we can serve: message in err */
} systemd_listen_status_t;

typedef struct systemd_sockets {
    int http_fd;  /* -1 when none */
    int agent_fd; /* -1 when none */
} systemd_sockets_t;

/* Interprets LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES (each may be NULL)
 * for the process pid, without touching any descriptor. OK needs exactly
 * one HTTP socket: LISTEN_FDS 1, or 2 with one of them named "agent" (in
 * either order). Pure. */
systemd_listen_status_t systemd_listen_parse(const char *listen_pid, const char *listen_fds,
                                             const char *fdnames, long pid, systemd_sockets_t *out,
                                             char *err, size_t errlen);

/* Checks that fd is a listening TCP socket (IPv4 or IPv6) and returns its
 * numeric address in host (at least 64 bytes), *ipv6 and *port. False with a
 * message naming the problem (not a socket, not TCP, not listening). */
bool systemd_check_listener(int fd, char *host, size_t hostlen, bool *ipv6, int *port, char *err,
                            size_t errlen);

/* The whole of socket activation: parses the environment for getpid(),
 * checks every inherited socket with systemd_check_listener(), marks them
 * close-on-exec, and unsets LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES
 * (whatever the outcome, so nothing later mistakes them for its own).
 * Before any thread starts. */
systemd_listen_status_t systemd_take_sockets(systemd_sockets_t *out, char *err, size_t errlen);

#endif
