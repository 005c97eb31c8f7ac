/*
 * pattern.h: line patterns and combined threat classes, as read-only tables.
 *
 * A "line key" describes the cells around one cell in one direction: 2 bits
 * per cell (0 empty, 1 black, 2 white, 3 wall) for offsets -5..-1 in bits
 * 0..9 and +1..+5 in bits 10..19; the cell itself is not part of the key.
 * pattern_table(rule)[pattern_index(rule, key)] tells, for each colour, what
 * a stone of that colour placed on the cell would make in that direction
 * (low nibble black, high nibble white). Freestyle needs only 4 cells each
 * side, exact five needs 5 to see overlines. Renju's table has black's
 * patterns of the exact-five rule and white's of five or more (5 cells each
 * side); what is forbidden to black is decided by forbid.h, not here.
 *
 * The combination table folds the four directions of one colour into a
 * threat class, a move-ordering score and an evaluation value.
 *
 * Thread rule: pattern_init() runs once inside engine_init(), before any
 * thread; afterwards everything here is read-only.
 */
#ifndef GOMOKU_ENGINE_PATTERN_H
#define GOMOKU_ENGINE_PATTERN_H

#include <stdint.h>

#include "engine/engine.h"

/* What a stone placed on a cell makes in one line, weakest first. F = open
 * ("flex"), B = closed ("blocked"); F4 means two or more winning points next
 * move, B4 exactly one, F3/B3 one move away from F4/B4, and so on. DEAD: no
 * five can ever pass through the cell in this line. */
typedef enum pattern {
    PAT_DEAD,
    PAT_B1,
    PAT_F1,
    PAT_B2,
    PAT_F2,
    PAT_B3,
    PAT_F3,
    PAT_B4,
    PAT_F4,
    PAT_F5,
    PAT_COUNT
} pattern_t;

/* Threat class of a cell for one colour over its four lines, weakest first,
 * so that "cls >= THREAT_B4" reads "playing here makes a four". */
typedef enum threat {
    THREAT_NONE,
    THREAT_F2,     /* open two */
    THREAT_B3,     /* closed three */
    THREAT_F2X2,   /* two open twos */
    THREAT_B3PLUS, /* closed three plus a two or another closed three */
    THREAT_F3,     /* open three */
    THREAT_F3PLUS, /* open three plus a closed three or open two */
    THREAT_F3X2,   /* double open three */
    THREAT_B4,     /* four (one winning point) */
    THREAT_B4PLUS, /* four plus a closed three or open two */
    THREAT_B4F3,   /* four plus open three */
    THREAT_FLEX4,  /* open four or double four: wins unless the opponent has a five */
    THREAT_FIVE,   /* five now */
    THREAT_COUNT
} threat_t;

#define PATTERN_COMBOS (PAT_COUNT * PAT_COUNT * PAT_COUNT * PAT_COUNT)

typedef struct pattern_combo {
    uint8_t cls;      /* threat_t */
    uint16_t shape;   /* eval_shape() of the combination */
    int16_t score[2]; /* move-ordering value of this cell for this colour: [EVAL_TO_MOVE]
                       * when the colour is to move (attack), [EVAL_WAITING] when
                       * the other side takes the cell from it (defence) */
    int16_t value[2]; /* evaluation contribution of this empty cell for this colour,
                       * [EVAL_TO_MOVE] when the colour is to move, [EVAL_WAITING] when not */
} pattern_combo_t;

/* Builds all tables. Idempotent; call before any thread starts. */
void pattern_init(void);

/* The table for rule, indexed by pattern_index(). */
const uint8_t *pattern_table(engine_rule_t rule);

static inline uint32_t pattern_index(engine_rule_t rule, uint32_t key20)
{
    /* Freestyle drops the outermost cell on each side (bits 0-1 and 18-19). */
    return rule == ENGINE_RULE_FREESTYLE ? (key20 >> 2) & 0xFFFFu : key20;
}

static inline int pattern_combo_index(int p0, int p1, int p2, int p3)
{
    return ((p0 * PAT_COUNT + p1) * PAT_COUNT + p2) * PAT_COUNT + p3;
}

const pattern_combo_t *pattern_combos(void);

#endif
