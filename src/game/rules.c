#include "game/rules.h"

static int cell(const game_board_t *board, int row, int col)
{
    if (row < 0 || col < 0 || row >= board->size || col >= board->size) {
        return -1;
    }
    return board->cells[row * board->size + col];
}

bool game_is_win_at(const game_board_t *board, engine_rule_t rule, int row, int col,
                    game_line_t *line)
{
    static const int DIRECTIONS[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
    int color = cell(board, row, col);
    if (color != ENGINE_BLACK && color != ENGINE_WHITE) {
        return false;
    }
    for (int d = 0; d < 4; d++) {
        int dr = DIRECTIONS[d][0], dc = DIRECTIONS[d][1];
        /* Walk back to the first stone of the run, then count forward. */
        int r0 = row, c0 = col;
        while (cell(board, r0 - dr, c0 - dc) == color) {
            r0 -= dr;
            c0 -= dc;
        }
        int n = 0;
        while (cell(board, r0 + n * dr, c0 + n * dc) == color) {
            n++;
        }
        bool exact =
            rule == ENGINE_RULE_STANDARD || (rule == ENGINE_RULE_RENJU && color == ENGINE_BLACK);
        bool wins = exact ? n == 5 : n >= 5;
        if (wins) {
            if (line != NULL) {
                line->n = n;
                for (int i = 0; i < n; i++) {
                    line->rows[i] = r0 + i * dr;
                    line->cols[i] = c0 + i * dc;
                }
            }
            return true;
        }
    }
    return false;
}

bool game_board_full(const game_board_t *board)
{
    for (int i = 0; i < board->size * board->size; i++) {
        if (board->cells[i] == ENGINE_EMPTY) {
            return false;
        }
    }
    return true;
}
