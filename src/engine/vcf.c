/*
 * vcf.c: VCF solver. See vcf.h.
 */
#include "engine/vcf.h"

#include "engine/forbid.h"

#define CACHE_DEPTH_MASK 31u

static bool cache_says_no(const engine_ctx_t *ctx, uint64_t key, int fours)
{
    uint64_t e = ctx->vcf_cache[(key >> 5) & (VCF_CACHE_SIZE - 1)];
    return (e & ~(uint64_t)CACHE_DEPTH_MASK) == (key & ~(uint64_t)CACHE_DEPTH_MASK) &&
           (int)(e & CACHE_DEPTH_MASK) >= fours;
}

static void cache_no(engine_ctx_t *ctx, uint64_t key, int fours)
{
    if (fours > (int)CACHE_DEPTH_MASK)
        fours = CACHE_DEPTH_MASK;
    ctx->vcf_cache[(key >> 5) & (VCF_CACHE_SIZE - 1)] =
        (key & ~(uint64_t)CACHE_DEPTH_MASK) | (uint64_t)fours;
}

static int first_cell_of_class(const board_t *b, int color, int cls)
{
    move_list_t ml;
    movegen_fours(b, color, &ml);
    for (int i = 0; i < ml.n; i++)
        if (b->cls[ml.move[i]][color] >= cls)
            return ml.move[i];
    return BOARD_NONE;
}

/* True when x lies within 4 steps of c on one of c's lines. */
static bool on_line_near(int x, int c)
{
    for (int d = 0; d < 4; d++)
        for (int k = 1; k <= 4; k++)
            if (x == c + k * board_dir[d] || x == c - k * board_dir[d])
                return true;
    return false;
}

/*
 * last is the attacker's previous four (BOARD_NONE at the start): after the
 * first four, only fours whose line passes near it are tried. This is the
 * dependency rule of threat-space search: a continuation that does not use
 * the previous gain square could have been played first, so the sequences
 * it skips are (nearly always) found in another order.
 */
static int attack(engine_ctx_t *ctx, int fours, int ply, int last, int *first)
{
    board_t *b = &ctx->board;
    int us = b->to_move, them = 3 - us;
    if (b->count[us][THREAT_FIVE]) {
        if (first)
            *first = board_find_five(b, us);
        return 1;
    }
    int forced = BOARD_NONE;
    if (b->count[them][THREAT_FIVE]) {
        if (b->count[them][THREAT_FIVE] >= 2)
            return 0;
        forced = board_find_five(b, them);
        if (b->cls[forced][us] < THREAT_B4 || forbid_blocks(b, forced, us))
            return 0;
    } else if (b->count[us][THREAT_FLEX4] && search_flex4(b, us)) {
        if (first)
            *first = first_cell_of_class(b, us, THREAT_FLEX4);
        return 3;
    } else if (b->count[us][THREAT_B4] + b->count[us][THREAT_B4PLUS] + b->count[us][THREAT_B4F3] ==
               0) {
        return 0;
    }
    if (fours <= 0 || ply >= SEARCH_MAX_PLY - 4)
        return 0;
    if (cache_says_no(ctx, b->key, fours))
        return 0;

    move_list_t *ml = &ctx->lists[ply];
    if (forced != BOARD_NONE) {
        ml->n = 1;
        ml->move[0] = (uint16_t)forced;
        ml->score[0] = 0;
    } else {
        movegen_fours(b, us, ml);
    }
    for (int i = 0; i < ml->n; i++) {
        movegen_pick(ml, i);
        int m = ml->move[i];
        if (last != BOARD_NONE && forced == BOARD_NONE && !on_line_near(m, last))
            continue;
        if (search_tick(ctx))
            return 0;
        board_make(b, m);
        int r = 0;
        if (b->count[us][THREAT_FIVE] >= 2) {
            r = 3;
        } else if (b->count[us][THREAT_FIVE] == 1) {
            int block = board_find_five(b, us);
            if (forbid_blocks(b, block, them)) {
                r = 3; /* renju: black may not block there */
            } else {
                board_make(b, block);
                r = attack(ctx, fours - 1, ply + 2, m, NULL);
                if (r)
                    r += 2;
                board_unmake(b);
            }
        }
        board_unmake(b);
        if (ctx->aborted)
            return 0;
        if (r) {
            if (first)
                *first = m;
            return r;
        }
    }
    cache_no(ctx, b->key, fours);
    return 0;
}

int vcf_search(engine_ctx_t *ctx, int ply, int max_fours, int *first)
{
    return attack(ctx, max_fours, ply, BOARD_NONE, first);
}

/*
 * VCT: victory by continuous threats. An attacker move threatens when it
 * leaves him a five point (a four), or, while the defender is left no open
 * three of his own (the move may block it), an open-four point (a three) or
 * a new four-three point (a four that also makes an open three). The
 * defender's replies are complete: against a four the block; against a
 * three every cell that takes all the attacker's open-four points away
 * (movegen's exact test) plus every four of his own; against a four-three
 * point every candidate cell. So a VCT found is a proven win; one not found
 * within the limits proves nothing. Results "no VCT" share the VCF cache,
 * with the key salted (differently with and without four-three points).
 */
#define VCT_SALT            0x5DEECE66Dull
#define VCT_SALT_FOUR_THREE 0x9E3779B97F4A7C15ull

typedef struct vct_state {
    uint64_t start_nodes;
    uint64_t max_nodes;
    bool out;        /* the VCT's own node budget ran out */
    bool four_three; /* moves that make a four-three point count as threats */
} vct_state_t;

static int vct_defend(engine_ctx_t *ctx, vct_state_t *vs, int depth, int ply, bool four_three);

static bool vct_stop(engine_ctx_t *ctx, vct_state_t *vs)
{
    if (search_tick(ctx))
        return true;
    if (ctx->nodes - vs->start_nodes >= vs->max_nodes)
        vs->out = true;
    return vs->out;
}

static int vct_attack(engine_ctx_t *ctx, vct_state_t *vs, int depth, int ply, int *first)
{
    board_t *b = &ctx->board;
    int us = b->to_move, them = 3 - us;
    if (b->count[us][THREAT_FIVE]) {
        if (first)
            *first = board_find_five(b, us);
        return 1;
    }
    move_list_t *ml = &ctx->lists[ply];
    if (b->count[them][THREAT_FIVE]) {
        if (b->count[them][THREAT_FIVE] >= 2)
            return 0;
        ml->n = 1;
        ml->move[0] = (uint16_t)board_find_five(b, them);
        ml->score[0] = 0;
        if (forbid_blocks(b, ml->move[0], us))
            return 0;
    } else if (b->count[us][THREAT_FLEX4] && search_flex4(b, us)) {
        if (first)
            *first = first_cell_of_class(b, us, THREAT_FLEX4);
        return 3;
    } else {
        ml->n = 0;
    }
    if (depth <= 0 || ply >= SEARCH_MAX_PLY - 4)
        return 0;
    uint64_t key = b->key ^ (vs->four_three ? VCT_SALT_FOUR_THREE : VCT_SALT);
    if (cache_says_no(ctx, key, depth))
        return 0;
    if (ml->n == 0) {
        /* Fours, threes, and (when the opponent has no open three) moves
         * that may make a four-three point; which of them threaten is
         * decided after the move. */
        int min_cls = b->count[them][THREAT_FLEX4] || !vs->four_three ? THREAT_F3 : THREAT_B3;
        move_list_t cands;
        movegen_candidates(b, &cands);
        for (int i = 0; i < cands.n; i++) {
            int c = cands.move[i];
            if (b->cls[c][us] >= min_cls) {
                ml->move[ml->n] = (uint16_t)c;
                ml->score[ml->n++] = b->cls[c][us] * 4096 + cands.score[i];
            }
        }
    }
    for (int i = 0; i < ml->n; i++) {
        movegen_pick(ml, i);
        int m = ml->move[i];
        if (vct_stop(ctx, vs))
            return 0;
        int b4f3_before = b->count[us][THREAT_B4F3];
        board_make(b, m);
        int r = 0;
        /* Only a move that leaves a threat forces the defender: a five
         * point; or, when the defender is left no open three of his own
         * (the move may block his), an open-four point, or a new
         * four-three point. */
        if (b->count[us][THREAT_FIVE])
            r = vct_defend(ctx, vs, depth - 1, ply + 1, false);
        else if (!search_flex4(b, them)) {
            if (search_flex4(b, us))
                r = vct_defend(ctx, vs, depth - 1, ply + 1, false);
            else if (vs->four_three && b->count[us][THREAT_B4F3] > b4f3_before)
                r = vct_defend(ctx, vs, depth - 1, ply + 1, true);
        }
        board_unmake(b);
        if (ctx->aborted || vs->out)
            return 0;
        if (r) {
            if (first)
                *first = m;
            return r + 1;
        }
    }
    cache_no(ctx, key, depth);
    return 0;
}

/* Defender to move after an attacker threat: plies to the attacker's five
 * against the best defence, or 0 when some defence holds. */
static int vct_defend(engine_ctx_t *ctx, vct_state_t *vs, int depth, int ply, bool four_three)
{
    board_t *b = &ctx->board;
    int def = b->to_move, att = 3 - def;
    if (b->count[def][THREAT_FIVE])
        return 0;
    if (b->count[att][THREAT_FIVE] >= 2)
        return 2;
    move_list_t *ml = &ctx->lists[ply];
    movegen_kind_t kind = movegen_generate(b, ml);
    if (kind == MOVEGEN_BLOCK_FIVE && ml->n == 0)
        return 2; /* renju: black may not block */
    /* Against a four-three point every candidate is tried, best first:
     * whether a move defends can depend on what the attacker's four then
     * makes, so his reply decides. Against an open-four point, ALL means
     * no single cell stops it: only a four of our own can help. */
    if (kind == MOVEGEN_ALL && !four_three) {
        movegen_fours(b, def, ml);
        if (ml->n == 0)
            return 4;
    }
    int worst = 0;
    for (int i = 0; i < ml->n; i++) {
        if (vct_stop(ctx, vs))
            return 0;
        movegen_pick(ml, i);
        board_make(b, ml->move[i]);
        int r = vct_attack(ctx, vs, depth, ply + 1, NULL);
        board_unmake(b);
        if (r == 0)
            return 0;
        if (r > worst)
            worst = r;
    }
    return worst + 1;
}

int vct_search(engine_ctx_t *ctx, int ply, int max_threats, uint64_t max_nodes, int *first)
{
    /* Fours and threes first: that tree is much smaller, and finds most
     * wins. Four-three points widen it, so they get what is left. */
    vct_state_t vs = {.start_nodes = ctx->nodes, .max_nodes = max_nodes};
    int r = vct_attack(ctx, &vs, max_threats, ply, first);
    if (r || ctx->aborted || vs.out)
        return r;
    vs.four_three = true;
    return vct_attack(ctx, &vs, max_threats, ply, first);
}
