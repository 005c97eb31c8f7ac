/*
 * agent.h: the HAProxy agent-check responder (-a PORT).
 *
 * HAProxy connects to the agent port every few seconds and reads one line
 * that sets the server's state and weight: "up ready 50%" while serving
 * (weight = the share of search threads free), "drain 0%" while shutting
 * down. One thread sleeps in poll() without a timeout on the listening
 * socket and an eventfd; agent_stop() wakes it through the eventfd (an
 * event, no timed wake-up). Not shutdown() of the listening socket: under
 * socket activation systemd shares that socket, and shutting it down would
 * break it for the next instance.
 */
#ifndef GOMOKU_HTTPD_AGENT_H
#define GOMOKU_HTTPD_AGENT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct agent agent_t;

typedef struct agent_load {
    int threads;
    int busy;
    int queued;
    bool draining;
} agent_load_t;

/* Fills *load with the current state; called on the agent thread. */
typedef void (*agent_load_cb)(void *arg, agent_load_t *load);

/* The reply line for load, NUL-terminated in out (at least 32 bytes).
 * Weight = 100% x free threads (threads - busy - queued, at least 0) /
 * threads, but never below 1% while serving: 0% would stop HAProxy from
 * sending anything even when the whole swarm is busy. Pure. */
void agent_reply(const agent_load_t *load, char *out, size_t outlen);

/* Starts the agent on an already listening socket (server_listen, or one
 * inherited from systemd). The agent owns listen_fd from now on (and makes
 * it non-blocking). Returns true with *out, or false with a message in err
 * (listen_fd closed). */
bool agent_start(int listen_fd, agent_load_cb load, void *arg, agent_t **out, char *err,
                 size_t errlen);

/* Wakes the agent thread, joins it and frees everything. Main thread. */
void agent_stop(agent_t *agent);

#endif
