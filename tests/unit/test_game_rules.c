/* Win detection: four directions, edges, overlines under both rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "game/rules.h"

static game_board_t board_of(int size)
{
    game_board_t b;
    memset(&b, 0, sizeof(b));
    b.size = size;
    return b;
}

static void put_line(game_board_t *b, int r, int c, int dr, int dc, int n, int color)
{
    for (int i = 0; i < n; i++) {
        b->cells[(r + i * dr) * b->size + (c + i * dc)] = (unsigned char)color;
    }
}

static void five_wins_in_every_direction(void **state)
{
    static const int dirs[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
    for (int d = 0; d < 4; d++) {
        game_board_t b = board_of(15);
        int c0 = dirs[d][1] < 0 ? 10 : 3;
        put_line(&b, 3, c0, dirs[d][0], dirs[d][1], 5, ENGINE_WHITE);
        for (int i = 0; i < 5; i++) {
            game_line_t line;
            int r = 3 + i * dirs[d][0], c = c0 + i * dirs[d][1];
            assert_true(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, r, c, &line));
            assert_true(game_is_win_at(&b, ENGINE_RULE_STANDARD, r, c, NULL));
            assert_int_equal(line.n, 5);
            assert_int_equal(line.rows[0], 3);
            assert_int_equal(line.cols[0], c0);
            assert_int_equal(line.rows[4], 3 + 4 * dirs[d][0]);
        }
    }
}

static void four_or_broken_five_does_not_win(void **state)
{
    game_board_t b = board_of(15);
    put_line(&b, 7, 2, 0, 1, 4, ENGINE_BLACK);
    b.cells[7 * 15 + 7] = ENGINE_BLACK; /* X X X X . X */
    assert_false(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, 7, 2, NULL));
    assert_false(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, 7, 7, NULL));
    b.cells[7 * 15 + 6] = ENGINE_WHITE; /* the gap filled by the other colour */
    assert_false(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, 7, 5, NULL));
    assert_false(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, 7, 6, NULL)); /* white, alone */
    assert_false(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, 0, 0, NULL)); /* empty cell */
}

static void edges_and_corners(void **state)
{
    game_board_t b = board_of(15);
    put_line(&b, 0, 10, 0, 1, 5, ENGINE_BLACK); /* top edge, touching the right side */
    assert_true(game_is_win_at(&b, ENGINE_RULE_STANDARD, 0, 14, NULL));
    put_line(&b, 10, 0, 1, 0, 5, ENGINE_WHITE); /* left edge, touching the bottom */
    assert_true(game_is_win_at(&b, ENGINE_RULE_STANDARD, 14, 0, NULL));
    game_board_t d = board_of(5);
    put_line(&d, 0, 4, 1, -1, 5, ENGINE_BLACK); /* the anti-diagonal of a 5x5 board */
    assert_true(game_is_win_at(&d, ENGINE_RULE_FREESTYLE, 4, 0, NULL));
    /* No wrap-around from the end of one row to the start of the next. */
    game_board_t w = board_of(15);
    put_line(&w, 3, 12, 0, 1, 3, ENGINE_BLACK);
    put_line(&w, 4, 0, 0, 1, 2, ENGINE_BLACK);
    assert_false(game_is_win_at(&w, ENGINE_RULE_FREESTYLE, 3, 14, NULL));
    assert_false(game_is_win_at(&w, ENGINE_RULE_FREESTYLE, 4, 0, NULL));
}

static void overline_wins_only_in_freestyle(void **state)
{
    for (int n = 6; n <= 9; n++) {
        game_board_t b = board_of(19);
        put_line(&b, 2, 2, 1, 1, n, ENGINE_BLACK);
        game_line_t line;
        assert_true(game_is_win_at(&b, ENGINE_RULE_FREESTYLE, 4, 4, &line));
        assert_int_equal(line.n, n);
        assert_false(game_is_win_at(&b, ENGINE_RULE_STANDARD, 4, 4, NULL));
    }
    /* A six in one direction does not hide an exact five in another. */
    game_board_t b = board_of(19);
    put_line(&b, 9, 3, 0, 1, 6, ENGINE_WHITE);
    put_line(&b, 5, 5, 1, 0, 5, ENGINE_WHITE); /* column 5, rows 5..9 */
    assert_true(game_is_win_at(&b, ENGINE_RULE_STANDARD, 9, 5, NULL));
    assert_false(game_is_win_at(&b, ENGINE_RULE_STANDARD, 9, 8, NULL));
}

static void full_board(void **state)
{
    game_board_t b = board_of(5);
    assert_false(game_board_full(&b));
    for (int i = 0; i < 25; i++) {
        b.cells[i] = (unsigned char)(i % 2 ? ENGINE_WHITE : ENGINE_BLACK);
    }
    assert_true(game_board_full(&b));
    b.cells[24] = ENGINE_EMPTY;
    assert_false(game_board_full(&b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(five_wins_in_every_direction),
        cmocka_unit_test(four_or_broken_five_does_not_win),
        cmocka_unit_test(edges_and_corners),
        cmocka_unit_test(overline_wins_only_in_freestyle),
        cmocka_unit_test(full_board),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
