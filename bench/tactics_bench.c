/*
 * tactics_bench.c: the engine's solve rate on the tactical suite under time
 * budgets (default: 100 ms and 1000 ms per position), by kind, with the
 * time spent. Timing belongs here rather than in the tests, which use node
 * limits (tests/unit/test_tactics.c).
 *
 * usage: tactics_bench [-v] [--dir DIR] [--nodes N] [BUDGET_MS...]
 *   -v         list every position with the engine's move
 *   --dir      suite directory (default: the source tree's tests/data/tactics)
 *   --nodes N  one extra pass with a node limit instead of time
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "../tests/tactics/tactics_file.h"
#include "../tests/tactics/tactics_position.h"

#define MAX_KINDS 8

typedef struct tally {
    char kind[16];
    int n, solved;
} tally_t;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One pass over the suite with the given limits; prints one summary line. */
static void run_pass(engine_ctx_t *ctx, const tactic_t *tactics, int n, engine_limits_t limits,
                     const char *label, bool verbose)
{
    static engine_position_t pos;
    tally_t kinds[MAX_KINDS] = {0};
    int n_kinds = 0, solved = 0;
    double total = 0, worst = 0;
    uint64_t nodes = 0;
    char missed[4096] = "";
    for (int i = 0; i < n; i++) {
        const tactic_t *t = &tactics[i];
        engine_result_t res;
        tactic_to_position(t, &pos);
        engine_ctx_clear(ctx);
        double t0 = now_ms();
        engine_status_t st = engine_search(ctx, &pos, &limits, NULL, &res);
        double dt = now_ms() - t0;
        total += dt;
        worst = dt > worst ? dt : worst;
        bool ok = st == ENGINE_OK && res.move.row >= 0 &&
                  tactic_accepts(t, res.move.row * t->size + res.move.col);
        nodes += st == ENGINE_OK ? res.nodes : 0;
        solved += ok;
        int k = 0;
        while (k < n_kinds && strcmp(kinds[k].kind, t->kind))
            k++;
        if (k == n_kinds && n_kinds < MAX_KINDS) {
            snprintf(kinds[k].kind, sizeof(kinds[k].kind), "%s", t->kind);
            kinds[k].n = kinds[k].solved = 0;
            n_kinds++;
        }
        if (k < n_kinds) {
            kinds[k].n++;
            kinds[k].solved += ok;
        }
        if (!ok) {
            size_t len = strlen(missed);
            snprintf(missed + len, sizeof(missed) - len, " %s", t->name);
        }
        if (verbose)
            printf("  %s %-40s %-6s %d,%d score %6d depth %2d nodes %9llu %7.1f ms\n",
                   ok ? "ok    " : "MISSED", t->name, t->kind, res.move.col, res.move.row,
                   res.score, res.depth, (unsigned long long)res.nodes, dt);
    }
    printf("%-12s solved %3d/%d (%5.1f%%)  total %8.0f ms  worst %7.0f ms  nodes %llu\n", label,
           solved, n, 100.0 * solved / n, total, worst, (unsigned long long)nodes);
    printf("%-12s", "");
    for (int k = 0; k < n_kinds; k++)
        printf(" %s %d/%d", kinds[k].kind, kinds[k].solved, kinds[k].n);
    printf("\n");
    if (missed[0])
        printf("%-12s missed:%s\n", "", missed);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *dir = GOMOKU_SOURCE_DIR "/tests/data/tactics";
    bool verbose = false;
    uint64_t node_limit = 0;
    int budgets[16], n_budgets = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = true;
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--nodes") && i + 1 < argc)
            node_limit = strtoull(argv[++i], NULL, 10);
        else if (atoi(argv[i]) > 0 && n_budgets < 16)
            budgets[n_budgets++] = atoi(argv[i]);
        else {
            fprintf(stderr, "usage: %s [-v] [--dir DIR] [--nodes N] [BUDGET_MS...]\n", argv[0]);
            return 2;
        }
    }
    if (!n_budgets && !node_limit) {
        budgets[n_budgets++] = 100;
        budgets[n_budgets++] = 1000;
    }
    engine_ctx_t *ctx;
    if (engine_init() != ENGINE_OK || engine_ctx_create(64, &ctx) != ENGINE_OK) {
        fprintf(stderr, "tactics_bench: engine setup failed\n");
        return 1;
    }
    char **paths;
    int n = tactic_list(dir, &paths);
    if (!n) {
        fprintf(stderr, "tactics_bench: no positions in %s\n", dir);
        return 1;
    }
    tactic_t *tactics = calloc((size_t)n, sizeof(*tactics));
    for (int i = 0; i < n; i++) {
        char err[512];
        if (!tactic_load(paths[i], &tactics[i], err, sizeof(err))) {
            fprintf(stderr, "tactics_bench: %s\n", err);
            return 1;
        }
    }
    printf("tactics_bench: %d positions from %s\n", n, dir);
    for (int b = 0; b < n_budgets; b++) {
        char label[32];
        snprintf(label, sizeof(label), "%d ms", budgets[b]);
        run_pass(ctx, tactics, n, (engine_limits_t){.time_ms = budgets[b]}, label, verbose);
    }
    if (node_limit) {
        char label[32];
        snprintf(label, sizeof(label), "%llu nodes", (unsigned long long)node_limit);
        run_pass(ctx, tactics, n, (engine_limits_t){.nodes = node_limit}, label, verbose);
    }
    tactic_free_list(paths, n);
    free(tactics);
    engine_ctx_destroy(ctx);
    return 0;
}
