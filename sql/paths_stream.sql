-- benefit_paths(person_id, week, code): every person's path in one
-- aggregate (no GROUP BY person_id). Reference: the paths written out by
-- hand below, and benefit_path(week, code) ... GROUP BY person_id on
-- generated data in table order, shuffled, interleaved and in a parallel
-- plan; the rate and DiD inputs from both routes agree exactly.
SET datestyle = ISO;
\i sql/include/expect_error.sql

-- hand example: person 1 has 130 in the weeks of 2019-01-07 and -14, no
-- row for 01-21 (no benefit), an explicit NULL code for 01-28 (no
-- benefit) and 997 for 02-04: 130x2,-x2,997x1. Person 2 has one row on a
-- Wednesday (2019-01-16): its Monday is 2019-01-14.
CREATE TEMP TABLE hand (person_id bigint, week date, code int);
INSERT INTO hand VALUES (1, '2019-01-07', 130), (1, '2019-01-14', 130), (1, '2019-01-28', NULL),
	(1, '2019-02-04', 997), (2, '2019-01-16', 111);
SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM hand));
SELECT (benefit_paths(person_id, week, code)).person_id FROM hand;
-- the same rows in reverse order (late rows merged in the final function)
SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code ORDER BY person_id DESC, week DESC) FROM hand));
-- person 1 met again after person 2 (two entries for one person)
SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code ORDER BY o) FROM
	(VALUES (1, 1::bigint, '2019-01-07'::date, 130), (2, 2, '2019-01-16', 111), (3, 1, '2019-01-21', 130),
	        (4, 1, '2019-01-14', 130)) v(o, person_id, week, code)));

-- no rows: NULL, and no rows out of benefit_paths_rows
SELECT benefit_paths(person_id, week, code) IS NULL AS empty_is_null FROM hand WHERE false;
SELECT count(*) AS rows_of_null FROM benefit_paths_rows(NULL);

-- generated register: table order (person, week), as generate_register stores it
CREATE SCHEMA ps;
SELECT generate_register('ps', 400, 11, 80);
CREATE TEMP TABLE ps_group AS
SELECT person_id, benefit_path(week, code) AS path FROM ps.benefit_week GROUP BY 1;
CREATE TEMP TABLE ps_stream AS
SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM ps.benefit_week));
SELECT (SELECT count(*) FROM ps_group) AS persons_group, (SELECT count(*) FROM ps_stream) AS persons_stream,
	count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM ps_group g FULL JOIN ps_stream s USING (person_id);
-- the persons come out in ascending order
SELECT bool_and(a < b) AS ascending
FROM (SELECT person_id AS a, lead(person_id) OVER (ORDER BY ord) AS b
      FROM unnest((SELECT (benefit_paths(person_id, week, code)).person_id FROM ps.benefit_week))
           WITH ORDINALITY u(person_id, ord)) x WHERE b IS NOT NULL;

-- shuffled rows (every person split into many entries and late rows),
-- with some weeks given on other weekdays
CREATE TABLE ps.shuffled AS
SELECT person_id, week + (person_id % 5)::int AS week, code
FROM ps.benefit_week ORDER BY md5(person_id::text || week::text);
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM ps_group g FULL JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM ps.shuffled)) s
	USING (person_id);

-- parallel plan: partial states of the workers are combined; a person cut
-- by a scan chunk boundary is merged in the final function
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT benefit_paths(person_id, week, code) FROM ps.benefit_week;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM ps_group g FULL JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM ps.benefit_week)) s
	USING (person_id);
-- and the shuffled rows in parallel (entries and late rows of one person
-- in several workers' states)
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM ps_group g FULL JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM ps.shuffled)) s
	USING (person_id);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- the rate from both routes (52 weeks from 2019-01-07, covered to the
-- register's weeks): the same state, field by field (persons fed in the
-- same order, so even the floating-point sums agree bit for bit)
SELECT a.s::text = b.s::text AS same_rate_state, rate_person_weighted(a.s) IS NOT NULL AS has_rate
FROM (SELECT selfsufficiency_state(path_cover(path, '2019-01-07', week_add('2019-01-07', 79)),
		'2019-01-07', week_add('2019-01-07', 51), 'strict' ORDER BY person_id) AS s FROM ps_group) a,
     (SELECT selfsufficiency_state(path_cover(path, '2019-01-07', week_add('2019-01-07', 79)),
		'2019-01-07', week_add('2019-01-07', 51), 'strict' ORDER BY person_id) AS s FROM ps_stream) b;

-- duplicates: an error naming the person and the week, or DREAM's priority
INSERT INTO hand VALUES (1, '2019-01-15', 211);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(person_id, week, code) FROM hand $$);
SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code, 'dream_priority') FROM hand));
SELECT p.path = s.path AS priority_as_benefit_path
FROM (SELECT benefit_path(week, code, 'dream_priority') AS path FROM hand WHERE person_id = 1) p,
     (SELECT path FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code, 'dream_priority') FROM hand))
      WHERE person_id = 1) s;

-- bad input
SELECT pg_temp.expect_error($$ SELECT benefit_paths(person_id, week, code, 'first') FROM hand $$);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(person_id, week, code, NULL) FROM hand $$);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(NULL, '2019-01-07', 130) $$);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(1, NULL, 130) $$);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(1, 'infinity', 130) $$);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(1, '2019-01-07', 10000) $$);
SELECT pg_temp.expect_error($$ SELECT benefit_paths(1, '2019-01-07', 0) $$);
