#!/bin/bash
# make test-scaleout: build, install into a private copy of PostgreSQL (as
# make test does) and run test/integration/scaleout.sh alone: a coordinator
# and two postgres_fdw shards on ports 5601-5603 (SI_SCALEOUT_PORT), the
# demo register sharded by municipality and by person, every estimator's
# distributed answer against single node (docs/scaleout.md). Prints TAP
# lines and "N passed, N failed"; exits non-zero on a failure.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
. tools/pg.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/socialinvest-scaleout.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
echo "== build"
make -s -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
make_private_install "$work/pg"
echo "== scaleout"
set +e
SI_BINDIR="$work/pg$SI_PG_BINDIR" SI_REPO="$repo" bash test/integration/scaleout.sh | tee "$work/tap.log"
set -e
p=$(grep -cE '^ok( |$)' "$work/tap.log" || true)
f=$(grep -cE '^not ok( |$)' "$work/tap.log" || true)
echo "$p passed, $f failed"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
