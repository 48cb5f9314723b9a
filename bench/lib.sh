# Benchmark helpers, sourced by bench/run.sh (and by each bench/<concept>.sh
# through it). psql connects with the PG* environment run.sh sets.
#
#   bench_compare NAME SQL BASE_NAME BASE_SQL [BASE_NAME BASE_SQL ...]
#                          the headline form: SQL and its baselines measured
#                          interleaved on the same warm cache. One warm-up
#                          run of each, then BENCH_RUNS rounds (default 5,
#                          at least 5 counts as a full comparison); each
#                          round runs every query once, in fresh backends,
#                          the order alternating (Q B1 B2 .., then .. B2 B1 Q)
#                          so no query always runs after the same one.
#                          Reports per query the median, min-max and IQR,
#                          per baseline the ratio of medians and the range
#                          of the per-round ratios.
#   bench_assert_plan NAME SQL PATTERN [PATTERN ...]
#                          EXPLAIN (COSTS OFF) SQL and check each PATTERN
#                          (grep -E) against the plan; a PATTERN starting
#                          with '!' must NOT match. Use it on baselines so
#                          the planner cannot optimise their work away
#                          (an index-only count, a constant-folded result).
#                          A failed check is printed, recorded and makes
#                          run.sh exit non-zero at the end.
#   bench_query NAME SQL   one query alone, BENCH_REPEAT times (default 3),
#                          best wall time; for setup-like steps and single
#                          timings that no ratio rests on
#   bench_ratio NAME BASE  print time(NAME) / time(BASE) from this run
#                          (single timings; marked "not interleaved")
#   bench_note TEXT        print a line into the report
#
# Every run is one query (';' optional; several statements are timed
# together) in a fresh backend: wall time from psql's \timing, and the
# backend's peak private memory (VmHWM less the shared buffers and files
# mapped, RssShmem + RssFile).
#
# Files in $BENCH_OUT:
#   results.tsv   name, ms (median or best), peak private kB, statistic
#                 (median|best), min ms, max ms, q1 ms, q3 ms, runs,
#                 all run times (comma-separated), SQL file
#   compare.tsv   name, baseline, ratio, per-round ratio min, max, runs,
#                 kind (interleaved|best-of), and for interleaved rows the
#                 name's and the baseline's "median (min-max; q1-q3)" ms
#                 in this comparison (a baseline measured again in a later
#                 comparison has a later row in results.tsv)
#   plans.tsv     name, pass|FAIL, pattern
#   sql/NAME.sql  the exact query text of every measured NAME

BENCH_REPEAT=${BENCH_REPEAT:-3}
BENCH_RUNS=${BENCH_RUNS:-5}

_bench_files() {
	mkdir -p "$BENCH_OUT/sql"
	touch "$BENCH_OUT/results.tsv" "$BENCH_OUT/compare.tsv" "$BENCH_OUT/plans.tsv"
}

# _bench_once SQL: run SQL once in a fresh backend, print "ms kb"
_bench_once() {
	local out ms kb
	out=$(psql -X -q -v ON_ERROR_STOP=1 2>&1 <<SQL
SELECT pg_backend_pid() AS bench_pid \gset
\setenv BENCH_PID :bench_pid
\o /dev/null
\timing on
$1
;
\timing off
\o
\! grep -E '^(VmHWM|RssFile|RssShmem)' /proc/\$BENCH_PID/status
SQL
	) || { echo "$out" >&2; return 1; }
	ms=$(echo "$out" | awk '/^Time:/ {t += $2} END {printf "%.1f", t}')
	# peak private memory: the peak resident set less the shared buffers
	# and files it maps (those stay mapped, so their size at the end is
	# their peak); shared_buffers read by the query would otherwise count
	kb=$(echo "$out" | awk '/^VmHWM/ {h = $2} /^RssFile/ {f = $2} /^RssShmem/ {s = $2} END {if (h != "") print h - f - s; else print 0}')
	echo "$ms $kb"
}

# _bench_stats "t1 t2 ...": "median min max q1 q3" (linear interpolation
# between order statistics, as R's default quantile type 7)
_bench_stats() {
	echo "$1" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '
		{ v[NR] = $1 }
		function q(p,   h, lo) { h = (NR - 1) * p + 1; lo = int(h); return v[lo] + (h - lo) * (v[lo + 1 < NR ? lo + 1 : NR] - v[lo]) }
		END { printf "%.1f %.1f %.1f %.1f %.1f\n", q(0.5), v[1], v[NR], q(0.25), q(0.75) }'
}

_bench_sqlfile() {
	printf '%s\n' "$2" >"$BENCH_OUT/sql/$1.sql"
	echo "sql/$1.sql"
}

bench_query() {
	local name=$1 sql=$2 i r ms kb all="" peak=0 st
	_bench_files
	for i in $(seq "$BENCH_REPEAT"); do
		r=$(_bench_once "$sql") || { echo "bench $name failed"; return 1; }
		ms=${r% *}; kb=${r#* }
		all="$all $ms"
		[ "$kb" -gt "$peak" ] && peak=$kb
	done
	st=$(_bench_stats "$all")
	set -- $st
	printf '%s\t%s\t%s\tbest\t%s\t%s\t\t\t%s\t%s\t%s\n' "$name" "$2" "$peak" "$2" "$3" "$BENCH_REPEAT" \
		"$(echo $all | tr ' ' ',')" "$(_bench_sqlfile "$name" "$sql")" >>"$BENCH_OUT/results.tsv"
	printf '  %-44s %10.1f ms   peak private %7.1f MB   (best of %s, single)\n' "$name" "$2" \
		"$(awk "BEGIN {print $peak / 1024}")" "$BENCH_REPEAT"
}

bench_compare() {
	local names=() sqls=() i k r n ms kb order
	_bench_files
	if [ $# -lt 4 ] || [ $(($# % 2)) -ne 0 ]; then
		echo "bench_compare NAME SQL BASE_NAME BASE_SQL [...]: needs name/query pairs, at least one baseline" >&2
		return 2
	fi
	while [ $# -gt 0 ]; do names+=("$1"); sqls+=("$2"); shift 2; done
	n=${#names[@]}
	local -A times peak
	for ((k = 0; k < n; k++)); do times[$k]=""; peak[$k]=0; done
	# warm-up: each once, not recorded
	for ((k = 0; k < n; k++)); do
		_bench_once "${sqls[$k]}" >/dev/null || { echo "bench ${names[$k]} failed"; return 1; }
	done
	for ((i = 1; i <= BENCH_RUNS; i++)); do
		if [ $((i % 2)) -eq 1 ]; then order=$(seq 0 $((n - 1))); else order=$(seq $((n - 1)) -1 0); fi
		for k in $order; do
			r=$(_bench_once "${sqls[$k]}") || { echo "bench ${names[$k]} failed"; return 1; }
			ms=${r% *}; kb=${r#* }
			times[$k]="${times[$k]} $ms"
			[ "$kb" -gt "${peak[$k]}" ] && peak[$k]=$kb
		done
	done
	local st med=() desc=()
	for ((k = 0; k < n; k++)); do
		st=$(_bench_stats "${times[$k]}")
		set -- $st
		med[$k]=$1
		desc[$k]="$1 ($2-$3; $4-$5)"
		printf '%s\t%s\t%s\tmedian\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${names[$k]}" "$1" "${peak[$k]}" "$2" "$3" "$4" "$5" \
			"$BENCH_RUNS" "$(echo ${times[$k]} | tr ' ' ',')" "$(_bench_sqlfile "${names[$k]}" "${sqls[$k]}")" \
			>>"$BENCH_OUT/results.tsv"
		printf '  %-44s median %10.1f ms  (min-max %.1f-%.1f, IQR %.1f-%.1f, n=%s)  peak private %7.1f MB\n' \
			"${names[$k]}" "$1" "$2" "$3" "$4" "$5" "$BENCH_RUNS" "$(awk "BEGIN {print ${peak[$k]} / 1024}")"
	done
	# ratio of medians, and the spread of the ratios within each round
	local rr
	for ((k = 1; k < n; k++)); do
		rr=$(paste -d' ' <(echo ${times[0]} | tr ' ' '\n') <(echo ${times[$k]} | tr ' ' '\n') |
			awk -v a="${med[0]}" -v b="${med[$k]}" '
				{ r = ($2 > 0) ? $1 / $2 : 0; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r }
				END { printf "%.3f %.3f %.3f", (b > 0) ? a / b : 0, lo, hi }')
		set -- $rr
		printf '%s\t%s\t%s\t%s\t%s\t%s\tinterleaved\t%s\t%s\n' "${names[0]}" "${names[$k]}" "$1" "$2" "$3" "$BENCH_RUNS" \
			"${desc[0]}" "${desc[$k]}" >>"$BENCH_OUT/compare.tsv"
		printf '  ratio %-40s %8.2fx  (medians; per-round %.2f-%.2fx)\n' "${names[0]} / ${names[$k]}" "$1" "$2" "$3"
	done
	[ "$BENCH_RUNS" -ge 5 ] || echo "  (BENCH_RUNS=$BENCH_RUNS < 5: a quick look, not a full comparison)"
}

bench_assert_plan() {
	local name=$1 sql=$2 plan p ok status=0
	shift 2
	_bench_files
	plan=$(psql -X -q -v ON_ERROR_STOP=1 -tA 2>&1 <<SQL
EXPLAIN (COSTS OFF) $sql
SQL
	) || { echo "  PLAN CHECK FAILED $name: EXPLAIN failed: $plan"; printf '%s\tFAIL\tEXPLAIN failed\n' "$name" >>"$BENCH_OUT/plans.tsv"; return 1; }
	for p in "$@"; do
		if [ "${p#!}" != "$p" ]; then
			if echo "$plan" | grep -Eq -- "${p#!}"; then ok=FAIL; else ok=pass; fi
		else
			if echo "$plan" | grep -Eq -- "$p"; then ok=pass; else ok=FAIL; fi
		fi
		printf '%s\t%s\t%s\n' "$name" "$ok" "$p" >>"$BENCH_OUT/plans.tsv"
		if [ "$ok" = FAIL ]; then
			status=1
			echo "  PLAN CHECK FAILED $name: plan must $( [ "${p#!}" != "$p" ] && echo "not ")match '${p#!}':"
			echo "$plan" | sed 's/^/    /'
		fi
	done
	[ $status -eq 0 ] && echo "  plan check $name: $* ok"
	return $status
}

bench_time() {
	awk -F'\t' -v n="$1" '$1 == n {t = $2} END {print t}' "$BENCH_OUT/results.tsv"
}

bench_ratio() {
	local a b r
	_bench_files
	a=$(bench_time "$1"); b=$(bench_time "$2")
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "  ratio $1 / $2: missing measurement"
		return 0
	fi
	r=$(awk "BEGIN {printf \"%.3f\", ($b > 0) ? $a / $b : 0}")
	printf '%s\t%s\t%s\t\t\t\tbest-of\n' "$1" "$2" "$r" >>"$BENCH_OUT/compare.tsv"
	printf '  ratio %-40s %8.2fx  (%s / %s; single timings, not interleaved)\n' "$1 / $2" "$r" "$1" "$2"
}

bench_note() {
	echo "  $*"
	[ -n "${BENCH_OUT:-}" ] && [ -d "$BENCH_OUT" ] && printf '%s\n' "$*" >>"$BENCH_OUT/notes.txt"
	return 0
}
