/*
 * protocol.c: the Gomocup protocol state machine (see protocol.h).
 */
#include "pbrain/protocol.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Time kept back from every turn for what happens outside the search: the
 * pipe in both directions, the manager's own bookkeeping and scheduler
 * jitter on a loaded machine. 30 ms covers a pipe round trip with a wide
 * margin; the 2% part grows with long turns, where an overrun costs the game
 * just the same. */
#define TURN_MARGIN_MS  30
#define TURN_MARGIN_DIV 50

static void reply(pbrain_out_t *out, const char *fmt, ...)
{
    if (out->len >= sizeof(out->text) - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out->text + out->len, sizeof(out->text) - out->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    out->len += (size_t)n;
    if (out->len >= sizeof(out->text) - 1) {
        /* A cut reply must still end its line, or the manager would read the
         * next one glued to it. */
        out->len = sizeof(out->text) - 2;
        out->text[out->len++] = '\n';
        out->text[out->len] = '\0';
    }
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Parses a whole string as a decimal integer (surrounding blanks allowed). */
static bool parse_int64(const char *s, int64_t *v)
{
    s = skip_space(s);
    if (!*s)
        return false;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s || *skip_space(end))
        return false;
    *v = x;
    return true;
}

/* Parses "a,b" or "a,b,c" (n = 2 or 3 numbers, blanks allowed around each).
 * Returns false unless exactly n integers separated by commas are found. */
static bool parse_tuple(const char *s, int n, int v[3])
{
    for (int i = 0; i < n; i++) {
        s = skip_space(s);
        char *end;
        errno = 0;
        long x = strtol(s, &end, 10);
        if (errno || end == s || x < -1000000 || x > 1000000)
            return false;
        v[i] = (int)x;
        s = skip_space(end);
        if (i < n - 1) {
            if (*s != ',')
                return false;
            s++;
        }
    }
    return *s == '\0';
}

static void reset_board(pbrain_state_t *st)
{
    memset(st->cells, 0, sizeof(st->cells));
    st->n_moves = 0;
    st->in_board = false;
}

void pbrain_init(pbrain_state_t *st, const char *about)
{
    memset(st, 0, sizeof(*st));
    st->about = about;
    st->info.timeout_turn_ms = -1;
    st->info.timeout_match_ms = -1;
    st->info.time_left_ms = -1;
    st->info.max_memory = -1;
    st->info.game_type = -1;
}

static bool on_board(const pbrain_state_t *st, int x, int y)
{
    return x >= 0 && y >= 0 && x < st->size && y < st->size;
}

static void place(pbrain_state_t *st, int x, int y, pbrain_cell_t who)
{
    st->cells[y * st->size + x] = (uint8_t)who;
    st->moves[st->n_moves++] = (pbrain_move_t){(int8_t)x, (int8_t)y, (uint8_t)who};
}

static void start_game(pbrain_state_t *st, int size, pbrain_out_t *out)
{
    if (size < ENGINE_MIN_SIZE || size > ENGINE_MAX_SIZE) {
        reply(out, "ERROR unsupported board size %d (supported: %d to %d)\n", size, ENGINE_MIN_SIZE,
              ENGINE_MAX_SIZE);
        return;
    }
    st->size = size;
    st->started = true;
    reset_board(st);
    reply(out, "OK\n");
}

/* A move the opponent (TURN) or we (PLAY) make: checked against the board. */
static bool checked_move(pbrain_state_t *st, const char *cmd, const char *arg, pbrain_out_t *out,
                         int *x, int *y)
{
    int v[3];
    if (!st->started) {
        reply(out, "ERROR %s before START\n", cmd);
        return false;
    }
    if (!parse_tuple(arg, 2, v)) {
        reply(out, "ERROR %s needs X,Y (got \"%s\")\n", cmd, arg);
        return false;
    }
    if (!on_board(st, v[0], v[1])) {
        reply(out, "ERROR %s %d,%d is off the %dx%d board\n", cmd, v[0], v[1], st->size, st->size);
        return false;
    }
    if (st->cells[v[1] * st->size + v[0]] != PBRAIN_EMPTY) {
        reply(out, "ERROR %s %d,%d is occupied\n", cmd, v[0], v[1]);
        return false;
    }
    *x = v[0];
    *y = v[1];
    return true;
}

/* "X,Y,field" inside BOARD ... DONE. Field 3 marks stones of a finished
 * line in continuous games; the engine has no neutral stones, so they are
 * kept as opponent stones: we never play on them and never count on them. */
static void board_line(pbrain_state_t *st, const char *line, pbrain_out_t *out)
{
    int v[3];
    if (!parse_tuple(line, 3, v)) {
        reply(out, "ERROR expected X,Y,field or DONE after BOARD (got \"%s\")\n", line);
        return;
    }
    if (!on_board(st, v[0], v[1])) {
        reply(out, "ERROR BOARD stone %d,%d is off the board\n", v[0], v[1]);
        return;
    }
    if (v[2] < 1 || v[2] > 3) {
        reply(out, "ERROR BOARD field must be 1, 2 or 3 (got %d)\n", v[2]);
        return;
    }
    if (st->cells[v[1] * st->size + v[0]] != PBRAIN_EMPTY) {
        reply(out, "ERROR BOARD stone %d,%d is on an occupied cell\n", v[0], v[1]);
        return;
    }
    place(st, v[0], v[1], v[2] == 1 ? PBRAIN_OWN : PBRAIN_OPP);
}

static void takeback(pbrain_state_t *st, const char *arg, pbrain_out_t *out)
{
    int v[3];
    if (!st->started) {
        reply(out, "ERROR TAKEBACK before START\n");
        return;
    }
    if (!parse_tuple(arg, 2, v) || !on_board(st, v[0], v[1])) {
        reply(out, "ERROR TAKEBACK needs X,Y on the board (got \"%s\")\n", arg);
        return;
    }
    if (st->cells[v[1] * st->size + v[0]] == PBRAIN_EMPTY) {
        reply(out, "ERROR TAKEBACK %d,%d: no stone there\n", v[0], v[1]);
        return;
    }
    st->cells[v[1] * st->size + v[0]] = PBRAIN_EMPTY;
    for (int i = st->n_moves - 1; i >= 0; i--) {
        if (st->moves[i].x == v[0] && st->moves[i].y == v[1]) {
            memmove(&st->moves[i], &st->moves[i + 1],
                    (size_t)(st->n_moves - i - 1) * sizeof(st->moves[0]));
            st->n_moves--;
            break;
        }
    }
    reply(out, "OK\n");
}

static void info(pbrain_state_t *st, const char *arg, pbrain_out_t *out)
{
    char key[64];
    size_t n = 0;
    arg = skip_space(arg);
    while (arg[n] && arg[n] != ' ' && arg[n] != '\t' && n < sizeof(key) - 1) {
        key[n] = arg[n];
        n++;
    }
    key[n] = '\0';
    const char *value = skip_space(arg + n);
    static const char *const numeric[] = {"timeout_turn", "timeout_match", "time_left",
                                          "max_memory",   "game_type",     "rule",
                                          "max_depth",    "max_node",      "max_nodes"};
    bool known = false;
    for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
        known |= strcasecmp(key, numeric[i]) == 0;
    if (!known)
        return; /* folder, evaluate, and keys of future managers: no answer */
    int64_t v;
    if (!parse_int64(value, &v)) {
        reply(out, "ERROR INFO %s needs an integer (got \"%s\")\n", key, value);
        return;
    }
    pbrain_info_t *in = &st->info;
    if (!strcasecmp(key, "timeout_turn"))
        in->timeout_turn_ms = v < 0 ? 0 : v;
    else if (!strcasecmp(key, "timeout_match"))
        in->timeout_match_ms = v < 0 ? 0 : v;
    else if (!strcasecmp(key, "time_left"))
        in->time_left_ms = v;
    else if (!strcasecmp(key, "max_memory"))
        in->max_memory = v < 0 ? 0 : v;
    else if (!strcasecmp(key, "game_type"))
        in->game_type = (int)v;
    else if (!strcasecmp(key, "max_depth"))
        in->max_depth = v < 0 ? 0 : (int)(v > 1000 ? 1000 : v);
    else if (!strcasecmp(key, "max_node") || !strcasecmp(key, "max_nodes"))
        in->max_nodes = v < 0 ? 0 : v;
    else {
        in->rule = (int)(v & 7);
    }
}

static bool is_command(const char *word)
{
    static const char *const words[] = {"START", "RECTSTART", "RESTART", "BEGIN",       "TURN",
                                        "BOARD", "DONE",      "INFO",    "TAKEBACK",    "END",
                                        "ABOUT", "PLAY",      "YXBOARD", "YXSHOWFORBID"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (!strcasecmp(word, words[i]))
            return true;
    return false;
}

/* Splits "WORD rest" into an upper-bounded word and a pointer to the rest. */
static const char *split_word(const char *line, char *word, size_t cap)
{
    line = skip_space(line);
    size_t n = 0;
    while (line[n] && line[n] != ' ' && line[n] != '\t') {
        if (n < cap - 1)
            word[n] = line[n];
        n++;
    }
    word[n < cap - 1 ? n : cap - 1] = '\0';
    return skip_space(line + n);
}

static void strip_trailing(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

pbrain_action_t pbrain_feed(pbrain_state_t *st, const char *raw, pbrain_out_t *out)
{
    char line[PBRAIN_LINE_MAX + 1];
    snprintf(line, sizeof(line), "%s", skip_space(raw));
    strip_trailing(line);
    if (!line[0])
        return PBRAIN_ACT_NONE;

    char word[16];
    const char *arg = split_word(line, word, sizeof(word));

    if (st->in_board) {
        if (!strcasecmp(word, "DONE")) {
            st->in_board = false;
            return st->board_quiet ? PBRAIN_ACT_NONE : PBRAIN_ACT_THINK;
        }
        if (!is_command(word)) {
            board_line(st, line, out);
            return PBRAIN_ACT_NONE;
        }
        /* A command inside BOARD: the manager gave up on it. Keep the
         * stones received so far and carry on with the command. */
        st->in_board = false;
        reply(out, "ERROR BOARD was not finished by DONE\n");
    }

    if (!strcasecmp(word, "START")) {
        int64_t size;
        if (!parse_int64(arg, &size)) {
            reply(out, "ERROR START needs a board size\n");
            return PBRAIN_ACT_NONE;
        }
        start_game(st, size > 1000 ? 1000 : (int)size, out);
    } else if (!strcasecmp(word, "RECTSTART")) {
        int v[3];
        if (!parse_tuple(arg, 2, v))
            reply(out, "ERROR RECTSTART needs width,height\n");
        else if (v[0] != v[1])
            reply(out, "ERROR rectangular boards are not supported\n");
        else
            start_game(st, v[0], out);
    } else if (!strcasecmp(word, "RESTART")) {
        if (!st->started) {
            reply(out, "ERROR RESTART before START\n");
        } else {
            reset_board(st);
            reply(out, "OK\n");
        }
    } else if (!strcasecmp(word, "BEGIN")) {
        if (!st->started) {
            reply(out, "ERROR BEGIN before START\n");
            return PBRAIN_ACT_NONE;
        }
        return PBRAIN_ACT_THINK;
    } else if (!strcasecmp(word, "TURN")) {
        int x, y;
        if (!checked_move(st, "TURN", arg, out, &x, &y))
            return PBRAIN_ACT_NONE;
        place(st, x, y, PBRAIN_OPP);
        return PBRAIN_ACT_THINK;
    } else if (!strcasecmp(word, "PLAY")) {
        /* Extension used by some managers: "play this move for yourself". */
        int x, y;
        if (checked_move(st, "PLAY", arg, out, &x, &y)) {
            place(st, x, y, PBRAIN_OWN);
            reply(out, "%d,%d\n", x, y);
        }
    } else if (!strcasecmp(word, "BOARD") || !strcasecmp(word, "YXBOARD")) {
        /* YXBOARD (Yixin protocol): the same stones, but DONE only sets
         * them up; the GUI asks for a move separately. */
        if (!st->started) {
            reply(out, "ERROR %s before START\n", word);
        } else {
            reset_board(st);
            st->in_board = true;
            st->board_quiet = strcasecmp(word, "YXBOARD") == 0;
        }
    } else if (!strcasecmp(word, "YXSHOWFORBID")) {
        if (!st->started) {
            reply(out, "ERROR YXSHOWFORBID before START\n");
            return PBRAIN_ACT_NONE;
        }
        return PBRAIN_ACT_FORBID;
    } else if (!strcasecmp(word, "DONE")) {
        reply(out, "ERROR DONE without BOARD\n");
    } else if (!strcasecmp(word, "INFO")) {
        info(st, arg, out);
    } else if (!strcasecmp(word, "TAKEBACK")) {
        takeback(st, arg, out);
    } else if (!strcasecmp(word, "END")) {
        return PBRAIN_ACT_QUIT;
    } else if (!strcasecmp(word, "ABOUT")) {
        reply(out, "%s\n", st->about);
    } else if (!strcasecmp(word, "STOP") || !strcasecmp(word, "YXSTOP")) {
        /* Only meaningful while thinking, where the reader handles it. */
    } else {
        reply(out, "UNKNOWN command %s\n", word);
    }
    return PBRAIN_ACT_NONE;
}

pbrain_urgency_t pbrain_urgent(const char *line)
{
    char word[16];
    const char *rest = split_word(line, word, sizeof(word));
    if (*rest && !isspace((unsigned char)*rest))
        return PBRAIN_URGENT_NONE; /* "END foo" is not END */
    if (!strcasecmp(word, "END"))
        return PBRAIN_URGENT_END;
    if (!strcasecmp(word, "STOP") || !strcasecmp(word, "YXSTOP"))
        return PBRAIN_URGENT_STOP;
    return PBRAIN_URGENT_NONE;
}

size_t pbrain_forbid_text(const engine_move_t *cells, int n, char *buf, size_t cap)
{
    size_t need = strlen("FORBID ") + 4 * (size_t)(n > 0 ? n : 0) + 3;
    if (cap < need)
        return 0;
    size_t len = (size_t)snprintf(buf, cap, "FORBID ");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%02d%02d", cells[i].col, cells[i].row);
    len += (size_t)snprintf(buf + len, cap - len, ".\n");
    return len;
}

bool pbrain_position(const pbrain_state_t *st, engine_position_t *pos)
{
    if (!st->started)
        return false;
    int n_own = 0, n_opp = 0;
    for (int i = 0; i < st->n_moves; i++) {
        if (st->moves[i].who == PBRAIN_OWN)
            n_own++;
        else
            n_opp++;
    }
    engine_color_t own = n_opp > n_own ? ENGINE_WHITE : ENGINE_BLACK;
    engine_color_t opp = own == ENGINE_BLACK ? ENGINE_WHITE : ENGINE_BLACK;

    pos->size = st->size;
    pos->to_move = own;
    if (st->info.rule & PBRAIN_RULE_RENJU)
        pos->rule = ENGINE_RULE_RENJU;
    else
        pos->rule =
            st->info.rule & PBRAIN_RULE_EXACT5 ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE;
    pos->n_stones = st->n_moves;
    for (int i = 0; i < st->n_moves; i++) {
        pos->stones[i].at.row = st->moves[i].y;
        pos->stones[i].at.col = st->moves[i].x;
        pos->stones[i].color = st->moves[i].who == PBRAIN_OWN ? own : opp;
    }
    return true;
}

bool pbrain_play_own(pbrain_state_t *st, int x, int y)
{
    if (!st->started || !on_board(st, x, y) || st->cells[y * st->size + x] != PBRAIN_EMPTY)
        return false;
    place(st, x, y, PBRAIN_OWN);
    return true;
}

bool pbrain_fallback_move(const pbrain_state_t *st, int *x, int *y)
{
    int best = -1, best_d = 0, c = st->size / 2;
    for (int i = 0; i < st->size * st->size; i++) {
        if (st->cells[i] != PBRAIN_EMPTY)
            continue;
        int dx = i % st->size - c, dy = i / st->size - c;
        int d = dx * dx + dy * dy;
        if (best < 0 || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    if (best < 0)
        return false;
    *x = best % st->size;
    *y = best / st->size;
    return true;
}

/* The part of a time allowance the search may use: the allowance minus the
 * margin, but never less than half of it (tiny allowances cannot afford the
 * full margin) nor less than 1 ms. */
static int64_t after_margin(int64_t ms)
{
    int64_t t = ms - TURN_MARGIN_MS - ms / TURN_MARGIN_DIV;
    if (t < ms / 2)
        t = ms / 2;
    return t < 1 ? 1 : t;
}

engine_limits_t pbrain_limits(const pbrain_info_t *info, int n_stones)
{
    engine_limits_t lim = {0};
    int64_t turn = info->timeout_turn_ms < 0 ? PBRAIN_DEFAULT_TURN_MS : info->timeout_turn_ms;
    int64_t budget = turn == 0 ? PBRAIN_FAST_MS : after_margin(turn);

    /* The game clock counts only when one is set: a manager that never
     * sends timeout_match may still send time_left, and 0 means no clock. */
    if (info->time_left_ms != -1 && info->time_left_ms < PBRAIN_UNLIMITED_MS &&
        info->timeout_match_ms != 0) {
        /* Spread what is left over the moves a game still takes: about 30
         * of ours at the start, at least 10 however long the game gets, so
         * the clock shrinks geometrically and never runs out. */
        int moves_to_go = 30 - n_stones / 4;
        if (moves_to_go < 10)
            moves_to_go = 10;
        int64_t left = info->time_left_ms;
        int64_t share = left > 0 ? after_margin(left) / moves_to_go : 1;
        if (share < 1)
            share = 1;
        if (share < budget)
            budget = share;
    }
    lim.time_ms = budget;
    lim.depth = info->max_depth;
    lim.nodes = info->max_nodes > 0 ? (uint64_t)info->max_nodes : 0;
    return lim;
}

size_t pbrain_hash_mb(const pbrain_info_t *info)
{
    if (info->max_memory <= 0)
        return PBRAIN_DEFAULT_HASH_MB;
    /* Half of the allowance for the table leaves room for the pattern
     * tables, stacks and the process itself; 256 MiB is more than any
     * Gomocup time control can fill. */
    int64_t mb = info->max_memory / 2 / (1024 * 1024);
    if (mb < 1)
        mb = 1;
    if (mb > 256)
        mb = 256;
    return (size_t)mb;
}

bool pbrain_split_byte(pbrain_splitter_t *sp, char c, const char **line, bool *truncated)
{
    if (c == '\r' || c == '\n') {
        if (sp->len == 0 && !sp->truncated)
            return false; /* empty line, or the LF of a CR LF */
        sp->line[sp->len] = '\0';
        *line = sp->line;
        *truncated = sp->truncated;
        sp->len = 0;
        sp->truncated = false;
        return true;
    }
    if (c == '\0')
        c = ' '; /* a NUL would silently cut the line short */
    if (sp->len < PBRAIN_LINE_MAX)
        sp->line[sp->len++] = c;
    else
        sp->truncated = true;
    return false;
}
