#!/bin/bash
# Integration test of the report (docs/monitoring.md, "The report and the
# BI views") against the throwaway cluster of `make test`. Prints TAP.
#
# A small generated register (generate_register fills the monitoring
# tables) gets its BI views (monitor_create_views) and a stored contract; si_monitor report writes the Danish and the English
# report. References: the views themselves, queried here with psql in the
# report's order (test/integration/monitor_report_check.py compares every
# data-* value and table cell with them, and every displayed number with
# the value rounded as the language writes it); the payout schedule is
# recomputed from the contract by contract_schedule over the view's outcome
# rows. In headless Chromium (when installed; `make deps` installs it) the
# page must load without console errors (the detection is itself checked on
# a page that throws), the dumped DOM must hold every chart's elements, and
# a screenshot is written under the test output directory.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
MON="$SI_BINDIR/si_monitor"
DB=monitor_report_test
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-report.XXXXXX")
chmod 755 "$tmp"
outdir="${SI_WORK:-$tmp}/monitor_report"
mkdir -p "$outdir"
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/tap.bash"
check="$SI_REPO/test/integration/monitor_report_check.py"
# tap_lines FILE: the checker's "ok|desc" / "not ok|desc|detail" lines as TAP
tap_lines() {
	local status desc detail
	while IFS='|' read -r status desc detail; do
		if [ "$status" = ok ]; then ok 0 "$desc"; else ok 1 "$desc"; echo "#   $detail"; fi
	done <"$1"
}

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "SET client_min_messages = warning; CREATE EXTENSION socialinvest; CREATE SCHEMA reg;
   SELECT generate_register('reg', 1200, 7); SELECT monitor_setup('reg');" >/dev/null

# a contract for the municipality with the most courses (its name tests the
# HTML escaping), and a programme whose name is markup
read -r muni prog <<<"$(q "SELECT municipality || ' ' || programme FROM reg.course GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1" | tr -d '\r')"
q "SET client_min_messages = warning; SELECT monitor_create_views('reg');" >/dev/null
q "INSERT INTO reg.contract VALUES ($muni, '$prog', contract_validate('{
     \"name\": \"Mentor <SIB> & \\\"partners\\\"\", \"currency\": \"DKK\", \"start\": \"2019-01-01\",
     \"period\": \"quarter\", \"programme_cap\": 900000,
     \"components\": [{\"type\": \"rate_card\", \"name\": \"self_support\", \"outcomes\": [
       {\"outcome\": \"selfsupporting_6m\", \"price\": 20000},
       {\"outcome\": \"durable_12m\", \"price\": 30000, \"requires\": [\"selfsupporting_6m\"]}]}]}'))"
q "INSERT INTO reg.programme VALUES ($muni, '<script>alert(1)</script>', '2019-01-07', NULL);
   INSERT INTO reg.goal VALUES ($muni, '<script>alert(1)</script>', 'selfsupporting_6m', 0.4, 'baseline'),
                               ($muni, '$prog', 'selfsupporting_12m', 0.35, 'final'),
                               ($muni, '$prog', 'ended_early', 0.2, 'midterm')
   ON CONFLICT DO NOTHING"
# frozen measurements, when the goals' functions are installed
if [ "$(q "SELECT count(*) FROM pg_proc WHERE proname = 'monitor_refresh'")" != 0 ]; then
	q "SET client_min_messages = warning; SELECT monitor_refresh('reg', '2023-12-25')" >/dev/null
fi

# --- the views
is "$(q "SELECT count(*) FROM pg_views WHERE schemaname = 'reg' AND viewname IN ('v_course_status', 'v_arrival_cohort',
        'v_benchmark', 'v_goal_results', 'v_frozen_vs_recomputed', 'v_progression_change', 'v_municipality_effects',
        'v_event_study', 'v_trajectory', 'v_payout', 'v_report_info')")" 11 "monitor_create_views creates the 11 views"
q "SELECT monitor_create_views('reg')" >/dev/null 2>&1
ok $? "monitor_create_views again (replaces, keeps the contract)"
is "$(q "SELECT count(*) FROM reg.contract")" 1 "the stored contract survives a rerun"
# v_payout is contract_schedule over the contract's outcome rows, recomputed here
is "$(q "CREATE TEMP VIEW o AS SELECT participant, outcome, day, value FROM monitor_contract_outcomes('reg', $muni, '$prog');
         SET client_min_messages = warning;
         SELECT (SELECT string_agg(period || ':' || amount_due, ',' ORDER BY period, component_no) FROM reg.v_payout)
              = (SELECT string_agg(period || ':' || amount_due, ',' ORDER BY period, component_no)
                 FROM contract_schedule((SELECT contract FROM reg.contract), 'o'))" | tail -1)" t \
	"v_payout equals contract_schedule of the stored contract"
# outcome rows by hand: course c is selfsupporting_6m iff self_supporting_at(its observed path, start week + 26 weeks)
is "$(q "SELECT count(*) FROM reg.course c JOIN reg.observation_period o USING (person_id)
         LEFT JOIN reg.person_path p USING (person_id)
         WHERE self_supporting_at(path_observed(p.path, o.observed_from, o.observed_to), week_monday(c.start_date) + 182)")" \
	"$(q "SELECT count(*) FROM monitor_contract_outcomes('reg') WHERE outcome = 'selfsupporting_6m'")" \
	"monitor_contract_outcomes: selfsupporting_6m rows = courses self-supporting 26 weeks after the start week"
# trajectory by hand at week 0 for mentored courses
is "$(q "SELECT n_observed || '/' || n_self_supporting FROM reg.v_trajectory WHERE weeks_since_start = 0 AND mentored")" \
	"$(q "SELECT count(s) || '/' || count(*) FILTER (WHERE s) FROM (
	        SELECT self_supporting_at(path_observed(p.path, o.observed_from, o.observed_to), week_monday(c.start_date)) AS s
	        FROM reg.course c JOIN reg.observation_period o USING (person_id) LEFT JOIN reg.person_path p USING (person_id)
	        WHERE c.mentor_id IS NOT NULL) x")" \
	"v_trajectory week 0, mentored: observed and self-supporting courses counted directly"
# the Wilson interval of one trajectory cell, written out: centre (p + z^2/2n)/(1 + z^2/n), half width z sqrt(p(1-p)/n + z^2/4n^2)/(1 + z^2/n)
is "$(q "SELECT bool_and(abs(conf_low - ((p + z*z/(2*n) - z*sqrt(p*(1-p)/n + z*z/(4*n*n)))/(1 + z*z/n))) < 1e-12
                    AND abs(conf_high - ((p + z*z/(2*n) + z*sqrt(p*(1-p)/n + z*z/(4*n*n)))/(1 + z*z/n))) < 1e-12)
         FROM (SELECT conf_low, conf_high, n_self_supporting::float8 / n_observed AS p, n_observed::float8 AS n, 1.959963984540054 AS z
               FROM reg.v_trajectory WHERE NOT suppressed) x")" t "v_trajectory: Wilson 95 % intervals"
is "$(q "SELECT count(*) FROM reg.v_trajectory WHERE suppressed AND (estimate IS NOT NULL OR n_observed IS NOT NULL)")" 0 \
	"v_trajectory: suppressed cells have no numbers"
# event study: the view is att_gt_aggregate's dynamic aggregation; the bands are estimate +- z se and +- critical value x se
is "$(q "SELECT bool_and(abs(conf_low - (estimate - 1.959963984540054 * std_error)) < 1e-12
                    AND abs(uniform_conf_high - (estimate + critical_value * std_error)) < 1e-12
                    AND critical_value >= 1.959963984540054
                    AND uniform_conf_low <= conf_low AND uniform_conf_high >= conf_high)
         FROM reg.v_event_study")" t "v_event_study: pointwise band inside the uniform band"
is "$(q "SELECT count(*) FROM reg.v_event_study e JOIN att_gt_aggregate('reg.v_event_panel', 'share', 'person_id', 'q', 'cohort',
            type => 'dynamic', min_e => -4, max_e => 8, bootstrap => 999, seed => 42) a ON a.key = e.event_time AND a.level = 'event_time'
         WHERE a.estimate = e.estimate AND a.std_error = e.std_error")" "$(q "SELECT count(*) FROM reg.v_event_study")" \
	"v_event_study rows are att_gt_aggregate's on v_event_panel"
# the planted effect of the generator (+0.10 on the weekly probability) shows after the start
is "$(q "SELECT avg(estimate) BETWEEN 0.03 AND 0.2 FROM reg.v_event_study WHERE event_time BETWEEN 1 AND 4")" t \
	"v_event_study: effect after the mentor start near the planted +0.10"
is "$(q "SELECT bool_and(abs(estimate) < 3 * std_error + 0.02) FROM reg.v_event_study WHERE event_time < -1")" t \
	"v_event_study: pre-periods near 0"

# --- the report
views="$tmp/views"
mkdir -p "$views"
dump() {  # dump VIEW ORDER
	"$SI_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$DB" --csv \
		-c "SET client_min_messages = warning" -c "SELECT * FROM reg.$1 ORDER BY $2" >"$views/$1.csv" 2>"$tmp/dump.err"
}
for spec in "v_trajectory:mentored, weeks_since_start" "v_event_study:event_time" "v_benchmark:municipality" \
	"v_course_status:municipality, programme, horizon_months" "v_arrival_cohort:municipality, arrival_year" \
	"v_goal_results:municipality, programme, indicator, measured_on, measured_at" \
	"v_frozen_vs_recomputed:municipality, programme, indicator, measured_on, measured_at" \
	"v_progression_change:item NULLS LAST" "v_municipality_effects:municipality NULLS FIRST" \
	"v_payout:municipality, programme, period, component_no"; do
	dump "${spec%%:*}" "${spec#*:}" || echo "# dump of ${spec%%:*} failed: $(cat "$tmp/dump.err")"
done

for lang in da en; do
	"$MON" report --db "dbname=$DB" --schema reg --out "$tmp/report_$lang.html" --lang "$lang" >"$tmp/out" 2>"$tmp/err"
	is $? 0 "si_monitor report --lang $lang: exit 0"
	[ -s "$tmp/report_$lang.html" ]; ok $? "report_$lang.html written"
	python3 "$check" "$tmp/report_$lang.html" "$lang" "$views" >"$tmp/check_$lang" 2>&1 ||
		echo "not ok|checker failed|$(tail -3 "$tmp/check_$lang" | tr '\n' ' ')" >>"$tmp/check_$lang"
	tap_lines "$tmp/check_$lang"
done
grep -q 'Mentor &lt;SIB&gt; &amp; &quot;partners&quot;' "$tmp/report_da.html"
ok $? "strings from the database are HTML-escaped (contract name)"
! grep -q '<script\|<SIB>' "$tmp/report_da.html"
ok $? "no markup from the database gets through (programme '<script>...')"
grep -q 'Selvforsørgelse omkring forløbets start' "$tmp/report_da.html" &&
	grep -q 'Self-sufficiency around the course start' "$tmp/report_en.html"
ok $? "Danish and English labels"

# --- errors
"$MON" report --db "dbname=$DB" --schema reg --out "$tmp/x.html" --lang fr >/dev/null 2>"$tmp/err"
is $? 2 "--lang fr: exit 2"
"$MON" report --db "dbname=$DB" --schema nosuch --out "$tmp/x.html" >/dev/null 2>"$tmp/err"
is $? 3 "a schema that does not exist: exit 3"
grep -q 'nosuch' "$tmp/err"; ok $? "... and the message names it"
[ ! -e "$tmp/x.html" ]; ok $? "... and no file is written"
q "SET client_min_messages = warning; CREATE SCHEMA bare; SELECT monitor_setup('bare');" >/dev/null
"$MON" report --db "dbname=$DB" --schema bare --out "$tmp/bare.html" --lang en >/dev/null 2>"$tmp/err"
is $? 0 "an empty schema without views: the views are created and the report written"
grep -q 'data-empty="v_payout"' "$tmp/bare.html"; ok $? "... saying there is no contract"

# --- headless Chromium
if ! command -v chromium >/dev/null 2>&1; then
	for d in "page loads without console errors" "console error detection works" "DOM checks" "screenshot"; do
		n=$((n + 1)); echo "ok $n # skip chromium not installed (make deps installs it): $d"
	done
	exit 0
fi
chrome() {  # chrome ARGS... URL: headless, own profile; stderr has the console log
	timeout 120 chromium --headless=new --no-sandbox --disable-gpu --no-first-run --disable-extensions \
		--user-data-dir="$tmp/chrome" --enable-logging=stderr --v=0 "$@"
}
console_errors() { grep -E 'CONSOLE|Uncaught|SyntaxError|TypeError|ReferenceError|Failed to load resource|net::ERR' "$1"; }
# the detection itself: a page whose script throws must be caught
printf '<!DOCTYPE html><html><body><script>null.boom();</script></body></html>\n' >"$tmp/throws.html"
chrome --dump-dom "file://$tmp/throws.html" >/dev/null 2>"$tmp/throws.log"
console_errors "$tmp/throws.log" >/dev/null
ok $? "console error detection catches a page that throws"
# (the English page comes from the same code: its file was checked above;
# one browser run per language would double the test's time)
for lang in da; do
	chrome --dump-dom "file://$tmp/report_$lang.html" >"$tmp/dom_$lang.html" 2>"$tmp/chrome_$lang.log"
	is $? 0 "chromium loads report_$lang.html"
	errs=$(console_errors "$tmp/chrome_$lang.log")
	is "$errs" "" "report_$lang.html: no console errors"
	python3 "$check" "$tmp/dom_$lang.html" "$lang" "$views" >"$tmp/dcheck_$lang" 2>&1 ||
		echo "not ok|checker failed on the DOM|$(tail -3 "$tmp/dcheck_$lang" | tr '\n' ' ')" >>"$tmp/dcheck_$lang"
	sed 's/^\(not \)\{0,1\}ok|/&DOM: /' "$tmp/dcheck_$lang" >"$tmp/dcheck_${lang}_tap"
	tap_lines "$tmp/dcheck_${lang}_tap"
done
rm -f "$outdir/monitor_report.png"
chrome --hide-scrollbars --window-size=1100,6000 --screenshot="$outdir/monitor_report.png" \
	"file://$tmp/report_da.html" >/dev/null 2>&1
[ -s "$outdir/monitor_report.png" ] && [ "$(head -c 8 "$outdir/monitor_report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
ok $? "screenshot written: $outdir/monitor_report.png"
cp "$tmp/report_da.html" "$tmp/report_en.html" "$outdir/" 2>/dev/null
exit 0
