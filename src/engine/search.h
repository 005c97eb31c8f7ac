/*
 * search.h: the search context and the alpha-beta search.
 *
 * struct engine_ctx is everything one search thread owns: the board, the
 * transposition table, move-ordering heuristics, per-ply move lists and the
 * limits of the current search. It is allocated once by engine_ctx_create(),
 * so engine_search() never allocates.
 *
 * Thread rule: one thread per context at a time.
 */
#ifndef GOMOKU_ENGINE_SEARCH_H
#define GOMOKU_ENGINE_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/movegen.h"
#include "engine/timeman.h"
#include "engine/tt.h"

#define SEARCH_MAX_PLY   96
#define SEARCH_MAX_DEPTH 60
#define SEARCH_INF       32000
#define VCF_CACHE_SIZE   (1 << 15)

struct engine_ctx {
    board_t board;
    tt_t tt;
    timeman_t tm;
    uint64_t nodes;
    uint64_t node_limit; /* 0 = none */
    int poll_countdown;  /* nodes left before the next clock check */
    bool aborted;
    int sel_depth;
    int32_t history[3][BOARD_CELLS];
    uint16_t killer[SEARCH_MAX_PLY][2];
    uint16_t counter[3][BOARD_CELLS]; /* [side][opponent's last move]: reply that cut off */
    uint16_t pv[SEARCH_MAX_PLY][SEARCH_MAX_PLY];
    int pv_len[SEARCH_MAX_PLY];
    move_list_t lists[SEARCH_MAX_PLY];
    move_list_t root;
    uint64_t vcf_cache[VCF_CACHE_SIZE]; /* key bits 5..63 | remaining fours searched */
};

/* Counts one node; returns true (and sets ctx->aborted) once the node limit,
 * the hard deadline or the stop flag says the search must end. The clock and
 * the flag are read every TIMEMAN_POLL_NODES nodes. */
static inline bool search_tick(engine_ctx_t *ctx)
{
    ctx->nodes++;
    if (ctx->node_limit && ctx->nodes >= ctx->node_limit)
        ctx->aborted = true;
    if (--ctx->poll_countdown <= 0) {
        ctx->poll_countdown = TIMEMAN_POLL_NODES;
        if (timeman_poll(&ctx->tm))
            ctx->aborted = true;
    }
    return ctx->aborted;
}

/* Builds the reduction table. Called by engine_init(). */
void search_init(void);

/* Searches the position on ctx->board (already set up, side to move has at
 * least one empty cell) within limits, and fills out. Never allocates. */
void search_run(engine_ctx_t *ctx, const engine_limits_t *limits, engine_result_t *out);

/* True when colour has an open four (or double four) to play: under renju
 * black's must not be forbidden. */
bool search_flex4(const board_t *b, int color);

/* Static evaluation from the side to move's view. */
int search_evaluate(const board_t *b);

#endif
