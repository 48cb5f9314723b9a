#!/bin/bash
# Integration test of si_load's path-only load in parallel (--no-weeks
# --jobs=N, docs/loader.md) against the throwaway cluster of `make test`.
# Prints TAP lines.
#
# References: the serial load of the same file (--jobs=1, the loader as it
# was), the row load (person-week rows, paths rebuilt with the
# benefit_path(week, code) aggregate and covered to the file's period), and
# hand-made files whose duplicate lines and chunk boundaries are written
# out below. Also runs bench/dream.sh at a small size.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
LOAD="$SI_BINDIR/si_load"
DB=loader_paths_test
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-loadpaths.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/tap.bash"
load() {  # load ARGS... ; sets rc
	"$LOAD" -d "$DB" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# rows of two tables that differ (both directions), as a count
differ() {  # differ SELECT-LIST TABLE1 TABLE2
	q "SELECT count(*) FROM ((SELECT $1 FROM $2 EXCEPT ALL SELECT $1 FROM $3)
		UNION ALL (SELECT $1 FROM $3 EXCEPT ALL SELECT $1 FROM $2)) d"
}

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "CREATE EXTENSION socialinvest"
cc -O2 -o "$tmp/gen" "$SI_REPO/tools/gen-dream-wide.c"
ok $? "tools/gen-dream-wide.c compiles"

# --- the DREAM sample (500 persons, three bad lines), plus three duplicate
# lines at the end: persons 7 and 250 again, and 300 twice; the serial
# load is the reference for every --jobs
data="$SI_REPO/test/data/dream_sample"
cp "$data/dream.csv" "$tmp/dream.csv"
awk -F';' '$1 == "7" || $1 == "250" || $1 == "300"' "$data/dream.csv" >>"$tmp/dream.csv"
awk -F';' '$1 == "300"' "$data/dream.csv" >>"$tmp/dream.csv"
load --name dream.csv --prefix s1 --no-weeks "$tmp/dream.csv"
is "$rc/$(q "SELECT count(*) FROM s1_path")/$(q "SELECT count(*) FROM s1_reject")" "1/500/7" \
	"serial reference: 500 paths, 3 bad lines + 4 duplicate lines rejected"
# independent: awk numbers the lines and finds each person's first good line
is "$(q "SELECT string_agg(line || ':' || split_part(reason, ' ', 12), ',' ORDER BY line) FROM s1_reject WHERE reason LIKE 'duplicate%'")" \
	"$(awk -F';' 'NR > 1 && NF == 368 && $0 !~ /1x0/ { if ($1 in first) out = out sep NR ":" first[$1]; else first[$1] = NR; sep = "," } END { print out }' "$tmp/dream.csv" | sed 's/^,//')" \
	"serial reference: each duplicate names the first line of its person (line numbers by awk)"
for j in 2 3 7; do
	load --name dream.csv --prefix p$j --no-weeks --jobs=$j "$tmp/dream.csv"
	is "$rc/$(grep -c '507 lines, 500 loaded, 7 rejected' "$tmp/out")" "1/1" "--jobs=$j: exit status 1, summary counts 507 lines as the serial load"
	is "$(differ "person_id, path::text" s1_path p${j}_path)" 0 "--jobs=$j: the same 500 paths as the serial load"
	is "$(differ "person_id, first_week, last_week, background, file, line" s1_person p${j}_person)" 0 \
		"--jobs=$j: the same persons (period, background, file, line)"
	is "$(differ "file, line, \"column\", reason, raw" s1_reject p${j}_reject)" 0 \
		"--jobs=$j: the same reject rows (line, column, reason, raw), duplicates across chunks included"
	is "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('p${j}_stage', 'si_load_stage')")" 0 \
		"--jobs=$j: the staging table and view are gone after the commit"
done

# --- against the row load: person-week rows, paths by the aggregate
"$tmp/gen" 3000 300 11 2013 >"$tmp/gen.csv"
load --name gen.csv --prefix rw "$tmp/gen.csv"
r1=$rc
load --name gen.csv --prefix pw --no-weeks --jobs=2 --person-id=bigint "$tmp/gen.csv"
is "$r1/$rc/$(q "SELECT count(*) FROM pw_path")" "0/0/3000" "generated 3000 x 300 weeks (2013-W01 on, 53-week years 2015 and 2020 inside): row load and --jobs=2 path load, every line loaded"
is "$(q "SELECT count(*) FROM pw_path p JOIN pw_person d USING (person_id)
	LEFT JOIN (SELECT person_id::bigint AS person_id, benefit_path(week, code) AS agg FROM rw_week GROUP BY 1) a USING (person_id)
	WHERE path_cover(a.agg, d.first_week, d.last_week)::text IS NOT DISTINCT FROM p.path::text")" 3000 \
	"--no-weeks --jobs=2 paths equal benefit_path(week, code) over the row load's weeks, covered to the file's period, for all 3000 persons"
is "$(q "SELECT count(*) FROM rw_week")" "$(awk -F';' 'NR > 1 { for (i = 3; i <= NF; i++) if ($i != "") c++ } END { print c + 0 }' "$tmp/gen.csv")" \
	"the row load holds one row per non-empty week field (awk count of the file)"
is "$(q "SELECT count(*) FROM pw_path WHERE path_start(path) = '2012-12-31' AND path_weeks(path) = 300")" 3000 \
	"every path starts at 2013-W01 (Monday 2012-12-31) and covers the file's 300 weeks"

# --- yearly files with --jobs: the merge with stored paths as serially
awk -F';' -v OFS=';' 'NR == 1 || NR % 2 == 0 { s = $1 ";" $2; for (i = 3; i <= 152; i++) s = s ";" $i; print s }' "$tmp/gen.csv" >"$tmp/h1.csv"
awk -F';' -v OFS=';' '{ s = $1; for (i = 153; i <= NF; i++) s = s ";" $i; print s }' "$tmp/gen.csv" >"$tmp/h2.csv"
load --prefix ys --no-weeks "$tmp/h2.csv"; a=$rc
load --prefix ys --no-weeks "$tmp/h1.csv"; b=$rc
load --prefix yp --no-weeks --jobs=3 "$tmp/h2.csv"; c=$rc
load --prefix yp --no-weeks --jobs=2 "$tmp/h1.csv"; d=$rc
is "$a/$b/$c/$d" "0/0/0/0" "second half of the weeks (all persons), then the first half (every other person): serial and --jobs"
is "$(differ "person_id, path::text" ys_path yp_path)/$(q "SELECT count(*) FROM yp_path")" "0/3000" \
	"--jobs: paths merged with the stored ones equal the serial merge"

# --- chunk boundaries: more workers than lines, CRLF line ends, no final newline
printf 'PNR;y_1501;y_1502\r\n1;130;\r\n2;;\r\n3;130;130' >"$tmp/tiny.csv"
load --prefix t1 --no-weeks "$tmp/tiny.csv"; a=$rc
load --prefix t8 --no-weeks --jobs=8 "$tmp/tiny.csv"
is "$a/$rc/$(differ "person_id, path::text" t1_path t8_path)/$(q "SELECT string_agg(person_id || '=' || path::text, ' ' ORDER BY person_id) FROM t8_path")" \
	"0/0/0/1=2014-12-29:130x1,-x1 2=2014-12-29:-x2 3=2014-12-29:130x2" \
	"--jobs=8 on 3 lines (CRLF, no final newline): the paths written out by hand"
printf 'PNR;y_1501\n' >"$tmp/empty.csv"
load --prefix te --no-weeks --jobs=2 "$tmp/empty.csv"
is "$rc/$(grep -c '0 lines, 0 loaded' "$tmp/out")" "0/1" "--jobs=2 on a header without data lines: exit status 0, 0 lines"

# --- refusals and leftovers
"$LOAD" -d "$DB" --no-weeks --jobs=2 --prefix tin - <"$tmp/tiny.csv" >/dev/null 2>"$tmp/err"
is "$?/$(grep -c 'not a regular file' "$tmp/err")/$(q "SELECT count(*) FROM pg_class WHERE relname = 'tin_path'")" "2/1/0" \
	"--jobs=2 from standard input: exit status 2, says why, nothing committed"
load --jobs=0 "$tmp/tiny.csv"
is "$rc/$(grep -c 'from 1 to 64' "$tmp/err")" "2/1" "--jobs=0: exit status 2, names the range"
load --jobs=2 --spells "$tmp/tiny.csv"
is "$rc/$(grep -c 'spell file' "$tmp/err")" "2/1" "--jobs with --spells: exit status 2, says why"
q "CREATE TABLE mine_stage (x int); INSERT INTO mine_stage VALUES (42)"
load --prefix mine --no-weeks --jobs=2 "$tmp/tiny.csv"
is "$rc/$(grep -c 'mine_stage.*is not si_load' "$tmp/err")/$(q "SELECT x FROM mine_stage")/$(q "SELECT count(*) FROM pg_class WHERE relname = 'mine_path'")" "2/1/42/0" \
	"a user's table named like the staging table: exit status 2, names it, left alone, nothing committed"
q "CREATE TABLE old_stage (x int)"
# a failed parallel load's leftover carries si_load's comment (read from the source)
comment=$(sed -n 's/^#define SI_STAGE_COMMENT "\(.*\)"$/\1/p' "$SI_REPO/src/cli/load_stage.c")
q "COMMENT ON TABLE old_stage IS '$comment'"
load --prefix old --no-weeks --jobs=2 "$tmp/tiny.csv"
is "$rc/$(q "SELECT count(*) FROM pg_class WHERE relname = 'old_stage'")/$(q "SELECT count(*) FROM old_path")" "0/0/3" \
	"a failed load's leftover staging table (si_load's comment) is dropped by the next load, which loads"

# --- bench/dream.sh at a small size: its steps run and check themselves
out=$(cd "$tmp" && PATH="$SI_BINDIR:$PATH" PGDATABASE=$DB SI_LOAD="$LOAD" BENCH_DREAM_PERSONS=2000 BENCH_DREAM_WEEKS=200 \
	BENCH_DREAM_DIR="$tmp" BENCH_DREAM_SCHEMA=dreambench bash "$SI_REPO/bench/dream.sh" 2>&1)
is "$?/$(echo "$out" | grep -c '^  dream: ')" "0/4" "bench/dream.sh (2000 x 200): exit status 0, four timed steps reported"
echo "$out" | sed 's/^/# /'
is "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'dreambench' AND c.relkind = 'r'")" 0 \
	"bench/dream.sh drops its tables"

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"
