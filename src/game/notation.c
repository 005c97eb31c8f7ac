#include "game/notation.h"

#include <ctype.h>
#include <stdio.h>

/* Go-board columns: no I, so it is never mistaken for 1 or J. */
static const char COLUMNS[] = "ABCDEFGHJKLMNOPQRSTUVWXYZ";
#define N_COLUMNS ((int)sizeof(COLUMNS) - 1)

char game_column_letter(int col)
{
    return col >= 0 && col < N_COLUMNS ? COLUMNS[col] : '?';
}

static int column_index(char letter)
{
    char upper = (char)toupper((unsigned char)letter);
    for (int i = 0; i < N_COLUMNS; i++) {
        if (COLUMNS[i] == upper) {
            return i;
        }
    }
    return -1;
}

bool game_coord_parse(const char *text, int size, int *row, int *col)
{
    if (text == NULL || text[0] == '\0') {
        return false;
    }
    int c = column_index(text[0]);
    if (c < 0 || c >= size) {
        return false;
    }
    /* One or two digits, no sign, no leading zero, nothing after. */
    const char *p = text + 1;
    if (!isdigit((unsigned char)p[0]) || p[0] == '0') {
        return false;
    }
    int number = p[0] - '0';
    if (isdigit((unsigned char)p[1])) {
        number = number * 10 + (p[1] - '0');
        p++;
    }
    if (p[1] != '\0' || number > size) {
        return false;
    }
    *row = number - 1;
    *col = c;
    return true;
}

bool game_coord_format(int row, int col, char out[GAME_COORD_MAX])
{
    if (row < 0 || row >= N_COLUMNS || col < 0 || col >= N_COLUMNS) {
        out[0] = '\0';
        return false;
    }
    snprintf(out, GAME_COORD_MAX, "%c%d", COLUMNS[col], row + 1);
    return true;
}
