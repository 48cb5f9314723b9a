-- _monitor_options: the one place the monitoring functions check conf_level
-- and min_cell. NULL means the default (0.95, 5); each calling function
-- keeps its floor for min_cell (1 for the published summaries, 0 for the
-- rest), its message and hint, and which of two bad options it names first.
\i sql/include/expect_error.sql

-- defaults and pass-through
SELECT fn, o.*
FROM unnest(ARRAY['course_status_summary', 'goal_results', 'frozen_vs_recomputed',
	'arrival_cohort_status', 'municipality_benchmark', 'progression_change',
	'progression_did', 'municipality_effects']) fn,
	_monitor_options(fn, NULL, NULL) o;
SELECT * FROM _monitor_options('goal_results', 0.9, 3);

-- the floor of min_cell: 0 passes where the floor is 0, fails where it is 1
SELECT fn, pg_temp.expect_error(format('SELECT * FROM _monitor_options(%L, 0.95, 0)', fn))
FROM unnest(ARRAY['course_status_summary', 'goal_results', 'frozen_vs_recomputed',
	'arrival_cohort_status', 'municipality_benchmark', 'progression_change',
	'progression_did', 'municipality_effects']) fn;
-- each function's wording for a bad conf_level (NaN is outside (0, 1))
SELECT fn, pg_temp.expect_error(format('SELECT * FROM _monitor_options(%L, ''NaN'', 5)', fn))
FROM unnest(ARRAY['course_status_summary', 'goal_results', 'arrival_cohort_status',
	'municipality_benchmark', 'progression_change', 'some_new_function']) fn;
-- both options bad: the summaries and the benchmarks name min_cell first,
-- the goals and progression functions conf_level
SELECT fn, pg_temp.expect_error(format('SELECT * FROM _monitor_options(%L, 2, -1)', fn))
FROM unnest(ARRAY['course_status_summary', 'goal_results', 'arrival_cohort_status',
	'progression_did']) fn;
