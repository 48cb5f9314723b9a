/*
 * rng.c — xoshiro256** seeded by splitmix64; see rng.h.
 *
 * Reference algorithms: https://prng.di.unimi.it/xoshiro256starstar.c and
 * https://prng.di.unimi.it/splitmix64.c (public domain), rewritten here.
 *
 * No postgres.h here; everything else that draws random numbers (the
 * generator, the bootstrap) must call this file rather than write its own
 * splitmix64 or xoshiro.
 */
#include "rng.h"

#define SPLITMIX_GAMMA UINT64_C(0x9E3779B97F4A7C15)

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
si_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint64_t
si_splitmix64_next(uint64_t *state)
{
	*state += SPLITMIX_GAMMA;
	return si_mix64(*state);
}

uint64_t
si_splitmix64_mix(uint64_t x)
{
	return si_mix64(x + SPLITMIX_GAMMA);
}

void
si_rng_seed(SiRng *r, uint64_t seed)
{
	uint64_t	sm = seed;
	int			i;

	for (i = 0; i < 4; i++)
		r->s[i] = si_splitmix64_next(&sm);
	/* an all-zero state is impossible: splitmix64 outputs are a bijection
	 * of distinct counter values, so at most one of the four can be 0 */
}

void
si_rng_stream(SiRng *r, uint64_t seed, uint64_t key1, uint64_t key2)
{
	uint64_t	k;

	/*
	 * Chain the keys through the bijective mixer with distinct odd
	 * offsets, so (seed, key1, key2) and e.g. (seed + 1, key1 - 1, key2)
	 * give unrelated states.
	 */
	k = si_splitmix64_mix(seed);
	k = si_mix64(k ^ (key1 * UINT64_C(0xD1342543DE82EF95) + UINT64_C(0x632BE59BD9B4E019)));
	k = si_mix64(k ^ (key2 * UINT64_C(0xA0761D6478BD642F) + UINT64_C(0xE7037ED1A0B428DB)));
	si_rng_seed(r, k);
}

uint64_t
si_rng_next(SiRng *r)
{
	uint64_t   *s = r->s;
	uint64_t	result = rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
si_rng_uniform(SiRng *r)
{
	return (double) (si_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t
si_rng_below(SiRng *r, uint64_t n)
{
	/* reject the lowest (2^64 mod n) values so every residue is equally likely */
	uint64_t	threshold = (0 - n) % n;
	uint64_t	x;

	do
		x = si_rng_next(r);
	while (x < threshold);
	return x % n;
}

int
si_rng_bernoulli(SiRng *r, double p)
{
	return si_rng_uniform(r) < p;
}
