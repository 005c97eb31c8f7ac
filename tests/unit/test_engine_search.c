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
#include "engine/timeman.h"

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

/* A balanced middle-game position from self-play (15x15, 24 stones, black
 * to move; bench position free15-c). */
static const char *const middle_rows[] = {
    "...............", "...............", "...........O...", ".....X.....XO..",
    "..........OX.O.", ".........OXX.O.", "........OXOOX..", ".......XXO.X...",
    ".......OO.X....", "...............", "......X........", "...............",
};

static void test_open_three_answered(void **state)
{
    /* Black: open three on row 7, cols 6..8. White has nothing to counter
     * with, so must take (7,5) or (7,9). */
    const char *rows[] = {
        "...............", "...............", "...............", "...............",
        "...............", ".....O.........", "...............", "......XXX......",
        "...............", ".........O.....",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    for (int rule = 0; rule < 2; rule++) {
        position_from_rows(&pos, 15, (engine_rule_t)rule, ENGINE_WHITE, rows, 10);
        search_ok(ctx, &pos, (engine_limits_t){.depth = 6, .nodes = 2000000}, &res);
        assert_int_equal(res.move.row, 7);
        assert_true(res.move.col == 5 || res.move.col == 9);
    }
    engine_ctx_destroy(ctx);
}

static void test_vcf_taken(void **state)
{
    /* Black to move wins by fours: see test_engine_vcf.c (two_step). */
    const char *rows[] = {
        "...............", "...............", "...............", ".......O.......",
        ".....O.........", "......XX.......", ".....X.X.......", "...OXXX........",
        "...O.....O.....", ".......O.......", "...............", "...............",
        "............O..",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 13);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 4}, &res);
    assert_int_equal(res.score, ENGINE_WIN - 5);
    assert_true((res.move.row == 4 && res.move.col == 7) ||
                (res.move.row == 7 && res.move.col == 7));
    engine_ctx_destroy(ctx);
}

static void test_double_four_threat_stopped(void **state)
{
    /* Black threatens (7,8): a four on row 7 and one on column 8 at once.
     * White has no fours, so it must take that point away: (7,8) itself,
     * (7,7) (row 7 is then too short for five) or (8,8) (column 8 is then
     * boxed in by (3,8) and (8,8)). Black may still have other threats
     * afterwards; this test is about the double four only. */
    const char *rows[] = {
        "...............", "...............", "...............", "........O......",
        "........X......", "........X......", "........X......", "...OXXX........",
        "...............", "...............", "............O..",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    for (int rule = 0; rule < 2; rule++) {
        position_from_rows(&pos, 15, (engine_rule_t)rule, ENGINE_WHITE, rows, 11);
        search_ok(ctx, &pos, (engine_limits_t){.depth = 4}, &res);
        bool stops = (res.move.row == 7 && (res.move.col == 7 || res.move.col == 8)) ||
                     (res.move.row == 8 && res.move.col == 8);
        if (!stops)
            fail_msg("rule %d: white played %d,%d", rule, res.move.row, res.move.col);
    }
    engine_ctx_destroy(ctx);
}

static void test_deterministic(void **state)
{
    engine_ctx_t *a = new_ctx(), *b = new_ctx();
    engine_position_t pos;
    engine_result_t r1, r2, r3;
    position_from_rows(&pos, 15, ENGINE_RULE_STANDARD, ENGINE_BLACK, middle_rows, 11);
    engine_limits_t lim = {.nodes = 30000};
    search_ok(a, &pos, lim, &r1);
    search_ok(a, &pos, lim, &r2); /* same context, table full of the first run */
    search_ok(b, &pos, lim, &r3); /* a fresh context */
    assert_int_equal(r1.nodes, r2.nodes);
    assert_int_equal(r1.nodes, r3.nodes);
    assert_int_equal(r1.score, r2.score);
    assert_int_equal(r1.score, r3.score);
    assert_memory_equal(&r1.move, &r2.move, sizeof(r1.move));
    assert_memory_equal(&r1.move, &r3.move, sizeof(r1.move));
    lim = (engine_limits_t){.depth = 5};
    search_ok(a, &pos, lim, &r1);
    search_ok(b, &pos, lim, &r2);
    assert_int_equal(r1.nodes, r2.nodes);
    assert_memory_equal(&r1.move, &r2.move, sizeof(r1.move));
    engine_ctx_destroy(a);
    engine_ctx_destroy(b);
}

static void test_limits(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    static const uint64_t node_limits[] = {1, 2, 10, 100, 1000, 5000, 40000};
    for (size_t i = 0; i < sizeof(node_limits) / sizeof(node_limits[0]); i++) {
        search_ok(ctx, &pos, (engine_limits_t){.nodes = node_limits[i]}, &res);
        assert_true(res.nodes <= node_limits[i]);
    }
    for (int depth = 1; depth <= 5; depth++) {
        search_ok(ctx, &pos, (engine_limits_t){.depth = depth}, &res);
        assert_int_equal(res.depth, depth);
    }
    /* A large board and a tiny one. */
    position_from_rows(&pos, 25, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 3}, &res);
    const char *tiny[] = {"X.O..", ".X...", "..O..", ".....", "....."};
    position_from_rows(&pos, 5, ENGINE_RULE_STANDARD, ENGINE_WHITE, tiny, 5);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 8}, &res);
    engine_ctx_destroy(ctx);
}

/* Checks what every result promises about its ranked lines. */
static void check_lines(const engine_position_t *pos, const engine_result_t *r, int want)
{
    assert_true(r->n_lines >= 1 && r->n_lines <= want);
    assert_memory_equal(&r->lines[0].move, &r->move, sizeof(r->move));
    assert_int_equal(r->lines[0].score, r->score);
    assert_int_equal(r->lines[0].n_pv, r->n_pv);
    assert_memory_equal(r->lines[0].pv, r->pv, (size_t)r->n_pv * sizeof(r->pv[0]));
    for (int i = 0; i < r->n_lines; i++) {
        const engine_line_t *l = &r->lines[i];
        assert_true(is_empty_cell(pos, l->move));
        assert_true(l->n_pv >= 1 && l->n_pv <= ENGINE_MAX_PV);
        assert_memory_equal(&l->pv[0], &l->move, sizeof(l->move));
        assert_true(i == 0 ? l->depth == r->depth : l->depth >= 1);
        if (i > 0)
            assert_true(l->score <= r->lines[i - 1].score);
        for (int j = 0; j < i; j++)
            assert_false(l->move.row == r->lines[j].move.row &&
                         l->move.col == r->lines[j].move.col);
    }
}

static void test_multipv_one_is_the_plain_search(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t r0, r1;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 5}, &r0);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 5, .multipv = 1}, &r1);
    assert_int_equal(r0.nodes, r1.nodes);
    assert_int_equal(r0.score, r1.score);
    assert_memory_equal(&r0.move, &r1.move, sizeof(r0.move));
    check_lines(&pos, &r0, 1);
    check_lines(&pos, &r1, 1);
    /* The empty board has one line too. */
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, NULL, 0);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 3, .multipv = 5}, &r0);
    check_lines(&pos, &r0, 1);
    engine_ctx_destroy(ctx);
}

static void test_multipv_ranks_moves(void **state)
{
    engine_ctx_t *a = new_ctx(), *b = new_ctx();
    engine_position_t pos;
    engine_result_t single, multi, again;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    for (int depth = 2; depth <= 6; depth += 2) {
        search_ok(a, &pos, (engine_limits_t){.depth = depth}, &single);
        search_ok(b, &pos, (engine_limits_t){.depth = depth, .multipv = 4}, &multi);
        search_ok(a, &pos, (engine_limits_t){.depth = depth, .multipv = 4}, &again);
        check_lines(&pos, &multi, 4);
        assert_int_equal(multi.n_lines, 4); /* the position has many sensible moves */
        /* The first line is the move the single search plays, at its depth. */
        assert_memory_equal(&multi.move, &single.move, sizeof(single.move));
        assert_int_equal(multi.score, single.score);
        assert_int_equal(multi.depth, single.depth);
        assert_true(multi.nodes > single.nodes);
        /* Deterministic, whatever the context searched before. */
        assert_int_equal(multi.nodes, again.nodes);
        assert_int_equal(multi.n_lines, again.n_lines);
        for (int i = 0; i < multi.n_lines; i++) {
            assert_memory_equal(&multi.lines[i].move, &again.lines[i].move,
                                sizeof(multi.lines[i].move));
            assert_int_equal(multi.lines[i].score, again.lines[i].score);
            assert_true(multi.lines[i].depth <= depth);
        }
    }
    /* More than ENGINE_MAX_LINES asks for ENGINE_MAX_LINES (in a quiet
     * opening, where more than that many moves are worth ranking). */
    const char *opening[] = {"...............", "...............", "...............",
                             "...............", "...............", "...............",
                             "...............", ".......X.......", "........O......"};
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, opening, 9);
    search_ok(a, &pos, (engine_limits_t){.depth = 2, .multipv = 50}, &multi);
    check_lines(&pos, &multi, ENGINE_MAX_LINES);
    assert_int_equal(multi.n_lines, ENGINE_MAX_LINES);
    engine_ctx_destroy(a);
    engine_ctx_destroy(b);
}

static void test_multipv_node_limit(void **state)
{
    engine_ctx_t *a = new_ctx(), *b = new_ctx();
    engine_position_t pos;
    engine_result_t r1, r2;
    position_from_rows(&pos, 15, ENGINE_RULE_STANDARD, ENGINE_BLACK, middle_rows, 11);
    static const uint64_t node_limits[] = {1, 50, 2000, 20000, 60000};
    for (size_t i = 0; i < sizeof(node_limits) / sizeof(node_limits[0]); i++) {
        engine_limits_t lim = {.nodes = node_limits[i], .multipv = 3};
        search_ok(a, &pos, lim, &r1);
        search_ok(b, &pos, lim, &r2);
        assert_true(r1.nodes <= node_limits[i]);
        check_lines(&pos, &r1, 3);
        assert_int_equal(r1.nodes, r2.nodes);
        assert_int_equal(r1.n_lines, r2.n_lines);
        for (int l = 0; l < r1.n_lines; l++)
            assert_memory_equal(&r1.lines[l].move, &r2.lines[l].move, sizeof(r1.lines[l].move));
    }
    /* A budget large enough for some depth ranks all three. */
    assert_int_equal(r1.n_lines, 3);
    engine_ctx_destroy(a);
    engine_ctx_destroy(b);
}

static void test_multipv_win_first(void **state)
{
    const char *rows[] = {
        "...............", "...............", "...............", "...............",
        ".....XXX.......", ".....OOO.......", ".........O.....",
    };
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    /* An open three to make four: the win leads, and the other lines rank
     * lower (no other move wins as fast). */
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, rows, 7);
    search_ok(ctx, &pos, (engine_limits_t){.depth = 4, .multipv = 3}, &res);
    check_lines(&pos, &res, 3);
    assert_true(res.lines[0].score >= ENGINE_WIN_MIN);
    assert_int_equal(res.lines[0].move.row, 4);
    assert_true(res.lines[0].move.col == 4 || res.lines[0].move.col == 8);
    assert_true(res.n_lines >= 2);
    engine_ctx_destroy(ctx);
}

typedef struct stopper {
    atomic_bool *flag;
    long delay_ms;
} stopper_t;

static void *stop_later(void *arg)
{
    stopper_t *s = arg;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = s->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    atomic_store(s->flag, true);
    return NULL;
}

static void test_stop_flag(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    position_from_rows(&pos, 19, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    static const long delays[] = {0, 1, 30};
    for (size_t i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
        atomic_bool flag = false;
        stopper_t s = {.flag = &flag, .delay_ms = delays[i]};
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, stop_later, &s), 0);
        engine_limits_t lim = {0}; /* nothing but the flag ends this search */
        assert_int_equal(engine_search(ctx, &pos, &lim, &flag, &res), ENGINE_OK);
        pthread_join(th, NULL);
        assert_true(is_empty_cell(&pos, res.move));
    }
    /* Already set before the search starts. */
    atomic_bool set = true;
    engine_limits_t lim = {0};
    assert_int_equal(engine_search(ctx, &pos, &lim, &set, &res), ENGINE_OK);
    assert_true(is_empty_cell(&pos, res.move));
    engine_ctx_destroy(ctx);
}

typedef struct job {
    const engine_position_t *pos;
    engine_result_t res;
    engine_status_t status;
} job_t;

static void *search_job(void *arg)
{
    job_t *job = arg;
    engine_ctx_t *ctx = NULL;
    job->status = engine_ctx_create(2, &ctx);
    if (job->status == ENGINE_OK) {
        engine_limits_t lim = {.nodes = 20000};
        job->status = engine_search(ctx, job->pos, &lim, NULL, &job->res);
        engine_ctx_destroy(ctx);
    }
    return NULL;
}

/* Searches on several threads at once, each with its own context, give the
 * results a lone search gives: nothing is shared between contexts. */
static void test_concurrent_contexts(void **state)
{
    engine_position_t pos;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    job_t alone = {.pos = &pos};
    search_job(&alone);
    assert_int_equal(alone.status, ENGINE_OK);
    job_t jobs[3];
    pthread_t th[3];
    for (int i = 0; i < 3; i++) {
        jobs[i] = (job_t){.pos = &pos};
        assert_int_equal(pthread_create(&th[i], NULL, search_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].status, ENGINE_OK);
        assert_int_equal(jobs[i].res.nodes, alone.res.nodes);
        assert_int_equal(jobs[i].res.score, alone.res.score);
        assert_memory_equal(&jobs[i].res.move, &alone.res.move, sizeof(alone.res.move));
    }
}

static void test_time_budget(void **state)
{
    /* Only that a timed search returns a legal move: how long it took is
     * for bench/engine_bench, not for a test. */
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    engine_result_t res;
    position_from_rows(&pos, 15, ENGINE_RULE_FREESTYLE, ENGINE_BLACK, middle_rows, 11);
    search_ok(ctx, &pos, (engine_limits_t){.time_ms = 20}, &res);
    search_ok(ctx, &pos, (engine_limits_t){.time_ms = 1}, &res);
    engine_ctx_destroy(ctx);
}

/* The time manager's limits are arithmetic on the start time: the hard
 * deadline is the budget less its margin (2%, at most 20 ms), the soft limit
 * TIMEMAN_SOFT_PERCENT of the budget, after which an iteration starts only if
 * its predicted cost ends it by 90% of the way to the hard deadline. */
static void test_time_manager_limits(void **state)
{
    (void)state;
    timeman_t tm;
    timeman_start(&tm, 1000, NULL);
    assert_int_equal(tm.hard_ns - tm.start_ns, 980 * 1000000LL);
    assert_int_equal(tm.soft_ns - tm.start_ns, 650 * 1000000LL);
    /* Before the soft limit anything may start; after it, only what fits. */
    assert_true(timeman_may_start(&tm, 5000 * 1000000LL));
    tm.soft_ns = tm.start_ns - 1;
    assert_false(timeman_may_start(&tm, 5000 * 1000000LL));
    assert_true(timeman_may_start(&tm, 1000000LL));
    /* No budget: no limits at all. */
    timeman_start(&tm, 0, NULL);
    assert_int_equal(tm.hard_ns, 0);
    assert_int_equal(tm.soft_ns, 0);
    assert_true(timeman_may_start(&tm, 5000 * 1000000LL));
}

static void test_strerror(void **state)
{
    assert_string_equal(engine_strerror(ENGINE_OK), "ok");
    assert_string_equal(engine_strerror(ENGINE_EFULL), "the board is full");
    assert_non_null(engine_strerror((engine_status_t)99));
}

int main(void)
{
    assert_int_equal(engine_init(), ENGINE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_board_centre),
        cmocka_unit_test(test_win_in_one),
        cmocka_unit_test(test_block_four),
        cmocka_unit_test(test_full_board),
        cmocka_unit_test(test_bad_positions),
        cmocka_unit_test(test_node_limit_one),
        cmocka_unit_test(test_open_three_answered),
        cmocka_unit_test(test_vcf_taken),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_multipv_one_is_the_plain_search),
        cmocka_unit_test(test_multipv_ranks_moves),
        cmocka_unit_test(test_multipv_node_limit),
        cmocka_unit_test(test_multipv_win_first),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_stop_flag),
        cmocka_unit_test(test_time_budget),
        cmocka_unit_test(test_time_manager_limits),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_concurrent_contexts),
        cmocka_unit_test(test_double_four_threat_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
