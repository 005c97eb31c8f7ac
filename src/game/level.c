#include "game/level.h"

#include <math.h>

/* Measured with bench/level_ladder.sh (docs/engine.md, "Levels"). The best
 * of the ranked moves gets half the node budget, and from level 3 up each
 * level's budget buys that line about one ply more than the level below
 * (2.5 to 5 times the nodes); temperatures, in the fitted evaluation's
 * score units (engine_eval_scale()), fall by about half per level, so the
 * top levels almost always play their best ranked move. */
static const game_level_t LEVELS[GAME_MAX_LEVEL] = {
    [1] = {.nodes = 150, .multipv = 10, .temperature = 1200, .random_share = 40},
    [2] = {.nodes = 300, .multipv = 8, .temperature = 800, .random_share = 15},
    [3] = {.nodes = 800, .multipv = 6, .temperature = 600},
    [4] = {.nodes = 4000, .multipv = 5, .temperature = 250},
    [5] = {.nodes = 11000, .multipv = 4, .temperature = 140},
    [6] = {.nodes = 30000, .multipv = 3, .temperature = 80},
    [7] = {.nodes = 80000, .multipv = 3, .temperature = 45},
    [8] = {.nodes = 180000, .multipv = 2, .temperature = 22},
    [9] = {.nodes = 400000, .multipv = 2, .temperature = 7},
};

const game_level_t *game_level(int level)
{
    if (level < GAME_MIN_LEVEL || level >= GAME_MAX_LEVEL) {
        return NULL;
    }
    return &LEVELS[level];
}

uint64_t game_level_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t game_level_rng(int64_t seed, int n_moves)
{
    uint64_t s = (uint64_t)seed ^ ((uint64_t)n_moves * 0xD1B54A32D192ED03ULL);
    game_level_next(&s);
    return s;
}

/* A uniform double in [0, 1). */
static double uniform(uint64_t *rng)
{
    return (double)(game_level_next(rng) >> 11) * 0x1.0p-53;
}

int game_level_pick(const game_level_t *lv, const engine_line_t *lines, int n, uint64_t *rng)
{
    if (n <= 1 || lv == NULL || lv->temperature <= 0) {
        return 0;
    }
    double w[ENGINE_MAX_LINES], sum = 0;
    for (int i = 0; i < n && i < ENGINE_MAX_LINES; i++) {
        /* Scores are best first; a mate score far below the best weighs 0. */
        double d = (double)(lines[i].score - lines[0].score) / lv->temperature;
        w[i] = d < -50 ? 0 : exp(d);
        sum += w[i];
    }
    double x = uniform(rng) * sum;
    for (int i = 0; i < n && i < ENGINE_MAX_LINES; i++) {
        if (x < w[i]) {
            return i;
        }
        x -= w[i];
    }
    return 0;
}

bool game_level_random_move(const game_level_t *lv, const game_record_t *rec, uint64_t *rng,
                            int *row, int *col)
{
    if (lv == NULL || lv->random_share <= 0 || rec->n_moves == 0 ||
        game_level_next(rng) % 100 >= (uint64_t)lv->random_share) {
        return false;
    }
    int size = rec->board_size;
    game_board_t board;
    game_record_board(rec, &board);
    int cells[ENGINE_MAX_CELLS], n = 0;
    for (int r = 0; r < size; r++) {
        for (int c = 0; c < size; c++) {
            if (board.cells[r * size + c] != ENGINE_EMPTY) {
                continue;
            }
            bool near = false;
            for (int dr = -2; dr <= 2 && !near; dr++) {
                for (int dc = -2; dc <= 2 && !near; dc++) {
                    int rr = r + dr, cc = c + dc;
                    near = rr >= 0 && rr < size && cc >= 0 && cc < size &&
                           board.cells[rr * size + cc] != ENGINE_EMPTY;
                }
            }
            if (near) {
                cells[n++] = r * size + c;
            }
        }
    }
    if (n == 0) {
        return false;
    }
    int pick = cells[game_level_next(rng) % (uint64_t)n];
    *row = pick / size;
    *col = pick % size;
    return true;
}
