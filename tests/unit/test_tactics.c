/*
 * test_tactics.c: the engine against the tactical suite (tests/data/tactics).
 *
 * One test per position file: the engine searches the position under a node
 * limit (deterministic, unlike a time limit) and its move must be one of the
 * file's accepted answers. The answers themselves are proved independently
 * of the engine by tests/tactics/tactics_verify (see docs/tactics.md).
 *
 * GOMOKU_TACTICS_NODES in the environment overrides the node limit, for
 * exploring the engine's strength; the test's verdict uses the default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

/* The unit-test glob links only the tree's libraries; the suite's file
 * reader is compiled in here. */
#include "../tactics/tactics_file.c"
#include "../tactics/tactics_position.h"

/* The engine of commit 01120e3 solves the whole suite from 5,000 nodes on
 * (tactics_bench --nodes); 200,000 leaves a wide margin for later changes
 * in how nodes are counted, and keeps the run short in the sanitizer
 * build. */
#define TACTICS_NODE_LIMIT 200000

static engine_ctx_t *ctx;
static uint64_t node_limit = TACTICS_NODE_LIMIT;
static int n_solved, n_run;

static void test_position(void **state)
{
    const tactic_t *t = *state;
    static engine_position_t pos;
    engine_result_t res;
    engine_limits_t limits = {.time_ms = 0, .depth = 0, .nodes = node_limit};
    tactic_to_position(t, &pos);
    engine_ctx_clear(ctx);
    assert_int_equal(engine_search(ctx, &pos, &limits, NULL, &res), ENGINE_OK);
    int cell = res.move.row * t->size + res.move.col;
    bool ok = res.move.row >= 0 && tactic_accepts(t, cell);
    n_run++;
    n_solved += ok;
    printf("%s %-40s %-6s engine %d,%d score %d depth %d nodes %llu\n", ok ? "solved" : "MISSED",
           t->name, t->kind, res.move.col, res.move.row, res.score, res.depth,
           (unsigned long long)res.nodes);
    if (!ok) {
        printf("       accepted:");
        for (int i = 0; i < t->n_answers; i++)
            printf(" %d,%d", t->answers[i] % t->size, t->answers[i] / t->size);
        printf("\n");
    }
    fflush(stdout);
    assert_true(ok);
}

int main(void)
{
    const char *env = getenv("GOMOKU_TACTICS_NODES");
    if (env && atoll(env) > 0)
        node_limit = (uint64_t)atoll(env);
    if (engine_init() != ENGINE_OK || engine_ctx_create(16, &ctx) != ENGINE_OK) {
        fprintf(stderr, "test_tactics: engine setup failed\n");
        return 1;
    }
    char **paths;
    int n = tactic_list(GOMOKU_SOURCE_DIR "/tests/data/tactics", &paths);
    if (n == 0) {
        fprintf(stderr, "test_tactics: no positions in %s\n",
                GOMOKU_SOURCE_DIR "/tests/data/tactics");
        return 1;
    }
    tactic_t *tactics = calloc((size_t)n, sizeof(*tactics));
    struct CMUnitTest *tests = calloc((size_t)n, sizeof(*tests));
    if (!tactics || !tests)
        return 1;
    for (int i = 0; i < n; i++) {
        char err[512];
        if (!tactic_load(paths[i], &tactics[i], err, sizeof(err))) {
            fprintf(stderr, "test_tactics: %s\n", err);
            return 1;
        }
        tests[i].name = tactics[i].name;
        tests[i].test_func = test_position;
        tests[i].initial_state = &tactics[i];
    }
    printf("tactical suite: %d positions, node limit %llu\n", n, (unsigned long long)node_limit);
    int failed = _cmocka_run_group_tests("tactics", tests, (size_t)n, NULL, NULL);
    printf("tactical suite: solved %d of %d at %llu nodes\n", n_solved, n_run,
           (unsigned long long)node_limit);
    tactic_free_list(paths, n);
    free(tests);
    free(tactics);
    engine_ctx_destroy(ctx);
    return failed;
}
