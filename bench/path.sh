# benefit_path and the rate aggregates (issue 3, "Speed and memory").
# Question: person-weighted strict self-sufficiency rate per municipality
# and ISO year over the register's weeks. Compared in the same run:
#   count(*) of the person-week table (baseline from run.sh),
#   plain SQL over the person-week table (join to the code map, CASE, avg),
#   the extension over the person-week table (paths built on the fly),
#   the extension over a stored path table.
# Sourced by bench/run.sh (bench_compare, bench_query, bench_note; PG* set).
# Every statement given to bench_compare / bench_query ends with ";"
# (psql times only terminated statements).

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
-- the ISO years of the register as a small analyzed table (was a view):
-- the planner guessed 200 years for the view instead of 5, costed every
-- query below 40 times too high and so compiled it with LLVM inlining and
-- optimization (jit_*_above_cost), about 0.6 s per query on this machine
-- for every route alike — a cost of the harness, not of the question
DO $$
BEGIN
	IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('bench.path_years')) = 'v' THEN
		DROP VIEW bench.path_years;
	END IF;
END $$;
DROP TABLE IF EXISTS bench.path_years;
CREATE TABLE bench.path_years AS
SELECT extract(isoyear FROM w)::int AS yr, min(w)::date AS from_week, max(w)::date AS to_week, count(*)::int AS weeks
FROM (SELECT value::date AS first FROM bench.register_info WHERE key = 'first_week') f,
     (SELECT value::int AS n FROM bench.register_info WHERE key = 'weeks') n,
     LATERAL generate_series(f.first, f.first + (n.n - 1) * 7, interval '7 days') w
GROUP BY 1;
ANALYZE bench.path_years;
SQL
first=$(psql -X -tAc "SELECT min(from_week) FROM bench.path_years")
last=$(psql -X -tAc "SELECT max(to_week) FROM bench.path_years")

# any per-person route pays for grouping the rows by person; this is its floor
path_group_by_person_count="
SELECT count(*) FROM (SELECT person_id, count(*) FROM bench.benefit_week GROUP BY 1) x;"

path_rate_plain_sql="
WITH pw AS (
	SELECT w.person_id, extract(isoyear FROM w.week)::int AS yr,
	       count(*) FILTER (WHERE b.censor) AS censored,
	       count(*) FILTER (WHERE b.code IS NULL OR NOT (b.self_supporting OR b.censor)) AS not_self
	FROM bench.benefit_week w
	LEFT JOIN benefit_code b ON b.code = w.code AND w.week >= b.valid_from AND w.week < b.valid_to
	GROUP BY 1, 2)
SELECT p.municipality, y.yr,
       avg((y.weeks - coalesce(pw.censored, 0) - coalesce(pw.not_self, 0))::float8
           / nullif(y.weeks - coalesce(pw.censored, 0), 0)) AS rate
FROM bench.person p CROSS JOIN bench.path_years y
LEFT JOIN pw ON pw.person_id = p.person_id AND pw.yr = y.yr
GROUP BY 1, 2;"

# (OFFSET 0 keeps path_cover at one call per person, not per person-year)
path_rate_from_person_weeks="
SELECT pc.municipality, y.yr,
       rate_person_weighted(selfsufficiency_state(pc.path, y.from_week, y.to_week, 'strict')) AS rate
FROM (SELECT p.municipality, path_cover(pp.path, '$first', '$last') AS path
      FROM bench.person p
      LEFT JOIN (SELECT person_id, benefit_path(week, code) AS path FROM bench.benefit_week GROUP BY 1) pp USING (person_id)
      OFFSET 0) pc
CROSS JOIN bench.path_years y
GROUP BY 1, 2;"

# the same question with benefit_paths: every person's path in one
# aggregate without GROUP BY person_id (no hash lookup per row; the
# register is stored in (person, week) order)
path_rate_from_person_weeks_stream="
SELECT pc.municipality, y.yr,
       rate_person_weighted(selfsufficiency_state(pc.path, y.from_week, y.to_week, 'strict')) AS rate
FROM (SELECT p.municipality, path_cover(pp.path, '$first', '$last') AS path
      FROM bench.person p
      LEFT JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM bench.benefit_week)) pp USING (person_id)
      OFFSET 0) pc
CROSS JOIN bench.path_years y
GROUP BY 1, 2;"

# the same question with benefit_paths_scan: the table read directly (in
# parallel workers), no per-row executor work
path_rate_from_person_weeks_scan="
SELECT pc.municipality, y.yr,
       rate_person_weighted(selfsufficiency_state(pc.path, y.from_week, y.to_week, 'strict')) AS rate
FROM (SELECT p.municipality, path_cover(pp.path, '$first', '$last') AS path
      FROM bench.person p
      LEFT JOIN benefit_paths_scan('bench.benefit_week') pp USING (person_id)
      OFFSET 0) pc
CROSS JOIN bench.path_years y
GROUP BY 1, 2;"
# and with selfsufficiency_states: each person's path read once for all
# years (no persons x years rows); this is the route the issue's target
# "rate over the person-week table <= 1.5x count(*)" is measured on
path_rate_from_person_weeks_scan_windows="
SELECT g.municipality, y.yr, rate_person_weighted(s.state) AS rate
FROM (SELECT p.municipality,
             selfsufficiency_states(path_cover(pp.path, '$first', '$last'),
                                    (SELECT array_agg(from_week ORDER BY yr) FROM bench.path_years),
                                    (SELECT array_agg(to_week ORDER BY yr) FROM bench.path_years), 'strict') AS states
      FROM bench.person p
      LEFT JOIN benefit_paths_scan('bench.benefit_week') pp USING (person_id)
      GROUP BY 1) g
CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)
JOIN (SELECT yr, row_number() OVER (ORDER BY yr) AS k FROM bench.path_years) y USING (k);"
path_build_scan_only="
SELECT count(*) FROM benefit_paths_scan('bench.benefit_week');"

# its floors: building the paths alone, and reading the three columns
path_build_stream_only="
SELECT count(*) FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM bench.benefit_week));"
count_columns_person_week="
SELECT count(person_id), count(week), count(code) FROM bench.benefit_week;"

bench_query path_build_table "
DROP TABLE IF EXISTS bench.person_path;
CREATE TABLE bench.person_path AS
SELECT p.person_id, p.municipality, path_cover(pp.path, '$first', '$last') AS path
FROM bench.person p
LEFT JOIN (SELECT person_id, benefit_path(week, code) AS path FROM bench.benefit_week GROUP BY 1) pp USING (person_id);
VACUUM ANALYZE bench.person_path;"

path_rate_from_path_table="
SELECT municipality, y.yr,
       rate_person_weighted(selfsufficiency_state(path, y.from_week, y.to_week, 'strict')) AS rate
FROM bench.person_path CROSS JOIN bench.path_years y
GROUP BY 1, 2;"

# the same question with one aggregate call per person for all years
# (selfsufficiency_states): no persons x years rows through the executor,
# each path read once for all windows
path_rate_from_path_table_windows="
SELECT g.municipality, y.yr, rate_person_weighted(s.state) AS rate
FROM (SELECT municipality, selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY yr) FROM bench.path_years),
                                                  (SELECT array_agg(to_week ORDER BY yr) FROM bench.path_years), 'strict') AS states
      FROM bench.person_path GROUP BY 1) g
CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)
JOIN (SELECT yr, row_number() OVER (ORDER BY yr) AS k FROM bench.path_years) y USING (k);"

bench_query path_rate_52w_window "
SELECT municipality, rate_person_weighted(selfsufficiency_state(path, '$first', week_add('$first', 51), 'strict'))
FROM bench.person_path GROUP BY 1;"

# The comparisons, each measured interleaved. Speed-ups: the plain-SQL
# baseline first, so each ratio is how many times faster a route is. The
# path-table routes read bench.person_path, built once before (the build,
# path_build_table above, is a single timing named here, not in their
# medians).
bench_assert_plan path_rate_plain_sql "$path_rate_plain_sql" "Seq Scan on benefit_week" "Aggregate" || true
bench_compare path_rate_plain_sql "$path_rate_plain_sql" \
	path_rate_from_person_weeks "$path_rate_from_person_weeks" \
	path_rate_from_person_weeks_stream "$path_rate_from_person_weeks_stream" \
	path_rate_from_person_weeks_scan "$path_rate_from_person_weeks_scan" \
	path_rate_from_person_weeks_scan_windows "$path_rate_from_person_weeks_scan_windows" \
	path_rate_from_path_table "$path_rate_from_path_table" \
	path_rate_from_path_table_windows "$path_rate_from_path_table_windows"
bench_note "path_rate_from_path_table*: bench.person_path built once before (path_build_table: $(bench_time path_build_table) ms, single timing, not in their medians)"
# the route from person-weeks against its floors: reading the table
# (count(*); the three columns) and grouping its rows by person
bench_assert_plan count_columns_person_week "$count_columns_person_week" "Seq Scan on benefit_week" "!Index Only Scan" || true
bench_assert_plan path_group_by_person_count "$path_group_by_person_count" "benefit_week" "Aggregate" || true
bench_compare path_rate_from_person_weeks_scan_windows "$path_rate_from_person_weeks_scan_windows" \
	count_star_person_week "SELECT count(*) FROM bench.benefit_week;" \
	count_columns_person_week "$count_columns_person_week" \
	path_group_by_person_count "$path_group_by_person_count"
# building the paths alone, against the count(*) floor
bench_compare path_build_scan_only "$path_build_scan_only" \
	path_build_stream_only "$path_build_stream_only" \
	count_star_person_week "SELECT count(*) FROM bench.benefit_week;"

# the answers agree (person-weighted rates, 1e-12)
bench_note "$(psql -X -tAc "
WITH a AS (SELECT municipality, y.yr, rate_person_weighted(selfsufficiency_state(path, y.from_week, y.to_week, 'strict')) AS r
           FROM bench.person_path CROSS JOIN bench.path_years y GROUP BY 1, 2),
pw AS (SELECT w.person_id, extract(isoyear FROM w.week)::int AS yr,
              count(*) FILTER (WHERE b.censor) AS censored,
              count(*) FILTER (WHERE b.code IS NULL OR NOT (b.self_supporting OR b.censor)) AS not_self
       FROM bench.benefit_week w
       LEFT JOIN benefit_code b ON b.code = w.code AND w.week >= b.valid_from AND w.week < b.valid_to
       GROUP BY 1, 2),
s AS (SELECT p.municipality, y.yr,
             avg((y.weeks - coalesce(pw.censored, 0) - coalesce(pw.not_self, 0))::float8
                 / nullif(y.weeks - coalesce(pw.censored, 0), 0)) AS r
      FROM bench.person p CROSS JOIN bench.path_years y
      LEFT JOIN pw ON pw.person_id = p.person_id AND pw.yr = y.yr GROUP BY 1, 2)
SELECT format('answers: %s groups, %s agree with plain SQL to 1e-12', count(*),
              count(*) FILTER (WHERE abs(a.r - s.r) < 1e-12 OR (a.r IS NULL AND s.r IS NULL)))
FROM a JOIN s USING (municipality, yr)")"

# one call per person for all years gives the same states as one call per
# person-year (counts exactly, person-weighted rates to 1e-12: partial
# states of a parallel plan may merge in another order)
bench_note "$(psql -X -tAc "
WITH a AS (SELECT municipality, y.yr, selfsufficiency_state(path, y.from_week, y.to_week, 'strict') AS s
           FROM bench.person_path CROSS JOIN bench.path_years y GROUP BY 1, 2),
w AS (SELECT g.municipality, y.yr, s.state AS s
      FROM (SELECT municipality, selfsufficiency_states(path, (SELECT array_agg(from_week ORDER BY yr) FROM bench.path_years),
                                                        (SELECT array_agg(to_week ORDER BY yr) FROM bench.path_years), 'strict') AS states
            FROM bench.person_path GROUP BY 1) g
      CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)
      JOIN (SELECT yr, row_number() OVER (ORDER BY yr) AS k FROM bench.path_years) y USING (k))
SELECT format('answers: selfsufficiency_states vs selfsufficiency_state per year: %s groups, %s with equal counts and rates to 1e-12',
              count(*), count(*) FILTER (WHERE rate_counts(a.s) = rate_counts(w.s)
                                         AND (abs(rate_person_weighted(a.s) - rate_person_weighted(w.s)) < 1e-12
                                              OR (rate_person_weighted(a.s) IS NULL AND rate_person_weighted(w.s) IS NULL))))
FROM a FULL JOIN w USING (municipality, yr)")"

# the route from person-weeks (scan + windows) gives the path table's answers
bench_note "$(psql -X -tAc "
WITH a AS (SELECT municipality, y.yr, rate_person_weighted(selfsufficiency_state(path, y.from_week, y.to_week, 'strict')) AS r
           FROM bench.person_path CROSS JOIN bench.path_years y GROUP BY 1, 2),
w AS (SELECT g.municipality, y.yr, rate_person_weighted(s.state) AS r
      FROM (SELECT p.municipality,
                   selfsufficiency_states(path_cover(pp.path, '$first', '$last'),
                                          (SELECT array_agg(from_week ORDER BY yr) FROM bench.path_years),
                                          (SELECT array_agg(to_week ORDER BY yr) FROM bench.path_years), 'strict') AS states
            FROM bench.person p LEFT JOIN benefit_paths_scan('bench.benefit_week') pp USING (person_id) GROUP BY 1) g
      CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)
      JOIN (SELECT yr, row_number() OVER (ORDER BY yr) AS k FROM bench.path_years) y USING (k))
SELECT format('answers: scan + selfsufficiency_states from person-weeks vs the path table: %s groups, %s agree to 1e-12',
              count(*), count(*) FILTER (WHERE abs(a.r - w.r) < 1e-12 OR (a.r IS NULL AND w.r IS NULL)))
FROM a FULL JOIN w USING (municipality, yr)")"

# the three routes from person-weeks build the same paths
bench_note "$(psql -X -tAc "
WITH a AS (SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM bench.benefit_week))),
b AS (SELECT person_id, benefit_path(week, code) AS path FROM bench.benefit_week GROUP BY 1),
c AS (SELECT * FROM benefit_paths_scan('bench.benefit_week'))
SELECT format('benefit_paths and benefit_paths_scan vs benefit_path GROUP BY person_id: %s persons, %s and %s equal paths',
              count(*), count(*) FILTER (WHERE a.path = b.path), count(*) FILTER (WHERE c.path = b.path))
FROM a FULL JOIN b USING (person_id) FULL JOIN c USING (person_id)")"

bench_note "$(psql -X -tAc "
SELECT format('sizes: person_week %s, path table %s (%s of it); %s bytes per path on average',
              pg_size_pretty(pg_total_relation_size('bench.benefit_week')),
              pg_size_pretty(pg_total_relation_size('bench.person_path')),
              round(pg_total_relation_size('bench.person_path')::numeric / pg_total_relation_size('bench.benefit_week'), 3),
              round(avg(pg_column_size(path)), 1))
FROM bench.person_path")"

# per-person cost of a 52-week window and a projection to DREAM scale
# (5 million persons x 1,800 weeks): decoding cost grows with the runs
# before the window end, so the projection scales by the ratio of weeks.
t52=$(bench_time path_rate_52w_window)
bench_note "$(psql -X -tAc "
SELECT format('per person (52-week window): %s us; DREAM scale 5e6 persons x 1800 weeks: about %s s on one core, %s s on 2 cores (linear in runs scanned)',
              round(($t52 * 1000 / count(*))::numeric, 3),
              round(($t52 / 1000 / count(*) * 5e6 * (1800.0 / max(path_weeks(path))))::numeric, 1),
              round(($t52 / 1000 / count(*) * 5e6 * (1800.0 / max(path_weeks(path))) / 2)::numeric, 1))
FROM bench.person_path")"

# building the paths straight from person-week rows at DREAM scale: the
# scan's cost per row times DREAM's rows (5 million persons x 1,800 weeks at
# this register's share of person-weeks that have a row)
tscan=$(bench_time path_build_scan_only)
bench_note "$(psql -X -tAc "
SELECT format('benefit_paths_scan: %s ns per person-week row; DREAM scale (5e6 x 1800 weeks, %s%% of person-weeks with a row) about %s s on this machine',
              round(($tscan * 1e6 / count(*))::numeric, 1),
              round(100.0 * count(*) / ((SELECT count(*) FROM bench.person) * (SELECT value::int FROM bench.register_info WHERE key = 'weeks')), 1),
              round(($tscan / 1000.0 / count(*) * 5e6 * 1800 * count(*) / ((SELECT count(*) FROM bench.person) * (SELECT value::int FROM bench.register_info WHERE key = 'weeks')))::numeric, 0))
FROM bench.benefit_week")"

# The issue's register shape: one row per person and week of the register
# (100,000 x 260 = 26 million rows), code NULL in weeks without benefit, as
# a DREAM extract unpivoted to long form. The generator writes only the
# benefit weeks (bench.benefit_week, about half as many rows); this table
# adds the others, so the targets are also measured on the row count the
# issue states. Kept between runs with the register.
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DO $$
BEGIN
	IF coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass('bench.benefit_week_full')), -1)
	   <> (SELECT count(*) FROM bench.person) * (SELECT sum(weeks) FROM bench.path_years) THEN
		DROP TABLE IF EXISTS bench.benefit_week_full;
		CREATE TABLE bench.benefit_week_full AS
		SELECT p.person_id, w.week::date AS week, bw.code
		FROM bench.person p
		CROSS JOIN bench.path_years y
		CROSS JOIN LATERAL generate_series(y.from_week, y.to_week, interval '7 days') w(week)
		LEFT JOIN bench.benefit_week bw ON bw.person_id = p.person_id AND bw.week = w.week::date
		ORDER BY p.person_id, w.week;
	END IF;
END $$;
VACUUM ANALYZE bench.benefit_week_full;
CHECKPOINT;
SQL
bench_note "$(psql -X -tAc "
SELECT format('full person-week table: %s rows (%s with a benefit code), %s',
              count(*), count(code), pg_size_pretty(pg_total_relation_size('bench.benefit_week_full')))
FROM bench.benefit_week_full")"

count_star_person_week_full="
SELECT count(*) FROM bench.benefit_week_full;"

# plain SQL on the full table: every week has a row, so the rate per
# person-year is a CASE over the rows (NULL code = self-supporting, censoring
# codes leave the denominator), then the mean per municipality
plain_sql_full="
SELECT p.municipality, pw.yr, avg(pw.self::float8 / nullif(pw.weeks, 0)) AS rate
FROM (SELECT w.person_id, extract(isoyear FROM w.week)::int AS yr,
             count(*) FILTER (WHERE w.code IS NULL OR NOT b.censor) AS weeks,
             count(*) FILTER (WHERE w.code IS NULL OR (b.self_supporting AND NOT b.censor)) AS self
      FROM bench.benefit_week_full w
      LEFT JOIN benefit_code b ON b.code = w.code AND w.week >= b.valid_from AND w.week < b.valid_to
      GROUP BY 1, 2) pw
JOIN bench.person p USING (person_id)
GROUP BY 1, 2"
path_rate_plain_sql_full="$plain_sql_full;"

# the extension: paths (every one already spans the register, so no
# path_cover) and one state per person for all years. $1: a FROM item
# with person_id and path.
rate_by_year_sql() {
	cat <<EOS
SELECT g.municipality, y.yr, rate_person_weighted(s.state) AS rate
FROM (SELECT p.municipality,
             selfsufficiency_states(pp.path,
                                    (SELECT array_agg(from_week ORDER BY yr) FROM bench.path_years),
                                    (SELECT array_agg(to_week ORDER BY yr) FROM bench.path_years), 'strict') AS states
      FROM bench.person p
      JOIN $1 pp USING (person_id)
      GROUP BY 1) g
CROSS JOIN LATERAL unnest(g.states) WITH ORDINALITY AS s(state, k)
JOIN (SELECT yr, row_number() OVER (ORDER BY yr) AS k FROM bench.path_years) y USING (k)
EOS
}
# read by the scan
path_rate_from_person_weeks_full_scan_windows="$(rate_by_year_sql "benefit_paths_scan('bench.benefit_week_full')");"
# and built by the benefit_paths aggregate over the rows (executor route)
path_rate_from_person_weeks_full_stream="$(rate_by_year_sql "benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM bench.benefit_week_full))");"

bench_assert_plan count_star_person_week_full "$count_star_person_week_full" "Seq Scan on benefit_week_full" "!Index Only Scan" || true
bench_assert_plan path_rate_plain_sql_full "$path_rate_plain_sql_full" "Seq Scan on benefit_week_full" "Aggregate" || true
bench_compare path_rate_plain_sql_full "$path_rate_plain_sql_full" \
	path_rate_from_person_weeks_full_scan_windows "$path_rate_from_person_weeks_full_scan_windows" \
	path_rate_from_person_weeks_full_stream "$path_rate_from_person_weeks_full_stream"
bench_compare path_rate_from_person_weeks_full_scan_windows "$path_rate_from_person_weeks_full_scan_windows" \
	count_star_person_week_full "$count_star_person_week_full"

# the full table gives the same paths and answers as the benefit-week table
bench_note "$(psql -X -tAc "
WITH f AS (SELECT * FROM benefit_paths_scan('bench.benefit_week_full'))
SELECT format('full table: %s persons, %s paths equal to the path table''s', count(*),
              count(*) FILTER (WHERE f.path = pp.path))
FROM bench.person_path pp FULL JOIN f USING (person_id)")"
bench_note "$(psql -X -tAc "
WITH a AS (SELECT municipality, y.yr, rate_person_weighted(selfsufficiency_state(path, y.from_week, y.to_week, 'strict')) AS r
           FROM bench.person_path CROSS JOIN bench.path_years y GROUP BY 1, 2),
s AS ($plain_sql_full)
SELECT format('answers on the full table: %s groups, %s agree with plain SQL to 1e-12', count(*),
              count(*) FILTER (WHERE abs(a.r - s.rate) < 1e-12 OR (a.r IS NULL AND s.rate IS NULL)))
FROM a FULL JOIN s USING (municipality, yr)")"
bench_note "$(psql -X -tAc "
SELECT format('sizes: full person-week table %s, path table %s (%s of it)',
              pg_size_pretty(pg_total_relation_size('bench.benefit_week_full')),
              pg_size_pretty(pg_total_relation_size('bench.person_path')),
              round(pg_total_relation_size('bench.person_path')::numeric / pg_total_relation_size('bench.benefit_week_full'), 4))")"

# Rows in week order (a table appended week by week): the state compacts
# its entries into one per person, so memory follows the persons, not the
# rows. Measured with the aggregate in one backend (no parallel workers,
# whose memory the backend's peak would not show), on the same rows in
# person order and in week order.
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DO $$
BEGIN
	IF coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass('bench.benefit_week_by_week')), -1)
	   <> (SELECT reltuples FROM pg_class WHERE oid = 'bench.benefit_week'::regclass) THEN
		DROP TABLE IF EXISTS bench.benefit_week_by_week;
		CREATE TABLE bench.benefit_week_by_week AS
		SELECT * FROM bench.benefit_week ORDER BY week, person_id;
	END IF;
END $$;
VACUUM ANALYZE bench.benefit_week_by_week;
CHECKPOINT;
SQL
path_build_aggregate_person_order="
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM bench.benefit_week));"
path_build_aggregate_week_order="
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM bench.benefit_week_by_week));"
path_build_scan_week_order="
SELECT count(*) FROM benefit_paths_scan('bench.benefit_week_by_week');"
path_group_by_person_week_order="
SELECT count(*) FROM (SELECT person_id, benefit_path(week, code) FROM bench.benefit_week_by_week GROUP BY 1) x;"
bench_compare path_build_aggregate_week_order "$path_build_aggregate_week_order" \
	path_build_aggregate_person_order "$path_build_aggregate_person_order"
bench_compare path_build_scan_week_order "$path_build_scan_week_order" \
	path_group_by_person_week_order "$path_group_by_person_week_order" \
	count_star_person_week "SELECT count(*) FROM bench.benefit_week;"
bench_note "$(awk -F'\t' '$1 == "path_build_aggregate_person_order" {a = $3} $1 == "path_build_aggregate_week_order" {b = $3}
	END {printf "peak private backend memory, benefit_paths over 13 M rows: person order %.0f MB, week order %.0f MB (without compaction: about 40 bytes a row, %.0f MB more)", a / 1024, b / 1024, 13e6 * 40 / 1048576}' "$BENCH_OUT/results.tsv")"
