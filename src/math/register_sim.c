/*
 * register_sim.c — the synthetic register model; see register_sim.h and
 * docs/methods.md (section "generator").
 *
 * Only + - * / and comparisons on doubles are used (no libm), and every
 * random number comes from rng.c, so results agree across platforms that
 * use IEEE-754 double arithmetic without fused multiply-add contraction.
 */
#include "register_sim.h"

#include "isoweek.h"
#include "rng.h"

#include <stddef.h>
#include <string.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize ("fp-contract=off")
#endif

/* stream purposes (second key of si_rng_stream) */
#define STREAM_BACKGROUND 1
#define STREAM_SELF 2
#define STREAM_BENEFIT 3
#define STREAM_CENSOR 4
#define STREAM_MENTOR 5
#define STREAM_COURSE 6
#define STREAM_PROGRESSION 7
#define STREAM_PROGRAMME 8		/* key1 = municipality code, not a person */

#define CALIBRATION_SEED UINT64_C(0x5EEDCA11B8A7E5ED)
#define CALIBRATION_PERSONS 8192

/* weekly persistence of the latent uniform behind self-support */
#define RHO 0.94
/* propensity gain per year since arrival */
#define DURATION_SLOPE 0.015
#define WEEKS_PER_YEAR 52.1775

/* selection on observables: index terms and the trend by education */
#define OBS_REFUGEE 0.5
#define OBS_FAMILY 0.3
#define OBS_OTHER (-0.8)
#define OBS_FEMALE 0.4
#define OBS_AGE (-0.05)			/* per year of age0 - 35 */
#define OBS_EDUCATION (-0.45)	/* per education level */
#define OBS_WESTERN (-0.5)
#define OBS_TREND_EDUCATION 0.08	/* p_it per year from start_lo and level */

/* Danish municipality codes with approximate populations (thousands) */
static const struct
{
	int			code;
	int			weight;
}			municipalities[] =
{
	{101, 650}, {147, 105}, {151, 49}, {153, 36}, {157, 75}, {159, 70},
	{167, 55}, {169, 52}, {173, 56}, {175, 40}, {183, 24}, {217, 64},
	{219, 52}, {230, 57}, {253, 51}, {259, 62}, {265, 90}, {316, 73},
	{326, 49}, {330, 80}, {360, 41}, {370, 84}, {376, 60}, {400, 39},
	{461, 206}, {479, 59}, {510, 56}, {540, 75}, {561, 116}, {580, 59},
	{607, 51}, {615, 97}, {621, 95}, {630, 120}, {657, 90}, {661, 59},
	{730, 99}, {740, 97}, {746, 64}, {751, 365}, {779, 47}, {787, 44},
	{791, 98}, {813, 59}, {851, 221}, {860, 64}
};
#define NMUNICIPALITIES ((int) (sizeof(municipalities) / sizeof(municipalities[0])))

int
regsim_nmunicipalities(void)
{
	return NMUNICIPALITIES;
}

int
regsim_municipality_code(int i)
{
	return municipalities[i].code;
}

const char *
regsim_permit_name(RegSimPermit p)
{
	switch (p)
	{
		case REGSIM_REFUGEE:
			return "refugee";
		case REGSIM_FAMILY_REUNIFIED:
			return "family_reunified_refugee";
		case REGSIM_OTHER_PERMIT:
			return "other";
	}
	return "other";
}

const char *
regsim_origin_name(RegSimOrigin o)
{
	return o == REGSIM_WESTERN ? "vestlig" : "ikke-vestlig";
}

double
regsim_exp(double x)
{
	/* (1 + x / 2^16)^(2^16) by 16 squarings: within 0.03 % of e^x for |x| <= 4 */
	double		y;
	int			i;

	if (x <= -65536.0)
		return 0.0;
	if (x > 700.0)
		x = 700.0;
	y = 1.0 + x / 65536.0;
	for (i = 0; i < 16; i++)
		y *= y;
	return y;
}

double
regsim_squash(double x)
{
	/* the logistic function, with the portable exponential above */
	return 1.0 / (1.0 + regsim_exp(-x));
}

static inline double
clamp01(double x)
{
	return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

double
regsim_calendar_effect(int32_t monday, int iso_week)
{
	int			dist = iso_week - 28;
	double		g;
	double		years;

	/* seasonal triangle: +0.03 in mid-July, -0.03 around New Year */
	if (dist < 0)
		dist = -dist;
	if (dist > 26)
		dist = 52 - dist;
	if (dist < 0)
		dist = 0;
	g = 0.03 * (1.0 - (double) dist / 13.0);
	if (iso_week >= 52 || iso_week == 1)
		g -= 0.02;				/* Christmas and New Year */

	/* COVID-19 shutdown and recovery */
	if (monday >= isoweek_days_from_civil(2020, 3, 16) &&
		monday < isoweek_days_from_civil(2020, 6, 29))
		g -= 0.06;
	else if (monday >= isoweek_days_from_civil(2020, 6, 29) &&
			 monday < isoweek_days_from_civil(2021, 1, 4))
		g -= 0.03;
	else if (monday >= isoweek_days_from_civil(2021, 1, 4) &&
			 monday < isoweek_days_from_civil(2021, 5, 31))
		g -= 0.02;

	/* slowly improving labour market, +1 point a year around 2019 */
	years = (double) (monday - isoweek_days_from_civil(2019, 1, 7)) / 365.2425;
	if (years < -4.0)
		years = -4.0;
	if (years > 4.0)
		years = 4.0;
	g += 0.01 * years;
	return g;
}

static double
irwin_hall_normal(SiRng *r)
{
	/* sum of four uniforms, standardised: mean 0, variance 1, |z| < 3.47 */
	double		s = si_rng_uniform(r) + si_rng_uniform(r) + si_rng_uniform(r) + si_rng_uniform(r);

	return (s - 2.0) * 1.7320508075688772;
}

/*
 * Selection on observables (docs/methods.md, *Synthetic register*): the
 * index is linear in the person columns an analyst has (permit type, sex,
 * age, education level, origin) and never reads the latent employability;
 * the self-support trend differs by education, so the mentored (less
 * educated) have other trends than the unadjusted controls.
 */
static void
observable_selection(RegSimPerson *out)
{
	double		s = 0.0;

	if (out->permit == REGSIM_REFUGEE)
		s += OBS_REFUGEE;
	else if (out->permit == REGSIM_FAMILY_REUNIFIED)
		s += OBS_FAMILY;
	else
		s += OBS_OTHER;
	if (out->sex == 'F')
		s += OBS_FEMALE;
	s += OBS_AGE * (out->age0 - 35.0);
	s += OBS_EDUCATION * out->education_level;
	if (out->origin == REGSIM_WESTERN)
		s += OBS_WESTERN;
	out->selection_score = s;
	out->trend = OBS_TREND_EDUCATION * (out->education_level - 1.0);
}

void
regsim_background(const RegSimParams *p, int64_t person_id, RegSimPerson *out)
{
	SiRng		r;
	double		u,
				a,
				s,
				z,
				age_days;
	int			i,
				total,
				pick,
				smin;
	bool		male;
	static const double edu_refugee[4] = {0.30, 0.35, 0.22, 0.13};
	static const double edu_other[4] = {0.10, 0.20, 0.35, 0.35};
	const double *edu;

	si_rng_stream(&r, p->seed, (uint64_t) person_id, STREAM_BACKGROUND);
	out->person_id = person_id;

	u = si_rng_uniform(&r);
	out->permit = u < 0.45 ? REGSIM_REFUGEE : (u < 0.70 ? REGSIM_FAMILY_REUNIFIED : REGSIM_OTHER_PERMIT);

	u = si_rng_uniform(&r);
	male = u < (out->permit == REGSIM_REFUGEE ? 0.62 : (out->permit == REGSIM_FAMILY_REUNIFIED ? 0.30 : 0.50));
	out->sex = male ? 'M' : 'F';

	u = si_rng_uniform(&r);
	if (out->permit == REGSIM_OTHER_PERMIT)
		out->origin = u < 0.55 ? REGSIM_NON_WESTERN : REGSIM_WESTERN;
	else
		out->origin = u < 0.97 ? REGSIM_NON_WESTERN : REGSIM_WESTERN;

	/* age at first_week: 18..65, skewed young (mean about 34) */
	u = si_rng_uniform(&r);
	out->age0 = 18.0 + 47.0 * u * (0.35 + 0.65 * si_rng_uniform(&r));
	age_days = out->age0 * 365.2425;
	out->birth_date = p->first_week - (int32_t) age_days;

	edu = out->permit == REGSIM_OTHER_PERMIT ? edu_other : edu_refugee;
	u = si_rng_uniform(&r);
	out->education_level = 3;
	for (i = 0; i < 3; i++)
	{
		if (u < edu[i])
		{
			out->education_level = i;
			break;
		}
		u -= edu[i];
	}

	/* arrival: spread over 7 years before and most of the window */
	out->arrival = -364 + (int) si_rng_below(&r, (uint64_t) (364 + p->weeks - 12 > 1 ? 364 + p->weeks - 12 : 1));

	total = 0;
	for (i = 0; i < NMUNICIPALITIES; i++)
		total += municipalities[i].weight;
	pick = (int) si_rng_below(&r, (uint64_t) total);
	for (i = 0; i < NMUNICIPALITIES - 1; i++)
	{
		if (pick < municipalities[i].weight)
			break;
		pick -= municipalities[i].weight;
	}
	out->municipality = municipalities[i].code;

	/* latent employability: persistent, correlated with the observables */
	z = irwin_hall_normal(&r);
	a = 0.27 + 0.09 * z + 0.045 * (out->education_level - 1.0);
	switch (out->permit)
	{
		case REGSIM_REFUGEE:
			a += male ? 0.07 : -0.05;
			break;
		case REGSIM_FAMILY_REUNIFIED:
			a += male ? 0.03 : -0.07;
			break;
		case REGSIM_OTHER_PERMIT:
			a += male ? 0.13 : 0.09;
			break;
	}
	if (out->origin == REGSIM_WESTERN)
		a += 0.05;
	if (out->age0 > 45.0)
		a -= 0.006 * (out->age0 - 45.0);
	if (a < 0.02)
		a = 0.02;
	if (a > 0.72)
		a = 0.72;
	out->employability = a;

	out->trend = 0.0;
	if (p->selection == REGSIM_SELECT_OBSERVABLES)
		observable_selection(out);
	else
	{
		/* mentors go to the harder cases: low employability, refugees, ... */
		s = 12.0 * (0.28 - a);
		if (out->permit == REGSIM_REFUGEE)
			s += 0.5;
		else if (out->permit == REGSIM_FAMILY_REUNIFIED)
			s += 0.2;
		else
			s -= 1.0;
		if (out->education_level <= 1)
			s += 0.3;
		if (out->age0 < 30.0)
			s += 0.3;
		out->selection_score = s;
	}

	smin = out->arrival + REGSIM_ELIGIBLE_AFTER;
	if (smin < p->start_lo)
		smin = p->start_lo;
	/* OBSERVABLES: everybody starts in week start_lo */
	out->eligible = out->age0 <= 58.0 &&
		smin <= (p->selection == REGSIM_SELECT_OBSERVABLES ? p->start_lo : p->start_hi);

	out->mentored = false;
	out->start = -1;
	out->cost_ore = 0;
	out->censor_week = p->weeks;
	out->censor_code = 0;
	out->truth_weeks = 0;
	out->truth_self_treated = 0;
	out->truth_self_untreated = 0;
}

static void simulate_censoring(const RegSimParams *p, RegSimPerson *out);
static int	choose_start(const RegSimParams *p, const RegSimPerson *out, SiRng *r);

static double
selection_share(const double *score, const bool *elig, int n, double alpha)
{
	double		sum = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		if (elig[i])
			sum += regsim_squash(alpha + score[i]);
	return sum / n;
}

const char *
regsim_selection_name(RegSimSelection s)
{
	return s == REGSIM_SELECT_OBSERVABLES ? "observables" : "traits";
}

bool
regsim_selection_parse(const char *name, RegSimSelection *out)
{
	if (strcmp(name, "traits") == 0)
		*out = REGSIM_SELECT_TRAITS;
	else if (strcmp(name, "observables") == 0)
		*out = REGSIM_SELECT_OBSERVABLES;
	else
		return false;
	return true;
}

void
regsim_init(RegSimParams *p, uint64_t seed, int32_t first_week, int weeks,
			double effect, double mentored_share, double *calendar, int8_t *isoweek)
{
	regsim_init_selection(p, seed, first_week, weeks, effect, mentored_share,
						  REGSIM_SELECT_TRAITS, calendar, isoweek);
}

void
regsim_init_selection(RegSimParams *p, uint64_t seed, int32_t first_week, int weeks,
					  double effect, double mentored_share, RegSimSelection selection,
					  double *calendar, int8_t *isoweek)
{
	int			t,
				k,
				i;
	RegSimParams cal;
	RegSimPerson bg;
	double		score[CALIBRATION_PERSONS];
	bool		elig[CALIBRATION_PERSONS];
	double		lo,
				hi;

	p->seed = seed;
	p->first_week = first_week;
	p->weeks = weeks;
	p->effect = effect;
	p->mentored_share = mentored_share;
	p->selection = selection;
	p->calendar = calendar;
	p->isoweek = isoweek;

	for (t = -REGSIM_BURN_IN; t < weeks; t++)
	{
		int32_t		monday = first_week + 7 * t;
		int			iy,
					iw;

		isoweek_of_day(monday, &iy, &iw);
		isoweek[t + REGSIM_BURN_IN] = (int8_t) iw;
		calendar[t + REGSIM_BURN_IN] = regsim_calendar_effect(monday, iw);
	}

	/* mentor starts leave a full 52-week pre and post window if possible */
	p->start_lo = REGSIM_WINDOW;
	p->start_hi = weeks - REGSIM_WINDOW - 1;
	if (p->start_hi < p->start_lo)
	{
		p->start_lo = 0;
		p->start_hi = weeks - 1;
	}
	p->ncohorts = 0;
	for (k = 0; k < REGSIM_MAX_COHORTS; k++)
	{
		int			c = p->start_lo + 13 * k;

		if (c > p->start_hi)
			break;
		p->cohort[p->ncohorts++] = c;
	}

	/*
	 * Calibrate the selection intercept on a fixed sample of backgrounds
	 * (independent of the seed and of the number of persons), so that the
	 * expected share of mentored persons is mentored_share, or as close as
	 * the eligibility rules allow.
	 */
	p->nobody = mentored_share <= 0.0;
	p->alpha = 0.0;
	if (p->nobody)
		return;
	cal = *p;
	cal.seed = CALIBRATION_SEED;
	for (i = 0; i < CALIBRATION_PERSONS; i++)
	{
		SiRng		r;

		regsim_background(&cal, i + 1, &bg);
		score[i] = bg.selection_score;
		elig[i] = bg.eligible;
		if (!bg.eligible)
			continue;
		/* persons censored by the start week they would get drop out */
		simulate_censoring(&cal, &bg);
		si_rng_stream(&r, cal.seed, (uint64_t) bg.person_id, STREAM_MENTOR);
		(void) si_rng_uniform(&r);	/* the selection draw */
		elig[i] = bg.censor_week > choose_start(&cal, &bg, &r);
	}
	lo = -60.0;
	hi = 60.0;
	if (selection_share(score, elig, CALIBRATION_PERSONS, hi) <= mentored_share)
	{
		p->alpha = hi;
		return;
	}
	for (k = 0; k < 80; k++)
	{
		double		mid = 0.5 * (lo + hi);

		if (selection_share(score, elig, CALIBRATION_PERSONS, mid) < mentored_share)
			lo = mid;
		else
			hi = mid;
	}
	p->alpha = 0.5 * (lo + hi);
}

/* 67th birthday (29 February -> 1 March) */
static int32_t
birthday67(int32_t birth)
{
	int			y,
				m,
				d;

	isoweek_civil_from_days(birth, &y, &m, &d);
	if (m == 2 && d == 29)
	{
		m = 3;
		d = 1;
	}
	return isoweek_days_from_civil(y + 67, m, d);
}

static int
floor_div7(int32_t x)
{
	return x >= 0 ? x / 7 : -((-x + 6) / 7);
}

/*
 * The mentor stream: one uniform decides selection, the following ones
 * the start week and the cost, so the start week a person would get does
 * not depend on alpha (used by the calibration).
 */
static int
choose_start(const RegSimParams *p, const RegSimPerson *out, SiRng *r)
{
	int			smin,
				k,
				n;

	if (p->selection == REGSIM_SELECT_OBSERVABLES)
		return p->start_lo;
	smin = out->arrival + REGSIM_ELIGIBLE_AFTER;
	if (smin < p->start_lo)
		smin = p->start_lo;
	n = 0;
	for (k = 0; k < p->ncohorts; k++)
		if (p->cohort[k] >= smin)
			n++;
	if (n > 0 && si_rng_uniform(r) < 0.7)
		return p->cohort[p->ncohorts - n + (int) si_rng_below(r, (uint64_t) n)];
	return smin + (int) si_rng_below(r, (uint64_t) (p->start_hi - smin + 1));
}

static void
simulate_mentoring(const RegSimParams *p, RegSimPerson *out)
{
	SiRng		r;
	double		hours;

	si_rng_stream(&r, p->seed, (uint64_t) out->person_id, STREAM_MENTOR);
	if (p->nobody || !out->eligible)
		return;
	if (!(si_rng_uniform(&r) < regsim_squash(p->alpha + out->selection_score)))
		return;
	out->start = choose_start(p, out, &r);
	out->mentored = true;
	/* 1.5 to 4 mentor hours a week for 52 weeks at 325 kr. an hour */
	hours = 1.5 + 2.5 * si_rng_uniform(&r);
	out->cost_ore = (int64_t) (52.0 * hours * 325.0 * 100.0 + 0.5);
}

static void
simulate_censoring(const RegSimParams *p, RegSimPerson *out)
{
	SiRng		r;
	int			t,
				pension;
	double		h_emig = out->permit == REGSIM_OTHER_PERMIT ? 0.0015 : 0.0003;

	si_rng_stream(&r, p->seed, (uint64_t) out->person_id, STREAM_CENSOR);
	pension = floor_div7(birthday67(out->birth_date) - p->first_week);
	for (t = 0; t < p->weeks; t++)
	{
		double		u = si_rng_uniform(&r);
		double		age = out->age0 + t / WEEKS_PER_YEAR;
		double		h_death = age < 50.0 ? 0.00002 : (age < 60.0 ? 0.00008 : 0.0002);

		if (t >= pension)
		{
			out->censor_week = t;
			out->censor_code = REGSIM_CODE_PENSION;
			return;
		}
		if (t < out->arrival)
			continue;			/* not yet in the country */
		if (u < h_emig)
		{
			out->censor_week = t;
			out->censor_code = REGSIM_CODE_EMIGRATED;
			return;
		}
		if (u < h_emig + h_death)
		{
			out->censor_week = t;
			out->censor_code = REGSIM_CODE_DEAD;
			return;
		}
	}
}

/* benefit types of the weekly chain */
enum
{
	B_NONE, B_KH, B_DAGPENGE, B_ACTIVATION, B_SICK, B_SU, B_HEALTH, B_BARSEL
};

typedef struct BenefitChain
{
	int			cur;
	int			base;			/* B_KH or B_DAGPENGE: where temporary types return */
	int			left;			/* weeks left of a temporary type */
	int			dagpenge_weeks;
	int			activation_code;
} BenefitChain;

static void
enter_benefit(BenefitChain *c, SiRng *r, const RegSimPerson *pr, int employed_weeks,
			  bool intro, double age)
{
	double		u;

	c->base = B_KH;
	c->cur = B_KH;
	if (intro || employed_weeks == 0)
		return;
	u = si_rng_uniform(r);
	if (employed_weeks >= 52 && u < 0.45)
	{
		/* insured: unemployment insurance for up to two years */
		c->base = c->cur = B_DAGPENGE;
		c->dagpenge_weeks = 0;
		return;
	}
	u = si_rng_uniform(r);
	if (u < 0.10)
	{
		c->cur = B_SICK;
		c->left = 1 + (int) si_rng_below(r, 12);
	}
	else if (pr->sex == 'F' && age >= 20.0 && age <= 42.0 && u < 0.16)
	{
		c->cur = B_BARSEL;
		c->left = 26 + (int) si_rng_below(r, 20);
	}
}

static void
continue_benefit(BenefitChain *c, SiRng *r, bool intro, double age, int iso_week)
{
	double		u,
				h_act,
				h_sick,
				h_su,
				h_health,
				season;

	if (c->cur != B_KH && c->cur != B_DAGPENGE)
	{
		if (--c->left <= 0)
			c->cur = c->base;
		return;
	}
	if (c->cur == B_DAGPENGE && ++c->dagpenge_weeks >= 104)
		c->cur = c->base = B_KH;	/* benefit period exhausted */

	/* fewer activation starts in the summer holidays and at Christmas */
	season = ((iso_week >= 27 && iso_week <= 31) || iso_week >= 51 || iso_week == 1) ? 0.3 : 1.0;
	h_act = season * (intro ? 0.08 : (c->cur == B_KH ? 0.035 : 0.02));
	h_sick = 0.004;
	h_su = (intro || age >= 30.0) ? 0.0 : ((iso_week >= 31 && iso_week <= 35) ? 0.03 : 0.0005);
	h_health = intro ? 0.0 : (age > 35.0 ? 0.003 : 0.0012);

	u = si_rng_uniform(r);
	if (u < h_act)
	{
		double		v = si_rng_uniform(r);

		c->cur = B_ACTIVATION;
		c->left = 4 + (int) si_rng_below(r, 22);
		c->activation_code = v < 0.4 ? 211 : (v < 0.7 ? 231 : 261);
	}
	else if (u < h_act + h_sick)
	{
		c->cur = B_SICK;
		c->left = 1 + (int) si_rng_below(r, 12);
	}
	else if (u < h_act + h_sick + h_su)
	{
		c->cur = B_SU;
		c->left = 40 + (int) si_rng_below(r, 120);
	}
	else if (u < h_act + h_sick + h_su + h_health)
	{
		c->cur = B_HEALTH;
		c->left = 13 + (int) si_rng_below(r, 78);
	}
}

double
regsim_propensity(const RegSimParams *p, const RegSimPerson *pr, int t)
{
	if (p->selection == REGSIM_SELECT_OBSERVABLES)
		return clamp01(pr->employability + p->calendar[t + REGSIM_BURN_IN] +
					   DURATION_SLOPE * (double) (t - pr->arrival) / 52.0 +
					   pr->trend * (double) (t - p->start_lo) / 52.0);
	return clamp01(pr->employability + p->calendar[t + REGSIM_BURN_IN] +
				   DURATION_SLOPE * (double) (t - pr->arrival) / 52.0);
}

static int
benefit_code(const BenefitChain *c, const RegSimPerson *pr, int t, double age)
{
	switch (c->cur)
	{
		case B_KH:
			if (pr->permit != REGSIM_OTHER_PERMIT && t - pr->arrival < 260)
				return REGSIM_CODE_INTEGRATION;
			return age < 30.0 ? REGSIM_CODE_KH_YOUNG : REGSIM_CODE_KH;
		case B_DAGPENGE:
			return REGSIM_CODE_DAGPENGE;
		case B_ACTIVATION:
			return c->activation_code;
		case B_SICK:
			return REGSIM_CODE_SICK;
		case B_SU:
			return REGSIM_CODE_SU;
		case B_HEALTH:
			return REGSIM_CODE_HEALTH;
		case B_BARSEL:
			return REGSIM_CODE_BARSEL;
	}
	return REGSIM_CODE_KH;
}

bool
regsim_observation(const RegSimParams *p, int64_t person_id, int *from, int *to, int *end_code)
{
	RegSimPerson pr;

	/* censoring draws from its own stream and reads the background only */
	regsim_background(p, person_id, &pr);
	simulate_censoring(p, &pr);
	*from = pr.arrival > 0 ? pr.arrival : 0;
	*to = pr.censor_week - 1;	/* censor_week is p->weeks without censoring */
	*end_code = pr.censor_week < p->weeks ? pr.censor_code : 0;
	return *to >= *from;
}

void
regsim_status(const RegSimParams *p, int64_t person_id, RegSimPerson *out)
{
	regsim_background(p, person_id, out);
	simulate_mentoring(p, out);
	simulate_censoring(p, out);
	if (out->mentored && out->censor_week <= out->start)
	{
		/* gone before the mentor could start */
		out->mentored = false;
		out->start = -1;
		out->cost_ore = 0;
	}
}

void
regsim_person(const RegSimParams *p, int64_t person_id, RegSimPerson *out)
{
	SiRng		ru,
				rb;
	BenefitChain chain = {B_NONE, B_KH, 0, 0, 211};
	int			t,
				t0,
				employed = 0;
	double		u = 0.0;
	bool		has_intro;

	regsim_status(p, person_id, out);
	has_intro = out->permit != REGSIM_OTHER_PERMIT;

	si_rng_stream(&ru, p->seed, (uint64_t) person_id, STREAM_SELF);
	si_rng_stream(&rb, p->seed, (uint64_t) person_id, STREAM_BENEFIT);

	/* not yet in the country: no code (unless already past pension age) */
	for (t = 0; t < p->weeks && t < out->arrival; t++)
		out->codes[t] = t >= out->censor_week ? (int16_t) out->censor_code : 0;

	t0 = out->arrival > -REGSIM_BURN_IN ? out->arrival : -REGSIM_BURN_IN;
	for (t = t0; t < p->weeks; t++)
	{
		double		refresh,
					p0,
					age;
		bool		intro,
					x0,
					x1,
					x;
		int			code;

		if (t >= out->censor_week)
		{
			for (; t < p->weeks; t++)
				out->codes[t] = (int16_t) out->censor_code;
			break;
		}

		/*
		 * Self-support is 1[U_t < p_t] with a persistent uniform U_t (kept
		 * with probability RHO, else redrawn): P(self) = p_t exactly, and
		 * the treated and untreated paths share U_t.
		 */
		refresh = si_rng_uniform(&ru);
		if (t == t0 || refresh >= RHO)
			u = si_rng_uniform(&ru);
		intro = has_intro && t < out->arrival + REGSIM_INTRO_WEEKS;
		p0 = regsim_propensity(p, out, t);
		x0 = !intro && u < p0;
		x1 = x0;
		if (out->mentored && t >= out->start)
			x1 = !intro && u < clamp01(p0 + p->effect);
		if (out->mentored && t > out->start && t <= out->start + REGSIM_WINDOW && t >= 0)
		{
			out->truth_weeks++;
			out->truth_self_treated += x1;
			out->truth_self_untreated += x0;
		}
		x = out->mentored ? x1 : x0;

		age = out->age0 + t / WEEKS_PER_YEAR;
		if (x)
		{
			employed++;
			chain.cur = B_NONE;
			code = 0;
		}
		else
		{
			if (chain.cur == B_NONE)
				enter_benefit(&chain, &rb, out, employed, intro, age);
			else
				continue_benefit(&chain, &rb, intro, age, p->isoweek[t + REGSIM_BURN_IN]);
			employed = 0;
			code = benefit_code(&chain, out, t, age);
		}
		if (t >= 0)
			out->codes[t] = (int16_t) code;
	}
}


/*
 * Monitoring data: courses, mentors and progression scores. Each draws
 * from its own streams (STREAM_COURSE, STREAM_PROGRESSION, and
 * STREAM_PROGRAMME keyed by the municipality), so adding them changed
 * nothing above.
 */

/* comparison persons: share of eligible non-mentored persons with a course */
#define CONTROL_FACTOR 2.0
#define CONTROL_MAX 0.9
#define CONTROL_NOBODY 0.25		/* when nobody is mentored */
#define JOB_AMBASSADOR_MUNICIPALITIES 0.4
#define JOB_AMBASSADOR_SHARE 0.4	/* of courses where the programme runs */
#define EARLY_MENTORED 0.15
#define EARLY_CONTROL 0.25
#define MOVED 0.04
#define SECOND_COURSE 0.3

const char *
regsim_end_reason_name(RegSimEndReason r)
{
	switch (r)
	{
		case REGSIM_RUNNING:
			return NULL;
		case REGSIM_COMPLETED:
			return "completed";
		case REGSIM_ENDED_EARLY:
			return "ended_early";
		case REGSIM_MOVED:
			return "moved";
		case REGSIM_EMIGRATED:
			return "emigrated";
		case REGSIM_DEAD:
			return "dead";
		case REGSIM_OTHER_END:
			return "other";
	}
	return "other";
}

bool
regsim_has_job_ambassador(const RegSimParams *p, int municipality)
{
	SiRng		r;

	si_rng_stream(&r, p->seed, (uint64_t) municipality, STREAM_PROGRAMME);
	return si_rng_uniform(&r) < JOB_AMBASSADOR_MUNICIPALITIES;
}

/*
 * A mentor takes the mentored citizens of a municipality whose person ids
 * fall in one block of ids; the block length makes the expected number of
 * mentored persons per block REGSIM_MENTOR_CASELOAD (persons are drawn
 * into municipalities by weight), so a person's mentor does not depend on
 * the size of the register.
 */
static int64_t
mentor_id(const RegSimParams *p, const RegSimPerson *pr)
{
	int			i,
				total = 0,
				weight = 1;
	double		block;
	uint64_t	b;

	for (i = 0; i < NMUNICIPALITIES; i++)
	{
		total += municipalities[i].weight;
		if (municipalities[i].code == pr->municipality)
			weight = municipalities[i].weight;
	}
	block = REGSIM_MENTOR_CASELOAD * total / (weight * (p->mentored_share > 0.0 ? p->mentored_share : 1.0));
	if (block < 1.0)
		block = 1.0;
	b = (uint64_t) (pr->person_id - 1) / (uint64_t) (block + 0.5);
	/* mentor ids: block number * 1000 + municipality code (wraps, never overflows) */
	return (int64_t) ((b % UINT64_C(9000000000000000)) * 1000 + (uint64_t) pr->municipality);
}

/*
 * The end of a course that started in week c->start: a planned length of
 * 39..78 weeks, ended early or moved away before that, or the end of the
 * observation period (emigration, death, folkepension) first; running
 * when the end lies after the last week of the data.
 */
static void
course_end(const RegSimParams *p, const RegSimPerson *pr, SiRng *r, RegSimCourse *c, double p_early)
{
	int			planned = 39 + (int) si_rng_below(r, 40);
	double		u = si_rng_uniform(r);
	int			k = 1 + (int) si_rng_below(r, (uint64_t) (planned - 2));

	c->last = c->start + planned - 1;
	c->end_reason = REGSIM_COMPLETED;
	if (u < p_early)
	{
		c->last = c->start + k;
		c->end_reason = REGSIM_ENDED_EARLY;
	}
	else if (u < p_early + MOVED)
	{
		c->last = c->start + k;
		c->end_reason = REGSIM_MOVED;
	}
	if (pr->censor_week < p->weeks && pr->censor_week <= c->last)
	{
		/* the observation period ends during the course (censor_week > start) */
		c->last = pr->censor_week - 1;
		c->end_reason = pr->censor_code == REGSIM_CODE_EMIGRATED ? REGSIM_EMIGRATED :
			(pr->censor_code == REGSIM_CODE_DEAD ? REGSIM_DEAD : REGSIM_OTHER_END);
	}
	else if (c->last >= p->weeks)
		c->end_reason = REGSIM_RUNNING;
}

void
regsim_courses(const RegSimParams *p, const RegSimPerson *pr, RegSimCourses *out)
{
	SiRng		r;
	bool		ja = regsim_has_job_ambassador(p, pr->municipality);
	RegSimCourse *c = &out->course[0];
	double		u_control,
				u_programme;

	memset(out, 0, sizeof(*out));
	si_rng_stream(&r, p->seed, (uint64_t) pr->person_id, STREAM_COURSE);
	u_control = si_rng_uniform(&r);
	u_programme = si_rng_uniform(&r);

	if (pr->mentored)
	{
		c->start = pr->start;
		c->with_mentor = true;
		out->mentor_id = mentor_id(p, pr);
	}
	else
	{
		double		share;

		if (!pr->eligible)
			return;
		if (p->nobody)
			share = CONTROL_NOBODY;
		else
		{
			share = CONTROL_FACTOR * regsim_squash(p->alpha + pr->selection_score);
			if (share > CONTROL_MAX)
				share = CONTROL_MAX;
		}
		if (!(u_control < share))
			return;
		/* a start drawn as the mentor starts are */
		c->start = choose_start(p, pr, &r);
		if (c->start >= pr->censor_week)
			return;
		c->with_mentor = false;
	}
	c->job_ambassador = ja && u_programme < JOB_AMBASSADOR_SHARE;
	c->course_id = pr->person_id * REGSIM_COURSE_ID_FACTOR + 1;
	course_end(p, pr, &r, c, pr->mentored ? EARLY_MENTORED : EARLY_CONTROL);
	out->ncourses = 1;

	/* some of the comparison group take a second course later */
	if (!pr->mentored &&
		(c->end_reason == REGSIM_COMPLETED || c->end_reason == REGSIM_ENDED_EARLY) &&
		si_rng_uniform(&r) < SECOND_COURSE)
	{
		RegSimCourse *c2 = &out->course[1];

		c2->start = c->last + 5 + (int) si_rng_below(&r, 23);
		if (c2->start < p->weeks && c2->start < pr->censor_week)
		{
			c2->with_mentor = false;
			c2->job_ambassador = ja ? !c->job_ambassador : false;
			c2->course_id = pr->person_id * REGSIM_COURSE_ID_FACTOR + 2;
			course_end(p, pr, &r, c2, EARLY_CONTROL);
			out->ncourses = 2;
		}
	}
}

/* item means relative to the person's level (Danish language lowest, ...) */
static const double item_offset[REGSIM_ITEMS] = {
	-0.6, 0.4, 0.8, -0.3, -0.5, -0.2, 0.0, -0.4, 0.6, 0.7, 0.2, 0.5, -0.1
};

void
regsim_scores(const RegSimParams *p, const RegSimPerson *pr, const RegSimCourses *c,
			  RegSimScores *out)
{
	SiRng		r;
	double		level,
				trend,
				item[REGSIM_ITEMS];
	int			j,
				k,
				last;

	memset(out, 0, sizeof(*out));
	if (c->ncourses == 0)
		return;
	si_rng_stream(&r, p->seed, (uint64_t) pr->person_id, STREAM_PROGRESSION);
	/* the person's level, and persistent person-by-item deviations */
	level = 2.5 + 5.0 * pr->employability + 0.6 * irwin_hall_normal(&r);
	for (j = 0; j < REGSIM_ITEMS; j++)
		item[j] = level + item_offset[j] + 0.7 * irwin_hall_normal(&r);
	trend = REGSIM_PROGRESSION_TREND + (c->course[0].with_mentor ? REGSIM_PROGRESSION_EFFECT : 0.0);

	/* measured while the first course runs and the data last */
	last = c->course[0].end_reason == REGSIM_RUNNING ? p->weeks - 1 : c->course[0].last;
	for (k = 0; k < REGSIM_MAX_MEASUREMENTS; k++)
	{
		int			week = c->course[0].start,
					day = 0;

		if (k > 0)
		{
			week += REGSIM_MEASURE_EVERY * k - 1 + (int) si_rng_below(&r, 3);
			day = (int) si_rng_below(&r, 5);
		}
		if (week > last)
			break;
		out->day[k] = p->first_week + 7 * week + day;
		for (j = 0; j < REGSIM_ITEMS; j++)
		{
			double		x = item[j] + trend * k + 0.6 * irwin_hall_normal(&r);
			int			s = x < 1.0 ? 1 : (x >= 10.0 ? 10 : (int) (x + 0.5));

			out->score[k][j] = (int8_t) s;
		}
		out->nmeasurements = k + 1;
	}
}
