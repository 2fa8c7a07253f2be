/**
 * @file models/random.h
 * @brief Reproducible random numbers for uncertainty studies: xoshiro256** seeded by
 * splitmix64, one independent stream per sample.
 *
 * Sample i of a study with seed S draws from a generator seeded from (S, i) alone, so
 * any subset of samples (a shard) draws exactly what a full run draws for them,
 * whatever the order or the thread. The generator holds no global state.
 *
 * The algorithms are those published by Blackman and Vigna ("Scrambled linear
 * pseudorandom number generators", 2021) and Steele, Lea and Flood (splitmix64,
 * "Fast splittable pseudorandom number generators", 2014).
 */
#ifndef AO_MODELS_RANDOM_H
#define AO_MODELS_RANDOM_H

#include <stdint.h>

/** One stream of random numbers. Fill with ao_rng_seed(). */
typedef struct ao_rng {
    uint64_t state[4]; ///< xoshiro256** state (never all zero).
    double spare;      ///< Second normal of the last polar pair.
    int has_spare;     ///< 1 when spare is still to be used.
} ao_rng;

/** @brief One step of splitmix64: advance *state and return the next output. */
uint64_t ao_splitmix64(uint64_t *state);

/**
 * @brief Seed the stream of sample `sample` of a study with seed `seed`.
 *
 * The study seed is first run through splitmix64; the sample index, mixed by the
 * splitmix64 output function, is XORed into that value, and splitmix64 from there
 * fills the four words of xoshiro256** state.
 */
void ao_rng_seed(ao_rng *rng, uint64_t seed, uint64_t sample);

/** @brief The next 64 random bits (xoshiro256**). */
uint64_t ao_rng_next(ao_rng *rng);

/** @brief A uniform number in the open interval (0, 1), from the top 53 bits. */
double ao_rng_uniform(ao_rng *rng);

/**
 * @brief A standard normal number (Marsaglia's polar method). Each accepted pair
 * gives two numbers; the second is kept in the stream and returned by the next call.
 */
double ao_rng_normal(ao_rng *rng);

/**
 * @brief A triangular number on [low, high] with mode likely (inverse CDF of one
 * uniform). Requires low ≤ likely ≤ high; returns low when low == high.
 */
double ao_rng_triangular(ao_rng *rng, double low, double likely, double high);

#endif /* AO_MODELS_RANDOM_H */
