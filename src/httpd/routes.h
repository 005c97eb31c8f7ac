/*
 * routes.h: what gomoku-httpd answers, as pure functions from a request to a
 * response, with no sockets involved.
 *
 * Who calls it: server.c for every request (on the libmicrohttpd thread) and
 * routes_play_finish() on a search thread; fuzzers and unit tests call the
 * same functions directly. Nothing here blocks or waits.
 *
 * POST /gomoku/play (and /gomoku/analyze) takes two steps: routes_handle() validates the record
 * and, when the AI has to move, returns ROUTES_SEARCH with a routes_play_t
 * whose job is ready for the pool (or for a direct engine_search() call);
 * routes_play_finish() then appends the move and writes the answer. Every
 * other request is answered by routes_handle() alone.
 *
 * Every answer carries Access-Control-Allow-Origin: * and
 * X-Content-Type-Options: nosniff; JSON answers carry
 * Content-Type: application/json.
 */
#ifndef GOMOKU_HTTPD_ROUTES_H
#define GOMOKU_HTTPD_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "game/record.h"
#include "httpd/budget.h"
#include "httpd/metrics.h"
#include "httpd/pool.h"

#define ROUTES_MAX_HEADERS      12
#define ROUTES_HEADER_VALUE_MAX 112
/* Room for the small bodies built in place (/health, /ready). */
#define ROUTES_INLINE_BODY_MAX 256

typedef struct routes_request {
    const char *method;        /* "GET", "POST", ... */
    const char *path;          /* without the query string */
    const char *content_type;  /* NULL when absent */
    const char *if_none_match; /* NULL when absent */
    const char *queue_param;   /* the query's "queue" value: NULL when absent, "" when
                                  given without a value; only GET /ready reads it */
    const char *body;          /* may be NULL when body_len is 0 */
    size_t body_len;
    bool body_too_large; /* the body exceeded max_body and was discarded */
} routes_request_t;

/* What the server knows at the moment of the request. */
typedef struct routes_env {
    budget_caps_t caps;
    size_t max_body;
    metrics_t *metrics;      /* for GET /metrics; may be NULL (empty counters) */
    metrics_gauges_t gauges; /* pool and server state */
    bool pool_has_room;      /* a search submitted now would be accepted */
    int retry_after_s;       /* for 503 answers */
} routes_env_t;

typedef struct routes_header {
    const char *name;
    const char *value;                 /* a static string, or NULL: then `buf` */
    char buf[ROUTES_HEADER_VALUE_MAX]; /* a formatted value */
} routes_header_t;

typedef struct routes_response {
    int status;
    metrics_route_t route;
    const char *content_type; /* NULL for no body */
    const char *body;         /* NULL for none */
    size_t body_len;
    bool body_owned;  /* body was malloc'd and belongs to the response */
    bool body_inline; /* body is inline_body: copy it, it goes with the response */
    bool close;       /* ask the client to close the connection */
    int n_headers;
    routes_header_t headers[ROUTES_MAX_HEADERS];
    /* Small bodies are written here (body then points into it), so a
     * response must not be copied by value. NUL-terminated when used. */
    char inline_body[ROUTES_INLINE_BODY_MAX];
} routes_response_t;

/* A search to run: the validated record plus the search job. For
 * POST /gomoku/play the AI to move plays; for POST /gomoku/analyze the
 * answer ranks the side to move's best moves and appends nothing. */
typedef struct routes_play {
    game_record_t rec;
    game_side_t side; /* the side to move */
    bool analyze;     /* POST /gomoku/analyze */
    uint64_t rng;     /* the draw of a level below 10 (seeded) */
    pool_job_t job;   /* pos and limits filled; done/arg left to the caller */
} routes_play_t;

/* True for the requests whose body routes_handle() needs and that may
 * become a search: POST /gomoku/play and POST /gomoku/analyze. */
bool routes_may_search(const char *method, const char *path);

typedef enum routes_outcome {
    ROUTES_ANSWERED = 0, /* *resp is complete */
    ROUTES_SEARCH        /* *play is a search to run, then routes_play_finish() */
} routes_outcome_t;

/* Answers req in *resp (which it initialises), or, for a valid move request,
 * returns ROUTES_SEARCH with a new *play the caller owns (free it with
 * routes_play_free). resp->route is set either way. A draining server
 * (env->gauges.draining) answers moves with 503 and asks to close. */
routes_outcome_t routes_handle(const routes_request_t *req, const routes_env_t *env,
                               routes_response_t *resp, routes_play_t **play);

/* Turns a finished search (play->job.status/result/timestamps) into the
 * answer: the record with the AI's move and its metadata appended, a
 * Server-Timing header, and a log line for the move. Records the search in
 * metrics (may be NULL). Any thread. */
void routes_play_finish(routes_play_t *play, metrics_t *metrics, routes_response_t *resp);

void routes_play_free(routes_play_t *play);

/* Initialises an empty response (status 0, no headers, no body). */
void routes_response_init(routes_response_t *resp);

/* Frees the body if owned and clears it. */
void routes_response_clear(routes_response_t *resp);

/* The value of header i. */
const char *routes_header_value(const routes_header_t *h);

/* Looks up a header of resp by name (case-insensitive); NULL if absent. */
const char *routes_response_header(const routes_response_t *resp, const char *name);

#endif
