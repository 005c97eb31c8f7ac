/*
 * eval.h: the static evaluation's learned weights.
 *
 * Every empty cell contributes, for each colour, a weight read by its
 * "shape": the multiset of the four line patterns (pattern.h) that a stone
 * of that colour would make there. The order of the four directions does
 * not matter, so there are C(13, 4) = 715 shapes. There are two weights per
 * shape: one for the cells of the side to move (a three of the side to move
 * is a threat to make a four now) and one for the cells of the side that
 * waits (a three of the waiting side must be answered). The evaluation from
 * the side to move's view is
 *
 *     threat[mask] + sum over empty cells of weight[TO_MOVE][shape of ours]
 *                  - sum over empty cells of weight[WAITING][shape of theirs]
 *
 * where mask (eval_threat_mask) says in 9 bits who has which threats now:
 * the tempo situation, which a sum over cells cannot see (an open three of
 * the side to move is worth a four next move; the same three of the side
 * waiting must be answered).
 *
 * On top of that sum sits a small network over the same inputs: each
 * hidden unit j sees
 *
 *     h_j = bias[j] + net_mask[mask][j] + sum over empty cells of
 *           net_shape[shape of ours][TO_MOVE, j] + net_shape[shape of theirs][WAITING, j]
 *
 * and the evaluation adds sum_j out[j] * max(h_j, 0). The sums over cells
 * are kept by the board as one accumulator per side to move, updated when a
 * cell's shape changes, so the network costs EVAL_NET_HIDDEN multiply-adds
 * per evaluation. It sees what a sum cannot: how threats of both sides
 * combine (many threes on both sides is not the sum of each).
 *
 * The weights are fitted to labelled positions by bench/evaltrain, which
 * writes eval_weights.c (see docs/engine.md for the provenance).
 *
 * Thread rule: eval_init() runs once inside engine_init(); afterwards
 * everything here is read-only.
 */
#ifndef GOMOKU_ENGINE_EVAL_H
#define GOMOKU_ENGINE_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/pattern.h"

#define EVAL_SHAPES  715
#define EVAL_TO_MOVE 0
#define EVAL_WAITING 1

#define EVAL_THREAT_MASKS 512

/* Hidden units. A build may set another width only together with tables
 * fitted at that width (train_eval built the same way); eval_weights.c
 * refuses to compile with any other. */
#ifndef EVAL_NET_HIDDEN
#define EVAL_NET_HIDDEN 16
#endif
/* The hidden sums are kept x EVAL_NET_IN_UNIT; out[] is in evaluation
 * units x EVAL_NET_OUT_UNIT. */
#define EVAL_NET_IN_UNIT  64
#define EVAL_NET_OUT_UNIT 64

/* Fitted weights (eval_weights.c, generated). */
extern const int16_t eval_weights[2][EVAL_SHAPES];
extern const int16_t eval_threat[EVAL_THREAT_MASKS];
/* [shape][(EVAL_TO_MOVE or EVAL_WAITING) * EVAL_NET_HIDDEN + unit]: both
 * rows of a shape side by side, as a cell's change reads them together */
extern const int16_t eval_net_shape[EVAL_SHAPES][2 * EVAL_NET_HIDDEN];
extern const int16_t eval_net_mask[EVAL_THREAT_MASKS][EVAL_NET_HIDDEN];
extern const int32_t eval_net_bias[EVAL_NET_HIDDEN];
extern const int32_t eval_net_out[EVAL_NET_HIDDEN];
/* Move ordering: a cell's score is eval_policy[EVAL_TO_MOVE][our shape] +
 * eval_policy[EVAL_WAITING][their shape] (attack plus defence), plus
 * eval_policy_pair[our class][their class] (a cell that attacks and
 * defends at once) and eval_policy_near[0][bucket of the distance to the
 * last move] + eval_policy_near[1][... to the move before it]. The scores
 * are logits of the oracle's move x EVAL_POLICY_UNIT. */
#define EVAL_POLICY_UNIT  200
#define EVAL_NEAR_BUCKETS 13
extern const int16_t eval_policy[2][EVAL_SHAPES];
extern const int16_t eval_policy_pair[THREAT_COUNT][THREAT_COUNT];
extern const int16_t eval_policy_near[2][EVAL_NEAR_BUCKETS];
/* The label scale the weights were fitted at: sigmoid(eval / scale) is the
 * side to move's expected score. */
extern const int eval_scale;

/* Bucket of a cell's distance from an earlier move at (orow, ocol):
 * 2 x (Chebyshev distance - 1, at most 5) + 1 when the move lies on one of
 * the cell's four lines; the last bucket when there is no such move. */
static inline int eval_near_bucket(int row, int col, int orow, int ocol, bool has_other)
{
    if (!has_other)
        return EVAL_NEAR_BUCKETS - 1;
    int dr = row > orow ? row - orow : orow - row, dc = col > ocol ? col - ocol : ocol - col;
    int cheb = dr > dc ? dr : dc;
    return (cheb > 6 ? 5 : cheb - 1) * 2 + (dr == 0 || dc == 0 || dr == dc);
}

/* The threat mask from the threat-class counts of the side to move (us)
 * and of the side waiting (them): empty cells per class, as board.h keeps
 * them. */
static inline int eval_threat_mask(const int *us, const int *them)
{
    int u3 = us[THREAT_F3] + us[THREAT_F3PLUS], t3 = them[THREAT_F3] + them[THREAT_F3PLUS];
    return (us[THREAT_B4F3] + us[THREAT_F3X2] > 0) | (us[THREAT_B4] + us[THREAT_B4PLUS] > 0) << 1 |
           (u3 > 0) << 2 | (u3 > 3) << 3 | (them[THREAT_FLEX4] > 0) << 4 |
           (them[THREAT_FLEX4] > 2) << 5 | (them[THREAT_B4F3] + them[THREAT_F3X2] > 0) << 6 |
           (them[THREAT_B4] + them[THREAT_B4PLUS] > 0) << 7 | (t3 > 0) << 8;
}

/* The network's part of the evaluation, from the side to move's
 * accumulator (the sum over cells above, without bias and mask). */
static inline int eval_net(const int16_t acc[EVAL_NET_HIDDEN], int mask)
{
    int64_t sum = 0;
    for (int j = 0; j < EVAL_NET_HIDDEN; j++) {
        int32_t h = acc[j] + eval_net_bias[j] + eval_net_mask[mask][j];
        sum += (int64_t)eval_net_out[j] * (h > 0 ? h : 0);
    }
    return (int)(sum / (EVAL_NET_IN_UNIT * EVAL_NET_OUT_UNIT));
}

/* Builds the combination index -> shape table. Idempotent. */
void eval_init(void);

/* Shape of a combination index (pattern_combo_index() of four patterns). */
int eval_shape(int combo_index);

/* The four patterns of a shape, strongest first. */
void eval_shape_patterns(int shape, int pats[4]);

#endif
