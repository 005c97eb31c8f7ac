/* Unit tests of gomoku-httpd's routes (src/httpd/routes.c), called directly
 * with no socket: request in, status + headers + body out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "httpd/routes.h"

static routes_env_t env(void)
{
    routes_env_t e = {
        .caps = {.max_time_ms = 200, .default_time_ms = 100, .max_depth = 8},
        .max_body = 65536,
        .metrics = NULL,
        .gauges = {.threads = 2, .busy = 0, .queued = 0, .queue_capacity = 4},
        .pool_has_room = true,
        .retry_after_s = 2,
    };
    return e;
}

static routes_outcome_t call(const char *method, const char *path, const char *body,
                             const routes_env_t *e, routes_response_t *resp, routes_play_t **play)
{
    routes_request_t req = {
        .method = method, .path = path, .body = body, .body_len = body != NULL ? strlen(body) : 0};
    return routes_handle(&req, e, resp, play);
}

static void assert_contains(const char *body, size_t len, const char *needle)
{
    char *copy = strndup(body, len);
    if (strstr(copy, needle) == NULL) {
        fail_msg("'%s' not in '%s'", needle, copy);
    }
    free(copy);
}

static void every_answer_has_cors(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    static const char *const paths[] = {"/health", "/ready", "/metrics", "/nope", "/gomoku/play"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        call("GET", paths[i], NULL, &e, &r, &p);
        assert_null(p);
        assert_string_equal(routes_response_header(&r, "Access-Control-Allow-Origin"), "*");
        assert_string_equal(routes_response_header(&r, "X-Content-Type-Options"), "nosniff");
        routes_response_clear(&r);
    }
}

static void health_ready_and_metrics(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    assert_int_equal(call("GET", "/health", NULL, &e, &r, &p), ROUTES_ANSWERED);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.route, METRICS_ROUTE_HEALTH);
    assert_string_equal(r.content_type, "application/json");
    assert_contains(r.body, r.body_len, "\"status\":\"ok\"");
    routes_response_clear(&r);

    call("HEAD", "/ready", NULL, &e, &r, &p);
    assert_int_equal(r.status, 200);
    routes_response_clear(&r);
    e.gauges.busy = 2;
    call("GET", "/ready", NULL, &e, &r, &p);
    assert_int_equal(r.status, 503);
    assert_contains(r.body, r.body_len, "\"busy\"");
    routes_response_clear(&r);
    e.gauges.busy = 0;
    e.gauges.draining = true;
    call("GET", "/ready", NULL, &e, &r, &p);
    assert_int_equal(r.status, 503);
    assert_true(r.close);
    assert_contains(r.body, r.body_len, "\"draining\"");
    routes_response_clear(&r);

    e = env();
    call("GET", "/metrics", NULL, &e, &r, &p);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.route, METRICS_ROUTE_METRICS);
    assert_contains(r.body, r.body_len, "gomoku_search_threads 2\n");
    routes_response_clear(&r);
}

static void assert_body(const routes_response_t *r, const char *want)
{
    assert_non_null(r->body);
    assert_int_equal(r->body_len, strlen(want));
    assert_memory_equal(r->body, want, r->body_len);
    assert_int_equal(strlen(r->body), r->body_len); /* NUL-terminated */
}

static void health_and_ready_bodies_are_exact(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    e.gauges.uptime_s = 3723.4567; /* 1 h 2 min 3.457 s */
    e.gauges.busy = 1;
    e.gauges.queued = 3;
    call("GET", "/health", NULL, &e, &r, &p);
    assert_int_equal(r.status, 200);
    assert_true(r.body_inline);
    assert_false(r.body_owned);
    assert_ptr_equal(r.body, r.inline_body);
    assert_body(&r, "{\"status\":\"ok\",\"version\":\"" GOMOKU_VERSION "\",\"uptime\":\"1h 2m 3s\","
                    "\"uptime_s\":3723.457,\"threads\":2,\"busy\":1,\"queued\":3,"
                    "\"draining\":false}");
    routes_response_clear(&r);

    /* Rounding to the millisecond carries into the seconds. */
    e.gauges.uptime_s = 59.9996;
    e.gauges.draining = true;
    call("GET", "/health", NULL, &e, &r, &p);
    assert_body(&r, "{\"status\":\"ok\",\"version\":\"" GOMOKU_VERSION "\",\"uptime\":\"0h 1m 0s\","
                    "\"uptime_s\":60.000,\"threads\":2,\"busy\":1,\"queued\":3,"
                    "\"draining\":true}");
    routes_response_clear(&r);
    e.gauges.uptime_s = 0;
    e.gauges.draining = false;
    call("GET", "/health", NULL, &e, &r, &p);
    assert_contains(r.body, r.body_len, "\"uptime\":\"0h 0m 0s\",\"uptime_s\":0.000,");
    routes_response_clear(&r);

    e = env();
    e.gauges.busy = 2;
    call("GET", "/ready", NULL, &e, &r, &p);
    assert_int_equal(r.status, 503);
    assert_true(r.body_inline);
    assert_body(&r, "{\"status\":\"busy\",\"threads\":2,\"busy\":2,\"queued\":0}");
    assert_string_equal(routes_response_header(&r, "Cache-Control"), "no-store");
    routes_response_clear(&r);
    assert_false(r.body_inline);
    assert_null(r.body);
}

static int ready(const char *queue, const routes_env_t *e, const char *status)
{
    routes_request_t req = {.method = "GET", .path = "/ready", .queue_param = queue};
    routes_response_t r;
    routes_play_t *p;
    routes_handle(&req, e, &r, &p);
    char want[64];
    snprintf(want, sizeof(want), "\"status\":\"%s\"", status);
    assert_contains(r.body, r.body_len, want);
    assert_int_equal(r.route, METRICS_ROUTE_READY);
    int code = r.status;
    routes_response_clear(&r);
    return code;
}

static void ready_with_and_without_the_queue(void **state)
{
    routes_env_t e = env();
    /* A thread free: ready either way. */
    assert_int_equal(ready(NULL, &e, "ready"), 200);
    assert_int_equal(ready("0", &e, "ready"), 200);
    assert_int_equal(ready("1", &e, "ready"), 200);
    /* Every thread busy, room in the queue: plain /ready (HAProxy) says
     * 503 busy, /ready?queue=1 (Kubernetes) keeps the pod in. */
    e.gauges.busy = 2;
    e.gauges.queued = 3;
    assert_int_equal(ready(NULL, &e, "busy"), 503);
    assert_int_equal(ready("0", &e, "busy"), 503);
    assert_int_equal(ready("1", &e, "busy"), 200);
    /* Queue full: 503 for both, "full" only where the queue counts. */
    e.pool_has_room = false;
    assert_int_equal(ready(NULL, &e, "busy"), 503);
    assert_int_equal(ready("1", &e, "full"), 503);
    /* Draining wins over everything. */
    e.gauges.draining = true;
    assert_int_equal(ready(NULL, &e, "draining"), 503);
    assert_int_equal(ready("1", &e, "draining"), 503);
    e = env();
    e.gauges.draining = true;
    assert_int_equal(ready("1", &e, "draining"), 503);

    /* Anything but 0 or 1 is a precise 400. */
    e = env();
    static const char *const BAD[] = {"", "2", "yes", "true", "01", "1 ", "%00"};
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        routes_request_t req = {.method = "GET", .path = "/ready", .queue_param = BAD[i]};
        routes_response_t r;
        routes_play_t *p;
        routes_handle(&req, &e, &r, &p);
        assert_int_equal(r.status, 400);
        assert_contains(r.body, r.body_len, "\"field\":\"queue\"");
        assert_contains(r.body, r.body_len, "must be 0 or 1");
        routes_response_clear(&r);
    }
    /* Other routes ignore it. */
    routes_request_t health = {.method = "GET", .path = "/health", .queue_param = "x"};
    routes_response_t r;
    routes_play_t *p;
    routes_handle(&health, &e, &r, &p);
    assert_int_equal(r.status, 200);
    routes_response_clear(&r);
}

static void not_found_method_and_options(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    call("GET", "/missing", NULL, &e, &r, &p);
    assert_int_equal(r.status, 404);
    routes_response_clear(&r);
    call("DELETE", "/health", NULL, &e, &r, &p);
    assert_int_equal(r.status, 405);
    assert_string_equal(routes_response_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    routes_response_clear(&r);
    call("GET", "/gomoku/play", NULL, &e, &r, &p);
    assert_int_equal(r.status, 405);
    assert_string_equal(routes_response_header(&r, "Allow"), "POST, OPTIONS");
    routes_response_clear(&r);
    call("OPTIONS", "/gomoku/play", NULL, &e, &r, &p);
    assert_int_equal(r.status, 204);
    assert_null(r.body);
    assert_int_equal(r.route, METRICS_ROUTE_OPTIONS);
    assert_string_equal(routes_response_header(&r, "Access-Control-Allow-Headers"), "Content-Type");
    routes_response_clear(&r);
    call("OPTIONS", "*", NULL, &e, &r, &p);
    assert_int_equal(r.status, 204);
    routes_response_clear(&r);
}

static void play_errors(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    call("POST", "/gomoku/play", "{\"moves\": 5}", &e, &r, &p);
    assert_int_equal(r.status, 400);
    assert_null(p);
    routes_response_clear(&r);
    call("POST", "/gomoku/play", "", &e, &r, &p);
    assert_int_equal(r.status, 400);
    routes_response_clear(&r);

    routes_request_t big = {.method = "POST", .path = "/gomoku/play", .body_too_large = true};
    routes_handle(&big, &e, &r, &p);
    assert_int_equal(r.status, 413);
    routes_response_clear(&r);

    routes_request_t xml = {.method = "POST",
                            .path = "/gomoku/play",
                            .body = "<x/>",
                            .body_len = 4,
                            .content_type = "text/xml; charset=utf-8"};
    routes_handle(&xml, &e, &r, &p);
    assert_int_equal(r.status, 415);
    routes_response_clear(&r);

    const char *human_next = "{\"X\": {\"player\": \"human\"}, \"O\": {\"player\": \"AI\"}, "
                             "\"moves\": [{\"X (human)\": [7, 7]}, {\"O (AI)\": [7, 8]}]}";
    call("POST", "/gomoku/play", human_next, &e, &r, &p);
    assert_int_equal(r.status, 400);
    assert_contains(r.body, r.body_len, "\"field\":\"moves\"");
    routes_response_clear(&r);
}

static const char *const OPENING = "{\"X\": {\"player\": \"human\"}, \"O\": {\"player\": \"AI\", "
                                   "\"depth\": 2}, \"board_size\": 15, "
                                   "\"moves\": [{\"X (human)\": [7, 7]}]}";

static void full_pool_and_draining_give_503(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    e.pool_has_room = false;
    call("POST", "/gomoku/play", OPENING, &e, &r, &p);
    assert_int_equal(r.status, 503);
    assert_null(p);
    assert_string_equal(routes_response_header(&r, "Retry-After"), "2");
    routes_response_clear(&r);
    e = env();
    e.gauges.draining = true;
    call("POST", "/gomoku/play", OPENING, &e, &r, &p);
    assert_int_equal(r.status, 503);
    assert_true(r.close);
    routes_response_clear(&r);
}

static void play_searches_and_finishes(void **state)
{
    routes_env_t e = env();
    routes_response_t r;
    routes_play_t *p;
    assert_int_equal(call("POST", "/gomoku/play", OPENING, &e, &r, &p), ROUTES_SEARCH);
    assert_non_null(p);
    assert_int_equal(p->side, GAME_SIDE_O);
    assert_int_equal(p->job.limits.depth, 2);
    assert_int_equal(p->job.limits.time_ms, 200); /* depth 2's 250 ms, capped at 200 */
    assert_int_equal(p->job.pos.n_stones, 1);

    /* What a search thread does, without the pool. */
    assert_int_equal(engine_init(), ENGINE_OK);
    engine_ctx_t *ctx;
    assert_int_equal(engine_ctx_create(1, &ctx), ENGINE_OK);
    p->job.status = engine_search(ctx, &p->job.pos, &p->job.limits, NULL, &p->job.result);
    engine_ctx_destroy(ctx);
    routes_play_finish(p, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "application/json");
    assert_non_null(routes_response_header(&r, "Server-Timing"));
    assert_contains(r.body, r.body_len, "\"O (AI)\"");
    assert_contains(r.body, r.body_len, "\"moves_searched\"");
    routes_response_clear(&r);
    routes_play_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_answer_has_cors),
        cmocka_unit_test(health_ready_and_metrics),
        cmocka_unit_test(ready_with_and_without_the_queue),
        cmocka_unit_test(health_and_ready_bodies_are_exact),
        cmocka_unit_test(not_found_method_and_options),
        cmocka_unit_test(play_errors),
        cmocka_unit_test(full_pool_and_draining_give_503),
        cmocka_unit_test(play_searches_and_finishes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
