/*
 * engine.h: the Gomoku AI's public interface.
 *
 * Who calls it: the daemon's search threads, the Gomocup brain, the tests and
 * the benchmarks. Nothing else in the tree reaches into src/engine.
 *
 * Invariants:
 *   - engine_init() builds read-only tables (patterns, Zobrist keys) once,
 *     before anything else is called (a second call does nothing). After
 *     it, the engine has no global mutable state.
 *   - An engine_ctx_t belongs to one thread at a time. Several searches may
 *     run at once, each with its own context.
 *   - engine_search() does no I/O, never calls exit(), never allocates, and
 *     always returns within the limits it is given (the hard time limit is
 *     overrun by at most a few milliseconds), with a legal move whenever the
 *     position has an empty cell.
 *   - With no time limit (time_ms == 0), results are deterministic: the same
 *     position and limits give the same move, score and node count.
 */
#ifndef GOMOKU_ENGINE_H
#define GOMOKU_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENGINE_MIN_SIZE  5
#define ENGINE_MAX_SIZE  25
#define ENGINE_MAX_CELLS (ENGINE_MAX_SIZE * ENGINE_MAX_SIZE)
#define ENGINE_MAX_PV    64
#define ENGINE_MAX_LINES 10 /* most root moves one search ranks (multi-PV) */

/* Scores at or beyond +-ENGINE_WIN_MIN mean a forced win or loss; the
 * distance from ENGINE_WIN is the number of plies to the five. */
#define ENGINE_WIN     30000
#define ENGINE_WIN_MIN (ENGINE_WIN - 1000)

typedef enum engine_rule {
    ENGINE_RULE_FREESTYLE = 0, /* five or more in a row wins */
    ENGINE_RULE_STANDARD = 1,  /* exactly five wins; six or more does not */
    ENGINE_RULE_RENJU = 2      /* white: five or more wins; black: exactly five wins,
                                * and overlines, double fours and double threes are
                                * forbidden to black (engine_forbidden()) */
} engine_rule_t;

#define ENGINE_RULE_COUNT 3

/* Why a point is forbidden to black under renju. A move that makes five is
 * never forbidden; otherwise the first that applies is reported. */
typedef enum engine_forbid {
    ENGINE_FORBID_NONE = 0,
    ENGINE_FORBID_OVERLINE,     /* six or more in a row */
    ENGINE_FORBID_DOUBLE_FOUR,  /* two fours at once, also two in one line */
    ENGINE_FORBID_DOUBLE_THREE, /* two threes at once; a three counts only if some
                                 * move, itself not forbidden, makes it a straight
                                 * four (recursive) */
} engine_forbid_t;

typedef enum engine_color {
    ENGINE_EMPTY = 0,
    ENGINE_BLACK = 1, /* X, moves first */
    ENGINE_WHITE = 2  /* O */
} engine_color_t;

/* A cell; row 0 is the top row, col 0 the left column. {-1, -1} is "none". */
typedef struct engine_move {
    int8_t row;
    int8_t col;
} engine_move_t;

typedef struct engine_stone {
    engine_move_t at;
    engine_color_t color;
} engine_stone_t;

/* A position: the stones on the board (in the order they were played, when
 * known: the order only breaks ties, it never changes the value) and the side
 * to move. */
typedef struct engine_position {
    int size; /* ENGINE_MIN_SIZE..ENGINE_MAX_SIZE */
    engine_rule_t rule;
    engine_color_t to_move;
    int n_stones;
    engine_stone_t stones[ENGINE_MAX_CELLS];
} engine_position_t;

/* Limits of one search; 0 means "no limit" for each field. At least one of
 * them should be set, or the search runs until *stop becomes true. */
typedef struct engine_limits {
    int64_t time_ms; /* per-move budget; the hard deadline */
    int depth;       /* nominal depth in plies (threat extensions come on top) */
    uint64_t nodes;  /* node budget; checked often, so overrun is small */
    int multipv;     /* root moves to rank, 1..ENGINE_MAX_LINES (0 means 1); the
                      * result's lines[] holds them best first */
} engine_limits_t;

/* One ranked root move of a multi-PV search. */
typedef struct engine_line {
    engine_move_t move;
    int score; /* from the side to move's view */
    int depth; /* depth at which this move's score was last settled */
    int n_pv;
    engine_move_t pv[ENGINE_MAX_PV]; /* pv[0] == move */
} engine_line_t;

typedef struct engine_result {
    engine_move_t move; /* the move to play; {-1,-1} only for a full board */
    int score;          /* from the side to move's view */
    int depth;          /* last fully searched depth */
    uint64_t nodes;
    double time_ms;
    int n_pv;
    engine_move_t pv[ENGINE_MAX_PV];       /* principal variation, pv[0] == move */
    int n_lines;                           /* ranked root moves, best first (multi-PV); */
    engine_line_t lines[ENGINE_MAX_LINES]; /* lines[0] agrees with move/score/pv */
} engine_result_t;

#define ENGINE_STATUS_LIST(X)                                                                      \
    X(ENGINE_OK, "ok")                                                                             \
    X(ENGINE_ENOMEM, "out of memory")                                                              \
    X(ENGINE_EINVAL, "invalid position (size, rule, side to move or stone out of range)")          \
    X(ENGINE_EFULL, "the board is full")

typedef enum engine_status {
#define ENGINE_STATUS_ENUM(name, text) name,
    ENGINE_STATUS_LIST(ENGINE_STATUS_ENUM)
#undef ENGINE_STATUS_ENUM
} engine_status_t;

typedef struct engine_ctx engine_ctx_t;

/* Builds the read-only tables, once per process (later calls, from any
 * thread, return at once). Call it before any other engine call. Returns
 * ENGINE_OK or ENGINE_ENOMEM. */
engine_status_t engine_init(void);

/* Creates a search context with a transposition table of about hash_mb MiB
 * (0 picks a small default). On success *out owns the context. */
engine_status_t engine_ctx_create(size_t hash_mb, engine_ctx_t **out);
void engine_ctx_destroy(engine_ctx_t *ctx);

/* Forgets everything learnt (hash table, history); for a new match. */
void engine_ctx_clear(engine_ctx_t *ctx);

/* Searches pos for the side to move within limits. stop may be NULL; when
 * another thread sets *stop, the search returns its best move so far within
 * a few milliseconds. Returns ENGINE_OK with *out filled, ENGINE_EINVAL for a
 * malformed position, ENGINE_EFULL when no cell is empty. */
engine_status_t engine_search(engine_ctx_t *ctx, const engine_position_t *pos,
                              const engine_limits_t *limits, const atomic_bool *stop,
                              engine_result_t *out);

const char *engine_strerror(engine_status_t status);

/* The score scale of the evaluation: a score s (not a mate score) stands
 * for an expected result of 1 / (1 + exp(-s / engine_eval_scale())) for
 * the side to move, the scale its tables were fitted at. */
int engine_eval_scale(void);

/* Whether black may play at under renju (whoever is to move in pos): *out
 * is ENGINE_FORBID_NONE when he may, and always under the other rules.
 * Returns ENGINE_EINVAL for a malformed position or when at is off the
 * board or taken, ENGINE_ENOMEM when no scratch board could be allocated.
 * This is the one implementation of the renju rule: the game layer's
 * referee, the daemon, the client, the brain and the search all use it.
 * These three calls run engine_init() themselves when needed. */
engine_status_t engine_forbidden(const engine_position_t *pos, engine_move_t at,
                                 engine_forbid_t *out);

/* Every point forbidden to black in pos, row by row: cells[i] and kinds[i]
 * for i < *n (both arrays hold ENGINE_MAX_CELLS). *n is 0 under the other
 * rules. Errors as engine_forbidden(). */
engine_status_t engine_forbidden_points(const engine_position_t *pos, engine_move_t *cells,
                                        engine_forbid_t *kinds, int *n);

/* Replays pos's stones in their order and finds the first black one played
 * on a point forbidden at that moment: *index (-1 when none, and always
 * under the other rules) and *kind. Errors as engine_forbidden(). */
engine_status_t engine_first_forbidden(const engine_position_t *pos, int *index,
                                       engine_forbid_t *kind);

/* "overline", "double four", "double three" ("none" for ENGINE_FORBID_NONE). */
const char *engine_forbid_name(engine_forbid_t kind);

#endif
