#include "client/player.h"

#include <string.h>

/* Value of a five-cell window holding n of our stones after the move (and
 * none of the opponent's). Each step is ten times the last, so one window
 * closer to five outweighs several further away. */
static const double WINDOW_VALUE[6] = {0, 1, 10, 100, 1000, 100000};

/* Defence counts a little less than attack: with equal stakes, building our
 * own line is better than answering theirs. */
#define DEFENCE_WEIGHT 0.9

/* Candidate cells lie this close (in king moves) to a stone. */
#define NEAR 2

static const int DIRS[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

static int at(const game_board_t *b, int r, int c)
{
    if (r < 0 || c < 0 || r >= b->size || c >= b->size) {
        return -1;
    }
    return b->cells[r * b->size + c];
}

/* The worth for `color` of a stone at (r, c), an empty cell. */
static double line_value(const game_board_t *b, int r, int c, int color)
{
    double v = 0;
    for (int d = 0; d < 4; d++) {
        int dr = DIRS[d][0], dc = DIRS[d][1];
        for (int start = -4; start <= 0; start++) {
            int own = 1;
            bool open = true;
            for (int i = 0; i < 5 && open; i++) {
                int k = start + i;
                if (k == 0) {
                    continue;
                }
                int cell = at(b, r + k * dr, c + k * dc);
                if (cell == color) {
                    own++;
                } else if (cell != ENGINE_EMPTY) {
                    open = false; /* off the board or an opponent's stone */
                }
            }
            if (open) {
                v += WINDOW_VALUE[own];
            }
        }
    }
    return v;
}

static bool near_stone(const game_board_t *b, int r, int c)
{
    for (int dr = -NEAR; dr <= NEAR; dr++) {
        for (int dc = -NEAR; dc <= NEAR; dc++) {
            int cell = at(b, r + dr, c + dc);
            if (cell == ENGINE_BLACK || cell == ENGINE_WHITE) {
                return true;
            }
        }
    }
    return false;
}

static bool wins_at(game_board_t *b, engine_rule_t rule, int r, int c, int color)
{
    b->cells[r * b->size + c] = (unsigned char)color;
    bool win = game_is_win_at(b, rule, r, c, NULL);
    b->cells[r * b->size + c] = ENGINE_EMPTY;
    return win;
}

/* Picks uniformly among the n cells in list (n > 0). */
static void pick(const int *list, int n, int size, client_rng_t *rng, int *row, int *col)
{
    int i = list[client_rng_below(rng, (uint64_t)n)];
    *row = i / size;
    *col = i % size;
}

bool client_player_choose(const game_record_t *rec, client_rng_t *rng, int *row, int *col)
{
    if (game_record_finished(rec)) {
        return false;
    }
    game_board_t b;
    game_record_board(rec, &b);
    int size = b.size;
    int me = game_record_to_move(rec) == GAME_SIDE_X ? ENGINE_BLACK : ENGINE_WHITE;
    int them = me == ENGINE_BLACK ? ENGINE_WHITE : ENGINE_BLACK;

    if (rec->n_moves == 0) {
        /* Open near the centre, shifted by up to one cell for variety. */
        *row = size / 2 + (int)client_rng_below(rng, 3) - 1;
        *col = size / 2 + (int)client_rng_below(rng, 3) - 1;
        return true;
    }

    /* Renju: black's forbidden points are off limits (the referee's list;
     * empty unless black is to move under renju). */
    bool banned[ENGINE_MAX_CELLS] = {false};
    engine_move_t fcells[ENGINE_MAX_CELLS];
    engine_forbid_t fkinds[ENGINE_MAX_CELLS];
    int n_forbidden = 0;
    if (game_record_forbidden(rec, fcells, fkinds, &n_forbidden) != GAME_OK) {
        return false;
    }
    for (int i = 0; i < n_forbidden; i++) {
        banned[fcells[i].row * size + fcells[i].col] = true;
    }

    int cand[ENGINE_MAX_CELLS], n_cand = 0;
    for (int i = 0; i < size * size; i++) {
        if (b.cells[i] == ENGINE_EMPTY && !banned[i] && near_stone(&b, i / size, i % size)) {
            cand[n_cand++] = i;
        }
    }
    if (n_cand == 0) {
        /* Every cell near the stones is taken: any empty cell will do. */
        for (int i = 0; i < size * size; i++) {
            if (b.cells[i] == ENGINE_EMPTY && !banned[i]) {
                cand[n_cand++] = i;
            }
        }
        if (n_cand == 0) {
            return false;
        }
    }

    /* 1. Win now. 2. Stop the opponent's five. */
    int urgent[ENGINE_MAX_CELLS], n_urgent = 0;
    for (int pass = 0; pass < 2; pass++) {
        int color = pass == 0 ? me : them;
        for (int k = 0; k < n_cand; k++) {
            if (wins_at(&b, rec->rule, cand[k] / size, cand[k] % size, color)) {
                urgent[n_urgent++] = cand[k];
            }
        }
        if (n_urgent > 0) {
            pick(urgent, n_urgent, size, rng, row, col);
            return true;
        }
    }

    /* 3. The best mix of attack and defence, with up to 10% noise so that
     * near-equal cells are chosen by the seed. A draw for every candidate
     * keeps the sequence independent of which cell happens to lead. */
    double best = -1;
    int best_cell = cand[0];
    for (int k = 0; k < n_cand; k++) {
        int r = cand[k] / size, c = cand[k] % size;
        double v = line_value(&b, r, c, me) + DEFENCE_WEIGHT * line_value(&b, r, c, them);
        v *= 1.0 + 0.1 * client_rng_unit(rng);
        if (v > best) {
            best = v;
            best_cell = cand[k];
        }
    }
    *row = best_cell / size;
    *col = best_cell % size;
    return true;
}
