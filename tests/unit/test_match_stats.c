/* gomoku-match statistics: Elo, interval, LOS and GSPRT against values
 * worked out by hand from the formulas in bench/match/stats.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "match/stats.h"

#define assert_near(a, b, eps) assert_true(fabs((a) - (b)) < (eps))

static void elo_and_score_are_inverse(void **state)
{
    assert_near(match_elo_from_score(0.5), 0.0, 1e-12);
    /* 0.75: 1/s - 1 = 1/3, -400 log10(1/3) = 400 * 0.4771213 = 190.8485 */
    assert_near(match_elo_from_score(0.75), 190.8485, 1e-3);
    assert_near(match_elo_from_score(0.25), -190.8485, 1e-3);
    assert_near(match_score_from_elo(190.8485), 0.75, 1e-6);
    /* 10 Elo: 1 / (1 + 10^-0.025) = 0.5143872 */
    assert_near(match_score_from_elo(10), 0.5143872, 1e-6);
    assert_true(isinf(match_elo_from_score(1.0)) && match_elo_from_score(1.0) > 0);
    assert_true(isinf(match_elo_from_score(0.0)) && match_elo_from_score(0.0) < 0);
}

static void trinomial_elo_and_interval(void **state)
{
    /* W 6, D 2, L 2: s = 7/10 = 0.7; v = (6 * 0.3^2 + 2 * 0.2^2 + 2 * 0.7^2) / 10
     * = (0.54 + 0.08 + 0.98) / 10 = 0.16; half width 1.96 * sqrt(0.016) = 0.24792;
     * Elo(0.7) = 400 log10(7/3) = 147.19, Elo(0.45208) = -33.40,
     * Elo(0.94792) = 504.03. */
    match_trinomial_t t = {{6, 2, 2}};
    match_elo_t e = match_elo_trinomial(&t);
    assert_true(e.valid);
    assert_near(e.score, 0.7, 1e-12);
    assert_near(e.elo, 147.19, 0.01);
    assert_near(e.lo, -33.40, 0.01);
    assert_near(e.hi, 504.03, 0.01);
    match_trinomial_t none = {{0, 0, 0}};
    assert_false(match_elo_trinomial(&none).valid);
    /* A sweep: the estimate is infinite, and the finite bound is the exact
     * binomial one. 5 wins: 0.025^(1/5) = 0.478176, Elo -15.17; 10 losses:
     * 1 - 0.025^(1/10) = 0.308497, Elo -140.22. */
    match_trinomial_t sweep = {{5, 0, 0}};
    match_elo_t s = match_elo_trinomial(&sweep);
    assert_true(s.valid && isinf(s.elo) && s.elo > 0 && isinf(s.hi) && s.hi > 0);
    assert_near(s.lo, -15.17, 0.01);
    match_trinomial_t lost = {{0, 0, 10}};
    match_elo_t z = match_elo_trinomial(&lost);
    assert_true(z.valid && isinf(z.elo) && z.elo < 0 && isinf(z.lo) && z.lo < 0);
    assert_near(z.hi, -140.22, 0.01);
}

static void pentanomial_elo_and_interval(void **state)
{
    /* Pairs 1, 2, 3, 3, 1 (n = 10) at 0, 1/4, 1/2, 3/4, 1: s = (0.5 + 1.5 +
     * 2.25 + 1) / 10 = 0.525; v = (0.275625 + 2 * 0.075625 + 3 * 0.000625 +
     * 3 * 0.050625 + 0.225625) / 10 = 0.080625; half width 1.96 *
     * sqrt(0.0080625) = 0.175987; Elo(0.525) = 17.39, Elo(0.349013) = -108.29,
     * Elo(0.700987) = 148.01. */
    match_pentanomial_t p = {{1, 2, 3, 3, 1}};
    match_elo_t e = match_elo_pentanomial(&p);
    assert_true(e.valid);
    assert_near(e.score, 0.525, 1e-12);
    assert_near(e.elo, 17.39, 0.01);
    assert_near(e.lo, -108.29, 0.01);
    assert_near(e.hi, 148.01, 0.01);
    /* LLR for elo0 -5, elo1 5: s0 = 0.4928044, s1 = 0.5071956;
     * 10 * 0.0143912 * (1.05 - 1.0) / (2 * 0.080625) = 0.044621 */
    assert_near(match_llr_pentanomial(&p, -5, 5), 0.044621, 1e-5);
}

static void los(void **state)
{
    /* W 6, L 2: (1 + erf(4 / sqrt(16))) / 2 = (1 + erf(1)) / 2 = 0.9213504 */
    match_trinomial_t t = {{6, 2, 2}};
    assert_near(match_los(&t), 0.9213504, 1e-6);
    match_trinomial_t draws = {{0, 7, 0}};
    assert_near(match_los(&draws), 0.5, 1e-12);
    match_trinomial_t even = {{3, 0, 3}};
    assert_near(match_los(&even), 0.5, 1e-12);
}

static void trinomial_llr(void **state)
{
    /* W 6, D 2, L 2, elo0 0, elo1 10: s0 = 0.5, s1 = 0.5143872;
     * 10 * 0.0143872 * (1.4 - 1.0143872) / (2 * 0.16) = 0.173371 */
    match_trinomial_t t = {{6, 2, 2}};
    assert_near(match_llr_trinomial(&t, 0, 10), 0.173371, 1e-5);
    /* W 600, L 400: v = 0.6 * 0.4 = 0.24; 1000 * 0.0143872 * (1.2 - 1.0143872)
     * / 0.48 = 5.563429; W 400, L 600: 1000 * 0.0143872 * (0.8 - 1.0143872)
     * / 0.48 = -6.425891 */
    match_trinomial_t up = {{600, 0, 400}}, down = {{400, 0, 600}};
    assert_near(match_llr_trinomial(&up, 0, 10), 5.563429, 1e-5);
    assert_near(match_llr_trinomial(&down, 0, 10), -6.425891, 1e-5);
    /* One outcome only: no variance, no information. */
    match_trinomial_t sweep = {{9, 0, 0}};
    assert_near(match_llr_trinomial(&sweep, 0, 10), 0.0, 1e-12);
    match_trinomial_t none = {{0, 0, 0}};
    assert_near(match_llr_trinomial(&none, 0, 10), 0.0, 1e-12);
}

static void sprt_bounds_and_decisions(void **state)
{
    /* alpha = beta = 0.05: log(0.05 / 0.95) = -2.944439, log(0.95 / 0.05) = 2.944439;
     * alpha 0.05, beta 0.1: log(0.1 / 0.95) = -2.251292, log(0.9 / 0.05) = 2.890372 */
    match_sprt_t s = {0, 10, 0.05, 0.05};
    double lo, hi;
    match_sprt_bounds(&s, &lo, &hi);
    assert_near(lo, -2.944439, 1e-6);
    assert_near(hi, 2.944439, 1e-6);
    match_sprt_t t = {0, 10, 0.05, 0.1};
    match_sprt_bounds(&t, &lo, &hi);
    assert_near(lo, -2.251292, 1e-6);
    assert_near(hi, 2.890372, 1e-6);
    assert_int_equal(match_sprt_decide(&s, 5.563429), MATCH_SPRT_H1);
    assert_int_equal(match_sprt_decide(&s, -6.425891), MATCH_SPRT_H0);
    assert_int_equal(match_sprt_decide(&s, 0.173371), MATCH_SPRT_CONTINUE);
    assert_int_equal(match_sprt_decide(&s, 2.94), MATCH_SPRT_CONTINUE);
    assert_int_equal(match_sprt_decide(&s, 2.95), MATCH_SPRT_H1);
}

static void sprt_parse(void **state)
{
    match_sprt_t s;
    char err[256];
    assert_true(match_sprt_parse("0,10,0.05,0.1", &s, err, sizeof(err)));
    assert_near(s.elo0, 0, 1e-12);
    assert_near(s.elo1, 10, 1e-12);
    assert_near(s.alpha, 0.05, 1e-12);
    assert_near(s.beta, 0.1, 1e-12);
    assert_true(match_sprt_parse("-5,5,0.05,0.05", &s, err, sizeof(err)));
    assert_near(s.elo0, -5, 1e-12);
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"0,10,0.05", "separated by commas"},
        {"0,10,0.05,0.05,1", "unexpected text"},
        {"10,0,0.05,0.05", "elo0 (10) must be smaller"},
        {"0,0,0.05,0.05", "must be smaller"},
        {"0,10,0,0.05", "alpha must be in (0, 0.5)"},
        {"0,10,0.05,0.6", "beta must be in (0, 0.5)"},
        {"a,10,0.05,0.05", "expected elo0,elo1,alpha,beta"},
        {"", "expected elo0,elo1,alpha,beta"},
        {"0,nan,0.05,0.05", "expected elo0,elo1,alpha,beta"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_false(match_sprt_parse(bad[i].text, &s, err, sizeof(err)));
        if (!strstr(err, bad[i].needle))
            fail_msg("'%s': got '%s', expected '%s'", bad[i].text, err, bad[i].needle);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elo_and_score_are_inverse),
        cmocka_unit_test(trinomial_elo_and_interval),
        cmocka_unit_test(pentanomial_elo_and_interval),
        cmocka_unit_test(los),
        cmocka_unit_test(trinomial_llr),
        cmocka_unit_test(sprt_bounds_and_decisions),
        cmocka_unit_test(sprt_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
