#include "httpd/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum long_only {
    OPT_HASH_MB = 256,
    OPT_MAX_TIME_MS,
    OPT_DEFAULT_TIME_MS,
    OPT_MAX_DEPTH,
    OPT_MAX_BODY,
    OPT_MAX_CONNECTIONS,
    OPT_IDLE_TIMEOUT,
    OPT_DRAIN_MS,
    OPT_HEALTH_CHECK
};

static const struct option LONG_OPTIONS[] = {
    {"bind", required_argument, NULL, 'b'},
    {"threads", required_argument, NULL, 't'},
    {"queue", required_argument, NULL, 'q'},
    {"agent-port", required_argument, NULL, 'a'},
    {"daemonize", no_argument, NULL, 'd'},
    {"pid-file", required_argument, NULL, 'P'},
    {"log-file", required_argument, NULL, 'l'},
    {"log-level", required_argument, NULL, 'L'},
    {"hash-mb", required_argument, NULL, OPT_HASH_MB},
    {"max-time-ms", required_argument, NULL, OPT_MAX_TIME_MS},
    {"default-time-ms", required_argument, NULL, OPT_DEFAULT_TIME_MS},
    {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
    {"max-body", required_argument, NULL, OPT_MAX_BODY},
    {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
    {"idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
    {"drain-ms", required_argument, NULL, OPT_DRAIN_MS},
    {"health-check", no_argument, NULL, OPT_HEALTH_CHECK},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void httpd_config_defaults(httpd_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->host, sizeof(cfg->host), "127.0.0.1");
    cfg->port = 9900;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cfg->threads = cpus < 1 ? 1 : (cpus > 256 ? 256 : (int)cpus);
    cfg->queue = 16;
    cfg->agent_port = -1;
    cfg->log_level = HTTPD_LOG_INFO;
    cfg->hash_mb = 32;
    /* A move never takes more than 5 s: HAProxy's default server timeout
     * and impatient players both allow for that. */
    cfg->max_time_ms = 5000;
    cfg->default_time_ms = 1000;
    cfg->max_depth = 32;
    cfg->max_body = 64 * 1024;
    cfg->max_connections = 256;
    /* 60 s: idle keep-alive connections cost one wake-up per expiry, and
     * HAProxy's pooled connections are reused well within that. */
    cfg->idle_timeout_s = 60;
    cfg->drain_ms = 10000;
}

/* Parses a whole decimal integer in [lo, hi]; false for anything else. */
static bool parse_int(const char *text, long long lo, long long hi, long long *out)
{
    if (text == NULL || *text == '\0') {
        return false;
    }
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_port(const char *text, int *port)
{
    long long v;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return false; /* no sign, no spaces: strtoll would accept " +80" */
        }
    }
    if (!parse_int(text, 0, 65535, &v)) {
        return false;
    }
    *port = (int)v;
    return true;
}

bool httpd_config_parse_bind(const char *text, httpd_config_t *cfg, char *err, size_t errlen)
{
    char host[HTTPD_CONFIG_HOST_MAX];
    const char *port_text;
    bool ipv6 = false;

    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':') {
            snprintf(err, errlen, "bad --bind '%s': expected [IPv6]:PORT", text);
            return false;
        }
        size_t n = (size_t)(close - text - 1);
        if (n == 0 || n >= sizeof(host)) {
            snprintf(err, errlen, "bad --bind '%s': bad IPv6 address", text);
            return false;
        }
        memcpy(host, text + 1, n);
        host[n] = '\0';
        port_text = close + 2;
        struct in6_addr a6;
        if (inet_pton(AF_INET6, host, &a6) != 1) {
            snprintf(err, errlen, "bad --bind '%s': '%s' is not an IPv6 address", text, host);
            return false;
        }
        ipv6 = true;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon == NULL) {
            snprintf(err, errlen, "bad --bind '%s': expected HOST:PORT or [IPv6]:PORT", text);
            return false;
        }
        if (strchr(text, ':') != colon) {
            snprintf(err, errlen, "bad --bind '%s': write IPv6 addresses as [ADDRESS]:PORT", text);
            return false;
        }
        size_t n = (size_t)(colon - text);
        if (n == 0 || n >= sizeof(host)) {
            snprintf(err, errlen, "bad --bind '%s': missing or too long host", text);
            return false;
        }
        memcpy(host, text, n);
        host[n] = '\0';
        port_text = colon + 1;
        if (strcmp(host, "localhost") == 0) {
            snprintf(host, sizeof(host), "127.0.0.1");
        }
        struct in_addr a4;
        if (inet_pton(AF_INET, host, &a4) != 1) {
            snprintf(err, errlen,
                     "bad --bind '%s': '%s' is not an IPv4 address (host names other than "
                     "localhost are not resolved)",
                     text, host);
            return false;
        }
    }
    int port;
    if (!parse_port(port_text, &port)) {
        snprintf(err, errlen, "bad --bind '%s': port must be a number from 0 to 65535", text);
        return false;
    }
    snprintf(cfg->host, sizeof(cfg->host), "%s", host);
    cfg->ipv6 = ipv6;
    cfg->port = port;
    return true;
}

void httpd_config_usage(FILE *out, const char *prog, const httpd_config_t *d)
{
    fprintf(out,
            "Usage: %s [OPTION]...\n"
            "Gomoku (five in a row) AI served over HTTP: POST a game record to /gomoku/play\n"
            "for a move, or to /gomoku/analyze for the best moves ranked.\n"
            "\n"
            "  -b, --bind HOST:PORT      listen address, IPv4 or [IPv6]:PORT; port 0 picks a\n"
            "                            free port and logs it (default %s%s%s:%d)\n"
            "  -t, --threads N           search threads (default %d, the number of CPUs)\n"
            "  -q, --queue N             searches that may wait for a thread; more get 503\n"
            "                            with Retry-After estimated from the budgets held\n"
            "                            (default %d)\n"
            "  -a, --agent-port PORT     HAProxy agent-check port on the bind host; 0 picks a\n"
            "                            free port (default: no agent)\n"
            "  -d, --daemonize           run in the background; returns once serving\n"
            "                            (default: foreground)\n"
            "  -P, --pid-file PATH       write the process id there (default: none)\n"
            "  -l, --log-file PATH       log to PATH, reopened on SIGHUP (default: stderr)\n"
            "  -L, --log-level LEVEL     error, warn, info or debug (default %s); the access\n"
            "                            lines of /health, /ready, /metrics are debug lines\n"
            "      --hash-mb N           hash table MiB per search thread (default %zu)\n"
            "      --max-time-ms N       cap on any move's search time (default %" PRId64 ")\n"
            "      --default-time-ms N   search time when the request names no budget\n"
            "                            (default %" PRId64 ")\n"
            "      --max-depth N         cap on the search depth (default %d)\n"
            "      --max-body BYTES      larger request bodies get 413 (default %zu)\n"
            "      --max-connections N   open connections at most (default %u)\n"
            "      --idle-timeout SEC    close connections idle that long; 0 = never\n"
            "                            (default %u)\n"
            "      --drain-ms N          on SIGTERM, let searches finish for this long, then\n"
            "                            stop them at their best move (default %" PRId64 ")\n"
            "      --health-check        ask the daemon at --bind's address for /health\n"
            "                            (a wildcard address is asked on loopback) and exit\n"
            "                            0 if it answers 200, else 1: a container's\n"
            "                            health check\n"
            "  -V, --version             print the version and exit\n"
            "  -h, --help                print this help and exit\n"
            "\n"
            "A move searches for the smallest of the request's max_time_ms, its timeout and\n"
            "the time its depth buys (depth 1..6 of the original API: 100, 250, 500, 1000,\n"
            "2000, 4000 ms, doubling beyond), capped by --max-time-ms; depth also caps the\n"
            "search depth. Without any of them the move gets --default-time-ms.\n"
            "\n"
            "Signals: SIGTERM/SIGINT drain and exit 0, SIGHUP reopens the log file.\n"
            "systemd: with $NOTIFY_SOCKET set, READY=1 is sent once listening and\n"
            "STOPPING=1 when the drain starts (Type=notify). With socket activation\n"
            "(LISTEN_PID = our pid, LISTEN_FDS >= 1) the listening socket fd 3 replaces\n"
            "--bind, and a second socket named \"agent\" (LISTEN_FDNAMES) --agent-port.\n"
            "Exit status: 0 on success, 1 on a runtime error (e.g. port in use), 2 on a bad\n"
            "command line.\n",
            prog, d->ipv6 ? "[" : "", d->host, d->ipv6 ? "]" : "", d->port, d->threads, d->queue,
            httpd_log_level_name(d->log_level), d->hash_mb, d->max_time_ms, d->default_time_ms,
            d->max_depth, d->max_body, d->max_connections, d->idle_timeout_s, d->drain_ms);
}

/* The option as the user wrote it, for messages. */
static const char *option_name(int c, char *buf, size_t len)
{
    for (const struct option *o = LONG_OPTIONS; o->name != NULL; o++) {
        if (o->val == c) {
            if (c < 256) {
                snprintf(buf, len, "-%c/--%s", c, o->name);
            } else {
                snprintf(buf, len, "--%s", o->name);
            }
            return buf;
        }
    }
    snprintf(buf, len, "-%c", c);
    return buf;
}

httpd_config_action_t httpd_config_parse(httpd_config_t *cfg, int argc, char **argv, char *err,
                                         size_t errlen)
{
    /* optind = 0 makes GNU getopt start over, so tests can parse again. */
    optind = 0;
    opterr = 0;
    int c;
    char name[48];
    bool health_check = false;
    while ((c = getopt_long(argc, argv, ":b:t:q:a:dP:l:L:Vh", LONG_OPTIONS, NULL)) != -1) {
        long long v;
        bool ok = true;
        const char *range = "";
        switch (c) {
        case 'b':
            if (!httpd_config_parse_bind(optarg, cfg, err, errlen)) {
                return HTTPD_CONFIG_EUSAGE;
            }
            break;
        case 't':
            ok = parse_int(optarg, 1, 256, &v);
            range = "1 to 256";
            if (ok) {
                cfg->threads = (int)v;
            }
            break;
        case 'q':
            ok = parse_int(optarg, 0, 100000, &v);
            range = "0 to 100000";
            if (ok) {
                cfg->queue = (int)v;
            }
            break;
        case 'a':
            ok = parse_port(optarg, &cfg->agent_port);
            range = "0 to 65535";
            break;
        case 'd':
            cfg->daemonize = true;
            break;
        case 'P':
            ok = optarg[0] != '\0';
            range = "a path";
            cfg->pid_file = optarg;
            break;
        case 'l':
            ok = optarg[0] != '\0';
            range = "a path";
            cfg->log_file = optarg;
            break;
        case 'L':
            ok = httpd_log_level_parse(optarg, &cfg->log_level);
            range = "error, warn, info or debug";
            break;
        case OPT_HASH_MB:
            ok = parse_int(optarg, 1, 65536, &v);
            range = "1 to 65536";
            if (ok) {
                cfg->hash_mb = (size_t)v;
            }
            break;
        case OPT_MAX_TIME_MS:
            ok = parse_int(optarg, 1, 600000, &v);
            range = "1 to 600000";
            if (ok) {
                cfg->max_time_ms = v;
            }
            break;
        case OPT_DEFAULT_TIME_MS:
            ok = parse_int(optarg, 1, 600000, &v);
            range = "1 to 600000";
            if (ok) {
                cfg->default_time_ms = v;
            }
            break;
        case OPT_MAX_DEPTH:
            ok = parse_int(optarg, 1, 64, &v);
            range = "1 to 64";
            if (ok) {
                cfg->max_depth = (int)v;
            }
            break;
        case OPT_MAX_BODY:
            ok = parse_int(optarg, 1024, 64LL * 1024 * 1024, &v);
            range = "1024 to 67108864";
            if (ok) {
                cfg->max_body = (size_t)v;
            }
            break;
        case OPT_MAX_CONNECTIONS:
            ok = parse_int(optarg, 1, 100000, &v);
            range = "1 to 100000";
            if (ok) {
                cfg->max_connections = (unsigned)v;
            }
            break;
        case OPT_IDLE_TIMEOUT:
            ok = parse_int(optarg, 0, 86400, &v);
            range = "0 to 86400";
            if (ok) {
                cfg->idle_timeout_s = (unsigned)v;
            }
            break;
        case OPT_DRAIN_MS:
            ok = parse_int(optarg, 0, 3600000, &v);
            range = "0 to 3600000";
            if (ok) {
                cfg->drain_ms = v;
            }
            break;
        case OPT_HEALTH_CHECK:
            health_check = true;
            break;
        case 'V':
            return HTTPD_CONFIG_VERSION;
        case 'h':
            return HTTPD_CONFIG_HELP;
        case ':':
            snprintf(err, errlen, "option %s needs a value", argv[optind - 1]);
            return HTTPD_CONFIG_EUSAGE;
        case '?':
        default:
            if (optopt != 0) {
                snprintf(err, errlen, "unknown option -%c", optopt);
            } else {
                snprintf(err, errlen, "unknown option %s", argv[optind - 1]);
            }
            return HTTPD_CONFIG_EUSAGE;
        }
        if (!ok) {
            snprintf(err, errlen, "bad value '%s' for %s: expected %s", optarg,
                     option_name(c, name, sizeof(name)), range);
            return HTTPD_CONFIG_EUSAGE;
        }
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
        return HTTPD_CONFIG_EUSAGE;
    }
    return health_check ? HTTPD_CONFIG_HEALTH : HTTPD_CONFIG_RUN;
}
