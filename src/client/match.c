#include "client/match.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/player.h"
#include "client/rng.h"
#include "client/verify.h"
#include "game/codec.h"
#include "game/notation.h"

/* At most this much of an error reply's body is quoted in the game's error
 * (the whole body is in the saved file). */
#define QUOTED_BODY 200

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void client_match_setup(const client_options_t *opts, game_record_t *rec)
{
    game_record_init(rec);
    rec->board_size = opts->board_size;
    rec->rule = opts->rule;
    rec->rule_given = opts->rule_given;
    if (opts->radius > 0) {
        rec->radius = opts->radius;
    }
    rec->timeout_s = opts->timeout_s;
    for (int s = 0; s < 2; s++) {
        game_player_t *p = &rec->players[s];
        bool ai = s == GAME_SIDE_O || opts->mode == CLIENT_MODE_AI;
        p->kind = ai ? GAME_AI : GAME_HUMAN;
        p->depth = ai ? opts->depth[s] : 0;
        p->max_time_ms = ai ? opts->time_ms[s] : 0;
        p->level = ai ? opts->level[s] : 0;
    }
}

int client_match_save_exchange(const char *dir, int game, int move, const char *url, long status,
                               const char *error, const char *request, size_t request_len,
                               const char *reply, size_t reply_len, char *path_out, size_t path_len)
{
    int n = snprintf(path_out, path_len, "%s/gomoku-client-error-%d-game%d-move%d.txt", dir,
                     (int)getpid(), game, move);
    if (n < 0 || (size_t)n >= path_len) {
        snprintf(path_out, path_len, "the --save-errors path is too long");
        return -1;
    }
    FILE *f = fopen(path_out, "w");
    if (f == NULL) {
        char reason[256];
        snprintf(reason, sizeof(reason), "cannot create a file in %s: %s", dir, strerror(errno));
        snprintf(path_out, path_len, "%s", reason);
        return -1;
    }
    fprintf(f, "# gomoku-http-client: a request whose reply was not accepted\n");
    fprintf(f, "game: %d\nmove: %d\nurl: %s\nhttp_status: %ld\nerror: %s\n", game, move, url,
            status, error);
    fprintf(f, "--- request: %zu bytes ---\n", request_len);
    fwrite(request, 1, request_len, f);
    fprintf(f, "\n--- reply: %zu bytes ---\n", reply_len);
    if (reply != NULL) {
        fwrite(reply, 1, reply_len, f);
    }
    fprintf(f, "\n--- end ---\n");
    if (fclose(f) != 0) {
        snprintf(path_out, path_len, "cannot write the error file: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static void describe_move(const game_move_t *m, char out[64])
{
    char cell[GAME_COORD_MAX];
    game_coord_format(m->row, m->col, cell);
    snprintf(out, 64, "%c (%s) %s [%d, %d]", game_side_letter(m->side),
             m->kind == GAME_AI ? "AI" : "human", cell, m->row, m->col);
}

/* Saves the final record for -j; a failure only warns. */
static void save_record(const client_options_t *opts, client_progress_t *progress, int game,
                        const game_record_t *rec)
{
    char path[1024];
    if (!client_options_json_path(opts, game, path, sizeof(path))) {
        client_progress_print(progress, true, "game %d: the -j path is too long", game);
        return;
    }
    size_t len;
    char *json = game_to_json(rec, &len);
    FILE *f = json != NULL ? fopen(path, "w") : NULL;
    bool ok = f != NULL && fwrite(json, 1, len, f) == len && fputc('\n', f) != EOF;
    if (f != NULL && fclose(f) != 0) {
        ok = false;
    }
    if (!ok) {
        client_progress_print(progress, true, "game %d: cannot save the game to %s: %s", game, path,
                              json == NULL ? "out of memory" : strerror(errno));
    }
    free(json);
}

/* Asks the server for the move of the side to move in rec and appends it
 * after verification. Returns 0, or -1 with result->error filled. */
static int server_move(const client_options_t *opts, client_http_t *http, int game,
                       game_record_t *rec, game_record_t *got, client_game_result_t *result,
                       double *latency)
{
    game_side_t side = game_record_to_move(rec);
    const char *url = opts->urls[side];
    int move = rec->n_moves + 1;
    size_t len;
    char *body = game_to_json(rec, &len);
    if (body == NULL) {
        snprintf(result->error, sizeof(result->error), "move %d: out of memory", move);
        return -1;
    }
    client_http_reply_t reply;
    client_http_status_t hs = client_http_post(http, url, body, len, &reply);
    result->retries += reply.retries;
    for (int c = 0; c < CLIENT_RETRY_N_CAUSES; c++) {
        result->retries_by_cause[c] += reply.retries_by_cause[c];
    }
    char msg[512];
    bool save = false;
    if (hs == CLIENT_HTTP_ETRANSPORT) {
        snprintf(msg, sizeof(msg), "%s", reply.error);
    } else if (hs == CLIENT_HTTP_ESTATUS) {
        snprintf(msg, sizeof(msg), "%s: %.*s%s", reply.error,
                 (int)(reply.len < QUOTED_BODY ? reply.len : QUOTED_BODY), reply.body,
                 reply.len > QUOTED_BODY ? "..." : "");
        save = true;
    } else {
        char why[400];
        client_verify_status_t vs =
            client_verify_reply(rec, reply.body, reply.len, got, why, sizeof(why));
        if (vs == CLIENT_VERIFY_MOVE) {
            /* Continue from the server's record, as the original client did,
             * so its notation and extra fields (undo, scoring) travel on;
             * but keep asking for the depth and budget the user chose, which
             * a server that does not know them would drop. */
            game_player_t asked[2] = {rec->players[0], rec->players[1]};
            bool rule_given = rec->rule_given;
            *rec = *got;
            for (int s = 0; s < 2; s++) {
                rec->players[s].depth = asked[s].depth;
                rec->players[s].max_time_ms = asked[s].max_time_ms;
            }
            rec->rule_given = rule_given || got->rule_given;
            *latency = reply.latency_ms;
            free(body);
            return 0;
        }
        snprintf(msg, sizeof(msg), "reply from %s rejected: %s", url, why);
        save = true;
    }
    int n = snprintf(result->error, sizeof(result->error), "move %d: %s", move, msg);
    if (save && n > 0) {
        if (client_match_save_exchange(opts->errors_dir, game, move, url, reply.status, msg, body,
                                       len, reply.body, reply.len, result->error_file,
                                       sizeof(result->error_file)) != 0) {
            char reason[512];
            snprintf(reason, sizeof(reason), "%s", result->error_file);
            result->error_file[0] = '\0';
            size_t used = strlen(result->error);
            snprintf(result->error + used, sizeof(result->error) - used,
                     " (the exchange could not be saved: %s)", reason);
        }
    }
    free(body);
    return -1;
}

static void report(const client_options_t *opts, client_progress_t *progress,
                   const client_game_result_t *r)
{
    char line[1024];
    if (r->ok) {
        if (opts->quiet) {
            client_progress_game(progress, NULL, false);
            return;
        }
        char result[16];
        if (r->winner == GAME_WINNER_DRAW) {
            snprintf(result, sizeof(result), "draw");
        } else {
            snprintf(result, sizeof(result), "%s won", game_winner_name(r->winner));
        }
        snprintf(line, sizeof(line), "game %d/%d: %s in %d moves, %.3f s, %d requests, %d %s",
                 r->game, opts->games, result, r->moves, r->time_ms / 1000.0, r->requests,
                 r->retries, r->retries == 1 ? "retry" : "retries");
        client_progress_game(progress, line, false);
        return;
    }
    client_progress_print(progress, true, "game %d/%d: FAILED after %d moves, %.3f s: %s%s%s",
                          r->game, opts->games, r->moves, r->time_ms / 1000.0, r->error,
                          r->error_file[0] != '\0' ? "; request and reply saved to " : "",
                          r->error_file);
    client_progress_game(progress, NULL, true);
}

int client_match_play(const client_options_t *opts, client_http_t *http,
                      client_progress_t *progress, const atomic_bool *interrupt, int game,
                      client_game_result_t *result, double *latency_ms, size_t *n_latency)
{
    memset(result, 0, sizeof(*result));
    result->game = game;
    result->played = true;
    *n_latency = 0;
    double start = now_ms();
    game_record_t *rec = malloc(sizeof(*rec));
    game_record_t *got = malloc(sizeof(*got));
    if (rec == NULL || got == NULL) {
        free(rec);
        free(got);
        snprintf(result->error, sizeof(result->error), "out of memory");
        report(opts, progress, result);
        return -1;
    }
    client_match_setup(opts, rec);
    if (rec->players[0].level > 0 || rec->players[1].level > 0) {
        /* The levels' draws: one seed per game, so a run replays. */
        rec->has_seed = true;
        rec->seed = (int64_t)(client_rng_derive(opts->seed, ~(uint64_t)game) & GAME_MAX_SEED);
    }
    /* A random opening from a stream of its own, so that the same --seed
     * gives game i the same opening whichever side plays which colour. */
    client_rng_t opening;
    client_rng_seed(&opening, client_rng_derive(opts->seed ^ 0x6f70656e696e67ULL, (uint64_t)game));
    int mid = rec->board_size / 2;
    for (int i = 0; i < opts->opening && !game_record_finished(rec); i++) {
        for (int tries = 0; tries < 100; tries++) {
            int r = mid - 2 + (int)client_rng_below(&opening, 5);
            int c = mid - 2 + (int)client_rng_below(&opening, 5);
            game_error_t err;
            game_kind_t kind = rec->players[game_record_to_move(rec)].kind;
            if (game_record_append(rec, r, c, kind, &err) == GAME_OK) {
                break;
            }
        }
    }
    client_rng_t rng;
    client_rng_seed(&rng, client_rng_derive(opts->seed, (uint64_t)game));

    int rc = 0;
    /* Each pass adds one verified move, so the loop ends within
     * board_size^2 passes. */
    while (!game_record_finished(rec)) {
        if (interrupt != NULL && atomic_load(interrupt)) {
            snprintf(result->error, sizeof(result->error), "move %d: interrupted",
                     rec->n_moves + 1);
            rc = -1;
            break;
        }
        game_side_t side = game_record_to_move(rec);
        if (rec->players[side].kind == GAME_HUMAN) {
            int row, col;
            game_error_t err;
            if (!client_player_choose(rec, &rng, &row, &col) ||
                game_record_append(rec, row, col, GAME_HUMAN, &err) != GAME_OK) {
                snprintf(result->error, sizeof(result->error),
                         "move %d: the simulated human found no legal move (a client bug)",
                         rec->n_moves + 1);
                rc = -1;
                break;
            }
        } else {
            double latency = 0;
            if (server_move(opts, http, game, rec, got, result, &latency) != 0) {
                rc = -1;
                break;
            }
            latency_ms[(*n_latency)++] = latency;
            result->requests++;
        }
        client_progress_move(progress);
        if (opts->verbose) {
            const game_move_t *m = &rec->moves[rec->n_moves - 1];
            char what[64];
            describe_move(m, what);
            if (rec->players[m->side].kind == GAME_AI) {
                client_progress_print(progress, false,
                                      "game %d move %d: %s, %.1f ms (server %.1f ms), %d "
                                      "retries so far",
                                      game, rec->n_moves, what, latency_ms[*n_latency - 1],
                                      m->has_time_ms ? m->time_ms : 0.0, result->retries);
            } else {
                client_progress_print(progress, false, "game %d move %d: %s", game, rec->n_moves,
                                      what);
            }
        }
    }
    result->moves = rec->n_moves;
    result->winner = rec->winner;
    result->ok = rc == 0;
    result->time_ms = now_ms() - start;
    if (opts->json_path != NULL) {
        save_record(opts, progress, game, rec);
    }
    report(opts, progress, result);
    free(rec);
    free(got);
    return rc;
}
