/* Run statistics: nearest-rank percentiles, the summary over games, the
 * printed summary's closing "N passed, N failed" line, and the JSON summary
 * file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/stats.h"

static void test_percentiles(void **state)
{
    double v[100];
    for (int i = 0; i < 100; i++) {
        v[i] = i + 1; /* 1..100 */
    }
    assert_true(client_percentile(v, 100, 50) == 50);
    assert_true(client_percentile(v, 100, 95) == 95);
    assert_true(client_percentile(v, 100, 99) == 99);
    assert_true(client_percentile(v, 100, 100) == 100);
    assert_true(client_percentile(v, 100, 0.1) == 1);

    /* Every result is an observed sample, rounding the rank up. */
    double w[] = {10, 20, 30, 40};
    assert_true(client_percentile(w, 4, 50) == 20);
    assert_true(client_percentile(w, 4, 51) == 30);
    assert_true(client_percentile(w, 4, 95) == 40);
    double one = 7.5;
    assert_true(client_percentile(&one, 1, 50) == 7.5);
    assert_true(client_percentile(&one, 1, 99) == 7.5);
    assert_true(client_percentile(NULL, 0, 50) == 0);
}

static client_game_result_t result(int game, bool ok, game_winner_t winner, int moves, int retries)
{
    client_game_result_t r;
    memset(&r, 0, sizeof(r));
    r.game = game;
    r.played = true;
    r.ok = ok;
    r.winner = winner;
    r.moves = moves;
    r.requests = moves / 2;
    r.retries = retries;
    r.retries_by_cause[CLIENT_RETRY_503] = retries;
    r.time_ms = 100.0 * game;
    if (!ok) {
        snprintf(r.error, sizeof(r.error), "move %d: boom", moves + 1);
    }
    return r;
}

static void fill(client_stats_t *st)
{
    assert_int_equal(client_stats_init(st, 5), 0);
    /* Latencies arrive out of order, from several games. */
    double a[] = {50, 10, 30}, b[] = {20, 40}, c[] = {100};
    client_game_result_t r = result(2, true, GAME_WINNER_X, 11, 0);
    assert_int_equal(client_stats_add_game(st, &r, a, 3), 0);
    r = result(1, true, GAME_WINNER_O, 20, 2);
    assert_int_equal(client_stats_add_game(st, &r, b, 2), 0);
    r = result(3, false, GAME_WINNER_NONE, 4, 1);
    assert_int_equal(client_stats_add_game(st, &r, c, 1), 0);
    r = result(4, true, GAME_WINNER_DRAW, 225, 0);
    assert_int_equal(client_stats_add_game(st, &r, NULL, 0), 0);
    client_stats_add_connections(st, 3);
    /* game 5 never started */
}

static void test_summary(void **state)
{
    client_stats_t st;
    fill(&st);
    client_summary_t s;
    client_stats_summarize(&st, 2.0, &s);
    assert_int_equal(s.games, 5);
    assert_int_equal(s.played, 4);
    assert_int_equal(s.passed, 3);
    assert_int_equal(s.failed, 1);
    assert_int_equal(s.not_started, 1);
    assert_int_equal(s.wins_x, 1);
    assert_int_equal(s.wins_o, 1);
    assert_int_equal(s.draws, 1);
    assert_int_equal(s.moves, 11 + 20 + 4 + 225);
    assert_int_equal(s.retries, 3);
    assert_int_equal(s.retries_by_cause[CLIENT_RETRY_503], 3);
    assert_int_equal(s.connections, 3);
    assert_int_equal(s.n_latency, 6);
    assert_true(s.p50_ms == 30);
    assert_true(s.p95_ms == 100);
    assert_true(s.max_ms == 100);
    assert_true(s.mean_ms == 250.0 / 6);
    assert_true(s.moves_per_s == 260.0 / 2.0);
    assert_true(s.games_per_s == 2.0);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    client_summary_print(&s, f);
    fclose(f);
    assert_non_null(strstr(text, "X won 1, O won 1, 1 draws"));
    assert_non_null(strstr(text, "retries:    3 (http_503 3)"));
    assert_non_null(strstr(text, "p50 30.0 ms, p95 100.0 ms, p99 100.0 ms, max 100.0 ms"));
    assert_non_null(strstr(text, "\n3 passed, 1 failed, 1 not started\n"));
    free(text);
    client_stats_destroy(&st);
}

static void test_all_passed_line(void **state)
{
    client_stats_t st;
    assert_int_equal(client_stats_init(&st, 2), 0);
    client_game_result_t r = result(1, true, GAME_WINNER_X, 9, 0);
    client_stats_add_game(&st, &r, NULL, 0);
    r = result(2, true, GAME_WINNER_O, 10, 0);
    client_stats_add_game(&st, &r, NULL, 0);
    client_summary_t s;
    client_stats_summarize(&st, 0, &s);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    client_summary_print(&s, f);
    fclose(f);
    /* The last line is exactly the CI-readable count. */
    assert_true(len > 20);
    assert_string_equal(text + len - strlen("\n2 passed, 0 failed\n"), "\n2 passed, 0 failed\n");
    free(text);
    client_stats_destroy(&st);
}

static void test_json_summary(void **state)
{
    client_stats_t st;
    fill(&st);
    client_summary_t s;
    client_stats_summarize(&st, 2.0, &s);
    char path[] = "/tmp/test_client_stats_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256];
    assert_int_equal(client_stats_write_json(&st, &s, NULL, path, err, sizeof(err)), 0);

    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    unlink(path);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "games")), 5);
    assert_int_equal(json_integer_value(json_object_get(root, "passed")), 3);
    assert_int_equal(json_integer_value(json_object_get(root, "failed")), 1);
    assert_int_equal(json_integer_value(json_object_get(root, "errors")), 1);
    assert_int_equal(json_integer_value(json_object_get(root, "retries")), 3);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(root, "retries_by_cause"), "http_503")),
        3);
    json_t *wins = json_object_get(root, "wins");
    assert_int_equal(json_integer_value(json_object_get(wins, "X")), 1);
    assert_int_equal(json_integer_value(json_object_get(wins, "draw")), 1);
    json_t *lat = json_object_get(root, "latency_ms");
    assert_true(json_number_value(json_object_get(lat, "p50")) == 30);
    assert_true(json_number_value(json_object_get(lat, "p99")) == 100);
    json_t *games = json_object_get(root, "per_game");
    assert_int_equal(json_array_size(games), 5);
    json_t *g3 = json_array_get(games, 2);
    assert_false(json_is_true(json_object_get(g3, "ok")));
    assert_string_equal(json_string_value(json_object_get(g3, "error")), "move 5: boom");
    json_t *g5 = json_array_get(games, 4);
    assert_false(json_is_true(json_object_get(g5, "played")));
    json_decref(root);

    assert_int_equal(
        client_stats_write_json(&st, &s, NULL, "/nonexistent-dir/x.json", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.json"));
    client_stats_destroy(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_all_passed_line),
        cmocka_unit_test(test_json_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
