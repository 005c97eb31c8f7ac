/*
 * minimax_brain.c: pbrain-minimax, a deliberately plain baseline brain for
 * strength measurements (bench/selfplay.sh).
 *
 * It plays the way the original gomoku-httpd engine did: depth-limited
 * alpha-beta minimax (iterative deepening up to the depth, default 4 plies,
 * cut short by the time limit), candidate moves within 2 cells of a stone,
 * ordered by a cheap local score, and a static evaluation that counts runs
 * of stones by length and open ends. No threat search, no hash table, no
 * pruning beyond alpha-beta. A five ends the line at once (win or loss), so
 * it sees wins and losses within its horizon and nothing beyond.
 *
 * The Gomocup side (threads, protocol, time limits) is the same code as
 * pbrain-gomoku's (src/pbrain), so a match measures only the searchers.
 *
 * usage: pbrain-minimax [--depth N]     (or INFO max_depth N from the manager)
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "pbrain/brain.h"

#define DEFAULT_DEPTH 4
#define RADIUS        2
#define WIN_SCORE     10000000
#define INF           (WIN_SCORE * 2)

static const int DIRS[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

typedef struct mm_search {
    int n;
    engine_rule_t rule;
    int8_t cell[ENGINE_MAX_CELLS]; /* 0 empty, 1 black, 2 white */
    int max_depth;
    struct timespec deadline;
    bool has_deadline;
    uint64_t node_limit;
    uint64_t nodes;
    bool aborted;
    const atomic_bool *stop;
} mm_search_t;

static int run_from(const mm_search_t *s, int r, int c, int dr, int dc, int color)
{
    int k = 0;
    for (r += dr, c += dc;
         r >= 0 && r < s->n && c >= 0 && c < s->n && s->cell[r * s->n + c] == color;
         r += dr, c += dc)
        k++;
    return k;
}

static bool makes_five(const mm_search_t *s, int cell, int color)
{
    int r = cell / s->n, c = cell % s->n;
    for (int d = 0; d < 4; d++) {
        int len = 1 + run_from(s, r, c, DIRS[d][0], DIRS[d][1], color) +
                  run_from(s, r, c, -DIRS[d][0], -DIRS[d][1], color);
        if (s->rule == ENGINE_RULE_STANDARD ? len == 5 : len >= 5)
            return true;
    }
    return false;
}

/* Value of one run of `len` stones with `open` free ends. */
static int run_value(int len, int open)
{
    static const int table[5][3] = {
        {0, 0, 0}, {0, 1, 5}, {0, 10, 100}, {0, 200, 2000}, {0, 5000, 50000},
    };
    if (len >= 5)
        return 500000;
    return table[len][open];
}

/* Line-count evaluation for color: every maximal run in every direction,
 * scored by length and open ends. */
static int eval_color(const mm_search_t *s, int color)
{
    int n = s->n, total = 0;
    for (int i = 0; i < n * n; i++) {
        if (s->cell[i] != color)
            continue;
        int r = i / n, c = i % n;
        for (int d = 0; d < 4; d++) {
            int dr = DIRS[d][0], dc = DIRS[d][1];
            int pr = r - dr, pc = c - dc;
            bool inside = pr >= 0 && pr < n && pc >= 0 && pc < n;
            if (inside && s->cell[pr * n + pc] == color)
                continue; /* not the first stone of its run */
            int len = 1 + run_from(s, r, c, dr, dc, color);
            int er = r + len * dr, ec = c + len * dc;
            int open = (inside && s->cell[pr * n + pc] == 0) +
                       (er >= 0 && er < n && ec >= 0 && ec < n && s->cell[er * n + ec] == 0);
            total += run_value(len, open);
        }
    }
    return total;
}

static int evaluate(const mm_search_t *s, int to_move)
{
    return eval_color(s, to_move) - eval_color(s, 3 - to_move);
}

/* Local score of a candidate: how long the runs it joins would be, for both
 * sides; used only to order moves. */
static int local_score(const mm_search_t *s, int cell)
{
    int r = cell / s->n, c = cell % s->n, score = 0;
    for (int color = 1; color <= 2; color++)
        for (int d = 0; d < 4; d++) {
            int len = run_from(s, r, c, DIRS[d][0], DIRS[d][1], color) +
                      run_from(s, r, c, -DIRS[d][0], -DIRS[d][1], color);
            score += len * len;
        }
    return score;
}

static int candidates(const mm_search_t *s, int *out)
{
    int n = s->n, count = 0, scores[ENGINE_MAX_CELLS];
    for (int i = 0; i < n * n; i++) {
        if (s->cell[i])
            continue;
        int r = i / n, c = i % n;
        bool near = false;
        for (int dr = -RADIUS; dr <= RADIUS && !near; dr++)
            for (int dc = -RADIUS; dc <= RADIUS && !near; dc++) {
                int rr = r + dr, cc = c + dc;
                near = rr >= 0 && rr < n && cc >= 0 && cc < n && s->cell[rr * n + cc];
            }
        if (!near)
            continue;
        int sc = local_score(s, i), j = count++;
        for (; j > 0 && scores[j - 1] < sc; j--) {
            out[j] = out[j - 1];
            scores[j] = scores[j - 1];
        }
        out[j] = i;
        scores[j] = sc;
    }
    return count;
}

static bool out_of_time(mm_search_t *s)
{
    if (s->aborted)
        return true;
    if ((s->nodes & 255) == 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((s->stop && atomic_load(s->stop)) || (s->node_limit && s->nodes >= s->node_limit) ||
            (s->has_deadline &&
             (now.tv_sec > s->deadline.tv_sec ||
              (now.tv_sec == s->deadline.tv_sec && now.tv_nsec >= s->deadline.tv_nsec))))
            s->aborted = true;
    }
    return s->aborted;
}

static int negamax(mm_search_t *s, int depth, int alpha, int beta, int to_move, int ply)
{
    s->nodes++;
    if (out_of_time(s))
        return 0;
    if (depth == 0)
        return evaluate(s, to_move);
    int moves[ENGINE_MAX_CELLS];
    int n = candidates(s, moves);
    if (n == 0)
        return 0;
    int best = -INF;
    for (int i = 0; i < n; i++) {
        int m = moves[i], v;
        if (makes_five(s, m, to_move)) {
            v = WIN_SCORE - ply;
        } else {
            s->cell[m] = (int8_t)to_move;
            v = -negamax(s, depth - 1, -beta, -alpha, 3 - to_move, ply + 1);
            s->cell[m] = 0;
        }
        if (s->aborted)
            return 0;
        if (v > best)
            best = v;
        if (v > alpha)
            alpha = v;
        if (alpha >= beta)
            break;
    }
    return best;
}

static engine_status_t mm_search(void *self, const engine_position_t *pos,
                                 const engine_limits_t *limits, const atomic_bool *stop,
                                 engine_result_t *out)
{
    static mm_search_t s;
    int *fixed_depth = self;
    memset(&s, 0, sizeof(s));
    memset(out, 0, sizeof(*out));
    s.n = pos->size;
    s.rule = pos->rule;
    s.stop = stop;
    s.node_limit = limits->nodes;
    s.max_depth = limits->depth > 0 ? limits->depth : *fixed_depth;
    if (limits->time_ms > 0) {
        clock_gettime(CLOCK_MONOTONIC, &s.deadline);
        s.deadline.tv_sec += limits->time_ms / 1000;
        s.deadline.tv_nsec += (limits->time_ms % 1000) * 1000000L;
        if (s.deadline.tv_nsec >= 1000000000L) {
            s.deadline.tv_sec++;
            s.deadline.tv_nsec -= 1000000000L;
        }
        s.has_deadline = true;
    }
    for (int i = 0; i < pos->n_stones; i++)
        s.cell[pos->stones[i].at.row * s.n + pos->stones[i].at.col] = (int8_t)pos->stones[i].color;

    int moves[ENGINE_MAX_CELLS], n = candidates(&s, moves);
    if (pos->n_stones == 0) {
        moves[0] = (s.n / 2) * s.n + s.n / 2;
        n = 1;
    }
    if (n == 0) {
        for (int i = 0; i < s.n * s.n && !n; i++)
            if (!s.cell[i])
                moves[n++] = i;
        if (!n)
            return ENGINE_EFULL;
    }
    int me = pos->to_move, best_move = moves[0], best_score = 0;
    /* Iterative deepening only so that a time limit still leaves the move
     * of the deepest finished iteration. */
    for (int depth = 1; depth <= s.max_depth && n > 1; depth++) {
        int alpha = -INF, iter_move = moves[0], iter_score = -INF;
        for (int i = 0; i < n; i++) {
            int m = moves[i], v;
            if (makes_five(&s, m, me)) {
                v = WIN_SCORE;
            } else {
                s.cell[m] = (int8_t)me;
                v = -negamax(&s, depth - 1, -INF, -alpha, 3 - me, 1);
                s.cell[m] = 0;
            }
            if (s.aborted)
                break;
            if (v > iter_score) {
                iter_score = v;
                iter_move = m;
            }
            if (v > alpha)
                alpha = v;
        }
        if (s.aborted)
            break;
        best_move = iter_move;
        best_score = iter_score;
        out->depth = depth;
        /* The next iteration looks at this one's best move first. */
        for (int i = 0; i < n; i++) {
            if (moves[i] == best_move) {
                moves[i] = moves[0];
                moves[0] = best_move;
                break;
            }
        }
        if (best_score >= WIN_SCORE - 100)
            break;
    }
    out->move.row = (int8_t)(best_move / s.n);
    out->move.col = (int8_t)(best_move % s.n);
    out->score = best_score;
    out->nodes = s.nodes;
    out->n_pv = 1;
    out->pv[0] = out->move;
    return ENGINE_OK;
}

static bool mm_prepare(void *self, size_t hash_mb, char *err, size_t err_cap)
{
    return true; /* no table: nothing to size */
}

int main(int argc, char **argv)
{
    static int depth = DEFAULT_DEPTH;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--depth") && i + 1 < argc) {
            depth = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--depth N]\n", argv[0]);
            return 2;
        }
    }
    if (depth < 1)
        depth = 1;
    static const brain_searcher_t searcher = {
        "name=\"gomoku-minimax\", version=\"1\", author=\"gomoku-httpd developers\", "
        "country=\"International\"",
        mm_prepare, mm_search};
    return brain_run(&searcher, &depth, STDIN_FILENO, stdout);
}
