-- The demo headline over the synthetic register in schema demo.
\pset footer off
\echo 'Self-sufficiency (strict: share of observed person-weeks without public benefit), by half-year'
\echo 'for citizens who got a mentor at some point vs those who never did:'
WITH weeks AS (
	SELECT p.person_id, p.mentored, w.week
	FROM demo.person p
	CROSS JOIN LATERAL generate_series(
		greatest(p.arrival_week, (SELECT value::date FROM demo.register_info WHERE key = 'first_week')),
		(SELECT value::date FROM demo.register_info WHERE key = 'first_week')
		  + 7 * ((SELECT value::int FROM demo.register_info WHERE key = 'weeks') - 1),
		interval '7 days') AS w(week)
), states AS (
	SELECT k.mentored, k.week, benefit_state(b.code, k.week::date) AS state
	FROM weeks k LEFT JOIN demo.benefit_week b ON b.person_id = k.person_id AND b.week = k.week
)
SELECT to_char(date_trunc('quarter', week), 'YYYY') || CASE WHEN extract(month FROM week) <= 6 THEN '-H1' ELSE '-H2' END AS period,
       round(100.0 * count(*) FILTER (WHERE mentored AND state = 'self')
             / nullif(count(*) FILTER (WHERE mentored AND state <> 'censored'), 0), 1) AS "mentored %",
       round(100.0 * count(*) FILTER (WHERE NOT mentored AND state = 'self')
             / nullif(count(*) FILTER (WHERE NOT mentored AND state <> 'censored'), 0), 1) AS "not mentored %"
FROM states GROUP BY 1 ORDER BY 1;
