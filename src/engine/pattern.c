/*
 * pattern.c: builds the line-pattern and combination tables.
 *
 * A line is classified from its own colour's point of view, so a colour's
 * pattern depends only on a ternary view of the window (empty / own /
 * blocked). Each ternary window (3^8 for freestyle, 3^10 for exact five and
 * renju, whose black needs exactly five and white five or more) is
 * classified once, with memoisation, by the recursive definition: count the
 * empty cells that would complete a five through the centre (two or more:
 * F4, one: B4); otherwise take the best thing one more own stone could make
 * and step it down one level (F4 -> F3, B4 -> B3, ...). The key tables are
 * then filled by mapping each key to its two ternary views.
 */
#include "engine/pattern.h"

#include "engine/eval.h"

#include <stdbool.h>
#include <string.h>

#define HALF_FREE 4
#define HALF_STD  5
#define TERN_FREE 6561  /* 3^8 */
#define TERN_STD  59049 /* 3^10 */

static uint8_t table_free[1u << 16];
static uint8_t table_std[1u << 20];
static uint8_t table_renju[1u << 20]; /* black exact five, white five or more */
static pattern_combo_t combos[PATTERN_COMBOS];

/* Level step-down: what one more stone's result means for the current line. */
static const uint8_t step_down[PAT_COUNT] = {
    [PAT_DEAD] = PAT_DEAD, [PAT_B1] = PAT_DEAD, [PAT_F1] = PAT_DEAD, [PAT_B2] = PAT_B1,
    [PAT_F2] = PAT_F1,     [PAT_B3] = PAT_B2,   [PAT_F3] = PAT_F2,   [PAT_B4] = PAT_B3,
    [PAT_F4] = PAT_F3,     [PAT_F5] = PAT_F4,
};

typedef struct tern_ctx {
    int half;
    bool exact;
    int pow3[2 * HALF_STD];
    int8_t *memo;
} tern_ctx_t;

static int digit(const tern_ctx_t *t, int idx, int slot)
{
    return idx / t->pow3[slot] % 3;
}

static bool five_through_centre(const tern_ctx_t *t, int idx)
{
    int len = 1;
    for (int s = t->half - 1; s >= 0 && digit(t, idx, s) == 1; s--)
        len++;
    for (int s = t->half; s < 2 * t->half && digit(t, idx, s) == 1; s++)
        len++;
    return t->exact ? len == 5 : len >= 5;
}

static int classify(tern_ctx_t *t, int idx)
{
    if (t->memo[idx] >= 0)
        return t->memo[idx];
    int res = PAT_DEAD;
    if (five_through_centre(t, idx)) {
        res = PAT_F5;
    } else {
        int wins = 0;
        for (int s = 0; s < 2 * t->half; s++)
            if (digit(t, idx, s) == 0 && five_through_centre(t, idx + t->pow3[s]))
                wins++;
        if (wins >= 2) {
            res = PAT_F4;
        } else if (wins == 1) {
            res = PAT_B4;
        } else {
            for (int s = 0; s < 2 * t->half; s++) {
                if (digit(t, idx, s) != 0)
                    continue;
                int child = step_down[classify(t, idx + t->pow3[s])];
                if (child > res)
                    res = child;
            }
        }
    }
    t->memo[idx] = (int8_t)res;
    return res;
}

static void tern_setup(tern_ctx_t *t, int half, bool exact, int8_t *memo, int n)
{
    t->half = half;
    t->exact = exact;
    t->memo = memo;
    t->pow3[0] = 1;
    for (int s = 1; s < 2 * half; s++)
        t->pow3[s] = t->pow3[s - 1] * 3;
    memset(memo, -1, (size_t)n);
}

/* Maps a key (2 bits per slot, 2 * half slots) to colour's ternary index. */
static int ternary_of_key(const tern_ctx_t *t, uint32_t key, int color)
{
    int idx = 0;
    for (int s = 0; s < 2 * t->half; s++) {
        int v = (int)(key >> (2 * s)) & 3;
        int d = v == 0 ? 0 : v == color ? 1 : 2;
        idx += d * t->pow3[s];
    }
    return idx;
}

/* black_exact / white_exact: whether that colour needs exactly five (the
 * two differ only under renju). */
static void fill_table(uint8_t *table, int half, bool black_exact, bool white_exact,
                       int8_t *memo_black, int8_t *memo_white, int n_tern)
{
    tern_ctx_t tb, tw;
    tern_setup(&tb, half, black_exact, memo_black, n_tern);
    tern_setup(&tw, half, white_exact, memo_white, n_tern); /* same memo: same rule */
    uint32_t n_keys = 1u << (4 * half);
    for (uint32_t key = 0; key < n_keys; key++) {
        int black = classify(&tb, ternary_of_key(&tb, key, ENGINE_BLACK));
        int white = classify(&tw, ternary_of_key(&tw, key, ENGINE_WHITE));
        table[key] = (uint8_t)(black | white << 4);
    }
}

/* Threat class of one colour from the counts of its four line patterns. */
static threat_t combine(const int *n)
{
    int n4 = n[PAT_B4];
    int n3 = n[PAT_F3];
    int weak = n[PAT_B3] + n[PAT_F2];
    if (n[PAT_F5])
        return THREAT_FIVE;
    if (n[PAT_F4] || n4 >= 2)
        return THREAT_FLEX4;
    if (n4 && n3)
        return THREAT_B4F3;
    if (n4 && weak)
        return THREAT_B4PLUS;
    if (n4)
        return THREAT_B4;
    if (n3 >= 2)
        return THREAT_F3X2;
    if (n3 && weak)
        return THREAT_F3PLUS;
    if (n3)
        return THREAT_F3;
    if (n[PAT_B3] >= 2 || (n[PAT_B3] && n[PAT_F2]))
        return THREAT_B3PLUS;
    if (n[PAT_F2] >= 2)
        return THREAT_F2X2;
    if (n[PAT_B3])
        return THREAT_B3;
    if (n[PAT_F2])
        return THREAT_F2;
    return THREAT_NONE;
}

/* Ordering scores and evaluation values come from the fitted shape tables
 * (eval.h). */
static void fill_combos(void)
{
    for (int i = 0; i < PATTERN_COMBOS; i++) {
        int n[PAT_COUNT] = {0};
        for (int d = 0, rest = i; d < 4; d++, rest /= PAT_COUNT)
            n[rest % PAT_COUNT]++;
        combos[i].cls = (uint8_t)combine(n);
        int shape = eval_shape(i);
        combos[i].shape = (uint16_t)shape;
        combos[i].value[EVAL_TO_MOVE] = eval_weights[EVAL_TO_MOVE][shape];
        combos[i].value[EVAL_WAITING] = eval_weights[EVAL_WAITING][shape];
        combos[i].score[EVAL_TO_MOVE] = eval_policy[EVAL_TO_MOVE][shape];
        combos[i].score[EVAL_WAITING] = eval_policy[EVAL_WAITING][shape];
    }
}

void pattern_init(void)
{
    static int8_t memo_free[TERN_FREE];
    static int8_t memo_std[TERN_STD];
    static int8_t memo_long[TERN_STD]; /* five or more, 5 cells each side */
    fill_table(table_free, HALF_FREE, false, false, memo_free, memo_free, TERN_FREE);
    fill_table(table_std, HALF_STD, true, true, memo_std, memo_std, TERN_STD);
    fill_table(table_renju, HALF_STD, true, false, memo_std, memo_long, TERN_STD);
    eval_init();
    fill_combos();
}

const uint8_t *pattern_table(engine_rule_t rule)
{
    return rule == ENGINE_RULE_FREESTYLE ? table_free
           : rule == ENGINE_RULE_RENJU   ? table_renju
                                         : table_std;
}

const pattern_combo_t *pattern_combos(void)
{
    return combos;
}
