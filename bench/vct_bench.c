/*
 * vct_bench: how many positions the threat solver (vct_search) proves won
 * for the side to move, and at what cost.
 *
 *   vct_bench [--threats N] [--nodes N] [--print] FILE...
 *
 * FILE holds positions as label.py reads or writes them: '<rule> <size>
 * x,y ...' or '<eval> <move> <rule> <size> x,y ...' (x = column, black
 * first). Positions with a VCF are counted apart (the solver runs after
 * the VCF in the engine). --print writes each position it proves won as
 * '<rule> <size> x,y ...' on stdout, for an oracle to confirm
 * (bench/evaltrain/label.py leaves out every position it finds decided).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/board.h"
#include "engine/engine.h"
#include "engine/search.h"
#include "engine/vcf.h"

#define VCF_FOURS 30

/* Reads one position line into ctx's board and its stones (as written) into
 * stones; false when the line is not a position. */
static bool load(engine_ctx_t *ctx, char *line, int *rule, int *size, char *stones, size_t cap)
{
    static char *word[ENGINE_MAX_CELLS + 4];
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \n", &save); t && n < ENGINE_MAX_CELLS + 4;
         t = strtok_r(NULL, " \n", &save))
        word[n++] = t;
    /* '<eval> <move> <rule> <size> ...' when the second word is a cell. */
    int head = n > 1 && strchr(word[1], ',') ? 2 : 0;
    if (n < head + 2)
        return false;
    *rule = atoi(word[head]);
    *size = atoi(word[head + 1]);
    if (*rule < 0 || *rule > 2 || *size < ENGINE_MIN_SIZE || *size > ENGINE_MAX_SIZE)
        return false;
    board_reset(&ctx->board, *size, (engine_rule_t)*rule);
    size_t len = 0;
    stones[0] = '\0';
    for (int k = head + 2; k < n; k++) {
        int x, y;
        if (sscanf(word[k], "%d,%d", &x, &y) != 2 || x < 0 || y < 0 || x >= *size || y >= *size ||
            ctx->board.cell[board_cell(y, x)] != CELL_EMPTY)
            return false;
        board_make(&ctx->board, board_cell(y, x));
        len += (size_t)snprintf(stones + len, len < cap ? cap - len : 0, " %s", word[k]);
    }
    return len < cap;
}

int main(int argc, char **argv)
{
    int threats = 6, print = 0;
    unsigned long long max_nodes = 50000;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--threats") && i + 1 < argc)
            threats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--nodes") && i + 1 < argc)
            max_nodes = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--print"))
            print = 1;
        else
            break;
    }
    if (i >= argc || threats < 1 || max_nodes < 1) {
        fprintf(stderr, "usage: %s [--threats N (6)] [--nodes N (50000)] [--print] FILE...\n",
                argv[0]);
        return 2;
    }
    engine_ctx_t *ctx = NULL;
    if (engine_init() != ENGINE_OK || engine_ctx_create(16, &ctx) != ENGINE_OK) {
        fprintf(stderr, "vct_bench: cannot create an engine context\n");
        return 1;
    }
    long positions = 0, vcf = 0, won = 0, bad = 0;
    unsigned long long nodes = 0;
    static char line[16384], stones[16384];
    for (; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            perror(argv[i]);
            engine_ctx_destroy(ctx);
            return 1;
        }
        while (fgets(line, sizeof line, f)) {
            int rule, size;
            if (!load(ctx, line, &rule, &size, stones, sizeof stones)) {
                bad++;
                continue;
            }
            board_t *b = &ctx->board;
            if (b->count[b->to_move][THREAT_FIVE] || b->count[3 - b->to_move][THREAT_FIVE])
                continue; /* decided or forced: not the solver's business */
            positions++;
            ctx->nodes = 0;
            ctx->node_limit = 0;
            ctx->aborted = false;
            ctx->poll_countdown = TIMEMAN_POLL_NODES;
            timeman_start(&ctx->tm, 0, NULL);
            memset(ctx->vcf_cache, 0, sizeof(ctx->vcf_cache));
            if (vcf_search(ctx, 0, VCF_FOURS, NULL)) {
                vcf++;
                continue;
            }
            ctx->nodes = 0;
            int r = vct_search(ctx, 0, threats, max_nodes, NULL);
            nodes += ctx->nodes;
            if (r) {
                won++;
                if (print)
                    printf("%d %d%s\n", rule, size, stones);
            }
        }
        fclose(f);
    }
    fprintf(
        stderr,
        "vct_bench: %ld positions (%ld lines skipped), %ld won by a VCF, %ld of the rest proved "
        "won within %d threats and %llu nodes; mean %.0f nodes a search\n",
        positions, bad, vcf, won, threats, max_nodes,
        positions > vcf ? (double)nodes / (double)(positions - vcf) : 0.0);
    engine_ctx_destroy(ctx);
    return 0;
}
