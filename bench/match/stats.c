#include "match/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define Z95 1.959963984540054 /* two-sided 95% quantile of the normal law */

double match_elo_from_score(double score)
{
    if (score <= 0.0)
        return -INFINITY;
    if (score >= 1.0)
        return INFINITY;
    return -400.0 * log10(1.0 / score - 1.0);
}

double match_score_from_elo(double elo)
{
    return 1.0 / (1.0 + pow(10.0, -elo / 400.0));
}

/* Mean and variance of outcomes x[i] seen count[i] times; false when n == 0. */
static bool moments(const double *x, const long *count, int k, double *mean, double *var, double *n)
{
    double total = 0, sum = 0;
    for (int i = 0; i < k; i++) {
        total += (double)count[i];
        sum += (double)count[i] * x[i];
    }
    if (total <= 0)
        return false;
    double m = sum / total, v = 0;
    for (int i = 0; i < k; i++)
        v += (double)count[i] / total * (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = v;
    *n = total;
    return true;
}

static const double TRI_X[3] = {1.0, 0.5, 0.0};
static const double PENTA_X[5] = {0.0, 0.25, 0.5, 0.75, 1.0};

static match_elo_t elo_of(const double *x, const long *count, int k)
{
    match_elo_t e = {0};
    double s, v, n;
    if (!moments(x, count, k, &s, &v, &n))
        return e;
    double half = Z95 * sqrt(v / n);
    e.valid = true;
    e.score = s;
    e.elo = match_elo_from_score(s);
    e.lo = match_elo_from_score(s - half);
    e.hi = match_elo_from_score(s + half);
    /* A sweep has no variance, and the normal interval would shrink to a
     * point; the exact binomial (Clopper-Pearson) bound is used instead:
     * n wins out of n put the score at least 0.025^(1/n) with 97.5%
     * confidence, n losses at most 1 - 0.025^(1/n). */
    if (s >= 1.0)
        e.lo = match_elo_from_score(pow(0.025, 1.0 / n));
    else if (s <= 0.0)
        e.hi = match_elo_from_score(1.0 - pow(0.025, 1.0 / n));
    return e;
}

match_elo_t match_elo_trinomial(const match_trinomial_t *t)
{
    return elo_of(TRI_X, t->wdl, 3);
}

match_elo_t match_elo_pentanomial(const match_pentanomial_t *p)
{
    return elo_of(PENTA_X, p->pairs, 5);
}

double match_los(const match_trinomial_t *t)
{
    double w = (double)t->wdl[0], l = (double)t->wdl[2];
    if (w + l <= 0)
        return 0.5;
    return 0.5 * (1.0 + erf((w - l) / sqrt(2.0 * (w + l))));
}

static double llr_of(const double *x, const long *count, int k, double elo0, double elo1)
{
    double s, v, n;
    if (!moments(x, count, k, &s, &v, &n) || v <= 0)
        return 0.0;
    double s0 = match_score_from_elo(elo0), s1 = match_score_from_elo(elo1);
    return n * (s1 - s0) * (2.0 * s - s0 - s1) / (2.0 * v);
}

double match_llr_trinomial(const match_trinomial_t *t, double elo0, double elo1)
{
    return llr_of(TRI_X, t->wdl, 3, elo0, elo1);
}

double match_llr_pentanomial(const match_pentanomial_t *p, double elo0, double elo1)
{
    return llr_of(PENTA_X, p->pairs, 5, elo0, elo1);
}

void match_sprt_bounds(const match_sprt_t *sprt, double *lower, double *upper)
{
    *lower = log(sprt->beta / (1.0 - sprt->alpha));
    *upper = log((1.0 - sprt->beta) / sprt->alpha);
}

match_sprt_state_t match_sprt_decide(const match_sprt_t *sprt, double llr)
{
    double lower, upper;
    match_sprt_bounds(sprt, &lower, &upper);
    if (llr >= upper)
        return MATCH_SPRT_H1;
    if (llr <= lower)
        return MATCH_SPRT_H0;
    return MATCH_SPRT_CONTINUE;
}

bool match_sprt_parse(const char *text, match_sprt_t *out, char *err, size_t err_cap)
{
    double v[4];
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        char *end;
        v[i] = strtod(p, &end);
        if (end == p || !isfinite(v[i])) {
            snprintf(err, err_cap,
                     "--sprt: expected elo0,elo1,alpha,beta (e.g. 0,10,0.05,0.05), got '%s'", text);
            return false;
        }
        p = end;
        if (i < 3) {
            if (*p != ',') {
                snprintf(err, err_cap,
                         "--sprt: expected 4 numbers separated by commas (elo0,elo1,alpha,beta), "
                         "got '%s'",
                         text);
                return false;
            }
            p++;
        }
    }
    if (*p != '\0') {
        snprintf(err, err_cap, "--sprt: unexpected text after beta: '%s'", p);
        return false;
    }
    if (!(v[0] < v[1])) {
        snprintf(err, err_cap, "--sprt: elo0 (%g) must be smaller than elo1 (%g)", v[0], v[1]);
        return false;
    }
    for (int i = 2; i < 4; i++) {
        if (!(v[i] > 0 && v[i] < 0.5)) {
            snprintf(err, err_cap, "--sprt: %s must be in (0, 0.5), got %g",
                     i == 2 ? "alpha" : "beta", v[i]);
            return false;
        }
    }
    out->elo0 = v[0];
    out->elo1 = v[1];
    out->alpha = v[2];
    out->beta = v[3];
    return true;
}
