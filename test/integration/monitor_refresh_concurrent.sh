#!/bin/bash
# Integration test: two monitor_refresh calls for the same extract at the
# same time (issue 14: "a rerun replaces, never doubles"). Session A
# refreshes inside a transaction and holds it open; session B starts the
# same refresh meanwhile. B must wait on the schema's advisory lock
# (7420301, hashtext of the quoted schema name), then replace what A wrote:
# both succeed, one batch, the states of one run. Without the lock B's
# insert would meet A's uncommitted batch row and fail with 23505.
# Prints TAP lines.
set -u
: "${SI_BINDIR:?}"
DB=monitor_concurrent_test
PSQL="$SI_BINDIR/psql"

. "$(dirname "$0")/tap.bash"

"$PSQL" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "CREATE EXTENSION socialinvest"
q "CREATE SCHEMA \"Mc\"; SELECT monitor_setup('Mc')" >/dev/null
q "INSERT INTO \"Mc\".programme VALUES (101, 'mentor', '2024-01-01', '2024-12-30');
   INSERT INTO \"Mc\".person (person_id, municipality) SELECT i, 101 FROM generate_series(1, 12) i;
   INSERT INTO \"Mc\".observation_period SELECT i, '2023-01-02', '2025-12-29', 'end_of_data', NULL FROM generate_series(1, 12) i;
   INSERT INTO \"Mc\".course SELECT i, i, NULL, 101, 'mentor', '2024-01-01', '2024-03-04',
          CASE WHEN i <= 3 THEN 'ended_early' ELSE 'completed' END FROM generate_series(1, 12) i;
   INSERT INTO \"Mc\".goal VALUES (101, 'mentor', 'ended_early', 0.3, '2024-06-03');"

# one refresh alone: how many states one run writes
q "SELECT monitor_refresh('Mc', '2025-01-20')" >/dev/null
single=$(q "SELECT count(*) FROM \"Mc\".monitor_state")
q "DELETE FROM \"Mc\".monitor_batch; DELETE FROM \"Mc\".monitor_frozen"

key="classid = 7420301 AND objid = hashtext('\"Mc\"')::oid AND locktype = 'advisory'"
err=$(mktemp)
# A: refresh, then keep the transaction (and the lock) open for 3 s
"$PSQL" -X -q -At -U postgres -d "$DB" -v ON_ERROR_STOP=1 -c "SET application_name = 'si_refresh_a'" \
	-c "BEGIN" -c "SELECT monitor_refresh('Mc', '2025-01-20', 'A')" -c "SELECT pg_sleep(3)" -c "COMMIT" \
	>/dev/null 2>"$err.a" &
pa=$!
# wait until A has refreshed and sleeps in its open transaction
for _ in $(seq 1 100); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'si_refresh_a' AND query LIKE '%pg_sleep%'")" = 1 ] && break
	sleep 0.02
done
is "$(q "SELECT count(*) FROM pg_locks WHERE $key AND granted")" 1 "A holds the advisory lock (7420301, hashtext('\"Mc\"'))"
# B: the same refresh, while A's transaction is open
"$PSQL" -X -q -At -U postgres -d "$DB" -v ON_ERROR_STOP=1 -c "SET application_name = 'si_refresh_b'" \
	-c "SELECT monitor_refresh('Mc', '2025-01-20', 'B')" >/dev/null 2>"$err.b" &
pb=$!
waiting=none
for _ in $(seq 1 100); do
	waiting=$(q "SELECT wait_event FROM pg_stat_activity WHERE application_name = 'si_refresh_b' AND wait_event_type = 'Lock'")
	[ -n "$waiting" ] && break
	sleep 0.02
done
is "$waiting" advisory "B waits for A's advisory lock (not for a row A wrote)"
wait $pa; ra=$?
wait $pb; rb=$?
is "$ra" 0 "A succeeds"
is "$rb" 0 "B succeeds after A commits $(tr '\n' ' ' <"$err.b")"
is "$(q "SELECT count(*) || ' ' || min(note) FROM \"Mc\".monitor_batch")" "1 B" "one batch, B's (the later run replaced A's)"
is "$(q "SELECT count(*) FROM \"Mc\".monitor_state")" "$single" "the states of one run, not two ($single)"
is "$(q "SELECT count(*) FROM \"Mc\".monitor_frozen")" 1 "the goal point frozen once"
rm -f "$err" "$err.a" "$err.b"
"$PSQL" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"
