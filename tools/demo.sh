#!/bin/bash
# make demo: install what is missing, build and install socialinvest, start
# the project's own cluster (reused on the next run), generate a synthetic
# register and print a headline. Stop the cluster with make demo-stop.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
. tools/pg.sh
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
DEMO_SEED=${DEMO_SEED:-1}

psql -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'socialinvest'" | grep -q 1 ||
	psql -X -q -d postgres -c "CREATE DATABASE socialinvest"
si_ensure_extension socialinvest "DROP TABLE IF EXISTS demo.path;"
psql -X -q -c "CREATE SCHEMA IF NOT EXISTS demo"
have=$(psql -X -tAc "SELECT string_agg(value, '/' ORDER BY key) FROM demo.register_info WHERE key IN ('persons', 'seed')" 2>/dev/null || true)
if [ "$have" != "$DEMO_PERSONS/$DEMO_SEED" ]; then
	echo "== generating a synthetic register of $DEMO_PERSONS persons x 260 weeks (seed $DEMO_SEED)"
	psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -c "SELECT generate_register('demo', $DEMO_PERSONS, $DEMO_SEED, replace => true)"
	psql -X -q -c "DROP TABLE IF EXISTS demo.path"
fi
if [ "$(psql -X -tAc "SELECT to_regclass('demo.path') IS NULL")" = t ]; then
	echo "== building one benefit path per person (demo.path)"
	psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
-- One benefit path per person, from arrival to the end of the register
-- (weeks without a row in benefit_week are weeks without benefit).
DROP TABLE IF EXISTS demo.path;
CREATE TABLE demo.path AS
SELECT p.person_id, p.municipality, p.arrival_week, p.mentored, p.mentor_start,
       path_cover(b.path, greatest(p.arrival_week, i.first_week), i.last_week) AS path
FROM demo.person p
CROSS JOIN (SELECT min(value::date) FILTER (WHERE key = 'first_week') AS first_week,
                   week_add(min(value::date) FILTER (WHERE key = 'first_week'),
                            min(value::int) FILTER (WHERE key = 'weeks') - 1) AS last_week
            FROM demo.register_info) i
LEFT JOIN benefit_paths_scan('demo.benefit_week') b USING (person_id)
WHERE p.arrival_week <= i.last_week;
ALTER TABLE demo.path ADD PRIMARY KEY (person_id);
ANALYZE demo.path;
SQL
fi
echo
psql -X -q -v ON_ERROR_STOP=1 -f tools/demo.sql
echo
echo "== the monitoring report (si_monitor report, from the BI views of schema demo)"
report="$(pwd)/demo_report.html"
"$SI_PG_BINDIR/si_monitor" report -q --db "dbname=$PGDATABASE" --schema demo --out "$report" --lang "${DEMO_LANG:-da}"
echo "   report: $report  (open it in a browser; DEMO_LANG=en for English)"
cat <<EOF2

Explore further:
  psql -h $PGHOST -p $PGPORT -U postgres socialinvest
  (tables in schema demo: person, benefit_week, benefit_spell, mentoring, register_info, path,
   and the monitoring tables course, programme, progression_score, goal, ... with the BI views
   v_*; docs/monitoring.md walks through them, docs/reference.md lists every function;
   make demo-stop stops the cluster)
EOF2
