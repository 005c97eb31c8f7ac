/*
 * game.h: one game between two brains, driven through the Gomocup protocol.
 *
 * Both brains are started fresh for every game (a crash, a hang or a leak
 * in one game cannot spill into the next, and no state carries over), sent
 * START, the INFO settings and the caller's extra lines. The side to move
 * gets BEGIN on an empty board, BOARD ... DONE the first time it moves on a
 * board with stones (the opening, and the first reply after it), and
 * TURN x,y afterwards. Every answer is judged by the referee; an illegal
 * move, a crash, a silence beyond the turn time plus the grace, or a refused
 * START loses the game.
 */
#ifndef GOMOKU_MATCH_GAME_H
#define GOMOKU_MATCH_GAME_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "match/brain.h"
#include "match/openings.h"

/* How one engine is run. */
typedef struct match_engine {
    const char *label;   /* "A" or "B" */
    const char *command; /* as given, for messages and the JSON lines */
    char **argv;         /* argv[0] absolute */
    const char *dir;     /* working directory: the executable's own */
    int time_ms;         /* INFO timeout_turn */
    int n_extra;
    char **extra; /* lines sent after the INFO settings */
} match_engine_t;

typedef struct match_settings {
    int size;
    engine_rule_t rule;
    int grace_ms;         /* past the turn time, silence loses on time */
    int start_ms;         /* how long START may take (loading a model...) */
    int settle_ms;        /* pause after a brain's answer before the next command to it */
    long long max_memory; /* INFO max_memory in bytes; -1: not sent */
    int stderr_fd;        /* where the brains' stderr goes */
} match_settings_t;

typedef enum match_reason {
    MATCH_REASON_FIVE = 0, /* the winner made five */
    MATCH_REASON_DRAW,     /* full board */
    MATCH_REASON_ILLEGAL,  /* the loser's move was off board, occupied, forbidden, unparsable */
    MATCH_REASON_CRASH,    /* the loser exited or closed its output */
    MATCH_REASON_TIMEOUT,  /* the loser did not answer within its time plus the grace */
    MATCH_REASON_START,    /* the loser did not answer START with OK */
    MATCH_REASON_ABORTED   /* the runner was interrupted; no result */
} match_reason_t;

const char *match_reason_name(match_reason_t r);

typedef struct match_game {
    /* Filled by the caller. */
    int number;                     /* 1-based */
    int opening_index;              /* 0-based index in the file, -1 for none */
    const match_opening_t *opening; /* NULL: empty board */
    int black;                      /* 0: engine A has black, 1: engine B */
    /* Filled by match_game_play(). */
    int n_moves; /* opening stones included */
    int x[ENGINE_MAX_CELLS], y[ENGINE_MAX_CELLS];
    int time_ms[ENGINE_MAX_CELLS]; /* think time of each move; -1 for opening stones */
    int winner;                    /* 0: A, 1: B, -1: draw (or aborted) */
    match_reason_t reason;
    char detail[256];
    double wall_ms;
} match_game_t;

/* Plays game g between engines[0] (A) and engines[1] (B). stop (may be NULL)
 * is checked between moves: when set, the game ends as MATCH_REASON_ABORTED
 * (the second Ctrl-C).
 * Never blocks beyond the time limits. */
void match_game_play(const match_settings_t *s, const match_engine_t engines[2],
                     const atomic_int *stop, match_game_t *g);

#endif
