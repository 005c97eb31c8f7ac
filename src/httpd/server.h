/*
 * server.h: the HTTP side of gomoku-httpd, on libmicrohttpd.
 *
 * One MHD polling thread (poll(), no timeout while idle) parses requests and
 * answers cheap routes inline. A move request is suspended, searched on the
 * pool, and resumed by the search thread when its answer is ready, so
 * /health, /ready and /metrics never wait behind a search. The call sequence
 * follows docs http-stack.md 3.3: suspend first, then submit; the answer is
 * queued by the access handler after the resume.
 *
 * Threads: server_start/begin_drain/stop are for the main thread; the
 * counters may be read anywhere. The drained callback runs on the MHD thread.
 */
#ifndef GOMOKU_HTTPD_SERVER_H
#define GOMOKU_HTTPD_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "httpd/config.h"
#include "httpd/metrics.h"
#include "httpd/pool.h"

typedef struct server server_t;

/* Called on the MHD thread when, while draining, the last search request
 * has been answered. Must not block; it only wakes the main thread. */
typedef void (*server_drained_cb)(void *arg);

typedef struct server_options {
    const httpd_config_t *cfg;
    pool_t *pool;
    metrics_t *metrics;
    double start_ms; /* pool_now_ms() at startup, for the uptime */
    server_drained_cb drained;
    void *drained_arg;
    /* The listening socket came from systemd (socket activation), which
     * keeps its own copy for the next instance: a drain must leave it
     * listening (see server_begin_drain). */
    bool inherited_listener;
} server_options_t;

/* Fills *ss and *sslen with the numeric address host (IPv6 when ipv6) and
 * port; false with a message in err when host is not such an address. */
bool server_address(const char *host, bool ipv6, int port, struct sockaddr_storage *ss,
                    socklen_t *sslen, char *err, size_t errlen);

/* Creates a TCP socket bound to host:port (IPv6 when ipv6, then V6ONLY) and
 * listening. Binds exactly once: a port in use is reported with the bind
 * error, there is no probe first. Returns true with *fd and the actual port
 * in *bound_port (port 0 picks one), or false with a message in err. */
bool server_listen(const char *host, bool ipv6, int port, int *fd, int *bound_port, char *err,
                   size_t errlen);

/* Starts serving on listen_fd (from server_listen; the server owns it from
 * now on, even on failure). Returns true with *out, or false with err. */
bool server_start(const server_options_t *opt, int listen_fd, server_t **out, char *err,
                  size_t errlen);

/* Stops accepting connections and marks the server draining: /ready answers
 * 503, new moves get 503, every answer asks to close the connection.
 * Requests already received go on. New connections are refused at once,
 * except on an inherited listener: there they wait in the kernel's backlog
 * for the next instance systemd starts on the same socket. Call once. */
void server_begin_drain(server_t *srv);

bool server_draining(server_t *srv);

/* Move requests between their suspension and the end of their answer. */
int server_searches(server_t *srv);

/* Requests between their first byte and the end of their answer. */
unsigned server_in_flight(server_t *srv);

/* Closes every connection, joins the MHD thread and frees the server. No
 * connection may still be suspended: the pool must be idle first (see
 * pool_pending), or libmicrohttpd aborts. */
void server_stop(server_t *srv);

#endif
