/*
 * metrics.h: counters for GET /metrics, in the Prometheus text format.
 *
 * Who calls it: the libmicrohttpd thread counts requests when they complete,
 * search threads record each search, and the /metrics route renders a
 * snapshot. Every counter is a relaxed atomic: updates never take a lock and
 * a render may see one request counted and its neighbour not yet, which
 * Prometheus tolerates. Gauges (queue, busy threads) are read from the pool
 * by the caller and passed in.
 */
#ifndef GOMOKU_HTTPD_METRICS_H
#define GOMOKU_HTTPD_METRICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum metrics_route {
    METRICS_ROUTE_PLAY = 0,
    METRICS_ROUTE_HEALTH,
    METRICS_ROUTE_READY,
    METRICS_ROUTE_METRICS,
    METRICS_ROUTE_PAGE,
    METRICS_ROUTE_OPTIONS,
    METRICS_ROUTE_ANALYZE,
    METRICS_ROUTE_OTHER,
    METRICS_N_ROUTES
} metrics_route_t;

/* Status codes with a series of their own; anything else counts as "other". */
#define METRICS_STATUS_LIST(X) X(200) X(204) X(304) X(400) X(404) X(405) X(413) X(415) X(500) X(503)
#define METRICS_N_STATUS       11 /* the list plus "other" */

/* Upper bounds of the search-time histogram buckets, in seconds. */
#define METRICS_N_BUCKETS 12

typedef struct metrics_histogram {
    atomic_uint_fast64_t buckets[METRICS_N_BUCKETS]; /* not cumulative; rendered cumulative */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_us;
} metrics_histogram_t;

typedef struct metrics {
    atomic_uint_fast64_t requests[METRICS_N_ROUTES][METRICS_N_STATUS];
    metrics_histogram_t search_seconds;
    metrics_histogram_t queue_seconds;
    atomic_uint_fast64_t nodes;
    atomic_uint_fast64_t searches_stopped; /* cut short by a shutdown */
} metrics_t;

/* Point-in-time values supplied by the caller of metrics_render(). */
typedef struct metrics_gauges {
    int threads, busy, queued, queue_capacity;
    unsigned in_flight; /* requests being received, searched or answered */
    bool draining;
    double uptime_s;
} metrics_gauges_t;

void metrics_init(metrics_t *m);

/* Counts one answered request. Any thread. */
void metrics_count_request(metrics_t *m, metrics_route_t route, int status);

/* Records one finished search. Any thread. */
void metrics_observe_search(metrics_t *m, double search_ms, double queue_ms, uint64_t nodes,
                            bool stopped);

/* Renders everything as Prometheus text (version 0.0.4). Returns a malloc'd
 * NUL-terminated string the caller frees (length in *len), or NULL when out
 * of memory. */
char *metrics_render(const metrics_t *m, const metrics_gauges_t *g, size_t *len);

/* The route's label value ("play", "health", ...). */
const char *metrics_route_name(metrics_route_t route);

#endif
