-- Difference-in-differences on the generator's register with a planted
-- effect (effect = 0.10; docs/methods.md, Synthetic register): the DiD of
-- 52-week strict self-sufficiency shares before and after the mentor start
-- recovers the realised truth inside its confidence interval, while the
-- naive post-period comparison does not (mentors go to harder cases).
--
-- Design (as in the generator's own test): a stack per start week s with
-- the persons mentored at s and the never-mentored who arrived at least 78
-- weeks before s; pre = weeks s-52..s-1, post = s+1..s+52. Controls get
-- weight n_T(s)/n_C(s) in stack s, so the weighted DiD equals the average
-- of the per-stack DiDs weighted by the number mentored; controls appear in
-- several stacks, so the standard error clusters by person (CR1).
SET extra_float_digits = 0;
CREATE SCHEMA dsim;
SELECT generate_register('dsim', 5000, 2024, 156, mentored_share => 0.3);
CREATE TEMP TABLE paths AS
SELECT p.person_id, path_cover(w.path, date '2019-01-07', date '2019-01-07' + 155 * 7) AS path
FROM dsim.person p
LEFT JOIN (SELECT person_id, benefit_path(week, code) AS path FROM dsim.benefit_week GROUP BY person_id) w
	USING (person_id);
CREATE TEMP TABLE stacked AS
WITH d AS (
	SELECT a.s, p.person_id, p.mentored,
		selfsufficiency_share(x.path, a.s - 52 * 7, a.s - 7) AS pre,
		selfsufficiency_share(x.path, a.s + 7, a.s + 52 * 7) AS post
	FROM (SELECT DISTINCT mentor_start AS s FROM dsim.person WHERE mentored) a
	JOIN dsim.person p ON p.mentor_start = a.s OR (NOT p.mentored AND p.arrival_week <= a.s - 78 * 7)
	JOIN paths x ON x.person_id = p.person_id),
c AS (SELECT d.*, count(*) FILTER (WHERE mentored AND pre IS NOT NULL AND post IS NOT NULL) OVER (PARTITION BY s) AS n_t,
		count(*) FILTER (WHERE NOT mentored AND pre IS NOT NULL AND post IS NOT NULL) OVER (PARTITION BY s) AS n_c
	FROM d)
SELECT s, person_id, mentored, pre, post, n_t, n_c,
	CASE WHEN mentored THEN 1.0 ELSE n_t::float8 / n_c END AS w
FROM c WHERE n_t > 0 AND n_c > 0;

-- the same number computed the plain way: per-stack DiD, averaged by n_T
CREATE TEMP TABLE by_hand AS
WITH by_start AS (
	SELECT s, max(n_t) AS n_t,
		avg(post - pre) FILTER (WHERE mentored) - avg(post - pre) FILTER (WHERE NOT mentored) AS did,
		avg(post) FILTER (WHERE mentored) - avg(post) FILTER (WHERE NOT mentored) AS naive
	FROM stacked WHERE pre IS NOT NULL AND post IS NOT NULL GROUP BY s)
SELECT sum(n_t * did) / sum(n_t) AS did, sum(n_t * naive) / sum(n_t) AS naive FROM by_start;

CREATE TEMP TABLE est AS
SELECT did_weighted_state(pre, post, mentored, w, person_id) AS s_did,
	-- naive: post-period difference only (pre set to 0)
	did_weighted_state(CASE WHEN pre IS NULL THEN NULL ELSE 0.0 END, post, mentored, w, person_id) AS s_naive
FROM stacked;
SELECT r.variance,
	r.n_treated > 1200 AS enough_mentored,
	abs(r.estimate - h.did) < 1e-12 AS equals_stacked_average,
	abs(n.estimate - h.naive) < 1e-12 AS naive_equals_stacked_average,
	r.conf_low < t.truth AND t.truth < r.conf_high AS did_ci_covers_truth,
	abs(r.estimate - t.truth) < 0.045 AS did_near_truth,
	NOT (n.conf_low < t.truth AND t.truth < n.conf_high) AS naive_ci_misses_truth,
	n.estimate < t.truth - 0.10 AS naive_understates,
	r.std_error BETWEEN 0.003 AND 0.03 AS se_plausible,
	round(t.truth::numeric, 4) AS truth, round(r.estimate::numeric, 4) AS did,
	round(n.estimate::numeric, 4) AS naive
FROM est
	CROSS JOIN LATERAL did_result(s_did) r
	CROSS JOIN LATERAL did_result(s_naive) n
	CROSS JOIN by_hand h
	CROSS JOIN (SELECT value::float8 AS truth FROM dsim.register_info WHERE key = 'true_att') t;
-- the same from person-level states stored per start week and rolled up
SELECT abs(did_estimate(did_rollup(st)) - did_estimate((SELECT s_did FROM est))) < 1e-12 AS rollup_ok,
	abs(did_std_error(did_rollup(st)) / did_std_error((SELECT s_did FROM est)) - 1) < 1e-12 AS rollup_se_ok
FROM (SELECT s, did_weighted_state(pre, post, mentored, w, person_id) AS st FROM stacked GROUP BY s) q;
SET client_min_messages = warning;
DROP SCHEMA dsim CASCADE;
