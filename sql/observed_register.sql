-- The README tour's rate on a generated register against an independent
-- plain-SQL computation of the estimand (the mean over persons of the share
-- of their observed weeks in the window without benefit), and the
-- generator's observation_period against the codes it writes.
SET datestyle = ISO;
SET client_min_messages = warning;
CREATE SCHEMA obs;
SET search_path = obs, public;
SELECT generate_register('obs', 2000, seed => 42);

-- observation_period, derived independently from person.arrival_week and
-- the first censoring code (997/998/999) in benefit_week: observed from
-- the arrival week (or the first week of the data) to the week before the
-- first censoring code (or the last week); no row when that is empty.
CREATE TEMP TABLE derived AS
SELECT p.person_id, greatest(p.arrival_week, i.first_week) AS observed_from,
       coalesce(c.first_censor - 7, i.last_week) AS observed_to,
       coalesce(c.code_then, 0) AS end_code
FROM obs.person p
CROSS JOIN (SELECT min(value::date) FILTER (WHERE key = 'first_week') AS first_week,
                   min(value::date) FILTER (WHERE key = 'last_week') AS last_week FROM obs.register_info) i
LEFT JOIN (SELECT DISTINCT ON (person_id) person_id, week AS first_censor, code AS code_then
           FROM obs.benefit_week WHERE code BETWEEN 997 AND 999 ORDER BY person_id, week) c USING (person_id);
SELECT count(*) AS persons,
       count(*) FILTER (WHERE d.observed_from <= d.observed_to) AS observed_persons,
       count(o.person_id) AS period_rows,
       count(*) FILTER (WHERE (d.observed_from <= d.observed_to) <> (o.person_id IS NOT NULL)) AS row_mismatch,
       count(*) FILTER (WHERE o.person_id IS NOT NULL
                        AND (o.observed_from <> d.observed_from OR o.observed_to <> d.observed_to
                             OR coalesce(o.end_code, 0) <> d.end_code)) AS period_mismatch
FROM derived d LEFT JOIN obs.observation_period o USING (person_id);
SELECT end_reason, end_code, count(*) > 0 AS present FROM obs.observation_period GROUP BY 1, 2 ORDER BY 2 NULLS FIRST;
-- every benefit week other than a censoring code lies inside the period
SELECT count(*) AS benefit_weeks_outside
FROM obs.benefit_week b LEFT JOIN obs.observation_period o USING (person_id)
WHERE b.code NOT BETWEEN 997 AND 999
  AND (o.person_id IS NULL OR b.week NOT BETWEEN o.observed_from AND o.observed_to);

-- The README tour's statements (schema obs instead of public).
CREATE TABLE path AS SELECT o.person_id, path_observed(b.path, o.observed_from, o.observed_to) AS path
  FROM observation_period o LEFT JOIN benefit_paths_scan('benefit_week') b USING (person_id);
CREATE TEMP TABLE readme AS
SELECT p.municipality, rate_person_weighted(selfsufficiency_state(x.path, '2022-01-03', '2022-12-26', 'strict'), 80) AS rate,
       rate_person_weighted(selfsufficiency_state(x.path, '2022-01-03', '2022-12-26', 'strict')) AS rate_all
FROM person p JOIN path x USING (person_id) GROUP BY 1;

-- The reference in plain SQL: each person's observed weeks of 2022 (ISO
-- weeks 2022-01-03 .. 2022-12-26) from generate_series, LEFT JOIN the
-- person-week rows and the code map: no row or a self-supporting code =
-- self-supporting; the person's share; the mean over persons.
CREATE TEMP TABLE reference AS
WITH weeks AS (
	SELECT o.person_id, w::date AS week
	FROM obs.observation_period o,
	     generate_series(greatest(o.observed_from, date '2022-01-03'), least(o.observed_to, date '2022-12-26'),
	                     interval '7 days') w
), shares AS (
	SELECT wk.person_id,
	       avg(CASE WHEN b.code IS NULL OR c.self_supporting THEN 1 ELSE 0 END)::float8 AS share
	FROM weeks wk
	LEFT JOIN obs.benefit_week b ON b.person_id = wk.person_id AND b.week = wk.week
	LEFT JOIN public.benefit_code c ON c.code = b.code AND wk.week >= c.valid_from AND wk.week < c.valid_to
	GROUP BY 1
)
SELECT p.municipality, avg(s.share) AS rate, count(*) AS persons
FROM shares s JOIN obs.person p USING (person_id) GROUP BY 1;

SELECT count(*) AS municipalities,
       count(*) FILTER (WHERE abs(m.rate_all - r.rate) <= 1e-12) AS equal_1e12,
       max(abs(m.rate_all - r.rate)) < 1e-12 AS max_diff_below_1e12,
       count(*) FILTER (WHERE m.rate IS NULL) = count(*) FILTER (WHERE r.persons < 80) AS null_below_80_persons,
       count(*) FILTER (WHERE m.rate IS NOT NULL AND abs(m.rate - r.rate) <= 1e-12) = count(*) FILTER (WHERE r.persons >= 80)
           AS readme_rows_equal
FROM readme m FULL JOIN reference r USING (municipality);
-- overall, and the old recipe (path_cover over the whole register joined to
-- the benefit rows) is biased upwards: it counts weeks before arrival as
-- self-supporting and drops the persons without any benefit row
SELECT abs(new.rate - ref.rate) < 1e-12 AS overall_equal,
       round(ref.rate::numeric, 4) AS person_correct,
       round(old.rate::numeric, 4) AS path_cover_recipe,
       old.rate - ref.rate > 0.03 AS old_recipe_biased
FROM (SELECT rate_person_weighted(selfsufficiency_state(path, '2022-01-03', '2022-12-26', 'strict')) AS rate FROM path) new,
     (SELECT sum(rate * persons) / sum(persons) AS rate FROM reference) ref,
     (SELECT rate_person_weighted(selfsufficiency_state(path_cover(b.path, '2019-01-07', '2023-12-25'),
                                                        '2022-01-03', '2022-12-26', 'strict')) AS rate
      FROM person p JOIN benefit_paths_scan('benefit_week') b USING (person_id)) old;

RESET search_path;
DROP SCHEMA obs CASCADE;
