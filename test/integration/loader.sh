#!/bin/bash
# Integration test of the si_load command-line loader (docs/loader.md)
# against the throwaway cluster of `make test`. Prints TAP lines.
#
# References: test/data/dream_sample (README.md: 500 persons, three bad
# lines; expected.csv: strict self-sufficiency share per person over a
# 52-week window), an independent awk unpivot of the same file, and a
# hand-made spell file whose weeks are written out below.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
LOAD="$SI_BINDIR/si_load"
DB=loader_test
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-loader.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/tap.bash"
load() {  # load ARGS... ; sets rc, out, err
	"$LOAD" -d "$DB" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "CREATE EXTENSION socialinvest"
has_path=$(q "SELECT count(*) FROM pg_type WHERE typname = 'benefit_path'")

data="$SI_REPO/test/data/dream_sample"
cp "$data/dream.csv" "$tmp/dream.csv"

# --- help and usage
"$LOAD" --help >"$tmp/help" 2>&1
ok $? "--help exits with status 0"
grep -q 'Exit status' "$tmp/help"; ok $? "--help describes the exit status"
"$LOAD" >/dev/null 2>&1
is $? 2 "no input file: exit status 2"

# --- the DREAM sample: 500 persons, three bad lines
load --name dream.csv "$tmp/dream.csv"
is "$rc" 1 "dream.csv: exit status 1 (some lines rejected, the rest committed)"
is "$(q "SELECT count(*) FROM dream_person")" 500 "500 persons loaded (every person's good line)"
is "$(q "SELECT count(DISTINCT person_id) FROM dream_person WHERE person_id ~ '^[0-9]+$' AND person_id::int BETWEEN 1 AND 500")" 500 \
	"persons are 1..500"
is "$(q "SELECT string_agg(line || '|' || \"column\" || '|' || reason, E'\n' ORDER BY line) FROM dream_reject WHERE file = 'dream.csv'")" \
"13|y_2148|too few fields: 363, the header has 368 (first missing column is \"y_2148\")
24|y_1539|code \"1x0\" is not a whole number (codes are 1..9999, empty = no benefit)
35|(field 369)|too many fields: 369, the header has 368" \
	"exactly the three bad lines are rejected, with line, column and reason"
is "$(q "SELECT string_agg(split_part(raw, ';', 1), ',' ORDER BY line) FROM dream_reject WHERE file = 'dream.csv'")" "11,21,31" \
	"reject rows keep the start of the raw line"
is "$(q "SELECT max(length(raw)) <= 203 FROM dream_reject")" t "raw lines are truncated"
is "$(q "SELECT string_agg(person_id || ':' || line, ',' ORDER BY line) FROM dream_person WHERE person_id IN ('11','21','31')")" \
	"11:12,21:23,31:34" "the good line of each person with a bad line is kept"
is "$(q "SELECT background->>'KOM' FROM dream_person WHERE person_id = '2'")" 751 "background column KOM kept in jsonb"
is "$(q "SELECT first_week || ' ' || last_week FROM dream_person WHERE person_id = '1'")" "2014-12-29 2021-12-27" \
	"observed period y_1501 = 2014-12-29 .. y_2152 = 2021-12-27"

# Independent unpivot: awk reads the good lines (368 fields, numeric codes,
# first line of a person) and prints person;column;code for every code.
awk -F';' 'NR == 1 { for (i = 3; i <= NF; i++) name[i] = $i; next }
	NF != 368 { next }
	{ bad = 0; for (i = 3; i <= NF; i++) if ($i !~ /^[0-9]*$/) bad = 1 }
	bad || seen[$1]++ { next }
	{ for (i = 3; i <= NF; i++) if ($i != "") print $1 ";" name[i] ";" $i }' \
	"$tmp/dream.csv" >"$tmp/cells.csv"
q "CREATE TABLE awk_cells (person_id text, col text, code int)"
"$SI_BINDIR/psql" -X -q -U postgres -d "$DB" -c "\\copy awk_cells FROM '$tmp/cells.csv' (FORMAT csv, DELIMITER ';')"
is "$(q "SELECT count(*) FROM dream_week")" "$(wc -l <"$tmp/cells.csv" | tr -d ' ')" \
	"one row per benefit week (count equals the awk unpivot)"
is "$(q "SELECT count(*) FROM (
	(SELECT person_id, week_from_dream_column(col), code FROM awk_cells
	 EXCEPT SELECT person_id, week, code FROM dream_week)
	UNION ALL
	(SELECT person_id, week, code FROM dream_week
	 EXCEPT SELECT person_id, week_from_dream_column(col), code FROM awk_cells)) d")" 0 \
	"long table equals the awk unpivot cell by cell (weeks via week_from_dream_column)"
is "$(q "SELECT count(*) FROM dream_week WHERE week IN ('2015-12-28', '2020-12-28')") > 0" \
	"$(q "SELECT count(*) FROM awk_cells WHERE col IN ('y_1553', 'y_2053')") > 0" "week-53 columns land on 2015-12-28 and 2020-12-28"
is "$(q "SELECT count(*) FROM dream_week WHERE extract(isodow FROM week) <> 1")" 0 "every week is a Monday"

# Strict self-sufficiency share over expected.csv's windows, plain SQL:
# share = 1 - benefit weeks / observed weeks; censoring codes leave the
# denominator; NULL when every week of the window is censored.
q "CREATE TABLE expected (pnr text, kom text, from_week date, to_week date, share float8)"
"$SI_BINDIR/psql" -X -q -U postgres -d "$DB" -c "\\copy expected FROM '$data/expected.csv' (FORMAT csv, HEADER)"
share_sql="SELECT e.pnr, e.share AS want,
	CASE WHEN count(*) FILTER (WHERE w.code IN (997, 998, 999)) = (e.to_week - e.from_week) / 7 + 1 THEN NULL
	ELSE 1 - count(*) FILTER (WHERE w.code NOT IN (997, 998, 999))::float8
	       / ((e.to_week - e.from_week) / 7 + 1 - count(*) FILTER (WHERE w.code IN (997, 998, 999))) END AS got
	FROM expected e LEFT JOIN dream_week w ON w.person_id = e.pnr AND w.week BETWEEN e.from_week AND e.to_week
	GROUP BY e.pnr, e.share, e.from_week, e.to_week"
is "$(q "SELECT count(*) FROM expected")" 500 "expected.csv has 500 persons"
is "$(q "SELECT count(*) FROM ($share_sql) s WHERE (want IS NULL AND got IS NULL) OR abs(want - got) < 1e-12")" 500 \
	"strict share from the loaded long table equals expected.csv for every person"
is "$(q "SELECT count(*) FROM ($share_sql) s WHERE want IS NULL")" \
	"$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $5 == ""' "$data/expected.csv" | wc -l | tr -d ' ')" "fully censored windows give NULL"
is "$(q "SELECT count(*) FROM dream_week c JOIN dream_person p USING (person_id)
	WHERE c.code IN (997, 998, 999) AND EXISTS (SELECT 1 FROM generate_series(c.week, p.last_week, '7 days') g
	  WHERE NOT EXISTS (SELECT 1 FROM dream_week x WHERE x.person_id = c.person_id AND x.week = g AND x.code IN (997, 998, 999)))")" 0 \
	"censoring codes are absorbing in the loaded data"

if [ "$has_path" = 1 ]; then
	is "$(q "SELECT count(*) FROM dream_path")" 500 "path table: one path per person"
	is "$(q "SELECT count(*) FROM dream_path WHERE path_start(path) = '2014-12-29' AND path_weeks(path) = 366")" 500 \
		"every path covers the file's 366 weeks from 2014-12-29"
	is "$(q "SELECT count(*) FROM dream_path p JOIN dream_person d USING (person_id)
		LEFT JOIN (SELECT person_id, benefit_path(week, code) AS agg FROM dream_week GROUP BY person_id) a USING (person_id)
		WHERE path_cover(a.agg, d.first_week, d.last_week)::text IS DISTINCT FROM p.path::text")" 0 \
		"paths written by the loader equal benefit_path() over the long table, covered to the file's period"
	is "$(q "SELECT count(*) FROM expected e JOIN dream_path p ON p.person_id = e.pnr
		CROSS JOIN LATERAL (SELECT selfsufficiency_share(p.path, e.from_week, e.to_week) AS got) s
		WHERE (e.share IS NULL AND s.got IS NULL) OR abs(e.share - s.got) < 1e-12")" 500 \
		"selfsufficiency_share over the loaded paths equals expected.csv for every person"

	# --no-weeks: persons and paths only, the same paths and rejects
	load --name dream.csv --prefix nw --no-weeks "$tmp/dream.csv"
	is "$rc" 1 "--no-weeks: exit status 1 (the same three lines rejected)"
	is "$(q "SELECT count(*) FROM pg_class WHERE relname = 'nw_week'")" 0 "--no-weeks: no week table"
	is "$(q "SELECT count(*) FROM nw_path n JOIN dream_path d USING (person_id) WHERE n.path::text = d.path::text")/$(q "SELECT count(*) FROM nw_person")" \
		"500/500" "--no-weeks: the same 500 paths and persons"
	is "$(q "SELECT string_agg(line || '|' || \"column\", ',' ORDER BY line) FROM nw_reject")" "13|y_2148,24|y_1539,35|(field 369)" \
		"--no-weeks: the same rejects"

	# yearly files: the good lines split into weeks 1-183 and 184-366 (PNR
	# in both). Loaded in either order, each load keeps the other file's
	# weeks of the stored path: the merged paths equal the whole file's.
	awk -F';' 'NF == 368 && $0 !~ /1x0/ { s = $1 ";" $2; for (i = 3; i <= 185; i++) s = s ";" $i; print s }' "$tmp/dream.csv" >"$tmp/half1.csv"
	awk -F';' 'NF == 368 && $0 !~ /1x0/ { s = $1; for (i = 186; i <= 368; i++) s = s ";" $i; print s }' "$tmp/dream.csv" >"$tmp/half2.csv"
	load --prefix sp --no-weeks "$tmp/half2.csv"; r2=$rc
	load --prefix sp --no-weeks "$tmp/half1.csv"; r1=$rc
	is "$r2/$r1/$(q "SELECT count(*) FROM sp_path")" "0/0/500" "two half-files with --no-weeks: 500 persons"
	is "$(q "SELECT count(*) FROM sp_path s JOIN dream_path d USING (person_id) WHERE s.path::text = d.path::text")" 500 \
		"--no-weeks, second half first: merged paths equal the whole file's"
	load --prefix sn "$tmp/half1.csv"; r1=$rc
	load --prefix sn "$tmp/half2.csv"; r2=$rc
	is "$r1/$r2/$(q "SELECT count(*) FROM sn_path s JOIN dream_path d USING (person_id) WHERE s.path::text = d.path::text")" "0/0/500" \
		"with weeks, first half first: merged paths equal the whole file's"
	load --prefix sn "$tmp/half2.csv"
	is "$rc/$(q "SELECT count(*) FROM sn_path s JOIN dream_path d USING (person_id) WHERE s.path::text = d.path::text")" "0/500" \
		"re-loading a half changes no path"
	# yearly files out of order, with a gap, a middle year re-loaded with
	# other codes and a person rejected in the re-load. Files (good lines
	# of dream.csv): y17 = 2017 for persons not divisible by 3, y15 = 2015
	# (2016 is then a gap), y16 = 2016 for persons not divisible by 5, y16b =
	# 2016 again for persons divisible by 2 with every code moved (empty ->
	# 651, 130 -> empty, any other code c -> c + 1), person 2's line rejected (1x0).
	# Reference, independent of the merge: an awk unpivot of every cell
	# (empty = no benefit) of every good line, each week taking the code of
	# the last file loaded that has it; benefit_path over those weeks (weeks
	# that no file has are no benefit, as documented).
	good='NF == 368 && $0 !~ /1x0/'
	awk -F';' "$good"' && ($1 % 3 != 0 || NR == 1) { s = $1; for (i = 108; i <= 159; i++) s = s ";" $i; print s }' "$tmp/dream.csv" >"$tmp/y17.csv"
	awk -F';' "$good"' { s = $1; for (i = 3; i <= 55; i++) s = s ";" $i; print s }' "$tmp/dream.csv" >"$tmp/y15.csv"
	awk -F';' "$good"' && ($1 % 5 != 0 || NR == 1) { s = $1; for (i = 56; i <= 107; i++) s = s ";" $i; print s }' "$tmp/dream.csv" >"$tmp/y16.csv"
	awk -F';' "$good"' && ($1 % 2 == 0 || NR == 1) { s = $1; for (i = 56; i <= 107; i++) {
		c = $i; if (NR > 1) { if (c == "") c = 651; else if (c == "130") c = ""; else c = c + 1; if ($1 == 2 && i == 60) c = "1x0" }
		s = s ";" c }; print s }' "$tmp/dream.csv" >"$tmp/y16b.csv"
	: >"$tmp/ycells.csv"
	seq=0
	for f in y17 y15 y16 y16b; do
		seq=$((seq + 1))
		awk -F';' -v seq=$seq 'NR == 1 { for (i = 2; i <= NF; i++) name[i] = $i; next }
			{ bad = 0; for (i = 2; i <= NF; i++) if ($i !~ /^[0-9]*$/) bad = 1 }
			!bad { for (i = 2; i <= NF; i++) print seq ";" $1 ";" name[i] ";" $i }' "$tmp/$f.csv" >>"$tmp/ycells.csv"
		load --prefix yn --no-weeks "$tmp/$f.csv"; rn=$rc
		load --prefix yw "$tmp/$f.csv"; rw=$rc
		ystatus="${ystatus:-}$rn$rw"
	done
	q "CREATE TABLE ycells (seq int, person_id text, col text, code int)"
	"$SI_BINDIR/psql" -X -q -U postgres -d "$DB" -c "\\copy ycells FROM '$tmp/ycells.csv' (FORMAT csv, DELIMITER ';')"
	q "CREATE TABLE ywant AS SELECT person_id, benefit_path(week, code) AS path FROM (
		SELECT DISTINCT ON (person_id, week) person_id, week_from_dream_column(col) AS week, code
		FROM ycells ORDER BY person_id, week, seq DESC) c GROUP BY person_id"
	is "$ystatus/$(q "SELECT count(*) FROM ywant")/$(q "SELECT count(*) FROM ywant WHERE path_start(path) = '2014-12-29'")" \
		"00000011/500/500" "yearly files: exit statuses, 500 persons, every path from 2015"
	is "$(q "SELECT count(*) FILTER (WHERE w.path = n.path) || '/' || count(*) FROM ywant w FULL JOIN yn_path n USING (person_id)")" \
		"500/500" "yearly files out of order, gap, re-loaded middle year, reject (--no-weeks): paths equal the reference"
	is "$(q "SELECT count(*) FILTER (WHERE w.path = n.path) || '/' || count(*) FROM ywant w FULL JOIN yw_path n USING (person_id)")" \
		"500/500" "yearly files (with weeks): paths equal the reference"
	is "$(q "SELECT count(*) FILTER (WHERE a.path = p.path) || '/' || count(*)
		FROM (SELECT person_id, path_cover(benefit_path(week, code) FILTER (WHERE week IS NOT NULL),
		                                   min(path_start(w.path)), max(path_end(w.path))) AS path
		      FROM ywant w LEFT JOIN yw_week USING (person_id) GROUP BY person_id) a FULL JOIN yw_path p USING (person_id)")" \
		"500/500" "yearly files: the week table agrees with the path table (covered to the union of periods)"
	for pfx in yn yw; do
		is "$(q "SELECT count(*) FILTER (WHERE p.first_week = c.f AND p.last_week = c.l) || '/' || count(*)
			FROM ${pfx}_person p FULL JOIN (SELECT person_id, min(week_from_dream_column(col)) AS f,
			                                       max(week_from_dream_column(col)) AS l
			                                FROM ycells GROUP BY 1) c USING (person_id)")" \
			"500/500" "yearly files ($pfx): each person's observed period spans every file loaded for them"
	done
	is "$(q "SELECT count(*) FROM yn_path WHERE person_id = '2' AND code_at(path, '2016-02-01') IS NOT DISTINCT FROM (SELECT code FROM ycells WHERE seq = 3 AND person_id = '2' AND col = 'y_1605')")" \
		1 "the person rejected in the re-load keeps the 2016 codes of the earlier load"

	# one prefix, both modes: a --no-weeks load would leave the week table
	# with the replaced file's old weeks, and a load with weeks after
	# --no-weeks loads would start a week table without the earlier files'
	# weeks; either way the week and path tables would disagree. Refused.
	load --prefix ym "$tmp/y15.csv"; r1=$rc
	awk -F';' 'NR == 1 { print; next } { s = $1; for (i = 2; i <= NF; i++) s = s ";" ($i == "" ? "" : $i + 1); print s }' \
		"$tmp/y15.csv" >"$tmp/y15c.csv"
	before=$(q "SELECT md5(string_agg(person_id || path::text, ',' ORDER BY person_id)) FROM ym_path")
	load --prefix ym --no-weeks "$tmp/y15c.csv"
	is "$r1/$rc/$(grep -c 'ym_week' "$tmp/err")" "0/2/1" "--no-weeks into a prefix with a week table: exit status 2, names the table"
	is "$(q "SELECT md5(string_agg(person_id || path::text, ',' ORDER BY person_id)) FROM ym_path")" "$before" \
		"--no-weeks refused: the paths are unchanged"
	load --prefix yn "$tmp/y15c.csv"
	is "$rc/$(grep -c 'yn_week' "$tmp/err")/$(q "SELECT count(*) FROM pg_class WHERE relname = 'yn_week'")" "2/1/0" \
		"a load with weeks into a prefix filled by --no-weeks: exit status 2, no week table started"

	load --prefix sx --no-weeks --spells "$tmp/half1.csv"
	is "$rc" 2 "--no-weeks with --spells: exit status 2"
	load --prefix sx --no-weeks --no-path "$tmp/half1.csv"
	is "$rc/$(grep -c 'load no weeks at all' "$tmp/err")" "2/1" "--no-weeks with --no-path: exit status 2, says why"
else
	echo "# benefit_path type not installed: path route not tested"
fi

# --- idempotent re-run
before=$(q "SELECT (SELECT count(*) FROM dream_week) || ' ' || (SELECT count(*) FROM dream_person) || ' ' || (SELECT count(*) FROM dream_reject) || ' ' || (SELECT sum(hashtext(person_id || week || code)) FROM dream_week)")
load --name dream.csv "$tmp/dream.csv"
is "$rc" 1 "re-run: exit status 1 again"
is "$(q "SELECT (SELECT count(*) FROM dream_week) || ' ' || (SELECT count(*) FROM dream_person) || ' ' || (SELECT count(*) FROM dream_reject) || ' ' || (SELECT sum(hashtext(person_id || week || code)) FROM dream_week)")" \
	"$before" "re-run: same rows in the week, person and reject tables"

# --- comma separated, CRLF, quoted fields: same content
sed -e 's/;/,/g' -e 's/$/\r/' -e '2s/^1,/"1",/' "$tmp/dream.csv" >"$tmp/dream_comma.csv"
load --prefix comma "$tmp/dream_comma.csv"
is "$rc" 1 "comma-separated CRLF file: exit status 1"
is "$(q "SELECT count(*) FROM ((SELECT * FROM comma_week EXCEPT SELECT * FROM dream_week) UNION ALL (SELECT * FROM dream_week EXCEPT SELECT * FROM comma_week)) d")" 0 \
	"comma-separated CRLF file with a quoted field loads the same weeks"

# --- a clean file: exit status 0
head -n 12 "$tmp/dream.csv" >"$tmp/clean.csv"
load --prefix clean "$tmp/clean.csv"
is "$rc" 0 "file without bad lines: exit status 0"
is "$(q "SELECT count(*) FROM clean_person")/$(q "SELECT count(*) FROM clean_reject")" "11/0" "11 persons, no rejects"
grep -q 'lines/s' "$tmp/err"; is $? 1 "no progress line when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
	script -qec "$LOAD -d $DB --prefix clean $tmp/clean.csv" /dev/null >"$tmp/tty" 2>&1
	grep -q 'lines/s' "$tmp/tty"; ok $? "progress line on a terminal"
fi

# --- bad codes and duplicates
{
	echo "PNR,y_2052,y_2053,y_2101"
	echo "a,130,,"
	echo "b,0,,"
	echo "c,,10000,"
	echo "a,,,130"
	echo ",130,,"
	echo "d, 130 , ,997"
	echo ""
	echo "e,-5,,"
} >"$tmp/codes.csv"
load --prefix codes "$tmp/codes.csv"
is "$rc" 1 "bad codes: exit status 1"
is "$(q "SELECT string_agg(line || '|' || \"column\" || '|' || reason, E'\n' ORDER BY line) FROM codes_reject")" \
"3|y_2052|code 0 is outside 1..9999
4|y_2053|code 10000 is outside 1..9999
5|PNR|duplicate person id: the first line of this person is line 2
6|PNR|empty person id
8||empty line
9|y_2052|code \"-5\" is not a whole number (codes are 1..9999, empty = no benefit)" \
	"codes outside 1..9999, a duplicate person (later line), an empty id, an empty line and a negative code are rejected"
is "$(q "SELECT string_agg(person_id || ' ' || week || ' ' || code, ',' ORDER BY person_id, week) FROM codes_week")" \
	"a 2020-12-21 130,d 2020-12-21 130,d 2021-01-04 997" "good lines: blanks around codes are ignored, 2020-W53 has no benefit"

# --- options: tab separator, --person-column, --null, standard input, --encoding
printf 'id\tBY\ty_2101\ty_2102\n7\tOdense\tNA\t130\n8\t\t\tNA\n' >"$tmp/tab.tsv"
load --prefix opt --person-column id --null NA - <"$tmp/tab.tsv"
is "$rc" 0 "TAB-separated file from standard input with --person-column and --null: exit status 0"
is "$(q "SELECT string_agg(person_id || ' ' || week || ' ' || code, ',' ORDER BY person_id, week) FROM opt_week")" \
	"7 2021-01-11 130" "NA read as no benefit"
is "$(q "SELECT string_agg(person_id || '=' || coalesce(background->>'BY', 'null') || '@' || file, ',' ORDER BY person_id) FROM opt_person")" \
	"7=Odense@stdin,8=null@stdin" "empty background value is JSON null; file name 'stdin'"
printf 'PNR;BY;y_2101\n9;\xc5rhus;130\n' >"$tmp/latin1.csv"
load --prefix lat1 "$tmp/latin1.csv"
is "$rc/$(q "SELECT \"column\" || ': ' || reason FROM lat1_reject")" "1/BY: value is not valid UTF-8 (use --encoding)" \
	"Latin-1 bytes in a UTF-8 load are rejected, naming the column"
load --prefix lat1 --encoding LATIN1 "$tmp/latin1.csv"
is "$rc/$(q "SELECT background->>'BY' FROM lat1_person")/$(q "SELECT count(*) FROM lat1_reject")" "0/Århus/0" \
	"--encoding LATIN1 converts; the re-run clears the file's rejects"

# --- an interrupted load commits nothing (input from a FIFO that stays open)
mkfifo "$tmp/fifo"
{ head -n 20 "$tmp/dream.csv"; exec sleep 60; } >"$tmp/fifo" &
writer=$!
"$LOAD" -d "$DB" --prefix intr "$tmp/fifo" >/dev/null 2>"$tmp/err" &
loader=$!
sleep 1
kill -TERM "$loader"
wait "$loader"
is "$?" 143 "SIGTERM during a load: exit status 143 (128 + 15)"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
grep -q 'interrupted by SIGTERM: .*nothing was committed' "$tmp/err"; ok $? "interrupted load names the signal and says nothing was committed"
is "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE 'intr%'")" 0 "interrupted load: no tables created"

# --- fatal header errors: exit 2, nothing committed
for hdr in "PNR;y_1954" "PNR;y_1553;y_1554" "PNR;y_1952;y_1953" "PNR;y_0052;y_0053" "PNR;y_1501;y_1503" "PNR;y_1502;y_1501" "PNR;y_15x1" "PERSON;y_1501" "PNR;KOM;KOM;y_1501"; do
	printf '%s\n1;130;130\n' "$hdr" >"$tmp/badhdr.csv"
	load --prefix badhdr "$tmp/badhdr.csv"
	is "$rc" 2 "bad header '$hdr': exit status 2"
done
printf 'PNR;y_1553;y_1554\n1;130;130\n' >"$tmp/badhdr.csv"
load --prefix badhdr "$tmp/badhdr.csv"
grep -q 'column 3 "y_1554" is not a valid DREAM week column: week 54 does not exist' "$tmp/err"
ok $? "y_1554: the message names the column and the reason"
printf 'PNR;y_0052;y_0053\n1;130;130\n' >"$tmp/badhdr.csv"
load --prefix badhdr "$tmp/badhdr.csv"
grep -q '"y_0053" is not a valid DREAM week column: ISO year 2000 has 52 weeks' "$tmp/err"
ok $? "y_0053: the message says ISO year 2000 has 52 weeks"
is "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE 'badhdr%'")" 0 "fatal header: nothing committed (no tables created)"

# A fatal error after the data were sent also commits nothing: a week
# table with an extra NOT NULL column makes the final INSERT fail.
q "CREATE TABLE broken_week (person_id text, week date, code int, extra int NOT NULL)"
load --prefix broken "$tmp/dream.csv"
is "$rc" 2 "failing insert into the target: exit status 2"
is "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('broken_person', 'broken_reject')")/$(q "SELECT count(*) FROM broken_week")" "0/0" \
	"failing insert: nothing committed (no rejects, no persons)"

# --- spell file (OF style): overlapping spell and to < from are rejected
cat >"$tmp/spells.csv" <<'EOF'
PNR;PTI_TILSTAND_KODE;PTI_VFRA;PTI_VTIL;PTI_TIMER_PER_UGE
p1;130;2020-12-21;2021-01-06;37
p1;111;2021-01-07;2021-01-12;37
p1;890;2021-01-10;2021-01-20;37
p2;211;20190107;20190113;
p2;211;14JAN2019;10JAN2019;
p2;997;2019-03-04;2019-03-04;
p3;130;2019-02-30;2019-03-01;
p3;0;2019-01-01;2019-01-02;
EOF
load --spells --prefix of "$tmp/spells.csv"
is "$rc" 1 "spell file: exit status 1"
is "$(q "SELECT string_agg(line || '|' || \"column\" || '|' || reason, E'\n' ORDER BY line) FROM of_reject")" \
"4|PTI_VFRA|spell 2021-01-10..2021-01-20 overlaps the spell on line 3 of the same person
6|PTI_VTIL|to date 2019-01-10 is before from date 2019-01-14
8|PTI_VFRA|from date \"2019-02-30\" is not a date (YYYY-MM-DD, YYYYMMDD or DDMONYYYY, years 1900..2099)
9|PTI_TILSTAND_KODE|code 0 is outside 1..9999" \
	"overlapping spell, to < from, an invalid date and code 0 are rejected"
# p1: 130 from Mon 2020-12-21 to Wed 2021-01-06 covers 2020-W52, 2020-W53 and
# Mon-Wed of 2021-W01 (3 days); 111 from Thu 2021-01-07 to Tue 2021-01-12
# covers Thu-Sun of 2021-W01 (4 days: wins the week) and Mon-Tue of 2021-W02.
# p2: 211 in 2019-W02 (Mon 2019-01-07..Sun 01-13), 997 in 2019-W10.
is "$(q "SELECT string_agg(person_id || ' ' || week || ' ' || code, ',' ORDER BY person_id, week) FROM of_week")" \
	"p1 2020-12-21 130,p1 2020-12-28 130,p1 2021-01-04 111,p1 2021-01-11 111,p2 2019-01-07 211,p2 2019-03-04 997" \
	"spells become ISO weeks (week 53, shared week to the spell with most days)"
is "$(q "SELECT count(*) FROM of_spell")" 4 "four spells kept in the spell table"
load --spells --prefix of "$tmp/spells.csv"
is "$rc/$(q "SELECT count(*) FROM of_week")/$(q "SELECT count(*) FROM of_spell")/$(q "SELECT count(*) FROM of_reject")" "1/6/4/4" \
	"spell file re-run: same rows"

# --- person ids: si_load's text ids scanned with benefit_paths_scan_text
# (docs/loader.md's recipe); --person-id=bigint for benefit_paths_scan.
# Reference: benefit_path(week, code) ... GROUP BY person_id over the same
# week table, and the loader's own paths (dream_path).
is "$(q "SELECT count(*) FILTER (WHERE a.path = s.path) || '/' || count(*) || '/' || (SELECT count(DISTINCT person_id) FROM dream_week)
	FROM (SELECT person_id, benefit_path(week, code) AS path FROM dream_week GROUP BY 1) a
	FULL JOIN benefit_paths_scan_text('dream_week') s USING (person_id)")" "$(q "SELECT count(DISTINCT person_id) || '/' || count(DISTINCT person_id) || '/' || count(DISTINCT person_id) FROM dream_week")" \
	"benefit_paths_scan_text over si_load's text ids: every person's path, as GROUP BY gives it"
if [ "$has_path" = 1 ]; then
	is "$(q "SELECT count(*) FILTER (WHERE path_cover(s.path, p.first_week, p.last_week) = d.path) || '/' || count(*)
		FROM dream_person p JOIN dream_path d USING (person_id)
		LEFT JOIN benefit_paths_scan_text('dream_week') s USING (person_id)")" "500/500" \
		"scanned paths, covered to each person's observed period, equal the loader's paths (persons without a benefit week too)"
fi
is "$(q "SELECT pg_typeof(person_id) FROM benefit_paths_scan_text('dream_week') LIMIT 1")" text \
	"benefit_paths_scan_text returns the person ids as text (they join dream_person)"
"$SI_BINDIR/psql" -X -q -At -U postgres -d "$DB" -c "SELECT count(*) FROM benefit_paths_scan('dream_week')" >"$tmp/out" 2>"$tmp/err"
grep -q 'person_column "person_id" has type text' "$tmp/err" && grep -q 'benefit_paths_scan_text' "$tmp/err"
ok $? "benefit_paths_scan on text ids: one line naming the type, and a hint to benefit_paths_scan_text"
load --name dream.csv --prefix db --person-id=bigint "$tmp/dream.csv"
is "$rc/$(q "SELECT string_agg(DISTINCT format_type(atttypid, NULL), ',') FROM pg_attribute WHERE attname = 'person_id' AND attrelid::regclass::text IN ('db_week', 'db_person', 'db_path')")" \
	"1/bigint" "--person-id=bigint: the same three rejects; person_id columns are bigint"
is "$(q "SELECT count(*) FILTER (WHERE t.path = b.path) || '/' || count(*)
	FROM benefit_paths_scan_text('dream_week') t FULL JOIN benefit_paths_scan('db_week') b ON b.person_id::text = t.person_id")" \
	"$(q "SELECT count(DISTINCT person_id) || '/' || count(DISTINCT person_id) FROM dream_week")" \
	"--person-id=bigint: benefit_paths_scan gives the same paths as the text load"
load --name dream.csv --prefix db "$tmp/dream.csv"
is "$rc/$(q "SELECT count(*) FROM db_person")" "1/500" "without --person-id, a re-load follows the existing tables (bigint)"
load --name dream.csv --prefix db --person-id=text "$tmp/dream.csv"
is "$rc" 2 "--person-id=text into bigint tables: exit status 2"
grep -q 'exists with person_id of type bigint' "$tmp/err"; ok $? "... with a message naming the table and its type"
printf 'PNR;y_1901;y_1902\n0042;130;130\n42;111;\nx7;;881\n-9;881;881\n' >"$tmp/ids.csv"
load --prefix dbz --person-id=bigint "$tmp/ids.csv"
is "$rc/$(q "SELECT string_agg(person_id::text, ',' ORDER BY person_id) FROM dbz_person")" "1/-9,42" \
	"--person-id=bigint: ids with a leading zero or a letter are rejected, others loaded"
is "$(q "SELECT string_agg(line || '|' || \"column\" || '|' || reason, E'\n' ORDER BY line) FROM dbz_reject")" \
"2|PNR|person id \"0042\" is not a bigint as written (digits without leading zeros; --person-id=bigint): load with --person-id=text to keep it
4|PNR|person id \"x7\" is not a bigint as written (digits without leading zeros; --person-id=bigint): load with --person-id=text to keep it" \
	"--person-id=bigint: the reject reason says why and what to do"
load --prefix dbt "$tmp/ids.csv"
is "$rc/$(q "SELECT string_agg(person_id, ',' ORDER BY person_id COLLATE \"C\") FROM dbt_person")" "0/-9,0042,42,x7" \
	"the default (text) keeps every id as written"
printf 'PNR;FROM_DATE;TO_DATE;CODE\n7;2019-01-07;2019-01-20;130\n07;2019-01-07;2019-01-13;111\n' >"$tmp/ids_spells.csv"
load --spells --prefix ofb --person-id=bigint "$tmp/ids_spells.csv"
is "$rc/$(q "SELECT string_agg(person_id || ' ' || week, ',' ORDER BY week) FROM ofb_week")/$(q "SELECT line || '|' || \"column\" FROM ofb_reject")" \
	"1/7 2019-01-07,7 2019-01-14/3|PNR" "spell file, --person-id=bigint: bigint weeks; the id with a leading zero rejected"

# --- memory: peak RSS does not grow with the file (1,000 vs 5,000 lines x 366 weeks)
if [ -x /usr/bin/time ]; then
	awk -v persons=1000 -v seed=3 -f "$SI_REPO/test/integration/gen_dream_wide.awk" >"$tmp/g1.csv"
	awk -v persons=5000 -v seed=3 -f "$SI_REPO/test/integration/gen_dream_wide.awk" >"$tmp/g5.csv"
	/usr/bin/time -f '%M' -o "$tmp/rss1" "$LOAD" -q -d "$DB" --prefix gen1 "$tmp/g1.csv" 2>/dev/null
	r1=$?
	/usr/bin/time -f '%M' -o "$tmp/rss5" "$LOAD" -q -d "$DB" --prefix gen5 "$tmp/g5.csv" 2>/dev/null
	r5=$?
	is "$r1/$r5" "0/0" "generated files load without rejects"
	is "$(q "SELECT count(*) FROM gen5_person")" 5000 "5,000 persons from the generated file"
	rss1=$(tail -n 1 "$tmp/rss1"); rss5=$(tail -n 1 "$tmp/rss5")
	echo "# peak RSS: 1,000 lines ${rss1} kB, 5,000 lines ${rss5} kB"
	[ "$rss5" -le $((rss1 + 512)) ] && [ "$rss5" -lt 32768 ]
	ok $? "peak RSS independent of file size (${rss1} kB vs ${rss5} kB, under 32 MB)"
fi

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"
echo "1..$n"
