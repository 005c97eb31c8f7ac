/*
 * record.h: a game record, the document that travels in POST /gomoku/play.
 *
 * A record is the whole game: board size, rule, the two players and the move
 * history with each move's metadata. It is what the JSON codec (codec.h)
 * reads and writes, what the daemon appends its move to and what the client
 * checks replies against. docs/api.md is the wire contract it follows.
 *
 * Invariants of a record that game_record_replay() accepted:
 *   - moves alternate X, O, X, ... starting with X, each on an empty cell
 *     inside the board, and no move follows a win;
 *   - `winner` and each move's `winner` flag were recomputed from the moves.
 * Records are plain values (no pointers inside): copy them with '='. They are
 * large (about 90 KiB): allocate them, do not put them on small stacks.
 * No shared state; each function touches only its arguments.
 */
#ifndef GOMOKU_GAME_RECORD_H
#define GOMOKU_GAME_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "game/rules.h"

#define GAME_DEFAULT_SIZE   19
#define GAME_DEFAULT_RADIUS 2
#define GAME_MIN_RADIUS     1
#define GAME_MAX_RADIUS     4
#define GAME_MAX_DEPTH      64
#define GAME_PV_TEXT_MAX    256
#define GAME_MAX_NODES      1000000000 /* largest node budget a player may name */
#define GAME_MIN_LEVEL      1
#define GAME_MAX_LEVEL      10                 /* full strength */
#define GAME_MAX_SEED       9007199254740991LL /* 2^53 - 1: exact in every JSON reader */

typedef enum game_side { GAME_SIDE_X = 0, GAME_SIDE_O = 1 } game_side_t;

typedef enum game_kind { GAME_HUMAN = 0, GAME_AI = 1 } game_kind_t;

typedef enum game_winner {
    GAME_WINNER_NONE = 0,
    GAME_WINNER_X,
    GAME_WINNER_O,
    GAME_WINNER_DRAW
} game_winner_t;

/* Error classes. Values are only ever appended. Each maps to one HTTP status
 * in the daemon (docs/api.md lists them). */
#define GAME_STATUS_LIST(X)                                                                        \
    X(GAME_OK, "ok")                                                                               \
    X(GAME_EJSON, "invalid JSON")                                                                  \
    X(GAME_ETYPE, "wrong JSON type")                                                               \
    X(GAME_EMISSING, "missing required field")                                                     \
    X(GAME_ERANGE, "value out of range")                                                           \
    X(GAME_EMOVE, "malformed move")                                                                \
    X(GAME_EBOUNDS, "move outside the board")                                                      \
    X(GAME_EOCCUPIED, "cell already occupied")                                                     \
    X(GAME_ETURN, "move out of turn")                                                              \
    X(GAME_EOVER, "move after the game was won")                                                   \
    X(GAME_ENOMEM, "out of memory")                                                                \
    X(GAME_EFORBIDDEN, "move forbidden to black under renju")

typedef enum game_status {
#define GAME_STATUS_ENUM(name, text) name,
    GAME_STATUS_LIST(GAME_STATUS_ENUM)
#undef GAME_STATUS_ENUM
} game_status_t;

/* What went wrong and where: `field` is a path into the document such as
 * "moves[3]" or "X.player" ("" for the document itself); `message` is a
 * sentence for people. */
typedef struct game_error {
    game_status_t status;
    char field[64];
    char message[256];
} game_error_t;

typedef struct game_player {
    game_kind_t kind;
    int depth;           /* 0 when not given */
    int64_t max_time_ms; /* ours; 0 when not given */
    int64_t nodes;       /* ours: node budget; 0 when not given */
    int level;           /* ours: 1..10 for an AI; 0 when not given (full strength) */
    double time_ms;      /* total thinking time of this side so far */
} game_player_t;

/* One move. Fields after `kind` are informational: echoed when present
 * (has_* set), never used to judge the game. */
typedef struct game_move {
    int row, col;
    game_side_t side;
    game_kind_t kind; /* as named in the move's key, "X (AI)" etc. */
    bool compact;     /* given (and so written back) as "H8" rather than [r, c] */
    bool winner;      /* this move made five (recomputed) */
    bool has_time_ms, has_moves_searched, has_moves_evaluated, has_score, has_opponent;
    bool has_queue_wait_ms, has_depth, has_nodes, has_queue_ms;
    double time_ms;
    int64_t moves_searched, moves_evaluated, score, opponent;
    double queue_wait_ms;      /* the original's name */
    int depth;                 /* ours: depth reached */
    int64_t nodes;             /* ours: nodes searched */
    double queue_ms;           /* ours: time waiting for a search thread */
    char pv[GAME_PV_TEXT_MAX]; /* ours: principal variation, "H8 J9 ..."; "" when absent */
} game_move_t;

typedef struct game_record {
    int board_size;
    engine_rule_t rule;
    bool rule_given;     /* "rule" was in the request: echo it */
    int radius;          /* the original engine's candidate radius; echoed */
    double timeout_s;    /* the original's per-move timeout; 0 = "none" */
    bool has_undo, undo; /* the original's undo settings; echoed when given */
    bool has_undo_limit;
    int64_t undo_limit;
    bool has_seed; /* ours: "seed", the variation of levels below 10 */
    int64_t seed;
    game_player_t players[2]; /* [GAME_SIDE_X], [GAME_SIDE_O] */
    int n_moves;
    game_move_t moves[ENGINE_MAX_CELLS];
    game_winner_t winner;
    game_line_t win_line; /* the winning stones when winner is X or O */
} game_record_t;

/* Sets *rec to an empty game: 19x19, freestyle, X human, O AI. */
void game_record_init(game_record_t *rec);

/* Checks the move list of a decoded record (sides alternate from X, cells on
 * the board and empty, nothing after a win, under renju no black move on a
 * forbidden point) and recomputes `winner`,
 * `win_line` and the per-move `winner` flags. Returns GAME_OK or fills *err. */
game_status_t game_record_replay(game_record_t *rec, game_error_t *err);

/* The side whose turn it is (by move count; X moves first). */
game_side_t game_record_to_move(const game_record_t *rec);

/* True when the game is over: a winner or a draw. */
bool game_record_finished(const game_record_t *rec);

/* The stones of rec on a plain board. */
void game_record_board(const game_record_t *rec, game_board_t *board);

/* The engine's view of rec: the stones in playing order and the side to
 * move. */
void game_record_position(const game_record_t *rec, engine_position_t *pos);

/* Appends a move for the side to move at (row, col), in the notation of the
 * previous move, then recomputes the winner. Returns GAME_OK, or fills *err
 * (occupied or off-board cell, finished game, a point forbidden to black
 * under renju). On success the new move is
 * rec->moves[rec->n_moves - 1]; the caller may fill its informational
 * fields. */
game_status_t game_record_append(game_record_t *rec, int row, int col, game_kind_t kind,
                                 game_error_t *err);

/* The points forbidden to black under renju when black is to move in an
 * unfinished game: cells[i] and kinds[i] for i < *n (arrays of
 * ENGINE_MAX_CELLS); *n is 0 otherwise. GAME_OK or GAME_ENOMEM. */
game_status_t game_record_forbidden(const game_record_t *rec, engine_move_t *cells,
                                    engine_forbid_t *kinds, int *n);

const char *game_strerror(game_status_t status);
const char *game_winner_name(game_winner_t winner);
/* "freestyle", "standard" or "renju": the rule's name on the wire. */
const char *game_rule_name(engine_rule_t rule);
char game_side_letter(game_side_t side);

/* Fills *err and returns its status; message is printf-style. */
game_status_t game_error_set(game_error_t *err, game_status_t status, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
