/*
 * gen-dream-wide.c — a synthetic DREAM wide file at national scale, fast
 * and deterministic, for bench/dream.sh and the loader tests.
 *
 *   cc -O2 -o gen-dream-wide tools/gen-dream-wide.c
 *   gen-dream-wide PERSONS WEEKS [SEED [FIRST_YEAR]] > wide.csv
 *
 * Header PNR;KOM;y_YYWW;... : WEEKS consecutive ISO weeks from week 1 of
 * FIRST_YEAR (default 1991, as DREAM; two-digit years, 90..99 = 19YY, so
 * the file may reach 2089), KOM a municipality of 98 (codes 101..860, as
 * the Danish ones are spread). Persons are 1..PERSONS. A person moves
 * between no benefit (empty field) and runs of one benefit code; run
 * lengths are geometric (mean 40 weeks without, 12 with a benefit code;
 * a benefit run is followed by no benefit 6 times in 10, else by another
 * code), so about a third of the weeks carry a code, and the codes 997/998/999
 * (emigrated, dead, retired) are absorbing once reached (rare). The same
 * PERSONS, WEEKS and SEED give the same bytes on every machine (the
 * generator is xorshift64* with integer arithmetic only).
 *
 * A plain C program with no dependencies (not part of the library or the
 * client programs; bench/dream.sh compiles it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/* uniform in 0..n-1 (n small: the modulo bias is below 1e-15) */
static uint32_t
rng_below(uint32_t n)
{
	return (uint32_t) ((rng_next() >> 11) % n);
}

/* geometric run length >= 1 with the given mean (1/mean per week to end) */
static uint32_t
run_length(uint32_t mean)
{
	uint32_t	n = 1;

	/* one draw per run: inverse CDF on 32 random bits, in integers */
	uint64_t	u = rng_next() >> 32;	/* 0 .. 2^32-1 */

	/* P(len > k) = (1 - 1/mean)^k: step down until u falls below it */
	uint64_t	p = UINT64_C(1) << 32;

	while (n < 100000)
	{
		p = p - p / mean;
		if (u >= p)
			break;
		n++;
	}
	return n;
}

/* ISO weeks in ISO year y (52 or 53) */
static int
weeks_in_year(int y)
{
	/* the year has 53 weeks when 1 January or 31 December is a Thursday */
	int			a = (y + y / 4 - y / 100 + y / 400) % 7;	/* weekday of 31 Dec */
	int			b = ((y - 1) + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400) % 7;

	return (a == 4 || b == 3) ? 53 : 52;
}

int
main(int argc, char **argv)
{
	/* codes the shipped benefit-code map knows (none is "unknown") */
	static const char *const codes[] = {
		"111", "112", "121", "130", "131", "211", "212", "411", "651", "750",
		"781", "782", "881", "890"
	};
	int			ncodes = (int) (sizeof(codes) / sizeof(codes[0]));
	long long	persons,
				p;
	long		weeks,
				k;
	unsigned long long seed = 20261207;
	int			year = 1991,
				week = 1,
				kom[98];
	char	   *line;
	size_t		cap;

	if (argc < 3 || argc > 5)
	{
		fprintf(stderr, "usage: gen-dream-wide PERSONS WEEKS [SEED [FIRST_YEAR]] > file.csv\n");
		return 2;
	}
	persons = atoll(argv[1]);
	weeks = atol(argv[2]);
	if (argc > 3)
		seed = strtoull(argv[3], NULL, 10);
	if (argc > 4)
		year = atoi(argv[4]);
	if (persons < 1 || weeks < 1 || weeks > 5000 || year < 1990 || year > 2089)
	{
		fprintf(stderr, "gen-dream-wide: PERSONS >= 1, WEEKS 1..5000, FIRST_YEAR 1990..2089\n");
		return 2;
	}
	rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
	if (rng_state == 0)
		rng_state = 1;
	for (k = 0; k < 98; k++)
		kom[k] = 101 + (int) (k * 759 / 97);	/* 101 .. 860 */

	/* header */
	fputs("PNR;KOM", stdout);
	for (k = 0; k < weeks; k++)
	{
		printf(";y_%02d%02d", year % 100, week);
		if (++week > weeks_in_year(year))
		{
			week = 1;
			if (++year > 2089)
			{
				fprintf(stderr, "gen-dream-wide: the weeks run past 2089 (two-digit DREAM years)\n");
				return 2;
			}
		}
	}
	putchar('\n');

	cap = (size_t) weeks * 5 + 64;
	line = malloc(cap);
	if (line == NULL)
		return 2;
	for (p = 1; p <= persons; p++)
	{
		size_t		n;
		const char *cur = NULL;
		size_t		curlen = 0;
		uint32_t	left;
		int			absorbed = 0;

		n = (size_t) sprintf(line, "%lld;%d", p, kom[rng_below(98)]);
		/* start in a run without benefit of random remaining length */
		left = run_length(40);
		for (k = 0; k < weeks; k++)
		{
			if (left == 0 && !absorbed)
			{
				if (cur != NULL && rng_below(10) < 6)
				{
					/* a benefit run ends in no benefit (else: another code) */
					cur = NULL;
					curlen = 0;
					left = run_length(40);
				}
				else if (rng_below(1000) < 4)
				{
					cur = rng_below(3) == 0 ? "997" : rng_below(2) ? "998" : "999";
					curlen = 3;
					absorbed = 1;
				}
				else
				{
					cur = codes[rng_below((uint32_t) ncodes)];
					curlen = 3;
					left = run_length(12);
				}
			}
			line[n++] = ';';
			if (curlen)
			{
				memcpy(line + n, cur, curlen);
				n += curlen;
			}
			if (left > 0)
				left--;
		}
		line[n++] = '\n';
		if (fwrite(line, 1, n, stdout) != n)
		{
			perror("gen-dream-wide");
			return 2;
		}
	}
	free(line);
	if (fflush(stdout) != 0)
	{
		perror("gen-dream-wide");
		return 2;
	}
	return 0;
}
