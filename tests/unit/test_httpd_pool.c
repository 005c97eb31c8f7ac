/* Unit tests of the search pool (src/httpd/pool.c) with the real engine:
 * capacity, statistics, stop flags and the hand-back of every job. */
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "httpd/pool.h"

static sem_t done_sem;

static void job_done(pool_job_t *job)
{
    (void)job;
    sem_post(&done_sem);
}

/* An opening position: X at the centre of a 15x15 board, O to move. */
static void make_job(pool_job_t *job, int64_t time_ms)
{
    memset(job, 0, sizeof(*job));
    job->pos.size = 15;
    job->pos.rule = ENGINE_RULE_FREESTYLE;
    job->pos.to_move = ENGINE_WHITE;
    job->pos.n_stones = 1;
    job->pos.stones[0].at.row = 7;
    job->pos.stones[0].at.col = 7;
    job->pos.stones[0].color = ENGINE_BLACK;
    job->limits.time_ms = time_ms;
    job->done = job_done;
}

static int setup(void **state)
{
    sem_init(&done_sem, 0, 0);
    return engine_init() == ENGINE_OK ? 0 : -1;
}

static void wait_until_busy(pool_t *pool, int busy, int queued)
{
    pool_stats_t st;
    for (;;) {
        pool_stats(pool, &st);
        if (st.busy == busy && st.queued == queued) {
            return;
        }
        sched_yield();
    }
}

static void capacity_is_threads_plus_queue(void **state)
{
    pool_t *pool;
    char err[256];
    assert_int_equal(pool_create(1, 1, 1, &pool, err, sizeof(err)), POOL_OK);
    pool_job_t a, b, c;
    make_job(&a, 60000);
    make_job(&b, 60000);
    make_job(&c, 10);
    assert_true(pool_has_room(pool));
    assert_int_equal(pool_submit(pool, &a), POOL_OK);
    assert_int_equal(pool_submit(pool, &b), POOL_OK);
    assert_false(pool_has_room(pool));
    assert_int_equal(pool_submit(pool, &c), POOL_EFULL);
    assert_int_equal(pool_pending(pool), 2);
    wait_until_busy(pool, 1, 1);
    pool_stats_t st;
    pool_stats(pool, &st);
    assert_int_equal(st.threads, 1);
    assert_int_equal(st.capacity, 1);

    /* Stopping makes the 60 s searches return at once, with a move. */
    pool_stop_all(pool);
    sem_wait(&done_sem);
    sem_wait(&done_sem);
    assert_int_equal(a.status, ENGINE_OK);
    assert_int_equal(b.status, ENGINE_OK);
    assert_true(atomic_load(&a.stop));
    assert_true(atomic_load(&b.stop));
    assert_true(a.result.move.row >= 0 && b.result.move.row >= 0);
    assert_true(a.end_ms - a.start_ms < 30000);
    assert_true(b.start_ms >= a.submit_ms);

    /* After a stop, new jobs start stopped too. */
    make_job(&c, 60000);
    while (!pool_has_room(pool)) {
        sched_yield(); /* the pending count drops just after done() */
    }
    assert_int_equal(pool_submit(pool, &c), POOL_OK);
    sem_wait(&done_sem);
    assert_true(atomic_load(&c.stop));
    assert_int_equal(c.status, ENGINE_OK);
    pool_destroy(pool);
}

static void queued_jobs_run_before_destroy_returns(void **state)
{
    pool_t *pool;
    char err[256];
    assert_int_equal(pool_create(2, 8, 1, &pool, err, sizeof(err)), POOL_OK);
    pool_job_t jobs[6];
    for (int i = 0; i < 6; i++) {
        make_job(&jobs[i], 0);
        jobs[i].limits.depth = 2;
        assert_int_equal(pool_submit(pool, &jobs[i]), POOL_OK);
    }
    pool_destroy(pool);
    for (int i = 0; i < 6; i++) {
        sem_wait(&done_sem);
        assert_int_equal(jobs[i].status, ENGINE_OK);
        assert_true(jobs[i].result.move.row >= 0);
        assert_false(atomic_load(&jobs[i].stop));
    }
}

static void an_idle_pool_has_room_and_no_work(void **state)
{
    pool_t *pool;
    char err[256];
    assert_int_equal(pool_create(3, 0, 1, &pool, err, sizeof(err)), POOL_OK);
    pool_stats_t st;
    pool_stats(pool, &st);
    assert_int_equal(st.threads, 3);
    assert_int_equal(st.busy, 0);
    assert_int_equal(st.queued, 0);
    assert_true(pool_has_room(pool));
    assert_int_equal(pool_pending(pool), 0);
    pool_destroy(pool);
}

static int retry_after(int threads, int idle, double queued_ms, double next_free_ms,
                       int64_t max_time_ms)
{
    pool_backlog_t b = {
        .threads = threads, .idle = idle, .queued_ms = queued_ms, .next_free_ms = next_free_ms};
    return pool_retry_after_s(&b, max_time_ms);
}

static void retry_after_follows_the_backlog(void **state)
{
    /* A free thread, nothing queued: retry at once (the floor is 1 s). */
    assert_int_equal(retry_after(2, 1, 0, 0, 5000), 1);
    /* No queue (-q 0): the first running search to end frees the slot. */
    assert_int_equal(retry_after(1, 0, 0, 2300, 5000), 3);
    assert_int_equal(retry_after(1, 0, 0, 1000, 5000), 1);
    assert_int_equal(retry_after(1, 0, 0, 1001, 5000), 2);
    /* Queued work is shared by the threads: 3 x 1000 ms on 2 threads plus
     * 200 ms until a thread frees = 1.7 s. */
    assert_int_equal(retry_after(2, 0, 3000, 200, 5000), 2);
    /* Small budgets give small answers, not ceil(--max-time-ms). */
    assert_int_equal(retry_after(4, 0, 16 * 50, 30, 5000), 1);
    /* Never above one whole budget: the old answer is the ceiling. */
    assert_int_equal(retry_after(1, 0, 16 * 5000, 4900, 5000), 5);
    assert_int_equal(retry_after(1, 0, 16 * 5000, 4900, 4001), 5);
    assert_int_equal(retry_after(1, 0, 0, 150, 200), 1);
    /* Idle threads make the time left of the running ones irrelevant. */
    assert_int_equal(retry_after(2, 1, 2000, 4000, 10000), 1);
    /* Degenerate input still gives 1..cap. */
    assert_int_equal(retry_after(0, 0, 0, 0, 0), 1);
    assert_int_equal(retry_after(1, 0, -5, -5, 3000), 1);
}

static void backlog_of_a_full_pool(void **state)
{
    pool_t *pool;
    char err[256];
    assert_int_equal(pool_create(1, 2, 1, &pool, err, sizeof(err)), POOL_OK);
    pool_backlog_t b;
    pool_backlog(pool, &b);
    assert_int_equal(b.threads, 1);
    assert_int_equal(b.idle, 1);
    assert_true(b.queued_ms == 0 && b.next_free_ms == 0);

    pool_job_t run, q1, q2;
    make_job(&run, 60000);
    make_job(&q1, 20000);
    make_job(&q2, 30000);
    double before = pool_now_ms();
    assert_int_equal(pool_submit(pool, &run), POOL_OK);
    wait_until_busy(pool, 1, 0);
    assert_int_equal(pool_submit(pool, &q1), POOL_OK);
    assert_int_equal(pool_submit(pool, &q2), POOL_OK);
    pool_backlog(pool, &b);
    double elapsed = pool_now_ms() - before;
    assert_int_equal(b.idle, 0);
    assert_true(b.queued_ms == 50000);
    assert_true(b.next_free_ms <= 60000 && b.next_free_ms >= 60000 - elapsed - 1);
    /* 50 s queued on one thread + about 60 s left: capped by one budget. */
    assert_int_equal(pool_retry_after_s(&b, 5000), 5);
    int s = pool_retry_after_s(&b, 600000);
    assert_true(s <= 110 && s >= 110 - (int)(elapsed / 1000) - 1);

    pool_stop_all(pool);
    for (int i = 0; i < 3; i++) {
        sem_wait(&done_sem);
    }
    while (pool_pending(pool) > 0) {
        sched_yield(); /* the pending count drops just after done() */
    }
    pool_backlog(pool, &b);
    assert_int_equal(b.idle, 1);
    assert_true(b.queued_ms == 0);
    pool_destroy(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(capacity_is_threads_plus_queue),
        cmocka_unit_test(queued_jobs_run_before_destroy_returns),
        cmocka_unit_test(an_idle_pool_has_room_and_no_work),
        cmocka_unit_test(retry_after_follows_the_backlog),
        cmocka_unit_test(backlog_of_a_full_pool),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
