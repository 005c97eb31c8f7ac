#include "client/stats.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int client_stats_init(client_stats_t *st, int n_games)
{
    memset(st, 0, sizeof(*st));
    st->games = calloc((size_t)n_games, sizeof(*st->games));
    if (st->games == NULL || pthread_mutex_init(&st->lock, NULL) != 0) {
        free(st->games);
        st->games = NULL;
        return -1;
    }
    st->n_games = n_games;
    for (int i = 0; i < n_games; i++) {
        st->games[i].game = i + 1;
    }
    return 0;
}

void client_stats_destroy(client_stats_t *st)
{
    if (st->games != NULL) {
        pthread_mutex_destroy(&st->lock);
    }
    free(st->games);
    free(st->latency_ms);
    memset(st, 0, sizeof(*st));
}

int client_stats_add_game(client_stats_t *st, const client_game_result_t *result,
                          const double *latency_ms, size_t n_latency)
{
    int rc = 0;
    pthread_mutex_lock(&st->lock);
    if (result->game >= 1 && result->game <= st->n_games) {
        st->games[result->game - 1] = *result;
    }
    if (st->n_latency + n_latency > st->cap_latency) {
        size_t cap = st->cap_latency > 0 ? st->cap_latency : 1024;
        while (cap < st->n_latency + n_latency) {
            cap *= 2;
        }
        double *grown = realloc(st->latency_ms, cap * sizeof(*grown));
        if (grown == NULL) {
            rc = -1;
            n_latency = 0;
        } else {
            st->latency_ms = grown;
            st->cap_latency = cap;
        }
    }
    if (n_latency > 0) {
        memcpy(st->latency_ms + st->n_latency, latency_ms, n_latency * sizeof(*latency_ms));
        st->n_latency += n_latency;
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

void client_stats_add_connections(client_stats_t *st, long n)
{
    pthread_mutex_lock(&st->lock);
    st->connections += n;
    pthread_mutex_unlock(&st->lock);
}

double client_percentile(const double *sorted, size_t n, double p)
{
    if (n == 0) {
        return 0;
    }
    double rank = ceil(p / 100.0 * (double)n);
    size_t i = rank < 1 ? 0 : (size_t)rank - 1;
    return sorted[i < n ? i : n - 1];
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void client_stats_summarize(client_stats_t *st, double elapsed_s, client_summary_t *out)
{
    memset(out, 0, sizeof(*out));
    out->games = st->n_games;
    for (int i = 0; i < st->n_games; i++) {
        const client_game_result_t *g = &st->games[i];
        if (!g->played) {
            out->not_started++;
            continue;
        }
        out->played++;
        if (g->ok) {
            out->passed++;
        } else {
            out->failed++;
        }
        out->wins_x += g->winner == GAME_WINNER_X;
        out->wins_o += g->winner == GAME_WINNER_O;
        out->draws += g->winner == GAME_WINNER_DRAW;
        out->moves += g->moves;
        out->requests += g->requests;
        out->retries += g->retries;
        for (int c = 0; c < CLIENT_RETRY_N_CAUSES; c++) {
            out->retries_by_cause[c] += g->retries_by_cause[c];
        }
    }
    out->connections = st->connections;
    if (st->n_latency > 1) {
        qsort(st->latency_ms, st->n_latency, sizeof(double), compare_doubles);
    }
    out->n_latency = st->n_latency;
    out->p50_ms = client_percentile(st->latency_ms, st->n_latency, 50);
    out->p95_ms = client_percentile(st->latency_ms, st->n_latency, 95);
    out->p99_ms = client_percentile(st->latency_ms, st->n_latency, 99);
    out->max_ms = st->n_latency > 0 ? st->latency_ms[st->n_latency - 1] : 0;
    double total = 0;
    for (size_t i = 0; i < st->n_latency; i++) {
        total += st->latency_ms[i];
    }
    out->mean_ms = st->n_latency > 0 ? total / (double)st->n_latency : 0;
    out->elapsed_s = elapsed_s;
    if (elapsed_s > 0) {
        out->moves_per_s = (double)out->moves / elapsed_s;
        out->requests_per_s = (double)out->requests / elapsed_s;
        out->games_per_s = (double)out->played / elapsed_s;
    }
}

void client_summary_print(const client_summary_t *s, FILE *out)
{
    fprintf(out, "games:      %d played of %d (X won %d, O won %d, %d draws", s->played, s->games,
            s->wins_x, s->wins_o, s->draws);
    if (s->failed > 0) {
        fprintf(out, ", %d unfinished", s->failed);
    }
    fprintf(out, ")\n");
    fprintf(out, "moves:      %ld (%ld from the server over %ld connection%s)\n", s->moves,
            s->requests, s->connections, s->connections == 1 ? "" : "s");
    fprintf(out, "retries:    %ld", s->retries);
    const char *sep = " (";
    for (int c = 0; c < CLIENT_RETRY_N_CAUSES; c++) {
        if (s->retries_by_cause[c] > 0) {
            fprintf(out, "%s%s %ld", sep, client_retry_cause_name(c), s->retries_by_cause[c]);
            sep = ", ";
        }
    }
    fprintf(out, "%s\n", s->retries > 0 ? ")" : "");
    fprintf(out, "errors:     %d\n", s->failed);
    fprintf(out, "latency:    p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (mean %.1f)\n",
            s->p50_ms, s->p95_ms, s->p99_ms, s->max_ms, s->mean_ms);
    fprintf(out, "throughput: %.1f moves/s, %.1f requests/s, %.2f games/s over %.2f s\n",
            s->moves_per_s, s->requests_per_s, s->games_per_s, s->elapsed_s);
    if (s->not_started > 0) {
        fprintf(out, "%d passed, %d failed, %d not started\n", s->passed, s->failed,
                s->not_started);
    } else {
        fprintf(out, "%d passed, %d failed\n", s->passed, s->failed);
    }
}

/* Sets key on obj, taking ownership of value; false on failure. */
static bool put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0;
}

/* Milliseconds with three decimals, as game records write them. */
static json_t *ms(double v)
{
    return json_real(round(v * 1000.0) / 1000.0);
}

static json_t *retry_causes(const long *by_cause)
{
    json_t *obj = json_object();
    for (int c = 0; obj != NULL && c < CLIENT_RETRY_N_CAUSES; c++) {
        if (!put(obj, client_retry_cause_name(c), json_integer(by_cause[c]))) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

static json_t *game_entry(const client_game_result_t *g)
{
    long causes[CLIENT_RETRY_N_CAUSES];
    for (int c = 0; c < CLIENT_RETRY_N_CAUSES; c++) {
        causes[c] = g->retries_by_cause[c];
    }
    json_t *obj = json_object();
    bool ok =
        obj != NULL && put(obj, "game", json_integer(g->game)) &&
        put(obj, "played", json_boolean(g->played)) && put(obj, "ok", json_boolean(g->ok)) &&
        put(obj, "winner", json_string(game_winner_name(g->winner))) &&
        put(obj, "moves", json_integer(g->moves)) &&
        put(obj, "requests", json_integer(g->requests)) &&
        put(obj, "retries", json_integer(g->retries)) &&
        put(obj, "retries_by_cause", retry_causes(causes)) && put(obj, "time_ms", ms(g->time_ms)) &&
        put(obj, "error", g->error[0] != '\0' ? json_string(g->error) : json_null()) &&
        put(obj, "error_file", g->error_file[0] != '\0' ? json_string(g->error_file) : json_null());
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *settings(const client_options_t *o)
{
    json_t *urls = json_pack("[ss]", o->urls[GAME_SIDE_X], o->urls[GAME_SIDE_O]);
    return json_pack("{s:s, s:o, s:i, s:i, s:I, s:i, s:s, s:[ii], s:[II], s:[ii], s:i}", "mode",
                     o->mode == CLIENT_MODE_AI ? "ai" : "human", "urls", urls, "games", o->games,
                     "concurrency", o->concurrency, "seed", (json_int_t)o->seed, "board_size",
                     o->board_size, "rule", game_rule_name(o->rule), "depth", o->depth[0],
                     o->depth[1], "time_ms", (json_int_t)o->time_ms[0], (json_int_t)o->time_ms[1],
                     "level", o->level[0], o->level[1], "retries", o->retries);
}

int client_stats_write_json(const client_stats_t *st, const client_summary_t *s,
                            const client_options_t *opts, const char *path, char *err,
                            size_t errlen)
{
    json_t *root = json_object();
    json_t *games = json_array();
    bool ok = root != NULL && games != NULL;
    for (int i = 0; ok && i < st->n_games; i++) {
        json_t *g = game_entry(&st->games[i]);
        ok = g != NULL && json_array_append_new(games, g) == 0;
    }
    ok = ok && put(root, "games", json_integer(s->games)) &&
         put(root, "played", json_integer(s->played)) &&
         put(root, "passed", json_integer(s->passed)) &&
         put(root, "failed", json_integer(s->failed)) &&
         put(root, "not_started", json_integer(s->not_started)) &&
         put(root, "wins",
             json_pack("{s:i, s:i, s:i}", "X", s->wins_x, "O", s->wins_o, "draw", s->draws)) &&
         put(root, "moves", json_integer(s->moves)) &&
         put(root, "requests", json_integer(s->requests)) &&
         put(root, "retries", json_integer(s->retries)) &&
         put(root, "retries_by_cause", retry_causes(s->retries_by_cause)) &&
         put(root, "errors", json_integer(s->failed)) &&
         put(root, "connections", json_integer(s->connections)) &&
         put(root, "latency_ms",
             json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "samples", (json_int_t)s->n_latency, "p50",
                       ms(s->p50_ms), "p95", ms(s->p95_ms), "p99", ms(s->p99_ms), "max",
                       ms(s->max_ms), "mean", ms(s->mean_ms))) &&
         put(root, "elapsed_s", json_real(round(s->elapsed_s * 1000.0) / 1000.0)) &&
         put(root, "throughput",
             json_pack("{s:f, s:f, s:f}", "moves_per_s", round(s->moves_per_s * 100) / 100,
                       "requests_per_s", round(s->requests_per_s * 100) / 100, "games_per_s",
                       round(s->games_per_s * 1000) / 1000)) &&
         (opts == NULL || put(root, "settings", settings(opts))) &&
         json_object_set(root, "per_game", games) == 0;
    json_decref(games);
    if (!ok) {
        json_decref(root);
        snprintf(err, errlen, "out of memory while building the JSON summary");
        return -1;
    }
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (rc != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
