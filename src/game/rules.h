/*
 * rules.h: who has won on a plain board.
 *
 * A deliberately simple scan (no patterns, no tables): the game layer and the
 * client use it to judge records, and tests use it as the referee that the
 * engine's own win detection is checked against. No state; thread-safe.
 */
#ifndef GOMOKU_GAME_RULES_H
#define GOMOKU_GAME_RULES_H

#include <stdbool.h>

#include "engine/engine.h"

/* Cells hold ENGINE_EMPTY, ENGINE_BLACK (X) or ENGINE_WHITE (O), row-major,
 * size x size. */
typedef struct game_board {
    int size;
    unsigned char cells[ENGINE_MAX_CELLS];
} game_board_t;

/* The line of stones that made a win, from one end to the other. */
typedef struct game_line {
    int n;
    int rows[ENGINE_MAX_SIZE];
    int cols[ENGINE_MAX_SIZE];
} game_line_t;

/* True when the stone at (row, col) is part of a winning line for its colour
 * under `rule`: five or more in a row for freestyle, exactly five for
 * standard, and under renju exactly five for black, five or more for white.
 * Fills *line (may be NULL) with that line. What renju forbids to black is
 * the engine's to judge (engine_forbidden(); record.c asks it). */
bool game_is_win_at(const game_board_t *board, engine_rule_t rule, int row, int col,
                    game_line_t *line);

/* True when no cell is empty. */
bool game_board_full(const game_board_t *board);

#endif
