#include "match/referee.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void match_referee_init(match_referee_t *r, int size, engine_rule_t rule)
{
    memset(r, 0, sizeof(*r));
    r->board.size = size;
    r->rule = rule;
    r->pos.size = size;
    r->pos.rule = rule;
}

match_verdict_t match_referee_play(match_referee_t *r, int x, int y, engine_color_t color,
                                   char *why, size_t why_cap)
{
    int size = r->board.size;
    if (x < 0 || y < 0 || x >= size || y >= size) {
        if (why)
            snprintf(why, why_cap, "%d,%d is off the %dx%d board", x, y, size, size);
        return MATCH_PLAY_ILLEGAL;
    }
    unsigned char *cell = &r->board.cells[y * size + x];
    if (*cell != ENGINE_EMPTY) {
        if (why)
            snprintf(why, why_cap, "%d,%d is occupied", x, y);
        return MATCH_PLAY_ILLEGAL;
    }
    if (r->rule == ENGINE_RULE_RENJU && color == ENGINE_BLACK) {
        /* The project's one renju referee: the engine's forbidden-point test
         * (a move that makes five is never forbidden). */
        engine_forbid_t kind = ENGINE_FORBID_NONE;
        engine_move_t at = {(int8_t)y, (int8_t)x};
        r->pos.to_move = ENGINE_BLACK;
        if (engine_forbidden(&r->pos, at, &kind) != ENGINE_OK) {
            if (why)
                snprintf(why, why_cap, "%d,%d could not be judged", x, y);
            return MATCH_PLAY_ILLEGAL;
        }
        if (kind != ENGINE_FORBID_NONE) {
            if (why)
                snprintf(why, why_cap, "%d,%d is forbidden to black under renju: %s", x, y,
                         engine_forbid_name(kind));
            return MATCH_PLAY_ILLEGAL;
        }
    }
    *cell = (unsigned char)color;
    r->pos.stones[r->pos.n_stones++] = (engine_stone_t){{(int8_t)y, (int8_t)x}, color};
    bool wins = game_is_win_at(&r->board, r->rule, y, x, NULL);
    r->stones++;
    if (wins)
        return MATCH_PLAY_WIN;
    if (r->stones == size * size)
        return MATCH_PLAY_DRAW;
    return MATCH_PLAY_ON;
}

static bool read_coord(const char **p, int *out)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    int v = 0, digits = 0;
    while (isdigit((unsigned char)*s)) {
        if (++digits > 4)
            return false;
        v = v * 10 + (*s++ - '0');
    }
    while (*s == ' ' || *s == '\t')
        s++;
    *p = s;
    *out = v;
    return digits > 0;
}

bool match_parse_move(const char *line, int *x, int *y)
{
    const char *s = line;
    if (!read_coord(&s, x) || *s++ != ',' || !read_coord(&s, y))
        return false;
    return *s == '\0';
}

int match_rule_gomocup(engine_rule_t rule)
{
    switch (rule) {
    case ENGINE_RULE_FREESTYLE:
        return 0;
    case ENGINE_RULE_STANDARD:
        return 1;
    case ENGINE_RULE_RENJU:
        return 4;
    }
    return 0;
}
