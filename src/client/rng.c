#include "client/rng.h"

/* The SplitMix64 finaliser: a bijection on 64-bit words that spreads every
 * input bit over the whole output. */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void client_rng_seed(client_rng_t *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t client_rng_next(client_rng_t *rng)
{
    rng->state += 0x9e3779b97f4a7c15ULL;
    return mix(rng->state);
}

uint64_t client_rng_below(client_rng_t *rng, uint64_t n)
{
    if (n == 0) {
        return 0;
    }
    /* Multiply-high maps 64 random bits onto [0, n) without the bias of a
     * modulo worth caring about for n this small. */
    return (uint64_t)(((unsigned __int128)client_rng_next(rng) * n) >> 64);
}

double client_rng_unit(client_rng_t *rng)
{
    return (double)(client_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t client_rng_derive(uint64_t a, uint64_t b)
{
    return mix(a ^ mix(b + 0x9e3779b97f4a7c15ULL));
}
