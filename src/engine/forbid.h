/*
 * forbid.h: renju's forbidden points for black, decided exactly.
 *
 * A point is forbidden to black when the stone there makes no five and
 * makes an overline (six or more), two fours (two lines, or two in one
 * line), or two threes. A three counts only if some move turns it into a
 * straight four (four in a row, both ends completing exactly five) and that
 * move is not itself forbidden, which is decided by the same function with
 * the stone in place: the definition is recursive and so is the code. A
 * move that makes five (in any line) does not count as that move: it wins
 * instead, and this is how established renju engines judge it (found by
 * bench/renju_forbid_check.py).
 *
 * The board's renju patterns (pattern.h) filter the cells first: a cell is
 * examined only if its black patterns show an overline, or two of "open
 * three candidate", "four", or a line with two completions. The exact test
 * reads the line keys with the hypothetical stones ORed in, so the board is
 * never changed (the search may ask at any node, for either side to move).
 *
 * Thread rule: forbid_init() runs once inside engine_init(); the rest only
 * reads the board it is given.
 */
#ifndef GOMOKU_ENGINE_FORBID_H
#define GOMOKU_ENGINE_FORBID_H

#include <stdbool.h>

#include "engine/board.h"

/* Builds the run-length tables. Called by engine_init(). */
void forbid_init(void);

/* True when c (an empty cell) might be forbidden to black: cheap, from the
 * cell's patterns and keys. False means certainly not forbidden. */
bool forbid_maybe(const board_t *b, int c);

/* Exactly what black would break by playing the empty cell c of b, whose
 * rule must be renju. */
engine_forbid_t forbid_kind(const board_t *b, int c);

/* True when colour may not play the empty cell c: black under renju on a
 * forbidden point. The test the search uses. */
static inline bool forbid_blocks(const board_t *b, int c, int color)
{
    return color == CELL_BLACK && b->rule == ENGINE_RULE_RENJU && forbid_maybe(b, c) &&
           forbid_kind(b, c) != ENGINE_FORBID_NONE;
}

#endif
