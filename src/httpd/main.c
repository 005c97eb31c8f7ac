/*
 * gomoku-httpd: the Gomoku AI over HTTP.
 *
 * main() owns startup, signals and shutdown. Every signal is blocked before
 * the first thread starts, so all threads inherit the mask and only the main
 * thread receives signals, synchronously, in sigwaitinfo(): no handler runs,
 * so none can take a lock. SIGUSR1 is internal: the HTTP thread sends it to
 * the main thread when the last search of a drain has been answered.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "httpd/agent.h"
#include "httpd/config.h"
#include "httpd/daemonize.h"
#include "httpd/healthcheck.h"
#include "httpd/log.h"
#include "httpd/metrics.h"
#include "httpd/pool.h"
#include "httpd/server.h"
#include "httpd/systemd.h"

/* After the drain limit the searches are told to stop; they return within
 * milliseconds, so this only covers clients slow to take their answers. */
#define STOP_GRACE_MS 3000.0

typedef struct app {
    httpd_config_t cfg;
    pthread_t main_thread;
    pool_t *pool;
    server_t *srv;
    agent_t *agent;
    metrics_t metrics;
    systemd_notify_t systemd;  /* $NOTIFY_SOCKET, when under Type=notify */
    systemd_sockets_t sockets; /* listening sockets from socket activation */
    int notify_fd;
    int pid_fd;
    char pid_path[PATH_MAX];
} app_t;

static void wake_main(void *arg)
{
    app_t *app = arg;
    pthread_kill(app->main_thread, SIGUSR1);
}

static void agent_load(void *arg, agent_load_t *load)
{
    app_t *app = arg;
    pool_stats_t ps;
    pool_stats(app->pool, &ps);
    load->threads = ps.threads;
    load->busy = ps.busy;
    load->queued = ps.queued;
    load->draining = server_draining(app->srv);
}

/* Startup failures go to the log and, when the log is a file, to the
 * terminal as well: whoever started us must see why we did not start. */
static void startup_failed(const app_t *app, const char *msg)
{
    httpd_log(HTTPD_LOG_ERROR, "%s", msg);
    if (app->cfg.log_file != NULL) {
        fprintf(stderr, "gomoku-httpd: %s\n", msg);
    }
}

/* Tells systemd (Type=notify) what happens; nothing outside systemd. A
 * failure is only logged: the daemon serves either way, and systemd acts on
 * the missing message itself (start timeout). */
static void tell_systemd(const app_t *app, const char *state)
{
    char err[512];
    if (!systemd_notify(&app->systemd, state, err, sizeof(err))) {
        httpd_log(HTTPD_LOG_WARN, "%s", err);
    }
}

/* Waits for one of `set`. deadline_ms < 0 waits without limit; otherwise
 * returns 0 once pool_now_ms() passes the deadline. */
static int wait_signal(const sigset_t *set, double deadline_ms)
{
    for (;;) {
        siginfo_t info;
        int sig;
        if (deadline_ms < 0) {
            sig = sigwaitinfo(set, &info);
        } else {
            double left = deadline_ms - pool_now_ms();
            if (left <= 0) {
                return 0;
            }
            struct timespec ts = {
                .tv_sec = (time_t)(left / 1000),
                .tv_nsec = (long)((left - (double)(long long)(left / 1000) * 1000) * 1e6)};
            sig = sigtimedwait(set, &info, &ts);
        }
        if (sig > 0) {
            return sig;
        }
        if (errno == EAGAIN) {
            continue; /* re-check the deadline */
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

static void reopen_log(void)
{
    char err[512];
    if (httpd_log_reopen(err, sizeof(err))) {
        httpd_log(HTTPD_LOG_INFO, "SIGHUP: log file reopened");
    } else {
        httpd_log(HTTPD_LOG_ERROR, "SIGHUP: %s", err);
    }
}

/* Serves until SIGTERM or SIGINT, then drains (DESIGN.md, http-stack.md
 * 3.6): stop accepting, let the searches finish within --drain-ms, stop the
 * rest at their best move, answer them all, and only then close. */
static int serve(app_t *app, const sigset_t *set)
{
    int sig;
    for (;;) {
        sig = wait_signal(set, -1);
        if (sig == SIGHUP) {
            reopen_log();
        } else if (sig == SIGTERM || sig == SIGINT) {
            break;
        } else if (sig < 0) {
            httpd_log(HTTPD_LOG_ERROR, "sigwaitinfo: %s; shutting down", strerror(errno));
            break;
        }
    }
    /* Logged after the fact: once "draining" is in the log, new
     * connections are refused. */
    server_begin_drain(app->srv);
    httpd_log(HTTPD_LOG_INFO, "%s: draining: %d searches in progress, limit %lld ms",
              sig > 0 ? strsignal(sig) : "error", server_searches(app->srv),
              (long long)app->cfg.drain_ms);
    char state[128];
    snprintf(state, sizeof(state), "STOPPING=1\nSTATUS=draining: %d searches in progress",
             server_searches(app->srv));
    tell_systemd(app, state);

    double deadline = pool_now_ms() + (double)app->cfg.drain_ms;
    while (server_searches(app->srv) > 0) {
        sig = wait_signal(set, deadline);
        if (sig == SIGHUP) {
            reopen_log();
        } else if (sig == SIGTERM || sig == SIGINT) {
            httpd_log(HTTPD_LOG_INFO, "%s again: stopping the searches now", strsignal(sig));
            break;
        } else if (sig <= 0) {
            break; /* the drain limit */
        }
    }
    if (server_searches(app->srv) > 0) {
        httpd_log(HTTPD_LOG_INFO, "stopping %d searches at their best move",
                  server_searches(app->srv));
        pool_stop_all(app->pool);
        deadline = pool_now_ms() + STOP_GRACE_MS;
        while (server_searches(app->srv) > 0) {
            sig = wait_signal(set, deadline);
            if (sig == SIGHUP) {
                reopen_log();
            } else if (sig <= 0) {
                break;
            }
        }
    }
    pool_stats_t ps;
    pool_stats(app->pool, &ps);
    if (ps.busy + ps.queued > 0) {
        /* A search ignored its stop flag: stopping libmicrohttpd now would
         * abort on the suspended connection, and waiting could hang. */
        httpd_log(HTTPD_LOG_ERROR, "%d searches did not stop; exiting without cleanup",
                  ps.busy + ps.queued);
        _exit(1);
    }
    if (server_searches(app->srv) > 0) {
        httpd_log(HTTPD_LOG_WARN, "closing %d connections whose answers were not taken",
                  server_searches(app->srv));
    }
    return 0;
}

static int run(app_t *app, const sigset_t *set)
{
    char err[512];
    char msg[768];
    const httpd_config_t *cfg = &app->cfg;

    engine_status_t es = engine_init();
    if (es != ENGINE_OK) {
        snprintf(msg, sizeof(msg), "engine_init: %s", engine_strerror(es));
        startup_failed(app, msg);
        return 1;
    }
    /* The address actually served: --bind, or the inherited socket's. */
    char host[HTTPD_CONFIG_HOST_MAX];
    bool ipv6 = cfg->ipv6;
    snprintf(host, sizeof(host), "%s", cfg->host);
    int fd, port;
    if (app->sockets.http_fd >= 0) {
        fd = app->sockets.http_fd;
        systemd_check_listener(fd, host, sizeof(host), &ipv6, &port, err, sizeof(err));
        httpd_log(HTTPD_LOG_INFO,
                  "socket activation: serving on the socket systemd passed (fd %d, %s%s%s:%d); "
                  "--bind is ignored",
                  fd, ipv6 ? "[" : "", host, ipv6 ? "]" : "", port);
    } else if (!server_listen(cfg->host, cfg->ipv6, cfg->port, &fd, &port, err, sizeof(err))) {
        startup_failed(app, err);
        return 1;
    }
    int agent_fd = -1, agent_port = -1;
    if (app->sockets.agent_fd >= 0) {
        agent_fd = app->sockets.agent_fd;
        bool agent_ipv6;
        char agent_host[INET6_ADDRSTRLEN];
        systemd_check_listener(agent_fd, agent_host, sizeof(agent_host), &agent_ipv6, &agent_port,
                               err, sizeof(err));
        if (cfg->agent_port >= 0) {
            httpd_log(HTTPD_LOG_INFO, "socket activation: agent-check on the socket named "
                                      "\"agent\"; --agent-port is ignored");
        }
    } else if (cfg->agent_port >= 0 && !server_listen(host, ipv6, cfg->agent_port, &agent_fd,
                                                      &agent_port, err, sizeof(err))) {
        snprintf(msg, sizeof(msg), "agent-check: %s", err);
        startup_failed(app, msg);
        close(fd);
        return 1;
    }
    if (pool_create(cfg->threads, cfg->queue, cfg->hash_mb, &app->pool, err, sizeof(err)) !=
        POOL_OK) {
        startup_failed(app, err);
        close(fd);
        if (agent_fd >= 0) {
            close(agent_fd);
        }
        return 1;
    }
    server_options_t opt = {
        .cfg = cfg,
        .pool = app->pool,
        .metrics = &app->metrics,
        .start_ms = pool_now_ms(),
        .drained = wake_main,
        .drained_arg = app,
        .inherited_listener = app->sockets.http_fd >= 0,
    };
    if (!server_start(&opt, fd, &app->srv, err, sizeof(err))) {
        startup_failed(app, err);
        pool_destroy(app->pool);
        if (agent_fd >= 0) {
            close(agent_fd);
        }
        return 1;
    }
    if (agent_fd >= 0 && !agent_start(agent_fd, agent_load, app, &app->agent, err, sizeof(err))) {
        startup_failed(app, err);
        pool_join(app->pool); /* no connection may stay suspended */
        server_stop(app->srv);
        pool_destroy(app->pool);
        return 1;
    }
    if (cfg->pid_file != NULL) {
        app->pid_fd = daemonize_pidfile_write(app->pid_path, err, sizeof(err));
        if (app->pid_fd < 0) {
            startup_failed(app, err);
            pool_join(app->pool);
            agent_stop(app->agent);
            server_stop(app->srv);
            pool_destroy(app->pool);
            return 1;
        }
    }
    const char *lb = ipv6 ? "[" : "", *rb = ipv6 ? "]" : "";
    httpd_log(HTTPD_LOG_INFO,
              "gomoku-httpd %s listening on http://%s%s%s:%d/ (pid %ld, %d search threads, "
              "queue %d, max %lld ms per move, max depth %d)",
              GOMOKU_VERSION, lb, host, rb, port, (long)getpid(), cfg->threads, cfg->queue,
              (long long)cfg->max_time_ms, cfg->max_depth);
    if (app->agent != NULL) {
        httpd_log(HTTPD_LOG_INFO, "agent-check listening on %s%s%s:%d", lb, host, rb, agent_port);
    }
    if (cfg->daemonize && cfg->log_file == NULL) {
        httpd_log(HTTPD_LOG_WARN, "daemonized without --log-file: the log goes to /dev/null");
    }
    daemonize_ready(app->notify_fd, true);
    app->notify_fd = -1;
    snprintf(msg, sizeof(msg),
             "READY=1\nSTATUS=serving on http://%s%s%s:%d/ with %d search threads", lb, host, rb,
             port, cfg->threads);
    tell_systemd(app, msg);

    int status = serve(app, set);

    /* Search threads first (libmicrohttpd must not stop with a connection
     * still suspended), then the threads that read the pool's statistics
     * and the server's state (the agent reads both, so it stops before the
     * server is freed), then the pool's memory. */
    pool_join(app->pool);
    agent_stop(app->agent);
    server_stop(app->srv);
    pool_destroy(app->pool);
    daemonize_pidfile_remove(app->pid_path, app->pid_fd);
    httpd_log(HTTPD_LOG_INFO, "stopped");
    return status;
}

int main(int argc, char **argv)
{
    static app_t app; /* large (metrics); static keeps it off the stack */
    char err[512];
    httpd_config_defaults(&app.cfg);
    httpd_config_t defaults = app.cfg;
    switch (httpd_config_parse(&app.cfg, argc, argv, err, sizeof(err))) {
    case HTTPD_CONFIG_RUN:
        break;
    case HTTPD_CONFIG_HELP:
        httpd_config_usage(stdout, "gomoku-httpd", &defaults);
        return 0;
    case HTTPD_CONFIG_VERSION:
        printf("gomoku-httpd %s\n", GOMOKU_VERSION);
        return 0;
    case HTTPD_CONFIG_HEALTH:
        return healthcheck_run(app.cfg.host, app.cfg.ipv6, app.cfg.port, stdout);
    case HTTPD_CONFIG_EUSAGE:
        fprintf(stderr, "gomoku-httpd: %s\nTry 'gomoku-httpd --help' for the options.\n", err);
        return 2;
    }
    app.notify_fd = -1;
    app.pid_fd = -1;
    metrics_init(&app.metrics);
    if (app.cfg.pid_file != NULL &&
        !daemonize_abspath(app.cfg.pid_file, app.pid_path, sizeof(app.pid_path))) {
        fprintf(stderr, "gomoku-httpd: pid file path too long: %s\n", app.cfg.pid_file);
        return 1;
    }
    /* Log first (it resolves a relative path before the daemon leaves the
     * current directory), then fork: no thread exists yet. */
    if (!httpd_log_open(app.cfg.log_file, app.cfg.log_level, err, sizeof(err))) {
        fprintf(stderr, "gomoku-httpd: %s\n", err);
        return 1;
    }
    /* The environment is read (and socket activation's variables removed)
     * before any thread exists, and before daemonizing: LISTEN_PID names
     * the process systemd started, not a child. */
    if (!systemd_notify_open(&app.systemd, err, sizeof(err))) {
        httpd_log(HTTPD_LOG_WARN, "%s; systemd will not hear from us", err);
    }
    switch (systemd_take_sockets(&app.sockets, err, sizeof(err))) {
    case SYSTEMD_LISTEN_NONE:
    case SYSTEMD_LISTEN_OK:
        break;
    case SYSTEMD_LISTEN_NOT_OURS:
        httpd_log(HTTPD_LOG_WARN, "socket activation: %s; binding --bind instead", err);
        break;
    case SYSTEMD_LISTEN_ERROR:
        startup_failed(&app, err);
        httpd_log_close();
        return 1;
    }
    if (app.cfg.daemonize && !daemonize_start(&app.notify_fd, err, sizeof(err))) {
        fprintf(stderr, "gomoku-httpd: %s\n", err);
        return 1;
    }

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, NULL);
    app.main_thread = pthread_self();

    int status = run(&app, &set);
    daemonize_ready(app.notify_fd, status == 0);
    httpd_log_close();
    return status;
}
