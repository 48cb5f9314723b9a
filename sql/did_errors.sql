-- Difference-in-differences: bad input gives clear errors (SQLSTATE,
-- message, hint), never a crash or a silently wrong number.
\i sql/include/expect_error.sql
SET extra_float_digits = 0;
CREATE TEMP TABLE d (id int, pre float8, post float8, treated boolean, cl int, x1 float8, x2 float8, w float8);
INSERT INTO d SELECT i, (i % 7) / 7.0, (i % 5) / 5.0 + (i % 2) * 0.1, i % 2 = 0, i % 4,
	(i % 11) / 11.0, (i % 3) / 3.0, 1 + (i % 3)
FROM generate_series(1, 40) i;

-- non-finite outcomes, covariates and weights
SELECT pg_temp.expect_error($$ SELECT did(pre, 'NaN', treated) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did('-Infinity', post, treated) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, ARRAY[x1, 'Infinity']) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted(pre, post, treated, 'NaN') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted(pre, post, treated, -w) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted(pre, post, treated, 0) FROM d $$);

-- all treated, none treated, nothing usable
SELECT pg_temp.expect_error($$ SELECT did(pre, post, true) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, false) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, NULL, treated) FROM d $$);
-- no rows at all: NULL, like every aggregate
SELECT did(pre, post, treated) IS NULL AS empty_is_null FROM d WHERE false;

-- a single cluster: the default (CR1) cannot be computed
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, 7) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated, 'one'), 'CR0') FROM d $$);
-- ... while other estimators still can
SELECT did_std_error(did_state(pre, post, treated, 7), 'welch') > 0 AS welch_ok FROM d;
-- cluster variance without a cluster argument
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated), 'CR1') FROM d $$);
-- small_sample: unknown name; given with a variance other than CR1
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated, cl), 'CR1', 'hc1') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated, cl), 'CR0', 'stata') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_ci(did_state(pre, post, treated), NULL, 0.95, 't', 'person') FROM d $$);
-- two rows and two coefficients: the stata and person factors are
-- undefined (NULL with a NOTICE), g_only is not
SELECT did_std_error(s, 'CR1') IS NULL AS stata_null, did_std_error(s, 'CR1', 'person') IS NULL AS person_null,
	did_std_error(s, 'CR1', 'g_only') IS NOT NULL AS g_only_defined
FROM (SELECT did_state(pre, post, treated, cl) s FROM d WHERE id IN (1, 2)) q;

-- covariate arrays: different lengths, empty, two-dimensional, too many
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, CASE WHEN id < 20 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, '{}'::float8[]) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, ARRAY[[x1, x2]]) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, array_fill(x1, ARRAY[21])) FROM d $$);
-- a NULL element skips the row (counted)
SELECT did_n_skipped(did_state(pre, post, treated, ARRAY[x1, CASE WHEN id = 3 THEN NULL ELSE x2 END])) AS skipped FROM d;

-- collinear or constant covariates: the error names the position
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, ARRAY[x1, 2 * x1 + 1]) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, ARRAY[5.0, x1]) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did(pre, post, treated, ARRAY[x1, x2, CASE WHEN treated THEN 1 ELSE 0 END]) FROM d $$);

-- unknown or unavailable variance estimators, bad level or distribution
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated), 'HC4') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated, ARRAY[x1]), 'HC2') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated, ARRAY[x1]), 'HC3') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_state(pre, post, treated, ARRAY[x1]), 'welch') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_std_error(did_weighted_state(pre, post, treated, w), 'HC3') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_ci(did_state(pre, post, treated), conf_level => 1.5) FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_ci(did_state(pre, post, treated), 'welch', 0.9, 'cauchy') FROM d $$);
SELECT pg_temp.expect_error($$ SELECT did_count(did_state(pre, post, treated), 'everyone') FROM d $$);

-- a group with fewer than 2 persons: effect, NULL standard error, NOTICE
SELECT r.estimate, r.std_error IS NULL AS se_null, r.conf_low IS NULL AS ci_null, r.n_treated
FROM (SELECT (did(pre, post, treated)).* FROM d WHERE NOT treated OR id = 2) r;

-- combining states of different kinds
SELECT pg_temp.expect_error($$ SELECT did_state_combine(
	(SELECT did_state(pre, post, treated) FROM d), (SELECT did_weighted_state(pre, post, treated, w) FROM d)) $$);
SELECT pg_temp.expect_error($$ SELECT did_rollup(s) FROM (
	SELECT did_state(pre, post, treated, ARRAY[x1]) s FROM d UNION ALL SELECT did_state(pre, post, treated, ARRAY[x1, x2]) FROM d) q $$);
SELECT pg_temp.expect_error($$ SELECT did_rollup(s) FROM (
	SELECT did_state(pre, post, treated, cl) s FROM d UNION ALL SELECT did_state(pre, post, treated, cl::text) FROM d) q $$);

-- states of another version, and malformed text
SELECT pg_temp.expect_error($$ SELECT 'did_state v2 weighted 0 cluster 0 regression 0 covariates 0 skipped 0'::did_state $$);
SELECT pg_temp.expect_error($$ SELECT 'did_state v0'::did_state $$);
SELECT pg_temp.expect_error($$ SELECT 'hello'::did_state $$);
SELECT pg_temp.expect_error($$ SELECT 'did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 0 control 2 2 0.3125 0.0078125 2 0 0.0078125 0.0625 0.375 treated 2 2 0.5625 0.0078125 2 0 0.0078125 0.125 0.6875 clusters 0 extra'::did_state $$);
-- unweighted counts must equal the weight sums
SELECT pg_temp.expect_error($$ SELECT 'did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 0 control 2 3 0.3125 0.0078125 2 0 0.0078125 0.0625 0.375 treated 2 2 0.5625 0.0078125 2 0 0.0078125 0.125 0.6875 clusters 0'::did_state $$);
-- negative second moment
SELECT pg_temp.expect_error($$ SELECT 'did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 0 control 2 2 0.3125 -0.0078125 2 0 0.0078125 0.0625 0.375 treated 2 2 0.5625 0.0078125 2 0 0.0078125 0.125 0.6875 clusters 0'::did_state $$);
-- non-finite number
SELECT pg_temp.expect_error($$ SELECT 'did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 0 control 2 2 NaN 0.0078125 2 0 0.0078125 0.0625 0.375 treated 2 2 0.5625 0.0078125 2 0 0.0078125 0.125 0.6875 clusters 0'::did_state $$);
-- clusters out of order, and cluster counts that do not add up
SELECT pg_temp.expect_error($$ SELECT 'did_state v1 weighted 0 cluster 1 regression 0 covariates 0 skipped 0 control 1 1 1 0 1 0 0 0 1 treated 1 1 2 0 1 0 0 0 2 clusters 2 9 1 1 1 0 0 0 3 0 0 0 1 1 2'::did_state $$);
SELECT pg_temp.expect_error($$ SELECT 'did_state v1 weighted 0 cluster 1 regression 0 covariates 0 skipped 0 control 1 1 1 0 1 0 0 0 1 treated 1 1 2 0 1 0 0 0 2 clusters 2 3 1 1 1 0 0 0 9 0 0 0 2 2 2'::did_state $$);
-- the corrected versions of the last two are accepted
SELECT 'did_state v1 weighted 0 cluster 1 regression 0 covariates 0 skipped 0 control 1 1 1 0 1 0 0 0 1 treated 1 1 2 0 1 0 0 0 2 clusters 2 3 1 1 1 0 0 0 9 0 0 0 1 1 2'::did_state;

-- binary input (recv) checks the version too: write a state with COPY
-- (FORMAT binary), set its version byte to 2, read it back. The version is
-- the first data byte: 19-byte file header, 2-byte field count, 4-byte length.
CREATE TEMP TABLE one AS SELECT did_state(pre, post, treated, cl) AS s FROM d;
CREATE TEMP TABLE back (s did_state);
SELECT '/tmp/socialinvest_did_v_' || pg_backend_pid() AS vfile \gset
\set vin :vfile '.in'
\set vout :vfile '.out'
COPY one TO :'vin' (FORMAT binary);
SELECT get_byte(pg_read_binary_file(:'vin'), 25) AS version_byte;
\set writer 'base64 -d > ' :vout
COPY (SELECT replace(encode(set_byte(pg_read_binary_file(:'vin'), 25, 2), 'base64'), E'\n', '')) TO PROGRAM :'writer';
SELECT pg_temp.expect_error(format('COPY back FROM %L (FORMAT binary)', :'vout'));
-- the unmodified file reads back; remove the files
\set cleanup 'rm -f ' :vin ' ' :vout
COPY back FROM :'vin' (FORMAT binary);
SELECT s::text = (SELECT s::text FROM one) AS unmodified_file_reads_back FROM back;
COPY (SELECT 1) TO PROGRAM :'cleanup';
