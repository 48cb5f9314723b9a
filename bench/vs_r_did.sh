# socialinvest att_gt against R did::att_gt side by side (issue 16, item 5).
# Sourced by bench/run.sh (PG* environment, bench/lib.sh); alone:
#   BENCH_ONLY=vs_r_did make bench
#
# One panel, bench.vsr_panel: VSR_UNITS units (default 100,000) x
# VSR_PERIODS periods (default 104), five cohorts and never-treated units,
# two time-invariant covariates x1, x2 that shift the outcome's trend (so
# the covariate estimators have something to adjust), a planted effect of
# 0.05. The same rows are exported once to CSV for R.
#
# Configurations of issue 16.1 (VSR_CONFIGS, default all):
#   never     never-treated controls, no covariates
#   notyet    not-yet-treated controls, no covariates
#   reg_x2    outcome regression with x1 + x2
#   ipw_x2    inverse probability weighting with x1 + x2
#   dr_x2     doubly robust with x1 + x2
#   boot1000  never-treated, multiplier bootstrap with 1,000 draws
# Each configuration: one warm-up run of att_gt (R's runs are fresh
# processes that read the CSV before the timed call, so they need none),
# then VSR_RUNS rounds (default 3: one R run takes about a minute at the
# default size, so the six configurations take about 20 minutes),
# alternating which side runs first:
#   att_gt_<config>  SELECT count(*) FROM att_gt(...) in a fresh backend:
#                    wall time of the whole query (the table is read
#                    inside it); memory: the backend's peak private memory
#   r_did_<config>   a fresh Rscript: the CSV is read with data.table::fread
#                    (not timed), then system.time(did::att_gt(...)) is the
#                    time; memory: the R process's max RSS (/usr/bin/time)
# The ratio r_did / att_gt of the medians is the speed-up (goal >= 40x;
# bench/goals.tsv); the answers are compared cell by cell (max |ATT
# difference|, and max |SE difference| for the analytical configurations;
# bootstrap SEs are random draws on both sides).
#
# Without R or its did package the comparison is skipped with a message
# (make deps-r installs R and did's Debian dependencies; did itself comes
# from CRAN). VSR_PG_SIDE=1 runs the socialinvest side anyway (used by the
# test with a tiny panel). VSR_RSCRIPT names the Rscript to use.

VSR_UNITS=${VSR_UNITS:-100000}
VSR_PERIODS=${VSR_PERIODS:-104}
VSR_RUNS=${VSR_RUNS:-3}
VSR_CONFIGS=${VSR_CONFIGS:-never notyet reg_x2 ipw_x2 dr_x2 boot1000}
VSR_RSCRIPT=${VSR_RSCRIPT:-Rscript}

vsr_have_r=1
if ! command -v "$VSR_RSCRIPT" >/dev/null 2>&1; then
	vsr_have_r=0
	bench_note "SKIP vs_r_did: R is not installed (make deps-r installs it)"
elif ! "$VSR_RSCRIPT" -e 'quit(status = !(requireNamespace("did", quietly = TRUE) && requireNamespace("data.table", quietly = TRUE)))' >/dev/null 2>&1; then
	vsr_have_r=0
	bench_note "SKIP vs_r_did: the R package did is not installed (make deps-r installs its Debian dependencies; then, online: Rscript -e 'install.packages(\"did\")')"
fi

if [ "$vsr_have_r" = 1 ] || [ "${VSR_PG_SIDE:-0}" = 1 ]; then
	_bench_files
	vsr_tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-vsr.XXXXXX")
	chmod 755 "$vsr_tmp"

	have=$(psql -X -tAc "SELECT obj_description(to_regclass('bench.vsr_panel'), 'pg_class')" 2>/dev/null || true)
	if [ "$have" != "${VSR_UNITS}x${VSR_PERIODS}" ]; then
		echo "== building bench.vsr_panel: $VSR_UNITS units x $VSR_PERIODS periods"
		psql -X -q -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench;
DROP TABLE IF EXISTS bench.vsr_panel;
CREATE TABLE bench.vsr_panel AS
SELECT u AS unit, t AS period, c.cohort, x.x1, x.x2,
       (u % 97) * 0.01 + t * 0.002 * (1 + x.x1) + 0.003 * t * x.x2 + sin(u * 0.37 + t) * 0.1
       + CASE WHEN c.cohort > 0 AND t >= c.cohort THEN 0.05 ELSE 0 END AS y
FROM generate_series(1, $VSR_UNITS) u
CROSS JOIN LATERAL (SELECT CASE u % 6 WHEN 0 THEN 0
                           ELSE floor($VSR_PERIODS * (0.2 + 0.12 * (u % 6)))::int END AS cohort) c
CROSS JOIN LATERAL (SELECT (u % 11) * 0.1 + 0.05 * (u % 6) AS x1, cos(u * 0.13) AS x2) x
CROSS JOIN generate_series(1, $VSR_PERIODS) t;
COMMENT ON TABLE bench.vsr_panel IS '${VSR_UNITS}x${VSR_PERIODS}';
VACUUM ANALYZE bench.vsr_panel;
SQL
	fi
	psql -X -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT unit, period, cohort, x1, x2, y FROM bench.vsr_panel ORDER BY unit, period) TO '$vsr_tmp/panel.csv' CSV HEADER"
	bench_note "vs_r_did panel: $VSR_UNITS units x $VSR_PERIODS periods ($(du -h "$vsr_tmp/panel.csv" | cut -f1) CSV), $VSR_RUNS rounds per configuration"

	# the R side: Rscript vsr.R CSV CONFIG OUT_CSV -> prints the elapsed seconds of att_gt
	cat >"$vsr_tmp/vsr.R" <<'R'
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages({ library(did); library(data.table) })
d <- as.data.frame(fread(args[1]))
cfg <- args[2]
a <- list(yname = "y", tname = "period", idname = "unit", gname = "cohort", data = d,
          control_group = "nevertreated", bstrap = FALSE, cband = FALSE, est_method = "dr")
if (cfg == "notyet") a$control_group <- "notyettreated"
if (cfg %in% c("reg_x2", "ipw_x2", "dr_x2")) {
	a$xformla <- ~ x1 + x2
	a$est_method <- sub("_x2$", "", cfg)
}
if (cfg == "boot1000") { a$bstrap <- TRUE; a$biters <- 1000; a$cband <- TRUE }
set.seed(42)
t <- system.time(r <- do.call(att_gt, a))[["elapsed"]]
write.csv(data.frame(cohort = r$group, period = r$t, estimate = r$att, std_error = r$se),
          args[3], row.names = FALSE)
cat(sprintf("%.1f\n", 1000 * t))
R

	# att_gt's arguments for each configuration
	vsr_args() {
		case "$1" in
			never) echo "" ;;
			notyet) echo ", control_group => 'notyettreated'" ;;
			reg_x2 | ipw_x2 | dr_x2) echo ", covariate_columns => ARRAY['x1', 'x2']::name[], est_method => '${1%_x2}'" ;;
			boot1000) echo ", bootstrap => 1000" ;;
			*) echo "vs_r_did: unknown configuration $1" >&2; return 1 ;;
		esac
	}
	# vsr_r CONFIG -> "ms kb" (att_gt's elapsed time, the process's max RSS)
	vsr_r() {
		local ms
		ms=$(/usr/bin/time -f '%M' -o "$vsr_tmp/rss" "$VSR_RSCRIPT" "$vsr_tmp/vsr.R" "$vsr_tmp/panel.csv" "$1" "$vsr_tmp/r_$1.csv" 2>"$vsr_tmp/r.err") ||
			{ cat "$vsr_tmp/r.err" >&2; return 1; }
		echo "$(echo "$ms" | tail -n 1) $(tail -n 1 "$vsr_tmp/rss")"
	}

	for cfg in $VSR_CONFIGS; do
		args=$(vsr_args "$cfg") || continue
		pg_sql="SELECT count(*) FROM att_gt('bench.vsr_panel', 'y', 'unit', 'period', 'cohort'$args)"
		pg_t=""; r_t=""; pg_kb=0; r_kb=0
		# warm-up, then alternating rounds
		_bench_once "$pg_sql" >/dev/null || { echo "vs_r_did: att_gt $cfg failed"; continue; }
		for ((i = 1; i <= VSR_RUNS; i++)); do
			for side in $([ $((i % 2)) -eq 1 ] && echo "pg r" || echo "r pg"); do
				if [ "$side" = pg ]; then
					res=$(_bench_once "$pg_sql") || continue 3
					pg_t="$pg_t ${res% *}"; [ "${res#* }" -gt "$pg_kb" ] && pg_kb=${res#* }
				elif [ "$vsr_have_r" = 1 ]; then
					res=$(vsr_r "$cfg") || continue 3
					r_t="$r_t ${res% *}"; [ "${res#* }" -gt "$r_kb" ] && r_kb=${res#* }
				fi
			done
		done
		set -- $(_bench_stats "$pg_t")
		pg_med=$1
		pg_desc="$1 ($2-$3; $4-$5)"
		printf '%s\t%s\t%s\tmedian\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "att_gt_$cfg" "$1" "$pg_kb" "$2" "$3" "$4" "$5" "$VSR_RUNS" \
			"$(echo $pg_t | tr ' ' ',')" "$(_bench_sqlfile "att_gt_$cfg" "$pg_sql")" >>"$BENCH_OUT/results.tsv"
		printf '  %-44s median %10.1f ms  (min-max %.1f-%.1f, n=%s)  peak private %7.1f MB\n' "att_gt_$cfg" "$1" "$2" "$3" \
			"$VSR_RUNS" "$(awk "BEGIN {print $pg_kb / 1024}")"
		# socialinvest's answer, for the comparison (not timed)
		psql -X -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT cohort, period, estimate, std_error FROM att_gt('bench.vsr_panel', 'y', 'unit', 'period', 'cohort'$args)) TO '$vsr_tmp/pg_$cfg.csv' CSV HEADER"
		bench_note "att_gt $cfg: $(($(wc -l <"$vsr_tmp/pg_$cfg.csv") - 1)) cells, mean ATT(g,t) after treatment $(awk -F, 'NR > 1 && $2 >= $1 {s += $3; n++} END {printf "%.4f (planted 0.05)", s / n}' "$vsr_tmp/pg_$cfg.csv")"
		[ "$vsr_have_r" = 1 ] || continue

		set -- $(_bench_stats "$r_t")
		r_desc="$1 ($2-$3; $4-$5)"
		printf '%s\t%s\t%s\tmedian\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "r_did_$cfg" "$1" "$r_kb" "$2" "$3" "$4" "$5" "$VSR_RUNS" \
			"$(echo $r_t | tr ' ' ',')" "$(_bench_sqlfile "r_did_$cfg" "# R, in a fresh Rscript (max RSS of the process):
$(cat "$vsr_tmp/vsr.R")
# configuration: $cfg")" >>"$BENCH_OUT/results.tsv"
		printf '  %-44s median %10.1f ms  (min-max %.1f-%.1f, n=%s)  max RSS %7.1f MB\n' "r_did_$cfg" "$1" "$2" "$3" \
			"$VSR_RUNS" "$(awk "BEGIN {print $r_kb / 1024}")"
		rr=$(paste -d' ' <(echo $r_t | tr ' ' '\n') <(echo $pg_t | tr ' ' '\n') |
			awk -v a="$1" -v b="$pg_med" '{ r = ($2 > 0) ? $1 / $2 : 0; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r }
				END { printf "%.3f %.3f %.3f", (b > 0) ? a / b : 0, lo, hi }')
		set -- $rr
		printf '%s\t%s\t%s\t%s\t%s\t%s\tinterleaved\t%s\t%s\n' "r_did_$cfg" "att_gt_$cfg" "$1" "$2" "$3" "$VSR_RUNS" \
			"$r_desc" "$pg_desc" >>"$BENCH_OUT/compare.tsv"
		printf '  ratio %-40s %8.2fx  (medians; per-round %.2f-%.2fx; memory %.3f of R'"'"'s)\n' "r_did_$cfg / att_gt_$cfg" "$1" "$2" "$3" \
			"$(awk "BEGIN {print ($r_kb > 0) ? $pg_kb / $r_kb : 0}")"
		# the answers, cell by cell (R writes NA for a missing SE)
		bench_note "$(psql -X -q -tA -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE r (cohort int, period int, estimate float8, std_error float8);
CREATE TEMP TABLE p (LIKE r);
\\copy r FROM '$vsr_tmp/r_$cfg.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
\\copy p FROM '$vsr_tmp/pg_$cfg.csv' WITH (FORMAT csv, HEADER)
SELECT format('vs R did %s: %s cells in both (R %s, socialinvest %s), max |ATT diff| %s, max |SE diff| %s%s', '$cfg',
              count(*) FILTER (WHERE r.cohort IS NOT NULL AND p.cohort IS NOT NULL),
              count(r.cohort), count(p.cohort),
              to_char(max(abs(r.estimate - p.estimate)), '9.9EEEE'),
              to_char(max(abs(r.std_error - p.std_error)), '9.9EEEE'),
              CASE WHEN '$cfg' = 'boot1000' THEN ' (bootstrap SEs: random draws, not compared)'
                   WHEN count(*) = count(r.cohort) AND count(*) = count(p.cohort)
                        AND coalesce(max(abs(r.estimate - p.estimate)), 0) < 1e-9
                        AND coalesce(max(abs(r.std_error - p.std_error)), 0) < 1e-9 THEN ' (agree to 1e-9)'
                   ELSE ' (DIFFER beyond 1e-9)' END)
FROM r FULL JOIN p USING (cohort, period);
SQL
)"
	done
	rm -rf "$vsr_tmp"
	unset -f vsr_args vsr_r
fi
unset vsr_have_r vsr_tmp
