#include "game/codec.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "game/notation.h"

/* Largest budget or timeout we read: beyond it a number is a mistake. */
#define MAX_MILLIS 1e9

/* The players' "time_ms" is ignored on input and written as the sum of
 * their moves' times, each up to 1e12: accept any such sum, so that a
 * record we wrote can always be sent back. */
#define MAX_TOTAL_MILLIS (1e12 * ENGINE_MAX_CELLS)

/* Copies the text at in into out (outlen bytes, NUL-terminated) one whole
 * UTF-8 character at a time while it fits; a byte that starts no valid
 * character (jansson's rules: no overlong forms, no surrogates, nothing
 * above U+10FFFF) becomes '?'. jansson refuses to write invalid UTF-8, so
 * text cut to a byte count, or quoting a client's bytes, must pass through
 * here before it is written. */
static void copy_utf8(char *out, size_t outlen, const char *in)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t used = 0;
    while (*s != '\0') {
        unsigned char c = s[0];
        size_t len = 1;
        uint32_t cp = c;
        if (c >= 0xC2 && c <= 0xF4) {
            len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            cp = c & (0x7F >> len);
            for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xC0) != 0x80) {
                    len = 0; /* also stops at the NUL */
                    break;
                }
                cp = cp << 6 | (s[i] & 0x3F);
            }
            if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) {
                len = 0;
            } else if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) {
                len = 0;
            }
        } else if (c >= 0x80) {
            len = 0;
        }
        const unsigned char *from = len > 0 ? s : (const unsigned char *)"?";
        size_t n = len > 0 ? len : 1;
        if (used + n + 1 > outlen) {
            break;
        }
        memcpy(out + used, from, n);
        used += n;
        s += n;
    }
    if (outlen > 0) {
        out[used] = '\0';
    }
}

static const char *const SIDE_KEYS[2][2] = {
    [GAME_SIDE_X] = {[GAME_HUMAN] = "X (human)", [GAME_AI] = "X (AI)"},
    [GAME_SIDE_O] = {[GAME_HUMAN] = "O (human)", [GAME_AI] = "O (AI)"},
};

/* ---- decoding ---------------------------------------------------------- */

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

static game_status_t type_error(game_error_t *err, const char *field, const json_t *v,
                                const char *expected)
{
    return game_error_set(err, GAME_ETYPE, field, "%s must be %s, not %s", field, expected,
                          type_name(v));
}

/* Reads an optional integer member in [lo, hi]. Absent or null leaves *out. */
static game_status_t get_int(const json_t *obj, const char *key, const char *field, int64_t lo,
                             int64_t hi, int64_t *out, bool *present, game_error_t *err)
{
    const json_t *v = json_object_get(obj, key);
    if (present != NULL) {
        *present = false;
    }
    if (v == NULL || json_is_null(v)) {
        return GAME_OK;
    }
    if (!json_is_integer(v)) {
        return type_error(err, field, v, "an integer");
    }
    int64_t n = json_integer_value(v);
    if (n < lo || n > hi) {
        return game_error_set(err, GAME_ERANGE, field, "%s is %lld; it must be from %lld to %lld",
                              field, (long long)n, (long long)lo, (long long)hi);
    }
    *out = n;
    if (present != NULL) {
        *present = true;
    }
    return GAME_OK;
}

/* Reads an optional number member in [lo, hi]. Absent or null leaves *out. */
static game_status_t get_number(const json_t *obj, const char *key, const char *field, double lo,
                                double hi, double *out, bool *present, game_error_t *err)
{
    const json_t *v = json_object_get(obj, key);
    if (present != NULL) {
        *present = false;
    }
    if (v == NULL || json_is_null(v)) {
        return GAME_OK;
    }
    if (!json_is_number(v)) {
        return type_error(err, field, v, "a number");
    }
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
        return game_error_set(err, GAME_ERANGE, field, "%s is %g; it must be from %g to %g", field,
                              x, lo, hi);
    }
    *out = x;
    if (present != NULL) {
        *present = true;
    }
    return GAME_OK;
}

static game_status_t decode_player(const json_t *root, game_side_t side, game_player_t *p,
                                   game_error_t *err)
{
    char name[2] = {game_side_letter(side), '\0'};
    const json_t *obj = json_object_get(root, name);
    if (obj == NULL) {
        return game_error_set(err, GAME_EMISSING, name,
                              "missing required field %s (an object such as "
                              "{\"player\": \"human\"})",
                              name);
    }
    if (!json_is_object(obj)) {
        return type_error(err, name, obj, "an object");
    }
    char field[32];
    snprintf(field, sizeof(field), "%s.player", name);
    const json_t *kind = json_object_get(obj, "player");
    if (kind == NULL) {
        return game_error_set(err, GAME_EMISSING, field,
                              "missing required field %s (\"human\" or \"AI\")", field);
    }
    if (!json_is_string(kind)) {
        return type_error(err, field, kind, "a string");
    }
    if (strcasecmp(json_string_value(kind), "human") == 0) {
        p->kind = GAME_HUMAN;
    } else if (strcasecmp(json_string_value(kind), "AI") == 0) {
        p->kind = GAME_AI;
    } else {
        return game_error_set(err, GAME_ERANGE, field, "%s must be \"human\" or \"AI\"", field);
    }

    game_status_t s;
    int64_t depth = 0;
    snprintf(field, sizeof(field), "%s.depth", name);
    if ((s = get_int(obj, "depth", field, 0, GAME_MAX_DEPTH, &depth, NULL, err)) != GAME_OK) {
        return s;
    }
    p->depth = (int)depth;
    double budget = 0;
    snprintf(field, sizeof(field), "%s.max_time_ms", name);
    if ((s = get_number(obj, "max_time_ms", field, 1, MAX_MILLIS, &budget, NULL, err)) != GAME_OK) {
        return s;
    }
    p->max_time_ms = (int64_t)budget;
    snprintf(field, sizeof(field), "%s.nodes", name);
    if ((s = get_int(obj, "nodes", field, 1, GAME_MAX_NODES, &p->nodes, NULL, err)) != GAME_OK) {
        return s;
    }
    int64_t level = 0;
    bool has_level = false;
    snprintf(field, sizeof(field), "%s.level", name);
    if ((s = get_int(obj, "level", field, GAME_MIN_LEVEL, GAME_MAX_LEVEL, &level, &has_level,
                     err)) != GAME_OK) {
        return s;
    }
    if (has_level && p->kind != GAME_AI) {
        return game_error_set(err, GAME_ERANGE, field,
                              "%s is for an AI player; %s.player is \"human\"", field, name);
    }
    p->level = (int)level;
    snprintf(field, sizeof(field), "%s.time_ms", name);
    return get_number(obj, "time_ms", field, 0, MAX_TOTAL_MILLIS, &p->time_ms, NULL, err);
}

static game_status_t decode_settings(const json_t *root, game_record_t *rec, game_error_t *err)
{
    game_status_t s;
    int64_t n = GAME_DEFAULT_SIZE;
    if ((s = get_int(root, "board_size", "board_size", ENGINE_MIN_SIZE, ENGINE_MAX_SIZE, &n, NULL,
                     err)) != GAME_OK) {
        return s;
    }
    rec->board_size = (int)n;

    /* The original clamps the radius rather than refusing it. */
    n = GAME_DEFAULT_RADIUS;
    if ((s = get_int(root, "radius", "radius", INT32_MIN, INT32_MAX, &n, NULL, err)) != GAME_OK) {
        return s;
    }
    rec->radius = n < GAME_MIN_RADIUS   ? GAME_MIN_RADIUS
                  : n > GAME_MAX_RADIUS ? GAME_MAX_RADIUS
                                        : (int)n;

    const json_t *timeout = json_object_get(root, "timeout");
    if (json_is_string(timeout)) {
        if (strcasecmp(json_string_value(timeout), "none") != 0) {
            return game_error_set(err, GAME_ERANGE, "timeout",
                                  "timeout must be \"none\" or a number of seconds");
        }
    } else if ((s = get_number(root, "timeout", "timeout", 0, MAX_MILLIS / 1000, &rec->timeout_s,
                               NULL, err)) != GAME_OK) {
        return s;
    }

    const json_t *rule = json_object_get(root, "rule");
    if (rule != NULL && !json_is_null(rule)) {
        if (!json_is_string(rule)) {
            return type_error(err, "rule", rule, "a string");
        }
        if (strcasecmp(json_string_value(rule), "freestyle") == 0) {
            rec->rule = ENGINE_RULE_FREESTYLE;
        } else if (strcasecmp(json_string_value(rule), "standard") == 0) {
            rec->rule = ENGINE_RULE_STANDARD;
        } else if (strcasecmp(json_string_value(rule), "renju") == 0) {
            rec->rule = ENGINE_RULE_RENJU;
        } else {
            return game_error_set(err, GAME_ERANGE, "rule",
                                  "rule must be \"freestyle\" (five or more wins), "
                                  "\"standard\" (exactly five wins) or \"renju\" (black: "
                                  "exactly five, no overline, double four or double three)");
        }
        rec->rule_given = true;
    }

    const json_t *undo = json_object_get(root, "undo");
    if (undo != NULL && !json_is_null(undo)) {
        if (!json_is_boolean(undo)) {
            return type_error(err, "undo", undo, "a boolean");
        }
        rec->has_undo = true;
        rec->undo = json_is_true(undo);
    }
    if ((s = get_int(root, "seed", "seed", 0, GAME_MAX_SEED, &rec->seed, &rec->has_seed, err)) !=
        GAME_OK) {
        return s;
    }
    return get_int(root, "undo_limit", "undo_limit", 0, INT32_MAX, &rec->undo_limit,
                   &rec->has_undo_limit, err);
}

/* True for keys of the form "<side> (<kind>)": such a key names a side, and
 * one we do not know is an error rather than something to ignore. */
static bool looks_like_side_key(const char *key)
{
    size_t len = strlen(key);
    return strstr(key, " (") != NULL && len > 0 && key[len - 1] == ')';
}

static bool side_key(const char *key, game_side_t *side, game_kind_t *kind)
{
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < 2; k++) {
            if (strcasecmp(key, SIDE_KEYS[s][k]) == 0) {
                *side = (game_side_t)s;
                *kind = (game_kind_t)k;
                return true;
            }
        }
    }
    return false;
}

static game_status_t decode_cell(const json_t *v, const char *field, int size, game_move_t *m,
                                 game_error_t *err)
{
    if (json_is_string(v)) {
        int row, col;
        if (!game_coord_parse(json_string_value(v), ENGINE_MAX_SIZE, &row, &col)) {
            return game_error_set(err, GAME_EMOVE, field,
                                  "%s is not a cell: use [row, col] or a column letter and a "
                                  "row number such as \"H8\"",
                                  field);
        }
        if (row >= size || col >= size) {
            return game_error_set(err, GAME_EBOUNDS, field, "%s (%s) is outside the %dx%d board",
                                  field, json_string_value(v), size, size);
        }
        m->row = row;
        m->col = col;
        m->compact = true;
        return GAME_OK;
    }
    if (!json_is_array(v)) {
        return type_error(err, field, v, "[row, col] or a string such as \"H8\"");
    }
    if (json_array_size(v) != 2) {
        return game_error_set(err, GAME_EMOVE, field,
                              "%s must hold exactly two numbers [row, col], not %zu", field,
                              json_array_size(v));
    }
    json_int_t rc[2];
    for (size_t i = 0; i < 2; i++) {
        const json_t *x = json_array_get(v, i);
        if (!json_is_integer(x)) {
            return game_error_set(err, GAME_ETYPE, field,
                                  "%s must hold two integers [row, col]; element %zu is %s", field,
                                  i, type_name(x));
        }
        rc[i] = json_integer_value(x);
        if (rc[i] < 0 || rc[i] >= size) {
            return game_error_set(err, GAME_EBOUNDS, field,
                                  "%s [%lld, %lld] is outside the %dx%d board (rows and columns "
                                  "count from 0 to %d)",
                                  field, (long long)json_integer_value(json_array_get(v, 0)),
                                  (long long)json_integer_value(json_array_get(v, 1)), size, size,
                                  size - 1);
        }
    }
    m->row = (int)rc[0];
    m->col = (int)rc[1];
    m->compact = false;
    return GAME_OK;
}

static game_status_t decode_move_info(const json_t *obj, const char *prefix, game_move_t *m,
                                      game_error_t *err)
{
    char field[64];
    game_status_t s;
#define FIELD(name) (snprintf(field, sizeof(field), "%.24s.%.24s", prefix, name), field)
    if ((s = get_number(obj, "time_ms", FIELD("time_ms"), 0, 1e12, &m->time_ms, &m->has_time_ms,
                        err)) != GAME_OK ||
        (s = get_number(obj, "queue_wait_ms", FIELD("queue_wait_ms"), 0, 1e12, &m->queue_wait_ms,
                        &m->has_queue_wait_ms, err)) != GAME_OK ||
        (s = get_number(obj, "queue_ms", FIELD("queue_ms"), 0, 1e12, &m->queue_ms, &m->has_queue_ms,
                        err)) != GAME_OK) {
        return s;
    }
    int64_t depth = 0;
    if ((s = get_int(obj, "moves_searched", FIELD("moves_searched"), INT64_MIN, INT64_MAX,
                     &m->moves_searched, &m->has_moves_searched, err)) != GAME_OK ||
        (s = get_int(obj, "moves_evaluated", FIELD("moves_evaluated"), INT64_MIN, INT64_MAX,
                     &m->moves_evaluated, &m->has_moves_evaluated, err)) != GAME_OK ||
        (s = get_int(obj, "score", FIELD("score"), INT64_MIN, INT64_MAX, &m->score, &m->has_score,
                     err)) != GAME_OK ||
        (s = get_int(obj, "opponent", FIELD("opponent"), INT64_MIN, INT64_MAX, &m->opponent,
                     &m->has_opponent, err)) != GAME_OK ||
        (s = get_int(obj, "nodes", FIELD("nodes"), 0, INT64_MAX, &m->nodes, &m->has_nodes, err)) !=
            GAME_OK ||
        (s = get_int(obj, "depth", FIELD("depth"), 0, 1000, &depth, &m->has_depth, err)) !=
            GAME_OK) {
        return s;
    }
    m->depth = (int)depth;
    const json_t *pv = json_object_get(obj, "pv");
    if (pv != NULL && !json_is_null(pv)) {
        if (!json_is_string(pv)) {
            return type_error(err, FIELD("pv"), pv, "a string");
        }
        /* A long pv is cut at a character boundary, so it can be written
         * back. */
        copy_utf8(m->pv, sizeof(m->pv), json_string_value(pv));
    }
    const json_t *winner = json_object_get(obj, "winner");
    if (winner != NULL && !json_is_null(winner) && !json_is_boolean(winner)) {
        return type_error(err, FIELD("winner"), winner, "a boolean");
    }
#undef FIELD
    return GAME_OK;
}

static game_status_t decode_move(const json_t *obj, int i, int size, game_move_t *m,
                                 game_error_t *err)
{
    char field[64];
    snprintf(field, sizeof(field), "moves[%d]", i);
    if (!json_is_object(obj)) {
        return game_error_set(err, GAME_ETYPE, field,
                              "%s must be an object such as {\"X (human)\": [7, 7]}, not %s", field,
                              type_name(obj));
    }
    memset(m, 0, sizeof(*m));
    const char *found = NULL;
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        game_side_t side;
        game_kind_t kind;
        if (side_key(key, &side, &kind)) {
            if (found != NULL) {
                return game_error_set(err, GAME_EMOVE, field,
                                      "%s names two sides (\"%s\" and \"%s\"); a move has exactly "
                                      "one",
                                      field, found, key);
            }
            found = key;
            m->side = side;
            m->kind = kind;
            char cell_field[64];
            snprintf(cell_field, sizeof(cell_field), "%.24s.%.24s", field, key);
            game_status_t s = decode_cell(value, cell_field, size, m, err);
            if (s != GAME_OK) {
                return s;
            }
        } else if (looks_like_side_key(key)) {
            return game_error_set(err, GAME_EMOVE, field,
                                  "%s has an unknown side key \"%.60s\" (use \"X (human)\", "
                                  "\"X (AI)\", \"O (human)\" or \"O (AI)\")",
                                  field, key);
        }
    }
    if (found == NULL) {
        return game_error_set(err, GAME_EMOVE, field,
                              "%s has no side key (one of \"X (human)\", \"X (AI)\", "
                              "\"O (human)\", \"O (AI)\")",
                              field);
    }
    return decode_move_info(obj, field, m, err);
}

static game_status_t decode_moves(const json_t *root, game_record_t *rec, game_error_t *err)
{
    const json_t *moves = json_object_get(root, "moves");
    if (moves == NULL || json_is_null(moves)) {
        return GAME_OK;
    }
    if (!json_is_array(moves)) {
        return type_error(err, "moves", moves, "an array");
    }
    size_t n = json_array_size(moves);
    if (n > (size_t)rec->board_size * (size_t)rec->board_size) {
        return game_error_set(err, GAME_ERANGE, "moves", "%zu moves cannot fit on a %dx%d board", n,
                              rec->board_size, rec->board_size);
    }
    for (size_t i = 0; i < n; i++) {
        game_status_t s =
            decode_move(json_array_get(moves, i), (int)i, rec->board_size, &rec->moves[i], err);
        if (s != GAME_OK) {
            return s;
        }
        rec->n_moves = (int)i + 1;
    }
    return GAME_OK;
}

static game_status_t decode(const char *json, size_t len, game_record_t *rec, int *top,
                            game_error_t *err)
{
    game_record_init(rec);
    json_error_t jerr;
    /* jansson refuses NUL bytes in strings, invalid UTF-8, nesting beyond
     * its depth limit and numbers that do not fit; we add duplicate keys. */
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        if (len == 0) {
            return game_error_set(err, GAME_EJSON, "", "empty body: expected a JSON game record");
        }
        return game_error_set(err, GAME_EJSON, "", "invalid JSON at line %d, column %d: %s",
                              jerr.line, jerr.column, jerr.text);
    }
    game_status_t s;
    if (!json_is_object(root)) {
        s = game_error_set(err, GAME_ETYPE, "", "the game record must be a JSON object, not %s",
                           type_name(root));
    } else if ((s = decode_settings(root, rec, err)) == GAME_OK &&
               (s = decode_player(root, GAME_SIDE_X, &rec->players[GAME_SIDE_X], err)) == GAME_OK &&
               (s = decode_player(root, GAME_SIDE_O, &rec->players[GAME_SIDE_O], err)) == GAME_OK &&
               (s = decode_moves(root, rec, err)) == GAME_OK) {
        s = game_record_replay(rec, err);
        int64_t n = 1;
        if (s == GAME_OK && top != NULL &&
            (s = get_int(root, "top", "top", 1, ENGINE_MAX_LINES, &n, NULL, err)) == GAME_OK) {
            *top = (int)n;
        }
    }
    json_decref(root);
    return s;
}

game_status_t game_from_json(const char *json, size_t len, game_record_t *rec, game_error_t *err)
{
    return decode(json, len, rec, NULL, err);
}

game_status_t game_analysis_from_json(const char *json, size_t len, game_record_t *rec, int *top,
                                      game_error_t *err)
{
    return decode(json, len, rec, top, err);
}

/* ---- encoding ---------------------------------------------------------- */

/* Times travel as milliseconds with three decimals, as in the original. */
static json_t *millis(double ms)
{
    return json_real(round(ms * 1000.0) / 1000.0);
}

/* Sets key on obj, taking ownership of value; returns false on failure. */
static bool put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0;
}

static json_t *encode_player(const game_record_t *rec, game_side_t side)
{
    const game_player_t *p = &rec->players[side];
    double total = 0;
    for (int i = 0; i < rec->n_moves; i++) {
        /* The sum of the times as written (three decimals), so that the
         * total a reader recomputes from our text is the total we wrote. */
        if (rec->moves[i].side == side && rec->moves[i].has_time_ms) {
            total += round(rec->moves[i].time_ms * 1000.0) / 1000.0;
        }
    }
    json_t *obj = json_object();
    bool ok = obj != NULL && put(obj, "player", json_string(p->kind == GAME_AI ? "AI" : "human"));
    if (ok && p->depth > 0) {
        ok = put(obj, "depth", json_integer(p->depth));
    }
    if (ok && p->max_time_ms > 0) {
        ok = put(obj, "max_time_ms", json_integer(p->max_time_ms));
    }
    if (ok && p->nodes > 0) {
        ok = put(obj, "nodes", json_integer(p->nodes));
    }
    if (ok && p->level > 0) {
        ok = put(obj, "level", json_integer(p->level));
    }
    if (ok) {
        ok = put(obj, "time_ms", millis(total));
    }
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *encode_cell(const game_move_t *m)
{
    if (m->compact) {
        char text[GAME_COORD_MAX];
        game_coord_format(m->row, m->col, text);
        return json_string(text);
    }
    return json_pack("[ii]", m->row, m->col);
}

static json_t *encode_move(const game_move_t *m)
{
    json_t *obj = json_object();
    bool ok = obj != NULL && put(obj, SIDE_KEYS[m->side][m->kind], encode_cell(m));
    if (ok && m->has_time_ms) {
        ok = put(obj, "time_ms", millis(m->time_ms));
    }
    if (ok && m->has_moves_searched) {
        ok = put(obj, "moves_searched", json_integer(m->moves_searched));
    }
    if (ok && m->has_moves_evaluated) {
        ok = put(obj, "moves_evaluated", json_integer(m->moves_evaluated));
    }
    if (ok && m->has_score) {
        ok = put(obj, "score", json_integer(m->score));
    }
    if (ok && m->has_opponent) {
        ok = put(obj, "opponent", json_integer(m->opponent));
    }
    if (ok && m->has_depth) {
        ok = put(obj, "depth", json_integer(m->depth));
    }
    if (ok && m->has_nodes) {
        ok = put(obj, "nodes", json_integer(m->nodes));
    }
    if (ok && m->pv[0] != '\0') {
        ok = put(obj, "pv", json_string(m->pv));
    }
    if (ok && m->has_queue_ms) {
        ok = put(obj, "queue_ms", millis(m->queue_ms));
    }
    if (ok && m->has_queue_wait_ms) {
        ok = put(obj, "queue_wait_ms", millis(m->queue_wait_ms));
    }
    if (ok && m->winner) {
        ok = put(obj, "winner", json_true());
    }
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *encode_board(const game_record_t *rec)
{
    game_board_t board;
    game_record_board(rec, &board);
    json_t *rows = json_array();
    char line[2 * ENGINE_MAX_SIZE];
    for (int r = 0; rows != NULL && r < rec->board_size; r++) {
        for (int c = 0; c < rec->board_size; c++) {
            unsigned char v = board.cells[r * rec->board_size + c];
            line[2 * c] = v == ENGINE_BLACK ? 'X' : v == ENGINE_WHITE ? 'O' : '.';
            line[2 * c + 1] = ' ';
        }
        line[2 * rec->board_size - 1] = '\0';
        if (json_array_append_new(rows, json_string(line)) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

static json_t *encode_timeout(const game_record_t *rec)
{
    if (rec->timeout_s <= 0) {
        return json_string("none");
    }
    if (rec->timeout_s == floor(rec->timeout_s)) {
        return json_integer((json_int_t)rec->timeout_s);
    }
    return json_real(rec->timeout_s);
}

/* Renju, black to move: "forbidden" lists the points black may not play,
 * in the notation of the record's moves (compact when the last move is),
 * and "forbidden_why" the reason for each. Absent otherwise. */
static bool put_forbidden(json_t *root, const game_record_t *rec)
{
    if (rec->rule != ENGINE_RULE_RENJU || game_record_to_move(rec) != GAME_SIDE_X ||
        game_record_finished(rec)) {
        return true;
    }
    engine_move_t *cells = malloc(ENGINE_MAX_CELLS * sizeof(*cells));
    engine_forbid_t *kinds = malloc(ENGINE_MAX_CELLS * sizeof(*kinds));
    int n = 0;
    bool ok =
        cells != NULL && kinds != NULL && game_record_forbidden(rec, cells, kinds, &n) == GAME_OK;
    json_t *list = ok ? json_array() : NULL;
    json_t *why = ok ? json_array() : NULL;
    ok = list != NULL && why != NULL;
    bool compact = rec->n_moves > 0 && rec->moves[rec->n_moves - 1].compact;
    for (int i = 0; ok && i < n; i++) {
        game_move_t m = {.row = cells[i].row, .col = cells[i].col, .compact = compact};
        ok = json_array_append_new(list, encode_cell(&m)) == 0 &&
             json_array_append_new(why, json_string(engine_forbid_name(kinds[i]))) == 0;
    }
    free(cells);
    free(kinds);
    if (!ok) {
        json_decref(list);
        json_decref(why);
        return false;
    }
    return put(root, "forbidden", list) && put(root, "forbidden_why", why);
}

static char *dump(json_t *root, size_t *len_out)
{
    /* 15 significant digits print a 3-decimal millisecond value exactly
     * ("0.456", not "0.45600000000000002"). */
    char *text = root != NULL ? json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(root);
    if (text != NULL && len_out != NULL) {
        *len_out = strlen(text);
    }
    return text;
}

char *game_to_json(const game_record_t *rec, size_t *len_out)
{
    json_t *root = json_object();
    json_t *moves = json_array();
    bool ok = root != NULL && moves != NULL && put(root, "X", encode_player(rec, GAME_SIDE_X)) &&
              put(root, "O", encode_player(rec, GAME_SIDE_O)) &&
              put(root, "board_size", json_integer(rec->board_size)) &&
              put(root, "radius", json_integer(rec->radius)) &&
              put(root, "timeout", encode_timeout(rec)) &&
              put(root, "rule", json_string(game_rule_name(rec->rule)));
    if (ok && rec->has_undo) {
        ok = put(root, "undo", json_boolean(rec->undo));
    }
    if (ok && rec->has_undo_limit) {
        ok = put(root, "undo_limit", json_integer(rec->undo_limit));
    }
    if (ok && rec->has_seed) {
        ok = put(root, "seed", json_integer(rec->seed));
    }
    ok = ok && put(root, "winner", json_string(game_winner_name(rec->winner))) &&
         put(root, "board_state", encode_board(rec)) && put_forbidden(root, rec);
    for (int i = 0; ok && i < rec->n_moves; i++) {
        json_t *m = encode_move(&rec->moves[i]);
        ok = m != NULL && json_array_append_new(moves, m) == 0;
    }
    ok = ok && json_object_set(root, "moves", moves) == 0;
    json_decref(moves);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return dump(root, len_out);
}

char *game_error_json(const game_error_t *err, size_t *len_out)
{
    /* Messages quote the client's text (a path, a key), cut to a byte
     * count: without this an invalid byte would leave the error unwritten. */
    char message[sizeof(err->message)], field[sizeof(err->field)];
    copy_utf8(message, sizeof(message), err->message);
    copy_utf8(field, sizeof(field), err->field);
    return dump(json_pack("{s:s, s:s}", "error", message, "field", field), len_out);
}
