/* Renju forbidden points: hand-made shapes of every kind, a slow checker
 * written from the rule's text cross-checked against engine_forbidden_points()
 * on random legal renju games, and searches that never play a forbidden
 * point and win through one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

/* ---- The slow checker: a plain grid, the rule's definitions, no tables. */

enum { CK_EMPTY = 0, CK_BLACK = 1, CK_WHITE = 2, CK_OFF = 3 };

typedef struct ck_board {
    int size;
    uint8_t g[ENGINE_MAX_SIZE][ENGINE_MAX_SIZE];
} ck_board_t;

static const int ck_dr[4] = {0, 1, 1, 1};
static const int ck_dc[4] = {1, 0, 1, -1};

static int ck_at(const ck_board_t *b, int r, int c)
{
    if (r < 0 || c < 0 || r >= b->size || c >= b->size)
        return CK_OFF;
    return b->g[r][c];
}

/* Black stones in the unbroken row through (r, c) along d; (r, c) is black. */
static int ck_run(const ck_board_t *b, int r, int c, int d)
{
    int n = 1;
    for (int k = 1; ck_at(b, r + k * ck_dr[d], c + k * ck_dc[d]) == CK_BLACK; k++)
        n++;
    for (int k = 1; ck_at(b, r - k * ck_dr[d], c - k * ck_dc[d]) == CK_BLACK; k++)
        n++;
    return n;
}

/* Would a black stone on the empty point k steps from (r, c) along d make
 * exactly five in a row through (r, c)? */
static bool ck_completes_five(ck_board_t *b, int r, int c, int d, int k)
{
    int rr = r + k * ck_dr[d], cc = c + k * ck_dc[d];
    if (k == 0 || ck_at(b, rr, cc) != CK_EMPTY)
        return false;
    b->g[rr][cc] = CK_BLACK;
    bool five = ck_run(b, r, c, d) == 5;
    b->g[rr][cc] = CK_EMPTY;
    return five;
}

/* Offsets along d (from the whole line) completing five through (r, c). */
static int ck_five_points(ck_board_t *b, int r, int c, int d, int *pts)
{
    int n = 0;
    for (int k = -b->size; k <= b->size; k++)
        if (ck_completes_five(b, r, c, d, k))
            pts[n++] = k;
    return n;
}

/* A straight four through (r, c) along d: two points five apart that both
 * complete five through (r, c). */
static bool ck_straight_four(ck_board_t *b, int r, int c, int d)
{
    int pts[64];
    int n = ck_five_points(b, r, c, d, pts);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (pts[j] - pts[i] == 5)
                return true;
    return false;
}

static engine_forbid_t ck_forbidden(ck_board_t *b, int r, int c);

/* Would black make exactly five in some line by playing the empty (r, c)? */
static bool ck_makes_five(ck_board_t *b, int r, int c)
{
    b->g[r][c] = CK_BLACK;
    bool five = false;
    for (int d = 0; d < 4; d++)
        five = five || ck_run(b, r, c, d) == 5;
    b->g[r][c] = CK_EMPTY;
    return five;
}

/* A three through (r, c) along d, the stone at (r, c) in place: some empty
 * point of the line makes a straight four through (r, c), black may play it,
 * and it does not make five instead (a winning move is no four-maker). */
static bool ck_three(ck_board_t *b, int r, int c, int d)
{
    for (int k = -b->size; k <= b->size; k++) {
        int rr = r + k * ck_dr[d], cc = c + k * ck_dc[d];
        if (k == 0 || ck_at(b, rr, cc) != CK_EMPTY)
            continue;
        b->g[rr][cc] = CK_BLACK;
        bool four = ck_straight_four(b, r, c, d);
        b->g[rr][cc] = CK_EMPTY;
        if (four && !ck_makes_five(b, rr, cc) && ck_forbidden(b, rr, cc) == ENGINE_FORBID_NONE)
            return true;
    }
    return false;
}

/* The rule: five wins; else overline; else two fours (a line whose five
 * points are not one straight four counts each of them); else two threes
 * (a line counts as a three only if it has no four). */
static engine_forbid_t ck_forbidden(ck_board_t *b, int r, int c)
{
    engine_forbid_t res = ENGINE_FORBID_NONE;
    b->g[r][c] = CK_BLACK;
    bool five = false, over = false;
    for (int d = 0; d < 4; d++) {
        int n = ck_run(b, r, c, d);
        five = five || n == 5;
        over = over || n > 5;
    }
    if (!five) {
        int fours = 0, threes = 0;
        for (int d = 0; d < 4; d++) {
            int pts[64];
            int n = ck_five_points(b, r, c, d, pts);
            if (n > 0)
                fours += n == 2 && ck_straight_four(b, r, c, d) ? 1 : n;
            else if (ck_three(b, r, c, d))
                threes++;
        }
        res = over          ? ENGINE_FORBID_OVERLINE
              : fours >= 2  ? ENGINE_FORBID_DOUBLE_FOUR
              : threes >= 2 ? ENGINE_FORBID_DOUBLE_THREE
                            : ENGINE_FORBID_NONE;
    }
    b->g[r][c] = CK_EMPTY;
    return res;
}

/* ---- Positions. */

/* rows of 'X' (black), 'O' (white), '.'; rows beyond those given are empty. */
static void from_rows(engine_position_t *pos, ck_board_t *ck, int size, engine_color_t to_move,
                      const char *const *rows, int n_rows)
{
    memset(pos, 0, sizeof(*pos));
    memset(ck, 0, sizeof(*ck));
    pos->size = ck->size = size;
    pos->rule = ENGINE_RULE_RENJU;
    pos->to_move = to_move;
    for (int r = 0; r < n_rows && rows[r]; r++)
        for (int c = 0; rows[r][c]; c++) {
            if (rows[r][c] != 'X' && rows[r][c] != 'O')
                continue;
            engine_stone_t *s = &pos->stones[pos->n_stones++];
            s->at = (engine_move_t){.row = (int8_t)r, .col = (int8_t)c};
            s->color = rows[r][c] == 'X' ? ENGINE_BLACK : ENGINE_WHITE;
            ck->g[r][c] = rows[r][c] == 'X' ? CK_BLACK : CK_WHITE;
        }
}

static engine_forbid_t engine_at(const engine_position_t *pos, int r, int c)
{
    engine_forbid_t k = ENGINE_FORBID_NONE;
    assert_int_equal(engine_forbidden(pos, (engine_move_t){.row = (int8_t)r, .col = (int8_t)c}, &k),
                     ENGINE_OK);
    return k;
}

typedef struct shape {
    const char *name;
    const char *rows[15];
    int r, c; /* the point under test */
    engine_forbid_t want;
} shape_t;

/* Each shape is checked against its hand-worked answer by both the engine
 * and the checker, so an error in either shows. */
static const shape_t shapes[] = {
    {"overline", {"", "", "", "", "", "", "", "...XXX.XX"}, 7, 6, ENGINE_FORBID_OVERLINE},
    {"overline of seven", {"", "", "", "", "", "", "", "..XXX.XXX"}, 7, 5, ENGINE_FORBID_OVERLINE},
    {"exact five is no overline",
     {"", "", "", "", "", "", "", "...XXX.X.X"},
     7,
     6,
     ENGINE_FORBID_NONE},
    {"five beats an overline in another line",
     {"", "", "", "", "....X", "....X", "....X", "XXXX.", "....X", "....X"},
     7,
     4,
     ENGINE_FORBID_NONE},
    {"the same overline without the five",
     {"", "", "", "", "....X", "....X", "....X", "XXX..", "....X", "....X"},
     7,
     4,
     ENGINE_FORBID_OVERLINE},
    {"double four in two lines",
     {"", "", "", ".......O", ".......X", ".......X", ".......X", "...OXXX."},
     7,
     7,
     ENGINE_FORBID_DOUBLE_FOUR},
    {"five beats a double four",
     {"", "", "", ".......O", ".......X", ".......X", ".......X", "...XXXX."},
     7,
     7,
     ENGINE_FORBID_NONE},
    {"double four in one line X.XXX.X",
     {"", "", "", "", "", "", "", "...X.X.X.X"},
     7,
     6,
     ENGINE_FORBID_DOUBLE_FOUR},
    {"double four in one line XX.XX.XX",
     {"", "", "", "", "", "", "", "..XX..X.XX"},
     7,
     5,
     ENGINE_FORBID_DOUBLE_FOUR},
    {"one straight four is no double four",
     {"", "", "", "", "", "", "", "....XXX...."},
     7,
     7,
     ENGINE_FORBID_NONE},
    {"four-three is allowed",
     {"", "", "", "", "", ".......X", ".......X", "...OXXX."},
     7,
     7,
     ENGINE_FORBID_NONE},
    {"double three",
     {"", "", "", "", "", ".......X", ".......X", ".....XX."},
     7,
     7,
     ENGINE_FORBID_DOUBLE_THREE},
    {"double three with split threes",
     {"", "", "", "", ".......X", "", ".......X", ".....X..X"},
     7,
     7,
     ENGINE_FORBID_DOUBLE_THREE},
    {"double three on the diagonals",
     {"", "", "", "", "", ".....X...X", "......X.X", "", "", ""},
     7,
     7,
     ENGINE_FORBID_DOUBLE_THREE},
    {"a three blocked by white is no three",
     {"", "", "", "", ".......O", ".......X", ".......X", ".....XX.", ".......O"},
     7,
     7,
     ENGINE_FORBID_NONE},
    {"a three against the edge is no three", {"...X", "...X", ".XX."}, 2, 3, ENGINE_FORBID_NONE},
    {"one row from the edge it is", {"", "...X", "...X", ".XX."}, 3, 3, ENGINE_FORBID_DOUBLE_THREE},
    {"threes near a corner on the diagonals",
     {"", ".X", "..X", "", "..X", ".X"},
     3,
     3,
     ENGINE_FORBID_DOUBLE_THREE},
    {"diagonal three against the corner", {"X", ".X", "", "..X", "..X"}, 2, 2, ENGINE_FORBID_NONE},
    {"four against the edge still counts",
     {"X", "X", "X", ".XXX"},
     3,
     0,
     ENGINE_FORBID_DOUBLE_FOUR},
    /* Recursive: the vertical three's only four-point (6,7) would be an
     * overline with the stone at (7,7) in place, so it is no three. */
    {"three whose four-point is forbidden",
     {"", "", "", "", "", ".......X", "....XXX.XX", ".....XX.", ".......X"},
     7,
     7,
     ENGINE_FORBID_NONE},
    {"the four-point allowed (neither overline nor five)",
     {"", "", "", "", "", ".......X", "....XX...X", ".....XX.", ".......X"},
     7,
     7,
     ENGINE_FORBID_DOUBLE_THREE},
    /* The vertical three's only four-point (6,7) makes five in row 6: a
     * winning move, not a four-maker, so the column is no three. */
    {"three whose four-point makes five",
     {"", "", "", "", "", ".......X", "...XXXX.", ".....XX.", ".......X"},
     7,
     7,
     ENGINE_FORBID_NONE},
    /* The vertical three's only four-point (6,7) would make a straight four,
     * a three in row 6 and a three on the diagonal: four-three-three, a
     * double three, so again no three here. */
    {"three whose four-point is a double three",
     {"", "", "", "", ".....X", "......XX", ".........XX", ".....XX.", ".......X"},
     7,
     7,
     ENGINE_FORBID_NONE},
    {"the same with the four-point a four-three",
     {"", "", "", "", ".....X", "......XX", ".........X", ".....XX.", ".......X"},
     7,
     7,
     ENGINE_FORBID_DOUBLE_THREE},
};

static void test_shapes(void **state)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const shape_t *s = &shapes[i];
        engine_position_t pos;
        ck_board_t ck;
        from_rows(&pos, &ck, 15, ENGINE_BLACK, s->rows, 15);
        engine_forbid_t got = engine_at(&pos, s->r, s->c);
        engine_forbid_t slow = ck_forbidden(&ck, s->r, s->c);
        if (got != s->want || slow != s->want) {
            fprintf(stderr, "%s: engine %s, checker %s, want %s\n", s->name,
                    engine_forbid_name(got), engine_forbid_name(slow), engine_forbid_name(s->want));
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_other_rules_and_errors(void **state)
{
    engine_position_t pos;
    ck_board_t ck;
    const char *rows[] = {"", "", "", "", "", ".......X", ".......X", ".....XX."};
    from_rows(&pos, &ck, 15, ENGINE_BLACK, rows, 8);
    assert_int_equal(engine_at(&pos, 7, 7), ENGINE_FORBID_DOUBLE_THREE);
    pos.to_move = ENGINE_WHITE; /* the question is black's, whoever moves */
    assert_int_equal(engine_at(&pos, 7, 7), ENGINE_FORBID_DOUBLE_THREE);
    engine_move_t cells[ENGINE_MAX_CELLS];
    engine_forbid_t kinds[ENGINE_MAX_CELLS];
    int n = -1;
    assert_int_equal(engine_forbidden_points(&pos, cells, kinds, &n), ENGINE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cells[0].row, 7);
    assert_int_equal(cells[0].col, 7);
    assert_int_equal(kinds[0], ENGINE_FORBID_DOUBLE_THREE);
    for (int rule = ENGINE_RULE_FREESTYLE; rule <= ENGINE_RULE_STANDARD; rule++) {
        pos.rule = (engine_rule_t)rule;
        assert_int_equal(engine_at(&pos, 7, 7), ENGINE_FORBID_NONE);
        assert_int_equal(engine_forbidden_points(&pos, cells, kinds, &n), ENGINE_OK);
        assert_int_equal(n, 0);
    }
    pos.rule = ENGINE_RULE_RENJU;
    engine_forbid_t k;
    assert_int_equal(engine_forbidden(&pos, (engine_move_t){5, 7}, &k), ENGINE_EINVAL);
    assert_int_equal(engine_forbidden(&pos, (engine_move_t){15, 0}, &k), ENGINE_EINVAL);
    assert_int_equal(engine_forbidden(&pos, (engine_move_t){-1, 3}, &k), ENGINE_EINVAL);
    assert_int_equal(engine_forbidden(NULL, (engine_move_t){1, 1}, &k), ENGINE_EINVAL);
    pos.rule = (engine_rule_t)ENGINE_RULE_COUNT;
    assert_int_equal(engine_forbidden(&pos, (engine_move_t){1, 1}, &k), ENGINE_EINVAL);
    assert_string_equal(engine_forbid_name(ENGINE_FORBID_DOUBLE_THREE), "double three");
    assert_string_equal(engine_forbid_name(ENGINE_FORBID_OVERLINE), "overline");
    assert_string_equal(engine_forbid_name(ENGINE_FORBID_DOUBLE_FOUR), "double four");
}

/* ---- Random legal renju games, grown with the checker's judgement. */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

static bool ck_wins(ck_board_t *b, int r, int c, int color)
{
    for (int d = 0; d < 4; d++) {
        int n = 1;
        for (int s = -1; s <= 1; s += 2)
            for (int k = 1; ck_at(b, r + s * k * ck_dr[d], c + s * k * ck_dc[d]) == color; k++)
                n++;
        if (color == CK_BLACK ? n == 5 : n >= 5)
            return true;
    }
    return false;
}

/* Plays random legal moves near the stones (black never on a forbidden
 * point, the game stops before a five) until n_target stones. Returns false
 * when the game ended first. */
static bool random_game(engine_position_t *pos, ck_board_t *ck, int size, int n_target)
{
    memset(pos, 0, sizeof(*pos));
    memset(ck, 0, sizeof(*ck));
    pos->size = ck->size = size;
    pos->rule = ENGINE_RULE_RENJU;
    int color = CK_BLACK;
    for (int i = 0; i < n_target; i++) {
        int r = size / 2, c = size / 2, tries = 0;
        for (; i > 0 && tries < 200; tries++) {
            /* Near a random stone, so the shapes get dense. */
            const engine_stone_t *s = &pos->stones[next_rand() % (unsigned)pos->n_stones];
            r = s->at.row + (int)(next_rand() % 5) - 2;
            c = s->at.col + (int)(next_rand() % 5) - 2;
            if (ck_at(ck, r, c) != CK_EMPTY)
                continue;
            if (color == CK_BLACK && ck_forbidden(ck, r, c) != ENGINE_FORBID_NONE)
                continue;
            break;
        }
        if (tries == 200)
            return false;
        if (ck_wins(ck, r, c, color))
            return false; /* keep the positions of games still going */
        ck->g[r][c] = (uint8_t)color;
        engine_stone_t *st = &pos->stones[pos->n_stones++];
        st->at = (engine_move_t){.row = (int8_t)r, .col = (int8_t)c};
        st->color = color == CK_BLACK ? ENGINE_BLACK : ENGINE_WHITE;
        color = 3 - color;
    }
    pos->to_move = color == CK_BLACK ? ENGINE_BLACK : ENGINE_WHITE;
    return true;
}

static void test_checker_cross_check(void **state)
{
    static const int sizes[] = {15, 15, 15, 9, 7, 19, 20};
    int positions = 0, forbidden[4] = {0}, points = 0;
    engine_move_t cells[ENGINE_MAX_CELLS];
    engine_forbid_t kinds[ENGINE_MAX_CELLS];
    while (positions < 2000) {
        engine_position_t pos;
        ck_board_t ck;
        int size = sizes[next_rand() % (sizeof(sizes) / sizeof(sizes[0]))];
        int stones = 8 + (int)(next_rand() % (unsigned)(size * size / 3));
        if (!random_game(&pos, &ck, size, stones))
            continue;
        positions++;
        int n = 0;
        assert_int_equal(engine_forbidden_points(&pos, cells, kinds, &n), ENGINE_OK);
        int k = 0;
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++) {
                if (ck.g[r][c] != CK_EMPTY)
                    continue;
                points++;
                engine_forbid_t want = ck_forbidden(&ck, r, c);
                engine_forbid_t got = ENGINE_FORBID_NONE;
                if (k < n && cells[k].row == r && cells[k].col == c)
                    got = kinds[k++];
                if (got != want) {
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++)
                            fputc(y == r && x == c ? '*' : ".XO"[ck.g[y][x]], stderr);
                        fputc('\n', stderr);
                    }
                    fail_msg("position %d, point (%d,%d): engine %s, checker %s", positions, r, c,
                             engine_forbid_name(got), engine_forbid_name(want));
                }
                forbidden[want]++;
            }
        assert_int_equal(k, n);
    }
    fprintf(stderr, "%d positions, %d points: %d overline, %d double four, %d double three\n",
            positions, points, forbidden[1], forbidden[2], forbidden[3]);
    /* The games must actually produce every kind, or the check proves little. */
    assert_true(forbidden[ENGINE_FORBID_OVERLINE] > 50);
    assert_true(forbidden[ENGINE_FORBID_DOUBLE_FOUR] > 50);
    assert_true(forbidden[ENGINE_FORBID_DOUBLE_THREE] > 200);
}

/* ---- The search. */

static engine_ctx_t *new_ctx(void)
{
    engine_ctx_t *ctx = NULL;
    assert_int_equal(engine_ctx_create(4, &ctx), ENGINE_OK);
    return ctx;
}

/* Black's double three at (10,7) (column and anti-diagonal); white's four
 * on row 10 has its only five-point there, so black cannot block it: white
 * wins by fours. */
static const char *const through_forbidden[] = {
    "", "", "", "", "", "", "", "", ".......X.X", ".......XX", "..XOOO.", "", "", "", "",
};

static void test_white_wins_through_a_forbidden_point(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    ck_board_t ck;
    engine_result_t res;
    const char *rows[15];
    memcpy(rows, through_forbidden, sizeof(rows));
    from_rows(&pos, &ck, 15, ENGINE_WHITE, rows, 15);
    assert_int_equal(engine_at(&pos, 10, 7), ENGINE_FORBID_DOUBLE_THREE);
    assert_int_equal(ck_forbidden(&ck, 10, 7), ENGINE_FORBID_DOUBLE_THREE);
    assert_int_equal(
        engine_search(ctx, &pos, &(engine_limits_t){.depth = 4, .nodes = 200000}, NULL, &res),
        ENGINE_OK);
    assert_true(res.score >= ENGINE_WIN_MIN);
    assert_int_equal(res.move.row, 10);
    assert_int_equal(res.move.col, 6);
    /* Under freestyle black blocks there, and the four wins nothing. */
    pos.rule = ENGINE_RULE_FREESTYLE;
    assert_int_equal(
        engine_search(ctx, &pos, &(engine_limits_t){.depth = 4, .nodes = 200000}, NULL, &res),
        ENGINE_OK);
    assert_true(res.score < ENGINE_WIN_MIN);
    engine_ctx_destroy(ctx);
}

static void test_black_cannot_block_on_a_forbidden_point(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    ck_board_t ck;
    engine_result_t res;
    const char *rows[15];
    memcpy(rows, through_forbidden, sizeof(rows));
    rows[10] = "..XOOOO.";
    from_rows(&pos, &ck, 15, ENGINE_BLACK, rows, 15);
    assert_int_equal(engine_at(&pos, 10, 7), ENGINE_FORBID_DOUBLE_THREE);
    assert_int_equal(
        engine_search(ctx, &pos, &(engine_limits_t){.depth = 4, .nodes = 100000}, NULL, &res),
        ENGINE_OK);
    assert_true(res.score <= -ENGINE_WIN_MIN);
    assert_false(res.move.row == 10 && res.move.col == 7);
    assert_int_equal(engine_at(&pos, res.move.row, res.move.col), ENGINE_FORBID_NONE);
    engine_ctx_destroy(ctx);
}

/* A double three wins at freestyle; under renju black must not play it. */
static void test_black_never_plays_a_winning_double_three(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    engine_position_t pos;
    ck_board_t ck;
    engine_result_t res;
    const char *rows[] = {"O.............O", "", "", "", "", ".......X", ".......X",
                          ".....XX.",        "", "", "", "", "",         "",
                          "O.............O"};
    from_rows(&pos, &ck, 15, ENGINE_BLACK, rows, 15);
    assert_int_equal(engine_at(&pos, 7, 7), ENGINE_FORBID_DOUBLE_THREE);
    pos.rule = ENGINE_RULE_FREESTYLE;
    assert_int_equal(
        engine_search(ctx, &pos, &(engine_limits_t){.depth = 5, .nodes = 300000}, NULL, &res),
        ENGINE_OK);
    assert_true(res.score >= ENGINE_WIN_MIN);
    pos.rule = ENGINE_RULE_RENJU;
    assert_int_equal(
        engine_search(ctx, &pos, &(engine_limits_t){.depth = 5, .nodes = 300000}, NULL, &res),
        ENGINE_OK);
    assert_false(res.move.row == 7 && res.move.col == 7);
    assert_int_equal(engine_at(&pos, res.move.row, res.move.col), ENGINE_FORBID_NONE);
    engine_ctx_destroy(ctx);
}

/* Random positions with forbidden points and black to move: the move is
 * never one of them, nor is any move of the principal variation that black
 * plays. */
static void test_search_never_plays_forbidden(void **state)
{
    engine_ctx_t *ctx = new_ctx();
    int searched = 0;
    engine_move_t cells[ENGINE_MAX_CELLS];
    engine_forbid_t kinds[ENGINE_MAX_CELLS];
    while (searched < 120) {
        engine_position_t pos;
        ck_board_t ck;
        int size = next_rand() % 3 ? 15 : 9;
        if (!random_game(&pos, &ck, size, 10 + (int)(next_rand() % 40)) ||
            pos.to_move != ENGINE_BLACK)
            continue;
        int n = 0;
        assert_int_equal(engine_forbidden_points(&pos, cells, kinds, &n), ENGINE_OK);
        if (n == 0)
            continue;
        searched++;
        engine_result_t res;
        engine_limits_t lim = {.nodes = 3000 + next_rand() % 20000};
        assert_int_equal(engine_search(ctx, &pos, &lim, NULL, &res), ENGINE_OK);
        assert_int_equal(ck.g[res.move.row][res.move.col], CK_EMPTY);
        assert_int_equal(ck_forbidden(&ck, res.move.row, res.move.col), ENGINE_FORBID_NONE);
        /* Black's later moves in the line, judged on the board they meet. */
        for (int i = 0; i < res.n_pv; i++) {
            engine_move_t m = res.pv[i];
            if (ck.g[m.row][m.col] != CK_EMPTY)
                break;
            if (i % 2 == 0)
                assert_int_equal(ck_forbidden(&ck, m.row, m.col), ENGINE_FORBID_NONE);
            ck.g[m.row][m.col] = i % 2 == 0 ? CK_BLACK : CK_WHITE;
        }
    }
    engine_ctx_destroy(ctx);
}

int main(void)
{
    assert_int_equal(engine_init(), ENGINE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_other_rules_and_errors),
        cmocka_unit_test(test_checker_cross_check),
        cmocka_unit_test(test_white_wins_through_a_forbidden_point),
        cmocka_unit_test(test_black_cannot_block_on_a_forbidden_point),
        cmocka_unit_test(test_black_never_plays_a_winning_double_three),
        cmocka_unit_test(test_search_never_plays_forbidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
