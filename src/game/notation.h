/*
 * notation.h: cell coordinates as text.
 *
 * Two forms travel in game records: [row, col] arrays (0-based, row 0 at the
 * top) and compact strings such as "H8": a column letter, then the 1-based
 * row counted from the top (A1 = row 0, col 0). Column letters run A..Z
 * skipping I (A..T covers 19 columns, U..Z reach 25), as on Go boards.
 * Letters are read case-insensitively and written in upper case.
 * No state; safe from any thread.
 */
#ifndef GOMOKU_GAME_NOTATION_H
#define GOMOKU_GAME_NOTATION_H

#include <stdbool.h>
#include <stddef.h>

/* Enough for the longest compact cell ("Z25") and its NUL. */
#define GAME_COORD_MAX 4

/* Parses a compact cell for a board of `size`. Returns true and fills
 * *row, *col only when the whole string is a cell on that board. */
bool game_coord_parse(const char *text, int size, int *row, int *col);

/* Writes the compact form of (row, col) into out (GAME_COORD_MAX bytes).
 * Returns false, writing "", when the cell is off a 25x25 board. */
bool game_coord_format(int row, int col, char out[GAME_COORD_MAX]);

/* The column letter for col (0..24), or '?' when out of range. */
char game_column_letter(int col);

#endif
