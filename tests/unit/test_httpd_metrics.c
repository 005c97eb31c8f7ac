/* Unit tests of the Prometheus metrics (src/httpd/metrics.c) and the
 * agent-check reply (src/httpd/agent.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "httpd/agent.h"
#include "httpd/metrics.h"

static const metrics_gauges_t GAUGES = {.threads = 4,
                                        .busy = 3,
                                        .queued = 2,
                                        .queue_capacity = 16,
                                        .in_flight = 5,
                                        .draining = false,
                                        .uptime_s = 12.5};

static char *render(const metrics_t *m, const metrics_gauges_t *g)
{
    size_t len = 0;
    char *text = metrics_render(m, g, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    return text;
}

static void assert_has(const char *text, const char *line)
{
    if (strstr(text, line) == NULL) {
        fail_msg("missing '%s' in:\n%s", line, text);
    }
}

static void empty_metrics_render_gauges(void **state)
{
    metrics_t m;
    metrics_init(&m);
    char *t = render(&m, &GAUGES);
    assert_has(t, "# TYPE gomoku_http_requests_total counter\n");
    assert_null(strstr(t, "gomoku_http_requests_total{"));
    assert_has(t, "gomoku_queue_length 2\n");
    assert_has(t, "gomoku_queue_capacity 16\n");
    assert_has(t, "gomoku_search_threads 4\n");
    assert_has(t, "gomoku_search_threads_busy 3\n");
    assert_has(t, "gomoku_http_requests_in_flight 5\n");
    assert_has(t, "gomoku_draining 0\n");
    assert_has(t, "gomoku_search_nodes_total 0\n");
    assert_has(t, "gomoku_search_duration_seconds_count 0\n");
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"+Inf\"} 0\n");
    assert_has(t, "gomoku_build_info{version=\"" GOMOKU_VERSION "\"} 1\n");
    free(t);
}

static void requests_are_counted_by_route_and_status(void **state)
{
    metrics_t m;
    metrics_init(&m);
    metrics_count_request(&m, METRICS_ROUTE_PLAY, 200);
    metrics_count_request(&m, METRICS_ROUTE_PLAY, 200);
    metrics_count_request(&m, METRICS_ROUTE_PLAY, 503);
    metrics_count_request(&m, METRICS_ROUTE_HEALTH, 200);
    metrics_count_request(&m, METRICS_ROUTE_OTHER, 404);
    metrics_count_request(&m, METRICS_ROUTE_PLAY, 418);
    metrics_count_request(&m, (metrics_route_t)99, 200);
    char *t = render(&m, &GAUGES);
    assert_has(t, "gomoku_http_requests_total{route=\"play\",code=\"200\"} 2\n");
    assert_has(t, "gomoku_http_requests_total{route=\"play\",code=\"503\"} 1\n");
    assert_has(t, "gomoku_http_requests_total{route=\"health\",code=\"200\"} 1\n");
    assert_has(t, "gomoku_http_requests_total{route=\"other\",code=\"404\"} 1\n");
    assert_has(t, "gomoku_http_requests_total{route=\"play\",code=\"other\"} 1\n");
    assert_has(t, "gomoku_http_requests_total{route=\"other\",code=\"200\"} 1\n");
    free(t);
}

static void search_histogram_is_cumulative(void **state)
{
    metrics_t m;
    metrics_init(&m);
    metrics_observe_search(&m, 0.5, 0.0, 10, false);    /* <= 1 ms */
    metrics_observe_search(&m, 40.0, 2.0, 1000, false); /* <= 50 ms */
    metrics_observe_search(&m, 900.0, 0.0, 5000, true); /* <= 1 s */
    metrics_observe_search(&m, 60000.0, 0.0, 1, false); /* over the last bound */
    char *t = render(&m, &GAUGES);
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"0.001\"} 1\n");
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"0.025\"} 1\n");
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"0.05\"} 2\n");
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"1\"} 3\n");
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"10\"} 3\n");
    assert_has(t, "gomoku_search_duration_seconds_bucket{le=\"+Inf\"} 4\n");
    assert_has(t, "gomoku_search_duration_seconds_count 4\n");
    assert_has(t, "gomoku_search_duration_seconds_sum 60.940500\n");
    assert_has(t, "gomoku_queue_wait_seconds_bucket{le=\"0.001\"} 3\n");
    assert_has(t, "gomoku_queue_wait_seconds_bucket{le=\"0.005\"} 4\n");
    assert_has(t, "gomoku_search_nodes_total 6011\n");
    assert_has(t, "gomoku_searches_stopped_total 1\n");
    free(t);
}

static void every_sample_line_is_well_formed(void **state)
{
    metrics_t m;
    metrics_init(&m);
    metrics_count_request(&m, METRICS_ROUTE_PAGE, 304);
    metrics_observe_search(&m, 3.0, 1.0, 7, false);
    metrics_gauges_t g = GAUGES;
    g.draining = true;
    char *t = render(&m, &g);
    assert_has(t, "gomoku_draining 1\n");
    for (char *line = strtok(t, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            assert_true(strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0);
            continue;
        }
        const char *space = strrchr(line, ' ');
        assert_non_null(space);
        char *end;
        strtod(space + 1, &end);
        assert_true(*end == '\0');
        assert_true(strncmp(line, "gomoku_", 7) == 0);
    }
    free(t);
}

static void agent_weights_follow_free_threads(void **state)
{
    char line[64];
    agent_load_t load = {.threads = 4, .busy = 0, .queued = 0};
    agent_reply(&load, line, sizeof(line));
    assert_string_equal(line, "up ready 100%\n");
    load.busy = 2;
    agent_reply(&load, line, sizeof(line));
    assert_string_equal(line, "up ready 50%\n");
    load.busy = 3;
    load.queued = 1;
    agent_reply(&load, line, sizeof(line));
    assert_string_equal(line, "up ready 1%\n");
    load.queued = 20;
    agent_reply(&load, line, sizeof(line));
    assert_string_equal(line, "up ready 1%\n");
    load.draining = true;
    agent_reply(&load, line, sizeof(line));
    assert_string_equal(line, "drain 0%\n");
    agent_load_t none = {.threads = 0};
    agent_reply(&none, line, sizeof(line));
    assert_string_equal(line, "up ready 100%\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_metrics_render_gauges),
        cmocka_unit_test(requests_are_counted_by_route_and_status),
        cmocka_unit_test(search_histogram_is_cumulative),
        cmocka_unit_test(every_sample_line_is_well_formed),
        cmocka_unit_test(agent_weights_follow_free_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
