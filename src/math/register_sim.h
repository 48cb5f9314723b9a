/*
 * register_sim.h — the synthetic register model, free of PostgreSQL.
 *
 * A person is a pure function of (seed, person_id, parameters): every
 * random number comes from streams keyed by (seed, person_id, purpose)
 * (rng.h), so person 17 is the same person in registers of any size and
 * whatever order rows are produced in. See docs/methods.md, section
 * "generator", for the model and what the planted effect means.
 *
 * Days are PostgreSQL DateADT day numbers (day 0 = 2000-01-01), weeks are
 * indexed 0 .. weeks-1 from first_week (a Monday).
 */
#ifndef SI_REGISTER_SIM_H
#define SI_REGISTER_SIM_H

#include <stdbool.h>
#include <stdint.h>

#define REGSIM_VERSION 1

#define REGSIM_MAX_WEEKS 2609	/* 50 years */
#define REGSIM_BURN_IN 104		/* weeks simulated before first_week */
#define REGSIM_MAX_COHORTS 6
#define REGSIM_INTRO_WEEKS 26	/* introduction programme after arrival */
#define REGSIM_ELIGIBLE_AFTER 78	/* mentor start >= arrival + this */
#define REGSIM_WINDOW 52		/* pre/post window length of the truth */

/* benefit codes the model uses (all in the shipped code map) */
#define REGSIM_CODE_DAGPENGE 111
#define REGSIM_CODE_KH 130
#define REGSIM_CODE_INTEGRATION 133
#define REGSIM_CODE_KH_YOUNG 135
#define REGSIM_CODE_SU 651
#define REGSIM_CODE_HEALTH 760
#define REGSIM_CODE_BARSEL 881
#define REGSIM_CODE_SICK 890
#define REGSIM_CODE_EMIGRATED 997
#define REGSIM_CODE_DEAD 998
#define REGSIM_CODE_PENSION 999

typedef enum RegSimPermit
{
	REGSIM_REFUGEE = 0,
	REGSIM_FAMILY_REUNIFIED = 1,
	REGSIM_OTHER_PERMIT = 2
} RegSimPermit;

typedef enum RegSimOrigin
{
	REGSIM_NON_WESTERN = 0,
	REGSIM_WESTERN = 1
} RegSimOrigin;

/*
 * How mentors are chosen (docs/methods.md, *Synthetic register*):
 * TRAITS (the default) on persistent traits including the latent
 * employability, from quarterly cohort weeks; OBSERVABLES on the person
 * columns only (permit, sex, age, education, origin), all at one start
 * week, with self-support trends that differ by education.
 */
typedef enum RegSimSelection
{
	REGSIM_SELECT_TRAITS = 0,
	REGSIM_SELECT_OBSERVABLES = 1
} RegSimSelection;

typedef struct RegSimParams
{
	uint64_t	seed;
	int32_t		first_week;		/* Monday, DateADT */
	int			weeks;
	double		effect;			/* on the weekly self-support propensity */
	double		mentored_share; /* target share of all persons */
	RegSimSelection selection;
	/* derived by regsim_init */
	double		alpha;			/* calibrated intercept of mentor selection */
	bool		nobody;			/* mentored_share == 0 */
	int			start_lo;		/* mentor start weeks lie in [start_lo, start_hi] */
	int			start_hi;
	int			ncohorts;
	int			cohort[REGSIM_MAX_COHORTS];
	double	   *calendar;		/* g(t) for t = -REGSIM_BURN_IN .. weeks-1 */
	int8_t	   *isoweek;		/* ISO week number of each of those weeks */
} RegSimParams;

typedef struct RegSimPerson
{
	int64_t		person_id;
	int			municipality;
	char		sex;			/* 'M' or 'F' */
	int32_t		birth_date;		/* DateADT */
	RegSimOrigin origin;
	RegSimPermit permit;
	int			arrival;		/* week index of arrival (may be < 0) */
	int			education_level;	/* 0 none/unknown, 1 basic, 2 upper
									 * secondary/vocational, 3 tertiary */
	double		age0;			/* age in years at first_week */
	double		employability;	/* latent a_i of the propensity */
	double		selection_score;	/* mentor selection index (without alpha) */
	double		trend;			/* OBSERVABLES: added to p_it per year from
								 * start_lo; 0 otherwise */
	bool		eligible;
	bool		mentored;
	int			start;			/* mentor start week index, -1 if none */
	int64_t		cost_ore;		/* mentoring cost in 1/100 DKK */
	int			censor_week;	/* first censored week index, or weeks */
	int			censor_code;	/* 997/998/999, or 0 */
	/* the planted truth over [start+1, start+52] (mentored only) */
	int			truth_weeks;	/* uncensored weeks in the window */
	int			truth_self_treated;
	int			truth_self_untreated;
	int16_t    *codes;			/* weeks entries; 0 = no benefit code */
} RegSimPerson;

/*
 * Monitoring data (courses, mentors, progression scores): drawn from
 * streams of their own, so they never change the persons, benefit weeks
 * or mentoring above. See docs/methods.md, section "generator".
 */
#define REGSIM_MAX_COURSES 2
#define REGSIM_ITEMS 13
#define REGSIM_MAX_MEASUREMENTS 5
#define REGSIM_MEASURE_EVERY 13		/* weeks between progression measurements */
#define REGSIM_MENTOR_CASELOAD 5.5	/* expected citizens per mentor */
/* planted progression: change of every item's mean score per measurement */
#define REGSIM_PROGRESSION_TREND 0.15	/* everybody */
#define REGSIM_PROGRESSION_EFFECT 0.30	/* in addition, mentored persons */
/* course_id = person_id * REGSIM_COURSE_ID_FACTOR + course number */
#define REGSIM_COURSE_ID_FACTOR 10
#define REGSIM_MAX_COURSE_PERSON (INT64_MAX / REGSIM_COURSE_ID_FACTOR - 1)

typedef enum RegSimEndReason
{
	REGSIM_RUNNING = 0,			/* still running at the end of the data */
	REGSIM_COMPLETED,
	REGSIM_ENDED_EARLY,
	REGSIM_MOVED,
	REGSIM_EMIGRATED,
	REGSIM_DEAD,
	REGSIM_OTHER_END			/* folkepension during the course */
} RegSimEndReason;

typedef struct RegSimCourse
{
	int64_t		course_id;
	bool		job_ambassador; /* programme 'job_ambassador', else 'mentor' */
	bool		with_mentor;
	int			start;			/* week index of the first course week */
	int			last;			/* week index of the last course week (not
								 * meaningful while running) */
	RegSimEndReason end_reason;
} RegSimCourse;

typedef struct RegSimCourses
{
	int			ncourses;		/* 0, 1 or 2 */
	int64_t		mentor_id;		/* of the mentored course, else 0 */
	RegSimCourse course[REGSIM_MAX_COURSES];
} RegSimCourses;

typedef struct RegSimScores
{
	int			nmeasurements;	/* 0 .. REGSIM_MAX_MEASUREMENTS */
	int32_t		day[REGSIM_MAX_MEASUREMENTS];	/* DateADT */
	int8_t		score[REGSIM_MAX_MEASUREMENTS][REGSIM_ITEMS];	/* 1 .. 10 */
} RegSimScores;

/* Names for the SQL columns. */
extern const char *regsim_permit_name(RegSimPermit p);
extern const char *regsim_origin_name(RegSimOrigin o);

/*
 * Set up parameters: calendar effects, mentor start window and cohorts,
 * and the selection intercept calibrated to mentored_share. calendar and
 * isoweek must have room for weeks + REGSIM_BURN_IN entries.
 */
extern void regsim_init(RegSimParams *p, uint64_t seed, int32_t first_week, int weeks,
						double effect, double mentored_share,
						double *calendar, int8_t *isoweek);

/* The same with a choice of mentor selection (regsim_init: TRAITS). */
extern void regsim_init_selection(RegSimParams *p, uint64_t seed, int32_t first_week, int weeks,
								  double effect, double mentored_share, RegSimSelection selection,
								  double *calendar, int8_t *isoweek);

/* The selection's name in SQL ('traits', 'observables'); parse: false if unknown. */
extern const char *regsim_selection_name(RegSimSelection s);
extern bool regsim_selection_parse(const char *name, RegSimSelection *out);

/* Background only (cheap): everything up to the selection score. */
extern void regsim_background(const RegSimParams *p, int64_t person_id, RegSimPerson *out);

/*
 * The whole person: background, mentoring, censoring, weekly codes
 * (out->codes must have room for p->weeks entries) and the planted truth.
 */
extern void regsim_person(const RegSimParams *p, int64_t person_id, RegSimPerson *out);

/*
 * The weeks the register observes a person: *from = the arrival week or
 * week 0, *to = the week before the first censoring code (997/998/999) or
 * the last week, *end_code = that censoring code or 0 (end of the data).
 * Exactly the weeks regsim_person gives codes other than censoring codes
 * after arrival. Cheap: background and censoring only. Returns false (and
 * *to < *from) when no week is observed (past pension age, or censored,
 * before arrival or before week 0).
 */
extern bool regsim_observation(const RegSimParams *p, int64_t person_id, int *from, int *to,
							   int *end_code);

/*
 * Background, mentoring and censoring without the weekly codes (cheap);
 * regsim_person gives the same values in these fields.
 */
extern void regsim_status(const RegSimParams *p, int64_t person_id, RegSimPerson *out);

/*
 * The courses of a person whose status regsim_status gave: a mentored
 * person's course starts at the mentor start, in programme 'mentor' or
 * 'job_ambassador', with a mentor shared with other citizens of the
 * municipality; some eligible persons without a mentor take a course
 * without one (the comparison group), some of them a second course after
 * the first. Ends: completed, ended early, moved, or the observation
 * period's end (emigrated, dead, other) during the course; running when
 * the end lies after the data. person_id <= REGSIM_MAX_COURSE_PERSON.
 */
extern void regsim_courses(const RegSimParams *p, const RegSimPerson *pr, RegSimCourses *out);

/*
 * Progression scores (13 items, 1 .. 10) during the first course: at its
 * start and every REGSIM_MEASURE_EVERY weeks (+-1 week, Monday..Friday)
 * while the course runs and the data last, at most 5 measurements.
 */
extern void regsim_scores(const RegSimParams *p, const RegSimPerson *pr,
						  const RegSimCourses *c, RegSimScores *out);

/* Whether a municipality runs a 'job_ambassador' programme (for this seed). */
extern bool regsim_has_job_ambassador(const RegSimParams *p, int municipality);

/* Name of a course end reason, NULL while running. */
extern const char *regsim_end_reason_name(RegSimEndReason r);

/*
 * Untreated weekly propensity of self-support p_it (clamped to [0, 1]) of a
 * person after the introduction programme; week t >= -REGSIM_BURN_IN.
 */
extern double regsim_propensity(const RegSimParams *p, const RegSimPerson *pr, int t);

/* The calendar part g(t) of the propensity for a week (DateADT Monday). */
extern double regsim_calendar_effect(int32_t monday, int iso_week);

/*
 * Mentor selection link: the logistic function 1 / (1 + e^-x), with e^x
 * computed as (1 + x / 2^16)^(2^16) using only * and / (bit-reproducible).
 */
extern double regsim_squash(double x);
extern double regsim_exp(double x);

/* The municipality codes the model draws from (index 0 .. n-1). */
extern int	regsim_nmunicipalities(void);
extern int	regsim_municipality_code(int i);

#endif							/* SI_REGISTER_SIM_H */
