/*
 * stats.h: what a run measured, and the summary printed at the end.
 *
 * Worker threads report each finished game once (client_stats_add_game,
 * under the stats lock); main() summarises after joining them. Latencies are
 * per server move, from the first attempt of the request to the verified
 * answer, so they include retries and backoff: what a player waits.
 * Percentiles use the nearest-rank method (the smallest sample with at least
 * p% of the samples at or below it), so every reported value was observed.
 */
#ifndef GOMOKU_CLIENT_STATS_H
#define GOMOKU_CLIENT_STATS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "client/http.h"
#include "client/options.h"
#include "game/record.h"

typedef struct client_game_result {
    int game;    /* 1-based */
    bool played; /* it was started (--fail-fast may skip the rest) */
    bool ok;     /* finished with every reply verified */
    game_winner_t winner;
    int moves;    /* plies in the last good record */
    int requests; /* answered and verified moves from a server */
    int retries;
    int retries_by_cause[CLIENT_RETRY_N_CAUSES];
    double time_ms;       /* wall time of the game */
    char error[640];      /* the unrecovered error; "" when ok */
    char error_file[512]; /* where request and reply were saved; "" if not */
} client_game_result_t;

typedef struct client_stats {
    pthread_mutex_t lock;
    int n_games;
    client_game_result_t *games; /* n_games entries, index game - 1 */
    double *latency_ms;          /* every verified server move */
    size_t n_latency, cap_latency;
    long connections; /* TCP connections opened by all handles */
} client_stats_t;

typedef struct client_summary {
    int games, played, passed, failed, not_started;
    int wins_x, wins_o, draws;
    long moves, requests, retries;
    long retries_by_cause[CLIENT_RETRY_N_CAUSES];
    long connections;
    size_t n_latency;
    double p50_ms, p95_ms, p99_ms, max_ms, mean_ms;
    double elapsed_s, moves_per_s, requests_per_s, games_per_s;
} client_summary_t;

/* Prepares for n_games games. Returns 0, or -1 when out of memory. */
int client_stats_init(client_stats_t *st, int n_games);
void client_stats_destroy(client_stats_t *st);

/* Records one game (its number in result->game) and its move latencies.
 * Thread-safe. Returns 0, or -1 when out of memory (the latencies are then
 * dropped; the game still counts). */
int client_stats_add_game(client_stats_t *st, const client_game_result_t *result,
                          const double *latency_ms, size_t n_latency);

/* Adds a handle's connection count. Thread-safe. */
void client_stats_add_connections(client_stats_t *st, long n);

/* The nearest-rank p-th percentile (0 < p <= 100) of n ascending values; 0
 * for n == 0. */
double client_percentile(const double *sorted, size_t n, double p);

/* Computes the summary of everything recorded, over elapsed_s seconds of
 * wall time. Sorts the latencies in place; call once the workers are done. */
void client_stats_summarize(client_stats_t *st, double elapsed_s, client_summary_t *out);

/* Prints the summary for people, ending with the line "N passed, N failed". */
void client_summary_print(const client_summary_t *sum, FILE *out);

/* Writes the summary, the settings of the run (opts, may be NULL) and one
 * entry per game as JSON to path. Returns 0, or -1 with a message in err. */
int client_stats_write_json(const client_stats_t *st, const client_summary_t *sum,
                            const client_options_t *opts, const char *path, char *err,
                            size_t errlen);

#endif
