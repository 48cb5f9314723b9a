# Loader benchmark (docs/loader.md): generate DREAM wide files of
# BENCH_LOADER_LINES lines (default "20000 200000") x 366 weeks into a temp
# directory, load each with si_load into schema bench (prefix loadbench_N),
# and report wall time, lines/s, person-week rows/s and the client's peak
# RSS, which must not grow with the file size. Sourced by bench/run.sh
# (PG* environment set there); also runs alone:
#   PGHOST=... PGDATABASE=... bash bench/loader.sh
# Needs /usr/bin/time. Disk: about 1 GB of table per 100,000 lines.
if ! declare -F bench_note >/dev/null; then
	bench_note() { echo "  $*"; }
fi
_si_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_si_load=${SI_LOAD:-$(${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config} --bindir)/si_load}
_si_tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-loadbench.XXXXXX")
_si_first_rss=""
for _n in ${BENCH_LOADER_LINES:-20000 200000}; do
	awk -v persons="$_n" -v seed=7 -f "$_si_repo/test/integration/gen_dream_wide.awk" >"$_si_tmp/wide.csv"
	_mb=$(du -m "$_si_tmp/wide.csv" | cut -f1)
	_t0=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$_si_tmp/rss" "$_si_load" -q --no-path --schema bench \
		--prefix "loadbench_$_n" "$_si_tmp/wide.csv"
	_rc=$?
	_t1=$(date +%s.%N)
	_rss=$(tail -n 1 "$_si_tmp/rss")
	_rows=$(psql -X -At -c "SELECT count(*) FROM bench.loadbench_${_n}_week")
	bench_note "$(awk -v n="$_n" -v mb="$_mb" -v s="$(awk "BEGIN {print $_t1 - $_t0}")" -v r="$_rows" -v kb="$_rss" -v rc="$_rc" \
		'BEGIN {printf "si_load %d lines (%d MB, %d person-week rows): %.1f s, %.0f lines/s, %.0f rows/s, peak RSS %d kB, exit %d", n, mb, r, s, n / s, r / s, kb, rc}')"
	[ -z "$_si_first_rss" ] && _si_first_rss=$_rss
	psql -X -q -c "SET client_min_messages = warning" \
		-c "DROP TABLE IF EXISTS bench.loadbench_${_n}_week, bench.loadbench_${_n}_person, bench.loadbench_${_n}_reject"
	# the same file with --no-weeks: persons and paths only
	_t0=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$_si_tmp/rss" "$_si_load" -q --no-weeks --schema bench \
		--prefix "loadbench_$_n" "$_si_tmp/wide.csv"
	_rc=$?
	_t1=$(date +%s.%N)
	bench_note "$(awk -v n="$_n" -v s="$(awk "BEGIN {print $_t1 - $_t0}")" -v r="$_rows" -v kb="$(tail -n 1 "$_si_tmp/rss")" -v rc="$_rc" \
		'BEGIN {printf "si_load --no-weeks %d lines: %.1f s, %.0f lines/s (%.0f person-week rows/s carried in paths), peak RSS %d kB, exit %d", n, s, n / s, r / s, kb, rc}')"
	psql -X -q -c "SET client_min_messages = warning" \
		-c "DROP TABLE IF EXISTS bench.loadbench_${_n}_person, bench.loadbench_${_n}_path, bench.loadbench_${_n}_reject"
done
bench_note "si_load peak RSS: first size ${_si_first_rss} kB, last size ${_rss} kB (should be equal within ~1 MB)"
rm -rf "$_si_tmp"
unset _si_repo _si_load _si_tmp _si_first_rss _n _mb _t0 _t1 _rc _rss _rows
