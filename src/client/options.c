#include "client/options.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PLAY_PATH "/gomoku/play"

/* Long-only flags get values above the byte range so they never clash with a
 * short flag character. */
enum {
    OPT_HELP = 0x100,
    OPT_URL,
    OPT_MODE,
    OPT_SEED,
    OPT_RULE,
    OPT_TIME_MS,
    OPT_LEVEL,
    OPT_OPENING,
    OPT_RETRIES,
    OPT_TIMEOUT_MS,
    OPT_CONNECT_TIMEOUT_MS,
    OPT_JSON_SUMMARY,
    OPT_SAVE_ERRORS,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_FAIL_FAST,
};

static const struct option LONG_OPTIONS[] = {
    {"host", required_argument, NULL, 'h'},
    {"port", required_argument, NULL, 'p'},
    {"depth", required_argument, NULL, 'd'},
    {"radius", required_argument, NULL, 'r'},
    {"board", required_argument, NULL, 'b'},
    {"timeout", required_argument, NULL, 't'},
    {"json", required_argument, NULL, 'j'},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"games", required_argument, NULL, 'g'},
    {"concurrency", required_argument, NULL, 'c'},
    {"help", no_argument, NULL, OPT_HELP},
    {"url", required_argument, NULL, OPT_URL},
    {"mode", required_argument, NULL, OPT_MODE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"rule", required_argument, NULL, OPT_RULE},
    {"time-ms", required_argument, NULL, OPT_TIME_MS},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"opening", required_argument, NULL, OPT_OPENING},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"timeout-ms", required_argument, NULL, OPT_TIMEOUT_MS},
    {"connect-timeout-ms", required_argument, NULL, OPT_CONNECT_TIMEOUT_MS},
    {"json-summary", required_argument, NULL, OPT_JSON_SUMMARY},
    {"save-errors", required_argument, NULL, OPT_SAVE_ERRORS},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {NULL, 0, NULL, 0},
};

/* The leading ':' makes getopt report a missing argument as ':' rather than
 * '?', so the two mistakes get different messages. */
static const char SHORT_OPTIONS[] = ":h:p:d:r:b:t:j:vqg:c:";

static client_options_status_t usage_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static client_options_status_t usage_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return CLIENT_OPTIONS_EUSAGE;
}

/* Reads a whole decimal integer in [lo, hi]; false for anything else
 * (empty, trailing text, out of range). */
static bool parse_int(const char *text, long long lo, long long hi, long long *out)
{
    if (text == NULL || *text == '\0') {
        return false;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

/* Reads "N" (both sides N) or "X:Y" (X's value, then O's) with each number in
 * [lo, hi]. */
static bool parse_pair(const char *text, long long lo, long long hi, long long out[2])
{
    const char *colon = strchr(text, ':');
    if (colon == NULL) {
        if (!parse_int(text, lo, hi, &out[0])) {
            return false;
        }
        out[1] = out[0];
        return true;
    }
    char first[32];
    size_t n = (size_t)(colon - text);
    if (n == 0 || n >= sizeof(first)) {
        return false;
    }
    memcpy(first, text, n);
    first[n] = '\0';
    return parse_int(first, lo, hi, &out[0]) && parse_int(colon + 1, lo, hi, &out[1]);
}

/* Completes a --url: a scheme is required; a bare server address (no path,
 * or "/") gets the play endpoint, any other path is used as given (a proxy
 * may route a prefix). */
static bool normalise_url(const char *url, char out[CLIENT_URL_MAX])
{
    const char *scheme_end = strstr(url, "://");
    if (scheme_end == NULL || scheme_end == url || scheme_end[3] == '\0' ||
        (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)) {
        return false;
    }
    const char *path = strchr(scheme_end + 3, '/');
    int n;
    if (path == NULL) {
        n = snprintf(out, CLIENT_URL_MAX, "%s%s", url, PLAY_PATH);
    } else if (strcmp(path, "/") == 0) {
        n = snprintf(out, CLIENT_URL_MAX, "%.*s%s", (int)(path - url), url, PLAY_PATH);
    } else {
        n = snprintf(out, CLIENT_URL_MAX, "%s", url);
    }
    return n > 0 && n < CLIENT_URL_MAX;
}

static bool host_port_url(const char *host, long long port, char out[CLIENT_URL_MAX])
{
    /* An IPv6 literal needs brackets in a URL. */
    bool v6 = strchr(host, ':') != NULL && host[0] != '[';
    int n = snprintf(out, CLIENT_URL_MAX, "http://%s%s%s:%lld%s", v6 ? "[" : "", host,
                     v6 ? "]" : "", port, PLAY_PATH);
    return n > 0 && n < CLIENT_URL_MAX;
}

static void set_defaults(client_options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = CLIENT_MODE_HUMAN;
    o->board_size = CLIENT_DEFAULT_BOARD;
    o->rule = ENGINE_RULE_FREESTYLE;
    o->errors_dir = ".";
    o->seed = CLIENT_DEFAULT_SEED;
    o->games = 1;
    o->concurrency = 1;
    o->retries = CLIENT_DEFAULT_RETRIES;
    o->connect_timeout_ms = 2000;
    o->progress = CLIENT_PROGRESS_AUTO;
}

/* What one run of getopt collected before the cross-flag checks. */
struct raw {
    const char *host;
    long long ports[2];
    bool host_given, port_given, mode_given;
    int n_urls;
    const char *urls[2];
};

static client_options_status_t parse_one(int c, const char *arg, client_options_t *o,
                                         struct raw *raw, char *err, size_t errlen)
{
    long long v, pair[2];
    switch (c) {
    case 'h':
        if (*arg == '\0') {
            return usage_error(err, errlen, "-h/--host needs a host name or address");
        }
        raw->host = arg;
        raw->host_given = true;
        return CLIENT_OPTIONS_OK;
    case 'p':
        if (!parse_pair(arg, 1, 65535, raw->ports)) {
            return usage_error(err, errlen,
                               "-p/--port expects PORT or X:Y (two servers, one per side), each "
                               "1..65535; got \"%s\"",
                               arg);
        }
        raw->port_given = true;
        return CLIENT_OPTIONS_OK;
    case 'd':
        if (!parse_pair(arg, 1, GAME_MAX_DEPTH, pair)) {
            return usage_error(err, errlen,
                               "-d/--depth expects N or X:Y with each 1..%d; got \"%s\"",
                               GAME_MAX_DEPTH, arg);
        }
        o->depth[GAME_SIDE_X] = (int)pair[0];
        o->depth[GAME_SIDE_O] = (int)pair[1];
        return CLIENT_OPTIONS_OK;
    case 'r':
        if (!parse_int(arg, GAME_MIN_RADIUS, GAME_MAX_RADIUS, &v)) {
            return usage_error(err, errlen, "-r/--radius expects %d..%d; got \"%s\"",
                               GAME_MIN_RADIUS, GAME_MAX_RADIUS, arg);
        }
        o->radius = (int)v;
        return CLIENT_OPTIONS_OK;
    case 'b':
        if (!parse_int(arg, ENGINE_MIN_SIZE, ENGINE_MAX_SIZE, &v)) {
            return usage_error(err, errlen,
                               "-b/--board expects a board size (15 or 19; the new server also "
                               "takes %d..%d); got \"%s\"",
                               ENGINE_MIN_SIZE, ENGINE_MAX_SIZE, arg);
        }
        o->board_size = (int)v;
        return CLIENT_OPTIONS_OK;
    case 't':
        if (!parse_int(arg, 0, 86400, &v)) {
            return usage_error(err, errlen,
                               "-t/--timeout expects whole seconds 0..86400 (0 = none); got "
                               "\"%s\"",
                               arg);
        }
        o->timeout_s = (double)v;
        return CLIENT_OPTIONS_OK;
    case 'j':
        if (*arg == '\0') {
            return usage_error(err, errlen, "-j/--json needs a file name");
        }
        o->json_path = arg;
        return CLIENT_OPTIONS_OK;
    case 'v':
        o->verbose = true;
        return CLIENT_OPTIONS_OK;
    case 'q':
        o->quiet = true;
        return CLIENT_OPTIONS_OK;
    case 'g':
        if (!parse_int(arg, 1, CLIENT_MAX_GAMES, &v)) {
            return usage_error(err, errlen, "-g/--games expects 1..%d; got \"%s\"",
                               CLIENT_MAX_GAMES, arg);
        }
        o->games = (int)v;
        return CLIENT_OPTIONS_OK;
    case 'c':
        if (!parse_int(arg, 1, CLIENT_MAX_CONCURRENCY, &v)) {
            return usage_error(err, errlen, "-c/--concurrency expects 1..%d; got \"%s\"",
                               CLIENT_MAX_CONCURRENCY, arg);
        }
        o->concurrency = (int)v;
        return CLIENT_OPTIONS_OK;
    case OPT_URL:
        if (raw->n_urls == 2) {
            return usage_error(err, errlen,
                               "--url may be given at most twice (X's server, then O's)");
        }
        raw->urls[raw->n_urls++] = arg;
        return CLIENT_OPTIONS_OK;
    case OPT_MODE:
        if (strcasecmp(arg, "human") == 0) {
            o->mode = CLIENT_MODE_HUMAN;
        } else if (strcasecmp(arg, "ai") == 0) {
            o->mode = CLIENT_MODE_AI;
        } else {
            return usage_error(err, errlen,
                               "--mode expects \"human\" (AI vs simulated human) or \"ai\" "
                               "(AI vs AI); got \"%s\"",
                               arg);
        }
        raw->mode_given = true;
        return CLIENT_OPTIONS_OK;
    case OPT_SEED: {
        char *end = NULL;
        errno = 0;
        unsigned long long s = strtoull(arg, &end, 10);
        if (*arg == '\0' || *arg == '-' || errno != 0 || *end != '\0') {
            return usage_error(err, errlen, "--seed expects an unsigned integer; got \"%s\"", arg);
        }
        o->seed = (uint64_t)s;
        return CLIENT_OPTIONS_OK;
    }
    case OPT_RULE:
        if (strcasecmp(arg, "freestyle") == 0) {
            o->rule = ENGINE_RULE_FREESTYLE;
        } else if (strcasecmp(arg, "standard") == 0) {
            o->rule = ENGINE_RULE_STANDARD;
        } else if (strcasecmp(arg, "renju") == 0) {
            o->rule = ENGINE_RULE_RENJU;
        } else {
            return usage_error(err, errlen,
                               "--rule expects \"freestyle\" (five or more), \"standard\" "
                               "(exactly five) or \"renju\"; got \"%s\"",
                               arg);
        }
        o->rule_given = true;
        return CLIENT_OPTIONS_OK;
    case OPT_TIME_MS:
        if (!parse_pair(arg, 1, CLIENT_MAX_TIME_MS, pair)) {
            return usage_error(err, errlen,
                               "--time-ms expects N or X:Y milliseconds, each 1..%d; got \"%s\"",
                               CLIENT_MAX_TIME_MS, arg);
        }
        o->time_ms[GAME_SIDE_X] = pair[0];
        o->time_ms[GAME_SIDE_O] = pair[1];
        return CLIENT_OPTIONS_OK;
    case OPT_LEVEL:
        if (!parse_pair(arg, GAME_MIN_LEVEL, GAME_MAX_LEVEL, pair)) {
            return usage_error(err, errlen,
                               "--level expects N or X:Y, each %d..%d (10 = full strength); got "
                               "\"%s\"",
                               GAME_MIN_LEVEL, GAME_MAX_LEVEL, arg);
        }
        o->level[GAME_SIDE_X] = (int)pair[0];
        o->level[GAME_SIDE_O] = (int)pair[1];
        return CLIENT_OPTIONS_OK;
    case OPT_OPENING:
        if (!parse_int(arg, 0, CLIENT_MAX_OPENING, &v)) {
            return usage_error(err, errlen, "--opening expects 0..%d moves; got \"%s\"",
                               CLIENT_MAX_OPENING, arg);
        }
        o->opening = (int)v;
        return CLIENT_OPTIONS_OK;
    case OPT_RETRIES:
        if (!parse_int(arg, 0, CLIENT_MAX_RETRIES, &v)) {
            return usage_error(err, errlen, "--retries expects 0..%d; got \"%s\"",
                               CLIENT_MAX_RETRIES, arg);
        }
        o->retries = (int)v;
        return CLIENT_OPTIONS_OK;
    case OPT_TIMEOUT_MS:
        if (!parse_int(arg, 1, CLIENT_MAX_TIME_MS, &v)) {
            return usage_error(err, errlen, "--timeout-ms expects 1..%d; got \"%s\"",
                               CLIENT_MAX_TIME_MS, arg);
        }
        o->timeout_ms = (long)v;
        return CLIENT_OPTIONS_OK;
    case OPT_CONNECT_TIMEOUT_MS:
        if (!parse_int(arg, 1, CLIENT_MAX_TIME_MS, &v)) {
            return usage_error(err, errlen, "--connect-timeout-ms expects 1..%d; got \"%s\"",
                               CLIENT_MAX_TIME_MS, arg);
        }
        o->connect_timeout_ms = (long)v;
        return CLIENT_OPTIONS_OK;
    case OPT_JSON_SUMMARY:
        if (*arg == '\0') {
            return usage_error(err, errlen, "--json-summary needs a file name");
        }
        o->summary_path = arg;
        return CLIENT_OPTIONS_OK;
    case OPT_SAVE_ERRORS:
        if (*arg == '\0') {
            return usage_error(err, errlen, "--save-errors needs a directory");
        }
        o->errors_dir = arg;
        return CLIENT_OPTIONS_OK;
    case OPT_PROGRESS:
        o->progress = CLIENT_PROGRESS_ON;
        return CLIENT_OPTIONS_OK;
    case OPT_NO_PROGRESS:
        o->progress = CLIENT_PROGRESS_OFF;
        return CLIENT_OPTIONS_OK;
    case OPT_FAIL_FAST:
        o->fail_fast = true;
        return CLIENT_OPTIONS_OK;
    }
    return usage_error(err, errlen, "internal error: unhandled option %d", c);
}

/* Names the flag getopt stopped at, for "unknown option" and "missing
 * argument" messages: the long flag as typed (up to any '='), else the short
 * one. */
static const char *offending(int argc, char **argv, int optopt_value, char *buf, size_t len)
{
    int i = optind - 1;
    if (i > 0 && i < argc && strncmp(argv[i], "--", 2) == 0) {
        /* The previous word is a long flag; it is the culprit when getopt
         * says so (optopt 0: unknown long flag) or when optopt is that
         * flag's value (it lacks its argument). A short flag later in a
         * group ("-vx") leaves optind behind, hence the check. */
        int name_len = (int)strcspn(argv[i] + 2, "=");
        bool culprit = optopt_value == 0;
        for (const struct option *o = LONG_OPTIONS; !culprit && o->name != NULL; o++) {
            culprit = o->val == optopt_value && (int)strlen(o->name) == name_len &&
                      strncmp(o->name, argv[i] + 2, (size_t)name_len) == 0;
        }
        if (culprit) {
            snprintf(buf, len, "--%.*s", name_len, argv[i] + 2);
            return buf;
        }
    }
    if (optopt_value > 0 && optopt_value < 0x100) {
        snprintf(buf, len, "-%c", optopt_value);
        return buf;
    }
    return i > 0 && i < argc ? argv[i] : "?";
}

/* Cross-flag rules and the server URLs, once every flag is read. */
static client_options_status_t finish(client_options_t *o, const struct raw *raw, char *err,
                                      size_t errlen)
{
    if (raw->n_urls > 0 && (raw->host_given || raw->port_given)) {
        return usage_error(err, errlen,
                           "--url replaces -h/--host and -p/--port: give one or the other");
    }
    if (raw->n_urls > 0) {
        for (int i = 0; i < raw->n_urls; i++) {
            if (!normalise_url(raw->urls[i], o->urls[i])) {
                return usage_error(err, errlen,
                                   "--url expects http://HOST:PORT[/PATH] (at most %d "
                                   "characters); got \"%s\"",
                                   CLIENT_URL_MAX - 1, raw->urls[i]);
            }
        }
        if (raw->n_urls == 1) {
            memcpy(o->urls[1], o->urls[0], CLIENT_URL_MAX);
        }
        o->two_servers = raw->n_urls == 2;
    } else {
        const char *host = raw->host != NULL ? raw->host : CLIENT_DEFAULT_HOST;
        long long px = raw->port_given ? raw->ports[0] : CLIENT_DEFAULT_PORT;
        long long po = raw->port_given ? raw->ports[1] : CLIENT_DEFAULT_PORT;
        if (!host_port_url(host, px, o->urls[GAME_SIDE_X]) ||
            !host_port_url(host, po, o->urls[GAME_SIDE_O])) {
            return usage_error(err, errlen, "-h/--host is too long");
        }
        o->two_servers = px != po;
    }
    if (o->two_servers) {
        /* One server per side only makes sense when both sides are served. */
        if (raw->mode_given && o->mode == CLIENT_MODE_HUMAN) {
            return usage_error(err, errlen,
                               "two servers (one per side) need --mode ai: in --mode human "
                               "only O is played by a server");
        }
        o->mode = CLIENT_MODE_AI;
    }
    if (o->concurrency > o->games) {
        o->concurrency = o->games;
    }
    return CLIENT_OPTIONS_OK;
}

client_options_status_t client_options_parse(int argc, char **argv, client_options_t *opts,
                                             char *err, size_t errlen)
{
    set_defaults(opts);
    if (errlen > 0) {
        err[0] = '\0';
    }
    struct raw raw = {0};
    /* optind = 0 makes glibc's getopt start over, including its internal
     * state for grouped short flags; opterr = 0 silences its own messages. */
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, SHORT_OPTIONS, LONG_OPTIONS, NULL)) != -1) {
        char buf[64];
        if (c == OPT_HELP) {
            return CLIENT_OPTIONS_HELP;
        }
        if (c == '?') {
            return usage_error(err, errlen, "unknown option %s (see --help)",
                               offending(argc, argv, optopt, buf, sizeof(buf)));
        }
        if (c == ':') {
            return usage_error(err, errlen, "option %s needs a value (see --help)",
                               offending(argc, argv, optopt, buf, sizeof(buf)));
        }
        client_options_status_t s = parse_one(c, optarg, opts, &raw, err, errlen);
        if (s != CLIENT_OPTIONS_OK) {
            return s;
        }
    }
    if (optind < argc) {
        return usage_error(err, errlen, "unexpected argument \"%s\" (see --help)", argv[optind]);
    }
    return finish(opts, &raw, err, errlen);
}

long client_options_request_timeout_ms(const client_options_t *opts)
{
    if (opts->timeout_ms > 0) {
        return opts->timeout_ms;
    }
    int64_t budget = opts->time_ms[0] > opts->time_ms[1] ? opts->time_ms[0] : opts->time_ms[1];
    if (opts->timeout_s > 0 && (int64_t)(opts->timeout_s * 1000) > budget) {
        budget = (int64_t)(opts->timeout_s * 1000);
    }
    /* Without a budget the server applies its own default, which we do not
     * know: allow a minute. With one, leave room for queueing behind other
     * searches (a busy server or HAProxy's queue) on top of the search. */
    if (budget == 0) {
        return 60000;
    }
    return (long)(budget * 2 + 10000);
}

bool client_options_json_path(const client_options_t *opts, int game, char *out, size_t outlen)
{
    const char *path = opts->json_path != NULL ? opts->json_path : "";
    int n;
    if (opts->games <= 1) {
        n = snprintf(out, outlen, "%s", path);
    } else {
        /* The extension is the last '.' of the file name, not of a directory
         * on the way to it. */
        const char *slash = strrchr(path, '/');
        const char *dot = strrchr(path, '.');
        if (dot == NULL || (slash != NULL && dot < slash) || dot == path ||
            (slash != NULL && dot == slash + 1)) {
            n = snprintf(out, outlen, "%s-%d", path, game);
        } else {
            n = snprintf(out, outlen, "%.*s-%d%s", (int)(dot - path), path, game, dot);
        }
    }
    return n >= 0 && (size_t)n < outlen;
}

void client_options_usage(FILE *out, const char *program)
{
    fprintf(out,
            "Usage: %s [OPTIONS]\n"
            "Plays Gomoku games against a gomoku-httpd server (or a swarm behind a load\n"
            "balancer), checks every reply, and prints statistics.\n"
            "\n"
            "Server:\n"
            "  -h, --host HOST         server host (default %s); -h is not help\n"
            "  -p, --port P[:Q]        server port (default %d); X:Y = X's moves from port X,\n"
            "                          O's from port Y (implies --mode ai)\n"
            "      --url URL           server URL instead of host/port, e.g. http://lb:8080;\n"
            "                          give it twice for one server per side (X's, then O's)\n"
            "\n"
            "Game:\n"
            "      --mode human|ai     AI vs simulated human (default; the human is X) or AI\n"
            "                          vs AI\n"
            "  -d, --depth N[:M]       search depth for the AI (X:Y per side); default: the\n"
            "                          server's\n"
            "      --time-ms N[:M]     thinking budget per move in ms (X:Y per side), sent as\n"
            "                          max_time_ms; default: the server's\n"
            "      --level N[:M]       playing strength 1..10 of the AI (X:Y per side; 10 =\n"
            "                          full); each game sends a seed derived from --seed,\n"
            "                          so a run replays; default: not sent (full strength)\n"
            "      --opening N         start each game with N random moves (0..10) in the\n"
            "                          5x5 square at the centre, drawn from --seed and the\n"
            "                          game's number (default 0)\n"
            "  -r, --radius N          candidate radius 1..4 (the original engine's)\n"
            "  -b, --board N           board size, 15 (default) or 19; %d..%d for servers\n"
            "                          that take it\n"
            "      --rule R            freestyle (five or more wins), standard (exactly\n"
            "                          five) or renju (black: exactly five, no overline,\n"
            "                          double four or double three; replies judged by the\n"
            "                          same referee); not sent unless given\n"
            "  -t, --timeout S         the record's per-move \"timeout\" in seconds (the\n"
            "                          original's field; 0 = none)\n"
            "      --seed N            seed of the simulated human and retry jitter (default\n"
            "                          %d); game i uses a stream derived from N and i\n"
            "\n"
            "Load:\n"
            "  -g, --games N           games in total (default 1)\n"
            "  -c, --concurrency C     games at once, one thread and connection each\n"
            "                          (default 1)\n"
            "      --retries N         retries per request on connection failures and\n"
            "                          502/503/504, with backoff (default %d)\n"
            "      --timeout-ms N      time limit of one attempt (default: 2 x budget + 10 s,\n"
            "                          or 60 s without --time-ms)\n"
            "      --connect-timeout-ms N  connect time limit of one attempt (default 2000)\n"
            "      --fail-fast         start no new game after a game failed\n"
            "\n"
            "Output:\n"
            "  -j, --json FILE         save each final game record; with several games,\n"
            "                          game N goes to FILE with \"-N\" before the extension\n"
            "      --json-summary FILE write the summary as JSON\n"
            "      --save-errors DIR   where rejected requests and replies are saved\n"
            "                          (default: the current directory)\n"
            "  -v, --verbose           print every move and request\n"
            "  -q, --quiet             no line per game; summary only\n"
            "      --progress          live progress bar on stderr even when not a terminal\n"
            "      --no-progress       no progress bar or progress lines\n"
            "      --help              this text\n"
            "\n"
            "Exit status: 0 when every game finished with every reply verified, 1 when a\n"
            "game failed (connection, HTTP error, or a reply that is not the request plus\n"
            "one legal move), 2 for a usage error, 130 when interrupted. The first Ctrl-C\n"
            "stops after the moves in flight and still prints the summary; a second one\n"
            "quits at once.\n"
            "\n"
            "Examples:\n"
            "  %s -p 9900 -b 15                      one game, human vs AI\n"
            "  %s --mode ai -d 4:6 --time-ms 200     AI vs AI, different depths\n"
            "  %s --mode ai --level 3:2 -g 20        AI vs AI, level 3 (X) against level 2\n"
            "  %s -p 9514:9515 --time-ms 100         two servers, one per side\n"
            "  %s --url http://127.0.0.1:8080 -g 200 -c 16 --time-ms 50 --json-summary s.json\n",
            program, CLIENT_DEFAULT_HOST, CLIENT_DEFAULT_PORT, ENGINE_MIN_SIZE, ENGINE_MAX_SIZE,
            CLIENT_DEFAULT_SEED, CLIENT_DEFAULT_RETRIES, program, program, program, program,
            program);
}
