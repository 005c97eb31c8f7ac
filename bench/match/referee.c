#include "match/referee.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool match_referee_supports(engine_rule_t rule, const char **why)
{
    switch (rule) {
    case ENGINE_RULE_FREESTYLE:
    case ENGINE_RULE_STANDARD:
        return true;
    case ENGINE_RULE_RENJU:
        *why = "renju needs the renju referee (the game layer's forbidden-move test), which "
               "this build does not have yet";
        return false;
    }
    *why = "unknown rule";
    return false;
}

void match_referee_init(match_referee_t *r, int size, engine_rule_t rule)
{
    memset(r, 0, sizeof(*r));
    r->board.size = size;
    r->rule = rule;
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
    bool wins = false;
    switch (r->rule) {
    case ENGINE_RULE_FREESTYLE:
    case ENGINE_RULE_STANDARD:
        *cell = (unsigned char)color;
        wins = game_is_win_at(&r->board, r->rule, y, x, NULL);
        break;
    case ENGINE_RULE_RENJU:
        /* Needs the game layer's forbidden-move test for black (overline,
         * double four, double three); match_referee_supports() refuses the
         * rule until then, so this is never reached. */
        if (why)
            snprintf(why, why_cap, "renju needs the renju referee");
        return MATCH_PLAY_ILLEGAL;
    }
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

const char *match_rule_name(engine_rule_t rule)
{
    switch (rule) {
    case ENGINE_RULE_FREESTYLE:
        return "freestyle";
    case ENGINE_RULE_STANDARD:
        return "standard";
    case ENGINE_RULE_RENJU:
        return "renju";
    }
    return "?";
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
