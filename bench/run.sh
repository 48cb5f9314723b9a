#!/bin/bash
# make bench: build and install, start the project's local cluster, build a
# generated register of the chosen size (BENCH_PERSONS x BENCH_WEEKS, kept
# between runs in schema "bench" of database socialinvest_bench), then run
# every bench/<concept>.sh. Each benchmark is reported beside its baselines
# measured in the same run, interleaved (bench_compare in bench/lib.sh):
# ratios, not absolute times, are the targets. At the end bench/report.sh
# writes bench/results/<date>.md (machine, every comparison with its
# queries, the goals of issue 16 with pass/fail).
#
#   BENCH_QUICK=1   small sizes everywhere (about 15 minutes): a check that
#                   every benchmark runs, not a measurement
#   BENCH_ONLY="path did"   only those benchmarks (after the baselines)
#   BENCH_RUNS=5    interleaved rounds per comparison (at least 5)
set -eu
cd "$(dirname "$0")/.."
bench_t0=$(date +%s)
bench_load0=$(cut -d' ' -f1-3 /proc/loadavg)
tools/deps.sh
if [ "$(id -u)" -ne 0 ]; then
	echo "make bench installs the extension into PostgreSQL: run it as root." >&2
	exit 1
fi
make -s -j2 >/dev/null
make -s install >/dev/null
tools/cluster.sh start
eval "export $(tools/cluster.sh env)"
export PGDATABASE=socialinvest_bench
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	# every benchmark's small size (each script reads its own variable); 16 minutes
	# on a 2-core machine shared with other builds (fixed-size parts: the
	# contract with 1,600 components, the loader's file, generate_register)
	: "${BENCH_PERSONS:=5000}" "${BENCH_WEEKS:=104}" "${MATCH_PERSONS:=5000}" "${ATTGT_UNITS:=600}"
	# attgt.sh's cohorts start in periods 35 to 95: keep its 104 periods
	: "${ATTGT_PERIODS:=104}" "${BENCH_LOADER_LINES:=1000}" "${VSR_UNITS:=2000}" "${VSR_PERIODS:=20}"
	: "${BENCH_DREAM_PERSONS:=5000}" "${BENCH_DREAM_WEEKS:=200}" "${VSR_RUNS:=1}"
	export MATCH_PERSONS ATTGT_UNITS ATTGT_PERIODS BENCH_LOADER_LINES VSR_UNITS VSR_PERIODS
	export BENCH_DREAM_PERSONS BENCH_DREAM_WEEKS VSR_RUNS
fi
BENCH_PERSONS=${BENCH_PERSONS:-100000}
BENCH_WEEKS=${BENCH_WEEKS:-260}
BENCH_OUT=${BENCH_OUT:-bench/out}
BENCH_RUNS=${BENCH_RUNS:-5}
mkdir -p "$BENCH_OUT"
rm -rf "$BENCH_OUT/sql"
: >"$BENCH_OUT/results.tsv"
: >"$BENCH_OUT/compare.tsv"
: >"$BENCH_OUT/plans.tsv"
: >"$BENCH_OUT/notes.txt"
export BENCH_PERSONS BENCH_WEEKS BENCH_OUT BENCH_RUNS

psql -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'socialinvest_bench'" | grep -q 1 ||
	psql -X -q -d postgres -c "CREATE DATABASE socialinvest_bench"
. tools/pg.sh
# a changed build re-creates the extension and, with it, the register
si_ensure_extension socialinvest_bench "DROP SCHEMA IF EXISTS bench CASCADE;"
psql -X -q -c "CREATE SCHEMA IF NOT EXISTS bench"
have=$(psql -X -tAc "SELECT string_agg(value, 'x' ORDER BY key DESC) FROM bench.register_info WHERE key IN ('persons', 'weeks')" 2>/dev/null || true)
if [ "$have" != "${BENCH_PERSONS}x${BENCH_WEEKS}" ]; then
	echo "== generating register: $BENCH_PERSONS persons x $BENCH_WEEKS weeks"
	start=$(date +%s.%N)
	# A fresh schema: benchmark scripts leave tables and views that depend
	# on the register's tables.
	psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS bench CASCADE" -c "CREATE SCHEMA bench"
	psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -c "SELECT generate_register('bench', $BENCH_PERSONS, 20261125, weeks => $BENCH_WEEKS)"
	# write the fresh register out now: otherwise the checkpointer flushes
	# a gigabyte of dirty buffers during the first measurements (seen: the
	# scan route 1.7x count(*) in the run after generation, 1.2x after)
	psql -X -q -c "VACUUM ANALYZE" -c "CHECKPOINT"
	echo "   generated in $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $start}") s"
fi
psql -X -tAc "SELECT format('   register: %s persons, %s person-week rows (%s), %s spells',
	(SELECT count(*) FROM bench.person), (SELECT count(*) FROM bench.benefit_week),
	pg_size_pretty(pg_total_relation_size('bench.benefit_week')), (SELECT count(*) FROM bench.benefit_spell))"

. bench/lib.sh
echo "== baselines"
# the floors read the heap like the extension's queries do (no index-only count)
bench_assert_plan count_star_person_week "SELECT count(*) FROM bench.benefit_week" "Seq Scan on benefit_week" "!Index Only Scan" || true
bench_query count_star_person_week "SELECT count(*) FROM bench.benefit_week"
bench_query count_star_person "SELECT count(*) FROM bench.person"

for b in bench/*.sh; do
	case "$(basename "$b")" in lib.sh | run.sh | report.sh | deps-r.sh) continue ;; esac
	# BENCH_ONLY="path did" runs only those benchmarks (after the baselines)
	if [ -n "${BENCH_ONLY:-}" ] && ! printf ' %s ' $BENCH_ONLY | grep -q " $(basename "$b" .sh) "; then
		continue
	fi
	echo "== $(basename "$b" .sh)"
	. "$b"
done
echo
echo "results: $BENCH_OUT/results.tsv"
{
	echo "started=$bench_t0"
	echo "ended=$(date +%s)"
	echo "load_start=$bench_load0"
	echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "persons=$BENCH_PERSONS"
	echo "weeks=$BENCH_WEEKS"
	echo "runs=$BENCH_RUNS"
	echo "quick=${BENCH_QUICK:-0}"
	echo "only=${BENCH_ONLY:-}"
	echo "server_version=$(psql -X -tAc 'SELECT version()')"
	echo "extension_version=$(psql -X -tAc "SELECT extversion FROM pg_extension WHERE extname = 'socialinvest'")"
	echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$BENCH_OUT/run.env"
bench/report.sh "$BENCH_OUT"
# a baseline the planner optimised away invalidates its comparison
if grep -q "	FAIL	" "$BENCH_OUT/plans.tsv"; then
	echo "bench: plan checks failed (see above and $BENCH_OUT/plans.tsv)" >&2
	exit 1
fi
