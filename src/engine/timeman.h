/*
 * timeman.h: when a search must stop.
 *
 * From a per-move budget B: the hard deadline is B minus a small margin
 * (1 ms up to 20 ms, 2% of B) and is never passed by more than the time
 * between two clock checks; the soft limit is 65% of B: no new iteration
 * starts after it, because with an effective branching factor of 2-4 an
 * iteration started that late would rarely finish, unless the search
 * predicts (from the last iterations' times) that it ends well before the
 * hard deadline. (B / 2 left time unused; 65% measured +28 Elo.)
 * Budget 0 means no time limit.
 *
 * The clock (CLOCK_MONOTONIC) and the caller's stop flag are read together
 * in timeman_poll(), which the search calls every TIMEMAN_POLL_NODES nodes.
 *
 * Thread rule: owned by one search; only *stop is shared (read-only here).
 */
#ifndef GOMOKU_ENGINE_TIMEMAN_H
#define GOMOKU_ENGINE_TIMEMAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Nodes between two reads of the clock and the stop flag. 1024 nodes take
 * about 1 ms on an idle core, but on a loaded machine (the daemon runs one
 * search per core, the benchmarks ran beside other jobs) they took up to
 * 8 ms, over the 5 ms stop promise; a read costs about 25 ns, so 256 keeps
 * the overhead near 0.01%. Figures in docs/engine.md. */
#define TIMEMAN_POLL_NODES 256

/* The soft limit, in percent of the budget. */
#define TIMEMAN_SOFT_PERCENT 65

typedef struct timeman {
    int64_t start_ns;
    int64_t soft_ns; /* absolute; 0 = none */
    int64_t hard_ns; /* absolute; 0 = none */
    const atomic_bool *stop;
} timeman_t;

int64_t timeman_now_ns(void);

void timeman_start(timeman_t *tm, int64_t budget_ms, const atomic_bool *stop);

/* True when the hard deadline has passed or *stop is set. Reads the clock. */
bool timeman_poll(const timeman_t *tm);

/* True when a new iteration expected to take predicted_ns may start: before
 * the soft limit always (a cut-short iteration still counts when a root
 * move completed in it), after it only if the prediction ends the iteration
 * by 90% of the time to the hard deadline. False once timeman_poll() is.
 * Reads the clock. */
bool timeman_may_start(const timeman_t *tm, int64_t predicted_ns);

double timeman_elapsed_ms(const timeman_t *tm);

#endif
