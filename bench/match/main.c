/*
 * main.c: gomoku-match, a match runner for Gomocup brains.
 *
 * Plays two engines given by path against each other, N games at once, from
 * an openings file, with a time per move for each side, judges every move
 * with the gomoku-httpd referee, and reports Elo and an optional SPRT. See
 * docs/match.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match/openings.h"
#include "match/options.h"
#include "match/output.h"
#include "game/record.h"
#include "match/referee.h"
#include "match/schedule.h"

#ifndef GOMOKU_VERSION
#define GOMOKU_VERSION "0"
#endif

static atomic_int stop_new;
static atomic_int abort_games;

static void on_sigint(int sig)
{
    (void)sig;
    if (atomic_load(&stop_new))
        atomic_store(&abort_games, 1);
    atomic_store(&stop_new, 1);
}

/* An opening must leave a game to play: no five in it, and a free cell. */
static bool check_openings(const match_openings_t *o, const match_options_t *opt, char *err,
                           size_t err_cap)
{
    for (int i = 0; i < o->n; i++) {
        const match_opening_t *op = &o->items[i];
        match_referee_t ref;
        match_referee_init(&ref, opt->size, opt->rule);
        for (int k = 0; k < op->n; k++) {
            char why[128];
            int color = k % 2 == 0 ? ENGINE_BLACK : ENGINE_WHITE;
            match_verdict_t v = match_referee_play(&ref, op->x[k], op->y[k], (engine_color_t)color,
                                                   why, sizeof(why));
            if (v != MATCH_PLAY_ON) {
                snprintf(err, err_cap, "%s:%d: the opening %s at stone %d,%d", opt->openings_path,
                         op->line,
                         v == MATCH_PLAY_WIN    ? "already has a five"
                         : v == MATCH_PLAY_DRAW ? "fills the board"
                                                : "is illegal",
                         op->x[k], op->y[k]);
                return false;
            }
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    match_options_t opt;
    char err[1024];
    match_options_status_t st = match_options_parse(argc, argv, &opt, err, sizeof(err));
    if (st == MATCH_OPTIONS_HELP) {
        fputs(match_options_usage, stdout);
        match_options_free(&opt);
        return 0;
    }
    if (st == MATCH_OPTIONS_VERSION) {
        printf("gomoku-match %s\n", GOMOKU_VERSION);
        match_options_free(&opt);
        return 0;
    }
    if (st == MATCH_OPTIONS_ERROR) {
        fprintf(stderr, "gomoku-match: %s\n(gomoku-match --help lists the options)\n", err);
        match_options_free(&opt);
        return 2;
    }
    match_openings_t openings = {0};
    if (opt.openings_path &&
        (!match_openings_load(opt.openings_path, opt.size, &openings, err, sizeof(err)) ||
         !check_openings(&openings, &opt, err, sizeof(err)))) {
        fprintf(stderr, "gomoku-match: %s\n", err);
        match_openings_free(&openings);
        match_options_free(&opt);
        return 2;
    }
    if (opt.games == 0)
        opt.games = openings.n > 0 ? 2 * openings.n : 2;

    int status = 1;
    FILE *jsonl = NULL;
    int stderr_fd = -1;
    if (opt.jsonl_path && !(jsonl = fopen(opt.jsonl_path, "ae"))) {
        fprintf(stderr, "gomoku-match: --jsonl %s: %s\n", opt.jsonl_path, strerror(errno));
        goto out;
    }
    stderr_fd = opt.stderr_path
                    ? open(opt.stderr_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                    : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (stderr_fd < 0) {
        fprintf(stderr, "gomoku-match: %s: %s\n", opt.stderr_path ? opt.stderr_path : "/dev/null",
                strerror(errno));
        goto out;
    }

    signal(SIGPIPE, SIG_IGN); /* a dead brain's pipe: write() fails instead */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    match_run_t run = {
        .options = &opt,
        .openings = &openings,
        .settings = {.size = opt.size,
                     .rule = opt.rule,
                     .grace_ms = opt.grace_ms,
                     .start_ms = opt.start_ms,
                     .settle_ms = opt.settle_ms,
                     .max_memory = opt.max_memory,
                     .stderr_fd = stderr_fd},
        .out = stdout,
        .jsonl = jsonl,
        .stop_new = &stop_new,
        .abort = &abort_games,
    };
    for (int side = 0; side < 2; side++) {
        run.engines[side] = (match_engine_t){
            .label = side ? "B" : "A",
            .command = opt.command[side],
            .argv = opt.argv[side],
            .dir = opt.dir[side],
            .time_ms = opt.time_ms[side],
            .n_extra = opt.n_extra[side],
            .extra = opt.extra[side],
        };
    }
    match_tally_t tally = {
        .has_sprt = opt.has_sprt, .sprt = opt.sprt, .pentanomial = opt.pentanomial};
    printf("gomoku-match: A = %s (%d ms), B = %s (%d ms)\n", opt.command[0], opt.time_ms[0],
           opt.command[1], opt.time_ms[1]);
    printf("%d games, %d at once, %dx%d, %s, grace %d ms, %s%s\n", opt.games, opt.concurrency,
           opt.size, opt.size, game_rule_name(opt.rule), opt.grace_ms,
           openings.n ? "openings from " : "empty board", openings.n ? opt.openings_path : "");
    fflush(stdout);
    bool ok = match_sched_run(&run, &tally);
    match_output_summary(stdout, &tally, opt.command);
    if (run.write_failed)
        fprintf(stderr, "gomoku-match: --jsonl %s: write failed; the match was cut short\n",
                opt.jsonl_path);
    else if (!ok)
        fprintf(stderr, "gomoku-match: could not run the games (threads or memory)\n");
    status = !ok ? 1 : atomic_load(&stop_new) ? 130 : 0;
out:
    if (jsonl)
        fclose(jsonl);
    if (stderr_fd >= 0)
        close(stderr_fd);
    match_openings_free(&openings);
    match_options_free(&opt);
    return status;
}
