/* VCF and VCT solvers on hand-made positions, through the internal interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/forbid.h"
#include "engine/search.h"
#include "engine/vcf.h"

/* Sets up ctx's board from rows of 'X' (black), 'O' (white) and '.'. */
static void setup(engine_ctx_t *ctx, engine_rule_t rule, int to_move, const char *const *rows,
                  int n_rows)
{
    board_t *b = &ctx->board;
    board_reset(b, 15, rule);
    for (int r = 0; r < n_rows; r++)
        for (int c = 0; rows[r][c]; c++)
            if (rows[r][c] == 'X' || rows[r][c] == 'O')
                board_put(b, board_cell(r, c), rows[r][c] == 'X' ? CELL_BLACK : CELL_WHITE);
    board_set_to_move(b, to_move);
    ctx->nodes = 0;
    ctx->node_limit = 0;
    ctx->aborted = false;
    ctx->poll_countdown = TIMEMAN_POLL_NODES;
    timeman_start(&ctx->tm, 0, NULL);
    memset(ctx->vcf_cache, 0, sizeof(ctx->vcf_cache));
}

/*
 * Black wins with a four and then a double four, five plies. Either order:
 * (4,7) makes a four on the anti-diagonal (4,7)-(5,6)-(6,5)-(7,4), whose
 * other end (8,3) is white, so white must take (3,8); then (7,7) makes fours
 * on row 7 (blocked at (7,3)) and column 7 (blocked at (3,7)). Or (7,7)
 * first (four on row 7 plus a closed three on column 7, which (9,7) keeps
 * from being open), white takes (7,8), and (4,7) makes two fours. White's
 * (4,5) and (8,9) kill the diagonal (5,6)-(6,7), which would otherwise give
 * a third way in through (7,8).
 */
static const char *const two_step[] = {
    "...............", "...............", "...............", ".......O.......", ".....O.........",
    "......XX.......", ".....X.X.......", "...OXXX........", "...O.....O.....", ".......O.......",
    "...............", "...............", "............O..",
};

static engine_ctx_t *new_ctx(void)
{
    engine_ctx_t *ctx = NULL;
    assert_int_equal(engine_ctx_create(1, &ctx), ENGINE_OK);
    return ctx;
}

static void test_two_step_win(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    for (int rule = 0; rule < 2; rule++) {
        setup(ctx, (engine_rule_t)rule, CELL_BLACK, two_step, 13);
        int first = BOARD_NONE;
        int r = vcf_search(ctx, 0, 20, &first);
        assert_int_equal(r, 5);
        assert_true(first == board_cell(4, 7) || first == board_cell(7, 7));
        assert_int_equal(ctx->board.cell[first], CELL_EMPTY);
        /* The first four is forcing, and the win is still there after the
         * forced reply. */
        assert_true(ctx->board.cls[first][CELL_BLACK] >= THREAT_B4);
        board_make(&ctx->board, first);
        board_make(&ctx->board, board_find_five(&ctx->board, CELL_BLACK));
        assert_int_equal(vcf_search(ctx, 2, 20, NULL), r - 2);
        /* The double four counts as a win once it is on the board: one four
         * is enough to reach it, none is not. */
        setup(ctx, (engine_rule_t)rule, CELL_BLACK, two_step, 13);
        assert_int_equal(vcf_search(ctx, 0, 1, NULL), 5);
        setup(ctx, (engine_rule_t)rule, CELL_BLACK, two_step, 13);
        assert_int_equal(vcf_search(ctx, 0, 0, NULL), 0);
    }
    engine_ctx_destroy(ctx);
}

/* Two closed threes far apart: each gives a four, white blocks it, and
 * nothing is left: no VCF however deep. */
static void test_no_win(void **state)
{
    static const char *const sparse[] = {
        "...............", "............X..", "............X..", "............X..",
        "............O..", "...............", "...............", "...OXXX........",
        "...............", "...............", "...............", ".O.............",
        "..........O....",
    };
    engine_ctx_t *ctx = new_ctx();
    for (int rule = 0; rule < 2; rule++) {
        setup(ctx, (engine_rule_t)rule, CELL_BLACK, sparse, 13);
        int first = BOARD_NONE;
        int r = vcf_search(ctx, 0, 30, &first);
        if (r)
            fail_msg("unexpected VCF of %d plies starting at %d,%d", r, board_row(first),
                     board_col(first));
        /* White has no fours at all. */
        setup(ctx, (engine_rule_t)rule, CELL_WHITE, sparse, 13);
        assert_int_equal(vcf_search(ctx, 0, 30, NULL), 0);
    }
    engine_ctx_destroy(ctx);
}

/* A five now is a one-ply win; an open four a three-ply one. */
static void test_immediate(void **state)
{
    static const char *const four[] = {"...............", ".XXXX.....OOO..", "..........O...."};
    static const char *const three[] = {"...............", "..XXX.....OO...", "..........O...."};
    engine_ctx_t *ctx = new_ctx();
    setup(ctx, ENGINE_RULE_STANDARD, CELL_BLACK, four, 3);
    assert_int_equal(vcf_search(ctx, 0, 10, NULL), 1);
    setup(ctx, ENGINE_RULE_STANDARD, CELL_BLACK, three, 3);
    int first = BOARD_NONE;
    assert_int_equal(vcf_search(ctx, 0, 10, &first), 3);
    assert_true(first == board_cell(1, 1) || first == board_cell(1, 5));
    engine_ctx_destroy(ctx);
}

/* When the defender's forced block makes a four, the attacker must answer
 * it, and loses the thread unless that answer is itself a four. */
static void test_counter_four(void **state)
{
    /* Black's only four is on row 7 (blocked left); white's block at (7,8)
     * completes white's own four on column 8 ((3,8)..(6,8)), so black must
     * block at (2,8), which makes no four: no VCF. */
    static const char *const counter[] = {
        "...............", "...............", "...............", "........O......",
        "........O......", "........O......", "........O......", "....OXXX.......",
        "...............", ".X.............",
    };
    engine_ctx_t *ctx = new_ctx();
    setup(ctx, ENGINE_RULE_FREESTYLE, CELL_BLACK, counter, 10);
    /* White already threatens five at (2,8) and (7,8): black must block, and
     * cannot block both. */
    assert_int_equal(ctx->board.count[CELL_WHITE][THREAT_FIVE], 2);
    assert_int_equal(vcf_search(ctx, 0, 30, NULL), 0);
    engine_ctx_destroy(ctx);
}

/* Black makes two open threes at once at (7,8): on row 7 with (7,6),(7,7)
 * and on column 8 with (5,8),(6,8). White has no fours and no single cell
 * stops both, so black wins in five plies; there are no fours yet, so there
 * is no VCF. */
static void test_vct_double_three(void **state)
{
    static const char *const rows[] = {
        "O..............", "...............", "...............", "...............",
        "...............", "........X......", "........X......", "......XX.......",
        "...............", "...............", "...............", "...............",
        "...............", "...............", "O.............O",
    };
    engine_ctx_t *ctx = new_ctx();
    for (int rule = 0; rule < 2; rule++) {
        setup(ctx, (engine_rule_t)rule, CELL_BLACK, rows, 15);
        assert_int_equal(vcf_search(ctx, 0, 30, NULL), 0);
        int first = BOARD_NONE;
        assert_int_equal(vct_search(ctx, 0, 4, 100000, &first), 5);
        assert_int_equal(first, board_cell(7, 8));
        /* The same stones for white, who has only three: nothing. */
        setup(ctx, (engine_rule_t)rule, CELL_WHITE, rows, 15);
        assert_int_equal(vct_search(ctx, 0, 6, 100000, NULL), 0);
    }
    engine_ctx_destroy(ctx);
}

/* One stone each: no threats at all. */
static void test_vct_none(void **state)
{
    static const char *const rows[] = {"O..", "...", "...", "...", "...", "...", "...", ".......X"};
    engine_ctx_t *ctx = new_ctx();
    setup(ctx, ENGINE_RULE_FREESTYLE, CELL_BLACK, rows, 8);
    assert_int_equal(vct_search(ctx, 0, 8, 100000, NULL), 0);
    engine_ctx_destroy(ctx);
}

/*
 * From a game: black has just played (5,6), and white wins by threats in
 * 27 plies. The line runs through moves that are neither fours nor open
 * threes but make a four-three point, and through threes that also block
 * black's open three: within 12 threats the solver must find it.
 */
static void test_vct_four_three_points(void **state)
{
    static const char *const rows[] = {
        "...............", "...............", "...............",
        "...............", "......X........", "......X..XXO...",
        "........OXO....", ".........OO....", "........X......",
    };
    engine_ctx_t *ctx = new_ctx();
    setup(ctx, ENGINE_RULE_FREESTYLE, CELL_WHITE, rows, 9);
    assert_int_equal(vcf_search(ctx, 0, 30, NULL), 0);
    int first = BOARD_NONE;
    int r = vct_search(ctx, 0, 12, 1000000, &first);
    assert_true(r > 0);
    assert_int_equal(ctx->board.cell[first], CELL_EMPTY);
    engine_ctx_destroy(ctx);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static unsigned next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state >> 11);
}

/* True when some stone lies within 3 cells (Chebyshev) of c. */
static bool near_stone(const board_t *b, int c)
{
    int r0 = board_row(c), c0 = board_col(c);
    for (int r = r0 - 3; r <= r0 + 3; r++)
        for (int k = c0 - 3; k <= c0 + 3; k++)
            if (r >= 0 && k >= 0 && r < b->size && k < b->size &&
                b->cell[board_cell(r, k)] != CELL_EMPTY)
                return true;
    return false;
}

/*
 * Checks a claimed win independently of the solver's choice of defences:
 * the attacker plays the solver's first move, and then every reply within
 * 3 cells of a stone (a superset of what can matter) must leave him a win
 * with one threat less, checked the same way.
 */
static bool win_holds(engine_ctx_t *ctx, int threats, int ply)
{
    board_t *b = &ctx->board;
    int att = b->to_move, def = 3 - att;
    if (b->count[att][THREAT_FIVE])
        return true;
    int first = BOARD_NONE;
    memset(ctx->vcf_cache, 0, sizeof(ctx->vcf_cache));
    if (!vct_search(ctx, ply, threats, 1000000, &first) || first == BOARD_NONE)
        return false;
    if (b->cls[first][att] == THREAT_FIVE)
        return true;
    board_make(b, first);
    bool holds = true;
    for (int i = 0; i < b->size * b->size && holds; i++) {
        int cell = board_cell(i / b->size, i % b->size);
        if (b->cell[cell] != CELL_EMPTY || !near_stone(b, cell) || forbid_blocks(b, cell, def))
            continue;
        if (b->cls[cell][def] == THREAT_FIVE) {
            holds = false; /* the defender makes five */
            break;
        }
        board_make(b, cell);
        holds = win_holds(ctx, threats - 1, ply + 2);
        board_unmake(b);
    }
    board_unmake(b);
    return holds;
}

/*
 * Random positions where the side to move has a win within two threats
 * (but no VCF): every such win survives every reply, not only the replies
 * the solver generates, so its defences are complete, also against
 * four-three points.
 */
static void test_vct_wins_hold(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    int checked = 0;
    for (int game = 0; game < 600; game++) {
        engine_rule_t rule = (engine_rule_t)(game % 3);
        board_t *b = &ctx->board;
        setup(ctx, rule, CELL_BLACK, NULL, 0);
        int n = 8 + (int)(next_rand() % 24);
        for (int i = 0; i < n && !b->count[b->to_move][THREAT_FIVE]; i++) {
            int cell;
            do {
                int r = 3 + (int)(next_rand() % 9), c = 3 + (int)(next_rand() % 9);
                cell = board_cell(r, c);
            } while (b->cell[cell] != CELL_EMPTY);
            board_make(b, cell);
        }
        if (b->count[b->to_move][THREAT_FIVE] || b->count[3 - b->to_move][THREAT_FIVE])
            continue;
        memset(ctx->vcf_cache, 0, sizeof(ctx->vcf_cache));
        if (vcf_search(ctx, 0, 30, NULL) || !vct_search(ctx, 0, 2, 1000000, NULL))
            continue;
        checked++;
        if (!win_holds(ctx, 2, 0))
            fail_msg("game %d: a claimed win does not survive every reply", game);
    }
    /* The positions are fixed by the seed; enough of them must be wins for
     * the check to mean something. */
    assert_true(checked >= 10);
    print_message("checked %d wins\n", checked);
    engine_ctx_destroy(ctx);
}

int main(void)
{
    assert_int_equal(engine_init(), ENGINE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_step_win),
        cmocka_unit_test(test_no_win),
        cmocka_unit_test(test_immediate),
        cmocka_unit_test(test_counter_four),
        cmocka_unit_test(test_vct_double_three),
        cmocka_unit_test(test_vct_none),
        cmocka_unit_test(test_vct_four_three_points),
        cmocka_unit_test(test_vct_wins_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
