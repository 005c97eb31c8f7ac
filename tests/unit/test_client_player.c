/* The simulated human: wins in one, blocks a four and an open three, only
 * ever plays legal moves, and plays the same game for the same seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "client/player.h"

static game_record_t *new_record(int size)
{
    game_record_t *rec = malloc(sizeof(*rec));
    assert_non_null(rec);
    game_record_init(rec);
    rec->board_size = size;
    rec->players[GAME_SIDE_X].kind = GAME_AI;
    return rec;
}

/* Plays the (row, col) pairs in order, X first. */
static void play(game_record_t *rec, const int (*moves)[2], int n)
{
    game_error_t err;
    for (int i = 0; i < n; i++) {
        if (game_record_append(rec, moves[i][0], moves[i][1], GAME_AI, &err) != GAME_OK) {
            fail_msg("setup move %d [%d, %d]: %s", i + 1, moves[i][0], moves[i][1], err.message);
        }
    }
}

static void test_wins_in_one(void **state)
{
    /* X has an open four in row 7 (cols 3..6); O has one in row 9 too. X to
     * move must take a win ([7, 2] or [7, 7]), not block. */
    game_record_t *rec = new_record(15);
    const int moves[][2] = {{7, 3}, {9, 3}, {7, 4}, {9, 4}, {7, 5}, {9, 5}, {7, 6}, {9, 6}};
    play(rec, moves, 8);
    for (uint64_t seed = 0; seed < 50; seed++) {
        client_rng_t rng;
        client_rng_seed(&rng, seed);
        int r, c;
        assert_true(client_player_choose(rec, &rng, &r, &c));
        if (!(r == 7 && (c == 7 || c == 2))) {
            fail_msg("seed %llu: played [%d, %d] instead of winning", (unsigned long long)seed, r,
                     c);
        }
    }
    free(rec);
}

static void test_blocks_four(void **state)
{
    /* O has a four in column 10 (rows 3..6) closed by X at [2, 10]; X must
     * take [7, 10]. X's own stones are scattered. */
    game_record_t *rec = new_record(15);
    const int moves[][2] = {{2, 10}, {3, 10}, {12, 1}, {4, 10}, {12, 4}, {5, 10}, {0, 14}, {6, 10}};
    play(rec, moves, 8);
    for (uint64_t seed = 0; seed < 50; seed++) {
        client_rng_t rng;
        client_rng_seed(&rng, seed);
        int r, c;
        assert_true(client_player_choose(rec, &rng, &r, &c));
        if (!(r == 7 && c == 10)) {
            fail_msg("seed %llu: played [%d, %d] instead of blocking at [7, 10]",
                     (unsigned long long)seed, r, c);
        }
    }
    free(rec);
}

static void test_blocks_open_three(void **state)
{
    /* O has an open three on the diagonal [4,4] [5,5] [6,6]; X has nothing
     * better than stopping it at one end, [3, 3] or [7, 7]. */
    game_record_t *rec = new_record(15);
    const int moves[][2] = {{0, 14}, {4, 4}, {14, 0}, {5, 5}, {14, 14}, {6, 6}};
    play(rec, moves, 6);
    for (uint64_t seed = 0; seed < 50; seed++) {
        client_rng_t rng;
        client_rng_seed(&rng, seed);
        int r, c;
        assert_true(client_player_choose(rec, &rng, &r, &c));
        if (!((r == 3 && c == 3) || (r == 7 && c == 7))) {
            fail_msg("seed %llu: played [%d, %d], leaving the open three", (unsigned long long)seed,
                     r, c);
        }
    }
    free(rec);
}

/* Plays a whole game of the player against itself on `size`, checking
 * every move, and returns the final record (caller frees). */
static game_record_t *self_play(uint64_t seed, int size, engine_rule_t rule)
{
    game_record_t *rec = new_record(size);
    rec->rule = rule;
    client_rng_t rng;
    client_rng_seed(&rng, seed);
    game_board_t board;
    while (!game_record_finished(rec)) {
        int r, c;
        assert_true(client_player_choose(rec, &rng, &r, &c));
        game_record_board(rec, &board);
        assert_true(r >= 0 && c >= 0 && r < size && c < size);
        assert_int_equal(board.cells[r * size + c], ENGINE_EMPTY);
        game_error_t err;
        assert_int_equal(game_record_append(rec, r, c, GAME_AI, &err), GAME_OK);
    }
    int rr, cc;
    client_rng_t spare;
    client_rng_seed(&spare, 1);
    assert_false(client_player_choose(rec, &spare, &rr, &cc));
    return rec;
}

static void test_always_legal(void **state)
{
    /* Self-play to the end on several sizes, including tiny boards that
     * fill up and end in draws. */
    const int sizes[] = {5, 6, 7, 15, 19, 25};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (uint64_t seed = 0; seed < 8; seed++) {
            engine_rule_t rule = seed % 2 ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE;
            free(self_play(seed, sizes[s], rule));
        }
    }
}

static void test_deterministic_for_a_seed(void **state)
{
    game_record_t *a = self_play(1234, 15, ENGINE_RULE_FREESTYLE);
    game_record_t *b = self_play(1234, 15, ENGINE_RULE_FREESTYLE);
    assert_int_equal(a->n_moves, b->n_moves);
    for (int i = 0; i < a->n_moves; i++) {
        assert_int_equal(a->moves[i].row, b->moves[i].row);
        assert_int_equal(a->moves[i].col, b->moves[i].col);
    }
    /* Other seeds give other games. */
    int different = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        game_record_t *c = self_play(1234 + seed, 15, ENGINE_RULE_FREESTYLE);
        bool same = c->n_moves == a->n_moves;
        for (int i = 0; same && i < a->n_moves; i++) {
            same = a->moves[i].row == c->moves[i].row && a->moves[i].col == c->moves[i].col;
        }
        different += !same;
        free(c);
    }
    assert_true(different >= 6);
    free(a);
    free(b);
}

static void test_opens_near_centre(void **state)
{
    game_record_t *rec = new_record(15);
    for (uint64_t seed = 0; seed < 30; seed++) {
        client_rng_t rng;
        client_rng_seed(&rng, seed);
        int r, c;
        assert_true(client_player_choose(rec, &rng, &r, &c));
        assert_true(r >= 6 && r <= 8 && c >= 6 && c <= 8);
    }
    free(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wins_in_one),
        cmocka_unit_test(test_blocks_four),
        cmocka_unit_test(test_blocks_open_three),
        cmocka_unit_test(test_always_legal),
        cmocka_unit_test(test_deterministic_for_a_seed),
        cmocka_unit_test(test_opens_near_centre),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
