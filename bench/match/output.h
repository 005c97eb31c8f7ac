/*
 * output.h: what gomoku-match writes: one JSON line per game, a progress
 * line per game, the summary. Formatting only; the caller owns the files.
 */
#ifndef GOMOKU_MATCH_OUTPUT_H
#define GOMOKU_MATCH_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "match/game.h"
#include "match/stats.h"

/* Running totals of a match, from A's view. */
typedef struct match_tally {
    int played; /* finished games (aborted ones excluded) */
    match_trinomial_t tri;
    match_pentanomial_t penta;
    long reasons[MATCH_REASON_ABORTED + 1][2]; /* [reason][loser: 0 A, 1 B]; draws under [.][0] */
    long a_black_wins, b_black_wins;
    bool has_sprt, pentanomial;
    match_sprt_t sprt;
    double llr;
    match_sprt_state_t sprt_state;
} match_tally_t;

/* The game as one JSON object on one line, with its newline; malloc'd (the
 * caller frees it), NULL when out of memory. */
char *match_output_json(const match_game_t *g, int size, engine_rule_t rule,
                        const char *const commands[2]);

/* "game 3/20: ..." after each game. */
void match_output_progress(FILE *out, const match_game_t *g, int games, const match_tally_t *t);

/* The final score, Elo, LOS, draws, SPRT verdict and reasons. */
void match_output_summary(FILE *out, const match_tally_t *t, const char *const commands[2]);

/* Formats an Elo value: "+123.4", "-inf", "+inf". */
void match_output_elo(double elo, char *out, size_t cap);

#endif
