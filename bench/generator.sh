# Synthetic register generator (sourced by bench/run.sh). Producing the
# person-week rows in C without writing them, against the count(*) floor
# over the generated table; and a whole generate_register (written to a
# scratch schema, measured once) against the plain-SQL floor of writing
# the same person-week rows: CREATE TABLE AS from the generated table plus
# its primary key.
bench_compare gen_srf_person_weeks "
SELECT count(*) FROM generate_series(0, ($BENCH_PERSONS - 1) / 500) c,
LATERAL synthetic_benefit_weeks(20261125, c * 500 + 1, least(c * 500 + 500, $BENCH_PERSONS), $BENCH_WEEKS) s" \
	count_star_person_week "SELECT count(*) FROM bench.benefit_week"
# whole-register generation writes a gigabyte at the default size: single
# timings (best of BENCH_REPEAT, the generation once), reported as such
bench_query gen_copy_person_weeks_sql "
DROP TABLE IF EXISTS bench_gen_copy;
CREATE TABLE bench_gen_copy AS SELECT * FROM bench.benefit_week;
ALTER TABLE bench_gen_copy ADD PRIMARY KEY (person_id, week);
DROP TABLE bench_gen_copy;"
BENCH_REPEAT=1 bench_query gen_generate_register "
CREATE SCHEMA IF NOT EXISTS bench_gen;
SELECT generate_register('bench_gen', $BENCH_PERSONS, 20261125, $BENCH_WEEKS, replace => true);
DROP SCHEMA bench_gen CASCADE;"
bench_ratio gen_generate_register gen_copy_person_weeks_sql
