#include "match/game.h"

#include <stdio.h>
#include <string.h>

#include "match/referee.h"

const char *match_reason_name(match_reason_t r)
{
    switch (r) {
    case MATCH_REASON_FIVE:
        return "five";
    case MATCH_REASON_DRAW:
        return "draw";
    case MATCH_REASON_ILLEGAL:
        return "illegal";
    case MATCH_REASON_CRASH:
        return "crash";
    case MATCH_REASON_TIMEOUT:
        return "timeout";
    case MATCH_REASON_START:
        return "start";
    case MATCH_REASON_ABORTED:
        return "aborted";
    }
    return "?";
}

/* Lines a brain may print besides its answers; they never count as a move.
 * ERROR and UNKNOWN may answer an INFO key the brain does not know. */
static bool is_chatter(const char *line)
{
    static const char *const WORDS[] = {"MESSAGE", "DEBUG", "ERROR", "UNKNOWN", "SUGGEST", "OK"};
    for (size_t i = 0; i < sizeof(WORDS) / sizeof(WORDS[0]); i++) {
        size_t n = strlen(WORDS[i]);
        if (strncmp(line, WORDS[i], n) == 0 && (line[n] == '\0' || line[n] == ' '))
            return true;
    }
    return false;
}

static void lose(match_game_t *g, int loser, match_reason_t reason, const char *detail)
{
    g->winner = 1 - loser;
    g->reason = reason;
    snprintf(g->detail, sizeof(g->detail), "%.250s", detail);
}

/* Starts brain `side` and sends START; the answer is awaited later, so that
 * both brains load at the same time. */
static bool spawn_brain(const match_settings_t *s, const match_engine_t *e, match_brain_t *b,
                        match_game_t *g, int side)
{
    char err[256], line[64], detail[512];
    if (!match_brain_start(b, e->argv, e->dir, s->stderr_fd, err, sizeof(err))) {
        snprintf(detail, sizeof(detail), "%s: %s", e->label, err);
        lose(g, side, MATCH_REASON_START, detail);
        return false;
    }
    snprintf(line, sizeof(line), "START %d", s->size);
    match_brain_send(b, line); /* a brain that is already gone shows as EOF below */
    return true;
}

/* Waits for the OK to START (until deadline), then sends the settings. */
static bool await_start(const match_settings_t *s, const match_engine_t *e, match_brain_t *b,
                        match_game_t *g, int side, int64_t deadline)
{
    char line[MATCH_LINE_MAX], detail[512];
    for (;;) {
        match_read_t r = match_brain_read(b, deadline, line, sizeof(line));
        if (r == MATCH_READ_TIMEOUT) {
            snprintf(detail, sizeof(detail), "%s did not answer START within %d ms", e->label,
                     s->start_ms);
            lose(g, side, MATCH_REASON_START, detail);
            return false;
        }
        if (r == MATCH_READ_EOF) {
            char how[128];
            match_brain_describe_exit(b, 1000, how, sizeof(how));
            snprintf(detail, sizeof(detail), "%s %s before answering START", e->label, how);
            lose(g, side, MATCH_REASON_CRASH, detail);
            return false;
        }
        if (strcmp(line, "OK") == 0)
            break;
        if (strncmp(line, "MESSAGE", 7) == 0 || strncmp(line, "DEBUG", 5) == 0)
            continue;
        snprintf(detail, sizeof(detail), "%s answered START %d with '%.100s'", e->label, s->size,
                 line);
        lose(g, side, MATCH_REASON_START, detail);
        return false;
    }
    match_brain_settle(b, s->settle_ms);
    char cmd[MATCH_LINE_MAX];
    snprintf(cmd, sizeof(cmd), "INFO timeout_turn %d", e->time_ms);
    bool ok = match_brain_send(b, cmd);
    ok = ok && match_brain_send(b, "INFO timeout_match 0");
    ok = ok && match_brain_send(b, "INFO time_left 2147483647");
    if (s->max_memory >= 0) {
        snprintf(cmd, sizeof(cmd), "INFO max_memory %lld", s->max_memory);
        ok = ok && match_brain_send(b, cmd);
    }
    ok = ok && match_brain_send(b, "INFO game_type 1");
    snprintf(cmd, sizeof(cmd), "INFO rule %d", match_rule_gomocup(s->rule));
    ok = ok && match_brain_send(b, cmd);
    for (int i = 0; ok && i < e->n_extra; i++)
        ok = match_brain_send(b, e->extra[i]);
    if (!ok) {
        char how[128];
        match_brain_describe_exit(b, 1000, how, sizeof(how));
        snprintf(detail, sizeof(detail), "%s %s after START", e->label, how);
        lose(g, side, MATCH_REASON_CRASH, detail);
        return false;
    }
    return true;
}

/* Sends the position to `side` (BEGIN, BOARD or TURN); false if it is gone. */
static bool send_position(match_brain_t *b, const match_game_t *g, int side_color, bool first)
{
    char cmd[64];
    if (g->n_moves == 0)
        return match_brain_send(b, "BEGIN");
    if (!first) {
        snprintf(cmd, sizeof(cmd), "TURN %d,%d", g->x[g->n_moves - 1], g->y[g->n_moves - 1]);
        return match_brain_send(b, cmd);
    }
    bool ok = match_brain_send(b, "BOARD");
    for (int i = 0; ok && i < g->n_moves; i++) {
        int color = i % 2 == 0 ? ENGINE_BLACK : ENGINE_WHITE;
        snprintf(cmd, sizeof(cmd), "%d,%d,%d", g->x[i], g->y[i], color == side_color ? 1 : 2);
        ok = match_brain_send(b, cmd);
    }
    return ok && match_brain_send(b, "DONE");
}

/* Plays until the game ends; brains[side] is engine A (0) or B (1). */
static void play_moves(const match_settings_t *s, const match_engine_t engines[2],
                       match_brain_t brains[2], const atomic_int *stop, match_game_t *g,
                       match_referee_t *ref)
{
    bool first[2] = {true, true};
    char line[MATCH_LINE_MAX], detail[512], why[128];
    for (;;) {
        if (stop && atomic_load(stop)) {
            g->winner = -1;
            g->reason = MATCH_REASON_ABORTED;
            snprintf(g->detail, sizeof(g->detail), "the match was interrupted");
            return;
        }
        int color = g->n_moves % 2 == 0 ? ENGINE_BLACK : ENGINE_WHITE;
        int side = color == ENGINE_BLACK ? g->black : 1 - g->black;
        const match_engine_t *e = &engines[side];
        match_brain_t *b = &brains[side];
        match_brain_settle(b, s->settle_ms);
        int64_t t0 = match_now_ns();
        int64_t deadline = t0 + (int64_t)(e->time_ms + s->grace_ms) * 1000000;
        bool sent = send_position(b, g, color, first[side]);
        first[side] = false;
        char last_note[128] = "";
        match_read_t r = MATCH_READ_EOF;
        while (sent) {
            r = match_brain_read(b, deadline, line, sizeof(line));
            if (r != MATCH_READ_LINE || !is_chatter(line))
                break;
            if (strncmp(line, "MESSAGE", 7) != 0 && strncmp(line, "DEBUG", 5) != 0)
                snprintf(last_note, sizeof(last_note), "%.100s", line);
        }
        int64_t t1 = match_now_ns();
        if (!sent || r == MATCH_READ_EOF) {
            char how[128];
            match_brain_describe_exit(b, 1000, how, sizeof(how));
            snprintf(detail, sizeof(detail), "%s %s at move %d", e->label, how, g->n_moves + 1);
            lose(g, side, MATCH_REASON_CRASH, detail);
            return;
        }
        if (r == MATCH_READ_TIMEOUT) {
            snprintf(detail, sizeof(detail), "%s did not answer move %d within %d + %d ms%s%s",
                     e->label, g->n_moves + 1, e->time_ms, s->grace_ms,
                     last_note[0] ? "; it said: " : "", last_note);
            lose(g, side, MATCH_REASON_TIMEOUT, detail);
            return;
        }
        int x, y;
        if (!match_parse_move(line, &x, &y)) {
            snprintf(detail, sizeof(detail), "%s answered move %d with '%.100s', not x,y", e->label,
                     g->n_moves + 1, line);
            lose(g, side, MATCH_REASON_ILLEGAL, detail);
            return;
        }
        match_verdict_t v = match_referee_play(ref, x, y, (engine_color_t)color, why, sizeof(why));
        if (v == MATCH_PLAY_ILLEGAL) {
            snprintf(detail, sizeof(detail), "%s played %s at move %d", e->label, why,
                     g->n_moves + 1);
            lose(g, side, MATCH_REASON_ILLEGAL, detail);
            return;
        }
        g->x[g->n_moves] = x;
        g->y[g->n_moves] = y;
        g->time_ms[g->n_moves] = (int)((t1 - t0) / 1000000);
        g->n_moves++;
        if (v == MATCH_PLAY_WIN) {
            g->winner = side;
            g->reason = MATCH_REASON_FIVE;
            snprintf(g->detail, sizeof(g->detail), "%s made five with %d,%d", e->label, x, y);
            return;
        }
        if (v == MATCH_PLAY_DRAW) {
            g->winner = -1;
            g->reason = MATCH_REASON_DRAW;
            snprintf(g->detail, sizeof(g->detail), "the board is full");
            return;
        }
    }
}

void match_game_play(const match_settings_t *s, const match_engine_t engines[2],
                     const atomic_int *stop, match_game_t *g)
{
    int64_t t0 = match_now_ns();
    match_referee_t ref;
    match_referee_init(&ref, s->size, s->rule);
    g->n_moves = 0;
    g->winner = -1;
    g->reason = MATCH_REASON_ABORTED;
    g->detail[0] = '\0';
    /* The opening was checked when the file was read (main.c): legal, no five. */
    if (g->opening) {
        for (int i = 0; i < g->opening->n; i++) {
            int color = i % 2 == 0 ? ENGINE_BLACK : ENGINE_WHITE;
            match_referee_play(&ref, g->opening->x[i], g->opening->y[i], (engine_color_t)color,
                               NULL, 0);
            g->x[i] = g->opening->x[i];
            g->y[i] = g->opening->y[i];
            g->time_ms[i] = -1;
        }
        g->n_moves = g->opening->n;
    }
    match_brain_t brains[2];
    memset(brains, 0, sizeof(brains));
    for (int i = 0; i < 2; i++) {
        brains[i].to_fd = brains[i].from_fd = -1;
        brains[i].status = -1;
    }
    /* Both brains load at once; black is judged first, so that when both
     * fail the loser is predictable. */
    int order[2] = {g->black, 1 - g->black};
    bool started = true;
    int64_t deadline = match_now_ns() + (int64_t)s->start_ms * 1000000;
    for (int i = 0; i < 2 && started; i++)
        started = spawn_brain(s, &engines[order[i]], &brains[order[i]], g, order[i]);
    for (int i = 0; i < 2 && started; i++)
        started = await_start(s, &engines[order[i]], &brains[order[i]], g, order[i], deadline);
    if (started)
        play_moves(s, engines, brains, stop, g, &ref);
    for (int i = 0; i < 2; i++)
        if (brains[i].pid > 0 || brains[i].to_fd >= 0)
            match_brain_stop(&brains[i], 1000);
    g->wall_ms = (double)(match_now_ns() - t0) / 1e6;
}
