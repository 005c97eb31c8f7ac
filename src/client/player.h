/*
 * player.h: the simulated human.
 *
 * A quick, deterministic opponent for the server: it wins when it can,
 * blocks a five, then weighs every empty cell near the stones by the lines
 * it would make for itself (attack) and deny the opponent (defence). Counting
 * stones in every five-cell window through a cell makes an open four worth
 * more than blocking an open three, which is worth more than a plain four,
 * and so on down. A little seeded noise picks among near-equal cells so that
 * games differ between seeds, and never between two runs with one seed.
 * Under renju it never plays black on a forbidden point (the referee's list).
 * It is meant to give the server real threats to answer, not to be strong.
 * No shared state; thread-safe when each thread has its own rng.
 */
#ifndef GOMOKU_CLIENT_PLAYER_H
#define GOMOKU_CLIENT_PLAYER_H

#include <stdbool.h>

#include "client/rng.h"
#include "game/record.h"

/* Chooses a move for the side to move in rec (a replayed record). Returns
 * true with an empty cell in *row, *col, or false when the game is over or
 * no cell is empty. Advances rng; the choice depends only on rec and rng. */
bool client_player_choose(const game_record_t *rec, client_rng_t *rng, int *row, int *col);

#endif
