-- Measures on a benefit_path over caller-given windows (docs/methods.md, M1-M4).
\i sql/include/expect_error.sql
SET datestyle = ISO;

-- M2: anchor week 2019-01-07; weeks +1..+8 = [130 x4, none x4] -> 4/8 = 0.5
SELECT selfsufficiency_share('2019-01-07:130x5,-x4', week_add('2019-01-07', 1), week_add('2019-01-07', 8)) AS m2_share,
       selfsufficiency_share('2019-01-07:130x5,-x4', '2019-01-16', '2019-03-03') AS any_day_of_the_week,
       path_week_states('2019-01-07:130x5,-x4', '2019-01-14', '2019-03-04') AS states;

-- M3: post weeks [130, none x7] -> longest run 7; sustained K=4 true, K=8 false
SELECT longest_selfsupporting_run(p, '2019-01-14', '2019-03-04') AS m3_longest,
       sustained_selfsufficiency(p, 4, '2019-01-14', '2019-03-04') AS m3_k4,
       sustained_selfsufficiency(p, 8, '2019-01-14', '2019-03-04') AS m3_k8,
       durable_selfsufficiency_week(p, '2019-01-14', 4) AS k4_starts,
       durable_selfsufficiency_week(p, '2019-01-14', 8) AS k8_none,
       durable_selfsufficiency_week(p, '2019-02-11', 4) AS from_inside_run
FROM (SELECT '2019-01-07:130x2,-x7'::benefit_path AS p) s;

-- x of y (three-valued): 52 of the last 156 weeks
SELECT x_of_y('2019-01-07:130x100,-x60', 52, 156, week_add('2019-01-07', 159)) AS has_60_self,
       x_of_y('2019-01-07:130x100,-x60', 61, 156, week_add('2019-01-07', 159)) AS needs_61,
       x_of_y('2019-01-07:-x10', 5, 20, week_add('2019-01-07', 9)) AS ten_self_of_10_seen,
       x_of_y('2019-01-07:-x3,130x7', 5, 20, week_add('2019-01-07', 9)) AS undecided_before_start,
       x_of_y('2019-01-07:130x10', 15, 20, week_add('2019-01-07', 9)) AS impossible;
SELECT * FROM selfsufficiency_presets() ORDER BY preset;

-- self_supporting_at: NULL when censored or outside the path
SELECT self_supporting_at(p, '2019-01-07') AS on_benefit, self_supporting_at(p, '2019-02-04') AS self,
       self_supporting_at(p, '2019-03-04') AS censored, self_supporting_at(p, '2020-01-06') AS after_end,
       self_supporting_at(p, '2019-02-04', 'with_education') AS other_profile
FROM (SELECT '2019-01-07:130x4,-x4,997x2'::benefit_path AS p) s;

-- Pitfall 6.3, censoring: censored weeks leave the denominator (0/4, not 0/8 or 4/8)
SELECT selfsufficiency_share('2019-01-07:130x4,997x4', '2019-01-07', '2019-02-25') AS censored_half,
       selfsufficiency_share('2019-01-07:130x4,997x4', '2019-02-04', '2019-02-25') AS all_censored_is_null,
       -- censoring is absorbing: weeks after a censoring code stay censored whatever follows
       selfsufficiency_share('2019-01-07:-x2,998x1,-x5', '2019-01-07', '2019-02-25') AS absorbing,
       path_week_states('2019-01-07:-x2,998x1,-x5', '2019-01-07', '2019-02-25') AS absorbing_states,
       -- weeks outside the path are unobserved: never self-supporting, not in the denominator
       selfsufficiency_share('2019-01-07:130x1,-x1', '2018-12-03', '2019-12-30') AS outside_span,
       selfsufficiency_share('2019-01-07:130x1,-x1', '2020-01-06', '2020-12-28') AS no_overlap_is_null;

-- Pitfall 6.3, 53-week years: ISO 2020 and 2026 have a week 53
SELECT path_week_states(p, week_from_yyyyww(202001), week_from_yyyyww(202053)) AS iso_2020,
       selfsufficiency_share(p, week_from_yyyyww(202052), week_from_yyyyww(202101)) AS w52_to_w01,
       code_at(p, week_from_yyyyww(202053)) AS code_2020w53
FROM (SELECT benefit_path(week, code) AS p
      FROM (SELECT week_add('2019-12-30', i) AS week, CASE WHEN i % 2 = 0 THEN 130 END AS code
            FROM generate_series(0, 60) i) w) s;
SELECT weeks_between(week_from_yyyyww(202601), week_from_yyyyww(202653)) + 1 AS weeks_2026,
       selfsufficiency_share('2026-12-21:-x1,130x1,-x1', '2026-12-21', '2027-01-04') AS w52_w53_w01,
       code_at('2026-12-21:-x1,130x1,-x1', week_from_yyyyww(202653)) AS code_2026w53;

-- profiles: SU counts as self under with_education only
SELECT selfsufficiency_share(p, '2019-01-07', '2019-02-25') AS strict,
       selfsufficiency_share(p, '2019-01-07', '2019-02-25', 'with_education') AS with_education,
       selfsufficiency_share(p, '2019-01-07', '2019-02-25', 'with_leave') AS with_leave
FROM (SELECT '2019-01-07:651x4,-x2,881x2'::benefit_path AS p) s;

-- unknown codes: never self-supporting, reported
SELECT selfsufficiency_share('2019-01-07:4242x2,-x2', '2019-01-07', '2019-01-28') AS share_with_unknown,
       path_unknown_weeks('2019-01-07:4242x2,-x2', '2019-01-07', '2019-01-28') AS unknown_weeks,
       path_week_states('2019-01-07:4242x2,-x2', '2019-01-07', '2019-01-28') AS states;

-- a code whose meaning changes in time is classified week by week
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
VALUES (4243, 'kontanthjaelp', false, '-infinity', '2019-01-21'),
       (4243, 'job_bonus', true, '2019-01-21', 'infinity');
SELECT selfsufficiency_share('2019-01-07:4243x4', '2019-01-07', '2019-01-28') AS half_and_half,
       weeks_in_categories('2019-01-07:4243x4', '2019-01-07', '2019-01-28', ARRAY['job_bonus']) AS bonus_weeks;

-- weeks in categories (full-time equivalents)
SELECT weeks_in_categories(p, '2019-01-07', '2019-03-25', ARRAY['kontanthjaelp']) AS kh,
       weeks_in_categories(p, '2019-01-07', '2019-03-25', ARRAY['kontanthjaelp', 'dagpenge']) AS kh_dp,
       weeks_in_categories(p, '2019-01-07', '2019-03-25', ARRAY['none']) AS none_weeks,
       weeks_in_categories(p, '2018-01-01', '2019-12-30', ARRAY['emigrated']) AS emigrated
FROM (SELECT '2019-01-07:130x3,111x2,-x4,997x1'::benefit_path AS p) s;

-- M6: "after N years" cohorts, measured in the weeks of the reference month (Thursday rule)
CREATE TEMP TABLE cohort (person int, permit_date date, path benefit_path);
INSERT INTO cohort VALUES
	(1, '2020-03-05', '2021-01-04:-x20'),                 -- N = 1, self all month: 1
	(2, '2020-03-20', '2021-01-04:-x8,130x2,-x10'),       -- N = 1, weeks 03-01, 03-08 on benefit: 0.5
	(3, '2020-04-02', '2021-01-04:130x20'),               -- permit in April: not in the March cohort
	(4, '2018-03-10', '2021-01-04:130x20');               -- N = 3: 0
WITH ref AS (SELECT '2021-03-01'::date AS month),
weeks AS (SELECT min(w) AS first_week, max(w) AS last_week, count(*) AS n_weeks
          FROM ref, LATERAL (SELECT week_add('2021-02-01', i) AS w FROM generate_series(0, 9) i) g
          WHERE week_month(w) = ref.month)
SELECT n_years, weeks.first_week, weeks.last_week, weeks.n_weeks, count(*) AS persons,
       avg(selfsufficiency_share(path, weeks.first_week, weeks.last_week)) AS mean_share
FROM cohort, ref, weeks, (VALUES (1), (3)) n(n_years)
WHERE date_trunc('month', permit_date + make_interval(years => n_years))::date = ref.month
GROUP BY n_years, weeks.first_week, weeks.last_week, weeks.n_weeks ORDER BY n_years;

-- bad arguments
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share('2019-01-07:130x4', '2019-02-04', '2019-01-07') $$) AS from_after_to;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share('2019-01-07:130x4', '2019-01-07', '2019-02-04', 'lenient') $$) AS unknown_profile;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share(NULL, '2019-01-07', '2019-02-04', 'lenient') $$) AS unknown_profile_null_path;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share('2019-01-07:130x4', NULL, '2019-02-04') $$) AS null_from;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share('2019-01-07:130x4', '2019-01-07', '2019-02-04', NULL) $$) AS null_profile;
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share('2019-01-07:130x4', '2019-01-07', 'infinity') $$) AS infinite_to;
SELECT pg_temp.expect_error($$ SELECT durable_selfsufficiency_week('2019-01-07:130x4', '2019-01-07', 0) $$) AS k_zero;
SELECT pg_temp.expect_error($$ SELECT x_of_y('2019-01-07:130x4', 5, 4, '2019-01-07') $$) AS x_above_y;
SELECT pg_temp.expect_error($$ SELECT weeks_in_categories('2019-01-07:130x4', '2019-01-07', '2019-01-28', ARRAY['kontanthjalp']) $$) AS unknown_category;
SELECT pg_temp.expect_error($$ SELECT weeks_in_categories('2019-01-07:130x4', '2019-01-07', '2019-01-28', ARRAY[NULL]::text[]) $$) AS null_category;
SELECT selfsufficiency_share(NULL, '2019-01-07', '2019-02-04') IS NULL AS null_path_gives_null;

DELETE FROM benefit_code WHERE code = 4243 AND source = 'user';
