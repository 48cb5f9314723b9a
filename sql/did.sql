-- Difference-in-differences: estimates and standard errors against
-- independent references (M7 hand calculation written out below, Card & Krueger
-- 1994 Table 3, R lm + sandwich on did_cases/k6_2x2).
\getenv abs_srcdir PG_ABS_SRCDIR
SET extra_float_digits = 0;

-- M7 worked example (docs/methods.md): dT = {0.5, 0.625}, dC = {0.25, 0.375};
-- DiD = 0.5625 - 0.3125 = 0.25; var(dT) = var(dC) = 0.0078125, so
-- SE = sqrt(2 * 0.0078125 / 2) = 0.0883883..., Welch df = 2,
-- t = 2.828427, p = 2 * pt(-2.828427, 2) = 0.1055728 (mpmath),
-- 95% CI = 0.25 -+ qt(0.975, 2) * SE, qt(0.975, 2) = 4.302652729749464.
CREATE TEMP TABLE m7 (p text, treated boolean, pre float8, post float8);
INSERT INTO m7 VALUES ('T1', true, 0, 0.5), ('T2', true, 0.25, 0.875),
	('C1', false, 0, 0.25), ('C2', false, 0.125, 0.5);
SELECT abs(r.estimate - 0.25) < 1e-15 AS effect_ok,
	abs(r.std_error - sqrt(0.0078125)) < 1e-15 AS se_ok,
	abs(r.std_error - 0.0883883) < 1e-7 AS se_domain_ok,
	abs(r.statistic - 2.8284271247461903) < 1e-12 AS t_ok,
	r.df = 2 AS df_ok,
	abs(r.p_value - 0.10557280900008412) < 1e-12 AS p_ok,
	abs(r.conf_low - (0.25 - 4.302652729749464 * sqrt(0.0078125))) < 1e-12 AS lo_ok,
	abs(r.conf_high - (0.25 + 4.302652729749464 * sqrt(0.0078125))) < 1e-12 AS hi_ok,
	r.variance, r.distribution, r.conf_level, r.n_treated, r.n_control, r.n_skipped, r.n_clusters,
	r.mean_pre_treated, r.mean_post_treated, r.mean_change_treated,
	r.mean_pre_control, r.mean_post_control, r.mean_change_control
FROM (SELECT (did(pre, post, treated)).* FROM m7) r;

-- pooled (classical) by hand: s^2 = (0.0078125 + 0.0078125) / 2,
-- var = s^2 (1/2 + 1/2) = 0.0078125; HC0 = sum e^2 / n^2 per group =
-- 2 * (2 * 0.0625^2) / 4 = 0.00390625; HC3 = sum e^2 / (n-1)^2 per group
-- = 2 * (2 * 0.0625^2) / 1 = 0.015625.
-- Normal reference: p = 2 * pnorm(-2.828427) = 0.004677734981047276.
SELECT abs(did_std_error(s, 'pooled') - sqrt(0.0078125)) < 1e-15 AS pooled_ok,
	abs(did_std_error(s, 'classical') - sqrt(0.0078125)) < 1e-15 AS classical_ok,
	abs(did_std_error(s, 'HC0') - sqrt(0.00390625)) < 1e-15 AS hc0_ok,
	abs(did_std_error(s, 'hc1') - sqrt(0.00390625 * 4 / 2)) < 1e-15 AS hc1_ok,
	abs(did_std_error(s, 'HC2') - sqrt(0.0078125)) < 1e-15 AS hc2_is_welch,
	abs(did_std_error(s, 'HC3') - sqrt(0.015625)) < 1e-15 AS hc3_ok,
	abs(did_p_value(s, NULL, 'normal') - 0.004677734981047276) < 1e-15 AS normal_p_ok,
	did_df(s, 'classical') AS df_classical,
	did_n_treated(s), did_n_control(s), did_n_skipped(s), did_n_clusters(s),
	did_mean(s, true, 'pre') AS t_pre, did_mean(s, false, 'post') AS c_post,
	did_coefficients(s) AS coefficients
FROM (SELECT did_state(pre, post, treated) s FROM m7) q;

-- The same worked example end to end from benefit paths (M7 codes;
-- start week 2024-03-04, pre = weeks -8..-1, post = +1..+8, 130 =
-- kontanthjaelp, - = no benefit; the start week itself carries 130).
SELECT abs(r.estimate - 0.25) < 1e-15 AS effect_ok, abs(r.std_error - 0.0883883) < 1e-7 AS se_ok,
	r.mean_pre_treated, r.mean_post_treated, r.mean_pre_control, r.mean_post_control
FROM (SELECT (did(selfsufficiency_share(path::benefit_path, date '2024-03-04' - 56, date '2024-03-04' - 7),
		selfsufficiency_share(path::benefit_path, date '2024-03-04' + 7, date '2024-03-04' + 56), t)).*
	FROM (VALUES ('2024-01-08:130x13,-x4', true), ('2024-01-08:130x6,-x2,130x2,-x7', true),
		('2024-01-08:130x15,-x2', false), ('2024-01-08:130x7,-x1,130x5,-x4', false)) v(path, t)) r;

-- 90% interval under the normal reference: 0.25 -+ 1.6448536269514722 * SE
SELECT abs(c[1] - (0.25 - 1.6448536269514722 * sqrt(0.0078125))) < 1e-14 AS lo90_ok,
	abs(c[2] - (0.25 + 1.6448536269514722 * sqrt(0.0078125))) < 1e-14 AS hi90_ok
FROM (SELECT did_ci(did_state(pre, post, treated), 'welch', 0.90, 'normal') c FROM m7) q;

-- Card & Krueger (1994), balanced sample of 384 stores with FTE in both
-- waves: Table 3 row 4, 2.75 (1.34); unequal-variance SE 1.3423409769,
-- pooled first-difference SE 1.1543553777, cluster(store) CR0 of the
-- stacked panel 1.3342371035 (card_krueger_reference.md). FTE in the CSV
-- is empft + nmgrs + 0.5 emppt already.
CREATE TEMP TABLE ck (store int, sheet int, state text, nj int, wave int, post int, chain text,
	co_owned int, southj int, centralj int, northj int, pa1 int, pa2 int, shore int,
	status2 int, empft float8, emppt float8, nmgrs float8, fte float8, wage_st float8, hrsopen float8);
\set f :abs_srcdir '/data/card_krueger.csv'
COPY ck FROM :'f' (FORMAT csv, HEADER);
SELECT count(*) = 820 AS rows_ok, bool_and(fte IS NULL OR abs(fte - (empft + nmgrs + 0.5 * emppt)) < 1e-12) AS fte_ok FROM ck;
CREATE TEMP TABLE ck_state AS
SELECT did_state(a.fte, b.fte, a.nj = 1, a.store) AS s
FROM ck a JOIN ck b ON b.store = a.store AND a.wave = 1 AND b.wave = 2;
SELECT abs(did_estimate(s) - 2.75) < 1e-9 AS effect_ok,
	abs(did_std_error(s, 'welch') - 1.3423409769) < 1e-10 AS welch_se_ok,
	abs(did_std_error(s, 'pooled') - 1.1543553777) < 1e-10 AS pooled_se_ok,
	abs(did_std_error(s, 'CR0') - 1.3342371035) < 1e-10 AS cr0_se_ok,
	abs(did_std_error(s, 'HC0') - 1.3342371035) < 1e-10 AS hc0_equals_cr0_by_store,
	abs(did_mean(s, true, 'change') - 0.4666666667) < 1e-10 AS nj_change_ok,
	abs(did_mean(s, false, 'change') - (-2.2833333333)) < 1e-10 AS pa_change_ok,
	did_n_treated(s) AS nj, did_n_control(s) AS pa, did_n_skipped(s) AS skipped, did_n_clusters(s) AS stores
FROM ck_state;
-- CR1 by small-sample convention (card_krueger_reference.md, R lm + sandwich
-- on the long 768-row panel fte ~ nj * post clustered by store):
-- stata (the default) G/(G-1) (N-1)/(N-K), N = 768 observations, K = 4:
-- 1.3385982151; g_only G/(G-1): 1.3359777919; person (the change
-- regression, N = 384 stores, K = 2): CR0 * sqrt(384/382) = 1.3377253110.
SELECT abs(did_std_error(s) - 1.3385982151) < 1e-9 AS default_is_stata,
	abs(did_std_error(s, 'CR1', 'stata') - 1.3385982151) < 1e-9 AS stata_ok,
	abs(did_std_error(s, 'cr1', 'G_ONLY') - 1.3359777919) < 1e-9 AS g_only_ok,
	abs(did_std_error(s, 'CR1', 'person') - 1.3342371035 * sqrt(384.0 / 382.0)) < 1e-9 AS person_ok,
	did_df(s) AS df,
	abs((did_result(s, small_sample => 'g_only')).std_error - 1.3359777919) < 1e-9 AS result_g_only_ok,
	abs((did_ci(s, 'CR1', 0.95, 't', 'person'))[1] - (2.75 - 1.3342371035 * sqrt(384.0 / 382.0) * 1.9661771911465882)) < 1e-9 AS ci_person_ok,
	did_p_value(s, 'CR1', 't', 'g_only') < did_p_value(s, 'CR1', 't', 'person') AS p_g_only_below
FROM ck_state;
-- the one-shot form on the long rows (self-join of the two waves): Stata's number
SELECT abs(r.std_error - 1.3385982151) < 1e-9 AS one_shot_stata_ok, r.variance, r.n_clusters
FROM (SELECT (did(a.fte, b.fte, a.nj = 1, a.store)).* FROM ck a JOIN ck b ON b.store = a.store AND a.wave = 1 AND b.wave = 2) r;
-- the one-shot form without cluster defaults to welch
SELECT abs(r.estimate - 2.75) < 1e-9 AS effect_ok, abs(r.std_error - 1.3423409769) < 1e-10 AS se_ok, r.variance, r.n_skipped
FROM (SELECT (did(a.fte, b.fte, a.nj = 1)).* FROM ck a JOIN ck b ON b.store = a.store AND a.wave = 1 AND b.wave = 2) r;

-- k6_2x2: R 4.2.2 lm + sandwich 3.0.2 (did_cases/README.md). Every
-- variance type of every model, relative tolerance 1e-9; degrees of
-- freedom as reported (N - K for classical/HC, G - 1 for clusters).
CREATE TEMP TABLE k6 (person int, treated int, cluster int, y_pre float8, y_post float8, x1 float8, x2 float8, w float8);
\set f :abs_srcdir '/data/did_cases/k6_2x2.csv'
COPY k6 FROM :'f' (FORMAT csv, HEADER);
CREATE TEMP TABLE k6x (call text, kind text, key1 text, key2 text, estimate float8, std_error float8, extra float8);
\set f :abs_srcdir '/data/did_cases/k6_2x2.expected.csv'
COPY k6x FROM :'f' (FORMAT csv, HEADER);
CREATE TEMP TABLE k6s AS
SELECT 'lm:dy~treated'::text AS call, did_state(y_pre, y_post, treated = 1, cluster) AS s FROM k6
UNION ALL SELECT 'lm:dy~treated+x1+x2', did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) FROM k6
UNION ALL SELECT 'lmw:dy~treated', did_weighted_state(y_pre, y_post, treated = 1, w, cluster) FROM k6
UNION ALL SELECT 'lmw:dy~treated+x1+x2', did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], cluster) FROM k6;
-- R's lm here is the person-level change regression: CR1S (Stata's factor
-- G/(G-1) (N-1)/(N-K) with N persons) is CR1 with small_sample 'person',
-- CR1G (G/(G-1) only) is small_sample 'g_only'. HC2/HC3 with covariates
-- are refused (see did_errors).
SELECT x.call, x.key2 AS variance,
	abs(did_estimate(s.s) / x.estimate - 1) < 1e-9 AS effect_ok,
	abs(did_std_error(s.s, v.name, v.ss) / x.std_error - 1) < 1e-9 AS se_ok,
	did_df(s.s, v.name) = x.extra AS df_ok
FROM k6x x JOIN k6s s USING (call)
	CROSS JOIN LATERAL (SELECT CASE WHEN x.key2 LIKE 'CR1_' THEN 'CR1' ELSE x.key2 END AS name,
		CASE x.key2 WHEN 'CR1S' THEN 'person' WHEN 'CR1G' THEN 'g_only' END AS ss) v
WHERE x.key1 = 'treated'
	AND NOT (x.call LIKE '%x1%' AND x.key2 IN ('HC2', 'HC3'))
ORDER BY x.call, x.key2;
-- Welch row: SE and Welch-Satterthwaite df; the group means and their SEs
SELECT abs(did_std_error(s, 'welch') / 0.055705169501163741 - 1) < 1e-12 AS welch_se_ok,
	abs(did_df(s, 'welch') / 1798.1100868805438 - 1) < 1e-12 AS welch_df_ok,
	abs(did_mean(s, true) / 0.31572155172413791 - 1) < 1e-12 AS treated_mean_ok,
	abs(did_mean(s, false) / -0.12938239130434784 - 1) < 1e-12 AS control_mean_ok,
	did_n_treated(s) AS n_treated, did_n_control(s) AS n_control, did_n_clusters(s) AS clusters
FROM k6s WHERE call = 'lm:dy~treated';
-- coefficients of the covariate regression (R: intercept, treated, x1, x2)
SELECT bool_and(abs(c[i] / x.estimate - 1) < 1e-9) AS coefficients_ok, count(*) AS checked
FROM (SELECT did_coefficients(s) c FROM k6s WHERE call = 'lm:dy~treated+x1+x2') q,
	k6x x CROSS JOIN LATERAL (SELECT array_position(ARRAY['(Intercept)', 'treated', 'x1', 'x2'], x.key1) i) p
WHERE x.call = 'lm:dy~treated+x1+x2' AND x.key2 = 'classical';
-- default variance: CR1 with a cluster, HC1 with covariates and no cluster
SELECT (did_result(s)).variance FROM k6s ORDER BY call;
SELECT (did(y_pre, y_post, treated = 1, ARRAY[x1, x2])).variance AS cov_default,
	abs((did(y_pre, y_post, treated = 1, ARRAY[x1, x2])).std_error / 0.05527979198604635 - 1) < 1e-9 AS hc1_ok
FROM k6;
-- cluster as text gives the same as bigint
SELECT abs(did_std_error(did_state(y_pre, y_post, treated = 1, 'c' || cluster), NULL, 'person') / 0.089138312682830151 - 1) < 1e-9 AS text_cluster_ok,
	abs(did_std_error(did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], cluster::text), 'CR1', 'person') / 0.087539802570106101 - 1) < 1e-9 AS text_cluster_cov_ok
FROM k6;
-- the default CR1 (stata) against the stacked long panel, two rows per
-- person, fully interacted with post (K = 2k), in base R lm with a
-- hand-written cluster sandwich (test/data/cr1_small_sample.R, recorded in
-- card_krueger_reference.md): y ~ treated * post 0.08914574304276153,
-- y ~ (treated + x1 + x2) * post 0.087028013737668469, weighted
-- y ~ treated * post 0.091270286954602153
SELECT call, abs(did_std_error(s) / CASE call WHEN 'lm:dy~treated' THEN 0.08914574304276153
		WHEN 'lm:dy~treated+x1+x2' THEN 0.087028013737668469
		WHEN 'lmw:dy~treated' THEN 0.091270286954602153 END - 1) < 1e-9 AS stacked_cr1_ok
FROM k6s WHERE call IN ('lm:dy~treated', 'lm:dy~treated+x1+x2', 'lmw:dy~treated') ORDER BY call;
-- an integer column as cluster resolves to the bigint form, never to a weight
SELECT (did(y_pre, y_post, treated = 1, cluster)).variance FROM k6;
-- NULL rows are skipped and counted
SELECT (r).n_skipped, (r).n_treated + (r).n_control AS used
FROM (SELECT did(CASE WHEN person % 10 = 0 THEN NULL ELSE y_pre END, y_post, treated = 1) r FROM k6) q;
