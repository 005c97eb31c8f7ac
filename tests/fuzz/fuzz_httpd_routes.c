/*
 * The daemon's request path without sockets: routes_handle() (route, method,
 * content type, decode and validate, budget) and, for a move to search,
 * routes_play_finish() (append the move, encode) on a simulated search
 * result. Properties checked on every request:
 *   - the status is one the wire contract lists; 500 only for a failed
 *     search (there is no out-of-memory here);
 *   - every answer carries the CORS and nosniff headers; 405 names the
 *     allowed methods, a refused move (503) a Retry-After; 413 only for a too large body, 415
 *     only with a Content-Type; a draining server asks to close;
 *   - every JSON body is valid JSON of its announced length, and an error is
 *     exactly {"error": string, "field": string};
 *   - a search is asked for only by POST /gomoku/play or /gomoku/analyze
 *     with room in the pool, with a time limit within the caps (or none, with
 *     a node budget within the cap), for the side to move, which is an AI
 *     for a move;
 *   - the answer to a move is the request's record plus exactly the move
 *     the engine chose (or, for a level below 10, an empty cell), and it
 *     decodes to a record that encodes to the same text (a client can send
 *     it back); the answer to an analysis is {"analysis": {...}} with the
 *     engine's move first;
 *   - an answered 200 move request is a finished game.
 *
 * Input layout (every byte sequence is a valid input):
 *   [0] flags: bit 0 body too large, bit 1 draining, bit 2 no room in the
 *       pool, bit 3 no metrics, bit 4 the search fails, bit 5 the search was
 *       stopped, bits 6-7 caps preset
 *   [1] method, [2] path, [3] Content-Type, [4] low nibble If-None-Match,
 *       high nibble the query's "queue" value: an index into the lists
 *       below; an index past a list reads a line of the input instead (up to
 *       '\n'), so arbitrary strings are reached as well
 *   [5] gauges: threads, busy
 *   [6..9] the simulated search: which empty cell, score, depth, pv length
 *   then the lines read by the selectors above, then the body.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game/codec.h"
#include "game/level.h"
#include "game/notation.h"
#include "httpd/log.h"
#include "httpd/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const METHODS[] = {"POST", "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "get", ""};
static const char *const PATHS[] = {"/gomoku/play",
                                    "/gomoku/analyze",
                                    "/health",
                                    "/ready",
                                    "/metrics",
                                    "/",
                                    "*",
                                    "/index.html",
                                    "/app.js",
                                    "/style.css",
                                    "/favicon.svg",
                                    "/gomoku/play/",
                                    "/GOMOKU/PLAY",
                                    "//health",
                                    "",
                                    "/nope"};
static const char *const TYPES[] = {NULL,
                                    "application/json",
                                    "text/plain",
                                    "application/x-www-form-urlencoded",
                                    "text/html",
                                    "multipart/form-data; boundary=x",
                                    "application/ld+json",
                                    "application/problem+xml; charset=utf-8",
                                    "IMAGE/png"};
static const char *const ETAGS[] = {NULL, "*", "\"x\"", "W/\"x\", *", ""};
static const char *const QUEUES[] = {NULL, "1", "0", "", "2", "\xff", "1 "};

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct reader {
    const uint8_t *p, *end;
} reader_t;

/* One line of the input as a NUL-terminated string in buf (cut to fit). */
static const char *read_line(reader_t *rd, char *buf, size_t len)
{
    size_t n = 0;
    while (rd->p < rd->end && *rd->p != '\n') {
        if (n + 1 < len) {
            buf[n++] = (char)*rd->p;
        }
        rd->p++;
    }
    if (rd->p < rd->end) {
        rd->p++; /* the '\n' */
    }
    buf[n] = '\0';
    return buf;
}

static const char *pick(reader_t *rd, uint8_t sel, const char *const *list, size_t n, char *buf,
                        size_t len)
{
    return sel < n ? list[sel] : read_line(rd, buf, len);
}

static void must(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_httpd_routes: %s\n", what);
        abort();
    }
}

/* Checks what every answer must satisfy. */
static void check_response(const routes_response_t *resp, const routes_request_t *req,
                           const routes_env_t *env)
{
    static const int ALLOWED[] = {200, 204, 304, 400, 404, 405, 413, 415, 500, 503};
    bool known = false;
    for (size_t i = 0; i < N(ALLOWED); i++) {
        known = known || resp->status == ALLOWED[i];
    }
    must(known, "a status the contract does not list");
    must(resp->n_headers >= 0 && resp->n_headers < ROUTES_MAX_HEADERS,
         "header table full: a header may have been dropped");
    const char *acao = routes_response_header(resp, "Access-Control-Allow-Origin");
    must(acao != NULL && strcmp(acao, "*") == 0, "no Access-Control-Allow-Origin: *");
    const char *nosniff = routes_response_header(resp, "X-Content-Type-Options");
    must(nosniff != NULL && strcmp(nosniff, "nosniff") == 0, "no X-Content-Type-Options");
    for (int i = 0; i < resp->n_headers; i++) {
        const char *v = routes_header_value(&resp->headers[i]);
        must(resp->headers[i].name != NULL && v != NULL, "header without name or value");
        must(strpbrk(v, "\r\n") == NULL, "CR or LF in a header value");
    }
    if (resp->status == 405) {
        must(routes_response_header(resp, "Allow") != NULL, "405 without Allow");
    }
    /* A refused move or analysis says when to retry; /ready's 503 is a
     * state, not a refusal, and has none. */
    bool searches = resp->route == METRICS_ROUTE_PLAY || resp->route == METRICS_ROUTE_ANALYZE;
    if (resp->status == 503 && searches) {
        const char *ra = routes_response_header(resp, "Retry-After");
        must(ra != NULL && atoi(ra) >= 1, "a refused search without a positive Retry-After");
    }
    if (resp->status == 503) {
        must(searches || resp->route == METRICS_ROUTE_READY, "503 from a route that never refuses");
    }
    if (resp->status == 413) {
        must(req->body_too_large, "413 for a body that was not too large");
    }
    if (resp->status == 415) {
        must(req->content_type != NULL, "415 without a Content-Type");
    }
    if (env->gauges.draining) {
        must(resp->close, "a draining server did not ask to close");
    }
    if (resp->status == 204 || resp->status == 304) {
        must(resp->body == NULL || resp->body_len == 0, "a body on 204 or 304");
        return;
    }
    must(resp->body != NULL && resp->body_len > 0, "an answer without a body");
    if (resp->content_type == NULL || strcmp(resp->content_type, "application/json") != 0) {
        return;
    }
    must(strlen(resp->body) == resp->body_len, "JSON body length differs from its text");
    json_error_t jerr;
    json_t *doc = json_loadb(resp->body, resp->body_len, JSON_REJECT_DUPLICATES, &jerr);
    must(doc != NULL && json_is_object(doc), "a JSON answer that is not a JSON object");
    if (resp->status == 503 && resp->route == METRICS_ROUTE_READY) {
        const char *st = json_string_value(json_object_get(doc, "status"));
        must(st != NULL && (strcmp(st, "busy") == 0 || strcmp(st, "draining") == 0 ||
                            strcmp(st, "full") == 0),
             "/ready's 503 is not busy, full or draining");
    } else if (resp->status >= 400) {
        must(json_object_size(doc) == 2 && json_is_string(json_object_get(doc, "error")) &&
                 json_is_string(json_object_get(doc, "field")),
             "an error that is not {\"error\", \"field\"}");
        must(json_string_length(json_object_get(doc, "error")) > 0, "an empty error message");
    }
    json_decref(doc);
}

/* The decoded answer is the request's record plus one move at (row, col) by
 * the side that was to move, and encodes back to the same text. */
static void check_move_answer(const routes_response_t *resp, const game_record_t *before,
                              game_side_t side, int row, int col)
{
    static game_record_t after, again;
    game_error_t err;
    must(resp->status == 200, "a finished search did not answer 200");
    must(game_from_json(resp->body, resp->body_len, &after, &err) == GAME_OK,
         "the answer to a move does not decode");
    must(after.n_moves == before->n_moves + 1, "the answer does not add exactly one move");
    for (int i = 0; i < before->n_moves; i++) {
        const game_move_t *a = &after.moves[i], *b = &before->moves[i];
        must(a->row == b->row && a->col == b->col && a->side == b->side && a->kind == b->kind &&
                 a->compact == b->compact,
             "the answer changed an earlier move");
    }
    const game_move_t *m = &after.moves[before->n_moves];
    must((row < 0 || (m->row == row && m->col == col)) && m->side == side && m->kind == GAME_AI,
         "the answer's last move is not the engine's move by the AI to move");
    must(after.board_size == before->board_size && after.rule == before->rule &&
             after.players[0].kind == before->players[0].kind &&
             after.players[1].kind == before->players[1].kind,
         "the answer changed the game's settings");
    char *text = game_to_json(&after, NULL);
    must(text != NULL, "the answer cannot be encoded again");
    if (strcmp(text, resp->body) != 0) {
        fprintf(stderr, "answer:  %s\nencoded: %s\n", resp->body, text);
        must(false, "the answer does not encode to itself");
    }
    free(text);
    (void)again;
}

/* An analysis answer: {"analysis": {...}} whose first move is the engine's
 * (as [row, col] or a compact cell). */
static void check_analysis_answer(const routes_response_t *resp, int row, int col)
{
    must(resp->status == 200, "a finished analysis did not answer 200");
    json_error_t jerr;
    json_t *doc = json_loadb(resp->body, resp->body_len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *a = json_object_get(doc, "analysis");
    json_t *moves = json_object_get(a, "moves");
    must(json_is_array(moves) && json_array_size(moves) >= 1, "an analysis without moves");
    json_t *first = json_object_get(json_array_get(moves, 0), "move");
    int r = -1, c = -1;
    if (json_is_array(first)) {
        r = (int)json_integer_value(json_array_get(first, 0));
        c = (int)json_integer_value(json_array_get(first, 1));
    } else {
        must(json_is_string(first) && game_coord_parse(json_string_value(first), 25, &r, &c),
             "an analysis move that is no cell");
    }
    must(r == row && c == col, "the analysis does not lead with the engine's move");
    json_decref(doc);
}

/* Plays the part of the search thread: a move on the k-th empty cell (or a
 * failure), with a principal variation of arbitrary cells, some of them off
 * the board, which the PV text must survive. */
static void simulate_search(routes_play_t *play, const uint8_t *s, bool fail, bool stopped)
{
    pool_job_t *job = &play->job;
    const engine_position_t *pos = &job->pos;
    static unsigned char used[ENGINE_MAX_CELLS];
    memset(used, 0, sizeof(used));
    for (int i = 0; i < pos->n_stones; i++) {
        used[pos->stones[i].at.row * pos->size + pos->stones[i].at.col] = 1;
    }
    int cells = pos->size * pos->size, empty = cells - pos->n_stones;
    must(empty > 0, "a search was asked for on a full board");
    int k = s[0] % empty, cell = 0;
    for (; cell < cells; cell++) {
        if (!used[cell] && k-- == 0) {
            break;
        }
    }
    memset(&job->result, 0, sizeof(job->result));
    job->status = fail ? ENGINE_EFULL : ENGINE_OK;
    job->result.move.row = (int8_t)(cell / pos->size);
    job->result.move.col = (int8_t)(cell % pos->size);
    job->result.score = (int)(int8_t)s[1] * 300;
    job->result.depth = s[2] % 40;
    job->result.nodes = (uint64_t)s[1] * 100003u;
    job->result.time_ms = s[2] * 3.217;
    job->result.n_pv = s[3] % (ENGINE_MAX_PV + 1);
    job->result.pv[0] = job->result.move;
    for (int i = 1; i < job->result.n_pv; i++) {
        job->result.pv[i].row = (int8_t)((s[(i % 3) + 1] + i * 7) % 28 - 1);
        job->result.pv[i].col = (int8_t)((s[(i % 2) + 2] + i * 13) % 28 - 1);
    }
    /* Ranked lines: the move first, then other empty cells (or none). */
    job->result.n_lines = 1 + s[3] % 3;
    for (int l = 0; l < job->result.n_lines; l++) {
        engine_line_t *line = &job->result.lines[l];
        int c = cell;
        for (int skip = l; skip > 0;) {
            c = (c + 1) % cells;
            if (!used[c] && c != cell) {
                skip--;
            }
            if (c == cell) {
                break; /* fewer empty cells than lines */
            }
        }
        if (l > 0 && c == cell) {
            job->result.n_lines = l;
            break;
        }
        line->move.row = (int8_t)(c / pos->size);
        line->move.col = (int8_t)(c % pos->size);
        line->score = job->result.score - l * 17;
        line->depth = job->result.depth;
        line->n_pv = 1;
        line->pv[0] = line->move;
    }
    job->result.lines[0].n_pv = job->result.n_pv;
    memcpy(job->result.lines[0].pv, job->result.pv, sizeof(job->result.pv));
    job->submit_ms = 1000.0;
    job->start_ms = 1000.0 + s[3] * 0.5;
    job->end_ms = job->start_ms + job->result.time_ms;
    atomic_store(&job->stop, stopped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    static metrics_t metrics;
    static game_record_t before;
    if (!ready) {
        char err[128];
        /* Every log line is formatted (debug level) and thrown away. */
        if (!httpd_log_open("/dev/null", HTTPD_LOG_DEBUG, err, sizeof(err))) {
            abort();
        }
        metrics_init(&metrics);
        ready = true;
    }
    if (size < 10) {
        return 0;
    }
    static const budget_caps_t CAPS[] = {
        {.max_time_ms = 200, .default_time_ms = 100, .max_depth = 8},
        {.max_time_ms = 1, .default_time_ms = 1, .max_depth = 1},
        {.max_time_ms = 5000, .default_time_ms = 1000, .max_depth = 32},
        {.max_time_ms = INT64_MAX / 4, .default_time_ms = 1000000000, .max_depth = 64},
    };
    uint8_t flags = data[0];
    reader_t rd = {data + 10, data + size};
    char mbuf[32], pbuf[512], tbuf[256], ebuf[256], qbuf[64];
    routes_request_t req = {
        .method = pick(&rd, data[1], METHODS, N(METHODS), mbuf, sizeof(mbuf)),
        .path = pick(&rd, data[2], PATHS, N(PATHS), pbuf, sizeof(pbuf)),
        .content_type = pick(&rd, data[3], TYPES, N(TYPES), tbuf, sizeof(tbuf)),
        .if_none_match = pick(&rd, data[4] & 15, ETAGS, N(ETAGS), ebuf, sizeof(ebuf)),
        .queue_param = pick(&rd, data[4] >> 4, QUEUES, N(QUEUES), qbuf, sizeof(qbuf)),
        .body_too_large = (flags & 1) != 0,
    };
    /* The body is copied to a buffer of its exact size, so a read past its
     * end is caught (the server's body buffer is not NUL-terminated). */
    size_t body_len = (size_t)(rd.end - rd.p);
    char *body = body_len > 0 ? malloc(body_len) : NULL;
    if (body_len > 0) {
        must(body != NULL, "out of memory in the harness");
        memcpy(body, rd.p, body_len);
    }
    req.body = body;
    req.body_len = body_len;

    routes_env_t env = {
        .caps = CAPS[flags >> 6],
        .max_body = 65536,
        .metrics = (flags & 8) ? NULL : &metrics,
        .gauges = {.threads = 1 + (data[5] & 7),
                   .busy = (data[5] >> 3) & 7,
                   .queued = data[5] >> 6,
                   .queue_capacity = 4,
                   .in_flight = data[5],
                   .draining = (flags & 2) != 0,
                   .uptime_s = data[6] * 3600.5},
        .pool_has_room = (flags & 4) == 0,
        .retry_after_s = data[7] % 3, /* 0 must still give a positive Retry-After */
    };

    routes_response_t resp;
    routes_play_t *play = (routes_play_t *)1; /* routes_handle must set it */
    routes_outcome_t out = routes_handle(&req, &env, &resp, &play);
    if (out == ROUTES_SEARCH) {
        must(play != NULL, "ROUTES_SEARCH without a play");
        must(routes_may_search(req.method, req.path),
             "a search for something else than POST /gomoku/play or /gomoku/analyze");
        must(env.pool_has_room && !env.gauges.draining && !req.body_too_large,
             "a search despite a full pool, a drain or a refused body");
        must(resp.route == (play->analyze ? METRICS_ROUTE_ANALYZE : METRICS_ROUTE_PLAY),
             "a search not counted under its route");
        const engine_limits_t *lim = &play->job.limits;
        uint64_t node_cap = (uint64_t)env.caps.max_time_ms * BUDGET_NODES_PER_MS;
        must((lim->time_ms >= 1 && lim->time_ms <= env.caps.max_time_ms) ||
                 (lim->time_ms == 0 && lim->nodes >= 1 && lim->nodes <= node_cap),
             "a time limit outside 1..max_time_ms, or no clock without a node budget");
        must(lim->nodes <= node_cap, "a node budget above the cap");
        must(lim->multipv >= 1 && lim->multipv <= ENGINE_MAX_LINES, "multipv outside 1..10");
        must(lim->depth >= 1 && lim->depth <= env.caps.max_depth, "a depth outside the cap");
        const game_record_t *rec = &play->rec;
        must(!game_record_finished(rec), "a search on a finished game");
        must(play->side == game_record_to_move(rec) &&
                 (play->analyze || rec->players[play->side].kind == GAME_AI),
             "a search for a side that is not the AI to move");
        const engine_position_t *pos = &play->job.pos;
        must(pos->size == rec->board_size && pos->rule == rec->rule &&
                 pos->n_stones == rec->n_moves &&
                 pos->to_move == (play->side == GAME_SIDE_X ? ENGINE_BLACK : ENGINE_WHITE),
             "the engine position does not match the record");
        before = *rec;
        bool fail = (flags & 16) != 0;
        simulate_search(play, data + 6, fail, (flags & 32) != 0);
        int row = play->job.result.move.row, col = play->job.result.move.col;
        bool level = game_level(rec->players[play->side].level) != NULL;
        routes_play_finish(play, env.metrics, &resp);
        check_response(&resp, &req, &env);
        if (fail) {
            must(resp.status == 500, "a failed search did not answer 500");
        } else if (play->analyze) {
            check_analysis_answer(&resp, row, col);
            must(routes_response_header(&resp, "Server-Timing") != NULL, "no Server-Timing");
        } else {
            check_move_answer(&resp, &before, play->side, level ? -1 : row, level ? -1 : col);
            must(routes_response_header(&resp, "Server-Timing") != NULL, "no Server-Timing");
        }
        routes_play_free(play);
    } else {
        must(out == ROUTES_ANSWERED && play == NULL, "answered but a play was left");
        check_response(&resp, &req, &env);
        must(resp.status != 500, "500 without a failed search");
        if (resp.route == METRICS_ROUTE_PLAY && resp.status == 200) {
            static game_record_t rec;
            game_error_t err;
            must(game_from_json(resp.body, resp.body_len, &rec, &err) == GAME_OK &&
                     game_record_finished(&rec),
                 "an answered 200 move request that is not a finished game");
        }
    }
    routes_response_clear(&resp);
    must(resp.body == NULL && !resp.body_owned, "routes_response_clear left a body");
    free(body);
    return 0;
}
