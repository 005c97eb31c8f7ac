/*
 * verify.h: checking the server's reply against the request.
 *
 * A correct reply to POST /gomoku/play is the record that was sent plus
 * exactly one legal move by the side to move, or, when the sent game was
 * already over, the same record unchanged. The check uses the game layer
 * (game_from_json validates and replays the whole record), so it accepts
 * everything the original server writes: moves as [row, col] or "K10", extra
 * fields (undo, undo_limit, scoring), relabelled move keys ("X (AI)" where
 * "X (human)" was sent). A reply without "rule" (the original does not know
 * it) is judged under the rule that was sent.
 * No shared state; thread-safe.
 */
#ifndef GOMOKU_CLIENT_VERIFY_H
#define GOMOKU_CLIENT_VERIFY_H

#include <stddef.h>

#include "game/record.h"

/* Outcomes. Values are only ever appended. */
#define CLIENT_VERIFY_LIST(X)                                                                      \
    X(CLIENT_VERIFY_MOVE, "one legal move appended")                                               \
    X(CLIENT_VERIFY_FINISHED, "finished game returned unchanged")                                  \
    X(CLIENT_VERIFY_EJSON, "reply is not a valid game record")                                     \
    X(CLIENT_VERIFY_ESETTINGS, "reply changed the game settings")                                  \
    X(CLIENT_VERIFY_EHISTORY, "reply changed or dropped earlier moves")                            \
    X(CLIENT_VERIFY_ECOUNT, "reply did not add exactly one move")                                  \
    X(CLIENT_VERIFY_ESIDE, "reply's move is by the wrong side")                                    \
    X(CLIENT_VERIFY_EWINNER, "reply claims the wrong winner")

typedef enum client_verify_status {
#define CLIENT_VERIFY_ENUM(name, text) name,
    CLIENT_VERIFY_LIST(CLIENT_VERIFY_ENUM)
#undef CLIENT_VERIFY_ENUM
} client_verify_status_t;

/* True for the two acceptable outcomes. */
static inline bool client_verify_ok(client_verify_status_t s)
{
    return s == CLIENT_VERIFY_MOVE || s == CLIENT_VERIFY_FINISHED;
}

const char *client_verify_strerror(client_verify_status_t status);

/* Checks the len bytes of body against sent (a record that replayed
 * cleanly). On CLIENT_VERIFY_MOVE, *got is the decoded reply, its last move
 * the server's; on CLIENT_VERIFY_FINISHED, *got equals sent. On an error,
 * msg (msglen bytes) says precisely what is wrong, naming the move. *got is
 * scratch space in every case (records are large: allocate it). */
client_verify_status_t client_verify_reply(const game_record_t *sent, const char *body, size_t len,
                                           game_record_t *got, char *msg, size_t msglen);

#endif
