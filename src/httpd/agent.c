#include "httpd/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd/log.h"

struct agent {
    int fd;
    int wake_fd; /* eventfd: agent_stop() writes it */
    pthread_t thread;
    agent_load_cb load;
    void *arg;
};

void agent_reply(const agent_load_t *load, char *out, size_t outlen)
{
    if (load->draining) {
        snprintf(out, outlen, "drain 0%%\n");
        return;
    }
    int threads = load->threads > 0 ? load->threads : 1;
    int used = load->busy + load->queued;
    int free_threads = threads - used;
    if (free_threads < 0) {
        free_threads = 0;
    }
    int weight = 100 * free_threads / threads;
    if (weight < 1) {
        weight = 1;
    }
    snprintf(out, outlen, "up ready %d%%\n", weight);
}

static void *agent_main(void *arg)
{
    agent_t *agent = arg;
    for (;;) {
        struct pollfd fds[2] = {{.fd = agent->fd, .events = POLLIN},
                                {.fd = agent->wake_fd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            httpd_log(HTTPD_LOG_ERROR, "agent: poll: %s; the agent-check stops answering",
                      strerror(errno));
            break;
        }
        if (fds[1].revents != 0) {
            break; /* agent_stop() */
        }
        int c = accept4(agent->fd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                continue; /* the connection went away between poll and accept */
            }
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == ENETDOWN ||
                errno == ENOPROTOOPT || errno == EHOSTDOWN || errno == ENONET ||
                errno == EHOSTUNREACH || errno == ENETUNREACH) {
                continue; /* the client's problem, not ours (accept(2) on Linux) */
            }
            /* Out of descriptors or memory: retrying at once would spin, and
             * waiting with a timeout is what this daemon never does. HAProxy
             * treats a dead agent as "no news" and keeps its last weight. */
            httpd_log(HTTPD_LOG_ERROR, "agent: accept: %s; the agent-check stops answering",
                      strerror(errno));
            break;
        }
        agent_load_t load;
        char line[64];
        agent->load(agent->arg, &load);
        agent_reply(&load, line, sizeof(line));
        /* The line fits any socket buffer: the send never blocks. */
        if (send(c, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
            httpd_log(HTTPD_LOG_DEBUG, "agent: send: %s", strerror(errno));
        }
        /* HAProxy may send an agent-send string. Closing with it unread
         * would answer with a reset that can destroy our line before the
         * checker reads it, so take what has arrived (never waiting). */
        char sink[256];
        while (recv(c, sink, sizeof(sink), MSG_DONTWAIT) > 0) {
        }
        shutdown(c, SHUT_WR);
        close(c);
    }
    return NULL;
}

bool agent_start(int listen_fd, agent_load_cb load, void *arg, agent_t **out, char *err,
                 size_t errlen)
{
    agent_t *agent = calloc(1, sizeof(*agent));
    if (agent == NULL) {
        close(listen_fd);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    agent->fd = listen_fd;
    agent->load = load;
    agent->arg = arg;
    /* Non-blocking, so that a connection reset between poll() and accept()
     * cannot leave the thread stuck in accept() where agent_stop() would
     * not reach it. */
    int flags = fcntl(listen_fd, F_GETFL);
    agent->wake_fd = eventfd(0, EFD_CLOEXEC);
    if (flags < 0 || fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) != 0 || agent->wake_fd < 0) {
        snprintf(err, errlen, "cannot set up the agent: %s", strerror(errno));
        if (agent->wake_fd >= 0) {
            close(agent->wake_fd);
        }
        close(listen_fd);
        free(agent);
        return false;
    }
    int rc = pthread_create(&agent->thread, NULL, agent_main, agent);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the agent thread: %s", strerror(rc));
        close(agent->wake_fd);
        close(listen_fd);
        free(agent);
        return false;
    }
    *out = agent;
    return true;
}

void agent_stop(agent_t *agent)
{
    if (agent == NULL) {
        return;
    }
    uint64_t one = 1;
    ssize_t n;
    do {
        n = write(agent->wake_fd, &one, sizeof(one));
    } while (n < 0 && errno == EINTR);
    pthread_join(agent->thread, NULL);
    close(agent->wake_fd);
    close(agent->fd);
    free(agent);
}
