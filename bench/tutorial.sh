# The tutorial's staggered example at scale (sourced by bench/run.sh, which
# sets the PG* environment and provides bench_query / bench_note).
# BENCH_ONLY=tutorial runs it alone.
#
# docs/tutorial.md builds a quarterly self-sufficiency panel from the
# register and estimates the group aggregation of att_gt. Here the same
# recipe runs on the bench register (BENCH_PERSONS persons), and each
# estimate is printed with its 95% interval and the generator's truth for
# exactly that estimand: the register is generated a second time with the
# same seed and effect => 0 (schema bench_tut0: the same persons, cohorts
# and censoring, without the planted effect), so every person-quarter's
# untreated share is known; the truth is the group aggregation of the
# cells' mean treated-minus-untreated share, with att_gt's weights.
#   tutorial_unbalanced   every person-quarter after the introduction
#                         programme (biased: late arrivals join the never
#                         treated only; att_gt says so in a NOTICE)
#   tutorial_balanced     the tutorial's recipe: persons seen in every quarter

tut_seed=$(psql -X -tAc "SELECT value FROM bench.register_info WHERE key = 'seed'")
tut_weeks=$(psql -X -tAc "SELECT value FROM bench.register_info WHERE key = 'weeks'")
tut_nq=$((tut_weeks / 13))
have=$(psql -X -tAc "SELECT string_agg(value, 'x' ORDER BY key) FROM bench_tut0.register_info WHERE key IN ('persons', 'seed', 'weeks')" 2>/dev/null || true)
if [ "$have" != "${BENCH_PERSONS}x${tut_seed}x${tut_weeks}" ]; then
	echo "== generating the untreated twin register: $BENCH_PERSONS persons, seed $tut_seed, effect 0"
	psql -X -q -v ON_ERROR_STOP=1 -o /dev/null \
		-c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS bench_tut0 CASCADE" -c "CREATE SCHEMA bench_tut0" \
		-c "SELECT generate_register('bench_tut0', $BENCH_PERSONS, $tut_seed, weeks => $tut_weeks, effect => 0)"
	psql -X -q -c "DROP TABLE IF EXISTS bench.tut_quarterly"
fi

# the tutorial's panel (docs/tutorial.md, section 2) of schema $1
tut_panel() {
	cat <<SQL
CREATE TABLE $1.tut_quarterly AS
WITH pq AS (
	SELECT p.person_id, q,
	       coalesce(weeks_between('2019-01-07', p.mentor_start) / 13 + 1, 0) AS cohort
	FROM $1.person p, generate_series(1, $tut_nq) q
	WHERE date '2019-01-07' + 91 * (q - 1) >= p.arrival_week + 182
), wk AS (
	SELECT person_id, weeks_between('2019-01-07', week) / 13 + 1 AS q,
	       count(*) FILTER (WHERE benefit_state(code, week) = 'censored') AS censored,
	       count(*) FILTER (WHERE benefit_state(code, week) IN ('benefit', 'unknown')) AS on_benefit
	FROM $1.benefit_week GROUP BY 1, 2
)
SELECT pq.person_id, pq.q, pq.cohort,
       (13 - coalesce(wk.censored, 0) - coalesce(wk.on_benefit, 0))::float8
         / (13 - coalesce(wk.censored, 0)) AS share
FROM pq LEFT JOIN wk USING (person_id, q)
WHERE coalesce(wk.censored, 0) < 13;
SQL
}

if [ -z "$(psql -X -tAc "SELECT to_regclass('bench.tut_quarterly')")" ]; then
	echo "== building the tutorial's quarterly panels ($tut_nq quarters)"
	{
		echo "SET client_min_messages = warning;"
		echo "DROP TABLE IF EXISTS bench.tut_quarterly, bench.tut_balanced, bench_tut0.tut_quarterly, bench.tut_effect;"
		tut_panel bench
		tut_panel bench_tut0
		cat <<SQL
CREATE TABLE bench.tut_balanced AS SELECT * FROM bench.tut_quarterly
WHERE person_id IN (SELECT person_id FROM bench.tut_quarterly GROUP BY 1 HAVING count(*) = $tut_nq);
-- each treated person-quarter's true effect (same persons, same censoring)
CREATE TABLE bench.tut_effect AS
SELECT a.person_id, a.q, a.cohort, a.share - b.share AS effect
FROM bench.tut_quarterly a JOIN bench_tut0.tut_quarterly b USING (person_id, q)
WHERE a.cohort > 0 AND a.q >= a.cohort;
VACUUM ANALYZE bench.tut_quarterly, bench.tut_balanced, bench.tut_effect;
SQL
	} | psql -X -q -v ON_ERROR_STOP=1
fi

bench_query tutorial_att_gt_balanced "SELECT count(*) FROM att_gt('bench.tut_balanced', 'share', 'person_id', 'q', 'cohort');"

# estimate, interval and truth of the group aggregation on panel $1
tut_line() {
	psql -X -q -tA -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
WITH est AS (
	SELECT estimate AS att, conf_low AS ci_lower, conf_high AS ci_upper FROM att_gt_aggregate('bench.$1', 'share', 'person_id', 'q', 'cohort', type => 'group')
	WHERE level = 'overall'
), cell AS (
	SELECT e.cohort, e.q, avg(e.effect) AS att
	FROM bench.tut_effect e JOIN (SELECT DISTINCT person_id FROM bench.$1) u USING (person_id)
	GROUP BY 1, 2
), grp AS (
	SELECT cohort, avg(att) AS att FROM cell GROUP BY 1
), size AS (
	SELECT cohort, count(DISTINCT person_id) AS n FROM bench.$1 WHERE cohort > 0 GROUP BY 1
), truth AS (
	SELECT sum(att * n) / sum(n) AS att FROM grp JOIN size USING (cohort)
)
SELECT format('%-22s %s persons: estimate %s, 95%% CI [%s, %s], truth %s, %s',
              '$1', (SELECT count(DISTINCT person_id) FROM bench.$1),
              round(est.att::numeric, 4), round(est.ci_lower::numeric, 4), round(est.ci_upper::numeric, 4),
              round(truth.att::numeric, 4),
              CASE WHEN est.ci_lower <= truth.att AND truth.att <= est.ci_upper
                   THEN 'CI covers the truth' ELSE 'CI MISSES the truth' END)
FROM est, truth;
SQL
}
bench_note "$(tut_line tut_quarterly)"
bench_note "$(tut_line tut_balanced)"
bench_note "register true_att (52 weeks after each start, every mentored person): $(psql -X -tAc "SELECT round(value::numeric, 4) FROM bench.register_info WHERE key = 'true_att'")"
