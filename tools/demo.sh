#!/bin/bash
# make demo: install what is missing, build and install socialinvest, start
# the project's own cluster (reused on the next run), generate a synthetic
# register and print a headline. Stop the cluster with make demo-stop.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
if [ "$(id -u)" -ne 0 ]; then
	echo "make demo installs the extension into PostgreSQL: run it as root (sudo make demo)." >&2
	exit 1
fi
echo "== building and installing socialinvest"
make -s -j2 >/dev/null
make -s install >/dev/null
tools/cluster.sh start
eval "export $(tools/cluster.sh env)"
export PGDATABASE=socialinvest
DEMO_PERSONS=${DEMO_PERSONS:-20000}
DEMO_SEED=${DEMO_SEED:-2026}

psql -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'socialinvest'" | grep -q 1 ||
	psql -X -q -d postgres -c "CREATE DATABASE socialinvest"
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS socialinvest;
ALTER EXTENSION socialinvest UPDATE;
CREATE SCHEMA IF NOT EXISTS demo;
SQL
have=$(psql -X -tAc "SELECT value FROM demo.register_info WHERE key = 'persons'" 2>/dev/null || true)
if [ "$have" != "$DEMO_PERSONS" ]; then
	echo "== generating a synthetic register of $DEMO_PERSONS persons x 260 weeks (seed $DEMO_SEED)"
	psql -X -q -v ON_ERROR_STOP=1 -c "SELECT generate_register('demo', $DEMO_PERSONS, $DEMO_SEED, replace => true)"
fi
echo
psql -X -q -v ON_ERROR_STOP=1 -f tools/demo.sql
cat <<EOF2

Explore further:
  psql -h $PGHOST -p $PGPORT -U postgres socialinvest
  (tables in schema demo: person, benefit_week, benefit_spell, mentoring, register_info;
   docs/reference.md lists every function; make demo-stop stops the cluster)
EOF2
