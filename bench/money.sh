# Money: payout schedules and kommune/stat costs from benefit paths, against
# a plain scan of the same paths (the floor) and the person-week count(*),
# each measured interleaved with its floors (bench_compare).
# The paths are built once from bench.benefit_week into bench.money_paths
# (kept between runs, rebuilt when the register changes).
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DO $$
DECLARE
	reg text := (SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM bench.register_info);
BEGIN
	-- rebuilt when the register changed (the table comment records which one it was built from)
	IF to_regclass('bench.money_paths') IS NULL
	   OR obj_description(to_regclass('bench.money_paths'), 'pg_class') IS DISTINCT FROM reg THEN
		DROP TABLE IF EXISTS bench.money_paths CASCADE;
		CREATE TABLE bench.money_paths AS
		SELECT w.person_id, benefit_path(w.week, w.code) AS path,
		       coalesce(p.mentor_start, (SELECT value::date FROM bench.register_info WHERE key = 'first_week')) AS anchor
		FROM bench.benefit_week w JOIN bench.person p USING (person_id)
		GROUP BY w.person_id, p.mentor_start;
		EXECUTE format('COMMENT ON TABLE bench.money_paths IS %L', reg);
		ANALYZE bench.money_paths;
	END IF;
END $$;
-- outcome rows derived from the paths: first week of 13 and of 26 consecutive
-- self-supporting weeks after the anchor (DWP-style job13 / job26)
CREATE OR REPLACE VIEW bench.money_outcomes AS
SELECT x.participant, o.outcome, o.day
FROM (SELECT person_id::text AS participant,
             durable_selfsufficiency_week(path, anchor, 13) AS d13,
             durable_selfsufficiency_week(path, anchor, 26) AS d26
      FROM bench.money_paths OFFSET 0) x,   -- OFFSET 0: evaluate the path measures once per path
     LATERAL (VALUES ('job13', x.d13), ('job26', x.d26)) o(outcome, day)
WHERE o.day IS NOT NULL;
-- weekly outcomes: every week without benefit after the anchor is one avoided benefit week
CREATE OR REPLACE VIEW bench.money_weekly_outcomes AS
SELECT p.person_id::text AS participant, 'avoided_weeks'::text AS outcome, (r.from_week + 7 * g)::date AS day, 1::numeric AS value
FROM bench.money_paths p, path_runs(p.path) r, generate_series(0, r.weeks - 1) g
WHERE r.code IS NULL AND r.from_week + 7 * g >= p.anchor;
SQL
bench_note "$(psql -X -tAc "SELECT format('money: %s paths, %s weeks each at most, %s outcome rows', count(*), max(path_weeks(path)), (SELECT count(*) FROM bench.money_outcomes)) FROM bench.money_paths")"

# the floor: decode every path once
money_scan_paths="SELECT count(*), sum(path_weeks(path)) FROM bench.money_paths"
# kommune/stat cost of every benefit week, exact seniority, per year
money_path_cost_by_year="
SELECT c.period, sum(c.kommune), sum(c.stat)
FROM bench.money_paths p, path_benefit_cost(p.path, path_start(p.path), path_end(p.path), 'year', price_date => '2024-06-01') c
GROUP BY 1"
# savings: every path against a counterfactual on benefit throughout (kontanthjaelp)
money_path_savings="
SELECT sum(s.kommune), sum(s.stat)
FROM bench.money_paths p,
     path_savings(p.path, (path_start(p.path)::text || ':130x' || path_weeks(p.path))::benefit_path,
                  path_start(p.path), path_end(p.path), price_date => '2024-06-01') s"
# the outcome rows alone (path measures), then the full quarterly payment schedule on them
money_outcome_rows="SELECT count(*) FROM bench.money_outcomes"
money_rate_card_schedule="
SELECT count(*), sum(amount_due) FROM contract_schedule('{\"name\": \"bench\", \"currency\": \"GBP\", \"start\": \"2019-01-01\",
  \"programme_cap\": 50000000, \"components\": [{\"type\": \"rate_card\", \"per_participant_cap\": 11700, \"outcomes\": [
  {\"outcome\": \"job13\", \"price\": 3500}, {\"outcome\": \"job26\", \"price\": 2000, \"requires\": [\"job13\"]}]}]}', 'bench.money_outcomes')"
# weekly outcomes from the paths, and a savings contract paid quarterly on them
money_weekly_outcome_rows="SELECT count(*) FROM bench.money_weekly_outcomes"
money_savings_schedule_weekly="
SELECT count(*), sum(amount_due) FROM contract_schedule('{\"name\": \"bench\", \"currency\": \"DKK\", \"start\": \"2019-01-07\",
  \"investment\": 50000000, \"return_cap\": {\"rate\": 0.12},
  \"components\": [{\"type\": \"savings\", \"category\": \"kontanthjaelp\", \"price_per_week\": 2844.46, \"share\": 0.5}]}',
  'bench.money_weekly_outcomes')"
# the untimed precomputation: the path table the queries read, timed
# alone (into a scratch table) and named beside the comparisons
BENCH_REPEAT=1 bench_query money_build_paths "
CREATE TEMP TABLE money_paths_build AS
SELECT w.person_id, benefit_path(w.week, w.code) AS path,
       coalesce(p.mentor_start, (SELECT value::date FROM bench.register_info WHERE key = 'first_week')) AS anchor
FROM bench.benefit_week w JOIN bench.person p USING (person_id)
GROUP BY w.person_id, p.mentor_start;"
bench_note "money_*: bench.money_paths built once before (money_build_paths: $(bench_time money_build_paths) ms, single timing, not in the medians)"
bench_assert_plan money_scan_paths "$money_scan_paths" "Seq Scan on money_paths" "!Index Only Scan" || true
bench_assert_plan money_outcome_rows "$money_outcome_rows" "money_paths" || true
bench_assert_plan money_weekly_outcome_rows "$money_weekly_outcome_rows" "money_paths" "path_runs|Function Scan" || true
# each money query against its floors, interleaved
bench_compare money_path_cost_by_year "$money_path_cost_by_year" \
	money_scan_paths "$money_scan_paths" \
	count_star_person_week "SELECT count(*) FROM bench.benefit_week"
bench_compare money_path_savings "$money_path_savings" \
	money_scan_paths "$money_scan_paths"
bench_compare money_rate_card_schedule "$money_rate_card_schedule" \
	money_outcome_rows "$money_outcome_rows" \
	money_scan_paths "$money_scan_paths"
bench_compare money_savings_schedule_weekly "$money_savings_schedule_weekly" \
	money_weekly_outcome_rows "$money_weekly_outcome_rows" \
	money_scan_paths "$money_scan_paths"
# contracts with many components: the schedule must be linear in their
# number (issue 12: 1,600 components took 4.9 s, quadratic). 1,600 rate-card
# components against 100 over the same 3,200 outcome rows: the ratio stays
# <= 16 when linear. Measured (backend CPU, loaded 2-core box): before the
# fix 0.32 s / 5.35 s (3,200 components 11.9 s), after 0.21 s / 2.33 s
# (3,200 components 5.6 s; doubling 3,200 -> 6,400 costs 2.1x).
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE IF NOT EXISTS bench.money_component_outcomes AS
SELECT 'p' || g AS participant, 'o' || (g % 1600) AS outcome, '2024-01-01'::date + g % 300 AS day
FROM generate_series(1, 3200) g;
CREATE OR REPLACE FUNCTION bench.money_many_components(n integer) RETURNS jsonb LANGUAGE sql AS $f$
SELECT jsonb_build_object('name', 'bench', 'currency', 'DKK', 'start', '2024-01-01', 'investment', 1000,
       'components', jsonb_agg(jsonb_build_object('type', 'rate_card',
                     'outcomes', jsonb_build_array(jsonb_build_object('outcome', 'o' || g, 'price', 10)))))
FROM generate_series(0, n - 1) g $f$;
SQL
money_contract_100_components="
SELECT count(*), sum(amount) FROM contract_cashflows(bench.money_many_components(100), 'bench.money_component_outcomes')"
money_contract_1600_components="
SELECT count(*), sum(amount) FROM contract_cashflows(bench.money_many_components(1600), 'bench.money_component_outcomes')"
bench_compare money_contract_1600_components "$money_contract_1600_components" \
	money_contract_100_components "$money_contract_100_components"
