/*
 * train_eval: fits the engine's shape tables (src/engine/eval.h) to
 * labelled positions, and writes them as C source (eval_weights.c).
 *
 * Input lines, from label.py: '<label> <move> <rule> <size> x,y x,y ...'
 * where <label> is an evaluation of the position from the side to move's
 * view in the oracle's units, <move> ('x,y') the oracle's choice, and the
 * stones are in play order, black first.
 *
 * Three fits, each trained by full-batch Adam (the linear ones with a small
 * L2 penalty):
 *
 *   evaluation: eval = threat[mask] + sum_k w[TO_MOVE][k] n_us[k]
 *                    - sum_k w[WAITING][k] n_them[k]
 *     where n_us[k] counts the empty cells whose shape for the side to move
 *     is k, and mask is eval_threat_mask(). Loss: cross-entropy between
 *     sigmoid(eval / scale) and sigmoid(label / scale). Positions that the
 *     search never evaluates statically (a five to make or to block, an open
 *     four to make) are left out.
 *
 *   network (net): the evaluation above plus sum_j out[j] max(h_j, 0), with
 *     h_j = bias[j] + the same inputs through their own weights per hidden
 *     unit (eval.h). Fitted after the linear tables, together with them,
 *     from a small deterministic start, by full-batch Adam; the iteration
 *     with the lowest held-out loss is kept (early stopping).
 *
 *   move ordering: a cell's logit is p[TO_MOVE][our shape] + p[WAITING][their
 *     shape] + pair[our class][their class] + near[0][distance bucket to the
 *     last move] + near[1][... to the move before] (eval.h); loss: softmax
 *     cross-entropy of the oracle's move among the empty cells within two of
 *     a stone (the engine's candidates). Positions with a five to make or to
 *     block are left out (the engine does not order there).
 *
 * One position in ten (by line number) is held out to report each fit
 * against the engine's current tables. The evaluation is written in the
 * units of the current one (scaled by the factor that fits the current one
 * best), so that the search's margins keep their meaning; the ordering
 * logits are written x POLICY_UNIT.
 *
 *   train_eval --out src/engine/eval_weights.c [--fit eval,net,policy] [--unit U]
 *              [--scale 200] [--iters 2000] [--l2 0.0001] [--lr 2]
 *              [--net-iters 400] [--net-lr 0.003] LABELLED...
 *
 * --unit fixes the factor from label units to the written evaluation's units
 * instead of fitting it to the current tables (the header of the written
 * file gives the factor used, so a table can be made again exactly).
 *
 * A table that is not fitted is written as the engine has it now.
 * Deterministic: the same files and options give the same tables.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/eval.h"
#include "engine/movegen.h"
#include "engine/search.h"

#define THREAT_BASE (2 * EVAL_SHAPES)
#define N_EVAL      (THREAT_BASE + EVAL_THREAT_MASKS) /* both shape tables, then the threats */
/* Ordering weights: both shape tables, the class pairs, the distance
 * buckets; a candidate has N_PF of them, one of each. */
#define PF_PAIR     (2 * EVAL_SHAPES)
#define PF_NEAR     (PF_PAIR + THREAT_COUNT * THREAT_COUNT)
#define N_POLICY    (PF_NEAR + 2 * EVAL_NEAR_BUCKETS)
#define N_PF        5
#define POLICY_UNIT ((double)EVAL_POLICY_UNIT)

typedef struct sample {
    float target; /* sigmoid(label / scale) */
    int old_eval; /* the current engine's evaluation */
    int first, n; /* range in the feature arrays */
    bool holdout;
} sample_t;

typedef struct choice {
    int first, n; /* range in the candidate arrays */
    int chosen;   /* index of the oracle's move in that range */
    bool holdout;
} choice_t;

/* A growable array of fixed-size items, enough for this tool. */
typedef struct vec {
    void *data;
    long n, cap;
    size_t item;
} vec_t;

static void *vec_push(vec_t *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1 << 16;
        v->data = realloc(v->data, (size_t)v->cap * v->item);
        if (!v->data) {
            fprintf(stderr, "train_eval: out of memory\n");
            exit(1);
        }
    }
    return (char *)v->data + (size_t)v->n++ * v->item;
}

typedef struct feature {
    uint16_t idx; /* parameter index */
    int16_t val;  /* +count for our shapes, -count for theirs, 1 for the threat mask */
} feature_t;

typedef struct candidate {
    uint16_t f[N_PF];  /* ordering feature indices (see add_choice) */
    int32_t old_score; /* the engine's current ordering score */
} candidate_t;

static vec_t samples = {.item = sizeof(sample_t)};
static vec_t features = {.item = sizeof(feature_t)};
static vec_t choices = {.item = sizeof(choice_t)};
static vec_t candidates = {.item = sizeof(candidate_t)};
#define SAMPLE(i)    (((sample_t *)samples.data)[i])
#define FEATURE(i)   (((feature_t *)features.data)[i])
#define CHOICE(i)    (((choice_t *)choices.data)[i])
#define CANDIDATE(i) (((candidate_t *)candidates.data)[i])

static board_t board;

static void add_eval_sample(int label, double scale, bool holdout, int us)
{
    int them = 3 - us, size = board.size;
    static int n_us[EVAL_SHAPES], n_them[EVAL_SHAPES];
    memset(n_us, 0, sizeof n_us);
    memset(n_them, 0, sizeof n_them);
    for (int r = 0; r < size; r++)
        for (int c = 0; c < size; c++) {
            int cell = board_cell(r, c);
            if (board.cell[cell] != CELL_EMPTY)
                continue;
            n_us[eval_shape(board.cidx[cell][us])]++;
            n_them[eval_shape(board.cidx[cell][them])]++;
        }
    sample_t *s = vec_push(&samples);
    s->target = (float)(1.0 / (1.0 + exp(-label / scale)));
    s->old_eval = search_evaluate(&board);
    s->first = (int)features.n;
    s->holdout = holdout;
    for (int k = 0; k < EVAL_SHAPES; k++) {
        if (n_us[k])
            *(feature_t *)vec_push(&features) =
                (feature_t){(uint16_t)(EVAL_TO_MOVE * EVAL_SHAPES + k), (int16_t)n_us[k]};
        if (n_them[k])
            *(feature_t *)vec_push(&features) =
                (feature_t){(uint16_t)(EVAL_WAITING * EVAL_SHAPES + k), (int16_t)-n_them[k]};
    }
    int mask = eval_threat_mask(board.count[us], board.count[them]);
    *(feature_t *)vec_push(&features) = (feature_t){(uint16_t)(THREAT_BASE + mask), 1};
    s->n = (int)(features.n - s->first);
}

/* eval_near_bucket() of cell from the move `back` moves ago (1: the last). */
static int near(int cell, int back)
{
    if (board.n_moves < back)
        return eval_near_bucket(0, 0, 0, 0, false);
    int m = board.moves[board.n_moves - back];
    return eval_near_bucket(board_row(cell), board_col(cell), board_row(m), board_col(m), true);
}

static void add_choice(int move, bool holdout, int us)
{
    int them = 3 - us, size = board.size, first = (int)candidates.n, chosen = -1;
    for (int r = 0; r < size; r++)
        for (int c = 0; c < size; c++) {
            int cell = board_cell(r, c);
            if (!board_is_candidate(&board, cell))
                continue;
            if (cell == move)
                chosen = (int)(candidates.n - first);
            candidate_t *cd = vec_push(&candidates);
            cd->f[0] = (uint16_t)eval_shape(board.cidx[cell][us]);
            cd->f[1] = (uint16_t)(EVAL_SHAPES + eval_shape(board.cidx[cell][them]));
            cd->f[2] =
                (uint16_t)(PF_PAIR + board.cls[cell][us] * THREAT_COUNT + board.cls[cell][them]);
            cd->f[3] = (uint16_t)(PF_NEAR + near(cell, 1));
            cd->f[4] = (uint16_t)(PF_NEAR + EVAL_NEAR_BUCKETS + near(cell, 2));
            cd->old_score = movegen_score(&board, cell);
        }
    if (chosen < 0) { /* the oracle played outside the engine's candidates */
        candidates.n = first;
        return;
    }
    choice_t *ch = vec_push(&choices);
    *ch = (choice_t){first, (int)(candidates.n - first), chosen, holdout};
}

/* Sets up the position and adds its samples; false when the line is bad. */
static bool add_line(const char *line, double scale, long line_no)
{
    int label, mx, my, rule, size, used;
    if (sscanf(line, "%d %d,%d %d %d%n", &label, &mx, &my, &rule, &size, &used) != 5 || rule < 0 ||
        rule >= ENGINE_RULE_COUNT || size < ENGINE_MIN_SIZE || size > ENGINE_MAX_SIZE || mx < 0 ||
        my < 0 || mx >= size || my >= size)
        return false;
    board_reset(&board, size, (engine_rule_t)rule);
    const char *p = line + used;
    int n = 0, x, y;
    while (sscanf(p, " %d,%d%n", &x, &y, &used) == 2) {
        p += used;
        if (x < 0 || y < 0 || x >= size || y >= size || board.cell[board_cell(y, x)] != CELL_EMPTY)
            return false;
        board_put(&board, board_cell(y, x), n % 2 ? CELL_WHITE : CELL_BLACK);
        n++;
    }
    int us = n % 2 ? CELL_WHITE : CELL_BLACK, them = 3 - us;
    board_set_to_move(&board, us);
    if (board.count[us][THREAT_FIVE] || board.count[them][THREAT_FIVE])
        return true;
    bool holdout = line_no % 10 == 9;
    if (board.cell[board_cell(my, mx)] == CELL_EMPTY)
        add_choice(board_cell(my, mx), holdout, us);
    if (!board.count[us][THREAT_FLEX4])
        add_eval_sample(label, scale, holdout, us);
    return true;
}

/* ---- evaluation fit ---- */

static double eval_predict(const sample_t *s, const double *w)
{
    double e = 0;
    for (int i = s->first; i < s->first + s->n; i++)
        e += w[FEATURE(i).idx] * FEATURE(i).val;
    return e;
}

static double xent(double target, double eval, double scale)
{
    double p = 1.0 / (1.0 + exp(-eval / scale));
    p = p < 1e-9 ? 1e-9 : p > 1 - 1e-9 ? 1 - 1e-9 : p;
    return -(target * log(p) + (1 - target) * log(1 - p));
}

/* Mean loss over the held-out or the training samples; with old, of the
 * engine's current evaluation times k. */
static double eval_loss(const double *w, bool holdout, double scale, const double *k)
{
    double sum = 0;
    long n = 0;
    for (long i = 0; i < samples.n; i++) {
        const sample_t *s = &SAMPLE(i);
        if (s->holdout != holdout)
            continue;
        sum += xent(s->target, k ? s->old_eval * *k : eval_predict(s, w), scale);
        n++;
    }
    return n ? sum / (double)n : 0;
}

/* Adam step over parameters w with gradient g (already averaged). */
static void adam(double *w, const double *g, double *m1, double *m2, int n, int it, double lr,
                 double l2, double l2_unit)
{
    const double b1 = 0.9, b2 = 0.999;
    for (int k = 0; k < n; k++) {
        double gk = g[k] + l2 * w[k] / l2_unit;
        m1[k] = b1 * m1[k] + (1 - b1) * gk;
        m2[k] = b2 * m2[k] + (1 - b2) * gk * gk;
        double mh = m1[k] / (1 - pow(b1, it)), vh = m2[k] / (1 - pow(b2, it));
        w[k] -= lr * mh / (sqrt(vh) + 1e-12);
    }
}

/* Fits w; returns the factor that maps label units to the current
 * evaluation's units (or 1 / unit when unit > 0 is given), and the losses. */
static double fit_eval(double *w, double scale, int iters, double l2, double lr, double unit,
                       double loss[4])
{
    double best_k = 1;
    loss[0] = 1e9;
    for (double k = 0.01; k <= 16; k *= 1.05) {
        double l = eval_loss(NULL, false, scale, &k);
        if (l < loss[0]) {
            loss[0] = l;
            best_k = k;
        }
    }
    loss[1] = eval_loss(NULL, true, scale, &best_k);
    if (unit > 0)
        best_k = 1 / unit;
    static double g[N_EVAL], m1[N_EVAL], m2[N_EVAL];
    long n_train = 0;
    for (long i = 0; i < samples.n; i++)
        n_train += !SAMPLE(i).holdout;
    for (int it = 1; it <= iters; it++) {
        memset(g, 0, sizeof g);
        for (long i = 0; i < samples.n; i++) {
            const sample_t *s = &SAMPLE(i);
            if (s->holdout)
                continue;
            double p = 1.0 / (1.0 + exp(-eval_predict(s, w) / scale));
            double d = (p - s->target) / scale / (double)n_train;
            for (int j = s->first; j < s->first + s->n; j++)
                g[FEATURE(j).idx] += d * FEATURE(j).val;
        }
        adam(w, g, m1, m2, N_EVAL, it, lr, l2, scale * scale);
        if (it % 250 == 0 || it == iters)
            fprintf(stderr, "train_eval: eval, iteration %d: train %.5f, held out %.5f\n", it,
                    eval_loss(w, false, scale, NULL), eval_loss(w, true, scale, NULL));
    }
    loss[2] = eval_loss(w, false, scale, NULL);
    loss[3] = eval_loss(w, true, scale, NULL);
    return 1.0 / best_k;
}

/* ---- the evaluation network (eval.h), fitted with the linear tables ---- */

/* Hidden units, label units: h[j] = bias[j] + sum_i W[i][j] x_i over the
 * same sparse inputs as the linear part (x_i = -count for the waiting
 * side's shapes, so the engine's table for them is -W). */
static double net_w[N_EVAL][EVAL_NET_HIDDEN], net_b[EVAL_NET_HIDDEN], net_v[EVAL_NET_HIDDEN];

static double net_predict(const sample_t *s, const double *w, double *h)
{
    double e = 0;
    for (int j = 0; j < EVAL_NET_HIDDEN; j++)
        h[j] = net_b[j];
    for (int i = s->first; i < s->first + s->n; i++) {
        const feature_t *f = &FEATURE(i);
        e += w[f->idx] * f->val;
        for (int j = 0; j < EVAL_NET_HIDDEN; j++)
            h[j] += net_w[f->idx][j] * f->val;
    }
    for (int j = 0; j < EVAL_NET_HIDDEN; j++)
        e += net_v[j] * (h[j] > 0 ? h[j] : 0);
    return e;
}

/* Fits the network and the linear weights w together, from w as the linear
 * fit left it; keeps the iteration with the lowest held-out loss (early
 * stopping). Returns that loss; loss_train gets the training loss. */
static double fit_net(double *w, double scale, int iters, double l2, double lr, double net_lr,
                      double *loss_train)
{
    /* Small deterministic start: the network adds almost nothing at first. */
    uint64_t st = 20261207;
    for (int i = 0; i < N_EVAL; i++)
        for (int j = 0; j < EVAL_NET_HIDDEN; j++) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            net_w[i][j] = ((double)(st >> 11) / 9007199254740992.0 - 0.5) * 0.2;
        }
    for (int j = 0; j < EVAL_NET_HIDDEN; j++) {
        net_b[j] = 0.1;
        net_v[j] = j % 2 ? 1 : -1;
    }
    static double gw[N_EVAL], mw1[N_EVAL], mw2[N_EVAL];
    static double gW[N_EVAL][EVAL_NET_HIDDEN], mW1[N_EVAL][EVAL_NET_HIDDEN],
        mW2[N_EVAL][EVAL_NET_HIDDEN];
    static double best_w[N_EVAL], best_W[N_EVAL][EVAL_NET_HIDDEN];
    double gb[EVAL_NET_HIDDEN], gv[EVAL_NET_HIDDEN],
        mb1[EVAL_NET_HIDDEN] = {0}, mb2[EVAL_NET_HIDDEN] = {0}, mv1[EVAL_NET_HIDDEN] = {0},
        mv2[EVAL_NET_HIDDEN] = {0};
    double best_b[EVAL_NET_HIDDEN], best_v[EVAL_NET_HIDDEN], best = 1e9;
    long n_train = 0;
    for (long i = 0; i < samples.n; i++)
        n_train += !SAMPLE(i).holdout;
    for (int it = 1; it <= iters; it++) {
        memset(gw, 0, sizeof gw);
        memset(gW, 0, sizeof gW);
        memset(gb, 0, sizeof gb);
        memset(gv, 0, sizeof gv);
        double h[EVAL_NET_HIDDEN], dh[EVAL_NET_HIDDEN], train = 0, held = 0;
        long n_held = 0;
        for (long i = 0; i < samples.n; i++) {
            const sample_t *s = &SAMPLE(i);
            double e = net_predict(s, w, h);
            if (s->holdout) {
                held += xent(s->target, e, scale);
                n_held++;
                continue;
            }
            train += xent(s->target, e, scale);
            double d = (1.0 / (1.0 + exp(-e / scale)) - s->target) / scale / (double)n_train;
            for (int j = 0; j < EVAL_NET_HIDDEN; j++) {
                gv[j] += d * (h[j] > 0 ? h[j] : 0);
                dh[j] = h[j] > 0 ? d * net_v[j] : 0;
                gb[j] += dh[j];
            }
            for (int k = s->first; k < s->first + s->n; k++) {
                const feature_t *f = &FEATURE(k);
                gw[f->idx] += d * f->val;
                for (int j = 0; j < EVAL_NET_HIDDEN; j++)
                    gW[f->idx][j] += dh[j] * f->val;
            }
        }
        /* The losses are those of the weights before this step. */
        held = n_held ? held / (double)n_held : 0;
        if (held < best) {
            best = held;
            *loss_train = train / (double)n_train;
            memcpy(best_w, w, sizeof best_w);
            memcpy(best_W, net_w, sizeof best_W);
            memcpy(best_b, net_b, sizeof best_b);
            memcpy(best_v, net_v, sizeof best_v);
        }
        if (it % 50 == 0 || it == iters)
            fprintf(stderr, "train_eval: net, iteration %d: train %.5f, held out %.5f\n", it,
                    train / (double)n_train, held);
        adam(w, gw, mw1, mw2, N_EVAL, it, lr, l2, scale * scale);
        adam(&net_w[0][0], &gW[0][0], &mW1[0][0], &mW2[0][0], N_EVAL * EVAL_NET_HIDDEN, it, net_lr,
             0, 1);
        adam(net_b, gb, mb1, mb2, EVAL_NET_HIDDEN, it, net_lr, 0, 1);
        adam(net_v, gv, mv1, mv2, EVAL_NET_HIDDEN, it, net_lr * 10, 0, 1);
    }
    memcpy(w, best_w, sizeof best_w);
    memcpy(net_w, best_W, sizeof best_W);
    memcpy(net_b, best_b, sizeof best_b);
    memcpy(net_v, best_v, sizeof best_v);
    return best;
}

/* ---- move-ordering fit ---- */

/* A candidate's logit: the sum of its feature weights. */
static double plogit(const double *w, const candidate_t *cd)
{
    double l = 0;
    for (int k = 0; k < N_PF; k++)
        l += w[cd->f[k]];
    return l;
}

/* How well an ordering predicts the oracle's moves: mean softmax
 * cross-entropy, and how often the oracle's move is ranked first, among the
 * first 10 and among the first 20 (the move caps of the search). */
typedef struct policy_stats {
    double loss, first, in10, in20;
} policy_stats_t;

/* Over the held-out or the training choices; with w == NULL, of the
 * engine's current scores (logit = score / unit). */
static policy_stats_t policy_loss(const double *w, bool holdout, double unit)
{
    double sum = 0;
    long n = 0, ranks[3] = {0};
    for (long i = 0; i < choices.n; i++) {
        const choice_t *ch = &CHOICE(i);
        if (ch->holdout != holdout)
            continue;
        const candidate_t *cds = &CANDIDATE(ch->first);
        double mx = -1e300, z = 0;
        double chosen = w ? plogit(w, &cds[ch->chosen]) : cds[ch->chosen].old_score / unit;
        /* Candidates ranked ahead of the oracle's move (a tie counts when
         * listed first, as a stable sort would place it). */
        int rank = 0;
        for (int j = 0; j < ch->n; j++) {
            double l = w ? plogit(w, &cds[j]) : cds[j].old_score / unit;
            mx = l > mx ? l : mx;
            rank += l > chosen || (l == chosen && j < ch->chosen);
        }
        for (int j = 0; j < ch->n; j++)
            z += exp((w ? plogit(w, &cds[j]) : cds[j].old_score / unit) - mx);
        sum += -(chosen - mx - log(z));
        ranks[0] += rank < 1;
        ranks[1] += rank < 10;
        ranks[2] += rank < 20;
        n++;
    }
    double d = n ? (double)n : 1;
    return (policy_stats_t){sum / d, ranks[0] / d, ranks[1] / d, ranks[2] / d};
}

/* Fits w; st gets the current scores' training and held-out stats, then the
 * fitted ones'. */
static void fit_policy(double *w, int iters, double l2, double lr, policy_stats_t st[4])
{
    /* The current scores at their best temperature. */
    double best_unit = 1;
    st[0].loss = 1e9;
    for (double u = 1; u <= 2000; u *= 1.1) {
        policy_stats_t t = policy_loss(NULL, false, u);
        if (t.loss < st[0].loss) {
            st[0] = t;
            best_unit = u;
        }
    }
    st[1] = policy_loss(NULL, true, best_unit);
    static double g[N_POLICY], m1[N_POLICY], m2[N_POLICY], logit[ENGINE_MAX_CELLS];
    long n_train = 0;
    for (long i = 0; i < choices.n; i++)
        n_train += !CHOICE(i).holdout;
    for (int it = 1; it <= iters; it++) {
        memset(g, 0, sizeof g);
        for (long i = 0; i < choices.n; i++) {
            const choice_t *ch = &CHOICE(i);
            if (ch->holdout)
                continue;
            double mx = -1e300, z = 0;
            for (int j = 0; j < ch->n; j++) {
                const candidate_t *cd = &CANDIDATE(ch->first + j);
                logit[j] = plogit(w, cd);
                mx = logit[j] > mx ? logit[j] : mx;
            }
            for (int j = 0; j < ch->n; j++)
                z += exp(logit[j] - mx);
            for (int j = 0; j < ch->n; j++) {
                const candidate_t *cd = &CANDIDATE(ch->first + j);
                double d = (exp(logit[j] - mx) / z - (j == ch->chosen)) / (double)n_train;
                for (int k = 0; k < N_PF; k++)
                    g[cd->f[k]] += d;
            }
        }
        adam(w, g, m1, m2, N_POLICY, it, lr, l2, 1);
        if (it % 250 == 0 || it == iters) {
            policy_stats_t a = policy_loss(w, false, 1), b = policy_loss(w, true, 1);
            fprintf(stderr,
                    "train_eval: policy, iteration %d: train %.4f (top-1 %.3f), held out %.4f "
                    "(top-1 %.3f)\n",
                    it, a.loss, a.first, b.loss, b.first);
        }
    }
    st[2] = policy_loss(w, false, 1);
    st[3] = policy_loss(w, true, 1);
}

/* ---- output ---- */

static long clipped; /* values clamp() had to cut, reported at the end */

static long clamp(double v, long lim)
{
    long x = lround(v);
    clipped += x > lim || x < -lim;
    return x > lim ? lim : x < -lim ? -lim : x;
}

static void write_table(FILE *o, const char *decl, const char *what, const double *w, int n,
                        double unit, long lim, int rows)
{
    fprintf(o, "\n/* %s */\n%s = {\n", what, decl);
    for (int t = 0; t < rows; t++) {
        fprintf(o, rows > 1 ? "    {" : "");
        for (int k = 0; k < n / rows; k++)
            fprintf(o, "%s%ld,", k % 12 ? " " : (rows > 1 ? "\n        " : "\n    "),
                    clamp(w[t * (n / rows) + k] * unit, lim));
        fprintf(o, rows > 1 ? "\n    },\n" : "\n");
    }
    fprintf(o, "};\n");
}

static void usage(FILE *f)
{
    fprintf(f, "usage: train_eval --out FILE [--fit eval,net,policy] [--unit U] [--scale S]\n"
               "                  [--iters N] [--l2 X] [--lr X] [--net-iters N] [--net-lr X]\n"
               "                  LABELLED...\n"
               "Fits the engine's evaluation shape tables, its evaluation network (net,\n"
               "together with the tables, after them) and its move-ordering tables to\n"
               "labelled positions ('<eval> <move> <rule> <size> x,y ...', from label.py)\n"
               "and writes them as C source (src/engine/eval_weights.c). A table not\n"
               "fitted is written as the engine has it now.\n");
}

int main(int argc, char **argv)
{
    const char *out = NULL, *fit = "eval,policy";
    double scale = 200, l2 = 1e-4, lr = 2, fixed_unit = 0, net_lr = 0.003;
    int iters = 2000, net_iters = 400, first_file = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        if (argv[i][0] != '-') {
            first_file = i;
            break;
        }
        if (i + 1 >= argc) {
            usage(stderr);
            return 2;
        }
        const char *k = argv[i], *v = argv[++i];
        if (!strcmp(k, "--out"))
            out = v;
        else if (!strcmp(k, "--fit"))
            fit = v;
        else if (!strcmp(k, "--unit"))
            fixed_unit = atof(v);
        else if (!strcmp(k, "--scale"))
            scale = atof(v);
        else if (!strcmp(k, "--iters"))
            iters = atoi(v);
        else if (!strcmp(k, "--l2"))
            l2 = atof(v);
        else if (!strcmp(k, "--lr"))
            lr = atof(v);
        else if (!strcmp(k, "--net-iters"))
            net_iters = atoi(v);
        else if (!strcmp(k, "--net-lr"))
            net_lr = atof(v);
        else {
            usage(stderr);
            return 2;
        }
    }
    bool fit_e = strstr(fit, "eval") != NULL, fit_p = strstr(fit, "policy") != NULL,
         fit_n = strstr(fit, "net") != NULL;
    if (!out || first_file >= argc || scale <= 0 || iters < 1 || net_iters < 1 ||
        (!fit_e && !fit_p) || (fit_n && !fit_e)) {
        usage(stderr);
        return 2;
    }
    if (engine_init() != ENGINE_OK)
        return 1;
    long line_no = 0, bad = 0;
    static char line[1 << 16];
    for (int f = first_file; f < argc; f++) {
        FILE *in = fopen(argv[f], "r");
        if (!in) {
            perror(argv[f]);
            return 1;
        }
        while (fgets(line, sizeof line, in))
            bad += !add_line(line, scale, line_no++);
        fclose(in);
    }
    fprintf(stderr,
            "train_eval: %ld lines (%ld malformed), %ld evaluation samples, %ld move choices\n",
            line_no, bad, samples.n, choices.n);
    if (!samples.n || !choices.n)
        return 1;

    static double we[N_EVAL], wp[N_POLICY];
    double el[4] = {0}, unit = 1;
    policy_stats_t ps[4] = {{0}};
    double nl[2] = {0};
    if (fit_e)
        unit = fit_eval(we, scale, iters, l2, lr, fixed_unit, el);
    if (fit_n)
        nl[1] = fit_net(we, scale, net_iters, l2, lr, net_lr, &nl[0]);
    if (fit_p)
        fit_policy(wp, iters, l2, lr / 20, ps);
    if (fit_e)
        fprintf(stderr,
                "train_eval: evaluation loss, held out: %.5f (current tables: %.5f); train %.5f "
                "(%.5f)\n",
                el[3], el[1], el[2], el[0]);
    if (fit_n)
        fprintf(stderr, "train_eval: with the network, held out: %.5f; train %.5f\n", nl[1], nl[0]);
    if (fit_p)
        fprintf(stderr,
                "train_eval: ordering, held out: loss %.4f, oracle's move first %.3f, in the "
                "first 10 %.3f, 20 %.3f\n"
                "train_eval: (current tables: %.4f, %.3f, %.3f, %.3f)\n",
                ps[3].loss, ps[3].first, ps[3].in10, ps[3].in20, ps[1].loss, ps[1].first,
                ps[1].in10, ps[1].in20);

    /* Tables not fitted: as the engine has them now. */
    if (!fit_e) {
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < EVAL_SHAPES; k++)
                we[t * EVAL_SHAPES + k] = eval_weights[t][k];
        for (int k = 0; k < EVAL_THREAT_MASKS; k++)
            we[THREAT_BASE + k] = eval_threat[k];
    }
    /* The network in label units (the engine's is in evaluation units). */
    if (!fit_n) {
        double eu = fit_e ? 1 / unit : 1;
        for (int j = 0; j < EVAL_NET_HIDDEN; j++) {
            for (int k = 0; k < EVAL_SHAPES; k++) {
                net_w[k][j] = eval_net_shape[k][EVAL_TO_MOVE * EVAL_NET_HIDDEN + j] /
                              (double)EVAL_NET_IN_UNIT;
                net_w[EVAL_SHAPES + k][j] = -eval_net_shape[k][EVAL_WAITING * EVAL_NET_HIDDEN + j] /
                                            (double)EVAL_NET_IN_UNIT;
            }
            for (int k = 0; k < EVAL_THREAT_MASKS; k++)
                net_w[THREAT_BASE + k][j] = eval_net_mask[k][j] / (double)EVAL_NET_IN_UNIT;
            net_b[j] = eval_net_bias[j] / (double)EVAL_NET_IN_UNIT;
            net_v[j] = eval_net_out[j] / (double)EVAL_NET_OUT_UNIT * eu;
        }
    }
    if (!fit_p) {
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < EVAL_SHAPES; k++)
                wp[t * EVAL_SHAPES + k] = eval_policy[t][k];
        for (int k = 0; k < THREAT_COUNT * THREAT_COUNT; k++)
            wp[PF_PAIR + k] = eval_policy_pair[k / THREAT_COUNT][k % THREAT_COUNT];
        for (int k = 0; k < 2 * EVAL_NEAR_BUCKETS; k++)
            wp[PF_NEAR + k] = eval_policy_near[k / EVAL_NEAR_BUCKETS][k % EVAL_NEAR_BUCKETS];
    }

    FILE *o = fopen(out, "w");
    if (!o) {
        perror(out);
        return 1;
    }
    fprintf(o,
            "/*\n * eval_weights.c: generated by bench/evaltrain/train_eval; do not edit.\n *\n");
    fprintf(o, " * Command: train_eval --fit %s --scale %g --iters %d --l2 %g --lr %g", fit, scale,
            iters, l2, lr);
    if (fixed_unit > 0)
        fprintf(o, "\n *          --unit %.17g", fixed_unit);
    fprintf(o, "\n");
    fprintf(o, " *          (%d file(s), %ld lines)\n", argc - first_file, line_no);
    if (fit_e)
        fprintf(o,
                " * Evaluation: %ld positions; held-out cross-entropy %.5f (tables before:\n"
                " * %.5f); written in evaluation units = label units x %.17g.\n",
                samples.n, el[3], el[1], unit);
    if (!fit_e)
        fprintf(o, " * Evaluation and network: not fitted by this command, as they were.\n");
    if (fit_n)
        fprintf(o,
                " * Network: %d hidden units, %d iterations at rate %g; held-out\n"
                " * cross-entropy with it %.5f (train %.5f).\n",
                EVAL_NET_HIDDEN, net_iters, net_lr, nl[1], nl[0]);
    if (fit_p)
        fprintf(o,
                " * Ordering: %ld positions; held-out cross-entropy %.4f, oracle's move first\n"
                " * %.1f%%, in the first 10 %.1f%%, 20 %.1f%% (tables before: %.4f, %.1f%%,\n"
                " * %.1f%%, %.1f%%); logits x %g.\n",
                choices.n, ps[3].loss, 100 * ps[3].first, 100 * ps[3].in10, 100 * ps[3].in20,
                ps[1].loss, 100 * ps[1].first, 100 * ps[1].in10, 100 * ps[1].in20, POLICY_UNIT);
    fprintf(o, " * Provenance and the data's recipe: docs/engine.md, \"Evaluation\".\n */\n");
    fprintf(o, "#include \"engine/eval.h\"\n\n");
    fprintf(o, "_Static_assert(EVAL_NET_HIDDEN == %d, ", EVAL_NET_HIDDEN);
    fprintf(o, "\"these tables are for %d hidden units\");\n\n", EVAL_NET_HIDDEN);
    fprintf(o, "/* clang-format off */\nconst int eval_scale = %ld;\n",
            fit_e ? lround(scale * unit) : (long)eval_scale);
    double eu = fit_e ? unit : 1, pu = fit_p ? POLICY_UNIT : 1;
    write_table(o, "const int16_t eval_weights[2][EVAL_SHAPES]",
                "[to move / waiting][shape]; shape patterns are listed in eval.c's order.", we,
                2 * EVAL_SHAPES, eu, 4000, 2);
    write_table(o, "const int16_t eval_threat[EVAL_THREAT_MASKS]", "[threat mask]",
                we + THREAT_BASE, EVAL_THREAT_MASKS, eu, 4000, 1);
    write_table(o, "const int16_t eval_policy[2][EVAL_SHAPES]",
                "Move-ordering scores, [to move (attack) / waiting (defence)][shape].", wp,
                2 * EVAL_SHAPES, pu, 9000, 2);
    write_table(o, "const int16_t eval_policy_pair[THREAT_COUNT][THREAT_COUNT]",
                "Move-ordering scores, [our class][their class] at the cell.", wp + PF_PAIR,
                THREAT_COUNT * THREAT_COUNT, pu, 9000, THREAT_COUNT);
    write_table(o, "const int16_t eval_policy_near[2][EVAL_NEAR_BUCKETS]",
                "Move-ordering scores, [last move / the move before][distance bucket].",
                wp + PF_NEAR, 2 * EVAL_NEAR_BUCKETS, pu, 9000, 2);
    static double shape_in[2 * EVAL_SHAPES * EVAL_NET_HIDDEN],
        mask_in[EVAL_THREAT_MASKS * EVAL_NET_HIDDEN], out_w[EVAL_NET_HIDDEN];
    for (int j = 0; j < EVAL_NET_HIDDEN; j++) {
        for (int k = 0; k < EVAL_SHAPES; k++) {
            shape_in[(2 * k + EVAL_TO_MOVE) * EVAL_NET_HIDDEN + j] = net_w[k][j];
            shape_in[(2 * k + EVAL_WAITING) * EVAL_NET_HIDDEN + j] = -net_w[EVAL_SHAPES + k][j];
        }
        for (int k = 0; k < EVAL_THREAT_MASKS; k++)
            mask_in[k * EVAL_NET_HIDDEN + j] = net_w[THREAT_BASE + k][j];
        out_w[j] = net_v[j] * eu * EVAL_NET_OUT_UNIT;
    }
    write_table(o, "const int16_t eval_net_shape[EVAL_SHAPES][2 * EVAL_NET_HIDDEN]",
                "Network inputs x EVAL_NET_IN_UNIT, [shape][to move / waiting, unit].", shape_in,
                2 * EVAL_SHAPES * EVAL_NET_HIDDEN, EVAL_NET_IN_UNIT, 32767, EVAL_SHAPES);
    write_table(o, "const int16_t eval_net_mask[EVAL_THREAT_MASKS][EVAL_NET_HIDDEN]",
                "Network inputs x EVAL_NET_IN_UNIT, [threat mask][unit].", mask_in,
                EVAL_THREAT_MASKS * EVAL_NET_HIDDEN, EVAL_NET_IN_UNIT, 32767, EVAL_THREAT_MASKS);
    write_table(o, "const int32_t eval_net_bias[EVAL_NET_HIDDEN]",
                "Hidden biases x EVAL_NET_IN_UNIT.", net_b, EVAL_NET_HIDDEN, EVAL_NET_IN_UNIT,
                1L << 30, 1);
    write_table(o, "const int32_t eval_net_out[EVAL_NET_HIDDEN]",
                "Output weights, evaluation units x EVAL_NET_OUT_UNIT.", out_w, EVAL_NET_HIDDEN, 1,
                1L << 30, 1);
    fprintf(o, "/* clang-format on */\n");
    fclose(o);
    if (clipped)
        fprintf(stderr, "train_eval: warning: %ld values were out of range and clipped\n", clipped);
    return 0;
}
