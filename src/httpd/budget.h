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

/* A node budget ("nodes", or a level's) is capped at --max-time-ms x this:
 * about what a search thread does in that time on the machines measured
 * (600-900 thousand nodes per second, docs/engine.md). */
#define BUDGET_NODES_PER_MS 1000

/* The limits for a search by the player `ai` of a record whose per-move
 * "timeout" is timeout_s (0 = none): time_ms is the smallest of the request's
 * max_time_ms, timeout and depth budget (or caps->default_time_ms when none
 * is given), capped by caps->max_time_ms and at least 1 ms; depth is the
 * request's depth (or caps->max_depth) capped by caps->max_depth.
 *
 * A node budget makes the search clockless, hence deterministic: when the
 * player names "nodes" and no time (neither "max_time_ms" nor a "timeout"),
 * time_ms is 0 and nodes is its "nodes"; with a time, the node budget
 * applies beside it. A level 1..9 is always clockless: nodes is the level's
 * budget, the player's "nodes" or, when the request names a time, the
 * time budget above x BUDGET_NODES_PER_MS, whichever is smallest, and
 * multipv the level's. Every node budget is capped at caps->max_time_ms x
 * BUDGET_NODES_PER_MS. multipv is 1 otherwise. */
void budget_compute(const budget_caps_t *caps, const game_player_t *ai, double timeout_s,
                    engine_limits_t *out);

#endif
