/* Unit tests of the move budget (src/httpd/budget.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "game/level.h"
#include "httpd/budget.h"

static const budget_caps_t CAPS = {.max_time_ms = 5000, .default_time_ms = 1000, .max_depth = 32};

static engine_limits_t compute(int depth, int64_t max_time_ms, double timeout_s)
{
    game_player_t ai = {.kind = GAME_AI, .depth = depth, .max_time_ms = max_time_ms};
    engine_limits_t l;
    budget_compute(&CAPS, &ai, timeout_s, &l);
    return l;
}

static void depth_buys_strictly_more_time(void **state)
{
    assert_int_equal(budget_depth_time_ms(0), 0);
    assert_int_equal(budget_depth_time_ms(-3), 0);
    int64_t prev = 0;
    for (int d = 1; d <= 64; d++) {
        int64_t t = budget_depth_time_ms(d);
        assert_true(t >= prev);
        if (d <= 12) {
            assert_true(t > prev); /* strictly increasing where the cap is not reached */
        }
        prev = t;
    }
    assert_int_equal(budget_depth_time_ms(1), 100);
    assert_int_equal(budget_depth_time_ms(6), 4000);
}

static void no_budget_gives_the_default(void **state)
{
    engine_limits_t l = compute(0, 0, 0);
    assert_int_equal(l.time_ms, 1000);
    assert_int_equal(l.depth, 32);
    assert_int_equal(l.nodes, 0);
}

static void original_depths_map_to_increasing_budgets_and_depths(void **state)
{
    int64_t prev_time = 0;
    int prev_depth = 0;
    for (int d = 1; d <= 6; d++) {
        engine_limits_t l = compute(d, 0, 0);
        assert_true(l.time_ms > prev_time);
        assert_true(l.depth > prev_depth);
        assert_int_equal(l.depth, d);
        assert_true(l.time_ms <= CAPS.max_time_ms);
        prev_time = l.time_ms;
        prev_depth = l.depth;
    }
}

static void everything_is_capped(void **state)
{
    engine_limits_t l = compute(64, 0, 0);
    assert_int_equal(l.time_ms, 5000);
    assert_int_equal(l.depth, 32);
    l = compute(0, 3600000, 0);
    assert_int_equal(l.time_ms, 5000);
    l = compute(0, 0, 1e300);
    assert_int_equal(l.time_ms, 5000);
}

static void the_smallest_request_limit_wins(void **state)
{
    assert_int_equal(compute(6, 300, 0).time_ms, 300);
    assert_int_equal(compute(1, 3000, 0).time_ms, 100);
    assert_int_equal(compute(0, 3000, 0.5).time_ms, 500);
    assert_int_equal(compute(0, 200, 0.5).time_ms, 200);
    assert_int_equal(compute(0, 0, 2).time_ms, 2000);
}

static void tiny_timeouts_still_search(void **state)
{
    assert_int_equal(compute(0, 0, 0.0001).time_ms, 1);
    assert_int_equal(compute(0, 1, 0).time_ms, 1);
}

static engine_limits_t compute_ai(game_player_t ai, double timeout_s)
{
    engine_limits_t l;
    budget_compute(&CAPS, &ai, timeout_s, &l);
    return l;
}

static void a_node_budget_without_a_time_has_no_clock(void **state)
{
    engine_limits_t l = compute_ai((game_player_t){.kind = GAME_AI, .nodes = 12345}, 0);
    assert_int_equal(l.time_ms, 0);
    assert_int_equal(l.nodes, 12345);
    assert_int_equal(l.multipv, 1);
    /* With a time, both apply. */
    l = compute_ai((game_player_t){.kind = GAME_AI, .nodes = 12345, .max_time_ms = 300}, 0);
    assert_int_equal(l.time_ms, 300);
    assert_int_equal(l.nodes, 12345);
    l = compute_ai((game_player_t){.kind = GAME_AI, .nodes = 12345}, 0.25);
    assert_int_equal(l.time_ms, 250);
    /* A depth alone keeps its time budget; with nodes, no clock. */
    l = compute_ai((game_player_t){.kind = GAME_AI, .nodes = 99, .depth = 5}, 0);
    assert_int_equal(l.time_ms, 0);
    assert_int_equal(l.depth, 5);
    /* Capped at max_time_ms x BUDGET_NODES_PER_MS. */
    l = compute_ai((game_player_t){.kind = GAME_AI, .nodes = GAME_MAX_NODES}, 0);
    assert_int_equal(l.nodes, (uint64_t)CAPS.max_time_ms * BUDGET_NODES_PER_MS);
}

static void levels_are_clockless_node_budgets(void **state)
{
    uint64_t prev = 0;
    for (int level = 1; level <= 9; level++) {
        engine_limits_t l = compute_ai((game_player_t){.kind = GAME_AI, .level = level}, 0);
        const game_level_t *lv = game_level(level);
        assert_non_null(lv);
        assert_int_equal(l.time_ms, 0);
        assert_int_equal(l.nodes, lv->nodes);
        assert_int_equal(l.multipv, lv->multipv);
        assert_true(l.nodes > prev); /* more nodes at each level */
        prev = l.nodes;
        /* The request's own time and nodes only lower the budget. */
        l = compute_ai((game_player_t){.kind = GAME_AI, .level = level, .max_time_ms = 1}, 0);
        uint64_t by_time = lv->nodes < BUDGET_NODES_PER_MS ? lv->nodes : BUDGET_NODES_PER_MS;
        assert_int_equal(l.time_ms, 0);
        assert_int_equal(l.nodes, by_time);
        l = compute_ai((game_player_t){.kind = GAME_AI, .level = level, .nodes = 10}, 0);
        assert_int_equal(l.nodes, 10);
        l = compute_ai((game_player_t){.kind = GAME_AI, .level = level}, 0.001);
        assert_int_equal(l.nodes, by_time);
    }
    /* Level 10 is the ordinary budget. */
    engine_limits_t l = compute_ai((game_player_t){.kind = GAME_AI, .level = 10}, 0);
    assert_int_equal(l.time_ms, 1000);
    assert_int_equal(l.nodes, 0);
    assert_int_equal(l.multipv, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depth_buys_strictly_more_time),
        cmocka_unit_test(no_budget_gives_the_default),
        cmocka_unit_test(original_depths_map_to_increasing_budgets_and_depths),
        cmocka_unit_test(everything_is_capped),
        cmocka_unit_test(the_smallest_request_limit_wins),
        cmocka_unit_test(tiny_timeouts_still_search),
        cmocka_unit_test(a_node_budget_without_a_time_has_no_clock),
        cmocka_unit_test(levels_are_clockless_node_budgets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
