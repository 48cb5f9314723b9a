-- Regression tests of the robustness audit: each case was a crash, a wrong
-- number or a silently wrong value before its fix.
\i sql/include/expect_error.sql
\pset null NULL

-- week_month split the yyyymm key with / and %, which truncate towards zero:
-- every week before year 1 got a wrong day (0002-03-01 BC gave 0003-10-30 BC),
-- and the last week of the date range got a date past its end.
SELECT week_month('0002-03-01 BC') AS bc_month, week_month('0001-03-15 BC') AS year_zero_month,
	week_month('2019-12-30') AS thursday_in_next_year, week_month('2019-04-29') AS thursday_in_may;
SELECT pg_temp.expect_error($$ SELECT week_month('5874897-12-31') $$);
SELECT pg_temp.expect_error($$ SELECT week_month('4714-11-24 BC') $$);
-- every date whose week has a month start in range: a valid first of a month
SELECT count(*) FILTER (WHERE extract(day FROM week_month(d)) <> 1
	OR week_month(d) > week_monday(d) + 3 OR week_month(d) + interval '1 month' <= week_monday(d) + 3) AS wrong_months
FROM generate_series(-1000, 3000, 1) y, LATERAL (SELECT make_date(CASE WHEN y <= 0 THEN y - 1 ELSE y END, 1 + (abs(y) % 12), 1 + (abs(y) % 28))) s(d);

-- week_yyyyww returned keys for ISO years outside 1..9999 that
-- week_from_yyyyww refuses, or that name another week (year 0 week 52 = 52)
SELECT week_yyyyww('0001-01-01') AS first_key, week_yyyyww('9999-12-31') AS last_key,
	week_from_yyyyww(week_yyyyww('0001-01-01')) AS first_back, week_from_yyyyww(week_yyyyww('9999-12-31')) AS last_back;
SELECT pg_temp.expect_error($$ SELECT week_yyyyww('0001-01-01 BC') $$);
SELECT pg_temp.expect_error($$ SELECT week_yyyyww('10000-01-10') $$);

-- merged counters wrapped past int64 to negative counts (selfsufficiency,
-- full-time equivalents, Kaplan-Meier), and weighted sums became Infinity,
-- a state whose text the input function refuses
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_rollup(v) FROM (VALUES
	('v=1;persons=9223372036854775807;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=9223372036854775807;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0;m2=0;w_self=0;w_observed=1'::selfsufficiency_state),
	('v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=1;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0;m2=0;w_self=0;w_observed=1')) s(v) $$);
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_combine(
	'v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=1;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1e308;mean=0;m2=0;w_self=0;w_observed=1e308',
	'v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=1;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1e308;mean=0;m2=0;w_self=0;w_observed=1e308') $$);
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(p, '2019-01-07', '2019-03-04', 'strict', 1e308)
	FROM (VALUES ('2019-01-07:-x20'::benefit_path), ('2019-01-07:-x20')) s(p) $$);
-- the largest weights that fit still give the right rate
SELECT rate_person_weighted(selfsufficiency_state(p, '2019-01-07', '2019-01-28', 'strict', 1e306)) AS big_weight_rate
FROM (VALUES ('2019-01-07:-x4'::benefit_path), ('2019-01-07:130x4')) s(p);
SELECT pg_temp.expect_error($$ SELECT fte_combine('v=1;period_weeks=5;persons=9223372036854775807;persons_in_set=1;weeks=1',
	'v=1;period_weeks=5;persons=1;persons_in_set=1;weeks=1') $$);
-- the consistency check multiplied period_weeks by persons in int64 (overflow)
SELECT 'v=1;period_weeks=2147483647;persons=9223372036854775807;persons_in_set=9223372036854775807;weeks=9223372036854775807'::fte_state::text AS fte_at_limits;
SELECT pg_temp.expect_error($$ SELECT 'v=1;period_weeks=3;persons=4;persons_in_set=4;weeks=13'::fte_state $$);
SELECT pg_temp.expect_error($$ SELECT km_combine('v=1;k=1;excluded=9223372036854775807;points=', 'v=1;k=1;excluded=1;points=') $$);
SELECT pg_temp.expect_error($$ SELECT km_combine('v=1;k=1;excluded=0;points=0:9223372036854775807/0', 'v=1;k=1;excluded=0;points=0:1/0') $$);
-- persons at risk summed past int64: at_risk -2 and survival 4.6e18
SELECT pg_temp.expect_error($$ SELECT 'v=1;k=1;excluded=0;points=0:9223372036854775807/0,1:1/0'::km_state $$);
SELECT pg_temp.expect_error($$ SELECT 'v=1;k=1;excluded=1;points=0:9223372036854775807/0'::km_state $$);
SELECT km_persons(km_combine('v=1;k=1;excluded=1;points=0:4611686018427387903/0', 'v=1;k=1;excluded=0;points=1:4611686018427387903/0')) AS persons_at_limit;

-- a state with persons but no observed weeks gave rate_week_weighted 0/0 = NaN
SELECT pg_temp.expect_error($$ SELECT rate_week_weighted('v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=0;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0;m2=0;w_self=0;w_observed=0') $$);
SELECT pg_temp.expect_error($$ SELECT rate_week_weighted('v=1;persons=2;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=1;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=2;mean=0;m2=0;w_self=0;w_observed=1') $$);
SELECT rate_week_weighted('v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=1;observed_weeks=4;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0.25;m2=0;w_self=1;w_observed=4') AS quarter;

-- the code map counted at most 255 validity periods per code: weeks in the
-- later periods of a code with more periods classified as unknown
BEGIN;
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to, source)
SELECT 5555, CASE WHEN i % 2 = 0 THEN 'kontanthjaelp' ELSE 'orlov' END, i % 2 = 1,
	'2000-01-03'::date + 7 * i, '2000-01-03'::date + 7 * (i + 1), 'user'
FROM generate_series(0, 299) i;
SELECT benefit_state(5555, '2000-01-03'::date + 7 * 298) AS week_298, benefit_state(5555, '2000-01-03'::date + 7 * 299) AS week_299,
	benefit_category(5555, '2000-01-03'::date + 7 * 299) AS category_299,
	selfsufficiency_share(('2000-01-03:5555x300')::benefit_path, '2000-01-03', '2005-09-26') AS share_half;
ROLLBACK;

-- The code map cache of a call site held one profile: rows alternating
-- between profiles loaded a new map (about 90 kB) at every change and never
-- freed the old one (2,000 rows: 200 MB). Now a few maps stay cached and
-- the least recently used is freed; rows cycling through six profiles must
-- each be classified under their own profile.
BEGIN;
INSERT INTO classification_profile (profile, description)
SELECT 'audit_p' || i, 'audit test profile ' || i FROM generate_series(1, 6) i;
-- in the odd profiles kontanthjaelp (code 130) counts as self-supporting
INSERT INTO classification_rule (profile, category, self_supporting)
SELECT 'audit_p' || i, 'kontanthjaelp', true FROM generate_series(1, 6) i WHERE i % 2 = 1;
SELECT count(*) AS rows, count(*) FILTER (WHERE share = CASE WHEN p % 2 = 1 THEN 1 ELSE 0.5 END) AS right_shares
FROM (SELECT i % 6 + 1 AS p,
		selfsufficiency_share('2019-01-07:-x2,130x2'::benefit_path, '2019-01-07', '2019-01-28', 'audit_p' || (i % 6 + 1)) AS share
	  FROM generate_series(1, 600) i) s;
-- an unknown profile in between leaves the cache usable
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_share('2019-01-07:130x2'::benefit_path, '2019-01-07', '2019-01-14', p)
	FROM (VALUES ('audit_p1'), ('audit_p2'), ('nope')) s(p) $$);
ROLLBACK;

-- ---- Findings of the audit in did, att_gt and money, fixed after merging ----
-- cashflows text input refused the subnormal numbers its own output writes
SELECT cashflows(a, y)::text::cashflows::text = cashflows(a, y)::text AS subnormal_round_trip
FROM (VALUES (1e-310::numeric, 1::float8), (-5, 0)) s(a, y);
-- merging did states past the bigint range of a count: 22003, not "invalid state"
SELECT pg_temp.expect_error($$SELECT did_rollup(v) FROM (VALUES ('did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 5000000000000000000 control 2 2 -0.375 0.03125 2 0 0.03125 1 0.625 treated 2 2 1 0 2 0 0 1.5 2.5 clusters 0'::did_state),('did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 5000000000000000000 control 2 2 -0.375 0.03125 2 0 0.03125 1 0.625 treated 2 2 1 0 2 0 0 1.5 2.5 clusters 0')) s(v)$$) AS e
-- finite inputs whose moments overflow double precision: an error, never NaN
UNION ALL SELECT pg_temp.expect_error($$SELECT did(pre, post, t) FROM (VALUES (1e308::float8, -1e308::float8, true), (1e308, -1e308, true), (1, 2, false), (3, 4, false)) s(pre, post, t)$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT did_weighted(pre, post, t, w) FROM (VALUES (1::float8, 2::float8, true, 1e308::float8), (1, 2, true, 1e308), (1, 3, false, 1), (1, 5, false, 1)) s(pre, post, t, w)$$)
-- anticipation so large that period arithmetic would overflow
UNION ALL SELECT pg_temp.expect_error($$SELECT * FROM att_gt('pg_class', 'y', 'id', 'per', 'g', anticipation => 2147483647)$$);
-- the money cache follows the profile row by row (its old maps are freed)
-- (maternity benefit 881 is a benefit under strict, self-supporting under
-- with_leave, where the cost function then returns no row)
SELECT count(*) AS rows,
	count(*) FILTER (WHERE coalesce(c.benefit_weeks, 0) = CASE WHEN i % 2 = 0 THEN 4 ELSE 0 END) AS weeks_follow_profile
FROM generate_series(1, 200) i
LEFT JOIN LATERAL path_benefit_cost('2019-01-07:881x4'::benefit_path, '2019-01-07', '2019-02-04', 'total', 0, NULL,
		CASE WHEN i % 2 = 0 THEN 'strict' ELSE 'with_leave' END) c ON true;
