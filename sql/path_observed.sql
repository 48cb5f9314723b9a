-- path_observed: a path cut to each person's observation period (arrival to
-- emigration, death or the end of the data). Every expected value below is
-- worked out by hand in the comment above it.
\i sql/include/expect_error.sql
SET datestyle = ISO;

-- Arrival mid-window. Benefit weeks Jan 7..Feb 25 2019: 130 x4, none x4.
-- Observed Jan 21 .. Mar 11: weeks Jan 21, Jan 28 (130), Feb 4..Feb 25 (4 x
-- none), Mar 4, Mar 11 (past the last row: none) -> 2019-01-21:130x2,-x6.
SELECT path_observed('2019-01-07:130x4,-x4', '2019-01-21', '2019-03-11') AS arrival_mid_window;
-- In the 12-week window Jan 7 .. Mar 25: 8 observed weeks, 6 without benefit
-- -> 0.75; the 4 weeks after Mar 11 and the 2 before Jan 21 are unobserved.
-- path_cover counts the 4 weeks after the last row as self-supporting
-- (12 weeks, 8 without benefit -> 0.6667).
SELECT selfsufficiency_share(path_observed('2019-01-07:130x4,-x4', '2019-01-21', '2019-03-11'),
                             '2019-01-07', '2019-03-25') AS observed_share,
       round(selfsufficiency_share(path_cover('2019-01-07:130x4,-x4', '2019-01-07', '2019-03-25'),
                                   '2019-01-07', '2019-03-25')::numeric, 4) AS cover_share,
       (path_week_states(path_observed('2019-01-07:130x4,-x4', '2019-01-21', '2019-03-11'),
                         '2019-01-07', '2019-03-25')).*;

-- Emigration: none x2, 130 x3, then 997 from Feb 11. Observed to Feb 4 (the
-- week before 997): -x2,130x3, share 2/5 = 0.4; the 997 weeks are gone.
SELECT path_observed('2019-01-07:-x2,130x3,997x5', '2019-01-07', '2019-02-04') AS emigrated,
       selfsufficiency_share(path_observed('2019-01-07:-x2,130x3,997x5', '2019-01-07', '2019-02-04'),
                             '2019-01-07', '2019-12-30') AS share;

-- No benefit rows (NULL path, e.g. from a LEFT JOIN): no benefit in every
-- observed week. Mar 6 (Wed) .. Apr 1 (Mon): weeks of Mar 4, 11, 18, 25,
-- Apr 1 -> 2019-03-04:-x5; share over 2019 = 1 (5 of 5 observed weeks).
SELECT path_observed(NULL, '2019-03-06', '2019-04-01') AS no_rows,
       selfsufficiency_share(path_observed(NULL, '2019-03-06', '2019-04-01'), '2019-01-07', '2019-12-30') AS share,
       (path_week_states(path_observed(NULL, '2019-03-06', '2019-04-01'), '2019-01-07', '2019-12-30')).unobserved;

-- A partial week counts whole: Wednesday to Thursday of one week = 1 week;
-- the same day twice = 1 week.
SELECT path_observed(NULL, '2019-01-09', '2019-01-10') AS wed_to_thu,
       path_observed('2019-01-07:130x1', '2019-01-13', '2019-01-13') AS sunday_only;

-- Benefit weeks outside the period are not observed: 130 x10 from Jan 7,
-- observed Feb 4 .. Feb 11 -> 2019-02-04:130x2.
SELECT path_observed('2019-01-07:130x10', '2019-02-04', '2019-02-11') AS cut_both_ends;

-- A path wholly before or wholly after the period: all weeks no benefit.
SELECT path_observed('2019-01-07:130x2', '2020-01-06', '2020-01-13') AS path_before,
       path_observed('2021-01-04:130x2', '2020-01-06', '2020-01-13') AS path_after;

-- A censoring code inside the period still censors the rest (absorbing):
-- -x2,997x2 observed Jan 7 .. Jan 28 -> unchanged, share 2 / 2 = 1.
SELECT path_observed('2019-01-07:-x2,997x2', '2019-01-07', '2019-01-28') AS censored_inside,
       selfsufficiency_share(path_observed('2019-01-07:-x2,997x2', '2019-01-07', '2019-01-28'),
                             '2019-01-07', '2019-01-28') AS share;

-- Observed period outside the window: no observed week, share NULL.
SELECT selfsufficiency_share(path_observed(NULL, '2020-01-06', '2020-06-29'), '2019-01-07', '2019-03-25') IS NULL
       AS outside_window_is_null;

-- Rate aggregates over four persons, window Jan 7 .. Mar 25 2019 (12 weeks):
--   A path 130x4,-x4 observed Jan 21 .. Mar 11:     8 observed, 6 self, 0.75
--   B no rows, observed Mar 4 .. Jun 24:            4 observed, 4 self, 1
--   C -x2,130x3,997x5 observed Jan 7 .. Feb 4:      5 observed, 2 self, 0.4
--   D no rows, observed 2020-01-06 .. 2020-06-29:   0 observed (persons_unobserved)
-- person-weighted (0.75 + 1 + 0.4) / 3 = 0.716666..., week-weighted
-- 12 / 17 = 0.705882..., unobserved weeks 4 + 8 + 7 + 12 = 31.
CREATE TEMP TABLE obs (person text, path benefit_path, observed_from date, observed_to date);
INSERT INTO obs VALUES
	('A', '2019-01-07:130x4,-x4', '2019-01-21', '2019-03-11'),
	('B', NULL, '2019-03-04', '2019-06-24'),
	('C', '2019-01-07:-x2,130x3,997x5', '2019-01-07', '2019-02-04'),
	('D', NULL, '2020-01-06', '2020-06-29');
SELECT abs(rate_person_weighted(s) - 2.15 / 3) < 1e-15 AS person_weighted_ok,
       abs(rate_week_weighted(s) - 12.0 / 17) < 1e-15 AS week_weighted_ok,
       (rate_counts(s)).*
FROM (SELECT selfsufficiency_state(path_observed(path, observed_from, observed_to), '2019-01-07', '2019-03-25', 'strict') AS s
      FROM obs) x;
-- the same through selfsufficiency_states (two windows: the one above and
-- Jan 7 .. Jan 28, where A has 2 observed weeks (0 self), C 4 (2 self), B
-- and D none: person-weighted (0 + 0.5) / 2 = 0.25) and selfsufficiency_rate
SELECT abs(rate_person_weighted(s[1]) - 2.15 / 3) < 1e-15 AS window_1_ok,
       rate_person_weighted(s[2]) AS window_2, (rate_counts(s[2])).persons_unobserved
FROM (SELECT selfsufficiency_states(path_observed(path, observed_from, observed_to),
                                    ARRAY['2019-01-07', '2019-01-07']::date[],
                                    ARRAY['2019-03-25', '2019-01-28']::date[], 'strict') AS s
      FROM obs) x;
SELECT abs(selfsufficiency_rate(path_observed(path, observed_from, observed_to), '2019-01-07', '2019-03-25', 'strict')
           - 2.15 / 3) < 1e-15 AS oneshot_ok
FROM obs;
-- The path_cover recipe joined to the rows (B and D dropped, weeks outside
-- the period self-supporting): A 8/12, C 2/5 -> (2/3 + 0.4) / 2 = 0.5333.
SELECT round(rate_person_weighted(selfsufficiency_state(path_cover(path, '2019-01-07', '2019-03-25'),
                                                        '2019-01-07', '2019-03-25', 'strict'))::numeric, 4) AS cover_recipe
FROM obs WHERE path IS NOT NULL;

-- Errors name the argument and the fix.
SELECT pg_temp.expect_error($$SELECT path_observed('2019-01-07:130x4', '2019-03-11', '2019-03-10')$$);
SELECT pg_temp.expect_error($$SELECT path_observed(NULL, '2019-03-13', '2019-03-12')$$);
SELECT pg_temp.expect_error($$SELECT path_observed('2019-01-07:130x4', NULL, '2019-03-10')$$);
SELECT pg_temp.expect_error($$SELECT path_observed(NULL, '2019-01-07', NULL)$$);
SELECT pg_temp.expect_error($$SELECT path_observed(NULL, '-infinity', '2019-03-10')$$);
SELECT pg_temp.expect_error($$SELECT path_observed('2019-01-07:130x4', '2019-01-07', 'infinity')$$);
SELECT pg_temp.expect_error($$SELECT path_observed(NULL, '0001-01-01', '20000-01-01')$$);
SELECT pg_temp.expect_error($$SELECT path_observed(NULL, '4713-01-01 BC', '4713-01-02 BC')$$);
