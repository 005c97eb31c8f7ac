/*
 * options.h: the command line of gomoku-http-client.
 *
 * Flags are compatible with the original client (-h host, -p port or X:Y,
 * -d depth or X:Y, -r radius, -b board, -t timeout, -j json, -q, -v, --help)
 * and add the load-testing ones (--url, --mode, --games, --concurrency,
 * --time-ms, --level, --retries, --json-summary, ...). client_options_usage() is the
 * reference text. Parsing prints nothing and never exits: it returns a
 * status and a message; main() decides (exit 2 on a usage error).
 * Strings in client_options_t point into argv or into the struct itself.
 */
#ifndef GOMOKU_CLIENT_OPTIONS_H
#define GOMOKU_CLIENT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "game/record.h"

#define CLIENT_DEFAULT_HOST    "127.0.0.1"
#define CLIENT_DEFAULT_PORT    9900
#define CLIENT_DEFAULT_BOARD   15 /* the original client's default */
#define CLIENT_DEFAULT_RETRIES 5
#define CLIENT_DEFAULT_SEED    1
#define CLIENT_URL_MAX         512
#define CLIENT_MAX_GAMES       1000000
#define CLIENT_MAX_CONCURRENCY 512
#define CLIENT_MAX_RETRIES     100
#define CLIENT_MAX_TIME_MS     3600000
#define CLIENT_MAX_OPENING     10

/* Who plays the games: the server against the built-in simulated human (X,
 * moving first, as in the original), or the server against itself. */
typedef enum client_mode { CLIENT_MODE_HUMAN = 0, CLIENT_MODE_AI = 1 } client_mode_t;

typedef enum client_progress_mode {
    CLIENT_PROGRESS_AUTO = 0, /* a bar on a terminal, plain lines otherwise */
    CLIENT_PROGRESS_ON,       /* a bar even when stderr is not a terminal */
    CLIENT_PROGRESS_OFF
} client_progress_mode_t;

typedef enum client_options_status {
    CLIENT_OPTIONS_OK = 0,
    CLIENT_OPTIONS_HELP,  /* --help: print the usage, exit 0 */
    CLIENT_OPTIONS_EUSAGE /* bad flag or value: message filled, exit 2 */
} client_options_status_t;

typedef struct client_options {
    /* The full endpoint URL that answers each side's moves, indexed by
     * game_side_t; both equal unless two servers were given. */
    char urls[2][CLIENT_URL_MAX];
    bool two_servers;
    client_mode_t mode;
    int depth[2];       /* per side; 0 = not sent (the server decides) */
    int64_t time_ms[2]; /* per side "max_time_ms"; 0 = not sent */
    int level[2];       /* per side "level" 1..10; 0 = not sent (full strength) */
    int opening;        /* random moves near the centre that start each game; 0 = none */
    int radius;         /* 0 = not sent */
    int board_size;
    engine_rule_t rule;
    bool rule_given;          /* send "rule" only when asked: the original ignores it */
    double timeout_s;         /* the original's per-move "timeout" field; 0 = "none" */
    const char *json_path;    /* -j: save each final game here, or NULL */
    const char *summary_path; /* --json-summary, or NULL */
    const char *errors_dir;   /* --save-errors; "." by default */
    uint64_t seed;
    int games;
    int concurrency;
    int retries;             /* retries per request after the first attempt */
    long timeout_ms;         /* per attempt, total; 0 = derived from the budget */
    long connect_timeout_ms; /* per attempt */
    bool verbose, quiet, fail_fast;
    client_progress_mode_t progress;
} client_options_t;

/* Parses argv (argv[0] is the program). Fills *opts with defaults and then
 * the flags. Returns CLIENT_OPTIONS_OK, CLIENT_OPTIONS_HELP, or
 * CLIENT_OPTIONS_EUSAGE with a one-line reason in err (errlen bytes) naming
 * the flag. Uses getopt_long, so it is not thread-safe; it resets getopt's
 * state itself, so it may be called again (tests do). */
client_options_status_t client_options_parse(int argc, char **argv, client_options_t *opts,
                                             char *err, size_t errlen);

/* Writes the --help text. */
void client_options_usage(FILE *out, const char *program);

/* The per-attempt total timeout to use: --timeout-ms when given, otherwise
 * derived from the largest budget (the budget plus room for queueing). */
long client_options_request_timeout_ms(const client_options_t *opts);

/* The path game number `game` (1-based) is saved to with -j: the path itself
 * for a single game, otherwise "-N" inserted before the extension
 * (game.json -> game-7.json). Returns false when out is too small. */
bool client_options_json_path(const client_options_t *opts, int game, char *out, size_t outlen);

#endif
