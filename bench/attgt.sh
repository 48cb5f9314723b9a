# att_gt benchmark (sourced by bench/run.sh): a panel of ATTGT_UNITS units
# (default 100,000) x ATTGT_PERIODS weekly periods (default 104) with 5
# mentoring cohorts, a never-treated group and two time-invariant
# covariates x1, x2, built with generate_series (independent of the
# generator). Reports time and peak backend memory of the configurations
# of issue 16.1 (never-treated and not-yet-treated controls; reg, ipw and
# dr with the two covariates; 1,000 bootstrap draws), each against the
# analytical run and count(*) over the same table, and the stored
# estimate: the cells plus the four aggregations through one att_gt_fit
# (one read, one estimation) against the five table-form calls (five reads
# and estimations); and the direct read of the table against the query
# read of the same rows through a view, interleaved. ATTGT_BOOTSTRAP=0
# skips the bootstrap run, ATTGT_COVARIATES=0 the covariate runs.
ATTGT_UNITS=${ATTGT_UNITS:-100000}
ATTGT_PERIODS=${ATTGT_PERIODS:-104}
key="${ATTGT_UNITS}x${ATTGT_PERIODS} v2"
have=$(psql -X -tAc "SELECT obj_description('bench.attgt_panel'::regclass)" 2>/dev/null || true)
if [ "$have" != "$key" ]; then
	echo "== building bench.attgt_panel: $ATTGT_UNITS units x $ATTGT_PERIODS periods"
	psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS bench.attgt_panel;
CREATE TABLE bench.attgt_panel AS
SELECT u AS unit, t AS period,
       CASE u % 6 WHEN 0 THEN 0 ELSE 20 + 15 * (u % 6) END AS cohort,
       (u % 97) * 0.01 + t * 0.002 + sin(u * 0.37 + t) * 0.1
       + CASE WHEN u % 6 <> 0 AND t >= 20 + 15 * (u % 6) THEN 0.05 ELSE 0 END
       + ((u % 13) * 0.1) * t * 0.0005 AS y,
       (u % 13) * 0.1 AS x1,
       cos(u * 0.11) AS x2
FROM generate_series(1, $ATTGT_UNITS) u, generate_series(1, $ATTGT_PERIODS) t;
COMMENT ON TABLE bench.attgt_panel IS '$key';
VACUUM ANALYZE bench.attgt_panel;
SQL
fi
args="'bench.attgt_panel', 'y', 'unit', 'period', 'cohort'"
bench_query attgt_count_star "SELECT count(*) FROM bench.attgt_panel;"
# the direct heap read of a plain table against the query read of the same
# rows (a view takes the query path; attgt_scan.c), interleaved
psql -X -q -c "CREATE OR REPLACE VIEW bench.attgt_panel_view AS SELECT * FROM bench.attgt_panel"
bench_compare attgt_direct_read "SELECT count(*) FROM att_gt($args);" \
	attgt_query_read "SELECT count(*) FROM att_gt('bench.attgt_panel_view', 'y', 'unit', 'period', 'cohort');"
bench_query attgt_analytical "SELECT count(*) FROM att_gt($args);"
bench_ratio attgt_analytical attgt_count_star
bench_query attgt_notyet "SELECT count(*) FROM att_gt($args, control_group => 'notyettreated');"
bench_ratio attgt_notyet attgt_analytical
if [ "${ATTGT_COVARIATES:-1}" = 1 ]; then
	for m in reg ipw dr; do
		bench_query "attgt_${m}_2cov" "SELECT count(*) FROM att_gt($args, covariate_columns => '{x1,x2}', est_method => '$m');"
		bench_ratio "attgt_${m}_2cov" attgt_analytical
	done
fi
bench_query attgt_dynamic "SELECT count(*) FROM att_gt_aggregate($args, type => 'dynamic');"
bench_ratio attgt_dynamic attgt_analytical
if [ "${ATTGT_BOOTSTRAP:-1}" = 1 ]; then
	bench_query attgt_bootstrap1000 "SELECT count(*) FROM att_gt($args, bootstrap => 1000);"
	bench_ratio attgt_bootstrap1000 attgt_analytical
fi
# cells + simple + dynamic + group + calendar: five table-form calls, or
# one att_gt_fit whose cells every call reuses (one statement, so one
# transaction: the fit's cells are estimated once)
bench_query attgt_five_table_calls "SELECT (SELECT count(*) FROM att_gt($args))
 + (SELECT count(*) FROM att_gt_aggregate($args, type => 'simple'))
 + (SELECT count(*) FROM att_gt_aggregate($args, type => 'dynamic'))
 + (SELECT count(*) FROM att_gt_aggregate($args, type => 'group'))
 + (SELECT count(*) FROM att_gt_aggregate($args, type => 'calendar'));"
bench_query attgt_five_via_fit "WITH f AS MATERIALIZED (SELECT att_gt_fit($args) AS fit)
SELECT (SELECT count(*) FROM f, att_gt(f.fit))
 + (SELECT count(*) FROM f, att_gt_aggregate(f.fit, 'simple'))
 + (SELECT count(*) FROM f, att_gt_aggregate(f.fit, 'dynamic'))
 + (SELECT count(*) FROM f, att_gt_aggregate(f.fit, 'group'))
 + (SELECT count(*) FROM f, att_gt_aggregate(f.fit, 'calendar'));"
bench_ratio attgt_five_table_calls attgt_five_via_fit
bench_query attgt_fit_only "SELECT pg_column_size(att_gt_fit($args));"
bench_ratio attgt_fit_only attgt_analytical
