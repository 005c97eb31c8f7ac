#include "httpd/budget.h"

#include "game/level.h"

/* Depths 1..6 of the original API. The original took seconds at depth 4-6;
 * ours reaches far deeper in far less time, so these budgets only need to be
 * increasing and small enough that a move stays quick. */
static const int64_t DEPTH_TIME_MS[] = {0, 100, 250, 500, 1000, 2000, 4000};
#define N_DEPTH_TIMES ((int)(sizeof(DEPTH_TIME_MS) / sizeof(DEPTH_TIME_MS[0])))

/* Beyond the table the budget doubles per level up to this, far above any
 * sensible --max-time-ms, so the cap is what applies there. */
#define DEPTH_TIME_CEILING_MS (24LL * 3600 * 1000)

int64_t budget_depth_time_ms(int depth)
{
    if (depth <= 0) {
        return 0;
    }
    if (depth < N_DEPTH_TIMES) {
        return DEPTH_TIME_MS[depth];
    }
    int64_t t = DEPTH_TIME_MS[N_DEPTH_TIMES - 1];
    for (int d = N_DEPTH_TIMES - 1; d < depth && t < DEPTH_TIME_CEILING_MS; d++) {
        t *= 2;
    }
    return t < DEPTH_TIME_CEILING_MS ? t : DEPTH_TIME_CEILING_MS;
}

static int64_t min_given(int64_t a, int64_t b)
{
    if (a <= 0) {
        return b;
    }
    if (b <= 0) {
        return a;
    }
    return a < b ? a : b;
}

void budget_compute(const budget_caps_t *caps, const game_player_t *ai, double timeout_s,
                    engine_limits_t *out)
{
    int64_t t = 0;
    if (ai->max_time_ms > 0) {
        t = ai->max_time_ms;
    }
    if (timeout_s > 0) {
        /* Seconds from the original API; anything above the cap is the cap,
         * so guard the conversion against huge values first. */
        double ms = timeout_s * 1000.0;
        int64_t tm = ms >= (double)caps->max_time_ms ? caps->max_time_ms : (int64_t)ms;
        t = min_given(t, tm < 1 ? 1 : tm);
    }
    t = min_given(t, budget_depth_time_ms(ai->depth));
    if (t <= 0) {
        t = caps->default_time_ms;
    }
    if (t > caps->max_time_ms) {
        t = caps->max_time_ms;
    }
    if (t < 1) {
        t = 1;
    }
    int depth = ai->depth > 0 ? ai->depth : caps->max_depth;
    if (depth > caps->max_depth) {
        depth = caps->max_depth;
    }
    out->time_ms = t;
    out->depth = depth;
    out->nodes = 0;
    out->multipv = 1;
    uint64_t node_cap = (uint64_t)caps->max_time_ms * BUDGET_NODES_PER_MS;
    uint64_t nodes = ai->nodes > 0 ? (uint64_t)ai->nodes : 0;
    const game_level_t *lv = game_level(ai->level);
    if (lv != NULL) {
        /* The request's own times (not the default) become node caps. */
        int64_t given = ai->max_time_ms > 0 || timeout_s > 0 ? t : 0;
        uint64_t by_time = given > 0 ? (uint64_t)given * BUDGET_NODES_PER_MS : 0;
        nodes = nodes > 0 && nodes < lv->nodes ? nodes : lv->nodes;
        nodes = by_time > 0 && by_time < nodes ? by_time : nodes;
        out->multipv = lv->multipv;
        out->time_ms = 0;
    } else if (nodes > 0 && ai->max_time_ms <= 0 && timeout_s <= 0) {
        out->time_ms = 0;
    }
    out->nodes = nodes < node_cap ? nodes : node_cap;
}
