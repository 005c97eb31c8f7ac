/*
 * movegen.h: which moves a node searches.
 *
 * The forced-move filter cuts the branching factor in tactical positions:
 * if the opponent has a five next move, only the block; if the opponent can
 * make an open four (an open three or a double-four point on the board),
 * only the cells that take that away plus our own fours, which gain tempo;
 * otherwise every empty cell within two steps of a stone. Scores are the
 * pattern score of the cell for us (attack) plus for them (defence).
 *
 * Under renju no list holds a point forbidden to black (forbid.h), and a
 * forbidden point is no threat of black's: a BLOCK_FIVE list may then be
 * empty (black cannot block: lost).
 *
 * Precondition of movegen_generate(): the side to move has no five (the
 * search takes that win before generating moves).
 */
#ifndef GOMOKU_ENGINE_MOVEGEN_H
#define GOMOKU_ENGINE_MOVEGEN_H

#include "engine/board.h"

typedef enum movegen_kind {
    MOVEGEN_ALL,        /* nothing forced: all candidates */
    MOVEGEN_BLOCK_FIVE, /* the opponent threatens five */
    MOVEGEN_DEFEND      /* the opponent threatens an open four */
} movegen_kind_t;

typedef struct move_list {
    int n;
    uint16_t move[ENGINE_MAX_CELLS];
    int32_t score[ENGINE_MAX_CELLS];
} move_list_t;

/* Fills ml for the side to move and returns which filter applied. */
movegen_kind_t movegen_generate(const board_t *b, move_list_t *ml);

/* Every empty cell within two steps of a stone, scored. */
void movegen_candidates(const board_t *b, move_list_t *ml);

/* The ordering score that the lists give empty cell c, for the side to
 * move (eval.h); for the trainer, which reports the engine's ordering. */
int32_t movegen_score(const board_t *b, int c);

/* Moves that make a four (THREAT_B4 or better) for colour, scored. */
void movegen_fours(const board_t *b, int color, move_list_t *ml);

/* An empty cell where colour makes an open four or a double four and may
 * play (not forbidden), or BOARD_NONE. */
int movegen_flex4(const board_t *b, int color);

/* Moves the element with the highest score among [i, n) to position i. */
void movegen_pick(move_list_t *ml, int i);

#endif
