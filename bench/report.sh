#!/bin/bash
# bench/report.sh [OUT_DIR [REPORT]]: the markdown report of one make bench
# run, from the files bench/lib.sh and bench/run.sh wrote into OUT_DIR
# (default bench/out): bench/results/<date>.md (<date>-quick.md for a
# BENCH_QUICK run) unless REPORT names another file. It holds the machine
# (CPU model, cores, memory, PostgreSQL, load average at start and end),
# the goals of issue 16 (bench/goals.tsv) with pass / FAIL / not measured,
# every interleaved comparison (medians, spread, ratios), the single
# timings, the plan checks, the notes and the exact queries.
set -eu
cd "$(dirname "$0")/.."
out=${1:-bench/out}
[ -f "$out/results.tsv" ] || { echo "bench/report.sh: no $out/results.tsv (run make bench first)" >&2; exit 1; }
for f in compare.tsv plans.tsv notes.txt run.env; do [ -f "$out/$f" ] || : >"$out/$f"; done

env_get() { sed -n "s/^$1=//p" "$out/run.env" | head -n 1; }
started=$(env_get started); ended=$(env_get ended)
[ -n "$started" ] || started=$(stat -c %Y "$out/results.tsv")
[ -n "$ended" ] || ended=$(date +%s)
day=$(date -u -d "@$started" +%Y-%m-%d)
quick=$(env_get quick)
if [ -n "${2:-}" ]; then
	report=$2
elif [ "$quick" = 1 ]; then
	report=bench/results/$day-quick.md
else
	report=bench/results/$day.md
fi
mkdir -p "$(dirname "$report")"

mins=$(awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.1f", (b - a) / 60}')
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
cores=$(nproc)
threads=$(lscpu 2>/dev/null | sed -n 's/^Thread(s) per core: *//p' | head -n 1)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)

# goal rows: item, goal, measured, target, verdict
goals() {
	grep -v '^#' bench/goals.tsv | grep -v '^$' | while IFS=$'\t' read -r item goal kind name base thr; do
		awk -F'\t' -v item="$item" -v goal="$goal" -v kind="$kind" -v name="$name" -v base="$base" -v thr="$thr" '
			FILENAME ~ /compare.tsv$/ && $1 == name && $2 == base { r = $3; rk = $7; rlo = $4; rhi = $5 }
			FILENAME ~ /results.tsv$/ && $1 == name { t = $2; m = $3 }
			FILENAME ~ /results.tsv$/ && $1 == base { bm = $3 }
			END {
				v = "not measured"; got = "-"
				if (kind == "ratio_ge" || kind == "ratio_le") {
					tgt = (kind == "ratio_ge" ? ">= " : "<= ") thr "x (" name " / " base ")"
					if (r != "") {
						got = sprintf("%.2fx", r) (rk == "interleaved" ? sprintf(" (per-round %.2f-%.2fx)", rlo, rhi) : " (single timings)")
						ok = (kind == "ratio_ge") ? (r + 0 >= thr + 0) : (r + 0 <= thr + 0)
						v = ok ? "pass" : "FAIL"
						if (rk != "interleaved") v = v ", not interleaved"
					}
				} else if (kind == "time_le") {
					tgt = "<= " thr " s (" name ")"
					if (t != "") { got = sprintf("%.1f s", t / 1000); v = (t / 1000 <= thr + 0) ? "pass" : "FAIL" }
				} else if (kind == "mem_le") {
					tgt = "<= " thr " x the memory of " base
					if (m != "" && bm != "" && bm > 0) {
						got = sprintf("%.0f MB vs %.0f MB (%.3f)", m / 1024, bm / 1024, m / bm)
						v = (m / bm <= thr + 0) ? "pass" : "FAIL"
					}
				}
				printf "| %s | %s | %s | %s | %s |\n", item, goal, got, tgt, v
			}' "$out/compare.tsv" "$out/results.tsv"
	done
}

{
	echo "# make bench, $day$([ "$quick" = 1 ] && echo " (BENCH_QUICK: small sizes, a check that everything runs, not a measurement)")"
	echo
	echo "Commit $(env_get commit), socialinvest $(env_get extension_version). Register $(env_get persons) persons x $(env_get weeks) weeks;"
	echo "$(env_get runs) interleaved rounds per comparison after one warm-up run of each query."
	[ -n "$(env_get only)" ] && echo "Only these benchmarks: $(env_get only)."
	echo "Duration of the whole run (build, install, register, every benchmark): **$mins minutes**."
	echo
	echo "## Machine"
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| CPU | ${cpu:-unknown} |"
	echo "| cores | $cores ($threads thread(s) per core) |"
	echo "| memory | $mem |"
	echo "| kernel | $(uname -r) |"
	echo "| PostgreSQL | $(env_get server_version) |"
	echo "| load average (1, 5, 15 min) at start | $(env_get load_start) |"
	echo "| load average at end | $(env_get load_end) |"
	echo
	echo "## Goals of issue 16"
	echo
	echo "| item | goal | measured | target | verdict |"
	echo "|---|---|---|---|---|"
	goals
	echo
	echo "## Comparisons (interleaved)"
	echo
	echo "Each row: the query and one baseline, run alternately in fresh backends on the same warm cache."
	echo "Times in ms: median (min-max; IQR). The ratio is of the medians; per-round is the range of the"
	echo "ratios within each round. The exact queries are at the end."
	echo
	echo "| query | median ms (min-max; IQR) | baseline | median ms (min-max; IQR) | ratio | per-round | n |"
	echo "|---|---|---|---|---|---|---|"
	awk -F'\t' '$7 == "interleaved" {
			printf "| `%s` | %s | `%s` | %s | **%.2fx** | %.2f-%.2fx | %s |\n", $1, $8, $2, $9, $3, $4, $5, $6 }
	' "$out/compare.tsv"
	echo
	echo "## Single timings (not interleaved)"
	echo
	echo "Best of BENCH_REPEAT runs of each query alone; ratios between them are indicative only."
	echo
	echo "| query | best ms (max) | peak private MB | runs |"
	echo "|---|---|---|---|"
	awk -F'\t' '$4 == "best" { printf "| `%s` | %.1f (%.1f) | %.1f | %s |\n", $1, $2, $6, $3 / 1024, $9 }' "$out/results.tsv"
	echo
	if grep -q '	best-of$' "$out/compare.tsv"; then
		echo "| ratio (single timings) | |"
		echo "|---|---|"
		awk -F'\t' '$7 == "best-of" { printf "| `%s` / `%s` | %.2fx |\n", $1, $2, $3 }' "$out/compare.tsv"
		echo
	fi
	echo "## Peak private memory of the compared queries"
	echo
	echo "| query | peak private MB |"
	echo "|---|---|"
	awk -F'\t' '$4 == "median" { printf "| `%s` | %.1f |\n", $1, $3 / 1024 }' "$out/results.tsv"
	echo
	echo "## Plan checks"
	echo
	echo "EXPLAIN of each baseline, so that the planner has not optimised its work away ('!' = must not appear)."
	echo
	echo "| query | pattern | result |"
	echo "|---|---|---|"
	awk -F'\t' '{ p = $3; gsub(/\|/, "\\|", p); printf "| `%s` | `%s` | %s |\n", $1, p, $2 }' "$out/plans.tsv"
	echo
	if [ -s "$out/notes.txt" ]; then
		echo "## Notes printed by the benchmarks"
		echo
		sed 's/^/    /' "$out/notes.txt"
		echo
	fi
	echo "## Queries"
	echo
	for f in $(awk -F'\t' '{print $11}' "$out/results.tsv" | awk '!seen[$0]++'); do
		[ -f "$out/$f" ] || continue
		echo "<details><summary><code>$(basename "$f" .sql)</code></summary>"
		echo
		echo '```sql'
		cat "$out/$f"
		echo '```'
		echo
		echo "</details>"
		echo
	done
} >"$report"
echo "report: $report"
