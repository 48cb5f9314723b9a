-- Scale-out over postgres_fdw foreign partitions on the same cluster
-- (loopback through the unix socket, extensions option; docs/scaleout.md):
-- x_state(...) GROUP BY shard is computed on each shard (the EXPLAIN of
-- the very query compared shows the aggregates in the remote SQL), shipped
-- back as text and rolled up locally; the answer equals the single pass.
-- Difference-in-differences first, then self-sufficiency rates with the
-- profile as profile_name (a text literal keeps the aggregate local).
\getenv abs_srcdir PG_ABS_SRCDIR
SET extra_float_digits = 0;
CREATE EXTENSION postgres_fdw;
CREATE TABLE did_k6 (person int, treated int, cluster int, y_pre float8, y_post float8, x1 float8, x2 float8, w float8);
\set f :abs_srcdir '/data/did_cases/k6_2x2.csv'
COPY did_k6 FROM :'f' (FORMAT csv, HEADER);
-- three "shards" (plain tables reached through the loopback server)
CREATE TABLE did_shard0 AS SELECT * FROM did_k6 WHERE cluster % 3 = 0;
CREATE TABLE did_shard1 AS SELECT * FROM did_k6 WHERE cluster % 3 = 1;
CREATE TABLE did_shard2 AS SELECT * FROM did_k6 WHERE cluster % 3 = 2;
ALTER TABLE did_shard0 ADD shard int DEFAULT 0;
ALTER TABLE did_shard1 ADD shard int DEFAULT 1;
ALTER TABLE did_shard2 ADD shard int DEFAULT 2;
-- a text cluster as a column: a cast cluster::text in the query would not
-- be shipped (postgres_fdw sends no I/O conversion casts)
ALTER TABLE did_shard0 ADD cl text; UPDATE did_shard0 SET cl = cluster::text;
ALTER TABLE did_shard1 ADD cl text; UPDATE did_shard1 SET cl = cluster::text;
ALTER TABLE did_shard2 ADD cl text; UPDATE did_shard2 SET cl = cluster::text;
SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS sockdir,
	current_setting('port') AS port, current_database() AS db \gset
CREATE SERVER did_loopback FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'sockdir', port :'port', dbname :'db', extensions 'socialinvest');
CREATE USER MAPPING FOR CURRENT_USER SERVER did_loopback;
CREATE TABLE did_k6fp (person int, treated int, cluster int, y_pre float8, y_post float8,
	x1 float8, x2 float8, w float8, shard int, cl text) PARTITION BY LIST (shard);
CREATE FOREIGN TABLE did_k6f0 PARTITION OF did_k6fp FOR VALUES IN (0) SERVER did_loopback OPTIONS (table_name 'did_shard0');
CREATE FOREIGN TABLE did_k6f1 PARTITION OF did_k6fp FOR VALUES IN (1) SERVER did_loopback OPTIONS (table_name 'did_shard1');
CREATE FOREIGN TABLE did_k6f2 PARTITION OF did_k6fp FOR VALUES IN (2) SERVER did_loopback OPTIONS (table_name 'did_shard2');
SET enable_partitionwise_aggregate = on;

-- the per-shard query compared below: its three state aggregates run
-- remotely, one query per shard
EXPLAIN (VERBOSE, COSTS OFF)
SELECT shard, did_state(y_pre, y_post, treated = 1, cluster) AS a,
	did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) AS b,
	did_weighted_state(y_pre, y_post, treated = 1, w, cl) AS c
FROM did_k6fp GROUP BY shard;

CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
	SELECT abs(a - b) <= 1e-12 * greatest(abs(a), abs(b)) $$;
WITH single AS (
	SELECT did_state(y_pre, y_post, treated = 1, cluster) AS a,
		did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) AS b,
		did_weighted_state(y_pre, y_post, treated = 1, w, cluster::text) AS c
	FROM did_k6),
shards AS (
	SELECT did_rollup(a) AS a, did_rollup(b) AS b, did_rollup(c) AS c
	FROM (SELECT shard, did_state(y_pre, y_post, treated = 1, cluster) AS a,
			did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) AS b,
			did_weighted_state(y_pre, y_post, treated = 1, w, cl) AS c
		FROM did_k6fp GROUP BY shard) per_shard)
SELECT pg_temp.close(did_estimate(s.a), did_estimate(f.a)) AS effect_2x2,
	pg_temp.close(did_std_error(s.a, 'CR1'), did_std_error(f.a, 'CR1')) AS cr1_2x2,
	pg_temp.close(did_std_error(s.a, 'welch'), did_std_error(f.a, 'welch')) AS welch_2x2,
	pg_temp.close(did_estimate(s.b), did_estimate(f.b)) AS effect_cov,
	pg_temp.close(did_std_error(s.b, 'HC1'), did_std_error(f.b, 'HC1')) AS hc1_cov,
	pg_temp.close(did_std_error(s.b, 'CR1'), did_std_error(f.b, 'CR1')) AS cr1_cov,
	pg_temp.close(did_std_error(s.c, 'CR1'), did_std_error(f.c, 'CR1')) AS cr1_weighted,
	pg_temp.close(did_std_error(f.a, 'CR1', 'person'), 0.089138312682830151) AS matches_r,
	did_n_clusters(f.b) AS clusters
FROM single s, shards f;

-- Self-sufficiency over shards of persons. 40 persons, weeks 2024-01-01 +
-- 0..9: person p receives kontanthjaelp (130) in week w when (p + w) % 4 = 0
-- (no row in the other weeks: path_observed makes them observed weeks
-- without benefit) and is in shard p % 2.
CREATE TABLE ss_week AS
SELECT p AS person_id, date '2024-01-01' + 7 * w AS week, 130 AS code
FROM generate_series(1, 40) p, generate_series(0, 9) w WHERE (p + w) % 4 = 0;
CREATE TABLE ss_shard0 AS SELECT person_id, 0 AS shard, path_observed(benefit_path(week, code), '2024-01-01', '2024-03-04') AS path
	FROM ss_week WHERE person_id % 2 = 0 GROUP BY person_id;
CREATE TABLE ss_shard1 AS SELECT person_id, 1 AS shard, path_observed(benefit_path(week, code), '2024-01-01', '2024-03-04') AS path
	FROM ss_week WHERE person_id % 2 = 1 GROUP BY person_id;
CREATE TABLE ss_fp (person_id int, shard int, path benefit_path) PARTITION BY LIST (shard);
CREATE FOREIGN TABLE ss_f0 PARTITION OF ss_fp FOR VALUES IN (0) SERVER did_loopback OPTIONS (table_name 'ss_shard0');
CREATE FOREIGN TABLE ss_f1 PARTITION OF ss_fp FOR VALUES IN (1) SERVER did_loopback OPTIONS (table_name 'ss_shard1');
-- 'strict' (text, default collation from no column): computed locally, the
-- rows are shipped (the remote SQL has no aggregate)
EXPLAIN (VERBOSE, COSTS OFF)
SELECT shard, selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict') FROM ss_fp GROUP BY shard;
-- 'strict'::profile_name: the state aggregates run remotely
EXPLAIN (VERBOSE, COSTS OFF)
SELECT shard, selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict'::profile_name) AS s,
	km_state(path, '2024-01-01', 2, 'strict'::profile_name) AS k
FROM ss_fp GROUP BY shard;
-- Hand count: every person is observed in the 10 weeks (path_observed), and
-- has benefit in the weeks w with w = -p (mod 4): w = 0..9 holds the
-- residues 0 and 1 three times, 2 and 3 twice, so 3 benefit weeks when
-- p % 4 is 0 or 3, else 2: 2.5 on average over the 40 persons. The
-- person-weighted rate is 1 - 2.5/10 = 0.75 (the week rate too).
WITH single AS (
	SELECT selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict') AS s,
		km_state(path, '2024-01-01', 2, 'strict') AS k
	FROM (SELECT person_id, path_observed(benefit_path(week, code), '2024-01-01', '2024-03-04') AS path
		FROM ss_week GROUP BY person_id) x),
shards AS (
	SELECT selfsufficiency_rollup(s) AS s, km_rollup(k) AS k
	FROM (SELECT shard, selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict'::profile_name) AS s,
			km_state(path, '2024-01-01', 2, 'strict'::profile_name) AS k
		FROM ss_fp GROUP BY shard) per_shard)
SELECT pg_temp.close(rate_person_weighted(f.s), 0.75) AS rate_is_hand_count,
	pg_temp.close(rate_person_weighted(f.s), rate_person_weighted(s.s)) AS rate_single,
	pg_temp.close(rate_week_weighted(f.s), rate_week_weighted(s.s)) AS week_rate_single,
	pg_temp.close(rate_std_error(f.s), rate_std_error(s.s)) AS std_error_single,
	(rate_counts(f.s)).persons AS persons,
	f.k::text = s.k::text AS km_equal
FROM single s, shards f;
-- the profile_name overloads are the text forms: same states, bit for bit
-- (weights 1 + p % 3; windows of 3 and 10 weeks), same errors
CREATE TABLE ss_local AS SELECT person_id, path_observed(benefit_path(week, code), '2024-01-01', '2024-03-04') AS path,
	1 + person_id % 3 AS w FROM ss_week GROUP BY person_id;
SELECT selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'with_leave'::profile_name)::text
		= selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'with_leave')::text AS state,
	selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict'::profile_name, w)::text
		= selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict', w)::text AS weighted,
	selfsufficiency_rate(path, '2024-01-01', '2024-03-04', 'strict'::profile_name)
		= selfsufficiency_rate(path, '2024-01-01', '2024-03-04', 'strict') AS rate,
	selfsufficiency_states(path, ARRAY[date '2024-01-01', '2024-01-15'], ARRAY[date '2024-03-04', '2024-01-29'], 'strict'::profile_name)::text[]
		= selfsufficiency_states(path, ARRAY[date '2024-01-01', '2024-01-15'], ARRAY[date '2024-03-04', '2024-01-29'], 'strict')::text[] AS states,
	selfsufficiency_states(path, ARRAY[date '2024-01-01'], ARRAY[date '2024-03-04'], 'strict'::profile_name, w)::text[]
		= selfsufficiency_states(path, ARRAY[date '2024-01-01'], ARRAY[date '2024-03-04'], 'strict', w)::text[] AS states_weighted,
	km_state(path, '2024-01-01', 1, 'with_education'::profile_name)::text
		= km_state(path, '2024-01-01', 1, 'with_education')::text AS km
FROM ss_local;
\i sql/include/expect_error.sql
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'nope'::profile_name) FROM ss_local $$) AS unknown_profile;
SELECT pg_temp.expect_error($$ SELECT km_state(path, '2024-01-01', 1, NULL::profile_name) FROM ss_local $$) AS null_profile;
RESET enable_partitionwise_aggregate;
DROP TABLE ss_local;
DROP TABLE ss_fp, ss_week, ss_shard0, ss_shard1;
DROP TABLE did_k6fp, did_k6, did_shard0, did_shard1, did_shard2;
DROP SERVER did_loopback CASCADE;
DROP EXTENSION postgres_fdw;
