#include "game/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game/notation.h"

static const char *const STATUS_TEXT[] = {
#define GAME_STATUS_TEXT(name, text) text,
    GAME_STATUS_LIST(GAME_STATUS_TEXT)
#undef GAME_STATUS_TEXT
};

const char *game_strerror(game_status_t status)
{
    if ((unsigned)status >= sizeof(STATUS_TEXT) / sizeof(STATUS_TEXT[0])) {
        return "unknown status";
    }
    return STATUS_TEXT[status];
}

game_status_t game_error_set(game_error_t *err, game_status_t status, const char *field,
                             const char *fmt, ...)
{
    if (err != NULL) {
        err->status = status;
        snprintf(err->field, sizeof(err->field), "%s", field != NULL ? field : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *game_winner_name(game_winner_t winner)
{
    switch (winner) {
    case GAME_WINNER_NONE:
        return "none";
    case GAME_WINNER_X:
        return "X";
    case GAME_WINNER_O:
        return "O";
    case GAME_WINNER_DRAW:
        return "draw";
    }
    return "none";
}

const char *game_rule_name(engine_rule_t rule)
{
    switch (rule) {
    case ENGINE_RULE_FREESTYLE:
        return "freestyle";
    case ENGINE_RULE_STANDARD:
        return "standard";
    case ENGINE_RULE_RENJU:
        return "renju";
    }
    return "freestyle";
}

char game_side_letter(game_side_t side)
{
    return side == GAME_SIDE_X ? 'X' : 'O';
}

void game_record_init(game_record_t *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->board_size = GAME_DEFAULT_SIZE;
    rec->rule = ENGINE_RULE_FREESTYLE;
    rec->radius = GAME_DEFAULT_RADIUS;
    rec->players[GAME_SIDE_X].kind = GAME_HUMAN;
    rec->players[GAME_SIDE_O].kind = GAME_AI;
}

game_side_t game_record_to_move(const game_record_t *rec)
{
    return rec->n_moves % 2 == 0 ? GAME_SIDE_X : GAME_SIDE_O;
}

bool game_record_finished(const game_record_t *rec)
{
    return rec->winner != GAME_WINNER_NONE;
}

static engine_color_t side_color(game_side_t side)
{
    return side == GAME_SIDE_X ? ENGINE_BLACK : ENGINE_WHITE;
}

void game_record_board(const game_record_t *rec, game_board_t *board)
{
    board->size = rec->board_size;
    memset(board->cells, ENGINE_EMPTY, sizeof(board->cells));
    for (int i = 0; i < rec->n_moves; i++) {
        const game_move_t *m = &rec->moves[i];
        board->cells[m->row * rec->board_size + m->col] = (unsigned char)side_color(m->side);
    }
}

void game_record_position(const game_record_t *rec, engine_position_t *pos)
{
    pos->size = rec->board_size;
    pos->rule = rec->rule;
    pos->to_move = side_color(game_record_to_move(rec));
    pos->n_stones = rec->n_moves;
    for (int i = 0; i < rec->n_moves; i++) {
        pos->stones[i].at.row = (int8_t)rec->moves[i].row;
        pos->stones[i].at.col = (int8_t)rec->moves[i].col;
        pos->stones[i].color = side_color(rec->moves[i].side);
    }
}

/* The first n moves of rec as an engine position (malloc'd; NULL when out
 * of memory). */
static engine_position_t *prefix_position(const game_record_t *rec, int n)
{
    engine_position_t *pos = malloc(sizeof(*pos));
    if (pos != NULL) {
        game_record_position(rec, pos);
        pos->n_stones = n;
        pos->to_move = n % 2 == 0 ? ENGINE_BLACK : ENGINE_WHITE;
    }
    return pos;
}

static game_status_t forbidden_error(const game_record_t *rec, int i, engine_forbid_t kind,
                                     game_error_t *err)
{
    char field[32], text[GAME_COORD_MAX];
    snprintf(field, sizeof(field), "moves[%d]", i);
    game_coord_format(rec->moves[i].row, rec->moves[i].col, text);
    return game_error_set(err, GAME_EFORBIDDEN, field,
                          "move %d (%s) is forbidden to black under renju: %s", i + 1, text,
                          engine_forbid_name(kind));
}

/* Under renju, the first black move among rec's first n (a legal sequence
 * otherwise) played on a point forbidden at that moment: the referee is the
 * engine's, so every part of the system judges alike. */
static game_status_t check_forbidden(const game_record_t *rec, int n, game_error_t *err)
{
    if (rec->rule != ENGINE_RULE_RENJU || n == 0) {
        return GAME_OK;
    }
    if (engine_init() != ENGINE_OK) {
        return game_error_set(err, GAME_ENOMEM, "", "out of memory judging the renju rule");
    }
    engine_position_t *pos = prefix_position(rec, n);
    int index = -1;
    engine_forbid_t kind = ENGINE_FORBID_NONE;
    engine_status_t st = pos != NULL ? engine_first_forbidden(pos, &index, &kind) : ENGINE_ENOMEM;
    free(pos);
    if (st != ENGINE_OK) {
        /* The moves were checked already: only memory can fail here. */
        return game_error_set(err, GAME_ENOMEM, "", "out of memory judging the renju rule");
    }
    return index >= 0 ? forbidden_error(rec, index, kind, err) : GAME_OK;
}

game_status_t game_record_forbidden(const game_record_t *rec, engine_move_t *cells,
                                    engine_forbid_t *kinds, int *n)
{
    *n = 0;
    if (rec->rule != ENGINE_RULE_RENJU || game_record_finished(rec) ||
        game_record_to_move(rec) != GAME_SIDE_X) {
        return GAME_OK;
    }
    if (engine_init() != ENGINE_OK) {
        return GAME_ENOMEM;
    }
    engine_position_t *pos = prefix_position(rec, rec->n_moves);
    engine_status_t st =
        pos != NULL ? engine_forbidden_points(pos, cells, kinds, n) : ENGINE_ENOMEM;
    free(pos);
    if (st != ENGINE_OK) {
        *n = 0;
        return GAME_ENOMEM;
    }
    return GAME_OK;
}

/* Checks that move i may be played on board (which holds moves 0..i-1),
 * plays it, and updates the winner. */
static game_status_t play(game_record_t *rec, int i, game_board_t *board, game_error_t *err)
{
    game_move_t *m = &rec->moves[i];
    char field[32];
    snprintf(field, sizeof(field), "moves[%d]", i);
    int size = rec->board_size;

    if (rec->winner == GAME_WINNER_X || rec->winner == GAME_WINNER_O) {
        return game_error_set(err, GAME_EOVER, field,
                              "move %d comes after the game was already won by %s", i + 1,
                              game_winner_name(rec->winner));
    }
    game_side_t expected = i % 2 == 0 ? GAME_SIDE_X : GAME_SIDE_O;
    if (m->side != expected) {
        return game_error_set(err, GAME_ETURN, field,
                              "move %d is played by %c but it is %c's turn (X moves first, "
                              "then the sides alternate)",
                              i + 1, game_side_letter(m->side), game_side_letter(expected));
    }
    if (m->row < 0 || m->col < 0 || m->row >= size || m->col >= size) {
        return game_error_set(err, GAME_EBOUNDS, field,
                              "move %d at [%d, %d] is outside the %dx%d board", i + 1, m->row,
                              m->col, size, size);
    }
    unsigned char *c = &board->cells[m->row * size + m->col];
    if (*c != ENGINE_EMPTY) {
        return game_error_set(err, GAME_EOCCUPIED, field,
                              "move %d at [%d, %d] is on an occupied cell", i + 1, m->row, m->col);
    }
    *c = (unsigned char)side_color(m->side);
    m->winner = game_is_win_at(board, rec->rule, m->row, m->col, &rec->win_line);
    if (m->winner) {
        rec->winner = m->side == GAME_SIDE_X ? GAME_WINNER_X : GAME_WINNER_O;
    } else if (i + 1 == size * size) {
        rec->winner = GAME_WINNER_DRAW;
    }
    return GAME_OK;
}

game_status_t game_record_replay(game_record_t *rec, game_error_t *err)
{
    if (rec->board_size < ENGINE_MIN_SIZE || rec->board_size > ENGINE_MAX_SIZE) {
        return game_error_set(err, GAME_ERANGE, "board_size",
                              "board_size %d is not supported (use %d to %d)", rec->board_size,
                              ENGINE_MIN_SIZE, ENGINE_MAX_SIZE);
    }
    if (rec->n_moves < 0 || rec->n_moves > rec->board_size * rec->board_size) {
        return game_error_set(err, GAME_ERANGE, "moves", "%d moves cannot fit on a %dx%d board",
                              rec->n_moves, rec->board_size, rec->board_size);
    }
    game_board_t board = {.size = rec->board_size};
    rec->winner = GAME_WINNER_NONE;
    rec->win_line.n = 0;
    int played = 0;
    game_status_t status = GAME_OK;
    game_error_t later;
    while (played < rec->n_moves && (status = play(rec, played, &board, &later)) == GAME_OK) {
        played++;
    }
    /* A forbidden move comes before any later error: report it first. */
    game_status_t forbidden = check_forbidden(rec, played, err);
    if (forbidden != GAME_OK) {
        return forbidden;
    }
    if (status != GAME_OK && err != NULL) {
        *err = later;
    }
    return status;
}

game_status_t game_record_append(game_record_t *rec, int row, int col, game_kind_t kind,
                                 game_error_t *err)
{
    if (game_record_finished(rec)) {
        return game_error_set(err, GAME_EOVER, "moves", "the game is already over (%s)",
                              game_winner_name(rec->winner));
    }
    game_board_t board;
    game_record_board(rec, &board);
    int i = rec->n_moves;
    game_move_t *m = &rec->moves[i];
    memset(m, 0, sizeof(*m));
    m->row = row;
    m->col = col;
    m->side = game_record_to_move(rec);
    m->kind = kind;
    m->compact = i > 0 && rec->moves[i - 1].compact;
    game_winner_t winner_before = rec->winner;
    game_line_t line_before = rec->win_line;
    game_status_t status = play(rec, i, &board, err);
    if (status == GAME_OK && m->side == GAME_SIDE_X && rec->rule == ENGINE_RULE_RENJU) {
        /* Judged on the board before the move: moves 0..i-1, then this one. */
        engine_forbid_t why = ENGINE_FORBID_NONE;
        engine_position_t *pos = prefix_position(rec, i);
        engine_status_t st = ENGINE_ENOMEM;
        if (pos != NULL && engine_init() == ENGINE_OK) {
            st = engine_forbidden(pos, (engine_move_t){.row = (int8_t)row, .col = (int8_t)col},
                                  &why);
        }
        free(pos);
        if (st != ENGINE_OK) {
            status = game_error_set(err, GAME_ENOMEM, "", "out of memory judging the renju rule");
        } else if (why != ENGINE_FORBID_NONE) {
            status = forbidden_error(rec, i, why, err);
        }
        if (status != GAME_OK) {
            rec->winner = winner_before;
            rec->win_line = line_before;
        }
    }
    if (status == GAME_OK) {
        rec->n_moves++;
    }
    return status;
}
