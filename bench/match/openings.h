/*
 * openings.h: the openings file.
 *
 * One opening per line: stones "x,y" (x = column, y = row, 0-based, as in
 * the Gomocup protocol) separated by blanks, in playing order, black first.
 * '#' starts a comment that runs to the end of the line; blank lines are
 * skipped. Every stone must be on the board and on an empty cell; an opening
 * may hold at most MATCH_OPENING_MAX stones.
 */
#ifndef GOMOKU_MATCH_OPENINGS_H
#define GOMOKU_MATCH_OPENINGS_H

#include <stdbool.h>
#include <stddef.h>

#define MATCH_OPENING_MAX 64

typedef struct match_opening {
    int line; /* line number in the file, for messages */
    int n;
    int x[MATCH_OPENING_MAX];
    int y[MATCH_OPENING_MAX];
} match_opening_t;

typedef struct match_openings {
    int n;
    match_opening_t *items; /* owned; match_openings_free() */
} match_openings_t;

/* Parses text (NUL-terminated) for a size x size board. name prefixes the
 * error messages ("FILE:LINE: ..."). Returns false and writes the reason to
 * err on the first bad line, or when there is no opening at all. */
bool match_openings_parse(const char *text, const char *name, int size, match_openings_t *out,
                          char *err, size_t err_cap);

/* Reads and parses the file at path. */
bool match_openings_load(const char *path, int size, match_openings_t *out, char *err,
                         size_t err_cap);

void match_openings_free(match_openings_t *o);

/* The opening as text: "x,y x,y ..." (at most cap bytes, NUL-terminated). */
void match_opening_format(const match_opening_t *o, char *out, size_t cap);

#endif
