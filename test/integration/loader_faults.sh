#!/bin/bash
# si_load under faults (docs/loader.md, "Interrupts, timeouts and
# concurrent loads"), against the throwaway cluster of `make test`; TAP.
#
# A long server-side statement is made with a statement-level trigger that
# sleeps (pg_sleep 30 s) on a pre-created week table, so each check knows
# the loader is inside that statement:
#   - SIGINT: exit 130 within a second, the statement cancelled, the
#     backend and its locks gone within a second, nothing committed;
#   - kill -9 of the client: its backend ends within a few seconds
#     (client_connection_check_interval) instead of sleeping on;
#   - statement_timeout=200ms: exit 2 within a second, message with
#     SQLSTATE 57014, nothing committed (in the sleeping statement and
#     while a big file is streamed with COPY);
#   - two first loads into one new schema at once: both succeed.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
LOAD="$SI_BINDIR/si_load"
DB=loader_faults
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-faults.XXXXXX")
chmod 755 "$tmp"

n=0
ok() {  # ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
is() {  # is GOT WANT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = "$2" ]; then echo "ok $n - $3"; else
		echo "not ok $n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}
q() { "$SI_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$DB" -c "$1"; }
now_ms() { date +%s%3N; }
# wait_for SECONDS SQL: poll (every 50 ms) until SQL returns t; prints the
# milliseconds waited, or "timeout".
wait_for() {
	local end=$(($(now_ms) + $1 * 1000)) start
	start=$(now_ms)
	while [ "$(now_ms)" -lt "$end" ]; do
		if [ "$(q "$2")" = t ]; then echo $(($(now_ms) - start)); return; fi
		sleep 0.05
	done
	echo timeout
}
# backends of loads started with PGAPPNAME=$1
active_sql() { echo "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = '$1'"; }
cleanup() {
	# end leftover loader backends (the old code leaves them sleeping)
	"$SI_BINDIR/psql" -X -q -At -U postgres -d postgres -c \
		"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE 'si_faults%'" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "CREATE EXTENSION socialinvest"
q "CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN PERFORM pg_catalog.pg_sleep(30); RETURN NULL; END \$\$"
slow_table() {  # slow_table PREFIX: a week table whose INSERT sleeps 30 s
	q "CREATE TABLE public.$1_week (person_id text NOT NULL, week date NOT NULL, code integer NOT NULL, PRIMARY KEY (person_id, week));
	   CREATE TRIGGER slow BEFORE INSERT ON public.$1_week FOR EACH STATEMENT EXECUTE FUNCTION public.slow()"
}
# the loader's backend runs the INSERT into the slow table
in_insert_sql() { echo "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = '$1' AND state = 'active' AND query LIKE 'INSERT INTO %$2_week%'"; }

awk -v persons=200 -v seed=5 -f "$SI_REPO/test/integration/gen_dream_wide.awk" >"$tmp/small.csv"
# The fixed cost of a load (start, connect, create the tables, commit) on
# this machine now: "stops within 1 s" below means within 1 s more than that.
head -n 3 "$tmp/small.csv" >"$tmp/tiny.csv"
base=$(now_ms)
"$LOAD" -q --prefix base -d "$DB" "$tmp/tiny.csv"
base=$(($(now_ms) - base))
echo "# fixed cost of a load: $base ms"

# --- SIGINT while the server runs a long statement
slow_table sig
PGAPPNAME=si_faults_int "$LOAD" -q --prefix sig -d "$DB" "$tmp/small.csv" >/dev/null 2>"$tmp/err" &
loader=$!
waited=$(wait_for 20 "$(in_insert_sql si_faults_int sig)")
t0=$(now_ms)
kill -INT "$loader"
wait "$loader"
rc=$?
t1=$(now_ms)
gone=$(wait_for 1 "$(active_sql si_faults_int)")
locks=$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname LIKE 'sig\_%'")
echo "# SIGINT: loader in the INSERT after ${waited} ms; exit after $((t1 - t0)) ms; backend gone after ${gone} ms more"
is "$rc" 130 "SIGINT during a long statement: exit status 130"
[ $((t1 - t0)) -lt 1000 ]; ok $? "SIGINT: the loader exits within 1 s ($((t1 - t0)) ms)"
[ "$gone" != timeout ]; ok $? "SIGINT: the loader's backend is gone within 1 s (statement cancelled, not left running)"
is "$locks" 0 "SIGINT: no locks left on the target tables"
grep -q 'interrupted by SIGINT: the running statement was cancelled and the transaction rolled back; nothing was committed' "$tmp/err"
ok $? "SIGINT: one line says the statement was cancelled and nothing was committed"
is "$(q "SELECT count(*) FROM sig_week")/$(q "SELECT count(*) FROM pg_class WHERE relname IN ('sig_person', 'sig_reject', 'sig_path')")" "0/0" \
	"SIGINT: nothing committed (no rows, no tables created)"

# --- kill -9 of the client while the server runs a long statement
slow_table k9
PGAPPNAME=si_faults_k9 "$LOAD" -q --prefix k9 -d "$DB" "$tmp/small.csv" >/dev/null 2>&1 &
loader=$!
wait_for 20 "$(in_insert_sql si_faults_k9 k9)" >/dev/null
kill -KILL "$loader"
wait "$loader" 2>/dev/null
gone=$(wait_for 5 "$(active_sql si_faults_k9)")
echo "# kill -9: backend gone after ${gone} ms"
[ "$gone" != timeout ]; ok $? "kill -9 of the client: its backend ends within 5 s (client_connection_check_interval)"
is "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname LIKE 'k9\_%'")" 0 \
	"kill -9: no locks left"

# --- statement_timeout=200ms during a long statement
slow_table tmo
t0=$(now_ms)
PGOPTIONS='-c statement_timeout=200ms' PGAPPNAME=si_faults_tmo "$LOAD" -q --prefix tmo -d "$DB" "$tmp/small.csv" >/dev/null 2>"$tmp/err"
rc=$?
t1=$(now_ms)
echo "# statement_timeout in the INSERT: exit after $((t1 - t0)) ms"
is "$rc" 2 "statement_timeout=200ms, long statement: exit status 2"
[ $((t1 - t0)) -lt $((base + 1000)) ]; ok $? "statement_timeout=200ms, long statement: stops within 1 s ($((t1 - t0)) ms, fixed cost $base ms)"
grep -q 'canceling statement due to statement timeout (SQLSTATE 57014)' "$tmp/err"; ok $? "statement_timeout: the message shows SQLSTATE 57014"
grep -q 'statement_timeout (200ms in this session)' "$tmp/err"; ok $? "statement_timeout: the hint names the setting and its value"
grep -q 'nothing was committed' "$tmp/err"; ok $? "statement_timeout: says nothing was committed"
is "$(q "SELECT count(*) FROM tmo_week")/$(q "SELECT count(*) FROM pg_class WHERE relname IN ('tmo_person', 'tmo_reject')")" "0/0" \
	"statement_timeout: nothing committed"

# --- statement_timeout=200ms while a big file is streamed (COPY): the
# server fails the COPY; the loader must notice then, not after the file
# (80,000 lines, 80 MB: about three seconds of parsing here).
awk -v persons=1000 -v seed=7 -f "$SI_REPO/test/integration/gen_dream_wide.awk" >"$tmp/g1.csv"
tail -n +2 "$tmp/g1.csv" >"$tmp/g1body.csv"
{ cat "$tmp/g1.csv"; for i in $(seq 79); do cat "$tmp/g1body.csv"; done; } >"$tmp/big.csv"
t0=$(now_ms)
PGOPTIONS='-c statement_timeout=200ms' "$LOAD" -q --prefix tcopy -d "$DB" --no-weeks "$tmp/big.csv" >/dev/null 2>"$tmp/err"
rc=$?
t1=$(now_ms)
echo "# statement_timeout during the COPY: exit after $((t1 - t0)) ms"
is "$rc" 2 "statement_timeout=200ms during the COPY of an 80,000-line file: exit status 2"
[ $((t1 - t0)) -lt $((base + 1000)) ]; ok $? "statement_timeout during the COPY: stops within 1 s ($((t1 - t0)) ms, fixed cost $base ms), not after the whole file"
grep -q 'SQLSTATE 57014' "$tmp/err"; ok $? "statement_timeout during the COPY: the message shows SQLSTATE 57014"
is "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE 'tcopy\_%'")" 0 "statement_timeout during the COPY: nothing committed"

# --- two first loads into one new schema at once. Load A reads from a
# FIFO and holds its transaction open (schema created, not committed)
# while loads B (same tables) and C (other tables) start; then A finishes.
head -n 60 "$tmp/small.csv" >"$tmp/a.csv"
mkfifo "$tmp/fifo"
{ head -n 30 "$tmp/a.csv"; exec sleep 30; } >"$tmp/fifo" &
writer=$!
PGAPPNAME=si_faults_a "$LOAD" -q --schema fresh --prefix a -d "$DB" "$tmp/fifo" >/dev/null 2>"$tmp/err_a" &
la=$!
wait_for 20 "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'si_faults_a' AND query LIKE 'COPY%'" >/dev/null
PGAPPNAME=si_faults_b "$LOAD" -q --schema fresh --prefix a -d "$DB" "$tmp/a.csv" >/dev/null 2>"$tmp/err_b" &
lb=$!
PGAPPNAME=si_faults_c "$LOAD" -q --schema fresh --prefix c -d "$DB" "$tmp/a.csv" >/dev/null 2>"$tmp/err_c" &
lc=$!
waiting=$(wait_for 10 "SELECT count(*) = 2 FROM pg_stat_activity WHERE application_name IN ('si_faults_b', 'si_faults_c') AND wait_event = 'advisory'")
is "$(q "SELECT string_agg(DISTINCT l.classid::text, ',') FROM pg_locks l JOIN pg_stat_activity a USING (pid)
	WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name IN ('si_faults_b', 'si_faults_c')")" 7420101 \
	"the later loads wait on the documented schema lock (pg_advisory_xact_lock(7420101, hashtext(schema)))"
# A: the rest of its file, then end of input
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
wait "$la"; ra=$?
wait "$lb"; rb=$?
wait "$lc"; rc=$?
[ "$waiting" != timeout ]; ok $? "two more first loads into the new schema wait for the first"
is "$ra/$rb/$rc" "0/0/0" "three concurrent first loads into one new schema all succeed"
cat "$tmp/err_a" "$tmp/err_b" "$tmp/err_c" | sed 's/^/# /'
is "$(q "SELECT count(*) FROM fresh.a_person")/$(q "SELECT count(*) FROM fresh.c_person")" "59/59" \
	"the loads into the new schema hold their rows"

"$SI_BINDIR/psql" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"
echo "1..$n"
