/*
 * rng.h — a portable, seedable pseudo-random number generator, free of
 * PostgreSQL: xoshiro256** (Blackman & Vigna 2018) seeded through
 * splitmix64 (Steele, Lea & Flood 2014).
 *
 * Everything is 64-bit integer arithmetic, so a stream gives the same
 * numbers on every platform and compiler. Uniform doubles take the top 53
 * bits (exact multiples of 2^-53 in [0, 1)).
 *
 * Streams: si_rng_stream(seed, key1, key2) derives an independent-looking
 * generator for each (seed, key1, key2) by hashing the three numbers with
 * the splitmix64 finaliser (a bijection of 64-bit words), so e.g. person
 * 17's stream does not depend on how many other persons are generated.
 *
 * No postgres.h here.
 */
#ifndef SI_RNG_H
#define SI_RNG_H

#include <stdint.h>

typedef struct SiRng
{
	uint64_t	s[4];
} SiRng;

/* splitmix64: advance *state and return the next output. */
extern uint64_t si_splitmix64_next(uint64_t *state);

/* The splitmix64 output function (a bijective 64-bit mixer). */
extern uint64_t si_mix64(uint64_t z);

/*
 * splitmix64 without a state variable: the output a generator in state x
 * gives next, si_mix64(x + 0x9E3779B97F4A7C15). A bijective hash of x, for
 * draws keyed by numbers (e.g. the multiplier bootstrap's unit and batch).
 */
extern uint64_t si_splitmix64_mix(uint64_t x);

/* Seed xoshiro256** from one 64-bit number (four splitmix64 outputs). */
extern void si_rng_seed(SiRng *r, uint64_t seed);

/* Independent stream for (seed, key1, key2). */
extern void si_rng_stream(SiRng *r, uint64_t seed, uint64_t key1, uint64_t key2);

/* Next 64-bit output of xoshiro256**. */
extern uint64_t si_rng_next(SiRng *r);

/* Uniform double in [0, 1) from the top 53 bits. */
extern double si_rng_uniform(SiRng *r);

/* Uniform integer in [0, n) without modulo bias (n >= 1). */
extern uint64_t si_rng_below(SiRng *r, uint64_t n);

/* true with probability p (p <= 0: never; p >= 1: always). */
extern int	si_rng_bernoulli(SiRng *r, double p);

#endif							/* SI_RNG_H */
