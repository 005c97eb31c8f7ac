/*
 * Compact cell notation on arbitrary strings: a parsed cell is on the board
 * and formats back to the same cell.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "game/notation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 16) {
        return 0;
    }
    int board = 5 + data[0] % 21; /* 5..25 */
    char text[17];
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    int row, col;
    if (!game_coord_parse(text, board, &row, &col)) {
        return 0;
    }
    if (row < 0 || col < 0 || row >= board || col >= board) {
        abort();
    }
    char out[GAME_COORD_MAX];
    int r2, c2;
    if (!game_coord_format(row, col, out) || !game_coord_parse(out, board, &r2, &c2) || r2 != row ||
        c2 != col) {
        abort();
    }
    return 0;
}
