#include "game/analysis.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "game/notation.h"

void game_analysis_proven(int score, char out[GAME_PROVEN_MAX])
{
    if (score >= ENGINE_WIN_MIN) {
        snprintf(out, GAME_PROVEN_MAX, "win in %d", (ENGINE_WIN - score + 1) / 2);
    } else if (score <= -ENGINE_WIN_MIN) {
        snprintf(out, GAME_PROVEN_MAX, "loss in %d", (ENGINE_WIN + score) / 2);
    } else {
        snprintf(out, GAME_PROVEN_MAX, "none");
    }
}

double game_analysis_win_probability(int score)
{
    if (score >= ENGINE_WIN_MIN) {
        return 1.0;
    }
    if (score <= -ENGINE_WIN_MIN) {
        return 0.0;
    }
    /* The scale the evaluation was fitted at (docs/api.md). */
    double p = 1.0 / (1.0 + exp(-(double)score / (double)engine_eval_scale()));
    return round(p * 1000.0) / 1000.0;
}

/* A cell as the record writes its moves: compact when its last move is. */
static json_t *cell(const game_record_t *rec, engine_move_t m)
{
    if (rec->n_moves > 0 && rec->moves[rec->n_moves - 1].compact) {
        char text[GAME_COORD_MAX];
        game_coord_format(m.row, m.col, text);
        return json_string(text);
    }
    return json_pack("[i, i]", m.row, m.col);
}

static json_t *line_json(const game_record_t *rec, const engine_line_t *l)
{
    json_t *pv = json_array();
    for (int i = 0; pv != NULL && i < l->n_pv && i < ENGINE_MAX_PV; i++) {
        if (json_array_append_new(pv, cell(rec, l->pv[i])) != 0) {
            json_decref(pv);
            pv = NULL;
        }
    }
    if (pv == NULL) {
        return NULL;
    }
    return json_pack("{s:o, s:i, s:f, s:i, s:o}", "move", cell(rec, l->move), "score", l->score,
                     "win_probability", game_analysis_win_probability(l->score), "depth", l->depth,
                     "pv", pv);
}

char *game_analysis_to_json(const game_record_t *rec, const engine_result_t *r, double queue_ms,
                            size_t *len_out)
{
    bool finished = game_record_finished(rec) || r == NULL;
    char proven[GAME_PROVEN_MAX];
    game_analysis_proven(finished || r->n_lines < 1 ? 0 : r->lines[0].score, proven);
    json_t *moves = json_array();
    for (int i = 0; !finished && moves != NULL && i < r->n_lines; i++) {
        if (json_array_append_new(moves, line_json(rec, &r->lines[i])) != 0) {
            json_decref(moves);
            moves = NULL;
        }
    }
    if (moves == NULL) {
        return NULL;
    }
    char to_move[2] = {game_side_letter(game_record_to_move(rec)), '\0'};
    json_t *a =
        json_pack("{s:s, s:i, s:I, s:f, s:f, s:s, s:s, s:o}", "to_move", to_move, "depth",
                  finished ? 0 : r->depth, "nodes", finished ? (json_int_t)0 : (json_int_t)r->nodes,
                  "time_ms", finished ? 0.0 : round(r->time_ms * 1000.0) / 1000.0, "queue_ms",
                  round(queue_ms * 1000.0) / 1000.0, "proven", proven, "winner",
                  game_winner_name(rec->winner), "moves", moves);
    json_t *root = a != NULL ? json_pack("{s:o}", "analysis", a) : NULL;
    char *text = root != NULL ? json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(root);
    if (text != NULL && len_out != NULL) {
        *len_out = strlen(text);
    }
    return text;
}
