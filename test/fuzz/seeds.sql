-- Seed inputs for the libFuzzer targets, made by the extension itself:
-- text forms (as type output prints them) and binary forms (as the send
-- functions write them) of real values. Run against a database with
-- socialinvest. Each row is written to
-- test/fuzz/corpus/<target>/<name> (first byte: form and type, see
-- test/fuzz/fuzz_typeio.h):
--   psql -X -d DB -f test/fuzz/seeds.sql | while read -r target name hex; do
--     [ -n "$hex" ] && perl -e "print pack(q(H*), q($hex))" >"test/fuzz/corpus/$target/$name"; done
\set QUIET on
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' '
SET extra_float_digits = 0;
CREATE TEMP TABLE d AS
SELECT i, (i % 5)::float8 + i / 7.0 AS pre, (i % 3)::float8 * 1.5 + i / 5.0 AS post,
	i % 2 = 0 AS treated, i % 4 AS cl, ARRAY[i / 3.0, (i % 7)::float8] AS x, 1 + (i % 3) / 2.0 AS w
FROM generate_series(1, 40) i;
CREATE TEMP TABLE v (target text, name text, t text, b bytea);
INSERT INTO v
SELECT 'did_state', name, s::text, did_state_send(s) FROM (
	SELECT 'plain' AS name, did_state(pre, post, treated) s FROM d
	UNION ALL SELECT 'cluster', did_state(pre, post, treated, cl::bigint) FROM d
	UNION ALL SELECT 'textcluster', did_state(pre, post, treated, 'c' || cl) FROM d
	UNION ALL SELECT 'cov', did_state(pre, post, treated, x) FROM d
	UNION ALL SELECT 'cov_cluster', did_state(pre, post, treated, x, cl::bigint) FROM d
	UNION ALL SELECT 'weighted', did_weighted_state(pre, post, treated, w) FROM d
	UNION ALL SELECT 'weighted_cluster', did_weighted_state(pre, post, treated, w, cl::bigint) FROM d
	UNION ALL SELECT 'empty', did_state(pre, post, treated) FROM d WHERE false) q;
INSERT INTO v
SELECT 'benefit_path', 'p' || n, p::text, benefit_path_send(p::benefit_path)
FROM unnest(ARRAY['2019-01-07:130x4,-x4,997x2', '2015-12-28:-x1', '2021-01-04:9999x52,-x1,1x3',
	'1999-12-27:1x1,2x1,3x1,-x100,4x1']) WITH ORDINALITY u(p, n);
INSERT INTO v
SELECT 'km_state', 'k' || n, k::text, km_state_send(k::km_state)
FROM unnest(ARRAY['v=1;k=2;excluded=2;points=1:1/0,2:0/1,3:2/0,4:0/1,5:1/0', 'v=1;k=0;excluded=0;points=',
	'v=1;k=1;excluded=5;points=0:3/1']) WITH ORDINALITY u(k, n);
INSERT INTO v
SELECT 'cashflows', 'c' || n, c::text, cashflows_send(c::cashflows)
FROM unnest(ARRAY['1|0:-1000000;0.1:400000.5;1e-07:3', '1|', '1|0:1', '1|-2.5:1e+300;5e-324:-0']) WITH ORDINALITY u(c, n);
INSERT INTO v
SELECT 'rate_state', 'r', s::text, selfsufficiency_state_send(s)
FROM (SELECT selfsufficiency_state(p::benefit_path, '2019-01-07', '2019-03-04', 'strict') s
	FROM unnest(ARRAY['2019-01-07:130x4,-x4,997x2', '2018-12-31:-x10']) p) q;
INSERT INTO v
SELECT 'rate_state', 'f', s::text, fte_state_send(s)
FROM (SELECT fte_state(p::benefit_path, '2019-01-07', '2019-03-04', ARRAY['kontanthjaelp', 'none']) s
	FROM unnest(ARRAY['2019-01-07:130x4,-x4,997x2', '2018-12-31:-x10']) p) q;
INSERT INTO v
SELECT 'rate_state', n, s::text, indicator_state_send(s::indicator_state)
FROM (VALUES ('i', 'v=1;kind=proportion;n=20;successes=8'), ('m', 'v=1;kind=mean;n=8;mean=5;m2=32')) q(n, s);
-- target, file name, hex of (form byte || value); rate_state's types:
-- byte >> 1 = 0 selfsufficiency_state, 1 fte_state, 2 indicator_state
SELECT target, name || '_text',
	encode(CASE name WHEN 'f' THEN '\x02'::bytea WHEN 'i' THEN '\x04' WHEN 'm' THEN '\x04' ELSE '\x00'::bytea END
		|| convert_to(t, 'UTF8'), 'hex') FROM v
UNION ALL
SELECT target, name || '_binary',
	encode(CASE name WHEN 'f' THEN '\x03'::bytea WHEN 'i' THEN '\x05' WHEN 'm' THEN '\x05' ELSE '\x01'::bytea END || b, 'hex') FROM v
ORDER BY 1, 2;
