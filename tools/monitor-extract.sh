#!/bin/bash
# Write a nightly extract (docs/monitoring.md, "The nightly job") from the
# monitoring tables of a schema, e.g. a register made by generate_register,
# so that si_monitor can be tried on it:
#
#   tools/monitor-extract.sh [-d CONNINFO] SCHEMA DIR DATE
#
# writes DIR/DATE/ (DATE = YYYY-MM-DD, the extract date) with
#   person.csv, observation_period.csv, programme.csv, course.csv,
#   progression_item.csv, progression_score.csv, goal.csv
#     (comma-separated, header line, empty field = NULL; a table the schema
#     lacks gives a file with the header only),
#   dream.csv
#     a DREAM wide file: PNR;y_YYWW;... one column per ISO week from the
#     first week of the data to the week of DATE, one line per person of
#     SCHEMA.person, codes from SCHEMA.benefit_week (or, without it, from
#     SCHEMA.person_path), an empty field = no benefit.
# psql is taken from PSQL, else PATH; the connection from -d, else PG*.
set -euo pipefail
usage() { echo "usage: $0 [-d CONNINFO] SCHEMA DIR DATE" >&2; exit 2; }
conn=()
if [ "${1:-}" = "-d" ]; then
	[ $# -ge 2 ] || usage
	conn=(-d "$2"); shift 2
fi
[ $# -eq 3 ] || usage
schema=$1 dir=$2 date=$3
[[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "$0: DATE must be YYYY-MM-DD, not \"$date\"" >&2; exit 2; }
psql=${PSQL:-psql}
q() { "$psql" -X -q -At -v ON_ERROR_STOP=1 "${conn[@]}" -v schema="$schema" -v date="$date" "$@"; }

out="$dir/$date"
mkdir -p "$out"
[ "$(q <<<"SELECT count(*) FROM pg_namespace WHERE nspname = :'schema'")" = 1 ] ||
	{ echo "$0: schema \"$schema\" does not exist" >&2; exit 2; }
qs="\"${schema//\"/\"\"}\""  # quoted identifier

# table and its columns, as monitor_setup() creates them
tables="person:person_id,municipality,sex,birth_date,origin,permit_type,arrival_week,education_level,mentored,mentor_start
observation_period:person_id,observed_from,observed_to,end_reason,end_code
programme:municipality,programme,start_date,end_date
course:course_id,person_id,mentor_id,municipality,programme,start_date,end_date,end_reason
progression_item:item,label_da,label_en
progression_score:person_id,measured_on,item,score
goal:municipality,programme,indicator,target,measured_at"

while IFS=: read -r table cols; do
	exists=$(q <<<"SELECT to_regclass(format('%I.%I', :'schema', '$table')) IS NOT NULL")
	if [ "$exists" = t ]; then
		q -c "\\copy (SELECT $cols FROM $qs.$table ORDER BY 1, 2) TO '$out/$table.csv' (FORMAT csv, HEADER)"
	else
		echo "$cols" >"$out/$table.csv"
	fi
done <<<"$tables"

# dream.csv: weeks from the first data week to the extract date's week
q >"$out/dream.csv" <<'SQL'
SET client_min_messages = warning;
SELECT to_regclass(format('%I.benefit_week', :'schema')) IS NOT NULL AS has_week \gset
SELECT format('%I', :'schema') AS s \gset
\if :has_week
CREATE TEMP VIEW codes AS SELECT person_id, week, code FROM :s.benefit_week;
\else
CREATE TEMP VIEW codes AS SELECT pp.person_id, r.w AS week, r.code
FROM :s.person_path pp,
     LATERAL path_runs(pp.path) pr,
     LATERAL generate_series(pr.from_week, pr.to_week, interval '7 days') AS r0(t),
     LATERAL (SELECT r0.t::date AS w, pr.code) r
WHERE pr.code IS NOT NULL;
\endif
CREATE TEMP TABLE weeks AS
SELECT w::date AS week
FROM generate_series(
	(SELECT least((SELECT min(week) FROM codes),
	              (SELECT week_monday(min(observed_from)) FROM :s.observation_period))),
	week_monday(:'date'::date), interval '7 days') AS g(w);
SELECT 'PNR;' || string_agg('y_' || to_char(week, 'IYIW'), ';' ORDER BY week) FROM weeks;
SELECT p.person_id || ';' || string_agg(coalesce(c.code::text, ''), ';' ORDER BY w.week)
FROM :s.person p CROSS JOIN weeks w
LEFT JOIN codes c ON c.person_id = p.person_id AND c.week = w.week
GROUP BY p.person_id ORDER BY p.person_id;
SQL
echo "$out"
