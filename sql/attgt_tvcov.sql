-- att_gt with covariates that vary within units (issue 13, item 5). R did
-- takes each unit's covariates from the earlier period of each 2x2
-- comparison (its base period; before a universal base period, the
-- period itself) on a panel, and each row's own covariates on an
-- unbalanced panel (repeated cross sections). References built here,
-- independently of the new code path:
--  1. balanced panel: for each period e, a panel whose covariates are
--     every unit's values in e, fixed over time, run through the
--     time-invariant path (which equals R did to ~1e-15 on the did_cases);
--     every cell whose earlier period is e must match it;
--  2. unbalanced panel: every row made a unit of its own (so covariates are
--     trivially fixed) and clustered by the original unit: the rows, their
--     covariates and the per-unit sums of the influence function are then
--     exactly those of the original panel;
-- for reg, ipw and dr, never-treated and not-yet-treated controls, varying
-- and universal base period; ATT and SE to 1e-9.
CREATE TABLE tv AS
WITH u AS (
	SELECT id, CASE id % 4 WHEN 0 THEN 0 WHEN 1 THEN 3 WHEN 2 THEN 4 ELSE 5 END AS g,
	       sin(id * 12.9898) * 0.5 AS a
	FROM generate_series(1, 240) id)
SELECT id, t, g,
       -- x1 drifts with a unit-specific slope, x2 jumps in period 3 for half the units
       a + 0.3 * t * cos(id * 4.1414) + 0.2 * sin(id * t * 7.77) AS x1,
       CASE WHEN t >= 3 AND id % 3 = 0 THEN 1.0 ELSE 0.0 END + 0.1 * cos(id * 1.7) AS x2,
       1.0 + 0.5 * a + 0.2 * t + 0.4 * (a + 0.3 * t * cos(id * 4.1414))
         + CASE WHEN g > 0 AND t >= g THEN 0.5 + 0.1 * (t - g) ELSE 0 END
         + 0.3 * sin(id * t * 3.3) AS y
FROM u, generate_series(1, 6) t;

-- the covariates really vary, and att_gt says how it uses them
SELECT count(DISTINCT (id, x1)) > count(DISTINCT id) AS x1_varies FROM tv;
SELECT count(*) AS cells FROM att_gt('tv', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => 'reg');

SET client_min_messages = warning;
-- reference 1 (balanced): per-period fixed covariates
CREATE TABLE fixed AS SELECT id, t, g, y, x1, x2 FROM tv WITH NO DATA;
CREATE FUNCTION pg_temp.check_panel(m text, cg text, bp text)
RETURNS TABLE(cells bigint, max_att_diff float8, max_se_diff float8)
LANGUAGE plpgsql AS $$
DECLARE
	e int;
BEGIN
	CREATE TEMP TABLE got AS
		SELECT cohort, period, base_period, estimate AS att, std_error
		FROM att_gt('tv', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => m,
		            control_group => cg, base_period => bp);
	CREATE TEMP TABLE want(cohort int, period int, att float8, std_error float8);
	FOR e IN SELECT DISTINCT t FROM tv ORDER BY 1 LOOP
		TRUNCATE fixed;
		INSERT INTO fixed SELECT v.id, v.t, v.g, v.y, f.x1, f.x2 FROM tv v JOIN tv f ON f.id = v.id AND f.t = e;
		INSERT INTO want
			SELECT a.cohort, a.period, a.estimate, a.std_error
			FROM att_gt('fixed', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => m,
			            control_group => cg, base_period => bp) a
			WHERE least(a.period, a.base_period) = e AND a.period <> a.base_period;
	END LOOP;
	RETURN QUERY
		SELECT count(*), max(abs(g.att - w.att)), max(abs(g.std_error - w.std_error))
		FROM got g JOIN want w USING (cohort, period);
	-- every non-base cell has its reference
	IF (SELECT count(*) FROM got WHERE period <> base_period) <> (SELECT count(*) FROM want) THEN
		RAISE EXCEPTION 'cells without reference';
	END IF;
	DROP TABLE got, want;
END
$$;
SELECT m, cg, bp, c.cells, c.max_att_diff < 1e-9 AS att_within_1e9, c.max_se_diff < 1e-9 AS se_within_1e9
FROM unnest(ARRAY['reg', 'ipw', 'dr']) m, unnest(ARRAY['nevertreated', 'notyettreated']) cg,
     unnest(ARRAY['varying', 'universal']) bp, pg_temp.check_panel(m, cg, bp) c
ORDER BY 1, 2, 3;

-- the covariates' periods matter: fixed at the first period they give other numbers
TRUNCATE fixed;
INSERT INTO fixed SELECT v.id, v.t, v.g, v.y, f.x1, f.x2 FROM tv v JOIN tv f ON f.id = v.id AND f.t = 1;
SELECT max(abs(a.estimate - b.estimate)) > 1e-3 AS covariate_periods_matter
FROM att_gt('tv', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => 'dr') a
JOIN att_gt('fixed', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => 'dr') b USING (cohort, period);

-- reference 2 (unbalanced): drop rows, then split every row into a unit
CREATE TABLE tvu AS SELECT * FROM tv WHERE NOT (id % 5 = 0 AND t = 2) AND NOT (id % 7 = 1 AND t = 5);
CREATE TABLE tvu_split AS SELECT id * 10 + t AS row_id, * FROM tvu;
CREATE FUNCTION pg_temp.check_rc(m text, cg text, bp text)
RETURNS TABLE(cells bigint, max_att_diff float8, max_se_diff float8)
LANGUAGE sql AS $$
	SELECT count(*), max(abs(a.estimate - b.estimate)), max(abs(a.std_error - b.std_error))
	FROM att_gt('tvu', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => m,
	            control_group => cg, base_period => bp) a
	JOIN att_gt('tvu_split', 'y', 'row_id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], est_method => m,
	            control_group => cg, base_period => bp, cluster_column => 'id') b USING (cohort, period)
	WHERE a.period <> a.base_period
$$;
SELECT m, cg, bp, c.cells, c.max_att_diff < 1e-9 AS att_within_1e9, c.max_se_diff < 1e-9 AS se_within_1e9
FROM unnest(ARRAY['reg', 'ipw', 'dr']) m, unnest(ARRAY['nevertreated', 'notyettreated']) cg,
     unnest(ARRAY['varying', 'universal']) bp, pg_temp.check_rc(m, cg, bp) c
ORDER BY 1, 2, 3;
RESET client_min_messages;

-- aggregation, pre-test and bootstrap run on the varying covariates too
SELECT round(estimate::numeric, 4) AS overall_dynamic
FROM att_gt_aggregate('tv', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2'], type => 'dynamic') WHERE level = 'overall';
SELECT df FROM att_gt_pretest('tv', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1', 'x2']);
SELECT count(*) AS boot_cells, bool_and(std_error > 0) AS se_positive
FROM att_gt('tvu', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x1'], bootstrap => 100, seed => 3);
DROP TABLE tv, tvu, tvu_split, fixed;
