-- selfsufficiency_states(path, from_weeks, to_weeks, profile [, weight]):
-- one self-sufficiency rate state per window from one row per person.
-- References: a hand example written out below (week by week); on a
-- generated register, selfsufficiency_state of each window over the same
-- rows (serial: the same state bit for bit; parallel: the same counts and
-- rates to 1e-12) and plain SQL over the person-week table.
SET datestyle = ISO;
\i sql/include/expect_error.sql

-- Hand example. A user period makes dagpenge (111) self-supporting from
-- 2019-02-25 on, so 111 is classified week by week (the slow path).
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
VALUES (111, 'dagpenge_test', true, '2019-02-25', '2020-01-01');
CREATE TEMP TABLE hand (person_id int, path benefit_path, weight float8);
INSERT INTO hand VALUES
	(1, '2019-01-07:130x3,-x3,111x2', 1),	-- A
	(2, '2019-01-14:-x2,997x1,130x5', 2),	-- B
	(3, '2019-01-07:5555x2,651x6', 3),		-- C
	(4, NULL, 1);							-- D
-- Weeks (S self, B benefit, U unknown code, C censored, . outside the path):
--            01-07 01-14 01-21 01-28 02-04 02-11 02-18 02-25 03-04 03-11 03-18 03-25
--   A          B     B     B     S     S     S     B     S     .     .     .     .
--   B          .     S     S     C     C     C     C     C     C     .     .     .
--   C          U     U     B     B     B     B     B     B     .     .     .     .
-- (A: 130 is kontanthjaelp, then no benefit, then 111: benefit on 02-18,
-- self from 02-25. B: 997 censors every later week. C: 5555 is not in
-- the code map (unknown: observed, not self), 651 = SU is a benefit under
-- strict. D: NULL path, counted as paths_missing in every window.)
-- Windows: W1 = 2019-01-07 .. 2019-01-28 (4 weeks),
--          W2 = 2019-01-21 .. 2019-02-17 (a Sunday: weeks 01-21 .. 02-11),
--          W3 = 2019-02-04 .. 2019-03-25 (8 weeks).
-- W1: A 1/4, B 2/2 (01-07 outside, 01-28 censored), C 0/4 (2 unknown)
--     persons 3, mean (0.25 + 1 + 0) / 3 = 5/12, self 3, observed 10,
--     censored 1, unknown 2, unobserved 1; week-weighted 3/10;
--     M2 = (1/6)^2 + (7/12)^2 + (5/12)^2 = 13/24, stderr sqrt(13/24/2/3) = sqrt(13)/12.
-- W2: A 3/4, B 1/1, C 0/4: persons 3, mean 1.75/3 = 7/12, self 4,
--     observed 9, censored 3, unknown 0, unobserved 0; week-weighted 4/9;
--     M2 = (1/6)^2 + (5/12)^2 + (7/12)^2 = 13/24 again, stderr sqrt(13)/12.
-- W3: A 3/4 (02-18 benefit, 02-25 self) + 4 outside; B 5 censored +
--     3 outside: no observed week (persons_unobserved); C 0/4 + 4 outside.
--     persons 2, mean 0.375, self 3, observed 8, censored 5, unobserved 11;
--     week-weighted 3/8; M2 = 2 * 0.375^2, stderr sqrt(M2 / 1 / 2) = 0.375.
-- Weighted (A 1, B 2, C 3, D 1): W1 mean (1 * 0.25 + 2 * 1 + 3 * 0) / 6 = 0.375,
--     week-weighted (1 * 1 + 2 * 2) / (1 * 4 + 2 * 2 + 3 * 4) = 0.25.
\set wf 'ARRAY[''2019-01-07'', ''2019-01-21'', ''2019-02-04'']::date[]'
\set wt 'ARRAY[''2019-01-28'', ''2019-02-17'', ''2019-03-25'']::date[]'
CREATE TEMP TABLE hand_states AS
SELECT k, s FROM unnest((SELECT selfsufficiency_states(path, :wf, :wt, 'strict' ORDER BY person_id) FROM hand))
	WITH ORDINALITY u(s, k);
SELECT k, (rate_counts(s)).*, round(rate_week_weighted(s)::numeric, 6) AS week_weighted FROM hand_states ORDER BY k;
SELECT k, abs(rate_person_weighted(s) - e.pw) < 1e-12 AS person_weighted_ok,
	abs(rate_week_weighted(s) - e.ww) < 1e-12 AS week_weighted_ok,
	abs(rate_std_error(s) - e.se) < 1e-12 AS stderr_ok
FROM hand_states JOIN (VALUES (1, 5.0 / 12, 0.3, sqrt(13) / 12), (2, 7.0 / 12, 4.0 / 9, sqrt(13) / 12),
                              (3, 0.375, 0.375, 0.375)) e(k, pw, ww, se) USING (k)
ORDER BY k;
-- min_n and the other accessors work on the elements
SELECT k, rate_person_weighted(s, 3) IS NOT NULL AS with_3, rate_person_weighted(s, 4) IS NULL AS below_4,
	rate_week_weighted(s, 3) IS NOT NULL AS ww_with_3, rate_std_error(s, 3) IS NOT NULL AS se_with_3
FROM hand_states ORDER BY k;
-- every element is the one-window state over the same rows, bit for bit
SELECT h.k, h.s::text = o.s::text AS same_state
FROM hand_states h,
	LATERAL (SELECT selfsufficiency_state(path, (:wf)[h.k], (:wt)[h.k], 'strict' ORDER BY person_id) AS s FROM hand) o
ORDER BY h.k;
-- weighted
CREATE TEMP TABLE hand_weighted AS
SELECT k, s FROM unnest((SELECT selfsufficiency_states(path, :wf, :wt, 'strict', weight ORDER BY person_id) FROM hand))
	WITH ORDINALITY u(s, k);
SELECT abs(rate_person_weighted(s) - 0.375) < 1e-12 AS weighted_mean_ok,
	abs(rate_week_weighted(s) - 0.25) < 1e-12 AS weighted_week_ok, (rate_counts(s)).sum_weights
FROM hand_weighted WHERE k = 1;
SELECT h.k, h.s::text = o.s::text AS same_weighted_state
FROM hand_weighted h,
	LATERAL (SELECT selfsufficiency_state(path, (:wf)[h.k], (:wt)[h.k], 'strict', weight ORDER BY person_id) AS s FROM hand) o
ORDER BY h.k;
-- the same weeks given by other days are the same windows (here: every row
-- a different day of the same weeks), and another profile: under
-- with_education SU is self-supporting, so C's W2 share is 4/4
SELECT k, u.s::text = h.s::text AS same_state
FROM unnest((SELECT selfsufficiency_states(path, ARRAY['2019-01-07'::date + person_id, '2019-01-23', '2019-02-05'],
                                           ARRAY['2019-01-29'::date, '2019-02-11', '2019-03-31'], 'strict' ORDER BY person_id) FROM hand)) WITH ORDINALITY u(s, k)
JOIN hand_states h USING (k)
ORDER BY k;
SELECT (rate_counts(s)).self_weeks AS self_weeks_w2_with_education
FROM unnest((SELECT selfsufficiency_states(path, :wf, :wt, 'with_education') FROM hand)) WITH ORDINALITY u(s, k) WHERE k = 2;
-- no rows: NULL; only NULL paths: paths_missing in every window
SELECT selfsufficiency_states(path, :wf, :wt, 'strict') IS NULL AS no_rows FROM hand WHERE false;
SELECT (rate_counts(s)).paths_missing, rate_person_weighted(s) IS NULL AS no_rate
FROM unnest((SELECT selfsufficiency_states(path, :wf, :wt, 'strict') FROM hand WHERE path IS NULL)) s;
DELETE FROM benefit_code WHERE source = 'user';

-- Generated register: yearly windows (the ISO years 2019 and 2020 of the
-- register, and 2018 wholly before it), quarters overlapping them, one
-- week, and a window reaching past both ends.
SET client_min_messages = warning;
CREATE SCHEMA rw;
SELECT generate_register('rw', 300, 7, 104);
RESET client_min_messages;
\set first '(SELECT value::date FROM rw.register_info WHERE key = ''first_week'')'
\set last '(SELECT value::date FROM rw.register_info WHERE key = ''last_week'')'
DROP TABLE rw.person_path;	-- generate_register's (person_id, path): this one has municipality
CREATE TABLE rw.person_path AS
SELECT p.person_id, p.municipality, path_cover(pp.path, :first, :last) AS path
FROM rw.person p
LEFT JOIN (SELECT person_id, benefit_path(week, code) AS path FROM rw.benefit_week GROUP BY 1) pp USING (person_id)
ORDER BY p.person_id;
-- one person without a path (a NULL path is counted, not dropped)
UPDATE rw.person_path SET path = NULL WHERE person_id = (SELECT min(person_id) FROM rw.person_path);
CREATE TABLE rw.years AS
SELECT extract(isoyear FROM w)::int AS yr, min(w)::date AS from_week, max(w)::date AS to_week, count(*)::int AS weeks
FROM generate_series(:first, :last, interval '7 days') w GROUP BY 1;
INSERT INTO rw.years VALUES (2018, '2018-01-01', '2018-12-24', 52);
CREATE TABLE rw.win (k int, from_week date, to_week date);
INSERT INTO rw.win
SELECT row_number() OVER (ORDER BY ord, from_week), from_week, to_week FROM (
	SELECT 1 AS ord, from_week, to_week FROM rw.years
	UNION ALL SELECT 2, q, (q + interval '12 weeks')::date FROM generate_series(:first, :last, interval '13 weeks') q
	UNION ALL VALUES (3, '2019-06-03'::date, '2019-06-09'::date), (3, '2018-06-04', '2021-06-28')) w;
ANALYZE rw.person_path;
ANALYZE rw.years;
ANALYZE rw.win;
SELECT (SELECT count(*) FROM rw.years) AS years, (SELECT count(*) FROM rw.win) AS windows,
	(SELECT count(DISTINCT municipality) FROM rw.person_path) AS municipalities;

-- serial: every element is the one-window state of its window over the
-- same rows in the same order (ORDER BY person_id), bit for bit
CREATE TEMP TABLE rw_multi AS
SELECT g.municipality, s.k, s.state
FROM (SELECT municipality,
             selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY k) FROM rw.win),
                                    (SELECT array_agg(to_week ORDER BY k) FROM rw.win), 'strict' ORDER BY person_id) AS states
      FROM rw.person_path GROUP BY 1) g
CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k);
CREATE TEMP TABLE rw_single AS
SELECT municipality, w.k, selfsufficiency_state(path, w.from_week, w.to_week, 'strict' ORDER BY person_id) AS state
FROM rw.person_path CROSS JOIN rw.win w GROUP BY 1, 2;
SELECT count(*) AS cells, count(*) FILTER (WHERE m.state::text = s.state::text) AS identical,
	count(*) FILTER (WHERE (rate_counts(s.state)).persons > 0) AS with_persons,
	count(*) FILTER (WHERE (rate_counts(s.state)).persons_unobserved > 0) AS with_unobserved,
	count(*) FILTER (WHERE (rate_counts(s.state)).censored_weeks > 0) AS with_censored,
	sum((rate_counts(s.state)).paths_missing) AS paths_missing
FROM rw_multi m FULL JOIN rw_single s USING (municipality, k);

-- the question of the benchmark (person-weighted rate per municipality
-- and ISO year) written as in docs/reference.md, against plain SQL over
-- the person-week table and the code map
CREATE TEMP TABLE rw_rates AS
SELECT g.municipality, y.yr, rate_person_weighted(s.state) AS r
FROM (SELECT municipality, selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY yr) FROM rw.years),
                                                  (SELECT array_agg(to_week ORDER BY yr) FROM rw.years), 'strict') AS states
      FROM rw.person_path GROUP BY 1) g
CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)
JOIN (SELECT yr, row_number() OVER (ORDER BY yr) AS k FROM rw.years) y USING (k);
CREATE TEMP TABLE rw_week_state AS
SELECT p.person_id, p.municipality, w.week,
       CASE WHEN w.week > :last OR w.week < :first THEN 'unobserved' ELSE benefit_state(b.code, w.week) END AS st
FROM rw.person_path p
CROSS JOIN (SELECT d::date AS week FROM generate_series((SELECT min(from_week) FROM rw.years),
                                                       (SELECT max(to_week) FROM rw.years), interval '7 days') d) w
LEFT JOIN rw.benefit_week b ON b.person_id = p.person_id AND b.week = w.week
WHERE p.path IS NOT NULL;
SELECT count(*) AS cells, count(*) FILTER (WHERE abs(a.r - s.r) < 1e-12 OR (a.r IS NULL AND s.r IS NULL)) AS agree_with_plain_sql,
	count(*) FILTER (WHERE a.r IS NULL) AS null_rates
FROM rw_rates a FULL JOIN (
	SELECT municipality, yr, avg(self_weeks::float8 / nullif(observed_weeks, 0)) AS r
	FROM (SELECT person_id, municipality, y.yr,
	             count(*) FILTER (WHERE st = 'self') AS self_weeks,
	             count(*) FILTER (WHERE st IN ('self', 'benefit', 'unknown')) AS observed_weeks
	      FROM rw_week_state JOIN rw.years y ON week BETWEEN y.from_week AND y.to_week
	      GROUP BY 1, 2, 3) pw
	GROUP BY 1, 2) s USING (municipality, yr);

-- weighted: the same, bit for bit
SELECT count(*) AS cells, count(*) FILTER (WHERE m.state::text = s.state::text) AS identical
FROM (SELECT g.municipality, s.k, s.state
      FROM (SELECT municipality,
                   selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY k) FROM rw.win),
                                          (SELECT array_agg(to_week ORDER BY k) FROM rw.win), 'strict',
                                          0.5 + (person_id % 7) / 3.0 ORDER BY person_id) AS states
            FROM rw.person_path GROUP BY 1) g
      CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)) m
FULL JOIN (SELECT municipality, w.k,
                  selfsufficiency_state(path, w.from_week, w.to_week, 'strict', 0.5 + (person_id % 7) / 3.0 ORDER BY person_id) AS state
           FROM rw.person_path CROSS JOIN rw.win w GROUP BY 1, 2) s USING (municipality, k);

-- rollup of the elements: municipalities -> all persons, per window
SELECT count(*) AS windows,
	count(*) FILTER (WHERE rate_counts(r.s) = rate_counts(a.s)) AS counts_equal,
	count(*) FILTER (WHERE abs(rate_person_weighted(r.s) - rate_person_weighted(a.s)) < 1e-12
	                    OR (rate_person_weighted(r.s) IS NULL AND rate_person_weighted(a.s) IS NULL)) AS rates_agree
FROM (SELECT k, selfsufficiency_rollup(state) AS s FROM rw_multi GROUP BY k) r
JOIN (SELECT w.k, selfsufficiency_state(path, w.from_week, w.to_week, 'strict') AS s
      FROM rw.person_path CROSS JOIN rw.win w GROUP BY 1) a USING (k);

-- the whole-number counts of a state (sum_weights is a floating-point sum)
CREATE FUNCTION pg_temp.int_counts(s selfsufficiency_state) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[c.persons, c.persons_unobserved, c.paths_missing, c.self_weeks, c.observed_weeks,
	             c.censored_weeks, c.unknown_weeks, c.unobserved_weeks]
	FROM rate_counts(s) c $$;

-- parallel plan: workers' partial states are serialized, deserialized and
-- combined window by window (Partial Aggregate below a Gather; the
-- leader's own partial state goes through serialize/deserialize too).
-- Persons reach the merge in another grouping than the serial pass, so
-- the floating-point sums may differ in the last bits: counts are
-- compared exactly, rates to 1e-12.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- (300 persons in 45 municipalities are too few for the planner to split
-- the aggregation by its default costs; a higher operator cost says what
-- a transition that reads a path costs)
SET cpu_operator_cost = 0.05;
\set par_query 'SELECT municipality, selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY k) FROM rw.win), (SELECT array_agg(to_week ORDER BY k) FROM rw.win), ''strict'') AS states FROM rw.person_path GROUP BY 1'
EXPLAIN (COSTS OFF) :par_query;
CREATE TEMP TABLE rw_par AS
SELECT g.municipality, s.k, s.state FROM (:par_query) g CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k);
SELECT count(*) AS cells, count(*) FILTER (WHERE pg_temp.int_counts(p.state) = pg_temp.int_counts(s.state)) AS counts_equal,
	count(*) FILTER (WHERE abs(rate_person_weighted(p.state) - rate_person_weighted(s.state)) < 1e-12
	                    OR (rate_person_weighted(p.state) IS NULL AND rate_person_weighted(s.state) IS NULL)) AS person_weighted_agree,
	count(*) FILTER (WHERE abs(rate_week_weighted(p.state) - rate_week_weighted(s.state)) < 1e-12
	                    OR (rate_week_weighted(p.state) IS NULL AND rate_week_weighted(s.state) IS NULL)) AS week_weighted_agree,
	count(*) FILTER (WHERE abs(coalesce(rate_std_error(p.state), 0) - coalesce(rate_std_error(s.state), 0)) < 1e-12) AS stderr_agree
FROM rw_par p FULL JOIN rw_single s USING (municipality, k);
-- the same with sorted groups (Partial GroupAggregate under Gather Merge)
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) :par_query;
SELECT count(*) AS cells, count(*) FILTER (WHERE pg_temp.int_counts(p.state) = pg_temp.int_counts(s.state)
	AND (abs(rate_person_weighted(p.state) - rate_person_weighted(s.state)) < 1e-12
	     OR (rate_person_weighted(p.state) IS NULL AND rate_person_weighted(s.state) IS NULL))) AS agree
FROM (SELECT g.municipality, s.k, s.state FROM (:par_query) g CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)) p
FULL JOIN rw_single s USING (municipality, k);
RESET enable_hashagg;
-- the weighted form in parallel
SELECT count(*) AS cells, count(*) FILTER (WHERE pg_temp.int_counts(p.state) = pg_temp.int_counts(s.state)
	AND abs((rate_counts(p.state)).sum_weights - (rate_counts(s.state)).sum_weights) < 1e-12
	AND abs(rate_person_weighted(p.state) - rate_person_weighted(s.state)) < 1e-12
	AND abs(rate_week_weighted(p.state) - rate_week_weighted(s.state)) < 1e-12) AS agree
FROM (SELECT g.municipality, s.k, s.state
      FROM (SELECT municipality,
                   selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY k) FROM rw.win),
                                          (SELECT array_agg(to_week ORDER BY k) FROM rw.win), 'strict',
                                          0.5 + (person_id % 7) / 3.0) AS states
            FROM rw.person_path GROUP BY 1) g
      CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)) p
FULL JOIN (SELECT municipality, w.k,
                  selfsufficiency_state(path, w.from_week, w.to_week, 'strict', 0.5 + (person_id % 7) / 3.0) AS state
           FROM rw.person_path CROSS JOIN rw.win w GROUP BY 1, 2) s USING (municipality, k)
WHERE (rate_counts(s.state)).persons > 0;
-- windows that differ between rows are caught in the workers (each row
-- after the first compares) whichever worker gets which rows
SELECT left(pg_temp.expect_error($$ SELECT municipality, selfsufficiency_states(path,
	ARRAY['2019-01-07'::date + (person_id % 2)::int * 7], ARRAY['2019-12-30'::date], 'strict')
	FROM rw.person_path GROUP BY 1 $$), 70) AS changed_in_parallel;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET cpu_operator_cost;

-- Bad input: SQLSTATE, message naming the argument, hint
CREATE TEMP TABLE one AS SELECT '2019-01-07:130x4'::benefit_path AS p,
	ARRAY['2019-01-07', '2019-01-21', '2019-02-04']::date[] AS wf, ARRAY['2019-01-28', '2019-02-17', '2019-03-25']::date[] AS wt;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, NULL, wt, 'strict') FROM one $$) AS null_from;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, NULL, 'strict') FROM one $$) AS null_to;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt[1:2], 'strict') FROM one $$) AS lengths_differ;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, '{}', '{}', 'strict') FROM one $$) AS empty;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, '{}', 'strict') FROM one $$) AS empty_to;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, ARRAY['2019-01-07'::date, NULL], ARRAY['2019-01-28'::date, '2019-02-04'], 'strict') FROM one $$) AS null_element;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, ARRAY['2019-01-28'::date, NULL, '2019-03-25'], 'strict') FROM one $$) AS null_element_of_to;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, '{{2019-01-07},{2019-01-14}}', '{{2019-01-28},{2019-02-04}}', 'strict') FROM one $$) AS two_dimensions;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, ARRAY['2019-01-07'::date, 'infinity'], ARRAY['2019-01-28'::date, '2019-02-04'], 'strict') FROM one $$) AS infinite;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, ARRAY['2019-01-07', '2019-02-11']::date[], ARRAY['2019-01-28', '2019-02-04']::date[], 'strict') FROM one $$) AS from_after_to;
-- (the same week is a one-week window, whatever the days)
SELECT (rate_counts(s[1])).observed_weeks AS one_week
FROM (SELECT selfsufficiency_states(p, ARRAY['2019-01-13'::date], ARRAY['2019-01-07'::date], 'strict') AS s FROM one) x;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, a, a, 'strict')
	FROM one, (SELECT array_agg(d::date) AS a FROM generate_series('2000-01-03'::date, '2000-01-03'::date + 7 * 10000, interval '7 days') d) x $$) AS too_many;
SELECT array_length(selfsufficiency_states(p, a, a, 'strict'), 1) AS at_the_cap
FROM one, (SELECT array_agg(d::date) AS a FROM generate_series('2000-01-03'::date, '2000-01-03'::date + 7 * 9999, interval '7 days') d) x;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, 'lenient') FROM one $$) AS unknown_profile;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, NULL) FROM one $$) AS null_profile;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, 'strict', NULL) FROM one $$) AS null_weight;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, 'strict', 0) FROM one $$) AS zero_weight;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, 'strict', -1) FROM one $$) AS negative_weight;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, 'strict', 'NaN') FROM one $$) AS nan_weight;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(p, wf, wt, 'strict', 'Infinity') FROM one $$) AS infinite_weight;
-- the one-window aggregate says the same about profile and weight
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(p, '2019-01-07', '2019-01-28', 'lenient') FROM one $$) AS one_window_unknown_profile;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(p, '2019-01-07', '2019-01-28', 'strict', 0) FROM one $$) AS one_window_zero_weight;
-- a NULL weight is an error even with a NULL path (as selfsufficiency_state)
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(NULL, wf, wt, 'strict', NULL) FROM one $$) AS null_weight_null_path;
-- windows that change between rows
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(path, f, ARRAY['2019-01-28', '2019-02-17', '2019-03-25']::date[], 'strict' ORDER BY person_id)
	FROM hand, LATERAL (SELECT CASE WHEN person_id = 3 THEN ARRAY['2019-01-07', '2019-01-21', '2019-02-11']::date[]
	                                ELSE ARRAY['2019-01-07', '2019-01-21', '2019-02-04']::date[] END AS f) x $$) AS changed_window;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(path, f, f, 'strict' ORDER BY person_id)
	FROM hand, LATERAL (SELECT CASE WHEN person_id = 2 THEN ARRAY['2019-01-07']::date[] ELSE ARRAY['2019-01-07', '2019-01-14']::date[] END AS f) x $$) AS changed_count;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_states(path, CASE WHEN person_id = 2 THEN NULL ELSE ARRAY['2019-01-07'::date] END,
	ARRAY['2019-01-28'::date], 'strict' ORDER BY person_id) FROM hand $$) AS null_on_a_later_row;
-- windows computed per row (a new array every row, perhaps at the same
-- address) but equal: no error, the same states as the constant
SELECT (SELECT selfsufficiency_states(path, (:wf)[1:(3 + 0 * person_id)], (:wt)[1:(3 + 0 * person_id)], 'strict') FROM hand)::text
	= (SELECT selfsufficiency_states(path, :wf, :wt, 'strict') FROM hand)::text AS computed_equal_constant;

-- every new function and aggregate has a comment
SELECT count(*) AS objects, count(*) FILTER (WHERE obj_description(oid, 'pg_proc') IS NULL) AS without_comment
FROM pg_proc WHERE proname LIKE 'selfsufficiency\_states%';

DROP SCHEMA rw CASCADE;
