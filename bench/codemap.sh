# Benefit-code classification: the C lookup against the plain-SQL join to
# the code map that analysts write by hand (share of self-supporting
# benefit-weeks per year is trivial; the point is the per-row cost).
bench_query classify_plain_sql "
SELECT date_trunc('year', w.week), count(*) FILTER (WHERE b.self_supporting)
FROM bench.benefit_week w
LEFT JOIN benefit_code b ON b.code = w.code AND w.week >= b.valid_from AND w.week < b.valid_to
GROUP BY 1"
bench_query classify_benefit_state "
SELECT date_trunc('year', week), count(*) FILTER (WHERE benefit_state(code, week) = 'self')
FROM bench.benefit_week GROUP BY 1"
bench_ratio classify_benefit_state classify_plain_sql
bench_ratio classify_benefit_state count_star_person_week

# Issue 16.3: the rate per municipality against the same query with
# count(*) in place of the rate (the floor: the same rows joined and
# grouped). Instruction counts (callgrind, 20k persons x 260 weeks, serial
# plans, warm backend) are in the 0.3.0 changelog; these are the timings.
last=$(psql -X -tAc "SELECT value FROM bench.register_info WHERE key = 'last_week'")
first_reg=$(psql -X -tAc "SELECT value FROM bench.register_info WHERE key = 'first_week'")
from=$(psql -X -tAc "SELECT greatest(date '$last' - 7 * 51, date '$first_reg')")
rate_rows="
SELECT p.municipality,
       rate_person_weighted(selfsufficiency_state(path_cover(b.path, '$first_reg', '$last'), '$from', '$last', 'strict'))
FROM bench.person p LEFT JOIN benefit_paths_scan('bench.benefit_week') b USING (person_id)
GROUP BY 1;"
floor_rows="
SELECT p.municipality, count(*)
FROM bench.benefit_week w JOIN bench.person p USING (person_id)
GROUP BY 1;"
# the floor reads every person-week row (no index-only shortcut)
bench_assert_plan count_group_municipality "$floor_rows" "Seq Scan on benefit_week" || true
bench_compare rate_municipality_rows "$rate_rows" count_group_municipality "$floor_rows"
rate_paths="
SELECT p.municipality, rate_person_weighted(selfsufficiency_state(x.path, '$from', '$last', 'strict'))
FROM bench.person p JOIN bench.person_path x USING (person_id)
GROUP BY 1;"
# count(x.path), not count(*): the floor must read the path table's rows as
# the rate does, not answer from the primary key's index-only scan
floor_paths="
SELECT p.municipality, count(x.path)
FROM bench.person p JOIN bench.person_path x USING (person_id)
GROUP BY 1;"
bench_assert_plan count_group_municipality_path_table "$floor_paths" "Seq Scan on person_path" "!Index Only Scan" || true
bench_compare rate_municipality_path_table "$rate_paths" count_group_municipality_path_table "$floor_paths"

# Issue 15.1: a call site whose FmgrInfo is new for every call (Citus's
# worker partial aggregation calls fmgr_info per row). EXECUTE plans each
# call anew; the floor is the same loop calling a built-in function. Before
# the backend cache every call read the code map (about 1 ms each).
bench_query codemap_fresh_fmgrinfo "
DO \$\$
DECLARE s text;
BEGIN
	FOR i IN 1..5000 LOOP
		EXECUTE 'SELECT benefit_state(\$1, \$2, \$3)' INTO s USING 100 + i % 900, date '$last', 'strict';
	END LOOP;
END \$\$;"
bench_query codemap_fresh_fmgrinfo_floor "
DO \$\$
DECLARE s text;
BEGIN
	FOR i IN 1..5000 LOOP
		EXECUTE 'SELECT pg_catalog.concat(\$1, \$2, \$3)' INTO s USING 100 + i % 900, date '$last', 'strict';
	END LOOP;
END \$\$;"
bench_ratio codemap_fresh_fmgrinfo codemap_fresh_fmgrinfo_floor
