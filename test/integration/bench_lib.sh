#!/bin/bash
# Integration test of the benchmark harness (bench/lib.sh, bench/report.sh,
# bench/vs_r_did.sh; issue 16, items 4 and 5) on tiny data: the
# statistics, the interleaved comparison's records, the plan check failing
# when it should, the skip paths of the R comparison, its socialinvest side
# on a tiny panel, and its R side with a stand-in Rscript that answers with
# socialinvest's own numbers (agree) or shifted ones (must be reported as
# differing). Prints TAP lines.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
DB=bench_lib_test
. "$(dirname "$0")/tap.bash"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-benchlib.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "CREATE EXTENSION socialinvest"
q "CREATE TABLE t AS SELECT g FROM generate_series(1, 20000) g"
q "VACUUM ANALYZE t"
export PGDATABASE=$DB PATH="$SI_BINDIR:$PATH"
export BENCH_OUT=$tmp/out
mkdir -p "$BENCH_OUT"
. "$SI_REPO/bench/lib.sh"

# statistics: median, min, max, quartiles (type 7) of known values
is "$(_bench_stats "10 1 4 2 3")" "3.0 1.0 10.0 2.0 4.0" "_bench_stats: median, min, max, q1, q3 of 1 2 3 4 10"
is "$(_bench_stats "1 2 3 4")" "2.5 1.0 4.0 1.8 3.2" "_bench_stats: interpolated median and quartiles of 1 2 3 4"

# an interleaved comparison: n rows per query, ratio = ratio of the medians
BENCH_RUNS=5 bench_compare sum_t "SELECT sum(g) FROM t" count_t "SELECT count(*) FROM t" >"$tmp/cmp.log"
is "$(awk -F'\t' '$1 == "sum_t" && $4 == "median" {print $9, split($10, a, ",")}' "$BENCH_OUT/results.tsv")" "5 5" \
	"bench_compare records 5 runs of the query"
is "$(awk -F'\t' '$1 == "count_t" && $4 == "median" {print $9, split($10, a, ",")}' "$BENCH_OUT/results.tsv")" "5 5" \
	"bench_compare records 5 runs of the baseline"
want=$(awk -F'\t' '$1 == "sum_t" {a = $2} $1 == "count_t" {b = $2} END {printf "%.2f", a / b}' "$BENCH_OUT/results.tsv")
is "$(awk -F'\t' '$1 == "sum_t" && $2 == "count_t" && $7 == "interleaved" {printf "%.2f", $3}' "$BENCH_OUT/compare.tsv")" "$want" \
	"the recorded ratio is the ratio of the medians"
ok "$(awk -F'\t' '$1 == "sum_t" && $2 == "count_t" {exit !($4 <= $3 + 0.0005 && $3 <= $5 + 0.0005)}' "$BENCH_OUT/compare.tsv"; echo $?)" \
	"the ratio of medians lies within the per-round ratios' range"
is "$(cat "$BENCH_OUT/sql/sum_t.sql")" "SELECT sum(g) FROM t" "the exact query is recorded"
ok "$(grep -q 'median.*min-max.*IQR' "$tmp/cmp.log"; echo $?)" "bench_compare prints median, spread and IQR"

# plan checks: pass, fail on a missing pattern, fail on a forbidden one
bench_assert_plan count_t "SELECT count(*) FROM t" "Seq Scan on t" "!Index Only Scan" >/dev/null
is "$?" 0 "bench_assert_plan passes a sequential count"
bench_assert_plan folded "SELECT 1 + 1" "Seq Scan" >"$tmp/plan.log"
is "$?" 1 "bench_assert_plan fails a constant-folded baseline"
ok "$(grep -q 'PLAN CHECK FAILED folded' "$tmp/plan.log"; echo $?)" "the failed plan check is printed"
bench_assert_plan count_t2 "SELECT count(*) FROM t" "!Seq Scan" >/dev/null
is "$?" 1 "bench_assert_plan fails a plan showing a forbidden pattern"
is "$(awk -F'\t' '$2 == "FAIL"' "$BENCH_OUT/plans.tsv" | wc -l)" 2 "both failures are recorded"

# vs_r_did without R: skipped with a message, nothing measured
: >"$BENCH_OUT/notes.txt"
VSR_RSCRIPT=/nonexistent/Rscript . "$SI_REPO/bench/vs_r_did.sh" >"$tmp/skip.log" 2>&1
ok "$(grep -q 'SKIP vs_r_did: R is not installed' "$BENCH_OUT/notes.txt"; echo $?)" "vs_r_did skips with a message when R is absent"
is "$(grep -c '^att_gt_' "$BENCH_OUT/results.tsv")" 0 "and measures nothing"

# an Rscript without the did package (a stand-in that fails the check)
printf '#!/bin/sh\nexit 1\n' >"$tmp/Rscript-nodid"
chmod +x "$tmp/Rscript-nodid"
VSR_RSCRIPT=$tmp/Rscript-nodid . "$SI_REPO/bench/vs_r_did.sh" >"$tmp/skip2.log" 2>&1
ok "$(grep -q 'SKIP vs_r_did: the R package did is not installed' "$BENCH_OUT/notes.txt"; echo $?)" \
	"vs_r_did skips with a message when did is absent"

# the socialinvest side on a tiny panel (VSR_PG_SIDE=1)
export VSR_UNITS=240 VSR_PERIODS=8 VSR_RUNS=2
VSR_PG_SIDE=1 VSR_RSCRIPT=/nonexistent/Rscript . "$SI_REPO/bench/vs_r_did.sh" >"$tmp/pg.log" 2>&1
is "$(grep -c '^att_gt_' "$BENCH_OUT/results.tsv")" 6 "the socialinvest side measures the six configurations"
is "$(q "SELECT count(*) = 240 * 8 AND count(DISTINCT cohort) = 6 FROM bench.vsr_panel")" t \
	"the panel: units x periods rows, five cohorts and the never treated"

# the R side, with a stand-in Rscript answering socialinvest's numbers
# (+ FAKE_SHIFT on every estimate); prints its time as did's script does
cat >"$tmp/Rscript-fake" <<'SH'
#!/bin/bash
[ "$1" = -e ] && exit 0
case "$3" in
	never) a="" ;; notyet) a=", control_group => 'notyettreated'" ;;
	boot1000) a=", bootstrap => 1000" ;;
	*) a=", covariate_columns => ARRAY['x1', 'x2']::name[], est_method => '${3%_x2}'" ;;
esac
psql -X -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT cohort, period, estimate + ${FAKE_SHIFT:-0}, std_error FROM att_gt('bench.vsr_panel', 'y', 'unit', 'period', 'cohort'$a)) TO '$4' CSV HEADER" >/dev/null || exit 1
echo 123.4
SH
chmod +x "$tmp/Rscript-fake"
: >"$BENCH_OUT/notes.txt"
VSR_CONFIGS="never dr_x2" VSR_RSCRIPT=$tmp/Rscript-fake . "$SI_REPO/bench/vs_r_did.sh" >"$tmp/r.log" 2>&1
is "$(awk -F'\t' '$7 == "interleaved" && $1 ~ /^r_did_/ {print $1 "/" $2}' "$BENCH_OUT/compare.tsv" | tr '\n' ' ')" \
	"r_did_never/att_gt_never r_did_dr_x2/att_gt_dr_x2 " "the R comparison records r_did / att_gt per configuration"
is "$(awk -F'\t' '$1 == "r_did_never" {print $2}' "$BENCH_OUT/results.tsv")" "123.4" "R's time is the time its script prints"
ok "$(awk -F'\t' '$1 == "r_did_never" {exit !($3 > 0)}' "$BENCH_OUT/results.tsv"; echo $?)" "R's max RSS is recorded"
is "$(grep -c 'agree to 1e-9' "$BENCH_OUT/notes.txt")" 2 "equal answers are reported as agreeing"
FAKE_SHIFT=1e-6 VSR_CONFIGS=never VSR_RSCRIPT=$tmp/Rscript-fake . "$SI_REPO/bench/vs_r_did.sh" >"$tmp/r2.log" 2>&1
ok "$(grep -q 'vs R did never: .*max |ATT diff|  *1.0e-06.*DIFFER beyond 1e-9' "$BENCH_OUT/notes.txt"; echo $?)" \
	"answers 1e-6 apart are reported as differing"

# the report: goals with verdicts, the comparison, the queries
printf 'started=%s\nended=%s\nquick=1\n' "$(date +%s)" "$(date +%s)" >"$BENCH_OUT/run.env"
(cd "$SI_REPO" && bench/report.sh "$BENCH_OUT" "$tmp/report.md") >/dev/null
ok "$(grep -qE '^\| 16.1 \| att_gt >= 40x R did, never-treated controls \| [0-9.]+x .*\| (pass|FAIL) \|$' "$tmp/report.md"; echo $?)" \
	"the report gives the R goal a verdict"
ok "$(grep -qE '^\| 16.2 \| .* \| not measured \|$' "$tmp/report.md"; echo $?)" "an absent measurement is 'not measured'"
ok "$(grep -q '^| `sum_t` | .* | `count_t` |' "$tmp/report.md"; echo $?)" "the report lists the interleaved comparison"
ok "$(grep -q 'SELECT sum(g) FROM t' "$tmp/report.md"; echo $?)" "the report shows the exact queries"
ok "$(grep -q '| `folded` | `Seq Scan` | FAIL |' "$tmp/report.md"; echo $?)" "the report shows the failed plan check"

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"
echo "1..$n"
