/*
 * eval.c: shapes (multisets of four line patterns) for the learned
 * evaluation. Shape ids enumerate the patterns sorted strongest first,
 * p0 >= p1 >= p2 >= p3, in lexicographic order.
 */
#include "engine/eval.h"

static uint16_t shape_of[PATTERN_COMBOS];
static uint8_t shape_pats[EVAL_SHAPES][4];

void eval_init(void)
{
    static int16_t id_of_sorted[PATTERN_COMBOS];
    int n = 0;
    for (int a = 0; a < PAT_COUNT; a++)
        for (int b = 0; b <= a; b++)
            for (int c = 0; c <= b; c++)
                for (int d = 0; d <= c; d++) {
                    id_of_sorted[pattern_combo_index(a, b, c, d)] = (int16_t)n;
                    shape_pats[n][0] = (uint8_t)a;
                    shape_pats[n][1] = (uint8_t)b;
                    shape_pats[n][2] = (uint8_t)c;
                    shape_pats[n][3] = (uint8_t)d;
                    n++;
                }
    for (int i = 0; i < PATTERN_COMBOS; i++) {
        int p[4];
        for (int k = 3, rest = i; k >= 0; k--, rest /= PAT_COUNT)
            p[k] = rest % PAT_COUNT;
        /* Sort the four patterns, strongest first (insertion sort). */
        for (int k = 1; k < 4; k++)
            for (int j = k; j > 0 && p[j] > p[j - 1]; j--) {
                int t = p[j];
                p[j] = p[j - 1];
                p[j - 1] = t;
            }
        shape_of[i] = (uint16_t)id_of_sorted[pattern_combo_index(p[0], p[1], p[2], p[3])];
    }
}

int eval_shape(int combo_index)
{
    return shape_of[combo_index];
}

void eval_shape_patterns(int shape, int pats[4])
{
    for (int k = 0; k < 4; k++)
        pats[k] = shape_pats[shape][k];
}
