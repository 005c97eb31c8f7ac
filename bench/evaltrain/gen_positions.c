/*
 * gen_positions: middle-game positions for training the evaluation, from
 * fast self-play of the engine.
 *
 * Each game starts from a random opening of 2 to 5 stones in the centre
 * 7 x 7, then the engine plays both sides under a node limit, with an
 * occasional random move near the stones in the first 24 plies so that the
 * games do not repeat. Every position from the end of the opening to the end
 * of the game is printed as one line:
 *
 *     <rule> <size> x,y x,y ...        (x = column, y = row, black first)
 *
 * With --walk K, each position is followed by a line for a position a few
 * plies further down a line the search might try: 1 to K moves, each drawn
 * from the first WALK_TOP of the engine's ordered candidates (the forced-
 * move filter applies, as in the search). The evaluation is asked about
 * such positions at the leaves, which games alone do not show it. With
 * --from FILE, no games are played: the walks start from the positions in
 * FILE ('<rule> <size> x,y ...' lines, as this tool prints them).
 *
 * Deterministic for a given seed (node limits, no clock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/movegen.h"
#include "game/rules.h"

#define WALK_TOP 6

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rng_below(int n)
{
    return (int)(rng_next() % (uint64_t)n);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gen_positions [--games N] [--nodes N] [--size N] [--rule freestyle|standard]\n"
            "                     [--seed N] [--skip-last N] [--walk K] [--from FILE]\n"
            "Plays N self-play games (default 100) with a node limit per move (default\n"
            "20000, varied by +-50%% per game) and prints every position after the\n"
            "opening as '<rule> <size> x,y x,y ...' (black first). --walk K adds after\n"
            "each position one 1 to K plies further, each ply one of the engine's first\n"
            "6 ordered moves; --from FILE walks from FILE's positions instead of games.\n");
}

static bool has_stone_near(const game_board_t *gb, int r, int c)
{
    for (int dr = -2; dr <= 2; dr++)
        for (int dc = -2; dc <= 2; dc++) {
            int rr = r + dr, cc = c + dc;
            if (rr >= 0 && cc >= 0 && rr < gb->size && cc < gb->size &&
                gb->cells[rr * gb->size + cc] != ENGINE_EMPTY)
                return true;
        }
    return false;
}

static void print_position(const engine_position_t *pos)
{
    printf("%d %d", (int)pos->rule, pos->size);
    for (int i = 0; i < pos->n_stones; i++)
        printf(" %d,%d", pos->stones[i].at.col, pos->stones[i].at.row);
    putchar('\n');
}

/* Prints the position 1 to max_plies plies after pos along moves drawn
 * from the first WALK_TOP ordered candidates; nothing when the walk meets
 * a five (the search would not evaluate there). */
static void print_walk(const engine_position_t *pos, int max_plies)
{
    static board_t b;
    static move_list_t ml;
    static engine_position_t out;
    board_reset(&b, pos->size, pos->rule);
    out = *pos;
    for (int i = 0; i < pos->n_stones; i++)
        board_put(&b, board_cell(pos->stones[i].at.row, pos->stones[i].at.col),
                  i % 2 ? CELL_WHITE : CELL_BLACK);
    board_set_to_move(&b, pos->n_stones % 2 ? CELL_WHITE : CELL_BLACK);
    for (int ply = 1 + rng_below(max_plies); ply > 0; ply--) {
        int us = b.to_move;
        if (b.count[us][THREAT_FIVE] || b.count[3 - us][THREAT_FIVE])
            return;
        movegen_generate(&b, &ml);
        if (ml.n == 0) /* a full board */
            return;
        int top = ml.n < WALK_TOP ? ml.n : WALK_TOP;
        for (int i = 0; i < top; i++)
            movegen_pick(&ml, i);
        int c = ml.move[rng_below(top)];
        board_make(&b, c);
        out.stones[out.n_stones++] =
            (engine_stone_t){{(int8_t)board_row(c), (int8_t)board_col(c)},
                             us == CELL_BLACK ? ENGINE_BLACK : ENGINE_WHITE};
    }
    if (!b.count[b.to_move][THREAT_FIVE] && !b.count[3 - b.to_move][THREAT_FIVE])
        print_position(&out);
}

/* Reads '<rule> <size> x,y ...' into pos: 1 for a position, 0 at the end,
 * -1 for a line that is not a legal position (off the board, a cell twice). */
static int read_position(FILE *in, engine_position_t *pos)
{
    static char line[1 << 14];
    int rule, size, used, x, y;
    if (!fgets(line, sizeof line, in))
        return 0;
    if (sscanf(line, "%d %d%n", &rule, &size, &used) != 2 || rule < 0 ||
        rule >= ENGINE_RULE_COUNT || size < ENGINE_MIN_SIZE || size > ENGINE_MAX_SIZE)
        return -1;
    memset(pos, 0, sizeof *pos);
    pos->rule = (engine_rule_t)rule;
    pos->size = size;
    bool taken[ENGINE_MAX_CELLS] = {false};
    const char *p = line + used;
    for (; sscanf(p, " %d,%d%n", &x, &y, &used) == 2; p += used) {
        if (x < 0 || y < 0 || x >= size || y >= size || taken[y * size + x])
            return -1;
        taken[y * size + x] = true;
        pos->stones[pos->n_stones] = (engine_stone_t){
            {(int8_t)y, (int8_t)x}, pos->n_stones % 2 ? ENGINE_WHITE : ENGINE_BLACK};
        pos->n_stones++;
    }
    return p[strspn(p, " \t\r\n")] == '\0' ? 1 : -1;
}

int main(int argc, char **argv)
{
    int games = 100, size = 15, skip_last = 0, walk = 0;
    const char *from = NULL;
    long nodes = 20000;
    engine_rule_t rule = ENGINE_RULE_FREESTYLE;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            fprintf(stderr, "gen_positions: %s needs a value\n", a);
            return 2;
        }
        i++;
        if (!strcmp(a, "--games"))
            games = atoi(v);
        else if (!strcmp(a, "--nodes"))
            nodes = atol(v);
        else if (!strcmp(a, "--size"))
            size = atoi(v);
        else if (!strcmp(a, "--skip-last"))
            skip_last = atoi(v);
        else if (!strcmp(a, "--walk"))
            walk = atoi(v);
        else if (!strcmp(a, "--from"))
            from = v;
        else if (!strcmp(a, "--seed"))
            seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--rule") && !strcmp(v, "freestyle"))
            rule = ENGINE_RULE_FREESTYLE;
        else if (!strcmp(a, "--rule") && !strcmp(v, "standard"))
            rule = ENGINE_RULE_STANDARD;
        else {
            fprintf(stderr, "gen_positions: bad option %s %s\n", a, v);
            usage(stderr);
            return 2;
        }
    }
    if (games < 1 || nodes < 100 || size < 9 || size > ENGINE_MAX_SIZE || walk < 0 ||
        (from && !walk)) {
        fprintf(stderr, "gen_positions: need --games >= 1, --nodes >= 100, 9 <= --size <= 25,\n"
                        "--walk >= 0, and --walk with --from\n");
        return 2;
    }
    rng_state = seed;
    if (from) {
        FILE *in = fopen(from, "r");
        if (!in) {
            perror(from);
            return 1;
        }
        if (engine_init() != ENGINE_OK) {
            fprintf(stderr, "gen_positions: out of memory\n");
            return 1;
        }
        static engine_position_t fp;
        int got;
        long line_no = 1;
        for (; (got = read_position(in, &fp)) > 0; line_no++)
            print_walk(&fp, walk);
        fclose(in);
        if (got < 0) {
            fprintf(stderr,
                    "gen_positions: %s:%ld: not '<rule> <size> x,y ...' of a legal position\n",
                    from, line_no);
            return 1;
        }
        return 0;
    }
    engine_ctx_t *ctx;
    if (engine_init() != ENGINE_OK || engine_ctx_create(16, &ctx) != ENGINE_OK) {
        fprintf(stderr, "gen_positions: out of memory\n");
        return 1;
    }
    static engine_position_t pos;
    for (int g = 0; g < games; g++) {
        game_board_t gb = {.size = size};
        memset(&pos, 0, sizeof pos);
        pos.size = size;
        pos.rule = rule;
        int centre = size / 2, n_open = 2 + rng_below(4);
        engine_limits_t lim = {.nodes = (uint64_t)(nodes / 2 + rng_below((int)nodes))};
        bool over = false;
        while (!over && pos.n_stones < size * size) {
            engine_color_t color = pos.n_stones % 2 ? ENGINE_WHITE : ENGINE_BLACK;
            int r, c;
            if (pos.n_stones < n_open) {
                do {
                    r = centre - 3 + rng_below(7);
                    c = centre - 3 + rng_below(7);
                } while (gb.cells[r * size + c] != ENGINE_EMPTY);
            } else if (pos.n_stones < 24 && rng_below(100) < 8) {
                do {
                    r = rng_below(size);
                    c = rng_below(size);
                } while (gb.cells[r * size + c] != ENGINE_EMPTY || !has_stone_near(&gb, r, c));
            } else {
                pos.to_move = color;
                engine_result_t res;
                if (engine_search(ctx, &pos, &lim, NULL, &res) != ENGINE_OK)
                    break;
                r = res.move.row;
                c = res.move.col;
            }
            gb.cells[r * size + c] = (unsigned char)color;
            pos.stones[pos.n_stones++] = (engine_stone_t){{(int8_t)r, (int8_t)c}, color};
            over = game_is_win_at(&gb, rule, r, c, NULL);
        }
        /* The positions after the opening, less the last skip_last. */
        int end = pos.n_stones - skip_last;
        for (int n = n_open; n < end; n++) {
            int all = pos.n_stones;
            pos.n_stones = n;
            print_position(&pos);
            if (walk)
                print_walk(&pos, walk);
            pos.n_stones = all;
        }
    }
    engine_ctx_destroy(ctx);
    return 0;
}
