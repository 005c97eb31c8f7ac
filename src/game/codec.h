/*
 * codec.h: game records to and from JSON (jansson).
 *
 * Reads the original gomoku-httpd's format exactly as docs/api.md describes,
 * including its optional fields, and writes it back compatibly plus our
 * extensions. Hostile input is refused: duplicate keys, nesting deeper than
 * jansson's limit, NUL bytes in strings, invalid UTF-8, numbers that do not
 * fit. No shared state; thread-safe.
 */
#ifndef GOMOKU_GAME_CODEC_H
#define GOMOKU_GAME_CODEC_H

#include <stddef.h>

#include "game/record.h"

/* Decodes and validates the len bytes at json into *rec (which need not be
 * initialised) and replays the moves (game_record_replay). Returns GAME_OK,
 * or the first problem in *err with the field it concerns. */
game_status_t game_from_json(const char *json, size_t len, game_record_t *rec, game_error_t *err);

/* As game_from_json, for POST /gomoku/analyze: also reads the optional
 * "top" (1..ENGINE_MAX_LINES, default 1) into *top. */
game_status_t game_analysis_from_json(const char *json, size_t len, game_record_t *rec, int *top,
                                      game_error_t *err);

/* Encodes rec as compact JSON. Returns a malloc'd NUL-terminated string the
 * caller frees, or NULL when out of memory. *len_out (may be NULL) gets the
 * length. board_state and winner are written from the moves. */
char *game_to_json(const game_record_t *rec, size_t *len_out);

/* {"error": message, "field": field} as a malloc'd string, or NULL. */
char *game_error_json(const game_error_t *err, size_t *len_out);

#endif
