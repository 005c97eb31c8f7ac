/*
 * solver.c: plain VCF / VCT prover for the tactical suite (see solver.h).
 */
#include "solver.h"

#include <stdlib.h>
#include <string.h>

/* Threes, for the VCT: a move after which the attacker, moving again, would
 * win by a VCF of at most this many moves. 3 covers the open three (straight
 * four, five) and the four-three maker (four, straight four, five); 4 also
 * the quiet moves that threaten a four-four-three, which strong engines
 * play (vct-st15-c has one among its winning first moves). Since every
 * defence is tried after a three, a wider threat notion finds more wins but
 * never a false one; it only costs time. */
#define THREAT_VCF_DEPTH 4

enum { KIND_VCF = 1, KIND_VCT = 2 };

typedef struct tt_entry {
    uint64_t key;
    int8_t depth;  /* the depth the result was proved at */
    int8_t result; /* 1: win within depth, -1: no win within depth */
} tt_entry_t;

struct ts_solver {
    tt_entry_t *tt;
    uint64_t mask;
    uint64_t nodes;
};

static const int DIRS[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

/* Zobrist key of (cell, color), computed rather than tabled: splitmix64 of
 * the pair, so the solver has no global state and no initialisation. */
static uint64_t zobrist(int cell, int color)
{
    uint64_t z = (uint64_t)(cell * 3 + color) * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

ts_solver_t *ts_solver_create(int tt_bits)
{
    ts_solver_t *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->tt = calloc((size_t)1 << tt_bits, sizeof(tt_entry_t));
    if (!s->tt) {
        free(s);
        return NULL;
    }
    s->mask = ((uint64_t)1 << tt_bits) - 1;
    return s;
}

void ts_solver_destroy(ts_solver_t *s)
{
    if (s) {
        free(s->tt);
        free(s);
    }
}

uint64_t ts_solver_nodes(const ts_solver_t *s)
{
    return s->nodes;
}

void ts_board_init(ts_board_t *b, int size, int rule)
{
    memset(b, 0, sizeof(*b));
    b->size = size;
    b->rule = rule;
}

void ts_place(ts_board_t *b, int cell, int color)
{
    b->cell[cell] = (uint8_t)color;
    b->hash ^= zobrist(cell, color);
}

void ts_remove(ts_board_t *b, int cell)
{
    b->hash ^= zobrist(cell, b->cell[cell]);
    b->cell[cell] = TS_EMPTY;
}

static int run_length(const ts_board_t *b, int r, int c, int dr, int dc, int color)
{
    int n = 0;
    for (r += dr, c += dc;
         r >= 0 && r < b->size && c >= 0 && c < b->size && b->cell[r * b->size + c] == color;
         r += dr, c += dc)
        n++;
    return n;
}

bool ts_makes_five(const ts_board_t *b, int cell, int color)
{
    int r = cell / b->size, c = cell % b->size;
    for (int d = 0; d < 4; d++) {
        int len = 1 + run_length(b, r, c, DIRS[d][0], DIRS[d][1], color) +
                  run_length(b, r, c, -DIRS[d][0], -DIRS[d][1], color);
        if (b->rule == TS_STANDARD ? len == 5 : len >= 5)
            return true;
    }
    return false;
}

int ts_five_cells(const ts_board_t *b, int color, int *out)
{
    int n = 0;
    for (int i = 0; i < b->size * b->size; i++)
        if (b->cell[i] == TS_EMPTY && ts_makes_five(b, i, color))
            out[n++] = i;
    return n;
}

/* Does a stone of color on the empty cell make a winning line along
 * direction d alone? */
static bool makes_five_dir(const ts_board_t *b, int cell, int color, int d)
{
    int r = cell / b->size, c = cell % b->size;
    int len = 1 + run_length(b, r, c, DIRS[d][0], DIRS[d][1], color) +
              run_length(b, r, c, -DIRS[d][0], -DIRS[d][1], color);
    return b->rule == TS_STANDARD ? len == 5 : len >= 5;
}

/* The five cells of color that the stone just placed on `cell` created,
 * assuming color had none before (true wherever the solver calls it). A new
 * five cell lies on a line through cell, in the same direction as its five,
 * with only color's stones in between: so in each of the 8 directions only
 * the first cell that is not color's can be one. */
static int fives_through(const ts_board_t *b, int cell, int color, int *out)
{
    int n = 0, size = b->size, r = cell / size, c = cell % size;
    for (int d = 0; d < 4; d++) {
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            int rr = r, cc = c, steps = 0;
            do {
                rr += sgn * DIRS[d][0];
                cc += sgn * DIRS[d][1];
                steps++;
            } while (rr >= 0 && rr < size && cc >= 0 && cc < size && steps <= 4 &&
                     b->cell[rr * size + cc] == color);
            if (steps > 4 || rr < 0 || rr >= size || cc < 0 || cc >= size)
                continue;
            int e = rr * size + cc;
            if (b->cell[e] != TS_EMPTY || !makes_five_dir(b, e, color, d))
                continue;
            bool seen = false;
            for (int i = 0; i < n; i++)
                seen |= out[i] == e;
            if (!seen)
                out[n++] = e;
        }
    }
    return n;
}

/* Marks the empty cells of every 5-cell window holding exactly `own` stones
 * of color and none of the other colour. A four move must lie in such a
 * window with own = 3 (the window then holds the new five), and a three in
 * one with own = 2. */
static void mark_windows(const ts_board_t *b, int color, int own, uint8_t *mark)
{
    int n = b->size;
    memset(mark, 0, (size_t)(n * n));
    for (int d = 0; d < 4; d++) {
        int dr = DIRS[d][0], dc = DIRS[d][1];
        /* Every line of direction d starts on the top row or on the left
         * column (the right column for the anti-diagonal); slide a 5-cell
         * window along it, keeping its counts. */
        for (int s0 = 0; s0 < 2 * n - 1; s0++) {
            int r, c;
            if (s0 < n) {
                r = dr ? 0 : s0;
                c = dr ? s0 : 0;
            } else {
                r = s0 - n + 1;
                c = dc < 0 ? n - 1 : 0;
            }
            if ((d == 0 || d == 1) && s0 >= n)
                continue;
            int idx[TS_MAX_SIZE], len = 0, mine = 0, other = 0;
            for (; r >= 0 && r < n && c >= 0 && c < n; r += dr, c += dc) {
                int v = b->cell[r * n + c];
                idx[len++] = r * n + c;
                mine += v == color;
                other += v != color && v != TS_EMPTY;
                if (len > 5) {
                    int old = b->cell[idx[len - 6]];
                    mine -= old == color;
                    other -= old != color && old != TS_EMPTY;
                }
                if (len >= 5 && mine == own && !other)
                    for (int k = len - 5; k < len; k++)
                        if (b->cell[idx[k]] == TS_EMPTY)
                            mark[idx[k]] = 1;
            }
        }
    }
}

int ts_four_moves(const ts_board_t *b, int color, int *out, int *fives)
{
    uint8_t mark[TS_MAX_CELLS];
    int n = 0, tmp[TS_MAX_CELLS];
    mark_windows(b, color, 3, mark);
    ts_board_t *w = (ts_board_t *)b; /* place and take back: b is unchanged */
    for (int i = 0; i < b->size * b->size; i++) {
        if (!mark[i])
            continue;
        ts_place(w, i, color);
        int k = fives_through(w, i, color, tmp);
        ts_remove(w, i);
        if (k > 0) {
            out[n] = i;
            fives[n++] = k;
        }
    }
    return n;
}

static uint64_t tt_key(const ts_board_t *b, int attacker, int kind)
{
    /* Rule and size are part of the key: the table is shared by positions
     * of different files. */
    uint64_t ctx = (uint64_t)(((b->rule * 32 + b->size) * 4 + attacker) * 4 + kind);
    return b->hash ^ zobrist(TS_MAX_CELLS + (int)ctx, 0);
}

/* 1: known win within depth, -1: known no win within depth, 0: unknown. */
static int tt_probe(ts_solver_t *s, uint64_t key, int depth)
{
    tt_entry_t *e = &s->tt[key & s->mask];
    if (e->key != key || !e->result)
        return 0;
    if (e->result > 0 && e->depth <= depth)
        return 1;
    if (e->result < 0 && e->depth >= depth)
        return -1;
    return 0;
}

static void tt_store(ts_solver_t *s, uint64_t key, int depth, bool win)
{
    tt_entry_t *e = &s->tt[key & s->mask];
    e->key = key;
    e->depth = (int8_t)depth;
    e->result = win ? 1 : -1;
}

/*
 * Attacker to move. Invariants: the attacker has no five cell; the
 * defender's five cells are dthreat[0..n_dthreat).
 *
 * When line is not NULL, a win also returns the winning line in it (the
 * attacker's moves and the defender's forced replies, alternating, ending
 * with the attacker's straight four) and the table is not consulted, since
 * it stores results without lines. Such calls are shallow (threat tests).
 */
static bool vcf_rec(ts_solver_t *s, ts_board_t *b, int att, int depth, const int *dthreat,
                    int n_dthreat, int *line, int *line_len)
{
    int def = 3 - att;
    s->nodes++;
    if (n_dthreat >= 2 || depth < 2)
        return false;
    uint64_t key = tt_key(b, att, KIND_VCF);
    if (!line) {
        int known = tt_probe(s, key, depth);
        if (known)
            return known > 0;
    }

    int moves[TS_MAX_CELLS], fives[TS_MAX_CELLS], n;
    if (n_dthreat == 1) {
        /* The defender threatens five: block it; go on only if the block
         * is itself a four. */
        moves[0] = dthreat[0];
        n = 1;
    } else {
        n = ts_four_moves(b, att, moves, fives);
    }
    bool win = false;
    for (int i = 0; i < n && !win; i++) {
        int m = moves[i], mf[TS_MAX_CELLS], dt[TS_MAX_CELLS];
        ts_place(b, m, att);
        int k = fives_through(b, m, att, mf);
        if (k >= 2) {
            win = true; /* the defender has no five of his own to play */
            if (line) {
                line[0] = m;
                *line_len = 1;
            }
        } else if (k == 1 && !ts_makes_five(b, mf[0], def)) {
            ts_place(b, mf[0], def);
            int nd = fives_through(b, mf[0], def, dt);
            win = vcf_rec(s, b, att, depth - 1, dt, nd, line ? line + 2 : NULL, line_len);
            if (win && line) {
                line[0] = m;
                line[1] = mf[0];
                *line_len += 2;
            }
            ts_remove(b, mf[0]);
        }
        ts_remove(b, m);
    }
    tt_store(s, key, depth, win);
    return win;
}

bool ts_vcf(ts_solver_t *s, ts_board_t *b, int attacker, int depth)
{
    int cells[TS_MAX_CELLS];
    if (ts_five_cells(b, attacker, cells) > 0)
        return depth >= 1;
    int n = ts_five_cells(b, 3 - attacker, cells);
    return vcf_rec(s, b, attacker, depth, cells, n, NULL, NULL);
}

int ts_vcf_length(ts_solver_t *s, ts_board_t *b, int attacker, int max_depth)
{
    for (int d = 1; d <= max_depth; d++)
        if (ts_vcf(s, b, attacker, d))
            return d;
    return 0;
}

/* After the attacker's (non-four) move: would the attacker, moving again,
 * win by a short VCF? The defender has no five cell at that point. On true,
 * line holds that VCF (see vcf_rec). */
static bool is_threat(ts_solver_t *s, ts_board_t *b, int att, int *line, int *line_len)
{
    *line_len = 0;
    return vcf_rec(s, b, att, THREAT_VCF_DEPTH, NULL, 0, line, line_len);
}

/*
 * Does the VCF `line` (found before the defender's last move) still win,
 * move for move? Each attacker move must make exactly one five cell, the
 * recorded reply (the last one: at least two), and the defender must never
 * have a five cell of his own nor make five with a reply. This is an exact
 * check of one forced line, so success proves the win; failure proves
 * nothing and the caller searches.
 */
static bool replay_wins(ts_board_t *b, int att, const int *line, int len)
{
    int def = 3 - att, placed = 0, cells[TS_MAX_CELLS];
    bool ok = true; /* the caller knows the defender has no five cell now */
    for (int i = 0; ok && i < len; i += 2) {
        int m = line[i], mf[TS_MAX_CELLS];
        if (b->cell[m] != TS_EMPTY) {
            ok = false;
            break;
        }
        ts_place(b, m, att);
        placed++;
        int k = fives_through(b, m, att, mf);
        if (i + 1 >= len) {
            ok = k >= 2;
            break;
        }
        int r = line[i + 1];
        if (k != 1 || mf[0] != r || ts_makes_five(b, r, def)) {
            ok = false;
            break;
        }
        ts_place(b, r, def);
        placed++;
        ok = fives_through(b, r, def, cells) == 0;
    }
    for (int i = placed - 1; i >= 0; i--)
        ts_remove(b, line[i]);
    return ok;
}

static bool vct_rec(ts_solver_t *s, ts_board_t *b, int att, int depth, const int *dthreat,
                    int n_dthreat);

/* The attacker has just played a three (now on the board) whose follow-up
 * VCF is threat[0..n_threat); the defender may answer on any empty cell.
 * True if every answer still loses within depth attacker moves. The cells
 * of the threat line are tried first because they are where refutations
 * are; elsewhere, replaying the line usually settles an answer at once. */
static bool all_defences_lose(ts_solver_t *s, ts_board_t *b, int att, int depth, const int *threat,
                              int n_threat)
{
    int def = 3 - att, dt[TS_MAX_CELLS], order[TS_MAX_CELLS], n = 0;
    uint8_t in_line[TS_MAX_CELLS] = {0};
    for (int i = 0; i < n_threat; i++) {
        if (!in_line[threat[i]])
            order[n++] = threat[i];
        in_line[threat[i]] = 1;
    }
    for (int r = 0; r < b->size * b->size; r++)
        if (b->cell[r] == TS_EMPTY && !in_line[r])
            order[n++] = r;
    for (int i = 0; i < n; i++) {
        int r = order[i];
        if (ts_makes_five(b, r, def))
            return false;
        ts_place(b, r, def);
        int nd = fives_through(b, r, def, dt);
        bool lost = (!in_line[r] && nd == 0 && n_threat <= 2 * depth - 1 &&
                     replay_wins(b, att, threat, n_threat)) ||
                    vct_rec(s, b, att, depth, dt, nd);
        ts_remove(b, r);
        if (!lost)
            return false;
    }
    return true;
}

/* The attacker's move m is on the board and made k five cells mf. Does the
 * attacker win from here within depth more moves (m already counted)? */
static bool vct_after(ts_solver_t *s, ts_board_t *b, int att, int m, int depth)
{
    int def = 3 - att, mf[TS_MAX_CELLS], dt[TS_MAX_CELLS], line[2 * THREAT_VCF_DEPTH], len;
    int k = fives_through(b, m, att, mf);
    if (k >= 2)
        return depth >= 1;
    if (k == 1) {
        if (ts_makes_five(b, mf[0], def))
            return false;
        ts_place(b, mf[0], def);
        int nd = fives_through(b, mf[0], def, dt);
        bool win = vct_rec(s, b, att, depth, dt, nd);
        ts_remove(b, mf[0]);
        return win;
    }
    return depth >= 2 && is_threat(s, b, att, line, &len) &&
           all_defences_lose(s, b, att, depth, line, len);
}

/* Same invariants as vcf_rec. */
static bool vct_rec(ts_solver_t *s, ts_board_t *b, int att, int depth, const int *dthreat,
                    int n_dthreat)
{
    s->nodes++;
    if (n_dthreat >= 2 || depth < 2)
        return false;
    if (vcf_rec(s, b, att, depth, dthreat, n_dthreat, NULL, NULL))
        return true;
    uint64_t key = tt_key(b, att, KIND_VCT);
    int known = tt_probe(s, key, depth);
    if (known)
        return known > 0;

    int moves[TS_MAX_CELLS], fives[TS_MAX_CELLS], n = 0;
    uint8_t mark[TS_MAX_CELLS];
    if (n_dthreat == 1) {
        moves[n++] = dthreat[0];
    } else {
        /* Fours first (cheap, forcing), then every cell that could start a
         * three: an empty cell of a window with two attacker stones. */
        n = ts_four_moves(b, att, moves, fives);
        mark_windows(b, att, 2, mark);
        for (int i = 0; i < n; i++)
            mark[moves[i]] = 0;
        for (int i = 0; i < b->size * b->size; i++)
            if (mark[i])
                moves[n++] = i;
    }
    bool win = false;
    for (int i = 0; i < n && !win; i++) {
        ts_place(b, moves[i], att);
        win = vct_after(s, b, att, moves[i], depth - 1);
        ts_remove(b, moves[i]);
    }
    tt_store(s, key, depth, win);
    return win;
}

bool ts_wins_after(ts_solver_t *s, ts_board_t *b, int att, int move, int depth, bool vct)
{
    int def = 3 - att, cells[TS_MAX_CELLS], mf[TS_MAX_CELLS], dt[TS_MAX_CELLS];
    if (depth < 1 || b->cell[move] != TS_EMPTY)
        return false;
    if (ts_makes_five(b, move, att))
        return true;
    /* A defender five elsewhere than move wins for him at once. */
    int nd = ts_five_cells(b, def, cells);
    if (nd > 1 || (nd == 1 && cells[0] != move))
        return false;
    bool win = false;
    ts_place(b, move, att);
    if (vct) {
        win = vct_after(s, b, att, move, depth - 1);
    } else {
        int k = fives_through(b, move, att, mf);
        if (k >= 2) {
            win = depth >= 2;
        } else if (k == 1 && !ts_makes_five(b, mf[0], def)) {
            ts_place(b, mf[0], def);
            nd = fives_through(b, mf[0], def, dt);
            win = vcf_rec(s, b, att, depth - 1, dt, nd, NULL, NULL);
            ts_remove(b, mf[0]);
        }
    }
    ts_remove(b, move);
    return win;
}

bool ts_vct(ts_solver_t *s, ts_board_t *b, int attacker, int depth)
{
    int cells[TS_MAX_CELLS];
    if (ts_five_cells(b, attacker, cells) > 0)
        return depth >= 1;
    int n = ts_five_cells(b, 3 - attacker, cells);
    return vct_rec(s, b, attacker, depth, cells, n);
}

int ts_vct_length(ts_solver_t *s, ts_board_t *b, int attacker, int max_depth)
{
    for (int d = 1; d <= max_depth; d++)
        if (ts_vct(s, b, attacker, d))
            return d;
    return 0;
}
