-- Difference-in-differences over postgres_fdw foreign partitions on the
-- same cluster (loopback through the unix socket, extensions option):
-- did_state(...) GROUP BY shard is computed on each shard, shipped back as
-- text and rolled up; the answer equals the single pass.
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
SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS sockdir,
	current_setting('port') AS port, current_database() AS db \gset
CREATE SERVER did_loopback FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'sockdir', port :'port', dbname :'db', extensions 'socialinvest');
CREATE USER MAPPING FOR CURRENT_USER SERVER did_loopback;
CREATE TABLE did_k6fp (person int, treated int, cluster int, y_pre float8, y_post float8,
	x1 float8, x2 float8, w float8, shard int) PARTITION BY LIST (shard);
CREATE FOREIGN TABLE did_k6f0 PARTITION OF did_k6fp FOR VALUES IN (0) SERVER did_loopback OPTIONS (table_name 'did_shard0');
CREATE FOREIGN TABLE did_k6f1 PARTITION OF did_k6fp FOR VALUES IN (1) SERVER did_loopback OPTIONS (table_name 'did_shard1');
CREATE FOREIGN TABLE did_k6f2 PARTITION OF did_k6fp FOR VALUES IN (2) SERVER did_loopback OPTIONS (table_name 'did_shard2');
SET enable_partitionwise_aggregate = on;

-- the state aggregate runs remotely, one per shard
EXPLAIN (VERBOSE, COSTS OFF)
SELECT shard, did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) FROM did_k6fp GROUP BY shard;

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
			did_weighted_state(y_pre, y_post, treated = 1, w, cluster::text) AS c
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
RESET enable_partitionwise_aggregate;
DROP TABLE did_k6fp, did_k6, did_shard0, did_shard1, did_shard2;
DROP SERVER did_loopback CASCADE;
DROP EXTENSION postgres_fdw;
