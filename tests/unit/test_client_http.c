/* The client's retry policy: backoff delays (exponential, capped, jittered
 * within stated bounds, reproducible from a seed), Retry-After handling, and
 * Retry-After header parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "client/http.h"

static const client_backoff_t B = {.base_ms = 100, .max_ms = 2000, .retry_after_max_ms = 10000};

static void test_backoff_grows_and_caps(void **state)
{
    client_rng_t rng;
    client_rng_seed(&rng, 42);
    /* Attempt k: d = 100 * 2^(k-1) capped at 2000; delay in [d/2, d]. */
    const int64_t expected[] = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
    for (int k = 1; k <= 8; k++) {
        int64_t d = expected[k - 1];
        for (int i = 0; i < 200; i++) {
            int64_t w = client_backoff_delay_ms(&B, k, -1, &rng);
            if (w < d / 2 || w > d) {
                fail_msg("attempt %d: delay %lld outside [%lld, %lld]", k, (long long)w,
                         (long long)(d / 2), (long long)d);
            }
        }
    }
    /* A huge attempt number neither overflows nor exceeds the cap. */
    int64_t w = client_backoff_delay_ms(&B, 1000000, -1, &rng);
    assert_true(w >= 1000 && w <= 2000);
}

static void test_backoff_is_jittered_and_seeded(void **state)
{
    client_rng_t a, b, c;
    client_rng_seed(&a, 7);
    client_rng_seed(&b, 7);
    client_rng_seed(&c, 8);
    int64_t sa[16], sb[16], sc[16];
    for (int i = 0; i < 16; i++) {
        sa[i] = client_backoff_delay_ms(&B, 4, -1, &a);
        sb[i] = client_backoff_delay_ms(&B, 4, -1, &b);
        sc[i] = client_backoff_delay_ms(&B, 4, -1, &c);
    }
    assert_memory_equal(sa, sb, sizeof(sa));
    assert_memory_not_equal(sa, sc, sizeof(sa));
    /* Jitter: sixteen draws are not all the same. */
    bool varied = false;
    for (int i = 1; i < 16; i++) {
        varied |= sa[i] != sa[0];
    }
    assert_true(varied);
}

static void test_backoff_honours_retry_after(void **state)
{
    client_rng_t rng;
    client_rng_seed(&rng, 3);
    for (int i = 0; i < 100; i++) {
        /* At least what the server asked, at most one base interval more,
         * whatever the attempt number. */
        int64_t w = client_backoff_delay_ms(&B, 1, 3000, &rng);
        assert_true(w >= 3000 && w <= 3100);
        w = client_backoff_delay_ms(&B, 6, 0, &rng);
        assert_true(w >= 0 && w <= 100);
        /* A bogus Retry-After is clamped. */
        w = client_backoff_delay_ms(&B, 1, 86400000, &rng);
        assert_true(w >= 10000 && w <= 10100);
    }
}

static void test_retry_after_seconds(void **state)
{
    int64_t ms = -1;
    assert_true(client_retry_after_parse("3", 0, &ms));
    assert_int_equal(ms, 3000);
    assert_true(client_retry_after_parse("  0 ", 0, &ms));
    assert_int_equal(ms, 0);
    assert_true(client_retry_after_parse("120", 0, &ms));
    assert_int_equal(ms, 120000);
    /* Absurdly long: no overflow, still large (the backoff clamps it). */
    assert_true(client_retry_after_parse("99999999999999999999999", 0, &ms));
    assert_true(ms >= 1000000000LL);
}

static void test_retry_after_date(void **state)
{
    /* Wed, 21 Oct 2015 07:28:00 GMT is 1445412480. */
    const time_t date = 1445412480;
    int64_t ms = -1;
    assert_true(client_retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT", date - 5, &ms));
    assert_int_equal(ms, 5000);
    /* A date in the past means "now". */
    assert_true(client_retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT", date + 60, &ms));
    assert_int_equal(ms, 0);
}

static void test_retry_after_rejects_garbage(void **state)
{
    int64_t ms = 77;
    assert_false(client_retry_after_parse(NULL, 0, &ms));
    assert_false(client_retry_after_parse("", 0, &ms));
    assert_false(client_retry_after_parse("   ", 0, &ms));
    assert_false(client_retry_after_parse("-1", 0, &ms));
    assert_false(client_retry_after_parse("1.5", 0, &ms));
    assert_false(client_retry_after_parse("3 s", 0, &ms));
    assert_false(client_retry_after_parse("soon", 0, &ms));
    assert_int_equal(ms, 77);
}

static void test_cause_names(void **state)
{
    assert_string_equal(client_retry_cause_name(CLIENT_RETRY_CONNECT), "connect");
    assert_string_equal(client_retry_cause_name(CLIENT_RETRY_503), "http_503");
    assert_string_equal(client_retry_cause_name(CLIENT_RETRY_N_CAUSES), "unknown");
    for (int c = 0; c < CLIENT_RETRY_N_CAUSES; c++) {
        assert_true(strlen(client_retry_cause_name(c)) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_grows_and_caps),
        cmocka_unit_test(test_backoff_is_jittered_and_seeded),
        cmocka_unit_test(test_backoff_honours_retry_after),
        cmocka_unit_test(test_retry_after_seconds),
        cmocka_unit_test(test_retry_after_date),
        cmocka_unit_test(test_retry_after_rejects_garbage),
        cmocka_unit_test(test_cause_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
