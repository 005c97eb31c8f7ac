/* Unit tests of gomoku-httpd's command line (src/httpd/config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "httpd/config.h"

#define ARGV(...) ((char *[]){"gomoku-httpd", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"gomoku-httpd", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(cfg, err, ...)                                                                       \
    httpd_config_parse(cfg, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), err, sizeof(err))

static void defaults_are_documented_values(void **state)
{
    httpd_config_t c;
    httpd_config_defaults(&c);
    assert_string_equal(c.host, "127.0.0.1");
    assert_false(c.ipv6);
    assert_int_equal(c.port, 9900);
    assert_true(c.threads >= 1);
    assert_int_equal(c.agent_port, -1);
    assert_false(c.daemonize);
    assert_null(c.pid_file);
    assert_null(c.log_file);
    assert_int_equal(c.max_body, 65536);
    assert_true(c.max_time_ms > 0 && c.max_time_ms <= 10000);
    assert_true(c.default_time_ms <= c.max_time_ms);
    /* An idle keep-alive connection costs one wake-up per timeout. */
    assert_true(c.idle_timeout_s >= 30);
}

static void no_arguments_run_with_defaults(void **state)
{
    httpd_config_t c, d;
    char err[256] = "";
    httpd_config_defaults(&c);
    d = c;
    char *argv[] = {"gomoku-httpd", NULL};
    assert_int_equal(httpd_config_parse(&c, 1, argv, err, sizeof(err)), HTTPD_CONFIG_RUN);
    assert_memory_equal(&c, &d, sizeof(c));
}

static void every_option_is_read(void **state)
{
    httpd_config_t c;
    char err[256] = "";
    httpd_config_defaults(&c);
    assert_int_equal(PARSE(&c, err, "-b", "[::1]:8080", "-t", "3", "-q", "7", "-a", "9901", "-d",
                           "-P", "/run/g.pid", "-l", "g.log", "-L", "debug", "--hash-mb", "64",
                           "--max-time-ms", "2500", "--default-time-ms", "400", "--max-depth", "12",
                           "--max-body", "131072", "--max-connections", "99", "--idle-timeout", "0",
                           "--drain-ms", "1234"),
                     HTTPD_CONFIG_RUN);
    assert_string_equal(c.host, "::1");
    assert_true(c.ipv6);
    assert_int_equal(c.port, 8080);
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.queue, 7);
    assert_int_equal(c.agent_port, 9901);
    assert_true(c.daemonize);
    assert_string_equal(c.pid_file, "/run/g.pid");
    assert_string_equal(c.log_file, "g.log");
    assert_int_equal(c.log_level, HTTPD_LOG_DEBUG);
    assert_int_equal(c.hash_mb, 64);
    assert_int_equal(c.max_time_ms, 2500);
    assert_int_equal(c.default_time_ms, 400);
    assert_int_equal(c.max_depth, 12);
    assert_int_equal(c.max_body, 131072);
    assert_int_equal(c.max_connections, 99);
    assert_int_equal(c.idle_timeout_s, 0);
    assert_int_equal(c.drain_ms, 1234);
}

static void long_forms_with_equals(void **state)
{
    httpd_config_t c;
    char err[256] = "";
    httpd_config_defaults(&c);
    assert_int_equal(PARSE(&c, err, "--bind=0.0.0.0:0", "--threads=1", "--queue=0"),
                     HTTPD_CONFIG_RUN);
    assert_string_equal(c.host, "0.0.0.0");
    assert_int_equal(c.port, 0);
    assert_int_equal(c.threads, 1);
    assert_int_equal(c.queue, 0);
}

static void help_and_version(void **state)
{
    httpd_config_t c;
    char err[256] = "";
    httpd_config_defaults(&c);
    assert_int_equal(PARSE(&c, err, "--help"), HTTPD_CONFIG_HELP);
    assert_int_equal(PARSE(&c, err, "-h"), HTTPD_CONFIG_HELP);
    assert_int_equal(PARSE(&c, err, "-V"), HTTPD_CONFIG_VERSION);
    assert_int_equal(PARSE(&c, err, "--version"), HTTPD_CONFIG_VERSION);
    /* --health-check reads every option first: --bind may come after it. */
    httpd_config_defaults(&c);
    assert_int_equal(PARSE(&c, err, "--health-check", "-b", "0.0.0.0:9911"), HTTPD_CONFIG_HEALTH);
    assert_string_equal(c.host, "0.0.0.0");
    assert_int_equal(c.port, 9911);
    assert_int_equal(PARSE(&c, err, "--health-check", "-t", "0"), HTTPD_CONFIG_EUSAGE);
}

static void expect_usage_error(char **argv, int argc, const char *needle)
{
    httpd_config_t c;
    char err[256] = "";
    httpd_config_defaults(&c);
    assert_int_equal(httpd_config_parse(&c, argc, argv, err, sizeof(err)), HTTPD_CONFIG_EUSAGE);
    if (strstr(err, needle) == NULL) {
        fail_msg("message '%s' does not mention '%s'", err, needle);
    }
}

#define EXPECT_USAGE(needle, ...) expect_usage_error(ARGV(__VA_ARGS__), ARGC(__VA_ARGS__), needle)

static void bad_options_are_usage_errors(void **state)
{
    EXPECT_USAGE("unknown option --nope", "--nope");
    EXPECT_USAGE("unknown option -z", "-z");
    EXPECT_USAGE("needs a value", "--threads");
    EXPECT_USAGE("needs a value", "-b");
    EXPECT_USAGE("-t/--threads", "-t", "0");
    EXPECT_USAGE("-t/--threads", "-t", "2x");
    EXPECT_USAGE("-t/--threads", "-t", "");
    EXPECT_USAGE("-t/--threads", "-t", "99999999999999999999");
    EXPECT_USAGE("-q/--queue", "-q", "-1");
    EXPECT_USAGE("-a/--agent-port", "-a", "65536");
    EXPECT_USAGE("-a/--agent-port", "-a", "+80");
    EXPECT_USAGE("-L/--log-level", "-L", "verbose");
    EXPECT_USAGE("--max-time-ms", "--max-time-ms", "0");
    EXPECT_USAGE("--max-depth", "--max-depth", "65");
    EXPECT_USAGE("--max-body", "--max-body", "10");
    EXPECT_USAGE("--hash-mb", "--hash-mb", "0");
    EXPECT_USAGE("-P/--pid-file", "-P", "");
    EXPECT_USAGE("unexpected argument 'stray'", "stray");
}

static void bind_forms(void **state)
{
    httpd_config_t c;
    char err[256];
    httpd_config_defaults(&c);
    assert_true(httpd_config_parse_bind("10.1.2.3:80", &c, err, sizeof(err)));
    assert_string_equal(c.host, "10.1.2.3");
    assert_false(c.ipv6);
    assert_int_equal(c.port, 80);
    assert_true(httpd_config_parse_bind("[fe80::1]:65535", &c, err, sizeof(err)));
    assert_string_equal(c.host, "fe80::1");
    assert_true(c.ipv6);
    assert_int_equal(c.port, 65535);
    assert_true(httpd_config_parse_bind("[::]:0", &c, err, sizeof(err)));
    assert_string_equal(c.host, "::");
    assert_int_equal(c.port, 0);
    assert_true(httpd_config_parse_bind("localhost:9", &c, err, sizeof(err)));
    assert_string_equal(c.host, "127.0.0.1");
    assert_false(c.ipv6);
}

static void bad_bind_forms_leave_the_config_alone(void **state)
{
    static const char *const bad[] = {
        "127.0.0.1",    "127.0.0.1:",      ":80",          "127.0.0.1:x",
        "127.0.0.1:-1", "127.0.0.1:65536", "256.0.0.1:80", "example.com:80",
        "::1:80",       "[::1]",           "[::1]80",      "[]:80",
        "[::g]:80",     "[127.0.0.1]:80",  "1.2.3.4: 80",  "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        httpd_config_t c, d;
        char err[256] = "";
        httpd_config_defaults(&c);
        d = c;
        if (httpd_config_parse_bind(bad[i], &c, err, sizeof(err))) {
            fail_msg("'%s' was accepted", bad[i]);
        }
        assert_true(strlen(err) > 0);
        assert_memory_equal(&c, &d, sizeof(c));
    }
}

static void usage_lists_every_option_and_default(void **state)
{
    httpd_config_t c;
    httpd_config_defaults(&c);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    httpd_config_usage(f, "gomoku-httpd", &c);
    fclose(f);
    static const char *const must[] = {
        "--bind",
        "--threads",
        "--queue",
        "--agent-port",
        "--daemonize",
        "--pid-file",
        "--log-file",
        "--log-level",
        "--hash-mb",
        "--max-time-ms",
        "--max-depth",
        "--max-body",
        "--version",
        "--help",
        "--drain-ms",
        "--idle-timeout",
        "--max-connections",
        "--default-time-ms",
        "127.0.0.1:9900",
        "default 5000",
        "default 65536",
    };
    for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
        if (strstr(text, must[i]) == NULL) {
            fail_msg("usage lacks '%s'", must[i]);
        }
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_documented_values),
        cmocka_unit_test(no_arguments_run_with_defaults),
        cmocka_unit_test(every_option_is_read),
        cmocka_unit_test(long_forms_with_equals),
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(bad_options_are_usage_errors),
        cmocka_unit_test(bind_forms),
        cmocka_unit_test(bad_bind_forms_leave_the_config_alone),
        cmocka_unit_test(usage_lists_every_option_and_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
