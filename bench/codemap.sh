# Benefit-code classification: the C lookup against the plain-SQL join to
# the code map that analysts write by hand (share of self-supporting
# benefit-weeks per year is trivial; the point is the per-row cost).
bench_query classify_plain_sql "
SELECT date_trunc('year', w.week), count(*) FILTER (WHERE b.self_supporting)
FROM bench.benefit_week w
LEFT JOIN benefit_code b ON b.code = w.code AND w.week >= b.valid_from AND w.week < b.valid_to
GROUP BY 1"
bench_query classify_benefit_state "
SELECT date_trunc('year', week), count(*) FILTER (WHERE benefit_state(code, week) = 'self')
FROM bench.benefit_week GROUP BY 1"
bench_ratio classify_benefit_state classify_plain_sql
bench_ratio classify_benefit_state count_star_person_week
