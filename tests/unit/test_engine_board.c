/* Incremental board: make/unmake over random games against recomputation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/eval.h"
#include "engine/movegen.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static unsigned next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state >> 11);
}

/* A random empty cell, usually near the stones so that patterns form. */
static int random_move(const board_t *b)
{
    for (int tries = 0; tries < 1000; tries++) {
        int r = (int)(next_rand() % (unsigned)b->size), c = (int)(next_rand() % (unsigned)b->size);
        int cell = board_cell(r, c);
        if (b->cell[cell] != CELL_EMPTY)
            continue;
        if (b->n_moves == 0 || b->near[cell] || next_rand() % 8 == 0)
            return cell;
    }
    for (int r = 0; r < b->size; r++)
        for (int c = 0; c < b->size; c++)
            if (b->cell[board_cell(r, c)] == CELL_EMPTY)
                return board_cell(r, c);
    return BOARD_NONE;
}

/* The evaluation network's accumulators equal their definition (eval.h),
 * summed from the tables over the empty cells: board_verify() compares with
 * a board built by the same incremental code, which would share a wrong
 * row or sign. */
static void assert_acc_from_scratch(const board_t *b)
{
    for (int us = CELL_BLACK; us <= CELL_WHITE; us++) {
        int32_t sum[EVAL_NET_HIDDEN] = {0};
        for (int r = 0; r < b->size; r++)
            for (int c = 0; c < b->size; c++) {
                int cell = board_cell(r, c);
                if (b->cell[cell] != CELL_EMPTY)
                    continue;
                const int16_t *ours = eval_net_shape[eval_shape(b->cidx[cell][us])];
                const int16_t *theirs = eval_net_shape[eval_shape(b->cidx[cell][3 - us])];
                for (int j = 0; j < EVAL_NET_HIDDEN; j++)
                    sum[j] += ours[EVAL_TO_MOVE * EVAL_NET_HIDDEN + j] +
                              theirs[EVAL_WAITING * EVAL_NET_HIDDEN + j];
            }
        for (int j = 0; j < EVAL_NET_HIDDEN; j++)
            assert_int_equal(b->acc[us][j], sum[j]);
    }
}

static void random_games(engine_rule_t rule)
{
    static const int sizes[] = {5, 6, 9, 15, 19, 20, 25};
    board_t *b = malloc(sizeof(*b));
    board_t *start = malloc(sizeof(*start));
    assert_non_null(b);
    assert_non_null(start);
    for (int g = 0; g < 28; g++) {
        int size = sizes[g % 7];
        board_reset(b, size, rule);
        assert_true(board_verify(b));
        memcpy(start, b, sizeof(*b));
        int n = size * size < 120 ? size * size : 60 + (int)(next_rand() % 60);
        for (int i = 0, steps = 0; i < n; i++, steps++) {
            int m = random_move(b);
            assert_int_not_equal(m, BOARD_NONE);
            board_make(b, m);
            assert_int_equal(b->key, board_compute_key(b));
            if (steps % 7 == 0 || i == n - 1) {
                assert_true(board_verify(b));
                assert_acc_from_scratch(b);
            }
            /* Sometimes take back a few moves and play others. */
            if (steps % 11 == 10) {
                int back = 1 + (int)(next_rand() % 3);
                for (int k = 0; k < back && b->n_moves > 0; k++) {
                    board_unmake(b);
                    i--;
                }
                assert_true(board_verify(b));
            }
        }
        while (b->n_moves > 0)
            board_unmake(b);
        /* Everything but the history buffers is back to the start. */
        assert_int_equal(b->key, start->key);
        assert_int_equal(b->to_move, start->to_move);
        assert_memory_equal(b->count, start->count, sizeof(b->count));
        assert_memory_equal(b->value, start->value, sizeof(b->value));
        assert_memory_equal(b->acc, start->acc, sizeof(b->acc));
        assert_memory_equal(b->cell, start->cell, sizeof(b->cell));
        assert_memory_equal(b->near, start->near, sizeof(b->near));
        assert_memory_equal(b->pat, start->pat, sizeof(b->pat));
        assert_memory_equal(b->cls, start->cls, sizeof(b->cls));
        assert_memory_equal(b->score, start->score, sizeof(b->score));
        assert_memory_equal(b->cval, start->cval, sizeof(b->cval));
        assert_memory_equal(&b->box, &start->box, sizeof(b->box));
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
                assert_memory_equal(b->key4[board_cell(r, c)], start->key4[board_cell(r, c)],
                                    sizeof(b->key4[0]));
    }
    free(start);
    free(b);
}

static void test_random_games_freestyle(void **state)
{
    random_games(ENGINE_RULE_FREESTYLE);
}

static void test_random_games_standard(void **state)
{
    random_games(ENGINE_RULE_STANDARD);
}

/* The threat counts see a four and an open three where a person would. */
static void test_threat_counts(void **state)
{
    board_t *b = malloc(sizeof(*b));
    assert_non_null(b);
    board_reset(b, 15, ENGINE_RULE_FREESTYLE);
    /* Black: open three on row 7, cols 5..7. */
    board_put(b, board_cell(7, 5), CELL_BLACK);
    board_put(b, board_cell(7, 6), CELL_BLACK);
    board_put(b, board_cell(7, 7), CELL_BLACK);
    assert_int_equal(b->count[CELL_BLACK][THREAT_FIVE], 0);
    assert_true(b->count[CELL_BLACK][THREAT_FLEX4] >= 2); /* cols 4 and 8 */
    assert_int_equal(b->cls[board_cell(7, 4)][CELL_BLACK], THREAT_FLEX4);
    assert_int_equal(b->cls[board_cell(7, 8)][CELL_BLACK], THREAT_FLEX4);
    board_put(b, board_cell(7, 8), CELL_BLACK);
    assert_int_equal(b->count[CELL_BLACK][THREAT_FIVE], 2);
    assert_int_equal(board_find_five(b, CELL_BLACK) == board_cell(7, 4) ||
                         board_find_five(b, CELL_BLACK) == board_cell(7, 9),
                     1);
    board_put(b, board_cell(7, 9), CELL_WHITE);
    assert_int_equal(b->count[CELL_BLACK][THREAT_FIVE], 1);
    assert_int_equal(board_find_five(b, CELL_BLACK), board_cell(7, 4));
    free(b);
}

/* Exact five: a four whose completion would be six is no four. */
static void test_overline_standard(void **state)
{
    board_t *b = malloc(sizeof(*b));
    assert_non_null(b);
    board_reset(b, 15, ENGINE_RULE_STANDARD);
    for (int c = 2; c <= 5; c++)
        board_put(b, board_cell(7, c), CELL_BLACK);
    board_put(b, board_cell(7, 7), CELL_BLACK); /* X X X X _ X */
    assert_int_not_equal(b->cls[board_cell(7, 6)][CELL_BLACK], THREAT_FIVE);
    assert_int_equal(b->cls[board_cell(7, 1)][CELL_BLACK], THREAT_FIVE);
    board_reset(b, 15, ENGINE_RULE_FREESTYLE);
    for (int c = 2; c <= 5; c++)
        board_put(b, board_cell(7, c), CELL_BLACK);
    board_put(b, board_cell(7, 7), CELL_BLACK);
    assert_int_equal(b->cls[board_cell(7, 6)][CELL_BLACK], THREAT_FIVE);
    free(b);
}

/* The distance buckets of the ordering, by geometry: 2 x (Chebyshev
 * distance - 1, at most 5) + 1 on a line; the last one for no move. */
static void test_near_buckets(void **state)
{
    assert_int_equal(eval_near_bucket(7, 7, 7, 8, true), 1);   /* adjacent, on the row */
    assert_int_equal(eval_near_bucket(7, 7, 8, 8, true), 1);   /* adjacent, diagonal */
    assert_int_equal(eval_near_bucket(7, 7, 9, 8, true), 2);   /* knight's move: off the lines */
    assert_int_equal(eval_near_bucket(7, 7, 4, 10, true), 5);  /* three away, anti-diagonal */
    assert_int_equal(eval_near_bucket(7, 7, 7, 13, true), 11); /* six away on the row */
    assert_int_equal(eval_near_bucket(0, 0, 14, 3, true), 10); /* far, off the lines */
    assert_int_equal(eval_near_bucket(7, 7, 0, 0, false), EVAL_NEAR_BUCKETS - 1);
}

/* Expected bucket, computed here from the definition. */
static int bucket_of(int c, const board_t *b, int back)
{
    if (b->n_moves < back)
        return EVAL_NEAR_BUCKETS - 1;
    int m = b->moves[b->n_moves - back];
    int dr = abs(board_row(c) - board_row(m)), dc = abs(board_col(c) - board_col(m));
    int cheb = dr > dc ? dr : dc;
    if (cheb > 6)
        cheb = 6;
    return 2 * (cheb - 1) + (dr == 0 || dc == 0 || dr == dc);
}

/* Every candidate's ordering score, in the list and from movegen_score(),
 * is the fitted policy of eval.h: shape tables, class pair and the
 * distances to the last two moves, which is what bench/evaltrain/train_eval
 * fits. */
static void test_ordering_scores(void **state)
{
    board_t *b = malloc(sizeof(*b));
    move_list_t *ml = malloc(sizeof(*ml));
    assert_non_null(b);
    assert_non_null(ml);
    bool pair_used = false, near_used = false;
    for (int k = 0; k < EVAL_NEAR_BUCKETS; k++)
        near_used |= eval_policy_near[0][k] != 0;
    for (int k = 0; k < THREAT_COUNT * THREAT_COUNT; k++)
        pair_used |= eval_policy_pair[k / THREAT_COUNT][k % THREAT_COUNT] != 0;
    assert_true(pair_used && near_used);
    for (int game = 0; game < 20; game++) {
        board_reset(b, 15, game % 2 ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE);
        board_make(b, board_cell(7, 7)); /* candidates lie near a stone */
        for (int ply = 0; ply < 40; ply++) {
            int us = b->to_move, them = 3 - us;
            if (b->count[us][THREAT_FIVE] || b->count[them][THREAT_FIVE])
                break;
            movegen_candidates(b, ml);
            assert_true(ml->n > 0);
            for (int i = 0; i < ml->n; i++) {
                int c = ml->move[i];
                int want = eval_policy[EVAL_TO_MOVE][eval_shape(b->cidx[c][us])] +
                           eval_policy[EVAL_WAITING][eval_shape(b->cidx[c][them])] +
                           eval_policy_pair[b->cls[c][us]][b->cls[c][them]] +
                           eval_policy_near[0][bucket_of(c, b, 1)] +
                           eval_policy_near[1][bucket_of(c, b, 2)];
                assert_int_equal(ml->score[i], want);
                assert_int_equal(movegen_score(b, c), want);
            }
            board_make(b, random_move(b));
        }
    }
    free(ml);
    free(b);
}

int main(void)
{
    assert_int_equal(engine_init(), ENGINE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_games_freestyle), cmocka_unit_test(test_random_games_standard),
        cmocka_unit_test(test_threat_counts),          cmocka_unit_test(test_overline_standard),
        cmocka_unit_test(test_near_buckets),           cmocka_unit_test(test_ordering_scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
