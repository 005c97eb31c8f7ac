/*
 * tt.h: the transposition table of one search context.
 *
 * Entry layout (12 bytes, five per 64-byte bucket, so a bucket is one cache
 * line; fields in the order probe() reads them):
 *
 *   key32      32 bits  upper half of the Zobrist key, to verify the slot
 *   value16    16 bits  score, mate scores stored relative to this node
 *   eval16     16 bits  reserved for the static evaluation (0 for now)
 *   move16     16 bits  best move (board cell index), BOARD_NONE for none
 *   depth8      8 bits  remaining depth of the search that stored it
 *   genbound8   8 bits  generation (bits 2..7) | bound (bits 0..1)
 *
 * The bucket is chosen by the low bits of the key (power-of-two bucket
 * count). Replacement: an entry of the same position is overwritten when the
 * new result is exact, at least as deep, or the old one is from an earlier
 * search; otherwise the entry with the lowest depth8 - 8 x age is replaced.
 *
 * Thread rule: one table per context, so no locking.
 */
#ifndef GOMOKU_ENGINE_TT_H
#define GOMOKU_ENGINE_TT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

enum { TT_BOUND_NONE = 0, TT_BOUND_UPPER = 1, TT_BOUND_LOWER = 2, TT_BOUND_EXACT = 3 };

#define TT_BOUND_MASK     0x03u
#define TT_GEN_SHIFT      2
#define TT_GEN_COUNT      64u /* generations 1..63; 0 marks a never-written slot */
#define TT_BUCKET_ENTRIES 5

typedef struct tt_entry {
    uint32_t key32;
    int16_t value16;
    int16_t eval16;
    uint16_t move16;
    uint8_t depth8;
    uint8_t genbound8;
} tt_entry_t;

typedef struct tt_bucket {
    tt_entry_t entry[TT_BUCKET_ENTRIES];
    uint32_t pad32;
} tt_bucket_t;

_Static_assert(sizeof(tt_entry_t) == 12, "tt_entry_t must pack into 12 bytes");
_Static_assert(sizeof(tt_bucket_t) == 64, "a bucket must fill one cache line");

typedef struct tt {
    void *raw; /* the allocation; buckets is it aligned to 64 */
    tt_bucket_t *buckets;
    size_t mask; /* bucket count - 1 */
    unsigned gen;
    unsigned n_since_clear; /* searches since the table was last cleared */
    bool current_only;      /* ignore entries of earlier searches (deterministic mode) */
} tt_t;

/* A copy of a probed entry, with the value still in table form. */
typedef struct tt_data {
    int value;
    int depth;
    int bound;
    int move;
} tt_data_t;

/* Allocates about mb MiB (rounded down to a power of two buckets, at least
 * one). Returns ENGINE_ENOMEM on failure, leaving t empty. */
engine_status_t tt_create(tt_t *t, size_t mb);
void tt_destroy(tt_t *t);
void tt_clear(tt_t *t);

/* Starts a new search: bumps the generation. With current_only, entries of
 * earlier searches are treated as empty, so that the search behaves exactly
 * as on a fresh table: that is what makes results repeatable (the table is
 * cleared first when generations could alias). Never clears otherwise, so a
 * timed search does not pay for it. */
void tt_new_search(tt_t *t, bool current_only);

bool tt_probe(const tt_t *t, uint64_t key, tt_data_t *out);

/* Starts loading key's bucket into the cache, for a probe that follows soon. */
static inline void tt_prefetch(const tt_t *t, uint64_t key)
{
    __builtin_prefetch(&t->buckets[key & t->mask]);
}
void tt_store(tt_t *t, uint64_t key, int value, int depth, int bound, int move);

/* Mate scores count plies from the root; in the table they count from the
 * node, so that they stay right when the position recurs at another ply.
 * tt_value_from() is the inverse of tt_value_to() for the same ply. */
static inline int tt_value_to(int v, int ply)
{
    return v >= ENGINE_WIN_MIN ? v + ply : v <= -ENGINE_WIN_MIN ? v - ply : v;
}

static inline int tt_value_from(int v, int ply)
{
    return v >= ENGINE_WIN_MIN ? v - ply : v <= -ENGINE_WIN_MIN ? v + ply : v;
}

#endif
