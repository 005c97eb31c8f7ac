#include "match/schedule.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct shared {
    match_run_t *run;
    match_tally_t *tally;
    signed char *results;
    pthread_mutex_t lock;
    int next; /* next game, 0-based */
} shared_t;

void match_tally_add(match_tally_t *t, const match_game_t *g, signed char *results)
{
    if (g->reason == MATCH_REASON_ABORTED)
        return;
    int k = g->number - 1;
    int score = g->winner < 0 ? 1 : g->winner == 0 ? 2 : 0;
    results[k] = (signed char)score;
    t->played++;
    t->tri.wdl[score == 2 ? 0 : score == 1 ? 1 : 2]++;
    if (g->winner < 0)
        t->reasons[g->reason][0]++;
    else
        t->reasons[g->reason][1 - g->winner]++;
    if (g->winner >= 0 && g->winner == g->black) {
        if (g->black)
            t->b_black_wins++;
        else
            t->a_black_wins++;
    }
    int partner = k ^ 1;
    if (results[partner] >= 0)
        t->penta.pairs[score + results[partner]]++;
    if (t->has_sprt) {
        t->llr = t->pentanomial ? match_llr_pentanomial(&t->penta, t->sprt.elo0, t->sprt.elo1)
                                : match_llr_trinomial(&t->tri, t->sprt.elo0, t->sprt.elo1);
        t->sprt_state = match_sprt_decide(&t->sprt, t->llr);
    }
}

static void *worker(void *arg)
{
    shared_t *sh = arg;
    match_run_t *run = sh->run;
    const match_options_t *o = run->options;
    match_game_t *g = malloc(sizeof(*g));
    if (!g)
        return (void *)1;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        bool done = sh->next >= o->games || atomic_load(run->stop_new) ||
                    sh->tally->sprt_state != MATCH_SPRT_CONTINUE || run->write_failed;
        int k = done ? -1 : sh->next++;
        pthread_mutex_unlock(&sh->lock);
        if (done)
            break;
        memset(g, 0, sizeof(*g));
        g->number = k + 1;
        g->black = k % 2;
        g->opening_index = -1;
        if (run->openings->n > 0) {
            g->opening_index = (k / 2) % run->openings->n;
            g->opening = &run->openings->items[g->opening_index];
        }
        match_game_play(&run->settings, run->engines, run->abort, g);
        char *line = run->jsonl && g->reason != MATCH_REASON_ABORTED
                         ? match_output_json(g, o->size, o->rule, o->command)
                         : NULL;
        pthread_mutex_lock(&sh->lock);
        match_tally_add(sh->tally, g, sh->results);
        if (!o->quiet)
            match_output_progress(run->out, g, o->games, sh->tally);
        if (run->jsonl && g->reason != MATCH_REASON_ABORTED) {
            if (!line || fputs(line, run->jsonl) == EOF || fflush(run->jsonl) != 0)
                run->write_failed = true;
        }
        pthread_mutex_unlock(&sh->lock);
        free(line);
    }
    free(g);
    return NULL;
}

bool match_sched_run(match_run_t *run, match_tally_t *tally)
{
    const match_options_t *o = run->options;
    shared_t sh = {.run = run, .tally = tally, .next = 0};
    /* One slot more so that the last game's partner index is always valid. */
    sh.results = malloc((size_t)o->games + 1);
    if (!sh.results)
        return false;
    memset(sh.results, -1, (size_t)o->games + 1);
    pthread_mutex_init(&sh.lock, NULL);
    int n = o->concurrency < o->games ? o->concurrency : o->games;
    pthread_t threads[64];
    int started = 0;
    bool ok = true;
    for (; started < n; started++) {
        if (pthread_create(&threads[started], NULL, worker, &sh) != 0) {
            ok = false;
            break;
        }
    }
    for (int i = 0; i < started; i++) {
        void *r;
        pthread_join(threads[i], &r);
        if (r != NULL)
            ok = false;
    }
    if (started == 0)
        ok = false;
    pthread_mutex_destroy(&sh.lock);
    free(sh.results);
    return ok && !run->write_failed;
}
