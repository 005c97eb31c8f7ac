/* Compact cell notation: "H8" <-> (row 7, col 7), letters skip I. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "game/notation.h"

static void parses_corners_and_skips_i(void **state)
{
    int row, col;
    assert_true(game_coord_parse("A1", 15, &row, &col));
    assert_int_equal(row, 0);
    assert_int_equal(col, 0);
    assert_true(game_coord_parse("H8", 15, &row, &col));
    assert_int_equal(row, 7);
    assert_int_equal(col, 7);
    assert_true(game_coord_parse("J8", 15, &row, &col)); /* J follows H: no I */
    assert_int_equal(col, 8);
    assert_true(game_coord_parse("T19", 19, &row, &col));
    assert_int_equal(row, 18);
    assert_int_equal(col, 18);
    assert_true(game_coord_parse("Z25", 25, &row, &col));
    assert_int_equal(row, 24);
    assert_int_equal(col, 24);
    assert_true(game_coord_parse("k10", 19, &row, &col)); /* case-insensitive */
    assert_int_equal(row, 9);
    assert_int_equal(col, 9);
}

static void rejects_malformed_and_off_board(void **state)
{
    int row = -7, col = -7;
    const char *bad[] = {"",
                         "I5",
                         "A0",
                         "A",
                         "1A",
                         "A01",
                         "A-1",
                         "A1x",
                         "A 1",
                         "AA1",
                         "Q1" /* col 15 on 15x15: P is col 14, I is skipped */,
                         "A16",
                         "A100",
                         " A1",
                         "@1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(game_coord_parse(bad[i], 15, &row, &col));
    }
    assert_false(game_coord_parse(NULL, 15, &row, &col));
    assert_int_equal(row, -7); /* untouched on failure */
    assert_int_equal(col, -7);
}

static void formats_and_round_trips_every_cell(void **state)
{
    char text[GAME_COORD_MAX];
    assert_true(game_coord_format(7, 7, text));
    assert_string_equal(text, "H8");
    assert_true(game_coord_format(0, 8, text));
    assert_string_equal(text, "J1");
    for (int r = 0; r < 25; r++) {
        for (int c = 0; c < 25; c++) {
            int row, col;
            assert_true(game_coord_format(r, c, text));
            assert_true(game_coord_parse(text, 25, &row, &col));
            assert_int_equal(row, r);
            assert_int_equal(col, c);
        }
    }
    assert_false(game_coord_format(25, 0, text));
    assert_string_equal(text, "");
    assert_false(game_coord_format(0, -1, text));
    assert_int_equal(game_column_letter(8), 'J');
    assert_int_equal(game_column_letter(25), '?');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_corners_and_skips_i),
        cmocka_unit_test(rejects_malformed_and_off_board),
        cmocka_unit_test(formats_and_round_trips_every_cell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
