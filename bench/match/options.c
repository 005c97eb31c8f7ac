#include "match/options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "match/referee.h"

const char match_options_usage[] =
    "usage: gomoku-match -a 'ENGINE [ARGS]' -b 'ENGINE [ARGS]' [options]\n"
    "\n"
    "Plays a match between two Gomocup brains (protocol on stdin/stdout), judges\n"
    "every move with the gomoku-httpd referee, and prints the score, Elo with its\n"
    "95% interval, LOS and draw ratio. Engine A's view: A's wins are wins.\n"
    "\n"
    "Engines:\n"
    "  -a, --engine-a CMD     engine A: an executable path, then its arguments,\n"
    "                         separated by blanks (no quoting). It runs in its own\n"
    "                         directory (config files next to it are found)\n"
    "  -b, --engine-b CMD     engine B, likewise\n"
    "      --cmd-a LINE       a protocol line sent to A after the INFO settings of\n"
    "                         every game, e.g. 'INFO max_depth 4' (repeatable)\n"
    "      --cmd-b LINE       likewise for B\n"
    "\n"
    "Games:\n"
    "  -n, --games N          games to play (default: 2 per opening, or 2)\n"
    "  -c, --concurrency N    games at once, 1..64 (default 1); each game runs its\n"
    "                         own two brain processes, started fresh for the game\n"
    "  -o, --openings FILE    one opening per line: stones 'x,y' (x = column,\n"
    "                         y = row, 0-based), black first, blank-separated; '#'\n"
    "                         starts a comment. Game 2k+1 and 2k+2 play opening k\n"
    "                         with A black, then B black; openings repeat in order\n"
    "                         when there are more games. Without a file every game\n"
    "                         starts on the empty board, colours alternating\n"
    "  -s, --size N           board size, 5..25 (default 15)\n"
    "  -r, --rule RULE        freestyle (0, default: five or more wins), standard\n"
    "                         (1, exactly five wins) or renju (4: black's overline,\n"
    "                         double four and double three are forbidden and lose)\n"
    "\n"
    "Time (each answer is timed from the command sent to the move received):\n"
    "  -t, --time MS          time per move for both sides (default 1000), sent as\n"
    "                         INFO timeout_turn; also --turn-ms\n"
    "      --time-a MS        time per move of A only (time odds)\n"
    "      --time-b MS        time per move of B only\n"
    "      --grace-ms MS      extra time before a silent side loses on time\n"
    "                         (default 300)\n"
    "      --start-ms MS      time to answer START with OK (default 30000)\n"
    "      --settle-ms MS     pause after a brain's answer before the next command\n"
    "                         to it (default 20; some engines drop a command that\n"
    "                         arrives just after their own move); not timed\n"
    "      --max-memory BYTES send INFO max_memory BYTES (default: not sent; 0 = no\n"
    "                         limit)\n"
    "  Also sent: INFO timeout_match 0, time_left 2147483647, game_type 1, rule.\n"
    "\n"
    "Statistics:\n"
    "      --sprt E0,E1,ALPHA,BETA  stop as soon as the GSPRT accepts H0 (A gains\n"
    "                         E0 Elo) or H1 (A gains E1); e.g. 0,10,0.05,0.05.\n"
    "                         -n is then the most games to play\n"
    "      --sprt-model M     pentanomial (default; game pairs of one opening) or\n"
    "                         trinomial (single games)\n"
    "\n"
    "Output:\n"
    "      --jsonl FILE       append one JSON line per finished game\n"
    "      --stderr FILE      append the brains' stderr to FILE (default: discarded)\n"
    "  -q, --quiet            no line per game, only the summary\n"
    "  -h, --help             this text;  --version  the version\n"
    "\n"
    "A game is lost by an illegal move (off the board, occupied, or an answer that\n"
    "is not x,y), a crash (the brain exits or closes its output), a timeout, or a\n"
    "START not answered with OK; a full board is a draw. MESSAGE, DEBUG, ERROR,\n"
    "UNKNOWN, SUGGEST and OK lines are not moves and are skipped.\n"
    "\n"
    "Exit status: 0 when the match was played, 1 when it could not run (e.g. the\n"
    "JSON file cannot be written), 2 for a bad command line, 130 when interrupted\n"
    "(first Ctrl-C: no new game, games in progress finish; second: they stop).\n";

enum {
    OPT_TIME_A = 256,
    OPT_TIME_B,
    OPT_GRACE,
    OPT_START,
    OPT_SETTLE,
    OPT_MEMORY,
    OPT_SPRT,
    OPT_SPRT_MODEL,
    OPT_JSONL,
    OPT_STDERR,
    OPT_CMD_A,
    OPT_CMD_B,
    OPT_VERSION
};

static const struct option LONG_OPTIONS[] = {
    {"engine-a", required_argument, NULL, 'a'},
    {"engine-b", required_argument, NULL, 'b'},
    {"cmd-a", required_argument, NULL, OPT_CMD_A},
    {"cmd-b", required_argument, NULL, OPT_CMD_B},
    {"games", required_argument, NULL, 'n'},
    {"concurrency", required_argument, NULL, 'c'},
    {"openings", required_argument, NULL, 'o'},
    {"size", required_argument, NULL, 's'},
    {"rule", required_argument, NULL, 'r'},
    {"time", required_argument, NULL, 't'},
    {"turn-ms", required_argument, NULL, 't'},
    {"time-a", required_argument, NULL, OPT_TIME_A},
    {"time-b", required_argument, NULL, OPT_TIME_B},
    {"grace-ms", required_argument, NULL, OPT_GRACE},
    {"start-ms", required_argument, NULL, OPT_START},
    {"settle-ms", required_argument, NULL, OPT_SETTLE},
    {"max-memory", required_argument, NULL, OPT_MEMORY},
    {"sprt", required_argument, NULL, OPT_SPRT},
    {"sprt-model", required_argument, NULL, OPT_SPRT_MODEL},
    {"jsonl", required_argument, NULL, OPT_JSONL},
    {"stderr", required_argument, NULL, OPT_STDERR},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static bool parse_int(const char *name, const char *text, long long lo, long long hi,
                      long long *out, char *err, size_t err_cap)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE) {
        snprintf(err, err_cap, "%s: '%s' is not an integer", name, text);
        return false;
    }
    if (v < lo || v > hi) {
        snprintf(err, err_cap, "%s: %lld is out of range (%lld..%lld)", name, v, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_rule(const char *text, engine_rule_t *out, char *err, size_t err_cap)
{
    if (!strcmp(text, "freestyle") || !strcmp(text, "0"))
        *out = ENGINE_RULE_FREESTYLE;
    else if (!strcmp(text, "standard") || !strcmp(text, "exactly-five") || !strcmp(text, "1"))
        *out = ENGINE_RULE_STANDARD;
    else if (!strcmp(text, "renju") || !strcmp(text, "4"))
        *out = ENGINE_RULE_RENJU;
    else {
        snprintf(err, err_cap,
                 "--rule: unknown rule '%s' (freestyle or 0, standard or 1, renju or 4)", text);
        return false;
    }
    return true;
}

static void free_words(char **words)
{
    if (!words)
        return;
    for (char **w = words; *w; w++)
        free(*w);
    free(words);
}

/* Finds an executable named `name` in $PATH; returns a malloc'd path or NULL. */
static char *search_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return NULL;
    while (*path) {
        size_t len = strcspn(path, ":");
        char candidate[PATH_MAX];
        if (len > 0 &&
            (size_t)snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)len, path, name) <
                sizeof(candidate) &&
            access(candidate, X_OK) == 0)
            return strdup(candidate);
        path += len + (path[len] == ':');
    }
    return NULL;
}

/* Splits command at blanks, makes argv[0] absolute, finds its directory. */
static bool parse_engine(const char *flag, const char *command, char ***argv_out, char **dir_out,
                         char *err, size_t err_cap)
{
    size_t cap = 8, n = 0;
    char **argv = calloc(cap, sizeof(*argv));
    const char *s = command;
    while (argv) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        size_t len = strcspn(s, " \t");
        if (n + 2 > cap) {
            char **grown = realloc(argv, 2 * cap * sizeof(*argv));
            if (!grown) {
                free_words(argv);
                argv = NULL;
                break;
            }
            argv = grown;
            cap *= 2;
        }
        argv[n] = strndup(s, len);
        argv[++n] = NULL;
        s += len;
    }
    if (!argv) {
        snprintf(err, err_cap, "%s: out of memory", flag);
        return false;
    }
    if (n == 0) {
        snprintf(err, err_cap, "%s: empty engine command", flag);
        free_words(argv);
        return false;
    }
    char *found = strchr(argv[0], '/') ? strdup(argv[0]) : search_path(argv[0]);
    char *abs = found ? realpath(found, NULL) : NULL;
    struct stat st;
    if (!abs || stat(abs, &st) != 0 || !S_ISREG(st.st_mode) || access(abs, X_OK) != 0) {
        snprintf(err, err_cap, "%s: '%s' is not an executable file%s", flag, argv[0],
                 found ? "" : " (not found in PATH; give a path)");
        free(found);
        free(abs);
        free_words(argv);
        return false;
    }
    free(found);
    free(argv[0]);
    argv[0] = abs;
    char *dir = strdup(abs);
    if (!dir) {
        snprintf(err, err_cap, "%s: out of memory", flag);
        free_words(argv);
        return false;
    }
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0'; /* an engine in / */
    else
        *slash = '\0';
    *argv_out = argv;
    *dir_out = dir;
    return true;
}

static bool add_extra(match_options_t *o, int side, const char *line, char *err, size_t err_cap)
{
    if (strchr(line, '\n') || strchr(line, '\r') || strlen(line) > 500) {
        snprintf(err, err_cap, "--cmd-%c: a protocol line, at most 500 bytes, no line breaks",
                 side ? 'b' : 'a');
        return false;
    }
    char **grown = realloc(o->extra[side], (size_t)(o->n_extra[side] + 1) * sizeof(char *));
    if (!grown) {
        snprintf(err, err_cap, "out of memory");
        return false;
    }
    o->extra[side] = grown;
    o->extra[side][o->n_extra[side]++] = (char *)line;
    return true;
}

match_options_status_t match_options_parse(int argc, char **argv, match_options_t *o, char *err,
                                           size_t err_cap)
{
    memset(o, 0, sizeof(*o));
    o->time_ms[0] = o->time_ms[1] = 1000;
    o->concurrency = 1;
    o->size = 15;
    o->rule = ENGINE_RULE_FREESTYLE;
    o->grace_ms = 300;
    o->start_ms = 30000;
    o->settle_ms = 20;
    o->max_memory = -1;
    o->pentanomial = true;
    int time_both = -1, time_side[2] = {-1, -1};
    long long v;
    optind = 1;
    opterr = 0;
    for (;;) {
        int idx = 0;
        int c = getopt_long(argc, argv, ":a:b:n:c:o:s:r:t:qh", LONG_OPTIONS, &idx);
        if (c == -1)
            break;
        switch (c) {
        case 'a':
        case 'b':
            o->command[c - 'a'] = optarg;
            break;
        case OPT_CMD_A:
        case OPT_CMD_B:
            if (!add_extra(o, c == OPT_CMD_B, optarg, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            break;
        case 'n':
            if (!parse_int("--games", optarg, 1, 10000000, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->games = (int)v;
            break;
        case 'c':
            if (!parse_int("--concurrency", optarg, 1, 64, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->concurrency = (int)v;
            break;
        case 'o':
            o->openings_path = optarg;
            break;
        case 's':
            if (!parse_int("--size", optarg, ENGINE_MIN_SIZE, ENGINE_MAX_SIZE, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->size = (int)v;
            break;
        case 'r':
            if (!parse_rule(optarg, &o->rule, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            break;
        case 't':
            if (!parse_int("--time", optarg, 0, 3600000, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            time_both = (int)v;
            break;
        case OPT_TIME_A:
        case OPT_TIME_B:
            if (!parse_int(c == OPT_TIME_A ? "--time-a" : "--time-b", optarg, 0, 3600000, &v, err,
                           err_cap))
                return MATCH_OPTIONS_ERROR;
            time_side[c == OPT_TIME_B] = (int)v;
            break;
        case OPT_GRACE:
            if (!parse_int("--grace-ms", optarg, 0, 3600000, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->grace_ms = (int)v;
            break;
        case OPT_START:
            if (!parse_int("--start-ms", optarg, 1, 3600000, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->start_ms = (int)v;
            break;
        case OPT_SETTLE:
            if (!parse_int("--settle-ms", optarg, 0, 10000, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->settle_ms = (int)v;
            break;
        case OPT_MEMORY:
            if (!parse_int("--max-memory", optarg, 0, LLONG_MAX, &v, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->max_memory = v;
            break;
        case OPT_SPRT:
            if (!match_sprt_parse(optarg, &o->sprt, err, err_cap))
                return MATCH_OPTIONS_ERROR;
            o->has_sprt = true;
            break;
        case OPT_SPRT_MODEL:
            if (!strcmp(optarg, "pentanomial"))
                o->pentanomial = true;
            else if (!strcmp(optarg, "trinomial"))
                o->pentanomial = false;
            else {
                snprintf(err, err_cap, "--sprt-model: '%s' is neither pentanomial nor trinomial",
                         optarg);
                return MATCH_OPTIONS_ERROR;
            }
            break;
        case OPT_JSONL:
            o->jsonl_path = optarg;
            break;
        case OPT_STDERR:
            o->stderr_path = optarg;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'h':
            return MATCH_OPTIONS_HELP;
        case OPT_VERSION:
            return MATCH_OPTIONS_VERSION;
        case ':':
            snprintf(err, err_cap, "%s needs a value", argv[optind - 1]);
            return MATCH_OPTIONS_ERROR;
        default:
            if (optopt)
                snprintf(err, err_cap, "unknown option -%c", optopt);
            else
                snprintf(err, err_cap, "unknown option %s", argv[optind - 1]);
            return MATCH_OPTIONS_ERROR;
        }
    }
    if (optind < argc) {
        snprintf(err, err_cap, "unexpected argument '%s' (engines are given with -a and -b)",
                 argv[optind]);
        return MATCH_OPTIONS_ERROR;
    }
    for (int side = 0; side < 2; side++) {
        if (!o->command[side]) {
            snprintf(err, err_cap, "engine %c is missing: give -%c 'PATH [ARGS]'", 'A' + side,
                     'a' + side);
            return MATCH_OPTIONS_ERROR;
        }
        o->time_ms[side] = time_side[side] >= 0 ? time_side[side]
                           : time_both >= 0     ? time_both
                                                : o->time_ms[side];
    }
    for (int side = 0; side < 2; side++) {
        if (!parse_engine(side ? "-b" : "-a", o->command[side], &o->argv[side], &o->dir[side], err,
                          err_cap))
            return MATCH_OPTIONS_ERROR;
    }
    return MATCH_OPTIONS_RUN;
}

void match_options_free(match_options_t *o)
{
    for (int side = 0; side < 2; side++) {
        free_words(o->argv[side]);
        free(o->dir[side]);
        free(o->extra[side]);
        o->argv[side] = NULL;
        o->dir[side] = NULL;
        o->extra[side] = NULL;
    }
}
