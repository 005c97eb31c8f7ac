/*
 * config.h: gomoku-httpd's command line.
 *
 * Who calls it: main(), once, before anything else runs; the unit tests.
 * httpd_config_parse() reads argv with getopt_long into an httpd_config_t
 * that starts from httpd_config_defaults(); every option and its default is
 * listed by httpd_config_usage(). Strings in the result point into argv.
 * Uses getopt's global state: not thread-safe, one parse at a time.
 */
#ifndef GOMOKU_HTTPD_CONFIG_H
#define GOMOKU_HTTPD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "httpd/log.h"

#define HTTPD_CONFIG_HOST_MAX 64

typedef struct httpd_config {
    char host[HTTPD_CONFIG_HOST_MAX]; /* numeric address without brackets */
    bool ipv6;                        /* host is an IPv6 address */
    int port;                         /* 0 picks a free port */
    int threads;                      /* search threads */
    int queue;                        /* searches that may wait for a thread */
    int agent_port;                   /* HAProxy agent-check port; -1 = none, 0 = any free */
    bool daemonize;
    const char *pid_file; /* NULL: none */
    const char *log_file; /* NULL: stderr */
    httpd_log_level_t log_level;
    size_t hash_mb;          /* transposition table per search thread */
    int64_t max_time_ms;     /* cap on any move's search time */
    int64_t default_time_ms; /* budget when the request names none */
    int max_depth;           /* cap on the nominal search depth */
    size_t max_body;         /* larger request bodies get 413 */
    unsigned max_connections;
    unsigned idle_timeout_s; /* idle connections are closed after this; 0 = never */
    int64_t drain_ms;        /* on SIGTERM, searches may run this long before being stopped */
} httpd_config_t;

typedef enum httpd_config_action {
    HTTPD_CONFIG_RUN = 0, /* start the daemon */
    HTTPD_CONFIG_HELP,    /* --help: print usage, exit 0 */
    HTTPD_CONFIG_VERSION, /* --version: print the version, exit 0 */
    HTTPD_CONFIG_HEALTH,  /* --health-check: ask the daemon at --bind, exit 0 or 1 */
    HTTPD_CONFIG_EUSAGE   /* bad command line: message in err, exit 2 */
} httpd_config_action_t;

/* The defaults; threads = the number of online CPUs. */
void httpd_config_defaults(httpd_config_t *cfg);

/* Parses argv over the values already in *cfg. On HTTPD_CONFIG_EUSAGE, err
 * holds one sentence naming the offending option. */
httpd_config_action_t httpd_config_parse(httpd_config_t *cfg, int argc, char **argv, char *err,
                                         size_t errlen);

/* Parses "HOST:PORT" (IPv4 address or "localhost") or "[IPv6]:PORT" into
 * cfg->host, cfg->ipv6 and cfg->port. Returns false with a message in err;
 * cfg is unchanged then. */
bool httpd_config_parse_bind(const char *text, httpd_config_t *cfg, char *err, size_t errlen);

/* Prints the usage text with the defaults of *defaults. */
void httpd_config_usage(FILE *out, const char *prog, const httpd_config_t *defaults);

#endif
