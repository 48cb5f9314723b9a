-- benefit_path: text and binary forms, builders, accessors.
\i sql/include/expect_error.sql
\getenv abs_srcdir PG_ABS_SRCDIR
SET datestyle = ISO;

-- SCHEMA.md example; canonical output merges adjacent equal runs
SELECT '2019-01-07:130x4,-x4,997x2'::benefit_path AS example,
       '2019-01-07:130x2,130x2,-x1,-x3'::benefit_path AS merged;
SELECT path_start(p), path_end(p), path_weeks(p)
FROM (SELECT '2019-01-07:130x4,-x4,997x2'::benefit_path AS p) s;
SELECT * FROM path_runs('2019-01-07:130x4,-x4,997x2');
SELECT code_at(p, '2019-01-07') AS first_week, code_at(p, '2019-02-03') AS sunday_of_week_4,
       code_at(p, '2019-02-04') AS week_5_none, code_at(p, '2019-03-11') AS week_10,
       code_at(p, '2019-03-18') AS after_end, code_at(p, '2018-12-31') AS before_start
FROM (SELECT '2019-01-07:130x4,-x4,997x2'::benefit_path AS p) s;

-- text and binary round trips
CREATE TEMP TABLE rt (id int, p benefit_path);
INSERT INTO rt VALUES (1, '2019-01-07:130x4,-x4,997x2'), (2, '1999-12-27:-x1'),
	(3, '2020-12-28:9999x1000,1x1'), (4, '0001-01-01:-x1'), (5, '0001-01-01:130x500000');
SELECT id, p::text::benefit_path::text = p::text AS text_round_trip, length(p::text) AS text_length,
       pg_column_size(p) AS stored_bytes
FROM rt ORDER BY id;
\set f :abs_srcdir '/results/path_rt.bin'
COPY rt TO :'f' (FORMAT binary);
CREATE TEMP TABLE rt2 (id int, p benefit_path);
COPY rt2 FROM :'f' (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE rt.p::text = rt2.p::text) AS equal_after_binary
FROM rt JOIN rt2 USING (id);

-- equality on the canonical form; DISTINCT and GROUP BY hash paths
SELECT '2019-01-07:130x2,130x2'::benefit_path = '2019-01-07:130x4' AS merged_equal,
       '2019-01-07:130x4'::benefit_path <> '2019-01-14:130x4' AS start_differs,
       '2019-01-07:130x4'::benefit_path = '2019-01-07:131x4' AS code_differs,
       (SELECT count(*) FROM (SELECT DISTINCT p FROM (VALUES ('2019-01-07:130x4'::benefit_path),
               ('2019-01-07:130x1,130x3'), ('2019-01-07:-x4')) v(p)) d) AS distinct_paths;

-- bad text input: each error names the position
SELECT pg_temp.expect_error($$ SELECT '2019-01-08:130x4'::benefit_path $$) AS tuesday;
SELECT pg_temp.expect_error($$ SELECT '2019-02-30:130x4'::benefit_path $$) AS no_such_date;
SELECT pg_temp.expect_error($$ SELECT '19-01-07:130x4'::benefit_path $$) AS two_digit_year;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07'::benefit_path $$) AS no_colon;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:'::benefit_path $$) AS no_runs;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x0'::benefit_path $$) AS zero_length;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x-2'::benefit_path $$) AS negative_length;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:0x2'::benefit_path $$) AS code_zero;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:10000x2'::benefit_path $$) AS code_too_big;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:1x0'::benefit_path $$) AS one_x_zero;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:abcx2'::benefit_path $$) AS code_not_numeric;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130*2'::benefit_path $$) AS no_x;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x4,'::benefit_path $$) AS trailing_comma;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x4 '::benefit_path $$) AS trailing_space;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x4;-x2'::benefit_path $$) AS wrong_separator;
SELECT pg_temp.expect_error($$ SELECT ' 2019-01-07:130x4'::benefit_path $$) AS leading_space;
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x1000001'::benefit_path $$) AS too_long;
SELECT pg_temp.expect_error($$ SELECT '9999-12-27:-x2'::benefit_path $$) AS past_9999;

-- the aggregate over person-week rows: any order, NULL code and gaps = no benefit
CREATE TEMP TABLE pw (person int, week date, code int);
INSERT INTO pw VALUES
	(1, '2019-01-28', 997), (1, '2019-01-07', 130), (1, '2019-01-14', 130),
	(1, '2019-02-04', 997), (1, '2019-01-21', NULL),
	(2, '2019-03-06', 111),                    -- a Wednesday: its week is 2019-03-04
	(2, '2019-03-25', 111),                    -- gap of two weeks in between
	(3, '2020-12-28', 130), (3, '2020-12-21', 130), (3, '2021-01-04', NULL); -- across 2020-W53
SELECT person, benefit_path(week, code) FROM pw GROUP BY person ORDER BY person;
-- the same rows in reverse order give the same paths
SELECT person, benefit_path(week, code ORDER BY week DESC) FROM pw GROUP BY person ORDER BY person;

-- rows partly in week order, partly not: a late row may fill a gap week
SELECT benefit_path(week, code ORDER BY ord) AS late_row_fills_gap
FROM (VALUES (1, '2019-01-07'::date, 130), (2, '2019-01-21', 130), (3, '2019-02-04', 111),
             (4, '2019-01-14', 890), (5, '2019-01-28', NULL)) v(ord, week, code);
SELECT pg_temp.expect_error($$
	SELECT benefit_path(week, code ORDER BY ord)
	FROM (VALUES (1, '2019-01-07'::date, 130), (2, '2019-01-21', 130), (3, '2019-01-07', 130)) v(ord, week, code) $$) AS late_duplicate;
SELECT pg_temp.expect_error($$
	SELECT benefit_path(week, code ORDER BY ord)
	FROM (VALUES (1, '2019-01-07'::date, 130), (2, '2019-01-21', 130), (3, '2019-01-21', NULL)) v(ord, week, code) $$) AS in_order_duplicate;
SELECT benefit_path(week, code, 'dream_priority' ORDER BY ord) AS late_priority
FROM (VALUES (1, '2019-01-07'::date, 130), (2, '2019-01-21', 130), (3, '2019-01-21', 997), (4, '2019-01-07', NULL)) v(ord, week, code);

-- duplicates: error naming the week, unless DREAM's priority rule is asked for
SELECT pg_temp.expect_error($$
	SELECT benefit_path(week, code) FROM (VALUES ('2019-01-07'::date, 130), ('2019-01-14', 130), ('2019-01-16', 890)) v(week, code) $$) AS duplicate_week;
SELECT benefit_path(week, code, 'dream_priority') AS priority
FROM (VALUES ('2019-01-07'::date, 130), ('2019-01-14', 130), ('2019-01-14', 111),
             ('2019-01-21', NULL), ('2019-01-21', 890), ('2019-01-28', 890), ('2019-01-28', 997)) v(week, code);
SELECT benefit_path(week, code, 'error') AS explicit_error_mode
FROM (VALUES ('2019-01-07'::date, 130)) v(week, code);
SELECT pg_temp.expect_error($$ SELECT benefit_path(week, code, 'first') FROM (VALUES ('2019-01-07'::date, 130)) v(week, code) $$) AS unknown_mode;
SELECT pg_temp.expect_error($$ SELECT benefit_path(week, code) FROM (VALUES (NULL::date, 130)) v(week, code) $$) AS null_week;
SELECT pg_temp.expect_error($$ SELECT benefit_path(week, code) FROM (VALUES ('infinity'::date, 130)) v(week, code) $$) AS infinite_week;
SELECT pg_temp.expect_error($$ SELECT benefit_path(week, code) FROM (VALUES ('2019-01-07'::date, 0)) v(week, code) $$) AS code_zero;
SELECT pg_temp.expect_error($$ SELECT benefit_path(week, code) FROM (VALUES ('2019-01-07'::date, 12345)) v(week, code) $$) AS code_too_big;
SELECT benefit_path(week, code) IS NULL AS no_rows_is_null FROM pw WHERE false;

-- spells: any order, adjacent equal runs merge, gaps = no benefit
SELECT benefit_path_from_spells(f, t, c) AS from_spells
FROM (VALUES ('2019-01-21'::date, '2019-02-03'::date, 130), ('2019-01-07', '2019-01-20', 130),
             ('2019-03-04', '2019-03-10', 997), ('2019-02-11', '2019-02-17', NULL)) v(f, t, c);
SELECT pg_temp.expect_error($$
	SELECT benefit_path_from_spells(f, t, c)
	FROM (VALUES ('2019-01-07'::date, '2019-02-04'::date, 130), ('2019-02-04', '2019-03-04', 111)) v(f, t, c) $$) AS overlap;
SELECT pg_temp.expect_error($$
	SELECT benefit_path_from_spells(f, t, c)
	FROM (VALUES ('2019-02-04'::date, '2019-01-07'::date, 130)) v(f, t, c) $$) AS to_before_from;
SELECT pg_temp.expect_error($$
	SELECT benefit_path_from_spells(f, t, c)
	FROM (VALUES ('2019-02-04'::date, NULL::date, 130)) v(f, t, c) $$) AS null_to;

-- path_cover: the period a person-week table covers (no row = no benefit)
SELECT path_cover('2019-01-14:130x2', '2019-01-01', '2019-02-28') AS covered,
       path_cover(NULL, '2019-01-07', '2019-01-27') AS nothing_but_none,
       path_cover('2019-01-14:130x2', '2019-01-14', '2019-01-14') AS already_covered;
SELECT pg_temp.expect_error($$ SELECT path_cover(NULL, '2019-03-01', '2019-01-01') $$) AS cover_backwards;

