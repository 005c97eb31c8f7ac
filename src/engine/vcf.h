/*
 * vcf.h: victory by continuous fours, and by continuous threats.
 *
 * The attacker (side to move) plays only moves that make a four; each four
 * has exactly one defence, so the tree is nearly a line and can be followed
 * 20 and more plies deep. If the defender's forced block makes a four of his
 * own, the attacker must block it and may go on only if that block is again
 * a four. Results "no VCF within n fours" are cached per position.
 *
 * Under renju black never plays a forbidden point, so a white four whose
 * block is forbidden to black wins, and so does a white threat whose every
 * defence is: the classic renju winning technique.
 *
 * Used at the leaves of the main search (as its quiescence), at the root
 * before the main search, and for the defence: after each of our moves the
 * opponent's leaf runs it, which refutes moves that allow a VCF.
 */
#ifndef GOMOKU_ENGINE_VCF_H
#define GOMOKU_ENGINE_VCF_H

#include "engine/search.h"

/* Returns the number of plies to the attacker's five (1: five now, 3: after
 * one four that cannot be stopped, ...) when the side to move wins by
 * continuous fours using at most max_fours of his moves, else 0 (also when
 * the search was aborted: check ctx->aborted). When first is not NULL it
 * receives the first move of the win. Counts each move as a node. ply is
 * the caller's distance from the root: the solver uses ctx->lists[ply] and
 * above, which the caller must not need any more. */
int vcf_search(engine_ctx_t *ctx, int ply, int max_fours, int *first);

/* Victory by continuous threats (fours, open threes and moves that make a
 * four-three point) for the side to move, within max_threats attacker moves
 * and max_nodes nodes: plies to the five, or 0 when none was found (running
 * out of nodes is not an abort of the whole search; ctx->aborted still
 * reports the caller's limits). The defender's replies are complete, so a
 * result is a proven win. */
int vct_search(engine_ctx_t *ctx, int ply, int max_threats, uint64_t max_nodes, int *first);

#endif
