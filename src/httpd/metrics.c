#include "httpd/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double BUCKET_BOUNDS[METRICS_N_BUCKETS] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                        0.25,  0.5,   1.0,  2.5,   5.0,  10.0};

static const int STATUSES[] = {
#define METRICS_STATUS_VALUE(code) code,
    METRICS_STATUS_LIST(METRICS_STATUS_VALUE)
#undef METRICS_STATUS_VALUE
};
#define N_KNOWN_STATUS ((int)(sizeof(STATUSES) / sizeof(STATUSES[0])))
_Static_assert(N_KNOWN_STATUS + 1 == METRICS_N_STATUS, "METRICS_N_STATUS is the list plus other");

void metrics_init(metrics_t *m)
{
    memset(m, 0, sizeof(*m));
}

const char *metrics_route_name(metrics_route_t route)
{
    switch (route) {
    case METRICS_ROUTE_PLAY:
        return "play";
    case METRICS_ROUTE_HEALTH:
        return "health";
    case METRICS_ROUTE_READY:
        return "ready";
    case METRICS_ROUTE_METRICS:
        return "metrics";
    case METRICS_ROUTE_PAGE:
        return "page";
    case METRICS_ROUTE_OPTIONS:
        return "options";
    case METRICS_ROUTE_ANALYZE:
        return "analyze";
    case METRICS_ROUTE_OTHER:
    case METRICS_N_ROUTES:
        break;
    }
    return "other";
}

static int status_slot(int status)
{
    for (int i = 0; i < N_KNOWN_STATUS; i++) {
        if (STATUSES[i] == status) {
            return i;
        }
    }
    return N_KNOWN_STATUS;
}

void metrics_count_request(metrics_t *m, metrics_route_t route, int status)
{
    if ((unsigned)route >= METRICS_N_ROUTES) {
        route = METRICS_ROUTE_OTHER;
    }
    atomic_fetch_add_explicit(&m->requests[route][status_slot(status)], 1, memory_order_relaxed);
}

static void observe(metrics_histogram_t *h, double ms)
{
    if (ms < 0) {
        ms = 0;
    }
    double s = ms / 1000.0;
    int b = 0;
    while (b < METRICS_N_BUCKETS && s > BUCKET_BOUNDS[b]) {
        b++;
    }
    if (b < METRICS_N_BUCKETS) {
        atomic_fetch_add_explicit(&h->buckets[b], 1, memory_order_relaxed);
    }
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_us, (uint_fast64_t)(ms * 1000.0), memory_order_relaxed);
}

void metrics_observe_search(metrics_t *m, double search_ms, double queue_ms, uint64_t nodes,
                            bool stopped)
{
    observe(&m->search_seconds, search_ms);
    observe(&m->queue_seconds, queue_ms);
    atomic_fetch_add_explicit(&m->nodes, nodes, memory_order_relaxed);
    if (stopped) {
        atomic_fetch_add_explicit(&m->searches_stopped, 1, memory_order_relaxed);
    }
}

static uint64_t load(const atomic_uint_fast64_t *a)
{
    return atomic_load_explicit(a, memory_order_relaxed);
}

static void render_histogram(FILE *f, const char *name, const char *help,
                             const metrics_histogram_t *h)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    uint64_t cumulative = 0;
    for (int b = 0; b < METRICS_N_BUCKETS; b++) {
        cumulative += load(&h->buckets[b]);
        fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name, BUCKET_BOUNDS[b],
                (unsigned long long)cumulative);
    }
    /* The count is read last, so +Inf is never below a finite bucket even
     * while searches finish during the render. */
    uint64_t count = load(&h->count);
    if (count < cumulative) {
        count = cumulative;
    }
    fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)count);
    fprintf(f, "%s_sum %.6f\n", name, (double)load(&h->sum_us) / 1e6);
    fprintf(f, "%s_count %llu\n", name, (unsigned long long)count);
}

char *metrics_render(const metrics_t *m, const metrics_gauges_t *g, size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (f == NULL) {
        return NULL;
    }
    fprintf(f, "# HELP gomoku_http_requests_total HTTP requests answered, by route and status.\n"
               "# TYPE gomoku_http_requests_total counter\n");
    for (int r = 0; r < METRICS_N_ROUTES; r++) {
        for (int s = 0; s < METRICS_N_STATUS; s++) {
            uint64_t n = load(&m->requests[r][s]);
            if (n == 0) {
                continue;
            }
            if (s < N_KNOWN_STATUS) {
                fprintf(f, "gomoku_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n",
                        metrics_route_name((metrics_route_t)r), STATUSES[s], (unsigned long long)n);
            } else {
                fprintf(f, "gomoku_http_requests_total{route=\"%s\",code=\"other\"} %llu\n",
                        metrics_route_name((metrics_route_t)r), (unsigned long long)n);
            }
        }
    }
    render_histogram(f, "gomoku_search_duration_seconds", "Search time per move.",
                     &m->search_seconds);
    render_histogram(f, "gomoku_queue_wait_seconds", "Time a move waited for a search thread.",
                     &m->queue_seconds);
    fprintf(f,
            "# HELP gomoku_search_nodes_total Positions searched.\n"
            "# TYPE gomoku_search_nodes_total counter\n"
            "gomoku_search_nodes_total %llu\n"
            "# HELP gomoku_searches_stopped_total Searches stopped early by a shutdown.\n"
            "# TYPE gomoku_searches_stopped_total counter\n"
            "gomoku_searches_stopped_total %llu\n"
            "# HELP gomoku_queue_length Moves waiting for a search thread.\n"
            "# TYPE gomoku_queue_length gauge\n"
            "gomoku_queue_length %d\n"
            "# HELP gomoku_queue_capacity Moves that may wait before 503.\n"
            "# TYPE gomoku_queue_capacity gauge\n"
            "gomoku_queue_capacity %d\n"
            "# HELP gomoku_search_threads Search threads.\n"
            "# TYPE gomoku_search_threads gauge\n"
            "gomoku_search_threads %d\n"
            "# HELP gomoku_search_threads_busy Search threads running a search.\n"
            "# TYPE gomoku_search_threads_busy gauge\n"
            "gomoku_search_threads_busy %d\n"
            "# HELP gomoku_http_requests_in_flight Requests received but not yet answered.\n"
            "# TYPE gomoku_http_requests_in_flight gauge\n"
            "gomoku_http_requests_in_flight %u\n"
            "# HELP gomoku_draining 1 while shutting down.\n"
            "# TYPE gomoku_draining gauge\n"
            "gomoku_draining %d\n"
            "# HELP gomoku_uptime_seconds Time since the daemon started.\n"
            "# TYPE gomoku_uptime_seconds gauge\n"
            "gomoku_uptime_seconds %.3f\n"
            "# HELP gomoku_build_info Version of the running daemon.\n"
            "# TYPE gomoku_build_info gauge\n"
            "gomoku_build_info{version=\"%s\"} 1\n",
            (unsigned long long)load(&m->nodes), (unsigned long long)load(&m->searches_stopped),
            g->queued, g->queue_capacity, g->threads, g->busy, g->in_flight, g->draining ? 1 : 0,
            g->uptime_s, GOMOKU_VERSION);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    if (len != NULL) {
        *len = size;
    }
    return buf;
}
