/* Behaviour of engine_search(): tactics, limits, determinism and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"

/* Builds a position from rows of 'X', 'O' and '.'; rows beyond those given are
 * empty. Stones are listed black first, then white. */
static void position_from_rows(engine_position_t *pos, int size, engine_rule_t rule,
                               engine_color_t to_move, const char *const *rows, int n_rows)
{
    memset(pos, 0, sizeof(*pos));
    pos->size = size;
    pos->rule = rule;
    pos->to_move = to_move;
    for (int pass = 0; pass < 2; pass++) {
        char want = pass == 0 ? 'X' : 'O';
        for (int r = 0; r < n_rows; r++)
            for (int c = 0; rows[r][c]; c++)
                if (rows[r][c] == want) {
                    engine_stone_t *s = &pos->stones[pos->n_stones++];
                    s->at.row = (int8_t)r;
                    s->at.col = (int8_t)c;
                    s->color = pass == 0 ? ENGINE_BLACK : ENGINE_WHITE;
                }
    }
}

static engine_ctx_t *new_ctx(void)
{
    engine_ctx_t *ctx = NULL;
    assert_int_equal(engine_ctx_create(4, &ctx), ENGINE_OK);
    return ctx;
}

static bool is_empty_cell(const engine_position_t *pos, engine_move_t m)
{
    if (m.row < 0 || m.row >= pos->size || m.col < 0 || m.col >= pos->size)
        return false;
    for (int i = 0; i < pos->n_stones; i++)
        if (pos->stones[i].at.row == m.row && pos->stones[i].at.col == m.col)
            return false;
    return true;
}

static void search_ok(engine_ctx_t *ctx, const engine_position_t *pos, engine_limits_t lim,
                      engine_result_t *res)
{
    assert_int_equal(engine_search(ctx, pos, &lim, NULL, res), ENGINE_OK);
    assert_true(is_empty_cell(pos, res->move));
    assert_true(res->n_pv >= 1);
    assert_int_equal(res->pv[0].row, res->move.row);
    assert_int_equal(res->pv[0].col, res->move.col);
}

static void test_empty_board_centre(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    int sizes[] = {5, 15, 19, 20, 25};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        position_from_rows(&pos, sizes[i], ENGINE_RULE_FREESTYLE, ENGINE_BLACK, NULL, 0);
        search_ok(ctx, &pos, (engine_limits_t){.depth = 4}, &res);
        assert_int_equal(res.move.row, sizes[i] / 2);
        assert_int_equal(res.move.col, sizes[i] / 2);
    }
    engine_ctx_destroy(ctx);
}

static void test_win_in_one(void **state)
{
    const char *rows[] = {
        "...............", "...............", "...............", "...............",
        ".....XXXX......", ".....OOO.......", ".........O.....",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    for (int rule = 0; rule < 2; rule++) {
        position_from_rows(&pos, 15, (engine_rule_t)rule, ENGINE_BLACK, rows, 7);
        search_ok(ctx, &pos, (engine_limits_t){.depth = 6}, &res);
        assert_int_equal(res.move.row, 4);
        assert_true(res.move.col == 4 || res.move.col == 9);
        assert_true(res.score >= ENGINE_WIN_MIN);
    }
    engine_ctx_destroy(ctx);
}

static void test_block_four(void **state)
{
    const char *rows[] = {
        "...............", "...............", "...............", "...............",
        "....OXXXX......", ".....OOO.......", "...............",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_WHITE, rows, 7);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 6}, &res);
    assert_int_equal(res.move.row, 4);
    assert_int_equal(res.move.col, 9);
    engine_ctx_destroy(ctx);
}

static void test_full_board(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    memset(&pos, 0, sizeof(pos));
    pos.size = 5;
    pos.rule = ENGINE_RULE_FREESTYLE;
    pos.to_move = ENGINE_BLACK;
    /* A drawn pattern: colours alternate in pairs so no line of five forms. */
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 5; c++) {
            engine_stone_t *s = &pos.stones[pos.n_stones++];
            s->at.row = (int8_t)r;
            s->at.col = (int8_t)c;
            s->color = ((c + 2 * r) / 2) % 2 ? ENGINE_WHITE : ENGINE_BLACK;
        }
    engine_limits_t lim = {.depth = 3};
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EFULL);
    engine_ctx_destroy(ctx);
}

static void test_bad_positions(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    engine_limits_t lim = {.depth = 3};
    const char *rows[] = {"...", ".X.", "..O"};

    position_from_rows(&pos, 4, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 3);
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    position_from_rows(&pos, 26, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 3);
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    position_from_rows(&pos, 15, (engine_rule_t)7, ENGINE_BLACK, rows, 3);
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_EMPTY, rows, 3);
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);

    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 3);
    pos.stones[0].at.row = 15; /* off the board */
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 3);
    pos.stones[1].at = pos.stones[0].at; /* two stones on one cell */
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 3);
    pos.stones[1].color = (engine_color_t)3;
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 3);
    pos.n_stones = -1;
    assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_EINVAL);
    assert_int_equal(engine_search(ctx, NULL, &lim, NULL, &res), ENGINE_EINVAL);
    engine_ctx_destroy(ctx);
}

static void test_node_limit_one(void **state)
{
    const char *rows[] = {
        "...............", "...............", "...............", "......O........",
        ".....XXO.......", "......XO.......", ".......X.......",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_WHITE, rows, 7);
    search_ok(ctx, &pos, (engine_limits_t){.nodes = 1}, &res);
    engine_ctx_destroy(ctx);
}

int main(void)
{
    assert_int_equal(engine_init(), ENGINE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_board_centre), cmocka_unit_test(test_win_in_one),
        cmocka_unit_test(test_block_four),         cmocka_unit_test(test_full_board),
        cmocka_unit_test(test_bad_positions),      cmocka_unit_test(test_node_limit_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
