# The README's rate (issue 13, item 1): the person-weighted strict
# self-sufficiency rate per municipality over the register's last 52 weeks,
# each person counted over the weeks of their observation period only
# (path_observed over observation_period). Compared in the same run:
#   count(*) of the person-week table (baseline from run.sh),
#   plain SQL computing the same estimand (observed weeks from the period's
#   dates, weeks not self-supporting from benefit_week and the code map),
#   the README route from the person-week table, and from a stored path table.
# The answers must agree to 1e-12; the old path_cover recipe is shown beside
# them (it differs: weeks before arrival count as self-supporting, and the
# join drops persons without benefit rows).
# Sourced by bench/run.sh (bench_query, bench_ratio, bench_note; PG* set).

last=$(psql -X -tAc "SELECT value FROM bench.register_info WHERE key = 'last_week'")
first_reg=$(psql -X -tAc "SELECT value FROM bench.register_info WHERE key = 'first_week'")
from=$(psql -X -tAc "SELECT greatest(date '$last' - 7 * 51, date '$first_reg')")
bench_note "window: $from .. $last"

observed_plain_sql="
WITH ob AS (
	SELECT person_id, greatest(observed_from, date '$from') AS f, least(observed_to, date '$last') AS t
	FROM bench.observation_period
	WHERE observed_from <= date '$last' AND observed_to >= date '$from'
), not_self AS (
	SELECT w.person_id, count(*) AS n
	FROM bench.benefit_week w JOIN ob USING (person_id)
	LEFT JOIN benefit_code c ON c.code = w.code AND w.week >= c.valid_from AND w.week < c.valid_to
	WHERE w.week BETWEEN ob.f AND ob.t AND NOT coalesce(c.self_supporting OR c.censor, false)
	GROUP BY 1
), censored AS (
	SELECT w.person_id, count(*) AS n
	FROM bench.benefit_week w JOIN ob USING (person_id)
	JOIN benefit_code c ON c.code = w.code AND w.week >= c.valid_from AND w.week < c.valid_to AND c.censor
	WHERE w.week BETWEEN ob.f AND ob.t
	GROUP BY 1
)
SELECT p.municipality,
       avg(((ob.t - ob.f) / 7 + 1 - coalesce(c.n, 0) - coalesce(ns.n, 0))::float8
           / nullif((ob.t - ob.f) / 7 + 1 - coalesce(c.n, 0), 0)) AS rate
FROM ob JOIN bench.person p USING (person_id)
LEFT JOIN not_self ns USING (person_id) LEFT JOIN censored c USING (person_id)
GROUP BY 1"

observed_readme="
SELECT p.municipality,
       rate_person_weighted(selfsufficiency_state(path_observed(b.path, o.observed_from, o.observed_to),
                                                  '$from', '$last', 'strict')) AS rate
FROM bench.observation_period o
LEFT JOIN benefit_paths_scan('bench.benefit_week') b USING (person_id)
JOIN bench.person p USING (person_id)
GROUP BY 1"

bench_query observed_rate_plain_sql "$observed_plain_sql;"
bench_query observed_rate_readme "$observed_readme;"

bench_query observed_build_path_table "
DROP TABLE IF EXISTS bench.observed_path;
CREATE TABLE bench.observed_path AS
SELECT o.person_id, path_observed(b.path, o.observed_from, o.observed_to) AS path
FROM bench.observation_period o LEFT JOIN benefit_paths_scan('bench.benefit_week') b USING (person_id);
VACUUM ANALYZE bench.observed_path;"
bench_query observed_rate_from_path_table "
SELECT p.municipality, rate_person_weighted(selfsufficiency_state(x.path, '$from', '$last', 'strict')) AS rate
FROM bench.person p JOIN bench.observed_path x USING (person_id) GROUP BY 1;"

bench_ratio observed_rate_readme observed_rate_plain_sql
bench_ratio observed_rate_readme count_star_person_week
bench_ratio observed_rate_from_path_table observed_rate_plain_sql

bench_note "$(psql -X -tAc "
WITH a AS ($observed_readme), s AS ($observed_plain_sql),
old AS (SELECT rate_person_weighted(selfsufficiency_state(path_cover(b.path, '$first_reg', '$last'), '$from', '$last', 'strict')) AS r
        FROM bench.person p JOIN benefit_paths_scan('bench.benefit_week') b USING (person_id)),
new AS (SELECT rate_person_weighted(selfsufficiency_state(path_observed(b.path, o.observed_from, o.observed_to), '$from', '$last', 'strict')) AS r,
               (rate_counts(selfsufficiency_state(path_observed(b.path, o.observed_from, o.observed_to), '$from', '$last', 'strict'))).persons AS n
        FROM bench.observation_period o LEFT JOIN benefit_paths_scan('bench.benefit_week') b USING (person_id))
SELECT format('answers: %s municipalities, %s agree with plain SQL to 1e-12 (max diff %s); overall %s over %s persons, the path_cover recipe %s',
              count(*), count(*) FILTER (WHERE abs(a.rate - s.rate) < 1e-12), max(abs(a.rate - s.rate)),
              round(min(new.r)::numeric, 4), min(new.n), round(min(old.r)::numeric, 4))
FROM a FULL JOIN s USING (municipality), old, new")"
