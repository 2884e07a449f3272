/*
 * rng.h - the benchmark tools' small deterministic PRNG (xorshift64*), shared by
 * seed.c and export.c. Not part of the product.
 *
 * Each tool is one translation unit, so the state is simply a static variable of
 * the tool that includes this header: the same seed gives the same data every
 * run. bench_rng_seed mixes a user seed in (seed --seed); without it the state
 * starts from a fixed constant.
 */
#ifndef YJ_BENCH_RNG_H
#define YJ_BENCH_RNG_H

#include <stdint.h>

#include "core/yj.h" /* YJ_ARRAY_LEN */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

/* Mixes seed into the state (never leaving it 0, where xorshift would stay). */
static inline void bench_rng_seed(uint64_t seed)
{
    rng_state ^= seed * 0xD1B54A32D192ED03ULL;
    if (!rng_state)
        rng_state = 1;
}

static inline uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [lo, hi]. */
static inline int64_t rnd_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* A random element of an array (not a pointer). */
#define PICK(arr) (arr[rnd() % YJ_ARRAY_LEN(arr)])

#endif
