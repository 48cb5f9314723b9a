#!/bin/bash
# Integration test (issue 15.7, docs/scaleout.md): three local PostgreSQL
# instances, a coordinator and two shards reached through postgres_fdw, on
# ports SI_SCALEOUT_PORT..+2 (default 5601-5603) with sockets in a private
# temp dir. The coordinator generates the demo register and keeps it as
# the single-node reference; the same rows go to the shards twice:
#   by municipality: a table PARTITION BY HASH (municipality) whose two
#     partitions are foreign tables on the shards (monitoring);
#   by person: a table PARTITION BY HASH (person_id) the same way (paths,
#     money), whose shard tables are also reached as plain foreign tables.
# Every check compares the distributed answer with the single-node one to
# 1e-12 (relative; single node calls the text profile overloads, the shards
# the profile_name ones) and asserts with EXPLAIN VERBOSE that the shards compute
# the aggregate (the Remote SQL carries it). A Citus part runs when the
# citus extension is available (written for Citus 13, not yet run: no Citus
# on the project's machine), else it prints a SKIP line. Prints TAP lines.
#
# Run alone: make test-scaleout (tools/scaleout.sh builds and installs
# privately); inside make test SI_BINDIR is make test's private install.
# Adding an estimator is one line in the check lists below.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
. "$SI_REPO/tools/pg.sh"
. "$(dirname "$0")/tap.bash"

base=${SI_SCALEOUT_PORT:-5601}
persons=${SI_SCALEOUT_PERSONS:-1500}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-scaleout.XXXXXX")
chmod 755 "$tmp"
sock="$tmp/sock"
names=(coord shard1 shard2)
export PGOPTIONS="-c client_min_messages=warning"
stop_all() {
	local d
	for d in "$tmp"/coord "$tmp"/shard1 "$tmp"/shard2 "$tmp"/citus3 "$tmp"/citus4 "$tmp"/citus5; do
		[ -d "$d" ] && cluster_stop "$SI_BINDIR" "$d"
	done
	rm -rf "$tmp"
}
trap stop_all EXIT

for i in 0 1 2; do
	cluster_init "$SI_BINDIR" "$tmp/${names[$i]}"
	cluster_start "$SI_BINDIR" "$tmp/${names[$i]}" "$sock" $((base + i)) "$tmp/${names[$i]}.log" \
		"-c fsync=off -c lc_messages=C -c max_worker_processes=4" || {
		echo "not ok 1 - start ${names[$i]} on port $((base + i))"; cat "$tmp/${names[$i]}.log"; exit 1; }
done
echo "# $(date -u +%T) started"
ok 0 "three instances on ports $base-$((base + 2))"

# psql on instance I (0 coordinator, 1-2 shards)
on() { local i=$1; shift; "$SI_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -p $((base + i)) -U postgres -d postgres "$@"; }

# the shards: the extension and empty tables
shard_ddl="
CREATE EXTENSION socialinvest;
CREATE TABLE mun_pp (person_id bigint, municipality int, path benefit_path, pre float8, post float8,
	treated boolean, age float8, w float8);
CREATE TABLE pers_pp (LIKE mun_pp);
CREATE TABLE pers_week (person_id bigint, week date, code int);
CREATE TABLE pers_cf (person_id bigint, years float8, amount numeric);"
for i in 1 2; do on $i -c "SET client_min_messages = warning" -c "$shard_ddl" || echo "not ok - shard $i setup"; done

# the coordinator: register, single-node tables (l_*), servers, sharded tables
on 0 >"$tmp/setup.log" 2>&1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION socialinvest;
CREATE EXTENSION postgres_fdw;
SELECT generate_register('public', $persons, seed => 42);
CREATE TABLE l_pp AS
SELECT p.person_id, p.municipality, x.path,
	selfsufficiency_share(x.path, '2020-01-06', '2020-12-28') AS pre,
	selfsufficiency_share(x.path, '2022-01-03', '2022-12-26') AS post,
	p.mentored AS treated, (2020 - extract(year FROM p.birth_date))::float8 AS age,
	1 + p.person_id % 3 AS w
FROM person p JOIN person_path x USING (person_id);
CREATE TABLE l_week AS SELECT person_id, week, code FROM benefit_week;
-- cash flows per person: the mentoring cost at its start, a saving of 300 per benefit week after it
CREATE TABLE l_cf AS
SELECT m.person_id, (m.start_week - date '2019-01-07') / 365.25 AS years, -m.cost AS amount
FROM mentoring m WHERE m.start_week IS NOT NULL
UNION ALL
SELECT b.person_id, (b.week - date '2019-01-07') / 365.25, 300
FROM benefit_week b JOIN mentoring m USING (person_id) WHERE b.week > m.start_week;
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '$sock', port '$((base + 1))', dbname 'postgres', extensions 'socialinvest', batch_size '1000', fetch_size '10000');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '$sock', port '$((base + 2))', dbname 'postgres', extensions 'socialinvest', batch_size '1000', fetch_size '10000');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1;
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2;
CREATE TABLE mun_pp (LIKE l_pp) PARTITION BY HASH (municipality);
CREATE FOREIGN TABLE mun_pp1 PARTITION OF mun_pp FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard1 OPTIONS (table_name 'mun_pp');
CREATE FOREIGN TABLE mun_pp2 PARTITION OF mun_pp FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard2 OPTIONS (table_name 'mun_pp');
CREATE TABLE pers_pp (LIKE l_pp) PARTITION BY HASH (person_id);
CREATE FOREIGN TABLE pers_pp1 PARTITION OF pers_pp FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard1 OPTIONS (table_name 'pers_pp');
CREATE FOREIGN TABLE pers_pp2 PARTITION OF pers_pp FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard2 OPTIONS (table_name 'pers_pp');
CREATE TABLE pers_week (LIKE l_week) PARTITION BY HASH (person_id);
CREATE FOREIGN TABLE pers_week1 PARTITION OF pers_week FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard1 OPTIONS (table_name 'pers_week');
CREATE FOREIGN TABLE pers_week2 PARTITION OF pers_week FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard2 OPTIONS (table_name 'pers_week');
CREATE TABLE pers_cf (LIKE l_cf) PARTITION BY HASH (person_id);
CREATE FOREIGN TABLE pers_cf1 PARTITION OF pers_cf FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard1 OPTIONS (table_name 'pers_cf');
CREATE FOREIGN TABLE pers_cf2 PARTITION OF pers_cf FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard2 OPTIONS (table_name 'pers_cf');
-- the rows go to their shards by tuple routing
INSERT INTO mun_pp SELECT * FROM l_pp;
INSERT INTO pers_pp SELECT * FROM l_pp;
INSERT INTO pers_week SELECT * FROM l_week;
INSERT INTO pers_cf SELECT * FROM l_cf;
SQL
rc=$?; echo "# $(date -u +%T) loaded"; ok $rc "coordinator: register of $persons persons, sharded by municipality and by person"
on 0 -c "ANALYZE" >/dev/null 2>&1
for i in 1 2; do on $i -c "ANALYZE" >/dev/null 2>&1; done
is "$(on 0 -c "SELECT (SELECT count(*) FROM l_pp) = (SELECT count(*) FROM mun_pp)
	AND (SELECT count(*) FROM l_pp) = (SELECT count(*) FROM pers_pp)
	AND (SELECT count(*) FROM l_week) = (SELECT count(*) FROM pers_week)
	AND (SELECT count(*) FROM l_cf) = (SELECT count(*) FROM pers_cf)
	AND (SELECT count(*) FROM pers_pp1) > 0 AND (SELECT count(*) FROM pers_pp2) > 0
	AND (SELECT count(*) FROM mun_pp1) > 0 AND (SELECT count(*) FROM mun_pp2) > 0")" t \
	"every row on a shard, both shards used"

W1="'2022-01-03'"; W2="'2022-12-26'"
did_ok="did_n_treated(x) > 2 AND did_n_control(x) > 2"
# State checks: NAME | STATE (an aggregate over the *_pp columns) | ROLLUP
# aggregate | READOUTS (float8 expressions of x, comma-separated) [| GROUP
# FILTER: the municipalities whose readouts exist, a condition on x]. Each runs
#   by municipality: GROUP BY municipality on mun_pp (pushed down whole per
#     partition), every municipality's readouts = single node's; and the
#     rollup over municipalities = the single pass over l_pp;
#   by person: the state on each shard's plain foreign table, rolled up.
states=(
	"did 2x2 CR1|did_state(pre, post, treated, municipality)|did_rollup|did_estimate(x), did_std_error(x, 'welch'), did_n_skipped(x)::float8|$did_ok"
	"did covariates|did_state(pre, post, treated, ARRAY[age], municipality)|did_rollup|did_estimate(x), did_std_error(x, 'HC1')|$did_ok"
	"did weighted|did_weighted_state(pre, post, treated, w, municipality)|did_rollup|did_estimate(x), did_mean(x, true)|$did_ok"
	"selfsufficiency_state|selfsufficiency_state(path, $W1, $W2, 'strict'::profile_name)|selfsufficiency_rollup|rate_person_weighted(x), rate_week_weighted(x), rate_std_error(x)"
	"selfsufficiency_state weighted|selfsufficiency_state(path, $W1, $W2, 'with_leave'::profile_name, w)|selfsufficiency_rollup|rate_person_weighted(x), rate_std_error(x)"
	"km_state|km_state(path, '2020-01-06', 4, 'strict'::profile_name)|km_rollup|(SELECT sum(survival * week) FROM km_curve(x)), (SELECT sum(n_events)::float8 FROM km_curve(x))"
	"indicator_state|indicator_state(post > 0.5)|indicator_rollup|indicator_estimate(x), indicator_n(x)"
	"indicator_state mean|indicator_state(post)|indicator_rollup|indicator_estimate(x), indicator_n(x)"
)
# not pushed down by postgres_fdw on PostgreSQL 15 (still equal: computed
# locally over the shipped rows); docs/scaleout.md says why
local_states=(
	"fte_state|fte_state(path, $W1, $W2, ARRAY['kontanthjaelp'])|fte_rollup|fte(x), fte_weeks(x)"
)

# close A B: the SQL condition "A and B agree to 1e-12 (relative)", NULLs equal
close() { echo "(($1) IS NULL AND ($2) IS NULL OR abs(($1) - ($2)) <= 1e-12 * greatest(1, abs($1), abs($2)))"; }

check_state() {
	local name=$1 st=$2 roll=$3 reads=$4 filter=${5:-true} pushed=$6 conds="" r i=0 plan
	# single node calls the text overloads ('strict'), the shards profile_name
	local st1=${st//::profile_name/}
	# readouts split at top-level ", " (each readout ends with ')')
	mapfile -t rs < <(echo "$reads" | sed 's/), /)\n/g')
	for r in "${rs[@]}"; do
		i=$((i + 1))
		conds="$conds AND $(close "$(echo "$r" | sed 's/\bx\b/a.x/g')" "$(echo "$r" | sed 's/\bx\b/b.x/g')")"
	done
	conds=${conds# AND }
	# by municipality, per municipality
	plan=$(on 0 -c "SET enable_partitionwise_aggregate = on" \
		-c "EXPLAIN (VERBOSE, COSTS OFF) SELECT municipality, $st AS x FROM mun_pp GROUP BY municipality")
	local aggname=${st%%(*}
	if [ "$pushed" = pushed ]; then
		echo "$plan" | grep -c "Remote SQL: SELECT municipality, public\.$aggname(" | grep -qx 2
		ok $? "$name: by municipality, both shards compute it (Remote SQL)"
	else
		! echo "$plan" | grep -q "Remote SQL: SELECT municipality, public\.$aggname("
		ok $? "$name: by municipality, computed on the coordinator (not shippable)"
	fi
	is "$(on 0 -c "SET enable_partitionwise_aggregate = on" -c "
		WITH a AS (SELECT municipality, $st1 AS x FROM l_pp GROUP BY municipality),
		b AS (SELECT municipality, $st AS x FROM mun_pp GROUP BY municipality)
		SELECT count(*) FILTER (WHERE NOT CASE WHEN $(echo "$filter" | sed 's/\bx\b/a.x/g') THEN $conds ELSE true END)
			|| ' differ; compared ' || (count(*) FILTER (WHERE $(echo "$filter" | sed 's/\bx\b/a.x/g')) >= 10)
		FROM a FULL JOIN b USING (municipality)")" "0 differ; compared true" \
		"$name: by municipality, every municipality equals single node (10 or more compared)"
	is "$(on 0 -c "SET enable_partitionwise_aggregate = on" -c "
		WITH a AS (SELECT $st1 AS x FROM l_pp),
		b AS (SELECT $roll(x) AS x FROM (SELECT municipality, $st AS x FROM mun_pp GROUP BY municipality) m)
		SELECT $conds FROM a, b")" t "$name: by municipality, rollup = single pass"
	# by person: one state per shard's plain foreign table, rolled up
	plan=$(on 0 -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT $st AS x FROM pers_pp1")
	if [ "$pushed" = pushed ]; then
		echo "$plan" | grep -q "Remote SQL: SELECT public\.$aggname("
		ok $? "$name: by person, the shard computes it (Remote SQL)"
	fi
	is "$(on 0 -c "
		WITH a AS (SELECT $st1 AS x FROM l_pp),
		b AS (SELECT $roll(x) AS x FROM (SELECT $st AS x FROM pers_pp1 UNION ALL SELECT $st FROM pers_pp2) s)
		SELECT $conds FROM a, b")" t "$name: by person, rollup of the shards = single pass"
}

for c in "${states[@]}"; do
	IFS='|' read -r name st roll reads filter <<<"$c"
	check_state "$name" "$st" "$roll" "$reads" "$filter" pushed
done
for c in "${local_states[@]}"; do
	IFS='|' read -r name st roll reads filter <<<"$c"
	check_state "$name" "$st" "$roll" "$reads" "$filter" local
done

# Grouped by the partition key of the person shards: NAME | TABLE suffix |
# GROUP BY key | VALUE (an aggregate, one per group) | REMOTE (the aggregate
# name in the Remote SQL). Every group's value equals single node's
# (text equality for paths, 1e-12 for numbers).
grouped=(
	"benefit_path by person|week|person_id|benefit_path(week, code)::text|benefit_path"
	"benefit_path on_duplicate default|week|person_id|(path_end(benefit_path(week, code)) - path_start(benefit_path(week, code)))::float8|benefit_path"
	"npv by person|cf|person_id|npv(amount, years, 0.035::float8)::float8|npv"
	"irr by person|cf|person_id|irr(amount, years)|irr"
)
for c in "${grouped[@]}"; do
	IFS='|' read -r name t key val agg <<<"$c"
	plan=$(on 0 -c "SET enable_partitionwise_aggregate = on" \
		-c "EXPLAIN (VERBOSE, COSTS OFF) SELECT $key, $val AS v FROM pers_$t GROUP BY $key")
	[ "$(echo "$plan" | grep -c "Remote SQL: SELECT $key, .*public\.$agg(")" = 2 ]
	ok $? "$name: both shards compute it (Remote SQL)"
	case "$val" in
		*::text) cond="a.v IS NOT DISTINCT FROM b.v" ;;
		*) cond=$(close a.v b.v) ;;
	esac
	is "$(on 0 -c "SET enable_partitionwise_aggregate = on" -c "
		WITH a AS (SELECT $key, $val AS v FROM l_$t GROUP BY $key),
		b AS (SELECT $key, $val AS v FROM pers_$t GROUP BY $key)
		SELECT count(*) FILTER (WHERE NOT $cond) || ' of ' || count(*) FROM a FULL JOIN b USING ($key)")" \
		"0 of $(on 0 -c "SELECT count(DISTINCT $key) FROM l_$t")" "$name: every group equals single node"
done

# The docs' sql-scaleout blocks (docs/scaleout.md) run here, on the coordinator
awk '/^```sql-scaleout[ \t]*$/ {on = 1; next} /^```/ {on = 0} on' "$SI_REPO/docs/scaleout.md" >"$tmp/docs.sql"
if [ -s "$tmp/docs.sql" ]; then
	on 0 -f "$tmp/docs.sql" >"$tmp/docs.out" 2>&1
	ok $? "docs/scaleout.md: the sql-scaleout blocks run on the coordinator"
	[ $? -eq 0 ] || sed 's/^/# /' "$tmp/docs.out" | tail -20
fi

# Citus: the same rows on a Citus coordinator + 2 workers (instances 3-5,
# ports base+3..base+5), when the citus extension is installed. Written
# against the Citus 13 API but never run on the project's machine (no
# Citus there): see docs/scaleout.md. Whole-table states run as partial
# aggregates on the workers (combine functions), GROUP BY municipality on
# a table distributed by municipality runs whole on the workers.
# SI_SCALEOUT_TIMES=1: time single node against the two shards, query by
# query, interleaved (SI_SCALEOUT_RUNS rounds, default 5, after one warm-up
# each), and print the medians as markdown rows (docs/scaleout.md, "Measured
# times"). Wall-clock through psql, so it includes connecting.
if [ "${SI_SCALEOUT_TIMES:-0}" = 1 ]; then
	runs=${SI_SCALEOUT_RUNS:-5}
	ms() { local t0 t1; t0=$(date +%s%N); on 0 -c "SET enable_partitionwise_aggregate = on" -c "$1" >/dev/null || return 1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
	median() { tr ' ' '\n' | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
	timed=(
		"\`selfsufficiency_state\` per municipality|SELECT municipality, selfsufficiency_state(path, $W1, $W2, 'strict') FROM l_pp GROUP BY 1|SELECT municipality, selfsufficiency_state(path, $W1, $W2, 'strict'::profile_name) FROM mun_pp GROUP BY 1"
		"\`did_state\` whole register (per shard + rollup)|SELECT did_state(pre, post, treated, municipality) FROM l_pp|SELECT did_rollup(s) FROM (SELECT did_state(pre, post, treated, municipality) AS s FROM pers_pp1 UNION ALL SELECT did_state(pre, post, treated, municipality) FROM pers_pp2) x"
		"\`km_state\` per municipality|SELECT municipality, km_state(path, '2020-01-06', 4, 'strict') FROM l_pp GROUP BY 1|SELECT municipality, km_state(path, '2020-01-06', 4, 'strict'::profile_name) FROM mun_pp GROUP BY 1"
		"\`benefit_path\` per person|SELECT person_id, benefit_path(week, code) FROM l_week GROUP BY 1|SELECT person_id, benefit_path(week, code) FROM pers_week GROUP BY 1"
	)
	echo "# times: $persons persons, $(on 0 -c "SELECT count(*) FROM l_week") person-week rows, median of $runs interleaved runs"
	for c in "${timed[@]}"; do
		IFS='|' read -r name single dist <<<"$c"
		ms "$single" >/dev/null; ms "$dist" >/dev/null
		a=""; b=""
		for ((r = 0; r < runs; r++)); do a="$a $(ms "$single")"; b="$b $(ms "$dist")"; done
		ma=$(echo $a | median); mb=$(echo $b | median)
		echo "# | $name | $ma ms | $mb ms | $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b / a}') |"
	done
fi

citus_run() {
	local i
	for i in 3 4 5; do
		names[$i]="citus$i"
		cluster_init "$SI_BINDIR" "$tmp/${names[$i]}"
		cluster_start "$SI_BINDIR" "$tmp/${names[$i]}" "$sock" $((base + i)) "$tmp/${names[$i]}.log" \
			"-c fsync=off -c lc_messages=C -c shared_preload_libraries=citus -c citus.node_conninfo=sslmode=prefer" || return 1
		on $i -c "CREATE EXTENSION citus" -c "CREATE EXTENSION socialinvest" || return 1
	done
	on 3 -c "SELECT citus_set_coordinator_host('$sock', $((base + 3)))" \
		-c "SELECT citus_add_node('$sock', $((base + 4)))" -c "SELECT citus_add_node('$sock', $((base + 5)))" >/dev/null || return 1
	# the single-node rows from the postgres_fdw coordinator, copied over
	on 3 <<SQL || return 1
SET citus.shard_count = 4;
CREATE TABLE l_pp (person_id bigint, municipality int, path benefit_path, pre float8, post float8,
	treated boolean, age float8, w float8);
CREATE TABLE c_pers (LIKE l_pp);
CREATE TABLE c_mun (LIKE l_pp);
SELECT create_distributed_table('c_pers', 'person_id');
SELECT create_distributed_table('c_mun', 'municipality');
SQL
	on 0 -c "COPY l_pp TO STDOUT" | on 3 -c "COPY l_pp FROM STDIN" || return 1
	on 3 -c "INSERT INTO c_pers SELECT * FROM l_pp" -c "INSERT INTO c_mun SELECT * FROM l_pp" -c "ANALYZE" || return 1
}
if [ "$(on 0 -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'citus'")" = 1 ]; then
	citus_run >"$tmp/citus.log" 2>&1
	rc=$?
	ok $rc "citus: coordinator and 2 workers on ports $((base + 3))-$((base + 5)), the rows distributed"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/citus.log" | tail -20
	for c in "${states[@]}" "${local_states[@]}"; do
		[ $rc -eq 0 ] || break
		IFS='|' read -r name st roll reads filter <<<"$c"
		st1=${st//::profile_name/}
		conds=""
		mapfile -t rs < <(echo "$reads" | sed 's/), /)\n/g')
		for r in "${rs[@]}"; do
			conds="$conds AND $(close "$(echo "$r" | sed 's/\bx\b/a.x/g')" "$(echo "$r" | sed 's/\bx\b/b.x/g')")"
		done
		conds=${conds# AND }
		plan=$(on 3 -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT $st AS x FROM c_pers")
		echo "$plan" | grep -q "Citus Adaptive" && echo "$plan" | sed -n '/Task/,$p' | grep -qE "worker_partial_agg|${st%%(*}\("
		ok $? "citus $name: the workers aggregate (partial)"
		is "$(on 3 -c "WITH a AS (SELECT $st1 AS x FROM l_pp), b AS (SELECT $st AS x FROM c_pers) SELECT $conds FROM a, b")" t \
			"citus $name: distributed by person = single node"
		is "$(on 3 -c "WITH a AS (SELECT $st1 AS x FROM l_pp),
			b AS (SELECT $roll(x) AS x FROM (SELECT municipality, $st AS x FROM c_mun GROUP BY municipality) m)
			SELECT $conds FROM a, b")" t "citus $name: per municipality on the workers, rolled up = single node"
	done
	for i in 3 4 5; do cluster_stop "$SI_BINDIR" "$tmp/citus$i"; done
else
	echo "# SKIP citus: not installed (no Debian package; see docs/scaleout.md)"
fi
