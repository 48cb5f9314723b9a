-- selfsufficiency_states on edge cases of the windows and of the calling
-- query. Reference everywhere: selfsufficiency_state(path, from_weeks[k],
-- to_weeks[k], profile) of each window over the same rows in the same
-- order, compared as text (bit for bit).
SET datestyle = ISO;
\i sql/include/expect_error.sql

-- a date-dependent code (111 self-supporting only from 2019-02-25 to 2020)
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
VALUES (111, 'dagpenge_test', true, '2019-02-25', '2020-01-01');
-- and a code that is a benefit until 2019-06-02 and censors from 2019-06-03
-- (a censoring week inside a run classified week by week)
INSERT INTO benefit_code (code, category, self_supporting, censor, valid_from, valid_to)
VALUES (222, 'test_benefit', false, false, '-infinity', '2019-06-03'),
       (222, 'test_censor', false, true, '2019-06-03', 'infinity');

-- 200 paths from rows with codes of every kind: benefit (130, 651), no
-- benefit (NULL, no row), unknown (5555), date-dependent (111) and
-- censoring (997, absorbing: every later week is censored), in the middle
-- of the paths; plus edge paths (one week, a censoring code only, at the
-- ends of the calendar) and a NULL path
CREATE TEMP TABLE ep AS
SELECT p AS person_id, benefit_path(week, code) AS path, 1 + (p % 5) / 2.0 AS weight
FROM (SELECT p, date '2018-06-04' + 7 * w AS week,
             (ARRAY[130, 130, 651, 5555, 111, 111, NULL, NULL, 997, 700, 222, 222])[1 + (p * 31 + w * 17 + w / 7) % CASE WHEN p % 4 = 0 THEN 12 ELSE 10 END * (1 - (p % 3 = 0 AND w < 40)::int)] AS code
      FROM generate_series(1, 200) p, generate_series(0, 120) w
      WHERE (p + w) % 13 <> 0 AND NOT ((p * 7 + w) % 29 = 0 AND w > 100)) x
GROUP BY p;
INSERT INTO ep VALUES (1000, NULL, 1), (1001, '2019-01-07:997x1', 1), (1002, '2019-01-07:-x1', 2),
	(1003, '0001-01-01:130x3', 1), (1004, '9999-12-06:997x2', 1), (1005, '2019-03-04:111x1,-x2,111x300', 1),
	(1006, '2019-05-06:222x10,130x5', 1), (1007, '2019-01-07:-x3,222x100', 2);
SELECT count(*) AS persons, count(*) FILTER (WHERE path::text ~ '997x') AS with_censoring,
	count(*) FILTER (WHERE path::text ~ '222x') AS with_222,
	count(*) FILTER (WHERE path::text ~ '5555x') AS with_unknown FROM ep;

-- windows: before, after, inside and around the paths, one week, the same
-- window twice, non-Mondays, the whole calendar
CREATE TEMP TABLE ew (k int, f date, t date);
INSERT INTO ew
SELECT k, f, f + CASE WHEN k % 5 = 0 THEN k % 7 ELSE (k * 37) % 400 END
FROM (SELECT k, date '2017-01-01' + (k * 97) % 1500 AS f FROM generate_series(1, 40) k) x;
INSERT INTO ew VALUES (41, '0001-01-01', '9999-12-31'), (42, '2019-01-07', '2019-01-07'), (43, '2019-01-07', '2019-01-13'),
	(44, '2030-01-01', '2031-01-01'), (45, '2000-01-01', '2000-12-31'), (46, '2021-01-06', '2021-01-06');
\set ef '(SELECT array_agg(f ORDER BY k) FROM ew)'
\set et '(SELECT array_agg(t ORDER BY k) FROM ew)'

CREATE FUNCTION pg_temp.agree(states selfsufficiency_state[], profile text, weighted boolean, filter_mod int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	SELECT count(*) FILTER (WHERE s.s::text = o.s::text) || ' of ' || count(*) INTO r
	FROM unnest(states) WITH ORDINALITY s(s, k) JOIN ew USING (k),
	LATERAL (SELECT CASE WHEN weighted
	                     THEN selfsufficiency_state(path, ew.f, ew.t, profile, weight ORDER BY person_id)
	                          FILTER (WHERE person_id % filter_mod = 0)
	                     ELSE selfsufficiency_state(path, ew.f, ew.t, profile ORDER BY person_id)
	                          FILTER (WHERE person_id % filter_mod = 0) END AS s
	         FROM ep) o;
	RETURN r;
END $$;

SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.agree((SELECT selfsufficiency_states(path, :ef, :et, 'strict' ORDER BY person_id) FROM ep), 'strict', false, 1) AS strict;
SELECT pg_temp.agree((SELECT selfsufficiency_states(path, :ef, :et, 'with_education', weight ORDER BY person_id) FROM ep),
	'with_education', true, 1) AS weighted_with_education;
-- the week counts of every window against path_week_states, an
-- independent reader (decode every run, classify into state runs, count):
-- summed over the persons, and the persons with and without observed weeks
SELECT count(*) AS windows, count(*) FILTER (WHERE c.persons = r.persons AND c.persons_unobserved = r.persons_unobserved
	AND c.paths_missing = r.paths_missing AND c.self_weeks = r.self_weeks AND c.observed_weeks = r.observed_weeks
	AND c.censored_weeks = r.censored_weeks AND c.unknown_weeks = r.unknown_weeks
	AND c.unobserved_weeks = r.unobserved_weeks) AS counts_equal,
	sum(r.censored_weeks) > 0 AND sum(r.unknown_weeks) > 0 AND sum(r.unobserved_weeks) > 0
	AND sum(r.persons_unobserved) > 0 AS every_kind_of_week_met
FROM unnest((SELECT selfsufficiency_states(path, :ef, :et, 'strict') FROM ep)) WITH ORDINALITY s(s, k)
JOIN ew USING (k)
CROSS JOIN LATERAL rate_counts(s.s) c
CROSS JOIN LATERAL (
	SELECT count(*) FILTER (WHERE n.self + n.benefit + n.unknown > 0) AS persons,
	       count(*) FILTER (WHERE n.self + n.benefit + n.unknown = 0) AS persons_unobserved,
	       count(*) FILTER (WHERE ep.path IS NULL) AS paths_missing,
	       coalesce(sum(n.self), 0) AS self_weeks, coalesce(sum(n.self + n.benefit + n.unknown), 0) AS observed_weeks,
	       coalesce(sum(n.censored), 0) AS censored_weeks, coalesce(sum(n.unknown), 0) AS unknown_weeks,
	       coalesce(sum(n.unobserved), 0) AS unobserved_weeks
	FROM ep LEFT JOIN LATERAL path_week_states(ep.path, ew.f, ew.t, 'strict') n ON ep.path IS NOT NULL) r;
-- FILTER inside the aggregate
SELECT pg_temp.agree((SELECT selfsufficiency_states(path, :ef, :et, 'strict' ORDER BY person_id) FILTER (WHERE person_id % 3 = 0) FROM ep),
	'strict', false, 3) AS with_filter;
-- the arrays as column values (not constants: compared row by row)
SELECT pg_temp.agree((SELECT selfsufficiency_states(path, a.f, a.t, 'strict' ORDER BY person_id)
	FROM ep, (SELECT :ef AS f, :et AS t) a), 'strict', false, 1) AS arrays_from_a_join;
-- the arrays as plpgsql variables (query parameters)
CREATE FUNCTION pg_temp.from_variables() RETURNS selfsufficiency_state[] LANGUAGE plpgsql AS $$
DECLARE
	f date[] := (SELECT array_agg(f ORDER BY k) FROM ew);
	t date[] := (SELECT array_agg(t ORDER BY k) FROM ew);
	r selfsufficiency_state[];
BEGIN
	SELECT selfsufficiency_states(path, f, t, 'strict' ORDER BY person_id) INTO r FROM ep;
	RETURN r;
END $$;
SELECT pg_temp.agree(pg_temp.from_variables(), 'strict', false, 1) AS arrays_from_variables;

-- arrays with other lower bounds are the same windows
SELECT (SELECT selfsufficiency_states(path, '[0:1]={2019-01-07,2019-03-04}'::date[], '[5:6]={2019-02-04,2019-06-03}'::date[], 'strict' ORDER BY person_id) FROM ep)::text
	= ARRAY[(SELECT selfsufficiency_state(path, '2019-01-07', '2019-02-04', 'strict' ORDER BY person_id) FROM ep),
	        (SELECT selfsufficiency_state(path, '2019-03-04', '2019-06-03', 'strict' ORDER BY person_id) FROM ep)]::text AS other_lower_bounds;
-- ... also when the bounds change between rows but the weeks do not
SELECT (SELECT selfsufficiency_states(path, CASE WHEN person_id % 2 = 0 THEN '[0:0]={2019-01-07}'::date[] ELSE '{2019-01-09}'::date[] END,
	'{2019-02-04}'::date[], 'strict' ORDER BY person_id) FROM ep)::text
	= ARRAY[(SELECT selfsufficiency_state(path, '2019-01-07', '2019-02-04', 'strict' ORDER BY person_id) FROM ep)]::text AS bounds_change_weeks_do_not;

-- as a window function (a running aggregate and a moving frame)
SELECT count(*) AS rows, count(*) FILTER (WHERE a::text = b::text) AS running_equal FROM (
	SELECT (selfsufficiency_states(path, ARRAY['2019-01-07'::date, '2018-01-01'], ARRAY['2019-06-03'::date, '2019-12-30'], 'strict')
	        OVER (ORDER BY person_id))[2] AS a,
	       selfsufficiency_state(path, '2018-01-01', '2019-12-30', 'strict') OVER (ORDER BY person_id) AS b FROM ep) x;
SELECT count(*) AS rows, count(*) FILTER (WHERE a::text = b::text) AS moving_equal FROM (
	SELECT (selfsufficiency_states(path, ARRAY['2019-01-07'::date, '2018-01-01'], ARRAY['2019-06-03'::date, '2019-12-30'], 'strict')
	        OVER w)[1] AS a,
	       selfsufficiency_state(path, '2019-01-07', '2019-06-03', 'strict') OVER w AS b
	FROM ep WINDOW w AS (PARTITION BY person_id % 7 ORDER BY person_id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)) x;

-- other windows in every group (the arrays come from the group's row of a
-- join) and in every execution of a LATERAL subquery (a new state each)
SELECT count(*) AS groups, count(*) FILTER (WHERE x.s[1]::text = y.s::text) AS equal FROM
	(SELECT k, selfsufficiency_states(path, ARRAY[f], ARRAY[t], 'strict' ORDER BY person_id) AS s
	 FROM ep JOIN ew ON person_id % 46 + 1 = ew.k GROUP BY k) x
JOIN (SELECT k, selfsufficiency_state(path, f, t, 'strict' ORDER BY person_id) AS s
      FROM ep JOIN ew ON person_id % 46 + 1 = ew.k GROUP BY k) y USING (k);
SELECT count(*) AS executions, count(*) FILTER (WHERE x.s[1]::text = y.s::text) AS equal
FROM ew, LATERAL (SELECT selfsufficiency_states(path, ARRAY[ew.f, ew.f], ARRAY[ew.t, ew.t], 'strict' ORDER BY person_id) AS s FROM ep) x,
	LATERAL (SELECT selfsufficiency_state(path, ew.f, ew.t, 'strict' ORDER BY person_id) AS s FROM ep) y;

-- 10,000 windows (one per day, some of the same weeks): each is the
-- one-window state
CREATE TEMP TABLE many AS
SELECT s, k FROM unnest((SELECT selfsufficiency_states(path,
	(SELECT array_agg(date '2018-01-01' + i ORDER BY i) FROM generate_series(1, 10000) i),
	(SELECT array_agg(date '2018-01-01' + i + i % 30 ORDER BY i) FROM generate_series(1, 10000) i), 'strict' ORDER BY person_id) FROM ep))
	WITH ORDINALITY u(s, k);
SELECT count(*) AS windows, count(*) FILTER (WHERE m.s::text = o.s::text) AS equal
FROM many m, LATERAL (SELECT selfsufficiency_state(path, date '2018-01-01' + k::int, date '2018-01-01' + k::int + k::int % 30, 'strict' ORDER BY person_id) AS s FROM ep) o
WHERE k % 499 = 1;

-- parallel: partial states serialized, deserialized and combined; counts
-- exact, rates to 1e-12
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET cpu_operator_cost = 0.05;
CREATE TABLE ep_big AS SELECT e.* FROM ep e, generate_series(1, 30);
ANALYZE ep_big;
SELECT count(*) AS windows, count(*) FILTER (WHERE (rate_counts(a.s)).persons = (rate_counts(b.s)).persons
	AND (rate_counts(a.s)).self_weeks = (rate_counts(b.s)).self_weeks
	AND (rate_counts(a.s)).censored_weeks = (rate_counts(b.s)).censored_weeks
	AND (rate_counts(a.s)).unobserved_weeks = (rate_counts(b.s)).unobserved_weeks
	AND (rate_counts(a.s)).paths_missing = (rate_counts(b.s)).paths_missing
	AND coalesce(abs(rate_person_weighted(a.s) - rate_person_weighted(b.s)) < 1e-12,
	             rate_person_weighted(a.s) IS NULL AND rate_person_weighted(b.s) IS NULL)) AS agree
FROM unnest((SELECT selfsufficiency_states(path, :ef, :et, 'strict') FROM ep_big)) WITH ORDINALITY a(s, k) JOIN ew USING (k),
	LATERAL (SELECT selfsufficiency_state(path, ew.f, ew.t, 'strict') AS s FROM ep_big) b;
DROP TABLE ep_big;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET cpu_operator_cost;

DELETE FROM benefit_code WHERE source = 'user';
