#include "httpd/pool.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "httpd/log.h"
#include "httpd/probes.h"

/* Search threads yield to the HTTP thread: measured in http-stack.md 5.3,
 * nice +10 halves the health check's p99 while every core searches. */
#define SEARCH_NICE 10

typedef struct worker {
    pool_t *pool;
    pthread_t thread;
    engine_ctx_t *ctx;
    pool_job_t *running; /* under pool->lock */
    bool started;
} worker_t;

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t work; /* a job was queued, or shutting down */
    pool_job_t *head, *tail;
    int n_idle;    /* workers waiting on `work` */
    bool stopping; /* pool_stop_all() was called */
    bool shutdown; /* pool_destroy(): exit once the queue is empty */
    int n_threads;
    int capacity;
    double queued_ms; /* sum of the queued jobs' time budgets */
    /* Written under the lock, read without it by statistics readers. */
    atomic_int n_pending;
    atomic_int n_queued;
    atomic_int n_busy;
    worker_t *workers;
};

double pool_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    pool_t *pool = w->pool;
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), SEARCH_NICE) != 0) {
        httpd_log(HTTPD_LOG_WARN, "search thread: setpriority(+%d): %s", SEARCH_NICE,
                  strerror(errno));
    }
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (pool->head == NULL && !pool->shutdown) {
            pool->n_idle++;
            pthread_cond_wait(&pool->work, &pool->lock);
            pool->n_idle--;
        }
        pool_job_t *job = pool->head;
        if (job == NULL) {
            break; /* shutdown with an empty queue */
        }
        pool->head = job->next;
        if (pool->head == NULL) {
            pool->tail = NULL;
        }
        job->next = NULL;
        w->running = job;
        pool->queued_ms -= (double)job->limits.time_ms;
        /* Under the lock: pool_backlog() reads it. */
        job->start_ms = pool_now_ms();
        atomic_fetch_sub(&pool->n_queued, 1);
        atomic_fetch_add(&pool->n_busy, 1);
        pthread_mutex_unlock(&pool->lock);

        /* The trace points of every search, whatever route asked for it. */
        long queue_us = (long)((job->start_ms - job->submit_ms) * 1000.0);
        PROBES_SEARCH_START((long)job->limits.time_ms, job->limits.depth, queue_us);
        job->status = engine_search(w->ctx, &job->pos, &job->limits, &job->stop, &job->result);
        job->end_ms = pool_now_ms();
        PROBES_SEARCH_DONE(job->result.depth, (unsigned long)job->result.nodes,
                           (long)((job->end_ms - job->start_ms) * 1000.0), queue_us,
                           (int)atomic_load(&job->stop));

        /* Forget the job before handing it back: once done() runs, the
         * job may be freed by another thread at any moment. */
        pthread_mutex_lock(&pool->lock);
        w->running = NULL;
        atomic_fetch_sub(&pool->n_busy, 1);
        pthread_mutex_unlock(&pool->lock);

        job->done(job);

        pthread_mutex_lock(&pool->lock);
        atomic_fetch_sub(&pool->n_pending, 1);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

static void stop_threads(pool_t *pool)
{
    pthread_mutex_lock(&pool->lock);
    pool->shutdown = true;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->n_threads; i++) {
        if (pool->workers[i].started) {
            pthread_join(pool->workers[i].thread, NULL);
            pool->workers[i].started = false;
        }
    }
}

static void free_pool(pool_t *pool)
{
    for (int i = 0; i < pool->n_threads; i++) {
        if (pool->workers[i].ctx != NULL) {
            engine_ctx_destroy(pool->workers[i].ctx);
        }
    }
    free(pool->workers);
    pthread_cond_destroy(&pool->work);
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}

pool_status_t pool_create(int threads, int queue, size_t hash_mb, pool_t **out, char *err,
                          size_t errlen)
{
    pool_t *pool = calloc(1, sizeof(*pool));
    if (pool == NULL) {
        snprintf(err, errlen, "out of memory");
        return POOL_ENOMEM;
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pool->n_threads = threads;
    pool->capacity = queue;
    pool->workers = calloc((size_t)threads, sizeof(worker_t));
    if (pool->workers == NULL) {
        free_pool(pool);
        snprintf(err, errlen, "out of memory");
        return POOL_ENOMEM;
    }
    /* Contexts first: a hash table that does not fit is reported before
     * any thread runs. */
    for (int i = 0; i < threads; i++) {
        pool->workers[i].pool = pool;
        engine_status_t s = engine_ctx_create(hash_mb, &pool->workers[i].ctx);
        if (s != ENGINE_OK) {
            pool->workers[i].ctx = NULL;
            snprintf(err, errlen, "search thread %d: %zu MiB hash table: %s", i, hash_mb,
                     engine_strerror(s));
            free_pool(pool);
            return POOL_ENOMEM;
        }
    }
    for (int i = 0; i < threads; i++) {
        int rc = pthread_create(&pool->workers[i].thread, NULL, worker_main, &pool->workers[i]);
        if (rc != 0) {
            snprintf(err, errlen, "cannot start search thread %d: %s", i, strerror(rc));
            stop_threads(pool);
            free_pool(pool);
            return POOL_ETHREAD;
        }
        pool->workers[i].started = true;
    }
    *out = pool;
    return POOL_OK;
}

bool pool_has_room(pool_t *pool)
{
    return atomic_load(&pool->n_pending) < pool->n_threads + pool->capacity;
}

pool_status_t pool_submit(pool_t *pool, pool_job_t *job)
{
    pthread_mutex_lock(&pool->lock);
    /* After pool_join() no thread would ever run the job: refuse it, so the
     * caller answers instead of leaving its connection suspended. */
    if (pool->shutdown || atomic_load(&pool->n_pending) >= pool->n_threads + pool->capacity) {
        pthread_mutex_unlock(&pool->lock);
        return POOL_EFULL;
    }
    atomic_init(&job->stop, pool->stopping);
    job->next = NULL;
    job->submit_ms = pool_now_ms();
    if (pool->tail != NULL) {
        pool->tail->next = job;
    } else {
        pool->head = job;
    }
    pool->tail = job;
    pool->queued_ms += (double)job->limits.time_ms;
    atomic_fetch_add(&pool->n_pending, 1);
    atomic_fetch_add(&pool->n_queued, 1);
    if (pool->n_idle > 0) {
        pthread_cond_signal(&pool->work);
    }
    pthread_mutex_unlock(&pool->lock);
    return POOL_OK;
}

void pool_stop_all(pool_t *pool)
{
    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    for (pool_job_t *j = pool->head; j != NULL; j = j->next) {
        atomic_store(&j->stop, true);
    }
    for (int i = 0; i < pool->n_threads; i++) {
        if (pool->workers[i].running != NULL) {
            atomic_store(&pool->workers[i].running->stop, true);
        }
    }
    pthread_mutex_unlock(&pool->lock);
}

int pool_pending(pool_t *pool)
{
    return atomic_load(&pool->n_pending);
}

void pool_stats(pool_t *pool, pool_stats_t *out)
{
    out->threads = pool->n_threads;
    out->busy = atomic_load_explicit(&pool->n_busy, memory_order_relaxed);
    out->queued = atomic_load_explicit(&pool->n_queued, memory_order_relaxed);
    out->capacity = pool->capacity;
}

void pool_backlog(pool_t *pool, pool_backlog_t *out)
{
    double now = pool_now_ms();
    out->threads = pool->n_threads;
    out->idle = 0;
    out->next_free_ms = -1;
    pthread_mutex_lock(&pool->lock);
    out->queued_ms = pool->queued_ms > 0 ? pool->queued_ms : 0;
    for (int i = 0; i < pool->n_threads; i++) {
        const pool_job_t *job = pool->workers[i].running;
        if (job == NULL) {
            out->idle++;
            continue;
        }
        double left = job->start_ms + (double)job->limits.time_ms - now;
        if (left < 0) {
            left = 0; /* at its deadline: the search is returning */
        }
        if (out->next_free_ms < 0 || left < out->next_free_ms) {
            out->next_free_ms = left;
        }
    }
    pthread_mutex_unlock(&pool->lock);
    if (out->idle > 0 || out->next_free_ms < 0) {
        out->next_free_ms = 0;
    }
}

int pool_retry_after_s(const pool_backlog_t *b, int64_t max_time_ms)
{
    double cap = ceil((double)max_time_ms / 1000.0);
    if (!(cap >= 1)) {
        cap = 1;
    }
    int threads = b->threads > 0 ? b->threads : 1;
    double wait_ms = b->queued_ms / threads + (b->idle > 0 ? 0 : b->next_free_ms);
    double s = ceil(wait_ms / 1000.0);
    if (!(s >= 1)) {
        s = 1; /* also catches NaN */
    }
    return (int)(s < cap ? s : cap);
}

void pool_join(pool_t *pool)
{
    stop_threads(pool);
}

void pool_destroy(pool_t *pool)
{
    if (pool == NULL) {
        return;
    }
    stop_threads(pool);
    free_pool(pool);
}
