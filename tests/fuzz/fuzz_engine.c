/*
 * The engine on legal positions built from arbitrary bytes, under small node
 * limits. Properties checked on every search (engine.h's contract):
 *   - a position with an empty cell gets ENGINE_OK and a move on an empty
 *     cell of the board; a full board gets ENGINE_EFULL, and only a full one;
 *   - the principal variation starts with that move and stays on the board;
 *   - the node limit holds, give or take the small overrun it allows;
 *   - an immediate five is never missed: when the side to move can complete
 *     five, the move completes five (any search sees a win in one);
 *   - under renju black never plays a forbidden point (unless every empty
 *     cell is one).
 *
 * Input layout (every byte sequence is a valid input):
 *   [0]    board size: 5 + b % 21; renju instead of the flag's rule when
 *          b / 21 % 4 == 3 (likewise [4] for the second search)
 *   [1]    flags: bit 0 rule (standard), bit 1 fill the board, bit 2 a second
 *          search on the same context, bit 3 its rule, bit 4 its fill flag,
 *          bits 5-7 a depth limit (0 = none)
 *   [2..3] node limit: 200 + u16 % 1801
 *   [4]    board size of the second search
 *   [5..]  stones, two bytes each: a cell index (mod size * size), played by
 *          X, O, X, ...; an occupied cell, or one that would complete five
 *          (the game would be over), moves on to the next cell in order.
 * The second search reads the same stones on its own board: searching two
 * positions of different sizes with one context is what a daemon's search
 * thread does all day, so stale hash entries must never leak into a move.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "game/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The node check runs every few nodes, and the root may finish a move list
 * before it looks: allow that much on top of the limit. Generous on purpose:
 * it bounds a hang, not the engine's precision. */
#define NODE_SLACK 4096

static engine_ctx_t *ctx;

static void fail(const char *what, const engine_position_t *pos, const engine_result_t *r)
{
    fprintf(stderr, "fuzz_engine: %s (size %d, rule %d, to_move %d, %d stones, move %d,%d)\n", what,
            pos->size, (int)pos->rule, (int)pos->to_move, pos->n_stones, r ? r->move.row : -9,
            r ? r->move.col : -9);
    abort();
}

/* Whether colour `who` completes a win by playing the empty cell (r, c). */
static bool wins_at(game_board_t *board, engine_rule_t rule, int r, int c, engine_color_t who)
{
    unsigned char *cell = &board->cells[r * board->size + c];
    *cell = (unsigned char)who;
    bool win = game_is_win_at(board, rule, r, c, NULL);
    *cell = ENGINE_EMPTY;
    return win;
}

/* Places one stone for the side to move at the first cell from `start` (in
 * row-major order, wrapping) that is empty and does not end the game.
 * Returns false when there is none. */
static bool place(engine_position_t *pos, game_board_t *board, unsigned start)
{
    int cells = pos->size * pos->size;
    for (int k = 0; k < cells; k++) {
        int i = (int)((start + (unsigned)k) % (unsigned)cells);
        int r = i / pos->size, c = i % pos->size;
        if (board->cells[i] != ENGINE_EMPTY || wins_at(board, pos->rule, r, c, pos->to_move)) {
            continue;
        }
        board->cells[i] = (unsigned char)pos->to_move;
        engine_stone_t *s = &pos->stones[pos->n_stones++];
        s->at.row = (int8_t)r;
        s->at.col = (int8_t)c;
        s->color = pos->to_move;
        pos->to_move = pos->to_move == ENGINE_BLACK ? ENGINE_WHITE : ENGINE_BLACK;
        return true;
    }
    return false;
}

static void build(engine_position_t *pos, game_board_t *board, int n, engine_rule_t rule, bool fill,
                  const uint8_t *stones, size_t len)
{
    memset(pos, 0, sizeof(*pos));
    pos->size = n;
    pos->rule = rule;
    pos->to_move = ENGINE_BLACK;
    board->size = n;
    memset(board->cells, ENGINE_EMPTY, sizeof(board->cells));
    for (size_t i = 0; i + 1 < len && pos->n_stones < n * n; i += 2) {
        if (!place(pos, board, (unsigned)stones[i] << 8 | stones[i + 1])) {
            return;
        }
    }
    /* Fill mode: play on until no quiet cell is left, which reaches full
     * boards (ENGINE_EFULL) and boards where every move wins. */
    while (fill && pos->n_stones < n * n && place(pos, board, 0)) {
    }
}

static void check(const engine_position_t *pos, game_board_t *board, uint64_t nodes, int depth)
{
    engine_limits_t limits = {.time_ms = 0, .depth = depth, .nodes = nodes};
    engine_result_t res;
    memset(&res, 0x5a, sizeof(res)); /* garbage: the engine must fill it */
    engine_status_t st = engine_search(ctx, pos, &limits, NULL, &res);
    int cells = pos->size * pos->size;
    if (pos->n_stones == cells) {
        if (st != ENGINE_EFULL) {
            fail("a full board did not give ENGINE_EFULL", pos, NULL);
        }
        return;
    }
    if (st != ENGINE_OK) {
        fail(engine_strerror(st), pos, NULL);
    }
    int r = res.move.row, c = res.move.col;
    if (r < 0 || c < 0 || r >= pos->size || c >= pos->size) {
        fail("move off the board", pos, &res);
    }
    if (board->cells[r * pos->size + c] != ENGINE_EMPTY) {
        fail("move on an occupied cell", pos, &res);
    }
    if (res.n_pv < 0 || res.n_pv > ENGINE_MAX_PV) {
        fail("n_pv out of range", pos, &res);
    }
    if (res.n_pv > 0 && (res.pv[0].row != r || res.pv[0].col != c)) {
        fail("pv[0] is not the move", pos, &res);
    }
    for (int i = 0; i < res.n_pv; i++) {
        if (res.pv[i].row < 0 || res.pv[i].col < 0 || res.pv[i].row >= pos->size ||
            res.pv[i].col >= pos->size) {
            fail("pv leaves the board", pos, &res);
        }
    }
    if (res.nodes > nodes + NODE_SLACK) {
        fail("node limit overrun", pos, &res);
    }
    if (res.depth < 0) {
        fail("negative depth", pos, &res);
    }
    /* A win in one is on the board: the move must take it. */
    bool can_win = false;
    for (int i = 0; i < cells && !can_win; i++) {
        can_win = board->cells[i] == ENGINE_EMPTY &&
                  wins_at(board, pos->rule, i / pos->size, i % pos->size, pos->to_move);
    }
    if (can_win && !wins_at(board, pos->rule, r, c, pos->to_move)) {
        fail("missed a five in one", pos, &res);
    }
    if (pos->rule == ENGINE_RULE_RENJU && pos->to_move == ENGINE_BLACK) {
        static engine_move_t cells_f[ENGINE_MAX_CELLS];
        static engine_forbid_t kinds[ENGINE_MAX_CELLS];
        int n = 0;
        if (engine_forbidden_points(pos, cells_f, kinds, &n) != ENGINE_OK) {
            fail("engine_forbidden_points failed", pos, &res);
        }
        bool forbidden = false;
        for (int i = 0; i < n; i++) {
            forbidden = forbidden || (cells_f[i].row == r && cells_f[i].col == c);
        }
        if (forbidden && n < cells - pos->n_stones) {
            fail("black played a forbidden point", pos, &res);
        }
    }
}

static engine_rule_t rule_of(uint8_t size_byte, int standard_flag)
{
    if (size_byte / 21 % 4 == 3) {
        return ENGINE_RULE_RENJU;
    }
    return standard_flag ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static engine_position_t pos;
    static game_board_t board;
    if (ctx == NULL) {
        if (engine_init() != ENGINE_OK || engine_ctx_create(1, &ctx) != ENGINE_OK) {
            abort();
        }
    }
    if (size < 5) {
        return 0;
    }
    uint8_t flags = data[1];
    uint64_t nodes = 200 + ((unsigned)data[2] << 8 | data[3]) % 1801;
    int depth = flags >> 5;
    /* Each input starts from an empty context, so a crash reproduces from
     * the input alone. */
    engine_ctx_clear(ctx);
    build(&pos, &board, 5 + data[0] % 21, rule_of(data[0], flags & 1), (flags & 2) != 0, data + 5,
          size - 5);
    check(&pos, &board, nodes, depth);
    if (flags & 4) {
        build(&pos, &board, 5 + data[4] % 21, rule_of(data[4], flags & 8), (flags & 16) != 0,
              data + 5, size - 5);
        check(&pos, &board, nodes, depth);
    }
    return 0;
}
