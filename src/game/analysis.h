/*
 * analysis.h: the answer of POST /gomoku/analyze.
 *
 * Turns a multi-PV search of a record's position into
 *   {"analysis": {"to_move", "depth", "nodes", "time_ms", "proven",
 *                 "moves": [{"move", "score", "win_probability", "depth",
 *                            "pv"}], ...}}
 * with cells in the record's notation (docs/api.md). Pure functions;
 * thread-safe.
 */
#ifndef GOMOKU_GAME_ANALYSIS_H
#define GOMOKU_GAME_ANALYSIS_H

#include <stddef.h>

#include "engine/engine.h"
#include "game/record.h"

/* Room for "loss in <any int>" and its NUL. */
#define GAME_PROVEN_MAX 24

/* What a score proves, from the side to move's view: "win in K" (K moves of
 * the side to move, the five included) for a score at or above
 * ENGINE_WIN_MIN, "loss in K" (K moves of the opponent) at or below
 * -ENGINE_WIN_MIN, otherwise "none". */
void game_analysis_proven(int score, char out[GAME_PROVEN_MAX]);

/* The estimated chance that the side to move wins: 1 for a proven win, 0
 * for a proven loss, otherwise 1 / (1 + exp(-score / engine_eval_scale())),
 * rounded to three decimals. */
double game_analysis_win_probability(int score);

/* The answer for rec (not finished) searched into *r; queue_ms is the time
 * the request waited for a search thread. A finished record (r may then be
 * NULL) answers no moves and its winner. Returns a malloc'd NUL-terminated
 * string (length in *len_out, may be NULL), or NULL when out of memory. */
char *game_analysis_to_json(const game_record_t *rec, const engine_result_t *r, double queue_ms,
                            size_t *len_out);

#endif
