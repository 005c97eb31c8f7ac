/* gomoku-match: the openings file, the referee's judgement of moves, and
 * the parsing of a brain's move answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match/openings.h"
#include "game/record.h"
#include "match/referee.h"

static void parses_stones_comments_and_blank_lines(void **state)
{
    const char *text = "# header comment\n"
                       "7,7 8,8 6,8   # three stones\n"
                       "\n"
                       "   \t\n"
                       "0,0\t14,14\r\n"
                       "# 1,1 2,2 (commented out)\n"
                       "7,7 7,6 10,10 6,6";
    match_openings_t o;
    char err[256];
    assert_true(match_openings_parse(text, "t.txt", 15, &o, err, sizeof(err)));
    assert_int_equal(o.n, 3);
    assert_int_equal(o.items[0].n, 3);
    assert_int_equal(o.items[0].line, 2);
    assert_int_equal(o.items[0].x[0], 7);
    assert_int_equal(o.items[0].y[0], 7);
    assert_int_equal(o.items[0].x[2], 6);
    assert_int_equal(o.items[0].y[2], 8);
    assert_int_equal(o.items[1].n, 2);
    assert_int_equal(o.items[1].line, 5);
    assert_int_equal(o.items[1].x[1], 14);
    assert_int_equal(o.items[1].y[1], 14);
    assert_int_equal(o.items[2].n, 4);
    assert_int_equal(o.items[2].line, 7);
    char buf[128];
    match_opening_format(&o.items[2], buf, sizeof(buf));
    assert_string_equal(buf, "7,7 7,6 10,10 6,6");
    match_openings_free(&o);
    assert_int_equal(o.n, 0);
}

static void refuses_bad_lines_with_their_line_number(void **state)
{
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"7,7 8,8\n7,7 15,3\n", "t.txt:2: stone 15,3 is off the 15x15 board"},
        {"7,7 8,8 7,7\n", "t.txt:1: stone 7,7 is played twice"},
        {"7,7 8;8\n", "t.txt:1: bad stone '8;8'"},
        {"7,7 8,\n", "t.txt:1: bad stone '8,'"},
        {"7,7 -1,3\n", "t.txt:1: bad stone '-1,3'"},
        {"7,7 8,8,1\n", "t.txt:1: bad stone '8,8,1'"},
        {"7,7 H8\n", "t.txt:1: bad stone 'H8'"},
        {"7 , 7\n", "t.txt:1: bad stone '7'"},
        {"# only comments\n\n", "t.txt: no opening in the file"},
        {"", "t.txt: no opening in the file"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        match_openings_t o;
        char err[256] = "";
        assert_false(match_openings_parse(bad[i].text, "t.txt", 15, &o, err, sizeof(err)));
        if (!strstr(err, bad[i].needle))
            fail_msg("case %zu: got '%s', expected '%s'", i, err, bad[i].needle);
        assert_null(o.items);
    }
    /* The board size decides what is on it. */
    match_openings_t o;
    char err[256];
    assert_true(match_openings_parse("18,18\n", "t.txt", 19, &o, err, sizeof(err)));
    match_openings_free(&o);
    assert_false(match_openings_parse("18,18\n", "t.txt", 15, &o, err, sizeof(err)));
}

static void too_many_stones(void **state)
{
    char text[2048] = "";
    size_t used = 0;
    for (int i = 0; i < MATCH_OPENING_MAX + 1; i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%d,%d ", i % 25, i / 25);
    match_openings_t o;
    char err[256];
    assert_false(match_openings_parse(text, "t.txt", 25, &o, err, sizeof(err)));
    assert_non_null(strstr(err, "more than 64 stones"));
}

static void loads_a_file(void **state)
{
    char path[] = "/tmp/test_match_openings_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "7,7 8,8\n# c\n1,2 3,4 5,6\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    match_openings_t o;
    char err[256];
    assert_true(match_openings_load(path, 15, &o, err, sizeof(err)));
    assert_int_equal(o.n, 2);
    assert_int_equal(o.items[1].line, 3);
    assert_int_equal(o.items[1].y[2], 6);
    match_openings_free(&o);
    unlink(path);
    assert_false(match_openings_load(path, 15, &o, err, sizeof(err)));
    assert_non_null(strstr(err, "No such file"));
}

static void move_answers(void **state)
{
    int x = -1, y = -1;
    assert_true(match_parse_move("7,8", &x, &y));
    assert_int_equal(x, 7);
    assert_int_equal(y, 8);
    assert_true(match_parse_move(" 12 , 0 ", &x, &y));
    assert_int_equal(x, 12);
    assert_int_equal(y, 0);
    static const char *const bad[] = {"",     "7",   "7,",    ",7", "7,8,1",  "H8",
                                      "-1,3", "7;8", "7,8 x", "OK", "12345,1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (match_parse_move(bad[i], &x, &y))
            fail_msg("'%s' was taken for a move", bad[i]);
}

static void referee_judges_moves(void **state)
{
    char why[128];
    match_referee_t r;
    match_referee_init(&r, 15, ENGINE_RULE_FREESTYLE);
    assert_int_equal(match_referee_play(&r, 7, 7, ENGINE_BLACK, why, sizeof(why)), MATCH_PLAY_ON);
    assert_int_equal(match_referee_play(&r, 7, 7, ENGINE_WHITE, why, sizeof(why)),
                     MATCH_PLAY_ILLEGAL);
    assert_string_equal(why, "7,7 is occupied");
    assert_int_equal(match_referee_play(&r, 15, 0, ENGINE_WHITE, why, sizeof(why)),
                     MATCH_PLAY_ILLEGAL);
    assert_string_equal(why, "15,0 is off the 15x15 board");
    /* x is the column: black fills row 7 from column 3 to 7. */
    for (int x = 3; x < 7; x++) {
        assert_int_equal(match_referee_play(&r, x, 0, ENGINE_WHITE, why, sizeof(why)),
                         MATCH_PLAY_ON);
        match_verdict_t v = match_referee_play(&r, x, 7, ENGINE_BLACK, why, sizeof(why));
        assert_int_equal(v, x == 6 ? MATCH_PLAY_WIN : MATCH_PLAY_ON);
    }
}

static void overline_and_full_board(void **state)
{
    char why[128];
    /* X X X . X X: the gap filled makes six. */
    for (int rule = ENGINE_RULE_FREESTYLE; rule <= ENGINE_RULE_STANDARD; rule++) {
        match_referee_t r;
        match_referee_init(&r, 15, (engine_rule_t)rule);
        const int xs[] = {0, 1, 2, 4, 5};
        for (int i = 0; i < 5; i++)
            assert_int_equal(match_referee_play(&r, xs[i], 3, ENGINE_BLACK, why, sizeof(why)),
                             MATCH_PLAY_ON);
        assert_int_equal(match_referee_play(&r, 3, 3, ENGINE_BLACK, why, sizeof(why)),
                         rule == ENGINE_RULE_FREESTYLE ? MATCH_PLAY_WIN : MATCH_PLAY_ON);
    }
    /* 5x5 filled without a five (colour by (x + 2y) mod 4 < 2: no run of
     * five in any line); the last stone is a draw. */
    match_referee_t r;
    match_referee_init(&r, 5, ENGINE_RULE_FREESTYLE);
    int placed = 0;
    for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 5; x++) {
            engine_color_t c = (x + 2 * y) % 4 < 2 ? ENGINE_BLACK : ENGINE_WHITE;
            match_verdict_t v = match_referee_play(&r, x, y, c, why, sizeof(why));
            placed++;
            assert_int_equal(v, placed == 25 ? MATCH_PLAY_DRAW : MATCH_PLAY_ON);
        }
    }
}

/* Plays stones "x,y" alternately from black; every one must be legal and
 * not end the game. */
static void play_all(match_referee_t *r, const int (*xy)[2], int n)
{
    char why[160];
    for (int i = 0; i < n; i++)
        assert_int_equal(match_referee_play(r, xy[i][0], xy[i][1],
                                            i % 2 ? ENGINE_WHITE : ENGINE_BLACK, why, sizeof(why)),
                         MATCH_PLAY_ON);
}

static void renju_forbids_black_and_judges_fives(void **state)
{
    char why[160];
    match_referee_t r;
    /* Open twos of black crossing at 7,7: a double three there. */
    static const int cross[][2] = {{7, 5}, {0, 0}, {7, 6}, {0, 2}, {5, 7}, {0, 4}, {6, 7}, {0, 6}};
    match_referee_init(&r, 15, ENGINE_RULE_RENJU);
    play_all(&r, cross, 8);
    assert_int_equal(match_referee_play(&r, 7, 7, ENGINE_BLACK, why, sizeof(why)),
                     MATCH_PLAY_ILLEGAL);
    assert_non_null(strstr(why, "7,7 is forbidden to black under renju: double three"));
    /* The same shape is no offence for white, nor under the other rules. */
    match_referee_init(&r, 15, ENGINE_RULE_STANDARD);
    play_all(&r, cross, 8);
    assert_int_equal(match_referee_play(&r, 7, 7, ENGINE_BLACK, why, sizeof(why)), MATCH_PLAY_ON);

    /* Black's overline is forbidden; white's six wins. */
    static const int six[][2] = {{1, 3},  {1, 10}, {2, 3},  {2, 10}, {3, 3},
                                 {3, 10}, {5, 3},  {5, 10}, {6, 3},  {6, 10}};
    match_referee_init(&r, 15, ENGINE_RULE_RENJU);
    play_all(&r, six, 10);
    assert_int_equal(match_referee_play(&r, 4, 3, ENGINE_BLACK, why, sizeof(why)),
                     MATCH_PLAY_ILLEGAL);
    assert_non_null(strstr(why, "overline"));
    assert_int_equal(match_referee_play(&r, 0, 0, ENGINE_BLACK, why, sizeof(why)), MATCH_PLAY_ON);
    assert_int_equal(match_referee_play(&r, 4, 10, ENGINE_WHITE, why, sizeof(why)), MATCH_PLAY_WIN);

    /* Black's exactly five wins. */
    static const int five[][2] = {{3, 3}, {3, 10}, {4, 3}, {4, 10},
                                  {5, 3}, {5, 10}, {6, 3}, {6, 10}};
    match_referee_init(&r, 15, ENGINE_RULE_RENJU);
    play_all(&r, five, 8);
    assert_int_equal(match_referee_play(&r, 7, 3, ENGINE_BLACK, why, sizeof(why)), MATCH_PLAY_WIN);
}

static void rules(void **state)
{
    assert_int_equal(match_rule_gomocup(ENGINE_RULE_FREESTYLE), 0);
    assert_int_equal(match_rule_gomocup(ENGINE_RULE_STANDARD), 1);
    assert_int_equal(match_rule_gomocup(ENGINE_RULE_RENJU), 4);
    assert_string_equal(game_rule_name(ENGINE_RULE_STANDARD), "standard");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_stones_comments_and_blank_lines),
        cmocka_unit_test(refuses_bad_lines_with_their_line_number),
        cmocka_unit_test(renju_forbids_black_and_judges_fives),
        cmocka_unit_test(too_many_stones),
        cmocka_unit_test(loads_a_file),
        cmocka_unit_test(move_answers),
        cmocka_unit_test(referee_judges_moves),
        cmocka_unit_test(overline_and_full_board),
        cmocka_unit_test(rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
