/*
 * protocol.h: the Gomocup "pbrain" protocol as a pure state machine.
 *
 * What it is: everything the brain knows about the game (board, move order,
 * INFO settings) and the rules for turning one manager line into replies and
 * an action ("think now", "quit"). It does no I/O and never calls the engine,
 * so the unit tests drive it line by line; brain.c owns the threads, the
 * pipes and the search.
 *
 * Who calls it: brain.c (the thinker thread owns the state; the stdin reader
 * thread only calls pbrain_urgent() and the line splitter), the unit tests
 * and bench/minimax_brain.c through brain.c.
 *
 * Protocol: https://plastovicka.github.io/protocl2en.htm. Coordinates are
 * "X,Y" with X the column and Y the row, both zero-based from the top-left
 * corner; engine_move_t uses (row, col), so X = col and Y = row.
 *
 * Invariants: cells[] and moves[] always describe the same stones; moves[]
 * keeps them in the order they arrived (the engine uses it to break ties).
 * Not thread-safe: one thread at a time.
 */
#ifndef GOMOKU_PBRAIN_PROTOCOL_H
#define GOMOKU_PBRAIN_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

/* Longest manager line we keep; longer lines are cut and answered with an
 * ERROR (the protocol allows a peer to cut very long lines). */
#define PBRAIN_LINE_MAX 512
/* Room for the replies to one line (a few short lines at most). */
#define PBRAIN_OUT_MAX 1024

/* Defaults for settings the manager may never send (the protocol says a
 * brain must cope with missing INFO lines). 5 s is Gomocup's fastgame turn. */
#define PBRAIN_DEFAULT_TURN_MS 5000
#define PBRAIN_DEFAULT_HASH_MB 64
/* Budget for timeout_turn 0, "play as fast as possible". */
#define PBRAIN_FAST_MS 30
/* INFO time_left value that means "no game clock". */
#define PBRAIN_UNLIMITED_MS 2147483647

/* INFO rule bits. */
#define PBRAIN_RULE_EXACT5     1
#define PBRAIN_RULE_CONTINUOUS 2
#define PBRAIN_RULE_RENJU      4

typedef enum pbrain_cell { PBRAIN_EMPTY = 0, PBRAIN_OWN = 1, PBRAIN_OPP = 2 } pbrain_cell_t;

typedef enum pbrain_action {
    PBRAIN_ACT_NONE,  /* nothing to do beyond printing the replies */
    PBRAIN_ACT_THINK, /* search the current position, answer "X,Y" */
    PBRAIN_ACT_QUIT,  /* END: exit now */
    PBRAIN_ACT_FORBID /* YXSHOWFORBID: answer black's forbidden points (renju) */
} pbrain_action_t;

typedef enum pbrain_urgency {
    PBRAIN_URGENT_NONE, /* queue the line for the thinker thread */
    PBRAIN_URGENT_END,  /* END: stop any search and exit */
    PBRAIN_URGENT_STOP  /* STOP / YXSTOP: stop the search, answer its best move */
} pbrain_urgency_t;

/* Settings from INFO lines; -1 means "never sent". */
typedef struct pbrain_info {
    int64_t timeout_turn_ms;  /* 0 = play fast */
    int64_t timeout_match_ms; /* 0 = no game clock */
    int64_t time_left_ms;     /* may be negative; PBRAIN_UNLIMITED_MS = none */
    int64_t max_memory;       /* bytes, 0 = no limit */
    int rule;                 /* PBRAIN_RULE_* bits */
    int game_type;
    int max_depth;     /* extension (as in Rapfi/Yixin managers): depth cap */
    int64_t max_nodes; /* extension: node cap, makes a search deterministic */
} pbrain_info_t;

typedef struct pbrain_move {
    int8_t x, y;
    uint8_t who; /* pbrain_cell_t */
} pbrain_move_t;

typedef struct pbrain_state {
    const char *about; /* the ABOUT answer, without newline */
    bool started;      /* a START/RECTSTART succeeded */
    bool in_board;     /* between BOARD (or YXBOARD) and DONE */
    bool board_quiet;  /* it was YXBOARD: DONE sets the board without thinking */
    int size;
    uint8_t cells[ENGINE_MAX_CELLS]; /* pbrain_cell_t, index y * size + x */
    int n_moves;
    pbrain_move_t moves[ENGINE_MAX_CELLS];
    pbrain_info_t info;
} pbrain_state_t;

/* Output of one step: zero or more complete lines, each ending in '\n'. */
typedef struct pbrain_out {
    size_t len;
    char text[PBRAIN_OUT_MAX];
} pbrain_out_t;

/* Splits a byte stream into lines ending in CR, LF or CR LF; empty lines are
 * dropped (the manager ignores them too, and CR LF would yield one). */
typedef struct pbrain_splitter {
    size_t len;
    bool truncated;
    char line[PBRAIN_LINE_MAX + 1];
} pbrain_splitter_t;

/* Sets up an empty, not yet started state. about is kept by pointer and must
 * outlive the state. */
void pbrain_init(pbrain_state_t *st, const char *about);

/* Processes one manager line (without its line end). Replies are appended to
 * *out (which the caller empties first); the return value says what the
 * caller must do next. Never fails: bad input produces an "ERROR ..." or
 * "UNKNOWN ..." reply and leaves the state as it was. */
pbrain_action_t pbrain_feed(pbrain_state_t *st, const char *line, pbrain_out_t *out);

/* What the stdin reader must do with a line at once, even while a search is
 * running (END, STOP, YXSTOP), rather than queue it. */
pbrain_urgency_t pbrain_urgent(const char *line);

/* Builds the engine position for the side to move (us). Our colour is
 * inferred from stone counts: white when the opponent has more stones,
 * otherwise black. INFO rule 4 gives ENGINE_RULE_RENJU. Returns false if no
 * game is started. */
bool pbrain_position(const pbrain_state_t *st, engine_position_t *pos);

/* The YXSHOWFORBID answer for black's forbidden points cells[0..n): "FORBID "
 * then each point as XXYY (two-digit column, then row), then "." and a
 * newline, as Yixin-protocol GUIs read it. Writes at most cap bytes
 * (NUL-terminated); returns the length, or 0 when cap is too small. */
size_t pbrain_forbid_text(const engine_move_t *cells, int n, char *buf, size_t cap);

/* Records our own move (after a search). Returns false, changing nothing, if
 * the cell is off the board or occupied. */
bool pbrain_play_own(pbrain_state_t *st, int x, int y);

/* Any empty cell, nearest the centre first; for when the search cannot
 * answer. Returns false on a full board. */
bool pbrain_fallback_move(const pbrain_state_t *st, int *x, int *y);

/* The search limits for the next move: time from timeout_turn, time_left and
 * a safety margin for pipe latency, plus the max_depth / max_node caps. */
engine_limits_t pbrain_limits(const pbrain_info_t *info, int n_stones);

/* Transposition-table size in MiB implied by max_memory. */
size_t pbrain_hash_mb(const pbrain_info_t *info);

/* Feeds one byte; returns true when a line is complete and stores it (NUL
 * terminated) in *line, valid until the next call. *truncated says whether
 * the line was longer than PBRAIN_LINE_MAX and cut. */
bool pbrain_split_byte(pbrain_splitter_t *sp, char c, const char **line, bool *truncated);

#endif
