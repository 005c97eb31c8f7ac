/*
 * movegen.c: forced-move filter and candidate generation. See movegen.h.
 */
#include "engine/movegen.h"

#include <string.h>

#include "engine/eval.h"
#include "engine/forbid.h"

/* The two moves before this one, for the ordering's distance terms. */
typedef struct recent {
    int row[2], col[2];
    bool has[2];
} recent_t;

static recent_t recent_moves(const board_t *b)
{
    recent_t r = {{0, 0}, {0, 0}, {false, false}};
    for (int k = 0; k < 2 && k < b->n_moves; k++) {
        int m = b->moves[b->n_moves - 1 - k];
        r.row[k] = board_row(m);
        r.col[k] = board_col(m);
        r.has[k] = true;
    }
    return r;
}

/* The fitted ordering score (eval.h): attack and defence by shape, their
 * pair of classes, and the distance to the last two moves. */
static inline int32_t cell_score(const board_t *b, int c, const recent_t *r)
{
    int us = b->to_move, them = 3 - us, row = board_row(c), col = board_col(c);
    return b->score[c][us][EVAL_TO_MOVE] + b->score[c][them][EVAL_WAITING] +
           eval_policy_pair[b->cls[c][us]][b->cls[c][them]] +
           eval_policy_near[0][eval_near_bucket(row, col, r->row[0], r->col[0], r->has[0])] +
           eval_policy_near[1][eval_near_bucket(row, col, r->row[1], r->col[1], r->has[1])];
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

int32_t movegen_score(const board_t *b, int c)
{
    recent_t r = recent_moves(b);
    return cell_score(b, c, &r);
}

void movegen_candidates(const board_t *b, move_list_t *ml)
{
    ml->n = 0;
    int us = b->to_move;
    recent_t r = recent_moves(b);
    FOR_BOX_CELLS(b, c, {
        if (board_is_candidate(b, c) && !forbid_blocks(b, c, us))
            push(ml, c, cell_score(b, c, &r));
    });
}

/* The class counts say how many cells there are to find, so the scan of
 * the box stops at the last one (the VCF calls this at every node). */
void movegen_fours(const board_t *b, int color, move_list_t *ml)
{
    ml->n = 0;
    int left = 0;
    for (int cls = THREAT_B4; cls < THREAT_COUNT; cls++)
        left += b->count[color][cls];
    if (!left)
        return;
    recent_t r = recent_moves(b);
    FOR_BOX_CELLS(b, c, {
        if (b->cell[c] == CELL_EMPTY && b->cls[c][color] >= THREAT_B4) {
            if (!forbid_blocks(b, c, color))
                push(ml, c, b->cls[c][color] * 4096 + cell_score(b, c, &r));
            if (--left == 0)
                return;
        }
    });
}

/* Class of colour at cell t if a stone of the other colour stood on x, which
 * lies on t's line in direction d at offset o (1 <= |o| <= 5). */
static int class_if_blocked(const board_t *b, int t, int d, int o, int color)
{
    int other = 3 - color;
    int shift = 2 * (o < 0 ? o + 5 : o + 4);
    uint32_t key = b->key4[t][d] | (uint32_t)other << shift;
    uint8_t both = b->pat_table[pattern_index(b->rule, key)];
    int sh = color == CELL_BLACK ? 0 : 4;
    int p[4];
    for (int k = 0; k < 4; k++)
        p[k] = (b->pat[t][k] >> sh) & 15;
    p[d] = (both >> sh) & 15;
    return b->combos[pattern_combo_index(p[0], p[1], p[2], p[3])].cls;
}

/*
 * Against an open-four threat. Our stone can only weaken the opponent's
 * patterns, so a cell x defends exactly when every opponent open-four cell t
 * either is x or drops below THREAT_FLEX4 with our stone on x; and x can
 * only affect t if it lies within 5 steps on one of t's lines. That is
 * decided with one table lookup per (x, t) pair, without playing x, and is
 * exact for every shape (broken threes, double fours, exact-five overlines).
 */
static int add_defences(const board_t *b, move_list_t *ml)
{
    int them = 3 - b->to_move;
    uint8_t seen[BOARD_CELLS / 8 + 1];
    int threats[16], n_threats = 0;
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < ml->n; i++)
        seen[ml->move[i] >> 3] |= (uint8_t)(1 << (ml->move[i] & 7));
    /* A point forbidden to black threatens nothing. */
    FOR_BOX_CELLS(b, c, {
        if (b->cell[c] == CELL_EMPTY && b->cls[c][them] >= THREAT_FLEX4 && n_threats < 16 &&
            !forbid_blocks(b, c, them))
            threats[n_threats++] = c;
    });
    if (n_threats == 16 || n_threats == 0)
        return 0; /* too many to stop with one stone, or none at all */
    recent_t r = recent_moves(b);
    int found = 0;
    for (int t0 = 0; t0 < n_threats; t0++)
        for (int d0 = 0; d0 < 4; d0++)
            for (int k0 = -5; k0 <= 5; k0++) {
                int x = threats[t0] + k0 * board_dir[d0];
                if (b->cell[x] != CELL_EMPTY || (seen[x >> 3] & (1 << (x & 7))))
                    continue;
                seen[x >> 3] |= (uint8_t)(1 << (x & 7));
                bool stops = true;
                for (int t = 0; t < n_threats && stops; t++) {
                    if (threats[t] == x)
                        continue;
                    stops = false;
                    for (int d = 0; d < 4 && !stops; d++) {
                        int delta = x - threats[t];
                        if (delta % board_dir[d] != 0)
                            continue;
                        int o = delta / board_dir[d];
                        /* Same line only: a multiple of the step that stays
                         * within 5 cells (the row step 1 never wraps, since
                         * |delta| <= 5 < stride). */
                        if (o < -5 || o > 5 || o == 0)
                            continue;
                        if (d != 0 && board_row(x) - board_row(threats[t]) != o)
                            continue;
                        if (d == 0 && board_row(x) != board_row(threats[t]))
                            continue;
                        stops = class_if_blocked(b, threats[t], d, o, them) < THREAT_FLEX4;
                    }
                }
                if (stops && !forbid_blocks(b, x, b->to_move)) {
                    push(ml, x, cell_score(b, x, &r));
                    found++;
                }
            }
    return found;
}

movegen_kind_t movegen_generate(const board_t *b, move_list_t *ml)
{
    int us = b->to_move, them = 3 - us;
    ml->n = 0;
    if (b->count[them][THREAT_FIVE]) {
        recent_t r = recent_moves(b);
        FOR_BOX_CELLS(b, c, {
            if (b->cell[c] == CELL_EMPTY && b->cls[c][them] == THREAT_FIVE &&
                !forbid_blocks(b, c, us))
                push(ml, c, cell_score(b, c, &r));
        });
        return MOVEGEN_BLOCK_FIVE;
    }
    if (b->count[them][THREAT_FLEX4]) {
        movegen_fours(b, us, ml);
        if (add_defences(b, ml) > 0)
            return MOVEGEN_DEFEND;
    }
    movegen_candidates(b, ml);
    return MOVEGEN_ALL;
}

int movegen_flex4(const board_t *b, int color)
{
    if (!b->count[color][THREAT_FLEX4])
        return BOARD_NONE;
    FOR_BOX_CELLS(b, c, {
        if (b->cell[c] == CELL_EMPTY && b->cls[c][color] == THREAT_FLEX4 &&
            !forbid_blocks(b, c, color))
            return c;
    });
    return BOARD_NONE;
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
