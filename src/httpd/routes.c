#include "httpd/routes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdatomic.h>
#include <time.h>

#include "game/analysis.h"
#include "game/codec.h"
#include "game/level.h"
#include "game/notation.h"
#include "httpd/log.h"

#ifdef GOMOKU_HAVE_WEB
#include "assets.h"
#endif

#define JSON_TYPE  "application/json"
#define ALLOW_GET  "GET, HEAD, OPTIONS"
#define ALLOW_PLAY "POST, OPTIONS"

/* The page may load only its own files: no inline script, no third-party
 * request, no framing by other sites. */
#define PAGE_CSP                                                                                   \
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "            \
    "object-src 'none'"

typedef struct route {
    const char *path;
    metrics_route_t id;
    const char *allow;
} route_t;

static const route_t ROUTES[] = {
    {"/gomoku/play", METRICS_ROUTE_PLAY, ALLOW_PLAY},
    {"/gomoku/analyze", METRICS_ROUTE_ANALYZE, ALLOW_PLAY},
    {"/health", METRICS_ROUTE_HEALTH, ALLOW_GET},
    {"/ready", METRICS_ROUTE_READY, ALLOW_GET},
    {"/metrics", METRICS_ROUTE_METRICS, ALLOW_GET},
};

void routes_response_init(routes_response_t *resp)
{
    /* Field by field: the header buffers are written before they are read,
     * and zeroing them costs more than the rest of a /health answer. */
    resp->status = 0;
    resp->route = METRICS_ROUTE_OTHER;
    resp->content_type = NULL;
    resp->body = NULL;
    resp->body_len = 0;
    resp->body_owned = false;
    resp->body_inline = false;
    resp->close = false;
    resp->n_headers = 0;
}

void routes_response_clear(routes_response_t *resp)
{
    if (resp->body_owned) {
        free((void *)resp->body);
    }
    resp->body = NULL;
    resp->body_len = 0;
    resp->body_owned = false;
    resp->body_inline = false;
}

const char *routes_header_value(const routes_header_t *h)
{
    return h->value != NULL ? h->value : h->buf;
}

const char *routes_response_header(const routes_response_t *resp, const char *name)
{
    for (int i = 0; i < resp->n_headers; i++) {
        if (strcasecmp(resp->headers[i].name, name) == 0) {
            return routes_header_value(&resp->headers[i]);
        }
    }
    return NULL;
}

static void add_header(routes_response_t *resp, const char *name, const char *value)
{
    if (resp->n_headers < ROUTES_MAX_HEADERS) {
        routes_header_t *h = &resp->headers[resp->n_headers++];
        h->name = name;
        h->value = value;
        h->buf[0] = '\0';
    }
}

static void add_headerf(routes_response_t *resp, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_headerf(routes_response_t *resp, const char *name, const char *fmt, ...)
{
    if (resp->n_headers < ROUTES_MAX_HEADERS) {
        routes_header_t *h = &resp->headers[resp->n_headers++];
        h->name = name;
        h->value = NULL;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(h->buf, sizeof(h->buf), fmt, ap);
        va_end(ap);
    }
}

static void set_body(routes_response_t *resp, int status, const char *type, char *body, size_t len)
{
    resp->status = status;
    resp->content_type = type;
    resp->body = body;
    resp->body_len = len;
    resp->body_owned = true;
}

/* {"error": message, "field": field}. Out of memory leaves an empty body
 * (the status still tells the story). */
static void json_error(routes_response_t *resp, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void json_error(routes_response_t *resp, int status, const char *field, const char *fmt, ...)
{
    game_error_t err = {.status = GAME_EJSON};
    snprintf(err.field, sizeof(err.field), "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.message, sizeof(err.message), fmt, ap);
    va_end(ap);
    size_t len = 0;
    char *body = game_error_json(&err, &len);
    set_body(resp, status, JSON_TYPE, body, body != NULL ? len : 0);
    add_header(resp, "Cache-Control", "no-store");
}

/* Every game-layer status is the client's fault except running out of
 * memory. No default: the compiler flags a status added to the list. */
static int game_status_http(game_status_t status)
{
    switch (status) {
    case GAME_OK:
        return 200;
    case GAME_EJSON:
    case GAME_ETYPE:
    case GAME_EMISSING:
    case GAME_ERANGE:
    case GAME_EMOVE:
    case GAME_EBOUNDS:
    case GAME_EOCCUPIED:
    case GAME_ETURN:
    case GAME_EOVER:
    case GAME_EFORBIDDEN:
        return 400;
    case GAME_ENOMEM:
        return 500;
    }
    return 500;
}

static void game_error_answer(routes_response_t *resp, const game_error_t *err)
{
    size_t len = 0;
    char *body = game_error_json(err, &len);
    set_body(resp, game_status_http(err->status), JSON_TYPE, body, body != NULL ? len : 0);
    add_header(resp, "Cache-Control", "no-store");
}

static void unavailable(routes_response_t *resp, const routes_env_t *env, const char *why)
{
    json_error(resp, 503, "", "%s; retry later or elsewhere", why);
    add_headerf(resp, "Retry-After", "%d", env->retry_after_s > 0 ? env->retry_after_s : 1);
}

/* Only types that cannot hold a JSON document are refused: old clients and
 * `curl -d` send application/x-www-form-urlencoded or text/plain. */
static bool clearly_not_json(const char *content_type)
{
    if (content_type == NULL) {
        return false;
    }
    static const char *const PREFIXES[] = {"multipart/", "image/",   "audio/",
                                           "video/",     "font/",    "model/",
                                           "text/html",  "text/xml", "application/xml"};
    for (size_t i = 0; i < sizeof(PREFIXES) / sizeof(PREFIXES[0]); i++) {
        if (strncasecmp(content_type, PREFIXES[i], strlen(PREFIXES[i])) == 0) {
            return true;
        }
    }
    size_t n = strcspn(content_type, "; ");
    return n >= 4 && strncasecmp(content_type + n - 4, "+xml", 4) == 0;
}

static void answer_record(routes_response_t *resp, const game_record_t *rec)
{
    size_t len = 0;
    char *body = game_to_json(rec, &len);
    if (body == NULL) {
        json_error(resp, 500, "", "out of memory while writing the record");
        return;
    }
    set_body(resp, 200, JSON_TYPE, body, len);
    add_header(resp, "Cache-Control", "no-store");
}

bool routes_may_search(const char *method, const char *path)
{
    return strcmp(method, "POST") == 0 &&
           (strcmp(path, "/gomoku/play") == 0 || strcmp(path, "/gomoku/analyze") == 0);
}

/* A request without a "seed" varies: a counter and the clock, mixed. */
static int64_t request_seed(void)
{
    static atomic_uint_fast64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t s = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    s ^= atomic_fetch_add(&counter, 1) * 0x9E3779B97F4A7C15ULL;
    return (int64_t)(game_level_next(&s) & (uint64_t)GAME_MAX_SEED);
}

static void answer_analysis(routes_response_t *resp, const game_record_t *rec,
                            const engine_result_t *r, double queue_ms)
{
    size_t len = 0;
    char *body = game_analysis_to_json(rec, r, queue_ms, &len);
    if (body == NULL) {
        json_error(resp, 500, "", "out of memory while writing the analysis");
        return;
    }
    set_body(resp, 200, JSON_TYPE, body, len);
    add_header(resp, "Cache-Control", "no-store");
}

static routes_outcome_t handle_play(const routes_request_t *req, const routes_env_t *env,
                                    bool analyze, routes_response_t *resp, routes_play_t **out)
{
    if (req->body_too_large) {
        json_error(resp, 413, "", "request body is larger than %zu bytes", env->max_body);
        return ROUTES_ANSWERED;
    }
    if (clearly_not_json(req->content_type)) {
        json_error(resp, 415, "", "the body must be a JSON game record, not %.80s",
                   req->content_type);
        return ROUTES_ANSWERED;
    }
    if (env->gauges.draining) {
        unavailable(resp, env, "the server is shutting down");
        resp->close = true;
        return ROUTES_ANSWERED;
    }
    routes_play_t *play = malloc(sizeof(*play));
    if (play == NULL) {
        json_error(resp, 500, "", "out of memory");
        return ROUTES_ANSWERED;
    }
    game_error_t err;
    int top = 1;
    const char *body = req->body != NULL ? req->body : "";
    game_status_t s = analyze ? game_analysis_from_json(body, req->body_len, &play->rec, &top, &err)
                              : game_from_json(body, req->body_len, &play->rec, &err);
    if (s != GAME_OK) {
        game_error_answer(resp, &err);
        free(play);
        return ROUTES_ANSWERED;
    }
    if (game_record_finished(&play->rec)) {
        if (analyze) {
            answer_analysis(resp, &play->rec, NULL, 0);
        } else {
            answer_record(resp, &play->rec);
        }
        free(play);
        return ROUTES_ANSWERED;
    }
    play->side = game_record_to_move(&play->rec);
    play->analyze = analyze;
    game_player_t ai = play->rec.players[play->side];
    if (analyze) {
        ai.level = 0; /* analysis is at full strength, whoever is to move */
    } else if (ai.kind != GAME_AI) {
        char letter = game_side_letter(play->side);
        json_error(resp, 400, "moves",
                   "next player is human: it is %c's turn and %c.player is \"human\"", letter,
                   letter);
        free(play);
        return ROUTES_ANSWERED;
    }
    if (!env->pool_has_room) {
        unavailable(resp, env, "every search thread is busy and the queue is full");
        free(play);
        return ROUTES_ANSWERED;
    }
    memset(&play->job, 0, sizeof(play->job));
    game_record_position(&play->rec, &play->job.pos);
    budget_compute(&env->caps, &ai, play->rec.timeout_s, &play->job.limits);
    if (analyze) {
        play->job.limits.multipv = top;
    }
    int64_t seed = play->rec.has_seed ? play->rec.seed : request_seed();
    play->rng = game_level_rng(seed, play->rec.n_moves);
    resp->status = 0;
    *out = play;
    return ROUTES_SEARCH;
}

/* Text appended into resp->inline_body. The health checks' bodies are
 * built here, with no allocation and no printf: formatting them was the
 * largest share of our own code in a /health profile. An append that does
 * not fit sets `cut` instead of writing past the end. */
typedef struct inline_text {
    routes_response_t *resp;
    size_t len;
    bool cut;
} inline_text_t;

static void put_str(inline_text_t *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n >= sizeof(t->resp->inline_body)) {
        t->cut = true;
        return;
    }
    memcpy(t->resp->inline_body + t->len, s, n);
    t->len += n;
}

/* v in decimal, at least min_digits (<= 20) digits, zero-padded. */
static void put_uint(inline_text_t *t, unsigned long long v, int min_digits)
{
    char out[24];
    char *p = out + sizeof(out) - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || out + sizeof(out) - 1 - p < min_digits);
    put_str(t, p);
}

static void put_int(inline_text_t *t, long long v)
{
    if (v < 0) {
        put_str(t, "-");
        put_uint(t, 0ULL - (unsigned long long)v, 1);
    } else {
        put_uint(t, (unsigned long long)v, 1);
    }
}

/* Makes the text the answer's body; a cut text is an internal error. */
static void finish_inline(inline_text_t *t, int status)
{
    routes_response_t *resp = t->resp;
    if (t->cut) {
        json_error(resp, 500, "", "answer too long for its buffer");
        return;
    }
    resp->inline_body[t->len] = '\0';
    resp->status = status;
    resp->content_type = JSON_TYPE;
    resp->body = resp->inline_body;
    resp->body_len = t->len;
    resp->body_owned = false;
    resp->body_inline = true;
    add_header(resp, "Cache-Control", "no-store");
}

static void handle_health(const routes_env_t *env, routes_response_t *resp)
{
    const metrics_gauges_t *g = &env->gauges;
    /* Whole milliseconds: uptime_s has three decimals, and the h/m/s
     * text is derived from the same number so the two always agree. */
    double ms_d = g->uptime_s > 0 ? g->uptime_s * 1000.0 + 0.5 : 0;
    unsigned long long ms = ms_d < 1e18 ? (unsigned long long)ms_d : 0;
    unsigned long long s = ms / 1000;
    inline_text_t t = {.resp = resp};
    put_str(&t, "{\"status\":\"ok\",\"version\":\"" GOMOKU_VERSION "\",\"uptime\":\"");
    put_uint(&t, s / 3600, 1);
    put_str(&t, "h ");
    put_uint(&t, s / 60 % 60, 1);
    put_str(&t, "m ");
    put_uint(&t, s % 60, 1);
    put_str(&t, "s\",\"uptime_s\":");
    put_uint(&t, s, 1);
    put_str(&t, ".");
    put_uint(&t, ms % 1000, 3);
    put_str(&t, ",\"threads\":");
    put_int(&t, g->threads);
    put_str(&t, ",\"busy\":");
    put_int(&t, g->busy);
    put_str(&t, ",\"queued\":");
    put_int(&t, g->queued);
    put_str(&t, g->draining ? ",\"draining\":true}" : ",\"draining\":false}");
    finish_inline(&t, 200);
}

/* Plain /ready is for HAProxy: 503 "busy" as soon as every search thread
 * is busy, so a balancer that knows each server's threads sends elsewhere.
 * /ready?queue=1 is for Kubernetes, whose Service only knows ready or not:
 * a busy pod with room in its queue still takes work (200 "busy"), and only
 * a full queue (503 "full") or a drain takes it out of the endpoints. */
static void handle_ready(const routes_request_t *req, const routes_env_t *env,
                         routes_response_t *resp)
{
    bool count_queue = false;
    if (req->queue_param != NULL) {
        if (strcmp(req->queue_param, "1") == 0) {
            count_queue = true;
        } else if (strcmp(req->queue_param, "0") != 0) {
            json_error(resp, 400, "queue", "query parameter queue must be 0 or 1, not \"%.32s\"",
                       req->queue_param);
            return;
        }
    }
    const metrics_gauges_t *g = &env->gauges;
    const char *status = "ready";
    int code = 200;
    if (g->draining) {
        status = "draining";
        code = 503;
    } else if (count_queue && !env->pool_has_room) {
        status = "full";
        code = 503;
    } else if (g->busy >= g->threads) {
        status = "busy";
        code = count_queue ? 200 : 503;
    }
    inline_text_t t = {.resp = resp};
    put_str(&t, "{\"status\":\"");
    put_str(&t, status);
    put_str(&t, "\",\"threads\":");
    put_int(&t, g->threads);
    put_str(&t, ",\"busy\":");
    put_int(&t, g->busy);
    put_str(&t, ",\"queued\":");
    put_int(&t, g->queued);
    put_str(&t, "}");
    finish_inline(&t, code);
}

static void handle_metrics(const routes_env_t *env, routes_response_t *resp)
{
    metrics_t empty;
    const metrics_t *m = env->metrics;
    if (m == NULL) {
        metrics_init(&empty);
        m = &empty;
    }
    size_t len = 0;
    char *body = metrics_render(m, &env->gauges, &len);
    if (body == NULL) {
        json_error(resp, 500, "", "out of memory");
        return;
    }
    set_body(resp, 200, "text/plain; version=0.0.4; charset=utf-8", body, len);
    add_header(resp, "Cache-Control", "no-store");
}

#ifdef GOMOKU_HAVE_WEB
/* True when the If-None-Match list names etag (weak comparison, RFC 9110
 * 13.1.2) or is "*". */
static bool etag_matches(const char *list, const char *etag)
{
    if (list == NULL || etag == NULL) {
        return false;
    }
    if (strncmp(etag, "W/", 2) == 0) {
        etag += 2;
    }
    size_t elen = strlen(etag);
    const char *p = list;
    while (*p != '\0') {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t')) {
            m--;
        }
        const char *tag = p;
        if (m >= 2 && strncmp(tag, "W/", 2) == 0) {
            tag += 2;
            m -= 2;
        }
        if ((m == 1 && tag[0] == '*') || (m == elen && m > 0 && memcmp(tag, etag, m) == 0)) {
            return true;
        }
        p += n;
    }
    return false;
}

static void handle_asset(const routes_request_t *req, const web_asset_t *asset,
                         routes_response_t *resp)
{
    resp->route = METRICS_ROUTE_PAGE;
    add_header(resp, "Content-Security-Policy", PAGE_CSP);
    add_header(resp, "Referrer-Policy", "no-referrer");
    /* no-cache: the browser keeps the file but asks every time; the ETag
     * makes that a 304 without a body. */
    add_header(resp, "Cache-Control", "no-cache");
    if (asset->etag != NULL) {
        add_header(resp, "ETag", asset->etag);
    }
    if (etag_matches(req->if_none_match, asset->etag)) {
        resp->status = 304;
        return;
    }
    resp->status = 200;
    resp->content_type = asset->content_type;
    resp->body = (const char *)asset->data;
    resp->body_len = asset->size;
    resp->body_owned = false;
}
#endif

static const route_t *find_route(const char *path)
{
    for (size_t i = 0; i < sizeof(ROUTES) / sizeof(ROUTES[0]); i++) {
        if (strcmp(path, ROUTES[i].path) == 0) {
            return &ROUTES[i];
        }
    }
    return NULL;
}

static bool is_get(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static void method_not_allowed(const routes_request_t *req, const char *allow,
                               routes_response_t *resp)
{
    json_error(resp, 405, "", "method %.16s is not allowed on %.64s (allowed: %s)", req->method,
               req->path, allow);
    add_header(resp, "Allow", allow);
}

static void preflight(const char *allow, routes_response_t *resp)
{
    resp->status = 204;
    resp->route = METRICS_ROUTE_OPTIONS;
    add_header(resp, "Allow", allow);
    add_header(resp, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    add_header(resp, "Access-Control-Allow-Headers", "Content-Type");
    add_header(resp, "Access-Control-Max-Age", "86400");
}

static routes_outcome_t dispatch(const routes_request_t *req, const routes_env_t *env,
                                 routes_response_t *resp, routes_play_t **play)
{
    const route_t *route = find_route(req->path);
#ifdef GOMOKU_HAVE_WEB
    const web_asset_t *asset = route == NULL ? web_asset_find(req->path) : NULL;
#else
    const void *asset = NULL;
#endif
    if (strcmp(req->method, "OPTIONS") == 0) {
        if (route != NULL || asset != NULL) {
            preflight(route != NULL ? route->allow : ALLOW_GET, resp);
            return ROUTES_ANSWERED;
        }
        if (strcmp(req->path, "*") == 0) {
            preflight("GET, HEAD, POST, OPTIONS", resp);
            return ROUTES_ANSWERED;
        }
    }
    if (route == NULL) {
#ifdef GOMOKU_HAVE_WEB
        if (asset != NULL) {
            if (!is_get(req->method)) {
                resp->route = METRICS_ROUTE_PAGE;
                method_not_allowed(req, ALLOW_GET, resp);
                return ROUTES_ANSWERED;
            }
            handle_asset(req, asset, resp);
            return ROUTES_ANSWERED;
        }
#endif
        json_error(resp, 404, "", "no such resource: %.128s", req->path);
        return ROUTES_ANSWERED;
    }
    resp->route = route->id;
    if (route->id == METRICS_ROUTE_PLAY || route->id == METRICS_ROUTE_ANALYZE) {
        if (strcmp(req->method, "POST") != 0) {
            method_not_allowed(req, route->allow, resp);
            return ROUTES_ANSWERED;
        }
        return handle_play(req, env, route->id == METRICS_ROUTE_ANALYZE, resp, play);
    }
    if (!is_get(req->method)) {
        method_not_allowed(req, route->allow, resp);
        return ROUTES_ANSWERED;
    }
    switch (route->id) {
    case METRICS_ROUTE_HEALTH:
        handle_health(env, resp);
        break;
    case METRICS_ROUTE_READY:
        handle_ready(req, env, resp);
        break;
    case METRICS_ROUTE_METRICS:
        handle_metrics(env, resp);
        break;
    default:
        json_error(resp, 500, "", "unrouted path");
        break;
    }
    return ROUTES_ANSWERED;
}

routes_outcome_t routes_handle(const routes_request_t *req, const routes_env_t *env,
                               routes_response_t *resp, routes_play_t **play)
{
    routes_response_init(resp);
    add_header(resp, "Access-Control-Allow-Origin", "*");
    add_header(resp, "X-Content-Type-Options", "nosniff");
    *play = NULL;
    routes_outcome_t outcome = dispatch(req, env, resp, play);
    if (env->gauges.draining) {
        resp->close = true;
    }
    return outcome;
}

static void format_pv(const engine_move_t *pv, int n_pv, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n_pv && i < ENGINE_MAX_PV; i++) {
        char cell[GAME_COORD_MAX];
        if (!game_coord_format(pv[i].row, pv[i].col, cell)) {
            break;
        }
        size_t need = strlen(cell) + (used > 0 ? 1 : 0);
        if (used + need + 1 > len) {
            break;
        }
        used += (size_t)snprintf(out + used, len - used, "%s%s", used > 0 ? " " : "", cell);
    }
}

void routes_play_finish(routes_play_t *play, metrics_t *metrics, routes_response_t *resp)
{
    pool_job_t *job = &play->job;
    const engine_result_t *r = &job->result;
    double queue_ms = job->start_ms - job->submit_ms;
    double search_ms = job->end_ms - job->start_ms;
    bool stopped = atomic_load(&job->stop);
    if (queue_ms < 0) {
        queue_ms = 0;
    }
    if (metrics != NULL) {
        metrics_observe_search(metrics, search_ms, queue_ms,
                               job->status == ENGINE_OK ? r->nodes : 0, stopped);
    }
    add_headerf(resp, "Server-Timing", "queue;dur=%.1f, search;dur=%.1f", queue_ms, search_ms);
    if (job->status != ENGINE_OK || r->move.row < 0 || r->move.col < 0) {
        httpd_log(HTTPD_LOG_ERROR, "search failed: %s (move %d,%d)", engine_strerror(job->status),
                  r->move.row, r->move.col);
        json_error(resp, 500, "", "the search failed: %s", engine_strerror(job->status));
        return;
    }
    if (play->analyze) {
        char cell[GAME_COORD_MAX];
        game_coord_format(r->move.row, r->move.col, cell);
        httpd_log(HTTPD_LOG_INFO,
                  "analysis side=%c best=%s lines=%d depth=%d nodes=%llu score=%d time_ms=%.1f "
                  "queue_ms=%.1f budget_ms=%lld max_depth=%d stopped=%d",
                  game_side_letter(play->side), cell, r->n_lines, r->depth,
                  (unsigned long long)r->nodes, r->score, r->time_ms, queue_ms,
                  (long long)job->limits.time_ms, job->limits.depth, stopped ? 1 : 0);
        answer_analysis(resp, &play->rec, r, queue_ms);
        return;
    }
    /* A level below 10 draws its move among the ranked lines, or at
     * random near the stones (levels 1 and 2). */
    const game_level_t *lv = game_level(play->rec.players[play->side].level);
    engine_line_t chosen;
    chosen.move = r->move;
    chosen.score = r->score;
    chosen.depth = r->depth;
    chosen.n_pv = r->n_pv;
    memcpy(chosen.pv, r->pv, sizeof(chosen.pv));
    int random_row, random_col;
    bool random = game_level_random_move(lv, &play->rec, &play->rng, &random_row, &random_col);
    if (random) {
        chosen.move.row = (int8_t)random_row;
        chosen.move.col = (int8_t)random_col;
        chosen.n_pv = 1;
        chosen.pv[0] = chosen.move;
    } else if (lv != NULL && r->n_lines > 1) {
        chosen = r->lines[game_level_pick(lv, r->lines, r->n_lines, &play->rng)];
    }
    game_error_t err;
    game_status_t s =
        game_record_append(&play->rec, chosen.move.row, chosen.move.col, GAME_AI, &err);
    if (s != GAME_OK) {
        httpd_log(HTTPD_LOG_ERROR, "engine move %d,%d rejected: %s", r->move.row, r->move.col,
                  err.message);
        json_error(resp, 500, "", "the engine chose an illegal move: %s", err.message);
        return;
    }
    game_move_t *m = &play->rec.moves[play->rec.n_moves - 1];
    m->has_time_ms = true;
    m->time_ms = r->time_ms;
    m->has_depth = true;
    m->depth = r->depth;
    m->has_nodes = true;
    m->nodes = (int64_t)r->nodes;
    m->has_moves_searched = true; /* the original's name for the same count */
    m->moves_searched = (int64_t)r->nodes;
    m->has_score = !random; /* a random move has no score of its own */
    m->score = chosen.score;
    m->has_queue_ms = true;
    m->queue_ms = queue_ms;
    format_pv(chosen.pv, chosen.n_pv, m->pv, sizeof(m->pv));

    char cell[GAME_COORD_MAX];
    game_coord_format(chosen.move.row, chosen.move.col, cell);
    httpd_log(HTTPD_LOG_INFO,
              "move side=%c move=%s depth=%d nodes=%llu score=%d time_ms=%.1f queue_ms=%.1f "
              "budget_ms=%lld max_depth=%d stopped=%d winner=%s",
              game_side_letter(play->side), cell, r->depth, (unsigned long long)r->nodes,
              chosen.score, r->time_ms, queue_ms, (long long)job->limits.time_ms, job->limits.depth,
              stopped ? 1 : 0, game_winner_name(play->rec.winner));
    answer_record(resp, &play->rec);
}

void routes_play_free(routes_play_t *play)
{
    free(play);
}
