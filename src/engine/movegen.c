/*
 * movegen.c: forced-move filter and candidate generation. See movegen.h.
 */
#include "engine/movegen.h"

#include <string.h>

static inline int32_t cell_score(const board_t *b, int c)
{
    int us = b->to_move;
    return b->score[c][us] + b->score[c][3 - us];
}

static inline void push(move_list_t *ml, int c, int32_t score)
{
    ml->move[ml->n] = (uint16_t)c;
    ml->score[ml->n] = score;
    ml->n++;
}

/* Calls body for every on-board cell c in the stones' box widened by 2. */
#define FOR_BOX_CELLS(b, c, body)                                                                  \
    do {                                                                                           \
        int r0_ = (b)->box.rmin - 2 < 0 ? 0 : (b)->box.rmin - 2;                                   \
        int r1_ = (b)->box.rmax + 2 >= (b)->size ? (b)->size - 1 : (b)->box.rmax + 2;              \
        int c0_ = (b)->box.cmin - 2 < 0 ? 0 : (b)->box.cmin - 2;                                   \
        int c1_ = (b)->box.cmax + 2 >= (b)->size ? (b)->size - 1 : (b)->box.cmax + 2;              \
        for (int r_ = r0_; r_ <= r1_; r_++)                                                        \
            for (int c = board_cell(r_, c0_), e_ = board_cell(r_, c1_); c <= e_; c++) {            \
                body                                                                               \
            }                                                                                      \
    } while (0)

void movegen_candidates(const board_t *b, move_list_t *ml)
{
    ml->n = 0;
    FOR_BOX_CELLS(b, c, {
        if (board_is_candidate(b, c))
            push(ml, c, cell_score(b, c));
    });
}

void movegen_fours(const board_t *b, int color, move_list_t *ml)
{
    ml->n = 0;
    FOR_BOX_CELLS(b, c, {
        if (b->cell[c] == CELL_EMPTY && b->cls[c][color] >= THREAT_B4)
            push(ml, c, b->cls[c][color] * 4096 + cell_score(b, c));
    });
}

/*
 * Against an open-four threat: try every empty cell on the lines through the
 * threat cells (a defence must lie on the threatening line, within 5 steps)
 * and keep those after which the opponent has no open-four cell left. Trying
 * moves is exact for every shape (broken threes, double fours, overline
 * cases of exact five), at the price of a few dozen make/unmake pairs.
 */
static int add_defences(board_t *b, move_list_t *ml, int *work)
{
    int them = 3 - b->to_move;
    uint8_t seen[BOARD_CELLS / 8 + 1];
    int threats[16], n_threats = 0;
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < ml->n; i++)
        seen[ml->move[i] >> 3] |= (uint8_t)(1 << (ml->move[i] & 7));
    FOR_BOX_CELLS(b, c, {
        if (b->cell[c] == CELL_EMPTY && b->cls[c][them] >= THREAT_FLEX4 && n_threats < 16)
            threats[n_threats++] = c;
    });
    int found = 0;
    for (int t = 0; t < n_threats; t++)
        for (int d = 0; d < 4; d++)
            for (int k = -5; k <= 5; k++) {
                int x = threats[t] + k * board_dir[d];
                if (b->cell[x] != CELL_EMPTY || (seen[x >> 3] & (1 << (x & 7))))
                    continue;
                seen[x >> 3] |= (uint8_t)(1 << (x & 7));
                board_make(b, x);
                bool stops = b->count[them][THREAT_FLEX4] == 0 && b->count[them][THREAT_FIVE] == 0;
                board_unmake(b);
                (*work)++;
                if (stops) {
                    push(ml, x, cell_score(b, x));
                    found++;
                }
            }
    return found;
}

movegen_kind_t movegen_generate(board_t *b, move_list_t *ml, int *work)
{
    int us = b->to_move, them = 3 - us;
    ml->n = 0;
    if (b->count[them][THREAT_FIVE]) {
        FOR_BOX_CELLS(b, c, {
            if (b->cell[c] == CELL_EMPTY && b->cls[c][them] == THREAT_FIVE)
                push(ml, c, cell_score(b, c));
        });
        return MOVEGEN_BLOCK_FIVE;
    }
    if (b->count[them][THREAT_FLEX4]) {
        movegen_fours(b, us, ml);
        if (add_defences(b, ml, work) > 0)
            return MOVEGEN_DEFEND;
    }
    movegen_candidates(b, ml);
    return MOVEGEN_ALL;
}

void movegen_pick(move_list_t *ml, int i)
{
    int best = i;
    for (int j = i + 1; j < ml->n; j++)
        if (ml->score[j] > ml->score[best])
            best = j;
    if (best != i) {
        uint16_t m = ml->move[i];
        int32_t s = ml->score[i];
        ml->move[i] = ml->move[best];
        ml->score[i] = ml->score[best];
        ml->move[best] = m;
        ml->score[best] = s;
    }
}
