/*
 * board.h: the search board, updated incrementally on make/unmake.
 *
 * Cells live in a flat array with a wall border of BOARD_PAD cells, so that
 * walking 5 steps along any line from an on-board cell stays in the array.
 * For every cell and direction the board keeps its line key (see pattern.h)
 * and line pattern; for every cell and colour the combined threat class,
 * ordering score and evaluation value; per colour the number of empty cells
 * of each threat class and the sum of their values. A move touches only the
 * 40 cells within 5 steps along its four lines.
 *
 * Invariants (checked by board_verify in tests): every field equals what
 * board_reset() followed by replaying the moves would compute (patterns,
 * classes, scores and values only for empty cells: those of occupied cells
 * are stale: they keep what they were when the cell was taken); unmake()
 * restores the state before the matching make(), from an undo log.
 *
 * Thread rule: a board belongs to one search context.
 */
#ifndef GOMOKU_ENGINE_BOARD_H
#define GOMOKU_ENGINE_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/eval.h"
#include "engine/pattern.h"

#define BOARD_PAD    5
#define BOARD_STRIDE (ENGINE_MAX_SIZE + 2 * BOARD_PAD)
#define BOARD_CELLS  (BOARD_STRIDE * BOARD_STRIDE)
#define BOARD_NONE   0 /* a cell index that is always a wall: "no move" */

enum { CELL_EMPTY = 0, CELL_BLACK = 1, CELL_WHITE = 2, CELL_WALL = 3 };

typedef struct board_box {
    int8_t rmin, rmax, cmin, cmax; /* rows/cols holding stones; rmin > rmax when none */
} board_box_t;

/* What make() changed at one empty cell in one direction, for unmake(). */
typedef struct board_undo {
    uint16_t cell;
    uint8_t dir;
    uint8_t pat;      /* the pattern byte before the change */
    uint16_t cidx[2]; /* black's and white's combination index before it */
} board_undo_t;

/* Most entries one move can push: 4 lines x 5 cells each side. */
#define BOARD_UNDO_PER_MOVE 40

typedef struct board {
    int size;
    engine_rule_t rule;
    int to_move; /* CELL_BLACK or CELL_WHITE */
    int n_moves;
    uint64_t key; /* Zobrist key: stones, side to move, size and rule */
    int reach;    /* how far along a line a stone can change patterns: 4 or 5 */
    const uint8_t *pat_table;
    const pattern_combo_t *combos;
    int count[3][THREAT_COUNT]; /* [colour][class]: empty cells of that class */
    int value[3][2]; /* [colour][EVAL_TO_MOVE or EVAL_WAITING]: sum of empty cells' values */
    /* [colour to move]: the evaluation network's sums over empty cells (eval.h) */
    int16_t acc[3][EVAL_NET_HIDDEN];
    board_box_t box;
    uint8_t cell[BOARD_CELLS];
    uint8_t near[BOARD_CELLS];        /* stones within Chebyshev distance 2 */
    uint32_t key4[BOARD_CELLS][4];    /* line keys, directions as board_dir[] */
    uint8_t pat[BOARD_CELLS][4];      /* low nibble black pattern, high nibble white */
    uint16_t cidx[BOARD_CELLS][3];    /* [cell][colour] index into the combination table */
    uint8_t cls[BOARD_CELLS][3];      /* [cell][colour] threat class; [0] unused */
    int16_t score[BOARD_CELLS][3][2]; /* [cell][colour][EVAL_TO_MOVE or EVAL_WAITING] */
    int16_t cval[BOARD_CELLS][3][2];
    uint16_t moves[ENGINE_MAX_CELLS];
    board_box_t box_stack[ENGINE_MAX_CELLS];
    /* Undo log: make() records every pattern it changes and the counts and
     * values before the move; unmake() puts them back instead of
     * recomputing (a pattern lookup per cell and line). Move i's entries
     * are undo[undo_start[i] .. undo_start[i + 1]). */
    int n_undo;
    int undo_start[ENGINE_MAX_CELLS];
    int count_stack[ENGINE_MAX_CELLS][3][THREAT_COUNT];
    int value_stack[ENGINE_MAX_CELLS][3][2];
    int16_t acc_stack[ENGINE_MAX_CELLS][2][EVAL_NET_HIDDEN];
    board_undo_t undo[ENGINE_MAX_CELLS * BOARD_UNDO_PER_MOVE];
} board_t;

extern const int board_dir[4];

/* Builds the Zobrist keys (fixed seed). Called by engine_init(). */
void board_init_tables(void);

/* Empties b for a size x size board under rule, black to move. */
void board_reset(board_t *b, int size, engine_rule_t rule);

/* Places a stone of the side to move on the empty on-board cell c and passes
 * the turn. */
void board_make(board_t *b, int c);

/* Takes back the last move. Precondition: b->n_moves > 0. */
void board_unmake(board_t *b);

/* Places a stone of colour on c without changing whose turn it is: for
 * setting up positions. */
void board_put(board_t *b, int c, int color);

/* Sets the side to move (for setting up positions). */
void board_set_to_move(board_t *b, int color);

/* Full recomputation of the Zobrist key, for tests. */
uint64_t board_compute_key(const board_t *b);

/* Returns true when every incremental field matches a recomputation. */
bool board_verify(const board_t *b);

/* The empty cell where colour has THREAT_FIVE, searching the lines through
 * the last move first; BOARD_NONE when there is none. */
int board_find_five(const board_t *b, int color);

static inline int board_cell(int row, int col)
{
    return (row + BOARD_PAD) * BOARD_STRIDE + col + BOARD_PAD;
}

static inline int board_row(int c)
{
    return c / BOARD_STRIDE - BOARD_PAD;
}

static inline int board_col(int c)
{
    return c % BOARD_STRIDE - BOARD_PAD;
}

/* True when c is an empty cell next to the stones (a move worth trying). */
static inline bool board_is_candidate(const board_t *b, int c)
{
    return b->cell[c] == CELL_EMPTY && b->near[c];
}

#endif
