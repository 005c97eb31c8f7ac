/*
 * tactics_position.h: a suite position as the engine's input.
 *
 * Shared by the engine's tactics test and the tactics benchmark; kept out of
 * tactics_file.h so that the verifier, which proves answers without the
 * engine, never sees the engine's types.
 */
#ifndef GOMOKU_TACTICS_POSITION_H
#define GOMOKU_TACTICS_POSITION_H

#include <string.h>

#include "engine/engine.h"
#include "tactics_file.h"

/* The files carry no move order: stones go in reading order. */
static inline void tactic_to_position(const tactic_t *t, engine_position_t *pos)
{
    memset(pos, 0, sizeof(*pos));
    pos->size = t->size;
    pos->rule = t->rule ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE;
    pos->to_move = t->to_move == 1 ? ENGINE_BLACK : ENGINE_WHITE;
    for (int i = 0; i < t->size * t->size; i++) {
        if (!t->cell[i])
            continue;
        engine_stone_t *s = &pos->stones[pos->n_stones++];
        s->at.row = (int8_t)(i / t->size);
        s->at.col = (int8_t)(i % t->size);
        s->color = t->cell[i] == 1 ? ENGINE_BLACK : ENGINE_WHITE;
    }
}

#endif
