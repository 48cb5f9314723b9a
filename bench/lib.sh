# Benchmark helpers, sourced by bench/run.sh (and by each bench/<concept>.sh
# through it). psql connects with the PG* environment run.sh sets.
#
#   bench_query NAME SQL   run SQL (';' optional) in a fresh backend BENCH_REPEAT times
#                          (default 3); record the best wall time and the
#                          backend's peak private memory (VmHWM less the
#                          shared buffers and files mapped, RssShmem + RssFile)
#   bench_ratio NAME BASE  print time(NAME) / time(BASE) from this run
#   bench_note TEXT        print a line into the report
#
# Results go to $BENCH_OUT/results.tsv (name, best ms, peak private backend kB).

BENCH_REPEAT=${BENCH_REPEAT:-3}

bench_query() {
	local name=$1 sql=$2 i out ms kb best="" peak=0
	for i in $(seq "$BENCH_REPEAT"); do
		out=$(psql -X -q -v ON_ERROR_STOP=1 2>&1 <<SQL
SELECT pg_backend_pid() AS bench_pid \gset
\setenv BENCH_PID :bench_pid
\o /dev/null
\timing on
$sql
;
\timing off
\o
\! grep -E '^(VmHWM|RssFile|RssShmem)' /proc/\$BENCH_PID/status
SQL
		) || { echo "bench $name failed:"; echo "$out"; return 1; }
		ms=$(echo "$out" | awk '/^Time:/ {t += $2} END {printf "%.1f", t}')
		# peak private memory: the peak resident set less the shared buffers
		# and files it maps (those stay mapped, so their size at the end is
		# their peak); shared_buffers read by the query would otherwise count
		kb=$(echo "$out" | awk '/^VmHWM/ {h = $2} /^RssFile/ {f = $2} /^RssShmem/ {s = $2} END {if (h != "") print h - f - s}')
		if [ -z "$best" ] || awk "BEGIN {exit !($ms < $best)}"; then best=$ms; fi
		[ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
	done
	printf '%s\t%s\t%s\n' "$name" "$best" "$peak" >>"$BENCH_OUT/results.tsv"
	printf '  %-44s %10.1f ms   peak private %7.1f MB\n' "$name" "$best" "$(awk "BEGIN {print $peak / 1024}")"
}

bench_time() {
	awk -F'\t' -v n="$1" '$1 == n {t = $2} END {print t}' "$BENCH_OUT/results.tsv"
}

bench_ratio() {
	local a b
	a=$(bench_time "$1"); b=$(bench_time "$2")
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "  ratio $1 / $2: missing measurement"
		return 0
	fi
	printf '  ratio %-40s %8.2fx  (%s / %s)\n' "$1 / $2" "$(awk "BEGIN {print $a / $b}")" "$1" "$2"
}

bench_note() {
	echo "  $*"
}
