/*
 * train_eval: fits the evaluation's shape weights (src/engine/eval.h) to
 * labelled positions, and writes them as C source.
 *
 * Input lines, from label.py: '<label> <rule> <size> x,y x,y ...' where
 * <label> is an evaluation of the position from the side to move's view in
 * the oracle's units, and the stones are in play order, black first.
 *
 * Model (src/engine/eval.h): eval = threat[mask] + sum_k w[TO_MOVE][k] n_us[k]
 * - sum_k w[WAITING][k] n_them[k], where n_us[k] counts the empty cells whose
 * shape for the side to move is k and mask is eval_threat_mask().
 * Loss: cross-entropy between sigmoid(eval / scale) and sigmoid(label /
 * scale), plus a small L2 penalty; full-batch Adam. Positions that the
 * search never evaluates statically (a five to make or to block, or an open
 * four to make) are left out. One position in ten (by line number) is held
 * out to report the fit of the new weights against the engine's current
 * ones. The weights are written in the units of the current evaluation
 * (scaled by the factor that fits the current one best), so that the
 * search's margins, tuned in those units, keep their meaning.
 *
 *   train_eval --out src/engine/eval_weights.c [--scale 200] [--iters 2000]
 *              [--l2 0.0001] [--lr 2] labelled.txt ...
 *
 * Deterministic: the same files and options give the same table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/eval.h"
#include "engine/search.h"

#define THREAT_BASE (2 * EVAL_SHAPES)
#define N_PARAMS    (THREAT_BASE + EVAL_THREAT_MASKS) /* both shape tables, then the threats */

typedef struct sample {
    float target; /* sigmoid(label / scale) */
    int old_eval; /* the current engine's evaluation */
    int first, n; /* feature range in the feature arrays */
    int holdout;
} sample_t;

static sample_t *samples;
static int n_samples, cap_samples;
static uint16_t *feat_idx; /* parameter index */
static int16_t *feat_val;  /* +count for our shapes, -count for theirs */
static long n_feats, cap_feats;

static void push_feature(int idx, int val)
{
    if (n_feats == cap_feats) {
        cap_feats = cap_feats ? cap_feats * 2 : 1 << 20;
        feat_idx = realloc(feat_idx, (size_t)cap_feats * sizeof *feat_idx);
        feat_val = realloc(feat_val, (size_t)cap_feats * sizeof *feat_val);
        if (!feat_idx || !feat_val) {
            fprintf(stderr, "train_eval: out of memory\n");
            exit(1);
        }
    }
    feat_idx[n_feats] = (uint16_t)idx;
    feat_val[n_feats] = (int16_t)val;
    n_feats++;
}

static board_t board;

/* Sets up the position and appends its features; false when it is left out. */
static bool add_position(const char *line, double scale, long line_no)
{
    int label, rule, size, used;
    if (sscanf(line, "%d %d %d%n", &label, &rule, &size, &used) != 3 || rule < 0 ||
        rule >= ENGINE_RULE_COUNT || size < ENGINE_MIN_SIZE || size > ENGINE_MAX_SIZE)
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
    if (board.count[us][THREAT_FIVE] || board.count[them][THREAT_FIVE] ||
        board.count[us][THREAT_FLEX4])
        return false;
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
    if (n_samples == cap_samples) {
        cap_samples = cap_samples ? cap_samples * 2 : 1 << 16;
        samples = realloc(samples, (size_t)cap_samples * sizeof *samples);
        if (!samples) {
            fprintf(stderr, "train_eval: out of memory\n");
            exit(1);
        }
    }
    sample_t *s = &samples[n_samples++];
    s->target = (float)(1.0 / (1.0 + exp(-label / scale)));
    s->old_eval = search_evaluate(&board);
    s->first = (int)n_feats;
    s->holdout = line_no % 10 == 9;
    for (int k = 0; k < EVAL_SHAPES; k++) {
        if (n_us[k])
            push_feature(EVAL_TO_MOVE * EVAL_SHAPES + k, n_us[k]);
        if (n_them[k])
            push_feature(EVAL_WAITING * EVAL_SHAPES + k, -n_them[k]);
    }
    push_feature(THREAT_BASE + eval_threat_mask(board.count[us], board.count[them]), 1);
    s->n = (int)(n_feats - s->first);
    return true;
}

static double predict(const sample_t *s, const double *w)
{
    double e = 0;
    for (int i = s->first; i < s->first + s->n; i++)
        e += w[feat_idx[i]] * feat_val[i];
    return e;
}

static double xent(double target, double eval, double scale)
{
    double p = 1.0 / (1.0 + exp(-eval / scale));
    p = p < 1e-9 ? 1e-9 : p > 1 - 1e-9 ? 1 - 1e-9 : p;
    return -(target * log(p) + (1 - target) * log(1 - p));
}

/* Mean loss over the held-out (holdout = 1) or training samples. */
static double mean_loss(const double *w, int holdout, double scale, bool old)
{
    double sum = 0;
    long n = 0;
    for (int i = 0; i < n_samples; i++) {
        if (samples[i].holdout != holdout)
            continue;
        double e = old ? samples[i].old_eval * w[0] : predict(&samples[i], w);
        sum += xent(samples[i].target, e, scale);
        n++;
    }
    return n ? sum / (double)n : 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: train_eval --out FILE [--scale S] [--iters N] [--l2 X] [--lr X] LABELLED...\n"
            "Fits the evaluation's shape weights to labelled positions ('<eval> <rule>\n"
            "<size> x,y ...') and writes them as C source (src/engine/eval_weights.c).\n");
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    double scale = 200, l2 = 1e-4, lr = 2;
    int iters = 2000;
    int first_file = argc;
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
        const char *v = argv[++i];
        if (!strcmp(argv[i - 1], "--out"))
            out = v;
        else if (!strcmp(argv[i - 1], "--scale"))
            scale = atof(v);
        else if (!strcmp(argv[i - 1], "--iters"))
            iters = atoi(v);
        else if (!strcmp(argv[i - 1], "--l2"))
            l2 = atof(v);
        else if (!strcmp(argv[i - 1], "--lr"))
            lr = atof(v);
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!out || first_file >= argc || scale <= 0 || iters < 1) {
        usage(stderr);
        return 2;
    }
    if (engine_init() != ENGINE_OK)
        return 1;
    long line_no = 0, used = 0;
    static char line[1 << 16];
    for (int f = first_file; f < argc; f++) {
        FILE *in = fopen(argv[f], "r");
        if (!in) {
            perror(argv[f]);
            return 1;
        }
        while (fgets(line, sizeof line, in))
            used += add_position(line, scale, line_no++);
        fclose(in);
    }
    fprintf(stderr, "train_eval: %ld lines, %ld positions used, %ld features\n", line_no, used,
            n_feats);
    if (!n_samples)
        return 1;

    /* The current engine's evaluation, at its best single scale factor. */
    double best_old = 1e9, best_k = 1;
    for (double k = 0.01; k <= 16; k *= 1.05) {
        double w0[1] = {k};
        double l = mean_loss(w0, 0, scale, true);
        if (l < best_old) {
            best_old = l;
            best_k = k;
        }
    }
    double w0[1] = {best_k};
    double old_holdout = mean_loss(w0, 1, scale, true);

    static double w[N_PARAMS], g[N_PARAMS], m1[N_PARAMS], m2[N_PARAMS];
    static int seen[N_PARAMS];
    for (long i = 0; i < n_feats; i++)
        seen[feat_idx[i]]++;
    const double b1 = 0.9, b2 = 0.999;
    int n_train = 0;
    for (int i = 0; i < n_samples; i++)
        n_train += !samples[i].holdout;
    for (int it = 1; it <= iters; it++) {
        memset(g, 0, sizeof g);
        for (int i = 0; i < n_samples; i++) {
            const sample_t *s = &samples[i];
            if (s->holdout)
                continue;
            double p = 1.0 / (1.0 + exp(-predict(s, w) / scale));
            double d = (p - s->target) / scale;
            for (int j = s->first; j < s->first + s->n; j++)
                g[feat_idx[j]] += d * feat_val[j];
        }
        for (int k = 0; k < N_PARAMS; k++) {
            double gk = g[k] / n_train + l2 * w[k] / scale / scale;
            m1[k] = b1 * m1[k] + (1 - b1) * gk;
            m2[k] = b2 * m2[k] + (1 - b2) * gk * gk;
            double mh = m1[k] / (1 - pow(b1, it)), vh = m2[k] / (1 - pow(b2, it));
            w[k] -= lr * mh / (sqrt(vh) + 1e-12);
        }
        if (it % 250 == 0 || it == iters)
            fprintf(stderr, "train_eval: iteration %d: train loss %.5f, held out %.5f\n", it,
                    mean_loss(w, 0, scale, false), mean_loss(w, 1, scale, false));
    }
    double new_train = mean_loss(w, 0, scale, false), new_holdout = mean_loss(w, 1, scale, false);
    fprintf(stderr,
            "train_eval: current weights (x%.2f): train %.5f, held out %.5f; new: train %.5f, "
            "held out %.5f\n",
            best_k, best_old, old_holdout, new_train, new_holdout);

    FILE *o = fopen(out, "w");
    if (!o) {
        perror(out);
        return 1;
    }
    fprintf(o,
            "/*\n * eval_weights.c: generated by bench/evaltrain/train_eval; do not edit.\n"
            " *\n * Command: train_eval --scale %g --iters %d --l2 %g --lr %g <%d file(s)>\n"
            " * Positions: %d used (%d held out) of %ld lines.\n"
            " * Loss (cross-entropy, held out): %.5f, against %.5f for the weights before.\n"
            " * Units: those of the weights before (label units x %.3f).\n"
            " * Provenance and the data's recipe: docs/engine.md, \"Evaluation\".\n */\n",
            scale, iters, l2, lr, argc - first_file, n_samples, n_samples - n_train, line_no,
            new_holdout, old_holdout, 1.0 / best_k);
    /* Back to the current evaluation's units: eval_current ~ label / best_k. */
    double unit = 1.0 / best_k;
    for (int k = 0; k < N_PARAMS; k++)
        w[k] *= unit;
    fprintf(o, "#include \"engine/eval.h\"\n\nconst int eval_scale = %d;\n\n",
            (int)lround(scale * unit));
    fprintf(o, "/* [to move / waiting][shape]; shape patterns are listed in eval.c's order. */\n");
    fprintf(o, "const int16_t eval_weights[2][EVAL_SHAPES] = {\n");
    for (int t = 0; t < 2; t++) {
        fprintf(o, "    {");
        for (int k = 0; k < EVAL_SHAPES; k++) {
            long v = seen[t * EVAL_SHAPES + k] ? lround(w[t * EVAL_SHAPES + k]) : 0;
            v = v > 4000 ? 4000 : v < -4000 ? -4000 : v;
            fprintf(o, "%s%ld,", k % 12 ? " " : "\n        ", v);
        }
        fprintf(o, "\n    },\n");
    }
    fprintf(o, "};\n\n/* [threat mask] */\nconst int16_t eval_threat[EVAL_THREAT_MASKS] = {");
    for (int k = 0; k < EVAL_THREAT_MASKS; k++) {
        long v = seen[THREAT_BASE + k] ? lround(w[THREAT_BASE + k]) : 0;
        v = v > 4000 ? 4000 : v < -4000 ? -4000 : v;
        fprintf(o, "%s%ld,", k % 12 ? " " : "\n    ", v);
    }
    fprintf(o, "\n};\n");
    fclose(o);
    return 0;
}
