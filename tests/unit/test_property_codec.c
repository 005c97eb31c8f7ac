/* Property: JSON encode -> decode is the identity on game records.
 *
 * Random records (a seeded PRNG: every run checks the same records) with
 * every optional field, both notations, both rules and every board size are
 * replayed, encoded, decoded and encoded again. The decoded record must hold
 * what was encoded, field by field, except what the format recomputes on
 * purpose (a player's time_ms is the sum of its moves' times, rule is always
 * written), and the second encoding must be the same text as the first.
 * Also the regression cases the fuzzers found in the codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game/codec.h"
#include "game/notation.h"

#define N_RECORDS 2000

static uint64_t rng_state;

static uint64_t next_u64(void)
{
    /* xorshift64*: enough for test data and the same on every platform. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static int below(int n)
{
    return (int)(next_u64() % (uint64_t)n);
}

static bool chance(int percent)
{
    return below(100) < percent;
}

/* Milliseconds with three decimals, as the format carries them; mostly
 * small, sometimes at the top of the accepted range. */
static double random_millis(void)
{
    switch (below(4)) {
    case 0:
        return 0;
    case 1:
        return below(1000000) / 1000.0;
    case 2:
        return (double)(next_u64() % 1000000000000000ull) / 1000.0; /* < 1e12 */
    default:
        return 1e12;
    }
}

static int64_t random_int64(void)
{
    switch (below(4)) {
    case 0:
        return below(1000) - 500;
    case 1:
        return INT64_MIN;
    case 2:
        return INT64_MAX;
    default:
        return (int64_t)next_u64();
    }
}

/* Valid UTF-8 of at most max bytes: compact cells, spaces, and characters
 * of two, three and four bytes. */
static void random_pv(char *out, size_t max)
{
    static const char *const PIECES[] = {"H8", "J9",       "A1",           "Z25",
                                         " ",  "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "\\", "\"",       "\x01"};
    size_t used = 0;
    int n = chance(20) ? 200 : below(8);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *p = PIECES[below((int)(sizeof(PIECES) / sizeof(PIECES[0])))];
        size_t len = strlen(p);
        if (used + len + 1 > max) {
            break;
        }
        memcpy(out + used, p, len + 1);
        used += len;
    }
}

static void random_player(game_player_t *p)
{
    p->kind = chance(50) ? GAME_AI : GAME_HUMAN;
    p->depth = chance(50) ? 0 : below(GAME_MAX_DEPTH + 1);
    p->max_time_ms = chance(50) ? 0 : 1 + below(1000000000);
    p->time_ms = 0;
}

static void random_move_info(game_move_t *m)
{
    if ((m->has_time_ms = chance(70))) {
        m->time_ms = random_millis();
    }
    if ((m->has_moves_searched = chance(40))) {
        m->moves_searched = random_int64();
    }
    if ((m->has_moves_evaluated = chance(30))) {
        m->moves_evaluated = random_int64();
    }
    if ((m->has_score = chance(40))) {
        m->score = random_int64();
    }
    if ((m->has_opponent = chance(20))) {
        m->opponent = random_int64();
    }
    if ((m->has_queue_wait_ms = chance(20))) {
        m->queue_wait_ms = random_millis();
    }
    if ((m->has_depth = chance(40))) {
        m->depth = below(1001);
    }
    if ((m->has_nodes = chance(40))) {
        m->nodes = (int64_t)(next_u64() >> 1);
    }
    if ((m->has_queue_ms = chance(30))) {
        m->queue_ms = random_millis();
    }
    if (chance(40)) {
        random_pv(m->pv, sizeof(m->pv));
    }
}

/* A random legal game: random cells until a win, a full board or the
 * chosen length. */
static void random_record(game_record_t *rec)
{
    game_record_init(rec);
    rec->board_size = ENGINE_MIN_SIZE + below(ENGINE_MAX_SIZE - ENGINE_MIN_SIZE + 1);
    rec->rule = chance(50) ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE;
    rec->rule_given = true; /* always written, so always read back */
    rec->radius = GAME_MIN_RADIUS + below(GAME_MAX_RADIUS - GAME_MIN_RADIUS + 1);
    rec->timeout_s = chance(50) ? 0 : (1 + below(1000000000)) / 1000.0;
    if ((rec->has_undo = chance(30))) {
        rec->undo = chance(50);
    }
    if ((rec->has_undo_limit = chance(30))) {
        rec->undo_limit = chance(10) ? INT32_MAX : below(100);
    }
    random_player(&rec->players[GAME_SIDE_X]);
    random_player(&rec->players[GAME_SIDE_O]);
    int cells = rec->board_size * rec->board_size;
    int want = chance(10) ? cells : below(cells + 1);
    bool compact_all = chance(30), arrays_all = chance(30);
    game_error_t err;
    while (rec->n_moves < want && !game_record_finished(rec)) {
        game_board_t board;
        game_record_board(rec, &board);
        int cell;
        do {
            cell = below(cells);
        } while (board.cells[cell] != ENGINE_EMPTY);
        /* The move's kind is what its key says, whatever the player is. */
        game_kind_t kind = chance(80) ? rec->players[game_record_to_move(rec)].kind
                                      : (chance(50) ? GAME_AI : GAME_HUMAN);
        assert_int_equal(
            game_record_append(rec, cell / rec->board_size, cell % rec->board_size, kind, &err),
            GAME_OK);
        game_move_t *m = &rec->moves[rec->n_moves - 1];
        m->compact = compact_all ? true : arrays_all ? false : chance(50);
        random_move_info(m);
    }
    assert_int_equal(game_record_replay(rec, &err), GAME_OK);
}

static double side_total(const game_record_t *rec, game_side_t side)
{
    double total = 0;
    for (int i = 0; i < rec->n_moves; i++) {
        if (rec->moves[i].side == side && rec->moves[i].has_time_ms) {
            total += rec->moves[i].time_ms;
        }
    }
    return total;
}

static void assert_same_move(const game_move_t *a, const game_move_t *b)
{
    assert_int_equal(a->row, b->row);
    assert_int_equal(a->col, b->col);
    assert_int_equal(a->side, b->side);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->compact, b->compact);
    assert_int_equal(a->winner, b->winner);
#define SAME(flag, field)                                                                          \
    do {                                                                                           \
        assert_int_equal(a->flag, b->flag);                                                        \
        if (a->flag) {                                                                             \
            assert_true(a->field == b->field);                                                     \
        }                                                                                          \
    } while (0)
    SAME(has_time_ms, time_ms);
    SAME(has_moves_searched, moves_searched);
    SAME(has_moves_evaluated, moves_evaluated);
    SAME(has_score, score);
    SAME(has_opponent, opponent);
    SAME(has_queue_wait_ms, queue_wait_ms);
    SAME(has_depth, depth);
    SAME(has_nodes, nodes);
    SAME(has_queue_ms, queue_ms);
#undef SAME
    assert_string_equal(a->pv, b->pv);
}

static void assert_same_record(const game_record_t *a, const game_record_t *b)
{
    assert_int_equal(a->board_size, b->board_size);
    assert_int_equal(a->rule, b->rule);
    assert_int_equal(a->rule_given, b->rule_given);
    assert_int_equal(a->radius, b->radius);
    assert_true(a->timeout_s == b->timeout_s);
    assert_int_equal(a->has_undo, b->has_undo);
    if (a->has_undo) {
        assert_int_equal(a->undo, b->undo);
    }
    assert_int_equal(a->has_undo_limit, b->has_undo_limit);
    if (a->has_undo_limit) {
        assert_int_equal(a->undo_limit, b->undo_limit);
    }
    for (int s = 0; s < 2; s++) {
        assert_int_equal(a->players[s].kind, b->players[s].kind);
        assert_int_equal(a->players[s].depth, b->players[s].depth);
        assert_int_equal(a->players[s].max_time_ms, b->players[s].max_time_ms);
        /* Recomputed: the sum of the side's move times, printed with 15
         * significant digits (sums beyond 1e12 lose their last decimals). */
        double total = side_total(a, (game_side_t)s);
        assert_true(fabs(b->players[s].time_ms - total) <= 1e-13 * total + 0.0005);
    }
    assert_int_equal(a->n_moves, b->n_moves);
    for (int i = 0; i < a->n_moves; i++) {
        assert_same_move(&a->moves[i], &b->moves[i]);
    }
    assert_int_equal(a->winner, b->winner);
    assert_int_equal(a->win_line.n, b->win_line.n);
    for (int i = 0; i < a->win_line.n; i++) {
        assert_int_equal(a->win_line.rows[i], b->win_line.rows[i]);
        assert_int_equal(a->win_line.cols[i], b->win_line.cols[i]);
    }
}

static void round_trip_is_identity(void **state)
{
    game_record_t *rec = malloc(sizeof(*rec)), *back = malloc(sizeof(*back));
    assert_non_null(rec);
    assert_non_null(back);
    rng_state = 0x9E3779B97F4A7C15ull;
    int finished = 0, compact = 0, big = 0;
    for (int i = 0; i < N_RECORDS; i++) {
        random_record(rec);
        size_t len1 = 0, len2 = 0;
        char *text1 = game_to_json(rec, &len1);
        assert_non_null(text1);
        game_error_t err = {0};
        if (game_from_json(text1, len1, back, &err) != GAME_OK) {
            fail_msg("record %d: our own text is refused: %s (%s)\n%.2000s", i, err.message,
                     err.field, text1);
        }
        assert_same_record(rec, back);
        char *text2 = game_to_json(back, &len2);
        assert_non_null(text2);
        assert_int_equal(len1, len2);
        assert_string_equal(text1, text2);
        finished += game_record_finished(rec);
        compact += rec->n_moves > 0 && rec->moves[0].compact;
        big += rec->board_size >= 20;
        free(text1);
        free(text2);
    }
    /* The generator reaches what it is meant to reach. */
    assert_true(finished > N_RECORDS / 10);
    assert_true(compact > N_RECORDS / 10);
    assert_true(big > N_RECORDS / 10);
    free(rec);
    free(back);
}

/* Times as the engine measures them have more than three decimals: the
 * text still round-trips, and each time reads back rounded to three. Found
 * by fuzz_httpd_routes: the players' totals were sums of the unrounded
 * times, 0.001 away from the sum a reader recomputes from the moves. */
static void text_round_trip_with_measured_times(void **state)
{
    game_record_t *rec = malloc(sizeof(*rec)), *back = malloc(sizeof(*back)),
                  *again = malloc(sizeof(*again));
    assert_non_null(rec);
    assert_non_null(back);
    assert_non_null(again);
    rng_state = 0xD1B54A32D192ED03ull;
    for (int i = 0; i < N_RECORDS / 4; i++) {
        random_record(rec);
        for (int k = 0; k < rec->n_moves; k++) {
            game_move_t *m = &rec->moves[k];
            if (chance(70)) {
                m->has_time_ms = true;
                m->time_ms = below(100000000) / 1e6; /* 0..100 ms, six decimals */
            }
        }
        size_t len1, len2;
        char *text1 = game_to_json(rec, &len1);
        assert_non_null(text1);
        game_error_t err;
        assert_int_equal(game_from_json(text1, len1, back, &err), GAME_OK);
        for (int k = 0; k < rec->n_moves; k++) {
            if (rec->moves[k].has_time_ms) {
                assert_true(back->moves[k].time_ms ==
                            round(rec->moves[k].time_ms * 1000.0) / 1000.0);
            }
        }
        char *text2 = game_to_json(back, &len2);
        assert_non_null(text2);
        assert_string_equal(text1, text2);
        assert_int_equal(game_from_json(text2, len2, again, &err), GAME_OK);
        free(text1);
        free(text2);
    }
    free(rec);
    free(back);
    free(again);
}

/* Regression (fuzz_httpd_routes): an error message quoting a client's bytes
 * that are not UTF-8 still gives a JSON body. */
static void error_with_invalid_utf8_has_a_body(void **state)
{
    game_error_t err = {.status = GAME_EMOVE};
    snprintf(err.field, sizeof(err.field), "moves[0].\xce");
    snprintf(err.message, sizeof(err.message),
             "no such resource: /\xff\xfe\xc3(\xed\xa0\x80\xf4\x90\x80\x80ok\xc3");
    size_t len = 0;
    char *body = game_error_json(&err, &len);
    assert_non_null(body);
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);
    assert_non_null(doc);
    const char *message = json_string_value(json_object_get(doc, "error"));
    assert_non_null(message);
    /* Every invalid byte became '?'; the valid text around it is kept. */
    assert_string_equal(message, "no such resource: /??"
                                 "?(??"
                                 "?????ok?");
    assert_string_equal(json_string_value(json_object_get(doc, "field")), "moves[0].?");
    json_decref(doc);
    free(body);

    /* Valid multi-byte text is kept whole. */
    snprintf(err.message, sizeof(err.message), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    body = game_error_json(&err, &len);
    assert_non_null(body);
    assert_non_null(strstr(body, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
    free(body);
}

/* Regression (round-trip property): a pv longer than the record holds was
 * cut inside a character, and the record could no longer be written. */
static void long_pv_is_cut_at_a_character(void **state)
{
    char json[1024];
    char pv[300];
    memset(pv, 'a', 254);
    strcpy(pv + 254, "\xc3\xa9\xc3\xa9");
    snprintf(json, sizeof(json),
             "{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\"},\"moves\":[{\"X (human)\":"
             "[3,3],\"pv\":\"%s\"}]}",
             pv);
    game_record_t *rec = malloc(sizeof(*rec));
    assert_non_null(rec);
    game_error_t err;
    assert_int_equal(game_from_json(json, strlen(json), rec, &err), GAME_OK);
    assert_int_equal(strlen(rec->moves[0].pv), 254);
    char *text = game_to_json(rec, NULL);
    assert_non_null(text);
    free(text);
    free(rec);
}

/* Regression (round-trip property): the players' time_ms we write (the sum
 * of up to 625 move times of up to 1e12 each) is accepted back. */
static void large_player_time_is_accepted_back(void **state)
{
    game_record_t *rec = malloc(sizeof(*rec)), *back = malloc(sizeof(*back));
    assert_non_null(rec);
    assert_non_null(back);
    game_record_init(rec);
    rec->board_size = 25;
    game_error_t err;
    for (int i = 0; i < 40; i++) {
        assert_int_equal(
            game_record_append(rec, i / 25, (i % 25 + 7 * (i / 25)) % 25, GAME_HUMAN, &err),
            GAME_OK);
        rec->moves[i].has_time_ms = true;
        rec->moves[i].time_ms = 1e12;
    }
    size_t len;
    char *text = game_to_json(rec, &len);
    assert_non_null(text);
    if (game_from_json(text, len, back, &err) != GAME_OK) {
        fail_msg("%s", err.message);
    }
    assert_true(back->players[GAME_SIDE_X].time_ms == 20 * 1e12);
    free(text);
    free(rec);
    free(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_is_identity),
        cmocka_unit_test(text_round_trip_with_measured_times),
        cmocka_unit_test(error_with_invalid_utf8_has_a_body),
        cmocka_unit_test(long_pv_is_cut_at_a_character),
        cmocka_unit_test(large_player_time_is_accepted_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
