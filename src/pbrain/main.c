/*
 * main.c: pbrain-gomoku, the gomoku-httpd engine as a Gomocup brain.
 *
 * Speaks the Gomocup protocol on stdin/stdout (brain.h, protocol.h) and
 * searches with the engine library. See docs/pbrain.md.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "pbrain/brain.h"
#include "pbrain/protocol.h"

#ifndef GOMOKU_VERSION
#define GOMOKU_VERSION "0"
#endif

#define ABOUT                                                                                      \
    "name=\"gomoku-httpd\", version=\"" GOMOKU_VERSION "\", author=\"gomoku-httpd developers\", "  \
    "country=\"International\""

typedef struct gomoku_brain {
    engine_ctx_t *ctx;
    size_t hash_mb; /* size of ctx's table; 0 before the first search */
} gomoku_brain_t;

/* (Re)creates the context when the manager's memory limit changes it; the
 * table then starts empty, which costs nothing but what it had learnt. */
static bool gomoku_prepare(void *self, size_t hash_mb, char *err, size_t err_cap)
{
    gomoku_brain_t *g = self;
    if (g->ctx && g->hash_mb == hash_mb)
        return true;
    if (g->ctx)
        engine_ctx_destroy(g->ctx);
    g->ctx = NULL;
    engine_status_t status = engine_ctx_create(hash_mb, &g->ctx);
    if (status != ENGINE_OK) {
        snprintf(err, err_cap, "engine_ctx_create(%zu MiB): %s", hash_mb, engine_strerror(status));
        g->ctx = NULL;
        return false;
    }
    g->hash_mb = hash_mb;
    return true;
}

static engine_status_t gomoku_search(void *self, const engine_position_t *pos,
                                     const engine_limits_t *limits, const atomic_bool *stop,
                                     engine_result_t *out)
{
    gomoku_brain_t *g = self;
    return engine_search(g->ctx, pos, limits, stop, out);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        int help = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help");
        if (!strcmp(argv[1], "--version")) {
            printf("pbrain-gomoku %s\n", GOMOKU_VERSION);
            return 0;
        }
        fprintf(help ? stdout : stderr,
                "usage: %s\n"
                "A Gomocup brain: speaks the Gomoku AI protocol on stdin/stdout\n"
                "(START, BEGIN, TURN, BOARD, INFO, TAKEBACK, END, ABOUT, ...).\n"
                "Run it from a Gomocup manager such as piskvork; see docs/pbrain.md.\n",
                argv[0]);
        return help ? 0 : 2;
    }
    engine_status_t status = engine_init();
    if (status != ENGINE_OK) {
        fprintf(stderr, "pbrain-gomoku: engine_init: %s\n", engine_strerror(status));
        return 1;
    }
    static const brain_searcher_t searcher = {ABOUT, gomoku_prepare, gomoku_search};
    gomoku_brain_t g = {0};
    /* Build the table now, while the manager waits for START's answer (it
     * allows seconds there), rather than in the first move's budget. */
    char err[200];
    if (!gomoku_prepare(&g, PBRAIN_DEFAULT_HASH_MB, err, sizeof(err)))
        fprintf(stderr, "pbrain-gomoku: %s\n", err);
    int rc = brain_run(&searcher, &g, STDIN_FILENO, stdout);
    if (g.ctx)
        engine_ctx_destroy(g.ctx);
    return rc;
}
