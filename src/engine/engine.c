/*
 * engine.c: public entry points. Provisional simple search (one ply with
 * win/block detection) so that callers can link; replaced by the full search.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct engine_ctx {
    int unused;
};

engine_status_t engine_init(void)
{
    return ENGINE_OK;
}

engine_status_t engine_ctx_create(size_t hash_mb, engine_ctx_t **out)
{
    engine_ctx_t *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return ENGINE_ENOMEM;
    *out = ctx;
    return ENGINE_OK;
}

void engine_ctx_destroy(engine_ctx_t *ctx)
{
    free(ctx);
}

void engine_ctx_clear(engine_ctx_t *ctx)
{
}

static const int dirs[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

static int run_len(const uint8_t *g, int n, int r, int c, int dr, int dc, int color)
{
    int len = 0;
    for (r += dr, c += dc; r >= 0 && r < n && c >= 0 && c < n && g[r * n + c] == color;
         r += dr, c += dc)
        len++;
    return len;
}

static bool makes_five(const uint8_t *g, int n, engine_rule_t rule, int r, int c, int color)
{
    for (int d = 0; d < 4; d++) {
        int len = 1 + run_len(g, n, r, c, dirs[d][0], dirs[d][1], color) +
                  run_len(g, n, r, c, -dirs[d][0], -dirs[d][1], color);
        if (rule == ENGINE_RULE_FREESTYLE ? len >= 5 : len == 5)
            return true;
    }
    return false;
}

static int cell_score(const uint8_t *g, int n, int r, int c, int color)
{
    int s = 0;
    for (int d = 0; d < 4; d++) {
        int len = 1 + run_len(g, n, r, c, dirs[d][0], dirs[d][1], color) +
                  run_len(g, n, r, c, -dirs[d][0], -dirs[d][1], color);
        s += len * len * len;
    }
    return s;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

engine_status_t engine_search(engine_ctx_t *ctx, const engine_position_t *pos,
                              const engine_limits_t *limits, const atomic_bool *stop,
                              engine_result_t *out)
{
    int64_t t0 = now_ms();
    if (!pos || pos->size < ENGINE_MIN_SIZE || pos->size > ENGINE_MAX_SIZE ||
        (pos->rule != ENGINE_RULE_FREESTYLE && pos->rule != ENGINE_RULE_STANDARD) ||
        (pos->to_move != ENGINE_BLACK && pos->to_move != ENGINE_WHITE) || pos->n_stones < 0 ||
        pos->n_stones > pos->size * pos->size)
        return ENGINE_EINVAL;
    int n = pos->size;
    uint8_t g[ENGINE_MAX_CELLS];
    memset(g, 0, sizeof(g));
    for (int i = 0; i < pos->n_stones; i++) {
        engine_stone_t s = pos->stones[i];
        if (s.at.row < 0 || s.at.row >= n || s.at.col < 0 || s.at.col >= n ||
            (s.color != ENGINE_BLACK && s.color != ENGINE_WHITE) || g[s.at.row * n + s.at.col])
            return ENGINE_EINVAL;
        g[s.at.row * n + s.at.col] = (uint8_t)s.color;
    }
    if (pos->n_stones == n * n)
        return ENGINE_EFULL;
    memset(out, 0, sizeof(*out));
    int me = pos->to_move, opp = 3 - me;
    int best = -1, best_score = -1, block = -1;
    uint64_t nodes = 0;
    for (int i = 0; i < n * n; i++) {
        if (g[i])
            continue;
        if (best < 0)
            best = i;
        nodes++;
        int r = i / n, c = i % n;
        if (makes_five(g, n, pos->rule, r, c, me)) {
            best = i;
            block = -1;
            best_score = ENGINE_WIN - 1;
            break;
        }
        if (makes_five(g, n, pos->rule, r, c, opp))
            block = i;
        int s = cell_score(g, n, r, c, me) + cell_score(g, n, r, c, opp);
        if (pos->n_stones == 0)
            s = -abs(r - n / 2) - abs(c - n / 2) + 1000;
        if (s > best_score) {
            best_score = s;
            best = i;
        }
        if ((limits && limits->nodes && nodes >= limits->nodes) || (stop && atomic_load(stop)))
            break;
    }
    if (block >= 0)
        best = block;
    out->move.row = (int8_t)(best / n);
    out->move.col = (int8_t)(best % n);
    out->score = best_score >= ENGINE_WIN_MIN ? best_score : 0;
    out->depth = 1;
    out->nodes = nodes;
    out->time_ms = (double)(now_ms() - t0);
    out->n_pv = 1;
    out->pv[0] = out->move;
    return ENGINE_OK;
}

const char *engine_strerror(engine_status_t status)
{
    switch (status) {
#define ENGINE_STATUS_TEXT(name, text)                                                             \
    case name:                                                                                     \
        return text;
        ENGINE_STATUS_LIST(ENGINE_STATUS_TEXT)
#undef ENGINE_STATUS_TEXT
    }
    return "unknown engine status";
}
