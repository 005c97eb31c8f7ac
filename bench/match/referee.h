/*
 * referee.h: the match's judge, built on the game layer's rules.
 *
 * Keeps the board of one game and judges every stone: legal or not, and
 * whether it ends the game, with the game layer's win test and, under renju,
 * the engine's forbidden-point test for black (the project's one referee).
 */
#ifndef GOMOKU_MATCH_REFEREE_H
#define GOMOKU_MATCH_REFEREE_H

#include <stdbool.h>
#include <stddef.h>

#include "game/rules.h"

typedef struct match_referee {
    game_board_t board;
    engine_position_t pos; /* the same stones in their order, for the renju test */
    engine_rule_t rule;
    int stones;
} match_referee_t;

typedef enum match_verdict {
    MATCH_PLAY_ON = 0, /* a legal stone; the game goes on */
    MATCH_PLAY_WIN,    /* the stone wins for its colour */
    MATCH_PLAY_DRAW,   /* the board is full and nobody won */
    MATCH_PLAY_ILLEGAL /* off the board, occupied, or forbidden: the mover loses */
} match_verdict_t;

/* An empty board under rule. */
void match_referee_init(match_referee_t *r, int size, engine_rule_t rule);

/* Judges color's stone at column x, row y, and places it when legal. why
 * (may be NULL) receives the reason of an illegal move. */
match_verdict_t match_referee_play(match_referee_t *r, int x, int y, engine_color_t color,
                                   char *why, size_t why_cap);

/* Parses a brain's move answer "x,y" (blanks allowed around the numbers).
 * False when the line is anything else. */
bool match_parse_move(const char *line, int *x, int *y);

/* The rule's Gomocup INFO rule value (0, 1, 4); its name is the game
 * layer's game_rule_name(). */
int match_rule_gomocup(engine_rule_t rule);

#endif
