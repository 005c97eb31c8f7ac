/*
 * schedule.h: runs the games of a match, N at once.
 *
 * `concurrency` worker threads take game numbers in order; game k (0-based)
 * plays opening (k / 2) mod n_openings with A black when k is even. Each
 * finished game is tallied, printed and written under one lock, in the
 * order games finish. The match stops launching games when the SPRT
 * decides or *stop_new is set (the first Ctrl-C); games in progress then
 * finish normally unless *abort is set (the second Ctrl-C).
 */
#ifndef GOMOKU_MATCH_SCHEDULE_H
#define GOMOKU_MATCH_SCHEDULE_H

#include <stdatomic.h>
#include <stdio.h>

#include "match/game.h"
#include "match/openings.h"
#include "match/options.h"
#include "match/output.h"

typedef struct match_run {
    const match_options_t *options;
    const match_openings_t *openings; /* n == 0: empty board */
    match_settings_t settings;
    match_engine_t engines[2];
    FILE *out;   /* progress lines and summary */
    FILE *jsonl; /* may be NULL */
    atomic_int *stop_new;
    atomic_int *abort;
    bool write_failed;
} match_run_t;

/* Plays the match; fills *tally. False when a thread could not be started
 * or a JSON line could not be written (the match is then cut short). */
bool match_sched_run(match_run_t *run, match_tally_t *tally);

/* Adds a finished game to the tally (and, once its pair partner is done,
 * the pair to the pentanomial counts). results[k] holds game k+1's result
 * for A: 2 win, 1 draw, 0 loss, -1 not finished; the SPRT is updated. */
void match_tally_add(match_tally_t *t, const match_game_t *g, signed char *results);

#endif
