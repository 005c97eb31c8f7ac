/*
 * test_pbrain_protocol.c: the Gomocup protocol state machine, line by line.
 *
 * The unit-test glob links only the tree's shared libraries, so the module
 * under test is compiled into this program directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pbrain/protocol.c"

static pbrain_state_t st;
static pbrain_out_t out;

/* Feeds one line; returns the action and leaves the replies in out.text. */
static pbrain_action_t feed(const char *line)
{
    out.len = 0;
    out.text[0] = '\0';
    return pbrain_feed(&st, line, &out);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int setup(void **state)
{
    pbrain_init(&st, "name=\"test\"");
    return 0;
}

static void test_start_sizes(void **state)
{
    assert_int_equal(feed("START 15"), PBRAIN_ACT_NONE);
    assert_string_equal(out.text, "OK\n");
    assert_int_equal(st.size, 15);
    feed("START 4");
    assert_true(starts_with(out.text, "ERROR"));
    feed("START 26");
    assert_true(starts_with(out.text, "ERROR"));
    feed("START 99999999999999999999");
    assert_true(starts_with(out.text, "ERROR"));
    feed("START");
    assert_true(starts_with(out.text, "ERROR"));
    feed("START abc");
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(st.size, 15); /* failed STARTs change nothing */
    feed("START 5");
    assert_string_equal(out.text, "OK\n");
    feed("start 25");
    assert_string_equal(out.text, "OK\n");
    assert_int_equal(st.size, 25);
}

static void test_rectstart(void **state)
{
    feed("RECTSTART 20,15");
    assert_true(starts_with(out.text, "ERROR"));
    assert_false(st.started);
    feed("RECTSTART 19,19");
    assert_string_equal(out.text, "OK\n");
    assert_int_equal(st.size, 19);
    feed("RECTSTART 19");
    assert_true(starts_with(out.text, "ERROR"));
}

static void test_commands_before_start(void **state)
{
    assert_int_equal(feed("BEGIN"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN 1,1"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    feed("BOARD");
    assert_true(starts_with(out.text, "ERROR"));
    feed("RESTART");
    assert_true(starts_with(out.text, "ERROR"));
    feed("TAKEBACK 1,1");
    assert_true(starts_with(out.text, "ERROR"));
}

static void test_begin_turn_and_own_moves(void **state)
{
    feed("START 15");
    assert_int_equal(feed("BEGIN"), PBRAIN_ACT_THINK);
    assert_string_equal(out.text, "");
    assert_true(pbrain_play_own(&st, 7, 7));
    assert_false(pbrain_play_own(&st, 7, 7)); /* occupied */
    assert_false(pbrain_play_own(&st, 15, 0));
    assert_int_equal(feed("TURN 8,7"), PBRAIN_ACT_THINK);
    assert_int_equal(st.cells[7 * 15 + 8], PBRAIN_OPP);

    engine_position_t pos;
    assert_true(pbrain_position(&st, &pos));
    assert_int_equal(pos.to_move, ENGINE_BLACK); /* we began */
    assert_int_equal(pos.n_stones, 2);
    assert_int_equal(pos.stones[0].at.col, 7);
    assert_int_equal(pos.stones[0].color, ENGINE_BLACK);
    assert_int_equal(pos.stones[1].at.col, 8); /* X is the column */
    assert_int_equal(pos.stones[1].at.row, 7);
    assert_int_equal(pos.stones[1].color, ENGINE_WHITE);
    assert_int_equal(pos.rule, ENGINE_RULE_FREESTYLE);
}

static void test_turn_as_white(void **state)
{
    feed("START 19");
    assert_int_equal(feed("TURN 3,4"), PBRAIN_ACT_THINK);
    engine_position_t pos;
    assert_true(pbrain_position(&st, &pos));
    assert_int_equal(pos.to_move, ENGINE_WHITE);
    assert_int_equal(pos.stones[0].color, ENGINE_BLACK);
    assert_int_equal(pos.stones[0].at.row, 4);
    assert_int_equal(pos.stones[0].at.col, 3);
}

static void test_illegal_turns(void **state)
{
    feed("START 15");
    feed("TURN 7,7");
    assert_int_equal(feed("TURN 7,7"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN 15,0"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN -1,3"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN 3"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN 3,4,5"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN a,b"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("TURN 3,4x"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(st.n_moves, 1);
    /* Blanks around numbers and the command are fine. */
    assert_int_equal(feed("  TURN   3 , 4  "), PBRAIN_ACT_THINK);
    assert_int_equal(st.cells[4 * 15 + 3], PBRAIN_OPP);
}

static void test_board_done(void **state)
{
    feed("START 15");
    feed("TURN 0,0"); /* BOARD replaces whatever was there */
    assert_int_equal(feed("BOARD"), PBRAIN_ACT_NONE);
    assert_string_equal(out.text, "");
    assert_int_equal(st.n_moves, 0);
    assert_int_equal(feed("7,7,2"), PBRAIN_ACT_NONE);
    assert_int_equal(feed("8,8,1"), PBRAIN_ACT_NONE);
    assert_int_equal(feed(" 9 , 9 , 2 "), PBRAIN_ACT_NONE);
    assert_string_equal(out.text, "");
    feed("9,9,1");
    assert_true(starts_with(out.text, "ERROR")); /* occupied */
    feed("20,1,1");
    assert_true(starts_with(out.text, "ERROR"));
    feed("1,1,4");
    assert_true(starts_with(out.text, "ERROR"));
    feed("garbage");
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(feed("DONE"), PBRAIN_ACT_THINK);
    assert_int_equal(st.n_moves, 3);

    engine_position_t pos;
    assert_true(pbrain_position(&st, &pos));
    assert_int_equal(pos.to_move, ENGINE_WHITE); /* 2 opponent stones, 1 own */
    assert_int_equal(pos.stones[0].color, ENGINE_BLACK);
    assert_int_equal(pos.stones[1].color, ENGINE_WHITE);
    assert_int_equal(pos.stones[1].at.row, 8);

    feed("DONE");
    assert_true(starts_with(out.text, "ERROR")); /* DONE without BOARD */
}

static void test_board_continuous_field(void **state)
{
    feed("START 15");
    feed("BOARD");
    feed("1,1,3");
    assert_string_equal(out.text, "");
    assert_int_equal(feed("DONE"), PBRAIN_ACT_THINK);
    assert_int_equal(st.cells[1 * 15 + 1], PBRAIN_OPP); /* never played on */
}

static void test_board_interrupted_by_command(void **state)
{
    feed("START 15");
    feed("BOARD");
    feed("7,7,1");
    assert_int_equal(feed("ABOUT"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    assert_non_null(strstr(out.text, "name=\"test\""));
    assert_false(st.in_board);
    assert_int_equal(st.n_moves, 1);
}

static void test_takeback(void **state)
{
    feed("START 15");
    feed("TURN 7,7");
    pbrain_play_own(&st, 8, 8);
    feed("TURN 9,9");
    feed("TAKEBACK 8,8");
    assert_string_equal(out.text, "OK\n");
    assert_int_equal(st.n_moves, 2);
    assert_int_equal(st.moves[1].x, 9); /* order of the rest is kept */
    assert_int_equal(st.cells[8 * 15 + 8], PBRAIN_EMPTY);
    feed("TAKEBACK 8,8");
    assert_true(starts_with(out.text, "ERROR"));
    feed("TAKEBACK 99,1");
    assert_true(starts_with(out.text, "ERROR"));
    feed("TAKEBACK 9,9");
    feed("TAKEBACK 7,7");
    assert_int_equal(st.n_moves, 0);
}

static void test_restart(void **state)
{
    feed("START 15");
    feed("TURN 7,7");
    feed("RESTART");
    assert_string_equal(out.text, "OK\n");
    assert_int_equal(st.n_moves, 0);
    assert_int_equal(st.size, 15);
}

static void test_info(void **state)
{
    feed("INFO timeout_turn 1000");
    assert_string_equal(out.text, "");
    assert_int_equal(st.info.timeout_turn_ms, 1000);
    feed("INFO timeout_match 180000");
    feed("INFO time_left -5");
    assert_int_equal(st.info.time_left_ms, -5);
    feed("INFO max_memory 83886080");
    assert_int_equal(pbrain_hash_mb(&st.info), 40);
    feed("INFO game_type 1");
    feed("INFO folder /tmp/x");
    feed("INFO evaluate 3,4");
    feed("INFO some_new_key 12");
    assert_string_equal(out.text, "");
    feed("INFO timeout_turn soon");
    assert_true(starts_with(out.text, "ERROR"));
    assert_int_equal(st.info.timeout_turn_ms, 1000);
    feed("INFO max_node 5000");
    feed("INFO max_depth 6");
    engine_limits_t lim = pbrain_limits(&st.info, 0);
    assert_int_equal(lim.nodes, 5000);
    assert_int_equal(lim.depth, 6);
}

static void test_rules(void **state)
{
    engine_position_t pos;
    feed("START 15");
    feed("INFO rule 1");
    assert_true(pbrain_position(&st, &pos));
    assert_int_equal(pos.rule, ENGINE_RULE_STANDARD);
    feed("INFO rule 0");
    assert_true(pbrain_position(&st, &pos));
    assert_int_equal(pos.rule, ENGINE_RULE_FREESTYLE);
    feed("INFO rule 2"); /* continuous game: rules of play unchanged */
    assert_string_equal(out.text, "");
    assert_true(pbrain_position(&st, &pos));
    assert_int_equal(pos.rule, ENGINE_RULE_FREESTYLE);
    feed("INFO rule 4");
    assert_string_equal(out.text, "");       /* renju is played, not announced */
    assert_true(pbrain_position(&st, &pos)); /* black to move */
    assert_int_equal(pos.rule, ENGINE_RULE_RENJU);
    assert_int_equal(pos.to_move, ENGINE_BLACK);
    feed("TURN 7,7");
    assert_true(pbrain_position(&st, &pos)); /* white to move */
    assert_int_equal(pos.rule, ENGINE_RULE_RENJU);
    assert_int_equal(pos.to_move, ENGINE_WHITE);
}

static void test_yxboard_and_showforbid(void **state)
{
    assert_int_equal(feed("YXSHOWFORBID"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "ERROR"));
    feed("START 15");
    assert_int_equal(feed("YXBOARD"), PBRAIN_ACT_NONE);
    assert_int_equal(feed("7,7,1"), PBRAIN_ACT_NONE);
    assert_int_equal(feed("8,8,2"), PBRAIN_ACT_NONE);
    assert_int_equal(feed("DONE"), PBRAIN_ACT_NONE); /* set up, no move asked */
    assert_int_equal(st.n_moves, 2);
    assert_int_equal(feed("YXSHOWFORBID"), PBRAIN_ACT_FORBID);
    assert_string_equal(out.text, "");
    /* BOARD still asks for a move. */
    feed("BOARD");
    assert_int_equal(feed("DONE"), PBRAIN_ACT_THINK);

    char buf[64];
    engine_move_t cells[2] = {{.row = 7, .col = 9}, {.row = 12, .col = 3}};
    assert_int_equal(pbrain_forbid_text(cells, 2, buf, sizeof(buf)), strlen("FORBID 09070312.\n"));
    assert_string_equal(buf, "FORBID 09070312.\n");
    assert_int_equal(pbrain_forbid_text(cells, 0, buf, sizeof(buf)), strlen("FORBID .\n"));
    assert_string_equal(buf, "FORBID .\n");
    assert_int_equal(pbrain_forbid_text(cells, 2, buf, 10), 0);
}

static void test_about_end_unknown(void **state)
{
    feed("ABOUT");
    assert_string_equal(out.text, "name=\"test\"\n");
    assert_int_equal(feed("FROBNICATE 1 2"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "UNKNOWN"));
    assert_int_equal(feed("SWAP2BOARD"), PBRAIN_ACT_NONE);
    assert_true(starts_with(out.text, "UNKNOWN"));
    assert_int_equal(feed(""), PBRAIN_ACT_NONE);
    assert_string_equal(out.text, "");
    assert_int_equal(feed("   "), PBRAIN_ACT_NONE);
    assert_int_equal(feed("STOP"), PBRAIN_ACT_NONE); /* idle: ignored */
    assert_string_equal(out.text, "");
    assert_int_equal(feed("END"), PBRAIN_ACT_QUIT);
    assert_int_equal(feed("end"), PBRAIN_ACT_QUIT);
}

static void test_play_extension(void **state)
{
    feed("START 15");
    assert_int_equal(feed("PLAY 3,3"), PBRAIN_ACT_NONE);
    assert_string_equal(out.text, "3,3\n");
    assert_int_equal(st.cells[3 * 15 + 3], PBRAIN_OWN);
    feed("PLAY 3,3");
    assert_true(starts_with(out.text, "ERROR"));
}

static void test_urgent(void **state)
{
    assert_int_equal(pbrain_urgent("END"), PBRAIN_URGENT_END);
    assert_int_equal(pbrain_urgent("  end  "), PBRAIN_URGENT_END);
    assert_int_equal(pbrain_urgent("ENDX"), PBRAIN_URGENT_NONE);
    assert_int_equal(pbrain_urgent("STOP"), PBRAIN_URGENT_STOP);
    assert_int_equal(pbrain_urgent("YXSTOP"), PBRAIN_URGENT_STOP);
    assert_int_equal(pbrain_urgent("TURN 1,1"), PBRAIN_URGENT_NONE);
    assert_int_equal(pbrain_urgent("INFO time_left 5"), PBRAIN_URGENT_NONE);
}

static void test_limits(void **state)
{
    pbrain_info_t in = st.info; /* nothing sent yet */
    engine_limits_t lim = pbrain_limits(&in, 0);
    assert_true(lim.time_ms > 0 && lim.time_ms < PBRAIN_DEFAULT_TURN_MS);
    assert_int_equal(lim.nodes, 0);

    in.timeout_turn_ms = 1000;
    lim = pbrain_limits(&in, 0);
    assert_true(lim.time_ms >= 900 && lim.time_ms <= 970); /* margin kept */

    in.timeout_turn_ms = 0; /* play fast */
    lim = pbrain_limits(&in, 0);
    assert_int_equal(lim.time_ms, PBRAIN_FAST_MS);

    in.timeout_turn_ms = 10; /* tiny: at least half of it, at least 1 ms */
    lim = pbrain_limits(&in, 0);
    assert_true(lim.time_ms >= 1 && lim.time_ms <= 10);

    in.timeout_turn_ms = 30000;
    in.timeout_match_ms = 180000;
    in.time_left_ms = 180000;
    lim = pbrain_limits(&in, 0);
    assert_true(lim.time_ms <= 180000 / 10 && lim.time_ms >= 1000);
    in.time_left_ms = 3000; /* the game clock decides */
    lim = pbrain_limits(&in, 100);
    assert_true(lim.time_ms <= 300 && lim.time_ms >= 1);
    in.time_left_ms = -20; /* already over: answer at once */
    lim = pbrain_limits(&in, 100);
    assert_int_equal(lim.time_ms, 1);
    in.time_left_ms = PBRAIN_UNLIMITED_MS; /* no clock */
    lim = pbrain_limits(&in, 100);
    assert_true(lim.time_ms >= 29000);
    in.timeout_match_ms = 0; /* 0 = no game clock: time_left ignored */
    in.time_left_ms = 3000;
    lim = pbrain_limits(&in, 100);
    assert_true(lim.time_ms >= 29000);
}

static void test_hash_size(void **state)
{
    pbrain_info_t in = st.info;
    assert_int_equal(pbrain_hash_mb(&in), PBRAIN_DEFAULT_HASH_MB);
    in.max_memory = 0; /* no limit */
    assert_int_equal(pbrain_hash_mb(&in), PBRAIN_DEFAULT_HASH_MB);
    in.max_memory = 350 * 1024 * 1024;
    assert_int_equal(pbrain_hash_mb(&in), 175);
    in.max_memory = 1000;
    assert_int_equal(pbrain_hash_mb(&in), 1);
    in.max_memory = (int64_t)1 << 40;
    assert_int_equal(pbrain_hash_mb(&in), 256);
}

static void test_fallback(void **state)
{
    int x, y;
    feed("START 5");
    assert_true(pbrain_fallback_move(&st, &x, &y));
    assert_int_equal(x, 2);
    assert_int_equal(y, 2);
    for (int i = 0; i < 25; i++)
        pbrain_play_own(&st, i % 5, i / 5);
    assert_false(pbrain_fallback_move(&st, &x, &y));
}

/* Feeds a whole string to the splitter and joins the lines with '|'. */
static void split_all(const char *bytes, char *joined, size_t cap)
{
    pbrain_splitter_t sp = {0};
    joined[0] = '\0';
    for (const char *p = bytes; *p; p++) {
        const char *line;
        bool truncated;
        if (pbrain_split_byte(&sp, *p, &line, &truncated)) {
            strncat(joined, truncated ? "!" : "", cap - strlen(joined) - 1);
            strncat(joined, line, cap - strlen(joined) - 1);
            strncat(joined, "|", cap - strlen(joined) - 1);
        }
    }
}

static void test_line_ends(void **state)
{
    char joined[2048];
    split_all("START 15\r\nBEGIN\nTURN 1,1\rABOUT\r\n\r\n\n\nEND\n", joined, sizeof(joined));
    assert_string_equal(joined, "START 15|BEGIN|TURN 1,1|ABOUT|END|");
    split_all("no end yet", joined, sizeof(joined));
    assert_string_equal(joined, "");

    char longline[PBRAIN_LINE_MAX + 100];
    memset(longline, 'A', sizeof(longline) - 2);
    longline[sizeof(longline) - 2] = '\n';
    longline[sizeof(longline) - 1] = '\0';
    split_all(longline, joined, sizeof(joined));
    assert_int_equal(joined[0], '!');
    assert_int_equal(strlen(joined), PBRAIN_LINE_MAX + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_start_sizes, setup),
        cmocka_unit_test_setup(test_rectstart, setup),
        cmocka_unit_test_setup(test_commands_before_start, setup),
        cmocka_unit_test_setup(test_begin_turn_and_own_moves, setup),
        cmocka_unit_test_setup(test_turn_as_white, setup),
        cmocka_unit_test_setup(test_illegal_turns, setup),
        cmocka_unit_test_setup(test_board_done, setup),
        cmocka_unit_test_setup(test_board_continuous_field, setup),
        cmocka_unit_test_setup(test_board_interrupted_by_command, setup),
        cmocka_unit_test_setup(test_takeback, setup),
        cmocka_unit_test_setup(test_restart, setup),
        cmocka_unit_test_setup(test_info, setup),
        cmocka_unit_test_setup(test_rules, setup),
        cmocka_unit_test_setup(test_yxboard_and_showforbid, setup),
        cmocka_unit_test_setup(test_about_end_unknown, setup),
        cmocka_unit_test_setup(test_play_extension, setup),
        cmocka_unit_test_setup(test_urgent, setup),
        cmocka_unit_test_setup(test_limits, setup),
        cmocka_unit_test_setup(test_hash_size, setup),
        cmocka_unit_test_setup(test_fallback, setup),
        cmocka_unit_test_setup(test_line_ends, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
