/* Unit tests of the move budget (src/httpd/budget.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depth_buys_strictly_more_time),
        cmocka_unit_test(no_budget_gives_the_default),
        cmocka_unit_test(original_depths_map_to_increasing_budgets_and_depths),
        cmocka_unit_test(everything_is_capped),
        cmocka_unit_test(the_smallest_request_limit_wins),
        cmocka_unit_test(tiny_timeouts_still_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
