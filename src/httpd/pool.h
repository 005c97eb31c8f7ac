/*
 * pool.h: the search threads and their bounded job queue.
 *
 * Who calls it: the libmicrohttpd thread submits (the only producer), search
 * threads run jobs, the main thread creates, stops and destroys the pool, and
 * any thread may read the statistics.
 *
 * Each search thread owns one engine context (its hash table) and runs at
 * nice +10, so the HTTP thread keeps answering health checks while every
 * core searches. Idle threads sleep on a condition variable without a
 * timeout; a submit signals one only when one is idle. Jobs run without the
 * lock held.
 *
 * Capacity: at most threads + queue jobs are accepted at once (running plus
 * waiting); pool_submit() refuses more with POOL_EFULL. Because only one
 * thread submits, pool_has_room() stays true until that thread submits:
 * workers can only make room.
 */
#ifndef GOMOKU_HTTPD_POOL_H
#define GOMOKU_HTTPD_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

typedef struct pool pool_t;
typedef struct pool_job pool_job_t;

/* Called on the search thread when the job's search has finished. It gets
 * the job back: from then on the pool never touches it, and the callback may
 * hand it to another thread that frees it. */
typedef void (*pool_done_cb)(pool_job_t *job);

struct pool_job {
    /* Filled by the submitter. */
    engine_position_t pos;
    engine_limits_t limits;
    pool_done_cb done;
    void *arg;
    /* Set by the pool. */
    atomic_bool stop;       /* set when the pool is told to stop searches */
    engine_status_t status; /* of engine_search */
    engine_result_t result;
    double submit_ms, start_ms, end_ms; /* pool_now_ms() clock; start_ms under the lock */
    pool_job_t *next;                   /* private: queue link */
};

typedef enum pool_status {
    POOL_OK = 0,
    POOL_EFULL,   /* threads + queue jobs already accepted */
    POOL_ENOMEM,  /* out of memory or an engine context could not be made */
    POOL_ETHREAD, /* a thread could not be started */
} pool_status_t;

typedef struct pool_stats {
    int threads;
    int busy;     /* threads running a search */
    int queued;   /* jobs accepted but not yet started */
    int capacity; /* the queue bound (-q) */
} pool_stats_t;

/* Starts `threads` search threads, each with an engine context of hash_mb
 * MiB, accepting up to `queue` waiting jobs. engine_init() must have run.
 * Returns POOL_OK with *out, or an error with a message in err (nothing left
 * running). */
pool_status_t pool_create(int threads, int queue, size_t hash_mb, pool_t **out, char *err,
                          size_t errlen);

/* True when pool_submit() would accept a job now. */
bool pool_has_room(pool_t *pool);

/* Queues job (the pool borrows it until job->done is called). Returns
 * POOL_OK, or POOL_EFULL leaving job untouched (also once pool_join() has
 * begun). After pool_stop_all() new
 * jobs start with their stop flag set. One submitting thread only. */
pool_status_t pool_submit(pool_t *pool, pool_job_t *job);

/* Sets the stop flag of every running and queued job, and of every job
 * submitted from now on: searches return their best move within a few
 * milliseconds. Any thread. */
void pool_stop_all(pool_t *pool);

/* Jobs accepted and not yet handed back through job->done. */
int pool_pending(pool_t *pool);

void pool_stats(pool_t *pool, pool_stats_t *out);

/* Runs the jobs still queued and joins the threads. The pool stays
 * readable (pool_stats, pool_has_room) until pool_destroy(), so threads that
 * still look at it (HTTP, agent) can be stopped after the search threads.
 * The caller makes sure nothing submits any more. Main thread. */
void pool_join(pool_t *pool);

/* pool_join() if not done yet, then frees everything. */
void pool_destroy(pool_t *pool);

/* The work the pool has accepted, in search time: what a refused client
 * would wait for. */
typedef struct pool_backlog {
    int threads;
    int idle;            /* threads not running a search */
    double queued_ms;    /* sum of the time budgets of the waiting jobs */
    double next_free_ms; /* least budget left among the running searches
                            (0 when a thread is idle; never negative) */
} pool_backlog_t;

/* Fills *out under the pool's lock, which search threads hold only for a
 * few instructions (never during a search): cheap, but not free, so call it
 * when an answer needs it rather than for every request. Any thread. */
void pool_backlog(pool_t *pool, pool_backlog_t *out);

/* Seconds until a refused request is worth retrying, for Retry-After: the
 * queued budgets spread over the threads, plus the time until the first
 * running search reaches its budget, rounded up; at least 1 and at most
 * ceil(max_time_ms / 1000), the longest one search can take. Budgets are
 * upper bounds (a search may end early), so this errs on the long side
 * except for the cap. Pure. */
int pool_retry_after_s(const pool_backlog_t *backlog, int64_t max_time_ms);

/* Milliseconds on CLOCK_MONOTONIC: the clock of every duration in httpd. */
double pool_now_ms(void);

#endif
