/* The reply verifier: a correct reply (also in the original server's
 * format) passes; every kind of tampering is caught with a precise reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/verify.h"
#include "game/codec.h"

struct fixture {
    game_record_t sent, got, scratch;
    char msg[512];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        return -1;
    }
    /* X human, O AI, 15x15, three moves played: O to move. */
    game_record_init(&f->sent);
    f->sent.board_size = 15;
    f->sent.players[GAME_SIDE_O].max_time_ms = 50;
    game_error_t err;
    const int moves[][2] = {{7, 7}, {7, 8}, {8, 8}};
    for (int i = 0; i < 3; i++) {
        if (game_record_append(&f->sent, moves[i][0], moves[i][1],
                               i % 2 == 0 ? GAME_HUMAN : GAME_AI, &err) != GAME_OK) {
            return -1;
        }
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* The JSON of rec plus the given moves (row, col pairs, sides alternating
 * from the side to move). */
static char *reply_with(const game_record_t *rec, game_record_t *scratch, int n, ...)
{
    *scratch = *rec;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        int r = va_arg(ap, int), c = va_arg(ap, int);
        game_error_t err;
        assert_int_equal(game_record_append(scratch, r, c, GAME_AI, &err), GAME_OK);
    }
    va_end(ap);
    char *json = game_to_json(scratch, NULL);
    assert_non_null(json);
    return json;
}

/* Parses json, lets edit() change it, and returns the new text. */
static char *edit_json(char *json, void (*edit)(json_t *root))
{
    json_t *root = json_loads(json, 0, NULL);
    assert_non_null(root);
    free(json);
    edit(root);
    char *out = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return out;
}

static client_verify_status_t check(struct fixture *f, const char *json)
{
    return client_verify_reply(&f->sent, json, strlen(json), &f->got, f->msg, sizeof(f->msg));
}

static void expect(struct fixture *f, char *json, client_verify_status_t status, const char *part)
{
    client_verify_status_t s = check(f, json);
    if (s != status || strstr(f->msg, part) == NULL) {
        fail_msg("expected %d with \"%s\", got %d: \"%s\"\nreply: %s", status, part, s, f->msg,
                 json);
    }
    free(json);
}

static void test_one_move_passes(void **state)
{
    struct fixture *f = *state;
    char *json = reply_with(&f->sent, &f->scratch, 1, 6, 6);
    assert_int_equal(check(f, json), CLIENT_VERIFY_MOVE);
    assert_string_equal(f->msg, "");
    assert_int_equal(f->got.n_moves, 4);
    assert_int_equal(f->got.moves[3].row, 6);
    assert_int_equal(f->got.moves[3].side, GAME_SIDE_O);
    free(json);
}

static void test_extra_moves_detected(void **state)
{
    struct fixture *f = *state;
    /* Two moves appended (O's and then one for the human). */
    expect(f, reply_with(&f->sent, &f->scratch, 2, 6, 6, 5, 5), CLIENT_VERIFY_ECOUNT,
           "3 moves were sent and 5 came back");
    /* No move at all. */
    expect(f, reply_with(&f->sent, &f->scratch, 0), CLIENT_VERIFY_ECOUNT,
           "3 moves were sent and 3 came back");
}

static void change_second_move(json_t *root)
{
    json_t *m = json_array_get(json_object_get(root, "moves"), 1);
    json_object_set_new(m, "O (AI)", json_pack("[ii]", 0, 0));
}

static void insert_move(json_t *root)
{
    /* An extra pair of moves slipped into the middle of the history. */
    json_t *moves = json_object_get(root, "moves");
    json_array_insert_new(moves, 1, json_pack("{s:[ii]}", "X (human)", 1, 1));
    json_array_insert_new(moves, 1, json_pack("{s:[ii]}", "O (AI)", 2, 2));
}

static void drop_first_moves(json_t *root)
{
    json_t *moves = json_object_get(root, "moves");
    json_array_remove(moves, 0);
    json_array_remove(moves, 0);
}

static void test_changed_history_detected(void **state)
{
    struct fixture *f = *state;
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), change_second_move),
           CLIENT_VERIFY_EHISTORY, "move 2 was O at J8 [7, 8], the reply has O at A1 [0, 0]");
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), insert_move),
           CLIENT_VERIFY_EHISTORY, "move 2 was O");
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), drop_first_moves),
           CLIENT_VERIFY_EHISTORY, "3 moves were sent but only 2 came back");
}

static void relabel_last_as_x(json_t *root)
{
    json_t *moves = json_object_get(root, "moves");
    json_t *m = json_array_get(moves, json_array_size(moves) - 1);
    json_object_set(m, "X (AI)", json_object_get(m, "O (AI)"));
    json_object_del(m, "O (AI)");
}

static void test_wrong_side_detected(void **state)
{
    struct fixture *f = *state;
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), relabel_last_as_x),
           CLIENT_VERIFY_EJSON, "it is O's turn");
}

static void move_onto_stone(json_t *root)
{
    json_t *moves = json_object_get(root, "moves");
    json_t *m = json_array_get(moves, json_array_size(moves) - 1);
    json_object_set_new(m, "O (AI)", json_pack("[ii]", 7, 7));
}

static void test_occupied_cell_detected(void **state)
{
    struct fixture *f = *state;
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), move_onto_stone),
           CLIENT_VERIFY_EJSON, "occupied");
}

static void test_not_json_detected(void **state)
{
    struct fixture *f = *state;
    expect(f, strdup("<html>502 Bad Gateway</html>"), CLIENT_VERIFY_EJSON, "invalid JSON");
    expect(f, strdup(""), CLIENT_VERIFY_EJSON, "empty body");
    expect(f, strdup("{\"error\":\"busy\"}"), CLIENT_VERIFY_EJSON, "missing required field X");
    char *json = reply_with(&f->sent, &f->scratch, 1, 6, 6);
    json[strlen(json) / 2] = '\0'; /* truncated mid-way */
    expect(f, json, CLIENT_VERIFY_EJSON, "invalid JSON");
}

static void set_board_19(json_t *root)
{
    json_object_set_new(root, "board_size", json_integer(19));
}

static void make_x_ai(json_t *root)
{
    json_object_set_new(json_object_get(root, "X"), "player", json_string("AI"));
}

static void claim_x_won(json_t *root)
{
    json_object_set_new(root, "winner", json_string("X"));
}

static void test_settings_and_winner_detected(void **state)
{
    struct fixture *f = *state;
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), set_board_19),
           CLIENT_VERIFY_ESETTINGS, "board_size 15 was sent, 19 came back");
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), make_x_ai),
           CLIENT_VERIFY_ESETTINGS, "X.player");
    expect(f, edit_json(reply_with(&f->sent, &f->scratch, 1, 6, 6), claim_x_won),
           CLIENT_VERIFY_EWINNER, "winner \"X\" but the moves give \"none\"");
}

/* The original server writes "K10"-style cells, labels moves by the
 * players' kinds, adds undo fields and scoring and knows no "rule". */
static void test_original_format_passes(void **state)
{
    struct fixture *f = *state;
    const char *reply =
        "{\"X\":{\"player\":\"human\",\"time_ms\":0.000},"
        "\"O\":{\"player\":\"AI\",\"depth\":4,\"time_ms\":12.500},"
        "\"board_size\":15,\"radius\":2,\"timeout\":\"none\",\"undo\":true,\"undo_limit\":5,"
        "\"winner\":\"none\",\"board_state\":[],"
        "\"moves\":[{\"X (human)\":\"H8\",\"time_ms\":0.0},"
        "{\"O (AI)\":\"J8\",\"time_ms\":3.1,\"moves_evaluated\":812,\"score\":100,"
        "\"opponent\":-20},{\"X (human)\":\"J9\"},"
        "{\"O (AI)\":\"G7\",\"time_ms\":9.4,\"moves_searched\":100,\"queue_wait_ms\":0.2}]}";
    assert_int_equal(check(f, reply), CLIENT_VERIFY_MOVE);
    assert_int_equal(f->got.moves[3].row, 6);
    assert_int_equal(f->got.moves[3].col, 6);
    assert_true(f->got.moves[3].compact);
}

static void test_rule_judged_as_sent(void **state)
{
    struct fixture *f = *state;
    /* Under "standard", six in a row does not win. X has five of a row
     * [0, 0..4] minus [0, 2] and [0, 5]; filling [0, 2] makes six. */
    game_record_init(&f->sent);
    f->sent.board_size = 15;
    f->sent.rule = ENGINE_RULE_STANDARD;
    f->sent.rule_given = true;
    f->sent.players[GAME_SIDE_X].kind = GAME_AI;
    const int moves[][2] = {{0, 0}, {5, 0}, {0, 1}, {5, 2}, {0, 3},
                            {5, 4}, {0, 4}, {5, 6}, {0, 5}, {9, 9}};
    game_error_t err;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(game_record_append(&f->sent, moves[i][0], moves[i][1], GAME_AI, &err),
                         GAME_OK);
    }
    /* The reply of a server that knows no "rule": judged under standard,
     * X's overline is no win, and the reply rightly says "none". */
    char *json = reply_with(&f->sent, &f->scratch, 1, 0, 2);
    json_t *root = json_loads(json, 0, NULL);
    free(json);
    json_object_del(root, "rule");
    json_object_set_new(root, "winner", json_string("none"));
    json = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    assert_int_equal(check(f, json), CLIENT_VERIFY_MOVE);
    assert_int_equal(f->got.winner, GAME_WINNER_NONE);
    free(json);
}

static void test_finished_game(void **state)
{
    struct fixture *f = *state;
    /* X (human) wins with a row of five; nothing may follow. */
    game_record_init(&f->sent);
    f->sent.board_size = 15;
    const int moves[][2] = {{7, 3}, {8, 3}, {7, 4}, {8, 4}, {7, 5}, {8, 5}, {7, 6}, {8, 6}, {7, 7}};
    game_error_t err;
    for (int i = 0; i < 9; i++) {
        assert_int_equal(game_record_append(&f->sent, moves[i][0], moves[i][1],
                                            i % 2 ? GAME_AI : GAME_HUMAN, &err),
                         GAME_OK);
    }
    assert_int_equal(f->sent.winner, GAME_WINNER_X);
    char *json = game_to_json(&f->sent, NULL);
    assert_int_equal(check(f, json), CLIENT_VERIFY_FINISHED);
    free(json);

    /* A move after the win is refused by the game layer itself. */
    game_record_t *more = &f->scratch;
    *more = f->sent;
    more->moves[9] = more->moves[8];
    more->moves[9].side = GAME_SIDE_O;
    more->moves[9].kind = GAME_AI;
    more->moves[9].row = 0;
    more->moves[9].col = 0;
    more->n_moves = 10;
    more->winner = GAME_WINNER_NONE; /* so the encoder writes it as given */
    json = game_to_json(more, NULL);
    expect(f, json, CLIENT_VERIFY_EJSON, "after the game was already won");
}

static void test_strerror(void **state)
{
    assert_string_equal(client_verify_strerror(CLIENT_VERIFY_ECOUNT),
                        "reply did not add exactly one move");
    assert_true(client_verify_ok(CLIENT_VERIFY_MOVE));
    assert_true(client_verify_ok(CLIENT_VERIFY_FINISHED));
    assert_false(client_verify_ok(CLIENT_VERIFY_EHISTORY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_move_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extra_moves_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_history_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_side_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_occupied_cell_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_json_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_and_winner_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_original_format_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_judged_as_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finished_game, setup, teardown),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
