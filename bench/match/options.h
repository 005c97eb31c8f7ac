/*
 * options.h: gomoku-match's command line.
 *
 * Every bad argument is refused with a message that names it; nothing is
 * guessed. The engines' executables are resolved here (absolute path, and
 * the directory they run in), so that a typo fails before any game starts.
 */
#ifndef GOMOKU_MATCH_OPTIONS_H
#define GOMOKU_MATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "match/stats.h"

typedef struct match_options {
    const char *command[2]; /* engine A, engine B, as given */
    char **argv[2];         /* split at blanks; argv[0] made absolute */
    char *dir[2];           /* the directory of argv[0]: the brain's working directory */
    int time_ms[2];
    int n_extra[2];
    char **extra[2]; /* --cmd-a / --cmd-b lines */
    int games;       /* 0 until resolved: 2 x openings, or 2 */
    int concurrency;
    const char *openings_path;
    int size;
    engine_rule_t rule;
    int grace_ms;
    int start_ms;
    int settle_ms;
    long long max_memory; /* -1: not sent */
    bool has_sprt;
    match_sprt_t sprt;
    bool pentanomial; /* the SPRT's model */
    const char *jsonl_path;
    const char *stderr_path;
    bool quiet;
} match_options_t;

typedef enum match_options_status {
    MATCH_OPTIONS_RUN = 0,
    MATCH_OPTIONS_HELP,
    MATCH_OPTIONS_VERSION,
    MATCH_OPTIONS_ERROR
} match_options_status_t;

/* Parses argv into *o (owned memory: match_options_free). On
 * MATCH_OPTIONS_ERROR, err holds the message. */
match_options_status_t match_options_parse(int argc, char **argv, match_options_t *o, char *err,
                                           size_t err_cap);
void match_options_free(match_options_t *o);

/* The --help text. */
extern const char match_options_usage[];

#endif
