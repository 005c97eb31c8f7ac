/*
 * rng.h: a small seeded pseudo-random generator for the client.
 *
 * The simulated human and the retry jitter must be reproducible from --seed,
 * so they never call rand() (hidden global state, differs between libcs).
 * The generator is SplitMix64: one 64-bit word of state, every seed valid,
 * good enough statistics for choosing among moves and spreading retries.
 * A client_rng_t belongs to one thread; there is no shared state.
 */
#ifndef GOMOKU_CLIENT_RNG_H
#define GOMOKU_CLIENT_RNG_H

#include <stdint.h>

typedef struct client_rng {
    uint64_t state;
} client_rng_t;

/* Starts the sequence for seed; equal seeds give equal sequences. */
void client_rng_seed(client_rng_t *rng, uint64_t seed);

/* The next 64 random bits. */
uint64_t client_rng_next(client_rng_t *rng);

/* A number in [0, n); 0 when n is 0. */
uint64_t client_rng_below(client_rng_t *rng, uint64_t n);

/* A number in [0, 1). */
double client_rng_unit(client_rng_t *rng);

/* Mixes a and b into a seed for an independent stream (one per game, one per
 * worker thread), so game 7 plays the same whatever thread runs it. */
uint64_t client_rng_derive(uint64_t a, uint64_t b);

#endif
