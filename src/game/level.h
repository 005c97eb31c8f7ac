/*
 * level.h: playing strength below full, for people to win against.
 *
 * An AI player's "level" 1..9 (10, or none, is full strength) names a node
 * budget, a number of root moves the engine ranks (multi-PV) and a
 * temperature: the move played is drawn among the ranked moves with
 * weights exp((score - best score) / temperature), so a weaker level
 * plays good moves, but not always the best. Levels 1 and 2 also play a
 * share of their moves at random near the stones (a beginner's level);
 * from level 3 up every move comes from the search, which never misses a
 * five nor the block of one (the engine takes a five first, and when the
 * opponent threatens one it ranks only the blocks).
 *
 * The draw is seeded: the same seed and the same position give the same
 * move. The table and its measured Elo ladder are in docs/engine.md.
 * Pure functions; thread-safe.
 */
#ifndef GOMOKU_GAME_LEVEL_H
#define GOMOKU_GAME_LEVEL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "game/record.h"

typedef struct game_level {
    uint64_t nodes;   /* node budget of one move (no clock: deterministic) */
    int multipv;      /* root moves ranked */
    int temperature;  /* in score units; the larger, the more often a worse move */
    int random_share; /* percent of moves played at random near the stones */
} game_level_t;

/* The parameters of level 1..9; NULL for 0 (not given), 10 and anything
 * else (full strength). */
const game_level_t *game_level(int level);

/* The first random number of the draw for the move after n_moves moves of a
 * game seeded with seed (splitmix64 of both). */
uint64_t game_level_rng(int64_t seed, int n_moves);

/* The next number of a splitmix64 sequence. */
uint64_t game_level_next(uint64_t *state);

/* Draws one of the n ranked lines (n >= 1, best first) with the level's
 * temperature; returns its index. */
int game_level_pick(const game_level_t *lv, const engine_line_t *lines, int n, uint64_t *rng);

/* With the level's random share, draws a random empty cell within two steps
 * of a stone of rec (none on an empty board) into *row, *col and returns
 * true; otherwise returns false. */
bool game_level_random_move(const game_level_t *lv, const game_record_t *rec, uint64_t *rng,
                            int *row, int *col);

#endif
