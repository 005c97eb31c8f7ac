/*
 * tactics_gen.c: proposes tactical positions for the suite (authoring tool;
 * the tests never run it).
 *
 * usage: tactics_gen --size N --rule freestyle|standard --kind vcf|defend|three|vct|block
 *                    [--seed S] [--games G] [--min L] [--max L] [--count C]
 *                    [--edge E]   (at most E stones on the board's edge; default 1)
 *        tactics_gen --extend FILE [STEPS]   (see extend())
 *
 * Plays semi-random games (each side takes a five, else blocks a five, else
 * picks among the best-looking local moves with some noise) and, at every
 * position of every game, asks the solver whether it is an instance of the
 * requested kind. Matches are printed in the suite's file format with the
 * solver's answers; a person then picks, names and comments them, and
 * tactics_verify proves them again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver.h"
#include "tactics_file.h"

#define VCF_MAX 25

static uint64_t rng_state;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static const int DIRS[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

/* A crude shape score of cell for color: longer own runs with open ends. */
static int shape(const ts_board_t *b, int cell, int color)
{
    int n = b->size, r = cell / n, c = cell % n, score = 0;
    for (int d = 0; d < 4; d++) {
        int len = 1, open = 0;
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            int rr = r + sgn * DIRS[d][0], cc = c + sgn * DIRS[d][1];
            while (rr >= 0 && rr < n && cc >= 0 && cc < n && b->cell[rr * n + cc] == color) {
                len++;
                rr += sgn * DIRS[d][0];
                cc += sgn * DIRS[d][1];
            }
            if (rr >= 0 && rr < n && cc >= 0 && cc < n && b->cell[rr * n + cc] == TS_EMPTY)
                open++;
        }
        int v = len >= 5 ? 100000 : len * len * len * (open + 1);
        score += open == 0 && len < 5 ? 0 : v;
    }
    return score;
}

static bool near_stone(const ts_board_t *b, int cell)
{
    int n = b->size, r = cell / n, c = cell % n;
    for (int dr = -2; dr <= 2; dr++)
        for (int dc = -2; dc <= 2; dc++) {
            int rr = r + dr, cc = c + dc;
            if (rr >= 0 && rr < n && cc >= 0 && cc < n && b->cell[rr * n + cc])
                return true;
        }
    return false;
}

static int pick_move(const ts_board_t *b, int me)
{
    int cells[TS_MAX_CELLS];
    if (ts_five_cells(b, me, cells))
        return cells[0];
    if (ts_five_cells(b, 3 - me, cells))
        return cells[0];
    int best[8], best_s[8], nb = 0;
    for (int i = 0; i < b->size * b->size; i++) {
        if (b->cell[i] || !near_stone(b, i))
            continue;
        /* The pull to the centre keeps games off the edges, as in real play. */
        int dr = i / b->size - b->size / 2, dc = i % b->size - b->size / 2;
        int s = shape(b, i, me) + shape(b, i, 3 - me) * 4 / 5 + (int)(rng() % 80) -
                3 * (dr * dr + dc * dc);
        int j = nb < 8 ? nb++ : 7;
        if (j == 7 && nb == 8 && s <= best_s[7])
            continue;
        best[j] = i;
        best_s[j] = s;
        for (; j > 0 && best_s[j] > best_s[j - 1]; j--) {
            int t = best[j], ts = best_s[j];
            best[j] = best[j - 1];
            best_s[j] = best_s[j - 1];
            best[j - 1] = t;
            best_s[j - 1] = ts;
        }
    }
    if (!nb)
        return -1;
    return best[rng() % (uint32_t)(nb < 4 ? nb : 4)];
}

static void print_position(const ts_board_t *b, int me, const char *kind, int length,
                           const int *ans, int n_ans, const char *extra)
{
    printf("----\nsize: %d\nrule: %s\nto-move: %c\nkind: %s\n", b->size,
           b->rule ? "standard" : "freestyle", me == TS_BLACK ? 'X' : 'O', kind);
    if (length)
        printf("length: %d\n", length);
    printf("answers:");
    for (int i = 0; i < n_ans; i++)
        printf(" %d,%d", ans[i] % b->size, ans[i] / b->size);
    printf("\ncomment: %s\nboard:\n", extra);
    for (int r = 0; r < b->size; r++) {
        for (int c = 0; c < b->size; c++)
            printf("%s%c", c ? " " : "", ".XO"[b->cell[r * b->size + c]]);
        printf("\n");
    }
    fflush(stdout);
}

/*
 * --extend FILE: grows a VCF backwards. If the attacker's stone a and the
 * defender's stone d are taken off a position with a VCF of length L, and
 * on the smaller board a is a four whose only five cell is d, then the
 * smaller board has a VCF of at most L + 1 (play a, d is forced, then the
 * old VCF). It is printed when its shortest VCF is exactly L + 1; repeated,
 * this reaches lengths random games seldom produce.
 */
static int extend(const char *path, int steps)
{
    tactic_t t;
    char err[512];
    if (!tactic_load(path, &t, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ts_solver_t *s = ts_solver_create(22);
    ts_board_t b;
    ts_board_init(&b, t.size, t.rule);
    for (int i = 0; i < t.size * t.size; i++)
        if (t.cell[i])
            ts_place(&b, i, t.cell[i]);
    int att = t.to_move, def = 3 - att, n = t.size * t.size;
    int len = ts_vcf_length(s, &b, att, VCF_MAX);
    for (int step = 0; step < steps && len; step++) {
        bool grown = false;
        for (int a = 0; a < n && !grown; a++) {
            if (b.cell[a] != att)
                continue;
            for (int d = 0; d < n && !grown; d++) {
                int fives[TS_MAX_CELLS], ans[TS_MAX_CELLS], n_ans = 0;
                if (b.cell[d] != def)
                    continue;
                ts_remove(&b, a);
                ts_remove(&b, d);
                bool ok = ts_five_cells(&b, att, fives) == 0 && ts_five_cells(&b, def, fives) == 0;
                if (ok) {
                    ts_place(&b, a, att);
                    ok = ts_five_cells(&b, att, fives) == 1 && fives[0] == d;
                    ts_remove(&b, a);
                }
                if (ok && ts_vcf_length(s, &b, att, VCF_MAX) == len + 1) {
                    len++;
                    grown = true;
                    for (int m = 0; m < n; m++)
                        if (!b.cell[m] && ts_wins_after(s, &b, att, m, VCF_MAX, false))
                            ans[n_ans++] = m;
                    int vct = ts_vct_length(s, &b, att, 5);
                    char note[256];
                    snprintf(note, sizeof(note), "extended from %s; faster VCT: %d", t.name, vct);
                    print_position(&b, att, "vcf", len, ans, n_ans, note);
                } else {
                    ts_place(&b, a, att);
                    ts_place(&b, d, def);
                }
            }
        }
        if (!grown)
            fprintf(stderr, "tactics_gen: no extension found at length %d\n", len);
    }
    ts_solver_destroy(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "--extend"))
        return extend(argv[2], argc >= 4 ? atoi(argv[3]) : 2);
    int size = 15, rule = 0, games = 200, lo = 3, hi = 15, count = 5, max_edge = 1;
    const char *kind = "vcf";
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--size"))
            size = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--rule"))
            rule = !strcmp(argv[i + 1], "standard");
        else if (!strcmp(argv[i], "--kind"))
            kind = argv[i + 1];
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--games"))
            games = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--min"))
            lo = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--max"))
            hi = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--edge"))
            max_edge = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--count"))
            count = atoi(argv[i + 1]);
    }
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    ts_solver_t *s = ts_solver_create(22);
    int found = 0;
    for (int g = 0; g < games && found < count; g++) {
        ts_board_t b;
        ts_board_init(&b, size, rule);
        /* A random opening near the centre keeps the games apart. */
        int c0 = size / 2;
        ts_place(&b, c0 * size + c0, TS_BLACK);
        int me = TS_WHITE;
        bool reported = false;
        for (int ply = 1; ply < size * size - 1 && !reported; ply++, me = 3 - me) {
            int my5[TS_MAX_CELLS], op5[TS_MAX_CELLS], ans[TS_MAX_CELLS], n_ans = 0;
            int n_my5 = ts_five_cells(&b, me, my5), n_op5 = ts_five_cells(&b, 3 - me, op5);
            int on_edge = 0;
            for (int i = 0; i < size * size; i++) {
                int r = i / size, c = i % size;
                on_edge += b.cell[i] && (r == 0 || c == 0 || r == size - 1 || c == size - 1);
            }
            if (ply >= 8 && !n_my5 && on_edge <= max_edge) {
                char note[128] = "";
                if (!strcmp(kind, "block") && n_op5 == 1 && ply >= 20) {
                    print_position(&b, me, "block", 0, op5, 1, "generated");
                    reported = true;
                } else if (!n_op5 && !strcmp(kind, "vcf")) {
                    int len = ts_vcf_length(s, &b, me, VCF_MAX);
                    if (len >= lo && len <= hi) {
                        for (int m = 0; m < size * size; m++)
                            if (!b.cell[m] && ts_wins_after(s, &b, me, m, VCF_MAX, false))
                                ans[n_ans++] = m;
                        int vct = ts_vct_length(s, &b, me, len - 1 < 5 ? len - 1 : 5);
                        snprintf(note, sizeof(note), "generated; faster VCT: %d", vct);
                        print_position(&b, me, "vcf", len, ans, n_ans, note);
                        reported = true;
                    }
                } else if (!n_op5 && (!strcmp(kind, "defend") || !strcmp(kind, "three"))) {
                    if (!ts_vcf(s, &b, me, VCF_MAX)) {
                        int len = ts_vcf_length(s, &b, 3 - me, VCF_MAX);
                        bool three = len == 2;
                        if (len >= lo && len <= hi && three == !strcmp(kind, "three")) {
                            for (int m = 0; m < size * size; m++) {
                                if (b.cell[m])
                                    continue;
                                ts_place(&b, m, me);
                                if (!ts_vcf(s, &b, 3 - me, VCF_MAX))
                                    ans[n_ans++] = m;
                                ts_remove(&b, m);
                            }
                            if (n_ans >= 1 && n_ans <= 8) {
                                snprintf(note, sizeof(note), "generated; opponent VCF %d", len);
                                print_position(&b, me, kind, len, ans, n_ans, note);
                                reported = true;
                            }
                        }
                    }
                } else if (!n_op5 && !strcmp(kind, "vct") && ply >= 12) {
                    if (!ts_vcf(s, &b, me, VCF_MAX)) {
                        int len = ts_vct_length(s, &b, me, hi);
                        if (len >= lo) {
                            for (int m = 0; m < size * size; m++)
                                if (!b.cell[m] && ts_wins_after(s, &b, me, m, len + 2, true))
                                    ans[n_ans++] = m;
                            print_position(&b, me, "vct", len, ans, n_ans, "generated");
                            reported = true;
                        }
                    }
                }
            }
            if (reported || n_my5)
                break;
            int m = pick_move(&b, me);
            if (m < 0)
                break;
            ts_place(&b, m, me);
        }
        found += reported;
    }
    fprintf(stderr, "tactics_gen: %d found, %llu solver nodes\n", found,
            (unsigned long long)ts_solver_nodes(s));
    ts_solver_destroy(s);
    return 0;
}
