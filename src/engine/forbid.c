/*
 * forbid.c: renju forbidden points. See forbid.h.
 *
 * Hypothetical black stones (the point under test, then the four-point of
 * each three, recursively) live in a list on the C stack; a cell's line key
 * is the board's key with those stones ORed in. The recursion ends because
 * every level adds a stone to a finite board; in practice it is two or
 * three levels deep.
 */
#include "engine/forbid.h"

/* Black stones next to the cell, counted outwards from it: on the left
 * (offsets -1..-5, bits 8-9 down to 0-1) and on the right (+1..+5, bits
 * 10-11 up to 18-19) of a line key. */
static uint8_t run_left[1024];
static uint8_t run_right[1024];

void forbid_init(void)
{
    for (int half = 0; half < 1024; half++) {
        int n = 0;
        while (n < 5 && ((half >> (2 * (4 - n))) & 3) == CELL_BLACK)
            n++;
        run_left[half] = (uint8_t)n;
        n = 0;
        while (n < 5 && ((half >> (2 * n)) & 3) == CELL_BLACK)
            n++;
        run_right[half] = (uint8_t)n;
    }
}

static inline bool overline_key(uint32_t key)
{
    return run_left[key & 1023] + run_right[key >> 10] + 1 >= 6;
}

/* Two of "four" (B4), "open three candidate" (F3), or a line with two
 * completions (F4, counted twice) is exactly the black classes F3X2, B4F3
 * and FLEX4 (pattern.c, combine()); a five is never forbidden. So one byte
 * decides, but for overlines, which the patterns do not show. The test's
 * cross-check of every point of 2,000 positions guards this equivalence. */
bool forbid_maybe(const board_t *b, int c)
{
    int cls = b->cls[c][CELL_BLACK];
    if (cls == THREAT_FIVE)
        return false;
    if (cls == THREAT_F3X2 || cls == THREAT_B4F3 || cls == THREAT_FLEX4)
        return true;
    for (int d = 0; d < 4; d++)
        if (overline_key(b->key4[c][d]))
            return true;
    return false;
}

typedef struct stone_list {
    int cell;
    const struct stone_list *next;
} stone_list_t;

/* Offset of s from x along direction d, or 0 when s is not on that line
 * within 5 cells. */
static int line_offset(int x, int s, int d)
{
    int dr = board_row(s) - board_row(x), dc = board_col(s) - board_col(x);
    int o;
    switch (d) {
    case 0:
        if (dr != 0)
            return 0;
        o = dc;
        break;
    case 1:
        if (dc != 0)
            return 0;
        o = dr;
        break;
    case 2:
        if (dr != dc)
            return 0;
        o = dr;
        break;
    default:
        if (dr != -dc)
            return 0;
        o = dr;
        break;
    }
    return o >= -5 && o <= 5 ? o : 0;
}

static uint32_t key_with(const board_t *b, const stone_list_t *extra, int x, int d)
{
    uint32_t key = b->key4[x][d];
    for (; extra; extra = extra->next) {
        int o = line_offset(x, extra->cell, d);
        if (o)
            key |= (uint32_t)CELL_BLACK << (2 * (o < 0 ? o + 5 : o + 4));
    }
    return key;
}

/* The 11 cells of a line key, the centre (index 5) black. */
static void unpack(uint32_t key, uint8_t line[11])
{
    for (int o = -5; o <= 5; o++)
        line[5 + o] = o == 0 ? CELL_BLACK : (uint8_t)((key >> (2 * (o < 0 ? o + 5 : o + 4))) & 3);
}

/* A straight four through the centre: four black in a row, both ends empty,
 * and each end completing exactly five (no black just beyond it). */
static bool straight_four(const uint8_t line[11])
{
    for (int s = -3; s <= 0; s++) {
        const uint8_t *q = &line[5 + s];
        if (q[0] == CELL_BLACK && q[1] == CELL_BLACK && q[2] == CELL_BLACK && q[3] == CELL_BLACK &&
            q[-1] == CELL_EMPTY && q[4] == CELL_EMPTY && q[-2] != CELL_BLACK && q[5] != CELL_BLACK)
            return true;
    }
    return false;
}

/* kind_with()'s answer for a stone that makes five: allowed, but no
 * straight four of a three (see is_three). */
#define KIND_FIVE (-1)

static int kind_with(const board_t *b, const stone_list_t *extra, int c);

/* Whether the line through c in direction d (c already in extra, key its
 * line key without c) is a three: some empty cell e turns it into a
 * straight four through c, and e is not forbidden with c in place. A cell
 * e that makes five (in any line) does not count: that move wins rather
 * than makes a four, as established renju engines judge it. */
static bool is_three(const board_t *b, const stone_list_t *with_c, int c, int d, uint32_t key)
{
    uint8_t line[11];
    unpack(key, line);
    for (int e = -3; e <= 3; e++) {
        if (e == 0 || line[5 + e] != CELL_EMPTY)
            continue;
        line[5 + e] = CELL_BLACK;
        bool four = straight_four(line);
        line[5 + e] = CELL_EMPTY;
        if (four && kind_with(b, with_c, c + e * board_dir[d]) == ENGINE_FORBID_NONE)
            return true;
    }
    return false;
}

static int kind_with(const board_t *b, const stone_list_t *extra, int c)
{
    uint32_t key[4];
    int pat[4];
    for (int d = 0; d < 4; d++) {
        key[d] = key_with(b, extra, c, d);
        pat[d] = b->pat_table[pattern_index(b->rule, key[d])] & 15;
        if (pat[d] == PAT_F5)
            return KIND_FIVE;
    }
    for (int d = 0; d < 4; d++)
        if (overline_key(key[d]))
            return ENGINE_FORBID_OVERLINE;
    int fours = 0, threes = 0;
    for (int d = 0; d < 4; d++) {
        if (pat[d] == PAT_B4) {
            fours++;
        } else if (pat[d] == PAT_F4) {
            /* Two or more completions: one straight four, or two fours. */
            uint8_t line[11];
            unpack(key[d], line);
            fours += straight_four(line) ? 1 : 2;
        } else if (pat[d] == PAT_F3) {
            threes++;
        }
    }
    if (fours >= 2)
        return ENGINE_FORBID_DOUBLE_FOUR;
    if (threes < 2)
        return ENGINE_FORBID_NONE;
    const stone_list_t with_c = {.cell = c, .next = extra};
    threes = 0;
    for (int d = 0; d < 4; d++)
        if (pat[d] == PAT_F3 && is_three(b, &with_c, c, d, key[d]) && ++threes >= 2)
            return ENGINE_FORBID_DOUBLE_THREE;
    return ENGINE_FORBID_NONE;
}

engine_forbid_t forbid_kind(const board_t *b, int c)
{
    int k = kind_with(b, NULL, c);
    return k == KIND_FIVE ? ENGINE_FORBID_NONE : (engine_forbid_t)k;
}
