/*
 * gomoku-http-client: plays games against gomoku-httpd (or a swarm), checks
 * every reply and prints statistics. main() parses the flags, starts one
 * worker thread per concurrent game (each with its own curl handle), waits
 * for them, and prints the summary. Exit status: 0 when every game finished
 * with every reply verified, 1 otherwise, 2 for a usage error, 130 when
 * interrupted (SIGINT or SIGTERM; the summary is still printed).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/http.h"
#include "client/match.h"
#include "client/options.h"
#include "client/progress.h"
#include "client/rng.h"
#include "client/stats.h"

/* Replies are a few KiB (a full 25x25 game with every field is under
 * 200 KiB); anything past this is a broken or hostile server. */
#define MAX_REPLY_BYTES (4u << 20)

/* Worker thread stacks: the workers keep their big buffers on the heap. */
#define WORKER_STACK (256u << 10)

struct run {
    const client_options_t *opts;
    client_stats_t *stats;
    client_progress_t *progress;
    atomic_int next_game; /* the last game handed out */
    atomic_bool stop;     /* start no more games: --fail-fast, or interrupted */
    atomic_bool interrupted;
};

struct worker {
    struct run *run;
    int id;
    pthread_t thread;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct run *run = w->run;
    const client_options_t *opts = run->opts;
    client_http_config_t config = {
        .connect_timeout_ms = opts->connect_timeout_ms,
        .timeout_ms = client_options_request_timeout_ms(opts),
        .max_retries = opts->retries,
        .backoff = CLIENT_BACKOFF_DEFAULT,
        .max_reply_bytes = MAX_REPLY_BYTES,
        .seed = client_rng_derive(opts->seed, ~(uint64_t)w->id),
    };
    char err[256];
    client_http_t *http = NULL;
    double *latency = malloc(ENGINE_MAX_CELLS * sizeof(*latency));
    if (latency == NULL || client_http_create(&config, &http, err, sizeof(err)) != 0) {
        client_progress_print(run->progress, true, "worker %d: %s", w->id,
                              latency == NULL ? "out of memory" : err);
        free(latency);
        return NULL;
    }
    while (!atomic_load(&run->stop)) {
        int game = atomic_fetch_add(&run->next_game, 1) + 1;
        if (game > opts->games) {
            break;
        }
        client_game_result_t result;
        size_t n_latency = 0;
        int rc = client_match_play(opts, http, run->progress, &run->interrupted, game, &result,
                                   latency, &n_latency);
        client_stats_add_game(run->stats, &result, latency, n_latency);
        if (rc != 0 && opts->fail_fast) {
            atomic_store(&run->stop, true);
        }
    }
    client_stats_add_connections(run->stats, client_http_connections(http));
    client_http_destroy(http);
    free(latency);
    return NULL;
}

/* Signals are taken by one thread with sigwait() rather than a handler, so
 * that reacting to them may print and take locks. SIGUSR1 is main() telling
 * this thread to end. */
static void signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGUSR1);
}

/* First SIGINT/SIGTERM: no new games, running ones stop before their next
 * move, and main() still prints the summary. Second: quit at once. */
static void *signal_main(void *arg)
{
    struct run *run = arg;
    sigset_t set;
    signal_set(&set);
    int sig;
    if (sigwait(&set, &sig) != 0 || sig == SIGUSR1) {
        return NULL;
    }
    atomic_store(&run->interrupted, true);
    atomic_store(&run->stop, true);
    client_progress_print(run->progress, true,
                          "%s: stopping after the moves in flight (again to quit at once)",
                          strsignal(sig));
    if (sigwait(&set, &sig) == 0 && sig != SIGUSR1) {
        _exit(128 + sig);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static client_progress_style_t progress_style(const client_options_t *opts)
{
    switch (opts->progress) {
    case CLIENT_PROGRESS_ON:
        return CLIENT_PROGRESS_BAR;
    case CLIENT_PROGRESS_OFF:
        return CLIENT_PROGRESS_NONE;
    case CLIENT_PROGRESS_AUTO:
        break;
    }
    if (isatty(STDERR_FILENO)) {
        return CLIENT_PROGRESS_BAR;
    }
    /* Plain progress lines only help when there are several games to wait
     * for, and -q asks for the summary alone. */
    return opts->quiet || opts->games < 10 ? CLIENT_PROGRESS_NONE : CLIENT_PROGRESS_LINES;
}

static void print_banner(const client_options_t *opts)
{
    printf("gomoku-http-client %s: %d game%s, %d at once, %s", GOMOKU_VERSION, opts->games,
           opts->games == 1 ? "" : "s", opts->concurrency,
           opts->mode == CLIENT_MODE_AI ? "AI vs AI" : "simulated human (X) vs AI (O)");
    if (opts->two_servers) {
        printf(", X from %s, O from %s\n", opts->urls[GAME_SIDE_X], opts->urls[GAME_SIDE_O]);
    } else {
        printf(", server %s\n", opts->urls[GAME_SIDE_O]);
    }
    fflush(stdout);
}

/* Runs the workers and waits for them. Returns the number started. */
static int run_workers(struct run *run, struct worker *workers, int n)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0;
    for (int i = 0; i < n; i++) {
        workers[i].run = run;
        workers[i].id = i;
        if (pthread_create(&workers[i].thread, &attr, worker_main, &workers[i]) != 0) {
            client_progress_print(run->progress, true,
                                  "cannot start worker thread %d; continuing with %d", i, started);
            break;
        }
        started++;
    }
    pthread_attr_destroy(&attr);
    for (int i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    return started;
}

int main(int argc, char **argv)
{
    const char *program = argc > 0 ? argv[0] : "gomoku-http-client";
    client_options_t opts;
    char err[512];
    switch (client_options_parse(argc, argv, &opts, err, sizeof(err))) {
    case CLIENT_OPTIONS_HELP:
        client_options_usage(stdout, program);
        return 0;
    case CLIENT_OPTIONS_EUSAGE:
        fprintf(stderr, "gomoku-http-client: %s\n", err);
        return 2;
    case CLIENT_OPTIONS_OK:
        break;
    }

    /* With CURLOPT_NOSIGNAL curl leaves SIGPIPE to us: a server that closes
     * a connection mid-write must be an error value, not a dead client. */
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "gomoku-http-client: curl_global_init failed\n");
        return 1;
    }
    client_stats_t stats;
    client_progress_t progress;
    struct worker *workers = calloc((size_t)opts.concurrency, sizeof(*workers));
    if (workers == NULL || client_stats_init(&stats, opts.games) != 0) {
        fprintf(stderr, "gomoku-http-client: out of memory\n");
        free(workers);
        curl_global_cleanup();
        return 1;
    }
    if (client_progress_init(&progress, stdout, stderr, progress_style(&opts), opts.games) != 0) {
        fprintf(stderr, "gomoku-http-client: cannot initialise the output lock\n");
        client_stats_destroy(&stats);
        free(workers);
        curl_global_cleanup();
        return 1;
    }
    if (!opts.quiet) {
        print_banner(&opts);
    }

    struct run run = {.opts = &opts, .stats = &stats, .progress = &progress};
    atomic_init(&run.next_game, 0);
    atomic_init(&run.stop, false);
    atomic_init(&run.interrupted, false);
    /* Blocked before any thread starts, so every thread inherits the mask
     * and only signal_main() receives them. */
    sigset_t set;
    signal_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_t signal_thread;
    bool have_signal_thread = pthread_create(&signal_thread, NULL, signal_main, &run) == 0;
    double start = now_s();
    run_workers(&run, workers, opts.concurrency);
    double elapsed = now_s() - start;
    if (have_signal_thread) {
        pthread_kill(signal_thread, SIGUSR1);
        pthread_join(signal_thread, NULL);
    }
    client_progress_destroy(&progress);

    client_summary_t summary;
    client_stats_summarize(&stats, elapsed, &summary);
    client_summary_print(&summary, stdout);
    int status = atomic_load(&run.interrupted) ? 130 : summary.passed == summary.games ? 0 : 1;
    if (opts.summary_path != NULL &&
        client_stats_write_json(&stats, &summary, &opts, opts.summary_path, err, sizeof(err)) !=
            0) {
        fprintf(stderr, "gomoku-http-client: --json-summary: %s\n", err);
        status = 1;
    }
    fflush(stdout);
    client_stats_destroy(&stats);
    free(workers);
    curl_global_cleanup();
    return status;
}
