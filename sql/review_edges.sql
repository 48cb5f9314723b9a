-- Edge cases an adversarial review found after the shared-server fixes:
-- extreme weight ratios, long cluster labels, non-integer and long unit
-- ids, a regclass that names no relation.
\i sql/include/expect_error.sql

-- item 6: weights inside the documented range (1e-150 .. 1e150) whose
-- ratio is extreme made the weighted moments M2 / Q2 round to a tiny
-- negative number, so did_weighted_state refused its own state with
-- XX001 "invalid stored did_state" (in the aggregate, in a rollup, when
-- read back). Both are sums of squares: never below 0.
CREATE TABLE vh_w (pre float8, post float8, treated bool, w float8, grp int);
INSERT INTO vh_w VALUES (1e5, 2e5, true, 1e-150, 1), (2e-300, 3e-300, true, 1e150, 1),
	(1, 3, false, 1, 1), (1, 4, false, 1, 1),
	(2e-300, 3e-300, true, 1e150, 2), (1e5, 2e5, true, 1e-150, 2);
SELECT did_weighted_state(pre, post, treated, w)::text::did_state IS NOT NULL AS reads_back
FROM vh_w WHERE grp = 1;
SELECT did_weighted_state(pre, post, treated, w)::text::did_state IS NOT NULL AS reads_back_other_order
FROM vh_w WHERE grp = 2 OR NOT treated;
SELECT did_rollup(s)::text::did_state IS NOT NULL AS rollup_reads_back
FROM (SELECT did_weighted_state(pre, post, treated, w) s FROM vh_w GROUP BY grp) z;
SELECT did_n_treated(s) AS n_treated, did_n_control(s) AS n_control, did_std_error(s) >= 0 AS se_not_negative
FROM (SELECT did_weighted_state(pre, post, treated, w) s FROM vh_w WHERE grp = 1) z;

-- item 1 (no silent wrong answer): att_gt compared cluster labels by their
-- first 127 bytes only, so clusters whose labels differ after that were
-- merged silently (seven clusters became one, the standard errors NULL)
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/mpdta.csv'
CREATE TABLE vh_mpdta (year int, countyreal int, lpop float8, lemp float8, first_treat int, treat int);
COPY vh_mpdta FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE vh_cl AS
SELECT *, (countyreal % 7)::text AS cl, repeat('x', 200) || (countyreal % 7)::text AS cl_long FROM vh_mpdta;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('vh_cl', 'lemp', 'countyreal', 'year', 'first_treat', cluster_column => 'cl_long') $$);
-- labels that fit still give the clustered errors
SELECT count(*) AS cells, count(std_error) AS with_se
FROM att_gt('vh_cl', 'lemp', 'countyreal', 'year', 'first_treat', cluster_column => 'cl');

-- ... and with a weighted cluster state
SELECT did_weighted_state(pre, post, treated, w, grp::text)::text::did_state IS NOT NULL AS clustered_reads_back
FROM (VALUES (1e5::float8, 2e5::float8, true, 1e-150::float8, 'a'), (2e-300, 3e-300, true, 1e150, 'a'),
	(1, 3.2, false, 1e150, 'b'), (2, 3, false, 1e-150, 'b')) v(pre, post, treated, w, grp);

-- att_gt read a unit column that is not an integer type through a cast to
-- int8, which rounds: units 1001.4 and 1001.2 became one unit 1001 (and
-- 1001.6 the unit 1002) without a word
CREATE TABLE vh_units AS
SELECT year, countyreal + 0.4 AS unit, lemp, first_treat FROM vh_mpdta;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('vh_units', 'lemp', 'unit', 'year', 'first_treat') $$);
-- whole numbers in a numeric or text column still work
CREATE TABLE vh_units_ok AS
SELECT year, countyreal::numeric AS unit, countyreal::text AS unit_text, lemp, first_treat FROM vh_mpdta;
SELECT (SELECT count(*) FROM att_gt('vh_units_ok', 'lemp', 'unit', 'year', 'first_treat')) AS cells_numeric,
	(SELECT count(*) FROM att_gt('vh_units_ok', 'lemp', 'unit_text', 'year', 'first_treat')) AS cells_text;
-- text ids keep all their digits (read through int8, not float8): 18-digit
-- ids that differ only in the last digit stay distinct units, so the
-- estimates equal those with the plain ids
CREATE TABLE vh_units_long AS
SELECT year, (100000000000000000 + countyreal)::text AS unit_text, lemp, first_treat FROM vh_mpdta;
SELECT count(*) AS cells, bool_and(abs(a.estimate - b.estimate) < 1e-12) AS same_att
FROM att_gt('vh_units_long', 'lemp', 'unit_text', 'year', 'first_treat') a
JOIN att_gt('vh_units_ok', 'lemp', 'unit', 'year', 'first_treat') b USING (cohort, period);

-- item 9's 0::regclass, in did_event_study: "person_column "a" is not a
-- column of -" (42703) for a relation that does not exist
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study(0::regclass, outcome_column => 'c', unit_column => 'a', period_column => 'b', treated_column => 'd') $$);

DROP TABLE vh_w, vh_mpdta, vh_cl, vh_units, vh_units_ok, vh_units_long;
