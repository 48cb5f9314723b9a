-- att_gt / att_gt_aggregate / att_gt_pretest against every reference row
-- of the did_cases k1-k5 (R did 2.5.1, DRDID 1.2.3). For each call:
-- rows compared, rows missing on either side (must be 0) and whether the
-- largest absolute difference (ATT, SE, W, p) is below 1e-9.
\getenv abs_srcdir PG_ABS_SRCDIR
\i sql/include/attgt_cases.sql
CREATE TABLE expected_rows(call text, kind text, key1 text, key2 text, estimate float8, std_error float8, extra float8);

CREATE TABLE k1(unit int, period int, cohort int, y float8);
\set f :abs_srcdir '/data/did_cases/k1_balanced.csv'
COPY k1 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE k1_exp (LIKE expected_rows);
\set f :abs_srcdir '/data/did_cases/k1_balanced.expected.csv'
COPY k1_exp FROM :'f' (FORMAT csv, HEADER);

CREATE TABLE k2(unit int, period int, cohort int, y float8, x1 float8, x2 float8);
\set f :abs_srcdir '/data/did_cases/k2_covariates.csv'
COPY k2 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE k2_exp (LIKE expected_rows);
\set f :abs_srcdir '/data/did_cases/k2_covariates.expected.csv'
COPY k2_exp FROM :'f' (FORMAT csv, HEADER);

CREATE TABLE k3(unit int, period int, cohort int, y float8);
\set f :abs_srcdir '/data/did_cases/k3_unbalanced.csv'
COPY k3 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE k3_exp (LIKE expected_rows);
\set f :abs_srcdir '/data/did_cases/k3_unbalanced.expected.csv'
COPY k3_exp FROM :'f' (FORMAT csv, HEADER);

CREATE TABLE k4(unit int, period int, cohort int, y float8, x1 float8, x2 float8, w float8, cluster int);
\set f :abs_srcdir '/data/did_cases/k4_weights_cluster.csv'
COPY k4 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE k4_exp (LIKE expected_rows);
\set f :abs_srcdir '/data/did_cases/k4_weights_cluster.expected.csv'
COPY k4_exp FROM :'f' (FORMAT csv, HEADER);

CREATE TABLE k5(unit int, period int, cohort int, y float8);
\set f :abs_srcdir '/data/did_cases/k5_no_never.csv'
COPY k5 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE k5_exp (LIKE expected_rows);
\set f :abs_srcdir '/data/did_cases/k5_no_never.expected.csv'
COPY k5_exp FROM :'f' (FORMAT csv, HEADER);

CREATE TEMP TABLE result AS
SELECT 'k1' AS case_name, * FROM pg_temp.attgt_compare('k1', 'k1_exp')
UNION ALL SELECT 'k2', * FROM pg_temp.attgt_compare('k2', 'k2_exp')
UNION ALL SELECT 'k3', * FROM pg_temp.attgt_compare('k3', 'k3_exp')
UNION ALL SELECT 'k4', * FROM pg_temp.attgt_compare('k4', 'k4_exp')
UNION ALL SELECT 'k5', * FROM pg_temp.attgt_compare('k5', 'k5_exp');

SELECT case_name, call, compared, missing, max_abs_diff < 1e-9 AS within_1e9
FROM result ORDER BY case_name, call;

-- totals: every reference row of k1-k5 compared
SELECT sum(compared) AS rows_compared, sum(missing) AS rows_missing,
       bool_and(max_abs_diff < 1e-9) AS all_within_1e9,
       (SELECT count(*) FROM k1_exp) + (SELECT count(*) FROM k2_exp) + (SELECT count(*) FROM k3_exp)
       + (SELECT count(*) FROM k4_exp) + (SELECT count(*) FROM k5_exp) AS reference_rows
FROM result;

-- the same reference rows through a stored estimate: att_gt_fit once per
-- call, then att_gt(fit), att_gt_pretest(fit), att_gt_aggregate(fit, ...)
SET client_min_messages = warning;  -- the pre-test NOTICEs were shown above
CREATE TEMP TABLE result_fit AS
SELECT 'k1' AS case_name, * FROM pg_temp.attgt_compare('k1', 'k1_exp', via_fit => true)
UNION ALL SELECT 'k2', * FROM pg_temp.attgt_compare('k2', 'k2_exp', via_fit => true)
UNION ALL SELECT 'k3', * FROM pg_temp.attgt_compare('k3', 'k3_exp', via_fit => true)
UNION ALL SELECT 'k4', * FROM pg_temp.attgt_compare('k4', 'k4_exp', via_fit => true)
UNION ALL SELECT 'k5', * FROM pg_temp.attgt_compare('k5', 'k5_exp', via_fit => true);
SELECT sum(f.compared) = sum(t.compared) AS same_rows_compared, sum(f.missing) AS rows_missing,
       bool_and(f.max_abs_diff < 1e-9) AS all_within_1e9,
       max(abs(f.max_abs_diff - t.max_abs_diff)) <= 1e-12 AS same_as_table_forms
FROM result_fit f JOIN result t USING (case_name, call);
RESET client_min_messages;
-- calls whose fit form differs from the table form (none)
SELECT case_name, call, f.compared, t.compared AS table_compared, f.missing, f.max_abs_diff
FROM result_fit f JOIN result t USING (case_name, call)
WHERE f.compared <> t.compared OR f.missing <> t.missing OR NOT f.max_abs_diff < 1e-9;

-- the sample flow on the case with units treated in the first period and no never-treated units
SELECT step, reason, n_units, n_rows FROM att_gt_sample('k5', 'y', 'unit', 'period', 'cohort', control_group => 'notyettreated');

DROP TABLE k1, k1_exp, k2, k2_exp, k3, k3_exp, k4, k4_exp, k5, k5_exp, expected_rows;
