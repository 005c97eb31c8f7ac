/* gomoku-http-client's command line: the original's flags, the new ones,
 * defaults, cross-flag rules, and a precise message for every bad flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/options.h"

#define MAX_ARGS 32

/* Parses the NULL-terminated flags after a program name. */
static client_options_status_t parse(client_options_t *o, char *err, size_t errlen, ...)
{
    char *argv[MAX_ARGS] = {"gomoku-http-client"};
    int argc = 1;
    va_list ap;
    va_start(ap, errlen);
    for (char *a = va_arg(ap, char *); a != NULL && argc < MAX_ARGS - 1; a = va_arg(ap, char *)) {
        argv[argc++] = a;
    }
    va_end(ap);
    argv[argc] = NULL;
    return client_options_parse(argc, argv, o, err, errlen);
}

#define PARSE(o, err, ...) parse(o, err, sizeof(err), __VA_ARGS__, (char *)NULL)
#define PARSE_NONE(o, err) parse(o, err, sizeof(err), (char *)NULL)

static void test_defaults(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE_NONE(&o, err), CLIENT_OPTIONS_OK);
    assert_string_equal(o.urls[GAME_SIDE_X], "http://127.0.0.1:9900/gomoku/play");
    assert_string_equal(o.urls[GAME_SIDE_O], "http://127.0.0.1:9900/gomoku/play");
    assert_false(o.two_servers);
    assert_int_equal(o.mode, CLIENT_MODE_HUMAN);
    assert_int_equal(o.board_size, 15);
    assert_int_equal(o.depth[0], 0);
    assert_int_equal(o.depth[1], 0);
    assert_int_equal(o.time_ms[0], 0);
    assert_int_equal(o.radius, 0);
    assert_false(o.rule_given);
    assert_int_equal(o.games, 1);
    assert_int_equal(o.concurrency, 1);
    assert_int_equal(o.retries, CLIENT_DEFAULT_RETRIES);
    assert_int_equal(o.seed, CLIENT_DEFAULT_SEED);
    assert_null(o.json_path);
    assert_null(o.summary_path);
    assert_string_equal(o.errors_dir, ".");
    assert_int_equal(o.progress, CLIENT_PROGRESS_AUTO);
    assert_false(o.verbose);
    assert_int_equal(client_options_request_timeout_ms(&o), 60000);
}

static void test_original_flags(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "-h", "localhost", "-p", "10000", "-d", "2:3", "-r", "3", "-b",
                           "19", "-t", "30", "-j", "game.json", "-v", "-q"),
                     CLIENT_OPTIONS_OK);
    assert_string_equal(o.urls[GAME_SIDE_X], "http://localhost:10000/gomoku/play");
    assert_int_equal(o.depth[GAME_SIDE_X], 2);
    assert_int_equal(o.depth[GAME_SIDE_O], 3);
    assert_int_equal(o.radius, 3);
    assert_int_equal(o.board_size, 19);
    assert_true(o.timeout_s == 30);
    assert_string_equal(o.json_path, "game.json");
    assert_true(o.verbose);
    assert_true(o.quiet);
    assert_int_equal(o.mode, CLIENT_MODE_HUMAN);

    assert_int_equal(PARSE(&o, err, "--host", "::1", "--port=9901", "--depth", "4"),
                     CLIENT_OPTIONS_OK);
    assert_string_equal(o.urls[GAME_SIDE_O], "http://[::1]:9901/gomoku/play");
    assert_int_equal(o.depth[GAME_SIDE_X], 4);
    assert_int_equal(o.depth[GAME_SIDE_O], 4);
}

static void test_two_ports_mean_ai_vs_ai(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "-p", "9514:9515"), CLIENT_OPTIONS_OK);
    assert_true(o.two_servers);
    assert_int_equal(o.mode, CLIENT_MODE_AI);
    assert_string_equal(o.urls[GAME_SIDE_X], "http://127.0.0.1:9514/gomoku/play");
    assert_string_equal(o.urls[GAME_SIDE_O], "http://127.0.0.1:9515/gomoku/play");

    /* The same port twice is one server. */
    assert_int_equal(PARSE(&o, err, "-p", "9514:9514"), CLIENT_OPTIONS_OK);
    assert_false(o.two_servers);
    assert_int_equal(o.mode, CLIENT_MODE_HUMAN);

    assert_int_equal(PARSE(&o, err, "-p", "9514:9515", "--mode", "human"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "--mode ai"));
}

static void test_urls(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "--url", "http://lb:8080"), CLIENT_OPTIONS_OK);
    assert_string_equal(o.urls[0], "http://lb:8080/gomoku/play");
    assert_string_equal(o.urls[1], "http://lb:8080/gomoku/play");
    assert_false(o.two_servers);

    assert_int_equal(PARSE(&o, err, "--url", "http://a:1/", "--url", "http://b:2/x/play"),
                     CLIENT_OPTIONS_OK);
    assert_string_equal(o.urls[GAME_SIDE_X], "http://a:1/gomoku/play");
    assert_string_equal(o.urls[GAME_SIDE_O], "http://b:2/x/play");
    assert_true(o.two_servers);
    assert_int_equal(o.mode, CLIENT_MODE_AI);

    assert_int_equal(
        PARSE(&o, err, "--url", "http://a:1", "--url", "http://b:2", "--url", "http://c:3"),
        CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "at most twice"));
    assert_int_equal(PARSE(&o, err, "--url", "lb:8080"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "--url expects http://"));
    assert_int_equal(PARSE(&o, err, "--url", "ftp://lb/"), CLIENT_OPTIONS_EUSAGE);
    assert_int_equal(PARSE(&o, err, "--url", "http://lb:1", "-p", "9900"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "one or the other"));
}

static void test_load_flags(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "-g", "20", "-c", "4", "--mode", "AI", "--seed",
                           "18446744073709551615", "--rule", "standard", "--time-ms", "20:100",
                           "--retries", "0", "--timeout-ms", "1500", "--connect-timeout-ms", "300",
                           "--json-summary", "s.json", "--save-errors", "/tmp", "--no-progress",
                           "--fail-fast"),
                     CLIENT_OPTIONS_OK);
    assert_int_equal(o.games, 20);
    assert_int_equal(o.concurrency, 4);
    assert_int_equal(o.mode, CLIENT_MODE_AI);
    assert_true(o.seed == UINT64_MAX);
    assert_int_equal(o.rule, ENGINE_RULE_STANDARD);
    assert_true(o.rule_given);
    assert_int_equal(o.time_ms[GAME_SIDE_X], 20);
    assert_int_equal(o.time_ms[GAME_SIDE_O], 100);
    assert_int_equal(o.retries, 0);
    assert_int_equal(o.timeout_ms, 1500);
    assert_int_equal(client_options_request_timeout_ms(&o), 1500);
    assert_int_equal(o.connect_timeout_ms, 300);
    assert_string_equal(o.summary_path, "s.json");
    assert_string_equal(o.errors_dir, "/tmp");
    assert_int_equal(o.progress, CLIENT_PROGRESS_OFF);
    assert_true(o.fail_fast);

    /* No more threads than games. */
    assert_int_equal(PARSE(&o, err, "-g", "3", "-c", "8", "--progress"), CLIENT_OPTIONS_OK);
    assert_int_equal(o.concurrency, 3);
    assert_int_equal(o.progress, CLIENT_PROGRESS_ON);

    /* Levels per side; not sent unless given. */
    assert_int_equal(PARSE(&o, err, "--mode", "ai", "--level", "3:2"), CLIENT_OPTIONS_OK);
    assert_int_equal(o.level[GAME_SIDE_X], 3);
    assert_int_equal(o.level[GAME_SIDE_O], 2);
    assert_int_equal(PARSE(&o, err, "--level", "10", "--opening", "3"), CLIENT_OPTIONS_OK);
    assert_int_equal(o.opening, 3);
    assert_int_equal(o.level[GAME_SIDE_X], 10);
    assert_int_equal(o.level[GAME_SIDE_O], 10);
    assert_int_equal(PARSE(&o, err, "-g", "2"), CLIENT_OPTIONS_OK);
    assert_int_equal(o.level[GAME_SIDE_X], 0);
    assert_int_equal(o.level[GAME_SIDE_O], 0);

    /* The derived time limit covers the largest budget with room to spare. */
    assert_int_equal(PARSE(&o, err, "--time-ms", "100:300"), CLIENT_OPTIONS_OK);
    assert_true(client_options_request_timeout_ms(&o) > 300);
}

static void test_help(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "--help"), CLIENT_OPTIONS_HELP);
    assert_int_equal(PARSE(&o, err, "-p", "1", "--help"), CLIENT_OPTIONS_HELP);
    /* -h is the host, as in the original; alone it lacks its value. */
    assert_int_equal(PARSE(&o, err, "-h"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "-h needs a value"));
}

struct bad_case {
    const char *flag, *value;
    const char *message_part;
};

static const struct bad_case BAD[] = {
    {"-p", "0", "-p/--port expects"},
    {"-p", "65536", "-p/--port expects"},
    {"-p", "80:", "-p/--port expects"},
    {"-p", ":80", "-p/--port expects"},
    {"-p", "80:81:82", "-p/--port expects"},
    {"-p", "http", "-p/--port expects"},
    {"-d", "0", "-d/--depth expects"},
    {"-d", "65", "-d/--depth expects"},
    {"-d", "3:x", "-d/--depth expects"},
    {"-r", "5", "-r/--radius expects 1..4"},
    {"-b", "4", "-b/--board expects"},
    {"-b", "26", "-b/--board expects"},
    {"-b", "15x", "-b/--board expects"},
    {"-t", "-1", "-t/--timeout expects"},
    {"-g", "0", "-g/--games expects"},
    {"-c", "0", "-c/--concurrency expects"},
    {"-c", "100000", "-c/--concurrency expects"},
    {"--mode", "robot", "--mode expects"},
    {"--rule", "caro", "--rule expects"},
    {"--seed", "-1", "--seed expects"},
    {"--seed", "12ab", "--seed expects"},
    {"--time-ms", "0", "--time-ms expects"},
    {"--time-ms", "10:0", "--time-ms expects"},
    {"--level", "0", "--level expects"},
    {"--level", "11", "--level expects"},
    {"--level", "3:", "--level expects"},
    {"--level", "3:2.5", "--level expects"},
    {"--opening", "11", "--opening expects"},
    {"--opening", "-1", "--opening expects"},
    {"--retries", "101", "--retries expects"},
    {"--timeout-ms", "0", "--timeout-ms expects"},
    {"--json-summary", "", "--json-summary needs"},
    {"-j", "", "-j/--json needs"},
};

static void test_bad_values(void **state)
{
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        client_options_t o;
        char err[256];
        client_options_status_t s = PARSE(&o, err, (char *)BAD[i].flag, (char *)BAD[i].value);
        if (s != CLIENT_OPTIONS_EUSAGE || strstr(err, BAD[i].message_part) == NULL) {
            fail_msg("%s %s: status %d, message \"%s\"", BAD[i].flag, BAD[i].value, s, err);
        }
    }
}

static void test_bad_flags(void **state)
{
    client_options_t o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "--bogus"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "unknown option --bogus"));
    assert_int_equal(PARSE(&o, err, "-x"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "unknown option -x"));
    assert_int_equal(PARSE(&o, err, "--games"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "--games needs a value"));
    assert_int_equal(PARSE(&o, err, "--retries"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "--retries needs a value"));
    assert_int_equal(PARSE(&o, err, "--bogus=3"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "unknown option --bogus "));
    assert_int_equal(PARSE(&o, err, "--games=2", "-vx"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "unknown option -x "));
    assert_int_equal(PARSE(&o, err, "extra"), CLIENT_OPTIONS_EUSAGE);
    assert_non_null(strstr(err, "unexpected argument \"extra\""));
    /* A failed parse does not poison the next one. */
    assert_int_equal(PARSE(&o, err, "-g", "2"), CLIENT_OPTIONS_OK);
    assert_int_equal(o.games, 2);
}

static void test_json_paths(void **state)
{
    client_options_t o;
    char err[256], path[256];
    assert_int_equal(PARSE(&o, err, "-j", "out/game.json"), CLIENT_OPTIONS_OK);
    assert_true(client_options_json_path(&o, 1, path, sizeof(path)));
    assert_string_equal(path, "out/game.json");

    assert_int_equal(PARSE(&o, err, "-j", "out/game.json", "-g", "12"), CLIENT_OPTIONS_OK);
    assert_true(client_options_json_path(&o, 7, path, sizeof(path)));
    assert_string_equal(path, "out/game-7.json");
    assert_int_equal(PARSE(&o, err, "-j", "dir.d/game", "-g", "2"), CLIENT_OPTIONS_OK);
    assert_true(client_options_json_path(&o, 2, path, sizeof(path)));
    assert_string_equal(path, "dir.d/game-2");
    assert_int_equal(PARSE(&o, err, "-j", ".hidden", "-g", "2"), CLIENT_OPTIONS_OK);
    assert_true(client_options_json_path(&o, 1, path, sizeof(path)));
    assert_string_equal(path, ".hidden-1");
    assert_false(client_options_json_path(&o, 1, path, 4));
}

static void test_usage_mentions_every_flag(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    client_options_usage(f, "gomoku-http-client");
    fclose(f);
    static const char *const FLAGS[] = {
        "--host",        "--port",    "--url",          "--mode",        "--depth",
        "--time-ms",     "--radius",  "--board",        "--rule",        "--timeout",
        "--seed",        "--games",   "--concurrency",  "--retries",     "--timeout-ms",
        "--json",        "--verbose", "--json-summary", "--save-errors", "--progress",
        "--no-progress", "--help",    "--quiet",        "--fail-fast",   "--connect-timeout-ms",
        "--level",       "--opening"};
    for (size_t i = 0; i < sizeof(FLAGS) / sizeof(FLAGS[0]); i++) {
        if (strstr(text, FLAGS[i]) == NULL) {
            fail_msg("--help does not mention %s", FLAGS[i]);
        }
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_original_flags),
        cmocka_unit_test(test_two_ports_mean_ai_vs_ai),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_load_flags),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_flags),
        cmocka_unit_test(test_json_paths),
        cmocka_unit_test(test_usage_mentions_every_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
