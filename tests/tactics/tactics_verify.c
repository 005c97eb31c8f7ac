/*
 * tactics_verify.c: proves the answers of the tactical suite with the
 * solver in solver.c, without the engine.
 *
 * usage: tactics_verify [--compute] [-v] [--selftest N] DIR|FILE...
 *
 * For every position file it recomputes, from the board alone, what the
 * answer set must be for the file's kind and compares it with the file
 * (exit status 1 on any difference). --compute prints the computed answer
 * lines instead, for writing new files; --selftest N first checks the
 * solver's threat detection against a naive scan on N random boards. What
 * each kind means and exactly
 * what is proved is in docs/tactics.md; in short (M = side to move,
 * P = the other side, "VCF" bounded by VCF_MAX attacker moves):
 *   win     answers = the cells where M makes five (rule-aware: under the
 *           standard rule a six is no five).
 *   block   M has no five; P has exactly one five cell; answers = {it}.
 *   vcf     nobody has a five cell; M's shortest VCF has `length` moves;
 *           answers = every first move that starts a VCF.
 *   vct     as vcf, but M has no VCF at all, the shortest VCT (threes
 *           answered by every possible defence) has `length` moves and
 *           answers = every first move that wins by VCT within length +
 *           VCT_SLACK moves.
 *   defend  nobody has a five cell, M has no VCF, P (if to move) has one;
 *           answers = the moves of M after which P has no VCF. Every other
 *           move is proved to lose.
 *   three   defend where P's threat is an open three (P has a straight
 *           four to make).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver.h"
#include "tactics_file.h"

/* Bounds of the exhaustive searches, in attacker moves (five included).
 * The suite's VCFs are at most 15 long; 25 leaves room for alternative,
 * longer VCFs, which count as answers too. */
#define VCF_MAX   25
#define VCT_MAX   9
#define VCT_SLACK 2

typedef struct counts {
    int n, failed;
} counts_t;

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static void print_cells(FILE *f, const int *cells, int n, int size)
{
    int sorted[TS_MAX_CELLS];
    memcpy(sorted, cells, (size_t)n * sizeof(int));
    qsort(sorted, (size_t)n, sizeof(int), cmp_int);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%d,%d", i ? " " : "", sorted[i] % size, sorted[i] / size);
}

static bool same_set(const tactic_t *t, const int *cells, int n)
{
    if (n != t->n_answers)
        return false;
    for (int i = 0; i < n; i++)
        if (!tactic_accepts(t, cells[i]))
            return false;
    return true;
}

/* Is there already a winning line on the board? */
static bool has_five(const ts_board_t *b)
{
    static const int dirs[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
    int n = b->size;
    for (int i = 0; i < n * n; i++) {
        int color = b->cell[i];
        if (!color)
            continue;
        for (int d = 0; d < 4; d++) {
            int r = i / n, c = i % n, len = 0;
            /* count the run only from its first stone */
            int pr = r - dirs[d][0], pc = c - dirs[d][1];
            if (pr >= 0 && pr < n && pc >= 0 && pc < n && b->cell[pr * n + pc] == color)
                continue;
            while (r >= 0 && r < n && c >= 0 && c < n && b->cell[r * n + c] == color) {
                len++;
                r += dirs[d][0];
                c += dirs[d][1];
            }
            if (b->rule == TS_STANDARD ? len == 5 : len >= 5)
                return true;
        }
    }
    return false;
}

/* Moves of `mover` after which `other` has no VCF: the non-losing set. */
static int safe_moves(ts_solver_t *s, ts_board_t *b, int mover, int *out)
{
    int n = 0;
    for (int m = 0; m < b->size * b->size; m++) {
        if (b->cell[m])
            continue;
        ts_place(b, m, mover);
        if (!ts_vcf(s, b, 3 - mover, VCF_MAX))
            out[n++] = m;
        ts_remove(b, m);
    }
    return n;
}

/* Checks one position; returns true if the file is right. Writes the
 * reason of a failure, or the computed answer line with --compute. */
static bool verify(ts_solver_t *s, const tactic_t *t, bool compute, char *why, size_t cap)
{
    ts_board_t b;
    ts_board_init(&b, t->size, t->rule);
    int nb = 0, nw = 0;
    for (int i = 0; i < t->size * t->size; i++) {
        if (t->cell[i])
            ts_place(&b, i, t->cell[i]);
        nb += t->cell[i] == TS_BLACK;
        nw += t->cell[i] == TS_WHITE;
    }
    int me = t->to_move, opp = 3 - me;
    if (!(me == TS_BLACK ? nb == nw : nb == nw + 1)) {
        snprintf(why, cap, "stone counts (X %d, O %d) do not fit the side to move", nb, nw);
        return false;
    }
    if (has_five(&b)) {
        snprintf(why, cap, "the game is already over (a five on the board)");
        return false;
    }

    int want[TS_MAX_CELLS], n_want = 0, length = t->length;
    int my5[TS_MAX_CELLS], op5[TS_MAX_CELLS];
    int n_my5 = ts_five_cells(&b, me, my5), n_op5 = ts_five_cells(&b, opp, op5);
    const char *k = t->kind;

    if (!strcmp(k, "win")) {
        memcpy(want, my5, sizeof(int) * (size_t)n_my5);
        n_want = n_my5;
        length = 1;
    } else if (n_my5) {
        snprintf(why, cap, "side to move has a five (kind should be win)");
        return false;
    } else if (!strcmp(k, "block")) {
        if (n_op5 != 1) {
            snprintf(why, cap, "opponent has %d five cells, want exactly 1", n_op5);
            return false;
        }
        want[n_want++] = op5[0];
        length = 0;
    } else if (n_op5) {
        snprintf(why, cap, "opponent threatens five (kind should be block)");
        return false;
    } else if (!strcmp(k, "vcf")) {
        length = ts_vcf_length(s, &b, me, VCF_MAX);
        if (!length) {
            snprintf(why, cap, "no VCF within %d moves", VCF_MAX);
            return false;
        }
        for (int m = 0; m < t->size * t->size; m++)
            if (!b.cell[m] && ts_wins_after(s, &b, me, m, VCF_MAX, false))
                want[n_want++] = m;
    } else if (!strcmp(k, "vct")) {
        int vcf = ts_vcf_length(s, &b, me, VCF_MAX);
        if (vcf) {
            snprintf(why, cap, "side to move has a VCF of %d (kind should be vcf)", vcf);
            return false;
        }
        length = ts_vct_length(s, &b, me, VCT_MAX);
        if (!length) {
            snprintf(why, cap, "no VCT within %d moves", VCT_MAX);
            return false;
        }
        for (int m = 0; m < t->size * t->size; m++)
            if (!b.cell[m] && ts_wins_after(s, &b, me, m, length + VCT_SLACK, true))
                want[n_want++] = m;
    } else if (!strcmp(k, "defend") || !strcmp(k, "three")) {
        int vcf = ts_vcf_length(s, &b, me, VCF_MAX);
        if (vcf) {
            snprintf(why, cap, "side to move has a VCF of %d (kind should be vcf)", vcf);
            return false;
        }
        length = ts_vcf_length(s, &b, opp, VCF_MAX);
        if (!length) {
            snprintf(why, cap, "the opponent threatens no VCF: nothing to defend");
            return false;
        }
        if (!strcmp(k, "three")) {
            int moves[TS_MAX_CELLS], fives[TS_MAX_CELLS], straight = 0;
            int n = ts_four_moves(&b, opp, moves, fives);
            for (int i = 0; i < n; i++)
                straight += fives[i] >= 2;
            if (!straight || length != 2) {
                snprintf(why, cap, "the opponent's threat is not an open three");
                return false;
            }
        }
        n_want = safe_moves(s, &b, me, want);
        if (!n_want) {
            snprintf(why, cap, "every move loses to a VCF: no answer exists");
            return false;
        }
    } else {
        snprintf(why, cap, "unknown kind \"%s\"", k);
        return false;
    }

    if (compute) {
        printf("%s: length: %d\n%s: answers: ", t->name, length, t->name);
        print_cells(stdout, want, n_want, t->size);
        printf("\n");
    }
    if (!n_want) {
        snprintf(why, cap, "no move qualifies");
        return false;
    }
    if (!same_set(t, want, n_want)) {
        int n = snprintf(why, cap, "answers differ; proved set: ");
        char tmp[2048] = "";
        FILE *mem = fmemopen(tmp, sizeof(tmp), "w");
        if (mem) {
            print_cells(mem, want, n_want, t->size);
            fclose(mem);
        }
        snprintf(why + n, cap - (size_t)n, "%s", tmp);
        return false;
    }
    if (t->length && t->length != length) {
        snprintf(why, cap, "length is %d, file says %d", length, t->length);
        return false;
    }
    return true;
}

/*
 * Differential self-test (the solver against a trivially correct model):
 * on random boards, the four moves and their five-cell counts found through
 * window scans must equal those of the naive method (try every empty cell,
 * count five cells over the whole board). Returns the number of mismatches.
 */
static int selftest(int rounds)
{
    uint64_t x = 0x2545F4914F6CDD1Dull;
    int bad = 0;
    for (int round = 0; round < rounds; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int size = 5 + (int)(x % 15), rule = (int)((x >> 8) & 1), fill = 15 + (int)((x >> 9) % 40);
        ts_board_t b;
        ts_board_init(&b, size, rule);
        for (int i = 0; i < size * size; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if ((int)(x % 100) < fill)
                ts_place(&b, i, 1 + (int)((x >> 20) & 1));
        }
        for (int color = 1; color <= 2; color++) {
            int cells[TS_MAX_CELLS], moves[TS_MAX_CELLS], fives[TS_MAX_CELLS];
            if (ts_five_cells(&b, color, cells))
                continue; /* outside the precondition */
            int n = ts_four_moves(&b, color, moves, fives), found = 0;
            for (int m = 0; m < size * size; m++) {
                if (b.cell[m])
                    continue;
                ts_place(&b, m, color);
                int k = ts_five_cells(&b, color, cells);
                ts_remove(&b, m);
                if (!k)
                    continue;
                found++;
                int j = 0;
                while (j < n && moves[j] != m)
                    j++;
                if (j == n || fives[j] != k) {
                    if (bad++ < 5)
                        printf("selftest: round %d size %d rule %d color %d move %d: naive %d "
                               "five cells, solver %d\n",
                               round, size, rule, color, m, k, j == n ? 0 : fives[j]);
                }
            }
            if (found != n && bad++ < 5)
                printf("selftest: round %d: naive %d four moves, solver %d\n", round, found, n);
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    bool compute = false, verbose = false;
    int selftest_rounds = 0;
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "--compute"))
            compute = true;
        else if (!strcmp(argv[first], "-v"))
            verbose = true;
        else if (!strcmp(argv[first], "--selftest") && first + 1 < argc)
            selftest_rounds = atoi(argv[++first]);
        else {
            fprintf(stderr, "usage: %s [--compute] [-v] [--selftest N] DIR|FILE...\n", argv[0]);
            return 2;
        }
    }
    if (selftest_rounds) {
        int bad = selftest(selftest_rounds);
        printf("tactics_verify: selftest %d boards, %d mismatches\n", selftest_rounds, bad);
        if (bad)
            return 1;
    }
    if (first == argc)
        return 0;
    ts_solver_t *s = ts_solver_create(22);
    if (!s) {
        fprintf(stderr, "tactics_verify: out of memory\n");
        return 1;
    }
    static const char *const kinds[] = {"win", "block", "three", "defend", "vcf", "vct"};
    counts_t by_kind[6] = {{0}}, by_rule[2] = {{0}};
    int n_total = 0, n_failed = 0, n_15 = 0, n_19 = 0, n_other = 0, n_overline = 0;
    for (int a = first; a < argc; a++) {
        char **paths;
        int n = tactic_list(argv[a], &paths);
        if (!n) { /* not a directory: a single file */
            paths = malloc(sizeof(*paths));
            paths[0] = strdup(argv[a]);
            n = 1;
        }
        for (int i = 0; i < n; i++) {
            tactic_t t;
            char why[2600];
            bool ok = tactic_load(paths[i], &t, why, sizeof(why));
            uint64_t nodes = ts_solver_nodes(s);
            if (ok)
                ok = verify(s, &t, compute, why, sizeof(why));
            n_total++;
            n_failed += !ok;
            for (int k = 0; k < 6; k++) {
                if (!strcmp(t.kind, kinds[k])) {
                    by_kind[k].n++;
                    by_kind[k].failed += !ok;
                }
            }
            by_rule[t.rule & 1].n++;
            by_rule[t.rule & 1].failed += !ok;
            n_15 += t.size == 15;
            n_19 += t.size == 19;
            n_other += t.size != 15 && t.size != 19;
            n_overline += tactic_has_tag(&t, "overline");
            if (!ok)
                printf("FAIL %s: %s\n", t.name, why);
            else if (verbose)
                printf("ok   %s (%s, %llu solver nodes)\n", t.name, t.kind,
                       (unsigned long long)(ts_solver_nodes(s) - nodes));
        }
        tactic_free_list(paths, n);
    }
    printf("tactics_verify: %d positions, %d failed\n", n_total, n_failed);
    for (int k = 0; k < 6; k++)
        printf("  %-7s %3d%s\n", kinds[k], by_kind[k].n, by_kind[k].failed ? " (failures)" : "");
    printf("  freestyle %d, standard %d; 15x15 %d, 19x19 %d, other sizes %d; overline-tagged %d\n",
           by_rule[0].n, by_rule[1].n, n_15, n_19, n_other, n_overline);
    ts_solver_destroy(s);
    return n_failed ? 1 : 0;
}
