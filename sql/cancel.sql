-- Cancellation (issue 12): every long estimator stops within a second of
-- statement_timeout (57014), wherever the timeout finds it. Each check runs
-- one statement under statement_timeout = 200ms and prints only whether it
-- was cancelled in time ('ok'), late ('late', elapsed >= 1 s) or not at all.
CREATE FUNCTION pg_temp.cancelled_in_time(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE statement;
	RETURN 'not cancelled: finished after ' || (clock_timestamp() - t0);
EXCEPTION WHEN query_canceled THEN
	RETURN CASE WHEN clock_timestamp() - t0 < interval '1 second' THEN 'ok' ELSE 'late' END;
END
$$;

-- att_gt panel: 2,000 units, 11 cohorts x 15 periods (154 cells)
CREATE UNLOGGED TABLE cancel_panel AS
SELECT u AS unit, t AS period, CASE WHEN u % 12 = 0 THEN 0 ELSE 3 + u % 12 END AS cohort,
	(u % 7) + 0.1 * t + ((u * 7919 + t * 104729) % 1000) / 1000.0 AS y,
	((u * 31) % 17) / 10.0 AS x, u % 50 AS cl
FROM generate_series(1, 2000) u, generate_series(1, 15) t;
-- benefit rows: 6,000 persons x 100 weeks
CREATE UNLOGGED TABLE cancel_weeks AS
SELECT p AS person_id, date '2019-01-07' + 7 * w AS week, 100 + (p + w) % 50 AS code
FROM generate_series(1, 6000) p, generate_series(0, 99) w;

SET statement_timeout = '200ms';
-- multiplier bootstrap: outcome-sum path, clusters, covariates, an
-- aggregation (before: the outcome-sum paths ran on for seconds)
SELECT pg_temp.cancelled_in_time($$ SELECT * FROM att_gt('cancel_panel', 'y', 'unit', 'period', 'cohort', bootstrap => 20000) $$) AS att_gt_bootstrap;
SELECT pg_temp.cancelled_in_time($$ SELECT * FROM att_gt('cancel_panel', 'y', 'unit', 'period', 'cohort', cluster_column => 'cl', bootstrap => 20000) $$) AS att_gt_bootstrap_clusters;
SELECT pg_temp.cancelled_in_time($$ SELECT * FROM att_gt('cancel_panel', 'y', 'unit', 'period', 'cohort', covariate_columns => ARRAY['x'], bootstrap => 20000) $$) AS att_gt_bootstrap_covariates;
SELECT pg_temp.cancelled_in_time($$ SELECT * FROM att_gt_aggregate('cancel_panel', 'y', 'unit', 'period', 'cohort', type => 'dynamic', covariate_columns => ARRAY['x'], bootstrap => 20000) $$) AS att_gt_aggregate_bootstrap;
-- did over 10 million rows, without and with clusters
SELECT pg_temp.cancelled_in_time($$ SELECT did(g::float8, g + 1.0, g % 2 = 0) FROM generate_series(1, 10000000) g $$) AS did_10m;
SELECT pg_temp.cancelled_in_time($$ SELECT did(g::float8, g + 1.0, g % 2 = 0, g % 1000000) FROM generate_series(1, 10000000) g $$) AS did_10m_clusters;
-- benefit_paths_scan over 600,000 rows, serial, 20 times in one statement
-- (the table name depends on i, so every row of i scans again)
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.cancelled_in_time($$ SELECT count(*) FROM generate_series(1, 20) i,
	LATERAL benefit_paths_scan(CASE WHEN i > 0 THEN 'cancel_weeks' END::regclass) $$) AS paths_scan;
RESET max_parallel_workers_per_gather;
RESET statement_timeout;

DROP TABLE cancel_panel, cancel_weeks;
