/*
 * match.h: playing one game from the first move to the end.
 *
 * The loop: while the game is not over, the side to move either is the
 * simulated human (client_player_choose, locally) or is asked of its server
 * (POST the whole record, verify the reply, take the one new move). The game
 * stops at the first unrecovered error: the request failed after its
 * retries, the server answered an error status, or the reply failed
 * verification. Then the request and the reply (if any) are saved to a file
 * for the bug report. Called by the worker threads, each with its own http
 * handle; everything else it touches is thread-safe.
 */
#ifndef GOMOKU_CLIENT_MATCH_H
#define GOMOKU_CLIENT_MATCH_H

#include <stdatomic.h>
#include <stddef.h>

#include "client/http.h"
#include "client/options.h"
#include "client/progress.h"
#include "client/stats.h"
#include "game/record.h"

/* Fills *rec with the empty game opts describe: board, rule, radius,
 * timeout, and the two players with their depth and budget. */
void client_match_setup(const client_options_t *opts, game_record_t *rec);

/* Plays game number `game` (1-based) with http, reporting moves and the end
 * of the game to progress. Fills *result, and latency_ms (room for
 * ENGINE_MAX_CELLS values) with the latency of each server move, their
 * count in *n_latency. Saves the final record when opts->json_path is set.
 * When *interrupt (may be NULL) becomes true, the game stops before its next
 * move and counts as failed ("interrupted"). Returns 0 when the game
 * finished with every reply verified, -1 otherwise (result->error says
 * why). */
int client_match_play(const client_options_t *opts, client_http_t *http,
                      client_progress_t *progress, const atomic_bool *interrupt, int game,
                      client_game_result_t *result, double *latency_ms, size_t *n_latency);

/* Writes one failed exchange to a new file in dir: a header (game, move,
 * URL, HTTP status, the error), then the request body and the reply body,
 * each verbatim after a line giving its length in bytes. Returns 0 and the
 * file's path in path_out, or -1 (path_out then holds the reason). */
int client_match_save_exchange(const char *dir, int game, int move, const char *url, long status,
                               const char *error, const char *request, size_t request_len,
                               const char *reply, size_t reply_len, char *path_out,
                               size_t path_len);

#endif
