#!/bin/bash
# The numbers the suites monitor_arrival and monitor_benchmark hold as their
# reference are exactly what test/monitor_reference.py (the independent
# pure-Python computation) prints, and the fixture they load is the one the
# script computes from: re-runs the script and compares. Needs python3 (else
# skipped) and no database. Prints TAP lines.
set -u
: "${SI_REPO:?}"
. "$(dirname "$0")/tap.bash"
cd "$SI_REPO" || exit 1
if ! command -v python3 >/dev/null 2>&1; then
	echo "ok 1 # SKIP python3 is not installed"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-monref.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 test/monitor_reference.py --expected >"$tmp/expected" 2>"$tmp/err"
ok $? "test/monitor_reference.py --expected runs"
python3 test/monitor_reference.py --sql >"$tmp/fixture" 2>>"$tmp/err"
ok $? "test/monitor_reference.py --sql runs"

# block FILE FROM TO: the lines strictly between the first line starting with
# FROM and the next line starting with TO
block() {
	awk -v from="$2" -v to="$3" 'index($0, from) == 1 { on = 1; next } on && index($0, to) == 1 { exit } on' "$1"
}
is "$(block sql/monitor_arrival.sql '-- reference: arrival' '-- reference: end')" \
	"$(block "$tmp/expected" '-- reference: arrival' '-- reference: coefficients')" \
	"sql/monitor_arrival.sql holds the script's arrival-cohort values"
is "$(block sql/monitor_benchmark.sql '-- reference: coefficients' ';')" \
	"$(block "$tmp/expected" '-- reference: coefficients' '-- reference: benchmark')" \
	"sql/monitor_benchmark.sql holds the script's coefficients"
is "$(block sql/monitor_benchmark.sql '-- reference: benchmark' '-- reference: end')" \
	"$(block "$tmp/expected" '-- reference: benchmark' '-- reference: end')" \
	"sql/monitor_benchmark.sql holds the script's benchmark values"
is "$(sed -n '/^INSERT INTO mb.person /,$p' sql/include/monitor_fixture.sql)" "$(cat "$tmp/fixture")" \
	"sql/include/monitor_fixture.sql is the script's fixture"
