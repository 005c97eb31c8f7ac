/*
 * The game-record decoder and validator on arbitrary bytes. Properties
 * checked on every input the decoder accepts:
 *   - encoding never fails, and decoding the encoding succeeds;
 *   - decode(encode(r)) encodes to the same text (the round trip is the
 *     identity on what we write);
 *   - the replayed record is consistent: winner flags agree with `winner`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "game/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static game_record_t a, b; /* large: keep them off the stack */
    game_error_t err;
    if (game_from_json((const char *)data, size, &a, &err) != GAME_OK) {
        if (err.message[0] == '\0' || err.status == GAME_OK) {
            abort(); /* every refusal explains itself */
        }
        return 0;
    }
    size_t len;
    char *text = game_to_json(&a, &len);
    if (text == NULL) {
        abort();
    }
    if (game_from_json(text, len, &b, &err) != GAME_OK) {
        abort();
    }
    char *again = game_to_json(&b, NULL);
    if (again == NULL || strcmp(text, again) != 0) {
        abort();
    }
    int winners = 0;
    for (int i = 0; i < a.n_moves; i++) {
        winners += a.moves[i].winner;
    }
    bool decided = a.winner == GAME_WINNER_X || a.winner == GAME_WINNER_O;
    if (winners != (decided ? 1 : 0) || (winners && !a.moves[a.n_moves - 1].winner)) {
        abort();
    }
    free(text);
    free(again);
    return 0;
}
