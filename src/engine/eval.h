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
 *     EVAL_TEMPO + sum over empty cells of weight[TO_MOVE][shape of ours]
 *                - sum over empty cells of weight[WAITING][shape of theirs]
 *
 * The weights are fitted to labelled positions by bench/evaltrain, which
 * writes eval_weights.c (see docs/engine.md for the provenance).
 *
 * Thread rule: eval_init() runs once inside engine_init(); afterwards
 * everything here is read-only.
 */
#ifndef GOMOKU_ENGINE_EVAL_H
#define GOMOKU_ENGINE_EVAL_H

#include <stdint.h>

#define EVAL_SHAPES  715
#define EVAL_TO_MOVE 0
#define EVAL_WAITING 1

/* Fitted weights and tempo bonus (eval_weights.c, generated). */
extern const int16_t eval_weights[2][EVAL_SHAPES];
extern const int eval_tempo;
/* The label scale the weights were fitted at: sigmoid(eval / scale) is the
 * side to move's expected score. */
extern const int eval_scale;

/* Builds the combination index -> shape table. Idempotent. */
void eval_init(void);

/* Shape of a combination index (pattern_combo_index() of four patterns). */
int eval_shape(int combo_index);

/* The four patterns of a shape, strongest first. */
void eval_shape_patterns(int shape, int pats[4]);

#endif
