/* Game records: JSON decoding with precise errors, replay, append, encoding
 * and round trips of saved games in the original's format. */
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

static game_record_t *new_record(void)
{
    game_record_t *rec = malloc(sizeof(*rec));
    assert_non_null(rec);
    return rec;
}

static char *read_fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/tests/data/records/%s", GOMOKU_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

struct bad_case {
    const char *json;
    game_status_t status;
    const char *field;
    const char *message_part;
};

static const struct bad_case BAD[] = {
    {"", GAME_EJSON, "", "empty body"},
    {"{\"X\":", GAME_EJSON, "", "invalid JSON at line 1"},
    {"{\"X\":{\"player\":\"human\"},\"X\":{\"player\":\"AI\"}}", GAME_EJSON, "", "duplicate"},
    {"{\"X\":{\"player\":\"hu\xff\"}}", GAME_EJSON, "", "invalid JSON"},
    {"[1,2]", GAME_ETYPE, "", "must be a JSON object, not an array"},
    {"{}", GAME_EMISSING, "X", "missing required field X"},
    {"{\"X\":5,\"O\":{\"player\":\"AI\"}}", GAME_ETYPE, "X", "X must be an object, not an integer"},
    {"{\"X\":{\"player\":\"human\"}}", GAME_EMISSING, "O", "missing required field O"},
    {"{\"X\":{},\"O\":{\"player\":\"AI\"}}", GAME_EMISSING, "X.player", "X.player"},
    {"{\"X\":{\"player\":7},\"O\":{\"player\":\"AI\"}}", GAME_ETYPE, "X.player", "a string"},
    {"{\"X\":{\"player\":\"robot\"},\"O\":{\"player\":\"AI\"}}", GAME_ERANGE, "X.player",
     "\"human\" or \"AI\""},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"depth\":\"4\"}}", GAME_ETYPE,
     "O.depth", "an integer"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"depth\":-1}}", GAME_ERANGE,
     "O.depth", "from 0 to 64"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"max_time_ms\":0}}", GAME_ERANGE,
     "O.max_time_ms", "O.max_time_ms is 0"},
    {"{" PLAYERS ",\"board_size\":4}", GAME_ERANGE, "board_size", "from 5 to 25"},
    {"{" PLAYERS ",\"board_size\":26}", GAME_ERANGE, "board_size", "from 5 to 25"},
    {"{" PLAYERS ",\"board_size\":15.5}", GAME_ETYPE, "board_size", "an integer"},
    {"{" PLAYERS ",\"board_size\":\"15\"}", GAME_ETYPE, "board_size", "not a string"},
    {"{" PLAYERS ",\"rule\":\"gomoku\"}", GAME_ERANGE, "rule", "\"renju\""},
    {"{" PLAYERS ",\"timeout\":\"soon\"}", GAME_ERANGE, "timeout", "\"none\" or a number"},
    {"{" PLAYERS ",\"moves\":5}", GAME_ETYPE, "moves", "moves must be an array, not an integer"},
    {"{" PLAYERS ",\"moves\":[1]}", GAME_ETYPE, "moves[0]", "moves[0] must be an object"},
    {"{" PLAYERS ",\"moves\":[{}]}", GAME_EMOVE, "moves[0]", "has no side key"},
    {"{" PLAYERS ",\"moves\":[{\"time_ms\":3}]}", GAME_EMOVE, "moves[0]", "has no side key"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1,1],\"X (AI)\":[2,2]}]}", GAME_EMOVE, "moves[0]",
     "names two sides"},
    {"{" PLAYERS ",\"moves\":[{\"Z (human)\":[1,1]}]}", GAME_EMOVE, "moves[0]",
     "unknown side key \"Z (human)\""},
    {"{" PLAYERS ",\"moves\":[{\"X (robot)\":[1,1]}]}", GAME_EMOVE, "moves[0]", "unknown side key"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1]}]}", GAME_EMOVE, "moves[0].X (human)",
     "exactly two numbers"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1,2,3]}]}", GAME_EMOVE, "moves[0].X (human)",
     "exactly two numbers"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1.5,2]}]}", GAME_ETYPE, "moves[0].X (human)",
     "two integers"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[\"1\",2]}]}", GAME_ETYPE, "moves[0].X (human)",
     "element 0 is a string"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":{\"r\":1}}]}", GAME_ETYPE, "moves[0].X (human)",
     "not an object"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[-1,3]}]}", GAME_EBOUNDS, "moves[0].X (human)",
     "outside the 19x19 board"},
    {"{" PLAYERS ",\"board_size\":15,\"moves\":[{\"X (human)\":[3,15]}]}", GAME_EBOUNDS,
     "moves[0].X (human)", "outside the 15x15 board"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[99999999999,3]}]}", GAME_EBOUNDS,
     "moves[0].X (human)", "outside"},
    {"{" PLAYERS ",\"board_size\":15,\"moves\":[{\"X (human)\":\"Q1\"}]}", GAME_EBOUNDS,
     "moves[0].X (human)", "outside the 15x15 board"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":\"I5\"}]}", GAME_EMOVE, "moves[0].X (human)",
     "is not a cell"},
    {"{" PLAYERS ",\"moves\":[{\"O (AI)\":[1,1]}]}", GAME_ETURN, "moves[0]",
     "played by O but it is X's turn"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1,1]},{\"X (human)\":[2,2]}]}", GAME_ETURN,
     "moves[1]", "played by X but it is O's turn"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1,1]},{\"O (AI)\":[1,1]}]}", GAME_EOCCUPIED,
     "moves[1]", "occupied"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":\"A1\"},{\"O (AI)\":[0,0]}]}", GAME_EOCCUPIED,
     "moves[1]", "occupied"},
    {"{" PLAYERS ",\"board_size\":5,\"moves\":[{\"X (human)\":[0,0]},{\"O (AI)\":[1,0]},"
     "{\"X (human)\":[0,1]},{\"O (AI)\":[1,1]},{\"X (human)\":[0,2]},{\"O (AI)\":[1,2]},"
     "{\"X (human)\":[0,3]},{\"O (AI)\":[1,3]},{\"X (human)\":[0,4]},{\"O (AI)\":[1,4]}]}",
     GAME_EOVER, "moves[9]", "after the game was already won by X"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1,1],\"time_ms\":\"fast\"}]}", GAME_ETYPE,
     "moves[0].time_ms", "a number"},
    {"{" PLAYERS ",\"moves\":[{\"X (human)\":[1,1],\"winner\":1}]}", GAME_ETYPE, "moves[0].winner",
     "a boolean"},
    {"{" PLAYERS ",\"undo\":\"yes\"}", GAME_ETYPE, "undo", "a boolean"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"nodes\":0}}", GAME_ERANGE, "O.nodes",
     "from 1 to 1000000000"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"nodes\":1.5}}", GAME_ETYPE,
     "O.nodes", "an integer"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"level\":0}}", GAME_ERANGE, "O.level",
     "from 1 to 10"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"level\":11}}", GAME_ERANGE,
     "O.level", "from 1 to 10"},
    {"{\"X\":{\"player\":\"human\"},\"O\":{\"player\":\"AI\",\"level\":\"3\"}}", GAME_ETYPE,
     "O.level", "an integer"},
    {"{\"X\":{\"player\":\"human\",\"level\":3},\"O\":{\"player\":\"AI\"}}", GAME_ERANGE, "X.level",
     "for an AI player"},
    {"{" PLAYERS ",\"seed\":-1}", GAME_ERANGE, "seed", "from 0 to 9007199254740991"},
    {"{" PLAYERS ",\"seed\":9007199254740992}", GAME_ERANGE, "seed", "from 0"},
    {"{" PLAYERS ",\"seed\":\"7\"}", GAME_ETYPE, "seed", "an integer"},
};

/* "top" is read by the analysis decoder only, after the record's checks. */
static void analysis_top(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    int top = 0;
    const char *ok = "{" PLAYERS ",\"top\":7}";
    assert_int_equal(game_analysis_from_json(ok, strlen(ok), rec, &top, &err), GAME_OK);
    assert_int_equal(top, 7);
    const char *none = "{" PLAYERS "}";
    assert_int_equal(game_analysis_from_json(none, strlen(none), rec, &top, &err), GAME_OK);
    assert_int_equal(top, 1);
    static const struct bad_case bad[] = {
        {"{" PLAYERS ",\"top\":0}", GAME_ERANGE, "top", "top is 0; it must be from 1 to 10"},
        {"{" PLAYERS ",\"top\":11}", GAME_ERANGE, "top", "from 1 to 10"},
        {"{" PLAYERS ",\"top\":\"2\"}", GAME_ETYPE, "top", "an integer"},
        {"{" PLAYERS ",\"top\":2.0}", GAME_ETYPE, "top", "an integer"},
        /* The record's own problems come first. */
        {"{" PLAYERS ",\"top\":0,\"moves\":[{\"O (AI)\":[1,1]}]}", GAME_ETURN, "moves[0]", "turn"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        game_status_t s =
            game_analysis_from_json(bad[i].json, strlen(bad[i].json), rec, &top, &err);
        assert_int_equal(s, bad[i].status);
        assert_string_equal(err.field, bad[i].field);
        assert_non_null(strstr(err.message, bad[i].message_part));
    }
    /* A move request ignores "top", as any unknown key. */
    const char *big = "{" PLAYERS ",\"top\":99}";
    assert_int_equal(game_from_json(big, strlen(big), rec, &err), GAME_OK);
    free(rec);
}

/* level, nodes and seed are read and written back. */
static void level_nodes_and_seed_round_trip(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    const char *in = "{\"X\":{\"player\":\"AI\",\"level\":3,\"nodes\":5000},"
                     "\"O\":{\"player\":\"human\"},\"seed\":9007199254740991}";
    assert_int_equal(game_from_json(in, strlen(in), rec, &err), GAME_OK);
    assert_int_equal(rec->players[GAME_SIDE_X].level, 3);
    assert_int_equal(rec->players[GAME_SIDE_X].nodes, 5000);
    assert_true(rec->has_seed);
    assert_int_equal(rec->seed, 9007199254740991LL);
    char *out = game_to_json(rec, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"level\":3"));
    assert_non_null(strstr(out, "\"nodes\":5000"));
    assert_non_null(strstr(out, "\"seed\":9007199254740991"));
    free(out);
    const char *plain = "{" PLAYERS "}";
    assert_int_equal(game_from_json(plain, strlen(plain), rec, &err), GAME_OK);
    assert_false(rec->has_seed);
    out = game_to_json(rec, NULL);
    assert_null(strstr(out, "seed"));
    assert_null(strstr(out, "level"));
    free(out);
    free(rec);
}

static void every_bad_input_gets_its_error(void **state)
{
    game_record_t *rec = new_record();
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        const struct bad_case *c = &BAD[i];
        game_error_t err;
        memset(&err, 0, sizeof(err));
        game_status_t s = game_from_json(c->json, strlen(c->json), rec, &err);
        if (s != c->status || strcmp(err.field, c->field) != 0 ||
            strstr(err.message, c->message_part) == NULL) {
            fail_msg("case %zu (%s): got %s, field \"%s\", message \"%s\"", i, c->json,
                     game_strerror(s), err.field, err.message);
        }
        assert_int_equal(err.status, s);
    }
    free(rec);
}

static void hostile_json_is_refused(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    /* 100000-deep nesting: refused by the parser's depth limit, no stack
     * overflow. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    assert_int_equal(game_from_json(deep, 2 * depth, rec, &err), GAME_EJSON);
    free(deep);
    /* A NUL byte inside the body. */
    static const char nul[] = "{\"X\":{\"player\":\"hu\0man\"}}";
    assert_int_equal(game_from_json(nul, sizeof(nul) - 1, rec, &err), GAME_EJSON);
    /* Trailing garbage after the document. */
    static const char trailing[] = "{" PLAYERS "} x";
    assert_int_equal(game_from_json(trailing, strlen(trailing), rec, &err), GAME_EJSON);
    /* More moves than cells, before looking at any of them. */
    char many[4096] = "{" PLAYERS ",\"board_size\":5,\"moves\":[";
    for (int i = 0; i < 26; i++) {
        strcat(many, i ? ",1" : "1");
    }
    strcat(many, "]}");
    assert_int_equal(game_from_json(many, strlen(many), rec, &err), GAME_ERANGE);
    assert_string_equal(err.field, "moves");
    free(rec);
}

static void defaults_and_clamping(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    const char *json = "{\"X\":{\"player\":\"HUMAN\"},\"O\":{\"player\":\"ai\",\"depth\":5,"
                       "\"max_time_ms\":250},\"radius\":9,\"winner\":\"X\",\"board_state\":7}";
    assert_int_equal(game_from_json(json, strlen(json), rec, &err), GAME_OK);
    assert_int_equal(rec->board_size, 19);
    assert_int_equal(rec->rule, ENGINE_RULE_FREESTYLE);
    assert_int_equal(rec->radius, 4); /* clamped, as the original did */
    assert_int_equal(rec->players[GAME_SIDE_X].kind, GAME_HUMAN);
    assert_int_equal(rec->players[GAME_SIDE_O].kind, GAME_AI);
    assert_int_equal(rec->players[GAME_SIDE_O].depth, 5);
    assert_int_equal(rec->players[GAME_SIDE_O].max_time_ms, 250);
    assert_int_equal(rec->n_moves, 0);
    assert_int_equal(rec->winner, GAME_WINNER_NONE); /* recomputed, not trusted */
    assert_int_equal(game_record_to_move(rec), GAME_SIDE_X);
    free(rec);
}

/* Decoding a saved game and encoding it again gives the same document, and
 * decoding that gives the same record. */
static void check_round_trip(const char *fixture, game_winner_t winner, int n_moves)
{
    size_t len;
    char *text = read_fixture(fixture, &len);
    game_record_t *a = new_record(), *b = new_record();
    game_error_t err;
    if (game_from_json(text, len, a, &err) != GAME_OK) {
        fail_msg("%s: %s (%s)", fixture, err.message, err.field);
    }
    assert_int_equal(a->winner, winner);
    assert_int_equal(a->n_moves, n_moves);
    size_t out_len;
    char *out = game_to_json(a, &out_len);
    assert_non_null(out);
    assert_int_equal(strlen(out), out_len);
    assert_int_equal(game_from_json(out, out_len, b, &err), GAME_OK);
    char *again = game_to_json(b, NULL);
    assert_string_equal(out, again);

    /* The written document equals the saved one, field by field, apart
     * from fields the original wrote differently (none expected). */
    json_t *saved = json_loadb(text, len, 0, NULL);
    json_t *written = json_loads(out, 0, NULL);
    assert_non_null(saved);
    assert_non_null(written);
    json_object_del(written, "rule"); /* our extension, always written */
    if (json_object_get(saved, "rule") != NULL) {
        json_object_del(saved, "rule");
    }
    if (!json_equal(saved, written)) {
        char *s = json_dumps(saved, JSON_COMPACT | JSON_SORT_KEYS);
        char *w = json_dumps(written, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("%s differs:\nsaved   %s\nwritten %s", fixture, s, w);
    }
    json_decref(saved);
    json_decref(written);
    free(again);
    free(out);
    free(text);
    free(a);
    free(b);
}

static void original_saved_games_round_trip(void **state)
{
    check_round_trip("human_vs_ai_19_x_wins.json", GAME_WINNER_X, 23);
    check_round_trip("ai_vs_ai_15_o_wins_standard.json", GAME_WINNER_O, 10);
    check_round_trip("compact_15_in_progress.json", GAME_WINNER_NONE, 9);
}

static void encoding_details(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    const char *json = "{" PLAYERS ",\"board_size\":5,\"moves\":[{\"X (human)\":[2,2],"
                       "\"time_ms\":0.4564}]}";
    assert_int_equal(game_from_json(json, strlen(json), rec, &err), GAME_OK);
    char *out = game_to_json(rec, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"board_state\":[\". . . . .\",\". . . . .\",\". . X . .\","));
    assert_non_null(strstr(out, "\"time_ms\":0.456}")); /* three decimals */
    assert_non_null(strstr(out, "\"timeout\":\"none\""));
    assert_non_null(strstr(out, "\"winner\":\"none\""));
    assert_non_null(strstr(out, "{\"X (human)\":[2,2],"));
    free(out);

    /* An appended move uses the notation of the move before it, and the
     * winning move carries "winner": true. */
    const char *compact = "{" PLAYERS ",\"board_size\":5,\"moves\":[{\"X (human)\":\"A1\"},"
                          "{\"O (AI)\":\"A2\"},{\"X (human)\":\"B1\"},{\"O (AI)\":\"B2\"},"
                          "{\"X (human)\":\"C1\"},{\"O (AI)\":\"C2\"},{\"X (human)\":\"D1\"},"
                          "{\"O (AI)\":\"D2\"}]}";
    assert_int_equal(game_from_json(compact, strlen(compact), rec, &err), GAME_OK);
    assert_int_equal(game_record_append(rec, 0, 4, GAME_HUMAN, &err), GAME_OK);
    assert_int_equal(rec->winner, GAME_WINNER_X);
    assert_int_equal(rec->win_line.n, 5);
    out = game_to_json(rec, NULL);
    assert_non_null(strstr(out, "{\"X (human)\":\"E1\",\"winner\":true}"));
    assert_non_null(strstr(out, "\"winner\":\"X\""));
    free(out);
    assert_int_equal(game_record_append(rec, 4, 4, GAME_AI, &err), GAME_EOVER);

    game_error_t e = {0};
    char *ej = game_error_json(&(game_error_t){GAME_ERANGE, "moves[3]", "a \"quoted\" text"}, NULL);
    assert_string_equal(ej, "{\"error\":\"a \\\"quoted\\\" text\",\"field\":\"moves[3]\"}");
    free(ej);
    (void)e;
    free(rec);
}

static void append_checks_cells_and_turns(void **state)
{
    game_record_t *rec = new_record();
    game_error_t err;
    game_record_init(rec);
    rec->board_size = 15;
    assert_int_equal(game_record_append(rec, 7, 7, GAME_HUMAN, &err), GAME_OK);
    assert_int_equal(rec->moves[0].side, GAME_SIDE_X);
    assert_int_equal(game_record_append(rec, 7, 7, GAME_AI, &err), GAME_EOCCUPIED);
    assert_int_equal(rec->n_moves, 1);
    assert_int_equal(game_record_append(rec, 15, 0, GAME_AI, &err), GAME_EBOUNDS);
    assert_int_equal(game_record_append(rec, 8, 8, GAME_AI, &err), GAME_OK);
    assert_int_equal(rec->moves[1].side, GAME_SIDE_O);
    assert_false(rec->moves[1].compact);

    engine_position_t pos;
    game_record_position(rec, &pos);
    assert_int_equal(pos.size, 15);
    assert_int_equal(pos.n_stones, 2);
    assert_int_equal(pos.to_move, ENGINE_BLACK);
    assert_int_equal(pos.stones[1].color, ENGINE_WHITE);
    assert_int_equal(pos.stones[1].at.row, 8);
    free(rec);
}

/* A 5x5 board filled without five in a row is a draw. Rows alternate the
 * pattern X X O O X / O O X X O so no line of five forms. */
static void full_board_is_a_draw(void **state)
{
    static const char *rows[5] = {"XXOOX", "OOXXO", "XXOOX", "OOXXO", "XXOOX"};
    int xs[13][2], os[12][2], nx = 0, no = 0;
    for (int r = 0; r < 5; r++) {
        for (int c = 0; c < 5; c++) {
            if (rows[r][c] == 'X') {
                xs[nx][0] = r, xs[nx][1] = c, nx++;
            } else {
                os[no][0] = r, os[no][1] = c, no++;
            }
        }
    }
    assert_int_equal(nx, 13);
    game_record_t *rec = new_record();
    game_error_t err;
    game_record_init(rec);
    rec->board_size = 5;
    for (int i = 0; i < 25; i++) {
        const int *cell = i % 2 == 0 ? xs[i / 2] : os[i / 2];
        assert_int_equal(game_record_append(rec, cell[0], cell[1], GAME_HUMAN, &err), GAME_OK);
        assert_int_equal(rec->winner, i == 24 ? GAME_WINNER_DRAW : GAME_WINNER_NONE);
    }
    assert_true(game_record_finished(rec));
    free(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_bad_input_gets_its_error),
        cmocka_unit_test(hostile_json_is_refused),
        cmocka_unit_test(defaults_and_clamping),
        cmocka_unit_test(original_saved_games_round_trip),
        cmocka_unit_test(encoding_details),
        cmocka_unit_test(append_checks_cells_and_turns),
        cmocka_unit_test(full_board_is_a_draw),
        cmocka_unit_test(analysis_top),
        cmocka_unit_test(level_nodes_and_seed_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
