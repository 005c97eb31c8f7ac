#include "client/verify.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "game/codec.h"
#include "game/notation.h"

static const char *const VERIFY_TEXT[] = {
#define CLIENT_VERIFY_TEXT(name, text) text,
    CLIENT_VERIFY_LIST(CLIENT_VERIFY_TEXT)
#undef CLIENT_VERIFY_TEXT
};

const char *client_verify_strerror(client_verify_status_t status)
{
    if ((unsigned)status >= sizeof(VERIFY_TEXT) / sizeof(VERIFY_TEXT[0])) {
        return "unknown verification status";
    }
    return VERIFY_TEXT[status];
}

static client_verify_status_t fail(char *msg, size_t msglen, client_verify_status_t status,
                                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static client_verify_status_t fail(char *msg, size_t msglen, client_verify_status_t status,
                                   const char *fmt, ...)
{
    int n = snprintf(msg, msglen, "%s: ", client_verify_strerror(status));
    if (n >= 0 && (size_t)n < msglen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg + n, msglen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* "X at H8 [7, 7]" for messages: both notations, since the server may use
 * either. */
static const char *describe(const game_move_t *m, char out[48])
{
    char cell[GAME_COORD_MAX];
    game_coord_format(m->row, m->col, cell);
    snprintf(out, 48, "%c at %s [%d, %d]", game_side_letter(m->side), cell, m->row, m->col);
    return out;
}

/* The "winner" the reply states, or NULL when it has none we can read. The
 * game layer ignores it on input (it recomputes the winner), so a server
 * that announces a wrong result is caught here. Writes into out. */
static const char *claimed_winner(const char *body, size_t len, char out[16])
{
    json_t *root = json_loadb(body, len, 0, NULL);
    const char *result = NULL;
    const json_t *w = root != NULL ? json_object_get(root, "winner") : NULL;
    if (json_is_string(w)) {
        snprintf(out, 16, "%s", json_string_value(w));
        result = out;
    }
    json_decref(root);
    return result;
}

static client_verify_status_t check_settings(const game_record_t *sent, const game_record_t *got,
                                             char *msg, size_t msglen)
{
    if (got->board_size != sent->board_size) {
        return fail(msg, msglen, CLIENT_VERIFY_ESETTINGS, "board_size %d was sent, %d came back",
                    sent->board_size, got->board_size);
    }
    if (got->rule != sent->rule) {
        return fail(msg, msglen, CLIENT_VERIFY_ESETTINGS, "rule \"%s\" was sent, \"%s\" came back",
                    game_rule_name(sent->rule), game_rule_name(got->rule));
    }
    for (int s = 0; s < 2; s++) {
        if (got->players[s].kind != sent->players[s].kind) {
            return fail(msg, msglen, CLIENT_VERIFY_ESETTINGS,
                        "%c.player \"%s\" was sent, \"%s\" came back", game_side_letter(s),
                        sent->players[s].kind == GAME_AI ? "AI" : "human",
                        got->players[s].kind == GAME_AI ? "AI" : "human");
        }
    }
    return CLIENT_VERIFY_MOVE;
}

client_verify_status_t client_verify_reply(const game_record_t *sent, const char *body, size_t len,
                                           game_record_t *got, char *msg, size_t msglen)
{
    if (msglen > 0) {
        msg[0] = '\0';
    }
    game_error_t err;
    if (game_from_json(body, len, got, &err) != GAME_OK) {
        if (err.field[0] == '\0') {
            return fail(msg, msglen, CLIENT_VERIFY_EJSON, "%s", err.message);
        }
        return fail(msg, msglen, CLIENT_VERIFY_EJSON, "%s (field %s)", err.message, err.field);
    }
    if (!got->rule_given && got->rule != sent->rule) {
        /* The original neither reads nor writes "rule": judge its reply by
         * the rule we asked for. */
        got->rule = sent->rule;
        if (game_record_replay(got, &err) != GAME_OK) {
            return fail(msg, msglen, CLIENT_VERIFY_EJSON, "%s (under the rule that was sent)",
                        err.message);
        }
    }
    client_verify_status_t s = check_settings(sent, got, msg, msglen);
    if (s != CLIENT_VERIFY_MOVE) {
        return s;
    }

    int n = sent->n_moves;
    bool finished = game_record_finished(sent);
    int expected = finished ? n : n + 1;
    if (got->n_moves < n) {
        return fail(msg, msglen, CLIENT_VERIFY_EHISTORY, "%d move%s sent but only %d came back", n,
                    n == 1 ? " was" : "s were", got->n_moves);
    }
    char a[48], b[48];
    for (int i = 0; i < n; i++) {
        const game_move_t *x = &sent->moves[i], *y = &got->moves[i];
        if (x->row != y->row || x->col != y->col || x->side != y->side) {
            return fail(msg, msglen, CLIENT_VERIFY_EHISTORY, "move %d was %s, the reply has %s",
                        i + 1, describe(x, a), describe(y, b));
        }
    }
    if (got->n_moves != expected) {
        if (finished) {
            return fail(msg, msglen, CLIENT_VERIFY_ECOUNT,
                        "the game was already over (%s) yet %d move%s came back added",
                        game_winner_name(sent->winner), got->n_moves - n,
                        got->n_moves - n == 1 ? "" : "s");
        }
        return fail(msg, msglen, CLIENT_VERIFY_ECOUNT, "%d move%s sent and %d came back", n,
                    n == 1 ? " was" : "s were", got->n_moves);
    }
    if (!finished) {
        const game_move_t *m = &got->moves[n];
        game_side_t to_move = game_record_to_move(sent);
        if (m->side != to_move) {
            return fail(msg, msglen, CLIENT_VERIFY_ESIDE, "move %d is %s but %c was to move", n + 1,
                        describe(m, a), game_side_letter(to_move));
        }
    }
    char buf[16];
    const char *claimed = claimed_winner(body, len, buf);
    if (claimed != NULL && strcasecmp(claimed, game_winner_name(got->winner)) != 0) {
        return fail(msg, msglen, CLIENT_VERIFY_EWINNER,
                    "the reply says winner \"%s\" but the moves give \"%s\"", claimed,
                    game_winner_name(got->winner));
    }
    return finished ? CLIENT_VERIFY_FINISHED : CLIENT_VERIFY_MOVE;
}
