-- The option checks of the monitoring functions (conf_level, min_cell), in
-- one place; used by 21_course_status, 30_goals, 40_benchmark and
-- 50_progression. Holds no data and reads no table.
--
-- New in 0.3.0: part of the install script and, as is, of the upgrade
-- script from 0.2.0 (see the Makefile).

-- A NULL option means its default (docs/conventions.md): conf_level 0.95,
-- min_cell 5. conf_level must lie strictly between 0 and 1; min_cell must
-- not be below the calling function's floor (1 for the published
-- summaries course_status_summary, goal_results and frozen_vs_recomputed,
-- 0 for the others). Both errors are 22023. Each function keeps the
-- message, hint and order of checks its users (and regression suites) know,
-- so the wording is chosen here by the caller's name; a name not listed
-- gets the wording of the progression functions.
CREATE FUNCTION _monitor_options(fn text, conf_level float8, min_cell integer,
	OUT conf_level_used float8, OUT min_cell_used integer)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	-- messages are format() templates: %1$s the function, %2$s the value
	cell_floor integer := 0;
	cell_first boolean := false;
	conf_msg text := '%1$s: conf_level must lie strictly between 0 and 1, not %2$s';
	conf_hint text := 'Give the coverage of the interval, e.g. 0.95 (not alpha = 0.05).';
	cell_msg text := '%1$s: min_cell must be 0 or more, not %2$s';
	cell_hint text := 'min_cell is the smallest number of persons shown in a cell (default 5; 0 shows every cell).';
	bad_conf boolean;
	bad_cell boolean;
BEGIN
	conf_level_used := coalesce(conf_level, 0.95);
	min_cell_used := coalesce(min_cell, 5);
	CASE fn
		WHEN 'course_status_summary' THEN
			cell_floor := 1;
			cell_first := true;
			conf_msg := 'conf_level must lie strictly between 0 and 1, not %2$s';
			conf_hint := 'conf_level is the coverage of the intervals, e.g. 0.95 for 95% intervals.';
			cell_msg := 'min_cell must be at least 1, not %2$s';
			cell_hint := 'min_cell is the fewest persons a published cell may have (default 5; 1 publishes every cell).';
		WHEN 'goal_results', 'frozen_vs_recomputed' THEN
			cell_floor := 1;
			conf_msg := 'conf_level must be between 0 and 1 (exclusive), got %2$s';
			conf_hint := 'For example 0.95.';
			cell_msg := 'min_cell must be at least 1, got %2$s';
			cell_hint := 'min_cell is the fewest persons a published value may rest on (default 5; 1 publishes every value).';
		WHEN 'arrival_cohort_status', 'municipality_benchmark' THEN
			cell_first := true;
			conf_msg := 'conf_level must be between 0 and 1 (exclusive), got %2$s';
			conf_hint := 'Give the coverage: 0.95 for 95 % intervals.';
			cell_msg := 'min_cell must be a number of persons (0 or more), got %2$s';
			cell_hint := CASE fn WHEN 'arrival_cohort_status' THEN 'Cells' ELSE 'Municipalities' END
				|| ' with fewer observed persons are suppressed; 5 is the default (Danish statistics practice).';
		ELSE
			NULL;
	END CASE;
	bad_conf := NOT (conf_level_used > 0 AND conf_level_used < 1);
	bad_cell := min_cell_used < cell_floor;
	IF bad_cell AND (cell_first OR NOT bad_conf) THEN
		RAISE EXCEPTION '%', format(cell_msg, fn, min_cell_used)
			USING ERRCODE = 'invalid_parameter_value', HINT = cell_hint;
	END IF;
	IF bad_conf THEN
		RAISE EXCEPTION '%', format(conf_msg, fn, conf_level_used)
			USING ERRCODE = 'invalid_parameter_value', HINT = conf_hint;
	END IF;
END
$$;
COMMENT ON FUNCTION _monitor_options(text, float8, integer) IS
'Internal: the option checks of the monitoring functions, by the calling function''s name fn: returns conf_level (NULL = 0.95) and min_cell (NULL = 5) to use; conf_level outside (0, 1) or min_cell below the function''s floor (1 for course_status_summary, goal_results and frozen_vs_recomputed, 0 otherwise): 22023 with that function''s message and hint.';
