-- Group aggregates: self-sufficiency rate, full-time equivalents (M4),
-- states' text/binary forms and merges.
\i sql/include/expect_error.sql
SET datestyle = ISO;

-- M4: three persons with 52, 26 and 13 kontanthjaelp weeks in a 52-week year
-- -> ftp = 91/52 = 1.75, persons = 3, average = 91/3 = 30.33 weeks
CREATE TEMP TABLE m4 (person int, path benefit_path);
INSERT INTO m4 VALUES (1, '2024-01-01:130x52'), (2, '2023-12-25:111x1,130x26,-x40'),
	(3, '2024-01-01:-x39,130x13'), (4, '2024-01-01:-x52'), (5, NULL);
SELECT fte(s) AS m4_fte, abs(fte(s) - 1.75) < 1e-12 AS fte_ok, fte_persons(s) AS persons,
       round(fte_avg_weeks(s)::numeric, 2) AS avg_weeks, abs(fte_avg_weeks(s) - 91.0 / 3) < 1e-12 AS avg_ok,
       fte_weeks(s) AS weeks, s AS state
FROM (SELECT fte_state(path, '2024-01-01', '2024-12-23', ARRAY['kontanthjaelp']) AS s FROM m4) x;
-- M4 with two categories: person 2's dagpenge week lies before the period
SELECT fte(fte_state(path, '2024-01-01', '2024-12-23', ARRAY['kontanthjaelp', 'dagpenge'])) AS with_dagpenge FROM m4;
-- rollup of per-person states equals the one-pass state
SELECT fte_rollup(s)::text = (SELECT fte_state(path, '2024-01-01', '2024-12-23', ARRAY['kontanthjaelp'])::text FROM m4) AS rollup_equal
FROM (SELECT fte_state(path, '2024-01-01', '2024-12-23', ARRAY['kontanthjaelp']) AS s FROM m4 GROUP BY person) x;

-- self-sufficiency rate on the M7 post windows (+1..+8, sql/did.sql):
-- T1 0.5, T2 0.875, C1 0.25, C2 0.5; plus a censored person and a NULL path
CREATE TEMP TABLE m7 (person text, grp char, w float8, path benefit_path);
INSERT INTO m7 VALUES
	('T1', 'T', 1, '2019-01-07:130x5,-x4'), ('T2', 'T', 3, '2019-01-07:130x2,-x7'),
	('C1', 'C', 1, '2019-01-07:130x7,-x2'), ('C2', 'C', 1, '2019-01-07:130x5,-x4'),
	('X1', 'C', 1, '2019-01-07:130x1,997x8'), ('X2', 'C', 1, NULL);
SELECT grp, rate_person_weighted(s) AS person_weighted, rate_week_weighted(s) AS week_weighted,
       rate_person_weighted(s, 3) AS min_n_3, rate_counts(s) AS counts, s AS state
FROM (SELECT grp, selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict') AS s FROM m7 GROUP BY grp) x
ORDER BY grp;
-- hand values: T = (0.5 + 0.875)/2 = 0.6875 person-weighted, 11/16 week-weighted;
-- weighted (T2 weight 3): (0.5 + 3 * 0.875)/4 = 0.78125; (4 + 3 * 7)/(8 + 3 * 8) = 0.78125
SELECT abs(rate_person_weighted(s) - 0.78125) < 1e-15 AS weighted_person_ok,
       abs(rate_week_weighted(s) - 25.0 / 32) < 1e-15 AS weighted_week_ok,
       abs(rate_std_error(u) - sqrt(((0.5 - 0.6875)^2 + (0.875 - 0.6875)^2) / 1 / 2)) < 1e-15 AS stderr_ok
FROM (SELECT selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict', w) AS s,
             selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict') AS u
      FROM m7 WHERE grp = 'T') x;
SELECT selfsufficiency_rate(path, '2019-01-14', '2019-03-04', 'strict') AS one_shot,
       abs(selfsufficiency_rate(path, '2019-01-14', '2019-03-04', 'strict') - 2.125 / 4) < 1e-15 AS one_shot_ok
FROM m7;
-- profiles pass through
SELECT rate_person_weighted(selfsufficiency_state(path, '2019-01-07', '2019-01-20', 'with_education')) AS su_self
FROM (VALUES ('2019-01-07:651x2'::benefit_path)) v(path);

-- states: text and binary round trips, combine = one pass, rollup
CREATE TEMP TABLE st AS
SELECT grp, selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict', w) AS s FROM m7 GROUP BY grp;
SELECT grp, s::text::selfsufficiency_state::text = s::text AS text_round_trip FROM st ORDER BY grp;
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/results/rates_st.bin'
COPY st TO :'f' (FORMAT binary);
CREATE TEMP TABLE st2 (LIKE st);
COPY st2 FROM :'f' (FORMAT binary);
SELECT count(*) FILTER (WHERE st.s::text = st2.s::text) AS equal_after_binary FROM st JOIN st2 USING (grp);
SELECT rate_counts(selfsufficiency_combine(a.s, b.s)) = rate_counts(o.s) AS combine_counts_equal,
       abs(rate_person_weighted(selfsufficiency_combine(a.s, b.s)) - rate_person_weighted(o.s)) < 1e-15 AS combine_rate_equal,
       rate_counts(r.s) = rate_counts(o.s) AS rollup_counts_equal,
       a.s::text = (SELECT s::text FROM st WHERE grp = 'C') AS combine_left_unchanged
FROM st a, st b,
     (SELECT selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict', w) AS s FROM m7) o,
     (SELECT selfsufficiency_rollup(s) AS s FROM st) r
WHERE a.grp = 'C' AND b.grp = 'T';

-- bad input
SELECT pg_temp.expect_error($$ SELECT 'v=2;persons=0'::selfsufficiency_state $$) AS wrong_version;
SELECT pg_temp.expect_error($$ SELECT 'v=1;persons=1'::selfsufficiency_state $$) AS truncated_state;
SELECT pg_temp.expect_error($$ SELECT 'v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=9;observed_weeks=8;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0.5;m2=0;w_self=4;w_observed=8'::selfsufficiency_state $$) AS inconsistent_state;
SELECT pg_temp.expect_error($$ SELECT 'v=1;period_weeks=52;persons=1;persons_in_set=1;weeks=53'::fte_state $$) AS fte_too_many_weeks;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict', 0) FROM m7 $$) AS zero_weight;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(path, '2019-03-04', '2019-01-14', 'strict') FROM m7 $$) AS window_backwards;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'nope') FROM m7 $$) AS unknown_profile;
SELECT pg_temp.expect_error($$ SELECT fte_state(path, '2024-01-01', week, ARRAY['kontanthjaelp'])
	FROM m4, (VALUES ('2024-12-23'::date), ('2024-06-24')) w(week) $$) AS fte_period_differs;
SELECT pg_temp.expect_error($$ SELECT fte_state(path, '2024-01-01', '2024-12-23', ARRAY['kontanthjalp']) FROM m4 $$) AS fte_unknown_category;
SELECT pg_temp.expect_error($$ SELECT rate_person_weighted(selfsufficiency_state(path, '2019-01-14', '2019-03-04', 'strict'), -1) FROM m7 $$) AS negative_min_n;
