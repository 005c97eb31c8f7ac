/* The renju referee of the game layer: records with black on a forbidden
 * point are refused with the move and the reason, legal ones replay, the
 * answer lists black's forbidden points, and appends are judged too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game/codec.h"

#define PLAYERS "\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\"}"

/* Twelve moves after which H8 ([7, 7]) is a double three for black: a
 * column (rows 5, 6) and a row (columns 5, 6); white plays far away. */
#define TWELVE                                                                                     \
    "{\"X (human)\":[5,7]},{\"O (AI)\":[14,0]},{\"X (human)\":[6,7]},{\"O (AI)\":[14,2]},"         \
    "{\"X (human)\":[7,5]},{\"O (AI)\":[14,4]},{\"X (human)\":[7,6]},{\"O (AI)\":[14,6]},"         \
    "{\"X (human)\":[0,0]},{\"O (AI)\":[14,8]},{\"X (human)\":[0,2]},{\"O (AI)\":[14,10]}"

static game_record_t *new_record(void)
{
    game_record_t *rec = malloc(sizeof(*rec));
    assert_non_null(rec);
    return rec;
}

static game_status_t decode(const char *json, game_record_t *rec, game_error_t *err)
{
    memset(err, 0, sizeof(*err));
    return game_from_json(json, strlen(json), rec, err);
}

static void forbidden_move_is_refused_with_its_reason(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    const char *json = "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":[" TWELVE
                       ",{\"X (human)\":\"H8\"}]}";
    assert_int_equal(decode(json, rec, &err), GAME_EFORBIDDEN);
    assert_string_equal(err.field, "moves[12]");
    assert_string_equal(err.message,
                        "move 13 (H8) is forbidden to black under renju: double three");
    assert_string_equal(game_strerror(GAME_EFORBIDDEN), "move forbidden to black under renju");

    /* The same game is legal under the other rules. */
    const char *free_json =
        "{" PLAYERS ",\"board_size\":15,\"rule\":\"freestyle\",\"moves\":[" TWELVE
        ",{\"X (human)\":\"H8\"}]}";
    assert_int_equal(decode(free_json, rec, &err), GAME_OK);
    assert_int_equal(rec->n_moves, 13);

    /* A forbidden move is reported before a later error. */
    const char *later = "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":[" TWELVE
                        ",{\"X (human)\":[7,7]},{\"O (AI)\":[7,7]}]}";
    assert_int_equal(decode(later, rec, &err), GAME_EFORBIDDEN);
    assert_string_equal(err.field, "moves[12]");
    /* And a later error alone is still found. */
    const char *occupied = "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":[" TWELVE
                           ",{\"X (human)\":[8,8]},{\"O (AI)\":[8,8]}]}";
    assert_int_equal(decode(occupied, rec, &err), GAME_EOCCUPIED);
    assert_string_equal(err.field, "moves[13]");
    free(rec);
}

static void overline_and_fives(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    /* Black X at row 0 columns 0-2 and 4-5, then column 3: six in a row. */
    const char *overline =
        "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":["
        "{\"X (human)\":[0,0]},{\"O (AI)\":[5,0]},{\"X (human)\":[0,1]},{\"O (AI)\":[5,2]},"
        "{\"X (human)\":[0,2]},{\"O (AI)\":[5,4]},{\"X (human)\":[0,4]},{\"O (AI)\":[5,6]},"
        "{\"X (human)\":[0,5]},{\"O (AI)\":[5,8]},{\"X (human)\":[0,3]}]}";
    assert_int_equal(decode(overline, rec, &err), GAME_EFORBIDDEN);
    assert_string_equal(err.message, "move 11 (D1) is forbidden to black under renju: overline");
    /* Under the standard rule the six is simply no win. */
    const char *std = "{" PLAYERS ",\"board_size\":15,\"rule\":\"standard\",\"moves\":["
                      "{\"X (human)\":[0,0]},{\"O (AI)\":[5,0]},{\"X (human)\":[0,1]},{\"O "
                      "(AI)\":[5,2]},"
                      "{\"X (human)\":[0,2]},{\"O (AI)\":[5,4]},{\"X (human)\":[0,4]},{\"O "
                      "(AI)\":[5,6]},"
                      "{\"X (human)\":[0,5]},{\"O (AI)\":[5,8]},{\"X (human)\":[0,3]}]}";
    assert_int_equal(decode(std, rec, &err), GAME_OK);
    assert_int_equal(rec->winner, GAME_WINNER_NONE);

    /* Black's exact five wins. */
    const char *five = "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":["
                       "{\"X (human)\":[0,0]},{\"O (AI)\":[5,0]},{\"X (human)\":[0,1]},{\"O "
                       "(AI)\":[5,2]},"
                       "{\"X (human)\":[0,2]},{\"O (AI)\":[5,4]},{\"X (human)\":[0,3]},{\"O "
                       "(AI)\":[5,6]},"
                       "{\"X (human)\":[0,4]}]}";
    assert_int_equal(decode(five, rec, &err), GAME_OK);
    assert_int_equal(rec->winner, GAME_WINNER_X);

    /* White's overline wins under renju. */
    const char *white_six =
        "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":["
        "{\"X (human)\":[10,0]},{\"O (AI)\":[0,0]},{\"X (human)\":[10,2]},{\"O (AI)\":[0,1]},"
        "{\"X (human)\":[10,4]},{\"O (AI)\":[0,2]},{\"X (human)\":[10,6]},{\"O (AI)\":[0,4]},"
        "{\"X (human)\":[10,8]},{\"O (AI)\":[0,5]},{\"X (human)\":[12,10]},{\"O (AI)\":[0,3]}]}";
    assert_int_equal(decode(white_six, rec, &err), GAME_OK);
    assert_int_equal(rec->winner, GAME_WINNER_O);
    assert_int_equal(rec->win_line.n, 6);
    free(rec);
}

static json_t *encode_parse(const game_record_t *rec)
{
    size_t len = 0;
    char *text = game_to_json(rec, &len);
    assert_non_null(text);
    json_t *root = json_loadb(text, len, 0, NULL);
    assert_non_null(root);
    free(text);
    return root;
}

static void answer_lists_forbidden_points(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    const char *json = "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":[" TWELVE "]}";
    assert_int_equal(decode(json, rec, &err), GAME_OK);
    json_t *root = encode_parse(rec);
    assert_string_equal(json_string_value(json_object_get(root, "rule")), "renju");
    json_t *list = json_object_get(root, "forbidden");
    json_t *why = json_object_get(root, "forbidden_why");
    assert_true(json_is_array(list) && json_array_size(list) == 1);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(list, 0), 0)), 7);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(list, 0), 1)), 7);
    assert_string_equal(json_string_value(json_array_get(why, 0)), "double three");
    json_decref(root);

    /* In compact notation when the moves are. */
    assert_int_equal(game_record_append(rec, 14, 14, GAME_HUMAN, &err), GAME_OK);
    rec->moves[rec->n_moves - 1].compact = true;
    assert_int_equal(game_record_append(rec, 13, 14, GAME_AI, &err), GAME_OK);
    root = encode_parse(rec);
    list = json_object_get(root, "forbidden");
    assert_string_equal(json_string_value(json_array_get(list, 0)), "H8");
    json_decref(root);

    /* White to move: no list. */
    assert_int_equal(game_record_append(rec, 12, 14, GAME_HUMAN, &err), GAME_OK);
    root = encode_parse(rec);
    assert_null(json_object_get(root, "forbidden"));
    json_decref(root);

    /* Other rules: no list. */
    rec->rule = ENGINE_RULE_FREESTYLE;
    assert_int_equal(game_record_append(rec, 12, 13, GAME_AI, &err), GAME_OK);
    root = encode_parse(rec);
    assert_null(json_object_get(root, "forbidden"));
    json_decref(root);
    free(rec);
}

static void append_is_judged(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    const char *json = "{" PLAYERS ",\"board_size\":15,\"rule\":\"renju\",\"moves\":[" TWELVE "]}";
    assert_int_equal(decode(json, rec, &err), GAME_OK);
    assert_int_equal(game_record_append(rec, 7, 7, GAME_AI, &err), GAME_EFORBIDDEN);
    assert_string_equal(err.message,
                        "move 13 (H8) is forbidden to black under renju: double three");
    assert_int_equal(rec->n_moves, 12);
    assert_int_equal(rec->winner, GAME_WINNER_NONE);
    assert_int_equal(game_record_append(rec, 7, 8, GAME_AI, &err), GAME_OK);
    assert_int_equal(rec->n_moves, 13);
    /* White may play there. */
    assert_int_equal(game_record_append(rec, 7, 7, GAME_AI, &err), GAME_OK);
    free(rec);
}

static void rule_names(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    assert_int_equal(decode("{" PLAYERS ",\"rule\":\"Renju\"}", rec, &err), GAME_OK);
    assert_int_equal(rec->rule, ENGINE_RULE_RENJU);
    assert_int_equal(decode("{" PLAYERS ",\"rule\":\"renju5\"}", rec, &err), GAME_ERANGE);
    assert_non_null(strstr(err.message, "\"renju\""));
    assert_string_equal(game_rule_name(ENGINE_RULE_RENJU), "renju");
    assert_string_equal(game_rule_name(ENGINE_RULE_STANDARD), "standard");
    assert_string_equal(game_rule_name(ENGINE_RULE_FREESTYLE), "freestyle");
    free(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forbidden_move_is_refused_with_its_reason),
        cmocka_unit_test(overline_and_fives),
        cmocka_unit_test(answer_lists_forbidden_points),
        cmocka_unit_test(append_is_judged),
        cmocka_unit_test(rule_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
