#!/bin/bash
# Integration test of the nightly job si_monitor (docs/monitoring.md, "The
# nightly job") against the throwaway cluster of `make test`. Prints TAP.
#
# The extract is written by tools/monitor-extract.sh from a small generated
# register (schema reg: generate_register, plus a few programmes, courses,
# goals and scores written below when the generator does not fill them);
# the published schema pub must then hold exactly reg's rows, and pub's
# benefit paths exactly reg.benefit_week's weeks (an independent reference:
# the week table the generator wrote, compared week by week). Then: a rerun
# leaves identical tables and states; bad extracts exit 1 with every bad
# line listed and pub untouched; a failure inside the publishing
# transaction exits 3 with pub untouched; a concurrent run (the lock held
# by a psql session) exits 3, or waits with --wait (SIGTERM then exits 143,
# nothing changed); progress only on a terminal; exit status 2 for usage
# and configuration errors, 3 for an unreachable database; the systemd
# units pass systemd-analyze verify.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
MON="$SI_BINDIR/si_monitor"
DB=monitor_job_test
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-monitor.XXXXXX")
chmod 755 "$tmp"
holder=
cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/tap.bash"
mon() {  # mon ARGS... ; sets rc, err (stderr)
	"$MON" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
}
run() { mon run --db "$DB" --schema pub "$@"; }
extract() {  # extract ROOT DATE: write reg's extract into ROOT/DATE
	PSQL="$SI_BINDIR/psql" "$SI_REPO/tools/monitor-extract.sh" -d "$DB" reg "$1" "$2" >/dev/null
}
# one checksum of every published table and, when m3's tables exist, of the
# batches and states (loaded_at and frozen_at are times of the run: left out)
state() {
	q "SELECT md5(string_agg(x, '#' ORDER BY x)) FROM (
		SELECT 'person' || t::text AS x FROM pub.person t UNION ALL
		SELECT 'op' || t::text FROM pub.observation_period t UNION ALL
		SELECT 'path' || t::text FROM pub.person_path t UNION ALL
		SELECT 'prog' || t::text FROM pub.programme t UNION ALL
		SELECT 'course' || t::text FROM pub.course t UNION ALL
		SELECT 'item' || t::text FROM pub.progression_item t UNION ALL
		SELECT 'score' || t::text FROM pub.progression_score t UNION ALL
		SELECT 'goal' || t::text FROM pub.goal t) s"
	if [ "$(q "SELECT to_regclass('pub.monitor_state') IS NOT NULL")" = t ]; then
		q "SELECT md5(string_agg(x, '#' ORDER BY x)) FROM (SELECT concat_ws(':', extract_date, municipality, programme, indicator, state) AS x FROM pub.monitor_state) s"
		q "SELECT string_agg(extract_date || ':' || coalesce(n_persons::text, ''), ',' ORDER BY extract_date) FROM pub.monitor_batch"
	fi
}

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "SET client_min_messages = warning; CREATE EXTENSION socialinvest; CREATE SCHEMA reg;
   SELECT generate_register('reg', 200, 7, weeks => 156); SELECT monitor_setup('reg')" >/dev/null
# programmes, courses, goals and scores, unless the generator made them
if [ "$(q "SELECT count(*) FROM reg.course")" = 0 ]; then
	q "INSERT INTO reg.programme VALUES (175, 'mentor', '2020-01-06', '2021-06-28'), (615, 'mentor', '2020-01-06', NULL);
	   INSERT INTO reg.course
	   SELECT row_number() OVER (ORDER BY person_id), person_id, CASE WHEN mentored THEN 1000 + person_id % 5 END,
	          municipality, 'mentor', '2020-03-02',
	          CASE WHEN person_id % 3 = 0 THEN '2020-09-07'::date END, CASE WHEN person_id % 3 = 0 THEN 'completed' END
	   FROM reg.person WHERE municipality IN (175, 615);
	   INSERT INTO reg.goal VALUES (175, 'mentor', 'selfsupporting_12m', 0.3, 'final'),
	                               (615, 'mentor', 'selfsupporting_6m', 0.2, '2021-01-04');
	   INSERT INTO reg.progression_score
	   SELECT c.person_id, d, i, 1 + (c.person_id * i + extract(day FROM d)::int) % 10
	   FROM reg.course c, (VALUES ('2020-03-02'::date), ('2020-09-07')) v(d), generate_series(1, 13) i"
fi
date=2021-12-31
ex="$tmp/extract"
extract "$ex" "$date"
# older and invalid date directories are not loaded
mkdir -p "$ex/2021-06-30" "$ex/2099-13-01" "$ex/latest"
echo "person_id" >"$ex/2021-06-30/person.csv"

# --- usage and configuration: exit status 2
mon --help; is "$rc" 0 "--help exits 0"
echo "$(cat "$tmp/out")" | grep -q 'Exit status: 0 ok; 1 the extract was rejected'; ok $? "--help describes the exit statuses"
mon; is "$rc" 2 "no command: exit 2"
mon frobnicate; is "$rc" 2 "unknown command: exit 2"
mon run --extract "$ex" --db "$DB"; is "$rc" 2 "run without --schema: exit 2"
mon run --schema pub --db "$DB"; is "$rc" 2 "run without --extract: exit 2"
run --extract "$ex" --colour; is "$rc" 2 "unknown option: exit 2"
run --extract "$ex" --lang fr; is "$rc" 2 "--lang fr: exit 2"
run --extract "$tmp/nowhere"; is "$rc" 2 "missing extract directory: exit 2"
echo "$err" | grep -q "nowhere: No such file or directory"; ok $? "... naming the directory"
mkdir -p "$tmp/empty/notadate"
run --extract "$tmp/empty"; is "$rc" 2 "extract directory without a date directory: exit 2"
echo "$err" | grep -q "has no extract: no directory named after its date"; ok $? "... saying what is missing"
mon run --schema "$(printf 'x%.0s' $(seq 60))" --extract "$ex" --db "$DB"; is "$rc" 2 "a schema name too long for NAME_staging: exit 2"
q "CREATE SCHEMA other_staging; CREATE TABLE other_staging.mine (x int)"
mon run --schema other --extract "$ex" --db "$DB"; is "$rc" 2 "a staging schema not made by si_monitor: exit 2"
is "$(q "SELECT count(*) FROM pg_class WHERE oid = 'other_staging.mine'::regclass")" 1 "... and it is left alone"

# --- database unreachable: exit status 3
mon run --schema pub --extract "$ex" --db "host=$tmp/nosocket port=1 dbname=$DB"
is "$rc" 3 "unreachable database: exit 3"
echo "$err" | grep -q "cannot connect to the database"; ok $? "... saying it cannot connect"

# --- the first run
t0=$(date +%s.%N)
run --extract "$ex"
is "$rc" 0 "run on the extract: exit 0"
[ -z "$(q "SELECT 1 FROM pg_namespace WHERE nspname = 'pub_staging'")" ]; ok $? "the staging schema is dropped after a successful run"
echo "$err" | grep -q "step=extract .*date=$date dir=$ex/$date"; ok $? "the newest valid date directory is loaded ($date)"
# the log: one line per step, timestamp, step, seconds, rows
bad_lines=$(echo "$err" | grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z si_monitor schema=pub step=[a-z]+ seconds=[0-9]+\.[0-9]{2}( rows=[0-9]+)?( .*)?$')
is "$bad_lines" 0 "every stderr line is a log line: ISO time, schema, step, seconds, rows"
is "$(echo "$err" | sed -E 's/.* step=([a-z]+) .*/\1/' | uniq | tr '\n' ' ')" \
	"extract connect lock staging dream stage check replace refresh views publish done " "log steps in order"
is "$(echo "$err" | grep -c 'step=stage ')" 8 "a stage line per table (7 files and person_path)"
is "$(echo "$err" | grep 'step=stage .*table=person ' | sed -E 's/.*rows=([0-9]+).*/\1/')" 200 "the person line counts 200 rows"
is "$(printf '%s' "$err" | tr -cd '\r' | wc -c)" 0 "no progress line when stderr is not a terminal"

for t in person:person_id,municipality,sex,birth_date,origin,permit_type,arrival_week,education_level,mentored,mentor_start \
	observation_period:person_id,observed_from,observed_to,end_reason,end_code \
	programme:municipality,programme,start_date,end_date \
	course:course_id,person_id,mentor_id,municipality,programme,start_date,end_date,end_reason \
	progression_item:item,label_da,label_en \
	progression_score:person_id,measured_on,item,score \
	goal:municipality,programme,indicator,target,measured_at; do
	tab=${t%%:*} cols=${t#*:}
	is "$(q "SELECT (SELECT count(*) FROM pub.$tab) || ' ' || (SELECT count(*) FROM (
		(SELECT $cols FROM reg.$tab EXCEPT ALL SELECT $cols FROM pub.$tab) UNION ALL
		(SELECT $cols FROM pub.$tab EXCEPT ALL SELECT $cols FROM reg.$tab)) d)")" \
		"$(q "SELECT count(*) FROM reg.$tab") 0" "pub.$tab equals reg.$tab row for row"
done
# paths against the generator's week table, week by week
is "$(q "SELECT count(*) FROM (
	(SELECT person_id, week, code FROM reg.benefit_week
	 EXCEPT SELECT pp.person_id, g::date, r.code FROM pub.person_path pp, path_runs(pp.path) r,
	        generate_series(r.from_week, r.to_week, interval '7 days') g WHERE r.code IS NOT NULL)
	UNION ALL
	(SELECT pp.person_id, g::date, r.code FROM pub.person_path pp, path_runs(pp.path) r,
	        generate_series(r.from_week, r.to_week, interval '7 days') g WHERE r.code IS NOT NULL
	 EXCEPT SELECT person_id, week, code FROM reg.benefit_week)) d")" 0 \
	"pub.person_path holds exactly reg.benefit_week's benefit weeks (dream.csv through si_load)"
is "$(q "SELECT count(*) FROM pub.person_path")" 200 "one path per person"
refresh_installed=$(q "SELECT to_regprocedure('monitor_refresh(text,date,text)') IS NOT NULL")
if [ "$refresh_installed" = t ]; then
	is "$(q "SELECT string_agg(extract_date::text, ',') FROM pub.monitor_batch")" "$date" "monitor_refresh wrote the batch of the extract date"
else
	echo "$err" | grep -q 'step=refresh .*status=skipped reason="monitor_refresh(text, date, text) is not installed"'
	ok $? "without monitor_refresh the refresh step says it was skipped"
fi
if [ "$(q "SELECT to_regprocedure('monitor_create_views(text)') IS NOT NULL")" = t ]; then
	is "$(q "SELECT count(*) > 0 FROM pg_views WHERE schemaname = 'pub' AND viewname = 'v_course_status'")" t "the BI views were created"
else
	echo "$err" | grep -q 'step=views .*status=skipped reason="monitor_create_views(text) is not installed"'
	ok $? "without monitor_create_views the views step says it was skipped"
fi
s1=$(state)
# a failing checksum query prints nothing: each of the three must print a line
is "$(printf '%s\n' "$s1" | grep -c .)" 3 "the published state is three checksums (tables, states, batches)"

# --- rerun: identical tables and states
run --extract "$ex"
is "$rc" 0 "rerun of the same extract: exit 0"
is "$(state)" "$s1" "rerun: identical tables (and batches and states): replaced, never doubled"
is "$(q "SELECT count(*) FROM pub.person")" 200 "rerun: still 200 persons"

# views that cannot be made do not stop the publishing (simulated with a
# failing function of that name where the extension has none)
if [ "$(q "SELECT to_regprocedure('monitor_create_views(text)') IS NOT NULL")" = f ]; then
	q "CREATE FUNCTION public.monitor_create_views(text) RETURNS void LANGUAGE plpgsql
	   AS \$\$BEGIN RAISE EXCEPTION 'no views today' USING ERRCODE = '42883'; END\$\$"
	run --extract "$ex"
	is "$rc" 0 "views that cannot be made: the extract is still published, exit 0"
	echo "$err" | grep -q "warning: the BI views of \"pub\" could not be (re)created: no views today (SQLSTATE 42883); the extract is published without them"
	ok $? "... with a warning naming the cause"
	echo "$err" | grep -q "step=views .*status=failed sqlstate=42883"; ok $? "... and a log line"
	is "$(state)" "$s1" "... the tables as published"
	q "DROP FUNCTION public.monitor_create_views(text)"
fi

# --- bad extract: every bad line rejected, pub untouched, exit 1
bad="$tmp/bad"
mkdir -p "$bad"
cp -r "$ex/$date" "$bad/2022-03-31"
b="$bad/2022-03-31"
cn=$(wc -l <"$b/course.csv")
printf '%s\n' '99,5,,175,mentor,2020-03-02,2020-01-01,completed' '98,6,,175,mentor,2020-03-02,,weird' \
	'97,7,"unterminated,175' '96,8,,175' '95,99999,,175,mentor,2020-03-02,,' '94,9,,175,nosuch,2020-03-02,,' \
	'93,x,,175,mentor,2020-03-02,,' >>"$b/course.csv"
sed -i '1s/$/,shoe_size/' "$b/goal.csv"
printf '1;2;3\n' >>"$b/dream.csv"
dn=$(wc -l <"$b/dream.csv")
run --extract "$bad" -q
is "$rc" 1 "bad extract: exit 1"
is "$(state)" "$s1" "bad extract: the published tables are unchanged"
is "$(q "SELECT string_agg(file || ':' || line, ' ' ORDER BY file, line) FROM pub_staging.load_reject")" \
	"course.csv:$((cn + 1)) course.csv:$((cn + 2)) course.csv:$((cn + 3)) course.csv:$((cn + 4)) course.csv:$((cn + 5)) course.csv:$((cn + 6)) course.csv:$((cn + 7)) dream.csv:$dn goal.csv:1" \
	"every bad line is in pub_staging.load_reject (7 course lines, the dream line, goal's header)"
is "$(echo "$err" | grep -c '^si_monitor: rejected: ')" 9 "each rejected line is listed on stderr"
for want in "course.csv line $((cn + 1)): new row for relation \"course\" violates check constraint" \
	"course.csv line $((cn + 2)): .*violates check constraint" \
	"course.csv line $((cn + 3)): unterminated quoted field" \
	"course.csv line $((cn + 4)): 4 fields, the header has 8" \
	"course.csv line $((cn + 5)): person_id 99999 is not a person of person.csv" \
	"course.csv line $((cn + 6)): .*foreign key constraint.*\\(175, nosuch\\) is not present in table \"programme\"" \
	"course.csv line $((cn + 7)): invalid input syntax for type bigint: \"x\"" \
	"dream.csv line $dn: .*too few fields" \
	"goal.csv line 1: unknown column \"shoe_size\""; do
	echo "$err" | grep -qE "$want"; ok $? "rejected: $want"
done
echo "$err" | grep -q 'step='; is $? 1 "-q: no log lines"
echo "$err" | grep -q '9 rows of the extract .* were rejected .* the published tables are unchanged'; ok $? "the last line says what happened"

# missing file: exit 1, pub untouched
rm -rf "$bad"; mkdir -p "$bad"; cp -r "$ex/$date" "$bad/2022-03-31"; rm "$bad/2022-03-31/goal.csv"
run --extract "$bad"
is "$rc" 1 "extract without goal.csv: exit 1"
echo "$err" | grep -q "is incomplete: .*goal.csv: No such file or directory"; ok $? "... naming the missing file"
is "$(state)" "$s1" "... the published tables are unchanged"

# a goal with an indicator monitor_refresh does not know: rejected line by line
if [ "$(q "SELECT to_regprocedure('_monitor_indicators()') IS NOT NULL")" = t ]; then
	rm -rf "$bad"; mkdir -p "$bad"; cp -r "$ex/$date" "$bad/2022-03-31"
	echo "175,mentor,happiness,0.5,final" >>"$bad/2022-03-31/goal.csv"
	gn=$(wc -l <"$bad/2022-03-31/goal.csv")
	run --extract "$bad"
	is "$rc" 1 "a goal with an unknown indicator: exit 1"
	echo "$err" | grep -q "goal.csv line $gn: unknown indicator 'happiness'; the indicators are "; ok $? "... naming the line and the indicators"
	is "$(state)" "$s1" "... the published tables are unchanged"
else
	echo "ok - # SKIP no _monitor_indicators() in this build"
fi

# si_load neither next to si_monitor nor in PATH: configuration, exit 2
mkdir -p "$tmp/lonely"
cp "$MON" "$tmp/lonely/si_monitor"
PATH=/nonexistent "$tmp/lonely/si_monitor" run --db "$DB" --schema pub --extract "$ex" >/dev/null 2>"$tmp/err"
is "$?" 2 "si_load not found: exit 2"
grep -q "cannot run si_load .*install it next to si_monitor" "$tmp/err"; ok $? "... saying where it is looked for"
is "$(state)" "$s1" "... the published tables are unchanged"

# --- a failure inside the publishing transaction rolls all of it back: exit 3
new="$tmp/new"
mkdir -p "$new"
cp -r "$ex/$date" "$new/2022-06-30"
# the first goal's target becomes 0.123
awk -F, -v OFS=, 'NR == 2 { $4 = "0.123"; key = $1 "|" $2 "|" $3 "|" $5 } { print } END { print key >"/dev/stderr" }' \
	"$ex/$date/goal.csv" >"$new/2022-06-30/goal.csv" 2>"$tmp/goalkey"
gkey=$(cat "$tmp/goalkey")
q "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by a test trigger'; END\$\$;
   CREATE TRIGGER refuse BEFORE INSERT ON pub.goal FOR EACH ROW EXECUTE FUNCTION public.refuse()"
run --extract "$new"
is "$rc" 3 "an error while publishing: exit 3"
echo "$err" | grep -q "refused by a test trigger"; ok $? "... with the server's message"
is "$(state)" "$s1" "... and every published table as before (one transaction)"
q "DROP TRIGGER refuse ON pub.goal"
run --extract "$new"
is "$rc" 0 "the newer extract without the trigger: exit 0"
is "$(q "SELECT target FROM pub.goal WHERE concat_ws('|', municipality, programme, indicator, measured_at) = '$gkey'")" 0.123 \
	"its changed goal target is published"
s2=$(state)
[ "$s2" != "$s1" ]; ok $? "the checksum sees the change"

# --- concurrent runs: a session holding the job's lock stands for a running job
"$SI_BINDIR/psql" -X -q -d "$DB" -c "SELECT pg_advisory_lock(7420103, hashtext('\"pub\"'))" \
	-c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7420103 AND granted")" = 1 ] && break
	sleep 0.1
done
hpid=$(q "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 7420103 AND granted")
t0=$(date +%s)
run --extract "$new"
is "$rc" 3 "a second run while another holds the lock: exit 3"
[ $(( $(date +%s) - t0 )) -lt 5 ]; ok $? "... at once, without waiting"
echo "$err" | grep -q "another si_monitor run of schema pub is running (server process $hpid"; ok $? "... naming the process that holds the lock"
echo "$err" | grep -q "run with --wait"; ok $? "... and how to wait instead"
is "$(state)" "$s2" "... the published tables are unchanged"
waiting() {  # wait (up to 10 s) until one run waits for the lock
	for _ in $(seq 100); do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7420103 AND NOT granted")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
# SIGTERM (systemctl stop) while waiting: cancelled, exit 143, nothing changed
"$MON" run --db "$DB" --schema pub --extract "$new" --wait >"$tmp/tout" 2>&1 &
term=$!
waiting; ok $? "--wait: a run waits for the lock"
kill -TERM "$term"
wait "$term"; is $? 143 "SIGTERM while waiting: exit 143"
grep -q "interrupted by SIGTERM: the running statement was cancelled and the transaction rolled back; the published tables are unchanged" "$tmp/tout"
ok $? "... saying the published tables are unchanged"
is "$(state)" "$s2" "... and they are"
# --wait: waits until the holder is gone, then runs
"$MON" run --db "$DB" --schema pub --extract "$ex" --wait -q >"$tmp/wout" 2>&1 &
waiter=$!
waiting; ok $? "--wait: the second waiting run waits too"
kill -0 "$waiter" 2>/dev/null; ok $? "--wait: still running while the lock is held"
q "SELECT pg_terminate_backend($hpid)" >/dev/null
wait "$holder" 2>/dev/null; holder=
wait "$waiter"; is $? 0 "--wait: runs when the holder has gone, exit 0"
is "$(state | head -1)" "$(echo "$s1" | head -1)" "--wait run loaded the older extract again: the same tables as its first run"

# --- progress: shown when stderr is a terminal (here a pseudo-terminal)
if command -v script >/dev/null 2>&1; then
	script -qec "'$MON' run --db '$DB' --schema pub --extract '$ex'" "$tmp/typescript" >/dev/null 2>&1
	grep -qE 'si_monitor: [0-9]+ lines, 0 rejected, [0-9]+ lines/s' "$tmp/typescript"; ok $? "on a terminal: progress lines"
	grep -qE 'si_load: [0-9]+ lines, 0 rejected' "$tmp/typescript"; ok $? "on a terminal: si_load's progress too"
else
	echo "ok - # SKIP script (util-linux) not installed"
fi

# --- report (the renderer is linked in by the report helper's code)
run --extract "$ex" --report "$tmp/report.html" --lang en
if echo "$err" | grep -q "built without the report renderer"; then
	is "$rc" 2 "--report without a linked renderer: exit 2, nothing loaded"
else
	is "$rc" 0 "--report: exit 0"
	[ -s "$tmp/report.html" ]; ok $? "--report writes the file"
fi

# --- the systemd units pass systemd-analyze verify (with the binary of this build)
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$tmp/units"
	cp "$SI_REPO"/tools/systemd/si-monitor.service "$SI_REPO"/tools/systemd/si-monitor.timer "$tmp/units/"
	: >"$tmp/units/env"
	sed -i "s#/usr/lib/postgresql/15/bin/si_monitor#$MON#; s#/etc/default/si-monitor#$tmp/units/env#" "$tmp/units/si-monitor.service"
	vout=$(systemd-analyze verify "$tmp/units/si-monitor.service" "$tmp/units/si-monitor.timer" 2>&1)
	is "$?:$vout" "0:" "systemd-analyze verify: the service and timer units are clean"
	sed -i 's/^OnCalendar=.*/OnCalendar=every full moon/' "$tmp/units/si-monitor.timer"
	systemd-analyze verify "$tmp/units/si-monitor.timer" >/dev/null 2>&1
	is $? 1 "systemd-analyze verify fails on a broken timer (the check can fail)"
else
	echo "ok - # SKIP systemd-analyze not installed"
fi
"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"
echo "1..$n"
