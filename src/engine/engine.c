/*
 * engine.c: the public entry points: tables, contexts, position checks, and
 * engine_search() on top of search_run().
 */
#include "engine/engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine/board.h"
#include "engine/eval.h"
#include "engine/forbid.h"
#include "engine/pattern.h"
#include "engine/search.h"

#define DEFAULT_HASH_MB 16

static void build_tables(void)
{
    pattern_init();
    board_init_tables();
    forbid_init();
    search_init();
}

/* Once per process: the game layer's referee calls it too, possibly while
 * searches read the tables. */
engine_status_t engine_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return pthread_once(&once, build_tables) == 0 ? ENGINE_OK : ENGINE_ENOMEM;
}

engine_status_t engine_ctx_create(size_t hash_mb, engine_ctx_t **out)
{
    engine_ctx_t *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return ENGINE_ENOMEM;
    if (tt_create(&ctx->tt, hash_mb ? hash_mb : DEFAULT_HASH_MB) != ENGINE_OK) {
        free(ctx);
        return ENGINE_ENOMEM;
    }
    *out = ctx;
    return ENGINE_OK;
}

void engine_ctx_destroy(engine_ctx_t *ctx)
{
    if (!ctx)
        return;
    tt_destroy(&ctx->tt);
    free(ctx);
}

void engine_ctx_clear(engine_ctx_t *ctx)
{
    tt_clear(&ctx->tt);
    memset(ctx->history, 0, sizeof(ctx->history));
}

/* Sets up ctx->board from pos. Returns ENGINE_EINVAL for anything malformed. */
static engine_status_t load_position(board_t *b, const engine_position_t *pos)
{
    if (pos->size < ENGINE_MIN_SIZE || pos->size > ENGINE_MAX_SIZE)
        return ENGINE_EINVAL;
    if ((unsigned)pos->rule >= ENGINE_RULE_COUNT)
        return ENGINE_EINVAL;
    if (pos->to_move != ENGINE_BLACK && pos->to_move != ENGINE_WHITE)
        return ENGINE_EINVAL;
    if (pos->n_stones < 0 || pos->n_stones > pos->size * pos->size)
        return ENGINE_EINVAL;
    board_reset(b, pos->size, pos->rule);
    for (int i = 0; i < pos->n_stones; i++) {
        const engine_stone_t *s = &pos->stones[i];
        if (s->at.row < 0 || s->at.row >= pos->size || s->at.col < 0 || s->at.col >= pos->size)
            return ENGINE_EINVAL;
        if (s->color != ENGINE_BLACK && s->color != ENGINE_WHITE)
            return ENGINE_EINVAL;
        int c = board_cell(s->at.row, s->at.col);
        if (b->cell[c] != CELL_EMPTY)
            return ENGINE_EINVAL;
        board_put(b, c, s->color);
    }
    board_set_to_move(b, pos->to_move);
    return ENGINE_OK;
}

engine_status_t engine_search(engine_ctx_t *ctx, const engine_position_t *pos,
                              const engine_limits_t *limits, const atomic_bool *stop,
                              engine_result_t *out)
{
    static const engine_limits_t no_limits;
    if (!ctx || !pos || !out)
        return ENGINE_EINVAL;
    if (!limits)
        limits = &no_limits;
    timeman_start(&ctx->tm, limits->time_ms, stop);
    board_t *b = &ctx->board;
    engine_status_t st = load_position(b, pos);
    if (st != ENGINE_OK)
        return st;
    if (pos->n_stones == pos->size * pos->size)
        return ENGINE_EFULL;
    memset(out, 0, sizeof(*out));
    if (pos->n_stones == 0) {
        out->move.row = out->move.col = (int8_t)(pos->size / 2);
        out->pv[0] = out->move;
        out->n_pv = 1;
        out->n_lines = 1; /* the centre is the only line worth ranking */
        out->lines[0].move = out->move;
        out->lines[0].pv[0] = out->move;
        out->lines[0].n_pv = 1;
    } else {
        search_run(ctx, limits, out);
        out->nodes = ctx->nodes;
    }
    out->time_ms = timeman_elapsed_ms(&ctx->tm);
    return ENGINE_OK;
}

/* A scratch board for the referee's questions (outside any search). */
static engine_status_t forbid_board(const engine_position_t *pos, board_t **out)
{
    if (!pos)
        return ENGINE_EINVAL;
    if (engine_init() != ENGINE_OK) /* the referee may be the first caller */
        return ENGINE_ENOMEM;
    board_t *b = malloc(sizeof(*b));
    if (!b)
        return ENGINE_ENOMEM;
    engine_status_t st = load_position(b, pos);
    if (st != ENGINE_OK) {
        free(b);
        return st;
    }
    *out = b;
    return ENGINE_OK;
}

engine_status_t engine_forbidden(const engine_position_t *pos, engine_move_t at,
                                 engine_forbid_t *out)
{
    board_t *b;
    if (!out)
        return ENGINE_EINVAL;
    engine_status_t st = forbid_board(pos, &b);
    if (st != ENGINE_OK)
        return st;
    *out = ENGINE_FORBID_NONE;
    if (at.row < 0 || at.row >= pos->size || at.col < 0 || at.col >= pos->size ||
        b->cell[board_cell(at.row, at.col)] != CELL_EMPTY) {
        st = ENGINE_EINVAL;
    } else if (pos->rule == ENGINE_RULE_RENJU) {
        int c = board_cell(at.row, at.col);
        if (forbid_maybe(b, c))
            *out = forbid_kind(b, c);
    }
    free(b);
    return st;
}

engine_status_t engine_forbidden_points(const engine_position_t *pos, engine_move_t *cells,
                                        engine_forbid_t *kinds, int *n)
{
    board_t *b;
    if (!cells || !kinds || !n)
        return ENGINE_EINVAL;
    engine_status_t st = forbid_board(pos, &b);
    if (st != ENGINE_OK)
        return st;
    *n = 0;
    for (int r = 0; pos->rule == ENGINE_RULE_RENJU && r < pos->size; r++)
        for (int col = 0; col < pos->size; col++) {
            int c = board_cell(r, col);
            if (b->cell[c] != CELL_EMPTY || !forbid_maybe(b, c))
                continue;
            engine_forbid_t k = forbid_kind(b, c);
            if (k != ENGINE_FORBID_NONE) {
                cells[*n] = (engine_move_t){.row = (int8_t)r, .col = (int8_t)col};
                kinds[(*n)++] = k;
            }
        }
    free(b);
    return ENGINE_OK;
}

engine_status_t engine_first_forbidden(const engine_position_t *pos, int *index,
                                       engine_forbid_t *kind)
{
    if (!pos || !index || !kind)
        return ENGINE_EINVAL;
    engine_position_t empty = *pos;
    empty.n_stones = 0;
    board_t *b;
    engine_status_t st = forbid_board(&empty, &b);
    if (st != ENGINE_OK)
        return st;
    *index = -1;
    *kind = ENGINE_FORBID_NONE;
    if (pos->n_stones < 0 || pos->n_stones > pos->size * pos->size)
        st = ENGINE_EINVAL;
    for (int i = 0; st == ENGINE_OK && i < pos->n_stones; i++) {
        const engine_stone_t *s = &pos->stones[i];
        if (s->at.row < 0 || s->at.row >= pos->size || s->at.col < 0 || s->at.col >= pos->size ||
            (s->color != ENGINE_BLACK && s->color != ENGINE_WHITE)) {
            st = ENGINE_EINVAL;
            break;
        }
        int c = board_cell(s->at.row, s->at.col);
        if (b->cell[c] != CELL_EMPTY) {
            st = ENGINE_EINVAL;
            break;
        }
        if (*index < 0 && s->color == ENGINE_BLACK && pos->rule == ENGINE_RULE_RENJU &&
            forbid_maybe(b, c)) {
            engine_forbid_t k = forbid_kind(b, c);
            if (k != ENGINE_FORBID_NONE) {
                *index = i;
                *kind = k;
                break;
            }
        }
        board_put(b, c, s->color);
    }
    free(b);
    return st;
}

const char *engine_forbid_name(engine_forbid_t kind)
{
    switch (kind) {
    case ENGINE_FORBID_NONE:
        return "none";
    case ENGINE_FORBID_OVERLINE:
        return "overline";
    case ENGINE_FORBID_DOUBLE_FOUR:
        return "double four";
    case ENGINE_FORBID_DOUBLE_THREE:
        return "double three";
    }
    return "unknown";
}

int engine_eval_scale(void)
{
    return eval_scale;
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
