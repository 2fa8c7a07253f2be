/*
 * xoshiro256** and splitmix64, written from the algorithms' published descriptions.
 */
#include "models/random.h"

#include <math.h>

#define AO_GOLDEN_GAMMA 0x9E3779B97F4A7C15ULL

/* splitmix64's output function (a variant of MurmurHash3's finaliser). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t ao_splitmix64(uint64_t *state)
{
    *state += AO_GOLDEN_GAMMA;
    return mix64(*state);
}

static uint64_t rotate_left(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void ao_rng_seed(ao_rng *rng, uint64_t seed, uint64_t sample)
{
    uint64_t study = seed;
    uint64_t state = ao_splitmix64(&study) ^ mix64((sample + 1) * AO_GOLDEN_GAMMA);
    for (int k = 0; k < 4; k++)
        rng->state[k] = ao_splitmix64(&state);
    /* An all-zero state would only ever give zeros; splitmix64 makes it unlikely, not
     * impossible. */
    if ((rng->state[0] | rng->state[1] | rng->state[2] | rng->state[3]) == 0)
        rng->state[0] = AO_GOLDEN_GAMMA;
    rng->spare = 0.0;
    rng->has_spare = 0;
}

uint64_t ao_rng_next(ao_rng *rng)
{
    uint64_t *s = rng->state;
    uint64_t result = rotate_left(s[1] * 5, 7) * 9;
    uint64_t shifted = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= shifted;
    s[3] = rotate_left(s[3], 45);
    return result;
}

double ao_rng_uniform(ao_rng *rng)
{
    /* The top 53 bits, shifted half a step off zero: never 0, never 1. */
    return ((double)(ao_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53;
}

double ao_rng_normal(ao_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * ao_rng_uniform(rng) - 1.0;
        v = 2.0 * ao_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double factor = sqrt(-2.0 * log(s) / s);
    rng->spare = v * factor;
    rng->has_spare = 1;
    return u * factor;
}

double ao_rng_triangular(ao_rng *rng, double low, double likely, double high)
{
    double u = ao_rng_uniform(rng);
    double width = high - low;
    if (!(width > 0.0))
        return low;
    double split = (likely - low) / width;
    if (u < split)
        return low + sqrt(u * width * (likely - low));
    return high - sqrt((1.0 - u) * width * (high - likely));
}
