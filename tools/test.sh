#!/bin/bash
# make test: install what is missing, build with assertions and -Werror,
# install into a private copy of PostgreSQL, start a throwaway cluster,
# run every suite (unit, fuzz, pg_regress, integration) and print
# "N passed, N failed". Exits non-zero on any failure.
#
# SI_TESTS="a b" runs only those pg_regress tests (and fuzzes only with
# SI_FUZZ=1); a name of an integration test (test/integration/NAME.sh, e.g.
# SI_TESTS=docs) runs only the integration tests named, otherwise all of
# them run; SI_KEEP=1 keeps the throwaway directory for inspection;
# SI_ACCEPT=1 copies the results of the tests run to expected/ (review
# them with git diff).
# SANITIZE=1 (make test SANITIZE=1) builds the library with
# UndefinedBehaviorSanitizer, si_load and the unit tests with
# AddressSanitizer too (see the Makefile), runs every suite and fails on
# any sanitizer report.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
tools/deps.sh
. tools/pg.sh

passed=0
failed=0
count_tap() {
	# count TAP lines from a log file
	local p f
	p=$(grep -cE '^ok( |$)' "$1" || true)
	f=$(grep -cE '^not ok( |$)' "$1" || true)
	passed=$((passed + p))
	failed=$((failed + f))
}

work=$(mktemp -d "${TMPDIR:-/tmp}/socialinvest-test.XXXXXX")
chmod 755 "$work"
bindir="$work/pg$SI_PG_BINDIR"
datadir="$work/data"
sockdir="$work/sock"
port=5432
cleanup() {
	cluster_stop "$bindir" "$datadir"
	if [ "${SI_KEEP:-0}" = 1 ]; then
		echo "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
export SANITIZE=${SANITIZE:-0}
export SI_SAN_LOG="$work/sanitizer"
mkdir -p "$SI_SAN_LOG"
chmod 1777 "$SI_SAN_LOG"

if [ "$SANITIZE" = 1 ]; then
	echo "== build (assertions on, warnings are errors, UBSan; si_load and unit tests ASan + UBSan)"
else
	echo "== build (assertions on, warnings are errors)"
fi
make -s clean >/dev/null
make -s -j2 SI_ASSERT=1 SANITIZE="$SANITIZE" >"$work/build.log" 2>&1 || { cat "$work/build.log"; echo "0 passed, 1 failed"; exit 1; }
make_private_install "$work/pg"
# Leave an ordinary (non-assert) build behind for make install / demo.
make -s clean >/dev/null

echo "== frozen release scripts (extension/released/)"
tools/check-frozen.sh >"$work/frozen.log" 2>&1 || true
grep -E '^not ok' "$work/frozen.log" || true
count_tap "$work/frozen.log"
echo "   $(grep -cE '^ok' "$work/frozen.log" || true) released scripts unchanged"

echo "== unit tests (src/math)"
if tools/unit.sh >"$work/unit.log" 2>&1; then :; else
	grep -qE '^not ok' "$work/unit.log" || echo "not ok - unit test driver failed" >>"$work/unit.log"
fi
grep -E '^not ok' "$work/unit.log" || true
count_tap "$work/unit.log"
echo "   $(grep -cE '^ok' "$work/unit.log" || true) unit checks passed"

# The full run fuzzes; a run of chosen suites (SI_TESTS) only with SI_FUZZ=1.
if [ -z "${SI_TESTS:-}" ] || [ "${SI_FUZZ:-0}" = 1 ]; then
	echo "== fuzz (libFuzzer, ASan + UBSan; about 49 s; make fuzz runs longer)"
	if tools/fuzz.sh --total 49 >"$work/fuzz.log" 2>&1; then :; else
		grep -qE '^not ok' "$work/fuzz.log" || echo "not ok - fuzz driver failed" >>"$work/fuzz.log"
	fi
	grep -vE '^#' "$work/fuzz.log" | grep -vE '^ok ' || true
	grep -E '^ok |^# SKIP' "$work/fuzz.log" | sed 's/^/   /'
	count_tap "$work/fuzz.log"
else
	echo "== fuzz skipped (SI_TESTS given; SI_FUZZ=1 runs it)"
fi

echo "== throwaway cluster"
cluster_init "$bindir" "$datadir"
cluster_start "$bindir" "$datadir" "$sockdir" "$port" "$work/server.log" \
	"-c fsync=off -c max_worker_processes=16 -c max_parallel_workers=8 -c lc_messages=C -c work_mem=64MB"

echo "== pg_regress"
regress="$work/regress"
mkdir -p "$regress"
cp -R sql expected "$regress/"
for t in sql/*.sql; do  # a new test without expected output yet
	n=$(basename "$t" .sql); [ -f "$regress/expected/$n.out" ] || : >"$regress/expected/$n.out"
done
cp -R test/data "$regress/data"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$regress"
# SI_TESTS names pg_regress suites and integration tests (test/integration/NAME.sh)
integ_only=""
if [ -n "${SI_TESTS:-}" ]; then
	tests=""
	for t in $SI_TESTS; do
		if [ -f "test/integration/$t.sh" ]; then integ_only="$integ_only $t"; else tests="$tests $t"; fi
	done
else
	tests=$(ls sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' | sort | tr '\n' ' ')
fi
pg_regress="$work/pg$SI_PG_PKGLIBDIR/pgxs/src/test/regress/pg_regress"
set +e
: >"$work/regress.log"
[ -n "$tests" ] || echo "   (no pg_regress suite named in SI_TESTS)"
[ -z "$tests" ] || (cd "$regress" && as_pg "$pg_regress" --bindir="$bindir" --host="$sockdir" --port="$port" \
	--user=postgres --inputdir="$regress" --outputdir="$regress" \
	--load-extension=socialinvest --dbname=contrib_regression $tests) >"$work/regress.log" 2>&1
rc=$?
set -e
grep -E '^(test |     |ok |not ok )' "$work/regress.log" | grep -E '\.\.\.' || true
rp=$(grep -cE '\.\.\. ok' "$work/regress.log" || true)
rf=$(grep -cE '\.\.\. (FAILED|failed)' "$work/regress.log" || true)
if [ $rc -ne 0 ] && [ "$rf" -eq 0 ]; then
	cat "$work/regress.log"
	rf=1
fi
passed=$((passed + rp))
failed=$((failed + rf))
if [ "${SI_ACCEPT:-0}" = 1 ]; then
	# Developer aid: take the results as the new expected output (review the
	# diff with git before committing).
	for t in $tests; do
		[ -f "$regress/results/$t.out" ] && cp "$regress/results/$t.out" "expected/$t.out"
	done
	echo "accepted results of: $tests"
fi
if [ -f "$regress/regression.diffs" ] && [ "$rf" -gt 0 ]; then
	echo "== diffs of failing pg_regress tests"
	cat "$regress/regression.diffs"
fi

echo "== integration tests"
for t in test/integration/*.sh; do
	[ -e "$t" ] || continue
	if [ -n "$integ_only" ] && ! echo " $integ_only " | grep -q " $(basename "$t" .sh) "; then continue; fi
	echo "-- $(basename "$t")"
	set +e
	# shellcheck disable=SC2046
	env $(si_san_env) \
		PGHOST="$sockdir" PGPORT="$port" PGUSER=postgres SI_BINDIR="$bindir" \
		SI_REPO="$repo" SI_WORK="$work" bash "$t" >"$work/integ.log" 2>&1
	rc=$?
	set -e
	cat "$work/integ.log"
	if [ $rc -ne 0 ] && ! grep -qE '^not ok' "$work/integ.log"; then
		echo "not ok - $(basename "$t") exited with status $rc" | tee -a "$work/integ.log"
	fi
	count_tap "$work/integ.log"
done

if grep -qE 'TRAP:|terminated by signal|server process .* was terminated' "$work/server.log"; then
	echo "== server log shows a crash or failed assertion:"
	grep -E -B2 -A5 'TRAP:|terminated by signal' "$work/server.log" | head -60
	failed=$((failed + 1))
fi

if [ "$SANITIZE" = 1 ]; then
	# si_load's reports are files in $SI_SAN_LOG; the server's go to its log
	# (PostgreSQL overwrites its environment block with the process title,
	# where the sanitizers would read their options, so they use defaults)
	cluster_stop "$bindir" "$datadir"
	san_pat='runtime error:|ERROR: AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer'
	if [ -n "$(ls -A "$SI_SAN_LOG")" ] || grep -qE "$san_pat" "$work/server.log"; then
		echo "== sanitizer reports:"
		for f in "$SI_SAN_LOG"/*; do
			[ -e "$f" ] || continue
			echo "-- $(basename "$f")"
			head -40 "$f"
		done
		grep -E -A20 "$san_pat" "$work/server.log" | head -80
		echo "not ok - sanitizer reports"
		failed=$((failed + 1))
	else
		echo "ok - no sanitizer reports"
		passed=$((passed + 1))
	fi
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
