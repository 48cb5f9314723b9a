-- The garden test's inputs: tables the functions can be pointed at, the
-- extension's own states (valid ones written by its aggregates and damaged
-- copies), and the sample values per argument type. Used by sql/garden.sql.
SET client_min_messages = warning;

-- A small panel every table-reading function can use: att_gt (y, id, t, g,
-- x1, w, cl), did_event_study (id, rel, y, d), benefit_paths_scan and
-- unmapped_codes (person_id, week, code).
CREATE TEMP TABLE garden_t (id integer, t integer, g integer, rel integer, y float8, d boolean,
	x1 float8, w float8, cl integer, person_id bigint, week date, code integer);
INSERT INTO garden_t
SELECT i, t, g, t - 2, (i % 7) * 0.1 + t * 0.2 + CASE WHEN g > 0 AND t >= g THEN 0.5 ELSE 0 END,
	g > 0, (i % 3) * 0.5, 1 + (i % 2), i % 4, i, DATE '2019-01-07' + 7 * t,
	CASE WHEN (i + t) % 3 = 0 THEN NULL ELSE 130 END
FROM generate_series(1, 24) i, generate_series(1, 4) t,
	LATERAL (SELECT CASE i % 3 WHEN 0 THEN 0 WHEN 1 THEN 3 ELSE 4 END AS g) c;
CREATE TEMP TABLE garden_empty (LIKE garden_t);
CREATE TEMP TABLE garden_one AS SELECT * FROM garden_t ORDER BY id, t LIMIT 1;
CREATE TEMP VIEW garden_v AS SELECT * FROM garden_t;
CREATE TEMP SEQUENCE garden_seq;
-- generate_register writes here (every call is rolled back)
CREATE SCHEMA garden_scratch;

-- outcomes of an outcome contract (the standard column layout)
CREATE TEMP TABLE garden_out (participant text, outcome text, day date, value numeric,
	comparison numeric, n numeric, cohort text, hours numeric, programme_month integer);
INSERT INTO garden_out VALUES
	('p1', 'job', '2024-02-01', 1, NULL, NULL, NULL, 30, 30),
	('p2', 'job', '2024-05-01', 1, NULL, NULL, NULL, 30, 30),
	('p2', 'avoided_weeks', '2024-06-30', 10, NULL, NULL, NULL, NULL, NULL),
	('p1', 'employment', '2024-03-04', 30, NULL, NULL, NULL, 25, 30);

-- persons' paths, for the states
CREATE TEMP TABLE garden_paths (id integer, path benefit_path, pre float8, post float8, treated boolean);
INSERT INTO garden_paths VALUES
	(1, '2019-01-07:130x4,-x4,997x2', 1, 2, true),
	(2, '2019-01-07:-x20', 0.5, 0.25, false),
	(3, '2018-12-31:111x3,-x30', 2, 3, true),
	(4, '2019-01-07:130x10,-x5', 1.5, 1, false),
	(5, NULL, 0.75, 1.25, true);

-- huge values, made once: arrays of 100,000 elements, a path of 100,001
-- runs, a string of 100,000 characters
CREATE TEMP TABLE garden_big AS
SELECT (SELECT array_agg(DATE '2019-01-07' + 7 * (i % 1000)) FROM generate_series(1, 100000) i) AS d,
	(SELECT array_agg(i * 1e-5::float8) FROM generate_series(1, 100000) i) AS f,
	(SELECT array_agg('x' || i) FROM generate_series(1, 100000) i) AS t,
	(SELECT benefit_path(DATE '2019-01-07' + 7 * i, 130 + i % 2) FROM generate_series(0, 100000) i) AS p,
	repeat('z', 100000) AS s;

-- Sample values: typ, argument name (NULL: any argument of the type;
-- otherwise only arguments of that name, optionally only of function fn),
-- an SQL expression, whether it is the base value (the one used while the
-- other arguments vary) and whether it is a fresh value (made by ordinary
-- SQL) or a hand-damaged one.
CREATE TEMP TABLE garden_val (typ regtype, argname text, fn text, expr text, base boolean DEFAULT false,
	fresh boolean DEFAULT true);

-- the extension's own states: valid, empty and damaged
CREATE TEMP TABLE garden_state (typ regtype, k text, v text, fresh boolean);
INSERT INTO garden_state
SELECT 'selfsufficiency_state'::regtype, 'valid', selfsufficiency_state(path, '2019-01-07', '2019-06-03', 'strict')::text, true FROM garden_paths
UNION ALL SELECT 'selfsufficiency_state', 'weighted', selfsufficiency_state(path, '2019-01-07', '2019-06-03', 'strict', id::float8)::text, true FROM garden_paths
UNION ALL SELECT 'selfsufficiency_state', 'empty', selfsufficiency_state(path, '2019-01-07', '2019-06-03', 'strict')::text, true FROM garden_paths WHERE false
UNION ALL SELECT 'fte_state', 'valid', fte_state(path, '2019-01-07', '2019-06-03', ARRAY['kontanthjaelp'])::text, true FROM garden_paths
UNION ALL SELECT 'fte_state', 'empty', fte_state(path, '2019-01-07', '2019-06-03', ARRAY['kontanthjaelp'])::text, true FROM garden_paths WHERE false
UNION ALL SELECT 'km_state', 'valid', km_state(path, '2019-01-07', 2, 'strict')::text, true FROM garden_paths
UNION ALL SELECT 'km_state', 'empty', km_state(path, '2019-01-07', 2, 'strict')::text, true FROM garden_paths WHERE false
UNION ALL SELECT 'did_state', 'valid', did_state(pre, post, treated)::text, true FROM garden_paths
UNION ALL SELECT 'did_state', 'cluster', did_state(pre, post, treated, id::bigint % 2)::text, true FROM garden_paths
UNION ALL SELECT 'did_state', 'covariate', did_state(pre, post, treated, ARRAY[id::float8])::text, true FROM garden_paths
UNION ALL SELECT 'did_state', 'weighted', did_weighted_state(pre, post, treated, id::float8, 'k' || (id % 2))::text, true FROM garden_paths
UNION ALL SELECT 'did_state', 'empty', did_state(pre, post, treated)::text, true FROM garden_paths WHERE false
UNION ALL SELECT 'cashflows', 'valid', cashflows(id * 100.5 - 300, id * 0.5)::text, true FROM garden_paths
UNION ALL SELECT 'cashflows', 'empty', cashflows(id * 100.5 - 300, id * 0.5)::text, true FROM garden_paths WHERE false
UNION ALL SELECT 'indicator_state', 'valid', indicator_state(treated)::text, true FROM garden_paths
UNION ALL SELECT 'indicator_state', 'mean', indicator_state(pre)::text, true FROM garden_paths
UNION ALL SELECT 'indicator_state', 'empty', indicator_state(pre)::text, true FROM garden_paths WHERE false;
-- damaged copies of every valid state: other version, truncated, a count
-- made negative or huge, a number made NaN, garbage
INSERT INTO garden_state
SELECT typ, k || '/' || m, x, false
FROM garden_state s,
	LATERAL (VALUES
		('v2', regexp_replace(regexp_replace(regexp_replace(v, '^v=1;', 'v=2;'), '^did_state v1 ', 'did_state v2 '), '^1\|', '2|')),
		('v0', regexp_replace(regexp_replace(regexp_replace(v, '^v=1;', 'v=0;'), '^did_state v1 ', 'did_state v0 '), '^1\|', '0|')),
		('half', left(v, length(v) / 2)),
		('neg', regexp_replace(v, '([=|; ])([0-9]+)', '\1-\2', 'g')),
		('huge', regexp_replace(v, '([=|; ])([0-9]+)', '\19223372036854775807', 'g')),
		('nan', regexp_replace(v, '([0-9]+\.[0-9]+)', 'NaN', 'g')),
		('inf', regexp_replace(v, '([0-9]+\.[0-9]+)', '1e308', 'g')),
		('twice', v || v),
		('garbage', E'\\x01 garbage ''";--')) m(m, x)
WHERE s.v IS NOT NULL AND s.fresh;

INSERT INTO garden_val (typ, argname, fn, expr, base, fresh)
SELECT typ, NULL, NULL, format('(SELECT v FROM garden_state WHERE typ = %L::regtype AND k = %L)', typ, k), k = 'valid', fresh
FROM garden_state;
-- input functions (cstring): the text of every state of the function's type
-- (argname '=type' marks values for the input function of that type)
INSERT INTO garden_val (typ, argname, fn, expr, base, fresh)
SELECT 'cstring'::regtype, '=' || typ::text, NULL, format('(SELECT v FROM garden_state WHERE typ = %L::regtype AND k = %L)', typ, k), k = 'valid', fresh
FROM garden_state
UNION ALL SELECT 'cstring', '=benefit_path', NULL, quote_literal(x), x LIKE '2019-01-07:130x4%', true
FROM unnest(ARRAY['2019-01-07:130x4,-x4,997x2', '', ':', '2019-01-07:', '2019-01-07:130x0',
	'2019-01-07:130x-1', '2019-01-07:130x2147483647', 'infinity:130x1', '5874897-12-29:130x2',
	'4713-11-24 BC:130x1', '2019-01-09:130x1', '2019-01-07:NaNx1']) x;
INSERT INTO garden_val (typ, argname, expr, base) VALUES
	('cstring', NULL, $$''$$, false), ('cstring', NULL, $$'x'$$, false),
	('cstring', NULL, $$E'\\x01 garbage ''";--'$$, false), ('cstring', NULL, $$repeat('9', 100000)$$, false);

INSERT INTO garden_val (typ, argname, fn, expr, base) VALUES
	-- generic values per type
	('integer', NULL, NULL, '1', true), ('integer', NULL, NULL, '0', false), ('integer', NULL, NULL, '-1', false),
	('integer', NULL, NULL, '53', false), ('integer', NULL, NULL, '2147483647', false),
	('integer', NULL, NULL, '-2147483648', false),
	('bigint', NULL, NULL, '1', true), ('bigint', NULL, NULL, '0', false), ('bigint', NULL, NULL, '-1', false),
	('bigint', NULL, NULL, '9223372036854775807', false), ('bigint', NULL, NULL, '-9223372036854775808', false),
	('double precision', NULL, NULL, '0.5', true), ('double precision', NULL, NULL, '0', false),
	('double precision', NULL, NULL, '-1', false), ('double precision', NULL, NULL, $$'NaN'$$, false),
	('double precision', NULL, NULL, $$'Infinity'$$, false), ('double precision', NULL, NULL, $$'-Infinity'$$, false),
	('double precision', NULL, NULL, '1e308', false), ('double precision', NULL, NULL, '-1e308', false),
	('double precision', NULL, NULL, '5e-324', false),
	('numeric', NULL, NULL, '100', true), ('numeric', NULL, NULL, '0', false), ('numeric', NULL, NULL, '-1', false),
	('numeric', NULL, NULL, $$'NaN'$$, false), ('numeric', NULL, NULL, $$'Infinity'$$, false),
	('numeric', NULL, NULL, $$'-Infinity'$$, false), ('numeric', NULL, NULL, '1e308', false),
	('numeric', NULL, NULL, '-1e308', false), ('numeric', NULL, NULL, '1e-300', false),
	('numeric', NULL, NULL, $$'1e100000'$$, false),
	('text', NULL, NULL, $$'x'$$, true), ('text', NULL, NULL, $$''$$, false), ('text', NULL, NULL, $$'-1'$$, false),
	('text', NULL, NULL, $$'NaN'$$, false), ('text', NULL, NULL, $$E'\\x01 garbage ''";--'$$, false),
	('text', NULL, NULL, $$(SELECT s FROM garden_big)$$, false),
	('name', NULL, NULL, $$'x'$$, true), ('name', NULL, NULL, $$''$$, false),
	('name', NULL, NULL, $$'person_id'$$, false),
	('name[]', NULL, NULL, $$'{}'$$, false), ('name[]', NULL, NULL, $$'{NULL}'$$, false),
	('name[]', NULL, NULL, $$'{"",x}'$$, false),
	('boolean', NULL, NULL, 'true', true), ('boolean', NULL, NULL, 'false', false),
	('date', NULL, NULL, $$'2019-01-07'$$, true), ('date', NULL, NULL, $$'2019-01-09'$$, false),
	('date', NULL, NULL, $$'infinity'$$, false), ('date', NULL, NULL, $$'-infinity'$$, false),
	('date', NULL, NULL, $$'4713-01-01 BC'$$, false), ('date', NULL, NULL, $$'5874897-12-31'$$, false),
	('date', NULL, NULL, $$'2000-02-29'$$, false),
	('date[]', NULL, NULL, $$'{2019-01-07}'$$, true), ('date[]', NULL, NULL, $$'{}'$$, false),
	('date[]', NULL, NULL, $$'{NULL}'$$, false), ('date[]', NULL, NULL, $$'{infinity,-infinity}'$$, false),
	('date[]', NULL, NULL, $$'{4713-01-01 BC,5874897-12-31}'$$, false),
	('date[]', NULL, NULL, $$'{{2019-01-07},{2019-01-14}}'$$, false),
	('date[]', NULL, NULL, $$'[0:1]={2019-01-07,2019-01-14}'$$, false),
	('date[]', NULL, NULL, $$(SELECT d FROM garden_big)$$, false),
	('double precision[]', NULL, NULL, $$'{1}'$$, true), ('double precision[]', NULL, NULL, $$'{}'$$, false),
	('double precision[]', NULL, NULL, $$'{NULL}'$$, false), ('double precision[]', NULL, NULL, $$'{NaN}'$$, false),
	('double precision[]', NULL, NULL, $$'{Infinity,-Infinity}'$$, false),
	('double precision[]', NULL, NULL, $$'{1e308,-1e308}'$$, false),
	('double precision[]', NULL, NULL, $$'{-1,0}'$$, false),
	('double precision[]', NULL, NULL, $$'{{1,2},{3,4}}'$$, false),
	('double precision[]', NULL, NULL, $$'[0:1]={0.5,0.25}'$$, false),
	('double precision[]', NULL, NULL, $$(SELECT f FROM garden_big)$$, false),
	('text[]', NULL, NULL, $$'{x}'$$, true), ('text[]', NULL, NULL, $$'{}'$$, false),
	('text[]', NULL, NULL, $$'{NULL}'$$, false), ('text[]', NULL, NULL, $$'{""}'$$, false),
	('text[]', NULL, NULL, $$'{{a,b},{c,d}}'$$, false),
	('text[]', NULL, NULL, $$(SELECT t FROM garden_big)$$, false),
	('jsonb', NULL, NULL, $$'{}'$$, true), ('jsonb', NULL, NULL, $$'[]'$$, false), ('jsonb', NULL, NULL, $$'null'$$, false),
	('jsonb', NULL, NULL, $$'1'$$, false), ('jsonb', NULL, NULL, $$'"x"'$$, false),
	('jsonb', NULL, NULL, $$'{"components": []}'$$, false),
	('jsonb', NULL, NULL, $$'{"name": "g", "currency": "DKK", "start": "2024-01-01", "period": "quarter", "components": [{"type": "rate_card", "name": "card", "per_participant_cap": 5000, "outcomes": [{"outcome": "job", "price": 1000}]}]}'$$, false),
	('jsonb', NULL, NULL, $$'{"name": "s", "currency": "DKK", "start": "2024-01-01", "period": "year", "investment": 1000000, "return_cap": {"rate": 0.12}, "components": [{"type": "savings", "category": "kontanthjaelp", "price_per_week": 2844.46, "share": 0.5, "seniority": 53}]}'$$, false),
	('jsonb', NULL, NULL, $$'{"name": "n", "currency": "DKK", "start": "2024-01-01", "period": "quarter", "programme_cap": "NaN", "components": [{"type": "rate_card", "name": "c", "per_participant_cap": 1e308, "outcomes": [{"outcome": "job", "price": -1}]}]}'$$, false),
	('jsonb', NULL, NULL, $$'{"name": "r", "currency": "DKK", "start": "2022-01-01", "components": [{"type": "resultattilskud"}]}'$$, false),
	('jsonb', NULL, NULL, $$'{"name": "t", "currency": "DKK", "start": "infinity", "components": [{"type": "threshold", "metric": "job", "cohort_threshold": 0.1, "price": 1000, "per": 0}]}'$$, false),
	('regclass', NULL, NULL, $$'garden_t'$$, true), ('regclass', NULL, NULL, '0', false),
	('regclass', NULL, NULL, $$'garden_empty'$$, false), ('regclass', NULL, NULL, $$'garden_one'$$, false),
	('regclass', NULL, NULL, $$'garden_v'$$, false), ('regclass', NULL, NULL, $$'garden_seq'$$, false),
	('regclass', NULL, NULL, $$'garden_out'$$, false), ('regclass', NULL, NULL, $$'pg_class'$$, false),
	('regclass', NULL, NULL, '2147483647', false),
	('benefit_path', NULL, NULL, $$'2019-01-07:130x4,-x4,997x2'$$, true),
	('benefit_path', NULL, NULL, $$'2019-01-07:-x20'$$, false),
	('benefit_path', NULL, NULL, $$'2018-12-31:111x3,-x30'$$, false),
	('benefit_path', NULL, NULL, $$'5874897-12-22:130x1'$$, false),
	('benefit_path', NULL, NULL, $$(SELECT p FROM garden_big)$$, false),
	('benefit_path_set', NULL, NULL, $$(SELECT benefit_paths(person_id, week, code) FROM garden_t WHERE code IS NOT NULL)$$, true),
	('benefit_path_set', NULL, NULL, $$(SELECT benefit_paths(person_id, week, code) FROM garden_t WHERE false)$$, false),
	-- arguments by name: values that take a call past its argument checks
	('text', 'profile', NULL, $$'strict'$$, true), ('text', 'profile', NULL, $$'lenient'$$, false),
	('text', 'outcome', NULL, $$'y'$$, false), ('text', 'unit', NULL, $$'id'$$, false),
	('text', 'period', 'att_gt%', $$'t'$$, false), ('text', 'period', 'did_mean', $$'change'$$, true),
	('text', 'period', 'did_mean', $$'pre'$$, false), ('text', 'cohort', NULL, $$'g'$$, false),
	('text', 'cluster', 'att_gt%', $$'cl'$$, false), ('text', 'weights', NULL, $$'w'$$, false),
	('text', 'person_column', NULL, $$'id'$$, true), ('text', 'period_column', NULL, $$'rel'$$, true),
	('text', 'outcome_column', NULL, $$'y'$$, true), ('text', 'treated_column', NULL, $$'d'$$, true),
	('text', 'cluster_column', NULL, $$'cl'$$, false), ('text', 'code_column', NULL, $$'code'$$, true),
	('text', 'week_column', NULL, $$'week'$$, true),
	('text', 'control_group', NULL, $$'notyettreated'$$, false), ('text', 'base_period', NULL, $$'universal'$$, false),
	('text', 'est_method', NULL, $$'ipw'$$, false), ('text', 'est_method', NULL, $$'reg'$$, false),
	('text', 'type', NULL, $$'dynamic'$$, true), ('text', 'type', NULL, $$'group'$$, false),
	('text', 'type', NULL, $$'calendar'$$, false), ('text', 'type', NULL, $$'simple'$$, false),
	('text', 'variance', NULL, $$'cluster'$$, false), ('text', 'variance', NULL, $$'hc1'$$, false),
	('text', 'distribution', NULL, $$'normal'$$, false), ('text', 'what', NULL, $$'treated'$$, true),
	('text', 'conf_type', NULL, $$'plain'$$, false), ('text', 'convention', NULL, $$'mid'$$, false),
	('text', 'schedule', NULL, $$'fm2021'$$, true), ('text', 'category', NULL, $$'kontanthjaelp'$$, true),
	('text', 'payer_rule', NULL, $$'refusion'$$, true), ('text', 'kind', NULL, $$'employment'$$, true),
	('text', 'kind', NULL, $$'danish_test'$$, false), ('text', 'duration', NULL, $$'constant'$$, true),
	('text', 'duration', NULL, $$'linear:2'$$, false), ('text', 'duration', NULL, $$'stop:-1'$$, false),
	('text', 'duration', NULL, $$'linear:2147483648'$$, false),
	('text', 'grain', NULL, $$'week'$$, false), ('text', 'grain', NULL, $$'year'$$, false),
	('text', 'on_duplicate', NULL, $$'last'$$, false), ('text', 'column_name', NULL, $$'y_1001_2019_01'$$, true),
	('text', 'src', NULL, $$_contract_source('garden_out')$$, true), ('text', 'metric', NULL, $$'avoided_weeks'$$, true),
	('text', 'schema_name', NULL, $$'garden_scratch'$$, true),
	('name', 'person_column', NULL, $$'person_id'$$, true), ('name', 'week_column', NULL, $$'week'$$, true),
	('name', 'code_column', NULL, $$'code'$$, true),
	('name', 'outcome_column', NULL, $$'y'$$, true), ('name', 'unit_column', NULL, $$'id'$$, true),
	('name', 'period_column', 'att_gt%', $$'t'$$, true), ('name', 'period_column', NULL, $$'rel'$$, true),
	('name', 'cohort_column', NULL, $$'g'$$, true), ('name', 'treated_column', NULL, $$'d'$$, true),
	('name', 'cluster_column', NULL, $$'cl'$$, false), ('name', 'weight_column', NULL, $$'w'$$, false),
	('name[]', 'covariate_columns', NULL, $$'{x1}'$$, false),
	-- the deprecated alias arguments of 0.3.0 are left out of the base call
	-- (NULL: given with their new names there) and varied like the others
	('regclass', 'data', 'att_gt%', 'NULL', true), ('regclass', 'data', 'unmapped_codes', 'NULL', true),
	('regclass', 'tbl', NULL, 'NULL', true), ('double precision', 'alpha', 'att_gt%', 'NULL', true),
	('double precision', 'level', 'did_result', 'NULL', true),
	('text[]', 'categories', NULL, $$'{kontanthjaelp}'$$, true), ('text[]', 'covariates', NULL, $$'{x1}'$$, false),
	('text[]', 'durations', NULL, $$'{constant}'$$, true),
	('jsonb', 'contract', NULL, $$'{"name": "g", "currency": "DKK", "start": "2024-01-01", "period": "quarter", "components": [{"type": "rate_card", "name": "card", "per_participant_cap": 5000, "outcomes": [{"outcome": "job", "price": 1000}]}]}'$$, true),
	('jsonb', 'contract', 'contract_scenario', $$'{"name": "s", "currency": "DKK", "start": "2024-01-01", "period": "year", "investment": 1000000, "return_cap": {"rate": 0.12}, "components": [{"type": "savings", "category": "kontanthjaelp", "price_per_week": 2844.46, "share": 0.5, "seniority": 53}]}'$$, true),
	('jsonb', 'contract', 'payout_distribution', $$'{"name": "s", "currency": "DKK", "start": "2024-01-01", "period": "year", "investment": 1000000, "return_cap": {"rate": 0.12}, "components": [{"type": "savings", "category": "kontanthjaelp", "price_per_week": 2844.46, "share": 0.5, "seniority": 53}]}'$$, true),
	('regclass', 'outcomes', NULL, $$'garden_out'$$, true), ('regclass', 'savings', NULL, $$'garden_out'$$, false),
	('integer', 'yyyyww', NULL, '201902', true), ('integer', 'yyyyww', NULL, '201953', false),
	('integer', 'iso_year', NULL, '2020', true), ('integer', 'code', NULL, '130', true),
	('integer', 'code', NULL, '997', false), ('integer', 'years', NULL, '3', true),
	('integer', 'programme_month', NULL, '30', true), ('integer', 'persons', NULL, '5', true),
	('integer', 'weeks', NULL, '10', true), ('integer', 'bootstrap', NULL, '0', true),
	('integer', 'bootstrap', NULL, '20', false), ('integer', 'k', NULL, '2', true),
	('integer', 'x', NULL, '2', true), ('integer', 'y', NULL, '4', true),
	('bigint', 'last_person', NULL, '5', true), ('bigint', 'seed', NULL, '42', true),
	('double precision', 'weight', NULL, '2', true), ('double precision', 'level', NULL, '0.95', true),
	('double precision', 'alpha', NULL, '0.05', true), ('double precision', 'rate', NULL, '0.035', true),
	('double precision', 'effect', NULL, '0.1', true), ('double precision', 'conf_level', NULL, '0.95', true),
	('double precision', 'period_years', NULL, '1', true), ('double precision', 'years', NULL, '2', true),
	('double precision', 'weight', NULL, '1e-300', false), ('double precision', 'weight', NULL, '1e300', false),
	('double precision[]', 'draws', NULL, $$'{0.05,0.1}'$$, true),
	('double precision[]', 'effects', NULL, $$'{0.05,0.1}'$$, true),
	('double precision[]', 'probabilities', NULL, $$'{0.5}'$$, true),
	('numeric', 'participants', NULL, '100', true), ('numeric', 'weeks_per_success', NULL, '22', true),
	('numeric', 'kommune_share', NULL, '0.8', true), ('numeric', 'weekly_rate', NULL, '2844.46', true),
	('numeric', 'weeks', NULL, '30', true), ('numeric', 'avg_hours', NULL, '25', true),
	('date', 'day', NULL, $$'2024-07-01'$$, true), ('date', 'price_date', NULL, $$'2024-07-01'$$, false),
	('date', 'to_week', NULL, $$'2019-06-03'$$, true),
	-- unnamed arguments by position ('#n') in the functions named
	('text', '#5', '%state_trans', $$'strict'$$, true), ('text[]', '#5', 'fte_state_trans', $$'{kontanthjaelp}'$$, true),
	('date', '#4', '%state_trans', $$'2019-06-03'$$, true), ('integer', '#4', 'km_state_trans', '2', true),
	('text', '#5', 'did%transition', $$'k1'$$, true), ('text', '#6', 'did%transition', $$'k1'$$, true);

-- weighting and balance (ipw_weights, entropy_balance, balance_table) read
-- one row per unit: a table of their own, so the base call gets past the reader
CREATE TEMP TABLE garden_units (id integer, d boolean, x1 float8, g text, ps float8, w float8);
INSERT INTO garden_units
SELECT i, i % 3 = 0, (i % 7) * 0.5 + (i % 2), CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END,
	0.2 + (i % 5) * 0.1, 1 + (i % 2)
FROM generate_series(1, 30) i;
INSERT INTO garden_val (typ, argname, fn, expr, base) VALUES
	('regclass', 'relation', 'ipw_weights', $$'garden_units'$$, true),
	('regclass', 'relation', 'entropy_balance', $$'garden_units'$$, true),
	('regclass', 'relation', 'balance_table', $$'garden_units'$$, true),
	('name', 'treatment_column', 'ipw_weights', $$'d'$$, true),
	('name', 'treatment_column', 'entropy_balance', $$'d'$$, true),
	('name', 'treatment_column', 'balance_table', $$'d'$$, true),
	('name', 'score_column', 'ipw_weights', $$'ps'$$, true),
	('name', 'base_weight_column', 'entropy_balance', $$'w'$$, false),
	('name[]', 'covariate_columns', 'entropy_balance', $$'{x1,g}'$$, true),
	('name[]', 'covariate_columns', 'balance_table', $$'{x1,g}'$$, true),
	('text', 'estimand', 'ipw_weights', $$'ate'$$, false), ('text', 'estimand', 'balance_table', $$'ate'$$, false);
