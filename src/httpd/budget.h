/*
 * budget.h: how long and how deep one move may search.
 *
 * A request names its budget in up to three ways: the AI player's
 * "max_time_ms" (ours), its "depth" (the original API, 1..6 in practice) and
 * the record's "timeout" (the original's seconds per move). Each one given is
 * an upper bound; the server's caps bound them all, and a move always gets a
 * time limit, so no request can make a search run unbounded.
 *
 * The original depth keeps its meaning "stronger with more": depth d limits
 * the nominal search depth to d plies and grants a time budget that grows
 * with d (budget_depth_time_ms). Pure functions; thread-safe.
 */
#ifndef GOMOKU_HTTPD_BUDGET_H
#define GOMOKU_HTTPD_BUDGET_H

#include <stdint.h>

#include "engine/engine.h"
#include "game/record.h"

typedef struct budget_caps {
    int64_t max_time_ms;     /* --max-time-ms, > 0 */
    int64_t default_time_ms; /* --default-time-ms, > 0: used when the request names no time */
    int max_depth;           /* --max-depth, > 0 */
} budget_caps_t;

/* The time budget the original API's depth d buys: strictly increasing from
 * 100 ms at depth 1 (250, 500, 1000, 2000, 4000 ms at depths 2..6, doubling
 * beyond), before the server's cap. d <= 0 gives 0 ("no depth given"). */
int64_t budget_depth_time_ms(int depth);

/* The limits for a search by the player `ai` of a record whose per-move
 * "timeout" is timeout_s (0 = none): time_ms is the smallest of the request's
 * max_time_ms, timeout and depth budget (or caps->default_time_ms when none
 * is given), capped by caps->max_time_ms and at least 1 ms; depth is the
 * request's depth (or caps->max_depth) capped by caps->max_depth; no node
 * limit. */
void budget_compute(const budget_caps_t *caps, const game_player_t *ai, double timeout_s,
                    engine_limits_t *out);

#endif
