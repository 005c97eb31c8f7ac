/*
 * stats.h: match statistics: Elo with its interval, LOS, and the GSPRT.
 *
 * Scores are from engine A's view. The trinomial model counts games (win,
 * draw, loss); the pentanomial model counts game pairs (the same opening with
 * colours swapped) by A's pair score 0, 1/2, 1, 3/2, 2, which removes most of
 * the opening's bias from the variance.
 *
 * Formulas (logistic Elo, normal approximation, as fishtest, cutechess and
 * c-chess-cli derivatives use them):
 *   score s = mean of the outcome x (per game: 1, 1/2, 0; per pair: the pair
 *   score / 2), variance v = sum p_i (x_i - s)^2, n = games or pairs;
 *   Elo(s) = -400 log10(1/s - 1), interval s -+ 1.959964 sqrt(v / n)
 *   (for a sweep, s = 1 or 0, the exact binomial bound 0.025^(1/n) or
 *   1 - 0.025^(1/n) on the score);
 *   LOS = (1 + erf((W - L) / sqrt(2 (W + L)))) / 2;
 *   LLR = n (s1 - s0) (2 s - s0 - s1) / (2 v), s0 = score(elo0), s1 =
 *   score(elo1); H1 is accepted at LLR >= log((1 - beta) / alpha), H0 at
 *   LLR <= log(beta / (1 - alpha)).
 * Pure functions; no state.
 */
#ifndef GOMOKU_MATCH_STATS_H
#define GOMOKU_MATCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Game outcomes for A: [0] wins, [1] draws, [2] losses. */
typedef struct match_trinomial {
    long wdl[3];
} match_trinomial_t;

/* Pair outcomes for A: [k] = pairs in which A scored k/2 points (0..4). */
typedef struct match_pentanomial {
    long pairs[5];
} match_pentanomial_t;

/* An Elo estimate; lo/hi bound the 95% interval. Infinite values (+-INFINITY)
 * mean a score of 0 or 1. valid is false when there is nothing to estimate. */
typedef struct match_elo {
    bool valid;
    double score;
    double elo, lo, hi;
} match_elo_t;

typedef struct match_sprt {
    double elo0, elo1, alpha, beta;
} match_sprt_t;

typedef enum match_sprt_state {
    MATCH_SPRT_CONTINUE = 0,
    MATCH_SPRT_H0, /* H0 (A's Elo gain is elo0) accepted */
    MATCH_SPRT_H1  /* H1 (A's Elo gain is elo1) accepted */
} match_sprt_state_t;

double match_elo_from_score(double score);
double match_score_from_elo(double elo);

match_elo_t match_elo_trinomial(const match_trinomial_t *t);
match_elo_t match_elo_pentanomial(const match_pentanomial_t *p);

/* Likelihood of superiority of A, 0..1; 0.5 when there is no decisive game. */
double match_los(const match_trinomial_t *t);

/* Log-likelihood ratios; 0 while the variance is 0 (no information yet:
 * nothing but one outcome so far). */
double match_llr_trinomial(const match_trinomial_t *t, double elo0, double elo1);
double match_llr_pentanomial(const match_pentanomial_t *p, double elo0, double elo1);

void match_sprt_bounds(const match_sprt_t *sprt, double *lower, double *upper);
match_sprt_state_t match_sprt_decide(const match_sprt_t *sprt, double llr);

/* Parses "elo0,elo1,alpha,beta" (elo0 < elo1, 0 < alpha, beta < 0.5). On an
 * error writes its reason to err and returns false. */
bool match_sprt_parse(const char *text, match_sprt_t *out, char *err, size_t err_cap);

#endif
