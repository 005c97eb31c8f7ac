/*
 * tt.c: transposition table. Layout and replacement rule are in tt.h.
 */
#include "engine/tt.h"

#include <stdlib.h>
#include <string.h>

/*
 * calloc rather than aligned_alloc + memset: a large calloc is served by
 * fresh zero pages that the kernel maps on first touch, so creating a big
 * table costs nothing up front (the Gomocup brain creates its context when
 * the first move is asked for, inside that move's time).
 */
engine_status_t tt_create(tt_t *t, size_t mb)
{
    memset(t, 0, sizeof(*t));
    size_t want = mb * 1024 * 1024 / sizeof(tt_bucket_t);
    size_t n = 1;
    while (n * 2 <= want)
        n *= 2;
    t->raw = calloc(n + 1, sizeof(tt_bucket_t));
    if (!t->raw)
        return ENGINE_ENOMEM;
    uintptr_t at =
        ((uintptr_t)t->raw + sizeof(tt_bucket_t) - 1) & ~(uintptr_t)(sizeof(tt_bucket_t) - 1);
    t->buckets = (tt_bucket_t *)at;
    t->mask = n - 1;
    return ENGINE_OK;
}

void tt_destroy(tt_t *t)
{
    free(t->raw);
    t->raw = NULL;
    t->buckets = NULL;
}

void tt_clear(tt_t *t)
{
    memset(t->buckets, 0, (t->mask + 1) * sizeof(tt_bucket_t));
    t->gen = 0;
    t->n_since_clear = 0;
}

/*
 * Generations cycle through 1..63, so from the 64th search after a clear an
 * entry may carry the current generation while coming from an earlier
 * search. A timed search does not care (old entries are hints like any
 * other), and clearing a large table would eat its budget; a deterministic
 * search must see a clean table, so it clears then (it has no deadline).
 */
void tt_new_search(tt_t *t, bool current_only)
{
    t->gen = t->gen % (TT_GEN_COUNT - 1) + 1;
    t->n_since_clear++;
    if (current_only && t->n_since_clear >= TT_GEN_COUNT) {
        tt_clear(t);
        t->gen = 1;
        t->n_since_clear = 1;
    }
    t->current_only = current_only;
}

static inline unsigned entry_gen(const tt_entry_t *e)
{
    return e->genbound8 >> TT_GEN_SHIFT;
}

/* True when the slot holds nothing usable for this search. */
static inline bool is_free(const tt_t *t, const tt_entry_t *e)
{
    return (e->genbound8 & TT_BOUND_MASK) == TT_BOUND_NONE ||
           (t->current_only && entry_gen(e) != t->gen);
}

bool tt_probe(const tt_t *t, uint64_t key, tt_data_t *out)
{
    const tt_bucket_t *bk = &t->buckets[key & t->mask];
    uint32_t key32 = (uint32_t)(key >> 32);
    for (int i = 0; i < TT_BUCKET_ENTRIES; i++) {
        const tt_entry_t *e = &bk->entry[i];
        if (e->key32 == key32 && !is_free(t, e)) {
            out->value = e->value16;
            out->depth = e->depth8;
            out->bound = e->genbound8 & TT_BOUND_MASK;
            out->move = e->move16;
            return true;
        }
    }
    return false;
}

void tt_store(tt_t *t, uint64_t key, int value, int depth, int bound, int move)
{
    tt_bucket_t *bk = &t->buckets[key & t->mask];
    uint32_t key32 = (uint32_t)(key >> 32);
    tt_entry_t *slot = NULL;
    int worst = 1 << 30;
    for (int i = 0; i < TT_BUCKET_ENTRIES; i++) {
        tt_entry_t *e = &bk->entry[i];
        if (is_free(t, e)) {
            if (!slot || worst > -1000) {
                slot = e;
                worst = -1000;
            }
            continue;
        }
        if (e->key32 == key32) {
            if (bound != TT_BOUND_EXACT && depth < e->depth8 && entry_gen(e) == t->gen)
                return;
            if (move == 0)
                move = e->move16;
            slot = e;
            break;
        }
        int age = (int)((t->gen - entry_gen(e)) % TT_GEN_COUNT);
        int prio = e->depth8 - 8 * age;
        if (prio < worst) {
            worst = prio;
            slot = e;
        }
    }
    if (depth < 0)
        depth = 0;
    if (depth > 255)
        depth = 255;
    slot->key32 = key32;
    slot->value16 = (int16_t)value;
    slot->eval16 = 0;
    slot->move16 = (uint16_t)move;
    slot->depth8 = (uint8_t)depth;
    slot->genbound8 = (uint8_t)(t->gen << TT_GEN_SHIFT | (unsigned)bound);
}
