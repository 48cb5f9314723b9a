# att_gt benchmark (sourced by bench/run.sh): a panel of ATTGT_UNITS units
# (default 100,000) x ATTGT_PERIODS weekly periods (default 104) with 5
# mentoring cohorts and a never-treated group, built with generate_series
# (independent of the generator). Reports time and peak backend memory of
# the analytical run, the ratio to count(*) over the same table, the
# dynamic aggregation, and 1,000 bootstrap draws against the analytical run.
ATTGT_UNITS=${ATTGT_UNITS:-100000}
ATTGT_PERIODS=${ATTGT_PERIODS:-104}
have=$(psql -X -tAc "SELECT obj_description('bench.attgt_panel'::regclass)" 2>/dev/null || true)
if [ "$have" != "${ATTGT_UNITS}x${ATTGT_PERIODS}" ]; then
	echo "== building bench.attgt_panel: $ATTGT_UNITS units x $ATTGT_PERIODS periods"
	psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS bench.attgt_panel;
CREATE TABLE bench.attgt_panel AS
SELECT u AS unit, t AS period,
       CASE u % 6 WHEN 0 THEN 0 ELSE 20 + 15 * (u % 6) END AS cohort,
       (u % 97) * 0.01 + t * 0.002 + sin(u * 0.37 + t) * 0.1
       + CASE WHEN u % 6 <> 0 AND t >= 20 + 15 * (u % 6) THEN 0.05 ELSE 0 END AS y
FROM generate_series(1, $ATTGT_UNITS) u, generate_series(1, $ATTGT_PERIODS) t;
COMMENT ON TABLE bench.attgt_panel IS '${ATTGT_UNITS}x${ATTGT_PERIODS}';
VACUUM ANALYZE bench.attgt_panel;
SQL
fi
bench_query attgt_count_star "SELECT count(*) FROM bench.attgt_panel;"
bench_query attgt_analytical "SELECT count(*) FROM att_gt('bench.attgt_panel', 'y', 'unit', 'period', 'cohort');"
bench_ratio attgt_analytical attgt_count_star
bench_query attgt_dynamic "SELECT count(*) FROM att_gt_aggregate('bench.attgt_panel', 'y', 'unit', 'period', 'cohort', type => 'dynamic');"
bench_ratio attgt_dynamic attgt_analytical
if [ "${ATTGT_BOOTSTRAP:-1}" = 1 ]; then
	bench_query attgt_bootstrap1000 "SELECT count(*) FROM att_gt('bench.attgt_panel', 'y', 'unit', 'period', 'cohort', bootstrap => 1000);"
	bench_ratio attgt_bootstrap1000 attgt_analytical
fi
