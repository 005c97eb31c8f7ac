/*
 * board.c: incremental board. See board.h for the invariants.
 */
#include "engine/board.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const int board_dir[4] = {1, BOARD_STRIDE, BOARD_STRIDE + 1, BOARD_STRIDE - 1};

static uint64_t zobrist[3][BOARD_CELLS];
static uint64_t zobrist_side;
static uint64_t zobrist_size[ENGINE_MAX_SIZE + 1];
static uint64_t zobrist_rule[ENGINE_RULE_COUNT];

/* splitmix64: a tiny PRNG with good bit mixing; the fixed seed makes keys,
 * and therefore node counts, identical from run to run. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void board_init_tables(void)
{
    uint64_t state = 20240501;
    for (int color = 1; color <= 2; color++)
        for (int c = 0; c < BOARD_CELLS; c++)
            zobrist[color][c] = next_random(&state);
    zobrist_side = next_random(&state);
    for (int s = 0; s <= ENGINE_MAX_SIZE; s++)
        zobrist_size[s] = next_random(&state);
    for (int r = 0; r < ENGINE_RULE_COUNT; r++)
        zobrist_rule[r] = next_random(&state);
}

/* Bit position, inside the key of a cell, of its neighbour at offset o. */
static inline int slot_shift(int o)
{
    return 2 * (o < 0 ? o + 5 : o + 4);
}

/* Weight of direction d's pattern in a combination index. */
static const int combo_weight[4] = {PAT_COUNT * PAT_COUNT * PAT_COUNT, PAT_COUNT *PAT_COUNT,
                                    PAT_COUNT, 1};

/* dst[j] += add[j] - sub[j] over the network's hidden units, eight lanes
 * at a time where the compiler has vector types (the scalar loop is not
 * vectorised once inlined into refresh_line, and this is its hottest part). */
static inline void acc_add_diff(int16_t *dst, const int16_t *add, const int16_t *sub)
{
#if defined(__GNUC__) && EVAL_NET_HIDDEN % 8 == 0
    typedef int16_t lanes_t __attribute__((vector_size(16)));
    for (int j = 0; j < EVAL_NET_HIDDEN; j += 8) {
        lanes_t d, a, s;
        memcpy(&d, dst + j, sizeof d);
        memcpy(&a, add + j, sizeof a);
        memcpy(&s, sub + j, sizeof s);
        d += a - s;
        memcpy(dst + j, &d, sizeof d);
    }
#else
    for (int j = 0; j < EVAL_NET_HIDDEN; j++)
        dst[j] = (int16_t)(dst[j] + add[j] - sub[j]);
#endif
}

static const int16_t acc_zero[EVAL_NET_HIDDEN];

/* The network's accumulators when colour's shape at a cell goes from
 * old_shape to new_shape: the colour's own sum sees it as the side to move's
 * shape, the other colour's sum as the waiting side's. */
static inline void acc_change(board_t *b, int color, int old_shape, int new_shape)
{
    const int16_t *n = eval_net_shape[new_shape], *o = eval_net_shape[old_shape];
    acc_add_diff(b->acc[color], n + EVAL_TO_MOVE * EVAL_NET_HIDDEN,
                 o + EVAL_TO_MOVE * EVAL_NET_HIDDEN);
    acc_add_diff(b->acc[3 - color], n + EVAL_WAITING * EVAL_NET_HIDDEN,
                 o + EVAL_WAITING * EVAL_NET_HIDDEN);
}

/* Adds (sign 1) or removes (sign -1) a cell's shape from the accumulators. */
static inline void acc_cell(board_t *b, int color, int shape, int sign)
{
    const int16_t *m = eval_net_shape[shape] + EVAL_TO_MOVE * EVAL_NET_HIDDEN;
    const int16_t *w = eval_net_shape[shape] + EVAL_WAITING * EVAL_NET_HIDDEN;
    acc_add_diff(b->acc[color], sign > 0 ? m : acc_zero, sign > 0 ? acc_zero : m);
    acc_add_diff(b->acc[3 - color], sign > 0 ? w : acc_zero, sign > 0 ? acc_zero : w);
}

static inline void add_contribution(board_t *b, int c, int sign)
{
    for (int color = 1; color <= 2; color++) {
        acc_cell(b, color, b->combos[b->cidx[c][color]].shape, sign);
        b->count[color][b->cls[c][color]] += sign;
        b->value[color][0] += sign * b->cval[c][color][0];
        b->value[color][1] += sign * b->cval[c][color][1];
    }
}

static inline void set_combo(board_t *b, int c, int color)
{
    const pattern_combo_t *cb = &b->combos[b->cidx[c][color]];
    b->cls[c][color] = cb->cls;
    b->score[c][color][0] = cb->score[0];
    b->score[c][color][1] = cb->score[1];
    b->cval[c][color][0] = cb->value[0];
    b->cval[c][color][1] = cb->value[1];
}

/* Patterns are kept up to date for empty cells only: an occupied cell's
 * patterns are recomputed from its (always current) keys when it is freed.
 * Each colour's combination index moves by the change of its own nibble, and
 * a colour whose pattern did not change is left alone (a stone on a line
 * often changes only one colour's view of a cell). */
static inline void refresh_line(board_t *b, int c, int d)
{
    if (b->cell[c] != CELL_EMPTY)
        return;
    uint8_t p = b->pat_table[pattern_index(b->rule, b->key4[c][d])];
    uint8_t old = b->pat[c][d];
    if (p == old)
        return;
    board_undo_t *u = &b->undo[b->n_undo++];
    u->cell = (uint16_t)c;
    u->dir = (uint8_t)d;
    u->pat = old;
    u->cidx[0] = b->cidx[c][CELL_BLACK];
    u->cidx[1] = b->cidx[c][CELL_WHITE];
    b->pat[c][d] = p;
    int delta[3] = {0, (p & 15) - (old & 15), (p >> 4) - (old >> 4)};
    for (int color = 1; color <= 2; color++) {
        if (!delta[color])
            continue;
        b->count[color][b->cls[c][color]]--;
        b->value[color][0] -= b->cval[c][color][0];
        b->value[color][1] -= b->cval[c][color][1];
        int old_shape = b->combos[b->cidx[c][color]].shape;
        b->cidx[c][color] = (uint16_t)(b->cidx[c][color] + delta[color] * combo_weight[d]);
        set_combo(b, c, color);
        acc_change(b, color, old_shape, b->combos[b->cidx[c][color]].shape);
        b->count[color][b->cls[c][color]]++;
        b->value[color][0] += b->cval[c][color][0];
        b->value[color][1] += b->cval[c][color][1];
    }
}

static void refresh_cell(board_t *b, int c)
{
    for (int d = 0; d < 4; d++)
        b->pat[c][d] = b->pat_table[pattern_index(b->rule, b->key4[c][d])];
    const uint8_t *p = b->pat[c];
    b->cidx[c][CELL_BLACK] =
        (uint16_t)pattern_combo_index(p[0] & 15, p[1] & 15, p[2] & 15, p[3] & 15);
    b->cidx[c][CELL_WHITE] =
        (uint16_t)pattern_combo_index(p[0] >> 4, p[1] >> 4, p[2] >> 4, p[3] >> 4);
    set_combo(b, c, CELL_BLACK);
    set_combo(b, c, CELL_WHITE);
}

static void near_add(board_t *b, int c, int delta)
{
    for (int dr = -2; dr <= 2; dr++)
        for (int dc = -2; dc <= 2; dc++)
            b->near[c + dr * BOARD_STRIDE + dc] =
                (uint8_t)(b->near[c + dr * BOARD_STRIDE + dc] + delta);
}

void board_reset(board_t *b, int size, engine_rule_t rule)
{
    /* The undo log needs no clearing: it is written before it is read. */
    memset(b, 0, offsetof(board_t, undo_start));
    b->size = size;
    b->rule = rule;
    b->to_move = CELL_BLACK;
    b->pat_table = pattern_table(rule);
    /* Freestyle patterns ignore the fifth cell on each side (pattern.h). */
    b->reach = rule == ENGINE_RULE_FREESTYLE ? 4 : 5;
    b->combos = pattern_combos();
    b->key = zobrist_size[size] ^ zobrist_rule[rule];
    b->box = (board_box_t){.rmin = 127, .rmax = -1, .cmin = 127, .cmax = -1};
    memset(b->cell, CELL_WALL, sizeof(b->cell));
    for (int r = 0; r < size; r++)
        for (int col = 0; col < size; col++)
            b->cell[board_cell(r, col)] = CELL_EMPTY;
    for (int r = 0; r < size; r++)
        for (int col = 0; col < size; col++) {
            int c = board_cell(r, col);
            for (int d = 0; d < 4; d++) {
                uint32_t key = 0;
                for (int o = -5; o <= 5; o++)
                    if (o != 0)
                        key |= (uint32_t)b->cell[c + o * board_dir[d]] << slot_shift(o);
                b->key4[c][d] = key;
            }
            refresh_cell(b, c);
            add_contribution(b, c, +1);
        }
}

static void place(board_t *b, int c, int color)
{
    memcpy(b->count_stack[b->n_moves], b->count, sizeof(b->count));
    memcpy(b->value_stack[b->n_moves], b->value, sizeof(b->value));
    memcpy(b->acc_stack[b->n_moves], b->acc[1], sizeof(b->acc_stack[0]));
    b->undo_start[b->n_moves] = b->n_undo;
    add_contribution(b, c, -1);
    b->cell[c] = (uint8_t)color;
    b->key ^= zobrist[color][c];
    for (int d = 0; d < 4; d++) {
        int step = board_dir[d];
        for (int k = 1; k <= 5; k++) {
            int x = c - k * step, y = c + k * step;
            b->key4[x][d] |= (uint32_t)color << slot_shift(k);
            b->key4[y][d] |= (uint32_t)color << slot_shift(-k);
            if (k <= b->reach) {
                refresh_line(b, x, d);
                refresh_line(b, y, d);
            }
        }
    }
    near_add(b, c, +1);
    b->box_stack[b->n_moves] = b->box;
    b->moves[b->n_moves++] = (uint16_t)c;
    int r = board_row(c), col = board_col(c);
    if (r < b->box.rmin)
        b->box.rmin = (int8_t)r;
    if (r > b->box.rmax)
        b->box.rmax = (int8_t)r;
    if (col < b->box.cmin)
        b->box.cmin = (int8_t)col;
    if (col > b->box.cmax)
        b->box.cmax = (int8_t)col;
}

void board_make(board_t *b, int c)
{
    place(b, c, b->to_move);
    b->to_move = 3 - b->to_move;
    b->key ^= zobrist_side;
}

void board_put(board_t *b, int c, int color)
{
    place(b, c, color);
}

/* The cell c keeps, while occupied, the patterns it had when it was taken
 * (refresh_line skips occupied cells), so only its neighbours need the log. */
void board_unmake(board_t *b)
{
    int c = b->moves[--b->n_moves];
    int color = b->cell[c];
    for (int d = 0; d < 4; d++) {
        int step = board_dir[d];
        for (int k = 1; k <= 5; k++) {
            b->key4[c - k * step][d] &= ~(3u << slot_shift(k));
            b->key4[c + k * step][d] &= ~(3u << slot_shift(-k));
        }
    }
    for (int i = b->n_undo - 1, end = b->undo_start[b->n_moves]; i >= end; i--) {
        const board_undo_t *u = &b->undo[i];
        b->pat[u->cell][u->dir] = u->pat;
        b->cidx[u->cell][CELL_BLACK] = u->cidx[0];
        b->cidx[u->cell][CELL_WHITE] = u->cidx[1];
        set_combo(b, u->cell, CELL_BLACK);
        set_combo(b, u->cell, CELL_WHITE);
    }
    b->n_undo = b->undo_start[b->n_moves];
    memcpy(b->count, b->count_stack[b->n_moves], sizeof(b->count));
    memcpy(b->value, b->value_stack[b->n_moves], sizeof(b->value));
    memcpy(b->acc[1], b->acc_stack[b->n_moves], sizeof(b->acc_stack[0]));
    b->cell[c] = CELL_EMPTY;
    b->key ^= zobrist[color][c];
    near_add(b, c, -1);
    b->box = b->box_stack[b->n_moves];
    if (b->to_move != color) {
        b->to_move = color;
        b->key ^= zobrist_side;
    }
}

void board_set_to_move(board_t *b, int color)
{
    if (b->to_move != color) {
        b->to_move = color;
        b->key ^= zobrist_side;
    }
}

uint64_t board_compute_key(const board_t *b)
{
    uint64_t key = zobrist_size[b->size] ^ zobrist_rule[b->rule];
    for (int r = 0; r < b->size; r++)
        for (int col = 0; col < b->size; col++) {
            int c = board_cell(r, col);
            if (b->cell[c] != CELL_EMPTY)
                key ^= zobrist[b->cell[c]][c];
        }
    return b->to_move == CELL_WHITE ? key ^ zobrist_side : key;
}

bool board_verify(const board_t *b)
{
    board_t *fresh = malloc(sizeof(*fresh));
    if (!fresh)
        return false;
    board_reset(fresh, b->size, b->rule);
    for (int i = 0; i < b->n_moves; i++)
        board_put(fresh, b->moves[i], b->cell[b->moves[i]]);
    fresh->to_move = b->to_move;
    bool ok = board_compute_key(b) == b->key &&
              memcmp(fresh->count, b->count, sizeof(b->count)) == 0 &&
              memcmp(fresh->value, b->value, sizeof(b->value)) == 0 &&
              memcmp(fresh->acc, b->acc, sizeof(b->acc)) == 0 &&
              memcmp(&fresh->box, &b->box, sizeof(b->box)) == 0;
    if (b->to_move == CELL_WHITE)
        fresh->key ^= zobrist_side;
    ok = ok && fresh->key == b->key;
    for (int r = 0; ok && r < b->size; r++)
        for (int col = 0; ok && col < b->size; col++) {
            int c = board_cell(r, col);
            ok = fresh->cell[c] == b->cell[c] && fresh->near[c] == b->near[c] &&
                 memcmp(fresh->key4[c], b->key4[c], sizeof(b->key4[c])) == 0;
            if (b->cell[c] != CELL_EMPTY)
                continue; /* patterns of occupied cells are not maintained */
            ok = ok && memcmp(fresh->pat[c], b->pat[c], sizeof(b->pat[c])) == 0 &&
                 memcmp(fresh->cidx[c], b->cidx[c], sizeof(b->cidx[c])) == 0 &&
                 memcmp(fresh->cls[c], b->cls[c], sizeof(b->cls[c])) == 0 &&
                 memcmp(fresh->score[c], b->score[c], sizeof(b->score[c])) == 0 &&
                 memcmp(fresh->cval[c], b->cval[c], sizeof(b->cval[c])) == 0;
        }
    free(fresh);
    return ok;
}

int board_find_five(const board_t *b, int color)
{
    if (b->n_moves > 0) {
        int last = b->moves[b->n_moves - 1];
        for (int d = 0; d < 4; d++)
            for (int k = -5; k <= 5; k++) {
                int x = last + k * board_dir[d];
                if (b->cell[x] == CELL_EMPTY && b->cls[x][color] == THREAT_FIVE)
                    return x;
            }
    }
    for (int r = b->box.rmin - 1; r <= b->box.rmax + 1; r++)
        for (int col = b->box.cmin - 1; col <= b->box.cmax + 1; col++) {
            if (r < 0 || col < 0 || r >= b->size || col >= b->size)
                continue;
            int x = board_cell(r, col);
            if (b->cell[x] == CELL_EMPTY && b->cls[x][color] == THREAT_FIVE)
                return x;
        }
    return BOARD_NONE;
}
