/*
 * search.c: iterative deepening over a negamax principal-variation search.
 *
 * Per node: 1. count the node and check the limits; 2. settle what the
 * threat counts already decide (five now, two opposing fives, an open four
 * with no opposing five); 3. mate-distance bounds; 4. hash probe; 5. at the
 * horizon, a VCF search stands in for quiescence; 5b. reverse futility near
 * the horizon; 6. forced-move filter and
 * ordering (hash move, killers, counter-move, pattern score, history);
 * 7. PVS with late move reductions on quiet and defence-only moves; 8. hash
 * store.
 */
#include "engine/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/eval.h"
#include "engine/forbid.h"
#include "engine/vcf.h"

/* VCF lengths in attacker moves: at the leaves deep enough for the usual
 * threat sequences while a failed attempt stays cheap; at the root, where it
 * runs once, much deeper. */
#define VCF_LEAF_FOURS 8
#define VCF_ROOT_FOURS 30
/* The root VCT looks for short wins first (up to 6 threats), then with
 * the nodes left for longer ones (up to 10): one deep search alone can
 * spend its budget on long failing lines and miss a short win. */
#define VCT_ROOT_SHORT   6
#define VCT_ROOT_LONG    10
#define ASPIRATION_DELTA 60
#define KILLER_BONUS     (300 * 1024)
#define COUNTER_BONUS    (200 * 1024)
#define HISTORY_MAX      (1 << 20)
#define LMR_MOVES        64
#define FUTILITY_MARGIN  120
/* Reverse futility: a static value this far above beta per ply of depth,
 * at depth <= RFP_DEPTH, is taken as a cut-off. */
#define RFP_DEPTH  5
#define RFP_MARGIN 100

/* Late-move reductions in plies by [depth][move index], from
 * 0.5 + ln(depth) * ln(index) / 1.6 (was ln * ln / 2: 7% fewer nodes at
 * depth 9): mild for the first moves and shallow depths, several plies
 * for the tail of a deep node. */
static uint8_t lmr_table[SEARCH_MAX_DEPTH + 1][LMR_MOVES];

/* The late-move reduction of the index-th move of a node of depth. */
static int lmr_reduction(int depth, int index)
{
    return lmr_table[depth < SEARCH_MAX_DEPTH ? depth : SEARCH_MAX_DEPTH]
                    [index < LMR_MOVES ? index : LMR_MOVES - 1];
}

/* Root moves from this index on that make no open three of ours are
 * searched first with the late-move reduction, like the inner nodes' quiet
 * moves, and again at full depth only if they beat the best so far. */
#define ROOT_LMR_FROM 3

/* Quiet moves tried at depth 1..LMP_DEPTH of a non-PV node before the rest
 * are skipped; pattern ordering puts the useful ones first. */
#define LMP_DEPTH 6
static const int lmp_limit[LMP_DEPTH + 1] = {0, 6, 9, 14, 20, 28, 38};

void search_init(void)
{
    for (int d = 1; d <= SEARCH_MAX_DEPTH; d++)
        for (int i = 1; i < LMR_MOVES; i++) {
            double r = 0.5 + log((double)d) * log((double)i) / 1.6;
            lmr_table[d][i] = (uint8_t)(r + 0.5);
        }
}

int search_evaluate(const board_t *b)
{
    int us = b->to_move, them = 3 - us;
    int mask = eval_threat_mask(b->count[us], b->count[them]);
    return eval_threat[mask] + b->value[us][EVAL_TO_MOVE] - b->value[them][EVAL_WAITING] +
           eval_net(b->acc[us], mask);
}

bool search_flex4(const board_t *b, int color)
{
    if (color != CELL_BLACK || b->rule != ENGINE_RULE_RENJU)
        return b->count[color][THREAT_FLEX4] > 0;
    return movegen_flex4(b, color) != BOARD_NONE;
}

/* Moves an unforced node searches at most: 32 at PV nodes, 20 at others,
 * fewer near the horizon (10 at depth 1), where the ordering's tail rarely
 * matters. */
static int move_cap(int depth, bool pv_node)
{
    if (pv_node)
        return 32;
    return depth <= 6 ? 8 + 2 * depth : 20;
}

static void update_pv(engine_ctx_t *ctx, int ply, int m)
{
    int n = ctx->pv_len[ply + 1];
    ctx->pv[ply][0] = (uint16_t)m;
    memcpy(&ctx->pv[ply][1], ctx->pv[ply + 1], (size_t)n * sizeof(ctx->pv[0][0]));
    ctx->pv_len[ply] = n + 1;
}

static void order_moves(engine_ctx_t *ctx, move_list_t *ml, int ply, int tt_move)
{
    const board_t *b = &ctx->board;
    int us = b->to_move;
    int counter = b->n_moves ? ctx->counter[us][b->moves[b->n_moves - 1]] : BOARD_NONE;
    for (int i = 0; i < ml->n; i++) {
        int m = ml->move[i];
        int32_t h = ctx->history[us][m];
        int32_t s = ml->score[i] * 1024 + (h > 1023 ? 1023 : h < -1023 ? -1023 : h);
        if (m == tt_move)
            s = INT32_MAX;
        else if (m == ctx->killer[ply][0] || m == ctx->killer[ply][1])
            s += KILLER_BONUS;
        else if (m == counter)
            s += COUNTER_BONUS;
        ml->score[i] = s;
    }
}

/* Quiet: makes no open three or better, for either side, on the cell.
 * (Counting lone fours as quiet too saved 15% of the nodes at depth 9 but
 * lost a 200 ms match 10-16 to the version without it.) */
static bool is_quiet(const board_t *b, int m)
{
    return b->cls[m][b->to_move] < THREAT_F3 && b->cls[m][3 - b->to_move] < THREAT_F3;
}

static void reward(engine_ctx_t *ctx, int ply, int m, int depth, const uint16_t *tried, int n_tried)
{
    const board_t *b = &ctx->board;
    int us = b->to_move;
    if (ctx->killer[ply][0] != m) {
        ctx->killer[ply][1] = ctx->killer[ply][0];
        ctx->killer[ply][0] = (uint16_t)m;
    }
    if (b->n_moves)
        ctx->counter[us][b->moves[b->n_moves - 1]] = (uint16_t)m;
    int32_t *h = &ctx->history[us][m];
    *h += depth * depth;
    if (*h > HISTORY_MAX)
        *h = HISTORY_MAX;
    for (int i = 0; i < n_tried; i++) {
        h = &ctx->history[us][tried[i]];
        *h -= depth * depth;
        if (*h < -HISTORY_MAX)
            *h = -HISTORY_MAX;
    }
}

static int search(engine_ctx_t *ctx, int alpha, int beta, int depth, int ply, bool pv_node)
{
    board_t *b = &ctx->board;
    ctx->pv_len[ply] = 0;
    if (search_tick(ctx))
        return 0;
    if (ply > ctx->sel_depth)
        ctx->sel_depth = ply;

    /* 2. Decided by the threat counts. */
    int us = b->to_move, them = 3 - us;
    if (b->count[us][THREAT_FIVE])
        return ENGINE_WIN - (ply + 1);
    int their_fives = b->count[them][THREAT_FIVE];
    if (their_fives >= 2)
        return -(ENGINE_WIN - (ply + 2));
    if (!their_fives && b->count[us][THREAT_FLEX4] && search_flex4(b, us))
        return ENGINE_WIN - (ply + 3);
    if (ply >= SEARCH_MAX_PLY - 4)
        return search_evaluate(b);

    /* 3. No result can beat a five at ply + 3 or lose before ply + 2. */
    if (alpha < -(ENGINE_WIN - (ply + 2)))
        alpha = -(ENGINE_WIN - (ply + 2));
    if (beta > ENGINE_WIN - (ply + 3))
        beta = ENGINE_WIN - (ply + 3);
    if (alpha >= beta)
        return alpha;

    /* 4. Hash probe. */
    tt_data_t te;
    int tt_move = BOARD_NONE;
    if (tt_probe(&ctx->tt, b->key, &te)) {
        if (te.move < BOARD_CELLS && b->cell[te.move] == CELL_EMPTY)
            tt_move = te.move;
        if (!pv_node && te.depth >= depth) {
            int v = tt_value_from(te.value, ply);
            if (te.bound == TT_BOUND_EXACT || (te.bound == TT_BOUND_LOWER && v >= beta) ||
                (te.bound == TT_BOUND_UPPER && v <= alpha))
                return v;
        }
    }

    /* 5. Horizon: a forced win by fours, else the static value. A pending
     * five threat is never left at the horizon: its block is searched. */
    if (depth <= 0 && !their_fives) {
        int r = vcf_search(ctx, ply, VCF_LEAF_FOURS, NULL);
        if (ctx->aborted)
            return 0;
        return r ? ENGINE_WIN - (ply + r) : search_evaluate(b);
    }

    /* 5b. Reverse futility: at a shallow non-PV node where the opponent
     * threatens neither a five nor an open four, a static value far enough
     * above beta stands for the search: a move almost never makes the
     * mover's position worse, so the value is about a lower bound. */
    if (!pv_node && depth <= RFP_DEPTH && !their_fives && !b->count[them][THREAT_FLEX4] &&
        abs(beta) < ENGINE_WIN_MIN) {
        int stat = search_evaluate(b);
        if (stat - RFP_MARGIN * depth >= beta)
            return stat;
    }

    /* 6. Moves. */
    move_list_t *ml = &ctx->lists[ply];
    movegen_kind_t kind = movegen_generate(b, ml);
    if (ml->n == 0) /* board full: draw; or (renju) black's only blocks are forbidden */
        return kind == MOVEGEN_BLOCK_FIVE ? -(ENGINE_WIN - (ply + 2)) : 0;
    order_moves(ctx, ml, ply, tt_move);
    /* A single legal reply costs no depth, so forced lines are read out. */
    int new_depth = ml->n == 1 ? depth : depth - 1;
    if (ply + 2 < SEARCH_MAX_PLY)
        ctx->killer[ply + 2][0] = ctx->killer[ply + 2][1] = 0;

    /* 7. Principal-variation search. Quiet moves late in the order are
     * reduced, and at shallow non-PV nodes skipped: after the first few, or
     * all of them when the static value is too far below alpha for a quiet
     * move to make up (futility). Moves that make no three of ours but only
     * take a cell the opponent wants (defence only) are reduced too: in the
     * middle game they are most of the moves (93% of those searched in
     * free15-a were not quiet), and reducing them cut the nodes at depth 9
     * by 34%. A quiet move that fails low before a cut-off loses history. */
    int alpha_orig = alpha, best = -SEARCH_INF, best_move = BOARD_NONE;
    int n_quiet = 0, n_tried = 0;
    uint16_t tried[64];
    bool futile = !pv_node && kind == MOVEGEN_ALL && depth <= 3 &&
                  search_evaluate(b) + FUTILITY_MARGIN * depth <= alpha;
    for (int i = 0; i < ml->n; i++) {
        if (kind == MOVEGEN_ALL && i >= move_cap(depth, pv_node) && best > -ENGINE_WIN_MIN)
            break;
        movegen_pick(ml, i);
        int m = ml->move[i];
        bool quiet = kind == MOVEGEN_ALL && is_quiet(b, m) && m != ctx->killer[ply][0] &&
                     m != ctx->killer[ply][1] && m != tt_move;
        int reduction = 0;
        int their = b->cls[m][3 - b->to_move];
        bool defence_only = kind == MOVEGEN_ALL && !quiet && b->cls[m][b->to_move] < THREAT_F3 &&
                            m != ctx->killer[ply][0] && m != ctx->killer[ply][1] && m != tt_move;
        /* Taking away a cell where the opponent would make more than one
         * open three or a four with a three is reduced by one ply at most. */
        bool strong_defence = defence_only && their > THREAT_F3 && their != THREAT_B4;
        if (quiet) {
            n_quiet++;
            if (best > -ENGINE_WIN_MIN &&
                ((!pv_node && depth <= LMP_DEPTH && n_quiet > lmp_limit[depth]) || futile))
                continue;
        }
        if (quiet || defence_only) {
            if (depth >= 3 && i >= 2) {
                reduction = lmr_reduction(depth, i);
                if (pv_node && reduction > 0)
                    reduction--;
                if (strong_defence && reduction > 1)
                    reduction = 1;
                if (reduction > new_depth - 1)
                    reduction = new_depth - 1 > 0 ? new_depth - 1 : 0;
            }
        }
        board_make(b, m);
        tt_prefetch(&ctx->tt, b->key);
        int v;
        if (i == 0) {
            v = -search(ctx, -beta, -alpha, new_depth, ply + 1, pv_node);
        } else {
            v = -search(ctx, -alpha - 1, -alpha, new_depth - reduction, ply + 1, false);
            if (v > alpha && reduction && !ctx->aborted)
                v = -search(ctx, -alpha - 1, -alpha, new_depth, ply + 1, false);
            if (v > alpha && v < beta && pv_node && !ctx->aborted)
                v = -search(ctx, -beta, -alpha, new_depth, ply + 1, true);
        }
        board_unmake(b);
        if (ctx->aborted)
            return 0;
        if (v > best) {
            best = v;
            best_move = m;
            if (v > alpha) {
                alpha = v;
                if (pv_node)
                    update_pv(ctx, ply, m);
                if (v >= beta) {
                    if (quiet)
                        reward(ctx, ply, m, depth, tried, n_tried);
                    break;
                }
            }
        }
        if (quiet && n_tried < 64)
            tried[n_tried++] = (uint16_t)m;
    }

    /* 8. Hash store. */
    int bound = best >= beta ? TT_BOUND_LOWER : best > alpha_orig ? TT_BOUND_EXACT : TT_BOUND_UPPER;
    tt_store(&ctx->tt, b->key, tt_value_to(best, ply), depth, bound, best_move);
    return best;
}

/* One pass over the root moves with window (alpha, beta). *best_move is set
 * to each move that raises alpha, so after an abort it holds the best move
 * proven so far in this pass (or is untouched). */
static int root_pass(engine_ctx_t *ctx, int depth, int alpha, int beta, int *best_move)
{
    board_t *b = &ctx->board;
    move_list_t *rl = &ctx->root;
    int new_depth = rl->n == 1 ? depth : depth - 1;
    int best = -SEARCH_INF;
    ctx->pv_len[0] = 0;
    for (int i = 0; i < rl->n; i++) {
        int m = rl->move[i];
        int reduction = 0;
        if (i >= ROOT_LMR_FROM && depth >= 3 && b->cls[m][b->to_move] < THREAT_F3) {
            reduction = lmr_reduction(depth, i);
            if (reduction > new_depth - 1)
                reduction = new_depth - 1 > 0 ? new_depth - 1 : 0;
        }
        board_make(b, m);
        int v;
        if (i == 0) {
            v = -search(ctx, -beta, -alpha, new_depth, 1, true);
        } else {
            v = -search(ctx, -alpha - 1, -alpha, new_depth - reduction, 1, false);
            if (v > alpha && reduction && !ctx->aborted)
                v = -search(ctx, -alpha - 1, -alpha, new_depth, 1, false);
            if (v > alpha && v < beta && !ctx->aborted)
                v = -search(ctx, -beta, -alpha, new_depth, 1, true);
        }
        board_unmake(b);
        if (ctx->aborted)
            break;
        if (v > best) {
            best = v;
            if (v > alpha) {
                alpha = v;
                *best_move = m;
                update_pv(ctx, 0, m);
                if (v >= beta)
                    break;
            }
        }
    }
    return best;
}

static void move_to_front(move_list_t *ml, int m)
{
    for (int i = 0; i < ml->n; i++)
        if (ml->move[i] == m) {
            memmove(&ml->move[1], &ml->move[0], (size_t)i * sizeof(ml->move[0]));
            ml->move[0] = (uint16_t)m;
            return;
        }
}

static void prepare(engine_ctx_t *ctx, const engine_limits_t *limits)
{
    bool deterministic = limits->time_ms <= 0;
    ctx->nodes = 0;
    ctx->node_limit = limits->nodes;
    ctx->poll_countdown = TIMEMAN_POLL_NODES;
    ctx->aborted = false;
    ctx->sel_depth = 0;
    tt_new_search(&ctx->tt, deterministic);
    memset(ctx->killer, 0, sizeof(ctx->killer));
    memset(ctx->counter, 0, sizeof(ctx->counter));
    memset(ctx->vcf_cache, 0, sizeof(ctx->vcf_cache));
    if (deterministic) {
        memset(ctx->history, 0, sizeof(ctx->history));
    } else {
        for (int color = 1; color <= 2; color++)
            for (int c = 0; c < BOARD_CELLS; c++)
                ctx->history[color][c] /= 2;
    }
}

static void fill_result(engine_result_t *out, int move, int score, int depth, const uint16_t *pv,
                        int n_pv)
{
    out->move.row = (int8_t)board_row(move);
    out->move.col = (int8_t)board_col(move);
    out->score = score;
    out->depth = depth;
    out->n_pv = 1;
    out->pv[0] = out->move;
    if (n_pv > 0 && pv[0] == move) {
        for (int i = 1; i < n_pv && i < ENGINE_MAX_PV; i++) {
            out->pv[i].row = (int8_t)board_row(pv[i]);
            out->pv[i].col = (int8_t)board_col(pv[i]);
        }
        out->n_pv = n_pv < ENGINE_MAX_PV ? n_pv : ENGINE_MAX_PV;
    }
}

/* An empty cell the side to move may play, or if there is none (renju, every
 * point forbidden to black) any empty cell. */
static int any_legal_move(const board_t *b)
{
    int fallback = BOARD_NONE;
    for (int r = 0; r < b->size; r++)
        for (int col = 0; col < b->size; col++) {
            int c = board_cell(r, col);
            if (b->cell[c] != CELL_EMPTY)
                continue;
            if (!forbid_blocks(b, c, b->to_move))
                return c;
            if (fallback == BOARD_NONE)
                fallback = c;
        }
    return fallback;
}

/* Nodes the root VCT may spend: about a tenth of what the limits allow. */
static uint64_t vct_budget(const engine_limits_t *limits)
{
    uint64_t cap = 50000;
    if (limits->time_ms > 0 && (uint64_t)limits->time_ms * 100 < cap)
        cap = (uint64_t)limits->time_ms * 100;
    if (limits->nodes > 0 && limits->nodes / 10 < cap)
        cap = limits->nodes / 10;
    return cap;
}

/* The root's threat search: short wins first, then longer ones with what
 * is left of the budget. */
static int root_vct(engine_ctx_t *ctx, uint64_t budget, int *first)
{
    uint64_t start = ctx->nodes;
    int r = vct_search(ctx, 0, VCT_ROOT_SHORT, budget, first);
    uint64_t used = ctx->nodes - start;
    if (r || ctx->aborted || used >= budget)
        return r;
    return vct_search(ctx, 0, VCT_ROOT_LONG, budget - used, first);
}

/*
 * If the opponent, given the move, would win by fours, keep only the root
 * moves after which he no longer can (each checked with the deep root VCF,
 * which finds longer sequences than the leaves do). When none is left the
 * position is lost anyway and the list stays as it was, for the search to
 * pick the longest resistance.
 */
static void keep_vcf_defences(engine_ctx_t *ctx)
{
    board_t *b = &ctx->board;
    int us = b->to_move;
    move_list_t *rl = &ctx->root;
    if (b->count[3 - us][THREAT_FIVE] || rl->n <= 1)
        return; /* the forced-move filter has already done this */
    board_set_to_move(b, 3 - us);
    int threat = vcf_search(ctx, 0, VCF_ROOT_FOURS, NULL);
    board_set_to_move(b, us);
    if (!threat || ctx->aborted)
        return;
    int kept = 0;
    uint16_t keep[ENGINE_MAX_CELLS];
    for (int i = 0; i < rl->n; i++) {
        board_make(b, rl->move[i]);
        int r = vcf_search(ctx, 1, VCF_ROOT_FOURS, NULL);
        board_unmake(b);
        if (ctx->aborted)
            return;
        if (!r)
            keep[kept++] = rl->move[i];
    }
    if (kept == 0)
        return;
    memcpy(rl->move, keep, (size_t)kept * sizeof(keep[0]));
    rl->n = kept;
}

/* One iteration of the deepening at depth: root passes in an aspiration
 * window around the previous iteration's score prev, widened (doubling) on
 * a fail-low or fail-high until the score falls inside. *pass_move as for
 * root_pass(). */
static int aspiration_iteration(engine_ctx_t *ctx, int depth, int prev, int *pass_move)
{
    int delta = ASPIRATION_DELTA, alpha = -SEARCH_INF, beta = SEARCH_INF, v;
    if (depth >= 4 && abs(prev) < ENGINE_WIN_MIN) {
        alpha = prev - delta;
        beta = prev + delta;
    }
    for (;;) {
        v = root_pass(ctx, depth, alpha, beta, pass_move);
        if (ctx->aborted)
            break;
        if (v <= alpha && alpha > -SEARCH_INF) {
            beta = (alpha + beta) / 2;
            alpha = v - delta < -SEARCH_INF ? -SEARCH_INF : v - delta;
        } else if (v >= beta && beta < SEARCH_INF) {
            beta = v + delta > SEARCH_INF ? SEARCH_INF : v + delta;
        } else {
            break;
        }
        delta *= 2;
    }
    return v;
}

/* After an iteration that started at iter_start: whether the next one may
 * start, its cost predicted as this one's time times the growth from the
 * one before (at least 2, at most 6). */
static bool next_iteration_may_start(engine_ctx_t *ctx, int64_t iter_start, int64_t *iter_ns,
                                     int64_t *prev_iter_ns)
{
    *prev_iter_ns = *iter_ns;
    *iter_ns = timeman_now_ns() - iter_start;
    int64_t growth = *prev_iter_ns > 0 ? *iter_ns / *prev_iter_ns : 6;
    growth = growth < 2 ? 2 : growth > 6 ? 6 : growth;
    return timeman_may_start(&ctx->tm, *iter_ns * growth);
}

/* The single-PV search: what engine_search() has always done. */
static void search_best(engine_ctx_t *ctx, const engine_limits_t *limits, engine_result_t *out)
{
    board_t *b = &ctx->board;
    int us = b->to_move;
    uint16_t best_pv[SEARCH_MAX_PLY];
    int n_best_pv = 0, score = 0, done_depth = 0;
    prepare(ctx, limits);

    /* Five now: nothing to search. */
    if (b->count[us][THREAT_FIVE]) {
        int m = board_find_five(b, us);
        ctx->nodes = 1;
        fill_result(out, m, ENGINE_WIN - 1, 1, NULL, 0);
        return;
    }

    movegen_kind_t root_kind = movegen_generate(b, &ctx->root);
    if (ctx->root.n == 0) {
        /* Renju: black's every block (or every move) is forbidden. */
        fill_result(out, any_legal_move(b), root_kind == MOVEGEN_BLOCK_FIVE ? -(ENGINE_WIN - 2) : 0,
                    1, NULL, 0);
        return;
    }
    for (int i = 0; i < ctx->root.n; i++)
        movegen_pick(&ctx->root, i);
    int best_move = ctx->root.move[0];

    /* A forced win by fours, or by threats, needs no main search. */
    int first = BOARD_NONE;
    int r = vcf_search(ctx, 0, VCF_ROOT_FOURS, &first);
    if (!r && !ctx->aborted)
        r = root_vct(ctx, vct_budget(limits), &first);
    if (r && first != BOARD_NONE && b->cell[first] == CELL_EMPTY) {
        fill_result(out, first, ENGINE_WIN - r, r, NULL, 0);
        return;
    }
    if (!ctx->aborted)
        keep_vcf_defences(ctx);

    int max_depth =
        limits->depth > 0 && limits->depth < SEARCH_MAX_DEPTH ? limits->depth : SEARCH_MAX_DEPTH;
    int prev = 0;
    int64_t iter_ns = 0, prev_iter_ns = 0;
    for (int depth = 1; depth <= max_depth && !ctx->aborted; depth++) {
        int64_t iter_start = timeman_now_ns();
        int pass_move = BOARD_NONE;
        int v = aspiration_iteration(ctx, depth, prev, &pass_move);
        if (ctx->aborted) {
            if (pass_move != BOARD_NONE && pass_move != best_move) {
                best_move = pass_move;
                n_best_pv = 0;
            }
            break;
        }
        best_move = pass_move != BOARD_NONE ? pass_move : ctx->root.move[0];
        score = prev = v;
        done_depth = depth;
        n_best_pv = ctx->pv_len[0];
        memcpy(best_pv, ctx->pv[0], (size_t)n_best_pv * sizeof(best_pv[0]));
        move_to_front(&ctx->root, best_move);
        if (abs(v) >= ENGINE_WIN_MIN || (ctx->root.n == 1 && depth >= 2))
            break;
        if (!next_iteration_may_start(ctx, iter_start, &iter_ns, &prev_iter_ns))
            break;
    }
    fill_result(out, best_move, score, done_depth, best_pv, n_best_pv);
}

static void line_from_result(const engine_result_t *r, engine_line_t *line)
{
    line->move = r->move;
    line->score = r->score;
    line->depth = r->depth;
    line->n_pv = r->n_pv;
    memcpy(line->pv, r->pv, (size_t)r->n_pv * sizeof(r->pv[0]));
}

/*
 * Gives the next phase of a multi-PV search 1/parts of what is left of the
 * node budget and of the time to the hard deadline hard_all (0: none); a
 * phase's soft limit is half of its share.
 */
static void phase_limits(engine_ctx_t *ctx, const engine_limits_t *limits, int64_t hard_all,
                         int parts)
{
    if (hard_all) {
        int64_t now = timeman_now_ns();
        int64_t hard = hard_all > now ? now + (hard_all - now) / parts : hard_all;
        ctx->tm.hard_ns = hard;
        ctx->tm.soft_ns = now + (hard - now) / 2;
    }
    if (limits->nodes) {
        uint64_t left = limits->nodes > ctx->nodes ? limits->nodes - ctx->nodes : 0;
        ctx->node_limit = ctx->nodes + (left / (uint64_t)parts > 0 ? left / (uint64_t)parts : 1);
    }
    ctx->aborted = false;
    ctx->poll_countdown = TIMEMAN_POLL_NODES;
}

/* True when the whole search's limits or the stop flag are used up. */
static bool budget_spent(engine_ctx_t *ctx, const engine_limits_t *limits, int64_t hard_all)
{
    ctx->tm.hard_ns = hard_all;
    return (limits->nodes && ctx->nodes >= limits->nodes) || timeman_poll(&ctx->tm);
}

/*
 * The best line among the root moves of `all` that no earlier line took:
 * iterative deepening to max_depth over that reduced root, as the main
 * search does. False when no move is left or no iteration completed.
 */
static bool next_line(engine_ctx_t *ctx, const move_list_t *all, const engine_line_t *lines,
                      int n_lines, int max_depth, engine_line_t *out)
{
    move_list_t *rl = &ctx->root;
    rl->n = 0;
    for (int i = 0; i < all->n; i++) {
        int m = all->move[i];
        bool taken = false;
        for (int j = 0; j < n_lines && !taken; j++)
            taken = board_cell(lines[j].move.row, lines[j].move.col) == m;
        if (!taken)
            rl->move[rl->n++] = (uint16_t)m;
    }
    if (rl->n == 0)
        return false;
    int best_move = rl->move[0], score = 0, prev = 0, done_depth = 0, n_best_pv = 0;
    uint16_t best_pv[SEARCH_MAX_PLY];
    int64_t iter_ns = 0, prev_iter_ns = 0;
    for (int depth = 1; depth <= max_depth && !ctx->aborted; depth++) {
        int64_t iter_start = timeman_now_ns();
        int pass_move = BOARD_NONE;
        int v = aspiration_iteration(ctx, depth, prev, &pass_move);
        if (ctx->aborted)
            break; /* only completed iterations rank a move */
        best_move = pass_move != BOARD_NONE ? pass_move : rl->move[0];
        score = prev = v;
        done_depth = depth;
        n_best_pv = ctx->pv_len[0];
        memcpy(best_pv, ctx->pv[0], (size_t)n_best_pv * sizeof(best_pv[0]));
        move_to_front(rl, best_move);
        if (abs(v) >= ENGINE_WIN_MIN || (rl->n == 1 && depth >= 2))
            break;
        if (!next_iteration_may_start(ctx, iter_start, &iter_ns, &prev_iter_ns))
            break;
    }
    if (done_depth == 0)
        return false;
    engine_result_t r;
    fill_result(&r, best_move, score, done_depth, best_pv, n_best_pv);
    line_from_result(&r, out);
    return true;
}

/*
 * Multi-PV: the main search ranks the best move exactly as a single-PV
 * search does (so with a depth limit that it reaches, the first line is
 * the move engine_search() plays), then each further line searches the
 * root without the moves already ranked, to the main search's depth. With
 * a time or node budget the main search gets half of it and each further
 * line an equal share of what is left. A line never scores above the one
 * before it: a reduced root that fails high against the previous line's
 * score is only known to be as good, and is ranked as equal.
 */
void search_run(engine_ctx_t *ctx, const engine_limits_t *limits, engine_result_t *out)
{
    int want = limits->multipv < 1 ? 1 : limits->multipv;
    if (want > ENGINE_MAX_LINES)
        want = ENGINE_MAX_LINES;
    if (want == 1) {
        search_best(ctx, limits, out);
        out->n_lines = 1;
        line_from_result(out, &out->lines[0]);
        return;
    }
    board_t *b = &ctx->board;
    bool five_now = b->count[b->to_move][THREAT_FIVE] > 0;
    int64_t hard_all = ctx->tm.hard_ns;
    engine_limits_t main_limits = *limits;
    if (limits->nodes)
        main_limits.nodes = limits->nodes / 2 > 0 ? limits->nodes / 2 : 1;
    if (hard_all) {
        ctx->tm.hard_ns = ctx->tm.start_ns + (hard_all - ctx->tm.start_ns) / 2;
        ctx->tm.soft_ns = ctx->tm.start_ns + (hard_all - ctx->tm.start_ns) / 4;
    }
    search_best(ctx, &main_limits, out);
    out->n_lines = 1;
    line_from_result(out, &out->lines[0]);
    int max_depth = out->depth;
    if (limits->depth > 0 && max_depth > limits->depth)
        max_depth = limits->depth;
    if (five_now || max_depth < 1) {
        ctx->tm.hard_ns = hard_all;
        return;
    }
    move_list_t all = ctx->root;
    while (out->n_lines < want && !budget_spent(ctx, limits, hard_all)) {
        phase_limits(ctx, limits, hard_all, want - out->n_lines);
        engine_line_t *line = &out->lines[out->n_lines];
        if (!next_line(ctx, &all, out->lines, out->n_lines, max_depth, line))
            break;
        if (line->score > out->lines[out->n_lines - 1].score)
            line->score = out->lines[out->n_lines - 1].score;
        out->n_lines++;
    }
    ctx->tm.hard_ns = hard_all;
    ctx->node_limit = limits->nodes;
}
