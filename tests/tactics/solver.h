/*
 * solver.h: a small, deliberately plain threat solver used to prove the
 * answers of the tactical suite (tests/data/tactics), independently of the
 * engine in src/engine.
 *
 * It knows the two rules (freestyle: five or more wins; standard: exactly
 * five wins) and answers three questions exhaustively within a depth bound:
 *   - VCF: can the attacker win by a sequence of fours (each answered by the
 *     defender's only block), handling the defender's counter-fours?
 *   - VCT: can the attacker win by fours and threes, where after a three
 *     the defender may answer ANY empty cell (not a selection of
 *     "relevant" defences), so a VCT win found here is a real proof?
 *   - the lists of five-making cells and four-making moves.
 * Depths count attacker moves, the final five included: an open four is a
 * VCF of length 2.
 *
 * Correctness over speed: candidate moves come from a full scan of 5-cell
 * windows and every threat is confirmed by placing the stone and testing
 * the five directly. A transposition table (keyed by Zobrist hash, attacker
 * and search kind) keeps deep searches affordable.
 *
 * Not thread-safe: one ts_solver_t per thread.
 */
#ifndef GOMOKU_TACTICS_SOLVER_H
#define GOMOKU_TACTICS_SOLVER_H

#include <stdbool.h>
#include <stdint.h>

#define TS_MAX_SIZE  25
#define TS_MAX_CELLS (TS_MAX_SIZE * TS_MAX_SIZE)

enum { TS_EMPTY = 0, TS_BLACK = 1, TS_WHITE = 2 };
enum { TS_FREESTYLE = 0, TS_STANDARD = 1 };

typedef struct ts_board {
    int size;
    int rule; /* TS_FREESTYLE or TS_STANDARD */
    uint8_t cell[TS_MAX_CELLS];
    uint64_t hash;
} ts_board_t;

typedef struct ts_solver ts_solver_t;

/* Creates a solver with a 2^tt_bits entry table; NULL when out of memory. */
ts_solver_t *ts_solver_create(int tt_bits);
void ts_solver_destroy(ts_solver_t *s);
/* Nodes visited since creation (for reports). */
uint64_t ts_solver_nodes(const ts_solver_t *s);

void ts_board_init(ts_board_t *b, int size, int rule);
void ts_place(ts_board_t *b, int cell, int color);
void ts_remove(ts_board_t *b, int cell);

/* Would a stone of color on the empty cell make a winning line for the
 * board's rule? */
bool ts_makes_five(const ts_board_t *b, int cell, int color);

/* Every empty cell where color would make five; returns the count and
 * writes up to TS_MAX_CELLS cells into out. */
int ts_five_cells(const ts_board_t *b, int color, int *out);

/* Every empty cell where a stone of color makes a four (afterwards at least
 * one five cell exists that did not exist before); fives[i] receives how many
 * five cells move out[i] creates (2 or more: an open four or double four).
 * Precondition: color has no five cell now. */
int ts_four_moves(const ts_board_t *b, int color, int *out, int *fives);

/* Does color, to move, win by continuous fours within depth attacker moves? */
bool ts_vcf(ts_solver_t *s, ts_board_t *b, int attacker, int depth);

/* Shortest VCF length for attacker to move (1 = a five now), or 0 if there
 * is none within max_depth. */
int ts_vcf_length(ts_solver_t *s, ts_board_t *b, int attacker, int max_depth);

/* Does attacker, to move, win by fours and threes within depth attacker
 * moves, against every defence? Fours inside it are bounded by depth too. */
bool ts_vct(ts_solver_t *s, ts_board_t *b, int attacker, int depth);

/* Does attacker win by playing move first (then as ts_vcf / ts_vct with
 * depth - 1 moves left)? move must be empty. For the VCF the move must be a
 * four; for the VCT a four or a three (see solver.c). */
bool ts_wins_after(ts_solver_t *s, ts_board_t *b, int attacker, int move, int depth, bool vct);

/* Shortest VCT length, or 0 if none within max_depth. */
int ts_vct_length(ts_solver_t *s, ts_board_t *b, int attacker, int max_depth);

#endif
