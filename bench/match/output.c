#include "match/output.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "game/record.h"
#include "match/referee.h"

static json_t *time_stats(const match_game_t *g, int side)
{
    long n = 0, total = 0, max = 0;
    for (int i = 0; i < g->n_moves; i++) {
        int color_side = i % 2 == 0 ? g->black : 1 - g->black;
        if (g->time_ms[i] < 0 || color_side != side)
            continue;
        n++;
        total += g->time_ms[i];
        if (g->time_ms[i] > max)
            max = g->time_ms[i];
    }
    return json_pack("{s:I, s:I, s:f, s:I}", "moves", (json_int_t)n, "total_ms", (json_int_t)total,
                     "mean_ms", n ? round(10.0 * (double)total / (double)n) / 10.0 : 0.0, "max_ms",
                     (json_int_t)max);
}

char *match_output_json(const match_game_t *g, int size, engine_rule_t rule,
                        const char *const commands[2])
{
    json_t *moves = json_array(), *times = json_array();
    for (int i = 0; i < g->n_moves; i++) {
        json_array_append_new(moves, json_pack("[i, i]", g->x[i], g->y[i]));
        json_array_append_new(times, g->time_ms[i] < 0 ? json_null() : json_integer(g->time_ms[i]));
    }
    const char *result = g->reason == MATCH_REASON_ABORTED ? "*"
                         : g->winner < 0                   ? "1/2-1/2"
                         : g->winner == g->black           ? "1-0"
                                                           : "0-1";
    json_t *o = json_pack(
        "{s:i, s:o, s:i, s:s, s:s, s:{s:s, s:s}, s:i, s:s, s:o, s:o, s:s, s:o, s:s, s:s, "
        "s:{s:o, s:o}, s:I}",
        "game", g->number, "opening",
        g->opening_index >= 0 ? json_integer(g->opening_index) : json_null(), "opening_stones",
        g->opening ? g->opening->n : 0, "black", g->black ? "B" : "A", "white",
        g->black ? "A" : "B", "engines", "A", commands[0], "B", commands[1], "size", size, "rule",
        game_rule_name(rule), "moves", moves, "times_ms", times, "result", result, "winner",
        g->winner < 0 ? json_null() : json_string(g->winner ? "B" : "A"), "reason",
        match_reason_name(g->reason), "detail", g->detail, "time", "A", time_stats(g, 0), "B",
        time_stats(g, 1), "wall_ms", (json_int_t)llround(g->wall_ms));
    if (!o)
        return NULL;
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(o);
    if (!text)
        return NULL;
    size_t len = strlen(text);
    char *line = realloc(text, len + 2);
    if (!line) {
        free(text);
        return NULL;
    }
    line[len] = '\n';
    line[len + 1] = '\0';
    return line;
}

void match_output_elo(double elo, char *out, size_t cap)
{
    if (isinf(elo))
        snprintf(out, cap, "%sinf", elo > 0 ? "+" : "-");
    else
        snprintf(out, cap, "%+.1f", elo + 0.0); /* no "-0.0" */
}

static void format_elo(const match_elo_t *e, char *out, size_t cap)
{
    char a[32], lo[32], hi[32];
    if (!e->valid) {
        snprintf(out, cap, "n/a");
        return;
    }
    match_output_elo(e->elo, a, sizeof(a));
    if (e->lo == e->hi) {
        /* Every game (or pair) ended alike, e.g. all 1-1 pairs: no spread
         * to build an interval from yet. */
        snprintf(out, cap, "%s [no spread yet]", a);
        return;
    }
    match_output_elo(e->lo, lo, sizeof(lo));
    match_output_elo(e->hi, hi, sizeof(hi));
    snprintf(out, cap, "%s [%s, %s]", a, lo, hi);
}

void match_output_progress(FILE *out, const match_game_t *g, int games, const match_tally_t *t)
{
    char what[160], elo[128], sprt[96] = "";
    const char *opening_text = g->opening ? "" : ", empty board";
    if (g->reason == MATCH_REASON_ABORTED)
        snprintf(what, sizeof(what), "aborted");
    else if (g->winner < 0)
        snprintf(what, sizeof(what), "draw (%s)", match_reason_name(g->reason));
    else
        snprintf(what, sizeof(what), "%s wins (%s)", g->winner ? "B" : "A",
                 match_reason_name(g->reason));
    match_elo_t e = match_elo_trinomial(&t->tri);
    format_elo(&e, elo, sizeof(elo));
    if (t->has_sprt) {
        double lower, upper;
        match_sprt_bounds(&t->sprt, &lower, &upper);
        snprintf(sprt, sizeof(sprt), ", LLR %.2f [%.2f, %.2f]", t->llr, lower, upper);
    }
    char opening[32] = "";
    if (g->opening)
        snprintf(opening, sizeof(opening), ", opening %d", g->opening_index + 1);
    fprintf(out, "game %d/%d (%s black%s%s): %s, %d moves | A %ld - B %ld - D %ld | Elo %s%s\n",
            g->number, games, g->black ? "B" : "A", opening, opening_text, what, g->n_moves,
            t->tri.wdl[0], t->tri.wdl[2], t->tri.wdl[1], elo, sprt);
    fflush(out);
}

void match_output_summary(FILE *out, const match_tally_t *t, const char *const commands[2])
{
    long w = t->tri.wdl[0], d = t->tri.wdl[1], l = t->tri.wdl[2], n = w + d + l;
    fprintf(out, "\nA: %s\nB: %s\n", commands[0], commands[1]);
    fprintf(out, "Score of A vs B: %ld - %ld - %ld  [%.3f] %ld games\n", w, l, d,
            n ? ((double)w + 0.5 * (double)d) / (double)n : 0.0, n);
    char elo[128];
    match_elo_t e = match_elo_trinomial(&t->tri);
    format_elo(&e, elo, sizeof(elo));
    fprintf(out, "Elo (A - B): %s 95%%, LOS %.1f%%, draw ratio %.1f%%\n", elo,
            100.0 * match_los(&t->tri), n ? 100.0 * (double)d / (double)n : 0.0);
    const long *p = t->penta.pairs;
    long pairs = p[0] + p[1] + p[2] + p[3] + p[4];
    if (pairs > 0) {
        match_elo_t pe = match_elo_pentanomial(&t->penta);
        format_elo(&pe, elo, sizeof(elo));
        fprintf(out, "Pairs (A scores 0, 1/2, 1, 3/2, 2): %ld %ld %ld %ld %ld; Elo %s 95%%\n", p[0],
                p[1], p[2], p[3], p[4], elo);
    }
    fprintf(out, "Wins with black: A %ld, B %ld\n", t->a_black_wins, t->b_black_wins);
    if (t->has_sprt) {
        double lower, upper;
        match_sprt_bounds(&t->sprt, &lower, &upper);
        const char *verdict = t->sprt_state == MATCH_SPRT_H1   ? "H1 accepted"
                              : t->sprt_state == MATCH_SPRT_H0 ? "H0 accepted"
                                                               : "inconclusive";
        fprintf(out, "SPRT (%s): elo0 %g, elo1 %g, alpha %g, beta %g: LLR %.2f [%.2f, %.2f], %s\n",
                t->pentanomial ? "pentanomial" : "trinomial", t->sprt.elo0, t->sprt.elo1,
                t->sprt.alpha, t->sprt.beta, t->llr, lower, upper, verdict);
    }
    fprintf(out, "Ends:");
    static const match_reason_t ORDER[] = {MATCH_REASON_FIVE,    MATCH_REASON_DRAW,
                                           MATCH_REASON_ILLEGAL, MATCH_REASON_CRASH,
                                           MATCH_REASON_TIMEOUT, MATCH_REASON_START};
    for (size_t i = 0; i < sizeof(ORDER) / sizeof(ORDER[0]); i++) {
        match_reason_t r = ORDER[i];
        if (r == MATCH_REASON_DRAW)
            fprintf(out, " draw %ld", t->reasons[r][0]);
        else
            fprintf(out, " %s %ld/%ld", match_reason_name(r), t->reasons[r][1], t->reasons[r][0]);
    }
    fprintf(out, " (A wins/B wins)\n");
    fflush(out);
}
