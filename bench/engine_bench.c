/*
 * engine_bench: speed and time discipline of the engine.
 *
 *   engine_bench                 fixed positions at 100 ms and 1 s: nodes,
 *                                nodes/s, depth, time, move, score
 *   engine_bench --signature [--depth N]
 *                                node counts at a fixed depth (default 6;
 *                                deterministic: quote the total in commits)
 *   engine_bench --multipv K [--depth N]
 *                                the cost of ranking K root moves against one
 *                                search: nodes at depth N (default 8), then
 *                                the depth reached at 200 ms and 1 s
 *   engine_bench ... --rule R    every position under rule R (freestyle,
 *                                standard or renju) instead of its own, to
 *                                compare the rules on the same stones
 *   engine_bench --discipline [--quick]
 *                                1000 (quick: 100) searches with budgets from
 *                                10 ms to 2 s, reporting overrun of the budget,
 *                                then stop-flag latency
 *
 * Figures depend on the machine and its load; see docs/engine.md.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"

typedef struct bench_position {
    const char *name;
    int size;
    engine_rule_t rule;
    const char *moves; /* "x,y" (column, row) in playing order, black first */
} bench_position_t;

/* Middle-game positions (22 to 30 stones) from engine self-play at depth
 * 4-6, out of balanced openings, plus one early position. */
static const bench_position_t positions[] = {
    {"free15-a", 15, ENGINE_RULE_FREESTYLE,
     "7,7 8,6 11,8 9,6 10,6 9,7 10,8 9,8 9,9 9,4 9,5 11,7 10,10 8,8 10,9 10,7 12,7 9,10 8,9 11,9 "
     "7,9 6,9 8,10 6,8"},
    {"std15-b", 15, ENGINE_RULE_STANDARD,
     "7,7 7,6 10,10 6,6 5,6 6,7 6,8 5,9 5,8 9,4 4,8 3,8 5,4 5,5 8,8 7,8 8,5 6,9 9,5 8,7 5,10 3,9 "
     "4,9 3,10"},
    {"free15-c", 15, ENGINE_RULE_FREESTYLE,
     "7,7 8,6 5,3 8,8 8,7 9,7 10,8 9,5 9,6 10,6 11,5 10,4 10,5 7,8 11,4 12,3 11,3 11,2 11,7 11,6 "
     "12,6 13,5 6,10 13,4"},
    {"std15-d", 15, ENGINE_RULE_STANDARD,
     "7,7 7,6 4,10 8,6 9,6 8,7 8,8 9,9 9,8 5,4 10,8 11,8 9,4 9,5 6,8 7,8 6,5 8,9 5,5 6,7 9,10 "
     "11,9 10,9 11,10"},
    {"free15-e", 15, ENGINE_RULE_FREESTYLE,
     "13,12 6,8 13,10 11,10 11,8 10,7 13,11 13,9 13,13 13,14 10,8 11,6 9,8 8,8 12,8 13,8 12,7 "
     "9,7 10,9 9,10 12,9 12,10 9,9 10,10"},
    {"free15-early", 15, ENGINE_RULE_FREESTYLE, "7,7 8,6 8,8 6,6 9,7 7,6 9,6 9,5"},
    {"std15-h", 15, ENGINE_RULE_STANDARD,
     "7,7 8,6 10,8 7,6 9,6 8,5 8,4 6,5 6,7 5,5 9,5 8,7 9,8 9,7 7,5 8,8 8,9 5,6 5,4 4,7 7,4 6,4 7,3 "
     "10,6 7,9 3,5 6,2 5,1 9,3 6,6"},
    {"free19-f", 19, ENGINE_RULE_FREESTYLE,
     "9,9 10,8 12,10 10,10 10,9 11,9 12,8 9,11 7,13 12,11 7,12 11,11 10,11 11,10 11,12 9,10 "
     "7,10 11,7 11,8 7,9 8,13 10,12"},
    {"free20-g", 20, ENGINE_RULE_FREESTYLE,
     "10,10 11,9 13,11 11,11 11,10 12,10 13,9 10,12 8,14 13,12 8,13 12,12 11,12 12,11 12,13 "
     "10,11 8,11 12,8 12,9 8,10 9,14 11,13"},
};
#define N_POSITIONS (int)(sizeof(positions) / sizeof(positions[0]))

/* --rule: every position under this rule; -1 keeps each position's own. */
static int rule_override = -1;

static void load(const bench_position_t *bp, engine_position_t *pos)
{
    memset(pos, 0, sizeof(*pos));
    pos->size = bp->size;
    pos->rule = rule_override >= 0 ? (engine_rule_t)rule_override : bp->rule;
    const char *p = bp->moves;
    int x, y, used;
    while (sscanf(p, " %d,%d%n", &x, &y, &used) == 2) {
        engine_stone_t *s = &pos->stones[pos->n_stones];
        s->at.row = (int8_t)y;
        s->at.col = (int8_t)x;
        s->color = pos->n_stones % 2 ? ENGINE_WHITE : ENGINE_BLACK;
        pos->n_stones++;
        p += used;
    }
    pos->to_move = pos->n_stones % 2 ? ENGINE_WHITE : ENGINE_BLACK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of the calling thread: when a search overruns in wall time but
 * not in CPU time, the thread was waiting for a core (the machine is
 * shared), not searching. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run_speed(engine_ctx_t *ctx)
{
    static const int64_t budgets[] = {100, 1000};
    printf("%-14s %6s %10s %10s %5s %9s %6s %7s\n", "position", "budget", "nodes", "nodes/s",
           "depth", "time_ms", "move", "score");
    for (int bi = 0; bi < 2; bi++) {
        double sum_nps = 0, sum_depth = 0;
        for (int i = 0; i < N_POSITIONS; i++) {
            engine_position_t pos;
            engine_result_t res;
            load(&positions[i], &pos);
            engine_ctx_clear(ctx);
            engine_limits_t lim = {.time_ms = budgets[bi]};
            if (engine_search(ctx, &pos, &lim, NULL, &res) != ENGINE_OK)
                return 1;
            double nps = res.time_ms > 0 ? (double)res.nodes / res.time_ms * 1000 : 0;
            sum_nps += nps;
            sum_depth += res.depth;
            printf("%-14s %6lld %10llu %10.0f %5d %9.1f %3d,%-2d %7d\n", positions[i].name,
                   (long long)budgets[bi], (unsigned long long)res.nodes, nps, res.depth,
                   res.time_ms, res.move.col, res.move.row, res.score);
        }
        printf("mean at %lld ms: %.0f nodes/s, depth %.1f\n\n", (long long)budgets[bi],
               sum_nps / N_POSITIONS, sum_depth / N_POSITIONS);
    }
    return 0;
}

static int run_signature(engine_ctx_t *ctx, int depth)
{
    uint64_t total = 0;
    for (int i = 0; i < N_POSITIONS; i++) {
        engine_position_t pos;
        engine_result_t res;
        load(&positions[i], &pos);
        engine_limits_t lim = {.depth = depth};
        double t0 = now_ms();
        if (engine_search(ctx, &pos, &lim, NULL, &res) != ENGINE_OK)
            return 1;
        double t = now_ms() - t0;
        printf("%-14s depth %2d nodes %10llu move %d,%d score %6d  %.0f ms\n", positions[i].name,
               depth, (unsigned long long)res.nodes, res.move.col, res.move.row, res.score, t);
        total += res.nodes;
    }
    printf("signature (depth %d): %llu\n", depth, (unsigned long long)total);
    return 0;
}

static int run_multipv(engine_ctx_t *ctx, int k, int depth)
{
    uint64_t nodes[2] = {0, 0};
    double ms[2] = {0, 0};
    printf("%-14s %8s %10s %10s %6s %s\n", "position", "multipv", "nodes", "time_ms", "lines",
           "moves");
    for (int i = 0; i < N_POSITIONS; i++) {
        for (int j = 0; j < 2; j++) {
            engine_position_t pos;
            engine_result_t res;
            load(&positions[i], &pos);
            engine_limits_t lim = {.depth = depth, .multipv = j ? k : 1};
            if (engine_search(ctx, &pos, &lim, NULL, &res) != ENGINE_OK)
                return 1;
            nodes[j] += res.nodes;
            ms[j] += res.time_ms;
            printf("%-14s %8d %10llu %10.1f %6d", positions[i].name, lim.multipv,
                   (unsigned long long)res.nodes, res.time_ms, res.n_lines);
            for (int l = 0; l < res.n_lines; l++)
                printf(" %d,%d:%d", res.lines[l].move.col, res.lines[l].move.row,
                       res.lines[l].score);
            printf("\n");
        }
    }
    printf(
        "depth %d: multipv 1 %llu nodes %.0f ms, multipv %d %llu nodes %.0f ms (x%.2f nodes)\n\n",
        depth, (unsigned long long)nodes[0], ms[0], k, (unsigned long long)nodes[1], ms[1],
        nodes[0] ? (double)nodes[1] / (double)nodes[0] : 0.0);
    static const int64_t budgets[] = {200, 1000};
    for (int bi = 0; bi < 2; bi++) {
        double sum_depth[2] = {0, 0}, sum_lines = 0;
        for (int i = 0; i < N_POSITIONS; i++)
            for (int j = 0; j < 2; j++) {
                engine_position_t pos;
                engine_result_t res;
                load(&positions[i], &pos);
                engine_ctx_clear(ctx);
                engine_limits_t lim = {.time_ms = budgets[bi], .multipv = j ? k : 1};
                if (engine_search(ctx, &pos, &lim, NULL, &res) != ENGINE_OK)
                    return 1;
                sum_depth[j] += res.depth;
                if (j)
                    sum_lines += res.n_lines;
            }
        printf("%lld ms: mean depth of the best move %.1f (multipv 1) vs %.1f (multipv %d, "
               "%.1f lines)\n",
               (long long)budgets[bi], sum_depth[0] / N_POSITIONS, sum_depth[1] / N_POSITIONS, k,
               sum_lines / N_POSITIONS);
    }
    return 0;
}

typedef struct stopper {
    atomic_bool *flag;
    int delay_us;
    clockid_t searcher_cpu; /* CPU clock of the searching thread */
    double set_at_ms;
    double searcher_cpu_at_stop_ms;
} stopper_t;

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *stop_later(void *arg)
{
    stopper_t *s = arg;
    struct timespec ts = {.tv_sec = s->delay_us / 1000000,
                          .tv_nsec = (s->delay_us % 1000000) * 1000L};
    nanosleep(&ts, NULL);
    s->set_at_ms = now_ms();
    s->searcher_cpu_at_stop_ms = clock_ms(s->searcher_cpu);
    atomic_store(s->flag, true);
    return NULL;
}

static int run_discipline(engine_ctx_t *ctx, int n)
{
    uint64_t rng = 12345;
    double max_over = -1e9, sum_over = 0, max_cpu_over = -1e9;
    int over5 = 0, over10 = 0;
    for (int i = 0; i < n; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        double u = (double)(rng >> 11) / 9007199254740992.0;
        /* log-uniform between 10 ms and 2 s */
        int64_t budget = (int64_t)(10.0 * __builtin_exp(u * __builtin_log(200.0)));
        engine_position_t pos;
        engine_result_t res;
        load(&positions[i % N_POSITIONS], &pos);
        engine_limits_t lim = {.time_ms = budget};
        double t0 = now_ms(), c0 = thread_cpu_ms();
        if (engine_search(ctx, &pos, &lim, NULL, &res) != ENGINE_OK)
            return 1;
        double over = now_ms() - t0 - (double)budget;
        double cpu_over = thread_cpu_ms() - c0 - (double)budget;
        if (cpu_over > max_cpu_over)
            max_cpu_over = cpu_over;
        if (over > 5)
            printf("  overrun %.2f ms (CPU time %.2f ms over) at budget %lld ms (%s)\n", over,
                   cpu_over, (long long)budget, positions[i % N_POSITIONS].name);
        sum_over += over;
        if (over > max_over)
            max_over = over;
        over5 += over > 5;
        over10 += over > 10;
    }
    printf("budget discipline: %d searches, budgets 10..2000 ms (log-uniform)\n", n);
    printf("  overrun max %.2f ms, mean %.2f ms (negative = under budget), >5 ms: %d, >10 ms: %d\n",
           max_over, sum_over / n, over5, over10);
    printf("  in CPU time of the searching thread: max overrun %.2f ms\n", max_cpu_over);

    double max_lat = 0, sum_lat = 0;
    int n_lat = 0, late5 = 0;
    double max_cpu_lat = 0;
    int n_stop = n / 10 < 20 ? 20 : n / 10;
    for (int i = 0; i < n_stop; i++) {
        atomic_bool flag = false;
        stopper_t s = {.flag = &flag, .delay_us = 2000 + (i * 7919) % 200000};
        pthread_getcpuclockid(pthread_self(), &s.searcher_cpu);
        engine_position_t pos;
        engine_result_t res;
        load(&positions[i % N_POSITIONS], &pos);
        engine_limits_t lim = {0};
        pthread_t th;
        pthread_create(&th, NULL, stop_later, &s);
        engine_search(ctx, &pos, &lim, &flag, &res);
        double end = now_ms(), end_cpu = thread_cpu_ms();
        pthread_join(th, NULL);
        if (end < s.set_at_ms)
            continue; /* finished on its own (a proven result) before the stop */
        double lat = end - s.set_at_ms;
        n_lat++;
        late5 += lat > 5;
        double cpu_lat = end_cpu - s.searcher_cpu_at_stop_ms;
        if (cpu_lat > max_cpu_lat)
            max_cpu_lat = cpu_lat;
        sum_lat += lat;
        if (lat > max_lat)
            max_lat = lat;
    }
    printf("stop latency: %d of %d searches stopped after 2..200 ms: max %.2f ms, mean %.2f ms, "
           ">5 ms: %d\n",
           n_lat, n_stop, max_lat, n_lat ? sum_lat / n_lat : 0.0, late5);
    printf("  CPU time the searching thread spent after the stop: max %.2f ms\n", max_cpu_lat);
    return 0;
}

int main(int argc, char **argv)
{
    bool discipline = false, quick = false, signature = false;
    int depth = 0, multipv = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--discipline"))
            discipline = true;
        else if (!strcmp(argv[i], "--quick"))
            quick = true;
        else if (!strcmp(argv[i], "--signature"))
            signature = true;
        else if (!strcmp(argv[i], "--multipv") && i + 1 < argc)
            multipv = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--depth") && i + 1 < argc)
            depth = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rule") && i + 1 < argc) {
            const char *r = argv[++i];
            rule_override = !strcmp(r, "freestyle")  ? ENGINE_RULE_FREESTYLE
                            : !strcmp(r, "standard") ? ENGINE_RULE_STANDARD
                            : !strcmp(r, "renju")    ? ENGINE_RULE_RENJU
                                                     : -2;
            if (rule_override == -2) {
                fprintf(stderr, "engine_bench: --rule takes freestyle, standard or renju\n");
                return 2;
            }
        } else {
            fprintf(stderr,
                    "usage: %s [--signature [--depth N] | --multipv K [--depth N] | "
                    "--discipline [--quick]] [--rule freestyle|standard|renju]\n",
                    argv[0]);
            return 2;
        }
    }
    engine_ctx_t *ctx = NULL;
    if (engine_init() != ENGINE_OK || engine_ctx_create(64, &ctx) != ENGINE_OK) {
        fprintf(stderr, "engine_bench: cannot create an engine context\n");
        return 1;
    }
    if (multipv > 0) {
        int rc = multipv <= ENGINE_MAX_LINES ? run_multipv(ctx, multipv, depth > 0 ? depth : 8) : 2;
        engine_ctx_destroy(ctx);
        return rc;
    }
    int rc = signature    ? run_signature(ctx, depth > 0 ? depth
                                               : quick   ? 4
                                                         : 6)
             : discipline ? run_discipline(ctx, quick ? 100 : 1000)
                          : run_speed(ctx);
    engine_ctx_destroy(ctx);
    return rc;
}
